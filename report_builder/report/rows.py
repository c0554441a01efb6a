"""Indicator and target results as rows of strings, for the terminal, CSV/JSON/XLSX and indicators.xlsx.

Presentation, so it sits with the report: the same formatters and the same `change` filter as the templates,
so a figure in a spreadsheet is the figure in the report.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from report_builder.dataset import Dataset
from report_builder.definitions import IndicatorDef
from report_builder.indicators.compare import period_on_period, year_on_year
from report_builder.indicators.compute import Calculator
from report_builder.load import Inputs
from report_builder.numbers import Rounding, fmt_fixed
from report_builder.periods import Period
from report_builder.regions import Level
from report_builder.report.filters import change
from report_builder.targets.check import TargetResult

COLUMNS = ("region_code", "region_name", "level", "period", "indicator", "name", "value", "unit", "numerator",
           "denominator")  # fmt: skip
EXTRA_COLUMNS = ("yoy", "mom", "reason", "basis")
CHECK_COLUMNS = ("region_code", "region_name", "level", "period", "indicator", "name", "comparator", "target",
                 "value", "unit", "status", "gap", "completion", "exact_value", "basis", "note")  # fmt: skip


def plain(value: Decimal | None) -> str:
    """An exact figure as a plain decimal string ('' when missing)."""
    return "" if value is None else f"{value:f}"


def regions_in_scope(data: Dataset, region: str | None, level: Level | None) -> list[str]:
    """Tree order (a county before its townships), limited to `region`'s subtree and to `level`."""
    roots = [region] if region else sorted(data.regions.roots())
    codes = [c for root in roots for c in (root, *data.regions.descendants(root))]
    return [c for c in codes if level is None or data.regions[c].level is level]


def indicator_rows(
    inputs: Inputs,
    period: Period,
    codes: list[str],
    ytd: bool = False,
    calc: Calculator | None = None,
    changes: bool = True,
) -> Iterator[dict[str, str]]:
    """`changes=False` leaves yoy/mom empty: the CSV contract has no such columns, so they are not computed."""
    data = inputs.dataset
    calc = calc or Calculator(data)
    rounding = data.rounding
    for code in codes:
        region = data.regions[code]
        for ind in inputs.indicators.values():
            result = calc.indicator(ind, code, period, ytd)
            yield {
                "region_code": code,
                "region_name": region.name,
                "level": region.level.name,
                "period": str(period),
                "indicator": ind.id,
                "name": ind.name,
                "value": "" if result.value is None else fmt_fixed(result.value, ind.decimals, rounding),
                "unit": ind.unit,
                "numerator": plain(result.numerator),
                "denominator": plain(result.denominator),
                "yoy": change(year_on_year(calc, ind, code, period, ytd), ind.decimals, rounding)
                if changes
                else "",
                "mom": change(period_on_period(calc, ind, code, period), ind.decimals, rounding)
                if changes and not ytd
                else "",
                "reason": result.reason or "",
                "basis": ind.basis,
            }


def fmt_gap(gap: Decimal, ind: IndicatorDef, rounding: Rounding) -> str:
    """差距 in the indicator's unit: 个百分点 for rates."""
    return f"{fmt_fixed(gap, ind.decimals, rounding)}{'个百分点' if ind.is_rate else ind.unit}"


def gap_text(result: TargetResult, rounding: Rounding) -> str:
    return "" if result.gap is None else fmt_gap(result.gap, result.target.indicator, rounding)


def result_rows(data: Dataset, results: list[TargetResult]) -> list[dict[str, str]]:
    rows = []
    for r in results:
        ind, region = r.target.indicator, data.regions[r.region]
        rows.append({
            "region_code": r.region,
            "region_name": region.name,
            "level": region.level.name,
            "period": str(r.period),
            "indicator": ind.id,
            "name": ind.name,
            "comparator": str(r.target.comparator),
            "target": f"{r.target.threshold:f}",
            "value": "" if r.value is None else fmt_fixed(r.value, ind.decimals, data.rounding),
            "unit": ind.unit,
            "status": str(r.status),
            "gap": gap_text(r, data.rounding),
            "completion": "" if r.completion is None else fmt_fixed(r.completion, 1, data.rounding) + "%",
            "exact_value": plain(r.value),
            "basis": r.target.basis,
            "note": r.note,
        })  # fmt: skip
    return rows
