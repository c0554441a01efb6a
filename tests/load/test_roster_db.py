"""Rosters through DuckDB (load/roster_db.py) against the Python reference (read_roster, check_people,
roster_facts): on small random rosters in two files, the same facts and the same issues, in the same order."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_builder.fields import FieldRegistry
from report_builder.issues import BadInput, Issue, collect
from report_builder.load import load_inputs
from report_builder.load.readers import read_sheets
from report_builder.load.region_table import read_regions
from report_builder.load.roster_db import CACHE_DIR, RosterTable, Source, csv_source
from report_builder.load.rosters import check_digit, check_people, read_roster, roster_facts
from report_builder.periods import Period
from tests.conftest import REGIONS, write_xlsx

HEADERS = {fid: f.header for fid, f in FieldRegistry.default().fields.items()}
HEADER = ("身份证号", "姓名", "户编号", "区划代码", "统计期", "保障类别", "供养方式", "自理能力", "退出原因")


def _id(area: str, born: str, sequence: int, good: bool) -> str:
    first17 = f"{area}{born}{sequence:03d}"
    digit = check_digit(first17)
    return first17 + (digit if good else "0" if digit != "0" else "1")


ids = st.one_of(
    st.builds(
        _id,
        st.sampled_from(["990123", "990124"]),
        st.sampled_from(["19500101", "20200931", "20211231", "18800101", "19991231", "19000229", "20000229"]),
        st.integers(0, 3),
        st.booleans(),
    ),
    st.sampled_from(["", " ", "99012319500101001", "990123500101001", "99012319500101001x"]),
)
messy = st.tuples(
    ids,
    st.sampled_from(["张明", "", " 王 芳 "]),
    st.sampled_from(["H1", "H2", " H3", "", "H1\u3000", "H\u30001"]),
    st.sampled_from(["990123101000", "990123102000", "990123101001", "990999", " 990123101000 ", ""]),
    st.sampled_from(["2020Q3", "2020Q2", "2020Q9", " 2020Q3", "2020-09", "2020年三季度", ""]),
    st.sampled_from(["农村低保", "特困", "城市低保", "低保", " 特 困"]),
    st.sampled_from(["", "集中", "分散供养", "半集中"]),
    st.sampled_from(["", "全护理", "全自理", "不详"]),
    st.sampled_from(["", "", "收入超标", " ", "收入\u3000超标"]),
)
# Rows that pass every row check, so that the counts and the checks across rows (twice, two townships, a
# household split) meet often enough.
clean = st.tuples(
    st.builds(
        _id,
        st.sampled_from(["990123", "990124"]),
        st.sampled_from(["19500101", "20000229"]),
        st.integers(0, 3),
        st.just(True),
    ),
    st.sampled_from(["张明", "王芳"]),
    st.sampled_from(["H1", "H2", "H3"]),
    st.sampled_from(["990123101000", "990123102000", "990124101000"]),
    st.sampled_from(["2020Q3", "2020Q2"]),
    st.sampled_from(["农村低保", "特困", "城市低保"]),
    st.sampled_from(["", "集中", "分散"]),
    st.sampled_from(["", "全护理", "全自理"]),
    st.sampled_from(["", "", "", "收入超标"]),
)
rows = st.one_of(clean, messy)


def _csv(body: list[tuple[str, ...]], title: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if title:
        writer.writerow(["某镇花名册"])
    writer.writerow(HEADER)
    writer.writerows(body)
    return out.getvalue()


def _both(data: Path, files: dict[str, str]) -> tuple[object, object]:
    """The Python reference and the DuckDB path on the same folder: (issues, facts) each."""
    (data / "regions.csv").write_text(REGIONS, encoding="utf-8")
    regions = collect(read_regions(data), [])
    expected: list[Issue] = []
    rosters, sources = [], []
    for name, text in files.items():
        (data / name).write_text(text, encoding="utf-8")
        (sheet,) = read_sheets(data / name, name)
        rosters.append(collect(read_roster(sheet, {}, regions), expected))
        source = csv_source(data / name, name, {}, data, [])
        assert isinstance(source, Source)
        sources.append(source)
    expected.extend(check_people((p for r in rosters for p in r.people), regions))
    table = RosterTable(sources, regions)
    return ([str(i) for i in expected], roster_facts(rosters, HEADERS)), (
        [str(i) for i in table.issues],
        table.facts(HEADERS),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, max_size=12), st.lists(rows, max_size=6), st.booleans())
def test_duckdb_checks_and_counts_rosters_as_the_python_reference_does(
    first: list[tuple[str, ...]], second: list[tuple[str, ...]], title: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        expected, found = _both(
            Path(folder), {"a名册.csv": _csv(first, title), "b名册.csv": _csv(second, False)}
        )
    assert found == expected


def test_clean_rows_are_judged_in_sql_without_the_python_row_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What makes millions of rows fast: a row already as the rules leave it (a check digit X, born on 29
    February 2000, 集中供养, an exit) never reaches read_row, and the counts are the reference's."""
    import report_builder.load.roster_db as roster_db

    body = [
        ("99012320000229001X", "张明", "H1", "990123101000", "2020Q3", "农村低保", "", "", ""),
        ("99012319500101006X", "王芳", "H1", "990123101000", "2020Q3", "农村低保", "", "", ""),
        (_id("990123", "19500101", 1, True), "李强", "H2", "990123102000", "2020Q3", "特困", "集中供养", "全护理", ""),
        (_id("990123", "19500101", 2, True), "赵六", "H3", "990123102000", "2020-09", "特困", "分散", "全自理", "死亡"),
    ]  # fmt: skip

    def refuse(*args: object) -> None:
        raise AssertionError("a clean row went to the Python row reader")

    monkeypatch.setattr(roster_db, "read_row", refuse)
    expected, found = _both(tmp_path, {"名册.csv": _csv(body, False)})
    assert found == expected and found[0] == []
    households = found[1][("990123101000", Period.parse("2020Q3"))]["dibao_rural_households"]
    assert households.value == 1


