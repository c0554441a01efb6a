"""Parts and whole: 共有X人，其中A人、B人 / X人（A人、B人）/ A人，B人，合计X人; and A户B人.

Parts must add up only when the text says the split is complete: a complementary pair (集中/分散, 城市/农村),
a parenthesised list after the total, or a 合计 after the parts (a 和 before a 其中 list's last item does not: 其中
picks items out). Otherwise the parts may overlap (其中老年人…残疾人…) and the only check is that none exceeds the
whole — unless they add up to it, which is then reported as a checked sum.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import pairwise, takewhile

from report_builder.audit.findings import Finding, Interval, Kind, finding, total, uncheckable
from report_builder.audit.passage import NEAR, Passage, is_average, is_operand, is_rate
from report_builder.audit.quantities import Quantity, common_run, subject

PAIRS = (
    ("集中", "分散"),
    ("城市", "农村"),
    ("城镇", "农村"),
    ("城镇", "乡村"),
    ("城区", "农村"),
    ("男", "女"),
    ("公办", "民办"),
    ("一、二级", "三、四级"),
    ("户籍", "非户籍"),
    ("本地", "外地"),
)
_TRAILING_TOTAL = re.compile(r"(?:合计|共计|总计|合共|总共)[为达是]?")
# a figure that ends a 其中 list: a comparison, a flow, a new total (使基金总额达1000万元: what the list brought about)
LIST_STOP = re.compile(
    r"比|较|同比|环比|新增|退出|增加|减少|其中|合计|共计|总计|总额|总量|总数|使(?!用)|全[县市区镇乡省]"
)


@dataclass(frozen=True)
class Split:
    whole: Quantity
    parts: tuple[Quantity, ...]
    complete: bool
    # parts that cannot overlap (分别为, one figure a year): together never above the whole
    disjoint: bool = False
    # parts read past a rate or change (其中A155个，比上年增长9.7%；B106个): the list may have run into a new
    # subject, so a part above the whole says nothing
    loose: bool = False


def find_splits(passage: Passage) -> list[Split]:
    """Every whole with its parts, one per unit: "6305户13183人，其中…" gives a split in 户 and one in 人.

    A whole and its parts lie within NEAR figures of each other. A list of parts that runs on past NEAR is not
    read whole, so it counts as incomplete: only "no part exceeds the whole" is checked, never a wrong sum.
    """
    splits: list[Split] = []
    for index, sentence in enumerate(passage.paragraph.sentences):
        for match in _AMONG.finditer(sentence.text):
            splits.extend(_after_qizhong(passage, index, match.start(), match["group"]))
        if _BY.match(sentence.text):
            # "年末户籍人口273393人…。按性别分，男生144994人…；女生128399人…。按城乡属性分，…": each 按…分 sentence
            # splits the figure before the first of them
            opened = passage.paragraph.sentences[:index]
            back = 1 + sum(1 for _ in takewhile(lambda s: _BY.match(s.text), reversed(opened)))
            splits.extend(_after_qizhong(passage, index, 0, before=back))
        for q in passage.in_sentence(index):
            # "394名百岁老人中，男性97人…；女性297人…": the group named after its figure, then 中, opens its parts
            among = _AMONG_AFTER.match(sentence.text, q.end)
            if q.trail and among is not None and among[1] == q.trail:
                splits.extend(_after_qizhong(passage, index, among.end()))
        splits.extend(_parenthesised(passage, index))
        splits.extend(_trailing_total(passage, index))
        splits.extend(_respectively(passage, index))
    return splits


_RESPECTIVELY = re.compile(r"分别[为是达]?")
_LISTED = re.compile(r"[，、和及与 ]*")
# 累计减贫: what is summed, which the list's noun must name
_SUMMED = re.compile(r"(?:累计|合计|共计|总计|共)(\w{2,})$")


def _respectively(passage: Passage, index: int) -> Iterator[Split]:
    """ "2013至2018年我国农村减贫人数分别为1650万人、1232万人、…1386万人。六年来，农村已累计减贫8239万人": a 分别为
    list names one figure per item, so its parts are disjoint; its whole is the 累计 / 合计 figure in that sentence
    or the next whose summed word (累计减贫) the list's noun names (农村减贫人数分别为). Not marked complete (累计 may
    cover more), the list is 一致 when it adds up and 不一致 only when it exceeds the whole."""
    text = passage.paragraph.sentences[index].text
    quantities = passage.in_sentence(index)
    for match in _RESPECTIVELY.finditer(text):
        first = bisect_right(quantities, match.start(), key=lambda q: q.start)
        parts: list[Quantity] = []
        for q in quantities[first : first + NEAR]:
            gap = (match.end(), q.start) if not parts else (parts[-1].end, q.start)
            if not is_operand(q) or q.unit != quantities[first].unit or not _LISTED.fullmatch(text, *gap):
                break
            parts.append(q)
        if len(parts) < 2:
            continue
        mark = max(text.rfind(m, 0, match.start()) for m in "，；。：") + 1
        noun = text[mark : match.start()]
        near = [*passage.before(parts[0]), *passage.after(parts[-1])]
        wholes = [
            q
            for q in near
            if q.sentence in (index, index + 1)
            and q.unit == parts[0].unit
            and is_operand(q)
            and (summed := _SUMMED.search(q.lead)) is not None
            and summed[1] in noun
        ]
        if wholes:
            yield Split(wholes[0], tuple(parts), False, disjoint=True)


_OPENING_MARKS = re.compile(r"[，、（ ]*")
# 其中, or a group named again with 中 at the head of a clause: "…特困人员共711户718人，其中农村特困713人，城市特困5人；
# 特困人员中照料护理补贴一档…人数45人；二档…213人，三档…460人" — the parts of the figure whose noun has that group.
_GROUP = r"[\u4e00-\u9fff]{0,8}?(?:人员|对象|人口|家庭|儿童|老年人|老人|机构)"
_BY = re.compile(r"按[\u4e00-\u9fff]{1,8}分(?:类)?[，：]")
_AMONG = re.compile(rf"其中|(?:^|(?<=[；。，]))(?P<group>{_GROUP})中(?![心部])")
_AMONG_AFTER = re.compile(r"([\u4e00-\u9fff]{2,12}?)中(?![心部国])[，：]")
_NEW_GROUP = re.compile(rf"[；。，]{_GROUP}中(?![心部])")


def _after_qizhong(
    passage: Passage, index: int, at: int, group: str | None = None, before: int = 1
) -> Iterator[Split]:
    """The parts after 其中 (or "特困人员中"): the plain figures up to a new subject. A rate, a change or an average
    beside a part (其中社会福利医院155个，床位数4.5万张，比上年增长9.7%；复退军人精神病院106个 / …1387.1万人次，人均救助
    水平84元；…689.9万人次) is the part's own and is passed."""
    quantities = passage.in_sentence(index)
    text = passage.paragraph.sentences[index].text
    first = bisect_right(quantities, at, key=lambda q: q.start)  # the first figure after 其中
    subject = quantities[first - 1].noun if first else ""
    parts: list[Quantity] = []
    passed: Quantity | None = None  # the first rate or change passed: the parts after it are loose
    # "单位4个（其中直辖市4个，省3个…），地级…": a bracketed 其中 list ends with its bracket
    close = text.find("）", at) if text[at - 1 : at] == "（" else -1
    for q in quantities[first : first + NEAR + 1]:
        if 0 <= close < q.start:
            break
        if parts and _NEW_GROUP.search(text, parts[-1].end, q.start):
            break
        if complementary(subject, q.noun, alike=True):
            break  # "城市低保对象…，其中…；农村低保对象25070户": the subject's counterpart, not a part of it
        if is_rate(q) or q.change or is_average(q):
            passed = passed or q
            continue
        if not is_operand(q) or (parts and LIST_STOP.search(q.lead)):
            break
        parts.append(q)
    cut = len(parts) > NEAR
    del parts[NEAR:]
    opening = _OPENING_MARKS.fullmatch(text, 0, at) is not None
    for unit in dict.fromkeys(p.unit for p in parts):
        same = tuple(p for p in parts if p.unit == unit)
        # 集中供养973人，分散供养1746人 exhaust the whole: "本级五保对象161人" after them is a new subject
        if len(same) > 2 and complementary(same[0].noun, same[1].noun):
            same = same[:2]
        earlier = [
            q
            for q in quantities[max(0, first - NEAR) : first]
            if q.unit == unit and is_operand(q) and not _aside(text, q, at) and not _former(text, q, at)
        ]
        if group is not None:
            earlier = [q for q in earlier if group in q.noun]
        if not earlier and opening and index >= before:
            earlier = [
                q for q in passage.in_sentence(index - before)[-NEAR:] if q.unit == unit and is_operand(q)
            ]
            if not earlier and index > 1:
                earlier = [
                    q for q in passage.in_sentence(index - 2)[-NEAR:] if q.unit == unit and is_operand(q)
                ]
                earlier = earlier if earlier and _names_parts(earlier[-1], same) else []
        if earlier:
            # "…分布在22个省份，其中有7个省份的深度老龄化城市达到或超过10个。其中，四川的…达到了17个": a whole taken from
            # the sentence before that is itself a 其中 part there may not be what this 其中 splits
            picked = (
                earlier[-1].sentence != index and "其中" in passage.text(earlier[-1])[: earlier[-1].start]
            )
            loose = picked or (passed is not None and same[-1].start > passed.start)
            split = Split(earlier[-1], same, not cut and complete_list(same), loose=loose)
            yield _continued(passage, index, split) or split


