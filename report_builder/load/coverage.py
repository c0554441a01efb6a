"""Zeros for the townships and villages a county's rosters list nobody in.

A roster lists people; a township with nobody on it has no rows, so counting alone gives it no figure at all —
its indicators would be blank and its county's sums, which need every child, would be unknown. Where the rosters
*cover* a county for a period, such a region has 0.

Covered means: for that period, the rosters count someone of the category in at least one region under the
county, so the county's people of that category are on the rosters. Coverage is per category group (农村低保;
特困): a folder with a 特困 roster alone covers no 农村低保. Under a covered county every township or village
gets 0 for the group's fields unless a roster counts someone of the group in it, in a region under it, or in
a region above it up to the county (people listed at a township may live in any of its villages: those stay
unknown); a 0 a roster gave already (a region listed for another category) stays as it is. Regions under a county no roster counts anyone in get nothing: zeros are never invented where there
are no rosters. A zero is a roster count like any other: where a fact table reports the same field for the
region and period, the two must agree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from decimal import Decimal

from report_builder.dataset import Fact
from report_builder.issues import Location
from report_builder.load.rosters import DIBAO_FIELDS, TEKUN_FIELDS
from report_builder.periods import Period
from report_builder.regions import Level, RegionTree

GROUPS = (DIBAO_FIELDS, TEKUN_FIELDS)

Counted = dict[tuple[str, Period], dict[str, Fact]]


def with_zeros(counted: Counted, regions: RegionTree, headers: Mapping[str, str]) -> Counted:
    """`counted` (the rosters' facts, as RosterTable.facts gives them) and a 0 for each field of a group in every
    region a covered county's rosters list nobody of the group in; each zero at a location naming the roster
    that covers the county (`headers`: field id → standard header)."""
    filled = {key: dict(row) for key, row in counted.items()}
    for group in GROUPS:
        listed: dict[Period, dict[str, Location]] = {}
        for (region, period), row in counted.items():
            if group[0] in row and row[group[0]].value:  # someone counted: a 0 holds nobody, below it too
                listed.setdefault(period, {})[region] = row[group[0]].cell
        for period, at in listed.items():
            marked = {a for code in at for a in (code, *regions.ancestors(code))}  # holding a count below
            for county in sorted(c for c in marked if regions[c].level is Level.县 and c not in at):
                roster = next(
                    cell.file for code, cell in sorted(at.items()) if county in regions.ancestors(code)
                )
                for code in _unlisted(county, regions, at.keys(), marked):
                    row = filled.setdefault((code, period), {})
                    for fid in group:
                        row.setdefault(
                            fid, Fact(Decimal(0), Location(roster, header=f"{headers[fid]}（名册汇总）"))
                        )
    return filled


def _unlisted(code: str, regions: RegionTree, counted: Collection[str], marked: set[str]) -> Iterator[str]:
    """The regions under `code` with no count in them, under them or above them up to `code`."""
    for child in regions.children_of(code):
        if child in counted:
            continue
        if child in marked:
            yield from _unlisted(child, regions, counted, marked)
        else:
            yield child
            yield from regions.descendants(child)
