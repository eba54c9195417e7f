"""Prints the user path's throughput: manifests (YAML text) applied through Cluster.apply, which parses, checks every
document with a server-side dry run (schema, defaulting, admission, validation), then writes them. Budget: >= 500
objects/s. Also prints the parse-only and API-only shares, so a regression can be placed."""

import time

from k8smodel import Cluster
from k8smodel.api.manifest import load_manifests

DOC = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  labels: {{app: web-{i}, tier: frontend}}
spec:
  replicas: 3
  selector:
    matchLabels: {{app: web-{i}}}
  template:
    metadata:
      labels: {{app: web-{i}, tier: frontend}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{{containerPort: 80, name: http}}]
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{cpu: 500m, memory: 256Mi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: http}}
"""


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f} objects/s ({seconds / n * 1e6:,.0f} us each)"


def main(n: int = 2000, batch: int = 50) -> None:
    cluster = Cluster()
    cluster.apply(DOC.format(i="warm"))  # compile the schema validators once (cached on disk afterwards)
    texts = ["---\n".join(DOC.format(i=f"{b}-{i}") for i in range(batch)) for b in range(n // batch)]

    started = time.perf_counter()
    for text in texts:
        load_manifests(text)
    print(f"parse only (YAML -> dicts):          {rate(n, time.perf_counter() - started)}")

    started = time.perf_counter()
    for text in texts:
        cluster.apply(text)
    print(f"apply, {batch} documents per manifest: {rate(n, time.perf_counter() - started)}")

    started = time.perf_counter()
    for i in range(200):
        cluster.apply(DOC.format(i=f"single-{i}"))
    print(f"apply, one document per manifest:    {rate(200, time.perf_counter() - started)}")

    started = time.perf_counter()
    for text in texts[:10]:
        cluster.apply(text)
    print(f"re-apply unchanged (no writes):      {rate(10 * batch, time.perf_counter() - started)}")


if __name__ == "__main__":
    main()
