"""The framework (schedulePod and its helpers), the cache and snapshot, and explained decisions.

Cases from ``schedule_one_test.go`` (TestNumFeasibleNodesToFind, TestSchedulerSchedulePod...), ``types_test.go``
(TestFitError), ``backend/cache/cache_test.go`` and ``node_tree_test.go``.
"""

from __future__ import annotations

import json
import random
from collections import Counter

import numpy as np
import pytest
from test_scheduler_plugins import cluster, make_node, make_pod

from k8smodel.scheduler.cache import Cache
from k8smodel.scheduler.config import default_config, load_config
from k8smodel.scheduler.framework import (
    Code,
    Diagnosis,
    Framework,
    Status,
    fit_error_message,
    num_feasible_nodes_to_find,
)


def fw_default(seed: int = 0, **kw: object) -> Framework:
    return default_config().framework(rng=random.Random(seed), **kw)  # type: ignore[arg-type]


# --- numFeasibleNodesToFind: schedule_one_test.go TestNumFeasibleNodesToFind -----------------------------------------


@pytest.mark.parametrize(
    ("name", "global_pct", "profile_pct", "nodes", "want"),
    [
        ("not set percentageOfNodesToScore and nodes number not more than 50", 0, None, 10, 10),
        ("set profile percentageOfNodesToScore and nodes number not more than 50", 0, 40, 10, 10),
        ("not set percentageOfNodesToScore and nodes number more than 50", 0, None, 1000, 420),
        ("set profile percentageOfNodesToScore and nodes number more than 50", 0, 40, 1000, 400),
        ("set global and profile percentageOfNodesToScore and nodes number more than 50", 100, 40, 1000, 400),
        ("set global percentageOfNodesToScore and nodes number more than 50", 40, None, 1000, 400),
        ("not set profile percentageOfNodesToScore and nodes number more than 50*125", 0, None, 6000, 300),
        ("set profile percentageOfNodesToScore and nodes number more than 50*125", 0, 40, 6000, 2400),
    ],
)
def test_num_feasible_nodes_to_find(name: str, global_pct: int, profile_pct: int | None, nodes: int, want: int) -> None:
    profile = "{}" if profile_pct is None else f"{{profiles: [{{percentageOfNodesToScore: {profile_pct}}}]}}"
    cfg = load_config(profile)
    cfg.percentage_of_nodes_to_score = global_pct
    fw = cfg.framework(rng=random.Random(0))
    assert num_feasible_nodes_to_find(fw.percentage_of_nodes_to_score, nodes) == want, name


def test_adaptive_percentage_floor() -> None:
    """50 - nodes/125 never goes below 5%, and never fewer than 100 Nodes."""
    assert num_feasible_nodes_to_find(0, 5000) == 500
    assert num_feasible_nodes_to_find(0, 20000) == 1000
    assert num_feasible_nodes_to_find(0, 150) == 100
    assert num_feasible_nodes_to_find(10, 500) == 100


# --- FitError.Error: types_test.go TestFitError --------------------------------------------------------------------


def _diag(statuses: dict[str, Status], pre: str = "", post: str = "") -> Diagnosis:
    d = Diagnosis()
    for n, st in statuses.items():
        d.set(n, st)
    d.pre_filter_msg = pre
    d.post_filter_msg = post
    return d


def test_fit_error_messages() -> None:
    f1 = Status(Code.Unschedulable, ("Node(s) failed Filter plugin FalseFilter-1",))
    f2 = Status(Code.Unschedulable, ("Node(s) failed Filter plugin FalseFilter-2",))
    # "nodes failed Prefilter plugin"
    d = _diag({}, pre="Node(s) failed PreFilter plugin FalsePreFilter")
    assert fit_error_message(3, d) == "0/3 nodes are available: Node(s) failed PreFilter plugin FalsePreFilter."
    # "nodes failed one Filter plugin with an empty PostFilterMsg"
    d = _diag({"node1": f1, "node2": f1, "node3": f1})
    assert fit_error_message(3, d) == "0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1."
    # "... with a non-empty PostFilterMsg"
    d = _diag({"node1": f1, "node2": f1, "node3": f1}, post="Error running PostFilter plugin FailedPostFilter")
    assert fit_error_message(3, d) == (
        "0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1. "
        "Error running PostFilter plugin FailedPostFilter"
    )
    # "nodes failed two Filter plugins with an empty PostFilterMsg"
    d = _diag({"node1": f1, "node2": f1, "node3": f2})
    assert fit_error_message(3, d) == (
        "0/3 nodes are available: 1 Node(s) failed Filter plugin FalseFilter-2, "
        "2 Node(s) failed Filter plugin FalseFilter-1."
    )


