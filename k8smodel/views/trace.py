"""Who did what, in which order: a request's path through the cluster, read off the event log.

Kubernetes components never call each other. A client writes an object through the API server, which stores it in
etcd; every component that watches that kind of object hears of the change through its informer, decides what to do,
and writes through the API server in turn. This module makes that chain visible for a stretch of simulated time::

    with trace(cluster) as t:
        cluster.apply(manifest)
        cluster.run_for("5s")
    t.steps          # one row per step: time, who, to whom, what
    t.figure()       # the same as a sequence diagram, one lane per component

It reads the simulation's event log (``Simulation.log``), never the components: the API server's ``api`` records
(every write and every refused request, with the requesting user and the etcd revision it produced), the
``informer.event`` records each informer adds for each watch event while a trace runs
(``Simulation.trace_informers``), and the controllers' ``controller.reconcile`` records.

Each request is placed on the lane of the component that made it, named from its user as the API server saw it:
``kubernetes-admin`` is the reader at ``kubectl``; ``system:serviceaccount:kube-system:<name>`` is a controller of
kube-controller-manager (upstream runs each controller under its own service account, ``--use-service-account-
credentials``); ``system:kube-scheduler`` is the scheduler; ``system:node:<node>`` is that node's kubelet. An
informer's events go to the lane of the component that owns it: the control plane's shared informers
(``shared/...``, one ``SharedInformerFactory`` for all controllers, as in kube-controller-manager) and the
controllers' own belong to kube-controller-manager, ``kubelet/<node>/...`` to that kubelet.

What the model leaves out
    * Time inside a component: a controller's reaction takes no simulated time, so many steps share one instant;
      the diagram orders steps by the log's sequence, which is the order the model ran them in.
    * Reads: components read from their informers' caches, and the API server logs writes only, so the few direct
      reads (an uncached re-read before adoption, say) are not drawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from k8smodel.sim import format_duration
from k8smodel.views import style

KUBECTL = "kubectl"
API_SERVER = "kube-apiserver"
ETCD = "etcd"
CONTROLLER_MANAGER = "kube-controller-manager"
SCHEDULER = "kube-scheduler"

#: Lanes in the order the study notes draw the cluster: the client, the control plane, then the nodes.
FIXED_LANES = (KUBECTL, API_SERVER, ETCD, CONTROLLER_MANAGER, SCHEDULER)

#: Objects left out by default: heartbeats (Leases, node status) and Events, which would bury the chain.
DEFAULT_HIDE = ("leases", "events", "nodes")

_KIND_RESOURCE = {"Lease": "leases", "Event": "events", "Node": "nodes"}

_SERVICE_ACCOUNT = "system:serviceaccount:kube-system:"
_NODE = "system:node:"
_SCHEDULER_USERS = {"system:kube-scheduler"}
_SCHEDULER_INFORMERS = {"default-scheduler", "kube-scheduler", "scheduler"}

COLUMNS = ["seq", "time", "lane", "target", "step", "detail", "revision"]


def lane_of_user(user: str) -> str:
    """The component lane of an API request's user (see the module docstring)."""
    if user == "kubernetes-admin":
        return KUBECTL
    if user.startswith(_SERVICE_ACCOUNT):
        return CONTROLLER_MANAGER
    if user in _SCHEDULER_USERS:
        return SCHEDULER
    if user.startswith(_NODE):
        return f"kubelet {user[len(_NODE) :]}"
    return user or KUBECTL


def lane_of_informer(name: str) -> str:
    """The component lane of an informer, from its name (``shared/pods``, ``kubelet/node-1/pods``, ...)."""
    first, _, rest = (name or "").partition("/")
    if first == "kubelet":
        return f"kubelet {rest.partition('/')[0]}"
    if first in _SCHEDULER_INFORMERS:
        return SCHEDULER
    return CONTROLLER_MANAGER


def _controller_of(user: str) -> str:
    return user[len(_SERVICE_ACCOUNT) :] if user.startswith(_SERVICE_ACCOUNT) else ""


def _hidden(resource: str, hide: Iterable[str]) -> bool:
    base = resource.split("/")[0].split(".")[0]
    return base in hide


def _object(namespace: Any, name: Any) -> str:
    namespace, name = namespace or "", name or ""
    return f"{namespace}/{name}" if namespace else str(name)


