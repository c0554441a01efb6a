"""Report templates: a folder with `template.toml` (description, house style, main file) and Jinja files.

The shipped templates live in templates/; `--template` also takes the path of a user's own folder with the
same layout.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
MANIFEST = "template.toml"


@dataclass(frozen=True)
class ReportTemplate:
    name: str
    folder: Path
    description: str
    style: str
    main: str
    running_head: str = ""  # with {region}, {year}, {next_year}


def find_template(name_or_path: str) -> ReportTemplate:
    """Raises ValueError naming the templates there are when nothing matches."""
    folder = Path(name_or_path)
    if not (folder / MANIFEST).exists():
        folder = TEMPLATES_DIR / name_or_path
    if not (folder / MANIFEST).exists():
        names = "、".join(t.name for t in list_templates())
        raise ValueError(
            f"找不到模板“{name_or_path}”（应为模板名或含 {MANIFEST} 的文件夹），现有模板：{names}"
        )
    spec = tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return ReportTemplate(folder.name, folder.resolve(), spec.get("description", ""), spec.get("style", "gongwen"),
                          spec.get("main", "report.xml.j2"), spec.get("running_head", ""))  # fmt: skip


def list_templates() -> list[ReportTemplate]:
    return [find_template(str(p.parent)) for p in sorted(TEMPLATES_DIR.glob(f"*/{MANIFEST}"))]
