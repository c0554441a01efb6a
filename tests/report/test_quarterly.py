"""The quarterly report, end to end: every printed figure is a computed one, both documents say the same,
every missed target is discussed, and a changed township figure changes the report."""

from __future__ import annotations

import csv
import json
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

PERIOD = "2020Q3"
COUNTY = "990123"


def build(data: Path, out: Path) -> dict[str, Path]:
    result = build_report(load_inputs(data), "quarterly", Period.parse(PERIOD), None, out, BuildOptions())
    return {p.suffix: p for p in result.files}


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def section(texts: list[str], start: str, end: str) -> str:
    i = next(k for k, t in enumerate(texts) if t.endswith(start))
    j = next(k for k, t in enumerate(texts) if t.endswith(end))
    return "".join(texts[i + 1 : j])


def pdf_text(path: Path) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"—\d+—", "", re.sub(r"\s+", "", text))  # page numbers split paragraphs across pages


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    files = build(SAMPLE, out)
    manifest = json.loads(files[".json"].read_text(encoding="utf-8"))["figures"]
    return files, manifest


@pytest.fixture(scope="module")
def exported(sample_report):
    from typer.testing import CliRunner

    from report_builder.cli import app

    result = CliRunner().invoke(
        app, ["indicators", "--data", str(SAMPLE), "--period", PERIOD, "--format", "json"]
    )
    return {(r["region_code"], r["indicator"]): r for r in json.loads(result.stdout)}


def test_file_names_and_outputs(sample_report):
    files, _ = sample_report
    assert files[".docx"].name == "示例县民政局2020年三季度兜底保障工作报告.docx"
    assert files[".pdf"].name == "示例县民政局2020年三季度兜底保障工作报告.pdf"
    assert {".xlsx", ".json"} <= set(files)


def test_printed_indicators_equal_the_export(sample_report, exported):
    _, manifest = sample_report
    checked = set()
    for figure in manifest:
        row = exported.get((figure["region"], figure["indicator"]))
        if row is None or figure["kind"] != "数值" or figure["period"] != PERIOD:
            continue
        assert figure["shown"] == row["value"] + row["unit"], figure
        checked.add((figure["region"], figure["indicator"]))
    core = {"dibao_rural_coverage", "beds_per_1000_elderly", "nursing_bed_share", "tekun_concentrated_rate",
            "tekun_dependent_concentrated_rate", "poverty_incidence", "dibao_persons_per_household"}  # fmt: skip
    assert {(COUNTY, i) for i in core} <= checked
    towns = {r for r, i in exported if len(r) == 12}
    targeted = {"beds_per_1000_elderly", "nursing_bed_share", "tekun_dependent_concentrated_rate"}
    assert {(t, i) for t in towns for i in targeted} <= checked  # the township table


def column_sum(filename: str, header: str) -> int:
    with open(SAMPLE / filename, encoding="utf-8-sig", newline="") as f:
        return sum(int(r[header]) for r in csv.DictReader(f) if r["统计期"] == PERIOD)


def test_printed_counts_equal_hand_sums(sample_report):
    _, manifest = sample_report
    printed = {(f["indicator"], f["kind"]): f["shown"] for f in manifest if f["region"] == COUNTY}
    assert printed["dibao_rural_persons", "数值"] == f"{column_sum('人口与低保.csv', '农村低保人数')}人"
    assert printed["dibao_rural_households", "数值"] == f"{column_sum('人口与低保.csv', '农村低保户数')}户"
    assert printed["beds_elderly", "数值"] == f"{column_sum('养老服务.csv', '养老床位数')}张"
    assert printed["dibao_rural_standard", "÷12"] == "425元"


def numbers_in(text: str) -> list[str]:
    """Numbers of a sentence, without dates and period names (2020年, 9月30日, 1—9月)."""
    text = re.sub(r"\d{4}年(\d{1,2}(—\d{1,2})?月(\d{1,2}日)?)?", "", text)
    return re.findall(r"\d+(?:\.\d+)?", text)


def test_every_number_in_the_text_is_a_computed_one(sample_report):
    files, manifest = sample_report
    shown = " ".join(f["shown"] for f in manifest)
    texts = paragraphs(files[".docx"])
    body = section(texts, "重点工作完成情况", "下一步工作")
    counts = section(texts, "指标完成情况", "表1　示例县2020年三季度考核指标完成情况")
    allowed_counts = set(numbers_in(counts))  # counts of targets, checked below against the check command
    for checked, missed in re.findall(
        r"(\d+)个乡镇（街道）中(?:仍)?有(\d+)个", body
    ):  # how many towns miss a target
        assert int(checked) == 12 and 0 < int(missed) <= 12
    body = re.sub(r"\d+个乡镇（街道）中(?:仍)?有\d+个", "", body)
    for number in numbers_in(body):
        assert number in shown or number in allowed_counts or number in ("1", "2"), number  # 图1, 表2


