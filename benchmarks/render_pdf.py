"""Benchmark: render a ten-page Chinese 公文 document to PDF (WeasyPrint with HarfBuzz subsetting), median of
several runs. Without libharfbuzz-subset WeasyPrint falls back to fontTools and this takes about ten times longer.

    .venv/bin/python benchmarks/render_pdf.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from report_builder.render.document import Document, Heading, Paragraph, Run, Title, number_headings
from report_builder.render.pdf_writer import write_pdf
from report_builder.render.style import load_style

SENTENCE = ("截至2020年9月底，全县农村低保保障对象6305户13183人，农村低保覆盖率为4.48%，较上年同期下降0.08个"
            "百分点；农村低保标准为每人每年5100元（每人每月425元），较上年同期增长13.3%。")  # fmt: skip


def ten_pages() -> Document:
    style = load_style("gongwen")
    blocks: list = [Title(("示例县民政局", "2020年三季度兜底保障工作报告"))]
    for section in range(1, 4):
        blocks.append(Heading(1, f"第{section}部分"))
        for sub in range(1, 4):
            blocks.append(Heading(2, f"分项{sub}"))
            blocks += [Paragraph((Run(SENTENCE * 3),)) for _ in range(2)]
    return Document(number_headings(tuple(blocks), style.heading_numbers), dt.date(2020, 10, 10))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    document, style = ten_pages(), load_style("gongwen")
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            start = time.perf_counter()
            path = write_pdf(document, style, Path(tmp) / f"{i}.pdf")
            times.append(time.perf_counter() - start)
        pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        count = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
    print(
        f"{count}-page document: median {statistics.median(times):.2f} s over {runs} runs (first {times[0]:.2f} s)"
    )


if __name__ == "__main__":
    main()
