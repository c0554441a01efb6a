"""Cell values as offices type them → exact `Decimal`s, or None for a deliberately empty cell.

Excel hands us binary floats; they are read back with Excel's own 15 significant digits, so 12.3456 stays
12.3456 and never becomes 12.345599999999999.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from report_builder.issues import CONTROL_CHARACTERS, Issue, IssueCode, Location, printable

MISSING_MARKS = frozenset({"", "—", "——", "-", "--", "－", "–", "―"})

_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．－＋", "0123456789,.-+")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def clean_text(value: object) -> str:
    """Text of a cell with surrounding (also full-width and non-breaking) spaces removed."""
    return str(value).replace("\u3000", " ").replace("\xa0", " ").strip()


# No county statistic reaches a thousand trillion (10¹⁵ 元 is a hundred times China's GDP); a value that does is
# a typo or a pasted ID, and Decimal arithmetic at 28 digits could not show it to two decimals anyway.
MAX_VALUE = Decimal(10) ** 15


def parse_number(value: object) -> Decimal | None:
    """Raises ValueError for anything that is neither a number nor a missing mark (blank, —, -)."""
    if value is None:
        return None
    if type(value) is str and value.isascii() and value.isdigit():
        return Decimal(value)  # the common case, first
    if isinstance(value, bool | dt.date | dt.time):
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(value)
        return tidy(Decimal(format(value, ".15g")))
    text = clean_text(value).translate(_FULL_WIDTH).replace(" ", "")
    if text in MISSING_MARKS:
        return None
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _PLAIN.match(text):
        raise ValueError(value)
    try:
        return tidy(Decimal(text))
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only valid literals
        raise ValueError(value) from exc


def tidy(value: Decimal) -> Decimal:
    """Whole numbers without a fractional part or exponent (12.3456万元 → 123456, not 123456.0000)."""
    if abs(value) >= MAX_VALUE:
        return value  # refused by the caller; quantize would raise past Decimal's 28 digits
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def control_characters(text: str, where: Location) -> Iterator[Issue]:
    """A name or header ends up in a report, whose XML cannot hold a control character (an ESC or BEL pasted in
    from another program): refused here, at its cell, rather than later as a broken template."""
    found = sorted(set(CONTROL_CHARACTERS.findall(text)))
    if found:
        yield Issue.make(
            IssueCode.CONTROL_CHARACTER, where, text=text, chars="、".join(map(printable, found))
        )
