"""The ReplicaSet controller (``k8smodel.controllers.replicaset``).

Unit tests port upstream's ``pkg/controller/replicaset/replica_set_test.go`` and ``replica_set_utils_test.go``
(each test names the upstream test it comes from): as upstream, they drive ``sync_replica_set`` and the event
handlers directly, with a fake pod control that records what the controller asked for. Integration tests run the
controller in a :class:`k8smodel.cluster.Cluster` with nodes, the scheduler, kubelets, and the node lifecycle and
taint eviction controllers.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.api import errors
from k8smodel.api.labels import label_selector_as_selector, selector_from_set
from k8smodel.apiserver import ADMIN, APIServer
from k8smodel.client import DeletedFinalStateUnknown
from k8smodel.cluster import Cluster
from k8smodel.controllers.base import ReconcileError
from k8smodel.controllers.controller_utils import (
    POD_DELETION_COST,
    PodControl,
    get_controller_of,
    new_controller_ref,
    parse_time,
    pod_from_template,
)
from k8smodel.controllers.replicaset import (
    BURST_REPLICAS,
    REPLICA_FAILURE,
    ReplicaSetController,
    _pod_facts,
    _status_counts,
    calculate_status,
    deletion_ranking,
    get_condition,
    get_pod_keys,
    get_pods_to_delete,
    remove_condition,
    set_condition,
    update_replica_set_status,
)
from k8smodel.sim import Simulation

NOW = 1_800_000_000.0  # Unix seconds, for the pure functions


# ======================================================================================================================
# Fixtures and helpers (newReplicaSet, newPod, newPodList, FakePodControl)


def new_replica_set(replicas: int, selector: dict[str, str], name: str = "foobar", uid: str = "") -> dict[str, Any]:
    """``newReplicaSet``: template labels ``name=foo, type=production``, selector ``selector``."""
    rs: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default", "generation": 1},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(selector)},
            "template": {
                "metadata": {"labels": {"name": "foo", "type": "production", **selector}},
                "spec": {"containers": [{"name": "c", "image": "foo/bar"}]},
            },
        },
    }
    if uid:
        rs["metadata"]["uid"] = uid
    return rs


def new_pod(
    name: str,
    rs: dict[str, Any],
    phase: str,
    *,
    owned: bool = True,
    ready_since: str | None = None,
    node: str = "",
    labels: dict[str, str] | None = None,
    uid: str = "",
    rv: str = "",
) -> dict[str, Any]:
    """``newPod``: a Pod with the ReplicaSet's selector labels; Running Pods are Ready."""
    meta: dict[str, Any] = {
        "name": name,
        "namespace": "default",
        "labels": dict(rs["spec"]["selector"]["matchLabels"] if labels is None else labels),
        "uid": uid or f"uid-{name}",
    }
    if owned:
        meta["ownerReferences"] = [new_controller_ref(rs, "apps/v1", "ReplicaSet")]
    if rv:
        meta["resourceVersion"] = rv
    status: dict[str, Any] = {"phase": phase}
    if phase == "Running":
        cond: dict[str, Any] = {"type": "Ready", "status": "True"}
        if ready_since:
            cond["lastTransitionTime"] = ready_since
        status["conditions"] = [cond]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"nodeName": node}, "status": status}


class FakePodControl(PodControl):
    """``controller.FakePodControl``: records creations, deletions and patches; ``create_limit`` and ``err``."""

    def __init__(self) -> None:
        self.templates: list[Any] = []
        self.controller_refs: list[Any] = []
        self.delete_pod_names: list[str] = []
        self.patches: list[Any] = []
        self.err: Exception | None = None
        self.create_limit = 0
        self.create_call_count = 0

    def create_pods(self, namespace, template, owner, controller_ref):  # type: ignore[override]
        self.create_call_count += 1
        if self.create_limit and self.create_call_count > self.create_limit:
            raise ReconcileError(
                f"not creating pod, limit {self.create_limit} already reached (create call {self.create_call_count})"
            )
        self.templates.append(template)
        self.controller_refs.append(controller_ref)
        if self.err is not None:
            raise self.err
        return pod_from_template(template, owner, controller_ref)

    def delete_pod(self, namespace, name, owner):  # type: ignore[override]
        self.delete_pod_names.append(name)
        if self.err is not None:
            raise self.err

    def patch_pod(self, namespace, name, patch):  # type: ignore[override]
        self.patches.append(patch)
        if self.err is not None:
            raise self.err
        return {}

    def clear(self) -> None:
        self.templates.clear()
        self.controller_refs.clear()
        self.delete_pod_names.clear()
        self.patches.clear()
        self.create_limit = 0
        self.create_call_count = 0


def validate_sync(fake: FakePodControl, creates: int, deletes: int, patches: int) -> None:
    """``validateSyncReplicaSet``."""
    assert (len(fake.templates), len(fake.delete_pod_names), len(fake.patches)) == (creates, deletes, patches)


class Manager:
    """``testNewReplicaSetControllerFromClient``: a controller on an API server, with a FakePodControl; informers
    are filled by hand (``GetIndexer().Add``) unless ``started``."""

    def __init__(self, burst: int = BURST_REPLICAS) -> None:
        self.sim = Simulation(0)
        self.api = APIServer(self.sim)
        self.ctl = ReplicaSetController(self.sim, self.api, burst_replicas=burst)
        self.fake = FakePodControl()
        self.ctl.pod_control = self.fake

    def add_rs(self, rs: dict[str, Any]) -> None:
        self.ctl.rs_informer.indexer.add(rs)

    def add_pod(self, pod: dict[str, Any]) -> None:
        self.ctl.pod_informer.indexer.add(pod)

    def keys(self) -> list[str]:
        out = []
        while (key := self.ctl.queue.get()) is not None:
            out.append(key)
            self.ctl.queue.done(key)
        return out


@pytest.fixture
def manager() -> Manager:
    return Manager()


def created_rs(m: Manager, replicas: int, labels: dict[str, str], **kw: Any) -> dict[str, Any]:
    """A ReplicaSet stored in the API server and in the controller's cache."""
    rs = m.api.create(new_replica_set(replicas, labels, **kw))
    m.add_rs(rs)
    return rs


# ======================================================================================================================
# Pure functions


LABELS = {"name": "foo"}
RS = new_replica_set(1, LABELS, uid="rs-uid")