def _aside(text: str, q: Quantity, at: int) -> bool:
    """ "婚姻登记总量为97039对（办理跨区登记8267对），其中结婚登记72048对": a figure in brackets closed before 其中 is an
    aside on the figure before it; the 其中 goes on with the main clause."""
    opened = text.rfind("（", 0, q.start)
    return opened > text.rfind("）", 0, q.start) and text.find("）", q.end, at) >= 0


_FROM_MARK = re.compile(r"[从由]|自(?=\d|$)")  # 自29.97亿元提高至…, not 自治区
_TO_MARK = re.compile(r"(?<!截)[到至]")


def _former(text: str, q: Quantity, at: int) -> bool:
    """ "低保对象从144户331人，全年发放保障金14.555万元，扩大到…3735户7275人，其中…累计发放低保金1129.4万元": a figure
    between 从 and the 到 before 其中 is the former state; the 其中 list splits the state reached, another period,
    so the earlier figure is no whole of it (an uncertain whole is never grounds for 不一致)."""
    opened = max((m.start() for m in _FROM_MARK.finditer(text, 0, q.start)), default=-1)
    closed = max((m.start() for m in _TO_MARK.finditer(text, 0, q.start)), default=-1)
    return opened > closed and _TO_MARK.search(text, q.end, at) is not None


