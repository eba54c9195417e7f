"""frames: interactivity without a kernel — the model run ahead of time, packed into one figure's frames.

The rendered book has no Python behind it, so a widget demo there would be dead. Each one gets a twin made here:
the model is run for every value of a parameter (:func:`over_parameter`) or at every step of the clock
(:func:`over_time`), each run is drawn, and the drawings become the frames of a single plotly figure, with a slider
(and, over time, a play button) that moves between them in the browser. The model is deterministic, so the same
book built twice has the same frames.

:func:`pack_frames` does the packing for figures made any other way. Frames animate trace by trace, so every frame
gets the same number of traces (the shorter ones padded with empty traces, which draw nothing) and each frame
carries the layout that changes from one drawing to the next: its title, shapes (a topology's Node boxes),
annotations and axis ranges.

What the model leaves out
    Nothing of the model: this is packaging. The figure holds every frame, so its size is about the sum of the
    frames' sizes: keep grids small (a topology of 200 Pods is about 45 KB a frame).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import plotly.graph_objects as go

from k8smodel.sim import parse_duration
from k8smodel.views import style

#: The layout keys a frame carries (what differs between two drawings of the same kind of figure).
FRAME_LAYOUT_KEYS = ("title", "shapes", "annotations", "height")
_AXIS_KEYS = ("range", "tickvals", "ticktext", "categoryarray")


class FramesError(ValueError):
    """Frames were asked for with arguments they cannot use: the message says which."""


def _empty_trace() -> dict[str, Any]:
    return {"type": "scatter", "x": [], "y": [], "showlegend": False, "hoverinfo": "skip", "mode": "markers"}


def _frame_layout(fig: go.Figure) -> dict[str, Any]:
    layout = fig.layout.to_plotly_json()
    out = {k: layout[k] for k in FRAME_LAYOUT_KEYS if k in layout}
    for key, value in layout.items():
        if (key.startswith("xaxis") or key.startswith("yaxis")) and isinstance(value, dict):
            axis = {k: value[k] for k in _AXIS_KEYS if k in value}
            if axis:
                out[key] = axis
    out.setdefault("shapes", [])
    out.setdefault("annotations", [])
    return out


def pack_frames(
    figures: Sequence[go.Figure],
    labels: Sequence[str],
    *,
    active: int = 0,
    prefix: str = "",
    play: bool = False,
    frame_ms: int = 600,
) -> go.Figure:
    """One figure whose frames are ``figures``, with a slider labelled ``labels`` (``prefix`` before the current
    label), showing frame ``active`` first; ``play=True`` adds play and pause buttons that step through the frames
    every ``frame_ms`` milliseconds."""
    figures = list(figures)
    labels = [str(label) for label in labels]
    if not figures:
        raise FramesError("pack_frames: no figures to pack")
    if len(labels) != len(figures):
        raise FramesError(f"pack_frames: {len(figures)} figures but {len(labels)} labels")
    if len(set(labels)) != len(labels):
        raise FramesError("pack_frames: labels must be distinct (they name the frames)")
    if not 0 <= active < len(figures):
        raise FramesError(f"pack_frames: active must be between 0 and {len(figures) - 1}, got {active}")
    width = max(len(f.data) for f in figures)
    datas = [[t.to_plotly_json() for t in f.data] + [_empty_trace()] * (width - len(f.data)) for f in figures]
    frames = [
        go.Frame(data=data, name=label, layout=_frame_layout(fig))
        for data, label, fig in zip(datas, labels, figures, strict=True)
    ]
    base = figures[active]
    fig = go.Figure(data=datas[active], layout=base.layout, frames=frames)
    step_args = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
    slider = {
        "active": active,
        "currentvalue": {"prefix": prefix, "font": {"size": 13}, "xanchor": "right" if play else "left"},
        "pad": {"t": 50, "b": 10},
        "len": 0.85 if play else 1.0,
        "x": 0.15 if play else 0.0,
        "xanchor": "left",
        "y": 0,
        "yanchor": "top",
        "steps": [{"label": label, "method": "animate", "args": [[label], step_args]} for label in labels],
    }
    layout: dict[str, Any] = {"sliders": [slider]}
    if play:
        layout["updatemenus"] = [
            {
                "type": "buttons",
                "direction": "left",
                "showactive": False,
                "x": 0.15,
                "xanchor": "right",
                "y": 0.0,
                "yanchor": "top",
                "pad": {"t": 87, "r": 10},
                "buttons": [
                    {
                        "label": "▶ play",
                        "method": "animate",
                        "args": [
                            None,
                            {
                                "frame": {"duration": frame_ms, "redraw": True},
                                "fromcurrent": True,
                                "transition": {"duration": 0},
                            },
                        ],
                    },
                    {
                        "label": "❚❚ pause",
                        "method": "animate",
                        "args": [[None], {"mode": "immediate", "frame": {"duration": 0, "redraw": False}}],
                    },
                ],
            }
        ]
    height = base.layout.height or 450
    margin = base.layout.margin.b if base.layout.margin and base.layout.margin.b is not None else 60
    layout["height"] = height + 90
    layout["margin"] = {"b": margin + 90}
    fig.update_layout(**layout)
    return fig


def over_parameter(
    fn: Callable[[Any], go.Figure],
    values: Iterable[Any],
    *,
    labels: Sequence[str] | None = None,
    prefix: str = "",
    active: int = 0,
) -> go.Figure:
    """Call ``fn(value)`` for each of ``values`` (each call should build and run its own cluster) and pack the
    figures into one with a slider over the values (labelled ``labels``, default ``str(value)``)."""
    values = list(values)
    if not values:
        raise FramesError("over_parameter: no values")
    figures = []
    for value in values:
        fig = fn(value)
        if not isinstance(fig, go.Figure):
            raise FramesError(f"over_parameter: fn({value!r}) returned a {type(fig).__name__}, not a plotly Figure")
        figures.append(fig)
    return pack_frames(figures, labels or [str(v) for v in values], active=active, prefix=prefix)


def over_time(
    cluster: Any,
    draw: Callable[[Any], go.Figure],
    *,
    duration: float | str,
    step: float | str,
    actions: Iterable[tuple[float | str, Callable[[Any], Any]]] = (),
    active: int = 0,
    prefix: str = "t = ",
    frame_ms: int = 600,
) -> go.Figure:
    """Run ``cluster`` for ``duration`` from now, drawing it with ``draw(cluster)`` now and after every ``step``,
    and pack the drawings into one figure with a slider and a play button (labelled ``m:ss`` after the start).

    ``actions`` are ``(when, fn)`` pairs: ``fn(cluster)`` runs at ``when`` after the start (seconds or ``"30s"``),
    before the drawing due then, in the given order for equal times — e.g. ``("30s", lambda c:
    c.fail_node("node-2"))``."""
    total, every = parse_duration(duration), parse_duration(step)
    if every <= 0:
        raise FramesError(f"over_time: step must be positive, got {step!r}")
    if total < 0:
        raise FramesError(f"over_time: duration must not be negative, got {duration!r}")
    count = int(total // every + 1e-9) + 1
    if count > 200:
        raise FramesError(f"over_time: {count} frames ({duration} every {step}); at most 200 make a usable figure")
    start = cluster.now
    pending = sorted(((parse_duration(when), i, fn) for i, (when, fn) in enumerate(actions)), key=lambda item: item[:2])
    for when, _, _ in pending:
        if not 0 <= when <= total:
            raise FramesError(f"over_time: an action at {when} s falls outside 0 to {total} s")
    figures, labels = [], []
    for k in range(count):
        at = k * every
        while pending and pending[0][0] <= at:
            when, _, fn = pending.pop(0)
            cluster.run(until=start + when)
            fn(cluster)
        cluster.run(until=start + at)
        figures.append(draw(cluster))
        labels.append(style.format_mss(at))
    return pack_frames(figures, labels, active=active, prefix=prefix, play=True, frame_ms=frame_ms)


__all__ = ["FramesError", "over_parameter", "over_time", "pack_frames"]
