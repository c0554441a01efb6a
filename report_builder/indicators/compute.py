"""Indicator values at every region and period, exact.

At every level an indicator is the ratio of the summed numerator to the summed denominator — the fields are
rolled up first (`Dataset.total`), then divided — never an average of the children's rates. Nothing is
rounded here. A value that cannot be computed is None with a reason a report can print.

Periods: a period the data hold is read directly. A longer period (a year over quarterly data) takes stock
and parameter fields at its last sub-period and sums flow fields over all of them. Year to date (`ytd=True`)
sums flow fields from January to the period's end; stock fields are the period's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from report_builder.dataset import Dataset, Total
from report_builder.definitions import IndicatorDef, Term
from report_builder.fields import Kind
from report_builder.issues import Location
from report_builder.periods import Period, PeriodKind


@dataclass(frozen=True)
class FieldValue:
    """A field's value at a region and period, or None with the reason; `totals` are what was summed."""

    value: Decimal | None
    reason: str | None = None
    totals: tuple[Total, ...] = ()


@dataclass(frozen=True)
class IndicatorValue:
    indicator: str
    region: str
    period: Period
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    reason: str | None = None
    ytd: bool = False
    totals: tuple[Total, ...] = ()  # what the numerator and the denominator were summed from, in that order

    def cells(self) -> tuple[Location, ...]:
        """Every cell behind the value: for a year over quarters, the last quarter's stocks and every flow."""
        return tuple(cell for total in self.totals for cell in total.cells())


class Calculator:
    """Computes fields and indicators over one dataset, remembering what it has summed."""

    def __init__(self, data: Dataset) -> None:
        self.data = data
        self._periods = frozenset(data.periods())
        self._cache: dict[tuple[str, Period, str, bool], FieldValue] = {}

    def field(self, code: str, period: Period, fid: str, ytd: bool = False) -> FieldValue:
        key = (code, period, fid, ytd)
        if key not in self._cache:
            self._cache[key] = self._field(code, period, fid, ytd)
        return self._cache[key]

    def _field(self, code: str, period: Period, fid: str, ytd: bool) -> FieldValue:
        kind = self.data.fields.fields[fid].kind
        if ytd and kind is Kind.FLOW and period.kind is not PeriodKind.YEAR and period.first_month > 1:
            return self._sum(code, fid, _year_so_far(period))
        if period in self._periods:
            total = self.data.rollup(code, period, fid)
            if total.value is None:
                return FieldValue(None, self._missing(code, period, fid))
            return FieldValue(total.value, None, (total,))
        parts = self._sub_periods(period)
        if not parts:
            return FieldValue(None, f"没有{period.label}的数据")
        if kind is Kind.FLOW:
            return self._sum(code, fid, parts)
        return self.field(code, parts[-1], fid)

    def _sum(self, code: str, fid: str, periods: list[Period]) -> FieldValue:
        figures = [self.field(code, p, fid) for p in periods]
        missing = [f.reason for f in figures if f.value is None]
        if missing:
            return FieldValue(None, missing[0])
        totals = tuple(total for f in figures for total in f.totals)
        return FieldValue(sum((f.value for f in figures), Decimal(0)), None, totals)  # type: ignore[misc]

    def _sub_periods(self, period: Period) -> list[Period]:
        """Every quarter (else month) of the period, in order, when the data hold that kind inside it."""
        for kind, count in ((PeriodKind.QUARTER, 4), (PeriodKind.MONTH, 12)):
            inside = [Period(period.year, kind, n) for n in range(1, count + 1)]
            inside = [p for p in inside if period.contains(p)]
            if any(p in self._periods for p in inside):
                return inside
        return []

    def _missing(self, code: str, period: Period, fid: str) -> str:
        region = self.data.regions.regions.get(code)
        name = region.name if region else code
        return f"缺少{name}{period.label}的{self.data.fields.fields[fid].header}"

    def _terms(self, code: str, period: Period, terms: tuple[Term, ...], ytd: bool) -> FieldValue:
        if len(terms) == 1 and terms[0].sign == 1:  # most numerators and denominators are one field
            return self.field(code, period, terms[0].field, ytd)
        total, totals = Decimal(0), ()
        for term in terms:
            figure = self.field(code, period, term.field, ytd)
            if figure.value is None:
                return figure
            total += term.sign * figure.value
            totals += figure.totals
        return FieldValue(total, None, totals)

    def indicator(self, ind: IndicatorDef, code: str, period: Period, ytd: bool = False) -> IndicatorValue:
        num = self._terms(code, period, ind.numerator, ytd)
        if num.value is None:
            return IndicatorValue(ind.id, code, period, None, None, None, num.reason, ytd)
        if not ind.denominator:
            value = num.value * ind.scale
            return IndicatorValue(ind.id, code, period, value, num.value, None, None, ytd, num.totals)
        den = self._terms(code, period, ind.denominator, ytd)
        totals = num.totals + den.totals
        if den.value is None:
            return IndicatorValue(ind.id, code, period, None, num.value, None, den.reason, ytd, num.totals)
        if den.value == 0:
            headers = "、".join(self.data.fields.fields[t.field].header for t in ind.denominator)
            reason = f"分母（{headers}）为0，无法计算"
            return IndicatorValue(ind.id, code, period, None, num.value, den.value, reason, ytd, totals)
        value = num.value * ind.scale / den.value
        return IndicatorValue(ind.id, code, period, value, num.value, den.value, None, ytd, totals)


def _year_so_far(period: Period) -> list[Period]:
    count = period.number
    return [Period(period.year, period.kind, n) for n in range(1, count + 1)]
