"""The audit against a corpus of report passages written for it (tests/audit/corpus/*.toml): 简体 and 繁體,
half- and full-width, consistent ones and ones with planted errors. Each file lists every 不一致 it holds and
the 一致 relations its author meant; precision and recall of 不一致 must both be 100%.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from report_builder.audit.findings import Finding, Verdict
from report_builder.audit.run import audit_file

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.toml"))
Key = tuple[str, str, Decimal]


def _key(kind: str, verdict: str, number: Decimal) -> Key:
    return kind, verdict, number.normalize()


def _case(path: Path, tmp: Path) -> tuple[set[Key], set[Key], list[Finding]]:
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    report = tmp / f"{path.stem}.txt"
    report.write_text(case["text"], encoding="utf-8")
    found = audit_file(report)
    expected = {_key(e["kind"], e["verdict"], Decimal(e["stated"])) for e in case["expect"]}
    got = {_key(f.kind, str(f.verdict), f.number) for f in found if f.number is not None}
    return expected, got, found


def test_the_corpus_is_big_and_mixed():
    cases = [tomllib.loads(p.read_text(encoding="utf-8")) for p in CORPUS]
    assert len(cases) >= 20
    assert sum(c["script"] == "traditional" for c in cases) >= 5
    planted = [c for c in cases if any(e["verdict"] == "不一致" for e in c["expect"])]
    assert 5 <= len(planted) < len(cases)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_passage(path: Path, tmp_path: Path):
    expected, got, found = _case(path, tmp_path)
    shown = "\n".join(f"{f.kind} {f.verdict} {f.stated} | {f.computed}" for f in found)
    assert expected <= got, shown
    bad_expected = {k for k in expected if k[1] == Verdict.INCONSISTENT}
    bad_got = {k for k in got if k[1] == Verdict.INCONSISTENT}
    assert bad_got == bad_expected, shown


def test_precision_and_recall_of_inconsistent_are_complete(tmp_path: Path):
    true_positive = false_positive = false_negative = 0
    for path in CORPUS:
        expected, got, _ = _case(path, tmp_path)
        bad_expected = {k for k in expected if k[1] == Verdict.INCONSISTENT}
        bad_got = {k for k in got if k[1] == Verdict.INCONSISTENT}
        true_positive += len(bad_got & bad_expected)
        false_positive += len(bad_got - bad_expected)
        false_negative += len(bad_expected - bad_got)
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    print(f"不一致: precision {precision:.0%}, recall {recall:.0%} over {true_positive} planted errors")
    assert true_positive >= 10
    assert (precision, recall) == (1.0, 1.0)
