"""Turn a raw sheet into a typed fact table: find the header, map it to fields, type and check every cell.

Problems are yielded as `Issue`s and reading goes on, so one pass reports everything wrong with a file.
No row is dropped without a word: a row is a data row, a 合计 row (checked against the rows above it), a note
under the table, or a row with no values at all.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from report_builder.fields import FieldDef, FieldRegistry, HeaderMatch, Key, Kind
from report_builder.issues import Issue, IssueCode, Location
from report_builder.load.cells import MAX_VALUE, clean_text, control_characters, parse_number, tidy
from report_builder.load.readers import RawSheet
from report_builder.periods import Period
from report_builder.regions import RegionTree, normalize_code

HEADER_SEARCH_ROWS = 30
_NUMBER = re.compile(r"^\s*[+-]?[\d,]*\.?\d+\s*$")  # never a header; skipped before any lookup
_IGNORED_HEADERS = frozenset({"序号", "编号", "备注", "说明"})
_TOTAL = re.compile(r"^(合计|总计|小计|全县合计|全县总计)$")
_NOTE = re.compile(
    r"^(注|说明|备注|附注|填表|制表|审核|负责人|单位负责人|统计负责人|填报|报送|联系|资料来源|数据来源)"
)


@dataclass(frozen=True)
class Record:
    """One row: a region in a period, its values (None where the cell is deliberately empty) and their cells."""

    region: str
    period: Period
    values: Mapping[str, Decimal | None]
    cells: Mapping[str, Location]
    location: Location


@dataclass(frozen=True)
class SourceTable:
    name: str
    sheet: str | None
    fields: tuple[str, ...]
    records: tuple[Record, ...]


@dataclass
class _Columns:
    header_row: int
    fields: dict[int, tuple[FieldDef, Decimal, str]] = field(
        default_factory=dict
    )  # col → (field, factor, header)
    keys: dict[Key, int] = field(default_factory=dict)
    width: int = 0  # the last column with a header, in the header row or the group header row above it


def read_table(
    raw: RawSheet, registry: FieldRegistry, regions: RegionTree
) -> Generator[Issue, None, SourceTable | None]:
    """Yield the issues of one sheet; return its table (None when the header or a key column is missing)."""
    headers = _Headers(registry)
    header = _find_header(raw, headers)
    if header is None:
        example = next(iter(registry.fields.values())).header
        yield Issue.make(IssueCode.NO_HEADER_ROW, raw.location(), example=example)
        return None
    columns = yield from _map_columns(raw, header, registry)
    period_from_name = _period_from_name(raw)
    if Key.REGION_CODE not in columns.keys and Key.REGION_NAME not in columns.keys:
        yield Issue.make(
            IssueCode.MISSING_COLUMN, raw.location(header), column="区划代码", hint="（或“名称”）"
        )
        return None
    if Key.PERIOD not in columns.keys and period_from_name is None:
        yield Issue.make(
            IssueCode.MISSING_COLUMN,
            raw.location(header),
            column="统计期",
            hint="（或把统计期写进文件名或工作表名，如 2020Q3.csv）",
        )
        return None
    earlier = _separate_header_above(raw, header, headers)
    if earlier is not None:
        yield Issue.make(IssueCode.STACKED_TABLES, raw.location(header), other=earlier)
    reader = _RowReader(raw, columns, regions, period_from_name)
    records: list[Record] = []
    totals: list[_TotalRow] = []
    header_end = header
    for row_number, cells in raw.rows:
        if row_number <= columns.header_row:
            continue
        if not reader.keyed_by_region(cells) and headers.names_a_table(cells, []):
            if row_number == header_end + 1:
                header_end = row_number  # the header written twice, or over two rows
                continue
            yield Issue.make(IssueCode.STACKED_TABLES, raw.location(row_number), other=header)
            break  # what follows belongs to another table, under other columns
        for item in reader.read(row_number, cells):
            if isinstance(item, Issue):
                yield item
            elif isinstance(item, _TotalRow):
                totals.append(item)
            else:
                records.append(item)
    kinds = {f.id: f.kind for f, _, _ in columns.fields.values()}
    yield from _check_duplicates(records)
    yield from _check_totals(totals, records, kinds)
    return SourceTable(raw.name, raw.sheet, tuple(kinds), tuple(records))


def _text(cell: object) -> str:
    return "" if cell is None else clean_text(cell)


def _find_header(raw: RawSheet, headers: _Headers) -> int | None:
    """The header is the row (among the first few) where most cells are headers we know, with ≥ 1 field."""
    best: tuple[int, int] | None = None
    for row_number, cells, above in _with_row_above(raw.rows[:HEADER_SEARCH_ROWS]):
        n_fields, n_known, _ = headers.count(cells, above)
        if n_fields and (best is None or n_known > best[1]):
            best = (row_number, n_known)
    return None if best is None else best[0]


def _separate_header_above(raw: RawSheet, header: int, headers: _Headers) -> int | None:
    """A row above the header that also names a region key and a field, with rows between that do not: the
    header of a first table, whose rows would otherwise be skipped as the lines above the second's header."""
    rows = [
        (number, headers.names_a_table(cells, above))
        for number, cells, above in _with_row_above(raw.rows[:HEADER_SEARCH_ROWS])
        if number < header
    ]
    block = header
    for number, is_header in reversed(rows):
        if is_header and number == block - 1:
            block = number  # a group header above the field headers is part of the same header
        elif is_header:
            return number
    return None


