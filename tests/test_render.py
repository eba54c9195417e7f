"""The book's figure pipeline: plotly's mimetype in the kernel, drawn by a myst-nb plugin in the book."""

import json
import subprocess
import sys
from types import SimpleNamespace

import plotly.graph_objects as go
import plotly.io as pio

from k8smodel.views.render import KERNEL_RENDERER, PLOTLY_MIMETYPE, PlotlyMimeRenderPlugin, figure_html, install


def figure():
    return go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]), layout={"title": "t"})


def kernel_bundle(fig):
    return pio.renderers[KERNEL_RENDERER].to_mimebundle(fig.to_dict())


def _in_subprocess(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_import_in_a_kernel_makes_the_mimetype_the_default():
    # an IPython shell, as in a Jupyter kernel, nbval's or the book's executor
    code = (
        "from IPython.core.interactiveshell import InteractiveShell; InteractiveShell.instance();"
        "import k8smodel, plotly.io as pio; print(pio.renderers.default)"
    )
    assert _in_subprocess(code) == KERNEL_RENDERER


def test_a_kernel_displays_figures_without_loading_plotlys_renderers():
    """In a kernel a figure is displayed by our formatter (plotly's renderer registry would import nbformat and
    jsonschema: seconds per kernel), and the bundle is exactly the one plotly's mimetype renderer makes."""
    code = (
        "import sys, json\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "import k8smodel, plotly.graph_objects as go\n"
        "fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]), layout={'title': {'text': 't'}})\n"
        "from IPython.core.displaypub import CapturingDisplayPublisher\n"
        "shell.display_pub = CapturingDisplayPublisher()\n"
        "shell.display_formatter.format(fig)\n"
        "ours = shell.display_pub.outputs[-1]['data']\n"
        "loaded = sorted(m for m in ('nbformat', 'plotly.io._renderers') if m in sys.modules)\n"
        "from k8smodel.views.render import install; install()\n"
        "import plotly.io as pio\n"
        "theirs = pio.renderers['plotly_mimetype'].to_mimebundle(fig.to_dict())\n"
        "widget = go.FigureWidget(fig)\n"
        "wbundle, _ = shell.display_formatter.format(widget)\n"
        "print(json.dumps([loaded, ours['application/vnd.plotly.v1+json'] == theirs['application/vnd.plotly.v1+json'],"
        " 'application/vnd.jupyter.widget-view+json' in wbundle]))\n"
    )
    loaded, same, widget_view = json.loads(_in_subprocess(code))
    assert loaded == []
    assert same
    assert widget_view  # a FigureWidget keeps its widget display


def test_fig_show_in_a_kernel_has_the_books_config():
    """``fig.show()`` goes through plotly's renderer registry: loaded on first use, it is set up then."""
    code = (
        "import sys, json\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "from IPython.core.displaypub import CapturingDisplayPublisher\n"
        "shell = InteractiveShell.instance()\n"
        "shell.display_pub = CapturingDisplayPublisher()\n"
        "import k8smodel, plotly.graph_objects as go\n"
        "go.Figure(go.Scatter(x=[1, 2], y=[3, 4])).show()\n"
        "print(json.dumps(shell.display_pub.outputs[-1]['data']['application/vnd.plotly.v1+json']['config']))\n"
    )
    assert json.loads(_in_subprocess(code)) == {"displaylogo": False, "responsive": True}


def test_import_outside_a_kernel_does_not_load_plotlys_renderers():
    # they import nbformat, jsonschema and a grammar compiled at import: seconds that no test or server needs
    code = "import sys, k8smodel; print(sorted(m for m in ('nbformat', 'plotly.io._renderers') if m in sys.modules))"
    assert _in_subprocess(code) == "[]"


def test_install_makes_the_mimetype_the_default():
    install()
    assert pio.renderers.default == KERNEL_RENDERER
    bundle = kernel_bundle(figure())
    assert set(bundle) == {PLOTLY_MIMETYPE}  # small notebooks: no HTML copy, no inlined plotly.js
    assert bundle[PLOTLY_MIMETYPE]["config"] == {"displaylogo": False, "responsive": True}


def test_html_uses_the_global_plotly_and_no_network():
    html = figure_html(kernel_bundle(figure())[PLOTLY_MIMETYPE], "page:1:0")
    assert "Plotly.newPlot" in html and '"displaylogo": false' in html.replace(":false", ": false")
    assert "https://" not in html and "http://" not in html and "<script src" not in html


def test_ids_are_deterministic_and_distinct_per_place():
    data = kernel_bundle(figure())[PLOTLY_MIMETYPE]
    assert figure_html(data, "page:1:0") == figure_html(data, "page:1:0")
    assert figure_html(data, "page:1:0") != figure_html(data, "page:2:0")


def test_frames_are_added_and_not_played():
    fig = figure()
    fig.frames = [go.Frame(data=[go.Scatter(y=[1, 1, 1])], name="f1")]
    html = figure_html(kernel_bundle(fig)[PLOTLY_MIMETYPE], "k")
    assert "addFrames" in html and "Plotly.animate" not in html


def test_plugin_renders_only_plotly():
    renderer = SimpleNamespace(renderer=SimpleNamespace(document={"source": "chapters/x.ipynb"}))
    other = SimpleNamespace(mime_type="text/plain", content="x", cell_index=0, output_index=0)
    assert PlotlyMimeRenderPlugin.handle_mime(renderer, other, False) is None
    data = SimpleNamespace(
        mime_type=PLOTLY_MIMETYPE, content=kernel_bundle(figure())[PLOTLY_MIMETYPE], cell_index=3, output_index=0
    )
    (node,) = PlotlyMimeRenderPlugin.handle_mime(renderer, data, False)
    assert node["format"] == "html" and "k8s-figure-" in node.astext()
