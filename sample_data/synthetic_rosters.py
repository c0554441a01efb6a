"""Invented rosters (花名册) for the sample county, the tests and the benchmarks: never real people.

Every person is made up: a name drawn from a short list of characters, a 身份证号 under a region code of the
nonexistent province 99 (99xxxx) with a birth date, a sequence number and a valid GB 11643 check digit. Given the
counts a fact table would hold per region and period, `roster_rows` writes the people behind them: 农村低保
households of one to six members, 特困 persons with their 供养方式 and 自理能力. Over consecutive periods the
same households stay on the roster; a few leave (their exit recorded in the later period, with a reason) and a
few join, so 新增/退出 between two periods are there to count. Deterministic: the same counts and seed give
the same rows.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

HEADER = (
    "身份证号",
    "姓名",
    "户编号",
    "区划代码",
    "统计期",
    "保障类别",
    "供养方式",
    "自理能力",
    "与户主关系",
    "月保障金额(元)",
    "退出原因",
)
_SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
_GIVEN = "明华强伟芳娟敏静丽军杰涛超勇艳霞平刚桂英兰秀云建国志红玉梅"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
EXIT_REASONS = ("收入超标", "死亡", "迁出", "其他")
TURNOVER = 0.04  # the share of households (特困: persons) replaced from one period to the next


@dataclass(frozen=True)
class Counts:
    """What one region reports for one period, which the roster must reproduce."""

    dibao_households: int = 0
    dibao_persons: int = 0
    tekun_persons: int = 0
    tekun_concentrated: int = 0
    tekun_dependent: int = 0
    tekun_dependent_concentrated: int = 0


def id_number(area: str, born: datetime.date, sequence: int) -> str:
    """An 18-digit number with a valid check digit, only ever under a 99xxxx area code."""
    if not (len(area) == 6 and area.startswith("99")):
        raise ValueError(f"invented IDs use area codes 99xxxx only, not {area}")
    first = f"{area}{born:%Y%m%d}{sequence % 1000:03d}"
    return first + "10X98765432"[sum(int(d) * w for d, w in zip(first, _WEIGHTS, strict=True)) % 11]


class _People:
    """Invented people, each once: a key (who) always gives the same person."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.taken: set[str] = set()
        self.known: dict[tuple[object, ...], tuple[str, str]] = {}

    def person(self, key: tuple[object, ...], area: str, youngest: int, oldest: int) -> tuple[str, str]:
        found = self.known.get(key)
        if found is None:
            rng = random.Random(f"{self.seed}:{key}")
            age_days = rng.randint(youngest * 366, oldest * 365)
            born = datetime.date(2020, 1, 1) - datetime.timedelta(days=age_days)
            sequence = rng.randrange(1000)
            number = id_number(area, born, sequence)
            while number in self.taken:
                sequence += 1
                number = id_number(area, born, sequence)
            self.taken.add(number)
            name = rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))
            found = self.known[key] = (number, name)
        return found


def roster_rows(
    counts: Mapping[str, Sequence[tuple[str, Counts]]], seed: int = 1
) -> Iterator[tuple[object, ...]]:
    """Rows under HEADER. `counts` maps each region code (a 99… township or village) to its periods in order."""
    people = _People(seed)
    for region, periods in counts.items():
        yield from _dibao(people, region, periods)
        yield from _tekun(people, region, periods)


def _windows(sizes: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Consecutive windows [start, end) of a sequence of households or persons: a few leave at the front."""
    start = 0
    for index, size in enumerate(sizes):
        if index:
            start += round(sizes[index - 1] * TURNOVER)
        yield start, start + size


def _dibao(
    people: _People, region: str, periods: Sequence[tuple[str, Counts]]
) -> Iterator[tuple[object, ...]]:
    area = region[:6]
    previous: dict[int, int] = {}
    for (period, c), (start, end) in zip(
        periods, _windows([c.dibao_households for _, c in periods]), strict=True
    ):
        if c.dibao_persons < c.dibao_households:
            raise ValueError(f"{region} {period}: fewer persons than households")
        sizes = {k: 1 + random.Random(f"{people.seed}:{region}:h{k}").randrange(3) for k in range(start, end)}
        extra = c.dibao_persons - sum(sizes.values())
        order = list(range(end - 1, start - 1, -1))
        while extra:
            for k in order:
                if extra > 0 and sizes[k] < 6:
                    sizes[k] += 1
                    extra -= 1
                elif extra < 0 and sizes[k] > 1:
                    sizes[k] -= 1
                    extra += 1
                if not extra:
                    break
        for k, size in sizes.items():
            household = f"{region[6:9]}{k:05d}"
            for member in range(size):
                number, name = people.person((region, "dibao", k, member), area, 0, 90)
                relation = "户主" if member == 0 else ("配偶" if member == 1 else "子女")
                yield (number, name, household, region, period, "农村低保", "", "", relation, 480, "")
        for k, size in previous.items():
            if k not in sizes:  # the household left: its exit, in the later period, with a reason
                reason = EXIT_REASONS[k % len(EXIT_REASONS)]
                for member in range(size):
                    number, name = people.person((region, "dibao", k, member), area, 0, 90)
                    yield (
                        number,
                        name,
                        f"{region[6:9]}{k:05d}",
                        region,
                        period,
                        "农村低保",
                        "",
                        "",
                        "",
                        0,
                        reason,
                    )
        previous = sizes


def _tekun(
    people: _People, region: str, periods: Sequence[tuple[str, Counts]]
) -> Iterator[tuple[object, ...]]:
    previous: range = range(0)
    for (period, c), (start, end) in zip(
        periods, _windows([c.tekun_persons for _, c in periods]), strict=True
    ):
        both = c.tekun_dependent_concentrated
        dependent_only, concentrated_only = c.tekun_dependent - both, c.tekun_concentrated - both
        if (
            min(both, dependent_only, concentrated_only) < 0
            or both + dependent_only + concentrated_only > c.tekun_persons
        ):
            raise ValueError(f"{region} {period}: 特困 counts that no roster can give")
        for index, k in enumerate(range(start, end)):
            concentrated = (
                index < both or both + dependent_only <= index < both + dependent_only + concentrated_only
            )
            dependent = index < both + dependent_only
            care = ("集中" if concentrated else "分散", "全护理" if dependent else "全自理")
            yield _tekun_row(people, region, period, k, *care, 600, "")
        for k in previous:
            if not start <= k < end:
                yield _tekun_row(people, region, period, k, "", "", 0, EXIT_REASONS[k % len(EXIT_REASONS)])
        previous = range(start, end)


def _tekun_row(people: _People, region: str, period: str, k: int, support: str, ability: str, amount: int,
               exit_reason: str) -> tuple[object, ...]:  # fmt: skip
    """One 特困 person, a household of one: listed (with 供养方式 and 自理能力) or exiting (with a reason)."""
    number, name = people.person((region, "tekun", k), region[:6], 16, 95)
    return (number, name, f"T{region[6:9]}{k:05d}", region, period, "特困", support, ability, "户主", amount,
            exit_reason)  # fmt: skip
