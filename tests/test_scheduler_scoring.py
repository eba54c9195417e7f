"""Tests of k8smodel.scheduler.scoring, from the upstream test tables of
``pkg/scheduler/framework/plugins/noderesources`` (github.com/kubernetes/kubernetes):

* ``least_allocated_test.go`` TestLeastAllocatedScoringStrategy (stored commit 008b3652959c...),
* ``most_allocated_test.go`` TestMostAllocatedScoringStrategy (030880a5dc54...),
* ``requested_to_capacity_ratio_test.go`` TestRequestedToCapacityRatioScoringStrategy, TestBrokenLinearFunction,
  TestResourceBinPackingSingleExtended, TestResourceBinPackingMultipleExtended (00b9ead02c37...),
* ``balanced_allocation_test.go`` TestNodeResourcesBalancedAllocation (00fdb4ffc649...).

Each upstream case (two nodes, existing pods, an incoming pod) is translated into the per-node numbers the scorer
sees: ``requested`` = the node's requests + the pod's request (non-zero defaults for cpu/memory in
NodeResourcesFit, plain requests in BalancedAllocation), ``allocatable`` = the node's capacity, with allocatable 0
for an extended resource the pod does not request (upstream bypasses it). Cases that only test argument
validation or a missing-resources error are not ported. Each case runs through the scalar path, node by node,
and the numpy path, all nodes at once.
"""

from __future__ import annotations

import numpy as np
import pytest

from k8smodel.scheduler import scoring as s

MI = 1024 * 1024
EXT = "example.com/foo"  # extendedRes in upstream's test_util.go
EXT_SET = {"cpu": 1, "memory": 1, EXT: 1}  # extendedResourceSet

# (case, [(requested, allocatable) per node], weights, expected scores)
LEAST = [
    ("nothing scheduled, nothing requested", [({}, {"cpu": 4000, "memory": 10000})] * 2, None, [100, 100]),
    (
        "nothing scheduled, resources requested, differently sized nodes",
        [
            ({"cpu": 3000, "memory": 5000}, {"cpu": 4000, "memory": 10000}),
            ({"cpu": 3000, "memory": 5000}, {"cpu": 6000, "memory": 10000}),
        ],
        None,
        [37, 50],
    ),
    ("no resources requested, pods scheduled", [({}, {"cpu": 4000, "memory": 10000})] * 2, None, [100, 100]),
    (
        "no resources requested, pods scheduled with resources",
        [
            ({"cpu": 6000, "memory": 0}, {"cpu": 10000, "memory": 20000}),
            ({"cpu": 6000, "memory": 5000}, {"cpu": 10000, "memory": 20000}),
        ],
        None,
        [70, 57],
    ),
    (
        "resources requested, pods scheduled with resources",
        [
            ({"cpu": 6000, "memory": 5000}, {"cpu": 10000, "memory": 20000}),
            ({"cpu": 6000, "memory": 10000}, {"cpu": 10000, "memory": 20000}),
        ],
        None,
        [57, 45],
    ),
    (
        "resources requested, pods scheduled with resources, differently sized nodes",
        [
            ({"cpu": 6000, "memory": 5000}, {"cpu": 10000, "memory": 20000}),
            ({"cpu": 6000, "memory": 10000}, {"cpu": 10000, "memory": 50000}),
        ],
        None,
        [57, 60],
    ),
    (
        "requested resources exceed node capacity",
        [
            ({"cpu": 6000, "memory": 0}, {"cpu": 4000, "memory": 10000}),
            ({"cpu": 6000, "memory": 5000}, {"cpu": 4000, "memory": 10000}),
        ],
        None,
        [50, 25],
    ),
    (
        "zero node resources, pods scheduled with resources",
        [({"cpu": 3000, "memory": 0}, {}), ({"cpu": 3000, "memory": 5000}, {})],
        None,
        [0, 0],
    ),
    (
        "nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes",
        [
            ({"cpu": 3000, "memory": 5000}, {"cpu": 4000, "memory": 10000}),
            ({"cpu": 3000, "memory": 5000}, {"cpu": 6000, "memory": 10000}),
        ],
        {"memory": 2, "cpu": 1},
        [41, 50],
    ),
    (
        "bypass extended resource if the pod does not request",
        [
            ({"cpu": 3000, "memory": 5000}, {"cpu": 6000, "memory": 10000}),
            ({"cpu": 3000, "memory": 5000}, {"cpu": 6000, "memory": 10000, EXT: 0}),  # bypassed: (0, 0)
        ],
        EXT_SET,
        [50, 50],
    ),
    (
        "honor extended resource if the pod requests",
        [
            ({"cpu": 3000, "memory": 5000, EXT: 2}, {"cpu": 6000, "memory": 10000, EXT: 4}),
            ({"cpu": 3000, "memory": 5000, EXT: 2}, {"cpu": 6000, "memory": 10000, EXT: 10}),
        ],
        EXT_SET,
        [50, 60],
    ),
    (
        "if the node doesn't have a resource",
        [
            ({"cpu": 3000, "memory": 4000}, {"cpu": 6000, "memory": 10000}),
            ({"cpu": 3000, "memory": 4000}, {"cpu": 6000, "memory": 10000, EXT: 0}),
        ],
        {EXT: 2, "cpu": 1, "memory": 1},
        [55, 55],
    ),
]

