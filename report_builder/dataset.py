"""The validated facts of one data folder: every reported figure with the cell it came from.

It lives on the ground floor because every layer above reads it and none defines it. `Dataset` is plain data
(codes, periods, Decimals, locations), so it pickles across a process pool. Figures for a region without its
own row are rolled up from its children by field kind, in one place (`rollup`), each region once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from report_builder.fields import FieldRegistry, Kind
from report_builder.issues import Location
from report_builder.numbers import Rounding
from report_builder.periods import Period
from report_builder.regions import RegionTree


class Fact(NamedTuple):
    value: Decimal | None
    cell: Location


class Total(NamedTuple):
    """A region's figure and what it was made from: its own row's cell, or its children's totals.

    The children are kept as they are, not flattened, so rolling a province up costs no more than summing it;
    `cells()` walks them only when a report names the cells behind a printed figure.
    """

    value: Decimal | None
    cell: Location | None = None
    parts: tuple[Total, ...] = ()

    def cells(self) -> Iterator[Location]:
        if self.cell is not None:
            yield self.cell
        for part in self.parts:
            yield from part.cells()


@dataclass(frozen=True)
class Dataset:
    fields: FieldRegistry
    regions: RegionTree
    facts: Mapping[tuple[str, Period], Mapping[str, Fact]]
    rounding: Rounding = Rounding.HALF_UP
    _totals: dict[tuple[str, Period, str], Total] = field(default_factory=dict, compare=False, repr=False)

    def __getstate__(self) -> dict[str, object]:
        """The remembered totals stay behind: a worker process rebuilds what it needs."""
        return {**self.__dict__, "_totals": {}}

    def periods(self) -> list[Period]:
        return sorted({period for _, period in self.facts})

    def reported(self, code: str, period: Period, fid: str) -> Fact | None:
        return self.facts.get((code, period), {}).get(fid)

    def covers(self, code: str, period: Period) -> bool:
        """Whether the data have any row for the region, or a region under it, in the period."""
        return any((c, period) in self.facts for c in (code, *self.regions.descendants(code)))

    def total(self, code: str, period: Period, fid: str) -> Decimal | None:
        return self.rollup(code, period, fid).value

    def rollup(self, code: str, period: Period, fid: str) -> Total:
        """The region's own figure if it reported one, else its children's figures combined by kind.

        Stock and flow fields sum when every child has a figure (a partial sum would understate the
        total); a parameter is taken from the children only when they all agree, else from the nearest region
        above that reports it. None means "not known".
        The cells travel with the value, so a printed figure can name every cell behind it. Each region's total
        is computed once: a county's is reused by its city, its province and every indicator that needs it.
        """
        key = (code, period, fid)
        found = self._totals.get(key)
        if found is None:
            found = self._totals[key] = self._rollup(code, period, fid)
        return found

    def _rollup(self, code: str, period: Period, fid: str) -> Total:
        own = self.reported(code, period, fid)
        if own is not None:
            return Total(own.value, own.cell)
        parameter = self.fields.fields[fid].kind is Kind.PARAMETER
        children = self.regions.children_of(code)
        parts = tuple([self.rollup(child, period, fid) for child in children])
        values = [p.value for p in parts]
        if not children or None in values:
            return self._inherited(code, period, fid) if parameter else Total(None)
        if parameter:
            return Total(values[0] if len(set(values)) == 1 else None, None, parts)
        return Total(sum(values, Decimal(0)), None, parts)  # type: ignore[arg-type]

    def _inherited(self, code: str, period: Period, fid: str) -> Total:
        """A standard set above applies below: a township's 低保标准 is its county's, unless it reports its own."""
        parent = self.regions[code].parent
        while parent is not None:
            if (fact := self.reported(parent, period, fid)) is not None:
                return Total(fact.value, fact.cell)
            parent = self.regions[parent].parent
        return Total(None)
