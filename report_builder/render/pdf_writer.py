"""Write the document model as HTML + print CSS and render it to PDF with WeasyPrint.

Two things WeasyPrint does not do for Chinese, handled here:
- Justification (两端对齐): WeasyPrint stretches only spaces, and Chinese has none. Body text therefore gets a
  space between characters wherever one side is CJK, and `word-spacing` minus the width of a space in the
  font that will draw it (read from the installed font file) cancels its own width: the spaces take only the
  stretch. No gap goes before closing punctuation or after opening punctuation, so no line starts with "；"
  or ends with "（" (禁则): Pango breaks at every space, whatever follows it.
- Fonts: before rendering, every font stack in use must have at least one installed family (else the message
  names the package to install); after rendering, the PDF must embed a CJK font.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import html
import logging
import re
import shutil
import subprocess
import sys
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from report_builder.files import atomic_write
from report_builder.issues import BadInput, IssueCode, Location
from report_builder.log import LOGGER
from report_builder.render.document import (
    Align,
    Block,
    Colophon,
    Document,
    Figure,
    Heading,
    Masthead,
    PageBreak,
    Paragraph,
    ParagraphKind,
    Signature,
    Table,
    Title,
)
from report_builder.render.pagination import paginate
from report_builder.render.style import (
    COLOPHON_LINE_EM,
    FontSpec,
    HouseStyle,
    PageNumberPosition,
    keeps_together,
    signature_right_indents,
)

PACKAGES = {"Noto Serif CJK SC": "fonts-noto-cjk", "Noto Sans CJK SC": "fonts-noto-cjk",
            "AR PL KaitiM GB": "fonts-arphic-gkai00mp"}  # fmt: skip
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CLOSING, _OPENING = "，。；、：？！）》”’％", "（《“‘"
# A gap wherever one side is CJK, except before closing punctuation and after opening punctuation: Pango breaks
# at any space, so a gap there would open a line with "；" or end one with "（" (禁则).
_BETWEEN = re.compile(rf"(?<![{_OPENING}])(?:(?<=[{_CJK}])(?=\S)|(?<=\S)(?=[{_CJK}]))(?![{_CLOSING}])")


@dataclass(frozen=True)
class LaidOut:
    """The document as WeasyPrint paginated it: its blocks as `paginate` arranged them, and the pages."""

    document: Document
    rendered: Any


def lay_out(document: Document, style: HouseStyle, base_url: Path | None = None) -> LaidOut:
    """Check the fonts, then paginate (warnings WeasyPrint logs are passed on)."""
    html_class = _weasyprint_html()
    check_fonts(style)
    url = str(base_url or Path.cwd())

    def render(blocks: tuple[Block, ...]) -> Any:
        return html_class(string=to_html(document, style, blocks), base_url=url).render()

    with _captured_warnings() as warnings:
        blocks, rendered = paginate(document.blocks, render)
    for message in warnings:
        LOGGER.warning("WeasyPrint: %s", message)
    return LaidOut(replace(document, blocks=blocks), rendered)


# WeasyPrint's cffi opens each library by several names (libgobject-2.0-0, gobject-2.0-0, …, then the Linux
# soname), and for every name dlopen refuses, ctypes.util.find_library runs ldconfig, gcc and ld: 22 look-ups
# and 54 subprocesses, a third of a second of a cold build. Where the sonames load as they are, the look-ups are
# skipped while WeasyPrint is imported: dlopen then reaches the same files through the sonames in its list.
_SONAMES = ("libgobject-2.0.so.0", "libpango-1.0.so.0", "libharfbuzz.so.0", "libfontconfig.so.1",
            "libpangoft2-1.0.so.0")  # fmt: skip


def _weasyprint_html() -> Any:
    """weasyprint.HTML, imported without the library look-ups where the sonames load directly."""
    if "weasyprint" not in sys.modules and _loadable(_SONAMES):
        find = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            import weasyprint  # noqa: F401
        finally:
            ctypes.util.find_library = find
    from weasyprint import HTML

    return HTML


def _loadable(names: tuple[str, ...]) -> bool:
    try:
        for name in names:
            ctypes.CDLL(name)
    except OSError:
        return False
    return True


def write_pdf(document: Document, style: HouseStyle, path: Path, laid_out: LaidOut | None = None) -> Path:
    """Write atomically, from `laid_out` when the caller paginated already (the DOCX follows the same
    arrangement of figures)."""
    laid_out = laid_out or lay_out(document, style)
    with _captured_warnings() as warnings:
        pdf = laid_out.rendered.write_pdf(pdf_identifier=_identifier(document))
    for message in warnings:
        LOGGER.warning("WeasyPrint: %s", message)
    if not embeds_cjk_font(pdf):
        raise _font_problem(path.name, "生成的 PDF 没有嵌入中文字体；请安装 fonts-noto-cjk 后重试")
    return atomic_write(path, lambda tmp: tmp.write_bytes(pdf))


def _identifier(document: Document) -> bytes:
    """The PDF /ID from the content (not the clock, not the output folder): same inputs, same bytes."""
    content = "\n".join(document.text_blocks()) + document.date.isoformat()
    return hashlib.md5(content.encode()).hexdigest().encode()


class _captured_warnings:
    """Collect what WeasyPrint logs at WARNING (e.g. the fontTools fallback) so callers and tests can see it."""

    def __enter__(self) -> list[str]:
        self.messages: list[str] = []
        self.handler = logging.Handler(logging.WARNING)
        self.handler.emit = lambda record: self.messages.append(record.getMessage())  # type: ignore[method-assign]
        logging.getLogger("weasyprint").addHandler(self.handler)
        return self.messages

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("weasyprint").removeHandler(self.handler)


@functools.cache
def installed_families() -> frozenset[str]:
    if not shutil.which("fc-list"):
        return frozenset()
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def check_fonts(style: HouseStyle) -> None:
    families = installed_families()
    for element, spec in style.fonts.items():
        if not any(f in families for f in spec.family):
            fallback = spec.family[-1]
            raise _font_problem(
                f"{style.key}.toml",
                f"版式“{style.name}”的{element}字体（{'、'.join(spec.family)}）一个也没有安装；"
                f"请安装 {PACKAGES.get(fallback, '含“' + fallback + '”的中文字体')}（Debian/Ubuntu: apt-get install "
                f"{PACKAGES.get(fallback, 'fonts-noto-cjk')}）",
            )


def _font_problem(where: str, why: str) -> BadInput:
    """A CJK font the house style needs is missing, or the PDF came out without one."""
    return BadInput.of(IssueCode.MISSING_FONT, Location(where), why=why)


def embeds_cjk_font(pdf: bytes) -> bool:
    """Look for a CJK font name in the PDF's objects (object streams are compressed, so inflate them)."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            chunks.append(zlib.decompressobj().decompress(pdf[match.end() : match.end() + 200_000]))
        except zlib.error:
            continue
    names = (b"CJK", b"Kai", b"FangSong", b"SimSun", b"SimHei", b"GB2312", b"FZ")
    return any(re.search(rb"/FontName\s*/[A-Z]{6}\+\S*(" + b"|".join(names) + rb")", c) for c in chunks)


