"""Benchmark of the scheduler: Pods placed per second at 500 and 5,000 Nodes, and the wall time to place 150,000 Pods
on 5,000 Nodes (Kubernetes' supported envelope).

The setup is upstream's ``scheduler_perf`` ``SchedulingBasic``: Nodes of 4 CPUs, 32 GiB and 110 Pods
(``node-default.yaml``), Pods requesting 100m CPU and 500 MiB (``pod-default.yaml``), the default profile. The Pods
are created first (they wait in the scheduler's queue: the simulated clock does not move while the script creates
them), then the clock runs and the scheduler drains the queue; only that drain is timed. Each placement is a whole
``ScheduleOne``: pop, snapshot, framework, assume, the ``pods/binding`` request through the API server, the watch
event back into the scheduler's informer and cache, and the ``Scheduled`` Event written through the API server.
Upstream's floor at 5,000 Nodes is 810 Pods/s; the model's target is 1,000.

Run: ``.venv/bin/python benchmarks/bench_scheduler.py [--quick] [--profile]``. Prints figures; asserts nothing.
``--quick`` skips the 150,000-Pod run; ``--profile`` prints where the time goes at 5,000 Nodes (cProfile).
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import sys
import time

from k8smodel.apiserver import APIServer
from k8smodel.scheduler.scheduler import Scheduler
from k8smodel.sim import Simulation


def node(i: int, zones: int = 3) -> dict:
    name = f"node-{i}"
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": {"kubernetes.io/hostname": name, "topology.kubernetes.io/zone": f"zone-{i % zones}"},
        },
        "spec": {},
        "status": {
            "capacity": {"cpu": "4", "memory": "32Gi", "pods": "110"},
            "allocatable": {"cpu": "4", "memory": "32Gi", "pods": "110"},
            "conditions": [{"type": "Ready", "status": "True"}],
        },
    }


def pod(i: int) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"pod-{i}", "namespace": "default"},
        "spec": {
            "containers": [
                {
                    "name": "pause",
                    "image": "registry.k8s.io/pause:3.10",
                    "resources": {"requests": {"cpu": "100m", "memory": "500Mi"}},
                }
            ]
        },
    }


def setup(nodes: int) -> tuple[Simulation, APIServer, Scheduler]:
    sim = Simulation(seed=0)
    sim.log_enabled = False
    api = APIServer(sim)
    for i in range(nodes):
        api.create(node(i))
    scheduler = Scheduler(sim, api)
    scheduler.start()
    return sim, api, scheduler


def drain(nodes: int, pods: int, *, initial: int = 0, profile: bool = False) -> tuple[float, float, int]:
    """(seconds to create, seconds to drain, Pods bound). ``initial`` Pods are placed first, untimed."""
    sim, api, scheduler = setup(nodes)
    for i in range(initial):
        api.create(pod(i))
    sim.run()
    gc.collect()
    t0 = time.perf_counter()
    for i in range(initial, initial + pods):
        api.create(pod(i))
    created = time.perf_counter() - t0
    gc.collect()
    profiler = cProfile.Profile() if profile else None
    t1 = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    sim.run()
    if profiler is not None:
        profiler.disable()
    drained = time.perf_counter() - t1
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
        print(out.getvalue())
    pending = len(scheduler.queue)
    if pending:
        print(f"  (warning: {pending} Pods still queued: {scheduler.queue!r})")
    return created, drained, scheduler.scheduled - initial


def main() -> None:
    quick = "--quick" in sys.argv
    profile = "--profile" in sys.argv
    print("Scheduler throughput (default profile; Pods created first, then the queue drained)")
    for nodes, initial, pods in ((500, 1000, 5000), (5000, 1000, 5000)):
        created, drained, bound = drain(nodes, pods, initial=initial)
        print(
            f"  {nodes:>5} nodes: {bound} Pods bound in {drained:6.2f} s = {bound / drained:7.0f} pods/s "
            f"(creating them took {created:.2f} s, {pods / created:.0f} creates/s)"
        )
    if profile:
        print("\nProfile of the drain at 5,000 nodes (2,000 Pods):")
        drain(5000, 2000, initial=1000, profile=True)
    if not quick:
        created, drained, bound = drain(5000, 150_000)
        print(
            f"  150,000 Pods on 5,000 nodes: created in {created:.1f} s, placed in {drained:.1f} s "
            f"({bound / drained:.0f} pods/s); {bound} bound; total {created + drained:.1f} s"
        )


if __name__ == "__main__":
    main()