def test_fit_error_sorts_like_go_strings_and_counts_absent_nodes() -> None:
    """sort.Strings orders "10 ..." before "2 ..."; absent Nodes count with the absent status's reasons."""
    d = _diag({f"n{i}": Status(Code.Unschedulable, ("Insufficient cpu",)) for i in range(10)})
    d.set("x", Status(Code.Unschedulable, ("Too many pods", "Insufficient memory")))
    d.set("y", Status(Code.Unschedulable, ("Too many pods",)))
    d.absent_status = Status(Code.UnschedulableAndUnresolvable, ("node(s) didn't satisfy plugin(s) [NodeName]",))
    assert fit_error_message(14, d) == (
        "0/14 nodes are available: 1 Insufficient memory, 10 Insufficient cpu, 2 Too many pods, "
        "2 node(s) didn't satisfy plugin(s) [NodeName]."
    )


# --- schedulePod -------------------------------------------------------------------------------------------------


def test_no_nodes() -> None:
    """ErrNoNodesAvailable."""
    r = fw_default().schedule(make_pod(), Cache().snapshot())
    assert r.node is None and not r.fit_error and r.message == "no nodes available to schedule pods"


def test_issue_example_message() -> None:
    """The issue's example: one tainted Node, two too small."""
    nodes = [
        make_node(
            "a",
            capacity={"cpu": "1", "memory": "1Gi", "pods": "10"},
            taints=[{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}],
        ),
        make_node("b", capacity={"cpu": "1", "memory": "1Gi", "pods": "10"}),
        make_node("c", capacity={"cpu": "1", "memory": "1Gi", "pods": "10"}),
    ]
    cache = cluster(
        nodes,
        [make_pod("e1", requests=[{"cpu": "900m"}], node="b"), make_pod("e2", requests=[{"cpu": "900m"}], node="c")],
    )
    fw = fw_default()
    r = fw.schedule(make_pod(requests=[{"cpu": "500m"}]), cache.snapshot())
    assert r.message == "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu."
    assert r.diagnosis.unschedulable_plugins == {"TaintToleration", "NodeResourcesFit"}
    st = r.diagnosis.node_to_status["b"]
    assert (st.code, st.reasons, st.plugin) == (Code.Unschedulable, ("Insufficient cpu",), "NodeResourcesFit")
    code, _, plugin = r.diagnosis.node_to_status["a"]
    assert (code, plugin) == (Code.UnschedulableAndUnresolvable, "TaintToleration")
    assert r.reason == "Unschedulable" and r.evaluated_nodes == 3 and r.feasible_nodes == 0


def test_round_robin_start_index() -> None:
    """findNodesThatFitPod: the next cycle starts where this one stopped (processed = feasible + rejected)."""
    nodes = [make_node(f"n{i:03d}") for i in range(200)]
    cache = cluster(nodes)
    fw = fw_default()
    r = fw.schedule(make_pod(), cache.snapshot(), explain=True)
    assert r.evaluated_nodes == 100 and r.feasible_nodes == 100
    assert fw.next_start_node_index == 100
    assert r.explanation.nodes[0] == "n000"
    r = fw.schedule(make_pod(), cache.snapshot(), explain=True)
    assert r.explanation.nodes[0] == "n100" and fw.next_start_node_index == 0


def test_round_robin_counts_rejected_nodes() -> None:
    nodes = [make_node(f"n{i:03d}", unschedulable=i < 10) for i in range(200)]
    fw = fw_default()
    r = fw.schedule(make_pod(), cluster(nodes).snapshot())
    assert r.feasible_nodes == 100 and r.evaluated_nodes == 110 and fw.next_start_node_index == 110


