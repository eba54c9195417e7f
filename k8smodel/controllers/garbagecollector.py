"""garbagecollector: the garbage collector — ownerReferences as a graph, and cascading deletion along it.

An object that another object created carries a ``metadata.ownerReferences`` entry naming its owner (``apiVersion``,
``kind``, ``name``, ``uid``; ``controller: true`` for the managing controller; ``blockOwnerDeletion: true`` when
the owner must wait for it in a foreground deletion). A ReplicaSet's Pods point at the ReplicaSet, the ReplicaSet
at its Deployment. When an owner goes away, its *dependents* are garbage: nobody will ever manage them again. The
garbage collector (kube-controller-manager's ``garbage-collector-controller``) finds and deletes them, and it is the
component that makes a deletion's ``propagationPolicy`` mean something:

* **Background** (the default for every kind the model serves): the owner is deleted at once; the collector then
  notices that its dependents' owner is gone and deletes them (and so on down the chain).
* **Foreground**: the API server keeps the owner, with a ``deletionTimestamp`` and the ``foregroundDeletion``
  finalizer; the collector deletes the dependents first (those with ``blockOwnerDeletion: true`` hold the owner
  back), and removes the finalizer — so the API server removes the owner — once no blocking dependent is left.
* **Orphan**: the API server keeps the owner with the ``orphan`` finalizer; the collector removes the owner's
  reference from every dependent, then the finalizer. The dependents live on, owned by nobody.

How it works (upstream's design, kept here piece by piece):

1. The :class:`GraphBuilder` runs a *monitor* — an informer — on every resource the API server serves that can be
   listed, watched and deleted, except Events (``DefaultIgnoredResources``). Every add, update and delete becomes
   an event on the ``graphChanges`` queue, which a single worker applies to the dependency graph
   (``processGraphChanges``). The graph is keyed by uid: one node per object, an edge from each owner to each
   dependent. Here it is a :class:`networkx.DiGraph` (:attr:`GraphBuilder.uid_to_node`); each graph node holds its
   :class:`GraphNode` (identity, ownerReferences, ``beingDeleted``, ``deletingDependents``, ``virtual``).
2. A dependent may name an owner the collector has not seen. The builder then adds a **virtual** node for it and
   queues it for verification; if the API server says the owner does not exist (404, or another uid under that
   name), a *virtual delete event* removes it from the graph, which queues its dependents for deletion. Owners
   confirmed absent are remembered in an LRU cache of 500 references (``absentOwnerCache``).
3. Changes that may make something garbage put graph nodes on the ``attemptToDelete`` queue; an object whose
   deletion starts with the ``orphan`` finalizer goes on ``attemptToOrphan``. The :class:`GarbageCollector`'s
   workers drain them: ``attemptToDeleteItem`` reads the object from the API server, classifies its owners as
   *solid* (exists, not being foreground-deleted), *dangling* (gone) or *waiting for dependents deletion*, and
   then deletes it (no solid owner), removes the dangling and waiting references (some solid owner), or deletes
   it in the foreground (its owner is being foreground-deleted and it has dependents of its own). An owner with
   the ``foregroundDeletion`` finalizer is handled by ``processDeletingDependentsItem``. ``attemptToOrphan``
   removes the owner's reference from each dependent, then the finalizer.
4. A node whose owners and dependents disagree about where it lives — a dependent in namespace ``a`` naming an
   owner that turns out to live in namespace ``b`` — gets the ``Warning`` Event ``OwnerRefInvalidNamespace``
   (``ownerRef [v1/Pod, namespace: a, name: p, uid: ...] does not exist in namespace "a"``) and is treated as
   dangling (an ownerReference can only point into its own namespace, or at a cluster-scoped owner).

Every decision is logged (``sim.log("gc.<what>", ...)``: ``gc.virtual_node``, ``gc.delete``,
``gc.remove_owner_references``, ``gc.remove_finalizer``, ``gc.orphan``, ...) and the graph can be drawn:
:meth:`GarbageCollector.dependency_graph` returns a networkx graph whose nodes carry ``kind``, ``apiVersion``,
``name``, ``namespace``, ``uid``, ``virtual``, ``beingDeleted`` and ``deletingDependents``, and whose edges (owner
→ dependent) carry ``blockOwnerDeletion`` and ``controller`` (upstream's ``/debug/controllers/garbagecollector/graph``
serves the same graph as DOT, ``dump.go``).

Upstream sources, function by function: ``pkg/controller/garbagecollector/garbagecollector.go``
(``attemptToDeleteWorker``, ``isDangling``, ``classifyReferences``, ``attemptToDeleteItem``,
``processDeletingDependentsItem``, ``orphanDependents``, ``attemptToOrphanWorker``, ``GetDeletableResources``);
``graph_builder.go`` (``controllerFor``, ``enqueueVirtualDeleteEvent``, ``addDependentToOwners``,
``reportInvalidNamespaceOwnerRef``, ``insertNode``, ``removeNode``, ``referencesDiffs``,
``deletionStartsWithFinalizer``, ``addUnblockedOwnersToDeleteQueue``, ``processTransitions``,
``processGraphChanges``, ``partitionDependents``, ``referenceLessThan``, ``getAlternateOwnerIdentity``);
``graph.go`` (``objectReference``, ``node``, ``blockingDependents``, ``ownerReferenceCoordinates``);
``operations.go`` (``apiResource``, ``deleteObject`` with its uid and resourceVersion preconditions, ``getObject``,
``patchObject``, ``removeFinalizer``); ``patch.go`` (``getMetadata``, ``deleteOwnerRefJSONMergePatch``,
``unblockOwnerReferencesJSONMergePatch``); ``uid_cache.go`` (``ReferenceCache``); ``errors.go``
(``restMappingError``).

What the model leaves out
    * Time: upstream's workers (``--concurrent-gc-syncs``, 20) and the graph builder take real time; here each
      item is processed in zero simulated time, one worker per queue (more workers would only take turns), and the
      API server's watch delivers to the monitors synchronously. Upstream the builder applies a change in
      microseconds while a worker's request takes milliseconds, so the graph is practically always current when a
      worker acts; the model makes that exact: a worker applies the queued graph changes before it takes an item.
    * Discovery: the monitored kinds are fixed (the model's kinds, :mod:`k8smodel.api.kinds`); upstream re-reads
      discovery every 30 s (``GarbageCollector.Sync``) to monitor new CRDs.
    * Strategic merge patch: the model's API server speaks only JSON merge patch, so the collector always takes
      upstream's fallback path (``deleteOwnerRefJSONMergePatch``, ``unblockOwnerReferencesJSONMergePatch``), which
      sends the remaining ownerReferences with the resourceVersion read from the monitor's cache; a conflict is
      retried with the queue's back-off.
    * The metadata-only client and informers (``PartialObjectMetadata``): the model reads whole objects.
    * ``retry.RetryOnConflict`` in ``removeFinalizer`` retries at once (upstream sleeps 10 ms, then 50 ms, ...).
    * Go's map order: dependents are kept (and visited) in the order they were added; upstream visits them in
      random order.
    * ``processDeletingDependentsItem`` does not requeue a blocking dependent that is already being deleted
      (upstream requeues it, and ``attemptToDeleteItem`` returns at once for it): the same requests, without a
      queue pass over every remaining dependent each time one of them goes.
    * Metrics and the ``/debug`` DOT endpoint (:meth:`GarbageCollector.dependency_graph` serves the chapter).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from k8smodel.api import errors
from k8smodel.api.errors import StatusError
from k8smodel.api.kinds import KINDS, Kind, UnknownKind, lookup
from k8smodel.apiserver.authn import UserInfo
from k8smodel.apiserver.server import FINALIZER_FOREGROUND, FINALIZER_ORPHAN
from k8smodel.client import DeletedFinalStateUnknown, Informer, ResourceEventHandler, WorkQueue
from k8smodel.controllers.base import controller_user
from k8smodel.record import WARNING, EventRecorder
from k8smodel.sim import Simulation

Obj = dict[str, Any]
OwnerReference = Mapping[str, Any]

COMPONENT = "garbage-collector-controller"
"""The Events' ``source.component`` (``v1.EventSource{Component: "garbage-collector-controller"}``)."""
GC_USER = controller_user("generic-garbage-collector")
"""kube-controller-manager runs the collector as ``system:serviceaccount:kube-system:generic-garbage-collector``."""
ABSENT_OWNER_CACHE_SIZE = 500
"""``NewReferenceCache(500)`` in ``NewDependencyGraphBuilder``."""
IGNORED_RESOURCES = frozenset({("", "events"), ("events.k8s.io", "events")})
"""``DefaultIgnoredResources``: Events are never monitored."""
RETRY_ON_CONFLICT_STEPS = 4
"""``retry.DefaultBackoff.Steps``: ``removeFinalizer`` tries four times before giving up on conflicts."""

