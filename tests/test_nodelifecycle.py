"""The node lifecycle controller (``pkg/controller/nodelifecycle``), driven by Nodes and Leases written directly.

A test plays the kubelets' part: it registers Nodes with a Ready status and renews their Leases every 10 s, and
"fails" a node by no longer renewing. Cases come from ``node_lifecycle_controller_test.go`` (TestMonitorNodeHealth's
zone states, TestMonitorNodeHealthUpdateStatus's conditions, TestApplyNoExecuteTaints, TestSwapUnreachableNotReady
Taints, TestTaintsNodeByCondition, TestReconcileNodeLabels) and ``scheduler/rate_limited_queue_test.go``.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.cluster import Cluster
from k8smodel.controllers.nodelifecycle import (
    NODE_MONITOR_GRACE_PERIOD,
    STATE_FULL_DISRUPTION,
    STATE_NORMAL,
    STATE_PARTIAL_DISRUPTION,
    NodeLifecycleController,
    RateLimitedTimedQueue,
    TokenBucket,
    compute_zone_state,
    get_zone_key,
    zone_name,
)

READY = {"type": "Ready", "status": "True"}
NOT_READY = {"type": "Ready", "status": "False"}
UNKNOWN = {"type": "Ready", "status": "Unknown"}


class Fleet:
    """Nodes and Leases written through the API server, as kubelets would, and the controller under test."""

    def __init__(self, **controller_options):
        self.cluster = Cluster(seed=0)
        self.sim, self.api = self.cluster.sim, self.cluster.api
        self.alive: dict[str, bool] = {}
        self.controller = NodeLifecycleController(self.sim, self.api, **controller_options)

    def add_node(self, name, *, zone=None, region="region1", ready="True", labels=None, status=True):
        node_labels = {"kubernetes.io/hostname": name, **(labels or {})}
        if zone is not None:
            node_labels |= {"topology.kubernetes.io/zone": zone, "topology.kubernetes.io/region": region}
        node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": node_labels}, "spec": {}}
        if status:
            stamp = self.sim.rfc3339()
            node["status"] = {
                "conditions": [
                    {
                        "type": "Ready",
                        "status": ready,
                        "reason": "KubeletReady" if ready == "True" else "KubeletNotReady",
                        "message": "kubelet is posting ready status",
                        "lastHeartbeatTime": stamp,
                        "lastTransitionTime": stamp,
                    }
                ]
            }
        self.api.create(node)
        self.alive[name] = True
        self.sim.every(10, self._renew, name)

    def _renew(self, name):
        if not self.alive.get(name):
            return
        self.api.update(
            {
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": {"name": name, "namespace": "kube-node-lease"},
                "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": self.sim.rfc3339_micro()},
            }
        )

    def post_status(self, name, status="True"):
        """What a kubelet does when its Ready condition changes (or every 5 minutes)."""
        node = self.api.get("nodes", name)
        stamp = self.sim.rfc3339()
        ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
        if ready["status"] != status:
            ready["lastTransitionTime"] = stamp
        ready.update(status=status, lastHeartbeatTime=stamp, reason="KubeletReady", message="kubelet is ready")
        self.api.update_status(node)

    def add_pod(self, name, node, ready=True, tolerations=None):
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"nodeName": node, "containers": [{"name": "c", "image": "nginx"}]},
        }
        if tolerations is not None:
            pod["spec"]["tolerations"] = tolerations
        pod = self.api.create(pod)
        if ready:
            pod["status"] = {
                **pod["status"],
                "phase": "Running",
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": self.sim.rfc3339()}],
            }
            self.api.update_status(pod)

    def node(self, name):
        return self.api.get("nodes", name)

    def ready(self, name):
        return next(c for c in self.node(name)["status"]["conditions"] if c["type"] == "Ready")

    def taints(self, name):
        return sorted((t["key"], t["effect"]) for t in self.node(name)["spec"].get("taints") or [])

    def events(self, reason=None):
        items, _ = self.api.list("events", "default")
        items.sort(key=lambda e: e["metadata"]["name"])
        out = [(e["involvedObject"]["name"], e["reason"], e["message"]) for e in items]
        return [e for e in out if reason in (None, e[1])]

    def run(self, until):
        self.sim.run(until)


# --- pure functions ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        # the zone states of TestMonitorNodeHealth's cases
        ([READY], (0, STATE_NORMAL)),
        ([UNKNOWN], (1, STATE_FULL_DISRUPTION)),
        ([UNKNOWN, UNKNOWN], (2, STATE_FULL_DISRUPTION)),
        ([None, None, None, None], (4, STATE_FULL_DISRUPTION)),  # "Nodes created recently without status"
        ([UNKNOWN, UNKNOWN, UNKNOWN, READY], (3, STATE_PARTIAL_DISRUPTION)),  # 3/4 >= 0.55
        ([UNKNOWN, UNKNOWN, UNKNOWN, READY, READY], (3, STATE_PARTIAL_DISRUPTION)),  # 3/5 = 0.6
        ([UNKNOWN, UNKNOWN, READY, READY, READY], (2, STATE_NORMAL)),
        ([UNKNOWN, UNKNOWN, READY], (2, STATE_NORMAL)),  # not more than 2 not ready: never partial
        ([UNKNOWN, NOT_READY, UNKNOWN, READY, READY, READY], (3, STATE_NORMAL)),  # 3/6 = 0.5 < 0.55
        ([], (0, STATE_NORMAL)),
    ],
)
def test_compute_zone_state(conditions, expected):
    assert compute_zone_state(conditions) == expected


def test_compute_zone_state_threshold_is_inclusive():
    """11 of 20 not ready is exactly 0.55 (in float32, as upstream compares)."""
    conditions = [UNKNOWN] * 11 + [READY] * 9
    assert compute_zone_state(conditions) == (11, STATE_PARTIAL_DISRUPTION)
    assert compute_zone_state([UNKNOWN] * 10 + [READY] * 10) == (10, STATE_NORMAL)


def test_zone_key_follows_get_zone_key():
    node = {"metadata": {"labels": {"topology.kubernetes.io/region": "r", "topology.kubernetes.io/zone": "z"}}}
    assert get_zone_key(node) == "r:\x00:z" and zone_name(get_zone_key(node)) == "r/z"
    assert get_zone_key({"metadata": {}}) == ""
    labels = {"failure-domain.beta.kubernetes.io/zone": "old", "topology.kubernetes.io/zone": "z"}
    beta = {"metadata": {"labels": labels}}
    assert get_zone_key(beta) == ":\x00:old"  # the deprecated labels win, as upstream


# --- the rate-limited timed queue (rate_limited_queue_test.go) ---------------------------------------------------


def _queue(*values):
    q = RateLimitedTimedQueue(TokenBucket(math.inf))
    for i, v in enumerate(values):
        q.add(v, str(i), float(i))
    return q


def test_add_node():
    """TestAddNode."""
    q = _queue("first", "second", "third")
    assert q.values() == ["first", "second", "third"] and len(q) == 3


@pytest.mark.parametrize(
    ("removed", "left"),
    [("first", ["second", "third"]), ("second", ["first", "third"]), ("third", ["first", "second"])],
)
def test_del_node(removed, left):
    """TestDelNode."""
    q = _queue("first", "second", "third")
    q.remove(removed)
    assert q.values() == left and removed not in q


def test_try_and_add_after_try():
    """TestTry and TestAddAfterTry: a processed value stays known and is not added again until removed."""
    q = _queue("first", "second", "third")
    q.remove("second")
    done = []
    q.try_(lambda v: (done.append(v.value) or True, 0.0), 10.0)
    assert done == ["first", "third"] and len(q) == 0
    assert q.add("first", "1", 11.0) is False
    q.try_(lambda v: pytest.fail("processed twice"), 12.0)
    q.remove("first")
    assert q.add("first", "1", 13.0) is True


def test_try_ordering():
    """TestTryOrdering: a value that asks to be retried goes back by its wait and the others go first."""
    q = _queue("first", "second", "third")
    order = []

    def fn(v):
        if v.value == "second" and v.process_at == v.added_at:  # only the first time
            return False, 0.002
        order.append(v.value)
        return True, 0.0

    q.try_(fn, 3.0)
    assert order == ["first", "third"] and q.values() == ["second"]
    q.try_(fn, 3.003)
    assert order == ["first", "third", "second"]


def test_clear_and_swap_limiter():
    """TestClear and TestSwapLimiter."""
    q = _queue("first", "second")
    q.clear()
    assert len(q) == 0 and "first" not in q
    q.swap_limiter(0.0, 0.0)
    assert q.limiter.qps == 0.0 and not q.limiter.try_accept(0.0)
    q.swap_limiter(5.5, 0.0)
    assert q.limiter.qps == 5.5


def test_token_bucket_burst_one():
    """flowcontrol's token bucket (qps 0.1, burst 1): full at start, then one token every 10 s."""
    bucket = TokenBucket(0.1)
    assert bucket.try_accept(0.0) and not bucket.try_accept(0.0)
    assert not bucket.try_accept(9.9) and bucket.next_token_at(9.9) == pytest.approx(10.0)
    assert bucket.try_accept(10.0) and not bucket.try_accept(19.99)
    assert bucket.try_accept(20.0)


