"""Command line (DESIGN.md §6). Each command calls the library function a Python user would call.

Exit codes: 0 fine; 1 a target missed or a finding inconsistent; 2 bad input — data, an option, a template,
a missing font — printed as file/sheet/row/column lines with no traceback. Any other exception is a bug and
keeps its traceback.

A command imports what it uses when it runs: `--help` and `validate` never load matplotlib, WeasyPrint or
python-docx, so they answer at once.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:
    import datetime as dt

    from report_builder.batch import Outcome
    from report_builder.load import Inputs
    from report_builder.periods import Period

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="把民政统计表生成经过核对的中文工作报告（DOCX/PDF）。",
)

DataOption = Annotated[
    Path, typer.Option("--data", help="数据目录：regions.csv、事实表（CSV/XLSX）、targets.csv")
]
PeriodOption = Annotated[str, typer.Option("--period", help="统计期：2020Q3、2020-09 或 2020")]
TemplateOption = Annotated[
    str, typer.Option("--template", help="模板名（见 templates 命令）或模板文件夹路径")
]
DateOption = Annotated[str | None, typer.Option("--date", help="成文日期 YYYY-MM-DD，默认为统计期末")]
OutOption = Annotated[Path | None, typer.Option("--out", help="输出文件；xlsx 未指定时写到当前目录")]
TABLE_FORMATS = ("text", "csv", "json", "xlsx")
T = TypeVar("T")


@app.callback()
def _root() -> None:
    """把民政统计表生成经过核对的中文工作报告（DOCX/PDF）。"""


def _fail(text: str) -> typer.Exit:
    """Print the message (its 身份证号 masked, control characters escaped: it may quote an option or a file)."""
    from report_builder.issues import printable

    print(printable(text), file=sys.stderr)
    return typer.Exit(2)


def _exit_on_bad_input(step: Callable[[], T]) -> T:
    """Run one library step; BadInput (anything the user must fix) is printed and ends the command with 2."""
    from report_builder.issues import BadInput

    try:
        return step()
    except BadInput as bad:
        raise _fail(bad.report.to_text()) from None


def load_or_exit(data_dir: Path, by_region: bool = False) -> Inputs:
    """Load the data folder once; on bad input print every problem and exit 2 (`by_region`: see load_inputs)."""
    from report_builder.issues import ValidationReport
    from report_builder.load import load_inputs

    inputs = _exit_on_bad_input(lambda: load_inputs(data_dir, by_region=by_region))
    if inputs.warnings:
        print(ValidationReport(inputs.warnings).to_text(), file=sys.stderr)
    return inputs


@app.command()
def validate(data: DataOption) -> None:
    """检查数据目录：列出所有错误和警告；有错误时退出码为 2。"""
    dataset = load_or_exit(data).dataset
    periods = dataset.periods()
    span = f"{periods[0]}—{periods[-1]}" if periods else "无"
    print(f"数据可用：{len(dataset.regions.regions)} 个区划，{len(dataset.facts)} 条记录，统计期 {span}。")


def _date(text: str | None) -> dt.date | None:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise _fail(f"--date 应为 YYYY-MM-DD，实际为“{text}”") from None


def _period(text: str) -> Period:
    from report_builder.periods import Period

    try:
        return Period.parse(text)
    except ValueError as exc:
        raise _fail(f"--period：{exc}") from None


def _prepare(period: str, data: Path, fmt: str) -> tuple[Period, Inputs]:
    """The options every table command shares, checked before the data folder is read."""
    when = _period(period)
    if fmt not in TABLE_FORMATS:
        raise _fail(f"--format 应为 {'、'.join(TABLE_FORMATS)} 之一")
    return when, load_or_exit(data)


def _region(inputs: Inputs, code: str | None) -> None:
    if code is not None and code not in inputs.dataset.regions:
        raise _fail(f"--region：区划代码“{code}”不在 regions.csv 中")


def _emit(
    rows: list[dict[str, str]],
    columns: tuple[str, ...],
    fmt: str,
    out: Path | None,
    default_name: str,
    sheet: str,
    highlight: Callable[[dict[str, str]], bool] = lambda row: False,
) -> None:
    """Print or write rows in the chosen format; text goes to the terminal as a table."""
    from report_builder.files import atomic_write, os_reason
    from report_builder.render.spreadsheet import to_csv, to_json, write_xlsx

    if fmt != "xlsx" and out is None:
        sys.stdout.write(to_csv(rows, columns) if fmt == "csv" else to_json(rows))
        return
    path = out or Path(default_name)
    try:
        if fmt == "xlsx":
            write_xlsx(path, rows, columns, sheet, highlight)
        else:
            text = to_csv(rows, columns) if fmt == "csv" else to_json(rows)
            atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OSError as exc:
        raise _fail(f"无法写入 {exc.filename or path}：{os_reason(exc)}") from None
    print(f"已写入 {path}")


def _print_table(rows: list[dict[str, str]], columns: dict[str, str], title: str) -> None:
    """Cells are Text, not markup: a region named "[bold]…" or "[/]" is printed as it is written."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from report_builder.issues import printable

    table = Table(title=title, show_lines=False)
    for header in columns.values():
        table.add_column(header)
    for row in rows:
        table.add_row(*(Text(printable(row[key] or ("—" if key == "value" else ""))) for key in columns))
    Console(width=max(120, Console().width)).print(table)


