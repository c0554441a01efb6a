"""Read regions.csv (代码,名称,上级代码[,层级]) into a `RegionTree`, reporting bad rows by line."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from report_builder.glyphs import missing_from_fonts
from report_builder.issues import Issue, IssueCode, Location
from report_builder.load.cells import clean_text, control_characters
from report_builder.load.readers import ReadFailed, read_sheets
from report_builder.regions import Level, Region, RegionTree, normalize_code

REGIONS_NAME = "regions.csv"
_COLUMNS = {
    "代码": "code",
    "区划代码": "code",
    "名称": "name",
    "上级代码": "parent",
    "上级区划代码": "parent",
    "层级": "level",
    "级别": "level",
}


def read_regions(data_dir: Path) -> Generator[Issue, None, RegionTree]:
    """Yield the problems of regions.csv; return the tree (empty when the file is unusable)."""
    path = data_dir / REGIONS_NAME
    if not path.exists():
        yield Issue.make(
            IssueCode.FILE_NOT_FOUND, Location(REGIONS_NAME), what="（数据目录中应有区划表 regions.csv）"
        )
        return RegionTree.build([])
    try:
        (sheet,) = read_sheets(path, REGIONS_NAME)
    except ReadFailed as failed:
        yield failed.issue
        return RegionTree.build([])
    header_row, header = sheet.rows[0]
    columns = {
        _COLUMNS[clean_text(h)]: i
        for i, h in enumerate(header)
        if h is not None and clean_text(h) in _COLUMNS
    }
    missing = [
        name
        for name, key in (("代码", "code"), ("名称", "name"), ("上级代码", "parent"))
        if key not in columns
    ]
    for name in missing:
        yield Issue.make(
            IssueCode.MISSING_COLUMN, Location(REGIONS_NAME, row=header_row), column=name, hint=""
        )
    if missing:
        return RegionTree.build([])
    regions: dict[str, Region] = {}
    for row, cells in sheet.rows[1:]:
        region = yield from _region(row, cells, columns, regions)
        if region is not None:
            regions[region.code] = region
    for r in regions.values():
        if r.parent is not None and r.parent not in regions:
            yield Issue.make(
                IssueCode.BAD_REGION_ROW,
                Location(REGIONS_NAME, row=r.row, header="上级代码"),
                why=f"上级代码“{r.parent}”不在 regions.csv 的代码列中",
            )
    return RegionTree.build(list(regions.values()))


def _region(
    row: int, cells: list[object], columns: dict[str, int], seen: dict[str, Region]
) -> Generator[Issue, None, Region | None]:
    def get(key: str) -> object:
        i = columns.get(key)
        return cells[i] if i is not None and i < len(cells) and cells[i] is not None else None

    if all(c is None for c in cells):
        return None
    code = normalize_code(get("code")) if get("code") is not None else ""
    name = clean_text(get("name")) if get("name") is not None else ""
    where = Location(REGIONS_NAME, row=row)
    if not code.isdigit() or len(code) not in (6, 9, 12):
        yield Issue.make(IssueCode.BAD_REGION_ROW, where, why=f"代码“{code}”应为6位或12位数字")
        return None
    if not name:
        yield Issue.make(IssueCode.BAD_REGION_ROW, where, why=f"代码 {code} 没有名称")
        return None
    yield from control_characters(name, Location(REGIONS_NAME, row=row, header="名称"))
    if code in seen:
        yield Issue.make(IssueCode.BAD_REGION_ROW, where, why=f"代码 {code} 重复，另见第{seen[code].row}行")
        return None
    parent = normalize_code(get("parent")) if get("parent") is not None else None
    try:
        level = Level.parse(clean_text(get("level"))) if get("level") is not None else Level.from_code(code)
    except ValueError as exc:
        yield Issue.make(IssueCode.BAD_REGION_ROW, where, why=exc)
        return None
    missing = missing_from_fonts(name)
    if missing:
        yield Issue.make(IssueCode.NO_FONT_HAS, where, what=f"名称“{name}”", chars=missing)
    return Region(code, name, parent or None, level, row)
