"""Rates and per-unit figures recomputed from the counts printed beside them.

- 比率: "其中集中供养269人，集中供养率为55.0%", "护理型床位1043张，占养老床位的36.9%", "…占比13.5%";
- 单位换算: "每人每年6996元（每人每月583元）", "每千名老年人拥有养老床位46.9张", "户均保障人数2.1人", "次均救助850元".
A rate whose counts the paragraph does not give is left alone (覆盖率 needs the population), except where the
sentence itself names its base (占…的, 每千名…, 户均, 次均): then the finding says 无法核对 and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from itertools import takewhile

from report_builder.audit.findings import Finding, Interval, Kind, Verdict, finding, total, uncheckable
from report_builder.audit.parts import Split, complementary, household_pairs, wholes
from report_builder.audit.passage import RATE_UNITS, Passage, is_operand
from report_builder.audit.quantities import LEAD_NOISE, REACH, Quantity, common_run, shared_run, subject

_SHARE_OF = re.compile(r"占(?P<base>[^，\d%≥≤<>]*?)的?(?:比重|比例)?(?:为|达到|达|是)?$")
_SHARE = re.compile(r"^(?:占比|所占比[例重]|比[例重])(?:为|达到|达|是)?$")
_RATE_NOUN = re.compile(r"(?:率|占比|比例|比重)$")
_GENERIC_BASE = re.compile(r"^(?:总数|总量|总额|全部|总人数|总户数|全县|总体)?$")
_MOVED = re.compile(r"(?<!达)到$|至$|提高|增长|增加|下降|减少|降低|上升|回落|同比|环比|较|比上")


def check_rates(passage: Passage, splits: list[Split]) -> Iterator[Finding]:
    whole_of = wholes(splits)
    for rate in passage.quantities:
        if rate.unit not in RATE_UNITS or _MOVED.search(rate.lead) or not _current_rate(rate):
            continue
        sentence = passage.sentence(rate)
        pair = rate_operands(passage, rate, whole_of)
        if pair is None:
            continue
        part, base = pair
        if part is None or base is None:
            missing = "分子" if part is None else "分母（总数）"
            yield uncheckable(Kind.RATE, sentence, rate, rate.printed, f"段内找不到该比率的{missing}")
            continue
        ratio = Interval.of(part) / Interval.of(base)
        if ratio is None:
            continue
        scaled = ratio.scale(Decimal(RATE_UNITS[rate.unit]))
        computed = f"{part.printed}÷{base.printed} = {rate.show(scaled.mid)}"
        if ratio.lo > 1 and _is_share(rate):
            # a part is never more than its whole: the figure taken for the base is not what the share is of
            yield uncheckable(
                Kind.RATE, sentence, rate, rate.printed, f"{computed}，分子大于分母，分母未必是所占的总数"
            )
            continue
        yield finding(Kind.RATE, sentence, rate, rate.printed, computed, scaled.meets_cut(rate))


def _is_share(rate: Quantity) -> bool:
    """占…的 / 占比: a share of a whole, at most all of it."""
    return bool(_SHARE.match(rate.lead) or _SHARE_OF.search(rate.lead))


_HUNDRED = Quantity(
    Decimal(100), Decimal(1), "%", 9, 0, 0, 0, "", "", ""
)  # exactly 100: the shares carry their rounding
_BARE_SHARE = re.compile(r"，?(?:占|占比)(?:为|达)?")


_LIST_GAP = 24  # characters from one share to the next figure of its list: "；中部地区人口为"


def _share_list(passage: Passage, part: Quantity) -> list[tuple[Quantity, Quantity]]:
    """The run of figures around the part each followed by its own bare 占 share ("男性93人，占38.46%；女性150人，占
    61.54%"), in reading order, with their shares; a 其中 item is no member. Empty when the part has no bare share."""
    text = passage.text(part)

    def share(q: Quantity) -> Quantity | None:
        nxt = passage.following(q)[:1]
        if nxt and nxt[0].unit == "%" and _BARE_SHARE.fullmatch(text, q.end, nxt[0].start) is not None:
            return nxt[0]
        return None

    own = share(part)
    if own is None:
        return []
    quantities = passage.in_sentence(part.sentence)
    at = next(i for i, q in enumerate(quantities) if q is part)

    def member(i: int, gap: tuple[int, int]) -> tuple[Quantity, Quantity] | None:
        """The figure at i with its share, if it goes on the list: one unit, no 其中 item, a few characters away."""
        if not 0 <= i < len(quantities) or gap[1] - gap[0] > _LIST_GAP:
            return None
        q = quantities[i]
        same = (q.unit, q.multiplier) == (part.unit, part.multiplier) and "其中" not in q.clause
        found = share(q) if same and is_operand(q) else None
        return (q, found) if found is not None else None

    listed = [(part, own)]
    # each figure and its share are two quantities: the list runs on both ways while the pairs follow each other
    # ("…占48.73%总人口性别比（…）…0-14岁人口为…": a page that lost a 。 joins two lists; the long gap parts them)
    i = at - 2
    while (m := member(i, (quantities[i].end if i >= 0 else 0, listed[0][0].start))) is not None:
        listed.insert(0, m)
        i -= 2
    i = at + 2
    while (
        m := member(i, (listed[-1][1].end, quantities[i].start if i < len(quantities) else 0))
    ) is not None:
        listed.append(m)
        i += 2
    return listed


def _pair_total(passage: Passage, part: Quantity) -> Quantity | None:
    """ "100周岁以上老年人口中，男性93人，占38.46%；女性150人，占61.54%": the two sides of a complementary pair, or
    three or more figures of one unit, each given with its bare 占 and the shares together making 100%, are the whole
    group between them — the base is their sum (243), printed or not. Shares short of 100% may be of a larger base
    the text does not print."""
    listed = _share_list(passage, part)
    # "100—102岁的7047人，占66.0%；103-105岁的2062人，占19.3%；…": three or more such figures whose shares make 100%
    # are the whole list; two only when they are the two sides of one pair (男性, 女性)
    others = [q for q, _ in listed if q is not part]
    if not others or (len(others) == 1 and not complementary(part.noun, others[0].noun, alike=True)):
        return None
    if not total([s for _, s in listed]).meets(_HUNDRED):
        return None
    group = sorted((q for q, _ in listed), key=lambda q: q.start)
    return Quantity(sum(q.number for q in group), part.multiplier, part.unit, max(q.decimals for q in group),
                    part.sentence, group[0].start, group[-1].end, "", "", "+".join(q.noun for q in group))  # fmt: skip


def _shares_of_another_base(passage: Passage, part: Quantity, whole: Quantity) -> bool:
    """ "东部地区人口为563717119人，占39.93%；中部…；西部…；东北地区人口为98514948人，占6.98%": figures that add up to
    the whole while their shares do not make 100% are shares of another base (the national total with 现役军人)."""
    listed = _share_list(passage, part)
    return (
        len(listed) >= 2
        and total([q for q, _ in listed]).meets(whole)
        and not total([s for _, s in listed]).meets(_HUNDRED)
    )


def _current_rate(rate: Quantity) -> bool:
    return not re.search(r"[由从]|上年|去年|上季度|同期", rate.lead)


def rate_operands(
    passage: Passage, rate: Quantity, whole_of: dict[int, Quantity]
) -> tuple[Quantity | None, Quantity | None] | None:
    """(numerator, denominator) when the text states what the rate is of; None when it does not say."""
    respective = _respective_share(passage, rate, whole_of)
    if respective is not None:
        return respective
    same_sentence = [q for q in passage.before(rate) if q.sentence == rate.sentence and is_operand(q)]
    share_of = _SHARE_OF.search(rate.lead)
    if _SHARE.match(rate.lead) or (share_of and share_of["base"] in ("", "比")):
        part = same_sentence[0] if same_sentence else None
        whole = whole_of.get(id(part)) if part else None
        if part is None:
            return None, None
        if whole is not None and _share_of_its_own(passage, whole, part):
            return part, None
        summed = _pair_total(
            passage, part
        )  # a list whose shares make 100% is of its own sum, whatever its whole
        if summed is not None:
            return part, summed
        if whole is not None:
            return part, None if _shares_of_another_base(passage, part, whole) else whole
        # "各类残疾人的人数及各占残疾人总人数的比重分别是：视力残疾28.7万人，占13.11%；…": the list's base, named once
        intro = next(reversed(list(_INTRODUCED.finditer(passage.text(part), 0, part.start))), None)
        if intro is not None:
            return part, _named_base(passage, intro["base"] or intro["group"], part, whole_of)
        return part, None
    if share_of:
        subject = LEAD_NOISE.sub("", rate.lead[: share_of.start()])
        named = _best_match(passage, subject, None, near=rate) if subject else None
        part = named if named in same_sentence else same_sentence[0] if same_sentence else None
        base = share_of["base"]
        if part is None:
            return None, None
        whole = whole_of.get(id(part))
        if _GENERIC_BASE.match(base) or (
            whole is not None and (_total_of(base, whole) or _all_people(base, whole))
        ):
            return part, whole
        return part, _named_base(passage, base, part, whole_of)
    if _RATE_NOUN.search(rate.noun):
        core = _RATE_NOUN.sub("", rate.noun)
        for q in passage.before(rate):
            if not is_operand(q):
                continue
            if id(q) not in whole_of:
                if any(q is w for w in whole_of.values()):
                    continue
                # "21625名五保对象…。…集中供养五保对象达14117人，集中供养率达到65.3%": the rate's own count, over
                # the one figure of what it is a share of; else a new subject began ("生活不能自理特困人员484人，集中供养率…")
                return _defined(passage, core, q)
            if q.noun and core.endswith(q.noun):
                return q, whole_of[id(q)]
    return None


# "…分别占60岁及以上老年人口总数的13.3%和1.19%": shares listed after 分别占, of a base that may hold digits
_RESPECTIVE = re.compile(r"分别占(?P<base>[^，。；：%]{2,}?)的?(?:比重|比例)?(?:为|达|是)?$")
_RATE_LISTED = re.compile(r"[、和及与]")


def _respective_share(
    passage: Passage, rate: Quantity, whole_of: dict[int, Quantity]
) -> tuple[Quantity | None, Quantity | None] | None:
    """ "80岁以上高龄老人18.32万人，其中：90岁以上高龄老人1.68万人，分别占60岁及以上老年人口总数的13.3%和1.19%": the k-th
    share after 分别占 is of the k-th of the figures just before it, all over the one named base. None unless there
    are as many figures, of one unit, as shares: otherwise which share is whose is not printed."""
    quantities = passage.in_sentence(rate.sentence)
    text = passage.text(rate)

    def listed(at: int) -> bool:  # 13.3%和1.19%, 71%、9.5%: the share at `at` goes on the list before it
        return (
            at > 0 and _RATE_LISTED.fullmatch(text, quantities[at - 1].end, quantities[at].start) is not None
        )

    first = next(i for i, q in enumerate(quantities) if q is rate)
    while listed(first) and quantities[first - 1].unit in RATE_UNITS:
        first -= 1
    opening = _RESPECTIVE.search(quantities[first].lead)
    if opening is None or quantities[first].unit not in RATE_UNITS:
        return None
    shares = [quantities[first]]
    for at in range(first + 1, len(quantities)):
        if quantities[at].unit not in RATE_UNITS or not listed(at):
            break
        shares.append(quantities[at])
    figures = [q for q in quantities[:first] if is_operand(q) and q.unit not in RATE_UNITS][-len(shares) :]
    if len(shares) < 2:
        return None
    if len(figures) != len(shares) or len({q.unit for q in figures}) != 1:
        # "扶贫户177253户、583703人；…扶贫低保户44965户、149223人，分别占贫困人口总数的71%、…": 户 and 人 alternate,
        # so which figure each share is of is not printed — no figure near the share is its numerator
        return None, None
    part = figures[next(i for i, s in enumerate(shares) if s is rate)]
    return part, _named_base(passage, opening["base"], part, whole_of)


# a list of shares introduced once: "…的人数及各占残疾人总人数的比重分别是：" — each item's bare 占 is of that base
# (or of the group whose 人数及比重 it lists: "各类残疾人的人数及比重分别是：")
_INTRODUCED = re.compile(
    r"各?占(?P<base>[^，。；：\d%]{2,}?)的?(?:比重|比例)分别[是为]"
    r"|(?:[各七六五四三两]类)?(?P<group>[\u4e00-\u9fff]{2,6}?)的人数及(?:其)?(?:比重|比例)分别[是为]"
)


def _named_base(
    passage: Passage, base: str, part: Quantity, whole_of: dict[int, Quantity]
) -> Quantity | None:
    """The figure a share's named base (占老年人口总数) is certainly of, in this paragraph or one before; None when
    no figure is."""
    named = _best_match(passage, base, part.unit, near=part)
    if named is None and _TOTAL_POPULATION.match(base):
        named = _population(passage, part)
    counted = _TOTAL_WORD.sub("", base)
    if named is None and counted != base:
        named = _whole_named(passage, counted, part, whole_of)
    return named if named is not None else _named_before(passage, part, counted)


def _population(passage: Passage, part: Quantity) -> Quantity | None:
    """The one registered or resident population printed near a share of 总人口 (户籍人口459.98万人), if the paragraph
    prints exactly one value of it."""
    found = [
        q
        for q in [*passage.before(part), *passage.after(part)]
        if q.unit == part.unit and is_operand(q) and _REGISTERED.search(subject(q)) and not q.change
    ]
    return found[0] if len({q.value for q in found}) == 1 else None


# 新增五保对象200人, 出生人口24.64万人 (the base of a 死亡率 is the average population, not another year's flow):
# no stock to take a share of
_FLOW = re.compile(r"新增|新纳入|退出|停保|取消|清退|减少|增加|出生|死亡|迁入|迁出")


def _defined(passage: Passage, core: str, q: Quantity) -> tuple[Quantity, Quantity] | None:
    """A rate named after what it counts (集中供养率) as its definition says: the figure of that (集中供养五保对象) over
    the one figure before it of the same noun without the qualifier (五保对象), none of the other side (分散供养…) and
    no flow (新增…)."""
    if len(core) < 2 or core not in q.noun:
        return None
    rest = q.noun.replace(core, "", 1)
    if len(rest) < 2:
        return None
    found = [
        p
        for p in passage.before(q)
        if p.unit == q.unit and is_operand(p) and rest in subject(p) and core not in subject(p)
        and not complementary(core, subject(p)) and not _FLOW.search(p.clause)
    ]  # fmt: skip
    return (q, found[0]) if len(found) == 1 else None


_TOTAL_WORD = re.compile(r"(?:总数|总量|总额|总人数|总户数)$")


def _whole_named(
    passage: Passage, counted: str, part: Quantity, whole_of: dict[int, Quantity]
) -> Quantity | None:
    """ "60岁以上老年人口84.77万人…其中市区老年人口24.24万人…（城镇老年人口17.27万人，占老年人口总数的20.37%）": X总数 is
    the one figure counting X that is no part of another (市区老年人口 is a 其中 part: not the 总数)."""
    around = [q for q in [*passage.before(part), *passage.after(part)] if id(q) not in whole_of]
    found = [
        q
        for q in around
        if q.unit == part.unit
        and is_operand(q)
        and counted in subject(q)
        and not _share_of(passage, q, counted)
    ]
    return found[0] if len(found) == 1 else None


def _share_of(passage: Passage, q: Quantity, counted: str) -> bool:
    """ "失能、半失能老年人口共76.81万人，占老年人口总数的7.45%": a figure itself given as a share of the 老年人口 total
    is a part of that total, never the total."""
    following = passage.following(q)
    if not following or following[0].unit not in RATE_UNITS:
        return False
    m = _SHARE_OF.search(following[0].lead)
    return m is not None and counted in m["base"]


def _total_of(base: str, whole: Quantity) -> bool:
    """ "共支出农村低保资金718.0亿元，其中中央补助资金431.4亿元，占总支出的60.1%": 总X is the whole of the part's 其中 when
    the whole is said to be all of X (共支出); 占总人口 after 60周岁及以上人口 is not."""
    return (
        len(base) >= 3
        and base.startswith("总")
        and re.search(f"(?:共|合计|总计|累计){re.escape(base[1:])}", whole.clause) is not None
    )


_TOTAL_POPULATION = re.compile(r"^(?:全[国省市县区]|本[省市县区])?总人口数?$")
_REGISTERED = re.compile(r"(?:户籍|常住|年末|总)(?:总)?人口数?$")


def _all_people(base: str, whole: Quantity) -> bool:
    """ "全市户籍人口数达459.98万人，其中60周岁以上老年人口115.91万人，占总人口数25.2%": 总人口 is the registered or
    resident population the part's 其中 is of; an age group or 农业人口 is no 总人口."""
    return bool(_TOTAL_POPULATION.match(base) and _REGISTERED.search(whole.noun))


def _share_of_its_own(passage: Passage, whole: Quantity, part: Quantity) -> bool:
    """ "老年人口84.77万人，占总人口的14.7%，其中市区老年人口24.24万人，占15.93%": when the whole itself is given as a
    share — of a base it names, or bare in a list of shares of the population (60岁及以上人口为22182万人，占16.15%，其中65岁
    及以上人口为14374万人，占10.47%) — a part's bare 占 may be the same kind of share, not one of the whole: which
    base is meant is not printed."""
    after = passage.after(whole)
    at = next((i for i, q in enumerate(after) if q is part), 0)
    # the whole's own rates, before any part
    own = list(takewhile(lambda q: q.unit in RATE_UNITS, after[:at]))
    return any(_SHARE_OF.search(q.lead) is not None or _SHARE.match(q.lead) is not None for q in own)


def _best_match(
    passage: Passage, noun: str, unit: str | None, near: Quantity, population: bool = False
) -> Quantity | None:
    """The plain figure near `near` whose noun matches `noun` certainly — the run they share is the whole of one of
    the two (占市本级低保对象 is 市本级, not 全市城市低保对象, which shares only 低保对象; 占总人口 is not 60周岁及以上人口)
    — with the longest such run, two characters at least; on a tie the nearest one before `near`, then the first
    one after it. With `population`, the figure must be a 人口 — 收留抚养老年人 are not the 老年人 a 每千名老年人
    figure is counted over.
    """
    return _certain(
        [q for q in [*passage.before(near), *passage.after(near)] if q is not near], noun, unit, population
    )


def _certain(
    candidates: list[Quantity], noun: str, unit: str | None, population: bool = False
) -> Quantity | None:
    best, score = None, 1
    for q in candidates:
        if (unit is not None and q.unit != unit) or not is_operand(q):
            continue
        if population and "人口" not in q.noun:
            continue
        named = subject(q)
        run = common_run(named, noun)
        if run > score and run in (len(noun), len(named)):
            best, score = q, run
    return best


_PERIOD = re.compile(r"每[人户]?(?:每)?(年|季度|季|月)|(年|月)人均|(年|月)标准")
_MONTHS = {"年": 12, "季度": 3, "季": 3, "月": 1}
_CONVERTED = re.compile(r"^（|^，?(?:折合|即|合)")
_PER_THOUSAND = re.compile(
    r"每(千|百|万)名?(?P<base>[^，]*?)(?:才|就|仅|共|均|平均)?(?:拥有|有)(?P<what>[^，]*)$|每(千|百|万)名?(?P<all>.*)$"
)
_SCALE = {"千": 1000, "百": 100, "万": 10000}
# amount ÷ 人次: 次均救助, and 民政's 月人均补差 (保障金 over the 人次 summed across the months)
_PER_CASE = re.compile(r"次均|月人均补[差助]|人均月补[差助]")
# "城乡低保累计人均月补助分别达到193.26元和88.78元": each figure is one subject's, while the amount and the 人次 beside
# them count all subjects together — no operands of either figure are printed
_PER_HOUSEHOLD = re.compile(r"户均|平均每(?:个|一)?(?:家庭)?户")
_PER_FIGURE = re.compile(rf"{_PER_CASE.pattern}|每[千百万]|户均")


def _cases(q: Quantity, summed: set[int]) -> bool:
    """人次, or persons counted 累计 over months (累计救助2.3万人, or the 人 of 农村低保累计保障10536户、24744人, in
    `summed`): what an amount is shared over."""
    return q.unit == "人次" or (q.unit == "人" and ("累计" in q.clause or id(q) in summed))


def check_per_unit(passage: Passage, splits: list[Split]) -> Iterator[Finding]:
    in_split = wholes(splits)
    summed = {id(b) for a, b in household_pairs(passage, passage.quantities) if "累计" in a.clause}
    for q in passage.quantities:
        sentence = passage.sentence(q)
        if (f := _restated(passage, q) or _period_pair(passage, q)) is not None:
            yield f
        elif "分别" in q.clause and _PER_FIGURE.search(q.clause):
            yield uncheckable(
                Kind.PER_UNIT,
                sentence,
                q,
                q.printed,
                "“分别”所列各是一类对象的数值，段内未分别给出其金额和人数",
            )
        elif m := _PER_THOUSAND.search(q.clause):
            scale = next(g for g in (m[1], m[4]) if g)
            yield _per_thousand(
                passage, q, Decimal(_SCALE[scale]), m["base"] or m["all"], m["what"] or m["all"]
            )
        elif _PER_HOUSEHOLD.search(q.clause) and q.unit == "人":
            pair = _household_pair(passage, q)
            if pair is None:
                yield uncheckable(Kind.PER_UNIT, sentence, q, q.printed, "段内没有给出同一口径的户数和人数")
            elif (
                pair[1].value < pair[0].value
            ):  # 41739089户 against 5364766人: a household holds a person at least
                why = f"人数{pair[1].printed}少于户数{pair[0].printed}，所列户数或人数有误，无法相除"
                yield uncheckable(Kind.PER_UNIT, sentence, q, q.printed, why)
            else:
                households, persons = pair
                yield _quotient(passage, q, persons, households, Decimal(1))
        elif q.is_count and "年均" in q.lead and (f := _yearly(passage, q)) is not None:
            yield f
        elif q.unit == "元" and (pair := _adjacent_operands(passage, q)) is not None:
            found = _quotient(passage, q, *pair[:2], Decimal(1))
            if found.verdict is Verdict.INCONSISTENT and not pair[2]:
                why = f"{found.computed}；人均的人数口径未必是所列人数（如按低保、五保对象计算）"
                found = uncheckable(Kind.PER_UNIT, sentence, q, q.printed, why)
            yield found
        elif _PER_CASE.search(q.clause) and q.unit == "元":
            plain = [p for p in passage.before(q) if is_operand(p) and id(p) not in in_split]
            amount = next((p for p in plain if p.unit == "元"), None)
            times = next((p for p in plain if _cases(p, summed)), None)
            if amount is None or times is None:
                yield uncheckable(Kind.PER_UNIT, sentence, q, q.printed, "段内没有给出救助金额和人次")
            else:
                yield _quotient(passage, q, amount, times, Decimal(1))


# "资助参加基本医疗保险5621.0万人，支出74.0亿元，人均补助水平131.6元", "累计救助970.3万人次，…支出临时救助资金107.7亿元，
# 平均救助水平1109.9元/人·次": an average with no period of its own, right after the one count and the one amount
_AVERAGE = re.compile(r"(?<![月年季])(?:人均|平均|次均)")
_PER_CASE_UNIT = re.compile(r"/人[·・]?次")


def _adjacent_operands(passage: Passage, q: Quantity) -> tuple[Quantity, Quantity, bool] | None:
    """(amount, count, per case) printed right before an average, in its sentence, nothing between them but their
    clauses; the count in 人次 for an average per case (次均, 元/人·次), whose base is then certain, in 人 for one
    per person, whose base may be another population (人均医疗救助 counted over all 低保 and 五保 recipients): that
    one is 一致 when it agrees and 无法核对 when not, never 不一致."""
    if not _AVERAGE.search(q.clause) or _PER_CASE.search(q.clause) or re.search("[月年季]", q.clause):
        return None
    before = passage.before(q)[:2]
    text = passage.text(q)
    if len(before) < 2 or any(p.sentence != q.sentence or not is_operand(p) for p in before):
        return None
    if re.search("[；。]", text[before[-1].end : q.start]):
        return None
    per_case = "次均" in q.clause or _PER_CASE_UNIT.match(text, q.end) is not None
    amount = next((p for p in before if p.unit == "元"), None)
    count = next((p for p in before if p.unit == ("人次" if per_case else "人")), None)
    return (amount, count, per_case) if amount is not None and count is not None else None


_DURATION = re.compile(r"(?<![\d年])(\d{1,2}|[一二两三四五六七八九十]{1,3})年(?:来|间|中|时间)")
_CUMULATIVE = re.compile(r"(?:累计|共计|合计|总计|共)(.+)$")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}


