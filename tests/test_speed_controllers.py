"""The controllers' fast paths give what the plain upstream-shaped computations give.

The ReplicaSet controller remembers, per Pod dict, what it read from it (an informer replaces a changed Pod's dict,
never edits it), and compares Pods for deletion on facts read once per Pod. Each test here drives the fast path
and the plain one (upstream's shape: ``FilterActivePods`` + ``ClaimPods`` + ``calculateStatus``;
``sort.Sort(ActivePodsWithRanks)`` calling ``Less``; ``podLister.List(selector)``) over random inputs and random
sequences of Pod changes, and asserts the same answers, object for object and in the same order.
"""

from __future__ import annotations

import copy
from functools import cmp_to_key
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.api.labels import label_selector_as_selector
from k8smodel.apiserver import APIServer
from k8smodel.controllers.controller_utils import (
    POD_DELETION_COST,
    active_pods_with_ranks_less,
    filter_active_pods,
    get_controller_of,
    pod_sort_facts,
    sort_active_pods_with_ranks,
)
from k8smodel.controllers.replicaset import (
    ReplicaSetController,
    calculate_status,
    get_pods_ranked_by_related_pods_on_same_node,
    get_pods_to_delete,
)
from k8smodel.sim import Simulation

EPOCH = 1_700_000_000
RS_UID = "rs-uid-1"
OTHER_UID = "rs-uid-2"


def _stamp(unix: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def reference_sort(pods: list[Any], ranks: list[int], now: float | None) -> list[Any]:
    """The sort as it was written first: Python's sort with ``cmp`` from two calls of ``Less``."""
    records = list(zip(pods, ranks, strict=True))

    def cmp(x: Any, y: Any) -> int:
        if active_pods_with_ranks_less(x[0], y[0], x[1], y[1], now):
            return -1
        if active_pods_with_ranks_less(y[0], x[0], y[1], x[1], now):
            return 1
        return 0

    records.sort(key=cmp_to_key(cmp))
    return [pod for pod, _ in records]


@st.composite
def pods_for_ranking(draw: Any) -> list[dict[str, Any]]:
    """Pods whose times collide on purpose: equal times, different times in one log2 bucket, missing times, equal
    UIDs — the cases where ``ActivePodsWithRanks`` is not a strict weak order and only the same comparisons give
    the same order."""
    n = draw(st.integers(0, 14))
    pods = []
    for i in range(n):
        phase = draw(st.sampled_from(["Running", "Running", "Running", "Pending", "Unknown", "Succeeded", ""]))
        ready = draw(st.booleans())
        cond: dict[str, Any] = {"type": "Ready", "status": "True" if ready else "False"}
        ready_at = draw(st.sampled_from([None, 1, 2, 3, 5, 6, 60, 61, 3600]))
        if ready_at is not None:
            cond["lastTransitionTime"] = _stamp(EPOCH - ready_at)
        meta: dict[str, Any] = {"name": f"p{i}", "namespace": "default"}
        uid = draw(st.sampled_from(["a", "b", "c", "", f"u{i}"]))
        if uid:
            meta["uid"] = uid
        created = draw(st.sampled_from([None, 2, 3, 5, 7, 100, 129, 4000]))
        if created is not None:
            meta["creationTimestamp"] = _stamp(EPOCH - created)
        cost = draw(st.sampled_from([None, None, None, "-3", "0", "2", "x"]))
        if cost is not None:
            meta["annotations"] = {POD_DELETION_COST: cost}
        status: dict[str, Any] = {"phase": phase, "conditions": [cond]}
        status["containerStatuses"] = [{"name": "c", "restartCount": draw(st.integers(0, 2))}]
        spec: dict[str, Any] = {"nodeName": draw(st.sampled_from(["n1", "n1", "", "n2"]))}
        if draw(st.booleans()):
            spec["initContainers"] = [{"name": "side", "restartPolicy": "Always"}]
            status["initContainerStatuses"] = [{"name": "side", "restartCount": draw(st.integers(0, 2))}]
        pods.append({"metadata": meta, "spec": spec, "status": status})
    return pods


@settings(max_examples=400, deadline=None)
@given(pods=pods_for_ranking(), data=st.data())
def test_sort_active_pods_with_ranks_equals_the_less_calls(pods, data):
    ranks = data.draw(st.lists(st.sampled_from([0, 0, 0, 1, 3]), min_size=len(pods), max_size=len(pods)))
    now = data.draw(st.sampled_from([None, float(EPOCH), float(EPOCH) + 0.5]))
    expected = reference_sort(pods, ranks, now)
    got = sort_active_pods_with_ranks(pods, ranks, now)
    assert [id(p) for p in got] == [id(p) for p in expected]
    memo = {id(p): pod_sort_facts(p) for p in pods}
    got = sort_active_pods_with_ranks(pods, ranks, now, facts_of=lambda p: memo[id(p)])
    assert [id(p) for p in got] == [id(p) for p in expected]


# ---- the ReplicaSet controller's remembered claim and status counts -----------------------------------------------

RS: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "ReplicaSet",
    "metadata": {"name": "web", "namespace": "default", "uid": RS_UID, "generation": 1},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web", "tier": "fe"}}, "spec": {"containers": []}},
    },
}


