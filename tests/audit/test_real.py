"""The audit on real published passages (tests/audit/real/, scored by tests/audit/score.py), and the phrasings
they needed, each tested on the real sentence it came from."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from report_builder.audit.findings import Kind, Verdict
from report_builder.audit.run import audit_file
from tests.audit.documents import docx_with_table
from tests.audit.score import REAL, score


def test_development_part_does_not_fall_back():
    result = score(REAL)
    assert (result.passages, result.relations, result.errors) == (257, 1925, 50)
    # the fifth (147–180), sixth (181–218) and seventh (219–257) test sets joined with 4, 11 and 19 false 不一致,
    # fixed by their class
    assert result.false_alarms == []
    # a part above a whole in a list neither complete, bracketed nor of disjoint kinds is 无法核对 (32's scraped
    # 12023户 among them), the class of most false 不一致 on the blind sets
    assert result.flagged >= 33
    assert result.checked_full >= 988


def _findings(tmp_path: Path, text: str):
    path = tmp_path / "passage.txt"
    path.write_text(text, encoding="utf-8")
    return audit_file(path)


def _per_unit(tmp_path: Path, text: str):
    return [(f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind is Kind.PER_UNIT]


def test_monthly_subsidy_is_the_amount_over_the_cases(tmp_path: Path):
    # 01.txt, a 市民政局 2021 summary: 7877094 ÷ 126343 = 62.35, not 61.3
    text = "XX年111月保障对象126343人次,发放保障金7877094元,人均月补差61.3元,其中本级对象90851人次"
    found = [f for f in _findings(tmp_path, text) if f.kind is Kind.PER_UNIT]
    assert [(f.verdict, f.number) for f in found] == [(Verdict.INCONSISTENT, Decimal("61.3"))]


# 20.txt, a 区民政局 2018 half-year summary: the 人 of "累计保障43072户、79612人" are person-months like 人次
CUMULATIVE = "今年 1-6 月份城市低保累计保障 43072 户、79612人、2221.35 万元,月人均补差达 279.06 元。"


def test_monthly_subsidy_over_the_persons_of_a_cumulative_household_pair(tmp_path: Path):
    found = _per_unit(tmp_path, CUMULATIVE)
    assert found == [(Verdict.INCONSISTENT, "2221.35万元÷79612人 = 279.0220元")]


def test_persons_not_counted_cumulatively_are_no_base_for_a_monthly_figure(tmp_path: Path):
    found = _per_unit(tmp_path, CUMULATIVE.replace("累计", ""))
    assert [v for v, _ in found] == [Verdict.UNCHECKABLE]


def test_fewer_persons_than_households_a_measure_touched_is_no_error(tmp_path: Path):
    # 20.txt: the persons whose standard was lowered are not all the members of the 74 households
    text = "对因家庭生活得到改善而降低保障标准 74 户、68 人、减少保障金额 0.74 万元,取消城市低保对象 320 户、553 人。"
    found = [(f.verdict, f.number) for f in _findings(tmp_path, text) if f.kind is Kind.HOUSEHOLDS]
    assert found == [(Verdict.UNCHECKABLE, Decimal("68")), (Verdict.CONSISTENT, Decimal("553"))]
    # the same figures counting recipients are an error: a household has at least one member
    wrong = [
        f.verdict for f in _findings(tmp_path, "取消城市低保对象 74 户、68 人。") if f.kind is Kind.HOUSEHOLDS
    ]
    assert wrong == [Verdict.INCONSISTENT]


def test_pages_of_a_shared_document_are_joined_across_a_figure(tmp_path: Path):
    # 20.txt as retrieved: one page a line, each opening with its number; page 2 starts inside 79612人
    lines = (REAL / "20.txt").read_text("utf-8").splitlines()
    found = _findings(tmp_path, "\n".join(lines))
    assert {(f.kind, f.number, f.verdict) for f in found} >= {
        (Kind.HOUSEHOLDS, Decimal("79612"), Verdict.CONSISTENT),
        (Kind.PER_UNIT, Decimal("279.06"), Verdict.INCONSISTENT),
    }


def test_a_numbered_list_is_not_taken_for_pages(tmp_path: Path):
    # a numbered item shorter than a page is not one, even when it stops mid-sentence: "2、12人" stays 12人
    text = "1、全县城市低保对象 430 户、796\n2、12人,占比 3.2%。\n"
    assert Decimal("79612") not in {f.number for f in _findings(tmp_path, text)}


# 10.txt, 北京晨报 2007: 112.9万张 ÷ 1.43亿 × 1000 = 7.9, not 8.4 (the 亿 without a unit, 才 before 拥有)
ELDERLY = (
    "目前我国60岁以上的老年人口已达1.43亿,而全国3.8万个老年人社会福利机构共有床位数112.9万张,"
    "平均每千名60岁以上的老年人才拥有床位8.4张。"
)


def test_a_population_in_yi_without_a_unit_is_a_count_of_persons(tmp_path: Path):
    found = _per_unit(tmp_path, ELDERLY)
    assert found == [(Verdict.INCONSISTENT, "112.9万张÷1.43亿人×1000 = 7.895张")]


def test_a_bare_yi_after_another_noun_is_no_quantity(tmp_path: Path):
    found = _per_unit(tmp_path, ELDERLY.replace("老年人口", "养老服务投入"))
    assert [v for v, _ in found] == [Verdict.UNCHECKABLE]  # no population: nothing to divide by


UNCERTAIN_BASES = {
    # 02.txt: 27.2% is of 市本级 (41878人), never of the 全市 57374人 the sentence opens with
    "named base": "全市城市低保对象33087户57374人,其中市本级23502户41878人,双矿集团低保对象6273户11381人,"
    "占市本级低保对象27.2%;农村低保对象25070户42469人",
    # 09.txt: 占总人口的 with no 总人口 printed
    "total population": "截至2018年年底,我国60 周岁及以上人口达到约2.49 亿人,占总人口的17.9%;"
    "其中65周岁及以上人口16658 万人(约1.67 亿人),占总人口的11.9%",
    # 13.txt: 318.4万人 are the elderly in care, not the 老年人口 the 27.2张 is counted over
    "per thousand": "各类养老床位577.8万张,比上年增长17.0%(每千名老年人拥有养老床位27.2张,比上年增长11.5%),"
    "其中社区留宿和日间照料床位187.5万张;年末收留抚养老年人318.4万人,比上年增长4.2%。",
}


def test_a_named_base_is_the_figure_whose_whole_noun_it_contains(tmp_path: Path):
    # 02.txt: 市本级 (41878人) is the whole of its noun inside 市本级低保对象; 城市低保对象 shares only 低保对象
    found = [f for f in _findings(tmp_path, UNCERTAIN_BASES["named base"]) if f.kind is Kind.RATE]
    assert [(f.verdict, f.computed) for f in found] == [(Verdict.CONSISTENT, "11381人÷41878人 = 27.177%")]


def test_the_subjects_counterpart_after_qizhong_is_no_part_of_it(tmp_path: Path):
    # 02.txt: after "城市低保对象…，其中…；" comes 农村低保对象25070户, the counterpart of the subject, not its part
    wholes = [(n, c) for n, _, c in _parts(tmp_path, UNCERTAIN_BASES["named base"]) if n == Decimal("33087")]
    assert wholes == [(Decimal("33087"), "最大的部分 23502户，不超过总数（未列全，不要求相加）")]


@pytest.mark.parametrize("text", UNCERTAIN_BASES.values(), ids=UNCERTAIN_BASES.keys())
def test_a_base_the_text_does_not_print_is_never_inconsistent(tmp_path: Path, text: str):
    assert not [f for f in _findings(tmp_path, text) if f.verdict is Verdict.INCONSISTENT]


def test_parts_not_marked_complete_that_add_up_are_a_checked_sum(tmp_path: Path):
    # 02.txt: 低保, 医疗救助 and 临时救助 cases of 双矿集团
    text = (
        "已救助符合条件的人员9574户15126人,其中:符合低保条件的1122户3229人,发放低保资金954.25万元;"
        "符合医疗救助1365户1849人发放医疗救助资金137万元。"
    )
    parts = [f for f in _findings(tmp_path, text) if f.kind is Kind.PARTS]
    assert parts and all(f.verdict is Verdict.CONSISTENT for f in parts)


def _parts(tmp_path: Path, text: str):
    return [(f.number, f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind is Kind.PARTS]


def test_a_rate_or_change_beside_a_part_does_not_end_the_list(tmp_path: Path):
    # 12.txt, 民政部 2013 统计公报: the two kinds of hospital, each with its beds and growth
    text = (
        "全国民政部门管理的智障与精神疾病服务机构共有261个。其中社会福利医院(精神病院)155个,床位数4.5万张,"
        "比上年增长9.7%,年末收养各类人员3.7万人;复退军人精神病院106个,床位数2.9万张,比上年增长11.5%,"
        "年末收养各类人员2.3万人。"
    )
    assert _parts(tmp_path, text) == [(Decimal("261"), Verdict.CONSISTENT, "155个+106个 = 261个")]


# 18.txt, 德钦县 2025年10月 特困人员信息公开
TEKUN = (
    "2025年10月份全县共有城乡分散供养特困人员共711户718人,其中农村特困713人,城市特困5人;"
    "特困人员中照料护理补贴一档(完全丧失生活自理能力)人数45人;二档(部分丧失生活自理能力)人数213人,"
    "三档(具备生活自理能力)人数460人。"
)


def test_a_part_read_past_a_change_never_exceeds_its_whole_alone(tmp_path: Path):
    # 12.txt with a third figure after the second part's growth: the list may have run into a new subject, so a
    # part above the whole is no error — the parts are only reported when they add up
    text = (
        "全国民政部门管理的智障与精神疾病服务机构共有261个。其中社会福利医院(精神病院)155个,床位数4.5万张,"
        "比上年增长9.7%;各类养老服务机构和设施11.6万个。"
    )
    assert _parts(tmp_path, text) == []


def test_a_group_named_again_with_zhong_opens_parts_of_that_group(tmp_path: Path):
    assert _parts(tmp_path, TEKUN) == [
        (Decimal("718"), Verdict.CONSISTENT, "713人+5人 = 718人"),
        (Decimal("718"), Verdict.CONSISTENT, "45人+213人+460人 = 718人"),
    ]


def test_a_group_with_zhong_takes_no_whole_of_another_noun(tmp_path: Path):
    # the nearest figure before "特困人员中" is 城市特困5人: not the group named, so not the whole
    text = TEKUN.replace("城乡分散供养特困人员共", "城乡分散供养对象共")
    assert [n for n, *_ in _parts(tmp_path, text)] == [Decimal("718")]


def test_a_complementary_pair_exhausts_its_whole(tmp_path: Path):
    # 02.txt: 本级五保对象161人 after 集中供养 + 分散供养 is a new subject, not a third part
    text = "全市五保对象2719人,其中集中供养973人,分散供养1746人,本级五保对象161人,其中集中供养63人,分散供养98人。"
    assert _parts(tmp_path, text) == [
        (Decimal("2719"), Verdict.CONSISTENT, "973人+1746人 = 2719人"),
        (Decimal("161"), Verdict.CONSISTENT, "63人+98人 = 161人"),
    ]


def _changes(tmp_path: Path, text: str):
    kinds = (Kind.DIRECTION, Kind.GROWTH)
    return [(f.kind, f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind in kinds]


def test_pinyin_is_dropped_and_a_period_may_stand_after_dao(tmp_path: Path):
    # 16.txt, 国家统计局 2019 as scraped: "發(fā)生率", and 下降到2018年末的1.7%
    text = "農村貧困發(fā)生率也從2012年末的10.2%下降到2018年末的1.7%,。"
    assert _changes(tmp_path, text) == [(Kind.DIRECTION, Verdict.CONSISTENT, "10.2% → 1.7%，实为下降")]


# 17.txt, 国务院扶贫办 2019: 9899 − 1660 = 8239万, which 8000多万 (8000万 to 9000万) covers
POVERTY = "我国贫困人口从2012年的9899万人减少到2018年的1660万人,6年时间减少8000多万人。"


def test_an_approximate_figure_is_the_interval_it_names(tmp_path: Path):
    assert _changes(tmp_path, POVERTY) == [
        (Kind.DIRECTION, Verdict.CONSISTENT, "9899万人 → 1660万人，实为下降"),
        (Kind.GROWTH, Verdict.CONSISTENT, "1660万人−9899万人 = 8239万人"),
    ]
    # the interval is no wider than 多 says: 7000多万 is 7000万 to 8000万, and 8239万 is past it
    wrong = _changes(tmp_path, POVERTY.replace("8000多", "7000多"))
    assert [v for _, v, _ in wrong] == [Verdict.CONSISTENT, Verdict.INCONSISTENT]


# 09.txt, a 2019 paper on 养老机构 quoting the 社会服务发展统计公报: no 由/从, the years say which figure is earlier
BEDS = (
    "2006年各类养老床位仅153.5 万张,截至2017年底,床位数已增长至744.8 万张,11年间共增长591.3 万张;"
    "2011年,我国每千名老人仅拥有养老床位19.1 张,2016年最高增长至31.6 张。"
)


def test_a_figure_dated_earlier_is_the_start_of_a_change(tmp_path: Path):
    assert _changes(tmp_path, BEDS) == [
        (Kind.DIRECTION, Verdict.CONSISTENT, "153.5万张 → 744.8万张，实为上升"),
        (Kind.GROWTH, Verdict.CONSISTENT, "744.8万张−153.5万张 = 591.3万张"),
        (Kind.DIRECTION, Verdict.CONSISTENT, "19.1张 → 31.6张，实为上升"),
    ]


def test_a_dated_end_of_another_noun_is_no_change(tmp_path: Path):
    # 护理型床位 are not the 各类养老床位 of 2006: no change between them, whatever the verb
    text = "2006年各类养老床位仅153.5 万张,截至2017年底,护理型床位已增长至74.8 万张。"
    assert _changes(tmp_path, text) == []


def test_a_span_of_years_dates_no_figure(tmp_path: Path):
    # "2006-2017年…" dates nothing as 2006: the nearest year before the start is 2017, no earlier than 截至2017年底
    text = "2006-2017年各类养老床位共153.5万张,截至2017年底,床位数已增长至744.8万张。"
    assert _changes(tmp_path, text) == []


def test_a_figure_in_brackets_with_more_than_itself_restates_nothing(tmp_path: Path):
    text = "全县低保对象3.2万人(8000人在城区)。"
    assert _per_unit(tmp_path, text) == []


def test_a_figure_restated_in_another_multiple(tmp_path: Path):
    # 09.txt: 16658万人 is 1.6658亿, which 约1.67亿 rounds; the restatement is not a second part of the 其中
    text = (
        "我国60 周岁及以上人口达到约2.49 亿人,占总人口的17.9%;其中65周岁及以上人口16658 万人(约1.67 亿人)。"
    )
    found = [(f.kind, f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind is not Kind.RATE]
    assert found == [
        (Kind.PARTS, Verdict.CONSISTENT, "最大的部分 16658万人，不超过总数（未列全，不要求相加）"),
        (Kind.PER_UNIT, Verdict.CONSISTENT, "16658万人 = 1.6658亿人"),
    ]
    wrong = _findings(tmp_path, text.replace("约1.67", "约1.76"))
    assert [f.verdict for f in wrong if f.kind is Kind.PER_UNIT] == [Verdict.INCONSISTENT]


# 16.txt, 国家统计局 2019 as scraped (",、" and all): one figure a year, and their 累计 in the next sentence
YEARS = (
    "2013至2018年我國農村減貧人數分別為1650萬人、1232萬人,、1442萬人,、1240萬人、1289萬人,、1386萬人,,"
    "每年減貧人數均保持在1000萬以上。六年來,,農村已累計減貧8239萬人。"
)


def test_a_respectively_list_adds_up_to_its_cumulative_total(tmp_path: Path):
    assert _parts(tmp_path, YEARS) == [
        (
            Decimal("8239"),
            Verdict.CONSISTENT,
            "1650万人+1232万人+1442万人+1240万人+1289万人+1386万人 = 8239万人",
        )
    ]


def test_a_respectively_list_is_no_part_of_a_total_of_another_flow(tmp_path: Path):
    # 累计救助 is not what the list counts (减贫): no whole, whatever the figures
    assert _parts(tmp_path, YEARS.replace("累計減貧", "累計救助")) == []


def test_a_respectively_list_short_of_its_total_is_only_a_bound(tmp_path: Path):
    # 累计 may reach further back than the years listed: short of it is no error, past it is
    short = _parts(tmp_path, YEARS.replace("8239", "9239"))
    assert [(v, c.startswith("最大的部分")) for _, v, c in short] == [(Verdict.CONSISTENT, True)]
    over = _parts(tmp_path, YEARS.replace("8239", "7239"))
    assert [v for _, v, _ in over] == [Verdict.INCONSISTENT]


# 15.txt, 人民日报 2018 on 国家统计局's 农村贫困监测: the whole in one paragraph, its regions in the next
REGIONS = """2017年末,全國農村貧困人口3046萬人,比2016年末減少1289萬人;貧困發(fā)生率3.1%,比上年末下降1.4個百分點。

