"""The Deployment controller's steps on a fake client, with cases from upstream's unit tests:
pkg/controller/deployment/sync_test.go (TestScale, TestDeploymentController_cleanupDeployment), rolling_test.go
(reconcileNewReplicaSet, reconcileOldReplicaSets, cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate),
progress_test.go (TestRequeueStuckDeployment, TestSyncRolloutStatus) and recreate_test.go (oldPodsRunning).

As upstream's tests use ``fake.Clientset`` and inspect its recorded actions, these use :class:`FakeAPI`, which records
every write and returns what it was given."""

import copy
from datetime import UTC, datetime

import pytest

from k8smodel.client import Informer
from k8smodel.controllers import deployment_util as du
from k8smodel.controllers.deployment import DeploymentController, old_pods_running, plan_scale
from k8smodel.sim import Simulation

NEW = "2016-05-20T02:00:00Z"
OLD = "2016-05-20T01:00:00Z"
OLDER = "2016-05-20T00:00:00Z"
NO_TIMESTAMP = ""


class _LW:
    def list(self):
        return [], "1"

    def watch(self, rv, callback):
        class H:
            def stop(self):
                pass

        return H()


class FakeAPI:
    """``fake.Clientset``: records actions; writes succeed and return a copy of what was sent."""

    def __init__(self, fail_updates_of=()):
        self.actions: list[tuple[str, str, dict]] = []
        self.fail_updates_of = set(fail_updates_of)
        self._rv = 100

    def lister_watcher(self, *args, **kwargs):
        return _LW()

    def _stamp(self, obj):
        self._rv += 1
        out = copy.deepcopy(obj)
        out.setdefault("metadata", {})["resourceVersion"] = str(self._rv)
        return out

    def update(self, obj, *, user=None, **kw):
        from k8smodel.api.errors import conflict

        if obj["metadata"]["name"] in self.fail_updates_of:
            raise conflict("replicasets.apps", obj["metadata"]["name"])
        self.actions.append(("update", obj["kind"], copy.deepcopy(obj)))
        return self._stamp(obj)

    def update_status(self, obj, *, user=None, **kw):
        self.actions.append(("update_status", obj["kind"], copy.deepcopy(obj)))
        return self._stamp(obj)

    def create(self, obj, *, namespace=None, user=None, **kw):
        self.actions.append(("create", obj["kind"], copy.deepcopy(obj)))
        return self._stamp(obj)

    def patch(self, resource, name, namespace, body, *, user=None, **kw):
        self.actions.append(("patch", resource, body))
        return body

    def delete(self, resource, name, namespace=None, *args, user=None, **kw):
        self.actions.append(("delete", resource, {"name": name}))
        return {}

    def writes(self, kind):
        return [obj for verb, k, obj in self.actions if verb in ("update", "create") and k == kind]

    def events(self):
        return [obj for verb, k, obj in self.actions if verb == "create" and k == "Event"]


def make_controller(api=None, start=None):
    sim = Simulation(0) if start is None else Simulation(0, start=start)
    api = api or FakeAPI()
    lw = _LW()
    dc = DeploymentController(
        sim,
        api,
        deployment_informer=Informer(sim, lw, name="d"),
        replicaset_informer=Informer(sim, lw, name="rs"),
        pod_informer=Informer(sim, lw, name="pods"),
    )
    return dc, api


def new_deployment(name, replicas, history_limit=None, max_surge=None, max_unavailable=None, selector=None):
    """deployment_controller_test.go newDeployment: RollingUpdate with maxSurge and maxUnavailable 0 unless given."""
    d = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"uid": f"uid-{name}", "name": name, "namespace": "default", "annotations": {}, "generation": 1},
        "spec": {
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {
                    "maxUnavailable": 0 if max_unavailable is None else max_unavailable,
                    "maxSurge": 0 if max_surge is None else max_surge,
                },
            },
            "replicas": replicas,
            "selector": {"matchLabels": dict(selector or {})},
            "template": {
                "metadata": {"labels": dict(selector or {})},
                "spec": {"containers": [{"image": "foo/bar"}]},
            },
        },
        "status": {},
    }
    if history_limit is not None:
        d["spec"]["revisionHistoryLimit"] = history_limit
    return d


