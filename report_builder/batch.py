"""Every region of one level in one command: the inputs loaded once, one `build_report` per region in a pool of
worker processes, a failure kept to its region, and a region whose outputs are still those of its inputs skipped.

Why it is built this way:
- `build_report` is a pure function of plain data, so a worker receives the loaded inputs once (its initializer)
  and then only a region code per job; what comes back is an `Outcome`, plain data too.
- Each worker pays the imports, fonts and matplotlib start-up once, not once per region.
- A region is skipped when the ledger in its folder records the digest it would be built from now: the data
  folder's files, the template folder, the code of this package, the period, the region and the options. Any
  change to one of them rebuilds; `--force` rebuilds regardless.
- The summary (汇总.xlsx) takes its figures from the same target check the reports print.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from report_builder.dataset import Dataset
from report_builder.files import digest
from report_builder.indicators.compute import Calculator
from report_builder.issues import BadInput, IssueCode, Location, printable
from report_builder.load import Inputs
from report_builder.periods import Period
from report_builder.pipeline import BuildOptions, build_notice, build_report, file_name
from report_builder.regions import Level
from report_builder.render.spreadsheet import write_workbook
from report_builder.report.ledger import ledger_inputs
from report_builder.report.ranking import rank
from report_builder.report.rows import regions_in_scope
from report_builder.report.template_folder import find_template
from report_builder.targets.check import Status, TargetResult, check_targets

LEVELS = {"county": Level.县, "township": Level.乡, "city": Level.市}
SUMMARY_FILE = "汇总.xlsx"
_PACKAGE = Path(__file__).resolve().parent


class State(StrEnum):
    BUILT = "成功"
    SKIPPED = "未变，跳过"
    FAILED = "失败"


@dataclass(frozen=True)
class Outcome:
    """What became of one region: plain data, so it crosses back from a worker process."""

    code: str
    name: str
    state: State
    message: str = ""
    files: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class Batch:
    """What to build: the regions, where, and from what."""

    inputs: Inputs
    template: str
    period: Period
    out: Path
    options: BuildOptions = field(default_factory=BuildOptions)
    force: bool = False


def regions_at(inputs: Inputs, level: Level, under: str | None) -> list[str]:
    """The regions of `level`, in tree order, under `under` when given. BadInput for an unknown code or none."""
    data = inputs.dataset
    if under is not None and under not in data.regions:
        raise BadInput.of(
            IssueCode.BAD_OPTION, Location("--under"), why=f"区划代码 {under} 不在 regions.csv 中"
        )
    codes = regions_in_scope(data, under, level)
    if not codes:
        where = f"{data.regions[under].name}（{under}）之下" if under else "数据中"
        raise BadInput.of(IssueCode.BAD_OPTION, Location("--level"), why=f"{where}没有{level.name}级区划")
    return codes


def run_batch(batch: Batch, codes: list[str], data_folder: Path, jobs: int,
              done: Callable[[Outcome], None] = lambda outcome: None) -> list[Outcome]:  # fmt: skip
    """Build every region; `done` hears of each as it ends. Outcomes come back in the order of `codes`."""
    base = _base_digest(batch, data_folder)
    work = [(code, _folder(batch, code), _region_digest(base, code)) for code in codes]
    outcomes: dict[str, Outcome] = {}
    for outcome in _outcomes(batch, work, jobs):
        outcomes[outcome.code] = outcome
        done(outcome)
    return [outcomes[code] for code in codes]


def _outcomes(batch: Batch, work: list[tuple[str, Path, str]], jobs: int) -> Iterator[Outcome]:
    if jobs <= 1 or len(work) <= 1:
        _start_worker(batch)
        yield from (_build(*job) for job in work)
        return
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(work)), initializer=_start_worker, initargs=(batch,)
    ) as pool:
        futures = [pool.submit(_build, *job) for job in work]
        for future in as_completed(futures):
            yield future.result()


_BATCH: Batch | None = None  # the worker's copy, set once by its initializer


def _start_worker(batch: Batch) -> None:
    """Once per worker: keep the inputs, and pay for the template and the chart font before the first job."""
    global _BATCH
    _BATCH = batch
    from report_builder.render.charts import cjk_font

    try:
        find_template(batch.template)
        cjk_font()
    except BadInput:
        pass  # each job reports it, located, as its own failure


def _build(code: str, folder: Path, inputs_digest: str) -> Outcome:
    batch = _BATCH
    assert batch is not None, "a job ran in a worker whose initializer did not"
    name = batch.inputs.dataset.regions[code].name
    start = time.perf_counter()
    if not batch.force and ledger_inputs(folder) == inputs_digest:
        return Outcome(code, name, State.SKIPPED, files=_listed(folder))
    options = replace(batch.options, inputs_digest=inputs_digest)
    try:
        result = build_report(batch.inputs, batch.template, batch.period, code, folder, options)
    except BadInput as bad:
        return Outcome(code, name, State.FAILED, bad.report.to_text(), seconds=time.perf_counter() - start)
    except Exception as exc:
        message = printable(f"内部错误，请报告此问题：{type(exc).__name__}: {exc}")
        return Outcome(code, name, State.FAILED, message, seconds=time.perf_counter() - start)
    files = tuple(str(p.relative_to(batch.out)) for p in result.files)
    return Outcome(code, name, State.BUILT, files=files, seconds=time.perf_counter() - start)


def _listed(folder: Path) -> tuple[str, ...]:
    return tuple(sorted(str(p.relative_to(folder.parent)) for p in folder.iterdir() if p.is_file()))


def _folder(batch: Batch, code: str) -> Path:
    return batch.out / file_name(f"{code}-{batch.inputs.dataset.regions[code].name}")


def _base_digest(batch: Batch, data_folder: Path) -> str:
    tpl = find_template(batch.template)
    options = replace(batch.options, previous=None, inputs_digest=None)
    parts = [digest(data_folder), digest(tpl.folder), digest(_PACKAGE), str(batch.period), repr(options)]
    if batch.options.reference_docx is not None:
        parts.append(digest(batch.options.reference_docx))
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _region_digest(base: str, code: str) -> str:
    return hashlib.sha256(f"{base}\0{code}".encode()).hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# The summary


BUILD_COLUMNS = ("代码", "名称", "结果", "说明", "输出文件", "用时（秒）")
TARGET_COLUMNS = ("指标", "代码", "名称", "实际值", "目标", "结果", "差距", "排名")


def write_summary(batch: Batch, codes: list[str], outcomes: list[Outcome]) -> Path:
    """汇总.xlsx: 生成情况 (one row per region) and 目标完成情况 (region × target, worst first, misses red)."""
    built = [{
        "代码": o.code, "名称": o.name, "结果": str(o.state), "说明": o.message, "输出文件": "；".join(o.files),
        "用时（秒）": f"{o.seconds:.1f}",
    } for o in outcomes]  # fmt: skip
    data = batch.inputs.dataset
    results = check_targets(data, batch.inputs.targets, batch.period, Calculator(data), within=set(codes))
    ranked = _ranked([r for r in results if r.region in set(codes)], data)
    sheets = [("生成情况", built, BUILD_COLUMNS), ("目标完成情况", ranked, TARGET_COLUMNS)]
    return write_workbook(batch.out / SUMMARY_FILE, sheets, highlight=lambda row: row.get("结果") in _MISSES)


def write_notice(batch: Batch, codes: list[str], outcomes: list[Outcome]) -> tuple[Path, ...]:
    """The 通报 beside 汇总.xlsx (pipeline.build_notice): the same ranking, the failed regions left out."""
    failed = [o.code for o in outcomes if o.state is State.FAILED]
    return build_notice(batch.inputs, batch.period, codes, failed, batch.out, batch.options)


_MISSES = {str(State.FAILED), str(Status.MISSED), str(Status.UNKNOWN)}


def _ranked(results: list[TargetResult], data: Dataset) -> list[dict[str, str]]:
    """The ranking (report.ranking, the one the 通报 prints) as rows of the 目标完成情况 sheet."""
    return [{
        "指标": t.name, "代码": t.region_code, "名称": t.region, "实际值": t.value, "目标": t.target,
        "结果": t.status, "差距": t.gap, "排名": "" if t.rank is None else str(t.rank),
    } for ranking in rank(results, data) for t in ranking.lines]  # fmt: skip