def _yearly(passage: Passage, q: Quantity) -> Finding | None:
    """ "六年来，农村已累计减贫8239万人，年均减贫1373万人": a yearly average is the cumulative total over the years the
    sentence says it spans. Nothing without all three: the years stated before the total, the total said to be
    cumulative, and the average of the same thing (累计减贫 / 年均减贫; a stock, 共有, has no yearly average)."""
    total = next((p for p in passage.before(q) if p.sentence == q.sentence and p.unit == q.unit), None)
    if total is None or not is_operand(total):
        return None
    summed, averaged = _CUMULATIVE.search(total.lead), re.search("年均(.+)$", q.lead)
    if summed is None or averaged is None or summed[1] != averaged[1]:
        return None
    text = passage.text(q)
    spans = list(_DURATION.finditer(text, max(0, total.start - REACH), total.start))
    years = _count(spans[-1][1]) if spans else None
    if not years:
        return None
    return _quotient(passage, q, total, Quantity(Decimal(years), Decimal(1), "年", 0, q.sentence, 0, 0, "", "", ""),
                     Decimal(1))  # fmt: skip


def _count(numeral: str) -> int | None:
    """1–99 in digits or Chinese numerals (六, 十一, 二十五); None for anything else."""
    if numeral.isdigit():
        return int(numeral)
    tens, _, ones = numeral.partition("十")
    if "十" not in numeral:
        return _DIGITS.get(numeral) if len(numeral) == 1 else None
    if len(tens) > 1 or len(ones) > 1 or (tens and tens not in _DIGITS) or (ones and ones not in _DIGITS):
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def _period_pair(passage: Passage, q: Quantity) -> Finding | None:
    """The figure in "每人每年6996元（每人每月583元）": the one in brackets is checked against the other."""
    if q.unit != "元":
        return None
    text = passage.text(q)
    earlier = [p for p in passage.before(q) if p.sentence == q.sentence and p.unit == "元"]
    if not earlier or not _CONVERTED.search(text[earlier[0].end : q.start]):
        return None
    other = earlier[0]
    mine, theirs = _period_before(text, q.start), _period_before(text, other.start)
    if mine is None or theirs is None or mine == theirs:
        return None
    months, other_months = _MONTHS[mine], _MONTHS[theirs]
    computed = Interval.of(other).scale(Decimal(months)) / Interval.exact(Decimal(other_months))
    if computed is None:
        return None
    working = f"÷{other_months // months}" if other_months > months else f"×{months // other_months}"
    shown = f"{other.printed}{working} = {q.show(computed.mid)}"
    return finding(Kind.PER_UNIT, passage.sentence(q), q, q.printed, shown, computed.meets(q))