@app.command()
def indicators(
    data: DataOption,
    period: PeriodOption,
    region: Annotated[str | None, typer.Option("--region", help="只输出该区划及其下级")] = None,
    level: Annotated[
        str, typer.Option("--level", help="层级：省/市/县/乡/村（或 city/county/township），all 为全部")
    ] = "all",
    fmt: Annotated[str, typer.Option("--format", help="text | csv | json | xlsx")] = "text",
    ytd: Annotated[bool, typer.Option("--ytd", help="累计口径：流量字段从1月累计到统计期末")] = False,
    out: OutOption = None,
) -> None:
    """计算各级区划的指标（分子分母先汇总再相除）。"""
    from report_builder.regions import Level
    from report_builder.report.rows import COLUMNS, EXTRA_COLUMNS, indicator_rows, regions_in_scope
    from report_builder.report.scope import check_scope

    when, inputs = _prepare(period, data, fmt)
    _exit_on_bad_input(lambda: check_scope(inputs, region, when))
    try:
        wanted = None if level == "all" else Level.parse(level)
    except ValueError as exc:
        raise _fail(f"--level：{exc}") from None
    codes = regions_in_scope(inputs.dataset, region, wanted)
    rows = list(indicator_rows(inputs, when, codes, ytd, changes=fmt != "csv"))
    if fmt == "text":
        shown = {
            "region_name": "区划",
            "name": "指标",
            "value": "数值",
            "unit": "单位",
            "yoy": "同比",
            "mom": "环比",
        }
        _print_table(rows, shown, f"{when.ytd_label if ytd else when.label}指标")
        return
    columns = COLUMNS if fmt == "csv" else (*COLUMNS, *EXTRA_COLUMNS)
    _emit(rows, columns, fmt, out, f"indicators-{when}.xlsx", "指标")


