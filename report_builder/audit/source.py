"""Read a report into paragraphs of sentences, each with a place a reader can find again.

Matching runs on one normal form: traditional characters become simplified (OpenCC), full-width digits and
signs become ASCII, ASCII punctuation becomes the Chinese marks the patterns look for, and the spaces a PDF
text layer puts between justified CJK characters are dropped. The original sentence is kept for the report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from report_builder.archives import check_archive, inflate
from report_builder.issues import BadInput, Issue, IssueCode, Location, ValidationReport

SUFFIXES = (".txt", ".md", ".docx", ".xlsx", ".pdf")


@dataclass(frozen=True)
class Sentence:
    original: str
    text: str  # normal form: what the patterns match
    where: str  # e.g. "第3段第2句"


@dataclass(frozen=True)
class TextParagraph:
    where: str  # e.g. "第3段", "第2页"
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class TextTable:
    """A table's cells as read, row by row; merged cells repeat their text in every column they cover."""

    where: str  # "表2"
    rows: tuple[tuple[str, ...], ...]
    numbers: tuple[
        int, ...
    ] = ()  # each row's number in its sheet, where blank rows were skipped; () for 1, 2, …
    # each row's indentation, for a yearbook table whose outline is its indentation (_indented_tables); () otherwise
    indents: tuple[int, ...] = ()

    def row_number(self, at: int) -> int:
        return self.numbers[at] if self.numbers else at + 1


@dataclass(frozen=True)
class Report:
    paragraphs: list[TextParagraph]
    tables: list[TextTable]


@cache
def _converter():
    import opencc  # imported on first use: only the audit needs it

    return opencc.OpenCC("t2s")


_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "％": "%",
        "．": ".",
        "＋": "+",
        "～": "~",
        "－": "-",
        "／": "/",
        "(": "（",
        ")": "）",
        ";": "；",
        ":": "：",
        "!": "！",
        "?": "？",
        "\u3000": " ",
    }
)
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}%])\s+|\s+(?=[{_CJK}%])")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_ASCII_COMMA = re.compile(r",")
_STRAY_POINT = re.compile(r"\.(?!\d)|(?<!\d)\.")


_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# "發(fā)布": a character followed by its pinyin in brackets, left by a page that annotates rare characters
_PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])[（(][a-zü]*[{_TONE}][a-zü{_TONE}]*[）)]")


def normalize(text: str) -> str:
    """The form the patterns match: simplified script, ASCII digits, Chinese punctuation, no CJK spacing, no
    pinyin annotations."""
    text = _converter().convert(_PINYIN.sub("", text)).translate(_WIDTH)
    text = _THOUSANDS.sub("", text)
    text = _ASCII_COMMA.sub("，", text)
    text = _STRAY_POINT.sub("。", text)
    text = _SPACE_NEAR_CJK.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


_SENTENCE_END = re.compile(r"(?<=[。！？])(?![”’」』）)])")


def split_sentences(paragraph: str, where: str) -> TextParagraph:
    """Split after 。！？ (and a closing quote that follows), numbering the sentences for the report."""
    parts = [p.strip() for p in _SENTENCE_END.split(paragraph) if p.strip()]
    sentences = tuple(
        Sentence(part, normalize(part), f"{where}第{i}句" if len(parts) > 1 else where)
        for i, part in enumerate(parts, 1)
    )
    return TextParagraph(where, sentences)


