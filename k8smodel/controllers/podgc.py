"""podgc: the pod garbage collector — force-deletes the Pods that nobody else will ever finish deleting.

A Pod is normally removed by the kubelet of its node: the API server sets ``deletionTimestamp``, the kubelet stops the
containers and then deletes the object for good. When that kubelet is gone, nobody does, and the Pod stays
``Terminating`` for ever. PodGC is the controller of kube-controller-manager that cleans such Pods up. Every 20 s
(``gcCheckPeriod``) it lists all Pods and Nodes from its informers and:

1. **terminated Pods** (phase ``Succeeded`` or ``Failed``): if there are more than ``--terminated-pod-gc-threshold``
   (12,500 by default), deletes the oldest of them down to the threshold, evicted ones first
   (``byEvictionAndCreationTimestamp``);
2. **terminating Pods on out-of-service Nodes**: a Pod being deleted on a Node that is not Ready and carries the
   ``node.kubernetes.io/out-of-service`` taint (which an administrator adds to say "this machine is gone for good")
   is deleted at once;
3. **orphaned Pods**: a Pod bound to a Node that does not exist. The Node's name first waits 40 s in a quarantine
   (``quarantineTime``: the Node may just not have reached the informer yet), then the controller asks the API server
   for the Node, uncached; if it is really gone, every Pod bound to it is deleted, with the condition
   ``DisruptionTarget`` (reason ``DeletionByPodGC``, message ``PodGC: node no longer exists``);
4. **unscheduled terminating Pods**: a Pod being deleted that was never bound to a Node is deleted at once.

Each deletion first patches the Pod's status to phase ``Failed`` (unless it is ``Succeeded`` or ``Failed`` already;
an orphaned Pod would otherwise stay ``Running`` for ever, with no kubelet to say otherwise), then deletes it with a
grace period of 0: the object is removed from etcd without waiting for a kubelet.

This is why, after a node failure, the evicted Pods of a crashed machine stay ``Terminating`` until the Node comes
back (its kubelet finishes the deletions) or an administrator deletes the Node object (then PodGC removes them
40 to 60 s later) or taints it out-of-service.

Upstream source: ``pkg/controller/podgc/gc_controller.go`` (``gc``, ``gcTerminated``, ``gcTerminating``,
``gcOrphaned``, ``discoverDeletedNodes``, ``checkIfNodeExists``, ``gcUnscheduledTerminating``,
``byEvictionAndCreationTimestamp``, ``markFailedAndDeletePodWithCondition``); the default threshold is
``pkg/controller/podgc/config/v1alpha1/defaults.go``; the taint is ``v1.TaintNodeOutOfService``.

What the model leaves out
    * The deletions of one pass run one after another (upstream: one goroutine each), in the order given above.
    * The orphaned-Node quarantine is a dictionary of ready times rather than a delaying work queue; an item added
      again while it waits keeps its earlier ready time, as ``AddAfter`` does.
    * Metrics (``pod_gc_collector_force_delete_pods_total`` and its error counter).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from k8smodel.api.errors import StatusError
from k8smodel.apiserver.authn import AUTHENTICATED_GROUP, MASTERS_GROUP, UserInfo
from k8smodel.client import Informer
from k8smodel.controllers.controller_utils import parse_time
from k8smodel.sim import Simulation, Timer

Obj = dict[str, Any]

CONTROLLER_NAME = "pod-garbage-collector-controller"  # names.PodGarbageCollectorController
GC_CHECK_PERIOD = 20.0
"""``gcCheckPeriod``: how often the controller looks."""
QUARANTINE_TIME = 40.0
"""``quarantineTime``: how long a missing Node's name waits before the controller asks whether it is really gone."""
TERMINATED_POD_GC_THRESHOLD = 12500
"""``--terminated-pod-gc-threshold``: terminated Pods kept before the oldest are deleted (0 turns this off)."""
TAINT_NODE_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service"
"""``v1.TaintNodeOutOfService``: an administrator's word that a non-Ready Node will not come back."""
DISRUPTION_TARGET = "DisruptionTarget"
ORPHANED_REASON = "DeletionByPodGC"
ORPHANED_MESSAGE = "PodGC: node no longer exists"

POD_GC_USER = UserInfo(
    "system:serviceaccount:kube-system:pod-garbage-collector",
    ("system:serviceaccounts", "system:serviceaccounts:kube-system", AUTHENTICATED_GROUP, MASTERS_GROUP),
)
"""The controller's service account (in ``system:masters``: the model's RBAC has no controller ClusterRoles)."""


# --- what each part of a pass selects (pure functions of the informers' objects) -------------------------------


def is_pod_terminated(pod: Obj) -> bool:
    """``isPodTerminated``: any phase but Pending, Running and Unknown (an unset phase counts as terminated too)."""
    return ((pod.get("status") or {}).get("phase") or "") not in ("Pending", "Running", "Unknown")