def _continued(passage: Passage, index: int, split: Split) -> Split | None:
    """ "其中：符合低保条件的1122户3229人…；符合医疗救助1365户1849人…。符合临时救助条件的7087户10048人": a 其中 list that falls
    short of its whole may go on in the next sentence, whose first figure of the unit is named like the parts (符合…,
    two characters at least). Taken only when the list then adds up exactly, and loose: never a 不一致."""
    if split.complete or len(split.parts) < 2 or total(list(split.parts)).meets(split.whole):
        return None
    unit = split.whole.unit
    after = [q for q in passage.in_sentence(index + 1) if q.unit == unit and is_operand(q)]
    if not after:
        return None
    nxt, opening = after[0], _opening(split.parts)
    if len(opening) < 2 or not nxt.noun.startswith(opening):
        return None
    parts = (*split.parts, nxt)
    return Split(split.whole, parts, False, loose=True) if total(list(parts)).meets(split.whole) else None


def _opening(parts: tuple[Quantity, ...]) -> str:
    """The characters every part's noun opens with."""
    first = parts[0].noun
    size = 0
    while size < len(first) and all(p.noun[size : size + 1] == first[size] for p in parts):
        size += 1
    return first[:size]


def _names_parts(whole: Quantity, parts: tuple[Quantity, ...]) -> bool:
    """ "…农村五保供养对象529.2万户，545.6万人。全年…支出…145.0亿元…。其中：农村五保集中供养185.3万人…；农村五保分散供养
    360.3万人": a whole two sentences back is the parts' only when its noun names what they share (农村五保), three
    characters at least."""
    if len(parts) < 2:
        return False
    shared = _shared(parts[0].noun, parts[1].noun)
    return len(shared) >= 3 and all(shared in p.noun for p in parts) and shared in whole.noun


