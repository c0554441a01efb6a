"""The target check: comparators, exact values behind rounding, task targets, scopes, and the CLI contract."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from report_builder.issues import BadInput
from report_builder.load import load_inputs
from report_builder.periods import Period
from report_builder.targets.check import Status, check_targets
from tests.conftest import SAMPLE, csv_text

TARGET_HEADER = "指标,比较,目标值,区划代码,期间,依据"
TOWN_A, TOWN_B = "990123101000", "990123102000"


def beds_folder(data_dir, targets: str, a: str = "10000,450", b: str = "10000,500"):
    header = "区划代码,统计期,60周岁及以上老年人口,养老床位数"
    rows = [f"{TOWN_A},2020Q3,{a}", f"{TOWN_B},2020Q3,{b}"]
    return data_dir(
        {"d.csv": csv_text(*rows, header=header), "targets.csv": csv_text(targets, header=TARGET_HEADER)}
    )


def run_check(folder, period="2020Q3"):
    inputs = load_inputs(folder)  # targets.csv is read and checked with the folder
    return {r.region: r for r in check_targets(inputs.dataset, inputs.targets, Period.parse(period))}


@pytest.mark.parametrize(
    ("comparator", "threshold", "met_a", "met_b"),  # town A has 45.0, town B 50.0 beds per 1000
    [
        (">=", "45", True, True), ("≥", "46", False, True), ("不低于", "45", True, True),
        ("不少于", "50.1", False, False), ("达到", "50", False, True),
        ("<=", "45", True, False), ("≤", "44.9", False, False), ("不高于", "50", True, True),
        ("=", "45", True, False), (">", "45", False, True), ("<", "50", True, False),
    ],
)  # fmt: skip
def test_every_comparator(data_dir, comparator, threshold, met_a, met_b):
    results = run_check(
        beds_folder(
            data_dir, f"每千名老年人拥有养老床位数,{comparator},{threshold},990123*,2020,市民政局下达"
        )
    )
    assert (results[TOWN_A].status is Status.MET, results[TOWN_B].status is Status.MET) == (met_a, met_b)


def test_rounding_cannot_make_a_miss_look_met(data_dir):
    results = run_check(
        beds_folder(
            data_dir, "beds_per_1000_elderly,>=,45,990123101000,2020,", a="10000,449.6".replace(".6", "")
        )
    )
    assert results[TOWN_A].status is Status.MISSED  # 44.9 plainly missed
    folder = beds_folder(data_dir, "beds_per_1000_elderly,>=,45,990123101000,2020,", a="100000,4496")
    result = run_check(folder)[TOWN_A]
    assert result.status is Status.MISSED  # 44.96 shows as 45.0
    assert "精确值44.960张，显示为45.0张" in result.note
    assert str(result.gap) == "-0.04"


def test_gap_is_in_points_for_rates(data_dir, cli):
    header = "区划代码,统计期,养老床位数,护理型床位数"
    folder = data_dir(
        {
            "d.csv": csv_text(f"{TOWN_A},2020Q3,100,33", f"{TOWN_B},2020Q3,100,40", header=header),
            "targets.csv": csv_text("护理型床位占比,>=,35,*,2020,", header=TARGET_HEADER),
        }
    )
    result = cli("check", "--data", folder, "--period", "2020Q3", "--format", "json")
    assert result.exit_code == 1
    rows = {r["region_code"]: r for r in json.loads(result.stdout)}
    assert rows[TOWN_A]["gap"] == "-2.0个百分点"
    assert rows[TOWN_A]["status"] == "未达标"
    assert rows["990123"]["value"] == "36.5"  # 73 / 200
    assert rows["990123"]["status"] == "达标"


def test_task_target_has_a_completion_rate(data_dir):
    header = "区划代码,统计期,乡镇级养老服务中心数"
    folder = data_dir(
        {
            "d.csv": csv_text(f"{TOWN_A},2020Q3,2", f"{TOWN_B},2020Q3,1", header=header),
            "targets.csv": csv_text(
                "乡镇级养老服务中心数,>=,4,990123,2020,县政府工作报告", header=TARGET_HEADER
            ),
        }
    )
    result = run_check(folder)["990123"]
    assert (result.value, result.status, result.completion) == (3, Status.MISSED, 75)


def test_most_specific_target_wins_and_years_cover_their_quarters(data_dir):
    targets = "\n".join([
        "beds_per_1000_elderly,>=,40,*,2020,全年", "beds_per_1000_elderly,>=,48,990123102000,2020Q3,三季度",
        "beds_per_1000_elderly,>=,99,*,2019,上年",
    ])  # fmt: skip
    results = run_check(beds_folder(data_dir, targets))
    assert results[TOWN_A].target.basis == "全年"
    assert results[TOWN_B].target.basis == "三季度"
    assert all(results[code].status is Status.MET for code in (TOWN_A, TOWN_B, "990123"))
    # the city also has 邻县, which reported nothing: no partial sum pretends to be the city's figure
    assert results["990100"].status is Status.UNKNOWN
    assert "990124" not in results  # a wildcard skips regions the data do not cover at all


def test_missing_value_is_not_met(data_dir):
    results = run_check(beds_folder(data_dir, "nursing_bed_share,>=,35,990123,2020,"))
    assert results["990123"].status is Status.UNKNOWN


def test_bad_targets_file_exits_2_with_locations(data_dir, cli):
    folder = beds_folder(data_dir, "床位数,大约,四十五,990199,2020年五季度,")
    result = cli("check", "--data", folder, "--period", "2020Q3")
    assert result.exit_code == 2
    for where in ("targets.csv:行2:指标", "targets.csv:行2:比较", "targets.csv:行2:目标值", "targets.csv:行2:区划代码",
                  "targets.csv:行2:期间"):  # fmt: skip
        assert where in result.output
    assert "Traceback" not in result.output


def test_check_exit_codes_on_the_sample(cli, tmp_path):
    assert cli("check", "--data", SAMPLE, "--period", "2020Q4").exit_code == 1  # some townships miss
    met_only = tmp_path / "targets.csv"
    met_only.write_text(
        csv_text("beds_per_1000_elderly,>=,45,990123,2020,", header=TARGET_HEADER), encoding="utf-8"
    )
    result = cli("check", "--data", SAMPLE, "--targets", met_only, "--period", "2020Q4")
    assert result.exit_code == 0, result.output
    assert cli("check", "--data", SAMPLE, "--period", "2020Q9").exit_code == 2


def test_check_xlsx_highlights_misses(cli, tmp_path):
    out = tmp_path / "check.xlsx"
    result = cli("check", "--data", SAMPLE, "--period", "2020Q4", "--format", "xlsx", "--out", out)
    assert result.exit_code == 1
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    status = header.index("status")
    rows = list(ws.iter_rows(min_row=2))
    missed = [r for r in rows if r[status].value == "未达标"]
    assert missed and all(r[0].fill.fgColor.rgb.endswith("FFC7CE") for r in missed)
    assert all(r[0].fill.fill_type is None for r in rows if r[status].value == "达标")


def test_indicators_csv_contract(cli):
    result = cli("indicators", "--data", SAMPLE, "--period", "2020Q3", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["region_code", "region_name", "level", "period", "indicator", "name", "value", "unit",
                             "numerator", "denominator"]  # fmt: skip
    county = {r["indicator"]: r for r in rows if r["region_code"] == "990123"}
    assert county["beds_per_1000_elderly"]["value"] == "46.9"
    assert county["dibao_rural_coverage"]["level"] == "县"
    assert {r["level"] for r in rows} == {"市", "县", "乡"}


def test_indicators_level_region_and_formats(cli, tmp_path):
    result = cli(
        "indicators", "--data", SAMPLE, "--period", "2020Q3", "--level", "township", "--format", "json"
    )
    rows = json.loads(result.stdout)
    assert len({r["region_code"] for r in rows}) == 12
    assert {"yoy", "mom", "reason", "basis"} <= set(rows[0])
    out = tmp_path / "ind.xlsx"
    assert cli("indicators", "--data", SAMPLE, "--period", "2020Q3", "--region", "990123101000", "--format", "xlsx",
               "--out", out).exit_code == 0  # fmt: skip
    ws = openpyxl.load_workbook(out).active
    assert ws.max_row == 1 + len(load_inputs(SAMPLE).indicators)
    text = cli("indicators", "--data", SAMPLE, "--period", "2020Q3", "--region", "990123")
    assert "每千名老年人拥有养老床位数" in text.stdout and "46.9" in text.stdout
    assert cli("indicators", "--data", SAMPLE, "--period", "2020Q3", "--region", "1").exit_code == 2


def test_bad_data_stops_check_with_exit_2(data_dir, cli):
    folder = data_dir({"d.csv": csv_text(f"{TOWN_A},2020Q3,abc", header="区划代码,统计期,养老床位数")})
    with pytest.raises(BadInput):
        load_inputs(folder)
    result = cli("check", "--data", folder, "--period", "2020Q3")
    assert result.exit_code == 2
    assert "d.csv:行2:养老床位数" in result.output
