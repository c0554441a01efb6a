"""A table's 合计 row against the sum of the rows it totals, column by column.

Only additive columns are summed: a header naming a rate, share, average or standard (率, 占比, 每千名, 均,
标准, %) is left alone, since a total rate is a ratio of sums, not a sum. Rows opening with 其中 or 小计 are
sub-items and not added in. A column whose header or digits show rounding (元, decimals) may miss its total by
the rows' rounding; the note on a yearbook table says so, and so does the interval test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from report_builder.audit.findings import Finding, Interval, Kind, Verdict, total
from report_builder.audit.parts import complementary
from report_builder.audit.quantities import Quantity
from report_builder.audit.source import FLAT_TOTAL, TextTable, normalize

_TOTAL = re.compile(r"^(?:合计|总计|全县|全市|全区|全省|全镇|总数)$")
_RESIDUAL = re.compile(
    r"^(?:其他|其它)"
)  # 其他收养性福利机构: what the kinds listed leave, so the list is all of them
_SUB_ITEM = re.compile(r"^(?:其中|小计|#|注|资料来源)")
_NOT_ADDITIVE = re.compile(r"率|占比|比重|比例|每|均|标准|%|‰|目标|差距|年份|代码|编码|编号|序号|行次|栏次")
_YEAR = re.compile(r"^((?:19|20)\d\d)年?$")
_OF_WHICH = re.compile(r"^(?:其中[：]?|#)")
_NUMBER = re.compile(r"^(-?\d+(?:\.\d+)?)$")


def check_table(table: TextTable) -> Iterator[Finding]:
    """The 合计 row against the rows it totals. When the row under the total is marked as its sub-item (#光荣院 under
    合计, as yearbooks mark 其中), the rows are items picked out of the total, not all of them: their sum may fall
    short of it, but not exceed it. A table whose rows nest is read by its structure or left alone (_totalled)."""
    rows = [tuple(normalize(c) for c in row) for row in table.rows]
    body = next((i for i, row in enumerate(rows) if _figures(row) and not _years(row)), None)
    if body is None:
        return
    header = rows[:body]
    totals = [i for i in range(body, len(rows)) if rows[i] and _TOTAL.match(rows[i][0])]
    if not totals and _whole_by_share(header, rows[body]):
        totals = [
            body
        ]  # "| 秀山县 | 496194 | 100.00 |" over its 街道 and 镇: the row whose share is 100 is the whole
    if len(totals) != 1:
        return
    at = totals[0]
    listed = [
        i
        for i in range(body, len(rows))
        if i != at and rows[i] and rows[i][0] and not _SUB_ITEM.match(rows[i][0])
    ]
    structure = _totalled(rows, listed)
    if structure is None:
        return
    parts, families = structure
    if len(parts) < 2:
        return
    outlined = bool(families) or any(_outline_level(rows[i][0])[0] is not None for i in parts)
    selection = at + 1 < len(rows) and bool(_OF_WHICH.match(rows[at + 1][0] if rows[at + 1] else ""))
    # "… | 下八镇 | 17771 | 1.86 | 2.3 | / | 塔河镇 | 10064 | 1.05 |": a last row shorter than the total's is a table cut
    # off where the page or excerpt ended — the rows are not all of it
    cut = sum(map(bool, rows[-1])) < sum(map(bool, rows[at]))
    plain = Columns(-1, tuple(_column_name(header, c) for c in range(len(rows[at]))), (None,) * len(rows[at]))
    for column in range(1, len(rows[at])):
        name = plain.names[column]
        if _SHARE_COLUMN.search(name) and not (outlined or selection):
            yield from _share_column(table, rows, at, parts, column, name, cut)
            continue
        if _NOT_ADDITIVE.search(name) or _numbers_rows([_cell(r, column) for r in rows[body:]]):
            continue
        cells = [_cell(rows[i], column) for i in (at, *parts)]
        if not all(_NUMBER.match(c) for c in cells):
            continue
        rounded = "元" in name
        stated, *items = (_quantity(c, rounded, at, column) for c in cells)
        summed = total(items)
        ok = summed.meets(stated)
        short = summed.hi < stated.value - stated.err
        if not ok and (
            ((selection or outlined or cut) and short)
            or _multiple(summed, stated)
            or _nests([rows[i] for i in parts])
        ):
            continue  # short of a list that may leave items out, or rows that hold subtotals: nothing certain
        what = f"第一级{len(items)}项之和" if outlined else f"其余{len(items)}行之和"
        yield _row_finding(
            Kind.PARTS,
            table,
            at,
            column,
            f"{name}{rows[at][0]} {stated.number}",
            f"{what} = {stated.show(summed.mid).rstrip(stated.unit)}",
            Verdict.CONSISTENT if ok else Verdict.INCONSISTENT,
            stated.number,
        )
        for parent, children in families:
            yield from _outline_sum(
                table,
                parent,
                [rows[parent], *(rows[c] for c in children)],
                column,
                plain,
                False,
                disjoint=not any(_PICKED.search(rows[c][0]) for c in children),
            )


def _whole_by_share(header: list[tuple[str, ...]], row: tuple[str, ...]) -> bool:
    """Whether the first row of figures gives 100 in a 比重 / 占比 / 构成 column: the whole the other rows share."""
    return any(
        _SHARE_COLUMN.search(_column_name(header, c)) and re.fullmatch(r"100(?:\.0+)?", _cell(row, c))
        for c in range(1, len(row))
    )


def _column_name(header: list[tuple[str, ...]], column: int) -> str:
    return (
        "".join(dict.fromkeys(h[column] for h in header if column < len(h) and h[column]))
        or f"第{column + 1}列"
    )


def _totalled(
    rows: list[tuple[str, ...]], listed: list[int]
) -> tuple[list[int], list[tuple[int, list[int]]]] | None:
    """The rows a total adds, and the families below them. A flat list: all of them. Rows with outline marks
    (一、社会福利事业单位 over 民政部门办, 社会集体办): the total adds the rows at the first level only, and the unmarked
    rows under a numbered row are its kinds. None when the outline leaves a row's place uncertain (an unmarked row
    before the first numbered one, or deeper numbered rows mixed with unmarked ones): nothing is summed then."""
    levels = [_outline_level(rows[i][0])[0] for i in listed]
    if all(level is None for level in levels):
        return listed, []
    if levels[0] is None:
        return None
    top = min(level for level in levels if level is not None)
    parts = [i for i, level in zip(listed, levels, strict=True) if level == top]
    families = []
    for n, parent in enumerate(parts):
        end = listed.index(parts[n + 1]) if n + 1 < len(parts) else len(listed)
        below = listed[listed.index(parent) + 1 : end]
        marked = [_outline_level(rows[i][0])[0] is not None for i in below]
        if any(marked) and not all(marked):
            return None
        if below and not any(marked) and len(below) >= 2:
            families.append((parent, below))
    return parts, families


def _numbers_rows(cells: list[str]) -> bool:
    """Whether a column counts the rows (行次 1, 2, 3… with no header saying so): consecutive whole numbers down the
    table, never a quantity to add."""
    figures = [c for c in cells if _NUMBER.match(c)]
    return (
        len(figures) >= 3
        and all("." not in c for c in figures)
        and all(int(b) == int(a) + 1 for a, b in pairwise(figures))
    )


def _multiple(summed: Interval, stated: Quantity) -> bool:
    """Whether rows add to about two to four times their total: stacked sections or subtotals counted again (a
    yearbook's 一、 rows beside their own kinds), a structure, never a 不一致."""
    if stated.value <= 0:
        return False
    ratio = summed.mid / stated.value
    return any(abs(ratio - k) <= Decimal("0.05") * k for k in (2, 3, 4))


def _nests(rows: list[tuple[str, ...]]) -> bool:
    """Whether some row is the exact sum of two or more rows right below it, in every column where they all have
    figures (at least two): a subtotal among the rows, so they are no flat set of parts."""
    width = max(len(row) for row in rows)
    for n, first in enumerate(rows):
        for end in range(n + 3, len(rows) + 1):
            run = rows[n + 1 : end]
            columns = [c for c in range(1, width) if all(_NUMBER.match(_cell(r, c)) for r in (first, *run))]
            if len(columns) >= 2 and all(
                Decimal(_cell(first, c)) == sum(Decimal(_cell(r, c)) for r in run) for c in columns
            ):
                return True
    return False


def _figures(row: tuple[str, ...]) -> list[str]:
    return [c for c in row[1:] if _NUMBER.match(c)]


def _years(row: tuple[str, ...]) -> bool:
    """A header of years (项目 2011 2012 …), not a row of figures."""
    return all(_YEAR.match(c) for c in _figures(row))


_SHARE_COLUMN = re.compile(r"占比|比重|构成")


def _share_column(
    table: TextTable,
    rows: list[tuple[str, ...]],
    at: int,
    parts: list[int],
    column: int,
    name: str,
    cut: bool,
) -> Iterator[Finding]:
    """A 占比(%) column whose 合计 row says 100: the rows' shares add up to it, and when the table has one other column
    of figures (人数), each share is its row's figure over the 合计's (124: 视力残疾 1731 of 8500, 20.4%)."""
    cells = [_cell(rows[i], column).removesuffix("%") for i in (at, *parts)]
    if not all(_NUMBER.match(c) for c in cells) or Decimal(cells[0]) != 100:
        return
    stated, *shares = (_quantity(c, False, i, column, "%") for c, i in zip(cells, (at, *parts), strict=True))
    summed = total(shares)
    if not summed.meets(stated) and _nests([rows[i] for i in parts]):
        return  # rows that hold subtotals count some shares twice: nothing certain
    if summed.meets(stated) or not (cut and summed.hi < stated.value):  # a cut table's shares fall short
        verdict = Verdict.CONSISTENT if summed.meets(stated) else Verdict.INCONSISTENT
        computed = f"其余{len(shares)}行之和 = {stated.show(summed.mid)}"
        yield _row_finding(
            Kind.PARTS, table, at, column, f"{name}{rows[at][0]} 100%", computed, verdict, stated.number
        )
    counted = [
        c
        for c in range(1, len(rows[at]))
        if c != column and all(_NUMBER.match(_cell(rows[i], c)) for i in (at, *parts))
    ]
    if len(counted) != 1:
        return  # which figures the shares are of is not certain
    whole = _quantity(_cell(rows[at], counted[0]), False, at, counted[0])
    for i, share in zip(parts, shares, strict=True):
        part = _quantity(_cell(rows[i], counted[0]), False, i, counted[0])
        ratio = Interval.of(part) / Interval.of(whole)
        if ratio is None:
            return
        scaled = ratio.scale(Decimal(100))
        ok = Verdict.CONSISTENT if scaled.meets_cut(share) else Verdict.INCONSISTENT
        working = f"{part.number}÷{whole.number} = {share.show(scaled.mid)}"
        yield _row_finding(Kind.RATE, table, i, column, f"{name} {share.number}%", working, ok, share.number)


def _quantity(cell: str, rounded: bool, row: int, column: int, unit: str | None = None) -> Quantity:
    """A table cell as a quantity: exact when a whole count, else good to half its last digit."""
    decimals = len(cell.partition(".")[2])
    if unit is None:
        unit = "元" if rounded or decimals else "个"
    return Quantity(Decimal(cell), Decimal(1), unit, decimals, row, column, column, "", "", "")


# A statistical table's columns, named by their header: the current period, an earlier one, the change in
# percent against it, the change as a difference, the unit. Only a header says which column is which; a table
# without one is not checked.
class Role(StrEnum):
    CURRENT = "本期"
    EARLIER = "上期"
    GROWTH = "增长%"
    DIFFERENCE = "增减"
    UNIT = "单位"


_ROLES = (
    (Role.UNIT, re.compile(r"^(?:计量)?单位$")),
    (Role.GROWTH, re.compile(r"环比|同比|增长|增幅|增速|增减.*[%％]|[%％]|年比|比上")),
    (Role.DIFFERENCE, re.compile(r"增减|增加数|增减量|增减额")),
    (Role.EARLIER, re.compile(r"上期|上月|上季|上年|去年|同期|上旬")),
    (Role.CURRENT, re.compile(r"^(?:数量|本期|本月|本季度?|本年|今年|当期|期末数?|本期数|本年累计)$")),
)
# Which earlier column a growth column may be against: 环比 the previous period, 同比 the same one a year before.
_AGAINST = {"环比": re.compile(r"上期|上月|上季|上旬"), "同比": re.compile(r"同期|上年|去年")}
_OUTLINE = (
    re.compile(r"^[一二三四五六七八九十]+[、。]"),
    re.compile(r"^（[一二三四五六七八九十]+）"),
    re.compile(r"^\d{1,2}[、。](?!\d)"),
    re.compile(r"^（\d{1,2}）"),
    re.compile(r"^[A-HJ-UWYZ][、。]?(?=[\u4e00-\u9fff])"),
    re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|X)[、。]?(?=[\u4e00-\u9fff])"),
    re.compile(r"^[①-⑳]"),
)
# The first item of a list in each outline style: 一、 （一） 1、 （1） A I ①.
_FIRST = re.compile(
    r"^(?:一[、。]|（一）|1[、。](?!\d)|（1）|A[、。]?(?=[\u4e00-\u9fff])|I[、。]?(?=[\u4e00-\u9fff])|①)"
)
_COLUMN_NUMBER = re.compile(r"^(?:[甲乙丙丁]|栏次|\d{1,2})*$")  # 甲, or 甲丙 where a PDF merged two cells


