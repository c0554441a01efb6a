"""Indicator results as rows for export: one row per region and indicator, the contract columns first."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from report_builder.dataset import Dataset
from report_builder.indicators.compare import period_on_period, year_on_year
from report_builder.indicators.compute import Calculator
from report_builder.periods import Period
from report_builder.regions import Level
from report_builder.render.numbers import fmt_fixed

COLUMNS = ("region_code", "region_name", "level", "period", "indicator", "name", "value", "unit", "numerator",
           "denominator")  # fmt: skip
EXTRA_COLUMNS = ("yoy", "mom", "reason", "basis")


def plain(value: Decimal | None) -> str:
    """An exact figure as a plain decimal string ('' when missing)."""
    return "" if value is None else f"{value:f}"


def regions_in_scope(data: Dataset, region: str | None, level: Level | None) -> list[str]:
    """Tree order (a county before its townships), limited to `region`'s subtree and to `level`."""
    roots = [region] if region else sorted(data.regions.roots())
    codes = [c for root in roots for c in (root, *data.regions.descendants(root))]
    return [c for c in codes if level is None or data.regions[c].level is level]


def indicator_rows(
    data: Dataset,
    period: Period,
    codes: list[str],
    ytd: bool = False,
    calc: Calculator | None = None,
    changes: bool = True,
) -> Iterator[dict[str, str]]:
    """`changes=False` leaves yoy/mom empty: the CSV contract has no such columns, so they are not computed."""
    calc = calc or Calculator(data)
    for code in codes:
        region = data.regions[code]
        for ind in data.indicators.values():
            result = calc.indicator(ind, code, period, ytd)
            yield {
                "region_code": code,
                "region_name": region.name,
                "level": region.level.name,
                "period": str(period),
                "indicator": ind.id,
                "name": ind.name,
                "value": "" if result.value is None else fmt_fixed(result.value, ind.decimals, data.rounding),
                "unit": ind.unit,
                "numerator": plain(result.numerator),
                "denominator": plain(result.denominator),
                "yoy": year_on_year(calc, ind, code, period, ytd).words(ind.decimals, data.rounding)
                if changes
                else "",
                "mom": period_on_period(calc, ind, code, period).words(ind.decimals, data.rounding)
                if changes and not ytd
                else "",
                "reason": result.reason or "",
                "basis": ind.basis,
            }
