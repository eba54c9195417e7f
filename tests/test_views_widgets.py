"""The dashboard (k8smodel/views/widgets.py), driven in-process: its buttons clicked and its slider moved from the
test, then the figure checked against what the cluster did."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from k8smodel import Cluster
from k8smodel.views import style
from k8smodel.views import widgets as W

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.25}]
"""

API = WEB.replace("name: web", "name: api").replace("app: web", "app: api").replace("replicas: 4", "replicas: 2")


def make_cluster() -> Cluster:
    cluster = Cluster(seed=7)
    cluster.add_nodes(3, zones=["zone-a", "zone-b"])
    cluster.run_for("15s")
    cluster.apply(WEB)
    cluster.run_for("45s")
    return cluster


@pytest.fixture
def dash() -> W.Dashboard:
    return W.Dashboard(make_cluster())


def node_box(dashboard: W.Dashboard, node: str) -> go.layout.Shape:
    labels = next(t for t in dashboard.figure.data if t.name == "Nodes")
    return dashboard.figure.layout.shapes[list(labels.text).index(node)]


def pod_symbols(dashboard: W.Dashboard) -> list[str]:
    return [s for t in dashboard.figure.data if t.name == "Deployment web" and t.hovertext for s in t.marker.symbol]


def test_the_dashboard_shows_the_cluster(dash: W.Dashboard) -> None:
    assert dash.deployment == "web" and dash.replicas.value == 4
    assert list(dash.node_picker.options) == ["node-1", "node-2", "node-3"]
    assert len(dash.pod_picker.options) == 4
    assert pod_symbols(dash) == ["square"] * 4
    assert "t = 1:00" in dash.status.value and "3/3 Nodes Ready" in dash.status.value


def browser_state(widget) -> dict:
    """What the browser is given of a FigureWidget: its synced state (a figure built with ``_validate=False`` and
    then changed in Python would show one thing here and another in ``.layout``)."""
    state = widget.get_state()
    return {"data": state["_widget_data"], "layout": state["_widget_layout"]}


def test_fail_button_changes_the_topology_the_browser_shows(dash: W.Dashboard) -> None:
    figure = dash.figure
    dash.node_picker.value = "node-2"
    dash.fail_button.click()
    assert dash.history[-1][1:] == ("fail node-2 (crash)", "node/node-2: crashed")
    assert node_box(dash, "node-2").line.dash == "solid"  # nobody has noticed yet
    dash.step_picker.value = "1m"
    dash.step_button.click()  # 60 s > the 50 s grace period: the node lifecycle controller marks it NotReady
    box = node_box(dash, "node-2")
    assert box.line.dash == "dash" and box.fillcolor == style.LIGHT_GREY
    if dash.in_place:  # the dashboard shows the new widget, and the browser gets the change
        assert dash.figure is not figure and dash._box.children == (dash.figure,)
        shown = browser_state(dash.figure)["layout"]
        assert "(2 Ready)" in shown["title"]["text"]
        assert any(s.get("line", {}).get("dash") == "dash" for s in shown["shapes"])
        assert figure.comm is None  # the old one is closed
    assert "2/3 Nodes Ready" in dash.status.value and "t = 2:00" in dash.status.value
    dash.recover_button.click()
    dash.step("30s")
    assert node_box(dash, "node-2").line.dash == "solid"


def test_delete_pod_button(dash: W.Dashboard) -> None:
    victim = dash.pod_picker.options[0]
    dash.pod_picker.value = victim
    dash.delete_button.click()
    assert dash.history[-1][2] == f'pod "{victim}" deleted'
    assert victim not in dash.pod_picker.options  # Terminating: not offered again
    assert "x" in pod_symbols(dash)  # drawn as Terminating
    dash.step("1m")  # the ReplicaSet has made another; the victim is gone after its grace period
    assert pod_symbols(dash) == ["square"] * 4
    assert victim not in dash.pod_picker.options and len(dash.pod_picker.options) == 4


def test_replicas_slider_scales_the_deployment(dash: W.Dashboard) -> None:
    dash.replicas.value = 7
    assert dash.history[-1][1:] == ("scale 7", "deployment.apps/web scaled")
    assert dash.cluster.api.get("deployments", "web", "default")["spec"]["replicas"] == 7
    dash.step("30s")
    assert len(pod_symbols(dash)) == 7 and "7 desired, 7 ready" in dash.status.value


def test_apply_button(dash: W.Dashboard) -> None:
    dash.manifest.value = API
    dash.apply_button.click()
    assert dash.history[-1][2] == "deployment.apps/api created"
    dash.step("30s")
    names = {t.name for t in dash.figure.data if t.showlegend is not False}
    assert {"Deployment web", "Deployment api"} <= names


def test_errors_are_shown_not_raised(dash: W.Dashboard) -> None:
    revision = dash.cluster.etcd.revision
    dash.manifest.value = WEB.replace("name: web", "name: bad", 1).replace("replicas: 4", "replicas: -1")
    dash.apply_button.click()
    message = dash.history[-1][2]
    assert message.startswith('Error from server (Invalid): error when creating "STDIN"')
    assert "spec.replicas" in message and "Error from server" in dash.status.value
    assert dash.cluster.etcd.revision == revision  # nothing changed
    assert dash.fail_node("node-9").startswith('error: node "node-9" has no kubelet')
    assert dash.apply("  ") == "error: the manifest is empty"


def test_a_cluster_without_deployments() -> None:
    cluster = Cluster(seed=0)
    cluster.add_nodes(1)
    dashboard = W.Dashboard(cluster)
    assert dashboard.deployment is None and dashboard.replicas.disabled
    assert dashboard.scale(3) == "error: no Deployment to scale"
    dashboard.apply(WEB)
    assert dashboard.deployment == "web" and not dashboard.replicas.disabled
    with pytest.raises(ValueError, match="step must be one of"):
        W.Dashboard(cluster, step="7s")


def test_without_anywidget_the_figure_is_reshown(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(*args: object, **kwargs: object) -> None:
        raise ImportError("Please install anywidget to use the FigureWidget class")

    monkeypatch.setattr(go, "FigureWidget", missing)
    dashboard = W.Dashboard(make_cluster())
    assert not dashboard.in_place and isinstance(dashboard.figure, go.Figure)
    dashboard.fail_node("node-1")
    dashboard.step("1m")
    assert node_box(dashboard, "node-1").line.dash == "dash"
    assert dashboard.redraws == 2


def test_the_same_story_gives_the_same_figure() -> None:
    def story() -> str:
        dashboard = W.Dashboard(make_cluster())
        dashboard.replicas.value = 6
        dashboard.fail_node("node-1", "partition")
        dashboard.step("2m")
        return go.Figure(dashboard.figure).to_json()

    assert story() == story()


def test_in_the_book_build_a_dashboard_shows_a_note_not_a_kernel_widget(dash: W.Dashboard, monkeypatch) -> None:
    """The rendered book has no kernel, and a FigureWidget's state would carry plotly's 5 MB widget bundle and make
    the book's widget manager fetch anywidget from a CDN: the build (make book) gets a note instead."""
    assert "application/vnd.jupyter.widget-view+json" in dash._repr_mimebundle_()
    monkeypatch.setenv(W.BOOK_BUILD_ENV, "1")
    bundle = dash._repr_mimebundle_()
    assert set(bundle) == {"text/markdown", "text/plain"} and "JupyterLab" in bundle["text/markdown"]
    # and a dashboard made during the build makes no anywidget model, whose state the page would embed
    built = W.Dashboard(dash.cluster)
    assert not built.in_place and type(built.figure) is go.Figure
