"""NodeAffinity: ``spec.nodeSelector`` and required node affinity filter Nodes; preferred terms score them.

Upstream: ``pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go``: ``PreFilter`` (``Skip`` when the Pod
has neither a node selector nor required affinity and the profile adds none; a ``PreFilterResult`` of the Node
names a ``matchFields`` ``metadata.name In`` requirement allows, intersected within a term and united across
terms; ``pod affinity terms conflict`` when that leaves none), ``Filter`` (the profile's ``addedAffinity`` first:
``node(s) didn't match scheduler-enforced node affinity``; then the Pod's: ``node(s) didn't match Pod's node
affinity/selector``; both UnschedulableAndUnresolvable), ``PreScore`` (``Skip`` without preferred terms),
``Score`` (the sum of the weights of the preferred terms a Node matches, the added ones included) and
``NormalizeScore`` (``DefaultNormalizeScore``). Test cases: ``node_affinity_test.go``.

Matching uses :mod:`k8smodel.api.nodeaffinity` (the port of component-helpers' ``nodeaffinity``); the vectorized
form evaluates each requirement on the interned label values of all Nodes at once, with the same semantics (a
term with a parse error never matches).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from k8smodel.api.nodeaffinity import (
    NodeSelector,
    NodeSelectorError,
    PreferredSchedulingTerms,
    RequiredNodeAffinity,
)
from k8smodel.scheduler.cache import NodeInfo, Snapshot
from k8smodel.scheduler.framework import (
    SKIP,
    Cycle,
    Plugin,
    PreFilterResult,
    Status,
    default_normalize,
    error,
    unresolvable,
)

ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"
ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity"
ERR_REASON_CONFLICT = "pod affinity terms conflict"
_POD = unresolvable(ERR_REASON_POD)
_ENFORCED = unresolvable(ERR_REASON_ENFORCED)


def term_mask(snapshot: Snapshot, term: Any, slots: np.ndarray) -> np.ndarray:
    """A ``nodeSelectorTerm`` (of :mod:`k8smodel.api.nodeaffinity`) on many Nodes: labels AND fields."""
    if term.parse_errs:
        return np.zeros(len(slots), dtype=bool)
    mask = np.ones(len(slots), dtype=bool)
    if term.match_labels is not None:
        mask &= snapshot.selector_mask(term.match_labels, slots)
    if term.match_fields is not None:
        for field_name, value, equal in term.match_fields.terms:
            if field_name == "metadata.name":
                hit = snapshot.name_mask(value, slots)
            else:
                hit = np.full(len(slots), value == "", dtype=bool)
            mask &= hit if equal else ~hit
    return mask


def lazy_selector_mask(snapshot: Snapshot, lazy: Any, slots: np.ndarray) -> np.ndarray:
    """``LazyErrorNodeSelector.Match`` on many Nodes: the terms ORed."""
    mask = np.zeros(len(slots), dtype=bool)
    for term in lazy.terms:
        mask |= term_mask(snapshot, term, slots)
    return mask


def required_affinity_mask(snapshot: Snapshot, req: RequiredNodeAffinity, slots: np.ndarray) -> np.ndarray:
    """``RequiredNodeAffinity.Match`` on many Nodes: the node selector AND the required terms."""
    mask = np.ones(len(slots), dtype=bool)
    if req.label_selector is not None:
        mask &= snapshot.selector_mask(req.label_selector, slots)
    if req.node_selector is not None:
        mask &= lazy_selector_mask(snapshot, req.node_selector, slots)
    return mask


def required_node_affinity(cycle: Cycle) -> RequiredNodeAffinity:
    """``GetRequiredNodeAffinity(pod)``, parsed once per cycle."""
    found = cycle.state.get("RequiredNodeAffinity")
    if found is None:
        found = cycle.state["RequiredNodeAffinity"] = RequiredNodeAffinity(cycle.pod)
    return found


def _node_names(pod: Mapping[str, Any]) -> frozenset[str] | None:
    """``getNodeNames``: the Node names ``metadata.name In`` fields allow, or None when a term has none."""
    affinity = ((pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {}
    required = affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
    if not required:
        return None
    names: set[str] | None = None
    for t in required.get("nodeSelectorTerms") or ():
        term_names: set[str] | None = None
        for r in t.get("matchFields") or ():
            if r.get("key") == "metadata.name" and r.get("operator") == "In":
                s = set(r.get("values") or ())
                term_names = s if term_names is None else term_names & s
        if term_names is None:
            return None
        names = term_names if names is None else names | term_names
    return None if names is None else frozenset(names)


class NodeAffinity(Plugin):
    NAME = "NodeAffinity"
    TRUSTED_SCORES = True
    EXTENSION_POINTS = ("preFilter", "filter", "preScore", "score")
    EVENTS = (("Node", "Add"), ("Node", "UpdateNodeLabel"))

    def __init__(self, args: Mapping[str, Any], framework: Any) -> None:
        super().__init__(args, framework)
        added = (args or {}).get("addedAffinity") or {}
        required = added.get("requiredDuringSchedulingIgnoredDuringExecution")
        self.added_node_selector = NodeSelector(required) if required is not None else None
        preferred = added.get("preferredDuringSchedulingIgnoredDuringExecution")
        self.added_pref_terms = PreferredSchedulingTerms(preferred) if preferred else None

    def pre_filter(self, cycle: Cycle) -> tuple[PreFilterResult | None, Status | None]:
        spec = cycle.pod.get("spec") or {}
        affinity = (spec.get("affinity") or {}).get("nodeAffinity") or {}
        no_affinity = affinity.get("requiredDuringSchedulingIgnoredDuringExecution") is None
        if no_affinity and self.added_node_selector is None and spec.get("nodeSelector") is None:
            return None, SKIP
        required_node_affinity(cycle)
        names = _node_names(cycle.pod)
        if names is not None and not names:
            return None, unresolvable(ERR_REASON_CONFLICT)
        if names:
            return PreFilterResult(names), None
        return None, None

    def filter_vec(self, cycle: Cycle, slots: np.ndarray, alive: np.ndarray) -> np.ndarray | None:
        snapshot = cycle.snapshot
        codes = np.zeros(len(slots), dtype=np.int32)
        if self.added_node_selector is not None:
            ok = lazy_selector_mask(snapshot, self.added_node_selector._lazy, slots)
            codes[~ok] = cycle.code(self.NAME, _ENFORCED)
        ok = required_affinity_mask(snapshot, required_node_affinity(cycle), slots)
        codes[(~ok) & (codes == 0)] = cycle.code(self.NAME, _POD)
        return codes

    def filter_node(self, cycle: Cycle, node_info: NodeInfo) -> Status | None:
        node = node_info.node or {}
        if self.added_node_selector is not None and not self.added_node_selector.match(node):
            return _ENFORCED
        if not required_node_affinity(cycle).match(node):
            return _POD
        return None

    def _preferred(self, cycle: Cycle) -> PreferredSchedulingTerms | Status | None:
        affinity = ((cycle.pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {}
        terms = affinity.get("preferredDuringSchedulingIgnoredDuringExecution")
        if not terms:
            return None
        try:
            return PreferredSchedulingTerms(terms)
        except NodeSelectorError as err:
            return error(str(err))

    def pre_score(self, cycle: Cycle, slots: np.ndarray) -> Status | None:
        pref = self._preferred(cycle)
        if isinstance(pref, Status):
            return pref
        if pref is None and self.added_pref_terms is None:
            return SKIP
        cycle.state["PreScoreNodeAffinity"] = pref
        return None

    def score_vec(self, cycle: Cycle, slots: np.ndarray) -> np.ndarray:
        snapshot = cycle.snapshot
        score = np.zeros(len(slots), dtype=np.int64)
        pref = cycle.state.get("PreScoreNodeAffinity")
        if pref is None and "PreScoreNodeAffinity" not in cycle.state:
            pref = self._preferred(cycle)
            if isinstance(pref, Status):
                pref = None
        for terms in (self.added_pref_terms, pref):
            if terms is None:
                continue
            for term, weight in terms.terms:
                score += np.where(term_mask(snapshot, term, slots), weight, 0)
        return score

    def normalize(self, cycle: Cycle, scores: np.ndarray, slots: np.ndarray) -> np.ndarray:
        return default_normalize(scores, reverse=False)
