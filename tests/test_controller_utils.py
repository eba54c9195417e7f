"""``k8smodel.controllers.controller_utils``: expectations, Pod ranking, slow start, the ref manager, the hash.

Cases come from upstream's ``pkg/controller/controller_utils_test.go`` (TestControllerExpectations,
TestUIDExpectations, TestCreatePodsWithGenerateName, TestDeletePodsAllowsMissing, TestActivePodFiltering,
TestSortingActivePods, TestSortingActivePodsWithRanks, TestComputeHash), ``pkg/controller/
controller_ref_manager_test.go`` (TestClaimPods) and ``pkg/controller/replicaset/replica_set_test.go``
(TestSlowStartBatch); each test names its source.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from k8smodel.api import errors
from k8smodel.api.labels import label_selector_as_selector, selector_from_set
from k8smodel.apiserver import APIServer
from k8smodel.controllers.base import ReconcileError, controller_user
from k8smodel.controllers.controller_utils import (
    EXPECTATIONS_TIMEOUT,
    POD_DELETION_COST,
    ControllerExpectations,
    PodControl,
    PodControllerRefManager,
    ReplicaSetControllerRefManager,
    UIDTrackingControllerExpectations,
    active_pods_less,
    active_pods_with_ranks_less,
    compute_hash,
    filter_active_pods,
    fresh_owner_getter,
    get_controller_of,
    get_deletion_cost_from_pod_annotations,
    is_pod_available,
    new_controller_ref,
    pod_from_template,
    pod_key,
    recheck_deletion_timestamp,
    safe_encode_string,
    slow_start_batch,
    sort_active_pods,
    sort_active_pods_with_ranks,
)
from k8smodel.record import EventRecorder
from k8smodel.sim import Simulation

USER = controller_user("replicaset-controller")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0


# --- expectations ----------------------------------------------------------------------------------------------


def test_controller_expectations():
    """TestControllerExpectations."""
    clock = Clock()
    e = ControllerExpectations(clock)
    adds, dels = 10, 30
    key = "default/foobar"
    e.set_expectations(key, adds, dels)
    for _ in range(adds + 1):
        e.creation_observed(key)
    assert not e.satisfied_expectations(key)  # there are still delete expectations
    for _ in range(dels + 1):
        e.deletion_observed(key)
    # "Expectations have been surpassed"
    assert e.get_expectations(key).get_expectations() == (-1, -1)
    assert e.satisfied_expectations(key)
    # "Old expectations are cleared because of ttl"
    e.set_expectations(key, 1, 2)
    assert e.get_expectations(key).get_expectations() == (1, 2)
    assert not e.satisfied_expectations(key)
    clock.now += EXPECTATIONS_TIMEOUT + 1
    assert e.satisfied_expectations(key)


def test_expectations_timeout_is_five_minutes_and_missing_means_satisfied():
    clock = Clock()
    e = ControllerExpectations(clock)
    assert e.satisfied_expectations("default/new")  # never set: sync
    e.expect_creations("default/rs", 3)
    clock.now = 300.0
    assert not e.satisfied_expectations("default/rs")  # exactly 5 minutes: not yet expired (Since > timeout)
    clock.now = 300.001
    assert e.satisfied_expectations("default/rs")
    e.expect_deletions("default/rs", 2)
    e.raise_expectations("default/rs", 1, 1)
    assert e.get_expectations("default/rs").get_expectations() == (1, 3)
    e.lower_expectations("default/rs", 1, 3)
    assert e.satisfied_expectations("default/rs")
    e.delete_expectations("default/rs")
    assert e.get_expectations("default/rs") is None
    e.lower_expectations("default/rs", 1, 1)  # no record: nothing happens
    assert e.get_expectations("default/rs") is None


@pytest.mark.parametrize("replicas", [2, 1, 0, 5])
def test_uid_expectations(replicas):
    """TestUIDExpectations: each controller expects the deletion of its 5 pods, by key."""
    uid_exp = UIDTrackingControllerExpectations(Clock())
    key = f"default/rc-{replicas}"
    pod_keys = [f"default/pod{i}-rc-{replicas}" for i in range(5)]
    uid_exp.expect_deletions(key, pod_keys)
    assert not uid_exp.satisfied_expectations(key)
    for p in pod_keys:
        uid_exp.deletion_observed(key, p)
    assert uid_exp.satisfied_expectations(key)
    uid_exp.delete_expectations(key)
    assert uid_exp.get_uids(key) is None


def test_uid_expectations_count_a_graceful_deletion_once():
    uid_exp = UIDTrackingControllerExpectations(Clock())
    uid_exp.expect_deletions("default/rs", ["default/a", "default/b"])
    uid_exp.deletion_observed("default/rs", "default/a")  # the update that sets deletionTimestamp
    uid_exp.deletion_observed("default/rs", "default/a")  # the delete itself: not counted again
    uid_exp.deletion_observed("default/rs", "default/zzz")  # not expected: ignored
    assert uid_exp.get_expectations("default/rs").get_expectations() == (0, 1)
    assert uid_exp.get_uids("default/rs") == ["default/b"]
    assert not uid_exp.satisfied_expectations("default/rs")


# --- pods: active, ready, available ----------------------------------------------------------------------------

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
NOW_UNIX = NOW.timestamp()


def stamp(delta: timedelta | None) -> str | None:
    return None if delta is None else (NOW - delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_pod(
    name: str,
    node: str = "",
    phase: str | None = None,
    *,
    ready: bool | None = None,
    ready_since: timedelta | None = None,
    created: timedelta | None = None,
    restarts: list[int] | None = None,
    annotations: dict[str, str] | None = None,
    deleting: bool = False,
    uid: str = "",
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": "default"}
    if created is not None:
        meta["creationTimestamp"] = stamp(created)
    if annotations:
        meta["annotations"] = annotations
    if deleting:
        meta["deletionTimestamp"] = stamp(timedelta(0))
    if uid:
        meta["uid"] = uid
    if labels:
        meta["labels"] = labels
    status: dict[str, Any] = {}
    if phase:
        status["phase"] = phase
    if ready is not None:
        cond: dict[str, Any] = {"type": "Ready", "status": "True" if ready else "False"}
        if ready_since is not None:
            cond["lastTransitionTime"] = stamp(ready_since)
        status["conditions"] = [cond]
    if restarts is not None:
        status["containerStatuses"] = [{"name": f"c{i}", "restartCount": r} for i, r in enumerate(restarts)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"nodeName": node}, "status": status}


def test_active_pod_filtering():
    """TestActivePodFiltering."""
    pods = [
        make_pod("pod-1", phase="Succeeded"),
        make_pod("pod-2", phase="Failed"),
        make_pod("pod-3", phase="Running"),
        make_pod("pod-4", phase="Running"),
        make_pod("pod-5", phase="Running"),
        make_pod("pod-6", phase="Running", deleting=True),
    ]
    assert [p["metadata"]["name"] for p in filter_active_pods(pods)] == ["pod-3", "pod-4", "pod-5"]


def test_is_pod_available_needs_strictly_more_than_min_ready_seconds():
    """podutil.IsPodAvailable: lastTransitionTime + minReadySeconds must be Before(now)."""
    pod = make_pod("p", "n", "Running", ready=True, ready_since=timedelta(seconds=10))
    assert is_pod_available(pod, 0, NOW_UNIX)
    assert is_pod_available(pod, 9, NOW_UNIX)
    assert not is_pod_available(pod, 10, NOW_UNIX)
    assert not is_pod_available(make_pod("q", "n", "Running", ready=False), 0, NOW_UNIX)
    assert not is_pod_available(make_pod("r", "n", "Running", ready=True), 5, NOW_UNIX)  # no transition time


MONTH = timedelta(days=30)


def test_sorting_active_pods():
    """TestSortingActivePods: 20 random permutations all sort to the same order."""
    pods = [
        make_pod("unscheduled", "", "Pending"),
        make_pod("scheduledButPending", "bar", "Pending"),
        make_pod("unknownPhase", "foo", "Unknown"),
        make_pod("runningButNotReady", "foo", "Running"),
        make_pod("runningNoLastTransitionTime", "foo", "Running", ready=True, restarts=[3, 0]),
        make_pod(
            "runningWithLastTransitionTime", "foo", "Running", ready=True, ready_since=timedelta(0), restarts=[3, 0]
        ),
        make_pod("runningLongerTime", "foo", "Running", ready=True, ready_since=MONTH, restarts=[3, 0]),
        make_pod(
            "lowerContainerRestartCount",
            "foo",
            "Running",
            ready=True,
            ready_since=MONTH,
            restarts=[2, 1],
            created=timedelta(0),
        ),
        make_pod("oldest", "foo", "Running", ready=True, ready_since=MONTH, restarts=[2, 1], created=MONTH),
    ]
    want = [p["metadata"]["name"] for p in pods]
    rng = random.Random(7)
    for _ in range(20):
        shuffled = pods[:]
        rng.shuffle(shuffled)
        assert [p["metadata"]["name"] for p in sort_active_pods(shuffled)] == want
    assert active_pods_less(pods[0], pods[1]) and not active_pods_less(pods[1], pods[0])


ZERO = None
H2, H5, H8 = timedelta(hours=2), timedelta(hours=5), timedelta(hours=8)
NOW_D = timedelta(0)


def ranked_pod(name, node, phase, ready, restarts, ready_since, created, annotations=None):
    """The ``pod`` helper of TestSortingActivePodsWithRanks (ready pods get a Ready condition and one status)."""
    pod = make_pod(name, node, phase, created=created, annotations=annotations)
    if ready:
        cond = {"type": "Ready", "status": "True"}
        if ready_since is not None:
            cond["lastTransitionTime"] = stamp(ready_since)
        pod["status"]["conditions"] = [cond]
        pod["status"]["containerStatuses"] = [{"name": "c", "restartCount": restarts}]
    return pod


UNSCHEDULED = ranked_pod("unscheduled", "", "Pending", False, 0, ZERO, ZERO)
SCHEDULED_PENDING = ranked_pod("pending", "node", "Pending", False, 0, ZERO, ZERO)
UNKNOWN_PHASE = ranked_pod("unknown-phase", "node", "Unknown", False, 0, ZERO, ZERO)
RUNNING_NOT_READY = ranked_pod("not-ready", "node", "Running", False, 0, ZERO, ZERO)
READY_NO_LTT = ranked_pod("ready-no-last-transition-time", "node", "Running", True, 0, ZERO, ZERO)
READY_NOW = ranked_pod("ready-now", "node", "Running", True, 0, NOW_D, NOW_D)
READY_THEN = ranked_pod("ready-then", "node", "Running", True, 0, MONTH, MONTH)
READY_NOW_HIGH_RESTARTS = ranked_pod("ready-high-restarts", "node", "Running", True, 9001, NOW_D, NOW_D)
READY_NOW_CREATED_THEN = ranked_pod("ready-now-created-then", "node", "Running", True, 0, NOW_D, MONTH)
LOW_COST = ranked_pod("low-deletion-cost", "node", "Running", True, 0, NOW_D, MONTH, {POD_DELETION_COST: "10"})
HIGH_COST = ranked_pod("high-deletion-cost", "node", "Running", True, 0, NOW_D, MONTH, {POD_DELETION_COST: "100"})
UNSCHEDULED_5H = ranked_pod("unscheduled-5-hours", "", "Pending", False, 0, H5, H5)
UNSCHEDULED_8H = ranked_pod("unscheduled-10-hours", "", "Pending", False, 0, H8, H8)
READY_2H = ranked_pod("ready-2-hours", "", "Running", True, 0, H2, MONTH)
READY_5H = ranked_pod("ready-5-hours", "", "Running", True, 0, H5, MONTH)
READY_8H = ranked_pod("ready-10-hours", "", "Running", True, 0, H8, MONTH)


@pytest.mark.parametrize(
    ("p1", "p2"),
    [
        (UNSCHEDULED, None),
        (SCHEDULED_PENDING, None),
        (UNKNOWN_PHASE, None),
        (RUNNING_NOT_READY, None),
        (READY_NOW_CREATED_THEN, None),
        (READY_NOW, None),
        (READY_THEN, None),
        (READY_NOW_HIGH_RESTARTS, None),
        (UNSCHEDULED_5H, UNSCHEDULED_8H),  # 5 h and 8 h fall in the same log2 bucket of nanoseconds
        (READY_5H, READY_8H),
    ],
)
def test_sorting_active_pods_with_ranks_equality(p1, p2):
    """TestSortingActivePodsWithRanks, equality tests (rank 1 each, LogarithmicScaleDown on)."""
    p2 = p2 or p1
    assert not active_pods_with_ranks_less(p1, p2, 1, 1, NOW_UNIX)
    assert not active_pods_with_ranks_less(p2, p1, 1, 1, NOW_UNIX)


@pytest.mark.parametrize(
    ("lesser", "lesser_rank", "greater", "greater_rank"),
    [
        (UNSCHEDULED, 1, SCHEDULED_PENDING, 2),
        (UNSCHEDULED, 2, SCHEDULED_PENDING, 1),
        (SCHEDULED_PENDING, 1, UNKNOWN_PHASE, 2),
        (UNKNOWN_PHASE, 1, RUNNING_NOT_READY, 2),
        (RUNNING_NOT_READY, 1, READY_NO_LTT, 1),
        (READY_NO_LTT, 1, READY_NOW, 1),
        (READY_NOW, 2, READY_NO_LTT, 1),
        (READY_NOW, 1, READY_THEN, 1),
        (READY_NOW, 2, READY_THEN, 1),
        (READY_NOW_HIGH_RESTARTS, 1, READY_NOW, 1),
        (READY_NOW, 2, READY_NOW_HIGH_RESTARTS, 1),
        (READY_NOW, 1, READY_NOW_CREATED_THEN, 1),
        (READY_NOW_CREATED_THEN, 2, READY_NOW, 1),
        (LOW_COST, 2, HIGH_COST, 1),
        (READY_2H, 1, READY_5H, 1),
    ],
)
def test_sorting_active_pods_with_ranks_inequality(lesser, lesser_rank, greater, greater_rank):
    """TestSortingActivePodsWithRanks, inequality tests (PodDeletionCost and LogarithmicScaleDown on; the case
    with PodDeletionCost disabled is left out: the gate is always on in the model)."""
    assert active_pods_with_ranks_less(lesser, greater, lesser_rank, greater_rank, NOW_UNIX)
    assert not active_pods_with_ranks_less(greater, lesser, greater_rank, lesser_rank, NOW_UNIX)


def test_ranking_follows_the_issue_order_end_to_end():
    """The full order on one list: unassigned, Pending, Unknown, not ready, low cost, doubled up, ready for less
    time, more restarts, newer."""
    pods = [
        ranked_pod("old", "n1", "Running", True, 0, MONTH, MONTH),
        ranked_pod("restarts", "n1", "Running", True, 7, MONTH, MONTH),
        ranked_pod("ready-recently", "n1", "Running", True, 0, timedelta(seconds=3), MONTH),
        ranked_pod("doubled-up", "n2", "Running", True, 0, MONTH, MONTH),
        ranked_pod("cheap", "n1", "Running", True, 0, MONTH, MONTH, {POD_DELETION_COST: "-5"}),
        ranked_pod("not-ready", "n1", "Running", False, 0, ZERO, MONTH),
        ranked_pod("unknown", "n1", "Unknown", False, 0, ZERO, MONTH),
        ranked_pod("pending", "n1", "Pending", False, 0, ZERO, MONTH),
        ranked_pod("unassigned", "", "Pending", False, 0, ZERO, MONTH),
    ]
    ranks = [1, 1, 1, 3, 1, 1, 1, 1, 1]
    ordered = sort_active_pods_with_ranks(pods, ranks, NOW_UNIX)
    assert [p["metadata"]["name"] for p in ordered] == [
        "unassigned",
        "pending",
        "unknown",
        "not-ready",
        "cheap",
        "doubled-up",
        "ready-recently",
        "restarts",
        "old",
    ]
    with pytest.raises(ValueError, match="equal length"):
        sort_active_pods_with_ranks(pods, ranks[:-1])


@pytest.mark.parametrize(
    ("value", "cost"),
    [("10", 10), ("-10", -10), ("0", 0), ("+10", 0), ("008", 0), ("abc", 0), ("", 0), ("2147483648", 0), (None, 0)],
)
def test_deletion_cost_annotation(value, cost):
    """GetDeletionCostFromPodAnnotations (helpers_test.go TestGetDeletionCostFromPodAnnotations): invalid -> 0."""
    annotations = {} if value is None else {POD_DELETION_COST: value}
    assert get_deletion_cost_from_pod_annotations(annotations) == cost


# --- slow start ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "call_limit", "successes", "failed", "calls"),
    [
        (10, 0, 0, True, 1),  # "callLimit = 0 (all fail)": called once
        (10, 10, 10, False, 10),  # "callLimit = count (all succeed)": 1 + 2 + 4 + 3
        (10, 5, 5, True, 7),  # "callLimit < count (some succeed)": 1 + 2 + 4
    ],
)
def test_slow_start_batch(count, call_limit, successes, failed, calls):
    """TestSlowStartBatch (replica_set_test.go)."""
    made = []
    fake = errors.internal_error("fake error")

    def fn() -> None:
        made.append(1)
        if len(made) > call_limit:
            raise fake

    seen: list[tuple[int, int, int]] = []
    got, err = slow_start_batch(count, 1, fn, lambda *batch: seen.append(batch))
    assert got == successes
    assert sum(size for _, size, _ in seen) == calls and sum(ok for _, _, ok in seen) == successes
    assert [size for _, size, _ in seen] == [1, 2, 4, 3][: len(seen)]
    assert (err is fake) if failed else err is None
    assert len(made) == calls


def test_slow_start_batch_other_exceptions_propagate():
    with pytest.raises(ZeroDivisionError):
        slow_start_batch(3, 1, lambda: 1 / 0)
    assert slow_start_batch(0, 1, lambda: None) == (0, None)


# --- owner references, pod control, ref manager -------------------------------------------------------------------


@pytest.fixture
def world():
    sim = Simulation(0)
    api = APIServer(sim)
    return sim, api


def replica_set(name: str = "foobar", labels: dict[str, str] | None = None, replicas: int = 1) -> dict[str, Any]:
    labels = labels or {"type": "production"}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": {**labels, "name": "foo"}},
                "spec": {"containers": [{"name": "c", "image": "foo/bar"}]},
            },
        },
    }


def api_pod(name: str, labels: dict[str, str], owner: dict[str, Any] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": "default", "labels": labels}
    if owner is not None:
        meta["ownerReferences"] = [new_controller_ref(owner, "apps/v1", "ReplicaSet")]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"containers": [{"name": "c", "image": "x"}]}}


def test_get_controller_of_and_new_controller_ref():
    owner = {"metadata": {"name": "rs", "uid": "u-1"}}
    ref = new_controller_ref(owner, "apps/v1", "ReplicaSet")
    assert ref == {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "name": "rs",
        "uid": "u-1",
        "controller": True,
        "blockOwnerDeletion": True,
    }
    pod = {"metadata": {"ownerReferences": [{"uid": "x", "controller": False}, ref]}}
    assert get_controller_of(pod) is ref
    assert get_controller_of({"metadata": {"ownerReferences": [{"uid": "x"}]}}) is None
    assert get_controller_of({"metadata": {}}) is None
    assert pod_key({"metadata": {"name": "p", "namespace": "ns"}}) == "ns/p"


def test_create_pods_with_generate_name(world):
    """TestCreatePodsWithGenerateName: the Pod sent carries the template's labels and spec, generateName
    "<controller>-" and the controller reference."""
    sim, api = world
    rs = api.create(replica_set())
    ref = new_controller_ref(rs, "apps/v1", "ReplicaSet")
    want = pod_from_template(rs["spec"]["template"], rs, ref)
    assert want["metadata"] == {
        "labels": {"type": "production", "name": "foo"},
        "generateName": "foobar-",
        "ownerReferences": [ref],
    }
    assert want["spec"] == rs["spec"]["template"]["spec"] and want["spec"] is not rs["spec"]["template"]["spec"]
    control = PodControl(api, EventRecorder(sim, api, "replicaset-controller", user=USER), user=USER)
    created = control.create_pods("default", rs["spec"]["template"], rs, ref)
    assert created["metadata"]["name"].startswith("foobar-") and len(created["metadata"]["name"]) == 12
    assert get_controller_of(created)["uid"] == rs["metadata"]["uid"]
    events, _ = api.list("events", "default")
    assert [(e["reason"], e["message"]) for e in events] == [
        ("SuccessfulCreate", f"Created pod: {created['metadata']['name']}")
    ]


def test_create_pods_without_labels_is_refused(world):
    sim, api = world
    rs = api.create(replica_set())
    control = PodControl(api, EventRecorder(sim, api, "replicaset-controller", user=USER), user=USER)
    with pytest.raises(ReconcileError, match="unable to create pods, no labels"):
        control.create_pods("default", {"spec": {"containers": [{"name": "c", "image": "x"}]}}, rs, None)


def test_create_pod_failure_records_failed_create(world):
    sim, api = world
    rs = api.create(replica_set())
    template = {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "BAD NAME", "image": "x"}]}}
    control = PodControl(api, EventRecorder(sim, api, "replicaset-controller", user=USER), user=USER)
    with pytest.raises(errors.StatusError) as err:
        control.create_pods("default", template, rs, None)
    events, _ = api.list("events", "default")
    assert [e["reason"] for e in events] == ["FailedCreate"]
    assert events[0]["message"] == f"Error creating: {err.value}"
    assert events[0]["type"] == "Warning"


def test_delete_pods_allows_missing(world):
    """TestDeletePodsAllowsMissing: deleting a missing Pod returns NotFound (and records nothing)."""
    sim, api = world
    rs = api.create(replica_set())
    control = PodControl(api, EventRecorder(sim, api, "replicaset-controller", user=USER), user=USER)
    with pytest.raises(errors.StatusError) as err:
        control.delete_pod("default", "podName", rs)
    assert errors.is_not_found(err.value)
    assert api.list("events", "default")[0] == []
    api.create(api_pod("there", {"a": "b"}))
    control.delete_pod("default", "there", rs)
    assert [e["message"] for e in api.list("events", "default")[0]] == ["Deleted pod: there"]


PRODUCTION = {"type": "production"}
TEST = {"type": "test"}


def _manager(api, rs, can_adopt=None):
    return PodControllerRefManager(
        api, rs, label_selector_as_selector(rs["spec"]["selector"]), ("apps/v1", "ReplicaSet"), can_adopt, user=USER
    )


def _names(pods):
    return [p["metadata"]["name"] for p in pods]


def test_claim_pods_with_correct_label(world):
    """TestClaimPods: "Claim pods with correct label" (the orphan is adopted through a patch)."""
    _, api = world
    rs = api.create(replica_set())
    pods = [api.create(api_pod("pod1", PRODUCTION)), api.create(api_pod("pod2", TEST))]
    claimed, err = _manager(api, rs).claim_pods(pods)
    assert err is None and _names(claimed) == ["pod1"]
    adopted = api.get("pods", "pod1", "default")
    assert get_controller_of(adopted) == new_controller_ref(rs, "apps/v1", "ReplicaSet")
    assert get_controller_of(api.get("pods", "pod2", "default")) is None


def test_claim_pods_controller_marked_for_deletion(world):
    """TestClaimPods: "Controller marked for deletion can not claim pods" / "... can not claim new pods"."""
    _, api = world
    rs = api.create(replica_set())
    deleting = {**rs, "metadata": {**rs["metadata"], "deletionTimestamp": "2026-01-01T00:00:00Z"}}
    owned = api.create(api_pod("pod1", PRODUCTION, rs))
    orphan = api.create(api_pod("pod2", PRODUCTION))
    claimed, err = _manager(api, deleting).claim_pods([owned, orphan])
    assert err is None and _names(claimed) == ["pod1"]
    claimed, err = _manager(api, deleting).claim_pods([orphan])
    assert err is None and claimed == []
    assert get_controller_of(api.get("pods", "pod2", "default")) is None


def test_claim_pods_owned_by_another_controller(world):
    """TestClaimPods: "Controller can not claim pods owned by another controller"."""
    _, api = world
    rs = api.create(replica_set())
    other = api.create(replica_set("other"))
    pods = [api.create(api_pod("pod1", PRODUCTION, rs)), api.create(api_pod("pod2", PRODUCTION, other))]
    claimed, err = _manager(api, rs).claim_pods(pods)
    assert err is None and _names(claimed) == ["pod1"]
    assert get_controller_of(api.get("pods", "pod2", "default"))["name"] == "other"


def test_claim_pods_releases_when_selector_does_not_match(world):
    """TestClaimPods: "Controller releases claimed pods when selector doesn't match"."""
    _, api = world
    rs = api.create(replica_set())
    pods = [api.create(api_pod("pod1", PRODUCTION, rs)), api.create(api_pod("pod2", TEST, rs))]
    claimed, err = _manager(api, rs).claim_pods(pods)
    assert err is None and _names(claimed) == ["pod1"]
    released = api.get("pods", "pod2", "default")
    assert "ownerReferences" not in released["metadata"]


def test_claim_pods_ignores_orphans_marked_for_deletion(world):
    """TestClaimPods: "Controller does not claim orphaned pods marked for deletion"."""
    _, api = world
    rs = api.create(replica_set())
    owned = api.create(api_pod("pod1", PRODUCTION, rs))
    orphan = api.create(api_pod("pod2", PRODUCTION))
    for p in (owned, orphan):
        p["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    claimed, err = _manager(api, rs).claim_pods([owned, orphan])
    assert err is None and _names(claimed) == ["pod1"]


def test_claim_pods_filters_and_namespaces(world):
    _, api = world
    rs = api.create(replica_set())
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "elsewhere"}})
    a = api.create(api_pod("a", PRODUCTION))
    b = api.create(api_pod("b", PRODUCTION))
    far = {
        **api_pod("far", PRODUCTION),
        "metadata": {**api_pod("far", PRODUCTION)["metadata"], "namespace": "elsewhere"},
    }
    far = api.create(far)
    claimed, err = _manager(api, rs).claim_pods([a, b, far], filters=[lambda p: p["metadata"]["name"] != "b"])
    assert err is None and _names(claimed) == ["a"]


def test_adoption_rechecks_the_owner_uncached(world):
    """RecheckDeletionTimestamp: adoption is refused once the owner is being deleted or was recreated, and the
    check runs once per manager (CanAdopt's sync.Once)."""
    _, api = world
    rs = api.create(replica_set())
    orphans = [api.create(api_pod(f"o{i}", PRODUCTION)) for i in range(2)]
    calls = []
    getter = fresh_owner_getter(api, "replicasets", "ReplicaSet", rs, USER)

    def get():
        calls.append(1)
        return getter()

    # the owner was deleted and recreated under the same name: another uid
    api.delete("replicasets", "foobar", "default")
    api.create(replica_set())
    claimed, err = _manager(api, rs, recheck_deletion_timestamp(get)).claim_pods(orphans)
    assert claimed == [] and isinstance(err, ReconcileError)
    assert len(calls) == 1
    assert str(err).startswith(f"[can't adopt Pod default/o0 ({orphans[0]['metadata']['uid']}): can't recheck")
    assert "original ReplicaSet default/foobar is gone: got uid" in str(err)
    # an owner being deleted
    fresh = api.get("replicasets", "foobar", "default")
    marked = {**fresh, "metadata": {**fresh["metadata"], "deletionTimestamp": "2026-01-01T00:00:00Z"}}
    check = recheck_deletion_timestamp(lambda: marked)
    with pytest.raises(ReconcileError, match="default/foobar has just been deleted at 2026-01-01T00:00:00Z"):
        check()


def test_adoption_refused_when_another_controller_claims_it_meanwhile(world):
    """The cache said orphan, but the stored Pod has another controller: the API server refuses the second
    controller reference (ValidateOwnerReferences) and the claim reports the error."""
    _, api = world
    rs = api.create(replica_set())
    other = api.create(replica_set("other"))
    stale = api.create(api_pod("p", PRODUCTION))
    live = api.get("pods", "p", "default")
    api.update(
        {
            **live,
            "metadata": {**live["metadata"], "ownerReferences": [new_controller_ref(other, "apps/v1", "ReplicaSet")]},
        }
    )
    claimed, err = _manager(api, rs).claim_pods([stale])
    assert claimed == [] and err is not None
    assert "Only one reference can have Controller set to true" in str(err)


def test_release_of_a_recreated_pod_is_ignored(world):
    """ReleasePod: 422 (the uid in the patch is not the stored one: deleted and recreated) is ignored."""
    _, api = world
    rs = api.create(replica_set())
    old = api.create(api_pod("p", TEST, rs))
    api.delete("pods", "p", "default")
    api.create(api_pod("p", TEST, rs))
    claimed, err = _manager(api, rs).claim_pods([old])
    assert claimed == [] and err is None
    assert get_controller_of(api.get("pods", "p", "default"))["uid"] == rs["metadata"]["uid"]


def test_claim_replica_sets(world):
    """ReplicaSetControllerRefManager.ClaimReplicaSets, as the Deployment controller uses it."""
    _, api = world
    owner = {"metadata": {"name": "web", "namespace": "default", "uid": "dep-uid"}}
    a, b = replica_set("web-1", {"app": "web"}), replica_set("db-1", {"app": "db"})
    a["metadata"]["labels"], b["metadata"]["labels"] = {"app": "web"}, {"app": "db"}  # a ReplicaSet's own labels
    a, b = api.create(a), api.create(b)
    manager = ReplicaSetControllerRefManager(
        api, owner, selector_from_set({"app": "web"}), ("apps/v1", "Deployment"), user=USER
    )
    claimed, err = manager.claim_replica_sets([a, b])
    assert err is None and _names(claimed) == ["web-1"]
    ref = get_controller_of(api.get("replicasets", "web-1", "default"))
    assert ref["kind"] == "Deployment" and ref["uid"] == "dep-uid"


# --- the hash --------------------------------------------------------------------------------------------------


def test_compute_hash():
    """TestComputeHash: different collision counts give different hashes (nil vs MaxInt32 too)."""
    template: dict[str, Any] = {}
    assert compute_hash(template, 1) != compute_hash(template, 2)
    assert compute_hash(template, None) != compute_hash(template, 2**31 - 1)
    assert compute_hash(template, None) != compute_hash(template, 0)
    t1 = replica_set()["spec"]["template"]
    t2 = replica_set()["spec"]["template"]
    assert compute_hash(t1) == compute_hash(t2)
    t2["spec"]["containers"][0]["image"] = "foo/bar:2"
    assert compute_hash(t1) != compute_hash(t2)
    h = compute_hash(t1, 3)
    assert set(h) <= set("bcdfghjklmnpqrstvwxz2456789") and 1 <= len(h) <= 10


def test_safe_encode_string():
    """rand.SafeEncodeString: each character indexes the vowel-free alphabet by its code point."""
    assert safe_encode_string("0123456789") == "456789bcdf"
    assert safe_encode_string("") == ""


def test_compute_hash_treats_a_null_field_as_absent():
    """Upstream hashes the decoded Pod template: `creationTimestamp: null` (which `kubectl create ... -o yaml`
    writes) decodes to the same struct as no creationTimestamp, so the pod-template-hash is the same."""
    from k8smodel.controllers.controller_utils import compute_hash

    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
    with_null = {
        "metadata": {"labels": {"app": "web"}, "creationTimestamp": None},
        "spec": {"containers": [{"name": "web", "image": "nginx", "resources": {}}], "nodeName": None},
    }
    with_null["spec"]["containers"][0].pop("resources")
    assert compute_hash(with_null) == compute_hash(template)
    assert compute_hash(with_null, 1) == compute_hash(template, 1)
    assert compute_hash({**template, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}) != compute_hash(
        template
    )
