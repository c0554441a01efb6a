"""The one number formatter: Decimal in, the string a report prints out.

It sits on the ground floor because every layer prints numbers — the loader's messages, the target check's
notes, the auditor's intervals, the charts and the templates — and all of them must print the same digits.
Rounding happens here and only here, once, at display: 四舍五入 (ROUND_HALF_UP) as statistical publications
use it, or GB/T 8170's round-half-even when a data folder asks for it. Never `round()` or a float format spec,
which turn 6.25 into 6.2.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from enum import StrEnum

MISSING = "—"


class Rounding(StrEnum):
    """How a data folder rounds what it prints (config.toml `rounding`); parsed once, where it is read."""

    HALF_UP = "half_up"  # 四舍五入
    HALF_EVEN = "half_even"  # GB/T 8170 修约

    @property
    def mode(self) -> str:
        return ROUND_HALF_UP if self is Rounding.HALF_UP else ROUND_HALF_EVEN


def rounded(value: Decimal, decimals: int, rounding: Rounding = Rounding.HALF_UP) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=rounding.mode)


def fmt_fixed(value: Decimal | None, decimals: int, rounding: Rounding = Rounding.HALF_UP) -> str:
    """'45.1', '6.3', '0.00'; '—' for a missing value. Never '-0.0'."""
    if value is None:
        return MISSING
    shown = rounded(value, decimals, rounding)
    if shown == 0:
        shown = abs(shown)
    return f"{shown:f}"


# --- Prose formatters -----------------------------------------------------------------------------------------
# Each takes Decimal | int | None and returns the exact string a Chinese report prints, "—" for a missing value.
# They round through `rounded`/`fmt_fixed` only, so one data folder's rounding mode reaches every figure.

WAN = Decimal(10000)
WAN_PERSONS_FROM = Decimal(100000)  # 10万: below this a count of persons is written in full digits
AMOUNT_DECIMALS = 2  # 万元 and 亿元 show at most two decimals
GROWTH_DECIMALS = 1  # a growth rate always shows one decimal, whatever the indicator's own decimals


def _decimal(value: Decimal | int) -> Decimal:
    """Accept Decimal and int only: a float has already lost the exact value, so it is refused, not converted."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise TypeError(f"数值须为 Decimal 或 int，不能是 {type(value).__name__}：{value!r}")


def _trimmed(value: Decimal) -> str:
    """'138.95', '12.3', '1' from an already rounded value: 万元 and 亿元 drop trailing zeros.

    Done on the digits of the plain notation, not with Decimal.normalize(), which would write 1E+1.
    """
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _signed(negative: bool, text: str) -> str:
    """Put the sign back on a magnitude, unless it rounded to zero: never '-0元'."""
    return f"-{text}" if negative and text.strip("0.") else text


def fmt_count(value: Decimal | int | None, rounding: Rounding = Rounding.HALF_UP) -> str:
    """'48824': plain digits without thousands separators, as counts are written in prose.

    A count that is not a whole number (an average, a Decimal read from a sheet as 48824.0) is rounded to units.
    """
    if value is None:
        return MISSING
    return fmt_fixed(_decimal(value), 0, rounding)


def fmt_amount(yuan: Decimal | int | None, rounding: Rounding = Rounding.HALF_UP) -> str:
    """An amount stored in 元, in the unit a report uses for its size: '8650元', '138.95万元', '1.6亿元'.

    Each unit is tried on the *rounded* value, so that the figure printed always fits its unit: 9999.5元 is
    '1万元' rather than '10000元', and 99999999.99元 (10000.00万 once rounded to two decimals) is '1亿元'
    rather than '10000万元'. 万元 and 亿元 keep at most two decimals and drop trailing zeros. The sign is
    kept for a negative amount (a decrease, a refund); the magnitude is rounded, which for both modes is
    symmetric about zero.
    """
    if yuan is None:
        return MISSING
    amount = _decimal(yuan)
    size = abs(amount)
    in_yuan = rounded(size, 0, rounding)
    if in_yuan < WAN:
        return _signed(amount < 0, f"{in_yuan:f}") + "元"
    in_wan = rounded(size.scaleb(-4), AMOUNT_DECIMALS, rounding)
    if in_wan < WAN:
        return _signed(amount < 0, _trimmed(in_wan)) + "万元"
    in_yi = rounded(size.scaleb(-8), AMOUNT_DECIMALS, rounding)
    return _signed(amount < 0, _trimmed(in_yi)) + "亿元"


