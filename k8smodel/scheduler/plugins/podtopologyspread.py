"""PodTopologySpread: spread matching Pods evenly over topology domains (zones, Nodes, ...).

Upstream: ``pkg/scheduler/framework/plugins/podtopologyspread/``:

* ``plugin.go``: the system default constraints (``kubernetes.io/hostname`` maxSkew 3 and
  ``topology.kubernetes.io/zone`` maxSkew 5, both ``ScheduleAnyway``), used when ``defaultingType: System`` (the
  default) for a Pod without constraints of its own; their selector is ``helper.DefaultSelector``: the selectors of
  the Services selecting the Pod and of its controlling ReplicationController, ReplicaSet or StatefulSet. A Pod
  with no such owner or Service gets no default constraint.
* ``common.go``: ``filterTopologySpreadConstraints`` (``minDomains`` defaults to 1, ``nodeAffinityPolicy`` to
  ``Honor``, ``nodeTaintsPolicy`` to ``Ignore``; ``matchLabelKeys`` merged into the selector),
  ``countPodsMatchSelector`` (same namespace, not terminating), ``nodeLabelsMatchSpreadConstraints``.
* ``filtering.go``: ``PreFilter`` counts the matching Pods of each ``DoNotSchedule`` constraint per domain over
  the Nodes that carry every topology key and pass the inclusion policies (``Skip`` when there is none);
  ``Filter``: a Node without the key is UnschedulableAndUnresolvable (``node(s) didn't match pod topology spread
  constraints (missing required label)``); else ``matchNum + selfMatch - minMatch > maxSkew`` is Unschedulable
  (``node(s) didn't match pod topology spread constraints``), ``minMatch`` being 0 while there are fewer domains
  than ``minDomains``; ``AddPod``/``RemovePod`` keep the counts during preemption. Counts are per constraint
  (current upstream), with the two "critical paths" upstream keeps for the minimum.
* ``scoring.go``: ``PreScore`` (``ScheduleAnyway`` constraints; Nodes missing a key are ignored unless the
  constraints are the system defaults; each constraint weighs ``ln(#domains + 2)``); ``Score``: ``Σ cnt·weight +
  (maxSkew - 1)`` rounded; ``NormalizeScore``: ``100 · (max + min - s) / max``, ignored Nodes 0.

Test cases: ``filtering_test.go``, ``scoring_test.go``. The counting is vectorized: per-Node counts of the Pods a
selector matches come from the snapshot's memoized label-set index, summed per domain with ``bincount``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import orjson

from k8smodel.api.labels import Selector, label_selector_as_selector, selector_from_set
from k8smodel.api.nodeaffinity import RequiredNodeAffinity
from k8smodel.api.tolerations import find_matching_untolerated_taint
from k8smodel.scheduler.cache import LABEL_HOSTNAME, LABEL_ZONE, PRESENT, TAINTS, NodeInfo, PodInfo
from k8smodel.scheduler.framework import (
    MAX_NODE_SCORE,
    SKIP,
    Cycle,
    Plugin,
    PreFilterResult,
    Status,
    error,
    unresolvable,
    unschedulable,
)
from k8smodel.scheduler.plugins.nodeaffinity import required_affinity_mask, required_node_affinity
from k8smodel.scheduler.plugins.tainttoleration import untolerated_table

ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)"
_LABEL_MISSING = unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH)
_SKEW = unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH)

DO_NOT_SCHEDULE = "DoNotSchedule"
SCHEDULE_ANYWAY = "ScheduleAnyway"
HONOR = "Honor"
IGNORE = "Ignore"
SYSTEM_DEFAULTING = "System"
LIST_DEFAULTING = "List"

SYSTEM_DEFAULT_CONSTRAINTS: tuple[dict[str, Any], ...] = (
    {"topologyKey": LABEL_HOSTNAME, "whenUnsatisfiable": SCHEDULE_ANYWAY, "maxSkew": 3},
    {"topologyKey": LABEL_ZONE, "whenUnsatisfiable": SCHEDULE_ANYWAY, "maxSkew": 5},
)
_MAX_INT32 = 2**31 - 1


class Constraint:
    """``topologySpreadConstraint``: a constraint with its selector parsed."""

    __slots__ = ("affinity_policy", "max_skew", "min_domains", "selector", "taints_policy", "topology_key")

    def __init__(self, c: Mapping[str, Any], selector: Selector) -> None:
        self.max_skew = int(c.get("maxSkew") or 0)
        self.topology_key: str = c.get("topologyKey") or ""
        self.selector = selector
        md = c.get("minDomains")
        self.min_domains = 1 if md is None else int(md)
        self.affinity_policy = c.get("nodeAffinityPolicy") or HONOR
        self.taints_policy = c.get("nodeTaintsPolicy") or IGNORE

    def matches_inclusion(self, cycle: Cycle, node_info: NodeInfo, required: RequiredNodeAffinity) -> bool:
        """``matchNodeInclusionPolicies``."""
        if self.affinity_policy == HONOR and not required.match(node_info.node or {}):
            return False
        if self.taints_policy == HONOR:
            tolerations = (cycle.pod.get("spec") or {}).get("tolerations")
            bad = find_matching_untolerated_taint(
                node_info.taints, tolerations, lambda t: t.get("effect") in ("NoSchedule", "NoExecute")
            )
            if bad is not None:
                return False
        return True


def filter_constraints(
    constraints: Sequence[Mapping[str, Any]], pod_labels: Mapping[str, str], action: str
) -> list[Constraint]:
    """``filterTopologySpreadConstraints``: the constraints with ``whenUnsatisfiable == action``."""
    out = []
    for c in constraints:
        if c.get("whenUnsatisfiable") != action:
            continue
        selector = label_selector_as_selector(c.get("labelSelector"))
        keys = c.get("matchLabelKeys") or ()
        match = {k: pod_labels[k] for k in keys if k in pod_labels}
        if match and not selector.matches_nothing:
            selector = selector_from_set(match).add(*selector.requirements)
        out.append(Constraint(c, selector))
    return out


def _controller(pod: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for ref in (pod.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def default_selector(pod: Mapping[str, Any], listers: Any) -> Selector:
    """``helper.DefaultSelector``: the merged selectors of the Pod's Services and controlling RC/RS/StatefulSet."""
    meta = pod.get("metadata") or {}
    ns = meta.get("namespace") or "default"
    labels = meta.get("labels") or {}
    label_set: dict[str, str] = {}
    services = getattr(listers, "services", None) if listers is not None else None
    if services is not None:
        for svc in services(ns) or ():
            sel = (svc.get("spec") or {}).get("selector")
            if sel is None:
                continue
            if selector_from_set(sel).matches(labels):
                label_set.update(sel)
    selector = selector_from_set(label_set)
    owner = _controller(pod)
    if owner is None or listers is None:
        return selector
    api_version, kind, name = owner.get("apiVersion") or "", owner.get("kind") or "", owner.get("name") or ""
    if api_version == "v1" and kind == "ReplicationController":
        get = getattr(listers, "replication_controller", None)
        rc = get(ns, name) if get else None
        if rc is not None:
            label_set.update((rc.get("spec") or {}).get("selector") or {})
            selector = selector_from_set(label_set)
    elif api_version == "apps/v1" and kind in ("ReplicaSet", "StatefulSet"):
        get = getattr(listers, "replica_set" if kind == "ReplicaSet" else "stateful_set", None)
        obj = get(ns, name) if get else None
        if obj is not None:
            try:
                other = label_selector_as_selector((obj.get("spec") or {}).get("selector"))
            except ValueError:
                other = None
            if other is not None and not other.matches_nothing:
                selector = selector.add(*other.requirements)
    return selector


