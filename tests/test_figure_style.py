"""Issue 7's look and feel, checked over every figure stored in every chapter: a title, the book's template, titled
axes, colours from the book's palette, and under 300 KB of JSON."""

from __future__ import annotations

import colorsys
import json
import re
from pathlib import Path

import pytest

from k8smodel.views import style

ROOT = Path(__file__).resolve().parents[1]
MIMETYPE = "application/vnd.plotly.v1+json"
LIMIT = 300 * 1024

PALETTE = (
    {c.lower() for c in style.OKABE_ITO.values()}
    | {c.lower() for c in (style.INK, style.GREY, style.LIGHT_GREY, style.PAPER)}
    | {"white", "black", "#fff", "#ffffff", "#000", "#000000", "rgba(0,0,0,0)", "transparent"}
)


def stored_figures():
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        for i, cell in enumerate(cells):
            for output in cell.get("outputs", []):
                figure = output.get("data", {}).get(MIMETYPE)
                if figure is not None:
                    yield pytest.param(figure, id=f"{path.stem}-cell{i}")


FIGURES = list(stored_figures())


def _title(value) -> str:
    if isinstance(value, dict):
        return value.get("text") or ""
    return value or ""


def _colours(node):
    """Every colour string set anywhere in a trace or a shape (marker, line, fill, ...)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("color") or key == "color":
                if isinstance(value, str):
                    yield value
                elif isinstance(value, list):
                    yield from (v for v in value if isinstance(v, str))
            else:
                yield from _colours(value)
    elif isinstance(node, list):
        for value in node:
            yield from _colours(value)


def _tint_or_grey(colour: str) -> bool:
    """A pale fill (lightness 90 % or more) or a grey (saturation 10 % or less): they carry no data, so they need not
    be palette colours."""
    m = re.fullmatch(r"#([0-9a-f]{6})", colour)
    if not m:
        return False
    r, g, b = (int(m[1][i : i + 2], 16) / 255 for i in (0, 2, 4))
    light, saturation = colorsys.rgb_to_hls(r, g, b)[1:]
    return light >= 0.9 or saturation <= 0.1


def _normal(colour: str) -> str:
    colour = colour.strip().lower().replace(" ", "")
    m = re.fullmatch(r"rgba?\((\d+),(\d+),(\d+)(?:,([\d.]+))?\)", colour)
    if m:  # a palette colour made transparent is still that colour
        return "#{:02x}{:02x}{:02x}".format(*(int(m[i]) for i in (1, 2, 3))) if m[4] != "0" else "transparent"
    return colour


def test_the_chapters_have_figures():
    assert len(FIGURES) >= 20


@pytest.mark.parametrize("figure", FIGURES)
def test_figure_has_a_title_and_stays_small(figure):
    assert _title(figure.get("layout", {}).get("title")).strip(), "a figure needs a title"
    assert len(json.dumps(figure)) < LIMIT


@pytest.mark.parametrize("figure", FIGURES)
def test_figure_uses_the_books_template(figure):
    assert figure.get("layout", {}).get("template") == style.TEMPLATE_JSON, (
        "build the layout with k8smodel.views.style.base_layout (the book's small template, not plotly's 9 KB one)"
    )


@pytest.mark.parametrize("figure", FIGURES)
def test_visible_axes_are_labelled(figure):
    layout = figure.get("layout", {})
    traces = figure.get("data", [])
    used = set()
    for trace in traces:
        if trace.get("type", "scatter") in {"pie", "sankey", "table", "indicator", "parcats"}:
            continue
        used.add("xaxis" + (trace.get("xaxis", "x")[1:]))
        used.add("yaxis" + (trace.get("yaxis", "y")[1:]))
    for axis in sorted(used):
        spec = layout.get(axis, {})
        if spec.get("visible") is False or spec.get("showticklabels") is False:
            continue
        assert _title(spec.get("title")).strip(), f"{axis} shows tick labels but has no title"


@pytest.mark.parametrize("figure", FIGURES)
def test_colours_come_from_the_books_palette(figure):
    layout = figure.get("layout", {})
    found = set(_colours(figure.get("data", []))) | set(_colours(layout.get("shapes", [])))
    found |= set(_colours(layout.get("annotations", [])))
    foreign = sorted({c for c in found if _normal(c) not in PALETTE and not _tint_or_grey(_normal(c))})
    assert not foreign, f"colours outside the Okabe-Ito palette, the greys and pale fills: {foreign}"
