"""The shipped documents as users open them: every generated DOCX read back as XML (schema order, table
geometry, font table, settings), our PDFs and LibreOffice's rendering of our DOCX compared line by line."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from lxml import etree

from report_builder.batch import regions_at
from report_builder.load import load_inputs
from report_builder.periods import Period
from report_builder.pipeline import BuildOptions, Official, build_notice, build_report
from report_builder.regions import Level
from report_builder.render.document import Align, Cell, Document, Paragraph, Run, Table
from report_builder.render.docx_writer import write_docx
from report_builder.render.ooxml import ORDER, twips
from report_builder.render.pdf_writer import write_pdf
from report_builder.render.style import keeps_together, load_style, signature_right_indents
from report_builder.targets.check import check_targets
from tests.conftest import SAMPLE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OFFICIAL = Official("示民", 12, ("示例县人民政府办公室", "示例市民政局"))
CLOSING, OPENING = "，。；、：？！）》”’", "（《“‘"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """(docx, pdf) of every shipped template on the sample county, and the quarterly report of its city."""
    out = tmp_path_factory.mktemp("shipped")
    inputs = load_inputs(SAMPLE)
    q3, year = Period.parse("2020Q3"), Period.parse("2020")
    towns = regions_at(inputs, Level.乡, None)
    checked = check_targets(inputs.dataset, inputs.targets, q3, within=set(towns))

    def pair(files) -> tuple[Path, Path]:
        by = {p.suffix: p for p in files}
        return by[".docx"], by[".pdf"]

    return {
        "quarterly": pair(build_report(inputs, "quarterly", q3, None, out / "q", BuildOptions()).files),
        "city": pair(build_report(inputs, "quarterly", q3, "990100", out / "city", BuildOptions()).files),
        "yearbook": pair(
            build_report(inputs, "yearbook", year, None, out / "y", BuildOptions(first_page=378)).files
        ),
        "notice": pair(build_notice(inputs, q3, towns, checked, (), out / "n")),
        "official": pair(
            build_report(inputs, "quarterly", q3, None, out / "o", BuildOptions(official=OFFICIAL)).files
        ),
        # 桃源乡: its table 1 ends at the foot of page 2, where its note would be left for page 3
        "township": pair(
            build_report(inputs, "quarterly", q3, "990123203000", out / "t", BuildOptions()).files
        ),
    }


def with_libreoffice(docx_path: Path, out: Path) -> Path:
    """LibreOffice's PDF of a DOCX of ours (soffice is installed by build.py), written into `out`."""
    soffice = shutil.which("soffice")
    assert soffice, "soffice is missing: run `python build.py test`, which installs libreoffice-writer-nogui"
    profile = (out / "profile").as_uri()  # its own profile: a user's running LibreOffice does not interfere
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out),
         str(docx_path)],
        check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(out)},
    )  # fmt: skip
    return out / docx_path.with_suffix(".pdf").name


