"""Problems found in the input, as data: where (file, sheet, row, column), what, and how bad.

Every check and reader yields `Issue`s (a reader is a `Generator[Issue, None, T]` that returns what it read,
and `collect` runs one); a `ValidationReport` collects them; `BadInput` carries a report across the one
boundary where the pipeline cannot go on — for bad data, a bad option, a broken template or a missing font
alike, so every user-facing failure is a Chinese message with exit code 2. The Chinese message comes from one
template per code, so the text and the location cannot disagree, and issues stay plain data that pickle
across a process pool.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Generator
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple, TypeVar

from openpyxl.utils import get_column_letter


class Severity(StrEnum):
    ERROR = "错误"
    WARNING = "警告"


class IssueCode(StrEnum):
    FILE_NOT_FOUND = "file_not_found"
    EMPTY_FILE = "empty_file"
    NOT_A_TABLE = "not_a_table"
    UNSUPPORTED_FORMAT = "unsupported_format"
    BAD_ENCODING = "bad_encoding"
    SHEET_NOT_FOUND = "sheet_not_found"
    NO_HEADER_ROW = "no_header_row"
    BAD_CONFIG = "bad_config"
    MISSING_COLUMN = "missing_column"
    UNKNOWN_HEADER = "unknown_header"
    DUPLICATE_COLUMN = "duplicate_column"
    BAD_UNIT = "bad_unit"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    NOT_INTEGER = "not_integer"
    FORMULA_WITHOUT_VALUE = "formula_without_value"
    MISSING_KEY = "missing_key"
    BAD_PERIOD = "bad_period"
    UNKNOWN_REGION = "unknown_region"
    AMBIGUOUS_NAME = "ambiguous_name"
    NAME_MISMATCH = "name_mismatch"
    DUPLICATE_ROW = "duplicate_row"
    RELATION_VIOLATED = "relation_violated"
    TOTAL_MISMATCH = "total_mismatch"
    LEVEL_SUM_MISMATCH = "level_sum_mismatch"
    CONFLICTING_VALUES = "conflicting_values"
    PARAMETER_DISAGREES = "parameter_disagrees"
    BAD_REGION_ROW = "bad_region_row"
    SHEET_SKIPPED = "sheet_skipped"
    BAD_DEFINITION = "bad_definition"
    BAD_TARGET = "bad_target"
    UNREADABLE = "unreadable"
    BAD_OPTION = "bad_option"
    BAD_TEMPLATE = "bad_template"
    MISSING_FONT = "missing_font"
    NO_FONT_HAS = "no_font_has"
    TEMPLATE_LIMIT = "template_limit"
    LINK_OUTSIDE = "link_outside"
    EXPANDS_TOO_MUCH = "expands_too_much"
    ENCRYPTED = "encrypted"
    TOO_LARGE = "too_large"
    STACKED_TABLES = "stacked_tables"
    TEXT_BEYOND_HEADER = "text_beyond_header"
    NUMBER_BEYOND_HEADER = "number_beyond_header"
    CONTROL_CHARACTER = "control_character"
    OTHER_FORMAT = "other_format"
    TOO_BIG = "too_big"
    ROSTER_BAD_ID = "roster_bad_id"
    ROSTER_CHECK_DIGIT = "roster_check_digit"
    ROSTER_LEGACY_ID = "roster_legacy_id"
    ROSTER_BIRTH_DATE = "roster_birth_date"
    ROSTER_BAD_VALUE = "roster_bad_value"
    ROSTER_DUPLICATE = "roster_duplicate"
    ROSTER_TWO_TOWNSHIPS = "roster_two_townships"
    ROSTER_DIBAO_AND_TEKUN = "roster_dibao_and_tekun"
    ROSTER_HOUSEHOLD_SPLIT = "roster_household_split"
    ROSTER_MISMATCH = "roster_mismatch"


_WARNINGS = frozenset(
    {
        IssueCode.UNKNOWN_HEADER,
        IssueCode.NAME_MISMATCH,
        IssueCode.SHEET_SKIPPED,
        IssueCode.NO_FONT_HAS,
        IssueCode.TEXT_BEYOND_HEADER,
        IssueCode.OTHER_FORMAT,
        IssueCode.ROSTER_LEGACY_ID,
    }
)

TEMPLATES: dict[IssueCode, str] = {
    IssueCode.FILE_NOT_FOUND: "找不到文件{what}",
    IssueCode.EMPTY_FILE: "文件是空的，没有表头和数据",
    IssueCode.NOT_A_TABLE: "不是表格文件：{why}",
    IssueCode.UNSUPPORTED_FORMAT: "不支持的文件格式“{suffix}”，{hint}",
    IssueCode.BAD_ENCODING: "无法识别文件编码，应为 UTF-8 或 GBK/GB18030",
    IssueCode.SHEET_NOT_FOUND: "工作簿中没有名为“{sheet}”的工作表，现有工作表：{available}",
    IssueCode.NO_HEADER_ROW: "找不到表头行：应有“区划代码”或“名称”列以及至少一个已知指标列（如“{example}”）",
    IssueCode.BAD_CONFIG: "配置有误：{why}",
    IssueCode.MISSING_COLUMN: "缺少必需的列“{column}”{hint}",
    IssueCode.UNKNOWN_HEADER: "未识别的表头“{header}”，该列未读入；如是指标列，请在 config.toml 的 [aliases] 中对应到字段",
    IssueCode.DUPLICATE_COLUMN: "“{header}”与{other}列表示同一字段“{field}”",
    IssueCode.BAD_UNIT: "表头“{header}”的单位有误：{why}",
    IssueCode.NOT_A_NUMBER: "应为数字，实际为“{value}”",
    IssueCode.NEGATIVE: "{header}不应为负数，实际为{value}",
    IssueCode.TOO_BIG: "{header}为{value}，大得不合理（应小于 10 的 15 次方），请检查是否多录了数字或粘贴了证件号",
    IssueCode.NOT_INTEGER: "{header}应为整数（单位：{unit}），实际为{value}",
    IssueCode.FORMULA_WITHOUT_VALUE: "公式“{formula}”没有计算结果（文件未在 Excel/WPS 中保存过），请打开后保存再试",
    IssueCode.MISSING_KEY: "该行有数据但缺少{what}",
    IssueCode.BAD_PERIOD: "无法识别的统计期“{value}”，应为 2020Q3（季度）、2020-09（月）或 2020（年）",
    IssueCode.UNKNOWN_REGION: "区划{what}“{value}”不在 regions.csv 中",
    IssueCode.AMBIGUOUS_NAME: "名称“{value}”对应多个区划代码：{candidates}，请改用区划代码",
    IssueCode.NAME_MISMATCH: "名称“{value}”与区划代码 {code} 在 regions.csv 中的名称“{expected}”不一致，按代码读取",
    IssueCode.DUPLICATE_ROW: "{region} {period} 重复出现，另见 {other}",
    IssueCode.RELATION_VIOLATED: "{region} {period}：{lesser_header}（{lesser}）大于{greater_header}（{greater}，见 {other}），"
    "{why}",
    IssueCode.TOTAL_MISMATCH: "{label}行的{header}为{stated}，而各行合计为{computed}（{period}）",
    IssueCode.LEVEL_SUM_MISMATCH: "{region} {period} 的{header}上报数为{stated}，而下级汇总数为{computed}"
    "（{children}）",
    IssueCode.CONFLICTING_VALUES: "{region} {period} 的{header}为{value}，而 {other} 为{other_value}",
    IssueCode.PARAMETER_DISAGREES: "{region} {period} 没有本级{header}，而下级取值不一致：{values}",
    IssueCode.BAD_REGION_ROW: "{why}",
    IssueCode.BAD_DEFINITION: "指标定义有误：{why}",
    IssueCode.BAD_TARGET: "目标有误：{why}",
    IssueCode.UNREADABLE: "无法读取：{why}",
    IssueCode.BAD_OPTION: "{why}",
    IssueCode.BAD_TEMPLATE: "模板有误：{why}",
    IssueCode.MISSING_FONT: "{why}",
    IssueCode.SHEET_SKIPPED: "工作表没有可识别的表头，未读入（如需读入，请在 config.toml 中指定 sheet）",
    IssueCode.NO_FONT_HAS: "{what}中的字符“{chars}”本机没有任何字体能显示：PDF 中将显示为方框，图表中将略去",
    IssueCode.TEMPLATE_LIMIT: "模板超出限制：{what}超过{limit}，已停止",
    IssueCode.LINK_OUTSIDE: "这是指向所在文件夹之外的链接（{target}），不予读取",
    IssueCode.EXPANDS_TOO_MUCH: "文件解压后过大，未读取：{why}。这样的文件可能已损坏或是恶意构造的“压缩炸弹”；"
    "请确认文件来源，或在 Word/WPS/Excel 中打开后另存一份再试",
    IssueCode.ENCRYPTED: "文件已加密（{what}），无法读取；请用密码打开后另存为未加密的文件再试",
    IssueCode.TOO_LARGE: "{what}，超过上限（{limit}），未读入；{hint}",
    IssueCode.STACKED_TABLES: "此行是又一张表的表头（另一张表的表头在第{other}行）：一个文件或工作表只能放一张表，"
    "请把两张表分到两个文件或工作表",
    IssueCode.TEXT_BEYOND_HEADER: "表头以外的单元格有内容“{value}”，未读入",
    IssueCode.NUMBER_BEYOND_HEADER: "表头以外的单元格有数字“{value}”，没有表头说明它是哪一项；请补上表头，或删除",
    IssueCode.CONTROL_CHARACTER: "“{text}”含有不可见的控制字符（{chars}），会破坏报告和终端的显示，请删除",
    IssueCode.OTHER_FORMAT: "“{suffix}”文件不是 CSV 或 XLSX，未读入；如是数据表，请另存为 .csv 或 .xlsx（如不需要读入，"
    "可在 config.toml 中对它设 ignore = true）",
    IssueCode.ROSTER_BAD_ID: "身份证号“{id}”无法使用：{why}",
    IssueCode.ROSTER_CHECK_DIGIT: "身份证号 {id} 的校验码不符合 GB 11643，请核对号码",
    IssueCode.ROSTER_LEGACY_ID: "15位旧身份证号 {id}，已按 GB 11643 换算为18位 {new}",
    IssueCode.ROSTER_BIRTH_DATE: "身份证号 {id} 中的出生日期不可能：{why}",
    IssueCode.ROSTER_BAD_VALUE: "{header}应为 {allowed} 之一，实际为“{value}”",
    IssueCode.ROSTER_DUPLICATE: "{who} 在 {period} 重复登记，另见 {other}",
    IssueCode.ROSTER_TWO_TOWNSHIPS: "{who} 在 {period} 同时登记在{town}和{other_town}（另见 {other}）",
    IssueCode.ROSTER_DIBAO_AND_TEKUN: "{who} 在 {period} 同时列入{category}和{other_category}（另见 {other}），"
    "按规定特困人员不再同时享受低保",
    IssueCode.ROSTER_HOUSEHOLD_SPLIT: "户 {household} 在 {period} 的成员分在{town}和{other_town}（另见 {other}），"
    "同一户应在同一乡镇",
    IssueCode.ROSTER_MISMATCH: "{region} {period} 的{header}上报数为{reported}，而花名册 {roster} 汇总为{counted}",
}


class Location(NamedTuple):
    """A place in the input as the user sees it: row numbers count the header line, columns are letters.

    A NamedTuple because every cell read gets one: creating tuples is several times cheaper than frozen dataclasses.
    """

    file: str
    sheet: str | None = None
    row: int | None = None
    column: int | None = None
    header: str | None = None

    def __str__(self) -> str:
        if self.sheet is None:  # a CSV file: 2020Q3.csv:行12:农村低保人数
            return printable(":".join((self.file, self.cell)) if self.cell else self.file)
        place = self._place()  # a workbook: 乡镇数据.xlsx!乡镇表!C7（农村低保人数）
        return printable(f"{self.file}!{self.sheet}" + (f"!{place}" if place else "") + self._named())

    @property
    def cell(self) -> str:
        """The place within the file and sheet, as printed after them: 行12:农村低保人数 in a CSV file,
        C7（农村低保人数）, 行7 or C列 in a workbook ('' for the file as a whole)."""
        if self.sheet is None:
            parts = [f"行{self.row}" if self.row is not None else None, self.header]
            return printable(":".join(p for p in parts if p is not None))
        return printable(self._place() + self._named())

    def _place(self) -> str:
        if self.column is not None and self.row is not None:
            return f"{get_column_letter(self.column)}{self.row}"
        if self.row is not None:
            return f"行{self.row}"
        return "" if self.column is None else f"{get_column_letter(self.column)}列"

    def _named(self) -> str:
        return "" if self.header is None else f"（{self.header}）"


_ID_NUMBER = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")
_LEGACY_ID = re.compile(r"(?<!\d)(\d{6})(\d{6})(\d{3})(?!\d)")  # 15 digits: area, YYMMDD, sequence
# C0 controls but tab and line breaks, and DEL: a cell holding one is refused (XML 1.0, which a report is,
# cannot hold them). Wider `_CONTROL` below is what printing escapes.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def mask_personal(text: str) -> str:
    """身份证号 never appear in full in a message: 530128********1234, and the 15-digit kind 530128******123.

    A 15-digit run is an ID only when its middle is a birth date (19YYMMDD): region codes have 6, 9 or 12 digits,
    and a run of 15 that happens to hold no date is left as it is.
    """
    text = _ID_NUMBER.sub(lambda m: m[1] + "*" * 8 + m[2], text)
    return _LEGACY_ID.sub(lambda m: m[1] + "*" * 6 + m[3] if _born(m[2]) else m[0], text)


def mask_id(text: str) -> str:
    """One ID number masked however it is written: the 18-digit kind as 530128********1234, 15 digits as
    530128******123, any other length keeping at most its first six and last four characters."""
    if len(text) == 15:
        return text[:6] + "*" * 6 + text[-3:]
    if len(text) >= 14:
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    return text[:2] + "*" * (len(text) - 2) if len(text) > 2 else "*" * len(text)


def mask_name(name: str) -> str:
    """A person's name outside the roster: 张*明, 王*, 欧**明."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _born(yymmdd: str) -> bool:
    try:
        dt.date(1900 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        return False
    return True


# C0 and C1 controls but tab and newline, and the bidirectional overrides: a file's text must not move the
# terminal's cursor, recolour it, ring it, or reorder what a line shows.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text from an input file, fit to print or to write into an output: 身份证号 masked, control characters
    shown as their escapes (ESC as \\x1b). Applying it twice changes nothing."""
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), mask_personal(text))


@dataclass(frozen=True)
class Issue:
    code: IssueCode
    location: Location
    message: str

    @classmethod
    def make(cls, code: IssueCode, location: Location, /, **params: object) -> Issue:
        return cls(code, location, printable(TEMPLATES[code].format(**params)))

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.code in _WARNINGS else Severity.ERROR

    def __str__(self) -> str:
        return f"{self.severity} {printable(str(self.location))}：{self.message}"


@dataclass(frozen=True)
class ValidationReport:
    issues: tuple[Issue, ...] = ()

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_text(self, limit: int = 200) -> str:
        """Errors first; past `limit` lines, say how many were left out rather than flood the terminal."""
        ordered = [*self.errors, *self.warnings]
        lines = [str(i) for i in ordered[:limit]]
        if len(ordered) > limit:
            lines.append(f"……另有 {len(ordered) - limit} 条未列出")
        lines.append(f"共 {len(self.errors)} 个错误，{len(self.warnings)} 个警告。")
        return "\n".join(lines)


class BadInput(Exception):
    """The input cannot be used as it is; the report says where and why."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report)
        self.report = report

    @classmethod
    def of(cls, code: IssueCode, location: Location, /, **params: object) -> BadInput:
        """One problem, for the places that stop at the first (an option, a template, a font)."""
        return cls(ValidationReport((Issue.make(code, location, **params),)))

    def __str__(self) -> str:
        return self.report.to_text()


T = TypeVar("T")


def collect(reader: Generator[Issue, None, T], into: list[Issue]) -> T:
    """Run a reader to its end: every issue it yields goes to `into`; what it returns is the result."""
    while True:
        try:
            into.append(next(reader))
        except StopIteration as done:
            return done.value