def read_report(path: Path) -> Report:
    """The file's paragraphs in reading order, and its tables; an unreadable file is BadInput naming it.

    A table row also reads as a sentence of its cells joined by "，", so a row that states a relation is checked.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        hint = f"应为 {'、'.join(SUFFIXES)}"
        raise _bad(
            Issue.make(IssueCode.UNSUPPORTED_FORMAT, Location(path.name), suffix=path.suffix, hint=hint)
        )
    if not path.is_file():
        raise _bad(Issue.make(IssueCode.FILE_NOT_FOUND, Location(path.name), what=f" {path}"))
    tables: list[TextTable] = []
    try:
        if suffix == ".docx":
            raw = list(_docx_paragraphs(path, tables))
        elif suffix == ".xlsx":
            raw = list(_xlsx_paragraphs(path, tables))
        elif suffix == ".pdf":
            raw = list(_pdf_paragraphs(path, tables))
        else:
            text = _decode(path)
            raw = list(_text_paragraphs(text, suffix == ".md", tables))
            if suffix == ".txt":
                tables += [
                    TextTable(f"表{len(tables) + i}", rows) for i, rows in enumerate(_text_tables(text), 1)
                ]
                lines = text.splitlines()
                for rows in (*_cell_line_tables(lines), *_glued_tables(lines)):
                    tables.append(TextTable(f"表{len(tables) + 1}", rows))
                indented = (*_indented_tables(lines), *_blank_cell_tables(lines), *_glued_unit_tables(lines))
                for numbers, indents, rows in indented:
                    tables.append(TextTable(f"表{len(tables) + 1}", rows, numbers, indents))
    except BadInput:
        raise
    except Exception as exc:  # a broken zip, a damaged PDF: say so instead of a traceback
        if _encrypted(exc):
            raise _bad(
                Issue.make(
                    IssueCode.ENCRYPTED, Location(path.name), what="PDF 设有打开密码或不支持的加密方式"
                )
            ) from None
        raise _unreadable(path, f"文件已损坏或不是{suffix}格式（{type(exc).__name__}: {exc}）") from None
    paragraphs = [split_sentences(text, where) for where, text in raw if text.strip()]
    if not any(p.sentences for p in paragraphs):
        raise _unreadable(path, "文件中没有可读的文字（PDF 可能没有文字层）")
    return Report(paragraphs, tables)


def _unreadable(path: Path, why: str) -> BadInput:
    return _bad(Issue.make(IssueCode.UNREADABLE, Location(path.name), why=why))


def _bad(issue: Issue) -> BadInput:
    return BadInput(ValidationReport((issue,)))


def _decode(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable(path, "编码无法识别，应为 UTF-8 或 GB18030")


_PAGE_MARK = re.compile(r"^(\d{1,3})、")
_SENTENCE_CLOSED = re.compile(r"[。！？；”]\s*$")
PAGE = 200  # characters: a document-sharing site's page of text; a numbered list item is shorter, or closes its sentence


def _join_pages(lines: list[str]) -> list[tuple[int, str]]:
    """The lines with their numbers, a document copied from a sharing site (文库) joined back into one text.

    Such a copy comes one page a line, each page opening with its number — "1、", "2、" … on consecutive lines —
    and a page breaks anywhere, inside a word or a figure ("43072户、796⏎2、12人"): the run is one line again, the
    marks dropped, numbered as its first line. A run is taken for pages only when it starts at 1、, its numbers
    follow each other line by line, and every page but the last is long and stops mid-sentence; a numbered list
    in prose fails one of these."""
    out: list[tuple[int, str]] = []
    at = 0
    while at < len(lines):
        run = at
        while (
            run < len(lines)
            and (mark := _PAGE_MARK.match(lines[run].strip())) is not None
            and int(mark[1]) == run - at + 1
            and (run == at or (len(lines[run - 1]) >= PAGE and not _SENTENCE_CLOSED.search(lines[run - 1])))
        ):
            run += 1
        if run - at >= 2:
            out.append((at + 1, "".join(_PAGE_MARK.sub("", line.strip()) for line in lines[at:run])))
            at = run
        else:
            out.append((at + 1, lines[at]))
            at += 1
    return out


_MD_NOISE = re.compile(r"^\s{0,3}(?:#{1,6}\s*|>\s*|[-*+]\s+|\d+\.\s+)|\*\*|__|`")
_INDENT = re.compile(r"^(?:\u3000|\s{2,}|\t)")


def _text_paragraphs(text: str, markdown: bool, tables: list[TextTable]) -> Iterator[tuple[str, str]]:
    """Blank lines or an indented first line start a paragraph; a file with neither has one per line.

    In Markdown, `| a | b |` lines are a table; each row is also read as a paragraph of its cells.
    """
    lines = text.splitlines()
    one_per_line = "" not in (line.strip() for line in lines) and not any(_INDENT.match(x) for x in lines)
    numbered = _join_pages(lines) if not markdown else list(enumerate(lines, 1))
    current: list[str] = []
    rows: list[tuple[str, ...]] = []
    start = 0
    count = 0

    def flush() -> Iterator[tuple[str, str]]:
        nonlocal count
        if current:
            count += 1
            yield f"第{count}段（第{start}行）", "".join(current)
            current.clear()
        if rows:
            where = f"表{len(tables) + 1}"
            tables.append(TextTable(where, tuple(rows)))
            for r, cells in enumerate(rows, 1):
                yield f"{where}第{r}行", "，".join(c for c in cells if c) + "。"
            rows.clear()

    for number, line in numbered:
        if markdown and line.lstrip().startswith("|"):
            if current:
                yield from flush()
            cells = _pipe_cells(line)
            if not _rule(cells):
                rows.append(cells)
            continue
        if markdown:
            line = _MD_NOISE.sub("", line)
        if rows or not line.strip() or (current and (one_per_line or _INDENT.match(line))):
            yield from flush()
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
    yield from flush()


def _pipe_cells(line: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in line.strip().strip("|").split("|"))


def _rule(cells: tuple[str, ...]) -> bool:
    """The |---|---| line under a Markdown header."""
    return all(set(c) <= set("-: ") for c in cells)


_ROW_PIPES = 3
_HEADING = re.compile(r"^(?:指标名称|指标|项目|item)$", re.IGNORECASE)
_FIGURE = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
_UNIT_WORD = re.compile(r"^(?:[万亿]?(?:元|人次|人|户|个|张|床|所|家|处|座|项|件|次|名)|%|‰)$")
_CODE = re.compile(r"^[A-Z]{2,}\d{4,}$")


def _text_tables(text: str) -> Iterator[tuple[tuple[str, ...], ...]]:
    """Statistical tables in a plain-text file, in the shapes web pages come back in.

    - `| a | b |` lines: one row a line, or (a page's cells scraped one a line, each ending in "|") the cells in
      order, cut into rows by the width of the header row (the one opening 指标名称/指标/项目), an empty piece
      between two rows;
    - a header line of column names separated by spaces (`指标名称 单位 代码 数量 上季度 环比 上月`,
      `Item 2005 2006 2006年比`) over rows whose unit, code and figures stand at the end of the line: each row
      becomes the label, then its unit and code under 单位 and 代码, then its figures from the left.
    """
    lines = text.splitlines()
    block: list[str] = []
    for line in [*lines, ""]:
        stripped = line.strip()
        opens = (
            _HEADING.match(_pipe_cells(stripped)[0]) is not None
        )  # "指标名称 |" or "指标名称 | 单位 | 代码 | 数量 |" (no leading |) may open the block itself
        if (
            stripped.startswith("|")
            or ((block or opens) and stripped.endswith("|"))
            or stripped.count("|") >= _ROW_PIPES
        ):  # "年 龄 | 60岁及以上人口 | 健 康 | …": a row of cells with no leading | opens a table too
            block.append(stripped)
            continue
        if block:
            yield from _pipe_table(block)
            block = []
    for at, line in enumerate(lines):
        words = _header_words(line)
        if len(words) > 2 and _HEADING.match(words[0]) and "|" not in line:
            yield _spaced_table(words, lines[at + 1 :])


_ROW_HEAD = re.compile(r"^(?:序号|指标名称|指标|项目|主要项目和指标|主要指标)$")


def _cell_line_tables(lines: list[str]) -> Iterator[tuple[tuple[str, ...], ...]]:
    """ "1⏎|⏎民政事业费支出(亿元)⏎|⏎718.4⏎|⏎2697.5⏎|⏎30.29⏎|⏎||": a page's cells one a line between lines of a single
    |, a row ended by a line of two or more (or by an empty cell). A table starts at a header row (序号, 项目, 指标…);
    the rows are then read by _stacked_rows."""
    rows: list[list[list[str]]] = []
    row: list[list[str]] = []
    cell: list[str] = []
    for line in [*lines, ""]:
        text = line.strip()
        if text and set(text) == {"|"}:
            if cell:
                row.append(cell)
            if (not cell or len(text) > 1) and row:
                rows.append(row)
                row = []
            cell = []
        elif text:
            cell = [*cell, text] if row or rows else [text]
        elif rows or row:
            break
    heads = [i for i, r in enumerate(rows) if r and len(r[0]) == 1 and _ROW_HEAD.match(r[0][0])]
    for start, end in zip(heads, [*heads[1:], len(rows)], strict=False):
        yield _stacked_rows(rows[start:end])


def _stacked_rows(rows: list[list[list[str]]]) -> tuple[tuple[str, ...], ...]:
    """A header and its rows as cells: a leading 序号 column dropped; a row with one label cell more than the
    header (最低生活保障人数 | 城市 | …) has the two joined; a row whose cells of several lines all have the same
    number of them (…床位数⏎其中:养老机构床位数 | 170.3⏎154.3 | …) is that many rows; any other cell's lines are one text."""
    header = [" ".join(c) for c in rows[0]]
    numbered = header[0] == "序号"
    width = len(header) - numbered
    out = [tuple(header[numbered:])]
    for row in rows[1:]:
        if numbered and len(row) > width and (row[0] == [] or "".join(row[0]).isdigit()):
            row = row[1:]
        if len(row) == width + 1 and not _FIGURE.match("".join(row[1])):
            row = [["".join(row[0] + row[1])], *row[2:]]
        depths = {len(c) for c in row if len(c) > 1}
        if len(depths) == 1 and len(row[0]) in depths and all(len(c) in (1, *depths) for c in row[1:]):
            depth = depths.pop()
            out += [
                tuple(c[k] if len(c) == depth else (c[0] if k == 0 else "") for c in row)
                for k in range(depth)
            ]
        else:
            out.append(tuple("".join(c) for c in row))
    return tuple(out)


_CJK_LABEL = re.compile(r"^(?P<indent> *)(?P<label>[#\u4e00-\u9fff][^\d]*?) *$")
_LATIN = re.compile(r"^[A-Za-z(][^\u4e00-\u9fff]*$")


def _blank_cell_tables(
    lines: list[str],
) -> Iterator[tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[str, ...], ...]]]:
    """A yearbook page scraped one cell a line with a blank line between cells (国家统计局 社会统计年鉴): each row is an
    indented Chinese label, its English name (it may wrap), then its figures, an empty cell a line holding a space.
    Rows have as many figures as most rows do; a label without figures (a wrapped 疗养院) is no row. Yielded as the
    indented tables are, for their checks."""
    cells = [(n, line) for n, line in enumerate(lines, 1) if line != ""]
    spaced = sum(1 for a, b in pairwise(lines) if a != "" and b == "")
    if len(cells) < 20 or spaced * 10 < len(cells) * 9:
        return
    found: list[tuple[int, int, str, list[str]]] = []
    for at, (number, line) in enumerate(cells):
        m = _CJK_LABEL.match(line.rstrip())
        if m is None or _FIGURE.match(line.strip()):
            continue
        values: list[str] = []
        for _, cell in cells[at + 1 :]:
            if _LATIN.match(cell.strip()) and not values:
                continue
            if cell.strip() and not _FIGURE.match(cell.strip()):
                break
            values.append(cell.strip())
        found.append((number, len(m["indent"]), m["label"], values))
    widths = Counter(len(v) for *_, v in found if any(v))
    if not widths:
        return
    width = widths.most_common(1)[0][0]
    rows = [
        (n, indent, (label, *values[:width])) for n, indent, label, values in found if any(values[:width])
    ]
    rows = [r for r in rows if len(r[2]) == width + 1]
    if len(rows) >= _FEWEST_ROWS and len({indent for _, indent, _ in rows}) >= 2:
        yield tuple(n for n, _, _ in rows), tuple(i for _, i, _ in rows), tuple(r for _, _, r in rows)