_OWNER_LISTERS = {
    ("v1", "ReplicationController"): "replication_controller",
    ("apps/v1", "ReplicaSet"): "replica_set",
    ("apps/v1", "StatefulSet"): "stateful_set",
}


def _default_selector_key(pod: Mapping[str, Any], listers: Any, services_version: int) -> tuple | None:
    """What :func:`default_selector` reads, as a cache key: the Pod's namespace and labels, the version of the
    Services it lists (the lister's change count: any Service change makes a new key) and its controller with that
    object's uid and selector. ``None`` (compute it afresh) for labels that are not strings (bad input)."""
    meta = pod.get("metadata") or {}
    ns = meta.get("namespace") or "default"
    labels = tuple((meta.get("labels") or {}).items())
    for k, v in labels:
        if type(k) is not str or type(v) is not str:
            return None
    owner = _controller(pod)
    owner_key: tuple | None = None
    if owner is not None:
        api_version, kind, name = owner.get("apiVersion") or "", owner.get("kind") or "", owner.get("name") or ""
        get = getattr(listers, _OWNER_LISTERS.get((api_version, kind), ""), None)
        obj = get(ns, name) if get else None
        if obj is None:
            owner_key = (api_version, kind, name)
        else:
            try:
                selector = orjson.dumps((obj.get("spec") or {}).get("selector"))
            except TypeError:
                return None
            owner_key = (api_version, kind, name, (obj.get("metadata") or {}).get("uid"), selector)
    return (ns, labels, owner_key, services_version)