@pytest.fixture(scope="module")
def libreoffice(shipped, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("lo")
    return {key: with_libreoffice(docx_path, out / key) for key, (docx_path, _) in shipped.items()}


def parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {
            name: etree.fromstring(z.read(name))
            for name in z.namelist()
            if re.fullmatch(r"word/(document|styles|settings|fontTable|header\d*|footer\d*)\.xml", name)
        }


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


def order_problems(root: etree._Element) -> list[str]:
    """Property elements whose children are unknown to or out of the schema's order."""
    problems = []
    for el in root.iter():
        if not isinstance(el.tag, str) or local(el) not in ORDER or not el.tag.startswith(W):
            continue
        order = ORDER[local(el)]
        ranks = []
        for child in el:
            name = local(child)
            if name not in order:
                problems.append(f"<{local(el)}> has <{name}>")
                continue
            ranks.append(0 if name in ("headerReference", "footerReference") else order.index(name))
        if ranks != sorted(ranks):
            problems.append(f"<{local(el)}>: {[local(c) for c in el]}")
    return problems


def test_the_order_check_finds_what_word_refuses():
    bad = etree.fromstring(
        f'<w:p xmlns:w="{W[1:-1]}"><w:pPr><w:jc w:val="right"/><w:ind w:right="0"/></w:pPr>'
        "<w:tblPr><w:tblLook/><w:tblBorders/></w:tblPr><w:rPr><w:foo/></w:rPr></w:p>"
    )
    assert order_problems(bad) == [
        "<pPr>: ['jc', 'ind']",
        "<tblPr>: ['tblLook', 'tblBorders']",
        "<rPr> has <foo>",
    ]


@pytest.mark.parametrize("key", ["quarterly", "city", "yearbook", "notice", "official"])
def test_every_part_is_in_schema_order(shipped, key):
    found = parts(shipped[key][0])
    assert {"word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml"} <= found.keys()
    assert any(n.startswith("word/footer") for n in found)
    checked = sum(
        1 for root in found.values() for el in root.iter() if isinstance(el.tag, str) and local(el) in ORDER
    )
    assert checked > 50
    assert {name: order_problems(root) for name, root in found.items() if order_problems(root)} == {}


@pytest.mark.parametrize("key", ["quarterly", "yearbook", "notice"])
def test_cell_widths_equal_the_grid(shipped, key):
    style = load_style("yearbook" if key == "yearbook" else "gongwen")
    document = docx.Document(str(shipped[key][0]))
    spans = merged_down = 0
    assert document.tables
    for table in document.tables:
        tbl = table._tbl
        grid = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(grid) - twips(style.text_width_mm)) <= 1
        tblpr = tbl.tblPr
        assert tblpr.find(qn("w:tblW")).get(qn("w:type")) == "dxa"
        assert int(tblpr.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid)
        assert tblpr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert tblpr.find(qn("w:tblInd")).get(qn("w:w")) == "0"
        margins = tblpr.find(qn("w:tblCellMar"))
        assert [margins.find(qn(f"w:{side}")).get(qn("w:w")) for side in ("left", "right")] == ["60", "60"]
        for tr in tbl.tr_lst:
            at = 0
            for tc in tr.tc_lst:
                width = tc.tcPr.find(qn("w:tcW"))
                assert width.get(qn("w:type")) == "dxa"
                assert int(width.get(qn("w:w"))) == sum(grid[at : at + tc.grid_span])
                spans += tc.grid_span > 1
                merged_down += tc.vMerge == "continue"
                at += tc.grid_span
            assert at == len(grid)
    if key == "yearbook":
        assert spans and merged_down  # merged cells both ways were among those checked


def test_short_columns_are_wide_enough_and_text_columns_take_the_rest(shipped):
    table = docx.Document(str(shipped["quarterly"][0])).tables[0]
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    header = [c.text for c in table.rows[0].cells]
    assert header[:4] == ["指标", "目标", "完成值", "状态"]
    twelve_pt_em = 240
    assert grid[header.index("目标")] >= 3.5 * 0.65 * twelve_pt_em + 120  # ≥45张: ≥ in full, digits wide
    assert grid[header.index("状态")] >= 3 * twelve_pt_em + 120  # 未达标
    assert max(grid) in (grid[0], grid[-1])  # 指标 or 依据


def test_bottom_rule_of_the_header_under_every_header_cell(shipped):
    table = docx.Document(str(shipped["yearbook"][0])).tables[1]  # 表2: 乡镇 merged down two header rows
    last_header = table._tbl.tr_lst[1]
    assert all(tc.tcPr.find(qn("w:tcBorders")).find(qn("w:bottom")).get(qn("w:sz")) == "6"
               for tc in last_header.tc_lst)  # fmt: skip
    assert table._tbl.tr_lst[0].tc_lst[0].tcPr.find(qn("w:tcBorders")) is not None


