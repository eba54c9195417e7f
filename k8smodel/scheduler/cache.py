"""The scheduler's cache and snapshot: what the scheduler knows about Nodes and the Pods assigned to them.

Upstream (kubernetes/kubernetes, read 2025-26):

* ``pkg/scheduler/backend/cache/cache.go`` (``cacheImpl``: ``AddNode``, ``UpdateNode``, ``RemoveNode``,
  ``AddPod``, ``UpdatePod``, ``RemovePod``, ``AssumePod``, ``ForgetPod``, ``UpdateSnapshot``; commit ``03789157``)
  and ``node_tree.go`` (``nodeTree``: the Nodes of each zone, listed round-robin across zones);
* ``pkg/scheduler/backend/cache/snapshot.go`` (``Snapshot``: the NodeInfo list a scheduling cycle works on);
* ``pkg/scheduler/framework/types.go`` (``NodeInfo``: ``AddPodInfo``, ``RemovePod``, ``update``, ``SetNode``;
  ``PodInfo`` with its parsed affinity terms and ``CalculateResource``; ``Resource.Add``; ``HostPortInfo``;
  ``GetPodKey``), commit ``29820444``;
* ``pkg/scheduler/util/utils.go`` (``GetHostPorts``), ``pkg/apis/core/v1/helper`` (``IsScalarResourceName``...),
  ``k8s.io/component-helpers/node/topology`` (``GetZoneKey``).

How the model keeps the cache cheap
    A Node is a *slot*: a column of one ``int64`` numpy matrix (``num``) that holds its allocatable resources,
    what its Pods request (plain and non-zero), how many Pods it runs, whether it is cordoned, an id of its taint
    set, and how many of its Pods carry (anti-)affinity. Adding, assuming or removing a Pod is a handful of scalar
    writes to that column plus list appends: O(1). Each slot also keeps a :class:`NodeInfo` (the Node object, its
    Pods, host ports and images) for the plugins that need the objects themselves. A Pod's resource numbers are
    computed once per Pod *shape* (the containers' requests), so the Pods of one template share the work.

    :meth:`Cache.snapshot` is ``UpdateSnapshot``: it copies only the slots that changed since the previous snapshot
    (upstream walks its most-recently-updated list until it meets an older generation; the model keeps the set of
    changed slots), so its cost is in proportion to the changes. As upstream there is one snapshot per cache,
    updated in place; it does not change again until the next call. Its Node order is the node tree's: zones
    round-robin, each zone in the order its Nodes were added; the list is rebuilt only when a Node is added or
    removed (as upstream, a zone change alone does not reorder it).

    For the vectorized plugins the snapshot also indexes, lazily and incrementally: the value of any label key on
    every Node (interned ids), the Pods on each Node grouped by *label set* (namespace, labels, terminating), and
    memoized per-Node (and per-domain) counts of the Pods a selector matches (``PodTopologySpread``,
    ``InterPodAffinity``).

What the model leaves out
    The assumed-Pod expiry (removed upstream too), PVC reference counts, pod groups and DRA; the cache's
    consistency "debugger" and metrics. Errors upstream only logs (a Pod added twice, removing an unknown Pod) are
    recorded in :attr:`Cache.errors` and change nothing. ``ImageStateSummary.NumNodes`` is read from the cache's
    image index at snapshot time (upstream freezes it per NodeInfo when that NodeInfo is cloned).
"""

from __future__ import annotations

import functools
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from k8smodel.api.labels import Operator, Requirement, Selector, label_selector_as_selector
from k8smodel.api.quantity import Quantity
from k8smodel.api.resources import non_zero_requests, pod_requests, to_canonical

__all__ = [
    "ALLOC_CPU",
    "ALLOC_EPH",
    "ALLOC_MEM",
    "ALLOC_PODS",
    "NUM_FIELDS",
    "AffinityTerm",
    "Cache",
    "NodeInfo",
    "PodInfo",
    "Snapshot",
    "get_zone_key",
    "is_scalar_resource_name",
    "pod_key",
    "pod_priority",
]

# --- the per-slot numeric fields (rows of Cache.num / Snapshot.num) --------------------------------------------

ALLOC_CPU, ALLOC_MEM, ALLOC_EPH, ALLOC_PODS = 0, 1, 2, 3
REQ_CPU, REQ_MEM, REQ_EPH = 4, 5, 6
NZ_CPU, NZ_MEM = 7, 8
NPODS = 9
UNSCHED = 10
TAINTS = 11
N_AFF = 12
N_ANTI = 13
N_PORTS = 14
PRESENT = 15
NUM_FIELDS = 16

LABEL_HOSTNAME = "kubernetes.io/hostname"
LABEL_ZONE = "topology.kubernetes.io/zone"
LABEL_REGION = "topology.kubernetes.io/region"
LABEL_ZONE_BETA = "failure-domain.beta.kubernetes.io/zone"
LABEL_REGION_BETA = "failure-domain.beta.kubernetes.io/region"


# --- small helpers ------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _canonical_text(name: str, text: str) -> int:
    return to_canonical(name, Quantity.parse(text).scaled_value(-9))


def resource_list(rl: Mapping[str, Any] | None) -> dict[str, int]:
    """A ``ResourceList`` (``{"cpu": "2", "memory": "4Gi"}``) as canonical ints (cpu in millicores)."""
    out: dict[str, int] = {}
    for name, value in (rl or {}).items():
        out[name] = _canonical_text(name, value if isinstance(value, str) else str(value))
    return out


def _is_prefixed_native(name: str) -> bool:
    return "kubernetes.io/" in name


def is_extended_resource_name(name: str) -> bool:
    """``v1helper.IsExtendedResourceName``: not native (a domain other than ``kubernetes.io``), not ``requests.``."""
    if "/" not in name or _is_prefixed_native(name):
        return False
    return not name.startswith("requests.")


def is_scalar_resource_name(name: str) -> bool:
    """``schedutil.IsScalarResourceName``: extended, ``hugepages-*``, prefixed native or ``attachable-volumes-*``."""
    return (
        is_extended_resource_name(name)
        or name.startswith("hugepages-")
        or _is_prefixed_native(name)
        or name.startswith("attachable-volumes-")
    )


def pod_key(pod: Mapping[str, Any]) -> str:
    """``framework.GetPodKey``: the Pod's UID (the model falls back to ``namespace/name`` for a UID-less Pod)."""
    meta = pod.get("metadata") or {}
    uid = meta.get("uid")
    if uid:
        return uid
    return f"{meta.get('namespace') or 'default'}/{meta.get('name') or ''}"


def pod_priority(pod: Mapping[str, Any]) -> int:
    """``corev1helpers.PodPriority``: ``spec.priority``, 0 when unset."""
    p = (pod.get("spec") or {}).get("priority")
    return int(p) if p is not None else 0


