"""The scheduling queue: cases ported from ``pkg/scheduler/backend/queue/scheduling_queue_test.go``.

Upstream's tests drive a fake clock; here the simulated clock is moved with ``sim.run(until=...)``. Upstream (1.33+)
computes the back-off from ``UnschedulableCount``; 1.32, which the model follows, from ``Attempts``, so where an
upstream case builds a fresh ``QueuedPodInfo`` and bumps ``UnschedulableCount`` to make it back off, the port uses
the popped ``QueuedPodInfo`` (one attempt), which backs off the same 1 s.
"""

from __future__ import annotations

import pytest

from k8smodel.scheduler.queue import (
    ACTIVE_Q,
    ADD,
    BACKOFF_Q,
    DELETE,
    EVENT_ASSIGNED_POD_ADD,
    EVENT_ASSIGNED_POD_DELETE,
    EVENT_NODE_ADD,
    EVENT_UNSCHEDULABLE_TIMEOUT,
    NODE,
    POD,
    UNSCHEDULABLE_Q,
    UPDATE,
    UPDATE_NODE_TAINT,
    UPDATE_POD_LABEL,
    UPDATE_POD_OTHER,
    UPDATE_POD_SCALE_DOWN,
    ClusterEvent,
    PriorityQueue,
    QueuedPodInfo,
    cluster_event,
    node_scheduling_properties_change,
    parse_action,
    pod_scheduling_properties_change,
    priority_sort_less,
)
from k8smodel.sim import Simulation

LOW, MID, HIGH = 0, 100, 1000
MEDIUM = (LOW + HIGH) // 2


def make_pod(name, namespace="ns1", uid=None, priority=None, nominated="", node="", labels=None, annotations=None):
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "uid": uid or f"{name}{namespace}"},
        "spec": {"schedulerName": ""},
        "status": {},
    }
    if priority is not None:
        pod["spec"]["priority"] = priority
    if nominated:
        pod["status"]["nominatedNodeName"] = nominated
    if node:
        pod["spec"]["nodeName"] = node
    if labels:
        pod["metadata"]["labels"] = dict(labels)
    if annotations:
        pod["metadata"]["annotations"] = dict(annotations)
    return pod


# The fixtures at the top of scheduling_queue_test.go.
HPP = make_pod("hpp", "ns1", "hppns1", HIGH)
HPP_NOMINATED = make_pod("hpp", "ns1", "hppns1", HIGH, nominated="node1")
MPP = make_pod("mpp", "ns2", "mppns2", MEDIUM, nominated="node1", annotations={"annot2": "val2"})
UP = make_pod("up", "ns1", "upns1", LOW, nominated="node1", annotations={"annot2": "val2"})


def new_queue(sim=None, hints=None, **kw):
    sim = sim or Simulation()
    events = {"": hints} if hints is not None else None
    return PriorityQueue(sim, priority_sort_less, events=events, **kw)


def fail(q, info, *plugins):
    """The scheduler's part after a failed attempt: the rejecting plugins, then AddUnschedulableIfNotPresent."""
    info.unschedulable_plugins = set(plugins)
    return q.add_unschedulable_if_not_present(info, q.scheduling_cycle)


# --- ordering --------------------------------------------------------------------------------------------------


def test_add_pops_by_priority_and_records_nominations():
    """TestPriorityQueue_Add."""
    q = new_queue()
    q.add(MPP)
    q.add(UP)
    q.add(HPP)
    assert q.nominations() == {"node1": [MPP, UP]}
    assert [q.pop().pod["metadata"]["name"] for _ in range(3)] == ["hpp", "mpp", "up"]
    assert len(q.nominated_pods_for_node("node1")) == 2  # popping does not forget a nomination


