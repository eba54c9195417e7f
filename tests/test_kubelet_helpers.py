"""Shared helpers for the kubelet tests (no tests here): a simulated API server with kubelets, Pods from short
specs, and readers for statuses and Events."""

from __future__ import annotations

from typing import Any

from k8smodel.apiserver import APIServer
from k8smodel.kubelet import ImageRegistry, Kubelet, NodeConfig, behavior_annotation
from k8smodel.sim import Simulation


class Env:
    """A simulation, an API server, an image registry and kubelets (started by :meth:`node`)."""

    def __init__(self, seed: int = 0) -> None:
        self.sim = Simulation(seed)
        self.api = APIServer(self.sim)
        self.registry = ImageRegistry()
        self.kubelets: dict[str, Kubelet] = {}

    def node(
        self, name: str = "node-1", *, pod_cidr: str | None = "10.244.0.0/24", jitter: float = 0.0, start: bool = True
    ) -> Kubelet:
        k = Kubelet(self.sim, self.api, NodeConfig(name, pod_cidr=pod_cidr), self.registry)
        k.worker_jitter = jitter
        self.kubelets[name] = k
        if start:
            k.start()
        return k

    def run(self, until: float) -> None:
        self.sim.run(until)

    def create(self, pod: dict[str, Any]) -> dict[str, Any]:
        return self.api.create(pod)

    def pod(self, name: str = "web", namespace: str = "default") -> dict[str, Any]:
        return self.api.get("pods", name, namespace)

    def status(self, name: str = "web") -> dict[str, Any]:
        return self.pod(name).get("status") or {}

    def container(self, name: str = "web", container: str = "web") -> dict[str, Any]:
        st = self.status(name)
        for c in [*(st.get("initContainerStatuses") or []), *(st.get("containerStatuses") or [])]:
            if c["name"] == container:
                return c
        raise KeyError(container)

    def events(self, name: str | None = None, reason: str | None = None) -> list[dict[str, Any]]:
        items, _ = self.api.list("events", "default")
        out = [e for e in items if name is None or e["involvedObject"]["name"] == name]
        if reason is not None:
            out = [e for e in out if e["reason"] == reason]
        return out

    def messages(self, name: str | None = None, reason: str | None = None) -> list[str]:
        return [e["message"] for e in self.events(name, reason)]

    def exists(self, name: str) -> bool:
        items, _ = self.api.list("pods", "default")
        return any(p["metadata"]["name"] == name for p in items)


def make_pod(
    name: str = "web",
    *,
    node: str = "node-1",
    containers: list[dict[str, Any]] | None = None,
    init: list[dict[str, Any]] | None = None,
    behavior: dict[str, Any] | None = None,
    **spec: Any,
) -> dict[str, Any]:
    pod: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"nodeName": node, "containers": containers or [{"name": "web", "image": "nginx:1.27"}], **spec},
    }
    if init:
        pod["spec"]["initContainers"] = init
    if behavior is not None:
        pod["metadata"]["annotations"] = behavior_annotation(behavior)
    return pod


def state_of(status: dict[str, Any]) -> str:
    """``running``, ``terminated`` or ``waiting:<reason>``."""
    state = status["state"]
    if "waiting" in state:
        return f"waiting:{state['waiting'].get('reason', '')}"
    return next(iter(state))