# "    城镇收养性老年性福利机构     urban elderly adopting welfare units 116 112 89": a yearbook row, its label (an
# English name may follow) indented by its outline level, its figures at the end
_INDENTED_ROW = re.compile(
    r"^(?P<indent> *)(?P<label>[#\u4e00-\u9fff][^\s\d]*(?: [\u4e00-\u9fff](?![^\s\d]))*|\d{1,3}(?:[-—–]\d{1,3})?岁(?:及以上|以上)?|(?i:total))(?: +[A-Za-z][^\d]*?)? +(?P<figures>-?\d+(?:\.\d+)?(?: +-?\d+(?:\.\d+)?)*) *$"
)
_MARKED = re.compile(
    "|".join(
        p.pattern
        for p in (re.compile(r"^[一二三四五六七八九十]+[、。]"), re.compile(r"^[（(]"), re.compile(r"^\d"))
    )
)
_FEWEST_ROWS = 3
_AGE = re.compile(r"\d{1,3}(?:[-—–]\d{1,3})?岁(?:及以上|以上)?")
_FLAT_ROWS = (
    5  # a run with neither indentation nor a total row: its columns are read only as the rows show them
)
# "城市合计 Total 28 8095 …" over one row a city: a flat run of rows is a table when a total opens it
FLAT_TOTAL = re.compile(r"^(?:[\u4e00-\u9fff]{0,4}(?:合计|总计)|全[省市县区]|total)$", re.IGNORECASE)


