"""Build one region's report: compute → check → render → write, readable on one screen.

`build_report` is a pure function of its arguments (the loaded inputs, template, period, region, options) →
files: no global state and no reading of the data folder, so a batch loads the folder once and maps this over
regions in a process pool.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from report_builder.files import Stage, os_reason, staging
from report_builder.indicators.compute import Calculator
from report_builder.issues import BadInput, IssueCode, Location
from report_builder.load import Inputs
from report_builder.periods import Period
from report_builder.render.document import (
    Block,
    Colophon,
    Document,
    Figure,
    Masthead,
    Title,
    joined_tables,
    number_headings,
)
from report_builder.render.docx_writer import write_docx
from report_builder.render.markup import MarkupError, parse
from report_builder.render.pdf_writer import lay_out, write_pdf
from report_builder.render.spreadsheet import write_workbook
from report_builder.render.style import HouseStyle, load_style
from report_builder.report.chart_data import chart_drawer
from report_builder.report.context import ReportData
from report_builder.report.environment import render
from report_builder.report.filters import cn_date
from report_builder.report.ledger import (
    CHANGES_FILE,
    LEDGER_FILE,
    Entries,
    by_key,
    changed_rows,
    read_ledger,
    write_changes,
    write_ledger,
)
from report_builder.report.notice import NOTICE_TEMPLATE, notice_context
from report_builder.report.rows import COLUMNS, EXTRA_COLUMNS, indicator_rows
from report_builder.report.scope import check_scope, default_region
from report_builder.report.template_folder import ReportTemplate, find_template
from report_builder.targets.check import TargetResult, check_targets

FORMATS = ("docx", "pdf")
_DATES = (1980, 2107)
_NAME_BYTES = 200  # a file name of at most 255 bytes, less the suffix and the temporary file's additions


@dataclass(frozen=True)
class Official:
    """`build --official`: the report as sent up, with 版头 and 版记 (GB/T 9704-2012 7.2, 7.4)."""

    code: str  # 机关代字: 示民
    number: int  # 发文顺序号: 12 (no leading zeros, no 第)
    cc: tuple[str, ...] = ()  # 抄送机关, in order

    def __post_init__(self) -> None:
        for where, problem in (
            ("--issuer-code", not self.code.strip() and "应为发文机关代字，如“示民”"),
            ("--doc-number", self.number < 1 and f"应为不小于 1 的发文顺序号，实际为 {self.number}"),
            ("--cc", any(not c.strip() for c in self.cc) and "抄送机关之间不能有空项"),
        ):
            if problem:
                raise BadInput.of(IssueCode.BAD_OPTION, Location(where), why=problem)


@dataclass(frozen=True)
class BuildOptions:
    date: dt.date | None = None  # 成文日期; default the period's end
    formats: tuple[str, ...] = FORMATS
    reference_docx: Path | None = None
    first_page: int = 1
    previous: Path | None = None  # an earlier build's folder: write changes.csv against its ledger
    inputs_digest: str | None = None  # recorded in the ledger: what the build was made from (batch.py)
    official: Official | None = None  # 版头 and 版记; None: neither (the default)

    def __post_init__(self) -> None:
        if self.first_page < 1:
            why = f"--first-page 应为不小于 1 的页码，实际为 {self.first_page}"
            raise BadInput.of(IssueCode.BAD_OPTION, Location("--first-page"), why=why)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, by role, and how its printed figures differ from `--previous` (None without it)."""

    docx: Path | None
    pdf: Path | None
    indicators: Path
    changes: Path | None
    ledger: Path
    figures: tuple[Path, ...] = ()  # the charts the documents embed, named by content
    changed: int | None = None  # printed figures that differ from the earlier build

    @property
    def files(self) -> list[Path]:
        return [p for p in (self.docx, self.pdf, self.indicators, self.changes, self.ledger) if p is not None]


