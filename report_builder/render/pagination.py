"""Pagination passes over WeasyPrint's layout of the PDF (issue 14 item 6): 续表 and figure placement.

A layout of a report costs 0.3–0.7 s, and each change of the passes moves what follows it, so they were made
one per layout. They are now made on a model of WeasyPrint's page breaking measured on the last layout: every
block as the lines, table rows and unbreakable boxes it was laid out in, with the gaps between them, poured into
pages with base.css's break rules (a heading or a figure kept with what follows it, the signature with what
comes before it, two lines at least on either side of a break in a paragraph, a table's header kept with its
first row and repeated where the table runs on). The model is poured again after each change until it calls
for none; then WeasyPrint lays the result out and the same decisions are made on its real pages, so a change
the model missed costs one more round (one it made needlessly would stay: none has, on the shipped
templates and the synthetic province's county reports, whose PDFs are byte for byte those of one change a
layout).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from report_builder.render.document import (
    Block,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Signature,
    Table,
)

_MAX_PASSES = 12  # changes per document: each continued table or step of a figure is one
_MOST_EMPTY = 1 / 3  # of a page's text block, left empty before a figure that did not fit
_LEAST_SCALE = 0.6
_SLACK_PX = 32  # ≈ one body line
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
        pages, height, measures = _measured(blocks, laid_out)
        changed = _next_change(blocks, pages, height, measures)
        if changed is None:
            break
        _derive(blocks, changed, measures)
        blocks = _settled(changed, height, measures)
        laid_out = render(blocks)
    return blocks, laid_out


@dataclass(frozen=True)
class _Atom:
    """What a page does not break inside — a line, a table row, a table's rule and header, a figure, the
    signature — in CSS px."""

    height: float
    gap: float = 0.0  # from the atom before it in its block, on one page
    breakable: bool = False  # a page may break before it (its block's first: by the rules between blocks)
    row: int = -1  # a table's body row
    content: bool = True  # ink on the page (a forced page break is not)


@dataclass(frozen=True)
class _Measure:
    """A block as the model pours it."""

    atoms: tuple[_Atom, ...]
    top: float = 0.0  # margins
    bottom: float = 0.0
    lead: float = 0.0  # from the top of its border box to its first atom (padding)
    tail: float = 0.0  # from its last atom to the bottom of its border box (a table's bottom rule)
    head: float = 0.0  # a table: its top rule and header rows, which a page it runs on to repeats
    caption: int = 0  # a table: its caption's lines, the first atoms
    rule: float = 0.0  # a table: its bottom rule
    chart: tuple[float, float] = (0.0, 0.0)  # a figure: its chart's width and height


@dataclass(frozen=True)
class _Placed:
    block: int
    atom: _Atom
    top: float  # from the top of the text block

    @property
    def bottom(self) -> float:
        return self.top + self.atom.height


_Pages = list[list[_Placed]]
_Measures = dict[Hashable, _Measure]


def _next_change(
    blocks: tuple[Block, ...], pages: _Pages, height: float, measures: _Measures
) -> tuple[Block, ...] | None:
    """The first change `paginate` makes on these pages (real or poured)."""
    end_before = 0.0  # where the previous page's content ends, from the top of its text block
    for page in pages:
        on_page: set[int] = set()  # the tables with a body row on this page so far
        content_seen = False
        for placed in page:
            i, atom = placed.block, placed.atom
            if atom.row >= 0:
                if atom.row > 0 and i not in on_page and (split := _split_table(blocks, i, atom.row)):
                    return split
                on_page.add(i)
            elif (
                isinstance(blocks[i], Figure)
                and not content_seen
                and (height - end_before) > height * _MOST_EMPTY
            ):
                kept = sum(p.atom.height for p in page if isinstance(blocks[p.block], Signature))
                figure = measures[blocks[i]]
                moved = _move_figure(blocks, i) or _shrink_figure(
                    blocks, i, figure, height - end_before, kept
                )
                if moved is not None:
                    return moved
            content_seen = content_seen or atom.content
        end_before = max((p.bottom for p in page if p.atom.content), default=0.0)
    return None


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
    blocks: tuple[Block, ...], i: int, measure: _Measure, space: float, kept: float
) -> tuple[Block, ...] | None:
    """Figure `i` with its chart small enough that it, its caption and the `kept` px that must stay with it
    (the signature) fit in `space` px; None when the chart would be smaller than _LEAST_SCALE of its height,
    or was shrunk already."""
    figure = blocks[i]
    assert isinstance(figure, Figure)
    width, height = measure.chart
    at_top = measure.atoms[0].height + measure.bottom  # its margin box at the top of a page
    # less by a line: at the top of a page the figure's top margin was dropped, on the page before it is not
    scale = (height - (at_top + kept - space) - _SLACK_PX) / height
    if figure.fit_width_px or not _LEAST_SCALE <= scale < 1:
        return None
    return (*blocks[:i], replace(figure, fit_width_px=round(width * scale, 1)), *blocks[i + 1 :])


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


@dataclass(frozen=True)
class _Found:
    """An atom where WeasyPrint laid it out."""

    page: int
    top: float
    atom: _Atom
    group: Any  # the element of a line (its paragraph, heading or caption); None for the others


def _measured(blocks: tuple[Block, ...], laid_out: Any) -> tuple[_Pages, float, _Measures]:
    """WeasyPrint's pages as the model sees them (atoms where they were laid out), the height of the text
    block, and every block's measure for the model (keyed by the block)."""
    pages: _Pages = []
    found: dict[int, list[_Found]] = {}
    boxes: dict[int, list[tuple[float, Any]]] = {}  # block → (page top, box) of each piece
    height = 0.0
    for n, page in enumerate(laid_out.pages):
        root = page._page_box
        top, height = root.content_box_y(), root.height
        placed: list[_Placed] = []
        html_box = next(c for c in root.children if type(c).__name__ != "MarginBox")
        for box in (b for body in html_box.children for b in body.children):
            element = getattr(box, "element", None)
            if element is None or element.get("data-block") is None:
                continue
            i = int(element.get("data-block"))
            boxes.setdefault(i, []).append((top, box))
            for y, atom, group in _atoms(box):
                placed.append(_Placed(i, atom, y - top))
                if group is not _REPEATED:
                    found.setdefault(i, []).append(_Found(n, y - top, atom, group))
        pages.append(placed)
    measures = {b: _measure(found.get(i, []), boxes.get(i, [])) for i, b in enumerate(blocks)}
    return pages, height, measures


