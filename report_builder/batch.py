"""Every region of one level in one command: the inputs loaded once, one `build_report` per region in a pool of
worker processes or on a Dask cluster, a failure kept to its region, and a region whose outputs are still those
of its inputs skipped.

Why it is built this way:
- `make_region` is a pure function of plain data — (inputs, region) → the files' bytes — so a worker receives
  the loaded inputs once (a pool's initializer, or Dask's scatter) and then only a region code per job. The
  writing stays in this process, staged and moved in: a cluster needs no shared disk, and nothing half-written
  is left under a final name.
- Each worker pays the imports, fonts and matplotlib start-up once, not once per region.
- An error in the data refuses only the regions on its line of the tree (load/attribution.py); a worker that
  dies fails its regions, never the batch.
- A region is skipped when the ledger in its folder records the digest it would be built from now: the data
  folder's files, the template folder, the code of this package, the period, the region and the options. Any
  change to one of them rebuilds; `--force` rebuilds regardless.
- The summary (汇总.xlsx) and the 通报 take their figures from the same target check the reports print, through
  one ranking (report/ranking.py).
"""

from __future__ import annotations

import gc
import hashlib
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from report_builder.dataset import Dataset
from report_builder.files import digest, os_reason, staging
from report_builder.indicators.compute import Calculator
from report_builder.issues import BadInput, IssueCode, Location, ValidationReport, printable
from report_builder.load import Inputs
from report_builder.periods import Period
from report_builder.pipeline import BuildOptions, build_notice, build_report, file_name
from report_builder.regions import Level
from report_builder.render.spreadsheet import write_workbook
from report_builder.report.ledger import ledger_inputs
from report_builder.report.ranking import rank
from report_builder.report.rows import regions_in_scope
from report_builder.report.target_lines import target_line
from report_builder.report.template_folder import find_template
from report_builder.targets.check import Status, TargetResult, check_targets

if TYPE_CHECKING:
    from distributed import Future as DaskFuture

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


Made = tuple[Outcome, tuple[tuple[str, bytes], ...]]  # what a worker hands back: the outcome and the files


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


def run_batch(batch: Batch, codes: list[str], data_folder: Path, jobs: int, scheduler: str | None = None,
              done: Callable[[Outcome], None] = lambda outcome: None) -> list[Outcome]:  # fmt: skip
    """Build every region; `done` hears of each as it ends. Outcomes come back in the order of `codes`.

    The skip decision and every write happen here, in this process: a worker — a local process or a Dask worker
    on another machine — only turns (inputs, region) into the files' bytes, so no disk needs to be shared."""
    base = _base_digest(batch, data_folder)
    outcomes: dict[str, Outcome] = {}
    work = []
    for code in codes:
        inputs_digest = _region_digest(base, code)
        folder = _folder(batch, code)
        if not batch.force and _up_to_date(folder, inputs_digest, batch.options):
            name = batch.inputs.dataset.regions[code].name
            outcomes[code] = Outcome(code, name, State.SKIPPED, files=_listed(folder))
            done(outcomes[code])
        else:
            work.append((code, inputs_digest))
    made = _on_cluster(batch, work, scheduler) if scheduler else _on_this_machine(batch, work, jobs)
    for outcome, payload in made:
        outcome = _deliver(batch, outcome, payload)
        outcomes[outcome.code] = outcome
        done(outcome)
    return [outcomes[code] for code in codes]


def _on_this_machine(batch: Batch, work: list[tuple[str, str]], jobs: int) -> Iterator[Made]:
    if jobs <= 1 or len(work) <= 1:
        _start_worker(batch)
        yield from (_job(*job) for job in work)
        return
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(work)), initializer=_start_worker, initargs=(batch,)
    ) as pool:
        futures = {pool.submit(_job, *job): job[0] for job in work}
        for future in as_completed(futures):
            yield _result(batch, futures[future], future)


