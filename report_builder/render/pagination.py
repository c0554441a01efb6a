"""Pagination passes over WeasyPrint's layout of the PDF (issue 14 item 6): 续表 and figure placement.

Each layout of a report costs 0.3–0.7 s, so a figure's moves are decided from one layout: the text that
follows it is poured, line by line, into the space it left (with the break rules of base.css: a heading kept
with two lines of its paragraph, two lines at least on either side of a break, a figure kept with what follows
its caption), as the passes did one layout at a time. Where the pouring meets something it does not model (a
table after the figure, a paragraph longer than a page), it stops, and the next layout decides the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from report_builder.render.document import Block, Figure, Heading, PageBreak, Paragraph, Signature, Table

_MAX_PASSES = 12  # layouts per document: each continued table or figure that moves costs one more
_MOST_EMPTY = 1 / 3  # of a page's text block, left empty before a figure that did not fit
_LEAST_SCALE = 0.6
_SLACK_PX = 32  # ≈ one body line
_CONTENT_BOXES = ("LineBox", "TableRowBox", "BlockReplacedBox", "InlineReplacedBox")
_ORPHANS = _WIDOWS = 2  # base.css


def paginate(
    blocks: tuple[Block, ...], render: Callable[[tuple[Block, ...]], Any]
) -> tuple[tuple[Block, ...], Any]:
    """Lay the blocks out with `render` (blocks → WeasyPrint document) until no page needs one of two changes,
    made from the first page on:
    - a table whose rows run on to the next page is split there, the rest captioned 续表1 with its unit and
      the header repeated (WeasyPrint repeats a <thead>, but nothing in CSS can change the caption it repeats);
    - a figure that did not fit, leaving more than a third of the page before it empty, moves after the
      paragraph that follows it (a heading with its paragraph), which flows up into that space — again
      while the space stays, as a float does in print; never past a table, a figure, a break or the
      signature, so the 署名 keeps text on its page. Where no text can flow up, the chart is drawn smaller
      to fit the space (down to {_LEAST_SCALE:.0%} of its height), or is left where it is.
    Only the PDF is rearranged: Word and WPS paginate the DOCX themselves (its header rows repeat)."""
    laid_out = render(blocks)
    for _ in range(_MAX_PASSES):
        changed = _next_change(blocks, laid_out)
        if changed is None:
            break
        blocks = changed
        laid_out = render(blocks)
    return blocks, laid_out


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _next_change(blocks: tuple[Block, ...], laid_out: Any) -> tuple[Block, ...] | None:
    """The first change `paginate` makes, from WeasyPrint's boxes (lengths in CSS px)."""
    end_before = 0.0  # where the previous page's content ends, from the top of its text block
    for page in laid_out.pages:
        box = page._page_box
        top, height = box.content_box_y(), box.height
        flow = [b for child in box.children if type(child).__name__ != "MarginBox" for b in _boxes(child)]
        on_page: set[int] = set()  # the tables with a body row on this page so far
        content_seen = False
        for b in flow:
            tag, element = getattr(b, "element_tag", None), getattr(b, "element", None)
            if tag == "tr" and element is not None and element.get("data-row") is not None:
                i, row = int(element.get("data-block")), int(element.get("data-row"))
                if row > 0 and i not in on_page and (split := _split_table(blocks, i, row)) is not None:
                    return split
                on_page.add(i)
            elif tag == "figure" and not content_seen and (height - end_before) / height > _MOST_EMPTY:
                i = int(element.get("data-block"))
                kept = sum(x.margin_height() for x in flow if _classes(x) & {"signature-block"})
                moved = _place_figure(blocks, i, _Text(laid_out), end_before, height) or _shrink_figure(
                    blocks, i, b, height - end_before, kept
                )
                if moved is not None:
                    return moved
            content_seen = content_seen or type(b).__name__ in ("LineBox", "TableRowBox")
        ends = [b.position_y + b.margin_height() for b in flow if type(b).__name__ in _CONTENT_BOXES]
        end_before = max(ends, default=top) - top
    return None


