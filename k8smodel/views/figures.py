"""figures: the book's plotly figures of a cluster, all in one style (:mod:`k8smodel.views.style`).

Each function reads the cluster now (through :func:`k8smodel.views.graph.cluster_graph`, i.e. the API server) and
returns a :class:`plotly.graph_objects.Figure` with a title, labelled axes with units and a legend that names
Kubernetes things the way the text does:

* :func:`topology` — Nodes as boxes holding their Pods, grouped by zone; each Pod coloured by its owner (the
  Deployment, or bare ReplicaSet, at the top of its controller chain) and shaped by its state; hover for details.
* :func:`timeline` — a workload's desired / current / updated / ready / available replicas over simulated time
  (``m:ss``), with its Events as markers, from a :class:`Sampler` that records them as the clock runs.
* :func:`node_resources` — per Node, the CPU and memory that its Pods request, stacked by owner, against what the
  Node can give (``status.allocatable``), as ``kubectl describe node`` sums them ("Allocated resources": the
  requests of its non-terminated Pods, ``staging/src/k8s.io/kubectl/pkg/describe/describe.go``,
  ``describeNodeResource`` and ``getPodsTotalRequestsAndLimits``).
* :func:`architecture` — the study notes' picture of a cluster, live: the control plane (API server, etcd, the
  controller manager with the controllers that run in it, the scheduler, the cloud controller manager) and the
  worker Nodes (kubelet, kube-proxy, container runtime), each component with what it watches and what it did.

Each figure stays well under 300 KB of JSON for a 20-node, 200-Pod cluster (``tests/test_views_figures.py``
checks it): one trace per owner rather than per Pod, Node boxes as layout shapes, the book's small template.

What the model leaves out
    * kube-proxy and the cloud controller manager are not modelled yet: :func:`architecture` draws them greyed and
      dashed, marked "not modelled".
    * The container runtime is part of the model's kubelet (``k8smodel/kubelet/runtime.py``), drawn inside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from k8smodel.api.kinds import UnknownKind, for_resource
from k8smodel.sim import parse_duration
from k8smodel.views import graph as graphs
from k8smodel.views import style
from k8smodel.views.style import OwnerColours, format_mss

TOPOLOGY_KINDS = ("Node", "Deployment", "ReplicaSet", "Pod")


class FigureError(ValueError):
    """A figure was asked for with an argument it cannot use: the message says which and why."""


def _owner_label(g: nx.MultiDiGraph, owner: str | None) -> str:
    if owner is None:
        return "no owner (bare Pod)"
    data = g.nodes[owner]
    return f"{data['kind']} {data['name']}"


def _scatter(**props: Any) -> dict[str, Any]:
    """A scatter trace as plain JSON (properties given as ``None`` left out)."""
    return {"type": "scatter", **{k: v for k, v in props.items() if v is not None}}


def _graph(cluster: Any, graph: nx.MultiDiGraph | None, kinds: Sequence[str]) -> nx.MultiDiGraph:
    return graph if graph is not None else graphs.cluster_graph(cluster, kinds=kinds, components=False)


# --- topology ---------------------------------------------------------------------------------------------------


@dataclass
class _Box:
    """A Node's box (or the box of Pods without a Node) on the topology canvas."""

    key: str
    title: str
    hover: str
    pods: list[str]
    fill: str
    line: str
    dash: str
    x: float = 0.0
    y: float = 0.0


UNSCHEDULED = "not scheduled"
TOPOLOGY_WIDTH = 960  # px: the width the marker sizes are computed for (the figure still fits its container)
LEGEND_WIDTH = 260  # px the legend takes on the right


