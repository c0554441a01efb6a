"""Rosters (花名册): one row per person, recognised by a 身份证号 (or 证件号码) column, counted into the fields the
fact tables give.

A roster row is a person in a period: the 身份证号 (checked against GB 11643; a 15-digit legacy number is converted
to 18 digits), the household, the township or village, the category (城市低保 / 农村低保 / 特困), for 特困 the
供养方式 and 自理能力. A row with a 退出原因 records an exit: it is not counted in the period. Counting
(`roster_facts`) gives, per region and period, what a fact table row would: 农村低保户数 (distinct households) and
人数 (rows), 特困人员数, 集中供养, 生活不能自理 (全护理) and its 集中供养; the region tree then sums them up as it sums
fact tables. Checks across rows (`check_people`) find the same person twice in a period, in two townships, in
低保 and 特困 at once, and a household split across townships.

No full ID number and no full name leaves this module: every message masks them (341323********1234, 张*明).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path, PurePath
from typing import NamedTuple

from report_builder.dataset import Fact
from report_builder.fields import normalize_header
from report_builder.issues import Issue, IssueCode, Location, mask_id, mask_name
from report_builder.load.cells import clean_text
from report_builder.load.readers import RawSheet, ReadFailed
from report_builder.periods import Period
from report_builder.regions import Level, RegionTree, normalize_code

ROSTER_SUFFIXES = frozenset({".parquet"})  # read only as rosters; CSV and XLSX are rosters by their header
HEADER_SEARCH_ROWS = 30


class Column(StrEnum):
    ID = "身份证号"
    NAME = "姓名"
    HOUSEHOLD = "户编号"
    REGION = "区划代码"
    PERIOD = "统计期"
    CATEGORY = "保障类别"
    MODE = "供养方式"
    CARE = "自理能力"
    RELATION = "与户主关系"
    AMOUNT = "月保障金额(元)"
    EXIT = "退出原因"


# Other headers the information systems export for the same column; a data folder adds its own in config.toml.
_ALIASES = {
    "证件号码": Column.ID,
    "身份证号码": Column.ID,
    "公民身份号码": Column.ID,
    "户主身份证号": Column.HOUSEHOLD,
    "户号": Column.HOUSEHOLD,
    "行政区划代码": Column.REGION,
    "月保障金额": Column.AMOUNT,
}
_REQUIRED = (Column.ID, Column.HOUSEHOLD, Column.REGION, Column.CATEGORY)


class Category(StrEnum):
    URBAN_DIBAO = "城市低保"
    RURAL_DIBAO = "农村低保"
    TEKUN = "特困"

    @property
    def is_dibao(self) -> bool:
        return self is not Category.TEKUN


_CATEGORIES = {c.value: c for c in Category}
_MODES = {"集中": True, "集中供养": True, "分散": False, "分散供养": False}
_CARE = {"全自理": False, "半自理": False, "全护理": True}  # 全护理 is 生活不能自理
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class Person(NamedTuple):
    """One roster row, checked. `id` is the 18-digit number (converted from 15 where needed); `cell` the row's
    ID cell, for messages."""

    id: str
    name: str
    household: str
    region: str
    period: Period
    category: Category
    concentrated: bool
    dependent: bool
    born: dt.date
    exit_reason: str | None
    cell: Location

    @property
    def who(self) -> str:
        return f"{mask_name(self.name)}（{mask_id(self.id)}）" if self.name else mask_id(self.id)


@dataclass(frozen=True)
class Roster:
    name: str
    sheet: str | None
    people: tuple[Person, ...]


def check_digit(first17: str) -> str:
    """GB 11643-1999: the 18th character from the weighted sum of the first seventeen, modulo 11."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def is_roster(raw: RawSheet, aliases: Mapping[str, str]) -> bool:
    return _header_row(raw, aliases) is not None


def _header_row(raw: RawSheet, aliases: Mapping[str, str]) -> int | None:
    for number, cells in raw.rows[:HEADER_SEARCH_ROWS]:
        if any(_column(cell, aliases) is Column.ID for cell in cells):
            return number
    return None


