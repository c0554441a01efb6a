"""The region tree (regions.csv): codes, names, parents and levels.

Codes are GB/T 2260 six-digit codes for county and above and twelve-digit statistical codes below. Levels come
from the optional 层级 column, else from the shape of the code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import IntEnum
from types import MappingProxyType


class Level(IntEnum):
    省 = 1
    市 = 2
    县 = 3
    乡 = 4
    村 = 5

    @classmethod
    def parse(cls, text: str) -> Level:
        """Accepts 省/市/县/乡/村 and the longer names offices write (县级, 乡镇, 街道…)."""
        aliases = {"区": "县", "镇": "乡", "街道": "乡", "乡镇": "乡", "社区": "村", "地区": "市", "州": "市",
                   "province": "省", "city": "市", "county": "县", "township": "乡", "town": "乡", "village": "村"}  # fmt: skip
        key = text.strip().lower().removesuffix("级")
        key = aliases.get(key, key)
        try:
            return cls[key]
        except KeyError:
            raise ValueError(f"无法识别的层级“{text}”，应为 省/市/县/乡/村") from None

    @property
    def collective(self) -> str:
        """How a report names the regions of this level together, as offices write it: 各乡镇（街道）,
        3个县（市、区）中…; a city's report speaks of its counties, a county's of its townships."""
        return _COLLECTIVE[self]

    @classmethod
    def from_code(cls, code: str) -> Level:
        if len(code) == 12:
            return cls.村 if code[9:] != "000" else cls.乡
        if code.endswith("0000"):
            return cls.省
        return cls.市 if code.endswith("00") else cls.县


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    parent: str | None
    level: Level
    row: int  # the line in regions.csv, for messages about this region

    @property
    def office(self) -> str:
        """Who issues this region's report, as documents name it: a township has no 民政局, and a province's
        office is a 民政厅 unless it is a municipality (北京市民政局)."""
        name = self.name
        if self.level is Level.省:
            return f"{name}民政局" if name.endswith("市") else f"{name}民政厅"
        if self.level is Level.乡:
            return f"{name}办事处" if name.endswith("街道") else f"{name}人民政府"
        if self.level is Level.村:
            return f"{name}居民委员会" if name.endswith("社区") else f"{name}村民委员会"
        return f"{name}民政局"


def normalize_code(value: object) -> str:
    """Codes typed as numbers come back as 990123101000 or 990123101000.0; both mean the text code."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return text.removesuffix(".0")


@dataclass(frozen=True)
class RegionTree:
    regions: Mapping[str, Region]
    children: Mapping[str, tuple[str, ...]]

    @classmethod
    def build(cls, regions: list[Region]) -> RegionTree:
        by_code = {r.code: r for r in regions}
        kids: dict[str, list[str]] = {}
        for r in regions:
            if r.parent is not None:
                kids.setdefault(r.parent, []).append(r.code)
        return cls(MappingProxyType(by_code), MappingProxyType({k: tuple(v) for k, v in kids.items()}))

    def __contains__(self, code: object) -> bool:
        return code in self.regions

    def __getitem__(self, code: str) -> Region:
        return self.regions[code]

    def by_name(self, name: str) -> list[Region]:
        return [r for r in self.regions.values() if r.name == name.strip()]

    def children_of(self, code: str) -> tuple[str, ...]:
        return self.children.get(code, ())

    def roots(self) -> list[str]:
        return [c for c, r in self.regions.items() if r.parent is None or r.parent not in self.regions]

    def descendants(self, code: str) -> Iterator[str]:
        for child in self.children_of(code):
            yield child
            yield from self.descendants(child)

    def ancestors(self, code: str) -> tuple[str, ...]:
        """From the parent up to the root of the tree."""
        found: list[str] = []
        parent = self.regions[code].parent
        while parent is not None and parent in self.regions and parent not in found:
            found.append(parent)
            parent = self.regions[parent].parent
        return tuple(found)

    def common_ancestor(self, codes: list[str]) -> str | None:
        """The lowest region that is or lies above every one of `codes`; None when they share no root."""
        if not codes:
            return None
        common = [codes[0], *self.ancestors(codes[0])]
        for code in codes[1:]:
            line = {code, *self.ancestors(code)}
            common = [c for c in common if c in line]
        return common[0] if common else None


@dataclass(frozen=True)
class RegionScope:
    """Which regions a target names: one code, `CODE*` (the regions directly under CODE) or `*` (all).

    Parsed once from the targets file, so no other module reads the star.
    """

    code: str | None  # None: every region
    children: bool = False  # the regions directly under `code`, not `code` itself

    @classmethod
    def parse(cls, text: str) -> RegionScope:
        text = normalize_code(text) or "*"
        if text == "*":
            return cls(None, True)
        if text.endswith("*"):
            return cls(text[:-1], True)
        return cls(text)

    def __str__(self) -> str:
        return "*" if self.code is None else f"{self.code}*" if self.children else self.code

    @property
    def specificity(self) -> int:
        return 0 if self.code is None else 1 if self.children else 2

    def codes(self, tree: RegionTree) -> tuple[str, ...]:
        if self.code is None:
            return tuple(tree.regions)
        return tree.children_of(self.code) if self.children else (self.code,)


_COLLECTIVE = {Level.省: "省（自治区、直辖市）", Level.市: "市（州）", Level.县: "县（市、区）", Level.乡: "乡镇（街道）",
               Level.村: "村（社区）"}  # fmt: skip