def test_target_counts_match_the_check(sample_report):
    from typer.testing import CliRunner

    from report_builder.cli import app

    result = CliRunner().invoke(app, ["check", "--data", str(SAMPLE), "--period", PERIOD, "--format", "json"])
    rows = [r for r in json.loads(result.stdout) if r["region_code"] == COUNTY]
    met = sum(r["status"] == "达标" for r in rows)
    texts = paragraphs(sample_report[0][".docx"])
    summary = section(texts, "指标完成情况", "表1　示例县2020年三季度考核指标完成情况")
    assert f"对照上级下达的{len(rows)}项考核指标，全县达标{met}项、未达标{len(rows) - met}项" in summary


def test_every_missed_target_is_a_problem(sample_report):
    from typer.testing import CliRunner

    from report_builder.cli import app

    result = CliRunner().invoke(app, ["check", "--data", str(SAMPLE), "--period", PERIOD, "--format", "json"])
    missed = [r for r in json.loads(result.stdout) if r["status"] != "达标" and r["level"] in ("县", "乡")]
    assert missed
    problems = section(paragraphs(sample_report[0][".docx"]), "存在问题", "下一步工作")
    for row in missed:
        assert row["name"] in problems
        name = "全县" if row["level"] == "县" else row["region_name"]
        assert f"{name}{row['value']}{row['unit']}" in problems or f"全县为{row['value']}" in problems, row


def test_docx_and_pdf_carry_the_same_sentences(sample_report):
    files, _ = sample_report
    in_pdf = pdf_text(files[".pdf"])
    for text in paragraphs(files[".docx"]):
        assert re.sub(r"\s+", "", text) in in_pdf, text


def test_the_docx_marks_misses_and_editable_text(sample_report):
    files, _ = sample_report
    doc = docx.Document(str(files[".docx"]))
    red = [r.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
           if r.font.color.rgb is not None]  # fmt: skip
    assert "43.5" in red and "51.9" not in red  # 石桥镇 misses, 城关镇 does not
    assert any(p.text.startswith("【待编辑】") for p in doc.paragraphs)