def _restated(passage: Passage, q: Quantity) -> Finding | None:
    """ "16658万人（约1.67亿人）": the figure in brackets against the one it restates in another multiple."""
    if not q.restates:
        return None
    other = passage.before(q)[0]
    shown = f"{other.printed} = {q.show(other.value)}"
    return finding(Kind.PER_UNIT, passage.sentence(q), q, q.printed, shown, Interval.of(other).meets(q))


def _period_before(text: str, at: int) -> str | None:
    found = list(_PERIOD.finditer(text, max(0, at - REACH), at))
    if not found:
        return None
    m = found[-1]
    return next(g for g in m.groups() if g)


def _per_thousand(passage: Passage, q: Quantity, scale: Decimal, base: str, what: str) -> Finding:
    sentence = passage.sentence(q)
    population = _best_match(passage, base, "人", near=q, population=True) or _population_nearby(
        passage, q, base
    )
    counted = _best_match(passage, what, q.unit, near=q)
    if population is None or counted is None:
        missing = "、".join(n for n, v in ((base, population), (what, counted)) if v is None)
        return uncheckable(Kind.PER_UNIT, sentence, q, q.printed, f"段内没有给出{missing}的数值")
    return _quotient(passage, q, counted, population, scale)


def _population_nearby(passage: Passage, q: Quantity, base: str) -> Quantity | None:
    """The population of a 每千名 figure from a neighbouring paragraph of the same report: "截至2015年年底…每千名老年人
    拥有养老床位30.3张" and, a paragraph on, "截至2015年年底，全国60岁及以上老年人口达22200万人". Taken only when the
    two name the same years (a population of another year is another base) and only one paragraph has one that fits."""
    years = passage.years(q)
    if not years:
        return None
    found = []
    for other in passage.nearby:
        dated = [p for p in other.populations if other.years(p) == years]
        match = _certain(dated, base, "人", population=True)
        if match is not None:
            found.append(match)
    return found[0] if len(found) == 1 else None


