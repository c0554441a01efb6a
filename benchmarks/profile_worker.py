"""Profile: what a warm batch worker spends its time on, per county report.

Loads the synthetic province (benchmarks/synthetic_province.py) once, builds one county report to warm up (imports,
fonts, template), then builds --builds more counties under cProfile, each into a fresh folder as a batch would, and
prints the time per report and the top functions by cumulative time.

    .venv/bin/python benchmarks/profile_worker.py [--builds 5] [--top 40] [--counties 130]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
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
        unprofiled = []
        for code in codes[1 + args.builds : 1 + 2 * args.builds]:
            start = time.perf_counter()
            build_report(inputs, "quarterly", period, code, out / code)
            unprofiled.append(time.perf_counter() - start)
    print(f"{len(sample)} warm builds: {sum(times) / len(times):.2f} s per report under cProfile, "
          f"{sorted(unprofiled)[len(unprofiled) // 2]:.2f} s median without")  # fmt: skip
    stats = pstats.Stats(profile)
    stats.total_tt /= len(sample)  # per report
    for key, (cc, nc, tt, ct, callers) in list(stats.stats.items()):  # type: ignore[attr-defined]
        stats.stats[key] = (cc, nc, tt / len(sample), ct / len(sample), callers)  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