def _shared(a: str, b: str) -> str:
    """The longest run of characters two nouns share."""
    size = common_run(a, b)
    return next((a[i : i + size] for i in range(len(a) - size + 1) if size and a[i : i + size] in b), "")


def complementary(a: str, b: str, alike: bool = False) -> bool:
    """Two nouns that split a whole between them: 城市低保 and 农村低保. `alike`: only when they are the same
    noun but for the pair (a table's rows 城市低保支出 / 农村低保支出, not 城市低保支出 / 农村特困人员救助供养支出,
    which are two of a longer list)."""
    return any(
        (x in a and y in b and (not alike or a.replace(x, "", 1) == b.replace(y, "", 1)))
        or (y in a and x in b and (not alike or a.replace(y, "", 1) == b.replace(x, "", 1)))
        for x, y in PAIRS
    )


def complete_list(parts: tuple[Quantity, ...]) -> bool:
    """A complementary pair (集中/分散), or age bands from 0 up to an open one (0-14岁, 15-59岁, 60岁及以上). A list after
    其中 closed by 和/及/与 is not marked complete by it: 其中 picks items out (其中老年人300人次、残疾人200人次和未成年人
    100人次 of 1200人次), so only an exact sum says it is all."""
    return (len(parts) == 2 and complementary(parts[0].noun, parts[1].noun)) or _age_bands(parts)


_BAND = re.compile(r"(\d{1,3})(?:岁)?\s*[-—–~至到]\s*(\d{1,3})岁|(\d{1,3})岁(?:及)?以上")


def _age_bands(parts: tuple[Quantity, ...]) -> bool:
    """Whether the parts' nouns are contiguous age bands covering every age: 0 to 14, 15 to 59, 60 and over."""
    bands = [_BAND.search(p.noun) for p in parts]
    if len(parts) < 2 or not all(bands):
        return False
    low = 0
    for n, m in enumerate(bands):
        last = n == len(bands) - 1
        if m[3] is not None:  # 60岁及以上: the open band, last
            return last and int(m[3]) == low
        if int(m[1]) != low:
            return False
        low = int(m[2]) + 1
    return False


def _parenthesised(passage: Passage, index: int) -> Iterator[Split]:
    text = passage.paragraph.sentences[index].text
    quantities = passage.in_sentence(index)
    for at, whole in enumerate(quantities):
        if not text.startswith("（", whole.end) or text.startswith("（其中", whole.end):
            continue
        following = quantities[at + 1 : at + 1 + NEAR]
        close = text.find("）", whole.end, following[-1].end if following else whole.end)
        inside = [q for q in following if close < 0 or q.end <= close]
        cut = close < 0 and at + 1 + NEAR < len(quantities)
        if not is_operand(whole):
            continue  # "每千位老人…达到32.5张（…33.7张…6.5张）": an average is no whole
        owners = _run_before(text, quantities, at)
        unread = _unread(text, whole.end, text.find("）", whole.end), inside)
        for unit in dict.fromkeys(q.unit for q in inside):
            same = tuple(q for q in inside if q.unit == unit)
            owner = [q for q in owners if q.unit == unit and is_operand(q)]
            if len(same) >= 2 and owner and all(is_operand(q) for q in same):
                yield Split(owner[-1], same, not cut and not unread, loose=unread)


