"""Phrasings beyond the corpus, one relation each, with the working the report shows."""

from __future__ import annotations

import pytest

from report_builder.audit.run import audit_paragraphs
from report_builder.audit.source import split_sentences
from tests.audit.documents import docx_with_table


def audit(text: str):
    return [
        (f.kind, str(f.verdict), f.stated, f.computed)
        for f in audit_paragraphs([split_sentences(text, "第1段")])
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bracketed list after the total is a complete split
        ("全县特困人员3054人（集中供养1086人、分散供养1978人）。",
         [("parts", "不一致", "总数 3054人", "1086人+1978人 = 3064人")]),
        # a share of a base named by its noun, as 比重
        ("护理型床位1043张，养老床位2830张，护理型床位占养老床位的比重为38.9%。",
         [("rate", "不一致", "38.9%", "1043张÷2830张 = 36.855%")]),
        # ‰ and 每百名
        ("全县农村人口20000人，其中低保对象900人，占比45.0‰。",
         [("parts", "一致", "总数 20000人", "最大的部分 900人，不超过总数（未列全，不要求相加）"),
          ("rate", "一致", "45.0‰", "900人÷20000人 = 45.0‰")]),
        ("全县老年人口5000人，养老床位230张，每百名老年人拥有养老床位4.6张。",
         [("per_unit", "一致", "4.6张", "230张÷5000人×100 = 4.6张")]),
        # a quarter and a month
        ("高龄津贴每人每季度300元（每人每月100元）。", [("per_unit", "一致", "100元", "300元÷3 = 100元")]),
        # a difference of rates written as a growth rate
        ("集中供养率由32.5%提高到36.9%，提高4.4%。",
         [("direction", "一致", "提高到 36.9%", "32.5% → 36.9%，实为上升"),
          ("growth", "不一致", "提高4.4%",
           "(36.9%−32.5%)÷32.5% = 13.538%；两个比率之差应写作4.4个百分点")]),
        # a fall told as a fall, with its size
        ("城市低保对象由1204户减少到1126户，减少78户。",
         [("direction", "一致", "减少到 1126户", "1204户 → 1126户，实为下降"),
          ("growth", "一致", "减少78户", "1126户−1204户 = 78户")]),
        # a per-thousand figure whose population the paragraph does not give
        ("每千名老年人拥有养老床位47.0张。",
         [("per_unit", "无法核对", "47.0张", "段内没有给出老年人、养老床位的数值")]),
        # nothing stated, nothing checked: an unrelated rate, growth without its base, bounds
        ("全县农村低保覆盖率为4.48%，较上年同期下降0.08个百分点，临时救助人次同比增长2.8%，未达到不低于45张的目标。",
         []),
    ],
)  # fmt: skip
def test_relation(text: str, expected: list[tuple[str, str, str, str]]):
    assert audit(text) == expected


def test_stock_flow_across_sentences_in_one_paragraph():
    found = audit(
        "年初全县有农村低保对象8642人。1—9月新增612人、退出735人。截至9月30日共有农村低保对象8529人。"
    )
    assert found == [("stock_flow", "不一致", "期末 8529人", "8642人+612人−735人 = 8519人")]


def test_a_new_paragraph_starts_a_new_subject():
    first = split_sentences("全县共有特困人员3054人，其中集中供养1086人、分散供养1968人。", "第1段")
    second = split_sentences("生活不能自理特困人员484人，集中供养率55.2%。", "第2段")
    found = audit_paragraphs([first, second])
    assert [(f.kind, f.location) for f in found] == [("parts", "第1段")]


def _table_findings(tmp_path, rows):
    from report_builder.audit.run import audit_file

    path = docx_with_table(tmp_path / "t.docx", "表1　各乡镇低保情况", rows)
    return [
        (f.location, f.stated, f.computed, str(f.verdict))
        for f in audit_file(path)
        if f.location.startswith("表")
    ]


def test_a_total_row_is_summed_over_additive_columns(tmp_path):
    rows = [
        ["乡镇", "户数（户）", "人数（人）", "覆盖率（%）", "资金（万元）"],
        ["合计", "1600", "3310", "4.62", "120.01"],
        ["城关镇", "900", "1800", "4.50", "60.00"],
        ["青山镇", "700", "1500", "4.80", "60.00"],
        ["其中：青山社区", "100", "200", "4.00", "8.00"],
    ]
    assert _table_findings(tmp_path, rows) == [
        ("表1第2行", "户数（户）合计 1600", "其余2行之和 = 1600", "一致"),
        ("表1第2行", "人数（人）合计 3310", "其余2行之和 = 3300", "不一致"),
        ("表1第2行", "资金（万元）合计 120.01", "其余2行之和 = 120.00", "一致"),  # within the rows' rounding
    ]