def test_node_tree_order_interleaves_zones() -> None:
    """node_tree_test.go TestNodeTree_List: zones round-robin, each in insertion order."""
    cache = Cache()
    zone = "topology.kubernetes.io/zone"
    for name, z in [("n1", "a"), ("n2", "a"), ("n3", "b"), ("n4", "c"), ("n5", "c"), ("n6", "c")]:
        cache.add_node(make_node(name, labels={zone: z}))
    assert cache.snapshot().names == ["n1", "n3", "n4", "n2", "n5", "n6"]
    cache.remove_node(make_node("n3"))
    assert cache.snapshot().names == ["n1", "n4", "n2", "n5", "n6"]


def test_ties_are_broken_at_random_with_the_given_rng() -> None:
    """Equal Nodes are chosen uniformly (reservoir sampling); the same seed gives the same choices."""
    cache = cluster([make_node(f"n{i}") for i in range(4)])
    snap = cache.snapshot()
    fw = fw_default(seed=7)
    picks = Counter(fw.schedule(make_pod(), snap).node for _ in range(4000))
    assert set(picks) == {"n0", "n1", "n2", "n3"}
    assert all(800 < c < 1200 for c in picks.values()), picks
    a, b = fw_default(seed=11), fw_default(seed=11)
    assert [a.schedule(make_pod(), snap).node for _ in range(20)] == [
        b.schedule(make_pod(), snap).node for _ in range(20)
    ]


def test_only_one_feasible_node_skips_scoring() -> None:
    cache = cluster([make_node("a"), make_node("b", unschedulable=True)])
    r = fw_default().schedule(make_pod(), cache.snapshot(), explain=True)
    assert r.node == "a" and r.feasible_nodes == 1 and r.evaluated_nodes == 2
    assert r.explanation.score == {}


def test_nominated_pods_of_higher_priority_count_on_their_node() -> None:
    """RunFilterPluginsWithNominatedPods: a Node's room held for a nominated higher-priority Pod is not given away;
    a lower-priority nominated Pod does not count."""
    nodes = [
        make_node("a", capacity={"cpu": "1", "memory": "1Gi", "pods": "10"}),
        make_node("b", capacity={"cpu": "1", "memory": "1Gi", "pods": "10"}),
    ]
    cache = cluster(nodes, [make_pod("e", requests=[{"cpu": "1"}], node="b")])
    fw = fw_default()
    pod = make_pod(requests=[{"cpu": "600m"}], priority=10)
    nominated = {"a": [make_pod("n", requests=[{"cpu": "600m"}], priority=100)]}
    r = fw.schedule(pod, cache.snapshot(), nominated=nominated)
    assert r.node is None and r.message == "0/2 nodes are available: 2 Insufficient cpu."
    low = {"a": [make_pod("n", requests=[{"cpu": "600m"}], priority=1)]}
    assert fw.schedule(pod, cache.snapshot(), nominated=low).node == "a"


def test_nominated_node_is_tried_first() -> None:
    """evaluateNominatedNode: a Pod with status.nominatedNodeName goes there if it fits, unscored."""
    cache = cluster([make_node(f"n{i}") for i in range(5)])
    pod = make_pod()
    pod["status"] = {"nominatedNodeName": "n3"}
    r = fw_default().schedule(pod, cache.snapshot())
    assert r.node == "n3" and r.evaluated_nodes == 1


def test_post_filter_only_after_a_fit_error() -> None:
    fw = fw_default()
    cache = cluster([make_node("a")])
    snap = cache.snapshot()
    r = fw.schedule(make_pod(), snap)
    assert r.node == "a" and fw.post_filter(make_pod(), snap, r) is None


def test_same_seed_same_placements() -> None:
    def run(seed: int) -> list[str | None]:
        cache = cluster([make_node(f"n{i}", capacity={"cpu": "2", "memory": "4Gi", "pods": "20"}) for i in range(6)])
        fw = fw_default(seed)
        out = []
        for i in range(30):
            p = make_pod(f"p{i}", requests=[{"cpu": "100m", "memory": "64Mi"}])
            r = fw.schedule(p, cache.snapshot())
            out.append(r.node)
            if r.node:
                cache.assume_pod(p, r.node)
        return out

    assert run(3) == run(3)


# --- the cache: backend/cache/cache_test.go ------------------------------------------------------------------------