分三大區(qū)域看,2017年東、中、西部地區(qū)農村貧困人口全面減少。東部地區(qū)農村貧困人口300萬人,比上年減少190萬人;中部地區(qū)農村貧困人口1112萬人,比上年減少482萬人;西部地區(qū)農村貧困人口1634萬人,比上年減少617萬人。
"""


def test_a_breakdown_paragraph_splits_the_whole_before_it(tmp_path: Path):
    assert _parts(tmp_path, REGIONS) == [
        (Decimal("3046"), Verdict.CONSISTENT, "300万人+1112万人+1634万人 = 3046万人"),
        (Decimal("1289"), Verdict.CONSISTENT, "190万人+482万人+617万人 = 1289万人"),
    ]
    over = _parts(tmp_path, REGIONS.replace("1634萬人", "1734萬人"))
    assert [v for _, v, _ in over] == [Verdict.INCONSISTENT, Verdict.CONSISTENT]


def test_a_breakdown_by_nested_ranges_is_no_split(tmp_path: Path):
    # 60岁以上 and 80岁以上 overlap: a breakdown by age bounds is no set of disjoint categories
    text = (
        "全国老年人口2.5亿人。\n\n分年龄看,60岁以上老年人口2.49亿人,比上年增加859万人;"
        "80岁以上老年人口0.3亿人,比上年增加100万人。\n"
    )
    assert _parts(tmp_path, text) == []


def test_a_breakdown_needs_its_opening_and_one_certain_whole(tmp_path: Path):
    # without "分…看" the next paragraph is a new subject; with two figures of the noun before, no whole is certain
    assert _parts(tmp_path, REGIONS.replace("分三大區(qū)域看,", "")) == []
    two = REGIONS.replace("3046萬人,", "3046萬人,城鎮農村貧困人口12萬人,")
    assert _parts(tmp_path, two) == []
    # a breakdown of another year is no breakdown of this one
    assert _parts(tmp_path, REGIONS.replace("2017年東", "2015年東")) == []


# 08.txt, 2016 news on 民政部's 2015 公报: the beds in one paragraph, the population two lines on
BULLETIN = """  民政部近日發布的《2015年社會服務發展統計公報》顯示,截至2015年年底,全國有各類養老服務機構和設施11.6萬個,比上年增長23.4%。全國有各類養老床位672.7萬張,比上年增長16.4%;每千名老年人擁有養老床位30.3張,比上年增長11.4%。

  《公報》指出,截至2015年年底,全國60歲及以上老年人口達22200萬人,占總人口的16.1%。
"""


def test_a_per_thousand_figure_takes_its_population_from_a_paragraph_nearby(tmp_path: Path):
    assert _per_unit(tmp_path, BULLETIN) == [(Verdict.CONSISTENT, "672.7万张÷22200万人×1000 = 30.302张")]


def test_a_population_of_another_year_nearby_is_no_base(tmp_path: Path):
    text = BULLETIN.replace("指出,截至2015年年底", "指出,截至2014年年底")
    assert [v for v, _ in _per_unit(tmp_path, text)] == [Verdict.UNCHECKABLE]


def test_a_yearly_average_is_the_cumulative_total_over_the_years(tmp_path: Path):
    # 16.txt: 六年来 in Chinese numerals
    text = "六年來,農村已累計減貧8239萬人,,年均減貧1373萬人。"
    assert _per_unit(tmp_path, text) == [(Verdict.CONSISTENT, "8239万人÷6年 = 1373.17万人")]
    assert _per_unit(tmp_path, text.replace("六年", "十一年")) == [
        (Verdict.INCONSISTENT, "8239万人÷11年 = 749万人")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "六年来,全县共有低保对象8239人,年均新增1373人。",  # a stock has no yearly average
        "农村已累计减贫8239万人,年均减贫1373万人。",  # no span of years stated
    ],
)
def test_no_yearly_average_without_a_cumulative_flow_and_its_years(tmp_path: Path, text: str):
    assert _per_unit(tmp_path, text) == []


def _table(tmp_path: Path, text: str):
    return [(f.kind, f.number, f.verdict) for f in _findings(tmp_path, text) if f.location.startswith("表")]


# 06.txt, 福建省民政厅 社会服务统计月报 2020年1月 (lines as retrieved)
MONTHLY = """| 指标名称 | 单位 | 数量 | 上期 | 环比 |
| 甲 | 丙 | 1 | 2 | 3 |
| (一)民政事业费累计支出 | 万元 | 76,164.3 | 714,496.8 | -89.34 |
| 1.社会福利 | 万元 | 17,122.5 | 211,426.2 | -91.90 |
| 2.社会救助 | 万元 | 37,321.9 | 366,176.2 | -89.81 |
| 最低生活保障 | 万元 | 24,991.9 | 223,535.6 | -88.82 |
| A 城市低保累计支出 | 万元 | 4,546.5 | 36,059.9 | -87.39 |
| I 城市低保金 | 万元 | 3,011.3 | 33,495.7 | -91.01 |
| II 城市低保临时补助 | 万元 | 1,535.2 | 2,564.2 | -40.13 |
| B 农村低保累计支出 | 万元 | 20,445.4 | 187,475.7 | -89.09 |
| 3.民政管理事务 | 万元 | 8,252.1 | 76,080.4 | -89.15 |
| 4.行政事业单位离退休 | 万元 | 3,209.5 | 8,785.7 | -63.47 |
| 5.其他 | 万元 | 10,258.3 | 52,028.3 | -80.28 |
"""


def test_outline_rows_sum_to_their_parent_one_level_up(tmp_path: Path):
    found = _table(tmp_path, MONTHLY)
    sums = {(n, v) for k, n, v in found if k is Kind.PARTS}
    ok = Verdict.CONSISTENT
    # (二) = 1.–5.; 最低生活保障 (unnumbered, under 2.) = A + B; A = I + II; in both period columns
    assert {(Decimal("76164.3"), ok), (Decimal("714496.8"), ok), (Decimal("24991.9"), ok)} <= sums
    assert {(Decimal("4546.5"), ok), (Decimal("36059.9"), ok)} <= sums
    assert Decimal("37321.9") not in {n for n, _ in sums}  # 2.社会救助 has one child: nothing to add up
    growth = [(n, v) for k, n, v in found if k is Kind.GROWTH]
    assert len(growth) == 11 and all(
        v is ok for _, v in growth
    )  # the 甲 丙 1 2 3 row is not a row of figures


def _monthly_rows() -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in MONTHLY.strip().splitlines()]


def test_a_statistical_table_in_docx_is_checked_as_in_text(tmp_path: Path):
    path = docx_with_table(
        tmp_path / "monthly.docx", "福建省民政厅 社会服务统计月报 2020年1月", _monthly_rows()
    )
    found = [(f.kind, f.number, f.verdict) for f in audit_file(path)]
    assert found == _table(tmp_path, MONTHLY)


def test_a_statistical_table_in_xlsx_is_checked_with_its_sheet_and_row(tmp_path: Path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2020年1月"
    for r, cells in enumerate(_monthly_rows(), 1):
        for c, text in enumerate(cells, 1):
            plain = text.replace(",", "")
            number = plain.lstrip("-").replace(".", "", 1).isdigit() and r > 2
            sheet.cell(r + (r > 2), c, float(plain) if number else text)  # a blank row 3, as sheets have
    book.save(tmp_path / "monthly.xlsx")
    found = audit_file(tmp_path / "monthly.xlsx")
    assert [(f.kind, f.number, f.verdict) for f in found] == _table(tmp_path, MONTHLY)
    assert found[0].location == "工作表“2020年1月”第4行"  # (一)民政事业费累计支出, below the blank row


def test_a_statistical_table_in_pdf_is_read_line_by_line(tmp_path: Path):
    # a PDF keeps no table: pdfminer gives pieces such as "万元 4,546.5" and "36,059.9 -87.39" on one baseline
    import weasyprint

    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in _monthly_rows())
    html = (
        "<style>td { border: 1px solid; padding: 2px 4px } td + td { text-align: right }</style>"
        f"<p>福建省民政厅社会服务统计月报（2020年1月）</p><table>{cells}</table><p>注：本表数据为快报数。</p>"
    )
    weasyprint.HTML(string=html).write_pdf(tmp_path / "monthly.pdf")
    found = [(f.kind, f.number, f.verdict) for f in audit_file(tmp_path / "monthly.pdf")]
    assert found == _table(tmp_path, MONTHLY)  # the column-number row 甲 丙 1 2 3 is no row of figures


# 04.txt, 福建省民政厅 社会服务统计月报 2017年7月 (space-separated, as retrieved)
FLOWS = """指标名称 单位 数量 上期 环比
(1)城市低保人数 75,616 75,916 -0.40
其中:当月新增城市低保人数 553
当月退出城市低保人数 853
城市低保户数 47,396 47,596 -0.42
"""


def test_a_stock_row_with_this_months_flows_under_it(tmp_path: Path):
    found = [(f.kind, f.verdict, f.computed) for f in _findings(tmp_path, FLOWS) if f.kind is Kind.STOCK_FLOW]
    assert found == [(Kind.STOCK_FLOW, Verdict.CONSISTENT, "上期 75916 + 553 − 853 = 75616")]
    wrong = _findings(tmp_path, FLOWS.replace("853", "835"))
    assert [f.verdict for f in wrong if f.kind is Kind.STOCK_FLOW] == [Verdict.INCONSISTENT]


@pytest.mark.parametrize(
    ("old", "new"),
    [("上期", "上年同期"), ("当月退出", "累计退出")],
    ids=["flows do not reach a year back", "flows not said to be this month's"],
)
def test_flows_bridge_only_the_previous_period(tmp_path: Path, old: str, new: str):
    found = _findings(tmp_path, FLOWS.replace(old, new))
    assert not [f for f in found if f.kind is Kind.STOCK_FLOW]


def test_a_figure_shifted_into_the_unit_column_is_put_back(tmp_path: Path):
    # 27.txt, 民政事业统计季报表 2020年3月: the row lost its empty unit cell
    text = """| 指标名称 | 单位 | 数量 |