def test_markdown_table_total(tmp_path):
    from report_builder.audit.run import audit_file

    path = tmp_path / "t.md"
    path.write_text("| 乡镇 | 床位（张） |\n|---|---|\n| 城关镇 | 464 |\n| 青山镇 | 345 |\n| 合计 | 819 |\n",
                    encoding="utf-8")  # fmt: skip
    found = [(f.location, f.computed, str(f.verdict)) for f in audit_file(path)]
    assert found == [("表1第4行", "其余2行之和 = 809", "不一致")]


def _column_findings(tmp_path, text: str) -> list[tuple[str, str, str, str]]:
    from report_builder.audit.run import audit_file

    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    return [
        (f.location, f.stated, f.computed, str(f.verdict)) for f in audit_file(path) if "之和" in f.computed
    ]


def test_a_total_column_adds_the_columns_after_it_in_every_row(tmp_path):
    text = (
        "单位:人 | | | |\n"
        "乡镇 | 合计 | 城镇 | 农村 |\n"
        "城关镇 | 300 | 120 | 180 |\n"
        "青山镇 | 250 | 100 | 140 |\n"  # a complementary pair short of its total
        "河口镇 | 90 | 50 | 60 |\n"  # parts above the total
    )
    assert _column_findings(tmp_path, text) == [
        ("表1第3行", "城关镇合计 300", "城镇、农村之和 = 300", "一致"),
        ("表1第4行", "青山镇合计 250", "城镇、农村之和 = 240", "不一致"),
        ("表1第5行", "河口镇合计 90", "城镇、农村之和 = 110", "不一致"),
    ]


def test_columns_that_may_leave_kinds_out_are_not_flagged_short(tmp_path):
    text = "地区 | 合计 | 视力残疾 | 听力残疾 |\n甲县 | 300 | 120 | 170 |\n乙县 | 200 | 120 | 80 |\n"
    assert _column_findings(tmp_path, text) == [
        ("表1第3行", "乙县合计 200", "视力残疾、听力残疾之和 = 200", "一致")
    ]


def test_a_cross_tabulation_header_without_its_label_column_is_read_one_column_right(tmp_path):
    # a census table as a statistics bureau's page comes back: the second header row has no cell over the labels
    text = (
        "年 龄 | 老年人口 | 健 康 | 不健康 | |||||||\n"
        "合计 | 男 | 女 | 小计 | 男 | 女 | 小计 | 男 | 女 | |\n"
        "总 计 | 100 | 40 | 60 | 70 | 30 | 40 | 31 | 10 | 20 | |\n"
    )
    assert _column_findings(tmp_path, text) == [
        ("表1第3行", "总计合计 100", "男、女之和 = 100", "一致"),
        ("表1第3行", "总计小计 70", "男、女之和 = 70", "一致"),
        ("表1第3行", "总计小计 31", "男、女之和 = 30", "不一致"),
        ("表1第3行", "总计合计 100", "各组小计之和 = 101", "不一致"),
        ("表1第3行", "总计男 40", "各组男之和 = 40", "一致"),
        ("表1第3行", "总计女 60", "各组女之和 = 60", "一致"),
    ]


def test_the_three_industries_structure_is_each_industry_over_gdp():
    found = audit(
        "全县实现生产总值200.00亿元。其中，第一产业增加值30.00亿元，第二产业增加值70.00亿元，第三产业增加值100.00亿元。"
        "三次产业结构由上年的16.0:36.0:48.0调整为15.0:36.0:50.0，第一产业比重下降1.0个百分点，第三产业比重提高2.5个百分点。"
    )
    assert [f for f in found if f[0] in ("rate", "growth")] == [
        ("rate", "一致", "第一产业 15.0", "30.00亿元÷200.00亿元 = 15.0%"),
        ("rate", "不一致", "第二产业 36.0", "70.00亿元÷200.00亿元 = 35.0%"),
        ("rate", "一致", "第三产业 50.0", "100.00亿元÷200.00亿元 = 50.0%"),
        ("growth", "一致", "下降1.0个百分点", "15.0−16.0 = -1.0个百分点"),
        ("growth", "不一致", "提高2.5个百分点", "50.0−48.0 = 2.0个百分点"),
    ]


