"""The Jinja filters of a Chinese official report: numbers, Chinese numerals and ordinals, periods and dates.

They exist so that templates never format a number, a date or a list themselves: a template writes
`{{ v | amount }}` or `{{ loop.index | ordinal("shi") }}`, and the rounding (四舍五入 or the data folder's mode),
the units (元/万元/亿元), the 持平 rule and the numbering styles of 党政机关公文 are decided here, once, and
tested here. The template environment registers `FILTERS`; the functions are importable for Python callers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from report_builder.indicators.compare import Change
from report_builder.numbers import (
    MISSING,
    Rounding,
    cn_number,
    fmt_amount,
    fmt_count,
    fmt_growth,
    fmt_points,
    fmt_value,
    fmt_wan,
)
from report_builder.periods import Period

HALF_UP = Rounding.HALF_UP


def count(v: Decimal | int | None, rounding: Rounding = HALF_UP) -> str:
    """{{ persons | count }} → '48824'."""
    return fmt_count(v, rounding)


def amount(yuan: Decimal | int | None, rounding: Rounding = HALF_UP) -> str:
    """{{ funds | amount }} → '8650元', '138.95万元', '1.6亿元'."""
    return fmt_amount(yuan, rounding)


def wan(v: Decimal | int | None, unit: str = "", rounding: Rounding = HALF_UP) -> str:
    """{{ visits | wan("人次") }} → '19.8万人次' from 10万 up, else '48824人次'."""
    return fmt_wan(v, unit, rounding)


def value(v: Decimal | int | None, decimals: int, unit: str = "", rounding: Rounding = HALF_UP) -> str:
    """{{ iv.value | value(ind.decimals, ind.unit) }} → '4.51%'; '—' when missing."""
    return fmt_value(v, decimals, unit, rounding)


def points(diff: Decimal | int | None, decimals: int, rounding: Rounding = HALF_UP) -> str:
    """{{ diff | points(2) }} → '提高0.12个百分点' / '下降0.12个百分点' / '持平'."""
    return fmt_points(diff, decimals, rounding)


def growth(current: Decimal | int | None, base: Decimal | int | None, rounding: Rounding = HALF_UP) -> str:
    """{{ now | growth(last_year) }} → '增长3.2%' / '下降3.2%' / '持平'; '—' without a positive base."""
    return fmt_growth(current, base, rounding)


def change(ch: Change | None, decimals: int, rounding: Rounding = HALF_UP) -> str:
    """{{ yoy | change(ind.decimals) }}: the words of a 同比/环比 `Change`, '无法比较（…）' with its reason.

    增长3.2% / 下降3.2% / 持平 for a count; 提高0.12个百分点 / 下降0.12个百分点 / 持平 for a rate. `decimals` are the
    indicator's and apply to 个百分点; a growth rate always shows one decimal. The indicators return numbers
    only, so this is the one place a change becomes words.
    """
    if ch is None:
        return MISSING
    if ch.amount is None:
        return f"无法比较（{ch.reason}）"
    if ch.in_points:
        return fmt_points(ch.amount, decimals, rounding)
    return fmt_growth(ch.current, ch.base, rounding)


_ORDINALS: dict[str, Callable[[int], str]] = {
    "heading1": lambda n: f"{cn_number(n)}、",
    "heading2": lambda n: f"（{cn_number(n)}）",
    "heading3": lambda n: f"{n}.",
    "heading4": lambda n: f"（{n}）",
    "shi": lambda n: f"{cn_number(n)}是",
    "di": lambda n: f"第{cn_number(n)}",
}


def ordinal(n: int, style: str) -> str:
    """The numbering of 公文 headings and enumerations, for n ≥ 1.

    heading1 '一、', heading2 '（一）', heading3 '1.', heading4 '（1）' (the four heading levels of GB/T 9704),
    shi '一是' (一是…二是… in a paragraph), di '第一'. Parentheses are full-width.
    """
    if style not in _ORDINALS:
        raise ValueError(f"未知的序号样式“{style}”，可用：{'、'.join(_ORDINALS)}")
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"序号须为整数，不能是 {type(n).__name__}：{n!r}")
    if n < 1:
        raise ValueError(f"序号从 1 开始，收到 {n}")
    return _ORDINALS[style](n)


def _period(period: Period | str) -> Period:
    return period if isinstance(period, Period) else Period.parse(period)


def period_label(period: Period | str) -> str:
    """'2020年三季度' / '2020年9月' / '2020年'."""
    return _period(period).label


def ytd_label(period: Period | str) -> str:
    """'2020年1—9月': the year to date ending with the period."""
    return _period(period).ytd_label


def cn_date(d: dt.date | str) -> str:
    """'2020年9月30日': Arabic numerals without leading zeros, as 公文 write dates. Accepts ISO strings."""
    if isinstance(d, str):
        text = d.strip()
        try:
            d = dt.date.fromisoformat(text)
        except ValueError:
            d = dt.datetime.fromisoformat(text)
    if not isinstance(d, dt.date):
        raise TypeError(f"日期须为 date 或 ISO 字符串，不能是 {type(d).__name__}：{d!r}")
    return f"{d.year}年{d.month}月{d.day}日"


def as_of(period: Period | str) -> str:
    """'截至2020年9月30日': the last day of the period."""
    return "截至" + cn_date(_period(period).end)


def join_cn(items: Iterable[object], sep: str = "、", last: str | None = None, end: str = "") -> str:
    """Join the non-empty items of an enumeration: 'A、B、C'; last='和' → 'A、B和C'; sep='；', end='。' → 'A；B；C。'.

    None and blank items are dropped, so a template can list optional clauses. Nothing to join gives '' with
    no end mark, so an empty sentence does not leave a stray '。'.
    """
    parts = [item if isinstance(item, str) else str(item) for item in items if item is not None]
    parts = [part for part in parts if part.strip()]
    if not parts:
        return ""
    if last is not None and len(parts) > 1:
        return sep.join(parts[:-1]) + last + parts[-1] + end
    return sep.join(parts) + end


FILTERS: dict[str, Callable[..., str]] = {
    "count": count,
    "amount": amount,
    "wan": wan,
    "value": value,
    "points": points,
    "growth": growth,
    "change": change,
    "cn_number": cn_number,
    "ordinal": ordinal,
    "period_label": period_label,
    "ytd_label": ytd_label,
    "cn_date": cn_date,
    "as_of": as_of,
    "join_cn": join_cn,
}