def fmt_wan(value: Decimal | int | None, unit: str, rounding: Rounding = Rounding.HALF_UP) -> str:
    """A count of persons in 万 once it reaches 10万 ('19.8万人次'), else in full digits ('48824人次').

    For templates that ask for the short form of large counts; the threshold is decided on the count rounded
    to units, and 万 keeps at most two decimals with trailing zeros dropped. '—' alone when missing.
    """
    if value is None:
        return MISSING
    count = _decimal(value)
    whole = rounded(abs(count), 0, rounding)
    if whole < WAN_PERSONS_FROM:
        return fmt_count(count, rounding) + unit
    return (
        _signed(count < 0, _trimmed(rounded(abs(count).scaleb(-4), AMOUNT_DECIMALS, rounding))) + "万" + unit
    )


def fmt_value(
    value: Decimal | int | None, decimals: int, unit: str, rounding: Rounding = Rounding.HALF_UP
) -> str:
    """An indicator value with its unit: '4.51%', '45.1张'. '—' alone when missing: a dash has no unit."""
    if value is None:
        return MISSING
    return fmt_fixed(_decimal(value), decimals, rounding) + unit


def _movement(amount: Decimal, decimals: int, up: str, down: str, suffix: str, rounding: Rounding) -> str:
    """'提高0.12个百分点' / '增长3.2%'; '持平' when the change rounds to zero at the shown decimals.

    The words are chosen from the sign of the exact change and the figure from its rounded magnitude, so a
    change too small to show is 持平 rather than '增长0.0%'. `Change.words` prints through these too.
    """
    shown = rounded(abs(amount), decimals, rounding)
    if shown == 0:
        return "持平"
    return f"{up if amount > 0 else down}{shown:f}{suffix}"


def fmt_points(diff: Decimal | int | None, decimals: int, rounding: Rounding = Rounding.HALF_UP) -> str:
    """The change of a rate, a difference in 个百分点: '提高0.12个百分点', '下降0.12个百分点', '持平'.

    A rate never moves by a percentage of itself in a report: 4.51% → 4.63% is 0.12个百分点, not 2.7%.
    """
    if diff is None:
        return MISSING
    return _movement(_decimal(diff), decimals, "提高", "下降", "个百分点", rounding)


def fmt_growth(
    current: Decimal | int | None, base: Decimal | int | None, rounding: Rounding = Rounding.HALF_UP
) -> str:
    """The growth rate of a count against its base, one decimal: '增长3.2%', '下降3.2%', '持平'.

    '—' when either figure is missing or the base is not positive: a growth rate from zero is infinite, and
    one from a negative base has no meaning (its sign would be the opposite of the movement).
    """
    if current is None or base is None:
        return MISSING
    now, before = _decimal(current), _decimal(base)
    if before <= 0:
        return MISSING
    return _movement((now - before) * 100 / before, GROWTH_DECIMALS, "增长", "下降", "%", rounding)


_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """0–999 in Chinese numerals as counted in prose: 十, 十一, 二十, 二十一, 一百, 一百零一, 一百一十.

    10–19 are 十… (not 一十…) on their own, but 一十 after 百 (一百一十), as written. Beyond 999 a report
    numbers nothing in Chinese numerals, so a larger number is a mistake and raises ValueError.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"中文数字只用于整数，不能是 {type(n).__name__}：{n!r}")
    if not 0 <= n <= 999:
        raise ValueError(f"中文数字只支持 0 至 999，收到 {n}")
    if n < 10:
        return _DIGITS[n]
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    if hundreds == 0:
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")
    text = _DIGITS[hundreds] + "百"
    if tens:
        text += _DIGITS[tens] + "十"
    elif units:
        text += "零"
    return text + (_DIGITS[units] if units else "")