def steps_from_log(events: pd.DataFrame, *, hide: Iterable[str] = DEFAULT_HIDE) -> pd.DataFrame:
    """The trace's steps from an event log frame (``sim.events()``, or a slice of it).

    One row per step, columns :data:`COLUMNS`: ``lane`` is who acts, ``target`` the lane it addresses (the API
    server for a request, a watcher's lane for a watch event, empty for work inside a component), ``step`` a short
    label and ``detail`` the rest (etcd revision, status code, the controller's name)."""
    hide = tuple(hide)
    rows: list[dict[str, Any]] = []
    if events.empty:
        return pd.DataFrame(columns=COLUMNS)
    records = events.to_dict("records")
    # etcd tells the watchers of a write before the API server logs it (the fan-out runs inside the put), so an
    # informer's record of revision R comes before the request that made R: put the request first.
    first_heard: dict[int, float] = {}
    for rec in records:
        if rec.get("kind") == "informer.event" and _present(rec.get("rv")):
            first_heard.setdefault(int(rec["rv"]), float(rec["seq"]))
    for rec in records:
        kind = rec.get("kind")
        if kind == "api":
            resource = rec.get("resource") or ""
            if _hidden(resource, hide):
                continue
            user = rec.get("user") or ""
            code = rec.get("code")
            what = f"{rec.get('verb')} {resource} {_object(rec.get('namespace'), rec.get('name'))}"
            controller = _controller_of(user)
            ok = code is not None and not pd.isna(code) and int(code) < 400
            detail = f"stored at revision {int(rec['rv'])}" if ok and _present(rec.get("rv")) else ""
            if not ok:
                detail = f"{int(code) if _present(code) else ''} {rec.get('reason') or ''}".strip()
            if controller:
                detail = f"{controller}: {detail}" if detail else controller
            revision = int(rec["rv"]) if ok and _present(rec.get("rv")) else None
            order = min(first_heard.get(revision, rec["seq"]), rec["seq"]) - 0.5 if revision else rec["seq"]
            rows.append(_row(rec, lane_of_user(user), API_SERVER, what, detail, revision, order))
            if revision:
                rows.append(_row(rec, API_SERVER, ETCD, f"put revision {revision}", what, revision, order))
        elif kind == "informer.event":
            object_kind = rec.get("object_kind") or ""
            if _KIND_RESOURCE.get(object_kind) in hide:
                continue
            what = f"watch: {rec.get('type')} {object_kind} {_object(rec.get('namespace'), rec.get('name'))}"
            revision = int(rec["rv"]) if _present(rec.get("rv")) else None
            lane = lane_of_informer(rec.get("informer") or "")
            rows.append(_row(rec, API_SERVER, lane, what, rec.get("informer"), revision))
        elif kind == "controller.reconcile":
            controller = rec.get("controller") or ""
            rows.append(_row(rec, CONTROLLER_MANAGER, "", f"{controller} reconciles {rec.get('key')}", controller))
    rows.sort(key=lambda r: r.pop("_order"))  # stable: a request's two rows and same-order rows keep their order
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["revision"] = frame["revision"].astype("Int64")
    return frame


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value))


def _row(
    rec: dict[str, Any],
    lane: str,
    target: str,
    step: str,
    detail: Any,
    revision: int | None = None,
    order: float | None = None,
) -> dict[str, Any]:
    return {
        "seq": int(rec["seq"]),
        "time": float(rec["time"]),
        "lane": lane,
        "target": target,
        "step": step,
        "detail": "" if detail is None else str(detail),
        "revision": revision,
        "_order": float(rec["seq"]) if order is None else order,
    }


def _refused(detail: str) -> bool:
    code = detail.rpartition(": ")[2].split(" ")[0]
    return code.isdigit() and int(code) >= 400


def lanes_of(steps: pd.DataFrame) -> list[str]:
    """The lanes the steps use: the fixed ones first (those that appear), then the kubelets by node name."""
    used = set(steps["lane"]) | set(steps["target"]) - {""}
    fixed = [lane for lane in FIXED_LANES if lane in used]
    rest = sorted(lane for lane in used if lane not in FIXED_LANES and lane)
    return fixed + rest


def clock(t: float) -> str:
    """Simulated seconds as ``m:ss.mmm`` (the diagram's time labels)."""
    minutes, seconds = divmod(t, 60.0)
    return f"{int(minutes)}:{seconds:06.3f}"