def test_font_table_settings_and_paragraph_defaults(shipped):
    found = parts(shipped["quarterly"][0])
    fonts = {f.get(f"{W}name"): f for f in found["word/fontTable.xml"].iter(f"{W}font")}
    alt = {name: f.find(f"{W}altName").get(f"{W}val") for name, f in fonts.items()}
    assert alt["仿宋_GB2312"] == "仿宋" and alt["楷体_GB2312"] == "楷体" and alt["方正小标宋简体"] == "宋体"
    assert all(f.find(f"{W}charset").get(f"{W}val") == "86" for f in fonts.values())
    assert all(re.fullmatch(r"[0-9A-F]{20}", f.find(f"{W}panose1").get(f"{W}val")) for f in fonts.values())
    used = {el.get(f"{W}eastAsia") for name in ("word/document.xml", "word/styles.xml")
            for el in found[name].iter(f"{W}rFonts")}  # fmt: skip
    assert used <= fonts.keys()
    compat = found["word/settings.xml"].find(f"{W}compat/{W}compatSetting")
    assert (compat.get(f"{W}name"), compat.get(f"{W}val")) == ("compatibilityMode", "15")
    defaults = found["word/styles.xml"].find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
    assert defaults.find(f"{W}widowControl") is not None
    assert defaults.find(f"{W}overflowPunct").get(f"{W}val") == "0"
    assert (
        defaults.find(f"{W}autoSpaceDE").get(f"{W}val")
        == defaults.find(f"{W}autoSpaceDN").get(f"{W}val")
        == "0"
    )
    styles = docx.Document(str(shipped["quarterly"][0])).styles

    def snaps(name: str) -> bool:
        el = styles[f"RB {name}"].element.pPr.find(qn("w:snapToGrid"))
        return el is None or el.get(qn("w:val")) != "0"

    assert [snaps(n) for n in ("title", "table", "caption", "note", "page_number")] == [False] * 5
    assert snaps("body") and snaps("h1")
    spacing = styles["RB body"].element.rPr.find(qn("w:spacing")).get(qn("w:val"))
    assert spacing == "-5" and styles["RB title"].element.rPr.find(qn("w:spacing")) is None


def test_28_characters_per_line(tmp_path):
    """GB/T 9704's 28 characters of 16 pt in 156 mm (27 without the -0.25 pt spacing), in our PDF and in
    LibreOffice's rendering of our DOCX: the first line two characters in."""
    text = "坚持兜底保障工作基本定位扎实做好农村低保特困人员供养临时救助和养老服务等工作" * 4
    document = Document((Paragraph((Run(text),)),), dt.date(2020, 10, 10))
    style = load_style("gongwen")
    ours = write_pdf(document, style, tmp_path / "p.pdf")
    theirs = with_libreoffice(write_docx(document, style, tmp_path / "p.docx"), tmp_path / "lo")
    for pdf in (ours, theirs):
        lines = [line for line in lo_lines(pdf) if line and not re.fullmatch(r"—\d+—", line)]
        assert [len(line) for line in lines[:4]] == [26, 28, 28, 28], pdf


