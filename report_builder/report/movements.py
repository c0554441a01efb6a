"""新增 / 退出 as a report prints them: for each category the rosters list in both the report's period and the
one before it, the households and persons added and exited in the report's region, with the exit reasons.

The figures are those `report-builder changes --from P-1 --to P` prints (`changes_between`, the same code path),
summed over the townships in the region: a person who moved between two of them is counted as exited from one
and added to the other, as the townships' rolls record it. Every figure is recorded in the ledger. The sentence
is worded here, once, so that no clause is left empty: no exits → 无退出, one reason → 均因…, no 其中 over
nothing. A folder without rosters, or without anyone listed in the period before, gives no movements at all.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from report_builder.indicators.changes import UNSTATED, Between, changes_between
from report_builder.issues import Location
from report_builder.load import Inputs
from report_builder.load.roster_db import Source
from report_builder.load.rosters import Category
from report_builder.numbers import Rounding, fmt_count
from report_builder.periods import Period
from report_builder.regions import RegionTree
from report_builder.report.ledger import Ledger, Printed

# How a report names the people of a category, and the id its figures carry in the ledger.
_WHO = {
    Category.URBAN_DIBAO: ("城市低保对象", "urban_dibao"),
    Category.RURAL_DIBAO: ("农村低保对象", "rural_dibao"),
    Category.TEKUN: ("特困人员", "tekun"),
}
_OTHER = "其他"  # a reason offices write as it is: 因其他原因退出


@dataclass(frozen=True)
class Movement:
    """One category's 新增 / 退出 in the report's region. `added` and `exited` are printed counts ("12户30人";
    persons alone for 特困, whose households are single persons, or where no household came or went whole),
    "" for none; `reasons` the persons exited per reason ("收入超标", "8人"), most frequent first, 其他 and
    未注明 last; `sentence` all of it, without the time word a template puts before it (本季度…). Its figures
    go into the ledger when a template prints any of them, in the order the report prints figures."""

    category: str
    who: str
    _added: str
    _exited: str
    _reasons: tuple[tuple[str, str], ...]
    _figures: tuple[Printed, ...]
    _ledger: Ledger

    def _printed(self) -> None:
        for figure in self._figures:
            self._ledger.add(figure)

    @property
    def added(self) -> str:
        self._printed()
        return self._added

    @property
    def exited(self) -> str:
        self._printed()
        return self._exited

    @property
    def reasons(self) -> tuple[tuple[str, str], ...]:
        self._printed()
        return self._reasons

    @property
    def sentence(self) -> str:
        self._printed()
        return _sentence(self.who, self._added, self._exited, self._reasons)


class Movements(Sequence[Movement]):
    """A report's movements (`movements` in a template), compared when a template first looks at them: a
    template that never does (the yearbook) costs no reading of the rosters."""

    def __init__(self, inputs: Inputs, code: str, period: Period, ledger: Ledger, rounding: Rounding) -> None:
        self._args = (inputs, code, period, ledger, rounding)

    @functools.cached_property
    def _found(self) -> list[Movement]:
        return roster_movements(*self._args)

    @overload
    def __getitem__(self, index: int) -> Movement: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Movement]: ...
    def __getitem__(self, index: int | slice) -> Movement | Sequence[Movement]:
        return self._found[index]

    def __len__(self) -> int:
        return len(self._found)


# The last comparisons made in this process, by the identity of the folder's rosters (held here, so the identity
# is not reused) and the two periods: a batch builds every region of one folder in one worker, and compares the
# rosters once, not once a region.
_COMPARED: dict[tuple[int, Period, Period], tuple[tuple[Source, ...], Between | None]] = {}
_KEEP = 4


def _between(
    rosters: tuple[Source, ...], regions: RegionTree, before: Period, after: Period
) -> Between | None:
    key = (id(rosters), before, after)
    held = _COMPARED.get(key)
    if held is not None and held[0] is rosters:
        return held[1]
    try:
        found = changes_between(rosters, regions, before, after)
    except ValueError:  # nobody listed in one of the two periods
        found = None
    if len(_COMPARED) >= _KEEP:
        _COMPARED.pop(next(iter(_COMPARED)))
    _COMPARED[key] = (rosters, found)
    return found


def roster_movements(
    inputs: Inputs, code: str, period: Period, ledger: Ledger, rounding: Rounding
) -> list[Movement]:
    """The movements of `code` from the period before `period` to it, in category order; [] without rosters
    for both periods."""
    if not inputs.rosters:
        return []
    regions = inputs.dataset.regions
    between = _between(inputs.rosters, regions, period.previous(), period)
    if between is None:
        return []
    scope = {code, *regions.descendants(code)}
    totals: dict[str, Counter[str]] = {}
    reasons: dict[str, Counter[str]] = {}
    for c in between.changes:
        if c.region in scope and c.category in between.categories:
            totals.setdefault(c.category, Counter()).update(
                households_added=c.households_added,
                persons_added=c.persons_added,
                households_exited=c.households_exited,
                persons_exited=c.persons_exited,
            )
            reasons.setdefault(c.category, Counter()).update(dict(c.reasons))
    sources = tuple(str(Location(s.name, s.sheet)) for s in inputs.rosters)
    return [
        _movement(category, totals[category.value], reasons[category.value], _Where(code, period, sources),
                  ledger, rounding)
        for category in Category
        if category.value in totals
    ]  # fmt: skip


@dataclass(frozen=True)
class _Where:
    """What every figure of a region's movements records besides itself: the region, the period and the
    rosters they were counted from."""

    code: str
    period: Period
    sources: tuple[str, ...]


def _movement(category: Category, totals: Counter[str], reasons: Counter[str], where: _Where, ledger: Ledger,
              rounding: Rounding) -> Movement:  # fmt: skip
    who, key = _WHO[category]
    before = where.period.previous()
    figures: list[Printed] = []

    def shown(figure: str, name: str, kind: str, n: int, unit: str) -> str:
        text = fmt_count(n, rounding) + unit
        printed = Printed(f"roster.{key}.{figure}", name, where.code, str(where.period), kind, text, str(n),
                          where.sources)  # fmt: skip
        figures.append(printed)
        return text

    words = {}
    for way, label in (("added", "新增"), ("exited", "退出")):
        households, persons, kind = (
            totals[f"households_{way}"],
            totals[f"persons_{way}"],
            f"较{before}{label}",
        )
        text = ""
        if households and category is not Category.TEKUN:
            text = shown(f"households_{way}", f"{label}{who}户数", kind, households, "户")
        if persons:
            text += shown(f"persons_{way}", f"{label}{who}人数", kind, persons, "人")
        words[way] = text
    ordered = sorted(
        reasons.items(),
        key=lambda item: (item[0] in (_OTHER, UNSTATED), item[0] == UNSTATED, -item[1], item[0]),
    )
    why = tuple(
        (r, shown("persons_exited", f"{_clause(r)}{who}人数", f"较{before}退出·{r}", n, "人"))
        for r, n in ordered
    )
    return Movement(category.value, who, words["added"], words["exited"], why, tuple(figures), ledger)


def _sentence(who: str, added: str, exited: str, reasons: tuple[tuple[str, str], ...]) -> str:
    """新增农村低保对象12户30人，退出10户25人，其中因收入超标退出8人、因死亡退出5人…。"""
    if not added and not exited:
        return f"{who}无新增和退出。"
    head = f"新增{who}{added}" if added else f"未新增{who}"
    if not exited:
        return f"{head}，无退出。"
    return f"{head}，退出{exited}{_why(reasons)}。"


def _why(reasons: tuple[tuple[str, str], ...]) -> str:
    if len(reasons) == 1:
        reason = reasons[0][0]
        return "，均未注明原因" if reason == UNSTATED else f"，均因{_cause(reason)}"
    return "，其中" + "、".join(_clause(r) + n for r, n in reasons)


def _clause(reason: str) -> str:
    """因收入超标退出 / 因其他原因退出 / 未注明原因, before a count."""
    return "未注明原因" if reason == UNSTATED else f"因{_cause(reason)}退出"


def _cause(reason: str) -> str:
    return "其他原因" if reason == _OTHER else reason
