"""Whatever arrives in the data folder, a command ends with 0, 1 or 2 and a message — never a traceback.

Run in process through the CLI (typer's runner), so hypothesis can try many inputs; an exception that escapes a
command is what the user would have seen as a traceback.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from report_builder.cli import app
from tests.conftest import GOOD_ROWS, HEADER, REGIONS

_RUNNER = CliRunner()
_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
cells = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**30), 10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["", "—", "-", "1,234", "１２", "=1+1", "990123101000", "2020Q3", "2020Q9", "NaN", "1e999"]
    ),
)


def command_ends_cleanly(folder: Path, *args: str) -> int:
    result = _RUNNER.invoke(app, [*args, "--data", str(folder)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1, 2), result.output
    return result.exit_code


def folder_with(files: dict[str, str | bytes], regions: str = REGIONS) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    (folder / "regions.csv").write_text(regions, encoding="utf-8")
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    return folder


def as_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


@_SETTINGS
@given(content=st.binary(max_size=2000), name=st.sampled_from(["表.csv", "表.xlsx"]))
def test_random_bytes_as_a_table(content: bytes, name: str) -> None:
    folder = folder_with({name: content})
    command_ends_cleanly(folder, "validate")
    command_ends_cleanly(folder, "indicators", "--period", "2020Q3")


@_SETTINGS
@example(rows=[["", "", "", "1" + "0" * 28]])  # found by hypothesis: quantize past Decimal's 28 digits
@example(rows=[["990123103000", "新镇", "2020Q3", "12345678901234567"]])  # a pasted ID as a count
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=8), min_size=1, max_size=6))
def test_random_cells_under_a_good_header(rows: list[list[str]]) -> None:
    good = [line.split(",") for line in GOOD_ROWS]
    folder = folder_with({"乡镇.csv": as_csv([HEADER.split(","), *good, *rows])})
    command_ends_cleanly(folder, "validate")
    command_ends_cleanly(folder, "check", "--period", "2020Q3")


@settings(deadline=None, max_examples=8, suppress_health_check=[HealthCheck.too_slow])
@example(
    names=["0", "\x08"]
)  # found by hypothesis: a control character reached openpyxl (IllegalCharacterError)
@given(names=st.lists(st.text(min_size=1, max_size=20), min_size=2, max_size=2))
def test_random_township_names_through_a_build(names: list[str]) -> None:
    lines = [line.split(",") for line in REGIONS.strip().splitlines()]
    lines[3][1], lines[4][1] = names
    folder = folder_with({"乡镇.csv": as_csv([HEADER.split(","), *(r.split(",") for r in GOOD_ROWS)])},
                         regions=as_csv(lines))  # fmt: skip
    if command_ends_cleanly(folder, "validate") == 0:
        args = (
            "build",
            "--period",
            "2020Q3",
            "--region",
            "990123",
            "--format",
            "pdf",
            "--out",
            str(folder / "out"),
        )
        command_ends_cleanly(folder, *args)
