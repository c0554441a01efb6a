"""Every bad-input case of the foundation issue, fed as real files; asserts the exact location and code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from report_builder.issues import BadInput, IssueCode
from report_builder.load import load_inputs
from tests.conftest import GOOD_ROWS, HEADER, csv_text, write_xlsx


def issues_of(folder: Path) -> list[tuple[str, IssueCode]]:
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    return [(str(i.location), i.code) for i in caught.value.report.errors]


def test_missing_required_column(data_dir):
    folder = data_dir(
        {
            "低保.csv": csv_text(
                "2020Q3,40000,900,1800", header="统计期,农村户籍人口,农村低保户数,农村低保人数"
            )
        }
    )
    assert issues_of(folder) == [("低保.csv:行1", IssueCode.MISSING_COLUMN)]


def test_missing_period_column_unless_the_file_is_named_for_it(data_dir):
    header = "区划代码,农村户籍人口"
    folder = data_dir({"低保.csv": csv_text("990123101000,40000", header=header)})
    assert issues_of(folder) == [("低保.csv:行1", IssueCode.MISSING_COLUMN)]
    (folder / "低保.csv").rename(folder / "2020Q3.csv")
    data = load_inputs(folder)
    assert [str(p) for p in data.dataset.periods()] == ["2020Q3"]


def test_unknown_header_is_a_listed_warning_and_the_rest_loads(data_dir, cli):
    folder = data_dir(
        {"低保.csv": csv_text("990123101000,城关镇,2020Q3,40000,900,1800,x", header=HEADER + ",村干部人数")}
    )
    data = load_inputs(folder)
    assert [(str(w.location), w.code) for w in data.warnings] == [
        ("低保.csv:行1:村干部人数", IssueCode.UNKNOWN_HEADER)
    ]
    result = cli("validate", "--data", folder)
    assert result.exit_code == 0
    assert "警告 低保.csv:行1:村干部人数：未识别的表头“村干部人数”" in result.output


def test_a_name_that_differs_from_regions_csv_is_a_warning_not_a_crash(data_dir, cli):
    """The code wins; the warning names the cell, the code and the name regions.csv gives (was a TypeError)."""
    folder = data_dir({"低保.csv": csv_text("990123101000,城关镇X,2020Q3,40000,900,1800")})
    data = load_inputs(folder)
    assert [(str(w.location), w.code) for w in data.warnings] == [
        ("低保.csv:行2:名称", IssueCode.NAME_MISMATCH)
    ]
    assert "990123101000" in data.warnings[0].message and "城关镇" in data.warnings[0].message
    result = cli("validate", "--data", folder)
    assert result.exit_code == 0 and "城关镇X" in result.output


def test_text_in_a_numeric_cell(data_dir):
    folder = data_dir(
        {"2020Q3.csv": csv_text(*GOOD_ROWS_WITH("990123102000,青山镇,2020Q3,30000,约700,1500"))}
    )
    assert issues_of(folder) == [("2020Q3.csv:行3:农村低保户数", IssueCode.NOT_A_NUMBER)]


def GOOD_ROWS_WITH(bad: str) -> list[str]:
    return ["990123101000,城关镇,2020Q3,40000,900,1800", bad]


def test_negative_count(data_dir):
    folder = data_dir({"d.csv": csv_text(*GOOD_ROWS_WITH("990123102000,青山镇,2020Q3,30000,-700,1500"))})
    assert issues_of(folder) == [("d.csv:行3:农村低保户数", IssueCode.NEGATIVE)]


def test_non_integer_count_of_persons(data_dir):
    folder = data_dir({"d.csv": csv_text(*GOOD_ROWS_WITH("990123102000,青山镇,2020Q3,30000,700,1500.5"))})
    assert issues_of(folder) == [("d.csv:行3:农村低保人数", IssueCode.NOT_INTEGER)]


def test_fewer_persons_than_households(data_dir):
    folder = data_dir({"d.csv": csv_text(*GOOD_ROWS_WITH("990123102000,青山镇,2020Q3,30000,700,650"))})
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    (issue,) = caught.value.report.errors
    assert (str(issue.location), issue.code) == ("d.csv:行3:农村低保户数", IssueCode.RELATION_VIOLATED)
    assert "农村低保户数（700）大于农村低保人数（650，见 d.csv:行3:农村低保人数）" in issue.message


@pytest.mark.parametrize(
    ("header", "values", "column"),
    [
        ("特困人员数,集中供养特困人员数", "100,120", "集中供养特困人员数"),
        ("养老床位数,护理型床位数", "300,310", "护理型床位数"),
        ("生活不能自理特困人员数,生活不能自理特困人员集中供养数", "20,21", "生活不能自理特困人员集中供养数"),
    ],
)
def test_part_larger_than_whole(data_dir, header, values, column):
    folder = data_dir(
        {"p.csv": csv_text(f"990123101000,城关镇,2020Q3,{values}", header=f"区划代码,名称,统计期,{header}")}
    )
    assert issues_of(folder) == [(f"p.csv:行2:{column}", IssueCode.RELATION_VIOLATED)]


def test_relation_across_two_files_names_both_cells(data_dir):
    folder = data_dir(
        {
            "a.csv": csv_text("990123101000,城关镇,2020Q3,300", header="区划代码,名称,统计期,养老床位数"),
            "b.csv": csv_text("990123101000,城关镇,2020Q3,310", header="区划代码,名称,统计期,护理型床位数"),
        }
    )
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    (issue,) = caught.value.report.errors
    assert str(issue.location) == "b.csv:行2:护理型床位数"
    assert "a.csv:行2:养老床位数" in issue.message


def test_same_region_and_period_twice(data_dir):
    folder = data_dir({"d.csv": csv_text(*GOOD_ROWS, "990123101000,城关镇,2020Q3,40000,900,1800")})
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    (issue,) = caught.value.report.errors
    assert (str(issue.location), issue.code) == ("d.csv:行4", IssueCode.DUPLICATE_ROW)
    assert "另见 d.csv:行2" in issue.message


def test_same_figure_in_two_files_must_agree(data_dir):
    folder = data_dir(
        {"a.csv": csv_text(*GOOD_ROWS), "b.csv": csv_text("990123101000,城关镇,2020Q3,40001,900,1800")}
    )
    assert issues_of(folder) == [("b.csv:行2:农村户籍人口", IssueCode.CONFLICTING_VALUES)]


def test_region_code_not_in_regions(data_dir):
    folder = data_dir({"d.csv": csv_text(*GOOD_ROWS_WITH("990123199000,无名镇,2020Q3,30000,700,1500"))})
    assert issues_of(folder) == [("d.csv:行3:区划代码", IssueCode.UNKNOWN_REGION)]


def test_township_name_matching_two_codes(data_dir):
    header = "名称,统计期,农村户籍人口"
    folder = data_dir({"d.csv": csv_text("城关镇,2020Q3,40000", "青山镇,2020Q3,30000", header=header)})
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    (issue,) = caught.value.report.errors
    assert (str(issue.location), issue.code) == ("d.csv:行3:名称", IssueCode.AMBIGUOUS_NAME)
    assert "990123102000（regions.csv:行5）、990124102000（regions.csv:行8）" in issue.message


def test_period_that_does_not_parse(data_dir):
    folder = data_dir({"d.csv": csv_text(*GOOD_ROWS_WITH("990123102000,青山镇,2020Q5,30000,700,1500"))})
    assert issues_of(folder) == [("d.csv:行3:统计期", IssueCode.BAD_PERIOD)]


def test_empty_file(data_dir):
    folder = data_dir({"空表.csv": "", "空簿.xlsx": b""})
    assert set(issues_of(folder)) == {("空表.csv", IssueCode.EMPTY_FILE), ("空簿.xlsx", IssueCode.EMPTY_FILE)}


@pytest.mark.parametrize("name", ["乡镇数据.xlsx", "乡镇数据.csv"])
def test_a_renamed_pdf_is_not_a_table(data_dir, name):
    folder = data_dir({name: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"})
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    (issue,) = caught.value.report.errors
    assert (str(issue.location), issue.code) == (name, IssueCode.NOT_A_TABLE)
    assert "PDF" in issue.message


def test_sheet_name_that_does_not_exist(data_dir):
    folder = data_dir({"config.toml": '[files."乡镇数据.xlsx"]\nsheet = "乡镇表2"\n'})
    write_xlsx(folder / "乡镇数据.xlsx", [HEADER.split(","), GOOD_ROWS[0].split(",")])
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    (issue,) = caught.value.report.errors
    assert (str(issue.location), issue.code) == ("乡镇数据.xlsx", IssueCode.SHEET_NOT_FOUND)
    assert "“乡镇表”" in issue.message


def test_row_with_figures_but_no_region_is_not_dropped(data_dir):
    folder = data_dir({"d.csv": csv_text(*GOOD_ROWS, ",,2020Q3,100,1,2")})
    assert issues_of(folder) == [("d.csv:行4", IssueCode.MISSING_KEY)]


def test_every_problem_of_a_file_is_reported_at_once(data_dir):
    folder = data_dir(
        {
            "d.csv": csv_text(
                "990123101000,城关镇,2020Q3,40000,abc,1800",
                "990123102000,青山镇,2020-13,30000,700,1500",
                "990123199000,无名镇,2020Q3,30000,-7,1500.5",
            )
        }
    )
    assert issues_of(folder) == [
        ("d.csv:行2:农村低保户数", IssueCode.NOT_A_NUMBER),
        ("d.csv:行3:统计期", IssueCode.BAD_PERIOD),
        ("d.csv:行4:农村低保户数", IssueCode.NEGATIVE),
        ("d.csv:行4:农村低保人数", IssueCode.NOT_INTEGER),
        ("d.csv:行4:区划代码", IssueCode.UNKNOWN_REGION),
    ]


def test_xlsx_locations_are_excel_style(data_dir):
    folder = data_dir()
    write_xlsx(
        folder / "乡镇数据.xlsx",
        [["示例县低保情况"], HEADER.split(","), [990123101000, "城关镇", "2020Q3", 40000, 900, "1800人"]],
    )
    assert issues_of(folder) == [("乡镇数据.xlsx!乡镇表!F3（农村低保人数）", IssueCode.NOT_A_NUMBER)]


def test_total_row_must_equal_the_sum(data_dir):
    folder = data_dir({"d.csv": csv_text(*GOOD_ROWS, ",合计,2020Q3,70000,1600,3301")})
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    (issue,) = caught.value.report.errors
    assert (str(issue.location), issue.code) == ("d.csv:行4:农村低保人数", IssueCode.TOTAL_MISMATCH)
    assert "合计行的农村低保人数为3301，而各行合计为3300" in issue.message


def test_county_row_must_equal_its_townships(data_dir):
    folder = data_dir({"d.csv": csv_text(*GOOD_ROWS, "990123,示例县,2020Q3,70000,1600,3290")})
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    (issue,) = caught.value.report.errors
    assert (str(issue.location), issue.code) == ("d.csv:行4:农村低保人数", IssueCode.LEVEL_SUM_MISMATCH)
    assert "上报数为3290，而下级汇总数为3300" in issue.message


def test_townships_must_agree_on_a_parameter_the_county_does_not_give(data_dir):
    header = "区划代码,统计期,农村低保标准"
    folder = data_dir(
        {"s.csv": csv_text("990123101000,2020Q3,5100", "990123102000,2020Q3,4800", header=header)}
    )
    assert issues_of(folder) == [("s.csv:行2:农村低保标准", IssueCode.PARAMETER_DISAGREES)]


def test_id_numbers_are_masked_in_messages(data_dir):
    folder = data_dir(
        {"d.csv": csv_text(*GOOD_ROWS_WITH("990123102000,青山镇,2020Q3,30000,530128199001011234,1500"))}
    )
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    text = caught.value.report.to_text()
    assert "530128199001011234" not in text
    assert "530128********1234" in text


def test_cli_exits_2_with_locations_and_no_traceback(data_dir):
    folder = data_dir({"d.csv": csv_text(*GOOD_ROWS_WITH("990123102000,青山镇,2020Q3,30000,约700,1500"))})
    result = subprocess.run(
        [sys.executable, "-m", "report_builder", "validate", "--data", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "错误 d.csv:行3:农村低保户数：应为数字，实际为“约700”" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_data_folder_and_regions(tmp_path, cli):
    result = cli("validate", "--data", tmp_path / "nope")
    assert result.exit_code == 2
    (tmp_path / "empty").mkdir()
    result = cli("validate", "--data", tmp_path / "empty")
    assert result.exit_code == 2
    assert "regions.csv" in result.output
