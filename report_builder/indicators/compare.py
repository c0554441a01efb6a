"""同比 and 环比: how a figure moved against the same period a year earlier or the period before.

A count (or any non-share indicator) moves by a growth rate; a rate moves by a difference in 个百分点. A missing
comparison period is said, never invented. Only numbers come out: the words (增长3.2%, 提高0.12个百分点, 持平)
are the report's `change` filter, so the computation never depends on how it is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from report_builder.definitions import IndicatorDef
from report_builder.indicators.compute import Calculator, IndicatorValue
from report_builder.periods import Period


@dataclass(frozen=True)
class Change:
    """`amount` is 个百分点 when `in_points`, else a growth rate in %; None with a reason when unknown."""

    base_period: Period
    current: Decimal | None
    base: Decimal | None
    amount: Decimal | None
    in_points: bool
    reason: str | None = None


def change(current: IndicatorValue, base: IndicatorValue, ind: IndicatorDef) -> Change:
    label = base.period.label
    if current.value is None:
        return Change(base.period, None, base.value, None, ind.is_rate, current.reason)
    if base.value is None:
        return Change(base.period, current.value, None, None, ind.is_rate, f"缺少{label}数据：{base.reason}")
    if ind.is_rate:
        return Change(base.period, current.value, base.value, current.value - base.value, True)
    if base.value == 0:
        return Change(base.period, current.value, base.value, None, False, f"{label}为0，增速无意义")
    growth = (current.value - base.value) * 100 / base.value
    return Change(base.period, current.value, base.value, growth, False)


def year_on_year(calc: Calculator, ind: IndicatorDef, code: str, period: Period, ytd: bool = False) -> Change:
    """同比: against the same period a year earlier."""
    current = calc.indicator(ind, code, period, ytd)
    return change(current, calc.indicator(ind, code, period.year_earlier(), ytd), ind)


def period_on_period(calc: Calculator, ind: IndicatorDef, code: str, period: Period) -> Change:
    """环比: against the period just before."""
    return change(calc.indicator(ind, code, period), calc.indicator(ind, code, period.previous()), ind)
