"""tainteviction: the taint eviction controller — Pods leave a Node whose ``NoExecute`` taints they do not tolerate.

A ``NoExecute`` taint on a Node means "no Pod may run here unless it tolerates me". The controller watches Nodes
and Pods and, for every Pod bound to a Node with ``NoExecute`` taints:

* if some taint is not tolerated, deletes the Pod **at once**;
* if every taint is tolerated, and some toleration has ``tolerationSeconds``, deletes the Pod after the *smallest*
  of them (``getMinTolerationTime``), counted from when the controller first saw the Pod tainted;
* if the tolerations tolerate forever (no ``tolerationSeconds``), leaves it alone;
* cancels a scheduled deletion when the taints go away (the Node came back) or the Pod goes.

This is how a failed Node loses its Pods. The node lifecycle controller taints an unreachable Node with
``node.kubernetes.io/unreachable:NoExecute``; every Pod tolerates that taint for 300 s, because the
``DefaultTolerationSeconds`` admission plugin added the toleration when the Pod was created; so 300 s later this
controller deletes the Pods, and their ReplicaSets create replacements elsewhere.

Each deletion and cancellation is an Event on the Pod, from the component ``taint-eviction-controller``, with the
reason ``TaintManagerEviction``: ``Marking for deletion Pod default/web-1`` and ``Cancelling deletion of Pod
default/web-1``. Before deleting, the Pod gets the condition ``DisruptionTarget`` (reason
``DeletionByTaintManager``, message ``Taint manager: deleting due to NoExecute taint``); the deletion itself is a
normal graceful one, with the Pod's own grace period.

Upstream sources: ``pkg/controller/tainteviction/taint_eviction.go`` (``Controller``: ``PodUpdated``,
``NodeUpdated``, ``handlePodUpdate``, ``handleNodeUpdate``, ``processPodOnNode``, ``deletePodHandler``,
``addConditionAndDeletePod``, the two ``emit...Event`` functions) and ``timed_workers.go`` (``TimedWorkerQueue``:
``AddWork``, ``CancelWork``, ``GetWorkerUnsafe``; ``createWorker``). The toleration matching is
``GetMatchingTolerations`` and ``getMinTolerationTime`` in :mod:`k8smodel.api.tolerations`. The controller runs as
its own controller (``SeparateTaintEvictionController``, on by default since v1.29).

What the model leaves out
    * Go's eight workers sharded by node name (``hash(nodeName) % 8``) with node updates taking priority over pod
      updates: here one worker drains the node queue completely before each pod update, which is the order a
      single shard sees.
    * A deletion due "now" runs as a goroutine upstream; here it runs right after the current callback (at the
      same simulated instant). The five retries of ``deletePodHandler`` are immediate (upstream sleeps 10 ms).
    * Prometheus metrics (``taint_eviction_controller_pod_deletions_total`` and the latency histogram).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from k8smodel.api.errors import StatusError
from k8smodel.api.tolerations import get_matching_tolerations, get_min_toleration_time, get_no_execute_taints
from k8smodel.apiserver.authn import AUTHENTICATED_GROUP, MASTERS_GROUP, UserInfo
from k8smodel.client import DeletedFinalStateUnknown, Informer, WorkQueue
from k8smodel.record import NORMAL, EventRecorder
from k8smodel.sim import Simulation, Timer

Obj = dict[str, Any]

CONTROLLER_NAME = "taint-eviction-controller"  # names.TaintEvictionController
RETRIES = 5  # retries in deletePodHandler
NODE_NAME_INDEX = "spec.nodeName"

TAINT_EVICTION_USER = UserInfo(
    "system:serviceaccount:kube-system:taint-eviction-controller",
    ("system:serviceaccounts", "system:serviceaccounts:kube-system", AUTHENTICATED_GROUP, MASTERS_GROUP),
)
"""The controller's service account (in ``system:masters``: the model's RBAC has no controller ClusterRoles)."""


def pod_node_name_index(obj: Any) -> list[str]:
    """The ``spec.nodeName`` index the node controllers add to the shared Pod informer."""
    node = (obj.get("spec") or {}).get("nodeName")
    return [node] if node else []


def ensure_node_name_index(pods: Informer) -> None:
    """Add the ``spec.nodeName`` index to a (possibly shared) Pod informer once."""
    if NODE_NAME_INDEX not in pods.indexer.get_indexers():
        pods.indexer.add_indexers({NODE_NAME_INDEX: pod_node_name_index})


def update_pod_condition(status: Obj, condition: Obj, now: str) -> bool:
    """``podutil.UpdatePodCondition`` (``pkg/api/v1/pod/util.go``): set ``condition`` in ``status``; its
    ``lastTransitionTime`` is ``now`` unless the status is unchanged. True if anything changed."""
    condition = dict(condition)
    condition.setdefault("lastProbeTime", None)
    condition["lastTransitionTime"] = now
    conditions = status.setdefault("conditions", [])
    for i, old in enumerate(conditions):
        if old.get("type") != condition["type"]:
            continue
        if condition.get("status") == old.get("status"):
            condition["lastTransitionTime"] = old.get("lastTransitionTime")
        equal = all(
            condition.get(f) == old.get(f)
            for f in ("status", "reason", "message", "lastProbeTime", "lastTransitionTime")
        )
        conditions[i] = condition
        return not equal
    conditions.append(condition)
    return True


@dataclass
class TimedWorker:
    """``TimedWorker``: work that runs at ``fire_at``; ``timer`` is ``None`` for work already running."""

    key: str
    created_at: float
    fire_at: float
    timer: Timer | None
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True
        if self.timer is not None:
            self.timer.cancel()


class TimedWorkerQueue:
    """``TimedWorkerQueue``: at most one scheduled work item per key (``"namespace/name"``)."""

    def __init__(self, sim: Simulation, work: Any) -> None:
        self.sim = sim
        self.work = work  # work(namespace, name, fire_at)
        self.workers: dict[str, TimedWorker | None] = {}

    def add_work(self, namespace: str, name: str, created_at: float, fire_at: float) -> None:
        """``AddWork``: schedule the work unless the key already has some."""
        key = f"{namespace}/{name}"
        if key in self.workers:
            return
        delay = fire_at - created_at
        worker = TimedWorker(key, created_at, fire_at, None)
        if delay <= 0:
            # createWorker: run at once (upstream: in a goroutine) and keep a nil entry until it is done.
            self.sim.call_later(0.0, self._run, worker, namespace, name)
            self.workers[key] = None
            return
        worker.timer = self.sim.call_later(delay, self._run, worker, namespace, name)
        self.workers[key] = worker

    def _run(self, worker: TimedWorker, namespace: str, name: str) -> None:
        if worker.cancelled:
            return
        try:
            self.work(namespace, name, worker.fire_at)
        finally:
            self.workers.pop(worker.key, None)  # getWrappedWorkerFunc: the worker removes itself

    def cancel_work(self, key: str) -> bool:
        """``CancelWork``: True if a scheduled (not yet running) work item was cancelled."""
        if key not in self.workers:
            return False
        worker = self.workers.pop(key)
        if worker is None:
            return False
        worker.cancel()
        return True

    def get_worker(self, key: str) -> TimedWorker | None:
        """``GetWorkerUnsafe``."""
        return self.workers.get(key)

    def __len__(self) -> int:
        return len(self.workers)


class TaintEvictionController:
    """The taint eviction controller (see the module docstring).

    ``pod_informer`` and ``node_informer`` may be shared (the ``spec.nodeName`` index is added to the Pod
    informer if missing). ``scheduled()`` lists the pending deletions as ``{"namespace/name": fire_at}``.
    """

    name = CONTROLLER_NAME

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        *,
        pod_informer: Informer | None = None,
        node_informer: Informer | None = None,
        user: UserInfo = TAINT_EVICTION_USER,
    ) -> None:
        self.sim = sim
        self.api = api
        self.user = user
        self.pods = pod_informer or Informer(sim, api.lister_watcher("pods", user=user), name=f"{CONTROLLER_NAME}/pods")
        self.nodes = node_informer or Informer(
            sim, api.lister_watcher("nodes", user=user), name=f"{CONTROLLER_NAME}/nodes"
        )
        self.recorder = EventRecorder(sim, api, CONTROLLER_NAME, user=user)
        self.eviction_queue = TimedWorkerQueue(sim, self._delete_pod)
        self.tainted_nodes: dict[str, list[Obj]] = {}
        self.node_queue = WorkQueue(sim, "noexec_taint_node")
        self.pod_queue = WorkQueue(sim, "noexec_taint_pod")
        self._kick: Timer | None = None
        self._handlers: list[tuple[Informer, Any]] = []
        self.running = False

    # ---- running -----------------------------------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        ensure_node_name_index(self.pods)
        self._handlers = [
            (self.pods, self.pods.add_event_handler(self._pod_added, self._pod_changed, self._pod_deleted)),
            (self.nodes, self.nodes.add_event_handler(self._node_added, self._node_changed, self._node_deleted)),
        ]
        self.pods.start()
        self.nodes.start()

    def stop(self) -> None:
        self.running = False
        for informer, handler in self._handlers:
            informer.remove_event_handler(handler)
        self._handlers = []
        if self._kick is not None:
            self._kick.cancel()
            self._kick = None
        for key in list(self.eviction_queue.workers):
            self.eviction_queue.cancel_work(key)

    def scheduled(self) -> dict[str, float]:
        """Pending deletions: ``{"namespace/name": simulated time}`` (work already running is left out)."""
        return {k: w.fire_at for k, w in self.eviction_queue.workers.items() if w is not None}

    # ---- event handlers (PodUpdated, NodeUpdated) ---------------------------------------------------------

    def _pod_added(self, pod: Obj) -> None:
        self.pod_updated(None, pod)

    def _pod_changed(self, old: Obj, pod: Obj) -> None:
        self.pod_updated(old, pod)

    def _pod_deleted(self, obj: Any) -> None:
        pod = obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj
        if pod is not None:
            self.pod_updated(pod, None)

    def pod_updated(self, old: Obj | None, new: Obj | None) -> None:
        """``PodUpdated``: queue the Pod if it is new, gone, moved, or its tolerations changed."""
        if old is not None and new is not None:
            old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
            if old_spec.get("nodeName") == new_spec.get("nodeName") and (old_spec.get("tolerations") or []) == (
                new_spec.get("tolerations") or []
            ):
                return
        pod = new if new is not None else old
        assert pod is not None
        meta = pod["metadata"]
        self.pod_queue.add((meta.get("namespace") or "", meta["name"], (pod.get("spec") or {}).get("nodeName") or ""))
        self._wake()

    def _node_added(self, node: Obj) -> None:
        self.node_updated(None, node)

    def _node_changed(self, old: Obj, node: Obj) -> None:
        self.node_updated(old, node)

    def _node_deleted(self, obj: Any) -> None:
        node = obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj
        if node is not None:
            self.node_updated(node, None)

    def node_updated(self, old: Obj | None, new: Obj | None) -> None:
        """``NodeUpdated``: queue the Node if its ``NoExecute`` taints changed (or it came or went)."""
        if old is not None and new is not None:
            old_taints = (old.get("spec") or {}).get("taints")
            new_taints = (new.get("spec") or {}).get("taints")
            if old_taints == new_taints or get_no_execute_taints(old_taints) == get_no_execute_taints(new_taints):
                return
        node = new if new is not None else old
        assert node is not None
        self.node_queue.add(node["metadata"]["name"])
        self._wake()

    def _wake(self) -> None:
        if self._kick is None and self.running:
            self._kick = self.sim.call_later(0.0, self._work)

    def _work(self) -> None:
        """The worker: every queued node update first, then one pod update, until both queues are empty."""
        self._kick = None
        while True:
            name = self.node_queue.get()
            if name is not None:
                try:
                    self.handle_node_update(name)
                finally:
                    self.node_queue.done(name)
                continue
            item = self.pod_queue.get()
            if item is None:
                return
            try:
                self.handle_pod_update(*item)
            finally:
                self.pod_queue.done(item)

    # ---- the sync functions ------------------------------------------------------------------------------

    def _cancel_work_with_event(self, namespace: str, name: str) -> None:
        if self.eviction_queue.cancel_work(f"{namespace}/{name}"):
            self._emit(namespace, name, f"Cancelling deletion of Pod {namespace}/{name}")

    def process_pod_on_node(
        self, namespace: str, name: str, node_name: str, tolerations: list[Obj], taints: list[Obj], now: float
    ) -> None:
        """``processPodOnNode``: delete now, schedule the deletion, or cancel it."""
        if not taints:
            self._cancel_work_with_event(namespace, name)
        all_tolerated, used = get_matching_tolerations(taints, tolerations)
        if not all_tolerated:
            self._cancel_work_with_event(namespace, name)
            self.eviction_queue.add_work(namespace, name, now, now)
            return
        min_toleration = get_min_toleration_time(used)
        if min_toleration is None:  # tolerated forever
            self._cancel_work_with_event(namespace, name)
            return
        start = now
        trigger = start + min_toleration
        scheduled = self.eviction_queue.get_worker(f"{namespace}/{name}")
        if scheduled is not None:
            start = scheduled.created_at
            if start + min_toleration < trigger:
                return
            self._cancel_work_with_event(namespace, name)
        self.eviction_queue.add_work(namespace, name, start, trigger)

    def handle_pod_update(self, namespace: str, name: str, node_name: str) -> None:
        """``handlePodUpdate``."""
        pod = self.pods.get(f"{namespace}/{name}" if namespace else name)
        if pod is None:
            self._cancel_work_with_event(namespace, name)
            return
        spec = pod.get("spec") or {}
        if (spec.get("nodeName") or "") != node_name or not node_name:
            return
        taints = self.tainted_nodes.get(node_name)
        if taints is None:
            return
        self.process_pod_on_node(namespace, name, node_name, spec.get("tolerations") or [], taints, self.sim.now)

    def handle_node_update(self, node_name: str) -> None:
        """``handleNodeUpdate``."""
        node = self.nodes.get(node_name)
        if node is None:
            self.tainted_nodes.pop(node_name, None)
            return
        taints = get_no_execute_taints((node.get("spec") or {}).get("taints"))
        if taints:
            self.tainted_nodes[node_name] = taints
        else:
            self.tainted_nodes.pop(node_name, None)
        pods = self.pods.indexer.by_index(NODE_NAME_INDEX, node_name)
        if not pods:
            return
        if not taints:
            for pod in pods:
                meta = pod["metadata"]
                self._cancel_work_with_event(meta.get("namespace") or "", meta["name"])
            return
        now = self.sim.now
        for pod in pods:
            meta = pod["metadata"]
            tolerations = (pod.get("spec") or {}).get("tolerations") or []
            self.process_pod_on_node(meta.get("namespace") or "", meta["name"], node_name, tolerations, taints, now)

    # ---- deleting ----------------------------------------------------------------------------------------

    def _delete_pod(self, namespace: str, name: str, fire_at: float) -> None:
        """``deletePodHandler``: the Event, then up to five tries of ``addConditionAndDeletePod``."""
        self._emit(namespace, name, f"Marking for deletion Pod {namespace}/{name}")
        for _ in range(RETRIES):
            if self._add_condition_and_delete_pod(namespace, name):
                return

    def _add_condition_and_delete_pod(self, namespace: str, name: str) -> bool:
        try:
            pod = self.api.get("pods", name, namespace, user=self.user)
        except StatusError:
            return False
        status = copy.deepcopy(pod.get("status") or {})
        condition = {
            "type": "DisruptionTarget",
            "status": "True",
            "reason": "DeletionByTaintManager",
            "message": "Taint manager: deleting due to NoExecute taint",
        }
        if update_pod_condition(status, condition, self.sim.rfc3339()):
            try:
                self.api.update_status({**pod, "status": status}, user=self.user)
            except StatusError:
                return False
        try:
            self.api.delete("pods", name, namespace, user=self.user)
        except StatusError:
            return False
        return True

    def _emit(self, namespace: str, name: str, message: str) -> None:
        """``emitPodDeletionEvent`` / ``emitCancelPodDeletionEvent``: a reference without a uid, as upstream."""
        ref = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": namespace}}
        self.recorder.event(ref, NORMAL, "TaintManagerEviction", message)

    def __repr__(self) -> str:
        return f"TaintEvictionController(tainted_nodes={len(self.tainted_nodes)}, scheduled={len(self.scheduled())})"


__all__ = [
    "CONTROLLER_NAME",
    "NODE_NAME_INDEX",
    "TAINT_EVICTION_USER",
    "TaintEvictionController",
    "TimedWorker",
    "TimedWorkerQueue",
    "ensure_node_name_index",
    "pod_node_name_index",
    "update_pod_condition",
]
