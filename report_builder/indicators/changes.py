"""新增 / 退出 between two periods, from the rosters: per township and category, the households and persons on
the later roster and not on the earlier one (added) and the reverse (exited), with the exit reasons the later
period's exit rows give (未注明 for a person who simply is no longer listed)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from report_builder.load.roster_db import RosterTable, Source
from report_builder.load.rosters import Person, township_of
from report_builder.periods import Period
from report_builder.regions import RegionTree

UNSTATED = "未注明"


@dataclass(frozen=True)
class Change:
    region: str
    category: str
    households_added: int
    persons_added: int
    households_exited: int
    persons_exited: int
    reasons: tuple[tuple[str, int], ...]  # most frequent first


class Between(NamedTuple):
    """The changes between two periods, and the categories (保障类别) someone is listed in in both: a category
    whose roster is missing for one of them would show everyone added or everyone exited."""

    changes: list[Change]
    categories: frozenset[str]


def changes_between(sources: Iterable[Source], regions: RegionTree, before: Period, after: Period) -> Between:
    """What `report-builder changes` prints and the quarterly report's 新增/退出 sentence sums: the folder's
    rosters (`Inputs.rosters`) opened once more, their two periods compared. Raises ValueError as
    `roster_changes` does."""
    people = RosterTable(sources, regions).people((before, after))
    found = roster_changes(people, regions, before, after)
    listed = [
        {p.category.value for p in people if p.period == period and p.exit_reason is None}
        for period in (before, after)
    ]
    return Between(found, frozenset(listed[0] & listed[1]))


def roster_changes(
    people: Iterable[Person], regions: RegionTree, before: Period, after: Period
) -> list[Change]:
    """Raises ValueError when the rosters hold nobody in one of the two periods."""
    listed: dict[Period, dict[tuple[str, str], dict[str, str]]] = {before: {}, after: {}}
    reasons: dict[str, str] = {}
    for person in people:
        if person.period == after and person.exit_reason is not None:
            reasons[person.id] = person.exit_reason
        elif person.period in listed and person.exit_reason is None:
            group = listed[person.period].setdefault(_group(person, regions), {})
            group[person.id] = person.household
    for period, groups in listed.items():
        if not groups:
            raise ValueError(f"花名册中没有 {period} 的人员")
    changes = []
    for key in sorted(listed[before].keys() | listed[after].keys()):
        old, new = listed[before].get(key, {}), listed[after].get(key, {})
        gone = old.keys() - new.keys()
        counted = Counter(reasons.get(i, UNSTATED) for i in gone)
        changes.append(
            Change(
                *key,
                households_added=len(set(new.values()) - set(old.values())),
                persons_added=len(new.keys() - old.keys()),
                households_exited=len(set(old.values()) - set(new.values())),
                persons_exited=len(gone),
                reasons=tuple(sorted(counted.items(), key=lambda item: (-item[1], item[0]))),
            )
        )
    return changes


def _group(person: Person, regions: RegionTree) -> tuple[str, str]:
    return township_of(person.region, regions), person.category.value
