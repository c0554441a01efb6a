"""The filters print exactly what a Chinese report prints: value in, string out, one table per filter.

Decided here: an amount's unit is chosen on the rounded figure, so 99999999.99元 (10000.00万元 once rounded)
is '1亿元', never '10000万元'; a change that rounds to zero is 持平; a missing value is '—' with no unit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from report_builder.indicators.compare import Change
from report_builder.numbers import (
    Rounding,
    fmt_amount,
    fmt_count,
    fmt_growth,
    fmt_points,
    fmt_value,
    fmt_wan,
)
from report_builder.periods import Period
from report_builder.report import filters as f

HALF_UP, HALF_EVEN = Rounding.HALF_UP, Rounding.HALF_EVEN

Q3 = Period.parse("2020Q3")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (48824, "48824"),
        (0, "0"),
        (1234567890, "1234567890"),
        (D("48824"), "48824"),
        (D("48824.0"), "48824"),
        (D("4.5"), "5"),
        (D("-12"), "-12"),
        (D("-0.4"), "0"),
        (D("1E+3"), "1000"),
        (None, "—"),
    ],
)
def test_count(value, expected):
    assert fmt_count(value) == expected
    assert f.count(value) == expected


def test_count_half_even():
    assert fmt_count(D("4.5"), HALF_EVEN) == "4"


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [
        (0, "0元"),
        (8650, "8650元"),
        (9999, "9999元"),
        (D("9999.49"), "9999元"),
        (D("8650.5"), "8651元"),
        (D("9999.5"), "1万元"),  # rounds to 10000元, so it is written in 万元
        (10000, "1万元"),
        (10001, "1万元"),
        (123000, "12.3万元"),
        (1389500, "138.95万元"),
        (D("13850050"), "1385.01万元"),  # 1385.005万: an exact half, rounded up
        (D("13850049.99"), "1385万元"),
        (99995000, "9999.5万元"),
        (99999499, "9999.95万元"),
        (D("99999999.99"), "1亿元"),  # 10000.00万 once rounded: the unit follows the rounded figure
        (99999950, "1亿元"),
        (100000000, "1亿元"),
        (160000000, "1.6亿元"),
        (123456789012, "1234.57亿元"),
        (D("150000000"), "1.5亿元"),
        (-8650, "-8650元"),
        (-1389500, "-138.95万元"),
        (-160000000, "-1.6亿元"),
        (D("-0.4"), "0元"),
        (None, "—"),
    ],
)
def test_amount(yuan, expected):
    assert fmt_amount(yuan) == expected
    assert f.amount(yuan) == expected


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [
        (D("8650.5"), "8650元"),
        (D("8651.5"), "8652元"),
        (D("13850050"), "1385万元"),  # 1385.005万 to even
        (D("13850150"), "1385.02万元"),
        (D("125000000"), "1.25亿元"),
        (D("1234500000"), "12.34亿元"),
    ],
)
def test_amount_half_even(yuan, expected):
    assert fmt_amount(yuan, HALF_EVEN) == expected
    assert f.amount(yuan, HALF_EVEN) == expected


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_amount_figure_always_fits_its_unit(cents):
    text = fmt_amount(D(cents).scaleb(-2))
    number, unit = (text[:-2], text[-2:]) if text.endswith(("万元", "亿元")) else (text[:-1], text[-1:])
    magnitude = abs(D(number))
    assert unit in {"元", "万元", "亿元"}
    if unit != "亿元":
        assert magnitude < 10000
    if unit != "元":
        assert magnitude >= 1
        assert len(number.partition(".")[2]) <= 2


@pytest.mark.parametrize(
    ("count", "unit", "expected"),
    [
        (48824, "人次", "48824人次"),
        (99999, "人次", "99999人次"),
        (D("99999.5"), "人次", "10万人次"),
        (100000, "人次", "10万人次"),
        (198000, "人次", "19.8万人次"),
        (1234567, "人", "123.46万人"),
        (0, "人", "0人"),
        (-198000, "人次", "-19.8万人次"),
        (None, "人次", "—"),
    ],
)
def test_wan(count, unit, expected):
    assert fmt_wan(count, unit) == expected
    assert f.wan(count, unit) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "rounding", "expected"),
    [
        (D("4.505"), 2, "%", HALF_UP, "4.51%"),
        (D("45.06"), 1, "张", HALF_UP, "45.1张"),
        (D("2.675"), 2, "", HALF_UP, "2.68"),
        (D("6.25"), 1, "%", HALF_UP, "6.3%"),
        (D("6.25"), 1, "%", HALF_EVEN, "6.2%"),
        (D("6.35"), 1, "%", HALF_EVEN, "6.4%"),
        (0, 2, "%", HALF_UP, "0.00%"),
        (D("-0.001"), 1, "%", HALF_UP, "0.0%"),
        (None, 2, "%", HALF_UP, "—"),
    ],
)
def test_value(value, decimals, unit, rounding, expected):
    assert fmt_value(value, decimals, unit, rounding) == expected
    assert f.value(value, decimals, unit, rounding) == expected


@pytest.mark.parametrize(
    ("diff", "decimals", "rounding", "expected"),
    [
        (D("0.12"), 2, HALF_UP, "提高0.12个百分点"),
        (D("-0.12"), 2, HALF_UP, "下降0.12个百分点"),
        (D("0.125"), 2, HALF_UP, "提高0.13个百分点"),
        (D("-0.125"), 2, HALF_UP, "下降0.13个百分点"),
        (D("0.125"), 2, HALF_EVEN, "提高0.12个百分点"),
        (D("1.5"), 1, HALF_UP, "提高1.5个百分点"),
        (0, 2, HALF_UP, "持平"),
        (D("0.004"), 2, HALF_UP, "持平"),
        (D("-0.004"), 2, HALF_UP, "持平"),
        (D("0.005"), 2, HALF_UP, "提高0.01个百分点"),
        (D("0.005"), 2, HALF_EVEN, "持平"),
        (None, 2, HALF_UP, "—"),
    ],
)
def test_points(diff, decimals, rounding, expected):
    assert fmt_points(diff, decimals, rounding) == expected
    assert f.points(diff, decimals, rounding) == expected


@pytest.mark.parametrize(
    ("current", "base", "rounding", "expected"),
    [
        (1032, 1000, HALF_UP, "增长3.2%"),
        (968, 1000, HALF_UP, "下降3.2%"),
        (D("1000.5"), 1000, HALF_UP, "增长0.1%"),  # exactly 0.05%, up
        (D("1000.5"), 1000, HALF_EVEN, "持平"),  # 0.05% to even is 0.0
        (1000, 1000, HALF_UP, "持平"),
        (100040, 100000, HALF_UP, "持平"),  # 0.04%: too small to show
        (99960, 100000, HALF_UP, "持平"),
        (0, 1000, HALF_UP, "下降100.0%"),
        (2000, 1000, HALF_UP, "增长100.0%"),
        (5, 0, HALF_UP, "—"),
        (0, 0, HALF_UP, "—"),
        (5, -10, HALF_UP, "—"),
        (5, None, HALF_UP, "—"),
        (None, 1000, HALF_UP, "—"),
    ],
)
def test_growth(current, base, rounding, expected):
    assert fmt_growth(current, base, rounding) == expected
    assert f.growth(current, base, rounding) == expected


@pytest.mark.parametrize("formatter", [fmt_count, fmt_amount, lambda v: fmt_value(v, 1, "%")])
def test_float_is_refused(formatter):
    with pytest.raises(TypeError):
        formatter(6.25)


@pytest.mark.parametrize(
    ("ch", "decimals", "expected"),
    [
        (Change(Q3.year_earlier(), D(1032), D(1000), D("3.2"), False), 2, "增长3.2%"),
        (Change(Q3.year_earlier(), D(968), D(1000), D("-3.2"), False), 2, "下降3.2%"),
        (Change(Q3.year_earlier(), D("4.63"), D("4.51"), D("0.12"), True), 2, "提高0.12个百分点"),
        (Change(Q3.year_earlier(), D("4.39"), D("4.51"), D("-0.12"), True), 2, "下降0.12个百分点"),
        (Change(Q3.year_earlier(), D("4.51"), D("4.51"), D("0.001"), True), 2, "持平"),
        (
            Change(Q3.year_earlier(), D(1), None, None, False, "缺少2019年三季度数据"),
            2,
            "无法比较（缺少2019年三季度数据）",
        ),
        (None, 2, "—"),
    ],
)
def test_change(ch, decimals, expected):
    assert f.change(ch, decimals) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "零"),
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (250, "二百五十"),
        (999, "九百九十九"),
    ],
)
def test_cn_number(n, expected):
    assert f.cn_number(n) == expected


@pytest.mark.parametrize(
    ("n", "error"), [(-1, ValueError), (1000, ValueError), (D(3), TypeError), (True, TypeError)]
)
def test_cn_number_refuses(n, error):
    with pytest.raises(error):
        f.cn_number(n)


@pytest.mark.parametrize(
    ("n", "style", "expected"),
    [
        (1, "heading1", "一、"),
        (12, "heading1", "十二、"),
        (1, "heading2", "（一）"),
        (10, "heading2", "（十）"),
        (1, "heading3", "1."),
        (12, "heading3", "12."),
        (1, "heading4", "（1）"),
        (12, "heading4", "（12）"),
        (1, "shi", "一是"),
        (3, "shi", "三是"),
        (1, "di", "第一"),
        (21, "di", "第二十一"),
    ],
)
def test_ordinal(n, style, expected):
    assert f.ordinal(n, style) == expected


@pytest.mark.parametrize(("n", "style"), [(0, "heading1"), (0, "heading3"), (1, "heading5"), (1000, "shi")])
def test_ordinal_refuses(n, style):
    with pytest.raises(ValueError):
        f.ordinal(n, style)


@pytest.mark.parametrize(
    ("period", "label", "ytd", "as_of"),
    [
        (Q3, "2020年三季度", "2020年1—9月", "截至2020年9月30日"),
        ("2020Q1", "2020年一季度", "2020年1—3月", "截至2020年3月31日"),
        ("2020-01", "2020年1月", "2020年1月", "截至2020年1月31日"),
        ("2020-02", "2020年2月", "2020年1—2月", "截至2020年2月29日"),
        ("2020", "2020年", "2020年", "截至2020年12月31日"),
    ],
)
def test_periods(period, label, ytd, as_of):
    assert f.period_label(period) == label
    assert f.ytd_label(period) == ytd
    assert f.as_of(period) == as_of


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (dt.date(2020, 9, 30), "2020年9月30日"),
        (dt.date(2021, 1, 5), "2021年1月5日"),
        (dt.datetime(2021, 1, 5, 8, 30), "2021年1月5日"),
        ("2020-09-30", "2020年9月30日"),
        ("2021-01-05", "2021年1月5日"),
        (" 2021-01-05 ", "2021年1月5日"),
        ("2021-01-05T08:30:00", "2021年1月5日"),
    ],
)
def test_cn_date(d, expected):
    assert f.cn_date(d) == expected


@pytest.mark.parametrize(
    ("d", "error"), [("2020年9月30日", ValueError), ("2020-02-30", ValueError), (20200930, TypeError)]
)
def test_cn_date_refuses(d, error):
    with pytest.raises(error):
        f.cn_date(d)


@pytest.mark.parametrize(
    ("items", "kwargs", "expected"),
    [
        (["A", "B", "C"], {}, "A、B、C"),
        (["A", "B", "C"], {"last": "和"}, "A、B和C"),
        (["A", "B"], {"last": "和"}, "A和B"),
        (["A"], {"last": "和"}, "A"),
        (["A", "B", "C"], {"sep": "；", "end": "。"}, "A；B；C。"),
        (["A"], {"sep": "；", "end": "。"}, "A。"),
        (["A", "", None, " ", "C"], {}, "A、C"),
        ((s for s in ["甲", "乙"]), {"last": "及"}, "甲及乙"),
        ([1, 2], {}, "1、2"),
        ([], {}, ""),
        ([], {"end": "。"}, ""),
        (["", None], {"end": "。"}, ""),
    ],
)
def test_join_cn(items, kwargs, expected):
    assert f.join_cn(items, **kwargs) == expected


def test_filters_in_a_template():
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters.update(f.FILTERS)
    template = env.from_string(
        "{{ 1 | ordinal('heading1') }}{{ p | as_of }}，{{ p | ytd_label }}发放{{ money | amount }}，"
        "覆盖{{ persons | count }}人，覆盖率{{ rate | value(2, '%') }}，{{ diff | points(2) }}；"
        "{{ persons | growth(base) }}，{{ visits | wan('人次') }}。{{ parts | join_cn(last='和', end='。') }}"
    )
    text = template.render(
        p=Q3, money=D("13850050"), persons=48824, base=47310, rate=D("4.505"), diff=D("-0.12"),
        visits=198000, parts=["城关镇", "青山镇", "河口镇"],
    )  # fmt: skip
    assert text == (
        "一、截至2020年9月30日，2020年1—9月发放1385.01万元，覆盖48824人，覆盖率4.51%，下降0.12个百分点；"
        "增长3.2%，19.8万人次。城关镇、青山镇和河口镇。"
    )


def test_filters_registry():
    assert set(f.FILTERS) == {
        "count", "amount", "wan", "value", "points", "growth", "change", "cn_number", "ordinal",
        "period_label", "ytd_label", "cn_date", "as_of", "join_cn",
    }  # fmt: skip
    assert all(callable(fn) for fn in f.FILTERS.values())
