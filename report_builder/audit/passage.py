"""A paragraph read for auditing: its sentences and every quantity in them, in reading order.

Relations are looked for within one paragraph: a report states a total in one sentence and its 其中 or its
rate in the next, but a new paragraph starts a new subject. Within it, a figure looks for its partners among
its NEAR neighbours only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from report_builder.audit.quantities import Quantity, find_quantities, subject
from report_builder.audit.source import Sentence, TextParagraph

RATE_UNITS = {"%": 100, "‰": 1000}
# Figures: how far apart two figures of one relation may stand. A report states a rate beside its counts and a
# total beside its parts, a few figures away; looking no further keeps the audit of a paragraph that lists
# 100 000 figures linear (each figure looks at a fixed number of neighbours), not quadratic.
NEAR = 40
# Paragraphs: how far a base a paragraph names but does not give (每千名老年人's population, 占调查总户数's households,
# a 三次产业结构's industries) is looked for. A scraped page puts headings (二、调查结果) and captions on lines of
# their own, so the figure a section opens with may stand four lines up.
NEARBY = 4
_DERIVED = re.compile(r"每|均|率|占|比例|比重")
_YEAR = re.compile(r"(?:19|20)\d\d年")
# "与2021年的37.11万个相比": a figure compared against is another period's
_EARLIER = re.compile(
    r"[由从]|上年|去年|上季度|上月|(?<!今)年初(?!以来|至今)|期初|[与比较同](?:19|20)\d\d年[^，。；：\d]{0,14}?的?$"
)


@dataclass
class Passage:
    paragraph: TextParagraph
    quantities: list[Quantity] = field(default_factory=list)
    # the paragraphs around this one (NEARBY each way), where a base the paragraph names but does not give may stand
    nearby: list[Passage] = field(default_factory=list, repr=False)
    earlier: int = 0  # how many of `nearby` come before this paragraph
    _index: dict[int, int] = field(init=False, repr=False)  # id(quantity) → its place in `quantities`
    _sentences: dict[int, list[Quantity]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = {id(q): i for i, q in enumerate(self.quantities)}
        self._sentences = {}
        for q in self.quantities:
            self._sentences.setdefault(q.sentence, []).append(q)

    @classmethod
    def read(cls, paragraph: TextParagraph) -> Passage:
        found = [q for i, s in enumerate(paragraph.sentences) for q in find_quantities(s.text, i)]
        return cls(paragraph, found)

    def owns(self, q: Quantity) -> bool:
        return id(q) in self._index

    def sentence(self, q: Quantity) -> Sentence:
        return self.paragraph.sentences[q.sentence]

    def text(self, q: Quantity) -> str:
        return self.paragraph.sentences[q.sentence].text

    def in_sentence(self, index: int) -> list[Quantity]:
        return self._sentences.get(index, [])

    def before(self, q: Quantity) -> list[Quantity]:
        """The NEAR quantities preceding `q` in the paragraph, nearest first."""
        at = self._index[id(q)]
        return self.quantities[max(0, at - NEAR) : at][::-1]

    def after(self, q: Quantity) -> list[Quantity]:
        """The NEAR quantities following `q` in the paragraph, nearest first."""
        at = self._index[id(q)]
        return self.quantities[at + 1 : at + 1 + NEAR]

    def named_before(self, at: int, noun: str, unit: str) -> Quantity | None:
        """The one value printed before sentence `at` for a figure of `noun` in `unit` (各类残疾人的总数为218.9万人,
        全县常住人口为562657人): this paragraph's earlier sentences first, then the paragraphs before."""
        for figures in (
            [q for q in self.quantities if q.sentence < at],
            *(p.quantities for p in self.preceding),
        ):
            found = [q for q in figures if q.unit == unit and is_operand(q) and noun in subject(q)]
            if found:
                return found[-1] if len({q.value for q in found}) == 1 else None
        return None

    @property
    def preceding(self) -> list[Passage]:
        """The nearby paragraphs before this one, nearest first."""
        return self.nearby[: self.earlier][::-1]

    def years(self, q: Quantity) -> frozenset[str]:
        """The years a figure's sentence names, or else its paragraph's ("截至2015年年底，…。…30.3张"); read once."""
        return self._sentence_years[q.sentence] or self._paragraph_years

    @cached_property
    def populations(self) -> list[Quantity]:
        """The plain counts of a 人口, which a neighbouring paragraph's 每千名 figure may be over."""
        return [q for q in self.quantities if q.unit == "人" and "人口" in q.noun and is_operand(q)]

    @cached_property
    def _sentence_years(self) -> list[frozenset[str]]:
        return [frozenset(_YEAR.findall(s.text)) for s in self.paragraph.sentences]

    @cached_property
    def _paragraph_years(self) -> frozenset[str]:
        return frozenset().union(*self._sentence_years)

    def following(self, q: Quantity) -> list[Quantity]:
        """The quantities after `q` in its own sentence (NEAR at most), nearest first."""
        return [p for p in self.after(q) if p.sentence == q.sentence]


def is_rate(q: Quantity) -> bool:
    return q.unit in RATE_UNITS or q.unit == "个百分点"


def is_operand(q: Quantity) -> bool:
    """A plain current figure, fit to divide or add: not a rate, an average (also where only the clause before names
    it: 每千位老人拥有的床位数最高的是杭州，达到32.5张), an earlier period's value, or a figure restated in brackets."""
    return not (is_rate(q) or q.change or q.restates or is_average(q) or _EARLIER.search(q.lead))


def is_average(q: Quantity) -> bool:
    """每…, 人均…, …率: a figure derived from others, not a count or an amount itself."""
    return bool(_DERIVED.search(q.clause) or (not q.noun and _DERIVED.search(q.context)))
