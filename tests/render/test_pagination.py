"""The PDF's pagination passes are made on a model of WeasyPrint's page breaking measured on one layout: the
model pours a report where WeasyPrint laid it out, and its changes are those one change per layout made."""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint

from report_builder import pipeline
from report_builder.load import load_inputs
from report_builder.periods import Period
from report_builder.pipeline import BuildOptions, build_report
from report_builder.render import pagination
from report_builder.render.document import Figure, Table
from report_builder.render.pdf_writer import lay_out, to_html
from tests.conftest import SAMPLE
from tests.render.test_docx_fidelity import long_table_document


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """The documents and styles the pipeline hands the PDF writer: the sample quarterly report and yearbook."""
    seen = []
    original = pipeline.lay_out
    pipeline.lay_out = lambda document, style: seen.append((document, style)) or original(document, style)
    try:
        inputs, out = load_inputs(SAMPLE), tmp_path_factory.mktemp("docs")
        pdf = BuildOptions(formats=("pdf",))
        build_report(inputs, "quarterly", Period.parse("2020Q3"), None, out / "q", pdf)
        build_report(inputs, "yearbook", Period.parse("2020"), None, out / "y", pdf)
    finally:
        pipeline.lay_out = original
    return {"quarterly": seen[0], "yearbook": seen[1]}


def counted_lay_out(document, style, monkeypatch) -> tuple[tuple, int]:
    layouts = []
    render = weasyprint.HTML.render
    monkeypatch.setattr(
        weasyprint.HTML, "render", lambda self, *a, **k: layouts.append(1) or render(self, *a, **k)
    )
    laid_out = lay_out(document, style, Path.cwd())
    monkeypatch.undo()
    return laid_out.document.blocks, len(layouts)


def one_change_a_layout(monkeypatch) -> None:
    """The passes as they were: each change laid out before the next is looked for."""
    monkeypatch.setattr(pagination, "_settled", lambda blocks, height, measures: blocks)


@pytest.mark.parametrize("key", ["quarterly", "yearbook"])
def test_the_model_pours_the_blocks_where_weasyprint_laid_them_out(documents, key):
    """Every line, table row, figure and signature of the first layout on the same page at the same height."""
    document, style = documents[key]
    laid_out = weasyprint.HTML(string=to_html(document, style), base_url=str(Path.cwd())).render()
    pages, height, measures = pagination._measured(document.blocks, laid_out)
    poured = pagination._poured(document.blocks, height, measures)
    assert [[(p.block, round(p.top, 2)) for p in page] for page in poured] == [
        [(p.block, round(p.top, 2)) for p in page] for page in pages
    ]
    assert sum(len(page) for page in pages) > 50


def test_figure_moves_are_decided_in_one_layout(documents, monkeypatch):
    """图1 moves past a heading and its paragraph, 图2 past two and is drawn smaller: as the passes arranged it
    one change a layout (five layouts), in two."""
    document, style = documents["quarterly"]
    blocks, layouts = counted_lay_out(document, style, monkeypatch)
    one_change_a_layout(monkeypatch)
    one_step, one_step_layouts = counted_lay_out(document, style, monkeypatch)
    assert blocks == one_step
    assert blocks != document.blocks and [b.fit_width_px for b in blocks if isinstance(b, Figure)][1] > 0
    assert (layouts, one_step_layouts) == (2, 5)


def test_a_table_is_split_on_every_page_in_one_layout(monkeypatch):
    """Sixty rows over three pages: both splits (续表1 twice) made on the model of the first layout."""
    from report_builder.render.style import load_style

    document, style = long_table_document(), load_style("gongwen")
    blocks, layouts = counted_lay_out(document, style, monkeypatch)
    one_change_a_layout(monkeypatch)
    one_step, one_step_layouts = counted_lay_out(document, style, monkeypatch)
    assert blocks == one_step
    assert [b.continued for b in blocks if isinstance(b, Table)] == [False, True, True]
    assert (layouts, one_step_layouts) == (2, 3)
