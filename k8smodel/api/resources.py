"""What a Pod asks for: its effective requests and limits, the scheduler's non-zero requests, and its QoS class.

Upstream (read at kubernetes/kubernetes master, 2025-26; commits named per function below):

- ``staging/src/k8s.io/component-helpers/resource/helpers.go`` (commit ``0085214e``): ``PodRequests``,
  ``PodLimits``, ``AggregateContainerRequests``/``AggregateContainerLimits``, ``aggregateContainerResourcesByFn``,
  ``applyNonMissing``, ``applyPodLevelResources``, ``IsPodLevelRequestsSet``/``IsPodLevelResourcesSet``,
  ``IsSupportedPodLevelResource``, ``addResourceList``/``maxResourceList``;
- ``pkg/scheduler/framework/types.go``: ``PodInfo.CalculateResource`` and ``getNonMissingContainerRequests``, with
  ``DefaultMilliCPURequest``/``DefaultMemoryRequest`` from ``pkg/scheduler/util/pod_resources.go``;
- ``pkg/apis/core/v1/helper/qos/qos.go``: ``GetPodQOS``, ``ComputePodQOS`` and ``resourceQOS``.

Units
-----
Upstream sums ``resource.Quantity`` values exactly and converts at the end (``MilliValue()`` for CPU, ``Value()``
for everything else, both rounding up). The model does the same: every quantity is read once into an exact integer
count of *nano-units* (parsing already rounds anything finer than ``1n`` up, so this loses nothing), sums and maxima
are taken on those integers, and each total is converted once at the end into its **canonical integer unit**:

- ``cpu``: millicores (``"1.5"`` -> ``1500``; ``"0.5m"`` -> ``1``, rounded up as ``MilliValue`` rounds);
- every other resource — ``memory``, ``ephemeral-storage``, ``hugepages-<size>``, extended resources such as
  ``nvidia.com/gpu`` — whole units (bytes for the byte-valued ones), rounded up as ``Value`` rounds.

So two containers asking for ``0.5m`` CPU each make ``1`` millicore, as upstream's exact sum does, not ``2``.

Feature gates
-------------
The model runs with upstream's current defaults: ``SidecarContainers`` (GA), ``PodLevelResources`` (beta, on) and
pod overhead. The in-place-resize paths (``UseStatusResources``: ``status.containerStatuses[].resources`` and
``allocatedResources``, the ``PodResizePending`` condition) and DRA node-allocatable claims are left out: the
model computes from the Pod's spec, which is what the scheduler sees for a Pod that has not been resized.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Final

from k8smodel.api.quantity import Quantity

__all__ = [
    "BEST_EFFORT",
    "BURSTABLE",
    "DEFAULT_MEMORY_REQUEST",
    "DEFAULT_MILLI_CPU_REQUEST",
    "GUARANTEED",
    "compute_pod_qos",
    "is_pod_level_requests_set",
    "is_pod_level_resources_set",
    "is_supported_pod_level_resource",
    "non_zero_requests",
    "pod_limits",
    "pod_requests",
    "qos_class",
    "to_canonical",
]

#: ``DefaultMilliCPURequest`` (``pkg/scheduler/util/pod_resources.go``): 0.1 core, for scoring only.
DEFAULT_MILLI_CPU_REQUEST: Final = 100
#: ``DefaultMemoryRequest`` (``pkg/scheduler/util/pod_resources.go``): 200 MiB, for scoring only.
DEFAULT_MEMORY_REQUEST: Final = 200 * 1024 * 1024

GUARANTEED: Final = "Guaranteed"
BURSTABLE: Final = "Burstable"
BEST_EFFORT: Final = "BestEffort"

_NANO_PER_MILLI: Final = 10**6
_NANO_PER_UNIT: Final = 10**9
_HUGEPAGES_PREFIX: Final = "hugepages-"
_QOS_RESOURCES: Final = ("cpu", "memory")

# The scheduler's defaults as nano-units, the form ``applyNonMissing`` adds them in.
_NON0_CPU_NANOS: Final = DEFAULT_MILLI_CPU_REQUEST * _NANO_PER_MILLI
_NON0_MEM_NANOS: Final = DEFAULT_MEMORY_REQUEST * _NANO_PER_UNIT

_EMPTY: Final[dict[str, int]] = {}


# -- quantities ---------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _nanos_of_text(text: str) -> int:
    return Quantity.parse(text).scaled_value(-9)


def _nanos(value: Any) -> int:
    """The exact value of a quantity as an integer number of nano-units.

    ``value`` is what a manifest holds: a string (``"100m"``), a JSON number (``2``, ``0.5``) or a
    :class:`Quantity`. A malformed string raises :class:`~k8smodel.api.quantity.QuantityError`.
    """
    if type(value) is str:
        return _nanos_of_text(value)
    if isinstance(value, Quantity):
        return value.scaled_value(-9)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _nanos_of_text(str(value))
    raise TypeError(f"a resource quantity must be a string, a number or a Quantity, not {type(value).__name__}")


def _div_up(nanos: int, per: int) -> int:
    """``nanos / per`` rounded away from zero, as ``ScaledValue`` rounds."""
    magnitude = -(-abs(nanos) // per)
    return magnitude if nanos >= 0 else -magnitude


def to_canonical(name: str, nanos: int) -> int:
    """A total in nano-units as the canonical integer for resource ``name``: millicores for ``cpu``, else units.

    The conversion the scheduler's ``Resource.Add`` makes (``MilliValue()`` for CPU, ``Value()`` otherwise).
    """
    return _div_up(nanos, _NANO_PER_MILLI if name == "cpu" else _NANO_PER_UNIT)


def _canonical(totals: dict[str, int]) -> dict[str, int]:
    return {name: to_canonical(name, nanos) for name, nanos in totals.items()}


def _resource_list(owner: Any, kind: str) -> dict[str, int]:
    """``owner.resources.<kind>`` (``requests`` or ``limits``) as ``{name: nanos}``; empty when absent."""
    if not owner:
        return _EMPTY
    resources = owner.get("resources")
    if not resources:
        return _EMPTY
    rl = resources.get(kind)
    if not rl:
        return _EMPTY
    return {name: _nanos(value) for name, value in rl.items()}


def _quantity_map(rl: Mapping[str, Any] | None) -> dict[str, int]:
    return {name: _nanos(value) for name, value in rl.items()} if rl else _EMPTY


# -- PodRequests / PodLimits --------------------------------------------------------------------------------------


def _add(into: dict[str, int], rl: Mapping[str, int]) -> None:
    """``addResourceList``."""
    for name, v in rl.items():
        into[name] = into.get(name, 0) + v


def _max(into: dict[str, int], rl: Mapping[str, int]) -> None:
    """``maxResourceList``: for every resource in ``rl``, keep the greater value (a missing one counts as absent)."""
    for name, v in rl.items():
        if name not in into or v > into[name]:
            into[name] = v


def _apply_non_missing(rl: dict[str, int], non_missing: Mapping[str, int]) -> dict[str, int]:
    """``applyNonMissing``: a copy of ``rl`` with each absent resource of ``non_missing`` filled in.

    A request explicitly set, even to ``0``, is kept.
    """
    out = dict(rl)
    for name, v in non_missing.items():
        if name not in rl:
            out[name] = v
    return out


def _aggregate(spec: Mapping[str, Any], kind: str, non_missing: Mapping[str, int] | None) -> dict[str, int]:
    """``aggregateContainerResourcesByFn`` on the spec (``containerSpecRequests`` / ``containerSpecLimits``).

    The app containers are summed; then init container *i* needs its own resources plus those of every
    restartable init container (sidecar, ``restartPolicy: Always``) before it, and a sidecar's resources also add
    to the running app total, since it keeps running beside the app containers. The result is the greater of the
    two, resource by resource (KEP-753 "Resources calculation for scheduling and pod admission").
    """
    result: dict[str, int] = {}
    for container in spec.get("containers") or ():
        rl = _resource_list(container, kind)
        if non_missing:
            rl = _apply_non_missing(rl, non_missing)
        _add(result, rl)

    init_containers = spec.get("initContainers")
    if init_containers:
        restartable: dict[str, int] = {}
        init_max: dict[str, int] = {}
        for container in init_containers:
            rl = _resource_list(container, kind)
            if non_missing:
                rl = _apply_non_missing(rl, non_missing)
            if container.get("restartPolicy") == "Always":  # isRestartableInitContainer
                _add(result, rl)
                _add(restartable, rl)
                _max(init_max, restartable)
            else:
                combined = dict(rl)
                _add(combined, restartable)
                _max(init_max, combined)
        _max(result, init_max)
    return result


def is_supported_pod_level_resource(name: str) -> bool:
    """``IsSupportedPodLevelResource``: ``cpu``, ``memory`` and ``hugepages-*`` may be set at the pod level."""
    return name in ("cpu", "memory") or name.startswith(_HUGEPAGES_PREFIX)


def _has_supported(rl: Any) -> bool:
    return bool(rl) and any(is_supported_pod_level_resource(name) for name in rl)


def is_pod_level_requests_set(pod: Mapping[str, Any]) -> bool:
    """``IsPodLevelRequestsSet``: ``spec.resources.requests`` names at least one supported resource."""
    resources = (pod.get("spec") or {}).get("resources")
    return bool(resources) and _has_supported(resources.get("requests"))


def is_pod_level_resources_set(pod: Mapping[str, Any]) -> bool:
    """``IsPodLevelResourcesSet``: ``spec.resources`` requests or limits name at least one supported resource."""
    resources = (pod.get("spec") or {}).get("resources")
    return bool(resources) and (_has_supported(resources.get("requests")) or _has_supported(resources.get("limits")))


def _apply_pod_level(result: dict[str, int], rl: Mapping[str, Any] | None) -> None:
    """``applyPodLevelResources``: a supported pod-level value replaces the containers' aggregate."""
    for name, value in (rl or {}).items():
        if is_supported_pod_level_resource(name):
            result[name] = _nanos(value)


