"""Every roster of a folder in one DuckDB table: read, checked and counted in SQL.

A CSV roster that is UTF-8 with one record a line (so a record's number is its line) is read by DuckDB itself.
Any other roster (an XLSX sheet, a GB18030 CSV, quoted line breaks, a Parquet file) is read once by the Python
readers and kept as Parquet in `<data>/.report_builder_cache/`, named by the SHA-256 of the file and of what
decides its reading (the sheet chosen, the header aliases): the next load reads the Parquet. The cache is a hidden
folder, which the loader never reads as data; where the data folder cannot be written, a temporary folder serves.

Each roster is scanned once into the table `judged` (a CSV through a plain copy first: see `_insert`), every row
judged `ok` or not by one SQL expression (`checked_rows` and the listed values written exactly as the lists write
them); the period is judged per distinct value afterwards. Rows that are not `ok` keep their text: a second chance
judges each distinct value of theirs by the Python rules, and what is left goes to `read_row` in rosters.py, which
words their messages. Across rows, GROUP BY finds the keys a message may concern (one 身份证号 twice in a period, a
household in two townships) and `check_people` words them from their rows; GROUP BY gives the counts
`roster_facts` gives. Only those rows and the counts reach Python. Both Python functions stay the reference:
tests/load/test_roster_db.py holds the two paths to the same facts and issues.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from report_builder.dataset import Fact
from report_builder.issues import Issue, Location, collect
from report_builder.load.cells import clean_text
from report_builder.load.readers import RawSheet, csv_delimiter, csv_rows
from report_builder.load.rosters import (
    _CARE,
    _CATEGORIES,
    _MODES,
    _WEIGHTS,
    DIBAO_FIELDS,
    HEADER_SEARCH_ROWS,
    TEKUN_FIELDS,
    Category,
    Column,
    Layout,
    Person,
    _as_text,
    check_people,
    is_roster,
    read_row,
    roster_layout,
    township_of,
)
from report_builder.periods import Period
from report_builder.regions import RegionTree, normalize_code

CACHE_DIR = ".report_builder_cache"


@functools.cache
def _space_class() -> str:
    """What str.strip() removes, for the SQL that must agree with clean_text, as the inside of a regex class
    (found on first use: the scan of all of Unicode takes 70 ms, which a build without rosters need not pay at
    import)."""
    return "".join(f"\\x{{{ord(c):x}}}" for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


_FIELDS = {Category.RURAL_DIBAO.value: DIBAO_FIELDS, Category.TEKUN.value: TEKUN_FIELDS}


@dataclass(frozen=True)
class Source:
    """One roster sheet as DuckDB reads it: `table` a table expression giving the cells as text `c1`…`cN`, and
    either `line` (a cached sheet, whose `numeric` lists the columns that held a number: ",3,") or, for a CSV
    read directly, `csv_lines` the lines of the file (each record one line after the header)."""

    name: str
    sheet: str | None
    table: str
    layout: Layout
    width: int
    csv_lines: int | None = None
    cache: str | None = None  # where a CSV that DuckDB cannot read line for line goes

    def location(
        self, row: int | None = None, column: int | None = None, header: str | None = None
    ) -> Location:
        return Location(self.name, self.sheet, row, column, header)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _layout(raw: RawSheet, aliases: Mapping[str, str], issues: list[Issue]) -> Layout | None:
    found = roster_layout(raw, aliases)
    while True:
        try:
            issues.append(next(found))
        except StopIteration as done:
            return done.value


def csv_source(
    path: Path, name: str, aliases: Mapping[str, str], cache: Path, issues: list[Issue]
) -> Source | bool | None:
    """A CSV roster DuckDB may read directly (a Source; None when its layout lacks a column, after saying so in
    `issues`), or False when the file is no roster or not UTF-8 in its first lines."""
    with path.open("rb") as handle:
        head = b"".join(line for _, line in zip(range(HEADER_SEARCH_ROWS), handle, strict=False))
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    delimiter = csv_delimiter(text)
    raw = RawSheet(name, None, list(csv_rows(text, delimiter)))
    if not raw.rows or not is_roster(raw, aliases):
        return False
    layout = _layout(raw, aliases, issues)
    if layout is None:
        return None
    width = max(len(cells) for _, cells in raw.rows)
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(1, width + 1))
    table = (
        f"read_csv({_lit(str(path))}, header = false, skip = {layout.header}, delim = {_lit(delimiter)}, "
        f"quote = '\"', escape = '\"', null_padding = true, columns = {{{columns}}}, auto_detect = false)"
    )
    with path.open("rb") as handle:
        lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
        handle.seek(max(handle.tell() - 1, 0))
        lines += handle.read(1) not in (b"\n", b"")
    return Source(name, None, table, layout, width, lines, str(cache))


def cached_sources(
    sheets: Iterable[RawSheet], key: str, cache: Path, aliases: Mapping[str, str], issues: list[Issue]
) -> list[Source]:
    """The roster sheets among `sheets` (read by the Python readers), written to the cache under `key`."""
    sources = []
    for k, raw in enumerate(sheets):
        if not is_roster(raw, aliases):
            continue
        layout = _layout(raw, aliases, issues)
        if layout is None:
            continue
        width = max((len(cells) for _, cells in raw.rows), default=1)
        target = cache / f"{key}-{k}.parquet"
        if not target.exists():
            target = _write_parquet(raw, width, target)
        sources.append(Source(raw.name, raw.sheet, f"read_parquet({_lit(str(target))})", layout, width))
    return sources


def parquet_source(
    path: Path, name: str, aliases: Mapping[str, str], issues: list[Issue]
) -> Source | bool | None:
    """A Parquet roster whose columns are text or integers, read as if its header were line 1 (a Source; None
    after saying which column it lacks); False when the Python reader must take it."""
    import duckdb

    try:
        with duckdb.connect() as con:
            described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({_lit(str(path))})").fetchall()
    except duckdb.Error:
        return False
    if not all(kind == "VARCHAR" or kind.endswith("INT") for _, kind, *_ in described):
        return False
    header: list[object] = [column for column, *_ in described]
    raw = RawSheet(name, None, [(1, header)])
    if not is_roster(raw, aliases):
        return False
    layout = _layout(raw, aliases, issues)
    if layout is None:
        return None
    quoted = [str(c).replace('"', '""') for c in header]
    cells = ", ".join(f'CAST("{c}" AS VARCHAR) AS c{i}' for i, c in enumerate(quoted, 1))
    table = (
        f"(SELECT {cells}, file_row_number + 2 AS line, '' AS numeric "
        f"FROM read_parquet({_lit(str(path))}, file_row_number = true))"
    )
    return Source(name, None, table, layout, len(header))


def workbook_sources(
    path: Path, name: str, chosen: str | None, aliases: Mapping[str, str], cache: Path, issues: list[Issue]
) -> tuple[list[Source], list[RawSheet]]:
    """A workbook's roster sheets as sources and its other sheets, to read as fact tables. A workbook whose every
    sheet is a roster comes from the cache when it was read before. Raises ReadFailed as read_sheets does."""
    from report_builder.load.readers import read_sheets

    key = cache_key(path, chosen, dict(aliases))
    manifest = cache / f"{key}.json"
    if manifest.exists():
        kept = json.loads(manifest.read_text(encoding="utf-8"))
        sources = []
        for sheet, header, columns, default, width, file in kept:
            layout = Layout(header, {Column(c): n for c, n in columns}, default and Period.parse(default))
            table = f"read_parquet({_lit(str(cache / file))})"
            sources.append(Source(name, sheet, table, layout, width))
        return sources, []
    sheets = read_sheets(path, name, chosen)
    rosters = [raw for raw in sheets if is_roster(raw, aliases)]
    others = [raw for raw in sheets if not is_roster(raw, aliases)]
    sources = cached_sources(sheets, key, cache, aliases, issues)
    if not others and len(sources) == len(rosters):
        kept = [
            [
                s.sheet,
                s.layout.header,
                [[c.value, n] for c, n in s.layout.columns.items()],
                s.layout.default_period and str(s.layout.default_period),
                s.width,
                Path(s.table.split("'")[1]).name,
            ]
            for s in sources
        ]
        if all(Path(s.table.split("'")[1]).parent == cache for s in sources):
            manifest.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    return sources, others


def cache_key(path: Path, *decides: object) -> str:
    digest = hashlib.sha256(path.read_bytes())
    digest.update(json.dumps(decides, ensure_ascii=False, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def cache_folder(data_dir: Path) -> Path:
    """Where a folder's cached rosters go (made when the first is written)."""
    return data_dir / CACHE_DIR


