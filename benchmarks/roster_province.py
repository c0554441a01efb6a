"""Benchmark: a 5,000,000-row roster (CSV and Parquet) → township and county fields for one period (issue 16).

The roster is made by DuckDB's own generators (`range`), under the nonexistent province 99: 20 counties of 25
townships, households of two, 80% 农村低保, 15% 特困, 5% 城市低保, 1% of rows an exit, every 身份证号 unique with a
valid GB 11643 check digit. Each measurement runs in a fresh process (so peak memory is its own): our loader
(`load_inputs`, every check, then the county and township fields) and a bare hand-written DuckDB GROUP BY on the
same file, imports not timed. Goal: ours ≤ 1.5× the bare query, peak memory ≤ 2 GB.

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

COUNTIES, TOWNS = 20, 25
PERIOD = "2020Q3"
FIELDS = ("dibao_rural_households", "dibao_rural_persons", "tekun_persons", "tekun_concentrated")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def write_regions(folder: Path) -> None:
    lines = ["代码,名称,上级代码,层级", "990100,示例市,,市"]
    for c in range(1, COUNTIES + 1):
        county = f"9901{c:02d}"
        lines.append(f"{county},县{c},990100,县")
        lines += [f"{county}{t:03d}000,县{c}镇{t},{county},乡" for t in range(1, TOWNS + 1)]
    (folder / "regions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_roster(target: Path, rows: int, kind: str) -> None:
    import duckdb

    first17 = (
        "printf('9901%02d', (i // 2 % 500) // 25 + 1) || strftime(DATE '1930-01-01' + (i % 29000)::INT, '%Y%m%d')"
        " || printf('%03d', i // 29000)"
    )
    digits = " + ".join(f"(ascii(f[{k + 1}]) - 48) * {w}" for k, w in enumerate(_WEIGHTS))
    query = f"""
        SELECT f || '10X98765432'[({digits}) % 11 + 1] AS 身份证号, '张明' AS 姓名, 'H' || (i // 2) AS 户编号,
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


def bare(path: Path) -> dict[str, int]:
    """The hand-written query: township counts for the period, no checks."""
    import duckdb

    source = (
        f"read_parquet('{path}')" if path.suffix == ".parquet" else f"read_csv('{path}', all_varchar = true)"
    )
    rows = duckdb.sql(f"""
        SELECT 区划代码, count(DISTINCT 户编号) FILTER (保障类别 = '农村低保'),
               count(*) FILTER (保障类别 = '农村低保'), count(*) FILTER (保障类别 = '特困'),
               count(*) FILTER (保障类别 = '特困' AND 供养方式 = '集中')
        FROM {source} WHERE 统计期 = '{PERIOD}' AND coalesce(退出原因, '') = '' GROUP BY 1
    """).fetchall()
    return {"townships": len(rows), "persons": sum(r[2] for r in rows)}


def ours(folder: Path) -> dict[str, int]:
    from report_builder.load import load_inputs
    from report_builder.periods import Period

    inputs = load_inputs(folder)
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


def measure(what: str, path: Path) -> tuple[float, float, dict[str, int]]:
    """Seconds, peak MB and the result of one measurement in a fresh process."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", what, str(path)], check=True, capture_output=True, text=True
    ).stdout
    found = json.loads(out)
    return found["seconds"], found["peak_mb"], found["result"]


def child(what: str, path: Path) -> None:
    import duckdb  # imports are not timed: both sides pay them once per process

    import report_builder.load  # noqa: F401

    duckdb.sql("SELECT 1").fetchall()
    start = time.perf_counter()
    result = ours(path) if what == "ours" else bare(path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "result": result}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
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
            times: dict[str, list[float]] = {"ours": [], "bare": []}
            peaks: dict[str, float] = {"ours": 0.0, "bare": 0.0}
            results = {}
            for _ in range(args.runs):
                for what, target in (("ours", folder), ("bare", roster)):
                    seconds, peak, results[what] = measure(what, target)
                    times[what].append(seconds)
                    peaks[what] = max(peaks[what], peak)
            assert results["ours"]["persons"] == results["bare"]["persons"], results
            ratio = statistics.median(times["ours"]) / statistics.median(times["bare"])
            print(f"{kind}: {args.rows} rows, {roster.stat().st_size / 2**20:.0f} MB, {results['ours']}")
            for what in ("ours", "bare"):
                print(
                    f"  {what:4}: median {statistics.median(times[what]):.2f} s of {args.runs}, peak {peaks[what]:.0f} MB"
                )
            print(f"  ratio ours / bare: {ratio:.2f}")


if __name__ == "__main__":
    main()