def _pod_requests_nanos(
    pod: Mapping[str, Any],
    exclude_overhead: bool,
    non_missing: Mapping[str, int] | None,
    skip_pod_level_resources: bool,
) -> dict[str, int]:
    spec = pod.get("spec") or {}
    reqs = _aggregate(spec, "requests", non_missing)
    if not skip_pod_level_resources and is_pod_level_requests_set(pod):
        _apply_pod_level(reqs, spec["resources"]["requests"])
    if not exclude_overhead:
        overhead = spec.get("overhead")
        if overhead is not None:
            _add(reqs, _quantity_map(overhead))
    return reqs


def pod_requests(
    pod: Mapping[str, Any],
    *,
    exclude_overhead: bool = False,
    non_missing_container_requests: Mapping[str, Any] | None = None,
    skip_pod_level_resources: bool = False,
) -> dict[str, int]:
    """The Pod's effective requests, ``{resource: canonical int}`` (cpu in millicores, the rest in units/bytes).

    Upstream ``PodRequests`` (``staging/src/k8s.io/component-helpers/resource/helpers.go``, commit ``0085214e``)
    with ``PodResourcesOptions{ExcludeOverhead, NonMissingContainerRequests, SkipPodLevelResources}``:

    1. ``AggregateContainerRequests``: the sum over ``spec.containers``, then the maximum with each init
       container, where a restartable init container (``restartPolicy: Always``, a native sidecar) adds to the
       app containers' total and to every init container after it (see ``_aggregate``);
    2. if ``spec.resources.requests`` names a supported pod-level resource (``cpu``, ``memory``,
       ``hugepages-*``; feature ``PodLevelResources``), those pod-level values replace the aggregate;
    3. ``spec.overhead`` is added, unless ``exclude_overhead``.

    ``non_missing_container_requests`` (quantities, e.g. ``{"cpu": "100m"}``) fills in, per container, each named
    resource the container does not request at all (``applyNonMissing``); an explicit ``0`` is kept. A resource
    no container, pod-level field or overhead mentions is absent from the result, not ``0``.
    """
    non_missing = _quantity_map(non_missing_container_requests) if non_missing_container_requests else None
    return _canonical(_pod_requests_nanos(pod, exclude_overhead, non_missing, skip_pod_level_resources))


