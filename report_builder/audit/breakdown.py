"""A breakdown paragraph: "分三大区域看，…东部地区农村贫困人口300万人，比上年减少190万人；中部地区…1112万人…；西部地区
农村贫困人口1634万人…", the parts of a whole the paragraph before states ("全国农村贫困人口3046万人，比2016年末减少
1289万人").

A paragraph that opens "分…看" or "从…看" splits a subject into categories, so its parts are disjoint: 一致 when they
add up to the whole, 不一致 only when they exceed it (the categories listed may not be all). A part is a plain figure
whose noun is a category before the whole's noun (东部地区 + 农村贫困人口); the whole is the one figure of the paragraph
before with that noun. When every part and the whole carry a change beside them in the same direction (比上年减少),
the changes are split the same way. Figures dated by years the whole's are not (2016年 against 2017年) are not
its parts. A later sentence of a paragraph may open the breakdown too (…4335万…。分区域看，…): its wholes are then
the figures of the sentences before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from report_builder.audit.parts import LIST_STOP, Split, complete_list
from report_builder.audit.passage import Passage, is_operand, is_rate
from report_builder.audit.quantities import Quantity

_SAMPLE = re.compile(r"调查|抽取|抽样|样本")
_OPENS = re.compile(r"^(?:分|从)[^，。；]{1,12}看")
_SHORTEST = 3  # characters of the whole's noun the parts must end with: 人口 alone names no subject
_NESTED = re.compile(r"以上|以下|及以上|及以下|不足|超过|以内")
_VERB = re.compile(r"增加|减少|增长|下降|提高|降低|上升|回落")


def breakdown_splits(previous: Passage, passage: Passage) -> Iterator[Split]:
    """The splits of a breakdown paragraph's figures over the wholes of the paragraph before it."""
    sentences = passage.paragraph.sentences
    if sentences and _OPENS.match(sentences[0].text):
        yield from _splits(previous, previous.quantities, passage, passage.quantities)


def inner_breakdowns(passage: Passage) -> Iterator[Split]:
    """A breakdown that opens a later sentence of the paragraph ("…全国农村贫困人口为4335万…。分区域看，…东部地区农村贫困
    人口为490万…"): its parts are the figures from that sentence on, of the wholes of the sentences before it."""
    for at, sentence in enumerate(passage.paragraph.sentences):
        if at and _OPENS.match(sentence.text):
            before = [q for q in passage.quantities if q.sentence < at]
            after = [q for q in passage.quantities if q.sentence >= at]
            yield from _splits(passage, before, passage, after)
            return


def _splits(
    previous: Passage, stated: list[Quantity], passage: Passage, figures: list[Quantity]
) -> Iterator[Split]:
    for unit in dict.fromkeys(q.unit for q in figures if is_operand(q)):
        # 调查常住人口47.7万人 is the size of a sample, not the population a breakdown splits
        wholes = [
            q for q in stated if q.unit == unit and is_operand(q) and q.noun and not _SAMPLE.search(q.lead)
        ]
        for whole in wholes:
            tail, parts = _parts(figures, whole, unit)
            if len(parts) < 2 or [w for w in wholes if w.noun.endswith(tail)] != [whole]:
                continue
            named, again = previous.years(whole), passage.years(parts[0])
            if named and again and not named & again:
                continue  # another year's figures are no parts of this one
            split = Split(whole, tuple(parts), False, disjoint=True)
            yield split
            yield from changes_split(previous, passage, split)


def changes_split(previous: Passage, passage: Passage, split: Split) -> Iterator[Split]:
    """ "全县最低生活保障救助人数为7446人，比上年增加3453人。其中：城镇1139人，比上年增加633人；农村6307人，比上年增加2820人":
    when the whole and every part carry a change right after them, all in one direction, the changes split as the
    figures do (complete or disjoint alike). `previous` holds the whole, `passage` the parts."""
    changes = [c for q in split.parts if (c := _change(passage, q)) is not None]
    whole_change = _change(previous, split.whole)
    if whole_change is None or len(changes) < len(split.parts):
        return
    verbs = {_verb(c) for c in (whole_change, *changes)}
    if len(verbs) == 1 and None not in verbs:
        yield Split(whole_change, tuple(changes), split.complete, split.disjoint, split.loose)


