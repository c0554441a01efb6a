"""Charts for the reports: one matplotlib figure, written twice — SVG for the PDF, 300 dpi PNG for the DOCX.

Why it is built this way:
- Chinese text needs a CJK font, and machines differ, so the font is found at run time (fontconfig first, then
  a scan of the system fonts) and a machine without one fails with a clear message instead of drawing boxes.
  A character the font lacks (an emoji in a 名称) is left out of the chart with a warning, never a silent tofu
  square; `validate` names it.
- The look is data (figures/report.mplstyle, shipped as package data), not code, so it can be changed without touching the charts.
- Numbers arrive as Decimal and every printed number goes through `report_builder.numbers.fmt_fixed` (四舍五入 by default),
  so a chart never shows a different figure from the table next to it; floats are only bar heights.
- Only `matplotlib.figure.Figure` (no pyplot): no global figure registry, no GUI backend. rcParams are still
  process-global, so rendering holds a lock and charts can be drawn from several threads.
- Same inputs give byte-identical files (fixed SVG hash salt, no dates or software versions in metadata),
  so rebuilt reports diff cleanly and tests can compare bytes; files are named by a hash of their inputs, so
  concurrent builds cannot swap charts and an unchanged chart is not drawn twice.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import shutil
import subprocess
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import matplotlib
import matplotlib.style
from matplotlib import colors as mcolors
from matplotlib import font_manager, ft2font
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from report_builder.files import atomic_write
from report_builder.issues import BadInput, IssueCode, Location
from report_builder.log import LOGGER
from report_builder.numbers import Rounding, fmt_fixed
from report_builder.shipped import CHART_STYLE

HALF_UP = Rounding.HALF_UP
PNG_DPI = 300
SVG_HASHSALT = "report-builder"
ROTATE_ABOVE = 6  # more category labels than this are rotated 45° so they do not collide

# Font files worth trying when fontconfig is not there, best first (matched case-insensitively in file names).
_FONT_FILE_HINTS = ("notosanscjk", "sourcehansans", "wqy", "simhei", "msyh")
_CHINESE_PROBE = "中国民政乡镇低保供养目标"
_SEMANTIC_COLOURS = ("bar", "target", "miss")
_RENDER_LOCK = threading.RLock()
_FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib; draws symbols and some emoji the CJK font lacks


@dataclass(frozen=True)
class ChartFiles:
    """The two files of one chart: the same figure as vector and as raster."""

    svg: Path  # vector, for the PDF
    png: Path  # 300 dpi, for the DOCX


@dataclass(frozen=True)
class CjkFont:
    """The Chinese font the charts use: a file, the face inside it (a .ttc holds several), its family name."""

    path: Path
    face_index: int
    family: str


# ---------------------------------------------------------------------------------------------------------------
# Font


def _face_with_chinese(path: str, face_index: int) -> ft2font.FT2Font | None:
    try:
        font = ft2font.FT2Font(path, face_index=face_index)
    except (OSError, RuntimeError, ValueError):
        return None
    if all(font.get_char_index(ord(ch)) for ch in _CHINESE_PROBE):
        return font
    return None


def _fontconfig_candidates() -> Iterator[tuple[str, int]]:
    """What fontconfig would use for Simplified Chinese; absent fontconfig, nothing."""
    if shutil.which("fc-match") is None:
        return
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}\n%{index}", "Noto Sans CJK SC:lang=zh"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return
    lines = out.splitlines()
    if lines and lines[0]:
        index = int(lines[1]) if len(lines) > 1 and lines[1].strip().isdigit() else 0
        yield lines[0], index


def _scan_candidates() -> Iterator[tuple[str, int]]:
    """Known Chinese font files among the system fonts; in a collection the Simplified Chinese face first."""
    files = sorted(font_manager.findSystemFonts())
    for hint in _FONT_FILE_HINTS:
        for path in files:
            if hint not in Path(path).name.lower().replace(" ", "").replace("-", "").replace("_", ""):
                continue
            try:
                faces = ft2font.FT2Font(path).num_faces
            except (OSError, RuntimeError, ValueError):
                continue
            names = []
            for i in range(faces):
                try:
                    names.append((i, ft2font.FT2Font(path, face_index=i).family_name))
                except (OSError, RuntimeError, ValueError):
                    continue
            # A CJK collection's faces differ in glyph shapes by region; SC draws 骨/直/... the mainland way.
            names.sort(key=lambda item: (not re.search(r"\bSC\b|GB", item[1]), item[0]))
            for i, _name in names:
                yield path, i


@functools.cache
def cjk_font() -> CjkFont:
    """Find, register and return the Chinese font, once per process.

    Raises BadInput (with what to install) when the machine has no font with Chinese glyphs.
    """
    seen: set[tuple[str, int]] = set()
    for path, index in (*_fontconfig_candidates(), *_scan_candidates()):
        if (path, index) in seen:
            continue
        seen.add((path, index))
        font = _face_with_chinese(path, index)
        if font is None:
            continue
        font_manager.fontManager.addfont(path)  # registers every face of a collection
        return CjkFont(Path(path), index, font_manager.ttfFontProperty(font).name)
    raise BadInput.of(
        IssueCode.MISSING_FONT,
        Location("图表"),
        why="本机没有含中文字形的字体，无法绘制图表；请安装 Noto Sans CJK SC 等中文字体"
        "（Debian/Ubuntu: apt-get install fonts-noto-cjk）",
    )


# ---------------------------------------------------------------------------------------------------------------
# Style


@functools.cache
def _colours(path: Path) -> dict[str, str]:
    """The meaningful colours (bar, target, miss) from the style file's "#@ name: colour" lines."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"#@\s*(\w+)\s*:\s*(\S+)", line)
        if match:
            name, colour = match.groups()
            if not mcolors.is_color_like(colour):
                raise ValueError(f"{path}: {name} colour {colour!r} is not a colour")
            found[name] = colour
    missing = [name for name in _SEMANTIC_COLOURS if name not in found]
    if missing:
        raise ValueError(f"{path}: no '#@ {missing[0]}: <colour>' line")
    return found


