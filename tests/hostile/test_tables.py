"""Items 9, 10, 15 and 17 of the hardening issue, the table part: careless tables that were read wrongly or
without a word — two tables in one file, NaN in a cell, a file or cells left out silently, a period with no
data, NUL bytes and control characters — each now a located message, run as a user runs the command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import GOOD_ROWS, HEADER, csv_text
from tests.hostile.conftest import run_cli
from tests.hostile.crafted_xlsx import before_sheet_end, edited_xlsx

Folder = Callable[..., Path]


def _validate(folder: Path) -> object:
    return run_cli("validate", "--data", folder)


# --- item 9: two tables stacked in one CSV -------------------------------------------------------------------


@pytest.mark.parametrize(
    "second",
    [
        # a wider second header wins the header search: the first block used to be dropped without a word
        ["", "区划代码,名称,统计期,农村户籍人口,养老床位数", "990123101000,城关镇,2020Q4,40000,100"],
        # the same header again, no blank line: its cells used to be read as a data row
        ["区划代码,名称,统计期,农村户籍人口", "990123101000,城关镇,2020Q4,40000"],
    ],
    ids=["wider-after-blank-line", "same-header"],
)
def test_two_tables_stacked_in_one_csv_are_refused_at_the_second_header(
    data_dir: Folder, second: list[str]
) -> None:
    rows = ["990123101000,城关镇,2020Q3,40000", "990123102000,青山镇,2020Q3,30000", *second]
    folder = data_dir({"乡镇.csv": csv_text(*rows, header="区划代码,名称,统计期,农村户籍人口")})
    row = 4 + (second[0] == "")
    _validate(folder).ended(2, f"乡镇.csv:行{row}：此行是又一张表的表头（另一张表的表头在第1行）")


def test_a_header_over_two_rows_is_not_taken_for_a_second_table(data_dir: Folder) -> None:
    text = csv_text(*GOOD_ROWS, header=f"{HEADER}\n{HEADER}")
    _validate(data_dir({"乡镇.csv": text})).ended(0, "2 条记录")


# --- item 10: NaN and inf in a workbook cell -------------------------------------------------------------------


@pytest.mark.parametrize("written", ["NaN", "nan", "inf", "-INF"])
def test_nan_or_inf_in_a_workbook_cell_is_not_a_number_at_its_cell(data_dir: Folder, written: str) -> None:
    folder = data_dir()
    row = '<row r="4"><c r="A4"><v>990123101000</v></c><c r="C4" t="inlineStr"><is><t>2020Q4</t></is></c>'
    row += f'<c r="D4"><v>{written}</v></c></row>'
    edited_xlsx(folder / "乡镇.xlsx", [HEADER.split(","), *(r.split(",") for r in GOOD_ROWS)],
                lambda xml: before_sheet_end(xml, row))  # fmt: skip
    _validate(folder).ended(2, "乡镇.xlsx!乡镇表!D4（农村户籍人口）：应为数字，实际为“")


# --- item 15: skipped files, cells beyond the header, a period without data -----------------------------------


@pytest.mark.parametrize("name", ["人口.txt", "人口.tsv", "sub/人口.ods"])
def test_a_table_in_another_format_is_named_in_a_warning(sample_copy: Path, name: str) -> None:
    (sample_copy / name).parent.mkdir(exist_ok=True)
    (sample_copy / name).write_text("区划代码\t统计期\t农村户籍人口\n", encoding="utf-8")
    _validate(sample_copy).ended(0, f"警告 {name}：", "不是 CSV 或 XLSX，未读入")


def test_text_right_of_the_header_is_a_warning_at_its_cell(data_dir: Folder) -> None:
    rows = [GOOD_ROWS[0] + ",已核实", GOOD_ROWS[1]]
    run = _validate(data_dir({"乡镇.csv": csv_text(*rows)}))
    run.ended(0, "警告 乡镇.csv:行2:第7列：表头以外的单元格有内容“已核实”", "2 条记录")


def test_a_number_right_of_the_header_is_an_error_at_its_cell(data_dir: Folder) -> None:
    rows = [GOOD_ROWS[0], GOOD_ROWS[1] + ",,1500"]
    run = _validate(data_dir({"乡镇.csv": csv_text(*rows)}))
    run.ended(2, "错误 乡镇.csv:行3:第8列：表头以外的单元格有数字“1500”")


@pytest.mark.parametrize(
    "args",
    [
        ["indicators", "--period", "2031Q1"],
        ["indicators", "--period", "2031Q1", "--format", "csv"],
        ["indicators", "--period", "2031Q1", "--region", "990123101000"],
        ["check", "--period", "2031Q1"],
    ],
    ids=["indicators", "indicators-csv", "indicators-region", "check"],
)
def test_a_period_without_data_is_refused_by_every_command(sample_copy: Path, args: list[str]) -> None:
    run = run_cli(*args, "--data", sample_copy)
    run.ended(2, "--period：数据中没有", "2031年一季度的数据（最近的统计期：2020Q1、2020Q2、2020Q3、2020Q4）")


# --- item 17: NUL bytes and control characters -----------------------------------------------------------------


def test_a_nul_byte_in_a_csv_is_located_at_its_row(data_dir: Folder) -> None:
    text = csv_text(GOOD_ROWS[0], GOOD_ROWS[1].replace("青山镇", "青山\x00镇"))
    _validate(data_dir({"乡镇.csv": text.encode("utf-8")})).ended(2, "错误 乡镇.csv:行3：", "空字符")


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x7f"])
def test_a_control_character_in_a_region_name_is_refused_at_its_cell(sample_copy: Path, char: str) -> None:
    regions = sample_copy / "regions.csv"
    regions.write_text(
        regions.read_text(encoding="utf-8").replace("城关镇", f"城关{char}镇"), encoding="utf-8"
    )
    run = _validate(sample_copy)
    run.ended(2, "错误 regions.csv:行4:名称：", f"含有不可见的控制字符（\\x{ord(char):02x}）")
    assert char not in run.output


def test_a_control_character_in_a_header_or_a_basis_is_refused_at_its_cell(sample_copy: Path) -> None:
    table = sample_copy / "人口与低保.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("农村户籍人口", "农村户籍人口\x1b[31m", 1),
                     encoding="utf-8")  # fmt: skip
    targets = sample_copy / "targets.csv"
    lines = targets.read_text(encoding="utf-8").splitlines()
    lines[1] += "\x07"
    targets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = _validate(sample_copy)
    run.ended(2, "错误 人口与低保.csv:行1:农村户籍人口\\x1b[31m：", "错误 targets.csv:行2:依据：")
    assert "\x1b" not in run.output and "\x07" not in run.output