| (1)困境儿童 | 487,828 | |
| A贫困家庭儿童 | 人 | 476,907 |
| B自身残疾儿童 | 人 | 1,227 |
| C事实无人抚养儿童 | 人 | 9,694 |
"""
    assert _table(tmp_path, text) == [(Kind.PARTS, Decimal("487828"), Verdict.CONSISTENT)]


# 28.txt, 民政部 社会服务统计季报 2013年4季度: a header with a space between every character, and unnumbered rows
# that name the row above again with a qualifier
ORPHANS = """指 标 单 位 数 量
(二)不提供食宿的社会服务
1.儿童收养与救助
孤儿数 万人 55.6
集中供养孤儿 万人 9.4
社会散居孤儿 万人 46.1
收养登记 件 21399
"""


def test_rows_naming_the_row_above_again_are_its_items(tmp_path: Path):
    assert _table(tmp_path, ORPHANS) == [
        (Kind.PARTS, Decimal("55.6"), Verdict.CONSISTENT)
    ]  # 9.4 + 46.1 = 55.5


@pytest.mark.parametrize("scattered", ["36.1", "56.1"], ids=["short", "over"])
def test_items_named_again_that_do_not_add_up_are_left_alone(tmp_path: Path, scattered: str):
    # not known to be all the items, nor disjoint: short of the row or over it, nothing is said
    assert _table(tmp_path, ORPHANS.replace("46.1", scattered)) == []


def test_outline_children_above_their_parent_are_inconsistent(tmp_path: Path):
    # 06.txt: the 上期 column keeps 1,107 while 乡 went from 270 to 251: 653 + 270 + 19 + 184 = 1126
    text = """| 指标名称 | 单位 | 数量 | 上期 | 环比 |
| (一)行政区划 | ||||
| 乡镇级合计 | 个 | 1,107 | 1,107 | |
| 1.镇 | 个 | 653 | 653 | |
| 2.乡 | 个 | 251 | 270 | -7.04 |
| 3.民族乡 | 个 | 19 | 19 | |
| 6.街道 | 个 | 184 | 184 | |
"""
    found = _table(tmp_path, text)
    parts = [v for k, _, v in found if k is Kind.PARTS]
    assert parts == [Verdict.CONSISTENT, Verdict.INCONSISTENT]
    assert (Kind.GROWTH, Decimal("-7.04"), Verdict.CONSISTENT) in found


def test_qizhong_items_and_short_lists_are_not_summed(tmp_path: Path):
    # 03.txt: 1.社会福利's (1)–(3) are 其中 items; 2.社会救助's (1)–(3) do not list everything (405368.6 < 413393.4)
    text = """| 指标名称 | 单位 | 数量 |
| 1.社会福利 | 万元 | 56,507.5 |
| 其中:(1)儿童福利 | 万元 | 11,886.3 |
| (2)老年人福利 | 万元 | 15,216.1 |
| (3)残疾人福利 | 万元 | 18,004.2 |
| 2.社会救助 | 万元 | 413,393.4 |
| (1)最低生活保障 | 万元 | 349,123.7 |
| (2)特困人员救助供养支出 | 万元 | 42,544.9 |
| (3)临时救助支出 | 万元 | 13,700.0 |
"""
    assert _table(tmp_path, text) == []


def test_cells_scraped_one_a_line_are_cut_into_rows_by_the_header(tmp_path: Path):
    # 07.txt, 东莞市 社会服务统计季报表 2018年9月: 环比 is against 上季度, the column on its left, not 上月
    text = "| 指标名称 |\n单位 |\n数量 |\n上季度 |\n环比 |\n上月 |\n| 甲 |\n乙 |\n1 |\n2 |\n3 |\n4 |\n"
    text += "| 2.退役安置 |\n万元 |\n7,028.0 |\n10.0 |\n70,180.00 |\n3,717.2 |\n"
    assert _table(tmp_path, text) == [(Kind.GROWTH, Decimal("70180.00"), Verdict.CONSISTENT)]


def test_space_separated_columns_under_a_year_header(tmp_path: Path):
    # 11.txt, 民政部 民政事业发展主要统计指标 2006: 777.2 ÷ 365.5 is +112.6%, not the 91.4 printed
    text = """    Item 2005 2006 2006年比
  農村居民最低生活保障人數    Number of Persons Receiving Lowest 825 1593.1 93.1
  農村居民最低生活保障戶數    Number of Households Receiving Lowest 365.5 777.2 91.4
  農村最低生活保障平均標準    Average Standard of Lowest Cost-of-living 76 70.9 -6.7
"""
    assert _table(tmp_path, text) == [
        (Kind.GROWTH, Decimal("93.1"), Verdict.CONSISTENT),
        (Kind.GROWTH, Decimal("91.4"), Verdict.INCONSISTENT),
        (Kind.GROWTH, Decimal("-6.7"), Verdict.CONSISTENT),
    ]


def test_a_yearbook_total_over_picked_items_is_only_a_bound(tmp_path: Path):
    # 22.txt, 福建统计年鉴2018 表18-3: #光荣院 under 合计 marks the rows as items picked out of the total
    text = """| 项目 | 2011 | 2012 | 2013 | 2014 | 2015 | 2016 | 2017 |
| 合计 | 1173 | 1362 | 1235 | 494 | 440 | 432 | 440 |
| #光荣院 | 57 | 57 | 56 | 50 | 26 | 25 | 24 |
| 社会福利院 | 70 | 73 | 73 | 69 | 66 | 65 | 65 |
| 城市养老服务机构 | 129 | 153 | 171 | 112 | 118 | 117 | 117 |
"""
    assert _table(tmp_path, text) == []


def test_two_unnumbered_heads_side_by_side_are_siblings(tmp_path: Path):
    # held_out/04.txt (福建省民政厅 2017年6月; the held-out part was measured before this rule and is spent):
    # 城市低保支出 and 农村低保支出 each head a (1)(2) list; 农村特困人员救助供养支出, unnumbered and heading
    # nothing, has no certain place — so 2.社会救助支出's list is not known to be whole and is not required to
    # reach it, while each head is its own (1) + (2).
    text = """指标名称 单位 数量 上期 环比
2.社会救助支出 万元 164,547.9 152,105.7 8.18
城市低保支出 万元 22,273.8 19,297.7 15.42
(1)城市低保金 万元 20,632.5 17,671.4 16.76
(2)城市低保临时补助 万元 1,641.3 1,626.3 0.92
农村低保支出 万元 79,118.2 66,415.2 19.13
(1)农村低保金 万元 72,972.4 60,358.0 20.90
(2)农村低保临时补助 万元 6,145.8 6,057.2 1.46
农村特困人员救助供养支出 万元 35,643.7 29,523.9 20.73
3.自然灾害生活救助支出 万元 18,056.5 15,458.8 16.80
"""
    sums = {(n, v) for k, n, v in _table(tmp_path, text) if k is Kind.PARTS}
    ok = Verdict.CONSISTENT
    assert {(Decimal("22273.8"), ok), (Decimal("79118.2"), ok), (Decimal("66415.2"), ok)} <= sums
    assert not [s for s in sums if s[1] is Verdict.INCONSISTENT]


# Precision: a 不一致 only where the operands are certain (the false alarms of 43–68 when it was a test part).


def _verdicts(tmp_path: Path, text: str, kind: Kind):
    return [(f.verdict, f.number) for f in _findings(tmp_path, text) if f.kind is kind]


def test_a_per_thousand_figure_is_no_whole_of_a_bracket(tmp_path: Path):
    # 67.txt: the 每千位老人 figure's noun is in the clause before it; the bracket restates it for 深圳
    text = (
        "养老床位数最多的是重庆，达到12.8万张；每千位老人拥有的养老床位数最高的是杭州，达到32.5张（深圳如果按户籍"
        "人口数计算，可以33.7张挤下头名杭州，但算上非户籍老人，这个数字仅为6.5张）。"
    )
    assert _verdicts(tmp_path, text, Kind.PARTS) == []
    # a bracket after a count is its parts
    found = _verdicts(tmp_path, "上海全市养老床位数达到105215张（公办50900张、民办54315张）。", Kind.PARTS)
    assert found == [(Verdict.CONSISTENT, Decimal("105215"))]


def test_a_whole_that_names_nothing_is_no_whole_to_exceed(tmp_path: Path):
    # 60.txt: a 文库 page mark "2、" cut 40466个 into 40 and 466个
    text = "2、466个（其中区公所个，镇9683个，乡2395个，苏木16个，民族乡1085个，民族苏木1个，街道194个）。"
    assert _verdicts(tmp_path, text, Kind.PARTS) == []
    # the same page's 省级行政区划单位, digits deleted by the template: its parts exceed a whole it names
    text = "全国共有省级行政区划单位4个（其中直辖市4个，省3个，自治区5个，特别行政区2个）。"
    assert _verdicts(tmp_path, text, Kind.PARTS) == [(Verdict.INCONSISTENT, Decimal("4"))]


def test_figures_given_respectively_are_not_the_quotient_of_the_totals(tmp_path: Path):
    # 64.txt: 193.26 and 88.78 are 城市's and 农村's; 47912.37万元 ÷ 3677950人次 is both together
    text = "全年累计保障人数3677950人次，累计支出低保金47912.37万元，城乡低保累计人均月补助分别达到193.26元和88.78元。"
    assert [v for v, _ in _verdicts(tmp_path, text, Kind.PER_UNIT)] == [Verdict.UNCHECKABLE] * 2
    one = text.replace("分别达到193.26元和88.78元", "达到130.27元")
    assert _verdicts(tmp_path, one, Kind.PER_UNIT) == [(Verdict.CONSISTENT, Decimal("130.27"))]


def test_a_parts_bare_share_after_the_wholes_own_share_has_no_certain_base(tmp_path: Path):
    # 66.txt: 15.93% is 市区老年人口 over 市区总人口, as 14.7% is 老年人口 over 总人口; not 24.24 ÷ 84.77
    text = "全市60岁以上老年人口84.77万人，占总人口的14.7%，其中市区老年人口24.24万人，占15.93%。"
    assert Verdict.INCONSISTENT not in [v for v, _ in _verdicts(tmp_path, text, Kind.RATE)]
    share = "全市60岁以上老年人口84.77万人，其中市区老年人口24.24万人，占28.60%。"
    assert _verdicts(tmp_path, share, Kind.RATE) == [(Verdict.CONSISTENT, Decimal("28.60"))]


# Recall: the phrasings 43–68 use, each on its real sentence and, where it could cry wolf, where it must stay silent.


def test_a_figure_against_its_target(tmp_path: Path):
    # 64.txt: 完成目标任务T的P% = figure ÷ T; two targets after a 分别 list take its figures in order
    text = (
        "城乡低保累计人均月补助分别达到193.26元和88.78元，完成目标任务170元的113.7%、72元的123%。"
        "集中供养五保对象达14117人，集中供养率达到65.3%，完成目标任务62%的103%。"
    )
    assert _verdicts(tmp_path, text, Kind.RATE) == [
        (Verdict.CONSISTENT, Decimal("113.7")),
        (Verdict.CONSISTENT, Decimal("123")),
        (Verdict.INCONSISTENT, Decimal("103")),  # 65.3 ÷ 62 = 105.3%: a published error
    ]


def test_a_target_without_its_figure_or_after_a_part_is_left_alone(tmp_path: Path):
    # 31.txt: no target printed; and a 其中 part before 完成 is not the figure the target is of
    assert _verdicts(tmp_path, "完成市政府下达全年任务的184%。", Kind.RATE) == []
    text = "全年救助1200人，其中城市200人，完成目标任务1000人的120%。"
    assert _verdicts(tmp_path, text, Kind.RATE) == []


def test_a_percentage_after_the_change_of_the_figure_before(tmp_path: Path):
    # 59.txt: 1109 ÷ (551 + 1109) = 66.8%; 45.txt: a change in 万 without a unit after a population so given;
    # 62.txt: a standard in 元/人、年
    texts = [
        "2019年末，全国农村贫困人口551万人，比上年末减少1109万人，下降66.8%；",
        "2016年全国农村贫困人口为4335万，较2015年减少1240万，降幅为22.2%，贫困发生率为4.5%。",
        "2012年全国农村低保平均标准2067.8元/人、年，比上年提高349.4元，增长20.3%；",
    ]
    found = [_verdicts(tmp_path, t, Kind.GROWTH) for t in texts]
    assert found == [
        [(Verdict.CONSISTENT, Decimal("66.8"))],
        [(Verdict.CONSISTENT, Decimal("22.2"))],
        [(Verdict.CONSISTENT, Decimal("20.3"))],
    ]
    # 58.txt: only the percentage right after the change is of it (实际增长 takes prices out)
    text = "农村居民人均可支配收入10371元，比上年增加994元，名义增长10.6%，扣除价格因素，实际增长8.3%。"
    assert _verdicts(tmp_path, text, Kind.GROWTH) == [(Verdict.CONSISTENT, Decimal("10.6"))]


def test_a_change_of_another_noun_is_not_the_figures_change(tmp_path: Path):
    text = "全市低保对象551人，城市特困人员比上年减少1109人，下降66.8%。"
    assert _verdicts(tmp_path, text, Kind.GROWTH) == []


def test_a_share_of_the_total_the_whole_is_said_to_be(tmp_path: Path):
    # 62.txt: 总支出 is the 共支出 figure the 其中 part belongs to
    text = "全年各级财政共支出农村低保资金718.0亿元，比上年增长7.5%，其中中央补助资金431.4亿元，占总支出的60.1%。"
    assert _verdicts(tmp_path, text, Kind.RATE) == [(Verdict.CONSISTENT, Decimal("60.1"))]


def test_a_qizhong_list_passes_the_averages_of_its_parts(tmp_path: Path):
    # 62.txt: 人均救助水平84元 is the first part's own
    text = (
        "2012年全年累计救助城市居民2077万人次，其中：民政部门资助参加城镇居民基本医疗保险1387.1万人次，人均救助水平84元；"
        "民政部门直接救助城市居民689.9万人次，人均医疗救助水平344.2元。"
    )
    assert _verdicts(tmp_path, text, Kind.PARTS) == [(Verdict.CONSISTENT, Decimal("2077"))]


QIZHONG_TWO_BACK = (
    "截至2012年底，全国有农村五保供养对象529.2万户，545.6万人，分别比上年下降0.2%和1.0%。"
    "全年各级财政共支出农村五保供养资金145.0亿元，比上年增长19.1%。"
    "其中：农村五保集中供养185.3万人，集中供养年平均标准为4060.9元/人；农村五保分散供养360.3万人。"
)


def test_a_qizhong_sentence_after_a_sentence_in_another_unit(tmp_path: Path):
    # 62.txt: the persons' whole is two sentences back, and names what the parts share (农村五保)
    assert _verdicts(tmp_path, QIZHONG_TWO_BACK, Kind.PARTS) == [(Verdict.CONSISTENT, Decimal("545.6"))]
    other = QIZHONG_TWO_BACK.replace("农村五保供养对象", "城市特困人员")
    assert _verdicts(tmp_path, other, Kind.PARTS) == []


def test_a_breakdown_sentence_within_the_paragraph(tmp_path: Path):
    # 45.txt: 分区域看 opens the paragraph's second sentence; its parts are of the first's 全国农村贫困人口
    text = (
        "2016年全国农村贫困人口为4335万，较2015年减少1240万。分区域看，中国贫困人口集中在中西部地区。"
        "2016年，中国东部地区农村贫困人口为490万，占全国农村贫困人口的11.3%；中部地区农村贫困人口为1594万；"
        "西部地区农村贫困人口为2251万。"
    )
    assert (Verdict.CONSISTENT, Decimal("4335")) in _verdicts(tmp_path, text, Kind.PARTS)


def _table_findings(tmp_path: Path, text: str):
    return [(f.verdict, f.number) for f in _findings(tmp_path, text) if f.location.startswith("表")]


YEARBOOK = """\
      item 2004 2005 2006
         total 1970 1847 1990
