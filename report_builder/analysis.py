"""For analysts: a data folder loaded once, its indicators, fields and roster changes as pandas DataFrames.

    from report_builder.analysis import Folder
    folder = Folder.load("sample_data")           # read and validated once; BadInput lists every problem
    folder.indicators()                           # every region × period × indicator
    folder.fields(periods=["2020Q3"])             # the figures, reported or summed up the tree
    folder.changes("2020Q2", "2020Q3")            # 新增/退出 per township and category, from the rosters

An entry point beside the command line (the same functions `indicators`, `check` and `changes` call), so a
notebook gets the numbers the reports print, computed the same way (ratios of sums, the stock/flow rule).

How values are typed, so that nothing is lost: `value`, `numerator` and `denominator` are `decimal.Decimal`
objects in columns of object dtype, exact and unrounded (a rate is the ratio of the sums, as `check --format
json` gives it in `exact_value`); a value that cannot be computed is None (`isna()` is true; `reason` says why).
Decimal arithmetic works on them directly (`df.value.sum()` after `dropna`); `df.value.astype(float)` is the
analyst's own choice to leave exactness. Counts of changes are plain integers. Region codes and periods are
text ("990123", "2020Q3"), as the data folder writes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from report_builder.indicators.changes import changes_between
from report_builder.indicators.compute import Calculator
from report_builder.load import Inputs, load_inputs
from report_builder.periods import Period

__all__ = ["Folder"]


class Folder:
    """A loaded data folder. Build with `Folder.load(path)`, or `Folder(inputs)` from `load_inputs`."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self._calc = Calculator(inputs.dataset)

    @classmethod
    def load(cls, path: str | Path) -> Folder:
        """Raises BadInput (report_builder.issues) listing every error of the folder, as `validate` prints them."""
        return cls(load_inputs(Path(path)))

    @property
    def periods(self) -> list[str]:
        """Every period the data hold figures for, in order."""
        return [str(p) for p in self.inputs.dataset.periods()]

    def _periods(self, periods: Iterable[str | Period] | None) -> list[Period]:
        if periods is None:
            return self.inputs.dataset.periods()
        return [p if isinstance(p, Period) else Period.parse(p) for p in periods]

    def _regions(self) -> list[tuple[str, str, str]]:
        """Every region in tree order (a county before its townships): code, name, level."""
        regions = self.inputs.dataset.regions
        codes = [c for root in sorted(regions.roots()) for c in (root, *regions.descendants(root))]
        return [(c, regions[c].name, regions[c].level.name) for c in codes]

    def indicators(self, periods: Iterable[str | Period] | None = None, ytd: bool = False) -> pd.DataFrame:
        """Every indicator of every region for each period (default: all the data hold), one row each:
        region_code, region_name, level, period, indicator, name, unit, value, numerator, denominator, reason.
        `ytd`: year to date, as `indicators --ytd`."""
        rows = []
        for period in self._periods(periods):
            for code, name, level in self._regions():
                for ind in self.inputs.indicators.values():
                    result = self._calc.indicator(ind, code, period, ytd)
                    rows.append(
                        (code, name, level, str(period), ind.id, ind.name, ind.unit, result.value,
                         result.numerator, result.denominator, result.reason or "")
                    )  # fmt: skip
        columns = ["region_code", "region_name", "level", "period", "indicator", "name", "unit", "value",
                   "numerator", "denominator", "reason"]  # fmt: skip
        return _exact(pd.DataFrame(rows, columns=columns), "value", "numerator", "denominator")

    def fields(self, periods: Iterable[str | Period] | None = None) -> pd.DataFrame:
        """Every field (fact) known for a region and period: region_code, region_name, level, period, field,
        header, unit, value, reported (True: the region's own figure, from a fact table or counted from the
        rosters; False: summed from the regions under it), sources (the cells behind it, '；'-joined).
        Fields no table or roster gives for a region and period are left out."""
        data = self.inputs.dataset
        rows = []
        for period in self._periods(periods):
            for code, name, level in self._regions():
                for fid, spec in data.fields.fields.items():
                    total = data.rollup(code, period, fid)
                    if total.value is None:
                        continue
                    rows.append(
                        (code, name, level, str(period), fid, spec.header, spec.unit, total.value,
                         total.cell is not None, "；".join(str(c) for c in total.cells()))
                    )  # fmt: skip
        columns = ["region_code", "region_name", "level", "period", "field", "header", "unit", "value",
                   "reported", "sources"]  # fmt: skip
        return _exact(pd.DataFrame(rows, columns=columns), "value")

    def changes(self, before: str | Period, after: str | Period) -> pd.DataFrame:
        """新增/退出 between two periods, as `changes --format csv`: region_code, region_name, category,
        households_added, persons_added, households_exited, persons_exited, exit_reasons (a dict of reason →
        persons, most frequent first). Raises ValueError when the rosters hold nobody in one of the periods."""
        start, end = (p if isinstance(p, Period) else Period.parse(p) for p in (before, after))
        regions = self.inputs.dataset.regions
        found = changes_between(self.inputs.rosters, regions, start, end).changes
        rows = [
            (c.region, regions[c.region].name, c.category, c.households_added, c.persons_added,
             c.households_exited, c.persons_exited, dict(c.reasons))
            for c in found
        ]  # fmt: skip
        columns = ["region_code", "region_name", "category", "households_added", "persons_added",
                   "households_exited", "persons_exited", "exit_reasons"]  # fmt: skip
        frame = pd.DataFrame(rows, columns=columns)
        counts = columns[3:7]
        frame[counts] = frame[counts].astype("int64")
        return frame


def _exact(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Decimal columns as objects, whatever they hold (all None included): never floats."""
    for column in columns:
        frame[column] = frame[column].astype(object)
    return frame
