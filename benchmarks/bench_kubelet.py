"""Benchmark of the kubelet: wall-clock seconds for two simulated workloads, against the issue's budgets.

1. **A busy cluster**: 100 nodes and 3,000 Pods (created already bound, ``spec.nodeName`` set), one simulated hour,
   with node heartbeats (Leases and node status), probes (every Pod has a readiness and a liveness probe; a tenth
   of them have an unready window and a hundredth a liveness failure that restarts them), a few crash-looping Pods,
   and three nodes that crash at 20 minutes and come back at 25. Budget: under 5 s.
2. **Heartbeats at scale**: 5,000 nodes and no Pods for 10 simulated minutes. Budget: under 30 s.

How it measures: each workload runs ``--repeat`` times (default 3) in this process, each run after a full garbage
collection; every run is timed by the wall clock (``time.perf_counter``) and by the CPU time of this process
(``time.process_time``), and the figure reported is the minimum of each, with every run's figures listed. The
machine may be shared: the wall time then includes time waiting for a core, which the CPU time does not. For each
workload it prints what was done (writes, renewals, probes). ``--split`` adds a run that times every API request
from the outside (authentication to etcd and the watch fan-out, with the informer handlers the fan-out calls
synchronously) and garbage collection, so the figure shows how much of the budget the API server takes;
``--profile`` adds a run under ``cProfile``. The timed runs carry no measuring overhead.

Run: ``.venv/bin/python benchmarks/bench_kubelet.py [--nodes N --pods N --hours H] [--heartbeat-nodes N
--heartbeat-minutes M] [--repeat N] [--split] [--profile]``. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import time
from collections.abc import Callable

from k8smodel import _native
from k8smodel.apiserver import APIServer
from k8smodel.kubelet import ImageRegistry, Kubelet, NodeConfig, behavior_annotation
from k8smodel.sim import Simulation


def busy_cluster(nodes: int, pods: int, hours: float) -> dict[str, float]:
    sim = Simulation(0)
    sim.log_enabled = False
    api = APIServer(sim)
    registry = ImageRegistry()
    kubelets = []
    for i in range(nodes):
        k = Kubelet(sim, api, NodeConfig(f"node-{i}", pod_cidr=f"10.{i // 256}.{i % 256}.0/24"), registry)
        k.start()
        kubelets.append(k)
    sim.run(1)
    images = ["nginx:1.27", "redis:7.2", "httpd:2.4", "busybox:1.36"]
    for i in range(pods):
        script: dict[str, object] = {"readyAfter": "5s"}
        if i % 10 == 1:
            script["unready"] = [["10m", "12m"]]
        if i % 100 == 2:
            script["unhealthy"] = [["15m", "16m"]]
        if i % 500 == 3:
            script.update({"exitAfter": "30s", "exitCode": 1})
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": f"web-{i}",
                "namespace": "default",
                "labels": {"app": "web"},
                "annotations": behavior_annotation({"app": script}),
            },
            "spec": {
                "nodeName": f"node-{i % nodes}",
                "containers": [
                    {
                        "name": "app",
                        "image": images[i % len(images)],
                        "ports": [{"containerPort": 80}],
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": 80}, "periodSeconds": 5},
                        "livenessProbe": {"httpGet": {"path": "/healthz", "port": 80}},
                        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}},
                    }
                ],
            },
        }
        api.create(pod)
    crashed = kubelets[:3]
    sim.run(1200)
    for k in crashed:
        k.crash()
    sim.run(1500)
    for k in crashed:
        k.recover()
    sim.run(hours * 3600)
    return {
        "status writes": sum(k.status_writes for k in kubelets),
        "syncs": sum(k.syncs for k in kubelets),
        "lease renewals": sum(k.lease.renewals for k in kubelets),
        "node status writes": sum(k.node_status.writes for k in kubelets),
        "probes run": sum(w.probes for k in kubelets for ws in k.probes.workers.values() for w in ws.values()),
        "etcd revision": api.store.revision,
    }


def heartbeats(nodes: int, minutes: float) -> dict[str, float]:
    sim = Simulation(0)
    sim.log_enabled = False
    api = APIServer(sim)
    registry = ImageRegistry()
    kubelets = [
        Kubelet(sim, api, NodeConfig(f"node-{i}", pod_cidr=f"10.{i // 256 % 256}.{i % 256}.0/24"), registry)
        for i in range(nodes)
    ]
    for k in kubelets:
        k.start()
    sim.run(minutes * 60)
    return {
        "lease renewals": sum(k.lease.renewals for k in kubelets),
        "node status writes": sum(k.node_status.writes for k in kubelets),
        "etcd revision": api.store.revision,
    }


def _timed(fn: Callable[[], dict[str, float]]) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    figures = fn()
    return time.perf_counter() - start, figures


def _repeated(fn: Callable[[], dict[str, float]], repeat: int) -> tuple[list[float], list[float], dict[str, float]]:
    """Run ``fn`` ``repeat`` times, each after a full collection: the wall and CPU seconds of every run, and the
    figures of the last one (every run does the same work)."""
    walls, cpus = [], []
    figures: dict[str, float] = {}
    for _ in range(repeat):
        gc.collect()
        cpu = time.process_time()
        wall, figures = _timed(fn)
        cpus.append(time.process_time() - cpu)
        walls.append(wall)
    return walls, cpus, figures


def _split(fn: Callable[[], dict[str, float]]) -> dict[str, float]:
    """Run ``fn`` with a timer around each outermost API server request, and a GC callback: seconds inside the API
    server (authn, RBAC, admission, validation, etcd, the watch fan-out and the informers' handlers it calls), in
    the garbage collector, and in total."""
    inside = [0.0]
    depth = [0]
    originals = {}
    for name in (
        "create",
        "get",
        "list",
        "update",
        "patch",
        "delete",
        "watch",
        "_create_owned",  # the doors for bodies a caller hands over, and the kubelet's read of its Node
        "_update_owned",
        "_patch_owned",
        "_get_if_changed",
    ):
        original = getattr(APIServer, name)
        originals[name] = original

        def timed(self: APIServer, *args: object, _original: Callable[..., object] = original, **kwargs: object):
            if depth[0]:
                return _original(self, *args, **kwargs)
            depth[0] += 1
            start = time.perf_counter()
            try:
                return _original(self, *args, **kwargs)
            finally:
                depth[0] -= 1
                inside[0] += time.perf_counter() - start

        setattr(APIServer, name, timed)
    collecting = [0.0, 0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting[1] = time.perf_counter()
        else:
            collecting[0] += time.perf_counter() - collecting[1]

    gc.callbacks.append(on_gc)
    try:
        wall, _ = _timed(fn)
    finally:
        gc.callbacks.remove(on_gc)
        for name, original in originals.items():
            setattr(APIServer, name, original)
    return {"wall": wall, "api": inside[0], "gc": collecting[0]}


def _top(fn: Callable[[], dict[str, float]]) -> list[tuple[str, float]]:
    """Run ``fn`` under cProfile: the functions with the most own time."""
    profile = cProfile.Profile()
    profile.enable()
    fn()
    profile.disable()
    stats = pstats.Stats(profile)
    rows = [
        ("/".join(filename.split("/")[-2:]) + f":{name}", tt)
        for (filename, _, name), (_, _, tt, _, _) in stats.stats.items()  # type: ignore[attr-defined]
    ]
    rows.sort(key=lambda x: -x[1])
    return rows[:15]


def _report(title: str, budget: float, walls: list[float], cpus: list[float], figures: dict[str, float]) -> None:
    print(f"{title}: {min(walls):.2f} s wall, {min(cpus):.2f} s CPU (budget {budget:.0f} s wall)")
    print(
        f"    the minimum of {len(walls)} runs; wall "
        + ", ".join(f"{w:.2f}" for w in walls)
        + " s; CPU (time.process_time) "
        + ", ".join(f"{c:.2f}" for c in cpus)
        + " s"
    )
    for key, value in figures.items():
        print(f"    {key}: {value:,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    native = _native.status()
    print(f"k8smodel {'compiled' if native['compiled'] else 'pure Python'}: {native['reason']} (k8smodel/_native.py)")
    parser.add_argument("--nodes", type=int, default=100)
    parser.add_argument("--pods", type=int, default=3000)
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--heartbeat-nodes", type=int, default=5000)
    parser.add_argument("--heartbeat-minutes", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each workload (the minimum is reported)")
    parser.add_argument("--split", action="store_true", help="a second run: time inside the API server and in GC")
    parser.add_argument("--profile", action="store_true", help="a third run under cProfile: the top functions")
    args = parser.parse_args()

    def busy() -> dict[str, float]:
        return busy_cluster(args.nodes, args.pods, args.hours)

    def beats() -> dict[str, float]:
        return heartbeats(args.heartbeat_nodes, args.heartbeat_minutes)

    for title, budget, fn in (
        (f"{args.nodes} nodes, {args.pods} Pods, {args.hours:g} h", 5.0, busy),
        (f"{args.heartbeat_nodes} nodes heartbeating, {args.heartbeat_minutes:g} min", 30.0, beats),
    ):
        walls, cpus, figures = _repeated(fn, max(1, args.repeat))
        _report(title, budget, walls, cpus, figures)
        if args.split:
            gc.collect()
            split = _split(fn)
            rest = split["wall"] - split["api"]
            print(
                f"    split run: {split['wall']:.2f} s, of which {split['api']:.2f} s inside the API server "
                f"({split['api'] / split['wall']:.0%}) and {rest:.2f} s elsewhere (kubelets, the clock); "
                f"{split['gc']:.2f} s in garbage collection (counted in both)"
            )
        if args.profile:
            gc.collect()
            for name, tt in _top(fn):
                print(f"      {tt:7.2f} s  {name}")


if __name__ == "__main__":
    main()
