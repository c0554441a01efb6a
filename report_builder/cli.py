"""Command line (DESIGN.md §6). Each command calls the library function a Python user would call.

Exit codes: 0 fine; 1 a target missed or a finding inconsistent; 2 bad input, printed as file/sheet/row/column
lines with no traceback. Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from report_builder.dataset import Dataset
from report_builder.issues import BadInput, ValidationReport
from report_builder.load import load_data

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="把民政统计表生成经过核对的中文工作报告（DOCX/PDF）。",
)

DataOption = Annotated[
    Path, typer.Option("--data", help="数据目录：regions.csv、事实表（CSV/XLSX）、targets.csv")
]


@app.callback()
def _root() -> None:
    """把民政统计表生成经过核对的中文工作报告（DOCX/PDF）。"""


def _fail(text: str) -> typer.Exit:
    print(text, file=sys.stderr)
    return typer.Exit(2)


def load_or_exit(data_dir: Path) -> Dataset:
    """Load the data folder; on bad input print every problem and exit 2."""
    try:
        data = load_data(data_dir)
    except BadInput as bad:
        raise _fail(bad.report.to_text()) from None
    if data.warnings:
        print(ValidationReport(data.warnings).to_text(), file=sys.stderr)
    return data


@app.command()
def validate(data: DataOption) -> None:
    """检查数据目录：列出所有错误和警告；有错误时退出码为 2。"""
    dataset = load_or_exit(data)
    periods = dataset.periods()
    span = f"{periods[0]}—{periods[-1]}" if periods else "无"
    print(f"数据可用：{len(dataset.regions.regions)} 个区划，{len(dataset.facts)} 条记录，统计期 {span}。")


def main() -> None:  # pragma: no cover - entry point for `python -m report_builder`
    app()
