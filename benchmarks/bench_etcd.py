"""Benchmark of k8smodel.etcd: prints figures, asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_etcd.py`` (about half a minute, ~1 GiB of memory at peak).

Figures: raw put throughput (small values), range over 150,000 keys, memory for 150,000 keys of 1.5 KB,
watch delivery to 10 watchers, compaction, and snapshot/restore of the 150,000-key store.

Times are CPU seconds of this process (``time.process_time``): the store is single-threaded, and CPU time
stays meaningful on a shared machine where wall-clock time depends on what else runs.
"""

from __future__ import annotations

import gc
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from k8smodel.etcd import Store

N_KEYS = 150_000
VALUE_SIZE = 1_500
N_PUTS = 300_000
N_WATCHED_PUTS = 200_000


def pod_key(i: int) -> str:
    return f"/registry/pods/ns-{i % 50:02d}/pod-{i:06d}"


def pod_value(i: int) -> bytes:
    """A distinct 1.5 KB value per key (a shared one would hide the payload's memory)."""
    return b"%010d" % i + b"x" * (VALUE_SIZE - 10)


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:>12,.0f}/s  ({n:,} in {seconds:.2f} s)"


def bench_puts() -> None:
    keys = [pod_key(i) for i in range(N_PUTS)]
    store = Store()
    start = time.process_time()
    for key in keys:
        store.put(key, b"small")
    print(f"put, new keys, 5-byte values        {rate(N_PUTS, time.process_time() - start)}")
    start = time.process_time()
    for key in keys:
        store.put(key, b"small2")
    print(f"put, existing keys (updates)        {rate(N_PUTS, time.process_time() - start)}")
    start = time.process_time()
    for key in keys[:100_000]:
        store.get(key)
    print(f"get, latest revision                {rate(100_000, time.process_time() - start)}")
    start = time.process_time()
    for key in keys[:100_000]:
        store.get(key, revision=N_PUTS)
    print(f"get, at a past revision             {rate(100_000, time.process_time() - start)}")


def build_big_store() -> Store:
    store = Store()
    for i in range(N_KEYS):
        store.put(pod_key(i), pod_value(i))
    return store


def bench_memory() -> None:
    gc.collect()
    tracemalloc.start()
    store = build_big_store()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    payload = N_KEYS * (VALUE_SIZE + sys.getsizeof(b""))
    print(f"memory, {N_KEYS:,} keys x {VALUE_SIZE} B values (tracemalloc)")
    print(f"    total held by the store         {current / 2**20:>10,.1f} MiB  (peak {peak / 2**20:,.1f} MiB)")
    print(f"    of which value bytes            {payload / 2**20:>10,.1f} MiB")
    print(f"    overhead per key                {(current - payload) / N_KEYS:>10,.0f} B")
    del store


def bench_range_and_compact_and_snapshot() -> None:
    start = time.process_time()
    store = build_big_store()
    print(f"put, {N_KEYS:,} keys x 1.5 KB          {rate(N_KEYS, time.process_time() - start)}")
    for label in ("first (merges new keys)", "second"):
        start = time.process_time()
        result = store.range("/registry/pods/")
        elapsed = time.process_time() - start
        print(f"range /registry/pods/, {label:<29} {elapsed * 1000:>8.1f} ms  ({result.count:,} kvs)")
    for label, prefix, revision in (
        ("one namespace", "/registry/pods/ns-07/", None),
        ("/registry/pods/ at an old revision", "/registry/pods/", N_KEYS // 2),
    ):
        start = time.process_time()
        result = store.range(prefix, revision=revision)
        elapsed = time.process_time() - start
        print(f"range {label:<45} {elapsed * 1000:>8.1f} ms  ({result.count:,} kvs)")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "snapshot.jsonl"
        start = time.process_time()
        store.snapshot(path)
        print(f"snapshot, {N_KEYS:,} keys               {time.process_time() - start:>8.2f} s   "
              f"({path.stat().st_size / 2**20:,.0f} MiB file)")  # fmt: skip
        start = time.process_time()
        restored = Store.restore(path)
        print(f"restore                             {time.process_time() - start:>8.2f} s   "
              f"(revision {restored.revision:,})")  # fmt: skip
        del restored

    for i in range(N_KEYS):  # a second version of every key, so compaction has work to do
        store.put(pod_key(i), pod_value(i + 1))
    start = time.process_time()
    store.compact(store.revision)
    print(f"compact after {N_KEYS:,} updates        {(time.process_time() - start) * 1000:>8.1f} ms")


def bench_watch() -> None:
    keys = [pod_key(i) for i in range(10_000)]
    for mode in ("drain", "callback"):
        store = Store()
        delivered = [0]

        def count(events: list, delivered: list[int] = delivered) -> None:
            delivered[0] += len(events)

        if mode == "drain":
            watchers = [store.watch("/registry/pods/") for _ in range(10)]
        else:
            watchers = [store.watch("/registry/pods/", callback=count) for _ in range(10)]
        store.watch("/registry/services/")  # watchers on other prefixes cost nothing per pod put
        store.watch("/registry/nodes/node-1", prefix=False)
        start = time.process_time()
        for n in range(N_WATCHED_PUTS):
            store.put(keys[n % 10_000], b"small")
            if mode == "drain" and n % 1_000 == 999:
                for watcher in watchers:
                    delivered[0] += len(watcher.drain())
        elapsed = time.process_time() - start
        print(f"put with 10 watchers ({mode:<8})     {rate(N_WATCHED_PUTS, elapsed)}")
        print(f"    events delivered                {delivered[0] / elapsed:>12,.0f}/s  ({delivered[0]:,})")


def main() -> None:
    print(f"k8smodel.etcd benchmark, Python {sys.version.split()[0]}")
    bench_puts()
    bench_watch()
    bench_memory()
    bench_range_and_compact_and_snapshot()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"process peak RSS                    {maxrss:>10,.0f} MiB")


if __name__ == "__main__":
    main()
