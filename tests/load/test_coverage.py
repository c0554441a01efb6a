"""Zeros where a county's rosters cover a period: a township or village they list nobody in counts 0 (so the
county's sums include it), never where no roster counts anyone in the county, nor below a region listed itself."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from report_builder.issues import BadInput, IssueCode
from report_builder.load import load_inputs
from report_builder.load.rosters import DIBAO_FIELDS, TEKUN_FIELDS, check_digit
from report_builder.periods import Period

REGIONS = """代码,名称,上级代码,层级
990100,示例市,,市
990123,示例县,990100,县
990123101000,城关镇,990123,乡
990123102000,青山镇,990123,乡
990123103000,河口镇,990123,乡
990123103001,东村,990123103000,村
990123103002,西村,990123103000,村
990123104000,石桥镇,990123,乡
990123104001,南村,990123104000,村
990124,邻县,990100,县
990124101000,新场镇,990124,乡
"""
CITY, COUNTY, OTHER_COUNTY = "990100", "990123", "990124"
LISTED, EMPTY, BY_VILLAGE, EAST, WEST, BY_TOWN, SOUTH = (
    "990123101000",
    "990123102000",
    "990123103000",
    "990123103001",
    "990123103002",
    "990123104000",
    "990123104001",
)
ELSEWHERE = "990124101000"
Q2, Q3 = Period.parse("2020Q2"), Period.parse("2020Q3")


def _id(n: int) -> str:
    first = f"990123{dt.date(1950, 1, 1):%Y%m%d}{n:03d}"
    return first + check_digit(first)


# 2020Q3 only: 农村低保 in 城关镇, in 东村 (a village of 河口镇) and at 石桥镇 itself; 特困 in 城关镇 alone.
ROWS = [
    (1, "H1", LISTED, "农村低保"),
    (2, "H1", LISTED, "农村低保"),
    (3, "H2", EAST, "农村低保"),
    (4, "H3", BY_TOWN, "农村低保"),
    (5, "T1", LISTED, "特困"),
]


@pytest.fixture
def folder(data_dir: Callable[..., Path]) -> Path:
    folder = data_dir(regions=REGIONS)
    with (folder / "名册.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("身份证号", "姓名", "户编号", "区划代码", "统计期", "保障类别"))
        writer.writerows((_id(n), "", h, code, "2020Q3", c) for n, h, code, c in ROWS)
    return folder


def test_regions_of_a_covered_county_with_nobody_listed_count_zero(folder: Path) -> None:
    data = load_inputs(folder).dataset

    def reported(code: str, fid: str, period: Period = Q3) -> Decimal | None:
        fact = data.reported(code, period, fid)
        return None if fact is None else fact.value

    for fid in (*DIBAO_FIELDS, *TEKUN_FIELDS):
        assert reported(EMPTY, fid) == 0, fid  # nobody listed in 青山镇
        assert data.reported(EMPTY, Q3, fid).cell.file == "名册.csv"  # type: ignore[union-attr]
        assert reported(ELSEWHERE, fid) is None  # 邻县 has no roster: no zeros invented
        assert reported(EMPTY, fid, Q2) is None  # nor for a period no roster covers
    assert reported(WEST, "dibao_rural_persons") == 0  # 西村, beside 东村 which has people
    assert reported(BY_VILLAGE, "dibao_rural_persons") is None  # its villages hold the count
    assert reported(SOUTH, "dibao_rural_persons") is None  # people listed at 石桥镇 may live in 南村
    for code in (BY_VILLAGE, EAST, WEST, BY_TOWN, SOUTH):  # 特困 is in 城关镇 only: zero everywhere else
        assert reported(code, "tekun_persons") == 0, code  # 石桥镇's 0 holds nobody, so 南村 holds nobody
    assert data.total(COUNTY, Q3, "dibao_rural_persons") == 4  # every township known: the sum is not skipped
    assert data.total(COUNTY, Q3, "dibao_rural_households") == 3
    assert data.total(COUNTY, Q3, "tekun_persons") == 1
    assert data.total(BY_VILLAGE, Q3, "dibao_rural_persons") == 1
    assert data.total(CITY, Q3, "dibao_rural_persons") is None  # 邻县 unknown, not zero


def test_a_zero_must_agree_with_a_fact_table(folder: Path) -> None:
    (folder / "人口.csv").write_text(
        f"区划代码,统计期,农村低保人数\n{EMPTY},2020Q3,5\n{ELSEWHERE},2020Q3,7\n", encoding="utf-8"
    )
    with pytest.raises(BadInput) as raised:
        load_inputs(folder)
    mismatches = [i for i in raised.value.report.errors if i.code is IssueCode.ROSTER_MISMATCH]
    assert len(mismatches) == 1  # 青山镇 (5 reported, nobody listed); 邻县's 7 stands, no roster covers it
    assert "青山镇" in mismatches[0].message and "名册.csv" in mismatches[0].message
    assert "人口.csv" in str(mismatches[0].location)


def test_the_indicators_of_an_empty_township_are_zero_not_blank(
    folder: Path, cli: Callable[..., object]
) -> None:
    (folder / "人口.csv").write_text(
        "区划代码,统计期,农村户籍人口\n"
        + "".join(f"{code},2020Q3,1000\n" for code in (LISTED, EMPTY, EAST, WEST, BY_TOWN)),
        encoding="utf-8",
    )
    result = cli("indicators", "--data", folder, "--period", "2020Q3", "--format", "csv")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    rows = {
        (r["region_code"], r["indicator"]): r["value"]
        for r in csv.DictReader(result.output.splitlines())  # type: ignore[attr-defined]
    }
    assert rows[(EMPTY, "dibao_rural_coverage")] == "0.00"
    assert rows[(COUNTY, "dibao_rural_coverage")] == "0.08"  # 4 persons of 5000
