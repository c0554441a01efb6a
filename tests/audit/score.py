"""Score the audit on real published passages (tests/audit/real/): `python -m tests.audit.score [dev] [test]`.

Each NN.txt is a passage as retrieved, NN.toml beside it the hand annotation of every relation it states
(kind, the stated figure, HOLDS / FAILS / borderline, and whether the text allows an exact check or only a
bound). A finding answers a relation when its kind and stated number agree. The figures printed:

- holding relations fully checked 一致 (not the 户≤人 check, not "no part exceeds the whole");
- published errors flagged 不一致;
- false 不一致 (any 不一致 that answers no FAILS relation);
- 无法核对 findings.

The development part is tests/audit/real/*.txt; the test part is tests/audit/real/test/*.txt, measured only at the
end of a piece of work (it may be absent: then it scores zero passages).
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from report_builder.audit.findings import Finding, Kind, Verdict
from report_builder.audit.run import audit_file

REAL = Path(__file__).parent / "real"
PARTS = {"dev": REAL, "test": REAL / "test"}
BOUND_ONLY = "最大的部分"  # what a parts finding says when it only checked that no part exceeds the whole


@dataclass
class Score:
    passages: int = 0
    relations: int = 0
    holding_full: int = 0
    checked_full: int = 0
    errors: int = 0
    flagged: int = 0
    false_alarms: list[str] = field(default_factory=list)
    uncheckable: int = 0
    missed: list[str] = field(default_factory=list)

    def lines(self, name: str) -> list[str]:
        share = self.checked_full / self.holding_full if self.holding_full else 0.0
        return [
            f"[{name}] {self.passages} passages, {self.relations} relations, {self.errors} published errors",
            f"  holding relations fully checked 一致: {self.checked_full}/{self.holding_full} ({share:.0%})",
            f"  published errors flagged 不一致: {self.flagged}/{self.errors}",
            f"  false 不一致: {len(self.false_alarms)}",
            f"  无法核对: {self.uncheckable}",
        ]


def _key(kind: str, number: Decimal) -> tuple[str, Decimal]:
    return kind, number.normalize()


def _fully_checked(f: Finding) -> bool:
    return f.verdict is Verdict.CONSISTENT and f.kind is not Kind.HOUSEHOLDS and BOUND_ONLY not in f.computed


def score(folder: Path) -> Score:
    result = Score()
    for text in sorted(folder.glob("*.txt")):
        annotation = text.with_suffix(".toml")
        relations = tomllib.loads(annotation.read_text("utf-8"))["relation"] if annotation.exists() else []
        found = [f for f in audit_file(text) if f.number is not None]
        result.passages += 1
        result.relations += len(relations)
        result.uncheckable += sum(f.verdict is Verdict.UNCHECKABLE for f in found)
        failing = set()
        for r in relations:
            key = _key(r["kind"], Decimal(r["stated"]))
            answers = [f for f in found if _key(f.kind, f.number) == key]
            if r["status"] == "FAILS":
                failing.add(key)
                result.errors += 1
                hit = any(f.verdict is Verdict.INCONSISTENT for f in answers)
                result.flagged += hit
                if not hit:
                    result.missed.append(f"{text.stem} {r['kind']} {r['stated']}: {r['note']}")
            elif r["full"]:
                result.holding_full += 1
                result.checked_full += any(_fully_checked(f) for f in answers)
        result.false_alarms += [
            f"{text.stem} {f.kind} {f.stated} | {f.computed}"
            for f in found
            if f.verdict is Verdict.INCONSISTENT and _key(f.kind, f.number) not in failing
        ]
    return result


def main(parts: list[str]) -> None:
    for name in parts or ["dev"]:
        result = score(PARTS[name])
        print("\n".join(result.lines(name)))
        for alarm in result.false_alarms:
            print("  false 不一致:", alarm)
        for miss in result.missed:
            print("  missed:", miss)


if __name__ == "__main__":
    main(sys.argv[1:])
