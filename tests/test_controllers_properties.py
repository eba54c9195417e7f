"""Property: after any seeded sequence of failures, the controllers converge to the desired state.

The issue's correctness property for the controllers, run with hypothesis on a small cluster (three nodes, two
ReplicaSets, the ReplicaSet controller and the garbage collector, on top of the scheduler, the kubelets and the node
controllers that every Cluster runs):

* a sequence of Pod deletions, container kills, node failures (crash or network partition) and recoveries, scale
  changes and relabelled Pods (a Pod taken out of one ReplicaSet's selector, sometimes into the other's), with
  simulated time passing between them;
* then the failures stop: every node recovers and the cluster runs for 15 simulated minutes (long enough for the
  node lifecycle controller's 300 s evictions and the kubelet's 5-minute CrashLoopBackOff cap);
* then every ReplicaSet has converged: ``status.replicas == status.readyReplicas == spec.replicas``, its
  ``observedGeneration`` is its ``generation``, and it controls exactly ``spec.replicas`` active Pods, all Running
  and ready;
* and, at every observation point along the way (after each step's time has passed), no ReplicaSet controls a Pod
  its selector does not match.

It is an end-to-end test: it checks what the controllers promise, not how they get there.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8smodel import Cluster
from k8smodel.api.labels import label_selector_as_selector
from k8smodel.controllers.garbagecollector import GarbageCollector
from k8smodel.controllers.replicaset import ReplicaSetController

APPS = ("a", "b")
NODES = 3


def _replicaset(app: str, replicas: int) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": f"rs-{app}", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": app}},
            "template": {
                "metadata": {"labels": {"app": app}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        },
    }


def _cluster(seed: int, replicas: tuple[int, int]) -> Cluster:
    c = Cluster(seed)
    c.add_control_plane_component(
        "replicaset-controller",
        ReplicaSetController(
            c.sim, c.api, rs_informer=c.shared_informer("replicasets"), pod_informer=c.shared_informer("pods")
        ),
    )
    c.add_control_plane_component(
        "garbage-collector-controller", GarbageCollector(c.sim, c.api, informer_factory=c.shared_informer)
    )
    c.add_nodes(NODES)
    for app, n in zip(APPS, replicas, strict=True):
        c.api.create(_replicaset(app, n))
    return c


def _controller(pod: dict) -> dict | None:
    return next((r for r in pod["metadata"].get("ownerReferences") or () if r.get("controller")), None)


def _active(pod: dict) -> bool:
    return not pod["metadata"].get("deletionTimestamp") and pod.get("status", {}).get("phase") not in (
        "Succeeded",
        "Failed",
    )


def _pods_of(c: Cluster, rs: dict) -> list[dict]:
    uid = rs["metadata"]["uid"]
    pods, _ = c.api.list("pods", "default")
    return [p for p in pods if (_controller(p) or {}).get("uid") == uid]


def _ready(pod: dict) -> bool:
    return any(
        cond.get("type") == "Ready" and cond.get("status") == "True"
        for cond in (pod.get("status") or {}).get("conditions") or ()
    )


def check_ownership(c: Cluster) -> None:
    """No ReplicaSet controls a Pod its selector does not match."""
    replicasets = {rs["metadata"]["uid"]: rs for rs in c.api.list("replicasets", "default")[0]}
    for pod in c.api.list("pods", "default")[0]:
        ref = _controller(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            continue
        rs = replicasets.get(ref["uid"])
        if rs is None:
            continue  # an owner that is gone: the garbage collector's business
        selector = label_selector_as_selector(rs["spec"]["selector"])
        labels = pod["metadata"].get("labels") or {}
        assert selector.matches(labels), (
            f"t={c.now}: {rs['metadata']['name']} controls {pod['metadata']['name']} with labels {labels}"
        )


def check_converged(c: Cluster) -> None:
    for rs in c.api.list("replicasets", "default")[0]:
        name = rs["metadata"]["name"]
        want = rs["spec"]["replicas"]
        status = rs.get("status") or {}
        assert status.get("observedGeneration") == rs["metadata"]["generation"], name
        assert status.get("replicas", 0) == want, (name, status)
        assert status.get("readyReplicas", 0) == want, (name, status)
        active = [p for p in _pods_of(c, rs) if _active(p)]
        assert len(active) == want, (name, [p["metadata"]["name"] for p in active])
        for pod in active:
            assert pod["status"]["phase"] == "Running" and _ready(pod), (name, pod["metadata"]["name"], pod["status"])


# --- the actions --------------------------------------------------------------------------------------------------

steps = st.one_of(
    st.tuples(st.just("delete_pod"), st.sampled_from(APPS), st.integers(0, 9)),
    st.tuples(st.just("kill_container"), st.sampled_from(APPS), st.integers(0, 9)),
    st.tuples(st.just("fail_node"), st.integers(1, NODES), st.sampled_from(("crash", "partition"))),
    st.tuples(st.just("recover_node"), st.integers(1, NODES), st.just("")),
    st.tuples(st.just("scale"), st.sampled_from(APPS), st.integers(0, 4)),
    st.tuples(st.just("relabel"), st.sampled_from(APPS), st.sampled_from(("a", "b", "stray"))),
)


def _pick(c: Cluster, app: str, index: int, *, running: bool = False) -> dict | None:
    rs = c.api.get("replicasets", f"rs-{app}", "default")
    pods = sorted(
        (p for p in _pods_of(c, rs) if _active(p) and (not running or p["status"].get("phase") == "Running")),
        key=lambda p: p["metadata"]["name"],
    )
    return pods[index % len(pods)] if pods else None


def apply_step(c: Cluster, step: tuple[str, Any, Any]) -> None:
    action, a, b = step
    if action == "delete_pod":
        pod = _pick(c, a, b)
        if pod is not None:
            c.api.delete("pods", pod["metadata"]["name"], "default")
    elif action == "kill_container":
        pod = _pick(c, a, b, running=True)
        if pod is not None and c.nodes[pod["spec"]["nodeName"]].running:
            c.kill_container(pod["metadata"]["name"], "c")
    elif action == "fail_node":
        name = f"node-{a}"
        if c.nodes[name].running and c.nodes[name].reachable:
            c.fail_node(name, b)
    elif action == "recover_node":
        c.recover_node(f"node-{a}")
    elif action == "scale":
        c.api.patch("replicasets", f"rs-{a}", "default", {"spec": {"replicas": b}})
    elif action == "relabel":
        pod = _pick(c, a, 0)
        if pod is not None:
            c.api.patch("pods", pod["metadata"]["name"], "default", {"metadata": {"labels": {"app": b}}})


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**16),
    replicas=st.tuples(st.integers(1, 4), st.integers(0, 3)),
    plan=st.lists(st.tuples(steps, st.integers(5, 120)), min_size=1, max_size=8),
)
def test_replicasets_converge_after_failures_stop(seed, replicas, plan):
    c = _cluster(seed, replicas)
    c.run_for("1m")
    check_converged(c)
    for step, gap in plan:
        apply_step(c, step)
        c.run_for(gap)
        check_ownership(c)
    for i in range(1, NODES + 1):  # the failures stop
        c.recover_node(f"node-{i}")
    c.run_for("15m")
    check_ownership(c)
    check_converged(c)


def test_a_relabelled_pod_changes_hands():
    """A worked example of the property: a Pod relabelled from ReplicaSet a's selector into b's is released by a
    (which makes a replacement) and adopted by b (which then has one too many and deletes one)."""
    c = _cluster(5, (2, 2))
    c.run_for("1m")
    rs_a = c.api.get("replicasets", "rs-a", "default")
    rs_b = c.api.get("replicasets", "rs-b", "default")
    moved = sorted(p["metadata"]["name"] for p in _pods_of(c, rs_a))[0]
    c.api.patch("pods", moved, "default", {"metadata": {"labels": {"app": "b"}}})
    c.run_for("1m")
    check_ownership(c)
    check_converged(c)
    remaining = {p["metadata"]["name"]: p for p in c.api.list("pods", "default")[0]}
    pod = remaining.get(moved)  # b kept the adopted Pod (and deleted one of its own), or deleted it
    if pod is not None and _active(pod):
        assert _controller(pod)["uid"] == rs_b["metadata"]["uid"]
    assert moved not in {p["metadata"]["name"] for p in _pods_of(c, rs_a)}