@dataclass(frozen=True)
class Columns:
    """A table's header read: the row it is on and the role of each column (None: a label, code or unknown)."""

    header: int
    names: tuple[str, ...]
    roles: tuple[Role | None, ...]

    @classmethod
    def read(cls, rows: list[tuple[str, ...]]) -> Columns | None:
        """The first row naming a unit or a period column after its label; None when no row does."""
        for at, row in enumerate(rows):
            names = tuple(c.replace(" ", "") for c in row)
            roles = [_role(n) for n in names]
            roles[0] = None
            years = sorted((int(m[1]), i) for i, n in enumerate(names) if (m := _YEAR.match(n)) and i)
            if len(years) == 2:
                roles[years[0][1]], roles[years[1][1]] = Role.EARLIER, Role.CURRENT
            if sum(r is not None for r in roles) >= 2 and Role.CURRENT in roles:
                return cls(at, names, tuple(roles))
        return None

    def rounded(self, row: tuple[str, ...]) -> bool:
        """Whether a row's whole figures are rounded too: its unit is in 万 or 亿, or in 元."""
        units = self.find(Role.UNIT)
        return bool(units and re.search(r"[万亿元]", _cell(row, units[0])))

    def find(self, role: Role) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r is role]

    def against(self, growth: int) -> int | None:
        """The earlier column a growth or difference column compares with: the nearest on its left (else its
        right) whose name fits (环比 → 上期/上月/上季度, 同比 → 同期/上年)."""
        fits = next((p for word, p in _AGAINST.items() if word in self.names[growth]), None)
        earlier = [i for i in self.find(Role.EARLIER) if fits is None or fits.search(self.names[i])]
        left = [i for i in earlier if i < growth]
        return left[-1] if left else (earlier[0] if earlier else None)


