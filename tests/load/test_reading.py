"""Reading what offices actually save: encodings, number spellings, Excel layouts, units in headers."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from report_builder.issues import BadInput, IssueCode
from report_builder.load import load_inputs
from report_builder.load.cells import parse_number
from report_builder.periods import Period
from tests.conftest import GOOD_ROWS, HEADER, csv_text, write_xlsx

Q3 = Period.parse("2020Q3")
TOWN = "990123101000"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,234", Decimal(1234)),
        ("１２３４", Decimal(1234)),
        ("１，２３４．５", Decimal("1234.5")),
        (" 1234 ", Decimal(1234)),
        ("\u30001234\xa0", Decimal(1234)),
        ("1,234,567.25", Decimal("1234567.25")),
        (1234, Decimal(1234)),
        (12.3456, Decimal("12.3456")),
        (0.1 + 0.2, Decimal("0.3")),
        (0, Decimal(0)),
        ("0", Decimal(0)),
        ("", None),
        (None, None),
        ("—", None),
        ("-", None),
        ("－", None),
        ("——", None),
    ],
)
def test_number_spellings(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", ["abc", "1,23", "12,34,567", "4.5%", "约300", "1e5", True, float("nan")])
def test_not_numbers(cell):
    with pytest.raises(ValueError):
        parse_number(cell)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings(data_dir, encoding):
    folder = data_dir({"d.csv": csv_text(*GOOD_ROWS).encode(encoding)})
    data = load_inputs(folder)
    assert data.dataset.reported(TOWN, Q3, "dibao_rural_persons").value == 1800
    assert data.dataset.total("990123", Q3, "dibao_rural_persons") == 3300


def test_tab_separated_text(data_dir):
    text = csv_text(*GOOD_ROWS).replace(",", "\t")
    data = load_inputs(data_dir({"d.csv": text.encode("utf-16")}))
    assert data.dataset.reported(TOWN, Q3, "population_rural").value == 40000


def test_blank_and_dash_are_missing_never_zero(data_dir):
    folder = data_dir(
        {"d.csv": csv_text("990123101000,城关镇,2020Q3,40000,—,", "990123102000,青山镇,2020Q3,30000,-,1500")}
    )
    data = load_inputs(folder)
    assert data.dataset.reported(TOWN, Q3, "dibao_rural_households").value is None
    assert data.dataset.reported(TOWN, Q3, "dibao_rural_persons").value is None
    assert data.dataset.total("990123", Q3, "dibao_rural_persons") is None  # never a partial sum
    assert data.dataset.total("990123", Q3, "population_rural") == 70000


def test_office_workbook_layout(data_dir):
    """Title row, group header merged over field headers, keys merged down, codes as numbers, 合计, notes."""
    folder = data_dir()
    rows = [
        ["示例县2020年三季度低保情况"],
        [None, None, None, None, "单位：户、人、万元"],
        ["区划代码", "乡镇名称", "农村低保", None, "临时救助金额（万元）"],
        [None, None, "户数", "人数", None],
        [990123101000, "城关镇", 900, "1,800", 12.3456],
        [990123102000.0, "青山镇", 700, 1500, 0.5],
        [None, "合  计", 1600, 3300, 12.8456],
        [],
        ["注：金额单位为万元。"],
        ["填表人：王某某    审核人：李某某"],
    ]
    write_xlsx(folder / "2020Q3.xlsx", rows, merges=("A1:E1", "A3:A4", "B3:B4", "C3:D3", "E3:E4", "A9:E9"))
    data = load_inputs(folder)
    assert data.warnings == ()
    assert data.dataset.reported(TOWN, Q3, "dibao_rural_persons").value == 1800
    assert data.dataset.reported("990123102000", Q3, "dibao_rural_households").value == 700
    amount = data.dataset.reported(TOWN, Q3, "relief_temporary_amount")
    assert amount.value == Decimal(123456)
    assert str(amount.cell) == "2020Q3.xlsx!乡镇表!E5（临时救助金额（万元））"
    assert len(data.dataset.facts) == 2  # the 合计 row is not a region


def test_total_row_mismatch_in_a_workbook(data_dir):
    folder = data_dir()
    rows = [
        HEADER.split(","),
        GOOD_ROWS[0].split(","),
        GOOD_ROWS[1].split(","),
        ["合计", None, None, 70000, 1601, 3300],
    ]
    write_xlsx(folder / "d.xlsx", rows, merges=("A4:C4",))
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    assert [(str(i.location), i.code) for i in caught.value.report.errors] == [
        ("d.xlsx!乡镇表!E4（农村低保户数）", IssueCode.TOTAL_MISMATCH)
    ]


def _with_cached_values(path: Path, values: dict[str, str]) -> None:
    """Give formula cells the cached results Excel would have saved (openpyxl writes none)."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, value in values.items():
        xml = re.sub(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/?>(</v>)?', rf"\g<1><v>{value}</v>", xml)
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_formula_cells_use_their_cached_values(data_dir):
    folder = data_dir()
    rows = [HEADER.split(","), [TOWN, "城关镇", "2020Q3", 40000, 900, "=E2*2"]]
    path = write_xlsx(folder / "d.xlsx", rows)
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    (issue,) = caught.value.report.errors
    assert (str(issue.location), issue.code) == (
        "d.xlsx!乡镇表!F2（农村低保人数）",
        IssueCode.FORMULA_WITHOUT_VALUE,
    )
    assert "E2*2" in issue.message
    _with_cached_values(path, {"F2": "1800"})
    assert load_inputs(folder).dataset.reported(TOWN, Q3, "dibao_rural_persons").value == 1800


def test_chosen_sheet_and_skipped_sheets(data_dir):
    folder = data_dir({"config.toml": '[files."d.xlsx"]\nsheet = "三季度"\n'})
    path = write_xlsx(folder / "d.xlsx", [["说明：本表为示例"]], sheet="说明")
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("三季度")
    for row in [HEADER.split(","), GOOD_ROWS[0].split(",")]:
        sheet.append(row)
    book.save(path)
    assert load_inputs(folder).dataset.reported(TOWN, Q3, "population_rural").value == 40000
    (folder / "config.toml").unlink()
    data = load_inputs(folder)
    assert [(str(w.location), w.code) for w in data.warnings] == [("d.xlsx!说明", IssueCode.SHEET_SKIPPED)]


def test_header_with_a_unit_that_does_not_fit(data_dir):
    folder = data_dir(
        {
            "d.csv": csv_text(
                "990123101000,城关镇,2020Q3,1800", header="区划代码,名称,统计期,农村低保人数(万元)"
            )
        }
    )
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    assert [(str(i.location), i.code) for i in caught.value.report.errors] == [
        ("d.csv:行1:农村低保人数(万元)", IssueCode.BAD_UNIT)
    ]


def test_units_scale_before_the_integer_check(data_dir):
    header = "区划代码,统计期,农村户籍人口(万人),农村低保标准(元/人·月)"
    data = load_inputs(data_dir({"d.csv": csv_text("990123101000,2020Q3,4.0512,425", header=header)}))
    assert data.dataset.reported(TOWN, Q3, "population_rural").value == 40512
    assert data.dataset.reported(TOWN, Q3, "dibao_rural_standard").value == 5100


def test_data_folder_aliases(data_dir):
    folder = data_dir(
        {
            "config.toml": '[aliases]\n"保障户" = "dibao_rural_households"\n"保障人数" = "农村低保人数"\n"地名" = "名称"\n',
            "d.csv": csv_text("城关镇,2020Q3,900,1800", header="地名,统计期,保障户,保障人数"),
        }
    )
    data = load_inputs(folder)
    assert data.dataset.reported(TOWN, Q3, "dibao_rural_households").value == 900
    assert data.dataset.reported(TOWN, Q3, "dibao_rural_persons").value == 1800


def test_bad_config_is_reported(data_dir):
    folder = data_dir({"config.toml": '[aliases]\n"保障户" = "没有这个字段"\nrounding = "up"\n'})
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    assert {i.code for i in caught.value.report.errors} == {IssueCode.BAD_CONFIG}


def test_sample_county_loads_cleanly():
    from tests.conftest import SAMPLE

    data = load_inputs(SAMPLE)
    assert data.warnings == ()
    assert [str(p) for p in data.dataset.periods()] == [
        f"{y}Q{q}" for y in (2018, 2019, 2020) for q in (1, 2, 3, 4)
    ]
    towns = data.dataset.regions.children_of("990123")
    assert len(towns) == 12
    for period in data.dataset.periods():
        for fid in data.dataset.fields.fields:
            assert data.dataset.total("990123", period, fid) is not None, (period, fid)