def _family(spec: FontSpec) -> str:
    return ", ".join(f'"{f}"' for f in spec.family)


def _page_css(document: Document, style: HouseStyle) -> str:
    n_font = style.font("page_number")
    before, _, after = style.page_number_text.partition("{n}")
    number = f'"{before}" counter(page) "{after}"'
    # one line exactly the font's size, its centre (the dash of "— 1 —") gap_mm below the text block
    box = (f"font-family: {_family(n_font)}; font-size: {n_font.size_pt}pt; line-height: 1; vertical-align: top; "
           f"padding-top: calc({style.page_number_gap_mm}mm - 0.5em);")  # fmt: skip
    pages = [
        f"@page {{ size: {style.page_width_mm}mm {style.page_height_mm}mm; margin: {style.top_mm}mm "
        f"{style.right_mm}mm {style.bottom_mm}mm {style.left_mm}mm; }}"
    ]
    if style.page_number_position is PageNumberPosition.OUTSIDE:
        pages += [
            f"@page :right {{ @bottom-right {{ content: {number}; {box} text-align: right; padding-right: 1em; }} }}",
            f"@page :left {{ @bottom-left {{ content: {number}; {box} text-align: left; padding-left: 1em; }} }}",
        ]
    else:
        pages.append(f"@page {{ @bottom-center {{ content: {number}; {box} text-align: center; }} }}")
    if style.running_head and document.running_head:
        head = style.font("running_head")
        pages.append(
            f'@page {{ @top-center {{ content: "{_css_string(document.running_head)}"; font-family: {_family(head)}; '
            f"font-size: {head.size_pt}pt; vertical-align: bottom; padding-bottom: 2mm; "
            "border-bottom: 0.5pt solid black; } }"
        )
    if document.first_page != 1:
        pages.append(f"@page :first {{ counter-reset: page {document.first_page}; }}")
    return "\n".join(pages)


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


