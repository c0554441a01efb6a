"""Properties: how a county is split into townships never changes its figures, and what is shown is the exact
value rounded half-up (checked against integer arithmetic on fractions, not against Decimal.quantize)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from report_builder.dataset import Dataset, Fact
from report_builder.fields import FieldRegistry
from report_builder.indicators.compute import Calculator
from report_builder.issues import Location, collect
from report_builder.load.indicator_file import default_text, read_indicators
from report_builder.numbers import fmt_fixed
from report_builder.periods import Period
from report_builder.regions import Level, Region, RegionTree

REGISTRY = FieldRegistry.default()
INDICATORS = collect(read_indicators(default_text(), "defaults.toml", REGISTRY), [])
PERIOD = Period.parse("2020Q3")
COUNTY = "990123"
FIELDS = ("population_rural", "dibao_rural_households", "dibao_rural_persons", "beds_elderly", "beds_nursing",
          "population_elderly", "tekun_persons", "tekun_concentrated")  # fmt: skip


def dataset(rows: dict[str, dict[str, int]]) -> Dataset:
    towns = [code for code in rows if code != COUNTY]
    regions = [Region(COUNTY, "县", None, Level.县, 1)] + [
        Region(code, f"乡{i}", COUNTY, Level.乡, i + 2) for i, code in enumerate(towns)
    ]
    facts = {
        (code, PERIOD): {f: Fact(Decimal(v), Location("t.csv", row=1)) for f, v in values.items()}
        for code, values in rows.items()
    }
    return Dataset(REGISTRY, RegionTree.build(regions), MappingProxyType(facts))


township = st.fixed_dictionaries({f: st.integers(0, 100_000) for f in FIELDS})


@settings(max_examples=60, deadline=None)
@given(st.lists(township, min_size=1, max_size=15))
def test_any_split_gives_the_same_county_figures(towns):
    split = dataset({f"990123{100 + i:03d}000": values for i, values in enumerate(towns)})
    whole = dataset({COUNTY: {f: sum(t[f] for t in towns) for f in FIELDS}})
    by_parts, at_once = Calculator(split), Calculator(whole)
    for ind in INDICATORS.values():
        if set(ind.fields) <= set(FIELDS):
            a, b = by_parts.indicator(ind, COUNTY, PERIOD), at_once.indicator(ind, COUNTY, PERIOD)
            assert (a.value, a.numerator, a.denominator) == (b.value, b.numerator, b.denominator)


def half_up(x: Fraction, decimals: int) -> str:
    """Round half away from zero with integers only, and print with the given decimals."""
    scaled = abs(x) * 10**decimals
    n = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    sign = "-" if x < 0 and n else ""
    digits = str(n).rjust(decimals + 1, "0")
    return sign + (digits[:-decimals] + "." + digits[-decimals:] if decimals else digits)


@settings(max_examples=300, deadline=None)
@given(st.integers(-(10**9), 10**9), st.integers(1, 10**6), st.integers(0, 4))
def test_shown_value_is_the_exact_value_rounded_half_up(numerator, denominator, decimals):
    # a quotient of integers this small is never within Decimal's 28-digit error of a rounding boundary
    # unless it lies exactly on one, and then the division is exact: the shown value must match the fraction
    value = Decimal(numerator) / Decimal(denominator)
    assert fmt_fixed(value, decimals) == half_up(Fraction(numerator, denominator), decimals)