def _count_key(ns: str, selector: Selector) -> tuple:
    return ("PodTopologySpread", ns, selector)


def _counts(cycle: Cycle, c: Constraint) -> np.ndarray:
    """Per slot: ``countPodsMatchSelector`` (same namespace, not terminating; an empty selector counts 0)."""
    ns = cycle.pod_info.namespace
    selector = c.selector
    if selector.empty():
        return np.zeros(cycle.snapshot.num.shape[1], dtype=np.int64)

    def matcher(pod_ns: str, labels: dict[str, str], terminating: bool) -> bool:
        return pod_ns == ns and not terminating and selector.matches(labels)

    return cycle.snapshot.pod_counts(_count_key(ns, selector), matcher)


class _CriticalPaths:
    """``criticalPaths``: ``[(value, num), (value, num)]``; ``paths[0]`` holds the minimum."""

    __slots__ = ("p",)

    def __init__(self) -> None:
        self.p = [["", _MAX_INT32], ["", _MAX_INT32]]

    def update(self, value: str, num: int) -> None:
        p = self.p
        i = 0 if value == p[0][0] else (1 if value == p[1][0] else -1)
        if i >= 0:
            p[i][1] = num
            if p[0][1] > p[1][1]:
                p[0], p[1] = p[1], p[0]
        elif num < p[0][1]:
            p[1] = p[0]
            p[0] = [value, num]
        elif num < p[1][1]:
            p[1] = [value, num]

    def copy(self) -> _CriticalPaths:
        c = _CriticalPaths()
        c.p = [list(self.p[0]), list(self.p[1])]
        return c


class _PreFilterState:
    """``preFilterState``: per constraint, the matching Pods per domain and the critical paths."""

    __slots__ = ("constraints", "critical_paths", "dense", "tp_value_to_match_num")

    def __init__(self, constraints: list[Constraint]) -> None:
        self.constraints = constraints
        self.tp_value_to_match_num: list[dict[str, int]] = [{} for _ in constraints]
        self.critical_paths: list[_CriticalPaths] = [_CriticalPaths() for _ in constraints]
        self.dense: list[np.ndarray | None] = [None for _ in constraints]

    def min_match_num(self, i: int) -> int:
        """``minMatchNum``: 0 while there are fewer domains than ``minDomains``."""
        if len(self.tp_value_to_match_num[i]) < self.constraints[i].min_domains:
            return 0
        return self.critical_paths[i].p[0][1]

    def clone(self) -> _PreFilterState:
        c = _PreFilterState.__new__(_PreFilterState)
        c.constraints = self.constraints
        c.tp_value_to_match_num = [dict(m) for m in self.tp_value_to_match_num]
        c.critical_paths = [p.copy() for p in self.critical_paths]
        c.dense = [None for _ in self.constraints]
        return c


