"""graph: the cluster as a networkx graph, built from the store each time it is asked for.

:func:`cluster_graph` reads the objects through the API server (``list``, as ``kubectl get`` does: reads are not
logged, so drawing changes nothing in the cluster or its event log) and the running components from
``cluster.control_plane`` and ``cluster.nodes``, and returns a fresh :class:`networkx.MultiDiGraph`. It is never a
second source of truth: nothing is cached between calls, and changing the graph changes nothing in the cluster.

Nodes of the graph (ids are strings)
    * objects: ``Pod/default/web-7d4b9-x2x4q``, ``ReplicaSet/default/web-7d4b9``, ``Deployment/default/web``,
      ``Service/default/web``, ``Node/node-1``, ``Namespace/default`` (``Kind/namespace/name``, or ``Kind/name``
      for cluster-scoped kinds; :func:`object_id`). Attributes: ``kind``, ``name``, ``namespace``, ``uid``,
      ``labels``, ``ref`` (kubectl's ``deployment.apps/web``) and per kind: a Pod's ``phase``, ``ready``,
      ``state`` (the topology's: Running, NotReady, Pending, Terminating, Succeeded, Failed, Unknown), ``node``,
      ``ip``, ``restarts``, ``owner`` (the top of its controller chain: ``Deployment/default/web``), ``requests``;
      a Node's ``status`` (kubectl's STATUS column), ``ready``, ``zone``, ``unschedulable``, ``allocatable``;
      a workload's ``replicas``, ``ready_replicas``, ``available_replicas``; a Service's ``selector``, ``type``.
    * components: ``component/kube-apiserver``, ``component/etcd``, ``component/<name>`` for every entry of
      ``cluster.control_plane`` (``component/replicaset-controller``, ``component/kube-scheduler``, ...) and
      ``component/kubelet/<node>`` for every kubelet. Attributes: ``kind="Component"``, ``name``, ``label`` (the
      text's words: ``ReplicaSet controller``), ``process`` (the binary it runs in: ``kube-controller-manager``
      for the controllers), ``role`` (``control-plane`` or ``node``), ``running``.
    * kinds: ``kind/Pod``, ``kind/Node``, ... — what a ``watches`` edge points at (``kind="Kind"``).

Edges (the edge key is its type)
    * ``owns``: owner -> dependent, one per ``metadata.ownerReferences`` entry whose ``uid`` is in the graph
      (attributes ``controller``, ``blockOwnerDeletion``); a reference to an object that is not there is kept on
      the dependent as ``dangling_owners`` — the garbage collector's *dangling* owner.
    * ``scheduled-on``: Pod -> Node (``spec.nodeName``).
    * ``selects``: Service -> Pod: the Service's ``spec.selector`` matched against the Pod's labels in the
      Service's namespace, as the EndpointSlice controller selects (``pkg/controller/endpointslice/
      endpointslice_controller.go``, ``syncService``: a Service without a selector selects nothing, and
      ``labels.Set(service.Spec.Selector).AsSelectorPreValidated()`` otherwise). Every matching Pod is selected;
      whether it becomes a *ready* endpoint is the Pod's ``ready``.
    * ``contains``: Namespace -> each object in it.
    * ``watches``: component -> ``kind/<Kind>``, taken from the component's own informers (every
      :class:`~k8smodel.client.Informer` among its attributes, and the garbage collector's monitors), with the
      informer's name, namespace and field selector as attributes. A component whose informers do not say what
      they list (the kubelet's lister-watcher, which the model cuts off during a network partition) is looked up
      in :data:`UPSTREAM_WATCHES`, a table citing upstream.
    * ``runs-on``: ``component/kubelet/<node>`` -> ``Node/<node>``.
    * ``requests``: every component -> ``component/kube-apiserver`` (components never call each other); and
      ``stores-in``: ``component/kube-apiserver`` -> ``component/etcd``.

Queries the chapters use: :func:`selected_by` (what a Service selects), :func:`deletion_closure` (what deleting an
object would delete), :func:`pods_sharing_node` (which Pods share a Node) and :func:`architecture` (the components
and what they watch).

What the model leaves out
    * Only the kinds of :data:`GRAPH_KINDS` become nodes (Leases, Events, RBAC objects, ... do not), so an
      ownerReference to one of them counts as dangling here.
    * The kubelet's watches are the model kubelet's (its Pods); upstream's kubelet also watches its own Node and
      every Service (``pkg/kubelet/kubelet.go``, ``NewMainKubelet``: ``nodeLister``, ``serviceLister``).
    * ``deletion_closure`` follows ownerReferences and namespace membership only, as the garbage collector and the
      namespace controller do; a Node's Pods are not in a Node's closure (upstream's PodGC controller, not
      modelled, force-deletes them later).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from k8smodel.api import resources
from k8smodel.api.kinds import Kind, UnknownKind, for_kind, for_resource
from k8smodel.api.labels import selector_from_set
from k8smodel.client import Informer
from k8smodel.views import style

#: The object kinds that become nodes of the graph, in the order they are read.
GRAPH_KINDS: tuple[str, ...] = ("Namespace", "Node", "Deployment", "ReplicaSet", "Service", "Pod")

ZONE_LABEL = "topology.kubernetes.io/zone"

#: What a component watches when its informers do not say: component class -> (resource, field selector, upstream).
UPSTREAM_WATCHES: dict[str, tuple[tuple[str, str, str], ...]] = {
    # pkg/kubelet/config/apiserver.go, NewSourceApiserver: the Pods bound to this node
    "Kubelet": (("pods", "spec.nodeName=<node>", "pkg/kubelet/config/apiserver.go"),),
}

#: Where each component runs: module prefix -> process.
_PROCESSES: tuple[tuple[str, str], ...] = (
    ("k8smodel.controllers.", "kube-controller-manager"),
    ("k8smodel.scheduler.", "kube-scheduler"),
    ("k8smodel.kubelet.", "kubelet"),
)

EDGE_TYPES: tuple[str, ...] = (
    "owns",
    "scheduled-on",
    "selects",
    "contains",
    "watches",
    "runs-on",
    "requests",
    "stores-in",
)


class GraphError(ValueError):
    """A query named something the graph does not hold, or a bad argument: the message says which."""


# --- ids --------------------------------------------------------------------------------------------------------


def node_id(kind: str, name: str, namespace: str | None = None) -> str:
    """The graph id of an object: ``Pod/default/web-1``, ``Node/node-1``."""
    return f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"


def object_id(obj: Mapping[str, Any]) -> str:
    """The graph id of an object as the API returns it."""
    meta = obj.get("metadata") or {}
    return node_id(str(obj.get("kind", "")), str(meta.get("name", "")), meta.get("namespace") or None)


def component_id(name: str) -> str:
    """``component/kube-scheduler``, ``component/kubelet/node-1``."""
    return f"component/{name}"


def kind_id(kind: str) -> str:
    return f"kind/{kind}"


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Sort key that puts ``node-2`` before ``node-10``."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text))


# --- reading the store ------------------------------------------------------------------------------------------


def read_objects(cluster: Any, kinds: Iterable[str] = GRAPH_KINDS) -> dict[str, list[dict]]:
    """Every object of ``kinds``, listed through the API server as ``cluster``'s user (all namespaces)."""
    out: dict[str, list[dict]] = {}
    for kind in kinds:
        items, _ = cluster.api.list(for_kind(kind), None, user=cluster.user)
        for item in items:  # the list's items carry no kind (as a real List's items do): put it back
            item.setdefault("kind", kind)
        out[kind] = items
    return out


