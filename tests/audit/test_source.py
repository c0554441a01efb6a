"""Reading a report: every format into the same sentences, with places a reader can find."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import pytest

from report_builder.audit.quantities import find_quantities
from report_builder.audit.source import normalize, read_report
from report_builder.issues import BadInput


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("全縣共有特困人員3054人", "全县共有特困人员3054人"),
        ("保障對象１，２３４戶，覆蓋率４．４８％", "保障对象1234户，覆盖率4.48%"),
        ("资金1,326.48万元(同比增长3.2%);", "资金1326.48万元（同比增长3.2%）；"),
        ("截 至 2020 年 9 月 30 日 ， 全 县 6305 户", "截至2020年9月30日，全县6305户"),
        # 16.txt as scraped: pinyin after the characters a page annotates
        ("國家統計局發(fā)布,農村貧困發(fā)生率", "国家统计局发布，农村贫困发生率"),
    ],
)
def test_normal_form(raw: str, expected: str):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("text", "printed", "value", "err"),
    [
        ("全县共有特困人员3054人", ["3054人"], [Decimal(3054)], [Decimal(0)]),
        ("发放资金1.26亿元", ["1.26亿元"], [Decimal("126000000")], [Decimal(500000)]),
        ("支出280.36万元，次均850元", ["280.36万元", "850元"], [Decimal(2803600), Decimal(850)],
         [Decimal(50), Decimal("0.5")]),
        ("覆盖率4.48%，下降0.08个百分点", ["4.48%", "0.08个百分点"], [Decimal("4.48"), Decimal("0.08")],
         [Decimal("0.005"), Decimal("0.005")]),
        ("救助1.2万人次", ["1.2万人次"], [Decimal(12000)], [Decimal(500)]),
        # dates, ordinals, ranges and target bounds state nothing to check
        ("2020年9月30日第3个季度，表2", [], [], []),
        ("每户3—5人，12个月", [], [], []),
        ("不低于45张，≥35%", [], [], []),
        # 17.txt and 26.txt: 多 and 余 name an interval up to one unit of the last digit that is not zero
        ("6年时间减少8000多万人", ["8000多万人"], [Decimal(85000000)], [Decimal(5000000)]),
        ("全年累计救助 18万余人次6000余万元", ["18万余人次", "6000余万元"], [Decimal(185000), Decimal(65000000)],
         [Decimal(5000), Decimal(5000000)]),
        # 10.txt: a population in 亿 without a unit; the same shape after another noun is no quantity
        ("老年人口已达1.43亿,而全国", ["1.43亿人"], [Decimal(143000000)], [Decimal(500000)]),
        ("养老服务投入已达1.43亿,而全国", [], [], []),
    ],
)  # fmt: skip
def test_quantities(text: str, printed: list[str], value: list[Decimal], err: list[Decimal]):
    found = find_quantities(normalize(text), 0)
    assert [q.printed for q in found] == printed
    assert [q.value for q in found] == value
    assert [q.err for q in found] == err


def test_nouns_drop_connectives_and_pairs_share_theirs():
    found = find_quantities("截至2020年9月30日，全县共有农村低保对象6305户13183人，其中集中供养1086人", 0)
    assert [q.noun for q in found] == ["农村低保对象", "农村低保对象", "集中供养"]


def test_text_and_markdown_paragraphs(tmp_path: Path):
    md = tmp_path / "r.md"
    md.write_text("# 一、工作情况\n\n全县共有特困人员3054人，\n其中集中供养1086人。\n\n- **要点**：6305户13183人。\n",
                  encoding="utf-8")  # fmt: skip
    paragraphs = read_report(md).paragraphs
    assert [p.where for p in paragraphs] == ["第1段（第1行）", "第2段（第3行）", "第3段（第6行）"]
    assert paragraphs[1].sentences[0].text == "全县共有特困人员3054人，其中集中供养1086人。"
    assert paragraphs[2].sentences[0].text == "要点：6305户13183人。"


def test_gbk_text_with_one_paragraph_per_line(tmp_path: Path):
    txt = tmp_path / "r.txt"
    txt.write_bytes("全县共有特困人员3054人。一是…\n生活不能自理特困人员489人。\n".encode("gb18030"))
    paragraphs = read_report(txt).paragraphs
    assert [p.where for p in paragraphs] == ["第1段（第1行）", "第2段（第2行）"]
    assert paragraphs[0].sentences[0].where == "第1段（第1行）第1句"


def test_docx_paragraphs_and_table_rows_in_order(tmp_path: Path):
    document = docx.Document()
    document.add_paragraph("全縣共有特困人員3054人。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "数值"
    table.cell(1, 0).text, table.cell(1, 1).text = "特困人员", "3054人"
    document.add_paragraph("其中集中供养1086人。")
    path = tmp_path / "r.docx"
    document.save(str(path))
    paragraphs = read_report(path).paragraphs
    assert [p.where for p in paragraphs] == ["第1段", "表1第1行", "表1第2行", "第2段"]
    assert paragraphs[0].sentences[0].text == "全县共有特困人员3054人。"
    assert paragraphs[2].sentences[0].text == "特困人员，3054人。"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.docx", None, "找不到文件"),
        ("report.doc", b"x", "不支持的文件格式"),
        ("broken.docx", b"not a zip", "文件已损坏或不是.docx格式"),
        ("broken.xlsx", b"not a zip", "应为Excel 工作簿（.xlsx）"),
        ("broken.pdf", b"%PDF-1.4 nothing", "文件已损坏或不是.pdf格式"),
        ("empty.txt", b"\n\n", "没有可读的文字"),
    ],
)
def test_unreadable_input_is_bad_input_naming_the_file(tmp_path: Path, name: str, content, message: str):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BadInput) as caught:
        read_report(path)
    text = caught.value.report.to_text()
    assert name in text and message in text
