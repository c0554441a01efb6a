"""Item 3 of the hardening issue: text from the data folder is never a formula in the Excel and CSV we write."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from tests.hostile.conftest import run_cli

LINK = '=HYPERLINK("http://x/","click")'
DDE = "-2+3+cmd|' /C calc'!A0"
BASIS = "@SUM(1+1)"


@pytest.fixture
def hostile(sample_copy: Path) -> Path:
    """The sample county with two township names and a 依据 that a spreadsheet would run."""
    for name, change in (("regions.csv", {"城关镇": LINK, "青山镇": DDE}), ("targets.csv", {})):
        path = sample_copy / name
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        for row in rows[1:]:
            if name == "regions.csv":
                row[1] = change.get(row[1], row[1])
            elif row[0] == "nursing_bed_share":
                row[5] = BASIS
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    return sample_copy


def _text_cells(path: Path, *values: str) -> list[openpyxl.cell.Cell]:
    """Every cell holding one of `values`; each must be a text cell showing it exactly."""
    book = openpyxl.load_workbook(path)
    found = [c for ws in book for row in ws.iter_rows() for c in row if c.value in values]
    assert found, f"none of {values} in {path}"
    assert all(c.data_type == "s" for c in found), [(c.coordinate, c.data_type) for c in found]
    return found


def test_xlsx_outputs_hold_text_not_formulas(hostile: Path, tmp_path: Path) -> None:
    run_cli(
        "build", "--data", hostile, "--period", "2020Q3", "--format", "docx", "--out", tmp_path / "out"
    ).ended(0)
    _text_cells(tmp_path / "out" / "indicators.xlsx", LINK, DDE)
    indicators = tmp_path / "indicators.xlsx"
    run_cli(
        "indicators", "--data", hostile, "--period", "2020Q3", "--format", "xlsx", "--out", indicators
    ).ended(0)
    _text_cells(indicators, LINK, DDE)
    checked = tmp_path / "check.xlsx"
    run_cli("check", "--data", hostile, "--period", "2020Q4", "--format", "xlsx", "--out", checked).ended(1)
    _text_cells(checked, LINK, DDE, BASIS)


def test_csv_quotes_text_that_starts_like_a_formula_and_keeps_numbers(hostile: Path) -> None:
    run = run_cli("indicators", "--data", hostile, "--period", "2020Q3", "--format", "csv")
    run.ended(0)
    names = {row["region_name"] for row in csv.DictReader(io.StringIO(run.stdout))}
    assert {"'" + LINK, "'" + DDE} <= names and LINK not in names
    run = run_cli("check", "--data", hostile, "--period", "2020Q4", "--format", "csv")
    run.ended(1)
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert "'" + BASIS in {row["basis"] for row in rows}
    gaps = [row["gap"] for row in rows]
    assert any(gap.startswith("-") for gap in gaps), (
        gaps
    )  # a shortfall keeps its sign: a number, not a formula
    assert not any(gap.startswith("'") for gap in gaps), gaps