def pod_limits(
    pod: Mapping[str, Any],
    *,
    exclude_overhead: bool = False,
    skip_pod_level_resources: bool = False,
) -> dict[str, int]:
    """The Pod's effective limits, ``{resource: canonical int}`` (cpu in millicores, the rest in units/bytes).

    Upstream ``PodLimits`` (``staging/src/k8s.io/component-helpers/resource/helpers.go``, commit ``0085214e``):
    ``AggregateContainerLimits`` (the same sum-then-max with sidecars as :func:`pod_requests`, on limits); then,
    if pod-level resources are set at all (``IsPodLevelResourcesSet``: requests *or* limits), each supported
    pod-level limit replaces the aggregate; then ``spec.overhead`` is added to each limit that is present and
    non-zero (an absent limit means unlimited and stays absent), unless ``exclude_overhead``.
    """
    spec = pod.get("spec") or {}
    limits = _aggregate(spec, "limits", None)
    if not skip_pod_level_resources and is_pod_level_resources_set(pod):
        _apply_pod_level(limits, spec["resources"].get("limits"))
    if not exclude_overhead:
        overhead = spec.get("overhead")
        if overhead:
            for name, value in overhead.items():
                if limits.get(name):  # present and non-zero
                    limits[name] += _nanos(value)
    return _canonical(limits)


# -- the scheduler's non-zero requests ----------------------------------------------------------------------------