@app.command()
def check(
    data: DataOption,
    period: PeriodOption,
    targets: Annotated[
        Path | None, typer.Option("--targets", help="目标文件，默认为数据目录下的 targets.csv")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text | csv | json | xlsx")] = "text",
    out: OutOption = None,
) -> None:
    """对照目标检查指标：全部达标退出码 0，有未达标 1，输入有误 2。"""
    from report_builder.report.rows import CHECK_COLUMNS, result_rows
    from report_builder.report.scope import check_scope
    from report_builder.targets.check import Status, check_targets

    when, inputs = _prepare(period, data, fmt)
    _exit_on_bad_input(lambda: check_scope(inputs, None, when))
    if targets is not None:
        inputs = _exit_on_bad_input(lambda: inputs.with_targets(targets))
    elif not inputs.targets:
        raise _fail(f"数据目录 {data} 中没有目标（targets.csv）；请用 --targets 指定目标文件")
    results = check_targets(inputs.dataset, inputs.targets, when)
    rows = result_rows(inputs.dataset, results)
    if fmt == "text":
        shown = {"region_name": "区划", "name": "指标", "value": "实际", "target": "目标", "status": "状态",
                 "gap": "差距", "note": "说明"}  # fmt: skip
        _print_table(rows, shown, f"{when.label}目标完成情况")
        met = sum(r.status is Status.MET for r in results)
        print(f"共 {len(results)} 项，达标 {met} 项，未达标或无法判断 {len(results) - met} 项。")
    else:
        _emit(
            rows,
            CHECK_COLUMNS,
            fmt,
            out,
            f"check-{when}.xlsx",
            "目标完成情况",
            highlight=lambda row: row["status"] != Status.MET,
        )
    if any(r.status is not Status.MET for r in results):
        raise typer.Exit(1)


@app.command()
def build(
    data: DataOption,
    period: PeriodOption,
    template: TemplateOption = "quarterly",
    region: Annotated[
        str | None, typer.Option("--region", help="报告区划代码；数据只含一个县时可省略")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="输出目录")] = Path("out"),
    date: DateOption = None,
    reference_docx: Annotated[
        Path | None, typer.Option("--reference-docx", help="用其样式替换默认样式的 .docx")
    ] = None,
    formats: Annotated[str, typer.Option("--format", help="docx,pdf 中的一个或两个，逗号分隔")] = "docx,pdf",
    first_page: Annotated[int, typer.Option("--first-page", help="起始页码")] = 1,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", help="此前一次生成的输出目录：对比其 manifest.json，写出 changes.csv"),
    ] = None,
    official: Annotated[
        bool, typer.Option("--official", help="按上报公文排印：红色发文机关标志、发文字号、红色分隔线和版记")
    ] = False,
    issuer_code: Annotated[
        str | None, typer.Option("--issuer-code", help="机关代字，如 示民（--official）")
    ] = None,
    doc_number: Annotated[
        int | None, typer.Option("--doc-number", help="发文顺序号，如 12（--official）")
    ] = None,
    cc: Annotated[str | None, typer.Option("--cc", help="抄送机关，逗号分隔（--official，可省略）")] = None,
) -> None:
    """生成报告：DOCX 和 PDF，另附 indicators.xlsx（报告所用全部数字）和 manifest.json。"""
    from report_builder.issues import printable
    from report_builder.pipeline import FORMATS, BuildOptions, Official, build_report

    when = _period(period)
    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    if not chosen or set(chosen) - set(FORMATS):
        raise _fail(f"--format 应为 {','.join(FORMATS)} 中的一个或多个")
    on = _date(date)
    if reference_docx is not None and not reference_docx.is_file():
        raise _fail(f"--reference-docx：找不到文件 {reference_docx}")
    marks = _official(official, issuer_code, doc_number, cc)
    inputs = load_or_exit(data)
    options = _exit_on_bad_input(
        lambda: BuildOptions(
            on, chosen, reference_docx, first_page, previous, official=marks and Official(*marks)
        )
    )
    result = _exit_on_bad_input(lambda: build_report(inputs, template, when, region, out, options))
    for path in result.files:
        print(printable(f"已写入 {path}"))  # the file is named for the report's title: the data's region name
    if result.changes is not None:
        print(
            f"与 {previous} 相比，有 {result.changed} 个数字发生变化，详见 {result.changes}。"
            if result.changed
            else f"与 {previous} 相比，数字没有变化。"
        )


def _official(
    on: bool, code: str | None, number: int | None, cc: str | None
) -> tuple[str, int, tuple[str, ...]] | None:
    """--official's parts: --issuer-code and --doc-number required with it, none of them without it."""
    given = [
        name for name, v in (("--issuer-code", code), ("--doc-number", number), ("--cc", cc)) if v is not None
    ]
    if not on:
        if given:
            raise _fail(f"{'、'.join(given)} 只与 --official 一起使用")
        return None
    if code is None or number is None:
        raise _fail("--official 需要 --issuer-code（机关代字，如 示民）和 --doc-number（发文顺序号，如 12）")
    return code, number, tuple(c.strip() for c in re.split("[,，]", cc)) if cc else ()


