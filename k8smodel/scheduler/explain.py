"""Explained decisions: what every plugin said about every Node in one scheduling attempt.

The model records what kube-scheduler-simulator (``sigs.k8s.io/kube-scheduler-simulator``, its
``simulator/scheduler/plugin/annotation`` keys and ``resultstore``) writes on a Pod: for each evaluated Node the
verdict of each Filter plugin that ran (``"passed"`` or the plugin's reason; plugins after the first rejection did
not run), each Score plugin's raw score, its normalized score and the final (weighted) score, the total and the
selected Node. :meth:`Explanation.to_frame` gives them as a pandas DataFrame and :meth:`Explanation.heatmap` as a
plotly figure; :meth:`Explanation.annotations` in the simulator's annotation format.

Get one with ``framework.schedule(pod, snapshot, explain=True).explanation``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

    from k8smodel.scheduler.framework import Cycle, Framework, PreFilterResult, ScheduleResult, Status

__all__ = ["PASSED", "Explanation"]

PASSED = "passed"
_PREFIX = "kube-scheduler-simulator.sigs.k8s.io/"


@dataclass
class Explanation:
    """One scheduling attempt, plugin by plugin and Node by Node (see the module docstring)."""

    pod: str
    profile: str
    filter_plugins: list[str]
    score_plugins: list[str]
    weights: dict[str, int]
    pre_filter: dict[str, str] = field(default_factory=dict)
    pre_filter_nodes: dict[str, list[str]] = field(default_factory=dict)
    filter: dict[str, dict[str, str]] = field(default_factory=dict)
    pre_score: dict[str, str] = field(default_factory=dict)
    score: dict[str, dict[str, int]] = field(default_factory=dict)
    normalized: dict[str, dict[str, int]] = field(default_factory=dict)
    final_score: dict[str, dict[str, int]] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    selected_node: str | None = None
    message: str = ""
    evaluated: int = 0
    post_filter: dict[str, Any] = field(default_factory=dict)
    _windows: list[tuple[np.ndarray, list[tuple[str, np.ndarray, np.ndarray | None]]]] = field(
        default_factory=list, repr=False
    )
    _score_raw: list[tuple[str, np.ndarray, np.ndarray, np.ndarray, int]] = field(default_factory=list, repr=False)
    _single: dict[str, Any] = field(default_factory=dict, repr=False)
    _nominated: dict[str, Any] = field(default_factory=dict, repr=False)

    # -- recording (called by the framework) --------------------------------------------------------------------

    @classmethod
    def start(cls, framework: Framework, pod: Mapping[str, Any]) -> Explanation:
        meta = pod.get("metadata") or {}
        return cls(
            pod=f"{meta.get('namespace') or 'default'}/{meta.get('name') or ''}",
            profile=framework.profile_name,
            filter_plugins=[p.NAME for p in framework.filter_plugins],
            score_plugins=[p.NAME for p in framework.score_plugins],
            weights=dict(framework.score_weights),
        )

    def record_pre_filter(self, plugin: str, r: PreFilterResult | None, s: Status | None) -> None:
        if s is not None and s.is_skip:
            self.pre_filter[plugin] = "skip"
        elif s is not None and not s.is_success:
            self.pre_filter[plugin] = s.message or str(s.code)
        else:
            self.pre_filter[plugin] = "success"
        if r is not None and r.node_names is not None:
            self.pre_filter_nodes[plugin] = sorted(r.node_names)

    def record_window(self, slots: np.ndarray) -> None:
        self._windows.append((slots.copy(), []))

    def record_filter(self, plugin: str, slots: np.ndarray, alive: np.ndarray, codes: np.ndarray | None) -> None:
        self._windows[-1][1].append((plugin, alive, codes))

    def record_single(self, node: str, st: Status | None) -> None:
        self._single[node] = st

    def record_nominated_failure(self, node: str, st: Status) -> None:
        self._nominated[node] = st

    def record_pre_score(self, plugin: str, st: Status | None) -> None:
        if st is not None and st.is_skip:
            self.pre_score[plugin] = "skip"
        elif st is not None and not st.is_success:
            self.pre_score[plugin] = st.message
        else:
            self.pre_score[plugin] = "success"

    def record_score(self, plugin: str, slots: np.ndarray, raw: np.ndarray, norm: np.ndarray, weight: int) -> None:
        self._score_raw.append((plugin, slots.copy(), raw, norm, weight))

    def finish(self, result: ScheduleResult, cycle: Cycle | None) -> Explanation:
        """Turn the recorded vectors into per-Node dicts (Node names, reasons)."""
        self.selected_node = result.node
        self.message = result.message
        if cycle is None:
            return self
        snapshot = cycle.snapshot
        infos = snapshot.infos

        def name(slot: int) -> str:
            info = infos[slot]
            return info.name if info is not None else f"<slot {slot}>"

        # Filter: windows were recorded in evaluation order; only the first `evaluated` Nodes count.
        per_node: dict[str, dict[str, str]] = {}
        order: list[str] = []
        remaining = self.evaluated
        for slots, records in self._windows:
            k = min(len(slots), remaining)
            remaining -= k
            for i in range(k):
                n = name(int(slots[i]))
                order.append(n)
                verdicts = per_node.setdefault(n, {})
                for plugin, alive, codes in records:
                    if not alive[i]:
                        break
                    c = 0 if codes is None else int(codes[i])
                    verdicts[plugin] = PASSED if c == 0 else cycle.tables[plugin][c - 1].message
        for n, st in self._nominated.items():
            if n in per_node and st is not None:
                per_node[n][st.plugin or "nominated pods"] = st.message
        for n, st in self._single.items():
            if st is None or st.is_success:
                per_node[n] = {p: PASSED for p in self.filter_plugins if p not in cycle.skip_filter}
            order.insert(0, n)
        self.filter = {n: per_node.get(n, {}) for n in dict.fromkeys(order)}
        # Score
        for plugin, slots, raw, norm, weight in self._score_raw:
            for i, s in enumerate(slots.tolist()):
                n = name(s)
                self.score.setdefault(n, {})[plugin] = int(raw[i])
                self.normalized.setdefault(n, {})[plugin] = int(norm[i])
                self.final_score.setdefault(n, {})[plugin] = int(norm[i]) * weight
        for n, scores in self.final_score.items():
            self.total[n] = sum(scores.values())
        self._windows = []
        self._score_raw = []
        return self

    # -- views -------------------------------------------------------------------------------------------------

    @property
    def nodes(self) -> list[str]:
        """The evaluated Nodes, in evaluation order."""
        return list(self.filter) if self.filter else list(self.score)

    def verdict(self, node: str) -> str:
        """``"passed"``, or the reason of the plugin that rejected the Node."""
        for v in self.filter.get(node, {}).values():
            if v != PASSED:
                return v
        return PASSED

    def rejected_by(self, node: str) -> str | None:
        for p, v in self.filter.get(node, {}).items():
            if v != PASSED:
                return p
        return None

    def to_frame(self) -> pd.DataFrame:
        """One row per (Node, plugin): ``phase`` (``filter``/``score``), ``verdict`` (filter: ``passed`` or the
        reason), ``raw_score``, ``normalized_score``, ``weight``, ``weighted_score``, and the Node's ``total`` and
        whether it was ``selected``."""
        import pandas as pd

        rows = []
        for n in self.nodes:
            for p, v in self.filter.get(n, {}).items():
                rows.append({"node": n, "plugin": p, "phase": "filter", "verdict": v})
            for p in self.score_plugins:
                if p in self.score.get(n, {}):
                    rows.append(
                        {
                            "node": n,
                            "plugin": p,
                            "phase": "score",
                            "raw_score": self.score[n][p],
                            "normalized_score": self.normalized[n][p],
                            "weight": self.weights.get(p, 1),
                            "weighted_score": self.final_score[n][p],
                        }
                    )
        cols = ["node", "plugin", "phase", "verdict", "raw_score", "normalized_score", "weight", "weighted_score"]
        df = pd.DataFrame(rows, columns=cols)
        for c in ("raw_score", "normalized_score", "weight", "weighted_score"):
            df[c] = df[c].astype("Int64")
        df["total"] = df["node"].map(lambda n: self.total.get(n)).astype("Int64")
        df["selected"] = df["node"] == self.selected_node
        return df

    def summary(self) -> pd.DataFrame:
        """One row per Node: the filter verdict, each plugin's weighted score, the total, selected or not."""
        import pandas as pd

        rows = []
        for n in self.nodes:
            row: dict[str, Any] = {"node": n, "filter": self.verdict(n)}
            for p in self.score_plugins:
                row[p] = self.final_score.get(n, {}).get(p)
            row["total"] = self.total.get(n)
            row["selected"] = n == self.selected_node
            rows.append(row)
        df = pd.DataFrame(rows, columns=["node", "filter", *self.score_plugins, "total", "selected"])
        for c in (*self.score_plugins, "total"):
            df[c] = df[c].astype("Int64")
        return df.set_index("node")

    def heatmap(self, value: str = "weighted", title: str | None = None) -> go.Figure:
        """Nodes × score plugins (and the total); ``value`` is ``"weighted"``, ``"normalized"`` or ``"raw"``.
        Filtered-out Nodes are blank rows whose hover text gives the reason; the selected Node is marked ★."""
        import plotly.graph_objects as go

        table = {"weighted": self.final_score, "normalized": self.normalized, "raw": self.score}[value]
        plugins = [p for p in self.score_plugins if any(p in table.get(n, {}) for n in self.nodes)]
        cols = [*plugins, "total"] if value == "weighted" else plugins
        nodes = self.nodes
        z: list[list[float | None]] = []
        text: list[list[str]] = []  # shown in the cells: the scores only
        hover: list[list[str]] = []  # shown on hover: the score, or why the Node was filtered out
        rejected: list[tuple[str, str]] = []
        labels = [f"★ {n}" if n == self.selected_node else n for n in nodes]
        for n, label in zip(nodes, labels, strict=True):
            zr: list[float | None] = []
            tr: list[str] = []
            hr: list[str] = []
            verdict = self.verdict(n)
            why = f"{self.rejected_by(n)}: {verdict}" if verdict != PASSED else ""
            if why:
                rejected.append((label, why))
            for c in cols:
                v = self.total.get(n) if c == "total" else table.get(n, {}).get(c)
                zr.append(None if v is None else float(v))
                tr.append("" if v is None or why else str(v))
                hr.append(why or ("" if v is None else str(v)))
            z.append(zr)
            text.append(tr)
            hover.append(hr)
        fig = go.Figure(
            go.Heatmap(
                z=z,
                x=cols,
                y=labels,
                text=text,
                customdata=hover,
                texttemplate="%{text}",
                textfont={"size": 12},
                hovertemplate="node %{y}<br>%{x}: %{customdata}<extra></extra>",
                colorscale="Blues",
                colorbar={"title": value},
            )
        )
        for label, why in rejected:  # one note per filtered-out row, across its blank cells
            fig.add_annotation(
                x=0, xref="paper", xanchor="left", y=label, yref="y", text=f"filtered out by {why}", showarrow=False
            )
        from k8smodel.views import style

        return style.apply(
            fig,
            title or f"Scheduling {self.pod} ({value} scores) → {self.selected_node or 'unschedulable'}",
            height=max(300, 40 * len(nodes) + 150),
            yaxis={"autorange": "reversed", "title": {"text": "Node (★ the one chosen)"}},
            xaxis={"title": {"text": "score plugin" + (" and the weighted total" if value == "weighted" else "")}},
            margin={"t": 70, "b": 60},
        )

    def annotations(self) -> dict[str, str]:
        """The kube-scheduler-simulator annotations of this attempt (JSON strings, keys sorted)."""

        def dump(obj: Any) -> str:
            return json.dumps(obj, sort_keys=True, separators=(",", ":"))

        out = {
            _PREFIX + "prefilter-result-status": dump(self.pre_filter),
            _PREFIX + "prefilter-result": dump(self.pre_filter_nodes),
            _PREFIX + "filter-result": dump(self.filter),
            _PREFIX + "postfilter-result": dump(
                {self.post_filter["node"]: {"DefaultPreemption": "success"}} if self.post_filter.get("node") else {}
            ),
            _PREFIX + "prescore-result": dump(self.pre_score),
            _PREFIX + "score-result": dump({n: {p: str(v) for p, v in s.items()} for n, s in self.score.items()}),
            _PREFIX + "finalscore-result": dump(
                {n: {p: str(v) for p, v in s.items()} for n, s in self.final_score.items()}
            ),
        }
        if self.selected_node:
            out[_PREFIX + "selected-node"] = self.selected_node
        return out
