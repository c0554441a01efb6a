"""新增 / 退出 in the quarterly report: with rosters for the quarter and the one before, each category the rosters
hold gets a sentence whose every figure is the one `changes` gives (and a hand count of the roster files); in
correct Chinese for every case (no exits, one reason, no additions, nothing at all); absent, and the report
unchanged, when the quarter before has no roster."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from report_builder.audit.against_data import DataLookup
from report_builder.audit.findings import Verdict
from report_builder.audit.run import audit_file
from report_builder.load import load_inputs
from report_builder.load.rosters import check_digit
from report_builder.periods import Period
from report_builder.pipeline import BuildOptions, build_report
from report_builder.report.context import ReportData
from report_builder.report.environment import render
from report_builder.report.template_folder import find_template
from tests.conftest import ROOT, SAMPLE
from tests.report.test_quarterly import paragraphs, pdf_text

# The worktree's own template by path: a checkout whose package is installed from elsewhere finds that one by name.
QUARTERLY = str(ROOT / "templates" / "quarterly")
Q2, Q3 = Period.parse("2020Q2"), Period.parse("2020Q3")
TOWN_A, TOWN_B, COUNTY = "990123101000", "990123102000", "990123"
ROSTERS = ROOT / "sample_rosters"


def sample_with_rosters(folder: Path, keep: Callable[[list[str]], bool] = lambda row: True) -> Path:
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.py", "README.md"))
    for path in ROSTERS.glob("*花名册.csv"):
        with (
            path.open(encoding="utf-8", newline="") as src,
            (folder / path.name).open("w", encoding="utf-8", newline="") as dst,
        ):
            rows = list(csv.reader(src))
            csv.writer(dst).writerows([rows[0], *(r for r in rows[1:] if keep(r))])
    return folder


def build(data: Path, out: Path, formats: tuple[str, ...] = ("docx", "pdf")) -> dict[str, Path]:
    result = build_report(load_inputs(data), QUARTERLY, Q3, None, out, BuildOptions(formats=formats))
    return {p.suffix: p for p in result.files}


def hand_counts() -> dict[str, dict[str, object]]:
    """From the roster files themselves: per category, who is listed (not exiting) in each quarter, which
    households, and the reason on each exit row of the later quarter."""
    listed: dict[tuple[str, str], dict[str, str]] = {}
    reasons: dict[str, str] = {}
    for path in ROSTERS.glob("*花名册.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["退出原因"]:
                    if row["统计期"] == "2020Q3":
                        reasons[row["身份证号"]] = row["退出原因"]
                else:
                    listed.setdefault((row["保障类别"], row["统计期"]), {})[row["身份证号"]] = row["户编号"]
    found = {}
    for category in ("农村低保", "特困"):
        old, new = listed[(category, "2020Q2")], listed[(category, "2020Q3")]
        gone = old.keys() - new.keys()
        found[category] = {
            "households_added": len(set(new.values()) - set(old.values())),
            "persons_added": len(new.keys() - old.keys()),
            "households_exited": len(set(old.values()) - set(new.values())),
            "persons_exited": len(gone),
            "reasons": Counter(reasons.get(i, "未注明") for i in gone),
        }
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], list[dict[str, str]], Path]:
    folder = sample_with_rosters(tmp_path_factory.mktemp("data") / "both")
    files = build(folder, tmp_path_factory.mktemp("out"))
    from typer.testing import CliRunner

    from report_builder.cli import app

    result = CliRunner().invoke(
        app, ["changes", "--data", str(folder), "--from", "2020Q2", "--to", "2020Q3", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    return files, list(csv.DictReader(result.stdout.splitlines())), folder


SENTENCE = re.compile(
    r"本季度新增(农村低保对象|特困人员)(?:(\d+)户)?(\d+)人，退出(?:(\d+)户)?(\d+)人，其中((?:(?:因[^、。]+?退出|未注明原因)\d+人、?)+)。"
)


def read_sentences(text: str) -> dict[str, dict[str, object]]:
    found = {}
    for who, h_in, p_in, h_out, p_out, why in SENTENCE.findall(text):
        reasons = Counter()
        for cause, n in re.findall(r"(?:因(.+?)退出|未注明原因)(\d+)人", why):
            reasons[{"": "未注明", "其他原因": "其他"}.get(cause, cause)] = int(n)
        found[{"农村低保对象": "农村低保", "特困人员": "特困"}[who]] = {
            "households_added": int(h_in or p_in),
            "persons_added": int(p_in),
            "households_exited": int(h_out or p_out),
            "persons_exited": int(p_out),
            "reasons": reasons,
        }
    return found


def from_changes(rows: list[dict[str, str]]) -> dict[str, dict[str, object]]:
    """`changes --format csv` summed over the county's townships."""
    found: dict[str, dict[str, object]] = {}
    for row in rows:
        into = found.setdefault(row["category"], {"reasons": Counter()})
        for key in ("households_added", "persons_added", "households_exited", "persons_exited"):
            into[key] = into.get(key, 0) + int(row[key])
        for reason, n in re.findall(r"([^；]+?)(\d+)人", row["exit_reasons"]):
            into["reasons"][reason] += int(n)  # type: ignore[index]
    return found


