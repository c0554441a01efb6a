"""Set up a machine and build the sample reports, or run the tests.

    python build.py          set up, then build every sample report into out/
    python build.py test     set up, then run the whole test suite (exit code is pytest's)

Only a Python >= 3.11 is needed to start: the script makes `.venv`, installs the project into it, and
makes sure the system has what the PDF writer and the tests need (CJK fonts, HarfBuzz subsetting, Chromium). Every step is
skipped when it is already done, so a second run goes straight to the work.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"

# Debian packages: what they give us and how to tell they are there.
DEBIAN_PACKAGES = {
    "fonts-noto-cjk": "Noto Serif/Sans CJK SC (宋体/仿宋/黑体 stand-ins)",
    "fonts-arphic-gkai00mp": "AR PL KaitiM GB (楷体 stand-in)",
    "libharfbuzz-subset0": "HarfBuzz font subsetting (WeasyPrint is ~10x slower on CJK fonts without it)",
    "libpango-1.0-0": "Pango text layout, used by WeasyPrint",
    "libpangoft2-1.0-0": "Pango FreeType backend, used by WeasyPrint",
    "poppler-utils": "pdftotext/pdftoppm: the tests read PDFs back, `serve` shows a PDF's first pages",
    "libreoffice-writer-nogui": "soffice, used by the tests to lay our DOCX out as a user's word processor does",
    "chromium": "headless Chromium, which the tests of `serve` drive through Playwright (no browser download)",
}


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - build.py must explain itself on an old Python
        print(f"report_builder needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
        return 1
    ensure_system_packages()
    ensure_venv()
    if argv[:1] == ["test"]:
        return run([BIN / "python", "-m", "pytest", *argv[1:]])
    if argv:
        print(__doc__)
        return 2
    return build_samples()


def build_samples() -> int:
    """Build every sample report into out/: quarterly reports for the last two quarters, the 2020 yearbook chapter."""
    data = ROOT / "sample_data"
    builds = [
        ["--template", "quarterly", "--period", "2020Q3", "--out", ROOT / "out" / "2020Q3"],
        ["--template", "quarterly", "--period", "2020Q4", "--out", ROOT / "out" / "2020Q4"],
        [
            "--template",
            "yearbook",
            "--period",
            "2020",
            "--first-page",
            "378",
            "--out",
            ROOT / "out" / "yearbook-2020",
        ],
    ]
    for args in builds:
        code = run([BIN / "report-builder", "build", "--data", data, *args])
        if code != 0:
            return code
    return 0


def run(cmd: list[object]) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT)


def ensure_venv() -> None:
    """Create .venv and install the project, unless pyproject.toml is unchanged since the last install."""
    if not (BIN / "python").exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("Installing report_builder and its dependencies into .venv …", flush=True)
    pip = [BIN / "python", "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if run([*pip, "-e", ".[test]"]) != 0:
        sys.exit("pip install failed; see the messages above.")
    STAMP.write_text(wanted)


def missing_system_parts() -> list[str]:
    """Debian package names for what this machine lacks."""
    missing = []
    zh_families = fc_list(":lang=zh", "family")
    if not any("Noto" in f and "CJK" in f for f in zh_families):
        missing.append("fonts-noto-cjk")
    if not any("kai" in f.lower() or "楷" in f for f in zh_families):
        missing.append("fonts-arphic-gkai00mp")
    if not ctypes.util.find_library("harfbuzz-subset"):
        missing.append("libharfbuzz-subset0")
    if not ctypes.util.find_library("pango-1.0"):
        missing.append("libpango-1.0-0")
    if not ctypes.util.find_library("pangoft2-1.0"):
        missing.append("libpangoft2-1.0-0")
    if not shutil.which("pdftotext"):
        missing.append("poppler-utils")
    if not shutil.which("soffice"):
        missing.append("libreoffice-writer-nogui")
    if not Path("/usr/bin/chromium").exists():
        missing.append("chromium")
    return missing


def fc_list(pattern: str, element: str) -> list[str]:
    if not shutil.which("fc-list"):
        return []
    result = subprocess.run(["fc-list", pattern, element], capture_output=True, text=True, check=False)
    return result.stdout.splitlines()


def ensure_system_packages() -> None:
    """Install what is missing with apt-get when we can; otherwise say exactly what to install."""
    missing = missing_system_parts()
    if not missing:
        return
    can_apt = Path("/etc/debian_version").exists() and shutil.which("apt-get") and os.geteuid() == 0
    if can_apt:
        print(f"Installing system packages: {' '.join(missing)} …", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
        result = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
            check=False,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            print(result.stdout + result.stderr)
        elif shutil.which("fc-cache"):
            subprocess.run(["fc-cache", "-f"], check=False, capture_output=True)
        missing = missing_system_parts()
        if not missing:
            return
    lines = [f"  {name}: {DEBIAN_PACKAGES[name]}" for name in missing]
    sys.exit(
        "This machine lacks what the PDF writer and the tests need:\n"
        + "\n".join(lines)
        + "\nOn Debian/Ubuntu run as root: apt-get install -y "
        + " ".join(missing)
        + "\nElsewhere install a Chinese serif, sans and Kai font (e.g. Noto Serif CJK SC, Noto Sans CJK SC,"
        " AR PL KaitiM GB), Pango >= 1.44, HarfBuzz with libharfbuzz-subset and poppler's pdftotext."
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
