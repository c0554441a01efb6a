"""Draw the charts a template names: each chart's figures computed from the report's data, then drawn by
render/charts — the same figures the tables print, rounded by the same rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from report_builder.issues import BadInput, IssueCode, Location
from report_builder.periods import Period
from report_builder.render import charts
from report_builder.report.chart_specs import CHARTS_FILE, ChartKind, ChartSpec
from report_builder.report.context import ReportData
from report_builder.report.template_folder import ReportTemplate


def chart_drawer(tpl: ReportTemplate, report: ReportData, folder: Path) -> Callable[[str], tuple[Path, Path]]:
    """What `<figure chart="NAME"/>` becomes: the chart from the template's own charts.toml, drawn into
    `folder` as (svg, png). A name the template does not define, or a chart naming an unknown indicator, is
    BadInput pointing at the template line or the chart's entry."""

    def chart(name: str) -> tuple[Path, Path]:
        spec = tpl.charts.get(name)
        if spec is None:
            have = "、".join(tpl.charts) or "（无）"
            why = f"图表“{name}”没有定义（{tpl.name}/{CHARTS_FILE}），现有图表：{have}"
            raise BadInput.of(IssueCode.BAD_TEMPLATE, _line_naming(tpl, name), why=why)
        for wanted in filter(None, (spec.indicator, *spec.parts)):
            try:
                report.definition(wanted)
            except KeyError:
                where = Location(f"{tpl.name}/{CHARTS_FILE}", header=f"[{name}]")
                why = f"“{wanted}”不是已知的指标或字段"
                raise BadInput.of(IssueCode.BAD_TEMPLATE, where, why=why) from None
        if spec.kind is not ChartKind.TREND and not report.children():
            why = f"{report.data.regions[report.code].name}之下没有下级区划，图表“{name}”无从绘制；请换用不含此图的模板"
            raise BadInput.of(IssueCode.BAD_TEMPLATE, _line_naming(tpl, name), why=why)
        files = draw(spec, report, folder)
        return files.svg, files.png

    return chart


def _line_naming(tpl: ReportTemplate, name: str) -> Location:
    """The template line that names the chart: the rendered markup has lost it, the source has not."""
    needle = f'chart="{name}"'
    own = (p for p in tpl.folder.rglob("*.j2") if p.is_file() and p.resolve().is_relative_to(tpl.folder))
    for path in sorted(own):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if needle in line:
                return Location(f"{tpl.name}/{path.relative_to(tpl.folder).as_posix()}", row=number)
    return Location(f"{tpl.name}/{tpl.main}")


def draw(spec: ChartSpec, report: ReportData, folder: Path) -> charts.ChartFiles:
    stem = folder / spec.name
    title = spec.title.format(period=report.period.label, sub=report.sub_level)
    children = report.children()
    names = [n for _, n in children]
    calc, rounding = report.calc, report.rounding
    if spec.kind is ChartKind.BAR_WITH_TARGET:
        ind = report.definition(spec.indicator)
        values = [calc.indicator(ind, code, report.period).value for code, _ in children]
        results = [r for r in report.results if r.target.indicator.id == ind.id]
        threshold = next((r.target.threshold for r in results if r.region != report.code), None)
        below = next((r.target.comparator.wants_more for r in results), True)
        return charts.bar_with_target(stem, title, names, values, spec.unit or ind.unit, threshold,
                                      highlight_below=below, decimals=ind.decimals, rounding=rounding)  # fmt: skip
    if spec.kind is ChartKind.TREND:
        ind = report.definition(spec.indicator)
        periods = _last(report.period, spec.periods)
        values = [calc.indicator(ind, report.code, p).value for p in periods]
        return charts.trend(stem, title, [p.label.removeprefix("20") for p in periods], {ind.name: values},
                            spec.unit or ind.unit, ind.decimals, rounding)  # fmt: skip
    parts = {}
    for fid in spec.parts:
        ind = report.definition(fid)
        parts[ind.name.removesuffix("特困人员数").removesuffix("数") or ind.name] = [
            calc.indicator(ind, code, report.period).value for code, _ in children
        ]
    return charts.composition(stem, title, names, parts, "人", 0, rounding)


def _last(period: Period, count: int) -> list[Period]:
    out = [period]
    while len(out) < count:
        out.insert(0, out[0].previous())
    return out