def _indented_tables(
    lines: list[str],
) -> Iterator[tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[str, ...], ...]]]:
    """Runs of yearbook rows with the same number of figures, at least two indentations deep (or under a total):
    each as (line numbers, indentations, rows of label and figures). Rows with outline marks (一、 （一） 1.) are left to
    the statistical-table reader, whose outline they state."""
    run: list[tuple[int, int, tuple[str, ...]]] = []
    for number, line in enumerate([*lines, ""], 1):
        m = _INDENTED_ROW.match(line.replace("\u3000", "  ").rstrip())
        if m and _MARKED.match(m["label"]) and not _AGE.fullmatch(m["label"]):
            m = None  # an outline mark (1. 2.), not an age (0-4岁)
        figures = m["figures"].split() if m else []
        if m and (not run or len(run[-1][2]) == len(figures) + 1):
            run.append((number, len(m["indent"]), (m["label"], *figures)))
            continue
        if len(run) >= _FEWEST_ROWS and (
            len({indent for _, indent, _ in run}) >= 2
            or FLAT_TOTAL.match(run[0][2][0].replace(" ", ""))
            or len(run) >= _FLAT_ROWS
        ):
            yield tuple(n for n, _, _ in run), tuple(i for _, i, _ in run), tuple(r for _, _, r in run)
        run = [(number, len(m["indent"]), (m["label"], *figures))] if m else []


