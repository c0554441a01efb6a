"""Parse what a template renders — a small XML vocabulary — into the document model.

Why XML: Jinja escapes every value for XML (autoescape), so a name like "A&B" can never break the structure;
the parser reports a malformed template output with its line; and the vocabulary is small enough to read:

    <document>
      <title>…<br/>…</title>      <h1>…</h1> … <h4>…</h4>       (numbers are added by the house style)
      <to>市民政局：</to>          <p>text <b>bold</b> <em>highlighted</em></p>
      <note>…</note>  <attachment>1.……</attachment>  <editable>…</editable>  (text the author rewrites)
      <table number="1" title="…" unit="单位：%">
        <tr header="1"><th colspan="2">…</th></tr>  <tr><td align="right" highlight="1">…</td></tr>
        <tnote>…</tnote> <source>…</source>
      </table>
      <figure chart="beds_by_township" caption="图1　…"/>
      <pagebreak/>
      <signature org="示例县民政局" date="2020年10月10日" seal="1"/>   (seal="1": laid out for a seal)
    </document>

Line breaks inside text and the indentation around them are dropped: Chinese has no spaces between words.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

from report_builder.render.document import (
    Align,
    Block,
    Cell,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    ParagraphKind,
    Run,
    Signature,
    Table,
    Title,
)  # fmt: skip

_BREAK = re.compile(r"\s*\n\s*")
MAX_COLUMNS = 63  # Word's limit for one table
_PARAGRAPH_KINDS = {
    "p": ParagraphKind.BODY,
    "to": ParagraphKind.ADDRESSEE,
    "note": ParagraphKind.NOTE,
    "attachment": ParagraphKind.ATTACHMENT,
    "editable": ParagraphKind.EDITABLE,
}


class MarkupError(ValueError):
    """The template's output is not valid document markup; the message names the line."""


def _clean(text: str | None) -> str:
    return _BREAK.sub("", text or "")


def parse(text: str, charts: Callable[[str], tuple[Path, Path]]) -> list[Block]:
    """`charts` maps a chart name to its (svg, png) files."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line = exc.position[0]
        context = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        raise MarkupError(
            f"模板输出第{line}行不是有效的文档标记：{exc}；该行为：{context.strip()[:80]}"
        ) from None
    if root.tag != "document":
        raise MarkupError(f"模板输出的根元素应为 <document>，实际为 <{root.tag}>")
    return list(_blocks(root, charts))


def _blocks(root: ET.Element, charts: Callable[[str], tuple[Path, Path]]) -> Iterator[Block]:
    for el in root:
        tag = el.tag
        if tag == "title":
            yield Title(tuple(_title_lines(el)))
        elif tag in ("h1", "h2", "h3", "h4"):
            yield Heading(int(tag[1]), _clean("".join(el.itertext())))
        elif tag in _PARAGRAPH_KINDS:
            runs = tuple(_runs(el))
            if runs:
                yield Paragraph(runs, _PARAGRAPH_KINDS[tag])
        elif tag == "table":
            yield _table(el)
        elif tag == "figure":
            svg, png = charts(el.get("chart", ""))
            yield Figure(el.get("caption", ""), svg, png)
        elif tag == "pagebreak":
            yield PageBreak()
        elif tag == "signature":
            yield Signature(el.get("org", ""), el.get("date", ""), el.get("seal") == "1")
        else:
            raise MarkupError(f"未知的文档元素 <{tag}>")


def _title_lines(el: ET.Element) -> Iterator[str]:
    """<title>示例县民政局<br/>2020年三季度…</title>: lines split at <br/>."""
    line = _clean(el.text)
    for child in el:
        if child.tag != "br":
            raise MarkupError(f"标题中不能有 <{child.tag}>，只能有 <br/>")
        yield line
        line = _clean(child.tail)
    yield line


def _runs(el: ET.Element) -> Iterator[Run]:
    """Text with <b> and <em> spans; empty pieces are dropped, neighbours with equal formatting merged."""
    pieces: list[Run] = []

    def add(text: str | None, bold: bool, highlight: bool) -> None:
        text = _clean(text)
        if not text:
            return
        if pieces and (pieces[-1].bold, pieces[-1].highlight) == (bold, highlight):
            pieces[-1] = Run(pieces[-1].text + text, bold, highlight)
        else:
            pieces.append(Run(text, bold, highlight))

    def walk(node: ET.Element, bold: bool, highlight: bool) -> None:
        add(node.text, bold, highlight)
        for child in node:
            if child.tag not in ("b", "em"):
                raise MarkupError(f"段落中不能有 <{child.tag}>，只能有 <b> 和 <em>")
            walk(child, bold or child.tag == "b", highlight or child.tag == "em")
            add(child.tail, bold, highlight)

    walk(el, False, False)
    yield from pieces


def _align(text: str) -> Align:
    try:
        return Align(text)
    except ValueError:
        raise MarkupError(f"align 应为 {'、'.join(Align)} 之一，实际为“{text}”") from None


def _span(cell: ET.Element, attr: str, most: int, why: str) -> int:
    text = cell.get(attr, "1")
    span = int(text) if text.isascii() and text.isdigit() and len(text) < 7 else 0
    if not 1 <= span <= most:
        raise MarkupError(f"{attr} 应为 1 到 {most} 的整数（{why}），实际为“{text[:20]}”")
    return span


def _row(tr: ET.Element, rows_left: int) -> tuple[Cell, ...]:
    """One row's cells. Spans are bounded by the table: a row spans at most the rows left below it, and a
    table has at most 63 columns, as in Word — so `colspan="1000000"` is a message, not a million cells."""
    cells = tuple(
        Cell(
            _clean("".join(c.itertext())),
            _span(c, "colspan", MAX_COLUMNS, f"表格最多 {MAX_COLUMNS} 列"),
            _span(c, "rowspan", rows_left, f"此行起表格还有 {rows_left} 行"),
            _align(c.get("align", "center" if c.tag == "th" else "left")),
            c.get("highlight") == "1",
            c.tag == "th",
        )
        for c in tr
    )
    if sum(cell.colspan for cell in cells) > MAX_COLUMNS:
        raise MarkupError(f"表格一行最多 {MAX_COLUMNS} 列，此行有 {sum(cell.colspan for cell in cells)} 列")
    return cells


def _table(el: ET.Element) -> Table:
    header: list[tuple[Cell, ...]] = []
    rows: list[tuple[Cell, ...]] = []
    notes: list[str] = []
    source = ""
    rows_left = sum(child.tag == "tr" for child in el)
    for child in el:
        if child.tag == "tr":
            is_header = child.get("header") == "1" or all(c.tag == "th" for c in child)
            cells = _row(child, rows_left)
            rows_left -= 1
            (header if is_header and not rows else rows).append(cells)
        elif child.tag == "tnote":
            notes.append(_clean("".join(child.itertext())))
        elif child.tag == "source":
            source = _clean("".join(child.itertext()))
        else:
            raise MarkupError(f"表格中不能有 <{child.tag}>")
    return Table(el.get("number", ""), el.get("title", ""), el.get("unit", ""), tuple(header), tuple(rows),
                 tuple(notes), source)  # fmt: skip
