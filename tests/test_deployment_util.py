"""The Deployment controller's helpers, with cases from pkg/controller/deployment/util/deployment_util_test.go."""

import copy
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8smodel.api.intstr import IntOrStringError
from k8smodel.controllers import deployment_util as du
from k8smodel.controllers.deployment_util import (
    RECREATE,
    max_surge,
    max_unavailable,
    resolve_fenceposts,
    rollout_bounds,
)

HASH = du.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY


# --- fixtures in the shape of upstream's generateDeployment / generateRS ------------------------------------------


def generate_deployment(image: str, replicas: int = 1) -> dict:
    labels = {"name": image}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": image, "namespace": "default", "uid": f"uid-{image}", "annotations": {}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 1}},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "containers": [{"name": image, "image": image, "imagePullPolicy": "Always"}],
                    "dnsPolicy": "ClusterFirst",
                    "terminationGracePeriodSeconds": 30,
                    "restartPolicy": "Always",
                    "securityContext": {},
                },
            },
        },
    }


_counter = iter(range(1_000_000))


def generate_rs(deployment: dict, *, created: str = "2016-01-01T00:00:00Z", replicas: int = 0) -> dict:
    template = copy.deepcopy(deployment["spec"]["template"])
    n = next(_counter)
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"replicaset{n:05d}",
            "namespace": "default",
            "uid": f"rs-uid-{n}",
            "creationTimestamp": created,
            "labels": dict(template["metadata"]["labels"]),
            "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "Deployment", "name": "x", "uid": deployment["metadata"]["uid"]}
                | {"controller": True}
            ],
        },
        "spec": {
            "replicas": replicas,
            "template": template,
            "selector": {"matchLabels": template["metadata"]["labels"]},
        },
    }


# --- TestResolveFenceposts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surge", "unavailable", "desired", "expected"),
    [
        ("0%", "0%", 0, (0, 1)),
        ("39%", "39%", 10, (4, 3)),
        (None, "39%", 10, (0, 3)),
        ("39%", None, 10, (4, 0)),
        (None, None, 10, (0, 1)),
        # the function's own doc comment: 1% of 2 rounds to surge 1 / unavailable 0
        ("1%", "25%", 2, (1, 0)),
        ("0%", "1%", 2, (0, 1)),
        (1, 1, 2, (1, 1)),
        ("25%", "25%", 8, (2, 2)),
    ],
)
def test_resolve_fenceposts(surge, unavailable, desired, expected):
    assert resolve_fenceposts(surge, unavailable, desired) == expected


@pytest.mark.parametrize(("surge", "unavailable"), [("oops", "39%"), ("55%", "urg"), ("5", "1")])
def test_resolve_fenceposts_errors(surge, unavailable):
    with pytest.raises(IntOrStringError, match="invalid value for IntOrString"):
        resolve_fenceposts(surge, unavailable, 10)


# TestMaxUnavailable (maxSurge 1 in every upstream case)
@pytest.mark.parametrize(
    ("replicas", "unavailable", "strategy", "expected"),
    [
        (10, 5, "RollingUpdate", 5),
        (10, 10, "RollingUpdate", 10),
        (5, 10, "RollingUpdate", 5),
        (0, 10, "RollingUpdate", 0),
        (10, 5, RECREATE, 0),
        (10, "50%", "RollingUpdate", 5),
        (10, "100%", "RollingUpdate", 10),
        (5, "100%", "RollingUpdate", 5),
    ],
)
def test_max_unavailable(replicas, unavailable, strategy, expected):
    assert max_unavailable(replicas, 1, unavailable, strategy) == expected
    d = {"spec": {"replicas": replicas, "strategy": {"type": strategy}}}
    if strategy == "RollingUpdate":
        d["spec"]["strategy"]["rollingUpdate"] = {"maxSurge": 1, "maxUnavailable": unavailable}
    assert du.max_unavailable_of(d) == expected