def _write_parquet(raw: RawSheet, width: int, target: Path) -> Path:
    """The sheet as Parquet at `target`, or in a temporary folder when the data folder cannot be written."""
    import duckdb

    try:
        target.parent.mkdir(exist_ok=True)
        writable = os.access(target.parent, os.W_OK)
    except OSError:
        writable = False
    if not writable:
        target = Path(tempfile.mkdtemp(prefix="report_builder_cache-")) / target.name

    with tempfile.TemporaryDirectory() as tmp:
        text = Path(tmp) / "rows.csv"
        with text.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "numeric", *(f"c{i}" for i in range(1, width + 1))])
            for number, cells in raw.rows:
                numeric = "".join(f",{i}" for i, c in enumerate(cells, 1) if isinstance(c, float))
                cells = [_cell(c) for c in cells] + [""] * (width - len(cells))
                writer.writerow([number, numeric + "," if numeric else "", *cells])
        columns = ", ".join(
            f"'{name}': '{'BIGINT' if name == 'line' else 'VARCHAR'}'" for name in _names(width)
        )
        part = target.with_suffix(".part")
        with duckdb.connect() as con:
            con.execute(
                f"COPY (SELECT * FROM read_csv({_lit(str(text))}, header = true, columns = {{{columns}}}, "
                f"auto_detect = false, delim = ',', quote = '\"', escape = '\"')) TO {_lit(str(part))} (FORMAT parquet)"
            )
        part.replace(target)
    return target