def _condition(obj: Mapping[str, Any], type_: str) -> str | None:
    for c in (obj.get("status") or {}).get("conditions") or ():
        if c.get("type") == type_:
            return c.get("status")
    return None


def pod_state(pod: Mapping[str, Any]) -> str:
    """The Pod's state as the topology draws it: ``Terminating`` once it has a ``deletionTimestamp`` (as kubectl
    prints it), else its phase, with ``Running`` split by the ``Ready`` condition into ``Running``/``NotReady``."""
    if (pod.get("metadata") or {}).get("deletionTimestamp"):
        return "Terminating"
    phase = (pod.get("status") or {}).get("phase") or "Pending"
    if phase == "Running":
        return "Running" if _condition(pod, "Ready") == "True" else "NotReady"
    return phase if phase in style.POD_STATES else "Unknown"


def node_status(node: Mapping[str, Any]) -> str:
    """``kubectl get nodes`` STATUS: ``Ready``/``NotReady``/``Unknown`` from the Ready condition (``Unknown`` is
    the condition's own value when the node lifecycle controller has heard nothing), ``,SchedulingDisabled`` when
    cordoned."""
    ready = _condition(node, "Ready")
    status = "Ready" if ready == "True" else "NotReady" if ready in ("False", "Unknown") else "Unknown"
    if (node.get("spec") or {}).get("unschedulable"):
        status += ",SchedulingDisabled"
    return status


