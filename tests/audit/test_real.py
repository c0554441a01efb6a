"""The audit on real published passages (tests/audit/real/, scored by tests/audit/score.py), and the phrasings
they needed, each tested on the real sentence it came from."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from report_builder.audit.findings import Kind, Verdict
from report_builder.audit.run import audit_file
from tests.audit.score import REAL, score


def test_development_part_does_not_fall_back():
    result = score(REAL)
    assert (result.passages, result.relations, result.errors) == (32, 147, 4)
    assert result.false_alarms == []
    assert result.flagged >= 3
    assert result.checked_full >= 95


def _findings(tmp_path: Path, text: str):
    path = tmp_path / "passage.txt"
    path.write_text(text, encoding="utf-8")
    return audit_file(path)


def test_monthly_subsidy_is_the_amount_over_the_cases(tmp_path: Path):
    # 01.txt, a 市民政局 2021 summary: 7877094 ÷ 126343 = 62.35, not 61.3
    text = "XX年111月保障对象126343人次,发放保障金7877094元,人均月补差61.3元,其中本级对象90851人次"
    found = [f for f in _findings(tmp_path, text) if f.kind is Kind.PER_UNIT]
    assert [(f.verdict, f.number) for f in found] == [(Verdict.INCONSISTENT, Decimal("61.3"))]


UNCERTAIN_BASES = {
    # 02.txt: 27.2% is of 市本级 (41878人), not of the 全市 57374人 the sentence opens with
    "named base": "全市城市低保对象33087户57374人,其中市本级23502户41878人,双矿集团低保对象6273户11381人,"
    "占市本级低保对象27.2%;农村低保对象25070户42469人",
    # 09.txt: 占总人口的 with no 总人口 printed
    "total population": "截至2018年年底,我国60 周岁及以上人口达到约2.49 亿人,占总人口的17.9%;"
    "其中65周岁及以上人口16658 万人(约1.67 亿人),占总人口的11.9%",
    # 13.txt: 318.4万人 are the elderly in care, not the 老年人口 the 27.2张 is counted over
    "per thousand": "各类养老床位577.8万张,比上年增长17.0%(每千名老年人拥有养老床位27.2张,比上年增长11.5%),"
    "其中社区留宿和日间照料床位187.5万张;年末收留抚养老年人318.4万人,比上年增长4.2%。",
}


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
