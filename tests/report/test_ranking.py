"""The ranking both 汇总.xlsx and the 通报 print: worst first, ties share a rank, no value first and unranked; and
the 通报's context: the issuing office, what the ranked regions are called, the counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from report_builder.indicators.compute import Calculator
from report_builder.load import load_inputs
from report_builder.periods import Period
from report_builder.report.notice import notice_context
from report_builder.report.ranking import rank
from report_builder.targets.check import check_targets
from tests.conftest import REGIONS
from tests.hostile.conftest import run_cli

PERIOD = Period.parse("2020Q3")
FACTS = """区划代码,统计期,农村户籍人口,农村低保户数,农村低保人数
990123101000,2020Q3,40000,900,1800
990123102000,2020Q3,30000,700,1500
990124101000,2020Q3,20000,300,600
990124102000,2020Q3,13000,300,600
990125,2020Q3,8000,,
"""
TARGETS = "指标,比较,目标值,区划代码,期间,依据\ndibao_rural_coverage,>=,5,*,2020Q3,示例市民政局下达\n"


def checked(data_dir: Callable[..., Path]):
    folder = data_dir(
        {"低保.csv": FACTS, "targets.csv": TARGETS}, regions=REGIONS + "990125,空县,990100,县\n"
    )
    inputs = load_inputs(folder)
    codes = ["990123", "990124", "990125"]
    data = inputs.dataset
    return data, codes, check_targets(data, inputs.targets, PERIOD, Calculator(data), within=set(codes))


def test_ties_share_a_rank_and_a_region_without_a_value_is_first_and_unranked(data_dir) -> None:
    data, _, results = checked(data_dir)
    (ranking,) = rank(results, data)
    # 示例县 3300/70000 = 4.71%, 邻县 1200/33000 = 3.64%; 空县 has no 低保人数.
    assert [(t.region, t.value, t.rank, t.status) for t in ranking.lines] == [
        ("空县", "—", None, "无法判断"),
        ("邻县", "3.64%", 2, "未达标"),
        ("示例县", "4.71%", 1, "未达标"),
    ]
    assert [t.region for t in ranking.misses] == ["邻县", "示例县"]
    assert [t.region for t in ranking.unknown] == ["空县"]
    assert ranking.target == "≥5%" and ranking.target_words == "不低于5%"

    # 邻县 given 示例县's exact value: both are first (in the order checked); 空县 stays unranked.
    mine = next(r for r in results if r.region == "990123")
    tied = [replace(mine, region="990124") if r.region == "990124" else r for r in results]
    (ranking,) = rank(tied, data)
    assert [(t.region, t.rank) for t in ranking.lines] == [("空县", None), ("示例县", 1), ("邻县", 1)]


def test_the_notice_context_counts_and_names(data_dir) -> None:
    data, codes, results = checked(data_dir)
    context = notice_context(data, results, codes, ["990123"], PERIOD, dt.date(2020, 10, 10))
    assert (
        context["org"] == "示例市民政局"
        and context["sub"] == "县（市、区）"
        and context["ranked_level"] == "县"
    )
    assert context["unranked"] == ["示例县"]
    # 示例县 is refused (its data) and left out; 邻县 is ranked, 空县 is checked but has no value to rank.
    assert (context["regions"], context["ranked_regions"], context["pairs"]) == (3, 1, 2)
    assert (context["met"], context["missed"], context["unknown"]) == (0, 1, 1)
    assert context["date"] == "2020年10月10日" and context["bases"] == ["示例市民政局下达"]


def test_build_refuses_the_notice_template(tmp_path: Path) -> None:
    from tests.conftest import SAMPLE

    run = run_cli("build", "--data", SAMPLE, "--period", "2020Q3", "--template", "notice", "--out", tmp_path)
    run.ended(2, "--template", "模板“notice”是 batch 写出的通报")