def test_assume_forget_and_confirm() -> None:
    """TestAssumePodScheduled / TestForgetPod / TestAddPodAfterExpiration (no expiry): resources are counted from
    assume; forget undoes it; the informer's add confirms it."""
    cache = cluster([make_node("n", capacity={"cpu": "4", "memory": "4Gi", "pods": "10"})])
    p = make_pod("p", requests=[{"cpu": "1", "memory": "1Gi"}])
    cache.assume_pod(p, "n")
    info = cache.node_info("n")
    assert info.requested["cpu"] == 1000 and len(info.pods) == 1 and cache.is_assumed(p)
    cache.forget_pod(p)
    assert info.requested["cpu"] == 0 and not info.pods and not cache.is_assumed(p)
    cache.assume_pod(p, "n")
    bound = {**p, "spec": {**p["spec"], "nodeName": "n"}}
    cache.add_pod(bound)
    assert not cache.is_assumed(p) and info.requested["cpu"] == 1000 and len(info.pods) == 1
    cache.add_pod(bound)  # twice: upstream logs an error and changes nothing
    assert len(info.pods) == 1 and "already in added state" in cache.errors[-1]


def test_update_and_remove_pod() -> None:
    cache = cluster([make_node("n")])
    p = make_pod("p", requests=[{"cpu": "1"}], node="n")
    cache.add_pod(p)
    q = {**p, "spec": {**p["spec"], "containers": [{"name": "c", "resources": {"requests": {"cpu": "2"}}}]}}
    cache.update_pod(p, q)
    assert cache.node_info("n").requested["cpu"] == 2000
    cache.remove_pod(q)
    assert cache.node_info("n").requested["cpu"] == 0 and cache.pod_count == 0


def test_removed_node_keeps_its_pods_as_a_ghost() -> None:
    """TestNodeOperators / RemoveNode: the Node leaves the snapshot at once; its NodeInfo lives on until its Pods go;
    a Pod may also arrive before its Node."""
    cache = cluster([make_node("a"), make_node("b")], [make_pod("p", node="b")])
    cache.remove_node(make_node("b"))
    assert cache.snapshot().names == ["a"] and cache.node_info("b") is not None
    cache.remove_pod(cache.node_info("b").pods[0].pod)
    assert cache.node_info("b") is None
    cache.add_pod(make_pod("early", node="c", requests=[{"cpu": "1"}]))
    cache.add_node(make_node("c"))
    snap = cache.snapshot()
    assert "c" in snap.names and snap.get("c").requested["cpu"] == 1000


def test_snapshot_is_stable_until_the_next_update() -> None:
    """UpdateSnapshot copies what changed; the snapshot does not change in between."""
    cache = cluster([make_node("a")])
    snap = cache.snapshot()
    gen = snap.generation
    cache.assume_pod(make_pod("p", requests=[{"cpu": "1"}]), "a")
    assert snap.get("a").requested["cpu"] == 0
    assert cache.snapshot() is snap and snap.get("a").requested["cpu"] == 1000 and snap.generation > gen
    gen = snap.generation
    cache.snapshot()
    assert snap.generation == gen  # nothing changed, nothing copied


def test_heartbeat_updates_do_not_dirty_the_snapshot() -> None:
    cache = cluster([make_node("a")])
    snap = cache.snapshot()
    gen = snap.generation
    old = make_node("a")
    new = {**old, "status": {**old["status"], "conditions": [{"type": "Ready", "status": "True"}]}}
    cache.update_node(old, new)
    cache.snapshot()
    assert snap.generation == gen
    tainted = {**new, "spec": {"taints": [{"key": "k", "effect": "NoSchedule"}]}}
    cache.update_node(new, tainted)
    cache.snapshot()
    assert snap.generation > gen and snap.get("a").taints == ({"key": "k", "effect": "NoSchedule"},)


# --- queue sort, events --------------------------------------------------------------------------------------------


def test_priority_sort_less() -> None:
    """priority_sort_test.go TestLess: higher priority first; equal priority by the earlier timestamp."""
    fw = fw_default()

    class Q:
        def __init__(self, prio: int, ts: float) -> None:
            self.pod = make_pod(priority=prio)
            self.timestamp = ts

    assert fw.less(Q(100, 2.0), Q(10, 1.0))
    assert not fw.less(Q(10, 1.0), Q(100, 2.0))
    assert fw.less(Q(10, 1.0), Q(10, 2.0))
    assert not fw.less(Q(10, 2.0), Q(10, 1.0))
    a, b = make_pod(priority=5), make_pod(priority=5)
    a["metadata"]["creationTimestamp"], b["metadata"]["creationTimestamp"] = (
        "2024-01-01T00:00:00Z",
        "2024-01-01T00:00:01Z",
    )
    assert fw.less(a, b) and not fw.less(b, a)


