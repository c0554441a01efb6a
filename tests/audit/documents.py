"""Documents the audit tests write: a DOCX with a heading paragraph over one table, as an office saves one."""

from __future__ import annotations

from pathlib import Path


def docx_with_table(path: Path, heading: str, rows: list[list[str]]) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph(heading)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    return path
