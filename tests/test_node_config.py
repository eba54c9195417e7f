"""NodeConfig: labels, capacity and allocatable as the kubelet computes them."""

from __future__ import annotations

from k8smodel.kubelet.config import NodeConfig


def test_default_allocatable_subtracts_the_hard_eviction_thresholds() -> None:
    """``GetNodeAllocatableReservation``: memory.available<100Mi and nodefs.available<10% come off capacity."""
    node = NodeConfig("node-1")
    assert node.capacity() == {"cpu": "4", "ephemeral-storage": "100Gi", "memory": "16Gi", "pods": "110"}
    assert node.allocatable() == {"cpu": "4", "ephemeral-storage": "90Gi", "memory": "16284Mi", "pods": "110"}


def test_reservations_add_up() -> None:
    node = NodeConfig("n", cpu="2", memory="8Gi", kube_reserved={"cpu": "100m", "memory": "500Mi"},
                      system_reserved={"cpu": "100m"})  # fmt: skip
    assert node.allocatable()["cpu"] == "1800m"
    assert node.allocatable()["memory"] == "7592Mi"


def test_allocatable_never_negative() -> None:
    assert NodeConfig("n", memory="64Mi").allocatable()["memory"] == "0"


def test_labels_and_taints_of_the_registered_node() -> None:
    taint = {"key": "gpu", "value": "true", "effect": "NoSchedule"}
    node = NodeConfig(
        "node-1",
        zone="us-east-1a",
        region="us-east-1",
        instance_type="m5.xlarge",
        labels={"disk": "ssd"},
        taints=[taint],
    )
    obj = node.node_object()
    assert obj["metadata"]["labels"] == {
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": "node-1",
        "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": "m5.xlarge",
        "topology.kubernetes.io/region": "us-east-1",
        "topology.kubernetes.io/zone": "us-east-1a",
        "disk": "ssd",
    }
    assert obj["spec"]["taints"] == [taint]
