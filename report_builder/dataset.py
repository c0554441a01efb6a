"""The validated data of one data folder: every reported figure with the cell it came from.

`Dataset` is plain data (codes, periods, Decimals, locations), so it pickles across a process pool. Figures
for a region without its own row are rolled up from its children by field kind, in one place (`total`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from report_builder.fields import FieldRegistry, Kind
from report_builder.indicators.definitions import IndicatorDef
from report_builder.issues import Issue, Location
from report_builder.periods import Period
from report_builder.regions import RegionTree


class Fact(NamedTuple):
    value: Decimal | None
    cell: Location


@dataclass(frozen=True)
class Dataset:
    fields: FieldRegistry
    regions: RegionTree
    facts: Mapping[tuple[str, Period], Mapping[str, Fact]]
    indicators: Mapping[str, IndicatorDef]
    warnings: tuple[Issue, ...] = ()
    rounding: str = "half_up"

    def periods(self) -> list[Period]:
        return sorted({period for _, period in self.facts})

    def reported(self, code: str, period: Period, fid: str) -> Fact | None:
        return self.facts.get((code, period), {}).get(fid)

    def covers(self, code: str, period: Period) -> bool:
        """Whether the data have any row for the region, or a region under it, in the period."""
        return any((c, period) in self.facts for c in (code, *self.regions.descendants(code)))

    def total(self, code: str, period: Period, fid: str) -> Decimal | None:
        """The region's own figure if it reported one, else its children's figures combined by kind.

        Stock and flow fields sum when every child has a figure (a partial sum would understate the
        total); a parameter is taken from the children only when they all agree. None means "not known".
        """
        own = self.reported(code, period, fid)
        if own is not None:
            return own.value
        children = self.regions.children_of(code)
        if not children:
            return None
        values = [self.total(child, period, fid) for child in children]
        if any(v is None for v in values):
            return None
        if self.fields.fields[fid].kind is Kind.PARAMETER:
            return values[0] if len(set(values)) == 1 else None
        return sum(values, Decimal(0))
