"""The scheduler cache's speed path (issue 6's budget) leaves what the general one leaves.

``Cache.update_pod`` of a Pod whose new version shares the cached version's ``spec`` object and label set skips
``removePod`` + ``addPod``'s arithmetic (:meth:`~k8smodel.scheduler.cache.Cache._update_status_only`). Two caches
get the same random adds, status-only updates, label and deletion updates and removals, one with the speed path
turned off; after each step everything a plugin can read is compared: each Node's Pods (in order, with the Pod
objects), its affinity lists, sums and ports, the numbers' columns and the snapshot's label-set counts.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.scheduler.cache import Cache

NODES = ["n1", "n2", "n3"]


def _node(name: str) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, "zone": name[-1]}},
        "status": {"allocatable": {"cpu": "8", "memory": "16Gi", "pods": "110"}},
    }


def _pod(i: int, draw: Any) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "c", "image": "nginx"}
    cpu = draw(st.sampled_from([None, "100m", "1"]))
    if cpu:
        container["resources"] = {"requests": {"cpu": cpu, "memory": "64Mi"}}
    if draw(st.integers(0, 4)) == 0:
        container["ports"] = [{"containerPort": 80, "hostPort": 8000 + i % 2}]
    spec: dict[str, Any] = {"containers": [container], "nodeName": draw(st.sampled_from(NODES))}
    if draw(st.integers(0, 3)) == 0:
        term = {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "zone"}
        kind = draw(st.sampled_from(["podAffinity", "podAntiAffinity"]))
        spec["affinity"] = {kind: {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}
    return {
        "metadata": {"name": f"p{i}", "namespace": "default", "uid": f"uid-{i}", "labels": {"app": "web"}},
        "spec": spec,
        "status": {"phase": "Pending"},
    }


def _next_version(pod: dict[str, Any], draw: Any) -> dict[str, Any]:
    """A new version as the API server hands it out: new metadata and status dicts, the spec object shared
    (a status write) or, now and then, a copy (a spec change)."""
    new = dict(pod)
    new["metadata"] = copy.deepcopy(pod["metadata"])
    new["status"] = {"phase": draw(st.sampled_from(["Pending", "Running"])), "startTime": "2025-01-01T00:00:00Z"}
    change = draw(st.sampled_from(["status", "status", "status", "labels", "deleting", "spec"]))
    if change == "labels":
        new["metadata"]["labels"] = {"app": draw(st.sampled_from(["web", "db"]))}
    elif change == "deleting":
        new["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:00Z"
    elif change == "spec":
        new["spec"] = copy.deepcopy(pod["spec"])
    return new


def _view(cache: Cache) -> Any:
    snap = cache.snapshot()
    out = []
    for name in NODES:
        info = cache.node_info(name)
        if info is None:
            out.append(None)
            continue
        out.append(
            (
                [(p.key, id(p.pod), p.labels, p.start_time, p.lsid, p.terminating) for p in info.pods],
                [p.key for p in info.pods_with_affinity],
                [p.key for p in info.pods_with_required_anti_affinity],
                dict(info.requested),
                dict(info.non_zero),
                {ip: sorted(s) for ip, s in info.used_ports.items()},
                [[p.key for p in (snap.get(name).pods if snap.get(name) else [])]],
            )
        )
    web = snap.count_pods(lambda ns, labels, terminating: labels.get("app") == "web").tolist()
    memo = snap.pod_counts("web-live", lambda ns, labels, terminating: labels.get("app") == "web" and not terminating)
    return out, cache.num.tolist(), web, memo.tolist(), cache.n_aff_pods, cache.n_anti_pods, list(cache.errors)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_status_only_updates_leave_what_remove_and_add_leave(data):
    fast, slow = Cache(), Cache()
    slow._update_status_only = lambda *a: False  # type: ignore[method-assign]
    for cache in (fast, slow):
        for name in NODES:
            cache.add_node(_node(name))
    pods: dict[int, dict[str, Any]] = {}
    for step in range(data.draw(st.integers(1, 30))):
        op = data.draw(st.sampled_from(["add", "update", "update", "update", "remove"]))
        if op == "add" or not pods:
            pod = _pod(step, data.draw)
            pods[step] = pod
            for cache in (fast, slow):
                cache.add_pod(pod)
        elif op == "update":
            i = data.draw(st.sampled_from(sorted(pods)))
            new = _next_version(pods[i], data.draw)
            for cache in (fast, slow):
                cache.update_pod(pods[i], new)
            pods[i] = new
        else:
            i = data.draw(st.sampled_from(sorted(pods)))
            for cache in (fast, slow):
                cache.remove_pod(pods.pop(i) if cache is slow else pods[i])
        assert _view(fast) == _view(slow)


def test_default_selector_cache_answers_as_the_listers_do(monkeypatch: Any) -> None:
    """PodTopologySpread keeps the system default selector per Pod shape (labels, controller, Services' version):
    while Services that select a ReplicaSet's Pods are added, changed and removed between scale-ups of that same
    ReplicaSet, and through a rollout, every answer it gives is the one ``default_selector`` computes from the
    listers at that moment, the answers changed with the Services, and siblings shared cache entries."""
    from k8smodel.cluster import Cluster
    from k8smodel.rollout import rollout_status, scale, set_image
    from k8smodel.scheduler.plugins import podtopologyspread as pts

    answers: list[Any] = []
    entries: list[int] = []
    original = pts.PodTopologySpread._default_selector

    def checking(self: Any, pod: Any) -> Any:
        got = original(self, pod)
        assert got == pts.default_selector(pod, self.framework.listers)
        answers.append(got)
        entries.append(len(self._selectors))
        return got

    monkeypatch.setattr(pts.PodTopologySpread, "_default_selector", checking)
    cluster = Cluster(seed=1)
    cluster.add_nodes(3, cpu="8", memory="32Gi")
    cluster.run_for("20s")
    cluster.apply(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web, tier: front}}\n"
        "    spec:\n      containers: [{name: nginx, image: 'nginx:1.26'}]\n"
    )
    rollout_status(cluster.api, "web", timeout="5m")
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: %s\n  ports: [{port: 80}]\n"
    replicas = 3
    for step in ("{tier: front}", "{tier: back}", "{tier: front, app: web}", None):
        if step is None:
            cluster.delete("service", "web")
        else:
            cluster.apply(service % step)
        cluster.run_for("1s")
        replicas += 2
        scale(cluster.api, "web", replicas)  # new Pods of the same ReplicaSet
        rollout_status(cluster.api, "web", timeout="5m")
    set_image(cluster.api, "deployment/web", {"nginx": "nginx:1.27"})
    rollout_status(cluster.api, "web", timeout="5m")
    assert len(answers) >= 3 + 8 + 11  # every Pod was scheduled through it
    assert len(set(answers)) >= 4  # the Services changed the answers: none, tier=front, tier=front+app=web, new RS
    assert max(entries) < len(answers)  # fewer entries than answers: siblings shared them
