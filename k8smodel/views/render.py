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
import importlib.abc
import importlib.util
import json
import os
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


def mimebundle(fig: Any, include: Any = None, exclude: Any = None) -> dict[str, Any]:
    """What plotly's ``plotly_mimetype`` renderer, with the book's config, makes of ``fig``: the same steps
    (``Figure._repr_mimebundle_``, ``PlotlyRenderer.to_mimebundle``) without plotly's renderer registry."""
    from plotly.io._base_renderers import PlotlyRenderer
    from plotly.io._utils import validate_coerce_fig_to_dict

    return PlotlyRenderer(config=CONFIG).to_mimebundle(validate_coerce_fig_to_dict(fig, True))


def install_in_ipython() -> None:
    """The kernel-side setting, where figures are shown: in an IPython shell (or where plotly's renderers are loaded
    already). ``import k8smodel`` calls this.

    Plotly's renderer registry imports ``nbformat``, which imports ``jsonschema``, which compiles the Lark grammar of
    ``rfc3987_syntax`` (installed with JupyterLab's ``jupyter-events``) at import: 2.9 s of a 4.2 s ``import
    k8smodel`` on this machine (``python -X importtime``), and as much in every kernel, before its first cell. So in
    a shell a figure is displayed by a display printer of our own for plotly's ``Figure`` (:func:`mimebundle`: the
    very bundle plotly's mimetype renderer makes, displayed as ``pio.show`` displays it), and the registry is told
    its default only through ``PLOTLY_RENDERER``, read when something imports it (``fig.show()``). A
    ``FigureWidget`` is not a ``Figure``: it keeps its own widget display. Outside a shell nothing is displayed and
    nothing is loaded."""
    if "plotly.io._renderers" in sys.modules:
        install()
    if not in_ipython():
        return
    os.environ.setdefault("PLOTLY_RENDERER", KERNEL_RENDERER)
    if not any(isinstance(f, _InstallOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _InstallOnImport())
    shell = sys.modules["IPython"].get_ipython()
    # plotly's Figure displays itself through _ipython_display_ (pio.show: the registry); IPython asks a printer
    # registered for the type first
    formatter = shell.display_formatter.ipython_display_formatter
    formatter.for_type_by_name("plotly.graph_objs._figure", "Figure", _display)


class _InstallOnImport(importlib.abc.MetaPathFinder):
    """Runs :func:`install` as soon as plotly's renderer registry is imported (by ``fig.show()``, ``pio.show``), so
    a figure shown that way has the book's config too. Finds nothing itself: it wraps the module's own loader."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != "plotly.io._renderers":
            return None
        sys.meta_path.remove(self)  # once, and so that the search below does not find this finder again
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_then_install(module: Any) -> None:
            exec_module(module)
            install()

        spec.loader.exec_module = exec_then_install  # type: ignore[method-assign]
        return spec


def _display(fig: Any) -> None:
    """What ``pio.show(fig)`` does with the mimetype renderer: display the bundle as it is."""
    from IPython.display import display

    display(mimebundle(fig), raw=True)


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