def test_pop_returns_none_when_empty_and_only_from_active_q():
    """TestPriorityQueue_Pop (SchedulerPopFromBackoffQ disabled, as in 1.32): a Pod in backoffQ or the
    unschedulable pool is not popped."""
    sim = Simulation()
    q = new_queue(sim)
    q.add(MPP)
    backoff = q.pop()
    q.add(HPP)
    hpp = q.pop()
    assert fail(q, hpp, "plugin") == UNSCHEDULABLE_Q
    assert fail(q, backoff) == BACKOFF_Q  # no rejecting plugin: an error, retried after its back-off
    assert q.pop() is None


def test_same_priority_is_first_come_first_served():
    sim = Simulation()
    q = new_queue(sim)
    for i in range(3):
        q.add(make_pod(f"p{i}", priority=MID))
        sim.run(until=sim.now + 1)
    q.add(make_pod("urgent", priority=HIGH))
    assert [q.pop().pod["metadata"]["name"] for _ in range(4)] == ["urgent", "p0", "p1", "p2"]


def test_recently_tried_pods_go_back():
    """TestRecentlyTriedPodsGoBack: a Pod tried and found unschedulable goes behind Pods of the same priority."""
    sim = Simulation()
    q = new_queue(sim)
    for i in range(5):
        q.add(make_pod(f"test-pod-{i}", uid=f"tp00{i}", priority=HIGH, nominated="node1"))
    sim.run(until=0.000001)
    p1 = q.pop()
    fail(q, p1, "plugin")
    sim.run(until=sim.now + q.pod_max_backoff)
    q.move_all_to_active_or_backoff_queue(EVENT_UNSCHEDULABLE_TIMEOUT)
    popped = [q.pop() for _ in range(5)]
    assert popped[-1] is p1
    assert p1 not in popped[:-1]


def test_pod_failed_multiple_times_does_not_block_newer_pod():
    """TestPodFailedSchedulingMultipleTimesDoesNotBlockNewerPod."""
    sim = Simulation()
    q = new_queue(sim)
    unschedulable = make_pod("test-pod-unscheduled", uid="tp001", priority=HIGH, nominated="node1")
    q.add(unschedulable)
    info = q.pop()
    fail(q, info, "plugin")
    sim.run(until=sim.now + 2)
    q.move_all_to_active_or_backoff_queue(EVENT_UNSCHEDULABLE_TIMEOUT)
    info = q.pop()
    assert info.pod is unschedulable
    newer = make_pod("test-newer-pod", uid="tp002", priority=HIGH, nominated="node1")
    q.add(newer)
    fail(q, info, "plugin")
    sim.run(until=sim.now + 10)
    q.move_all_to_active_or_backoff_queue(EVENT_UNSCHEDULABLE_TIMEOUT)
    assert q.pop().pod is newer


def test_high_priority_backoff_does_not_block_others():
    """TestHighPriorityBackoff: an unschedulable high-priority Pod waits out its back-off in backoffQ."""
    q = new_queue()
    mid = make_pod("test-midpod", uid="tp-mid", priority=MID, nominated="node1")
    high = make_pod("test-highpod", uid="tp-high", priority=HIGH, nominated="node1")
    q.add(mid)
    q.add(high)
    p = q.pop()
    assert p.pod is high
    fail(q, p, "fooPlugin")
    q.move_all_to_active_or_backoff_queue(EVENT_UNSCHEDULABLE_TIMEOUT)
    assert q.where("test-highpod", "ns1") == BACKOFF_Q
    assert q.pop().pod is mid


def test_high_priority_flush_unschedulable_pods_leftover():
    """TestHighPriorityFlushUnschedulablePodsLeftover: after podMaxInUnschedulablePodsDuration both Pods are back
    in activeQ, in priority order."""
    sim = Simulation()
    q = new_queue(sim, hints={"fakePlugin": [EVENT_NODE_ADD]})
    mid = make_pod("test-midpod", uid="tp-mid", priority=MID, nominated="node1")
    high = make_pod("test-highpod", uid="tp-high", priority=HIGH, nominated="node1")
    q.add(high)
    high_info = q.pop()
    q.add(mid)
    mid_info = q.pop()
    fail(q, high_info, "fakePlugin")
    fail(q, mid_info, "fakePlugin")
    sim.run(until=300)  # exactly the limit: not yet ("longer than")
    q.flush_unschedulable_pods_leftover()
    assert len(q.unschedulable_pods) == 2
    sim.run(until=301)
    q.flush_unschedulable_pods_leftover()
    assert q.pop().pod is high
    assert q.pop().pod is mid


