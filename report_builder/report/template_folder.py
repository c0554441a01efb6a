"""Report templates: a folder with `template.toml` (description, house style, main file), its Jinja files and
`charts.toml` (the charts its `<figure chart="…"/>` elements may name).

The shipped templates are package data (report_builder.shipped); `--template` also takes the path of another
office's folder with the same layout, which brings its own charts. Everything read from a folder must really be
in it: a link that leads out (`h.txt -> /etc/hostname`) is refused, or a report could print a host file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from report_builder.issues import BadInput, IssueCode, Location
from report_builder.report.chart_specs import CHARTS_FILE, ChartSpec, placeholder_problem, read_charts
from report_builder.shipped import TEMPLATES

TEMPLATE_FILE = "template.toml"
_HEAD_FIELDS = ("region", "year", "next_year")
_OFFICIAL_FIELDS = ("org", "code", "year", "n")


@dataclass(frozen=True)
class OfficialMarks:
    """What `build --official` prints in the 版头 and 版记, as patterns of the template's [official] table:
    {org} the issuing office (示例县民政局), {code} its 机关代字 (--issuer-code), {year} the 成文日期's year,
    {n} the document's number (--doc-number)."""

    issuer: str = "{org}文件"  # 发文机关标志 (GB/T 9704 7.2.4)
    number: str = "{code}〔{year}〕{n}号"  # 发文字号 (7.2.5): 〔〕, the full year, no 第, no leading zeros
    printer: str = "{org}办公室"  # 印发机关 (7.4.3)


@dataclass(frozen=True)
class ReportTemplate:
    name: str
    folder: Path
    description: str
    style: str
    main: str
    running_head: str = ""  # with {region}, {year}, {next_year}
    charts: Mapping[str, ChartSpec] = field(default_factory=dict)
    kind: str = "report"  # "notice": the 通报 that `batch` writes from a ranking, not a region's report
    official: OfficialMarks = OfficialMarks()


def inside(root: Path, path: Path, name: str) -> Path:
    """`path` (under `root`, the resolved folder shown as `name`) with its links resolved, when that is still
    inside `root`; else BadInput."""
    real = path.resolve()
    if not real.is_relative_to(root):
        where = Location(f"{name}/{path.relative_to(root).as_posix()}")
        raise BadInput.of(IssueCode.LINK_OUTSIDE, where, target=real)
    return real


def shipped_names() -> list[str]:
    """The shipped templates, which a template of one's own may extend as `quarterly/report.xml.j2`."""
    return sorted(p.parent.name for p in TEMPLATES.glob(f"*/{TEMPLATE_FILE}"))


def find_template(name_or_path: str) -> ReportTemplate:
    """Raises BadInput naming the templates there are when nothing matches, or what is wrong with the folder.

    Its charts are its own charts.toml over the shipped templates', so a template that extends
    `quarterly/report.xml.j2` needs no charts.toml to draw the charts that template places."""
    folder = Path(name_or_path)
    if not (folder / TEMPLATE_FILE).is_file():
        folder = TEMPLATES / name_or_path
    if not (folder / TEMPLATE_FILE).is_file():
        names = "、".join(t.name for t in list_templates())
        raise BadInput.of(
            IssueCode.BAD_OPTION,
            Location("--template"),
            why=f"找不到模板“{name_or_path}”（应为模板名或含 {TEMPLATE_FILE} 的文件夹），现有模板：{names}",
        )
    name, root = folder.name, folder.resolve()
    where = Location(f"{name}/{TEMPLATE_FILE}")
    try:
        spec = tomllib.loads(inside(root, root / TEMPLATE_FILE, name).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInput.of(IssueCode.BAD_TEMPLATE, where, why=exc) from None
    head = spec.get("running_head", "")
    if problem := placeholder_problem(head, _HEAD_FIELDS) if isinstance(head, str) else "应为文字":
        raise BadInput.of(IssueCode.BAD_TEMPLATE, Location(where.file, header="running_head"), why=problem)
    official = _official(spec.get("official", {}), where.file)
    shipped = {} if root.parent == TEMPLATES.resolve() else _shipped_charts()
    charts = {**shipped, **_charts(root, name)}
    return ReportTemplate(name, root, spec.get("description", ""), spec.get("style", "gongwen"),
                          spec.get("main", "report.xml.j2"), head, MappingProxyType(charts),
                          str(spec.get("kind", "report")), official)  # fmt: skip


def _official(table: object, file: str) -> OfficialMarks:
    """The template's [official] table: known keys, each a pattern of {org} {code} {year} {n} only."""
    if not isinstance(table, dict):
        raise BadInput.of(
            IssueCode.BAD_TEMPLATE, Location(file, header="official"), why="应为表（[official]）"
        )
    known = OfficialMarks.__dataclass_fields__
    for key, value in table.items():
        problem = (
            "未知的键，只能用 " + "、".join(known) if key not in known
            else placeholder_problem(value, _OFFICIAL_FIELDS) if isinstance(value, str) else "应为文字"
        )  # fmt: skip
        if problem:
            raise BadInput.of(IssueCode.BAD_TEMPLATE, Location(file, header=f"official.{key}"), why=problem)
    return OfficialMarks(**table)


def _charts(root: Path, name: str) -> dict[str, ChartSpec]:
    path = root / CHARTS_FILE
    return read_charts(inside(root, path, name), f"{name}/{CHARTS_FILE}") if path.exists() else {}


def _shipped_charts() -> dict[str, ChartSpec]:
    return {chart: spec for name in reversed(shipped_names())
            for chart, spec in _charts(TEMPLATES.resolve() / name, name).items()}  # fmt: skip


def list_templates() -> list[ReportTemplate]:
    return [find_template(str(TEMPLATES / name)) for name in shipped_names()]
