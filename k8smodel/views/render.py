"""How a plotly figure leaves the kernel, and how the book draws it: one setting for JupyterLab, the book and nbval.

Plotly's stock renderers each serve one reader and fail another:

* ``plotly_mimetype`` emits only ``application/vnd.plotly.v1+json``. JupyterLab draws it (its plotly extension is
  prebuilt) and nbval compares it stably, but the book's builder, myst-nb, has no renderer for it: blank figure.
* ``notebook_connected`` adds ``text/html`` that loads plotly.js and MathJax from a CDN (the rendered book then needs
  the internet) and gives every figure a random ``<div>`` id (a fresh output then never equals the stored one).
* ``notebook`` inlines the whole of plotly.js, about 4.8 MB, into every stored notebook.

So the kernel side uses ``plotly_mimetype`` everywhere (``install()``, called by ``import k8smodel`` in a kernel), and
the book side teaches myst-nb to draw that mimetype: ``PlotlyMimeRenderPlugin`` is registered under the
``myst_nb.mime_renderers`` entry point (``pyproject.toml``) and turns the figure's JSON into a ``<div>`` plus a
``Plotly.newPlot`` call on the global ``Plotly`` that the book serves from its own static files
(``book/_config.yml``: ``html_js_files``). The ``<div>`` id is derived from the figure and its place in the
notebook, so the same book built twice is the same HTML.
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any, ClassVar

import plotly.io as pio

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
KERNEL_RENDERER = "plotly_mimetype"

# Shown with every figure: no plotly logo, responsive width.
CONFIG = {"displaylogo": False, "responsive": True}
DEFAULT_HEIGHT = 450


def install() -> None:
    """Make every figure in a kernel leave as the plotly mimetype, with the book's config."""
    renderer = pio.renderers[KERNEL_RENDERER]
    renderer.config = dict(CONFIG)
    pio.renderers.default = KERNEL_RENDERER


def in_ipython() -> bool:
    """Whether this process runs an IPython shell (a Jupyter kernel, nbval's, the book's executor, ``ipython``):
    asked without importing IPython."""
    ipython = sys.modules.get("IPython")
    return ipython is not None and getattr(ipython, "get_ipython", lambda: None)() is not None


def install_in_ipython() -> None:
    """:func:`install`, but only where figures are shown: in an IPython shell, or where plotly's renderers are loaded
    already. ``import k8smodel`` calls this.

    Plotly's renderer registry imports ``nbformat``, which imports ``jsonschema``, which compiles the Lark grammar of
    ``rfc3987_syntax`` (installed with JupyterLab's ``jupyter-events``) at import: 2.9 s of a 4.2 s ``import
    k8smodel`` on this machine (``python -X importtime``). A test run, a benchmark or ``python -m k8smodel serve``
    shows no figure through a renderer and need not pay it; a kernel does, as it would for its first figure."""
    if in_ipython() or "plotly.io._renderers" in sys.modules:
        install()


def figure_html(figure: dict[str, Any], key: str) -> str:
    """HTML that draws ``figure`` (plotly JSON) with the page's global ``Plotly``, in a ``<div>`` named by ``key``.

    No script is loaded from anywhere: the page must already have plotly.js. Animation frames are added but not
    played; the figure's slider plays them.
    """
    figure = dict(figure)
    config = {**CONFIG, **figure.pop("config", {})}
    digest = hashlib.sha256(f"{key}:{json.dumps(figure, sort_keys=True)}".encode()).hexdigest()[:12]
    return pio.to_html(
        figure,
        config=config,
        auto_play=False,
        include_plotlyjs=False,
        include_mathjax=False,
        full_html=False,
        div_id=f"k8s-figure-{digest}",
        default_width="100%",
        default_height=figure.get("layout", {}).get("height", DEFAULT_HEIGHT),
        validate=False,
    )


class PlotlyMimeRenderPlugin:
    """A myst-nb mime renderer plugin: draws ``application/vnd.plotly.v1+json`` outputs in the HTML book."""

    # Prefer the figure's own JSON over any text/html a figure might also carry (priority: lower wins).
    mime_priority_overrides: ClassVar[list[tuple[str, str, int]]] = [
        ("html", PLOTLY_MIMETYPE, 25),
        ("dirhtml", PLOTLY_MIMETYPE, 25),
        ("singlehtml", PLOTLY_MIMETYPE, 25),
    ]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list | None:
        if data.mime_type != PLOTLY_MIMETYPE:
            return None
        from docutils import nodes

        key = f"{renderer.renderer.document['source']}:{data.cell_index}:{data.output_index}"
        return [nodes.raw("", figure_html(data.content, key), format="html")]
