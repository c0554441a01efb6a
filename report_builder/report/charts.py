"""Draw the charts a template asks for, from the definitions in figures/charts.toml and the report's data."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from report_builder.periods import Period
from report_builder.render import charts
from report_builder.report.context import ReportData

DEFINITIONS = Path(__file__).resolve().parents[2] / "figures" / "charts.toml"


@functools.cache
def chart_definitions() -> dict[str, dict]:
    return tomllib.loads(DEFINITIONS.read_text(encoding="utf-8"))


def draw(name: str, report: ReportData, folder: Path) -> charts.ChartFiles:
    """Raises KeyError for a chart name the definitions do not have."""
    spec = chart_definitions()[name]
    stem = folder / name
    title = spec["title"].format(period=report.period.label)
    children = report.children()
    names = [n for _, n in children]
    if spec["kind"] == "bar_with_target":
        ind = report.definition(spec["indicator"])
        values = [report.calc.indicator(ind, code, report.period).value for code, _ in children]
        threshold = next((r.target.threshold for r in report.results
                          if r.target.indicator.id == ind.id and r.region != report.code), None)  # fmt: skip
        below = next(
            (r.target.comparator in (">=", ">") for r in report.results if r.target.indicator.id == ind.id),
            True,
        )
        return charts.bar_with_target(stem, title, names, values, spec.get("unit", ind.unit), threshold,
                                      highlight_below=below, decimals=ind.decimals, rounding=report.rounding)  # fmt: skip
    if spec["kind"] == "trend":
        ind = report.definition(spec["indicator"])
        periods = _last(report.period, spec.get("periods", 8))
        values = [report.calc.indicator(ind, report.code, p).value for p in periods]
        return charts.trend(stem, title, [p.label.removeprefix("20") for p in periods], {ind.name: values},
                            ind.unit, ind.decimals, report.rounding)  # fmt: skip
    if spec["kind"] == "composition":
        parts = {}
        for fid in spec["parts"]:
            ind = report.definition(fid)
            parts[ind.name.removesuffix("特困人员数").removesuffix("数") or ind.name] = [
                report.calc.indicator(ind, code, report.period).value for code, _ in children
            ]
        return charts.composition(stem, title, names, parts, "人", 0, report.rounding)
    raise KeyError(f"{name}: 未知的图表类型“{spec['kind']}”")


def _last(period: Period, count: int) -> list[Period]:
    out = [period]
    while len(out) < count:
        out.insert(0, out[0].previous())
    return out