MOST = [
    ("nothing scheduled, nothing requested", [({}, {"cpu": 4000, "memory": 10000})] * 2, None, [0, 0]),
    (
        "nothing scheduled, resources requested, differently sized nodes",
        [
            ({"cpu": 3000, "memory": 5000}, {"cpu": 4000, "memory": 10000}),
            ({"cpu": 3000, "memory": 5000}, {"cpu": 6000, "memory": 10000}),
        ],
        None,
        [62, 50],
    ),
    (
        "no resources requested, pods scheduled with resources",
        [
            ({"cpu": 6000, "memory": 0}, {"cpu": 10000, "memory": 20000}),
            ({"cpu": 6000, "memory": 5000}, {"cpu": 10000, "memory": 20000}),
        ],
        None,
        [30, 42],
    ),
    (
        "resources requested, pods scheduled with resources",
        [
            ({"cpu": 6000, "memory": 5000}, {"cpu": 10000, "memory": 20000}),
            ({"cpu": 6000, "memory": 10000}, {"cpu": 10000, "memory": 20000}),
        ],
        None,
        [42, 55],
    ),
    (
        "resources requested equal node capacity",
        [
            ({"cpu": 5000, "memory": 9000}, {"cpu": 5000, "memory": 10000}),
            ({"cpu": 5000, "memory": 9000}, {"cpu": 10000, "memory": 9000}),
        ],
        None,
        [95, 75],
    ),
    (
        "nothing scheduled, resources requested, differently sized nodes (memory weight 2)",
        [
            ({"cpu": 3000, "memory": 5000}, {"cpu": 4000, "memory": 10000}),
            ({"cpu": 3000, "memory": 5000}, {"cpu": 6000, "memory": 10000}),
        ],
        {"memory": 2, "cpu": 1},
        [58, 50],
    ),
    (
        # Three pods without requests on node1, one (the incoming pod) on node2: non-zero 100m and 200Mi each.
        "no resources requested, pods scheduled, nonzero request for resource",
        [
            ({"cpu": 300, "memory": 600 * MI}, {"cpu": 250, "memory": 1000 * MI}),
            ({"cpu": 100, "memory": 200 * MI}, {"cpu": 250, "memory": 1000 * MI}),
        ],
        None,
        [80, 30],
    ),
    (
        "bypass extended resource if the pod does not request",
        [
            ({"cpu": 3000, "memory": 5000}, {"cpu": 6000, "memory": 10000}),
            ({"cpu": 3000, "memory": 5000}, {"cpu": 6000, "memory": 10000, EXT: 0}),
        ],
        EXT_SET,
        [50, 50],
    ),
    (
        "honor extended resource if the pod request",
        [
            ({"cpu": 3000, "memory": 5000, EXT: 2}, {"cpu": 6000, "memory": 10000, EXT: 4}),
            ({"cpu": 3000, "memory": 5000, EXT: 2}, {"cpu": 6000, "memory": 10000, EXT: 10}),
        ],
        EXT_SET,
        [50, 40],
    ),
    (
        "if the node doesn't have a resource",
        [
            ({"cpu": 3000, "memory": 4000}, {"cpu": 6000, "memory": 10000}),
            ({"cpu": 3000, "memory": 4000}, {"cpu": 6000, "memory": 10000, EXT: 0}),
        ],
        {EXT: 2, "cpu": 1, "memory": 1},
        [45, 45],
    ),
]