def is_pod_terminating(pod: Obj) -> bool:
    """``isPodTerminating``: the Pod has a ``deletionTimestamp``."""
    return bool(pod["metadata"].get("deletionTimestamp"))


def _is_evicted(pod: Obj) -> bool:
    """``eviction.PodIsEvicted``: phase Failed with reason Evicted (the kubelet's node-pressure eviction)."""
    status = pod.get("status") or {}
    return status.get("phase") == "Failed" and status.get("reason") == "Evicted"


def _created(pod: Obj) -> float:
    stamp = pod["metadata"].get("creationTimestamp")
    return parse_time(stamp) if stamp else 0.0


def _eviction_and_creation_order(a: Obj, b: Obj) -> int:
    """``byEvictionAndCreationTimestamp.Less``: evicted Pods first, then the older, then by name."""
    ea, eb = _is_evicted(a), _is_evicted(b)
    if ea != eb:
        return -1 if ea else 1
    ca, cb = _created(a), _created(b)
    if ca == cb:
        na, nb = a["metadata"]["name"], b["metadata"]["name"]
        return (na > nb) - (na < nb)
    return -1 if ca < cb else 1


def by_eviction_and_creation(pods: Iterable[Obj]) -> list[Obj]:
    """``sort.Sort(byEvictionAndCreationTimestamp(pods))``."""
    return sorted(pods, key=functools.cmp_to_key(_eviction_and_creation_order))


def terminated_to_delete(pods: Iterable[Obj], threshold: int) -> list[Obj]:
    """``gcTerminated``: the terminated Pods above ``threshold``, evicted and oldest first (none if threshold <= 0)."""
    if threshold <= 0:
        return []
    terminated = [p for p in pods if is_pod_terminated(p)]
    count = len(terminated) - threshold
    if count <= 0:
        return []
    return by_eviction_and_creation(terminated)[:count]


def _node_ready(node: Obj) -> bool:
    """``nodeutil.IsNodeReady``."""
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def terminating_out_of_service(pods: Iterable[Obj], nodes: dict[str, Obj]) -> list[Obj]:
    """``gcTerminating``: terminating Pods on a Node that is not Ready and has the out-of-service taint, evicted and
    oldest first. A Pod whose Node the informer does not know is skipped (upstream logs "Failed to get node")."""
    found = []
    for pod in pods:
        if not is_pod_terminating(pod):
            continue
        node = nodes.get((pod.get("spec") or {}).get("nodeName") or "")
        if node is None:
            continue
        taints = (node.get("spec") or {}).get("taints") or []
        if not _node_ready(node) and any(t.get("key") == TAINT_NODE_OUT_OF_SERVICE for t in taints):
            found.append(pod)
    return by_eviction_and_creation(found)


def unscheduled_terminating(pods: Iterable[Obj]) -> list[Obj]:
    """``gcUnscheduledTerminating``: Pods being deleted that were never bound to a Node, in list order."""
    return [p for p in pods if is_pod_terminating(p) and not (p.get("spec") or {}).get("nodeName")]


# --- the controller ---------------------------------------------------------------------------------------------