def build_report(inputs: Inputs, template: str, period: Period, region: str | None, out_dir: Path,
                 options: BuildOptions = BuildOptions()) -> BuildResult:  # fmt: skip
    """Raises BadInput — for the data, an option, the template, its house style or a missing font — with a
    message naming what to fix."""
    earlier = read_ledger(options.previous) if options.previous is not None else None
    data = inputs.dataset
    code = region or default_region(inputs)
    check_scope(inputs, code, period)
    tpl = find_template(template)
    if tpl.kind != "report":
        why = f"模板“{tpl.name}”是 batch 写出的通报，不能用于生成一个区划的报告"
        raise BadInput.of(IssueCode.BAD_OPTION, Location("--template"), why=why)
    style = load_style(tpl.style)
    calc = Calculator(data)
    scope = {code, *data.regions.children_of(code)}
    results = check_targets(data, inputs.targets, period, calc, within=scope)
    report = ReportData(inputs, code, period, _dated(options.date or period.end), results, calc)
    text = render(tpl.folder, tpl.main, report.context(), data.rounding)
    with _writing(out_dir):
        return _write(report, tpl, style, text, out_dir, options, earlier)


def _write(report: ReportData, tpl: ReportTemplate, style: HouseStyle, text: str, out_dir: Path,
           options: BuildOptions, earlier: Entries | None) -> BuildResult:  # fmt: skip
    """Charts into figures/ (named by content), then the set of files into a stage, moved in when complete."""
    code, period, data = report.code, report.period, report.data
    blocks = number_headings(tuple(_parse(text, tpl, report, out_dir / "figures")), style.heading_numbers)
    if options.official is not None:
        blocks = official_blocks(blocks, options.official, tpl, style, report)
    region_name = data.regions[code].name
    title = next((b.text for b in blocks if isinstance(b, Title)), f"{region_name}{period.label}报告")
    head = tpl.running_head.format(region=region_name, year=period.year, next_year=period.year + 1)
    document = Document(blocks, report.date, title=title, running_head=head, first_page=options.first_page)
    name = file_name(title)  # a title may hold a dot (第3.1期): the suffix is added, never swapped in
    with staging(out_dir) as stage:
        docx, pdf = _documents(document, style, stage, name, options)
        indicators = _write_indicators(report, stage / "indicators.xlsx")
        entries = report.ledger.entries(document)
        changes = rows = None
        if earlier is not None:
            rows = changed_rows(earlier, by_key(entries))
            changes = write_changes(rows, stage / CHANGES_FILE)
        ledger = write_ledger(
            entries, stage / LEDGER_FILE, options.inputs_digest
        )  # last: the ledger describes the set moved in
        docx, pdf, indicators, changes, ledger = stage.move_in(docx, pdf, indicators, changes, ledger)
    figures = tuple(p for b in blocks if isinstance(b, Figure) for p in (b.svg, b.png))
    changed = None if rows is None else len(rows)
    return BuildResult(docx, pdf, indicators, changes, ledger, figures, changed)  # type: ignore[arg-type]


def official_blocks(blocks: tuple[Block, ...], official: Official, tpl: ReportTemplate, style: HouseStyle,
                    report: ReportData) -> tuple[Block, ...]:  # fmt: skip
    """The blocks between the 版头 (before the title) and the 版记 (after everything), from the template's
    [official] patterns; refused for a house style without a 红头 (the yearbook)."""
    if style.official is None:
        why = f"模板“{tpl.name}”的版式“{style.name}”没有红头和版记，不能用 --official"
        raise BadInput.of(IssueCode.BAD_OPTION, Location("--official"), why=why)
    fields = {"org": report.org, "code": official.code, "year": report.date.year, "n": official.number}
    marks = tpl.official
    cc = f"抄送：{'，'.join(official.cc)}。" if official.cc else ""
    head = Masthead(marks.issuer.format(**fields), marks.number.format(**fields))
    foot = Colophon(cc, marks.printer.format(**fields), f"{cn_date(report.date)}印发")
    return (head, *blocks, foot)


def _documents(document: Document, style: HouseStyle, stage: Stage, name: str,
               options: BuildOptions) -> tuple[Path | None, Path | None]:  # fmt: skip
    """The DOCX and the PDF of `--format`, written into the stage. Both follow one pagination: a figure the PDF
    moved or drew smaller is moved and sized so in the DOCX (its tables whole: Word breaks them itself)."""
    docx = pdf = None
    laid_out = lay_out(document, style)
    if "docx" in options.formats:
        arranged = replace(document, blocks=joined_tables(laid_out.document.blocks))
        docx = write_docx(arranged, style, stage / f"{name}.docx", options.reference_docx)
    if "pdf" in options.formats:
        pdf = write_pdf(document, style, stage / f"{name}.pdf", laid_out)
    return docx, pdf


