"""The words of indicators and targets as types: what an indicator divides, which way is better, how a target
compares. On the ground floor because the loader reads them, the calculator and the check use them, and the
report prints them — each parsed once, where it enters, and never re-read from a string further up.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum, StrEnum

from report_builder.fields import FieldRegistry, Kind
from report_builder.issues import Location
from report_builder.periods import Period
from report_builder.regions import RegionScope

SHARE_UNITS = frozenset({"%", "‰"})


class Better(StrEnum):
    """Which direction of an indicator counts as progress."""

    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Term:
    sign: int
    field: str


@dataclass(frozen=True)
class IndicatorDef:
    id: str
    name: str
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...]
    scale: Decimal
    unit: str
    decimals: int
    better: Better
    basis: str

    @property
    def is_rate(self) -> bool:
        """Changes of a rate are told in 个百分点, changes of anything else as a growth rate."""
        return self.unit in SHARE_UNITS

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(t.field for t in (*self.numerator, *self.denominator))


def field_as_indicator(registry: FieldRegistry, fid: str) -> IndicatorDef:
    """A plain field seen as an indicator, so targets, 同比 and 环比 treat counts and rates alike."""
    fdef = registry.fields[fid]
    decimals = 0 if fdef.is_count or fdef.kind is Kind.PARAMETER else 2
    return IndicatorDef(
        fid, fdef.header, (Term(1, fid),), (), Decimal(1), fdef.unit, decimals, Better.NEUTRAL, ""
    )


class Comparator(Enum):
    """How a target compares: its sign in tables (≥), its words in prose (不低于) and its test."""

    AT_LEAST = (">=", "≥", "不低于", operator.ge)
    AT_MOST = ("<=", "≤", "不高于", operator.le)
    EQUAL = ("=", "=", "等于", operator.eq)
    ABOVE = (">", ">", "高于", operator.gt)
    BELOW = ("<", "<", "低于", operator.lt)

    def __init__(self, code: str, sign: str, words: str, test: Callable[[Decimal, Decimal], bool]) -> None:
        self.code, self.sign, self.words, self.test = code, sign, words, test

    def __str__(self) -> str:
        return self.code

    @property
    def wants_more(self) -> bool:
        """A floor (≥, >): a value under it misses, so charts mark the bars below the line."""
        return self in (Comparator.AT_LEAST, Comparator.ABOVE)

    @classmethod
    def parse(cls, text: str) -> Comparator:
        """The ways a targets file writes a comparison (>=, ≥, 不低于, 不少于 …). Raises ValueError."""
        found = _COMPARATOR_TEXT.get(text.replace(" ", ""))
        if found is None:
            raise ValueError(f"“{text}”不是比较符，应为 >=、<=、=、>、< 或 不低于、不高于 等")
        return found


_COMPARATOR_TEXT = {
    ">=": Comparator.AT_LEAST, "≥": Comparator.AT_LEAST, "不低于": Comparator.AT_LEAST,
    "不少于": Comparator.AT_LEAST, "达到": Comparator.AT_LEAST, "至少": Comparator.AT_LEAST,
    "<=": Comparator.AT_MOST, "≤": Comparator.AT_MOST, "不高于": Comparator.AT_MOST,
    "不超过": Comparator.AT_MOST, "不多于": Comparator.AT_MOST, "至多": Comparator.AT_MOST,
    "=": Comparator.EQUAL, "==": Comparator.EQUAL, "等于": Comparator.EQUAL,
    ">": Comparator.ABOVE, "高于": Comparator.ABOVE, "多于": Comparator.ABOVE, "超过": Comparator.ABOVE,
    "<": Comparator.BELOW, "低于": Comparator.BELOW, "少于": Comparator.BELOW,
}  # fmt: skip


@dataclass(frozen=True)
class Target:
    """One row of targets.csv: an indicator, a comparison and a threshold, for regions and a period."""

    indicator: IndicatorDef
    comparator: Comparator
    threshold: Decimal
    regions: RegionScope
    period: Period
    basis: str
    location: Location

    @property
    def is_task(self) -> bool:
        """A count to reach (乡镇级养老服务中心 4 个): its result also has a 完成率."""
        return not self.indicator.denominator and self.comparator.wants_more

    def applies_to(self, period: Period) -> bool:
        return self.period == period or self.period.contains(period)

    @property
    def specificity(self) -> tuple[int, int]:
        """A quarter's target beats its year's; a named region beats `CODE*`, which beats `*`."""
        return (-(self.period.last_month - self.period.first_month), self.regions.specificity)
