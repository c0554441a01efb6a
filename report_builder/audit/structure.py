"""三次产业结构 a:b:c — every statistical bulletin's shares of GDP of the three industries, printed as a ratio —
against the industries' value added printed before it (第一产业增加值52.06亿元…), and 由上年的a:b:c调整为x:y:z
against the 比重 changes the bulletin states in 个百分点 (第二产业比重提高0.86个百分点).

The values are taken only where each industry is printed once, in this paragraph or one before, in one unit;
the base is the printed 生产总值 when there is one, else the three values' sum (GDP is their sum by definition).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from report_builder.audit.findings import Finding, Interval, Kind, finding, total
from report_builder.audit.passage import Passage, is_operand
from report_builder.audit.quantities import Quantity

_NUMBER = r"\d+(?:\.\d+)?"
_RATIO = re.compile(rf"(?P<a>{_NUMBER})[:∶：](?P<b>{_NUMBER})[:∶：](?P<c>{_NUMBER})(?![:∶：\d])")
_STRUCTURE = re.compile(r"三次产业(?:结构|构成|比例)")
_EARLIER_RATIO = re.compile(r"(?:上年|去年|上一年|\d{4}年)的?$")
_INDUSTRY = re.compile(r"第([一二三])产业增加值")
_GDP = re.compile(r"(?:地区)?生产总值|GDP")
_ORDINAL = {"一": 0, "二": 1, "三": 2}
# "第一产业和第三产业比重分别下降0.01、0.85个百分点": the industries named, the verb, the changes in their order
_MOVES = re.compile(
    rf"(?P<who>第[一二三]产业(?:(?:和|、|与|及)第[一二三]产业)*)(?:的)?比重(?:分别)?(?P<verb>提高|上升|增加|下降|降低|回落|减少)"
    rf"(?P<sizes>{_NUMBER}(?:(?:、|和){_NUMBER})*)个百分点"
)
_UP = ("提高", "上升", "增加")


def check_structure(passage: Passage) -> Iterator[Finding]:
    for index, sentence in enumerate(passage.paragraph.sentences):
        named = _STRUCTURE.search(sentence.text)
        if named is None:
            continue
        ratios = list(_RATIO.finditer(sentence.text, named.end()))
        if not ratios:
            continue
        now = next((r for r in ratios if not _EARLIER_RATIO.search(sentence.text, 0, r.start())), None)
        if now is None:
            continue
        shares = [_figure(now, key, index) for key in "abc"]
        values = _industries(passage)
        if values is not None:
            base = _gdp(passage, values)
            whole = Interval.of(base) if base is not None else total(values)
            for name, share, value in zip("一二三", shares, values, strict=True):
                ratio = Interval.of(value) / whole
                if ratio is None:
                    break
                scaled = ratio.scale(Decimal(100))
                of = base.printed if base is not None else "三次产业增加值之和"
                computed = f"{value.printed}÷{of} = {share.show(scaled.mid)}"
                shown = f"第{name}产业 {share.number}"
                yield finding(Kind.RATE, sentence, share, shown, computed, scaled.meets_cut(share))
        earlier = next((r for r in ratios if r is not now and r.start() < now.start()), None)
        if earlier is not None:
            before = [_figure(earlier, key, index) for key in "abc"]
            yield from _moves(passage, index, before, shares)


def _figure(ratio: re.Match[str], key: str, sentence: int) -> Quantity:
    number = ratio[key]
    return Quantity(Decimal(number), Decimal(1), "%", len(number.partition(".")[2]), sentence,
                    ratio.start(key), ratio.end(key), "", "", "三次产业结构")  # fmt: skip


def _industries(passage: Passage) -> list[Quantity] | None:
    """The three industries' value added, from the nearest paragraph (this one first) that prints each once."""
    for source in (passage, *passage.preceding):
        found: dict[int, list[Quantity]] = {0: [], 1: [], 2: []}
        for q in source.quantities:
            m = _INDUSTRY.search(q.lead)
            if m and q.unit == "元" and is_operand(q):
                found[_ORDINAL[m[1]]].append(q)
        if all(len(v) == 1 for v in found.values()):
            values = [v[0] for v in found.values()]
            return values if len({q.multiplier for q in values}) == 1 else None
    return None


def _gdp(passage: Passage, values: list[Quantity]) -> Quantity | None:
    for source in (passage, *passage.preceding):
        found = [
            q
            for q in source.quantities
            if _GDP.search(q.lead)
            and q.unit == "元"
            and q.multiplier == values[0].multiplier
            and is_operand(q)
        ]
        if len({q.value for q in found}) == 1:
            return found[0]
    return None


def _moves(passage: Passage, index: int, before: list[Quantity], now: list[Quantity]) -> Iterator[Finding]:
    """Each 比重 change stated after the two structures, in 个百分点, against the later share less the earlier."""
    sentence = passage.paragraph.sentences[index]
    for m in _MOVES.finditer(sentence.text):
        who = [_ORDINAL[c] for c in re.findall(r"第([一二三])产业", m["who"])]
        sizes = list(re.finditer(_NUMBER, m["sizes"]))
        if len(who) != len(sizes):
            continue
        sign = Decimal(1) if m["verb"] in _UP else Decimal(-1)
        for industry, size in zip(who, sizes, strict=True):
            number = size[0]
            start = m.start("sizes") + size.start()
            stated = Quantity(Decimal(number), Decimal(1), "个百分点", len(number.partition(".")[2]), index,
                              start, start + len(number), "", "", "比重")  # fmt: skip
            change = (Interval.of(now[industry]) - Interval.of(before[industry])).scale(sign)
            computed = f"{now[industry].number}−{before[industry].number} = {stated.show(change.mid * sign)}"
            yield finding(
                Kind.GROWTH, sentence, stated, f"{m['verb']}{stated.printed}", computed, change.meets(stated)
            )