SHAPE_LEAST = [(0, 10), (100, 0)]
SHAPE_MOST = [(0, 0), (100, 1)]
FOO, BAR = "intel.com/foo", "intel.com/bar"
RTCR = [
    # TestRequestedToCapacityRatioScoringStrategy
    (
        "nothing scheduled, nothing requested (default - least requested nodes have priority)",
        [({}, {"cpu": 4000, "memory": 10000})] * 2,
        SHAPE_LEAST,
        None,
        [100, 100],
    ),
    (
        "nothing scheduled, resources requested, differently sized nodes"
        " (default - least requested nodes have priority)",
        [
            ({"cpu": 3000, "memory": 5000}, {"cpu": 4000, "memory": 10000}),
            ({"cpu": 3000, "memory": 5000}, {"cpu": 6000, "memory": 10000}),
        ],
        SHAPE_LEAST,
        None,
        [38, 50],
    ),
    (
        "no resources requested, pods scheduled with resources (default - least requested nodes have priority)",
        [
            ({"cpu": 3000, "memory": 5000}, {"cpu": 4000, "memory": 10000}),
            ({"cpu": 3000, "memory": 5000}, {"cpu": 6000, "memory": 10000}),
        ],
        SHAPE_LEAST,
        None,
        [38, 50],
    ),
    # TestResourceBinPackingSingleExtended
    ("single: nothing scheduled, nothing requested", [({}, {FOO: 0})] * 2, SHAPE_MOST, {FOO: 1}, [0, 0]),
    (
        "single: resources requested, pods scheduled with less resources",
        [({FOO: 2}, {FOO: 8}), ({FOO: 2}, {FOO: 4})],
        SHAPE_MOST,
        {FOO: 1},
        [2, 5],
    ),
    (
        "single: resources requested, pods scheduled with resources, on node with existing pod running",
        [({FOO: 2}, {FOO: 8}), ({FOO: 4}, {FOO: 4})],
        SHAPE_MOST,
        {FOO: 1},
        [2, 10],
    ),
    (
        "single: resources requested, pods scheduled with more resources",
        [({FOO: 4}, {FOO: 8}), ({FOO: 4}, {FOO: 4})],
        SHAPE_MOST,
        {FOO: 1},
        [5, 10],
    ),
    # TestResourceBinPackingMultipleExtended
    (
        "multiple: nothing scheduled, nothing requested",
        [({}, {FOO: 0, BAR: 0})] * 2,
        SHAPE_MOST,
        {FOO: 3, BAR: 5},
        [0, 0],
    ),
    (
        "multiple: resources requested, pods scheduled with less resources",
        [({FOO: 2, BAR: 2}, {FOO: 8, BAR: 4}), ({FOO: 2, BAR: 2}, {FOO: 4, BAR: 8})],
        SHAPE_MOST,
        {FOO: 3, BAR: 5},
        [4, 3],
    ),
    (
        "multiple: resources requested, pods scheduled with resources, on node with existing pod running",
        [({FOO: 2, BAR: 2}, {FOO: 8, BAR: 4}), ({FOO: 6, BAR: 4}, {FOO: 4, BAR: 8})],
        SHAPE_MOST,
        {FOO: 3, BAR: 5},
        [4, 7],
    ),
    (
        "multiple: resources requested, pods scheduled with more resources",
        [({FOO: 4, BAR: 2}, {FOO: 8, BAR: 4}), ({FOO: 4, BAR: 2}, {FOO: 4, BAR: 8})],
        SHAPE_MOST,
        {FOO: 3, BAR: 5},
        [5, 5],
    ),
]

