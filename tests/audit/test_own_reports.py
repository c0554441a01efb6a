"""Our own reports must pass our own audit, in both formats, with and without the data behind them; and a
figure changed in a finished report is caught, through the command line as a user would run it."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from report_builder.audit.against_data import DataLookup
from report_builder.audit.findings import Verdict
from report_builder.audit.run import audit_file
from report_builder.load import load_inputs
from report_builder.periods import Period
from report_builder.pipeline import BuildOptions, build_report
from tests.conftest import SAMPLE

KEYS = ["kind", "text", "location", "stated", "computed", "verdict"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, dict[str, Path]]:
    built = {}
    for template, period in (("quarterly", "2020Q3"), ("yearbook", "2020")):
        out = tmp_path_factory.mktemp(template)
        result = build_report(load_inputs(SAMPLE), template, Period.parse(period), None, out, BuildOptions())
        built[period] = {p.suffix: p for p in result.files}
    return built


@pytest.fixture(scope="module")
def sample_data():
    return load_inputs(SAMPLE)


@pytest.mark.parametrize("period", ["2020Q3", "2020"])
@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_our_reports_pass_our_audit(reports, sample_data, period: str, suffix: str):
    path = reports[period][suffix]
    relations = audit_file(path)
    assert not [f for f in relations if f.verdict is Verdict.INCONSISTENT]
    checked = {f.kind for f in relations if f.verdict is Verdict.CONSISTENT}
    assert {"parts", "rate", "per_unit", "households"} <= checked
    with_data = audit_file(path, DataLookup(sample_data, "990123", Period.parse(period)))
    assert not [f for f in with_data if f.verdict is Verdict.INCONSISTENT]
    compared = [f for f in with_data if f.kind == "data"]
    assert len(compared) >= 20
    assert all(f.verdict is Verdict.CONSISTENT for f in compared)


def test_docx_and_pdf_give_the_same_findings(reports):
    docx_found = [(f.kind, f.stated, f.computed, f.verdict) for f in audit_file(reports["2020Q3"][".docx"])]
    pdf_found = [(f.kind, f.stated, f.computed, f.verdict) for f in audit_file(reports["2020Q3"][".pdf"])]
    assert docx_found == pdf_found


def _edited(source: Path, target: Path, old: str, new: str) -> Path:
    document = docx.Document(str(source))
    runs = [r for p in document.paragraphs for r in p.runs if old in r.text]
    assert runs, old
    runs[0].text = runs[0].text.replace(old, new, 1)
    document.save(str(target))
    return target


def test_a_changed_rate_is_caught_against_the_data(reports, cli, tmp_path: Path):
    edited = _edited(reports["2020Q3"][".docx"], tmp_path / "edited.docx", "4.48%", "4.51%")
    result = cli("audit", edited, "--data", SAMPLE, "--period", "2020Q3", "--format", "json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.output)
    assert all(list(f) == KEYS for f in findings)
    bad = [f for f in findings if f["verdict"] == "不一致"]
    assert [(f["kind"], f["stated"]) for f in bad] == [("data", "农村低保覆盖率 4.51%")]
    assert bad[0]["computed"].startswith("4.4784%")
    assert "4.51%" in bad[0]["text"] and bad[0]["location"] == "第6段第1句"


def test_a_broken_total_is_caught_without_data(reports, cli, tmp_path: Path):
    edited = _edited(reports["2020Q3"][".docx"], tmp_path / "edited.docx", "1968人", "1986人")
    result = cli("audit", edited)
    assert result.exit_code == 1
    assert "【不一致】第8段第1句　部分与总数" in result.output
    assert "1086人+1986人 = 3072人" in result.output


def test_exit_codes(reports, cli, tmp_path: Path):
    assert cli("audit", reports["2020Q3"][".pdf"]).exit_code == 0
    assert cli("audit", tmp_path / "missing.pdf").exit_code == 2
    assert cli("audit", reports["2020Q3"][".pdf"], "--data", SAMPLE).exit_code == 2  # --period missing
    assert cli("audit", reports["2020Q3"][".pdf"], "--format", "xml").exit_code == 2
