"""Benchmark: a 5,000,000-row roster (CSV and Parquet) → township and county fields for one period (issue 16).

The roster is made by DuckDB's own generators (`range`), under the nonexistent province 99: 20 counties of 25
townships, households of two, 80% 农村低保, 15% 特困, 5% 城市低保, 1% of rows an exit, every 身份证号 unique with a
valid GB 11643 check digit; a few rows spread over the file (3 of 5,000,000) carry the 15-digit legacy form of
their number, so rows SQL cannot pass alone go through the Python reader too, and their warnings must name the
right lines. Each measurement runs in a fresh process (so peak memory is its own), imports not timed, wall and
CPU seconds:

- ours: `load_inputs` (every check on every row, then the county and township fields);
- bare: a hand-written DuckDB GROUP BY giving the same six fields per township from the same file, no checks;
- floor: the bare GROUP BY plus the checks alone, hand-written in one statement over the file read once
  (`WITH … AS MATERIALIZED`): the row checks as our SQL writes them, one 身份证号 twice in a period, a household in
  two townships. What any loader doing the checks pays at least.

Goal: ours ≤ 1.5× bare, peak memory ≤ 2 GB.

    .venv/bin/python benchmarks/roster_province.py [--rows 5000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

COUNTIES, TOWNS = 20, 25
PERIOD = "2020Q3"
FIELDS = (
    "dibao_rural_households",
    "dibao_rural_persons",
    "tekun_persons",
    "tekun_concentrated",
    "tekun_dependent",
    "tekun_dependent_concentrated",
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def write_regions(folder: Path) -> None:
    lines = ["代码,名称,上级代码,层级", "990100,示例市,,市"]
    for c in range(1, COUNTIES + 1):
        county = f"9901{c:02d}"
        lines.append(f"{county},县{c},990100,县")
        lines += [f"{county}{t:03d}000,县{c}镇{t},{county},乡" for t in range(1, TOWNS + 1)]
    (folder / "regions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def legacy_rows(rows: int) -> list[int]:
    """The records written with a 15-digit number: of five places spread over the file, those born in the 1900s
    (which the 15-digit form assumes)."""
    return [i for i in (rows * k // 5 + 1 for k in range(5)) if i % 29000 < 25000]


def write_roster(target: Path, rows: int, kind: str) -> None:
    import duckdb

    first17 = (
        "printf('9901%02d', (i // 2 % 500) // 25 + 1) || strftime(DATE '1930-01-01' + (i % 29000)::INT, '%Y%m%d')"
        " || printf('%03d', i // 29000)"
    )
    digits = " + ".join(f"(ascii(f[{k + 1}]) - 48) * {w}" for k, w in enumerate(_WEIGHTS))
    query = f"""
        SELECT CASE WHEN list_contains({legacy_rows(rows)}, i) THEN f[1:6] || f[9:17]
                    ELSE f || '10X98765432'[({digits}) % 11 + 1] END AS 身份证号, '张明' AS 姓名, 'H' || (i // 2) AS 户编号,
               printf('9901%02d%03d000', (i // 2 % 500) // 25 + 1, (i // 2 % 500) % 25 + 1) AS 区划代码,
               '{PERIOD}' AS 统计期,
               CASE WHEN hash(i // 2) % 100 < 80 THEN '农村低保' WHEN hash(i // 2) % 100 < 95 THEN '特困'
                    ELSE '城市低保' END AS 保障类别,
               CASE WHEN i % 3 = 0 THEN '集中' ELSE '分散' END AS 供养方式,
               CASE WHEN i % 5 = 0 THEN '全护理' ELSE '全自理' END AS 自理能力,
               CASE WHEN i % 100 = 7 THEN '收入超标' ELSE '' END AS 退出原因
        FROM (SELECT range AS i, {first17} AS f FROM range({rows}))
    """
    options = "(FORMAT parquet)" if kind == "parquet" else "(FORMAT csv, HEADER true)"
    with duckdb.connect() as con:
        con.execute(f"COPY ({query}) TO '{target}' {options}")


_COUNTS = f"""
    SELECT 区划代码, count(DISTINCT 户编号) FILTER (保障类别 = '农村低保'),
           count(*) FILTER (保障类别 = '农村低保'), count(*) FILTER (保障类别 = '特困'),
           count(*) FILTER (保障类别 = '特困' AND 供养方式 = '集中'),
           count(*) FILTER (保障类别 = '特困' AND 自理能力 = '全护理'),
           count(*) FILTER (保障类别 = '特困' AND 供养方式 = '集中' AND 自理能力 = '全护理')
    FROM rows WHERE 统计期 = '{PERIOD}' AND coalesce(退出原因, '') = '' GROUP BY 1"""


def _source(path: Path) -> str:
    return (
        f"read_parquet('{path}')" if path.suffix == ".parquet" else f"read_csv('{path}', all_varchar = true)"
    )


def bare(path: Path) -> dict[str, int]:
    """The hand-written query: the six fields per township for the period, no checks."""
    import duckdb

    rows = duckdb.sql(f"WITH rows AS (SELECT * FROM {_source(path)}) {_COUNTS}").fetchall()
    return {"townships": len(rows), "persons": sum(r[2] for r in rows)}


def floor(path: Path) -> dict[str, int]:
    """The bare query and the checks alone, hand-written: the file read once, each row checked with the SQL our
    loader uses for its row checks, then the two GROUP BYs across rows."""
    import duckdb

    from report_builder.load.roster_db import checked_rows

    checked = checked_rows(f"(SELECT * FROM {_source(path)})", "身份证号", "户编号")
    ((found,),) = duckdb.sql(f"""
        WITH rows AS MATERIALIZED (SELECT *, id_ok AND household_ok AS ok FROM ({checked})),
        counts AS ({_COUNTS})
        SELECT {{'townships': (SELECT count(*) FROM counts), 'persons': (SELECT sum(#3) FROM counts),
                 'bad': (SELECT count(*) FILTER (NOT ok) FROM rows),
                 'twice': (SELECT count(*) FROM (SELECT 统计期, 身份证号 FROM rows GROUP BY ALL HAVING count(*) > 1)),
                 'split': (SELECT count(*) FROM (SELECT 统计期, 户编号 FROM rows
                           GROUP BY ALL HAVING min(区划代码[1:9]) <> max(区划代码[1:9])))}}
    """).fetchall()
    return found


def ours(folder: Path) -> dict[str, int]:
    from report_builder.load import load_inputs
    from report_builder.periods import Period

    inputs = load_inputs(folder)
    legacy = sorted(w.location.row for w in inputs.warnings if w.code == "roster_legacy_id")
    assert legacy == [i + 2 for i in legacy_rows(ROWS[0])], legacy  # record i is line i + 2
    period = Period.parse(PERIOD)
    total = 0
    for c in range(1, COUNTIES + 1):
        county = f"9901{c:02d}"
        for fid in FIELDS:
            inputs.dataset.total(county, period, fid)
        for t in range(1, TOWNS + 1):
            inputs.dataset.total(f"{county}{t:03d}000", period, "dibao_rural_persons")
        total += int(inputs.dataset.total(county, period, "dibao_rural_persons"))
    return {"townships": COUNTIES * TOWNS, "persons": total}


ROWS = [0]  # the roster's rows, for the child process
MEASURES = {"ours": ours, "bare": bare, "floor": floor}


def measure(what: str, path: Path, rows: int) -> dict[str, Any]:
    """Seconds, CPU seconds, peak MB and the result of one measurement in a fresh process."""
    command = [sys.executable, __file__, "--rows", str(rows), "--child", what, str(path)]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(what: str, path: Path) -> None:
    import duckdb  # imports are not timed: every side pays them once per process

    import report_builder.load  # noqa: F401  (and load.roster_db with it)

    duckdb.sql("SELECT 1").fetchall()
    start, cpu = time.perf_counter(), _cpu()
    result = MEASURES[what](path)
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak, "result": result}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    ROWS[0] = args.rows
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("csv", "parquet"):
            folder = Path(tmp) / kind
            folder.mkdir()
            write_regions(folder)
            roster = folder / f"花名册.{kind}"
            write_roster(roster, args.rows, kind)
            runs: dict[str, list[dict[str, Any]]] = {what: [] for what in MEASURES}
            for _ in range(args.runs):
                for what in MEASURES:
                    runs[what].append(measure(what, folder if what == "ours" else roster, args.rows))
            persons = {what: found[-1]["result"]["persons"] for what, found in runs.items()}
            assert len(set(persons.values())) == 1, persons
            print(
                f"{kind}: {args.rows} rows, {roster.stat().st_size / 2**20:.0f} MB, {runs['ours'][-1]['result']}"
            )
            print(f"  floor found: {runs['floor'][-1]['result']}")
            median = {
                what: {key: statistics.median(r[key] for r in found) for key in ("seconds", "cpu")}
                for what, found in runs.items()
            }
            for what, found in runs.items():
                peak = max(r["peak_mb"] for r in found)
                print(
                    f"  {what:5}: median {median[what]['seconds']:.2f} s of {args.runs} "
                    f"(CPU {median[what]['cpu']:.2f} s), peak {peak:.0f} MB"
                )
            for what in ("ours", "floor"):
                print(
                    f"  ratio {what} / bare: {median[what]['seconds'] / median['bare']['seconds']:.2f} "
                    f"(CPU {median[what]['cpu'] / median['bare']['cpu']:.2f})"
                )


if __name__ == "__main__":
    main()
