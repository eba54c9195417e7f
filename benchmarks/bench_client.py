"""Benchmark of k8smodel.sim and k8smodel.client: prints figures, asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_client.py`` (about half a minute).

Figures: event-log appends per second (on and off), timer scheduling, work-queue add+get+done cycles per second,
and informer event delivery per second with 10 informers watching one etcd store that receives puts (each
informer feeding a work queue through ``enqueue_on_change``, as a controller does). The budget is that ten
watchers keep up with at least 5,000 writes per second.

Times are CPU seconds of this process (``time.process_time``), as in ``bench_etcd.py``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from k8smodel.client import Informer, WorkQueue, enqueue_on_change
from k8smodel.etcd import EventType, Store
from k8smodel.sim import Simulation

N_LOG = 1_000_000
N_TIMERS = 200_000
N_QUEUE = 300_000
N_PUTS = 20_000
N_INFORMERS = 10


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:>12,.0f}/s  ({n:,} in {seconds:.2f} s)"


def bench_log() -> None:
    sim = Simulation()
    keys = [f"/registry/pods/default/pod-{i}" for i in range(1000)]
    start = time.process_time()
    for i in range(N_LOG):
        sim.log("write", verb="update", key=keys[i % 1000], revision=i)
    elapsed = time.process_time() - start
    print(f"event log append                    {rate(N_LOG, elapsed)}  = {elapsed / N_LOG * 1e6:.2f} µs each")
    start = time.process_time()
    frame = sim.events()
    print(f"event log to DataFrame              {len(frame):,} rows in {time.process_time() - start:.2f} s")
    sim.log_enabled = False
    start = time.process_time()
    for i in range(N_LOG):
        sim.log("write", verb="update", key=keys[i % 1000], revision=i)
    print(f"event log append, disabled          {rate(N_LOG, time.process_time() - start)}")


def bench_timers() -> None:
    sim = Simulation()
    count = [0]

    def tick() -> None:
        count[0] += 1

    start = time.process_time()
    for i in range(N_TIMERS):
        sim.call_at(i * 0.001, tick)
    sim.run()
    print(f"call_at + run                       {rate(N_TIMERS, time.process_time() - start)}")


def bench_queue() -> None:
    sim = Simulation()
    q = WorkQueue(sim, "bench")
    keys = [f"default/pod-{i}" for i in range(1000)]
    start = time.process_time()
    for i in range(N_QUEUE):
        q.add(keys[i % 1000])
        item = q.get()
        q.done(item)
    print(f"work queue add+get+done             {rate(N_QUEUE, time.process_time() - start)}")
    start = time.process_time()
    for i in range(N_QUEUE):
        q.add(keys[i % 1000])  # duplicates collapse while waiting
    while (item := q.get()) is not None:
        q.done(item)
    print(f"work queue add (mostly duplicates)  {rate(N_QUEUE, time.process_time() - start)}")


class EtcdListerWatcher:
    """The lister-watcher of tests/test_client.py, cut down: JSON objects under ``/registry/pods/``.

    With ``shared_decode``, the objects of one revision are decoded once and shared by every watcher (as the API
    server's watch cache serves all watchers from one decoded copy); otherwise each watcher decodes its own.
    """

    def __init__(self, store: Store, shared_decode: bool) -> None:
        self.store = store
        self.shared_decode = shared_decode
        self._last: tuple[Any, dict[str, Any]] | None = None

    def decode(self, kv: Any, revision: int) -> dict[str, Any]:
        if self.shared_decode and self._last is not None and self._last[0] is kv:
            return self._last[1]
        obj = json.loads(kv.value)
        obj["metadata"]["resourceVersion"] = str(revision)
        if self.shared_decode:
            self._last = (kv, obj)
        return obj

    def list(self) -> tuple[list[dict[str, Any]], str]:
        result = self.store.range("/registry/pods/")
        return [self.decode(kv, kv.mod_revision) for kv in result.kvs], str(result.revision)

    def watch(self, resource_version: str, callback: Callable[[str, Any], None]) -> Any:
        def deliver(events: list[Any]) -> None:
            for e in events:
                if e.type == EventType.PUT:
                    callback("ADDED" if e.kv.version == 1 else "MODIFIED", self.decode(e.kv, e.kv.mod_revision))
                else:
                    callback("DELETED", self.decode(e.prev_kv, e.kv.mod_revision))

        watcher = self.store.watch("/registry/pods/", int(resource_version) + 1, callback=deliver)

        class Handle:
            def stop(self) -> None:
                watcher.cancel()

        return Handle()


def bench_informers(shared_decode: bool) -> None:
    sim = Simulation()
    store = Store()
    lw = EtcdListerWatcher(store, shared_decode)
    queues = []
    for i in range(N_INFORMERS):
        informer = Informer(sim, lw, name=f"informer-{i}")
        queue = WorkQueue(sim, f"controller-{i}")
        enqueue_on_change(informer, queue)
        informer.start()
        queues.append(queue)
    values = []
    for i in range(N_PUTS):
        name = f"pod-{i % 2000}"  # 2,000 pods: the first puts create them, the rest update them
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": f"ns-{i % 20}", "labels": {"app": "web", "gen": str(i)}},
            "spec": {"nodeName": f"node-{i % 100}", "containers": [{"name": "app", "image": "nginx:1.27"}]},
            "status": {"phase": "Running"},
        }
        values.append((f"/registry/pods/ns-{i % 20}/{name}", json.dumps(pod).encode()))
    start = time.process_time()
    for key, value in values:
        store.put(key, value)
    elapsed = time.process_time() - start
    deliveries = N_PUTS * N_INFORMERS
    mode = "shared decode" if shared_decode else "decode per watcher"
    print(f"{N_INFORMERS} informers, {mode:<19}  puts:       {rate(N_PUTS, elapsed)}")
    print(f"{'':<33}  deliveries: {rate(deliveries, elapsed)}")
    assert all(len(q) == 2000 for q in queues)


def main() -> None:
    bench_log()
    bench_timers()
    bench_queue()
    bench_informers(shared_decode=False)
    bench_informers(shared_decode=True)


if __name__ == "__main__":
    main()