def rs(name, replicas, selector=None, timestamp=NO_TIMESTAMP):
    """deployment_controller_test.go rs()."""
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}", "creationTimestamp": timestamp},
        "spec": {"replicas": replicas, "selector": {"matchLabels": dict(selector or {})}, "template": {}},
    }


def rs_with_status(name, spec_replicas, status_replicas, available=0):
    r = rs(name, spec_replicas)
    r["status"] = {"replicas": status_replicas, "availableReplicas": available}
    return r


# --- TestScale (sync_test.go) ---------------------------------------------------------------------------------------


def _updated_template(replicas):
    d = new_deployment("foo", replicas, selector={"foo": "bar"})
    d["spec"]["template"]["metadata"]["labels"]["another"] = "label"
    return d


def _broken_new_rs():
    r = rs("foo-v2", 2, timestamp=NEW)
    r["status"] = {"availableReplicas": 0}
    return r


SCALE_CASES = [
    # name, deployment, old deployment, new rs, old rss, expected new, expected olds, desired annotations override
    ("normal scaling event: 10 -> 12", new_deployment("foo", 12), new_deployment("foo", 10),
     rs("foo-v1", 10, timestamp=NEW), [], 12, [], {}),
    ("normal scaling event: 10 -> 5", new_deployment("foo", 5), new_deployment("foo", 10),
     rs("foo-v1", 10, timestamp=NEW), [], 5, [], {}),
    ("proportional scaling: 5 -> 10", new_deployment("foo", 10), new_deployment("foo", 5),
     rs("foo-v2", 2, timestamp=NEW), [rs("foo-v1", 3, timestamp=OLD)], 4, [6], {}),
    ("proportional scaling: 5 -> 3", new_deployment("foo", 3), new_deployment("foo", 5),
     rs("foo-v2", 2, timestamp=NEW), [rs("foo-v1", 3, timestamp=OLD)], 1, [2], {}),
    ("proportional scaling: 9 -> 4", new_deployment("foo", 4), new_deployment("foo", 9),
     rs("foo-v2", 8, timestamp=NEW), [rs("foo-v1", 1, timestamp=OLD)], 4, [0], {}),
    ("proportional scaling: 7 -> 10", new_deployment("foo", 10), new_deployment("foo", 7),
     rs("foo-v3", 2, timestamp=NEW), [rs("foo-v2", 3, timestamp=OLD), rs("foo-v1", 2, timestamp=OLDER)], 3, [4, 3],
     {}),
    ("proportional scaling: 13 -> 8", new_deployment("foo", 8), new_deployment("foo", 13),
     rs("foo-v3", 2, timestamp=NEW), [rs("foo-v2", 8, timestamp=OLD), rs("foo-v1", 3, timestamp=OLDER)], 1, [5, 2],
     {}),
    # Scales up the new replica set.
    ("leftover distribution: 3 -> 4", new_deployment("foo", 4), new_deployment("foo", 3),
     rs("foo-v3", 1, timestamp=NEW), [rs("foo-v2", 1, timestamp=OLD), rs("foo-v1", 1, timestamp=OLDER)], 2, [1, 1],
     {}),
    # Scales down the older replica set.
    ("leftover distribution: 3 -> 2", new_deployment("foo", 2), new_deployment("foo", 3),
     rs("foo-v3", 1, timestamp=NEW), [rs("foo-v2", 1, timestamp=OLD), rs("foo-v1", 1, timestamp=OLDER)], 1, [1, 0],
     {}),
    # Scales up the latest replica set first.
    ("proportional scaling (no new rs): 4 -> 5", new_deployment("foo", 5), new_deployment("foo", 4),
     None, [rs("foo-v2", 2, timestamp=OLD), rs("foo-v1", 2, timestamp=OLDER)], None, [3, 2], {}),
    # Scales down to zero
    ("proportional scaling: 6 -> 0", new_deployment("foo", 0), new_deployment("foo", 6),
     rs("foo-v3", 3, timestamp=NEW), [rs("foo-v2", 2, timestamp=OLD), rs("foo-v1", 1, timestamp=OLDER)], 0, [0, 0],
     {}),
    # Scales up from zero
    ("proportional scaling: 0 -> 6", new_deployment("foo", 6), new_deployment("foo", 6),
     rs("foo-v3", 0, timestamp=NEW), [rs("foo-v2", 0, timestamp=OLD), rs("foo-v1", 0, timestamp=OLDER)], 6, [0, 0],
     {}),
    # Scenario: deployment.spec.replicas == 3 ( foo-v1.spec.replicas == foo-v2.spec.replicas == foo-v3.spec.replicas
    # == 1 ). Deployment is scaled to 5. foo-v3.spec.replicas and foo-v2.spec.replicas should increment by 1 but
    # foo-v2 fails to update.
    ("failed rs update", new_deployment("foo", 5), new_deployment("foo", 5),
     rs("foo-v3", 2, timestamp=NEW), [rs("foo-v2", 1, timestamp=OLD), rs("foo-v1", 1, timestamp=OLDER)], 2, [2, 1],
     {"foo-v2": 3}),
    ("deployment with surge pods", new_deployment("foo", 20, max_surge=2), new_deployment("foo", 10, max_surge=2),
     rs("foo-v2", 6, timestamp=NEW), [rs("foo-v1", 6, timestamp=OLD)], 11, [11], {}),
    ("change both surge and size", new_deployment("foo", 50, max_surge=6), new_deployment("foo", 10, max_surge=3),
     rs("foo-v2", 5, timestamp=NEW), [rs("foo-v1", 8, timestamp=OLD)], 22, [34], {}),
    ("change both size and template", _updated_template(14),
     new_deployment("foo", 10, selector={"foo": "bar"}),
     None, [rs("foo-v2", 7, timestamp=NEW), rs("foo-v1", 3, timestamp=OLD)], None, [10, 4], {}),
    ("saturated but broken new replica set does not affect old pods",
     new_deployment("foo", 2, max_surge=1, max_unavailable=1),
     new_deployment("foo", 2, max_surge=1, max_unavailable=1),
     _broken_new_rs(), [rs("foo-v1", 1, timestamp=OLD)], 2, [1], {}),
]  # fmt: skip


