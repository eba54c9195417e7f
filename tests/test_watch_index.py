"""The watch fan-out's trigger index: Pod watches selecting ``spec.nodeName`` (cacher.go ``indexedTrigger``)."""

from __future__ import annotations

from k8smodel import Cluster


def _pod(name: str, node: str | None = None) -> dict:
    spec: dict = {"containers": [{"name": "c", "image": "nginx"}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def test_node_watch_sees_only_its_pods_including_the_binding() -> None:
    c = Cluster()
    api = c.api
    rv = str(c.etcd.revision)
    on_a = api.watch("pods", None, rv, field_selector="spec.nodeName=node-a")
    on_b = api.watch("pods", None, rv, field_selector="spec.nodeName=node-b")
    unassigned = api.watch("pods", None, rv, field_selector="spec.nodeName=")
    everything = api.watch("pods", None, rv)
    api.create(_pod("p1", "node-a"), namespace="default")
    api.create(_pod("p2"), namespace="default")
    api.bind("p2", "default", "node-b")
    api.create(_pod("p3", "node-b"), namespace="default")
    api.delete("pods", "p1", "default", grace_period_seconds=0)

    def seen(w):
        return [(t, o["metadata"]["name"]) for t, o in w.drain()]

    # a grace-0 delete of a bound Pod writes deletionTimestamp first, then removes the key (as upstream)
    assert seen(on_a) == [("ADDED", "p1"), ("MODIFIED", "p1"), ("DELETED", "p1")]
    assert seen(on_b) == [("ADDED", "p2"), ("ADDED", "p3")]
    assert seen(unassigned) == [("ADDED", "p2"), ("DELETED", "p2")]
    assert [t for t, _ in seen(everything)] == ["ADDED", "ADDED", "MODIFIED", "ADDED", "MODIFIED", "DELETED"]


def test_indexed_watch_stops_cleanly() -> None:
    c = Cluster()
    w = c.api.watch("pods", None, str(c.etcd.revision), field_selector="spec.nodeName=node-a")
    w.stop()
    c.api.create(_pod("p1", "node-a"), namespace="default")
    assert w.drain() == []
    assert "/registry/pods/" not in c.api.fanout._groups
