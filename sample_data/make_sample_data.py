"""Generate the fictional sample county 示例县 used by report_builder.

Why: report_builder needs realistic-looking civil-affairs tables to develop,
test and demonstrate against, without real (and sensitive) statistics.  示例县
(code 990123, under 示例市 990100; province 99 does not exist) is invented and
every figure is made up.  Keeping the generator lets anyone regenerate or
extend the county (add townships, quarters, indicators) instead of hand-editing
the files.

How: from the repository root run::

    python sample_data/make_sample_data.py

It rewrites the CSV/XLSX files next to this script and prints a summary of the
county indicators and of the townships missing the 2020 targets.  Output is
deterministic: a fixed seed, integer arithmetic only (amounts in 万元 are exact
decimals with at most 4 places) and fixed timestamps inside the XLSX file.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from synthetic_rosters import HEADER as ROSTER_HEADER
from synthetic_rosters import Counts, roster_rows

OUT_DIR = Path(__file__).resolve().parent
# The rosters have a folder of their own: the people behind the counts, for tests of the roster reader and for
# analysts to try it. Kept out of sample_data/ so the sample reports load the tables alone, as fast as before.
ROSTER_DIR = OUT_DIR.parent / "sample_rosters"
SEED = 20201010
CITY_CODE, CITY_NAME = "990100", "示例市"
COUNTY_CODE, COUNTY_NAME = "990123", "示例县"
PERIODS = tuple(f"{year}Q{q}" for year in (2018, 2019, 2020) for q in range(1, 5))
LAST = len(PERIODS) - 1
DIBAO_STANDARD = {"2018": 3960, "2019": 4500, "2020": 5100}  # 元/人·年
FIXED_TIME = datetime.datetime(2021, 1, 8, 9, 0, 0)
KEY_HEADER = ("区划代码", "名称", "统计期")
ROSTER_PERIODS = ("2020Q2", "2020Q3")  # the quarters with rosters (花名册) of invented people


@dataclass(frozen=True)
class Township:
    """A township with the hand-picked end points that decide the 2020 targets."""

    code: str
    name: str
    population: int  # 农村户籍人口 in 2018Q1
    beds_end: int  # 养老床位 per 10,000 elderly in 2020Q4
    nursing_end: int  # 护理型床位 share of beds in 2020Q4, ‰
    dependent_end: int  # 生活不能自理特困人员集中供养率 in 2020Q4, ‰


TOWNSHIPS = (
    Township("990123101000", "城关镇", 44600, 520, 420, 680),
    Township("990123102000", "青山镇", 33800, 480, 380, 600),
    Township("990123103000", "河口镇", 30500, 470, 360, 560),
    Township("990123104000", "石桥镇", 28200, 435, 330, 475),
    Township("990123105000", "新场镇", 26100, 490, 400, 580),
    Township("990123106000", "龙泉镇", 24300, 460, 370, 530),
    Township("990123201000", "白云乡", 23800, 430, 310, 450),
    Township("990123202000", "松林乡", 21400, 470, 360, 540),
    Township("990123203000", "桃源乡", 19700, 440, 365, 520),
    Township("990123204000", "梅子乡", 17500, 480, 390, 620),
    Township("990123205000", "高坪乡", 15200, 455, 340, 510),
    Township("990123206000", "柳溪乡", 12900, 435, 300, 440),
)


@dataclass(frozen=True)
class Profile:
    """Randomly drawn, time-invariant characteristics of one township."""

    elderly_bp: int  # 60+ share of rural population in 2018Q1, per 10,000
    dibao_bp: int  # 低保 coverage in 2018Q1, per 10,000
    household_size: int  # 低保 persons per household, ×10
    tekun_bp: int  # 特困 share of rural population, per 10,000
    concentrated_pct: int  # 集中供养 share of 特困, %
    dependent_pct: int  # 生活不能自理 share of 特困, %
    poverty_bp: int  # 建档立卡 share of 2018Q1 population, per 10,000
    relief_bp: int  # 临时救助 cases per quarter, per 10,000 people
    beds_start: int  # 养老床位 per 10,000 elderly in 2018Q1
    nursing_start: int  # 护理型床位 share in 2018Q1, ‰
    dependent_start: int  # 生活不能自理集中供养率 in 2018Q1, ‰


@dataclass(frozen=True)
class Record:
    """All figures of one township in one quarter."""

    township: Township
    period: str
    population: int
    dibao_households: int
    dibao_persons: int
    tekun: int
    tekun_concentrated: int
    tekun_dependent: int
    tekun_dependent_concentrated: int
    elderly: int
    beds: int
    nursing_beds: int
    poverty_registered: int
    poverty_remaining: int
    relief_cases: int
    relief_amount: Decimal  # 万元, at most 4 decimals


@dataclass(frozen=True)
class Target:
    indicator: str
    comparison: str
    value: int
    region: str
    period: str
    basis: str


ELDERLY_BASIS_2020 = "市民政局下达2020年养老服务体系建设目标"
ELDERLY_BASIS_2019 = "市民政局下达2019年养老服务体系建设目标"
TEKUN_BASIS = "省民政厅特困人员供养服务质量要求"
TARGETS = (
    Target("beds_per_1000_elderly", ">=", 45, "*", "2020", ELDERLY_BASIS_2020),
    Target("nursing_bed_share", ">=", 35, "*", "2020", ELDERLY_BASIS_2020),
    Target("tekun_dependent_concentrated_rate", ">=", 50, "*", "2020", TEKUN_BASIS),
    Target("poverty_incidence", "<=", 0, COUNTY_CODE, "2020", "县脱贫攻坚指挥部年度目标"),
    Target("beds_per_1000_elderly", ">=", 42, "*", "2019", ELDERLY_BASIS_2019),
    Target("nursing_bed_share", ">=", 30, "*", "2019", ELDERLY_BASIS_2019),
    Target("tekun_dependent_concentrated_rate", ">=", 45, "*", "2019", TEKUN_BASIS),
    Target("乡镇级养老服务中心数", ">=", 4, COUNTY_CODE, "2020", "县政府2020年民生实事项目"),
)

# township code -> first quarter with a 乡镇级养老服务中心 (a task target: 4 by 2020, 3 built)
SERVICE_CENTERS = {"990123101000": "2018Q1", "990123102000": "2019Q3", "990123104000": "2020Q2"}

# indicator -> (numerator field, denominator field, multiplier)
INDICATORS = {
    "dibao_rural_coverage": ("dibao_persons", "population", 100),
    "beds_per_1000_elderly": ("beds", "elderly", 1000),
    "nursing_bed_share": ("nursing_beds", "beds", 100),
    "tekun_dependent_concentrated_rate": (
        "tekun_dependent_concentrated",
        "tekun_dependent",
        100,
    ),
    "poverty_incidence": ("poverty_remaining", "population", 100),
}

# file name -> ((column header, Record field), ...)
TOPIC_FILES = {
    "人口与低保.csv": (
        ("农村户籍人口", "population"),
        ("农村低保户数", "dibao_households"),
        ("农村低保人数", "dibao_persons"),
    ),
    "特困供养.csv": (
        ("特困人员数", "tekun"),
        ("集中供养特困人员数", "tekun_concentrated"),
        ("生活不能自理特困人员数", "tekun_dependent"),
        ("生活不能自理特困人员集中供养数", "tekun_dependent_concentrated"),
    ),
    "养老服务.csv": (
        ("60周岁及以上老年人口", "elderly"),
        ("养老床位数", "beds"),
        ("护理型床位数", "nursing_beds"),
    ),
    "脱贫攻坚.csv": (
        ("建档立卡贫困人口", "poverty_registered"),
        ("未脱贫人口", "poverty_remaining"),
    ),
}


def part(whole: int, rate: int, base: int) -> int:
    """Return whole × rate / base, rounded half up, in integer arithmetic."""
    return (2 * whole * rate + base) // (2 * base)


def ramp(start: int, end: int, index: int) -> int:
    """Concave path from start (first quarter) to end (last quarter)."""
    left = LAST - index
    return end - (end - start) * left * left // (LAST * LAST)


def draw_profile(rng: random.Random, township: Township) -> Profile:
    return Profile(
        elderly_bp=rng.randint(1800, 2100),
        dibao_bp=rng.randint(380, 580),
        household_size=rng.randint(19, 23),
        tekun_bp=rng.randint(85, 115),
        concentrated_pct=rng.randint(28, 42),
        dependent_pct=rng.randint(13, 19),
        poverty_bp=rng.randint(700, 1000),
        relief_bp=rng.randint(24, 38),
        beds_start=township.beds_end - rng.randint(40, 80),
        nursing_start=township.nursing_end - rng.randint(30, 50),
        dependent_start=township.dependent_end - rng.randint(50, 90),
    )


def relief_cases(rng: random.Random, township: Township, profile: Profile, index: int) -> int:
    """Temporary-relief cases: about half as many again in Q1 (Spring Festival)."""
    seasonal = 150 if PERIODS[index].endswith("Q1") else 100
    base = part(township.population, profile.relief_bp * seasonal, 1_000_000)
    return min(max(base + rng.randint(-8, 8), 30), 250)


def simulate(rng: random.Random, township: Township, profile: Profile, index: int) -> Record:
    population = part(township.population, 10000 - 12 * index, 10000) + rng.randint(-20, 20)
    dibao_persons = part(population, profile.dibao_bp - 2 * index + rng.randint(-5, 5), 10000)
    tekun = part(population, profile.tekun_bp + rng.randint(-2, 2), 10000)
    concentrated = part(tekun, profile.concentrated_pct, 100)
    dependent = part(tekun, profile.dependent_pct, 100)
    dependent_rate = ramp(profile.dependent_start, township.dependent_end, index)
    elderly = part(population, profile.elderly_bp + 10 * index, 10000)
    beds = part(elderly, ramp(profile.beds_start, township.beds_end, index), 10000)
    registered = part(township.population, profile.poverty_bp, 10000)
    cases = relief_cases(rng, township, profile, index)
    return Record(
        township=township,
        period=PERIODS[index],
        population=population,
        dibao_households=dibao_persons * 10 // profile.household_size,
        dibao_persons=dibao_persons,
        tekun=tekun,
        tekun_concentrated=concentrated,
        tekun_dependent=dependent,
        tekun_dependent_concentrated=min(part(dependent, dependent_rate, 1000), concentrated),
        elderly=elderly,
        beds=beds,
        nursing_beds=part(beds, ramp(profile.nursing_start, township.nursing_end, index), 1000),
        poverty_registered=registered,
        poverty_remaining=part(registered, 400 * (LAST - index), 1000 * LAST),
        relief_cases=cases,
        relief_amount=Decimal(cases * rng.randint(600, 1200)).scaleb(-4),
    )


def generate(rng: random.Random) -> list[Record]:
    """Records ordered by quarter, then by township code."""
    profiles = [draw_profile(rng, township) for township in TOWNSHIPS]
    return [
        simulate(rng, township, profile, index)
        for index in range(len(PERIODS))
        for township, profile in zip(TOWNSHIPS, profiles, strict=True)
    ]


def write_csv(
    name: str, header: Sequence[str], rows: Iterable[Sequence[object]], folder: Path = OUT_DIR
) -> None:
    folder.mkdir(exist_ok=True)
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_regions() -> None:
    rows = [(CITY_CODE, CITY_NAME, "", "市"), (COUNTY_CODE, COUNTY_NAME, CITY_CODE, "县")]
    rows += [(t.code, t.name, COUNTY_CODE, "乡") for t in TOWNSHIPS]
    for folder in (OUT_DIR, ROSTER_DIR):
        write_csv("regions.csv", ("代码", "名称", "上级代码", "层级"), rows, folder)


def write_dibao_standard() -> None:
    rows = [(COUNTY_CODE, COUNTY_NAME, p, DIBAO_STANDARD[p[:4]]) for p in PERIODS]
    write_csv("低保标准.csv", (*KEY_HEADER, "农村低保标准"), rows)


def write_topics(records: Sequence[Record]) -> None:
    for name, columns in TOPIC_FILES.items():
        labels, fields = zip(*columns, strict=True)
        rows = [
            (r.township.code, r.township.name, r.period, *(getattr(r, f) for f in fields)) for r in records
        ]
        write_csv(name, (*KEY_HEADER, *labels), rows)


def write_service_centers() -> None:
    rows = [
        (t.code, t.name, p, int(t.code in SERVICE_CENTERS and SERVICE_CENTERS[t.code] <= p))
        for p in PERIODS
        for t in TOWNSHIPS
    ]
    write_csv("养老服务中心.csv", (*KEY_HEADER, "乡镇级养老服务中心数"), rows)


def write_targets() -> None:
    header = ("指标", "比较", "目标值", "区划代码", "期间", "依据")
    rows = [(t.indicator, t.comparison, t.value, t.region, t.period, t.basis) for t in TARGETS]
    write_csv("targets.csv", header, rows)


def write_rosters(records: Sequence[Record]) -> None:
    """The people behind the 低保 and 特困 counts of ROSTER_PERIODS, one CSV each, in ROSTER_DIR. Their counts
    equal the fact tables' (tests/load/test_rosters.py loads both folders together, and the loader checks)."""
    counts = {
        t.code: [
            (r.period, Counts(r.dibao_households, r.dibao_persons, r.tekun, r.tekun_concentrated,
                              r.tekun_dependent, r.tekun_dependent_concentrated))
            for r in records
            if r.township == t and r.period in ROSTER_PERIODS
        ]
        for t in TOWNSHIPS
    }  # fmt: skip
    rows = list(roster_rows(counts, SEED))
    category = ROSTER_HEADER.index("保障类别")
    for name, kind in (("低保花名册.csv", "农村低保"), ("特困花名册.csv", "特困")):
        write_csv(name, ROSTER_HEADER, (r for r in rows if r[category] == kind), ROSTER_DIR)