def _on_cluster(batch: Batch, work: list[tuple[str, str]], scheduler: str) -> Iterator[Made]:
    """The same pure function mapped over a Dask `distributed` cluster: the inputs go to every worker once."""
    try:
        from distributed import Client
        from distributed import as_completed as finished
    except ImportError:
        why = "--scheduler 需要 Dask distributed：pip install 'report_builder[cluster]'"
        raise BadInput.of(IssueCode.BAD_OPTION, Location("--scheduler"), why=why) from None
    try:
        client = Client(scheduler, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        why = f"无法连接 Dask 调度器 {scheduler}：{exc}"
        raise BadInput.of(IssueCode.BAD_OPTION, Location("--scheduler"), why=why) from None
    with client:
        shared = client.scatter(batch, broadcast=True)
        futures = {client.submit(make_region, shared, code, d, key=f"report-{code}-{d[:12]}", pure=False): code
                   for code, d in work}  # fmt: skip
        for future in finished(futures):
            yield _result(batch, futures[future], future)


def _result(batch: Batch, code: str, future: Future | DaskFuture) -> Made:
    """A job's result; a worker that died under it (killed, out of memory, a machine gone) fails that region."""
    try:
        return future.result()
    except Exception as exc:
        name = batch.inputs.dataset.regions[code].name
        message = printable(
            f"生成此区划的工作进程异常退出（{type(exc).__name__}: {exc}），其余区划不受影响；可重新运行"
        )
        return Outcome(code, name, State.FAILED, message), ()


_BATCH: Batch | None = None  # the worker's copy, set once by its initializer


def _start_worker(batch: Batch) -> None:
    """Once per worker: keep the inputs, and pay for the template and the chart font before the first job.

    The inputs (a province: some 500,000 objects) are frozen out of the garbage collector's reach, so the full
    collection after each region (`_job`) costs 0.02 s instead of 0.15 s; without it, the cycles each build
    leaves behind grew a worker to 900 MB over 60 regions (benchmarks/README.md)."""
    global _BATCH
    _BATCH = batch
    gc.freeze()
    from report_builder.render.charts import cjk_font

    try:
        find_template(batch.template)
        cjk_font()
    except BadInput:
        pass  # each job reports it, located, as its own failure


def _job(code: str, inputs_digest: str) -> Made:
    assert _BATCH is not None, "a job ran in a worker whose initializer did not"
    try:
        return make_region(_BATCH, code, inputs_digest)
    finally:
        gc.collect()


def make_region(batch: Batch, code: str, inputs_digest: str) -> Made:
    """One region's files as bytes, built in a private folder: a pure function of plain data, so it runs in
    any process on any machine. A failure is the region's own outcome, never the batch's."""
    name = batch.inputs.dataset.regions[code].name
    start = time.perf_counter()
    refused = batch.inputs.errors_for(code)
    if refused:
        message = ValidationReport(refused).to_text()
        return Outcome(code, name, State.FAILED, message, seconds=time.perf_counter() - start), ()
    options = replace(batch.options, inputs_digest=inputs_digest)
    with tempfile.TemporaryDirectory(prefix="report-builder-") as private:
        folder = Path(private)
        try:
            result = build_report(batch.inputs, batch.template, batch.period, code, folder, options)
        except BadInput as bad:
            return Outcome(
                code, name, State.FAILED, bad.report.to_text(), seconds=time.perf_counter() - start
            ), ()
        except Exception as exc:
            message = printable(f"内部错误，请报告此问题：{type(exc).__name__}: {exc}")
            return Outcome(code, name, State.FAILED, message, seconds=time.perf_counter() - start), ()
        listed = [*result.figures, *result.files]  # the ledger last: it vouches for the set
        payload = tuple((p.relative_to(folder).as_posix(), p.read_bytes()) for p in listed)
    files = tuple(p.relative_to(folder).as_posix() for p in result.files)
    return Outcome(code, name, State.BUILT, files=files, seconds=time.perf_counter() - start), payload


def _deliver(batch: Batch, outcome: Outcome, payload: tuple[tuple[str, bytes], ...]) -> Outcome:
    """Write a region's files into `<out>/<代码>-<名称>/` as one set: staged, then moved in, the ledger last."""
    if outcome.state is not State.BUILT:
        return outcome
    folder = _folder(batch, outcome.code)
    try:
        with staging(folder) as stage:
            staged = []
            for relative, data in payload:
                path = stage / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                (folder / relative).parent.mkdir(parents=True, exist_ok=True)
                staged.append(path)
            stage.move_in(*staged)
    except OSError as exc:
        why = f"无法写入 {exc.filename or folder}：{os_reason(exc)}"
        return replace(outcome, state=State.FAILED, message=why, files=())
    return replace(outcome, files=tuple(f"{folder.name}/{name}" for name in outcome.files))


def _up_to_date(folder: Path, inputs_digest: str, options: BuildOptions) -> bool:
    """The ledger records the digest the region would be built from now, and every document is still there."""
    return ledger_inputs(folder) == inputs_digest and all(any(folder.glob(f"*.{f}")) for f in options.formats)


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


def write_results(batch: Batch, codes: list[str], outcomes: list[Outcome]) -> tuple[Path, tuple[Path, ...]]:
    """汇总.xlsx and the 通报 beside it, from one target check and one list of refused regions, so the sheet
    and the 通报 agree rank for rank."""
    data = batch.inputs.dataset
    results = check_targets(data, batch.inputs.targets, batch.period, Calculator(data), within=set(codes))
    refused = _refused(batch, codes)
    summary = _write_summary(batch, outcomes, results, set(refused))
    notices = build_notice(batch.inputs, batch.period, codes, results, refused, batch.out, batch.options)
    return summary, notices


def _write_summary(
    batch: Batch, outcomes: list[Outcome], results: list[TargetResult], refused: set[str]
) -> Path:
    """汇总.xlsx: 生成情况 (one row per region) and 目标完成情况 (region × target, worst first, misses red)."""
    built = [{
        "代码": o.code, "名称": o.name, "结果": str(o.state), "说明": o.message, "输出文件": "；".join(o.files),
        "用时（秒）": f"{o.seconds:.1f}",
    } for o in outcomes]  # fmt: skip
    data = batch.inputs.dataset
    ranked = [*_ranked([r for r in results if r.region not in refused], data),
              *_left_out([r for r in results if r.region in refused], data)]  # fmt: skip
    sheets = [("生成情况", built, BUILD_COLUMNS), ("目标完成情况", ranked, TARGET_COLUMNS)]
    return write_workbook(batch.out / SUMMARY_FILE, sheets, highlight=lambda row: row.get("结果") in _MISSES)


def _refused(batch: Batch, codes: list[str]) -> list[str]:
    """Regions whose data did not pass validation: their figures are not to be trusted, so they are named and
    left out of the ranking. A region whose report failed for another reason (its template) is still ranked:
    its figures are sound."""
    return [code for code in codes if batch.inputs.errors_for(code)]


REFUSED = "数据未通过校验，未参加排名"
_MISSES = {str(State.FAILED), str(Status.MISSED), str(Status.UNKNOWN), REFUSED}


def _ranked(results: list[TargetResult], data: Dataset) -> list[dict[str, str]]:
    """The ranking (report.ranking, the one the 通报 prints) as rows of the 目标完成情况 sheet."""
    return [{
        "指标": t.name, "代码": t.region_code, "名称": t.region, "实际值": t.value, "目标": t.target,
        "结果": t.status, "差距": t.gap, "排名": "" if t.rank is None else str(t.rank),
    } for ranking in rank(results, data) for t in ranking.lines]  # fmt: skip


def _left_out(results: list[TargetResult], data: Dataset) -> list[dict[str, str]]:
    """A row per refused region and target, so the sheet lists every region it was asked about."""
    return [{
        "指标": r.target.indicator.name, "代码": r.region, "名称": data.regions[r.region].name, "实际值": "—",
        "目标": target_line(r, data.regions[r.region].name, "—", data.rounding).target, "结果": REFUSED,
        "差距": "", "排名": "",
    } for r in results]  # fmt: skip
