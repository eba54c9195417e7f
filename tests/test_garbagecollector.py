"""The garbage collector (k8smodel.controllers.garbagecollector).

Unit tests translate upstream's ``pkg/controller/garbagecollector/garbagecollector_test.go`` (``TestProcessEvent``,
``TestAttemptToDeleteItem``, ``TestAbsentOwnerCache``, ``TestDeleteOwnerRefPatch``, ``TestUnblockOwnerReference``,
``TestOrphanDependentsFailure``, ``TestGetDeletableResources`` and the scenarios of ``TestConflictingData``) against
the model's real API server; integration tests run a Cluster with kubelets and check background, foreground and
orphan deletion of a Deployment → ReplicaSet → Pods chain built by hand.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from k8smodel import Cluster
from k8smodel.api import errors
from k8smodel.api.kinds import Kind, for_resource
from k8smodel.apiserver import APIServer
from k8smodel.controllers.garbagecollector import (
    ADD_EVENT,
    DELETE_EVENT,
    UPDATE_EVENT,
    GarbageCollectionError,
    GarbageCollector,
    GraphBuilder,
    GraphEvent,
    GraphNode,
    ObjectReference,
    ReferenceCache,
    RESTMappingError,
    deletable_kinds,
    get_alternate_owner_identity,
    partition_dependents,
    references_diffs,
)
from k8smodel.sim import Simulation

# --- helpers ------------------------------------------------------------------------------------------------------


def _gvr(kind: Kind) -> str:
    return f"{kind.group}/{kind.version}, Resource={kind.resource}"


def _kind(kind_or_resource: Any) -> Kind:
    return kind_or_resource if isinstance(kind_or_resource, Kind) else for_resource(kind_or_resource)


class RecordingAPI:
    """The real API server, with the garbage collector's gets, deletes and patches recorded as upstream's fake
    metadata client prints them (``get /v1, Resource=pods ns=ns1 name=podname1``); ``fail_patch`` makes patches
    fail with a conflict (``TestOrphanDependentsFailure``)."""

    def __init__(self, api: APIServer) -> None:
        self._api = api
        self.actions: list[str] = []
        self.fail_patch = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._api, name)

    def _record(self, verb: str, kind: Any, name: str, namespace: str | None) -> None:
        k = _kind(kind)
        ns = f" ns={namespace}" if namespace and k.namespaced else ""
        self.actions.append(f"{verb} {_gvr(k)}{ns} name={name}")

    def get(self, kind: Any, name: str, namespace: str | None = None, **kw: Any) -> Any:
        self._record("get", kind, name, namespace)
        return self._api.get(kind, name, namespace, **kw)

    def delete(self, kind: Any, name: str, namespace: str | None = None, **kw: Any) -> Any:
        self._record("delete", kind, name, namespace)
        return self._api.delete(kind, name, namespace, **kw)

    def patch(self, kind: Any, name: str, namespace: str | None, body: Any, **kw: Any) -> Any:
        self._record("patch", kind, name, namespace)
        if self.fail_patch:
            raise errors.conflict(_kind(kind).group_resource, name)
        return self._api.patch(kind, name, namespace, body, **kw)

    def take(self) -> list[str]:
        actions, self.actions = self.actions, []
        return actions


def _ns(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def _pod(name: str, namespace: str, owners: list[dict] | None = None, labels: dict | None = None) -> dict:
    meta: dict[str, Any] = {"name": name, "namespace": namespace}
    if owners:
        meta["ownerReferences"] = owners
    if labels:
        meta["labels"] = labels
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }


def _template(labels: dict) -> dict:
    return {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}


def _deployment(name: str, namespace: str = "default", owners: list[dict] | None = None) -> dict:
    labels = {"app": name}
    meta: dict[str, Any] = {"name": name, "namespace": namespace}
    if owners:
        meta["ownerReferences"] = owners
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {"replicas": 1, "selector": {"matchLabels": labels}, "template": _template(labels)},
    }


def _replicaset(name: str, namespace: str = "default", owners: list[dict] | None = None, app: str = "web") -> dict:
    labels = {"app": app}
    meta: dict[str, Any] = {"name": name, "namespace": namespace}
    if owners:
        meta["ownerReferences"] = owners
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": meta,
        "spec": {"replicas": 1, "selector": {"matchLabels": labels}, "template": _template(labels)},
    }


def ref(obj: dict, *, controller: bool | None = None, block: bool | None = None) -> dict:
    """An ownerReference to ``obj`` (as returned by the API server)."""
    r = {
        "apiVersion": obj["apiVersion"],
        "kind": obj["kind"],
        "name": obj["metadata"]["name"],
        "uid": obj["metadata"]["uid"],
    }
    if controller is not None:
        r["controller"] = controller
    if block is not None:
        r["blockOwnerDeletion"] = block
    return r


# --- pure functions -----------------------------------------------------------------------------------------------


def test_references_diffs():
    # BenchmarkReferencesDiffs's case: old {1, 2}, new {2, 3}
    added, removed, changed = references_diffs([{"uid": "1"}, {"uid": "2"}], [{"uid": "2"}, {"uid": "3"}])
    assert added == [{"uid": "3"}]
    assert removed == [{"uid": "1"}]
    assert changed == []
    _, _, changed = references_diffs(
        [{"uid": "1", "blockOwnerDeletion": True}], [{"uid": "1", "blockOwnerDeletion": False}]
    )
    assert changed == [({"uid": "1", "blockOwnerDeletion": True}, {"uid": "1", "blockOwnerDeletion": False})]


def test_reference_cache_is_an_lru_that_has_refreshes():
    # TestAbsentOwnerCache's cache behaviour: a cache of 2; Has promotes; the least recently used is evicted
    cache = ReferenceCache(2)
    rc1 = ObjectReference("v1", "ReplicationController", "rc1", "1", "ns1")
    rc2 = ObjectReference("v1", "ReplicationController", "rc2", "2", "ns1")
    rc3 = ObjectReference("v1", "ReplicationController", "rc3", "3", "ns1")
    cache.add(rc1)
    cache.add(rc2)
    assert cache.has(rc1)  # promoted
    cache.add(rc3)
    assert cache.has(rc1) and cache.has(rc3) and not cache.has(rc2)
    assert len(cache) == 2


def test_object_reference_prints_as_upstream():
    r = ObjectReference("v1", "Pod", "podname2", "poduid2", "ns1")
    assert str(r) == "[v1/Pod, namespace: ns1, name: podname2, uid: poduid2]"


def test_deletable_kinds_exclude_events():
    # GetDeletableResources + DefaultIgnoredResources: every served kind but Events
    resources = [k.resource for k in deletable_kinds()]
    assert "events" not in resources
    assert {"pods", "replicasets", "deployments", "namespaces", "nodes", "leases"} <= set(resources)


def test_get_alternate_owner_identity_prefers_the_one_after_the_absent_identity():
    absent = ObjectReference("apps/v1", "Deployment", "d", "u", "ns1")
    a = GraphNode(
        ObjectReference("v1", "Pod", "a", "pa", "ns1"),
        [{"apiVersion": "v1", "kind": "Secret", "name": "d", "uid": "u"}],
    )
    b = GraphNode(
        ObjectReference("v1", "Pod", "b", "pb", "ns1"),
        [{"apiVersion": "extensions/v1beta1", "kind": "Deployment", "name": "d", "uid": "u"}],
    )
    c = GraphNode(
        ObjectReference("v1", "Pod", "c", "pc", "ns1"),
        [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "d", "uid": "u"}],
    )
    alt = get_alternate_owner_identity([a, b, c], absent)
    # kind first: "Deployment" < "Secret"; the Deployment alternate follows apps/v1 ("extensions/v1beta1" > "apps/v1")
    assert alt == ObjectReference("extensions/v1beta1", "Deployment", "d", "u", "ns1")
    assert get_alternate_owner_identity([c], absent) is None
    matching, nonmatching = partition_dependents([a, b, c], absent)
    assert matching == [c] and nonmatching == [a, b]


# --- TestProcessEvent: the graph's invariants ---------------------------------------------------------------------


def _create_event(event_type: str, uid: str, owners: list[str]) -> GraphEvent:
    obj = {"metadata": {"uid": uid, "ownerReferences": [{"uid": o} for o in owners]}}
    return GraphEvent(event_type, obj, "v1", "Pod")


def _verify_graph_invariants(builder: GraphBuilder) -> None:
    """``verifyGraphInvariants``: every dependent lists the owner, every observed owner lists the dependent."""
    g = builder.uid_to_node
    for uid in g.nodes:
        node = builder.read(uid)
        assert node is not None
        for dep in node.get_dependents():
            assert any(o.get("uid") == uid for o in dep.owners), f"{uid} has {dep.identity.uid} as a dependent"
        for owner in node.owners:
            owner_node = builder.read(owner["uid"])
            if owner_node is not None:
                assert node in owner_node.get_dependents(), f"{uid} not a dependent of {owner['uid']}"


@pytest.mark.parametrize(
    "events",
    [
        pytest.param([(ADD_EVENT, "1", []), (ADD_EVENT, "2", ["1"]), (ADD_EVENT, "3", ["1", "2"])], id="test1"),
        pytest.param(
            [
                (ADD_EVENT, "1", []),
                (ADD_EVENT, "2", ["1"]),
                (ADD_EVENT, "3", ["1", "2"]),
                (ADD_EVENT, "4", ["2"]),
                (DELETE_EVENT, "2", ["doesn't matter"]),
            ],
            id="test2",
        ),
        pytest.param(
            [
                (ADD_EVENT, "1", []),
                (ADD_EVENT, "2", ["1"]),
                (ADD_EVENT, "3", ["1", "2"]),
                (ADD_EVENT, "4", ["3"]),
                (UPDATE_EVENT, "2", ["4"]),
            ],
            id="test3",
        ),
        pytest.param(
            [
                (ADD_EVENT, "4", ["2"]),
                (ADD_EVENT, "3", ["1", "2"]),
                (ADD_EVENT, "2", ["1"]),
                (ADD_EVENT, "1", []),
                (DELETE_EVENT, "2", ["doesn't matter"]),
            ],
            id="reverse test2",
        ),
    ],
)
def test_process_event_keeps_graph_invariants(events):
    # upstream TestProcessEvent
    sim = Simulation(0)
    builder = GraphBuilder(sim, APIServer(sim), absent_owner_cache_size=2)
    for event_type, uid, owners in events:
        builder.graph_changes.add(_create_event(event_type, uid, owners))
        assert builder.process_graph_changes()
        _verify_graph_invariants(builder)


def test_process_event_builds_owner_to_dependent_edges():
    sim = Simulation(0)
    builder = GraphBuilder(sim, APIServer(sim))
    for event_type, uid, owners in [(ADD_EVENT, "1", []), (ADD_EVENT, "2", ["1"]), (ADD_EVENT, "3", ["1", "2"])]:
        builder.graph_changes.add(_create_event(event_type, uid, owners))
        builder.process_graph_changes()
    assert sorted(builder.uid_to_node.edges()) == [("1", "2"), ("1", "3"), ("2", "3")]
    builder.graph_changes.add(_create_event(UPDATE_EVENT, "3", ["2"]))
    builder.process_graph_changes()
    assert sorted(builder.uid_to_node.edges()) == [("1", "2"), ("2", "3")]
    builder.graph_changes.add(_create_event(DELETE_EVENT, "2", []))
    builder.process_graph_changes()
    assert sorted(builder.uid_to_node.edges()) == []
    assert set(builder.uid_to_node.nodes) == {"1", "3"}


# --- attemptToDeleteItem against the API server --------------------------------------------------------------------


@pytest.fixture
def rig():
    sim = Simulation(0)
    real = APIServer(sim)
    for ns in ("ns1", "ns2"):
        real.create(_ns(ns))
    api = RecordingAPI(real)
    gc = GarbageCollector(sim, api, absent_owner_cache_size=100)
    return sim, real, api, gc


def _node_for(obj: dict, *, virtual: bool = False) -> GraphNode:
    meta = obj["metadata"]
    identity = ObjectReference(obj["apiVersion"], obj["kind"], meta["name"], meta["uid"], meta.get("namespace", ""))
    return GraphNode(identity, virtual=virtual)


def test_attempt_to_delete_item(rig):
    # upstream TestAttemptToDeleteItem (a ReplicaSet stands in for the ReplicationController the model does not serve)
    _, real, api, gc = rig
    pod = real.create(
        _pod("tobedeletedpod", "ns1", [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "owner1", "uid": "123"}])
    )
    item = _node_for(pod, virtual=True)  # owners left empty: the item is read from the server
    gc.attempt_to_delete_item(item)
    assert item.virtual, "attemptToDeleteItem changed virtual to false unexpectedly"
    assert set(api.take()) == {
        "get /v1, Resource=pods ns=ns1 name=tobedeletedpod",
        "get apps/v1, Resource=replicasets ns=ns1 name=owner1",
        "delete /v1, Resource=pods ns=ns1 name=tobedeletedpod",
    }
    with pytest.raises(errors.StatusError) as gone:
        real.get("pods", "tobedeletedpod", "ns1")
    assert errors.is_not_found(gone.value)


def test_absent_owner_cache(rig):
    # upstream TestAbsentOwnerCache: rc1 looked up once (then cached and promoted), rc2 evicted by rc3
    _, real, api, gc = rig
    gc.builder.absent_owner_cache = ReferenceCache(2)

    def owner(name: str, uid: str, controller: bool | None = None) -> list[dict]:
        r = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": name, "uid": uid}
        if controller is not None:
            r["controller"] = controller
        return [r]

    pods = [
        real.create(_pod("rc1pod1", "ns1", owner("rc1", "1", True))),
        real.create(_pod("rc2pod1", "ns1", owner("rc2", "2"))),
        real.create(_pod("rc1pod2", "ns1", owner("rc1", "1", False))),
        real.create(_pod("rc3pod1", "ns1", owner("rc3", "3"))),
    ]
    for pod in pods:
        gc.attempt_to_delete_item(_node_for(pod))
    cache = gc.absent_owner_cache
    assert cache.has(ObjectReference("apps/v1", "ReplicaSet", "rc1", "1", "ns1"))
    assert not cache.has(ObjectReference("apps/v1", "ReplicaSet", "rc2", "2", "ns1"))
    assert cache.has(ObjectReference("apps/v1", "ReplicaSet", "rc3", "3", "ns1"))
    assert api.take().count("get apps/v1, Resource=replicasets ns=ns1 name=rc1") == 1


def test_delete_owner_ref_patch(rig):
    # upstream TestDeleteOwnerRefPatch, through the JSON merge patch path the model's API server speaks
    _, real, _, gc = rig
    owners = [{"apiVersion": "v1", "kind": "ConfigMap", "name": f"o{i}", "uid": str(i)} for i in (1, 2, 3)]
    pod = real.create(_pod("p", "ns1", owners))
    node = _node_for(pod)
    gc.patch(node, gc.delete_owner_ref_json_merge_patch(node, ["2", "3"]))
    assert real.get("pods", "p", "ns1")["metadata"]["ownerReferences"] == [owners[0]]
    gc.patch(node, gc.delete_owner_ref_json_merge_patch(node, ["1"]))
    assert "ownerReferences" not in real.get("pods", "p", "ns1")["metadata"]


def test_unblock_owner_reference(rig):
    # upstream TestUnblockOwnerReference (the JSON merge patch variant: every reference gets blockOwnerDeletion false)
    _, real, _, gc = rig
    owners = [
        {"apiVersion": "v1", "kind": "ConfigMap", "name": "o1", "uid": "1", "blockOwnerDeletion": True},
        {"apiVersion": "v1", "kind": "ConfigMap", "name": "o2", "uid": "2", "blockOwnerDeletion": False},
        {"apiVersion": "v1", "kind": "ConfigMap", "name": "o3", "uid": "3"},
    ]
    pod = real.create(_pod("p", "ns1", owners))
    node = _node_for(pod)
    node.owners = owners
    gc.patch(node, gc.unblock_owner_references_json_merge_patch(node))
    got = real.get("pods", "p", "ns1")["metadata"]["ownerReferences"]
    assert [r["uid"] for r in got] == ["1", "2", "3"]
    assert [r["blockOwnerDeletion"] for r in got] == [False, False, False]


def test_orphan_dependents_failure(rig):
    # upstream TestOrphanDependentsFailure: a patch that conflicts fails the orphaning with the server's message
    _, real, api, gc = rig
    pod = real.create(_pod("pod", "ns1", [{"apiVersion": "v1", "kind": "ConfigMap", "name": "o", "uid": "1"}]))
    api.fail_patch = True
    with pytest.raises(GarbageCollectionError) as info:
        gc.orphan_dependents(ObjectReference("v1", "ConfigMap", "o", "1", "ns1"), [_node_for(pod)])
    assert "the object has been modified" in str(info.value)
    assert str(info.value).startswith("failed to orphan dependents of owner [v1/ConfigMap, namespace: ns1, name: o")


def test_unknown_kind_is_a_rest_mapping_error(rig):
    _, _, _, gc = rig
    with pytest.raises(RESTMappingError) as info:
        gc.get_object(ObjectReference("extensions/v1beta1", "Deployment", "d", "u", "ns1"))
    assert str(info.value) == "unable to get REST mapping for extensions/v1beta1/Deployment."


# --- TestConflictingData ------------------------------------------------------------------------------------------


def _owner(identity: ObjectReference) -> dict:
    return {"apiVersion": identity.api_version, "kind": identity.kind, "name": identity.name, "uid": identity.uid}


def _obj(identity: ObjectReference, *owners: ObjectReference) -> dict:
    meta: dict[str, Any] = {"namespace": identity.namespace, "uid": identity.uid, "name": identity.name}
    if owners:
        meta["ownerReferences"] = [_owner(o) for o in owners]
    return {"apiVersion": identity.api_version, "kind": identity.kind, "metadata": meta}


def add_event(identity: ObjectReference, *owners: ObjectReference) -> GraphEvent:
    return GraphEvent(ADD_EVENT, _obj(identity, *owners), identity.api_version, identity.kind)


def delete_event(identity: ObjectReference, *owners: ObjectReference) -> GraphEvent:
    return GraphEvent(DELETE_EVENT, _obj(identity, *owners), identity.api_version, identity.kind)


def virtual_delete_event(identity: ObjectReference) -> GraphEvent:
    return GraphEvent(DELETE_EVENT, _obj(identity), identity.api_version, identity.kind, virtual=True)


def node(identity: ObjectReference, *owners: ObjectReference, virtual: bool = False) -> tuple:
    return (identity, virtual, [_owner(o) for o in owners])


class Steps:
    """The step functions of upstream's ``TestConflictingData`` (``processEvent``, ``processAttemptToDelete``,
    ``processPendingGraphChanges``, ``insertEvent``, ``assertState``). Items requeued with back-off are let into
    the queue before each assertion (upstream's tracking queue appends them at once)."""

    def __init__(self) -> None:
        self.sim = Simulation(0)
        self.real = APIServer(self.sim)
        for ns in ("ns1", "ns2"):
            self.real.create(_ns(ns))
        self.api = RecordingAPI(self.real)
        self.gc = GarbageCollector(self.sim, self.api, absent_owner_cache_size=100)
        self.builder = self.gc.builder
        self._seen_events: set[str] = set()

    # setup ----------------------------------------------------------------------------------------------
    def create(self, obj: dict) -> ObjectReference:
        out = self.real.create(obj)
        meta = out["metadata"]
        return ObjectReference(out["apiVersion"], out["kind"], meta["name"], meta["uid"], meta.get("namespace", ""))

    def delete_from_client(self, resource: str, name: str, namespace: str) -> None:
        self.real.delete(resource, name, namespace)

    # steps ----------------------------------------------------------------------------------------------
    def _flush(self) -> None:
        self.sim.run(until=self.sim.now + 60)

    def process_event(self, event: GraphEvent) -> None:
        assert len(self.builder.graph_changes) == 0, "pending graph changes must be processed first"
        self.builder.graph_changes.add(event)
        self.builder.process_graph_changes()
        self._flush()

    def process_attempt_to_delete(self, count: int = 1) -> None:
        for _ in range(count):
            assert len(self.gc.attempt_to_delete) > 0
            self.gc.process_attempt_to_delete_worker()
        self._flush()

    def process_pending_graph_changes(self, count: int = 1) -> None:
        for _ in range(count):
            assert len(self.builder.graph_changes) > 0
            self.builder.process_graph_changes()
        self._flush()

    def insert_event(self, event: GraphEvent) -> None:
        queue = self.builder.graph_changes
        items = []
        while len(queue):
            item = queue.get()
            queue.done(item)
            items.append(item)
        queue.add(event)
        for item in items:
            queue.add(item)

    def assert_state(
        self,
        *,
        graph_nodes: list[tuple] = (),  # type: ignore[assignment]
        pending_attempt_to_delete: list[tuple[ObjectReference, bool]] = (),  # type: ignore[assignment]
        pending_graph_changes: list[GraphEvent] = (),  # type: ignore[assignment]
        absent_owner_cache: list[ObjectReference] = (),  # type: ignore[assignment]
        client_actions: list[str] = (),  # type: ignore[assignment]
        events: list[str] = (),  # type: ignore[assignment]
    ) -> None:
        assert set(self.gc.absent_owner_cache) == set(absent_owner_cache)
        assert self._new_events() == list(events)
        assert self.api.take() == list(client_actions)
        g = self.builder.uid_to_node
        assert g.number_of_nodes() == len(graph_nodes)
        for identity, virtual, owners in graph_nodes:
            n = self.builder.read(identity.uid)
            assert n is not None, f"no node in graph with uid={identity.uid}"
            assert n.identity == identity
            assert n.virtual == virtual, identity
            assert [_owner(_ref(o)) for o in n.owners] == owners, identity
        pending = [(n.identity, n.virtual) for n in self.gc.attempt_to_delete._queue]
        assert pending == list(pending_attempt_to_delete)
        got_changes = [_describe_event(e) for e in self.builder.graph_changes._queue]
        assert got_changes == [_describe_event(e) for e in pending_graph_changes]

    def _new_events(self) -> list[str]:
        out = []
        events, _ = self.real.list("events")
        for e in events:
            if e["metadata"]["name"] in self._seen_events:
                continue
            self._seen_events.add(e["metadata"]["name"])
            inv = e["involvedObject"]
            involved = f"involvedObject{{kind={inv['kind']},apiVersion={inv['apiVersion']}}}"
            out.append(f"{e['type']} {e['reason']} {e['message']} {involved}")
        return out


def _ref(owner: dict) -> ObjectReference:
    return ObjectReference(owner["apiVersion"], owner["kind"], owner["name"], owner["uid"])


def _describe_event(e: GraphEvent) -> tuple:
    meta = e.obj["metadata"]
    return (
        e.event_type,
        e.virtual,
        e.api_version,
        e.kind,
        meta.get("namespace", ""),
        meta.get("name"),
        meta.get("uid"),
    )


def pending(identity: ObjectReference, virtual: bool = False) -> tuple[ObjectReference, bool]:
    return (identity, virtual)


def with_namespace(r: ObjectReference, namespace: str) -> ObjectReference:
    return ObjectReference(r.api_version, r.kind, r.name, r.uid, namespace)


def _invalid_ns_event(owner: ObjectReference, namespace: str, involved_kind: str) -> str:
    return (
        f'Warning OwnerRefInvalidNamespace ownerRef {owner} does not exist in namespace "{namespace}" '
        f"involvedObject{{kind={involved_kind},apiVersion=v1}}"
    )


def test_conflicting_data_good_child_in_ns1_cluster_scoped_owner():
    s = Steps()
    node1 = s.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "nodename"}})
    pod1 = s.create(_pod("podname1", "ns1", [_owner(node1)]))
    node1_ns = with_namespace(node1, "ns1")  # the virtual node takes the child's namespace
    s.process_event(add_event(pod1, node1))
    s.assert_state(
        graph_nodes=[node(pod1, node1), node(node1_ns, virtual=True)],
        pending_attempt_to_delete=[pending(node1_ns, True)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=nodes name=nodename"],
        graph_nodes=[node(pod1, node1), node(node1_ns, virtual=True)],
        pending_attempt_to_delete=[pending(node1_ns, True)],  # still not observed: requeued
    )
    s.process_event(add_event(node1))
    s.assert_state(
        graph_nodes=[node(pod1, node1), node(node1)],  # observed, namespace coordinate fixed
        pending_attempt_to_delete=[pending(node1_ns, True)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(graph_nodes=[node(pod1, node1), node(node1)])


def test_conflicting_data_bad_child_in_ns1_owner_in_ns2_child_first():
    s = Steps()
    pod2ns2 = s.create(_pod("podname2", "ns2"))
    pod2ns1 = with_namespace(pod2ns2, "ns1")
    pod1 = s.create(_pod("podname1", "ns1", [_owner(pod2ns1)]))
    s.process_event(add_event(pod1, pod2ns2))
    s.assert_state(
        graph_nodes=[node(pod1, pod2ns2), node(pod2ns1, virtual=True)],
        pending_attempt_to_delete=[pending(pod2ns1, True)],
    )
    s.process_event(add_event(pod2ns2))
    s.assert_state(
        graph_nodes=[node(pod1, pod2ns2), node(pod2ns2)],
        pending_attempt_to_delete=[pending(pod2ns1, True), pending(pod1)],
        events=[_invalid_ns_event(pod2ns1, "ns1", "Pod")],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(graph_nodes=[node(pod1, pod2ns2), node(pod2ns2)], pending_attempt_to_delete=[pending(pod1)])
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=[
            "get /v1, Resource=pods ns=ns1 name=podname1",
            "get /v1, Resource=pods ns=ns1 name=podname2",
            "delete /v1, Resource=pods ns=ns1 name=podname1",
        ],
        graph_nodes=[node(pod1, pod2ns2), node(pod2ns2)],
        absent_owner_cache=[pod2ns1],
    )
    s.process_event(delete_event(pod1))
    s.assert_state(graph_nodes=[node(pod2ns2)], absent_owner_cache=[pod2ns1])


def test_conflicting_data_bad_child_in_ns1_owner_in_ns2_owner_first():
    s = Steps()
    pod2ns2 = s.create(_pod("podname2", "ns2"))
    pod2ns1 = with_namespace(pod2ns2, "ns1")
    pod1 = s.create(_pod("podname1", "ns1", [_owner(pod2ns1)]))
    s.process_event(add_event(pod2ns2))
    s.assert_state(graph_nodes=[node(pod2ns2)])
    s.process_event(add_event(pod1, pod2ns1))
    s.assert_state(
        graph_nodes=[node(pod1, pod2ns1), node(pod2ns2)],
        pending_attempt_to_delete=[pending(pod1)],
        events=[_invalid_ns_event(pod2ns1, "ns1", "Pod")],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=[
            "get /v1, Resource=pods ns=ns1 name=podname1",
            "get /v1, Resource=pods ns=ns1 name=podname2",
            "delete /v1, Resource=pods ns=ns1 name=podname1",
        ],
        graph_nodes=[node(pod1, pod2ns1), node(pod2ns2)],
        absent_owner_cache=[pod2ns1],
    )
    s.process_event(delete_event(pod1))
    s.assert_state(graph_nodes=[node(pod2ns2)], absent_owner_cache=[pod2ns1])


def _bad_cluster_scoped_child(s: Steps) -> tuple[ObjectReference, ObjectReference, ObjectReference]:
    pod1 = s.create(_pod("podname1", "ns1"))
    pod1_no_ns = with_namespace(pod1, "")
    node1 = s.create(
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "nodename", "ownerReferences": [_owner(pod1)]}}
    )
    return pod1, pod1_no_ns, node1


def test_conflicting_data_bad_cluster_scoped_child_owner_in_ns1_child_first():
    s = Steps()
    pod1, pod1_no_ns, node1 = _bad_cluster_scoped_child(s)
    s.process_event(add_event(node1, pod1))
    s.assert_state(
        graph_nodes=[node(node1, pod1_no_ns), node(pod1_no_ns, virtual=True)],
        pending_attempt_to_delete=[pending(pod1_no_ns, True)],
    )
    s.process_attempt_to_delete(1)
    # a namespaced virtual node without a namespace coordinate is not requeued
    s.assert_state(graph_nodes=[node(node1, pod1_no_ns), node(pod1_no_ns, virtual=True)])
    s.process_event(add_event(pod1))
    s.assert_state(
        graph_nodes=[node(node1, pod1_no_ns), node(pod1)],
        events=[_invalid_ns_event(pod1_no_ns, "", "Node")],
        pending_attempt_to_delete=[pending(node1)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=nodes name=nodename"],
        graph_nodes=[node(node1, pod1_no_ns), node(pod1)],
    )


def test_conflicting_data_bad_cluster_scoped_child_owner_in_ns1_owner_first():
    s = Steps()
    pod1, pod1_no_ns, node1 = _bad_cluster_scoped_child(s)
    s.process_event(add_event(pod1))
    s.assert_state(graph_nodes=[node(pod1)])
    s.process_event(add_event(node1, pod1))
    s.assert_state(
        graph_nodes=[node(node1, pod1_no_ns), node(pod1)],
        events=[_invalid_ns_event(pod1_no_ns, "", "Node")],
        pending_attempt_to_delete=[pending(node1)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=nodes name=nodename"],
        graph_nodes=[node(node1, pod1_no_ns), node(pod1)],
    )


def _inaccessible_owner(s: Steps) -> tuple[ObjectReference, ObjectReference, ObjectReference]:
    dep_apps = s.create(_deployment("deployment1", "ns1"))
    dep_ext = ObjectReference("extensions/v1beta1", "Deployment", "deployment1", dep_apps.uid, "ns1")  # not served
    pod1 = s.create(_pod("podname1", "ns1", [_owner(dep_ext)]))
    return dep_apps, dep_ext, pod1


def test_conflicting_data_child_existing_owner_inaccessible_api_version_child_first():
    s = Steps()
    dep_apps, dep_ext, pod1 = _inaccessible_owner(s)
    s.process_event(add_event(pod1, dep_ext))
    s.assert_state(
        graph_nodes=[node(pod1, dep_ext), node(dep_ext, virtual=True)],
        pending_attempt_to_delete=[pending(dep_ext, True)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        graph_nodes=[node(pod1, dep_ext), node(dep_ext, virtual=True)],
        pending_attempt_to_delete=[pending(dep_ext, True)],  # requeued on the REST mapping error
    )
    s.process_event(add_event(dep_apps))
    s.assert_state(
        graph_nodes=[node(pod1, dep_ext), node(dep_apps)],
        pending_attempt_to_delete=[pending(dep_ext, True), pending(pod1)],
    )
    s.process_attempt_to_delete(1)  # the virtual node is dropped: the real one has been observed
    s.assert_state(graph_nodes=[node(pod1, dep_ext), node(dep_apps)], pending_attempt_to_delete=[pending(pod1)])
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=pods ns=ns1 name=podname1"],
        graph_nodes=[node(pod1, dep_ext), node(dep_apps)],
        pending_attempt_to_delete=[pending(pod1)],  # REST mapping error
    )
    s.delete_from_client("deployments", "deployment1", "ns1")
    s.process_event(delete_event(dep_apps))
    s.assert_state(
        graph_nodes=[node(pod1, dep_ext)],
        absent_owner_cache=[dep_apps],
        pending_attempt_to_delete=[pending(pod1)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=pods ns=ns1 name=podname1"],
        graph_nodes=[node(pod1, dep_ext)],
        absent_owner_cache=[dep_apps],
        pending_attempt_to_delete=[pending(pod1)],
    )


def test_conflicting_data_child_existing_owner_inaccessible_api_version_owner_first():
    s = Steps()
    dep_apps, dep_ext, pod1 = _inaccessible_owner(s)
    s.process_event(add_event(dep_apps))
    s.assert_state(graph_nodes=[node(dep_apps)])
    s.process_event(add_event(pod1, dep_ext))
    s.assert_state(graph_nodes=[node(pod1, dep_ext), node(dep_apps)], pending_attempt_to_delete=[pending(pod1)])
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=pods ns=ns1 name=podname1"],
        graph_nodes=[node(pod1, dep_ext), node(dep_apps)],
        pending_attempt_to_delete=[pending(pod1)],
    )
    s.delete_from_client("deployments", "deployment1", "ns1")
    s.process_event(delete_event(dep_apps))
    s.assert_state(
        graph_nodes=[node(pod1, dep_ext)],
        absent_owner_cache=[dep_apps],
        pending_attempt_to_delete=[pending(pod1)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=pods ns=ns1 name=podname1"],
        graph_nodes=[node(pod1, dep_ext)],
        absent_owner_cache=[dep_apps],
        pending_attempt_to_delete=[pending(pod1)],
    )


def _missing_owner_two_versions(s: Steps) -> tuple[ObjectReference, ObjectReference, ObjectReference, ObjectReference]:
    dep_apps = ObjectReference("apps/v1", "Deployment", "deployment1", "deploymentuid1", "ns1")
    dep_ext = ObjectReference("extensions/v1beta1", "Deployment", "deployment1", "deploymentuid1", "ns1")
    pod1 = s.create(_pod("podname1", "ns1", [_owner(dep_ext)]))
    pod2 = s.create(_pod("podname2", "ns1", [_owner(dep_apps)]))
    return dep_apps, dep_ext, pod1, pod2


def test_conflicting_data_child_missing_owner_inaccessible_api_version_first():
    s = Steps()
    dep_apps, dep_ext, pod1, pod2 = _missing_owner_two_versions(s)
    s.process_event(add_event(pod1, dep_ext))
    s.assert_state(
        graph_nodes=[node(pod1, dep_ext), node(dep_ext, virtual=True)],
        pending_attempt_to_delete=[pending(dep_ext, True)],
    )
    s.process_event(add_event(pod2, dep_apps))
    s.assert_state(
        graph_nodes=[node(pod1, dep_ext), node(dep_ext, virtual=True), node(pod2, dep_apps)],
        pending_attempt_to_delete=[pending(dep_ext, True), pending(pod2)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        graph_nodes=[node(pod1, dep_ext), node(dep_ext, virtual=True), node(pod2, dep_apps)],
        pending_attempt_to_delete=[pending(pod2), pending(dep_ext, True)],  # inaccessible owner requeued to the end
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=[
            "get /v1, Resource=pods ns=ns1 name=podname2",
            "get apps/v1, Resource=deployments ns=ns1 name=deployment1",
            "delete /v1, Resource=pods ns=ns1 name=podname2",
        ],
        graph_nodes=[node(pod1, dep_ext), node(dep_ext, virtual=True), node(pod2, dep_apps)],
        absent_owner_cache=[dep_apps],
        pending_attempt_to_delete=[pending(dep_ext, True)],
    )
    s.process_event(delete_event(pod2))
    s.assert_state(
        graph_nodes=[node(pod1, dep_ext), node(dep_ext, virtual=True)],
        absent_owner_cache=[dep_apps],
        pending_attempt_to_delete=[pending(dep_ext, True)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        graph_nodes=[node(pod1, dep_ext), node(dep_ext, virtual=True)],
        absent_owner_cache=[dep_apps],
        pending_attempt_to_delete=[pending(dep_ext, True)],
    )


def test_conflicting_data_child_missing_owner_accessible_api_version_first():
    s = Steps()
    dep_apps, dep_ext, pod1, pod2 = _missing_owner_two_versions(s)
    s.process_event(add_event(pod2, dep_apps))
    s.assert_state(
        graph_nodes=[node(pod2, dep_apps), node(dep_apps, virtual=True)],
        pending_attempt_to_delete=[pending(dep_apps, True)],
    )
    s.process_event(add_event(pod1, dep_ext))
    s.assert_state(
        graph_nodes=[node(pod2, dep_apps), node(dep_apps, virtual=True), node(pod1, dep_ext)],
        pending_attempt_to_delete=[pending(dep_apps, True), pending(pod1)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get apps/v1, Resource=deployments ns=ns1 name=deployment1"],  # 404
        pending_graph_changes=[virtual_delete_event(dep_apps)],
        graph_nodes=[node(pod2, dep_apps), node(dep_apps, virtual=True), node(pod1, dep_ext)],
        pending_attempt_to_delete=[pending(pod1)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=pods ns=ns1 name=podname1"],
        pending_graph_changes=[virtual_delete_event(dep_apps)],
        graph_nodes=[node(pod2, dep_apps), node(dep_apps, virtual=True), node(pod1, dep_ext)],
        pending_attempt_to_delete=[pending(pod1)],  # REST mapping error, requeued
    )
    s.process_pending_graph_changes(1)
    s.assert_state(
        graph_nodes=[node(pod2, dep_apps), node(dep_ext, virtual=True), node(pod1, dep_ext)],  # alternate identity
        absent_owner_cache=[dep_apps],
        pending_attempt_to_delete=[pending(pod1), pending(pod2), pending(dep_ext, True)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=pods ns=ns1 name=podname1"],
        graph_nodes=[node(pod2, dep_apps), node(dep_ext, virtual=True), node(pod1, dep_ext)],
        absent_owner_cache=[dep_apps],
        pending_attempt_to_delete=[pending(pod2), pending(dep_ext, True), pending(pod1)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=[
            "get /v1, Resource=pods ns=ns1 name=podname2",
            "delete /v1, Resource=pods ns=ns1 name=podname2",
        ],
        graph_nodes=[node(pod2, dep_apps), node(dep_ext, virtual=True), node(pod1, dep_ext)],
        absent_owner_cache=[dep_apps],
        pending_attempt_to_delete=[pending(dep_ext, True), pending(pod1)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        graph_nodes=[node(pod2, dep_apps), node(dep_ext, virtual=True), node(pod1, dep_ext)],
        absent_owner_cache=[dep_apps],
        pending_attempt_to_delete=[pending(pod1), pending(dep_ext, True)],
    )
    s.process_event(delete_event(pod2))
    s.assert_state(
        graph_nodes=[node(dep_ext, virtual=True), node(pod1, dep_ext)],
        absent_owner_cache=[dep_apps],
        pending_attempt_to_delete=[pending(pod1), pending(dep_ext, True)],
    )


def _wrong_kind_owner(s: Steps) -> tuple[ObjectReference, ObjectReference, ObjectReference, ObjectReference]:
    # upstream's bad reference is a v1 Secret with the Deployment's uid; the model serves no Secrets: a ConfigMap
    dep_apps = s.create(_deployment("deployment1", "ns1"))
    bad_ref = ObjectReference("v1", "ConfigMap", "secretname", dep_apps.uid, "ns1")
    bad_child = s.create(_pod("badpod", "ns1", [_owner(bad_ref)]))
    good_child = s.create(_pod("goodpod", "ns1", [_owner(dep_apps)]))
    return dep_apps, bad_ref, bad_child, good_child


def test_conflicting_data_bad_child_incorrect_api_version_bad_parent_deleted_then_good_parent():
    s = Steps()
    dep_apps, bad_ref, bad, good = _wrong_kind_owner(s)
    s.process_event(add_event(bad, bad_ref))
    s.assert_state(
        graph_nodes=[node(bad, bad_ref), node(bad_ref, virtual=True)],
        pending_attempt_to_delete=[pending(bad_ref, True)],
    )
    s.process_event(add_event(good, dep_apps))
    s.assert_state(
        graph_nodes=[node(good, dep_apps), node(bad, bad_ref), node(bad_ref, virtual=True)],
        pending_attempt_to_delete=[pending(bad_ref, True), pending(good)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=configmaps ns=ns1 name=secretname"],
        pending_graph_changes=[virtual_delete_event(bad_ref)],
        graph_nodes=[node(good, dep_apps), node(bad, bad_ref), node(bad_ref, virtual=True)],
        pending_attempt_to_delete=[pending(good)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=[
            "get /v1, Resource=pods ns=ns1 name=goodpod",
            "get apps/v1, Resource=deployments ns=ns1 name=deployment1",
        ],
        pending_graph_changes=[virtual_delete_event(bad_ref)],
        graph_nodes=[node(good, dep_apps), node(bad, bad_ref), node(bad_ref, virtual=True)],
    )
    s.process_pending_graph_changes(1)
    s.assert_state(
        graph_nodes=[node(good, dep_apps), node(bad, bad_ref), node(dep_apps, virtual=True)],
        absent_owner_cache=[bad_ref],
        pending_attempt_to_delete=[pending(bad), pending(dep_apps, True)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=pods ns=ns1 name=badpod", "delete /v1, Resource=pods ns=ns1 name=badpod"],
        graph_nodes=[node(good, dep_apps), node(bad, bad_ref), node(dep_apps, virtual=True)],
        absent_owner_cache=[bad_ref],
        pending_attempt_to_delete=[pending(dep_apps, True)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get apps/v1, Resource=deployments ns=ns1 name=deployment1"],
        graph_nodes=[node(good, dep_apps), node(bad, bad_ref), node(dep_apps, virtual=True)],
        absent_owner_cache=[bad_ref],
        pending_attempt_to_delete=[pending(dep_apps, True)],  # requeued: not yet observed
    )
    s.process_event(add_event(dep_apps))
    s.assert_state(
        graph_nodes=[node(good, dep_apps), node(bad, bad_ref), node(dep_apps)],
        absent_owner_cache=[bad_ref],
        pending_attempt_to_delete=[pending(dep_apps)],  # still queued, no longer virtual
    )
    s.process_event(delete_event(bad, bad_ref))
    s.assert_state(
        graph_nodes=[node(good, dep_apps), node(dep_apps)],
        absent_owner_cache=[bad_ref],
        pending_attempt_to_delete=[pending(dep_apps)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get apps/v1, Resource=deployments ns=ns1 name=deployment1"],
        graph_nodes=[node(good, dep_apps), node(dep_apps)],
        absent_owner_cache=[bad_ref],
    )


def test_conflicting_data_bad_child_incorrect_api_version_good_parent_sneaks_in():
    s = Steps()
    dep_apps, bad_ref, bad, good = _wrong_kind_owner(s)
    s.process_event(add_event(bad, bad_ref))
    s.process_event(add_event(good, dep_apps))
    s.process_attempt_to_delete(1)
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=[
            "get /v1, Resource=configmaps ns=ns1 name=secretname",
            "get /v1, Resource=pods ns=ns1 name=goodpod",
            "get apps/v1, Resource=deployments ns=ns1 name=deployment1",
        ],
        pending_graph_changes=[virtual_delete_event(bad_ref)],
        graph_nodes=[node(good, dep_apps), node(bad, bad_ref), node(bad_ref, virtual=True)],
    )
    s.insert_event(add_event(dep_apps))
    s.assert_state(
        pending_graph_changes=[add_event(dep_apps), virtual_delete_event(bad_ref)],
        graph_nodes=[node(good, dep_apps), node(bad, bad_ref), node(bad_ref, virtual=True)],
    )
    s.process_pending_graph_changes(1)
    s.assert_state(
        pending_graph_changes=[virtual_delete_event(bad_ref)],
        graph_nodes=[node(good, dep_apps), node(bad, bad_ref), node(dep_apps)],  # fixed, no longer virtual
        pending_attempt_to_delete=[pending(bad)],
    )
    s.process_pending_graph_changes(1)
    s.assert_state(
        graph_nodes=[node(good, dep_apps), node(bad, bad_ref), node(dep_apps)],
        absent_owner_cache=[bad_ref],
        pending_attempt_to_delete=[pending(bad)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=pods ns=ns1 name=badpod", "delete /v1, Resource=pods ns=ns1 name=badpod"],
        graph_nodes=[node(good, dep_apps), node(bad, bad_ref), node(dep_apps)],
        absent_owner_cache=[bad_ref],
    )
    s.process_event(delete_event(bad, bad_ref))
    s.assert_state(graph_nodes=[node(good, dep_apps), node(dep_apps)], absent_owner_cache=[bad_ref])


def test_conflicting_data_bad_child_incorrect_api_version_good_child_first():
    s = Steps()
    dep_apps, bad_ref, bad, good = _wrong_kind_owner(s)
    s.process_event(add_event(good, dep_apps))
    s.assert_state(
        graph_nodes=[node(good, dep_apps), node(dep_apps, virtual=True)],
        pending_attempt_to_delete=[pending(dep_apps, True)],
    )
    s.process_event(add_event(bad, bad_ref))
    s.assert_state(
        graph_nodes=[node(good, dep_apps), node(dep_apps, virtual=True), node(bad, bad_ref)],
        pending_attempt_to_delete=[pending(dep_apps, True), pending(bad)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get apps/v1, Resource=deployments ns=ns1 name=deployment1"],
        graph_nodes=[node(good, dep_apps), node(dep_apps, virtual=True), node(bad, bad_ref)],
        pending_attempt_to_delete=[pending(bad), pending(dep_apps, True)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=[
            "get /v1, Resource=pods ns=ns1 name=badpod",
            "get /v1, Resource=configmaps ns=ns1 name=secretname",
            "delete /v1, Resource=pods ns=ns1 name=badpod",
        ],
        graph_nodes=[node(good, dep_apps), node(dep_apps, virtual=True), node(bad, bad_ref)],
        absent_owner_cache=[bad_ref],
        pending_attempt_to_delete=[pending(dep_apps, True)],
    )
    s.process_event(add_event(dep_apps))
    s.assert_state(
        graph_nodes=[node(good, dep_apps), node(dep_apps), node(bad, bad_ref)],
        absent_owner_cache=[bad_ref],
        pending_attempt_to_delete=[pending(dep_apps)],
    )
    s.process_event(delete_event(bad, bad_ref))
    s.assert_state(
        graph_nodes=[node(good, dep_apps), node(dep_apps)],
        absent_owner_cache=[bad_ref],
        pending_attempt_to_delete=[pending(dep_apps)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get apps/v1, Resource=deployments ns=ns1 name=deployment1"],
        graph_nodes=[node(good, dep_apps), node(dep_apps)],
        absent_owner_cache=[bad_ref],
    )


def test_conflicting_data_cluster_scoped_bad_child_namespaced_good_child_missing_parent():
    # issue 98040
    s = Steps()
    pod1 = ObjectReference("v1", "Pod", "podname1", "poduid1", "ns1")  # missing
    pod1_no_ns = with_namespace(pod1, "")
    pod2 = s.create(_pod("podname2", "ns1", [_owner(pod1)]))
    node1 = s.create(
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "nodename", "ownerReferences": [_owner(pod1)]}}
    )
    s.process_event(add_event(node1, pod1_no_ns))
    s.assert_state(
        graph_nodes=[node(node1, pod1_no_ns), node(pod1_no_ns, virtual=True)],
        pending_attempt_to_delete=[pending(pod1_no_ns, True)],
    )
    s.process_event(add_event(pod2, pod1))
    s.assert_state(
        graph_nodes=[node(node1, pod1_no_ns), node(pod2, pod1), node(pod1_no_ns, virtual=True)],
        pending_attempt_to_delete=[pending(pod1_no_ns, True), pending(pod2)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        graph_nodes=[node(node1, pod1_no_ns), node(pod2, pod1), node(pod1_no_ns, virtual=True)],
        pending_attempt_to_delete=[pending(pod2)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=[
            "get /v1, Resource=pods ns=ns1 name=podname2",
            "get /v1, Resource=pods ns=ns1 name=podname1",
            "delete /v1, Resource=pods ns=ns1 name=podname2",
        ],
        graph_nodes=[node(node1, pod1_no_ns), node(pod2, pod1), node(pod1_no_ns, virtual=True)],
        absent_owner_cache=[pod1],
    )
    s.process_event(delete_event(pod2, pod1))
    # steady state: the bad cluster-scoped child and its bad virtual parent, with no retries
    s.assert_state(graph_nodes=[node(node1, pod1_no_ns), node(pod1_no_ns, virtual=True)], absent_owner_cache=[pod1])


def test_conflicting_data_cluster_scoped_bad_child_namespaced_good_child_late_observed_parent():
    # issue 98040
    s = Steps()
    pod1 = s.create(_pod("podname1", "ns1"))
    pod1_no_ns = with_namespace(pod1, "")
    pod2 = s.create(_pod("podname2", "ns1", [_owner(pod1)]))
    node1 = s.create(
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "nodename", "ownerReferences": [_owner(pod1)]}}
    )
    s.process_event(add_event(node1, pod1_no_ns))
    s.process_event(add_event(pod2, pod1))
    s.assert_state(
        graph_nodes=[node(node1, pod1_no_ns), node(pod2, pod1), node(pod1_no_ns, virtual=True)],
        pending_attempt_to_delete=[pending(pod1_no_ns, True), pending(pod2)],
    )
    s.process_attempt_to_delete(1)
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=pods ns=ns1 name=podname2", "get /v1, Resource=pods ns=ns1 name=podname1"],
        graph_nodes=[node(node1, pod1_no_ns), node(pod2, pod1), node(pod1_no_ns, virtual=True)],
    )
    s.process_event(add_event(pod1))
    s.assert_state(
        graph_nodes=[node(node1, pod1_no_ns), node(pod2, pod1), node(pod1)],
        events=[_invalid_ns_event(pod1_no_ns, "", "Node")],
        pending_attempt_to_delete=[pending(node1)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=nodes name=nodename"],
        graph_nodes=[node(node1, pod1_no_ns), node(pod2, pod1), node(pod1)],
    )


def test_conflicting_data_namespaced_good_child_cluster_scoped_bad_child_missing_parent():
    # issue 98040
    s = Steps()
    pod1 = ObjectReference("v1", "Pod", "podname1", "poduid1", "ns1")  # missing
    pod1_no_ns = with_namespace(pod1, "")
    pod2 = s.create(_pod("podname2", "ns1", [_owner(pod1)]))
    node1 = s.create(
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "nodename", "ownerReferences": [_owner(pod1)]}}
    )
    s.process_event(add_event(pod2, pod1))
    s.assert_state(
        graph_nodes=[node(pod2, pod1), node(pod1, virtual=True)], pending_attempt_to_delete=[pending(pod1, True)]
    )
    s.process_event(add_event(node1, pod1_no_ns))
    s.assert_state(
        graph_nodes=[node(pod2, pod1), node(node1, pod1_no_ns), node(pod1, virtual=True)],
        pending_attempt_to_delete=[pending(pod1, True), pending(node1)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=pods ns=ns1 name=podname1"],
        graph_nodes=[node(node1, pod1_no_ns), node(pod2, pod1), node(pod1, virtual=True)],
        pending_graph_changes=[virtual_delete_event(pod1)],
        pending_attempt_to_delete=[pending(node1)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=["get /v1, Resource=nodes name=nodename"],
        graph_nodes=[node(node1, pod1_no_ns), node(pod2, pod1), node(pod1, virtual=True)],
        pending_graph_changes=[virtual_delete_event(pod1)],
    )
    s.process_pending_graph_changes(1)
    s.assert_state(
        graph_nodes=[node(node1, pod1_no_ns), node(pod2, pod1), node(pod1_no_ns, virtual=True)],
        absent_owner_cache=[pod1],
        pending_attempt_to_delete=[pending(pod2), pending(pod1_no_ns, True)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(
        client_actions=[
            "get /v1, Resource=pods ns=ns1 name=podname2",
            "delete /v1, Resource=pods ns=ns1 name=podname2",
        ],
        graph_nodes=[node(node1, pod1_no_ns), node(pod2, pod1), node(pod1_no_ns, virtual=True)],
        absent_owner_cache=[pod1],
        pending_attempt_to_delete=[pending(pod1_no_ns, True)],
    )
    s.process_event(delete_event(pod2, pod1))
    s.assert_state(
        graph_nodes=[node(node1, pod1_no_ns), node(pod1_no_ns, virtual=True)],
        absent_owner_cache=[pod1],
        pending_attempt_to_delete=[pending(pod1_no_ns, True)],
    )
    s.process_attempt_to_delete(1)
    s.assert_state(graph_nodes=[node(node1, pod1_no_ns), node(pod1_no_ns, virtual=True)], absent_owner_cache=[pod1])


# --- integration: a Cluster with kubelets -------------------------------------------------------------------------


def _cluster(seed: int = 1, nodes: int = 2) -> tuple[Cluster, GarbageCollector]:
    c = Cluster(seed)
    gc = GarbageCollector(c.sim, c.api, informer_factory=c.shared_informer)
    c.add_control_plane_component("garbage-collector-controller", gc)
    c.add_nodes(nodes)
    return c, gc


def _chain(c: Cluster, replicas: int = 3, *, block: bool = True) -> tuple[dict, dict, list[dict]]:
    """A Deployment → ReplicaSet → Pods chain, built by hand as the controllers would build it (labels, selectors
    and replica counts consistent, so that a ReplicaSet or Deployment controller running in the cluster finds
    nothing to change; the Deployment is paused, so it makes no ReplicaSet of its own)."""
    labels = {"app": "web", "pod-template-hash": "5d4f8"}
    d = _deployment("web")
    d["spec"].update(replicas=replicas, paused=True)
    d = c.api.create(d)
    rs = _replicaset("web-5d4f8", owners=[ref(d, controller=True, block=block)])
    rs["metadata"]["labels"] = dict(labels)
    rs["spec"].update(replicas=replicas, selector={"matchLabels": dict(labels)})
    rs["spec"]["template"]["metadata"]["labels"] = dict(labels)
    rs = c.api.create(rs)
    pods = [
        c.api.create(_pod(f"web-5d4f8-{i}", "default", [ref(rs, controller=True, block=block)], labels=labels))
        for i in range(replicas)
    ]
    return d, rs, pods


def _names(c: Cluster, resource: str, namespace: str = "default") -> list[str]:
    return [o["metadata"]["name"] for o in c.api.list(resource, namespace)[0]]


def _gone_at(c: Cluster, resource: str, name: str) -> float:
    """When the API server deleted the object (the log's delete record)."""
    log = c.events("api")
    rows = log[(log.verb == "delete") & (log.resource == resource) & (log.name == name) & (log.code == 200)]
    # the last delete of the object is the one that removed it (a graceful delete logs an update first)
    return float(rows.time.iloc[-1])


def test_graph_mirrors_owner_references():
    c, gc = _cluster()
    d, rs, pods = _chain(c, 2)
    c.run_for("10s")
    g = gc.dependency_graph()
    assert isinstance(g, nx.DiGraph)
    duid, rsuid = d["metadata"]["uid"], rs["metadata"]["uid"]
    assert g.has_edge(duid, rsuid)
    assert g.edges[duid, rsuid] == {"blockOwnerDeletion": True, "controller": True}
    for p in pods:
        assert g.has_edge(rsuid, p["metadata"]["uid"])
    assert g.nodes[rsuid] == {
        "kind": "ReplicaSet",
        "apiVersion": "apps/v1",
        "name": "web-5d4f8",
        "namespace": "default",
        "uid": rsuid,
        "virtual": False,
        "beingDeleted": False,
        "deletingDependents": False,
    }
    # every node's Lease is owned by its Node (the kubelet sets the reference)
    leases = [n for n, a in g.nodes(data=True) if a["kind"] == "Lease"]
    assert len(leases) == 2 and all(g.in_degree(n) == 1 for n in leases)
    assert "events" not in {a["kind"].lower() + "s" for _, a in g.nodes(data=True)}


def test_background_deletion_cascades_down_the_chain():
    c, gc = _cluster()
    _, _, pods = _chain(c)
    c.run_for("30s")
    assert all(p["status"]["phase"] == "Running" for p in c.api.list("pods", "default")[0])
    t0 = c.now
    c.delete("deployments", "web")  # kubectl's default cascade: background
    assert "web" not in _names(c, "deployments")  # the owner goes at once
    c.run_for("1m")
    assert _names(c, "replicasets") == []
    assert _names(c, "pods") == []
    # the ReplicaSet goes before its Pods are deleted; the Pods terminate gracefully on their nodes
    rs_gone = _gone_at(c, "replicasets.apps", "web-5d4f8")
    assert t0 <= rs_gone
    log = c.events("gc.delete")
    assert list(log.propagationPolicy) == ["Background"] * 4
    assert all(_gone_at(c, "pods", p["metadata"]["name"]) >= rs_gone for p in pods)
    assert gc.dependency_graph().number_of_edges() == 2  # only the Leases' owners are left


def test_foreground_deletion_waits_for_blocking_dependents():
    c, _ = _cluster()
    _, _, pods = _chain(c)
    c.run_for("30s")
    c.delete("deployments", "web", cascade="foreground")
    held = c.api.get("deployments", "web")
    assert held["metadata"]["finalizers"] == ["foregroundDeletion"] and held["metadata"]["deletionTimestamp"]
    c.run_for("1m")
    assert _names(c, "deployments") == [] and _names(c, "replicasets") == [] and _names(c, "pods") == []
    pods_gone = max(_gone_at(c, "pods", p["metadata"]["name"]) for p in pods)
    rs_gone = _gone_at(c, "replicasets.apps", "web-5d4f8")
    d_gone = _gone_at(c, "deployments.apps", "web")
    assert pods_gone <= rs_gone <= d_gone
    # the ReplicaSet has dependents of its own, so it too was deleted in the foreground
    policies = dict(
        zip(
            c.events("gc.delete").item.str.extract(r"name: ([\w-]+)")[0],
            c.events("gc.delete").propagationPolicy,
            strict=True,
        )
    )
    assert policies["web-5d4f8"] == "Foreground"
    assert {policies[p["metadata"]["name"]] for p in pods} == {"Background"}
    removed = list(c.events("gc.remove_finalizer").finalizer)
    assert removed == ["foregroundDeletion", "foregroundDeletion"]


def test_foreground_owner_is_held_while_a_blocking_pod_terminates():
    c, _ = _cluster()
    _, _, pods = _chain(c, 1)
    c.run_for("30s")
    c.fail_node(c.api.get("pods", pods[0]["metadata"]["name"])["spec"]["nodeName"])  # its kubelet cannot finish
    c.delete("replicasets", "web-5d4f8", cascade="foreground")
    c.run_for("2m")
    # the Pod is Terminating for ever (its kubelet is down) and holds its owner back
    assert c.api.get("pods", pods[0]["metadata"]["name"])["metadata"]["deletionTimestamp"]
    assert c.api.get("replicasets", "web-5d4f8")["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert c.events("gc.waiting_for_dependents").shape[0] >= 1
    # force-deleting the Pod (grace period 0) releases the owner
    c.api.delete("pods", pods[0]["metadata"]["name"], "default", grace_period_seconds=0)
    c.run_for("5s")
    assert _names(c, "replicasets") == []


def test_foreground_deletion_does_not_wait_for_non_blocking_dependents():
    c, _ = _cluster()
    _chain(c, 2, block=False)
    c.run_for("30s")
    c.delete("replicasets", "web-5d4f8", cascade="foreground")
    c.run(until=c.now)  # the same instant: the graph builder and the workers run
    c.run_for("1s")
    assert _names(c, "replicasets") == []  # no blocking dependent: the finalizer goes at once
    c.run_for("1m")
    assert _names(c, "pods") == []  # then the Pods are garbage, collected in the background


def test_orphan_deletion_keeps_dependents_without_the_reference():
    c, _ = _cluster()
    _, _, pods = _chain(c)
    c.run_for("30s")
    c.delete("replicasets", "web-5d4f8", cascade="orphan")
    c.run_for("30s")
    assert _names(c, "replicasets") == []
    remaining = c.api.list("pods", "default")[0]
    assert sorted(p["metadata"]["name"] for p in remaining) == sorted(p["metadata"]["name"] for p in pods)
    assert all("ownerReferences" not in p["metadata"] for p in remaining)
    assert all(p["status"]["phase"] == "Running" for p in remaining)
    # the Deployment still owns nothing now and stays
    assert _names(c, "deployments") == ["web"]
    assert list(c.events("gc.remove_finalizer").finalizer) == ["orphan"]


def test_dangling_owner_reference_is_collected():
    c, gc = _cluster()
    ghost = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "name": "ghost",
        "uid": "00000000-0000-4000-8000-000000000000",
    }
    c.api.create(_pod("orphaned", "default", [ghost]))
    c.run_for("30s")
    assert _names(c, "pods") == []
    assert ObjectReference("apps/v1", "ReplicaSet", "ghost", ghost["uid"], "default") in set(gc.absent_owner_cache)
    assert not gc.graph_has_uid(ghost["uid"])  # the virtual node went with its last dependent


def test_owner_with_another_uid_is_not_an_owner():
    c, _ = _cluster()
    rs = c.api.create(_replicaset("web"))
    stale = {**ref(rs), "uid": "11111111-1111-4111-8111-111111111111"}  # a former ReplicaSet of the same name
    c.api.create(_pod("stale", "default", [stale]))
    c.run_for("30s")
    assert "stale" not in _names(c, "pods")
    assert _names(c, "replicasets") == ["web"]


def test_a_pod_with_a_remaining_owner_only_loses_the_dangling_reference():
    c, _ = _cluster()
    a = c.api.create(_replicaset("a", app="a"))
    b = c.api.create(_replicaset("b", app="b"))
    c.api.create(_pod("shared", "default", [ref(a), ref(b)]))
    c.run_for("10s")
    c.delete("replicasets", "a")
    c.run_for("10s")
    pod = c.api.get("pods", "shared")
    assert pod["metadata"]["ownerReferences"] == [ref(b)]
    assert list(c.events("gc.remove_owner_references").item) == [
        f"[v1/Pod, namespace: default, name: shared, uid: {pod['metadata']['uid']}]"
    ]


def test_owner_in_another_namespace_gets_an_event_and_the_dependent_is_collected():
    c, _ = _cluster()
    c.api.create(_ns("other"))
    rs = c.api.create(_replicaset("web", namespace="other"))
    pod = c.api.create(_pod("confused", "default", [ref(rs)]))
    c.run_for("30s")
    assert _names(c, "pods") == []
    assert _names(c, "replicasets", "other") == ["web"]
    events = [e for e in c.api.list("events", "default")[0] if e["reason"] == "OwnerRefInvalidNamespace"]
    assert len(events) == 1
    e = events[0]
    assert e["type"] == "Warning" and e["source"]["component"] == "garbage-collector-controller"
    assert e["involvedObject"]["name"] == "confused" and e["involvedObject"]["uid"] == pod["metadata"]["uid"]
    assert e["message"] == (
        f"ownerRef [apps/v1/ReplicaSet, namespace: default, name: web, uid: {rs['metadata']['uid']}] "
        'does not exist in namespace "default"'
    )


def test_gc_is_deterministic():
    def run() -> list:
        c, _ = _cluster(seed=7)
        _chain(c)
        c.run_for("20s")
        c.delete("deployments", "web", cascade="foreground")
        c.run_for("40s")
        return c.events([k for k in set(c.events().kind) if k.startswith("gc.")]).to_dict("records")

    assert run() == run()


def test_stop_and_start_again():
    c, gc = _cluster()
    _chain(c, 1)
    c.run_for("10s")
    gc.stop()
    c.delete("replicasets", "web-5d4f8")
    c.run_for("10s")
    assert len(_names(c, "pods")) == 1  # nobody collects while the collector is stopped
    gc.start()
    c.run_for("30s")
    assert _names(c, "pods") == []


# --- with the ReplicaSet and Deployment controllers ---------------------------------------------------------------


def _controlled_cluster(seed: int = 1, *, deployments: bool = False) -> Cluster:
    from k8smodel.controllers.replicaset import ReplicaSetController

    c = Cluster(seed)
    rs_inf, pod_inf = c.shared_informer("replicasets"), c.shared_informer("pods")
    c.add_control_plane_component(
        "replicaset-controller", ReplicaSetController(c.sim, c.api, rs_informer=rs_inf, pod_informer=pod_inf)
    )
    if deployments:
        from k8smodel.controllers.deployment import DeploymentController

        c.add_control_plane_component(
            "deployment-controller",
            DeploymentController(
                c.sim,
                c.api,
                deployment_informer=c.shared_informer("deployments"),
                replicaset_informer=rs_inf,
                pod_informer=pod_inf,
            ),
        )
    c.add_control_plane_component(
        "garbage-collector-controller", GarbageCollector(c.sim, c.api, informer_factory=c.shared_informer)
    )
    c.add_nodes(2)
    return c


def _pod_creates_after(c: Cluster, t: float) -> int:
    log = c.events("api")
    return int(((log.verb == "create") & (log.resource == "pods") & (log.time > t) & (log.code == 201)).sum())


@pytest.mark.parametrize("cascade", ["background", "foreground"])
def test_replicaset_controller_pods_are_collected_and_not_recreated(cascade):
    c = _controlled_cluster()
    c.api.create(_replicaset("web") | {"spec": {**_replicaset("web")["spec"], "replicas": 3}})
    c.run_for("30s")
    pods = c.api.list("pods", "default")[0]
    assert len(pods) == 3
    # the ReplicaSet controller set the references the collector follows
    assert all(p["metadata"]["ownerReferences"][0]["blockOwnerDeletion"] is True for p in pods)
    t0 = c.now
    c.delete("replicasets", "web", cascade=cascade)
    c.run_for("1m")
    assert _names(c, "replicasets") == [] and _names(c, "pods") == []
    assert _pod_creates_after(c, t0) == 0  # a ReplicaSet being deleted makes no replacements


def test_orphaned_pods_are_adopted_by_a_new_replicaset():
    c = _controlled_cluster()
    c.api.create(_replicaset("web") | {"spec": {**_replicaset("web")["spec"], "replicas": 2}})
    c.run_for("30s")
    before = sorted(_names(c, "pods"))
    c.delete("replicasets", "web", cascade="orphan")
    c.run_for("10s")
    assert sorted(_names(c, "pods")) == before
    assert all("ownerReferences" not in p["metadata"] for p in c.api.list("pods", "default")[0])
    rs = c.api.create(_replicaset("web2") | {"spec": {**_replicaset("web2")["spec"], "replicas": 2}})
    c.run_for("10s")
    pods = c.api.list("pods", "default")[0]
    assert sorted(p["metadata"]["name"] for p in pods) == before  # adopted, not replaced
    assert all(p["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"] for p in pods)


def test_deleting_a_deployment_deletes_its_replicasets_and_pods():
    c = _controlled_cluster(deployments=True)
    c.api.create(_deployment("web") | {"spec": {**_deployment("web")["spec"], "replicas": 3}})
    c.run_for("1m")
    assert len(_names(c, "replicasets")) == 1 and len(_names(c, "pods")) == 3
    t0 = c.now
    c.delete("deployments", "web")
    c.run_for("1m")
    assert _names(c, "deployments") == [] and _names(c, "replicasets") == [] and _names(c, "pods") == []
    assert _pod_creates_after(c, t0) == 0


def test_a_removed_nodes_lease_is_collected():
    # the kubelet makes its Node the owner of its Lease (kube-node-lease/<node>); when the Node goes, so does it
    c, _ = _cluster(nodes=2)
    c.run_for("20s")
    lease = c.api.get("leases", "node-2", "kube-node-lease")
    assert lease["metadata"]["ownerReferences"][0]["kind"] == "Node"
    c.remove_node("node-2")
    c.run_for("5s")
    assert [x["metadata"]["name"] for x in c.api.list("leases", "kube-node-lease")[0]] == ["node-1"]
