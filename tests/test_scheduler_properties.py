"""Property tests (hypothesis) of the scheduling engine, over random Nodes and Pods placed one after another.

After every placement: no Node's summed requests exceed its allocatable (cpu, memory, Pod count); the chosen
Node has no untolerated NoSchedule/NoExecute taint, is not cordoned (unless tolerated) and satisfies the Pod's node
selector and required node affinity; it is one of the Nodes with the top total score among those scored; the
vectorized verdicts equal the per-Node ``RunFilterPlugins``; and a Pod left unschedulable truly fits nowhere.
Also: the fast resource scorers equal :mod:`k8smodel.scheduler.scoring` on random inputs.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8smodel.api.nodeaffinity import RequiredNodeAffinity
from k8smodel.api.tolerations import find_matching_untolerated_taint, tolerations_tolerate_taint
from k8smodel.scheduler import scoring
from k8smodel.scheduler.cache import Cache
from k8smodel.scheduler.config import default_config, load_config
from k8smodel.scheduler.plugins.balancedallocation import fast_balanced2
from k8smodel.scheduler.plugins.noderesources import fast_allocated

ZONE = "topology.kubernetes.io/zone"
TAINTS = [
    {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"},
    {"key": "maintenance", "effect": "NoExecute"},
    {"key": "spot", "value": "true", "effect": "PreferNoSchedule"},
]
TOLERATIONS = [
    {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"},
    {"key": "maintenance", "operator": "Exists"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "spot", "operator": "Exists", "effect": "PreferNoSchedule"},
]


@st.composite
def nodes(draw: st.DrawFn) -> list[dict]:
    n = draw(st.integers(1, 10))
    out = []
    for i in range(n):
        labels = {"kubernetes.io/hostname": f"n{i}"}
        zone = draw(st.sampled_from(["a", "b", "c", None]))
        if zone:
            labels[ZONE] = zone
        taints = [t for t in TAINTS if draw(st.booleans()) and draw(st.booleans())]
        out.append(
            {
                "metadata": {"name": f"n{i}", "labels": labels},
                "spec": {"taints": taints, "unschedulable": draw(st.integers(0, 9)) == 0},
                "status": {
                    "allocatable": {
                        "cpu": draw(st.sampled_from(["1", "2", "4", "500m"])),
                        "memory": draw(st.sampled_from(["1Gi", "2Gi", "4Gi"])),
                        "pods": str(draw(st.integers(1, 8))),
                    }
                },
            }
        )
    return out


@st.composite
def pods(draw: st.DrawFn) -> list[dict]:
    out = []
    for i in range(draw(st.integers(1, 20))):
        requests: dict[str, str] = {}
        cpu = draw(st.sampled_from([None, "0", "100m", "250m", "500m", "1", "1500m"]))
        mem = draw(st.sampled_from([None, "64Mi", "256Mi", "1Gi"]))
        if cpu is not None:
            requests["cpu"] = cpu
        if mem is not None:
            requests["memory"] = mem
        app = draw(st.sampled_from(["web", "db"]))
        spec: dict[str, Any] = {
            "containers": [{"name": "c", "image": "nginx", "resources": {"requests": requests}}],
            "tolerations": [t for t in TOLERATIONS if draw(st.booleans())],
            "priority": draw(st.integers(0, 3)),
        }
        choice = draw(st.integers(0, 5))
        if choice == 1:
            spec["nodeSelector"] = {ZONE: draw(st.sampled_from(["a", "b"]))}
        elif choice == 2:
            spec["affinity"] = {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                        "nodeSelectorTerms": [
                            {
                                "matchExpressions": [
                                    {
                                        "key": ZONE,
                                        "operator": "In",
                                        "values": draw(st.sampled_from([["a"], ["b", "c"]])),
                                    }
                                ]
                            }
                        ]
                    }
                }
            }
        elif choice == 3:
            spec["topologySpreadConstraints"] = [
                {
                    "maxSkew": 1,
                    "topologyKey": ZONE,
                    "whenUnsatisfiable": draw(st.sampled_from(["DoNotSchedule", "ScheduleAnyway"])),
                    "labelSelector": {"matchLabels": {"app": app}},
                }
            ]
        elif choice == 4:
            spec["affinity"] = {
                "podAntiAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": [
                        {"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": "kubernetes.io/hostname"}
                    ]
                }
            }
        elif choice == 5:
            spec["affinity"] = {
                "podAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {
                            "weight": 10,
                            "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": ZONE},
                        }
                    ]
                }
            }
        out.append(
            {
                "metadata": {"name": f"p{i}", "namespace": "default", "uid": f"uid-{i}", "labels": {"app": app}},
                "spec": spec,
            }
        )
    return out


def _no_schedule(t: dict) -> bool:
    return t.get("effect") in ("NoSchedule", "NoExecute")


def _check_node_invariants(cache: Cache) -> None:
    for name in cache.snapshot().names:
        info = cache.node_info(name)
        assert info is not None
        for r in ("cpu", "memory"):
            assert info.requested[r] <= info.allocatable[r], (name, r, info.requested[r], info.allocatable[r])
        assert len(info.pods) <= info.allocatable["pods"], name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nodes(), pods(), st.sampled_from(["LeastAllocated", "MostAllocated"]), st.integers(0, 2**16))
def test_placements_respect_filters_and_pick_a_top_node(
    node_list: list[dict], pod_list: list[dict], strategy: str, seed: int
) -> None:
    cfg = load_config(
        f"profiles: [{{pluginConfig: [{{name: NodeResourcesFit, args: {{scoringStrategy: {{type: {strategy}}}}}}}]}}]"
    )
    fw = cfg.framework(rng=random.Random(seed))
    cache = Cache()
    for n in node_list:
        cache.add_node(n)
    by_name = {n["metadata"]["name"]: n for n in node_list}
    for pod in pod_list:
        snap = cache.snapshot()
        r = fw.schedule(pod, snap, explain=True)
        cycle = r.cycle
        # the vectorized verdicts equal the per-node path, for every Node evaluated
        if r.fit_error and not r.diagnosis.pre_filter_msg:
            for name in snap.names:
                exact = fw.run_filter_plugins(cycle, snap.get(name))
                assert exact is not None, f"{name} fits but the pod was declared unschedulable: {r.message}"
                got = r.diagnosis.node_to_status[name]
                assert (got.code, got.reasons, got.plugin) == tuple(exact)
        if r.node is None:
            assert r.fit_error and r.message.startswith(f"0/{len(node_list)} nodes are available:")
            continue
        node = by_name[r.node]
        assert fw.run_filter_plugins(cycle, snap.get(r.node)) is None
        tolerations = pod["spec"].get("tolerations") or []
        assert find_matching_untolerated_taint(node["spec"]["taints"], tolerations, _no_schedule) is None
        if node["spec"]["unschedulable"]:
            unsched = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}
            assert tolerations_tolerate_taint(tolerations, unsched)
        assert RequiredNodeAffinity(pod).match(node)
        exp = r.explanation
        if len(exp.total) > 1:
            assert exp.total[r.node] == max(exp.total.values())
        cache.assume_pod(pod, r.node)
        _check_node_invariants(cache)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6)),
        min_size=1,
        max_size=30,
    ),
    st.integers(1, 5),
    st.integers(1, 5),
)
def test_fast_scorers_equal_the_reference(rows: list[tuple[int, int, int, int]], w_cpu: int, w_mem: int) -> None:
    arr = np.array(rows, dtype=np.int64)
    req = {"cpu": arr[:, 0], "memory": arr[:, 1]}
    alloc = {"cpu": arr[:, 2], "memory": arr[:, 3]}
    weights = {"cpu": w_cpu, "memory": w_mem}
    assert (
        fast_allocated(req, alloc, weights, most=False).tolist()
        == scoring.least_allocated(req, alloc, weights).tolist()
    )
    assert (
        fast_allocated(req, alloc, weights, most=True).tolist() == scoring.most_allocated(req, alloc, weights).tolist()
    )
    assert fast_balanced2(req, alloc, ["cpu", "memory"]).tolist() == scoring.balanced_allocation(req, alloc).tolist()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nodes(), pods(), st.integers(0, 2**16))
def test_snapshot_matches_a_fresh_cache(node_list: list[dict], pod_list: list[dict], seed: int) -> None:
    """Incremental UpdateSnapshot gives what a cache built from scratch gives (assume, forget, confirm, remove)."""
    rng = random.Random(seed)
    fw = default_config().framework(rng=random.Random(seed))
    cache = Cache()
    for n in node_list:
        cache.add_node(n)
    placed: dict[str, dict] = {}
    for pod in pod_list:
        r = fw.schedule(pod, cache.snapshot())
        if r.node is None:
            continue
        cache.assume_pod(pod, r.node)
        action = rng.random()
        if action < 0.2:
            cache.forget_pod(pod)
        else:
            bound = {**pod, "spec": {**pod["spec"], "nodeName": r.node}}
            cache.add_pod(bound)
            placed[bound["metadata"]["uid"]] = bound
            if action > 0.9:
                cache.remove_pod(bound)
                del placed[bound["metadata"]["uid"]]
    fresh = Cache()
    for n in node_list:
        fresh.add_node(n)
    for p in placed.values():
        fresh.add_pod(p)
    a, b = cache.snapshot(), fresh.snapshot()
    assert a.names == b.names
    n = len(a.names)
    assert a.numpos.tolist() == a.num[:, np.concatenate([a.order, a.order])].tolist()  # the position-ordered copy
    assert a.numpos.shape[1] == 2 * n
    for name in a.names:
        sa, sb = a.slot_of[name], b.slot_of[name]
        assert a.num[:, sa].tolist() == b.num[:, sb].tolist(), name
        assert sorted(p.key for p in a.get(name).pods) == sorted(p.key for p in b.get(name).pods)


class _RSListers:
    def services(self, namespace: str) -> list:
        return []

    def replica_set(self, namespace: str, name: str) -> dict:
        return {"spec": {"selector": {"matchLabels": {"app": name}}}}


def _rs_pod(i: int, app: str) -> dict:
    return {
        "metadata": {
            "name": f"{app}-{i}",
            "namespace": "default",
            "uid": f"{app}-{i}",
            "labels": {"app": app},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": app, "controller": True}],
        },
        "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "100m"}}}]},
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nodes(), st.lists(st.tuples(st.sampled_from(["web", "db"]), st.booleans()), min_size=1, max_size=30))
def test_incremental_spread_counts_equal_a_fresh_snapshot(node_list: list[dict], ops: list[tuple[str, bool]]) -> None:
    """PodTopologySpread's system-default scoring reads per-domain counts the snapshot keeps incrementally; after
    any sequence of placements and removals they equal those of a snapshot built from scratch."""
    listers = _RSListers()
    fw = default_config().framework(rng=random.Random(0), listers=listers)
    cache = Cache()
    for n in node_list:
        cache.add_node(n)
    placed: list[dict] = []
    for i, (app, remove) in enumerate(ops):
        if remove and placed:
            cache.remove_pod(placed.pop(0))
            continue
        pod = _rs_pod(i, app)
        r = fw.schedule(pod, cache.snapshot())  # builds the memo and its per-domain sums
        if r.node is not None:
            bound = {**pod, "spec": {**pod["spec"], "nodeName": r.node}}
            cache.add_pod(bound)
            placed.append(bound)
    fresh = Cache()
    for n in node_list:
        fresh.add_node(n)
    for p in placed:
        fresh.add_pod(p)
    probe = _rs_pod(10**6, "web")
    pl_a = fw.plugins["PodTopologySpread"]
    fw_b = default_config().framework(rng=random.Random(0), listers=listers)
    pl_b = fw_b.plugins["PodTopologySpread"]
    from k8smodel.scheduler.framework import Cycle

    sa, sb = cache.snapshot(), fresh.snapshot()
    ca, cb = Cycle(fw, probe, sa), Cycle(fw_b, probe, sb)
    if pl_a.pre_score(ca, sa.order) is None:
        assert pl_b.pre_score(cb, sb.order) is None
        assert pl_a.score_vec(ca, sa.order).tolist() == pl_b.score_vec(cb, sb.order).tolist()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nodes(), pods(), pods(), st.integers(0, 2**16))
def test_nominated_pods_vector_equals_per_node(
    node_list: list[dict], placed: list[dict], nominated_pods: list[dict], seed: int
) -> None:
    """With nominated Pods, every Node's verdict equals ``RunFilterPluginsWithNominatedPods`` on that Node."""
    rng = random.Random(seed)
    fw = default_config().framework(rng=random.Random(seed))
    cache = Cache()
    for n in node_list:
        cache.add_node(n)
    for p in placed:
        r = fw.schedule(p, cache.snapshot())
        if r.node:
            cache.assume_pod(p, r.node)
    names = [n["metadata"]["name"] for n in node_list]
    nominated: dict[str, list[dict]] = {}
    for i, p in enumerate(nominated_pods):
        q = {**p, "metadata": {**p["metadata"], "uid": f"nom-{i}", "name": f"nom-{i}"}}
        nominated.setdefault(rng.choice(names), []).append(q)
    pod = {**placed[0], "metadata": {**placed[0]["metadata"], "uid": "incoming", "name": "incoming"}}
    snap = cache.snapshot()
    r = fw.schedule(pod, snap, nominated=nominated)
    if r.diagnosis.pre_filter_msg or (r.node is not None and r.feasible_nodes == 1 and r.evaluated_nodes == 1):
        return
    for name in snap.names:
        exact = fw.run_filter_with_nominated(r.cycle, snap.get(name))
        got = r.diagnosis.node_to_status.get(name)
        if exact is None or exact.is_success:
            assert got is None, name
        else:
            assert got is not None and (got.code, got.reasons, got.plugin) == tuple(exact), name


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["0", "1", "3", "16"]), st.sampled_from(["0", "1Gi", "3Gi"])), min_size=2, max_size=12
    ),
    st.lists(
        st.tuples(st.integers(0, 11), st.sampled_from([None, "0", "250m", "2"]), st.sampled_from([None, "512Mi"])),
        max_size=25,
    ),
    st.sampled_from([None, "100m", "1"]),
    st.sampled_from(["LeastAllocated", "MostAllocated"]),
)
def test_plugin_scores_equal_the_reference_formulas(
    allocs: list[tuple[str, str]], placed: list[tuple[int, str | None, str | None]], cpu: str | None, strategy: str
) -> None:
    """NodeResourcesFit and BalancedAllocation (their 2-row fast paths) equal scoring.py on the same numbers,
    Nodes with a zero allocatable included."""
    from k8smodel.scheduler.framework import Cycle

    cfg = load_config(
        f"profiles: [{{pluginConfig: [{{name: NodeResourcesFit, args: {{scoringStrategy: {{type: {strategy}}}}}}}]}}]"
    )
    fw = cfg.framework(rng=random.Random(0))
    cache = Cache()
    for i, (c, m) in enumerate(allocs):
        cache.add_node(
            {"metadata": {"name": f"n{i}"}, "status": {"allocatable": {"cpu": c, "memory": m, "pods": "99"}}}
        )

    def pod(name: str, cpu_req: str | None, mem_req: str | None, node: str | None = None) -> dict:
        req = {k: v for k, v in (("cpu", cpu_req), ("memory", mem_req)) if v is not None}
        spec: dict[str, Any] = {"containers": [{"name": "c", "resources": {"requests": req}}]}
        if node:
            spec["nodeName"] = node
        return {"metadata": {"name": name, "uid": name}, "spec": spec}

    for j, (i, c, m) in enumerate(placed):
        if i < len(allocs):
            cache.add_pod(pod(f"e{j}", c, m, f"n{i}"))
    snap = cache.snapshot()
    incoming = pod("p", cpu, "256Mi")
    cycle = Cycle(fw, incoming, snap)
    slots = snap.order
    infos = [snap.infos[s] for s in slots.tolist()]
    pi = cycle.pod_info
    alloc = {r: np.array([inf.allocatable[r] for inf in infos]) for r in ("cpu", "memory")}
    nz = {
        "cpu": np.array([inf.non_zero["cpu"] for inf in infos]) + pi.non0_cpu,
        "memory": np.array([inf.non_zero["memory"] for inf in infos]) + pi.non0_mem,
    }
    plain = {
        "cpu": np.array([inf.requested["cpu"] for inf in infos]) + pi.cpu,
        "memory": np.array([inf.requested["memory"] for inf in infos]) + pi.mem,
    }
    ref = scoring.most_allocated if strategy == "MostAllocated" else scoring.least_allocated
    fit = fw.plugins["NodeResourcesFit"]
    fit.pre_score(cycle, slots)
    assert fit.score_vec(cycle, slots).tolist() == ref(nz, alloc).tolist()
    ba = fw.plugins["NodeResourcesBalancedAllocation"]
    if ba.pre_score(cycle, slots) is None:
        assert ba.score_vec(cycle, slots).tolist() == scoring.balanced_allocation(plain, alloc).tolist()
