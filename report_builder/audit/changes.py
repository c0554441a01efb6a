"""Changes between two figures: 由X提高到Y (direction), 增加D人 / 增长R% / 提高P个百分点 (size), and
年初X人，新增A人、退出B人，年末Y人 (stock and flows).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from report_builder.audit.findings import Finding, Interval, Kind, finding, uncheckable
from report_builder.audit.passage import RATE_UNITS, Passage, is_operand, is_rate
from report_builder.audit.quantities import REACH, SHARE_LEAD, Quantity, common_run, subject

UP = "提高|增加|增长|上升|提升|扩大|上调|回升|增|升"
DOWN = "下降|减少|降低|回落|缩小|下调|减|降"
# 下降到2018年末的1.7%, 减少到2018年的1660万人: the period the end figure is of may stand between 到 and it
# (a scrape may strip the digits of the year: 下降到年底的0.46%)
_TO = re.compile(rf"(?P<verb>{UP}|{DOWN})了?(?:到|至|为)(?:(?:\d{{4}})?年(?:\d{{1,2}}月)?(?:末|底|初)?的?)?$")
_FROM = re.compile(r"[由从][^，]{0,14}$")
_SIZE = re.compile(
    rf"^(?:同比|比上年|较上年|\d{{1,2}}年(?:时间|来|间)?)?(?:累计|共计|共)?(?:净)?(?P<verb>{UP}|{DOWN})了?$"
)
_DOWN = re.compile(rf"^(?:{DOWN})$")


def check_changes(passage: Passage) -> Iterator[Finding]:
    for end in passage.quantities:
        to = _TO.search(end.lead)
        if to is None:
            continue
        start = next((q for q in passage.before(end) if q.sentence == end.sentence), None)
        if start is None or start.unit != end.unit:
            continue
        if not _FROM.search(start.lead) and not _dated(passage.text(end), start, end):
            continue
        yield _direction(passage, start, end, to["verb"])
        text = passage.text(end)
        aside = text.find("）", end.end, end.end + REACH) if text.startswith("（", end.end) else end.end
        for size in (q for q in passage.following(end) if q.start > aside):
            said = _SIZE.match(size.lead)
            if said is None:
                break
            yield _size(passage, start, end, size, said["verb"])


# 与2021年的, 与2010年第六次全国人口普查的, 比2010年的: the earlier figure's period, then 的
_AGAINST = re.compile(r"^(?P<noun>[^，。；：\d]{0,12}?)(?:与|同|比|较)(?:19|20)\d\d年[^，。；：\d]{0,14}?的$")
# 相比减少了, 相比，十年共增加, 减少 (after 比…的X): the span of years the change took may stand before its verb
_AGAINST_CHANGE = re.compile(
    rf"(?:相比)?，?(?:(?P<span>[一二两三四五六七八九十]{{1,3}}|\d{{1,2}})年(?:间|来)?)?(?:共|累计)?(?P<verb>{UP}|{DOWN})了?"
)
_RATE_AFTER = re.compile(rf"^(?:增长率|增幅|降幅|(?:同比)?(?:{UP}|{DOWN}))(?:为|达)?-?$")
_YEARLY_AFTER = re.compile(r"^年(?:平)?均(?:增长|增长率|下降|下降率|减少率|递增)(?:为|达)?-?$")
_NUMERALS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}


def check_compared(passage: Passage) -> Iterator[Finding]:
    """ "社会团体有37.01万个，与2021年的37.11万个相比减少了0.1万个，增长率为-0.27%", "全县常住人口为562657人，与2010年第六次
    全国人口普查的523403人相比，十年共增加39254人，增长7.5%，年平均增长率为0.73%": both levels printed, the change D is
    their difference, the rate after it D over the earlier one (a printed minus is the fall's sign), and a yearly
    average over the span of years the text gives. The later level may close the sentence before (全县常住人口为954090人。
    全县人口与2010年…的1006826人相比，减少52730人) when this one names it again."""
    for size in passage.quantities:
        if not size.change:
            continue
        earlier = next((q for q in passage.before(size) if q.sentence == size.sentence), None)
        text = passage.text(size)
        said = _AGAINST_CHANGE.fullmatch(text, earlier.end, size.start) if earlier else None
        against = _AGAINST.match(earlier.lead) if earlier else None
        if earlier is None or said is None or against is None:
            continue
        now = _later_level(passage, earlier, against["noun"])
        if now is None or (earlier.unit, now.unit) != (size.unit, size.unit) or now.change:
            continue
        yield _size(passage, earlier, now, size, said["verb"])
        rates = [q for q in passage.following(size)[:2] if q.unit in RATE_UNITS]
        if rates and _RATE_AFTER.match(rates[0].lead.lstrip("，")):
            yield _size(passage, earlier, now, rates[0], said["verb"])
            span = said["span"]
            years = int(span) if span and span.isdigit() else _NUMERALS.get(span or "", 0)
            if len(rates) > 1 and years > 1 and _YEARLY_AFTER.match(rates[1].lead.lstrip("，")):
                yield _yearly(passage, earlier, now, rates[1], years)


def _later_level(passage: Passage, earlier: Quantity, noun: str) -> Quantity | None:
    """The level an earlier one is compared with: the figure just before it (…为562657人，与2010年…的523403人), or, when
    the sentence opens with the noun again (全县人口与…), the last figure of the sentence before, if that names it."""
    text = passage.text(earlier)
    before = [q for q in passage.before(earlier) if q.sentence == earlier.sentence]
    if before:  # a noun before 与 names another subject than the figure before it
        joined = text[before[0].end : earlier.start] == f"，{earlier.lead}"
        return before[0] if joined and not noun else None
    opening = text[: earlier.start - len(earlier.lead)] + noun
    last = (
        [q for q in passage.in_sentence(earlier.sentence - 1) if is_operand(q)][-1:]
        if earlier.sentence
        else []
    )
    if last and len(opening) >= 2 and common_run(opening, subject(last[0])) >= 2:
        return last[0]
    return None


def _yearly(passage: Passage, earlier: Quantity, now: Quantity, rate: Quantity, years: int) -> Finding:
    """A = ((Y ÷ X)^(1/N) − 1) × 100 over the N years printed (十年共增加…，年平均增长率为0.73%)."""
    ratio = Interval.of(now) / Interval.of(earlier)
    sentence = passage.sentence(rate)
    stated = f"年均{rate.printed}"
    if ratio is None or ratio.lo <= 0:
        return uncheckable(Kind.GROWTH, sentence, rate, stated, f"基数{earlier.printed}可能为零，增幅无意义")
    yearly = (ratio.root(years) - Interval.exact(Decimal(1))).scale(Decimal(RATE_UNITS[rate.unit]))
    sign = (
        Decimal(-1) if rate.lead.endswith("-") or "下降" in rate.lead or "减少" in rate.lead else Decimal(1)
    )
    yearly = yearly.scale(sign)
    computed = f"(({now.printed}÷{earlier.printed})^(1/{years}) − 1) = {rate.show(yearly.mid)}"
    return finding(Kind.GROWTH, sentence, rate, stated, computed, yearly.meets_cut(rate))


# "募集善款5130万元，相比2012年的3256.8万元，同比增长56.7%": the earlier level, then the rate over it
_EARLIER_LEVEL = re.compile(r"^(?:相比|比|较|同)(?:19|20)\d\d年[底末]?(?:同期)?的$")
_LEVEL_RATE = re.compile(rf"(?:相比)?，?(?:同比)?(?P<verb>{UP}|{DOWN})了?")


def check_level_rate(passage: Passage) -> Iterator[Finding]:
    """R% after two levels of one thing, the earlier named by its year: R = (Y − X) ÷ X."""
    for rate in passage.quantities:
        if rate.unit not in RATE_UNITS:
            continue
        before = [q for q in passage.before(rate) if q.sentence == rate.sentence][:2]
        if len(before) < 2:
            continue
        earlier, now = before
        text = passage.text(rate)
        said = _LEVEL_RATE.fullmatch(text, earlier.end, rate.start)
        if (
            said is None
            or not _EARLIER_LEVEL.match(earlier.lead)
            or text[now.end : earlier.start] != f"，{earlier.lead}"
            or earlier.unit != now.unit
            or is_rate(now)
            or now.change
        ):
            continue
        yield _size(passage, earlier, now, rate, said["verb"])


_YEAR = re.compile(r"((?:19|20)\d\d)年(?![—\-–~至到])")


_NOT_A_NOUN = re.compile(
    r"(?:19|20)\d\d年(?:\d{1,2}月)?(?:底|末|初|[上下]半年|前三季度|第?[一二三四]季度)?|截至|截止|已经|已|最高|最低|进一步|逐步|又|再|则|而"
)


def _dated(text: str, start: Quantity, end: Quantity) -> bool:
    """ "2006年各类养老床位153.5万张，截至2017年底，床位数已增长至744.8万张": without 由/从, the start is the
    earlier figure when it is dated by the nearest year before it, the text up to the end names later years only,
    and the end names no other thing (床位数 is 各类养老床位; 护理型床位 would be another)."""
    before = _YEAR.findall(text, max(0, start.start - REACH), start.start)
    between = _YEAR.findall(text, start.end, end.start)
    if not (before and between) or not all(int(y) > int(before[-1]) for y in between):
        return False
    to = _TO.search(end.lead)
    named = _NOT_A_NOUN.sub("", end.lead[: to.start()] if to else end.lead).removesuffix("数")
    return not named or named in start.noun


def _direction(passage: Passage, start: Quantity, end: Quantity, verb: str) -> Finding:
    down = bool(_DOWN.match(verb))
    ok = end.value < start.value if down else end.value > start.value
    actual = "上升" if end.value > start.value else "下降" if end.value < start.value else "持平"
    computed = f"{start.printed} → {end.printed}，实为{actual}"
    return finding(Kind.DIRECTION, passage.sentence(end), end, f"{verb}到 {end.printed}", computed, ok)


# 生产总值 and 增加值 grow "按可比价格计算" (in real terms) in every bulletin, as 实际增长 does: not the ratio of the
# current-price levels printed beside them
_REAL_TERMS = re.compile(r"生产总值|GDP|增加值")
_REAL = "生产总值、增加值的增速按可比价格计算（实际增长），不能由现价水平推算"


def _comparable_prices(passage: Passage, level: Quantity, rate: Quantity) -> bool:
    """Whether a growth rate is a real one (名义增长, the nominal one, is the ratio of the levels)."""
    text = passage.text(level)
    real = _REAL_TERMS.search(level.clause) or "实际增长" in text or "可比价" in text
    return bool(real) and "名义" not in rate.lead


def _size(passage: Passage, start: Quantity, end: Quantity, size: Quantity, verb: str) -> Finding:
    """D = Y − X in the figures' unit; R% = (Y − X) / X; P个百分点 = Y − X for two rates."""
    sign = Decimal(-1) if _DOWN.match(verb) else Decimal(1)
    change = (Interval.of(end) - Interval.of(start)).scale(sign)
    sentence = passage.sentence(size)
    stated = f"{verb}{size.printed}"
    if size.unit == "个百分点" and is_rate(start):
        return finding(Kind.GROWTH, sentence, size, stated, f"{end.printed}−{start.printed} = {size.show(change.mid)}",
                       change.meets(size))  # fmt: skip
    if size.unit in RATE_UNITS and _comparable_prices(passage, end, size):
        return uncheckable(Kind.GROWTH, sentence, size, stated, _REAL)
    if size.unit in RATE_UNITS:
        growth = change / Interval.of(start)
        if growth is None:
            return uncheckable(
                Kind.GROWTH, sentence, size, stated, f"基数{start.printed}可能为零，增幅无意义"
            )
        scaled = growth.scale(Decimal(RATE_UNITS[size.unit]))
        computed = f"({end.printed}−{start.printed})÷{start.printed} = {size.show(scaled.mid)}"
        ok = scaled.meets(size)
        if not ok and is_rate(start) and change.meets(size):
            computed += f"；两个比率之差应写作{size.number}个百分点"
        return finding(Kind.GROWTH, sentence, size, stated, computed, ok)
    if size.unit == start.unit:
        computed = f"{end.printed}−{start.printed} = {size.show(change.mid)}"
        return finding(Kind.GROWTH, sentence, size, stated, computed, change.meets(size))
    return uncheckable(Kind.GROWTH, sentence, size, stated, f"单位与{start.printed}不同，无法比较")


# "2019年末，全国农村贫困人口551万人，比上年末减少1109万人，下降66.8%": the change D and its percentage R after
# the figure Y it is the change of; the earlier figure is Y − D (Y + D for a fall), so R = D ÷ (Y ∓ D).
_COMPARED_TO = re.compile(
    r"^(?:/[人户][、·]?[年月]?)?(?:[^，；。：、\d（）()]{1,8}(?=，))?，?(?:比|较|同比|环比|与|按月|按年|按季)[^，；。：]{0,12}$"
)  # 2067.8元/人、年，比上年提高; 5214.0万人得到了农村低保，比上年同期增加 (the words the figure counts); 与2021年相比减少了
_PERCENT_AFTER = re.compile(
    rf"^(?:名义)?(?:同比)?(?:(?P<verb>{UP}|{DOWN}|增幅|降幅|涨幅|跌幅|减幅)了?(?:为|达)?|(?P<signed>增长率|增速)(?:为|是|达)?-?)$"
)  # 减少了1.06万个，增长率为-1.18%: a growth rate whose printed minus says the fall


_REACHED = re.compile(r"，?(?:至|到|达到)")


def check_change_percent(passage: Passage) -> Iterator[Finding]:
    """R% after 比上年增加D, against D and the figure it follows: both of one noun, one unit, one clause group."""
    for change in passage.quantities:
        if not change.change or is_rate(change):
            continue
        following = passage.following(change)
        before = [q for q in passage.before(change) if q.sentence == change.sentence]
        text = passage.text(change)
        if len(following) > 1 and _REACHED.fullmatch(following[0].lead):
            # "较8月减少700宗，至282,932宗，减幅0.2%": the level reached after the change, then the rate
            now, rate = following[:2]
            compared = now.unit == change.unit
        elif following and before:
            rate, now = following[0], before[0]
            gap = now.end
            if len(before) > 1 and now.unit in RATE_UNITS and SHARE_LEAD.fullmatch(now.lead):
                # "户籍人口为1030.62万，占总人口的20.96%，比上年同期增加46.59万，增长4.73%": the share is said of the
                # level before it, and the change too
                gap, now = now.end, before[1]
            compared = now.unit == change.unit and _COMPARED_TO.match(text[gap : change.start]) is not None
        else:
            continue
        said = _PERCENT_AFTER.match(rate.lead)
        if said is None or rate.unit not in RATE_UNITS or not compared or now.change or is_rate(now):
            continue
        verb = _changed(change.lead)
        if said["signed"]:
            falls = rate.lead.endswith("-")
        else:
            falls = _falls(said["verb"]) if said["verb"] not in _BOTH_WAYS else None
        if verb is None or (falls is not None and falls != _falls(verb)):
            continue
        if _comparable_prices(passage, now, rate):
            yield uncheckable(Kind.GROWTH, passage.sentence(rate), rate, f"{said[0]}{rate.printed}", _REAL)
            continue
        sign = Decimal(-1) if _falls(verb) else Decimal(1)
        earlier = Interval.of(now) - Interval.of(change).scale(sign)
        growth = Interval.of(change) / earlier
        if growth is None:
            continue
        scaled = growth.scale(Decimal(RATE_UNITS[rate.unit]))
        op = "−" if sign > 0 else "+"
        computed = f"{change.printed}÷({now.printed}{op}{change.printed}) = {rate.show(scaled.mid)}"
        stated = f"{said[0]}{rate.printed}"
        yield finding(Kind.GROWTH, passage.sentence(rate), rate, stated, computed, scaled.meets_cut(rate))


# 增加了, and 较2013年同期增加支出 (the verb's object, two characters at most)
_VERB_AT_END = re.compile(rf"(?P<verb>{UP}|{DOWN})了?[\u4e00-\u9fff]{{0,2}}$")


def _changed(lead: str) -> str | None:
    m = _VERB_AT_END.search(lead)
    return m["verb"] if m else None


_BOTH_WAYS = ("增幅", "涨幅")  # 增幅 is said of a rise; of a fall too, loosely


def _falls(verb: str) -> bool:
    return bool(_DOWN.match(verb)) or verb in ("降幅", "跌幅", "减幅")


_GROUP_WORD = re.compile(r"对象|人员|儿童|孤儿|老人|老年人|残疾人|家庭|贫困户|床位|机构")


def _other_groups(first: Quantity, last: Quantity) -> bool:
    """ "年初农村低保对象…，年末城市特困人员…": an opening and a closing that each name a group, sharing no word of
    two characters, are two stocks, not one."""
    a, b = first.noun, last.noun
    return bool(_GROUP_WORD.search(a) and _GROUP_WORD.search(b)) and common_run(a, b) < 2


_OPENING = re.compile(r"年初|期初|上年末|上年底|去年底|去年末|上季度末|上季末|季初|月初")
_CLOSING = re.compile(r"年末|期末|年底|截至|截止|目前|现有|在册|在保|季末|季度末|月末|底")
_IN = re.compile(r"新增|新纳入|纳入|新认定|增加")
_OUT = re.compile(r"退出|减少|清退|停保|取消|注销|核减|减退")
_COMPARED = re.compile(r"比|较|同比|环比|由|从")


def check_stock_flow(passage: Passage) -> Iterator[Finding]:
    """Opening + in − out = closing, per unit, when the paragraph gives exactly one of each stock."""
    for unit in dict.fromkeys(q.unit for q in passage.quantities if q.is_count):
        plain = [q for q in passage.quantities if q.unit == unit and not _COMPARED.search(q.clause)]
        opening = [q for q in plain if _OPENING.search(q.clause)]
        if len(opening) != 1:
            continue
        first = opening[0]
        inflow = [q for q in plain if _IN.search(q.lead) and q is not first]
        outflow = [q for q in plain if _OUT.search(q.lead) and q is not first]
        moving = {id(q) for q in (first, *inflow, *outflow)}
        closing = [q for q in plain if _CLOSING.search(q.clause) and id(q) not in moving]
        if len(closing) != 1 or not (inflow or outflow):
            continue
        last = closing[0]
        if (first.sentence, first.start) > (last.sentence, last.start) or _other_groups(first, last):
            continue
        moved = Interval.of(first)
        for q in inflow:
            moved = moved + Interval.of(q)
        for q in outflow:
            moved = moved - Interval.of(q)
        working = (
            first.printed
            + "".join(f"+{q.printed}" for q in inflow)
            + "".join(f"−{q.printed}" for q in outflow)
        )
        yield finding(Kind.STOCK_FLOW, passage.sentence(last), last, f"期末 {last.printed}",
                      f"{working} = {last.show(moved.mid)}", moved.meets(last))  # fmt: skip