def _ref(uid: str, name: str = "web") -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": name, "uid": uid, "controller": True}


def _pod(i: int, draw: Any, owner: str | None) -> dict[str, Any]:
    labels = draw(st.sampled_from([{"app": "web"}, {"app": "web", "tier": "fe"}, {"app": "db"}, {}]))
    meta: dict[str, Any] = {"name": f"p{i}", "namespace": "default", "uid": f"pod-{i}", "labels": labels}
    if owner is not None:
        meta["ownerReferences"] = [_ref(owner)]
    if draw(st.integers(0, 5)) == 0:
        meta["deletionTimestamp"] = _stamp(EPOCH)
    ready = draw(st.booleans())
    cond: dict[str, Any] = {"type": "Ready", "status": "True" if ready else "False"}
    cond["lastTransitionTime"] = _stamp(EPOCH - draw(st.sampled_from([0, 3, 10, 100])))
    phase = draw(st.sampled_from(["Pending", "Running", "Running", "Succeeded", "Failed"]))
    return {
        "metadata": meta,
        "spec": {"nodeName": draw(st.sampled_from(["", "n1", "n2"]))},
        "status": {"phase": phase, "conditions": [cond]},
    }


def _plain_claim(ctl: ReplicaSetController, rs: dict[str, Any], selector: Any) -> list[Any]:
    """``FilterActivePods`` of the namespace's Pods, then ``ClaimPods``' first case (no Pod here needs an
    adoption or a release: see the Pods drawn)."""
    out = []
    for pod in filter_active_pods(ctl.pod_informer.list(namespace="default")):
        ref = get_controller_of(pod)
        if ref is not None and ref["uid"] == rs["metadata"]["uid"] and selector.matches(pod["metadata"]["labels"]):
            out.append(pod)
    return out