_REPEATED = object()  # the group of a table's header repeated on a page it runs on to


def _atoms(box: Any) -> Iterator[tuple[float, _Atom, Any]]:
    """The atoms of one piece of a block as laid out: (top, atom, group)."""
    classes = set((box.element.get("class") or "").split())
    if box.element_tag == "figure" or "signature-block" in classes:
        yield box.border_box_y(), _Atom(box.border_height()), None
    elif "page-break" in classes:
        yield box.border_box_y(), _Atom(0.0, content=False), None
    elif "table-block" in classes:
        for child in box.children:
            if child.element_tag == "p":
                yield from ((line.position_y, _Atom(line.height), child.element) for line in child.children)
            for table in (b for b in _boxes(child) if type(b).__name__ == "TableBox"):
                rows = [r for group in table.children for r in group.children]
                body = [r for r in rows if r.element.get("data-row") is not None]
                end = body[0].position_y if body else table.border_box_y() + table.border_height()
                head = _Atom(end - table.border_box_y())
                yield (
                    table.border_box_y(),
                    head,
                    _REPEATED if body and body[0].element.get("data-row") != "0" else "head",
                )
                yield from (
                    (r.position_y, _Atom(r.height, row=int(r.element.get("data-row"))), None) for r in body
                )
    else:
        yield from ((line.position_y, _Atom(line.height), box.element) for line in box.children)


def _measure(found: list[_Found], boxes: list[tuple[float, Any]]) -> _Measure:
    """A block for the model, from where its atoms were laid out: the gaps between them, where a page may
    break inside it (two lines at least on either side, nothing after a caption), its margins."""
    if not found:
        return _Measure(())
    atoms = []
    for k, here in enumerate(found):
        before = found[k - 1] if k else None
        gap = here.top - (before.top + before.atom.height) if before and before.page == here.page else 0.0
        atoms.append(replace(here.atom, gap=gap, breakable=before is not None and _breakable(found, k)))
    (first_top, first), (last_top, last) = boxes[0], boxes[-1]
    top, bottom = _margin(first, "top"), _margin(last, "bottom")
    lead = found[0].top - (first.border_box_y() - first_top)
    tail = (last.border_box_y() + last.border_height() - last_top) - (found[-1].top + found[-1].atom.height)
    head = next((f.atom.height for f in found if f.group == "head"), 0.0)
    caption = sum(
        1
        for f in found
        if f.group is not None and f.group != "head" and "caption" in (f.group.get("class") or "")
    )
    rule = max(
        (
            b.border_bottom_width
            for _, piece in boxes
            for b in _boxes(piece)
            if type(b).__name__ == "TableBox"
        ),
        default=0.0,
    )
    chart = next(((b.width, b.height) for b in _boxes(first) if "Replaced" in type(b).__name__), (0.0, 0.0))
    return _Measure(tuple(atoms), top, bottom, lead, tail, head, caption, rule, chart)


def _margin(box: Any, side: str) -> float:
    value = box.style[f"margin_{side}"]
    return float(value.value) if value.unit == "px" else 0.0


