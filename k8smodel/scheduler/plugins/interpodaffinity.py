"""InterPodAffinity: Pods that want (or refuse) to share a topology domain with other Pods.

Upstream: ``pkg/scheduler/framework/plugins/interpodaffinity/``:

* ``filtering.go``: ``PreFilter`` counts, per topology pair (key, value): the existing Pods whose *required
  anti-affinity* terms match the incoming Pod (on the Nodes that have such Pods), the existing Pods that match
  *all* the incoming Pod's required affinity terms, and those matching each of its required anti-affinity terms
  (``Skip`` when all three are empty). ``Filter`` rejects, in this order: a Node missing a topology key of the
  affinity terms or whose domains hold no matching Pod (UnschedulableAndUnresolvable, ``node(s) didn't match pod
  affinity rules``; except the first Pod of a group that matches its own terms when no Pod matches anywhere), a
  Node in a domain with a Pod the anti-affinity refuses (``node(s) didn't match pod anti-affinity rules``), a Node
  in a domain where an existing Pod's anti-affinity refuses the incoming Pod (``node(s) didn't satisfy existing
  pods anti-affinity rules``; both Unschedulable). ``AddPod``/``RemovePod`` keep the counts during preemption.
* ``scoring.go``: ``PreScore`` sums, per topology pair: ``+weight`` for existing Pods matching the incoming
  Pod's preferred affinity terms, ``-weight`` for its preferred anti-affinity, and for existing Pods with affinity:
  ``+hardPodAffinityWeight`` (default 1) per required affinity term matching the incoming Pod, ``±weight`` per
  preferred (anti-)affinity term matching it (``Skip`` when nothing was counted). ``Score``: the sum over the
  Node's labels; ``NormalizeScore``: min-max to 0..100.

Terms match as ``AffinityTerm.Matches``: the Pod's namespace is listed (default: the term owner's) or selected by
the namespace selector (namespace labels come from the listers), and its labels match. The scans over all Pods
are vectorized with the snapshot's label-set index. Test cases: ``filtering_test.go``, ``scoring_test.go``.

What the model leaves out: the ``InterPodAffinityHostnameFastPath`` optimization (alpha; same results).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from k8smodel.scheduler.cache import N_AFF, N_ANTI, AffinityTerm, NodeInfo, PodInfo
from k8smodel.scheduler.framework import (
    MAX_NODE_SCORE,
    SKIP,
    Cycle,
    Plugin,
    PreFilterResult,
    Status,
    unresolvable,
    unschedulable,
)

ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules"
ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"
_AFFINITY = unresolvable(ERR_REASON_AFFINITY)
_ANTI = unschedulable(ERR_REASON_ANTI_AFFINITY)
_EXISTING = unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY)


def _has_ns_selector(terms: list[AffinityTerm]) -> bool:
    return any(not t.namespace_selector.matches_nothing for t in terms)


def _matches_all(cycle: Cycle, terms: list[AffinityTerm], ns: str, labels: Mapping[str, str]) -> bool:
    """``podMatchesAllAffinityTerms`` (the incoming Pod's terms, their namespace selectors resolved)."""
    if not terms:
        return False
    ns_labels = cycle.ns_labels(ns)
    return all(t.matches(ns, labels, ns_labels) for t in terms)


def _pod_counts(cycle: Cycle, key: Any, terms: list[AffinityTerm], all_terms: bool) -> np.ndarray:
    """Per slot, how many Pods match all of ``terms`` (or the single term)."""

    def matcher(ns: str, labels: dict[str, str], terminating: bool) -> bool:
        ns_labels = cycle.ns_labels(ns) if has_sel else None
        return all(t.matches(ns, labels, ns_labels) for t in terms)

    has_sel = _has_ns_selector(terms)
    if has_sel:
        return cycle.snapshot.count_pods(matcher)
    return cycle.snapshot.pod_counts(("InterPodAffinity", key, all_terms), matcher)


def _pair_counts(cycle: Cycle, counts: np.ndarray, topology_key: str, into: dict[tuple[str, str], int]) -> None:
    """Add ``counts`` per Node to ``into[(key, node's value)]`` over all Nodes that have the key."""
    snapshot = cycle.snapshot
    slots = snapshot.order
    idx = snapshot.label_ids(topology_key)
    vids = idx.ids[slots]
    c = counts[slots]
    has = (vids >= 0) & (c != 0)
    if not np.count_nonzero(has):
        return
    sums = np.bincount(vids[has], weights=c[has], minlength=len(idx.values)).astype(np.int64)
    for vid in np.flatnonzero(sums).tolist():
        pair = (topology_key, idx.values[vid])
        v = into.get(pair, 0) + int(sums[vid])
        if v:
            into[pair] = v
        else:
            into.pop(pair, None)


def _update(m: dict[tuple[str, str], int], node_info: NodeInfo, key: str, value: int) -> None:
    """``topologyToMatchedTermCount.update``."""
    tv = node_info.labels.get(key)
    if tv is not None:
        pair = (key, tv)
        v = m.get(pair, 0) + value
        if v:
            m[pair] = v
        else:
            m.pop(pair, None)


class _PreFilterState:
    __slots__ = ("_dense", "affinity_counts", "anti_affinity_counts", "existing_anti_affinity_counts")

    def __init__(self) -> None:
        self.existing_anti_affinity_counts: dict[tuple[str, str], int] = {}
        self.affinity_counts: dict[tuple[str, str], int] = {}
        self.anti_affinity_counts: dict[tuple[str, str], int] = {}
        self._dense: dict[tuple[str, str], np.ndarray] = {}

    def clone(self) -> _PreFilterState:
        c = _PreFilterState()
        c.existing_anti_affinity_counts = dict(self.existing_anti_affinity_counts)
        c.affinity_counts = dict(self.affinity_counts)
        c.anti_affinity_counts = dict(self.anti_affinity_counts)
        return c


class InterPodAffinity(Plugin):
    NAME = "InterPodAffinity"
    TRUSTED_SCORES = True
    EXTENSION_POINTS = ("preFilter", "filter", "preScore", "score")
    EVENTS = (
        ("AssignedPod", "Add"),
        ("AssignedPod", "UpdatePodLabel"),
        ("AssignedPod", "Delete"),
        ("Node", "Add"),
        ("Node", "UpdateNodeLabel"),
        ("Pod", "UpdatePodLabel"),
    )
    has_pre_filter_extensions = True

    def __init__(self, args: Mapping[str, Any], framework: Any) -> None:
        super().__init__(args, framework)
        args = args or {}
        w = args.get("hardPodAffinityWeight")
        self.hard_pod_affinity_weight = 1 if w is None else int(w)
        self.ignore_preferred_terms_of_existing_pods = bool(args.get("ignorePreferredTermsOfExistingPods"))

    # -- PreFilter / Filter -------------------------------------------------------------------------------------

    def pre_filter(self, cycle: Cycle) -> tuple[PreFilterResult | None, Status | None]:
        pi = cycle.pod_info
        if pi.parse_error:
            return None, unresolvable(f"parsing pod: {pi.parse_error}")
        snapshot = cycle.snapshot
        state = _PreFilterState()
        # existing Pods' required anti-affinity against the incoming Pod
        if not snapshot.n_anti_pods and not pi.required_affinity_terms and not pi.required_anti_affinity_terms:
            return None, SKIP
        ns_labels = cycle.ns_labels(pi.namespace)
        anti_slots = snapshot.order[snapshot.num[N_ANTI, snapshot.order] > 0].tolist() if snapshot.n_anti_pods else []
        for slot in anti_slots:
            info = snapshot.infos[slot]
            assert info is not None
            for existing in info.pods_with_required_anti_affinity:
                for t in existing.required_anti_affinity_terms:
                    if t.matches(pi.namespace, pi.labels, ns_labels):
                        _update(state.existing_anti_affinity_counts, info, t.topology_key, 1)
        # the incoming Pod's required affinity / anti-affinity against existing Pods
        aff = pi.required_affinity_terms
        if aff:
            counts = _pod_counts(cycle, tuple(t.key for t in aff), aff, True)
            for t in aff:
                _pair_counts(cycle, counts, t.topology_key, state.affinity_counts)
        for t in pi.required_anti_affinity_terms:
            counts = _pod_counts(cycle, t.key, [t], False)
            _pair_counts(cycle, counts, t.topology_key, state.anti_affinity_counts)
        if not state.existing_anti_affinity_counts and not aff and not pi.required_anti_affinity_terms:
            return None, SKIP
        cycle.state["PreFilterInterPodAffinity"] = state
        return None, None

    def _dense(self, cycle: Cycle, counts: dict[tuple[str, str], int], key: str) -> np.ndarray:
        """Per label-value id of ``key``: the count of ``(key, value)``."""
        idx = cycle.snapshot.label_ids(key)
        d = np.zeros(len(idx.values) + 1, dtype=np.int64)
        for (k, v), n in counts.items():
            if k == key:
                vid = idx.value_id.get(v)
                if vid is not None:
                    d[vid] = n
        return d

    def filter_vec(self, cycle: Cycle, slots: np.ndarray, alive: np.ndarray) -> np.ndarray | None:
        state: _PreFilterState | None = cycle.state.get("PreFilterInterPodAffinity")
        if state is None:
            return None
        snapshot = cycle.snapshot
        pi = cycle.pod_info
        codes = np.zeros(len(slots), dtype=np.int32)
        aff = pi.required_affinity_terms
        if aff:
            all_keys = np.ones(len(slots), dtype=bool)
            pods_exist = np.ones(len(slots), dtype=bool)
            for t in aff:
                vids = snapshot.label_ids(t.topology_key).ids[slots]
                has = vids >= 0
                all_keys &= has
                d = self._dense(cycle, state.affinity_counts, t.topology_key)
                pods_exist &= ~has | (d[np.maximum(vids, 0)] > 0)
            if not state.affinity_counts and _matches_all(cycle, aff, pi.namespace, pi.labels):
                pods_exist[:] = True
            codes[~(all_keys & pods_exist)] = cycle.code(self.NAME, _AFFINITY)
        if state.anti_affinity_counts:
            fail = np.zeros(len(slots), dtype=bool)
            for t in pi.required_anti_affinity_terms:
                vids = snapshot.label_ids(t.topology_key).ids[slots]
                d = self._dense(cycle, state.anti_affinity_counts, t.topology_key)
                fail |= (vids >= 0) & (d[np.maximum(vids, 0)] > 0)
            codes[fail & (codes == 0)] = cycle.code(self.NAME, _ANTI)
        if state.existing_anti_affinity_counts:
            fail = np.zeros(len(slots), dtype=bool)
            for (k, v), n in state.existing_anti_affinity_counts.items():
                if n > 0:
                    idx = snapshot.label_ids(k)
                    vid = idx.value_id.get(v)
                    if vid is not None:
                        fail |= idx.ids[slots] == vid
            codes[fail & (codes == 0)] = cycle.code(self.NAME, _EXISTING)
        return codes

    def filter_node(self, cycle: Cycle, node_info: NodeInfo) -> Status | None:
        state: _PreFilterState | None = cycle.state.get("PreFilterInterPodAffinity")
        if state is None:
            return None
        pi = cycle.pod_info
        labels = node_info.labels
        # satisfyPodAffinity
        pods_exist = True
        for t in pi.required_affinity_terms:
            v = labels.get(t.topology_key)
            if v is None:
                return _AFFINITY
            if state.affinity_counts.get((t.topology_key, v), 0) <= 0:
                pods_exist = False
        if not pods_exist and not (
            not state.affinity_counts and _matches_all(cycle, pi.required_affinity_terms, pi.namespace, pi.labels)
        ):
            return _AFFINITY
        # satisfyPodAntiAffinity
        if state.anti_affinity_counts:
            for t in pi.required_anti_affinity_terms:
                v = labels.get(t.topology_key)
                if v is not None and state.anti_affinity_counts.get((t.topology_key, v), 0) > 0:
                    return _ANTI
        # satisfyExistingPodsAntiAffinity
        if state.existing_anti_affinity_counts:
            for k, v in labels.items():
                if state.existing_anti_affinity_counts.get((k, v), 0) > 0:
                    return _EXISTING
        return None

    def _update_with_pod(self, cycle: Cycle, added: PodInfo, node_info: NodeInfo, mult: int) -> None:
        """``updateWithPod``."""
        state: _PreFilterState | None = cycle.state.get("PreFilterInterPodAffinity")
        if state is None:
            return
        pi = cycle.pod_info
        ns_labels = cycle.ns_labels(pi.namespace)
        for t in added.required_anti_affinity_terms:
            if t.matches(pi.namespace, pi.labels, ns_labels):
                _update(state.existing_anti_affinity_counts, node_info, t.topology_key, mult)
        if _matches_all(cycle, pi.required_affinity_terms, added.namespace, added.labels):
            for t in pi.required_affinity_terms:
                _update(state.affinity_counts, node_info, t.topology_key, mult)
        added_ns_labels = cycle.ns_labels(added.namespace)
        for t in pi.required_anti_affinity_terms:
            if t.matches(added.namespace, added.labels, added_ns_labels):
                _update(state.anti_affinity_counts, node_info, t.topology_key, mult)

    def add_pod(self, cycle: Cycle, pod_info: PodInfo, node_info: NodeInfo) -> None:
        self._update_with_pod(cycle, pod_info, node_info, 1)

    def remove_pod(self, cycle: Cycle, pod_info: PodInfo, node_info: NodeInfo) -> None:
        self._update_with_pod(cycle, pod_info, node_info, -1)

    # -- PreScore / Score ---------------------------------------------------------------------------------------

    def pre_score(self, cycle: Cycle, slots: np.ndarray) -> Status | None:
        pi = cycle.pod_info
        if pi.parse_error:
            return unresolvable(f"parsing pod: {pi.parse_error}")
        has_constraints = bool(pi.preferred_affinity_terms or pi.preferred_anti_affinity_terms)
        if self.ignore_preferred_terms_of_existing_pods and not has_constraints:
            return SKIP
        snapshot = cycle.snapshot
        if not has_constraints and not snapshot.n_aff_pods:
            return SKIP
        score: dict[str, dict[str, int]] = {}

        def add(key: str, value: str, amount: int) -> None:
            score.setdefault(key, {})
            score[key][value] = score[key].get(value, 0) + amount

        order = snapshot.order
        if has_constraints:
            labelled = np.fromiter(
                (bool(snapshot.infos[s].labels) for s in order.tolist()),  # type: ignore[union-attr]
                dtype=bool,
                count=len(order),
            )
            for terms, sign in ((pi.preferred_affinity_terms, 1), (pi.preferred_anti_affinity_terms, -1)):
                for t in terms:
                    counts = _pod_counts(cycle, t.key, [t], False)[order]
                    idx = snapshot.label_ids(t.topology_key)
                    vids = idx.ids[order]
                    has = (vids >= 0) & (counts > 0) & labelled
                    if not np.count_nonzero(has):
                        continue
                    sums = np.bincount(vids[has], weights=counts[has], minlength=len(idx.values)).astype(np.int64)
                    for vid in np.flatnonzero(sums).tolist():
                        add(t.topology_key, idx.values[vid], sign * t.weight * int(sums[vid]))
        # existing Pods with affinity terms that match the incoming Pod
        ns_labels = cycle.ns_labels(pi.namespace)
        aff_slots = order[snapshot.num[N_AFF, order] > 0]
        hard = self.hard_pod_affinity_weight
        for slot in aff_slots.tolist():
            info = snapshot.infos[slot]
            assert info is not None
            if not info.labels:
                continue
            for existing in info.pods_with_affinity:
                groups = []
                if hard > 0:
                    groups.append((existing.required_affinity_terms, hard, 1))
                groups.append((existing.preferred_affinity_terms, None, 1))
                groups.append((existing.preferred_anti_affinity_terms, None, -1))
                for terms, weight, sign in groups:
                    for t in terms:
                        if t.matches(pi.namespace, pi.labels, ns_labels):
                            v = info.labels.get(t.topology_key)
                            if v is not None:
                                add(t.topology_key, v, sign * (t.weight if weight is None else weight))
        if not score:
            return SKIP
        cycle.state["PreScoreInterPodAffinity"] = score
        return None

    def score_vec(self, cycle: Cycle, slots: np.ndarray) -> np.ndarray:
        score = cycle.state.get("PreScoreInterPodAffinity")
        out = np.zeros(len(slots), dtype=np.int64)
        if not score:
            return out
        snapshot = cycle.snapshot
        for key, values in score.items():
            idx = snapshot.label_ids(key)
            d = np.zeros(len(idx.values) + 1, dtype=np.int64)
            for v, n in values.items():
                vid = idx.value_id.get(v)
                if vid is not None:
                    d[vid] = n
            vids = idx.ids[slots]
            out += np.where(vids >= 0, d[np.maximum(vids, 0)], 0)
        return out

    def normalize(self, cycle: Cycle, scores: np.ndarray, slots: np.ndarray) -> np.ndarray:
        if not cycle.state.get("PreScoreInterPodAffinity") or len(scores) == 0:
            return scores
        lo, hi = int(scores.min()), int(scores.max())
        diff = hi - lo
        if diff <= 0:
            return np.zeros(len(scores), dtype=np.int64)
        return (float(MAX_NODE_SCORE) * ((scores - lo).astype(np.float64) / float(diff))).astype(np.int64)