DELETE_PROPAGATION_ORPHAN = "Orphan"
DELETE_PROPAGATION_BACKGROUND = "Background"
DELETE_PROPAGATION_FOREGROUND = "Foreground"

ADD_EVENT, UPDATE_EVENT, DELETE_EVENT = "add", "update", "delete"


# --- identities (graph.go) ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectReference:
    """``objectReference``: an owner reference's coordinates (apiVersion, kind, name, uid) plus a namespace."""

    api_version: str
    kind: str
    name: str
    uid: str
    namespace: str = ""

    def __str__(self) -> str:
        return f"[{self.api_version}/{self.kind}, namespace: {self.namespace}, name: {self.name}, uid: {self.uid}]"

    def coordinates(self) -> tuple[str, str, str, str]:
        return (self.uid, self.name, self.kind, self.api_version)


def owner_reference_coordinates(ref: OwnerReference) -> tuple[str, str, str, str]:
    """``ownerReferenceCoordinates``: only the coordinate fields (uid, name, kind, apiVersion)."""
    return (ref.get("uid", ""), ref.get("name", ""), ref.get("kind", ""), ref.get("apiVersion", ""))


def owner_reference_matches_coordinates(ref: OwnerReference, identity: ObjectReference) -> bool:
    """``ownerReferenceMatchesCoordinates``."""
    return owner_reference_coordinates(ref) == identity.coordinates()


def reference_from_owner(ref: OwnerReference, namespace: str) -> ObjectReference:
    return ObjectReference(
        ref.get("apiVersion", ""), ref.get("kind", ""), ref.get("name", ""), ref.get("uid", ""), namespace
    )


def _blocks(ref: OwnerReference) -> bool:
    return ref.get("blockOwnerDeletion") is True


class GraphNode:
    """``node``: one object (or a *virtual* stand-in for an owner not yet observed) in the dependency graph.

    ``owners`` are the object's ownerReferences as last observed. The node's dependents are the graph's edges out
    of its uid while the node is the one the graph holds for that uid; a node that left the graph (removed, or
    replaced by a clone) keeps the dependents it had then, as upstream's node keeps its own ``dependents`` map.
    """

    __slots__ = ("_detached", "_graph", "being_deleted", "deleting_dependents", "identity", "owners", "virtual")

    def __init__(
        self,
        identity: ObjectReference,
        owners: list[OwnerReference] | None = None,
        *,
        virtual: bool = False,
        being_deleted: bool = False,
        deleting_dependents: bool = False,
    ) -> None:
        self.identity = identity
        self.owners: list[OwnerReference] = list(owners or ())
        self.virtual = virtual
        self.being_deleted = being_deleted
        self.deleting_dependents = deleting_dependents
        self._graph: nx.DiGraph | None = None  # set while this node is the graph's node for its uid
        self._detached: list[GraphNode] = []

    def clone(self) -> GraphNode:
        """``clone``: a copy with the same identity, owners, flags and dependents."""
        c = GraphNode(
            self.identity,
            self.owners,
            virtual=self.virtual,
            being_deleted=self.being_deleted,
            deleting_dependents=self.deleting_dependents,
        )
        c._detached = self.get_dependents()
        return c

    def mark_being_deleted(self) -> None:
        self.being_deleted = True

    def is_being_deleted(self) -> bool:
        return self.being_deleted

    def mark_observed(self) -> None:
        self.virtual = False

    def is_observed(self) -> bool:
        return not self.virtual

    def mark_deleting_dependents(self) -> None:
        self.deleting_dependents = True

    def is_deleting_dependents(self) -> bool:
        return self.deleting_dependents

    def get_dependents(self) -> list[GraphNode]:
        """``getDependents``: the nodes that name this one as an owner."""
        g = self._graph
        if g is None:
            return list(self._detached)
        nodes = g._node  # networkx's node-attribute dicts, read directly: this is the collector's hot path
        return [nodes[d]["node"] for d in g._succ[self.identity.uid]]

    def dependents_length(self) -> int:
        g = self._graph
        return len(self._detached) if g is None else len(g._succ[self.identity.uid])

    def blocking_dependents(self) -> list[GraphNode]:
        """``blockingDependents``: dependents whose reference to this node has ``blockOwnerDeletion: true``
        (a dependent listed once per such reference, as upstream)."""
        uid = self.identity.uid
        return [dep for dep in self.get_dependents() for o in dep.owners if o.get("uid") == uid and _blocks(o)]

    def __repr__(self) -> str:
        flags = [f for f, on in (("virtual", self.virtual), ("beingDeleted", self.being_deleted)) if on]
        if self.deleting_dependents:
            flags.append("deletingDependents")
        return f"GraphNode({self.identity}{', ' + ', '.join(flags) if flags else ''})"


@dataclass(eq=False)
class GraphEvent:
    """``event``: one change for the graph builder; ``virtual`` when the collector made it up (an owner that the
    API server says does not exist). Compared by identity, as upstream queues ``*event`` pointers."""

    event_type: str
    obj: Obj
    api_version: str
    kind: str
    old_obj: Obj | None = None
    virtual: bool = False


# --- the absent owner cache (uid_cache.go) ------------------------------------------------------------------------


class ReferenceCache:
    """``ReferenceCache``: an LRU set of owner references known not to exist (``Has`` refreshes an entry)."""

    def __init__(self, max_entries: int = ABSENT_OWNER_CACHE_SIZE) -> None:
        self.max_entries = max_entries
        self._cache: OrderedDict[ObjectReference, None] = OrderedDict()

    def add(self, reference: ObjectReference) -> None:
        self._cache[reference] = None
        self._cache.move_to_end(reference)
        if len(self._cache) > self.max_entries:
            self._cache.popitem(last=False)

    def has(self, reference: ObjectReference) -> bool:
        if reference in self._cache:
            self._cache.move_to_end(reference)
            return True
        return False

    def __len__(self) -> int:
        return len(self._cache)

    def __iter__(self) -> Any:
        return iter(list(self._cache))


# --- errors (errors.go, garbagecollector.go) ----------------------------------------------------------------------


class RESTMappingError(Exception):
    """``restMappingError``: an ownerReference names a kind/apiVersion the API server does not serve."""

    def __init__(self, kind: str, version: str) -> None:
        self.kind, self.version = kind, version
        super().__init__(f"unable to get REST mapping for {version}/{kind}.")

    def message(self) -> str:
        vk = f"{self.version}/{self.kind}"
        return (
            f"unable to get REST mapping for {vk}.  If {vk} is an invalid resource, then you should manually "
            f"remove ownerReferences that refer {vk} objects."
        )