def _on(pod: dict[str, Any], node: str, ready: bool | None = None) -> dict[str, Any]:
    pod = {**pod, "spec": {"nodeName": node}}
    if ready is not None:
        pod["status"] = {**pod["status"], "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}
    return pod


UNSCHEDULED_PENDING = new_pod("unscheduled-pending-pod", RS, "Pending")
SCHEDULED_PENDING = _on(new_pod("scheduled-pending-pod", RS, "Pending"), "fake-node")
RUNNING_NOT_READY = _on(new_pod("scheduled-running-not-ready-pod", RS, "Running"), "fake-node", ready=False)
READY_ON_1 = _on(new_pod("scheduled-running-ready-pod-on-node-1", RS, "Running"), "fake-node-1", ready=True)
READY_ON_2 = _on(new_pod("scheduled-running-ready-pod-on-node-2", RS, "Running"), "fake-node-2", ready=True)


def _names(pods: list[dict[str, Any]]) -> list[str]:
    return [p["metadata"]["name"] for p in pods]


@pytest.mark.parametrize(
    ("pods", "related", "diff", "expected"),
    [
        ([], None, 0, []),  # "len(pods) = 0 (i.e., diff = 0 too)"
        ([RUNNING_NOT_READY, READY_ON_1], None, 2, [RUNNING_NOT_READY, READY_ON_1]),  # "diff = len(pods)"
        ([READY_ON_1, RUNNING_NOT_READY], None, 1, [RUNNING_NOT_READY]),  # "diff < len(pods)"
        (  # "various pod phases and conditions, diff = len(pods)": no sorting at all
            [READY_ON_1, READY_ON_1, READY_ON_2, RUNNING_NOT_READY, SCHEDULED_PENDING, UNSCHEDULED_PENDING],
            None,
            6,
            [READY_ON_1, READY_ON_1, READY_ON_2, RUNNING_NOT_READY, SCHEDULED_PENDING, UNSCHEDULED_PENDING],
        ),
        (  # "..., diff = len(pods), relatedPods empty"
            [READY_ON_1, READY_ON_1, READY_ON_2, RUNNING_NOT_READY, SCHEDULED_PENDING, UNSCHEDULED_PENDING],
            [],
            6,
            [READY_ON_1, READY_ON_1, READY_ON_2, RUNNING_NOT_READY, SCHEDULED_PENDING, UNSCHEDULED_PENDING],
        ),
        ([SCHEDULED_PENDING, UNSCHEDULED_PENDING], None, 1, [UNSCHEDULED_PENDING]),  # "scheduled vs unscheduled"
        (  # "ready vs not-ready, diff < len(pods)"
            [READY_ON_1, RUNNING_NOT_READY, RUNNING_NOT_READY],
            None,
            2,
            [RUNNING_NOT_READY, RUNNING_NOT_READY],
        ),
        (  # "ready and colocated with another ready pod vs not colocated, diff < len(pods)"
            [READY_ON_1, READY_ON_2],
            [READY_ON_1, READY_ON_2, READY_ON_2],
            1,
            [READY_ON_2],
        ),
        ([SCHEDULED_PENDING, RUNNING_NOT_READY], None, 1, [SCHEDULED_PENDING]),  # "pending vs running"
        (  # "various pod phases and conditions, diff < len(pods)"
            [READY_ON_1, READY_ON_2, RUNNING_NOT_READY, SCHEDULED_PENDING, UNSCHEDULED_PENDING],
            None,
            3,
            [UNSCHEDULED_PENDING, SCHEDULED_PENDING, RUNNING_NOT_READY],
        ),
    ],
)
def test_get_pods_to_delete(pods, related, diff, expected):
    """TestGetPodsToDelete (related defaults to pods)."""
    got = get_pods_to_delete(pods, pods if related is None else related, diff, NOW)
    assert _names(got) == _names(expected)


def test_get_pods_to_delete_prefers_lower_deletion_cost_over_rank():
    """The pod-deletion-cost annotation comes before the doubled-up rank (ActivePodsWithRanks rule 4 before 5)."""
    lonely_cheap = _on(new_pod("lonely-cheap", RS, "Running"), "n1", ready=True)
    lonely_cheap["metadata"]["annotations"] = {POD_DELETION_COST: "-100"}
    crowded = [_on(new_pod(f"crowded-{i}", RS, "Running"), "n2", ready=True) for i in range(3)]
    pods = [*crowded, lonely_cheap]
    assert _names(get_pods_to_delete(pods, pods, 1, NOW)) == ["lonely-cheap"]
    lonely_cheap["metadata"]["annotations"] = {}
    assert _names(get_pods_to_delete(pods, pods, 1, NOW)) == ["crowded-0"]


def test_get_pod_keys():
    """TestGetPodKeys."""
    assert get_pod_keys([]) == []
    assert get_pod_keys([new_pod("pod1", RS, "Running"), new_pod("pod2", RS, "Running")]) == [
        "default/pod1",
        "default/pod2",
    ]


def test_deletion_ranking_explains_the_order():
    rows = deletion_ranking([READY_ON_1, UNSCHEDULED_PENDING, RUNNING_NOT_READY], now=NOW)
    assert [r["name"] for r in rows] == [
        "unscheduled-pending-pod",
        "scheduled-running-not-ready-pod",
        "scheduled-running-ready-pod-on-node-1",
    ]
    assert rows[2] == {
        "name": "scheduled-running-ready-pod-on-node-1",
        "node": "fake-node-1",
        "phase": "Running",
        "ready": True,
        "deletion_cost": 0,
        "rank": 1,
        "ready_since": "",
        "restarts": 0,
        "created": "",
    }


FULL = {"name": "foo", "type": "production"}
NOT_FULLY_LABELLED_RS = new_replica_set(1, LABELS, uid="a")
NOT_FULLY_LABELLED_RS["spec"]["template"]["metadata"]["labels"] = {"name": "foo", "type": "production"}
FULLY_LABELLED_RS = new_replica_set(2, FULL, uid="b")
LONG_MIN_READY_RS = new_replica_set(1, FULL, uid="c")
LONG_MIN_READY_RS["spec"]["minReadySeconds"] = 3600


@pytest.mark.parametrize(
    ("rs", "pods", "expected"),
    [
        ("full", [("pod1", "full", "Running")], (1, 1, 1, 1)),  # "1 fully labelled pod"
        ("not", [("pod1", "not", "Running")], (1, 0, 1, 1)),  # "1 not fully labelled pod"
        ("full", [("pod1", "full", "Running"), ("pod2", "full", "Running")], (2, 2, 2, 2)),
        ("not", [("pod1", "not", "Running"), ("pod2", "not", "Running")], (2, 0, 2, 2)),
        ("not", [("pod1", "not", "Running"), ("pod2", "full", "Running")], (2, 1, 2, 2)),
        ("full", [("pod1", "full", "Pending")], (1, 1, 0, 0)),  # "1 non-ready pod"
        ("long", [("pod1", "long", "Running")], (1, 1, 1, 0)),  # "1 ready but non-available pod"
    ],
)
def test_calculate_status(rs, pods, expected):
    """TestCalculateStatus: (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas)."""
    by = {"full": FULLY_LABELLED_RS, "not": NOT_FULLY_LABELLED_RS, "long": LONG_MIN_READY_RS}
    filtered = [new_pod(name, by[owner], phase) for name, owner, phase in pods]
    status = calculate_status(by[rs], filtered, None, NOW, "2027-01-15T08:00:00Z")
    got = tuple(status.get(k, 0) for k in ("replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas"))
    assert got == expected
    assert "conditions" not in status


def test_calculate_status_omits_zero_counts_as_the_api_serializes_them():
    status = calculate_status(FULLY_LABELLED_RS, [], None, NOW, "x")
    assert status == {"replicas": 0}


REPLICA_FAILURE_RS = new_replica_set(10, LABELS, uid="d")
REPLICA_FAILURE_RS["status"] = {"conditions": [{"type": REPLICA_FAILURE, "status": "True"}]}
TWO_RS = new_replica_set(2, LABELS, uid="e")


@pytest.mark.parametrize(
    ("rs", "pod_count", "err", "expected"),
    [
        (TWO_RS, 1, "fake manageReplicasErr", [("FailedCreate", "fake manageReplicasErr")]),  # diff < 0
        (TWO_RS, 3, "fake manageReplicasErr", [("FailedDelete", "fake manageReplicasErr")]),  # diff > 0
        (REPLICA_FAILURE_RS, 1, None, []),  # manageReplicasErr == nil && failureCond != nil: removed
        (REPLICA_FAILURE_RS, 1, "fake manageReplicasErr", [(None, None)]),  # err && cond: kept as it was
        (TWO_RS, 1, None, []),  # neither
    ],
)
def test_calculate_status_conditions(rs, pod_count, err, expected):
    """TestCalculateStatusConditions."""
    pods = [new_pod(f"pod{i}", rs, "Running") for i in range(pod_count)]
    status = calculate_status(rs, pods, None if err is None else ReconcileError(err), NOW, "2027-01-15T08:00:00Z")
    conds = status.get("conditions") or []
    assert [(c.get("reason"), c.get("message")) for c in conds] == expected
    for c in conds:
        assert c["type"] == REPLICA_FAILURE and c["status"] == "True"
    if expected and expected[0][0]:
        assert conds[0]["lastTransitionTime"] == "2027-01-15T08:00:00Z"


IMAGE_PULL = {"type": "ImagePullBackOff", "status": "True", "reason": "NonExistentImage"}
FAILURE = {"type": REPLICA_FAILURE, "status": "True", "reason": "OtherFailure"}
FAILURE_2 = {"type": REPLICA_FAILURE, "status": "True", "reason": "AnotherFailure"}


def test_get_set_remove_condition():
    """TestGetCondition, TestSetCondition, TestRemoveCondition."""
    assert get_condition({"conditions": [FAILURE]}, REPLICA_FAILURE) == FAILURE
    assert get_condition({"conditions": [FAILURE]}, "ImagePullBackOff") is None
    status: dict[str, Any] = {}
    set_condition(status, FAILURE)  # "set for the first time"
    assert status == {"conditions": [FAILURE]}
    status = {"conditions": [IMAGE_PULL]}
    set_condition(status, FAILURE)  # "simple set"
    assert status == {"conditions": [IMAGE_PULL, FAILURE]}
    status = {"conditions": [FAILURE]}
    set_condition(status, FAILURE_2)  # "overwrite"
    assert status == {"conditions": [FAILURE_2]}
    status = {}
    remove_condition(status, REPLICA_FAILURE)  # "remove from empty status"
    assert status == {}
    status = {"conditions": [FAILURE]}
    remove_condition(status, REPLICA_FAILURE)  # "simple remove"
    assert status == {}
    status = {"conditions": [FAILURE]}
    remove_condition(status, "ImagePullBackOff")  # "doesn't remove anything"
    assert status == {"conditions": [FAILURE]}


# ======================================================================================================================
# The controller, driven by hand


def test_sync_replica_set_does_nothing(manager):
    """TestSyncReplicaSetDoesNothing: 2 running pods, a controller with 2 replicas: the sync is a no-op."""
    rs = created_rs(manager, 2, {"foo": "bar"})
    for i in range(2):
        manager.add_pod(new_pod(f"pod{i}", rs, "Running"))
    manager.ctl.sync_replica_set("default/foobar")
    validate_sync(manager.fake, 0, 0, 0)


def test_delete_final_state_unknown(manager):
    """TestDeleteFinalStateUnknown: a tombstone for a Pod wakes its ReplicaSet."""
    rs = created_rs(manager, 1, {"foo": "bar"})
    pod = new_pod("pod0", rs, "Running")
    manager.ctl.delete_pod(DeletedFinalStateUnknown("foo", pod))
    assert manager.keys() == ["default/foobar"]


def test_sync_replica_set_create_failures(manager):
    """TestSyncReplicaSetCreateFailures: 100 replicas, a quota-like limit of 10 creations: 10 created, and the
    slow start keeps the create calls near the limit (1 + 2 + 4 + 8 = 15 at most), not 100."""
    manager.fake.create_limit = 10
    created_rs(manager, 100, {"foo": "bar"})
    with pytest.raises(ReconcileError, match="limit 10 already reached"):  # the sync reports it: requeued
        manager.ctl.sync_replica_set("default/foobar")
    validate_sync(manager.fake, 10, 0, 0)
    assert manager.fake.create_call_count <= 15
    status = manager.api.get("replicasets", "foobar", "default")["status"]
    assert get_condition(status, REPLICA_FAILURE)["reason"] == "FailedCreate"
    assert "not creating pod, limit 10 already reached" in get_condition(status, REPLICA_FAILURE)["message"]


def test_sync_replica_set_dormancy(manager):
    """TestSyncReplicaSetDormancy: expectations stop a second creation, not the status update."""
    rs = created_rs(manager, 2, {"foo": "bar"})
    manager.add_pod(new_pod("pod0", rs, "Running"))
    manager.ctl.sync_replica_set("default/foobar")  # creates a replica and sets expectations
    validate_sync(manager.fake, 1, 0, 0)
    manager.fake.clear()
    manager.ctl.sync_replica_set("default/foobar")  # expectations prevent replicas
    validate_sync(manager.fake, 0, 0, 0)
    # lowering expectations leads to a sync that creates a replica; the pod control error stops it
    manager.ctl.expectations.creation_observed("default/foobar")
    manager.fake.err = ReconcileError("fake Error")
    with pytest.raises(ReconcileError, match="fake Error"):
        manager.ctl.sync_replica_set("default/foobar")
    validate_sync(manager.fake, 1, 0, 0)
    # the failed create lowered the expectations itself: the next sync creates again
    manager.fake.clear()
    manager.fake.err = None
    manager.ctl.sync_replica_set("default/foobar")
    validate_sync(manager.fake, 1, 0, 0)


def _do_test_controller_burst_replicas(burst: int, num_replicas: int) -> None:
    """doTestControllerBurstReplicas: size up, then down, in bursts; watch events are simulated by writing Pods to
    the API server, whose informer calls the handlers."""
    m = Manager(burst)
    ctl = m.ctl
    rs = m.api.create(new_replica_set(num_replicas, {"foo": "bar"}))
    ctl.start()  # informers and handlers (the workers never run: no sim.run)
    key = "default/foobar"
    ref = new_controller_ref(rs, "apps/v1", "ReplicaSet")

    def make_pod(i: int) -> None:
        m.api.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": f"pod{i}", "labels": {"foo": "bar"}, "ownerReferences": [ref]},
                "spec": {"containers": [{"name": "c", "image": "x"}]},
            },
            namespace="default",
        )

    made = 0
    for replicas in (num_replicas, 0):
        live = m.api.get("replicasets", "foobar", "default")
        m.api.update({**live, "spec": {**live["spec"], "replicas": replicas}})
        for _ in range(0, num_replicas, burst):
            m.fake.clear()
            ctl.sync_replica_set(key)
            active = len(ctl.pod_informer.list(namespace="default"))
            if replicas != 0:
                expected = min(replicas - active, burst)
                validate_sync(m.fake, expected, 0, 0)
                for _ in range(expected - 1):  # all but one watch event: the ReplicaSet keeps waiting
                    make_pod(made)
                    made += 1
                assert ctl.expectations.get_expectations(key).get_expectations()[0] == 1
            else:
                expected = min(active - replicas, burst)
                validate_sync(m.fake, 0, expected, 0)
                expected_dels = ctl.expectations.get_uids(key)
                for pod_key_ in expected_dels[1:]:  # delete all but one: it must count exactly once
                    m.api.delete("pods", pod_key_.split("/")[1], "default")
                assert ctl.expectations.get_expectations(key).get_expectations()[1] == 1
            m.fake.clear()
            ctl.sync_replica_set(key)  # no action while waiting
            validate_sync(m.fake, 0, 0, 0)
            if replicas != 0:
                make_pod(made)
                made += 1
            else:
                (last,) = ctl.expectations.get_uids(key)
                m.api.delete("pods", last.split("/")[1], "default")
        assert len(ctl.pod_informer.list(namespace="default")) == replicas