GPU = "nvidia.com/gpu"
DRA = "resource.example.com/dra"  # a DRA-backed extended resource: node1 has 8 devices, node2 none
BALANCED = [
    (
        "nothing scheduled, resources requested, differently sized nodes",
        [
            ({"cpu": 3000, "memory": 5000}, {"cpu": 4000, "memory": 10000}),
            ({"cpu": 3000, "memory": 5000}, {"cpu": 6000, "memory": 10000}),
        ],
        None,
        [87, 100],
    ),
    (
        "resources requested, pods scheduled with resources",
        [
            ({"cpu": 6000, "memory": 5000}, {"cpu": 10000, "memory": 20000}),
            ({"cpu": 6000, "memory": 10000}, {"cpu": 10000, "memory": 20000}),
        ],
        None,
        [82, 95],
    ),
    (
        "resources requested, pods scheduled with resources, differently sized nodes",
        [
            ({"cpu": 6000, "memory": 5000}, {"cpu": 10000, "memory": 20000}),
            ({"cpu": 6000, "memory": 10000}, {"cpu": 10000, "memory": 50000}),
        ],
        None,
        [82, 80],
    ),
    (
        "requested resources at node capacity",
        [
            ({"cpu": 6000, "memory": 0}, {"cpu": 6000, "memory": 10000}),
            ({"cpu": 6000, "memory": 5000}, {"cpu": 6000, "memory": 10000}),
        ],
        None,
        [50, 75],
    ),
    (
        # The pod requests memory 0 and one GPU and no cpu: plain requests, so cpu adds 0 (not 100m).
        "include scalar resource on a node for balanced resource allocation",
        [
            ({"cpu": 3000, "memory": 5000, GPU: 4}, {"cpu": 3500, "memory": 40000, GPU: 8}),
            ({"cpu": 3000, "memory": 5000, GPU: 1}, {"cpu": 3500, "memory": 40000, GPU: 8}),
        ],
        ["cpu", "memory", GPU],
        [70, 65],
    ),
    (
        "node without the scalar resource should skip the scalar resource",
        [
            ({"cpu": 3000, "memory": 5000}, {"cpu": 3500, "memory": 40000, GPU: 0}),
            ({"cpu": 3000, "memory": 5000}, {"cpu": 3500, "memory": 40000}),
        ],
        ["cpu", "memory", GPU],
        [63, 63],
    ),
    (
        "include DRA resource on a node for balanced resource allocation",
        [
            ({"cpu": 3000, "memory": 0, DRA: 1}, {"cpu": 3500, "memory": 40000, DRA: 8}),
            ({"cpu": 3000, "memory": 5000, DRA: 1}, {"cpu": 3500, "memory": 40000, DRA: 0}),
        ],
        ["cpu", "memory", DRA],
        [62, 63],
    ),
]


def _columns(nodes):
    """Per-node dicts -> dicts of arrays over nodes (a missing resource is 0)."""
    names = sorted({k for req, alloc in nodes for k in (*req, *alloc)})
    requested = {k: np.array([req.get(k, 0) for req, _ in nodes], dtype=np.int64) for k in names}
    allocatable = {k: np.array([alloc.get(k, 0) for _, alloc in nodes], dtype=np.int64) for k in names}
    return requested, allocatable


def _check(score, nodes, expected, **kwargs):
    for (req, alloc), want in zip(nodes, expected, strict=True):
        got = score(req, alloc, **kwargs)
        assert isinstance(got, int)
        assert got == want
    requested, allocatable = _columns(nodes)
    got = score(requested, allocatable, **kwargs)
    assert isinstance(got, np.ndarray) and got.dtype == np.int64
    assert got.tolist() == expected


@pytest.mark.parametrize(("case", "nodes", "weights", "expected"), LEAST, ids=[c[0] for c in LEAST])
def test_least_allocated(case, nodes, weights, expected):
    """TestLeastAllocatedScoringStrategy."""
    _check(s.least_allocated, nodes, expected, weights=weights)


@pytest.mark.parametrize(("case", "nodes", "weights", "expected"), MOST, ids=[c[0] for c in MOST])
def test_most_allocated(case, nodes, weights, expected):
    """TestMostAllocatedScoringStrategy."""
    _check(s.most_allocated, nodes, expected, weights=weights)


@pytest.mark.parametrize(("case", "nodes", "shape", "weights", "expected"), RTCR, ids=[c[0] for c in RTCR])
def test_requested_to_capacity_ratio(case, nodes, shape, weights, expected):
    """TestRequestedToCapacityRatioScoringStrategy and TestResourceBinPacking{Single,Multiple}Extended."""
    _check(s.requested_to_capacity_ratio, nodes, expected, shape=shape, weights=weights)


@pytest.mark.parametrize(("case", "nodes", "resources", "expected"), BALANCED, ids=[c[0] for c in BALANCED])
def test_balanced_allocation(case, nodes, resources, expected):
    """TestNodeResourcesBalancedAllocation."""
    _check(s.balanced_allocation, nodes, expected, resources=resources)


BROKEN_LINEAR = [
    (
        [(10, 1), (90, 9)],
        [(-10, 1), (0, 1), (9, 1), (10, 1), (15, 1), (19, 1), (20, 2), (89, 8), (90, 9), (99, 9), (100, 9), (110, 9)],
    ),
    ([(0, 2), (40, 10), (100, 0)], [(-10, 2), (0, 2), (20, 6), (30, 8), (40, 10), (70, 5), (100, 0), (110, 0)]),
    ([(0, 2), (40, 2), (100, 2)], [(-10, 2), (0, 2), (20, 2), (30, 2), (40, 2), (70, 2), (100, 2), (110, 2)]),
]