def _quantity(value: Any, milli: bool) -> int:
    from k8smodel.api.quantity import Quantity

    if value is None:
        return 0
    q = Quantity.parse(str(value))
    return q.milli_value() if milli else q.value()


def _resource_ref(kind: str, name: str) -> str:
    try:
        k = for_kind(kind)
    except UnknownKind:
        return f"{kind.lower()}/{name}"
    group = f".{k.group}" if k.group else ""
    return f"{kind.lower()}{group}/{name}"


def _object_attrs(obj: Mapping[str, Any]) -> dict[str, Any]:
    meta = obj.get("metadata") or {}
    kind = obj.get("kind", "")
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    attrs: dict[str, Any] = {
        "kind": kind,
        "name": meta.get("name", ""),
        "namespace": meta.get("namespace") or None,
        "uid": meta.get("uid", ""),
        "labels": dict(meta.get("labels") or {}),
        "ref": _resource_ref(kind, meta.get("name", "")),
        "deleting": bool(meta.get("deletionTimestamp")),
        "created": meta.get("creationTimestamp"),
    }
    if kind == "Pod":
        requests = resources.pod_requests(obj)
        attrs.update(
            phase=status.get("phase") or "Pending",
            state=pod_state(obj),
            ready=_condition(obj, "Ready") == "True",
            node=spec.get("nodeName") or None,
            ip=status.get("podIP") or None,
            restarts=sum(cs.get("restartCount", 0) for cs in status.get("containerStatuses") or ()),
            requests={"cpu": requests.get("cpu", 0), "memory": requests.get("memory", 0)},
        )
    elif kind == "Node":
        allocatable = status.get("allocatable") or {}
        attrs.update(
            status=node_status(obj),
            ready=_condition(obj, "Ready") == "True",
            zone=attrs["labels"].get(ZONE_LABEL, ""),
            unschedulable=bool(spec.get("unschedulable")),
            taints=[f"{t.get('key')}:{t.get('effect')}" for t in spec.get("taints") or ()],
            allocatable={
                "cpu": _quantity(allocatable.get("cpu"), milli=True),
                "memory": _quantity(allocatable.get("memory"), milli=False),
                "pods": _quantity(allocatable.get("pods"), milli=False),
            },
        )
    elif kind in ("ReplicaSet", "Deployment"):
        attrs.update(
            replicas=spec.get("replicas", 1),
            current_replicas=status.get("replicas", 0),
            ready_replicas=status.get("readyReplicas", 0),
            available_replicas=status.get("availableReplicas", 0),
        )
        if kind == "Deployment":
            attrs["updated_replicas"] = status.get("updatedReplicas", 0)
    elif kind == "Service":
        attrs.update(
            selector=None if spec.get("selector") is None else dict(spec["selector"]),
            type=spec.get("type", "ClusterIP"),
            cluster_ip=spec.get("clusterIP"),
        )
    elif kind == "Namespace":
        attrs["phase"] = status.get("phase", "Active")
    return attrs


