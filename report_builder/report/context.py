"""What a report template may print: every figure computed from the data, formatted once, and recorded.

A template never computes or formats a number. It reads `Stat`s (an indicator or field of one region and
period, with 同比 and 环比) and the target results, and each figure it prints is written down in the ledger
(manifest.json) — so a test, an editor or `--previous` can trace every number on the page back to its cells.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal

from report_builder.definitions import IndicatorDef
from report_builder.indicators.compare import Change, period_on_period, year_on_year
from report_builder.indicators.compute import Calculator, IndicatorValue
from report_builder.load import Inputs
from report_builder.numbers import Rounding, fmt_amount, fmt_count, fmt_fixed, fmt_value, rounded
from report_builder.periods import Period, PeriodKind
from report_builder.regions import Level
from report_builder.report.filters import change, cn_date
from report_builder.report.ledger import Ledger, Printed
from report_builder.report.movements import Movements
from report_builder.report.target_lines import TargetLine, problems, shortfall, target_line, town_table
from report_builder.targets.check import TargetResult


def shown(ind: IndicatorDef, value: Decimal | None, rounding: Rounding) -> str:
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
        self._ctx.ledger.add(Printed(self.ind.id, self.ind.name, self.code, str(self.period),
                                       f"累计{kind}" if self.ytd else kind, text,
                                       "" if self.value is None else f"{self.value:f}", self.sources))  # fmt: skip
        return text

    @functools.cached_property
    def sources(self) -> tuple[str, ...]:
        """The cells the figure was computed from: the calculator's, so the stock/flow rule is applied once."""
        return tuple(str(cell) for cell in self.result.cells())

    @property
    def text(self) -> str:
        return self._record("数值", shown(self.ind, self.value, self._ctx.rounding))

    @property
    def number(self) -> str:
        """The figure without its unit ("13095", "4.45"), for tables whose header gives the unit."""
        text = shown(self.ind, self.value, self._ctx.rounding)
        return self._record("表内数值", re.sub(r"[^\d.—]+$", "", text))

    def _change(self, moved: Change, kind: str) -> str:
        return self._record(kind, change(moved, self.ind.decimals, self._ctx.rounding))

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
        moved = self.yoy_change
        if moved.amount is None or change(moved, self.ind.decimals, self._ctx.rounding) == "持平":
            return 0
        return 1 if moved.amount > 0 else -1

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
            try:
                ind = self._ctx.definition(name)
            except KeyError:
                raise AttributeError(f"没有名为“{name}”的指标或字段") from None
            self._cache[name] = Stat(self._ctx, ind, self._code, self._period, self._ytd)
        return self._cache[name]


class ReportData:
    """Everything a template sees, for one region and period. Built fresh for every report: no shared state."""

    def __init__(self, inputs: Inputs, code: str, period: Period, date: dt.date, results: list[TargetResult],
                 calc: Calculator | None = None) -> None:  # fmt: skip
        self.inputs, self.data, self.code, self.period, self.date = inputs, inputs.dataset, code, period, date
        self.calc = calc or Calculator(self.data)
        self.rounding = self.data.rounding
        self.ledger = Ledger()
        self.results = results

    @property
    def org(self) -> str:
        """The office that issues the report: 示例县民政局."""
        return self.data.regions[self.code].office

    def definition(self, name: str) -> IndicatorDef:
        """An indicator or a field by id. Raises KeyError for a name that is neither."""
        return self.inputs.definition(name)

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

    @property
    def sub_level(self) -> str:
        """What the regions under this one are called together (乡镇（街道） under a county): from the level the
        tree gives them, or the next level down when the region has none under it."""
        children = self.data.regions.children_of(self.code)
        if children:
            return self.data.regions[children[0]].level.collective
        own = self.data.regions[self.code].level
        return Level(min(own + 1, Level.村)).collective

    def children(self) -> list[tuple[str, str]]:
        return [(c, self.data.regions[c].name) for c in self.data.regions.children_of(self.code)]

    def target_lines(self) -> list[TargetLine]:
        """Each result with its figure printed (and recorded) like any other, and its shortfall recorded."""
        lines = []
        for r in self.results:
            stat = Stat(self, r.target.indicator, r.region, r.period)
            value = stat.text if r.value is not None else "—"
            if gap := shortfall(r, self.rounding):
                stat._record("差距", gap)
            lines.append(target_line(r, self.data.regions[r.region].name, value, self.rounding))
        return lines

    def context(self) -> dict[str, object]:
        region = self.data.regions[self.code]
        parent = self.data.regions.regions.get(region.parent or "")
        lines = self.target_lines()
        own = [t for t in lines if t.region_code == self.code]
        below = [t for t in lines if t.region_code != self.code]
        return {
            "region": region,
            "org": self.org,
            "to": parent.office if parent else "",
            "period": self.period,
            "date": cn_date(self.date),
            "s": self.stats(),
            "ytd": self.stats(ytd=True),
            "towns": [(name, self.stats(code)) for code, name in self.children()],
            "level": {"省": "全省", "市": "全市", "县": "全县", "乡": "全乡", "村": "全村"}[
                region.level.name
            ],
            "sub": self.sub_level,
            "targets": own,
            "town_targets": below,
            "town_table": town_table(below),
            "problems": problems(own, below),
            "years": list(range(self.period.year - 4, self.period.year + 1)),
            "at": self.at_year,
            "adds_up": self.adds_up,
            "movements": Movements(self.inputs, self.code, self.period, self.ledger, self.rounding),
        }