# --- unschedulable Pods and cluster events -------------------------------------------------------------------------


def test_add_unschedulable_if_not_present():
    """TestPriorityQueue_AddUnschedulableIfNotPresent: a Pod already queued is not added again."""
    q = new_queue()
    q.add(HPP_NOMINATED)
    with pytest.raises(ValueError, match="already present in the active queue"):
        q.add_unschedulable_if_not_present(QueuedPodInfo(HPP_NOMINATED, 0.0, ["plugin"]))
    assert q.add_unschedulable_if_not_present(QueuedPodInfo(UP, 0.0, ["plugin"])) == UNSCHEDULABLE_Q
    assert q.pop().pod is HPP_NOMINATED
    assert q.unschedulable_pods_list() == [UP]
    with pytest.raises(ValueError, match="already present in unschedulable queue"):
        q.add_unschedulable_if_not_present(QueuedPodInfo(UP, 0.0, ["plugin"]))


def test_move_all_to_active_or_backoff_queue():
    """TestPriorityQueue_MoveAllToActiveOrBackoffQueue: a NodeAdd moves the Pods whose rejecting plugin registered
    it (to backoffQ while they back off, to activeQ after), never the Pod rejected by another plugin."""
    sim = Simulation()
    q = new_queue(sim, hints={"fooPlugin": [EVENT_NODE_ADD]})
    hpp1 = make_pod("hpp1", priority=HIGH)
    hpp2 = make_pod("hpp2", priority=HIGH)
    q.add(UP)
    up = q.pop()
    q.add(HPP)
    hpp = q.pop()
    assert sorted(q.in_flight_pods()) == ["hppns1", "upns1"]
    assert fail(q, up, "fooPlugin") == UNSCHEDULABLE_Q
    assert fail(q, hpp, "fooPlugin") == UNSCHEDULABLE_Q
    assert q.in_flight_pods() == []
    q.add(hpp1)
    info1 = q.pop()
    assert fail(q, info1) == BACKOFF_Q  # no plugin rejected it
    q.add(hpp2)
    info2 = q.pop()
    assert fail(q, info2, "barPlugin") == UNSCHEDULABLE_Q
    q.move_all_to_active_or_backoff_queue(EVENT_NODE_ADD)
    q.add(MPP)
    assert len(q.active_q) == 1
    assert q.pop().pod is MPP
    assert len(q.backoff_q) == 3  # up, hpp (still backing off) and hpp1; hpp2 stays
    assert q.where("hpp2", "ns1") == UNSCHEDULABLE_Q
    # Back off over: a NodeAdd now sends them straight to activeQ.
    sim.run(until=sim.now + q.pod_max_backoff)
    q.flush_backoff_q_completed()
    assert len(q.active_q) == 3 and len(q.backoff_q) == 0


def test_move_all_with_pre_check():
    """TestMoveAllToActiveOrBackoffQueue_PreEnqueueChecks."""
    cases = [
        (None, {"p0", "p1", "p2", "p3", "p4"}),
        (lambda pod: pod["spec"]["priority"] >= 2, {"p2", "p3", "p4"}),
        (lambda pod: pod["spec"]["priority"] % 2 == 0 and pod["spec"]["priority"] >= 2, {"p2", "p4"}),
        (lambda pod: pod["spec"]["priority"] % 2 == 0 and pod["spec"]["priority"] < 0, set()),
    ]
    for pre_check, want in cases:
        sim = Simulation()
        q = new_queue(sim)
        for i in range(5):
            q.add(make_pod(f"p{i}", priority=i))
            fail(q, q.pop(), "plugin")
        q.move_all_to_active_or_backoff_queue(EVENT_UNSCHEDULABLE_TIMEOUT, pre_check=pre_check)
        sim.run(until=2 * q.pod_max_backoff)
        q.flush_backoff_q_completed()
        assert {p["metadata"]["name"] for p in q.pods_in_active_q()} == want


