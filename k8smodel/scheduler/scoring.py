"""Resource scoring of the NodeResourcesFit and NodeResourcesBalancedAllocation plugins, vectorized over nodes.

Upstream: ``pkg/scheduler/framework/plugins/noderesources/`` of github.com/kubernetes/kubernetes, read at
these stored commits:

* ``least_allocated.go`` (``leastResourceScorer``, ``leastRequestedScore``), 13cca8b45e082e393e3a6005b2f22913159f2ee7
  and 05c351a9037bd79bf88c56171a951c3097b658da; the per-resource loop with ``if allocable[i] == 0 { continue }``
  as in the current ``[]config.ResourceSpec`` form of the scorers;
* ``most_allocated.go`` (``mostResourceScorer``, ``mostRequestedScore``), stored version id 152355213
  (the ``fwk`` / ``[]config.ResourceSpec`` form);
* ``requested_to_capacity_ratio.go`` (``buildRequestedToCapacityRatioScorerFunction``,
  ``requestedToCapacityRatioScorer``, ``scaledUtilization``), 0a295a8d22ebdc7ad87bb7bf9f4e639b126515e4;
* ``../helper/shape_score.go`` (``BuildBrokenLinearFunction``), 2d58ef7868e6efda493e876aeaf72fb7dfea7c44;
* ``balanced_allocation.go`` (``balancedResourceScorer``), 02d7708af661e2fb5a089a04c3944a54d2afcc0e;
* ``resource_allocation.go`` (``calculateResourceAllocatableRequest``, ``calculatePodResourceRequest``),
  b170451caa083434ee7875c2708c6f85eb220a39 and the current ``useRequested`` form;
* ``pkg/scheduler/apis/config/v1/defaults.go`` (``SetDefaults_NodeResourcesFitArgs``: strategy LeastAllocated,
  resources cpu and memory with weight 1; a weight of 0 becomes 1).

``MaxNodeScore`` is 100 (``k8s.io/kube-scheduler/framework``, formerly ``pkg/scheduler/framework/interface.go``)
and ``config.MaxCustomPriorityScore`` is 10.

What the caller passes
    ``requested`` is what upstream's ``calculateResourceAllocatableRequest`` returns: the node's requests *plus*
    the incoming pod's request. For NodeResourcesFit (least / most allocated, requested-to-capacity ratio) cpu
    and memory use *non-zero* requests: a container that requests no cpu counts as 100m, no memory as 200 MiB
    (``schedutil.DefaultMilliCPURequest`` / ``DefaultMemoryRequest``), both for the pods on the node
    (``NodeInfo.NonZeroRequested``) and for the incoming pod. BalancedAllocation sets ``useRequested: true``:
    it uses the plain requests (``NodeInfo.Requested`` plus the pod's request without defaults). cpu is in
    millicores, memory and ephemeral storage in bytes, extended resources in units.

    An extended (scalar) resource that the incoming pod does not request is *bypassed*: upstream returns
    ``(0, 0)`` for it, so pass allocatable 0. Every scorer skips a resource whose allocatable is 0 on that node.

Arithmetic
    Upstream computes in ``int64`` with Go's division, which truncates toward zero. Requests, capacities and
    weights are non-negative (the API server rejects negative quantities; weights are validated to 1..100), and
    there numpy's floor division agrees with Go; where a numerator can be negative (a falling segment of a
    requested-to-capacity shape) the division truncates toward zero explicitly (``_go_div``), as Go does.
    Where upstream converts to ``float64`` (balanced allocation, the final average of the
    requested-to-capacity ratio, ``math.Round`` = half away from zero) this module uses float64 in the same
    order of operations. Every function accepts plain ints (returns an ``int``) or numpy arrays of shape
    ``(n_nodes,)`` (returns an ``int64`` array); int64 overflow wraps as it does in Go.

What the model leaves out
    The BalancedAllocation PreScore ``Skip`` for best-effort pods (all requests zero), DRA-backed extended
    resources, pod overhead and pod-level resources are the caller's business: they decide which numbers are
    passed here, not how they are scored. Go may fuse ``x*y + z`` into one FMA instruction on arm64/ppc64/s390x;
    this module follows amd64, which does not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

MAX_NODE_SCORE = 100
"""``framework.MaxNodeScore``: the highest score a Score plugin may return."""
MIN_NODE_SCORE = 0
MAX_CUSTOM_PRIORITY_SCORE = 10
"""``config.MaxCustomPriorityScore``: the score scale of a requested-to-capacity-ratio shape."""
MAX_UTILIZATION = 100
"""``maxUtilization`` in ``requested_to_capacity_ratio.go``: utilization runs 0..100."""

DEFAULT_RESOURCES: dict[str, int] = {"cpu": 1, "memory": 1}
"""``defaultResourceSpec``: the resources and weights NodeResourcesFit and BalancedAllocation score by default."""

LEAST_UTILIZED_SHAPE: tuple[tuple[int, int], ...] = ((0, MAX_CUSTOM_PRIORITY_SCORE), (100, 0))
"""The shape {0: 10, 100: 0} that favours empty nodes: VolumeBinding's default shape and the default of the
pre-framework RequestedToCapacityRatio priority. NodeResourcesFit's RequestedToCapacityRatio strategy has *no*
default shape: the user must give one."""

_INT64_MAX = np.iinfo(np.int64).max

ArrayLike = Any  # int | np.ndarray


def _is_scalar(*values: ArrayLike) -> bool:
    return all(np.ndim(v) == 0 for v in values)


def _i64(value: ArrayLike) -> np.ndarray:
    return np.asarray(value, dtype=np.int64)


def _out(value: np.ndarray, scalar: bool) -> int | np.ndarray:
    return int(value) if scalar else np.asarray(value, dtype=np.int64)


def _go_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Go's int64 ``a / b``: the quotient truncated toward zero (``b`` must not be 0 where it is used)."""
    a = _i64(a)
    b = _i64(b)
    q = np.abs(a) // np.abs(b)
    return np.where((a < 0) != (b < 0), -q, q)


