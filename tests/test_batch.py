"""The batch runner: every county of a city in one command, a failure kept to its county, a summary that ranks
them with the figures `check` computes, and a second run that skips what is still up to date."""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import docx as python_docx
import openpyxl
import pytest

from report_builder import batch as batch_module
from report_builder.batch import make_region
from report_builder.load import load_inputs
from report_builder.periods import Period
from tests.conftest import REGIONS as CITY
from tests.hostile.conftest import run_cli

REGIONS = (  # the city of tests/conftest.py, with a county without townships and a county of one
    CITY + "990125,空县,990100,县\n990126,远县,990100,县\n990126101000,远镇,990126,乡\n"
)
FACTS = """区划代码,名称,统计期,农村户籍人口,农村低保户数,农村低保人数
990123101000,城关镇,2020Q3,40000,900,1800
990123102000,青山镇,2020Q3,30000,700,1500
990124101000,河口镇,2020Q3,20000,300,600
990124102000,青山镇,2020Q3,10000,200,400
990125,空县,2020Q3,5000,100,200
990126101000,远镇,2020Q3,8000,500,900
"""
NOTICE = "关于各县（市、区）2020年三季度兜底保障目标任务完成情况的通报"
TARGETS = "指标,比较,目标值,区划代码,期间,依据\ndibao_rural_coverage,>=,5,*,2020Q3,示例市民政局下达\n"


# A template that cannot do without townships: its report of 空县 fails (for the template, not the data).
BY_TOWNSHIP = {
    "template.toml": 'description = "各乡镇农村低保覆盖率"\nstyle = "gongwen"\nmain = "report.xml.j2"\n',
    "charts.toml": '[coverage]\nkind = "bar_with_target"\nindicator = "dibao_rural_coverage"\ntitle = "各{sub}"\n',
    "report.xml.j2": """<document>
<title>{{ org }}<br/>{{ period | period_label }}农村低保工作报告</title>
<p>{{ period | as_of }}，{{ level }}农村低保覆盖率为{{ s.dibao_rural_coverage.text }}。</p>
<figure chart="coverage" caption="图1　各{{ sub }}农村低保覆盖率"/>
<signature org="{{ org }}" date="{{ date }}"/>
</document>
""",
}


