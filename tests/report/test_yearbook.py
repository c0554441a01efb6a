"""The yearbook chapter: numbered three-line tables, years, 合计 rows, running head, first page, and the change
list against an earlier build."""

from __future__ import annotations

import csv
import re
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from report_builder.load import load_inputs
from report_builder.periods import Period
from report_builder.pipeline import BuildOptions, build_report
from tests.conftest import SAMPLE

TOWN = "990123104000"  # 石桥镇


def build(data: Path, out: Path, previous: Path | None = None) -> dict[str, Path]:
    options = BuildOptions(first_page=378, previous=previous)
    return {p.name if p.suffix == ".csv" else p.suffix: p
            for p in build_report(load_inputs(data), "yearbook", Period.parse("2020"), None, out, options).files}  # fmt: skip


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    return build(SAMPLE, tmp_path_factory.mktemp("yearbook"))


def texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def table_values(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_tables_are_numbered_with_unit_and_source(chapter):
    lines = texts(chapter[".docx"])
    captions = [t for t in lines if t.startswith("表")]
    assert captions == [
        "表1　2016—2020年主要民政指标",
        "表2　2020年各乡镇（街道）社会救助情况",
        "表3　2020年各乡镇（街道）养老服务设施情况",
    ]
    for caption in captions:
        i = lines.index(caption)
        assert lines[i + 1].startswith("单位：")
    assert lines.count("资料来源：示例县民政局") == 3


def test_years_and_missing_years(chapter):
    table = table_values(docx.Document(str(chapter[".docx"])).tables[0])
    assert table[0][2:] == ["2016年", "2017年", "2018年", "2019年", "2020年"]
    persons = next(r for r in table if r[0] == "农村低保人数")
    assert persons[2:4] == ["—", "—"]
    with open(SAMPLE / "人口与低保.csv", encoding="utf-8", newline="") as f:
        q4 = sum(int(r["农村低保人数"]) for r in csv.DictReader(f) if r["统计期"] == "2020Q4")
    assert persons[-1] == str(q4)  # a year's stock is its last quarter


def half_up(value: Decimal, places: str) -> str:
    return str(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def test_total_rows_add_up_and_rates_are_ratios_of_sums(chapter):
    tables = docx.Document(str(chapter[".docx"])).tables
    relief = table_values(tables[1])
    total, towns = relief[2], relief[3:]
    assert total[0] == "合计" and len(towns) == 12
    for col in (1, 2, 4, 5, 6):  # households, persons, 特困, 集中供养, 人次
        assert int(total[col]) == sum(int(t[col]) for t in towns)
    care = table_values(tables[2])
    total, towns = care[1], care[2:]
    elderly, beds, nursing = (sum(Decimal(t[c]) for t in towns) for c in (1, 2, 3))
    assert total[4] == half_up(beds * 1000 / elderly, "0.1")
    assert total[5] == half_up(nursing * 100 / beds, "0.1")
    mean_of_rates = sum(Decimal(t[5]) for t in towns) / len(towns)
    assert total[5] != half_up(mean_of_rates, "0.1")


def test_three_line_rules(chapter):
    table = docx.Document(str(chapter[".docx"])).tables[0]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    sizes = {b.tag.split("}")[1]: b.get(qn("w:sz")) for b in borders}
    assert sizes["top"] == sizes["bottom"] == "12"
    assert sizes["insideV"] is None and sizes["left"] is None


def test_running_head_and_first_page(chapter):
    section = docx.Document(str(chapter[".docx"])).sections[0]
    assert section.header.paragraphs[0].text == "示例县年鉴（2021）　民政"
    assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "378"
    pdf = subprocess.run(
        ["pdftotext", "-layout", str(chapter[".pdf"]), "-"], capture_output=True, text=True
    ).stdout
    squeezed = re.sub(r"\s+", "", pdf)
    assert "·378·" in squeezed and "·379·" in squeezed
    assert squeezed.count("示例县年鉴（2021）民政") >= 2
    for caption in (
        "表12016—2020年主要民政指标",
        "表22020年各乡镇（街道）社会救助情况",
        "资料来源：示例县民政局",
    ):
        assert caption in squeezed


def test_the_change_list_names_exactly_what_a_revision_touches(sample_copy, tmp_path):
    first = build(sample_copy, tmp_path / "v1")
    path = sample_copy / "养老服务.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    beds = rows[0].index("养老床位数")
    row = next(r for r in rows if r[0] == TOWN and r[2] == "2020Q4")
    row[beds] = str(int(row[beds]) + 40)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    second = build(sample_copy, tmp_path / "v2", previous=tmp_path / "v1")
    with second["changes.csv"].open(encoding="utf-8") as f:
        changes = list(csv.DictReader(f))
    assert changes
    depends = {"beds_elderly", "beds_per_1000_elderly", "nursing_bed_share"}
    assert {c["indicator"] for c in changes} <= depends
    assert {c["region"] for c in changes} <= {TOWN, "990123"}
    keys = {(c["indicator"], c["region"], c["kind"]) for c in changes}
    assert {("beds_elderly", TOWN, "表内数值"), ("beds_elderly", "990123", "数值"),
            ("beds_per_1000_elderly", "990123", "数值"), ("nursing_bed_share", TOWN, "表内数值")} <= keys  # fmt: skip
    assert first[".docx"].read_bytes() != second[".docx"].read_bytes()
    same = build(sample_copy, tmp_path / "v3", previous=tmp_path / "v2")
    assert same["changes.csv"].read_text(encoding="utf-8").strip() == ",".join(
        ("figure", "indicator", "region", "period", "kind", "old", "new")
    )


def test_previous_without_manifest_is_bad_input(cli, tmp_path):
    result = cli("build", "--data", SAMPLE, "--template", "yearbook", "--period", "2020", "--out", tmp_path / "o",
                 "--previous", tmp_path)  # fmt: skip
    assert result.exit_code == 2
    assert "manifest.json" in result.output
