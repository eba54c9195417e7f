"""Prints the cost of the pod resource helpers the scheduler calls for every Pod it sees."""

import time

from k8smodel.api.resources import compute_pod_qos, non_zero_requests, pod_limits, pod_requests


def container(name, requests, limits=None, restart_policy=None):
    c = {"name": name, "image": "x", "resources": {"requests": requests, **({"limits": limits} if limits else {})}}
    if restart_policy:
        c["restartPolicy"] = restart_policy
    return c


POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "p"},
    "spec": {
        "containers": [
            container(f"c{i}", {"cpu": "250m", "memory": "256Mi"}, {"cpu": "500m", "memory": "512Mi"}) for i in range(3)
        ],
        "initContainers": [
            container("sidecar", {"cpu": "50m", "memory": "64Mi"}, None, "Always"),
            container("init", {"cpu": "1"}),
        ],
        "overhead": {"cpu": "10m"},
    },
}

for fn in (pod_requests, pod_limits, non_zero_requests, compute_pod_qos):
    fn(POD)
    n = 20_000
    started = time.perf_counter()
    for _ in range(n):
        fn(POD)
    print(f"{fn.__name__:18} {(time.perf_counter() - started) / n * 1e6:6.1f} us per Pod")