def get_zone_key(node: Mapping[str, Any]) -> str:
    """``utilnode.GetZoneKey``: ``region + ":\\x00:" + zone`` (beta labels first), ``""`` when neither is set."""
    labels = (node.get("metadata") or {}).get("labels") or {}
    zone = labels[LABEL_ZONE_BETA] if LABEL_ZONE_BETA in labels else labels.get(LABEL_ZONE, "")
    region = labels[LABEL_REGION_BETA] if LABEL_REGION_BETA in labels else labels.get(LABEL_REGION, "")
    if not region and not zone:
        return ""
    return region + ":\x00:" + zone


def host_ports(pod: Mapping[str, Any]) -> tuple[tuple[str, str, int], ...]:
    """``schedutil.GetHostPorts``: ``(hostIP, protocol, hostPort)`` of every container port with ``hostPort > 0``
    (init containers too), hostIP defaulted to ``0.0.0.0`` and protocol to ``TCP`` (``HostPortInfo`` sanitize)."""
    spec = pod.get("spec") or {}
    out = []
    for group in ("containers", "initContainers"):
        for c in spec.get(group) or ():
            for p in c.get("ports") or ():
                hp = p.get("hostPort") or 0
                if hp > 0:
                    out.append((p.get("hostIP") or "0.0.0.0", p.get("protocol") or "TCP", int(hp)))
    return tuple(out)


def ports_conflict(used: Mapping[str, set[tuple[str, int]]], ip: str, protocol: str, port: int) -> bool:
    """``HostPortInfo.CheckConflict``: ``0.0.0.0`` conflicts with the same (protocol, port) on any IP and back."""
    if port <= 0:
        return False
    pp = (protocol or "TCP", port)
    ip = ip or "0.0.0.0"
    if ip == "0.0.0.0":
        return any(pp in s for s in used.values())
    for key in ("0.0.0.0", ip):
        s = used.get(key)
        if s is not None and pp in s:
            return True
    return False


# --- affinity terms (framework/types.go: newAffinityTerm, GetAffinityTerms) -----------------------------------------


class AffinityTerm:
    """``fwk.AffinityTerm``: a parsed ``PodAffinityTerm`` of a Pod (``namespaces`` defaulting to the Pod's own)."""

    __slots__ = ("key", "namespace_selector", "namespaces", "selector", "topology_key", "weight")

    def __init__(self, pod_namespace: str, term: Mapping[str, Any], weight: int = 0) -> None:
        self.selector: Selector = label_selector_as_selector(term.get("labelSelector"))
        namespaces = term.get("namespaces") or []
        ns_sel = term.get("namespaceSelector")
        if not namespaces and ns_sel is None:
            self.namespaces = frozenset((pod_namespace,))
        else:
            self.namespaces = frozenset(namespaces)
        self.namespace_selector: Selector = label_selector_as_selector(ns_sel)  # nil -> Nothing, {} -> Everything
        self.topology_key: str = term.get("topologyKey") or ""
        self.weight = int(weight)
        self.key = (self.selector, self.namespaces, self.namespace_selector, self.topology_key)

    def matches(self, namespace: str, labels: Mapping[str, str] | None, ns_labels: Mapping[str, str] | None) -> bool:
        """``AffinityTerm.Matches``: the namespace is listed or its labels match the namespace selector, and the
        Pod's labels match the label selector."""
        if namespace in self.namespaces or self.namespace_selector.matches(ns_labels or {}):
            return self.selector.matches(labels or {})
        return False

    def __repr__(self) -> str:
        return f"AffinityTerm({self.selector!s}, ns={sorted(self.namespaces)}, key={self.topology_key!r})"


def _terms(pod_ns: str, terms: Any, weighted: bool) -> list[AffinityTerm]:
    out = []
    for t in terms or ():
        if weighted:
            out.append(AffinityTerm(pod_ns, t.get("podAffinityTerm") or {}, t.get("weight") or 0))
        else:
            out.append(AffinityTerm(pod_ns, t))
    return out


_RESOURCE_MEMO: dict[tuple, tuple] = {}
_BY_IDENTITY: dict[int, tuple[Any, tuple]] = {}  # id(spec.containers) -> (containers, resources)


def _compute_resources(pod: Mapping[str, Any]) -> tuple:
    req = pod_requests(pod)
    scalars = {n: v for n, v in req.items() if is_scalar_resource_name(n)}
    non0_cpu, non0_mem = non_zero_requests(pod)
    cpu, mem, eph = req.get("cpu", 0), req.get("memory", 0), req.get("ephemeral-storage", 0)
    delta = np.zeros(NUM_FIELDS, dtype=np.int64)  # what the Pod adds to its Node's column of Cache.num
    delta[REQ_CPU], delta[REQ_MEM], delta[REQ_EPH] = cpu, mem, eph
    delta[NZ_CPU], delta[NZ_MEM], delta[NPODS] = non0_cpu, non0_mem, 1
    return (req, cpu, mem, eph, scalars, non0_cpu, non0_mem, delta)


def _pod_resources(pod: Mapping[str, Any], spec: Mapping[str, Any]) -> tuple:
    """``PodInfo.CalculateResource``, memoized on the containers' requests for the common shape (app containers
    only, no overhead, no pod-level resources): Pods of one template cost one computation. The same containers
    object (the Pod ``schedule`` just saw, then ``assume_pod``) is recognised by identity."""
    containers = spec.get("containers")
    hit = _BY_IDENTITY.get(id(containers))
    if hit is not None and hit[0] is containers:
        return hit[1]
    if spec.get("initContainers") or spec.get("overhead") or spec.get("resources"):
        return _compute_resources(pod)
    try:
        key = tuple(tuple(((c.get("resources") or {}).get("requests") or {}).items()) for c in containers or ())
        found = _RESOURCE_MEMO.get(key)
    except TypeError:  # unhashable values: compute
        return _compute_resources(pod)
    if found is None:
        found = _compute_resources(pod)
        if len(_RESOURCE_MEMO) > 65536:
            _RESOURCE_MEMO.clear()
        _RESOURCE_MEMO[key] = found
    if len(_BY_IDENTITY) > 64:
        _BY_IDENTITY.clear()
    _BY_IDENTITY[id(containers)] = (containers, found)
    return found


