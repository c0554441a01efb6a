"""Charts: both files written, 300 dpi, Chinese drawn with a CJK font, reproducible bytes, misses highlighted."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from matplotlib import colors as mcolors
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from report_builder.issues import BadInput
from report_builder.render import charts
from report_builder.render.charts import ChartFiles

TOWNS = ["城关镇", "青山镇", "河口镇", "石桥乡", "白马镇"]
QUARTERS = [f"{year}年{q}季度" for year in (2019, 2020) for q in "一二三四"]


def d(*values: str | None) -> list[Decimal | None]:
    return [None if v is None else Decimal(v) for v in values]


def bar(stem: Path) -> ChartFiles:
    return charts.bar_with_target(
        stem,
        "各乡镇每千名老年人养老床位数",
        TOWNS,
        d("45.12", "38.05", None, "51.25", "44.96"),
        "张/千人",
        target=Decimal(45),
    )


def trend(stem: Path) -> ChartFiles:
    return charts.trend(
        stem,
        "农村低保人数变化",
        QUARTERS,
        {
            "示例县": d("1800", "1750", "1720", "1700", "1690", "1650", "1655", "1600"),
            "邻县": d("1200", "1210", None, "1190", "1180", "1170", "1150", "1140"),
        },
        "人",
    )


def composition(stem: Path) -> ChartFiles:
    return charts.composition(
        stem,
        "特困人员供养方式",
        TOWNS,
        {"集中供养": d("120", "80", "60", "40", "30"), "分散供养": d("300", "210", None, "150", "90")},
        "人",
    )


CHARTS: dict[str, Callable[[Path], ChartFiles]] = {"bar": bar, "trend": trend, "composition": composition}


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


@pytest.mark.parametrize("kind", CHARTS)
def test_writes_svg_and_300_dpi_png(tmp_path: Path, kind: str) -> None:
    files = CHARTS[kind](tmp_path / "sub" / kind)
    key = files.svg.stem.removeprefix(f"{kind}-")
    assert len(key) == 16
    assert files == ChartFiles(
        svg=tmp_path / "sub" / f"{kind}-{key}.svg", png=tmp_path / "sub" / f"{kind}-{key}.png"
    )
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == [
        files.png.name,
        files.svg.name,
    ]  # no temporaries
    root = ET.parse(files.svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    with Image.open(files.png) as png:
        assert png.format == "PNG"
        dpi = png.info["dpi"]
        assert dpi == (pytest.approx(300, abs=0.01), pytest.approx(300, abs=0.01))
        assert png.width == pytest.approx(15 / 2.54 * 300, abs=2)  # 15 cm wide on an A4 page


@pytest.mark.parametrize("kind", CHARTS)
def test_same_inputs_give_identical_bytes(tmp_path: Path, kind: str) -> None:
    first = CHARTS[kind](tmp_path / "a" / kind)
    second = CHARTS[kind](tmp_path / "b" / kind)
    assert first.svg.read_bytes() == second.svg.read_bytes()
    assert first.png.read_bytes() == second.png.read_bytes()


def test_font_is_cjk_and_is_what_matplotlib_resolves() -> None:
    font = charts.cjk_font()
    assert "dejavu" not in font.family.lower()
    assert any(hint in font.family.replace(" ", "") for hint in ("CJK", "SourceHan", "WenQuanYi", "SimHei"))
    resolved = font_manager.findfont(FontProperties(family=font.family), fallback_to_default=False)
    assert Path(resolved).resolve() == font.path.resolve()
    assert getattr(resolved, "face_index", 0) == font.face_index


def test_chinese_text_is_drawn_in_the_cjk_font(tmp_path: Path) -> None:
    fig = charts._bar_figure("各乡镇农村低保覆盖率", TOWNS, d("1", "2", "3", "4", "5"), "%")
    families = {tuple(t.get_fontfamily()) for t in fig.findobj(Text) if t.get_text()}
    assert families == {(charts.cjk_font().family, "DejaVu Sans")}  # the CJK font first, symbols after
    # Rendering turns a missing glyph into a warning, which pytest (filterwarnings = error) fails on.
    bar(tmp_path / "glyphs")


def test_a_character_no_font_has_is_left_out_with_a_warning(tmp_path: Path, caplog) -> None:
    """😀 is drawn from the fallback font; 🫨 (Unicode 15) is in neither font, and is left out."""
    towns = ["城关镇\U0001f600", "青山镇\U0001fae8", *TOWNS[2:]]
    files = charts.bar_with_target(
        tmp_path / "emoji", "图表 \U0001fae8", towns, d("1", "2", "3", "4", "5"), "%"
    )
    svg = files.svg.read_text(encoding="utf-8")
    assert "城关镇\U0001f600" in svg
    assert "\U0001fae8" not in svg and "青山镇" in svg
    assert "\U0001fae8" in caplog.text and "图中略去" in caplog.text


def test_a_name_with_dollars_is_text_not_tex(tmp_path: Path) -> None:
    files = charts.bar_with_target(tmp_path / "tex", "$a$ $\\frac{", ["$x", "y$"], d("1", "2"), "%")
    assert "$\\frac{" in files.svg.read_text(encoding="utf-8")


def test_charts_are_named_by_content(tmp_path: Path) -> None:
    """Two builds writing into one folder at once cannot embed each other's chart, and a chart seen before
    is not drawn again."""
    first = bar(tmp_path / "bar")
    other = charts.bar_with_target(tmp_path / "bar", "覆盖率", TOWNS, d("1", "2", "3", "4", "6"), "%")
    assert first.svg != other.svg
    before = first.png.stat().st_mtime_ns
    assert bar(tmp_path / "bar") == first
    assert first.png.stat().st_mtime_ns == before


def test_chinese_labels_everywhere() -> None:
    fig = charts._composition_figure(
        "特困人员供养方式", TOWNS, {"集中供养": d("1", "2", "3", "4", "5")}, "人"
    )
    shown = texts(fig)
    for expected in ("特困人员供养方式", "人", "集中供养", *TOWNS):
        assert expected in shown


def bars_by_category(fig) -> dict[int, Rectangle]:
    ax = fig.axes[0]
    return {round(p.get_x() + p.get_width() / 2): p for container in ax.containers for p in container}


def test_bars_missing_the_target_get_the_warning_colour() -> None:
    palette = charts.colours()
    fig = charts._bar_figure(
        "覆盖率", TOWNS, d("45.12", "38.05", None, "51.25", "44.96"), "%", target=Decimal(45)
    )
    bars = bars_by_category(fig)
    assert sorted(bars) == [0, 1, 3, 4]  # no bar for the missing value
    miss, ok = mcolors.to_rgba(palette["miss"]), mcolors.to_rgba(palette["bar"])
    assert {i: bars[i].get_facecolor() for i in bars} == {0: ok, 1: miss, 3: ok, 4: miss}
    # 44.96 shows as 45.0 yet misses ≥ 45: decided on the exact value, like the target check.
    shown = texts(fig)
    assert "45.0" in shown
    assert "目标值\n45.0" in shown
    assert "低于目标值" in shown


def test_ceiling_target_highlights_bars_above() -> None:
    palette = charts.colours()
    fig = charts._bar_figure(
        "平均等待天数",
        TOWNS[:3],
        d("3", "8", "5"),
        "天",
        target=Decimal(5),
        highlight_below=False,
        decimals=0,
    )
    miss = mcolors.to_rgba(palette["miss"])
    assert [i for i, p in sorted(bars_by_category(fig).items()) if p.get_facecolor() == miss] == [1]
    assert "高于目标值" in texts(fig)


def test_no_target_no_highlight() -> None:
    fig = charts._bar_figure("人数", TOWNS[:3], d("3", "8", "5"), "人", decimals=0)
    ok = mcolors.to_rgba(charts.colours()["bar"])
    assert all(p.get_facecolor() == ok for p in bars_by_category(fig).values())


def test_none_is_a_gap_labelled_dash(tmp_path: Path) -> None:
    fig = charts._bar_figure("覆盖率", TOWNS[:2], d(None, "2.25"), "%")
    assert texts(fig).count("—") == 1
    assert "2.3" in texts(fig)  # ROUND_HALF_UP on the Decimal: a float format would print 2.2
    charts.bar_with_target(tmp_path / "none", "覆盖率", TOWNS[:2], [None, None], "%", target=Decimal(1))


def test_trend_labels_the_last_known_point() -> None:
    fig = charts._trend_figure("人数", QUARTERS[:3], {"示例县": d("10.5", "11.5", None)}, "人")
    shown = texts(fig)
    assert "12" in shown  # 11.5 half-up; the None after it is skipped
    assert "示例县" in shown


def test_composition_total_is_dash_when_a_part_is_missing() -> None:
    fig = charts._composition_figure(
        "供养", TOWNS[:2], {"集中供养": d("120", "60"), "分散供养": d("300", None)}, "人"
    )
    shown = texts(fig)
    assert "420" in shown
    assert "—" in shown


def test_many_categories_are_rotated() -> None:
    towns = [f"第{i}镇" for i in range(8)]
    fig = charts._bar_figure("人数", towns, d(*["1"] * 8), "人")
    assert {label.get_rotation() for label in fig.axes[0].get_xticklabels()} == {45}
    fig = charts._bar_figure("人数", towns[:6], d(*["1"] * 6), "人")
    assert {label.get_rotation() for label in fig.axes[0].get_xticklabels()} == {0}


def test_same_name_in_two_counties_keeps_both_bars() -> None:
    fig = charts._bar_figure("人数", ["青山镇", "青山镇"], d("1", "2"), "人")
    assert sorted(bars_by_category(fig)) == [0, 1]


def test_mismatched_lengths_are_rejected() -> None:
    with pytest.raises(ValueError, match="3 values for 2 categories"):
        charts._bar_figure("人数", TOWNS[:2], d("1", "2", "3"), "人")


def test_no_chinese_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    dejavu = font_manager.findfont(FontProperties(family="DejaVu Sans"), fallback_to_default=False)
    monkeypatch.setattr(charts, "_fontconfig_candidates", lambda: iter([(str(dejavu), 0)]))
    monkeypatch.setattr(charts, "_scan_candidates", lambda: iter([]))
    with pytest.raises(BadInput, match="fonts-noto-cjk"):
        charts.cjk_font.__wrapped__()  # the uncached lookup; the cached font stays in place
