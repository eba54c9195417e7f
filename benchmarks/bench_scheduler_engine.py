"""Benchmark of the scheduling engine: decisions per second at 500 and 5,000 Nodes with ~30 Pods per Node already
placed, default profile (the engine alone: snapshot + schedule + assume; no API server, no queue).

Also: the cost of one ``snapshot()`` + ``schedule()`` + ``assume_pod()`` split by step, a Pod owned by a
ReplicaSet (PodTopologySpread's system default constraints active through listers), an unschedulable Pod (every
Node evaluated, FitError message built), ``add_pod`` (confirming an assumed Pod) and cache fill rate.

Wall time and process CPU time are both printed: on a shared machine the CPU time is the steadier figure.

Run: ``.venv/bin/python benchmarks/bench_scheduler_engine.py [decisions]``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from typing import Any

from k8smodel.scheduler.cache import Cache
from k8smodel.scheduler.config import default_config

ZONES = [f"zone-{i}" for i in range(10)]


def node(i: int) -> dict[str, Any]:
    name = f"node-{i:05d}"
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": {
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "topology.kubernetes.io/region": "region-1",
                "topology.kubernetes.io/zone": ZONES[i % len(ZONES)],
            },
        },
        "spec": {},
        "status": {"allocatable": {"cpu": "32", "memory": "128Gi", "pods": "110", "ephemeral-storage": "100Gi"}},
    }


def pod(i: int, node_name: str | None = None, owner: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "name": f"pod-{i}",
        "namespace": "default",
        "uid": f"uid-{i}",
        "labels": {"app": "bench" if owner is None else owner},
    }
    if owner is not None:
        meta["ownerReferences"] = [
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": owner, "uid": f"rs-{owner}", "controller": True}
        ]
    spec: dict[str, Any] = {
        "containers": [
            {"name": "c", "image": "nginx:1.27", "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}
        ]
    }
    if node_name is not None:
        spec["nodeName"] = node_name
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


class Listers:
    """Just enough listers for PodTopologySpread's default selector: one ReplicaSet per owner name."""

    def services(self, namespace: str) -> list:
        return []

    def replica_set(self, namespace: str, name: str) -> dict:
        return {
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": {"matchLabels": {"app": name}}},
        }


def build(n_nodes: int, per_node: int) -> tuple[Cache, float]:
    cache = Cache()
    t0 = time.perf_counter()
    for i in range(n_nodes):
        cache.add_node(node(i))
    k = 0
    for i in range(n_nodes):
        name = f"node-{i:05d}"
        for _ in range(per_node):
            owner = "web" if k % 2 else None
            cache.add_pod(pod(k, name, owner))
            k += 1
    cache.snapshot()
    return cache, time.perf_counter() - t0


def run(n_nodes: int, decisions: int, per_node: int = 30) -> None:
    cache, fill = build(n_nodes, per_node)
    pods_placed = n_nodes * per_node
    print(f"\n{n_nodes} nodes, {pods_placed} pods placed (cache fill {fill:.2f} s, {pods_placed / fill:,.0f} pods/s)")
    cfg = default_config()
    fw = cfg.framework(rng=random.Random(1), listers=Listers())
    base = 10_000_000
    # warm up
    for j in range(50):
        p = pod(base + j)
        r = fw.schedule(p, cache.snapshot())
        cache.assume_pod(p, r.node)  # type: ignore[arg-type]
    gc.collect()
    t_snap = t_sched = t_assume = 0.0
    clock = time.perf_counter
    cpu0 = time.process_time()
    t0 = clock()
    for j in range(decisions):
        p = pod(base + 1000 + j)
        a = clock()
        snap = cache.snapshot()
        b = clock()
        r = fw.schedule(p, snap)
        c = clock()
        cache.assume_pod(p, r.node)  # type: ignore[arg-type]
        d = clock()
        t_snap += b - a
        t_sched += c - b
        t_assume += d - c
    total = clock() - t0
    cpu = time.process_time() - cpu0
    print(
        f"  plain Pod: {decisions / total:,.0f} decisions/s ({total / decisions * 1e6:.0f} µs each, "
        f"{cpu / decisions * 1e6:.0f} µs of CPU: "
        f"snapshot {t_snap / decisions * 1e6:.0f}, schedule {t_sched / decisions * 1e6:.0f}, "
        f"assume {t_assume / decisions * 1e6:.0f}); evaluated {r.evaluated_nodes}, feasible {r.feasible_nodes}"
    )
    # a Pod owned by a ReplicaSet: the system default spreading (hostname + zone) scores
    t0 = clock()
    n = max(decisions // 4, 50)
    for j in range(n):
        p = pod(base + 500_000 + j, owner="web")
        r = fw.schedule(p, cache.snapshot())
        cache.assume_pod(p, r.node)  # type: ignore[arg-type]
    total = clock() - t0
    print(f"  ReplicaSet Pod (default topology spread): {n / total:,.0f} decisions/s ({total / n * 1e6:.0f} µs each)")
    # confirming assumed Pods (the informer's add)
    t0 = clock()
    for j in range(n):
        p = pod(base + 500_000 + j, owner="web")
        p["spec"]["nodeName"] = cache.get_pod(p)["spec"]["nodeName"]  # type: ignore[index]
        cache.add_pod(p)
    total = clock() - t0
    print(f"  add_pod confirming an assumed Pod: {total / n * 1e6:.1f} µs")
    # an unschedulable Pod: every Node evaluated, FitError built
    big = pod(base + 900_000)
    big["spec"]["containers"][0]["resources"]["requests"]["cpu"] = "64"
    m = 20
    t0 = clock()
    for _ in range(m):
        r = fw.schedule(big, cache.snapshot())
    total = clock() - t0
    print(f"  unschedulable Pod: {total / m * 1e3:.2f} ms each; {r.message}")


def main() -> None:
    decisions = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for n in (500, 5000):
        run(n, decisions)


if __name__ == "__main__":
    main()