def test_max_surge():
    assert max_surge(10, "25%", "25%") == 3
    assert max_surge(10, "25%", "25%", RECREATE) == 0
    d = generate_deployment("nginx", 10)
    d["spec"]["strategy"]["rollingUpdate"] = {"maxSurge": "25%", "maxUnavailable": "25%"}
    assert (du.max_surge_of(d), du.max_unavailable_of(d), du.min_available(d)) == (3, 2, 8)
    d["spec"]["strategy"] = {"type": RECREATE}
    assert (du.max_surge_of(d), du.max_unavailable_of(d), du.min_available(d)) == (0, 0, 0)


def test_rollout_bounds_defaults():
    b = rollout_bounds(10)
    assert (b.max_surge, b.max_unavailable, b.max_pods, b.min_available) == (3, 2, 13, 8)


@given(st.integers(0, 10_000), st.integers(0, 100), st.integers(0, 100))
def test_a_rollout_can_always_move(replicas, surge_pct, unavailable_pct):
    """Whatever the percentages, at least one of the fenceposts is positive: a rollout is never stuck."""
    s, u = resolve_fenceposts(f"{surge_pct}%", f"{unavailable_pct}%", replicas)
    assert s + u >= 1
    assert (s >= surge_pct * replicas / 100 and u <= unavailable_pct * replicas / 100) or (s, u) == (0, 1)


# --- TestEqualIgnoreHash ---------------------------------------------------------------------------------------------


def pod_template(name, node, annotations, labels):
    return {"metadata": {"name": name, "annotations": annotations, "labels": labels}, "spec": {"nodeName": node}}


@pytest.mark.parametrize(
    ("former", "latter", "expected"),
    [
        # Same spec, same labels
        (
            pod_template("foo", "foo-node", {}, {HASH: "value-1", "something": "else"}),
            pod_template("foo", "foo-node", {}, {HASH: "value-1", "something": "else"}),
            True,
        ),
        # Same spec, only pod-template-hash label value is different
        (
            pod_template("foo", "foo-node", {}, {HASH: "value-1", "something": "else"}),
            pod_template("foo", "foo-node", {}, {HASH: "value-2", "something": "else"}),
            True,
        ),
        # Same spec, the former doesn't have pod-template-hash label
        (
            pod_template("foo", "foo-node", {}, {"something": "else"}),
            pod_template("foo", "foo-node", {}, {HASH: "value-2", "something": "else"}),
            True,
        ),
        # Same spec, the label is different, and the pod-template-hash label value is the same
        (
            pod_template("foo", "foo-node", {}, {HASH: "value-1"}),
            pod_template("foo", "foo-node", {}, {HASH: "value-1", "something": "else"}),
            False,
        ),
        # Different spec, same labels
        (
            pod_template("foo", "foo-node", {"former": "value"}, {HASH: "value-1", "something": "else"}),
            pod_template("foo", "foo-node", {"latter": "value"}, {HASH: "value-1", "something": "else"}),
            False,
        ),
        # Different spec, different pod-template-hash label value
        (
            pod_template("foo-1", "foo-node", {}, {HASH: "value-1", "something": "else"}),
            pod_template("foo-2", "foo-node", {}, {HASH: "value-2", "something": "else"}),
            False,
        ),
        # Different spec, the former doesn't have pod-template-hash label
        (
            pod_template("foo-1", "foo-node-1", {}, {"something": "else"}),
            pod_template("foo-2", "foo-node-2", {}, {HASH: "value-2", "something": "else"}),
            False,
        ),
        # Different spec, different labels
        (
            pod_template("foo", "foo-node-1", {}, {"something": "else"}),
            pod_template("foo", "foo-node-2", {}, {"nothing": "else"}),
            False,
        ),
    ],
)
def test_equal_ignore_hash(former, latter, expected):
    before = copy.deepcopy((former, latter))
    assert du.equal_ignore_hash(former, latter) is expected
    assert du.equal_ignore_hash(latter, former) is expected  # the same case in reverse order
    assert (former, latter) == before  # the labels are not changed


def test_equal_ignore_hash_semantic_empty_equals_absent():
    """apiequality.Semantic: an empty map equals a missing one."""
    assert du.equal_ignore_hash({"metadata": {"labels": {"a": "b"}}, "spec": {}}, {"metadata": {"labels": {"a": "b"}}})