# The column names a statistical table's header is made of, for a header typeset with a space between every
# character ("指 标 单 位 数 量"): read again as names only when the names cover the whole line.
_COLUMN_WORDS = re.compile(
    r"指标名称|指标|项目|计量单位|单位|代码|数量|本期|上期|本月|上月|本季度|上季度|同比|环比|上年同期|增减"
)


_CODE_GLUED = re.compile(r"(?P<letters>[A-Z]{2,5})(?P<digits>\d{6,})")
_GLUED_FIGURE = re.compile(r"(?:0|[1-9]\d{0,2}(?:,\d{3})*)\.")
_UNIT_AT_END = re.compile(r"(?:[万亿](?:元|人次|人|户|个|张|对)|元|人次|户|个|张|%|‰)$")
_MOST_DECIMALS = 2


def _glued_tables(lines: list[str]) -> Iterator[tuple[tuple[str, ...], ...]]:
    """A statistical table whose cells a page ran together: "指标名称单位代码数量上季度环比上月" over rows such as
    "(二)民政事业费累计支出万元JZH01131000069,436.333,872.0105.0053,519.0". The code's length is learnt from the rows
    where nothing follows it; the figures after it are split where they have a decimal point, thousands grouped, one
    or two decimals — only where one split fits the decimals each column shows in rows that split one way (a row of
    whole numbers, 187187, cannot be split and stays blank). A lone figure on the next line is the last column's."""
    for at, line in enumerate(lines):
        joined = "".join(line.split())
        names = _COLUMN_WORDS.findall(joined)
        if len(names) < 4 or "".join(names) != joined or "代码" not in names:
            continue
        body = lines[at + 1 :]
        ends = Counter(
            len(m["digits"])
            for x in body
            if (m := _CODE_GLUED.search(x.strip())) and m.end() == len(x.strip())
        )
        if sum(ends.values()) >= 2:
            yield _glued_rows(names, body, ends.most_common(1)[0][0])
        return


def _glued_rows(names: list[str], body: list[str], size: int) -> tuple[tuple[str, ...], ...]:
    code = re.compile(rf"[A-Z]{{2,5}}\d{{{size}}}")
    values = [i for i, n in enumerate(names) if n not in ("指标名称", "单位", "代码")]
    read: list[tuple[str, str, str, list[list[str]], str]] = []
    for i, line in enumerate(body):
        m = code.search(line)
        if m is None:
            continue
        label, rest = line[: m.start()].strip(), line[m.end() :].strip()
        unit = u[0] if (u := _UNIT_AT_END.search(label)) else ""
        following = body[i + 1].strip() if i + 1 < len(body) else ""
        last = following if _FIGURE.match(following) else ""
        read.append((label[: len(label) - len(unit)], unit, m[0], _splits(rest, len(values)), last))
    chosen = _one_precision([splits for *_, splits, _ in read])
    rows = [tuple(names)]
    for (label, unit, found, splits, last), figures in zip(read, chosen, strict=True):
        row = [label, unit, found, *[""] * (len(names) - 3)]
        for column, figure in zip(values, figures, strict=False):
            row[column] = figure
        if last and len(figures) < len(values) and (figures or not _unsplit(splits)):
            row[values[-1]] = last
        rows.append(tuple(row[: len(names)]))
    return tuple(rows)


