"""widgets: the dashboard the chapters reuse — the cluster's topology and the controls to change it, in JupyterLab.

``Dashboard(cluster)`` shows :func:`k8smodel.views.figures.topology` and, under it, the verbs a reader tries first:

* **replicas** of a Deployment (``kubectl scale``),
* **fail** or **recover** a Node (:meth:`Cluster.fail_node`, crash or partition, and :meth:`Cluster.recover_node`),
* **delete a Pod** (``kubectl delete pod``: its ReplicaSet makes another),
* **run the clock** by a step (``1s`` to ``5m``),
* **apply** a manifest (``kubectl apply -f``).

Every control acts through the cluster's own verbs, then redraws. The figure is a plotly ``FigureWidget`` in a
``Box``: a redraw builds the new topology as plain JSON and puts a new ``FigureWidget`` of it in the box (and closes
the old one), so the browser gets the whole figure in one message. Updating the old widget in place would need
plotly's validation of every property (a ``FigureWidget`` built with ``_validate=False`` records no change and sends
nothing; with validation a redraw of 200 Pods took about 140 ms, over the 100 ms budget). Without ``anywidget``
(which plotly's ``FigureWidget`` needs from plotly 6 on) the dashboard falls back to a plain figure re-shown in an
``Output`` widget. Errors (a bad manifest, an unknown Node) are shown in the status line in kubectl's words, as a
terminal would show them; they never raise into the notebook.

The same actions are methods (:meth:`Dashboard.scale`, :meth:`~Dashboard.fail_node`, :meth:`~Dashboard.recover_node`,
:meth:`~Dashboard.delete_pod`, :meth:`~Dashboard.step`, :meth:`~Dashboard.apply`), so a chapter (and a test) can
drive the dashboard without clicking; each returns what kubectl would print. :attr:`Dashboard.history` records
every action with its simulated time.

The rendered book has no kernel: there a dashboard shows a note (:data:`BOOK_NOTE`, when ``make book`` sets
:data:`BOOK_BUILD_ENV`) and its kernel-free twin, a figure made with :mod:`k8smodel.views.frames`, does the showing.
"""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w
import plotly.graph_objects as go

from k8smodel.api.errors import StatusError
from k8smodel.sim import format_duration, parse_duration
from k8smodel.views import figures
from k8smodel.views import graph as graphs
from k8smodel.views.style import OwnerColours, format_mss

STEPS = ("1s", "10s", "30s", "1m", "5m")
FAILURE_MODES = ("crash", "partition")


def _figure_widget(spec: dict[str, Any]) -> tuple[go.Figure, bool]:
    """A ``FigureWidget`` of the figure ``spec`` when anywidget is installed (True), else a plain figure (False).
    Neither validates what is assigned to it later: the spec comes from :func:`figures.topology_spec`, whose output
    the tests validate, and plotly's validation would take most of a redraw's time."""
    if os.environ.get(BOOK_BUILD_ENV):  # no anywidget model at all: the page would embed its state (see there)
        return go.Figure(spec, _validate=False), False
    try:
        return go.FigureWidget(spec, _validate=False), True
    except ImportError:
        return go.Figure(spec, _validate=False), False