def _role(name: str) -> Role | None:
    return next((role for role, pattern in _ROLES if pattern.search(name)), None)


def _cell(row: tuple[str, ...], column: int) -> str:
    return row[column] if column < len(row) else ""


def check_statistics(table: TextTable) -> Iterator[Finding]:
    """A statistical table with outline rows and period columns: each parent row against its children, each
    growth or difference column against the current and earlier columns. Nothing without a header."""
    rows = [tuple(normalize(c) for c in row) for row in table.rows]
    columns = Columns.read(rows)
    if columns is None:
        return
    rows = [_unit_restored(row, columns) if at > columns.header else row for at, row in enumerate(rows)]
    yield from _outline_sums(table, rows, columns)
    for column, role in enumerate(columns.roles):
        if role in (Role.GROWTH, Role.DIFFERENCE):
            yield from _changes(table, rows, columns, column)
    yield from _flows(table, rows, columns)


# "(1)城市低保人数 75,616 75,916 / 其中:当月新增城市低保人数 553 / 当月退出城市低保人数 853": the flows of this period
# bridge the earlier column to the current one. Only flows said to be this period's (当月, 本期…) and only against a
# previous-period column (上期, 上月, 上季度), never 上年同期, which this period's flows do not reach.
_THIS_PERIOD = r"(?:当月|本月|本期|当期|本季度?|当季度?)"
_FLOW = re.compile(
    rf"^(?:其中[：:]?)?{_THIS_PERIOD}(?P<way>新增|新纳入|纳入|退出|减少|停保|清退)(?P<noun>.+)$"
)
_IN_WORDS = ("新增", "新纳入", "纳入")
_PREVIOUS = re.compile(r"上期|上月|上季")
_FLOW_ROWS = 4  # rows under a stock its flows may take


