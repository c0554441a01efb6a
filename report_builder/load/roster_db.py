"""CSV rosters read and checked row by row in DuckDB.

A CSV roster that is UTF-8 with one record a line (so a record's number is its line) is read by DuckDB itself;
any other (GB18030, quoted line breaks, rows wider than the head) is left to the Python readers. The checks of a
row that SQL can decide over the whole table (the GB 11643 check digit, the birth date, the household, and the
values of the listed columns: region, period, category, 供养方式, 自理能力, each distinct value judged once by the
Python rules) pass the clean rows; the others go to `read_row` in rosters.py, which words their messages, so the
issues are those of the Python path row for row.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Generator, Mapping
from pathlib import Path

from report_builder.issues import Issue
from report_builder.load.cells import clean_text
from report_builder.load.readers import RawSheet, csv_delimiter, csv_rows
from report_builder.load.rosters import (
    _CARE,
    _CATEGORIES,
    _MODES,
    _WEIGHTS,
    HEADER_SEARCH_ROWS,
    Category,
    Column,
    Person,
    Roster,
    is_blank,
    is_roster,
    read_row,
    roster_layout,
)
from report_builder.periods import Period
from report_builder.regions import RegionTree, normalize_code

# What str.strip() removes, for the SQL that must agree with clean_text.
_SPACE = "".join(f"\\x{{{ord(c):x}}}" for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
_COLUMNS = tuple(Column)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def csv_head(path: Path, name: str) -> tuple[RawSheet, str] | None:
    """The first rows of a UTF-8 CSV file and its delimiter, or None when they are not UTF-8."""
    with path.open("rb") as handle:
        head = b"".join(line for _, line in zip(range(HEADER_SEARCH_ROWS), handle, strict=False))
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    delimiter = csv_delimiter(text)
    return RawSheet(name, None, list(csv_rows(text, delimiter))), delimiter


def read_csv_roster(
    path: Path, head: RawSheet, delimiter: str, aliases: Mapping[str, str], regions: RegionTree
) -> Generator[Issue, None, Roster | None]:
    """What `read_roster` gives for the whole file, or None (nothing yielded) when DuckDB cannot read it line
    for line. `head` is a roster (`is_roster`)."""
    import duckdb  # only when a folder holds a roster

    assert is_roster(head, aliases)
    found: list[Issue] = []
    layout_steps = roster_layout(head, aliases)
    try:
        while True:
            found.append(next(layout_steps))
    except StopIteration as stop:
        layout = stop.value
    if layout is None:
        yield from found
        return Roster(head.name, None, ())
    width = max(len(cells) for _, cells in head.rows)
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(1, width + 1))
    with duckdb.connect() as con:
        try:
            con.execute(
                f"CREATE TABLE raw AS SELECT * FROM read_csv({_lit(str(path))}, header = false, "
                f"skip = {layout.header}, delim = {_lit(delimiter)}, quote = '\"', escape = '\"', "
                f"null_padding = true, columns = {{{columns}}}, auto_detect = false)"
            )
        except duckdb.Error:
            return None
        (records,) = con.execute("SELECT count(*) FROM raw").fetchone()
        if records != _line_count(path) - layout.header:
            return None  # a blank line or a quoted line break: record numbers are not lines
        cols = layout.columns
        values = ", ".join(
            f"c{cols[c]} AS {c.name.lower()}"
            if c in cols
            else (f"{_lit(str(layout.default_period))}" if c is Column.PERIOD else "NULL")
            + f" AS {c.name.lower()}"
            for c in _COLUMNS
        )
        con.execute(f"CREATE TABLE rows AS SELECT rowid + {layout.header + 1} AS line, {values}, * FROM raw")
        periods = _mappings(con, regions)
        clean = _clean_rows(con)
        yield from found
        people: dict[int, Person] = {}
        for line, id_number, name, household, region, period, category, mode, care, reason in clean:
            people[line] = Person(
                id_number,
                clean_text(name or ""),
                household,
                region,
                periods[period],
                Category(category),
                mode,
                care,
                dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])),
                reason,
                head.location(line, cols[Column.ID], Column.ID.value),
            )
        others = con.execute(
            f"SELECT line, {', '.join(f'c{i}' for i in range(1, width + 1))} FROM rows "
            "WHERE line NOT IN (SELECT line FROM clean) ORDER BY line"
        ).fetchall()
    seen: dict[str, Period] = {}
    for line, *cells in others:
        if not is_blank(cells):
            person = yield from read_row(head, line, cells, layout, regions, seen)
            if person is not None:
                people[line] = person
    return Roster(head.name, None, tuple(people[line] for line in sorted(people)))


def _line_count(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def _mappings(con: object, regions: RegionTree) -> dict[str, Period]:
    """A table per listed column: each distinct value as the Python rules judge it (NULL: refused)."""
    periods: dict[str, Period] = {}

    def region(text: str) -> tuple[str | None]:
        code = normalize_code(clean_text(text))
        return (code if code in regions else None,)

    def period(text: str) -> tuple[str | None, dt.date | None]:
        try:
            found = Period.parse(clean_text(text))
        except ValueError:
            return (None, None)
        periods[str(found)] = found
        return (str(found), found.end)

    def choice(allowed: Mapping[str, bool]) -> Callable[[str], tuple[bool | None]]:
        def judge(text: str) -> tuple[bool | None]:
            value = clean_text(text).replace(" ", "")
            return (allowed.get(value) if value else False,)

        return judge

    def category(text: str) -> tuple[str | None]:
        found = _CATEGORIES.get(clean_text(text).replace(" ", ""))
        return (found.value if found else None,)

    judges: dict[str, tuple[str, Callable[[str], tuple[object, ...]]]] = {
        "region": ("value VARCHAR", region),
        "period": ("value VARCHAR, period_end DATE", period),
        "category": ("value VARCHAR", category),
        "mode": ("value BOOLEAN", choice(_MODES)),
        "care": ("value BOOLEAN", choice(_CARE)),
        "exit": ("value VARCHAR", lambda text: (clean_text(text) or None,)),
    }
    for column, (kinds, judge) in judges.items():
        con.execute(f"CREATE TABLE m_{column} (raw VARCHAR, {kinds})")
        texts = [
            text for (text,) in con.execute(f"SELECT DISTINCT coalesce({column}, '') FROM rows").fetchall()
        ]
        if texts:
            con.executemany(
                f"INSERT INTO m_{column} VALUES (?{', ?' * (kinds.count(',') + 1)})",
                [(text, *judge(text)) for text in texts],
            )
    return periods


def _clean_rows(con: object) -> list[tuple[object, ...]]:
    """The rows every row check passes, with their values as the Python rules read them."""
    digits = " + ".join(f"(ascii(r.id[{i + 1}]) - 48) * {w}" for i, w in enumerate(_WEIGHTS))
    born = "try_strptime(r.id[7:14], '%Y%m%d')"
    con.execute(f"""
        CREATE TABLE clean AS
        SELECT r.line, r.id, r.name, r.household, g.value, p.value, c.value, m.value, d.value, e.value
        FROM rows r
        JOIN m_region g ON g.raw = coalesce(r.region, '')
        JOIN m_period p ON p.raw = coalesce(r.period, '')
        JOIN m_category c ON c.raw = coalesce(r.category, '')
        JOIN m_mode m ON m.raw = coalesce(r.mode, '')
        JOIN m_care d ON d.raw = coalesce(r.care, '')
        JOIN m_exit e ON e.raw = coalesce(r.exit, '')
        WHERE regexp_full_match(r.id, '[0-9]{{17}}[0-9X]')
          AND '10X98765432'[({digits}) % 11 + 1] = r.id[18]
          AND year({born}) >= 1890 AND {born}::DATE <= p.period_end
          AND r.household <> '' AND NOT regexp_matches(r.household, '^[{_SPACE}]|[{_SPACE}]$')
          AND g.value IS NOT NULL AND p.value IS NOT NULL AND c.value IS NOT NULL
          AND m.value IS NOT NULL AND d.value IS NOT NULL
    """)
    return con.execute("SELECT * FROM clean ORDER BY line").fetchall()