def _with_row_above(rows: list[tuple[int, list[object]]]) -> Iterator[tuple[int, list[object], list[object]]]:
    """Each row with the row right above it ([] when that row is empty: a workbook leaves empty rows out)."""
    previous: tuple[int, list[object]] = (0, [])
    for number, cells in rows:
        yield number, cells, previous[1] if previous[0] == number - 1 else []
        previous = (number, cells)


class _Headers:
    """Rows read as a header reads: each cell alone, or joined to the group header merged above it. Each text
    is matched once — a table repeats few — and a number is never a header, so every row of a long table can be
    asked whether it starts another table."""

    def __init__(self, registry: FieldRegistry) -> None:
        self.registry = registry
        self.seen: dict[tuple[str, str], tuple[bool, bool, bool]] = {}

    def count(self, cells: list[object], above: list[object]) -> tuple[int, int, bool]:
        """Fields and known headers in the row, and whether it names a region key (区划代码 or 名称)."""
        n_fields = n_known = 0
        region = False
        for col, cell in enumerate(cells):
            if (
                cell is None
                or isinstance(cell, int | float)
                or (isinstance(cell, str) and _NUMBER.match(cell))
            ):
                continue
            group = _text(above[col]) if col < len(above) else ""
            key = (cell if isinstance(cell, str) else str(cell), group)
            found = self.seen.get(key)
            if found is None:
                found = self.seen[key] = self._meaning(_text(cell), group)
            is_field, is_known, is_region = found
            n_fields += is_field
            n_known += is_known
            region = region or is_region
        return n_fields, n_known, region

    def names_a_table(self, cells: list[object], above: list[object]) -> bool:
        """A region key and a field in one row: what a table's header needs, and a data row never holds."""
        n_fields, _, region = self.count(cells, above)
        return bool(n_fields) and region

    def _meaning(self, text: str, group: str) -> tuple[bool, bool, bool]:
        try:
            found = _match(text, group, self.registry)
        except ValueError:  # a known field with a wrong unit still marks this row as the header
            return True, True, False
        if found is None:
            return False, False, False
        return found.field is not None, True, found.key in (Key.REGION_CODE, Key.REGION_NAME)


def _match(header: str, group: str, registry: FieldRegistry) -> HeaderMatch | None:
    """A header cell alone, or joined to the group header merged above it (农村低保 / 户数 → 农村低保户数).

    Raises ValueError when the header names a field with a unit that cannot be converted.
    """
    if not header:
        return None
    found = registry.match(header)
    if found is None and group and group != header:
        found = registry.match(group + header)
    return found


def _map_columns(raw: RawSheet, header_row: int, registry: FieldRegistry) -> Generator[Issue, None, _Columns]:
    rows = dict(raw.rows)
    cells, above = rows[header_row], rows.get(header_row - 1, [])
    columns = _Columns(header_row)
    columns.width = max(
        (col for row in (cells, above) for col, cell in enumerate(row, 1) if _text(cell)), default=0
    )
    seen: dict[str, int] = {}
    for col, cell in enumerate(cells, start=1):
        header = _text(cell)
        group = _text(above[col - 1]) if col - 1 < len(above) else ""
        where = raw.location(header_row, col, header or None)
        if not header or header in _IGNORED_HEADERS:
            continue
        bad_text = list(control_characters(header, where))
        if bad_text:
            yield from bad_text
            continue
        try:
            found = _match(header, group, registry)
        except ValueError as exc:
            yield Issue.make(IssueCode.BAD_UNIT, where, header=header, why=exc)
            continue
        if found is None:
            yield Issue.make(IssueCode.UNKNOWN_HEADER, where, header=header)
        elif found.key is not None:
            columns.keys.setdefault(found.key, col)
        elif found.field is not None:
            if found.field.id in seen:
                other = raw.location(header_row, seen[found.field.id])
                yield Issue.make(
                    IssueCode.DUPLICATE_COLUMN, where, header=header, other=other, field=found.field.header
                )
                continue
            seen[found.field.id] = col
            columns.fields[col] = (found.field, found.factor, header)
    return columns


