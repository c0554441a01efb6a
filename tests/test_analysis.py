"""The analysts' API: the indicators, fields and changes the command line gives, as DataFrames of exact values."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import pytest

from report_builder.analysis import Folder
from tests.conftest import ROOT, SAMPLE

ROSTERS = ROOT / "sample_rosters"


@pytest.fixture(scope="module")
def sample() -> Folder:
    return Folder.load(SAMPLE)


@pytest.fixture(scope="module")
def rosters() -> Folder:
    return Folder.load(ROSTERS)


def _json(cli: Callable[..., object], *args: object) -> list[dict[str, str]]:
    result = cli(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.output  # type: ignore[attr-defined]
    return json.loads(result.output)  # type: ignore[attr-defined]


def test_indicators_are_exact_and_those_of_the_command_line(
    sample: Folder, cli: Callable[..., object]
) -> None:
    frame = sample.indicators()
    assert frame["value"].dtype == object and frame["numerator"].dtype == object
    known = frame.dropna(subset=["value"])
    assert all(isinstance(v, Decimal) for v in known["value"])
    assert set(frame["period"]) == set(sample.periods) and len(sample.periods) > 4
    by_key = {(r.region_code, r.period, r.indicator): r for r in frame.itertuples()}
    assert len(by_key) == len(frame)
    compared = 0
    for period in ("2020Q3", "2019Q4"):
        for row in _json(cli, "indicators", "--data", SAMPLE, "--period", period, "--level", "all"):
            mine = by_key[(row["region_code"], period, row["indicator"])]
            decimals = sample.inputs.indicators[row["indicator"]].decimals
            shown = (
                ""
                if mine.value is None
                else f"{mine.value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP):f}"
            )
            assert shown == row["value"], row
            for part in ("numerator", "denominator"):
                exact = getattr(mine, part)
                assert ("" if exact is None else f"{exact:f}") == row[part], row
            compared += 1
        fields = {(r.region_code, r.field): r.value for r in sample.fields([period]).itertuples()}
        for row in _json(cli, "check", "--data", SAMPLE, "--period", period):  # exact_value: not rounded
            key = (row["region_code"], period, row["indicator"])
            value = by_key[key].value if key in by_key else fields.get((row["region_code"], row["indicator"]))
            assert ("" if value is None else f"{value:f}") == row["exact_value"]
            compared += 1
    assert compared > 300


def test_fields_are_the_facts_reported_and_summed_up(sample: Folder) -> None:
    frame = sample.fields(["2020Q3"])
    assert frame["value"].dtype == object
    with (SAMPLE / "人口与低保.csv").open(encoding="utf-8-sig", newline="") as handle:
        table = [r for r in csv.DictReader(handle) if r["统计期"] == "2020Q3"]
    assert table
    persons = frame[frame["field"] == "dibao_rural_persons"].set_index("region_code")
    for row in table:
        assert persons.loc[row["区划代码"], "value"] == Decimal(row["农村低保人数"])
        assert persons.loc[row["区划代码"], "reported"]
        assert persons.loc[row["区划代码"], "sources"].startswith("人口与低保.csv:行")
    towns = [row["区划代码"] for row in table if row["区划代码"] != "990123"]
    county = persons.loc["990123", "value"]
    assert county == sum((persons.loc[c, "value"] for c in towns), Decimal(0))
    assert not persons.loc["990100", "reported"]  # the city has no row: summed from its county


def test_what_cannot_be_computed_is_missing_with_its_reason(rosters: Folder) -> None:
    frame = rosters.indicators(["2020Q3"])  # the rosters alone: no population, so no coverage
    missing = frame[frame["value"].isna()]
    assert set(missing["indicator"]) >= {"dibao_rural_coverage"} and (missing["reason"] != "").all()
    assert missing["value"].map(lambda v: v is None).all()
    assert frame["value"].dtype == object


def test_fields_include_what_the_rosters_count(rosters: Folder) -> None:
    frame = rosters.fields(["2020Q3"])
    tekun = frame[frame["field"] == "tekun_persons"].set_index("region_code")
    with (ROSTERS / "特困花名册.csv").open(encoding="utf-8", newline="") as handle:
        listed = Counter(
            r["区划代码"] for r in csv.DictReader(handle) if r["统计期"] == "2020Q3" and not r["退出原因"]
        )
    assert len(listed) == 12
    for code, n in listed.items():
        assert tekun.loc[code, "value"] == n
        assert tekun.loc[code, "sources"] == "特困花名册.csv:特困人员数（名册汇总）"
    assert tekun.loc["990123", "value"] == sum(listed.values())


def test_changes_are_those_of_the_command_line(rosters: Folder, cli: Callable[..., object]) -> None:
    frame = rosters.changes("2020Q2", "2020Q3")
    assert str(frame["persons_added"].dtype) == "int64"
    result = cli("changes", "--data", ROSTERS, "--from", "2020Q2", "--to", "2020Q3", "--format", "csv")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    expected = list(csv.DictReader(result.output.splitlines()))  # type: ignore[attr-defined]
    assert len(frame) == len(expected) == 24
    for mine, row in zip(frame.itertuples(), expected, strict=True):
        for column in ("region_code", "region_name", "category"):
            assert getattr(mine, column) == row[column]
        for column in ("households_added", "persons_added", "households_exited", "persons_exited"):
            assert getattr(mine, column) == int(row[column])
        assert "；".join(f"{r}{n}人" for r, n in mine.exit_reasons.items()) == row["exit_reasons"]
    with pytest.raises(ValueError, match="2020Q1"):
        rosters.changes("2020Q1", "2020Q3")
