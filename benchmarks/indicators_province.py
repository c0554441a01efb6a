"""Benchmark: every indicator for a synthetic province, plus the target check.

16 cities, 130 counties, 1,800 townships, 8 quarters, written as CSV files and read through the normal
loader. Reports the median of several runs for loading, computing every indicator at every level (with
同比 and 环比) and checking the targets, and the peak memory of the process. Goal (issue 3): indicators plus
the target check under 2 s on the project's 2-core machine.

    .venv/bin/python benchmarks/indicators_province.py [--runs 5]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from report_builder.indicators.compute import Calculator
from report_builder.load import load_inputs
from report_builder.periods import Period
from report_builder.report.rows import indicator_rows, regions_in_scope
from report_builder.targets.check import check_targets

CITIES, COUNTIES, TOWNSHIPS = 16, 130, 1800
PERIODS = [f"{y}Q{q}" for y in (2019, 2020) for q in range(1, 5)]
TARGETS = """指标,比较,目标值,区划代码,期间,依据
beds_per_1000_elderly,>=,45,*,2020,省下达
nursing_bed_share,>=,35,*,2020,省下达
tekun_dependent_concentrated_rate,>=,50,*,2020,省下达
"""


def write_province(folder: Path) -> None:
    rng = random.Random(7)
    regions = [("990000", "示例省", "", "省")]
    townships = []
    for c in range(CITIES):
        city = f"99{c + 1:02d}00"
        regions.append((city, f"市{c + 1}", "990000", "市"))
    for k in range(COUNTIES):
        city = f"99{k % CITIES + 1:02d}00"
        county = f"{city[:4]}{k // CITIES + 1:02d}"
        regions.append((county, f"县{k + 1}", city, "县"))
    counties = [r[0] for r in regions if r[3] == "县"]
    for t in range(TOWNSHIPS):
        county = counties[t % COUNTIES]
        code = f"{county}{t // COUNTIES + 100:03d}000"
        regions.append((code, f"乡{t + 1}", county, "乡"))
        townships.append(code)
    with open(folder / "regions.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([("代码", "名称", "上级代码", "层级"), *regions])
    header = ["区划代码", "统计期", "农村户籍人口", "农村低保户数", "农村低保人数", "特困人员数", "集中供养特困人员数",
              "生活不能自理特困人员数", "生活不能自理特困人员集中供养数", "60周岁及以上老年人口", "养老床位数",
              "护理型床位数", "建档立卡贫困人口", "未脱贫人口", "临时救助人次", "临时救助金额"]  # fmt: skip
    with open(folder / "乡镇数据.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for code in townships:
            pop = rng.randint(8000, 40000)
            for period in PERIODS:
                persons = pop * rng.randint(30, 60) // 1000
                tekun = pop // 100
                dependent = tekun // 6
                elderly = pop // 5
                beds = elderly * rng.randint(35, 55) // 1000
                poor = pop // 12
                cases = rng.randint(30, 250)
                writer.writerow([code, period, pop, persons // 2, persons, tekun, tekun * 2 // 5, dependent,
                                 dependent // 2, elderly, beds, beds * rng.randint(25, 45) // 100, poor,
                                 poor // rng.randint(5, 50), cases, cases * rng.randint(600, 1200)])  # fmt: skip
    (folder / "targets.csv").write_text(TARGETS, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    period = Period.parse("2020Q4")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_province(folder)
        timings: dict[str, list[float]] = {"load": [], "indicators": [], "check": []}
        for _ in range(runs):
            start = time.perf_counter()
            inputs = load_inputs(folder)  # facts, definitions and targets.csv, validated
            data = inputs.dataset
            loaded = time.perf_counter()
            calc = Calculator(data)
            rows = list(indicator_rows(inputs, period, regions_in_scope(data, None, None), calc=calc))
            computed = time.perf_counter()
            results = check_targets(data, inputs.targets, period, calc)
            checked = time.perf_counter()
            timings["load"].append(loaded - start)
            timings["indicators"].append(computed - loaded)
            timings["check"].append(checked - computed)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(data.regions.regions)} regions, {len(data.facts)} records, {len(rows)} indicator rows, "
          f"{len(results)} target results; median of {runs} runs:")  # fmt: skip
    for stage, values in timings.items():
        print(f"  {stage:<11} {statistics.median(values):6.3f} s")
    both = [i + c for i, c in zip(timings["indicators"], timings["check"], strict=True)]
    print(f"  indicators + check {statistics.median(both):6.3f} s (goal < 2 s)")
    print(f"  peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