@pytest.fixture
def city(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name, text in (("regions.csv", REGIONS), ("低保.csv", FACTS), ("targets.csv", TARGETS)):
        (folder / name).write_text(text, encoding="utf-8")
    template = tmp_path / "by_township"
    template.mkdir()
    for name, text in BY_TOWNSHIP.items():
        (template / name).write_text(text, encoding="utf-8")
    return folder


def batch(data: Path, out: Path, *extra: object, template: str | None = None):
    """`report-builder batch` of 2020Q3, by default with the template that needs townships."""
    chosen = template or str(data.parent / "by_township")
    return run_cli("batch", "--data", data, "--period", "2020Q3", "--out", out, "--template", chosen, *extra,
                   timeout=180)  # fmt: skip


def sheet(path: Path, name: str) -> list[dict[str, str]]:
    rows = list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_a_city_of_four_counties(city: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = batch(city, out, "--jobs", "2")
    first.ended(2, "成功\t990123 示例县", "失败\t990125 空县", "生成 3 个", "失败 1 个")
    assert sorted(p.name for p in out.iterdir()) == [
        "990123-示例县",
        "990124-邻县",
        "990126-远县",
        f"{NOTICE}.docx",
        f"{NOTICE}.pdf",
        "汇总.xlsx",
    ]
    for folder in ("990123-示例县", "990124-邻县", "990126-远县"):
        names = sorted(p.suffix for p in (out / folder).iterdir() if p.is_file())
        assert names == [".docx", ".json", ".pdf", ".xlsx"], names

    built = {row["代码"]: row for row in sheet(out / "汇总.xlsx", "生成情况")}
    assert [built[c]["结果"] for c in ("990123", "990124", "990125", "990126")] == [
        "成功",
        "成功",
        "失败",
        "成功",
    ]
    assert (
        "by_township/report.xml.j2:行" in built["990125"]["说明"]
        and "空县之下没有下级区划" in built["990125"]["说明"]
    )
    assert built["990123"]["输出文件"].startswith("990123-示例县/")

    # The ranking holds the figures `check` computes, worst first, ranked from the best.
    checked = run_cli("check", "--data", city, "--period", "2020Q3", "--format", "json")
    expected = {r["region_code"]: r for r in json.loads(checked.stdout) if r["level"] == "县"}
    ranked = sheet(out / "汇总.xlsx", "目标完成情况")
    # 农村低保覆盖率 by hand: 1000/30000 = 3.33%, 200/5000 = 4.00%, 3300/70000 = 4.71%, 900/8000 = 11.25%
    assert [r["代码"] for r in ranked] == ["990124", "990125", "990123", "990126"]
    assert [r["排名"] for r in ranked] == ["4", "3", "2", "1"]
    for row in ranked:
        assert row["实际值"] == expected[row["代码"]]["value"] + "%"
        assert row["结果"] == expected[row["代码"]]["status"]

    # A second run skips every county that was built; --force builds them again.
    again = batch(city, out, "--jobs", "2")
    again.ended(2, "未变跳过 3 个", "失败 1 个")
    (docx,) = (out / "990123-示例县").glob("*.docx")
    before = docx.stat().st_mtime_ns
    forced = batch(city, out, "--jobs", "1", "--force", "--under", "990100")
    forced.ended(2, "生成 3 个")
    assert docx.stat().st_mtime_ns != before


def test_the_pool_and_one_process_write_the_same_files(city: Path, tmp_path: Path) -> None:
    batch(city, tmp_path / "one", "--jobs", "1").ended(2)
    batch(city, tmp_path / "two", "--jobs", "2").ended(2)
    for docx in (tmp_path / "one").glob("*/*.docx"):
        twin = tmp_path / "two" / docx.parent.name / docx.name
        with zipfile.ZipFile(docx) as a, zipfile.ZipFile(twin) as b:
            assert a.read("word/document.xml") == b.read("word/document.xml")
        assert docx.with_suffix(".pdf").read_bytes() == twin.with_suffix(".pdf").read_bytes()


def test_bad_options(city: Path, tmp_path: Path) -> None:
    batch(city, tmp_path / "o", "--level", "village").ended(2, "--level 应为 county | township | city")
    batch(city, tmp_path / "o", "--under", "123456").ended(
        2, "--under", "区划代码 123456 不在 regions.csv 中"
    )
    batch(city, tmp_path / "o", "--jobs", "0").ended(2, "--jobs 应为不小于 1 的整数")


def test_bad_data_fails_its_county_alone(city: Path, tmp_path: Path) -> None:
    """A county row that is not its townships' sum, and an unreadable workbook in a county's folder: those two
    counties fail with the located message, the others are built from the same folder."""
    with (city / "低保.csv").open("a", encoding="utf-8") as facts:
        facts.write("990124,邻县,2020Q3,30000,500,999\n")  # 河口镇 600 + 青山镇 400 = 1000
    (city / "990126-远县").mkdir()
    (city / "990126-远县" / "补充.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "out"
    run = batch(city, out, "--jobs", "2")
    run.ended(2, "生成 1 个", "失败 3 个")
    built = {row["代码"]: row for row in sheet(out / "汇总.xlsx", "生成情况")}
    assert [built[c]["结果"] for c in ("990123", "990124", "990125", "990126")] == [
        "成功",
        "失败",
        "失败",
        "失败",
    ]
    assert "低保.csv:行8:农村低保人数" in built["990124"]["说明"]
    assert "上报数为999，而下级汇总数为1000" in built["990124"]["说明"]
    assert "990126-远县/补充.xlsx" in built["990126"]["说明"]
    assert sorted(p.name for p in out.iterdir()) == [
        "990123-示例县",
        f"{NOTICE}.docx",
        f"{NOTICE}.pdf",
        "汇总.xlsx",
    ]


def test_an_error_that_belongs_to_no_county_stops_the_batch(city: Path, tmp_path: Path) -> None:
    (city / "补充.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "out"
    batch(city, out).ended(2, "补充.xlsx")
    assert not out.exists()


def test_a_dask_cluster_writes_the_files_the_pool_writes(city: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, processes=True
    ) as cluster:
        batch(city, tmp_path / "dask", "--scheduler", cluster.scheduler_address).ended(2, "生成 3 个")
    batch(city, tmp_path / "pool", "--jobs", "2").ended(2, "生成 3 个")
    made = sorted(p.relative_to(tmp_path / "dask") for p in (tmp_path / "dask").rglob("*") if p.is_file())
    assert made == sorted(
        p.relative_to(tmp_path / "pool") for p in (tmp_path / "pool").rglob("*") if p.is_file()
    )
    for relative in made:
        if relative.name != "汇总.xlsx":  # the summary records seconds
            assert (tmp_path / "dask" / relative).read_bytes() == (
                tmp_path / "pool" / relative
            ).read_bytes(), relative


def _dies_on_the_far_county(code: str, inputs_digest: str):
    if code == "990126":
        os._exit(9)  # a worker killed under its job, as the OOM killer would
    return make_region(batch_module._BATCH, code, inputs_digest)


def test_a_worker_that_dies_fails_its_regions_not_the_batch(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_module, "_job", _dies_on_the_far_county)
    inputs = load_inputs(city, by_region=True)
    work = batch_module.Batch(inputs, "quarterly", Period.parse("2020Q3"), tmp_path / "out")
    codes = ["990123", "990124", "990126"]
    outcomes = batch_module.run_batch(work, codes, city, jobs=2)
    far = outcomes[2]
    assert far.state is batch_module.State.FAILED and "工作进程异常退出" in far.message
    assert all(o.state in (batch_module.State.BUILT, batch_module.State.FAILED) for o in outcomes)
    assert not (tmp_path / "out" / "990126-远县").exists()


# ---------------------------------------------------------------------------------------------------------------
# The 通报: the ranking of 汇总.xlsx in a 公文, read back from both files

CLOSING = "，。；、：？！）》”’"


def notice_docx(out: Path) -> tuple[str, list[list[list[str]]]]:
    """The DOCX's paragraphs as one text (without the breaks a writer puts in) and its tables as rows of cells."""
    document = python_docx.Document(str(out / f"{NOTICE}.docx"))
    text = re.sub(r"\s+", "", "".join(p.text for p in document.paragraphs))
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    return text, tables


def notice_pdf(out: Path) -> tuple[str, list[str]]:
    """The PDF's text without the spaces of justified lines and page numbers, and its lines as printed."""
    layout = subprocess.run(["pdftotext", "-layout", str(out / f"{NOTICE}.pdf"), "-"], capture_output=True,
                            text=True, check=True).stdout  # fmt: skip
    lines = [line.strip() for line in layout.splitlines() if line.strip()]
    return re.sub(r"—\d+—", "", re.sub(r"\s+", "", layout)), lines


def test_the_notice_ranks_the_counties_whose_data_passed(city: Path, tmp_path: Path) -> None:
    """邻县's own row is not its townships' sum: its report fails and it is left out of the ranking, in the sheet
    and in the 通报 alike. 空县's report fails too, for its template (no townships), but its data are sound:
    it is ranked in both."""
    with (city / "低保.csv").open("a", encoding="utf-8") as facts:
        facts.write("990124,邻县,2020Q3,30000,500,999\n")
    out = tmp_path / "out"
    batch(city, out, "--jobs", "2").ended(
        2, f"已写入通报 {out / NOTICE}.docx", f"已写入通报 {out / NOTICE}.pdf", "失败 2 个"
    )
    text, tables = notice_docx(out)
    pdf, lines = notice_pdf(out)
    sheet_rows = sheet(out / "汇总.xlsx", "目标完成情况")
    assert sheet_rows[-1] == {"指标": "农村低保覆盖率", "代码": "990124", "名称": "邻县", "实际值": "—",
                              "目标": "≥5%", "结果": "数据未通过校验，未参加排名", "差距": None, "排名": None}  # fmt: skip
    ranked = {r["名称"]: r for r in sheet_rows[:-1]}

    for printed in (text, pdf):
        assert printed.startswith(NOTICE + "各县（市、区）民政局：")
        # The counts, computed: 4 counties, 邻县 left out, 3 ranked on 1 target, 1 met and 2 missed.
        assert (
            "本次核查4个县（市、区），其中3个参加排名。按1项目标任务统计，共3项次，其中达标1项次、未达标2项次。"
            in printed
        )
        assert "邻县数据未通过校验（原因见汇总.xlsx“生成情况”表），未参加排名。" in printed
        # The misses in words, worst first, with their shortfalls: 5 − 4.00 and 5 − 4.71 (by hand, see above).
        assert (
            "农村低保覆盖率：空县、示例县未达到不低于5%的目标，分别差1.00个百分点、0.29个百分点。" in printed
        )
        assert "【待编辑】" in printed
        assert printed.endswith("示例市民政局2020年9月30日")

    (table,) = tables
    assert table[0] == ["排名", "县（市、区）", "完成值", "目标", "状态", "差距"]
    # Ranked among the three whose data passed, worst first: 4.00%, 4.71%, 11.25%, as the sheet ranks them.
    assert [(r[0], r[1], r[2]) for r in table[1:]] == [("3", "空县", "4.00%"), ("2", "示例县", "4.71%"),
                                                       ("1", "远县", "11.25%")]  # fmt: skip
    for rank, name, shown, target, status, gap in table[1:]:
        row = ranked[name]
        assert (rank, shown, target, status, gap) == (
            row["排名"],
            row["实际值"],
            row["目标"],
            row["结果"],
            row["差距"],
        )
        assert "".join((rank, name, shown, target, status, gap)) in pdf
    assert "邻县" not in "".join(cell for row in table for cell in row)

    # No line of the PDF starts with closing punctuation (禁则).
    assert not [line for line in lines if line[0] in CLOSING], [line for line in lines if line[0] in CLOSING]


def test_when_every_county_is_built_the_notice_prints_the_sheet(city: Path, tmp_path: Path) -> None:
    """The same ranking as 目标完成情况, rank for rank: 空县 gets a township and is built too."""
    (city / "regions.csv").write_text(REGIONS + "990125101000,空镇,990125,乡\n", encoding="utf-8")
    facts = FACTS.replace("990125,空县,2020Q3", "990125101000,空镇,2020Q3")
    (city / "低保.csv").write_text(facts, encoding="utf-8")
    out = tmp_path / "out"
    batch(city, out, "--jobs", "2", "--date", "2020-10-10").ended(0, "生成 4 个")
    text, (table,) = notice_docx(out)
    ranked = sheet(out / "汇总.xlsx", "目标完成情况")
    assert [r["排名"] for r in ranked] == ["4", "3", "2", "1"]
    assert table[1:] == [[r["排名"], r["名称"], r["实际值"], r["目标"], r["结果"], r["差距"]] for r in ranked]
    assert "未参加排名" not in text and "本次核查4个县（市、区）。" in text
    assert "邻县、空县、示例县未达到不低于5%的目标，分别差1.67个百分点、1.00个百分点、0.29个百分点。" in text
    assert text.endswith("示例市民政局2020年10月10日")


def test_the_shipped_template_reports_on_a_county_without_townships(city: Path, tmp_path: Path) -> None:
    """The quarterly template leaves out its by-township chart where there are no townships (空县 reports its
    own row), and numbers the trend chart 图1."""
    out = tmp_path / "out"
    batch(city, out, "--under", "990125", template="quarterly").ended(0, "成功\t990125 空县", "生成 1 个")
    (report,) = (out / "990125-空县").glob("*.docx")
    captions = [p.text for p in python_docx.Document(str(report)).paragraphs if p.text.startswith("图")]
    assert captions == ["图1　近八个季度全县农村低保人数"]
