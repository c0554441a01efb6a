"""Raw OOXML for what python-docx has no API for: our own base package, East Asian fonts, character-based
indents, the line grid, page-number fields, table geometry and rules. One small function per element touched.

Every property element is put at its place in the schema's child order (`insert`, with the order tables of
schema_order.toml), never appended: Word answers a part out of order with "unreadable content".

Why our own base package: python-docx's default template sends East Asian text to theme fonts (MS Mincho),
so Word and WPS would show another font than the one we set. Ours has no theme at all.
"""

from __future__ import annotations

import io
import tomllib
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

from report_builder.render.document import Align
from report_builder.render.style import FontSpec, HouseStyle, TableRules

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MM_TWIPS = 1440 / 25.4
STYLE_IDS = {
    "body": "RBBody", "title": "RBTitle", "h1": "RBHeading1", "h2": "RBHeading2", "h3": "RBHeading3",
    "h4": "RBHeading4", "addressee": "RBAddressee", "caption": "RBCaption", "table": "RBTable", "note": "RBNote",
    "page_number": "RBPageNumber", "running_head": "RBRunningHead",
}  # fmt: skip
ORDER: dict[str, list[str]] = tomllib.loads(
    (Path(__file__).with_name("schema_order.toml")).read_text("utf-8")
)["order"]
FONTS: dict[str, dict[str, str]] = tomllib.loads(Path(__file__).with_name("fonts.toml").read_text("utf-8"))[
    "fonts"
]
CELL_MARGIN_TWIPS = 60  # left and right, in every table: 3 pt, the PDF's cell padding
# Word's default compatibility mode for a document of Word 2013 and later; without it Word opens the file in
# compatibility mode and lays East Asian text out with older rules.
_COMPAT = (
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat>'
)
# Paragraph defaults for every program: widow control on (Word's own default is off, LibreOffice's on; the PDF
# keeps two lines too), no extra gap between CJK and Latin or digits (autoSpaceDE/DN, which LibreOffice and
# WPS draw as a visible space), no punctuation hanging past the margin (overflowPunct).
# They are in every style too: LibreOffice does not take them from the defaults.
_PPR_COMMON = {
    "widowControl": "<w:widowControl/>",
    "overflowPunct": '<w:overflowPunct w:val="0"/>',
    "autoSpaceDE": '<w:autoSpaceDE w:val="0"/>',
    "autoSpaceDN": '<w:autoSpaceDN w:val="0"/>',
}
_PPR_DEFAULT = {**_PPR_COMMON, "spacing": '<w:spacing w:after="0"/>'}
# Set off the line grid: a table row of 12 pt or a caption snapped to the 28.95 pt grid is 28.95 pt high.
_OFF_GRID = ("title", "table", "caption", "note", "page_number", "running_head")
_JC = {Align.JUSTIFY: "both", Align.CENTER: "center", Align.LEFT: "left", Align.RIGHT: "right"}

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""
_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>
</Relationships>"""
_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>report_builder</dc:creator></cp:coreProperties>"""


def twips(mm: float) -> int:
    return round(mm * MM_TWIPS)


def rfonts_xml(font: str) -> str:
    f = quoteattr(font)
    return f"<w:rFonts w:ascii={f} w:hAnsi={f} w:eastAsia={f} w:cs={f}/>"


def in_order(kind: str, children: dict[str, str]) -> str:
    """Child elements given as {local name: xml}, joined in the schema's order for a `kind` element."""
    return "".join(children[tag] for tag in ORDER[kind] if tag in children)