_GLUED_UNIT = r"元/人·月|元/人·年|元/人|万人次|万人|万户|万张|万个|亿元|万元|人次|个|张|人|户|%"
_GLUED_ROW = re.compile(
    rf"(?P<indent> *)(?P<label>(?:\d{{1,2}}[.、] ?)?[^\s\d][^。；，]*?)\s*(?P<unit>{_GLUED_UNIT})?\s*(?P<figure>-?\d[\d,]*(?:\.\d+)?)?\s*"
)
_ROW_LENGTH = 40  # characters: a table row is a label, a unit and a figure, not a sentence


def _glued_unit_tables(
    lines: list[str],
) -> Iterator[tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[str, ...], ...]]]:
    """A monthly table whose header and rows a page ran together ("指标名称单位数量" over "  1.提供住宿的民政机构   617",
    "        养老机构床位万张11.3"), its outline shown by indentation: each row as (label, unit, figure), a row without a
    figure kept in its place, read to the first line that is no such row. Yielded as the indented tables are."""
    for at, line in enumerate(lines):
        joined = "".join(line.split())
        names = _COLUMN_WORDS.findall(joined)
        headed = names[:1] == ["指标名称"] and "数量" in names
        # "      单 位   " over "一、综合": a header of which the page kept only the unit column
        if "".join(names) != joined or not (headed or names == ["单位"]) or "代码" in names:
            continue
        found: list[tuple[int, int, tuple[str, ...]]] = []
        for number, row in enumerate(lines[at + 1 :], at + 2):
            if not row.strip():
                continue
            m = _GLUED_ROW.fullmatch(row.replace("\u3000", "  ").rstrip())
            if m is None or len("".join(row.split())) > _ROW_LENGTH:
                break
            found.append((number, len(m["indent"]), (m["label"], m["unit"] or "", m["figure"] or "")))
        if len(found) >= _FEWEST_ROWS and len({indent for _, indent, _ in found}) >= 2:
            yield tuple(n for n, _, _ in found), tuple(i for _, i, _ in found), tuple(r for _, _, r in found)
        return


def _one_precision(rows: list[list[list[str]]]) -> list[list[str]]:
    """Each row's split, where a statistical table prints each column at one precision: the decimals a column shows
    in a row that splits one way decide the other rows, until nothing more is decided. A row left with several
    splits gives no figures; a row none of whose splits keeps the columns' precision means the assumption fails,
    and then no row gives any."""
    known: dict[int, int] = {}

    def fits(split: list[str]) -> bool:
        return all(known.get(c, _decimals(x)) == _decimals(x) for c, x in enumerate(split))

    chosen: list[list[str] | None] = [None] * len(rows)
    changed = True
    while changed:
        changed = False
        for at, splits in enumerate(rows):
            fitting = [f for f in splits if fits(f)]
            if chosen[at] is None and len(fitting) == 1:
                chosen[at], changed = fitting[0], True
                for column, figure in enumerate(fitting[0]):
                    known.setdefault(column, _decimals(figure))
    if any(splits and not any(fits(f) for f in splits) for splits in rows):
        return [[] for _ in rows]
    return [c or [] for c in chosen]


def _unsplit(splits: list[list[str]]) -> bool:
    """Whether the row had figures after its code that could not be split (187187): then the next line's lone
    figure may not be its last column's either."""
    return not splits


def _decimals(figure: str) -> int:
    return len(figure.partition(".")[2])


def _splits(rest: str, most: int) -> list[list[str]]:
    """Every way `rest` reads as figures of one or two decimals each, at most `most` of them."""
    if not rest:
        return [[]]
    if most == 0 or "." not in rest:
        return []
    m = _GLUED_FIGURE.match(rest)
    if m is None:
        return []
    found = []
    for k in range(1, _MOST_DECIMALS + 1):
        digits = rest[m.end() : m.end() + k]
        if len(digits) == k and digits.isdigit():
            found += [[rest[: m.end() + k], *tail] for tail in _splits(rest[m.end() + k :], most - 1)]
    return found


def _header_words(line: str) -> list[str]:
    words = line.split()
    if words and not _HEADING.match(words[0]) and all(len(w) == 1 for w in words):
        joined = "".join(words)
        names = _COLUMN_WORDS.findall(joined)
        if "".join(names) == joined:
            return names
    return words


