"""What the audit reports: one finding per stated relation, and the interval test behind its verdict.

A finding keeps the sentence as written; what is printed of it (text or JSON) has its 身份证号 masked and its
control characters escaped, since a report is someone else's file.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from report_builder.audit.quantities import Quantity
from report_builder.audit.source import Sentence
from report_builder.issues import printable


class Kind(StrEnum):
    """Which relation a finding checks; the value is the key of `audit --format json`."""

    PARTS = "parts"
    RATE = "rate"
    PER_UNIT = "per_unit"
    HOUSEHOLDS = "households"
    DIRECTION = "direction"
    GROWTH = "growth"
    STOCK_FLOW = "stock_flow"
    DATA = "data"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Kind.PARTS: "部分与总数",
    Kind.RATE: "比率",
    Kind.PER_UNIT: "单位换算",
    Kind.HOUSEHOLDS: "户数与人数",
    Kind.DIRECTION: "增减方向",
    Kind.GROWTH: "增减幅度",
    Kind.STOCK_FLOW: "期初期末与增减",
    Kind.DATA: "与数据核对",
}


class Verdict(StrEnum):
    CONSISTENT = "一致"
    INCONSISTENT = "不一致"
    UNCHECKABLE = "无法核对"


@dataclass(frozen=True)
class Finding:
    kind: Kind
    text: str  # the sentence as written
    location: str
    stated: str
    computed: str  # the recomputed value with its working, or why it cannot be checked
    verdict: Verdict
    number: Decimal | None  # the stated number as printed (1.26 for 1.26亿元), for tests
    position: tuple[int, int] = (0, 0)  # sentence index and offset in the paragraph, for reading order

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "text": printable(self.text),
            "location": self.location,
            "stated": printable(self.stated),
            "computed": printable(self.computed),
            "verdict": str(self.verdict),
        }


@dataclass(frozen=True)
class Interval:
    """Where an exact value must lie, given the rounding of the printed figures it is computed from.

    `mid` is the value computed from the figures as printed: what the report shows as the working.
    """

    lo: Decimal
    hi: Decimal
    mid: Decimal

    @classmethod
    def of(cls, q: Quantity) -> Interval:
        return cls(q.value - q.err, q.value + q.err, q.value)

    @classmethod
    def exact(cls, value: Decimal) -> Interval:
        return cls(value, value, value)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi, self.mid + other.mid)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo, self.mid - other.mid)

    def scale(self, factor: Decimal) -> Interval:
        ends = (self.lo * factor, self.hi * factor)
        return Interval(min(ends), max(ends), self.mid * factor)

    def root(self, n: int) -> Interval:
        """The n-th root of a positive interval: a yearly factor from the factor over n years."""
        return Interval(*(r ** (Decimal(1) / n) for r in (self.lo, self.hi, self.mid)))

    def __truediv__(self, other: Interval) -> Interval | None:
        """None when the divisor may be zero: nothing can be said then."""
        if other.lo <= 0:
            return None
        ends = [a / b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Interval(min(ends), max(ends), self.mid / other.mid)

    def meets(self, stated: Quantity) -> bool:
        """The stated figure agrees when some exact value it may stand for lies within reach."""
        return self.lo <= stated.value + stated.err and stated.value - stated.err <= self.hi

    def meets_cut(self, stated: Quantity) -> bool:
        """As `meets`, or the stated figure is a computed share or average cut at its printed digits instead of
        rounded (精神残疾人1119人，占21% of 5099人: 21.95% cut to 21): offices print both ways, so a quotient
        that only truncation makes agree is no error."""
        cut = stated.err > 0 and 0 <= stated.value <= self.hi and self.lo < stated.value + 2 * stated.err
        return self.meets(stated) or cut


def total(quantities: list[Quantity]) -> Interval:
    result = Interval.exact(Decimal(0))
    for q in quantities:
        result = result + Interval.of(q)
    return result


def finding(kind: Kind, sentence: Sentence, stated: Quantity, shown: str, computed: str, ok: bool) -> Finding:
    """A checked relation; `shown` is the stated side as the report prints it, with its context."""
    verdict = Verdict.CONSISTENT if ok else Verdict.INCONSISTENT
    place = (stated.sentence, stated.start)
    return Finding(
        kind, quote(sentence, stated), sentence.where, shown, computed, verdict, stated.signed, place
    )


def uncheckable(kind: Kind, sentence: Sentence, stated: Quantity, shown: str, why: str) -> Finding:
    place = (stated.sentence, stated.start)
    return Finding(
        kind, quote(sentence, stated), sentence.where, shown, why, Verdict.UNCHECKABLE, stated.signed, place
    )


QUOTE = 300  # characters of a sentence quoted whole; a longer one is quoted around the figure


def quote(sentence: Sentence, stated: Quantity) -> str:
    """The sentence as written, or for a long one the stretch around the figure (in normal form, where the figure's
    offsets are): a sentence listing thousands of figures is not printed once per finding."""
    if len(sentence.original) <= QUOTE:
        return sentence.original
    start, end = max(0, stated.start - QUOTE // 2), stated.end + QUOTE // 2
    text = sentence.text
    return ("……" if start else "") + text[start:end] + ("……" if end < len(text) else "")


VERDICT_ORDER = (Verdict.INCONSISTENT, Verdict.UNCHECKABLE, Verdict.CONSISTENT)  # how findings are listed


def ordered(findings: list[Finding]) -> list[Finding]:
    """不一致 first, then 无法核对, then 一致; in reading order within each."""
    return sorted(findings, key=lambda f: VERDICT_ORDER.index(f.verdict))


def to_text(findings: list[Finding]) -> str:
    """The terminal report: inconsistencies first, each with the sentence, the claim and the working."""
    lines: list[str] = []
    for f in ordered(findings):
        lines += [
            f"【{f.verdict}】{f.location}　{f.kind.label}",
            f"  原文：{printable(f.text)}",
            f"  所述：{printable(f.stated)}",
            f"  复核：{printable(f.computed)}",
            "",
        ]
    counts = {v: sum(f.verdict is v for f in findings) for v in VERDICT_ORDER}
    summary = "，".join(f"{v} {n} 处" for v, n in counts.items())
    lines.append(f"共核对 {len(findings)} 处：{summary}。" if findings else "没有找到可以核对的数字关系。")
    return "\n".join(lines)
