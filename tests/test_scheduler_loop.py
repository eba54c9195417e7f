"""The scheduler component end to end: informers, queue, framework, binding, Events, conditions, preemption.

Behaviour checked against ``pkg/scheduler/schedule_one.go`` (``ScheduleOne``, ``handleSchedulingFailure``,
``finishBinding``'s Event, ``handleBindingCycleError``), ``pkg/scheduler/eventhandlers.go`` (which events requeue
which Pods), ``pkg/scheduler/framework/preemption/preemption.go`` (``prepareCandidate``) and the queue's timers
(``scheduling_queue.go``); ``schedule_one_test.go``'s TestSchedulerScheduleOne gives the shape of the cases (a Pod
bound, an error from Bind, a Pod being deleted).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8smodel.api.errors import StatusError
from k8smodel.apiserver import APIServer
from k8smodel.apiserver.admission import system_priority_classes
from k8smodel.scheduler.scheduler import Scheduler, truncate_message, update_pod_condition
from k8smodel.sim import Simulation


def node(name, cpu="2", memory="4Gi", pods="110", labels=None, taints=None, unschedulable=False):
    obj = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, **(labels or {})}},
        "spec": {},
        "status": {
            "capacity": {"cpu": cpu, "memory": memory, "pods": pods},
            "allocatable": {"cpu": cpu, "memory": memory, "pods": pods},
            "conditions": [{"type": "Ready", "status": "True"}],
        },
    }
    if taints:
        obj["spec"]["taints"] = taints
    if unschedulable:
        obj["spec"]["unschedulable"] = True
    return obj


def priority_class(name, value, **fields):
    meta = {"name": name}
    return {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": meta, "value": value, **fields}


def pod(name, cpu="100m", namespace="default", **spec):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"containers": [{"name": "app", "image": "nginx", "resources": {"requests": {"cpu": cpu}}}], **spec},
    }


class World:
    """A simulation with an API server and a started scheduler (no kubelet: Pods stay Pending once bound)."""

    def __init__(self, seed=0, nodes=(), **scheduler_kwargs):
        self.sim = Simulation(seed=seed)
        self.api = APIServer(self.sim)
        names = {o["metadata"]["name"] for o in self.api.list("priorityclasses")[0]}
        for obj in system_priority_classes():
            if obj["metadata"]["name"] not in names:
                self.api.create(obj)
        for n in nodes:
            self.add_node(n)
        self.scheduler = Scheduler(self.sim, self.api, **scheduler_kwargs)
        self.scheduler.start()

    def add_node(self, obj):
        """Create a Ready Node: the TaintNodesByCondition admission plugin adds the not-ready NoSchedule taint, and
        the node lifecycle controller (not running here) would remove it on seeing the node Ready; do that."""
        created = self.api.create(obj)
        created["spec"]["taints"] = (obj.get("spec") or {}).get("taints") or []
        if not created["spec"]["taints"]:
            del created["spec"]["taints"]
        return self.api.update(created)

    def run(self, until):
        self.sim.run(until=until)

    def get(self, name, namespace="default"):
        return self.api.get("pods", name, namespace)

    def events(self, reason=None, name=None):
        items = self.api.list("events")[0]
        return [
            e
            for e in items
            if (reason is None or e["reason"] == reason) and (name is None or e["involvedObject"]["name"] == name)
        ]

    def condition(self, name, type_="PodScheduled"):
        for c in (self.get(name).get("status") or {}).get("conditions") or []:
            if c["type"] == type_:
                return c
        return None

    def bound_at(self, name):
        """The simulated time of the Pod's binding (from the API server's write log)."""
        log = self.sim.events("api")
        rows = log[(log["resource"] == "pods/binding") & (log["name"] == name) & (log["code"] == 201)]
        return float(rows["time"].iloc[0]) if len(rows) else None

    def kubelet_finishes_deletions(self):
        """A stand-in for the kubelet: Pods being deleted (deletionTimestamp set) are removed at once."""
        for p in self.api.list("pods")[0]:
            if p["metadata"].get("deletionTimestamp"):
                self.api.delete("pods", p["metadata"]["name"], p["metadata"]["namespace"], grace_period_seconds=0)


# --- a Pod bound ---------------------------------------------------------------------------------------------------


def test_pod_is_bound_with_a_scheduled_event():
    w = World(nodes=[node("node-1")])
    w.api.create(pod("web-1"))
    w.run(1)
    bound = w.get("web-1")
    assert bound["spec"]["nodeName"] == "node-1"
    assert w.condition("web-1")["status"] == "True"
    [event] = w.events("Scheduled")
    assert event["type"] == "Normal"
    assert event["message"] == "Successfully assigned default/web-1 to node-1"
    assert event["source"]["component"] == "default-scheduler"
    assert event["involvedObject"]["name"] == "web-1" and event["involvedObject"]["kind"] == "Pod"
    assert w.bound_at("web-1") == 0.0  # a scheduling cycle takes no simulated time
    assert w.scheduler.scheduled == 1
    assert w.scheduler.cache.get_pod(bound) is not None and not w.scheduler.cache.is_assumed(bound)


def test_pods_fill_the_nodes_they_fit_and_pods_of_other_schedulers_are_ignored():
    w = World(nodes=[node("node-1", cpu="1"), node("node-2", cpu="1")])
    for i in range(4):
        w.api.create(pod(f"web-{i}", cpu="500m"))
    w.api.create(pod("other", schedulerName="my-scheduler"))
    w.run(1)
    placed = [w.get(f"web-{i}")["spec"].get("nodeName") for i in range(4)]
    assert sorted(placed) == ["node-1", "node-1", "node-2", "node-2"]
    assert "nodeName" not in w.get("other")["spec"]
    assert w.events(name="other") == []


# --- an unschedulable Pod ------------------------------------------------------------------------------------------


def test_unschedulable_pod_gets_condition_and_failed_scheduling_event():
    w = World(nodes=[node("node-1"), node("node-2")])
    w.api.create(pod("big", cpu="3"))
    w.run(1)
    cond = w.condition("big")
    assert (cond["status"], cond["reason"]) == ("False", "Unschedulable")
    assert cond["message"].startswith("0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are")
    [event] = w.events("FailedScheduling", "big")
    assert event["type"] == "Warning"
    assert event["message"] == cond["message"]
    assert event["source"]["component"] == "default-scheduler"
    assert "nodeName" not in w.get("big")["spec"]
    assert w.scheduler.pending()["unschedulable"] == ["default/big"]


def test_fully_tainted_cluster_and_missing_node_in_selector():
    taint = [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]
    w = World(nodes=[node("node-1", taints=taint), node("node-2", taints=taint)])
    w.api.create(pod("plain"))
    w.run(1)
    assert w.condition("plain")["message"] == (
        "0/2 nodes are available: 2 node(s) had untolerated taint(s). preemption: 0/2 nodes are available: "
        "2 Preemption is not helpful for scheduling."
    )
    w = World(nodes=[node("node-1"), node("node-2")])
    w.api.create(pod("picky", nodeSelector={"kubernetes.io/hostname": "ghost"}))
    w.run(1)
    assert w.condition("picky")["message"].startswith(
        "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector."
    )


def test_pod_naming_a_missing_node_stays_pending():
    """A Pod with ``spec.nodeName`` is assigned: the scheduler never schedules it, only counts it in its cache
    (under a Node it does not know). It stays Pending (no kubelet will run it); nothing raises."""
    w = World(nodes=[node("node-1")])
    ghost = w.api.create(pod("pinned", nodeName="ghost"))
    w.run(5)
    assert w.get("pinned")["spec"]["nodeName"] == "ghost"
    assert w.get("pinned")["status"]["phase"] == "Pending"
    assert w.events(name="pinned") == []
    assert w.scheduler.cache.get_pod(ghost) is not None
    assert w.scheduler.cache.snapshot().names == ["node-1"]


def test_no_nodes_at_all():
    w = World()
    w.api.create(pod("lonely"))
    w.run(1)
    assert w.condition("lonely")["message"] == "no nodes available to schedule pods"
    assert w.condition("lonely")["reason"] == "Unschedulable"


# --- retries ---------------------------------------------------------------------------------------------------------


def test_retry_when_a_node_is_added():
    """A Pod rejected by NodeResourcesFit waits in the unschedulable pool until a Node is added (NodeAdd is one of
    the events NodeResourcesFit registers), then is scheduled at once (its 1 s back-off is over)."""
    w = World(nodes=[node("node-1", cpu="1")])
    w.api.create(pod("big", cpu="2"))
    w.run(5)
    assert w.scheduler.queue.where("big") == "Unschedulable"
    w.add_node(node("node-2", cpu="4"))
    w.run(6)
    assert w.get("big")["spec"]["nodeName"] == "node-2"
    assert w.bound_at("big") == 5.0
    assert w.condition("big")["status"] == "True"


def test_backoff_timing_after_a_helpful_event():
    """The same, but the Node comes while the Pod still backs off (1 s after its first attempt): it waits in
    backoffQ and the flush that runs every second moves it at t = 1 s."""
    w = World(nodes=[node("node-1", cpu="1")])
    w.api.create(pod("big", cpu="2"))
    w.run(0.25)
    w.add_node(node("node-2", cpu="4"))
    assert w.scheduler.queue.where("big") == "Backoff"
    w.run(0.9)
    assert "nodeName" not in w.get("big")["spec"]
    w.run(2)
    assert w.bound_at("big") == 1.0


def test_unschedulable_pods_are_retried_after_five_minutes():
    """No event helps: the Pod is retried when flushUnschedulablePodsLeftover (every 30 s) finds it waited longer
    than 5 minutes, at t = 330 s; the FailedScheduling Event is counted, not written again."""
    w = World(nodes=[node("node-1", cpu="1")])
    w.api.create(pod("big", cpu="2"))
    w.run(329)
    assert w.scheduler.attempts == 1
    w.run(331)
    assert w.scheduler.attempts == 2
    [event] = w.events("FailedScheduling", "big")
    assert event["count"] == 2


def test_binding_error_retries_after_backoff(monkeypatch):
    """handleBindingCycleError: the assumed Pod is forgotten; the Pod gets reason SchedulerError and is retried
    after its back-off (no plugin rejected it)."""
    w = World(nodes=[node("node-1")])
    real_bind = w.api.bind
    calls = []

    def flaky_bind(*args, **kwargs):
        calls.append(w.sim.now)
        if len(calls) == 1:
            raise StatusError(500, "InternalError", "etcdserver: request timed out")
        return real_bind(*args, **kwargs)

    monkeypatch.setattr(w.api, "bind", flaky_bind)
    w.api.create(pod("web-1"))
    w.run(0.5)
    cond = w.condition("web-1")
    assert cond["reason"] == "SchedulerError"
    assert cond["message"] == 'running Bind plugin "DefaultBinder": etcdserver: request timed out'
    assert w.scheduler.cache.pod_count == 0  # forgotten
    assert w.scheduler.queue.where("web-1") == "Backoff"
    w.run(2)
    assert calls == [0.0, 1.0]
    assert w.get("web-1")["spec"]["nodeName"] == "node-1"


def test_scheduling_gates_hold_a_pod_until_removed():
    w = World(nodes=[node("node-1")])
    w.api.create(pod("gated", schedulingGates=[{"name": "example.com/wait"}]))
    w.run(1)
    assert "nodeName" not in w.get("gated")["spec"]
    assert w.condition("gated")["reason"] == "SchedulingGated"
    assert w.events(name="gated") == []
    current = w.get("gated")
    current["spec"]["schedulingGates"] = []
    w.api.update(current)
    w.run(2)
    assert w.get("gated")["spec"]["nodeName"] == "node-1"


def test_deleted_pending_pod_leaves_the_queue():
    w = World(nodes=[node("node-1", cpu="1")])
    w.api.create(pod("big", cpu="2"))
    w.run(1)
    w.api.delete("pods", "big", "default")
    assert w.scheduler.queue.where("big") == ""
    w.run(400)
    assert w.scheduler.attempts == 1


# --- preemption ----------------------------------------------------------------------------------------------------


def test_preemption_end_to_end():
    """A high-priority Pod that fits nowhere evicts a lower-priority one: the victim gets DisruptionTarget and is
    deleted (gracefully), with a Preempted Event; the preemptor is nominated to the Node; once the victim is gone
    (the kubelet's part, played here) the preemptor is bound there."""
    w = World(nodes=[node("node-1", cpu="2")])
    w.api.create(priority_class("low", 10))
    w.api.create(priority_class("high", 1000))
    w.api.create(pod("victim", cpu="1500m", priorityClassName="low"))
    w.run(1)
    assert w.get("victim")["spec"]["nodeName"] == "node-1"
    preemptor = w.api.create(pod("vip", cpu="1", priorityClassName="high"))
    w.run(2)
    victim = w.get("victim")
    assert victim["metadata"].get("deletionTimestamp")  # graceful: the kubelet has to stop it
    disruption = [c for c in victim["status"]["conditions"] if c["type"] == "DisruptionTarget"]
    assert disruption and disruption[0]["reason"] == "PreemptionByScheduler"
    assert disruption[0]["message"] == "default-scheduler: preempting to accommodate a higher priority pod"
    [preempted] = w.events("Preempted", "victim")
    assert preempted["message"] == f"Preempted by pod {preemptor['metadata']['uid']} on node node-1"
    vip = w.get("vip")
    assert vip["status"]["nominatedNodeName"] == "node-1"
    assert "nodeName" not in vip["spec"]
    assert w.events("FailedScheduling", "vip")
    w.kubelet_finishes_deletions()
    w.run(20)
    assert w.get("vip")["spec"]["nodeName"] == "node-1"
    assert not w.scheduler.errors and not w.scheduler.cache.errors


def test_preemption_never_policy_does_not_preempt():
    w = World(nodes=[node("node-1", cpu="2")])
    w.api.create(priority_class("low", 10))
    w.api.create(priority_class("polite", 1000, preemptionPolicy="Never"))
    w.api.create(pod("victim", cpu="1500m", priorityClassName="low"))
    w.run(1)
    w.api.create(pod("polite", cpu="1", priorityClassName="polite"))
    w.run(2)
    assert not w.get("victim")["metadata"].get("deletionTimestamp")
    assert "nominatedNodeName" not in (w.get("polite").get("status") or {})
    assert w.events("Preempted") == []


# --- determinism and explanations ----------------------------------------------------------------------------------


def _scenario(seed):
    w = World(seed=seed, nodes=[node(f"node-{i}", cpu="4") for i in range(5)])
    for i in range(12):
        w.api.create(pod(f"web-{i}", cpu="300m"))
    w.run(3)
    return [w.get(f"web-{i}")["spec"].get("nodeName") for i in range(12)], w.sim.events()


def test_same_seed_same_run():
    placements_a, log_a = _scenario(7)
    placements_b, log_b = _scenario(7)
    assert placements_a == placements_b
    assert log_a.equals(log_b)


def test_explanations_are_recorded_only_when_asked():
    w = World(nodes=[node("node-1"), node("node-2")])
    w.api.create(pod("web-1"))
    w.run(1)
    assert w.scheduler.explanations == type(w.scheduler.explanations)() and w.scheduler.explain("web-1") is None
    w2 = World(nodes=[node("node-1"), node("node-2")], record_explanations=True, max_explanations=2)
    for i in range(3):
        w2.api.create(pod(f"web-{i}"))
    w2.run(1)
    assert len(w2.scheduler.explanations) == 2
    assert w2.scheduler.explain("web-0") is None  # fell off the end
    explanation = w2.scheduler.explain("web-2")
    assert explanation.selected_node == w2.get("web-2")["spec"]["nodeName"]
    assert set(explanation.summary().index) == {"node-1", "node-2"}
    assert w2.scheduler.explain("default/web-1") is w2.scheduler.explain("web-1")
    w2.api.create(pod("big", cpu="5"))
    w2.run(2)
    assert w2.scheduler.explain("big").verdict("node-1") == "Insufficient cpu"


# --- helpers -----------------------------------------------------------------------------------------------------


def test_truncate_message():
    """truncateMessage: NoteLengthLimit is 1024."""
    assert truncate_message("x" * 1024) == "x" * 1024
    long = truncate_message("x" * 2000)
    assert len(long) == 1024 and long.endswith(" ...")


def test_update_pod_condition_keeps_transition_time_and_reports_changes():
    """podutil.UpdatePodCondition."""
    status = {}
    cond = {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "m1"}
    changed, conditions = update_pod_condition(status, cond, "2026-01-01T00:00:00Z")
    assert changed and conditions[0]["lastTransitionTime"] == "2026-01-01T00:00:00Z"
    status = {"conditions": conditions}
    changed, _ = update_pod_condition(status, cond, "2026-01-01T00:01:00Z")
    assert not changed
    changed, conditions = update_pod_condition(status, {**cond, "message": "m2"}, "2026-01-01T00:01:00Z")
    assert changed and conditions[0]["lastTransitionTime"] == "2026-01-01T00:00:00Z"


BAD_PLUGIN = {"profiles": [{"plugins": {"score": {"enabled": [{"name": "Nope"}]}}}]}


@pytest.mark.parametrize("bad", ["not yaml: [", BAD_PLUGIN])
def test_bad_configuration_is_rejected_at_construction(bad):
    with pytest.raises(ValueError):
        World(config=bad)


# --- property: the loop never over-commits a Node -------------------------------------------------------------------

_nodes = st.lists(st.tuples(st.integers(1, 4), st.integers(1, 8)), min_size=1, max_size=5)
_pods = st.lists(st.tuples(st.integers(1, 20), st.integers(1, 16)), min_size=1, max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_nodes, _pods, st.integers(0, 3))
def test_no_node_is_over_committed_and_every_pod_is_accounted_for(nodes, pods, seed):
    """Whatever the Nodes and Pods, after the scheduler ran: no Node's bound Pods request more than it has (the
    cache's *assumed* Pods count at once, so successive Pods see the room taken), every bound Pod has its Scheduled
    Event, and every other Pod carries PodScheduled=False with a message."""
    w = World(seed=seed, nodes=[node(f"n{i}", cpu=str(c), memory=f"{m}Gi") for i, (c, m) in enumerate(nodes)])
    for i, (cpu, mem) in enumerate(pods):
        p = pod(f"p{i}", cpu=f"{cpu * 100}m")
        p["spec"]["containers"][0]["resources"]["requests"]["memory"] = f"{mem * 256}Mi"
        w.api.create(p)
    w.run(2)
    used: dict[str, list[int]] = {f"n{i}": [0, 0] for i in range(len(nodes))}
    scheduled = {e["involvedObject"]["name"] for e in w.events("Scheduled")}
    for i, (cpu, mem) in enumerate(pods):
        current = w.get(f"p{i}")
        where = current["spec"].get("nodeName")
        if where:
            used[where][0] += cpu * 100
            used[where][1] += mem * 256
            assert f"p{i}" in scheduled
        else:
            cond = w.condition(f"p{i}")
            assert cond["status"] == "False" and cond["message"].startswith(f"0/{len(nodes)} nodes are available")
    for i, (c, m) in enumerate(nodes):
        assert used[f"n{i}"][0] <= c * 1000 and used[f"n{i}"][1] <= m * 1024
    assert not w.scheduler.errors and not w.scheduler.cache.errors


_CROSS_PROCESS = """
import hashlib, sys
sys.path.insert(0, {tests!r})
from test_scheduler_loop import World, node, pod, priority_class
w = World(seed=3, nodes=[node(f"node-{{i}}", cpu="2", labels={{"topology.kubernetes.io/zone": f"z{{i % 2}}"}})
                         for i in range(6)])
w.api.create(priority_class("low", 10))
w.api.create(priority_class("high", 1000))
for i in range(10):
    w.api.create(pod(f"web-{{i}}", cpu="500m", priorityClassName="low"))
w.run(1)
for i in range(4):
    w.api.create(pod(f"vip-{{i}}", cpu="1500m", priorityClassName="high"))
w.run(5)
w.kubelet_finishes_deletions()
w.run(400)
print(hashlib.sha256(w.sim.events().to_csv().encode()).hexdigest())
"""


def test_runs_are_identical_across_hash_seeds():
    """Scheduling, preemption and retries give the same event log in processes with different string hashing."""
    script = _CROSS_PROCESS.format(tests=os.path.dirname(__file__))
    outputs = set()
    for hash_seed in ("1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
