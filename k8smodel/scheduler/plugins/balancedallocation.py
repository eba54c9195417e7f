"""NodeResourcesBalancedAllocation: prefer Nodes whose cpu and memory (or configured resources) would be used in
equal fractions.

Upstream: ``pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go`` (``PreScore``: the Pod's plain
requests, ``Skip`` for a best-effort Pod that requests none of the resources, so such Pods do not pile up on one
Node; ``Score``: ``balancedResourceScorer`` on requested = the Node's plain requests + the Pod's, with
``useRequested``; no NormalizeScore). The formula is :func:`k8smodel.scheduler.scoring.balanced_allocation`. Test
cases: ``balanced_allocation_test.go``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from k8smodel.scheduler import scoring
from k8smodel.scheduler.cache import REQ_CPU, REQ_MEM
from k8smodel.scheduler.framework import MAX_NODE_SCORE, SKIP, Cycle, Plugin, Status
from k8smodel.scheduler.plugins.noderesources import cpu_memory_rows, node_resources, pod_resource_requests


def fast_balanced2(
    requested: dict[str, np.ndarray], allocatable: dict[str, np.ndarray], names: list[str]
) -> np.ndarray:
    """``balancedResourceScorer`` for two resources: ``int64((1 - |f0 - f1| / 2) * 100)`` where both are present
    (fractions ``float64(req) / float64(alloc)`` capped at 1), else 100 (std 0); float64 in upstream's order."""
    (a, b) = names
    ca, cb = allocatable[a], allocatable[b]
    pa, pb = ca > 0, cb > 0
    fa = np.minimum(requested[a] / np.where(pa, ca, 1), 1.0)
    fb = np.minimum(requested[b] / np.where(pb, cb, 1), 1.0)
    std = np.where(pa & pb, np.abs((fa - fb) / 2), 0.0)
    return ((1 - std) * float(MAX_NODE_SCORE)).astype(np.int64)


def fast_balanced_cpu_memory(cycle: Cycle, slots: np.ndarray, pod_requests: list[int]) -> np.ndarray:
    """:func:`fast_balanced2` for cpu and memory on 2-row arrays."""
    alloc, safe, all_present = cpu_memory_rows(cycle, slots)
    requested = cycle.cols(slots)[REQ_CPU : REQ_MEM + 1] + np.array(pod_requests, dtype=np.int64).reshape(2, 1)
    f = requested / safe
    np.minimum(f, 1.0, out=f)
    std = np.abs((f[0] - f[1]) / 2)
    if not all_present:
        present = alloc > 0
        std = np.where(present[0] & present[1], std, 0.0)
    return ((1 - std) * float(MAX_NODE_SCORE)).astype(np.int64)


class NodeResourcesBalancedAllocation(Plugin):
    NAME = "NodeResourcesBalancedAllocation"
    TRUSTED_SCORES = True
    EXTENSION_POINTS = ("preScore", "score")

    def __init__(self, args: Mapping[str, Any], framework: Any) -> None:
        super().__init__(args, framework)
        resources = (args or {}).get("resources") or [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]
        self.resources = [r["name"] for r in resources]

    def pre_score(self, cycle: Cycle, slots: np.ndarray) -> Status | None:
        reqs = pod_resource_requests(cycle.pod_info, self.resources, True)
        if not any(reqs):
            return SKIP
        cycle.state["PreScoreNodeResourcesBalancedAllocation"] = reqs
        return None

    def score_vec(self, cycle: Cycle, slots: np.ndarray) -> np.ndarray:
        reqs = cycle.state.get("PreScoreNodeResourcesBalancedAllocation")
        if reqs is None:
            reqs = pod_resource_requests(cycle.pod_info, self.resources, True)
        if self.resources == ["cpu", "memory"] and len(slots):
            return fast_balanced_cpu_memory(cycle, slots, reqs)
        requested, allocatable = node_resources(cycle, slots, self.resources, reqs, True)
        if len(self.resources) == 2:
            return fast_balanced2(requested, allocatable, self.resources)
        return scoring.balanced_allocation(requested, allocatable, self.resources)  # type: ignore[return-value]