def test_events_to_register_and_pre_enqueue() -> None:
    fw = fw_default()
    events = fw.events_to_register()
    assert ("Node", "Add") in events["NodeResourcesFit"] and ("AssignedPod", "Delete") in events["NodeResourcesFit"]
    assert "DefaultPreemption" not in events and "ImageLocality" not in events
    gated = make_pod(schedulingGates=[{"name": "example.com/a"}, {"name": "b"}])
    st = fw.pre_enqueue(gated)
    assert (
        st.code == Code.UnschedulableAndUnresolvable and st.message == "waiting for scheduling gates: [example.com/a b]"
    )
    assert fw.pre_enqueue(make_pod()) is None


# --- explained decisions ---------------------------------------------------------------------------------------------


def test_explanation_frame_heatmap_and_annotations() -> None:
    nodes = [
        make_node("a", capacity={"cpu": "2", "memory": "4Gi", "pods": "10"}),
        make_node("b", capacity={"cpu": "4", "memory": "4Gi", "pods": "10"}),
        make_node("c", unschedulable=True),
    ]
    cache = cluster(nodes)
    r = fw_default().schedule(make_pod(requests=[{"cpu": "1", "memory": "1Gi"}]), cache.snapshot(), explain=True)
    e = r.explanation
    assert e.selected_node == r.node == "b"
    assert e.filter["c"] == {"NodeUnschedulable": "node(s) were unschedulable"}
    assert e.filter["a"]["NodeResourcesFit"] == "passed"
    df = e.to_frame()
    assert list(df.columns) == [
        "node",
        "plugin",
        "phase",
        "verdict",
        "raw_score",
        "normalized_score",
        "weight",
        "weighted_score",
        "total",
        "selected",
    ]
    fit = df[(df.node == "b") & (df.plugin == "NodeResourcesFit") & (df.phase == "score")].iloc[0]
    assert (fit.raw_score, fit.weight, fit.weighted_score) == (75, 1, 75)  # cpu 3/4 and memory 3/4 left
    tt = df[(df.node == "a") & (df.plugin == "TaintToleration") & (df.phase == "score")].iloc[0]
    assert (tt.normalized_score, tt.weight, tt.weighted_score) == (100, 3, 300)
    assert e.total["b"] == int(df[(df.node == "b") & (df.phase == "score")].weighted_score.sum())
    summary = e.summary()
    assert summary.loc["c", "filter"] == "node(s) were unschedulable" and bool(summary.loc["b", "selected"])
    fig = e.heatmap()
    assert fig.data[0].type == "heatmap" and "★ b" in list(fig.data[0].y)
    row_c = list(fig.data[0].y).index("c")  # a filtered-out row: no cell text, the reason on hover and once as a note
    assert set(fig.data[0].text[row_c]) == {""}
    assert set(fig.data[0].customdata[row_c]) == {"NodeUnschedulable: node(s) were unschedulable"}
    assert [a.text for a in fig.layout.annotations] == ["filtered out by NodeUnschedulable: node(s) were unschedulable"]
    ann = e.annotations()
    assert ann["kube-scheduler-simulator.sigs.k8s.io/selected-node"] == "b"
    final = json.loads(ann["kube-scheduler-simulator.sigs.k8s.io/finalscore-result"])
    assert final["b"]["NodeResourcesFit"] == "75" and final["a"]["NodeResourcesFit"] == "62"