收养性社会福利单位 adopting social welfare institutions 894 806 815
  优抚类收养性单位   adopting institutions for martyrs 59 59 58
    荣誉军人康复医院     convalescent hospitals for honour armymen 1 1 1
    光荣院          homes for disabled veterans 58 57 57
  福利类收养性单位   welfare adopting insitutions 835 747 757
    社会福利院     social welfare homes 71 70 71
    儿童福利院     baby welfare homes 3 4 8
    精神病福利院     psychopathy welfare homes 17 16 12
    城镇收养性老年性福利机构     urban elderly adopting welfare units 116 112 89
    农村收养性老年性福利机构     rural elderly adopting welfare units 625 540 526
    其他收养性福利机构     other adopting welfare institutions 3 5 46
社会福利企业   social welfare enterprises 560 470 526
"""


def test_a_yearbook_table_whose_outline_is_its_indentation(tmp_path: Path):
    # 49.txt (福建统计年鉴2007 15-22), cut: the kinds of a row are the rows indented under it; a list ending in 其他
    # must reach its row (757 ≠ 752 in 2006, a published error), the total's are the least indented rows
    found = _table_findings(tmp_path, YEARBOOK)
    assert (Verdict.INCONSISTENT, Decimal("757")) in found
    assert (Verdict.CONSISTENT, Decimal("835")) in found and (Verdict.CONSISTENT, Decimal("59")) in found
    # the total's two rows shown here fall short of it, with no 其他 among them: nothing said
    assert [n for _, n in found if n in (1970, 1847, 1990)] == []


def test_rows_marked_hash_and_average_columns_are_not_summed(tmp_path: Path):
    # 52.txt, indented a level deeper: #女性 / #老年人 / #未成年人 / #残疾人 overlap; their sum exceeds the row
    text = """\
  农村最低生活保障人数(人) 713217 716811 452363 483970
    #女性    Female 194465 260786 199437 214693
    #老年人    Old People 174188 227503 122313 127951
    #未成年人    Minors 80935 78654 69723 77162
    #残疾人    Disabled Persons 85429 103180 91318 100460
"""
    assert _table_findings(tmp_path, text) == []
    # 47.txt's 年末床位利用率 beside counts: a column where the row lies between its kinds is a rate
    rates = """\
收养类单位 279.4 221.9 79.4
  优抚类收养单位 11.4 7.8 68.4
  福利类收养单位 268.0 214.1 79.9
"""
    assert _table_findings(tmp_path, rates) == [
        (Verdict.CONSISTENT, Decimal("279.4")),
        (Verdict.CONSISTENT, Decimal("221.9")),
    ]


def test_a_table_of_cells_one_a_line_with_a_yearly_average_growth(tmp_path: Path):
    # 63.txt (十一五 主要指标, as the page gives it): cells between lines of "|", rows ended by "||", a 序号 column, a
    # cell of three lines stacking three rows; 年均增长 compounds over 2005–2010: 154.3 → 320.8 is 15.76% a year,
    # printed 15.3 (a published error)
    lines = (REAL / "63.txt").read_text("utf-8").splitlines()[1:75]
    found = _table_findings(tmp_path, "\n".join(lines))
    assert found == [
        (Verdict.CONSISTENT, Decimal(n)) for n in ("30.29", "6.87", "6.31", "22.45", "15.47")
    ] + [(Verdict.INCONSISTENT, Decimal("15.3")), (Verdict.CONSISTENT, Decimal("9.34"))]


def test_a_growth_over_one_period_is_not_compounded(tmp_path: Path):
    # the same shape with 增长 over one year: (2697.5 − 718.4) ÷ 718.4
    text = "序号\n|\n指标\n|\n2009年\n|\n2010年\n|\n增长(%)\n|\n||\n1\n|\n民政事业费支出(亿元)\n|\n718.4\n|\n2697.5\n|\n275.49\n|\n||\n"
    assert _table_findings(tmp_path, text) == [(Verdict.CONSISTENT, Decimal("275.49"))]


def test_a_base_named_by_the_words_after_its_number(tmp_path: Path):
    # 53.txt: "158个行政村中" counts 行政村, the 行政村总数 of the rate
    text = "全县158个行政村中共有贫困村103个，占行政村总数的65.2%。"
    assert _verdicts(tmp_path, text, Kind.RATE) == [(Verdict.CONSISTENT, Decimal("65.2"))]


def test_a_total_is_the_figure_of_its_noun_that_is_no_part(tmp_path: Path):
    # 66.txt: 老年人口总数 is 84.77万人, not 市区老年人口, a 其中 part that also counts 老年人口
    text = (
        "截止2009年底，全市60岁以上老年人口84.77万人，占总人口的14.7%，其中市区老年人口24.24万人，占15.93%"
        "（城镇老年人口17.27万人，占老年人口总数的20.37%），远高于国际通行10%的标准。"
    )
    found = _verdicts(tmp_path, text, Kind.RATE)
    assert (Verdict.CONSISTENT, Decimal("20.37")) in found
    assert Verdict.INCONSISTENT not in [v for v, _ in found]


def _rows_of(found, kind_word: str):
    return [(f.verdict, f.number) for f in found if f.location.startswith("表") and f.kind is Kind(kind_word)]


def test_a_yearbook_page_one_cell_a_line_and_its_derived_columns(tmp_path: Path):
    # 47.txt (中国社会统计年鉴2008, 收养、救助类单位情况) as scraped: a cell a line with blank lines between, the header
    # unreadable; 增减% and 利用率 are known by what most rows say, then every row is checked
    text = (REAL / "47.txt").read_text("utf-8")
    found = _findings(tmp_path, text)
    growth, rates = _rows_of(found, "growth"), _rows_of(found, "rate")
    assert len(growth) == 22 and len(rates) == 12  # two rows print no 增减% of 收养救助人数
    assert {v for v, _ in growth + rates} == {Verdict.CONSISTENT}
    # 光荣院's 利用率 printed 59.6 instead of 65.9 (5.4 ÷ 8.2): that row alone disagrees
    wrong = _findings(tmp_path, text.replace("\n65.9\n", "\n59.6\n"))
    assert [n for v, n in _rows_of(wrong, "rate") if v is Verdict.INCONSISTENT] == [Decimal("59.6")]


def test_a_column_that_agrees_in_too_few_rows_is_not_taken_for_a_ratio(tmp_path: Path):
    # two rows agreeing (78.5 = 224.5 ÷ 286.1) may be chance: the third row's 97.9 is not called wrong
    rows = [
        ["全国合计", "National Total", "286.1", "224.5", "78.5"],
        ["收养类单位", "Adopting Social Welfare Institutions", "279.4", "221.9", "79.4"],
        ["  福利类收养单位", "Welfare Institutions", "268.0", "214.1", "97.9"],
    ]
    cells = ["收养、救助类单位情况", *["Item"] * 12, *(c for row in rows for c in row)]
    found = _findings(tmp_path, "\n\n".join(cells) + "\n")
    assert _rows_of(found, "rate") == []
    agreeing = "\n\n".join(cells).replace("97.9", "79.9")  # 214.1 ÷ 268.0: three rows show the column
    assert [v for v, _ in _rows_of(_findings(tmp_path, agreeing), "rate")] == [Verdict.CONSISTENT] * 3


def test_a_rate_brought_down_to_zero_and_a_year_the_scrape_stripped(tmp_path: Path):
    # 54.txt: "0" has the unit of the rate it comes down from; 68.txt: 下降到年底的 with the year's digits gone
    found = _verdicts(
        tmp_path,
        "全县建档立卡贫困人口全部脱贫，贫困发生率从14.14%下降到0，公共基础服务设施明显改善。",
        Kind.DIRECTION,
    )
    assert found == [(Verdict.CONSISTENT, Decimal("0"))]
    text = "该州贫困发生率从年的12.25%下降到年底的0.46%，减贫目标将全面完成。"
    assert _verdicts(tmp_path, text, Kind.DIRECTION) == [(Verdict.CONSISTENT, Decimal("0.46"))]
    # a bare number after 到 that follows no rate is no figure
    assert _verdicts(tmp_path, "工作时间从8时延长到20，全年无休。", Kind.DIRECTION) == []


def test_an_average_right_after_its_count_and_amount(tmp_path: Path):
    # 57.txt (2017 公报): 74.0亿元 ÷ 5621.0万人 = 131.6; 107.7亿元 ÷ 970.3万人次 = 1109.97, printed 1109.9 (holds
    # through the rounding of 107.7亿 and 970.3万)
    text = (
        "在临时救助方面，2017年累计救助970.3万人次，全国各级财政共支出临时救助资金107.7亿元，平均救助水平1109.9元/人·次。"
        "在医疗救助方面，2017年资助参加基本医疗保险5621.0万人，支出74.0亿元，人均补助水平131.6元。"
    )
    found = _verdicts(tmp_path, text, Kind.PER_UNIT)
    assert found == [(Verdict.CONSISTENT, Decimal("1109.9")), (Verdict.CONSISTENT, Decimal("131.6"))]
    # 50.txt: a yearly average after 人次 of one part of the persons: its base is not printed
    text = "城乡医疗救助共救助49208人，城镇医疗救助23445人次，累计支出医疗救助金652.45万元，年人均救助水平达到328.05元。"
    assert Verdict.INCONSISTENT not in [v for v, _ in _verdicts(tmp_path, text, Kind.PER_UNIT)]


def test_money_in_wan_without_its_unit(tmp_path: Path):
    # 50.txt: "支出低保金3347万" is 元: 3347万 ÷ 238673人次 = 140.23
    text = (
        "全县城乡最低生活保障城镇8779户，累计保障238673人次，支出低保金3347万，月人均补助水平达到140.23元。"
    )
    assert _verdicts(tmp_path, text, Kind.PER_UNIT) == [(Verdict.CONSISTENT, Decimal("140.23"))]


def test_the_changes_of_a_split_split_alike(tmp_path: Path):
    # 56.txt: 633 + 2820 = 3453, as 1139 + 6307 = 7446
    text = "全县最低生活保障救助人数为7446人，比上年增加3453人。其中：城镇1139人，比上年增加633人；农村6307人，比上年增加2820人。"
    found = _verdicts(tmp_path, text, Kind.PARTS)
    assert found == [(Verdict.CONSISTENT, Decimal("7446")), (Verdict.CONSISTENT, Decimal("3453"))]
    one_falls = text.replace("比上年增加633人", "比上年减少633人")  # the changes no longer split one way
    assert _verdicts(tmp_path, one_falls, Kind.PARTS) == [(Verdict.CONSISTENT, Decimal("7446"))]


def test_a_rate_named_after_what_it_counts(tmp_path: Path):
    # 64.txt: 集中供养率 = 集中供养五保对象 ÷ 五保对象 (21625, whose noun follows the number, two sentences back)
    text = (
        "全市符合条件的21625名五保对象全面纳入供养范围，全年累计支出集中供养五保金5153万元。全市共有敬老院221所；"
        "集中供养五保对象达14117人，集中供养率达到65.3%，完成目标任务62%的103%。"
    )
    assert (Verdict.CONSISTENT, Decimal("65.3")) in _verdicts(tmp_path, text, Kind.RATE)
    # two figures of 五保对象 before it: which one is the base is not certain
    two = text.replace("全市共有敬老院221所", "其中新纳入五保对象600人")
    assert Decimal("65.3") not in [n for _, n in _verdicts(tmp_path, two, Kind.RATE)]


def test_a_column_of_decimals_no_kinds_add_up_in_is_not_summed(tmp_path: Path):
    # a 利用率 column of two kinds picked from a longer list, both above their row: not a sum, however it looks
    text = """\
收养类单位 279.4 221.9 79.4
  社会福利医院 3.6 3.1 86.1
  儿童福利院 4.0 3.4 85.0