def _classes(box: Any) -> set[str]:
    element = getattr(box, "element", None)
    return (
        set((element.get("class") or "").split())
        if element is not None and box.element_tag == "div"
        else set()
    )


def _split_table(blocks: tuple[Block, ...], i: int, row: int) -> tuple[Block, ...] | None:
    """Table `i` up to body row `row`, then the rest as its continuation; None where a cell spans the break."""
    table = blocks[i]
    assert isinstance(table, Table)
    if any(r + cell.rowspan > row for r in range(row) for cell in table.rows[r]):
        return None
    head = replace(table, rows=table.rows[:row], notes=(), source="")
    rest = replace(table, rows=table.rows[row:], continued=True)
    return (*blocks[:i], head, rest, *blocks[i + 1 :])


def _move_figure(blocks: tuple[Block, ...], i: int) -> tuple[Block, ...] | None:
    """Figure `i` after the paragraph that follows it, or after a following heading and its paragraph (a
    heading is kept with what follows it); None when no such text follows, or when a page break was asked for
    before the figure."""
    end = i + 1
    while end < len(blocks) and isinstance(blocks[end], Heading):
        end += 1
    if end == len(blocks) or not isinstance(blocks[end], Paragraph) or isinstance(blocks[i - 1], PageBreak):
        return None
    return (*blocks[:i], *blocks[i + 1 : end + 1], blocks[i], *blocks[end + 1 :])


def _shrink_figure(
    blocks: tuple[Block, ...], i: int, box: Any, space: float, kept: float
) -> tuple[Block, ...] | None:
    """Figure `i` (laid out as `box`) with its chart small enough that it, its caption and the `kept` px
    that must stay with it (the signature) fit in `space` px; None when the chart would be smaller than
    _LEAST_SCALE of its height, or was shrunk already."""
    figure = blocks[i]
    assert isinstance(figure, Figure)
    chart = next(b for b in _boxes(box) if "Replaced" in type(b).__name__)
    # less by a line: at the top of a page the figure's top margin was dropped, on the page before it is not
    scale = (chart.height - (box.margin_height() + kept - space) - _SLACK_PX) / chart.height
    if figure.fit_width_px or not _LEAST_SCALE <= scale < 1:
        return None
    return (*blocks[:i], replace(figure, fit_width_px=round(chart.width * scale, 1)), *blocks[i + 1 :])


@dataclass(frozen=True)
class _Flow:
    """A block as the pouring sees it: its line heights, top and bottom margins, whether it is a heading."""

    lines: tuple[float, ...]
    top: float
    bottom: float
    heading: bool = False

    def least(self) -> float:
        """The lines that cannot be left alone at the foot of a page: a heading's, a paragraph's first
        _ORPHANS (a paragraph too short to break, whole)."""
        return sum(self.lines if self.whole() else self.lines[:_ORPHANS])

    def whole(self) -> bool:
        """Whether no page break can come inside it."""
        return self.heading or len(self.lines) < _ORPHANS + _WIDOWS


class _Text:
    """The blocks of one layout by their `data-block`: the pieces WeasyPrint broke each into, on every page."""

    def __init__(self, laid_out: Any) -> None:
        self.pieces: dict[int, list[Any]] = {}
        for page in laid_out.pages:
            root = next(c for c in page._page_box.children if type(c).__name__ != "MarginBox")
            for box in (b for body in root.children for b in body.children):
                element = getattr(box, "element", None)
                if element is not None and element.get("data-block") is not None:
                    self.pieces.setdefault(int(element.get("data-block")), []).append(box)

    def margin(self, i: int, side: str) -> float:
        """A block's own margin (0 for one without a box of its own, such as the 版头)."""
        if i not in self.pieces:
            return 0.0
        value = self.pieces[i][0].style[f"margin_{side}"]
        return float(value.value) if value.unit == "px" else 0.0

    def flow(self, i: int, heading: bool) -> _Flow:
        lines = tuple(
            b.height for box in self.pieces[i] for b in _boxes(box) if type(b).__name__ == "LineBox"
        )
        return _Flow(lines, self.margin(i, "top"), self.margin(i, "bottom"), heading)