def _unread(text: str, start: int, close: int, inside: list[Quantity]) -> bool:
    """ "2844个（963个市辖区、375个县级市、1335个县、117自治县、49个旗…）": a figure in the bracket printed without its
    unit is an item the list has but no part read — the parts are not all of it."""
    if close < 0:
        return False
    rest = list(text[start:close])
    for q in inside:
        rest[q.start - start : q.end - start] = " " * (q.end - q.start)
    return any(c.isdigit() for c in rest)


def _run_before(text: str, quantities: list[Quantity], at: int) -> list[Quantity]:
    """The figure before a bracket and those printed right before it ("6305户13183人（…）"): the whole a
    bracketed list may split, never a figure further back."""
    run = [quantities[at]]
    while at > 0 and text[quantities[at - 1].end : quantities[at].start] in ("", "、"):
        at -= 1
        run.insert(0, quantities[at])
    return run


def _trailing_total(passage: Passage, index: int) -> Iterator[Split]:
    text = passage.paragraph.sentences[index].text
    quantities = passage.in_sentence(index)
    for at, whole in enumerate(quantities):
        said = _TRAILING_TOTAL.search(whole.clause)
        if said is None or not is_operand(whole) or _FROM_MARK.search(whole.clause, said.end()):
            continue  # "决算合计数自29.97亿元提高至194.03亿元": a 合计 that moved, from a figure to another, sums nothing
        preceding = quantities[max(0, at - NEAR) : at]
        since = preceding[0].start if preceding else whole.start
        scope = max(text.rfind(mark, since, whole.start) for mark in ("；", "：", "其中", "。")) + 1
        parts = tuple(
            q for q in preceding if scope <= q.start and q.end <= whole.start - 1 and q.unit == whole.unit
        )
        cut = at > NEAR and scope <= since
        if len(parts) >= 2 and all(is_operand(q) for q in parts):
            yield Split(whole, parts, not cut)


def wholes(splits: list[Split]) -> dict[int, Quantity]:
    """Each part's whole, keyed by the part's identity: a rate or a data match needs what its part is part of."""
    return {id(p): s.whole for s in splits for p in s.parts}


def check_splits(passage: Passage, splits: list[Split]) -> Iterator[Finding]:
    for split in splits:
        whole, parts = split.whole, split.parts
        if not passage.owns(whole):
            # a whole printed paragraphs up (各类残疾人的总数为218.9万人, 全县常住人口为562657人): reported where the parts are
            whole = replace(
                whole, sentence=parts[0].sentence, start=parts[0].start, end=parts[0].end, trail=""
            )
            split = replace(split, whole=whole, loose=True)
        sentence = passage.sentence(whole)
        listed = "+".join(p.printed for p in parts)
        summed = total(list(parts))
        # a list not marked complete that adds up to its whole is checked as a sum: the parts are all there
        if split.complete or (len(parts) >= 2 and summed.meets(whole)):
            computed = f"{listed} = {whole.show(summed.mid)}"
            yield finding(Kind.PARTS, sentence, whole, f"总数 {whole.printed}", computed, summed.meets(whole))
        elif split.disjoint and summed.lo > whole.value + whole.err:
            if not subject(whole):
                continue  # "2、466个（其中…镇9683个…）": a whole that names nothing may be a figure cut by a page mark
            computed = f"{listed} = {whole.show(summed.mid)}，各部分互不重叠，之和超过总数"
            yield finding(Kind.PARTS, sentence, whole, f"总数 {whole.printed}", computed, False)
        else:
            largest = max(parts, key=lambda p: p.value)
            fits = Interval.of(largest).lo <= whole.value + whole.err
            if (split.loose or not subject(whole) or _scope(passage, whole)) and not fits:
                continue  # exceeded only where the parts and the whole are certain
            if fits or _bracketed(passage, split):
                computed = (
                    f"最大的部分 {largest.printed}，{'不超过' if fits else '超过'}总数（未列全，不要求相加）"
                )
                yield finding(Kind.PARTS, sentence, whole, f"总数 {whole.printed}", computed, fits)
            else:
                # a list not marked complete nor of disjoint kinds, one part above the whole: an error, or a list that
                # ran into another subject (使基金总额达1000万元, 四川的17个城市 after 7个省份) — which, the text does not say
                why = f"最大的部分 {largest.printed}超过总数，但所列未必都是该总数的部分（未列全）"
                yield uncheckable(Kind.PARTS, sentence, whole, f"总数 {whole.printed}", why)


