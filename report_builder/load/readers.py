"""Read a CSV or XLSX file into a grid of raw cell values, with the row numbers the user sees.

Nothing is interpreted here beyond decoding: finding the header, typing the values and checking them happen
in `tables.py`. Merged cells are filled with their top-left value, which is what a reader of the sheet sees
(a 统计期 merged over twelve rows belongs to all twelve).

A workbook is a zip of XML that can claim anything: a cell at XFD1048576, a range merged to the end of the
sheet, a part that unpacks a thousandfold. So what is read is bounded by what the file holds, not by what it
declares, and by caps on rows, cells and unpacked bytes that refuse a file with its location instead of
exhausting the machine.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, iterparse

import openpyxl
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import CELL_TAG, ROW_TAG, VALUE_TAG, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from report_builder.archives import check_archive
from report_builder.issues import BadInput, Issue, IssueCode, Location

CellValue = object  # str, int, float, datetime or None, as the file holds it

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
TABLE_SUFFIXES = frozenset({".csv", *EXCEL_SUFFIXES, ".xls", ".et"})

# Caps on one workbook: far above a county's tables (a province's townships over eight quarters is 14,400 rows,
# 230,000 cells), far below what exhausts a machine.
MAX_ROWS = 100_000  # row elements in the XML, with content or not
MAX_CELLS = 1_000_000  # cells read, blanks before a row's last value and cells filled by merged ranges
SHEET_PARTS = "xl/worksheets/"  # streamed cell by cell, within the caps above
MAX_SHEET_BYTES = 64 << 20  # one sheet's XML, unpacked (a province's townships over eight quarters: 9 MB)
MAX_PART_BYTES = 8 << 20  # any other XML part, unpacked: openpyxl parses these whole (styles, shared strings)

_MERGE_CELL_TAG = f"{{{SHEET_MAIN_NS}}}mergeCell"
# What a malformed workbook raises from openpyxl, zipfile or the XML parser, anywhere while it is read.
_BROKEN = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    OSError,
    ParseError,
    ValueError,
    OverflowError,
)

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
    text = _decode(data, where)
    return [RawSheet(name, None, list(csv_rows(text, csv_delimiter(text))))]


def _not_a_table(data: bytes, where: Location, expected: str) -> ReadFailed:
    why = next((text for magic, text in _MAGIC.items() if data.startswith(magic)), "无法识别的文件内容")
    return ReadFailed(Issue.make(IssueCode.NOT_A_TABLE, where, why=f"{why}，应为{expected}"))


def _decode(data: bytes, where: Location) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if any(data.startswith(m) for m in _MAGIC):
        raise _not_a_table(data, where, "逗号分隔的文本表格（CSV）")
    if b"\x00" in data:  # a binary file, or a text file broken in copying: say where it starts
        row = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ReadFailed(
            Issue.make(
                IssueCode.NOT_A_TABLE,
                Location(where.file, row=row),
                why="此行有空字符（\\x00），文本表格中不会有；文件可能已损坏，或不是逗号分隔的文本表格（CSV）",
            )
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadFailed(Issue.make(IssueCode.BAD_ENCODING, where))


def csv_delimiter(text: str) -> str:
    """A tab when the first line with text has more tabs than commas."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return "\t" if first.count("\t") > first.count(",") else ","


def csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[CellValue]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, [c if c.strip() else None for c in cells]
        start = reader.line_num + 1


def _read_workbook(path: Path, data: bytes, name: str, sheet: str | None) -> list[RawSheet]:
    where = Location(name)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _not_a_table(data, where, "Excel 工作簿（.xlsx）")
    _check_parts(path, where)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _BROKEN as exc:
        raise ReadFailed(
            Issue.make(IssueCode.NOT_A_TABLE, where, why=f"无法作为 Excel 工作簿打开（{exc}）")
        ) from exc
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise ReadFailed(
                Issue.make(
                    IssueCode.SHEET_NOT_FOUND,
                    where,
                    sheet=sheet,
                    available="、".join(f"“{n}”" for n in names),
                )
            )
        budget = _Budget(name)
        formulas = _FormulaLookup(path, name)
        sheets = []
        for ws in book.worksheets:
            if sheet is None or ws.title == sheet:
                grid, merged = _read_sheet(book, ws, budget)
                _fill_merged(grid, merged, lambda row, n, t=ws.title: budget.charge(t, row, 0, n))
                rows = sorted(grid.items())
                sheets.append(RawSheet(name, ws.title, rows, lambda r, c, t=ws.title: formulas.at(t, r, c)))
        return sheets
    finally:
        book.close()