def topology_spec(
    cluster: Any,
    *,
    graph: nx.MultiDiGraph | None = None,
    colour_by: str = "owner",
    colours: OwnerColours | None = None,
    nodes_per_row: int | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """:func:`topology` as plain plotly JSON (``{"data": [...], "layout": {...}}``), for a caller that skips
    plotly's validation (the dashboard, which redraws on every click).

    ``colour_by="owner"`` (the default) colours each Pod by its owner and shapes it by its state (the legend has
    both); ``colour_by="phase"`` colours by state too. ``colours`` keeps owner colours from one call to the next (a
    dashboard passes its own). A Node's box is white when Ready, grey with a dashed red outline when not, dotted
    when cordoned; Pods without a Node wait in a box of their own. ``graph`` reuses a graph already built."""
    if colour_by not in ("owner", "phase"):
        raise FigureError(f'topology: colour_by must be "owner" or "phase", got {colour_by!r}')
    g = _graph(cluster, graph, TOPOLOGY_KINDS)
    colours = colours if colours is not None else OwnerColours()
    pods = graphs.of_kind(g, "Pod")
    owners = sorted({g.nodes[p].get("owner") for p in pods} - {None}, key=graphs.natural_key)
    for owner in owners:
        colours(owner)

    # the boxes, by zone
    bands: dict[str, list[_Box]] = {}
    on_node: dict[str, list[str]] = {}
    unscheduled: list[str] = []
    for p in pods:
        node = g.nodes[p].get("node")
        if node is not None and graphs.node_id("Node", node) in g:
            on_node.setdefault(node, []).append(p)
        else:
            unscheduled.append(p)
    for n in graphs.of_kind(g, "Node"):
        d = g.nodes[n]
        ready_key = d["status"].split(",")[0]
        fill, line, dash = style.NODE_BOX.get(ready_key, style.NODE_BOX["Unknown"])
        if d["unschedulable"]:
            dash = style.CORDONED_DASH
        mine = on_node.get(d["name"], [])
        alloc = d["allocatable"]
        hover = (
            f"<b>Node {d['name']}</b><br>{d['status']}"
            + (f" · zone {d['zone']}" if d["zone"] else "")
            + f"<br>{style.plural('Pod', len(mine))} of {alloc['pods']} allowed"
            + f"<br>allocatable: {alloc['cpu'] / 1000:g} CPU, {alloc['memory'] / 2**30:.1f} GiB"
            + (f"<br>taints: {', '.join(d['taints'])}" if d["taints"] else "")
        )
        bands.setdefault(d["zone"] or "no zone", []).append(_Box(n, d["name"], hover, mine, fill, line, dash))
    zones = sorted(bands, key=graphs.natural_key)
    if unscheduled:
        zones.append(UNSCHEDULED)
        bands[UNSCHEDULED] = [
            _Box(
                UNSCHEDULED,
                f"no Node · {style.plural('Pod', len(unscheduled))}",
                "<b>Pods without a Node</b><br>waiting for the scheduler, or on a Node that is gone",
                unscheduled,
                style.PAPER,
                style.GREY,
                "dot",
            )
        ]

    # geometry: every box the same size, sized for the fullest one; Pods in a grid of unit cells
    most = max([len(b.pods) for zone in zones for b in bands[zone]] + [1])
    cols = max(3, math.ceil(math.sqrt(most * 1.6)))
    rows = max(1, math.ceil(most / cols))
    box_w, box_h = cols + 0.6, rows + 1.3  # 0.3 padding each side; 1.0 header for the Node's name
    gap = 0.6
    widest = max(len(bands[z]) for z in zones) if zones else 1
    # as many Nodes to a row as keep a Pod's mark at least about 9 px wide (60 units across, at most 10 Nodes)
    per_row = nodes_per_row or max(1, min(widest, int(60 // (box_w + gap)), 10))
    if per_row < 1:
        raise FigureError(f"topology: nodes_per_row must be at least 1, got {nodes_per_row}")
    label_w = 1.8  # room for the zone's name on the left
    y = 0.0
    zone_labels: list[tuple[str, float, float]] = []
    for zone in zones:
        boxes = bands[zone]
        lines = math.ceil(len(boxes) / per_row)
        top = y
        for i, box in enumerate(boxes):
            box.x = label_w + (i % per_row) * (box_w + gap)
            box.y = y - (i // per_row) * (box_h + gap)
        y -= lines * (box_h + gap)
        zone_labels.append((zone, top, y + gap))
        y -= gap  # a little more between zones
    width_units = label_w + per_row * (box_w + gap)
    height_units = max(-y, 1.0)
    px_per_unit = max(6.0, min(40.0, (TOPOLOGY_WIDTH - LEGEND_WIDTH) / width_units))
    marker = max(4.0, min(16.0, 0.7 * px_per_unit))
    plot_height = height_units * px_per_unit
    height = int(max(360, min(2400, plot_height + 120)))

    # shapes: the boxes; text: the Nodes' names (a trace, so that it can carry the hover)
    shapes: list[dict[str, Any]] = []
    label_x, label_y, label_text, label_hover = [], [], [], []
    pod_xy: dict[str, tuple[float, float]] = {}
    for zone in zones:
        for box in bands[zone]:
            shapes.append(
                {
                    "type": "rect",
                    "x0": round(box.x, 3),
                    "x1": round(box.x + box_w, 3),
                    "y0": round(box.y - box_h, 3),
                    "y1": round(box.y, 3),
                    "fillcolor": box.fill,
                    "line": {"color": box.line, "width": 1.5, "dash": box.dash},
                    "layer": "below",
                }
            )
            label_x.append(round(box.x + 0.3, 3))
            label_y.append(round(box.y - 0.5, 3))
            label_text.append(box.title)
            label_hover.append(box.hover)
            for k, p in enumerate(box.pods):
                pod_xy[p] = (round(box.x + 0.8 + k % cols, 3), round(box.y - 1.3 - k // cols - 0.5 + 0.2, 3))
    annotations = [
        {
            "x": 0.0,
            "y": round((top + bottom) / 2, 3),
            "xref": "x",
            "yref": "y",
            "text": f"<b>{zone}</b>",
            "showarrow": False,
            "textangle": -90,
            "xanchor": "left",
            "font": {"size": 13},
        }
        for zone, top, bottom in zone_labels
    ]

    traces: list[dict[str, Any]] = [
        _scatter(
            x=label_x,
            y=label_y,
            mode="text",
            text=label_text,
            textposition="middle right",
            textfont={"size": 11},
            hovertext=label_hover,
            hovertemplate="%{hovertext}<extra></extra>",
            name="Nodes",
            showlegend=False,
        )
    ]

    def pod_hover(p: str) -> str:
        d = g.nodes[p]
        state = style.POD_STATES[d["state"]][0]
        where = f" · {d['node']}" if d.get("node") else ""
        ip = f"<br>IP {d['ip']}" if d.get("ip") else ""
        return (
            f"<b>Pod {d['name']}</b><br>{state}{where}<br>owner: {_owner_label(g, d.get('owner'))}{ip}"
            f" · restarts {d['restarts']}"
        )

    placed = [p for p in pods if p in pod_xy]
    if colour_by == "owner":
        groups = [*owners, None]
        for owner in groups:
            members = [p for p in placed if g.nodes[p].get("owner") == owner]
            if not members and owner is None:
                continue
            label = _owner_label(g, owner)
            colour = colours(owner)
            # the legend's swatch (a plain square), then the Pods, toggled together
            traces.append(
                _scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    marker={"symbol": "square", "size": 11, "color": colour},
                    name=label,
                    legendgroup=label,
                    legendgrouptitle={"text": "owner"} if owner == groups[0] else None,
                    hoverinfo="skip",
                )
            )
            traces.append(
                _scatter(
                    x=[pod_xy[p][0] for p in members],
                    y=[pod_xy[p][1] for p in members],
                    mode="markers",
                    marker={
                        "symbol": [style.POD_STATES[g.nodes[p]["state"]][1] for p in members],
                        "size": marker,
                        "color": colour,
                        "line": {"width": 1.5, "color": colour},
                    },
                    hovertext=[pod_hover(p) for p in members],
                    hovertemplate="%{hovertext}<extra></extra>",
                    name=label,
                    legendgroup=label,
                    showlegend=False,
                )
            )
        for i, (state, (label, symbol, _)) in enumerate(style.POD_STATES.items()):
            traces.append(
                _scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    marker={"symbol": symbol, "size": 11, "color": style.INK, "line": {"width": 1.5}},
                    name=label,
                    legendgroup=f"state:{state}",
                    legendgrouptitle={"text": "Pod state"} if i == 0 else None,
                    hoverinfo="skip",
                )
            )
    else:
        for state, (label, symbol, colour) in style.POD_STATES.items():
            members = [p for p in placed if g.nodes[p]["state"] == state]
            traces.append(
                _scatter(
                    x=[pod_xy[p][0] for p in members] or [None],
                    y=[pod_xy[p][1] for p in members] or [None],
                    mode="markers",
                    marker={"symbol": symbol, "size": marker, "color": colour, "line": {"width": 1.5, "color": colour}},
                    hovertext=[pod_hover(p) for p in members],
                    hovertemplate="%{hovertext}<extra></extra>",
                    name=label,
                )
            )

    for i, (label, (fill, line, _dash)) in enumerate(
        [
            ("Ready", style.NODE_BOX["Ready"]),
            ("NotReady or Unknown", style.NODE_BOX["NotReady"]),
            ("cordoned (dotted)", (style.PAPER, style.INK, style.CORDONED_DASH)),
        ]
    ):
        traces.append(
            _scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 14, "color": fill, "line": {"width": 2, "color": line}},
                name=label,
                legendgroup=f"node:{label}",
                legendgrouptitle={"text": "Node (box)"} if i == 0 else None,
                hoverinfo="skip",
            )
        )
    entries = sum(1 for t in traces if t.get("showlegend") is not False)
    height = max(height, entries * 24 + 3 * 26 + 110)  # never a scrolling legend
    n_nodes = len(graphs.of_kind(g, "Node"))
    ready = sum(1 for n in graphs.of_kind(g, "Node") if g.nodes[n]["ready"])
    running = sum(1 for p in pods if g.nodes[p]["state"] == "Running")
    default_title = (
        f"Cluster at {format_mss(g.graph.get('time', 0.0))}: {style.plural('Node', n_nodes)} ({ready} Ready), "
        f"{style.plural('Pod', len(pods))} ({running} Running and Ready)"
    )
    layout = style.base_layout(
        title or default_title,
        height=height,
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1.0, "yanchor": "top"},
        margin={"l": 20, "r": 20, "t": 60, "b": 50},
    )
    annotations.append(
        {
            "text": "each box is a Node; each mark a Pod (hover for details)",
            "x": 0,
            "y": -0.01,
            "xref": "paper",
            "yref": "paper",
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "font": {"size": 11, "color": style.GREY},
        }
    )
    layout.update(
        shapes=shapes,
        annotations=annotations,
        xaxis={"range": [-0.2, round(width_units, 3)], "visible": False, "fixedrange": True},
        yaxis={"range": [round(-height_units - 0.2, 3), 0.3], "visible": False, "fixedrange": True, "scaleanchor": "x"},
    )
    return {"data": traces, "layout": layout}


def topology(
    cluster: Any,
    *,
    graph: nx.MultiDiGraph | None = None,
    colour_by: str = "owner",
    colours: OwnerColours | None = None,
    nodes_per_row: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Nodes as boxes holding their Pods, grouped by zone (one band per zone, Nodes in name order).

    ``colour_by="owner"`` (the default) colours each Pod by its owner and shapes it by its state (the legend has
    both); ``colour_by="phase"`` colours by state too. ``colours`` keeps owner colours from one call to the next (a
    dashboard passes its own). A Node's box is white when Ready, grey with a dashed red outline when not, dotted
    when cordoned; Pods without a Node wait in a box of their own. ``graph`` reuses a graph already built."""
    spec = topology_spec(
        cluster, graph=graph, colour_by=colour_by, colours=colours, nodes_per_row=nodes_per_row, title=title
    )
    return go.Figure(spec)


# --- the sampler and the timeline -------------------------------------------------------------------------------

SAMPLE_COLUMNS = ("time", "desired", "current", "updated", "ready", "available")
EVENT_COLUMNS = ("time", "type", "reason", "object", "message")


@dataclass
class Samples:
    """What a :class:`Sampler` recorded: one row per sample, and the Events it saw."""

    target: str
    rows: list[tuple[float, int, int, int, int, int]] = field(default_factory=list)
    events: list[tuple[float, str, str, str, str]] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The samples as a DataFrame: ``time`` (simulated seconds) and one column per series."""
        return pd.DataFrame(self.rows, columns=list(SAMPLE_COLUMNS))

    def events_frame(self) -> pd.DataFrame:
        """The Events as a DataFrame: ``time, type, reason, object, message``."""
        return pd.DataFrame(self.events, columns=list(EVENT_COLUMNS))


class Sampler:
    """Record a Deployment's or ReplicaSet's replica counts every ``every`` simulated seconds, and its Events.

    ``Sampler(cluster, "deployment/web")`` samples now and then every 5 s (``every="5s"``) as the clock runs:
    desired (``spec.replicas``), current (``status.replicas``), updated (``status.updatedReplicas``, a Deployment's;
    a ReplicaSet's Pods are all "updated"), ready (``status.readyReplicas``) and available
    (``status.availableReplicas``), each one read through the API server (a ``list`` by name: reads are not
    logged, and nothing is written, so sampling changes nothing in the run). A target that does not exist (yet,
    or any more) samples as zeros.

    Events: a watch on the namespace's Events keeps each new Event and each repeat (a ``count`` increase) at the
    simulated moment it was written, if it is about the target, one of its ReplicaSets, or — for Warnings only, by
    default — one of their Pods. Objects a controller creates are named after their owner (a Deployment's
    ReplicaSets ``<deployment>-<pod-template-hash>``, a ReplicaSet's Pods ``<replicaset>-<random suffix>``), which
    is how the sampler tells them: ``pod_events="all"`` keeps every Pod Event (Scheduled, Pulling, Started...),
    ``"none"`` none. :meth:`stop` ends the sampling and the watch (a cluster with a sampler always has something
    scheduled).
    """

    def __init__(
        self,
        cluster: Any,
        target: str,
        *,
        every: float | str = "5s",
        namespace: str | None = None,
        events: bool = True,
        pod_events: str = "warnings",
    ) -> None:
        resource, _, name = target.partition("/")
        try:
            kind = for_resource(resource)
        except UnknownKind as err:
            raise FigureError(f"Sampler: target {target!r}: {err}") from None
        if kind.kind not in ("Deployment", "ReplicaSet") or not name:
            raise FigureError(f'Sampler: target must be "deployment/<name>" or "replicaset/<name>", got {target!r}')
        if pod_events not in ("warnings", "all", "none"):
            raise FigureError(f'Sampler: pod_events must be "warnings", "all" or "none", got {pod_events!r}')
        period = parse_duration(every)
        if not period > 0:
            raise FigureError(f"Sampler: every must be a positive duration, got {every!r}")
        self.cluster = cluster
        self.kind = kind
        self.name = name
        self.namespace = namespace or "default"
        self.pod_events = pod_events
        self.samples = Samples(f"{kind.kind.lower()}/{name}")
        self._last: tuple[int, int, int, int, int] | None = None
        self._watch: Any = None
        self._seen: dict[str, int] = {}
        self.sample()
        self._timer = cluster.sim.every(period, self.sample, start=cluster.now + period)
        if events:
            rv = str(cluster.etcd.revision)
            self._watch = cluster.api.watch("events", self.namespace, rv, None, self._on_event, user=cluster.user)

    def sample(self) -> None:
        """Take one sample now (the timer calls it; call it yourself for an extra one)."""
        # a list by name rather than a get: a get of a missing object is a refused request, which the API server
        # logs, and sampling must leave the event log as it would be without it
        items, _ = self.cluster.api.list(
            self.kind, self.namespace, field_selector=f"metadata.name={self.name}", user=self.cluster.user
        )
        obj = items[0] if items else None
        if obj is None:
            values = (0, 0, 0, 0, 0)
        else:
            spec, status = obj.get("spec") or {}, obj.get("status") or {}
            current = status.get("replicas", 0)
            values = (
                spec.get("replicas", 1),
                current,
                status.get("updatedReplicas", 0) if self.kind.kind == "Deployment" else current,
                status.get("readyReplicas", 0),
                status.get("availableReplicas", 0),
            )
        self.samples.rows.append((self.cluster.now, *values))
        self._last = values

    def _related(self, involved: Mapping[str, Any]) -> str | None:
        """``"self"``, ``"owned"`` (a ReplicaSet of the Deployment), ``"pod"`` or ``None``."""
        kind, name = involved.get("kind"), str(involved.get("name", ""))
        if kind == self.kind.kind and name == self.name:
            return "self"
        if not name.startswith(self.name + "-"):
            return None
        if kind == "ReplicaSet" and self.kind.kind == "Deployment":
            return "owned"
        if kind == "Pod":
            return "pod"
        return None

    def _on_event(self, verb: str, event: Mapping[str, Any] | None) -> None:
        if event is None or verb not in ("ADDED", "MODIFIED"):
            return
        involved = event.get("involvedObject") or {}
        relation = self._related(involved)
        if relation is None:
            return
        kind = event.get("type") or "Normal"
        if relation == "pod" and (self.pod_events == "none" or (self.pod_events == "warnings" and kind != "Warning")):
            return
        uid = (event.get("metadata") or {}).get("uid", "")
        count = int(event.get("count") or 1)
        if self._seen.get(uid, 0) >= count:
            return  # the same occurrence again (an update that did not repeat the Event)
        self._seen[uid] = count
        obj = f"{str(involved.get('kind', '')).lower()}/{involved.get('name', '')}"
        self.samples.events.append(
            (self.cluster.now, kind, str(event.get("reason", "")), obj, str(event.get("message", "")))
        )

    def stop(self) -> Samples:
        """Stop sampling and watching; returns the samples."""
        self._timer.cancel()
        if self._watch is not None:
            self._watch.stop()
            self._watch = None
        return self.samples

    def frame(self) -> pd.DataFrame:
        return self.samples.frame()

    def events_frame(self) -> pd.DataFrame:
        return self.samples.events_frame()


def _compress(times: list[float], values: list[int]) -> tuple[list[float], list[int]]:
    """A step series without its repeated values (the first and last points kept): far less JSON, same drawing."""
    if not times:
        return [], []
    xs, ys = [times[0]], [values[0]]
    for t, v in zip(times[1:-1], values[1:-1], strict=True):
        if v != ys[-1]:
            xs.append(t)
            ys.append(v)
    if len(times) > 1:
        xs.append(times[-1])
        ys.append(values[-1])
    return xs, ys


def timeline(
    samples: Sampler | Samples | pd.DataFrame,
    events: pd.DataFrame | Sequence[tuple] | None = None,
    *,
    series: Sequence[str] = ("desired", "current", "ready", "available"),
    origin: float = 0.0,
    origin_label: str | None = None,
    title: str | None = None,
    height: int = 480,
) -> go.Figure:
    """Replica counts over simulated time as step lines, with Events as markers in a strip above.

    ``samples`` is a :class:`Sampler`, its :class:`Samples`, or a DataFrame with a ``time`` column and a column per
    series; ``events`` (default: the sampler's) has ``time, type, reason, object, message``; Events of one reason
    within the same simulated second share a marker (its hover says how many). Times are shown in
    ``m:ss`` after ``origin`` (simulated seconds; ``origin_label`` names that moment on the axis, e.g. ``"the
    apply"``)."""
    target = ""
    if isinstance(samples, Sampler):
        samples = samples.samples
    if isinstance(samples, Samples):
        target = samples.target
        frame = samples.frame()
        if events is None:
            events = samples.events_frame()
    elif isinstance(samples, pd.DataFrame):
        frame = samples
    else:
        raise FigureError(f"timeline: samples must be a Sampler, Samples or DataFrame, not {type(samples).__name__}")
    unknown = [s for s in series if s not in style.SERIES]
    if unknown:
        raise FigureError(f"timeline: unknown series {unknown}; known: {', '.join(style.SERIES)}")
    missing = [c for c in ("time", *series) if c not in frame.columns]
    if missing:
        raise FigureError(f"timeline: the samples have no column {', '.join(missing)}")
    if events is not None and not isinstance(events, pd.DataFrame):
        events = pd.DataFrame(list(events), columns=list(EVENT_COLUMNS))
    has_events = events is not None and len(events) > 0

    times = [float(t) - origin for t in frame["time"]]
    end = max(times) if times else 1.0
    start = min(times) if times else 0.0
    if has_events:
        start = min(start, float(events["time"].min()) - origin)
        end = max(end, float(events["time"].max()) - origin)
    top = max([int(frame[s].max()) for s in series if len(frame)] + [1])

    if has_events:
        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.25, 0.75], vertical_spacing=0.04)
        row = {"row": 2, "col": 1}
    else:
        fig = go.Figure()
        row = {}
    # widest line first, so that equal series stay visible on top of each other; the legend keeps the given order
    for name in sorted(series, key=lambda s: -style.SERIES[s][3]):
        label, colour, dash, width = style.SERIES[name]
        xs, ys = _compress(times, [int(v) for v in frame[name]])
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"shape": "hv", "color": colour, "dash": dash, "width": width},
                name=label,
                legendrank=100 + list(series).index(name),
                customdata=[format_mss(x) for x in xs],
                hovertemplate=f"%{{customdata}}: %{{y}} {name}<extra></extra>",
            ),
            **row,
        )
    if has_events:
        reasons = list(dict.fromkeys(events["reason"]))
        for kind, (symbol, colour) in style.EVENT_MARKERS.items():
            part = events[events["type"] == kind]
            if not len(part):
                continue
            # one marker per (second, reason): a Node failure's burst of NodeNotReady is one mark, "×11"
            groups: dict[tuple[int, str], list[tuple[float, str, str]]] = {}
            for t, r, o, m in zip(part["time"], part["reason"], part["object"], part["message"], strict=True):
                groups.setdefault((int(float(t) // 1), r), []).append((float(t), o, m))
            xs, ys, data = [], [], []
            for (_, reason), items in groups.items():
                t, o, m = items[0]
                more = f" and {len(items) - 1} more" if len(items) > 1 else ""
                xs.append(round(t - origin, 3))
                ys.append(reason)
                data.append([format_mss(t - origin), f"{o}{more}", f"×{len(items)}: {m}" if more else m])
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="markers",
                    marker={"symbol": symbol, "size": 10, "color": colour, "line": {"width": 1, "color": colour}},
                    name=f"{kind} Event",
                    customdata=data,
                    hovertemplate="%{customdata[0]} %{y} (%{customdata[1]})<br>%{customdata[2]}<extra></extra>",
                ),
                row=1,
                col=1,
            )
        fig.update_yaxes(
            title={"text": "Events"},
            type="category",
            categoryorder="array",
            categoryarray=list(reversed(reasons)),
            row=1,
            col=1,
        )
    axis_title = f"time after {origin_label} (m:ss)" if origin_label else "simulated time (m:ss)"
    x_axis = style.time_axis(start, end, axis_title)
    default_title = f"{target or 'workload'}: replicas over time"
    style.apply(fig, title or default_title, height=height if has_events else height - 80)
    if has_events:
        fig.update_xaxes(**{k: v for k, v in x_axis.items() if k != "title"}, row=1, col=1)
        fig.update_xaxes(**x_axis, row=2, col=1)
        fig.update_yaxes(title={"text": "Pods"}, range=[-0.3, top + 0.6], row=2, col=1)
    else:
        fig.update_xaxes(**x_axis)
        fig.update_yaxes(title={"text": "Pods"}, range=[-0.3, top + 0.6])
    return fig


# --- node resources ---------------------------------------------------------------------------------------------


def node_resources(
    cluster: Any,
    *,
    graph: nx.MultiDiGraph | None = None,
    colours: OwnerColours | None = None,
    title: str | None = None,
) -> go.Figure:
    """Per Node (grouped by zone), the CPU and memory its non-terminated Pods request, stacked by owner, with the
    Node's allocatable as a black tick over each stack: ``kubectl describe node``'s "Allocated resources", for
    every Node."""
    g = _graph(cluster, graph, TOPOLOGY_KINDS)
    colours = colours if colours is not None else OwnerColours()
    nodes = sorted(
        graphs.of_kind(g, "Node"), key=lambda n: (graphs.natural_key(g.nodes[n]["zone"]), graphs.natural_key(n))
    )
    names = [g.nodes[n]["name"] for n in nodes]
    ticks = [
        f"{g.nodes[n]['name']}<br>{g.nodes[n]['zone']}" if g.nodes[n]["zone"] else g.nodes[n]["name"] for n in nodes
    ]
    # requests of the non-terminated Pods on each Node, by owner
    sums: dict[str | None, dict[str, list[float]]] = {}
    index = {name: i for i, name in enumerate(names)}
    for p in graphs.of_kind(g, "Pod"):
        d = g.nodes[p]
        if d.get("node") not in index or d["phase"] in ("Succeeded", "Failed"):
            continue
        per = sums.setdefault(d.get("owner"), {"cpu": [0.0] * len(names), "memory": [0.0] * len(names)})
        i = index[d["node"]]
        per["cpu"][i] += d["requests"]["cpu"] / 1000
        per["memory"][i] += d["requests"]["memory"] / 2**30
    owners = sorted((o for o in sums if o is not None), key=graphs.natural_key) + ([None] if None in sums else [])
    for o in owners:
        colours(o)
    alloc_cpu = [g.nodes[n]["allocatable"]["cpu"] / 1000 for n in nodes]
    alloc_mem = [g.nodes[n]["allocatable"]["memory"] / 2**30 for n in nodes]

    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
    )
    x = [[g.nodes[n]["zone"] or "no zone" for n in nodes], names]  # a two-level axis: Nodes grouped by zone
    for o in owners:
        label = _owner_label(g, o)
        for r, res, unit, alloc in ((1, "cpu", "cores", alloc_cpu), (2, "memory", "GiB", alloc_mem)):
            vals = [round(v, 4) for v in sums[o][res]]
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=vals,
                    name=label,
                    legendgroup=label,
                    showlegend=r == 1,
                    marker={"color": colours(o), "line": {"width": 0}},
                    customdata=[
                        [f"{100 * v / a:.0f}" if a else "–", t.replace("<br>", " · ")]
                        for v, a, t in zip(vals, alloc, ticks, strict=True)
                    ],
                    hovertemplate=f"{label} on %{{customdata[1]}}: %{{y:.2f}} {unit} (%{{customdata[0]}} % of "
                    "allocatable)<extra></extra>",
                ),
                row=r,
                col=1,
            )
    tick_px = max(4, min(60, int(0.8 * (TOPOLOGY_WIDTH - 140) / max(len(names), 1))))
    for r, unit, alloc in ((1, "cores", alloc_cpu), (2, "GiB", alloc_mem)):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[round(a, 4) for a in alloc],
                mode="markers",
                name="allocatable (status.allocatable)",
                legendgroup="allocatable",
                showlegend=r == 1,
                marker={
                    "symbol": "line-ew-open",
                    "size": tick_px,
                    "color": style.INK,
                    "line": {"color": style.INK, "width": 2.5},
                },
                customdata=names,
                hovertemplate=f"%{{customdata}}: %{{y:.2f}} {unit} allocatable<extra></extra>",
            ),
            row=r,
            col=1,
        )
    default = f"Requests against allocatable, per Node (at {format_mss(g.graph.get('time', 0.0))})"
    style.apply(
        fig,
        title or default,
        height=620,
        legend={"orientation": "h", "x": 1.0, "xanchor": "right", "y": 1.01, "yanchor": "bottom"},
        margin={"t": 90},
        barmode="stack",
        bargap=0.25,
    )
    fig.update_xaxes(title={"text": "Node (zone)"}, row=2, col=1)
    fig.update_yaxes(title={"text": "CPU (cores)"}, rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title={"text": "memory (GiB)"}, rangemode="tozero", row=2, col=1)
    return fig


