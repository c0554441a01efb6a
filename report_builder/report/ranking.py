"""The ranking of regions on the targets handed down: per target, the regions from the worst to the best.

One computation for every place a ranking is printed — the 目标完成情况 sheet of 汇总.xlsx and the 通报 — so the
two can never disagree. The records are target lines (the figures as the county reports print them) with a rank.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

from report_builder.dataset import Dataset
from report_builder.definitions import Target
from report_builder.report.context import shown
from report_builder.report.target_lines import TargetLine, target_line
from report_builder.targets.check import Status, TargetResult


@dataclass(frozen=True)
class Ranked(TargetLine):
    """A target line with its rank within the level: 1 is the best, ties share a rank, None without a value."""

    rank: int | None = None


@dataclass(frozen=True)
class Ranking:
    """One target's regions, worst first: those without a value first and unranked, then by value."""

    name: str  # the indicator's name
    target: str  # ≥5%
    target_words: str  # 不低于5%
    lines: tuple[Ranked, ...]

    @property
    def met(self) -> tuple[Ranked, ...]:
        return tuple(t for t in self.lines if not t.missed)

    @property
    def misses(self) -> tuple[Ranked, ...]:
        """Regions with a value that miss the target, worst first."""
        return tuple(t for t in self.lines if t.status == Status.MISSED)

    @property
    def unknown(self) -> tuple[Ranked, ...]:
        """Regions the data give no value for: 无法判断, not ranked."""
        return tuple(t for t in self.lines if t.status == Status.UNKNOWN)


def rank(results: list[TargetResult], data: Dataset) -> list[Ranking]:
    """Per target (in the order the results first name them), the regions from the worst to the best; the rank
    counts from the best (1), ties share a rank, a region without a value comes first and unranked."""
    by_target: dict[Target, list[TargetResult]] = {}
    for r in results:
        by_target.setdefault(r.target, []).append(r)
    rankings = []
    for target, group in by_target.items():
        ind, more = target.indicator, target.comparator.wants_more
        known = [r for r in group if r.value is not None]
        worst_first = sorted(known, key=lambda r: r.value, reverse=not more)  # type: ignore[arg-type,return-value]
        lines = []
        for r in [*(r for r in group if r.value is None), *worst_first]:
            better = (
                sum((o.value > r.value) if more else (o.value < r.value) for o in known)  # type: ignore[operator]
                if r.value is not None
                else None
            )
            line = target_line(
                r, data.regions[r.region].name, shown(ind, r.value, data.rounding), data.rounding
            )
            lines.append(Ranked(*astuple(line), rank=None if better is None else better + 1))
        first = lines[0]
        rankings.append(Ranking(ind.name, first.target, first.target_words, tuple(lines)))
    return rankings