def _parts(figures: list[Quantity], whole: Quantity, unit: str) -> tuple[str, list[Quantity]]:
    """The longest tail of the whole's noun that plain figures end with after a category each (东部地区, 中部地区),
    and those figures; no figures when no tail is shared that way."""
    for size in range(len(whole.noun), _SHORTEST - 1, -1):
        tail = whole.noun[-size:]
        found = [q for q in figures if q.unit == unit and is_operand(q) and q.noun.endswith(tail)]
        prefixes = [q.noun[: -len(tail)] for q in found]
        if len(found) >= 2 and all(prefixes) and len(set(prefixes)) == len(prefixes):
            if any(_NESTED.search(prefix) for prefix in prefixes):
                break  # 60岁以上… and 80岁以上… overlap: not categories of a split
            return tail, found
    return "", []


def _change(passage: Passage, q: Quantity) -> Quantity | None:
    """The change stated right after a figure, in its clause group: "300万人，比上年减少190万人"."""
    following = passage.following(q)
    if not following:
        return None
    nxt = following[0]
    between = passage.text(q)[q.end : nxt.start]
    return nxt if nxt.change and nxt.unit == q.unit and "；" not in between else None


def _verb(q: Quantity) -> str | None:
    found = _VERB.findall(q.lead)
    return found[-1] if found else None


# "各类残疾人的人数及比重分别是：视力残疾35.6万人，占16.10%；听力残疾61.3万人…": every kind of the group, listed
_KINDS = re.compile(r"各类(?P<noun>[\u4e00-\u9fff]{2,8}?)的(?:人数|数量|总数)?[^，。：]{0,20}?分别[是为]：")


def kinds_splits(passage: Passage) -> Iterator[Split]:
    """The figures listed after 各类X…分别是： as parts of the one figure of X before them, in this paragraph or one
    before it (各类残疾人的总数为218.9万人). The kinds are disjoint; whether the list is all of them the sum says."""
    for at, sentence in enumerate(passage.paragraph.sentences):
        opening = _KINDS.search(sentence.text)
        if opening is None:
            continue
        listed = [q for q in passage.in_sentence(at) if q.start > opening.end() and is_operand(q)]
        for unit in dict.fromkeys(q.unit for q in listed):
            parts = tuple(q for q in listed if q.unit == unit)
            whole = passage.named_before(at, opening["noun"], unit)
            if len(parts) >= 2 and whole is not None:
                yield Split(whole, parts, False, disjoint=True)


# "全县常住人口中，0-14岁人口为149779人，占26.62%；15-59岁人口为305466人…": a paragraph opening with a group and 中
_GROUP_OPENING = re.compile(
    r"^(?:全[县市区省国镇乡]|我[县市区省国])?(?P<group>[\u4e00-\u9fff]{1,8}?(?:人口|人员|对象|老年人|残疾人|儿童|家庭))中[，：]"
)


def group_splits(passage: Passage) -> Iterator[Split]:
    """The figures of a paragraph that opens "全县常住人口中，" as parts of the one figure of that group printed in the
    paragraphs before it (全县常住人口为562657人). Age bands from 0 up to an open one are all of it; other lists are
    disjoint categories: never above the whole."""
    sentences = passage.paragraph.sentences
    opening = _GROUP_OPENING.match(sentences[0].text) if sentences else None
    if opening is None:
        return
    listed = []
    for q in passage.in_sentence(0):
        if q.start < opening.end() or is_rate(q):
            continue
        if not is_operand(q) or LIST_STOP.search(q.lead):
            break
        listed.append(q)
    for unit in dict.fromkeys(q.unit for q in listed):
        parts = tuple(q for q in listed if q.unit == unit)
        whole = passage.named_before(0, opening["group"], unit)
        if len(parts) >= 2 and whole is not None:
            yield Split(whole, parts, complete_list(parts), disjoint=True)
