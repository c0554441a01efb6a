"""Item 4 of the hardening issue, the workbook part: tiny XLSX files that used to take minutes and gigabytes.

Each workbook is made at test time. A reader must look only at the cells that exist, fill merged ranges only
where there are cells, and refuse a zip entry that expands too far before it parses a byte of it; every run
ends in under 10 s with the child's peak memory under 500 MB.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from report_builder.load.readers import MAX_CELLS, MAX_ROWS
from tests.conftest import GOOD_ROWS, HEADER
from tests.hostile.conftest import Run, run_cli
from tests.hostile.crafted_xlsx import after_sheet_data, before_sheet_end, edited_xlsx, zip_bomb

STYLES = "xl/styles.xml"

ROWS: list[list[object]] = [HEADER.split(","), *(row.split(",") for row in GOOD_ROWS)]
FAR_CELL = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


def bounded(run: Run) -> None:
    assert run.seconds < 10, f"{run.seconds:.1f} s"
    assert run.peak_mb < 500, f"{run.peak_mb:.0f} MB"


def validate(data_dir: Callable[..., Path], make: Callable[[Path], Path]) -> Run:
    folder = data_dir()
    make(folder / "乡镇数据.xlsx")
    return run_cli("validate", "--data", folder, timeout=30)


def test_one_cell_at_the_last_row_and_column_is_read_as_the_cell_it_is(data_dir: Callable[..., Path]) -> None:
    """Only cells that exist are read, so the table is read as it is and the stray cell is named, not filled in."""
    run = validate(data_dir, lambda p: edited_xlsx(p, ROWS, lambda x: before_sheet_end(x, FAR_CELL)))
    run.ended(0, "2 条记录", "警告 乡镇数据.xlsx!乡镇表!XFD1048576：表头以外的单元格有内容“x”")
    bounded(run)


def test_a_merged_range_to_the_end_of_the_sheet_is_filled_only_where_there_are_cells(
    data_dir: Callable[..., Path],
) -> None:
    note = '<row r="4"><c r="A4" t="inlineStr"><is><t>注：数据截至9月底</t></is></c></row>'
    merge = '<mergeCells count="1"><mergeCell ref="A4:XFD1048576"/></mergeCells>'
    run = validate(
        data_dir, lambda p: edited_xlsx(p, ROWS, lambda x: after_sheet_data(before_sheet_end(x, note), merge))
    )
    run.ended(0, "2 条记录")
    bounded(run)


def test_a_period_merged_down_to_the_end_of_the_sheet_belongs_to_every_row_of_the_table(
    data_dir: Callable[..., Path],
) -> None:
    """Filling stays what a reader of the sheet sees: the 统计期 merged down covers the second township too."""
    rows = [ROWS[0], ROWS[1], [*ROWS[2][:2], None, *ROWS[2][3:]]]
    merge = '<mergeCells count="1"><mergeCell ref="C2:C1048576"/></mergeCells>'
    run = validate(data_dir, lambda p: edited_xlsx(p, rows, lambda x: after_sheet_data(x, merge)))
    run.ended(0, "2 条记录，统计期 2020Q3—2020Q3")
    bounded(run)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(data_dir: Callable[..., Path], tmp_path: Path) -> None:
    run = validate(data_dir, lambda p: zip_bomb(p, ROWS, expanded=1 << 30))
    run.ended(2, "乡镇数据.xlsx", "xl/worksheets/sheet1.xml", "解压")
    bounded(run)


def test_a_styles_part_that_unpacks_past_its_cap_is_refused_before_it_is_parsed(
    data_dir: Callable[..., Path],
) -> None:
    """openpyxl parses styles whole (a 2 MB file with 700,000 cell formats took 29 s and 1.3 GB); varied, so
    that the ratio check alone would let it through."""
    formats = "".join(
        f'<xf numFmtId="{n % 251}" fontId="0" fillId="0" borderId="{n % 7}"/>' for n in range(160_000)
    )
    run = validate(
        data_dir,
        lambda p: edited_xlsx(
            p, ROWS, lambda x: x.replace('<cellXfs count="1">', f"<cellXfs>{formats}", 1), STYLES
        ),
    )
    run.ended(2, "xl/styles.xml", "8 MB")
    bounded(run)


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        (
            (f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(4, 4 + MAX_CELLS // 16384 + 2)),
            "单元格",
        ),
        ((f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(4, 4 + MAX_ROWS + 1)), "行"),
    ],
    ids=["cells", "rows"],
)
def test_a_sheet_past_the_row_or_cell_cap_is_refused_at_the_row_where_it_went_past(
    data_dir: Callable[..., Path], rows: object, needle: str
) -> None:
    extra = "".join(rows)  # type: ignore[call-overload]
    run = validate(data_dir, lambda p: edited_xlsx(p, ROWS, lambda x: before_sheet_end(x, extra)))
    run.ended(2, "乡镇数据.xlsx!乡镇表!行", needle, "上限")
    bounded(run)


def test_a_formula_without_its_result_is_looked_up_within_the_same_bounds(
    data_dir: Callable[..., Path],
) -> None:
    """The second read, for the formula text, also looks only at the cells that exist."""
    formula = '<row r="4"><c r="A4"><v>990123101000</v></c><c r="C4" t="inlineStr"><is><t>2020Q4</t></is></c>'
    formula += '<c r="D4"><f>SUM(D2:D3)</f></c></row>'
    merge = '<mergeCells count="1"><mergeCell ref="F5:XFD1048576"/></mergeCells>'
    run = validate(
        data_dir,
        lambda p: edited_xlsx(
            p, ROWS, lambda x: after_sheet_data(before_sheet_end(x, formula + FAR_CELL), merge)
        ),
    )
    run.ended(2, "乡镇表!D4", "SUM(D2:D3)")
    bounded(run)
