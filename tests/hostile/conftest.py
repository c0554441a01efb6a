"""Hostile and careless inputs, run as a user runs them: the real command in a child process.

Each test states the exit code and the message it expects and that no traceback reached the user. The child's
own peak memory comes from `os.wait4`, so a test can bound what a bomb costs without counting earlier children.
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
    peak_mb: float  # the child's own maximum resident set size

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


def run_cli(
    *args: object, cwd: Path | None = None, timeout: float = 60, env: dict[str, str] | None = None
) -> Run:
    """`python -m report_builder ARGS` in a child process; a hang fails the test after `timeout` seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "report_builder", *map(str, args)],
            stdout=out,
            stderr=err,
            cwd=cwd,
            env={**os.environ, "COLUMNS": "200", **(env or {})},
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
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
            usage.ru_maxrss / 1024,
        )
