"""NodeResourcesFit: the Pod's requests must fit in what the Node has left; the scoring strategy ranks Nodes.

Upstream: ``pkg/scheduler/framework/plugins/noderesources/fit.go`` (``PreFilter``: ``computePodResourceRequest``;
``Filter``/``fitsRequest``: ``Too many pods`` when the Node's Pods + 1 exceed its ``pods`` allocatable, then for
each requested resource ``Insufficient <name>`` when the request exceeds allocatable minus requested; ignored
extended resources and resource groups are skipped; code Unschedulable, or UnschedulableAndUnresolvable when a
request exceeds the Node's whole allocatable, so preemption cannot help) and ``resource_allocation.go`` (the
scorer: ``calculateResourceAllocatableRequest`` adds the Pod's request to the Node's *non-zero* requested cpu and
memory; an extended resource the Pod does not request is bypassed). The strategies, ``LeastAllocated`` (default),
``MostAllocated`` and ``RequestedToCapacityRatio``, are :mod:`k8smodel.scheduler.scoring`. Test cases:
``fit_test.go``, ``least_allocated_test.go``, ``most_allocated_test.go``.

What the model leaves out: in-place resize accounting, DRA-backed extended resources, the placement score.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from k8smodel.scheduler import scoring
from k8smodel.scheduler.cache import (
    ALLOC_CPU,
    ALLOC_EPH,
    ALLOC_MEM,
    ALLOC_PODS,
    NPODS,
    NZ_CPU,
    NZ_MEM,
    REQ_CPU,
    REQ_EPH,
    REQ_MEM,
    NodeInfo,
    PodInfo,
    is_extended_resource_name,
    is_scalar_resource_name,
)
from k8smodel.scheduler.framework import Code, Cycle, Plugin, PreFilterResult, Status

LEAST_ALLOCATED = "LeastAllocated"
MOST_ALLOCATED = "MostAllocated"
REQUESTED_TO_CAPACITY_RATIO = "RequestedToCapacityRatio"


def insufficient(
    pi: PodInfo, node_info: NodeInfo, ignored: frozenset[str], ignored_groups: frozenset[str]
) -> list[tuple[str, bool]]:
    """``fitsRequest`` on one NodeInfo: ``[(reason, unresolvable)]``."""
    out: list[tuple[str, bool]] = []
    alloc, req = node_info.allocatable, node_info.requested
    if len(node_info.pods) + 1 > alloc.get("pods", 0):
        out.append(("Too many pods", False))
    if pi.cpu == 0 and pi.mem == 0 and pi.eph == 0 and not pi.scalars:
        return out
    for name, q in (("cpu", pi.cpu), ("memory", pi.mem), ("ephemeral-storage", pi.eph)):
        a = alloc.get(name, 0)
        if q > 0 and q > a - req.get(name, 0):
            out.append((f"Insufficient {name}", q > a))
    for name in sorted(pi.scalars):
        q = pi.scalars[name]
        if q == 0 or _ignored(name, ignored, ignored_groups):
            continue
        a = alloc.get(name, 0)
        if q > a - req.get(name, 0):
            out.append((f"Insufficient {name}", q > a))
    return out


def _ignored(name: str, ignored: frozenset[str], groups: frozenset[str]) -> bool:
    if not is_extended_resource_name(name):
        return False
    return name in ignored or (bool(groups) and name.split("/")[0] in groups)


def _status(reasons: list[tuple[str, bool]]) -> Status:
    code = Code.UnschedulableAndUnresolvable if any(u for _, u in reasons) else Code.Unschedulable
    return Status(code, tuple(r for r, _ in reasons))


def node_resources(
    cycle: Cycle, slots: np.ndarray, names: list[str], pod_requests: list[int], use_requested: bool
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """``calculateResourceAllocatableRequest`` for every Node in ``slots``: ``(requested + pod, allocatable)``."""
    cols = cycle.cols(slots)
    snapshot = cycle.snapshot
    requested: dict[str, np.ndarray] = {}
    allocatable: dict[str, np.ndarray] = {}
    zero = np.zeros(len(slots), dtype=np.int64)
    for name, q in zip(names, pod_requests, strict=True):
        if name == "cpu":
            allocatable[name] = cols[ALLOC_CPU]
            requested[name] = cols[REQ_CPU if use_requested else NZ_CPU] + q
        elif name == "memory":
            allocatable[name] = cols[ALLOC_MEM]
            requested[name] = cols[REQ_MEM if use_requested else NZ_MEM] + q
        elif name == "ephemeral-storage":
            allocatable[name] = cols[ALLOC_EPH]
            requested[name] = cols[REQ_EPH] + q
        elif is_scalar_resource_name(name) and q != 0 and name in snapshot.scalars:
            arr = snapshot.scalars[name]
            allocatable[name] = arr[0, slots]
            requested[name] = arr[1, slots] + q
        else:  # bypassed: an extended resource the Pod does not request, or an unknown name
            allocatable[name] = zero
            requested[name] = zero
    return requested, allocatable


def fast_allocated(
    requested: dict[str, np.ndarray], allocatable: dict[str, np.ndarray], weights: dict[str, int], most: bool
) -> np.ndarray:
    """``leastResourceScorer`` / ``mostResourceScorer`` in few numpy operations, with the same int64 arithmetic as
    :func:`k8smodel.scheduler.scoring.least_allocated` / ``most_allocated`` (a resource with allocatable 0 is
    skipped on that Node; least: 0 when requested > capacity; most: requested capped at capacity)."""
    num: Any = 0
    den: Any = 0
    for name, w in weights.items():
        c = allocatable[name]
        q = requested[name]
        safe = np.maximum(c, 1)  # allocatable is never negative; 0 is skipped below
        # most: 0 where c == 0; least: 0 where c == 0 or requested > capacity
        s = np.minimum(q, c) * 100 // safe if most else np.maximum((c - q) * 100 // safe, 0)
        present = c > 0
        num = num + (s if w == 1 else s * w)
        den = den + (present if w == 1 else present * w)
    if isinstance(den, int):
        return np.zeros(0, dtype=np.int64)
    return num // np.maximum(den, 1)


def cpu_memory_rows(cycle: Cycle, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """The Nodes' allocatable cpu and memory as one 2-row view, the same with 0 replaced by 1 (a safe divisor),
    and whether every Node has both (shared by NodeResourcesFit and BalancedAllocation within a cycle)."""
    found = cycle.state.get("NodeResources/cpu-memory")
    if found is not None and found[0] is slots:
        return found[1], found[2], found[3]
    alloc = cycle.cols(slots)[ALLOC_CPU : ALLOC_MEM + 1]
    safe = np.maximum(alloc, 1)
    all_present = bool(len(slots)) and bool(alloc.min() > 0)
    cycle.state["NodeResources/cpu-memory"] = (slots, alloc, safe, all_present)
    return alloc, safe, all_present


def fast_cpu_memory(
    cycle: Cycle, slots: np.ndarray, pod_requests: list[int], weights: dict[str, int], most: bool
) -> np.ndarray:
    """:func:`fast_allocated` for exactly cpu and memory, on 2-row arrays (half the numpy calls)."""
    alloc, safe, all_present = cpu_memory_rows(cycle, slots)
    requested = cycle.cols(slots)[NZ_CPU : NZ_MEM + 1] + np.array(pod_requests, dtype=np.int64).reshape(2, 1)
    if most:
        s = np.minimum(requested, alloc)
        s *= 100
        s //= safe
    else:
        s = alloc - requested
        s *= 100
        s //= safe
        np.maximum(s, 0, out=s)
    wc, wm = weights["cpu"], weights["memory"]
    num = s[0] + s[1] if wc == wm == 1 else s[0] * wc + s[1] * wm
    if all_present:
        return num // (wc + wm)
    present = alloc > 0
    den = present[0] * wc + present[1] * wm
    return num // np.maximum(den, 1)


def pod_resource_requests(pi: PodInfo, names: list[str], use_requested: bool) -> list[int]:
    """``calculatePodResourceRequestList``: cpu and memory with the non-zero defaults unless ``use_requested``."""
    out = []
    for name in names:
        if name == "cpu":
            out.append(pi.cpu if use_requested else pi.non0_cpu)
        elif name == "memory":
            out.append(pi.mem if use_requested else pi.non0_mem)
        else:
            out.append(pi.requests.get(name, 0))
    return out


class NodeResourcesFit(Plugin):
    NAME = "NodeResourcesFit"
    TRUSTED_SCORES = True
    EXTENSION_POINTS = ("preFilter", "filter", "preScore", "score")
    EVENTS = (
        ("AssignedPod", "Delete"),
        ("AssignedPod", "UpdatePodScaleDown"),
        ("Node", "Add"),
        ("Node", "UpdateNodeAllocatable"),
    )

    def __init__(self, args: Mapping[str, Any], framework: Any) -> None:
        super().__init__(args, framework)
        args = args or {}
        self.ignored = frozenset(args.get("ignoredResources") or ())
        self.ignored_groups = frozenset(args.get("ignoredResourceGroups") or ())
        strategy = args.get("scoringStrategy") or {}
        self.strategy = strategy.get("type") or LEAST_ALLOCATED
        resources = strategy.get("resources") or [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]
        self.resources = [r["name"] for r in resources]
        self.weights = {r["name"]: int(r.get("weight") or 1) for r in resources}
        shape = ((strategy.get("requestedToCapacityRatio") or {}).get("shape")) or []
        self.shape = [(int(p.get("utilization") or 0), int(p.get("score") or 0)) for p in shape]

    def pre_filter(self, cycle: Cycle) -> tuple[PreFilterResult | None, Status | None]:
        return None, None  # the Pod's requests are cycle.pod_info's (computePodResourceRequest)

    def filter_vec(self, cycle: Cycle, slots: np.ndarray, alive: np.ndarray) -> np.ndarray | None:
        pi = cycle.pod_info
        snapshot = cycle.snapshot
        cols = cycle.cols(slots)
        bits: Any = cols[NPODS] >= cols[ALLOC_PODS]  # len(pods) + 1 > allowed
        unres: Any = False
        names = ["Too many pods"]
        if pi.cpu or pi.mem or pi.eph or pi.scalars:
            bits = bits.astype(np.int64)
            checks: list[tuple[str, int, np.ndarray, np.ndarray]] = []
            for name, q, ra, rr in (
                ("cpu", pi.cpu, ALLOC_CPU, REQ_CPU),
                ("memory", pi.mem, ALLOC_MEM, REQ_MEM),
                ("ephemeral-storage", pi.eph, ALLOC_EPH, REQ_EPH),
            ):
                if q > 0:
                    checks.append((name, q, cols[ra], cols[rr]))
            for name in sorted(pi.scalars):
                q = pi.scalars[name]
                if q == 0 or _ignored(name, self.ignored, self.ignored_groups):
                    continue
                arr = snapshot.scalars.get(name)
                if arr is None:
                    a = r = np.zeros(len(slots), dtype=np.int64)
                else:
                    a, r = arr[0, slots], arr[1, slots]
                checks.append((name, q, a, r))
            for name, q, a, r in checks:
                fail = q > a - r
                if np.count_nonzero(fail):
                    bits |= fail.astype(np.int64) << len(names)
                    unres = unres | (fail & (q > a))
                names.append(f"Insufficient {name}")
        if not np.count_nonzero(bits):
            return None
        bits = np.asarray(bits, dtype=np.int64)
        key = bits * 2 + unres
        codes = np.zeros(len(slots), dtype=np.int32)
        for u in np.unique(key[bits != 0]).tolist():
            b = u >> 1
            reasons = tuple(n for j, n in enumerate(names) if b >> j & 1)
            st = Status(Code.UnschedulableAndUnresolvable if u & 1 else Code.Unschedulable, reasons)
            codes[key == u] = cycle.code(self.NAME, st)
        return codes

    def filter_node(self, cycle: Cycle, node_info: NodeInfo) -> Status | None:
        reasons = insufficient(cycle.pod_info, node_info, self.ignored, self.ignored_groups)
        return _status(reasons) if reasons else None

    def pre_score(self, cycle: Cycle, slots: np.ndarray) -> Status | None:
        cycle.state["PreScoreNodeResourcesFit"] = pod_resource_requests(cycle.pod_info, self.resources, False)
        return None

    def score_vec(self, cycle: Cycle, slots: np.ndarray) -> np.ndarray:
        pod_reqs = cycle.state.get("PreScoreNodeResourcesFit")
        if pod_reqs is None:
            pod_reqs = pod_resource_requests(cycle.pod_info, self.resources, False)
        if self.resources == ["cpu", "memory"] and self.strategy != REQUESTED_TO_CAPACITY_RATIO and len(slots):
            return fast_cpu_memory(cycle, slots, pod_reqs, self.weights, self.strategy == MOST_ALLOCATED)
        requested, allocatable = node_resources(cycle, slots, self.resources, pod_reqs, False)
        if self.strategy == REQUESTED_TO_CAPACITY_RATIO:
            return scoring.requested_to_capacity_ratio(  # type: ignore[return-value]
                requested, allocatable, self.shape, self.weights
            )
        if len(slots) == 0:
            return np.zeros(0, dtype=np.int64)
        return fast_allocated(requested, allocatable, self.weights, self.strategy == MOST_ALLOCATED)
