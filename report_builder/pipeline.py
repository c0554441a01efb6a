"""Build one region's report: compute → check → render → write, readable on one screen.

`build_report` is a pure function of its arguments (the loaded inputs, template, period, region, options) →
files: no global state and no reading of the data folder, so a batch loads the folder once and maps this over
regions in a process pool.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from report_builder.indicators.compute import Calculator
from report_builder.issues import BadInput, IssueCode, Location
from report_builder.load import Inputs
from report_builder.periods import Period
from report_builder.render.document import Block, Document, Title, number_headings
from report_builder.render.docx_writer import write_docx
from report_builder.render.markup import MarkupError, parse
from report_builder.render.pdf_writer import write_pdf
from report_builder.render.spreadsheet import write_workbook
from report_builder.render.style import load_style
from report_builder.report.chart_data import chart_drawer
from report_builder.report.context import ReportData
from report_builder.report.environment import render
from report_builder.report.ledger import (
    CHANGES_FILE,
    LEDGER_FILE,
    by_key,
    changed_rows,
    read_ledger,
    write_changes,
    write_ledger,
)
from report_builder.report.rows import COLUMNS, EXTRA_COLUMNS, indicator_rows
from report_builder.report.scope import check_scope, default_region
from report_builder.report.template_folder import ReportTemplate, find_template
from report_builder.targets.check import check_targets

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class BuildOptions:
    date: dt.date | None = None  # 成文日期; default the period's end
    formats: tuple[str, ...] = FORMATS
    reference_docx: Path | None = None
    first_page: int = 1
    previous: Path | None = None  # an earlier build's folder: write changes.csv against its ledger


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, by role, and how its printed figures differ from `--previous` (None without it)."""

    docx: Path | None
    pdf: Path | None
    indicators: Path
    ledger: Path
    changes: Path | None = None
    changed: int | None = None  # printed figures that differ from the earlier build

    @property
    def files(self) -> list[Path]:
        return [p for p in (self.docx, self.pdf, self.indicators, self.ledger, self.changes) if p is not None]


def build_report(inputs: Inputs, template: str, period: Period, region: str | None, out_dir: Path,
                 options: BuildOptions = BuildOptions()) -> BuildResult:  # fmt: skip
    """Raises BadInput — for the data, an option, the template, its house style or a missing font — with a
    message naming what to fix."""
    earlier = read_ledger(options.previous) if options.previous is not None else None
    data = inputs.dataset
    code = region or default_region(inputs)
    check_scope(inputs, code, period)
    tpl = find_template(template)
    style = load_style(tpl.style)
    calc = Calculator(data)
    scope = {code, *data.regions.children_of(code)}
    results = check_targets(data, inputs.targets, period, calc, within=scope)
    report = ReportData(inputs, code, period, options.date or period.end, results, calc)
    text = render(tpl.folder, tpl.main, report.context(), data.rounding)
    blocks = number_headings(tuple(_parse(text, tpl, report, out_dir / "figures")), style.heading_numbers)
    region_name = data.regions[code].name
    title = next((b.text for b in blocks if isinstance(b, Title)), f"{region_name}{period.label}报告")
    head = tpl.running_head.format(region=region_name, year=period.year, next_year=period.year + 1)
    document = Document(blocks, report.date, title=title, running_head=head, first_page=options.first_page)
    name = _file_name(title)  # a title may hold a dot (第3.1期): the suffix is added, never swapped in
    docx = pdf = None
    if "docx" in options.formats:
        docx = write_docx(document, style, out_dir / f"{name}.docx", options.reference_docx)
    if "pdf" in options.formats:
        pdf = write_pdf(document, style, out_dir / f"{name}.pdf")
    indicators = _write_indicators(report, out_dir / "indicators.xlsx")
    entries = report.ledger.entries(document)
    ledger = write_ledger(entries, out_dir / LEDGER_FILE)
    if earlier is None:
        return BuildResult(docx, pdf, indicators, ledger)
    rows = changed_rows(earlier, by_key(entries))
    changes = write_changes(rows, out_dir / CHANGES_FILE)
    return BuildResult(docx, pdf, indicators, ledger, changes, len(rows))


def _parse(text: str, tpl: ReportTemplate, report: ReportData, figures: Path) -> list[Block]:
    try:
        return parse(text, chart_drawer(tpl, report, figures))
    except MarkupError as exc:
        raise BadInput.of(IssueCode.BAD_TEMPLATE, Location(f"{tpl.name}/{tpl.main}"), why=exc) from None


def _file_name(title: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "", title) or "report"


def _write_indicators(report: ReportData, path: Path) -> Path:
    """Every indicator of the region and the regions under it, and every figure the report printed."""
    codes = [report.code, *report.data.regions.descendants(report.code)]
    rows = list(indicator_rows(report.inputs, report.period, codes, calc=report.calc))
    printed = [
        {k: v if isinstance(v, str) else "；".join(v) for k, v in asdict(f).items()}
        for f in report.ledger.figures
    ]
    columns = ("indicator", "name", "region", "period", "kind", "shown", "exact", "sources")
    return write_workbook(path, [("指标", rows, (*COLUMNS, *EXTRA_COLUMNS)), ("报告引用", printed, columns)])
