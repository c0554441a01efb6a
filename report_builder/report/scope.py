"""Which region a report is about: the one county the data cover unless `--region` says otherwise, and only
a region and period the data hold — or the report would be a page of "—"."""

from __future__ import annotations

from report_builder.issues import BadInput, IssueCode, Location
from report_builder.load import Inputs
from report_builder.periods import Period
from report_builder.regions import Level


def default_region(inputs: Inputs) -> str:
    """The one county the data cover; otherwise the user must say which region."""
    data = inputs.dataset
    last = data.periods()[-1:]
    covered = [c for c, r in data.regions.regions.items() if r.level is Level.县 and any(data.covers(c, p) for p in last)]  # fmt: skip
    if len(covered) == 1:
        return covered[0]
    roots = data.regions.roots()
    if len(roots) == 1 and not covered:
        return roots[0]
    names = "、".join(f"{c}（{data.regions[c].name}）" for c in covered or roots)
    raise _bad("--region", f"数据包含多个县级区划，请用 --region 指定：{names}")


def _bad(option: str, why: str) -> BadInput:
    return BadInput.of(IssueCode.BAD_OPTION, Location(option), why=why)


def check_scope(inputs: Inputs, code: str | None, period: Period) -> None:
    """A report or a table needs a region the data know and data in its period, or it would be a page of "—".
    Without a region (indicators and check over every region), the data must hold the period at all."""
    data = inputs.dataset
    if code is not None and code not in data.regions:
        raise _bad("--region", f"区划代码“{code}”不在 regions.csv 中")
    held = [p for p in data.periods() if code is None or data.covers(code, p)]
    if not any(p == period or period.contains(p) for p in held):
        have = "、".join(str(p) for p in data.periods()[-4:])
        where = "" if code is None else data.regions[code].name
        raise _bad("--period", f"数据中没有{where}{period.label}的数据（最近的统计期：{have}）")
