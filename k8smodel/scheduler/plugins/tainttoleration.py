"""TaintToleration: a Node's ``NoSchedule``/``NoExecute`` taints repel Pods that do not tolerate them; untolerated
``PreferNoSchedule`` taints lower the Node's score.

Upstream: ``pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go``: ``Filter`` (the first
untolerated ``NoSchedule``/``NoExecute`` taint rejects; code UnschedulableAndUnresolvable; current releases give the
reason ``node(s) had untolerated taint(s)``, older ones named the taint), ``PreScore`` (the tolerations with effect
``PreferNoSchedule`` or empty), ``Score`` (count of untolerated ``PreferNoSchedule`` taints) and ``NormalizeScore``
(``DefaultNormalizeScore`` reversed: no such taint scores 100). Test cases: ``taint_toleration_test.go``.

Vectorized: Nodes are grouped by their taint set (interned by the cache); each set is judged once per toleration
list and the verdict read per Node by its taint-set id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from k8smodel.api.tolerations import find_matching_untolerated_taint, tolerations_tolerate_taint
from k8smodel.scheduler.cache import TAINTS, NodeInfo
from k8smodel.scheduler.framework import Cycle, Plugin, Status, default_normalize, unresolvable

ERR_REASON_NOT_MATCH = "node(s) had untolerated taint(s)"
_STATUS = unresolvable(ERR_REASON_NOT_MATCH)


def _no_schedule(t: Mapping[str, Any]) -> bool:
    """``helper.DoNotScheduleTaintsFilterFunc``."""
    return t.get("effect") in ("NoSchedule", "NoExecute")


def _tolerations(pod: Mapping[str, Any]) -> list[dict]:
    return list((pod.get("spec") or {}).get("tolerations") or ())


def _key(tolerations: Sequence[Mapping[str, Any]]) -> tuple:
    return tuple(
        (t.get("key") or "", t.get("operator") or "", t.get("value") or "", t.get("effect") or "") for t in tolerations
    )


def _as_taints(key: tuple) -> list[dict]:
    return [{"key": k, "value": v, "effect": e} for k, v, e in key]


def untolerated_table(taint_sets: list, tolerations: list[dict], cache: dict, kind: str) -> np.ndarray:
    """Per taint-set id: does the set hold an untolerated NoSchedule/NoExecute taint (``kind="filter"``), or how
    many untolerated PreferNoSchedule taints (``kind="score"``). Extended as new taint sets appear."""
    ck = (kind, _key(tolerations))
    table = cache.get(ck)
    n = len(taint_sets)
    if table is None or len(table) < n:
        start = 0 if table is None else len(table)
        extra = []
        for tid in range(start, n):
            taints = _as_taints(taint_sets[tid])
            if kind == "filter":
                extra.append(find_matching_untolerated_taint(taints, tolerations, _no_schedule) is not None)
            else:
                extra.append(
                    sum(
                        1
                        for t in taints
                        if t["effect"] == "PreferNoSchedule" and not tolerations_tolerate_taint(tolerations, t)
                    )
                )
        dtype = bool if kind == "filter" else np.int64
        new = np.array(extra, dtype=dtype)
        table = new if table is None else np.concatenate([table, new])
        if len(cache) > 4096:
            cache.clear()
        cache[ck] = table
    return table


def prefer_no_schedule_tolerations(tolerations: list[dict]) -> list[dict]:
    """``getAllTolerationPreferNoSchedule``: effect PreferNoSchedule or empty (empty means all effects)."""
    return [t for t in tolerations if not t.get("effect") or t.get("effect") == "PreferNoSchedule"]


class TaintToleration(Plugin):
    NAME = "TaintToleration"
    TRUSTED_SCORES = True
    EXTENSION_POINTS = ("filter", "preScore", "score")
    EVENTS = (("Node", "Add"), ("Node", "UpdateNodeTaint"), ("Pod", "UpdatePodToleration"))

    def __init__(self, args: Mapping[str, Any], framework: Any) -> None:
        super().__init__(args, framework)
        self._tables: dict = {}

    def filter_vec(self, cycle: Cycle, slots: np.ndarray, alive: np.ndarray) -> np.ndarray | None:
        table = untolerated_table(cycle.snapshot.taint_sets, _tolerations(cycle.pod), self._tables, "filter")
        if not np.count_nonzero(table):
            return None
        bad = table[cycle.cols(slots)[TAINTS]]
        return np.where(bad, cycle.code(self.NAME, _STATUS), 0)

    def filter_node(self, cycle: Cycle, node_info: NodeInfo) -> Status | None:
        if find_matching_untolerated_taint(node_info.taints, _tolerations(cycle.pod), _no_schedule) is not None:
            return _STATUS
        return None

    def pre_score(self, cycle: Cycle, slots: np.ndarray) -> Status | None:
        cycle.state["PreScoreTaintToleration"] = prefer_no_schedule_tolerations(_tolerations(cycle.pod))
        return None

    def score_vec(self, cycle: Cycle, slots: np.ndarray) -> np.ndarray:
        tolerations = cycle.state.get("PreScoreTaintToleration")
        if tolerations is None:
            tolerations = prefer_no_schedule_tolerations(_tolerations(cycle.pod))
        table = untolerated_table(cycle.snapshot.taint_sets, tolerations, self._tables, "score")
        if not np.count_nonzero(table):
            return np.zeros(len(slots), dtype=np.int64)
        return table[cycle.cols(slots)[TAINTS]]

    def normalize(self, cycle: Cycle, scores: np.ndarray, slots: np.ndarray) -> np.ndarray:
        return default_normalize(scores, reverse=True)