def write_relief_header(sheet: Worksheet) -> None:
    bold, centre = Font(bold=True), Alignment(horizontal="center", vertical="center")
    sheet["A1"] = f"{COUNTY_NAME}2018—2020年各乡镇临时救助情况"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = centre
    sheet.merge_cells("A1:E1")
    sheet["D2"] = "单位：人次、万元"
    sheet["D2"].alignment = Alignment(horizontal="right")
    sheet.merge_cells("D2:E2")
    for column, label in zip("ABC", ("区划代码", "乡镇名称", "统计期"), strict=True):
        sheet[f"{column}3"] = label
        sheet.merge_cells(f"{column}3:{column}4")
    sheet["D3"] = "临时救助"
    sheet.merge_cells("D3:E3")
    sheet["D4"], sheet["E4"] = "临时救助人次", "临时救助金额(万元)"
    for row in sheet["A3:E4"]:
        for cell in row:
            cell.font, cell.alignment = bold, centre
    for column, width in zip("ABCDE", (16, 12, 10, 14, 20), strict=True):
        sheet.column_dimensions[column].width = width


def append_relief_row(
    sheet: Worksheet, code: int | None, name: str, period: str, cases: int, amount: Decimal
) -> None:
    sheet.append((code, name, period, cases, float(amount)))
    row = sheet.max_row
    sheet.cell(row, 1).number_format = "0"
    sheet.cell(row, 5).number_format = "0.0000"


