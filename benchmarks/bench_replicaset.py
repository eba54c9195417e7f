"""Benchmark of the ReplicaSet controller: a 1,000-replica ReplicaSet on 100 nodes, from ``apply`` until every Pod
is Running and the ReplicaSet reports 1,000 available replicas.

Prints the wall-clock seconds of the whole run (cluster and nodes built, simulation run) and of the simulated
part alone, the simulated seconds it took, and what the controller did (reconciles, slow-start batches, API
requests). ``--profile`` runs it under cProfile and prints the 25 most expensive functions (cumulative).

Run: ``.venv/bin/python benchmarks/bench_replicaset.py [--replicas N] [--nodes N] [--profile]``.
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

from k8smodel.cluster import Cluster
from k8smodel.controllers.replicaset import ReplicaSetController

MANIFEST = """
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources:
          requests: {{cpu: 10m, memory: 16Mi}}
"""


def run(replicas: int, nodes: int) -> dict[str, float]:
    t0 = time.perf_counter()
    cluster = Cluster(seed=0)
    controller = ReplicaSetController(
        cluster.sim,
        cluster.api,
        rs_informer=cluster.shared_informer("replicasets"),
        pod_informer=cluster.shared_informer("pods"),
    )
    cluster.add_control_plane_component("replicaset-controller", controller)
    cluster.add_nodes(nodes, cpu="32", memory="64Gi", pods=max(110, 2 * replicas // nodes))
    cluster.run_for("30s")  # nodes Ready
    t1 = time.perf_counter()
    start = cluster.now
    cluster.apply(MANIFEST.format(replicas=replicas))
    done_at = None
    for _ in range(600):  # at most 10 simulated minutes, checked every second
        cluster.run_for(1)
        status = controller.rs_informer.get("default/web").get("status") or {}
        if status.get("availableReplicas", 0) == replicas:
            running = sum(
                1 for p in controller.pod_informer.list(namespace="default") if p["status"].get("phase") == "Running"
            )
            if running == replicas:
                done_at = cluster.now
                break
    t2 = time.perf_counter()
    log = cluster.sim.events(["replicaset.slow_start_batch", "api"])
    batches = log[log["kind"] == "replicaset.slow_start_batch"]
    return {
        "wall_total": t2 - t0,
        "wall_setup": t1 - t0,
        "wall_rollout": t2 - t1,
        "simulated": (done_at - start) if done_at is not None else float("nan"),
        "reconciles": controller.reconciles,
        "batches": len(batches),
        "batch_sizes": ",".join(str(s) for s in batches["size"]),
        "api_writes": int((log["kind"] == "api").sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=1000)
    parser.add_argument("--nodes", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="run under cProfile and print the top functions")
    args = parser.parse_args()
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        figures = run(args.replicas, args.nodes)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    else:
        figures = run(args.replicas, args.nodes)
    print(f"ReplicaSet of {args.replicas} replicas on {args.nodes} nodes, until all Running and available")
    print(f"  wall seconds, total (cluster, nodes, rollout):  {figures['wall_total']:8.2f}")
    print(f"  wall seconds, setup (cluster and nodes Ready):  {figures['wall_setup']:8.2f}")
    print(f"  wall seconds, the ReplicaSet's rollout:         {figures['wall_rollout']:8.2f}")
    print(f"  simulated seconds until all Running/available:  {figures['simulated']:8.2f}")
    print(f"  reconciles:                                     {figures['reconciles']:8d}")
    print(f"  slow-start batches: {figures['batches']} ({figures['batch_sizes']})")
    print(f"  API writes logged:                              {figures['api_writes']:8d}")


if __name__ == "__main__":
    main()