# --- TestFindNewReplicaSet / TestFindOldReplicaSets -------------------------------------------------------------------

NOW, LATER, BEFORE = "2016-01-01T00:01:00Z", "2016-01-01T00:02:00Z", "2016-01-01T00:00:00Z"


@pytest.fixture
def replica_sets():
    deployment = generate_deployment("nginx")
    new_rs = generate_rs(deployment, created=LATER, replicas=1)
    new_rs["metadata"]["labels"][HASH] = "hash"
    new_rs_dup = generate_rs(deployment, created=NOW)
    new_rs_dup["metadata"]["labels"][HASH] = "different-hash"
    old_deployment = generate_deployment("nginx")
    old_deployment["spec"]["template"]["spec"]["containers"][0]["name"] = "nginx-old-1"
    old_rs = generate_rs(old_deployment, created=BEFORE)
    return deployment, new_rs, new_rs_dup, old_rs


def test_find_new_replica_set(replica_sets):
    deployment, new_rs, new_rs_dup, old_rs = replica_sets
    # Get new ReplicaSet with the same template as Deployment spec but different pod-template-hash value
    assert du.find_new_replica_set(deployment, [new_rs, old_rs]) is new_rs
    # Get the oldest new ReplicaSet when there are more than one ReplicaSet with the same template
    assert du.find_new_replica_set(deployment, [new_rs, old_rs, new_rs_dup]) is new_rs_dup
    # Get nil new ReplicaSet
    assert du.find_new_replica_set(deployment, [old_rs]) is None


def _names(rss):
    return sorted(rs["metadata"]["name"] for rs in rss)


def test_find_old_replica_sets(replica_sets):
    deployment, new_rs, new_rs_dup, old_rs = replica_sets
    # (list, expected all old, expected old ones with replicas)
    cases = [
        ([new_rs, old_rs], [old_rs], []),  # Get old ReplicaSets
        ([old_rs], [old_rs], []),  # Get old ReplicaSets with no new ReplicaSet
        # Get old ReplicaSets with two new ReplicaSets, only the oldest new ReplicaSet is seen as new ReplicaSet
        ([old_rs, new_rs, new_rs_dup], [old_rs, new_rs], [new_rs]),
        ([new_rs], [], []),  # Get empty old ReplicaSets
    ]
    for rs_list, expected_all, expected_required in cases:
        required, all_old = du.find_old_replica_sets(deployment, rs_list)
        assert _names(all_old) == _names(expected_all)
        assert _names(required) == _names(expected_required)


def test_get_all_replica_sets_lists_owned_only(replica_sets):
    """GetAllReplicaSets / ListReplicaSets: only ReplicaSets the Deployment controls (TestGetOldRSs' existedRS has
    the Deployment's labels but no ControllerRef)."""
    deployment, new_rs, _, old_rs = replica_sets
    orphan = generate_rs(deployment)
    orphan["metadata"]["ownerReferences"] = []
    other = generate_rs(generate_deployment("xyz"))
    seen = []

    def lister(namespace, selector):
        seen.append((namespace, str(selector)))
        return [rs for rs in (new_rs, old_rs, orphan, other) if selector.matches(rs["metadata"]["labels"])]

    old, all_old, new = du.get_all_replica_sets(deployment, lister)
    assert new is new_rs
    assert _names(all_old) == _names([old_rs])
    assert old == []  # old_rs wants no replicas
    assert seen == [("default", "name=nginx")]


# --- TestGetReplicaCountForReplicaSets ------------------------------------------------------------------------------


def test_replica_counts():
    rs1 = generate_rs(generate_deployment("foo"), replicas=1)
    rs1["status"] = {"replicas": 2}
    rs2 = generate_rs(generate_deployment("bar"), replicas=2)
    rs2["status"] = {"replicas": 3}
    assert (du.get_replica_count_for_replica_sets([rs1]), du.get_actual_replica_count_for_replica_sets([rs1])) == (1, 2)
    both = [rs1, rs2, None]
    assert (du.get_replica_count_for_replica_sets(both), du.get_actual_replica_count_for_replica_sets(both)) == (3, 5)
    rs1["status"].update(readyReplicas=2, availableReplicas=1)
    assert du.get_ready_replica_count_for_replica_sets(both) == 2
    assert du.get_available_replica_count_for_replica_sets(both) == 1