def test_uninteresting_event_skips_the_pre_check():
    """TestMoveAllToActiveOrBackoffQueue_PreEnqueueChecks: "preCheck isn't called if the event is not interested
    by any plugins"."""
    q = new_queue(hints={"fooPlugin": [EVENT_NODE_ADD]})
    q.add(make_pod("p"))
    fail(q, q.pop(), "fooPlugin")

    def boom(pod):
        raise AssertionError("preCheck shouldn't be called")

    q.move_all_to_active_or_backoff_queue(ClusterEvent("PersistentVolume", ADD), pre_check=boom)
    assert len(q.unschedulable_pods) == 1


def test_events_in_flight_requeue_the_pod():
    """Test_InFlightPods: an event a rejecting plugin registered, seen while the Pod was being scheduled, sends it
    to backoffQ when it comes back; events before the pop, or that nobody registered, do not."""
    q = new_queue(hints={"fooPlugin1": [EVENT_NODE_ADD]})
    pod = make_pod("targetpod", "default", "pod1")
    q.add(pod)
    q.move_all_to_active_or_backoff_queue(EVENT_NODE_ADD)  # nothing in flight: not recorded
    info = q.pop()
    q.move_all_to_active_or_backoff_queue(ClusterEvent("PersistentVolume", UPDATE))  # nobody registered it
    assert fail(q, info, "fooPlugin1") == UNSCHEDULABLE_Q
    q.move_all_to_active_or_backoff_queue(EVENT_UNSCHEDULABLE_TIMEOUT)
    q.flush_backoff_q_completed()
    other = make_pod("targetpod2", "default", "pod2")
    q.add(other)
    info2 = q.pop()
    q.move_all_to_active_or_backoff_queue(EVENT_NODE_ADD)
    assert fail(q, info2, "fooPlugin1") == BACKOFF_Q
    assert q.in_flight_pods() == []


def test_update_while_in_flight():
    """TestPriorityQueue_UpdateWhenInflight: an update that may help, received while the Pod is being scheduled,
    requeues it to backoffQ when it comes back rejected."""
    q = new_queue(hints={"fakePlugin": [cluster_event("UnschedulablePod", "Update")]})
    pod = make_pod("test-pod", "test-ns", "test-uid")
    q.add(pod)
    info = q.pop()
    updated = {**pod, "spec": {**pod["spec"], "tolerations": [{"key": "foo", "effect": "NoSchedule"}]}}
    q.update(pod, updated)
    assert q.where("test-pod", "test-ns") == ""  # in flight: not queued again
    info.update(updated)
    assert fail(q, info, "fakePlugin") == BACKOFF_Q
    assert q.get_pod("test-pod", "test-ns").pod is updated