def _column(cell: object, aliases: Mapping[str, str]) -> Column | None:
    if cell is None:
        return None
    text = normalize_header(clean_text(cell))
    text = normalize_header(aliases.get(text, text))
    if text in Column._value2member_map_:
        return Column(text)
    return _ALIASES.get(text)


def read_parquet(path: Path, name: str) -> RawSheet:
    """A Parquet roster as the rows a CSV would give: the header on line 1, record n on line n + 1."""
    import duckdb  # only when a folder holds a Parquet roster

    try:
        with duckdb.connect() as con:
            result = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
            header: list[object] = [d[0] for d in result.description]
            rows = [(1, header)]
            rows.extend((n, list(values)) for n, values in enumerate(result.fetchall(), start=2))
    except duckdb.Error as exc:
        why = f"无法作为 Parquet 文件读取（{type(exc).__name__}）"
        raise ReadFailed(Issue.make(IssueCode.NOT_A_TABLE, Location(name), why=why)) from None
    return RawSheet(name, None, rows)


def read_roster(
    raw: RawSheet, aliases: Mapping[str, str], regions: RegionTree
) -> Generator[Issue, None, Roster]:
    """Yield the problems of each row; return the rows that passed. The reference for load/roster_db.py, which
    reads rosters with DuckDB and hands only the rows it cannot pass on its own to `read_row`."""
    layout = yield from roster_layout(raw, aliases)
    if layout is None:
        return Roster(raw.name, raw.sheet, ())
    people = []
    periods: dict[str, Period] = {}
    for number, cells in raw.rows:
        if number > layout.header and not is_blank(cells):
            person = yield from read_row(raw, number, cells, layout, regions, periods)
            if person is not None:
                people.append(person)
    return Roster(raw.name, raw.sheet, tuple(people))


class Layout(NamedTuple):
    """Where a roster's columns are: the header's row number, each column's number, the period a file or sheet
    name gives."""

    header: int
    columns: Mapping[Column, int]
    default_period: Period | None


def roster_layout(raw: RawSheet, aliases: Mapping[str, str]) -> Generator[Issue, None, Layout | None]:
    """The layout of a sheet is_roster accepted, or None after yielding the required columns it lacks."""
    header = _header_row(raw, aliases)
    assert header is not None, "roster_layout is called on sheets is_roster accepted"
    columns: dict[Column, int] = {}
    for col, cell in enumerate(dict(raw.rows)[header], start=1):
        found = _column(cell, aliases)
        if found is not None:
            columns.setdefault(found, col)
    default_period = _period_from_name(raw)
    missing = [c for c in _REQUIRED if c not in columns]
    if Column.PERIOD not in columns and default_period is None:
        missing.append(Column.PERIOD)
    for column in missing:
        yield Issue.make(IssueCode.MISSING_COLUMN, raw.location(header), column=column, hint="（花名册）")
    return None if missing else Layout(header, columns, default_period)


def is_blank(cells: Iterable[object]) -> bool:
    return not any(clean_text(c) for c in cells if c is not None)


def _period_from_name(raw: RawSheet) -> Period | None:
    for candidate in (raw.sheet, PurePath(raw.name).stem):
        try:
            return Period.parse(candidate)
        except ValueError:
            continue
    return None


