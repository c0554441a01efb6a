"""A figure against its target: "集中供养率达到65.3%，完成目标任务62%的103%" — the share completed is the figure
over the target printed before 的 (or before 目标任务的: "完成148元目标任务的122%"), at the printed precision.

The figure is the one printed right before 完成…任务 in the same sentence and unit; where several targets follow
one another ("人均月补助分别达到193.26元和88.78元，完成目标任务170元的113.7%、72元的123%"), the figures are the
分别 list before them, in order. A target without a printed figure (完成市政府下达全年任务的184%) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from report_builder.audit.findings import Finding, Interval, Kind, finding
from report_builder.audit.passage import Passage, is_rate
from report_builder.audit.quantities import Quantity

# the target after 目标任务 (完成目标任务62%的103%) or before it (完成148元目标任务的122%)
_TARGET = re.compile(r"完成(?:了)?(?:(?:年度?|全年|全年度)?(?:目标)?任务)?$")
_NAMED = re.compile(r"任务$")
_OF = re.compile(r"(?:(?:年度?|全年)?目标任务|任务)?的")
_NEXT_TARGET = re.compile(r"^[、，]$")


def check_completion(passage: Passage) -> Iterator[Finding]:
    for index in range(len(passage.paragraph.sentences)):
        quantities = passage.in_sentence(index)
        for at, first in enumerate(quantities):
            if not _TARGET.search(first.lead):
                continue
            pairs = _targets(passage, quantities, at)
            figures = quantities[max(0, at - len(pairs)) : at]
            if (
                not pairs
                or len(figures) != len(pairs)
                or not _just_before(passage.text(first), figures[-1], first)
            ):
                continue
            if len(pairs) > 1 and "分别" not in figures[0].clause:
                continue  # several targets need a figure each, said to be in order
            for figure, (target, share) in zip(figures, pairs, strict=True):
                if figure.unit == target.unit and not figure.change and is_rate(figure) == is_rate(target):
                    yield from _share(passage, figure, target, share)


def _just_before(text: str, figure: Quantity, target: Quantity) -> bool:
    """The figure stands in the clause right before 完成…任务, and is no 其中 part of another one."""
    between = text[figure.end : target.start]
    return between.count("，") <= 1 and not re.search("[；：]", between) and "其中" not in figure.clause


def _targets(passage: Passage, quantities: list[Quantity], at: int) -> list[tuple[Quantity, Quantity]]:
    """The (target, share) pairs from `at` on: "170元的113.7%、72元的123%"."""
    text = passage.text(quantities[at])
    pairs: list[tuple[Quantity, Quantity]] = []
    while at + 1 < len(quantities):
        target, share = quantities[at], quantities[at + 1]
        of = _OF.fullmatch(text, target.end, share.start)
        named = pairs or _NAMED.search(target.lead) or (of and "任务" in of[0])  # the first says 任务
        if share.unit != "%" or of is None or not named:
            break
        pairs.append((target, share))
        at += 2
        if at >= len(quantities) or not _NEXT_TARGET.match(text[share.end : quantities[at].start]):
            break
    return pairs


def _share(passage: Passage, figure: Quantity, target: Quantity, share: Quantity) -> Iterator[Finding]:
    ratio = Interval.of(figure) / Interval.of(target)
    if ratio is None:
        return  # a target of zero: no share to check
    scaled = ratio.scale(Decimal(100))
    computed = f"{figure.printed}÷{target.printed} = {share.show(scaled.mid)}"
    shown = f"完成目标{target.printed}的{share.printed}"
    yield finding(Kind.RATE, passage.sentence(share), share, shown, computed, scaled.meets_cut(share))
