"""Targets handed down (targets.csv): 指标,比较,目标值,区划代码,期间,依据.

指标 is an indicator or field, by id or Chinese name. 区划代码 is one code, `*` for every region, or `CODE*` for
the regions directly under CODE. 期间 is a period or a year; a year's target applies to each period inside it.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from pathlib import Path

from report_builder.definitions import Comparator, IndicatorDef, Target, field_as_indicator
from report_builder.fields import FieldRegistry
from report_builder.issues import Issue, IssueCode, Location
from report_builder.load.cells import clean_text, control_characters, parse_number
from report_builder.load.readers import RawSheet, ReadFailed, read_sheets
from report_builder.periods import Period
from report_builder.regions import RegionScope, RegionTree

TARGETS_NAME = "targets.csv"
COLUMNS = ("指标", "比较", "目标值", "区划代码", "期间", "依据")


def read_targets(
    path: Path, indicators: Mapping[str, IndicatorDef], registry: FieldRegistry, regions: RegionTree
) -> Generator[Issue, None, tuple[Target, ...]]:
    """Yield the problems of the targets file; return the valid targets."""
    name = path.name
    if not path.is_file():
        yield Issue.make(IssueCode.FILE_NOT_FOUND, Location(name), what="（目标文件）")
        return ()
    try:
        (sheet, *_) = read_sheets(path, name)
    except ReadFailed as failed:
        yield failed.issue
        return ()
    header_row, header = sheet.rows[0]
    index = {clean_text(h): i for i, h in enumerate(header) if h is not None}
    missing = [c for c in COLUMNS[:5] if c not in index]
    for column in missing:
        yield Issue.make(IssueCode.MISSING_COLUMN, sheet.location(header_row), column=column, hint="")
    if missing:
        return ()
    known = _indicators_by_name(indicators, registry)
    targets = []
    for row, cells in sheet.rows[1:]:
        if any(c is not None for c in cells):
            target = yield from _target(sheet, row, cells, index, known, regions)
            if target is not None:
                targets.append(target)
    return tuple(targets)


def _indicators_by_name(
    indicators: Mapping[str, IndicatorDef], registry: FieldRegistry
) -> dict[str, IndicatorDef]:
    """What 指标 may say: an indicator's id or name, else a field's id or header (indicators win a clash)."""
    fields = {fid: field_as_indicator(registry, fid) for fid in registry.fields}
    known = {**fields, **{header: fields[fid] for header, fid in registry.field_headers.items()}}
    for ind in indicators.values():
        known[ind.id] = known[ind.name] = ind
    return known


def _target(
    sheet: RawSheet,
    row: int,
    cells: list[object],
    index: dict[str, int],
    known: Mapping[str, IndicatorDef],
    regions: RegionTree,
) -> Generator[Issue, None, Target | None]:
    def cell(column: str) -> str:
        i = index.get(column)
        return clean_text(cells[i]) if i is not None and i < len(cells) and cells[i] is not None else ""

    def bad(column: str, why: str) -> Issue:
        return Issue.make(IssueCode.BAD_TARGET, sheet.location(row, index[column] + 1, column), why=why)

    problems = []
    indicator = known.get(cell("指标"))
    if indicator is None:
        problems.append(bad("指标", f"“{cell('指标')}”不是已知的指标或字段"))
    try:
        comparator = Comparator.parse(cell("比较"))
    except ValueError as exc:
        problems.append(bad("比较", str(exc)))
    try:
        threshold = parse_number(cell("目标值").removesuffix("%").removesuffix("‰"))
    except ValueError:
        threshold = None
    if threshold is None:
        problems.append(bad("目标值", f"“{cell('目标值')}”应为数字"))
    scope = RegionScope.parse(cell("区划代码"))
    if scope.code is not None and scope.code not in regions:
        problems.append(bad("区划代码", f"“{scope}”不在 regions.csv 中"))
    try:
        period = Period.parse(cell("期间"))
    except ValueError as exc:
        problems.append(bad("期间", str(exc)))
    if "依据" in index:
        problems.extend(control_characters(cell("依据"), sheet.location(row, index["依据"] + 1, "依据")))
    yield from problems
    if problems:
        return None
    return Target(indicator, comparator, threshold, scope, period, cell("依据"), sheet.location(row))  # type: ignore[arg-type]