@pytest.mark.parametrize(("burst", "replicas"), [(5, 30), (5, 12), (3, 2)])
def test_controller_burst_replicas(burst, replicas):
    """TestControllerBurstReplicas."""
    _do_test_controller_burst_replicas(burst, replicas)


def test_pod_controller_lookup(manager):
    """TestPodControllerLookup: pods without labels match nothing; matching labels but another namespace match
    nothing; matching namespace and labels give the ReplicaSet."""
    manager.add_rs({"metadata": {"name": "basic", "namespace": "default", "uid": "1"}, "spec": {}})
    assert manager.ctl.get_pod_replica_sets({"metadata": {"name": "foo1", "namespace": "default"}}) == []
    manager.add_rs(
        {
            "metadata": {"name": "foo", "namespace": "other", "uid": "2"},
            "spec": {"selector": {"matchLabels": {"foo": "bar"}}},
        }
    )
    assert (
        manager.ctl.get_pod_replica_sets({"metadata": {"name": "foo2", "namespace": "ns", "labels": {"foo": "bar"}}})
        == []
    )
    manager.add_rs(
        {
            "metadata": {"name": "bar", "namespace": "ns", "uid": "3"},
            "spec": {"selector": {"matchLabels": {"foo": "bar"}}},
        }
    )
    got = manager.ctl.get_pod_replica_sets({"metadata": {"name": "foo3", "namespace": "ns", "labels": {"foo": "bar"}}})
    assert [r["metadata"]["name"] for r in got] == ["bar"]


