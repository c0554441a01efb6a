"""Numbers with units, and the nouns they count, found in one normalized sentence.

Only a number followed by a unit is a quantity: dates (2020年9月30日), ordinals (第三季度, 表2) and chart
labels have none, so they never enter a relation. A printed number stands for an interval: "1.2万人" is any
count from 11 500 to 12 500, "583元" anything that rounds to it, while a whole count of persons is exact.
Every check compares intervals, so a rounded figure is never called wrong for its rounding.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from report_builder.numbers import fmt_fixed, rounded

# Units whose whole numbers are exact counts; amounts (元) and rates are rounded to the digits printed.
COUNT_UNITS = (
    "人次",
    "户次",
    "户",
    "人",
    "张",
    "个",
    "所",
    "家",
    "处",
    "座",
    "项",
    "件",
    "次",
    "对",
    "宗",
    "具",
)
_SAME = {"名": "人", "位": "人", "百分点": "个百分点", "床": "张"}
_MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}

_QUANTITY = re.compile(
    r"(?<![\d.第表图])(?P<number>\d+(?:\.\d+)?)(?P<more>[余多])?(?P<mult>[万亿])?(?P<more_after>(?<=[万亿])余)?"
    r"(?:(?P<unit>个百分点|百分点|人次|户次|元|%|‰|户|人|名|位|张|个(?!月)|所|家|处|座|项|件|次|对|宗|具|床(?!位))"
    r"|(?=[，。；、）]|$))"
)
# "老年人口已达1.43亿，": a population in 万 or 亿 with no unit after it counts persons
_POPULATION = re.compile(r"(?:人口|人数)[^，、\d]{0,4}$")
_RANGE_BEFORE = re.compile(r"\d[万亿]?(?:至|到|~|—|－|-|–)$")
_RESTATED = re.compile(r"（(?:约|即|合|折合)?")
_BOUND_BEFORE = re.compile(r"(?:[≥≤<>]|不低于|不高于|不少于|不超过|不足|跌破|突破|超过|逾)$")
# "较2013年同期增加支出3.52亿元": a year named after 比/较 is a comparison as much as 上年 is
_COMPARISON = re.compile(r"比上|较上|比去年|较去年|比年初|较年初|同比|环比|[比较](?:19|20)\d\d年")
_CHANGE_VERB = re.compile(r"(?:增加|减少|增长|下降|提高|降低|净增|净减)了?$")
CLAUSE_MARKS = "，、；：（）。！？“”"
_CLAUSE_MARK = re.compile(f"[{CLAUSE_MARKS}]")
# Characters: how far back the words that qualify a figure are read. A clause in prose is a few dozen characters;
# reading no further keeps a sentence that lists 100 000 figures (or one without a comma) linear, not quadratic.
REACH = 100
_BEFORE = 4  # characters a range or a bound mark takes before its number (3—, 不低于)
LEAD_NOISE = re.compile(
    r"^(?:截[至止]\S*?[日底末]|[一二三四五六七八九十]+是|全[县市区省镇乡]|共有|共|现有|有|"
    r"其中|累计|目前|另有|此外|同时|合计|共计|总计|达到|达|为|的)+"
)
_TAIL_NOISE = re.compile(r"(?:为|达到|达|共计|合计|总计|共|计|有|是|约|近|超过|的)+$")


@dataclass(frozen=True)
class Quantity:
    """A stated number: `value` in base units (元, 人, %), `err` the half-unit its printed digits allow.

    `value`, `err` and `printed` are computed once: a figure takes part in many relations.
    """

    number: Decimal  # as printed: 1.26 in "1.26亿元"
    multiplier: Decimal
    unit: str
    decimals: int
    sentence: int  # index of the sentence in its paragraph
    start: int
    end: int
    lead: str  # the text before the number, back to a mark or the previous quantity: 提高到, 占…的
    clause: str  # the whole clause before the number, earlier quantities included: 年末在保722户
    noun: str  # what it counts, with connectives stripped: "特困人员", "集中供养"
    change: bool = False  # a difference from another time (比上年减少120户), not a stock or flow itself
    approx: str = ""  # "8000多万人", "18万余人次": the text between number and unit; "" for a plain figure
    # "16658万人（约1.67亿人）": the figure before it again, alone in brackets, in another multiple
    restates: bool = False
    # the text back to the previous figure of the sentence or a ；, where a figure whose own clause names nothing
    # ("每千位老人拥有的养老床位数最高的是杭州，达到32.5张") is said to be about something
    context: str = ""
    # the words right after the unit, up to 中/的 or a mark: what a figure counts when the noun follows it
    # ("全县158个行政村中", "21625名五保对象")
    trail: str = ""

    @cached_property
    def value(self) -> Decimal:
        return (self.number + self._more / 2) * self.multiplier

    @cached_property
    def err(self) -> Decimal:
        if self.approx:
            return self._more / 2 * self.multiplier
        if self.unit in COUNT_UNITS and self.decimals == 0 and self.multiplier == 1:
            return Decimal(0)
        return Decimal(1).scaleb(-self.decimals) * self.multiplier / 2

    @cached_property
    def _more(self) -> Decimal:
        """How far past its number an approximate figure may reach: 8000多 is 8000 to 9000, 1300多 1300 to 1400,
        18万余 18万 to 19万 — one unit of the last digit that is not zero."""
        if not self.approx:
            return Decimal(0)
        if self.decimals:
            return Decimal(1).scaleb(-self.decimals)
        digits = str(self.number)
        return Decimal(1).scaleb(len(digits) - len(digits.rstrip("0")))

    @property
    def signed(self) -> Decimal:
        """The number with the minus printed before it (增长率为-1.18%): the figure as the report states it. The other
        fields keep the bare number, since a fall is read from its verb (减少, 下降) as often as from a sign."""
        return -self.number if self.lead.endswith("-") else self.number

    @property
    def is_count(self) -> bool:
        return self.unit in COUNT_UNITS

    @property
    def _mult(self) -> str:
        return next((k for k, v in _MULTIPLIERS.items() if v == self.multiplier), "")

    @cached_property
    def printed(self) -> str:
        return f"{self.number}{self.approx or self._mult}{self.unit}"

    def show(self, value: Decimal) -> str:
        """A recomputed value in this quantity's unit, at its digits, or two more when not exact there."""
        scaled = value / self.multiplier
        decimals = self.decimals
        if rounded(scaled, decimals) != scaled:
            decimals += 2
        return f"{fmt_fixed(scaled, decimals)}{self._mult}{self.unit}"


