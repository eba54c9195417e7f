"""The default plugins, one by one, with cases from upstream's ``*_test.go`` tables (each test names its source).

Every Filter case is checked twice: through the vectorized ``filter_vec`` (what ``schedule`` uses) and through the
per-Node ``filter_node`` (what preemption and nominated Pods use); the two must agree.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from k8smodel.scheduler.cache import Cache
from k8smodel.scheduler.config import load_config
from k8smodel.scheduler.framework import Code, Cycle, Framework, Status

# --- builders (after pkg/scheduler/testing/wrappers.go: MakeNode, MakePod) -------------------------------------------


def make_node(
    name: str,
    capacity: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    taints: list[dict] | None = None,
    unschedulable: bool = False,
    images: list[tuple[list[str], int]] | None = None,
) -> dict:
    status: dict[str, Any] = {"allocatable": dict(capacity or {"cpu": "100", "memory": "100Gi", "pods": "110"})}
    if images:
        status["images"] = [{"names": names, "sizeBytes": size} for names, size in images]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, **(labels or {})}},
        "spec": {"taints": taints or [], "unschedulable": unschedulable},
        "status": status,
    }


_uid = iter(range(10**9))


def make_pod(
    name: str = "p",
    requests: list[dict[str, str]] | None = None,
    node: str | None = None,
    labels: dict[str, str] | None = None,
    namespace: str = "default",
    priority: int | None = None,
    **spec: Any,
) -> dict:
    containers = [
        {"name": f"c{i}", "image": "pause", "resources": {"requests": dict(r)}} for i, r in enumerate(requests or [])
    ]
    s: dict[str, Any] = {"containers": containers, **spec}
    if node is not None:
        s["nodeName"] = node
    if priority is not None:
        s["priority"] = priority
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "uid": f"uid-{next(_uid)}", "labels": labels or {}},
        "spec": s,
    }


def framework(config: str | None = None, listers: Any = None) -> Framework:
    cfg = load_config(config or "{}")
    name = next(iter(cfg.profiles))
    return cfg.framework(name, rng=random.Random(0), listers=listers)


def cluster(nodes: list[dict], pods: list[dict] = ()) -> Cache:  # type: ignore[assignment]
    cache = Cache()
    for n in nodes:
        cache.add_node(n)
    for p in pods:
        cache.add_pod(p)
    return cache


def run_filter(fw: Framework, plugin: str, pod: dict, cache: Cache) -> dict[str, Status | None]:
    """The plugin's verdict per Node, through both paths (they must agree)."""
    snap = cache.snapshot()
    cycle = Cycle(fw, pod, snap)
    pl = fw.plugins[plugin]
    for p in fw.pre_filter_plugins:
        _, st = p.pre_filter(cycle)
        if st is not None and st.is_skip:
            cycle.skip_filter.add(p.NAME)
    slots = snap.order
    if plugin in cycle.skip_filter:
        vec: dict[str, Status | None] = {n: None for n in snap.names}
    else:
        codes = pl.filter_vec(cycle, slots, np.ones(len(slots), dtype=bool))
        vec = {}
        for i, n in enumerate(snap.names):
            c = 0 if codes is None else int(codes[i])
            vec[n] = None if c == 0 else cycle.tables[plugin][c - 1]
    per_node = {
        n: (None if plugin in cycle.skip_filter else pl.filter_node(cycle, snap.get(n)))  # type: ignore[arg-type]
        for n in snap.names
    }
    assert vec == per_node, (vec, per_node)
    return vec


def run_score(fw: Framework, plugin: str, pod: dict, cache: Cache) -> dict[str, int]:
    """PreScore, Score and NormalizeScore of one plugin over all Nodes (as if all passed Filter)."""
    snap = cache.snapshot()
    cycle = Cycle(fw, pod, snap)
    for p in fw.pre_filter_plugins:
        p.pre_filter(cycle)
    slots = snap.order
    pl = fw.plugins[plugin]
    st = pl.pre_score(cycle, slots)
    if st is not None and st.is_skip:
        return {n: 0 for n in snap.names}
    raw = pl.score_vec(cycle, slots)
    norm = pl.normalize(cycle, raw, slots)
    return dict(zip(snap.names, (int(x) for x in norm), strict=True))


def raw_scores(fw: Framework, plugin: str, pod: dict, cache: Cache) -> dict[str, int]:
    snap = cache.snapshot()
    cycle = Cycle(fw, pod, snap)
    slots = snap.order
    pl = fw.plugins[plugin]
    pl.pre_score(cycle, slots)
    return dict(zip(snap.names, (int(x) for x in pl.score_vec(cycle, slots)), strict=True))


# --- NodeUnschedulable: node_unschedulable_test.go TestNodeUnschedulable ----------------------------------------------


@pytest.mark.parametrize(
    ("unschedulable", "tolerations", "fits"),
    [
        (True, [], False),  # "unschedulable node, no toleration"
        (False, [], True),  # "schedulable node"
        (True, [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}], True),  # "tolerates"
    ],
)
def test_node_unschedulable(unschedulable: bool, tolerations: list, fits: bool) -> None:
    fw = framework()
    cache = cluster([make_node("n", unschedulable=unschedulable)])
    got = run_filter(fw, "NodeUnschedulable", make_pod(tolerations=tolerations), cache)["n"]
    if fits:
        assert got is None
    else:
        assert got == Status(Code.UnschedulableAndUnresolvable, ("node(s) were unschedulable",))


# --- NodeName: node_name_test.go TestNodeName ------------------------------------------------------------------------


