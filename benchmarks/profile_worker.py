"""Profile: what a warm batch worker spends its time on, per county report.

Loads the synthetic province (benchmarks/synthetic_province.py) once, builds one county report to warm up (imports,
fonts, template), then builds --builds more counties under cProfile, each into a fresh folder as a batch would, and
prints the time per report (with and without the profiler) and the top functions by cumulative time.

    .venv/bin/python benchmarks/profile_worker.py [--builds 5] [--top 40] [--counties 130]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from synthetic_province import COUNTIES, LAST_PERIOD, write_province

from report_builder.load import load_inputs
from report_builder.periods import Period
from report_builder.pipeline import build_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=5)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--counties", type=int, default=COUNTIES)
    args = parser.parse_args()
    period = Period.parse(LAST_PERIOD)
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "data", Path(tmp) / "out"
        data.mkdir()
        codes = write_province(data, counties=args.counties)
        inputs = load_inputs(data)
        build_report(inputs, "quarterly", period, codes[0], out / codes[0])  # warm-up
        sample = codes[1 : 1 + args.builds]
        times = []
        profile = cProfile.Profile()
        for code in sample:
            start = time.perf_counter()
            profile.runcall(build_report, inputs, "quarterly", period, code, out / code)
            times.append(time.perf_counter() - start)
        unprofiled, cpu = [], []
        for code in codes[1 + args.builds : 1 + 2 * args.builds]:
            start, start_cpu = time.perf_counter(), time.process_time()
            build_report(inputs, "quarterly", period, code, out / code)
            unprofiled.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    print(f"{len(sample)} warm builds: {sum(times) / len(times):.2f} s per report under cProfile, "
          f"{statistics.median(unprofiled):.2f} s median without ({statistics.median(cpu):.2f} s of CPU: less "
          f"sensitive to other load), load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"cProfile, cumulative over the {len(sample)} builds (divide by {len(sample)} for one report):")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