@pytest.mark.parametrize(("points", "assertions"), BROKEN_LINEAR, ids=["case_0", "case_1", "case_2"])
def test_broken_linear_function(points, assertions):
    """TestBrokenLinearFunction (helper.BuildBrokenLinearFunction)."""
    function = s.broken_linear_function(points)
    for p, want in assertions:
        assert function(p) == want
    ps = np.array([p for p, _ in assertions], dtype=np.int64)
    assert function(ps).tolist() == [want for _, want in assertions]


def test_broken_linear_function_truncates_toward_zero_like_go():
    # On a falling segment the int64 quotient is negative: Go truncates (-100/60 = -1), Python floors (-2).
    function = s.broken_linear_function([(0, 2), (40, 10), (100, 0)])
    assert function(50) == 10 + int(-100 / 60) == 9
    assert function(np.array([50, 41])).tolist() == [9, 10]


def test_per_resource_scores():
    """The comments of the upstream tables: leastRequestedScore / mostRequestedScore per resource."""
    assert s.least_requested_score(3000, 4000) == 25
    assert s.least_requested_score(6000, 4000) == 0  # requested > capacity
    assert s.least_requested_score(5, 0) == 0  # capacity 0
    assert s.most_requested_score(3000, 4000) == 75
    assert s.most_requested_score(300, 250) == 100  # capped at capacity
    assert s.most_requested_score(5, 0) == 0
    got = s.least_requested_score(np.array([3000, 6000, 5]), np.array([4000, 4000, 0]))
    assert got.tolist() == [25, 0, 0]
    assert s.MAX_NODE_SCORE == 100


def test_weighted_resource_score():
    # (25 * 1 + 50 * 2) / (1 + 2) = 41, the weighted case of TestLeastAllocatedScoringStrategy.
    assert s.weighted_resource_score({"cpu": 25, "memory": 50}, {"cpu": 1, "memory": 2}) == 41
    assert s.weighted_resource_score({"cpu": 25, "memory": 50}) == 37
    got = s.weighted_resource_score({"cpu": np.array([25, 50]), "memory": np.array([50, 50])}, {"cpu": 1, "memory": 2})
    assert got.tolist() == [41, 50]
    # No weight left (every resource skipped): 0.
    assert s.weighted_resource_score({"cpu": 25}, {"cpu": 1}, {"cpu": 0}) == 0


def test_requested_to_capacity_ratio_rounds_half_away_from_zero():
    # Scores 2 and 3 with equal weights average 2.5: Go's math.Round gives 3 (numpy's round would give 2).
    got = s.requested_to_capacity_ratio({"a": 20, "b": 30}, {"a": 100, "b": 100}, SHAPE_MOST, {"a": 1, "b": 1})
    assert got == 3
    arrays = s.requested_to_capacity_ratio(
        {"a": np.array([20, 20]), "b": np.array([30, 50])},
        {"a": np.array([100, 100]), "b": np.array([100, 100])},
        SHAPE_MOST,
        {"a": 1, "b": 1},
    )
    assert arrays.tolist() == [3, 4]  # 2.5 -> 3, 3.5 -> 4


def test_scaled_utilization_is_exact_beyond_int64_product():
    big = 2**62
    assert s.scaled_utilization(big, big + 1) == 99
    assert s.scaled_utilization(np.array([big, 1, 0, 5]), np.array([big + 1, 4, 4, 4])).tolist() == [99, 25, 0, 100]
    assert s.scale_shape([(0, 10), (100, 0)]) == [(0, 100), (100, 0)]


def test_array_path_matches_scalar_path():
    rng = np.random.default_rng(7)
    n = 120
    alloc = {
        "cpu": rng.integers(0, 8000, n),
        "memory": rng.integers(0, 32 * 1024, n) * MI,
        GPU: rng.integers(0, 9, n),
    }
    req = {k: (v * rng.uniform(0, 1.3, n)).astype(np.int64) for k, v in alloc.items()}
    weights = {"cpu": 1, "memory": 3, GPU: 2}
    shape = [(0, 10), (30, 2), (70, 9), (100, 0)]
    calls = [
        (s.least_allocated, {"weights": weights}),
        (s.most_allocated, {"weights": weights}),
        (s.requested_to_capacity_ratio, {"shape": shape, "weights": weights}),
        (s.balanced_allocation, {"resources": list(weights)}),
        (s.balanced_allocation, {}),
    ]
    for function, kwargs in calls:
        vector = function(req, alloc, **kwargs)
        scalar = [
            function({k: int(v[i]) for k, v in req.items()}, {k: int(v[i]) for k, v in alloc.items()}, **kwargs)
            for i in range(n)
        ]
        assert vector.tolist() == scalar
        assert ((vector >= 0) & (vector <= s.MAX_NODE_SCORE)).all()


