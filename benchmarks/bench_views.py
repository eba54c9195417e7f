"""Benchmark of the views (k8smodel/views/graph.py, figures.py, widgets.py): how long each takes and how big each
figure is, for a 20-node / 200-Pod cluster (the issue's budget: a dashboard callback under 100 ms) and a 100-node /
3,000-Pod one.

Prints, per cluster: the graph build (``cluster_graph``, objects and components), each figure (built and validated
by plotly, and its JSON size), the dashboard's redraw (``Dashboard.refresh``: read the cluster, draw, update the
FigureWidget in place) and one click of its "fail" button (the verb, then the redraw). Each time is the least of
several runs (the machine is shared). Asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_views.py [--small-only]``.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from typing import Any

from k8smodel import Cluster
from k8smodel.views import figures, graph, widgets

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
      - name: {name}
        image: nginx:1.25
        resources: {{requests: {{cpu: 50m, memory: 64Mi}}}}
"""


def build(nodes: int, pods: int) -> tuple[Cluster, figures.Sampler, float]:
    start = time.perf_counter()
    cluster = Cluster(seed=0)
    cluster.add_nodes(nodes, zones=["zone-a", "zone-b", "zone-c"])
    cluster.run_for("10s")
    sampler = figures.Sampler(cluster, "deployment/web", every="5s")
    web = pods * 3 // 4
    cluster.apply(
        DEPLOYMENT.format(name="web", replicas=web) + "---\n" + DEPLOYMENT.format(name="api", replicas=pods - web)
    )
    cluster.run_for("2m")
    return cluster, sampler, time.perf_counter() - start


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def row(what: str, seconds: float, extra: str = "") -> None:
    print(f"  {what:<44} {seconds * 1000:8.1f} ms  {extra}")


def run(nodes: int, pods: int, repeat: int) -> None:
    cluster, sampler, built = build(nodes, pods)
    count = len(cluster.api.list("pods")[0])
    print(f"\n{nodes} Nodes, {count} Pods (cluster built and run 2m10s in {built:.1f} s)")
    t, g = best(lambda: graph.cluster_graph(cluster), repeat)
    row("cluster_graph (objects and components)", t, f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    t, _ = best(lambda: graph.cluster_graph(cluster, kinds=figures.TOPOLOGY_KINDS, components=False), repeat)
    row("cluster_graph (Nodes, workloads, Pods)", t)
    t, _ = best(lambda: graph.deletion_closure(g, "deploy/web"), repeat)
    row("deletion_closure(deployment/web)", t)
    for name, fn in [
        ("topology", lambda: figures.topology(cluster)),
        ("topology_spec (unvalidated, the dashboard's)", lambda: figures.topology_spec(cluster)),
        ("timeline", lambda: figures.timeline(sampler)),
        ("node_resources", lambda: figures.node_resources(cluster)),
        ("architecture", lambda: figures.architecture(cluster)),
    ]:
        t, fig = best(fn, repeat)
        size = len(fig.to_json()) if hasattr(fig, "to_json") else None
        row(name, t, f"{size / 1024:6.0f} KB JSON" if size is not None else "")
    dashboard = widgets.Dashboard(cluster)
    print(f"  dashboard figure: {'a new FigureWidget per redraw' if dashboard.in_place else 'Figure, re-shown'}")
    t, _ = best(dashboard.refresh, repeat)
    row("Dashboard.refresh (one callback's redraw)", t)

    nodes_to_fail = iter(sorted(cluster.nodes, key=graph.natural_key))

    def click() -> None:
        dashboard.node_picker.value = next(nodes_to_fail)
        dashboard.fail_button.click()

    t, _ = best(click, repeat)
    row("click 'fail' (fail_node + redraw)", t)


def main() -> None:
    small_only = "--small-only" in sys.argv
    run(20, 200, repeat=7)
    if not small_only:
        run(100, 3000, repeat=3)


if __name__ == "__main__":
    main()
