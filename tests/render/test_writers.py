"""Both writers on one small document: read the DOCX back with python-docx and the PDF with pdftotext/pdffonts."""

from __future__ import annotations

import datetime as dt
import logging
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from report_builder.issues import BadInput
from report_builder.render.charts import trend
from report_builder.render.document import Document, Heading, Paragraph, Run, number_headings
from report_builder.render.docx_writer import write_docx
from report_builder.render.markup import MarkupError, parse
from report_builder.render.pdf_writer import check_fonts, embeds_cjk_font, to_html, write_pdf
from report_builder.render.style import load_style, signature_right_indents
from report_builder.report.environment import render

MARKUP = """<document>
<title>示例县民政局2020年三季度兜底保障工作报告</title>
<to>市民政局：</to>
<p>截至2020年9月底，全县农村低保保障对象23461户48824人，
   农村低保覆盖率为<em>4.51%</em>，较上年同期下降0.12个百分点。</p>
<h1>重点工作完成情况</h1>
<h2>农村低保</h2>
<p>一是保障水平稳步提高，农村低保标准提高到每人每年<b>5100元</b>（每人每月425元）。</p>
<h3>保障对象</h3>
<h4>动态管理</h4>
<p>二是临时救助及时，全年救助1.98万人次，支出1385.01万元。</p>
<h2>特困供养</h2>
<table number="1" title="主要指标完成情况" unit="单位：%">
  <tr><th rowspan="2">指标</th><th colspan="2">数值</th></tr>
  <tr><th>本期</th><th>目标</th></tr>
  <tr><td>护理型床位占比</td><td align="right" highlight="1">33.8</td><td align="right">35.0</td></tr>
  <tnote>注：按期末数计算。</tnote>
  <source>示例县民政局</source>
</table>
<figure chart="trend" caption="图1　农村低保人数"/>
<signature org="示例县民政局" date="2020年10月10日"/>
</document>"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("doc")
    chart = trend(
        folder / "trend", "农村低保人数", ["2020年一季度", "2020年二季度"], {"人数": [None, None]}, "人"
    )

    def make(style_key: str, name: str) -> tuple[Path, Path, Document]:
        style = load_style(style_key)
        blocks = number_headings(
            tuple(parse(MARKUP, lambda _: (chart.svg, chart.png))), style.heading_numbers
        )
        document = Document(blocks, dt.date(2020, 10, 10), title="示例", running_head="示例县年鉴（2021）·民政",
                            first_page=378 if style_key == "yearbook" else 1)  # fmt: skip
        return (
            write_docx(document, style, folder / f"{name}.docx"),
            write_pdf(document, style, folder / f"{name}.pdf"),
            document,
        )

    return {key: make(key, key) for key in ("gongwen", "yearbook")}


def east_asian(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_markup_numbers_headings_and_keeps_runs(built):
    *_, document = built["gongwen"]
    headings = [b.number + b.text for b in document.blocks if isinstance(b, Heading)]
    assert headings == [
        "一、重点工作完成情况",
        "（一）农村低保",
        "1.保障对象",
        "（1）动态管理",
        "（二）特困供养",
    ]
    first = next(b for b in document.blocks if isinstance(b, Paragraph) and b.kind == "body")
    assert first.text.startswith("截至2020年9月底，全县农村低保保障对象23461户48824人，农村低保覆盖率为4.51%")
    assert [r.highlight for r in first.runs] == [False, True, False]


@pytest.mark.parametrize(
    ("element", "font", "size"),
    [("title", "方正小标宋简体", 22), ("body", "仿宋_GB2312", 16), ("h1", "黑体", 16), ("h2", "楷体_GB2312", 16),
     ("h3", "仿宋_GB2312", 16), ("h4", "仿宋_GB2312", 16)],
)  # fmt: skip
def test_docx_gongwen_fonts_and_sizes(built, element, font, size):
    path, *_ = built["gongwen"]
    doc = docx.Document(str(path))
    style = doc.styles[f"RB {element}"]
    assert east_asian(style) == font
    assert style.font.size.pt == size
    paragraph = next(p for p in doc.paragraphs if p.style.name == f"RB {element}" and p.text)
    assert paragraph.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == font


def test_docx_has_no_theme_fonts_and_body_indent(built):
    path, *_ = built["gongwen"]
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
        assert not any(n.startswith("word/theme") for n in z.namelist())
    assert "Theme=" not in xml
    body = docx.Document(str(path)).styles["RB body"]
    ind = body.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert body.element.pPr.find(qn("w:spacing")).get(qn("w:line")) == "579"


@pytest.mark.parametrize(
    ("key", "size", "margins"),
    [("gongwen", (210, 297), (37, 35, 28, 26)), ("yearbook", (185, 260), (24, 20, 20, 18))],
)
def test_docx_page_size_and_margins(built, key, size, margins):
    path, *_ = built[key]
    section = docx.Document(str(path)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == size
    got = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert all(abs(g - Mm(m)) < Mm(0.1) for g, m in zip(got, margins, strict=True))


def test_docx_page_number_field_in_footer(built):
    path, *_ = built["gongwen"]
    doc = docx.Document(str(path))
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, side in ((doc.sections[0].footer, "right"), (doc.sections[0].even_page_footer, "left")):
        p = footer.paragraphs[0]
        assert " PAGE " in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert p.alignment.name.lower() == side


def test_docx_yearbook_running_head_and_first_page(built):
    path, *_ = built["yearbook"]
    doc = docx.Document(str(path))
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == "示例县年鉴（2021）·民政"
    assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "378"
    assert section.footer.paragraphs[0].text.startswith("·")


def test_docx_table_header_repeats_and_cells_merge(built):
    path, *_ = built["gongwen"]
    table = docx.Document(str(path)).tables[0]
    assert table.cell(0, 0).text == table.cell(1, 0).text == "指标"  # merged down
    assert table.cell(0, 1).text == table.cell(0, 2).text == "数值"  # merged across
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is not None for r in table.rows[:2])
    assert table.cell(2, 1).paragraphs[0].runs[0].font.color.rgb == docx.shared.RGBColor(0xC0, 0, 0)


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("key", ["gongwen", "yearbook"])
def test_pdf_says_what_the_docx_says(built, key):
    docx_path, pdf_path, document = built[key]
    in_pdf = squeeze(pdf_text(pdf_path))
    in_docx = iter(p.text for p in docx.Document(str(docx_path)).paragraphs if p.text)
    assert all(any(text == found for found in in_docx) for text in document.text_blocks())  # all, in order
    for text in document.text_blocks():
        assert squeeze(text) in in_pdf, text
    for number in ("23461", "48824", "4.51%", "5100", "1385.01", "33.8", "35.0"):
        assert number in in_pdf


def test_pdf_embeds_cjk_fonts(built):
    _, pdf_path, _ = built["gongwen"]
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    embedded = [line for line in fonts.splitlines()[2:] if " yes " in line]
    assert any("CJK" in line or "Kai" in line for line in embedded)
    assert embeds_cjk_font(pdf_path.read_bytes())
    assert not embeds_cjk_font(b"%PDF-1.7\n/FontName /ABCDEF+DejaVuSans\n")


def test_pdf_page_numbers(built):
    text = pdf_text(built["yearbook"][1])
    assert "·378·" in squeeze(text)
    assert "—1—" in squeeze(pdf_text(built["gongwen"][1]))


def test_two_builds_are_byte_identical(built, tmp_path):
    for key, (docx_path, pdf_path, document) in built.items():
        style = load_style(key)
        again_docx = write_docx(document, style, tmp_path / f"{key}.docx")
        again_pdf = write_pdf(document, style, tmp_path / f"{key}.pdf")
        assert again_docx.read_bytes() == docx_path.read_bytes()
        assert again_pdf.read_bytes() == pdf_path.read_bytes()


def test_weasyprint_uses_harfbuzz_subsetting(built, tmp_path, caplog):
    *_, document = built["gongwen"]
    with caplog.at_level(logging.WARNING):
        write_pdf(document, load_style("gongwen"), tmp_path / "x.pdf")
    assert not [r for r in caplog.records if "fontTools" in r.getMessage()]
    assert not caplog.records, [r.getMessage() for r in caplog.records]


WEASYPRINT_IMPORT = """
import ctypes.util, subprocess, sys
asked, started = [], []
find = ctypes.util.find_library
ctypes.util.find_library = lambda name: asked.append(name) or find(name)
popen = subprocess.Popen.__init__
subprocess.Popen.__init__ = lambda self, *a, **k: started.append(a) or popen(self, *a, **k)
from report_builder.render.pdf_writer import _weasyprint_html
_weasyprint_html()
import weasyprint.text.ffi as ffi
print(len(asked), len(started), ffi.harfbuzz_subset is not None, ctypes.util.find_library("c") is not None)
"""


def test_weasyprint_is_imported_without_library_lookups():
    """Each name cffi's dlopen refuses would cost a find_library (ldconfig, gcc, ld): none is looked up, no
    subprocess runs, HarfBuzz's subsetter is still found, and find_library works again afterwards."""
    out = subprocess.run(
        [sys.executable, "-c", WEASYPRINT_IMPORT], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["0", "0", "True", "True"]


def test_justified_text_gets_stretchable_gaps():
    document = Document((Paragraph((Run("共2020户，A-1。（一）“达标”；"),)),), dt.date(2020, 1, 1))
    html = to_html(document, load_style("gongwen"))
    assert "共 2020 户， A-1。 （一） “达 标”；" in html  # no gap before ，。）”； nor after （“
    assert "word-spacing: -0.2560em" in html  # the width of a space in Noto Serif CJK SC, cancelled


def test_missing_fonts_are_named(monkeypatch):
    from report_builder.render import pdf_writer

    monkeypatch.setattr(pdf_writer, "installed_families", lambda: frozenset({"DejaVu Sans"}))
    with pytest.raises(BadInput, match="fonts-noto-cjk"):
        check_fonts(load_style("gongwen"))


def test_markup_errors_name_the_line():
    with pytest.raises(MarkupError, match="第3行"):
        parse("<document>\n<p>一</p>\n<p>二</b>\n</document>", lambda _: (Path(), Path()))
    with pytest.raises(MarkupError, match="<table2>"):
        parse("<document><table2/></document>", lambda _: (Path(), Path()))


def test_template_errors_name_file_and_line(tmp_path):
    (tmp_path / "r.xml.j2").write_text(
        "<document>\n<p>{{ n | count }}</p>\n<p>{{ nn }}</p>\n</document>\n", encoding="utf-8"
    )
    assert "<p>5</p>" in render(tmp_path, "r.xml.j2", {"n": 5, "nn": "x"})
    with pytest.raises(BadInput, match=r"r\.xml\.j2:行3：模板有误：未定义的变量"):
        render(tmp_path, "r.xml.j2", {"n": 5})
    (tmp_path / "s.xml.j2").write_text("<p>{{ n.__class__.__mro__ }}</p>", encoding="utf-8")
    with pytest.raises(BadInput):  # the sandbox refuses attribute tricks
        render(tmp_path, "s.xml.j2", {"n": 5})


def test_values_are_escaped_for_the_markup(tmp_path):
    (tmp_path / "r.xml.j2").write_text("<document><p>{{ name }}</p></document>", encoding="utf-8")
    blocks = parse(render(tmp_path, "r.xml.j2", {"name": "A&B<镇>"}), lambda _: (Path(), Path()))
    assert blocks[0].text == "A&B<镇>"


@pytest.mark.parametrize(
    ("org", "date", "sealed", "expected"),
    [
        ("示例县民政局", "2020年10月10日", False, (5.0, 2.0)),  # the date is the longer: it sits 2 in
        ("示例县民政局办公室主任", "2020年10月10日", False, (2.0, 4.0)),  # the date starts 2 right of the org
        ("示例县民政局", "2020年10月10日", True, (4.5, 4.0)),  # 右空四字, the org centred over the date
    ],
)
def test_signature_right_indents(org, date, sealed, expected):
    assert signature_right_indents(org, date, sealed) == expected