def read_row(
    raw: RawSheet,
    number: int,
    cells: list[object],
    layout: Layout,
    regions: RegionTree,
    periods: dict[str, Period],
) -> Generator[Issue, None, Person | None]:
    columns, default_period = layout.columns, layout.default_period
    width = len(cells)
    values = {
        column: "" if col > width or cells[col - 1] is None else clean_text(_as_text(cells[col - 1]))
        for column, col in columns.items()
    }

    def where(column: Column) -> Location:
        return raw.location(number, columns.get(column), column.value)

    id_cell = where(Column.ID)
    col = columns[Column.ID]
    checked = yield from _checked_id(cells[col - 1] if col <= width else None, id_cell)
    problems = []
    household = values[Column.HOUSEHOLD]
    if not household:
        problems.append(Issue.make(IssueCode.MISSING_KEY, where(Column.HOUSEHOLD), what="户编号"))
    region = normalize_code(values[Column.REGION])
    if region not in regions:
        problems.append(
            Issue.make(IssueCode.UNKNOWN_REGION, where(Column.REGION), what="代码", value=region or "（空）")
        )
    period = default_period
    if Column.PERIOD in columns:
        text = values[Column.PERIOD]
        period = periods.get(text)
        if period is None:
            try:
                period = periods[text] = Period.parse(text)
            except ValueError:
                problems.append(Issue.make(IssueCode.BAD_PERIOD, where(Column.PERIOD), value=text))
    category = _CATEGORIES.get(values[Column.CATEGORY].replace(" ", ""))
    if category is None:
        problems.append(_bad_choice(where(Column.CATEGORY), values[Column.CATEGORY], _CATEGORIES))
    flags = []
    for column, allowed in ((Column.MODE, _MODES), (Column.CARE, _CARE)):
        value = values.get(column, "").replace(" ", "")
        flag = allowed.get(value) if value else False
        if flag is None:
            problems.append(_bad_choice(where(column), value, allowed))
        flags.append(bool(flag))
    yield from problems
    if problems or checked is None or period is None or category is None:
        return None
    id_number, born = checked
    if born > period.end:
        yield Issue.make(
            IssueCode.ROSTER_BIRTH_DATE, id_cell, id=mask_id(id_number), why=f"晚于统计期末（{period}）"
        )
        return None
    name, exit_reason = values.get(Column.NAME, ""), values.get(Column.EXIT) or None
    return Person(id_number, name, household, region, period, category, *flags, born, exit_reason, id_cell)