def _flows(table: TextTable, rows: list[tuple[str, ...]], columns: Columns) -> Iterator[Finding]:
    current, earlier = columns.find(Role.CURRENT), columns.find(Role.EARLIER)
    if len(current) != 1 or not earlier or not _PREVIOUS.search(columns.names[earlier[0]]):
        return
    now, then = current[0], earlier[0]
    for at in range(columns.header + 1, len(rows)):
        noun = _OUTLINE_MARK.sub("", _label(rows[at]))
        cells = (_cell(rows[at], now), _cell(rows[at], then))
        if not noun or not all(_NUMBER.match(c) for c in cells):
            continue
        flows = []
        for row in rows[at + 1 : at + 1 + _FLOW_ROWS]:
            m = _FLOW.match(_label(row))
            if m is None or m["noun"] != noun or not _NUMBER.match(_cell(row, now)):
                break
            flows.append((m["way"] in _IN_WORDS, _cell(row, now)))
        if not any(into for into, _ in flows) or all(into for into, _ in flows):
            continue
        rounded = columns.rounded(rows[at])
        stated = _quantity(cells[0], rounded, at, now)
        moved = Interval.of(_quantity(cells[1], rounded, at, then))
        working = cells[1]
        for into, cell in flows:
            flow = Interval.of(_quantity(cell, rounded, at, now))
            moved = moved + flow if into else moved - flow
            working += f" {'+' if into else '−'} {cell}"
        yield _row_finding(
            Kind.STOCK_FLOW,
            table,
            at,
            now,
            f"{rows[at][0]}（{columns.names[now]}）{stated.number}",
            f"{columns.names[then]} {working} = {stated.show(moved.mid).rstrip(stated.unit)}",
            Verdict.CONSISTENT if moved.meets(stated) else Verdict.INCONSISTENT,
            stated.number,
        )


_COUNTED = re.compile(r"(?:总数|人数|户数|个数|数)$")
_OUTLINE_MARK = re.compile("|".join(p.pattern for p in _OUTLINE))


def _unit_restored(row: tuple[str, ...], columns: Columns) -> tuple[str, ...]:
    """ "| (1)困境儿童 | 487,828 | |": a page that leaves an empty unit cell out shifts the row's figures left into the
    unit column; a figure there with nothing after it is put back where it belongs."""
    units = columns.find(Role.UNIT)
    if not units or not _NUMBER.match(_cell(row, units[0])):
        return row
    at = units[0]
    if any(row[at + 1 :]):
        return row
    return (*row[:at], "", row[at], *row[at + 1 : len(columns.names) - 1])


def _outline_level(label: str) -> tuple[float | None, bool]:
    """The outline level of a row label (一、 1, (一) 2, 1. 3, (1) 4, A 5, I 6, ① 7) and whether it is an 其中
    item; None for an unnumbered label."""
    item = bool(_OF_WHICH.match(label))
    label = _OF_WHICH.sub("", label)
    return next((float(level) for level, p in enumerate(_OUTLINE, 1) if p.match(label)), None), item


def _children(labels: list[str]) -> dict[int, tuple[list[int], bool]]:
    """Each row's children — the rows that follow it one outline level down — and whether every row up to its
    next sibling has its place in the tree (else the list of children may be short of one, left out). An unnumbered row is placed only
    where its place is certain: right above a numbered row that starts a list (乡镇级合计 over 1.乡, 城市低保支出
    over (1)), it heads that list, half a level above it; anywhere else it stays out of the tree, neither a parent
    nor a part — two unnumbered rows side by side, each over a list of its own, must not become parent and child.
    An unnumbered 其中 item belongs to the row above and is nobody's child."""
    read = [_outline_level(label) if label else (None, True) for label in labels]
    levels = [level for level, _ in read]
    if all(level is None for level in levels):
        return {}
    unplaced = [level is None and not item for level, item in read]
    for i, (level, item) in enumerate(read):
        if level is None and not item and i + 1 < len(labels):
            below = read[i + 1][0]
            if below is not None and _FIRST.match(_OF_WHICH.sub("", labels[i + 1])):
                levels[i] = below - 0.5
    for i, level in enumerate(levels):
        if level is not None:
            unplaced[i] = False
    tree: dict[int, list[int]] = {}
    open_rows: list[int] = []
    for i, level in enumerate(levels):
        if level is None:
            continue
        while open_rows and levels[open_rows[-1]] >= level:  # type: ignore[operator]
            open_rows.pop()
        if open_rows:
            tree.setdefault(open_rows[-1], []).append(i)
        open_rows.append(i)
    ends = {p: next((j for j in range(p + 1, len(levels)) if levels[j] is not None and levels[j] <= levels[p]),
                    len(levels)) for p in tree}  # type: ignore[operator]  # fmt: skip
    return {p: (kids, not any(unplaced[p + 1 : ends[p]])) for p, kids in tree.items()}


def _outline_sums(table: TextTable, rows: list[tuple[str, ...]], columns: Columns) -> Iterator[Finding]:
    """A parent row against the sum of its children, in each current and earlier column. The children of one
    outline level are disjoint categories: together they may not exceed the parent; they must reach it only when
    they are a complementary pair (城市/农村), since a statistical table often lists only the main items. Items
    marked 其中 are not summed, nor rows in another unit."""
    body = columns.header + 1
    labels = [_label(row) for row in rows[body:]]
    units = columns.find(Role.UNIT)
    for parent, (children, whole) in _children(labels).items():
        if len(children) < 2 or any(_OF_WHICH.match(labels[c]) for c in children):
            continue
        family = [rows[body + i] for i in (parent, *children)]
        if units and len({_cell(r, units[0]) for r in family} - {""}) > 1:
            continue
        for column in (*columns.find(Role.CURRENT), *columns.find(Role.EARLIER)):
            yield from _outline_sum(table, body + parent, family, column, columns, whole)
    yield from _named_sums(table, rows, columns)


