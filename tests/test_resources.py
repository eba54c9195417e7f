"""Tests for ``k8smodel.api.resources``, ported from upstream tables.

- ``staging/src/k8s.io/component-helpers/resource/helpers_test.go`` (commit ``0085214e``): ``TestPodRequestsAndLimits``,
  ``TestPodRequestsAndLimitsWithoutOverhead``, ``TestPodResourceRequests``, ``TestPodResourceLimits`` (the spec-only
  cases; the ``UseStatusResources`` resize cases are out of the model's scope), and the
  ``NonMissingContainerRequests`` cases;
- ``pkg/scheduler/util/pod_resources_test.go`` ``TestGetNonZeroRequest`` and ``pkg/scheduler/framework/types_test.go``
  ``TestCalculateResource``/``calculateResource`` behaviour, for :func:`non_zero_requests`;
- ``pkg/apis/core/v1/helper/qos/qos_test.go`` ``TestComputePodQOS`` / ``TestGetPodQOS``.

Upstream expectations are ``resource.MustParse`` quantities; here they are the canonical integers the module
returns (cpu in millicores, everything else in units), so ``"9"`` CPU is ``9000`` and ``"1Gi"`` is ``2**30``.
"""

from __future__ import annotations

import pytest

from k8smodel.api.quantity import QuantityError
from k8smodel.api.resources import (
    DEFAULT_MEMORY_REQUEST,
    DEFAULT_MILLI_CPU_REQUEST,
    compute_pod_qos,
    is_pod_level_requests_set,
    is_pod_level_resources_set,
    non_zero_requests,
    pod_limits,
    pod_requests,
    qos_class,
    to_canonical,
)

GI = 2**30
MI = 2**20


def ctr(requests=None, limits=None, *, name="c", restart_always=False):
    """A container dict; ``requests``/``limits`` are ``{name: quantity}`` or None (absent)."""
    c: dict = {"name": name, "image": "busybox"}
    resources = {}
    if requests is not None:
        resources["requests"] = requests
    if limits is not None:
        resources["limits"] = limits
    if resources:
        c["resources"] = resources
    if restart_always:
        c["restartPolicy"] = "Always"
    return c


def sidecar(requests=None, limits=None, name="sidecar"):
    return ctr(requests, limits, name=name, restart_always=True)


def pod(containers=(), init=(), overhead=None, resources=None, status=None):
    spec: dict = {"containers": list(containers)}
    if init:
        spec["initContainers"] = list(init)
    if overhead is not None:
        spec["overhead"] = overhead
    if resources is not None:
        spec["resources"] = resources
    p: dict = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "foo"}, "spec": spec}
    if status is not None:
        p["status"] = status
    return p


def get_pod(
    cpu_request=None, cpu_limit=None, memory_request=None, memory_limit=None, cpu_overhead=None, mem_overhead=None
):
    """helpers_test.go ``getPod(name, podResources{...})``: one container, optional overhead."""
    req = {k: v for k, v in (("cpu", cpu_request), ("memory", memory_request)) if v is not None}
    lim = {k: v for k, v in (("cpu", cpu_limit), ("memory", memory_limit)) if v is not None}
    over = {k: v for k, v in (("cpu", cpu_overhead), ("memory", mem_overhead)) if v is not None}
    return pod([ctr(req or None, lim or None, name="foo")], overhead=over or None)


# -- helpers_test.go TestPodRequestsAndLimits ---------------------------------------------------------------------

REQUESTS_AND_LIMITS = [
    ("just-limit-no-overhead", get_pod(cpu_limit="9"), {}, {"cpu": 9000}),
    ("just-overhead", get_pod(cpu_overhead="5", mem_overhead="5"), {"cpu": 5000, "memory": 5}, {}),
    (
        "req-and-overhead",
        get_pod(cpu_request="1", memory_request="10", cpu_overhead="5", mem_overhead="5"),
        {"cpu": 6000, "memory": 15},
        {},
    ),
    (
        "all-req-lim-and-overhead",
        get_pod("1", "2", "10", "12", "5", "5"),
        {"cpu": 6000, "memory": 15},
        {"cpu": 7000, "memory": 17},
    ),
    (
        "req-some-lim-and-overhead",
        get_pod(cpu_request="1", cpu_limit="2", memory_request="10", cpu_overhead="5", mem_overhead="5"),
        {"cpu": 6000, "memory": 15},
        {"cpu": 7000},
    ),
]


@pytest.mark.parametrize(
    ("name", "p", "requests", "limits"), REQUESTS_AND_LIMITS, ids=[c[0] for c in REQUESTS_AND_LIMITS]
)
def test_pod_requests_and_limits(name, p, requests, limits):
    assert pod_requests(p) == requests
    assert pod_limits(p) == limits


