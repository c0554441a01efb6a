"""Write the document model as DOCX (python-docx), in the house style's layout.

Fonts and sizes live in the paragraph styles of our own base package (or of a user's reference .docx); runs
also carry the East Asian font directly unless a reference .docx is in charge of the look. Dates inside the
file and the zip entries come from the document, so the same inputs give the same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from report_builder.archives import check_archive
from report_builder.files import atomic_write
from report_builder.issues import BadInput, IssueCode, Location
from report_builder.render import ooxml
from report_builder.render.document import (
    Align,
    Cell,
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
from report_builder.render.packaging import stable_zip
from report_builder.render.style import (
    COLOPHON_LINE_EM,
    HouseStyle,
    PageNumberPosition,
    TableRules,
    colophon_lines,
    keeps_together,
    signature_right_indents,
    text_width_chars,
)

HIGHLIGHT = RGBColor(0xC0, 0x00, 0x00)
EDITABLE = RGBColor(0x1F, 0x4E, 0x79)  # text the author is to rewrite
_ALIGN = {Align.LEFT: WD_ALIGN_PARAGRAPH.LEFT, Align.CENTER: WD_ALIGN_PARAGRAPH.CENTER,
          Align.RIGHT: WD_ALIGN_PARAGRAPH.RIGHT, Align.JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY}  # fmt: skip
_PARAGRAPH_STYLE = {
    ParagraphKind.BODY: "body",
    ParagraphKind.ADDRESSEE: "addressee",
    ParagraphKind.NOTE: "note",
    ParagraphKind.ATTACHMENT: "body",
    ParagraphKind.EDITABLE: "body",
}


def write_docx(document: Document, style: HouseStyle, path: Path, reference: Path | None = None) -> Path:
    """Write atomically; `reference` is a user's .docx whose styles replace ours."""
    writer = _Writer(document, style, reference)
    writer.write()
    data = stable_zip(writer.save(), document.date)
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def _open_reference(path: Path) -> docx.document.Document:
    """A user's file that is not a Word document (a PDF, a .doc, a damaged zip) is named, not a traceback; one
    that would expand to gigabytes is refused before python-docx unpacks it."""
    where = Location("--reference-docx")
    try:
        check_archive(path, where)
        return docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError):
        why = (
            f"{path.name} 不是可读的 Word 文档（.docx），无法采用其样式；请在 Word/WPS 中另存为 .docx 后重试"
        )
        raise BadInput.of(IssueCode.BAD_OPTION, where, why=why) from None