@app.command()
def batch(
    data: DataOption,
    period: PeriodOption,
    template: TemplateOption = "quarterly",
    level: Annotated[
        str, typer.Option("--level", help="county | township | city：为哪一级的每个区划生成报告")
    ] = "county",
    under: Annotated[str | None, typer.Option("--under", help="只生成此区划代码之下的区划")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", help="并行进程数，默认为 CPU 核数")] = None,
    out: Annotated[
        Path, typer.Option("--out", help="输出目录：每个区划一个 <代码>-<名称>/，另有 汇总.xlsx")
    ] = Path("out"),
    force: Annotated[bool, typer.Option("--force", help="输入未变的区划也重新生成")] = False,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask 调度器地址（tcp://主机:端口）：在集群上生成，文件写回本机"),
    ] = None,
    date: DateOption = None,
) -> None:
    """为某一级的每个区划生成报告，并写出 汇总.xlsx（生成情况、目标完成情况）和目标任务完成情况通报：全部成功退出码 0，有失败 2。

    一个区划的数据有误（如乡镇合计与县上报数不符），只有该区划失败，其余照常生成。"""

    from report_builder.batch import LEVELS, Batch, State, regions_at, run_batch, write_results
    from report_builder.issues import printable
    from report_builder.pipeline import BuildOptions

    when, on = _period(period), _date(date)
    if level not in LEVELS:
        raise _fail(f"--level 应为 {' | '.join(LEVELS)}，实际为“{level}”")
    if jobs is not None and jobs < 1:
        raise _fail(f"--jobs 应为不小于 1 的整数，实际为 {jobs}")
    inputs = load_or_exit(data, by_region=True)
    codes = _exit_on_bad_input(lambda: regions_at(inputs, LEVELS[level], under))
    options = _exit_on_bad_input(lambda: BuildOptions(date=on))
    work = Batch(inputs, template, when, out, options, force)
    with _progress(len(codes)) as done:
        outcomes = _exit_on_bad_input(lambda: run_batch(work, codes, data, jobs or _cores(), scheduler, done))
    summary, notices = _exit_on_bad_input(lambda: write_results(work, codes, outcomes))
    for path in notices:
        print(printable(f"已写入通报 {path}"))
    counts = {state: sum(o.state is state for o in outcomes) for state in State}
    print(f"共 {len(outcomes)} 个区划：生成 {counts[State.BUILT]} 个，未变跳过 {counts[State.SKIPPED]} 个，"
          f"失败 {counts[State.FAILED]} 个。汇总见 {summary}")  # fmt: skip
    if counts[State.FAILED]:
        raise typer.Exit(2)


