"""The target check: each target against each region it covers, on exact values.

Status is decided on the exact value, never on the rounded one: 44.96 is shown as 45.0 but misses ≥ 45, and
the note says so. The gap is in the indicator's unit (个百分点 for rates); task targets (counts to reach) also
get a 完成率.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from report_builder.dataset import Dataset
from report_builder.definitions import Target
from report_builder.indicators.compute import Calculator
from report_builder.numbers import fmt_fixed, rounded
from report_builder.periods import Period


class Status(StrEnum):
    MET = "达标"
    MISSED = "未达标"
    UNKNOWN = "无法判断"


@dataclass(frozen=True)
class TargetResult:
    target: Target
    region: str
    period: Period
    value: Decimal | None
    status: Status
    gap: Decimal | None  # value − threshold, in the indicator's unit
    completion: Decimal | None  # 完成率 in %, task targets only
    note: str


def check_targets(
    data: Dataset,
    targets: Iterable[Target],
    period: Period,
    calc: Calculator | None = None,
    within: set[str] | None = None,
) -> list[TargetResult]:
    """Results for every target that applies to `period` (for the regions `within`, when given); the most specific
    target wins per indicator and region."""
    calc = calc or Calculator(data)
    chosen: dict[tuple[str, str], Target] = {}
    for target in targets:
        if not target.applies_to(period):
            continue
        for code in _region_codes(data, target, period):
            if within is not None and code not in within:
                continue
            key = (target.indicator.id, code)
            if key not in chosen or target.specificity > chosen[key].specificity:
                chosen[key] = target
    return [_result(data, calc, t, code, period) for (_, code), t in chosen.items()]


def _region_codes(data: Dataset, target: Target, period: Period) -> list[str]:
    """The regions the target names; a wildcard skips regions the data do not cover at all."""
    codes = target.regions.codes(data.regions)
    if not target.regions.children:
        return list(codes)
    return [code for code in codes if data.covers(code, period)]


def _result(data: Dataset, calc: Calculator, target: Target, code: str, period: Period) -> TargetResult:
    ind = target.indicator
    value = calc.indicator(ind, code, period)
    if value.value is None:
        return TargetResult(target, code, period, None, Status.UNKNOWN, None, None, value.reason or "")
    gap = value.value - target.threshold
    met = target.comparator.test(value.value, target.threshold)
    completion = value.value * 100 / target.threshold if target.is_task and target.threshold else None
    note = ""
    shown = rounded(value.value, ind.decimals, data.rounding)
    if not met and target.comparator.test(shown, target.threshold):
        exact = fmt_fixed(value.value, ind.decimals + 2, data.rounding)
        note = f"精确值{exact}{ind.unit}，显示为{shown:f}{ind.unit}，按精确值未达到{target.comparator}{target.threshold}"
    return TargetResult(
        target, code, period, value.value, Status.MET if met else Status.MISSED, gap, completion, note
    )