def test_the_sentence_in_both_documents_gives_the_changes_figures_and_the_hand_counts(report) -> None:
    files, rows, _ = report
    docx_text = "".join(paragraphs(files[".docx"]))
    pdf = pdf_text(files[".pdf"])
    expected = from_changes(rows)
    assert set(expected) == {"农村低保", "特困"}
    assert expected == hand_counts()
    assert read_sentences(docx_text) == expected
    assert read_sentences(pdf) == expected
    dibao = expected["农村低保"]
    assert dibao["persons_added"] > 0 and dibao["persons_exited"] > 0 and len(dibao["reasons"]) > 1


def test_the_sentence_sits_in_its_section_and_its_figures_are_recorded(report) -> None:
    files, _, _ = report
    texts = paragraphs(files[".docx"])
    dibao = next(t for t in texts if "本季度新增农村低保对象" in t)
    tekun = next(t for t in texts if "本季度新增特困人员" in t)
    assert "户均保障人数" in dibao and "集中供养率" in tekun
    figures = json.loads(files[".json"].read_text(encoding="utf-8"))["figures"]
    moved = [f for f in figures if f["indicator"].startswith("roster.")]
    assert {f["indicator"] for f in moved} >= {
        "roster.rural_dibao.households_added",
        "roster.rural_dibao.persons_exited",
        "roster.tekun.persons_added",
    }
    for f in moved:
        assert (
            f["region"] == COUNTY
            and f["period"] == "2020Q3"
            and f["shown"] == f"{f['exact']}{f['shown'][-1]}"
        )
        assert f["block"] is not None and f["sources"]


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_the_report_with_its_sentences_passes_our_audit(report, suffix: str) -> None:
    """The reasons add up to the exits (其中), and against the data no 新增/退出 figure is taken for the stock."""
    files, _, folder = report
    found = audit_file(files[suffix])
    assert not [f for f in found if f.verdict is Verdict.INCONSISTENT]
    assert any(f.kind == "parts" and "因收入超标退出" in f.text for f in found)
    with_data = audit_file(files[suffix], DataLookup(load_inputs(folder), COUNTY, Q3))
    assert not [f for f in with_data if f.verdict is Verdict.INCONSISTENT]
    assert len([f for f in with_data if f.kind == "data"]) >= 20


def test_without_a_roster_for_the_quarter_before_the_report_is_unchanged(tmp_path: Path) -> None:
    """Rosters for 2020Q3 alone give the tables' counts: the report is the sample's, byte for byte."""
    only_q3 = sample_with_rosters(tmp_path / "q3", keep=lambda row: row[4] == "2020Q3")
    with_q3 = build(only_q3, tmp_path / "a", ("docx",))
    plain = build(SAMPLE, tmp_path / "b", ("docx",))
    assert "新增" not in "".join(paragraphs(with_q3[".docx"]))
    assert with_q3[".docx"].read_bytes() == plain[".docx"].read_bytes()


