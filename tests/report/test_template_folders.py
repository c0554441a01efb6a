"""A template folder from another office: its own charts, and its mistakes as located messages (exit 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx

from report_builder.shipped import TEMPLATES
from tests.conftest import SAMPLE


def office_template(tmp_path: Path) -> Path:
    folder = shutil.copytree(
        TEMPLATES / "quarterly", tmp_path / "本局季报", ignore=shutil.ignore_patterns("__pycache__")
    )
    return folder


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def build_with(cli, folder: Path, out: Path):
    return cli("build", "--data", SAMPLE, "--template", folder, "--period", "2020Q3", "--out", out)


def refused(cli, folder: Path, out: Path) -> str:
    """The build stops with exit 2 and a message, never a traceback; returns the message."""
    result = build_with(cli, folder, out)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def line_of(path: Path, needle: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line
    )


def test_unknown_chart_names_template_line_and_the_charts_there_are(cli, tmp_path):
    folder = office_template(tmp_path)
    main = folder / "report.xml.j2"
    replace(main, 'chart="dibao_trend"', 'chart="no_such_chart"')
    output = refused(cli, folder, tmp_path / "o")
    assert f"本局季报/report.xml.j2:行{line_of(main, 'no_such_chart')}" in output
    assert "no_such_chart" in output
    assert "beds_by_township" in output and "dibao_trend" in output
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").glob("*.docx"))


def test_a_template_brings_its_own_charts(cli, tmp_path):
    folder = office_template(tmp_path)
    replace(folder / "charts.toml", "[dibao_trend]", '["低保人数走势"]')
    replace(
        folder / "charts.toml",
        'title = "近八个季度农村低保人数"',
        'title = "本局自定义：近八个季度农村低保人数"',
    )
    replace(folder / "report.xml.j2", 'chart="dibao_trend"', 'chart="低保人数走势"')
    out = tmp_path / "o"
    result = build_with(cli, folder, out)
    assert result.exit_code == 0, result.output
    (chart,) = (out / "figures").glob("低保人数走势-*.svg")
    assert chart.read_text(encoding="utf-8").count("本局自定义") == 1
    (document,) = out.glob("*.docx")
    assert len(docx.Document(str(document)).inline_shapes) == 2


def test_a_wrong_chart_definition_is_named(cli, tmp_path):
    folder = office_template(tmp_path)
    replace(folder / "charts.toml", 'kind = "trend"', 'kind = "pie"')
    output = refused(cli, folder, tmp_path / "o")
    assert "本局季报/charts.toml:[dibao_trend]" in output and "pie" in output
    folder = office_template(tmp_path / "b")
    replace(folder / "charts.toml", 'indicator = "dibao_rural_persons"', 'indicator = "no_such_field"')
    output = refused(cli, folder, tmp_path / "o")
    assert "[dibao_trend]" in output and "no_such_field" in output
    folder = office_template(tmp_path / "c")
    replace(folder / "charts.toml", "periods = 8", 'periods = "八"')
    output = refused(cli, folder, tmp_path / "o")
    assert "[dibao_trend]" in output and "periods 应为1 到 40 的整数" in output


def test_a_template_error_at_run_time_names_file_and_line(cli, tmp_path):
    folder = office_template(tmp_path)
    main = folder / "report.xml.j2"
    replace(main, "{{ s.dibao_rural_persons.text }}", "{{ s.no_such_thing.text }}")
    output = refused(cli, folder, tmp_path / "o")
    assert f"本局季报/report.xml.j2:行{line_of(main, 'no_such_thing')}" in output
    assert "no_such_thing" in output


def test_a_dot_in_the_title_stays_in_the_file_name(cli, tmp_path):
    """第3.1期 and 第3.2期 must not both become 第3.docx, the second overwriting the first."""
    written = set()
    for issue in ("3.1", "3.2"):
        folder = office_template(tmp_path / issue)
        replace(folder / "report.xml.j2", "兜底保障工作报告", f"兜底保障工作报告（第{issue}期）")
        result = build_with(cli, folder, tmp_path / "o")
        assert result.exit_code == 0, result.output
        written |= {p.name for p in (tmp_path / "o").glob("*.docx")}
    assert {name for name in written if "第3.1期" in name or "第3.2期" in name} == written
    assert len(written) == 2
