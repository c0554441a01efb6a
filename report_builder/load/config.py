"""A data folder's own settings (`config.toml`): header aliases, which sheet to read, rounding.

Example::

    rounding = "half_up"            # 四舍五入; "half_even" follows GB/T 8170's 修约
    [aliases]                       # local header = field id, standard header or key header
    "低保户数" = "dibao_rural_households"
    "乡镇名" = "名称"
    [files."乡镇数据.xlsx"]
    sheet = "乡镇表"                 # read only this sheet
    [files."说明.xlsx"]
    ignore = true                   # not a fact table
"""

from __future__ import annotations

import tomllib
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from report_builder.issues import Issue, IssueCode, Location
from report_builder.numbers import Rounding

CONFIG_NAME = "config.toml"


@dataclass(frozen=True)
class FileOptions:
    sheet: str | None = None
    ignore: bool = False


@dataclass(frozen=True)
class DataConfig:
    aliases: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, FileOptions] = field(default_factory=dict)
    rounding: Rounding = Rounding.HALF_UP

    def for_file(self, name: str) -> FileOptions:
        return self.files.get(name, FileOptions())


def read_config(data_dir: Path) -> Generator[Issue, None, DataConfig]:
    """Yield the problems of config.toml; return the config (defaults where the file is absent)."""
    path = data_dir / CONFIG_NAME
    if not path.exists():
        return DataConfig()
    where = Location(CONFIG_NAME)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        yield Issue.make(IssueCode.BAD_CONFIG, where, why=exc)
        return DataConfig()
    for key in sorted(set(data) - {"aliases", "files", "rounding"}):
        yield Issue.make(IssueCode.BAD_CONFIG, where, why=f"未知的设置项“{key}”")
    try:
        rounding = Rounding(data.get("rounding", Rounding.HALF_UP))
    except ValueError:
        yield Issue.make(
            IssueCode.BAD_CONFIG,
            where,
            why=f"rounding 应为 {' 或 '.join(Rounding)}，实际为“{data['rounding']}”",
        )
        rounding = Rounding.HALF_UP
    files: dict[str, FileOptions] = {}
    for name, opts in data.get("files", {}).items():
        unknown = set(opts) - {"sheet", "ignore"}
        if unknown:
            yield Issue.make(
                IssueCode.BAD_CONFIG,
                where,
                why=f'[files."{name}"] 中未知的设置项：{"、".join(sorted(unknown))}',
            )
        if not (data_dir / name).exists():
            yield Issue.make(IssueCode.BAD_CONFIG, where, why=f'[files."{name}"] 所指的文件不存在')
        files[name] = FileOptions(opts.get("sheet"), bool(opts.get("ignore", False)))
    aliases = {str(k): str(v) for k, v in data.get("aliases", {}).items()}
    return DataConfig(MappingProxyType(aliases), MappingProxyType(files), rounding)
