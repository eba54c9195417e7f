"""Benchmark of the API server: typed creates and updates per second through the whole pipeline (authn, RBAC,
admission, validation, etcd), watch deliveries per second with 10 watchers, and the memory (RSS growth) of 150,000 Pods.

Run: ``.venv/bin/python benchmarks/bench_apiserver.py [pods]``. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import gc
import os
import sys
import time

from k8smodel.apiserver import APIServer, UserInfo
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


def server(sim: Simulation) -> APIServer:
    api = APIServer(sim)
    api.create(
        {
            "apiVersion": f"{RBAC}/v1",
            "kind": "ClusterRole",
            "metadata": {"name": "pods-writer"},
            "rules": [{"apiGroups": [""], "resources": ["pods", "pods/status"], "verbs": ["*"]}],
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
    bench_watch(10_000)
    bench_memory(pods)
