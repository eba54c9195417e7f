"""Benchmark of the API server: typed creates and updates per second through the whole pipeline (authn, RBAC,
admission, validation, etcd), watch deliveries per second with 10 watchers, and the memory (RSS growth) of 150,000 Pods.

Also: creates per second of a realistic mix (a Deployment's worth of Pods with probes, ports, env, limits and an
owner reference, plus Deployments), and where a create's time goes, stage by stage (µs per create, measured in a
separate pass with each stage wrapped in a timer, so the figures above carry no timing overhead).

Run: ``.venv/bin/python benchmarks/bench_apiserver.py [pods]``. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from k8smodel.apiserver import APIServer, UserInfo, admission, registry
from k8smodel.apiserver import server as server_module
from k8smodel.etcd import Store
from k8smodel.sim import Simulation

RBAC = "rbac.authorization.k8s.io"
CONTROLLER = UserInfo("system:serviceaccount:kube-system:replicaset-controller", ("system:serviceaccounts",))


def pod(i: int) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"web-{i}", "labels": {"app": "web", "pod-template-hash": "abc123"}},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.27", "resources": {"requests": {"cpu": "100m"}}}]},
    }


def rich_pod(i: int) -> dict:
    """A Pod as a ReplicaSet controller writes it: owner reference, ports, env, requests and limits, probes."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"web-7d4b9c-{i}",
            "labels": {"app": "web", "pod-template-hash": "7d4b9c"},
            "annotations": {"example.com/revision": "3"},
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "name": "web-7d4b9c",
                    "uid": "0b8f1f7e-5c1a-4b7e-9a57-3f0c2d1e4a6b",
                    "controller": True,
                    "blockOwnerDeletion": True,
                }
            ],
        },
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "image": "nginx:1.27",
                    "ports": [{"name": "http", "containerPort": 80}],
                    "env": [{"name": "MODE", "value": "production"}],
                    "resources": {
                        "requests": {"cpu": "100m", "memory": "64Mi"},
                        "limits": {"cpu": "200m", "memory": "128Mi"},
                    },
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 80}},
                    "readinessProbe": {"tcpSocket": {"port": "http"}},
                }
            ]
        },
    }


def deployment(i: int) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": f"web-{i}", "labels": {"app": "web"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web", "instance": f"web-{i}"}},
            "template": {
                "metadata": {"labels": {"app": "web", "instance": f"web-{i}"}},
                "spec": {
                    "containers": [{"name": "web", "image": "nginx:1.27", "resources": {"requests": {"cpu": "100m"}}}]
                },
            },
        },
    }


def mix(n: int) -> list[dict]:
    """``n`` objects: one Deployment for every four Pods."""
    return [deployment(i) if i % 5 == 4 else rich_pod(i) for i in range(n)]


def server(sim: Simulation) -> APIServer:
    api = APIServer(sim)
    api.create(
        {
            "apiVersion": f"{RBAC}/v1",
            "kind": "ClusterRole",
            "metadata": {"name": "pods-writer"},
            "rules": [
                {"apiGroups": [""], "resources": ["pods", "pods/status"], "verbs": ["*"]},
                {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["*"]},
            ],
        }
    )
    api.create(
        {
            "apiVersion": f"{RBAC}/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "pods-writer"},
            "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "pods-writer"},
            "subjects": [{"kind": "ServiceAccount", "name": "replicaset-controller", "namespace": "kube-system"}],
        }
    )
    return api


def bench_writes(n: int) -> None:
    sim = Simulation(seed=1)
    sim.log_enabled = False
    api = server(sim)
    pods = [pod(i) for i in range(n)]
    t0 = time.perf_counter()
    created = [api.create(p, user=CONTROLLER) for p in pods]
    t1 = time.perf_counter()
    for p in created:
        p["status"]["phase"] = "Running"
    t2 = time.perf_counter()
    for p in created:
        api.update_status(p, user=CONTROLLER)
    t3 = time.perf_counter()
    print(f"creates:  {n / (t1 - t0):9,.0f} /s  ({n} Pods, RBAC-checked service account, validation on)")
    print(f"updates:  {n / (t3 - t2):9,.0f} /s  (status updates)")