def _style_xml(element: str, spec: FontSpec, style: HouseStyle) -> str:
    half_points = round(spec.size_pt * 2)
    ppr = {**_PPR_COMMON, "jc": f'<w:jc w:val="{_JC[spec.align]}"/>'}
    if spec.indent_chars:
        first = round(spec.indent_chars * spec.size_pt * 20)
        ppr["ind"] = f'<w:ind w:firstLineChars="{spec.indent_chars * 100}" w:firstLine="{first}"/>'
    if element not in ("table", "note", "caption", "page_number", "running_head"):
        ppr["spacing"] = (
            f'<w:spacing w:before="0" w:after="0" w:line="{round(style.line_pitch_pt * 20)}" w:lineRule="exact"/>'
        )
    elif element == "page_number":  # one line of exactly the font's size: the dash's place is known
        ppr["spacing"] = (
            f'<w:spacing w:before="0" w:after="0" w:line="{half_points * 10}" w:lineRule="exact"/>'
        )
    else:
        ppr["spacing"] = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    if element in _OFF_GRID:
        ppr["snapToGrid"] = '<w:snapToGrid w:val="0"/>'
    if element in ("h1", "h2", "h3", "h4", "title", "caption"):
        ppr["keepNext"] = "<w:keepNext/>"
    if element.startswith("h"):
        ppr["outlineLvl"] = f'<w:outlineLvl w:val="{int(element[1]) - 1}"/>'
    rpr = {
        "rFonts": rfonts_xml(spec.official),
        "b": "<w:b/>" if spec.bold else '<w:b w:val="0"/>',
        "bCs": "<w:bCs/>" if spec.bold else '<w:bCs w:val="0"/>',
        "sz": f'<w:sz w:val="{half_points}"/>',
        "szCs": f'<w:szCs w:val="{half_points}"/>',
    }
    if style.char_spacing_pt and style.spaced(element):
        rpr["spacing"] = f'<w:spacing w:val="{round(style.char_spacing_pt * 20)}"/>'
    name = quoteattr(f"RB {element}")
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{STYLE_IDS[element]}"><w:name w:val={name}/>'
        f"<w:qFormat/><w:pPr>{in_order('pPr', ppr)}</w:pPr><w:rPr>{in_order('rPr', rpr)}</w:rPr></w:style>"
    )


def styles_xml(style: HouseStyle) -> str:
    body = style.font("body")
    elements = [e for e in STYLE_IDS if e in style.fonts or e in ("addressee", "caption", "table", "note")]
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W_NS}">'
        f"<w:docDefaults><w:rPrDefault><w:rPr>{rfonts_xml(body.official)}"
        f'<w:sz w:val="{round(body.size_pt * 2)}"/><w:szCs w:val="{round(body.size_pt * 2)}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
        f"<w:pPrDefault><w:pPr>{in_order('pPr', _PPR_DEFAULT)}</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        f"<w:tblPr>{_TABLE_INDENT}{_CELL_MARGINS}</w:tblPr></w:style>"
        + "".join(_style_xml(e, style.font(e), style) for e in elements)
        + "</w:styles>"
    )


_TABLE_INDENT = '<w:tblInd w:w="0" w:type="dxa"/>'
_CELL_MARGINS = (
    f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>'
    f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar>'
)


def font_table_xml(style: HouseStyle) -> str:
    """word/fontTable.xml: every official font the style names, with its substitute (altName), PANOSE class
    and the GB2312 character set, so Word and WPS fall back to 仿宋 for 仿宋_GB2312, not to any font."""
    names = sorted({spec.official for spec in style.fonts.values()} & FONTS.keys())
    entries = "".join(
        f"<w:font w:name={quoteattr(name)}><w:altName w:val={quoteattr(FONTS[name]['alt'])}/>"
        f'<w:panose1 w:val="{FONTS[name]["panose1"]}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{FONTS[name]["family"]}"/><w:pitch w:val="{FONTS[name]["pitch"]}"/></w:font>'
        for name in names
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="{W_NS}">{entries}</w:fonts>'


def base_package(style: HouseStyle) -> bytes:
    """A minimal .docx of our own: no theme, every style with its East Asian font set."""
    grid = round(style.line_pitch_pt * 20)
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body><w:sectPr>'
        f'<w:pgSz w:w="{twips(style.page_width_mm)}" w:h="{twips(style.page_height_mm)}"/>'
        f'<w:pgMar w:top="{twips(style.top_mm)}" w:right="{twips(style.right_mm)}" w:bottom="{twips(style.bottom_mm)}" '
        f'w:left="{twips(style.left_mm)}" w:header="{twips(style.top_mm / 2)}" w:footer="{twips(_footer_mm(style))}" w:gutter="0"/>'
        f'<w:docGrid w:type="lines" w:linePitch="{grid}"/></w:sectPr></w:body></w:document>'
    )
    settings = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="{W_NS}">'
        '<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>'
        f"{_COMPAT}</w:settings>"
    )
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS, "word/_rels/document.xml.rels": _DOC_RELS,
        "word/document.xml": document, "word/styles.xml": styles_xml(style), "word/settings.xml": settings,
        "word/fontTable.xml": font_table_xml(style), "docProps/core.xml": _CORE,
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buffer.getvalue()


