"""Benchmark: every indicator for a synthetic province, plus the target check.

16 cities, 130 counties of 8–20 townships (about 1,800), 8 quarters (benchmarks/synthetic_province.py), read
through the normal loader. Reports the median of several runs for loading, computing every indicator at every
level (with 同比 and 环比) and checking the targets, and the peak memory of the process. Goal (issue 3): indicators plus
the target check under 2 s on the project's 2-core machine.

    .venv/bin/python benchmarks/indicators_province.py [--runs 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from synthetic_province import LAST_PERIOD, write_province

from report_builder.indicators.compute import Calculator
from report_builder.load import load_inputs
from report_builder.periods import Period
from report_builder.report.rows import indicator_rows, regions_in_scope
from report_builder.targets.check import check_targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    period = Period.parse(LAST_PERIOD)
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