def _named_before(passage: Passage, part: Quantity, base: str) -> Quantity | None:
    """A base named after 占 that this paragraph does not give, from a paragraph before it: "截至2020年底，全国共有殡葬
    服务机构4201个…" and on the next line "其中，殡仪馆数量1722个…占殡葬服务机构的40.99%". Taken only when exactly one
    figure there is certainly of that noun in the part's unit, and the two paragraphs name the same years (or this one
    none, and that one one year): a figure of another year or of a look-alike noun is no base."""
    years = passage.years(part)
    found = []
    for other in passage.preceding:
        found += [
            q
            for q in other.quantities
            if (other.years(q) == years or (not years and len(other.years(q)) == 1))
            and q.unit == part.unit
            and is_operand(q)
            and common_run(subject(q), base) == len(base)
        ]
    return found[0] if len(found) == 1 else None


def _quotient(passage: Passage, q: Quantity, top: Quantity, bottom: Quantity, scale: Decimal) -> Finding:
    ratio = Interval.of(top) / Interval.of(bottom)
    sentence = passage.sentence(q)
    if ratio is None:
        return uncheckable(Kind.PER_UNIT, sentence, q, q.printed, f"{bottom.printed} 为零，无法相除")
    scaled = ratio.scale(scale)
    times = f"×{scale:g}" if scale != 1 else ""
    computed = f"{top.printed}÷{bottom.printed}{times} = {q.show(scaled.mid)}"
    return finding(Kind.PER_UNIT, sentence, q, q.printed, computed, scaled.meets_cut(q))


