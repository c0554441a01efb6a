"""Benchmark: the sample quarterly report, DOCX + PDF with charts.

- cold: `report-builder build` in a fresh process (imports included), median of --runs;
- warm: `build_report` repeated inside one process, median per report;
- LibreOffice: `soffice --headless --convert-to pdf` of the same DOCX, when LibreOffice is installed — the
  route a user would otherwise take.
Goals (issue 5): cold build under 2 s, in-process builds under 0.5 s per report.

    .venv/bin/python benchmarks/build_report.py [--runs 5] [--warm 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "sample_data"
PERIOD = "2020Q3"


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm", type=int, default=20)
    args = parser.parse_args()
    cli = Path(sys.executable).parent / "report-builder"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        command = [str(cli), "build", "--data", str(DATA), "--period", PERIOD, "--out", str(out / "cold")]
        cold = [
            timed(lambda: subprocess.run(command, check=True, capture_output=True)) for _ in range(args.runs)
        ]
        print(f"cold build (process, DOCX+PDF+charts): median {statistics.median(cold):.2f} s of {args.runs}")

        from report_builder.load import load_inputs
        from report_builder.periods import Period
        from report_builder.pipeline import build_report

        period = Period.parse(PERIOD)
        inputs = load_inputs(DATA)  # loaded once, as a batch would
        warm = [timed(lambda i=i: build_report(inputs, "quarterly", period, None, out / f"warm{i}"))
                for i in range(args.warm)]  # fmt: skip
        print(f"in-process build: median {statistics.median(warm):.2f} s per report over {args.warm} "
              f"(first {warm[0]:.2f} s)")  # fmt: skip

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            docx = next((out / "cold").glob("*.docx"))
            convert = [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out / "lo"), str(docx)]
            lo = [timed(lambda: subprocess.run(convert, check=True, capture_output=True)) for _ in range(3)]
            print(f"libreoffice --convert-to pdf of the same DOCX: median {statistics.median(lo):.2f} s of 3")
        else:
            print("LibreOffice not installed: no comparison")


if __name__ == "__main__":
    main()