def _place_figure(
    blocks: tuple[Block, ...], i: int, text: _Text, end_before: float, height: float
) -> tuple[Block, ...] | None:
    """Figure `i`, at the top of a page whose previous page's content ends `end_before` px down its
    `height` px text block, moved past as many following paragraphs (each with the headings before it) as
    flow into that space, and on, until it no longer leaves more than a third of a page empty, then drawn
    smaller if it still does — the changes the one-step passes made over several layouts. None when no
    text can move (the caller shrinks the chart); the moves so far where the pouring cannot tell."""
    moved, at, nxt = blocks, i, i + 1  # `at`: the figure's place in `moved`; `nxt`: in `blocks`, what follows
    y, margin = end_before, text.margin(i - 1, "bottom")
    figure = text.pieces[i][0]
    while (step := _move_figure(moved, at)) is not None:
        size = next(k for k in range(1, len(moved) - at) if not isinstance(moved[at + k], Heading))
        group = [text.flow(j, isinstance(blocks[j], Heading)) for j in range(nxt, nxt + size)]
        poured = _pour(group, y, margin, height)
        if poured is None:
            return step
        moved, at, nxt = step, at + len(group), nxt + len(group)
        (y, margin) = poured
        after = _glued(blocks, nxt, text)
        if after is None:
            return moved
        chain = max(margin, text.margin(i, "top")) + figure.border_height() + after
        if y + chain <= height or (height - y) / height <= _MOST_EMPTY:
            return moved  # the figure fits after the text, or leaves at most a third of the page empty
    if at == i:
        return None
    kept = (
        sum(p.margin_height() for p in text.pieces[nxt])
        if nxt < len(blocks) and isinstance(blocks[nxt], Signature)
        else 0.0
    )
    return _shrink_figure(moved, at, figure, height - y, kept) or moved


def _glued(blocks: tuple[Block, ...], j: int, text: _Text) -> float | None:
    """How far below a figure's border box the first break after it comes, when block `j` follows it (its
    caption is kept with what comes next): None when that is a block the pouring does not model."""
    if j == len(blocks):
        return 0.0
    gap = max(text.margin(j - 1, "bottom"), text.margin(j, "top"))
    if isinstance(blocks[j], Signature):
        return gap + sum(p.border_height() for p in text.pieces[j])
    if isinstance(blocks[j], Heading):
        rest = _glued(blocks, j + 1, text)
        return None if rest is None else gap + sum(text.flow(j, True).lines) + rest
    if isinstance(blocks[j], Paragraph):
        flow = text.flow(j, False)
        signed = j + 1 < len(blocks) and isinstance(blocks[j + 1], Signature)
        # a paragraph too short to break is kept with the signature after it (break-before: avoid)
        return gap + flow.least() + ((_glued(blocks, j + 1, text) or 0.0) if signed and flow.whole() else 0.0)
    return None


def _pour(group: list[_Flow], y: float, margin: float, height: float) -> tuple[float, float] | None:
    """Where `group` ends, poured from `y` px down a page whose last block has the bottom `margin`: (y, the
    group's bottom margin) on the page it ends on; None for a paragraph longer than a page."""
    for n, flow in enumerate(group):
        gap = max(margin, flow.top) if y else 0.0  # a margin at the top of a page is dropped
        if y and y + gap + _least(group[n:]) > height:
            y, gap = 0.0, 0.0
        fits = sum(1 for k in range(len(flow.lines)) if y + gap + sum(flow.lines[: k + 1]) <= height)
        if fits == len(flow.lines):
            y, margin = y + gap + sum(flow.lines), flow.bottom
            continue
        fits = min(fits, len(flow.lines) - _WIDOWS)  # at least _ORPHANS: `least` fitted
        rest = sum(flow.lines[fits:])
        if flow.heading or rest > height:
            return None
        y, margin = rest, flow.bottom
    return y, margin


def _least(group: list[_Flow]) -> float:
    """What must fit below the top of `group[0]` for it to start on a page: its least, and a heading's kept
    with the least of what follows it."""
    first, rest = group[0], group[1:]
    if not first.heading or not rest:
        return first.least()
    return first.least() + max(first.bottom, rest[0].top) + _least(rest)