# -- helpers_test.go TestPodRequestsAndLimitsWithoutOverhead ------------------------------------------------------

_TWO = [
    ctr({"cpu": "1", "memory": "5"}, {"cpu": "2", "memory": "10"}, name="foobar"),
    ctr({"cpu": "4", "memory": "12"}, {"cpu": "8", "memory": "24"}, name="foobar2"),
]
WITHOUT_OVERHEAD = [
    ("two container no overhead", pod(_TWO), {"cpu": 5000, "memory": 17}, {"cpu": 10000, "memory": 34}),
    (
        "two container with overhead",
        pod(_TWO, overhead={"cpu": "3", "memory": "8"}),
        {"cpu": 5000, "memory": 17},
        {"cpu": 10000, "memory": 34},
    ),
    (
        "two container with overhead, massive init",
        pod(
            _TWO,
            init=[
                ctr({"cpu": "1", "memory": "5"}, {"cpu": "1", "memory": "5"}, name="small-init"),
                ctr({"cpu": "40", "memory": "120"}, {"cpu": "80", "memory": "240"}, name="big-init"),
            ],
            overhead={"cpu": "3", "memory": "8"},
        ),
        {"cpu": 40000, "memory": 120},
        {"cpu": 80000, "memory": 240},
    ),
]


@pytest.mark.parametrize(("name", "p", "requests", "limits"), WITHOUT_OVERHEAD, ids=[c[0] for c in WITHOUT_OVERHEAD])
def test_pod_requests_and_limits_without_overhead(name, p, requests, limits):
    assert pod_requests(p, exclude_overhead=True) == requests
    assert pod_limits(p, exclude_overhead=True) == limits


# -- helpers_test.go TestPodResourceRequests / TestPodResourceLimits (spec-only cases) ----------------------------
# Each case is (description, init containers, containers, overhead, exclude_overhead, expected); the same table
# is run once with the quantities as requests and once as limits, as upstream's two tables mirror each other.


def _cpu(v):
    return {"cpu": v}


SHARED = [
    ("nil options, larger init container", [ctr(_cpu("4"))], [ctr(_cpu("1"))], None, False, {"cpu": 4000}),
    ("nil options, larger containers", [ctr(_cpu("2"))], [ctr(_cpu("2")), ctr(_cpu("3"))], None, False, {"cpu": 5000}),
    ("pod overhead excluded", [ctr(_cpu("2"))], [ctr(_cpu("2")), ctr(_cpu("3"))], _cpu("1"), True, {"cpu": 5000}),
    ("restartable init container", [sidecar(_cpu("1"))], [ctr(_cpu("1"))], None, False, {"cpu": 2000}),
    (
        "multiple restartable init containers",  # max(5, (3+2+1) + 1) = 7
        [
            ctr(_cpu("5"), name="init-1"),
            sidecar(_cpu("1"), name="r1"),
            sidecar(_cpu("2"), name="r2"),
            sidecar(_cpu("3"), name="r3"),
        ],
        [ctr(_cpu("1"))],
        None,
        False,
        {"cpu": 7000},
    ),
    (
        "multiple restartable and regular init containers",  # init-2 needs 5 + (1+2) = 8; r3 starts after it
        [
            ctr(_cpu("5"), name="init-1"),
            sidecar(_cpu("1"), name="r1"),
            sidecar(_cpu("2"), name="r2"),
            ctr(_cpu("5"), name="init-2"),
            sidecar(_cpu("3"), name="r3"),
        ],
        [ctr(_cpu("1"))],
        None,
        False,
        {"cpu": 8000},
    ),
    (
        "restartable-init, init and regular",  # init-1's 200 + the sidecar's 10 = 210 > 100 + 10
        [sidecar(_cpu("10")), ctr(_cpu("200"), name="init-1")],
        [ctr(_cpu("100"))],
        None,
        False,
        {"cpu": 210000},
    ),
]


def _as(kind, containers):
    out = []
    for c in containers:
        c = dict(c)
        if "resources" in c:
            c["resources"] = {kind: c["resources"]["requests"]}
        out.append(c)
    return out


@pytest.mark.parametrize(
    ("description", "init", "containers", "overhead", "exclude", "expected"), SHARED, ids=[c[0] for c in SHARED]
)
def test_pod_resource_requests(description, init, containers, overhead, exclude, expected):
    assert pod_requests(pod(containers, init, overhead), exclude_overhead=exclude) == expected