class Dashboard:
    """The topology of ``cluster`` with controls (see the module docstring).

    ``deployment`` names the Deployment the replicas slider scales (default: the first one, in name order, of
    ``namespace``); ``colour_by`` is the topology's (``"owner"`` or ``"phase"``); ``step`` is the clock's first step.
    """

    def __init__(
        self,
        cluster: Any,
        deployment: str | None = None,
        *,
        namespace: str = "default",
        colour_by: str = "owner",
        step: str = "10s",
        max_replicas: int = 20,
    ) -> None:
        if step not in STEPS:
            raise ValueError(f"Dashboard: step must be one of {', '.join(STEPS)}, got {step!r}")
        self.cluster = cluster
        self.namespace = namespace
        self.colour_by = colour_by
        self.colours = OwnerColours()
        self.history: list[tuple[float, str, str]] = []
        self.graph = self._graph()
        self.deployment = deployment or self._first_deployment()
        self.figure, self.in_place = _figure_widget(self._draw())
        self.redraws = 0

        style = {"description_width": "initial"}
        replicas = self._replicas()
        self.replicas = w.IntSlider(
            value=replicas or 0,
            min=0,
            max=max(max_replicas, replicas or 0),
            description=f"replicas of {self.deployment}" if self.deployment else "replicas",
            continuous_update=False,
            disabled=self.deployment is None,
            style=style,
        )
        self.node_picker = w.Dropdown(options=self._node_names(), description="Node", style=style)
        self.failure_mode = w.ToggleButtons(options=FAILURE_MODES, value="crash", style={"button_width": "80px"})
        self.fail_button = w.Button(description="fail", button_style="danger", icon="bolt")
        self.recover_button = w.Button(description="recover", button_style="success", icon="heartbeat")
        self.pod_picker = w.Dropdown(options=self._pod_names(), description="Pod", style=style)
        self.delete_button = w.Button(description="delete Pod", button_style="warning", icon="trash")
        self.step_picker = w.ToggleButtons(options=STEPS, value=step, style={"button_width": "48px"})
        self.step_button = w.Button(description="run the clock", icon="play")
        self.manifest = w.Textarea(
            placeholder="a manifest to apply (YAML)", layout=w.Layout(width="100%", height="120px")
        )
        self.apply_button = w.Button(description="kubectl apply", icon="upload")
        self.status = w.HTML(value=self._status_line(""))

        self.replicas.observe(self._on_replicas, names="value")
        self.fail_button.on_click(lambda _: self.fail_node(self.node_picker.value, self.failure_mode.value))
        self.recover_button.on_click(lambda _: self.recover_node(self.node_picker.value))
        self.delete_button.on_click(lambda _: self.delete_pod(self.pod_picker.value))
        self.step_button.on_click(lambda _: self.step(self.step_picker.value))
        self.apply_button.on_click(lambda _: self.apply(self.manifest.value))

        self._output: w.Output | None = None
        view: Any
        if self.in_place:
            self._box = w.Box([self.figure])
            view = self._box
        else:
            self._output = w.Output()
            self._show_static()
            view = self._output
        self.widget = w.VBox(
            [
                view,
                self.status,
                w.HBox([self.step_picker, self.step_button]),
                self.replicas,
                w.HBox([self.node_picker, self.failure_mode, self.fail_button, self.recover_button]),
                w.HBox([self.pod_picker, self.delete_button]),
                w.VBox([self.manifest, self.apply_button]),
            ]
        )

    # ---- reading the cluster ---------------------------------------------------------------------------------

    def _graph(self) -> Any:
        return graphs.cluster_graph(self.cluster, kinds=figures.TOPOLOGY_KINDS, components=False)

    def _draw(self) -> dict[str, Any]:
        return figures.topology_spec(self.cluster, graph=self.graph, colour_by=self.colour_by, colours=self.colours)

    def _first_deployment(self) -> str | None:
        names = [
            self.graph.nodes[d]["name"]
            for d in graphs.of_kind(self.graph, "Deployment")
            if self.graph.nodes[d]["namespace"] == self.namespace
        ]
        return names[0] if names else None

    def _replicas(self) -> int | None:
        if self.deployment is None:
            return None
        nid = graphs.node_id("Deployment", self.deployment, self.namespace)
        return self.graph.nodes[nid]["replicas"] if nid in self.graph else None

    def _node_names(self) -> list[str]:
        return [self.graph.nodes[n]["name"] for n in graphs.of_kind(self.graph, "Node")]

    def _pod_names(self) -> list[str]:
        return [
            self.graph.nodes[p]["name"]
            for p in graphs.of_kind(self.graph, "Pod")
            if self.graph.nodes[p]["namespace"] == self.namespace and not self.graph.nodes[p]["deleting"]
        ]

    def _status_line(self, message: str) -> str:
        g = self.graph
        nodes = graphs.of_kind(g, "Node")
        ready = sum(1 for n in nodes if g.nodes[n]["ready"])
        pods = graphs.of_kind(g, "Pod")
        running = sum(1 for p in pods if g.nodes[p]["state"] == "Running")
        head = (
            f"<b>t = {format_mss(self.cluster.now)}</b> · {ready}/{len(nodes)} Nodes Ready · "
            f"{running}/{len(pods)} Pods Running and Ready"
        )
        if self.deployment is not None:
            nid = graphs.node_id("Deployment", self.deployment, self.namespace)
            if nid in g:
                d = g.nodes[nid]
                head += (
                    f" · deployment/{self.deployment}: {d['replicas']} desired, {d['ready_replicas']} ready, "
                    f"{d['available_replicas']} available"
                )
        if message:
            text = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
            head += f"<br><code>{text}</code>"
        return head

    # ---- redrawing -------------------------------------------------------------------------------------------

    def refresh(self, message: str = "") -> None:
        """Read the cluster again and redraw: a new figure, the pickers and the status line."""
        self.graph = self._graph()
        new = self._draw()
        old = self.figure
        self.figure, _ = _figure_widget(new)
        if self.in_place:
            self._box.children = (self.figure,)
            old.close()  # its comm and its model in the browser go
        else:
            self._show_static()
        self.redraws += 1
        nodes, pods = self._node_names(), self._pod_names()
        if list(self.node_picker.options) != nodes:
            keep = self.node_picker.value
            self.node_picker.options = nodes
            if keep in nodes:
                self.node_picker.value = keep
        if list(self.pod_picker.options) != pods:
            self.pod_picker.options = pods
        replicas = self._replicas()
        if replicas is not None and replicas != self.replicas.value:
            self.replicas.unobserve(self._on_replicas, names="value")
            self.replicas.max = max(self.replicas.max, replicas)
            self.replicas.value = replicas
            self.replicas.observe(self._on_replicas, names="value")
        self.status.value = self._status_line(message)

    def _show_static(self) -> None:
        assert self._output is not None
        self._output.clear_output(wait=True)
        with self._output:
            from IPython.display import display

            display(self.figure)

    def _act(self, action: str, fn: Any) -> str:
        """Run one action; its output or its error becomes the status message. Never raises."""
        try:
            result = fn()
            message = str(result) if result is not None else ""
        except StatusError as err:
            message = f"Error from server ({err.reason or err.code}): {err}"
        except Exception as err:  # a verb's own error (ApplyError, NodeError, RolloutError, ValueError)
            message = str(err) if str(err).startswith(("error", "Error")) else f"error: {err}"
        self.history.append((self.cluster.now, action, message))
        self.refresh(message)
        return message

    # ---- the actions -----------------------------------------------------------------------------------------

    def _on_replicas(self, change: dict) -> None:
        self.scale(change["new"])

    def scale(self, replicas: int) -> str:
        """``kubectl scale deployment/<name> --replicas=N``."""

        def scale() -> str:
            if self.deployment is None:
                raise ValueError("no Deployment to scale")
            return self.cluster.scale(f"deployment/{self.deployment}", replicas, namespace=self.namespace)

        return self._act(f"scale {replicas}", scale)

    def fail_node(self, node: str | None, mode: str = "crash") -> str:
        """Crash a Node, or cut it off the API server (``mode="partition"``)."""

        def fail() -> str:
            if not node:
                raise ValueError("pick a Node first")
            self.cluster.fail_node(node, mode)
            return f"node/{node}: {'crashed' if mode == 'crash' else 'cut off from the API server'}"

        return self._act(f"fail {node} ({mode})", fail)

    def recover_node(self, node: str | None) -> str:
        """Bring a failed Node back."""

        def recover() -> str:
            if not node:
                raise ValueError("pick a Node first")
            self.cluster.recover_node(node)
            return f"node/{node}: back"

        return self._act(f"recover {node}", recover)

    def delete_pod(self, pod: str | None) -> str:
        """``kubectl delete pod <name>`` (graceful: the Pod is Terminating for up to its grace period)."""

        def delete() -> str:
            if not pod:
                raise ValueError("pick a Pod first")
            return self.cluster.delete("pods", pod, namespace=self.namespace)

        return self._act(f"delete pod {pod}", delete)

    def step(self, duration: str | float = "10s") -> str:
        """Run the simulated clock for ``duration``."""

        def run() -> str:
            seconds = parse_duration(duration)
            self.cluster.run_for(seconds)
            return f"ran the clock {format_duration(seconds)}, to {format_mss(self.cluster.now)}"

        return self._act(f"run {duration}", run)

    def apply(self, manifest: str) -> str:
        """``kubectl apply -f`` of ``manifest`` (YAML text)."""

        def apply() -> str:
            if not manifest.strip():
                raise ValueError("the manifest is empty")
            return str(self.cluster.apply(manifest))

        message = self._act("apply", apply)
        if self.deployment is None:
            self.deployment = self._first_deployment()
            if self.deployment is not None:
                self.replicas.disabled = False
                self.replicas.description = f"replicas of {self.deployment}"
                self.refresh(message)
        return message

    # ---- display ---------------------------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        if os.environ.get(BOOK_BUILD_ENV):
            return {"text/markdown": BOOK_NOTE, "text/plain": BOOK_NOTE}
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self) -> None:
        from IPython.display import Markdown, display

        display(Markdown(BOOK_NOTE) if os.environ.get(BOOK_BUILD_ENV) else self.widget)


BOOK_BUILD_ENV = "K8SMODEL_BOOK_BUILD"
"""Set by ``make book`` for the build: a dashboard displayed then shows :data:`BOOK_NOTE` instead of itself. Its
``FigureWidget`` is an anywidget whose state carries plotly's 5 MB widget bundle and whose script the book's widget
manager would fetch from a CDN; the rendered book has no kernel to drive it anyway, and each dashboard has a
kernel-free twin (:mod:`k8smodel.views.frames`)."""
BOOK_NOTE = (
    "*The dashboard needs a running kernel: open this chapter in JupyterLab (`make lab`) to use it. "
    "In the rendered book, the figure after it is its kernel-free twin.*"
)


__all__ = ["BOOK_BUILD_ENV", "BOOK_NOTE", "FAILURE_MODES", "STEPS", "Dashboard"]