def _bracketed(passage: Passage, split: Split) -> bool:
    """ "省级行政区划单位4个（其中直辖市4个，省3个…）": parts in a bracket opened right after the whole are its own, certainly."""
    text = passage.text(split.whole)
    close = text.find("）", split.whole.end)
    return (
        text.startswith("（其中", split.whole.end)
        and close >= 0
        and all(p.sentence == split.whole.sentence and p.end <= close for p in split.parts)
    )


def _scope(passage: Passage, whole: Quantity) -> bool:
    """ "社会团体数量在31个省区市（除港澳台外）中…分别为32318个…": a figure in 在…中 is the size of the set a comparison is
    made in (31 provinces), not a stock of the clause's noun: what the parts count is another quantity."""
    among = re.compile(rf"{re.escape(whole.trail)}(?:（[^）]*）)?中")
    return whole.lead.endswith("在") and among.match(passage.text(whole), whole.end) is not None


_HOUSEHOLDS = re.compile(r"^[、，]?$")


def household_pairs(passage: Passage, quantities: list[Quantity]) -> Iterator[tuple[Quantity, Quantity]]:
    """Every "A户B人" (or A户、B人) among `quantities` of the paragraph: the households and persons of one group."""
    for first, second in pairwise(quantities):
        if (
            first.unit == "户"
            and second.unit == "人"
            and first.sentence == second.sentence
            and _HOUSEHOLDS.match(passage.text(first)[first.end : second.start])
        ):
            yield first, second


# The persons of "A户B人" are the households' members when the pair counts a group of recipients (低保对象, 特困人员,
# 贫困户…); when it counts the households and persons a measure touched (提高保障标准914户1327人, 降低保障标准74户、
# 68人, 减少保障金额…), the persons are those whose payment changed, who may be fewer than the households.
_MEMBERS = re.compile(r"对象|人员|家庭|低保|特困|五保|供养|贫困|困难群众|在册|在保|保障|救助")
_ADJUSTED = re.compile(
    r"(?:提高|降低|调整|上调|下调|增发|减发|核减|减少|增加)了?[^，、]{0,4}(?:标准|金额|水平|待遇|补差|补助)"
)


def check_households(passage: Passage) -> Iterator[Finding]:
    """A户B人: a household has at least one person — 不一致 only where the persons are the households' members."""
    for first, second in household_pairs(passage, passage.quantities):
        ok = Interval.of(second).hi >= Interval.of(first).lo
        computed = f"人数{'不少于' if ok else '少于'}户数 {first.printed}"
        sentence, shown = passage.sentence(second), f"{first.printed}{second.printed}"
        adjusted = _ADJUSTED.search(first.clause)
        if not ok and (adjusted or not _MEMBERS.search(first.clause)):
            what = "所计是待遇调整涉及的户与人" if adjusted else "未说明所计对象"
            why = f"{computed}，但{what}，人数未必是这些户的成员"
            yield uncheckable(Kind.HOUSEHOLDS, sentence, second, shown, why)
        else:
            yield finding(Kind.HOUSEHOLDS, sentence, second, shown, computed, ok)