@pytest.mark.parametrize(
    ("description", "init", "containers", "overhead", "exclude", "expected"), SHARED, ids=[c[0] for c in SHARED]
)
def test_pod_resource_limits(description, init, containers, overhead, exclude, expected):
    p = pod(_as("limits", containers), _as("limits", init), overhead)
    assert pod_limits(p, exclude_overhead=exclude) == expected


def test_pod_resource_requests_overhead_included():
    """TestPodResourceRequests "pod overhead included": cpu 5 + 1, and memory comes from the overhead alone."""
    p = pod([ctr(_cpu("2")), ctr(_cpu("3"))], [ctr(_cpu("2"), _cpu("2"))], {"cpu": "1", "memory": "1Gi"})
    assert pod_requests(p) == {"cpu": 6000, "memory": GI}


def test_pod_resource_limits_overhead_only_added_to_non_zero_limits():
    """TestPodResourceLimits "pod overhead included": no memory limit, so the memory overhead is not added."""
    p = pod(
        _as("limits", [ctr(_cpu("2")), ctr(_cpu("3"))]), _as("limits", [ctr(_cpu("2"))]), {"cpu": "1", "memory": "1Gi"}
    )
    assert pod_limits(p) == {"cpu": 6000}


LIMITS_ONLY = [
    ("no limited containers should result in no limits for the pod", [], [ctr()], {}),
    (
        "one limited and one unlimited container",
        [],
        [ctr(limits={"cpu": "2", "memory": "2Gi"}), ctr()],
        {"cpu": 2000, "memory": 2 * GI},
    ),
    (
        "one limited and one unlimited init container",
        [ctr(limits={"cpu": "2", "memory": "2Gi"}), ctr()],
        [ctr(limits={"cpu": "1", "memory": "1Gi"})],
        {"cpu": 2000, "memory": 2 * GI},
    ),
]


@pytest.mark.parametrize(
    ("description", "init", "containers", "expected"), LIMITS_ONLY, ids=[c[0] for c in LIMITS_ONLY]
)
def test_pod_resource_limits_unlimited(description, init, containers, expected):
    assert pod_limits(pod(containers, init)) == expected


# -- helpers_test.go: NonMissingContainerRequests -----------------------------------------------------------------


def test_non_missing_container_requests_applied_to_init_container():
    """helpers_test.go "non missing container requests applied to init container"."""
    p = pod([], [ctr(_cpu("1"), name="i1")])
    assert pod_requests(p, non_missing_container_requests={"memory": "100Mi"}) == {"cpu": 1000, "memory": 100 * MI}


def test_non_missing_container_requests_applied_to_regular_container():
    """helpers_test.go "non missing container requests applied to regular container"."""
    p = pod([ctr(_cpu("1"), name="c1")])
    assert pod_requests(p, non_missing_container_requests={"memory": "100Mi"}) == {"cpu": 1000, "memory": 100 * MI}


def test_non_missing_keeps_explicit_zero():
    """``applyNonMissing``: "If the requests for those resources are explicitly set, even if zero, they will not be
    modified"."""
    p = pod([ctr({"cpu": "0"}), ctr()])
    assert pod_requests(p, non_missing_container_requests={"cpu": "100m"}) == {"cpu": 100}


# -- pod-level resources (PodLevelResources; helpers.go applyPodLevelResources) -----------------------------------


