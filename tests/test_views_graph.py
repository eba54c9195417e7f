"""The cluster graph (k8smodel/views/graph.py): built from the store, its edges, and the queries chapters use.

``deletion_closure`` is checked against the model's own garbage collector and namespace controller: what the
closure predicts is exactly what a real deletion removes. Its invariants (the garbage collector's solid-owner rule
from ``classifyReferences`` in ``pkg/controller/garbagecollector/garbagecollector.go``) are property-tested on
random owner graphs.
"""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel import Cluster
from k8smodel.views import graph as G

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers: [{name: web, image: nginx:1.25}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: headless-by-hand}
spec:
  ports: [{port: 80}]
"""

SHOP = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: cart, image: nginx:1.25}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""


def small_cluster(seed: int = 3) -> Cluster:
    cluster = Cluster(seed=seed)
    cluster.add_nodes(4, zones=["zone-a", "zone-b"])
    cluster.run_for("15s")
    cluster.apply(WEB)
    cluster.apply(SHOP)
    cluster.run_for("1m")
    return cluster


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return small_cluster()


@pytest.fixture(scope="module")
def g(cluster: Cluster) -> nx.MultiDiGraph:
    return G.cluster_graph(cluster)


def names(g: nx.MultiDiGraph, ids: list[str]) -> list[str]:
    return [g.nodes[i]["name"] for i in ids]


# --- built from the store ---------------------------------------------------------------------------------------


def test_every_object_is_a_node(cluster: Cluster, g: nx.MultiDiGraph) -> None:
    for kind in G.GRAPH_KINDS:
        items, _ = cluster.api.list(kind)
        assert sorted(G.of_kind(g, kind)) == sorted(G.object_id({**o, "kind": kind}) for o in items), kind
    pod = g.nodes[G.of_kind(g, "Pod")[0]]
    assert pod["state"] == "Running" and pod["ready"] and pod["ip"]
    node = g.nodes["Node/node-1"]
    assert node["zone"] == "zone-a" and node["status"] == "Ready" and node["allocatable"]["pods"] == 110


def test_reading_changes_nothing(cluster: Cluster) -> None:
    logged, revision = cluster.sim.event_count, cluster.etcd.revision
    g = G.cluster_graph(cluster)
    assert (cluster.sim.event_count, cluster.etcd.revision) == (logged, revision)  # reads are not logged
    g.remove_nodes_from(list(g))  # the graph is a copy: emptying it leaves the cluster alone
    assert len(G.cluster_graph(cluster)) > 0


def test_a_fresh_graph_follows_the_store() -> None:
    cluster = small_cluster(seed=4)
    before = G.cluster_graph(cluster)
    cluster.scale("deployment/web", 7)
    cluster.run_for("20s")
    after = G.cluster_graph(cluster)
    assert len(G.of_kind(after, "Pod")) == len(G.of_kind(before, "Pod")) + 1


def test_ownership_edges_follow_owner_references(cluster: Cluster, g: nx.MultiDiGraph) -> None:
    (rs,) = [r for r in G.dependents(g, "Deployment/default/web")]
    assert g.nodes[rs]["kind"] == "ReplicaSet"
    pods = G.dependents(g, rs)
    assert len(pods) == 6
    for p in pods:
        assert G.owners(g, p) == [rs]
        assert g.nodes[p]["owner"] == "Deployment/default/web"  # top of the controller chain
        assert g.edges[rs, p, "owns"]["controller"] and g.edges[rs, p, "owns"]["blockOwnerDeletion"]


def test_scheduled_on_matches_node_name(cluster: Cluster, g: nx.MultiDiGraph) -> None:
    items, _ = cluster.api.list("pods")
    for pod in items:
        pid = G.object_id({**pod, "kind": "Pod"})
        targets = [v for _, v, k in g.out_edges(pid, keys=True) if k == "scheduled-on"]
        assert targets == [f"Node/{pod['spec']['nodeName']}"]


def test_components_watch_what_their_informers_list(g: nx.MultiDiGraph) -> None:
    def watched(component: str) -> set[str]:
        cid = G.component_id(component)
        return {g.nodes[v]["name"] for _, v, k in g.out_edges(cid, keys=True) if k == "watches"}

    assert watched("replicaset-controller") == {"ReplicaSet", "Pod"}
    assert watched("deployment-controller") == {"Deployment", "ReplicaSet", "Pod"}
    assert watched("kube-scheduler") == {"Node", "Pod"}
    assert {"Pod", "ReplicaSet", "Deployment", "Namespace"} <= watched("garbage-collector-controller")
    # the kubelet's lister-watcher does not say what it lists: the table, citing upstream
    edge = g.edges["component/kubelet/node-1", "kind/Pod", "watches"]
    assert edge["source"] == "pkg/kubelet/config/apiserver.go" and edge["field_selector"] == "spec.nodeName=node-1"
    assert g.has_edge("component/kubelet/node-1", "Node/node-1", "runs-on")
    assert g.nodes[G.component_id("replicaset-controller")]["process"] == "kube-controller-manager"
    # components never call each other: each talks only to the API server, which alone talks to etcd
    for _u, v, k in g.edges(keys=True):
        if k == "requests":
            assert v == "component/kube-apiserver"
    assert [v for _, v, k in g.out_edges("component/kube-apiserver", keys=True)] == ["component/etcd"]


def test_architecture_is_the_components_part(g: nx.MultiDiGraph) -> None:
    a = G.architecture(g)
    assert {d["kind"] for _, d in a.nodes(data=True)} == {"Component", "Kind", "Node"}
    assert {k for _, _, k in a.edges(keys=True)} == {"requests", "stores-in", "watches", "runs-on"}
    assert len(G.of_kind(a, "Node")) == 4


# --- queries ------------------------------------------------------------------------------------------------------


def test_selected_by_uses_the_service_selector_in_its_namespace(g: nx.MultiDiGraph) -> None:
    selected = G.selected_by(g, "svc/web")
    assert len(selected) == 6 and all(p.startswith("Pod/default/") for p in selected)
    assert len(G.selected_by(g, "svc/web", namespace="shop")) == 2  # same selector, other namespace
    # endpointslice_controller.go syncService: a Service without a selector gets no endpoints from the controller
    assert G.selected_by(g, "Service/default/headless-by-hand") == []


def test_selected_by_refuses_what_is_not_a_service(g: nx.MultiDiGraph) -> None:
    with pytest.raises(G.GraphError, match="is a Deployment, not a Service"):
        G.selected_by(g, "deployment/web")
    with pytest.raises(G.GraphError, match="Service/default/nope is not in the graph"):
        G.selected_by(g, "svc/nope")
    with pytest.raises(G.GraphError, match="not a graph id"):
        G.selected_by(g, "web")


def test_pods_sharing_node(g: nx.MultiDiGraph) -> None:
    shared = G.pods_sharing_node(g)
    assert list(shared) == sorted(shared, key=G.natural_key)
    everyone = G.pods_sharing_node(g, min_pods=1)
    assert sum(len(p) for p in everyone.values()) == len(G.of_kind(g, "Pod"))
    assert all(len(p) >= 2 for p in shared.values())
    with pytest.raises(G.GraphError, match="min_pods must be at least 1"):
        G.pods_sharing_node(g, min_pods=0)


def test_deletion_closure_orders(g: nx.MultiDiGraph) -> None:
    background = G.deletion_closure(g, "deploy/web")
    assert background[0] == "Deployment/default/web" and g.nodes[background[1]]["kind"] == "ReplicaSet"
    assert len(background) == 1 + 1 + 6
    foreground = G.deletion_closure(g, "deploy/web", "Foreground")
    assert foreground == list(reversed(background)) and foreground[-1] == "Deployment/default/web"
    assert G.deletion_closure(g, "deploy/web", "Orphan") == ["Deployment/default/web"]
    with pytest.raises(G.GraphError, match="propagation must be one of Background, Foreground, Orphan"):
        G.deletion_closure(g, "deploy/web", "background")


@pytest.mark.parametrize("cascade", ["background", "foreground", "orphan"])
def test_deletion_closure_is_what_the_garbage_collector_deletes(cascade: str) -> None:
    cluster = small_cluster(seed=5)
    before = G.cluster_graph(cluster, components=False)
    predicted = set(G.deletion_closure(before, "deploy/web", cascade.capitalize()))
    cluster.delete("deployments", "web", cascade=cascade)
    cluster.run_for("2m")  # graceful Pod deletion takes 30 s
    after = G.cluster_graph(cluster, components=False)
    removed = {n for n in before if n not in after}
    assert removed == predicted


def test_deletion_closure_of_a_namespace_is_what_the_namespace_controller_deletes() -> None:
    cluster = small_cluster(seed=6)
    before = G.cluster_graph(cluster, components=False)
    order = G.deletion_closure(before, "ns/shop")
    assert order[-1] == "Namespace/shop"  # removed last, after its contents
    assert {before.nodes[n]["kind"] for n in order} == {"Namespace", "Deployment", "ReplicaSet", "Pod", "Service"}
    cluster.delete("namespaces", "shop")
    cluster.run_for("3m")
    after = G.cluster_graph(cluster, components=False)
    assert {n for n in before if n not in after} == set(order)


def test_a_dependent_with_a_surviving_owner_is_kept() -> None:
    """classifyReferences: a dependent with a solid owner is not deleted (the collector removes the dangling
    reference instead)."""
    cluster = Cluster(seed=1)
    cluster.apply(
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {ports: [{port: 80}]}\n"
    )
    a = cluster.api.get("services", "a", "default")
    b = cluster.api.get("services", "b", "default")

    def ref(svc: dict) -> dict:
        return {"apiVersion": "v1", "kind": "Service", "name": svc["metadata"]["name"], "uid": svc["metadata"]["uid"]}

    for name, owners in [("both", [ref(a), ref(b)]), ("only-a", [ref(a)])]:
        cluster.api.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": name, "ownerReferences": owners},
                "spec": {"containers": [{"name": "c", "image": "busybox"}]},
            },
            namespace="default",
        )
    g = G.cluster_graph(cluster)
    assert G.deletion_closure(g, "svc/a") == ["Service/default/a", "Pod/default/only-a"]
    assert set(G.deletion_closure(g, "svc/b")) == {"Service/default/b"}


# --- properties of deletion_closure on random owner graphs ------------------------------------------------------


@st.composite
def owner_graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    """A random DAG of ``owns`` edges between objects 0..n-1 (owners always have lower numbers)."""
    n = draw(st.integers(min_value=1, max_value=12))
    g = nx.MultiDiGraph(time=0.0)
    for i in range(n):
        g.add_node(f"ReplicaSet/default/o{i}", kind="ReplicaSet", name=f"o{i}", namespace="default")
    for j in range(1, n):
        owners = draw(st.lists(st.integers(min_value=0, max_value=j - 1), max_size=3, unique=True))
        for i in owners:
            g.add_edge(f"ReplicaSet/default/o{i}", f"ReplicaSet/default/o{j}", key="owns", type="owns")
    return g


@settings(max_examples=200, deadline=None)
@given(owner_graphs(), st.data())
def test_deletion_closure_properties(g: nx.MultiDiGraph, data: st.DataObject) -> None:
    root = data.draw(st.sampled_from(sorted(g)))
    policy = data.draw(st.sampled_from(G.PROPAGATION_POLICIES))
    order = G.deletion_closure(g, root, policy)
    gone = set(order)
    assert root in gone and len(order) == len(gone)
    if policy == "Orphan":
        assert order == [root]
        return
    for n in gone - {root}:  # deleted only when no owner survives
        assert all(o in gone for o in G.owners(g, n))
    for n in set(g) - gone:  # and every object whose owners are all gone is deleted (nothing left behind)
        owners = G.owners(g, n)
        assert not owners or any(o not in gone for o in owners)
    position = {n: i for i, n in enumerate(order)}
    for n in gone - {root}:
        for o in G.owners(g, n):
            if policy == "Foreground":
                assert position[n] < position[o]  # dependents leave before their owners
            else:
                assert position[o] < position[n]