社会福利企业 560 470 526
"""
    assert _table_findings(tmp_path, text) == []


def test_a_flow_is_no_base_for_a_rate_named_after_what_it_counts(tmp_path: Path):
    text = "今年新增五保对象600人。集中供养五保对象达450人，集中供养率达到65.3%。"
    assert _verdicts(tmp_path, text, Kind.RATE) == []


def test_an_opening_and_a_closing_of_two_groups_are_no_stock_and_flows(tmp_path: Path):
    # the corpus's 09 shape, the closing of another group: 8642 + 612 − 735 ≠ 2519 says nothing
    same = "年初全县有农村低保对象8642人，1—9月新增612人、退出735人，截至9月30日共有农村低保对象8519人。"
    assert _verdicts(tmp_path, same, Kind.STOCK_FLOW) == [(Verdict.CONSISTENT, Decimal("8519"))]
    other = same.replace("共有农村低保对象8519人", "共有城市特困人员2519人")
    assert _verdicts(tmp_path, other, Kind.STOCK_FLOW) == []


QIZHONG_GOES_ON = (
    "已救助符合条件的人员9574户15126人，其中：符合低保条件的1122户3229人，发放低保资金954.25万元；"
    "符合医疗救助1365户1849人发放医疗救助资金137万元。符合临时救助条件的7087户10048人，发放临时救助资金832.55万元。"
)


def test_a_qizhong_list_that_goes_on_in_the_next_sentence(tmp_path: Path):
    # 02.txt: the third item, named like the first two (符合…), opens the next sentence; 1122 + 1365 + 7087 = 9574
    found = _verdicts(tmp_path, QIZHONG_GOES_ON, Kind.PARTS)
    assert found == [(Verdict.CONSISTENT, Decimal("9574")), (Verdict.CONSISTENT, Decimal("15126"))]
    # a next sentence about something else is no item of the list: only the bound is checked
    other = QIZHONG_GOES_ON.replace("符合临时救助条件的", "全市低保对象")
    computed = [(f.number, f.computed) for f in _findings(tmp_path, other) if f.kind is Kind.PARTS]
    assert [n for n, _ in computed] == [Decimal("9574"), Decimal("15126")]
    assert all(c.startswith("最大的部分") for _, c in computed)


GLUED = """\
指标名称单位代码数量上季度环比上月
1234
一、综合
JZH011000000
   (一)乡级行政区划JZH011110000187187
187
       4.苏木JZH011112200
(二)民政事业费累计支出万元JZH01131000069,436.333,872.0105.0053,519.0
    2.社会救助万元JZH01121200049,216.624,125.5104.0038,434.7
             (1)最低生活保障万元JZH01121210031,668.115,505.3104.2426,407.7
                A 城市低保累计支出万元JZH0112121107,903.13,923.3101.446,618.5
                   I 城市低保金万元JZH0112121117,895.33,915.5101.646,610.7
                  II 城市低保临时补贴万元JZH0112121127.87.8
7.8
                B 农村低保累计支出万元JZH01121212023,765.011,582.0105.1919,789.2