# --- TestNewRSNewReplicas -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("strategy", "dep_replicas", "new_rs_replicas", "surge", "expected"),
    [
        ("RollingUpdate", 1, 5, 1, 5),  # can not scale up - to newRSReplicas
        ("RollingUpdate", 6, 2, 10, 6),  # scale up - to depReplicas
        ("Recreate", 3, 1, 1, 3),  # recreate - to depReplicas
    ],
)
def test_new_rs_new_replicas(strategy, dep_replicas, new_rs_replicas, surge, expected):
    d = generate_deployment("nginx", dep_replicas)
    d["spec"]["strategy"] = {"type": strategy, "rollingUpdate": {"maxUnavailable": 1, "maxSurge": surge}}
    new_rc = generate_rs(d, replicas=new_rs_replicas)
    rs5 = generate_rs(d, replicas=5)
    assert du.new_rs_new_replicas(d, [rs5], new_rc) == expected


def test_new_rs_new_replicas_unknown_strategy():
    d = generate_deployment("nginx")
    d["spec"]["strategy"] = {"type": "BlueGreen"}
    with pytest.raises(ValueError, match="deployment type BlueGreen isn't supported"):
        du.new_rs_new_replicas(d, [], generate_rs(d))


# --- TestGetCondition / TestSetCondition / TestRemoveCondition -----------------------------------------------------


def cond_progressing():
    return {"type": "Progressing", "status": "False", "reason": "ForSomeReason"}


def cond_progressing2():
    return {"type": "Progressing", "status": "True", "reason": "BecauseItIs"}


def cond_available():
    return {"type": "Available", "status": "True", "reason": "AwesomeController"}


def example_status():
    return {"conditions": [cond_progressing(), cond_available()]}


def test_get_condition():
    assert du.get_deployment_condition(example_status(), "Available") is not None
    assert du.get_deployment_condition(example_status(), "ReplicaFailure") is None


@pytest.mark.parametrize(
    ("status", "cond", "expected"),
    [
        ({}, cond_available(), {"conditions": [cond_available()]}),  # set for the first time
        ({"conditions": [cond_progressing()]}, cond_available(), example_status()),  # simple set
        ({"conditions": [cond_progressing()]}, cond_progressing2(), {"conditions": [cond_progressing2()]}),  # overwrite
    ],
)
def test_set_condition(status, cond, expected):
    du.set_deployment_condition(status, cond)
    assert status == expected


def test_set_condition_keeps_transition_time_and_ignores_same_reason():
    status = {"conditions": [{**cond_progressing2(), "lastTransitionTime": "t0", "lastUpdateTime": "t0"}]}
    du.set_deployment_condition(status, {**cond_progressing2(), "lastTransitionTime": "t1", "lastUpdateTime": "t1"})
    assert status["conditions"][0]["lastUpdateTime"] == "t0"  # same status and reason: not updated at all
    du.set_deployment_condition(status, {**cond_progressing2(), "reason": "Other", "lastTransitionTime": "t2"})
    assert status["conditions"][0]["reason"] == "Other"
    assert status["conditions"][0]["lastTransitionTime"] == "t0"  # same status: transition time kept


@pytest.mark.parametrize(
    ("status", "cond_type", "expected"),
    [
        ({}, "Progressing", {}),  # remove from empty status
        ({"conditions": [cond_progressing()]}, "Progressing", {}),  # simple remove
        (example_status(), "ReplicaFailure", example_status()),  # doesn't remove anything
    ],
)
def test_remove_condition(status, cond_type, expected):
    du.remove_deployment_condition(status, cond_type)
    assert status == expected


# --- TestDeploymentComplete / TestDeploymentProgressing / TestDeploymentTimedOut ------------------------------------