class PodGCController:
    """``PodGCController``: every :data:`GC_CHECK_PERIOD` seconds, one pass of the four clean-ups (module docstring).

    ``terminated_pod_threshold`` is ``--terminated-pod-gc-threshold``. ``deleted`` keeps ``(time, namespace/name,
    why)`` of every Pod it deleted; each deletion is also logged (``podgc.delete``).
    """

    name = CONTROLLER_NAME

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        *,
        pod_informer: Informer | None = None,
        node_informer: Informer | None = None,
        terminated_pod_threshold: int = TERMINATED_POD_GC_THRESHOLD,
        user: UserInfo = POD_GC_USER,
    ) -> None:
        self.sim = sim
        self.api = api
        self.user = user
        self.terminated_pod_threshold = terminated_pod_threshold
        self.pods = pod_informer or Informer(sim, api.lister_watcher("pods", user=user), name="podgc/pods")
        self.nodes = node_informer or Informer(sim, api.lister_watcher("nodes", user=user), name="podgc/nodes")
        self.quarantine: dict[str, float] = {}  # Node name -> when it may be checked (the delaying queue)
        self.deleted: list[tuple[float, str, str]] = []
        self.passes = 0
        self._timer: Timer | None = None
        self.running = False

    def __repr__(self) -> str:
        return f"PodGCController(running={self.running}, passes={self.passes}, deleted={len(self.deleted)})"

    def start(self) -> None:
        """``Run``: start the informers, then a pass every 20 s (``wait.UntilWithContext``: the first one at once,
        once the caches have synced)."""
        if self.running:
            return
        self.running = True
        self.pods.start()
        self.nodes.start()
        self._timer = self.sim.every(GC_CHECK_PERIOD, self._tick)

    def stop(self) -> None:
        self.running = False
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _tick(self) -> None:
        if self.pods.has_synced() and self.nodes.has_synced():
            self.gc()

    # ---- one pass ----------------------------------------------------------------------------------------------

    def gc(self) -> None:
        """``gc``: terminated, terminating on out-of-service Nodes, orphaned, unscheduled terminating."""
        self.passes += 1
        pods = self.pods.list()
        nodes = {n["metadata"]["name"]: n for n in self.nodes.list()}
        for pod in terminated_to_delete(pods, self.terminated_pod_threshold):
            self._mark_failed_and_delete(pod, "terminated")
        for pod in terminating_out_of_service(pods, nodes):
            self._mark_failed_and_delete(pod, "terminating on an out-of-service node")
        self._gc_orphaned(pods, set(nodes))
        for pod in unscheduled_terminating(pods):
            self._mark_failed_and_delete(pod, "terminating and never scheduled")

    def _gc_orphaned(self, pods: list[Obj], existing: set[str]) -> None:
        """``gcOrphaned``: quarantine the names of missing Nodes, then delete the Pods of those confirmed gone."""
        now = self.sim.now
        for pod in pods:
            node = (pod.get("spec") or {}).get("nodeName") or ""
            if node and node not in existing:
                ready_at = now + QUARANTINE_TIME
                if ready_at < self.quarantine.get(node, float("inf")):  # AddAfter keeps the earlier ready time
                    self.quarantine[node] = ready_at
        deleted_nodes = self._discover_deleted_nodes(existing)
        if not deleted_nodes:
            return
        condition = {
            "type": DISRUPTION_TARGET,
            "status": "True",
            "reason": ORPHANED_REASON,
            "message": ORPHANED_MESSAGE,
        }
        for pod in pods:
            if (pod.get("spec") or {}).get("nodeName") in deleted_nodes:
                self._mark_failed_and_delete(pod, "orphaned: its node no longer exists", condition)

    def _discover_deleted_nodes(self, existing: set[str]) -> set[str]:
        """``discoverDeletedNodes``: every quarantined name whose time has come leaves the queue; those the
        informer still lacks are asked for, uncached (``checkIfNodeExists``), and the ones not found are gone."""
        now = self.sim.now
        gone: set[str] = set()
        for node in sorted(n for n, at in self.quarantine.items() if at <= now):
            del self.quarantine[node]
            if node in existing:
                continue
            try:
                self.api.get("nodes", node, user=self.user)
            except StatusError as err:
                if err.code == 404:
                    gone.add(node)
                # another error: the Node is added back by a later pass if it is still needed
        return gone

    def _mark_failed_and_delete(self, pod: Obj, why: str, condition: Obj | None = None) -> None:
        """``markFailedAndDeletePodWithCondition``: status phase Failed (and the condition), then delete with a
        grace period of 0. Errors are only logged, as ``utilruntime.HandleError`` does: the next pass tries again."""
        meta = pod["metadata"]
        name, namespace = meta["name"], meta.get("namespace") or "default"
        status = pod.get("status") or {}
        try:
            if status.get("phase") not in ("Succeeded", "Failed"):
                new_status: Obj = {"phase": "Failed"}
                if condition is not None:
                    new_status["conditions"] = _update_pod_condition(
                        status.get("conditions") or [], condition, self.sim.rfc3339()
                    )
                # utilpod.PatchPodStatus: the patch carries the uid, so it cannot land on a new Pod of the same name
                self.api.patch(
                    "pods",
                    name,
                    namespace,
                    {"metadata": {"uid": meta.get("uid")}, "status": new_status},
                    subresource="status",
                    user=self.user,
                )
            self.api.delete("pods", name, namespace, grace_period_seconds=0, user=self.user)
        except StatusError as err:
            self.sim.log("podgc.delete_failed", pod=f"{namespace}/{name}", reason=why, error=str(err))
            return
        self.deleted.append((self.sim.now, f"{namespace}/{name}", why))
        self.sim.log("podgc.delete", pod=f"{namespace}/{name}", reason=why)


def _update_pod_condition(conditions: list[Obj], condition: Obj, now: str) -> list[Obj]:
    """``apipod.UpdatePodCondition``: replace the condition of the same type (its ``lastTransitionTime`` moves only
    if the status changes) or append it."""
    out = []
    found = False
    for c in conditions:
        if c.get("type") != condition["type"]:
            out.append(c)
            continue
        found = True
        moved = c.get("status") != condition["status"]
        out.append({**condition, "lastTransitionTime": now if moved else c.get("lastTransitionTime", now)})
    if not found:
        out.append({**condition, "lastTransitionTime": now})
    return out


__all__ = [
    "GC_CHECK_PERIOD",
    "POD_GC_USER",
    "QUARANTINE_TIME",
    "TAINT_NODE_OUT_OF_SERVICE",
    "TERMINATED_POD_GC_THRESHOLD",
    "PodGCController",
    "by_eviction_and_creation",
    "is_pod_terminated",
    "terminated_to_delete",
    "terminating_out_of_service",
    "unscheduled_terminating",
]
