"""Targets handed down (targets.csv): 指标,比较,目标值,区划代码,期间,依据.

指标 is an indicator or field, by id or Chinese name. 区划代码 is one code, `*` for every region, or `CODE*` for
the regions directly under CODE. 期间 is a period or a year; a year's target applies to each period inside it.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from report_builder.dataset import Dataset
from report_builder.indicators.definitions import IndicatorDef, field_as_indicator
from report_builder.issues import Issue, IssueCode, Location
from report_builder.load.numbers import clean_text, parse_number
from report_builder.load.readers import RawSheet, ReadFailed, read_sheets
from report_builder.periods import Period
from report_builder.regions import normalize_code

COMPARATORS = {
    ">=": ">=", "≥": ">=", "不低于": ">=", "不少于": ">=", "达到": ">=", "至少": ">=",
    "<=": "<=", "≤": "<=", "不高于": "<=", "不超过": "<=", "不多于": "<=", "至多": "<=",
    "=": "=", "==": "=", "等于": "=",
    ">": ">", "高于": ">", "多于": ">", "超过": ">",
    "<": "<", "低于": "<", "少于": "<",
}  # fmt: skip
COLUMNS = ("指标", "比较", "目标值", "区划代码", "期间", "依据")


@dataclass(frozen=True)
class Target:
    indicator: IndicatorDef
    comparator: str
    threshold: Decimal
    regions: str  # a code, "*" or "CODE*"
    period: Period
    basis: str
    location: Location

    @property
    def is_task(self) -> bool:
        """A count to reach (乡镇级养老服务中心 4 个): its result also has a 完成率."""
        return not self.indicator.denominator and self.comparator in (">=", ">")

    def applies_to(self, period: Period) -> bool:
        return self.period == period or self.period.contains(period)

    def region_codes(self, data: Dataset, period: Period) -> list[str]:
        """The regions the target names; a wildcard skips regions the data do not cover at all."""
        if not self.regions.endswith("*"):
            return [self.regions]
        codes = data.regions.regions if self.regions == "*" else data.regions.children_of(self.regions[:-1])
        return [code for code in codes if data.covers(code, period)]


def read_targets(path: Path, data: Dataset) -> Iterator[Issue | list[Target]]:
    """Yield the problems of the targets file, then the valid targets."""
    name = path.name
    try:
        (sheet, *_) = read_sheets(path, name)
    except FileNotFoundError:
        yield Issue.make(IssueCode.FILE_NOT_FOUND, Location(name), what="（目标文件）")
        yield []
        return
    except ReadFailed as failed:
        yield failed.issue
        yield []
        return
    header_row, header = sheet.rows[0]
    index = {clean_text(h): i for i, h in enumerate(header) if h is not None}
    missing = [c for c in COLUMNS[:5] if c not in index]
    for column in missing:
        yield Issue.make(IssueCode.MISSING_COLUMN, sheet.location(header_row), column=column, hint="")
    if missing:
        yield []
        return
    targets = []
    for row, cells in sheet.rows[1:]:
        if any(c is not None for c in cells):
            target = yield from _target(sheet, row, cells, index, data)
            if target is not None:
                targets.append(target)
    yield targets


def _target(
    sheet: RawSheet, row: int, cells: list[object], index: dict[str, int], data: Dataset
) -> Generator[Issue, None, Target | None]:
    def cell(column: str) -> str:
        i = index.get(column)
        return clean_text(cells[i]) if i is not None and i < len(cells) and cells[i] is not None else ""

    def bad(column: str, why: str) -> Issue:
        return Issue.make(IssueCode.BAD_TARGET, sheet.location(row, index[column] + 1, column), why=why)

    problems = []
    indicator = _indicator(cell("指标"), data)
    if indicator is None:
        problems.append(bad("指标", f"“{cell('指标')}”不是已知的指标或字段"))
    comparator = COMPARATORS.get(cell("比较").replace(" ", ""))
    if comparator is None:
        problems.append(bad("比较", f"“{cell('比较')}”不是比较符，应为 >=、<=、=、>、< 或 不低于、不高于 等"))
    try:
        threshold = parse_number(cell("目标值").removesuffix("%").removesuffix("‰"))
    except ValueError:
        threshold = None
    if threshold is None:
        problems.append(bad("目标值", f"“{cell('目标值')}”应为数字"))
    regions = normalize_code(cell("区划代码")) or "*"
    if regions.rstrip("*") and regions.rstrip("*") not in data.regions:
        problems.append(bad("区划代码", f"“{regions}”不在 regions.csv 中"))
    try:
        period = Period.parse(cell("期间"))
    except ValueError as exc:
        problems.append(bad("期间", str(exc)))
    yield from problems
    if problems:
        return None
    return Target(indicator, comparator, threshold, regions, period, cell("依据"), sheet.location(row))  # type: ignore[arg-type]


def _indicator(text: str, data: Dataset) -> IndicatorDef | None:
    for ind in data.indicators.values():
        if text in (ind.id, ind.name):
            return ind
    fid = text if text in data.fields.fields else data.fields.field_headers.get(text)
    return field_as_indicator(data.fields, fid) if fid else None
