"""One document model that both writers read, so the DOCX and the PDF carry the same text.

Every string is final when it enters: numbers are already formatted and headings already numbered by
`number_headings`, so the writers only lay text out. Blocks are frozen dataclasses of str, int and Path —
plain data that pickles and compares equal in tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from report_builder.numbers import cn_number


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


class ParagraphKind(StrEnum):
    BODY = "body"
    ADDRESSEE = "addressee"  # 主送, flush left
    NOTE = "note"
    ATTACHMENT = "attachment"
    EDITABLE = "editable"  # text the author rewrites


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    highlight: bool = False  # a missed target or an editable passage: printed in the warning colour


@dataclass(frozen=True)
class Title:
    lines: tuple[str, ...]  # a long 公文 title is broken where its author says, not mid-word

    def __post_init__(self) -> None:
        if isinstance(self.lines, str):  # Title("…") is one line, not one line per character
            object.__setattr__(self, "lines", (self.lines,))

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True)
class Heading:
    level: int  # 1–4: 一、 / （一） / 1. / （1） in 公文; the number is added by `number_headings`
    text: str
    number: str = ""


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    kind: ParagraphKind = ParagraphKind.BODY

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: Align = Align.CENTER
    highlight: bool = False
    header: bool = False


@dataclass(frozen=True)
class Table:
    number: str  # "1", "1-1"; empty for an unnumbered table
    title: str
    unit: str  # "单位：万元", printed at the top right
    header: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()
    source: str = ""
    continued: bool = False  # the part of a table on a following page (PDF): captioned 续表1, header repeated

    @property
    def caption(self) -> str:
        if self.continued:
            return f"续表{self.number}" if self.number else f"{self.title}（续）"
        return f"表{self.number}　{self.title}" if self.number else self.title


@dataclass(frozen=True)
class Figure:
    caption: str
    svg: Path
    png: Path
    fit_width_px: float = 0.0  # PDF: the chart drawn this wide (CSS px, under its style's), to fit on a page


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Signature:
    org: str
    date: str  # already written out: 2020年10月10日
    sealed: bool = False  # GB/T 9704 7.3.5.1 (a seal is stamped over it) rather than 7.3.5.3


@dataclass(frozen=True)
class Masthead:
    """版头 of a document sent up (GB/T 9704-2012 7.2): the issuer's mark (发文机关标志) in red, the 发文字号
    two lines below it and the red rule 4 mm under that. Comes before the title."""

    issuer: str  # 示例县民政局文件
    number: str  # 示民〔2020〕12号


@dataclass(frozen=True)
class Colophon:
    """版记 (GB/T 9704-2012 7.4): 抄送 above 印发机关 and 印发日期, between a thick first rule, thin rules
    between its lines and a thick last rule that lies on the bottom edge of the last page's text block."""

    cc: str  # "抄送：示例县人民政府办公室，示例市民政局。", or "" without 抄送
    printer: str  # 示例县民政局办公室
    printed: str  # 2020年10月10日印发


Block = Title | Heading | Paragraph | Table | Figure | PageBreak | Signature | Masthead | Colophon


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    date: dt.date  # every date inside the files comes from here, never from the clock
    title: str = ""
    running_head: str = ""  # yearbook: book and chapter title
    first_page: int = 1

    def text_blocks(self) -> list[str]:
        """The document's text, block by block, as both writers must print it (tests compare against it)."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Title):
                out.append(b.text)
            elif isinstance(b, Heading):
                out.append(b.number + b.text)
            elif isinstance(b, Paragraph):
                out.append(b.text)
            elif isinstance(b, Signature):
                out += [b.org, b.date]
            elif isinstance(b, Masthead):
                out += [b.issuer, b.number]
            elif isinstance(b, Colophon):
                out += [t for t in (b.cc, b.printer, b.printed) if t]
        return out


def joined_tables(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The blocks with each continued part of a table (续表, made by the PDF's pagination) joined to the part
    before it again: Word and WPS break a table themselves and repeat its header rows."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and block.continued and out and isinstance(out[-1], Table):
            head = out.pop()
            block = replace(
                head, rows=head.rows + block.rows, notes=block.notes, source=block.source, continued=False
            )
        out.append(block)
    return tuple(out)


def number_headings(blocks: tuple[Block, ...], formats: tuple[str, ...]) -> tuple[Block, ...]:
    """Give headings their numbers from their level (一、 （一） 1. （1）), restarting lower levels.

    `formats` are the house style's patterns per level, with {cn} for 一二三 and {n} for 1 2 3; a level
    without a pattern stays unnumbered (yearbook headings).
    """
    counters = [0, 0, 0, 0]
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading) and 1 <= block.level <= 4:
            i = block.level - 1
            counters[i] += 1
            counters[i + 1 :] = [0] * (3 - i)
            pattern = formats[i] if i < len(formats) else ""
            number = pattern.format(cn=cn_number(counters[i]), n=counters[i]) if pattern else ""
            block = Heading(block.level, block.text, number)
        out.append(block)
    return tuple(out)