def test_a_row_whose_only_fault_is_an_empty_period_is_refused_as_the_python_reader_refuses_it(
    tmp_path: Path,
) -> None:
    good = _id("990123", "19500101", 1, True)
    expected, found = _both(
        tmp_path, {"名册.csv": _csv([(good, "张明", "H1", "990123101000", "", "特困", "", "", "")], False)}
    )
    assert found == expected
    assert found[0] == [
        "错误 名册.csv:行2:统计期：无法识别的统计期“”，应为 2020Q3（季度）、2020-09（月）或 2020（年）"
    ]


def test_a_quoted_line_break_is_read_by_the_python_reader_into_the_cache(tmp_path: Path) -> None:
    good = _id("990123", "19500101", 1, True)
    text = _csv(
        [(good, "张\n明", "H1", "990123101000", "2020Q3", "特困", "", "", ""), (good, *["x"] * 8)], False
    )
    expected, found = _both(tmp_path, {"名册.csv": text})
    assert found == expected
    assert "名册.csv!行3" in " ".join(found[0]) or "名册.csv:行4" in " ".join(found[0])
    assert list(tmp_path.glob("*-csv.parquet"))


def test_a_workbook_roster_is_read_once_then_from_its_parquet_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, other = _id("990123", "19500101", 1, True), _id("990123", "19600101", 2, True)
    body = [
        [good, "张明", "H1", "990123101000", "2020Q3", "农村低保", "", "", ""],
        [other, "王芳", "H1", "990123101000", "2020Q3", "农村低保", "", "", ""],
        [3.4e17, "李强", "H2", 990123102000, "2020Q3", "农村低保", "", "", ""],
    ]
    (tmp_path / "regions.csv").write_text(REGIONS, encoding="utf-8")
    write_xlsx(tmp_path / "名册.xlsx", [["某县花名册"], list(HEADER), *body])
    with pytest.raises(BadInput) as refused:
        load_inputs(tmp_path)
    message = str(refused.value)
    assert "名册.xlsx!乡镇表!A5（身份证号）" in message and "存成了数字" in message
    assert "340000********0000" in message
    (manifest,) = (tmp_path / CACHE_DIR).glob("*.json")
    import report_builder.load.readers as readers

    def refuse(*args: object) -> None:
        raise AssertionError("the workbook was opened again")

    monkeypatch.setattr(readers, "read_sheets", refuse)
    with pytest.raises(BadInput) as again:
        load_inputs(tmp_path)
    assert str(again.value) == message
    write_xlsx(tmp_path / "名册.xlsx", [["某县花名册"], list(HEADER), *body[:2]])  # changed: read afresh
    monkeypatch.undo()
    inputs = load_inputs(tmp_path)
    assert inputs.dataset.total("990123101000", Period.parse("2020Q3"), "dibao_rural_households") == 1
    assert inputs.dataset.total("990123101000", Period.parse("2020Q3"), "dibao_rural_persons") == 2
    assert len(list((tmp_path / CACHE_DIR).glob("*.json"))) == 2 and manifest.exists()