def colours() -> dict[str, str]:
    """Bar, target-line and miss colours of the house style."""
    return _colours(CHART_STYLE)


@contextmanager
def _house_style() -> Iterator[None]:
    """The style file plus what must not vary: the CJK font, ASCII minus, deterministic SVG."""
    font = cjk_font()
    with (
        _RENDER_LOCK,
        matplotlib.style.context(CHART_STYLE),
        matplotlib.rc_context(
            {
                "font.family": [font.family, _FALLBACK_FAMILY],
                "axes.unicode_minus": False,
                "svg.hashsalt": SVG_HASHSALT,
                "svg.fonttype": "none",
                "text.parse_math": False,  # a 名称 with two "$" is a name, not TeX
            }
        ),
    ):
        yield


# ---------------------------------------------------------------------------------------------------------------
# Figures (returned unsaved, so tests can inspect them)


def _check_length(what: str, values: Sequence[object], expected: int) -> None:
    if len(values) != expected:
        raise ValueError(f"{what}: {len(values)} values for {expected} categories")


def _as_float(value: Decimal | None) -> float:
    return math.nan if value is None else float(value)


def _axes(title: str, unit: str, labels: Sequence[str]) -> tuple[Figure, Axes, list[int]]:
    """A figure with one titled axes over categories; call inside `_house_style()` so the style applies."""
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.set_ylabel(unit)
    return fig, ax, _category_axis(ax, labels)