def test_node_name() -> None:
    fw = framework()
    cache = cluster([make_node("foo"), make_node("bar")])
    assert run_filter(fw, "NodeName", make_pod(), cache) == {"foo": None, "bar": None}  # "no host specified"
    got = run_filter(fw, "NodeName", make_pod(nodeName="foo"), cache)
    assert got["foo"] is None  # "host matches"
    assert got["bar"] == Status(Code.UnschedulableAndUnresolvable, ("node(s) didn't match the requested node name",))


def test_node_name_prefilter_result_and_missing_node_message() -> None:
    """node_name_test.go TestNodeName_PreFilter: the PreFilterResult is {spec.nodeName}; a Node that does not exist
    leaves every Node absent with 'didn't satisfy plugin(s) [NodeName]' (findNodesThatFitPod)."""
    fw = framework()
    cache = cluster([make_node("a"), make_node("b"), make_node("c")])
    r = fw.schedule(make_pod(nodeName="ghost"), cache.snapshot())
    assert r.node is None and r.fit_error
    assert r.message == "0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeName]."
    assert fw.schedule(make_pod(nodeName="b"), cache.snapshot()).node == "b"


# --- TaintToleration: taint_toleration_test.go TestTaintTolerationFilter / TestTaintTolerationScore -------------------

_UNTOLERATED = Status(Code.UnschedulableAndUnresolvable, ("node(s) had untolerated taint(s)",))