def build_notice(inputs: Inputs, period: Period, codes: list[str], results: list[TargetResult],
                 unranked: Collection[str], out_dir: Path, options: BuildOptions = BuildOptions()) -> tuple[Path, ...]:  # fmt: skip
    """The 通报 of a batch: how `codes` did on their targets (`results`, the check 汇总.xlsx ranks too), the
    regions in `unranked` named and left out. Written into `out_dir` as `<title>.docx` and `.pdf`; nothing
    when no target applies."""
    data = inputs.dataset
    if not results:
        return ()
    tpl = find_template(NOTICE_TEMPLATE)
    style = load_style(tpl.style)
    date = _dated(options.date or period.end)
    text = render(
        tpl.folder, tpl.main, notice_context(data, results, codes, unranked, period, date), data.rounding
    )
    try:
        blocks = number_headings(tuple(parse(text, _no_charts)), style.heading_numbers)
    except MarkupError as exc:
        raise BadInput.of(IssueCode.BAD_TEMPLATE, Location(f"{tpl.name}/{tpl.main}"), why=exc) from None
    title = next(b.text for b in blocks if isinstance(b, Title))
    document = Document(blocks, date, title=title, first_page=options.first_page)
    with _writing(out_dir), staging(out_dir) as stage:
        written = _documents(document, style, stage, file_name(title), options)
        return tuple(p for p in stage.move_in(*written) if p is not None)


def _no_charts(name: str) -> tuple[Path, Path]:
    raise MarkupError(f'通报中不能有图（<figure chart="{name}"/>）')


def _dated(date: dt.date) -> dt.date:
    """The DOCX stamps its parts with the 成文日期, and a ZIP can only hold the years 1980–2107."""
    if not _DATES[0] <= date.year <= _DATES[1]:
        why = f"成文日期 {date.isoformat()} 超出可写入文档的范围（{_DATES[0]}—{_DATES[1]} 年）"
        raise BadInput.of(IssueCode.BAD_OPTION, Location("--date"), why=why)
    return date


@contextmanager
def _writing(out_dir: Path) -> Iterator[None]:
    """A file-system failure while writing (--out names a file, a read-only or full disk, a name too long)
    is the user's to fix: name the path and the reason, in Chinese, and exit 2."""
    if out_dir.exists() and not out_dir.is_dir():
        raise BadInput.of(IssueCode.BAD_OPTION, Location("--out"), why=f"{out_dir} 是一个文件，应为输出目录")
    try:
        yield
    except OSError as exc:
        why = f"无法写入 {exc.filename or out_dir}：{os_reason(exc)}"
        raise BadInput.of(IssueCode.BAD_OPTION, Location("--out"), why=why) from None


def _parse(text: str, tpl: ReportTemplate, report: ReportData, figures: Path) -> list[Block]:
    try:
        return parse(text, chart_drawer(tpl, report, figures))
    except MarkupError as exc:
        raise BadInput.of(IssueCode.BAD_TEMPLATE, Location(f"{tpl.name}/{tpl.main}"), why=exc) from None


def file_name(title: str) -> str:
    """Characters Windows forbids go; a title too long for a file name (255 bytes, with room for the
    temporary name) keeps its head and its tail — the region and the period — around an ellipsis."""
    name = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "", title) or "report"
    if len(name.encode("utf-8")) <= _NAME_BYTES:
        return name
    head, tail = name[:30], name[-20:]
    return f"{head}…{tail}"


def _write_indicators(report: ReportData, path: Path) -> Path:
    """Every indicator of the region and the regions under it, and every figure the report printed."""
    codes = [report.code, *report.data.regions.descendants(report.code)]
    rows = list(indicator_rows(report.inputs, report.period, codes, calc=report.calc))
    printed = [
        {k: v if isinstance(v, str) else "；".join(v) for k, v in asdict(f).items()}
        for f in report.ledger.figures
    ]
    columns = ("indicator", "name", "region", "period", "kind", "shown", "exact", "sources")
    sheets = [("指标", rows, (*COLUMNS, *EXTRA_COLUMNS)), ("报告引用", printed, columns)]
    return write_workbook(path, sheets, dated=report.date)
