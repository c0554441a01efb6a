"""Benchmark: the sample quarterly report (6 pages, 2 charts, DOCX + PDF), medians of --runs.

- cold: `report-builder build` in a fresh process into a fresh folder (imports, fonts, both charts drawn);
- cold, charts on disk: the same into a folder that already holds the charts (a rebuild: charts are named by
  content and not drawn again);
- warm: `build_report` repeated inside one process, each into a fresh folder (charts drawn every time);
- `report-builder --help`;
- the floor: WeasyPrint alone on the HTML our PDF writer makes of the same report, warm;
- LibreOffice: `soffice --headless --convert-to pdf` of the DOCX just written, when LibreOffice is installed —
  the route a user would otherwise take — and the ratio cold / LibreOffice.

    .venv/bin/python benchmarks/build_report.py [--runs 5]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "sample_data"
PERIOD = "2020Q3"


def median(action: Callable[[int], object], runs: int) -> float:
    """The median wall time of `runs` calls; the median CPU time (this process and its children) goes to CPU."""
    times, cpu = [], []
    for i in range(runs):
        start, used = time.perf_counter(), _cpu()
        action(i)
        times.append(time.perf_counter() - start)
        cpu.append(_cpu() - used)
    CPU.append(statistics.median(cpu))
    return statistics.median(times)


CPU: list[float] = []  # the CPU time of each median, in order: the machine is shared, and wall time swings


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _layouts(build: Callable[[], object]) -> int:
    """How many times WeasyPrint lays the report out in one build (the pagination passes)."""
    import weasyprint

    counted, render = [], weasyprint.HTML.render
    weasyprint.HTML.render = lambda self, *a, **k: counted.append(1) or render(self, *a, **k)  # type: ignore[method-assign]
    try:
        build()
    finally:
        weasyprint.HTML.render = render  # type: ignore[method-assign]
    return len(counted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    cli = str(Path(sys.executable).parent / "report-builder")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def build(folder: Path) -> None:
            command = [cli, "build", "--data", str(DATA), "--period", PERIOD, "--out", str(folder)]
            subprocess.run(command, check=True, capture_output=True)

        cold = median(lambda i: build(out / f"cold{i}"), runs)
        print(
            f"cold build (process, fresh folder):        median {cold:.2f} s of {runs} (CPU {CPU[-1]:.2f} s)"
        )
        rebuilt = median(lambda i: build(out / "cold0"), runs)
        print(
            f"cold build (process, charts on disk):      median {rebuilt:.2f} s of {runs} (CPU {CPU[-1]:.2f} s)"
        )
        helped = median(lambda i: subprocess.run([cli, "--help"], check=True, capture_output=True), runs)
        print(
            f"report-builder --help:                     median {helped:.2f} s of {runs} (CPU {CPU[-1]:.2f} s)"
        )

        from report_builder.load import load_inputs
        from report_builder.periods import Period
        from report_builder.pipeline import BuildOptions, build_report

        period = Period.parse(PERIOD)
        inputs = load_inputs(DATA)  # loaded once, as a batch would
        build_report(
            inputs, "quarterly", period, None, out / "first"
        )  # imports, fonts: paid once per process
        warm = median(lambda i: build_report(inputs, "quarterly", period, None, out / f"warm{i}"), runs)
        print(
            f"in-process build (fresh folder each time): median {warm:.2f} s per report of {runs} (CPU {CPU[-1]:.2f} s)"
        )
        pdf_only = BuildOptions(formats=("pdf",))
        floor = median(
            lambda i: build_report(inputs, "quarterly", period, None, out / "first", pdf_only), runs
        )
        print(f"  of which PDF only, charts on disk:       median {floor:.2f} s (CPU {CPU[-1]:.2f} s)")
        layouts = _layouts(lambda: build_report(inputs, "quarterly", period, None, out / "first", pdf_only))
        print(f"  WeasyPrint layouts of the report:        {layouts}")
        alone = weasyprint_alone(
            lambda: build_report(inputs, "quarterly", period, None, out / "first", pdf_only),
            out / "first",
            runs,
        )
        print(f"  floor, WeasyPrint alone on its HTML:     median {alone:.2f} s (CPU {CPU[-1]:.2f} s)")

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            docx = next((out / "cold0").glob("*.docx"))
            convert = [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out / "lo"), str(docx)]
            lo = median(lambda i: subprocess.run(convert, check=True, capture_output=True), runs)
            print(
                f"soffice --convert-to pdf of that DOCX:     median {lo:.2f} s of {runs} (CPU {CPU[-1]:.2f} s)"
            )
            print(
                f"ratio cold / LibreOffice:                  {cold / lo:.2f} (charts on disk: {rebuilt / lo:.2f})"
            )
        else:
            print("LibreOffice not installed: no comparison")


def weasyprint_alone(build: Callable[[], object], folder: Path, runs: int) -> float:
    """The HTML our writer hands WeasyPrint for this report (caught on its way in, as the pagination passes left
    it), rendered by WeasyPrint alone in one pass: what no change of ours to the PDF path can go below."""
    from weasyprint import HTML

    from report_builder import pipeline
    from report_builder.render.pdf_writer import to_html

    seen = []
    original = pipeline.write_pdf
    pipeline.write_pdf = lambda document, style, path, laid_out=None: (
        seen.append(to_html(laid_out.document if laid_out else document, style))
        or original(document, style, path, laid_out)
    )
    try:
        build()
    finally:
        pipeline.write_pdf = original
    return median(lambda i: HTML(string=seen[0], base_url=str(folder)).write_pdf(), runs)


if __name__ == "__main__":
    main()
