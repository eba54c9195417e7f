"""The taint eviction controller (``pkg/controller/tainteviction``), with Nodes and Pods written directly.

Cases come from ``taint_eviction_test.go``: TestCreatePod, TestUpdatePod, TestCreateNode, TestDeleteNode,
TestUpdateNode, TestUpdateNodeWithMultipleTaints, TestUpdateNodeWithMultiplePods, TestEventualConsistency and
TestPodDeletionEvent; the timing ones run on the simulated clock instead of sleeping.
"""

from __future__ import annotations

import pytest

from k8smodel.cluster import Cluster
from k8smodel.controllers.tainteviction import TaintEvictionController, TimedWorkerQueue, update_pod_condition
from k8smodel.sim import Simulation


def taint(i: int) -> dict:
    """``createNoExecuteTaint``."""
    return {"key": f"testTaint{i}", "value": f"test{i}", "effect": "NoExecute", "timeAdded": "2026-01-01T00:00:00Z"}


def toleration(i: int, seconds: int | None = None) -> dict:
    """``addToleration``: ``seconds=None`` tolerates forever."""
    out = {"key": f"testTaint{i}", "value": f"test{i}", "effect": "NoExecute"}
    if seconds is not None:
        out["tolerationSeconds"] = seconds
    return out


class World:
    def __init__(self) -> None:
        self.cluster = Cluster(seed=0)
        self.sim, self.api = self.cluster.sim, self.cluster.api
        self.controller = TaintEvictionController(self.sim, self.api)

    def node(self, name: str, taints: list[dict] | None = None) -> None:
        spec = {"taints": taints} if taints else {}
        self.api.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}, "spec": spec})

    def set_taints(self, name: str, taints: list[dict]) -> None:
        self.api.patch("nodes", name, None, {"spec": {"taints": taints or None}})

    def pod(self, name: str, node: str = "", tolerations: list[dict] | None = None) -> None:
        spec: dict = {"containers": [{"name": "c", "image": "nginx"}]}
        if node:
            spec["nodeName"] = node
        if tolerations is not None:
            spec["tolerations"] = tolerations
        meta = {"name": name, "namespace": "default"}
        self.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec})

    def deleted(self, name: str) -> bool:
        """The pod is gone or being deleted (``expectDelete``)."""
        try:
            pod = self.api.get("pods", name, "default")
        except Exception:
            return True
        return bool(pod["metadata"].get("deletionTimestamp"))

    def patched(self, name: str) -> bool:
        """The pod got the DisruptionTarget condition (``expectPatch``)."""
        pod = self.api.get("pods", name, "default")
        return any(c["type"] == "DisruptionTarget" for c in pod["status"].get("conditions") or [])

    def events(self) -> list[tuple[str, str]]:
        items, _ = self.api.list("events", "default")
        items.sort(key=lambda e: e["metadata"]["name"])
        return [(e["reason"], e["message"]) for e in items]

    def run_for(self, seconds: float) -> None:
        self.sim.run_for(seconds)


@pytest.mark.parametrize(
    ("description", "node", "tolerations", "taints", "expect_delete"),
    [
        ("not scheduled - ignore", "", None, [taint(1)], False),
        ("scheduled on untainted Node", "node1", None, [], False),
        ("schedule on tainted Node", "node1", None, [taint(1)], True),
        ("schedule on tainted Node with finite toleration", "node1", [toleration(1, 100)], [taint(1)], False),
        ("schedule on tainted Node with infinite toleration", "node1", [toleration(1)], [taint(1)], False),
        ("schedule on tainted Node with infinite invalid toleration", "node1", [toleration(2)], [taint(1)], True),
    ],
)
def test_create_pod(description, node, tolerations, taints, expect_delete):
    """TestCreatePod."""
    w = World()
    w.node("node1", taints)
    w.controller.start()
    w.pod("pod1", node, tolerations)
    w.run_for(1)
    assert w.deleted("pod1") == expect_delete, description
    assert w.patched("pod1") == expect_delete, description


def test_deleted_pod_cancels_its_eviction():
    """TestDeletePod (and the cancel event when a scheduled eviction goes with it)."""
    w = World()
    w.node("node1", [taint(1)])
    w.pod("pod1", "node1", [toleration(1, 100)])
    w.controller.start()
    w.run_for(1)
    assert w.controller.scheduled() == {"default/pod1": 100.0}
    w.api.delete("pods", "pod1", "default", grace_period_seconds=0)
    w.run_for(1)
    assert w.controller.scheduled() == {}
    assert w.events()[-1] == ("TaintManagerEviction", "Cancelling deletion of Pod default/pod1")


