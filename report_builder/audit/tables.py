"""A table's 合计 row against the sum of the rows it totals, column by column.

Only additive columns are summed: a header naming a rate, share, average or standard (率, 占比, 每千名, 均,
标准, %) is left alone, since a total rate is a ratio of sums, not a sum. Rows opening with 其中 or 小计 are
sub-items and not added in. A column whose header or digits show rounding (元, decimals) may miss its total by
the rows' rounding; the note on a yearbook table says so, and so does the interval test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from report_builder.audit.findings import Finding, Interval, Kind, Verdict
from report_builder.audit.quantities import Quantity
from report_builder.audit.source import TextTable, normalize

_TOTAL = re.compile(r"^(?:合计|总计|全县|全市|全区|全省|全镇|总数)$")
_SUB_ITEM = re.compile(r"^(?:其中|小计|#|注|资料来源)")
_NOT_ADDITIVE = re.compile(r"率|占比|比重|比例|每|均|标准|%|‰|目标|差距|年份|代码")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)$")


def check_table(table: TextTable) -> Iterator[Finding]:
    rows = [tuple(normalize(c) for c in row) for row in table.rows]
    body = next((i for i, row in enumerate(rows) if any(_NUMBER.match(c) for c in row[1:])), None)
    if body is None:
        return
    header = rows[:body]
    totals = [i for i in range(body, len(rows)) if rows[i] and _TOTAL.match(rows[i][0])]
    if len(totals) != 1:
        return
    at = totals[0]
    parts = [
        r for i, r in enumerate(rows[body:], body) if i != at and r and r[0] and not _SUB_ITEM.match(r[0])
    ]
    if len(parts) < 2:
        return
    for column in range(1, len(rows[at])):
        name = (
            "".join(dict.fromkeys(h[column] for h in header if column < len(h) and h[column]))
            or f"第{column + 1}列"
        )
        if _NOT_ADDITIVE.search(name):
            continue
        cells = [r[column] if column < len(r) else "" for r in (rows[at], *parts)]
        if not all(_NUMBER.match(c) for c in cells):
            continue
        rounded = "元" in name
        stated, *items = (_quantity(c, rounded, at, column) for c in cells)
        summed = Interval.exact(Decimal(0))
        for q in items:
            summed = summed + Interval.of(q)
        ok = summed.meets(stated)
        yield Finding(
            Kind.PARTS,
            "，".join(c for c in table.rows[at] if c),
            f"{table.where}第{at + 1}行",
            f"{name}{rows[at][0]} {stated.number}",
            f"其余{len(items)}行之和 = {stated.show(summed.mid).rstrip(stated.unit)}",
            Verdict.CONSISTENT if ok else Verdict.INCONSISTENT,
            stated.number,
            (at, column),
        )


def _quantity(cell: str, rounded: bool, row: int, column: int) -> Quantity:
    """A table cell as a quantity: exact when a whole count, else good to half its last digit."""
    decimals = len(cell.partition(".")[2])
    unit = "元" if rounded or decimals else "个"
    return Quantity(Decimal(cell), Decimal(1), unit, decimals, row, column, column, "", "", "")
