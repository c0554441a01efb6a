"""Items 5, 6, 7 and 18 of the hardening issue: a template of one's own (`build --template PATH`) that fails at
run time, costs without bound, reads a host file through a link, or extends the shipped template."""

from __future__ import annotations

import concurrent.futures
import functools
import time
from pathlib import Path

import docx
import pytest

from report_builder.issues import BadInput
from report_builder.render.style import load_style
from report_builder.report import sandbox
from report_builder.report.environment import render
from report_builder.report.template_folder import find_template
from tests.conftest import SAMPLE
from tests.hostile.conftest import Run, run_cli
from tests.report.test_template_folders import line_of, office_template, replace

ANCHOR = "<h1>存在问题</h1>"


def build(folder: Path, out: Path) -> Run:
    return run_cli("build", "--data", SAMPLE, "--template", folder, "--period", "2020Q3", "--out", out)


def with_snippet(tmp_path: Path, snippet: str) -> tuple[Path, int]:
    """A copy of the quarterly template with `snippet` above 存在问题; returns the folder and the snippet's line."""
    folder = office_template(tmp_path)
    main = folder / "report.xml.j2"
    replace(main, ANCHOR, f"{snippet}\n{ANCHOR}")
    return folder, line_of(main, snippet.splitlines()[0])


@pytest.mark.parametrize(
    ("snippet", "says"),
    [
        ("<p>{% for i in range(10**9) %}x{% endfor %}</p>", "range 的长度（1000000000）超过10万"),
        ("<p>{{ 1/0 }}</p>", "除数为零"),
        ("<p>{{ 'x'|amount }}</p>", "不能是 str：'x'"),
        ("<p>{{ s.beds_elderly.per(0) }}</p>", "除数为零"),
    ],
    ids=["range", "division", "filter", "method"],
)
def test_5_a_template_error_at_run_time_names_file_and_line(tmp_path: Path, snippet: str, says: str) -> None:
    """<figure chart="nope"/> is tests/report/test_template_folders.py::test_unknown_chart_names_template_line…"""
    folder, line = with_snippet(tmp_path, snippet)
    build(folder, tmp_path / "o").ended(2, f"本局季报/report.xml.j2:行{line}", says)


def test_5_placeholders_of_titles_are_checked_when_the_template_is_read(tmp_path: Path) -> None:
    folder = office_template(tmp_path)
    replace(folder / "charts.toml", 'title = "近八个季度农村低保人数"', 'title = "{period:>999999999}"')
    with pytest.raises(BadInput, match=r"charts.toml:\[dibao_trend\].*period:>999999999"):
        find_template(str(folder))
    folder = office_template(tmp_path / "b")
    (folder / "template.toml").write_text(
        'main = "report.xml.j2"\nrunning_head = "{nope}"\n', encoding="utf-8"
    )
    with pytest.raises(BadInput, match=r"template.toml:running_head.*\{nope\}"):
        find_template(str(folder))


@pytest.mark.parametrize(
    ("snippet", "says"),
    [
        (
            "<p>{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}</p>",
            "循环、调用和过滤器的次数超过200万次",
        ),
        ("<p>{{ 10**(10**8) }}</p>", "乘方的结果超过100位"),
        ("<p>{{ 'a' * 10**10 }}</p>", "重复（*）的结果超过100万字符"),
        ("<p>{{ 'a'|center(10**10) }}</p>", "“center”可能生成的文字或列表超过100万字符"),
        ("<p>{% for i in range(100000) %}{{ 'abcdefghij' * 100 }}{% endfor %}</p>", "模板输出超过100万字符"),
        (
            "{% set ns = namespace(x='ab') %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}",
            "用 ~ 连接的一段超过100万字符",
        ),
        ('<table number="9" title="t"><tr><td colspan="1000000">x</td></tr></table>', "colspan 应为 1 到 63"),
    ],
    ids=["loops", "power", "repeat", "filter", "output", "doubling", "span"],
)
def test_6_a_template_that_would_cost_without_bound_is_stopped(
    tmp_path: Path, snippet: str, says: str
) -> None:
    folder, _ = with_snippet(tmp_path, snippet)
    run = build(folder, tmp_path / "o")
    run.ended(2, "本局季报/report.xml.j2", says)
    assert run.seconds < 10 and run.peak_mb < 500, (run.seconds, run.peak_mb)


def test_6_a_render_past_its_time_is_stopped_in_any_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch renders in worker processes and may use threads: the clock is read as the template runs, with no
    signal (which only the main thread receives)."""
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.5)
    (tmp_path / "slow.xml.j2").write_text(
        "{% for i in range(50) %}{% if wait() %}{% endif %}{% endfor %}", encoding="utf-8"
    )
    context = {"wait": functools.partial(time.sleep, 0.05)}
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(render, tmp_path, "slow.xml.j2", context)
        with pytest.raises(BadInput, match=r"slow.xml.j2:行1：模板超出限制：运行时间超过0.5秒"):
            future.result(timeout=10)


def test_7_a_link_out_of_the_template_folder_is_refused(tmp_path: Path) -> None:
    host = tmp_path / "host.txt"
    host.write_text("HOST-SECRET", encoding="utf-8")
    folder, _ = with_snippet(tmp_path, "<p>{% include 'h.txt' %}</p>")
    (folder / "h.txt").symlink_to(host)
    run = build(folder, tmp_path / "o")
    run.ended(2, "本局季报/h.txt", "指向所在文件夹之外的链接")
    assert "HOST-SECRET" not in run.output and not list((tmp_path / "o").glob("*.docx"))
    (folder / "charts.toml").unlink()
    (folder / "charts.toml").symlink_to(host)
    with pytest.raises(BadInput, match=r"本局季报/charts.toml：这是指向所在文件夹之外的链接"):
        find_template(str(folder))
    (tmp_path / "style.toml").write_text('name = "x"\n', encoding="utf-8")
    # a template's `style` names a shipped style, never a file elsewhere
    with pytest.raises(BadInput, match=r"没有名为“/.*”的版式"):
        load_style(str(tmp_path / "style"))


def test_18_a_folder_of_ones_own_extends_the_shipped_template(tmp_path: Path) -> None:
    folder = tmp_path / "本局季报"
    folder.mkdir()
    (folder / "template.toml").write_text('description = "本局"\nmain = "report.xml.j2"\n', encoding="utf-8")
    (folder / "report.xml.j2").write_text(
        "{% extends 'quarterly/report.xml.j2' %}\n"
        "{% block next_steps %}<p>本局下一步：{{ s.dibao_rural_persons.text }}。</p>{% endblock %}\n",
        encoding="utf-8",
    )
    out = tmp_path / "o"
    build(folder, out).ended(0)
    (document,) = out.glob("*.docx")
    text = "\n".join(p.text for p in docx.Document(str(document)).paragraphs)
    assert "本局下一步：" in text and "特困人员供养" in text and "【待编辑】" not in text
    assert len(docx.Document(str(document)).inline_shapes) == 2  # the shipped template's charts
