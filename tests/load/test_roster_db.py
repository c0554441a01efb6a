"""The DuckDB reading of CSV rosters (load/roster_db.py) against the Python reference (read_roster): on small
random rosters, the same people and the same issues, in the same order."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_builder.issues import collect
from report_builder.load.readers import read_sheets
from report_builder.load.region_table import read_regions
from report_builder.load.roster_db import csv_head, read_csv_roster
from report_builder.load.rosters import check_digit, read_roster
from tests.conftest import REGIONS

HEADER = ("身份证号", "姓名", "户编号", "区划代码", "统计期", "保障类别", "供养方式", "自理能力", "退出原因")


def _id(area: str, born: str, sequence: int, good: bool) -> str:
    first17 = f"{area}{born}{sequence:03d}"
    digit = check_digit(first17)
    return first17 + (digit if good else "0" if digit != "0" else "1")


ids = st.one_of(
    st.builds(
        _id,
        st.sampled_from(["990123", "990124"]),
        st.sampled_from(["19500101", "20200931", "20211231", "18800101", "19991231"]),
        st.integers(0, 3),
        st.booleans(),
    ),
    st.sampled_from(["", " ", "99012319500101001", "990123500101001", "99012319500101001x"]),
)
rows = st.tuples(
    ids,
    st.sampled_from(["张明", "", " 王 芳 "]),
    st.sampled_from(["H1", "H2", " H3", "", "H1\u3000"]),
    st.sampled_from(["990123101000", "990123102000", "990123101001", "990999", " 990123101000 ", ""]),
    st.sampled_from(["2020Q3", "2020Q2", "2020Q9", " 2020Q3"]),
    st.sampled_from(["农村低保", "特困", "城市低保", "低保", " 特 困"]),
    st.sampled_from(["", "集中", "分散供养", "半集中"]),
    st.sampled_from(["", "全护理", "全自理", "不详"]),
    st.sampled_from(["", "", "收入超标", " "]),
)


def _csv(body: list[tuple[str, ...]], title: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if title:
        writer.writerow(["某镇花名册"])
    writer.writerow(HEADER)
    writer.writerows(body)
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, max_size=12), st.booleans())
def test_duckdb_reads_a_csv_roster_as_the_python_reference_does(
    body: list[tuple[str, ...]], title: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        (data / "regions.csv").write_text(REGIONS, encoding="utf-8")
        regions = collect(read_regions(data), [])
        path = data / "名册.csv"
        path.write_text(_csv(body, title), encoding="utf-8")
        expected_issues: list[object] = []
        (sheet,) = read_sheets(path, path.name)
        expected = collect(read_roster(sheet, {}, regions), expected_issues)
        head = csv_head(path, path.name)
        assert head is not None
        issues: list[object] = []
        roster = collect(read_csv_roster(path, *head, {}, regions), issues)
    assert roster is not None
    assert [str(i) for i in issues] == [str(i) for i in expected_issues]
    assert roster == expected


def test_a_quoted_line_break_is_left_to_the_python_reader(tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    good = _id("990123", "19500101", 1, True)
    path.write_text(_csv([(good, "张\n明", "H1", "990123101000", "2020Q3", "特困", "", "", "")], False))
    head = csv_head(path, path.name)
    assert head is not None
    (tmp_path / "regions.csv").write_text(REGIONS, encoding="utf-8")
    regions = collect(read_regions(tmp_path), [])
    issues: list[object] = []
    assert collect(read_csv_roster(path, *head, {}, regions), issues) is None
    assert issues == []