def test_a_changed_township_changes_the_report(sample_copy, tmp_path, sample_report):
    """石桥镇 gets enough beds: the county figure, its status row and the problems change with it."""
    before = paragraphs(sample_report[0][".docx"])
    path = sample_copy / "养老服务.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    town = next(r for r in rows if r[0] == "990123104000" and r[2] == PERIOD)
    old_beds = int(town[header.index("养老床位数")])
    elderly = int(town[header.index("60周岁及以上老年人口")])
    town[header.index("养老床位数")] = str(-(-elderly * 50 // 1000))  # just enough for 50 per thousand
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    after = paragraphs(build(sample_copy, tmp_path)[".docx"])
    added = -(-elderly * 50 // 1000) - old_beds
    county_before = column_sum("养老服务.csv", "养老床位数")
    assert any(f"共有养老床位{county_before + added}张" in t for t in after)
    assert not any(f"共有养老床位{county_before + added}张" in t for t in before)
    problem = lambda texts: section(texts, "存在问题", "下一步工作")  # noqa: E731
    assert "石桥镇43.5" in problem(before)
    assert "石桥镇" in problem(after)  # still misses other targets
    assert "石桥镇43.5" not in problem(after) and "石桥镇50.0" not in problem(after)
    table = docx.Document(str(tmp_path / "示例县民政局2020年三季度兜底保障工作报告.docx")).tables[-1]
    cells = {row.cells[0].text: row.cells[1] for row in table.rows[1:]}
    assert cells["石桥镇"].text in ("50.0", "50.1")
    assert cells["石桥镇"].paragraphs[0].runs[0].font.color.rgb is None


def test_build_command(cli, tmp_path, data_dir):
    result = cli("build", "--data", SAMPLE, "--template", "quarterly", "--period", PERIOD, "--out", tmp_path,
                 "--format", "docx", "--date", "2020-10-10")  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = tmp_path / "示例县民政局2020年三季度兜底保障工作报告.docx"
    assert f"已写入 {doc}" in result.output
    assert not doc.with_suffix(".pdf").exists()
    assert paragraphs(doc)[-1] == "2020年10月10日"
    bad = cli("build", "--data", SAMPLE, "--template", "nope", "--period", PERIOD, "--out", tmp_path)
    assert bad.exit_code == 2 and "quarterly" in bad.output
    assert (
        cli("build", "--data", SAMPLE, "--period", "2020Q3", "--date", "10/10", "--out", tmp_path).exit_code
        == 2
    )
    broken = data_dir({"d.csv": "区划代码,统计期,养老床位数\n990123101000,2020Q3,abc\n"})
    result = cli("build", "--data", broken, "--period", PERIOD, "--out", tmp_path)
    assert result.exit_code == 2 and "d.csv:行2:养老床位数" in result.output
    assert "quarterly" in cli("templates").output


def test_reference_docx_styles_replace_ours(tmp_path, sample_report):
    reference = tmp_path / "ref.docx"
    ref = docx.Document()
    ref.styles.add_style("RB body", 1).font.name = "Times New Roman"
    ref.save(reference)
    out = tmp_path / "out"
    build_report(
        load_inputs(SAMPLE),
        "quarterly",
        Period.parse(PERIOD),
        None,
        out,
        BuildOptions(formats=("docx",), reference_docx=reference),
    )
    doc = docx.Document(str(out / "示例县民政局2020年三季度兜底保障工作报告.docx"))
    assert doc.styles["RB body"].font.name == "Times New Roman"
    fonts = doc.styles["RB body"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Times New Roman"  # their font reaches East Asian text too
    assert not [k for k in fonts.attrib if k.endswith("Theme")]
    assert doc.paragraphs[0].text.startswith("示例县民政局")


def test_same_inputs_same_bytes(sample_report, tmp_path):
    files, _ = sample_report
    again = build(SAMPLE, tmp_path)
    assert again[".docx"].read_bytes() == files[".docx"].read_bytes()
    assert again[".pdf"].read_bytes() == files[".pdf"].read_bytes()


def test_amounts_are_scaled(sample_report):
    _, manifest = sample_report
    amount = next(
        f for f in manifest if f["indicator"] == "relief_temporary_amount" and f["kind"] == "累计数值"
    )
    assert amount["shown"].endswith("万元")
    in_wan = (Decimal(amount["exact"]) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(amount["shown"].removesuffix("万元")) == in_wan


def test_unknown_region_and_empty_period_are_bad_input(cli, tmp_path):
    result = cli("build", "--data", SAMPLE, "--period", PERIOD, "--region", "990199", "--out", tmp_path)
    assert result.exit_code == 2 and "990199" in result.output
    result = cli("build", "--data", SAMPLE, "--period", "2030Q1", "--out", tmp_path)
    assert result.exit_code == 2 and "没有示例县2030年一季度的数据" in result.output
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_a_city_report_speaks_of_its_counties(tmp_path: Path) -> None:
    """The sub-level word follows the tree: a city's report ranks 县（市、区）, a county's 乡镇（街道）."""
    result = build_report(load_inputs(SAMPLE), "quarterly", Period.parse(PERIOD), "990100", tmp_path,
                          BuildOptions(formats=("docx",)))  # fmt: skip
    document = docx.Document(str(result.docx))
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "表2\u3000各县（市、区）考核指标完成情况" in texts
    assert "图1\u30002020年三季度各县（市、区）每千名老年人拥有养老床位数" in texts
    assert re.search(r"分县（市、区）看，\d+项次考核", texts)
    assert re.search(r"\d+个县（市、区）中仍?有\d+个", texts)
    assert "乡镇（街道）" not in texts
    assert document.tables[1].rows[0].cells[0].text == "县（市、区）"
    (chart,) = (p for p in result.figures if p.name.startswith("beds_by_township") and p.suffix == ".svg")
    assert "各县（市、区）每千名老年人拥有养老床位数" in chart.read_text(encoding="utf-8")


def test_a_county_report_speaks_of_its_townships(sample_report) -> None:
    files, _ = sample_report
    texts = "\n".join(paragraphs(files[".docx"]))
    assert "表2\u3000各乡镇（街道）考核指标完成情况" in texts
    assert "县（市、区）" not in texts
    # A header of six characters or fewer is one word: never "乡镇（街 / 道）" in the PDF.
    layout = subprocess.run(["pdftotext", "-layout", str(files[".pdf"]), "-"], capture_output=True, text=True,
                            check=True).stdout  # fmt: skip
    lines = [line for line in layout.splitlines() if "乡镇（街" in line]
    assert lines and all("乡镇（街道）" in line for line in lines), lines
    document = docx.Document(str(files[".docx"]))
    header = document.tables[1].rows[0].cells[0]
    assert header.text == "乡镇（街道）"
    assert header.width.mm >= 6 * 12 * 25.4 / 72  # six characters of the table font (12 pt), no wrapping


def test_a_township_report_from_the_shipped_template(tmp_path):
    """A 乡 has no townships below it: the by-township chart is left out (the trend chart becomes 图1), the
    report is issued by the 乡人民政府 to the county's 民政局, and the county's 低保标准 applies to it."""
    inputs = load_inputs(SAMPLE)
    result = build_report(inputs, "quarterly", Period.parse(PERIOD), "990123203000", tmp_path, BuildOptions())
    files = {p.suffix: p for p in result.files}
    texts = paragraphs(files[".docx"])
    assert texts[0].startswith("桃源乡人民政府")
    assert "示例县民政局：" in texts
    with (SAMPLE / "低保标准.csv").open(encoding="utf-8") as f:
        standard = next(int(r["农村低保标准"]) for r in csv.DictReader(f) if r["统计期"] == PERIOD)
    body = "".join(texts)
    assert f"农村低保标准为每人每年{standard}元" in body
    captions = [t for t in texts if t.startswith("图")]
    assert captions == ["图1　近八个季度全乡农村低保人数"]
    assert "民政局坚持" not in body and "—（每人每月—）" not in body