def write_relief_body(sheet: Worksheet, records: Sequence[Record]) -> None:
    for period in PERIODS:
        rows = [r for r in records if r.period == period]
        for r in rows:
            code = int(r.township.code)
            append_relief_row(sheet, code, r.township.name, period, r.relief_cases, r.relief_amount)
        cases = sum(r.relief_cases for r in rows)
        amount = sum((r.relief_amount for r in rows), Decimal(0))
        append_relief_row(sheet, None, "合计", period, cases, amount)
        sheet.cell(sheet.max_row, 2).font = Font(bold=True)


def write_relief_footer(sheet: Worksheet) -> None:
    note_row = sheet.max_row + 2
    for row, text in (
        (note_row, "注：临时救助金额单位为万元。"),
        (note_row + 1, "填表人：王某某    审核人：李某某    填报日期：2021年1月8日"),
    ):
        sheet.cell(row, 1, text)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)


def save_stable_xlsx(workbook: Workbook, path: Path) -> None:
    """Save with fixed document and zip timestamps so reruns are byte-identical."""
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6])
            target.writestr(member, source.read(info), zipfile.ZIP_DEFLATED)


def write_relief(records: Sequence[Record]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "临时救助"
    write_relief_header(sheet)
    write_relief_body(sheet, records)
    write_relief_footer(sheet)
    save_stable_xlsx(workbook, OUT_DIR / "临时救助.xlsx")


def indicator(records: Iterable[Record], name: str) -> Decimal:
    """Indicator value over the summed figures of records, to 2 decimals."""
    numerator, denominator, multiplier = INDICATORS[name]
    rows = list(records)
    top = sum(getattr(r, numerator) for r in rows) * multiplier
    bottom = sum(getattr(r, denominator) for r in rows)
    return (Decimal(top) / Decimal(bottom)).quantize(Decimal("0.01"))


def meets(value: Decimal, target: Target) -> bool:
    return value >= target.value if target.comparison == ">=" else value <= target.value


def missing(records: Sequence[Record], target: Target) -> list[str]:
    """Regions failing target in the last quarter of its year (county included)."""
    last = [r for r in records if r.period == f"{target.period}Q4"]
    regions = [(COUNTY_NAME, last)] if target.region in ("*", COUNTY_CODE) else []
    if target.region == "*":
        regions += [(r.township.name, [r]) for r in last]
    return [name for name, rows in regions if not meets(indicator(rows, target.indicator), target)]


def print_summary(records: Sequence[Record]) -> None:
    names = tuple(INDICATORS)
    print(f"{COUNTY_NAME} totals (%, except beds per 1000 elderly): " + ", ".join(names))
    for period in ("2019Q4", "2020Q4"):
        rows = [r for r in records if r.period == period]
        print(period, *(indicator(rows, name) for name in names))
    print("Missing the 2020 targets at 2020Q4:")
    for target in (t for t in TARGETS if t.period == "2020" and t.indicator in INDICATORS):
        failing = "、".join(missing(records, target)) or "none"
        print(f"  {target.indicator} {target.comparison} {target.value}: {failing}")


def main() -> None:
    records = generate(random.Random(SEED))
    write_regions()
    write_dibao_standard()
    write_topics(records)
    write_service_centers()
    write_targets()
    write_relief(records)
    write_rosters(records)
    print_summary(records)


if __name__ == "__main__":
    main()
