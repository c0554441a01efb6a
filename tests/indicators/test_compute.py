"""Indicator values: hand-computed figures, ratio of sums, 四舍五入, periods, 同比/环比, zero denominators."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from report_builder.indicators.compare import period_on_period, year_on_year
from report_builder.indicators.compute import Calculator
from report_builder.load import load_inputs
from report_builder.numbers import Rounding, fmt_fixed
from report_builder.periods import Period
from report_builder.report.filters import change
from tests.conftest import SAMPLE, csv_text

Q = Period.parse
COUNTY, TOWN_A, TOWN_B = "990123", "990123101000", "990123102000"


def column_sum(filename: str, header: str, period: str) -> int:
    """Sum a column of a sample CSV the plain way, independent of the loader."""
    with open(SAMPLE / filename, encoding="utf-8-sig", newline="") as f:
        return sum(int(row[header]) for row in csv.DictReader(f) if row["统计期"] == period)


@pytest.fixture(scope="module")
def sample():
    data = load_inputs(SAMPLE)
    return data, Calculator(data.dataset)


def test_sample_county_matches_hand_sums(sample):
    data, calc = sample
    persons = column_sum("人口与低保.csv", "农村低保人数", "2020Q3")
    rural = column_sum("人口与低保.csv", "农村户籍人口", "2020Q3")
    beds = column_sum("养老服务.csv", "养老床位数", "2020Q3")
    elderly = column_sum("养老服务.csv", "60周岁及以上老年人口", "2020Q3")
    coverage = calc.indicator(data.indicators["dibao_rural_coverage"], COUNTY, Q("2020Q3"))
    assert (coverage.numerator, coverage.denominator) == (persons, rural)
    assert coverage.value == Decimal(persons) * 100 / Decimal(rural)
    per_1000 = calc.indicator(data.indicators["beds_per_1000_elderly"], COUNTY, Q("2020Q3"))
    assert per_1000.value == Decimal(beds) * 1000 / Decimal(elderly)
    # the city has only this county: its figures are the county's
    assert (
        calc.indicator(data.indicators["beds_per_1000_elderly"], "990100", Q("2020Q3")).value
        == per_1000.value
    )


def test_sample_county_literal_values(sample):
    """Figures read off the sample tables by hand (2020Q3 county totals)."""
    data, calc = sample
    shown = {
        iid: fmt_fixed(calc.indicator(ind, COUNTY, Q("2020Q3")).value, ind.decimals)
        for iid, ind in data.indicators.items()
    }
    assert shown["dibao_rural_coverage"] == "4.48"
    assert shown["beds_per_1000_elderly"] == "46.9"
    assert shown["nursing_bed_share"] == "36.9"
    assert shown["tekun_scattered"] == "1968"
    assert shown["relief_temporary_per_case"] == "825"


def two_towns(data_dir, header: str, a: str, b: str, period: str = "2020Q3"):
    folder = data_dir(
        {
            "d.csv": csv_text(
                f"{TOWN_A},{period},{a}", f"{TOWN_B},{period},{b}", header=f"区划代码,统计期,{header}"
            )
        }
    )
    data = load_inputs(folder)
    return data, Calculator(data.dataset)


def test_ratio_of_sums_not_mean_of_rates(data_dir):
    data, calc = two_towns(data_dir, "养老床位数,护理型床位数", "10,9", "1000,100")
    ind = data.indicators["nursing_bed_share"]
    assert fmt_fixed(calc.indicator(ind, TOWN_A, Q("2020Q3")).value, 1) == "90.0"
    assert fmt_fixed(calc.indicator(ind, TOWN_B, Q("2020Q3")).value, 1) == "10.0"
    county = calc.indicator(ind, COUNTY, Q("2020Q3"))
    assert (county.numerator, county.denominator) == (109, 1010)
    assert fmt_fixed(county.value, 1) == "10.8"  # the mean of the rates would be 50.0


def test_half_up_on_exact_halves(data_dir):
    data, calc = two_towns(data_dir, "养老床位数,护理型床位数", "16,1", "8,1")
    ind = data.indicators["nursing_bed_share"]
    value = calc.indicator(ind, TOWN_A, Q("2020Q3")).value
    assert value == Decimal("6.25")
    assert fmt_fixed(value, 1) == "6.3"
    assert (round(6.25, 1), f"{6.25:.1f}") == (6.2, "6.2")  # what float rounding would have printed
    assert fmt_fixed(calc.indicator(ind, TOWN_B, Q("2020Q3")).value, 1) == "12.5"
    assert fmt_fixed(Decimal("2.675"), 2) == "2.68"
    assert fmt_fixed(Decimal("0.125"), 2) == "0.13"
    assert fmt_fixed(Decimal("-0.125"), 2) == "-0.13"
    assert fmt_fixed(Decimal("-0.001"), 1) == "0.0"
    assert fmt_fixed(Decimal("6.25"), 1, Rounding.HALF_EVEN) == "6.2"


def test_zero_denominator_gives_no_value_and_a_reason(data_dir, cli):
    data, calc = two_towns(data_dir, "养老床位数,护理型床位数", "0,0", "10,1")
    result = calc.indicator(data.indicators["nursing_bed_share"], TOWN_A, Q("2020Q3"))
    assert result.value is None
    assert "为0" in result.reason
    assert fmt_fixed(result.value, 1) == "—"
    county = calc.indicator(data.indicators["nursing_bed_share"], COUNTY, Q("2020Q3"))
    assert county.value == 10


def test_missing_field_gives_a_reason(data_dir):
    data, calc = two_towns(data_dir, "养老床位数", "10", "20")
    result = calc.indicator(data.indicators["nursing_bed_share"], COUNTY, Q("2020Q3"))
    assert result.value is None
    assert "护理型床位数" in result.reason


QUARTERS = ["2020Q1", "2020Q2", "2020Q3"]


@pytest.fixture
def three_quarters(data_dir):
    header = "区划代码,统计期,临时救助人次,临时救助金额,农村低保人数,农村低保户数"
    rows = [f"{TOWN_A},{q},{10 * (i + 1)},{1000 * (i + 1)},{100 + i},50" for i, q in enumerate(QUARTERS)]
    data = load_inputs(data_dir({"d.csv": csv_text(*rows, header=header)}))
    return data, Calculator(data.dataset)


def test_year_to_date_sums_flows_and_takes_the_latest_stock(three_quarters):
    data, calc = three_quarters
    assert calc.field(TOWN_A, Q("2020Q3"), "relief_temporary_cases", ytd=True).value == 60
    assert calc.field(TOWN_A, Q("2020Q3"), "relief_temporary_cases").value == 30
    assert calc.field(TOWN_A, Q("2020Q3"), "dibao_rural_persons", ytd=True).value == 102
    per_case = calc.indicator(data.indicators["relief_temporary_per_case"], TOWN_A, Q("2020Q3"), ytd=True)
    assert per_case.value == 100  # 6000元 / 60人次
    year = calc.field(TOWN_A, Q("2020"), "relief_temporary_cases")
    assert year.value is None
    assert "2020年四季度" in year.reason  # never a partial year


def test_a_year_over_quarterly_data(data_dir):
    header = "区划代码,统计期,临时救助人次,农村低保人数"
    rows = [f"{TOWN_A},2020Q{q},{q},{100 + q}" for q in range(1, 5)]
    data = load_inputs(data_dir({"d.csv": csv_text(*rows, header=header)}))
    calc = Calculator(data.dataset)
    assert calc.field(TOWN_A, Q("2020"), "relief_temporary_cases").value == 10
    assert calc.field(TOWN_A, Q("2020"), "dibao_rural_persons").value == 104


def test_changes_in_words(sample):
    data, calc = sample
    ind = data.indicators
    assert (
        change(year_on_year(calc, ind["dibao_rural_coverage"], COUNTY, Q("2020Q3")), 2) == "下降0.08个百分点"
    )
    assert change(period_on_period(calc, ind["nursing_bed_share"], COUNTY, Q("2020Q3")), 1) == "持平"
    growth = year_on_year(calc, ind["beds_per_1000_elderly"], COUNTY, Q("2020Q3"))
    assert change(growth, 1) == "增长2.3%"
    assert growth.amount == (growth.current - growth.base) * 100 / growth.base
    missing = year_on_year(calc, ind["dibao_rural_coverage"], COUNTY, Q("2018Q3"))
    assert missing.amount is None
    assert change(missing, 2).startswith("无法比较（缺少2017年三季度数据")


def test_counts_fall_and_rates_rise(three_quarters):
    data, calc = three_quarters
    from report_builder.definitions import field_as_indicator

    cases = field_as_indicator(data.dataset.fields, "relief_temporary_cases")
    assert change(period_on_period(calc, cases, TOWN_A, Q("2020Q3")), 0) == "增长50.0%"
    assert change(period_on_period(calc, cases, TOWN_A, Q("2020Q2")), 0) == "增长100.0%"
    persons = field_as_indicator(data.dataset.fields, "dibao_rural_persons")
    assert change(period_on_period(calc, persons, TOWN_A, Q("2020Q3")), 0) == "增长1.0%"
