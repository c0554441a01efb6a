"""The page in a real browser (Debian's chromium driven by Playwright, no browser download), step by step as a
statistician would use it, each step's screenshot taken — into docs/web/ for the README when
REPORT_BUILDER_SCREENSHOTS=1 is set (`REPORT_BUILDER_SCREENSHOTS=1 python build.py test tests/web`), else into a
temporary folder, so a test run never changes the repository's files.

The figures on the page are compared with the CLI's, the downloaded DOCX with the one `build` writes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import openpyxl
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import ROOT, SAMPLE

BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")  # Debian's, installed by build.py
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip
SHOTS = (
    ROOT / "docs" / "web"
    if os.environ.get("REPORT_BUILDER_SCREENSHOTS")
    else Path(tempfile.mkdtemp(prefix="report-builder-shots-"))
)
BUILD_SECONDS = 240_000  # ms: the first build in a fresh worker pays the imports of WeasyPrint and matplotlib


def cli(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "report-builder", *map(str, args)], capture_output=True, text=True, timeout=300
    )


def zipped(folder: Path, into: Path) -> Path:
    with zipfile.ZipFile(into, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                zf.write(path, f"{folder.name}/{path.name}")
    return into


def two_counties(into: Path) -> Path:
    """The sample county and a copy of it, 邻县 (990124), under 示例市: a city's batch of two county reports."""
    shutil.copytree(SAMPLE, into)
    for table in into.glob("*.csv"):
        lines = table.read_text(encoding="utf-8").splitlines()
        copies = [
            line.replace("990123", "990124").replace("示例县", "邻县")
            for line in lines[1:]
            if line.startswith("990123")
        ]
        table.write_text("\n".join([*lines, *copies]) + "\n", encoding="utf-8")
    sheet = openpyxl.load_workbook(SAMPLE / "临时救助.xlsx").active
    rows = [row[:5] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]
    with (into / "临时救助（邻县）.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["区划代码", "名称", "统计期", "临时救助人次", "临时救助金额(万元)"])
        writer.writerows([str(code).replace("990123", "990124", 1), *rest] for code, *rest in rows)
    return into


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`report-builder serve --data` (a city of two counties) on a free port, with its temporary folder where
    the test can see it go."""
    temp = tmp_path_factory.mktemp("server-tmp")
    city = two_counties(tmp_path_factory.mktemp("city") / "示例市")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [BIN / "report-builder", "serve", "--no-browser", "--port", str(port), "--data", city]
    process = subprocess.Popen(
        cmd, env={**os.environ, "TMPDIR": str(temp)}, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert "报告生成页面" in process.stdout.readline()
    deadline = time.monotonic() + 60
    while not _listening(port):
        assert time.monotonic() < deadline and process.poll() is None, "serve did not start"
        time.sleep(0.2)
    yield f"http://127.0.0.1:{port}/"
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    process.stdout.close()
    assert list(temp.iterdir()) == [], "the server left its sessions' files behind"


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `python build.py` installs it")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(
            viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
        )
        page.goto(server)
        yield page
        browser.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_1_a_broken_copy_shows_its_problems_as_a_table(page: Page, tmp_path: Path):
    shot(page, "1-start")
    broken = tmp_path / "数据"
    shutil.copytree(SAMPLE, broken)
    table = broken / "人口与低保.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    cells = lines[5].split(",")
    cells[-1] = "四百"  # 农村低保人数, typed in words
    lines[5] = ",".join(cells)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = [
        line for line in cli("validate", "--data", broken).stderr.splitlines() if line.startswith("错误 ")
    ]
    assert expected, "the broken copy should fail validation"

    page.set_input_files("input[name=files]", str(zipped(broken, tmp_path / "数据.zip")))
    rows = page.locator("#data table.issues tbody tr.error")
    expect(rows.first).to_be_visible()
    shown = [[cell.inner_text() for cell in row.locator("td").all()] for row in rows.all()]
    # each row names the cell as the CLI does: 错误 人口与低保.csv:行6:农村低保人数：应为数字……
    assert [f"{level} {file}:{cell}：{text}" for level, file, _, cell, text in shown] == expected
    assert "四百" in shown[0][4] and page.locator("#choose").count() == 0  # no building from broken data
    shot(page, "2-problems")


def test_2_the_sample_zip_gives_the_cli_figures_and_the_target_check(page: Page, tmp_path: Path):
    page.set_input_files("input[name=files]", str(zipped(SAMPLE, tmp_path / "sample_data.zip")))
    expect(page.locator("#data .ok")).to_contain_text("已读入 sample_data.zip")
    page.select_option("select[name=period]", "2020Q3")
    expect(page.locator("select[name=region]")).to_have_value("990123")
    page.get_by_role("button", name="查看指标与目标完成情况").click()
    expect(page.locator("table.indicators")).to_be_visible()

    rows = csv.DictReader(io.StringIO(cli("indicators", "--data", SAMPLE, "--period", "2020Q3", "--region",
                                          "990123", "--format", "csv").stdout))  # fmt: skip
    compared = 0
    for row in rows:
        cell = page.locator(f"tr[data-code='{row['region_code']}'] td[data-indicator='{row['indicator']}']")
        if cell.count():
            assert cell.inner_text() == (row["value"] or "—"), row
            compared += 1
    assert compared == 13 * 9  # the county and its 12 townships, every indicator

    checked = json.loads(cli("check", "--data", SAMPLE, "--period", "2020Q3", "--format", "json").stdout)
    shown = {
        "990123",
        *(c.get_attribute("data-code") for c in page.locator("table.indicators tr[data-code]").all()),
    }
    missed = [r for r in checked if r["region_code"] in shown and r["status"] != "达标"]
    red = page.locator("table.checks tr.missed")
    assert red.count() == len(missed) > 0
    assert red.first.locator("td").first.evaluate("e => getComputedStyle(e).color") == "rgb(192, 0, 0)"
    assert sorted(r.locator("td").nth(2).inner_text() for r in red.all()) == sorted(
        f"{r['value']}{r['unit']}" if r["value"] else "—" for r in missed
    )
    shot(page, "3-indicators")


def test_3_build_then_download_what_build_writes(page: Page, tmp_path: Path):
    page.get_by_role("button", name="开始生成").click()
    expect(page.locator("#job .busy")).to_be_visible()  # the progress indicator while the worker builds
    links = page.locator("#job .downloads a")
    expect(links).to_have_count(4, timeout=BUILD_SECONDS)
    names = [a.inner_text() for a in links.all()]
    assert names[0].endswith("报告.docx") and names[1].endswith(".pdf")
    assert names[2] == "下载 indicators.xlsx" and names[3].endswith("报告（全部文件）.zip")
    images = page.locator("#job .pages img")
    expect(images).to_have_count(2)
    assert all(img.evaluate("e => e.complete && e.naturalWidth > 300") for img in images.all())
    shot(page, "4-built")

    with page.expect_download() as got:
        links.nth(0).click()
    mine = tmp_path / got.value.suggested_filename
    got.value.save_as(mine)
    assert cli("build", "--data", SAMPLE, "--period", "2020Q3", "--out", tmp_path / "cli").returncode == 0
    theirs = next((tmp_path / "cli").glob("*.docx"))
    assert mine.name == theirs.name
    text = ["\n".join(p.text for p in docx.Document(str(path)).paragraphs) for path in (mine, theirs)]
    assert text[0] == text[1] and "截至2020年9月30日" in text[0]

    with page.expect_download() as got:
        links.nth(3).click()
    got.value.save_as(tmp_path / "all.zip")
    listed = zipfile.ZipFile(tmp_path / "all.zip").namelist()
    assert {theirs.name, theirs.with_suffix(".pdf").name, "indicators.xlsx", "manifest.json"} <= set(listed)


def test_4_an_audit_lists_inconsistencies_first(page: Page, tmp_path: Path):
    report = tmp_path / "报告.txt"
    report.write_text(
        "全县农村低保对象6305户13183人。\n全县共有特困人员3000人，其中集中供养1000人、分散供养1900人。\n",
        encoding="utf-8",
    )
    expected = json.loads(cli("audit", report, "--format", "json").stdout)
    page.get_by_role("button", name="核对报告").click()
    page.set_input_files("input[name=report]", str(report))
    page.get_by_role("button", name="开始核对").click()
    rows = page.locator("#audit-result table.findings tbody tr")
    expect(rows).to_have_count(len(expected), timeout=BUILD_SECONDS)
    shown = [[c.inner_text() for c in row.locator("td").all()] for row in rows.all()]
    assert shown[0][0] == "不一致" and "3000人" in shown[0][2]
    assert [r[0] for r in shown] == sorted(
        (f["verdict"] for f in expected), key=["不一致", "无法核对", "一致"].index
    )
    assert {(r[1], r[3], r[4]) for r in shown} == {
        (f["location"], f["stated"], f["computed"]) for f in expected
    }
    shot(page, "5-audit")


def test_4b_an_audit_against_the_data_uses_the_chosen_period_and_region(page: Page, tmp_path: Path):
    report = tmp_path / "对照.txt"
    report.write_text("截至2020年9月底，全县农村低保覆盖率为4.51%。\n", encoding="utf-8")
    args = ("--data", SAMPLE, "--period", "2020Q3", "--region", "990123", "--format", "json")
    [expected] = json.loads(cli("audit", report, *args).stdout)
    page.set_input_files("input[name=report]", str(report))
    page.check("input[name=against]")
    page.get_by_role("button", name="开始核对").click()
    row = page.locator("#audit-result table.findings tbody tr")
    expect(row).to_have_count(1, timeout=BUILD_SECONDS)
    cells = [c.inner_text() for c in row.locator("td").all()]
    assert cells == [expected["verdict"], expected["location"], expected["text"], expected["stated"],
                     expected["computed"]] and cells[0] == "不一致"  # fmt: skip
    assert cells[4].startswith("4.478")  # the sample's 2020Q3 coverage, 4.48% as printed


def test_5_a_batch_shows_each_region_as_it_ends(page: Page, tmp_path: Path):
    page.get_by_role("button", name="生成报告").click()  # back to the first tab
    page.get_by_role("button", name="使用启动时指定的数据目录").click()
    expect(page.locator("#data .ok")).to_contain_text("已读入")
    page.select_option("select[name=period]", "2020Q3")
    page.select_option("select[name=region]", "990100")
    page.select_option("select[name=scope]", "county")
    page.locator("#choose button.primary").click()
    expect(page.locator("#job progress")).to_be_visible()
    expect(page.locator("#job .busy")).to_contain_text("/ 2 个区划")
    expect(page.locator("#job .ok")).to_have_text("已生成。", timeout=BUILD_SECONDS)
    shot(page, "6-batch")
    rows = page.locator("#job table.outcomes tbody tr")
    shown = sorted(tuple(c.inner_text() for c in r.locator("td").all()[:2]) for r in rows.all())
    assert shown == [("示例县（990123）", "成功"), ("邻县（990124）", "成功")]
    links = page.locator("#job .downloads a")
    assert links.first.inner_text() == "下载 汇总.xlsx" and "通报" in links.nth(1).inner_text()
    with page.expect_download() as got:
        links.first.click()
    got.value.save_as(tmp_path / "汇总.xlsx")
    built = openpyxl.load_workbook(tmp_path / "汇总.xlsx")["生成情况"]
    states = {row[0]: row for row in built.iter_rows(values_only=True)}
    assert {"990123", "990124"} <= set(states) and all("成功" in states[c] for c in ("990123", "990124"))