def sequence_figure(steps: pd.DataFrame, *, title: str = "Who did what", max_steps: int = 80) -> go.Figure:
    """A sequence diagram of ``steps``: one vertical lane per component, one arrow per request or watch event, time
    running down. Only the first ``max_steps`` steps are drawn (the title says so when more were cut)."""
    shown = steps.head(max_steps)
    lanes = lanes_of(shown) if not shown.empty else list(FIXED_LANES[:3])
    x = {lane: i for i, lane in enumerate(lanes)}
    n = len(shown)
    fig = go.Figure()
    for lane in lanes:  # the lifelines
        fig.add_trace(
            go.Scatter(
                x=[x[lane], x[lane]],
                y=[-0.5, n - 0.5],
                mode="lines",
                line={"color": "#bbbbbb", "width": 1, "dash": "dot"},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    colour = style.OKABE_ITO
    kinds = {
        "request": (colour["blue"], "request to the API server"),
        "store": (colour["orange"], "write to etcd"),
        "watch": (colour["bluish green"], "watch event to an informer"),
        "work": (colour["reddish purple"], "work inside a component"),
        "refused": (colour["vermillion"], "request refused (4xx)"),
    }
    points: dict[str, tuple[list[float], list[int], list[str]]] = {k: ([], [], []) for k in kinds}
    for row, step in enumerate(shown.itertuples(index=False)):
        src = x[step.lane]
        hover = f"{clock(step.time)}  {step.lane}<br>{step.step}" + (f"<br>{step.detail}" if step.detail else "")
        if step.target:
            dst = x[step.target]
            if step.target == ETCD:
                kind = "store"
            elif step.lane == API_SERVER:
                kind = "watch"
            else:
                kind = "request" if pd.notna(step.revision) or not _refused(step.detail) else "refused"
            color = kinds[kind][0]
            fig.add_annotation(
                x=dst,
                y=row,
                ax=src,
                ay=row,
                xref="x",
                yref="y",
                axref="x",
                ayref="y",
                showarrow=True,
                arrowhead=2,
                arrowsize=1,
                arrowwidth=1.5,
                arrowcolor=color,
                text="",
            )
            points[kind][0].append((src + dst) / 2)
        else:
            kind = "work"
            points[kind][0].append(src)
        points[kind][1].append(row)
        points[kind][2].append(hover)
    for kind, (xs, ys, texts) in points.items():
        if not xs:
            continue
        color, name = kinds[kind]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers",
                marker={"color": color, "size": 7, "symbol": "diamond" if kind == "work" else "circle"},
                name=name,
                hovertext=texts,
                hoverinfo="text",
            )
        )
    labels = [f"{clock(t)}  {s}" for t, s in zip(shown["time"], shown["step"], strict=True)]
    cut = len(steps) - n
    style.apply(
        fig,
        title + (f" (first {n} of {len(steps)} steps)" if cut > 0 else ""),
        height=max(320, 22 * n + 140),
        legend={"y": -0.02},
        margin={"l": 20, "r": 20, "t": 110, "b": 40},
        plot_bgcolor="white",
    )
    fig.update_layout(
        xaxis={
            "tickmode": "array",
            "tickvals": list(range(len(lanes))),
            "ticktext": lanes,
            "side": "top",
            "title": {"text": "component (each talks only to the API server)"},
            "range": [-0.6, len(lanes) - 0.4],
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={
            "autorange": "reversed",
            "tickmode": "array",
            "tickvals": list(range(n)),
            "ticktext": labels,
            "title": "simulated time (m:ss.mmm) and step, in the order the model ran them",
            "showgrid": False,
            "zeroline": False,
            "tickfont": {"size": 10},
        },
    )
    return fig


@dataclass
class Trace:
    """A traced stretch of simulated time: the log's records between :meth:`start` and :meth:`stop`."""

    cluster: Any
    hide: tuple[str, ...] = DEFAULT_HIDE
    first: int = 0
    last: int | None = None
    _was_tracing: bool = field(default=False, repr=False)

    @property
    def sim(self) -> Any:
        return getattr(self.cluster, "sim", self.cluster)

    def start(self) -> Trace:
        sim = self.sim
        self._was_tracing = sim.trace_informers
        sim.trace_informers = True
        self.first = sim.event_count
        self.last = None
        return self

    def stop(self) -> Trace:
        sim = self.sim
        sim.trace_informers = self._was_tracing
        self.last = sim.event_count
        return self

    def __enter__(self) -> Trace:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def log(self) -> pd.DataFrame:
        """The raw event log records of the traced stretch."""
        events = self.sim.events()
        last = self.last if self.last is not None else self.sim.event_count
        return events[(events["seq"] >= self.first) & (events["seq"] < last)]

    @property
    def steps(self) -> pd.DataFrame:
        """The steps (:func:`steps_from_log`), with the hidden kinds left out."""
        return steps_from_log(self.log, hide=self.hide)

    @property
    def duration(self) -> str:
        steps = self.steps
        return format_duration(float(steps["time"].max() - steps["time"].min())) if len(steps) else "0s"

    def figure(self, *, title: str = "Who did what", max_steps: int = 80) -> go.Figure:
        return sequence_figure(self.steps, title=title, max_steps=max_steps)


def trace(cluster: Any, *, hide: Iterable[str] = DEFAULT_HIDE) -> Trace:
    """Trace ``cluster`` (or a bare ``Simulation``) while the ``with`` block runs; see the module docstring."""
    return Trace(cluster, tuple(hide))


__all__ = [
    "API_SERVER",
    "CONTROLLER_MANAGER",
    "DEFAULT_HIDE",
    "ETCD",
    "KUBECTL",
    "SCHEDULER",
    "Trace",
    "clock",
    "lane_of_informer",
    "lane_of_user",
    "lanes_of",
    "sequence_figure",
    "steps_from_log",
    "trace",
]
