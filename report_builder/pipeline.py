"""Build one region's report: load → compute → check → render → write, readable on one screen.

`build_report` is a pure function of its arguments (data folder, template, period, region, options) → files:
no global state, so a batch can map it over regions in a process pool.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from report_builder.dataset import Dataset
from report_builder.export import atomic_write, to_csv, write_workbook
from report_builder.indicators.compute import Calculator
from report_builder.indicators.table import COLUMNS, EXTRA_COLUMNS, indicator_rows
from report_builder.issues import BadInput, Issue, IssueCode, Location, ValidationReport
from report_builder.load import TARGETS_NAME, load_data
from report_builder.periods import Period
from report_builder.regions import Level
from report_builder.render.document import Document, Title, number_headings
from report_builder.render.docx_writer import write_docx
from report_builder.render.markup import parse
from report_builder.render.pdf_writer import write_pdf
from report_builder.render.style import load_style
from report_builder.render.templates import render
from report_builder.report.charts import draw
from report_builder.report.context import ReportData
from report_builder.report.templates import find_template
from report_builder.targets.check import TargetResult, check_targets
from report_builder.targets.definitions import read_targets

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class BuildOptions:
    date: dt.date | None = None  # 成文日期; default the period's end
    formats: tuple[str, ...] = FORMATS
    reference_docx: Path | None = None
    first_page: int = 1
    previous: Path | None = None  # an earlier build's folder: write changes.csv against its manifest.json


def build_report(data_dir: Path, template: str, period: Period, region: str | None, out_dir: Path,
                 options: BuildOptions = BuildOptions()) -> list[Path]:  # fmt: skip
    """Returns the files written. Raises BadInput (data, targets), ValueError (template, style), TemplateProblem,
    MarkupError or FontProblem — each with a message naming what to fix."""
    earlier = read_manifest(options.previous) if options.previous is not None else None
    data = load_data(data_dir)
    code = region or default_region(data)
    _check_scope(data, code, period)
    tpl = find_template(template)
    style = load_style(tpl.style)
    date = options.date or period.end
    calc = Calculator(data)
    report = ReportData(data, code, period, date, _results(data, data_dir, period, code, calc), calc)
    text = render(tpl.folder, tpl.main, report.context(), data.rounding)
    figures = out_dir / "figures"
    blocks = number_headings(
        tuple(parse(text, lambda name: _chart(name, report, figures))), style.heading_numbers
    )
    title = next(
        (b.text for b in blocks if isinstance(b, Title)), f"{data.regions[code].name}{period.label}报告"
    )
    head = tpl.running_head.format(
        region=data.regions[code].name, year=period.year, next_year=period.year + 1
    )
    document = Document(blocks, date, title=title, running_head=head, first_page=options.first_page)
    stem = out_dir / _file_name(title)
    written = []
    if "docx" in options.formats:
        written.append(write_docx(document, style, stem.with_suffix(".docx"), options.reference_docx))
    if "pdf" in options.formats:
        written.append(write_pdf(document, style, stem.with_suffix(".pdf")))
    written.append(_write_indicators(report, out_dir / "indicators.xlsx"))
    written.append(_write_manifest(report, document, out_dir / "manifest.json"))
    if earlier is not None:
        written.append(write_changes(earlier, read_manifest(out_dir), out_dir / "changes.csv"))
    return written


def default_region(data: Dataset) -> str:
    """The one county the data cover; otherwise the user must say which region."""
    covered = [c for c, r in data.regions.regions.items() if r.level is Level.县 and _covered(data, c)]
    if len(covered) == 1:
        return covered[0]
    roots = data.regions.roots()
    if len(roots) == 1 and not covered:
        return roots[0]
    names = "、".join(f"{c}（{data.regions[c].name}）" for c in covered or roots)
    raise _bad("--region", f"数据包含多个县级区划，请用 --region 指定：{names}")


def _bad(where: str, why: str) -> BadInput:
    return BadInput(ValidationReport((Issue.make(IssueCode.BAD_CONFIG, Location(where), why=why),)))


def _check_scope(data: Dataset, code: str, period: Period) -> None:
    """A report needs a region the data know and data in its period, or it would be a page of "—"."""
    if code not in data.regions:
        raise _bad("--region", f"区划代码“{code}”不在 regions.csv 中")
    if not any(p == period or period.contains(p) for p in data.periods() if data.covers(code, p)):
        have = "、".join(str(p) for p in data.periods()[-4:])
        raise _bad(
            "--period", f"数据中没有{data.regions[code].name}{period.label}的数据（最近的统计期：{have}）"
        )


def _covered(data: Dataset, code: str) -> bool:
    return any(data.covers(code, p) for p in data.periods()[-1:])


def _results(
    data: Dataset, data_dir: Path, period: Period, code: str, calc: Calculator
) -> list[TargetResult]:
    path = data_dir / TARGETS_NAME
    if not path.exists():
        return []
    *issues, targets = read_targets(path, data)
    if issues:
        raise BadInput(ValidationReport(tuple(issues)))  # type: ignore[arg-type]
    scope = {code, *data.regions.children_of(code)}
    return check_targets(data, targets, period, calc, within=scope)  # type: ignore[arg-type]


def _chart(name: str, report: ReportData, folder: Path) -> tuple[Path, Path]:
    files = draw(name, report, folder)
    return files.svg, files.png


def _file_name(title: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "", title) or "report"


def _write_indicators(report: ReportData, path: Path) -> Path:
    """Every indicator of the region and the regions under it, and every figure the report printed."""
    data = report.data
    codes = [report.code, *data.regions.descendants(report.code)]
    rows = list(indicator_rows(data, report.period, codes, calc=report.calc))
    printed = [
        {k: v if isinstance(v, str) else "；".join(v) for k, v in asdict(f).items()}
        for f in report.manifest.figures
    ]
    columns = ("indicator", "name", "region", "period", "kind", "shown", "exact", "sources")
    return write_workbook(path, [("指标", rows, (*COLUMNS, *EXTRA_COLUMNS)), ("报告引用", printed, columns)])


def _write_manifest(report: ReportData, document: Document, path: Path) -> Path:
    """Each printed figure with the first block (after the previous figure's) where its text appears."""
    texts = [t for t in document.text_blocks()]
    entries, start = [], 0
    for f in report.manifest.figures:
        where = next((i for i in range(start, len(texts)) if f.shown in texts[i]), None)
        if where is None:
            where = next((i for i, t in enumerate(texts) if f.shown in t), None)
        entries.append({**asdict(f), "sources": list(f.sources), "block": where})
        start = where or start
    text = json.dumps(entries, ensure_ascii=False, indent=1) + "\n"
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


CHANGE_COLUMNS = ("figure", "indicator", "region", "period", "kind", "old", "new")


Manifest = dict[tuple[str, str, str, str], dict[str, str]]


def read_manifest(folder: Path) -> Manifest:
    """An earlier build's printed figures by (indicator, region, period, kind). Raises ValueError when absent."""
    path = folder / "manifest.json"
    if not path.exists():
        raise ValueError(f"--previous：{folder} 中没有 manifest.json（应为此前一次生成的输出目录）")
    entries = json.loads(path.read_text(encoding="utf-8"))
    return {(e["indicator"], e["region"], e["period"], e["kind"]): e for e in entries}


def write_changes(old: Manifest, new: Manifest, path: Path) -> Path:
    """changes.csv: every printed figure whose shown value differs between two builds (or that appears in only
    one), so an editor sees what revised data changed."""
    rows = []
    for key in [*new, *(k for k in old if k not in new)]:
        before, after = old.get(key, {}).get("shown", ""), new.get(key, {}).get("shown", "")
        if before != after:
            entry = new.get(key) or old[key]
            rows.append({"figure": f"{entry['name']}（{entry['region']}，{entry['period']}，{entry['kind']}）",
                         "indicator": key[0], "region": key[1], "period": key[2], "kind": key[3],
                         "old": before, "new": after})  # fmt: skip
    return atomic_write(path, lambda tmp: tmp.write_text(to_csv(rows, CHANGE_COLUMNS), encoding="utf-8"))