# --- components ------------------------------------------------------------------------------------------------


def _process_of(component: Any, name: str) -> str:
    module = type(component).__module__
    for prefix, process in _PROCESSES:
        if module.startswith(prefix):
            return process
    return name


def _running(component: Any) -> bool | None:
    for attr in ("running", "_started"):
        value = getattr(component, attr, None)
        if isinstance(value, bool):
            return value and not getattr(component, "_stopped", False)
    return None


def _resource_name(resource: Any) -> str | None:
    if isinstance(resource, Kind):
        return resource.kind
    if isinstance(resource, str):
        try:
            return for_resource(resource).kind
        except UnknownKind:
            return None
    return None


def _informers(component: Any) -> list[Informer]:
    """The informers a component holds: its attributes, and one level down (the garbage collector's monitors)."""
    found: list[Informer] = []
    seen: set[int] = set()

    def add(value: Any) -> None:
        if isinstance(value, Informer) and id(value) not in seen:
            seen.add(id(value))
            found.append(value)

    for value in vars(component).values():
        add(value)
    for value in vars(component).values():
        monitors = getattr(value, "monitors", None)
        if isinstance(monitors, Mapping):
            for monitor in monitors.values():
                add(getattr(monitor, "informer", None))
    return found


def watched_kinds(component: Any) -> list[dict[str, Any]]:
    """What a component watches: ``[{"kind", "informer", "namespace", "field_selector", "source"}, ...]``, from its
    informers, else from :data:`UPSTREAM_WATCHES` (``source`` says which). One entry per kind, first seen first."""
    out: dict[str, dict[str, Any]] = {}
    informers = _informers(component)
    unknown = False
    for informer in informers:
        lw = informer.lister_watcher
        kind = _resource_name(getattr(lw, "resource", None))
        if kind is None:
            unknown = True
            continue
        out.setdefault(
            kind,
            {
                "kind": kind,
                "informer": informer.name,
                "namespace": getattr(lw, "namespace", None),
                "field_selector": getattr(lw, "field_selector", None),
                "source": "informer",
            },
        )
    if unknown or not informers:
        for resource, selector, upstream in UPSTREAM_WATCHES.get(type(component).__name__, ()):
            kind = _resource_name(resource)
            if kind is not None and kind not in out:
                out[kind] = {
                    "kind": kind,
                    "informer": "",
                    "namespace": None,
                    "field_selector": selector.replace("<node>", str(getattr(component, "name", "<node>"))),
                    "source": upstream,
                }
    return list(out.values())


def _component_stats(component: Any) -> dict[str, Any]:
    stats = {}
    for attr in ("reconciles", "syncs", "scheduled", "attempts", "passes", "status_writes"):
        value = getattr(component, attr, None)
        if isinstance(value, int) and not isinstance(value, bool):
            stats[attr] = value
    return stats


def _add_component(g: nx.MultiDiGraph, name: str, component: Any, role: str, **extra: Any) -> str:
    cid = component_id(name)
    g.add_node(
        cid,
        kind="Component",
        name=name,
        label=style.component_label(name),
        process=extra.pop("process", None) or _process_of(component, name),
        role=role,
        running=_running(component) if component is not None else True,
        stats=_component_stats(component) if component is not None else {},
        **extra,
    )
    if name != "kube-apiserver":
        g.add_edge(cid, component_id("kube-apiserver"), key="requests", type="requests")
    if component is not None:
        for watch in watched_kinds(component):
            kid = kind_id(watch["kind"])
            if kid not in g:
                g.add_node(kid, kind="Kind", name=watch["kind"], label=style.plural(watch["kind"]))
            g.add_edge(cid, kid, key="watches", type="watches", **{k: v for k, v in watch.items() if k != "kind"})
    return cid


# --- the graph --------------------------------------------------------------------------------------------------