def _owned_by(rs: dict[str, Any], uid: str) -> dict[str, Any]:
    rs["metadata"]["ownerReferences"] = [{"uid": uid, "controller": True, "kind": "Deployment", "name": "d"}]
    return rs


def test_get_replica_sets_with_same_controller_and_related_pods(manager):
    """TestGetReplicaSetsWithSameController and TestRelatedPodsLookup."""
    some = _owned_by(new_replica_set(1, {"foo": "bar"}, "foo1", "u1"), "123")
    related = _owned_by(new_replica_set(1, {"foo": "baz"}, "foo2", "u2"), "123")
    unrelated = _owned_by(new_replica_set(1, {"foo": "quux"}, "bar1", "u3"), "456")
    for rs in (some, related, unrelated):
        manager.add_rs(rs)
    names = sorted(r["metadata"]["name"] for r in manager.ctl.get_replica_sets_with_same_controller(some))
    assert names == ["foo1", "foo2"]
    assert manager.ctl.get_replica_sets_with_same_controller(new_replica_set(1, {"a": "b"}, "bare", "u9")) == []
    for pod in (
        new_pod("pod1", some, "Running"),
        new_pod("pod2", some, "Running"),
        new_pod("pod3", related, "Running"),
        new_pod("pod4", unrelated, "Running"),
    ):
        manager.add_pod(pod)
    assert sorted(_names(manager.ctl.get_indirectly_related_pods(some))) == ["pod1", "pod2", "pod3"]
    assert sorted(_names(manager.ctl.get_indirectly_related_pods(unrelated))) == ["pod4"]


def test_update_pods(manager):
    """TestUpdatePods: which ReplicaSets a Pod update wakes."""
    rs1 = new_replica_set(1, {"foo": "bar"}, "foobar", "uid-1")
    rs2 = new_replica_set(1, {"bar": "foo"}, "barfoo", "uid-2")
    manager.add_rs(rs1)
    manager.add_rs(rs2)
    ref1, ref2 = new_controller_ref(rs1, "apps/v1", "ReplicaSet"), new_controller_ref(rs2, "apps/v1", "ReplicaSet")

    def pod(labels, refs, rv):
        p = new_pod("pod0", rs1, "Running", labels=labels, rv=rv, owned=False)
        if refs:
            p["metadata"]["ownerReferences"] = refs
        return p

    # case 1: Pod with a ControllerRef: its labels change, only the owner is synced
    manager.ctl.update_pod(pod({"foo": "bar"}, [ref1], "1"), pod({"bar": "foo"}, [ref1], "2"))
    assert manager.keys() == ["default/foobar"]
    # case 2: Remove ControllerRef (orphan): the label-matching ReplicaSet (and the former owner) are synced
    manager.ctl.update_pod(pod({"bar": "foo"}, [ref2], "1"), pod({"bar": "foo"}, [], "2"))
    assert manager.keys() == ["default/barfoo"]
    manager.ctl.update_pod(pod({"bar": "foo"}, [ref1], "1"), pod({"bar": "foo"}, [], "2"))
    assert sorted(manager.keys()) == ["default/barfoo", "default/foobar"]
    # case 4: keep the ControllerRef, change labels: only the owner
    manager.ctl.update_pod(pod({"foo": "bar"}, [ref2], "1"), pod({"bar": "foo"}, [ref2], "2"))
    assert manager.keys() == ["default/barfoo"]
    # a resync (same resourceVersion) wakes nobody
    same = pod({"foo": "bar"}, [ref1], "7")
    manager.ctl.update_pod(same, same)
    assert manager.keys() == []


class FailingStatusAPI:
    """An API server whose ReplicaSet status writes fail (a fake client with a reactor), counting calls."""

    def __init__(self, api: APIServer) -> None:
        self.api = api
        self.updates = 0
        self.gets = 0

    def update_status(self, obj, **kw):
        self.updates += 1
        raise errors.internal_error("failed to update status")

    def get(self, *a, **kw):
        self.gets += 1
        return self.api.get(*a, **kw)

    def __getattr__(self, name):
        return getattr(self.api, name)