@functools.cache
def space_advance_em(family: str) -> float:
    """The width of U+0020 in the installed font of `family`, in em (0 when it cannot be read).

    Read with FreeType (through matplotlib's binding, already a dependency): it opens one face of a large
    .ttc without parsing the whole collection.
    """
    from matplotlib import ft2font

    found = subprocess.run(
        ["fc-match", "-f", "%{file}|%{index}", family], capture_output=True, text=True, check=False
    )
    path, _, index = found.stdout.partition("|")
    try:
        font = ft2font.FT2Font(path, face_index=int(index or 0))
        glyph = font.load_char(0x20, flags=ft2font.LoadFlags.NO_SCALE)
        return glyph.horiAdvance / font.units_per_EM
    except (OSError, RuntimeError, ValueError):
        return 0.0


def _first_installed(spec: FontSpec) -> str:
    families = installed_families()
    return next((f for f in spec.family if f in families), spec.family[-1])


def _element_css(style: HouseStyle) -> str:
    rules = []
    for element, spec in style.fonts.items():
        line = f"line-height: {style.line_pitch_pt}pt;" if element not in ("table", "note", "caption") else ""
        indent = f"text-indent: {spec.indent_chars}em;" if spec.indent_chars else ""
        gap = (
            f"word-spacing: -{space_advance_em(_first_installed(spec)):.4f}em;"
            if spec.align is Align.JUSTIFY
            else ""
        )
        spacing = (
            f"letter-spacing: {style.char_spacing_pt}pt;"
            if style.char_spacing_pt and style.spaced(element)
            else ""
        )
        rules.append(
            f".{element} {{ font-family: {_family(spec)}; font-size: {spec.size_pt}pt; "
            f"font-weight: {'bold' if spec.bold else 'normal'}; text-align: {spec.align}; {indent} {line} {gap} "
            f"{spacing} }}"
        )
    return "\n".join(rules)


def _text(text: str, justify: bool) -> str:
    """Escaped text; in justified paragraphs, a stretchable zero-width gap between CJK characters."""
    if justify:
        text = _BETWEEN.sub(" ", text)
    return html.escape(text, quote=False)


def to_html(document: Document, style: HouseStyle, blocks: tuple[Block, ...] | None = None) -> str:
    """The HTML the PDF is rendered from (exposed for tests): the document's blocks, or `blocks` as `paginate`
    rearranged them; each block's element (and a table's body rows) carries its place in `data-block`."""
    date = document.date.isoformat()
    css = "\n".join(
        f.read_text(encoding="utf-8") for f in (style.css.with_name("base.css"), style.css) if f.exists()
    )
    out = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html.escape(document.title)}</title>",
        f'<meta name="dcterms.created" content="{date}"><meta name="dcterms.modified" content="{date}">',
        '<meta name="generator" content="report_builder">',
        f"<style>{_page_css(document, style)}\n{_element_css(style)}\n{css}</style></head><body>",
    ]
    for i, block in enumerate(document.blocks if blocks is None else blocks):
        out.append(_block_html(block, style, i))
    out.append("</body></html>")
    return "\n".join(out)


def _paragraph_html(block: Paragraph, style: HouseStyle, i: int) -> str:
    element = {ParagraphKind.ADDRESSEE: "addressee", ParagraphKind.NOTE: "note"}.get(block.kind, "body")
    justify = style.font(element).align is Align.JUSTIFY
    parts = []
    for run in block.runs:
        text = _text(run.text, justify)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.highlight:
            text = f'<span class="highlight">{text}</span>'
        parts.append(text)
    return f'<p class="{element} {block.kind}" data-block="{i}">{"".join(parts)}</p>'


