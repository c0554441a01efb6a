"""The one number formatter: Decimal in, the string a report prints out.

Rounding happens here and only here, once, at display: 四舍五入 (ROUND_HALF_UP) as statistical publications
use it, or GB/T 8170's round-half-even when a data folder asks for it. Never `round()` or a float format spec,
which turn 6.25 into 6.2.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

MISSING = "—"
_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}


def rounded(value: Decimal, decimals: int, rounding: str = "half_up") -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=_MODES[rounding])


def fmt_fixed(value: Decimal | None, decimals: int, rounding: str = "half_up") -> str:
    """'45.1', '6.3', '0.00'; '—' for a missing value. Never '-0.0'."""
    if value is None:
        return MISSING
    shown = rounded(value, decimals, rounding)
    if shown == 0:
        shown = abs(shown)
    return f"{shown:f}"