def test_swap_limiter_drains_the_new_bucket_when_the_old_was_empty():
    """SwapLimiter: "If we're currently waiting on limiter, we drain the new one"."""
    q = RateLimitedTimedQueue(TokenBucket(0.1))
    assert q.limiter.try_accept(0.0)
    q.swap_limiter(0.01, 1.0)
    assert not q.limiter.try_accept(1.0)
    assert q.limiter.next_token_at(1.0) == pytest.approx(101.0)


# --- the controller --------------------------------------------------------------------------------------------


def test_ready_nodes_stay_ready_and_register():
    fleet = Fleet()
    fleet.add_node("node-1")
    fleet.controller.start()
    fleet.run(600)
    assert fleet.ready("node-1")["status"] == "True"
    assert fleet.taints("node-1") == []
    assert fleet.events() == [("node-1", "RegisteredNode", "Node node-1 event: Registered Node node-1 in Controller")]
    assert fleet.controller.zone_states == {"": STATE_NORMAL}


def test_silent_node_becomes_unknown_after_the_grace_period():
    """TestMonitorNodeHealthUpdateStatus: every condition to Unknown with upstream's reasons and messages."""
    fleet = Fleet()
    fleet.add_node("node-1")
    fleet.controller.start()
    fleet.run(100)  # the Lease is renewed at t = 100 and seen by the monitor pass at t = 100
    fleet.alive["node-1"] = False
    fleet.run(150)
    assert fleet.ready("node-1")["status"] == "True"  # 50 s of silence is not yet more than the grace period
    fleet.run(155)
    conditions = {c["type"]: c for c in fleet.node("node-1")["status"]["conditions"]}
    assert conditions["Ready"] | {} == {
        "type": "Ready",
        "status": "Unknown",
        "reason": "NodeStatusUnknown",
        "message": "Kubelet stopped posting node status.",
        "lastHeartbeatTime": "2026-01-01T00:00:00Z",
        "lastTransitionTime": "2026-01-01T00:02:35Z",
    }
    for kind in ("MemoryPressure", "DiskPressure", "PIDPressure"):
        assert conditions[kind]["status"] == "Unknown"
        assert conditions[kind]["reason"] == "NodeStatusNeverUpdated"
        assert conditions[kind]["message"] == "Kubelet never posted node status."
    assert "NetworkUnavailable" not in conditions
    assert ("node-1", "NodeNotReady", "Node node-1 status is now: NodeNotReady") in fleet.events()
    assert NODE_MONITOR_GRACE_PERIOD == 50.0


