"""style: the one look every figure of the book shares — colours, names, time ticks and a base layout.

Colours
    The palette is Okabe and Ito's (*Color Universal Design*, 2008): eight colours that people with any of the common
    colour-vision deficiencies can still tell apart, and that stay distinct when printed in grey because their
    lightness differs. Nothing in a figure is told by colour alone: a Pod's phase is also its marker's shape, a
    series in a timeline also has its own dash, a failed Node also has a dashed outline.

Names
    Legends and hover texts name Kubernetes things the way the book's text does: ``ReplicaSet``, ``Deployment``,
    ``Pod`` (kinds, in upstream's CamelCase), the components by their binary name with the text's words beside it
    (``scheduler (kube-scheduler)``), the controllers by what kube-controller-manager calls them
    (``--controllers=replicaset,deployment,...``: ``ReplicaSet controller``).

Time
    The model counts simulated seconds. Axes show them as ``m:ss`` (``h:mm:ss`` past an hour): plotly has no such
    number format, so :func:`time_ticks` computes the tick values and their text, at a step from the usual clock
    divisions (1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1 h, ...).

Size
    A stored notebook keeps every figure as JSON. plotly's default template alone is about 9 KB per figure, so
    :data:`TEMPLATE` is a small one of our own; :func:`base_layout` sets it (in a layout a figure is made with) and
    :func:`apply` puts it on a figure made already.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import plotly.graph_objects as go

# --- colours ----------------------------------------------------------------------------------------------------

#: Okabe–Ito, in their published order.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
INK = "#222222"  # text and outlines
GREY = "#8C8C8C"  # "unknown", "not modelled"
LIGHT_GREY = "#E8E8E8"  # grid lines, a failed Node's fill
PAPER = "#FFFFFF"

#: The order in which owners (Deployments, bare ReplicaSets, ...) get a colour: the darker, more distinct ones first.
QUALITATIVE: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish green"],
    OKABE_ITO["reddish purple"],
    OKABE_ITO["sky blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["yellow"],
    OKABE_ITO["black"],
)
NO_OWNER_COLOUR = GREY  # a bare Pod: nobody manages it

#: A Pod's state as the topology draws it: (legend label, marker symbol, colour when coloured by phase).
#: The symbol carries the state in print and for every reader; the colour then carries the owner.
POD_STATES: dict[str, tuple[str, str, str]] = {
    "Running": ("Running, Ready", "square", OKABE_ITO["bluish green"]),
    "NotReady": ("Running, not Ready", "square-open", OKABE_ITO["sky blue"]),
    "Pending": ("Pending", "diamond-open", OKABE_ITO["orange"]),
    "Terminating": ("Terminating", "x", OKABE_ITO["reddish purple"]),
    "Succeeded": ("Succeeded", "circle", OKABE_ITO["blue"]),
    "Failed": ("Failed", "x-thin-open", OKABE_ITO["vermillion"]),
    "Unknown": ("Unknown", "circle-open", GREY),
}

#: The series of a workload's timeline: (legend label, colour, dash, width). Widest first so that equal lines stay
#: visible on top of each other.
SERIES: dict[str, tuple[str, str, str, float]] = {
    "desired": ("desired (spec.replicas)", OKABE_ITO["black"], "dash", 2.0),
    "current": ("current (status.replicas)", OKABE_ITO["blue"], "solid", 6.0),
    "updated": ("updated (status.updatedReplicas)", OKABE_ITO["reddish purple"], "dashdot", 2.5),
    "ready": ("ready (status.readyReplicas)", OKABE_ITO["bluish green"], "solid", 3.5),
    "available": ("available (status.availableReplicas)", OKABE_ITO["orange"], "dot", 3.0),
}

#: How an Event is marked on a timeline: by its ``type``.
EVENT_MARKERS: dict[str, tuple[str, str]] = {
    "Normal": ("triangle-down", OKABE_ITO["blue"]),
    "Warning": ("x", OKABE_ITO["vermillion"]),
}

#: A Node's box: (fill, outline colour, outline dash) by ``kubectl get nodes`` STATUS.
NODE_BOX: dict[str, tuple[str, str, str]] = {
    "Ready": (PAPER, INK, "solid"),
    "NotReady": (LIGHT_GREY, OKABE_ITO["vermillion"], "dash"),
    "Unknown": (LIGHT_GREY, GREY, "dash"),
}
CORDONED_DASH = "dot"

# --- names ------------------------------------------------------------------------------------------------------

#: Kinds as the text writes them, with the plural a legend needs.
KIND_PLURALS: dict[str, str] = {
    "Pod": "Pods",
    "Node": "Nodes",
    "ReplicaSet": "ReplicaSets",
    "Deployment": "Deployments",
    "Service": "Services",
    "Namespace": "Namespaces",
    "Lease": "Leases",
    "Event": "Events",
    "EndpointSlice": "EndpointSlices",
}

#: Components by the name ``cluster.control_plane`` (or the architecture) gives them: the words the text uses.
COMPONENT_LABELS: dict[str, str] = {
    "kube-apiserver": "API server (kube-apiserver)",
    "etcd": "etcd",
    "kube-controller-manager": "controller manager (kube-controller-manager)",
    "kube-scheduler": "scheduler (kube-scheduler)",
    "cloud-controller-manager": "cloud controller manager",
    "kubelet": "kubelet",
    "kube-proxy": "kube-proxy",
    "container-runtime": "container runtime",
    "replicaset-controller": "ReplicaSet controller",
    "deployment-controller": "Deployment controller",
    "garbage-collector-controller": "garbage collector",
    "namespace-controller": "Namespace controller",
    "node-ipam-controller": "node IPAM controller",
    "node-lifecycle-controller": "node lifecycle controller",
    "taint-eviction-controller": "taint eviction controller",
    "endpointslice-controller": "EndpointSlice controller",
    "horizontal-pod-autoscaler": "HorizontalPodAutoscaler controller",
}


def component_label(name: str) -> str:
    """How the text names a component: ``"replicaset-controller"`` -> ``"ReplicaSet controller"``."""
    if name in COMPONENT_LABELS:
        return COMPONENT_LABELS[name]
    if name.startswith("kubelet/"):
        return f"kubelet on {name.removeprefix('kubelet/')}"
    return name.replace("-", " ")


def plural(kind: str, count: int | None = None) -> str:
    """``Pod`` -> ``Pods`` (and ``1 Pod``, ``3 Pods`` with a count)."""
    word = kind if count == 1 else KIND_PLURALS.get(kind, kind + "s")
    return word if count is None else f"{count} {word}"


class OwnerColours:
    """Owner -> colour, assigned in first-seen order from :data:`QUALITATIVE` and kept: a dashboard that redraws
    keeps each Deployment's colour while others come and go. Past eight owners the colours repeat (the legend and
    the hover still name each owner)."""

    def __init__(self, owners: Iterable[str] = ()) -> None:
        self._colours: dict[str, str] = {}
        for owner in owners:
            self(owner)

    def __call__(self, owner: str | None) -> str:
        if owner is None:
            return NO_OWNER_COLOUR
        colour = self._colours.get(owner)
        if colour is None:
            colour = self._colours[owner] = QUALITATIVE[len(self._colours) % len(QUALITATIVE)]
        return colour

    def __contains__(self, owner: object) -> bool:
        return owner in self._colours

    def items(self) -> list[tuple[str, str]]:
        return list(self._colours.items())


# --- time -------------------------------------------------------------------------------------------------------

#: Tick steps a clock reader expects, in seconds.
TIME_STEPS: tuple[float, ...] = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200)


def format_mss(seconds: float, decimals: int = 0) -> str:
    """Simulated seconds as ``m:ss`` (``h:mm:ss`` from an hour on): ``format_mss(125) == "2:05"``,
    ``format_mss(3725) == "1:02:05"``, ``format_mss(-30) == "-0:30"``, ``format_mss(62.25, 1) == "1:02.2"``.
    Rounds to ``decimals`` digits first, so 59.96 s is ``1:00``, never ``0:60``."""
    if not math.isfinite(seconds):
        raise ValueError(f"format_mss: a finite number of seconds, not {seconds!r}")
    sign = "-" if seconds < 0 else ""
    scale = 10**decimals
    ticks = round(abs(seconds) * scale)  # whole units of 10**-decimals s
    whole, frac = divmod(ticks, scale)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    tail = f".{frac:0{decimals}d}" if decimals > 0 else ""
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}{tail}"
    return f"{sign}{minutes}:{secs:02d}{tail}"


def time_ticks(start: float, end: float, target: int = 7) -> tuple[list[float], list[str]]:
    """Tick values and their ``m:ss`` labels for an axis from ``start`` to ``end`` simulated seconds: the smallest
    step of :data:`TIME_STEPS` that gives at most ``target`` ticks."""
    if not (math.isfinite(start) and math.isfinite(end)):
        raise ValueError(f"time_ticks: finite bounds, not {start!r} to {end!r}")
    if end < start:
        start, end = end, start
    span = max(end - start, 1.0)
    step = next((s for s in TIME_STEPS if span / s <= target), None)
    if step is None:
        step = TIME_STEPS[-1] * math.ceil(span / (TIME_STEPS[-1] * target))
    first = math.ceil(start / step) * step
    values = []
    k = 0
    while first + k * step <= end + 1e-9:
        values.append(float(first + k * step))
        k += 1
    return values, [format_mss(v) for v in values]


def time_axis(start: float, end: float, title: str = "simulated time (m:ss)", pad: float = 0.02) -> dict[str, Any]:
    """An x axis over simulated seconds with ``m:ss`` ticks, a little padding and the given title."""
    values, text = time_ticks(start, end)
    margin = max(end - start, 1.0) * pad
    return {
        "title": {"text": title},
        "tickmode": "array",
        "tickvals": values,
        "ticktext": text,
        "range": [start - margin, end + margin],
        "zeroline": False,
    }


# --- layout -----------------------------------------------------------------------------------------------------

FONT = "Inter, 'Helvetica Neue', Helvetica, Arial, sans-serif"
_AXIS = {
    "showline": True,
    "linecolor": INK,
    "linewidth": 1,
    "ticks": "outside",
    "tickcolor": INK,
    "gridcolor": LIGHT_GREY,
    "zerolinecolor": LIGHT_GREY,
    "automargin": True,
    "title": {"standoff": 8},
}

#: The book's plotly template: small (plotly's own is about 9 KB per figure), print-friendly, Okabe–Ito colourway.
TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT, "size": 13, "color": INK},
        "paper_bgcolor": PAPER,
        "plot_bgcolor": PAPER,
        "colorway": list(QUALITATIVE),
        "hoverlabel": {"font": {"family": FONT, "size": 12}, "bgcolor": PAPER, "bordercolor": INK},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "legend": {"bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 12}},
        "title": {"x": 0.01, "xanchor": "left", "font": {"size": 16}},
    }
)

TEMPLATE_JSON: dict[str, Any] = TEMPLATE.to_plotly_json()


def base_layout(title: str, *, height: int = 450, legend_title: str | None = None, **extra: Any) -> dict[str, Any]:
    """The layout every figure starts from: the book's template, a left-aligned title, a horizontal legend under
    the plot (it prints well and leaves the width to the data), and ``extra`` on top."""
    layout: dict[str, Any] = {
        "template": TEMPLATE_JSON,
        "title": {"text": title},
        "height": height,
        "margin": {"l": 70, "r": 30, "t": 70, "b": 60},
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.15, "yanchor": "top"},
        "hovermode": "closest",
    }
    if legend_title:
        layout["legend"]["title"] = {"text": legend_title}
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def apply(fig: go.Figure, title: str, **layout: Any) -> go.Figure:
    """Give an existing figure :func:`base_layout` (``title``, ``height=``, ``legend_title=`` and any layout keys).

    ``fig.update_layout(template=<a dict>)`` would *merge* the book's template into the one plotly gave the figure
    when it was made (its 9 KB default, with its own colours): the template is assigned instead."""
    spec = base_layout(title, **layout)
    template = spec.pop("template")
    fig.update_layout(**spec)
    fig.layout.template = template
    return fig


__all__ = [
    "COMPONENT_LABELS",
    "EVENT_MARKERS",
    "GREY",
    "INK",
    "KIND_PLURALS",
    "LIGHT_GREY",
    "NODE_BOX",
    "OKABE_ITO",
    "POD_STATES",
    "QUALITATIVE",
    "SERIES",
    "TEMPLATE",
    "TEMPLATE_JSON",
    "OwnerColours",
    "apply",
    "base_layout",
    "component_label",
    "format_mss",
    "plural",
    "time_axis",
    "time_ticks",
]