# --- architecture -----------------------------------------------------------------------------------------------

_NOT_MODELLED_FILL = "#F4F4F4"


def architecture(
    cluster: Any, *, graph: nx.MultiDiGraph | None = None, max_nodes: int = 4, title: str | None = None
) -> go.Figure:
    """The study notes' picture of a cluster, drawn from :func:`~k8smodel.views.graph.architecture`: the control
    plane (API server, etcd, the controller manager and its controllers, the scheduler, the cloud controller
    manager) and up to ``max_nodes`` worker Nodes (kubelet, kube-proxy, container runtime), with the request arrows
    (every component talks only to the API server, which alone talks to etcd) and, per component, what it watches.
    Hover a component for its live counts (reconciles, syncs, Pods scheduled)."""
    if max_nodes < 0:
        raise FigureError(f"architecture: max_nodes must not be negative, got {max_nodes}")
    g = graph if graph is not None else graphs.cluster_graph(cluster, kinds=("Node", "Pod"))
    arch = graphs.architecture(g)
    comps = {d["name"]: d for _, d in arch.nodes(data=True) if d.get("kind") == "Component"}

    def watches(name: str) -> list[str]:
        cid = graphs.component_id(name)
        return [arch.nodes[v]["name"] for _, v, k in arch.out_edges(cid, keys=True) if k == "watches"]

    def watch_text(name: str, limit: int = 4) -> str:
        kinds = watches(name)
        if not kinds:
            return ""
        shown = ", ".join(style.plural(k) for k in kinds[:limit])
        return shown + (f" +{len(kinds) - limit}" if len(kinds) > limit else "")

    def stats(name: str) -> str:
        d = comps.get(name, {})
        parts = [f"{k.replace('_', ' ')}: {v}" for k, v in (d.get("stats") or {}).items()]
        state = "" if d.get("running") is None else ("running" if d.get("running") else "stopped")
        return " · ".join([state, *parts]) if state else " · ".join(parts)

    shapes: list[dict[str, Any]] = []
    texts: list[tuple[float, float, str, str, int]] = []  # x, y, text, anchor, size
    hovers: list[tuple[float, float, str]] = []
    arrows: list[dict[str, Any]] = []

    def box(
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: str = style.PAPER,
        line: str = style.INK,
        dash: str = "solid",
        width: float = 1.5,
    ) -> None:
        shapes.append(
            {
                "type": "rect",
                "x0": x0,
                "y0": y0,
                "x1": x1,
                "y1": y1,
                "fillcolor": fill,
                "line": {"color": line, "dash": dash, "width": width},
                "layer": "below",
            }
        )

    def arrow(
        x0: float, y0: float, x1: float, y1: float, text: str = "", colour: str = style.INK, both: bool = False
    ) -> None:
        arrows.append(
            {
                "x": x1,
                "y": y1,
                "ax": x0,
                "ay": y0,
                "xref": "x",
                "yref": "y",
                "axref": "x",
                "ayref": "y",
                "showarrow": True,
                "arrowhead": 2,
                "arrowsize": 1.2,
                "arrowwidth": 1.4,
                "arrowcolor": colour,
                "arrowside": "end+start" if both else "end",
                "text": "",
                "standoff": 2,
                "startstandoff": 2,
            }
        )
        if text:
            texts.append(((x0 + x1) / 2, (y0 + y1) / 2, text, "middle center", 10))

    # the two regions
    box(0, 0, 10, 10, fill="#FBFBFB", line=style.OKABE_ITO["blue"], width=2)
    texts.append((0.2, 9.7, "<b>control plane</b>", "middle right", 14))
    box(10.6, 0, 17, 10, fill="#FBFBFB", line=style.OKABE_ITO["bluish green"], width=2)
    texts.append((10.8, 9.7, "<b>worker Nodes</b>", "middle right", 14))

    # kube-apiserver and etcd
    box(3.6, 4.3, 6.6, 5.7, fill="#E8F1F8", line=style.OKABE_ITO["blue"], width=2.5)
    texts.append((5.1, 5.2, "<b>kube-apiserver</b>", "middle center", 13))
    texts.append((5.1, 4.75, "authn · RBAC · admission · validation", "middle center", 9))
    hovers.append(
        (
            5.1,
            5.0,
            f"<b>API server (kube-apiserver)</b><br>{stats('kube-apiserver')}<br>"
            "the only component that reads and writes etcd",
        )
    )
    box(0.4, 4.3, 2.6, 5.7, fill="#FFF6E0", line=style.OKABE_ITO["orange"], width=2)
    texts.append((1.5, 5.15, "<b>etcd</b>", "middle center", 13))
    texts.append(
        (1.5, 4.7, f"revision {comps.get('etcd', {}).get('stats', {}).get('revision', '')}", "middle center", 9)
    )
    hovers.append((1.5, 5.0, "<b>etcd</b><br>the key-value store: the single source of truth"))
    arrow(3.6, 5.0, 2.6, 5.0, both=True)

    # kubectl (you)
    box(7.3, 7.9, 9.7, 9.3, fill=style.PAPER, line=style.GREY, dash="dot")
    texts.append((8.5, 8.6, "<b>kubectl</b> (you)", "middle center", 12))
    arrow(8.2, 7.9, 6.3, 5.7)

    # kube-controller-manager: one line per controller
    controllers = [n for n, d in comps.items() if d.get("process") == "kube-controller-manager"]
    box(0.4, 6.3, 6.9, 9.4, fill=style.PAPER, line=style.INK)
    texts.append((0.6, 9.1, "<b>kube-controller-manager</b>", "middle right", 12))
    line_h = min(0.38, 2.5 / max(len(controllers), 1))
    for i, name in enumerate(controllers):
        y = 8.7 - i * line_h
        d = comps[name]
        colour = style.INK if d.get("running") is not False else style.GREY
        texts.append((0.7, y, f"<span style='color:{colour}'>{style.component_label(name)}</span>", "middle right", 10))
        texts.append((4.4, y, f"<span style='color:{style.GREY}'>{watch_text(name, 3)}</span>", "middle right", 9))
        hovers.append(
            (2.0, y, f"<b>{style.component_label(name)}</b><br>watches: {', '.join(watches(name))}<br>{stats(name)}")
        )
    if not controllers:
        texts.append((0.7, 8.2, "(starts with the first Node)", "middle right", 10))
    arrow(3.6, 6.3, 4.6, 5.7, both=True)

    # kube-scheduler
    sched = comps.get("kube-scheduler")
    box(0.4, 1.6, 4.3, 3.6, fill=style.PAPER, line=style.INK)
    texts.append((2.35, 3.1, "<b>kube-scheduler</b>", "middle center", 12))
    texts.append((2.35, 2.5, f"watches {watch_text('kube-scheduler')}" if sched else "", "middle center", 9))
    texts.append((2.35, 2.05, "filter · score · bind", "middle center", 9))
    hovers.append((2.35, 2.6, f"<b>scheduler (kube-scheduler)</b><br>{stats('kube-scheduler')}"))
    arrow(3.0, 3.6, 4.3, 4.3, both=True)

    # cloud controller manager: not modelled
    box(5.0, 1.6, 9.6, 3.6, fill=_NOT_MODELLED_FILL, line=style.GREY, dash="dash")
    texts.append(
        (7.3, 2.9, f"<span style='color:{style.GREY}'><b>cloud-controller-manager</b></span>", "middle center", 12)
    )
    texts.append((7.3, 2.3, f"<span style='color:{style.GREY}'>not modelled yet</span>", "middle center", 10))
    texts.append((5.0, 0.6, "arrows: requests to the API server (list, watch, create, update, ...)", "middle right", 9))

    # the worker Nodes
    node_ids = graphs.of_kind(g, "Node")
    kubelets = {d.get("node"): d for d in comps.values() if d.get("process") == "kubelet"}
    shown = node_ids[:max_nodes]
    slots = max(len(shown) + (1 if len(node_ids) > len(shown) else 0), 1)
    slot_h = 9.2 / slots
    pods_on: dict[str, int] = {}
    for p in graphs.of_kind(g, "Pod"):
        node = g.nodes[p].get("node")
        if node:
            pods_on[node] = pods_on.get(node, 0) + 1
    for i, nid in enumerate(shown):
        d = g.nodes[nid]
        top = 9.3 - i * slot_h
        bottom = top - slot_h + 0.25
        fill, line, dash = style.NODE_BOX.get(d["status"].split(",")[0], style.NODE_BOX["Unknown"])
        box(10.9, bottom, 16.7, top, fill=fill, line=line, dash=dash)
        mid = (top + bottom) / 2
        texts.append(
            (
                11.05,
                top - 0.3,
                f"<b>{d['name']}</b> · {d['status']} · {style.plural('Pod', pods_on.get(d['name'], 0))}",
                "middle right",
                11,
            )
        )
        kubelet = kubelets.get(d["name"])
        k_state = "" if kubelet is None else ("" if kubelet.get("running") else " (down)")
        if kubelet is not None and kubelet.get("reachable") is False:
            k_state = " (cut off)"
        texts.append((11.1, mid - 0.1, f"kubelet{k_state}", "middle right", 10))
        texts.append((13.0, mid - 0.1, "container runtime", "middle right", 10))
        texts.append((15.2, mid - 0.1, f"<span style='color:{style.GREY}'>kube-proxy*</span>", "middle right", 10))
        kname = f"kubelet/{d['name']}"
        hovers.append(
            (
                11.6,
                mid,
                f"<b>kubelet on {d['name']}</b><br>watches: {', '.join(watches(kname)) or '–'}<br>{stats(kname)}",
            )
        )
        if i < 3 or i == len(shown) - 1:
            up = kubelet is not None and kubelet.get("running") and kubelet.get("reachable") is not False
            arrow(
                10.9,
                mid,
                6.6,
                5.0 + (0.5 - i / max(len(shown), 1)) * 0.9,
                colour=style.OKABE_ITO["bluish green"] if up else style.LIGHT_GREY,
            )
    if len(node_ids) > len(shown):
        rest = node_ids[len(shown) :]
        ready = sum(1 for n in rest if g.nodes[n]["ready"])
        texts.append(
            (
                11.05,
                0.55 + slot_h / 2 - 0.3,
                f"… and {style.plural('Node', len(rest))} more ({ready} Ready)",
                "middle right",
                11,
            )
        )
    if not node_ids:
        texts.append((11.05, 5.0, "no Nodes yet: cluster.add_nodes(3)", "middle right", 11))
    texts.append(
        (10.9, 0.3, f"<span style='color:{style.GREY}'>* kube-proxy: not modelled yet</span>", "middle right", 9)
    )

    fig = go.Figure()
    by_size: dict[tuple[int, str], list[tuple[float, float, str]]] = {}
    for x, y, text, anchor, size in texts:
        by_size.setdefault((size, anchor), []).append((x, y, text))
    for (size, anchor), items in by_size.items():
        fig.add_trace(
            go.Scatter(
                x=[round(i[0], 3) for i in items],
                y=[round(i[1], 3) for i in items],
                text=[i[2] for i in items],
                mode="text",
                textposition=anchor,
                textfont={"size": size},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[round(h[0], 3) for h in hovers],
            y=[round(h[1], 3) for h in hovers],
            mode="markers",
            marker={"size": 18, "color": "rgba(0,0,0,0)"},
            hovertext=[h[2] for h in hovers],
            hovertemplate="%{hovertext}<extra></extra>",
            name="components (hover for details)",
            showlegend=False,
        )
    )
    n_ready = sum(1 for n in node_ids if g.nodes[n]["ready"])
    default = (
        f"The cluster's components at {format_mss(g.graph.get('time', 0.0))}: control plane and "
        f"{style.plural('Node', len(node_ids))} ({n_ready} Ready)"
    )
    style.apply(fig, title or default, height=560, margin={"l": 10, "r": 10, "t": 60, "b": 10})
    fig.update_layout(
        shapes=shapes,
        annotations=arrows,
        showlegend=False,
        xaxis={"range": [-0.2, 17.2], "visible": False, "fixedrange": True},
        yaxis={"range": [-0.2, 10.2], "visible": False, "fixedrange": True},
    )
    return fig


__all__ = [
    "EVENT_COLUMNS",
    "SAMPLE_COLUMNS",
    "FigureError",
    "Sampler",
    "Samples",
    "architecture",
    "node_resources",
    "timeline",
    "topology",
    "topology_spec",
]