def _deployment(desired, current, updated, available, max_unavailable, max_surge_):
    return {
        "metadata": {},
        "spec": {
            "replicas": desired,
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": max_unavailable, "maxSurge": max_surge_},
            },
        },
        "status": {"replicas": current, "updatedReplicas": updated, "availableReplicas": available},
    }


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (_deployment(5, 5, 5, 4, 1, 0), False),  # not complete: min but not all pods become available
        (_deployment(5, 5, 5, 3, 1, 0), False),  # not complete: min availability is not honored
        (_deployment(5, 5, 5, 5, 0, 0), True),  # complete
        (_deployment(5, 5, 4, 5, 0, 0), False),  # not complete: all pods are available but not updated
        (_deployment(1, 2, 1, 1, 0, 1), False),  # not complete: still running old pods
        (_deployment(1, 1, 1, 0, 1, 1), False),  # not complete: one replica deployment never comes up
    ],
)
def test_deployment_complete(d, expected):
    assert du.deployment_complete(d, d["status"]) is expected


def test_deployment_complete_needs_the_current_generation():
    d = _deployment(5, 5, 5, 5, 0, 0)
    d["metadata"]["generation"] = 3
    assert not du.deployment_complete(d, {**d["status"], "observedGeneration": 2})
    assert du.deployment_complete(d, {**d["status"], "observedGeneration": 3})


def _status(current, updated, ready, available):
    return {"replicas": current, "updatedReplicas": updated, "readyReplicas": ready, "availableReplicas": available}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (_status(10, 4, 4, 4), _status(10, 6, 4, 4), True),  # progressing: updated pods
        (_status(10, 4, 4, 4), _status(10, 4, 4, 4), False),  # not progressing
        (_status(10, 4, 6, 6), _status(8, 4, 6, 6), True),  # progressing: old pods removed
        (_status(10, 7, 3, 3), _status(10, 6, 3, 3), False),  # not progressing: less new pods
        (_status(10, 4, 7, 7), _status(8, 8, 5, 5), True),  # progressing: less overall but more new pods
        (_status(10, 10, 9, 8), _status(10, 10, 10, 8), True),  # progressing: more ready pods
        (_status(10, 10, 10, 9), _status(10, 10, 10, 10), True),  # progressing: more available pods
    ],
)
def test_deployment_progressing(old, new, expected):
    assert du.deployment_progressing({"status": old}, new) is expected


def _timed(minute, second):
    return datetime(2016, 1, 1, 0, minute, second, tzinfo=UTC)