def non_zero_requests(pod: Mapping[str, Any]) -> tuple[int, int]:
    """``(milli_cpu, memory_bytes)`` the scheduler's scoring counts for the Pod (``NodeInfo.NonZeroRequested``).

    Upstream ``PodInfo.CalculateResource`` (``pkg/scheduler/framework/types.go``) with
    ``getNonMissingContainerRequests``: the Pod's requests are recomputed by :func:`pod_requests` with
    ``NonMissingContainerRequests`` set to ``DefaultMilliCPURequest`` (100m) and ``DefaultMemoryRequest``
    (200 MiB) — so *each* container, app or init (sidecars included), that does not request CPU (or memory) at all
    counts as requesting the default; an explicit ``0`` stays ``0``. The same sum/max over init containers and the
    overhead apply as for :func:`pod_requests`. When pod-level requests are set, a default is used only for a
    resource missing from the Pod's computed requests (neither a container, the pod level nor the overhead sets
    it). Filtering (``NodeResourcesFit``) uses the real requests; these numbers are for scoring (least/most
    allocated, balanced allocation) only, so that pods asking for nothing do not all pile onto one node.
    """
    if is_pod_level_requests_set(pod):
        requests = _pod_requests_nanos(pod, False, None, False)
        non_missing: dict[str, int] = {}
        if "cpu" not in requests:
            non_missing["cpu"] = _NON0_CPU_NANOS
        if "memory" not in requests:
            non_missing["memory"] = _NON0_MEM_NANOS
        non0 = _pod_requests_nanos(pod, False, non_missing, False) if non_missing else requests
    else:
        non0 = _pod_requests_nanos(pod, False, {"cpu": _NON0_CPU_NANOS, "memory": _NON0_MEM_NANOS}, False)
    return _div_up(non0.get("cpu", 0), _NANO_PER_MILLI), _div_up(non0.get("memory", 0), _NANO_PER_UNIT)


# -- QoS class ----------------------------------------------------------------------------------------------------


def _resource_qos(resources: Any) -> str:
    """``resourceQOS``: the class of one set of requirements (a container's, or the Pod's own ``spec.resources``).

    No requests and no limits at all is BestEffort. Otherwise, for ``cpu`` and ``memory`` (the only resources that
    count), a request that differs from the limit (an absent one counts as ``0``) is Burstable; both equal and
    non-zero for both resources is Guaranteed; both zero for both is BestEffort; a mix is Burstable.
    """
    requests = (resources or {}).get("requests") or {}
    limits = (resources or {}).get("limits") or {}
    if not requests and not limits:
        return BEST_EFFORT
    qos = ""
    for name in _QOS_RESOURCES:
        req = _nanos(requests[name]) if name in requests else 0
        lim = _nanos(limits[name]) if name in limits else 0
        if req != lim:
            return BURSTABLE
        best_effort = req == 0
        if not qos:
            qos = BEST_EFFORT if best_effort else GUARANTEED
        elif best_effort != (qos == BEST_EFFORT):
            return BURSTABLE
    return qos


def compute_pod_qos(pod: Mapping[str, Any]) -> str:
    """``ComputePodQOS`` (``pkg/apis/core/v1/helper/qos/qos.go``): ``"Guaranteed"``, ``"Burstable"``, ``"BestEffort"``.

    If ``spec.resources`` is present (feature ``PodLevelResources``), the Pod's own requirements decide alone.
    Otherwise every container, init containers included, is classed by ``resourceQOS``: any Burstable container
    makes the Pod Burstable, a mix of Guaranteed and BestEffort containers is Burstable too, and a Pod whose
    containers all agree takes their class. Only ``cpu`` and ``memory`` count.

    Requests are **not** defaulted from limits here: upstream relies on API defaulting (``SetDefaults_Pod``,
    :func:`k8smodel.api.defaults.set_defaults_pod`) having copied each container's limits into missing requests
    before the Pod is stored. So a raw manifest with only limits classes as Burstable here, and as Guaranteed once
    it has been defaulted — as it always has been by the time kubelet or the scheduler sees it.
    """
    spec = pod.get("spec") or {}
    if spec.get("resources") is not None:
        return _resource_qos(spec["resources"])
    pod_qos = ""
    for key in ("initContainers", "containers"):  # podutil.ContainerIter(InitContainers|Containers)
        for container in spec.get(key) or ():
            qos = _resource_qos(container.get("resources"))
            if qos == BURSTABLE:
                return qos
            if not pod_qos:
                pod_qos = qos
            elif pod_qos != qos:
                return BURSTABLE
    return pod_qos or BEST_EFFORT


def qos_class(pod: Mapping[str, Any]) -> str:
    """``GetPodQOS`` (``pkg/apis/core/v1/helper/qos/qos.go``): ``status.qosClass`` if set, else :func:`compute_pod_qos`.

    The API server sets ``status.qosClass`` when the Pod is created, and the class never changes afterwards.
    """
    status = pod.get("status")
    if status:
        stored = status.get("qosClass")
        if stored:
            return stored
    return compute_pod_qos(pod)