def find_quantities(text: str, sentence: int) -> list[Quantity]:
    """Every number-with-unit in the sentence, left to right, except ranges (3—5人) and bounds (≥45张).

    Each look back is bounded (the marks are found once, the clause read at most REACH characters back), so
    the work grows with the sentence, not with its square.
    """
    marks = [m.start() for m in _CLAUSE_MARK.finditer(text)]
    semicolons = [i for i, c in enumerate(text) if c == "；"]
    found: list[Quantity] = []
    for match in _QUANTITY.finditer(text):
        at = match.start()
        mark_from = max(0, at - _BEFORE)
        if _RANGE_BEFORE.search(text, mark_from, at) or _BOUND_BEFORE.search(text, mark_from, at):
            continue  # a range or a target bound (≥45张, 不低于35%) states no fact to check
        if match["unit"] == "位" and text[at - 1 : at] in ("前", "后"):
            continue  # "居前3位": a rank, not 3 persons
        number = match["number"]
        mark = bisect_left(marks, at) - 1
        clause_start = max(marks[mark] + 1 if mark >= 0 else 0, at - REACH)
        lead = text[max(clause_start, found[-1].end if found else 0) : at]
        unit = (
            _SAME.get(match["unit"], match["unit"])
            if match["unit"]
            else _unit_implied(text, match, found, lead)
        )
        if unit is None:
            continue
        noun = _noun(lead)
        clause = text[clause_start:at]
        semicolon = bisect_left(semicolons, at) - 1
        since = max(
            found[-1].end if found else 0, semicolons[semicolon] + 1 if semicolon >= 0 else 0, at - REACH
        )
        change = bool(_COMPARISON.search(clause) or _CHANGE_VERB.search(lead))
        between = text[found[-1].end : at] if found else None
        # "6305户13183人", "529.2万户，545.6万人": both count the same group
        if between in ("", "、") or (between == "，" and (found[-1].unit, unit) == ("户", "人")):
            noun = noun or found[-1].noun
            change = change or found[-1].change  # "减少120户、305人"
        multiplier = _MULTIPLIERS.get(match["mult"] or "", Decimal(1))
        restates = bool(
            found
            and _RESTATED.fullmatch(text, found[-1].end, at)
            and text.startswith("）", match.end())
            and (found[-1].unit, found[-1].change) == (unit, change)
            and found[-1].multiplier != multiplier
        )
        found.append(
            Quantity(
                number=Decimal(number),
                multiplier=multiplier,
                unit=unit,
                decimals=len(number.partition(".")[2]),
                sentence=sentence,
                start=at,
                end=match.end(),
                lead=lead,
                clause=clause,
                noun=noun,
                change=change,
                restates=restates,
                context=text[since:at],
                trail=_trail(text, match.end()),
                approx=text[match.end("number") : match.start("unit") if match["unit"] else match.end()]
                if match["more"] or match["more_after"]
                else "",
            )
        )
    return found