def _timeout_deployment(reason, pds, since):
    return {
        "spec": {} if pds is None else {"progressDeadlineSeconds": pds},
        "status": {
            "conditions": [
                {
                    "type": "Progressing",
                    "status": "True",
                    "reason": reason,
                    "lastUpdateTime": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
            ]
        },
    }


@pytest.mark.parametrize(
    ("d", "now", "expected"),
    [
        # no progressDeadlineSeconds specified - no timeout
        (_timeout_deployment("", None, _timed(1, 9)), _timed(1, 20), False),
        # progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:09 => 11s
        (_timeout_deployment("", 10, _timed(1, 9)), _timed(1, 20), True),
        # progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:11 => 9s
        (_timeout_deployment("", 10, _timed(1, 11)), _timed(1, 20), False),
        # previous status was a complete deployment
        (_timeout_deployment(du.NEW_RS_AVAILABLE_REASON, None, _timed(0, 0)), _timed(1, 20), False),
        (_timeout_deployment(du.NEW_RS_AVAILABLE_REASON, 10, _timed(0, 0)), _timed(1, 20), False),
        # (model) a condition that already says it timed out stays timed out
        (_timeout_deployment(du.TIMED_OUT_REASON, 10, _timed(1, 19)), _timed(1, 20), True),
        # (model) exactly at the deadline is not past it: `from.Add(delta).Before(now)`
        (_timeout_deployment("", 10, _timed(1, 10)), _timed(1, 20), False),
    ],
)
def test_deployment_timed_out(d, now, expected):
    assert du.deployment_timed_out(d, d["status"], now) is expected


def test_progress_deadline_and_history_limit_max_int32():
    assert not du.has_progress_deadline({"spec": {"progressDeadlineSeconds": du.MAX_INT32}})
    assert du.has_progress_deadline({"spec": {"progressDeadlineSeconds": 600}})
    assert not du.has_revision_history_limit({"spec": {"revisionHistoryLimit": du.MAX_INT32}})
    assert du.has_revision_history_limit({"spec": {"revisionHistoryLimit": 0}})


# --- TestAnnotationUtils ----------------------------------------------------------------------------------------------


def test_annotation_utils():
    d = generate_deployment("nginx")
    rs = generate_rs(d)
    d["metadata"]["annotations"][du.REVISION_ANNOTATION] = "1"
    # SetNewReplicaSetAnnotations: try to set the increment revision from 1 through 20
    for i in range(20):
        next_revision = str(i + 1)
        du.set_new_replica_set_annotations(d, rs, next_revision, True, 5)
        assert rs["metadata"]["annotations"][du.REVISION_ANNOTATION] == next_revision
    # SetReplicasAnnotations
    assert du.set_replicas_annotations(rs, 10, 11)
    assert rs["metadata"]["annotations"][du.DESIRED_REPLICAS_ANNOTATION] == "10"
    assert rs["metadata"]["annotations"][du.MAX_REPLICAS_ANNOTATION] == "11"
    assert not du.set_replicas_annotations(rs, 10, 11)
    # IsSaturated
    rs["metadata"]["annotations"][du.DESIRED_REPLICAS_ANNOTATION] = "1"
    rs["status"] = {"availableReplicas": 1}
    rs["spec"]["replicas"] = 1
    assert du.is_saturated(d, rs)
    rs["status"]["availableReplicas"] = 0
    assert not du.is_saturated(d, rs)
    assert not du.is_saturated(d, None)


def test_revision_history_is_kept_within_its_limit():
    """A ReplicaSet that gets a new revision (a rollback to it) keeps its old ones in revision-history, dropping the
    oldest past the length limit (SetNewReplicaSetAnnotations, revHistoryLimitInChars)."""
    d = generate_deployment("nginx")
    rs = generate_rs(d)
    rs["metadata"]["annotations"] = {du.REVISION_ANNOTATION: "1"}
    for rev in ("3", "5", "7"):
        assert du.set_new_replica_set_annotations(d, rs, rev, True, 2000)
    assert rs["metadata"]["annotations"][du.REVISION_HISTORY_ANNOTATION] == "1,3,5"
    assert du.set_new_replica_set_annotations(d, rs, "9", True, 5)  # "1,3,5,7" is too long: drop from the front
    assert rs["metadata"]["annotations"][du.REVISION_HISTORY_ANNOTATION] == "3,5,7"
    assert not du.set_new_replica_set_annotations(d, rs, "4", True, 2000)  # never lowered
    assert rs["metadata"]["annotations"][du.REVISION_ANNOTATION] == "9"


def test_new_replica_set_annotations_copy_deployment_annotations_but_skipped_ones():
    d = generate_deployment("nginx", 4)
    d["spec"]["strategy"]["rollingUpdate"] = {"maxSurge": "25%", "maxUnavailable": "25%"}
    d["metadata"]["annotations"] = {
        du.CHANGE_CAUSE_ANNOTATION: "kubectl set image",
        du.REVISION_ANNOTATION: "7",
        du.LAST_APPLIED_CONFIG_ANNOTATION: "{}",
    }
    rs = generate_rs(d)
    assert du.set_new_replica_set_annotations(d, rs, "3", False, 2000)
    assert rs["metadata"]["annotations"] == {
        du.CHANGE_CAUSE_ANNOTATION: "kubectl set image",
        du.REVISION_ANNOTATION: "3",
        du.DESIRED_REPLICAS_ANNOTATION: "4",
        du.MAX_REPLICAS_ANNOTATION: "5",
    }
    # an unparsable old revision: nothing is changed ("Updating replica set revision OldRevision not int")
    rs["metadata"]["annotations"][du.REVISION_ANNOTATION] = "x"
    assert not du.set_new_replica_set_annotations(d, rs, "4", True, 2000)


# TestReplicasAnnotationsNeedUpdate
@pytest.mark.parametrize(
    ("annotations", "expected"),
    [
        (None, True),  # test Annotations nil
        ({du.DESIRED_REPLICAS_ANNOTATION: "8", du.MAX_REPLICAS_ANNOTATION: "20"}, True),  # desiredReplicas update
        ({du.DESIRED_REPLICAS_ANNOTATION: "10", du.MAX_REPLICAS_ANNOTATION: "16"}, True),  # maxReplicas update
        ({du.DESIRED_REPLICAS_ANNOTATION: "10", du.MAX_REPLICAS_ANNOTATION: "20"}, False),  # needn't update
    ],
)
def test_replicas_annotations_need_update(annotations, expected):
    rs = {"metadata": {"name": "hello", "namespace": "test", "annotations": annotations}}
    assert du.replicas_annotations_need_update(rs, 10, 20) is expected


def test_revision_and_max_revision():
    rss = [{"metadata": {"annotations": {du.REVISION_ANNOTATION: v}}} for v in ("3", "10", "7", "x")]
    assert du.max_revision(rss) == 10
    assert du.last_revision(rss) == 7
    assert du.revision({"metadata": {}}) == 0
    with pytest.raises(du.RevisionError, match=r'strconv\.ParseInt: parsing "x": invalid syntax'):
        du.revision(rss[3])


def test_set_deployment_revision():
    d = {"metadata": {}}
    assert du.set_deployment_revision(d, "2")
    assert not du.set_deployment_revision(d, "2")
    assert d["metadata"]["annotations"] == {du.REVISION_ANNOTATION: "2"}


# --- ReplicaSet orders and FindActiveOrLatest (controller_utils.go) ---------------------------------------------------


def _rs(name, replicas, created):
    return {"metadata": {"name": name, "creationTimestamp": created, "uid": name}, "spec": {"replicas": replicas}}


def test_sort_orders():
    a, b, c = _rs("a", 2, "2016-01-01T00:00:00Z"), _rs("b", 2, "2016-01-01T00:01:00Z"), _rs("c", 5, BEFORE)
    assert [r["metadata"]["name"] for r in du.sort_by_size_newer([a, b, c])] == ["c", "b", "a"]
    assert [r["metadata"]["name"] for r in du.sort_by_size_older([b, a, c])] == ["c", "a", "b"]
    assert [r["metadata"]["name"] for r in du.sort_by_creation_timestamp([b, c, a])] == ["a", "c", "b"]  # name ties


def test_find_active_or_latest():
    old1, old2 = _rs("v1", 0, BEFORE), _rs("v2", 0, NOW)
    new = _rs("v3", 0, LATER)
    assert du.find_active_or_latest(None, []) is None
    assert du.find_active_or_latest(new, [old1, old2]) is new  # none active: the new one
    assert du.find_active_or_latest(None, [old1, old2]) is old2  # none active, no new one: the newest
    old1["spec"]["replicas"] = 3
    assert du.find_active_or_latest(new, [old1, old2]) is old1  # the only active one
    new["spec"]["replicas"] = 1
    assert du.find_active_or_latest(new, [old1, old2]) is None  # two active: scale in proportion


def test_get_proportion_rounds_half_away_from_zero():
    """getReplicaSetFraction uses Go's math.Round: 2.5 -> 3 (Python's round would give 2)."""
    d = {"spec": {"replicas": 5, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0}}}}
    rs = {"metadata": {"annotations": {du.MAX_REPLICAS_ANNOTATION: "4"}}, "spec": {"replicas": 2}}
    assert du.get_replica_set_fraction(rs, d) == 1  # 2 * 5 / 4 = 2.5 -> 3, minus 2
    assert du.get_proportion(rs, d, 1, 0) == 1
    assert du.get_proportion(rs, d, 1, 1) == 0  # nothing left to add
    d["spec"]["replicas"] = 0
    assert du.get_replica_set_fraction(rs, d) == -2  # scaling to zero: the whole size
