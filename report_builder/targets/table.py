"""Target results as rows for the terminal and for export."""

from __future__ import annotations

from decimal import Decimal

from report_builder.dataset import Dataset
from report_builder.indicators.definitions import IndicatorDef
from report_builder.indicators.table import plain
from report_builder.render.numbers import fmt_fixed
from report_builder.targets.check import TargetResult

CHECK_COLUMNS = ("region_code", "region_name", "level", "period", "indicator", "name", "comparator", "target",
                 "value", "unit", "status", "gap", "completion", "exact_value", "basis", "note")  # fmt: skip


def fmt_gap(gap: Decimal, ind: IndicatorDef, rounding: str) -> str:
    """差距 in the indicator's unit: 个百分点 for rates."""
    return f"{fmt_fixed(gap, ind.decimals, rounding)}{'个百分点' if ind.is_rate else ind.unit}"


def gap_text(result: TargetResult, rounding: str) -> str:
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
            "comparator": r.target.comparator,
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