class PodInfo:
    """``framework.PodInfo``: a Pod with what the scheduler computes from it once.

    Resources are ``PodInfo.CalculateResource``: ``requests`` (canonical ints; cpu in millicores) and the non-zero
    cpu/memory used for scoring. ``lsid`` is the Pod's label-set id in the cache that made it (or -1). The
    ``requests`` and ``scalars`` dicts may be shared between Pods of one shape: never modify them. Resources and
    label sets are memoized by the identity of the Pod's ``spec.containers`` and ``metadata`` objects, so a Pod
    dict must not be edited in place and scheduled again (objects from the API server are fresh dicts; a what-if
    Pod should be built anew, as upstream builds a new PodInfo from each object).
    """

    __slots__ = (
        "cpu",
        "delta",
        "eph",
        "has_affinity",
        "has_required_anti_affinity",
        "host_ports",
        "key",
        "labels",
        "lsid",
        "mem",
        "name",
        "namespace",
        "non0_cpu",
        "non0_mem",
        "parse_error",
        "pod",
        "preferred_affinity_terms",
        "preferred_anti_affinity_terms",
        "priority",
        "requests",
        "required_affinity_terms",
        "required_anti_affinity_terms",
        "scalars",
        "start_time",
        "terminating",
    )

    def __init__(self, pod: Mapping[str, Any], lsid: int = -1, resources_from: PodInfo | None = None) -> None:
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        self.pod = pod
        self.key = pod_key(pod)
        self.name = meta.get("name") or ""
        self.namespace = meta.get("namespace") or "default"
        self.labels: dict[str, str] = meta.get("labels") or {}
        self.priority = pod_priority(pod)
        self.terminating = meta.get("deletionTimestamp") is not None
        self.start_time = (pod.get("status") or {}).get("startTime")
        self.lsid = lsid
        if resources_from is not None:
            src = resources_from
            self.requests, self.cpu, self.mem, self.eph = src.requests, src.cpu, src.mem, src.eph
            self.scalars, self.non0_cpu, self.non0_mem = src.scalars, src.non0_cpu, src.non0_mem
            self.delta = src.delta
        else:
            res = _pod_resources(pod, spec)
            self.requests, self.cpu, self.mem, self.eph, self.scalars, self.non0_cpu, self.non0_mem, self.delta = res
        self.host_ports = host_ports(pod)
        affinity = spec.get("affinity") or {}
        pa = affinity.get("podAffinity")
        paa = affinity.get("podAntiAffinity")
        self.has_affinity = pa is not None or paa is not None
        self.has_required_anti_affinity = bool(paa and paa.get("requiredDuringSchedulingIgnoredDuringExecution"))
        self.parse_error: str | None = None
        self.required_affinity_terms: list[AffinityTerm] = []
        self.required_anti_affinity_terms: list[AffinityTerm] = []
        self.preferred_affinity_terms: list[AffinityTerm] = []
        self.preferred_anti_affinity_terms: list[AffinityTerm] = []
        if self.has_affinity:
            self._parse_terms(pa or {}, paa or {})

    def for_new_version(self, pod: Mapping[str, Any]) -> PodInfo:
        """The PodInfo of a new version of this Pod that shares this one's ``spec`` object and label set: what
        ``PodInfo(pod, self.lsid)`` computes, taken from this one where it comes from the spec (the term lists are
        shared: never modified)."""
        new = PodInfo.__new__(PodInfo)
        for name in _POD_INFO_SLOTS:
            setattr(new, name, getattr(self, name))
        new.pod = pod
        new.labels = (pod.get("metadata") or {}).get("labels") or {}
        new.start_time = (pod.get("status") or {}).get("startTime")
        return new

    def _parse_terms(self, pa: Mapping[str, Any], paa: Mapping[str, Any]) -> None:
        """``PodInfo.Update``: parse the four term lists; a bad selector empties its list and records the error."""
        ns = self.namespace
        req, pref = "requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"
        parts = (
            ("required_affinity_terms", "requiredAffinityTerms", pa, req, False),
            ("required_anti_affinity_terms", "requiredAntiAffinityTerms", paa, req, False),
            ("preferred_affinity_terms", "preferredAffinityTerms", pa, pref, True),
            ("preferred_anti_affinity_terms", "preferredAntiAffinityTerms", paa, pref, True),
        )
        errors = []
        for attr, label, src, field, weighted in parts:
            try:
                setattr(self, attr, _terms(ns, src.get(field), weighted))
            except ValueError as err:
                errors.append(f"{label}: {err}")
        if errors:
            self.parse_error = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"

    def __repr__(self) -> str:
        return f"PodInfo({self.namespace}/{self.name})"


_POD_INFO_SLOTS = PodInfo.__slots__


# --- NodeInfo ----------------------------------------------------------------------------------------------------


class NodeInfo:
    """``framework.NodeInfo``: a Node, its Pods and what they add up to.

    ``requested``/``allocatable`` are dicts of canonical ints (``cpu`` in millicores, ``memory``,
    ``ephemeral-storage``, scalar resources; ``allocatable["pods"]`` is ``AllowedPodNumber``); ``non_zero`` holds
    ``NonZeroRequested`` cpu and memory. ``used_ports`` is ``HostPortInfo`` (``{ip: {(protocol, port)}}``).
    ``images`` maps each image name on the Node to its size in bytes.
    """

    __slots__ = (
        "allocatable",
        "images",
        "labels",
        "name",
        "node",
        "non_zero",
        "pods",
        "pods_with_affinity",
        "pods_with_required_anti_affinity",
        "requested",
        "taints",
        "used_ports",
    )

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.node: dict | None = None
        self.labels: dict[str, str] = {}
        self.taints: tuple[dict, ...] = ()
        self.pods: list[PodInfo] = []
        self.pods_with_affinity: list[PodInfo] = []
        self.pods_with_required_anti_affinity: list[PodInfo] = []
        self.used_ports: dict[str, set[tuple[str, int]]] = {}
        self.requested: dict[str, int] = {"cpu": 0, "memory": 0, "ephemeral-storage": 0}
        self.non_zero: dict[str, int] = {"cpu": 0, "memory": 0}
        self.allocatable: dict[str, int] = {"cpu": 0, "memory": 0, "ephemeral-storage": 0, "pods": 0}
        self.images: dict[str, int] = {}

    # -- the Node ------------------------------------------------------------------------------------------------

    def set_node(self, node: dict) -> None:
        """``SetNode``: the Node object and its allocatable resources (``Resource.Add``: cpu, memory, pods,
        ephemeral storage and scalar resources; other names are ignored)."""
        self.node = node
        meta = node.get("metadata") or {}
        self.name = meta.get("name") or self.name
        self.labels = meta.get("labels") or {}
        spec = node.get("spec") or {}
        self.taints = tuple(spec.get("taints") or ())
        alloc = resource_list((node.get("status") or {}).get("allocatable"))
        self.allocatable = {
            "cpu": alloc.get("cpu", 0),
            "memory": alloc.get("memory", 0),
            "ephemeral-storage": alloc.get("ephemeral-storage", 0),
            "pods": alloc.get("pods", 0),
        }
        for n, v in alloc.items():
            if is_scalar_resource_name(n):
                self.allocatable[n] = v
        images: dict[str, int] = {}
        for image in (node.get("status") or {}).get("images") or ():
            for n in image.get("names") or ():
                images.setdefault(n, int(image.get("sizeBytes") or 0))
        self.images = images

    @property
    def unschedulable(self) -> bool:
        return bool(((self.node or {}).get("spec") or {}).get("unschedulable"))

    # -- Pods ------------------------------------------------------------------------------------------------

    def add_pod_info(self, pi: PodInfo) -> None:
        """``AddPodInfo``."""
        self.pods.append(pi)
        if pi.has_affinity:
            self.pods_with_affinity.append(pi)
        if pi.has_required_anti_affinity:
            self.pods_with_required_anti_affinity.append(pi)
        self._update(pi, 1)

    def remove_pod(self, key: str) -> PodInfo | None:
        """``RemovePod``: by key; swaps the last Pod into the hole as upstream's ``removeFromSlice`` does."""
        removed = _remove_from(self.pods, key)
        if removed is None:
            return None
        if removed.has_affinity:
            _remove_from(self.pods_with_affinity, key)
        if removed.has_required_anti_affinity:
            _remove_from(self.pods_with_required_anti_affinity, key)
        self._update(removed, -1)
        return removed

    def _update(self, pi: PodInfo, sign: int) -> None:
        r = self.requested
        r["cpu"] += sign * pi.cpu
        r["memory"] += sign * pi.mem
        r["ephemeral-storage"] += sign * pi.eph
        for n, v in pi.scalars.items():
            r[n] = r.get(n, 0) + sign * v
        self.non_zero["cpu"] += sign * pi.non0_cpu
        self.non_zero["memory"] += sign * pi.non0_mem
        for ip, proto, port in pi.host_ports:
            if sign > 0:
                self.used_ports.setdefault(ip, set()).add((proto, port))
            else:
                s = self.used_ports.get(ip)
                if s is not None:
                    s.discard((proto, port))
                    if not s:
                        del self.used_ports[ip]

    def clone(self) -> NodeInfo:
        """``NodeInfo.Snapshot``: lists and maps copied, Pod and Node objects shared."""
        c = NodeInfo.__new__(NodeInfo)
        c.name = self.name
        c.node = self.node
        c.labels = self.labels
        c.taints = self.taints
        c.pods = list(self.pods)
        c.pods_with_affinity = list(self.pods_with_affinity)
        c.pods_with_required_anti_affinity = list(self.pods_with_required_anti_affinity)
        c.used_ports = {ip: set(s) for ip, s in self.used_ports.items()} if self.used_ports else {}
        c.requested = dict(self.requested)
        c.non_zero = dict(self.non_zero)
        c.allocatable = self.allocatable
        c.images = self.images
        return c

    def __repr__(self) -> str:
        return f"NodeInfo({self.name!r}, pods={len(self.pods)})"