# "，占总人口的": the lead of a share said of the figure just before it
SHARE_LEAD = re.compile(r"，?占[^，；。：\d]{0,12}?的?(?:比重|比例)?(?:为|达)?")
_MONEY = re.compile(r"(?:资金|金|支出|经费|款)[^，、\d]{0,2}$")
_TO_RATE = re.compile(r"(?:到|至)$")


def _unit_implied(text: str, match: re.Match[str], found: list[Quantity], lead: str) -> str | None:
    """The unit of a figure printed without one, where the words say it: a population in 万 or 亿 (老年人口已达1.43亿,
    a change of it 较上年减少1240万), money in 万 (支出低保金3347万), a rate come down to 0 (贫困发生率从14.14%下降到0);
    None for any other bare number (dates, list marks)."""
    if match["mult"]:
        if _POPULATION.search(lead) or _population_change(text, found, lead):
            return "人"
        return "元" if _MONEY.search(lead) else None
    last = found[-1] if found else None
    if (
        last is not None
        and last.unit in ("%", "‰")
        and _TO_RATE.search(lead)
        and "，" not in text[last.end : match.start()]
    ):
        return last.unit
    return None


def _population_change(text: str, found: list[Quantity], lead: str) -> bool:
    """ "全国农村贫困人口为4335万，较2015年减少1240万": a change in 万 without a unit, right after a population given so,
    counts persons too."""
    if not found or not (_COMPARISON.search(lead) or _CHANGE_VERB.search(lead)):
        return False
    last = found[-1]
    if last.unit in ("%", "‰") and len(found) > 1 and SHARE_LEAD.fullmatch(last.lead):
        last = found[
            -2
        ]  # "户籍人口为1030.62万，占总人口的20.96%，比上年同期增加46.59万": the share is of the level
    return (
        last.unit == "人" and last.multiplier > 1 and text[last.end - 1] in _MULTIPLIERS and not last.change
    )


_TRAIL = re.compile(r"[\u4e00-\u9fff]{2,12}?(?=中|的|[^\u4e00-\u9fff]|$)")


def _trail(text: str, at: int) -> str:
    m = _TRAIL.match(text, at)
    return m[0] if m else ""


_PLACE = re.compile(r"[我全本该][国省市县区镇乡]")


def subject(q: Quantity) -> str:
    """What a figure is about: its noun, or where its clause names nothing (达到32.5张), the words before it back to
    the previous figure, or else the words after it (158个行政村中); "" when none name anything (a page's "2、466个").
    A noun ending in 的 only qualifies the one after the figure: 符合条件的21625名五保对象 is about 符合条件五保对象."""
    if q.noun and q.lead.endswith("的"):
        return q.noun + q.trail
    if _PLACE.fullmatch(q.noun) and q.trail:
        return (
            q.trail
        )  # "我国共有89.13万个社会组织": the place names no counted thing, the words after the figure do
    if q.noun:
        return q.noun
    return _noun(re.sub(r"[^\u4e00-\u9fff]+", "", q.context)) or q.trail


def _noun(lead: str) -> str:
    return _TAIL_NOISE.sub("", LEAD_NOISE.sub("", lead))


def common_run(a: str, b: str) -> int:
    """Length of the longest run of characters two nouns share: 老年人 links 60周岁及以上老年人口 and 老年人."""
    return len(shared_run(a, b))


def shared_run(a: str, b: str) -> str:
    """The longest run of characters two nouns share: 家庭户 of 直辖市共有家庭户 and 家庭户人口为."""
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] not in b:
                break
            best = a[i:j]
    return best