def cluster_graph(cluster: Any, *, kinds: Iterable[str] = GRAPH_KINDS, components: bool = True) -> nx.MultiDiGraph:
    """The cluster as a :class:`networkx.MultiDiGraph`, read from the store now (see the module docstring).

    ``kinds`` narrows the objects read (a subset of :data:`GRAPH_KINDS`); ``components=False`` leaves out the
    components and kinds (a graph of objects only)."""
    kinds = tuple(kinds)
    unknown = [k for k in kinds if k not in GRAPH_KINDS]
    if unknown:
        raise GraphError(f"cluster_graph: kinds must be among {', '.join(GRAPH_KINDS)}; got {', '.join(unknown)}")
    objects = read_objects(cluster, [k for k in GRAPH_KINDS if k in kinds])
    g = nx.MultiDiGraph(time=cluster.now, revision=cluster.etcd.revision)

    if components:
        g.add_node(
            component_id("kube-apiserver"),
            kind="Component",
            name="kube-apiserver",
            label=style.component_label("kube-apiserver"),
            process="kube-apiserver",
            role="control-plane",
            running=True,
            stats={"revision": cluster.etcd.revision},
        )
        g.add_node(
            component_id("etcd"),
            kind="Component",
            name="etcd",
            label="etcd",
            process="etcd",
            role="control-plane",
            running=True,
            stats={"revision": cluster.etcd.revision},
        )
        g.add_edge(component_id("kube-apiserver"), component_id("etcd"), key="stores-in", type="stores-in")
        for name, component in cluster.control_plane.items():
            _add_component(g, name, component, "control-plane")

    by_uid: dict[str, str] = {}
    for kind in GRAPH_KINDS:
        for obj in objects.get(kind, ()):
            oid = object_id(obj)
            attrs = _object_attrs(obj)
            g.add_node(oid, **attrs)
            if attrs["uid"]:
                by_uid[attrs["uid"]] = oid
            ns = attrs["namespace"]
            if ns is not None and "Namespace" in kinds:
                nsid = node_id("Namespace", ns)
                if nsid in g:
                    g.add_edge(nsid, oid, key="contains", type="contains")

    # ownership (by uid, as the garbage collector keys its graph)
    for kind in GRAPH_KINDS:
        for obj in objects.get(kind, ()):
            oid = object_id(obj)
            dangling = []
            for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
                owner = by_uid.get(ref.get("uid", ""))
                if owner is None:
                    dangling.append(f"{ref.get('kind')}/{ref.get('name')}")
                    continue
                g.add_edge(
                    owner,
                    oid,
                    key="owns",
                    type="owns",
                    controller=bool(ref.get("controller")),
                    blockOwnerDeletion=bool(ref.get("blockOwnerDeletion")),
                )
            if dangling:
                g.nodes[oid]["dangling_owners"] = dangling

    # each Pod's top owner: up its controller references
    for obj in objects.get("Pod", ()):
        pid = object_id(obj)
        g.nodes[pid]["owner"] = top_owner(g, pid)
        node = g.nodes[pid]["node"]
        if node is not None and node_id("Node", node) in g:
            g.add_edge(pid, node_id("Node", node), key="scheduled-on", type="scheduled-on")

    # Services select Pods in their namespace
    pods_by_ns: dict[str, list[str]] = {}
    for obj in objects.get("Pod", ()):
        pods_by_ns.setdefault(obj["metadata"].get("namespace") or "", []).append(object_id(obj))
    for obj in objects.get("Service", ()):
        sid = object_id(obj)
        selector = g.nodes[sid]["selector"]
        if selector is None:
            continue
        sel = selector_from_set(selector)
        for pid in pods_by_ns.get(obj["metadata"].get("namespace") or "", ()):
            if sel.matches(g.nodes[pid]["labels"]):
                g.add_edge(sid, pid, key="selects", type="selects")

    if components:
        for name, kubelet in cluster.nodes.items():
            cid = _add_component(
                g, f"kubelet/{name}", kubelet, "node", process="kubelet", node=name, reachable=kubelet.reachable
            )
            if node_id("Node", name) in g:
                g.add_edge(cid, node_id("Node", name), key="runs-on", type="runs-on")
    return g


