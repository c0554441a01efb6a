"""The ledger of printed figures (manifest.json): every figure a report prints, with its exact value and the
cells it came from, and where in the document it appears.

One module for the record, its JSON and the comparison with an earlier build (`--previous` → changes.csv), so
a test, an editor or a reviser can trace every number on the page back to its cells.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from report_builder.files import atomic_write
from report_builder.issues import BadInput, IssueCode, Location
from report_builder.render.document import Document
from report_builder.render.spreadsheet import to_csv

LEDGER_FILE = "manifest.json"
CHANGES_FILE = "changes.csv"
CHANGE_COLUMNS = ("figure", "indicator", "region", "period", "kind", "old", "new")


@dataclass(frozen=True)
class Printed:
    """One figure as the report prints it, and where it came from."""

    indicator: str
    name: str
    region: str
    period: str
    kind: str  # 数值 / 同比 / 环比 / 累计…
    shown: str
    exact: str
    sources: tuple[str, ...]


@dataclass
class Ledger:
    printed: dict[Printed, None] = field(default_factory=dict)  # insertion-ordered, each figure once

    def add(self, figure: Printed) -> None:
        self.printed[figure] = None

    @property
    def figures(self) -> list[Printed]:
        return list(self.printed)

    def entries(self, document: Document) -> list[dict[str, object]]:
        """Each printed figure with the first block (after the previous figure's) where its text appears."""
        texts = document.text_blocks()
        entries, start = [], 0
        for f in self.printed:
            where = next((i for i in range(start, len(texts)) if f.shown in texts[i]), None)
            if where is None:
                where = next((i for i, t in enumerate(texts) if f.shown in t), None)
            entries.append({**asdict(f), "sources": list(f.sources), "block": where})
            start = where or start
        return entries


Entries = dict[tuple[str, str, str, str], dict]  # by (indicator, region, period, kind)


def by_key(entries: list[dict]) -> Entries:
    return {(e["indicator"], e["region"], e["period"], e["kind"]): e for e in entries}


def write_ledger(entries: list[dict[str, object]], path: Path, inputs: str | None = None) -> Path:
    """`inputs` is a digest of everything the build read (data, template, code, options): a batch skips a
    region whose ledger carries the digest it would build from."""
    text = json.dumps({"inputs": inputs, "figures": entries}, ensure_ascii=False, indent=1) + "\n"
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def ledger_inputs(folder: Path) -> str | None:
    """The inputs digest an earlier build recorded in `folder`, or None (no ledger, none recorded, unreadable)."""
    try:
        recorded = json.loads((folder / LEDGER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded.get("inputs") if isinstance(recorded, dict) else None


def read_ledger(folder: Path) -> Entries:
    """An earlier build's printed figures. Raises BadInput when the folder has no readable ledger."""
    path = folder / LEDGER_FILE
    where = Location("--previous")
    if not path.exists():
        raise BadInput.of(
            IssueCode.BAD_OPTION, where, why=f"{folder} 中没有 {LEDGER_FILE}（应为此前一次生成的输出目录）"
        )
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        return by_key(
            recorded["figures"] if isinstance(recorded, dict) else recorded
        )  # a list: before 2026-11
    except (ValueError, KeyError, TypeError) as exc:
        raise BadInput.of(
            IssueCode.BAD_OPTION, where, why=f"{path} 不是本工具写出的 {LEDGER_FILE}（{exc}）"
        ) from None


def changed_rows(old: Entries, new: Entries) -> list[dict[str, str]]:
    """Every printed figure whose shown value differs between two builds (or that appears in only one)."""
    rows = []
    for key in [*new, *(k for k in old if k not in new)]:
        before, after = old.get(key, {}).get("shown", ""), new.get(key, {}).get("shown", "")
        if before != after:
            entry = new.get(key) or old[key]
            rows.append({"figure": f"{entry['name']}（{entry['region']}，{entry['period']}，{entry['kind']}）",
                         "indicator": key[0], "region": key[1], "period": key[2], "kind": key[3],
                         "old": before, "new": after})  # fmt: skip
    return rows


def write_changes(rows: list[dict[str, str]], path: Path) -> Path:
    """changes.csv, so an editor sees what revised data changed."""
    return atomic_write(path, lambda tmp: tmp.write_text(to_csv(rows, CHANGE_COLUMNS), encoding="utf-8"))
