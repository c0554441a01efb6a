"""Report templates: a folder with `template.toml` (description, house style, main file), its Jinja files and
`charts.toml` (the charts its `<figure chart="…"/>` elements may name).

The shipped templates are package data (report_builder.shipped); `--template` also takes the path of another
office's folder with the same layout, which brings its own charts.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from report_builder.issues import BadInput, IssueCode, Location
from report_builder.report.chart_specs import CHARTS_FILE, ChartSpec, read_charts
from report_builder.shipped import TEMPLATES

TEMPLATE_FILE = "template.toml"


@dataclass(frozen=True)
class ReportTemplate:
    name: str
    folder: Path
    description: str
    style: str
    main: str
    running_head: str = ""  # with {region}, {year}, {next_year}
    charts: Mapping[str, ChartSpec] = field(default_factory=dict)


def find_template(name_or_path: str) -> ReportTemplate:
    """Raises BadInput naming the templates there are when nothing matches, or what is wrong with the folder."""
    folder = Path(name_or_path)
    if not (folder / TEMPLATE_FILE).exists():
        folder = TEMPLATES / name_or_path
    if not (folder / TEMPLATE_FILE).exists():
        names = "、".join(t.name for t in list_templates())
        raise BadInput.of(
            IssueCode.BAD_OPTION,
            Location("--template"),
            why=f"找不到模板“{name_or_path}”（应为模板名或含 {TEMPLATE_FILE} 的文件夹），现有模板：{names}",
        )
    where = Location(f"{folder.name}/{TEMPLATE_FILE}")
    try:
        spec = tomllib.loads((folder / TEMPLATE_FILE).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInput.of(IssueCode.BAD_TEMPLATE, where, why=exc) from None
    charts = read_charts(folder / CHARTS_FILE, f"{folder.name}/{CHARTS_FILE}")
    return ReportTemplate(folder.name, folder.resolve(), spec.get("description", ""), spec.get("style", "gongwen"),
                          spec.get("main", "report.xml.j2"), spec.get("running_head", ""),
                          MappingProxyType(charts))  # fmt: skip


def list_templates() -> list[ReportTemplate]:
    return [find_template(str(p.parent)) for p in sorted(TEMPLATES.glob(f"*/{TEMPLATE_FILE}"))]