def _remove_from(lst: list[PodInfo], key: str) -> PodInfo | None:
    for i, p in enumerate(lst):
        if p.key == key:
            lst[i] = lst[-1]
            lst.pop()
            return p
    return None


def taint_key(taints: Iterable[Mapping[str, Any]]) -> tuple[tuple[str, str, str], ...]:
    """A Node's taints as a hashable tuple of ``(key, value, effect)`` (``timeAdded`` does not matter here)."""
    return tuple((t.get("key") or "", t.get("value") or "", t.get("effect") or "") for t in taints)


# --- the cache ---------------------------------------------------------------------------------------------------


class Cache:
    """``pkg/scheduler/backend/cache``: Nodes and assigned (or assumed) Pods, kept incrementally.

    Methods are named after upstream's ``Cache`` interface. Pods are keyed by UID (``GetPodKey``). Mistakes
    upstream logs and survives (adding a Pod twice, removing one the cache never saw) are appended to
    :attr:`errors` and change nothing.
    """

    def __init__(self) -> None:
        self._cap = 0
        self.num = np.zeros((NUM_FIELDS, 0), dtype=np.int64)
        self.scalars: dict[str, np.ndarray] = {}  # name -> [2, cap]: allocatable, requested
        self.infos: list[NodeInfo | None] = []
        self._slot_of: dict[str, int] = {}
        self._free: list[int] = []
        self._nslots = 0
        self._pods: dict[str, tuple[PodInfo, str]] = {}  # key -> (PodInfo, node name)
        self._assumed: set[str] = set()
        # node tree (node_tree.go)
        self._zones: list[str] = []
        self._tree: dict[str, list[str]] = {}
        self._zone_of: dict[str, str] = {}
        self._list_dirty = True
        # change tracking for UpdateSnapshot
        self._dirty: set[int] = set()
        self._node_changed: set[int] = set()
        self._pod_log: list[tuple[int, int, int]] = []  # (slot, lsid, +1/-1)
        # interning
        self.taint_sets: list[tuple[tuple[str, str, str], ...]] = [()]
        self._taint_id: dict[tuple, int] = {(): 0}
        self.label_sets: list[tuple[str, dict[str, str], bool]] = []
        self._lsid: dict[tuple, int] = {}
        self._lsid_by_meta: dict[int, tuple[Any, int]] = {}
        # image name -> {node name: size} (upstream imageStates)
        self.image_nodes: dict[str, dict[str, int]] = {}
        self.errors: deque[str] = deque(maxlen=100)
        self.n_aff_pods = 0  # Pods with (anti-)affinity, and with required anti-affinity, cluster-wide
        self.n_anti_pods = 0
        self._snapshot: Snapshot | None = None

    # -- slots ----------------------------------------------------------------------------------------------------

    def _grow(self, need: int) -> None:
        if need <= self._cap:
            return
        cap = max(need, 16, self._cap * 2)
        num = np.zeros((NUM_FIELDS, cap), dtype=np.int64)
        num[:, : self._cap] = self.num
        self.num = num
        for n, arr in list(self.scalars.items()):
            a = np.zeros((2, cap), dtype=np.int64)
            a[:, : self._cap] = arr
            self.scalars[n] = a
        self.infos.extend([None] * (cap - self._cap))
        self._cap = cap

    def _slot(self, name: str, create: bool = True) -> int:
        slot = self._slot_of.get(name)
        if slot is None and create:
            if self._free:
                slot = self._free.pop()
            else:
                slot = self._nslots
                self._nslots += 1
            self._grow(slot + 1)
            self._slot_of[name] = slot
            self.infos[slot] = NodeInfo(name)
            self.num[:, slot] = 0
            for arr in self.scalars.values():
                arr[:, slot] = 0
            self._dirty.add(slot)
            self._node_changed.add(slot)
        return -1 if slot is None else slot

    def _release(self, name: str) -> None:
        slot = self._slot_of.pop(name)
        self.infos[slot] = None
        self.num[:, slot] = 0
        for arr in self.scalars.values():
            arr[:, slot] = 0
        self._free.append(slot)
        self._dirty.add(slot)
        self._node_changed.add(slot)

    def _scalar(self, name: str) -> np.ndarray:
        arr = self.scalars.get(name)
        if arr is None:
            arr = self.scalars[name] = np.zeros((2, self._cap), dtype=np.int64)
        return arr

    def taint_set_id(self, taints: Iterable[Mapping[str, Any]]) -> int:
        key = taint_key(taints)
        tid = self._taint_id.get(key)
        if tid is None:
            tid = self._taint_id[key] = len(self.taint_sets)
            self.taint_sets.append(key)
        return tid

    def label_set_id(self, pod: Mapping[str, Any]) -> int:
        """The interned id of the Pod's (namespace, labels, terminating); the same metadata object seen again (an
        assumed Pod) is recognised by identity."""
        meta = pod.get("metadata") or {}
        hit = self._lsid_by_meta.get(id(meta))
        if hit is not None and hit[0] is meta:
            return hit[1]
        labels = meta.get("labels") or {}
        ns = meta.get("namespace") or "default"
        terminating = meta.get("deletionTimestamp") is not None
        key = (ns, tuple(sorted(labels.items())), terminating)
        lsid = self._lsid.get(key)
        if lsid is None:
            lsid = self._lsid[key] = len(self.label_sets)
            self.label_sets.append((ns, dict(labels), terminating))
        if len(self._lsid_by_meta) > 64:
            self._lsid_by_meta.clear()
        self._lsid_by_meta[id(meta)] = (meta, lsid)
        return lsid

    # -- node tree ------------------------------------------------------------------------------------------------

    def _tree_add(self, node: Mapping[str, Any]) -> None:
        name = (node.get("metadata") or {}).get("name") or ""
        zone = get_zone_key(node)
        names = self._tree.get(zone)
        if names is None:
            self._zones.append(zone)
            names = self._tree[zone] = []
        if name in self._zone_of:
            return
        names.append(name)
        self._zone_of[name] = zone
        self._list_dirty = True

    def _tree_remove(self, name: str) -> None:
        zone = self._zone_of.pop(name, None)
        if zone is None:
            self.errors.append(f"node {name!r} was not found in the node tree")
            return
        names = self._tree[zone]
        names.remove(name)
        if not names:
            del self._tree[zone]
            self._zones.remove(zone)
        self._list_dirty = True

    def node_names(self) -> list[str]:
        """``nodeTree.list``: the Node names, one zone after another round-robin (the snapshot's order)."""
        out: list[str] = []
        lists = [self._tree[z] for z in self._zones]
        i = 0
        total = len(self._zone_of)
        while len(out) < total:
            for names in lists:
                if i < len(names):
                    out.append(names[i])
            i += 1
        return out

    # -- nodes ----------------------------------------------------------------------------------------------------

    def _set_node(self, slot: int, node: dict) -> None:
        info = self.infos[slot]
        assert info is not None
        old_images = info.images if info.node is not None else {}
        info.set_node(node)
        name = info.name
        for img in old_images:
            holders = self.image_nodes.get(img)
            if holders is not None:
                holders.pop(name, None)
                if not holders:
                    del self.image_nodes[img]
        for img, size in info.images.items():
            self.image_nodes.setdefault(img, {})[name] = size
        a = info.allocatable
        col = self.num[:, slot]
        col[ALLOC_CPU] = a["cpu"]
        col[ALLOC_MEM] = a["memory"]
        col[ALLOC_EPH] = a["ephemeral-storage"]
        col[ALLOC_PODS] = a["pods"]
        col[UNSCHED] = 1 if info.unschedulable else 0
        col[TAINTS] = self.taint_set_id(info.taints)
        col[PRESENT] = 1
        for n, arr in self.scalars.items():
            arr[0, slot] = a.get(n, 0)
        for n, v in a.items():
            if n not in ("cpu", "memory", "ephemeral-storage", "pods") and n not in self.scalars:
                self._scalar(n)[0, slot] = v
        self._dirty.add(slot)
        self._node_changed.add(slot)

    def add_node(self, node: dict) -> None:
        """``AddNode``."""
        name = (node.get("metadata") or {}).get("name") or ""
        slot = self._slot(name)
        self._tree_add(node)
        self._set_node(slot, node)

    @staticmethod
    def _relevant(node: Mapping[str, Any]) -> tuple:
        meta = node.get("metadata") or {}
        spec = node.get("spec") or {}
        status = node.get("status") or {}
        return (
            meta.get("labels") or {},
            spec.get("taints") or [],
            bool(spec.get("unschedulable")),
            status.get("allocatable") or {},
            status.get("images") or [],
        )

    def update_node(self, old: dict | None, new: dict) -> None:
        """``UpdateNode``. A status update that changes none of labels, taints, ``unschedulable``, allocatable or
        images (a heartbeat) only replaces the stored object; it does not dirty the snapshot."""
        name = (new.get("metadata") or {}).get("name") or ""
        slot = self._slot_of.get(name)
        info = None if slot is None else self.infos[slot]
        if info is None or info.node is None:
            self.add_node(new)
            return
        if self._relevant(info.node) == self._relevant(new):
            info.node = new
            return
        old_zone = self._zone_of.get(name)
        if old_zone is not None and old_zone != get_zone_key(new):
            self._tree_remove(name)
            self._tree_add(new)
        self._set_node(slot, new)  # type: ignore[arg-type]

    def remove_node(self, node: dict) -> None:
        """``RemoveNode``: the NodeInfo stays (a "ghost") while it still has Pods; it leaves the snapshot at once."""
        name = (node.get("metadata") or {}).get("name") or ""
        slot = self._slot_of.get(name)
        if slot is None:
            self.errors.append(f"node {name} is not found")
            return
        info = self.infos[slot]
        assert info is not None
        for img in info.images:
            holders = self.image_nodes.get(img)
            if holders is not None:
                holders.pop(name, None)
                if not holders:
                    del self.image_nodes[img]
        info.node = None
        info.images = {}
        if name in self._zone_of:
            self._tree_remove(name)
        if not info.pods:
            self._release(name)
        else:
            self.num[PRESENT, slot] = 0
            self._dirty.add(slot)
            self._node_changed.add(slot)

    # -- pods -----------------------------------------------------------------------------------------------------

    def _add_pod(self, pod: dict, node_name: str, assumed: bool, like: PodInfo | None = None) -> None:
        lsid = self.label_set_id(pod)
        pi = PodInfo(pod, lsid, resources_from=like)
        slot = self._slot(node_name)
        info = self.infos[slot]
        assert info is not None
        info.add_pod_info(pi)
        col = self.num[:, slot]
        col += pi.delta
        if pi.has_affinity:
            col[N_AFF] += 1
            self.n_aff_pods += 1
        if pi.has_required_anti_affinity:
            col[N_ANTI] += 1
            self.n_anti_pods += 1
        if pi.host_ports:
            col[N_PORTS] = sum(len(s) for s in info.used_ports.values())
        for n, v in pi.scalars.items():
            self._scalar(n)[1, slot] += v
        self._pods[pi.key] = (pi, node_name)
        if assumed:
            self._assumed.add(pi.key)
        self._dirty.add(slot)
        self._pod_log.append((slot, lsid, 1))

    def _remove_pod(self, key: str) -> PodInfo | None:
        state = self._pods.pop(key, None)
        self._assumed.discard(key)
        if state is None:
            return None
        pi, node_name = state
        slot = self._slot_of.get(node_name)
        if slot is None:
            self.errors.append(f"node {node_name!r} not found when trying to remove pod {key}")
            return pi
        info = self.infos[slot]
        assert info is not None
        if info.remove_pod(key) is None:
            self.errors.append(f"no corresponding pod {pi.name} in pods of node {node_name}")
            return pi
        col = self.num[:, slot]
        col -= pi.delta
        if pi.has_affinity:
            col[N_AFF] -= 1
            self.n_aff_pods -= 1
        if pi.has_required_anti_affinity:
            col[N_ANTI] -= 1
            self.n_anti_pods -= 1
        if pi.host_ports:
            col[N_PORTS] = sum(len(s) for s in info.used_ports.values())
        for n, v in pi.scalars.items():
            self._scalar(n)[1, slot] -= v
        self._dirty.add(slot)
        self._pod_log.append((slot, pi.lsid, -1))
        if not info.pods and info.node is None:
            self._release(node_name)
        return pi

    def assume_pod(self, pod: dict, node_name: str) -> None:
        """``AssumePod``: count the Pod on ``node_name`` before its binding lands (a copy with ``spec.nodeName``)."""
        key = pod_key(pod)
        if key in self._pods:
            self.errors.append(f"pod {key} is in the cache, so can't be assumed")
            return
        assumed = dict(pod)
        assumed["spec"] = {**(pod.get("spec") or {}), "nodeName": node_name}
        self._add_pod(assumed, node_name, assumed=True)

    def forget_pod(self, pod: dict) -> None:
        """``ForgetPod``: undo :meth:`assume_pod` (the binding failed)."""
        key = pod_key(pod)
        state = self._pods.get(key)
        if state is None:
            return
        node_name = (pod.get("spec") or {}).get("nodeName")
        if node_name and node_name != state[1]:
            self.errors.append(f"pod {key} was assumed on {node_name} but assigned to {state[1]}")
            return
        if key not in self._assumed:
            self.errors.append(f"pod {key} is not assumed, so it cannot be removed or forgotten")
            return
        self._remove_pod(key)

    def add_pod(self, pod: dict) -> None:
        """``AddPod``: an assigned Pod (``spec.nodeName`` set); confirms it if it was assumed."""
        key = pod_key(pod)
        node_name = (pod.get("spec") or {}).get("nodeName") or ""
        state = self._pods.get(key)
        if state is not None and key in self._assumed:
            old, old_node = state
            like = old if _same_resources(old.pod, pod) else None
            self._remove_pod(key)
            self._add_pod(pod, node_name, assumed=False, like=like)
            if old_node != node_name:
                self.errors.append(f"pod {key} was added to a different node ({node_name}) than assumed ({old_node})")
        elif state is None:
            self._add_pod(pod, node_name, assumed=False)
        else:
            self.errors.append(f"pod {key} was already in added state")

    def update_pod(self, old: dict, new: dict) -> None:
        """``UpdatePod``: remove the old version, add the new one (an assumed Pod must be added first)."""
        key = pod_key(old)
        state = self._pods.get(key)
        if state is None:
            self.errors.append(f"pod {key} is not added to scheduler cache, so cannot be updated")
            return
        if key in self._assumed:
            self.errors.append(f"assumed pod {key} should not be updated")
            return
        spec = new.get("spec")
        if spec is not None and spec is state[0].pod.get("spec") and self._update_status_only(key, state, new):
            return
        node_name = (new.get("spec") or {}).get("nodeName") or state[1]
        like = state[0] if _same_resources(state[0].pod, new) else None
        self._remove_pod(key)
        self._add_pod(new, node_name, assumed=False, like=like)

    def _update_status_only(self, key: str, state: tuple[PodInfo, str], new: dict) -> bool:
        """:meth:`update_pod` of a Pod whose new version shares the very ``spec`` object of the cached one (the API
        server's status writes keep the stored spec) and has the same label set (namespace, labels, terminating):
        what ``removePod`` + ``addPod`` would leave, without their arithmetic. Everything the cache counts comes
        from the spec and the label set, so the Node's sums, the numbers' column and the label-set counts
        (the Pod log's -1 and +1 cancel) stay as they are; the new :class:`PodInfo` takes the place the removal and
        the re-adding give it (the last Pod swapped into its hole, itself appended) and the Node is marked changed
        for the snapshot. Returns False (nothing done) when the slow path must run: host ports (their sets are
        rebuilt), a different label set, or a Node or Pod the cache cannot find."""
        pi, node_name = state
        if pi.host_ports:
            return False
        lsid = self.label_set_id(new)
        if lsid != pi.lsid:
            return False
        slot = self._slot_of.get(node_name)
        if slot is None:
            return False
        info = self.infos[slot]
        assert info is not None
        lists = [info.pods]
        if pi.has_affinity:
            lists.append(info.pods_with_affinity)
        if pi.has_required_anti_affinity:
            lists.append(info.pods_with_required_anti_affinity)
        places = []
        for lst in lists:
            place = next((i for i, p in enumerate(lst) if p.key == key), None)
            if place is None:
                return False
            places.append(place)
        fresh = pi.for_new_version(new)
        for lst, place in zip(lists, places, strict=True):
            lst[place] = lst[-1]
            lst[-1] = fresh
        del self._pods[key]
        self._pods[key] = (fresh, node_name)
        self._dirty.add(slot)
        return True

    def remove_pod(self, pod: dict) -> None:
        """``RemovePod``."""
        key = pod_key(pod)
        if key not in self._pods:
            self.errors.append(f"pod {key} is not found in scheduler cache, so cannot be removed from it")
            return
        self._remove_pod(key)

    def is_assumed(self, pod: Mapping[str, Any]) -> bool:
        """``IsAssumedPod``."""
        return pod_key(pod) in self._assumed

    def get_pod(self, pod: Mapping[str, Any]) -> dict | None:
        """``GetPod``: the cached version of the Pod, or None."""
        state = self._pods.get(pod_key(pod))
        return None if state is None else state[0].pod

    def node_info(self, name: str) -> NodeInfo | None:
        """The live NodeInfo of ``name`` (tests and views; plugins read the snapshot)."""
        slot = self._slot_of.get(name)
        return None if slot is None else self.infos[slot]

    @property
    def pod_count(self) -> int:
        return len(self._pods)

    # -- snapshot -------------------------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """``UpdateSnapshot``: bring the (single) snapshot up to date, copying only what changed."""
        if self._snapshot is None:
            self._snapshot = Snapshot(self)
        self._snapshot._update(self)
        return self._snapshot


