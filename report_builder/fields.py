"""The field registry: which columns a fact table may have, their units and how they aggregate.

The registry is data (`fields.toml`) so that a new field is a few lines of TOML, not code. A data folder's own
header aliases are merged in by `FieldRegistry.with_aliases`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from types import MappingProxyType


class Kind(StrEnum):
    STOCK = "stock"
    FLOW = "flow"
    PARAMETER = "parameter"


COUNT_UNITS = frozenset({"人", "户", "张", "人次", "个", "所"})


@dataclass(frozen=True)
class FieldDef:
    id: str
    header: str
    unit: str
    kind: Kind
    aliases: tuple[str, ...] = ()

    @property
    def is_count(self) -> bool:
        """Counts are whole, non-negative numbers: 48824.5人 is a typing error, not a value."""
        return self.unit in COUNT_UNITS


@dataclass(frozen=True)
class Unit:
    base: str
    factor: Decimal


@dataclass(frozen=True)
class Relation:
    lesser: str
    greater: str
    why: str


class Key(StrEnum):
    """Columns that identify a row rather than hold a value."""

    REGION_CODE = "region_code"
    REGION_NAME = "region_name"
    PERIOD = "period"


@dataclass(frozen=True)
class HeaderMatch:
    """What a header cell means: a key column, or a field with the factor that brings its unit to the field's."""

    key: Key | None = None
    field: FieldDef | None = None
    factor: Decimal = Decimal(1)
    unit: str | None = None


_UNIT_IN_HEADER = re.compile(r"^(?P<name>.+?)[（(](?P<unit>[^（）()]+)[)）]$")


def normalize_header(text: str) -> str:
    """Headers are compared without spaces, line breaks or full-width/half-width differences of brackets."""
    text = re.sub(r"\s+", "", text.replace("\u3000", ""))
    return text.replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class FieldRegistry:
    fields: Mapping[str, FieldDef]
    units: Mapping[str, Unit]
    relations: tuple[Relation, ...]
    key_headers: Mapping[str, Key]
    field_headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def default(cls) -> FieldRegistry:
        text = resources.files("report_builder").joinpath("fields.toml").read_text(encoding="utf-8")
        data = tomllib.loads(text)
        fields = {
            fid: FieldDef(
                fid, spec["header"], spec["unit"], Kind(spec["kind"]), tuple(spec.get("aliases", ()))
            )
            for fid, spec in data["fields"].items()
        }
        units = {name: Unit(u["base"], Decimal(u["factor"])) for name, u in data["units"].items()}
        relations = tuple(Relation(r["lesser"], r["greater"], r["why"]) for r in data["relations"])
        keys = {normalize_header(h): Key(k) for k, headers in data["keys"].items() for h in headers}
        registry = cls(MappingProxyType(fields), MappingProxyType(units), relations, MappingProxyType(keys))
        return registry._indexed()

    def _indexed(self) -> FieldRegistry:
        headers: dict[str, str] = {}
        for f in self.fields.values():
            for h in (f.header, *f.aliases):
                headers[normalize_header(h)] = f.id
        return replace(self, field_headers=MappingProxyType(headers))

    def with_aliases(self, aliases: Mapping[str, str]) -> FieldRegistry:
        """Add a data folder's header aliases. A target may be a field id, a standard header or a key header.

        Raises ValueError naming the alias whose target is unknown.
        """
        fields = dict(self.fields)
        keys = dict(self.key_headers)
        for alias, target in aliases.items():
            norm_target = normalize_header(target)
            if norm_target in keys:
                keys[normalize_header(alias)] = keys[norm_target]
                continue
            fid = target if target in fields else self.field_headers.get(norm_target)
            if fid is None:
                raise ValueError(f"别名“{alias}”指向未知的字段“{target}”")
            fields[fid] = replace(fields[fid], aliases=(*fields[fid].aliases, alias))
        return replace(self, fields=MappingProxyType(fields), key_headers=MappingProxyType(keys))._indexed()

    def match(self, header: str) -> HeaderMatch | None:
        """Interpret one header cell; None when it names nothing we know.

        Raises ValueError when the header names a field but carries a unit that cannot be converted to it.
        """
        norm = normalize_header(header)
        if norm in self.key_headers:
            return HeaderMatch(key=self.key_headers[norm])
        if norm in self.field_headers:
            return HeaderMatch(field=self.fields[self.field_headers[norm]])
        m = _UNIT_IN_HEADER.match(norm)
        if m is None or m["name"] not in self.field_headers:
            return None
        fdef = self.fields[self.field_headers[m["name"]]]
        unit = self.units.get(m["unit"])
        if unit is None or unit.base != fdef.unit:
            raise ValueError(f"单位“{m['unit']}”不能换算为{fdef.header}的单位“{fdef.unit}”")
        return HeaderMatch(field=fdef, factor=unit.factor, unit=m["unit"])
