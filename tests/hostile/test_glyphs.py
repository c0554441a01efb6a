"""Item 8 of the hardening issue: an emoji in a region name crashed the build (chart: "Glyph 128512 missing")."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_builder.glyphs import missing_from_fonts
from tests.hostile.conftest import run_cli

# Drawn by no font on most machines: shaking face (Unicode 15), an Egyptian hieroglyph, a Cuneiform sign.
_RARE = next((ch for ch in "\U0001fae8\U00013000\U00012000" if missing_from_fonts(ch)), None)


@pytest.mark.skipif(_RARE is None, reason="every candidate character has a font on this machine")
def test_an_emoji_in_a_township_name(sample_copy: Path, tmp_path: Path) -> None:
    regions = sample_copy / "regions.csv"
    regions.write_text(
        regions.read_text(encoding="utf-8").replace("城关镇", f"城关镇\U0001f600{_RARE}"), encoding="utf-8"
    )
    run_cli("validate", "--data", sample_copy).ended(
        0, "警告 regions.csv:行", f"字符“{_RARE}”本机没有任何字体能显示"
    )
    run = run_cli("build", "--data", sample_copy, "--period", "2020Q3", "--out", tmp_path / "out")
    run.ended(0, "图中略去")
    bar = next((tmp_path / "out" / "figures").glob("beds_by_township-*.svg")).read_text(encoding="utf-8")
    assert "城关镇\U0001f600" in bar  # drawn from the fallback font
    assert _RARE not in bar


def test_the_common_characters_are_not_asked() -> None:
    assert missing_from_fonts("示例县城关镇（街道）ABC-123，。") == ""