def _breakable(found: list[_Found], k: int) -> bool:
    """Whether a page may break before atom `k` of a block (not its first)."""
    here, before = found[k], found[k - 1]
    if here.atom.row >= 0:
        return here.atom.row > 0  # the header is kept with the first row
    if here.group is None or here.group is not before.group:  # a new paragraph, or the table after its unit
        if (
            before.atom.row >= 0
            and here.group is not None
            and "note" in (here.group.get("class") or "").split()
        ):
            return False  # base.css: a table's first note comes with its last row
        return before.group is None or before.group == "head" or not _keeps_next(before.group)
    lines = [f for f in found if f.group is here.group]
    at = lines.index(here)
    return at >= _ORPHANS and len(lines) - at >= _WIDOWS


def _keeps_next(element: Any) -> bool:
    """base.css: headings and captions are kept with what follows them."""
    return element.tag in ("h1", "h2", "h3", "h4", "h5") or "caption" in (element.get("class") or "").split()


def _settled(blocks: tuple[Block, ...], height: float, measures: _Measures) -> tuple[Block, ...]:
    """`blocks` with every further change the model calls for (the new blocks' measures added to `measures`)."""
    for _ in range(_MAX_PASSES):
        changed = _next_change(blocks, _poured(blocks, height, measures), height, measures)
        if changed is None:
            break
        _derive(blocks, changed, measures)
        blocks = changed
    return blocks


def _derive(before: tuple[Block, ...], after: tuple[Block, ...], measures: _Measures) -> None:
    """The measures of the blocks a change made: a table's two parts, or a figure drawn smaller."""
    k = next((k for k, b in enumerate(after) if b not in measures), None)
    if k is None:
        return
    original, new = measures[before[k]], after[k]
    if isinstance(new, Figure):
        width, height = original.chart
        drawn = new.fit_width_px * height / width
        atom = replace(original.atoms[0], height=original.atoms[0].height - (height - drawn))
        measures[new] = replace(original, atoms=(atom,), chart=(new.fit_width_px, drawn))
        return
    assert isinstance(new, Table)
    atoms = original.atoms
    at = next(j for j, a in enumerate(atoms) if a.row == len(new.rows))  # the first row of the rest
    first = next(j for j, a in enumerate(atoms) if a.row >= 0)
    rows = tuple(
        replace(a, row=a.row - len(new.rows), breakable=a is not atoms[at]) for a in atoms[at:] if a.row >= 0
    )
    rest = (
        atoms[: min(original.caption, 1)]
        + atoms[original.caption : first]
        + rows
        + tuple(a for a in atoms[at:] if a.row < 0)
    )
    measures[new] = replace(original, atoms=atoms[:at], tail=original.rule)
    measures[after[k + 1]] = replace(original, atoms=rest, caption=min(original.caption, 1))


def _poured(blocks: tuple[Block, ...], height: float, measures: _Measures) -> _Pages:
    """The model's pages: the blocks' atoms placed down each page until one does not fit, the page then
    broken before it or, where it may not break there, before the last atom it may break before."""
    flat = []  # (block, atom, whether it is its block's first)
    for i, block in enumerate(blocks):
        for k, atom in enumerate(measures[block].atoms):
            if k == 0:
                atom = replace(atom, gap=_between(blocks, i, measures), breakable=_breaks_before(blocks, i))
            flat.append((i, atom, k == 0))
    pages: _Pages = []
    y, n, start, repeated = 0.0, 0, 0, 0
    while n < len(flat):
        i, atom, first = flat[n]
        measure = measures[blocks[i]]
        if n == start:  # a new page
            repeated = int(atom.row > 0)  # a table running on to it: its header repeated
            pages.append([_Placed(i, _Atom(measure.head), 0.0)] if repeated else [])
            top = measure.head * repeated + (measure.lead if first else 0.0)
        else:
            top = y + atom.gap
        page = pages[-1]
        if n == start or top + atom.height <= height:
            page.append(_Placed(i, atom, top))
            y, n = top + atom.height, n + 1
            if not atom.content:  # a forced page break
                start = n
            continue
        # the page breaks before this atom, or before the last one on it before which it may
        back = next((j for j in range(n, start, -1) if flat[j][1].breakable), n)
        del page[back - start + repeated :]
        n = start = back
    return pages


def _between(blocks: tuple[Block, ...], i: int, measures: _Measures) -> float:
    """From the last atom of block i - 1 to the first of block i on one page: margins collapse."""
    if i == 0:
        return 0.0
    before, here = measures[blocks[i - 1]], measures[blocks[i]]
    return before.tail + max(before.bottom, here.top) + here.lead


def _breaks_before(blocks: tuple[Block, ...], i: int) -> bool:
    """base.css: a heading and a figure (its caption) are kept with what follows, the signature with what
    comes before it."""
    return i > 0 and not isinstance(blocks[i - 1], (Heading, Figure)) and not isinstance(blocks[i], Signature)
