"""Raw OOXML for what python-docx has no API for: our own base package, East Asian fonts, character-based
indents, the line grid, page-number fields and table rules. One small function per element touched.

Why our own base package: python-docx's default template sends East Asian text to theme fonts (MS Mincho),
so Word and WPS would show another font than the one we set. Ours has no theme at all.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import quoteattr

from docx.oxml import OxmlElement
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
_JC = {Align.JUSTIFY: "both", Align.CENTER: "center", Align.LEFT: "left", Align.RIGHT: "right"}

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
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
</Relationships>"""
_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>report_builder</dc:creator></cp:coreProperties>"""


def twips(mm: float) -> int:
    return round(mm * MM_TWIPS)


def rfonts_xml(font: str) -> str:
    f = quoteattr(font)
    return f"<w:rFonts w:ascii={f} w:hAnsi={f} w:eastAsia={f} w:cs={f}/>"


def _style_xml(element: str, spec: FontSpec, style: HouseStyle) -> str:
    half_points = round(spec.size_pt * 2)
    ppr = [f'<w:jc w:val="{_JC[spec.align]}"/>']
    if spec.indent_chars:
        first = round(spec.indent_chars * spec.size_pt * 20)
        ppr.insert(0, f'<w:ind w:firstLineChars="{spec.indent_chars * 100}" w:firstLine="{first}"/>')
    if element not in ("table", "note", "caption", "page_number", "running_head"):
        ppr.insert(
            0,
            f'<w:spacing w:before="0" w:after="0" w:line="{round(style.line_pitch_pt * 20)}" w:lineRule="exact"/>',
        )
    else:
        ppr.insert(0, '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
    if element in ("h1", "h2", "h3", "h4", "title", "caption"):
        ppr.insert(0, "<w:keepNext/>")
    if element.startswith("h"):
        ppr.append(f'<w:outlineLvl w:val="{int(element[1]) - 1}"/>')
    bold = "<w:b/><w:bCs/>" if spec.bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    name = quoteattr(f"RB {element}")
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{STYLE_IDS[element]}"><w:name w:val={name}/>'
        f"<w:qFormat/><w:pPr>{''.join(ppr)}</w:pPr>"
        f'<w:rPr>{rfonts_xml(spec.official)}{bold}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
        "</w:style>"
    )


def styles_xml(style: HouseStyle) -> str:
    body = style.font("body")
    elements = [e for e in STYLE_IDS if e in style.fonts or e in ("addressee", "caption", "table", "note")]
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W_NS}">'
        f"<w:docDefaults><w:rPrDefault><w:rPr>{rfonts_xml(body.official)}"
        f'<w:sz w:val="{round(body.size_pt * 2)}"/><w:szCs w:val="{round(body.size_pt * 2)}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:left w:w="60" w:type="dxa"/>'
        '<w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        + "".join(_style_xml(e, style.font(e), style) for e in elements)
        + "</w:styles>"
    )


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
        '<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/></w:settings>'
    )
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS, "word/_rels/document.xml.rels": _DOC_RELS,
        "word/document.xml": document, "word/styles.xml": styles_xml(style), "word/settings.xml": settings,
        "docProps/core.xml": _CORE,
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buffer.getvalue()


def _footer_mm(style: HouseStyle) -> float:
    """w:footer is measured to the footer's bottom: put the number's top `gap_mm` below the text block."""
    line_mm = style.font("page_number").size_pt * 25.4 / 72 * 1.3
    return style.bottom_mm - style.page_number_gap_mm - line_mm


def set_run_font(run_element, font: str) -> None:
    """Direct East Asian font on a run, with no theme attributes left to override it."""
    rpr = run_element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
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


def set_indent_chars(paragraph_element, left_chars: float, size_pt: float) -> None:
    ppr = paragraph_element.get_or_add_pPr()
    ind = OxmlElement("w:ind")
    ind.set(qn("w:leftChars"), str(round(left_chars * 100)))
    ind.set(qn("w:left"), str(round(left_chars * size_pt * 20)))
    ind.set(qn("w:firstLineChars"), "0")
    ind.set(qn("w:firstLine"), "0")
    ppr.append(ind)


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
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text.strip() == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def repeat_header_row(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    trpr.append(cant_split)


def _border(tag: str, size: int) -> OxmlElement:
    el = OxmlElement(f"w:{tag}")
    if size:
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
    else:
        el.set(qn("w:val"), "nil")
    return el


def set_table_rules(table, rules: TableRules, header_rows: int) -> None:
    """grid: every line; three_line: thick top and bottom, thin under the header, no verticals."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    if rules is TableRules.THREE_LINE:
        sizes = {"top": 12, "left": 0, "bottom": 12, "right": 0, "insideH": 0, "insideV": 0}
    else:
        sizes = dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), 4)
    for tag, size in sizes.items():
        borders.append(_border(tag, size))
    tblpr.append(borders)
    if rules is TableRules.THREE_LINE and header_rows:
        for cell in table.rows[header_rows - 1].cells:
            tcpr = cell._tc.get_or_add_tcPr()
            tc_borders = OxmlElement("w:tcBorders")
            tc_borders.append(_border("bottom", 6))
            tcpr.append(tc_borders)


def set_bottom_border(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    pbdr.append(_border("bottom", 6))
    ppr.append(pbdr)


def set_page_start(section, first_page: int) -> None:
    pg = OxmlElement("w:pgNumType")
    pg.set(qn("w:start"), str(first_page))
    section._sectPr.append(pg)