def top_owner(g: nx.MultiDiGraph, oid: str) -> str | None:
    """The top of ``oid``'s controller chain (a Pod's Deployment, through its ReplicaSet), or ``None`` for an object
    that no controller in the graph owns."""
    seen = {oid}
    current, owner = oid, None
    while True:
        parent = next(
            (u for u, _, k, d in g.in_edges(current, keys=True, data=True) if k == "owns" and d.get("controller")),
            None,
        )
        if parent is None or parent in seen:
            return owner
        seen.add(parent)
        current = owner = parent


# --- queries ----------------------------------------------------------------------------------------------------


def resolve(g: nx.MultiDiGraph, ref: str | Mapping[str, Any], namespace: str | None = None) -> str:
    """The graph id of ``ref``: an id (``Deployment/default/web``), kubectl's ``deployment/web`` (or
    ``deploy/web``; in ``namespace``, default ``default``), or an object as the API returns it."""
    if isinstance(ref, Mapping):
        oid = object_id(ref)
    elif isinstance(ref, str) and ref in g:
        return ref
    elif isinstance(ref, str) and ref.count("/") == 1:
        resource, name = ref.split("/")
        try:
            kind = for_resource(resource)
        except UnknownKind as err:
            raise GraphError(f"{ref!r}: {err}") from None
        oid = node_id(kind.kind, name, (namespace or "default") if kind.namespaced else None)
    else:
        raise GraphError(f"{ref!r} is not a graph id (Kind/namespace/name) or kubectl's kind/name")
    if oid not in g:
        raise GraphError(f"{oid} is not in the graph (taken at {style.format_mss(g.graph.get('time', 0.0))})")
    return oid


def _edges(g: nx.MultiDiGraph, node: str, type_: str, out: bool = True) -> list[str]:
    edges = g.out_edges(node, keys=True) if out else g.in_edges(node, keys=True)
    return [(v if out else u) for u, v, k in edges if k == type_]


def selected_by(g: nx.MultiDiGraph, service: str | Mapping[str, Any], namespace: str | None = None) -> list[str]:
    """The Pods a Service selects (graph ids, sorted): the targets of its ``selects`` edges."""
    sid = resolve(g, service, namespace)
    if g.nodes[sid].get("kind") != "Service":
        raise GraphError(f"selected_by: {sid} is a {g.nodes[sid].get('kind')}, not a Service")
    return sorted(_edges(g, sid, "selects"), key=natural_key)


def owners(g: nx.MultiDiGraph, oid: str) -> list[str]:
    """The owners of ``oid`` in the graph (its ``owns`` in-edges)."""
    return _edges(g, oid, "owns", out=False)


def dependents(g: nx.MultiDiGraph, oid: str) -> list[str]:
    """The dependents of ``oid`` (its ``owns`` out-edges), in the order they were read."""
    return _edges(g, oid, "owns")


PROPAGATION_POLICIES = ("Background", "Foreground", "Orphan")