@pytest.mark.parametrize(
    ("tolerations", "taints", "fits"),
    [
        ([], [{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}], False),
        (
            [{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}],
            [{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}],
            True,
        ),
        (
            [{"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}],
            [{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}],
            False,
        ),
        (
            [{"key": "foo", "operator": "Exists", "effect": "NoSchedule"}],
            [{"key": "foo", "value": "bar", "effect": "NoSchedule"}],
            True,
        ),
        (
            [
                {"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"},
                {"key": "foo", "operator": "Exists", "effect": "NoSchedule"},
            ],
            [
                {"key": "dedicated", "value": "user2", "effect": "NoSchedule"},
                {"key": "foo", "value": "bar", "effect": "NoSchedule"},
            ],
            True,
        ),
        (
            [{"key": "foo", "operator": "Equal", "value": "bar", "effect": "PreferNoSchedule"}],
            [{"key": "foo", "value": "bar", "effect": "NoSchedule"}],
            False,
        ),
        (
            [{"key": "foo", "operator": "Equal", "value": "bar"}],
            [{"key": "foo", "value": "bar", "effect": "NoSchedule"}],
            True,
        ),
        (
            [{"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}],
            [{"key": "dedicated", "value": "user1", "effect": "PreferNoSchedule"}],
            True,
        ),
        ([], [{"key": "dedicated", "value": "user1", "effect": "PreferNoSchedule"}], True),
    ],
)
def test_taint_toleration_filter(tolerations: list, taints: list, fits: bool) -> None:
    fw = framework()
    cache = cluster([make_node("nodeA", taints=taints)])
    got = run_filter(fw, "TaintToleration", make_pod(tolerations=tolerations), cache)["nodeA"]
    assert got == (None if fits else _UNTOLERATED)


def test_taint_toleration_score() -> None:
    """TestTaintTolerationScore: 'the more intolerable taints a node has, the lower score it gets' and 'only
    taints and tolerations that have effect PreferNoSchedule are checked'."""
    fw = framework()
    pns = "PreferNoSchedule"
    cache = cluster(
        [
            make_node("nodeA"),
            make_node("nodeB", taints=[{"key": "cpu-type", "value": "arm64", "effect": pns}]),
            make_node(
                "nodeC",
                taints=[
                    {"key": "cpu-type", "value": "arm64", "effect": pns},
                    {"key": "disk-type", "value": "ssd", "effect": pns},
                ],
            ),
        ]
    )
    pod = make_pod(tolerations=[{"key": "foo", "operator": "Equal", "value": "bar", "effect": pns}])
    assert run_score(fw, "TaintToleration", pod, cache) == {"nodeA": 100, "nodeB": 50, "nodeC": 0}
    pod = make_pod(
        tolerations=[
            {"key": "cpu-type", "operator": "Equal", "value": "arm64", "effect": pns},
            {"key": "disk-type", "operator": "Equal", "value": "ssd", "effect": pns},
        ]
    )
    assert run_score(fw, "TaintToleration", pod, cache) == {"nodeA": 100, "nodeB": 100, "nodeC": 100}


# --- NodeAffinity: node_affinity_test.go TestNodeAffinity / TestNodeAffinityPriority ---------------------------------

_POD_AFFINITY_MISMATCH = Status(
    Code.UnschedulableAndUnresolvable, ("node(s) didn't match Pod's node affinity/selector",)
)


def _required(*terms: dict) -> dict:
    return {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": list(terms)}}}


@pytest.mark.parametrize(
    ("spec", "labels", "fits"),
    [
        ({}, {}, True),  # "no selector"
        ({"nodeSelector": {"foo": "bar"}}, {}, False),  # "missing labels"
        ({"nodeSelector": {"foo": "bar"}}, {"foo": "bar"}, True),  # "same labels"
        ({"nodeSelector": {"foo": "bar"}}, {"foo": "bar", "baz": "blah"}, True),  # "node labels are superset"
        ({"nodeSelector": {"foo": "bar", "baz": "blah"}}, {"foo": "bar"}, False),  # "node labels are subset"
        (
            {
                "affinity": _required(
                    {"matchExpressions": [{"key": "foo", "operator": "In", "values": ["bar", "value2"]}]}
                )
            },
            {"foo": "bar"},
            True,
        ),
        (
            {
                "affinity": _required(
                    {"matchExpressions": [{"key": "kernel-version", "operator": "Gt", "values": ["0204"]}]}
                )
            },
            {"kernel-version": "0206"},
            True,
        ),
        (
            {
                "affinity": _required(
                    {"matchExpressions": [{"key": "mem-type", "operator": "NotIn", "values": ["DDR", "DDR2"]}]}
                )
            },
            {"mem-type": "DDR3"},
            True,
        ),
        (
            {"affinity": _required({"matchExpressions": [{"key": "GPU", "operator": "Exists"}]})},
            {"GPU": "NVIDIA-GRID-K1"},
            True,
        ),
        (
            {
                "affinity": _required(
                    {"matchExpressions": [{"key": "foo", "operator": "In", "values": ["value1", "value2"]}]}
                )
            },
            {"foo": "bar"},
            False,
        ),
        ({"affinity": _required()}, {"foo": "bar"}, False),  # "empty NodeSelectorTerms: nothing"
        ({"affinity": _required({})}, {"foo": "bar"}, False),  # "empty MatchExpressions: nothing"
        (
            {
                "affinity": _required(
                    {"matchExpressions": [{"key": "foo", "operator": "In", "values": ["bar"]}]},
                    {"matchExpressions": [{"key": "diffkey", "operator": "In", "values": ["wrong", "value2"]}]},
                )
            },
            {"foo": "bar"},
            True,
        ),  # "terms are ORed"
        (
            {
                "affinity": _required(
                    {
                        "matchExpressions": [
                            {"key": "foo", "operator": "Exists"},
                            {"key": "bar", "operator": "DoesNotExist"},
                        ]
                    }
                )
            },
            {"foo": "bar"},
            True,
        ),
        (
            {"affinity": _required({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node1"]}]})},
            {},
            True,
        ),  # "matchFields on metadata.name"
        (
            {"affinity": _required({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node2"]}]})},
            {},
            False,
        ),
        (
            {"affinity": _required({"matchExpressions": [{"key": "foo", "operator": "BadOp", "values": ["bar"]}]})},
            {"foo": "bar"},
            False,
        ),  # an invalid term never matches
    ],
)
def test_node_affinity_filter(spec: dict, labels: dict, fits: bool) -> None:
    fw = framework()
    cache = cluster([make_node("node1", labels=labels)])
    got = run_filter(fw, "NodeAffinity", make_pod(**spec), cache)["node1"]
    assert got == (None if fits else _POD_AFFINITY_MISMATCH)


def test_node_affinity_prefilter_conflict_and_node_names() -> None:
    """TestNodeAffinityPreFilter: matchFields metadata.name narrows the Nodes; ANDed names that conflict give
    'pod affinity terms conflict'."""
    fw = framework()
    cache = cluster([make_node("node1"), make_node("node2"), make_node("node3")])
    spec = _required(
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node1", "node2"]}]},
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node3"]}]},
    )
    r = fw.schedule(make_pod(affinity=spec), cache.snapshot(), explain=True)
    assert r.explanation.pre_filter_nodes["NodeAffinity"] == ["node1", "node2", "node3"]
    conflict = _required(
        {
            "matchFields": [
                {"key": "metadata.name", "operator": "In", "values": ["node1"]},
                {"key": "metadata.name", "operator": "In", "values": ["node2"]},
            ]
        }
    )
    r = fw.schedule(make_pod(affinity=conflict), cache.snapshot())
    assert r.message == "0/3 nodes are available: pod affinity terms conflict."


def test_node_affinity_score() -> None:
    """TestNodeAffinityPriority 'all nodes matches the preferred scheduling requirements of pod' weights 2, 8, 5."""
    fw = framework()
    cache = cluster(
        [
            make_node("node1", labels={"foo": "bar"}),
            make_node("node2", labels={"foo": "bar", "key": "value"}),
            make_node("node3", labels={"foo": "bar", "key": "value", "az": "az1"}),
        ]
    )

    def term(weight: int, exprs: list) -> dict:
        return {"weight": weight, "preference": {"matchExpressions": exprs}}

    pref = [
        term(2, [{"key": "foo", "operator": "In", "values": ["bar"]}]),
        term(4, [{"key": "key", "operator": "In", "values": ["value"]}]),
        term(
            5,
            [
                {"key": "foo", "operator": "In", "values": ["bar"]},
                {"key": "key", "operator": "In", "values": ["value"]},
                {"key": "az", "operator": "In", "values": ["az1"]},
            ],
        ),
    ]
    pod = make_pod(affinity={"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": pref}})
    assert raw_scores(fw, "NodeAffinity", pod, cache) == {"node1": 2, "node2": 6, "node3": 11}
    assert run_score(fw, "NodeAffinity", pod, cache) == {"node1": 18, "node2": 54, "node3": 100}


def test_added_affinity_is_enforced() -> None:
    """TestNodeAffinity 'Matches added affinity and Pod's node affinity' family: the profile's addedAffinity."""
    fw = framework(
        """
profiles:
- pluginConfig:
  - name: NodeAffinity
    args:
      addedAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
          - matchExpressions: [{key: zone, operator: In, values: [foo]}]
"""
    )
    cache = cluster([make_node("a", labels={"zone": "foo"}), make_node("b", labels={"zone": "bar"})])
    got = run_filter(fw, "NodeAffinity", make_pod(), cache)
    assert got["a"] is None
    assert got["b"] == Status(
        Code.UnschedulableAndUnresolvable, ("node(s) didn't match scheduler-enforced node affinity",)
    )


# --- NodePorts: node_ports_test.go TestNodePorts ------------------------------------------------------------------


def _port_pod(*specs: str, node: str | None = None) -> dict:
    ports = []
    for s in specs:
        proto, ip, port = s.split("/")
        ports.append({"containerPort": int(port), "hostPort": int(port), "hostIP": ip, "protocol": proto})
    pod = make_pod(node=node)
    pod["spec"]["containers"] = [{"name": "c", "image": "pause", "ports": ports}]
    return pod


@pytest.mark.parametrize(
    ("want", "used", "fits"),
    [
        ([], [], True),  # "nothing running"
        (["UDP/127.0.0.1/8080"], ["UDP/127.0.0.1/9090"], True),  # "other port"
        (["UDP/127.0.0.1/8080"], ["UDP/127.0.0.1/8080"], False),  # "same udp port"
        (["TCP/127.0.0.1/8080"], ["TCP/127.0.0.1/8080"], False),  # "same tcp port"
        (["TCP/127.0.0.1/8080"], ["TCP/127.0.0.2/8080"], True),  # "different host ip"
        (["UDP/127.0.0.1/8080"], ["TCP/127.0.0.1/8080"], True),  # "different protocol"
        (["UDP/127.0.0.1/8000", "UDP/127.0.0.1/8080"], ["UDP/127.0.0.1/8080"], False),  # "second udp port conflict"
        (["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"], ["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8081"], False),
        (["TCP/0.0.0.0/8001"], ["TCP/127.0.0.1/8001"], False),  # "conflict due to 0.0.0.0 hostIP"
        (["TCP/10.0.10.10/8001", "TCP/0.0.0.0/8001"], ["TCP/127.0.0.1/8001"], False),
        (["TCP/127.0.0.1/8001"], ["TCP/0.0.0.0/8001"], False),  # "second tcp port conflict to 0.0.0.0 hostIP"
        (["UDP/127.0.0.1/8001"], ["TCP/0.0.0.0/8001"], True),  # "second different protocol"
        (["UDP/127.0.0.1/8001"], ["TCP/0.0.0.0/8001", "UDP/0.0.0.0/8001"], False),  # "UDP hostPort conflict"
    ],
)
def test_node_ports(want: list[str], used: list[str], fits: bool) -> None:
    fw = framework()
    existing = [_port_pod(*used, node="n")] if used else []
    cache = cluster([make_node("n")], existing)
    got = run_filter(fw, "NodePorts", _port_pod(*want), cache)["n"]
    expected = Status(Code.Unschedulable, ("node(s) didn't have free ports for the requested pod ports",))
    assert got == (None if fits else expected)


# --- NodeResourcesFit: fit_test.go TestEnoughRequests ---------------------------------------------------------------

_FIT_NODE = {"cpu": "10m", "memory": "20", "pods": "32", "ephemeral-storage": "20", "example.com/aaa": "5"}


def _res(cpu: int, mem: int) -> dict[str, str]:
    return {"cpu": f"{cpu}m", "memory": str(mem)}


@pytest.mark.parametrize(
    ("name", "pod", "existing", "reasons", "code"),
    [
        ("no resources requested always fits", make_pod(), [_res(10, 20)], (), None),
        (
            "too many resources fails",
            make_pod(requests=[_res(1, 1)]),
            [_res(10, 20)],
            ("Insufficient cpu", "Insufficient memory"),
            Code.Unschedulable,
        ),
        ("both resources fit", make_pod(requests=[_res(1, 1)]), [_res(5, 5)], (), None),
        (
            "one resource memory fits",
            make_pod(requests=[_res(2, 1)]),
            [_res(9, 5)],
            ("Insufficient cpu",),
            Code.Unschedulable,
        ),
        (
            "one resource cpu fits",
            make_pod(requests=[_res(1, 2)]),
            [_res(5, 19)],
            ("Insufficient memory",),
            Code.Unschedulable,
        ),
        ("equal edge case", make_pod(requests=[_res(5, 1)]), [_res(5, 19)], (), None),
        (
            "extended resource capacity enforced (unresolvable)",
            make_pod(requests=[{"example.com/aaa": "10"}]),
            [_res(0, 0)],
            ("Insufficient example.com/aaa",),
            Code.UnschedulableAndUnresolvable,
        ),
        (
            "extended resource allocatable enforced",
            make_pod(requests=[{"example.com/aaa": "1"}]),
            [{**_res(0, 0), "example.com/aaa": "5"}],
            ("Insufficient example.com/aaa",),
            Code.Unschedulable,
        ),
        (
            "larger than the whole node: unresolvable",
            make_pod(requests=[_res(11, 1)]),
            [_res(1, 1)],
            ("Insufficient cpu",),
            Code.UnschedulableAndUnresolvable,
        ),
    ],
)
def test_enough_requests(name: str, pod: dict, existing: list, reasons: tuple, code: Code | None) -> None:
    fw = framework()
    pods = [make_pod(f"e{i}", requests=[r], node="n") for i, r in enumerate(existing)]
    cache = cluster([make_node("n", capacity=_FIT_NODE)], pods)
    got = run_filter(fw, "NodeResourcesFit", pod, cache)["n"]
    assert got == (None if code is None else Status(code, reasons)), name


def test_too_many_pods() -> None:
    """fit_test.go TestEnoughRequests/TestPredicateWithPods: 'Too many pods' when pods + 1 > allocatable pods."""
    fw = framework()
    cache = cluster([make_node("n", capacity={"cpu": "1", "memory": "1Gi", "pods": "1"})], [make_pod("e", node="n")])
    assert run_filter(fw, "NodeResourcesFit", make_pod(), cache)["n"] == Status(Code.Unschedulable, ("Too many pods",))


def test_ignored_extended_resources() -> None:
    """fit_test.go 'skip checking ignored extended resource' (ignoredResources / ignoredResourceGroups)."""
    fw = framework(
        "profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {ignoredResources: [example.com/bbb], "
        "ignoredResourceGroups: [ignored.com]}}]}]"
    )
    cache = cluster([make_node("n", capacity=_FIT_NODE)])
    pod = make_pod(requests=[{"example.com/bbb": "1", "ignored.com/x": "3"}])
    assert run_filter(fw, "NodeResourcesFit", pod, cache)["n"] is None


# --- NodeResourcesFit scoring: least_allocated_test.go / most_allocated_test.go -------------------------------------


def _cap(cpu: str, mem: str) -> dict[str, str]:
    return {"cpu": cpu, "memory": mem, "pods": "110"}


def _req_pod(*reqs: dict[str, str], node: str | None = None) -> dict:
    return make_pod(requests=list(reqs), node=node)


@pytest.mark.parametrize(
    ("name", "pod", "caps", "existing", "expected"),
    [
        ("nothing scheduled, nothing requested", _req_pod(), [("4000", "10000")] * 2, [], [100, 100]),
        (
            "nothing scheduled, resources requested, differently sized nodes",
            _req_pod({"cpu": "1000", "memory": "2000"}, {"cpu": "2000", "memory": "3000"}),
            [("4000", "10000"), ("6000", "10000")],
            [],
            [37, 50],
        ),
        (
            "no resources requested, pods scheduled with resources",
            _req_pod(),
            [("10000", "20000")] * 2,
            [("node1", "3000", "0"), ("node1", "3000", "0"), ("node2", "3000", "0"), ("node2", "3000", "5000")],
            [70, 57],
        ),
        (
            "resources requested, pods scheduled with resources, differently sized nodes",
            _req_pod({"cpu": "1000", "memory": "2000"}, {"cpu": "2000", "memory": "3000"}),
            [("10000", "20000"), ("10000", "50000")],
            [("node1", "3000", "0"), ("node2", "3000", "5000")],
            [57, 60],
        ),
        (
            "requested resources exceed node capacity",
            _req_pod({"cpu": "3000", "memory": "0"}),
            [("4000", "10000")] * 2,
            [("node1", "3000", "0"), ("node2", "3000", "5000")],
            [50, 25],
        ),
    ],
)
def test_least_allocated(name: str, pod: dict, caps: list, existing: list, expected: list[int]) -> None:
    """least_allocated_test.go TestLeastAllocatedScoringStrategy."""
    fw = framework()
    nodes = [make_node(f"node{i + 1}", capacity=_cap(c, m)) for i, (c, m) in enumerate(caps)]
    pods = [_req_pod({"cpu": c, "memory": m}, node=n) for n, c, m in existing]
    got = run_score(fw, "NodeResourcesFit", pod, cluster(nodes, pods))
    assert list(got.values()) == expected, name


def test_least_allocated_weights() -> None:
    """TestLeastAllocatedScoringStrategy 'different weight on CPU and memory': memory 2, cpu 1 → 41 and 50."""
    fw = framework(
        "profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: {type: LeastAllocated, "
        "resources: [{name: memory, weight: 2}, {name: cpu, weight: 1}]}}}]}]"
    )
    nodes = [make_node("node1", capacity=_cap("4000", "10000")), make_node("node2", capacity=_cap("6000", "10000"))]
    pod = _req_pod({"cpu": "1000", "memory": "2000"}, {"cpu": "2000", "memory": "3000"})
    assert list(run_score(fw, "NodeResourcesFit", pod, cluster(nodes)).values()) == [41, 50]


def test_most_allocated() -> None:
    """most_allocated_test.go TestMostAllocatedScoringStrategy 'nothing scheduled, resources requested,
    differently sized nodes': node1 (3000/4000, 5000/10000) = (75+50)/2 = 62, node2 (50+50)/2 = 50."""
    fw = framework(
        "profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: {type: MostAllocated}}}]}]"
    )
    nodes = [make_node("node1", capacity=_cap("4000", "10000")), make_node("node2", capacity=_cap("6000", "10000"))]
    pod = _req_pod({"cpu": "1000", "memory": "2000"}, {"cpu": "2000", "memory": "3000"})
    assert list(run_score(fw, "NodeResourcesFit", pod, cluster(nodes)).values()) == [62, 50]


def test_requested_to_capacity_ratio() -> None:
    """requested_to_capacity_ratio_test.go TestRequestedToCapacityRatioScoringStrategy 'nothing scheduled,
    nothing requested' with shape {0:10, 100:0}: both Nodes score 100 (empty is best)."""
    fw = framework(
        "profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: {type: RequestedToCapacityRatio,"
        " requestedToCapacityRatio: {shape: [{utilization: 0, score: 10}, {utilization: 100, score: 0}]}}}}]}]"
    )
    nodes = [make_node("node1", capacity=_cap("4000", "10000")), make_node("node2", capacity=_cap("4000", "10000"))]
    assert list(run_score(fw, "NodeResourcesFit", _req_pod(), cluster(nodes)).values()) == [100, 100]


# --- NodeResourcesBalancedAllocation: balanced_allocation_test.go TestNodeResourcesBalancedAllocation --------------


def test_balanced_allocation() -> None:
    """'nothing scheduled, resources requested, differently sized nodes': node1 cpu 3000/4000 mem 5000/10000 →
    std 0.125 → 87; node2 cpu 3000/6000 mem 5000/10000 → 100."""
    fw = framework()
    nodes = [make_node("node1", capacity=_cap("4000", "10000")), make_node("node2", capacity=_cap("6000", "10000"))]
    pod = _req_pod({"cpu": "1000", "memory": "2000"}, {"cpu": "2000", "memory": "3000"})
    assert list(run_score(fw, "NodeResourcesBalancedAllocation", pod, cluster(nodes)).values()) == [87, 100]


def test_balanced_allocation_skips_best_effort_pods() -> None:
    """balanced_allocation_test.go 'PreScore skips best-effort pod' (issue 129138)."""
    fw = framework()
    snap = cluster([make_node("n")]).snapshot()
    cycle = Cycle(fw, make_pod(), snap)
    assert fw.plugins["NodeResourcesBalancedAllocation"].pre_score(cycle, snap.order).is_skip


# --- ImageLocality: image_locality_test.go TestImageLocalityPriority ------------------------------------------------


def test_image_locality() -> None:
    """'two images spread on two nodes, prefer the larger image one': node1 has gcr.io/40 (40 MiB) and
    gcr.io/250 (250 MiB), node2 has gcr.io/250 and gcr.io/10. Pod uses gcr.io/40 and gcr.io/250:
    node1 = 100 * (40*1/2 + 250*2/2 - 23) / (2000 - 23) MiB = 12 (int64 arithmetic on bytes); node2 = 250 MiB
    → 100 * (250 - 23) / 1977 = 11."""
    mb = 1024 * 1024
    fw = framework()
    nodes = [
        make_node("node1", images=[(["gcr.io/40:latest", "gcr.io/40:v1"], 40 * mb), (["gcr.io/250:latest"], 250 * mb)]),
        make_node("node2", images=[(["gcr.io/250:latest"], 250 * mb), (["gcr.io/10:latest", "gcr.io/10:v1"], 10 * mb)]),
    ]
    pod = make_pod()
    pod["spec"]["containers"] = [{"name": "a", "image": "gcr.io/40"}, {"name": "b", "image": "gcr.io/250"}]
    assert run_score(fw, "ImageLocality", pod, cluster(nodes)) == {"node1": 12, "node2": 11}


# --- PodTopologySpread: filtering_test.go TestSingleConstraint / scoring_test.go TestPodTopologySpreadScore ---------


def _spread(key: str, max_skew: int, when: str = "DoNotSchedule", app: str = "foo", **more: Any) -> dict:
    return {
        "maxSkew": max_skew,
        "topologyKey": key,
        "whenUnsatisfiable": when,
        "labelSelector": {"matchExpressions": [{"key": app, "operator": "Exists"}]},
        **more,
    }


def _zone_nodes() -> list[dict]:
    return [
        make_node("node-a", labels={"zone": "zone1"}),
        make_node("node-b", labels={"zone": "zone1"}),
        make_node("node-x", labels={"zone": "zone2"}),
        make_node("node-y", labels={"zone": "zone2"}),
    ]


def test_pod_topology_spread_filter_zone() -> None:
    """TestSingleConstraint 'normal case with one spreadConstraint': zone1 has 2 matching Pods, zone2 has 3;
    maxSkew 1 → zone1 fits, zone2 does not."""
    fw = framework()
    existing = [
        make_pod("p-a1", node="node-a", labels={"foo": ""}),
        make_pod("p-b1", node="node-b", labels={"foo": ""}),
        make_pod("p-x1", node="node-x", labels={"foo": ""}),
        make_pod("p-y1", node="node-y", labels={"foo": ""}),
        make_pod("p-y2", node="node-y", labels={"foo": ""}),
    ]
    pod = make_pod(labels={"foo": ""}, topologySpreadConstraints=[_spread("zone", 1)])
    got = run_filter(fw, "PodTopologySpread", pod, cluster(_zone_nodes(), existing))
    skew = Status(Code.Unschedulable, ("node(s) didn't match pod topology spread constraints",))
    assert got == {"node-a": None, "node-b": None, "node-x": skew, "node-y": skew}


def test_pod_topology_spread_filter_missing_label_and_min_domains() -> None:
    """TestSingleConstraint 'pods spread across nodes as 2/1/0/3, only node-x fits' variants: a Node without the
    key is UnschedulableAndUnresolvable; with minDomains above the number of domains the global minimum is 0."""
    fw = framework()
    nodes = [*_zone_nodes(), make_node("node-z")]  # no zone label
    existing = [make_pod("p1", node="node-a", labels={"foo": ""})]
    pod = make_pod(labels={"foo": ""}, topologySpreadConstraints=[_spread("zone", 1)])
    got = run_filter(fw, "PodTopologySpread", pod, cluster(nodes, existing))
    missing = Status(
        Code.UnschedulableAndUnresolvable,
        ("node(s) didn't match pod topology spread constraints (missing required label)",),
    )
    skew = Status(Code.Unschedulable, ("node(s) didn't match pod topology spread constraints",))
    assert got == {"node-a": skew, "node-b": skew, "node-x": None, "node-y": None, "node-z": missing}
    # zone2 gets one: now 1/1; with minDomains 3 (only 2 domains) the minimum counts as 0: skew 1+1-0 > 1 everywhere
    existing.append(make_pod("p2", node="node-x", labels={"foo": ""}))
    pod = make_pod(labels={"foo": ""}, topologySpreadConstraints=[_spread("zone", 1, minDomains=3)])
    got = run_filter(fw, "PodTopologySpread", pod, cluster(nodes, existing))
    assert [n for n, st in got.items() if st is None] == []


def test_pod_topology_spread_score() -> None:
    """TestPodTopologySpreadScore 'one constraint on node, all 4 nodes are candidates': pods 2/1/0/3 on
    node-a..d (hostname, maxSkew 1, weight ln(4+2)): raw 2·w, 1·w, 0, 3·w rounded → 4, 2, 0, 5;
    normalized 100·(max + min - s)/max → 20, 60, 100, 0."""
    fw = framework()
    nodes = [make_node(n) for n in ("node-a", "node-b", "node-c", "node-d")]
    counts = {"node-a": 2, "node-b": 1, "node-c": 0, "node-d": 3}
    existing = [make_pod(f"{n}-{i}", node=n, labels={"foo": ""}) for n, k in counts.items() for i in range(k)]
    pod = make_pod(
        labels={"foo": ""}, topologySpreadConstraints=[_spread("kubernetes.io/hostname", 1, "ScheduleAnyway")]
    )
    cache = cluster(nodes, existing)
    assert raw_scores(fw, "PodTopologySpread", pod, cache) == {"node-a": 4, "node-b": 2, "node-c": 0, "node-d": 5}
    assert run_score(fw, "PodTopologySpread", pod, cache) == {"node-a": 20, "node-b": 60, "node-c": 100, "node-d": 0}


class _RSListers:
    """Listers with one ReplicaSet 'rs' selecting app=web (for the system default constraints)."""

    def services(self, namespace: str) -> list:
        return []

    def replica_set(self, namespace: str, name: str) -> dict | None:
        return {"spec": {"selector": {"matchLabels": {"app": "web"}}}} if name == "rs" else None


def _owned(name: str, node: str | None = None) -> dict:
    p = make_pod(name, node=node, labels={"app": "web"})
    p["metadata"]["ownerReferences"] = [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "controller": True}
    ]
    return p


def test_pod_topology_spread_system_defaults() -> None:
    """plugin.go systemDefaultConstraints (scoring_test.go 'system defaulting'): a ReplicaSet's Pod spreads by
    hostname (maxSkew 3) and zone (maxSkew 5); a Pod with no owner and no Service gets no default constraint."""
    fw = framework(listers=_RSListers())
    nodes = [
        make_node("a", labels={"topology.kubernetes.io/zone": "z1"}),
        make_node("b", labels={"topology.kubernetes.io/zone": "z2"}),
    ]
    existing = [_owned(f"w{i}", node="a") for i in range(4)]
    cache = cluster(nodes, existing)
    got = run_score(fw, "PodTopologySpread", _owned("new"), cache)
    assert got["b"] == 100 and got["a"] < got["b"]
    assert run_score(fw, "PodTopologySpread", make_pod(labels={"app": "web"}), cache) == {"a": 0, "b": 0}
    assert run_score(framework(), "PodTopologySpread", _owned("new"), cache) == {"a": 0, "b": 0}  # no listers


# --- InterPodAffinity: interpodaffinity filtering_test.go TestRequiredAffinitySingleNode / scoring_test.go ----------


def _term(key: str, op: str, values: list[str], topology: str = "region") -> dict:
    return {
        "labelSelector": {"matchExpressions": [{"key": key, "operator": op, "values": values}]},
        "topologyKey": topology,
    }


_AFF = Status(Code.UnschedulableAndUnresolvable, ("node(s) didn't match pod affinity rules",))
_ANTI = Status(Code.Unschedulable, ("node(s) didn't match pod anti-affinity rules",))
_EXISTING = Status(Code.Unschedulable, ("node(s) didn't satisfy existing pods anti-affinity rules",))


def test_inter_pod_affinity_required() -> None:
    """TestRequiredAffinitySingleNode: 'satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity
    using In operator that matches the existing pod' and 'doesn't satisfy ... doesn't match'."""
    fw = framework()
    nodes = [make_node("node1", labels={"region": "r1", "zone": "z11"})]
    existing = [make_pod("e", node="node1", labels={"service": "securityscan"})]
    cache = cluster(nodes, existing)
    ok = make_pod(
        labels={"service": "securityscan"},
        affinity={
            "podAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [_term("service", "In", ["securityscan", "value2"])]
            }
        },
    )
    assert run_filter(fw, "InterPodAffinity", ok, cache)["node1"] is None
    bad = make_pod(
        affinity={
            "podAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [_term("service", "In", ["antivirusscan", "value2"])]
            }
        }
    )
    assert run_filter(fw, "InterPodAffinity", bad, cache)["node1"] == _AFF


def test_inter_pod_affinity_first_pod_of_group() -> None:
    """TestRequiredAffinitySingleNode 'satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in
    PodAffinity ... the pod matches its own affinity and no other pod matches' (the first Pod of a group)."""
    fw = framework()
    cache = cluster([make_node("node1", labels={"region": "r1"})])
    pod = make_pod(
        labels={"app": "x"},
        affinity={"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [_term("app", "In", ["x"])]}},
    )
    assert run_filter(fw, "InterPodAffinity", pod, cache)["node1"] is None


def test_inter_pod_anti_affinity_both_ways() -> None:
    """TestRequiredAffinitySingleNode anti-affinity cases: the incoming Pod's anti-affinity, and an existing Pod's
    anti-affinity that matches the incoming Pod (symmetry)."""
    fw = framework()
    nodes = [make_node("node1", labels={"region": "r1"}), make_node("node2", labels={"region": "r2"})]
    existing = [make_pod("e", node="node1", labels={"service": "securityscan"})]
    cache = cluster(nodes, existing)
    pod = make_pod(
        affinity={
            "podAntiAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [_term("service", "In", ["securityscan"])]
            }
        }
    )
    assert run_filter(fw, "InterPodAffinity", pod, cache) == {"node1": _ANTI, "node2": None}
    guard = make_pod(
        "guard",
        node="node2",
        labels={"team": "a"},
        affinity={
            "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [_term("app", "In", ["noisy"])]}
        },
    )
    cache = cluster(nodes, [guard])
    assert run_filter(fw, "InterPodAffinity", make_pod(labels={"app": "noisy"}), cache) == {
        "node1": None,
        "node2": _EXISTING,
    }


def test_inter_pod_affinity_score() -> None:
    """scoring_test.go TestPreferredAffinity 'Affinity: pod that matches topology key & pods in nodes will get
    high score comparing to others': weight 5 towards security=S1 in region → region China (node1, node3) 100."""
    fw = framework()
    nodes = [
        make_node("node1", labels={"region": "China"}),
        make_node("node2", labels={"region": "India"}),
        make_node("node3", labels={"region": "China"}),
    ]
    existing = [make_pod("e", node="node1", labels={"security": "S1"})]
    pref = [{"weight": 5, "podAffinityTerm": _term("security", "In", ["S1"])}]
    pod = make_pod(affinity={"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": pref}})
    assert run_score(fw, "InterPodAffinity", pod, cluster(nodes, existing)) == {"node1": 100, "node2": 0, "node3": 100}


def test_inter_pod_affinity_existing_hard_affinity_scores() -> None:
    """scoring_test.go 'Hard Pod Affinity symmetry': an existing Pod's required affinity towards the incoming Pod
    adds hardPodAffinityWeight (1) to its domain."""
    fw = framework()
    nodes = [make_node("node1", labels={"region": "China"}), make_node("node2", labels={"region": "India"})]
    existing = [
        make_pod(
            "e",
            node="node1",
            affinity={
                "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [_term("service", "In", ["S1"])]}
            },
        )
    ]
    pod = make_pod(labels={"service": "S1"})
    assert run_score(fw, "InterPodAffinity", pod, cluster(nodes, existing)) == {"node1": 100, "node2": 0}


# --- DefaultPreemption: default_preemption_test.go TestSelectBestCandidate / TestPodEligibleToPreemptOthers ---------


def _preempt(fw: Framework, pod: dict, cache: Cache) -> Any:
    snap = cache.snapshot()
    r = fw.schedule(pod, snap)
    assert r.node is None
    return r, fw.post_filter(pod, snap, r)


def test_preemption_picks_lowest_priority_victims() -> None:
    """TestSelectBestCandidate 'a pod that fits on a machine with lower priority victims': the Node whose highest
    victim has the lowest priority wins; victims are only the Pods needed."""
    fw = framework()
    nodes = [make_node(f"m{i}", capacity={"cpu": "2", "memory": "4Gi", "pods": "10"}) for i in range(3)]
    existing = [
        make_pod("m0-low", requests=[{"cpu": "1"}], node="m0", priority=10),
        make_pod("m0-mid", requests=[{"cpu": "1"}], node="m0", priority=20),
        make_pod("m1-mid", requests=[{"cpu": "2"}], node="m1", priority=20),
        make_pod("m2-high", requests=[{"cpu": "2"}], node="m2", priority=200),
    ]
    pod = make_pod("p", requests=[{"cpu": "1"}], priority=100)
    r, pr = _preempt(fw, pod, cluster(nodes, existing))
    assert pr.node == "m0"
    assert [v["metadata"]["name"] for v in pr.victims] == ["m0-low"]
    assert pr.status.is_success and pr.message == ""
    assert r.message == "0/3 nodes are available: 3 Insufficient cpu."


def test_preemption_policy_never() -> None:
    """TestPodEligibleToPreemptOthers 'Pod with PreemptNever preemptionPolicy'."""
    fw = framework()
    cache = cluster(
        [make_node("n", capacity={"cpu": "1", "memory": "1Gi", "pods": "10"})],
        [make_pod("e", requests=[{"cpu": "1"}], node="n", priority=0)],
    )
    r, pr = _preempt(fw, make_pod("p", requests=[{"cpu": "1"}], priority=100, preemptionPolicy="Never"), cache)
    assert pr.node is None and pr.nominating_mode == "Noop"
    assert (
        r.message
        == "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."
    )


def test_preemption_not_helpful_message() -> None:
    """Preempt's FitError: 'No preemption victims found for incoming pod' for a candidate without lower-priority
    Pods; 'Preemption is not helpful for scheduling' for Nodes rejected as unresolvable."""
    fw = framework()
    nodes = [
        make_node("a", capacity={"cpu": "1", "memory": "1Gi", "pods": "10"}),
        make_node(
            "b", capacity={"cpu": "1", "memory": "1Gi", "pods": "10"}, taints=[{"key": "k", "effect": "NoSchedule"}]
        ),
    ]
    existing = [make_pod("e", requests=[{"cpu": "1"}], node="a", priority=500)]
    r, pr = _preempt(fw, make_pod("p", requests=[{"cpu": "1"}], priority=100), cluster(nodes, existing))
    assert pr.node is None and pr.nominating_mode == "Override"
    assert r.message == (
        "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint(s). preemption: 0/2 nodes are "
        "available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."
    )


def test_preemption_respects_pdb() -> None:
    """TestSelectBestCandidate / filterPodsWithPDBViolation: a Node whose victim a PDB protects loses to one with no
    violation."""

    class PDBListers:
        def pod_disruption_budgets(self) -> list:
            return [
                {
                    "metadata": {"namespace": "default"},
                    "spec": {"selector": {"matchLabels": {"app": "db"}}},
                    "status": {"disruptionsAllowed": 0},
                }
            ]

    fw = framework(listers=PDBListers())
    nodes = [make_node(f"m{i}", capacity={"cpu": "1", "memory": "4Gi", "pods": "10"}) for i in range(2)]
    existing = [
        make_pod("db", requests=[{"cpu": "1"}], node="m0", priority=0, labels={"app": "db"}),
        make_pod("web", requests=[{"cpu": "1"}], node="m1", priority=5, labels={"app": "web"}),
    ]
    _, pr = _preempt(fw, make_pod("p", requests=[{"cpu": "1"}], priority=100), cluster(nodes, existing))
    assert pr.node == "m1"