def _annotate(test_rs, old_deployment, overrides):
    desired = overrides.get(test_rs["metadata"]["name"], du.spec_replicas(old_deployment))
    du.set_replicas_annotations(test_rs, desired, desired + du.max_surge_of(old_deployment))


@pytest.mark.parametrize(
    ("deployment", "old_deployment", "new_rs", "old_rss", "expected_new", "expected_old", "overrides"),
    [case[1:] for case in SCALE_CASES],
    ids=[case[0] for case in SCALE_CASES],
)
def test_scale(deployment, old_deployment, new_rs, old_rss, expected_new, expected_old, overrides):
    for r in [new_rs, *old_rss]:
        if r is not None:
            _annotate(r, old_deployment, overrides)
    sizes = {r["metadata"]["name"]: du.spec_replicas(r) for r in [new_rs, *old_rss] if r is not None}
    planned = {r["metadata"]["name"]: size for r, size in plan_scale(deployment, new_rs, old_rss)}
    dc, api = make_controller()
    dc.scale(deployment, new_rs, old_rss)
    written = {r["metadata"]["name"]: r["spec"]["replicas"] for r in api.writes("ReplicaSet")}
    if new_rs is not None:
        name = new_rs["metadata"]["name"]
        assert {**sizes, **planned}[name] == expected_new
        assert {**sizes, **written}[name] == expected_new
    for r, expected in zip(old_rss, expected_old, strict=True):
        name = r["metadata"]["name"]
        assert {**sizes, **planned}[name] == expected, name
        assert {**sizes, **written}[name] == expected, name


