"""Target results as a template prints them: one line per result, the table of the regions below, and the
存在问题 list of misses, worst first.

Kept apart from the context so that what a template may print about targets is readable in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from report_builder.numbers import Rounding, fmt_fixed
from report_builder.report.rows import fmt_gap, gap_text
from report_builder.targets.check import Status, TargetResult


@dataclass(frozen=True)
class TargetLine:
    """A target result as a template prints it."""

    region: str
    region_code: str
    indicator: str
    name: str
    value: str
    number: str  # the value without its unit, for tables whose header carries the unit
    target: str  # ≥45张, for tables
    target_words: str  # 不低于45张, for prose
    status: str
    missed: bool
    gap: str
    shortfall: str  # how far from the target, without sign: 差1.5张 → "1.5张"
    completion: str
    basis: str
    note: str
    exact_gap: Decimal | None


def target_line(r: TargetResult, region: str, value: str, rounding: Rounding) -> TargetLine:
    """`value` is the figure as the report printed (and recorded) it; '—' when unknown."""
    ind = r.target.indicator
    threshold = f"{r.target.threshold:f}{ind.unit}"  # as handed down: ≥45张, not ≥45.0张
    comparator = r.target.comparator
    return TargetLine(
        region, r.region, ind.id, ind.name, value, value.removesuffix(ind.unit) if ind.unit else value,
        f"{comparator.sign}{threshold}", f"{comparator.words}{threshold}",
        str(r.status), r.status is not Status.MET, gap_text(r, rounding), shortfall(r, rounding),
        "" if r.completion is None else fmt_fixed(r.completion, 1, rounding) + "%",
        r.target.basis, r.note, r.gap,
    )  # fmt: skip


def shortfall(r: TargetResult, rounding: Rounding) -> str:
    return "" if r.gap is None else fmt_gap(abs(r.gap), r.target.indicator, rounding)


@dataclass(frozen=True)
class Problem:
    """One target with misses: the region's own result and the regions below it that miss, worst first."""

    name: str
    target: str
    own: TargetLine | None
    misses: tuple[TargetLine, ...]
    checked: int

    @property
    def miss_list(self) -> str:
        """白云乡43.1张（差1.9张）、石桥镇43.5张（差1.5张）"""
        return "、".join(f"{m.region}{m.value}（差{m.shortfall}）" for m in self.misses)


@dataclass(frozen=True)
class TownTable:
    """Regions as rows, targeted indicators as columns; a cell is a TargetLine (value, missed)."""

    columns: tuple[tuple[str, str], ...]  # (indicator name, target)
    rows: tuple[tuple[str, tuple[TargetLine | None, ...]], ...]


def town_table(lines: list[TargetLine]) -> TownTable:
    columns = tuple(dict.fromkeys((t.name, t.target) for t in lines))
    regions = dict.fromkeys(t.region for t in lines)
    cell = {(t.region, t.name): t for t in lines}
    rows = tuple((r, tuple(cell.get((r, name)) for name, _ in columns)) for r in regions)
    return TownTable(columns, rows)


def problems(own: list[TargetLine], below: list[TargetLine]) -> list[Problem]:
    out = []
    for name in dict.fromkeys(t.name for t in own + below):
        mine = next((t for t in own if t.name == name), None)
        under = [t for t in below if t.name == name]
        misses = sorted(
            (t for t in under if t.missed and t.exact_gap is not None), key=_shortfall, reverse=True
        )
        if (mine and mine.missed) or misses:
            out.append(Problem(name, (mine or under[0]).target, mine, tuple(misses), len(under)))
    return out


def _shortfall(t: TargetLine) -> Decimal:
    return abs(t.exact_gap or Decimal(0))