def test_pod_level_requests_replace_container_aggregate():
    p = pod(
        [ctr({"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "1"})],
        resources={"requests": {"cpu": "2", "memory": "3Gi"}},
        overhead={"cpu": "250m"},
    )
    assert is_pod_level_requests_set(p)
    assert pod_requests(p) == {"cpu": 2250, "memory": 3 * GI, "nvidia.com/gpu": 1}
    assert pod_requests(p, skip_pod_level_resources=True) == {"cpu": 1250, "memory": GI, "nvidia.com/gpu": 1}


def test_pod_level_unsupported_resource_is_ignored():
    """Only cpu, memory and hugepages-* are supported at the pod level (``IsSupportedPodLevelResource``)."""
    p = pod([ctr({"ephemeral-storage": "1Gi"})], resources={"requests": {"ephemeral-storage": "5Gi"}})
    assert not is_pod_level_requests_set(p)
    assert not is_pod_level_resources_set(p)
    assert pod_requests(p) == {"ephemeral-storage": GI}


def test_pod_level_limits_applied_when_only_limits_set():
    p = pod([ctr(limits={"cpu": "1"})], resources={"limits": {"cpu": "4", "hugepages-2Mi": "4Mi"}})
    assert not is_pod_level_requests_set(p)
    assert is_pod_level_resources_set(p)
    assert pod_limits(p) == {"cpu": 4000, "hugepages-2Mi": 4 * MI}
    assert pod_requests(p) == {}


# -- units --------------------------------------------------------------------------------------------------------


def test_sum_is_exact_then_rounded_up_once():
    """Upstream adds Quantities exactly, then ``MilliValue`` rounds up once: 0.5m + 0.5m is 1m, not 2m."""
    p = pod([ctr({"cpu": "0.5m", "memory": "0.5"}), ctr({"cpu": "0.5m", "memory": "0.6"})])
    assert pod_requests(p) == {"cpu": 1, "memory": 2}
    assert to_canonical("cpu", 1) == 1
    assert to_canonical("memory", 10**9) == 1


def test_json_numbers_and_extended_resources():
    p = pod([ctr({"cpu": 2, "memory": "128Mi", "example.com/foo": "3", "hugepages-1Gi": "2Gi"})])
    assert pod_requests(p) == {"cpu": 2000, "memory": 128 * MI, "example.com/foo": 3, "hugepages-1Gi": 2 * GI}


def test_bad_quantity_raises():
    with pytest.raises(QuantityError):
        pod_requests(pod([ctr({"cpu": "lots"})]))


# -- non-zero requests: pod_resources_test.go TestGetNonZeroRequest + types.go calculateResource ------------------

NON_ZERO = [
    ("cpu_and_memory_not_found", {}, DEFAULT_MILLI_CPU_REQUEST, DEFAULT_MEMORY_REQUEST),
    ("only_cpu_exist", {"cpu": "200m"}, 200, DEFAULT_MEMORY_REQUEST),
    ("only_memory_exist", {"memory": "400Mi"}, DEFAULT_MILLI_CPU_REQUEST, 400 * MI),
    ("cpu_memory_exist", {"cpu": "200m", "memory": "400Mi"}, 200, 400 * MI),
    ("explicit zero is kept", {"cpu": "0", "memory": "0"}, 0, 0),
]


@pytest.mark.parametrize(("name", "requests", "cpu", "memory"), NON_ZERO, ids=[c[0] for c in NON_ZERO])
def test_get_non_zero_request(name, requests, cpu, memory):
    assert non_zero_requests(pod([ctr(requests)])) == (cpu, memory)


def test_non_zero_defaults_per_container_and_init_max():
    """types_test.go TestCalculateResource-style: defaults apply per container, then the init max and overhead."""
    assert DEFAULT_MEMORY_REQUEST == 200 * 1024 * 1024
    two = pod([ctr(), ctr({"cpu": "100m", "memory": "200Mi"})])
    assert non_zero_requests(two) == (200, 400 * MI)
    assert pod_requests(two) == {"cpu": 100, "memory": 200 * MI}
    big_init = pod([ctr()], [ctr({"cpu": "1"})], overhead={"cpu": "10m", "memory": "1Mi"})
    assert non_zero_requests(big_init) == (1010, 200 * MI + MI)
    with_sidecar = pod([ctr()], [sidecar()])  # a sidecar without requests also counts the defaults
    assert non_zero_requests(with_sidecar) == (200, 400 * MI)


def test_non_zero_with_pod_level_requests():
    """getNonMissingContainerRequests: with pod-level requests, a default only for a resource absent overall."""
    p = pod([ctr(), ctr()], resources={"requests": {"cpu": "1"}})
    assert non_zero_requests(p) == (1000, 2 * DEFAULT_MEMORY_REQUEST)
    both = pod([ctr()], resources={"requests": {"cpu": "1", "memory": "1Gi"}})
    assert non_zero_requests(both) == (1000, GI)


# -- qos_test.go TestComputePodQOS ----------------------------------------------------------------------------------


def rl(cpu="", memory="", **extra):
    """qos_test.go ``getResourceList(cpu, memory)``: empty strings are left out."""
    out = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v}
    out.update({k.replace("_", "-"): v for k, v in extra.items()})
    return out


def qctr(requests, limits, name="c"):
    return {"name": name, "image": "x", "resources": {"requests": requests, "limits": limits}}


QOS = [
    ("guaranteed", [qctr(rl("100m", "100Mi"), rl("100m", "100Mi"))], [], "Guaranteed"),
    (
        "guaranteed-guaranteed",
        [qctr(rl("100m", "100Mi"), rl("100m", "100Mi")), qctr(rl("100m", "100Mi"), rl("100m", "100Mi"))],
        [],
        "Guaranteed",
    ),
    ("best-effort-best-effort", [qctr(rl(), rl()), qctr(rl(), rl())], [], "BestEffort"),
    ("best-effort", [qctr(rl(), rl())], [], "BestEffort"),
    ("best-effort-burstable", [qctr(rl(), rl()), qctr(rl("1", ""), rl("2", ""))], [], "Burstable"),
    ("best-effort-guaranteed", [qctr(rl(), rl()), qctr(rl("10m", "100Mi"), rl("10m", "100Mi"))], [], "Burstable"),
    ("burstable-cpu-guaranteed-memory", [qctr(rl("", "100Mi"), rl("", "100Mi"))], [], "Burstable"),
    ("burstable-no-limits", [qctr(rl("100m", "100Mi"), rl())], [], "Burstable"),
    (
        "burstable-guaranteed",
        [qctr(rl("1", "100Mi"), rl("2", "100Mi")), qctr(rl("100m", "100Mi"), rl("100m", "100Mi"))],
        [],
        "Burstable",
    ),
    (
        "burstable-unbounded-but-requests-match-limits",
        [qctr(rl("100m", "100Mi"), rl("200m", "200Mi")), qctr(rl("100m", "100Mi"), rl("100m", ""))],
        [],
        "Burstable",
    ),
    ("burstable-1", [qctr(rl("10m", "100Mi"), rl("100m", "200Mi"))], [], "Burstable"),
    ("burstable-2", [qctr(rl("0", "0"), rl("100m", "200Mi"))], [], "Burstable"),
    ("best-effort-hugepages", [qctr(rl(hugepages_2Mi="1Gi"), rl(hugepages_2Mi="1Gi"))], [], "BestEffort"),
    (
        "guaranteed-hugepages",
        [qctr(rl("100m", "100Mi", hugepages_2Mi="1Gi"), rl("100m", "100Mi", hugepages_2Mi="1Gi"))],
        [],
        "Guaranteed",
    ),
    (
        "burstable-hugepages",
        [qctr(rl("0", "0", hugepages_2Mi="1Gi"), rl("100m", "100Mi", hugepages_2Mi="1Gi"))],
        [],
        "Burstable",
    ),
    (
        "init container burstable",
        [qctr(rl("100m", "100Mi"), rl("100m", "100Mi"))],
        [qctr(rl("10m", "100Mi"), rl("100m", "200Mi"))],
        "Burstable",
    ),
    (
        "init container guaranteed",
        [qctr(rl("100m", "100Mi"), rl("100m", "100Mi"))],
        [qctr(rl("100m", "100Mi"), rl("100m", "100Mi"))],
        "Guaranteed",
    ),
    ("equal values written differently", [qctr(rl("1", "1Gi"), rl("1000m", "1024Mi"))], [], "Guaranteed"),
]


@pytest.mark.parametrize(("name", "containers", "init", "expected"), QOS, ids=[c[0] for c in QOS])
def test_compute_pod_qos(name, containers, init, expected):
    p = pod(containers, init)
    assert compute_pod_qos(p) == expected
    assert qos_class(p) == expected


def test_qos_no_containers_is_best_effort():
    assert compute_pod_qos(pod([])) == "BestEffort"


def test_qos_limits_only_needs_defaulting():
    """Upstream does not default requests from limits here; ``SetDefaults_Pod`` has done so before."""
    from k8smodel.api.defaults import set_defaults_pod

    p = pod([{"name": "c", "image": "x", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}])
    assert compute_pod_qos(p) == "Burstable"
    set_defaults_pod(p)
    assert compute_pod_qos(p) == "Guaranteed"


QOS_POD_LEVEL = [
    ("pod-level guaranteed", {"requests": rl("1", "1Gi"), "limits": rl("1", "1Gi")}, "Guaranteed"),
    ("pod-level burstable", {"requests": rl("1", "1Gi"), "limits": rl("2", "1Gi")}, "Burstable"),
    ("pod-level empty", {}, "BestEffort"),
]


@pytest.mark.parametrize(("name", "resources", "expected"), QOS_POD_LEVEL, ids=[c[0] for c in QOS_POD_LEVEL])
def test_compute_pod_qos_pod_level_resources(name, resources, expected):
    """ComputePodQOS: with ``spec.resources`` present, the containers do not matter."""
    p = pod([qctr(rl("10m", "10Mi"), rl("100m", "100Mi"))], resources=resources)
    assert compute_pod_qos(p) == expected


def test_get_pod_qos_uses_status():
    """TestGetPodQOS: a non-empty ``status.qosClass`` wins."""
    p = pod([qctr(rl(), rl())], status={"qosClass": "Guaranteed"})
    assert qos_class(p) == "Guaranteed"
    assert compute_pod_qos(p) == "BestEffort"
    assert qos_class(pod([qctr(rl(), rl())], status={"qosClass": ""})) == "BestEffort"