def test_scale_writes_only_what_changed_and_records_events():
    """The "failed rs update" scenario seen from the client: only foo-v2 needs a write (its size and desired-replicas
    annotation); foo-v3 and foo-v1 already say 5 and keep their size (wasntUpdated in upstream's table)."""
    d, old = new_deployment("foo", 5), new_deployment("foo", 5)
    v3, v2, v1 = rs("foo-v3", 2, timestamp=NEW), rs("foo-v2", 1, timestamp=OLD), rs("foo-v1", 1, timestamp=OLDER)
    for r in (v3, v2, v1):
        _annotate(r, old, {"foo-v2": 3})
    dc, api = make_controller()
    dc.scale(d, v3, [v2, v1])
    assert [r["metadata"]["name"] for r in api.writes("ReplicaSet")] == ["foo-v2"]
    assert api.writes("ReplicaSet")[0]["metadata"]["annotations"][du.DESIRED_REPLICAS_ANNOTATION] == "5"
    assert [e["message"] for e in api.events()] == ["Scaled up replica set foo-v2 from 1 to 2"]
    assert api.events()[0]["reason"] == "ScalingReplicaSet"
    assert api.events()[0]["involvedObject"]["name"] == "foo"


def test_scale_stops_at_the_first_failed_write():
    d, old = new_deployment("foo", 10), new_deployment("foo", 5)
    new_rs, old_rs = rs("foo-v2", 2, timestamp=NEW), rs("foo-v1", 3, timestamp=OLD)
    for r in (new_rs, old_rs):
        _annotate(r, old, {})
    dc, api = make_controller(FakeAPI(fail_updates_of={"foo-v1"}))
    from k8smodel.api.errors import StatusError

    with pytest.raises(StatusError):
        dc.scale(d, new_rs, [old_rs])
    assert api.writes("ReplicaSet") == []  # foo-v1 (the larger) comes first and fails: the sync is retried


# --- TestDeploymentController_cleanupDeployment (sync_test.go) --------------------------------------------------------


def _already_deleted():
    r = rs_with_status("foo-1", 0, 0)
    r["metadata"]["deletionTimestamp"] = "2016-05-20T03:00:00Z"
    return r


@pytest.mark.parametrize(
    ("old_rss", "limit", "expected_deletions"),
    [
        ([rs_with_status("foo-1", 0, 0), rs_with_status("foo-2", 0, 0), rs_with_status("foo-3", 0, 0)], 1, 2),
        # Only delete the replica set with Spec.Replicas = Status.Replicas = 0.
        (
            [
                rs_with_status("foo-1", 0, 0),
                rs_with_status("foo-2", 0, 1),
                rs_with_status("foo-3", 1, 0),
                rs_with_status("foo-4", 1, 1),
            ],
            0,
            1,
        ),
        ([rs_with_status("foo-1", 0, 0), rs_with_status("foo-2", 0, 0)], 0, 2),
        ([rs_with_status("foo-1", 1, 1), rs_with_status("foo-2", 1, 1)], 0, 0),
        ([_already_deleted()], 0, 0),
        # with unlimited revisionHistoryLimit
        (
            [rs_with_status("foo-1", 0, 0), rs_with_status("foo-2", 0, 0), rs_with_status("foo-3", 0, 0)],
            du.MAX_INT32,
            0,
        ),
    ],
)
def test_cleanup_deployment(old_rss, limit, expected_deletions):
    dc, api = make_controller()
    d = new_deployment("foo", 1, history_limit=limit, selector={"foo": "bar"})
    dc.cleanup_deployment(old_rss, d)
    assert len([a for a in api.actions if a[0] == "delete"]) == expected_deletions


def test_cleanup_deployment_deletes_the_lowest_revisions_first():
    dc, api = make_controller()
    old_rss = []
    for i, revision in enumerate(("3", "1", "2")):
        r = rs_with_status(f"foo-{i}", 0, 0)
        r["metadata"]["annotations"] = {du.REVISION_ANNOTATION: revision}
        old_rss.append(r)
    dc.cleanup_deployment(old_rss, new_deployment("foo", 1, history_limit=1))
    assert [a[2]["name"] for a in api.actions if a[0] == "delete"] == ["foo-1", "foo-2"]