def deletion_closure(
    g: nx.MultiDiGraph,
    obj: str | Mapping[str, Any],
    propagation: str = "Background",
    *,
    namespace: str | None = None,
) -> list[str]:
    """What deleting ``obj`` with ``propagation`` (``Background``, ``Foreground`` or ``Orphan``) would delete, as
    graph ids in the order the objects leave the store.

    It follows the garbage collector (``pkg/controller/garbagecollector/garbagecollector.go``,
    ``attemptToDeleteItem`` and ``classifyReferences``): a dependent is deleted once none of its owners is *solid*
    (still there and not being deleted), so a dependent that another surviving owner also owns is kept (the
    collector only removes the dangling reference). ``Orphan`` deletes ``obj`` alone and leaves its dependents
    (the collector removes their reference to it). A Namespace takes everything in it with it whatever the policy
    (``pkg/controller/namespace/deletion/namespaced_resources_deleter.go``, ``deleteAllContent``, which deletes
    each resource's collection with Background propagation), and their dependents.

    Order: ``Background`` removes ``obj`` first, then its dependents level by level; ``Foreground`` keeps each
    owner until its dependents are gone, so the list is the dependents first, deepest first, and ``obj`` last; a
    Namespace is removed after its contents (its ``kubernetes`` finalizer).
    """
    if propagation not in PROPAGATION_POLICIES:
        raise GraphError(
            f"deletion_closure: propagation must be one of {', '.join(PROPAGATION_POLICIES)}, got {propagation!r}"
        )
    root = resolve(g, obj, namespace)
    is_namespace = g.nodes[root].get("kind") == "Namespace"
    contents = sorted(_edges(g, root, "contains"), key=natural_key) if is_namespace else []
    gone: set[str] = {root, *contents}
    order: list[str] = [root, *contents]
    # breadth-first down the ownerReferences, as the collector's attemptToDelete queue goes
    queue = [n for n in order if not (n == root and propagation == "Orphan")]
    i = 0
    while i < len(queue):
        owner = queue[i]
        i += 1
        for dependent in dependents(g, owner):
            if dependent in gone:
                continue
            if all(o in gone for o in owners(g, dependent)):  # no solid owner left
                gone.add(dependent)
                order.append(dependent)
                queue.append(dependent)
    if propagation == "Foreground" and not is_namespace:
        order = list(reversed(order))
    elif is_namespace:
        order = [*order[1:], root]
    return order


def pods_sharing_node(g: nx.MultiDiGraph, min_pods: int = 2) -> dict[str, list[str]]:
    """Node name -> the Pods scheduled on it (graph ids, sorted), for every Node with at least ``min_pods``."""
    if min_pods < 1:
        raise GraphError(f"pods_sharing_node: min_pods must be at least 1, got {min_pods}")
    out: dict[str, list[str]] = {}
    for nid, data in sorted(g.nodes(data=True), key=lambda item: natural_key(item[0])):
        if data.get("kind") != "Node":
            continue
        pods = sorted(_edges(g, nid, "scheduled-on", out=False), key=natural_key)
        if len(pods) >= min_pods:
            out[data["name"]] = pods
    return out


def architecture(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The components, the kinds they watch and the Nodes the kubelets run on: a copy of that part of ``g``, with
    the ``requests``, ``stores-in``, ``watches`` and ``runs-on`` edges."""
    keep = [n for n, d in g.nodes(data=True) if d.get("kind") in ("Component", "Kind")]
    keep += [v for u, v, k in g.edges(keys=True) if k == "runs-on"]
    sub = nx.MultiDiGraph(**g.graph)
    for n in keep:
        sub.add_node(n, **g.nodes[n])
    for u, v, k, d in g.edges(keys=True, data=True):
        if k in ("requests", "stores-in", "watches", "runs-on") and u in sub and v in sub:
            sub.add_edge(u, v, key=k, **d)
    return sub


def of_kind(g: nx.MultiDiGraph, kind: str) -> list[str]:
    """The ids of the graph's nodes of ``kind`` (``"Pod"``, ``"Component"``, ...), sorted naturally."""
    return sorted((n for n, d in g.nodes(data=True) if d.get("kind") == kind), key=natural_key)


__all__ = [
    "EDGE_TYPES",
    "GRAPH_KINDS",
    "PROPAGATION_POLICIES",
    "UPSTREAM_WATCHES",
    "GraphError",
    "architecture",
    "cluster_graph",
    "component_id",
    "deletion_closure",
    "dependents",
    "kind_id",
    "natural_key",
    "node_id",
    "node_status",
    "object_id",
    "of_kind",
    "owners",
    "pod_state",
    "pods_sharing_node",
    "read_objects",
    "resolve",
    "selected_by",
    "top_owner",
]
