"""Hostile and careless inputs, run as a user runs them: the real command in a child process.

Each test states the exit code and the message it expects and that no traceback reached the user. The child
reports its own peak memory (VmHWM, which starts afresh at exec: `ru_maxrss` would count the pages of the
large test process it was forked from), so a test can bound what a bomb costs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the child's own maximum resident set size since exec

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def ended(self, codes: int | tuple[int, ...], *needles: str) -> None:
        """Exit with one of `codes`, every needle in the output, and no Python traceback or exception name."""
        codes = codes if isinstance(codes, tuple) else (codes,)
        assert self.code in codes, f"exit {self.code}, expected {codes}:\n{self.output}"
        assert "Traceback" not in self.output, self.output
        assert not re.search(r"\b[A-Z][A-Za-z]*(Error|Exception):", self.output), self.output
        for needle in needles:
            assert needle in self.output, f"{needle!r} not in:\n{self.output}"


# `python -m report_builder`, writing the process's peak resident memory (kB) to $RB_PEAK_FILE on the way out.
_BOOT = """
import atexit, os, runpy
def _peak():
    with open("/proc/self/status") as status, open(os.environ["RB_PEAK_FILE"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM")))
atexit.register(_peak)
runpy.run_module("report_builder", run_name="__main__", alter_sys=True)
"""


def run_cli(
    *args: object, cwd: Path | None = None, timeout: float = 60, env: dict[str, str] | None = None
) -> Run:
    """`python -m report_builder ARGS` in a child process; a hang fails the test after `timeout` seconds."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as tmp,
    ):
        peak = Path(tmp) / "peak"
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _BOOT, *map(str, args)],
            stdout=out,
            stderr=err,
            cwd=cwd,
            env={**os.environ, "COLUMNS": "200", "RB_PEAK_FILE": str(peak), **(env or {})},
        )
        deadline = start + timeout
        while True:
            pid, status, _ = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                child.wait()
                pytest.fail(f"report-builder {' '.join(map(str, args))} still running after {timeout} s")
            time.sleep(0.02)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return Run(
            child.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            int(peak.read_text()) / 1024 if peak.is_file() else float("inf"),
        )
