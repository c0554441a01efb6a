"""What runs outside the server's event loop, so the page stays responsive while a report is made.

A build or an audit goes to a pool of one worker process (it pays the imports of WeasyPrint, matplotlib and
python-docx once, then stays warm). A batch runs in a thread of the server that hands the regions to the batch
runner's own pool of worker processes and hears of each region as it ends, for the page's progress list.
A job's files are the only files the page may download: a download names a job and an index, never a path.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import secrets
import shutil
import subprocess
import threading
import zipfile
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from report_builder.audit.against_data import DataLookup
from report_builder.audit.findings import ordered
from report_builder.audit.run import audit_file
from report_builder.batch import Batch, Outcome, run_batch, write_results
from report_builder.issues import BadInput
from report_builder.load import Inputs
from report_builder.periods import Period
from report_builder.pipeline import build_report

LOGGER = logging.getLogger("report_builder.web")
PAGES = 2  # first pages of the PDF shown as pictures
PAGE_DPI = 60


@dataclass
class Job:
    id: str
    session: str
    kind: str  # 生成 | 批量 | 核对
    total: int = 1
    outcomes: list[Outcome] = field(default_factory=list)  # a batch's regions, as they end
    files: list[Path] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)
    findings: list[dict[str, str]] = field(default_factory=list)
    message: str = ""
    done: bool = False
    failed: bool = False

    def fail(self, exc: BaseException) -> None:
        """A BadInput is the user's to fix and is shown as it is; anything else is a bug, logged here, and the page
        says so without a traceback."""
        if isinstance(exc, BadInput):
            self.message = exc.report.to_text()
        else:
            LOGGER.error("job %s failed", self.id, exc_info=exc)
            self.message = f"内部错误（{type(exc).__name__}），未能完成；详情已写入服务器日志。"
        self.failed = True


class Jobs:
    """The server's jobs and its worker process."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))

    def _new(self, session: str, kind: str, total: int = 1) -> Job:
        job = Job(secrets.token_urlsafe(12), session, kind, total)
        with self._lock:
            self._jobs[job.id] = job
        return job

    def get(self, session: str, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.session == session else None

    def build(
        self, session: str, inputs: Inputs, template: str, period: Period, region: str, out: Path
    ) -> Job:
        job = self._new(session, "生成")
        future = self._pool.submit(build_one, inputs, template, period, region, out)
        future.add_done_callback(lambda f: _settle(job, f, _built))
        return job

    def audit(self, session: str, report: Path, against: tuple[Inputs, str, Period] | None) -> Job:
        job = self._new(session, "核对")
        future = self._pool.submit(audit_one, report, against)
        future.add_done_callback(lambda f: _settle(job, f, _audited))
        return job

    def batch(self, session: str, work: Batch, codes: list[str], data_dir: Path) -> Job:
        job = self._new(session, "批量", len(codes))
        threading.Thread(target=_run_batch, args=(job, work, codes, data_dir), daemon=True).start()
        return job

    def forget(self, session: str) -> None:
        """A session ended: its jobs go (their files went with its folder)."""
        with self._lock:
            for job_id in [j.id for j in self._jobs.values() if j.session == session]:
                del self._jobs[job_id]

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _settle(job: Job, future: Future, apply) -> None:
    try:
        apply(job, future.result())
    except Exception as exc:
        job.fail(exc)
    job.done = True


def _built(job: Job, made: tuple[list[Path], list[Path]]) -> None:
    job.files, job.pages = made


def _audited(job: Job, findings: list[dict[str, str]]) -> None:
    job.findings = findings


def build_one(
    inputs: Inputs, template: str, period: Period, region: str, out: Path
) -> tuple[list[Path], list[Path]]:
    """In the worker: what `report-builder build` writes, a ZIP of all of it, and the PDF's first pages."""
    result = build_report(inputs, template, period, region, out)
    files = [p for p in (result.docx, result.pdf, result.indicators) if p is not None]
    everything = bundle(out, out.with_name(f"{files[0].stem}（全部文件）.zip"))
    return [*files, everything], first_pages(result.pdf, out.with_name("pages"))


def audit_one(report: Path, against: tuple[Inputs, str, Period] | None) -> list[dict[str, str]]:
    """In the worker: `report-builder audit FILE [--data --period --region]`, 不一致 first."""
    lookup = DataLookup(*against) if against is not None else None
    return [f.to_json() for f in ordered(audit_file(report, lookup))]


def _run_batch(job: Job, work: Batch, codes: list[str], data_dir: Path) -> None:
    """In a thread: `report-builder batch`, each region's outcome added to the job as it ends."""
    try:
        outcomes = run_batch(work, codes, data_dir, os.cpu_count() or 1, done=job.outcomes.append)
        summary, notices = write_results(work, codes, outcomes)
        everything = work.out.with_name(f"{work.period.label}各区划报告（全部文件）.zip")
        job.files = [summary, *notices, bundle(work.out, everything)]
    except Exception as exc:
        job.fail(exc)
    job.done = True


def bundle(folder: Path, archive: Path) -> Path:
    """Every file under `folder` in one ZIP, with paths relative to it."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    return archive


def first_pages(pdf: Path | None, into: Path) -> list[Path]:
    """The PDF's first pages as PNG pictures (pdftoppm); none when there is no PDF or no pdftoppm."""
    tool = shutil.which("pdftoppm")
    if pdf is None or tool is None:
        return []
    into.mkdir(exist_ok=True)
    cmd = [tool, "-png", "-r", str(PAGE_DPI), "-f", "1", "-l", str(PAGES), str(pdf), str(into / "page")]
    subprocess.run(cmd, check=False, capture_output=True, timeout=120)
    return sorted(into.glob("page-*.png"))