class _Writer:
    def __init__(self, document: Document, style: HouseStyle, reference: Path | None) -> None:
        self.document, self.style, self.own_fonts = document, style, reference is None
        self.doc = (
            _open_reference(reference) if reference else docx.Document(io.BytesIO(ooxml.base_package(style)))
        )
        if reference:
            self._adopt_reference()

    def _adopt_reference(self) -> None:
        """Keep the user's styles and page set-up, drop their content, add any style of ours they lack."""
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        styles = self.doc.styles.element
        ooxml.fix_style_fonts(styles)
        ours = parse_xml(ooxml.styles_xml(self.style).encode())
        present = {s.get(qn("w:styleId")) for s in styles.iter(qn("w:style"))}
        for element in ours.iter(qn("w:style")):
            if element.get(qn("w:styleId")) not in present:
                styles.append(copy.deepcopy(element))

    def style_name(self, element: str) -> str:
        return f"RB {element}"

    def paragraph(self, element: str, text: str = "", align: Align | None = None):
        p = self.doc.add_paragraph(style=self.style_name(element))
        if text:
            self.run(p, element, text)
        if align:
            p.alignment = _ALIGN[align]
        return p

    def run(self, paragraph, element: str, text: str, bold: bool = False, highlight: bool = False):
        run = paragraph.add_run(text)
        if self.own_fonts:
            ooxml.set_run_font(run._r, self.style.font(element).official)
        if bold:
            run.bold = True
        if highlight:
            run.font.color.rgb = HIGHLIGHT
        return run

    def write(self) -> None:
        for block in self.document.blocks:
            if isinstance(block, Title):
                title = self.paragraph("title")
                for i, line in enumerate(block.lines):
                    run = self.run(title, "title", line)
                    if i < len(block.lines) - 1:
                        run.add_break()
                self.paragraph("body")  # GB/T 9704: the body starts one line below the title
            elif isinstance(block, Heading):
                self.paragraph(f"h{block.level}", block.number + block.text)
            elif isinstance(block, Paragraph):
                self._paragraph(block)
            elif isinstance(block, Table):
                self._table(block)
            elif isinstance(block, Figure):
                self._figure(block)
            elif isinstance(block, PageBreak):
                self.doc.add_page_break()
            elif isinstance(block, Signature):
                self._signature(block)
            elif isinstance(block, Masthead):
                self._masthead(block)
            elif isinstance(block, Colophon):
                self._colophon(block)
        self._page_setup()

    def _paragraph(self, block: Paragraph) -> None:
        element = _PARAGRAPH_STYLE[block.kind]
        p = self.paragraph(element)
        for r in block.runs:
            run = self.run(p, element, r.text, r.bold, r.highlight)
            if block.kind is ParagraphKind.EDITABLE and not r.highlight:
                run.font.color.rgb = EDITABLE

    def _signature(self, block: Signature) -> None:
        """The 署名 and 成文日期 never alone on a page (as base.css keeps them in the PDF): the text's last
        paragraph, the blank line and the 署名 each keep with the next."""
        before = self.doc.element.body[-2] if len(self.doc.element.body) > 1 else None
        if before is not None and before.tag == qn("w:p"):
            DocxParagraph(before, self.doc).paragraph_format.keep_with_next = True
        self.paragraph("body").paragraph_format.keep_with_next = True
        size = self.style.font("body").size_pt
        org_right, date_right = signature_right_indents(block.org, block.date, block.sealed)
        org = self.paragraph("body", block.org)
        org.paragraph_format.keep_with_next = True
        ooxml.set_right_indent_chars(org._p, org_right, size)
        ooxml.set_right_indent_chars(self.paragraph("body", block.date)._p, date_right, size)

    def _masthead(self, block: Masthead) -> None:
        """GB/T 9704 7.2: the issuer's mark in red 35 mm below the top of the text block, the 发文字号 two lines
        below it with the red rule 4 mm under it, the title two lines below the rule."""
        look, spec = self.style.red_head, self.style.font("issuer")
        issuer = self.paragraph("title", align=Align.CENTER)
        ooxml.set_exact_line(issuer._p, spec.size_pt, look.issuer_gap_mm)
        run = self.run(issuer, "issuer", block.issuer)
        run.font.size, run.font.color.rgb = Pt(spec.size_pt), RGBColor.from_string(look.red)
        self._blank_lines(2)
        number = self.paragraph("addressee", block.number, align=Align.CENTER)
        gap = round(look.rule_gap_mm * 72 / 25.4)
        ooxml.set_bottom_border(number, ooxml.rule_size(look.red_rule_mm), look.red, gap)
        self._blank_lines(2)

    def _blank_lines(self, n: int) -> None:
        for _ in range(n):
            self.paragraph("body")

    def _colophon(self, block: Colophon) -> None:
        """GB/T 9704 7.4: 4号 仿宋 lines one character in from each side between the 版记's rules (thick first
        and last, thin between), floated to the bottom of the last page's text block. Rows are exactly 1.5 of
        the font high, so the table's top is known. The empty paragraph after it anchors it: LibreOffice drops
        a table that floats at the very end of a document."""
        look, size = self.style.red_head, self.style.font("colophon").size_pt
        table = self.doc.add_table(rows=2 if block.cc else 1, cols=2)
        if block.cc:
            cc = table.rows[0].cells[0].merge(table.rows[0].cells[1]).paragraphs[0]
            self._colophon_line(cc, block.cc, Align.LEFT)
            ooxml.set_indent_chars(cc._p, 1 + 3, 1, 3, size)  # a wrapped line under the name after "抄送："
        for cell, text, side in zip(table.rows[-1].cells, (block.printer, block.printed), (Align.LEFT, Align.RIGHT),
                                    strict=True):  # fmt: skip
            self._colophon_line(cell.paragraphs[0], text, side)
            ooxml.set_indent_chars(cell.paragraphs[0]._p, 1, 1, 0, size)
        total = ooxml.twips(self.style.text_width_mm)
        ooxml.set_table_geometry(table, [total // 2, total - total // 2])
        ooxml.set_colophon_rules(
            table, ooxml.rule_size(look.thick_rule_mm), ooxml.rule_size(look.thin_rule_mm)
        )
        heights = [round(n * COLOPHON_LINE_EM * size * 20) for n in colophon_lines(block, self.style)]
        text_height = ooxml.twips(self.style.page_height_mm - self.style.top_mm - self.style.bottom_mm)
        ooxml.float_to_page_bottom(table, heights, text_height)
        self.paragraph("note")

    def _colophon_line(self, p, text: str, side: Align) -> None:
        p.style = self.doc.styles[self.style_name("table")]
        p.alignment = _ALIGN[side]
        self.run(p, "colophon", text).font.size = Pt(self.style.font("colophon").size_pt)

    def _figure(self, block: Figure) -> None:
        p = self.paragraph("table", align=Align.CENTER)
        width = min(150.0, self.style.text_width_mm)
        if block.fit_width_px:  # drawn smaller to fit a page in the PDF (pdf_writer.paginate): so here
            width = block.fit_width_px * 25.4 / 96
        p.add_run().add_picture(str(block.png), width=Mm(width))
        p.paragraph_format.keep_with_next = True
        self.paragraph("caption", block.caption)

    def _table(self, block: Table) -> None:
        self.paragraph("caption", block.caption)
        if block.unit:
            self.paragraph("note", block.unit, align=Align.RIGHT).paragraph_format.keep_with_next = True
        grid = _layout(block.header + block.rows)
        n_cols = max((c + cell.colspan for row in grid for c, cell in row), default=1)
        table = self.doc.add_table(rows=len(grid), cols=n_cols)
        # The grid's cells, held once: table.cell(r, c) re-reads the whole table on every call. A merged cell
        # stands at every position it covers, as table.cell and table.columns[c].cells would give it.
        at = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        for r, row in enumerate(grid):
            for c, cell in row:
                target = at[r][c]
                if cell.colspan > 1 or cell.rowspan > 1:
                    target = target.merge(at[r + cell.rowspan - 1][c + cell.colspan - 1])
                    for dr in range(cell.rowspan):
                        at[r + dr][c : c + cell.colspan] = [target] * cell.colspan
                p = target.paragraphs[0]
                p.style = self.doc.styles[self.style_name("table")]
                p.alignment = _ALIGN[cell.align]
                self.run(p, "table", cell.text, bold=cell.header and self.style.table_rules is TableRules.GRID,
                         highlight=cell.highlight)  # fmt: skip
        widths = column_widths(
            grid, n_cols, ooxml.twips(self.style.text_width_mm), self.style.font("table").size_pt
        )
        ooxml.set_table_geometry(table, widths)
        for r, row in enumerate(table.rows):
            ooxml.keep_row_whole(row, header=r < len(block.header))
        ooxml.set_table_rules(table, self.style.table_rules, len(block.header))
        if block.notes or block.source:  # Word keeps the last row with the note, as base.css does in the PDF
            for cell in dict.fromkeys(at[-1]):
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        for note in block.notes:
            self.paragraph("note", note)
        if block.source:
            self.paragraph("note", f"资料来源：{block.source}")
        self.paragraph("note")

    def _page_setup(self) -> None:
        section = self.doc.sections[0]
        if self.document.first_page != 1:
            ooxml.set_page_start(section, self.document.first_page)
        number = self.style.page_number_text
        before, _, after = number.partition("{n}")
        size = self.style.font("page_number").size_pt
        if self.style.page_number_position is PageNumberPosition.OUTSIDE:
            self.doc.settings.odd_and_even_pages_header_footer = True
            footers = ((section.footer, Align.RIGHT), (section.even_page_footer, Align.LEFT))
        else:
            footers = ((section.footer, Align.CENTER),)
        for footer, side in footers:
            p = footer.paragraphs[0]
            p.style = self.doc.styles[self.style_name("page_number")]
            p.alignment = _ALIGN[side]
            if side is not Align.CENTER:  # one character in from the edge of the text block
                indent = Pt(size)
                if side is Align.RIGHT:
                    p.paragraph_format.right_indent = indent
                else:
                    p.paragraph_format.left_indent = indent
            self.run(p, "page_number", before)
            ooxml.add_field(p, "PAGE")
            self.run(p, "page_number", after)
            for r in p.runs:
                if self.own_fonts:
                    ooxml.set_run_font(r._r, self.style.font("page_number").official)
        if self.style.running_head and self.document.running_head:
            head = section.header.paragraphs[0]
            head.style = self.doc.styles[self.style_name("running_head")]
            self.run(head, "running_head", self.document.running_head)
            ooxml.set_bottom_border(head)

    def save(self) -> bytes:
        when = dt.datetime.combine(self.document.date, dt.time())
        props = self.doc.core_properties
        props.author = props.last_modified_by = "report_builder"
        props.title = self.document.title
        props.created = props.modified = props.last_printed = when
        props.revision = 1
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _layout(rows: tuple[tuple[Cell, ...], ...]) -> list[list[tuple[int, Cell]]]:
    """Place cells on the grid, skipping positions covered by row spans from above."""
    taken: set[tuple[int, int]] = set()
    placed: list[list[tuple[int, Cell]]] = []
    for r, row in enumerate(rows):
        c, out = 0, []
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
        placed.append(out)
    return placed


# What never breaks inside a table cell: a run of ASCII (a number, 45.1%, ≥45) with the one character after it
# (张, 年, %), or a single character of CJK text, which may break anywhere else.
_TOKEN = re.compile(r"[!-~≥≤‰·]+.?|.")
# Digits and Latin letters are measured at 0.65 em, wider than those of the official fonts (≈ 0.5 em): where
# they are missing, LibreOffice draws them in DejaVu Sans (0.64 em), and a column that fits there fits anywhere.
_NARROW_EM = 0.65
_CELL_SLACK_EM = 0.3  # borders and rounding between programs


def column_widths(grid: list[list[tuple[int, Cell]]], n_cols: int, total: int, font_pt: float) -> list[int]:
    """Column widths in twips that add up to `total`, laid out as a browser lays out `table-layout: auto`.

    Each column has a minimum (its widest unbreakable piece: a whole cell of six characters or fewer such as
    ≥45张, 未达标, 2016年, or else its longest token) and a maximum (its widest cell on one line), both with the
    cell margins. When the maxima fit, the spare width is shared in proportion to them; otherwise every column
    gets its minimum and the width left goes to the columns that can use it (指标, 依据) in proportion to what
    they lack. A cell spanning columns widens them evenly when they are too narrow for it.
    """
    pad = 2 * ooxml.CELL_MARGIN_TWIPS + _CELL_SLACK_EM * font_pt * 20

    def measure(text: str) -> float:
        return text_width_chars(text, _NARROW_EM) * font_pt * 20 + pad

    def least(text: str) -> float:
        if keeps_together(text):
            return measure(text)
        return max((measure(token) for token in _TOKEN.findall(text)), default=pad)

    low, high = [pad] * n_cols, [pad] * n_cols
    cells = sorted((cell.colspan, c, cell.text) for row in grid for c, cell in row)  # narrow spans first
    for span, c, text in cells:
        for bound, need in ((low, least(text)), (high, measure(text))):
            short = need - sum(bound[c : c + span])
            if short > 0:
                for i in range(c, c + span):
                    bound[i] += short / span
    high = [max(h, lo) for h, lo in zip(high, low, strict=True)]
    if sum(high) <= total:
        raw = [h * total / sum(high) for h in high]
    elif sum(low) <= total:
        spare = (total - sum(low)) / (sum(high) - sum(low))
        raw = [lo + (h - lo) * spare for lo, h in zip(low, high, strict=True)]
    else:  # not even the minima fit: shrink them alike (the text block is the hard limit)
        raw = [lo * total / sum(low) for lo in low]
    return _whole(raw, total)


def _whole(raw: list[float], total: int) -> list[int]:
    """Round to whole twips, adding up to `total` exactly (largest remainders first, ties to the left)."""
    out = [int(w) for w in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in by_remainder[: total - sum(out)]:
        out[i] += 1
    return out
