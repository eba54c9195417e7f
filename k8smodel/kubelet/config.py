"""NodeConfig: the machine a kubelet runs on, and the Node object the kubelet registers for it.

A kubelet registers its Node (``pkg/kubelet/kubelet_node_status.go``: ``registerWithAPIServer`` and
``initialNode``) with the labels it knows itself — ``kubernetes.io/hostname``, ``kubernetes.io/os``,
``kubernetes.io/arch`` — plus the cloud's ``node.kubernetes.io/instance-type``, ``topology.kubernetes.io/zone`` and
``topology.kubernetes.io/region`` (set upstream by the cloud provider through the kubelet or the cloud node
controller), the taints it was started with (``--register-with-taints``), and a status whose ``capacity`` is the
machine and whose ``allocatable`` is what is left for Pods:

    allocatable = capacity - kube-reserved - system-reserved - hard eviction threshold

(``pkg/kubelet/cm/node_container_manager_linux.go``: ``GetNodeAllocatableReservation``, which adds the hard
eviction thresholds of ``memory.available`` and ``nodefs.available``). The kubelet's defaults
(``pkg/kubelet/apis/config/v1beta1/defaults_linux.go`` and ``pkg/kubelet/eviction/defaults_linux.go``) reserve
nothing for kube and system daemons and evict at ``memory.available<100Mi`` and ``nodefs.available<10%``, so a
node of 16Gi has 16284Mi allocatable and a disk of 100Gi gives 90Gi of ephemeral storage; ``pods`` is 110
(``maxPods``), unreduced.

What the model leaves out: the other capacity entries (hugepages, extended resources, attachable volumes), the
imagefs/inodes thresholds (they do not reduce allocatable), ``status.nodeInfo`` beyond a few fixed fields.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from k8smodel.api.quantity import Quantity

HOSTNAME_LABEL = "kubernetes.io/hostname"
OS_LABEL = "kubernetes.io/os"
ARCH_LABEL = "kubernetes.io/arch"
ZONE_LABEL = "topology.kubernetes.io/zone"
REGION_LABEL = "topology.kubernetes.io/region"
INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type"

DEFAULT_MAX_PODS = 110  # KubeletConfiguration.maxPods
EVICTION_HARD_MEMORY = "100Mi"  # memory.available<100Mi
EVICTION_HARD_NODEFS_PERCENT = 10  # nodefs.available<10%


@dataclass(frozen=True)
class NodeConfig:
    """One machine: its name, size, place and the kubelet flags that shape its Node object.

    Quantities are Kubernetes quantity strings (``cpu="4"``, ``memory="16Gi"``); ``taints`` are dicts as in a
    Node's ``spec.taints``; ``labels`` add to (and may override) the well-known ones.
    """

    name: str
    cpu: str = "4"
    memory: str = "16Gi"
    ephemeral_storage: str = "100Gi"
    pods: int = DEFAULT_MAX_PODS
    zone: str | None = None
    region: str | None = None
    instance_type: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    taints: Sequence[Mapping[str, Any]] = ()
    kube_reserved: Mapping[str, str] = field(default_factory=dict)
    system_reserved: Mapping[str, str] = field(default_factory=dict)
    arch: str = "amd64"
    os: str = "linux"
    pod_cidr: str | None = None  # kubelet --pod-cidr: used only when no controller sets spec.podCIDR
    image_pull_bandwidth: str = "50Mi"  # bytes per simulated second when pulling an image (model-only)

    def node_labels(self) -> dict[str, str]:
        """The labels the kubelet (and the cloud) put on the Node."""
        labels = {ARCH_LABEL: self.arch, HOSTNAME_LABEL: self.name, OS_LABEL: self.os}
        if self.instance_type:
            labels[INSTANCE_TYPE_LABEL] = self.instance_type
        if self.region:
            labels[REGION_LABEL] = self.region
        if self.zone:
            labels[ZONE_LABEL] = self.zone
        labels.update(self.labels)
        return labels

    def capacity(self) -> dict[str, str]:
        """``status.capacity``: the machine."""
        return dict(_capacity(self.cpu, self.ephemeral_storage, self.memory, self.pods))

    def allocatable(self) -> dict[str, str]:
        """``status.allocatable``: capacity minus reservations and the hard eviction thresholds (never below 0)."""
        try:
            key = (tuple(sorted(self.kube_reserved.items())), tuple(sorted(self.system_reserved.items())))
            hash(key)
        except TypeError:  # unhashable reservations: computed each time
            return self._allocatable()
        return dict(_allocatable(self.cpu, self.ephemeral_storage, self.memory, self.pods, *key))

    def _capacity(self) -> dict[str, str]:
        return {
            "cpu": Quantity(self.cpu).string(),
            "ephemeral-storage": Quantity(self.ephemeral_storage).string(),
            "memory": Quantity(self.memory).string(),
            "pods": str(self.pods),
        }

    def _allocatable(self) -> dict[str, str]:
        capacity = {k: Quantity(v) for k, v in self._capacity().items()}
        reserved: dict[str, Quantity] = {}
        for source in (self.kube_reserved, self.system_reserved):
            for key, value in source.items():
                reserved[key] = reserved.get(key, Quantity("0")) + Quantity(value)
        reserved["memory"] = reserved.get("memory", Quantity("0")) + Quantity(EVICTION_HARD_MEMORY)
        disk = capacity["ephemeral-storage"].value() * EVICTION_HARD_NODEFS_PERCENT // 100
        reserved["ephemeral-storage"] = reserved.get("ephemeral-storage", Quantity("0")) + Quantity.from_int(disk)
        out = {}
        for key, value in capacity.items():
            if key == "pods":
                out[key] = str(self.pods)
                continue
            left = value - reserved[key] if key in reserved else value
            if left.sign() < 0:
                left = Quantity("0")
            out[key] = _canonical(left, value)
        return out

    def node_object(self) -> dict[str, Any]:
        """The Node the kubelet registers (``initialNode``), before its first status update."""
        spec: dict[str, Any] = {}
        if self.taints:
            spec["taints"] = [dict(t) for t in self.taints]
        return {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": self.name, "labels": self.node_labels()},
            "spec": spec,
            "status": {"capacity": self.capacity(), "allocatable": self.allocatable()},
        }


# capacity() and allocatable() are pure functions of a few fields, and a cluster's machines are mostly alike: each
# answer is computed once (and copied out, as callers may change what they get).


@functools.lru_cache(maxsize=256)
def _capacity(cpu: str, ephemeral_storage: str, memory: str, pods: int) -> tuple[tuple[str, str], ...]:
    config = NodeConfig("", cpu=cpu, memory=memory, ephemeral_storage=ephemeral_storage, pods=pods)
    return tuple(config._capacity().items())


@functools.lru_cache(maxsize=256)
def _allocatable(
    cpu: str,
    ephemeral_storage: str,
    memory: str,
    pods: int,
    kube_reserved: tuple[tuple[str, str], ...],
    system_reserved: tuple[tuple[str, str], ...],
) -> tuple[tuple[str, str], ...]:
    config = NodeConfig(
        "",
        cpu=cpu,
        memory=memory,
        ephemeral_storage=ephemeral_storage,
        pods=pods,
        kube_reserved=dict(kube_reserved),
        system_reserved=dict(system_reserved),
    )
    return tuple(config._allocatable().items())


def _canonical(q: Quantity, like: Quantity) -> str:
    """Print ``q`` in the format of ``like``, as upstream's ``Sub`` keeps the receiver's format (a memory of 16Gi
    less 100Mi prints ``16284Mi``)."""
    whole = q.as_fraction()
    if q.format != like.format and whole.denominator == 1:
        q = Quantity.from_int(int(whole), like.format)
    return q.string()