def _pipe_table(block: list[str]) -> Iterator[tuple[tuple[str, ...], ...]]:
    if sum(line.count("|") > 2 for line in block) * 2 > len(block):
        rows = tuple(cells for cells in map(_pipe_cells, block) if not _rule(cells))
        yield rows
        return
    pieces = [p.strip() for p in "\n".join(block).split("|")]
    start = next((i for i, p in enumerate(pieces) if _HEADING.match(p)), None)
    if start is None:
        return
    width = next((n for n, p in enumerate(pieces[start:]) if not p), len(pieces) - start)
    # "指标名称 |⏎单位 |⏎代码 |⏎数量 |⏎上年数据 |⏎同比 |⏎甲 |⏎乙 |…": a header whose column numbers follow it with no row
    # separator — every cell a line, an empty cell a bare "|", rows as wide as the header
    numbers = next((n for n, p in enumerate(pieces[start:]) if p == "甲"), None)
    separated = not (numbers and numbers > 1 and all(pieces[start : start + numbers]))
    if not separated:
        width = numbers or width
    rows = []
    at = start
    while at + width <= len(pieces):
        rows.append(tuple(pieces[at : at + width]))
        at += width + (separated and at + width < len(pieces) and not pieces[at + width])
    if not separated and any(_FIGURE.match(r[0]) or _UNIT_WORD.match(r[0]) for r in rows[2:]):
        return  # a cell lost or doubled by the page shifts every row after it: no row is certain
    yield tuple(rows)


def _spaced_table(header: list[str], lines: list[str]) -> tuple[tuple[str, ...], ...]:
    unit = header.index("单位") if "单位" in header else None
    code = next((i for i, h in enumerate(header) if "代码" in h), None)
    values = [i for i in range(1, len(header)) if i not in (unit, code)]
    rows = [tuple(header)]
    for line in lines:
        if line.strip().startswith("|"):
            break
        words = line.split()
        tail = len(words)
        while tail > 1 and (
            _FIGURE.match(words[tail - 1])
            or _UNIT_WORD.match(words[tail - 1])
            or _CODE.match(words[tail - 1])
        ):
            tail -= 1
        cells = [" ".join(words[:tail])] + [""] * (len(header) - 1)
        figures = [w for w in words[tail:] if _FIGURE.match(w)]
        for w in words[tail:]:
            if _UNIT_WORD.match(w) and unit is not None:
                cells[unit] = w
            elif _CODE.match(w) and code is not None:
                cells[code] = w
        if len(figures) <= len(values):
            for column, figure in zip(values, figures, strict=False):
                cells[column] = figure
        rows.append(tuple(cells))
    return tuple(rows)


def _docx_paragraphs(path: Path, tables: list[TextTable]) -> Iterator[tuple[str, str]]:
    """Body paragraphs and table rows in document order; a row reads as its cells joined by "，"."""
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    where = Location(path.name)
    with path.open("rb") as head:
        ole = head.read(len(_OLE)) == _OLE
    if ole:
        raise _bad(
            Issue.make(IssueCode.ENCRYPTED, where, what="加密的 Word 文档；若是旧版 .doc，请另存为 .docx")
        )
    check_archive(path, where)
    document = docx.Document(str(path))
    count = 0
    for block in document.iter_inner_content():
        if isinstance(block, DocxParagraph):
            if block.text.strip():
                count += 1
                yield f"第{count}段", block.text
        elif isinstance(block, DocxTable):
            rows = tuple(tuple(c.text.strip() for c in row.cells) for row in block.rows)
            yield from _table_rows(TextTable(f"表{len(tables) + 1}", rows), tables)


def _table_rows(table: TextTable, tables: list[TextTable]) -> Iterator[tuple[str, str]]:
    """A table of a DOCX or XLSX kept for the table checks, and each of its rows read as a sentence of its cells
    (a merged cell, repeated across its columns, said once)."""
    tables.append(table)
    for at, cells in enumerate(table.rows):
        unique = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
        yield f"{table.where}第{table.row_number(at)}行", "，".join(unique) + "。"


def _xlsx_paragraphs(path: Path, tables: list[TextTable]) -> Iterator[tuple[str, str]]:
    """Each sheet of a workbook is one table, read by the loader's reader (its size limits, merged cells shown
    in every cell they cover); a number is the value Excel stores, to its 15 significant digits."""
    from report_builder.load.cells import clean_text, parse_number  # imported on first use, like docx
    from report_builder.load.readers import ReadFailed, read_sheets

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"{parse_number(value):f}"
        return clean_text(value)

    try:
        sheets = read_sheets(path, path.name)
    except ReadFailed as failed:
        raise BadInput(ValidationReport((failed.issue,))) from None
    for sheet in sheets:
        rows = tuple(tuple(text(c) for c in cells) for _, cells in sheet.rows)
        numbers = tuple(n for n, _ in sheet.rows)
        yield from _table_rows(TextTable(f"工作表“{sheet.sheet}”", rows, numbers), tables)


