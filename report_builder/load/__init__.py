"""Load a data folder: config.toml, regions.csv and every fact table (CSV/XLSX) in it, validated.

`load_data` is the one entry point. It reads everything, collects every problem, and raises `BadInput` with
the whole report when any is an error, so the user fixes a file in one go rather than one message at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from report_builder.dataset import Dataset, Fact
from report_builder.fields import FieldRegistry
from report_builder.indicators.definitions import default_text, read_indicators
from report_builder.issues import BadInput, Issue, IssueCode, Location, ValidationReport
from report_builder.load.checks import check_level_sums, check_parameters, check_relations
from report_builder.load.config import CONFIG_NAME, DataConfig, read_config
from report_builder.load.readers import TABLE_SUFFIXES, ReadFailed, read_sheets
from report_builder.load.region_table import REGIONS_NAME, read_regions
from report_builder.load.tables import SourceTable, read_table
from report_builder.periods import Period
from report_builder.regions import RegionTree

__all__ = ["BadInput", "Issue", "ValidationReport", "load_data"]

T = TypeVar("T")

INDICATORS_NAME = "indicators.toml"
TARGETS_NAME = "targets.csv"
NOT_FACT_TABLES = frozenset({REGIONS_NAME, TARGETS_NAME})


def load_data(data_dir: Path) -> Dataset:
    """Raises BadInput listing every error found; warnings travel with the returned Dataset."""
    issues: list[Issue] = []
    if not data_dir.is_dir():
        issues.append(Issue.make(IssueCode.FILE_NOT_FOUND, Location(str(data_dir)), what="夹（数据目录）"))
        raise BadInput(ValidationReport(tuple(issues)))
    config = _collect(read_config(data_dir), issues, DataConfig)
    registry = FieldRegistry.default()
    try:
        registry = registry.with_aliases(config.aliases)
    except ValueError as exc:
        issues.append(Issue.make(IssueCode.BAD_CONFIG, Location(CONFIG_NAME), why=exc))
    indicators = _collect(read_indicators(default_text(), "defaults.toml", registry), issues, dict)
    if (data_dir / INDICATORS_NAME).exists():
        text = (data_dir / INDICATORS_NAME).read_text(encoding="utf-8-sig")
        indicators = _collect(read_indicators(text, INDICATORS_NAME, registry, indicators), issues, dict)
    regions = _collect(read_regions(data_dir), issues, RegionTree)
    tables = [
        t
        for path in fact_files(data_dir, config)
        for t in _read_file(data_dir, path, config, registry, regions, issues)
    ]
    facts = _merge(tables, regions, issues)
    data = Dataset(registry, regions, facts, indicators, rounding=config.rounding)
    for check in (check_relations, check_level_sums, check_parameters):
        issues.extend(check(data))
    report = ValidationReport(tuple(issues))
    if not report.ok:
        raise BadInput(report)
    return Dataset(registry, regions, facts, indicators, report.warnings, config.rounding)


def fact_files(data_dir: Path, config: DataConfig) -> list[Path]:
    """Every table in the folder (and below it) except regions, targets and files the config ignores."""
    found = []
    for path in sorted(data_dir.rglob("*")):
        name = path.relative_to(data_dir).as_posix()
        if (
            path.is_file()
            and path.suffix.lower() in TABLE_SUFFIXES
            and name not in NOT_FACT_TABLES
            and not path.name.startswith(("~$", "."))
            and not config.for_file(name).ignore
        ):
            found.append(path)
    return found


def _collect(items: Iterable[Issue | T], issues: list[Issue], kind: type[T]) -> T:
    result = None
    for item in items:
        if isinstance(item, Issue):
            issues.append(item)
        elif isinstance(item, kind):
            result = item
    assert result is not None, f"{kind.__name__} reader yielded no result"
    return result


def _read_file(
    data_dir: Path,
    path: Path,
    config: DataConfig,
    registry: FieldRegistry,
    regions: RegionTree,
    issues: list[Issue],
) -> Iterator[SourceTable]:
    name = path.relative_to(data_dir).as_posix()
    chosen = config.for_file(name).sheet
    try:
        sheets = read_sheets(path, name, chosen)
    except ReadFailed as failed:
        issues.append(failed.issue)
        return
    results = [(sheet, list(read_table(sheet, registry, regions))) for sheet in sheets]
    readable = sum(1 for _, items in results if any(isinstance(i, SourceTable) for i in items))
    for sheet, items in results:
        no_header = [i for i in items if isinstance(i, Issue) and i.code is IssueCode.NO_HEADER_ROW]
        if no_header and (chosen is None and readable):
            if any(cells for _, cells in sheet.rows if any(c is not None for c in cells)):
                issues.append(Issue.make(IssueCode.SHEET_SKIPPED, sheet.location()))
            continue
        issues.extend(i for i in items if isinstance(i, Issue))
        yield from (t for t in items if isinstance(t, SourceTable))


def _merge(tables: list[SourceTable], regions: RegionTree, issues: list[Issue]) -> MappingProxyType:
    """One store of facts keyed by (region, period). A figure given in two places must agree."""
    facts: dict[tuple[str, Period], dict[str, Fact]] = {}
    for table in tables:
        for rec in table.records:
            row = facts.setdefault((rec.region, rec.period), {})
            for fid, value in rec.values.items():
                earlier = row.get(fid)
                if earlier is None or earlier.value is None:
                    row[fid] = Fact(value, rec.cells[fid])
                elif value is not None and value != earlier.value:
                    region = regions[rec.region].name
                    issues.append(
                        Issue.make(
                            IssueCode.CONFLICTING_VALUES,
                            rec.cells[fid],
                            region=region,
                            period=rec.period,
                            header=rec.cells[fid].header,
                            value=value,
                            other=earlier.cell,
                            other_value=earlier.value,
                        )
                    )
    return MappingProxyType(facts)