def _named_sums(table: TextTable, rows: list[tuple[str, ...]], columns: Columns) -> Iterator[Finding]:
    """Unnumbered rows right under an unnumbered row, each naming its noun again with a qualifier ("孤儿数 55.6 /
    集中供养孤儿 9.4 / 社会散居孤儿 46.1"), in its unit: items of it, not known to be all or disjoint, so they are
    reported only when they add up."""
    body = columns.header + 1
    units = columns.find(Role.UNIT)
    unit = (lambda r: _cell(r, units[0])) if units else (lambda r: "")
    for at in range(body, len(rows)):
        label = _label(rows[at])
        noun = _COUNTED.sub("", label)
        if len(noun) < 2 or _outline_level(label) != (None, False):
            continue
        family = [rows[at]]
        for row in rows[at + 1 :]:
            below = _label(row)
            if _outline_level(below)[0] is not None or not below.endswith(noun) or below == noun:
                break
            if unit(row) != unit(rows[at]):
                break
            family.append(row)
        if len(family) < 3:
            continue
        for column in (*columns.find(Role.CURRENT), *columns.find(Role.EARLIER)):
            yield from _outline_sum(table, at, family, column, columns, whole_list=False, disjoint=False)


def _outline_sum(
    table: TextTable,
    at: int,
    family: list[tuple[str, ...]],
    column: int,
    columns: Columns,
    whole_list: bool,
    disjoint: bool = True,
    complete: bool = False,
) -> Iterator[Finding]:
    """One parent and its children in one column; children not known to be `disjoint` are reported only when
    they add up."""
    whole, *parts = family
    cells = [_cell(r, column) for r in family]
    figures = [(r, c) for r, c in zip(parts, cells[1:], strict=True) if _NUMBER.match(c)]
    if not _NUMBER.match(cells[0]) or len(figures) < 2:
        return
    stated = _quantity(cells[0], columns.rounded(whole), at, column)
    summed = total([_quantity(c, columns.rounded(r), at, column) for r, c in figures])
    pair = (
        whole_list and len(parts) == len(figures) == 2 and complementary(parts[0][0], parts[1][0], alike=True)
    )
    if summed.meets(stated):
        verdict = Verdict.CONSISTENT
    elif (
        disjoint
        and (summed.lo > stated.value + stated.err or pair or complete)
        and not (_multiple(summed, stated) or _nests(parts))
    ):
        verdict = Verdict.INCONSISTENT
    else:
        return  # short of the parent: the items not listed may make up the rest
    yield _row_finding(
        Kind.PARTS,
        table,
        at,
        column,
        f"{whole[0]}（{columns.names[column]}）{stated.number}",
        f"下一级{len(figures)}项之和 = {stated.show(summed.mid).rstrip(stated.unit)}",
        verdict,
        stated.number,
    )


def _changes(
    table: TextTable, rows: list[tuple[str, ...]], columns: Columns, column: int
) -> Iterator[Finding]:
    """A growth column against (本期 − 上期) ÷ 上期 × 100, a difference column against 本期 − 上期, row by row,
    at the printed precision. When most rows disagree, the column does not mean what its header was taken to
    mean (a 发展速度 with 上期 = 100, another base): its rows are 无法核对."""
    current, earlier = columns.find(Role.CURRENT), columns.against(column)
    if len(current) != 1 or earlier is None:
        return
    growth = columns.roles[column] is Role.GROWTH
    years = _years_between(columns, column, current[0], earlier) if growth else 0
    found = []
    for at in range(columns.header + 1, len(rows)):
        row = rows[at]
        if not _label(row):
            continue
        cells = [_cell(row, c) for c in (column, current[0], earlier)]
        if not all(_NUMBER.match(c) for c in cells):
            continue
        stated = _quantity(cells[0], True, at, column, "%" if growth else "")
        now, then = (Interval.of(_quantity(c, columns.rounded(row), at, column)) for c in cells[1:])
        change = now - then
        if growth:
            ratio = now / then
            if ratio is None or (years and ratio.lo <= 0):
                continue
            if years:
                ratio = ratio.root(years)
            change = ratio.scale(Decimal(100)) - Interval.exact(Decimal(100))
            root = (
                f"(({cells[1]} ÷ {cells[2]})^(1/{years}) − 1)"
                if years
                else f"({cells[1]} − {cells[2]}) ÷ {cells[2]}"
            )
            working = f"{root} × 100 = {stated.show(change.mid)}"
        else:
            working = f"{cells[1]} − {cells[2]} = {stated.show(change.mid)}"
        if not change.meets(stated) and cells[0] in cells[1:]:
            continue  # "乡镇级合计 | 个 | 1,106 | 1,106 | 1,106 | |": a level shifted into the 环比 cell, no rate
        found.append((at, stated, working, change.meets(stated)))
    wrong = sum(not ok for *_, ok in found)
    doubtful = wrong >= 2 and wrong * 2 > len(found)
    for at, stated, working, ok in found:
        verdict = Verdict.CONSISTENT if ok else Verdict.INCONSISTENT
        if doubtful and not ok:
            verdict, working = Verdict.UNCHECKABLE, f"{working}；该列多数行不符，列的含义无法确定"
        yield _row_finding(
            Kind.GROWTH,
            table,
            at,
            column,
            f"{rows[at][0]}（{columns.names[column]}）{stated.number}",
            working,
            verdict,
            stated.number,
        )