def test_a_structure_whose_industries_are_not_printed_is_left_alone():
    assert audit("全县三次产业结构调整为15.0:36.0:49.0，第二产业比重提高1.0个百分点。") == []


def test_shares_of_a_list_that_make_100_percent_are_of_the_lists_sum():
    found = audit(
        "分年龄段来看，100—102岁的700人，占70.0%；103-105岁的200人，占20.0%；106岁及以上的100人，占11.0%。"
    )
    # 101%: the shares are of some base the text does not print, not of these three
    assert {f[1] for f in found if f[0] == "rate"} == {"无法核对"}
    found = audit(
        "分年龄段来看，100—102岁的700人，占70.0%；103-105岁的200人，占21.0%；106岁及以上的100人，占9.0%。"
    )
    assert [f[1:] for f in found if f[0] == "rate"] == [
        ("一致", "70.0%", "700人÷1000人 = 70.0%"),
        ("不一致", "21.0%", "200人÷1000人 = 20.0%"),
        ("不一致", "9.0%", "100人÷1000人 = 10.0%"),
    ]


def test_a_change_against_a_level_of_a_named_census():
    found = audit("百岁老人达到10673人，与2010年第六次全国人口普查的2941人相比，增加7742人。")
    assert [f[1:] for f in found if f[0] == "growth"] == [("不一致", "增加7742人", "10673人−2941人 = 7732人")]


def test_the_kinds_listed_after_geilei_fenbie_are_parts_of_the_group_before():
    found = audit(
        "全省各类残疾人的总数为100.0万人。各类残疾人的人数及比重分别是：视力残疾30.0万人，占30.0%；听力残疾50.0万人，"
        "占50.0%；肢体残疾30.0万人，占30.0%。"
    )
    assert [f[1:] for f in found if f[0] == "parts"] == [
        ("不一致", "总数 100.0万人", "30.0万人+50.0万人+30.0万人 = 110.0万人，各部分互不重叠，之和超过总数")
    ]


def test_columns_that_split_a_total_two_ways_are_two_splits(tmp_path):
    text = "地区 | 合计 | 男 | 女 | 城镇 | 农村 |\n甲县 | 300 | 140 | 160 | 100 | 190 |\n"
    assert _column_findings(tmp_path, text) == [
        ("表1第2行", "甲县合计 300", "男、女之和 = 300", "一致"),
        ("表1第2行", "甲县合计 300", "城镇、农村之和 = 290", "不一致"),
    ]
    # years or periods after a 合计 are no parts of it, and columns adding to twice the total hold a subtotal
    text = "项目 | 合计 | 2019 | 2020 |\n甲县 | 300 | 140 | 200 |\n\n项目 | 合计 | 城关 | 青山 | 河口 |\n甲县 | 300 | 100 | 200 | 300 |\n"
    assert _column_findings(tmp_path, text) == []


def test_a_flat_yearbook_run_opened_by_a_total_row_is_a_table(tmp_path):
    # as 河北经济年鉴 pages come back: a label (spaced, with its English name), then the figures, no header row
    text = (
        "城市合计 Total 28 8095 33.35\n"
        "石家庄市 Shijiazhuang 7 3153 2.80\n"
        "承 德 市 Chengde 2 330 3.10\n"
        "唐 山 市 Tangshan 19 4712 27.45\n"
    )
    assert _column_findings(tmp_path, text) == [
        ("表1第1行", "城市合计（第2列）28", "下一级3项之和 = 28", "一致"),
        ("表1第1行", "城市合计（第3列）8095", "下一级3项之和 = 8195", "不一致"),
        ("表1第1行", "城市合计（第4列）33.35", "下一级3项之和 = 33.35", "一致"),
    ]


def test_a_part_above_its_whole_in_an_open_list_is_uncheckable_unless_bracketed():
    # a 其中 list neither complete nor of disjoint kinds may have run into another subject
    open_list = audit("全县有养老机构12所，其中敬老院8所、光荣院15所、农村幸福院20所。")
    assert [(v, c) for k, v, _, c in open_list if k == "parts"] == [
        ("无法核对", "最大的部分 20所超过总数，但所列未必都是该总数的部分（未列全）")
    ]
    bracketed = audit("全县有养老机构12所（其中敬老院8所、光荣院15所、农村幸福院20所），床位3000张。")
    assert [(v, c) for k, v, _, c in bracketed if k == "parts"] == [
        ("不一致", "最大的部分 20所，超过总数（未列全，不要求相加）")
    ]