def _category_axis(ax: Axes, labels: Sequence[str]) -> list[int]:
    """Positions, not matplotlib categories: two townships may share a name (青山镇 in two counties)."""
    positions = list(range(len(labels)))
    if len(labels) > ROTATE_ABOVE:
        ax.set_xticks(positions, list(labels), rotation=45, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticks(positions, list(labels))
    return positions


def _label_value(ax: Axes, x: float, height: float, text: str) -> None:
    below = height < 0
    ax.annotate(
        text,
        xy=(x, height),
        xytext=(0, -2 if below else 2),
        textcoords="offset points",
        ha="center",
        va="top" if below else "bottom",
        fontsize="small",
    )


def _is_miss(value: Decimal | None, target: Decimal | None, highlight_below: bool) -> bool:
    """On the exact value, like the target check: 44.96 shows as 45.0 but still misses ≥ 45."""
    if value is None or target is None:
        return False
    return value < target if highlight_below else value > target


def _bar_figure(
    title: str,
    categories: Sequence[str],
    values: Sequence[Decimal | None],
    unit: str,
    target: Decimal | None = None,
    target_label: str = "目标值",
    highlight_below: bool = True,
    decimals: int = 1,
    rounding: Rounding = HALF_UP,
) -> Figure:
    _check_length("values", values, len(categories))
    if not categories:
        raise ValueError("a bar chart needs at least one category")
    palette = colours()
    with _house_style():
        fig, ax, positions = _axes(title, unit, categories)
        present = [i for i, v in enumerate(values) if v is not None]
        misses = [_is_miss(values[i], target, highlight_below) for i in present]
        ax.bar(
            [positions[i] for i in present],
            [float(values[i]) for i in present],  # type: ignore[arg-type]  # present: not None
            width=0.6,
            color=[palette["miss"] if miss else palette["bar"] for miss in misses],
        )
        for x, value in zip(positions, values, strict=True):
            _label_value(ax, x, 0.0 if value is None else float(value), fmt_fixed(value, decimals, rounding))
        if target is not None:
            ax.axhline(float(target), color=palette["target"], linestyle="--", linewidth=1.2)
            # Labelled at the line's right end, outside the bars, so it never covers a value label.
            ax.annotate(
                f"{target_label}\n{fmt_fixed(target, decimals, rounding)}",
                xy=(1, float(target)),
                xycoords=("axes fraction", "data"),
                xytext=(4, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                color=palette["target"],
                fontsize="small",
            )
            if any(misses):
                word = "低于" if highlight_below else "高于"
                fig.legend(
                    handles=[
                        Patch(color=palette["bar"], label=f"达到{target_label}"),
                        Patch(color=palette["miss"], label=f"{word}{target_label}"),
                    ],
                    loc="outside lower center",
                    ncols=2,
                )
        ax.set_xlim(-0.6, len(categories) - 0.4)
    return fig


def _trend_figure(
    title: str,
    periods: Sequence[str],
    series: Mapping[str, Sequence[Decimal | None]],
    unit: str,
    decimals: int = 0,
    rounding: Rounding = HALF_UP,
) -> Figure:
    if not periods or not series:
        raise ValueError("a trend chart needs at least one period and one series")
    for name, values in series.items():
        _check_length(f"series {name}", values, len(periods))
    with _house_style():
        fig, ax, positions = _axes(title, unit, periods)
        for name, values in series.items():
            (line,) = ax.plot(positions, [_as_float(v) for v in values], marker="o", label=name)
            last = max((i for i, v in enumerate(values) if v is not None), default=None)
            if last is not None:
                ax.annotate(
                    fmt_fixed(values[last], decimals, rounding),
                    xy=(positions[last], float(values[last])),  # type: ignore[arg-type]  # not None
                    xytext=(5, 0),
                    textcoords="offset points",
                    ha="left",
                    va="center",
                    color=line.get_color(),
                    fontsize="small",
                )
        ax.set_xlim(-0.4, len(periods) - 0.6)
        fig.legend(loc="outside lower center", ncols=min(len(series), 4))  # names the place even for one line
    return fig


def _composition_figure(
    title: str,
    categories: Sequence[str],
    parts: Mapping[str, Sequence[Decimal | None]],
    unit: str,
    decimals: int = 0,
    rounding: Rounding = HALF_UP,
) -> Figure:
    if not categories or not parts:
        raise ValueError("a composition chart needs at least one category and one part")
    for name, values in parts.items():
        _check_length(f"part {name}", values, len(categories))
        if any(v is not None and v < 0 for v in values):
            raise ValueError(f"part {name}: negative values cannot be stacked")
    with _house_style():
        fig, ax, positions = _axes(title, unit, categories)
        bottoms = [0.0] * len(categories)
        for name, values in parts.items():
            heights = [0.0 if v is None else float(v) for v in values]
            ax.bar(positions, heights, width=0.6, bottom=bottoms, label=name)
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        for i, x in enumerate(positions):
            column = [values[i] for values in parts.values()]
            # A total with a part missing would look complete and be wrong: show "—" instead.
            total = None if any(v is None for v in column) else sum(column, Decimal(0))  # type: ignore[arg-type]
            _label_value(ax, x, bottoms[i], fmt_fixed(total, decimals, rounding))
        ax.set_xlim(-0.6, len(categories) - 0.4)
        fig.legend(loc="outside lower center", ncols=min(len(parts), 4))
    return fig


# ---------------------------------------------------------------------------------------------------------------
# Saving


def _save(stem: Path, make: Callable[..., Figure], *args: object) -> ChartFiles:
    """Draw `make(*args)` into `<stem>-<key>.svg/.png`, the key a hash of everything that decides the pixels.

    Named by content, so two builds writing into one folder at once (2020Q3 and 2020Q4) can never embed each
    other's chart, and an unchanged chart is not drawn again; each file is written through a temporary file.
    """
    args = tuple(_drawable(arg, stem.name) for arg in args)
    key = _chart_key(make.__name__, args)
    files = ChartFiles(svg=stem.parent / f"{stem.name}-{key}.svg", png=stem.parent / f"{stem.name}-{key}.png")
    if files.svg.is_file() and files.png.is_file():
        return files
    fig = make(*args)
    with _house_style(), warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph .* missing from", category=UserWarning)
        atomic_write(files.svg, lambda tmp: fig.savefig(tmp, format="svg", metadata={"Date": None}))
        # Laid out once, for the SVG; the PNG is drawn on that layout. No engine at all, not the "none"
        # placeholder, or savefig runs a layout pass of its own first: the PNG is then drawn once, not twice.
        with matplotlib.rc_context({"figure.constrained_layout.use": False}):
            fig.set_layout_engine(None)
        atomic_write(
            files.png, lambda tmp: fig.savefig(tmp, format="png", dpi=PNG_DPI, metadata={"Software": None})
        )
    return files


def _chart_key(kind: str, args: tuple[object, ...]) -> str:
    """Inputs (Decimals by repr, so 1.50 and 1.5 differ as they print differently), style, font, versions and
    this module's own source, so a chart drawn by an earlier version of the code is never taken for a new one."""
    font = cjk_font()
    digest = hashlib.sha256()
    for part in (kind, repr(args), CHART_STYLE.read_text(encoding="utf-8"), str(font.path), str(font.face_index),
                 matplotlib.__version__, str(PNG_DPI), _source()):  # fmt: skip
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:16]


@functools.cache
def _source() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


@functools.cache
def _fonts() -> tuple[ft2font.FT2Font, ...]:
    font = cjk_font()
    fallback = font_manager.findfont(_FALLBACK_FAMILY)
    return ft2font.FT2Font(str(font.path), face_index=font.face_index), ft2font.FT2Font(fallback)


def missing_glyphs(text: str) -> str:
    """The characters of `text` neither chart font can draw, in order, once each."""
    fonts = _fonts()
    return "".join(
        dict.fromkeys(ch for ch in text if ch != "\n" and not any(f.get_char_index(ord(ch)) for f in fonts))
    )


def _drawable(value: object, chart: str) -> object:
    """`value` (a text, or texts nested in sequences and mappings) without the characters no chart font has.

    They are left out with a warning rather than drawn as boxes or stopping the build: the report's text
    keeps them, and `validate` has already named them.
    """
    if isinstance(value, str):
        missing = missing_glyphs(value)
        if not missing:
            return value
        LOGGER.warning("图表 %s：字体中没有字符“%s”，图中略去", chart, missing)
        return "".join(ch for ch in value if ch not in missing)
    if isinstance(value, Mapping):
        return {_drawable(k, chart): v for k, v in value.items()}
    if isinstance(value, (list, tuple)) and any(isinstance(v, str) for v in value):
        return [_drawable(v, chart) for v in value]
    return value


def bar_with_target(
    stem: Path,
    title: str,
    categories: Sequence[str],
    values: Sequence[Decimal | None],
    unit: str,
    target: Decimal | None = None,
    target_label: str = "目标值",
    highlight_below: bool = True,
    decimals: int = 1,
    rounding: Rounding = HALF_UP,
) -> ChartFiles:
    """One bar per township against a target, so the reader sees at once who falls short.

    The target is a dashed line labelled at its right end. Bars that miss it are drawn in the warning colour:
    below the target when `highlight_below` (a floor such as a coverage rate), above it otherwise (a ceiling).
    Every bar carries its value, rounded with `rounding` to `decimals`; a missing value (None) leaves a gap
    labelled "—".
    """
    return _save(
        stem,
        _bar_figure,
        title,
        categories,
        values,
        unit,
        target,
        target_label,
        highlight_below,
        decimals,
        rounding,
    )


def trend(
    stem: Path,
    title: str,
    periods: Sequence[str],
    series: Mapping[str, Sequence[Decimal | None]],
    unit: str,
    decimals: int = 0,
    rounding: Rounding = HALF_UP,
) -> ChartFiles:
    """One line per series over periods (e.g. 2019年一季度…), so a direction of change is visible.

    Points have markers; a None breaks the line rather than inventing a value. The last known point of each
    series carries its value, the figure a report sentence usually quotes.
    """
    return _save(stem, _trend_figure, title, periods, series, unit, decimals, rounding)


def composition(
    stem: Path,
    title: str,
    categories: Sequence[str],
    parts: Mapping[str, Sequence[Decimal | None]],
    unit: str,
    decimals: int = 0,
    rounding: Rounding = HALF_UP,
) -> ChartFiles:
    """Stacked bars (e.g. 集中供养 / 分散供养 per township): both the total and how it splits.

    Parts stack in the mapping's order with a legend; each stack is labelled with its total, or "—" when a
    part is missing, because a total without it would look complete and be wrong.
    """
    return _save(stem, _composition_figure, title, categories, parts, unit, decimals, rounding)


__all__ = [
    "ChartFiles",
    "CjkFont",
    "bar_with_target",
    "cjk_font",
    "colours",
    "composition",
    "missing_glyphs",
    "trend",
]