def test_controller_update_requeue(manager):
    """TestControllerUpdateRequeue: a failed status update requeues the ReplicaSet (rate-limited)."""
    rs = created_rs(manager, 1, {"foo": "bar"})
    manager.add_pod(new_pod("pod0", rs, "Running"))
    manager.ctl.api = FailingStatusAPI(manager.api)
    assert manager.ctl.process_next_work_item("default/foobar") is False
    assert manager.ctl.queue.waiting  # added back with the rate limiter's delay
    manager.sim.run(1)
    assert len(manager.ctl.queue) == 1


def test_controller_update_status_with_failure(manager):
    """TestControllerUpdateStatusWithFailure: one GET and two updates (statusUpdateRetries = 1), each with the
    new status."""
    rs = manager.api.create(new_replica_set(1, {"foo": "bar"}))
    failing = FailingStatusAPI(manager.api)
    with pytest.raises(errors.StatusError):
        update_replica_set_status(failing, rs, {"replicas": 10}, user=ADMIN)
    assert (failing.gets, failing.updates) == (1, 2)


def test_status_unchanged_is_not_written(manager):
    rs = manager.api.create(new_replica_set(1, {"foo": "bar"}))
    written = update_replica_set_status(manager.api, rs, {"replicas": 2}, user=ADMIN)
    assert written["status"] == {"replicas": 2, "observedGeneration": 1}
    again = update_replica_set_status(manager.api, written, {"replicas": 2, "observedGeneration": 1}, user=ADMIN)
    assert again is written


def test_delete_controller_and_expectations(manager):
    """TestDeleteControllerAndExpectations: deleting the ReplicaSet drops its expectations."""
    rs = created_rs(manager, 1, {"foo": "bar"})
    manager.ctl.sync_replica_set("default/foobar")
    validate_sync(manager.fake, 1, 0, 0)
    manager.fake.clear()
    exp = manager.ctl.expectations.get_expectations("default/foobar")
    assert exp is not None
    manager.ctl.rs_informer.indexer.delete(rs)
    manager.ctl.delete_rs(rs)
    manager.ctl.sync_replica_set("default/foobar")
    assert manager.ctl.expectations.get_expectations("default/foobar") is None
    exp.add_counts(-1, 0)  # a concurrent addPod with a handle on the old expectations: no effect
    manager.ctl.sync_replica_set("default/foobar")
    validate_sync(manager.fake, 0, 0, 0)


def test_expectations_on_recreate():
    """TestExpectationsOnRecreate: a ReplicaSet deleted and created again under the same name starts clean."""
    m = Manager(100)
    m.ctl.start()
    old = m.api.create(new_replica_set(1, {"foo": "bar"}))
    assert m.ctl.queue.get() == "default/foobar"
    m.ctl.process_next_work_item("default/foobar")
    validate_sync(m.fake, 1, 0, 0)
    m.fake.clear()
    assert not m.ctl.expectations.get_expectations("default/foobar").fulfilled()
    m.api.delete("replicasets", "foobar", "default")
    assert m.ctl.expectations.get_expectations("default/foobar") is None
    assert m.keys() == ["default/foobar"]
    new = m.api.create(new_replica_set(1, {"foo": "bar"}))
    assert new["metadata"]["uid"] != old["metadata"]["uid"]
    assert m.ctl.queue.get() == "default/foobar"
    m.ctl.process_next_work_item("default/foobar")
    assert not m.ctl.expectations.get_expectations("default/foobar").fulfilled()
    validate_sync(m.fake, 1, 0, 0)


def test_overlapping_rss(manager):
    """TestOverlappingRSs: 9 ReplicaSets with one selector; a Pod with a ControllerRef wakes only its owner."""
    controllers = [new_replica_set(1, {"foo": "bar"}, f"rs{j}", f"uid-{j}") for j in range(1, 10)]
    for rs in reversed(controllers):
        manager.add_rs(rs)
    rs = controllers[3]
    manager.ctl.add_pod(new_pod("pod0", rs, "Pending"))
    assert manager.keys() == ["default/rs4"]


def test_deletion_timestamp(manager):
    """TestDeletionTimestamp: a Pod added with a deletionTimestamp, or updated to one, is an observed deletion, and
    counted once."""
    rs = new_replica_set(1, {"foo": "bar"}, uid="rs-uid")
    manager.add_rs(rs)
    key = "default/foobar"
    pod = new_pod("pod0", rs, "Pending", rv="1")
    pod["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    manager.ctl.expectations.expect_deletions(key, ["default/pod0"])
    manager.ctl.add_pod(pod)  # decrements deletions, not creations
    assert manager.keys() == [key]
    assert manager.ctl.expectations.get_expectations(key).fulfilled()
    old = new_pod("pod0", rs, "Pending", rv="2")
    manager.ctl.expectations.expect_deletions(key, ["default/pod0"])
    manager.ctl.update_pod(old, pod)  # no deletion timestamp -> one: a deletion
    assert manager.keys() == [key]
    assert manager.ctl.expectations.get_expectations(key).fulfilled()
    second = new_pod("secondPod", rs, "Pending")
    manager.ctl.expectations.expect_deletions(key, ["default/secondPod"])
    old2 = {**old, "metadata": {**old["metadata"], "deletionTimestamp": "2026-01-01T00:00:00Z"}}
    manager.ctl.update_pod(old2, pod)  # an update of the timestamp: not a second deletion
    assert not manager.ctl.expectations.get_expectations(key).fulfilled()
    manager.ctl.delete_pod(pod)  # already counted
    assert not manager.ctl.expectations.get_expectations(key).fulfilled()
    manager.keys()
    manager.ctl.delete_pod(second)  # clears the expectations
    assert manager.keys() == [key]
    assert manager.ctl.expectations.get_expectations(key).fulfilled()


def test_do_not_patch_pod_with_other_control_ref(manager):
    """TestDoNotPatchPodWithOtherControlRef: a matching Pod controlled by another controller is left alone, so 2
    Pods are created."""
    rs = created_rs(manager, 2, {"foo": "bar"})
    other = {"uid": "other-uid", "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "AnotherRS", "controller": True}
    pod = new_pod("pod", rs, "Running", owned=False)
    pod["metadata"]["ownerReferences"] = [other]
    manager.add_pod(pod)
    manager.ctl.sync_replica_set("default/foobar")
    validate_sync(manager.fake, 2, 0, 0)


def test_patch_pod_fails(manager):
    """TestPatchPodFails: two orphans to adopt, both patches fail: the sync fails and the key is requeued."""
    rs = created_rs(manager, 2, {"foo": "bar"})
    for name in ("pod1", "pod2"):
        stored = manager.api.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": name, "namespace": "default", "labels": {"foo": "bar"}},
                "spec": {"containers": [{"name": "c", "image": "x"}]},
            }
        )
        manager.add_pod(stored)
    manager.fake.err = ReconcileError("fake Error")
    assert manager.ctl.process_next_work_item("default/foobar") is False
    validate_sync(manager.fake, 0, 0, 2)
    failed = manager.sim.events("controller.reconcile_failed")
    assert "fake Error" in failed["error"].iloc[0]
    assert "default/foobar" in manager.ctl.queue.waiting
    assert get_controller_of(rs) is None