class PodTopologySpread(Plugin):
    NAME = "PodTopologySpread"
    TRUSTED_SCORES = True
    EXTENSION_POINTS = ("preFilter", "filter", "preScore", "score")
    EVENTS = (
        ("AssignedPod", "Add"),
        ("AssignedPod", "UpdatePodLabel"),
        ("AssignedPod", "Delete"),
        ("Node", "Add"),
        ("Node", "Delete"),
        ("Node", "UpdateNodeLabel"),
        ("Node", "UpdateNodeTaint"),
        ("Pod", "UpdatePodLabel"),
    )
    has_pre_filter_extensions = True

    def __init__(self, args: Mapping[str, Any], framework: Any) -> None:
        super().__init__(args, framework)
        args = args or {}
        defaulting = args.get("defaultingType") or SYSTEM_DEFAULTING
        self.system_defaulted = defaulting == SYSTEM_DEFAULTING
        if self.system_defaulted:
            self.default_constraints: list[Mapping[str, Any]] = list(SYSTEM_DEFAULT_CONSTRAINTS)
        else:
            self.default_constraints = list(args.get("defaultConstraints") or ())
        self._tables: dict = {}
        self._selectors: dict[tuple, Selector] = {}  # _default_selector's answers

    # -- constraints --------------------------------------------------------------------------------------------

    def constraints(self, cycle: Cycle, action: str) -> list[Constraint]:
        """The Pod's own constraints with ``action``, or the default ones (``buildDefaultConstraints``)."""
        key = f"PodTopologySpread/{action}"
        found = cycle.state.get(key)
        if found is not None:
            return found
        pi = cycle.pod_info
        own = (cycle.pod.get("spec") or {}).get("topologySpreadConstraints") or []
        if own:
            found = filter_constraints(own, pi.labels, action)
        elif not any(c.get("whenUnsatisfiable") == action for c in self.default_constraints):
            found = []
        else:
            selector = cycle.state.get("PodTopologySpread/defaultSelector")
            if selector is None:
                selector = cycle.state["PodTopologySpread/defaultSelector"] = self._default_selector(cycle.pod)
            if selector.empty():
                found = []
            else:
                found = filter_constraints(self.default_constraints, pi.labels, action)
                for c in found:
                    c.selector = selector
        cycle.state[key] = found
        return found

    def _default_selector(self, pod: Mapping[str, Any]) -> Selector:
        """:func:`default_selector`, kept per Pod shape: the siblings of a ReplicaSet's Pods share one answer (their
        labels, Services and controller are the same) until a Service changes. Listers that cannot tell their
        Services' version (``services_version``) get it computed every time."""
        listers = self.framework.listers
        version = getattr(listers, "services_version", None)
        key = _default_selector_key(pod, listers, version()) if version is not None else None
        if key is None:
            return default_selector(pod, listers)
        found = self._selectors.get(key)
        if found is None:
            if len(self._selectors) >= 4096:
                self._selectors.clear()
            found = self._selectors[key] = default_selector(pod, listers)
        return found

    def _inclusion(self, cycle: Cycle, c: Constraint, affinity: np.ndarray | None) -> Any:
        """``matchNodeInclusionPolicies`` for every slot (``True`` when no policy restricts)."""
        mask: Any = True
        if c.affinity_policy == HONOR and affinity is not None:
            mask = affinity
        if c.taints_policy == HONOR:
            tolerations = list((cycle.pod.get("spec") or {}).get("tolerations") or ())
            table = untolerated_table(cycle.snapshot.taint_sets, tolerations, self._tables, "filter")
            if np.count_nonzero(table):
                mask = mask & ~table[cycle.snapshot.num[TAINTS]]
        return mask

    @staticmethod
    def _affinity_all_slots(cycle: Cycle) -> np.ndarray | None:
        """The Pod's required node affinity on every slot, or None when it has none (every Node matches)."""
        req = required_node_affinity(cycle)
        if req.label_selector is None and req.node_selector is None:
            return None
        snapshot = cycle.snapshot
        return required_affinity_mask(snapshot, req, np.arange(snapshot.num.shape[1]))

    # -- PreFilter / Filter -------------------------------------------------------------------------------------

    def pre_filter(self, cycle: Cycle) -> tuple[PreFilterResult | None, Status | None]:
        try:
            constraints = self.constraints(cycle, DO_NOT_SCHEDULE)
        except ValueError as err:
            return None, error(f"obtaining pod's hard topology spread constraints: {err}")
        if not constraints:
            return None, SKIP
        snapshot = cycle.snapshot
        state = _PreFilterState(constraints)
        # per slot (every Node of the snapshot, and no ghost): all topology keys present
        has_all = snapshot.num[PRESENT] > 0
        for c in constraints:
            has_all &= snapshot.label_ids(c.topology_key).ids >= 0
        affinity = self._affinity_all_slots(cycle)
        for i, c in enumerate(constraints):
            incl = has_all & self._inclusion(cycle, c, affinity)
            idx = snapshot.label_ids(c.topology_key)
            vids = idx.ids[incl]
            counts = _counts(cycle, c)[incl]
            n = len(idx.values)
            present = np.bincount(vids, minlength=n) > 0
            sums = np.bincount(vids, weights=counts, minlength=n).astype(np.int64)
            tp = state.tp_value_to_match_num[i]
            paths = state.critical_paths[i]
            for vid in np.flatnonzero(present).tolist():
                tp[idx.values[vid]] = int(sums[vid])
            for value, num in tp.items():
                paths.update(value, num)
        cycle.state["PreFilterPodTopologySpread"] = state
        return None, None

    def _dense(self, cycle: Cycle, state: _PreFilterState, i: int) -> np.ndarray:
        d = state.dense[i]
        idx = cycle.snapshot.label_ids(state.constraints[i].topology_key)
        if d is None or len(d) < len(idx.values):
            d = np.zeros(len(idx.values) + 1, dtype=np.int64)
            for value, num in state.tp_value_to_match_num[i].items():
                d[idx.id_of(value)] = num
            state.dense[i] = d
        return d

    def filter_vec(self, cycle: Cycle, slots: np.ndarray, alive: np.ndarray) -> np.ndarray | None:
        state: _PreFilterState | None = cycle.state.get("PreFilterPodTopologySpread")
        if state is None or not state.constraints:
            return None
        snapshot = cycle.snapshot
        codes = np.zeros(len(slots), dtype=np.int32)
        labels = cycle.pod_info.labels
        for i, c in enumerate(state.constraints):
            vids = snapshot.label_ids(c.topology_key).ids[slots]
            missing = vids < 0
            codes[missing & (codes == 0)] = cycle.code(self.NAME, _LABEL_MISSING)
            dense = self._dense(cycle, state, i)
            match_num = dense[np.maximum(vids, 0)]
            self_match = 1 if c.selector.matches(labels) else 0
            skew = match_num + self_match - state.min_match_num(i)
            codes[(skew > c.max_skew) & ~missing & (codes == 0)] = cycle.code(self.NAME, _SKEW)
        return codes

    def filter_node(self, cycle: Cycle, node_info: NodeInfo) -> Status | None:
        state: _PreFilterState | None = cycle.state.get("PreFilterPodTopologySpread")
        if state is None or not state.constraints:
            return None
        labels = cycle.pod_info.labels
        for i, c in enumerate(state.constraints):
            value = node_info.labels.get(c.topology_key)
            if value is None:
                return _LABEL_MISSING
            self_match = 1 if c.selector.matches(labels) else 0
            match_num = state.tp_value_to_match_num[i].get(value, 0)
            if match_num + self_match - state.min_match_num(i) > c.max_skew:
                return _SKEW
        return None

    def _update_with_pod(self, cycle: Cycle, pi: PodInfo, node_info: NodeInfo, delta: int) -> None:
        """``updateWithPod``."""
        state: _PreFilterState | None = cycle.state.get("PreFilterPodTopologySpread")
        if state is None or pi.namespace != cycle.pod_info.namespace or node_info.node is None:
            return
        if any(c.topology_key not in node_info.labels for c in state.constraints):
            return
        required = required_node_affinity(cycle)
        for i, c in enumerate(state.constraints):
            if not c.selector.matches(pi.labels):
                continue
            if not c.matches_inclusion(cycle, node_info, required):
                continue
            v = node_info.labels[c.topology_key]
            tp = state.tp_value_to_match_num[i]
            tp[v] = tp.get(v, 0) + delta
            state.critical_paths[i].update(v, tp[v])
            state.dense[i] = None

    def add_pod(self, cycle: Cycle, pod_info: PodInfo, node_info: NodeInfo) -> None:
        self._update_with_pod(cycle, pod_info, node_info, 1)

    def remove_pod(self, cycle: Cycle, pod_info: PodInfo, node_info: NodeInfo) -> None:
        self._update_with_pod(cycle, pod_info, node_info, -1)

    # -- PreScore / Score ---------------------------------------------------------------------------------------

    def pre_score(self, cycle: Cycle, slots: np.ndarray) -> Status | None:
        snapshot = cycle.snapshot
        if snapshot.num_nodes == 0:
            return SKIP
        try:
            constraints = self.constraints(cycle, SCHEDULE_ANYWAY)
        except ValueError as err:
            return error(f"calculating preScoreState: {err}")
        if not constraints:
            return SKIP
        own = bool((cycle.pod.get("spec") or {}).get("topologySpreadConstraints"))
        require_all = own or not self.system_defaulted
        # initPreScoreState over the filtered Nodes: the ignored ones, the domains, the weights
        ignored: np.ndarray | None = None
        if require_all:
            ig = np.zeros(len(slots), dtype=bool)
            for c in constraints:
                ig |= snapshot.label_ids(c.topology_key).ids[slots] < 0
            if np.count_nonzero(ig):
                ignored = ig
        n_valid = len(slots) - (0 if ignored is None else int(ignored.sum()))
        # then count the matching Pods of every Node of the cluster, per domain (per slot arrays, no gathers)
        present = snapshot.num[PRESENT] > 0
        has_all = present
        if require_all:
            for c in constraints:
                has_all = has_all & (snapshot.label_ids(c.topology_key).ids >= 0)
        affinity = self._affinity_all_slots(cycle)
        weights: list[float] = []
        tp_counts: list[np.ndarray | None] = []
        for c in constraints:
            if c.topology_key == LABEL_HOSTNAME:
                weights.append(math.log(n_valid + 2))
                tp_counts.append(None)  # counted per Node in Score
                continue
            idx = snapshot.label_ids(c.topology_key)
            ids = idx.ids
            fids = ids[slots] if ignored is None else ids[slots][~ignored]
            if not require_all:  # a Node without the key is in the domain "" (value id 0)
                fids = np.maximum(fids, 0)
            dom = np.zeros(len(idx.values) + 1, dtype=bool)  # the extra last entry stands for id -1: never
            dom[fids] = True
            weights.append(math.log(int(dom.sum()) + 2))
            inclusion = self._inclusion(cycle, c, affinity)
            if not require_all and inclusion is True and not c.selector.empty():
                # every present Node counts: the per-domain sums the snapshot keeps for this selector (a domain
                # outside ``dom`` is never read, so the unrestricted sums give the same scores)
                _counts(cycle, c)
                tp_counts.append(
                    snapshot.domain_counts(_count_key(cycle.pod_info.namespace, c.selector), c.topology_key)
                )
                continue
            if not require_all:
                ids = np.where(ids >= 0, ids, np.where(present, 0, -1))
            incl = has_all & dom[ids] & inclusion
            counts = np.where(incl, _counts(cycle, c), 0)
            tp_counts.append(
                np.bincount(np.maximum(ids, 0), weights=counts, minlength=len(idx.values)).astype(np.int64)
            )
        cycle.state["PreScorePodTopologySpread"] = (constraints, ignored, weights, tp_counts)
        return None

    def score_vec(self, cycle: Cycle, slots: np.ndarray) -> np.ndarray:
        state = cycle.state.get("PreScorePodTopologySpread")
        if state is None:
            st = self.pre_score(cycle, slots)
            if st is not None:
                return np.zeros(len(slots), dtype=np.int64)
            state = cycle.state["PreScorePodTopologySpread"]
        constraints, ignored, weights, tp_counts = state
        snapshot = cycle.snapshot
        score: Any = 0.0
        for c, w, tpc in zip(constraints, weights, tp_counts, strict=True):
            vids = snapshot.label_ids(c.topology_key).ids[slots]
            cnt = _counts(cycle, c)[slots] if tpc is None else tpc[np.maximum(vids, 0)]
            term = cnt * w + float(c.max_skew - 1)
            score = score + np.where(vids >= 0, term, 0.0)
        score = np.asarray(score, dtype=np.float64)
        floor = np.floor(score)  # score >= 0: math.Round is the floor plus one from the half up
        rounded = (floor + (score - floor >= 0.5)).astype(np.int64)
        return rounded if ignored is None else np.where(ignored, 0, rounded)

    def normalize(self, cycle: Cycle, scores: np.ndarray, slots: np.ndarray) -> np.ndarray:
        state = cycle.state.get("PreScorePodTopologySpread")
        if state is None:
            return scores
        ignored = state[1]
        valid = scores if ignored is None else scores[~ignored]
        if len(valid) == 0:
            return np.zeros(len(scores), dtype=np.int64)
        min_score = int(valid.min())
        max_score = max(int(valid.max()), 0)
        if max_score == 0:
            out = np.full(len(scores), MAX_NODE_SCORE, dtype=np.int64)
        else:
            out = MAX_NODE_SCORE * (max_score + min_score - scores) // max_score
        return out if ignored is None else np.where(ignored, 0, out)
