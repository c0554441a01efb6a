"""Shared fixtures: small data folders written as real files, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"

REGIONS = """代码,名称,上级代码,层级
990100,示例市,,市
990123,示例县,990100,县
990123101000,城关镇,990123,乡
990123102000,青山镇,990123,乡
990124,邻县,990100,县
990124101000,河口镇,990124,乡
990124102000,青山镇,990124,乡
"""

HEADER = "区划代码,名称,统计期,农村户籍人口,农村低保户数,农村低保人数"
GOOD_ROWS = ["990123101000,城关镇,2020Q3,40000,900,1800", "990123102000,青山镇,2020Q3,30000,700,1500"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Callable[..., Path]:
    """A data folder with regions.csv and the given files: str → UTF-8 text, bytes → raw bytes."""

    def make(files: dict[str, str | bytes] | None = None, regions: str = REGIONS) -> Path:
        folder = tmp_path / "data"
        folder.mkdir(exist_ok=True)
        (folder / "regions.csv").write_text(regions, encoding="utf-8")
        for name, content in (files or {}).items():
            path = folder / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return make


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def write_xlsx(
    path: Path, rows: list[list[object]], sheet: str = "乡镇表", merges: tuple[str, ...] = ()
) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    book.save(path)
    return path


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample county, for tests that change one figure."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("*.py", "README.md"))
    return target


@pytest.fixture
def cli() -> Callable[..., object]:
    from report_builder.cli import app

    runner = CliRunner()

    def invoke(*args: object):
        return runner.invoke(app, [str(a) for a in args])

    return invoke
