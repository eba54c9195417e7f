"""Benchmark of the node side: kubelets' heartbeats and the node controllers, on the simulated clock.

1. **5,000 nodes heartbeating for 10 simulated minutes** (budget: 30 s wall): ``Cluster.add_nodes(5000)`` over
   three zones; every kubelet renews its Lease every 10 s and posts node status; the node IPAM controller gives each
   Node its Pod CIDR (a ``/24`` of ``10.244.0.0/16`` holds 256 blocks, so this run uses ``10.0.0.0/8``, 65,536 of
   them); the node lifecycle controller checks all 5,000 nodes every 5 s. Printed: wall time for adding the nodes and
   for the 10 minutes, monitor passes and their mean cost, the API writes by kind.
2. **100 nodes and 3,000 pods for one simulated hour** (budget: 5 s wall): Pods created with ``spec.nodeName`` (no
   scheduler needed), a readiness probe on each, a few scripted crashes (``k8smodel.io/behavior``), and one node
   that fails at 10 minutes and comes back at 40 (its Pods are evicted at about 16 minutes).

Run: ``.venv/bin/python benchmarks/bench_nodes.py [nodes] [minutes]``. Prints figures; asserts nothing about time.
The machine may be shared: the figures are wall-clock, so a busy machine shows up in them.
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from k8smodel.cluster import Cluster
from k8smodel.kubelet import behavior_annotation


def heartbeats(nodes: int = 5000, minutes: float = 10.0) -> None:
    c = Cluster(seed=0, cluster_cidr="10.0.0.0/8")
    c.sim.log_enabled = True
    t0 = time.perf_counter()
    c.add_nodes(nodes, zones=["zone-a", "zone-b", "zone-c"], region="region-1")
    t1 = time.perf_counter()
    c.run_for(minutes * 60)
    t2 = time.perf_counter()
    lifecycle = c.control_plane["node-lifecycle-controller"]
    items, _ = c.api.list("nodes")
    ready = sum(
        any(cond["type"] == "Ready" and cond["status"] == "True" for cond in n["status"].get("conditions") or [])
        for n in items
    )
    with_cidr = sum(bool(n["spec"].get("podCIDR")) for n in items)
    log = c.events("api")
    writes = Counter(f"{r.verb} {r.resource}" for r in log.itertuples() if r.code < 300)
    print(f"{nodes} nodes, {minutes:g} simulated minutes")
    print(f"  add_nodes:            {t1 - t0:6.2f} s wall")
    print(f"  run:                  {t2 - t1:6.2f} s wall   (budget 30 s for 5,000 nodes x 10 min)")
    print(f"  total:                {t2 - t0:6.2f} s wall")
    print(f"  ready nodes:          {ready} / {len(items)}, with a podCIDR: {with_cidr}")
    print(f"  monitor passes:       {lifecycle.passes} (every 5 s)")
    print(f"  zone states:          {sorted(set(lifecycle.zone_states.values()))}")
    print("  API writes:           " + ", ".join(f"{k}: {v}" for k, v in writes.most_common(8)))
    t = time.perf_counter()
    for _ in range(10):
        lifecycle.monitor_node_health()
    print(f"  one monitor pass:     {(time.perf_counter() - t) / 10 * 1000:6.2f} ms over {nodes} nodes")


def workload(nodes: int = 100, pods: int = 3000, hours: float = 1.0) -> None:
    c = Cluster(seed=0)
    c.sim.log_enabled = False
    t0 = time.perf_counter()
    c.add_nodes(nodes, zones=["zone-a", "zone-b"], region="region-1")
    crash = behavior_annotation({"web": {"exitAfter": "20m", "exitCode": 1}})
    for i in range(pods):
        annotations = crash if i % 300 == 7 else {}
        c.api.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": f"web-{i}",
                    "namespace": "default",
                    "annotations": annotations,
                    "ownerReferences": [
                        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "uid": "rs", "controller": True}
                    ],
                },
                "spec": {
                    "nodeName": f"node-{i % nodes + 1}",
                    "containers": [
                        {
                            "name": "web",
                            "image": "nginx:1.27",
                            "ports": [{"containerPort": 80}],
                            "readinessProbe": {"httpGet": {"path": "/", "port": 80}},
                        }
                    ],
                },
            }
        )
    t1 = time.perf_counter()
    c.run("10m")
    c.fail_node("node-1")
    c.run("40m")
    c.recover_node("node-1")
    c.run(hours * 3600)
    t2 = time.perf_counter()
    items, _ = c.api.list("pods", "default")
    phases = Counter((p.get("status") or {}).get("phase") for p in items)
    deleting = sum(bool(p["metadata"].get("deletionTimestamp")) for p in items)
    restarts = sum(
        cs.get("restartCount", 0) for p in items for cs in (p.get("status") or {}).get("containerStatuses") or []
    )
    events, _ = c.api.list("events", "default")
    reasons = Counter(e["reason"] for e in events)
    print(f"{nodes} nodes, {pods} pods, {hours:g} simulated hour(s)")
    print(f"  setup:                {t1 - t0:6.2f} s wall")
    print(f"  run:                  {t2 - t1:6.2f} s wall   (budget 5 s)")
    print(f"  pods left:            {len(items)} {dict(phases)}, {deleting} terminating, {restarts} restarts")
    print("  events by reason:     " + ", ".join(f"{k}: {v}" for k, v in reasons.most_common(10)))


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    m = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    heartbeats(n, m)
    workload()