def test_grace_period_is_a_parameter_and_startup_grace_is_60s():
    """A Node whose kubelet never posted status gets --node-startup-grace-period (60 s) from its creation."""
    fleet = Fleet(node_monitor_grace_period=40.0)
    fleet.add_node("old", status=True)
    fleet.add_node("never", status=False)
    fleet.alive["never"] = False
    fleet.alive["old"] = False
    fleet.controller.start()
    fleet.run(40)
    assert fleet.ready("old")["status"] == "True"
    fleet.run(45)
    assert fleet.ready("old")["status"] == "Unknown"  # 40 s grace (the default before v1.32)
    assert get_ready(fleet.node("never")) is None
    fleet.run(65)
    ready = get_ready(fleet.node("never"))
    assert ready["status"] == "Unknown" and ready["reason"] == "NodeStatusNeverUpdated"
    assert ready["lastHeartbeatTime"] == fleet.node("never")["metadata"]["creationTimestamp"]


def get_ready(node):
    return next((c for c in (node.get("status") or {}).get("conditions") or [] if c["type"] == "Ready"), None)


def test_lease_alone_keeps_a_node_healthy():
    """ "If kubelet never posted the node status, but continues renewing the heartbeat leases, the node
    controller will assume the node is healthy and take no action" (tryUpdateNodeHealth)."""
    fleet = Fleet()
    fleet.add_node("node-1")
    fleet.controller.start()
    fleet.run(3600)
    assert fleet.ready("node-1")["status"] == "True"