def _id(n: int) -> str:
    first = f"990123{dt.date(1960, 1, 1):%Y%m%d}{n:03d}"
    return first + check_digit(first)


# Crafted rosters for every wording: (person, household, town, period, category, exit reason)
CRAFTED = [
    (1, "H1", TOWN_A, Q2, "农村低保", ""),
    (2, "H1", TOWN_A, Q2, "农村低保", ""),
    (3, "H2", TOWN_A, Q2, "农村低保", ""),
    (1, "H1", TOWN_A, Q3, "农村低保", ""),
    (4, "H1", TOWN_A, Q3, "农村低保", ""),
    (5, "H3", TOWN_A, Q3, "农村低保", ""),
    (3, "H2", TOWN_A, Q3, "农村低保", "收入超标"),  # 2 simply gone: 未注明
    (11, "T1", TOWN_A, Q2, "特困", ""),
    (11, "T1", TOWN_A, Q3, "特困", ""),
    (12, "T2", TOWN_A, Q3, "特困", ""),
    (21, "U1", TOWN_A, Q3, "城市低保", ""),  # listed in 2020Q3 only: no 新增 of everyone
    (31, "H4", TOWN_B, Q2, "农村低保", ""),
    (31, "H4", TOWN_B, Q3, "农村低保", ""),
    (41, "T4", TOWN_B, Q2, "特困", ""),
    (42, "T5", TOWN_B, Q2, "特困", ""),
    (41, "T4", TOWN_B, Q3, "特困", "其他"),
    (42, "T5", TOWN_B, Q3, "特困", "其他"),
]


@pytest.fixture
def crafted(data_dir: Callable[..., Path]):
    folder = data_dir()
    with (folder / "名册.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("身份证号", "姓名", "户编号", "区划代码", "统计期", "保障类别", "退出原因"))
        writer.writerows((_id(n), "", h, town, str(p), c, why) for n, h, town, p, c, why in CRAFTED)
    return load_inputs(folder)


@pytest.mark.parametrize(
    ("code", "sentences"),
    [
        (
            TOWN_A,
            {
                "农村低保": "新增农村低保对象1户2人，退出1户2人，其中因收入超标退出1人、未注明原因1人。",
                "特困": "新增特困人员1人，无退出。",
            },
        ),
        (
            TOWN_B,
            {"农村低保": "农村低保对象无新增和退出。", "特困": "未新增特困人员，退出2人，均因其他原因。"},
        ),
        (
            COUNTY,
            {
                "农村低保": "新增农村低保对象1户2人，退出1户2人，其中因收入超标退出1人、未注明原因1人。",
                "特困": "新增特困人员1人，退出2人，均因其他原因。",
            },
        ),
    ],
)
def test_every_wording_on_crafted_rosters(crafted, code: str, sentences: dict[str, str]) -> None:
    data = ReportData(crafted, code, Q3, Q3.end, [])
    moved = data.context()["movements"]
    assert {m.category: m.sentence for m in moved} == sentences  # type: ignore[attr-defined]
    tpl = find_template(QUARTERLY)
    text = render(tpl.folder, tpl.main, ReportData(crafted, code, Q3, Q3.end, []).context())
    for sentence in sentences.values():
        assert f"。本季度{sentence}" in text


def test_no_movements_without_rosters_or_before_the_first_roster(crafted) -> None:
    assert list(ReportData(crafted, COUNTY, Q2, Q2.end, []).context()["movements"]) == []  # type: ignore[call-overload]
    assert list(ReportData(load_inputs(SAMPLE), COUNTY, Q3, Q3.end, []).context()["movements"]) == []  # type: ignore[call-overload]
