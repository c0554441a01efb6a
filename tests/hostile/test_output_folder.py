"""Items 2, 10, 14, 15 and 16 of the hardening issue: where outputs go, and what happens when that fails."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from tests.hostile.conftest import run_cli


def build(out: Path, *extra: object, data: Path = SAMPLE, period: str = "2020Q3"):
    return run_cli("build", "--data", data, "--period", period, "--out", out, *extra)


def embedded_images(docx: Path) -> dict[str, bytes]:
    """The pictures of a DOCX by the file name they were drawn under (`pic:cNvPr name`)."""
    import re

    with zipfile.ZipFile(docx) as package:
        xml = package.read("word/document.xml").decode("utf-8")
        media = sorted(n for n in package.namelist() if n.startswith("word/media/"))
        names = re.findall(r'<pic:cNvPr id="\d+" name="([^"]+)"', xml)
        return {name: package.read(m) for name, m in zip(names, media, strict=True)}


def test_two_builds_into_one_folder_at_once_keep_their_own_charts(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "report_builder", "build", "--data", str(SAMPLE), "--out", str(out)]
    children = [
        subprocess.Popen(
            [*command, "--period", period, "--format", "docx"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for period in ("2020Q3", "2020Q4")
    ]
    for child in children:
        output = child.communicate(timeout=120)[0].decode()
        assert child.returncode == 0, output
    q3, q4 = (next(out.glob(f"*2020年{q}季度*.docx")) for q in "三四")
    charts_q3, charts_q4 = embedded_images(q3), embedded_images(q4)
    assert len(charts_q3) == len(charts_q4) == 2
    assert not set(charts_q3) & set(charts_q4)  # each quarter's charts under their own names
    for name, data in {**charts_q3, **charts_q4}.items():
        assert (out / "figures" / name).read_bytes() == data
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging folder or temporary left


def test_out_naming_a_file_or_a_folder_under_one(tmp_path: Path) -> None:
    existing = tmp_path / "report.docx"
    existing.write_text("mine", encoding="utf-8")
    build(existing).ended(2, "是一个文件，应为输出目录")
    build(existing / "sub").ended(2, "无法写入", "路径中有一段是文件而不是目录")
    assert existing.read_text(encoding="utf-8") == "mine"


@pytest.mark.skipif(not os.access("/proc", os.R_OK) or os.access("/proc/1", os.W_OK), reason="needs /proc")
def test_out_on_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    """/proc refuses new files even to root, as a read-only share refuses them to a user."""
    build(Path("/proc/1/out")).ended(2, "无法写入 /proc/1/out")


def test_csv_out_under_a_missing_folder_is_made(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "deeper" / "指标.csv"
    run_cli("indicators", "--data", SAMPLE, "--period", "2020Q3", "--format", "csv", "--out", target).ended(0)
    assert target.read_text(encoding="utf-8").startswith("region_code,region_name,")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    args = (
        "indicators",
        "--data",
        SAMPLE,
        "--period",
        "2020Q3",
        "--format",
        "csv",
        "--out",
        tmp_path / "file" / "x.csv",
    )
    run_cli(*args).ended(2, "无法写入", "不能用作目录")


def test_reference_docx_that_is_a_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "样式.docx"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    build(tmp_path / "out", "--reference-docx", pdf).ended(
        2, "--reference-docx", "样式.docx 不是可读的 Word 文档"
    )


@pytest.mark.parametrize("date", ["9999-12-31", "1900-01-01"])
def test_a_date_a_document_cannot_hold(tmp_path: Path, date: str) -> None:
    build(tmp_path / "out", "--date", date).ended(2, f"成文日期 {date} 超出可写入文档的范围")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_first_page_below_one(tmp_path: Path) -> None:
    build(tmp_path / "out", "--first-page", "-5").ended(2, "--first-page 应为不小于 1 的页码，实际为 -5")


def test_a_county_name_too_long_for_a_file_name(sample_copy: Path, tmp_path: Path) -> None:
    regions = sample_copy / "regions.csv"
    long_name = "示例" * 45  # 90 characters, 270 bytes in UTF-8
    regions.write_text(regions.read_text(encoding="utf-8").replace("示例县", long_name), encoding="utf-8")
    run = build(tmp_path / "out", "--format", "docx", data=sample_copy)
    run.ended(0)
    (docx,) = (tmp_path / "out").glob("*.docx")
    assert len(docx.name.encode("utf-8")) <= 255
    assert docx.name.startswith("示例示例") and docx.name.endswith("工作报告.docx") and "…" in docx.name


def test_outputs_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        build(tmp_path / "out", "--format", "docx").ended(0)
    finally:
        os.umask(old)
    modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert modes and set(modes.values()) == {0o640}, modes


def test_a_failed_rebuild_leaves_the_earlier_set_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The DOCX is written, then the PDF fails: the folder still holds the earlier DOCX, PDF and ledger."""
    from report_builder import pipeline
    from report_builder.load import load_inputs
    from report_builder.periods import Period

    out = tmp_path / "out"
    inputs = load_inputs(SAMPLE)
    first = pipeline.build_report(inputs, "quarterly", Period.parse("2020Q3"), None, out)
    before = {p: p.read_bytes() for p in first.files}

    def broken_pdf(*args: object) -> Path:
        raise KeyboardInterrupt  # the user pressed Ctrl-C while the PDF was being written

    monkeypatch.setattr(pipeline, "write_pdf", broken_pdf)
    later = pipeline.BuildOptions(date=dt.date(2020, 10, 9))  # another 成文日期: the new DOCX would differ
    with pytest.raises(KeyboardInterrupt):
        pipeline.build_report(inputs, "quarterly", Period.parse("2020Q3"), None, out, later)
    assert {p: p.read_bytes() for p in first.files} == before
    assert sorted(p.name for p in out.iterdir()) == sorted({*(p.name for p in first.files), "figures"})


def test_a_malformed_previous_ledger(tmp_path: Path) -> None:
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "manifest.json").write_text('{"figures": [1, 2', encoding="utf-8")
    build(tmp_path / "out", "--previous", earlier).ended(2, "manifest.json")