def _footer_mm(style: HouseStyle) -> float:
    """w:footer is measured to the footer's bottom; the page number is one line exactly its font size high, so
    its centre (the dash of "— 1 —") lies `gap_mm` below the text block (GB/T 9704 7.5: 7 mm)."""
    half_line_mm = style.font("page_number").size_pt * 25.4 / 72 / 2
    return style.bottom_mm - style.page_number_gap_mm - half_line_mm


def _local(element) -> str:
    return element.tag.rpartition("}")[2]


def insert(parent, child):
    """Put `child` at its place in `parent` by the schema's child order, replacing one of the same name
    (header and footer references excepted: a section has several). Returns `child`."""
    order = ORDER[_local(parent)]
    name = _local(child)
    if name not in ("headerReference", "footerReference"):
        for old in parent.findall(child.tag):
            parent.remove(old)
    rank = order.index(name)
    after = next(
        (i for i, el in enumerate(parent) if _local(el) in order and order.index(_local(el)) > rank), None
    )
    if after is None:
        parent.append(child)
    else:
        parent.insert(after, child)
    return child


def element(tag: str, **attrs: str):
    """A w: element with w: attributes: element("w:ind", right="320") is <w:ind w:right="320"/>."""
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def set_run_font(run_element, font: str) -> None:
    """Direct East Asian font on a run, with no theme attributes left to override it."""
    rpr = run_element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = insert(rpr, OxmlElement("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    strip_theme_fonts(fonts)


def strip_theme_fonts(fonts) -> None:
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def fix_style_fonts(styles_element) -> None:
    """Every style of a user's reference .docx gets an East Asian font and loses its theme font attributes."""
    for fonts in styles_element.iter(qn("w:rFonts")):
        strip_theme_fonts(fonts)
        latin = fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi"))
        if fonts.get(qn("w:eastAsia")) is None and latin:
            fonts.set(qn("w:eastAsia"), latin)


def set_right_indent_chars(paragraph_element, right_chars: float, size_pt: float) -> None:
    """A right-aligned line `right_chars` characters in from the right edge (no first-line indent)."""
    ppr = paragraph_element.get_or_add_pPr()
    insert(ppr, element("w:ind", rightChars=str(round(right_chars * 100)), right=str(round(right_chars * size_pt * 20)),
                        firstLineChars="0", firstLine="0"))  # fmt: skip
    insert(ppr, element("w:jc", val="right"))


def add_field(paragraph, instruction: str) -> None:
    """A field (PAGE) as begin / instruction / separate / placeholder / end runs."""
    for kind, text in (
        ("begin", None),
        (None, f" {instruction} "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind:
            run._r.append(element("w:fldChar", fldCharType=kind))
        elif text.strip() == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def keep_row_whole(row, header: bool) -> None:
    """A row never broken across pages (as tr's break-inside: avoid in the PDF); a header row repeated on
    each page the table runs on to."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(element("w:cantSplit"))
    if header:
        trpr.append(element("w:tblHeader", val="true"))


def set_table_geometry(table, widths_twips: list[int]) -> None:
    """Fixed layout at the given column widths: tblW, tblInd and tblCellMar of the table's own, gridCol per
    column and tcW = the spanned gridCols for every cell, vertically merged continuation cells included —
    Word and WPS lay a table out from tcW, LibreOffice from gridCol, so the two must agree."""
    tbl = table._tbl
    tblpr = tbl.tblPr
    insert(tblpr, element("w:tblW", w=str(sum(widths_twips)), type="dxa"))
    insert(tblpr, _parse(_TABLE_INDENT))
    insert(tblpr, element("w:tblLayout", type="fixed"))
    insert(tblpr, _parse(_CELL_MARGINS))
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_twips, strict=True):
        col.set(qn("w:w"), str(width))
    for tr in tbl.tr_lst:
        at = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tcpr = tc.get_or_add_tcPr()
            insert(tcpr, element("w:tcW", w=str(sum(widths_twips[at : at + span])), type="dxa"))
            at += span


def _parse(xml: str):
    """One w: element from its XML text."""
    return parse_xml(f'<w:x xmlns:w="{W_NS}">{xml}</w:x>')[0]


def _border(tag: str, size: int, color: str = "000000", space: int = 0):
    if size:
        return element(f"w:{tag}", val="single", sz=str(size), space=str(space), color=color)
    return element(f"w:{tag}", val="nil")


def rule_size(mm: float) -> int:
    """A rule's thickness in eighths of a point (w:sz of a border), within Word's 2–96."""
    return min(96, max(2, round(mm * 72 / 25.4 * 8)))


def set_table_rules(table, rules: TableRules, header_rows: int) -> None:
    """grid: every line; three_line: thick top and bottom, thin under the header, no verticals. The thin rule is
    drawn under every cell that reaches the header's last row, a cell merged down from above included."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    if rules is TableRules.THREE_LINE:
        sizes = {"top": 12, "left": 0, "bottom": 12, "right": 0, "insideH": 0, "insideV": 0}
    else:
        sizes = dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), 4)
    for tag, size in sizes.items():
        borders.append(_border(tag, size))
    insert(tblpr, borders)
    if rules is TableRules.THREE_LINE and header_rows:
        for r, tr in enumerate(table._tbl.tr_lst[:header_rows]):
            for tc in tr.tc_lst:
                if r == header_rows - 1 or tc.bottom > header_rows - 1:
                    tc_borders = OxmlElement("w:tcBorders")
                    tc_borders.append(_border("bottom", 6))
                    insert(tc.get_or_add_tcPr(), tc_borders)


def set_bottom_border(paragraph, size: int = 6, color: str = "000000", space_pt: int = 0) -> None:
    """A rule under the paragraph, `space_pt` below its text (the running head; the red rule of a 红头)."""
    pbdr = OxmlElement("w:pBdr")
    pbdr.append(_border("bottom", size, color, space_pt))
    insert(paragraph._p.get_or_add_pPr(), pbdr)


def set_exact_line(paragraph_element, line_pt: float, before_mm: float = 0) -> None:
    """One line of exactly `line_pt`, `before_mm` below what precedes it, off the line grid (the issuer's mark)."""
    ppr = paragraph_element.get_or_add_pPr()
    insert(ppr, element("w:snapToGrid", val="0"))
    insert(ppr, element("w:spacing", before=str(twips(before_mm)), after="0", line=str(round(line_pt * 20)),
                        lineRule="exact"))  # fmt: skip


def set_indent_chars(paragraph_element, left: float, right: float, hanging: float, size_pt: float) -> None:
    """Left and right indents and a hanging indent, in characters of `size_pt` (版记: 左右各空一字, a wrapped
    抄送 line under the first name after the colon)."""
    chars = {"leftChars": left, "rightChars": right, "hangingChars": hanging}
    attrs = {k: str(round(v * 100)) for k, v in chars.items()}
    attrs |= {k.removesuffix("Chars"): str(round(v * size_pt * 20)) for k, v in chars.items()}
    insert(paragraph_element.get_or_add_pPr(), element("w:ind", **attrs))


def set_colophon_rules(table, thick: int, thin: int) -> None:
    """版记 (GB/T 9704 7.4.1): thick first and last rules, thin ones between its lines, no verticals."""
    borders = OxmlElement("w:tblBorders")
    for tag, size in (("top", thick), ("left", 0), ("bottom", thick), ("right", 0), ("insideH", thin),
                      ("insideV", 0)):  # fmt: skip
        borders.append(_border(tag, size))
    insert(table._tbl.tblPr, borders)


def float_to_page_bottom(table, row_heights: list[int], text_height: int) -> None:
    """The table, its rows exactly `row_heights` twips high, floats at the bottom of the text block of the
    page it is on (the 版记's last rule on the text block's bottom edge, GB/T 9704 7.4.1), text flowing
    above it — in Word and WPS; LibreOffice 7.4 sets a floating table as wide as the text block in the text,
    where it stands. Its place is the distance from the top margin, which every program reads."""
    for tr, height in zip(table._tbl.tr_lst, row_heights, strict=True):
        tr.get_or_add_trPr().append(element("w:trHeight", val=str(height), hRule="exact"))
    insert(table._tbl.tblPr, element("w:tblpPr", leftFromText="0", rightFromText="0", topFromText="0",
                                     bottomFromText="0", vertAnchor="margin", horzAnchor="margin",
                                     tblpXSpec="center", tblpY=str(text_height - sum(row_heights))))  # fmt: skip


def set_page_start(section, first_page: int) -> None:
    insert(section._sectPr, element("w:pgNumType", start=str(first_page)))
