"""Workbooks no office program saves, made at test time: a valid workbook written by openpyxl whose sheet XML is
then edited by hand (a cell at XFD1048576, a merged range to the end of the sheet, a <v>NaN</v>), or replaced
by one that expands a few hundred times when unzipped."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.conftest import write_xlsx

SHEET_XML = "xl/worksheets/sheet1.xml"


def edited_xlsx(
    path: Path, rows: list[list[object]], edit: Callable[[str], str], part: str = SHEET_XML
) -> Path:
    """A workbook of `rows` (sheet 乡镇表) whose `part` (by default the first sheet's XML) went through `edit`."""
    write_xlsx(path, rows)
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    parts[part] = edit(parts[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    return path


def before_sheet_end(xml: str, extra: str) -> str:
    """Insert rows at the end of sheetData (rows stay in order: the extra rows are below the table)."""
    return xml.replace("</sheetData>", extra + "</sheetData>")


def after_sheet_data(xml: str, extra: str) -> str:
    """Insert an element right after sheetData, where mergeCells belongs."""
    return xml.replace("</sheetData>", "</sheetData>" + extra)


def zip_bomb(path: Path, rows: list[list[object]], expanded: int) -> Path:
    """A workbook whose sheet XML is `expanded` bytes of cells without coordinates, each one a new column to a
    reader that believes it: a megabyte or so on disk."""
    write_xlsx(path, rows)
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info) for info in book.infolist() if info.filename != SHEET_XML}
    head = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    )
    chunk = b"<c><v>1</v></c>" * 65536
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, data in parts.items():
            book.writestr(name, data)
        with book.open(SHEET_XML, "w", force_zip64=True) as sheet:
            sheet.write(head)
            for _ in range(expanded // len(chunk)):
                sheet.write(chunk)
            sheet.write(b"</row></sheetData></worksheet>")
    return path
