"""Benchmark of the served API (``k8smodel.serve``) with real clients.

1. ``kubectl get pods`` over 1,000 Pods: the wall time of the whole command (process start, TLS, discovery from
   kubectl's cache, the Table request, printing), and of the server's part alone (one ``GET`` of the Table from a
   kept-alive Python connection). Budget: 300 ms.
2. A write reaching a watcher: the time from just before a ``PATCH`` is sent until a raw HTTP watch (chunked
   stream) has read the event, and until ``kubectl get pods -w`` has printed its line. Budget: 50 ms.

3. ``--fuzz [N]``: the fuzz of ``tests/test_serve_fuzz.py`` (its seeded generator, ``N`` requests, 10,000 by
   default, over one keep-alive HTTPS connection, the clock stepped every 200 requests): the wall time, requests per
   second, and the answers by status code.

The cluster is served with the clock stopped (``speed=0``), so only the requests cost anything. Run:
``.venv/bin/python benchmarks/bench_serve.py [pods]`` or ``benchmarks/bench_serve.py --fuzz [N]``. Prints figures;
asserts nothing about time.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from k8smodel import Cluster
from k8smodel.serve import serve

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


def pod(i: int) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"web-{i:04d}", "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.27", "resources": {"requests": {"cpu": "100m"}}}]},
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def summary(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    median = statistics.median(samples)
    print(f"{name:<52} median {ms(median)}  min {ms(samples[0])}  p95 {ms(p95)}  (n={len(samples)})")


def connection(server: Any) -> http.client.HTTPSConnection:
    return http.client.HTTPSConnection(server.host, server.port, timeout=30, context=server.ssl_context())


def bench_get(server: Any, kubectl: str | None, env: dict, cache: str, n_pods: int) -> None:
    conn = connection(server)
    headers = {"Authorization": f"Bearer {server.token}", "Accept": TABLE}
    samples = []
    for _ in range(20):
        start = time.perf_counter()
        conn.request("GET", "/api/v1/namespaces/default/pods?limit=500", headers=headers)
        body = conn.getresponse().read()
        samples.append(time.perf_counter() - start)
    rows = len(json.loads(body)["rows"])
    summary(f"server: GET Table of {rows} Pods (kept-alive conn)", samples)
    conn.close()
    if kubectl is None:
        print("kubectl get pods: skipped (no kubectl)")
        return
    command = [kubectl, f"--cache-dir={cache}", "get", "pods"]
    subprocess.run(command, env=env, capture_output=True, check=True)  # discovery into kubectl's cache
    samples = []
    for _ in range(10):
        start = time.perf_counter()
        result = subprocess.run(command, env=env, capture_output=True, check=True, text=True)
        samples.append(time.perf_counter() - start)
    lines = len(result.stdout.splitlines()) - 1
    summary(f"kubectl get pods ({lines} Pods), whole command", samples)
    version = [kubectl, f"--cache-dir={cache}", "version", "--client"]
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(version, env=env, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    summary("  for comparison: kubectl version --client (no server)", samples)


def _patch(conn: http.client.HTTPSConnection, server: Any, name: str, value: int) -> None:
    body = json.dumps({"metadata": {"labels": {"tick": str(value)}}}).encode()
    headers = {
        "Authorization": f"Bearer {server.token}",
        "Content-Type": "application/merge-patch+json",
    }
    conn.request("PATCH", f"/api/v1/namespaces/default/pods/{name}", body=body, headers=headers)
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 200, resp.status


def bench_raw_watch(server: Any, rounds: int = 50) -> None:
    watch = connection(server)
    watch.request(
        "GET",
        "/api/v1/namespaces/default/pods?watch=true&fieldSelector=metadata.name%3Dweb-0000&resourceVersion="
        + str(server.cluster.api.store.revision),
        headers={"Authorization": f"Bearer {server.token}"},
    )
    resp = watch.getresponse()
    lines: queue.Queue[float] = queue.Queue()

    def read() -> None:
        try:
            while True:
                line = resp.readline()
                if not line:
                    return
                lines.put(time.perf_counter())
        except (OSError, ValueError):  # the connection closed at the end
            return

    threading.Thread(target=read, daemon=True).start()
    writer = connection(server)
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        _patch(writer, server, "web-0000", i)
        samples.append(lines.get(timeout=10) - start)
    summary("write -> raw HTTP watch (chunked) has the event", samples)
    watch.close()
    writer.close()


def bench_kubectl_watch(server: Any, kubectl: str | None, env: dict, cache: str, rounds: int = 30) -> None:
    if kubectl is None:
        print("kubectl get -w: skipped (no kubectl)")
        return
    proc = subprocess.Popen(
        [kubectl, f"--cache-dir={cache}", "get", "pods", "web-0001", "-w", "--output-watch-events"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    lines: queue.Queue[tuple[float, str]] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put((time.perf_counter(), line))

    threading.Thread(target=read, daemon=True).start()
    lines.get(timeout=30)  # the header
    lines.get(timeout=30)  # the current state
    writer = connection(server)
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        _patch(writer, server, "web-0001", i)
        when, line = lines.get(timeout=10)
        assert "MODIFIED" in line, line
        samples.append(when - start)
    summary("write -> kubectl get -w has printed the line", samples)
    proc.terminate()
    proc.wait(timeout=10)
    writer.close()


def bench_fuzz(n: int) -> None:
    """The fuzz's requests, timed (the test itself measures nothing)."""
    import collections
    import random
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import test_serve_fuzz as fuzz

    cluster = Cluster(seed=fuzz.SEED)
    cluster.add_nodes(2, cpu="4", memory="16Gi")
    with serve(cluster, speed=0) as server:
        server.run_for("30s")
        server.add_user("alice")
        tokens = [f"Bearer {server.token}"] * 30 + [
            f"Bearer {server._users['alice']}",
            "Bearer wrong",
            "Basic YWRtaW46YWRtaW4=",
            "Bearer",
            None,
        ]
        generator = fuzz.Fuzzer(random.Random(fuzz.SEED), tokens)
        requests = [generator.request() for _ in range(n)]
        conn = fuzz.Connection(server)
        codes: collections.Counter[int] = collections.Counter()
        clock = 0.0
        t0 = time.perf_counter()
        for i, req in enumerate(requests):
            status, _, _ = conn.send(req)
            codes[status] += 1
            if i % fuzz.TICK_EVERY == fuzz.TICK_EVERY - 1:
                t = time.perf_counter()
                server.run_for(fuzz.TICK)
                clock += time.perf_counter() - t
        total = time.perf_counter() - t0
        conn.close()
        t = time.perf_counter()
        with server.locked() as locked:
            problems = fuzz.store_problems(locked)
        check = time.perf_counter() - t
    print(
        f"fuzz: {n} requests in {total:.1f} s ({n / total:.0f} requests/s; of which the simulated clock's steps "
        f"{clock:.1f} s), {conn.opened} connections, store check {check * 1000:.0f} ms"
    )
    print("  answers:", ", ".join(f"{code}: {count}" for code, count in sorted(codes.items())))
    print(f"  500s: {codes.get(500, 0)}; server errors: {len(server.errors)}; store problems: {len(problems)}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--fuzz":
        bench_fuzz(int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
        return
    n_pods = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    cluster = Cluster(seed=0)
    for i in range(n_pods):
        cluster.api.create(pod(i), namespace="default")
    cluster.sim.log_enabled = False
    kubectl = shutil.which("kubectl")
    with serve(cluster, speed=0) as server, tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "KUBECONFIG": str(server.kubeconfig_path), "HOME": home}
        cache = os.path.join(home, "cache")
        print(f"{n_pods} Pods served at {server.url}")
        bench_get(server, kubectl, env, cache, n_pods)
        bench_raw_watch(server)
        bench_kubectl_watch(server, kubectl, env, cache)
        if server.errors:
            print("server errors:", server.errors)


if __name__ == "__main__":
    main()