@pytest.mark.parametrize(
    ("case", "want"),
    [
        ("not queued", ACTIVE_Q),
        ("nominated", ACTIVE_Q),
        ("in activeQ", ACTIVE_Q),
        ("in backoffQ", BACKOFF_Q),
        ("unschedulable, backing off", BACKOFF_Q),
        ("unschedulable, back-off over", ACTIVE_Q),
        ("unschedulable, plugin not interested", UNSCHEDULABLE_Q),
        ("in flight", ""),
    ],
)
def test_update(case, want):
    """TestPriorityQueue_Update."""
    sim = Simulation()
    q = new_queue(sim, hints={"queuePlugin": [cluster_event("UnschedulablePod", "Update")], "skipPlugin": []})
    old, new = MPP, {**MPP, "metadata": {**MPP["metadata"], "annotations": {"annot2": "val2", "foo": "test"}}}
    if case == "nominated":
        old, new = HPP, HPP_NOMINATED
    elif case == "in activeQ":
        q.add(HPP)
        old = new = HPP
    elif case == "in backoffQ":
        q.add(MPP)
        info = q.pop()
        fail(q, info)
    elif case.startswith("unschedulable"):
        q.add(MPP)
        info = q.pop()
        fail(q, info, "skipPlugin" if "not interested" in case else "queuePlugin")
        if "over" in case:
            sim.run(until=q.pod_max_backoff)
    elif case == "in flight":
        q.add(MPP)
        q.pop()
    q.update(old, new)
    name, ns = new["metadata"]["name"], new["metadata"]["namespace"]
    assert q.where(name, ns) == want
    if want:
        assert q.get_pod(name, ns).pod is new
    if case == "nominated":
        assert q.nominated_pods_for_node("node1") == [HPP_NOMINATED]


def test_delete():
    """TestPriorityQueue_Delete."""
    q = new_queue()
    q.update(HPP, HPP_NOMINATED)
    q.add(UP)
    q.delete(HPP_NOMINATED)
    assert q.where("up", "ns1") == ACTIVE_Q
    assert q.where("hpp", "ns1") == ""
    assert list(q.nominations()) == ["node1"] and q.nominated_pods_for_node("node1") == [UP]
    q.delete(UP)
    assert q.nominations() == {}


@pytest.mark.parametrize("where", ["activeQ", "nowhere", "in flight", "unschedulable", "backoffQ"])
def test_activate(where):
    """TestPriorityQueue_Activate."""
    q = new_queue()
    if where == "activeQ":
        q.add(HPP_NOMINATED)
    elif where == "in flight":
        q.add(HPP_NOMINATED)
        info = q.pop()
    elif where == "unschedulable":
        q.add(HPP_NOMINATED)
        fail(q, q.pop(), "plugin")
    elif where == "backoffQ":
        q.add(HPP_NOMINATED)
        fail(q, q.pop())
    q.activate([HPP_NOMINATED])
    assert len(q.active_q) == (0 if where in ("nowhere", "in flight") else 1)
    if where == "in flight":  # a ForceActivate event is remembered: the Pod comes back at once
        assert fail(q, info, "plugin") == BACKOFF_Q


# --- back-off ------------------------------------------------------------------------------------------------------


def test_backoff_flow():
    """TestBackOffFlow: 1 s, 2 s, 4 s, 8 s, then 10 s for every further attempt."""
    sim = Simulation()
    q = new_queue(sim)
    q.add(make_pod("test-pod", "test-ns", "test-uid"))
    for i, want in enumerate([1, 2, 4, 8, 10, 10, 10]):
        start = sim.now
        info = q.pop()
        assert info.attempts == i + 1
        fail(q, info, "unsched-plugin")
        q.move_all_to_active_or_backoff_queue(EVENT_UNSCHEDULABLE_TIMEOUT)
        assert q.where("test-pod", "test-ns") == BACKOFF_Q
        assert q.backoff_expiration(info) - start == want
        sim.run(until=sim.now + 0.5)
        q.flush_backoff_q_completed()
        assert q.where("test-pod", "test-ns") == BACKOFF_Q  # an early flush leaves it there
        sim.run(until=start + want)
        q.flush_backoff_q_completed()
        assert q.where("test-pod", "test-ns") == ACTIVE_Q


@pytest.mark.parametrize(
    ("initial", "maximum", "attempts", "want"),
    [(1, 32, 1, 1), (1, 32, 2, 2), (1, 32, 6, 32), (1, 32, 16, 32), (1, 32, 0, 0), (2, 20, 3, 8), (2, 20, 4, 16)],
)
def test_calculate_backoff_duration(initial, maximum, attempts, want):
    """TestPriorityQueue_calculateBackoffDuration (in seconds instead of nanoseconds)."""
    q = new_queue(pod_initial_backoff=initial, pod_max_backoff=maximum)
    info = QueuedPodInfo(make_pod("p"), 0.0)
    info.attempts = attempts
    assert q.calculate_backoff_duration(info) == want


