"""Chart definitions (`charts.toml` in a template's folder): what each chart a template names shows.

Read and checked once, with the template, so a definition with an unknown kind or a missing key is a message
naming the file and the chart — not a KeyError halfway through a build.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from report_builder.issues import BadInput, IssueCode, Location

CHARTS_FILE = "charts.toml"


class ChartKind(StrEnum):
    BAR_WITH_TARGET = "bar_with_target"  # the report region's children, with the target line
    TREND = "trend"  # the region over the last `periods` periods
    COMPOSITION = "composition"  # `parts` stacked per child region


@dataclass(frozen=True)
class ChartSpec:
    name: str
    kind: ChartKind
    title: str  # {period} is replaced by the period label, {sub} by what the regions under it are called
    indicator: str = ""  # bar_with_target, trend: an indicator or field id
    unit: str = ""  # the axis label, when it differs from the indicator's unit
    periods: int = 8  # trend
    parts: tuple[str, ...] = ()  # composition: field ids


_NEEDS = {
    ChartKind.BAR_WITH_TARGET: ("indicator",),
    ChartKind.TREND: ("indicator",),
    ChartKind.COMPOSITION: ("parts",),
}
_KEYS = {"kind", "title", "indicator", "unit", "periods", "parts"}
_TYPES = {
    "title": lambda v: isinstance(v, str),
    "indicator": lambda v: isinstance(v, str),
    "unit": lambda v: isinstance(v, str),
    "periods": lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 40,
    "parts": lambda v: isinstance(v, list) and all(isinstance(p, str) for p in v),
}
_TYPE_WORDS = {"title": "文字", "indicator": "文字", "unit": "文字", "periods": "1 到 40 的整数",
               "parts": "字段名的列表"}  # fmt: skip


def placeholder_problem(text: str, allowed: Collection[str]) -> str | None:
    """What is wrong with the {placeholders} of a title or running head, which are filled with str.format:
    an unknown name would stop the build halfway, a width (`{period:>999999999}`) would take the memory."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None]  # fmt: skip
    except ValueError as exc:
        return f"花括号不配对：{exc}"
    for name, spec, conversion in fields:
        if name not in allowed or spec or conversion:
            field = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            return f"“{{{field}}}”不能用，只能用 {'、'.join(f'{{{a}}}' for a in allowed)}（不带格式）"
    return None


def read_charts(path: Path, name: str) -> dict[str, ChartSpec]:
    """The charts of one template (none when it has no charts.toml). Raises BadInput naming the chart."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInput.of(IssueCode.BAD_TEMPLATE, Location(name), why=exc) from None
    charts = {}
    for chart, spec in data.items():
        where = Location(name, header=f"[{chart}]")
        if not isinstance(spec, dict):
            raise BadInput.of(IssueCode.BAD_TEMPLATE, where, why="应为一个表（[名称] 段）")
        try:
            kind = ChartKind(spec.get("kind"))
        except ValueError:
            kinds = "、".join(ChartKind)
            raise BadInput.of(
                IssueCode.BAD_TEMPLATE, where, why=f"kind 应为 {kinds} 之一，实际为“{spec.get('kind')}”"
            ) from None
        missing = [key for key in ("title", *_NEEDS[kind]) if not spec.get(key)]
        unknown = sorted(set(spec) - _KEYS)
        wrong = [key for key, test in _TYPES.items() if key in spec and not test(spec[key])]
        title = None if missing or "title" in wrong else placeholder_problem(spec["title"], ("period", "sub"))
        if missing or unknown or wrong or title:
            why = "；".join([*(f"缺少 {key}" for key in missing),
                            *([f"未知的键：{'、'.join(unknown)}"] if unknown else []),
                            *(f"{key} 应为{_TYPE_WORDS[key]}" for key in wrong),
                            *([f"title 中{title}"] if title else [])])  # fmt: skip
            raise BadInput.of(IssueCode.BAD_TEMPLATE, where, why=why)
        charts[chart] = ChartSpec(chart, kind, spec["title"], spec.get("indicator", ""), spec.get("unit", ""),
                                  spec.get("periods", 8), tuple(spec.get("parts", ())))  # fmt: skip
    return charts