def _go_round(x: np.ndarray) -> np.ndarray:
    """Go's ``math.Round``: to the nearest integer, halves away from zero (numpy's ``round`` is half-to-even)."""
    x = np.asarray(x, dtype=np.float64)
    t = np.trunc(x)
    return np.where(np.abs(x - t) >= 0.5, t + np.copysign(1.0, x), t)


# --- per-resource scores -------------------------------------------------------------------------------------


def least_requested_score(requested: ArrayLike, capacity: ArrayLike) -> int | np.ndarray:
    """``leastRequestedScore``: ``(capacity - requested) * MaxNodeScore / capacity``; 0 if requested > capacity
    or capacity is 0. The more is left unrequested, the higher the score."""
    scalar = _is_scalar(requested, capacity)
    r, c = np.broadcast_arrays(_i64(requested), _i64(capacity))
    ok = (c != 0) & (r <= c)
    safe_c = np.where(c == 0, 1, c)
    score = np.where(ok, ((c - r) * MAX_NODE_SCORE) // safe_c, 0)  # both operands >= 0 where used
    return _out(score, scalar)


def most_requested_score(requested: ArrayLike, capacity: ArrayLike) -> int | np.ndarray:
    """``mostRequestedScore``: ``requested * MaxNodeScore / capacity`` with requested capped at capacity (pods
    without requests count their non-zero defaults, so a node can look over-full); 0 if capacity is 0."""
    scalar = _is_scalar(requested, capacity)
    r, c = np.broadcast_arrays(_i64(requested), _i64(capacity))
    r = np.minimum(r, c)
    safe_c = np.where(c == 0, 1, c)
    score = np.where(c == 0, 0, (r * MAX_NODE_SCORE) // safe_c)  # both operands >= 0 where used
    return _out(score, scalar)


def scaled_utilization(requested: ArrayLike, capacity: ArrayLike, maximum: int = MAX_UTILIZATION) -> int | np.ndarray:
    """``scaledUtilization``: ``requested * maximum / capacity`` with requested clamped to [0, capacity], exact
    even where the int64 product would overflow (upstream uses a 128-bit intermediate)."""
    scalar = _is_scalar(requested, capacity)
    r, c = np.broadcast_arrays(_i64(requested), _i64(capacity))
    zero = (c <= 0) | (r <= 0)
    full = ~zero & (r >= c)
    middle = ~zero & ~full
    safe_c = np.where(c <= 0, 1, c)
    small = r <= _INT64_MAX // maximum
    result = np.where(zero, 0, np.where(full, maximum, np.where(middle & small, (r * maximum) // safe_c, 0)))
    big = np.atleast_1d(middle & ~small)
    if np.count_nonzero(big):  # the 128-bit path, in Python ints
        result = np.array(np.atleast_1d(result), dtype=np.int64, copy=True)
        r1, c1 = np.atleast_1d(r), np.atleast_1d(c)
        result[big] = [int(ri) * maximum // int(ci) for ri, ci in zip(r1[big], c1[big], strict=True)]
        result = result.reshape(r.shape)
    return _out(result, scalar)


def broken_linear_function(shape: Sequence[tuple[int, int]]) -> Callable[[ArrayLike], int | np.ndarray]:
    """``helper.BuildBrokenLinearFunction``: a function of utilization made of straight segments.

    ``shape`` is a sequence of ``(utilization, score)`` points with strictly increasing utilization (what
    validation demands). ``f(p)`` is the first score for ``p`` at or below the first point, the last score above
    the last point, and ``s[i-1] + (s[i] - s[i-1]) * (p - u[i-1]) / (u[i] - u[i-1])`` in int64 on segment ``i``.
    """
    points = [(int(u), int(s)) for u, s in shape]
    if not points:
        raise ValueError("a shape needs at least one point")

    def function(p: ArrayLike) -> int | np.ndarray:
        scalar = _is_scalar(p)
        p = _i64(p)
        result = np.full(p.shape, points[-1][1], dtype=np.int64)
        # The lowest i with p <= u[i] wins, so assign from the last point down to the first.
        for i in range(len(points) - 1, -1, -1):
            u_i, s_i = points[i]
            if i == 0:
                value = np.full(p.shape, s_i, dtype=np.int64)
            else:
                u_prev, s_prev = points[i - 1]
                value = s_prev + _go_div((s_i - s_prev) * (p - u_prev), np.int64(u_i - u_prev))
            result = np.where(p <= u_i, value, result)
        return _out(result, scalar)

    return function


def scale_shape(shape: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``requestedToCapacityRatioScorer``: a user's shape scores run 0..MaxCustomPriorityScore (10); multiply them
    by ``MaxNodeScore / MaxCustomPriorityScore`` (integer 10) to reach the scheduler's 0..100 range."""
    factor = MAX_NODE_SCORE // MAX_CUSTOM_PRIORITY_SCORE
    return [(int(u), int(s) * factor) for u, s in shape]


def requested_to_capacity_ratio_score(
    requested: ArrayLike, capacity: ArrayLike, function: Callable[[ArrayLike], int | np.ndarray]
) -> int | np.ndarray:
    """``resourceScoringFunction``: ``f(maxUtilization)`` if capacity is 0 or requested > capacity, else
    ``f(scaledUtilization(requested, capacity, 100))``; ``function`` is a :func:`broken_linear_function`."""
    scalar = _is_scalar(requested, capacity)
    r, c = np.broadcast_arrays(_i64(requested), _i64(capacity))
    over = (c == 0) | (r > c)
    utilization = np.where(over, MAX_UTILIZATION, _i64(scaled_utilization(r, c)))
    return _out(_i64(function(utilization)), scalar)


# --- node scores over several resources ----------------------------------------------------------------------


def _weights(weights: Mapping[str, int] | None) -> dict[str, int]:
    return dict(DEFAULT_RESOURCES if weights is None else weights)


def weighted_resource_score(
    per_resource_scores: Mapping[str, ArrayLike],
    weights: Mapping[str, int] | None = None,
    allocatable: Mapping[str, ArrayLike] | None = None,
) -> int | np.ndarray:
    """The loop of ``leastResourceScorer`` / ``mostResourceScorer``: ``sum(score_r * weight_r) / sum(weight_r)``
    in int64 over the resources of ``weights``, skipping a resource whose allocatable is 0 on that node; 0 if no
    weight is left. ``weights`` defaults to cpu and memory with weight 1."""
    w = _weights(weights)
    values = list(per_resource_scores.values()) + ([] if allocatable is None else list(allocatable.values()))
    scalar = _is_scalar(*values)
    node_score = np.int64(0)
    weight_sum = np.int64(0)
    for name, weight in w.items():
        score = _i64(per_resource_scores.get(name, 0))
        present = np.ones(score.shape, dtype=bool) if allocatable is None else _i64(allocatable.get(name, 0)) != 0
        node_score = node_score + np.where(present, score * np.int64(weight), 0)
        weight_sum = weight_sum + np.where(present, np.int64(weight), 0)
    weight_sum = _i64(weight_sum)
    result = np.where(weight_sum == 0, 0, _go_div(node_score, np.where(weight_sum == 0, 1, weight_sum)))
    return _out(result, scalar)


def _node_score(
    per_resource: Callable[[ArrayLike, ArrayLike], int | np.ndarray],
    requested: Mapping[str, ArrayLike],
    allocatable: Mapping[str, ArrayLike],
    weights: Mapping[str, int] | None,
) -> int | np.ndarray:
    w = _weights(weights)
    scores = {name: per_resource(requested.get(name, 0), allocatable.get(name, 0)) for name in w}
    return weighted_resource_score(scores, w, {name: allocatable.get(name, 0) for name in w})


def least_allocated(
    requested: Mapping[str, ArrayLike], allocatable: Mapping[str, ArrayLike], weights: Mapping[str, int] | None = None
) -> int | np.ndarray:
    """NodeResourcesFit, strategy LeastAllocated (the default): ``leastResourceScorer``. Favours emptier nodes."""
    return _node_score(least_requested_score, requested, allocatable, weights)


def most_allocated(
    requested: Mapping[str, ArrayLike], allocatable: Mapping[str, ArrayLike], weights: Mapping[str, int] | None = None
) -> int | np.ndarray:
    """NodeResourcesFit, strategy MostAllocated: ``mostResourceScorer``. Favours fuller nodes (bin packing)."""
    return _node_score(most_requested_score, requested, allocatable, weights)


def requested_to_capacity_ratio(
    requested: Mapping[str, ArrayLike],
    allocatable: Mapping[str, ArrayLike],
    shape: Sequence[tuple[int, int]],
    weights: Mapping[str, int] | None = None,
) -> int | np.ndarray:
    """NodeResourcesFit, strategy RequestedToCapacityRatio: ``requestedToCapacityRatioScorer``.

    ``shape`` is in the user's units, ``(utilization 0..100, score 0..10)`` points as in
    ``scoringStrategy.requestedToCapacityRatio.shape``; it is scaled by :func:`scale_shape`. Per node: skip a
    resource with allocatable 0; count a resource (its score times its weight, and its weight) only if its score
    is > 0; the node score is ``math.Round(float64(nodeScore) / float64(weightSum))``, or 0 if no weight counted.
    """
    w = _weights(weights)
    function = broken_linear_function(scale_shape(shape))
    scalar = _is_scalar(*requested.values(), *allocatable.values())
    node_score = np.int64(0)
    weight_sum = np.int64(0)
    for name, weight in w.items():
        alloc = _i64(allocatable.get(name, 0))
        score = _i64(requested_to_capacity_ratio_score(requested.get(name, 0), alloc, function))
        counted = (alloc != 0) & (score > 0)
        node_score = node_score + np.where(counted, score * np.int64(weight), 0)
        weight_sum = weight_sum + np.where(counted, np.int64(weight), 0)
    node_score, weight_sum = _i64(node_score), _i64(weight_sum)
    safe = np.where(weight_sum == 0, 1, weight_sum).astype(np.float64)
    result = np.where(weight_sum == 0, 0, _go_round(node_score.astype(np.float64) / safe).astype(np.int64))
    return _out(result, scalar)


def balanced_allocation(
    requested: Mapping[str, ArrayLike],
    allocatable: Mapping[str, ArrayLike],
    resources: Sequence[str] | None = None,
) -> int | np.ndarray:
    """NodeResourcesBalancedAllocation: ``balancedResourceScorer``.

    For each resource (in ``resources`` order, default cpu then memory) with allocatable != 0, the fraction
    ``float64(requested) / float64(allocatable)`` capped at 1. With two fractions ``std = |f0 - f1| / 2``; with
    more, the population standard deviation ``sqrt(sum((f - mean)^2) / n)``; with fewer, 0. The score is
    ``int64((1 - std) * MaxNodeScore)``, truncated. Weights are not used. ``requested`` holds plain requests
    (``useRequested``), not the non-zero defaults.
    """
    names = list(DEFAULT_RESOURCES) if resources is None else list(resources)
    scalar = _is_scalar(*requested.values(), *allocatable.values())
    shape = np.broadcast_shapes(*(np.shape(v) for v in (*requested.values(), *allocatable.values())))
    count = np.zeros(shape, dtype=np.int64)
    total = np.zeros(shape, dtype=np.float64)
    first = np.zeros(shape, dtype=np.float64)
    second = np.zeros(shape, dtype=np.float64)
    masks: list[np.ndarray] = []
    fractions: list[np.ndarray] = []
    for name in names:
        alloc = np.broadcast_to(_i64(allocatable.get(name, 0)), shape)
        req = np.broadcast_to(_i64(requested.get(name, 0)), shape)
        present = alloc != 0
        with np.errstate(divide="ignore", invalid="ignore"):
            fraction = np.where(present, req.astype(np.float64) / np.where(present, alloc, 1).astype(np.float64), 0.0)
        fraction = np.where(fraction > 1, 1.0, fraction)
        total = total + np.where(present, fraction, 0.0)
        first = np.where(present & (count == 0), fraction, first)
        second = np.where(present & (count == 1), fraction, second)
        count = count + present
        masks.append(present)
        fractions.append(fraction)
    std = np.zeros(shape, dtype=np.float64)
    std = np.where(count == 2, np.abs((first - second) / 2), std)
    many = count > 2
    if np.any(many):
        n = np.where(many, count, 1).astype(np.float64)
        mean = total / n
        squares = np.zeros(shape, dtype=np.float64)
        for present, fraction in zip(masks, fractions, strict=True):
            squares = squares + np.where(present, (fraction - mean) * (fraction - mean), 0.0)
        std = np.where(many, np.sqrt(squares / n), std)
    score = np.trunc((1 - std) * float(MAX_NODE_SCORE)).astype(np.int64)
    return _out(score, scalar)