def _ymd(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _word(allowed: Mapping[str, bool], meaning: bool) -> str:
    return next(word for word, flag in allowed.items() if flag is meaning)


def _names(width: int) -> list[str]:
    return ["line", "numeric", *(f"c{i}" for i in range(1, width + 1))]


def _cell(value: object) -> str:
    return "" if value is None else _as_text(value)


def _is(column: str, values: Iterable[str]) -> str:
    """SQL: the text in `column` (NULL read as '') is one of `values`."""
    return f"coalesce({column}, '') IN ({', '.join(map(_lit, values))})"


def _as_cleaned(column: str) -> str:
    """SQL: the text in `column` is non-empty and already what clean_text makes of it (no space at either end, no
    full-width or no-break space inside)."""
    return f"({column} <> '' AND NOT regexp_matches({column}, '^[{_space_class()}]|[{_space_class()}]$|[\\x{{3000}}\\x{{a0}}]'))"


def _check_sum() -> str:
    """SQL: the GB 11643 weighted sum of `n` (the first seventeen digits as a number), modulo 11, in integer
    arithmetic. With q_k = n // 10^k the k-th digit from the right is q_k − 10·q_(k+1), so the sum is Σ q_k·c_k
    with c_k = w_k − 10·w_(k−1) ≡ w_k + w_(k−1) (mod 11): sixteen divisions instead of a substring per digit."""
    weights = _WEIGHTS[::-1]  # from the right
    terms = [f"{(w + (weights[k - 1] if k else 0)) % 11} * (n // {10**k})" for k, w in enumerate(weights)]
    return f"(({' + '.join(terms)}) % 11)"


# The birth date in the number as yyyymmdd (`ymd`), valid when the day exists and the year is 1890 or later: the
# date check of _checked_id in integer arithmetic (months of 31 days: (m + m // 8) % 2 = 1).
_BORN_OK = """(ymd // 10000 >= 1890 AND ymd // 100 % 100 BETWEEN 1 AND 12 AND ymd % 100 >= 1 AND (ymd % 100 <= 28
    OR ymd % 100 <= CASE WHEN ymd // 100 % 100 = 2
        THEN 28 + (ymd // 10000 % 4 = 0 AND (ymd // 10000 % 100 <> 0 OR ymd // 10000 % 400 = 0))::INTEGER
        ELSE 30 + (ymd // 100 % 100 + ymd // 100 % 100 // 8) % 2 END))"""
_JUDGED = """CREATE TABLE judged (
    src INTEGER, line BIGINT, ok BOOLEAN, blank BOOLEAN, numeric_id BOOLEAN, fixable BOOLEAN, id VARCHAR,
    name VARCHAR, household VARCHAR, region VARCHAR, town VARCHAR, period VARCHAR, category VARCHAR,
    concentrated BOOLEAN, dependent BOOLEAN, exit_reason VARCHAR, born INTEGER, mode VARCHAR, care VARCHAR,
    n BIGINT)"""
# A person as the queries give one (`born` is kept as yyyymmdd).
_PERSON = (
    "src, line, id, name, household, region, town, period, category, concentrated, dependent, exit_reason, "
    "make_date(born // 10000, born // 100 % 100, born % 100) AS born"
)
_STORED = "src, line, id, name, household, region, town, period, category, concentrated, dependent, exit_reason, born, n"
# What the Python row reader reads of a row it is handed (the `judged` columns that hold the raw text then).
_RAW = {
    Column.ID: "id",
    Column.NAME: "name",
    Column.HOUSEHOLD: "household",
    Column.REGION: "region",
    Column.PERIOD: "period",
    Column.CATEGORY: "category",
    Column.MODE: "mode",
    Column.CARE: "care",
    Column.EXIT: "exit_reason",
}


def checked_rows(relation: str, id_column: str, household: str, numeric: str = "false") -> str:
    """SQL: the rows of `relation` with the row checks SQL decides alone: `id_ok` (the 身份证号 in `id_column` has
    18 characters, its check digit, a birth date that exists and is 1890 or later, and was not stored as a number
    per `numeric`), `household_ok` (the 户编号 as clean_text leaves it, not empty), `n` the first seventeen digits as
    a number, `ymd` the birth date as yyyymmdd. benchmarks/roster_province.py uses it for its floor."""
    return f"""
        SELECT *, coalesce(NOT {numeric} AND regexp_full_match({id_column}, '[0-9]{{17}}[0-9X]')
                           AND '10X98765432'[{_check_sum()} + 1] = {id_column}[18] AND {_BORN_OK}, false) AS id_ok,
               coalesce({_as_cleaned(household)}, false) AS household_ok
        FROM (SELECT *, n // 1000 % 100000000 AS ymd
              FROM (SELECT *, try_cast(left({id_column}, 17) AS BIGINT) AS n FROM {relation}))"""


class _NotLineForLine(Exception):
    """A CSV whose records are not its lines."""


class RosterTable:
    """The rosters of a folder in one DuckDB connection `con`, checked: `issues` what the checks found, in the
    order the Python path gives them (row by row, then across rows). The view `people` holds everyone who passed,
    one row each: src, line, id, name, household, region, town, period, category, concentrated, dependent,
    exit_reason, born (a DATE); the table `judged` under it is the loader's own.

    Each roster is scanned once into `judged` (a CSV from a plain copy of its records): a row whose every value
    is already as the Python rules would leave it (a valid 身份证号, a region of the tree, the listed words exactly;
    the period is judged per distinct value afterwards) is judged `ok` by one SQL expression, without joins beyond
    the region's township. The few others keep their text; those whose 身份证号 and 户编号 pass get a second chance
    against each distinct value judged by the Python rules (a code with spaces, 2020年三季度), and the rest go to
    `read_row`, which words their messages. Only those rows, the candidates of the checks across rows and the
    counts leave DuckDB."""

    def __init__(self, sources: Iterable[Source], regions: RegionTree) -> None:
        import duckdb  # only when a folder holds a roster

        self.sources, self.regions = list(sources), regions
        self.con = duckdb.connect()
        self.periods: dict[str, Period] = {}
        self.issues: list[Issue] = []
        self._located: dict[tuple[str, str | None, int | None], str] = {}
        self.con.execute(_JUDGED)
        codes = list(regions.regions)
        self.con.execute(
            "CREATE TABLE towns AS SELECT unnest(?) AS code, unnest(?) AS town",
            [codes, [township_of(code, regions) for code in codes]],
        )
        for k, source in enumerate(self.sources):
            self._insert(k, source, duckdb)
        self._check_periods()
        self._second_chance()
        self._check_rows()

    def _insert(self, k: int, source: Source, duckdb: Any) -> None:
        """One scan of the roster into `judged`, each row judged by the SQL rules (`ok`) or kept as text."""
        cols, header = source.layout.columns, source.layout.header
        values = {}
        for column, name in _RAW.items():
            if column in cols:
                values[name] = f"c{cols[column]}"
            elif column is Column.PERIOD:
                values[name] = _lit(str(source.layout.default_period))
            else:
                values[name] = "CAST(NULL AS VARCHAR)"
        given = ", ".join(f"{value} AS {name}" for name, value in values.items())
        cells = ", ".join(f"coalesce(c{i}, '')" for i in range(1, source.width + 1))
        if source.csv_lines is None:
            numeric = f"contains(coalesce(numeric, ''), ',{cols[Column.ID]},')"
            scan = f"(SELECT * FROM {source.table} WHERE line > {header})"
        else:  # a table made in the file's order (in parallel): record n, rowid n - 1, is line n + header
            numeric, scan = "false", f"(SELECT rowid + {header + 1} AS line, * FROM stage)"
        concentrated = _is("mode", [v for v, flag in _MODES.items() if flag])
        dependent = _is("care", [v for v, flag in _CARE.items() if flag])
        query = f"""
            INSERT INTO judged
            SELECT {k}, line, ok, CASE WHEN ok THEN false ELSE NOT regexp_matches(concat({cells}), '[^{_space_class()}]') END,
                   numeric_id, CASE WHEN ok THEN NULL ELSE id_ok AND household_ok END, id, coalesce(name, ''),
                   household, region, town, coalesce(period, ''), category, {concentrated}, {dependent},
                   CASE WHEN ok THEN nullif(exit_reason, '') ELSE exit_reason END, ymd,
                   CASE WHEN ok THEN NULL ELSE mode END, CASE WHEN ok THEN NULL ELSE care END, n
            FROM (
                SELECT *, coalesce(id_ok AND household_ok AND town IS NOT NULL
                          AND category IN ({", ".join(map(_lit, _CATEGORIES))})
                          AND {_is("mode", ["", *_MODES])} AND {_is("care", ["", *_CARE])}
                          AND CASE WHEN coalesce(exit_reason, '') = '' THEN true ELSE {_as_cleaned("exit_reason")} END, false) AS ok
                FROM (
                    SELECT c.*, t.town
                    FROM ({checked_rows(f"(SELECT *, {numeric} AS numeric_id, {given} FROM {scan})", "id", "household", "numeric_id")}) c
                    LEFT JOIN towns t ON t.code = c.region))"""
        try:
            if source.csv_lines is not None:
                # A copy first: numbering the records in the scan (row_number) would keep the whole statement to
                # one thread, and a table filled by one thread is kept uncompressed (5,000,000 rows: 2.7 GB).
                self.con.execute(f"CREATE OR REPLACE TEMP TABLE stage AS SELECT * FROM {source.table}")
                (records,) = self.con.execute("SELECT count(*) FROM stage").fetchone()
                if records != source.csv_lines - header:  # a blank line or a quoted line break
                    raise _NotLineForLine
            self.con.execute(query)
        except (duckdb.Error, _NotLineForLine):
            self.sources[k] = self._fallback(source)
            return self._insert(k, self.sources[k], duckdb)
        finally:
            self.con.execute("DROP TABLE IF EXISTS stage")
        return None

    def _fallback(self, source: Source) -> Source:
        """A CSV DuckDB cannot read line for line: read by the Python reader, into the cache."""
        from report_builder.load.readers import read_sheets

        assert source.cache is not None
        path = Path(source.table.split("'")[1].replace("''", "'"))
        (raw,) = read_sheets(path, source.name)
        width = max(len(cells) for _, cells in raw.rows)
        target = Path(source.cache) / f"{cache_key(path)}-csv.parquet"
        if not target.exists():
            target = _write_parquet(raw, width, target)
        return Source(source.name, None, f"read_parquet({_lit(str(target))})", source.layout, width)

    def _check_periods(self) -> None:
        """The periods of the rows judged `ok`, each by Period.parse: a row whose period is spelled otherwise than
        str(Period) writes it (2020年三季度), or ends before the birth date, is not `ok` after all. Its 供养方式 and
        自理能力 were among the listed words: one of the same meaning stands in for the text."""
        found = self.con.execute("SELECT period, max(born) FROM judged WHERE ok GROUP BY period").fetchall()
        ends: list[int | None] = []
        for text, _ in found:
            try:
                period = Period.parse(text)
            except ValueError:
                ends.append(None)
                continue
            ends.append(_ymd(period.end) if str(period) == text else None)
        if all(end is not None and born <= end for (_, born), end in zip(found, ends, strict=True)):
            return
        self.con.execute(
            "CREATE TABLE ends AS SELECT unnest(?) AS period, unnest(?) AS last",
            [[text for text, _ in found], ends],
        )
        self.con.execute(f"""
            UPDATE judged SET ok = false, fixable = true,
                   mode = CASE WHEN concentrated THEN {_lit(_word(_MODES, True))} ELSE '' END,
                   care = CASE WHEN dependent THEN {_lit(_word(_CARE, True))} ELSE '' END
            FROM ends WHERE judged.ok AND ends.period = judged.period AND NOT coalesce(judged.born <= ends.last, false)
        """)

    def _second_chance(self) -> None:
        """Rows whose 身份证号 and 户编号 passed but some listed value is spelled otherwise: each distinct value as the
        Python rules judge it (NULL: refused), and the rows it passes made `ok`."""
        regions = self.regions

        def region(text: str) -> tuple[str | None, str | None]:
            code = normalize_code(clean_text(text))
            return (code, township_of(code, regions)) if code in regions else (None, None)

        def period(text: str) -> tuple[str | None, int | None]:
            try:
                found = Period.parse(clean_text(text))
            except ValueError:
                return (None, None)
            return (str(found), _ymd(found.end))

        def choice(allowed: Mapping[str, bool]) -> Callable[[str], tuple[bool | None]]:
            def judge(text: str) -> tuple[bool | None]:
                value = clean_text(text).replace(" ", "")
                return (allowed.get(value) if value else False,)

            return judge

        def category(text: str) -> tuple[str | None]:
            found = _CATEGORIES.get(clean_text(text).replace(" ", ""))
            return (found.value if found else None,)

        judges: dict[str, tuple[str, Callable[[str], tuple[object, ...]]]] = {
            "region": ("value VARCHAR, town VARCHAR", region),
            "period": ("value VARCHAR, period_end INTEGER", period),
            "category": ("value VARCHAR", category),
            "mode": ("value BOOLEAN", choice(_MODES)),
            "care": ("value BOOLEAN", choice(_CARE)),
            "exit_reason": ("value VARCHAR", lambda text: (clean_text(text) or None,)),
        }
        (fixable,) = self.con.execute("SELECT count(*) FROM judged WHERE fixable").fetchone()
        if not fixable:
            return
        for column, (kinds, judge) in judges.items():
            self.con.execute(f"CREATE TABLE m_{column} (raw VARCHAR, {kinds})")
            query = f"SELECT DISTINCT coalesce({column}, '') FROM judged WHERE fixable"
            texts = [text for (text,) in self.con.execute(query).fetchall()]
            self.con.executemany(
                f"INSERT INTO m_{column} VALUES (?{', ?' * (kinds.count(',') + 1)})",
                [(text, *judge(text)) for text in texts],
            )
        self.con.execute("""
            UPDATE judged SET ok = true, fixable = NULL, region = g.value, town = g.town, period = p.value,
                   category = c.value, concentrated = m.value, dependent = d.value,
                   exit_reason = e.value
            FROM m_region g, m_period p, m_category c, m_mode m, m_care d, m_exit_reason e
            WHERE judged.fixable AND g.raw = coalesce(judged.region, '') AND p.raw = coalesce(judged.period, '')
              AND c.raw = coalesce(judged.category, '') AND m.raw = coalesce(judged.mode, '')
              AND d.raw = coalesce(judged.care, '') AND e.raw = coalesce(judged.exit_reason, '')
              AND g.value IS NOT NULL AND p.value IS NOT NULL AND c.value IS NOT NULL
              AND m.value IS NOT NULL AND d.value IS NOT NULL AND judged.born <= p.period_end""")

    def _check_rows(self) -> None:
        """The rows SQL did not pass, through `read_row` (in the order read); then the checks across rows."""
        raw_columns = ", ".join(_RAW.values())
        others = self.con.execute(
            f"SELECT src, line, numeric_id, {raw_columns} FROM judged WHERE NOT ok AND NOT blank ORDER BY src, line"
        ).fetchall()
        passed = []
        seen: dict[str, Period] = {}
        for src, line, numeric, *values in others:
            source = self.sources[src]
            cells: list[object] = [None] * source.width
            for column, value in zip(_RAW, values, strict=True):
                if column in source.layout.columns:
                    cells[source.layout.columns[column] - 1] = value
            col = source.layout.columns[Column.ID]
            if numeric:
                cells[col - 1] = float(cells[col - 1])
            raw = RawSheet(source.name, source.sheet, [])
            person = collect(read_row(raw, line, cells, source.layout, self.regions, seen), self.issues)
            if person is not None:
                self.periods[str(person.period)] = person.period
                town = township_of(person.region, self.regions)
                self._located[source.name, source.sheet, line] = person.region
                passed.append(
                    (
                        src,
                        line,
                        person.id,
                        person.name,
                        person.household,
                        person.region,
                        town,
                        str(person.period),
                        person.category.value,
                        person.concentrated,
                        person.dependent,
                        person.exit_reason,
                        _ymd(person.born),
                        int(person.id[:17]),
                    )
                )
        self.con.execute("DELETE FROM judged WHERE NOT ok")
        if passed:
            self.con.executemany(f"INSERT INTO judged ({_STORED}) VALUES ({', '.join('?' * 14)})", passed)
        self.con.execute(f"CREATE VIEW people AS SELECT {_PERSON} FROM judged")
        for (text,) in self.con.execute("SELECT DISTINCT period FROM judged").fetchall():
            self.periods.setdefault(text, Period.parse(text))
        candidates = self._candidates()
        self._located.update({p.cell[:3]: p.region for p in candidates})
        self.issues.extend(check_people(candidates, self.regions))

    def _candidates(self) -> list[Person]:
        """The people a message across rows may concern: one 身份证号 more than once in a period, or a household
        whose members sit in more than one township. The keys first (none, mostly), then their rows.

        The GROUP BY on (period, 户编号) that finds the households in two townships also counts the 农村低保
        households of each region (`_households`, for `facts`): a household whose 农村低保 members all sit in one
        region counts there once; the few whose members sit in several regions are counted row by row."""
        homes = self.con.execute("""
            SELECT period, r1, t1 <> t2, r1 <> r2, CASE WHEN t1 <> t2 OR r1 <> r2 THEN household END, count(*)
            FROM (SELECT period, household, min(town) AS t1, max(town) AS t2,
                         min(region) FILTER (category = '农村低保') AS r1,
                         max(region) FILTER (category = '农村低保') AS r2
                  FROM judged WHERE exit_reason IS NULL GROUP BY period, household)
            GROUP BY ALL""").fetchall()
        self._households: dict[tuple[str, str], int] = {}
        split, spread = [], []
        for period, region, two_towns, regions, household, n in homes:
            if two_towns:
                split.append((period, household))
            if regions:
                spread.append((period, household))
            elif region is not None:
                self._households[region, period] = self._households.get((region, period), 0) + n
        if spread:
            self.con.execute(
                "CREATE TEMP TABLE spread AS SELECT unnest(?) AS period, unnest(?) AS household",
                [[p for p, _ in spread], [h for _, h in spread]],
            )
            for region, period, n in self.con.execute("""
                    SELECT region, period, count(DISTINCT household) FROM judged
                    WHERE exit_reason IS NULL AND category = '农村低保'
                      AND (period, household) IN (SELECT (period, household) FROM spread)
                    GROUP BY ALL""").fetchall():
                self._households[region, period] = self._households.get((region, period), 0) + n
        self.con.execute("""
            CREATE TEMP TABLE keys AS SELECT period, n, NULL::VARCHAR AS household FROM judged
            WHERE exit_reason IS NULL GROUP BY period, n HAVING count(*) > 1""")
        if split:
            self.con.execute(
                "INSERT INTO keys SELECT unnest(?), NULL, unnest(?)",
                [[p for p, _ in split], [h for _, h in split]],
            )
        (keys,) = self.con.execute("SELECT count(*) FROM keys").fetchone()
        if not keys:
            return []
        return self._people(f"""
            SELECT {_PERSON} FROM judged
            WHERE exit_reason IS NULL AND ((period, n) IN (SELECT (period, n) FROM keys WHERE n IS NOT NULL)
               OR (period, household) IN (SELECT (period, household) FROM keys WHERE household IS NOT NULL))
            ORDER BY src, line""")

    def _people(self, query: str, params: list[object] | None = None) -> list[Person]:
        found = []
        for (
            src,
            line,
            id_number,
            name,
            household,
            region,
            _,
            period,
            category,
            conc,
            dep,
            reason,
            born,
        ) in self.con.execute(query, params or []).fetchall():
            source = self.sources[src]
            cell = source.location(line, source.layout.columns[Column.ID], Column.ID.value)
            found.append(
                Person(
                    id_number,
                    clean_text(name),
                    household,
                    region,
                    self.periods[period],
                    Category(category),
                    conc,
                    dep,
                    born,
                    reason,
                    cell,
                )
            )
        return found

    def people(self, periods: Iterable[Period]) -> list[Person]:
        """Everyone on the rosters in `periods`, exit rows too, in the order read."""
        wanted = [str(p) for p in periods]
        return self._people(
            "SELECT * FROM people WHERE list_contains(?, period) ORDER BY src, line", [wanted]
        )

    def regions_at(self) -> dict[tuple[str, str | None, int | None], str]:
        """The region of each row that passed and that a message may concern (a row the Python reader passed, a
        candidate of the checks across rows), by its (file, sheet, row): what a batch needs to place the errors,
        without millions of rows in Python."""
        return dict(self._located)

    def facts(self, headers: Mapping[str, str]) -> dict[tuple[str, Period], dict[str, Fact]]:
        """What `roster_facts` gives: per region and period, each field a roster holds for that period.

        One GROUP BY over the people gives, per roster, region, period and category, the counts and the first
        row; the 农村低保 households per region and period were counted with the checks across rows. The rest (which roster a field is
        counted from, which regions a roster lists with nobody counted) works on those few rows in Python."""
        groups = self.con.execute("""
            SELECT src, region, period, category, exit_reason IS NULL, min(line), count(*),
                   count(*) FILTER (concentrated), count(*) FILTER (dependent),
                   count(*) FILTER (concentrated AND dependent)
            FROM judged GROUP BY ALL""").fetchall()
        households = self._households
        names = [source.name for source in self.sources]
        counted = set(_FIELDS)
        first: dict[tuple[str, str, str], tuple[int, int]] = {}
        held: dict[tuple[str, str], set[str]] = {}  # (roster, period) → the categories counted from it
        counts: dict[tuple[str, str], dict[str, int]] = {}
        for src, region, period, category, current, line, n, concentrated, dependent, both in groups:
            if not current or category not in counted:
                continue
            key = (region, period, category)
            first[key] = min(first.get(key, (src, line)), (src, line))
            held.setdefault((names[src], period), set()).add(category)
            row = counts.setdefault((region, period), dict.fromkeys(DIBAO_FIELDS + TEKUN_FIELDS, 0))
            if category == Category.RURAL_DIBAO.value:
                row["dibao_rural_persons"] += n
            else:
                for fid, value in zip(TEKUN_FIELDS, (n, concentrated, dependent, both), strict=True):
                    row[fid] += value
        rest: dict[tuple[str, str, str], tuple[int, int]] = {}
        for src, region, period, _, _, line, *_ in groups:
            for category in held.get((names[src], period), ()):
                key = (region, period, category)
                if key not in first:
                    rest[key] = min(rest.get(key, (src, line)), (src, line))
        facts: dict[tuple[str, Period], dict[str, Fact]] = {}
        for phase in (first, rest):
            for (region, period, category), (src, _) in sorted(
                phase.items(), key=lambda kv: (kv[1], kv[0][2])
            ):
                values = counts.get((region, period), {})
                row = facts.setdefault((region, self.periods[period]), {})
                for fid in _FIELDS[category]:
                    value = (
                        households.get((region, period), 0) if fid == DIBAO_FIELDS[0] else values.get(fid, 0)
                    )
                    row[fid] = Fact(
                        Decimal(value), Location(names[src], header=f"{headers[fid]}（名册汇总）")
                    )
        return facts
