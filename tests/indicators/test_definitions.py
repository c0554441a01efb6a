"""Indicator definitions are data: checked at load, overridable by a data folder, and round-tripping."""

from __future__ import annotations

import pytest

from report_builder.fields import FieldRegistry
from report_builder.issues import BadInput, IssueCode, collect
from report_builder.load import load_inputs
from report_builder.load.indicator_file import default_text, dump_indicators, read_indicators
from tests.conftest import GOOD_ROWS, csv_text

REGISTRY = FieldRegistry.default()


def read(text: str):
    issues: list = []
    defs = collect(read_indicators(text, "indicators.toml", REGISTRY), issues)
    return issues, defs


def test_defaults_are_valid_and_complete():
    issues, defs = read(default_text())
    assert issues == []
    assert {"dibao_rural_coverage", "beds_per_1000_elderly", "nursing_bed_share", "tekun_concentrated_rate",
            "tekun_dependent_concentrated_rate", "poverty_incidence", "dibao_persons_per_household",
            "tekun_scattered", "relief_temporary_per_case"} <= set(defs)  # fmt: skip
    assert defs["tekun_scattered"].denominator == ()
    assert [t.sign for t in defs["tekun_scattered"].numerator] == [1, -1]


def test_dump_then_read_gives_the_same_definitions():
    _, defs = read(default_text())
    issues, again = read(dump_indicators(defs))
    assert issues == []
    assert again == defs


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        (
            'name = "x"\nnumerator = "no_such_field"\ndenominator = "population_rural"\nscale = 100\nunit = "%"',
            "“no_such_field”不是已知的字段",
        ),
        (
            'name = "x"\nnumerator = "dibao_rural_households"\ndenominator = "population_rural"\nscale = 100\nunit = "%"',
            "比重要求分子分母单位相同，而分子为“户”、分母为“人”",
        ),
        (
            'name = "x"\nnumerator = "beds_elderly"\ndenominator = "population_elderly"\nscale = 1000\nunit = "人"',
            "单位“人”与分子的单位“张”不符",
        ),
        ('name = "x"\nnumerator = "beds_elderly + population_elderly"\nunit = "张"', "分子各项单位不同"),
        ('name = "x"\nnumerator = "beds_elderly"\nunit = "张"\ndecimals = 9', "decimals 应为 0 到 6 的整数"),
        ('name = "x"\nnumerator = "beds_elderly"\nunit = "张"\nbetter = "up"', "better 应为"),
        ('name = "x"\nnumerator = "beds_elderly"\nunit = "张"\nscale = -1', "scale 应为正数"),
    ],
)
def test_bad_definitions_are_refused(spec, why):
    issues, defs = read(f"[bad]\n{spec}\n")
    assert "bad" not in defs
    assert [str(i.location) for i in issues][:1] == ["indicators.toml:[bad]"]
    assert any(why in i.message for i in issues), [i.message for i in issues]


def test_chinese_headers_as_terms():
    issues, defs = read(
        '[x]\nname = "低保户均人数"\nnumerator = "农村低保人数"\ndenominator = "农村低保户数"\nunit = "人"\n'
    )
    assert issues == []
    assert defs["x"].fields == ("dibao_rural_persons", "dibao_rural_households")


def test_data_folder_adds_and_overrides(data_dir):
    folder = data_dir(
        {
            "d.csv": csv_text(*GOOD_ROWS),
            "indicators.toml": '[dibao_rural_coverage]\nname = "农村低保覆盖率"\nnumerator = "dibao_rural_persons"\n'
            'denominator = "population_rural"\nscale = 1000\nunit = "‰"\ndecimals = 1\n',
        }
    )
    data = load_inputs(folder)
    assert data.indicators["dibao_rural_coverage"].unit == "‰"
    (folder / "indicators.toml").write_text(
        '[bad]\nname = "x"\nnumerator = "nope"\nunit = "人"\n', encoding="utf-8"
    )
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    assert [(str(i.location), i.code) for i in caught.value.report.errors] == [
        ("indicators.toml:[bad]", IssueCode.BAD_DEFINITION)
    ]
