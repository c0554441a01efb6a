"""A synthetic province for the benchmarks: 16 cities, 130 counties of 8–20 townships, 8 quarters (2019Q1–2020Q4).

Codes under 99 (no real province) and fictional names (市1, 县1, 乡1). Written as a data folder the normal loader
reads: regions.csv, one township table with every field of the quarterly report (sample_data/ has the same
fields spread over several files), 农村低保标准 (a parameter, on the counties' own rows; one provincial standard, since the levels above must agree) and
targets.csv. Deterministic: a fixed seed and integer arithmetic.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

CITIES, COUNTIES = 16, 130
TOWNSHIPS_PER_COUNTY = (8, 20)
PERIODS = [f"{y}Q{q}" for y in (2019, 2020) for q in range(1, 5)]
LAST_PERIOD = PERIODS[-1]
TARGETS = """指标,比较,目标值,区划代码,期间,依据
beds_per_1000_elderly,>=,45,*,2020,省下达
nursing_bed_share,>=,35,*,2020,省下达
tekun_dependent_concentrated_rate,>=,50,*,2020,省下达
"""
_HEADER = ["区划代码", "统计期", "农村户籍人口", "农村低保户数", "农村低保人数", "特困人员数", "集中供养特困人员数",
           "生活不能自理特困人员数", "生活不能自理特困人员集中供养数", "60周岁及以上老年人口", "养老床位数",
           "护理型床位数", "建档立卡贫困人口", "未脱贫人口", "临时救助人次", "临时救助金额",
           "乡镇级养老服务中心数"]  # fmt: skip


def write_province(folder: Path, counties: int = COUNTIES, cities: int = CITIES, seed: int = 7) -> list[str]:
    """Write the data folder into `folder` and return the county codes, in the order of regions.csv."""
    rng = random.Random(seed)
    regions = [("990000", "示例省", "", "省")]
    for c in range(cities):
        regions.append((f"99{c + 1:02d}00", f"市{c + 1}", "990000", "市"))
    county_codes = []
    for k in range(counties):
        city = f"99{k % cities + 1:02d}00"
        code = f"{city[:4]}{k // cities + 1:02d}"
        regions.append((code, f"县{k + 1}", city, "县"))
        county_codes.append(code)
    townships = []
    for county in county_codes:
        for t in range(rng.randint(*TOWNSHIPS_PER_COUNTY)):
            code = f"{county}{t + 100:03d}000"
            regions.append((code, f"乡{len(townships) + 1}", county, "乡"))
            townships.append(code)
    with open(folder / "regions.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([("代码", "名称", "上级代码", "层级"), *regions])
    with open(folder / "乡镇数据.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(_HEADER)
        for code in townships:
            pop = rng.randint(8000, 40000)
            centre = rng.randint(0, 1)
            for period in PERIODS:
                persons = pop * rng.randint(30, 60) // 1000
                tekun = pop // 100
                dependent = tekun // 6
                elderly = pop // 5
                beds = elderly * rng.randint(35, 55) // 1000
                poor = pop // 12
                cases = rng.randint(30, 250)
                writer.writerow([code, period, pop, persons // 2, persons, tekun, tekun * 2 // 5, dependent,
                                 dependent // 2, elderly, beds, beds * rng.randint(25, 45) // 100, poor,
                                 poor // rng.randint(5, 50), cases, cases * rng.randint(600, 1200), centre])  # fmt: skip
    with open(folder / "低保标准.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["区划代码", "统计期", "农村低保标准"])
        for code in county_codes:
            for period in PERIODS:
                writer.writerow([code, period, 3960 if period.startswith("2019") else 4200])
    (folder / "targets.csv").write_text(TARGETS, encoding="utf-8")
    return county_codes