def test_flush_timers_run_on_their_grid_and_stop_when_idle():
    """Run: flushBackoffQCompleted every second; a Pod whose 1 s back-off ends at 0.7 + 1 = 1.7 s is moved by the
    flush at 2 s; the queue keeps no timer once it is empty, so the simulation can end."""
    sim = Simulation()
    moved = []
    q = new_queue(sim, on_activate=lambda: moved.append(sim.now))
    q.run()
    q.add(make_pod("p"))
    assert moved == [0.0]
    sim.run(until=0.7)
    fail(q, q.pop())
    assert q.where("p", "ns1") == BACKOFF_Q
    sim.run(until=1.9)
    assert q.where("p", "ns1") == BACKOFF_Q
    sim.run(until=2.0)
    assert q.where("p", "ns1") == ACTIVE_Q and moved == [0.0, 2.0]
    sim.run()  # returns: no timer is left
    assert sim.now == 2.0


def test_unschedulable_leftover_flush_every_30_seconds():
    """flushUnschedulablePodsLeftover every 30 s moves a Pod that waited longer than 5 minutes."""
    sim = Simulation()
    q = new_queue(sim, hints={"fooPlugin": [EVENT_NODE_ADD]})
    q.run()
    q.add(make_pod("p"))
    sim.run(until=10)
    fail(q, q.pop(), "fooPlugin")
    sim.run(until=300)
    assert q.where("p", "ns1") == UNSCHEDULABLE_Q
    sim.run(until=330)  # the first flush at which 330 - 10 > 300
    assert q.where("p", "ns1") == ACTIVE_Q


# --- gating, events, nominations ----------------------------------------------------------------------------------


def test_scheduling_gates_keep_a_pod_out_until_the_last_gate_goes():
    """SchedulingGates PreEnqueue: a gated Pod waits in the unschedulable pool; removing its gates releases it."""
    q = new_queue(hints={"NodeResourcesFit": [EVENT_NODE_ADD]})
    gated = make_pod("g")
    gated["spec"]["schedulingGates"] = [{"name": "example.com/foo"}]
    q.add(gated)
    assert q.where("g", "ns1") == UNSCHEDULABLE_Q
    q.move_all_to_active_or_backoff_queue(EVENT_NODE_ADD)
    assert q.where("g", "ns1") == UNSCHEDULABLE_Q
    ungated = {**gated, "spec": {**gated["spec"], "schedulingGates": []}}
    q.update(gated, ungated)
    assert q.where("g", "ns1") == ACTIVE_Q


def test_event_matching():
    """MatchClusterEvents: resources match exactly, ``Pod`` matches both Pod halves, actions share a bit."""
    fit_pod = cluster_event(POD, "Delete|UpdatePodScaleDown")
    assert fit_pod.match(EVENT_ASSIGNED_POD_DELETE)
    assert not fit_pod.match(EVENT_ASSIGNED_POD_ADD)
    assert not fit_pod.match(ClusterEvent("AssignedPod", UPDATE_POD_OTHER))
    assert ClusterEvent(POD, UPDATE).match(ClusterEvent("AssignedPod", UPDATE_POD_OTHER))
    assert not ClusterEvent(NODE, ADD).match(EVENT_ASSIGNED_POD_ADD)
    assert EVENT_UNSCHEDULABLE_TIMEOUT.match(EVENT_NODE_ADD)
    assert parse_action("Add|Delete") == ADD | DELETE
    assert EVENT_NODE_ADD.label == "NodeAdd" and EVENT_ASSIGNED_POD_DELETE.label == "AssignedPodDelete"
    with pytest.raises(ValueError, match="unknown cluster event action 'Remove'"):
        parse_action("Remove")