def test_do_not_adopt_or_create_if_being_deleted(manager):
    """TestDoNotAdoptOrCreateIfBeingDeleted: a ReplicaSet being deleted (held by a finalizer) neither adopts nor
    creates; its status is still written."""
    rs = new_replica_set(2, {"foo": "bar"})
    rs["metadata"]["finalizers"] = ["example.com/hold"]
    manager.api.create(rs)
    manager.api.delete("replicasets", "foobar", "default")
    rs = manager.api.get("replicasets", "foobar", "default")
    assert rs["metadata"]["deletionTimestamp"]
    manager.add_rs(rs)
    manager.add_pod(new_pod("pod1", rs, "Running", owned=False))
    manager.ctl.sync_replica_set("default/foobar")
    validate_sync(manager.fake, 0, 0, 0)
    assert manager.sim.events("replicaset.sync")["action"].tolist() == ["deleting"]


def test_do_not_adopt_or_create_if_being_deleted_race(manager):
    """TestDoNotAdoptOrCreateIfBeingDeletedRace: the cache says alive, the API server says being deleted (or gone):
    the recheck before adoption aborts the sync, with no patch and no create."""
    rs = manager.api.create(new_replica_set(2, {"foo": "bar"}))
    manager.add_rs(rs)
    manager.api.delete("replicasets", "foobar", "default")  # gone from the API server, still in the cache
    manager.add_pod(new_pod("pod1", rs, "Running", owned=False))
    with pytest.raises(ReconcileError, match="can't adopt Pod default/pod1"):
        manager.ctl.sync_replica_set("default/foobar")
    validate_sync(manager.fake, 0, 0, 0)


def test_pod_turning_ready_requeues_after_min_ready_seconds(manager):
    """updatePod: a Pod that became ready wakes its ReplicaSet minReadySeconds + 1 s later (AddAfter)."""
    rs = new_replica_set(1, {"foo": "bar"}, uid="rs-uid")
    rs["spec"]["minReadySeconds"] = 10
    manager.add_rs(rs)
    old = new_pod("p", rs, "Pending", rv="1")
    cur = new_pod("p", rs, "Running", rv="2")
    manager.ctl.update_pod(old, cur)
    assert manager.keys() == ["default/foobar"]
    assert manager.ctl.queue.waiting == {"default/foobar": 11.0}


def test_constructor_checks_burst_replicas():
    sim = Simulation(0)
    with pytest.raises(ValueError, match="burst_replicas must be a whole number >= 1"):
        ReplicaSetController(sim, APIServer(sim), burst_replicas=0)


# ======================================================================================================================
# Integration: a real Cluster


RS_YAML = """
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: {replicas}
  minReadySeconds: {min_ready}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web, tier: front}}
    spec:
      {extra}containers:
      - name: nginx
        image: nginx:1.27
"""


def make_cluster(nodes: int = 3, seed: int = 0) -> tuple[Cluster, ReplicaSetController]:
    cluster = Cluster(seed=seed)
    ctl = ReplicaSetController(
        cluster.sim,
        cluster.api,
        rs_informer=cluster.shared_informer("replicasets"),
        pod_informer=cluster.shared_informer("pods"),
    )
    cluster.add_control_plane_component("replicaset-controller", ctl)
    if nodes:
        cluster.add_nodes(nodes)
    return cluster, ctl


def apply_rs(cluster: Cluster, replicas: int = 3, min_ready: int = 0, extra: str = "") -> None:
    cluster.apply(RS_YAML.format(replicas=replicas, min_ready=min_ready, extra=extra))


def pods_of(cluster: Cluster, *, active_only: bool = True) -> list[dict[str, Any]]:
    items, _ = cluster.api.list("pods", "default")
    return [
        p
        for p in items
        if (get_controller_of(p) or {}).get("name") == "web"
        and not (active_only and p["metadata"].get("deletionTimestamp"))
    ]


def running(cluster: Cluster) -> list[dict[str, Any]]:
    return [p for p in pods_of(cluster) if p["status"].get("phase") == "Running"]


def rs_status(cluster: Cluster) -> dict[str, Any]:
    return cluster.api.get("replicasets", "web", "default").get("status") or {}


def events(cluster: Cluster, reason: str) -> list[dict[str, Any]]:
    items, _ = cluster.api.list("events", "default")
    return [e for e in items if e.get("reason") == reason]


def test_replicaset_of_three_runs_three_pods():
    cluster, _ = make_cluster()
    apply_rs(cluster)
    cluster.run_for("60s")
    pods = running(cluster)
    assert len(pods) == 3
    assert all(p["spec"]["nodeName"] for p in pods)
    assert all(p["metadata"]["name"].startswith("web-") for p in pods)
    assert rs_status(cluster) == {
        "replicas": 3,
        "fullyLabeledReplicas": 3,
        "readyReplicas": 3,
        "availableReplicas": 3,
        "observedGeneration": 1,
    }
    created = events(cluster, "SuccessfulCreate")
    assert sorted(e["message"] for e in created) == sorted(f"Created pod: {p['metadata']['name']}" for p in pods)
    assert {e["source"]["component"] for e in created} == {"replicaset-controller"}
    assert created[0]["involvedObject"]["kind"] == "ReplicaSet"


def test_deleted_pod_is_replaced():
    cluster, _ = make_cluster()
    apply_rs(cluster)
    cluster.run_for("60s")
    victim = running(cluster)[0]["metadata"]["name"]
    cluster.delete("pod", victim)
    cluster.run_for("60s")
    names = [p["metadata"]["name"] for p in running(cluster)]
    assert len(names) == 3 and victim not in names
    assert len(events(cluster, "SuccessfulCreate")) == 4


def scale(cluster: Cluster, replicas: int) -> None:
    live = cluster.api.get("replicasets", "web", "default")
    cluster.api.update({**live, "spec": {**live["spec"], "replicas": replicas}})


def test_scale_down_picks_pods_per_ranking():
    """Scale-down deletes per ActivePodsWithRanks: a Pod not yet running goes before running ones; among ready
    Pods, the one with the lowest pod-deletion-cost goes first, whatever its age."""
    cluster, ctl = make_cluster()
    apply_rs(cluster, replicas=3)
    cluster.run_for("60s")
    ready = sorted(p["metadata"]["name"] for p in running(cluster))
    scale(cluster, 4)
    cluster.run_for("1s")  # the fourth Pod exists, but is not running and ready yet
    (newcomer,) = {p["metadata"]["name"] for p in pods_of(cluster)} - set(ready)
    assert cluster.api.get("pods", newcomer, "default")["status"].get("phase") == "Pending"
    scale(cluster, 3)
    cluster.run_for("1s")
    assert [e["message"] for e in events(cluster, "SuccessfulDelete")] == [f"Deleted pod: {newcomer}"]
    # the oldest Pod is marked cheap to lose: it goes first on the next scale-down
    cheap = ready[0]
    cluster.api.patch("pods", cheap, "default", {"metadata": {"annotations": {POD_DELETION_COST: "-10"}}})
    scale(cluster, 2)
    cluster.run_for("1s")
    assert ctl.sim.events("replicaset.delete")["pods"].tolist() == [newcomer, cheap]
    cluster.run_for("60s")
    assert sorted(p["metadata"]["name"] for p in running(cluster)) == ready[1:]