def _check_parts(path: Path, where: Location) -> None:
    """Every part of the workbook is weighed before any XML is parsed: a few megabytes that unpack to gigabytes
    are refused, not parsed. openpyxl parses the parts other than sheets whole, so they are allowed less."""
    try:
        check_archive(path, where, _part_limit)
    except zipfile.BadZipFile as exc:
        raise ReadFailed(Issue.make(IssueCode.NOT_A_TABLE, where, why=f"压缩包已损坏（{exc}）")) from exc
    except BadInput as bad:
        raise ReadFailed(bad.report.issues[0]) from None


def _part_limit(name: str) -> int:
    whole = name.endswith((".xml", ".rels")) and not name.startswith(SHEET_PARTS)
    return MAX_PART_BYTES if whole else MAX_SHEET_BYTES  # pictures and the like are never parsed


@dataclass
class _Budget:
    """What reading one workbook may still cost, counted while it is read, so that a sheet past a cap stops at
    the row where it went past instead of when the machine runs out of memory. Cells count every cell element
    in the file, the blanks a row is padded with up to its last value, and every cell a merged range fills."""

    name: str
    rows: int = 0
    cells: int = 0

    def charge(self, sheet: str, row: int, rows: int, cells: int) -> None:
        self.rows += rows
        self.cells += cells
        if self.rows > MAX_ROWS:
            raise self._too_large(sheet, row, f"已有 {self.rows} 行", f"{MAX_ROWS} 行")
        if self.cells > MAX_CELLS:
            what = f"已有 {self.cells} 个单元格（含每行最后一个有内容的单元格之前的空白和合并单元格所占的格）"
            raise self._too_large(sheet, row, what, f"{MAX_CELLS} 个单元格")

    def _too_large(self, sheet: str, row: int, what: str, limit: str) -> ReadFailed:
        return ReadFailed(
            Issue.make(
                IssueCode.TOO_LARGE,
                Location(self.name, sheet, row),
                what=f"工作表读到此行{what}",
                limit=limit,
                hint="请删除表格以外的内容，或把数据拆成几个文件",
            )
        )


