"""Which region an error in the data belongs to, so that a batch fails that region alone and builds the rest.

A city checking its counties must not lose 129 reports to one county's township table that does not add up; it
must not get a report built on that county's wrong figures either. So an error is placed where it can be placed
with certainty, and everything else stops the whole batch as before:
- an error at a row of a fact table or a roster (a cell that is not a number, a row given twice, a county row that differs
  from its townships' sum) belongs to the region of that row;
- an error about a whole file or a row without a usable region (an unreadable workbook, a 合计 row that does not
  add up) belongs to the region the file's path names — `990123-示例县/乡镇.xlsx` — when the path names one;
- an error in regions.csv, targets.csv, the indicator definitions or config.toml, or in a file whose path names
  no region, is placed nowhere.
A region is then refused when an error sits anywhere on its line of the tree — itself, a region under it, or
one above it, whose figures it is compared with or that is summed from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

from report_builder.issues import Issue
from report_builder.regions import RegionTree

_CODE = re.compile(r"(?<!\d)(\d{12}|\d{9}|\d{6})(?!\d)")

Placed = Mapping[str, tuple[Issue, ...]]


def attribute(
    errors: Iterable[Issue],
    rows: Mapping[tuple[str, str | None, int | None], str],
    regions: RegionTree,
    not_facts: frozenset[str],
) -> tuple[Placed, tuple[Issue, ...]]:
    """The errors by the region they belong to, and those that belong to none. `rows` gives the region of each
    row read (file, sheet, row: a fact table's record, a roster's person); `not_facts` are the folder's files
    that hold no facts, whose path says nothing about a region."""
    by_path: dict[str, str | None] = {}
    placed: dict[str, list[Issue]] = {}
    unplaced: list[Issue] = []
    for issue in errors:
        where = issue.location
        code = rows.get((where.file, where.sheet, where.row))
        if code is None and where.file not in not_facts:
            if where.file not in by_path:
                by_path[where.file] = region_named_by(where.file, regions)
            code = by_path[where.file]
        if code is None:
            unplaced.append(issue)
        else:
            placed.setdefault(code, []).append(issue)
    return {code: tuple(found) for code, found in placed.items()}, tuple(unplaced)


def region_named_by(path: str, regions: RegionTree) -> str | None:
    """The region a file's path names by code or by name. When several are named, the one most of the others lie
    above (`示例县/青山镇.xlsx`: the 青山镇 of 示例县, not a 青山镇 elsewhere); when that is still not one, the
    region above all of them; None when the path names none, or names regions with nothing above in common."""
    text = "/".join(PurePosixPath(path).with_suffix("").parts)
    named = {c for c in _CODE.findall(text) if c in regions}
    named.update(code for code, region in regions.regions.items() if region.name and region.name in text)
    if not named:
        return None
    support = {c: sum(1 for a in (c, *regions.ancestors(c)) if a in named) for c in named}
    best = max(support.values())
    return regions.common_ancestor([c for c, n in support.items() if n == best])


def on_the_line(code: str, placed: Placed, regions: RegionTree) -> tuple[Issue, ...]:
    """The errors that refuse `code`: its own, those of the regions under it and of the regions above it."""
    line = (code, *regions.ancestors(code), *regions.descendants(code))
    return tuple(issue for c in line for issue in placed.get(c, ()))