def _household_pair(passage: Passage, q: Quantity) -> tuple[Quantity, Quantity] | None:
    """The A户B人 pair near the 户均 it belongs to: the one whose noun fits best, else the nearest."""
    around = [*reversed(passage.before(q)), q, *passage.after(q)]
    pairs = [pair for pair in household_pairs(passage, around) if is_operand(pair[0])]
    if not pairs:
        return _named_pair(passage, q)
    return max(reversed(pairs), key=lambda p: common_run(p[0].noun, q.clause))


def _named_pair(passage: Passage, q: Quantity) -> tuple[Quantity, Quantity] | None:
    """ "共有家庭户40947万户，家庭户人口为126935万人，平均每个家庭户的人口为3.10人": the one household figure of the sentence
    (or of the sentence before) and, after it, the one count of persons whose noun names those households (家庭户人口)."""
    before = [p for p in passage.in_sentence(q.sentence) if p.end <= q.start and is_operand(p)]
    if not any(p.unit == "户" for p in before) and q.sentence:
        # "全区共有家庭户275307户，家庭户人口为777901人。平均每个家庭户的人口为2.66人": the pair closes the sentence before
        before = [p for p in passage.in_sentence(q.sentence - 1) if is_operand(p)]
    households = [p for p in before if p.unit == "户"]
    if len(households) != 1:
        return None
    named = subject(households[0])
    persons = [
        p
        for p in before
        if p.unit == "人" and p.start > households[0].end and "户" in shared_run(named, subject(p))
    ]
    return (households[0], persons[0]) if len(persons) == 1 else None
