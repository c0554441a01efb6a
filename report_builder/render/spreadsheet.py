"""Write result rows as CSV, JSON or XLSX — never leaving a half-written file where a good one stood.

Every cell's text may come from an input file (a region's 名称, a target's 依据), so none is ever run as a
formula: XLSX cells are written as text (type s: a cell reading "=HYPERLINK(…)" shows those characters), and
a CSV field that starts with = + - @ or a tab gets a leading ' (OWASP's rule for CSV; a carriage return is
escaped), since a spreadsheet opening a CSV has no cell types to go by. A number keeps its sign and stays a
number: -3.2, or -3.2 followed by its unit (-1个, -0.12个百分点, -3.2%), holds no reference, function or
command, so a spreadsheet can compute nothing from it but the number itself — quoting it would only put a
stray ' in front of a figure. Text cells also have their 身份证号 masked and control characters escaped
(issues.printable).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from report_builder.files import atomic_write
from report_builder.issues import printable
from report_builder.render.packaging import stable_zip

FORMATS = ("csv", "json", "xlsx")
MISS_FILL = PatternFill("solid", fgColor="FFC7CE")
BOLD = Font(bold=True)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?[%‰\u3400-\u9fff]*")  # a figure, maybe with its unit: -3.2个百分点
_FORMULA_START = ("=", "+", "-", "@", "\t")  # and a carriage return, which printable has already escaped


def cell_text(value: str) -> str:
    """A value as an output may hold it: a number as it is, text made printable."""
    return value if _NUMBER.fullmatch(value) else printable(value)


def csv_field(value: str) -> str:
    """A CSV field no spreadsheet will read as a formula."""
    if _NUMBER.fullmatch(value):
        return value
    text = printable(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Sequence[dict[str, str]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: csv_field(row.get(k, "")) for k in columns} for row in rows)
    return buffer.getvalue()


def to_json(rows: Sequence[dict[str, str]]) -> str:
    shown = [{k: cell_text(v) for k, v in row.items()} for row in rows]
    return json.dumps(shown, ensure_ascii=False, indent=2) + "\n"


Sheet = tuple[str, Sequence[dict[str, str]], Sequence[str]]  # name, rows, columns


def write_xlsx(
    path: Path, rows: Sequence[dict[str, str]], columns: Sequence[str], sheet: str,
    highlight: Callable[[dict[str, str]], bool] = lambda row: False,
) -> Path:  # fmt: skip
    """One sheet with a bold header; rows for which `highlight` is true are filled red (a missed target)."""
    return write_workbook(path, [(sheet, rows, columns)], highlight)


def write_workbook(
    path: Path, sheets: Sequence[Sheet], highlight: Callable[[dict[str, str]], bool] = lambda row: False,
    dated: dt.date | None = None,
) -> Path:  # fmt: skip
    """`dated`: the workbook is stamped with that date, so the same rows give the same bytes (a report's
    indicators.xlsx); without it, with the time of writing (a batch's summary, which records seconds anyway)."""

    def write(tmp: Path) -> None:
        book = Workbook(write_only=True)  # streamed: a province's rows cost no cell objects kept in memory
        for name, rows, columns in sheets:
            ws = book.create_sheet(name)
            ws.freeze_panes = "A2"

            def text(value: str, ws: object = ws, **style: object) -> WriteOnlyCell:
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"  # openpyxl made "=…" a formula; it is text from a file
                for key, look in style.items():
                    setattr(cell, key, look)
                return cell

            ws.append([text(c, font=BOLD) for c in columns])
            for row in rows:
                look = {"fill": MISS_FILL} if highlight(row) else {}
                ws.append([text(cell_text(row.get(c, "")), **look) for c in columns])
        if dated is None:
            book.save(tmp)
            return
        buffer = io.BytesIO()
        book.save(buffer)
        tmp.write_bytes(stable_zip(buffer.getvalue(), dated))

    return atomic_write(path, write)
