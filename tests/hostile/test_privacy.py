"""Items 11 and 17 (control characters) of the hardening issue: a 身份证号 is never printed in full, and text
from a file never drives the terminal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import GOOD_ROWS, REGIONS
from tests.hostile.conftest import run_cli

ESC = "\x1b]0;pwned\x07\x1b[2J"  # retitle the terminal window, ring the bell, clear the screen


def _id18(first17: str) -> str:
    """An ID number with its GB 11643 check digit, as a real one has."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(w * int(d) for w, d in zip(weights, first17, strict=True)) % 11]


ID18 = _id18("11010519491231002")
ID15 = "110105491231002"  # the legacy form: area, YYMMDD, sequence
MASKED18 = ID18[:6] + "*" * 8 + ID18[-4:]
MASKED15 = ID15[:6] + "*" * 6 + ID15[-3:]


def _no_full_ids(text: str) -> None:
    assert ID18 not in text and ID15 not in text, text
    assert "\x1b" not in text and "\x07" not in text, repr(text)


def test_ids_in_file_names_headers_and_options_are_masked(data_dir: Callable[..., Path]) -> None:
    header = f"区划代码,名称,统计期,农村户籍人口,农村低保户数,农村低保人数,{ID15}"
    rows = "\n".join(f"{row},1" for row in GOOD_ROWS)
    folder = data_dir({f"{ID18}.csv": f"{header}\n{rows}\n"})
    run = run_cli("validate", "--data", folder)
    run.ended(0, f"{MASKED18}.csv", MASKED15)  # the file name and the header, in the location and the message
    _no_full_ids(run.output)
    run = run_cli("indicators", "--data", folder, "--period", "2020Q3", "--region", ID18)
    run.ended(2, MASKED18)
    _no_full_ids(run.output)


def test_region_codes_are_not_ids(data_dir: Callable[..., Path]) -> None:
    """Region codes have 6 or 12 digits, and a 15-digit run without a birth date in it is no ID either."""
    folder = data_dir({"d.csv": "区划代码,统计期,农村户籍人口\n990123101000,2020Q3,5\n"})
    for code in ("990123109000", "990123101000123"):
        run_cli("indicators", "--data", folder, "--period", "2020Q3", "--region", code).ended(2, f"“{code}”")


def test_control_characters_from_files_are_shown_escaped(data_dir: Callable[..., Path]) -> None:
    regions = REGIONS.replace("城关镇,990123,乡", f"城关镇{ESC}[/],990123,乡")
    folder = data_dir({"d.csv": "\n".join(["区划代码,名称,统计期,农村户籍人口", *_towns()]) + "\n"}, regions)
    run = run_cli("validate", "--data", folder)  # refused at its cell, and shown escaped
    run.ended(2, r"regions.csv:行4:名称：“城关镇\x1b]0;pwned\x07\x1b[2J[/]”含有不可见的控制字符")
    assert ESC not in run.output
    folder = data_dir({"d.csv": "\n".join(["区划代码,名称,统计期,农村户籍人口", *_towns()]) + "\n"},
                      REGIONS.replace("城关镇,990123,乡", "城关镇[/][bold],990123,乡"))  # fmt: skip
    run = run_cli("indicators", "--data", folder, "--period", "2020Q3")  # a table drawn by rich: no markup
    run.ended(0, "城关镇[/][bold]")


def _towns() -> list[str]:
    return ["990123101000,城关镇,2020Q3,40000", "990123102000,青山镇,2020Q3,30000"]


def test_audit_quotes_sentences_with_ids_masked_and_controls_escaped(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(
        f"张三（身份证号{ID18}，原证号{ID15}）家庭{ESC}在内，全县低保对象共3户2人。\n", encoding="utf-8"
    )
    text = run_cli("audit", report)
    text.ended(1, MASKED18, MASKED15, r"\x1b[2J")
    _no_full_ids(text.output)
    data = run_cli("audit", report, "--format", "json")
    data.ended(1)
    quoted = json.loads(data.stdout)[0]["text"]
    assert MASKED18 in quoted and MASKED15 in quoted and r"\x1b" in quoted
    _no_full_ids(data.output)