def _years_between(columns: Columns, growth: int, current: int, earlier: int) -> int:
    """ "2005年 | 2010年 | 年均增长(%)": a yearly average growth is compounded over the years between its two columns;
    0 for a growth over one period."""
    then, now = (_YEAR.match(columns.names[c]) for c in (earlier, current))
    if "年均" not in columns.names[growth] or then is None or now is None:
        return 0
    return max(0, int(now[1]) - int(then[1]))


def _label(row: tuple[str, ...]) -> str:
    """A data row's label; "" for the column-number row under a header (甲 乙 1 2 3) or a row without one."""
    label = row[0] if row else ""
    return "" if _COLUMN_NUMBER.match(label) else label


def _row_finding(
    kind: Kind,
    table: TextTable,
    at: int,
    column: int,
    shown: str,
    computed: str,
    verdict: Verdict,
    number: Decimal,
) -> Finding:
    """A relation stated by row `at` of a table, quoted as its cells joined by "，"."""
    text = "，".join(c for c in table.rows[at] if c)
    return Finding(
        kind, text, f"{table.where}第{table.row_number(at)}行", shown, computed, verdict, number, (at, column)
    )


def check_indented(table: TextTable) -> Iterator[Finding]:
    """A yearbook table whose outline is its indentation: each row's children are the rows below it indented
    deeper, up to the next row at its depth or less; a total row's are the least indented rows. The kinds one row
    splits into are disjoint, so together they may not exceed it; they must reach it when the list ends in a residual
    kind (其他…) or is a complementary pair. A row marked # or 其中, or a nested bound (80岁以上), is an item picked
    out (#女性, #老年人 may overlap): a list with one is reported only when it adds up; a # row is nobody's parent.
    Only additive columns are summed (_additive)."""
    if not table.indents:
        return
    rows = [tuple(normalize(c) for c in row) for row in table.rows]
    yield from _inferred_columns(table, rows)
    yield from _inferred_sums(table, rows)
    families = list(_indented_families(rows, table.indents))
    width = max(len(row) for row in rows)
    plain = Columns(
        -1, tuple(f"第{i + 1}列" for i in range(width)), (None,) * width
    )  # no header: columns by number
    heading = _unnamed_total(rows, table.indents)
    if heading and not _one_unit(rows, heading):
        heading = None
    for column in range(1, len(rows[0])):
        if not _additive(rows, families, column):
            continue
        for parent, children in families:
            if not _one_unit(rows, [parent, *children]):
                continue
            labels = [rows[c][0] for c in children]
            picked = any(_PICKED.search(label) for label in labels)
            complete = bool(_RESIDUAL.match(labels[-1])) or (
                len(labels) == 2 and complementary(labels[0], labels[1], alike=True)
            )
            family = [rows[parent], *(rows[c] for c in children)]
            yield from _outline_sum(
                table,
                parent,
                family,
                column,
                plain,
                False,
                disjoint=not picked,
                complete=complete and not picked,
            )
        if heading:
            family = [rows[i] for i in heading]
            yield from _outline_sum(table, heading[0], family, column, plain, False, disjoint=False)


def _total_row(label: str) -> bool:
    """合计, 总计, 城市合计, 全省, Total: a row that totals the table's rows at the outermost depth."""
    return label == "总数" or FLAT_TOTAL.match(label) is not None


def _unnamed_total(rows: list[tuple[str, ...]], indents: tuple[int, ...]) -> list[int] | None:
    """ "收养性社会福利单位 806 / 优抚类收养性单位 59 (its kinds indented under it) / 福利类收养性单位 747 (…)": a yearbook
    table's first row may total the rows printed at its own depth without being called 合计. Nothing says so, so
    it is reported only when they add up; the rows and the first one, unless it is a # row or the table has a 合计."""
    if any(_total_row(row[0]) for row in rows) or rows[0][0].startswith("#"):
        return None
    level = [i for i, d in enumerate(indents) if d == indents[0] and not rows[i][0].startswith("#")]
    return level if len(level) >= 3 and level[0] == 0 and min(indents) == indents[0] else None


def _indented_families(
    rows: list[tuple[str, ...]], indents: tuple[int, ...]
) -> Iterator[tuple[int, list[int]]]:
    top = min(indent for row, indent in zip(rows, indents, strict=True) if not _total_row(row[0]))
    for at, (row, indent) in enumerate(zip(rows, indents, strict=True)):
        if row[0].startswith("#"):
            continue
        if _total_row(row[0]):
            children = [i for i, d in enumerate(indents) if d == top and i != at]
        else:
            below = []
            for i in range(at + 1, len(rows)):
                if indents[i] <= indent:
                    break
                below.append(i)
            depth = min((indents[i] for i in below if not rows[i][0].startswith("#")), default=None)
            if below and depth is not None and indents[below[0]] > depth:
                # "养老机构 (3) / 社会福利院 (6) … / 社会福利医院 (4)": rows shallower than the first under the row come
                # later — siblings a page indented one space more, not its children; which rows it holds is uncertain
                continue
            children = [
                i
                for i in below
                if indents[i] == depth
                or (rows[i][0].startswith("#") and depth is not None and indents[i] <= depth)
            ]
        if len(children) >= 2:
            yield at, children


# rows that are items picked out, not kinds: #女性, 其中…, and nested bounds (60岁以上 / 80岁以上) that overlap
_PICKED = re.compile(r"^#|^其中|以上|以下|不足|及以上")


