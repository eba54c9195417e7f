"""The pod garbage collector (k8smodel/controllers/podgc.py): upstream's test tables, then the clean-ups on a
running cluster."""

from __future__ import annotations

import pytest

from k8smodel import Cluster
from k8smodel.controllers.podgc import (
    GC_CHECK_PERIOD,
    QUARANTINE_TIME,
    TAINT_NODE_OUT_OF_SERVICE,
    TERMINATED_POD_GC_THRESHOLD,
    PodGCController,
    by_eviction_and_creation,
    terminated_to_delete,
    terminating_out_of_service,
    unscheduled_terminating,
)


def pod(name: str, phase: str = "Running", hour: int = 0, *, node: str = "node", deleting: bool = False, **status):
    meta = {"name": name, "namespace": "default", "creationTimestamp": f"1970-01-01T{hour:02d}:00:00Z"}
    if deleting:
        meta["deletionTimestamp"] = "1970-01-02T00:00:00Z"
    return {"metadata": meta, "spec": {"nodeName": node}, "status": {"phase": phase, **status}}


def names(pods) -> set[str]:
    return {p["metadata"]["name"] for p in pods}


# TestGCTerminated (pkg/controller/podgc/gc_controller_test.go): creation times one hour apart, in list order
@pytest.mark.parametrize(
    ("phases", "threshold", "deleted"),
    [
        ([("a", "Failed"), ("b", "Succeeded")], 0, set()),  # threshold 0 disables terminated pod deletion
        ([("a", "Failed"), ("b", "Succeeded"), ("c", "Failed")], 1, {"a", "b"}),
        ([("a", "Running"), ("b", "Succeeded"), ("c", "Failed")], 1, {"b"}),
        ([("a", "Failed"), ("b", "Succeeded")], 1, {"a"}),
        ([("a", "Failed"), ("b", "Succeeded")], 5, set()),
    ],
)
def test_gc_terminated_upstream_table(phases, threshold, deleted):
    pods = [pod(n, phase, hour) for hour, (n, phase) in enumerate(phases, start=1)]
    assert names(terminated_to_delete(pods, threshold)) == deleted


def test_evicted_pods_go_first_then_the_oldest_then_by_name():
    pods = [
        pod("old", "Failed", 1),
        pod("evicted", "Failed", 5, reason="Evicted"),
        pod("b-same-time", "Succeeded", 3),
        pod("a-same-time", "Succeeded", 3),
    ]
    order = [p["metadata"]["name"] for p in by_eviction_and_creation(pods)]
    assert order == ["evicted", "old", "a-same-time", "b-same-time"]
    assert [p["metadata"]["name"] for p in terminated_to_delete(pods, 2)] == ["evicted", "old"]


# TestGCUnscheduledTerminating
@pytest.mark.parametrize(
    ("spec", "deleted"),
    [
        # unscheduled pod in any phase must be deleted
        ([("a", "Failed", True, ""), ("b", "Succeeded", True, ""), ("c", "Running", True, "")], {"a", "b", "c"}),
        # scheduled pod in any phase must not be deleted
        ([("a", "Failed", False, ""), ("b", "Succeeded", False, "node"), ("c", "Running", True, "node")], set()),
    ],
)
def test_gc_unscheduled_terminating_upstream_table(spec, deleted):
    pods = [pod(n, phase, 1, node=node, deleting=deleting) for n, phase, deleting, node in spec]
    assert names(unscheduled_terminating(pods)) == deleted


def test_gc_terminating_needs_a_not_ready_node_with_the_out_of_service_taint():
    def node(ready: bool, taint: bool):
        return {
            "metadata": {"name": "n"},
            "spec": {"taints": [{"key": TAINT_NODE_OUT_OF_SERVICE, "effect": "NoExecute"}] if taint else []},
            "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "Unknown"}]},
        }

    pods = [pod("gone", node="n", deleting=True), pod("alive", node="n"), pod("elsewhere", node="x", deleting=True)]
    assert names(terminating_out_of_service(pods, {"n": node(False, True)})) == {"gone"}
    assert names(terminating_out_of_service(pods, {"n": node(True, True)})) == set()
    assert names(terminating_out_of_service(pods, {"n": node(False, False)})) == set()


def test_default_numbers_are_upstreams():
    assert (GC_CHECK_PERIOD, QUARANTINE_TIME, TERMINATED_POD_GC_THRESHOLD) == (20.0, 40.0, 12500)