def test_scheduling_properties_change():
    """NodeSchedulingPropertiesChange and PodSchedulingPropertiesChange (framework/events.go)."""
    node = {"metadata": {"name": "n", "labels": {"a": "1"}}, "spec": {"unschedulable": True}, "status": {}}
    uncordoned = {**node, "spec": {}}
    assert node_scheduling_properties_change(uncordoned, node) == [ClusterEvent(NODE, UPDATE_NODE_TAINT)]
    assert node_scheduling_properties_change(node, uncordoned) == []  # cordoning never helps a Pod
    relabelled = {**node, "metadata": {"name": "n", "labels": {"a": "2"}}}
    assert [e.label for e in node_scheduling_properties_change(relabelled, node)] == ["NodeUpdateNodeLabel"]
    pod = make_pod("p", labels={"app": "a"}, node="n")
    assert pod_scheduling_properties_change({**pod, "metadata": {**pod["metadata"], "labels": {}}}, pod) == [
        ClusterEvent("AssignedPod", UPDATE_POD_LABEL)
    ]
    big = {**pod, "spec": {**pod["spec"], "containers": [{"name": "c", "resources": {"requests": {"cpu": "2"}}}]}}
    small = {**pod, "spec": {**pod["spec"], "containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}}}]}}
    assert pod_scheduling_properties_change(small, big) == [ClusterEvent("AssignedPod", UPDATE_POD_SCALE_DOWN)]
    status_only = {**pod, "status": {"phase": "Running"}}
    assert pod_scheduling_properties_change(status_only, pod) == [ClusterEvent("AssignedPod", UPDATE_POD_OTHER)]


def test_nominated_pods_for_node_and_updates():
    """TestPriorityQueue_NominatedPodsForNode and TestPriorityQueue_UpdateNominatedPodForNode."""
    q = new_queue()
    q.add(MPP)
    q.add(UP)
    q.add(HPP)
    assert q.nominated_pods_for_node("node1") == [MPP, UP]
    q.add_nominated_pod(HPP, "node10")  # ModeOverride
    assert q.nominated_node(HPP) == "node10"
    # An update that says nothing about the nomination keeps the one made in memory.
    hpp_relabelled = {**HPP, "metadata": {**HPP["metadata"], "labels": {"x": "y"}}}
    q.update_nominated_pod(HPP, hpp_relabelled)
    assert q.nominated_node(hpp_relabelled) == "node10"
    # An update that changes nominatedNodeName follows it.
    up_moved = {**UP, "status": {"nominatedNodeName": "node5"}}
    q.update_nominated_pod(UP, up_moved)
    assert q.nominated_node(up_moved) == "node5"
    assert q.nominated_pods_for_node("node5") == [UP]  # the queued version (nominatedPodToInfo)
    q.delete_nominated_pod_if_exists(HPP)
    assert {node: [p["metadata"]["name"] for p in pods] for node, pods in q.nominations().items()} == {
        "node1": ["mpp"],
        "node5": ["up"],
    }


def test_nominator_skips_bound_or_vanished_pods():
    """nominator.addNominatedPodUnlocked: a Pod the lister no longer has, or that is bound, is not nominated."""
    bound = {**MPP, "spec": {**MPP["spec"], "nodeName": "node2"}}
    store = {("ns2", "mpp"): bound}
    q = new_queue(pod_lister=lambda ns, name: store.get((ns, name)))
    q.add_nominated_pod(MPP, "node1")
    q.add_nominated_pod(UP, "node1")
    assert q.nominations() == {}


def test_pending_pods_summary():
    """TestPriorityQueue_PendingPods."""
    q = new_queue()
    q.add(HPP)
    q.add(MPP)
    q.add(UP)
    fail(q, q.pop(), "plugin")
    fail(q, q.pop())
    pods, summary = q.pending_pods()
    assert summary == "activeQ:1; backoffQ:1; unschedulablePods:1"
    assert {p["metadata"]["name"] for p in pods} == {"hpp", "mpp", "up"}