@pytest.mark.parametrize(
    ("description", "before", "after", "expect_delete"),
    [
        ("removing toleration", [toleration(1, 100)], [], True),
        ("lengthening toleration shouldn't work", [toleration(1, 1)], [toleration(1, 100)], True),
    ],
)
def test_update_pod(description, before, after, expect_delete):
    """TestUpdatePod. Tolerations are immutable for a real Pod except additions; the controller only sees the
    update, so the informer's cache is changed the way the upstream test changes its indexer."""
    w = World()
    w.node("node1", [taint(1)])
    w.pod("pod1", "node1", before)
    w.controller.start()
    w.run_for(0.5)
    assert "default/pod1" in w.controller.scheduled()
    old = w.controller.pods.get("default/pod1")
    new = {**old, "spec": {**old["spec"], "tolerations": after}}
    w.controller.pods.indexer.update(new)
    w.controller.pod_updated(old, new)
    w.run_for(1.5)
    assert w.deleted("pod1") == expect_delete, description


def test_scheduling_onto_tainted_node():
    """TestUpdatePod "scheduling onto tainted Node" (with and without toleration)."""
    w = World()
    w.node("node1", [taint(1)])
    w.pod("pod1")
    w.pod("pod2", tolerations=[toleration(1)])
    w.controller.start()
    w.api.bind("pod1", "default", "node1")
    w.api.bind("pod2", "default", "node1")
    w.run_for(1)
    assert w.deleted("pod1") and not w.deleted("pod2")


@pytest.mark.parametrize(
    ("description", "tolerations", "taints", "expect_delete"),
    [
        ("Creating Node matching already assigned Pod", None, [], False),
        ("Creating tainted Node matching already assigned Pod", None, [taint(1)], True),
        ("Creating tainted Node matching already assigned tolerating Pod", [toleration(1)], [taint(1)], False),
    ],
)
def test_create_node(description, tolerations, taints, expect_delete):
    """TestCreateNode."""
    w = World()
    w.pod("pod1", "node1", tolerations)
    w.controller.start()
    w.node("node1", taints)
    w.run_for(1)
    assert w.deleted("pod1") == expect_delete, description


def test_delete_node():
    """TestDeleteNode: a deleted node is forgotten."""
    w = World()
    w.node("node1", [taint(1)])
    w.controller.start()
    w.run_for(1)
    assert "node1" in w.controller.tainted_nodes
    w.api.delete("nodes", "node1")
    w.run_for(1)
    assert "node1" not in w.controller.tainted_nodes


@pytest.mark.parametrize(
    ("description", "tolerations", "old", "new", "wait", "expect_delete"),
    [
        ("Added taint, expect node patched and deleted", None, [], [taint(1)], 1, True),
        ("Added tolerated taint", [toleration(1, 100)], [], [taint(1)], 1, False),
        ("Only one added taint tolerated", [toleration(1, 100)], [], [taint(1), taint(2)], 1, True),
        ("Taint removed", [toleration(1, 1)], [taint(1)], [], 1.5, False),
        (
            "Pod with multiple tolerations are evicted when first one runs out",
            [toleration(1, 1), toleration(2, 100)],
            [],
            [taint(1), taint(2)],
            1.5,
            True,
        ),
    ],
)
def test_update_node(description, tolerations, old, new, wait, expect_delete):
    """TestUpdateNode."""
    w = World()
    w.node("node1", old)
    w.pod("pod1", "node1", tolerations)
    w.controller.start()
    w.run_for(0.1)
    w.set_taints("node1", new)
    w.run_for(wait)
    assert w.deleted("pod1") == expect_delete, description


def test_update_node_with_multiple_taints():
    """TestUpdateNodeWithMultipleTaints: forever -> 60 s -> forever, never deleted."""
    w = World()
    w.node("node1")
    forever = {"key": "testTaint1", "operator": "Exists", "effect": "NoExecute"}
    minute = {"key": "testTaint2", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60}
    w.pod("pod1", "node1", [forever, minute])
    w.controller.start()
    w.run_for(1)
    assert w.controller.scheduled() == {}
    w.set_taints("node1", [taint(1)])
    w.run_for(1)
    assert w.controller.scheduled() == {}
    w.set_taints("node1", [taint(1), taint(2)])
    w.run_for(1)
    assert w.controller.scheduled() == {"default/pod1": 62.0}
    w.set_taints("node1", [taint(1)])
    w.run_for(100)
    assert w.controller.scheduled() == {} and not w.deleted("pod1")
    assert w.events() == [("TaintManagerEviction", "Cancelling deletion of Pod default/pod1")]