def test_cleanup_deployment_keeps_a_replica_set_whose_status_is_stale():
    """rs.Generation > rs.Status.ObservedGeneration: the ReplicaSet controller has not caught up yet."""
    r = rs_with_status("foo-1", 0, 0)
    r["metadata"]["generation"] = 2
    r["status"]["observedGeneration"] = 1
    dc, api = make_controller()
    dc.cleanup_deployment([r], new_deployment("foo", 1, history_limit=0))
    assert api.actions == []


# --- rolling_test.go ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deployment_replicas", "max_surge", "old_replicas", "new_replicas", "scale_expected", "expected_new"),
    [
        (10, 0, 10, 0, False, None),  # Should not scale up.
        (10, 2, 10, 0, True, 2),
        (10, 2, 5, 0, True, 7),
        (10, 2, 10, 2, False, None),
        (10, 2, 2, 11, True, 10),  # Should scale down.
    ],
)
def test_reconcile_new_replica_set(
    deployment_replicas, max_surge, old_replicas, new_replicas, scale_expected, expected_new
):
    new_rs = rs("foo-v2", new_replicas)
    old_rs = rs("foo-v2", old_replicas)
    d = new_deployment("foo", deployment_replicas, max_surge=max_surge)
    dc, api = make_controller()
    scaled = dc.reconcile_new_replica_set([new_rs, old_rs], new_rs, d)
    if not scale_expected:
        assert not scaled
        assert api.actions == []
        return
    assert scaled
    updates = api.writes("ReplicaSet")
    assert len(updates) == 1
    assert updates[0]["spec"]["replicas"] == expected_new


@pytest.mark.parametrize(
    ("replicas", "max_unavailable", "old_replicas", "new_replicas", "ready_old", "ready_new", "expected"),
    [
        (10, 0, 10, 0, 10, 0, 9),
        (10, 2, 10, 0, 10, 0, 8),
        (10, 2, 10, 0, 8, 0, 8),  # expect unhealthy replicas from old replica sets been cleaned up
        (10, 2, 10, 0, 9, 0, 8),  # 1 unhealthy replica cleaned up, and 1 ready pod scaled down
        (10, 2, 8, 2, 8, 0, None),  # the unavailable pods from the newRS would not make us scale down old RSs further
    ],
)
def test_reconcile_old_replica_sets(
    replicas, max_unavailable, old_replicas, new_replicas, ready_old, ready_new, expected
):
    new_rs = rs("foo-new", new_replicas, {"foo": "new"})
    new_rs["status"] = {"availableReplicas": ready_new}
    old_rs = rs("foo-old", old_replicas, {"foo": "old"})
    old_rs["status"] = {"availableReplicas": ready_old}
    d = new_deployment("foo", replicas, max_surge=0, max_unavailable=max_unavailable, selector={"foo": "new"})
    dc, api = make_controller()
    scaled = dc.reconcile_old_replica_sets([old_rs, new_rs], [old_rs], new_rs, d)
    if expected is None:
        assert not scaled
        assert api.actions == []
        return
    assert scaled
    assert api.writes("ReplicaSet")[-1]["spec"]["replicas"] == expected


@pytest.mark.parametrize(
    ("old_replicas", "ready", "max_cleanup", "expected"),
    [(10, 8, 1, 1), (10, 8, 3, 2), (10, 8, 0, 0), (10, 10, 3, 0)],
)
def test_cleanup_unhealthy_replicas(old_replicas, ready, max_cleanup, expected):
    old_rs = rs("foo-v2", old_replicas)
    old_rs["status"] = {"availableReplicas": ready}
    d = new_deployment("foo", 10, max_surge=2, max_unavailable=2)
    dc, _api = make_controller()
    _, count = dc.cleanup_unhealthy_replicas([old_rs], d, max_cleanup)
    assert count == expected


