"""Checks across rows and files, run once every table is read: relations inside a record (parts within
their whole), the same figure given twice, and a region's own row against the sum of its children's."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from report_builder.dataset import Dataset
from report_builder.fields import Kind
from report_builder.issues import Issue, IssueCode


def check_relations(data: Dataset) -> Iterator[Issue]:
    for (code, period), facts in data.facts.items():
        for rel in data.fields.relations:
            small, large = facts.get(rel.lesser), facts.get(rel.greater)
            if small is None or large is None or small.value is None or large.value is None:
                continue
            if small.value > large.value:
                yield Issue.make(
                    IssueCode.RELATION_VIOLATED,
                    small.cell,
                    region=_name(data, code),
                    period=period,
                    lesser_header=data.fields.fields[rel.lesser].header,
                    lesser=small.value,
                    greater_header=data.fields.fields[rel.greater].header,
                    greater=large.value,
                    other=large.cell,
                    why=rel.why,
                )


def check_level_sums(data: Dataset) -> Iterator[Issue]:
    """上报数 vs 汇总数: a region's own row must equal what its children add up to; never resolved silently."""
    for (code, period), facts in data.facts.items():
        children = data.regions.children_of(code)
        if not children:
            continue
        for fid, fact in facts.items():
            if fact.value is None:
                continue
            kind = data.fields.fields[fid].kind
            values = [data.total(child, period, fid) for child in children]
            known = [v for v in values if v is not None]
            if len(known) != len(values):
                continue
            if kind is Kind.PARAMETER:
                bad = [(child, v) for child, v in zip(children, values, strict=True) if v != fact.value]
                if not bad:
                    continue
                computed = "、".join(f"{_name(data, c)} {v}" for c, v in bad)
            else:
                total = sum(known, Decimal(0))
                if total == fact.value:
                    continue
                computed = str(total)
            yield Issue.make(
                IssueCode.LEVEL_SUM_MISMATCH,
                fact.cell,
                region=_name(data, code),
                period=period,
                header=data.fields.fields[fid].header,
                stated=fact.value,
                computed=computed,
                children=_children_cells(data, children, period, fid),
            )


def _children_cells(data: Dataset, children: tuple[str, ...], period: object, fid: str) -> str:
    cells = [f.cell for c in children if (f := data.reported(c, period, fid)) is not None]  # type: ignore[arg-type]
    files = sorted({c.file if c.sheet is None else f"{c.file}!{c.sheet}" for c in cells})
    return f"下级{len(children)}个区划，见 {'、'.join(files)}" if files else f"下级{len(children)}个区划"


def _name(data: Dataset, code: str) -> str:
    region = data.regions.regions.get(code)
    return f"{region.name}（{code}）" if region else code


def check_parameters(data: Dataset) -> Iterator[Issue]:
    """A parameter (农村低保标准) a region does not report itself is taken from its children only if they agree."""
    parameters = [fid for fid, f in data.fields.fields.items() if f.kind is Kind.PARAMETER]
    for period in data.periods():
        for code in data.regions.regions:
            children = data.regions.children_of(code)
            for fid in parameters:
                if not children or data.reported(code, period, fid) is not None:
                    continue
                facts = [
                    (c, f) for c in children if (f := data.reported(c, period, fid)) and f.value is not None
                ]
                if len({f.value for _, f in facts}) > 1:
                    values = "、".join(f"{_name(data, c)} {f.value}" for c, f in facts)
                    yield Issue.make(
                        IssueCode.PARAMETER_DISAGREES,
                        facts[0][1].cell,
                        region=_name(data, code),
                        period=period,
                        header=data.fields.fields[fid].header,
                        values=values,
                    )
