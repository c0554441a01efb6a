"""--data --period: every figure the text states for an indicator or field we know, against the data.

A stated figure is matched by its noun: the noun, with the whole's noun for a 其中 part and the numerator's for
an 占比, must contain every character of an indicator's name (or a field's header, or an alias) — order aside,
since 分散供养特困人员 and 特困人员分散供养 are the same thing. The longest such name wins; a tie between two
names is no match. Figures about another period (上年, 同期, 年初) or a bound are never compared, a figure
naming a township is compared with that township, and 累计 / 1—9月 mean the year to date.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from report_builder.audit.findings import Finding, Interval, Kind, finding, uncheckable
from report_builder.audit.parts import Split, wholes
from report_builder.audit.passage import RATE_UNITS, Passage, is_operand
from report_builder.audit.quantities import Quantity
from report_builder.audit.ratios import rate_operands
from report_builder.definitions import IndicatorDef, field_as_indicator
from report_builder.indicators.compute import Calculator
from report_builder.load import Inputs
from report_builder.periods import Period

_SUFFIX = re.compile(r"(?:户数|人数|人次|金额|数)$")
_ANOTHER_TIME = re.compile(r"上年|去年|上季度|上月|同期|年初|期初|上年末")
_YEAR_TO_DATE = re.compile(r"累计|1[—\-–~至]\d{1,2}月|今年以来|年初以来|年内|全年")
_YEAR = re.compile(r"(20\d\d)年")
_CHANGE = re.compile(r"增长|下降|提高|增加|减少|降低|上升|回落|持平|差")
_FLOW = re.compile(r"新增|退出")  # 新增234户604人: a flow into or out of a stock, the whole clause long


@dataclass(frozen=True)
class Name:
    text: str
    chars: Counter
    indicator: IndicatorDef


class DataLookup:
    """The data a report is checked against: one region and period, with every indicator and field by name."""

    def __init__(self, inputs: Inputs, region: str, period: Period) -> None:
        data = self.data = inputs.dataset
        self.region = region
        self.period = period
        self.calc = Calculator(data)
        extra = tomllib.loads(
            resources.files("report_builder.audit").joinpath("names.toml").read_text("utf-8")
        )
        defs = [
            *inputs.indicators.values(),
            *(field_as_indicator(data.fields, f) for f in data.fields.fields),
        ]
        self.names = [
            Name(text, Counter(text), ind)
            for ind in defs
            for text in {
                _SUFFIX.sub("", n) or n for n in (ind.name, *self._aliases(ind), *extra.get(ind.id, ()))
            }
        ]
        below = [self.region, *data.regions.descendants(region)]
        self.places = sorted(
            ((data.regions[c].name, c) for c in below if c in data.regions), key=lambda p: -len(p[0])
        )

    def _aliases(self, ind: IndicatorDef) -> tuple[str, ...]:
        field = self.data.fields.fields.get(ind.id)
        return field.aliases if field else ()

    def match(self, noun: str, unit: str) -> IndicatorDef | None:
        have = Counter(noun)
        fits = [n for n in self.names if _unit(n.indicator) == unit and not n.chars - have]
        if not fits:
            return None
        longest = max(len(n.text) for n in fits)
        chosen = {n.indicator.id: n.indicator for n in fits if len(n.text) == longest}
        return next(iter(chosen.values())) if len(chosen) == 1 else None

    def place(self, text: str) -> str:
        return next((code for name, code in self.places if name in text), self.region)


def _unit(ind: IndicatorDef) -> str:
    return ind.unit.split("/")[0]


def check_against_data(passage: Passage, splits: list[Split], lookup: DataLookup) -> Iterator[Finding]:
    whole_of = wholes(splits)
    texts = [
        s.text for s in passage.paragraph.sentences
    ]  # what a sentence says of all its figures, read once
    years = [{int(y) for y in _YEAR.findall(text)} for text in texts]
    to_date = [bool(_YEAR_TO_DATE.search(text)) for text in texts]
    places = [lookup.place(text) for text in texts]
    for q in passage.quantities:
        if not _current(q, years[q.sentence], lookup.period):
            continue
        noun = _subject(passage, q, whole_of)
        ind = lookup.match(noun, q.unit) if noun else None
        if ind is None:
            continue
        code = lookup.place(q.clause) if q.clause else places[q.sentence]
        ytd = to_date[q.sentence]
        value = lookup.calc.indicator(ind, code, lookup.period, ytd)
        where = f"{lookup.data.regions[code].name}{lookup.period.ytd_label if ytd else lookup.period.label}"
        sentence = passage.sentence(q)
        stated = f"{ind.name} {q.printed}"
        if value.value is None:
            yield uncheckable(
                Kind.DATA, sentence, q, stated, f"数据中没有{where}的{ind.name}：{value.reason}"
            )
            continue
        exact = Interval.exact(value.value)
        computed = f"{q.show(value.value)}（{where}，按数据计算）"
        yield finding(Kind.DATA, sentence, q, stated, computed, exact.meets(q))


def _current(q: Quantity, years: set[int], period: Period) -> bool:
    """A figure about this period, stated as a fact: not a change, an earlier value, or another year's."""
    if (
        q.unit == "个百分点"
        or _CHANGE.search(q.lead)
        or _FLOW.search(q.clause)
        or _ANOTHER_TIME.search(q.clause)
    ):
        return False
    if q.unit not in RATE_UNITS and not is_operand(q) and not re.search("每|均", q.clause):
        return False
    return not years or period.year in years


def _subject(passage: Passage, q: Quantity, whole_of: dict[int, Quantity]) -> str:
    """What the figure counts, with what the sentence leaves implicit: the whole of a part, the numerator of a share."""
    if q.unit in RATE_UNITS:
        pair = rate_operands(passage, q, whole_of)
        part = pair[0] if pair else None
        if part is not None and not q.noun.endswith(("率", "占比", "比例", "比重")):
            return _subject(passage, part, whole_of) + "占比"
        if part is not None and id(part) in whole_of:
            return whole_of[id(part)].noun + q.noun
        return q.noun
    whole = whole_of.get(id(q))
    return (whole.noun if whole else "") + q.noun
