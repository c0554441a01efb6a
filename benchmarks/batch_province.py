"""Benchmark: every county quarterly report of a synthetic province with `report-builder batch` (issue 12).

The province (benchmarks/synthetic_province.py: 16 cities, 130 counties of 8–20 townships, 8 quarters) is written
into a temporary folder, and the real command runs on it as a subprocess:

    report-builder batch --data DIR --level county --period 2020Q4 --jobs N --out DIR

Printed: reports per second, wall time, the peak memory of the whole process tree (the batch and its workers),
and the speed-up over serial cold `report-builder build` runs — a sample of cold builds of different counties,
each a fresh process reading the whole data folder as a shell loop would, scaled to every county. Goal on the
2-core machine: at least 3 reports/s and at most 2 GB.

Peak memory is read from /proc while the batch runs (every 0.1 s): the sum over every process of the tree of
its own VmHWM (its peak resident set; an upper bound of the tree's peak, since the processes need not peak at
the same moment), and the largest sum of VmRSS seen at one poll (a lower bound).

    .venv/bin/python benchmarks/batch_province.py [--counties 130] [--jobs N] [--sample 10] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic_province import CITIES, COUNTIES, LAST_PERIOD, write_province

CLI = str(Path(sys.executable).parent / "report-builder")


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _tree(root: int) -> set[int]:
    """`root` and every process below it, from the parent ids in /proc/*/stat."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, grew = {root}, True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= below
        grew = bool(below)
    return tree


def run_measured(command: list[str], log: Path) -> tuple[float, int, int, int]:
    """Wall seconds, exit code, the tree's summed VmHWM and its largest sampled VmRSS sum (kB)."""
    hwm: dict[int, int] = {}
    rss_peak = 0
    start = time.perf_counter()
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        while process.poll() is None:
            pids = _tree(process.pid)
            for pid in pids:
                hwm[pid] = max(hwm.get(pid, 0), _status_kb(pid, "VmHWM"))
            rss_peak = max(rss_peak, sum(_status_kb(pid, "VmRSS") for pid in pids))
            time.sleep(0.1)
    return time.perf_counter() - start, process.returncode, sum(hwm.values()), rss_peak


def cold_builds(data: Path, codes: list[str], out: Path) -> list[float]:
    times = []
    for code in codes:
        command = [CLI, "build", "--data", str(data), "--period", LAST_PERIOD, "--region", code,
                   "--out", str(out / code)]  # fmt: skip
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=COUNTIES, help="how many counties (quick runs: 20)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sample", type=int, default=10, help="cold serial builds to time (0: none)")
    parser.add_argument("--keep", type=Path, help="write the province and the reports here, and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        data, out = root / "data", root / "batch"
        data.mkdir(parents=True, exist_ok=True)
        codes = write_province(data, counties=args.counties, cities=min(CITIES, args.counties))
        print(f"{len(codes)} counties, period {LAST_PERIOD}, --jobs {args.jobs}, "
              f"load average {os.getloadavg()[0]:.2f} at the start")  # fmt: skip
        command = [CLI, "batch", "--data", str(data), "--level", "county", "--period", LAST_PERIOD,
                   "--jobs", str(args.jobs), "--out", str(out), "--force"]  # fmt: skip
        wall, code, hwm_kb, rss_kb = run_measured(command, root / "batch.log")
        built = sum(1 for folder in out.iterdir() if folder.is_dir() and any(folder.glob("*.pdf")))
        if code != 0 or built != len(codes):
            sys.exit(f"batch exited {code} with {built} of {len(codes)} reports; see {root / 'batch.log'}")
        print(f"batch: {built} reports in {wall:.1f} s wall = {built / wall:.2f} reports/s (goal ≥ 3)")
        print(f"  peak memory of the process tree: {hwm_kb / 1024:.0f} MB summed VmHWM (upper bound), "
              f"{rss_kb / 1024:.0f} MB largest sampled VmRSS sum (goal ≤ 2048 MB)")  # fmt: skip
        if args.sample:
            step = max(1, len(codes) // args.sample)
            sample = codes[::step][: args.sample]
            times = cold_builds(data, sample, root / "cold")
            serial = statistics.mean(times) * len(codes)
            print(f"serial cold `report-builder build`: median {statistics.median(times):.2f} s, mean "
                  f"{statistics.mean(times):.2f} s of {len(sample)} counties → {serial:.0f} s for {len(codes)}")  # fmt: skip
            print(f"  speed-up of batch over serial cold builds: {serial / wall:.1f}×")
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