def _read_sheet(
    book: openpyxl.Workbook, ws: ReadOnlyWorksheet, budget: _Budget
) -> tuple[dict[int, list[CellValue]], list[str]]:
    """The cells of one sheet that hold a value, by row, and its merged ranges, streamed from the sheet's XML.

    Only what the XML holds is read, never the dimension it declares: one cell at XFD1048576 is one cell. Each
    element is dropped from the tree once read, so memory follows what is kept, not the size of the file.
    openpyxl's own cell parser reads each cell (shared strings, dates, inline strings, formulas), set up as its
    read-only worksheet sets it up; its row loop is not used because it holds a whole row, however wide, and
    every merged range as objects before handing them over.
    """
    parser = WorkSheetParser(
        None,
        book.shared_strings,
        data_only=book.data_only,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    grid: dict[int, list[CellValue]] = {}
    merged: list[str] = []
    charge = budget.charge
    title = ws.title
    open_elements: list[Element] = []
    in_cell = False
    try:
        with ws._get_source() as source:
            for event, element in iterparse(source, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    open_elements.append(element)
                    if tag == ROW_TAG:
                        parser.row_counter = _row_number(element.get("r"), parser.row_counter)
                        parser.col_counter = 0
                        charge(title, parser.row_counter, 1, 0)
                    in_cell = in_cell or tag == CELL_TAG
                    continue
                open_elements.pop()
                if tag == CELL_TAG:
                    in_cell = False
                    column, value = _cell(parser, element)
                    charge(title, parser.row_counter, 0, 1)
                    if value is not None:
                        cells = grid.setdefault(parser.row_counter, [])
                        if column > len(cells):
                            charge(title, parser.row_counter, 0, column - len(cells) - 1)
                            cells.extend([None] * (column - len(cells)))
                        cells[column - 1] = value
                elif in_cell:
                    continue  # the cell's own value, formula or text: read with the cell
                elif tag == _MERGE_CELL_TAG:
                    charge(title, parser.row_counter, 0, 1)
                    merged.append(element.get("ref", ""))
                element.clear()
                if open_elements:
                    open_elements[-1].remove(element)
    except _BROKEN as exc:
        raise ReadFailed(
            Issue.make(
                IssueCode.NOT_A_TABLE,
                Location(budget.name, title, parser.row_counter or None),
                why=f"工作表内容无法读取（{exc}）",
            )
        ) from exc
    return grid, merged


def _row_number(text: str | None, previous: int) -> int:
    """A row's `r`, as openpyxl reads it (some programs write 5.0); rows without one follow the previous."""
    if text is None:
        return previous + 1
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise
        return int(number)


def _cell(parser: WorkSheetParser, element: Element) -> tuple[int, CellValue]:
    """A cell's column and value as openpyxl reads them, blank text as None. A <v> openpyxl cannot read as a
    number (NaN or inf, as some programs write them) is kept as its text, which the table reader reports at its
    cell as not a number rather than the whole file failing."""
    try:
        cell = parser.parse_cell(element)
        column, value = cell["column"], cell["value"]
    except ValueError:
        coordinate = element.get("r")
        column = coordinate_to_tuple(coordinate)[1] if coordinate else parser.col_counter
        value = element.findtext(VALUE_TAG)
    if isinstance(value, str) and not value.strip():
        return column, None
    return column, value


def _fill_merged(
    grid: dict[int, list[CellValue]], merged: list[str], charge: Callable[[int, int], None]
) -> None:
    """A merged range shows its top-left value in each of its cells, and a reader of the sheet sees it there:
    a 统计期 merged over twelve rows belongs to all twelve. Only rows that hold a value are filled, up to the
    last column any row holds, so a range to the end of the sheet fills the table, not a million empty rows."""
    if not merged or not grid:
        return
    numbers = sorted(grid)
    width = max(len(cells) for cells in grid.values())
    for ref in merged:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue  # not a range: nothing is shown merged
        top = grid.get(min_row, [])
        value = top[min_col - 1] if min_col <= len(top) else None
        last = min(max_col, width)
        for number in numbers[bisect_left(numbers, min_row) : bisect_right(numbers, max_row)]:
            cells = grid[number]
            end = last if value is not None else min(last, len(cells))
            span = end - min_col + 1
            charge(number, max(1, span))
            if span > 0:
                cells.extend([None] * (end - len(cells)))
                cells[min_col - 1 : end] = [value] * span


class _FormulaLookup:
    """Formulas are read only if an empty cell needs explaining: a formula saved without its cached result.
    The sheet is then read a second time, with formulas, within the same caps as the first."""

    def __init__(self, path: Path, name: str) -> None:
        self._path, self._name = path, name
        self._sheets: dict[str, dict[int, list[CellValue]]] = {}

    def at(self, sheet: str, row: int, column: int) -> str | None:
        if sheet not in self._sheets:
            self._sheets[sheet] = self._read(sheet)
        cells = self._sheets[sheet].get(row, [])
        value = cells[column - 1] if column <= len(cells) else None
        return value if isinstance(value, str) and value.startswith("=") else None

    def _read(self, sheet: str) -> dict[int, list[CellValue]]:
        """The sheet with formulas in place of their results. The first reading, of the values, already passed
        every check; should this one still fail, the empty cell stays unexplained rather than stop the run."""
        try:
            book = openpyxl.load_workbook(self._path, read_only=True, data_only=False)
        except _BROKEN:
            return {}
        try:
            return _read_sheet(book, book[sheet], _Budget(self._name))[0]
        except ReadFailed:
            return {}
        finally:
            book.close()