def _same_resources(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    sa, sb = a.get("spec") or {}, b.get("spec") or {}
    return (
        sa.get("containers") == sb.get("containers")
        and sa.get("initContainers") == sb.get("initContainers")
        and sa.get("overhead") == sb.get("overhead")
        and sa.get("resources") == sb.get("resources")
    )


# --- the snapshot --------------------------------------------------------------------------------------------------


class _Memo:
    """Per-slot counts of the Pods (label sets) a matcher accepts, kept up to date from the cache's Pod log; and,
    per topology key asked for, the sums per domain (label value; ``""`` for present Nodes without the label)."""

    __slots__ = ("counts", "domains", "match", "matcher")

    def __init__(self, matcher: Callable[[str, dict[str, str], bool], bool], cap: int) -> None:
        self.matcher = matcher
        self.match: dict[int, bool] = {}
        self.counts = np.zeros(cap, dtype=np.int64)
        self.domains: dict[str, np.ndarray] = {}

    def matches(self, lsid: int, label_sets: list) -> bool:
        m = self.match.get(lsid)
        if m is None:
            ns, labels, terminating = label_sets[lsid]
            m = self.match[lsid] = bool(self.matcher(ns, labels, terminating))
        return m


class _LabelIndex:
    __slots__ = ("ids", "value_id", "values")

    def __init__(self, cap: int) -> None:
        self.ids = np.full(cap, -1, dtype=np.int32)
        self.values: list[str] = [""]  # id 0 is the empty value (a Node *without* the label has id -1)
        self.value_id: dict[str, int] = {"": 0}

    def id_of(self, value: str) -> int:
        vid = self.value_id.get(value)
        if vid is None:
            vid = self.value_id[value] = len(self.values)
            self.values.append(value)
        return vid


class Snapshot:
    """``cache.Snapshot``: the Nodes one scheduling cycle sees, in node-tree order.

    ``names[p]`` is the Node at position ``p``; ``order[p]`` its slot; ``num[:, slot]`` its numbers (see the field
    constants) and ``infos[slot]`` its :class:`NodeInfo`. ``order2`` is ``order`` twice over and ``numpos`` is
    ``num[:, order2]`` (kept in step column by column), so the Nodes from any start index onwards (the round-robin
    of ``findNodesThatPassFilters``) and their numbers are plain slices, no gather.
    """

    MEMO_LIMIT = 256

    def __init__(self, cache: Cache) -> None:
        self._cap = 0
        self.num = np.zeros((NUM_FIELDS, 0), dtype=np.int64)
        self.scalars: dict[str, np.ndarray] = {}
        self.infos: list[NodeInfo | None] = []
        self.names: list[str] = []
        self.order = np.zeros(0, dtype=np.int64)
        self.order2 = np.zeros(0, dtype=np.int64)
        self.numpos = np.zeros((NUM_FIELDS, 0), dtype=np.int64)  # num[:, order2]: windows are slices
        self._pos_of_slot = np.zeros(0, dtype=np.int64)
        self.slot_of: dict[str, int] = {}
        self.pos_of: dict[str, int] = {}
        self.taint_sets = cache.taint_sets
        self.label_sets = cache.label_sets
        self._labels: dict[str, _LabelIndex] = {}
        self._ls_slots: dict[int, dict[int, int]] = {}
        self._memos: OrderedDict[Any, _Memo] = OrderedDict()
        self._image_cache: dict[str, tuple[int, np.ndarray]] = {}
        self._image_nodes = cache.image_nodes
        self.generation = 0
        self.node_generation = 0
        self.n_aff_pods = 0
        self.n_anti_pods = 0

    # -- update (UpdateSnapshot) ------------------------------------------------------------------------------------

    def _resize(self, cap: int) -> None:
        if cap <= self._cap:
            return
        num = np.zeros((NUM_FIELDS, cap), dtype=np.int64)
        num[:, : self._cap] = self.num
        self.num = num
        for n, arr in list(self.scalars.items()):
            a = np.zeros((2, cap), dtype=np.int64)
            a[:, : self._cap] = arr
            self.scalars[n] = a
        self.infos.extend([None] * (cap - self._cap))
        for idx in self._labels.values():
            ids = np.full(cap, -1, dtype=np.int32)
            ids[: self._cap] = idx.ids
            idx.ids = ids
        for memo in self._memos.values():
            c = np.zeros(cap, dtype=np.int64)
            c[: self._cap] = memo.counts
            memo.counts = c
            memo.domains.clear()
        self._cap = cap

    def _update(self, cache: Cache) -> None:
        list_dirty = cache._list_dirty
        self._resize(cache._cap)
        self.n_aff_pods = cache.n_aff_pods
        self.n_anti_pods = cache.n_anti_pods
        for n, arr in cache.scalars.items():
            if n not in self.scalars:
                self.scalars[n] = np.zeros((2, self._cap), dtype=np.int64)
                self.scalars[n][:, : arr.shape[1]] = arr
        if cache._dirty:
            n_pos = len(self.order)
            if len(cache._dirty) <= 4:
                num, cnum, numpos, pos_of = self.num, cache.num, self.numpos, self._pos_of_slot
                for s in cache._dirty:
                    num[:, s] = cnum[:, s]
                    for n, arr in cache.scalars.items():
                        self.scalars[n][:, s] = arr[:, s]
                    if not list_dirty and s < len(pos_of) and pos_of[s] >= 0:
                        p = pos_of[s]
                        numpos[:, p] = num[:, s]
                        numpos[:, p + n_pos] = num[:, s]
            else:
                dirty = np.fromiter(cache._dirty, dtype=np.int64, count=len(cache._dirty))
                self.num[:, dirty] = cache.num[:, dirty]
                for n, arr in cache.scalars.items():
                    self.scalars[n][:, dirty] = arr[:, dirty]
                if not list_dirty:
                    inside = dirty[dirty < len(self._pos_of_slot)]
                    ps = self._pos_of_slot[inside]
                    keep = ps >= 0
                    ps, inside = ps[keep], inside[keep]
                    self.numpos[:, ps] = self.num[:, inside]
                    self.numpos[:, ps + n_pos] = self.num[:, inside]
            infos = cache.infos
            for s in cache._dirty:
                info = infos[s]
                self.infos[s] = None if info is None else info.clone()
            cache._dirty.clear()
            self.generation += 1
        if cache._node_changed:
            if self._labels:
                for s in cache._node_changed:
                    info = self.infos[s]
                    labels = info.labels if info is not None and info.node is not None else {}
                    for key, idx in self._labels.items():
                        v = labels.get(key)
                        idx.ids[s] = -1 if v is None else idx.id_of(v)
            self._image_cache.clear()
            cache._node_changed.clear()
            self.node_generation += 1
            for memo in self._memos.values():
                memo.domains.clear()
        if cache._pod_log:
            label_sets = self.label_sets
            for slot, lsid, delta in cache._pod_log:
                per = self._ls_slots.get(lsid)
                if per is None:
                    per = self._ls_slots[lsid] = {}
                c = per.get(slot, 0) + delta
                if c:
                    per[slot] = c
                else:
                    per.pop(slot, None)
                for memo in self._memos.values():
                    if memo.matches(lsid, label_sets):
                        memo.counts[slot] += delta
                        for key, sums in memo.domains.items():
                            vid = self._labels[key].ids[slot]
                            if vid < 0:
                                if not self.num[PRESENT, slot]:
                                    continue
                                vid = 0
                            sums[vid] += delta
            cache._pod_log.clear()
        if cache._list_dirty:
            self.names = cache.node_names()
            self.slot_of = {n: cache._slot_of[n] for n in self.names}
            self.pos_of = {n: i for i, n in enumerate(self.names)}
            self.order = np.fromiter((self.slot_of[n] for n in self.names), dtype=np.int64, count=len(self.names))
            self.order2 = np.concatenate([self.order, self.order])
            self.numpos = self.num.take(self.order2, axis=1)
            self._pos_of_slot = np.full(self._cap, -1, dtype=np.int64)
            self._pos_of_slot[self.order] = np.arange(len(self.order))
            cache._list_dirty = False
            self.generation += 1
            self.node_generation += 1

    # -- lookups ----------------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.names)

    @property
    def num_nodes(self) -> int:
        return len(self.names)

    def get(self, name: str) -> NodeInfo | None:
        """``NodeInfos().Get``."""
        slot = self.slot_of.get(name)
        return None if slot is None else self.infos[slot]

    def node_infos(self) -> list[NodeInfo]:
        """``NodeInfos().List``, in snapshot order."""
        return [self.infos[s] for s in self.order.tolist()]  # type: ignore[misc]

    def label_ids(self, key: str) -> _LabelIndex:
        """The value id of label ``key`` on every slot (-1: no such label), built on first use then kept."""
        idx = self._labels.get(key)
        if idx is None:
            idx = self._labels[key] = _LabelIndex(self._cap)
            ids = idx.ids
            for s, info in enumerate(self.infos):
                if info is not None and info.node is not None:
                    v = info.labels.get(key)
                    if v is not None:
                        ids[s] = idx.id_of(v)
        return idx

    def pod_counts(self, key: Any, matcher: Callable[[str, dict[str, str], bool], bool]) -> np.ndarray:
        """Per slot, how many Pods ``matcher(namespace, labels, terminating)`` accepts. Memoized under ``key`` and
        kept current incrementally (at most :attr:`MEMO_LIMIT` matchers are remembered, least recently used out)."""
        memo = self._memos.get(key)
        if memo is not None:
            self._memos.move_to_end(key)
            return memo.counts
        memo = _Memo(matcher, self._cap)
        counts = memo.counts
        label_sets = self.label_sets
        for lsid, per in self._ls_slots.items():
            if per and memo.matches(lsid, label_sets):
                for slot, c in per.items():
                    counts[slot] += c
        self._memos[key] = memo
        if len(self._memos) > self.MEMO_LIMIT:
            self._memos.popitem(last=False)
        return counts

    def domain_counts(self, key: Any, label_key: str) -> np.ndarray:
        """For the memoized matcher ``key`` (see :meth:`pod_counts`, which must have created it): the matching Pods
        per value of ``label_key`` over the snapshot's Nodes, by value id (Nodes without the label count under
        ``""``, id 0). Kept incrementally while no Node changes."""
        memo = self._memos[key]
        sums = memo.domains.get(label_key)
        if sums is None:
            idx = self.label_ids(label_key)
            ids = idx.ids
            v = np.where(ids >= 0, ids, np.where(self.num[PRESENT] > 0, 0, -1))
            ok = v >= 0
            sums = np.bincount(v[ok], weights=memo.counts[ok], minlength=len(idx.values)).astype(np.int64)
            memo.domains[label_key] = sums
        return sums

    def count_pods(self, matcher: Callable[[str, dict[str, str], bool], bool]) -> np.ndarray:
        """Like :meth:`pod_counts` without memoizing (for matchers that read mutable state, such as namespace
        labels)."""
        counts = np.zeros(self._cap, dtype=np.int64)
        label_sets = self.label_sets
        for lsid, per in self._ls_slots.items():
            if per:
                ns, labels, terminating = label_sets[lsid]
                if matcher(ns, labels, terminating):
                    for slot, c in per.items():
                        counts[slot] += c
        return counts

    def image(self, name: str) -> tuple[int, np.ndarray] | None:
        """``(NumNodes, size per slot)`` of an image the cache knows, else None."""
        found = self._image_cache.get(name)
        if found is not None:
            return found
        holders = self._image_nodes.get(name)
        if not holders:
            return None
        sizes = np.zeros(self._cap, dtype=np.int64)
        for node_name, size in holders.items():
            slot = self.slot_of.get(node_name)
            if slot is not None:
                sizes[slot] = size
        found = self._image_cache[name] = (len(holders), sizes)
        return found

    # -- vectorized label selectors -------------------------------------------------------------------------------

    def requirement_mask(self, req: Requirement, slots: np.ndarray) -> np.ndarray:
        """``Requirement.Matches`` on the labels of the Nodes in ``slots``, vectorized."""
        idx = self.label_ids(req.key)
        ids = idx.ids[slots]
        op = req.operator
        if op in (Operator.IN, Operator.EQUALS, Operator.DOUBLE_EQUALS, Operator.NOT_IN, Operator.NOT_EQUALS):
            hit = np.zeros(len(slots), dtype=bool)
            for v in req.values:
                vid = idx.value_id.get(v)
                if vid is not None:
                    hit |= ids == vid
            if op in (Operator.NOT_IN, Operator.NOT_EQUALS):
                return ~hit
            return hit
        if op is Operator.EXISTS:
            return ids >= 0
        if op is Operator.DOES_NOT_EXIST:
            return ids < 0
        table = np.fromiter(
            (req.matches({req.key: v}) for v in idx.values), dtype=bool, count=len(idx.values)
        )  # Gt / Lt
        return np.where(ids >= 0, table[np.maximum(ids, 0)], False)

    def selector_mask(self, selector: Selector, slots: np.ndarray) -> np.ndarray:
        """``Selector.Matches`` on Node labels, vectorized."""
        if selector.matches_nothing:
            return np.zeros(len(slots), dtype=bool)
        mask = np.ones(len(slots), dtype=bool)
        for req in selector.requirements:
            mask &= self.requirement_mask(req, slots)
        return mask

    def name_mask(self, name: str, slots: np.ndarray) -> np.ndarray:
        slot = self.slot_of.get(name)
        if slot is None:
            return np.zeros(len(slots), dtype=bool)
        return slots == slot
