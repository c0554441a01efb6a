"""Write result rows as CSV, JSON or XLSX — never leaving a half-written file where a good one stood."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from report_builder.files import atomic_write

FORMATS = ("csv", "json", "xlsx")
MISS_FILL = PatternFill("solid", fgColor="FFC7CE")


def to_csv(rows: Sequence[dict[str, str]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_json(rows: Sequence[dict[str, str]]) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"


Sheet = tuple[str, Sequence[dict[str, str]], Sequence[str]]  # name, rows, columns


def write_xlsx(
    path: Path, rows: Sequence[dict[str, str]], columns: Sequence[str], sheet: str,
    highlight: Callable[[dict[str, str]], bool] = lambda row: False,
) -> Path:  # fmt: skip
    """One sheet with a bold header; rows for which `highlight` is true are filled red (a missed target)."""
    return write_workbook(path, [(sheet, rows, columns)], highlight)


def write_workbook(
    path: Path, sheets: Sequence[Sheet], highlight: Callable[[dict[str, str]], bool] = lambda row: False
) -> Path:
    def write(tmp: Path) -> None:
        book = Workbook()
        book.remove(book.active)
        for name, rows, columns in sheets:
            ws = book.create_sheet(name)
            ws.append(list(columns))
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for row in rows:
                ws.append([row.get(c, "") for c in columns])
                if highlight(row):
                    for cell in ws[ws.max_row]:
                        cell.fill = MISS_FILL
            ws.freeze_panes = "A2"
        book.save(tmp)

    return atomic_write(path, write)