def _one_unit(rows: list[tuple[str, ...]], family: list[int]) -> bool:
    """Whether a row and its kinds agree in every column of words (a unit: 万张, 个): figures in two units are not
    added."""
    width = min(len(rows[i]) for i in family)
    for column in range(1, width):
        words = {_cell(rows[i], column) for i in family}
        if not all(_NUMBER.match(w) or w == "" for w in words) and len(words) > 1:
            return False
    return True


def _additive(rows: list[tuple[str, ...]], families: list[tuple[int, list[int]]], column: int) -> bool:
    """A column whose rows may be summed: no row lies strictly between its kinds (a rate or an average does), and
    its figures are whole counts or some row's kinds add up to it exactly in this column."""
    if any(_averaged(rows, parent, children, column) for parent, children in families):
        return False
    if _numbers_rows([_cell(r, column) for r in rows]):
        return False
    cells = [_cell(r, column) for r in rows]
    if all("." not in c for c in cells if _NUMBER.match(c)):
        return True
    for parent, children in families:
        cells = [_cell(rows[i], column) for i in (parent, *children)]
        if not all(_NUMBER.match(c) for c in cells):
            continue
        whole, *parts = (_quantity(c, True, 0, column) for c in cells)
        if total(parts).meets(whole):
            return True
    return False


def _averaged(rows: list[tuple[str, ...]], parent: int, children: list[int], column: int) -> bool:
    cells = [_cell(rows[i], column) for i in (parent, *children)]
    if not all(_NUMBER.match(c) for c in cells):
        return False
    whole, *parts = (Decimal(c) for c in cells)
    return min(parts) < whole < max(parts)


# A header-less table's growth and ratio columns, known by what most of their rows say: "床位 2007 | 2008 | 增减% |
# 人数 2007 | 2008 | 增减% | 利用率" scraped without its header. A column is taken for (b − a) ÷ a × 100 or a ÷ b × 100
# of two others only when at least EVIDENCE rows show it to within a point and no more than one row in four does
# not; then every row is checked, and the ones that disagree are 不一致.
EVIDENCE = 3
_CLOSE = Decimal(1)  # percentage points: a row whose figures are too rounded to say more is no evidence


SAMPLE = 12  # rows a candidate relation is first tried on: the search stays linear in the rows
NEAREST = 6  # columns to the left a derived column's operands may stand in


def _inferred_columns(table: TextTable, rows: list[tuple[str, ...]]) -> Iterator[Finding]:
    width = min(len(r) for r in rows)
    for column in range(1, width):
        for kind, (a, b) in _relations(column):
            sample = [
                c for at in range(min(SAMPLE, len(rows))) if (c := _relation(rows, at, column, a, b, kind))
            ]
            if (
                sum(ok and close for _, ok, close, _ in sample) < min(EVIDENCE, len(sample))
                or len(sample) < EVIDENCE
            ):
                continue
            checked = [(at, *c) for at in range(len(rows)) if (c := _relation(rows, at, column, a, b, kind))]
            evidence = sum(ok and close for *_, ok, close, _ in checked)
            wrong = sum(not ok for *_, ok, _, _ in checked)
            if evidence >= EVIDENCE and wrong * 4 <= len(checked):
                for at, stated, ok, _, working in checked:
                    yield _row_finding(
                        kind, table, at, column, f"{rows[at][0]}（第{column + 1}列）{stated.number}", working,
                        Verdict.CONSISTENT if ok else Verdict.INCONSISTENT, stated.number,
                    )  # fmt: skip
                break


def _inferred_sums(table: TextTable, rows: list[tuple[str, ...]]) -> Iterator[Finding]:
    """A column that adds the two after it (合计 | 男 | 女 of a census table whose header the page lost): taken only where
    at least EVIDENCE rows add up exactly and no more than a quarter do not; every row is then reported."""
    width = min(len(r) for r in rows)
    for column in range(1, width - 2):
        checked = []
        for at, row in enumerate(rows):
            cells = [_cell(row, c) for c in (column, column + 1, column + 2)]
            if not all(_NUMBER.match(c) for c in cells) or Decimal(cells[0]) == 0:
                continue
            stated, *items = (_quantity(c, "." in c, at, column) for c in cells)
            summed = total(items)
            exact = Decimal(cells[1]) + Decimal(cells[2]) == Decimal(cells[0])
            checked.append((at, stated, summed, summed.meets(stated), exact))
        evidence = sum(ok and exact for *_, ok, exact in checked)
        if evidence < EVIDENCE or sum(not ok for *_, ok, _ in checked) * 4 > len(checked):
            continue
        for at, stated, summed, ok, _ in checked:
            yield _row_finding(
                Kind.PARTS, table, at, column, f"{rows[at][0]}（第{column + 1}列）{stated.number}",
                f"第{column + 2}列 + 第{column + 3}列 = {stated.show(summed.mid).rstrip(stated.unit)}",
                Verdict.CONSISTENT if ok else Verdict.INCONSISTENT, stated.number,
            )  # fmt: skip


def _relations(column: int) -> Iterator[tuple[Kind, tuple[int, int]]]:
    """Growth from a to b, then the ratio of a to b, of columns to the column's left (a table derives left to
    right: 床位 2008 = 人数 ÷ 利用率 also holds, but 利用率 is the column derived), nearest first."""
    left = range(column - 1, max(0, column - 1 - NEAREST), -1)
    for b in left:
        for a in (a for a in left if a < b):
            yield Kind.GROWTH, (a, b)
    for a in left:
        for b in left:
            if a != b:
                yield Kind.RATE, (a, b)


