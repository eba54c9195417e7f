"""Prints how fast manifests load and dump (YAML text <-> dicts), per Deployment of a 10-document stream."""

import time

import yaml

from k8smodel.api.manifest import dump_yaml, load_manifests

doc = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  namespace: default
  labels: {{app: web, tier: frontend}}
spec:
  replicas: 3
  selector:
    matchLabels: {{app: web}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: 25%, maxUnavailable: 25%}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
          protocol: TCP
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{cpu: 500m, memory: 256Mi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: 80}}
          periodSeconds: 10
"""

text = "---\n".join(doc.format(i=i) for i in range(10))


def per_object(fn, rounds=200):
    fn()
    started = time.perf_counter()
    for _ in range(rounds):
        fn()
    return (time.perf_counter() - started) / rounds / 10


cases = {
    "load_manifests": lambda: load_manifests(text),
    "yaml CSafeLoader": lambda: list(yaml.load_all(text, yaml.CSafeLoader)),
    "yaml SafeLoader": lambda: list(yaml.load_all(text, yaml.SafeLoader)),
}
for label, fn in cases.items():
    print(f"{label}: {per_object(fn) * 1e6:.0f} us per Deployment")
objects = load_manifests(text)
print(f"dump_yaml: {per_object(lambda: dump_yaml(objects), 100) * 1e6:.0f} us per Deployment")