def test_unreachable_node_is_tainted_and_its_pods_marked_not_ready():
    """TestApplyNoExecuteTaints (unreachable) and MarkPodsNotReady."""
    fleet = Fleet()
    fleet.add_node("node-1")
    fleet.add_node("node-2")
    fleet.add_pod("web-1", "node-1")
    fleet.controller.start()
    fleet.run(100)
    fleet.alive["node-1"] = False
    fleet.run(155)
    pod = fleet.api.get("pods", "web-1", "default")
    ready = next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "False" and ready["lastTransitionTime"] == "2026-01-01T00:02:35Z"
    assert ("web-1", "NodeNotReady", "Node is not ready") in fleet.events()
    fleet.run(155.5)
    # The NoSchedule taint follows the condition at once (taint nodes by condition) ...
    assert fleet.taints("node-1") == [("node.kubernetes.io/unreachable", "NoSchedule")]
    # ... the NoExecute one comes from the next monitor pass (it looks at the observed condition) through the
    # tainting queue, at the next 100 ms tick.
    fleet.run(160)
    assert ("node.kubernetes.io/unreachable", "NoExecute") not in fleet.taints("node-1")
    fleet.run(160.1)
    assert fleet.taints("node-1") == [
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoSchedule"),
    ]
    taint = next(t for t in fleet.node("node-1")["spec"]["taints"] if t["effect"] == "NoExecute")
    assert taint["timeAdded"] == "2026-01-01T00:02:40Z"
    assert fleet.taints("node-2") == []


def test_node_back_loses_its_taints():
    """markNodeAsReachable: a Ready node loses both NoExecute taints; the NoSchedule one follows the condition."""
    fleet = Fleet()
    fleet.add_node("node-1")
    fleet.add_node("node-2")  # with a single node, its zone (and so every zone) would be fully disrupted
    fleet.controller.start()
    fleet.run(100)
    fleet.alive["node-1"] = False
    fleet.run(200)
    assert ("node.kubernetes.io/unreachable", "NoExecute") in fleet.taints("node-1")
    fleet.alive["node-1"] = True
    fleet.post_status("node-1")
    fleet.run(210)
    assert fleet.ready("node-1")["status"] == "True"
    assert fleet.taints("node-1") == []


def test_not_ready_node_gets_the_not_ready_taint_and_swaps_it():
    """TestSwapUnreachableNotReadyTaints: NotReady gives not-ready; Unknown swaps it for unreachable at once."""
    fleet = Fleet()
    fleet.add_node("node-1")
    fleet.add_node("node-2")
    fleet.controller.start()
    fleet.run(30)
    fleet.post_status("node-1", "False")  # the kubelet reports NotReady but keeps its Lease
    fleet.run(40)
    assert fleet.taints("node-1") == [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/not-ready", "NoSchedule"),
    ]
    assert fleet.ready("node-1")["status"] == "False"  # the kubelet's word: the controller does not touch it
    fleet.alive["node-1"] = False
    fleet.run(100)
    assert fleet.ready("node-1")["status"] == "Unknown"
    fleet.run(106)
    assert fleet.taints("node-1") == [
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoSchedule"),
    ]


def test_cordon_gives_the_unschedulable_taint():
    """TestTaintsNodeByCondition: spec.unschedulable <-> node.kubernetes.io/unschedulable:NoSchedule."""
    fleet = Fleet()
    fleet.add_node("node-1")
    fleet.controller.start()
    fleet.api.patch("nodes", "node-1", None, {"spec": {"unschedulable": True}})
    fleet.run(1)
    assert fleet.taints("node-1") == [("node.kubernetes.io/unschedulable", "NoSchedule")]
    fleet.api.patch("nodes", "node-1", None, {"spec": {"unschedulable": None}})
    fleet.run(2)
    assert fleet.taints("node-1") == []


def test_pressure_conditions_give_their_taints():
    """TestTaintsNodeByCondition: MemoryPressure/DiskPressure/PIDPressure/NetworkUnavailable=True."""
    fleet = Fleet()
    fleet.add_node("node-1")
    fleet.controller.start()
    node = fleet.node("node-1")
    stamp = fleet.sim.rfc3339()
    for kind in ("MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"):
        node["status"]["conditions"].append(
            {"type": kind, "status": "True", "lastHeartbeatTime": stamp, "lastTransitionTime": stamp}
        )
    fleet.api.update_status(node)
    fleet.run(1)
    assert fleet.taints("node-1") == sorted(
        (f"node.kubernetes.io/{key}", "NoSchedule")
        for key in ("memory-pressure", "disk-pressure", "pid-pressure", "network-unavailable")
    )


