"""Where the data files shipped with the package are: report templates, house styles, the chart style sheet.

They are package data (`report_builder.templates` and `report_builder.figures`, mapped from the top-level
`templates/` and `figures/` folders in pyproject.toml) and found through `importlib.resources`, so the same
code finds them in a checkout, an editable install and an installed wheel.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _folder(package: str) -> Path:
    """A shipped folder as a path: Jinja, WeasyPrint and matplotlib read files by name, and installs are unzipped."""
    return Path(str(resources.files(package)))


TEMPLATES = _folder("report_builder.templates")
STYLES = TEMPLATES / "styles"
CHART_STYLE = _folder("report_builder.figures") / "report.mplstyle"
