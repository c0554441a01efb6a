"""House styles as data: a TOML file per style in templates/styles/, read into one object both writers use.

A new house style is a new TOML (and CSS) file; the writers read the style instead of branching on its name.
Layout measures (mm, pt) are floats: they place ink on paper and are never printed as statistics.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from report_builder.issues import BadInput, IssueCode, Location
from report_builder.render.document import Align
from report_builder.shipped import STYLES


class TableRules(StrEnum):
    GRID = "grid"  # every cell ruled (公文 tables)
    THREE_LINE = "three_line"  # thick top and bottom, thin under the header (yearbook tables)


class PageNumberPosition(StrEnum):
    OUTSIDE = "outside"  # odd pages right, even pages left (公文)
    CENTER = "center"  # yearbook


@dataclass(frozen=True)
class FontSpec:
    family: tuple[str, ...]  # official fonts first, free fallbacks last
    size_pt: float
    bold: bool = False
    align: Align = Align.LEFT
    indent_chars: int = 0

    @property
    def official(self) -> str:
        """The font Word/WPS should use: the first of the stack."""
        return self.family[0]


@dataclass(frozen=True)
class HouseStyle:
    key: str
    name: str
    css: Path
    page_width_mm: float
    page_height_mm: float
    top_mm: float
    bottom_mm: float
    left_mm: float
    right_mm: float
    line_pitch_pt: float
    chars_per_line: int
    page_number_text: str
    page_number_position: PageNumberPosition
    page_number_gap_mm: float
    heading_numbers: tuple[str, ...]
    table_rules: TableRules
    running_head: bool
    fonts: dict[str, FontSpec]

    def font(self, element: str) -> FontSpec:
        return self.fonts.get(element) or self.fonts["body"]

    @property
    def text_width_mm(self) -> float:
        return self.page_width_mm - self.left_mm - self.right_mm


def available_styles() -> list[str]:
    return sorted(p.stem for p in STYLES.glob("*.toml"))


def load_style(key: str) -> HouseStyle:
    """Raises BadInput naming the styles there are when `key` is not one of them (a template's `style` names a
    shipped style, never a path: `/etc/x` or `../quarterly/template`), or the file is wrong."""
    path = STYLES / f"{key}.toml"
    if key not in available_styles():
        raise BadInput.of(
            IssueCode.BAD_TEMPLATE,
            Location("template.toml", header="style"),
            why=f"没有名为“{key}”的版式，现有：{'、'.join(available_styles())}",
        )
    try:
        return _style(key, tomllib.loads(path.read_text(encoding="utf-8")))
    except (KeyError, ValueError, TypeError) as exc:
        raise BadInput.of(IssueCode.BAD_TEMPLATE, Location(path.name), why=f"版式文件有误：{exc!r}") from None


def _style(key: str, data: dict) -> HouseStyle:
    page, number = data["page"], data["page_number"]
    fonts = {
        name: FontSpec(
            tuple(f["family"]),
            float(f["size_pt"]),
            f.get("bold", False),
            Align(f.get("align", "left")),
            f.get("indent_chars", 0),
        )
        for name, f in data["fonts"].items()
    }
    return HouseStyle(
        key=key,
        name=data["name"],
        css=STYLES / data["css"],
        page_width_mm=page["width_mm"],
        page_height_mm=page["height_mm"],
        top_mm=page["top_mm"],
        bottom_mm=page["bottom_mm"],
        left_mm=page["left_mm"],
        right_mm=page["right_mm"],
        line_pitch_pt=page["line_pitch_pt"],
        chars_per_line=page["chars_per_line"],
        page_number_text=number["text"],
        page_number_position=PageNumberPosition(number["position"]),
        page_number_gap_mm=number["gap_mm"],
        heading_numbers=tuple(data.get("heading_numbers", ())),
        table_rules=TableRules(data.get("table_rules", "grid")),
        running_head=data.get("running_head", False),
        fonts=fonts,
    )


def text_width_chars(text: str) -> float:
    """Width in 全角 characters: CJK and full-width punctuation count 1, ASCII (digits in dates) ½."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


SHORT_CELL = 6  # characters: a header this short (乡镇（街道）, 农村低保) is one word and is kept on one line


def keeps_together(text: str) -> bool:
    """Whether a table cell is short enough never to wrap: broken, 乡镇（街道） reads "乡镇（街 / 道）"."""
    return text_width_chars(text) <= SHORT_CELL


def signature_indents(org: str, date: str, chars_per_line: int) -> tuple[float, float]:
    """Left indents (in characters) of 署名 and 成文日期 per GB/T 9704-2012 7.3.5.3 (no seal).

    The organisation sits two characters in from the right; the date's first character two characters to
    the right of the organisation's; when that would push the date past two characters from the right, the
    date is set two characters in and the organisation moves left to keep the offset.
    """
    org_w, date_w = text_width_chars(org), text_width_chars(date)
    org_start = chars_per_line - 2 - org_w
    date_start = org_start + 2
    if date_start + date_w > chars_per_line - 2:
        date_start = chars_per_line - 2 - date_w
        org_start = date_start - 2
    return max(org_start, 0), max(date_start, 0)