class NamespacedOwnerOfClusterScopedObjectError(Exception):
    """``namespacedOwnerOfClusterScopedObjectErr``: cluster-scoped objects cannot refer to namespaced owners."""

    def __init__(self) -> None:
        super().__init__("cluster-scoped objects cannot refer to namespaced owners")


class _EnqueuedVirtualDeleteEvent(Exception):
    """``enqueuedVirtualDeleteEventErr``: a virtual delete event was queued; the item needs no requeue."""


class GarbageCollectionError(Exception):
    """Any other failure of an item (``fmt.Errorf`` upstream), e.g. ``orphaning ... failed``; retried."""


# --- small accessors ----------------------------------------------------------------------------------------------


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _owner_refs(meta: Mapping[str, Any]) -> list[OwnerReference]:
    return list(meta.get("ownerReferences") or ())


def being_deleted(meta: Mapping[str, Any]) -> bool:
    """``beingDeleted``: the object has a ``deletionTimestamp``."""
    return bool(meta.get("deletionTimestamp"))


def has_finalizer(meta: Mapping[str, Any], finalizer: str) -> bool:
    return finalizer in (meta.get("finalizers") or ())


def has_delete_dependents_finalizer(meta: Mapping[str, Any]) -> bool:
    return has_finalizer(meta, FINALIZER_FOREGROUND)


def has_orphan_finalizer(meta: Mapping[str, Any]) -> bool:
    return has_finalizer(meta, FINALIZER_ORPHAN)


def deletion_starts_with_finalizer(old_obj: Obj | None, new_meta: Mapping[str, Any], finalizer: str) -> bool:
    """``deletionStartsWithFinalizer``: the new object is being deleted with ``finalizer`` and the old one was not
    (or had not that finalizer, or there is no old one)."""
    if not being_deleted(new_meta) or not has_finalizer(new_meta, finalizer):
        return False
    if old_obj is None:
        return True
    old_meta = _meta(old_obj)
    return not being_deleted(old_meta) or not has_finalizer(old_meta, finalizer)


def references_diffs(
    old: Iterable[OwnerReference], new: Iterable[OwnerReference]
) -> tuple[list[OwnerReference], list[OwnerReference], list[tuple[OwnerReference, OwnerReference]]]:
    """``referencesDiffs``: the references added, removed and changed (same uid, other content) from ``old`` to
    ``new``. Duplicated uids behave as upstream's maps make them (the last old one counts; a second new one with
    the same uid is *added*)."""
    old_by_uid: dict[str, OwnerReference] = {}
    for ref in old:
        old_by_uid[ref.get("uid", "")] = ref
    remaining = dict.fromkeys(old_by_uid)
    added: list[OwnerReference] = []
    changed: list[tuple[OwnerReference, OwnerReference]] = []
    for ref in new:
        uid = ref.get("uid", "")
        if uid in remaining:
            if old_by_uid[uid] != ref:
                changed.append((old_by_uid[uid], ref))
            del remaining[uid]
        else:
            added.append(ref)
    removed = [old_by_uid[uid] for uid in remaining]
    return added, removed, changed


def partition_dependents(
    dependents: Iterable[GraphNode], owner: ObjectReference
) -> tuple[list[GraphNode], list[GraphNode]]:
    """``partitionDependents``: the dependents whose reference to ``owner.uid`` matches ``owner``'s coordinates
    (and namespace), and those with one that does not (a dependent can be in both)."""
    owner_is_namespaced = bool(owner.namespace)
    matching: list[GraphNode] = []
    nonmatching: list[GraphNode] = []
    for dep in dependents:
        found_match = found_mismatch = False
        if owner_is_namespaced and owner.namespace != dep.identity.namespace:
            found_mismatch = True
        else:
            for ref in dep.owners:
                if ref.get("uid") == owner.uid:
                    if owner_reference_matches_coordinates(ref, owner):
                        found_match = True
                    else:
                        found_mismatch = True
        if found_match:
            matching.append(dep)
        if found_mismatch:
            nonmatching.append(dep)
    return matching, nonmatching


def _reference_key(r: ObjectReference) -> tuple[str, str, str, str, str]:
    """``referenceLessThan``'s order: kind, apiVersion, namespace, name, uid."""
    return (r.kind, r.api_version, r.namespace, r.name, r.uid)


def get_alternate_owner_identity(deps: Iterable[GraphNode], absent: ObjectReference) -> ObjectReference | None:
    """``getAlternateOwnerIdentity``: another identity the dependents use for ``absent.uid`` — the first one after
    ``absent`` in ``referenceLessThan`` order, else the first one; ``None`` if there is no other."""
    absent_is_cluster_scoped = not absent.namespace
    seen = {absent}
    first: ObjectReference | None = None
    first_following: ObjectReference | None = None
    for dep in deps:
        for ref in dep.owners:
            if ref.get("uid") != absent.uid:
                continue
            if owner_reference_matches_coordinates(ref, absent) and (
                absent_is_cluster_scoped or absent.namespace == dep.identity.namespace
            ):
                continue
            alt = reference_from_owner(ref, dep.identity.namespace)
            if absent_is_cluster_scoped and alt.api_version == absent.api_version and alt.kind == absent.kind:
                alt = ObjectReference(alt.api_version, alt.kind, alt.name, alt.uid, "")
            if alt in seen:
                continue
            seen.add(alt)
            if first is None or _reference_key(alt) < _reference_key(first):
                first = alt
            if _reference_key(absent) < _reference_key(alt) and (
                first_following is None or _reference_key(alt) < _reference_key(first_following)
            ):
                first_following = alt
    return first_following if first_following is not None else first


def api_resource(api_version: str, kind: str) -> Kind:
    """``apiResource``: the served kind for an apiVersion and kind, or :class:`RESTMappingError`."""
    try:
        return lookup(api_version, kind)
    except UnknownKind:
        raise RESTMappingError(kind, api_version) from None


def deletable_kinds() -> list[Kind]:
    """``GetDeletableResources`` minus the ignored ones: every served kind (all support delete, list and watch)
    except Events, in the order the API server lists them."""
    return [k for k in KINDS if (k.group, k.resource) not in IGNORED_RESOURCES]


# --- the graph builder (graph_builder.go) -------------------------------------------------------------------------


@dataclass
class Monitor:
    """``monitor``: the informer on one resource and the handlers the builder registered on it."""

    kind: Kind
    informer: Informer
    registration: ResourceEventHandler | None = None
    handlers: tuple[Any, Any, Any] = field(default=(None, None, None))