"""


def test_a_table_whose_cells_the_page_ran_together(tmp_path: Path):
    # 44.txt (衡阳市 2023 Q2 季报), cut: codes and figures glued; split by the decimals each column keeps, a lone
    # figure on the next line the last column's; 187187 (whole numbers) cannot be split and is left alone
    found = _table_findings(tmp_path, GLUED)
    assert (Verdict.CONSISTENT, Decimal("101.64")) in found  # 7,895.3 ÷ 3,915.5, not 101.6 and 46,610.7
    assert (Verdict.CONSISTENT, Decimal("31668.1")) in found  # A 城市 + B 农村
    assert (Verdict.CONSISTENT, Decimal("7903.1")) in found  # I 低保金 + II 临时补贴 7.8
    assert {v for v, _ in found} == {Verdict.CONSISTENT} and Decimal("187") not in [n for _, n in found]
    wrong = _table_findings(tmp_path, GLUED.replace("105.1919,789.2", "106.1919,789.2"))
    assert (Verdict.INCONSISTENT, Decimal("106.19")) in wrong


def test_a_glued_table_whose_columns_disagree_on_their_decimals_gives_no_figures(tmp_path: Path):
    # 7.87.8 says one decimal for 数量, a row "1.25" (which splits no other way) two: the one precision a column is
    # assumed to keep does not hold, so no split is trusted
    text = GLUED + "                C 其他万元JZH0112121301.25\n"
    assert _table_findings(tmp_path, text) == []
    # and with nothing that splits one way to start from, nothing is split
    assert _table_findings(tmp_path, GLUED.replace("7.87.8\n7.8", "7.8512.3")) == []


def test_cells_one_a_line_with_no_row_separator(tmp_path: Path):
    # the 季报 shape with every cell a line ending in "|", a bare "|" for an empty cell and no mark between rows: rows
    # are as wide as the header up to its column numbers (甲 乙 丙 1 2 3); figures of 44.txt, 上季度 as 上年数据
    cells = ["指标名称", "单位", "代码", "数量", "上年数据", "同比", "甲", "乙", "丙", "1", "2", "3"]
    cells += ["一、综合", "", "JZH011000000", "", "", ""]
    cells += ["(二)民政事业费累计支出", "万元", "JZH011310000", "69,436.3", "33,872.0", "105.00"]
    cells += ["A 城市低保累计支出", "万元", "JZH011212110", "7,903.1", "3,923.3", "101.44"]
    cells += ["I 城市低保金", "万元", "JZH011212111", "7,895.3", "3,915.5", "101.64"]
    cells += ["II 城市低保临时补贴", "万元", "JZH011212112", "7.8", "7.8", ""]
    text = "".join(f"{c} |\n" if c else "|\n" for c in cells)
    found = _table_findings(tmp_path, text)
    assert (Verdict.CONSISTENT, Decimal("101.64")) in found
    assert (Verdict.CONSISTENT, Decimal("7903.1")) in found
    assert {v for v, _ in found} == {Verdict.CONSISTENT}
    # an empty cell lost by the page shifts every row after it (a unit lands under 指标名称): nothing is read
    shifted = text.replace("一、综合 |\n|\n", "一、综合 |\n", 1)
    assert _table_findings(tmp_path, shifted) == []


def test_a_target_printed_before_the_words_target_task(tmp_path: Path):
    # the order 64.txt does not use: 完成T目标任务的P%
    text = "城市低保累计保障300000人次，累计支出5400万元，累计月人均补差180元，完成150元目标任务的120%；五保集中供养率达41%，完成40%目标任务的110%。"
    found = _verdicts(tmp_path, text, Kind.RATE)
    assert found == [
        (Verdict.CONSISTENT, Decimal("120")),
        (Verdict.INCONSISTENT, Decimal("110")),
    ]  # 41 ÷ 40 = 102.5%


def test_an_average_per_person_over_another_population_is_not_called_wrong(tmp_path: Path):
    # 64.txt: "农村医疗救助按照保障农村五保和低保对象计算，人均救助300元" — a 人均 may be over the recipients of another
    # measure, so one that disagrees with the persons printed beside it is 无法核对; per case (元/人·次) it is certain
    text = "农村医疗救助12000人，累计支出900万元，人均医疗救助60元。"
    assert [v for v, _ in _verdicts(tmp_path, text, Kind.PER_UNIT)] == [Verdict.UNCHECKABLE]
    assert _verdicts(tmp_path, text.replace("60元", "750元"), Kind.PER_UNIT) == [
        (Verdict.CONSISTENT, Decimal("750"))
    ]
    per_case = "临时救助12000人次，支出资金900万元，平均救助水平700元/人·次。"
    assert _verdicts(tmp_path, per_case, Kind.PER_UNIT) == [(Verdict.INCONSISTENT, Decimal("700"))]


def test_a_monthly_table_with_units_and_figures_run_into_the_labels(tmp_path: Path):
    # 43.txt (北京市民政局 2022年3月): "指标名称单位数量" over indented rows "养老机构床位万张11.3"; a row without a figure
    # (精神疾病服务机构床位) stays in its place; the kinds end in 其他, so they must reach their row
    lines = (REAL / "43.txt").read_text("utf-8").splitlines()
    found = _table_findings(tmp_path, "\n".join(lines))
    assert found == [(Verdict.CONSISTENT, Decimal("617")), (Verdict.CONSISTENT, Decimal("11.8"))]
    short = "\n".join(lines).replace("其他提供住宿机构床位万张0.2", "其他提供住宿机构床位万张0.5")
    assert (Verdict.INCONSISTENT, Decimal("11.8")) in _table_findings(tmp_path, short)
    # kinds in another unit than their row are not added
    mixed = "\n".join(lines).replace("养老机构床位万张11.3", "养老机构床位张11.3")
    assert Decimal("11.8") not in [n for _, n in _table_findings(tmp_path, mixed)]


# 91.txt, a provincial yearbook's 表23-14: 总计 adds the 一、–五、 rows; 民政部门办 and 社会集体办 split the row above them
WELFARE_UNITS = """| 指 标 | 机构数(个) | 工作人员数(人) |
| 总 计 | 3891 | 11420 |
| 一、社会福利事业单位 | 1226 | 13441 |
| 民政部门办 | 76 | 3598 |
| 社会集体办 | 1150 | 9843 |
| 二、社会福利企业单位 | 2546 | 96460 |
| 民政部门办 | 2038 | 85636 |
| 社会集体办 | 508 | 10824 |
| 三、烈士纪念建筑物管理单位 | 23 | 346 |
| 四、收容遣送单位 | 45 | 770 |
| 五、殡葬管理单位 | 51 | 403 |
"""


def _table_parts(tmp_path: Path, text: str):
    return [(f.number, f.verdict) for f in _findings(tmp_path, text) if f.kind is Kind.PARTS]


def test_a_total_adds_the_first_outline_level_and_a_numbered_row_its_unmarked_kinds(tmp_path: Path):
    found = _table_parts(tmp_path, WELFARE_UNITS)
    assert (Decimal("3891"), Verdict.CONSISTENT) in found
    assert (Decimal("11420"), Verdict.INCONSISTENT) in found  # 111420 printed 11420: a digit dropped
    assert {(n, v) for n, v in found if n in (Decimal(1226), Decimal(96460))} == {
        (Decimal(1226), Verdict.CONSISTENT),
        (Decimal(96460), Verdict.CONSISTENT),
    }
    assert [v for _, v in found].count(Verdict.INCONSISTENT) == 1


def test_rows_that_hold_their_own_subtotals_are_never_summed_against_the_total(tmp_path: Path):
    # the same table without its outline marks: 社会福利事业单位 = the two rows under it, so the list nests
    flat = WELFARE_UNITS.replace("| 一、", "| ").replace("| 二、", "| ").replace("| 三、", "| ")
    flat = flat.replace("| 四、", "| ").replace("| 五、", "| ").replace("11420", "111420")
    assert Verdict.INCONSISTENT not in {v for _, v in _table_parts(tmp_path, flat)}


def test_stacked_sections_adding_to_twice_the_total_are_no_error(tmp_path: Path):
    # two breakdowns of one total one after the other (by area, then by sex): the rows add to twice the total
    text = "| 项目 | 人数 |\n| 合计 | 1000 |\n| 城镇 | 400 |\n| 农村 | 600 |\n| 男 | 510 |\n| 女 | 489 |\n"
    assert Verdict.INCONSISTENT not in {v for _, v in _table_parts(tmp_path, text)}
    # a flat list off by one is still an error
    flat = "| 项目 | 人数 |\n| 合计 | 1000 |\n| 城镇 | 400 |\n| 农村 | 599 |\n"
    assert _table_parts(tmp_path, flat) == [(Decimal(1000), Verdict.INCONSISTENT)]


def test_a_qizhong_list_closed_by_he_picks_items_out(tmp_path: Path):
    # 其中 A、B和C of a count of cases: the list need not be all of it, so falling short is no error
    text = "全年共救助困难群众1200人次,其中老年人300人次、残疾人200人次和未成年人100人次。"
    assert [v for _, v in _table_parts(tmp_path, text)] == [Verdict.CONSISTENT]
    # a complementary pair is all of its whole: short of it is an error
    pair = "全县现有特困供养人员856人,其中集中供养312人,分散供养540人。"
    assert _table_parts(tmp_path, pair) == [(Decimal(856), Verdict.INCONSISTENT)]


@pytest.mark.parametrize("header", ["行次", "第二栏"])
def test_a_column_numbering_the_rows_is_never_summed(tmp_path: Path, header: str):
    # a 决算 table's 行次 column (1, 2, 3…), named or not: row numbers, not a quantity the 合计 row totals
    text = (
        f"| 项目 | {header} | 金额 |\n| 合计 | 1 | 1000 |\n| 基本支出 | 2 | 600 |\n| 项目支出 | 3 | 400 |\n"
    )
    assert _table_parts(tmp_path, text) == [(Decimal(1000), Verdict.CONSISTENT)]


def test_a_tongbi_percentage_after_the_printed_change(tmp_path: Path):
    # 70.txt (殡葬 statistics, 2020): 36 ÷ (1036 − 36) = 3.6%, 同比 as 较上年 is against the year before
    text = "据初步统计,中国死亡人口数量1036万人,较上年增加36万人,同比增长3.6%。"
    assert _changes(tmp_path, text) == [(Kind.GROWTH, Verdict.CONSISTENT, "36万人÷(1036万人−36万人) = 3.6%")]
    assert [v for _, v, _ in _changes(tmp_path, text.replace("3.6%", "3.9%"))] == [Verdict.INCONSISTENT]
    # 环比 compares with the month before, not the year the change is against: nothing
    assert _changes(tmp_path, text.replace("同比", "环比")) == []
    # the percentage of another noun (火化率) is no percentage of this change
    assert _changes(tmp_path, text.replace("同比增长", "火化率同比增长")) == []


# 70.txt (殡葬 statistics, 2020): the 其中 paragraph takes its shares of the total the paragraph before states
FUNERAL = (
    "截至2020年底,全国共有殡葬服务机构4201个,较上年增加141个,同比增长3.47%。\n"
    "其中,殡仪馆数量1722个,较上年增加45个,同比增长2.68%,占殡葬服务机构的40.99%;"
    "殡葬管理机构865个,较上年减少25个,同比下降2.81%,占殡葬服务机构的20.59%。\n"
)


def _rates(tmp_path: Path, text: str):
    return [(f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind is Kind.RATE]


def test_a_share_takes_the_base_it_names_from_the_paragraph_before(tmp_path: Path):
    assert _rates(tmp_path, FUNERAL) == [
        (Verdict.CONSISTENT, "1722个÷4201个 = 40.9902%"),
        (Verdict.CONSISTENT, "865个÷4201个 = 20.5903%"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # the base paragraph speaks of another year than the shares' own
        FUNERAL.replace("其中,", "2019年,"),
        # two figures of that noun before: which one is meant is not printed
        FUNERAL.replace("。\n其中", "。另有殡葬服务机构4100个未列入。\n其中"),
        # the base printed only after its shares
        "\n".join(reversed(FUNERAL.strip().split("\n"))),
    ],
)
def test_a_base_from_another_paragraph_needs_one_certain_figure(tmp_path: Path, text: str):
    assert {v for v, _ in _rates(tmp_path, text)} <= {Verdict.UNCHECKABLE}


def test_a_yearbook_tables_first_row_totals_the_rows_at_its_depth_when_they_add_up(tmp_path: Path):
    # 46.txt (福建统计年鉴2006 15-19): 收养性社会福利单位 806 = 优抚类 59 + 福利类 747, all three unindented
    lines = (REAL / "46.txt").read_text("utf-8").splitlines()[6:17]
    found = _table_findings(tmp_path, "\n".join(lines))
    assert {(v, n) for v, n in found if n in (806, 20263, 14490)} == {
        (Verdict.CONSISTENT, Decimal(n)) for n in (806, 20263, 14490)
    }
    # nothing calls the first row a total: when the rows do not add up to it, nothing is said
    wrong = "\n".join(lines).replace(" 806 ", " 809 ")
    assert [n for _, n in _table_findings(tmp_path, wrong) if n == 809] == []


def test_a_change_percent_after_the_words_its_figure_counts(tmp_path: Path):
    # 79.txt (民政部 2010 statistics): 454.0 ÷ (5214.0 − 454.0) = 9.54%, the figure followed by what it counts
    text = "2010年底,全国有2528.7万户、5214.0万人得到了农村低保,比上年同期增加454.0万人,增长了9.5%。"
    assert _changes(tmp_path, text) == [
        (Kind.GROWTH, Verdict.CONSISTENT, "454.0万人÷(5214.0万人−454.0万人) = 9.538%")
    ]
    # a new subject after the comma is not the figure's: 城市低保's change is no change of the 5214.0万人
    other = "2010年底,全国有5214.0万人得到了农村低保,城市低保比上年同期增加454.0万人,增长了9.5%。"
    assert _changes(tmp_path, other) == []


def test_a_pipe_table_without_a_leading_pipe_opens_at_its_header(tmp_path: Path):
    # 73.txt (四川省民政统计月报表 2020): "指标名称 | 单位 | 代码 | 数量 | 上期 | 环比 |", rows "1.镇 | 个 | YZH… | 2,016 |…"
    lines = (REAL / "73.txt").read_text("utf-8").splitlines()[5:16]
    found = _table_findings(tmp_path, "\n".join(lines))
    assert (Verdict.CONSISTENT, Decimal(3101)) in found
    assert Verdict.INCONSISTENT not in {v for v, _ in found}


def _rates(tmp_path: Path, text: str):
    return [(f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind is Kind.RATE]


# 121.txt (琼中县残联 2020): integer shares of 5099人, some rounded (295人 占6%), one cut (1119人 占21%), one wrong
DISABLED = "残疾人共5099人,其中视力残疾人295人,占6%;听力残疾人361人,占8%;精神残疾人1119人,占21%。"


def test_a_share_cut_at_its_printed_digits_is_no_error(tmp_path: Path):
    assert [v for v, _ in _rates(tmp_path, DISABLED)] == [
        Verdict.CONSISTENT,  # 5.79% rounds to 6
        Verdict.INCONSISTENT,  # 7.08% is neither rounded nor cut to 8
        Verdict.CONSISTENT,  # 21.95% cut to 21
    ]
    # cut, never raised: 22.95% is not 21 either way
    wrong = _rates(tmp_path, DISABLED.replace("1119人", "1170人"))
    assert wrong[-1][0] is Verdict.INCONSISTENT


# 111.txt (浙江 2016 老龄公报): 老年人口总数 is printed in the paragraph before; 失能老年人口 is itself a share of it
ELDERLY_SHARES = (
    "全省有百岁老人2307人。纯老家庭人口数为249.00万人,占老年人口总数的24.16%。"
    "失能、半失能老年人口共76.81万人,占老年人口总数的7.45%。"
)


def test_a_figure_given_as_a_share_of_a_total_is_not_that_total(tmp_path: Path):
    assert [v for v, _ in _rates(tmp_path, ELDERLY_SHARES)] == [Verdict.UNCHECKABLE, Verdict.UNCHECKABLE]


def test_a_share_above_its_whole_says_the_base_is_misread(tmp_path: Path):
    # without the 7.45% the one 老年人口 figure is 76.81万人: a share over 100% means it is not the base
    text = "纯老家庭人口数为249.00万人,占老年人口总数的24.16%。失能、半失能老年人口共76.81万人。"
    found = _rates(tmp_path, text)
    assert [v for v, _ in found] == [Verdict.UNCHECKABLE]
    assert found[0][1].startswith("249.00万人÷76.81万人 = 324.1765%")


def test_a_change_against_a_named_year_is_no_whole_of_a_qizhong(tmp_path: Path):
    # 119.txt (西山区 2014): the 其中 items are of 19.83亿元, not of the 3.52亿元 increase over 2013
    text = (
        "2014年1—10月,全区民生支出达19.83亿元,较2013年同期增加支出3.52亿元,增幅达21.56%,"
        "占公共财政预算支出的78.06%。其中:教育支出3.39亿元,社会保障和就业支出2.83亿元,医疗卫生支出1.08亿元,"
        "“三农”、科技保障房等其他民生事业累计支出12.53亿元。"
    )
    found = _findings(tmp_path, text)
    assert not [f for f in found if f.verdict is Verdict.INCONSISTENT]
    assert (Decimal("19.83"), Verdict.CONSISTENT, "3.39亿元+2.83亿元+1.08亿元+12.53亿元 = 19.83亿元") in {
        (f.number, f.verdict, f.computed) for f in found if f.kind is Kind.PARTS
    }


def test_the_set_a_comparison_is_made_in_is_no_whole(tmp_path: Path):
    # 96.txt (社会组织蓝皮书 2023): 31个省区市 are what 32318个 社会团体 are ranked among
    text = (
        "东部沿海地区社会团体数量在31个省区市(除港澳台外,下同)中仍保持领先状态。其中广东省、江苏省、浙江省社会团体"
        "数量水平在31个省区市中位居前三,分别为32318个、30804个和26342个。"
    )
    assert _parts(tmp_path, text) == []


# 110.txt (扬州 2017 老龄报告): 男 + 女 of the 100周岁以上 are the whole group, whose 243人 stands in another paragraph
CENTENARIANS = "100周岁以上老年人口中,男性93人,占38.46%;女性150人,占61.54%。"


def test_shares_of_a_complementary_pair_are_of_the_pair_s_sum(tmp_path: Path):
    assert _rates(tmp_path, CENTENARIANS) == [
        (Verdict.INCONSISTENT, "93人÷243人 = 38.2716%"),
        (Verdict.INCONSISTENT, "150人÷243人 = 61.7284%"),
    ]
    right = _rates(tmp_path, CENTENARIANS.replace("38.46", "38.27").replace("61.54", "61.73"))
    assert [v for v, _ in right] == [Verdict.CONSISTENT, Verdict.CONSISTENT]


def test_a_pair_not_both_given_as_shares_is_no_base(tmp_path: Path):
    # only one side with a share: the 38.46% may be of a larger whole the paragraph does not print
    text = "100周岁以上老年人口中,男性93人,占38.46%;女性150人。"
    assert [v for v, _ in _rates(tmp_path, text)] == [Verdict.UNCHECKABLE]


# 123.txt (黑龙江 2006 残疾人抽样): the base of every bare 占 is named once, before the list
INTRODUCED = (
    "据此推算2006年4月1日零时黑龙江省各类残疾人的总数为218.9万人。各类残疾人的人数及各占残疾人总人数的比重分别是:"
    "视力残疾28.7万人,占13.11%;听力残疾35.8万人,占16.35%;肢体残疾91.7万人,占41.90%。"
)


def test_a_share_list_takes_the_base_its_introduction_names(tmp_path: Path):
    assert _rates(tmp_path, INTRODUCED) == [
        (Verdict.CONSISTENT, "28.7万人÷218.9万人 = 13.1110%"),
        (Verdict.CONSISTENT, "35.8万人÷218.9万人 = 16.3545%"),
        (Verdict.CONSISTENT, "91.7万人÷218.9万人 = 41.8913%"),  # 41.89, within the rounding of the 万 figures
    ]
    wrong = _rates(tmp_path, INTRODUCED.replace("16.35%", "17.35%"))
    assert [v for v, _ in wrong][1] is Verdict.INCONSISTENT


def test_an_introduced_base_no_figure_is_of_says_nothing_certain(tmp_path: Path):
    text = INTRODUCED.replace("各类残疾人的总数为218.9万人", "总人口3800万人")
    assert {v for v, _ in _rates(tmp_path, text)} == {Verdict.UNCHECKABLE}


# 96.txt (社会组织蓝皮书 2023): the total's noun follows it, and each type's 2021 figure is compared against
ORGANISATIONS = (
    "截至2022年底,我国共有89.13万个社会组织,与2021年相比减少了1.06万个。社会团体有37.01万个,"
    "与2021年的37.11万个相比减少了0.1万个,增长率为-0.27%,占全国社会组织总量的41.52%;"
    "基金会共9319个,与2021年的8877个相比增加了442个,增长率为4.98%,占全国社会组织总量的1.05%。"
)


def test_a_place_before_a_figure_leaves_its_noun_to_the_words_after_it(tmp_path: Path):
    # 我国共有89.13万个社会组织 is the 社会组织总量; the 2021 figures (与2021年的37.11万个相比) are no part of 2022's
    assert _rates(tmp_path, ORGANISATIONS) == [
        (Verdict.CONSISTENT, "37.01万个÷89.13万个 = 41.5236%"),
        (Verdict.CONSISTENT, "9319个÷89.13万个 = 1.0456%"),
    ]


def test_couples_are_counted_and_a_bracketed_aside_is_no_whole(tmp_path: Path):
    # 100.txt (上海 2022 婚姻登记, 繁体 as scraped): 对 counts couples; the 其中 splits 97039对, not the 8267对 aside
    text = "2022年婚姻登記總量為97039對(辦理跨區(qū)登記8267對),其中結婚登記72048對、離婚登記24991對。"
    assert _parts(tmp_path, text) == [(Decimal("97039"), Verdict.CONSISTENT, "72048对+24991对 = 97039对")]


def test_a_change_whose_verb_takes_an_object_before_the_figure(tmp_path: Path):
    # 119.txt (西山区 2014): 较2013年同期增加支出3.52亿元, 增幅达21.56%: 3.52 ÷ (19.83 − 3.52) = 21.58%, within the 亿 rounding
    text = "2014年1—10月,全区民生支出达19.83亿元,较2013年同期增加支出3.52亿元,增幅达21.56%。"
    assert _changes(tmp_path, text) == [
        (Kind.GROWTH, Verdict.CONSISTENT, "3.52亿元÷(19.83亿元−3.52亿元) = 21.5819%")
    ]
    wrong = _changes(tmp_path, text.replace("21.56", "23.56"))
    assert [v for _, v, _ in wrong] == [Verdict.INCONSISTENT]


def test_a_group_named_after_its_figure_opens_its_parts(tmp_path: Path):
    # 114.txt (武汉 2015 老龄, 繁体 as scraped): "394名百歲老人中," splits the 394, and its shares are of it
    text = "394名百歲老人中,男性97人,僅占總數(shù)的24.62%;女性297人,占比75.38%。"
    assert _parts(tmp_path, text) == [(Decimal("394"), Verdict.CONSISTENT, "97人+297人 = 394人")]
    assert _rates(tmp_path, text) == [
        (Verdict.CONSISTENT, "97人÷394人 = 24.6193%"),
        (Verdict.CONSISTENT, "297人÷394人 = 75.3807%"),
    ]
    assert [v for _, v, _ in _parts(tmp_path, text.replace("297人", "299人"))] == [Verdict.INCONSISTENT]


def test_a_change_against_a_printed_earlier_level(tmp_path: Path):
    # 96.txt: 与2021年的37.11万个相比减少了0.1万个，增长率为-0.27%: (37.01 − 37.11) ÷ 37.11 = −0.27%
    text = (
        "社会团体有37.01万个,与2021年的37.11万个相比减少了0.1万个,增长率为-0.27%,占全国社会组织总量的41.52%。"
    )
    assert _changes(tmp_path, text) == [
        (Kind.GROWTH, Verdict.CONSISTENT, "37.01万个−37.11万个 = 0.1万个"),
        (Kind.GROWTH, Verdict.CONSISTENT, "(37.01万个−37.11万个)÷37.11万个 = 0.2695%"),
    ]
    wrong = _changes(tmp_path, text.replace("减少了0.1万个", "减少了0.2万个"))
    assert [v for _, v, _ in wrong] == [Verdict.INCONSISTENT, Verdict.CONSISTENT]


def test_pair_shares_short_of_the_whole_may_be_of_a_larger_base(tmp_path: Path):
    # 30% + 20%: the two sides are shares of something the text does not print, not of 93 + 150
    text = CENTENARIANS.replace("38.46", "30").replace("61.54", "20")
    assert {v for v, _ in _rates(tmp_path, text)} == {Verdict.UNCHECKABLE}


def test_a_share_list_of_a_group_takes_the_group_s_total_from_the_paragraph_before(tmp_path: Path):
    # 112.txt (福建 2006 残疾人抽样, 新浪): "各类残疾人的人数及比重分别是", the 221.1万人 one paragraph up
    text = (
        "我省现有七类残疾人共221.1万人,占全省总人口比例为6.25%,与1987年第一次全国残疾人抽样调查比较,"
        "全省残疾人口总量增加90.2万人。\n\n据悉,各类残疾人的人数及比重分别是:视力残疾35.6万人,占16.10%;"
        "听力残疾61.3万人,占27.73%;言语残疾2.7万人,占1.22%。\n"
    )
    assert [c for v, c in _rates(tmp_path, text) if v is Verdict.CONSISTENT] == [
        "35.6万人÷221.1万人 = 16.1013%",
        "61.3万人÷221.1万人 = 27.7250%",
        "2.7万人÷221.1万人 = 1.2212%",
    ]


def test_a_share_column_adds_to_its_hundred_and_each_share_is_of_the_total(tmp_path: Path):
    # 124.txt (2023 残疾人 estimate table): the 占比 column adds to 101.2%, against 合计 100%; each share is of 8500
    lines = (REAL / "124.txt").read_text("utf-8").splitlines()[5:13]
    found = [
        (f.kind, f.verdict, f.number)
        for f in _findings(tmp_path, "\n".join(lines))
        if f.location.startswith("表")
    ]
    assert (Kind.PARTS, Verdict.INCONSISTENT, Decimal(100)) in found
    assert [(v, n) for k, v, n in found if k is Kind.RATE] == [
        (Verdict.CONSISTENT, Decimal(n)) for n in ("20.4", "32.7", "4.1", "29.3", "7.2", "7.5")
    ]
    fixed = "\n".join(lines).replace("32.7%", "31.6%").replace("| 1731 |", "| 1630 |").replace("8500", "8400")
    again = [(f.kind, f.verdict) for f in _findings(tmp_path, fixed) if f.number == 100]
    assert again == [(Kind.PARTS, Verdict.CONSISTENT)]


# 133.txt (某区民政局 述职): the 万元 before 扩大到 is the former state's, the 其中 list splits the state reached
FORMER_STATE = (
    "农民低保标准从每人每月元提高到 200 元,全区低保对象从 144 户 331人,全年发放保障金 14.555 万元,扩大到今年 10 "
    "月份统计的 3735 户7275 人,其中,城市低保 2885 户 5602 人,农村低保 850 户 1673 人,1-10 月份累计发放低保金 "
    "1129.4 万元。"
)


def test_a_figure_of_the_former_state_is_no_whole_of_the_list_after_the_state_reached(tmp_path: Path):
    assert _parts(tmp_path, FORMER_STATE) == [
        (Decimal("3735"), Verdict.CONSISTENT, "2885户+850户 = 3735户"),
        (Decimal("7275"), Verdict.CONSISTENT, "5602人+1673人 = 7275人"),
    ]


def test_a_part_above_a_whole_of_the_state_reached_is_still_flagged(tmp_path: Path):
    # the same sentence with a wrong 城市低保 count: the wholes after 扩大到 are certain, so the sum still fails
    wrong = FORMER_STATE.replace("2885 户", "2985 户")
    assert (Decimal("3735"), Verdict.INCONSISTENT, "2985户+850户 = 3835户") in _parts(tmp_path, wrong)


# 139.txt (长沙 2017 老龄): two figures, then 分别占 one base 的 two shares, in order; the second is a published error
RESPECTIVE_SHARES = (
    "60岁及以上老年人口138.13万人,占长沙全市常住人口总数的17.44%。80岁以上高龄老人18.32万人,其中:90岁以上高龄老人"
    "1.68万人,分别占60岁及以上老年人口总数的13.3%和1.19%。"
)


def _shares_of_the_list(tmp_path: Path, text: str):
    return [(v, c) for v, c in _rates(tmp_path, text) if not c.startswith("段内")]


def test_shares_after_fenbie_zhan_go_in_order_with_the_figures_before(tmp_path: Path):
    assert _shares_of_the_list(tmp_path, RESPECTIVE_SHARES) == [
        (Verdict.CONSISTENT, "18.32万人÷138.13万人 = 13.263%"),
        (Verdict.INCONSISTENT, "1.68万人÷138.13万人 = 1.2162%"),
    ]


def test_shares_after_fenbie_zhan_pair_only_as_many_figures(tmp_path: Path):
    # three shares for two figures: which share is whose is not printed, so none is flagged
    three = RESPECTIVE_SHARES.replace("13.3%和1.19%", "13.3%、1.2%和1.19%")
    assert Verdict.INCONSISTENT not in [v for v, _ in _shares_of_the_list(tmp_path, three)]


# The fifth blind set's false 不一致 (collection-5.md), each on its real sentence, fixed by its class.


def _inconsistent(tmp_path: Path, text: str) -> list[str]:
    return [f.computed for f in _findings(tmp_path, text) if f.verdict is Verdict.INCONSISTENT]


def test_a_figure_said_to_exceed_is_a_bound_not_a_total(tmp_path: Path):
    # 158.txt, 2009年度中国慈善捐助报告: 超过786.11亿元 bounds 332.78 + 463.33; 彩票总销量 is no part of it
    text = (
        "2009年,全国接收国内外各类社会捐赠款物332.78亿元,全国彩票总销量达1323.8亿元,按照35%的公益金提取率,"
        "筹集彩票公益金463.33亿元,合计筹集公益慈善资金规模总量超过786.11亿元。"
    )
    assert _inconsistent(tmp_path, text) == []


def test_a_new_total_the_list_brought_about_ends_a_qizhong_list(tmp_path: Path):
    # 155.txt, 宁波市慈善总会 2013: 使基金总额达1000万元 is what the 到位资金 made of the fund, not one of its parts
    text = "新建或扩建企业冠名基金达到了18家,实际到位资金367万元,其中《吉旺慈善帮困基金》100万元,使基金总额达1000万元。"
    assert _inconsistent(tmp_path, text) == []


def test_a_part_of_the_sentence_before_is_no_certain_whole_of_a_new_qizhong(tmp_path: Path):
    # 180.txt, 2023 深度老龄化城市 (traditional script): the 17 cities of 四川 are no part of the 7 provinces
    text = (
        "從省份來(lái)看,149市分布在22個(gè)省份,其中有7個(gè)省份的深度老齡化城市達到或超過(guò)10個(gè)。"
        "其中,四川的深度老齡化城市達到了17個(gè),數量位居第一。"
    )
    assert _inconsistent(tmp_path, text) == []


def test_a_parts_bare_share_after_the_wholes_own_share_is_not_of_the_whole(tmp_path: Path):
    # 176.txt, 七人普 公报: 10.47% is of the population, as the 16.15% of the 60+ figure before it is
    text = (
        "0-14歲人口為22696萬人,占16.52%;15-59歲人口為92471萬人,占67.33%;60歲及以上人口為22182萬人,占16.15%,"
        "其中65歲及以上人口為14374萬人,占10.47%。"
    )
    found = [(f.verdict, f.number) for f in _findings(tmp_path, text) if f.kind is Kind.RATE]
    assert (Verdict.UNCHECKABLE, Decimal("10.47")) in found
    assert _inconsistent(tmp_path, text) == []


def _growth(tmp_path: Path, text: str) -> list[tuple[Verdict, str]]:
    return [(f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind is Kind.GROWTH]


def test_a_monthly_fall_in_cases_with_its_rate(tmp_path: Path):
    # 162.txt, 香港 社會福利署 綜援 monthly release: 宗 counts cases, 按月減少 is against last month, 跌幅 a fall
    text = "社會福利署於2月19日公布,1月領取綜援個案219,677宗,按月減少498宗,跌幅0.2%,受助總人數為310,714。"
    assert _growth(tmp_path, text) == [(Verdict.CONSISTENT, "498宗÷(219677宗+498宗) = 0.226%")]
    assert _growth(tmp_path, text.replace("跌幅0.2%", "跌幅0.3%"))[0][0] is Verdict.INCONSISTENT


def test_a_change_then_the_level_it_reached_then_the_rate(tmp_path: Path):
    # 166.txt, 社署 2009: 较8月减少700宗，至282,932宗，减幅0.2%
    text = (
        "社署今天(10月8日)公布,9月整体领取综援个案,较8月减少700宗,至282,932宗,减幅0.2%;受助总人数474,429人。"
    )
    assert _growth(tmp_path, text) == [(Verdict.CONSISTENT, "700宗÷(282932宗+700宗) = 0.247%")]


def test_household_cases_and_ranks_are_read_as_printed(tmp_path: Path):
    # 户次 counts cases, not households (a 户 against 人 check would be wrong); 前3位 is a rank, not 3 persons
    found = _findings(tmp_path, "全年临时救助3200户次、2900人，舟山市、嘉兴市和湖州市位居全省前3位。")
    assert [f.kind for f in found] == []


def test_the_shares_of_an_age_list_are_of_its_sum_and_a_qizhong_item_is_no_member(tmp_path: Path):
    # 176.txt, 2015年1%人口抽样调查 公报: 16.52 + 67.33 + 16.15 = 100, so the base is the three groups' sum
    text = (
        "0-14歲人口為22696萬人,占16.52%;15-59歲人口為92471萬人,占67.33%;60歲及以上人口為22182萬人,占16.15%,"
        "其中65歲及以上人口為14374萬人,占10.47%。"
    )
    found = [(f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind is Kind.RATE]
    assert found[:3] == [
        (Verdict.CONSISTENT, "22696万人÷137349万人 = 16.5243%"),
        (Verdict.CONSISTENT, "92471万人÷137349万人 = 67.3256%"),
        (Verdict.CONSISTENT, "22182万人÷137349万人 = 16.1501%"),
    ]


def test_persons_per_household_named_by_the_households_noun(tmp_path: Path):
    # 176.txt: 家庭户人口 are the persons of the 家庭户
    text = "《公報》顯示,大陸31個省、自治區(qū)、直轄市共有家庭戶40947萬戶,家庭戶人口為126935萬人,平均每個家庭戶的人口為3.10人,與“六普”持平。"
    assert _per_unit(tmp_path, text) == [(Verdict.CONSISTENT, "126935万人÷40947万户 = 3.1000人")]
    assert _per_unit(tmp_path, text.replace("3.10人", "3.20人"))[0][0] is Verdict.INCONSISTENT


def test_a_fall_to_a_figure_written_with_wei(tmp_path: Path):
    found = _findings(tmp_path, "全县贫困发生率由5.3%下降为1.2%。")
    assert [(f.kind, f.verdict) for f in found] == [(Kind.DIRECTION, Verdict.CONSISTENT)]


def test_a_share_of_the_surveyed_households_printed_four_lines_up(tmp_path: Path):
    # 170.txt, 1987年全国残疾人抽样调查概况: 66888 ÷ 369816 = 18.09%, printed 18.10% (a published error)
    text = (
        "全国共调查了369816户、1579314人,调查总人数占全国当年总人口数1.50‰。\n"
        "住户调查员入户见面1537455人,占调查总人数的97.35%。\n"
        "全面调查展开之前,由有关医学、康复专家制定了五类残疾标准,作为判定依据。\n"
        "二、调查结果\n"
        "这次调查汇总:有残疾人的家庭66888户,占调查总户数的18.10%。\n"
    )
    found = [(f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind is Kind.RATE]
    assert (Verdict.INCONSISTENT, "66888户÷369816户 = 18.0868%") in found


def test_a_rate_after_two_levels_the_earlier_named_by_its_year(tmp_path: Path):
    # 155.txt, 宁波市慈善总会 2013: (5130 − 3256.8) ÷ 3256.8 = 57.5%, printed 56.7% (a published error)
    text = "截至2013年12月31日,市慈善总会共募集善款5130万元,相比2012年的3256.8万元,同比增长56.7%。"
    assert _growth(tmp_path, text) == [(Verdict.INCONSISTENT, "(5130万元−3256.8万元)÷3256.8万元 = 57.517%")]
    assert _growth(tmp_path, text.replace("56.7%", "57.5%"))[0][0] is Verdict.CONSISTENT


def test_each_anfen_sentence_splits_the_figure_before_the_first(tmp_path: Path):
    # 147.txt, 长顺县 2019 统计公报: 按性别分 and 按城乡属性分 both split the 年末户籍人口
    text = (
        "年末户籍人口273393人,比上年新增1547人。按性别分,男生144994人,占总人口的53%;女生128399人,占总人口的47%,"
        "性别比为112.9。按城乡属性分,城镇属性人口93284人,占总人口的34.1%;乡村属性人口180109人,占总人口的65.9%。"
    )
    parts = [(f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind is Kind.PARTS]
    assert parts == [
        (Verdict.CONSISTENT, "144994人+128399人 = 273393人"),
        (Verdict.CONSISTENT, "93284人+180109人 = 273393人"),
    ]
    wrong = _findings(tmp_path, text.replace("180109人", "180119人"))
    assert [f.verdict for f in wrong if f.kind is Kind.PARTS] == [Verdict.CONSISTENT, Verdict.INCONSISTENT]


# The sixth blind set's false 不一致 (collection-6.md), each on its real text, fixed by its class.


def test_a_level_shifted_into_the_huanbi_cell_is_no_growth(tmp_path: Path):
    # 183.txt, 福建 2019 二季度 民政统计季报表: the empty 环比 cell was dropped, 上月's 1,106 moved into it
    text = (
        "指标名称 | 单位 | 数量 | 上季度 | 环比 | 上月 |\n甲 | 乙 | 1 | 2 | 3 | 4 |\n"
        "乡镇级合计 | 个 | 1,106 | 1,106 | 1,106 | |\n1.镇 | 个 | 651 | 651 | 651 | |\n"
        "城市低保人数 | 人 | 200 | 250 | -20.0 | 260 |\n农村低保人数 | 人 | 300 | 240 | 25.0 | 230 |\n"
        "特困人员 | 人 | 100 | 80 | 25.0 | 90 |\n"
    )
    assert [f for f in _findings(tmp_path, text) if f.verdict is Verdict.INCONSISTENT] == []


def test_growth_of_output_is_at_comparable_prices(tmp_path: Path):
    # 187.txt, a county 公报: 人均地区生产总值 grows 12.7% in real terms; 3637 ÷ (28322 − 3637) = 14.7% is nominal
    text = "全年人均地區(qū)生產(chǎn)總值達(dá)28322元,比去年新增3637元,增長12.7%。"
    assert [f.verdict for f in _findings(tmp_path, text) if f.kind is Kind.GROWTH] == [Verdict.UNCHECKABLE]


def test_a_bracketed_item_printed_without_its_unit_leaves_the_list_open(tmp_path: Path):
    # 197.txt, 行政区划 2017: "117自治县" has no 个, so the parts read fall 117 short of 2876
    text = "(3)三级行政区(县级行政区):2876个(987个市辖区、363个县级市、1355个县、117自治县、49个旗、3个自治旗、1个特区、1个林区)"
    assert _inconsistent(tmp_path, text) == []


def test_shares_listed_after_figures_of_two_units_have_no_certain_numerators(tmp_path: Path):
    # 198.txt, 十堰 建档立卡: 户 and 人 alternate before 分别占…的71%、9.5%、1.4%、18.2%
    text = (
        "全市共有贫困人口821966人。其中,扶贫户177253户、583703人;低保户31913户、77851人;五保户8908户、11189人;"
        "扶贫低保户44965户、149223人,分别占贫困人口总数的71%、9.5%、1.4%、18.2%。"
    )
    assert [
        f for f in _findings(tmp_path, text) if f.kind is Kind.RATE and f.verdict is not Verdict.UNCHECKABLE
    ] == []


def test_a_table_cut_off_by_the_excerpt_is_not_short_of_its_total(tmp_path: Path):
    # 218.txt, 宣汉县 七普 公报 表: 21 of 37 乡镇 shown, the last row cut
    text = (
        "乡镇街道 | 人口数 | 比重(%) | |\n全 县 | 954090 | 100 | 100 |\n东乡街道 | 79787 | 8.36 | 7.3 |\n"
        "蒲江街道 | 142393 | 14.92 | 9.84 |\n塔河镇 | 10064 | 1.05 |\n"
    )
    found = _findings(tmp_path, text)
    assert [f for f in found if f.verdict is Verdict.INCONSISTENT] == []
    assert Verdict.CONSISTENT in [f.verdict for f in found if f.kind is Kind.RATE]  # 79787 ÷ 954090 = 8.36%


def test_a_census_bulletins_change_rate_and_yearly_average(tmp_path: Path):
    # 213.txt, a county 七普 公报: both levels printed, then 十年共增加D，增长R%，年平均增长率为A%
    text = (
        "全县常住人口为562657人,与2010年第六次全国人口普查的523403人相比,十年共增加39254人,增长7.5%,"
        "年平均增长率为0.73%。平均每个家庭户的人口为2.62人,比2010年第六次全国人口普查的3.86人减少0.74人。"
    )
    assert _growth(tmp_path, text) == [
        (Verdict.CONSISTENT, "562657人−523403人 = 39254人"),
        (Verdict.CONSISTENT, "(562657人−523403人)÷523403人 = 7.500%"),
        (Verdict.CONSISTENT, "((562657人÷523403人)^(1/10) − 1) = 0.7258%"),
        (Verdict.INCONSISTENT, "2.62人−3.86人 = 1.24人"),  # a published error: 3.86 − 2.62 = 1.24
    ]


def test_a_change_against_a_level_closing_the_sentence_before(tmp_path: Path):
    # 218.txt, 宣汉县 七普 公报: 1006826 − 954090 = 52736, printed 52730 (a published error)
    text = "全县常住人口为954090人。全县人口与2010年第六次全国人口普查的1006826人相比,减少52730人,减少5.24%,年平均减少率为0.54%。"
    assert _growth(tmp_path, text) == [
        (Verdict.INCONSISTENT, "954090人−1006826人 = 52736人"),
        (Verdict.CONSISTENT, "(954090人−1006826人)÷1006826人 = 5.2378%"),
    ]
    # another subject before 与 is not the figure before it
    other = "全县常住人口为954090人,城镇人口与2010年的1006826人相比,减少52730人。"
    assert _growth(tmp_path, other) == []


def test_age_bands_of_a_group_named_paragraphs_up_are_all_of_it(tmp_path: Path):
    # 213.txt, a county 七普 公报: 149779 + 305466 + 107411 = 562656, one person short of 562657 (a published error)
    text = (
        "一、常住人口\n全县常住人口为562657人。\n四、年龄构成\n"
        "全县常住人口中,0-14岁人口为149779人,占26.62%;15-59岁人口为305466人,占54.29%;60岁及以上人口为107411人,"
        "占19.09%,其中65岁及以上人口为80741人,占14.35%。\n"
    )
    parts = [(f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind is Kind.PARTS]
    assert (Verdict.INCONSISTENT, "149779人+305466人+107411人 = 562656人") in parts
    # bands that leave ages out (15-59 missing) are no complete list: short of the whole says nothing
    gap = text.replace("15-59岁人口为305466人,占54.29%;", "")
    assert Verdict.INCONSISTENT not in [f.verdict for f in _findings(tmp_path, gap) if f.kind is Kind.PARTS]


def test_a_whole_from_a_longer_paragraph_up_is_reported_where_its_parts_are(tmp_path: Path):
    text = "全县辖10个乡镇。全县面积1200平方公里。全县常住人口为1000人。\n全县常住人口中,0-59岁人口为700人,60岁及以上人口为300人。\n"
    found = [f for f in _findings(tmp_path, text) if f.kind is Kind.PARTS]
    assert [(f.verdict, f.location, f.computed) for f in found] == [
        (Verdict.CONSISTENT, "第2段（第2行）", "700人+300人 = 1000人")
    ]


def test_a_census_table_that_lost_its_header_is_read_by_its_rows(tmp_path: Path):
    # 189.txt, 2000年人口普查 表3-1a as the statistics bureau's page comes back: age rows, 合计 男 女 with no header
    rows = [
        "0-4岁 13077563 6977826 6099737",
        "0岁 2632639 1396760 1235879",
        "1岁 2399033 1282946 1116087",
        "2岁 2616966 1402729 1214237",
        "3岁 2673366 1426952 1246414",
        "4岁 2755559 1468439 1287120",
    ]
    text = "\n".join(rows).replace("2673366", "2673666") + "\n"
    found = [(f.verdict, f.computed) for f in _findings(tmp_path, text) if "第3列 + 第4列" in f.computed]
    assert len(found) == 6
    assert found[4] == (Verdict.INCONSISTENT, "第3列 + 第4列 = 2673366")


def test_the_row_whose_share_is_100_is_the_tables_whole(tmp_path: Path):
    # 216.txt, 秀山县 七普 公报 表1-1: the county's own row, not 合计, totals its 街道 and 镇
    text = (
        "| 地 区 | 常住人口(人) | 占全縣比重(%) |\n| 秀山縣 | 496194 | 100.00 |\n| 中和街道 | 103387 | 20.84 |\n"
        "| 烏楊街道 | 48205 | 9.71 |\n| 其他乡镇 | 344602 | 69.45 |\n"
    )
    found = [(f.kind, f.verdict, f.computed) for f in _findings(tmp_path, text)]
    assert (Kind.PARTS, Verdict.CONSISTENT, "其余3行之和 = 496194") in found
    assert (Kind.RATE, Verdict.CONSISTENT, "103387÷496194 = 20.8360%") in found
    wrong = [f.verdict for f in _findings(tmp_path, text.replace("344602", "344702")) if f.kind is Kind.PARTS]
    assert Verdict.INCONSISTENT in wrong


def test_a_quarterly_table_whose_header_kept_only_its_unit_column(tmp_path: Path):
    # 182.txt, 2019年1季度深圳民政统计季报: label, unit and figure run together under a lone "单 位"
    text = (
        "编制单位:深圳市         \n      单 位   \n二、社会工作 \n(一)提供住宿的社会服务 \n 1. 机构数40\n"
        "  (1)老年人与残疾人服务机构(不含敬老院)27\n      A 城市养老机构22\n      B 社会福利院5\n"
        "  (2)智障与精神病人服务机构1\n  (3)儿童收养救助服务机构9\n      A 儿童福利机构1\n"
        "      B 未成年人救助保护中心8\n  (4)其他提供住宿机构3\n"
    )
    found = [(f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind is Kind.PARTS]
    assert (Verdict.CONSISTENT, "下一级4项之和 = 40") in found
    wrong = _findings(tmp_path, text.replace("B 社会福利院5", "B 社会福利院7"))
    assert Verdict.INCONSISTENT in [f.verdict for f in wrong if f.kind is Kind.PARTS]


# The seventh blind set's false 不一致 (collection-7.md), each on its real text, fixed by its class.


def test_a_death_rate_is_not_over_the_births(tmp_path: Path):
    # 246.txt, a provincial 公报: 死亡率 is over the average population, which the text does not print
    text = (
        "2021年末全省常住人口中,出生人口24.64萬人,比上年減少4.16萬人;出生率為7.06‰,比上年下降1.20個千分點。"
        "死亡人口25.54萬人,比上年增加1.06萬人;死亡率為7.32‰,比上年上升0.30個千分點。"
    )
    assert _inconsistent(tmp_path, text) == []


def test_shares_that_do_not_make_100_are_not_of_the_parts_sum(tmp_path: Path):
    # 253.txt, 七普 公报: the four regions add to 1409778724 (31 provinces), their shares to 99.86 — of the national total
    text = (
        "分区域看,东部地区人口为563717119人,占39.93%;中部地区人口为364694362人,占25.83%;"
        "西部地区人口为382852295人,占27.12%;东北地区人口为98514948人,占6.98%。"
    )
    assert _inconsistent(tmp_path, text) == []


def test_a_page_that_lost_a_full_stop_joins_two_share_lists_a_long_gap_parts_them(tmp_path: Path):
    # 255.txt, 六普 公报 as a scrape ran it together: 男/女 make 100%, the age bands another 100%
    text = (
        "大陆31个省、自治区、直辖市和现役军人的人口中，男性人口为686852572人，占51.27%；女性人口为652872280人，占48.73%"
        "总人口性别比（以女性为100，男性对女性的比例）由2000年第五次全国人口普查的106.74下降为105.20五、年龄构成大陆31个省、"
        "自治区、直辖市和现役军人的人口中，0-14岁人口为222459737人，占16.60%；15-59岁人口为939616410人，占70.14%；"
        "60岁及以上人口为177648705人，占13.26%。"
    )
    rates = [(f.verdict, f.computed) for f in _findings(tmp_path, text) if f.kind is Kind.RATE]
    assert rates[0] == (Verdict.CONSISTENT, "686852572人÷1339724852人 = 51.2682%")
    assert (
        Verdict.CONSISTENT,
        "222459737人÷1339724852人 = 16.6049%",
    ) in rates  # the bands' own sum, by chance equal
    assert _inconsistent(tmp_path, text) == []


def test_a_surveys_sample_is_no_whole_of_the_breakdown_after_it(tmp_path: Path):
    # 225.txt: 调查常住人口47.7万人 is the sample; the 城镇/乡村 breakdown is of the region's population
    text = (
        "自治区统计局采取分层、整群、概率比例的抽样方法,共抽取3428个村级调查样本,调查常住人口47.7万人。\n"
        "分城乡看,城镇常住人口1637.04万人;乡村常住人口762.96万人。\n"
    )
    assert _inconsistent(tmp_path, text) == []


def test_a_total_that_moved_from_one_figure_to_another_sums_nothing(tmp_path: Path):
    # 230.txt, 監察院 長照 report: 合计数自A增至B is two levels of one total
    text = "中央部會辦理長照業務之年度預算合計數自31.88億元增至366.89億元,同期間決算合計數自29.97億元提高至194.03億元。"
    assert _inconsistent(tmp_path, text) == []


def test_a_figure_compared_against_is_no_whole_of_the_group_after_it(tmp_path: Path):
    # 247.txt, 新罗区 七普: 662429 is the 2010 figure, not the 常住人口 男/女 split
    text = (
        "全區常住人口與2010年第六次全國人口普查的662429人相比,增加179316人。\n"
        "常住人口中,男性人口為431890人,占51.31%;女性人口為409855人,占48.69%。\n"
    )
    assert _inconsistent(tmp_path, text) == []


def test_fewer_persons_than_households_cannot_be_divided(tmp_path: Path):
    # 254.txt: a scrape put a 4 before 1739089户
    text = "全市常住人口中共有家庭户 41739089 户,家庭户人口为 5364766 人,平均每个家庭户的人口为 3.08 人。"
    assert [v for v, _ in _per_unit(tmp_path, text)] == [Verdict.UNCHECKABLE]


def test_siblings_indented_one_space_deeper_are_no_children(tmp_path: Path):
    # 241.txt, 福建统计年鉴2021 表19-4
    text = (
        "  总计  Total 92676 37064 456\n"
        "   养老机构   Pension Institutions 84312 32693 299\n"
        "      社会福利院    Social Welfare Homes 14403 5015 165\n"
        "      特困人员救助供养机构    Extremely Poor People Salvage Agencies 14448 6023 16\n"
        "      其他各类养老机构    Others 55461 21655 118\n"
        "    社会福利医院   Social Welfare Hospitals 3883 3390 47\n"
        "    儿童福利机构   Baby Welfare Homes 2073 527 30\n"
        "    其他提供住宿的服务机构   Other accommodation services 2406 454 78\n"
    )
    assert _inconsistent(tmp_path, text) == []


def test_persons_per_household_from_the_pair_closing_the_sentence_before(tmp_path: Path):
    # 247.txt, 新罗区 七普 公报: 777901 ÷ 275307 = 2.83, printed 2.66 (a published error)
    text = "全區(qū)共有家庭戶275307戶,家庭戶人口為777901人。平均每個家庭戶的人口為2.66人,比2010年第六次全國人口普查的2.68人減少了0.02人。"
    assert _per_unit(tmp_path, text) == [(Verdict.INCONSISTENT, "777901人÷275307户 = 2.8256人")]