def _table_html(block: Table, rules: str, i: int) -> str:
    rows = []
    for r, row in enumerate((*block.header, *block.rows)):
        tag = "th" if r < len(block.header) else "td"
        body_row = f' data-block="{i}" data-row="{r - len(block.header)}"' if tag == "td" else ""
        cells = "".join(
            f'<{tag} class="{c.align}{" highlight" if c.highlight else ""}{" nowrap" if keeps_together(c.text) else ""}"'
            f"{f' colspan={c.colspan}' if c.colspan > 1 else ''}{f' rowspan={c.rowspan}' if c.rowspan > 1 else ''}>"
            f"{html.escape(c.text)}</{tag}>"
            for c in row
        )
        rows.append(f"<tr{body_row}>{cells}</tr>")
    head, body = rows[: len(block.header)], rows[len(block.header) :]
    notes = "".join(f'<p class="note">{html.escape(n)}</p>' for n in block.notes)
    source = f'<p class="note">资料来源：{html.escape(block.source)}</p>' if block.source else ""
    unit = f'<p class="note unit">{html.escape(block.unit)}</p>' if block.unit else ""
    return (
        f'<div class="table-block{" continued" if block.continued else ""}" data-block="{i}"><p class="caption">'
        f"{html.escape(block.caption)}</p>{unit}"
        f'<table class="table {rules}"><thead>{"".join(head)}</thead><tbody>{"".join(body)}</tbody></table>'
        f"{notes}{source}</div>"
    )


def _block_html(block: object, style: HouseStyle, i: int) -> str:
    if isinstance(block, Title):
        lines = "<br>".join(html.escape(line) for line in block.lines)
        return f'<h1 class="title" data-block="{i}">{lines}</h1><p class="body" data-block="{i}">&#160;</p>'
    if isinstance(block, Heading):  # one line: no justification gaps
        return (f'<h{block.level + 1} class="h{block.level}" data-block="{i}">'
                f"{html.escape(block.number + block.text)}</h{block.level + 1}>")  # fmt: skip
    if isinstance(block, Paragraph):
        return _paragraph_html(block, style, i)
    if isinstance(block, Table):
        return _table_html(block, style.table_rules, i)
    if isinstance(block, Figure):
        fit = f' style="width: {block.fit_width_px}px"' if block.fit_width_px else ""
        return (f'<figure data-block="{i}"><img src="{block.svg.resolve().as_uri()}" alt=""{fit}>'
                f'<figcaption class="caption">{html.escape(block.caption)}</figcaption></figure>')  # fmt: skip
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>'
    if isinstance(block, Signature):
        org_right, date_right = signature_right_indents(block.org, block.date, block.sealed)
        return (f'<div class="signature-block" data-block="{i}"><p class="body">&#160;</p>'
                f'<p class="body signature" style="margin-right: {org_right}em">{html.escape(block.org)}</p>'
                f'<p class="body signature" style="margin-right: {date_right}em">{html.escape(block.date)}</p>'
                "</div>")  # fmt: skip
    if isinstance(block, Masthead):
        return _masthead_html(block, style, i)
    if isinstance(block, Colophon):
        return _colophon_html(block, style)
    raise TypeError(block)


def _masthead_html(block: Masthead, style: HouseStyle, i: int) -> str:
    """GB/T 9704 7.2: the issuer's mark in red 35 mm below the top of the text block, the 发文字号 two lines
    below it with the red rule 4 mm under it, the title two lines below the rule (as the DOCX)."""
    look = style.red_head
    blank = f'<p class="body" data-block="{i}">&#160;</p>' * 2
    return (
        f'<p class="issuer" data-block="{i}" style="color: #{look.red}; padding-top: {look.issuer_gap_mm}mm">'
        f"{html.escape(block.issuer)}</p>{blank}"
        f'<p class="addressee doc-number" data-block="{i}" style="border-bottom: {look.red_rule_mm}mm solid #{look.red}; '
        f'padding-bottom: {look.rule_gap_mm}mm">{html.escape(block.number)}</p>{blank}'
    )


def _colophon_html(block: Colophon, style: HouseStyle) -> str:
    """GB/T 9704 7.4: 4号 仿宋 lines one character in from each side between the 版记's rules (thick first and
    last, thin between), its last rule on the bottom edge of the last page's text block (as the DOCX)."""
    look = style.red_head
    thick, thin = f"{look.thick_rule_mm}mm solid black", f"{look.thin_rule_mm}mm solid black"
    cc = (
        f'<tr><td colspan="2" class="cc" style="border-bottom: {thin}">{html.escape(block.cc)}</td></tr>'
        if block.cc
        else ""
    )
    return (
        f'<table class="colophon" style="border-top: {thick}; border-bottom: {thick}; '
        f'line-height: {COLOPHON_LINE_EM}">{cc}'
        f'<tr><td class="left">{html.escape(block.printer)}</td>'
        f'<td class="right">{html.escape(block.printed)}</td></tr></table>'
    )