# --- an independent reference: the Go code transcribed line by line into Python ints and floats -------------


def _go_quo(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return -q if (a < 0) != (b < 0) else q


def _ref_least(requested, capacity):
    if capacity == 0 or requested > capacity:
        return 0
    return _go_quo((capacity - requested) * 100, capacity)


def _ref_most(requested, capacity):
    if capacity == 0:
        return 0
    return _go_quo(min(requested, capacity) * 100, capacity)


def _ref_weighted(per_resource, req, alloc, weights):
    node_score = weight_sum = 0
    for name, weight in weights.items():
        if alloc.get(name, 0) == 0:
            continue
        node_score += per_resource(req.get(name, 0), alloc[name]) * weight
        weight_sum += weight
    return 0 if weight_sum == 0 else _go_quo(node_score, weight_sum)


def _ref_rtcr(req, alloc, shape, weights):
    points = [(u, sc * 10) for u, sc in shape]

    def raw(p):
        for i, (u, sc) in enumerate(points):
            if p <= u:
                if i == 0:
                    return sc
                u0, s0 = points[i - 1]
                return s0 + _go_quo((sc - s0) * (p - u0), u - u0)
        return points[-1][1]

    def resource(r, c):
        if c == 0 or r > c:
            return raw(100)
        return raw(0 if r <= 0 else 100 if r >= c else r * 100 // c)

    node_score = weight_sum = 0
    for name, weight in weights.items():
        if alloc.get(name, 0) == 0:
            continue
        score = resource(req.get(name, 0), alloc[name])
        if score > 0:
            node_score += score * weight
            weight_sum += weight
    if weight_sum == 0:
        return 0
    x = node_score / weight_sum
    return int(x + 0.5) if x - int(x) >= 0.5 else int(x)  # math.Round for x >= 0


def _ref_balanced(req, alloc, resources):
    fractions, total = [], 0.0
    for name in resources:
        if alloc.get(name, 0) == 0:
            continue
        fraction = min(float(req.get(name, 0)) / float(alloc[name]), 1.0)
        total += fraction
        fractions.append(fraction)
    std = 0.0
    if len(fractions) == 2:
        std = abs((fractions[0] - fractions[1]) / 2)
    elif len(fractions) > 2:
        mean = total / len(fractions)
        acc = 0.0
        for fraction in fractions:
            acc = acc + (fraction - mean) * (fraction - mean)
        std = (acc / len(fractions)) ** 0.5
    return int((1 - std) * 100.0)


def test_array_path_matches_a_line_by_line_transcription_of_upstream():
    rng = np.random.default_rng(11)
    n = 400
    alloc = {
        "cpu": rng.integers(0, 8000, n),
        "memory": rng.integers(0, 32 * 1024, n) * MI,
        GPU: rng.integers(0, 9, n),
    }
    req = {k: (v * rng.uniform(0, 1.3, n)).astype(np.int64) for k, v in alloc.items()}
    weights = {"cpu": 1, "memory": 3, GPU: 2}
    shape = [(0, 10), (30, 2), (70, 9), (100, 0)]
    rows = [({k: int(v[i]) for k, v in req.items()}, {k: int(v[i]) for k, v in alloc.items()}) for i in range(n)]
    checks = [
        (s.least_allocated(req, alloc, weights), [_ref_weighted(_ref_least, r, a, weights) for r, a in rows]),
        (s.most_allocated(req, alloc, weights), [_ref_weighted(_ref_most, r, a, weights) for r, a in rows]),
        (s.requested_to_capacity_ratio(req, alloc, shape, weights), [_ref_rtcr(r, a, shape, weights) for r, a in rows]),
        (s.balanced_allocation(req, alloc, list(weights)), [_ref_balanced(r, a, list(weights)) for r, a in rows]),
        (s.balanced_allocation(req, alloc), [_ref_balanced(r, a, ["cpu", "memory"]) for r, a in rows]),
    ]
    for vector, reference in checks:
        assert vector.tolist() == reference