@pytest.mark.parametrize(
    ("replicas", "max_unavailable", "ready", "old_replicas", "expected"),
    [
        (10, 0, 10, 10, 9),
        (10, 2, 10, 10, 8),
        (10, 2, 8, 10, None),
        (10, 2, 10, 0, None),
        (10, 2, 1, 10, None),
    ],
)
def test_scale_down_old_replica_sets_for_rolling_update(replicas, max_unavailable, ready, old_replicas, expected):
    old_rs = rs("foo-v2", old_replicas)
    old_rs["status"] = {"availableReplicas": ready}
    d = new_deployment("foo", replicas, max_surge=0, max_unavailable=max_unavailable, selector={"foo": "bar"})
    dc, api = make_controller()
    scaled = dc.scale_down_old_replica_sets_for_rolling_update([old_rs], [old_rs], d)
    if expected is None:
        assert scaled == 0
        return
    assert scaled > 0
    updates = api.writes("ReplicaSet")
    assert len(updates) == 1
    assert updates[0]["spec"]["replicas"] == expected


# --- progress_test.go ----------------------------------------------------------------------------------------------


def current_deployment(pds, replicas, status_replicas, updated, available, conditions):
    d = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "progress-test", "namespace": "default", "uid": "uid-progress"},
        "spec": {"replicas": replicas, "strategy": {"type": "Recreate"}},
        "status": {"replicas": status_replicas, "updatedReplicas": updated, "availableReplicas": available},
    }
    if pds is not None:
        d["spec"]["progressDeadlineSeconds"] = pds
    if conditions:
        d["status"]["conditions"] = [dict(c) for c in conditions]
    return d


FAILED = {"type": "Progressing", "status": "False", "reason": du.TIMED_OUT_REASON}
STUCK = {"type": "Progressing", "status": "True", "lastUpdateTime": "2017-02-15T18:49:00Z"}


def _at(second, micros=0, minute=49):
    return datetime(2017, 2, 15, 18, minute, second, micros, tzinfo=UTC)


@pytest.mark.parametrize(
    ("d", "status", "now", "expected"),
    [
        # no progressDeadlineSeconds specified
        (current_deployment(None, 4, 3, 3, 2, None), (3, 3, 2), _at(0), -1),
        # no progressing condition found
        (current_deployment(60, 4, 3, 3, 2, None), (3, 3, 2), _at(0), -1),
        # complete deployment does not need to be requeued
        (current_deployment(60, 3, 3, 3, 3, None), (3, 3, 3), _at(0), -1),
        # already failed deployment does not need to be requeued
        (current_deployment(60, 3, 3, 3, 0, [FAILED]), (3, 3, 0), _at(0), -1),
        # stuck deployment - 30s
        (current_deployment(60, 3, 3, 3, 1, [STUCK]), (3, 3, 1), _at(30), 30),
        # stuck deployment - 1s
        (current_deployment(60, 3, 3, 3, 1, [STUCK]), (3, 3, 1), _at(59), 1),
        # failed deployment - less than a second => now
        (current_deployment(60, 3, 3, 3, 1, [STUCK]), (3, 3, 1), _at(59, 1), 0),
        # failed deployment - now
        (current_deployment(60, 3, 3, 3, 1, [STUCK]), (3, 3, 1), _at(0, minute=50), 0),
        # failed deployment - 1s after deadline
        (current_deployment(60, 3, 3, 3, 1, [STUCK]), (3, 3, 1), _at(1, minute=50), 0),
        # failed deployment - 60s after deadline
        (current_deployment(60, 3, 3, 3, 1, [STUCK]), (3, 3, 1), _at(0, minute=51), 0),
    ],
)
def test_requeue_stuck_deployment(d, status, now, expected):
    dc, _ = make_controller(start=now)
    new_status = {"replicas": status[0], "updatedReplicas": status[1], "availableReplicas": status[2]}
    assert dc.requeue_stuck_deployment(d, new_status) == pytest.approx(expected)
    if expected > 0:  # requeued for the deadline, plus a second against clock skew
        assert dc.queue.waiting == {"default/progress-test": pytest.approx(expected + 1)}


