"""Items 1 and 13 of the hardening issue: a 名称 that differs from regions.csv, a dot in a report title."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.conftest import run_cli


def test_a_name_that_differs_from_regions_csv_is_a_warning_in_every_command(sample_copy: Path) -> None:
    table = sample_copy / "人口与低保.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("城关镇", "城关镇X", 1)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for args in (["validate"], ["indicators", "--period", "2020Q3"], ["check", "--period", "2020Q3"]):
        run = run_cli(*args, "--data", sample_copy)
        run.ended((0, 1), *(["城关镇X"] if args[0] == "validate" else []))


def test_a_dot_in_the_title_is_kept_in_thefile_name() -> None:
    from report_builder.pipeline import file_name

    assert file_name("第3.1期") != file_name("第3.2期")
    assert file_name("示例县2020年第3.1期报告") == "示例县2020年第3.1期报告"