def _as_text(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _bad_choice(where: Location, value: str, allowed: Iterable[str]) -> Issue:
    return Issue.make(
        IssueCode.ROSTER_BAD_VALUE, where, header=where.header, allowed="、".join(allowed), value=value
    )


def _checked_id(value: object, where: Location) -> Generator[Issue, None, tuple[str, dt.date] | None]:
    """The 18-digit number and the birth date it holds, or None after yielding why it cannot be used."""
    if isinstance(value, float):  # Excel keeps 15 significant digits: the end of the number is gone
        yield Issue.make(
            IssueCode.ROSTER_BAD_ID, where, id=mask_id(_as_text(value)), why="存成了数字，末几位已丢失"
        )
        return None
    text = clean_text(_as_text(value)) if value is not None else ""
    text = text.replace(" ", "").upper()
    if len(text) == 15 and text.isdigit():
        converted = text[:6] + "19" + text[6:]
        converted += check_digit(converted)
        yield Issue.make(IssueCode.ROSTER_LEGACY_ID, where, id=mask_id(text), new=mask_id(converted))
        text = converted
    elif len(text) != 18 or not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        yield Issue.make(
            IssueCode.ROSTER_BAD_ID, where, id=mask_id(text) or "（空）", why="应为18位（或15位）号码"
        )
        return None
    elif check_digit(text[:17]) != text[17]:
        yield Issue.make(IssueCode.ROSTER_CHECK_DIGIT, where, id=mask_id(text))
        return None
    try:
        born = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1890:
        yield Issue.make(IssueCode.ROSTER_BIRTH_DATE, where, id=mask_id(text), why="日期不存在")
        return None
    return text, born


def township_of(code: str, regions: RegionTree) -> str:
    """The township (乡级) a region lies in: itself, or the 乡 above a village."""
    for candidate in (code, *regions.ancestors(code)):
        if regions[candidate].level is Level.乡:
            return candidate
    return code


def check_people(people: Iterable[Person], regions: RegionTree) -> Iterator[Issue]:
    """Across every roster of the folder (`people` in the order read), per period: the same person twice (same
    category), in two townships, in 低保 and in 特困; a household whose members sit in different townships. Each
    at the later row. Rows recording an exit take no part. Only the groups of people a message may concern need
    be given: the same (period, 身份证号) or (period, 户编号) in full."""
    seen: dict[tuple[Period, str], list[Person]] = {}
    households: dict[tuple[Period, str], Person] = {}
    towns: dict[str, str] = {}
    for person in (p for p in people if p.exit_reason is None):
        town = towns.get(person.region) or towns.setdefault(
            person.region, township_of(person.region, regions)
        )
        for earlier in seen.get((person.period, person.id), []):
            other = {"who": person.who, "period": person.period, "other": earlier.cell}
            if earlier.category is person.category:
                yield Issue.make(IssueCode.ROSTER_DUPLICATE, person.cell, **other)
            elif earlier.category.is_dibao != person.category.is_dibao:
                yield Issue.make(
                    IssueCode.ROSTER_DIBAO_AND_TEKUN,
                    person.cell,
                    category=person.category,
                    other_category=earlier.category,
                    **other,
                )
            earlier_town = towns[earlier.region]
            if earlier_town != town:
                yield Issue.make(
                    IssueCode.ROSTER_TWO_TOWNSHIPS,
                    person.cell,
                    town=regions[town].name,
                    other_town=regions[earlier_town].name,
                    **other,
                )
        seen.setdefault((person.period, person.id), []).append(person)
        first = households.setdefault((person.period, person.household), person)
        first_town = towns[first.region]
        if first_town != town:
            yield Issue.make(
                IssueCode.ROSTER_HOUSEHOLD_SPLIT,
                person.cell,
                household=mask_id(person.household) if len(person.household) >= 15 else person.household,
                period=person.period,
                town=regions[town].name,
                other_town=regions[first_town].name,
                other=first.cell,
            )


# Fields per category: what a roster row counts towards. Households are distinct household ids.
DIBAO_FIELDS = ("dibao_rural_households", "dibao_rural_persons")
TEKUN_FIELDS = ("tekun_persons", "tekun_concentrated", "tekun_dependent", "tekun_dependent_concentrated")


def roster_facts(
    rosters: Iterable[Roster], headers: Mapping[str, str]
) -> dict[tuple[str, Period], dict[str, Fact]]:
    """Per region and period, the fields the rosters give, each at a location naming the roster it was counted
    from (`headers`: field id → standard header). A region a roster lists for a period has every field of each
    category that roster holds for that period (0 where none of its people counts)."""
    counts: dict[tuple[str, Period], dict[str, int]] = {}
    households: dict[tuple[str, Period], set[str]] = {}
    source: dict[tuple[str, Period, str], str] = {}
    groups: dict[tuple[str, Period], set[tuple[str, ...]]] = {}
    rosters = list(rosters)
    for roster in rosters:
        for p in roster.people:
            if p.exit_reason is not None:
                continue
            key = (p.region, p.period)
            row = counts.setdefault(key, {})
            if p.category is Category.RURAL_DIBAO:
                group = DIBAO_FIELDS
                households.setdefault(key, set()).add(p.household)
                row["dibao_rural_persons"] = row.get("dibao_rural_persons", 0) + 1
            elif p.category is Category.TEKUN:
                group = TEKUN_FIELDS
                for fid, counted in zip(
                    TEKUN_FIELDS,
                    (True, p.concentrated, p.dependent, p.concentrated and p.dependent),
                    strict=True,
                ):
                    row[fid] = row.get(fid, 0) + counted
            else:
                continue  # 城市低保: checked, but no field of the fact tables counts it
            groups.setdefault((roster.name, p.period), set()).add(group)
            for fid in group:
                source.setdefault((p.region, p.period, fid), roster.name)
    facts: dict[tuple[str, Period], dict[str, Fact]] = {}
    for roster in rosters:
        for p in roster.people:
            for group in groups.get((roster.name, p.period), ()):
                for fid in group:
                    source.setdefault((p.region, p.period, fid), roster.name)
    for (region, period, fid), name in source.items():
        row = counts.get((region, period), {})
        value = (
            len(households.get((region, period), ())) if fid == "dibao_rural_households" else row.get(fid, 0)
        )
        cell = Location(name, header=f"{headers[fid]}（名册汇总）")
        facts.setdefault((region, period), {})[fid] = Fact(Decimal(value), cell)
    return facts
