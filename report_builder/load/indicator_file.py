"""Indicator definitions: read from TOML (the package defaults, then a data folder's `indicators.toml`),
checked against the field registry, and written back (`dump_indicators`) so the format round-trips.

A definition that names an unknown field, or divides counts of different units into a % share, is refused
here, at load, with the file and key — not discovered as a wrong number in a finished report.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Generator, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources

from report_builder.definitions import SHARE_UNITS, Better, IndicatorDef, Term
from report_builder.fields import FieldRegistry
from report_builder.issues import Issue, IssueCode, Location

INDICATORS_NAME = "indicators.toml"  # a data folder's own definitions, read over the defaults
_KEYS = {"name", "numerator", "denominator", "scale", "unit", "decimals", "better", "basis"}
_TERM = re.compile(r"\s*([+-]?)\s*([^\s+-]+)\s*")


def default_text() -> str:
    """The shipped definitions: data kept beside the code that computes them (indicators/defaults.toml)."""
    return resources.files("report_builder.indicators").joinpath("defaults.toml").read_text(encoding="utf-8")


def read_indicators(
    text: str, source: str, registry: FieldRegistry, base: Mapping[str, IndicatorDef] | None = None
) -> Generator[Issue, None, dict[str, IndicatorDef]]:
    """Yield the problems of one definitions file; return `base` updated with its valid definitions."""
    result = dict(base or {})
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        yield Issue.make(IssueCode.BAD_DEFINITION, Location(source), why=exc)
        return result
    for iid, spec in data.items():
        problems = (
            list(_problems(iid, spec, registry)) if isinstance(spec, dict) else ["应为一个表（[id] 段）"]
        )
        for why in problems:
            yield Issue.make(IssueCode.BAD_DEFINITION, Location(source, header=f"[{iid}]"), why=why)
        if not problems:
            result[iid] = _build(iid, spec, registry)
    return result


def _terms(expr: str, registry: FieldRegistry) -> tuple[Term, ...]:
    """'tekun_persons - tekun_concentrated' → terms; a term may also be a standard header (特困人员数)."""
    terms = []
    for sign, name in _TERM.findall(expr):
        fid = name if name in registry.fields else registry.field_headers.get(name, name)
        terms.append(Term(-1 if sign == "-" else 1, fid))
    return tuple(terms)


def _problems(iid: str, spec: dict, registry: FieldRegistry) -> Iterator[str]:
    if unknown := set(spec) - _KEYS:
        yield f"未知的键：{'、'.join(sorted(unknown))}"
    for key in ("name", "numerator", "unit"):
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            yield f"缺少 {key}"
    if any(not isinstance(spec.get(k, ""), str) for k in ("numerator", "denominator")):
        return
    num, den = _terms(spec.get("numerator", ""), registry), _terms(spec.get("denominator", ""), registry)
    for term in (*num, *den):
        if term.field not in registry.fields:
            yield f"“{term.field}”不是已知的字段"
    try:
        scale = Decimal(str(spec.get("scale", 1)))
        if scale <= 0:
            yield f"scale 应为正数，实际为 {scale}"
    except InvalidOperation:
        yield f"scale 应为数字，实际为“{spec.get('scale')}”"
    decimals = spec.get("decimals", 0)
    if not isinstance(decimals, int) or not 0 <= decimals <= 6:
        yield f"decimals 应为 0 到 6 的整数，实际为“{decimals}”"
    if spec.get("better", "neutral") not in set(Better):
        yield f"better 应为 {'/'.join(Better)}，实际为“{spec.get('better')}”"
    yield from _unit_problems(spec.get("unit", ""), num, den, registry)


def _unit_problems(
    unit: str, num: tuple[Term, ...], den: tuple[Term, ...], registry: FieldRegistry
) -> Iterator[str]:
    """Terms of a sum share a unit; a % share divides like by like; otherwise the unit is the numerator's."""
    known = [t for t in (*num, *den) if t.field in registry.fields]
    if len(known) != len(num) + len(den):
        return
    units = {
        part: {registry.fields[t.field].unit for t in terms} for part, terms in (("分子", num), ("分母", den))
    }
    for part, found in units.items():
        if len(found) > 1:
            yield f"{part}各项单位不同（{'、'.join(sorted(found))}），不能相加"
    if len(units["分子"]) != 1 or len(units["分母"]) > 1:
        return
    (num_unit,) = units["分子"]
    den_unit = next(iter(units["分母"]), None)
    if unit in SHARE_UNITS and den_unit != num_unit:
        yield f"单位为“{unit}”的比重要求分子分母单位相同，而分子为“{num_unit}”、分母为“{den_unit}”"
    elif unit not in SHARE_UNITS and unit != num_unit:
        yield f"单位“{unit}”与分子的单位“{num_unit}”不符"


def _build(iid: str, spec: dict, registry: FieldRegistry) -> IndicatorDef:
    return IndicatorDef(
        id=iid,
        name=spec["name"].strip(),
        numerator=_terms(spec["numerator"], registry),
        denominator=_terms(spec.get("denominator", ""), registry),
        scale=Decimal(str(spec.get("scale", 1))),
        unit=spec["unit"],
        decimals=spec.get("decimals", 0),
        better=Better(spec.get("better", "neutral")),
        basis=spec.get("basis", ""),
    )


def _expr(terms: tuple[Term, ...]) -> str:
    return " ".join(("- " if t.sign < 0 else "+ " if i else "") + t.field for i, t in enumerate(terms))


def dump_indicators(defs: Mapping[str, IndicatorDef]) -> str:
    """TOML that `read_indicators` reads back to the same definitions."""
    blocks = []
    for d in defs.values():
        lines = [f"[{d.id}]", f"name = {_quote(d.name)}", f"numerator = {_quote(_expr(d.numerator))}"]
        if d.denominator:
            lines.append(f"denominator = {_quote(_expr(d.denominator))}")
        lines += [
            f"scale = {d.scale}",
            f"unit = {_quote(d.unit)}",
            f"decimals = {d.decimals}",
            f"better = {_quote(d.better)}",
            f"basis = {_quote(d.basis)}",
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