def rs_with_available(name, spec_replicas, status_replicas, available):
    return rs_with_status(name, spec_replicas, status_replicas, available)


TEST_TIME = "2017-02-15T18:49:00Z"
NEW_RS_AVAILABLE = {
    "type": "Progressing",
    "status": "True",
    "reason": du.NEW_RS_AVAILABLE_REASON,
    "lastUpdateTime": TEST_TIME,
    "lastTransitionTime": TEST_TIME,
}
RS_UPDATED = {
    "type": "Progressing",
    "status": "True",
    "reason": du.REPLICA_SET_UPDATED_REASON,
    "lastUpdateTime": TEST_TIME,
    "lastTransitionTime": TEST_TIME,
}

SYNC_ROLLOUT_STATUS_CASES = [
    ("General: remove Progressing condition and do not estimate progress if deployment has no Progress Deadline",
     current_deployment(None, 3, 2, 2, 2, [RS_UPDATED]), [rs_with_available("bar", 0, 1, 1)],
     rs_with_available("foo", 3, 2, 2), None, None, None, None),
    ("General: do not estimate progress of deployment with only one active ReplicaSet",
     current_deployment(60, 3, 3, 3, 3, [NEW_RS_AVAILABLE]), [rs_with_available("bar", 3, 3, 3)], None,
     "True", du.NEW_RS_AVAILABLE_REASON, TEST_TIME, TEST_TIME),
    ("DeploymentProgressing: dont update lastTransitionTime if deployment already has Progressing=True",
     current_deployment(60, 3, 2, 2, 2, [RS_UPDATED]), [rs_with_available("bar", 0, 1, 1)],
     rs_with_available("foo", 3, 2, 2), "True", du.REPLICA_SET_UPDATED_REASON, "now", TEST_TIME),
    ("DeploymentProgressing: update everything if deployment has Progressing=False",
     current_deployment(60, 3, 2, 2, 2, [FAILED]), [rs_with_available("bar", 0, 1, 1)],
     rs_with_available("foo", 3, 2, 2), "True", du.REPLICA_SET_UPDATED_REASON, "now", "now"),
    ("DeploymentProgressing: create Progressing condition if it does not exist",
     current_deployment(60, 3, 2, 2, 2, []), [rs_with_available("bar", 0, 1, 1)],
     rs_with_available("foo", 3, 2, 2), "True", du.REPLICA_SET_UPDATED_REASON, "now", "now"),
    ("DeploymentComplete: dont update lastTransitionTime if deployment already has Progressing=True",
     current_deployment(60, 3, 2, 2, 2, [RS_UPDATED]), [], rs_with_available("foo", 3, 3, 3),
     "True", du.NEW_RS_AVAILABLE_REASON, "now", TEST_TIME),
    ("DeploymentComplete: update everything if deployment has Progressing=False",
     current_deployment(60, 3, 2, 2, 2, [FAILED]), [], rs_with_available("foo", 3, 3, 3),
     "True", du.NEW_RS_AVAILABLE_REASON, "now", "now"),
    ("DeploymentComplete: create Progressing condition if it does not exist",
     current_deployment(60, 3, 2, 2, 2, []), [], rs_with_available("foo", 3, 3, 3),
     "True", du.NEW_RS_AVAILABLE_REASON, "now", "now"),
    ("DeploymentComplete: defend against NPE when newRS=nil",
     current_deployment(60, 0, 3, 3, 3, [RS_UPDATED]), [rs_with_available("foo", 0, 0, 0)], None,
     "True", du.NEW_RS_AVAILABLE_REASON, "now", TEST_TIME),
    ("DeploymentTimedOut: update status if rollout exceeds Progress Deadline",
     current_deployment(60, 3, 2, 2, 2, [RS_UPDATED]), [], rs_with_available("foo", 3, 2, 2),
     "False", du.TIMED_OUT_REASON, "now", "now"),
    ("DeploymentTimedOut: do not update status if deployment has existing timedOut condition",
     current_deployment(60, 3, 2, 2, 2, [FAILED]), [], rs_with_available("foo", 3, 2, 2),
     "False", du.TIMED_OUT_REASON, None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("d", "all_rss", "new_rs", "status", "reason", "last_update", "last_transition"),
    [case[1:] for case in SYNC_ROLLOUT_STATUS_CASES],
    ids=[case[0] for case in SYNC_ROLLOUT_STATUS_CASES],
)
def test_sync_rollout_status(d, all_rss, new_rs, status, reason, last_update, last_transition):
    dc, _api = make_controller()  # now: 2026-01-01, long after TEST_TIME
    now = dc.sim.rfc3339()
    all_rss = [*all_rss, new_rs] if new_rs is not None else all_rss
    dc.sync_rollout_status(all_rss, new_rs, d)
    cond = du.get_deployment_condition(d["status"], "Progressing")
    if status is None:
        assert cond is None
        return
    assert (cond["status"], cond["reason"]) == (status, reason)
    if last_update is not None:
        assert cond["lastUpdateTime"] == (now if last_update == "now" else last_update)
    if last_transition is not None:
        assert cond["lastTransitionTime"] == (now if last_transition == "now" else last_transition)


def test_sync_rollout_status_messages_name_the_new_replica_set():
    d = current_deployment(60, 3, 2, 2, 2, [])
    dc, api = make_controller()
    dc.sync_rollout_status([rs_with_available("foo", 3, 3, 3)], rs_with_available("foo", 3, 3, 3), d)
    cond = du.get_deployment_condition(d["status"], "Progressing")
    assert cond["message"] == 'ReplicaSet "foo" has successfully progressed.'
    available = du.get_deployment_condition(d["status"], "Available")
    assert (available["status"], available["reason"], available["message"]) == (
        "True",
        du.MINIMUM_REPLICAS_AVAILABLE,
        "Deployment has minimum availability.",
    )
    assert api.actions[-1][0] == "update_status"


def test_sync_rollout_status_promotes_replica_failure():
    d = current_deployment(60, 3, 0, 0, 0, [])
    new_rs = rs_with_available("foo", 3, 0, 0)
    new_rs["status"]["conditions"] = [
        {
            "type": "ReplicaFailure",
            "status": "True",
            "reason": "FailedCreate",
            "message": 'pods "foo-x" is forbidden: exceeded quota',
            "lastTransitionTime": TEST_TIME,
        }
    ]
    dc, _ = make_controller()
    dc.sync_rollout_status([new_rs], new_rs, d)
    failure = du.get_deployment_condition(d["status"], "ReplicaFailure")
    assert (failure["reason"], failure["lastUpdateTime"]) == ("FailedCreate", TEST_TIME)


# --- recreate_test.go: TestOldPodsRunning -----------------------------------------------------------------------------


def _pod(phase):
    return {"metadata": {"name": "p"}, "status": {"phase": phase}}


@pytest.mark.parametrize(
    ("new_rs", "old_rss", "pod_map", "expected"),
    [
        (None, [], {}, False),  # no old RSs
        (rs("a", 1), [rs("b", 1)], {}, False),  # old RSs with no pods
        (None, [rs_with_status("a", 1, 1)], {}, True),  # old RSs with running pods (status.replicas)
        (rs("new", 1), [rs("old", 0)], {"uid-new": [_pod("Running")]}, False),  # only the new RS runs pods
        (None, [rs("old", 0)], {"uid-old": [_pod("Failed")]}, False),  # old RS with a failed pod
        (None, [rs("old", 0)], {"uid-old": [_pod("Succeeded")]}, False),  # old RS with a succeeded pod
        (None, [rs("old", 0)], {"uid-old": [_pod("Unknown")]}, True),  # may still be running
        (None, [rs("old", 0)], {"uid-old": [_pod("Pending")]}, True),
        (None, [rs("old", 0)], {"uid-old": [_pod("Running")]}, True),
    ],
)
def test_old_pods_running(new_rs, old_rss, pod_map, expected):
    assert old_pods_running(new_rs, old_rss, pod_map) is expected