def bench_mix(n: int) -> None:
    sim = Simulation(seed=1)
    sim.log_enabled = False
    api = server(sim)
    objs = mix(n)
    t0 = time.perf_counter()
    for obj in objs:
        api.create(obj, user=CONTROLLER)
    t1 = time.perf_counter()
    print(f"mix:      {n / (t1 - t0):9,.0f} /s  ({n} creates: rich Pods and 1 Deployment in 5, service account)")


# The stages of APIServer._create, each a function the pass below wraps in a timer.
STAGES: list[tuple[Any, str, str]] = [
    (APIServer, "_begin", "authn + RBAC"),
    (admission, "default", "defaulting"),
    (APIServer, "admit", "admission plugins"),
    (registry.Strategy, "prepare_for_create", "PrepareForCreate"),
    (admission, "validate", "validation"),
    (server_module, "encode", "encode (JSON)"),
    (Store, "txn", "etcd txn + watch"),
    (APIServer, "_log_write", "log"),
]


def bench_stages(name: str, objs: list[dict]) -> None:
    """µs per create spent in each stage (``other``: request set-up, kind lookup, uid, timestamps, ...)."""
    spent: dict[str, float] = {label: 0.0 for _, _, label in STAGES}
    originals = [(owner, attr, getattr(owner, attr)) for owner, attr, _ in STAGES]

    def timed(fn: Callable[..., Any], label: str) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - t

        return wrapper

    sim = Simulation(seed=1)
    sim.log_enabled = False
    api = server(sim)
    try:
        for (owner, attr, label), (_, _, fn) in zip(STAGES, originals, strict=True):
            setattr(owner, attr, timed(fn, label))
        t0 = time.perf_counter()
        for obj in objs:
            api.create(obj, user=CONTROLLER)
        total = time.perf_counter() - t0
    finally:
        for owner, attr, fn in originals:
            setattr(owner, attr, fn)
    n = len(objs)
    parts = [f"{label} {seconds / n * 1e6:.1f}" for label, seconds in spent.items()]
    other = total - sum(spent.values())
    print(f"stages:   {name}: {total / n * 1e6:.1f} µs/create = " + ", ".join(parts) + f", other {other / n * 1e6:.1f}")


def bench_watch(n: int, watchers: int = 10) -> None:
    sim = Simulation(seed=1)
    sim.log_enabled = False
    api = server(sim)
    counts = [0] * watchers
    for i in range(watchers):

        def cb(_t: str, _o: dict, i: int = i) -> None:
            counts[i] += 1

        api.watch("pods", resource_version=str(api.store.revision), callback=cb)
    t0 = time.perf_counter()
    for i in range(n):
        api.create(pod(i), user=CONTROLLER)
    t1 = time.perf_counter()
    total = sum(counts)
    assert total == n * watchers
    print(f"watch:    {total / (t1 - t0):9,.0f} deliveries/s with {watchers} watchers ({n / (t1 - t0):,.0f} creates/s)")


def _rss() -> int:
    """Resident set size in bytes (Linux ``/proc/self/statm``)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def bench_memory(n: int) -> None:
    gc.collect()
    sim = Simulation(seed=1)
    sim.log_enabled = False
    api = APIServer(sim)
    base = _rss()
    template = pod(0)
    t0 = time.perf_counter()
    for i in range(n):
        template["metadata"]["name"] = f"web-{i}"
        api.create(template)
    t1 = time.perf_counter()
    gc.collect()
    used = _rss() - base
    print(
        f"memory:   {used / 2**20:9,.0f} MiB RSS growth for {n:,} Pods in etcd "
        f"({used / n:,.0f} bytes/Pod; {n / (t1 - t0):,.0f} creates/s as admin)"
    )


if __name__ == "__main__":
    pods = int(sys.argv[1]) if len(sys.argv) > 1 else 150_000
    bench_writes(20_000)
    bench_mix(20_000)
    bench_stages("Pod", [pod(i) for i in range(10_000)])
    bench_stages("mix", mix(10_000))
    bench_watch(10_000)
    bench_memory(pods)
