"""Load a data folder, once: config.toml, regions.csv, every fact table (CSV/XLSX), every roster (CSV/XLSX/
Parquet with a 身份证号 column), the indicator definitions and targets.csv, validated, into one `Inputs` value.

`load_inputs` is the one entry point and the only code that knows the folder's file names. It reads
everything, collects every problem, and raises `BadInput` with the whole report when any is an error, so the
user fixes a file in one go rather than one message at a time. Everything above works on the returned value:
a batch over 130 counties loads and validates the folder once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from report_builder.dataset import Dataset, Fact
from report_builder.definitions import IndicatorDef, Target, field_as_indicator
from report_builder.fields import FieldRegistry
from report_builder.issues import BadInput, Issue, IssueCode, Location, ValidationReport, collect
from report_builder.load.attribution import Placed, attribute, on_the_line
from report_builder.load.checks import check_level_sums, check_parameters, check_relations
from report_builder.load.config import CONFIG_NAME, DataConfig, read_config
from report_builder.load.coverage import with_zeros
from report_builder.load.indicator_file import INDICATORS_NAME, default_text, read_indicators
from report_builder.load.readers import EXCEL_SUFFIXES, TABLE_SUFFIXES, ReadFailed, read_sheets
from report_builder.load.region_table import REGIONS_NAME, read_regions
from report_builder.load.roster_db import (
    RosterTable,
    Source,
    cache_folder,
    cache_key,
    cached_sources,
    csv_source,
    parquet_source,
    workbook_sources,
)
from report_builder.load.rosters import ROSTER_SUFFIXES, is_roster, read_parquet
from report_builder.load.tables import SourceTable, read_table
from report_builder.load.target_file import TARGETS_NAME, read_targets
from report_builder.periods import Period
from report_builder.regions import RegionTree

__all__ = ["Inputs", "load_inputs"]

NOT_FACT_TABLES = frozenset({REGIONS_NAME, TARGETS_NAME})
# Tables saved in a format the loader does not read: named in a warning, never skipped without a word.
OTHER_TABLE_SUFFIXES = frozenset(
    {".txt", ".tsv", ".tab", ".dat", ".prn", ".ods", ".xlsb", ".xltx", ".xltm", ".ett", ".numbers", ".dbf"}
)


@dataclass(frozen=True)
class Inputs:
    """A data folder as read: the facts, the indicator definitions (defaults and the folder's own), the targets
    handed down, the folder's settings and the warnings worth showing. Plain data: it pickles to workers.

    `placed` holds, for a batch, the errors that belong to one region (load/attribution.py): the folder is
    usable for every region but those on their line of the tree."""

    dataset: Dataset
    indicators: Mapping[str, IndicatorDef]
    targets: tuple[Target, ...]
    config: DataConfig
    warnings: tuple[Issue, ...] = ()
    placed: Placed = field(default_factory=lambda: MappingProxyType({}))
    rosters: tuple[Source, ...] = ()  # open with RosterTable(rosters, dataset.regions)

    def errors_for(self, code: str) -> tuple[Issue, ...]:
        """The errors in the data that refuse a report on `code` (none when the folder loaded cleanly)."""
        return on_the_line(code, self.placed, self.dataset.regions) if self.placed else ()

    def definition(self, name: str) -> IndicatorDef:
        """An indicator, or a plain field seen as one. Raises KeyError for a name that is neither."""
        if name in self.indicators:
            return self.indicators[name]
        if name in self.dataset.fields.fields:
            return field_as_indicator(self.dataset.fields, name)
        raise KeyError(name)

    def with_targets(self, path: Path) -> Inputs:
        """The same inputs checked against another targets file (`check --targets`). Raises BadInput."""
        issues: list[Issue] = []
        data = self.dataset
        targets = collect(read_targets(path, self.indicators, data.fields, data.regions), issues)
        if issues:
            raise BadInput(ValidationReport(tuple(issues)))
        return replace(self, targets=targets)


def load_inputs(data_dir: Path, *, by_region: bool = False) -> Inputs:
    """Raises BadInput listing every error found; warnings travel with the returned value.

    `by_region` (a batch): errors that belong to one region are kept in `Inputs.placed` instead, and BadInput is
    raised only when some error belongs to none — with the whole list, so one pass shows everything to fix."""
    issues: list[Issue] = []
    if not data_dir.is_dir():
        issues.append(Issue.make(IssueCode.FILE_NOT_FOUND, Location(str(data_dir)), what="夹（数据目录）"))
        raise BadInput(ValidationReport(tuple(issues)))
    config = collect(read_config(data_dir), issues)
    registry = FieldRegistry.default()
    try:
        registry = registry.with_aliases(config.aliases)
    except ValueError as exc:
        issues.append(Issue.make(IssueCode.BAD_CONFIG, Location(CONFIG_NAME), why=exc))
    indicators = collect(read_indicators(default_text(), "defaults.toml", registry), issues)
    if (data_dir / INDICATORS_NAME).exists():
        text = (data_dir / INDICATORS_NAME).read_text(encoding="utf-8-sig")
        indicators = collect(read_indicators(text, INDICATORS_NAME, registry, indicators), issues)
    regions = collect(read_regions(data_dir), issues)
    files = _data_files(data_dir, config)
    issues.extend(
        Issue.make(
            IssueCode.OTHER_FORMAT, Location(path.relative_to(data_dir).as_posix()), suffix=path.suffix
        )
        for path in files
        if path.suffix.lower() in OTHER_TABLE_SUFFIXES
    )
    tables: list[SourceTable] = []
    sources: list[Source] = []
    for path in files:
        if path.suffix.lower() in TABLE_SUFFIXES | ROSTER_SUFFIXES:
            tables.extend(_read_file(data_dir, path, config, registry, regions, issues, sources))
    roster = RosterTable(sources, regions) if sources else None
    facts = _merge(tables, regions, issues)
    if roster is not None:
        issues.extend(roster.issues)
        _add_counted(facts, roster, registry, regions, issues)
    data = Dataset(registry, regions, MappingProxyType(facts), config.rounding)
    for check in (check_relations, check_level_sums, check_parameters):
        issues.extend(check(data))
    targets: tuple[Target, ...] = ()
    if (data_dir / TARGETS_NAME).exists():
        targets = collect(read_targets(data_dir / TARGETS_NAME, indicators, registry, regions), issues)
    report = ValidationReport(tuple(issues))
    placed: Placed = {}
    if not report.ok and by_region:
        not_facts = NOT_FACT_TABLES | {CONFIG_NAME, INDICATORS_NAME}
        rows = {rec.location[:3]: rec.region for table in tables for rec in table.records}
        rows.update(roster.regions_at() if roster is not None else {})
        placed, unplaced = attribute(report.errors, rows, regions, not_facts)
        if unplaced:
            raise BadInput(report)
    elif not report.ok:
        raise BadInput(report)
    return Inputs(
        data,
        MappingProxyType(indicators),
        targets,
        config,
        report.warnings,
        MappingProxyType(placed),
        tuple(roster.sources) if roster is not None else (),
    )


def _data_files(data_dir: Path, config: DataConfig) -> list[Path]:
    """Every file in the folder (and below it) that may hold facts: not regions or targets, not hidden or in a
    hidden folder (the roster cache), not an Office lock file (~$), not one the config ignores."""
    found = []
    for path in sorted(data_dir.rglob("*")):
        name = path.relative_to(data_dir).as_posix()
        if (
            path.is_file()
            and name not in NOT_FACT_TABLES
            and not path.name.startswith(("~$", "."))
            and not any(part.startswith(".") for part in PurePosixPath(name).parts)
            and not config.for_file(name).ignore
        ):
            found.append(path)
    return found


def _read_file(
    data_dir: Path,
    path: Path,
    config: DataConfig,
    registry: FieldRegistry,
    regions: RegionTree,
    issues: list[Issue],
    rosters: list[Source],
) -> Iterator[SourceTable]:
    """The fact tables of one file; its rosters (a sheet with a 身份证号 column, or a Parquet file) go to
    `rosters`."""
    name = path.relative_to(data_dir).as_posix()
    chosen = config.for_file(name).sheet
    suffix, aliases = path.suffix.lower(), config.aliases
    direct: Source | bool | None = False
    if suffix == ".csv" and chosen is None:
        direct = csv_source(path, name, aliases, cache_folder(data_dir), issues)
    elif suffix in ROSTER_SUFFIXES:
        direct = parquet_source(path, name, aliases, issues)
    if isinstance(direct, Source):
        rosters.append(direct)
    if direct is not False:
        return
    try:
        if suffix in EXCEL_SUFFIXES:
            found_here, sheets = workbook_sources(path, name, chosen, aliases, cache_folder(data_dir), issues)
            rosters.extend(found_here)
        elif suffix in ROSTER_SUFFIXES:
            sheets = [read_parquet(path, name)]
        else:
            sheets = read_sheets(path, name, chosen)
    except ReadFailed as failed:
        issues.append(failed.issue)
        return
    results = []
    for sheet in sheets:
        if is_roster(sheet, aliases):
            key = cache_key(path, chosen, dict(aliases))
            rosters.extend(cached_sources([sheet], key, cache_folder(data_dir), aliases, issues))
            continue
        found: list[Issue] = []
        results.append((sheet, found, collect(read_table(sheet, registry, regions), found)))
    readable = sum(1 for *_, table in results if table is not None)
    for sheet, found, table in results:
        no_header = any(i.code is IssueCode.NO_HEADER_ROW for i in found)
        if no_header and (chosen is None and readable):
            if any(cells for _, cells in sheet.rows if any(c is not None for c in cells)):
                issues.append(Issue.make(IssueCode.SHEET_SKIPPED, sheet.location()))
            continue
        issues.extend(found)
        if table is not None:
            yield table


def _merge(
    tables: list[SourceTable], regions: RegionTree, issues: list[Issue]
) -> dict[tuple[str, Period], dict[str, Fact]]:
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
    return facts


def _add_counted(
    facts: dict[tuple[str, Period], dict[str, Fact]],
    roster: RosterTable,
    registry: FieldRegistry,
    regions: RegionTree,
    issues: list[Issue],
) -> None:
    """The rosters' counts, with zeros where they cover a county (load/coverage.py), join the facts; where a
    fact table reports the same figure, the two must agree."""
    headers = {fid: f.header for fid, f in registry.fields.items()}
    for key, counted in with_zeros(roster.facts(headers), regions, headers).items():
        row = facts.setdefault(key, {})
        for fid, fact in counted.items():
            reported = row.get(fid)
            if reported is None or reported.value is None:
                row[fid] = fact
            elif reported.value != fact.value:
                issues.append(
                    Issue.make(
                        IssueCode.ROSTER_MISMATCH,
                        reported.cell,
                        region=regions[key[0]].name,
                        period=key[1],
                        header=registry.fields[fid].header,
                        reported=reported.value,
                        roster=fact.cell.file,
                        counted=fact.value,
                    )
                )