class GraphBuilder:
    """``GraphBuilder``: turns the monitors' events into the dependency graph and feeds the collector's queues.

    :attr:`uid_to_node` is the graph (a :class:`networkx.DiGraph` keyed by uid, each node's ``"node"`` attribute
    its :class:`GraphNode`; an edge runs from owner to dependent). :meth:`process_graph_changes` applies one
    queued event; :meth:`run` is the single worker that applies them as they come.
    """

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        *,
        user: UserInfo = GC_USER,
        recorder: EventRecorder | None = None,
        absent_owner_cache_size: int = ABSENT_OWNER_CACHE_SIZE,
    ) -> None:
        self.sim = sim
        self.api = api
        self.user = user
        self.recorder = recorder or EventRecorder(sim, api, COMPONENT, user=user)
        self.graph_changes = WorkQueue(sim, "garbage_collector_graph_changes")
        self.attempt_to_delete = WorkQueue(sim, "garbage_collector_attempt_to_delete")
        self.attempt_to_orphan = WorkQueue(sim, "garbage_collector_attempt_to_orphan")
        self.absent_owner_cache = ReferenceCache(absent_owner_cache_size)
        self.uid_to_node: nx.DiGraph = nx.DiGraph()
        self.monitors: dict[str, Monitor] = {}  # resource (group_resource) -> monitor
        self.changes_processed = 0
        self._handed: Any = None  # the get_event the worker waits on
        self._applied_early: set[GraphEvent] = set()

    # ---- the graph's primitives (concurrentUIDToNode, node.addDependent/deleteDependent) -------------------

    def read(self, uid: str) -> GraphNode | None:
        entry = self.uid_to_node._node.get(uid)
        return None if entry is None else entry["node"]

    def write(self, node: GraphNode) -> None:
        """``uidToNode.Write``: make ``node`` the graph's node for its uid (edges keyed by the uid stay)."""
        g = self.uid_to_node
        uid = node.identity.uid
        entry = g._node.get(uid)
        if entry is None:
            g.add_node(uid, node=node)
        else:
            old: GraphNode = entry["node"]
            if old is not node:
                old._detached = old.get_dependents()
                old._graph = None
                entry["node"] = node
        node._graph = g
        node._detached = []

    def delete(self, uid: str) -> None:
        """``uidToNode.Delete``: the node leaves the graph (keeping its dependents, as upstream's node does)."""
        node = self.read(uid)
        if node is None:
            return
        node._detached = node.get_dependents()
        node._graph = None
        self.uid_to_node.remove_node(uid)

    def _add_dependent(self, owner: GraphNode, dependent: GraphNode) -> None:
        self.uid_to_node.add_edge(owner.identity.uid, dependent.identity.uid)

    def _delete_dependent(self, owner: GraphNode, dependent: GraphNode) -> None:
        g = self.uid_to_node
        if g.has_edge(owner.identity.uid, dependent.identity.uid):
            g.remove_edge(owner.identity.uid, dependent.identity.uid)

    # ---- monitors ----------------------------------------------------------------------------------------

    def add_monitor(self, kind: Kind, informer: Informer) -> Monitor:
        """``controllerFor``: watch one resource; every add, update and delete becomes a graph change."""
        api_version, kind_name = kind.api_version, kind.kind

        def on_add(obj: Obj) -> None:
            self.graph_changes.add(GraphEvent(ADD_EVENT, obj, api_version, kind_name))

        def on_update(old: Obj, new: Obj) -> None:
            self.graph_changes.add(GraphEvent(UPDATE_EVENT, new, api_version, kind_name, old_obj=old))

        def on_delete(obj: Any) -> None:
            if type(obj) is DeletedFinalStateUnknown:
                obj = obj.obj
            if obj is None:
                return
            self.graph_changes.add(GraphEvent(DELETE_EVENT, obj, api_version, kind_name))

        monitor = Monitor(kind, informer, handlers=(on_add, on_update, on_delete))
        self.monitors[kind.group_resource] = monitor
        return monitor

    def start_monitors(self) -> None:
        """``startMonitors``: start every informer, then register the handlers (a synced informer replays its
        cache as adds)."""
        for monitor in self.monitors.values():
            monitor.informer.start()
        for monitor in self.monitors.values():
            if monitor.registration is None:
                monitor.registration = monitor.informer.add_event_handler(*monitor.handlers)

    def stop_monitors(self) -> None:
        for monitor in self.monitors.values():
            if monitor.registration is not None:
                monitor.informer.remove_event_handler(monitor.registration)
                monitor.registration = None

    def is_synced(self) -> bool:
        """``IsSynced``: some monitors exist and all have synced."""
        return bool(self.monitors) and all(m.informer.has_synced() for m in self.monitors.values())

    # ---- building the graph ------------------------------------------------------------------------------

    def enqueue_virtual_delete_event(self, ref: ObjectReference) -> None:
        """``enqueueVirtualDeleteEvent``: tell the builder that the API server has no object for ``ref``."""
        obj = {
            "apiVersion": ref.api_version,
            "kind": ref.kind,
            "metadata": {"namespace": ref.namespace, "uid": ref.uid, "name": ref.name},
        }
        self.graph_changes.add(GraphEvent(DELETE_EVENT, obj, ref.api_version, ref.kind, virtual=True))

    def add_dependent_to_owners(self, n: GraphNode, owners: Iterable[OwnerReference]) -> None:
        """``addDependentToOwners``: add ``n`` to each owner's dependents, creating (and queueing for
        verification) a virtual node for an owner not in the graph; queue ``n`` if an observed owner's
        coordinates or namespace disagree with its reference."""
        has_potentially_invalid_owner_reference = False
        for owner in owners:
            owner_node = self.read(owner.get("uid", ""))
            created = owner_node is None
            if owner_node is None:
                owner_node = GraphNode(reference_from_owner(owner, n.identity.namespace), virtual=True)
                self.sim.log("gc.virtual_node", identity=str(owner_node.identity))
                self.write(owner_node)
            self._add_dependent(owner_node, n)
            if created:
                self.attempt_to_delete.add(owner_node)
            elif not has_potentially_invalid_owner_reference:
                owner_is_namespaced = bool(owner_node.identity.namespace)
                if owner_is_namespaced and owner_node.identity.namespace != n.identity.namespace:
                    if owner_node.is_observed():
                        self.report_invalid_namespace_owner_ref(n, owner.get("uid", ""))
                    has_potentially_invalid_owner_reference = True
                elif not owner_reference_matches_coordinates(owner, owner_node.identity) or (
                    not owner_is_namespaced
                    and owner_node.identity.namespace != n.identity.namespace
                    and not owner_node.is_observed()
                ):
                    has_potentially_invalid_owner_reference = True
        if has_potentially_invalid_owner_reference:
            self.attempt_to_delete.add(n)

    def report_invalid_namespace_owner_ref(self, n: GraphNode, invalid_owner_uid: str) -> None:
        """``reportInvalidNamespaceOwnerRef``: the ``Warning`` Event ``OwnerRefInvalidNamespace`` on the dependent."""
        ref = next((o for o in n.owners if o.get("uid") == invalid_owner_uid), None)
        if ref is None:
            return
        invalid = reference_from_owner(ref, n.identity.namespace)
        involved = {
            "kind": n.identity.kind,
            "apiVersion": n.identity.api_version,
            "metadata": {"namespace": n.identity.namespace, "name": n.identity.name, "uid": n.identity.uid},
        }
        message = f'ownerRef {invalid} does not exist in namespace "{n.identity.namespace}"'
        self.sim.log("gc.invalid_namespace_owner_ref", item=str(n.identity), owner=str(invalid))
        self.recorder.event(involved, WARNING, "OwnerRefInvalidNamespace", message)

    def insert_node(self, n: GraphNode) -> None:
        """``insertNode``."""
        self.write(n)
        self.add_dependent_to_owners(n, n.owners)

    def remove_dependent_from_owners(self, n: GraphNode, owners: Iterable[OwnerReference]) -> None:
        """``removeDependentFromOwners``."""
        for owner in owners:
            owner_node = self.read(owner.get("uid", ""))
            if owner_node is not None:
                self._delete_dependent(owner_node, n)

    def remove_node(self, n: GraphNode) -> None:
        """``removeNode``."""
        self.delete(n.identity.uid)
        self.remove_dependent_from_owners(n, n.owners)

    def add_unblocked_owners_to_delete_queue(
        self, removed: Iterable[OwnerReference], changed: Iterable[tuple[OwnerReference, OwnerReference]]
    ) -> None:
        """``addUnblockedOwnersToDeleteQueue``: an owner a dependent stopped blocking may now finish its foreground
        deletion."""
        for ref in removed:
            if _blocks(ref):
                node = self.read(ref.get("uid", ""))
                if node is not None:
                    self.attempt_to_delete.add(node)
        for old_ref, new_ref in changed:
            if _blocks(old_ref) and not _blocks(new_ref):
                node = self.read(new_ref.get("uid", ""))
                if node is not None:
                    self.attempt_to_delete.add(node)

    def process_transitions(self, old_obj: Obj | None, new_meta: Mapping[str, Any], n: GraphNode) -> None:
        """``processTransitions``: a deletion that starts with the orphan finalizer goes to ``attemptToOrphan``;
        one that starts with ``foregroundDeletion`` marks the node and queues it and its dependents."""
        if deletion_starts_with_finalizer(old_obj, new_meta, FINALIZER_ORPHAN):
            self.sim.log("gc.orphan_requested", item=str(n.identity))
            self.attempt_to_orphan.add(n)
            return
        if deletion_starts_with_finalizer(old_obj, new_meta, FINALIZER_FOREGROUND):
            self.sim.log("gc.foreground_requested", item=str(n.identity))
            n.mark_deleting_dependents()
            for dep in n.get_dependents():
                self.attempt_to_delete.add(dep)
            self.attempt_to_delete.add(n)

    @staticmethod
    def identity_from_event(event: GraphEvent, meta: Mapping[str, Any]) -> ObjectReference:
        """``identityFromEvent``: the event's apiVersion and kind, the object's name, uid and namespace."""
        return ObjectReference(
            event.api_version, event.kind, meta.get("name", ""), meta.get("uid", ""), meta.get("namespace") or ""
        )

    def process_graph_changes(self) -> bool:
        """Take one queued graph change and apply it (``processGraphChanges``); False if none was queued."""
        item = self.graph_changes.get()
        if item is None:
            return False
        try:
            self.process_event(item)  # type: ignore[arg-type]
        finally:
            self.graph_changes.done(item)
        return True

    def process_event(self, event: GraphEvent) -> None:
        """The body of ``processGraphChanges`` for one event."""
        self.changes_processed += 1
        meta = _meta(event.obj)
        uid = meta.get("uid", "")
        existing = self.read(uid)
        if existing is not None and not event.virtual and not existing.is_observed():
            # the node is observed by an informer event: replace the virtual node if its identity was a guess
            observed = self.identity_from_event(event, meta)
            if observed != existing.identity:
                _, potentially_invalid = partition_dependents(existing.get_dependents(), observed)
                for dep in potentially_invalid:
                    if observed.namespace and dep.identity.namespace != observed.namespace:
                        self.report_invalid_namespace_owner_ref(dep, observed.uid)
                    self.attempt_to_delete.add(dep)
                self.sim.log("gc.replace_virtual", virtual=str(existing.identity), observed=str(observed))
                existing = existing.clone()
                existing.identity = observed
                self.write(existing)
            existing.mark_observed()

        if event.event_type in (ADD_EVENT, UPDATE_EVENT) and existing is None:
            new_node = GraphNode(
                self.identity_from_event(event, meta),
                _owner_refs(meta),
                being_deleted=being_deleted(meta),
                deleting_dependents=being_deleted(meta) and has_delete_dependents_finalizer(meta),
            )
            self.insert_node(new_node)
            # a creation and a deletion may arrive as one event
            self.process_transitions(event.old_obj, meta, new_node)
        elif event.event_type in (ADD_EVENT, UPDATE_EVENT):
            assert existing is not None
            if not event.virtual and (
                existing.identity.api_version != event.api_version or existing.identity.kind != event.kind
            ):
                # the same object seen under another apiVersion/kind: update the node in place of the old one
                existing = existing.clone()
                existing.identity = ObjectReference(
                    event.api_version,
                    event.kind,
                    existing.identity.name,
                    existing.identity.uid,
                    existing.identity.namespace,
                )
                self.write(existing)  # owners' edges are keyed by uid: replaceDependentIfItExists is implicit
            new_owners = _owner_refs(meta)
            added, removed, changed = references_diffs(existing.owners, new_owners)
            if added or removed or changed:
                self.add_unblocked_owners_to_delete_queue(removed, changed)
                existing.owners = new_owners
                self.add_dependent_to_owners(existing, added)
                self.remove_dependent_from_owners(existing, removed)
            if being_deleted(meta):
                existing.mark_being_deleted()
            self.process_transitions(event.old_obj, meta, existing)
        elif event.event_type == DELETE_EVENT:
            if existing is None:
                return  # "item doesn't exist in the graph, this shouldn't happen"
            self._process_delete(event, meta, existing)

    def _process_delete(self, event: GraphEvent, meta: Mapping[str, Any], existing: GraphNode) -> None:
        remove_existing = True
        if event.virtual:
            deleted = self.identity_from_event(event, meta)
            if existing.virtual:
                # the existing node is virtual too: its coordinates are only what dependents said
                matching, nonmatching = partition_dependents(existing.get_dependents(), deleted)
                if nonmatching:
                    remove_existing = False
                    if matching:
                        self.absent_owner_cache.add(deleted)
                        for dep in matching:
                            self.attempt_to_delete.add(dep)
                    if existing.identity == deleted:
                        replacement_identity = get_alternate_owner_identity(nonmatching, deleted)
                        if replacement_identity is not None:
                            replacement = existing.clone()
                            replacement.identity = replacement_identity
                            self.write(replacement)
                            self.attempt_to_delete.add_rate_limited(replacement)
            elif existing.identity != deleted:
                # a real node is never removed because of a virtual delete event under other coordinates
                remove_existing = False
                matching, _ = partition_dependents(existing.get_dependents(), deleted)
                if matching:
                    self.absent_owner_cache.add(deleted)
                    for dep in matching:
                        self.attempt_to_delete.add(dep)
        if not remove_existing:
            return
        dependents = existing.get_dependents()
        self.remove_node(existing)
        self.sim.log("gc.remove_node", item=str(existing.identity), virtual=event.virtual, dependents=len(dependents))
        if dependents:
            self.absent_owner_cache.add(self.identity_from_event(event, meta))
        for dep in dependents:
            self.attempt_to_delete.add(dep)
        for owner in existing.owners:
            owner_node = self.read(owner.get("uid", ""))
            if owner_node is None or not owner_node.is_deleting_dependents():
                continue
            # let attemptToDeleteItem check whether all of the owner's dependents are gone
            self.attempt_to_delete.add(owner_node)

    def run(self) -> Generator[Any, Any, None]:
        """``runProcessGraphChanges``: the single worker that applies graph changes as they are queued."""
        queue = self.graph_changes
        while True:
            handed = queue.get_event()
            self._handed = handed
            item = yield handed
            self._handed = None
            if item is None:
                return
            if item in self._applied_early:  # catch_up() applied it while this worker waited to resume
                self._applied_early.discard(item)
                continue
            try:
                self.process_event(item)
            finally:
                queue.done(item)

    def catch_up(self) -> None:
        """Apply, in queue order, the change already handed to the worker (not yet resumed) and every queued one."""
        handed = self._handed
        if handed is not None and handed.triggered:
            item = handed.value
            if item is not None and item not in self._applied_early:
                self._applied_early.add(item)
                try:
                    self.process_event(item)
                finally:
                    self.graph_changes.done(item)
        while len(self.graph_changes):
            self.process_graph_changes()