@settings(max_examples=150, deadline=None)
@given(data=st.data(), min_ready=st.sampled_from([0, 5, 60]))
def test_remembered_claim_and_counts_equal_a_fresh_pass(data, min_ready):
    """Pods are added, replaced by changed copies and deleted at random; after each step the controller's claim
    (the claimed Pods, in order) and status counts equal a fresh FilterActivePods + claim + calculateStatus. Pods
    are owned by this ReplicaSet (matching or not — a non-matching one would be released), by another one, or
    orphans that the selector does not match (a matching orphan would be adopted): the fast path and the
    ``ClaimObject`` pass both run."""
    sim = Simulation(0)
    ctl = ReplicaSetController(sim, APIServer(sim))
    rs = copy.deepcopy(RS)
    rs["spec"]["minReadySeconds"] = min_ready
    ctl.rs_informer.indexer.add(rs)
    selector = label_selector_as_selector(rs["spec"]["selector"])
    index = ctl.pod_informer.indexer
    names: list[str] = []
    gone: set[int] = set()
    for step in range(data.draw(st.integers(1, 40))):
        op = data.draw(st.sampled_from(["add", "add", "change", "change", "delete", "readd", "reown", "sync"]))
        if op in ("add", "readd") or not names:
            owner = data.draw(st.sampled_from([RS_UID, RS_UID, OTHER_UID, None]))
            number = step
            if op == "readd" and gone:  # a deleted Pod's name again: its key goes to the end of the index
                number = data.draw(st.sampled_from(sorted(gone)))
                gone.discard(number)
            pod = _pod(number, data.draw, owner)
            if owner is None and selector.matches(pod["metadata"]["labels"]):
                pod["metadata"]["labels"] = {"app": "db"}  # an orphan it would adopt needs the API: not here
            if owner == RS_UID and not selector.matches(pod["metadata"]["labels"]):
                pod["metadata"]["deletionTimestamp"] = _stamp(EPOCH)  # inactive: no release
            index.add(pod)
            names.append(pod["metadata"]["name"])
        elif op == "change":
            name = data.draw(st.sampled_from(names))
            old = index.get_by_key(f"default/{name}")
            new = copy.deepcopy(old)
            cond = new["status"]["conditions"][0]
            cond["status"] = data.draw(st.sampled_from(["True", "False"]))
            new["status"]["phase"] = data.draw(st.sampled_from(["Pending", "Running", "Failed"]))
            if data.draw(st.booleans()):
                new["metadata"]["labels"] = {**new["metadata"]["labels"], "tier": "fe"}
            index.update(new)
        elif op == "reown":  # to another controller, to nobody, or (back) to this ReplicaSet
            name = data.draw(st.sampled_from(names))
            new = copy.deepcopy(index.get_by_key(f"default/{name}"))
            owner = data.draw(st.sampled_from([RS_UID, OTHER_UID, None]))
            new["metadata"]["ownerReferences"] = [_ref(owner)] if owner else []
            if owner is None:
                new["metadata"]["labels"] = {"app": "db"}
            if owner == RS_UID:
                new["metadata"]["labels"] = {"app": "web"}
            index.update(new)
        elif op == "delete":
            name = data.draw(st.sampled_from(names))
            names.remove(name)
            gone.add(int(name[1:]))
            index.delete(index.get_by_key(f"default/{name}"))
        if op != "sync" and data.draw(st.booleans()):
            continue  # several changes between two syncs
        claimed, counts, err = ctl._claim_active_pods(rs, "default/web", ctl._selector(rs))
        assert err is None
        plain = _plain_claim(ctl, rs, selector)
        assert sorted(id(p) for p in claimed) == sorted(id(p) for p in plain)
        assert [id(p) for p in claimed] == [id(p) for p in ctl._candidate_pods(rs) if any(p is q for q in plain)]
        direct = calculate_status(rs, plain, None, float(EPOCH), "x")
        assert counts(min_ready, float(EPOCH)) == (
            direct.get("fullyLabeledReplicas", 0),
            direct.get("readyReplicas", 0),
            direct.get("availableReplicas", 0),
        )


