"""House styles as data: a TOML file per style in templates/styles/, read into one object both writers use.

A new house style is a new TOML (and CSS) file; the writers read the style instead of branching on its name.
Layout measures (mm, pt) are floats: they place ink on paper and are never printed as statistics.
"""

from __future__ import annotations

import math
import tomllib
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from report_builder.issues import BadInput, IssueCode, Location
from report_builder.render.document import Align, Colophon
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
class OfficialLook:
    """How a style prints the 版头 and 版记 of a document sent up (GB/T 9704-2012 7.2, 7.4)."""

    red: str  # RRGGBB of the issuer's mark and the rule under the 发文字号
    issuer_gap_mm: float  # top edge of the issuer's mark below the top of the text block (7.2.4: 35 mm)
    rule_gap_mm: float  # the red rule below the 发文字号 (7.2.7: 4 mm)
    red_rule_mm: float
    thick_rule_mm: float  # 版记: its first and last rules (7.4.1: 0.35 mm)
    thin_rule_mm: float  # 版记: the rules between its lines (0.25 mm)


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
    official: OfficialLook | None = None  # None: the style has no 红头 (a yearbook)

    @property
    def red_head(self) -> OfficialLook:
        """The 版头 and 版记 look; only asked for when the document has them (the pipeline refuses --official
        for a style without one)."""
        if self.official is None:
            raise ValueError(f"house style {self.key} has no [official] table")
        return self.official

    def font(self, element: str) -> FontSpec:
        return self.fonts.get(element) or self.fonts["body"]

    @property
    def text_width_mm(self) -> float:
        return self.page_width_mm - self.left_mm - self.right_mm

    @property
    def char_spacing_pt(self) -> float:
        """Extra space after each character of body-size text that makes `chars_per_line` characters fill one
        line (GB/T 9704: 28 of 16 pt in 156 mm, where 16 pt characters alone give 27); 0 when they fit as they
        are. A multiple of 1/20 pt, rounded down, as DOCX stores it (w:spacing in twentieths of a point)."""
        pitch = self.text_width_mm * 72 / 25.4 / self.chars_per_line
        return min(0.0, math.floor((pitch - self.font("body").size_pt) * 20) / 20)

    def spaced(self, element: str) -> bool:
        """Whether `element` is set at body size and so takes the body's character spacing."""
        return self.font(element).size_pt == self.font("body").size_pt


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
        official=OfficialLook(**data["official"]) if "official" in data else None,
    )


def text_width_chars(text: str, narrow: float = 0.5) -> float:
    """Width in 全角 characters: CJK, full-width punctuation and the symbols CJK fonts draw full width
    (≥ ≤ — ·, East Asian Width "A") count 1; ASCII (digits in dates) counts `narrow`."""
    return sum(narrow if unicodedata.east_asian_width(ch) in "NaH" else 1.0 for ch in text)


SHORT_CELL = 6  # characters: a header this short (乡镇（街道）, 农村低保) is one word and is kept on one line


def keeps_together(text: str) -> bool:
    """Whether a table cell is short enough never to wrap: broken, 乡镇（街道） reads "乡镇（街 / 道）"."""
    return text_width_chars(text) <= SHORT_CELL


def signature_right_indents(org: str, date: str, sealed: bool) -> tuple[float, float]:
    """Right indents (in characters) of 署名 and 成文日期 per GB/T 9704-2012 7.3.5, for right-aligned lines.

    Sealed (7.3.5.1): the date four characters in from the right, the organisation centred over it.
    Unsealed (7.3.5.3): the organisation two characters in from the right, the date's first character two
    characters to the right of the organisation's; when that would bring the date closer than two characters
    to the right edge, the date is set two characters in and the organisation moves left to keep the offset.
    Right-aligned, the date ends where the standard puts it whatever the font's digits measure.
    """
    org_w, date_w = text_width_chars(org), text_width_chars(date)
    if sealed:
        return max(4 + (date_w - org_w) / 2, 0), 4.0
    date_right = org_w - date_w
    if date_right >= 2:
        return 2.0, date_right
    return 4 + date_w - org_w, 2.0


COLOPHON_LINE_EM = 1.5  # a 版记 line is 1.5 of its font size high, exactly, in both outputs


def colophon_lines(block: Colophon, style: HouseStyle) -> list[int]:
    """Lines of each row of a 版记 (抄送 may wrap; 印发机关 and 印发日期 share one line): the rows get exact
    heights, so the DOCX can put the table's top where its last rule meets the bottom of the text block."""
    size = style.font("colophon").size_pt
    per_line = math.floor(style.text_width_mm * 72 / 25.4 / size) - 2  # one character in from each side
    cc = [1 + max(0, math.ceil((text_width_chars(block.cc) - per_line) / (per_line - 3)))] if block.cc else []
    return [*cc, 1]