def _relation(
    rows: list[tuple[str, ...]], at: int, column: int, a: int, b: int, kind: Kind
) -> tuple[Quantity, bool, bool, str] | None:
    cells = [_cell(rows[at], c) for c in (column, a, b)]
    if not all(_NUMBER.match(c) for c in cells):
        return None
    stated = _quantity(cells[0], True, at, column, "%")
    first, second = (Interval.of(_quantity(c, True, at, column)) for c in cells[1:])
    if kind is Kind.GROWTH:
        ratio = second / first
        shown = f"({cells[2]} − {cells[1]}) ÷ {cells[1]} × 100"
    else:
        ratio = first / second
        shown = f"{cells[1]} ÷ {cells[2]} × 100"
    if ratio is None:
        return None
    value = ratio.scale(Decimal(100)) - Interval.exact(Decimal(100 if kind is Kind.GROWTH else 0))
    ok = value.meets(stated)
    return stated, ok, value.hi - value.lo <= _CLOSE, f"{shown} = {stated.show(value.mid)}"


_GROUP_TOTAL = re.compile(r"^(?:合计|总计|小计|总数)$")


def check_column_groups(table: TextTable) -> Iterator[Finding]:
    """Columns that split the one before them, in every row: a header "合计 | 男 | 女 | 小计 | 男 | 女" over each age
    row (a census table's 60岁及以上人口 and each 健康状况 group). A 合计 or 小计 column adds the columns after it, up
    to the next 合计 or 小计. The columns are disjoint, so together they may not exceed their total; falling short of
    it is a 不一致 only for a complementary pair (男 / 女, 城镇 / 农村), since a list of columns may leave kinds out.
    The header that names the groups may lack the label column above the row labels (a page that merged it into
    the row above): it is then read one column to the right."""
    rows = [tuple(normalize(c).replace(" ", "") for c in row) for row in table.rows]
    body = next((i for i, row in enumerate(rows) if _figures(row) and not _years(row)), None)
    if body is None or _NUMBER.match(rows[body][0]):
        return
    for header in reversed(rows[:body]):
        groups = _column_groups(header)
        if not groups:
            continue
        shift = 1 if _GROUP_TOTAL.match(header[0]) else 0
        crossed = _crossed(header, groups)
        for at in range(body, len(rows)):
            for whole, parts in groups:
                yield from _group_sum(table, rows[at], at, header, shift, whole, parts)
            for whole, parts in crossed:
                yield from _group_sum(table, rows[at], at, header, shift, whole, parts, exact=False)
        return


def _crossed(header: tuple[str, ...], groups: list[tuple[int, list[int]]]) -> list[tuple[int, list[int]]]:
    """ "合计 | 男 | 女 | 小计 | 男 | 女 | 小计 | 男 | 女": a 合计 group followed by 小计 groups split the same way is a
    cross-tabulation — the 合计 adds the 小计s, its 男 the groups' 男. Each column of the first group with the columns
    of its name in the others."""
    first, *others = groups
    names = [header[c] for c in first[1]]
    if (
        len(others) < 2
        or header[first[0]] == "小计"
        or not all(header[w] == "小计" and [header[c] for c in p] == names for w, p in others)
    ):
        return []
    return [(first[0], [w for w, _ in others])] + [
        (c, [p[n] for _, p in others]) for n, c in enumerate(first[1])
    ]


def _column_groups(header: tuple[str, ...]) -> list[tuple[int, list[int]]]:
    while header and not header[-1]:
        header = header[:-1]
    starts = [i for i, name in enumerate(header) if _GROUP_TOTAL.match(name)]
    groups = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(header)
        parts = list(range(start + 1, end))
        names = [header[i] for i in parts]
        if (
            len(parts) >= 2
            and all(names)
            and not any(
                _SUB_ITEM.match(name) or _NOT_ADDITIVE.search(name) or _YEAR.match(name) or _role(name)
                for name in names
            )
        ):
            groups.extend((start, pair) for pair in _pairs(header, parts))
    return groups


def _pairs(header: tuple[str, ...], parts: list[int]) -> list[list[int]]:
    """ "合计 | 男 | 女 | 城镇 | 农村": columns that split the total two ways over, each complementary pair a split of its
    own; the columns as one split otherwise."""
    if len(parts) < 4 or len(parts) % 2:
        return [parts]
    pairs = [parts[i : i + 2] for i in range(0, len(parts), 2)]
    if all(complementary(header[a], header[b]) for a, b in pairs):
        return pairs
    return [parts]


def _group_sum(
    table: TextTable,
    row: tuple[str, ...],
    at: int,
    header: tuple[str, ...],
    shift: int,
    whole: int,
    parts: list[int],
    exact: bool = True,
) -> Iterator[Finding]:
    """`exact`: the parts are the columns right after their total, named in the header; else columns picked across
    the table (a cross-tabulation's groups), named by the total's."""
    cells = [_cell(row, c + shift) for c in (whole, *parts)]
    if not all(_NUMBER.match(c) for c in cells):
        return
    rounded = any("." in c for c in cells)
    stated, *items = (_quantity(c, rounded, at, whole + shift) for c in cells)
    summed = total(items)
    ok = summed.meets(stated)
    names = [header[c] for c in parts] if exact else [f"各组{header[parts[0]]}"]
    pair = len(names) == 2 and complementary(*names)
    if not ok and ((summed.hi < stated.value - stated.err and not pair) or _multiple(summed, stated)):
        return  # short of a total whose columns may leave kinds out, or columns that split it twice over
    yield _row_finding(
        Kind.PARTS,
        table,
        at,
        whole + shift,
        f"{row[0]}{header[whole]} {stated.number}",
        f"{'、'.join(names)}之和 = {stated.show(summed.mid).rstrip(stated.unit)}",
        Verdict.CONSISTENT if ok else Verdict.INCONSISTENT,
        stated.number,
    )
