"""Statistical periods: quarter (2020Q3), month (2020-09) and year (2020).

A period knows its end date (the 截至 date of a report), its Chinese label, the months it covers and its
comparison periods (同比 and 环比), so that every other module can stay ignorant of calendar arithmetic.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from enum import StrEnum
from typing import NamedTuple


class PeriodKind(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_CN_QUARTER = {1: "一", 2: "二", 3: "三", 4: "四"}

_PATTERNS: tuple[tuple[re.Pattern[str], PeriodKind], ...] = (
    (re.compile(r"^(?P<y>\d{4})(?:年度?)?$"), PeriodKind.YEAR),
    (re.compile(r"^(?P<y>\d{4})[-_ ]?[Qq](?P<n>[1-4])$"), PeriodKind.QUARTER),
    (re.compile(r"^(?P<y>\d{4})年第?(?P<n>[一二三四1-4])季度?$"), PeriodKind.QUARTER),
    (re.compile(r"^(?P<y>\d{4})[-./](?P<n>\d{1,2})$"), PeriodKind.MONTH),
    (re.compile(r"^(?P<y>\d{4})(?P<n>\d{2})$"), PeriodKind.MONTH),
    (re.compile(r"^(?P<y>\d{4})年(?P<n>\d{1,2})月(?:份)?$"), PeriodKind.MONTH),
)


class Period(NamedTuple):
    """`number` is the quarter (1–4) or month (1–12); 0 for a year.

    A NamedTuple rather than a dataclass: periods are dictionary keys in every hot loop, and tuples hash in C.
    """

    year: int
    kind: PeriodKind
    number: int = 0

    @classmethod
    def parse(cls, text: object) -> Period:
        """Read the ways offices write a period. Raises ValueError saying what is accepted."""
        if isinstance(text, dt.datetime | dt.date):
            return cls(text.year, PeriodKind.MONTH, text.month)
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)
        if isinstance(text, str):
            s = re.sub(r"\s+", "", text).translate(_FULL_WIDTH)
            for pattern, kind in _PATTERNS:
                m = pattern.match(s)
                if m:
                    number = 0 if kind is PeriodKind.YEAR else _CN_DIGITS.get(m["n"]) or int(m["n"])
                    if kind is PeriodKind.MONTH and not 1 <= number <= 12:
                        break
                    return cls(int(m["y"]), kind, number)
        raise ValueError(f"无法识别的统计期“{text}”，应为 2020Q3（季度）、2020-09（月）或 2020（年）")

    def __str__(self) -> str:
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}Q{self.number}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    @property
    def first_month(self) -> int:
        return {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 3 * self.number - 2}.get(self.kind, self.number)

    @property
    def last_month(self) -> int:
        return {PeriodKind.YEAR: 12, PeriodKind.QUARTER: 3 * self.number}.get(self.kind, self.number)

    @property
    def end(self) -> dt.date:
        """The 截至 date: the last day of the period."""
        return dt.date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def label(self) -> str:
        """2020年三季度 / 2020年9月 / 2020年."""
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}年{_CN_QUARTER[self.number]}季度"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}年{self.number}月"
        return f"{self.year}年"

    @property
    def ytd_label(self) -> str:
        """The year-to-date span ending with this period: 2020年1—9月, or 2020年 for a whole year."""
        if self.last_month == 12:
            return f"{self.year}年"
        if self.last_month == 1:
            return f"{self.year}年1月"
        return f"{self.year}年1—{self.last_month}月"

    def previous(self) -> Period:
        """环比: the period just before, of the same kind."""
        if self.kind is PeriodKind.YEAR:
            return Period(self.year - 1, self.kind)
        last = 4 if self.kind is PeriodKind.QUARTER else 12
        if self.number == 1:
            return Period(self.year - 1, self.kind, last)
        return Period(self.year, self.kind, self.number - 1)

    def year_earlier(self) -> Period:
        """同比: the same period a year before."""
        return Period(self.year - 1, self.kind, self.number)

    def contains(self, other: Period) -> bool:
        """Whether `other` lies inside this period (a year contains its quarters and months)."""
        return (
            self.year == other.year
            and self.first_month <= other.first_month
            and other.last_month <= self.last_month
        )


_FULL_WIDTH = str.maketrans("０１２３４５６７８９ＱｑＹ－．／", "0123456789QqY-./")