# --- on a running cluster -----------------------------------------------------------------------------------------

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
"""


@pytest.fixture
def crashed():
    """Three nodes, four Pods; node-2 crashes and is left for ten minutes: its Pods are evicted and stay
    Terminating, since no kubelet confirms that their containers stopped."""
    cluster = Cluster(seed=0)
    podgc = PodGCController(cluster.sim, cluster.api, pod_informer=cluster.shared_informer("pods"),
                            node_informer=cluster.shared_informer("nodes"))  # fmt: skip
    cluster.add_control_plane_component("pod-garbage-collector-controller", podgc)
    cluster.add_nodes(3)
    cluster.run_for("30s")
    cluster.apply(DEPLOYMENT)
    cluster.run_for("30s")
    on_node_2 = names(p for p in cluster.api.list("pods", "default")[0] if p["spec"]["nodeName"] == "node-2")
    assert on_node_2
    cluster.fail_node("node-2")
    cluster.run_for("10m")
    stuck = [p for p in cluster.api.list("pods", "default")[0] if p["metadata"].get("deletionTimestamp")]
    assert names(stuck) == on_node_2
    return cluster, podgc, on_node_2


def test_terminating_pods_of_a_crashed_node_stay_until_the_node_object_is_deleted(crashed):
    cluster, podgc, on_node_2 = crashed
    assert podgc.deleted == [] and podgc.passes > 20
    watch = cluster.api.watch("pods", "default", resource_version=str(cluster.etcd.revision))
    cluster.api.delete("nodes", "node-2")
    gone_at = cluster.now
    cluster.run_for("2m")
    # before it went, each Pod was marked Failed, with upstream's DisruptionTarget condition
    last = {obj["metadata"]["name"]: obj for kind, obj in watch.drain() if kind == "MODIFIED"}
    watch.stop()
    for name in on_node_2:
        status = last[name]["status"]
        assert status["phase"] == "Failed"
        (target,) = [c for c in status["conditions"] if c["type"] == "DisruptionTarget"]
        assert (target["reason"], target["message"]) == ("DeletionByPodGC", "PodGC: node no longer exists")
    assert {name for _, name, _ in podgc.deleted} == {f"default/{n}" for n in on_node_2}
    times = {t for t, _, _ in podgc.deleted}
    # the name waited QUARANTINE_TIME from the first pass that saw it missing (at most GC_CHECK_PERIOD later), and
    # the pass that finds it ready comes at most one period after that
    assert all(gone_at + QUARANTINE_TIME <= t <= gone_at + QUARANTINE_TIME + 2 * GC_CHECK_PERIOD for t in times)
    assert not names(cluster.api.list("pods", "default")[0]) & on_node_2
    # each Pod was marked Failed before it went (a patch of its status), then deleted with grace period 0: the API
    # server first shortens the deletion to now, then removes the object (two writes, as upstream's store does)
    writes = cluster.events("api")
    writes = writes[(writes.user == "system:serviceaccount:kube-system:pod-garbage-collector") & (writes.code < 300)]
    for name in on_node_2:
        mine = list(writes[writes.name == name].verb)
        assert mine == ["patch", "delete", "delete"], mine
    assert any(kind == "podgc.delete" for kind in cluster.events().kind)


def test_the_out_of_service_taint_releases_them_at_once(crashed):
    cluster, podgc, on_node_2 = crashed
    cluster.api.patch(
        "nodes", "node-2", None,
        {"spec": {"taints": [*cluster.api.get("nodes", "node-2")["spec"].get("taints", []),
                             {"key": TAINT_NODE_OUT_OF_SERVICE, "value": "nodeshutdown", "effect": "NoExecute"}]}},
    )  # fmt: skip
    tainted_at = cluster.now
    cluster.run_for(GC_CHECK_PERIOD)
    assert {name for _, name, _ in podgc.deleted} == {f"default/{n}" for n in on_node_2}
    assert all(t <= tainted_at + GC_CHECK_PERIOD for t, _, _ in podgc.deleted)
    assert all(why == "terminating on an out-of-service node" for _, _, why in podgc.deleted)


def test_a_recovered_node_needs_no_podgc(crashed):
    cluster, podgc, on_node_2 = crashed
    cluster.recover_node("node-2")
    cluster.run_for("2m")
    assert not names(cluster.api.list("pods", "default")[0]) & on_node_2  # its kubelet finished the deletions
    assert podgc.deleted == []


def test_a_missing_node_that_appears_during_quarantine_saves_its_pods():
    cluster = Cluster(seed=1)
    podgc = PodGCController(cluster.sim, cluster.api, pod_informer=cluster.shared_informer("pods"),
                            node_informer=cluster.shared_informer("nodes"))  # fmt: skip
    cluster.add_control_plane_component("pod-garbage-collector-controller", podgc)
    cluster.add_nodes(1)
    cluster.run_for("30s")
    # a Pod bound to a node the cluster does not know yet
    cluster.apply(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: early}\n"
        "spec: {nodeName: node-9, containers: [{name: c, image: nginx:1.27}]}\n"
    )
    cluster.run_for(GC_CHECK_PERIOD)
    assert "node-9" in podgc.quarantine
    cluster.add_node("node-9")  # it joins before its quarantine ends
    cluster.run_for("2m")
    assert podgc.deleted == [] and "node-9" not in podgc.quarantine
    assert cluster.api.get("pods", "early")["status"]["phase"] == "Running"