def test_orphan_matching_pod_is_adopted():
    cluster, _ = make_cluster()
    apply_rs(cluster, replicas=2)
    cluster.run_for("60s")
    # an orphan Pod with matching labels appears: the ReplicaSet adopts it, then has 3 > 2 and deletes one
    cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "stray", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]},
        }
    )
    cluster.run_for("1s")
    adopted = [
        e for e in cluster.sim.events("api").to_dict("records") if e.get("verb") == "patch" and e.get("name") == "stray"
    ]
    assert adopted, "the orphan was patched (adopted)"
    cluster.run_for("60s")
    assert len(running(cluster)) == 2
    assert rs_status(cluster)["replicas"] == 2
    # it was adopted first (then, being the not-yet-ready newest, deleted: unassigned/pending goes first)
    assert [e["message"] for e in events(cluster, "SuccessfulDelete")] == ["Deleted pod: stray"]


def test_orphan_adoption_keeps_it_when_replicas_need_it():
    cluster, _ = make_cluster()
    apply_rs(cluster, replicas=0)
    cluster.run_for("5s")
    cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "stray", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]},
        }
    )
    scale(cluster, 1)
    cluster.run_for("60s")
    stray = cluster.api.get("pods", "stray", "default")
    ref = get_controller_of(stray)
    assert ref["kind"] == "ReplicaSet" and ref["name"] == "web" and ref["blockOwnerDeletion"] is True
    assert [p["metadata"]["name"] for p in pods_of(cluster)] == ["stray"]
    assert events(cluster, "SuccessfulCreate") == []


def test_pod_whose_labels_change_is_released_and_replaced():
    cluster, _ = make_cluster()
    apply_rs(cluster)
    cluster.run_for("60s")
    victim = running(cluster)[0]["metadata"]["name"]
    cluster.api.patch("pods", victim, "default", {"metadata": {"labels": {"app": "debug"}}})
    cluster.run_for("60s")
    released = cluster.api.get("pods", victim, "default")
    assert get_controller_of(released) is None  # orphaned: the ownerReference was removed
    assert released["status"]["phase"] == "Running"  # ... and it keeps running
    assert len(running(cluster)) == 3 and victim not in {p["metadata"]["name"] for p in running(cluster)}
    # no ReplicaSet owns a Pod its selector does not match
    for pod in cluster.api.list("pods", "default")[0]:
        if (get_controller_of(pod) or {}).get("name") == "web":
            assert pod["metadata"]["labels"]["app"] == "web"


def test_failed_node_pods_replaced_elsewhere_after_eviction():
    """Node failure: Unknown at 50 s (node-monitor-grace-period 40 s + 5 s checks), NoExecute taint, eviction after
    tolerationSeconds 300 s, then the ReplicaSet creates replacements on the healthy nodes."""
    cluster, _ = make_cluster(nodes=3)
    apply_rs(cluster, replicas=3)
    cluster.run_for("60s")
    by_node: dict[str, list[str]] = {}
    for p in running(cluster):
        by_node.setdefault(p["spec"]["nodeName"], []).append(p["metadata"]["name"])
    failed_node = max(sorted(by_node), key=lambda n: len(by_node[n]))
    lost = set(by_node[failed_node])
    failed_at = cluster.now
    cluster.fail_node(failed_node)
    cluster.run_for("100s")
    start = cluster.sim.start.timestamp()
    node = cluster.api.get("nodes", failed_node)
    ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "Unknown"
    assert parse_time(ready["lastTransitionTime"]) - start == failed_at + 50  # 40 s grace, checked every 5 s
    (no_execute,) = [t for t in node["spec"]["taints"] if t["effect"] == "NoExecute"]
    tainted_at = parse_time(no_execute["timeAdded"]) - start
    assert len(pods_of(cluster)) == 3  # nothing replaced yet: the Pods tolerate the taint for 300 s
    cluster.run_for("360s")
    active = pods_of(cluster)
    assert len(active) == 3
    assert all(p["spec"].get("nodeName") != failed_node for p in active)
    assert len([p for p in active if p["status"].get("phase") == "Running"]) == 3
    evicted = [e for e in events(cluster, "TaintManagerEviction") if e["involvedObject"]["name"] in lost]
    assert len(evicted) == len(lost)
    creates = [
        e
        for e in cluster.sim.events("replicaset.sync").to_dict("records")
        if e["action"] == "create" and e["time"] > failed_at
    ]
    assert creates[0]["diff"] == len(lost)
    assert creates[0]["time"] == pytest.approx(tainted_at + 300, abs=1.0)  # tolerationSeconds 300
    # the evicted Pods stay Terminating: their kubelet is gone and cannot confirm
    assert all(
        p["metadata"].get("deletionTimestamp")
        for p in pods_of(cluster, active_only=False)
        if p["metadata"]["name"] in lost
    )


def test_thousand_replicas_slow_start_batches_in_the_log():
    """1,000 replicas: two syncs of 500 (BurstReplicas), each in slow-start batches 1, 2, 4, ... 128, 245."""
    cluster, _ = make_cluster(nodes=10)
    apply_rs(cluster, replicas=1000)
    cluster.run_for("1s")
    batches = cluster.sim.events("replicaset.slow_start_batch")
    assert batches["size"].tolist() == [1, 2, 4, 8, 16, 32, 64, 128, 245] * 2
    assert batches["batch"].tolist() == list(range(1, 10)) * 2
    assert len(pods_of(cluster)) == 1000
    # every creation is a SuccessfulCreate event; the recorder's correlator aggregates and rate-limits them as
    # client-go does (25 at once per object, then similar messages combined)
    created = events(cluster, "SuccessfulCreate")
    assert len(created) == 10  # 10 distinct messages, then "(combined from similar events): ..." counts on
    assert sum(e.get("count", 1) for e in created) == 25  # the spam filter's burst of 25 per source and object
    assert created[-1]["message"].startswith("(combined from similar events): Created pod: web-")


def test_failed_create_stops_the_slow_start_and_sets_replica_failure():
    """A Pod template admission refuses (an unknown PriorityClass): one creation attempted per sync (the first
    batch of 1 fails), a FailedCreate event with the API server's message, the ReplicaFailure condition."""
    cluster, _ = make_cluster(nodes=1)
    apply_rs(cluster, replicas=100, extra="priorityClassName: no-such-class\n      ")
    cluster.run_for("1s")
    batches = cluster.sim.events("replicaset.slow_start_batch")
    assert batches["size"].tolist()[:1] == [1]
    assert set(batches["created"]) == {0}
    failed = events(cluster, "FailedCreate")
    assert failed and failed[0]["type"] == "Warning"
    assert failed[0]["message"].startswith("Error creating: pods ")
    assert "no PriorityClass with name no-such-class was found" in failed[0]["message"]
    cond = get_condition(rs_status(cluster), REPLICA_FAILURE)
    assert cond["reason"] == "FailedCreate" and cond["status"] == "True"
    # retried with back-off: 5 ms, 10 ms, 20 ms, ... so a few attempts in the first second, not 100
    assert 1 <= len(batches) <= 12