def _period_from_name(raw: RawSheet) -> Period | None:
    """A table without a 统计期 column may be named for its period (2020Q3.csv, or a sheet called 2020年三季度)."""
    for candidate in (raw.sheet, PurePath(raw.name).stem):
        if candidate:
            try:
                return Period.parse(candidate)
            except ValueError:
                continue
    return None


@dataclass(frozen=True)
class _TotalRow:
    label: str
    period: Period | None
    values: Mapping[str, Decimal | None]
    cells: Mapping[str, Location]


class _RowReader:
    def __init__(self, raw: RawSheet, columns: _Columns, regions: RegionTree, period: Period | None) -> None:
        self.raw, self.columns, self.regions, self.default_period = raw, columns, regions, period

    def cell(self, cells: list[object], key: Key) -> object:
        col = self.columns.keys.get(key)
        return cells[col - 1] if col is not None and col - 1 < len(cells) else None

    def keyed_by_region(self, cells: list[object]) -> bool:
        """Whether the row's key is a region code or a known name, as a data row's is and a header's never."""
        code = self.cell(cells, Key.REGION_CODE)
        if code is not None:
            return isinstance(code, int | float) or _text(code).isdigit()
        name = self.cell(cells, Key.REGION_NAME)
        return name is not None and bool(self.regions.by_name(_text(name)))

    def read(self, row: int, cells: list[object]) -> Iterator[Issue | Record | _TotalRow]:
        filled = [t for t in (_text(c) for c in cells) if t]
        if not filled:
            return
        code_text, name_text = (
            _text(self.cell(cells, Key.REGION_CODE)),
            _text(self.cell(cells, Key.REGION_NAME)),
        )
        field_cells = {col: cells[col - 1] if col <= len(cells) else None for col in self.columns.fields}
        has_values = any(_text(v) for v in field_cells.values())
        label = re.sub(r"\s+", "", name_text or code_text)
        if _TOTAL.match(label):
            yield from self._beyond_header(row, cells)
            values, refs = yield from self._values(row, field_cells)
            yield _TotalRow(label, self._total_period(cells), values, refs)
            return
        if _NOTE.match(filled[0]) and (not has_values or len(set(filled)) == 1):
            return  # a note or sign-off line under the table (often merged across it)
        yield from self._beyond_header(row, cells)
        if name_text:
            bad_name = list(
                control_characters(
                    name_text, self.raw.location(row, self.columns.keys[Key.REGION_NAME], "名称")
                )
            )
            if bad_name:
                yield from bad_name
                return
        if not has_values and not (code_text or name_text):
            return  # a label row holding no figures
        period = yield from self._period(row, cells)
        values, refs = yield from self._values(row, field_cells)
        region = yield from self._region(row, cells, name_text, has_values)
        if region is not None and period is not None:
            yield Record(region, period, values, refs, self.raw.location(row))

    def _beyond_header(self, row: int, cells: list[object]) -> Iterator[Issue]:
        """A cell right of the header's last column has no header to say what it is: a number there is a figure
        nobody can place (an error), text is named and left out (a warning)."""
        for col in range(self.columns.width + 1, len(cells) + 1):
            value = cells[col - 1]
            if value is None:
                continue
            try:
                number = parse_number(value) is not None
            except ValueError:
                number = False
            where = self.raw.location(row, col, None if self.raw.sheet else f"第{col}列")
            code = IssueCode.NUMBER_BEYOND_HEADER if number else IssueCode.TEXT_BEYOND_HEADER
            yield Issue.make(code, where, value=_text(value))

    def _total_period(self, cells: list[object]) -> Period | None:
        """A 合计 label is often merged over the 统计期 cell too; then the table's single period applies."""
        try:
            return Period.parse(_text(self.cell(cells, Key.PERIOD)))
        except ValueError:
            return self.default_period

    def _period(self, row: int, cells: list[object]) -> Generator[Issue, None, Period | None]:
        col = self.columns.keys.get(Key.PERIOD)
        value = self.cell(cells, Key.PERIOD)
        if col is None or (_text(value) == "" and self.default_period is not None):
            return self.default_period
        try:
            return Period.parse(value if not isinstance(value, str) else _text(value))
        except ValueError:
            yield Issue.make(IssueCode.BAD_PERIOD, self.raw.location(row, col, "统计期"), value=_text(value))
            return None

    def _region(
        self, row: int, cells: list[object], name_text: str, has_values: bool
    ) -> Generator[Issue, None, str | None]:
        code_col, name_col = self.columns.keys.get(Key.REGION_CODE), self.columns.keys.get(Key.REGION_NAME)
        code_cell = self.cell(cells, Key.REGION_CODE)
        if _text(code_cell):
            code = normalize_code(code_cell)
            if code not in self.regions:
                yield Issue.make(
                    IssueCode.UNKNOWN_REGION,
                    self.raw.location(row, code_col, "区划代码"),
                    what="代码",
                    value=code,
                )
                return None
            expected = self.regions[code].name
            if name_text and name_text != expected:
                yield Issue.make(
                    IssueCode.NAME_MISMATCH,
                    self.raw.location(row, name_col, "名称"),
                    value=name_text,
                    code=code,
                    expected=expected,
                )
            return code
        if name_text:
            matches = self.regions.by_name(name_text)
            where = self.raw.location(row, name_col, "名称")
            if not matches:
                yield Issue.make(IssueCode.UNKNOWN_REGION, where, what="名称", value=name_text)
                return None
            if len(matches) > 1:
                candidates = "、".join(f"{r.code}（regions.csv:行{r.row}）" for r in matches)
                yield Issue.make(IssueCode.AMBIGUOUS_NAME, where, value=name_text, candidates=candidates)
                return None
            return matches[0].code
        if has_values:
            yield Issue.make(IssueCode.MISSING_KEY, self.raw.location(row), what="区划代码和名称")
        return None

    def _values(
        self, row: int, field_cells: dict[int, object]
    ) -> Generator[Issue, None, tuple[dict[str, Decimal | None], dict[str, Location]]]:
        values: dict[str, Decimal | None] = {}
        refs: dict[str, Location] = {}
        for col, raw_value in field_cells.items():
            fdef, factor, header = self.columns.fields[col]
            where = self.raw.location(row, col, header)
            refs[fdef.id] = where
            values[fdef.id] = None
            try:
                number = parse_number(raw_value)
            except ValueError:
                yield Issue.make(IssueCode.NOT_A_NUMBER, where, value=_text(raw_value))
                continue
            if number is None:
                formula = self.raw.formula_at(row, col) if raw_value is None and self.raw.sheet else None
                if formula:
                    yield Issue.make(IssueCode.FORMULA_WITHOUT_VALUE, where, formula=formula)
                continue
            number = number * factor
            if abs(number) >= MAX_VALUE:
                yield Issue.make(IssueCode.TOO_BIG, where, header=fdef.header, value=_text(raw_value))
                continue
            number = tidy(number)
            if number < 0:
                yield Issue.make(IssueCode.NEGATIVE, where, header=fdef.header, value=_text(raw_value))
                continue
            if fdef.is_count and number != number.to_integral_value():
                shown = _text(raw_value) if factor == 1 else f"{_text(raw_value)}×{factor}={number}"
                yield Issue.make(
                    IssueCode.NOT_INTEGER, where, header=fdef.header, unit=fdef.unit, value=shown
                )
                continue
            values[fdef.id] = number
        return values, refs


