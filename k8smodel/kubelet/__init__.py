"""kubelet: the node agent and what it drives — one :class:`Kubelet` per Node.

The modules, each a piece of ``pkg/kubelet`` (see their docstrings):

* :mod:`~k8smodel.kubelet.kubelet` — the Kubelet: pod workers, ``syncPod``, Pod status and the status manager;
* :mod:`~k8smodel.kubelet.runtime` — the container runtime: sandboxes with one IP per Pod, containers, exit codes,
  ``emptyDir`` volumes, the node's image cache and its serialized puller;
* :mod:`~k8smodel.kubelet.images` — the model's image registry and how long a pull takes;
* :mod:`~k8smodel.kubelet.behavior` — the ``k8smodel.io/behavior`` annotation: what each container's process does;
* :mod:`~k8smodel.kubelet.probes` — liveness, readiness and startup probes, computed from the script;
* :mod:`~k8smodel.kubelet.backoff` — CrashLoopBackOff and image pull back-off;
* :mod:`~k8smodel.kubelet.node_status` — registration, node status and the node Lease;
* :mod:`~k8smodel.kubelet.config` — :class:`NodeConfig`, the machine and its Node object.
"""

from k8smodel.kubelet.backoff import INITIAL_BACKOFF, MAX_BACKOFF, Backoff
from k8smodel.kubelet.behavior import (
    BEHAVIOR_ANNOTATION,
    BehaviorError,
    ContainerBehavior,
    behavior_annotation,
    parse_behavior,
)
from k8smodel.kubelet.config import NodeConfig
from k8smodel.kubelet.images import DEFAULT_CATALOGUE, PULL_LATENCY, ImageRegistry, InvalidImageName
from k8smodel.kubelet.kubelet import Kubelet, get_phase
from k8smodel.kubelet.node_status import LEASE_DURATION_SECONDS, LEASE_NAMESPACE

__all__ = [
    "BEHAVIOR_ANNOTATION",
    "DEFAULT_CATALOGUE",
    "INITIAL_BACKOFF",
    "LEASE_DURATION_SECONDS",
    "LEASE_NAMESPACE",
    "MAX_BACKOFF",
    "PULL_LATENCY",
    "Backoff",
    "BehaviorError",
    "ContainerBehavior",
    "ImageRegistry",
    "InvalidImageName",
    "Kubelet",
    "NodeConfig",
    "behavior_annotation",
    "get_phase",
    "parse_behavior",
]
