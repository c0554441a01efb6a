"""Rosters (花名册): recognised by their 身份证号 column, counted into the fact tables' fields, checked row by row
with the ID masked, and never printed in full."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from report_builder.issues import BadInput, IssueCode
from report_builder.load import load_inputs
from report_builder.load.roster_db import RosterTable
from report_builder.load.rosters import check_digit
from report_builder.periods import Period
from tests.conftest import REGIONS, SAMPLE, write_xlsx

_spec = importlib.util.spec_from_file_location("synthetic_rosters", SAMPLE / "synthetic_rosters.py")
assert _spec is not None and _spec.loader is not None
synthetic = importlib.util.module_from_spec(_spec)
sys.modules["synthetic_rosters"] = synthetic
_spec.loader.exec_module(synthetic)

TOWN_A, TOWN_B = "990123101000", "990123102000"
C = synthetic.Counts
COUNTS = {
    TOWN_A: [("2020Q2", C(5, 11, 4, 2, 2, 1)), ("2020Q3", C(6, 13, 4, 3, 2, 1))],
    TOWN_B: [("2020Q2", C(3, 7, 2, 1, 1, 0)), ("2020Q3", C(3, 6, 3, 1, 1, 0))],
}
POPULATION = "区划代码,统计期,农村户籍人口\n" + "".join(
    f"{town},{period},{pop}\n"
    for town, pop in ((TOWN_A, 400), (TOWN_B, 300))
    for period in ("2020Q2", "2020Q3")
)
FACT_HEADER = "区划代码,统计期,农村低保户数,农村低保人数,特困人员数,集中供养特困人员数,生活不能自理特困人员数,生活不能自理特困人员集中供养数"
FACTS = "\n".join(
    [FACT_HEADER]
    + [
        f"{town},{period},{c.dibao_households},{c.dibao_persons},{c.tekun_persons},{c.tekun_concentrated},"
        f"{c.tekun_dependent},{c.tekun_dependent_concentrated}"
        for town, periods in COUNTS.items()
        for period, c in periods
    ]
)
ID_RUN = re.compile(r"(?<![\d*])\d{15}(\d{2}[\dX])?(?![\d*])")


def rows() -> list[tuple[object, ...]]:
    return list(synthetic.roster_rows(COUNTS, seed=7))


def write_csv(path: Path, header: tuple[str, ...], body: list[tuple[object, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(body)


def indicators_csv(cli: Callable[..., object], folder: Path) -> str:
    result = cli("indicators", "--data", folder, "--period", "2020Q3", "--format", "csv", "--level", "all")
    assert result.exit_code == 0, result.output
    return result.output


def test_generated_ids_are_valid_and_never_outside_province_99() -> None:
    numbers = [r[0] for r in rows()]
    assert len(numbers) > 40
    assert all(n.startswith("99") and len(n) == 18 for n in numbers)
    assert synthetic.id_number("990123", dt.date(1950, 1, 2), 7) == "990123195001020073"
    assert check_digit("11010519491231002") == "X"  # the standard's own example, 11010519491231002X
    with pytest.raises(ValueError, match="99xxxx"):
        synthetic.id_number("110105", dt.date(1950, 1, 2), 7)


def test_roster_only_data_give_the_same_indicators_as_fact_tables(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "regions.csv").write_text(REGIONS, encoding="utf-8")
    (facts / "人口.csv").write_text(POPULATION, encoding="utf-8")
    (facts / "低保特困.csv").write_text(FACTS, encoding="utf-8")
    expected = indicators_csv(cli, facts)
    assert "990123,示例县,县,2020Q3,dibao_rural_coverage,农村低保覆盖率,2.71,%,19,700" in expected
    assert "990123,示例县,县,2020Q3,tekun_concentrated_rate,特困人员集中供养率,57.1,%,4,7" in expected

    category = synthetic.HEADER.index("保障类别")
    for kind in ("csv", "xlsx", "parquet"):
        folder = tmp_path / kind
        (folder / "名册").mkdir(parents=True)
        (folder / "regions.csv").write_text(REGIONS, encoding="utf-8")
        (folder / "人口.csv").write_text(POPULATION, encoding="utf-8")
        dibao = [r for r in rows() if r[category] == "农村低保"]
        tekun = [r for r in rows() if r[category] == "特困"]
        if kind == "csv":
            write_csv(folder / "名册" / "低保.csv", synthetic.HEADER, dibao)
            write_csv(folder / "名册" / "特困.csv", synthetic.HEADER, tekun)
        elif kind == "xlsx":
            write_xlsx(
                folder / "名册" / "花名册.xlsx", [["某县花名册"], list(synthetic.HEADER), *map(list, rows())]
            )
        else:
            write_csv(tmp_path / "all.csv", synthetic.HEADER, rows())
            target = (folder / "名册" / "花名册.parquet").as_posix()
            duckdb.sql(
                f"COPY (SELECT * FROM read_csv('{tmp_path / 'all.csv'}', all_varchar=true)) TO '{target}'"
            )
        inputs = load_inputs(folder)
        table = RosterTable(inputs.rosters, inputs.dataset.regions)
        assert len(table.people(Period.parse(p) for p in ("2020Q2", "2020Q3"))) == len(rows())
        assert inputs.dataset.total("990123", Period.parse("2020Q3"), "dibao_rural_households") == 9
        assert indicators_csv(cli, folder) == expected, kind


def test_a_roster_that_disagrees_with_a_fact_table_names_both(data_dir: Callable[..., Path]) -> None:
    wrong = FACTS.replace(f"{TOWN_B},2020Q3,3,6,", f"{TOWN_B},2020Q3,3,8,")
    category = synthetic.HEADER.index("保障类别")
    folder = data_dir({"低保特困.csv": wrong})
    write_csv(folder / "低保名册.csv", synthetic.HEADER, [r for r in rows() if r[category] == "农村低保"])
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    (issue,) = caught.value.report.errors
    assert issue.code is IssueCode.ROSTER_MISMATCH
    assert str(issue) == (
        "错误 低保特困.csv:行5:农村低保人数：青山镇 2020Q3 的农村低保人数上报数为8，而花名册 低保名册.csv 汇总为6"
    )


def _person(n: int, born: str = "19500101") -> str:
    return synthetic.id_number("990123", dt.date(int(born[:4]), int(born[4:6]), int(born[6:])), n)


A, B, P, Q, R = (_person(n) for n in (1, 2, 3, 4, 5))
BAD_CHECK = A[:17] + ("0" if A[17] != "0" else "1")
LEGACY = "990123500101006"  # 15 digits: 1950-01-01, sequence 006
FEB_30 = "99012319900230001"
FEB_30 += "10X98765432"[sum(int(d) * w for d, w in zip(FEB_30, synthetic._WEIGHTS, strict=True)) % 11]
CRAFTED = [
    ["姓名", "身份证号", "户编号", "区划代码", "统计期", "保障类别", "供养方式", "自理能力"],
    ["张三明", A, "H1", TOWN_A, "2020Q3", "农村低保", None, None],
    ["张三明", A, "H1", TOWN_A, "2020Q3", "农村低保", None, None],
    ["李四", BAD_CHECK, "H2", TOWN_A, "2020Q3", "农村低保", None, None],
    ["王五", LEGACY, "H3", TOWN_A, "2020Q3", "农村低保", None, None],
    ["赵六", FEB_30, "H4", TOWN_A, "2020Q3", "农村低保", None, None],
    ["孙七", P, "H5", TOWN_A, "2020Q3", "农村低保", None, None],
    ["孙七", P, "T1", TOWN_B, "2020Q3", "特困", "集中", "全护理"],
    ["周八", Q, "H6", TOWN_A, "2020Q3", "农村低保", None, None],
    ["吴九", R, "H6", TOWN_B, "2020Q3", "农村低保", None, None],
    ["郑十", B, "H7", TOWN_A, "2020Q3", "低保", None, None],
]


def test_every_check_is_located_with_the_id_masked(data_dir: Callable[..., Path]) -> None:
    folder = data_dir()
    write_xlsx(folder / "低保名册.xlsx", CRAFTED, sheet="Sheet1")
    with pytest.raises(BadInput) as caught:
        load_inputs(folder)
    found = [(i.code, str(i)) for i in caught.value.report.issues]
    masked = {n: n[:6] + "********" + n[-4:] for n in (A, B, P, Q, R, BAD_CHECK, FEB_30)}
    assert found == [
        (IssueCode.ROSTER_CHECK_DIGIT,
         f"错误 低保名册.xlsx!Sheet1!B4（身份证号）：身份证号 {masked[BAD_CHECK]} 的校验码不符合 GB 11643，请核对号码"),
        (IssueCode.ROSTER_LEGACY_ID,
         "警告 低保名册.xlsx!Sheet1!B5（身份证号）：15位旧身份证号 990123******006，已按 GB 11643 换算为18位 "
         f"990123********006{synthetic.id_number('990123', dt.date(1950, 1, 1), 6)[-1]}"),
        (IssueCode.ROSTER_BIRTH_DATE,
         f"错误 低保名册.xlsx!Sheet1!B6（身份证号）：身份证号 {masked[FEB_30]} 中的出生日期不可能：日期不存在"),
        (IssueCode.ROSTER_BAD_VALUE,
         "错误 低保名册.xlsx!Sheet1!F11（保障类别）：保障类别应为 城市低保、农村低保、特困 之一，实际为“低保”"),
        (IssueCode.ROSTER_DUPLICATE,
         f"错误 低保名册.xlsx!Sheet1!B3（身份证号）：张*明（{masked[A]}） 在 2020Q3 重复登记，另见 "
         "低保名册.xlsx!Sheet1!B2（身份证号）"),
        (IssueCode.ROSTER_DIBAO_AND_TEKUN,
         f"错误 低保名册.xlsx!Sheet1!B8（身份证号）：孙*（{masked[P]}） 在 2020Q3 同时列入特困和农村低保（另见 "
         "低保名册.xlsx!Sheet1!B7（身份证号）），按规定特困人员不再同时享受低保"),
        (IssueCode.ROSTER_TWO_TOWNSHIPS,
         f"错误 低保名册.xlsx!Sheet1!B8（身份证号）：孙*（{masked[P]}） 在 2020Q3 同时登记在青山镇和城关镇（另见 "
         "低保名册.xlsx!Sheet1!B7（身份证号））"),
        (IssueCode.ROSTER_HOUSEHOLD_SPLIT,
         "错误 低保名册.xlsx!Sheet1!B10（身份证号）：户 H6 在 2020Q3 的成员分在青山镇和城关镇（另见 "
         "低保名册.xlsx!Sheet1!B9（身份证号）），同一户应在同一乡镇"),
    ]  # fmt: skip


def test_a_roster_error_fails_only_its_region_in_a_batch(data_dir: Callable[..., Path]) -> None:
    folder = data_dir()
    write_xlsx(folder / "低保名册.xlsx", CRAFTED[:3], sheet="Sheet1")
    inputs = load_inputs(folder, by_region=True)
    assert [i.code for i in inputs.errors_for(TOWN_A)] == [IssueCode.ROSTER_DUPLICATE]
    assert inputs.errors_for("990124") == ()


def test_no_full_id_or_name_in_any_message_or_output(
    data_dir: Callable[..., Path], tmp_path: Path, cli: Callable[..., object]
) -> None:
    folder = data_dir()
    write_xlsx(folder / "低保名册.xlsx", CRAFTED, sheet="Sheet1")
    result = cli("validate", "--data", folder)
    assert result.exit_code == 2
    assert "低保名册.xlsx!Sheet1!B4" in result.output
    texts = [result.output]
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "regions.csv").write_text(REGIONS, encoding="utf-8")
    (clean / "人口.csv").write_text(POPULATION, encoding="utf-8")
    write_csv(clean / "名册.csv", synthetic.HEADER, rows())
    for fmt in ("csv", "json", "xlsx"):
        out = tmp_path / f"indicators.{fmt}"
        result = cli("indicators", "--data", clean, "--period", "2020Q3", "--format", fmt, "--out", out)
        assert result.exit_code == 0, result.output
        texts.append(result.output)
        data = out.read_bytes()
        texts.append(
            "".join(zipfile.ZipFile(out).read(n).decode() for n in zipfile.ZipFile(out).namelist())
            if fmt == "xlsx"
            else data.decode()
        )
    joined = "\n".join(texts)
    assert "990123" in joined  # the outputs were read, and region codes stay whole
    assert ID_RUN.search(joined) is None
    names = {str(r[1]) for r in CRAFTED[1:]} | {str(r[1]) for r in rows()}
    assert [n for n in names if len(n) > 1 and n in joined] == []


def test_changes_against_hand_counts(data_dir: Callable[..., Path], cli: Callable[..., object]) -> None:
    a, b, c, d, e = (_person(n, "19600101") for n in (11, 12, 13, 14, 15))
    header = ("身份证号", "姓名", "户编号", "区划代码", "统计期", "保障类别", "退出原因")
    folder = data_dir()
    write_csv(
        folder / "低保名册.csv",
        header,
        [
            (a, "甲", "H1", TOWN_A, "2020Q2", "农村低保", ""),
            (b, "乙", "H1", TOWN_A, "2020Q2", "农村低保", ""),
            (c, "丙", "H2", TOWN_A, "2020Q2", "农村低保", ""),
            (a, "甲", "H1", TOWN_A, "2020Q3", "农村低保", ""),
            (d, "丁", "H1", TOWN_A, "2020Q3", "农村低保", ""),
            (e, "戊", "H3", TOWN_A, "2020Q3", "农村低保", ""),
            (c, "丙", "H2", TOWN_A, "2020Q3", "农村低保", "收入超标"),
        ],
    )
    result = cli("changes", "--data", folder, "--from", "2020Q2", "--to", "2020Q3", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "region_code,region_name,category,households_added,persons_added,households_exited,persons_exited,exit_reasons",
        "990123101000,城关镇,农村低保,1,2,1,2,收入超标1人；未注明1人",
    ]
    result = cli("changes", "--data", folder, "--from", "2020Q1", "--to", "2020Q3")
    assert result.exit_code == 2
    assert "花名册中没有 2020Q1 的人员" in result.output


def test_the_sample_rosters_match_the_sample_tables(tmp_path: Path, cli: Callable[..., object]) -> None:
    """sample_rosters/ holds the invented people behind sample_data/'s 低保 and 特困 counts: loaded together,
    every count agrees (else a located error and exit 2); loaded alone, they give the tables' 特困 rates."""
    rosters = SAMPLE.parent / "sample_rosters"
    both = tmp_path / "both"
    shutil.copytree(SAMPLE, both, ignore=shutil.ignore_patterns("*.py", "README.md"))
    for path in rosters.glob("*花名册.csv"):
        shutil.copy(path, both / path.name)
    result = cli("validate", "--data", both)
    assert result.exit_code == 0, result.output

    def rates(folder: Path) -> list[str]:
        out = cli("indicators", "--data", folder, "--period", "2020Q3", "--format", "csv")
        assert out.exit_code == 0, out.output
        return [line for line in out.output.splitlines() if ",tekun_" in line]

    from_rosters = rates(rosters)
    assert len(from_rosters) == 3 * 14  # two rates and 分散供养, for the city, the county and 12 townships
    assert from_rosters == rates(SAMPLE)