_PAGE_NUMBER = re.compile(r"^[—\-–·\s]*\d+[—\-–·\s]*$|^第\s*\d+\s*页")


def _pdf_paragraphs(path: Path, tables: list[TextTable]) -> Iterator[tuple[str, str]]:
    """Lines from the text layer; a line indented past the page's left edge starts a paragraph.

    Page numbers and running heads (a line repeated on most pages) are dropped, and a paragraph that runs
    over a page break is joined, so a sentence split by "— 1 —" still reads as one. A PDF keeps no table
    structure: the text on one baseline is put together as one line, left to right, and those lines are read
    for statistical tables as a text file's space-separated columns are (`指标名称 单位 数量 上期 环比`).
    """
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    _check_streams(path)
    pages: list[list[tuple[float, str]]] = []
    rows: list[str] = []
    for page in extract_pages(str(path)):
        lines = []
        placed = []
        for element in page:
            if isinstance(element, LTTextContainer):
                for line in element:
                    if isinstance(line, LTTextLine) and line.get_text().strip():
                        lines.append((line.x0, line.get_text().strip()))
                        placed.append((line.y0, line.x0, line.get_text().strip()))
        pages.append(lines)
        rows += _baselines(placed)
    tables += [TextTable(f"表{len(tables) + i}", t) for i, t in enumerate(_text_tables("\n".join(rows)), 1)]
    repeated = Counter(text for lines in pages for text in {t for _, t in lines})
    heads = {t for t, n in repeated.items() if len(pages) > 2 and n > len(pages) / 2}
    current: list[str] = []
    where = ""
    for number, lines in enumerate(pages, 1):
        kept = [(x, t) for x, t in lines if t not in heads and not _PAGE_NUMBER.match(t)]
        if not kept:
            continue
        left = min(x for x, _ in kept)
        count = 0
        for x, text in kept:
            if x > left + 6 or not current:
                if current:
                    yield where, _SPACE_NEAR_CJK.sub("", " ".join(current))
                count += 1
                current = []
                where = f"第{number}页第{count}段"
            current.append(text)
    if current:
        yield where, _SPACE_NEAR_CJK.sub("", " ".join(current))


BASELINE = 2.0  # points: pieces of text whose baselines differ by less stand on one line of the page


def _baselines(placed: list[tuple[float, float, str]]) -> list[str]:
    """Text pieces (baseline, left edge, text) gathered into the page's lines, top to bottom, each left to right."""
    lines: list[list[tuple[float, float, str]]] = []
    for piece in sorted(placed, key=lambda p: (-p[0], p[1])):
        if lines and abs(lines[-1][0][0] - piece[0]) < BASELINE:
            lines[-1].append(piece)
        else:
            lines.append([piece])
    return [" ".join(text for _, _, text in sorted(line, key=lambda p: p[1])) for line in lines]


_OLE = bytes.fromhex(
    "d0cf11e0a1b11ae1"
)  # what Word writes for an encrypted document (and a .doc) instead of a zip
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_LAYERS = 8  # /Filter [/FlateDecode /FlateDecode] is legal; more than a few layers is not a report


def _check_streams(path: Path) -> None:
    """pdfminer inflates a PDF's streams (page text, fonts) whole, without a bound: each one is inflated here first
    through archives.inflate, layer by layer, so a stream that expands to gigabytes is refused before it is read.

    The streams are found in the bytes, not through pdfminer, because it inflates the cross-reference stream
    as soon as it opens the file.
    """
    data = path.read_bytes()
    where = Location(path.name)
    for found in _STREAM.finditer(data):
        end = data.find(b"endstream", found.end())
        layer: bytes | None = data[found.end() : end if end >= 0 else len(data)]
        for _ in range(_LAYERS + 1):
            layer = inflate(layer, "PDF 中的数据流", where)
            if not layer:
                break
        else:
            raise _bad(Issue.make(IssueCode.EXPANDS_TOO_MUCH, where, why=f"数据流压缩超过 {_LAYERS} 层"))


def _encrypted(exc: Exception) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    return isinstance(exc, PDFPasswordIncorrect | PDFEncryptionError)
