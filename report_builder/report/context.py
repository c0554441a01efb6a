"""What a report template may print: every figure computed from the data, formatted once, and recorded.

A template never computes or formats a number. It reads `Stat`s (an indicator or field of one region and
period, with 同比 and 环比) and the target results, and each figure it prints is written down in the
manifest — so a test, an editor or `--previous` can trace every number on the page back to its cells.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from report_builder.dataset import Dataset
from report_builder.indicators.compare import Change, period_on_period, year_on_year
from report_builder.indicators.compute import Calculator, IndicatorValue
from report_builder.indicators.definitions import IndicatorDef, field_as_indicator
from report_builder.periods import Period, PeriodKind
from report_builder.render.filters import cn_date
from report_builder.render.numbers import fmt_amount, fmt_count, fmt_fixed, fmt_value, rounded
from report_builder.targets.check import Status, TargetResult
from report_builder.targets.table import fmt_gap, gap_text


@dataclass(frozen=True)
class Printed:
    """One figure as the report prints it, and where it came from."""

    indicator: str
    name: str
    region: str
    period: str
    kind: str  # 数值 / 同比 / 环比 / 累计
    shown: str
    exact: str
    sources: tuple[str, ...]


@dataclass
class Manifest:
    printed: dict[Printed, None] = field(default_factory=dict)  # insertion-ordered, each figure once

    def add(self, figure: Printed) -> None:
        self.printed[figure] = None

    @property
    def figures(self) -> list[Printed]:
        return list(self.printed)


def shown(ind: IndicatorDef, value: Decimal | None, rounding: str) -> str:
    """A figure with its unit as prose prints it: 48824人, 1385.01万元, 4.51%, 45.1张, 5100元."""
    if value is None:
        return "—"
    if ind.unit == "元" and not ind.denominator:
        return fmt_amount(value, rounding)
    if ind.unit.startswith("元/"):
        return fmt_fixed(value, ind.decimals, rounding) + "元"
    if ind.decimals == 0 and not ind.denominator:
        return fmt_count(value, rounding) + ind.unit
    return fmt_value(value, ind.decimals, ind.unit, rounding)


class Stat:
    """One indicator or field for one region and period, as templates use it.

    `text` ("4.51%"), `number` ("4.51"), `yoy` and `mom` ("下降0.12个百分点") record what they print; `value`,
    `rise` (1 / 0 / -1 against a year earlier) let a template choose its words without printing.
    """

    def __init__(
        self, ctx: ReportData, ind: IndicatorDef, code: str, period: Period, ytd: bool = False
    ) -> None:
        self._ctx, self.ind, self.code, self.period, self.ytd = ctx, ind, code, period, ytd
        self.result: IndicatorValue = ctx.calc.indicator(ind, code, period, ytd)
        self.name, self.unit = ind.name, ind.unit

    @property
    def value(self) -> Decimal | None:
        return self.result.value

    @property
    def missing(self) -> bool:
        return self.result.value is None

    @property
    def reason(self) -> str:
        return self.result.reason or ""

    def _record(self, kind: str, text: str) -> str:
        self._ctx.manifest.add(Printed(self.ind.id, self.ind.name, self.code, str(self.period),
                                       f"累计{kind}" if self.ytd else kind, text,
                                       "" if self.value is None else f"{self.value:f}", self.sources))  # fmt: skip
        return text

    @functools.cached_property
    def sources(self) -> tuple[str, ...]:
        return self._ctx.sources(self)

    @property
    def text(self) -> str:
        return self._record("数值", shown(self.ind, self.value, self._ctx.rounding))

    @property
    def number(self) -> str:
        """The figure without its unit ("13095", "4.45"), for tables whose header gives the unit."""
        text = shown(self.ind, self.value, self._ctx.rounding)
        return self._record("表内数值", re.sub(r"[^\d.—]+$", "", text))

    def _change(self, change: Change, kind: str) -> str:
        return self._record(kind, change.words(self.ind.decimals, self._ctx.rounding))

    @property
    def yoy_change(self) -> Change:
        return year_on_year(self._ctx.calc, self.ind, self.code, self.period, self.ytd)

    @property
    def yoy(self) -> str:
        return self._change(self.yoy_change, "同比")

    @property
    def mom(self) -> str:
        return self._change(period_on_period(self._ctx.calc, self.ind, self.code, self.period), "环比")

    @property
    def rise(self) -> int:
        """Direction against a year earlier as the printed change shows it: 持平 when it rounds to nothing."""
        change = self.yoy_change
        if change.amount is None or change.words(self.ind.decimals, self._ctx.rounding) == "持平":
            return 0
        return 1 if change.amount > 0 else -1

    @property
    def wan(self) -> str:
        """An amount in 万元 with two decimals, for tables whose header says 万元."""
        value = None if self.value is None else self.value / 10000
        return self._record("万元", fmt_fixed(value, 2, self._ctx.rounding))

    def per(self, divisor: int) -> str:
        """The value divided and shown with the same rules (每人每年 → 每人每月: per(12))."""
        value = None if self.value is None else self.value / divisor
        text = shown(self.ind, value, self._ctx.rounding)
        return self._record(f"÷{divisor}", text)


class Stats:
    """`s.dibao_rural_persons`, `s.beds_per_1000_elderly`: every field and indicator of one region."""

    def __init__(self, ctx: ReportData, code: str, period: Period, ytd: bool = False) -> None:
        self._ctx, self._code, self._period, self._ytd = ctx, code, period, ytd
        self._cache: dict[str, Stat] = {}

    def __getattr__(self, name: str) -> Stat:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._cache:
            ind = self._ctx.definition(name)
            self._cache[name] = Stat(self._ctx, ind, self._code, self._period, self._ytd)
        return self._cache[name]


@dataclass(frozen=True)
class TargetLine:
    """A target result as a template prints it."""

    region: str
    region_code: str
    indicator: str
    name: str
    value: str
    number: str  # the value without its unit, for tables whose header carries the unit
    target: str  # ≥45张, for tables
    target_words: str  # 不低于45张, for prose
    status: str
    missed: bool
    gap: str
    shortfall: str  # how far from the target, without sign: 差1.5张 → "1.5张"
    completion: str
    basis: str
    note: str
    exact_gap: Decimal | None


class ReportData:
    """Everything a template sees, for one region and period. Built fresh for every report: no shared state."""

    def __init__(self, data: Dataset, code: str, period: Period, date: dt.date, results: list[TargetResult],
                 calc: Calculator | None = None) -> None:  # fmt: skip
        self.data, self.code, self.period, self.date = data, code, period, date
        self.calc = calc or Calculator(data)
        self.rounding = data.rounding
        self.manifest = Manifest()
        self.results = results

    def definition(self, name: str) -> IndicatorDef:
        if name in self.data.indicators:
            return self.data.indicators[name]
        if name in self.data.fields.fields:
            return field_as_indicator(self.data.fields, name)
        raise AttributeError(f"没有名为“{name}”的指标或字段")

    def sources(self, stat: Stat) -> tuple[str, ...]:
        """The cells a figure was computed from: the rows of the region, or of every region under it, in the
        period — for a year over quarterly data, the last quarter's stocks and every quarter's flows."""
        inside = [p for p in self.data.periods() if p == stat.period or stat.period.contains(p)]
        codes = [stat.code, *self.data.regions.descendants(stat.code)]
        cells = []
        for fid in stat.ind.fields:
            periods = inside if self.data.fields.fields[fid].kind.value == "flow" else inside[-1:]
            cells += [str(f.cell) for p in periods for c in codes if (f := self.data.reported(c, p, fid))]
        return tuple(cells)

    def stats(self, code: str | None = None, ytd: bool = False, period: Period | None = None) -> Stats:
        return Stats(self, code or self.code, period or self.period, ytd)

    def at_year(self, year: int) -> Stats:
        """The region's figures for a whole year (stocks at its end, flows summed), for year-by-year tables."""
        return self.stats(period=Period(year, PeriodKind.YEAR))

    def adds_up(self, fid: str, decimals: int = 2, scale: int = 10000) -> bool:
        """Whether the children's rounded figures add up to the rounded total (万元 by default); a yearbook
        does not force them to, but says so in a note when they do not."""

        def shown(code: str) -> Decimal | None:
            value = self.calc.field(code, self.period, fid).value
            return None if value is None else rounded(value / scale, decimals, self.rounding)

        parts = [shown(c) for c, _ in self.children()]
        total = shown(self.code)
        return None in parts or total is None or sum(parts, Decimal(0)) == total  # type: ignore[arg-type]

    def children(self) -> list[tuple[str, str]]:
        return [(c, self.data.regions[c].name) for c in self.data.regions.children_of(self.code)]

    def target_lines(self) -> list[TargetLine]:
        lines = []
        for r in self.results:
            ind = r.target.indicator
            stat = Stat(self, ind, r.region, r.period)
            value = stat.text if r.value is not None else "—"
            shortfall = "" if r.gap is None else fmt_gap(abs(r.gap), ind, self.rounding)
            threshold = f"{r.target.threshold:f}{ind.unit}"  # as handed down: ≥45张, not ≥45.0张
            if shortfall:
                stat._record("差距", shortfall)
            lines.append(TargetLine(
                self.data.regions[r.region].name, r.region, ind.id, ind.name, value,
                value.removesuffix(ind.unit) if ind.unit else value,
                f"{_COMPARATOR_SIGNS[r.target.comparator]}{threshold}", f"{_COMPARATOR_WORDS[r.target.comparator]}{threshold}",
                str(r.status), r.status is not Status.MET, gap_text(r, self.rounding), shortfall,
                "" if r.completion is None else fmt_fixed(r.completion, 1, self.rounding) + "%",
                r.target.basis, r.note, r.gap,
            ))  # fmt: skip
        return lines

    def context(self) -> dict[str, object]:
        region = self.data.regions[self.code]
        parent = self.data.regions.regions.get(region.parent or "")
        lines = self.target_lines()
        own = [t for t in lines if t.region_code == self.code]
        below = [t for t in lines if t.region_code != self.code]
        return {
            "region": region,
            "org": f"{region.name}民政局",
            "to": f"{parent.name}民政局" if parent else "",
            "period": self.period,
            "date": cn_date(self.date),
            "s": self.stats(),
            "ytd": self.stats(ytd=True),
            "towns": [(name, self.stats(code)) for code, name in self.children()],
            "level": {"省": "全省", "市": "全市", "县": "全县", "乡": "全乡", "村": "全村"}[
                region.level.name
            ],
            "targets": own,
            "town_targets": below,
            "town_table": _town_table(below),
            "problems": _problems(own, below),
            "years": list(range(self.period.year - 4, self.period.year + 1)),
            "at": self.at_year,
            "adds_up": self.adds_up,
        }


_COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}
_COMPARATOR_WORDS = {">=": "不低于", "<=": "不高于", "=": "等于", ">": "高于", "<": "低于"}


@dataclass(frozen=True)
class Problem:
    """One target with misses: the region's own result and the regions below it that miss, worst first."""

    name: str
    target: str
    own: TargetLine | None
    misses: tuple[TargetLine, ...]
    checked: int

    @property
    def miss_list(self) -> str:
        """白云乡43.1张（差1.9张）、石桥镇43.5张（差1.5张）"""
        return "、".join(f"{m.region}{m.value}（差{m.shortfall}）" for m in self.misses)


@dataclass(frozen=True)
class TownTable:
    """Regions as rows, targeted indicators as columns; a cell is a TargetLine (value, missed)."""

    columns: tuple[tuple[str, str], ...]  # (indicator name, target)
    rows: tuple[tuple[str, tuple[TargetLine | None, ...]], ...]


def _town_table(lines: list[TargetLine]) -> TownTable:
    columns = tuple(dict.fromkeys((t.name, t.target) for t in lines))
    regions = dict.fromkeys(t.region for t in lines)
    cell = {(t.region, t.name): t for t in lines}
    rows = tuple((r, tuple(cell.get((r, name)) for name, _ in columns)) for r in regions)
    return TownTable(columns, rows)


def _problems(own: list[TargetLine], below: list[TargetLine]) -> list[Problem]:
    out = []
    for name in dict.fromkeys(t.name for t in own + below):
        mine = next((t for t in own if t.name == name), None)
        under = [t for t in below if t.name == name]
        misses = sorted(
            (t for t in under if t.missed and t.exact_gap is not None), key=_shortfall, reverse=True
        )
        if (mine and mine.missed) or misses:
            out.append(Problem(name, (mine or under[0]).target, mine, tuple(misses), len(under)))
    return out


def _shortfall(t: TargetLine) -> Decimal:
    return abs(t.exact_gap or Decimal(0))
