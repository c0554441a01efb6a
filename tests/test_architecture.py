"""The shape of the package, checked: the layers contract, commands that import only what they use, and a
wheel that works outside the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import docx

from tests.conftest import ROOT, SAMPLE

BIN = Path(sys.executable).parent


def test_layers_contract_holds():
    """cli → pipeline → report → targets, indicators, audit → load, render → ground floor (pyproject.toml)."""
    result = subprocess.run([BIN / "lint-imports"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


HEAVY = ("matplotlib", "weasyprint", "docx", "report_builder.render.charts", "report_builder.pipeline",
         "starlette", "uvicorn", "report_builder.web")  # fmt: skip
PROBE = """
import json, sys
from report_builder.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def loaded_after(*args: object) -> list[str]:
    code = PROBE.format(heavy=HEAVY)
    result = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_help_and_validate_import_no_writers():
    assert loaded_after("--help") == []
    assert loaded_after("validate", "--data", SAMPLE) == []
    assert loaded_after("indicators", "--data", SAMPLE, "--period", "2020Q3", "--format", "csv") == []
    assert loaded_after("build", "--help") == []  # a command's help stays light too
    assert loaded_after("serve", "--help") == []  # the web stack is imported only when the server runs


def _source_tree(into: Path) -> Path:
    """What a clean clone holds of the package (no .venv, no caches, no outputs)."""
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, into / name)
    for name in ("report_builder", "templates", "figures"):
        shutil.copytree(ROOT / name, into / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return into


def test_wheel_builds_reports_outside_the_checkout(tmp_path):
    """Build the wheel, install it into a fresh virtual environment (dependencies borrowed from ours, not the
    checkout's code), and build both shipped templates from another working directory."""
    (tmp_path / "src").mkdir()
    source = _source_tree(tmp_path / "src")
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", dist,
                    source], check=True, capture_output=True)  # fmt: skip
    (wheel,) = dist.glob("report_builder-*.whl")
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env_dir], check=True)
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index",
                    wheel], check=True, capture_output=True)  # fmt: skip
    site = Path(subprocess.check_output([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                        text=True).strip())  # fmt: skip
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data = shutil.copytree(SAMPLE, elsewhere / "数据", ignore=shutil.ignore_patterns("*.py"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.check_output([python, "-c", "import report_builder; print(report_builder.__file__)"],
                                    cwd=elsewhere, env=env, text=True)  # fmt: skip
    assert Path(where.strip()).is_relative_to(site)
    for template, period in (("quarterly", "2020Q3"), ("yearbook", "2020")):
        out = elsewhere / template
        run = subprocess.run([env_dir / "bin" / "report-builder", "build", "--data", data, "--template", template,
                              "--period", period, "--out", out], cwd=elsewhere, env=env, capture_output=True,
                             text=True)  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
        (document,) = out.glob("*.docx")
        (pdf,) = out.glob("*.pdf")
        assert pdf.stat().st_size > 10_000
        assert any("民政" in p.text for p in docx.Document(str(document)).paragraphs)


def test_inputs_cross_a_process_boundary_as_plain_data():
    """A batch loads the folder once and sends it to workers: it must pickle, and come back equal."""
    import pickle

    from report_builder.load import load_inputs
    from report_builder.periods import Period

    inputs = load_inputs(SAMPLE)
    inputs.dataset.rollup("990123", Period.parse("2020Q3"), "beds_elderly")  # remembered totals stay behind
    again = pickle.loads(pickle.dumps(inputs))
    assert again == inputs
    assert again.dataset._totals == {}
    assert again.dataset.total("990123", Period.parse("2020Q3"), "beds_elderly") == inputs.dataset.total(
        "990123", Period.parse("2020Q3"), "beds_elderly"
    )