def test_min_ready_seconds_makes_available_later():
    cluster, _ = make_cluster()
    apply_rs(cluster, replicas=2, min_ready=30)
    cluster.run_for("20s")
    status = rs_status(cluster)
    assert status.get("readyReplicas") == 2 and status.get("availableReplicas", 0) == 0
    cluster.run_for("30s")
    assert rs_status(cluster).get("availableReplicas") == 2


def test_crashed_container_is_restarted_by_kubelet_not_replaced():
    cluster, _ = make_cluster()
    apply_rs(cluster)
    cluster.run_for("60s")
    victim = running(cluster)[0]["metadata"]["name"]
    cluster.kill_container(victim, "nginx")
    cluster.run_for("60s")
    assert victim in {p["metadata"]["name"] for p in running(cluster)}
    assert len(events(cluster, "SuccessfulCreate")) == 3  # the ReplicaSet did nothing: the kubelet restarted it


def test_deterministic_across_runs():
    def run() -> list[str]:
        cluster, _ = make_cluster(seed=3)
        apply_rs(cluster, replicas=5)
        cluster.run_for("30s")
        scale(cluster, 2)
        cluster.run_for("30s")
        return sorted(p["metadata"]["name"] for p in pods_of(cluster))

    assert run() == run()


# ======================================================================================================================
# Properties (hypothesis)


_PHASES = {"Pending": 0, "Unknown": 1, "Running": 2}
_EPOCH = 1_700_000_000


def _stamp(unix: float) -> str:
    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def pod_lists(draw: Any) -> list[dict[str, Any]]:
    """Pods with distinct ready and creation ages in distinct power-of-two buckets (so ActivePodsWithRanks is a
    strict weak order: no ties broken by UID across equal times)."""
    n = draw(st.integers(1, 12))
    ages = draw(st.lists(st.integers(4, 30), min_size=2 * n, max_size=2 * n, unique=True))
    pods = []
    for i in range(n):
        phase = draw(st.sampled_from(list(_PHASES)))
        ready = phase == "Running" and draw(st.booleans())
        pod = new_pod(f"p{i}", RS, phase, uid=f"uid-{i:02d}")
        pod["spec"]["nodeName"] = draw(st.sampled_from(["", "n1", "n2", "n3"]))
        pod["metadata"]["creationTimestamp"] = _stamp(_EPOCH - 2 ** ages[2 * i] - 1)
        pod["status"]["conditions"] = [{"type": "Ready", "status": "True" if ready else "False"}]
        if ready:
            pod["status"]["conditions"][0]["lastTransitionTime"] = _stamp(_EPOCH - 2 ** ages[2 * i + 1] - 1)
        pod["status"]["containerStatuses"] = [{"name": "c", "restartCount": draw(st.integers(0, 2))}]
        cost = draw(st.sampled_from([None, "-1", "0", "5"]))
        if cost is not None:
            pod["metadata"]["annotations"] = {POD_DELETION_COST: cost}
        pods.append(pod)
    return pods


def _key(pod: dict[str, Any], rank: int) -> tuple:
    """ActivePodsWithRanks as a sort key, when times fall in distinct log2 buckets."""
    meta, status = pod["metadata"], pod["status"]
    ready = status["conditions"][0]["status"] == "True"
    age = _EPOCH - parse_time(status["conditions"][0]["lastTransitionTime"]) if ready else 0
    created_age = _EPOCH - parse_time(meta["creationTimestamp"])
    return (
        bool(pod["spec"]["nodeName"]),
        _PHASES[status["phase"]],
        ready,
        int((meta.get("annotations") or {}).get(POD_DELETION_COST, 0)),
        -rank,
        int(math.log2(age * 1e9)) if ready else 0,
        -status["containerStatuses"][0]["restartCount"],
        int(math.log2(created_age * 1e9)),
    )


@settings(max_examples=200, deadline=None)
@given(pods=pod_lists(), data=st.data())
def test_pods_to_delete_follow_the_ranking(pods, data):
    """get_pods_to_delete picks the first ``diff`` Pods of the ActivePodsWithRanks order (unassigned, phase, ready,
    cost, rank, ready time, restarts, creation time), computed here independently as a sort key."""
    diff = data.draw(st.integers(0, len(pods)))
    got = get_pods_to_delete(pods, pods, diff, float(_EPOCH))
    if diff == len(pods):
        assert got == pods  # all of them, unsorted
        return
    on_node: dict[str, int] = {}
    for p in pods:
        on_node[p["spec"]["nodeName"]] = on_node.get(p["spec"]["nodeName"], 0) + 1
    expected = sorted(pods, key=lambda p: _key(p, on_node[p["spec"]["nodeName"]]))[:diff]
    assert [_key(p, on_node[p["spec"]["nodeName"]]) for p in got] == [
        _key(p, on_node[p["spec"]["nodeName"]]) for p in expected
    ]


@settings(max_examples=200, deadline=None)
@given(pods=pod_lists(), min_ready=st.sampled_from([0, 10, 2**20]))
def test_status_counts_of_the_controller_pass_equal_calculate_status(pods, min_ready):
    """The controller counts status from per-Pod facts it remembers; the counts are calculateStatus's."""
    rs = {**RS, "spec": {**RS["spec"], "minReadySeconds": min_ready}}
    selector = label_selector_as_selector(rs["spec"]["selector"])
    template = selector_from_set(rs["spec"]["template"]["metadata"]["labels"])
    facts = [_pod_facts(p, rs["metadata"]["uid"], selector, template) for p in pods]
    counts = _status_counts(facts, min_ready, float(_EPOCH))
    direct = calculate_status(rs, pods, None, float(_EPOCH), "x")
    assert counts == (
        direct.get("fullyLabeledReplicas", 0),
        direct.get("readyReplicas", 0),
        direct.get("availableReplicas", 0),
    )
    assert calculate_status(rs, pods, None, float(_EPOCH), "x", counts=counts) == direct


def test_a_replicaset_can_be_updated_before_its_controller_writes_status():
    """PrepareForCreate stores ``status: {replicas: 0}`` (ReplicaSetStatus.Replicas has no omitempty), so a whole-object
    update (kubectl apply of a changed manifest) is valid before the controller ever wrote status."""
    c = Cluster(seed=0)  # no node: no control plane, nobody writes status
    manifest = """
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
"""
    c.apply(manifest)
    assert c.api.get("replicasets", "web", "default")["status"] == {"replicas": 0}
    assert str(c.apply(manifest.replace("replicas: 2", "replicas: 3"))) == "replicaset.apps/web configured"
    assert c.api.get("replicasets", "web", "default")["spec"]["replicas"] == 3