def test_beta_labels_are_reconciled():
    """TestReconcileNodeLabels: the beta os/arch labels are added and follow the stable ones."""
    fleet = Fleet()
    fleet.add_node("node-1", labels={"kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"})
    fleet.controller.start()
    fleet.run(1)
    labels = fleet.node("node-1")["metadata"]["labels"]
    assert labels["beta.kubernetes.io/os"] == "linux" and labels["beta.kubernetes.io/arch"] == "amd64"


def test_taints_in_one_zone_come_one_every_ten_seconds():
    """--node-eviction-rate 0.1: in a healthy zone, one node is tainted every 10 s (burst 1)."""
    fleet = Fleet()
    for i in range(10):
        fleet.add_node(f"node-{i}", zone="a")
    fleet.controller.start()
    fleet.run(100)
    for i in range(2):
        fleet.alive[f"node-{i}"] = False
    times = {}
    for step in range(1600, 2200):
        fleet.run(step / 10)
        for i in range(2):
            if f"node-{i}" not in times and ("node.kubernetes.io/unreachable", "NoExecute") in fleet.taints(
                f"node-{i}"
            ):
                times[f"node-{i}"] = fleet.sim.now
    assert fleet.controller.zone_states == {"region1:\x00:a": STATE_NORMAL}  # 2 of 10 down
    assert times["node-0"] == pytest.approx(160.1)
    assert times["node-1"] == pytest.approx(170.1)


def test_partial_disruption_in_a_small_zone_stops_tainting():
    """ReducedQPSFunc: a zone of <= 50 nodes in PartialDisruption gets no NoExecute taints at all."""
    fleet = Fleet()
    for i in range(5):
        fleet.add_node(f"node-{i}", zone="a")
    fleet.add_node("other", zone="b")
    fleet.controller.start()
    fleet.run(100)
    for i in range(3):  # 3 of 5: 0.6 >= 0.55
        fleet.alive[f"node-{i}"] = False
    fleet.run(1000)
    assert fleet.controller.zone_states == {"region1:\x00:a": STATE_PARTIAL_DISRUPTION, "region1:\x00:b": STATE_NORMAL}
    for i in range(3):
        assert fleet.ready(f"node-{i}")["status"] == "Unknown"
        assert ("node.kubernetes.io/unreachable", "NoExecute") not in fleet.taints(f"node-{i}")


def test_full_disruption_of_every_zone_stops_tainting_and_removes_taints():
    """handleDisruption: every zone fully disrupted means the control plane is cut off; no taints."""
    fleet = Fleet()
    fleet.add_node("a-1", zone="a")
    fleet.add_node("b-1", zone="b")
    fleet.controller.start()
    fleet.run(100)
    fleet.alive["a-1"] = False
    fleet.run(300)
    assert ("node.kubernetes.io/unreachable", "NoExecute") in fleet.taints("a-1")  # zone a down, zone b fine
    assert fleet.controller.zone_states["region1:\x00:a"] == STATE_FULL_DISRUPTION
    fleet.alive["b-1"] = False
    fleet.run(600)
    assert set(fleet.controller.zone_states.values()) == {STATE_FULL_DISRUPTION}
    assert ("node.kubernetes.io/unreachable", "NoExecute") not in fleet.taints("a-1")
    assert ("node.kubernetes.io/unreachable", "NoExecute") not in fleet.taints("b-1")
    # One node comes back: out of the disruption mode, every node gets a fresh grace period.
    fleet.alive["b-1"] = True
    fleet.post_status("b-1")
    fleet.run(606)
    assert fleet.controller.zone_states["region1:\x00:b"] == STATE_NORMAL
    fleet.run(610)
    assert ("node.kubernetes.io/unreachable", "NoExecute") not in fleet.taints("a-1")
    fleet.run(700)
    assert ("node.kubernetes.io/unreachable", "NoExecute") in fleet.taints("a-1")


def test_excluded_nodes_do_not_count_for_zones():
    """node.kubernetes.io/exclude-disruption keeps a node out of the zone states."""
    fleet = Fleet()
    fleet.add_node("node-1", zone="a")
    fleet.add_node("ctl", zone="b", labels={"node.kubernetes.io/exclude-disruption": ""})
    fleet.controller.start()
    fleet.run(10)
    assert fleet.controller.zone_states["region1:\x00:a"] == STATE_NORMAL
    # Zone b got an evictor (addPodEvictorForNewZone) but is never counted: handleDisruption gives it the zero
    # value of ZoneState ("" , newZoneStates[k] of a missing key), as upstream does.
    assert fleet.controller.zone_states["region1:\x00:b"] == ""