@pytest.mark.parametrize(
    ("taints", "expected"),
    [
        ([taint(1)], {"pod1": 0.0, "pod2": 1.0}),  # "Pods with different toleration times are evicted appropriately"
        ([taint(1), taint(2)], {"pod1": 0.0, "pod2": 0.0, "pod3": 0.0}),  # "Evict all pods not matching all taints"
    ],
)
def test_update_node_with_multiple_pods(taints, expected):
    """TestUpdateNodeWithMultiplePods: the deletion times, exactly, on the simulated clock."""
    w = World()
    w.node("node1")
    w.pod("pod1", "node1")
    w.pod("pod2", "node1", [toleration(1, 1)])
    w.pod("pod3", "node1", [toleration(1)])
    w.controller.start()
    w.run_for(1)
    start = w.sim.now
    w.set_taints("node1", taints)
    w.run_for(10)
    log = w.cluster.events("api")
    deletions = log[(log.verb == "delete") & (log.resource == "pods")]
    assert {r.name: r.time - start for r in deletions.itertuples()} == expected


def test_eventual_consistency():
    """TestEventualConsistency: a pod the node update did not see is deleted when its own update arrives."""
    w = World()
    w.node("node1")
    w.pod("pod1", "node1")
    w.pod("pod2", tolerations=[toleration(1, 100)])
    w.controller.start()
    w.set_taints("node1", [taint(1)])
    w.run_for(1)
    assert w.deleted("pod1") and not w.deleted("pod2")
    w.api.bind("pod2", "default", "node1")
    w.run_for(101)
    assert w.deleted("pod2")


def test_events_name_the_pod():
    """TestPodDeletionEvent: reason TaintManagerEviction, a reference without uid, the component's name."""
    w = World()
    w.node("node1", [taint(1)])
    w.pod("web-1", "node1")
    w.controller.start()
    w.run_for(1)
    items, _ = w.api.list("events", "default")
    (event,) = items
    assert event["reason"] == "TaintManagerEviction" and event["type"] == "Normal"
    assert event["message"] == "Marking for deletion Pod default/web-1"
    assert event["involvedObject"] == {"kind": "Pod", "apiVersion": "v1", "namespace": "default", "name": "web-1"}
    assert event["source"] == {"component": "taint-eviction-controller"}
    pod = w.api.get("pods", "web-1", "default")
    condition = next(c for c in pod["status"]["conditions"] if c["type"] == "DisruptionTarget")
    assert condition["reason"] == "DeletionByTaintManager"
    assert condition["message"] == "Taint manager: deleting due to NoExecute taint"
    assert pod["metadata"]["deletionGracePeriodSeconds"] == 30  # a normal graceful deletion


def test_default_tolerations_give_five_minutes():
    """DefaultTolerationSeconds + this controller: an unreachable node's pods go 300 s after the taint."""
    w = World()
    w.node("node1")
    w.pod("web-1", "node1")
    w.controller.start()
    w.run_for(10)
    w.set_taints("node1", [{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}])
    w.run_for(299.9)
    assert not w.deleted("web-1")
    w.run_for(0.2)
    assert w.deleted("web-1")


def test_timed_worker_queue():
    """timed_workers.go: one worker per key; cancel; work due now runs right after the current callback."""
    sim = Simulation(0)
    done = []
    q = TimedWorkerQueue(sim, lambda ns, name, at: done.append((name, sim.now)))
    q.add_work("default", "a", 0.0, 5.0)
    q.add_work("default", "a", 0.0, 1.0)  # already there: skipped
    q.add_work("default", "b", 0.0, 0.0)
    assert q.get_worker("default/b") is None and "default/b" in q.workers
    assert q.cancel_work("default/b") is False  # already running: cannot be cancelled
    q.add_work("default", "c", 0.0, 3.0)
    assert q.cancel_work("default/c") is True
    sim.run(10)
    assert done == [("b", 0.0), ("a", 5.0)] and len(q) == 0


def test_update_pod_condition_keeps_transition_time():
    """podutil.UpdatePodCondition."""
    status = {"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "t0", "lastProbeTime": None}]}
    assert not update_pod_condition(status, {"type": "Ready", "status": "True"}, "t1")
    assert status["conditions"][0]["lastTransitionTime"] == "t0"
    assert update_pod_condition(status, {"type": "Ready", "status": "False"}, "t2")
    assert status["conditions"][0]["lastTransitionTime"] == "t2"
    assert update_pod_condition(status, {"type": "DisruptionTarget", "status": "True"}, "t3")
    assert [c["type"] for c in status["conditions"]] == ["Ready", "DisruptionTarget"]
