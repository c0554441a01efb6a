"""The audit in one place: read → find quantities → recompute each stated relation → (compare with data)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from report_builder.audit.against_data import DataLookup, check_against_data
from report_builder.audit.breakdown import (
    breakdown_splits,
    changes_split,
    group_splits,
    inner_breakdowns,
    kinds_splits,
)
from report_builder.audit.changes import (
    check_change_percent,
    check_changes,
    check_compared,
    check_level_rate,
    check_stock_flow,
)
from report_builder.audit.completion import check_completion
from report_builder.audit.findings import Finding
from report_builder.audit.parts import check_households, check_splits, find_splits
from report_builder.audit.passage import NEARBY, Passage
from report_builder.audit.ratios import check_per_unit, check_rates
from report_builder.audit.source import TextParagraph, read_report
from report_builder.audit.structure import check_structure
from report_builder.audit.tables import check_column_groups, check_indented, check_statistics, check_table


def audit_paragraphs(paragraphs: list[TextParagraph], lookup: DataLookup | None = None) -> list[Finding]:
    """Findings in reading order of the figure each one is about."""
    found: list[Finding] = []
    passages = [Passage.read(paragraph) for paragraph in paragraphs]
    for at, passage in enumerate(passages):
        passage.nearby = [p for p in passages[max(0, at - NEARBY) : at + NEARBY + 1] if p is not passage]
        passage.earlier = at - max(0, at - NEARBY)
        found.extend(sorted(_paragraph_findings(passage, lookup), key=lambda f: f.position))
        if at:  # a breakdown paragraph's parts, of wholes the paragraph before states
            found.extend(check_splits(passages[at - 1], list(breakdown_splits(passages[at - 1], passage))))
    return found


def _paragraph_findings(passage: Passage, lookup: DataLookup | None) -> Iterator[Finding]:
    splits = find_splits(passage)
    changes = [c for s in splits for c in changes_split(passage, passage, s)]
    yield from check_splits(
        passage,
        [*splits, *changes, *inner_breakdowns(passage), *kinds_splits(passage), *group_splits(passage)],
    )
    yield from check_rates(passage, splits)
    yield from check_per_unit(passage, splits)
    yield from check_households(passage)
    yield from check_changes(passage)
    yield from check_change_percent(passage)
    yield from check_compared(passage)
    yield from check_level_rate(passage)
    yield from check_stock_flow(passage)
    yield from check_completion(passage)
    yield from check_structure(passage)
    if lookup is not None:
        yield from check_against_data(passage, splits, lookup)


def audit_file(path: Path, lookup: DataLookup | None = None) -> list[Finding]:
    """Audit one report; with `lookup`, also compare its figures with the data. Unreadable input is BadInput."""
    report = read_report(path)
    return audit_paragraphs(report.paragraphs, lookup) + [
        f
        for t in report.tables
        for check in (check_table, check_column_groups, check_statistics, check_indented)
        for f in check(t)
    ]