def _related_reference(ctl: ReplicaSetController, rs: dict[str, Any]) -> list[Any]:
    """``getIndirectlyRelatedPods`` through the lister: the namespace's Pods that the selector of any ReplicaSet
    with the same controller matches, each UID once."""
    owner = get_controller_of(rs)
    out, seen = [], set()
    for other in ctl.rs_informer.list(namespace="default"):
        ref = get_controller_of(other)
        if owner is None or ref is None or ref["uid"] != owner["uid"]:
            continue
        selector = label_selector_as_selector(other["spec"]["selector"])
        for pod in ctl.pod_informer.list(selector, namespace="default"):
            if pod["metadata"]["uid"] not in seen:
                seen.add(pod["metadata"]["uid"])
                out.append(pod)
    return out


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_remembered_selector_matches_equal_the_lister(data):
    """``_list_pods`` (matches remembered per Pod dict) returns what ``pod_informer.list(selector, namespace)``
    returns, in order, after random changes; the related Pods' counts by node give the ranks
    ``getPodsRankedByRelatedPodsOnSameNode`` gives; the deletion facts memo sorts as the plain sort does."""
    sim = Simulation(0)
    ctl = ReplicaSetController(sim, APIServer(sim))
    deployment_ref = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "d", "uid": "d-uid", "controller": True}
    rs = copy.deepcopy(RS)
    rs["metadata"]["ownerReferences"] = [deployment_ref]
    sibling = copy.deepcopy(RS)
    sibling["metadata"].update(name="web-old", uid=OTHER_UID, ownerReferences=[deployment_ref])
    sibling["spec"]["selector"] = {"matchLabels": {"app": data.draw(st.sampled_from(["db", "web"]))}}
    ctl.rs_informer.indexer.add(rs)
    ctl.rs_informer.indexer.add(sibling)
    selector = ctl._selector(rs)
    index = ctl.pod_informer.indexer
    names: list[str] = []
    gone: set[int] = set()
    for step in range(data.draw(st.integers(1, 40))):
        op = data.draw(st.sampled_from(["add", "add", "relabel", "delete", "readd", "other-namespace"]))
        if op in ("add", "readd") or not names:
            number = step
            if op == "readd" and gone:
                number = data.draw(st.sampled_from(sorted(gone)))
                gone.discard(number)
            pod = _pod(number, data.draw, data.draw(st.sampled_from([RS_UID, OTHER_UID, None])))
            index.add(pod)
            names.append(pod["metadata"]["name"])
        elif op == "relabel":
            name = data.draw(st.sampled_from(names))
            new = copy.deepcopy(index.get_by_key(f"default/{name}"))
            new["metadata"]["labels"] = data.draw(st.sampled_from([{"app": "web"}, {"app": "db"}, {}]))
            new["spec"]["nodeName"] = data.draw(st.sampled_from(["", "n1", "n2"]))
            new["status"]["phase"] = data.draw(st.sampled_from(["Running", "Failed"]))
            index.update(new)
        elif op == "delete":
            name = data.draw(st.sampled_from(names))
            names.remove(name)
            gone.add(int(name[1:]))
            index.delete(index.get_by_key(f"default/{name}"))
        else:
            pod = _pod(step, data.draw, None)
            pod["metadata"]["namespace"] = "other"
            index.add(pod)
        if data.draw(st.booleans()):
            continue  # several changes between two looks
        got = ctl._list_pods(rs, selector)
        assert [id(p) for p in got] == [id(p) for p in ctl.pod_informer.list(selector, namespace="default")]
        related = _related_reference(ctl, rs)
        assert [id(p) for p in ctl.get_indirectly_related_pods(rs)] == [id(p) for p in related]
        on_node = ctl.related_pods_on_nodes(rs)
        ranks = get_pods_ranked_by_related_pods_on_same_node(got, related)
        assert [on_node.get(p["spec"]["nodeName"], 0) for p in got] == ranks
        facts = ctl._deletion_facts("default/web", got)
        now = float(EPOCH)
        assert [id(p) for p in sort_active_pods_with_ranks(got, ranks, now, facts_of=facts)] == [
            id(p) for p in reference_sort(got, ranks, now)
        ]
        diff = data.draw(st.integers(0, len(got)))
        assert [id(p) for p in get_pods_to_delete(got, got, diff, now, facts_of=facts)] == [
            id(p) for p in get_pods_to_delete(got, got, diff, now)
        ]