def _cores() -> int:
    """The cores this process may run on (a container's cpuset, not the host's count)."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def _progress(total: int) -> Iterator[Callable[[Outcome], None]]:
    """On a terminal, a bar (done, failed, time left) with each failure printed above it; otherwise one line
    per region, for logs and for tests."""
    from report_builder.batch import State

    def line(outcome: Outcome) -> str:
        return f"{outcome.state}\t{outcome.code} {outcome.name}" + (
            f"\n{outcome.message}" if outcome.message else ""
        )

    if not sys.stdout.isatty():
        yield lambda outcome: print(line(outcome), flush=True)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("生成报告"), BarColumn(), MofNCompleteColumn(), TextColumn("失败 {task.fields[failed]}"),
               TextColumn("剩余"), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=Console()) as bar:
        task = bar.add_task("batch", total=total, failed=0)
        failed = 0

        def done(outcome: Outcome) -> None:
            nonlocal failed
            if outcome.state is State.FAILED:
                failed += 1
                bar.console.print(line(outcome), markup=False, highlight=False)
            bar.update(task, advance=1, failed=failed)

        yield done


@app.command()
def audit(
    file: Annotated[Path, typer.Argument(help="要核对的报告：.txt、.md、.docx、.xlsx 或 .pdf")],
    data: Annotated[Path | None, typer.Option("--data", help="数据目录：另将文中数字与数据核对")] = None,
    period: Annotated[str | None, typer.Option("--period", help="与 --data 同用：报告的统计期")] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="与 --data 同用：报告的区划，默认为数据中的县")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text | json")] = "text",
) -> None:
    """核对报告中的数字关系（合计、比率、换算、增减）：全部一致退出码 0，有不一致 1，无法读取 2。"""
    from report_builder.audit.against_data import DataLookup
    from report_builder.audit.findings import Verdict, to_text
    from report_builder.audit.run import audit_file
    from report_builder.render.spreadsheet import to_json
    from report_builder.report.scope import default_region

    if fmt not in ("text", "json"):
        raise _fail("--format 应为 text 或 json")
    if (data is None) != (period is None):
        raise _fail("--data 与 --period 须同时给出")
    lookup = None
    if data is not None and period is not None:
        when = _period(period)
        inputs = load_or_exit(data)
        code = region or _exit_on_bad_input(lambda: default_region(inputs))
        _region(inputs, code)
        lookup = DataLookup(inputs, code, when)
    findings = _exit_on_bad_input(lambda: audit_file(file, lookup))
    if fmt == "json":
        sys.stdout.write(to_json([f.to_json() for f in findings]))
    else:
        print(to_text(findings))
    if any(f.verdict is Verdict.INCONSISTENT for f in findings):
        raise typer.Exit(1)


CHANGE_COLUMNS = {
    "region_code": "区划代码",
    "region_name": "区划",
    "category": "保障类别",
    "households_added": "新增户数",
    "persons_added": "新增人数",
    "households_exited": "退出户数",
    "persons_exited": "退出人数",
    "exit_reasons": "退出原因",
}


@app.command()
def changes(
    data: DataOption,
    start: Annotated[str, typer.Option("--from", help="起始统计期，如 2020Q2")],
    end: Annotated[str, typer.Option("--to", help="截止统计期，如 2020Q3")],
    fmt: Annotated[str, typer.Option("--format", help="text | csv | xlsx")] = "text",
    out: OutOption = None,
) -> None:
    """按乡镇和保障类别统计两期花名册之间的新增、退出户数人数及退出原因。"""
    from report_builder.indicators.changes import changes_between

    if fmt not in ("text", "csv", "xlsx"):
        raise _fail("--format 应为 text、csv、xlsx 之一")
    before, after = _period(start), _period(end)
    inputs = load_or_exit(data)
    regions = inputs.dataset.regions
    try:
        found = changes_between(inputs.rosters, regions, before, after).changes
    except ValueError as exc:
        raise _fail(f"{exc}（--from {before} --to {after}）") from None
    rows = [
        {
            "region_code": c.region,
            "region_name": regions[c.region].name,
            "category": c.category,
            "households_added": str(c.households_added),
            "persons_added": str(c.persons_added),
            "households_exited": str(c.households_exited),
            "persons_exited": str(c.persons_exited),
            "exit_reasons": "；".join(f"{reason}{n}人" for reason, n in c.reasons),
        }
        for c in found
    ]
    if fmt == "text":
        _print_table(rows, CHANGE_COLUMNS, f"{before.label}至{after.label}新增和退出")
        return
    _emit(rows, tuple(CHANGE_COLUMNS), fmt, out, f"changes-{before}-{after}.xlsx", "新增退出")


@app.command()
def templates() -> None:
    """列出可用的报告模板。"""
    from report_builder.issues import printable
    from report_builder.report.template_folder import list_templates

    for tpl in _exit_on_bad_input(list_templates):
        print(printable(f"{tpl.name}\t{tpl.description}"))


@app.command()
def serve(
    data: Annotated[
        Path | None, typer.Option("--data", help="页面上可直接使用的数据目录（也可在页面上传）")
    ] = None,
    host: Annotated[str, typer.Option("--host", help="监听地址；非本机地址须同时给出 --token")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
    token: Annotated[str | None, typer.Option("--token", help="访问令牌：每个请求都须带上")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器")] = False,
    allow_templates: Annotated[
        bool, typer.Option("--allow-templates", help="允许使用上传数据中的模板（默认只用自带模板）")
    ] = False,
) -> None:
    """在本机浏览器中使用：上传数据表，查看问题和指标，生成并下载报告，核对报告。"""
    try:
        from report_builder.web.server import serve as run
    except ModuleNotFoundError as exc:
        raise _fail(f"serve 需要网页组件（缺少 {exc.name}）：pip install 'report_builder[web]'") from None
    _exit_on_bad_input(lambda: run(host, port, token, data, not no_browser, allow_templates))


def main() -> None:  # pragma: no cover - entry point for `python -m report_builder`
    app()
