"""The PDF's pagination passes decide a figure's moves from one layout: the same arrangement as moving it one
paragraph per layout, in fewer layouts."""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint

from report_builder import pipeline
from report_builder.load import load_inputs
from report_builder.periods import Period
from report_builder.pipeline import BuildOptions, build_report
from report_builder.render import pagination
from report_builder.render.document import Figure
from report_builder.render.pdf_writer import lay_out
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def quarterly(tmp_path_factory):
    """The sample quarterly report's document and style, as the pipeline hands them to the PDF writer."""
    seen = []
    original = pipeline.lay_out
    pipeline.lay_out = lambda document, style: seen.append((document, style)) or original(document, style)
    try:
        out = tmp_path_factory.mktemp("q")
        build_report(
            load_inputs(SAMPLE),
            "quarterly",
            Period.parse("2020Q3"),
            None,
            out,
            BuildOptions(formats=("pdf",)),
        )
    finally:
        pipeline.lay_out = original
    return seen[0]


def counted_lay_out(document, style, monkeypatch) -> tuple[tuple, int]:
    layouts = []
    render = weasyprint.HTML.render
    monkeypatch.setattr(
        weasyprint.HTML, "render", lambda self, *a, **k: layouts.append(1) or render(self, *a, **k)
    )
    laid_out = lay_out(document, style, Path.cwd())
    monkeypatch.undo()
    return laid_out.document.blocks, len(layouts)


def test_figure_moves_are_decided_from_one_layout(quarterly, monkeypatch):
    """图1 moves past a heading and its paragraph, 图2 past two and is drawn smaller: as the one-paragraph-a-layout
    passes arranged it (their five layouts), in three."""
    document, style = quarterly
    blocks, layouts = counted_lay_out(document, style, monkeypatch)
    monkeypatch.setattr(pagination, "_place_figure", lambda blocks, i, *_: pagination._move_figure(blocks, i))
    one_step, one_step_layouts = counted_lay_out(document, style, monkeypatch)
    assert blocks == one_step
    assert blocks != document.blocks and [b.fit_width_px for b in blocks if isinstance(b, Figure)][1] > 0
    assert (layouts, one_step_layouts) == (3, 5)
