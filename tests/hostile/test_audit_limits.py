"""Items 4 (audit part), 12 and 17 (encrypted PDF) of the hardening issue: what `audit` reads costs what the
report is worth, never more."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.conftest import run_cli

FIGURES = 100_000


def test_a_sentence_of_100k_figures_is_audited_in_seconds(tmp_path: Path) -> None:
    counts = [i % 90 + 1 for i in range(1, FIGURES + 1)]
    listed = "，".join(f"{i}村{n}人" for i, n in enumerate(counts, 1))
    report = tmp_path / "长句.txt"
    report.write_text(f"全县各村低保对象{listed}，合计{sum(counts)}人。\n", encoding="utf-8")
    run = run_cli("audit", report, timeout=60)
    run.ended(0, "一致 1 处", f"总数 {sum(counts)}人")
    assert run.seconds < 10, run.seconds
    assert run.peak_mb < 500, run.peak_mb
    assert len(run.stdout) < 2000  # the sentence is quoted around the figure, not whole