@pytest.mark.parametrize("key", ["quarterly", "city", "yearbook", "notice", "official"])
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(shipped, key):
    text = subprocess.run(
        ["pdftotext", "-layout", str(shipped[key][1]), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert len(lines) > 20
    assert [line for line in lines if line[0] in CLOSING or line[-1] in OPENING] == []


@pytest.mark.parametrize("key", ["quarterly", "city", "yearbook", "official", "township"])
def test_a_table_note_is_never_alone_at_the_top_of_a_page(shipped, key):
    """base.css keeps a table's first note with its last row (the pagination model knows it too)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(shipped[key][1]), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")]
    firsts = [lines[0] for lines in pages if lines]
    assert len(firsts) > 1 and [line for line in firsts if line.startswith("注：")] == []
    # In the DOCX, Word's way: every paragraph of the last row of a table with a note keeps with the next.
    body = docx.Document(str(shipped[key][0])).element.body
    noted = [
        t for t in body.iterchildren(f"{W}tbl") if (t.getnext().findtext(f".//{W}t") or "").startswith("注：")
    ]
    assert noted or key == "yearbook"
    for table in noted:
        last = table.findall(f"{W}tr")[-1]
        assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in last.iter(f"{W}p"))


@pytest.mark.parametrize("key", ["quarterly", "city", "official", "township"])
def test_the_signature_is_never_alone_on_a_page(shipped, libreoffice, key):
    """桃源乡's signature fell alone on a page of LibreOffice's PDF when only the PDF kept it with the text: the
    DOCX keeps the last paragraph, the blank line and the 署名 each with the next, and keeps every row whole."""
    for pdf in (shipped[key][1], libreoffice[key]):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        )
        pages = [
            [re.sub(r"\s+", "", line) for line in page.splitlines() if line.strip()]
            for page in text.stdout.split("\f")
        ]
        (last,) = [lines for lines in pages if "2020年9月30日" in lines]
        body = [line for line in last if not re.fullmatch(r"—\d+—|.*(民政局|人民政府)|2020年9月30日", line)]
        assert body, (pdf, last)
    document = docx.Document(str(shipped[key][0]))
    tables = [
        t for t in document.element.body.iter(f"{W}tbl") if t.find(f"{W}tblPr/{W}tblpPr") is None
    ]  # not the 版记
    rows = [row for table in tables for row in table.findall(f"{W}tr")]
    assert rows and all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)


def number_gap_mm(pdf: Path, style_key: str) -> float:
    """How far below the text block the middle of page 1's number lies."""
    style = load_style(style_key)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        block_bottom = (style.page_height_mm - style.bottom_mm) * 72 / 25.4
        digits = [c for c in page.chars if c["text"] == "1" and c["top"] > block_bottom]
        middle = (digits[0]["top"] + digits[0]["bottom"]) / 2
    return (middle - block_bottom) * 25.4 / 72


@pytest.mark.parametrize("reader", ["ours", "libreoffice"])
def test_page_number_7mm_below_the_text_block(shipped, libreoffice, reader):
    pdf = shipped["quarterly"][1] if reader == "ours" else libreoffice["quarterly"]
    assert number_gap_mm(pdf, "gongwen") == pytest.approx(7, abs=1.2)


def test_signature_in_docx_is_right_aligned_from_the_standard(shipped):
    paragraphs = [p for p in docx.Document(str(shipped["quarterly"][0])).paragraphs if p.text.strip()]
    org, date = paragraphs[-2:]
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", date.text)
    org_right, date_right = signature_right_indents(org.text, date.text, sealed=False)
    for p, right in ((org, org_right), (date, date_right)):
        ind = p._p.pPr.find(qn("w:ind"))
        assert p.alignment.name == "RIGHT"
        assert ind.get(qn("w:rightChars")) == str(round(right * 100))


@pytest.mark.parametrize("key", ["quarterly", "yearbook", "notice", "official"])
def test_libreoffice_pages_as_many_as_our_pdf(shipped, libreoffice, key):
    with pdfplumber.open(shipped[key][1]) as ours, pdfplumber.open(libreoffice[key]) as theirs:
        assert len(theirs.pages) == len(ours.pages)


def lo_lines(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [re.sub(r"\s+", "", line) for line in text.splitlines()]


@pytest.mark.parametrize(
    ("key", "tokens"),
    [("quarterly", ("≥45张", "未达标", "2020年9月30日")), ("yearbook", ("2016年", "2020年"))],
)
def test_libreoffice_keeps_tokens_on_one_line(shipped, libreoffice, key, tokens):
    lines = lo_lines(libreoffice[key])
    for token in tokens:
        assert any(token in line for line in lines), token


@pytest.mark.parametrize("key", ["quarterly", "yearbook", "notice"])
def test_libreoffice_wraps_no_short_cell(shipped, libreoffice, key):
    """Every table cell of six characters or fewer shows whole on some line as often as the tables hold it."""
    text = "\n".join(lo_lines(libreoffice[key]))
    cells: dict[str, int] = {}
    for table in docx.Document(str(shipped[key][0])).tables:
        for tr in table._tbl.tr_lst:
            for tc in tr.tc_lst:
                value = "".join(t.text for t in tc.iter(qn("w:t")))
                if value and keeps_together(value) and tc.vMerge != "continue":
                    cells[value] = cells.get(value, 0) + 1
    assert len(cells) > 5
    assert {v: n for v, n in cells.items() if text.count(v) < n} == {}


MM_PT = 72 / 25.4


def test_official_docx_has_red_head_number_rule_and_colophon(shipped):
    """`--official`: 发文机关标志 red 35 mm down, the 发文字号 with its red rule 4 mm below, the 版记's rules (thick,
    thin, thick) floated so that its last rule lies on the bottom of the text block (GB/T 9704 7.2, 7.4)."""
    document = docx.Document(str(shipped["official"][0]))
    issuer, number = document.paragraphs[0], next(p for p in document.paragraphs if "〔" in p.text)
    assert issuer.text == "示例县民政局文件"
    assert {str(r.font.color.rgb) for r in issuer.runs} == {"FF0000"}
    assert issuer.runs[0].font.size.pt == 36
    assert issuer._p.pPr.find(qn("w:spacing")).get(qn("w:before")) == str(twips(35))
    assert number.text == "示民〔2020〕12号" and number.alignment.name == "CENTER"
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (rule.get(qn("w:color")), rule.get(qn("w:sz")), rule.get(qn("w:space"))) == ("FF0000", "8", "11")
    colophon = document.tables[-1]
    assert [c.text for r in colophon.rows for c in r.cells] == [
        "抄送：示例县人民政府办公室，示例市民政局。", "抄送：示例县人民政府办公室，示例市民政局。",
        "示例县民政局办公室", "2020年9月30日印发",
    ]  # fmt: skip
    tblpr = colophon._tbl.tblPr
    borders = {local(b): b.get(qn("w:sz")) or b.get(qn("w:val")) for b in tblpr.find(qn("w:tblBorders"))}
    assert borders == {
        "top": "8",
        "bottom": "8",
        "insideH": "6",
        "left": "nil",
        "right": "nil",
        "insideV": "nil",
    }
    heights = [int(tr.trPr.find(qn("w:trHeight")).get(qn("w:val"))) for tr in colophon._tbl.tr_lst]
    assert int(tblpr.find(qn("w:tblpPr")).get(qn("w:tblpY"))) + sum(heights) == twips(297 - 37 - 35)


def test_default_build_has_no_red_head(shipped):
    text = zipfile.ZipFile(shipped["quarterly"][0]).read("word/document.xml").decode()
    assert "FF0000" not in text and "tblpPr" not in text and "印发" not in text
    assert (
        "示例县民政局文件"
        not in subprocess.run(
            ["pdftotext", str(shipped["quarterly"][1]), "-"], capture_output=True, text=True, check=True
        ).stdout
    )


def test_official_pdf_has_red_head_and_colophon_rules(shipped):
    with pdfplumber.open(shipped["official"][1]) as pdf:
        first, last = pdf.pages[0], pdf.pages[-1]
        issuer = [c for c in first.chars if c["text"] in "示例县民政局文件"][:8]
        assert "".join(c["text"] for c in issuer) == "示例县民政局文件"
        assert {c["non_stroking_color"] for c in issuer} == {(1.0, 0.0, 0.0)}
        assert abs(min(c["top"] for c in issuer) - (37 + 35) * MM_PT) < 8  # the glyphs' top, near the box's
        number_bottom = max(c["bottom"] for c in first.chars if c["text"] == "〔")
        red = [r for r in first.rects if r["non_stroking_color"] == (1.0, 0.0, 0.0)]
        left, right = 28 * MM_PT, (28 + 156) * MM_PT
        assert red and all(abs(r["x0"] - left) < 1 and abs(r["x1"] - right) < 1 for r in red)
        assert 4 * MM_PT < max(r["bottom"] for r in red) - number_bottom < 4 * MM_PT + 8
        rules: dict[float, float] = {}
        for line in last.lines:
            if line["x1"] - line["x0"] > 100:
                rules[round(line["top"], 1)] = line["linewidth"]
        tops = sorted(rules)
        assert len(tops) == 3
        assert rules[tops[0]] == rules[tops[2]] == pytest.approx(0.35 * MM_PT, abs=0.05)
        assert rules[tops[1]] == pytest.approx(0.25 * MM_PT, abs=0.05)
        assert tops[2] + rules[tops[2]] / 2 == pytest.approx(last.height - 35 * MM_PT, abs=0.6)
        text = last.extract_text()
        assert "抄送：示例县人民政府办公室，示例市民政局。" in text.replace(" ", "")
        assert "示例县民政局办公室" in text and "2020年9月30日印发" in text.replace(" ", "")


def long_table_document() -> Document:
    header = ((Cell("乡镇", header=True), Cell("人数", header=True)),)
    rows = tuple(
        (Cell(f"第{i}乡", align=Align.LEFT), Cell(str(1000 + i), align=Align.RIGHT)) for i in range(60)
    )
    table = Table("1", "各乡镇人数", "单位：人", header, rows, notes=("注：示例。",))
    return Document((Paragraph((Run("正文。"),)), table), dt.date(2020, 10, 10))


def test_pdf_continued_table_is_captioned_and_docx_repeats_its_header(tmp_path):
    """A table that runs on: in the PDF the next page starts 续表1 with the unit and the header again, the note
    only after the last row; the DOCX keeps one table whose header row Word and WPS repeat (tblHeader)."""
    document, style = long_table_document(), load_style("gongwen")
    with pdfplumber.open(write_pdf(document, style, tmp_path / "t.pdf")) as pdf:
        pages = [re.sub(r"\s+", "", p.extract_text()) for p in pdf.pages]
    assert len(pages) >= 2
    assert pages[0].startswith("正文。表1各乡镇人数单位：人乡镇人数") and "续表" not in pages[0]
    for page in pages[1:]:
        assert page.startswith("续表1单位：人乡镇人数"), page[:30]
    assert [p.count("注：示例。") for p in pages] == [0] * (len(pages) - 1) + [1]
    assert "".join(pages).count("第59乡") == 1
    docx_path = write_docx(document, style, tmp_path / "t.docx")
    (table,) = docx.Document(str(docx_path)).tables
    assert len(table.rows) == 61 and table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


@pytest.mark.parametrize("key", ["quarterly", "city", "official"])
def test_no_page_left_a_third_empty_before_a_figure(shipped, key):
    """Every page but the last is filled beyond two thirds of its text block (words, rules and the charts'
    strokes counted): a chart that did not fit let the text after it flow up, or was drawn smaller. Before,
    page 2 of the quarterly report ended at 63 % before 图1."""
    style = load_style("gongwen")
    top, height = style.top_mm * MM_PT, (style.page_height_mm - style.top_mm - style.bottom_mm) * MM_PT
    with pdfplumber.open(shipped[key][1]) as pdf:
        assert any(re.search(r"图\d", p.extract_text()) for p in pdf.pages)
        for page in pdf.pages[:-1]:
            ink = [w["bottom"] for w in page.extract_words() if top <= w["top"] < top + height]
            ink += [
                o["bottom"] for o in page.curves + page.lines + page.rects if o["bottom"] < top + height + 1
            ]
            assert max(ink) - top > height * 2 / 3, (key, page.page_number)


def test_docx_follows_the_pdf_arrangement(shipped):
    """The figure the PDF moved is at the same place among the paragraphs of the DOCX, and no table is split."""
    document = docx.Document(str(shipped["quarterly"][0]))
    texts = [p.text for p in document.paragraphs if p.text]
    with pdfplumber.open(shipped["quarterly"][1]) as pdf:
        flat = re.sub(r"\s+", "", "".join(p.extract_text() for p in pdf.pages))
    captions = [t for t in texts if re.match(r"图\d", t)]
    assert captions
    for caption in captions:
        i = texts.index(caption)
        before = re.sub(r"\s+", "", texts[i - 1])[-12:]
        assert flat.index(before) < flat.index(re.sub(r"\s+", "", caption)), caption
    assert "续表" not in "".join(texts)