def test_vector_and_per_node_filters_agree_on_a_mixed_cluster() -> None:
    """The vectorized verdicts must equal RunFilterPlugins on each NodeInfo (the path preemption uses)."""
    rng = random.Random(5)
    nodes = []
    for i in range(40):
        nodes.append(
            make_node(
                f"n{i}",
                capacity={"cpu": rng.choice(["1", "2", "4"]), "memory": "4Gi", "pods": rng.choice(["3", "10"])},
                labels={"topology.kubernetes.io/zone": rng.choice("xyz"), "disk": rng.choice(["ssd", "hdd"])},
                taints=rng.choice([[], [{"key": "gpu", "effect": "NoSchedule"}]]),
                unschedulable=rng.random() < 0.1,
            )
        )
    pods = [
        make_pod(f"e{i}", requests=[{"cpu": "300m"}], node=f"n{rng.randrange(40)}", labels={"app": rng.choice("ab")})
        for i in range(80)
    ]
    cache = cluster(nodes, pods)
    fw = fw_default()
    pod = make_pod(
        requests=[{"cpu": "500m"}],
        labels={"app": "a"},
        nodeSelector={"disk": "ssd"},
        topologySpreadConstraints=[
            {
                "maxSkew": 2,
                "topologyKey": "topology.kubernetes.io/zone",
                "whenUnsatisfiable": "DoNotSchedule",
                "labelSelector": {"matchLabels": {"app": "a"}},
            }
        ],
    )
    snap = cache.snapshot()
    r = fw.schedule(pod, snap)
    cycle = r.cycle
    for name in snap.names:
        exact = fw.run_filter_plugins(cycle, snap.get(name))
        vector = r.diagnosis.node_to_status.get(name)
        if exact is None:
            assert vector is None, name
        else:
            assert vector is not None and (vector.code, vector.reasons, vector.plugin) == tuple(exact), name
    assert np.all(snap.num[0, snap.order] > 0)


# --- bad input: a Pod that cannot run ends in upstream's state, never in an exception -------------------------------


def _unschedulable_with_preemption(pod: dict, cache: Cache) -> str:
    fw = fw_default()
    snap = cache.snapshot()
    r = fw.schedule(pod, snap)
    assert r.node is None and r.fit_error and r.reason == "Unschedulable"
    fw.post_filter(pod, snap, r)
    return r.message


def test_fully_tainted_cluster() -> None:
    taint = [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
    cache = cluster([make_node(n, taints=taint) for n in ("a", "b", "c")])
    assert _unschedulable_with_preemption(make_pod(), cache) == (
        "0/3 nodes are available: 3 node(s) had untolerated taint(s). preemption: 0/3 nodes are available: "
        "3 Preemption is not helpful for scheduling."
    )


def test_requesting_more_than_any_node_has() -> None:
    cache = cluster([make_node(n, capacity={"cpu": "2", "memory": "4Gi", "pods": "10"}) for n in ("a", "b")])
    assert _unschedulable_with_preemption(make_pod(requests=[{"cpu": "3", "memory": "8Gi"}]), cache) == (
        "0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory. preemption: 0/2 nodes are available: "
        "2 Preemption is not helpful for scheduling."
    )


def test_node_selector_naming_a_missing_node() -> None:
    cache = cluster([make_node("a"), make_node("b")])
    pod = make_pod(nodeSelector={"kubernetes.io/hostname": "ghost"})
    assert _unschedulable_with_preemption(pod, cache) == (
        "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are "
        "available: 2 Preemption is not helpful for scheduling."
    )


def test_broken_selectors_do_not_raise() -> None:
    """An affinity term whose selector cannot be parsed: InterPodAffinity's PreFilter rejects the Pod ('parsing
    pod: ...', UnschedulableAndUnresolvable); a broken spread selector is a plugin error (SchedulerError)."""
    cache = cluster([make_node("a")])
    fw = fw_default()
    bad_term = {"labelSelector": {"matchExpressions": [{"key": "app", "operator": "Foo"}]}, "topologyKey": "zone"}
    pod = make_pod(affinity={"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [bad_term]}})
    r = fw.schedule(pod, cache.snapshot())
    assert r.node is None and r.fit_error and r.message.startswith("0/1 nodes are available: parsing pod: ")
    spread = {
        "maxSkew": 1,
        "topologyKey": "zone",
        "whenUnsatisfiable": "DoNotSchedule",
        "labelSelector": bad_term["labelSelector"],
    }
    r = fw.schedule(make_pod(topologySpreadConstraints=[spread]), cache.snapshot())
    assert r.node is None and r.error and r.reason == "SchedulerError" and "PodTopologySpread" in r.message


def test_malformed_quantity_is_a_scheduler_error() -> None:
    cache = cluster([make_node("a")])
    r = fw_default().schedule(make_pod(requests=[{"cpu": "lots"}]), cache.snapshot())
    assert r.node is None and r.error and "lots" in r.message