def _check_duplicates(records: list[Record]) -> Iterator[Issue]:
    first: dict[tuple[str, Period], Record] = {}
    for rec in records:
        key = (rec.region, rec.period)
        if key in first:
            yield Issue.make(
                IssueCode.DUPLICATE_ROW,
                rec.location,
                region=rec.region,
                period=rec.period,
                other=first[key].location,
            )
        else:
            first[key] = rec


def _check_totals(
    totals: list[_TotalRow], records: list[Record], kinds: Mapping[str, Kind]
) -> Iterator[Issue]:
    """A 合计 row must equal the sum of the rows of its period; it is never counted as a region."""
    periods = {r.period for r in records}
    for total in totals:
        period = total.period if total.period is not None or len(periods) != 1 else next(iter(periods))
        rows = [r for r in records if r.period == period]
        for fid, stated in total.values.items():
            parts = [r.values.get(fid) for r in rows]
            if stated is None or not parts or None in parts or kinds[fid] is Kind.PARAMETER:
                continue
            computed = sum(parts, Decimal(0))
            if computed != stated:
                where = total.cells[fid]
                yield Issue.make(
                    IssueCode.TOTAL_MISMATCH,
                    where,
                    label=total.label,
                    header=where.header,
                    stated=stated,
                    computed=computed,
                    period=period,
                )
