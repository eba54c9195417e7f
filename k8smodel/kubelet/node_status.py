"""node_status: how a kubelet registers its Node and proves it is alive — node status and the node Lease.

Registration (``pkg/kubelet/kubelet_node_status.go``: ``registerWithAPIServer``, ``tryRegisterWithAPIServer``)
    At start the kubelet creates its Node (:meth:`k8smodel.kubelet.config.NodeConfig.node_object`) with a first
    status already filled in. If the Node exists (the machine rebooted), the kubelet adopts it and puts its default
    labels back (``updateDefaultLabels``). It records ``Starting`` (``Starting kubelet.``) and
    ``NodeAllocatableEnforced`` (``Updated Node Allocatable limit across pods``) when it starts.

Node status (``updateNodeStatus``, ``tryUpdateNodeStatus``; setters in ``pkg/kubelet/nodestatus/setters.go``)
    Every ``nodeStatusUpdateFrequency`` (10 s, ``wait.JitterUntil`` with jitter 0.04) the kubelet reads its Node
    (learning ``spec.podCIDR`` from it: the network becomes ready when it has one; upstream's first read is served
    from the API server's watch cache, and the model keeps the Node it read and asks the API server whether it is
    still that version, ``APIServer._get_if_changed``, rather than decoding the same object again) and computes the
    status:
    ``addresses`` (``InternalIP`` and ``Hostname``), ``capacity``/``allocatable``, ``nodeInfo`` (a new ``bootID``
    after every boot: the ``Rebooted`` warning), ``images`` (the 50 biggest images on the node, biggest first:
    ``nodeStatusMaxImages``), ``daemonEndpoints`` and four conditions in the setters' order:
    ``MemoryPressure``, ``DiskPressure``, ``PIDPressure`` (``False``: the model has no eviction manager) and
    ``Ready`` (``True``, ``KubeletReady``, ``kubelet is posting ready status``; ``False``, ``KubeletNotReady``, with
    the runtime's network error while the node has no Pod CIDR). Every condition's ``lastHeartbeatTime`` is now; its
    ``lastTransitionTime`` moves only when its status changes, and then an event is recorded (``NodeReady``,
    ``NodeNotReady``, ``NodeHasSufficientMemory``, ...: ``Node node-1 status is now: NodeReady``). The status is
    written (a ``PATCH`` of ``status``) only if something other than the heartbeat times changed, or if
    ``nodeStatusReportFrequency`` (5 minutes) has passed since the last write: since the Lease carries the
    heartbeat, a healthy node's status is written once every 5 minutes.

The node Lease (``staging/src/k8s.io/component-helpers/apimachinery/lease/controller.go``; ``pkg/kubelet/nodelease``)
    A ``coordination.k8s.io/v1`` Lease named after the node in ``kube-node-lease``, owned by the Node, with
    ``holderIdentity`` the node's name and ``leaseDurationSeconds`` 40. Every ``renewInterval`` (0.25 x 40 = 10 s,
    jitter 0.04) the kubelet writes ``spec.renewTime``, updating the Lease it last wrote without reading it first
    (up to 5 immediate tries, ``maxUpdateRetries``). When that fails it falls back to ``backoffEnsureLease``: read
    (or create) the Lease, retrying with a back-off from 200 ms doubling to 7 s (``maxBackoff``) for as long as it
    takes; so after a network partition heals, the Lease is renewed within 7 s. The node lifecycle controller
    watches these Leases: a Lease not renewed for its grace period makes the Node ``Unknown``.

What the model leaves out: ``fastStatusUpdateOnce`` (the burst of status updates until a new node is ready), the
status fields of volumes, runtime handlers and features, the cloud provider's addresses, and node conditions other
than the four above; the Ready condition does not report runtime or PLEG health (the runtime is always healthy
while the machine is up). Network readiness follows ``spec.podCIDR`` at once; upstream waits for the network
plugin to write its configuration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8smodel.api.errors import StatusError
from k8smodel.api.kinds import for_kind
from k8smodel.kubelet.config import (
    ARCH_LABEL,
    HOSTNAME_LABEL,
    INSTANCE_TYPE_LABEL,
    OS_LABEL,
    REGION_LABEL,
    ZONE_LABEL,
)
from k8smodel.kubelet.runtime import NETWORK_NOT_READY_MESSAGE
from k8smodel.record import NORMAL, WARNING
from k8smodel.sim import Simulation, Timer

if TYPE_CHECKING:
    from k8smodel.kubelet.kubelet import Kubelet

NODE_STATUS_UPDATE_FREQUENCY = 10.0  # KubeletConfiguration.nodeStatusUpdateFrequency
NODE_STATUS_REPORT_FREQUENCY = 300.0  # nodeStatusReportFrequency
NODE_STATUS_UPDATE_RETRY = 5  # nodeStatusUpdateRetry
NODE_STATUS_MAX_IMAGES = 50  # nodeStatusMaxImages
NODE_HEARTBEAT_JITTER = 0.04
LEASE_DURATION_SECONDS = 40  # nodeLeaseDurationSeconds
LEASE_RENEW_INTERVAL_FRACTION = 0.25  # nodelease.DefaultRenewIntervalFraction
LEASE_NAMESPACE = "kube-node-lease"
LEASE_MAX_UPDATE_RETRIES = 5  # maxUpdateRetries
LEASE_MAX_BACKOFF = 7.0  # maxBackoff
LEASE_JITTER = 0.04
KUBELET_PORT = 10250

KUBELET_VERSION = "v1.33.1"
CONTAINER_RUNTIME_VERSION = "containerd://2.0.5"
KERNEL_VERSION = "6.8.0-60-generic"
OS_IMAGE = "Ubuntu 24.04.2 LTS"

_NODES = for_kind("Node")
_DEFAULT_LABELS = (HOSTNAME_LABEL, OS_LABEL, ARCH_LABEL, INSTANCE_TYPE_LABEL, ZONE_LABEL, REGION_LABEL)

# (type, reason and message when fine) of the pressure conditions, in the setters' order
_PRESSURE = (
    (
        "MemoryPressure",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available",
        "NodeHasSufficientMemory",
    ),
    ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure"),
    ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available", "NodeHasSufficientPID"),
)


def _update_owned(api: Any) -> Any:
    """``api.update`` for an object the caller hands over (``APIServer._update_owned``: no defensive copy), unless
    the API has no such door or its ``update`` was replaced on the instance (a test's fault injection)."""
    if "update" in getattr(api, "__dict__", ()):
        return api.update
    return getattr(api, "_update_owned", api.update)


def _create_owned(api: Any) -> Any:
    """``api.create`` for an object the caller hands over (``APIServer._create_owned``); see :func:`_update_owned`."""
    if "create" in getattr(api, "__dict__", ()):
        return api.create
    return getattr(api, "_create_owned", api.create)


def _same_but_heartbeat(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> bool:
    if len(old) != len(new):
        return False
    for a, b in zip(old, new, strict=True):
        if len(a) != len(b):
            return False
        for key, value in b.items():
            if key != "lastHeartbeatTime" and a.get(key) != value:
                return False
    return True


def node_status_has_changed(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """``nodeStatusHasChanged``: any difference but the conditions' ``lastHeartbeatTime``."""
    if old.keys() != new.keys():
        return True
    for key, value in new.items():
        if key == "conditions":
            if not _same_but_heartbeat(old.get("conditions") or [], value or []):
                return True
        elif old.get(key) != value:
            return True
    return False


def timestamp(sim: Simulation, t: float | None = None) -> str:
    """``sim.rfc3339(t)`` (a ``metav1.Time``; the simulation formats each second once)."""
    return sim.rfc3339(t)


def timestamp_micro(sim: Simulation, t: float | None = None) -> str:
    """``sim.rfc3339_micro(t)`` (a ``metav1.MicroTime``, a Lease's ``renewTime``)."""
    return sim.rfc3339_micro(t)


class NodeStatusManager:
    """Registration, node status and its heartbeat loop for one kubelet (see the module docstring)."""

    def __init__(self, kubelet: Kubelet) -> None:
        self.kubelet = kubelet
        self.sim = kubelet.sim
        self.registered = False
        self.last_report: float | None = None
        self.timer: Timer | None = None
        self.writes = 0
        self.node_uid: str | None = None
        self._capacity: tuple[dict[str, str], dict[str, str]] | None = None
        self._static_key: tuple[str, int] | None = None
        self._static_parts: dict[str, Any] = {}
        self._seen_rv: str | None = None
        self._seen_inputs: tuple[Any, ...] | None = None
        self._node: dict[str, Any] | None = None  # the Node as last read (never changed here)

    # ---- the loop ----------------------------------------------------------------------------------------------

    def start(self) -> None:
        self.registered = False
        self.last_report = None
        self._seen_rv = None
        self.timer = self.sim.every(
            NODE_STATUS_UPDATE_FREQUENCY, self.sync, jitter=NODE_HEARTBEAT_JITTER, rng=self.kubelet.rng
        )

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def sync(self) -> None:
        """``syncNodeStatus``: register if needed, then update the status."""
        if not self.registered:
            self.register()
            if not self.registered:
                return
        for _ in range(NODE_STATUS_UPDATE_RETRY):
            try:
                self._try_update()
                return
            except ConnectionError:
                continue
            except StatusError as err:
                if err.code == 404:  # the Node was deleted: register again next time
                    self.registered = False
                    return
                continue

    # ---- registration ------------------------------------------------------------------------------------------

    def register(self) -> None:
        """``registerWithAPIServer`` (one attempt per tick): create the Node, or adopt the existing one."""
        kubelet = self.kubelet
        node = kubelet.config.node_object()
        node["status"] = self._status(node, initial=True)
        try:
            created = kubelet.call(kubelet.api.create, node, user=kubelet.user)
        except ConnectionError:
            return
        except StatusError as err:
            if err.code != 409:
                return
            try:
                existing = kubelet.call(kubelet.api.get, "nodes", kubelet.name, user=kubelet.user)
                self._update_default_labels(existing, node)
            except (ConnectionError, StatusError):
                return
            self.node_uid = existing["metadata"].get("uid")
            self.registered = True
            self._learn_pod_cidr(existing)
            return
        self.node_uid = created["metadata"].get("uid")
        self.registered = True
        self.last_report = self.sim.now
        self.writes += 1

    def _update_default_labels(self, existing: dict[str, Any], initial: dict[str, Any]) -> None:
        """``updateDefaultLabels``: the kubelet's own labels win over what is stored."""
        labels = existing["metadata"].get("labels") or {}
        wanted = initial["metadata"].get("labels") or {}
        patch = {k: wanted[k] for k in _DEFAULT_LABELS if k in wanted and labels.get(k) != wanted[k]}
        if patch:
            kubelet = self.kubelet
            kubelet.call(
                kubelet.api.patch, "nodes", kubelet.name, None, {"metadata": {"labels": patch}}, user=kubelet.user
            )

    # ---- status ------------------------------------------------------------------------------------------------

    def _learn_pod_cidr(self, node: dict[str, Any]) -> None:
        cidr = (node.get("spec") or {}).get("podCIDR")
        if cidr:
            self.kubelet.set_pod_cidr(cidr)

    def _try_update(self) -> None:
        """``tryUpdateNodeStatus``: read the Node, compute the status, write it if it changed (or is old).

        A shortcut that changes no outcome: if the Node is the very version this loop saw last time (same
        resourceVersion) and nothing the setters read has changed here (boot, images, network), the setters would
        compute the same status again, so they are skipped until the report is due."""
        kubelet = self.kubelet
        node = self._get_node()
        meta = node["metadata"]
        self.node_uid = meta.get("uid")
        runtime = kubelet.runtime
        cidr = (node.get("spec") or {}).get("podCIDR")
        if cidr and cidr != runtime.pod_cidr:  # (_learn_pod_cidr: the range the runtime has already changes nothing)
            kubelet.set_pod_cidr(cidr)
        now = self.sim.env._now
        last = self.last_report
        due = last is None or now - last >= NODE_STATUS_REPORT_FREQUENCY
        if (
            not due
            and meta.get("resourceVersion") == self._seen_rv
            and (inputs := self._seen_inputs) is not None
            and inputs[0] == kubelet.boot_id
            and inputs[1] == runtime.images_version
            and inputs[2] == runtime.network_ready
        ):
            return
        inputs = (kubelet.boot_id, runtime.images_version, runtime.network_ready)
        old = node.get("status") or {}
        new = self._status(node)
        self._seen_inputs = inputs
        self._seen_rv = meta.get("resourceVersion")
        if not due and not node_status_has_changed(old, new):
            return
        patch: dict[str, Any] = dict(new)
        for key in old:
            if key not in new:
                patch[key] = None
        written = kubelet.call(
            kubelet.api.patch, "nodes", kubelet.name, None, {"status": patch}, subresource="status", user=kubelet.user
        )
        self._seen_rv = written["metadata"].get("resourceVersion")
        self.last_report = now
        self.writes += 1

    def _get_node(self) -> dict[str, Any]:
        """``GET`` the Node (the first try of ``tryUpdateNodeStatus``). The Node read last time is kept (and only
        read): while it is still the stored version, the API server answers that it is unchanged
        (``APIServer._get_if_changed``) instead of decoding the same object again."""
        kubelet = self.kubelet
        api = kubelet.api
        last = self._node
        get_if_changed = getattr(api, "_get_if_changed", None)
        if last is None or get_if_changed is None or "get" in getattr(api, "__dict__", ()):
            node = kubelet.call(api.get, "nodes", kubelet.name, user=kubelet.user)
        else:
            # (the Node kind itself rather than "nodes": the same request, without looking the resource up again)
            node = kubelet.call(
                get_if_changed, _NODES, kubelet.name, None, last["metadata"].get("resourceVersion"), user=kubelet.user
            )
            if node is None:
                return last
        self._node = node
        return node

    def _static(self) -> dict[str, Any]:
        """The parts of the status that change only with a boot or a pulled image (computed once for each)."""
        kubelet = self.kubelet
        runtime = kubelet.runtime
        key = (kubelet.boot_id, runtime.images_version)
        if self._static_key != key:
            config = kubelet.config
            images = sorted(runtime.images.values(), key=lambda i: (-i.size, i.ref))[:NODE_STATUS_MAX_IMAGES]
            if self._capacity is None:
                self._capacity = (config.allocatable(), config.capacity())
            self._static_parts = {
                "addresses": [
                    {"type": "InternalIP", "address": kubelet.node_ip},
                    {"type": "Hostname", "address": kubelet.name},
                ],
                "allocatable": self._capacity[0],
                "capacity": self._capacity[1],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": KUBELET_PORT}},
                "images": [{"names": [i.image_id, i.ref], "sizeBytes": i.size} for i in images],
                "nodeInfo": {
                    "architecture": config.arch,
                    "bootID": kubelet.boot_id,
                    "containerRuntimeVersion": CONTAINER_RUNTIME_VERSION,
                    "kernelVersion": KERNEL_VERSION,
                    "kubeletVersion": KUBELET_VERSION,
                    "machineID": kubelet.machine_id,
                    "operatingSystem": config.os,
                    "osImage": OS_IMAGE,
                    "systemUUID": kubelet.system_uuid,
                },
            }
            self._static_key = key
        return self._static_parts

    def _status(self, node: dict[str, Any], initial: bool = False) -> dict[str, Any]:
        """The setters (``defaultNodeStatusFuncs``), applied to a copy of ``node``'s status."""
        kubelet = self.kubelet
        old = node.get("status") or {}
        old_boot = (old.get("nodeInfo") or {}).get("bootID")
        if old_boot and old_boot != kubelet.boot_id and not initial:
            kubelet.node_event(
                WARNING, "Rebooted", f"Node {kubelet.name} has been rebooted, boot id: {kubelet.boot_id}"
            )
        status = dict(self._static())
        status["conditions"] = self._conditions(old.get("conditions") or [], timestamp(kubelet.sim))
        return status

    def _conditions(self, old: list[dict[str, Any]], now: str) -> list[dict[str, Any]]:
        kubelet = self.kubelet
        by_type = {c.get("type"): c for c in old}
        out: list[dict[str, Any]] = []
        for ctype, reason, message, event in _PRESSURE:
            prev = by_type.get(ctype)
            cond: dict[str, Any] = {
                "type": ctype,
                "status": "False",
                "reason": reason,
                "message": message,
                "lastHeartbeatTime": now,
            }
            if prev is not None and prev.get("status") == "False":
                cond["lastTransitionTime"] = prev.get("lastTransitionTime")
                cond["reason"], cond["message"] = prev.get("reason", reason), prev.get("message", message)
            else:
                cond["lastTransitionTime"] = now
                kubelet.node_event(NORMAL, event, f"Node {kubelet.name} status is now: {event}")
            out.append(cond)
        if kubelet.runtime.network_ready:
            ready = {"status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}
        else:
            ready = {"status": "False", "reason": "KubeletNotReady", "message": NETWORK_NOT_READY_MESSAGE}
        cond = {"type": "Ready", **ready, "lastHeartbeatTime": now}
        prev = by_type.get("Ready")
        if prev is None:
            cond["lastTransitionTime"] = now
        elif prev.get("status") == cond["status"]:
            cond["lastTransitionTime"] = prev.get("lastTransitionTime")
        else:
            cond["lastTransitionTime"] = now
            event = "NodeReady" if cond["status"] == "True" else "NodeNotReady"
            kubelet.node_event(NORMAL, event, f"Node {kubelet.name} status is now: {event}")
        out.append(cond)
        return out


class LeaseController:
    """The node Lease's renewal loop (``lease/controller.go``; see the module docstring)."""

    def __init__(self, kubelet: Kubelet) -> None:
        self.kubelet = kubelet
        self.sim = kubelet.sim
        self.latest: dict[str, Any] | None = None
        self.timer: Timer | None = None
        self._retry: Timer | None = None
        self._sleep = 0.1
        self.renewals = 0
        self.renew_interval = LEASE_DURATION_SECONDS * LEASE_RENEW_INTERVAL_FRACTION

    def start(self) -> None:
        self.latest = None
        self._schedule(self.sim.now)

    def stop(self) -> None:
        for timer in (self.timer, self._retry):
            if timer is not None:
                timer.cancel()
        self.timer = self._retry = None

    def _schedule(self, when: float) -> None:
        self.timer = self.sim.call_at(when, self.sync)

    def _next(self) -> None:
        """``JitterUntil`` (sliding): the next sync one jittered interval after this one ended."""
        interval = self.renew_interval
        self._schedule(self.sim.now + interval + self.kubelet.rng.random() * LEASE_JITTER * interval)

    def sync(self) -> None:
        self.timer = None
        if self.latest is not None and self._retry_update(self.latest):
            self._next()
            return
        self._sleep = 0.1
        self._ensure()

    def _ensure(self) -> None:
        """``backoffEnsureLease``: get or create the Lease, retrying with back-off until it works."""
        self._retry = None
        try:
            lease, created = self._ensure_once()
        except (ConnectionError, StatusError):
            self._sleep = min(2 * self._sleep, LEASE_MAX_BACKOFF)
            self._retry = self.sim.call_later(self._sleep, self._ensure)
            return
        self.latest = lease
        if lease is not None and not created:
            self._retry_update(lease)
        self._next()

    def _ensure_once(self) -> tuple[dict[str, Any] | None, bool]:
        kubelet = self.kubelet
        try:
            return kubelet.call(kubelet.api.get, "leases", kubelet.name, LEASE_NAMESPACE, user=kubelet.user), False
        except StatusError as err:
            if err.code != 404:
                raise
        lease = self._new_lease(None)
        if lease is None:
            return None, False  # no owner yet: create it next time
        return kubelet.call(_create_owned(kubelet.api), lease, user=kubelet.user), True

    def _retry_update(self, base: dict[str, Any]) -> bool:
        """``retryUpdateLease``: up to 5 immediate tries; a conflict re-reads the Lease first."""
        kubelet = self.kubelet
        for _ in range(LEASE_MAX_UPDATE_RETRIES):
            lease = self._new_lease(base)
            if lease is None:
                continue
            try:
                # the Lease is built afresh by _new_lease and never touched again: handed over to the API server
                self.latest = kubelet.call(_update_owned(kubelet.api), lease, user=kubelet.user)
                self.renewals += 1
                return True
            except ConnectionError:
                continue
            except StatusError as err:
                if err.code == 409:
                    try:
                        fresh, _ = self._ensure_once()
                    except (ConnectionError, StatusError):
                        continue
                    if fresh is not None:
                        base = fresh
                continue
        return False

    def _new_lease(self, base: dict[str, Any] | None) -> dict[str, Any] | None:
        """``newLease`` with the kubelet's ``setNodeOwnerFunc``: the Lease to write, owned by the Node."""
        kubelet = self.kubelet
        now = kubelet.sim.rfc3339_micro()  # (timestamp_micro's text)
        if base is None:
            lease: dict[str, Any] = {
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": {"name": kubelet.name, "namespace": LEASE_NAMESPACE},
                "spec": {"holderIdentity": kubelet.name},
            }
        else:
            lease = {**base, "metadata": dict(base["metadata"]), "spec": dict(base.get("spec") or {})}
        spec = lease["spec"]
        spec["leaseDurationSeconds"] = LEASE_DURATION_SECONDS
        spec["renewTime"] = now
        meta = lease["metadata"]
        if not meta.get("ownerReferences"):
            uid = kubelet.node_status.node_uid
            if uid is None:
                try:
                    uid = kubelet.call(kubelet.api.get, "nodes", kubelet.name, user=kubelet.user)["metadata"]["uid"]
                except (ConnectionError, StatusError):
                    return None if base is None else lease
            meta["ownerReferences"] = [{"apiVersion": "v1", "kind": "Node", "name": kubelet.name, "uid": uid}]
        return lease


__all__ = [
    "LEASE_DURATION_SECONDS",
    "LEASE_NAMESPACE",
    "NODE_STATUS_REPORT_FREQUENCY",
    "NODE_STATUS_UPDATE_FREQUENCY",
    "LeaseController",
    "NodeStatusManager",
    "node_status_has_changed",
]
