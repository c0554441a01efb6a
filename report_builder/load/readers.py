"""Read a CSV or XLSX file into a grid of raw cell values, with the row numbers the user sees.

Nothing is interpreted here beyond decoding: finding the header, typing the values and checking them happen
in `tables.py`. Merged cells are filled with their top-left value, which is what a reader of the sheet sees
(a 统计期 merged over twelve rows belongs to all twelve).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from report_builder.issues import Issue, IssueCode, Location

CellValue = object  # str, int, float, datetime or None, as the file holds it

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
TABLE_SUFFIXES = frozenset({".csv", *EXCEL_SUFFIXES, ".xls", ".et"})

_MAGIC = {
    b"%PDF": "文件内容是 PDF",
    b"PK\x03\x04": "文件内容是压缩包（可能是 xlsx/docx）",
    b"\xd0\xcf\x11\xe0": "文件内容是旧版 Office 文档（.xls/.doc）",
    b"\x89PNG": "文件内容是 PNG 图片",
    b"\xff\xd8\xff": "文件内容是 JPEG 图片",
    b"{\\rtf": "文件内容是 RTF 文档",
}


@dataclass
class RawSheet:
    """`rows` pairs each row's number in the file with its cells; `formula_at` is asked only for empty cells."""

    name: str
    sheet: str | None
    rows: list[tuple[int, list[CellValue]]]
    formula_at: Callable[[int, int], str | None] = field(default=lambda row, col: None)

    def location(
        self, row: int | None = None, column: int | None = None, header: str | None = None
    ) -> Location:
        return Location(self.name, self.sheet, row, column, header)


class ReadFailed(Exception):
    def __init__(self, issue: Issue) -> None:
        super().__init__(str(issue))
        self.issue = issue


def read_sheets(path: Path, name: str, sheet: str | None = None) -> list[RawSheet]:
    """The sheets of one file. `sheet` picks one sheet of a workbook; otherwise every sheet is returned.

    Raises ReadFailed when the file cannot be read as a table at all.
    """
    where = Location(name)
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et"):
        raise ReadFailed(
            Issue.make(
                IssueCode.UNSUPPORTED_FORMAT, where, suffix=suffix, hint="请在 Excel/WPS 中另存为 .xlsx"
            )
        )
    data = path.read_bytes()
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ReadFailed(Issue.make(IssueCode.EMPTY_FILE, where))
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(path, data, name, sheet)
    if sheet is not None:
        raise ReadFailed(
            Issue.make(IssueCode.BAD_CONFIG, where, why=f"CSV 文件没有工作表，不能指定 sheet = “{sheet}”")
        )
    return [RawSheet(name, None, list(_csv_rows(_decode(data, where))))]


def _not_a_table(data: bytes, where: Location, expected: str) -> ReadFailed:
    why = next((text for magic, text in _MAGIC.items() if data.startswith(magic)), "无法识别的文件内容")
    return ReadFailed(Issue.make(IssueCode.NOT_A_TABLE, where, why=f"{why}，应为{expected}"))


def _decode(data: bytes, where: Location) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data or any(data.startswith(m) for m in _MAGIC):
        raise _not_a_table(data, where, "逗号分隔的文本表格（CSV）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadFailed(Issue.make(IssueCode.BAD_ENCODING, where))


def _csv_rows(text: str) -> Iterator[tuple[int, list[CellValue]]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, [c if c.strip() else None for c in cells]
        start = reader.line_num + 1


def _read_workbook(path: Path, data: bytes, name: str, sheet: str | None) -> list[RawSheet]:
    where = Location(name)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _not_a_table(data, where, "Excel 工作簿（.xlsx）")
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ReadFailed(
            Issue.make(IssueCode.NOT_A_TABLE, where, why=f"无法作为 Excel 工作簿打开（{exc}）")
        ) from exc
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        raise ReadFailed(
            Issue.make(
                IssueCode.SHEET_NOT_FOUND, where, sheet=sheet, available="、".join(f"“{n}”" for n in names)
            )
        )
    formulas = _FormulaLookup(path)
    return [
        RawSheet(name, ws.title, _sheet_rows(ws), lambda r, c, title=ws.title: formulas.at(title, r, c))
        for ws in book.worksheets
        if sheet is None or ws.title == sheet
    ]


def _sheet_rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[tuple[int, list[CellValue]]]:
    grid = [
        [c.value if not isinstance(c.value, str) or c.value.strip() else None for c in row]
        for row in ws.iter_rows()
    ]
    for merged in ws.merged_cells.ranges:
        top_left = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = top_left
    return [(i, cells) for i, cells in enumerate(grid, start=1)]


class _FormulaLookup:
    """Formulas are read only if an empty cell needs explaining: a formula saved without its cached result."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._book: openpyxl.Workbook | None = None

    def at(self, sheet: str, row: int, column: int) -> str | None:
        if self._book is None:
            self._book = openpyxl.load_workbook(self._path, data_only=False)
        value = self._book[sheet].cell(row, column).value
        return value if isinstance(value, str) and value.startswith("=") else None