# --- the collector (garbagecollector.go, operations.go, patch.go) -------------------------------------------------

FORGET_ITEM, REQUEUE_ITEM = "forget", "requeue"


class GarbageCollector:
    """``GarbageCollector``: the graph builder plus the workers that delete garbage and orphan dependents.

    ``informer_factory(resource)`` gives the informer a monitor uses (``cluster.shared_informer``: the shared
    informers of kube-controller-manager's ``InformerFactory``); without it each monitor builds its own.
    ``kinds`` limits the monitored kinds (default: :func:`deletable_kinds`). Register it with
    ``cluster.add_control_plane_component("garbage-collector-controller", gc)``.
    """

    name = COMPONENT

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        *,
        informer_factory: Callable[[str], Informer] | None = None,
        kinds: Iterable[Kind] | None = None,
        user: UserInfo = GC_USER,
        workers: int = 1,
        absent_owner_cache_size: int = ABSENT_OWNER_CACHE_SIZE,
    ) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"GarbageCollector: workers must be a whole number >= 1, got {workers!r}")
        self.sim = sim
        self.api = api
        self.user = user
        self.workers = workers
        self.recorder = EventRecorder(sim, api, COMPONENT, user=user)
        self.builder = GraphBuilder(
            sim, api, user=user, recorder=self.recorder, absent_owner_cache_size=absent_owner_cache_size
        )
        self._informer_factory = informer_factory
        self._cache_size = absent_owner_cache_size
        self._kinds = list(deletable_kinds() if kinds is None else kinds)
        self.running = False
        self._processes: list[Any] = []

    # the builder's shared resources (GetGraphResources)
    @property
    def attempt_to_delete(self) -> WorkQueue:
        return self.builder.attempt_to_delete

    @property
    def attempt_to_orphan(self) -> WorkQueue:
        return self.builder.attempt_to_orphan

    @property
    def absent_owner_cache(self) -> ReferenceCache:
        return self.builder.absent_owner_cache

    @property
    def graph_changes(self) -> WorkQueue:
        return self.builder.graph_changes

    # ---- running -----------------------------------------------------------------------------------------

    def _informer_for(self, kind: Kind) -> Informer:
        if self._informer_factory is not None:
            return self._informer_factory(kind.resource)
        return Informer(
            self.sim, self.api.lister_watcher(kind, user=self.user), name=f"garbage-collector/{kind.resource}"
        )

    def start(self) -> None:
        """``Run``: start the monitors and the graph builder, then one ``attemptToDelete`` and one
        ``attemptToOrphan`` worker per ``workers``."""
        if self.running:
            return
        self.running = True
        if self.builder.graph_changes.shutting_down:
            # started again after stop(): a new process, with an empty graph and fresh queues (the informers stay)
            informers = {m.kind.group_resource: m.informer for m in self.builder.monitors.values()}
            self.builder = GraphBuilder(
                self.sim, self.api, user=self.user, recorder=self.recorder, absent_owner_cache_size=self._cache_size
            )
            for kind in self._kinds:
                self.builder.add_monitor(kind, informers[kind.group_resource])
        b = self.builder
        if not b.monitors:
            for kind in self._kinds:
                b.add_monitor(kind, self._informer_for(kind))
        b.start_monitors()
        self._processes = [self.sim.process(b.run())]
        for _ in range(self.workers):
            self._processes.append(self.sim.process(self._run_attempt_to_delete_worker()))
            self._processes.append(self.sim.process(self._run_attempt_to_orphan_worker()))
        self.sim.log("controller.started", controller=self.name, workers=self.workers)

    def stop(self) -> None:
        if not self.running:
            return
        self.running = False
        self.builder.stop_monitors()
        self.builder.graph_changes.shutdown()
        self.attempt_to_delete.shutdown()
        self.attempt_to_orphan.shutdown()
        self.sim.log("controller.stopped", controller=self.name)

    def is_synced(self) -> bool:
        return self.builder.is_synced()

    def _catch_up(self) -> None:
        """Apply every queued graph change before a worker acts (see the module docstring: upstream's builder
        applies a change in microseconds, while a worker's API request takes milliseconds)."""
        self.builder.catch_up()

    def _run_attempt_to_delete_worker(self) -> Generator[Any, Any, None]:
        queue = self.attempt_to_delete
        while True:
            item = yield queue.get_event()
            if item is None:
                return
            self._catch_up()
            self._handle_attempt_to_delete(item)

    def _run_attempt_to_orphan_worker(self) -> Generator[Any, Any, None]:
        queue = self.attempt_to_orphan
        while True:
            item = yield queue.get_event()
            if item is None:
                return
            self._catch_up()
            self._handle_attempt_to_orphan(item)

    def process_attempt_to_delete_worker(self) -> bool:
        """Take one node from ``attemptToDelete`` and process it (``processAttemptToDeleteWorker``); False if
        the queue was empty."""
        item = self.attempt_to_delete.get()
        if item is None:
            return False
        self._handle_attempt_to_delete(item)
        return True

    def process_attempt_to_orphan_worker(self) -> bool:
        """Take one node from ``attemptToOrphan`` and process it (``processAttemptToOrphanWorker``)."""
        item = self.attempt_to_orphan.get()
        if item is None:
            return False
        self._handle_attempt_to_orphan(item)
        return True

    def _handle_attempt_to_delete(self, item: Any) -> None:
        self._handle(self.attempt_to_delete, self.attempt_to_delete_worker, item)

    def _handle_attempt_to_orphan(self, item: Any) -> None:
        self._handle(self.attempt_to_orphan, self.attempt_to_orphan_worker, item)

    @staticmethod
    def _handle(queue: Any, worker: Callable[[Any], str], item: Any) -> None:
        """One item of a worker loop: ``forget`` it or requeue it rate-limited, as the worker says; always ``done``."""
        try:
            if worker(item) == FORGET_ITEM:
                queue.forget(item)
            else:
                queue.add_rate_limited(item)
        finally:
            queue.done(item)

    # ---- attemptToDelete ---------------------------------------------------------------------------------

    def attempt_to_delete_worker(self, n: GraphNode) -> str:
        """``attemptToDeleteWorker``: process one node; returns ``"forget"`` or ``"requeue"``."""
        if not n.is_observed():
            from_graph = self.builder.read(n.identity.uid)
            if from_graph is None or from_graph.is_observed():
                # a virtual node that left the graph, or whose real object has been observed meanwhile
                return FORGET_ITEM
        from_graph = self.builder.read(n.identity.uid)
        if from_graph is not None and (
            n.identity.api_version != from_graph.identity.api_version or n.identity.kind != from_graph.identity.kind
        ):
            n = n.clone()
            n.identity = ObjectReference(
                from_graph.identity.api_version,
                from_graph.identity.kind,
                n.identity.name,
                n.identity.uid,
                n.identity.namespace,
            )
        try:
            self.attempt_to_delete_item(n)
        except _EnqueuedVirtualDeleteEvent:
            return FORGET_ITEM
        except NamespacedOwnerOfClusterScopedObjectError:
            return FORGET_ITEM  # will not resolve on retry
        except (StatusError, RESTMappingError, GarbageCollectionError) as err:
            self.sim.log("gc.error", item=str(n.identity), error=str(err))
            return REQUEUE_ITEM
        if not n.is_observed():
            # requeue until observed: a virtual node for an object added and removed while a watch was down
            # would otherwise stay in the graph for ever (issue 56121)
            return REQUEUE_ITEM
        return FORGET_ITEM

    def is_dangling(self, reference: OwnerReference, item: GraphNode) -> tuple[bool, Obj | None]:
        """``isDangling``: whether ``reference`` points at nothing (asking the API server unless the absent owner
        cache knows); returns the owner's latest state when it exists."""
        absent_key = reference_from_owner(reference, "")
        if self.absent_owner_cache.has(absent_key):
            return True, None
        absent_key = reference_from_owner(reference, item.identity.namespace)
        if self.absent_owner_cache.has(absent_key):
            return True, None
        kind = api_resource(reference.get("apiVersion", ""), reference.get("kind", ""))
        if not kind.namespaced:
            absent_key = reference_from_owner(reference, "")
        if not item.identity.namespace and kind.namespaced:
            raise NamespacedOwnerOfClusterScopedObjectError()
        try:
            owner = self.api.get(
                kind, reference.get("name", ""), item.identity.namespace if kind.namespaced else None, user=self.user
            )
        except StatusError as err:
            if errors.is_not_found(err):
                self.absent_owner_cache.add(absent_key)
                return True, None
            raise
        if _meta(owner).get("uid") != reference.get("uid"):
            self.absent_owner_cache.add(absent_key)
            return True, None
        return False, owner

    def classify_references(
        self, item: GraphNode, latest_references: Iterable[OwnerReference]
    ) -> tuple[list[OwnerReference], list[OwnerReference], list[OwnerReference]]:
        """``classifyReferences``: (solid, dangling, waitingForDependentsDeletion)."""
        solid: list[OwnerReference] = []
        dangling: list[OwnerReference] = []
        waiting: list[OwnerReference] = []
        for reference in latest_references:
            is_dangling, owner = self.is_dangling(reference, item)
            if is_dangling:
                dangling.append(reference)
                continue
            owner_meta = _meta(owner or {})
            if being_deleted(owner_meta) and has_delete_dependents_finalizer(owner_meta):
                waiting.append(reference)
            else:
                solid.append(reference)
        return solid, dangling, waiting

    def attempt_to_delete_item(self, item: GraphNode) -> None:
        """``attemptToDeleteItem``: read the object; delete it if all its owners are gone (or being
        foreground-deleted), or drop the dangling references if it still has a solid owner."""
        self.sim.log("gc.process_item", item=str(item.identity), virtual=not item.is_observed())
        # "being deleted" is a one-way trip: wait for the final deletion, then process the dependents
        if item.is_being_deleted() and not item.is_deleting_dependents():
            return
        try:
            latest = self.get_object(item.identity)
        except StatusError as err:
            if errors.is_not_found(err):
                # the builder may have added a virtual node for an owner that does not exist
                self.builder.enqueue_virtual_delete_event(item.identity)
                raise _EnqueuedVirtualDeleteEvent() from None
            raise
        latest_meta = _meta(latest)
        if latest_meta.get("uid") != item.identity.uid:
            self.builder.enqueue_virtual_delete_event(item.identity)
            raise _EnqueuedVirtualDeleteEvent()
        if item.is_deleting_dependents():
            self.process_deleting_dependents_item(item)
            return
        owner_references = _owner_refs(latest_meta)
        if not owner_references:
            return  # no owner: not garbage
        solid, dangling, waiting = self.classify_references(item, owner_references)
        if solid:
            if not dangling and not waiting:
                return
            # waiting references must go too, or those owners would wait for this object for ever
            owner_uids = [r.get("uid", "") for r in dangling] + [r.get("uid", "") for r in waiting]
            self.sim.log("gc.remove_owner_references", item=str(item.identity), owners=",".join(owner_uids))
            self.patch(item, self.delete_owner_ref_json_merge_patch(item, owner_uids))
            return
        if waiting and item.dependents_length() != 0:
            for dep in item.get_dependents():
                if dep.is_deleting_dependents():
                    # a possible cycle: make this item's references non-blocking, then delete it in the foreground
                    self.sim.log("gc.unblock_owner_references", item=str(item.identity), dependent=str(dep.identity))
                    self.patch(item, self.unblock_owner_references_json_merge_patch(item))
                    break
            # the item is deleted in the foreground: processDeletingDependentsItem takes over once the builder
            # sees the foregroundDeletion finalizer
            self._delete(item, latest_meta, DELETE_PROPAGATION_FOREGROUND)
            return
        # no solid owner and none waiting for its dependents: garbage. Honour a finalizer already set.
        if has_orphan_finalizer(latest_meta):
            policy = DELETE_PROPAGATION_ORPHAN
        elif has_delete_dependents_finalizer(latest_meta):
            policy = DELETE_PROPAGATION_FOREGROUND
        else:
            policy = DELETE_PROPAGATION_BACKGROUND
        self._delete(item, latest_meta, policy)

    def _delete(self, item: GraphNode, latest_meta: Mapping[str, Any], policy: str) -> None:
        self.sim.log("gc.delete", item=str(item.identity), propagationPolicy=policy)
        try:
            self.delete_object(item.identity, latest_meta.get("resourceVersion", ""), _owner_refs(latest_meta), policy)
        except StatusError as err:
            if errors.is_not_found(err):
                self.builder.enqueue_virtual_delete_event(item.identity)
                raise _EnqueuedVirtualDeleteEvent() from None
            raise

    def process_deleting_dependents_item(self, item: GraphNode) -> None:
        """``processDeletingDependentsItem``: an owner in foreground deletion loses its finalizer once no blocking
        dependent is left; until then its blocking dependents are queued for deletion."""
        blocking = item.blocking_dependents()
        if not blocking:
            self.remove_finalizer(item, FINALIZER_FOREGROUND)
            return
        self.sim.log("gc.waiting_for_dependents", item=str(item.identity), blocking=len(blocking))
        for dep in blocking:
            # upstream queues every blocking dependent not itself deleting dependents; one already being deleted
            # would return at once from attemptToDeleteItem, so the model skips it (same requests, no N² queue work)
            if not dep.is_deleting_dependents() and not dep.is_being_deleted():
                self.attempt_to_delete.add(dep)

    # ---- attemptToOrphan ---------------------------------------------------------------------------------

    def orphan_dependents(self, owner: ObjectReference, dependents: Iterable[GraphNode]) -> None:
        """``orphanDependents``: remove the reference to ``owner`` from every dependent (a dependent that is
        already gone is fine); raises with every failure aggregated."""
        failures: list[str] = []
        for dependent in dependents:
            try:
                self.patch(dependent, self.delete_owner_ref_json_merge_patch(dependent, [owner.uid]))
            except StatusError as err:
                if not errors.is_not_found(err):
                    failures.append(f"orphaning {dependent.identity} failed, {err}")
            except RESTMappingError as err:
                failures.append(f"orphaning {dependent.identity} failed, {err}")
        if failures:
            joined = failures[0] if len(failures) == 1 else "[" + ", ".join(failures) + "]"
            raise GarbageCollectionError(f"failed to orphan dependents of owner {owner}, got errors: {joined}")

    def attempt_to_orphan_worker(self, owner: GraphNode) -> str:
        """``attemptToOrphanWorker``: orphan the owner's dependents, then remove its ``orphan`` finalizer."""
        dependents = owner.get_dependents()
        self.sim.log("gc.orphan", item=str(owner.identity), dependents=len(dependents))
        try:
            self.orphan_dependents(owner.identity, dependents)
        except (GarbageCollectionError, RESTMappingError) as err:
            self.sim.log("gc.error", item=str(owner.identity), error=str(err))
            return REQUEUE_ITEM
        try:
            self.remove_finalizer(owner, FINALIZER_ORPHAN)
        except (StatusError, RESTMappingError, GarbageCollectionError) as err:
            self.sim.log("gc.error", item=str(owner.identity), error=str(err))
            return REQUEUE_ITEM
        return FORGET_ITEM

    # ---- operations (operations.go, patch.go) ------------------------------------------------------------

    def get_object(self, item: ObjectReference) -> Obj:
        """``getObject``: the live object; :class:`NamespacedOwnerOfClusterScopedObjectError` for a namespaced
        kind without a namespace (only a cluster-scoped dependent can make such a reference)."""
        kind = api_resource(item.api_version, item.kind)
        if kind.namespaced and not item.namespace:
            raise NamespacedOwnerOfClusterScopedObjectError()
        return self.api.get(kind, item.name, item.namespace if kind.namespaced else None, user=self.user)

    def delete_object(
        self,
        item: ObjectReference,
        resource_version: str,
        owners_at_resource_version: list[OwnerReference],
        policy: str,
    ) -> None:
        """``deleteObject``: delete with a uid precondition (and the resourceVersion the decision was made on);
        on a conflict caused by a change that left the ownerReferences as they were, delete again without it."""
        kind = api_resource(item.api_version, item.kind)
        namespace = item.namespace if kind.namespaced else None
        preconditions = {"uid": item.uid}
        if resource_version:
            preconditions["resourceVersion"] = resource_version
        try:
            self.api.delete(
                kind, item.name, namespace, propagation_policy=policy, preconditions=preconditions, user=self.user
            )
        except StatusError as err:
            if not (errors.is_conflict(err) and resource_version):
                raise
            try:
                live = self.api.get(kind, item.name, namespace, user=self.user)
            except StatusError as live_err:
                if errors.is_not_found(live_err):
                    return  # the object we wanted to delete is gone
                raise err from None
            live_meta = _meta(live)
            if (
                live_meta.get("uid") == item.uid
                and live_meta.get("resourceVersion") != resource_version
                and _owner_refs(live_meta) == list(owners_at_resource_version)
            ):
                self.delete_object(item, "", [], policy)
                return
            raise

    def patch_object(self, item: ObjectReference, patch: Obj) -> Obj:
        """``patchObject`` with a JSON merge patch."""
        kind = api_resource(item.api_version, item.kind)
        return self.api.patch(kind, item.name, item.namespace if kind.namespaced else None, patch, user=self.user)

    def patch(self, item: GraphNode, patch: Obj) -> Obj:
        """``patch``: the model's API server takes JSON merge patches only, upstream's fallback path."""
        return self.patch_object(item.identity, patch)

    def get_metadata(self, api_version: str, kind_name: str, namespace: str, name: str) -> Obj:
        """``getMetadata``: the object from the monitor's cache, or from the API server if not cached."""
        kind = api_resource(api_version, kind_name)
        monitor = self.builder.monitors.get(kind.group_resource)
        key = f"{namespace}/{name}" if namespace else name
        if monitor is not None:
            cached = monitor.informer.get(key)
            if cached is not None:
                return cached
        return self.api.get(kind, name, namespace if kind.namespaced else None, user=self.user)

    def delete_owner_ref_json_merge_patch(self, item: GraphNode, owner_uids: Iterable[str]) -> Obj:
        """``deleteOwnerRefJSONMergePatch``: the object's ownerReferences without those of ``owner_uids``, with
        the resourceVersion they were read at (``null`` removes the field when none is left)."""
        uids = set(owner_uids)
        obj = self.get_metadata(
            item.identity.api_version, item.identity.kind, item.identity.namespace, item.identity.name
        )
        meta = _meta(obj)
        kept = [dict(ref) for ref in _owner_refs(meta) if ref.get("uid") not in uids]
        return {"metadata": {"resourceVersion": meta.get("resourceVersion", ""), "ownerReferences": kept or None}}

    def unblock_owner_references_json_merge_patch(self, n: GraphNode) -> Obj:
        """``unblockOwnerReferencesJSONMergePatch``: every ownerReference of the node with
        ``blockOwnerDeletion: false``."""
        obj = self.get_metadata(n.identity.api_version, n.identity.kind, n.identity.namespace, n.identity.name)
        owners = [{**ref, "blockOwnerDeletion": False} for ref in n.owners]
        return {
            "metadata": {"resourceVersion": _meta(obj).get("resourceVersion", ""), "ownerReferences": owners or None}
        }

    def remove_finalizer(self, owner: GraphNode, target_finalizer: str) -> None:
        """``removeFinalizer``: patch the finalizers without ``target_finalizer`` (at the resourceVersion read),
        retrying conflicts up to four times; an owner already gone is fine."""
        for attempt in range(RETRY_ON_CONFLICT_STEPS):
            try:
                owner_obj = self.get_object(owner.identity)
            except StatusError as err:
                if errors.is_not_found(err):
                    return
                raise GarbageCollectionError(
                    f"cannot finalize owner {owner.identity}, because cannot get it: {err}. "
                    "The garbage collector will retry later"
                ) from None
            meta = _meta(owner_obj)
            finalizers = list(meta.get("finalizers") or ())
            if target_finalizer not in finalizers:
                return
            new_finalizers = [f for f in finalizers if f != target_finalizer]
            self.sim.log("gc.remove_finalizer", item=str(owner.identity), finalizer=target_finalizer)
            patch = {
                "metadata": {"resourceVersion": meta.get("resourceVersion", ""), "finalizers": new_finalizers or None}
            }
            try:
                self.patch_object(owner.identity, patch)
                return
            except StatusError as err:
                if not errors.is_conflict(err):
                    raise
                if attempt == RETRY_ON_CONFLICT_STEPS - 1:
                    raise GarbageCollectionError(
                        f"updateMaxRetries({RETRY_ON_CONFLICT_STEPS}) has reached. The garbage collector will retry "
                        f"later for owner {owner.identity}"
                    ) from None

    # ---- for the chapter ---------------------------------------------------------------------------------

    def graph_has_uid(self, uid: str) -> bool:
        """``GraphHasUID``."""
        return self.builder.read(uid) is not None

    def dependency_graph(self) -> nx.DiGraph:
        """The dependency graph as a new :class:`networkx.DiGraph`: a node per uid with ``kind``, ``apiVersion``,
        ``name``, ``namespace``, ``uid``, ``virtual``, ``beingDeleted`` and ``deletingDependents``; an edge from
        each owner to each dependent with ``blockOwnerDeletion`` and ``controller`` (from the dependent's
        reference). Built when asked, in time proportional to the graph."""
        g = nx.DiGraph()
        source = self.builder.uid_to_node
        for uid, data in source.nodes(data=True):
            n: GraphNode = data["node"]
            ident = n.identity
            g.add_node(
                uid,
                kind=ident.kind,
                apiVersion=ident.api_version,
                name=ident.name,
                namespace=ident.namespace,
                uid=uid,
                virtual=n.virtual,
                beingDeleted=n.being_deleted,
                deletingDependents=n.deleting_dependents,
            )
        for owner_uid, dep_uid in source.edges():
            dep: GraphNode = source.nodes[dep_uid]["node"]
            refs = [r for r in dep.owners if r.get("uid") == owner_uid]
            g.add_edge(
                owner_uid,
                dep_uid,
                blockOwnerDeletion=any(_blocks(r) for r in refs),
                controller=any(r.get("controller") is True for r in refs),
            )
        return g

    def __repr__(self) -> str:
        g = self.builder.uid_to_node
        return (
            f"GarbageCollector(running={self.running}, nodes={g.number_of_nodes()}, edges={g.number_of_edges()}, "
            f"attemptToDelete={len(self.attempt_to_delete)}, attemptToOrphan={len(self.attempt_to_orphan)})"
        )


__all__ = [
    "ABSENT_OWNER_CACHE_SIZE",
    "COMPONENT",
    "GC_USER",
    "GarbageCollectionError",
    "GarbageCollector",
    "GraphBuilder",
    "GraphEvent",
    "GraphNode",
    "NamespacedOwnerOfClusterScopedObjectError",
    "ObjectReference",
    "RESTMappingError",
    "ReferenceCache",
    "api_resource",
    "deletable_kinds",
    "get_alternate_owner_identity",
    "partition_dependents",
    "references_diffs",
]