def test_single_node_cluster_is_never_tainted():
    """One node, one zone: when it dies every zone is fully disrupted, so the controller blames itself."""
    fleet = Fleet()
    fleet.add_node("node-1")
    fleet.controller.start()
    fleet.run(100)
    fleet.alive["node-1"] = False
    fleet.run(1000)
    assert fleet.ready("node-1")["status"] == "Unknown"
    assert fleet.taints("node-1") == [("node.kubernetes.io/unreachable", "NoSchedule")]
    assert fleet.controller.zone_states == {"": STATE_FULL_DISRUPTION}


def test_pod_assigned_to_a_not_ready_node_is_marked_not_ready():
    """processPod: a Pod bound to a Node that is not Ready gets Ready=False."""
    fleet = Fleet()
    fleet.add_node("node-1")
    fleet.controller.start()
    fleet.run(100)
    fleet.alive["node-1"] = False
    fleet.run(200)
    fleet.add_pod("late", "node-1")
    fleet.run(201)
    pod = fleet.api.get("pods", "late", "default")
    assert next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")["status"] == "False"


def test_removed_node_is_reported():
    fleet = Fleet()
    fleet.add_node("node-1")
    fleet.controller.start()
    fleet.run(10)
    fleet.alive["node-1"] = False
    fleet.api.delete("nodes", "node-1")
    fleet.run(20)
    assert ("node-1", "RemovingNode", "Node node-1 event: Removing Node node-1 from Controller") in fleet.events()
    assert "node-1" not in fleet.controller.known_nodes


def test_a_quiet_cluster_writes_nothing():
    """Heartbeats are read, not written: healthy nodes cost the controller no API writes after start-up."""
    fleet = Fleet()
    for i in range(3):
        fleet.add_node(f"node-{i}", labels={"kubernetes.io/os": "linux"})
    fleet.controller.start()
    fleet.run(10)
    before = fleet.cluster.events("api")
    fleet.run(1000)
    after = fleet.cluster.events("api")
    writers = set(after.iloc[len(before) :].user)
    assert writers == {"kubernetes-admin"}  # only the test's lease renewals


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["True", "False", "Unknown", None]), max_size=30), st.floats(0.05, 1.0))
def test_zone_state_properties(statuses, threshold):
    """Full disruption <=> no ready node; partial needs more than 2 not ready at or above the threshold."""
    conditions = [None if s is None else {"type": "Ready", "status": s} for s in statuses]
    unhealthy, state = compute_zone_state(conditions, threshold)
    ready = sum(s == "True" for s in statuses)
    assert unhealthy == len(statuses) - ready
    assert (state == STATE_FULL_DISRUPTION) == (ready == 0 and unhealthy > 0)
    if state == STATE_PARTIAL_DISRUPTION:
        assert unhealthy > 2 and unhealthy / len(statuses) >= threshold - 1e-6


def test_partial_disruption_in_a_large_zone_taints_at_the_secondary_rate():
    """ReducedQPSFunc: a zone of more than 50 nodes in PartialDisruption is tainted at 0.01/s, one node per 100 s."""
    fleet = Fleet()
    for i in range(60):
        fleet.add_node(f"a-{i:02d}", zone="a")
    fleet.add_node("b-1", zone="b")
    fleet.controller.start()
    fleet.run(100)
    for i in range(40):  # 40 of 60: 0.67 >= 0.55
        fleet.alive[f"a-{i:02d}"] = False
    fleet.run(156)
    assert fleet.controller.zone_states["region1:\x00:a"] == STATE_PARTIAL_DISRUPTION
    fleet.run(500)
    tainted = {}
    for i in range(40):
        node = fleet.node(f"a-{i:02d}")
        for t in node["spec"].get("taints") or []:
            if t["effect"] == "NoExecute":
                tainted[node["metadata"]["name"]] = t["timeAdded"]
    assert sorted(tainted.values()) == [
        "2026-01-01T00:02:40Z",  # 160.1 s: the bucket swapped at 155 s started full
        "2026-01-01T00:04:20Z",  # 260.1 s
        "2026-01-01T00:06:00Z",  # 360.1 s
        "2026-01-01T00:07:40Z",  # 460.1 s
    ]
