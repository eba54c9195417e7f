"""scheduler: kube-scheduler — watch for Pods nobody has placed, pick a Node for each, bind it there.

The component is upstream's ``Scheduler`` (``pkg/scheduler/scheduler.go``) with its event handlers
(``pkg/scheduler/eventhandlers.go``) and its main loop (``pkg/scheduler/schedule_one.go``):

Informers
    One informer on Pods (without the finished ones: ``status.phase!=Succeeded,status.phase!=Failed``, as
    ``NewPodInformer``), one on Nodes. A Pod with ``spec.nodeName`` is *assigned*: it goes into the scheduler's
    :class:`~k8smodel.scheduler.cache.Cache`, where it counts against its Node. An unassigned Pod whose
    ``spec.schedulerName`` names one of this scheduler's profiles goes into the scheduling queue
    (:mod:`k8smodel.scheduler.queue`). Every change of a Node or an assigned Pod is also a *cluster event*
    offered to the Pods waiting as unschedulable (``MoveAllToActiveOrBackoffQueue``).
``ScheduleOne``, one Pod at a time
    Pop the head of activeQ; snapshot the cache (``UpdateSnapshot``); run the profile's framework (PreFilter,
    Filter, PostFilter, PreScore, Score, NormalizeScore: :meth:`Framework.schedule`). On success, *assume* the Pod
    (the cache counts it on its Node at once, so the next Pod sees the Node's capacity taken), then bind it with
    the DefaultBinder: ``POST pods/<name>/binding`` (:meth:`APIServer.bind`). The Pod then reaches the cache again
    through the informer, which confirms the assumption. The Pod gets a ``Normal`` ``Scheduled`` Event
    ``Successfully assigned default/web-1 to node-1``. If binding fails, the assumption is forgotten and the Pod
    retried after its back-off (``handleBindingCycleError``).
An unschedulable Pod (``handleSchedulingFailure``)
    PostFilter runs (DefaultPreemption: :meth:`Framework.post_filter`). If it found a Node where evicting
    lower-priority Pods makes room, the scheduler does the API side of preemption (``prepareCandidate``): each
    victim gets the ``DisruptionTarget`` condition (reason ``PreemptionByScheduler``) and is deleted (gracefully:
    the kubelet stops it), with a ``Preempted`` Event; lower-priority Pods nominated to that Node lose their
    nomination; and the preemptor's ``status.nominatedNodeName`` is set. In every case the Pod goes back to the
    queue (unschedulable pool, or backoffQ if something it waits for already happened), gets a ``Warning``
    ``FailedScheduling`` Event and the condition ``PodScheduled=False`` with reason ``Unschedulable`` and the
    framework's message (``0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.
    preemption: ...``). An error (not a verdict) gets reason ``SchedulerError`` instead.

Time
    A scheduling cycle takes **no simulated time** by default (``cycle_time=0``): the Pod is bound at the very
    instant it was popped, and the next Pod is popped right after; anything else already due at that instant
    (a controller's or kubelet's callback) runs first, in order. The model measures *decisions*, not latency: a real
    scheduler spends milliseconds per Pod, depending on the cluster's size and the machine, so any fixed figure
    would be invented, and a nonzero one would shift every later timestamp of a chapter for no teaching gain.
    The delays that matter — back-off (1 s doubling to 10 s), the 1 s and 30 s queue flushes, the 5-minute
    unschedulable limit — are upstream's and are all simulated. ``cycle_time`` may be set to a fixed cost per
    Pod to study a saturated scheduler.

Explanations
    With ``record_explanations=True`` the framework is asked for each attempt's explanation (every plugin's
    verdict and score per Node, :mod:`k8smodel.scheduler.explain`), and the last ``max_explanations`` are kept in
    :attr:`Scheduler.explanations`; :meth:`Scheduler.explain` returns the latest one of a Pod. Off (the default),
    nothing is recorded and the framework skips building them.

What the model leaves out
    * Extenders, Permit and its waiting Pods, PreBind, Reserve plugins other than the cache's assume, the binding
      cycle running on its own goroutine (here it follows the scheduling cycle at once), asynchronous API calls
      (``SchedulerAsyncAPICalls``) and asynchronous preemption (``SchedulerAsyncPreemption``, off by default in
      1.32), metrics, leader election.
    * Status writes are JSON merge patches of ``status`` (upstream sends a strategic merge patch), computed from
      the informer's latest copy of the Pod.
    * The Event recorder writes ``core/v1`` Events (``k8smodel.record``), with client-go's correlation: repeats
      of the same FailedScheduling message are counted on one Event (``count``), not written again.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Mapping
from typing import Any

from k8smodel.api.errors import StatusError
from k8smodel.apiserver.authn import ADMIN
from k8smodel.client import DeletedFinalStateUnknown, Informer
from k8smodel.record import NORMAL, WARNING, EventRecorder
from k8smodel.scheduler.queue import (
    EVENT_ASSIGNED_POD_ADD,
    EVENT_ASSIGNED_POD_DELETE,
    EVENT_NODE_ADD,
    EVENT_NODE_DELETE,
    PriorityQueue,
    QueuedPodInfo,
    node_scheduling_properties_change,
    pod_key,
    pod_priority,
    pod_scheduling_properties_change,
    priority_sort_key,
)
from k8smodel.sim import Simulation, Timer

Obj = dict[str, Any]

POD_INFORMER_FIELD_SELECTOR = "status.phase!=Succeeded,status.phase!=Failed"  # NewPodInformer
NOTE_LENGTH_LIMIT = 1024  # validation.NoteLengthLimit, for Event messages
ERR_NO_NODES_AVAILABLE = "no nodes available to schedule pods"  # ErrNoNodesAvailable
REASON_UNSCHEDULABLE = "Unschedulable"  # v1.PodReasonUnschedulable
REASON_SCHEDULER_ERROR = "SchedulerError"  # v1.PodReasonSchedulerError
REASON_PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler"  # v1.PodReasonPreemptionByScheduler
DEFAULT_MAX_EXPLANATIONS = 200


def truncate_message(message: str) -> str:
    """``truncateMessage``: an Event note longer than 1024 characters ends in `` ...``."""
    if len(message) <= NOTE_LENGTH_LIMIT:
        return message
    suffix = " ..."
    return message[: NOTE_LENGTH_LIMIT - len(suffix)] + suffix


def _assigned(pod: Obj) -> bool:
    """``assignedPod``."""
    return bool((pod.get("spec") or {}).get("nodeName"))


def _scheduler_name(pod: Obj) -> str:
    return (pod.get("spec") or {}).get("schedulerName") or ""


def update_pod_condition(status: Obj, condition: Obj, now: str) -> tuple[bool, list[Obj]]:
    """``podutil.UpdatePodCondition`` on a copy: (changed?, the new conditions list). The transition time is kept
    when the status does not change."""
    new = {"type": condition["type"], "status": condition["status"], "lastProbeTime": None, **condition}
    new["lastTransitionTime"] = now
    conditions = [dict(c) for c in status.get("conditions") or []]
    for i, old in enumerate(conditions):
        if old.get("type") == new["type"]:
            if old.get("status") == new["status"]:
                new["lastTransitionTime"] = old.get("lastTransitionTime")
            same = all(
                old.get(k) == new.get(k) for k in ("status", "reason", "message", "lastProbeTime", "lastTransitionTime")
            )
            conditions[i] = {**old, **new}
            return not same, conditions
    conditions.append(new)
    return True, conditions


class Listers:
    """What the plugins read besides Nodes and Pods (upstream: the scheduler's informer listers): Services and
    ReplicaSets (the system default topology spread selects a Pod's siblings through them) and Namespaces (their
    labels, for affinity namespace selectors). Kinds the model does not serve (ReplicationControllers,
    StatefulSets, PodDisruptionBudgets) are empty."""

    def __init__(self, sim: Simulation, api: Any, name: str, user: Any) -> None:
        self._informers = {
            resource: Informer(sim, api.lister_watcher(resource, user=user), name=f"{name}/{resource}")
            for resource in ("services", "replicasets", "namespaces")
        }

    def start(self) -> None:
        for informer in self._informers.values():
            informer.start()

    def stop(self) -> None:
        for informer in self._informers.values():
            informer.stop()

    def services(self, namespace: str) -> list[Obj]:
        return self._informers["services"].list(namespace=namespace)

    def services_version(self) -> int:
        """A number that changes whenever a Service is added, changed or removed (the informer's change log
        position): what the default topology spread's selector cache keys on."""
        return self._informers["services"].indexer.log_position()

    def replica_set(self, namespace: str, name: str) -> Obj | None:
        return self._informers["replicasets"].get(f"{namespace}/{name}")

    def replication_controller(self, namespace: str, name: str) -> Obj | None:
        return None

    def stateful_set(self, namespace: str, name: str) -> Obj | None:
        return None

    def namespace(self, name: str) -> Obj | None:
        return self._informers["namespaces"].get(name)

    def pod_disruption_budgets(self) -> list[Obj]:
        return []


class Scheduler:
    """kube-scheduler (see the module docstring).

    ``config`` is a ``SchedulerConfig`` (:func:`k8smodel.scheduler.config.load_config`; default: the default
    profile, ``default-scheduler``). ``name`` names the component in logs, its informers and random streams.
    Call :meth:`start`, then run the simulation.
    """

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        config: Any = None,
        *,
        name: str = "kube-scheduler",
        record_explanations: bool = False,
        max_explanations: int = DEFAULT_MAX_EXPLANATIONS,
        cycle_time: float = 0.0,
        user: Any = ADMIN,
    ) -> None:
        from k8smodel.scheduler import config as config_module
        from k8smodel.scheduler.cache import Cache
        from k8smodel.scheduler.framework import Framework

        if config is None:
            config = config_module.default_config()
        elif isinstance(config, (str, Mapping)):
            config = config_module.load_config(config)
        if cycle_time < 0:
            raise ValueError(f"cycle_time must not be negative, got {cycle_time!r}")
        self.sim = sim
        self.api = api
        self.config = config
        self.name = name
        self.user = user
        self.cycle_time = float(cycle_time)
        self.record_explanations = record_explanations
        self.explanations: collections.deque[tuple[str, float, Any]] = collections.deque(maxlen=max_explanations)
        percentage = getattr(config, "percentage_of_nodes_to_score", None)
        self.listers = Listers(sim, api, name, user)
        self.profiles: dict[str, Any] = {}
        for profile_name, profile in config.profiles.items():
            self.profiles[profile_name] = Framework(
                profile,
                rng=sim.rng(f"{name}/{profile_name}"),
                percentage_of_nodes_to_score=percentage,
                listers=self.listers,
            )
        self.recorders = {p: EventRecorder(sim, api, p, user=user) for p in self.profiles}
        self.cache = Cache()
        first = next(iter(self.profiles.values()))
        less, key = self._queue_order(first)
        self.queue = PriorityQueue(
            sim,
            less,
            key=key,
            events={p: fw.events_to_register() for p, fw in self.profiles.items()},
            pod_initial_backoff=float(getattr(config, "pod_initial_backoff_seconds", 1.0)),
            pod_max_backoff=float(getattr(config, "pod_max_backoff_seconds", 10.0)),
            on_activate=self._kick,
            pod_lister=self._get_pod,
            pre_enqueue=self._pre_enqueue,
        )
        self.node_informer = Informer(sim, api.lister_watcher("nodes", user=user), name=f"{name}/nodes")
        self.pod_informer = Informer(
            sim,
            api.lister_watcher("pods", field_selector=POD_INFORMER_FIELD_SELECTOR, user=user),
            name=f"{name}/pods",
        )
        self.node_informer.add_event_handler(self._add_node, self._update_node, self._delete_node)
        self.pod_informer.add_event_handler(self._add_pod, self._update_pod, self._delete_pod)
        self._loop: Timer | None = None
        self._looping = False
        self._started = False
        self._stopped = False
        self.attempts = 0  # scheduling cycles run
        self.scheduled = 0  # Pods bound
        self.errors: collections.deque[str] = collections.deque(maxlen=100)  # what upstream only logs

    # ---- wiring -----------------------------------------------------------------------------------------------

    @staticmethod
    def _queue_order(framework: Any) -> tuple[Callable[[QueuedPodInfo, QueuedPodInfo], bool] | None, Any]:
        """The profile's QueueSort order: PrioritySort as an equivalent sort key (fast in a heap), any other plugin
        through the framework's ``less`` (which takes the queued infos, with ``.pod`` and ``.timestamp``)."""
        sorters = getattr(framework, "queue_sort_plugins", None) or []
        if not sorters or getattr(sorters[0], "NAME", "") == "PrioritySort":
            return None, priority_sort_key
        return framework.less, None

    def _pre_enqueue(self, pod: Obj) -> str | None:
        """``runPreEnqueuePlugins`` of the Pod's profile: the name of the plugin that gates it, or None."""
        framework = self.profiles.get(_scheduler_name(pod))
        if framework is None:
            return None
        status = framework.pre_enqueue(pod)
        return None if status is None else (status.plugin or "PreEnqueue")

    def start(self) -> None:
        """Start the informers (list, then watch), the queue's flushes and the scheduling loop."""
        if self._started:
            return
        self._started = True
        self.listers.start()
        self.node_informer.start()
        self.pod_informer.start()
        self.queue.run()
        self._kick()

    def stop(self) -> None:
        """Stop watching and scheduling; the queue keeps its Pods."""
        self._stopped = True
        self.listers.stop()
        self.node_informer.stop()
        self.pod_informer.stop()
        self.queue.close()
        if self._loop is not None:
            self._loop.cancel()
            self._loop = None

    def _get_pod(self, namespace: str, name: str) -> Obj | None:
        return self.pod_informer.get(f"{namespace}/{name}")

    def _responsible_for(self, pod: Obj) -> bool:
        """``responsibleForPod``: the Pod names one of this scheduler's profiles."""
        return _scheduler_name(pod) in self.profiles

    # ---- event handlers (eventhandlers.go) --------------------------------------------------------------------

    def _add_node(self, node: Obj) -> None:
        """``addNodeToCache``."""
        self.cache.add_node(node)
        self.queue.move_all_to_active_or_backoff_queue(EVENT_NODE_ADD, None, node)

    def _update_node(self, old: Obj, new: Obj) -> None:
        """``updateNodeInCache``: only changes that may help a Pod move Pods."""
        if old is new:
            return
        self.cache.update_node(old, new)
        for event in node_scheduling_properties_change(new, old):
            self.queue.move_all_to_active_or_backoff_queue(event, old, new)

    def _delete_node(self, obj: Any) -> None:
        """``deleteNodeFromCache``."""
        node = obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj
        if node is None:
            return
        self.queue.move_all_to_active_or_backoff_queue(EVENT_NODE_DELETE, node, None)
        self.cache.remove_node(node)

    def _add_pod(self, pod: Obj) -> None:
        """``addPod``."""
        if _assigned(pod):
            self._add_assigned_pod(pod)
        elif self._responsible_for(pod):
            self.queue.add(pod)

    def _update_pod(self, old: Obj, new: Obj) -> None:
        """``updatePod``."""
        if _assigned(old):
            self._update_assigned_pod(old, new)
        elif _assigned(new):
            # the binding: treat it as an add to the cache, and take the Pod out of the queue
            self._add_assigned_pod(new)
            if self._responsible_for(old):
                self._delete_pod_from_queue(old, in_binding=True)
        elif self._responsible_for(old):
            self._update_pod_in_queue(old, new)

    def _delete_pod(self, obj: Any) -> None:
        """``deletePod``."""
        if isinstance(obj, DeletedFinalStateUnknown):
            pod = obj.obj
            if pod is None:
                return
            if self.cache.get_pod(pod) is not None and not self.cache.is_assumed(pod):
                self._delete_assigned_pod(pod)
            if self._responsible_for(pod):
                self._delete_pod_from_queue(pod, in_binding=False)
            return
        if _assigned(obj):
            self._delete_assigned_pod(obj)
        elif self._responsible_for(obj):
            self._delete_pod_from_queue(obj, in_binding=False)

    def _add_assigned_pod(self, pod: Obj) -> None:
        """``addAssignedPodToCache`` (with queueing hints on: every Pod that may care is offered the event)."""
        self.cache.add_pod(pod)
        self.queue.move_all_to_active_or_backoff_queue(EVENT_ASSIGNED_POD_ADD, None, pod)

    def _update_assigned_pod(self, old: Obj, new: Obj) -> None:
        """``updateAssignedPodInCache``."""
        if old is new:
            return
        self.cache.update_pod(old, new)
        for event in pod_scheduling_properties_change(new, old):
            self.queue.move_all_to_active_or_backoff_queue(event, old, new)

    def _delete_assigned_pod(self, pod: Obj) -> None:
        """``deleteAssignedPodFromCache``."""
        self.cache.remove_pod(pod)
        self.queue.move_all_to_active_or_backoff_queue(EVENT_ASSIGNED_POD_DELETE, pod, None)

    def _update_pod_in_queue(self, old: Obj, new: Obj) -> None:
        """``updatePodInSchedulingQueue``."""
        if old["metadata"].get("resourceVersion") == new["metadata"].get("resourceVersion"):
            return  # a resync: identical objects
        if self.cache.is_assumed(new):
            if new["metadata"].get("deletionTimestamp") and not old["metadata"].get("deletionTimestamp"):
                self._handle_assumed_pod_deletion(new)
            return
        self.queue.update(old, new)
        old_nnn = (old.get("status") or {}).get("nominatedNodeName")
        if old_nnn and old_nnn != (new.get("status") or {}).get("nominatedNodeName"):
            # Lower- or equal-priority Pods counted this Pod on its old nominated Node: they may fit now.
            self.queue.move_all_to_active_or_backoff_queue(
                EVENT_ASSIGNED_POD_DELETE, old, None, self._le_priority(pod_priority(old))
            )

    def _delete_pod_from_queue(self, pod: Obj, *, in_binding: bool) -> None:
        """``deletePodFromSchedulingQueue``."""
        self.queue.delete(pod)
        if in_binding:
            return
        if self.cache.is_assumed(pod):
            self._handle_assumed_pod_deletion(pod)
        elif (pod.get("status") or {}).get("nominatedNodeName"):
            self.queue.move_all_to_active_or_backoff_queue(
                EVENT_ASSIGNED_POD_DELETE, pod, None, self._le_priority(pod_priority(pod))
            )

    def _handle_assumed_pod_deletion(self, pod: Obj) -> None:
        """``handleAssumedPodDeletion``: free what the assumed Pod held, and tell the waiting Pods."""
        assumed = self.cache.get_pod(pod)
        if assumed is None:
            return
        self.cache.forget_pod(assumed)
        self.queue.move_all_to_active_or_backoff_queue(EVENT_ASSIGNED_POD_DELETE, assumed, None)

    @staticmethod
    def _le_priority(priority: int) -> Callable[[Obj], bool]:
        """``getLEPriorityPreCheck``."""
        return lambda pod: pod_priority(pod) <= priority

    # ---- the loop ---------------------------------------------------------------------------------------------

    def _kick(self) -> None:
        """Wake the loop (upstream: ``Pop`` returns from its wait) unless it is already due or running."""
        if self._loop is None and not self._looping and self._started and not self._stopped:
            self._loop = self.sim.call_later(self.cycle_time, self._schedule_next)

    def _schedule_next(self) -> None:
        """Schedule the head of activeQ, then the next one. With ``cycle_time`` 0 the next cycle runs in the same
        callback when nothing else is due at this instant (exactly what a new callback would do, without its
        cost); otherwise it is a callback of its own, after whatever else is due now."""
        self._loop = None
        env = self.sim.env
        self._looping = True
        try:
            while not self._stopped:
                info = self.queue.pop()
                if info is None:
                    return
                try:
                    self.schedule_one(info)
                finally:
                    self.queue.done(info.uid)  # every path already did; this guards the in-flight bookkeeping
                if not len(self.queue.active_q):
                    return
                if self.cycle_time > 0 or env.peek() <= env.now:
                    break
        finally:
            self._looping = False
        self._kick()

    def schedule_one(self, info: QueuedPodInfo) -> None:
        """``ScheduleOne`` for a popped Pod: the scheduling cycle, then (on success) the binding cycle."""
        pod = info.pod
        framework = self.profiles.get(_scheduler_name(pod))
        if framework is None:
            self.queue.done(info.uid)
            return
        if pod["metadata"].get("deletionTimestamp"):  # skipPodSchedule
            meta = pod["metadata"]
            self.recorders[_scheduler_name(pod)].event(
                pod, WARNING, "FailedScheduling", f"skip schedule deleting pod: {meta.get('namespace')}/{meta['name']}"
            )
            self.queue.done(info.uid)
            return
        if self.cache.is_assumed(pod):
            self.queue.done(info.uid)
            return
        self.attempts += 1
        snapshot = self.cache.snapshot()
        nominated = self.queue.nominations() or None
        try:
            result = framework.schedule(pod, snapshot, explain=self.record_explanations, nominated=nominated)
        except Exception as err:  # a plugin's bug: upstream logs the error and retries the Pod after its back-off
            self.errors.append(f"scheduling {info.key}: {type(err).__name__}: {err}")
            self._handle_failure(info, REASON_SCHEDULER_ERROR, f"{type(err).__name__}: {err}", "")
            return
        if result.node:
            self._record(info, result.explanation)
            self._assume_and_bind(info, result.node)
            return
        self._unschedulable(info, framework, snapshot, result, nominated)

    def _record(self, info: QueuedPodInfo, explanation: Any) -> None:
        if self.record_explanations and explanation is not None:
            self.explanations.append((info.key, self.sim.now, explanation))

    # ---- failure: PostFilter, preemption's API side, the Pod's condition and Event ----------------------------

    def _unschedulable(self, info: QueuedPodInfo, framework: Any, snapshot: Any, result: Any, nominated: Any) -> None:
        """The failure branch of ``schedulingCycle`` (PostFilter on a FitError, then preemption's API calls), then
        ``handleSchedulingFailure``."""
        nominating: str | None = ""  # clearNominatedNode: every failure but a FitError with PostFilter clears it
        if result.fit_error and framework.has_post_filter_plugins:
            nominating = None  # ModeNoop unless PostFilter says otherwise
            try:
                pf = framework.post_filter(info.pod, snapshot, result, nominated=nominated)
            except Exception as err:  # a plugin's bug: log it, keep the FitError
                self.errors.append(f"PostFilter for {info.key}: {type(err).__name__}: {err}")
                pf = None
            if pf is not None and pf.nominating_mode != "Noop":
                nominating = pf.node or ""
                if pf.node:
                    self._prepare_candidate(info.pod, pf.node, pf.victims, pf.clear_nominations)
        self._record(info, result.explanation)
        diagnosis = result.diagnosis
        if result.fit_error:  # only a FitError tells which plugins to wait for
            info.unschedulable_plugins = set(diagnosis.unschedulable_plugins)
            info.pending_plugins = set(diagnosis.pending_plugins)
        self._handle_failure(info, result.reason, result.message, nominating)

    def _prepare_candidate(self, preemptor: Obj, node: str, victims: list[Obj], clear: list[Obj]) -> None:
        """``prepareCandidate``: evict the victims (DisruptionTarget condition, delete, ``Preempted`` Event), then
        clear the nomination of the lower-priority Pods nominated to the same Node."""
        recorder = self.recorders[_scheduler_name(preemptor)]
        uid = preemptor["metadata"].get("uid", "")
        for victim in victims:
            meta = victim.get("metadata") or {}
            if meta.get("deletionTimestamp"):
                continue  # graceful deletion already started: no second API call
            name, namespace = meta.get("name", ""), meta.get("namespace", "default")
            current = self._get_pod(namespace, name) or victim
            changed, conditions = update_pod_condition(
                current.get("status") or {},
                {
                    "type": "DisruptionTarget",
                    "status": "True",
                    "reason": REASON_PREEMPTION_BY_SCHEDULER,
                    "message": f"{_scheduler_name(preemptor)}: preempting to accommodate a higher priority pod",
                },
                self.sim.rfc3339(),
            )
            try:
                if changed:
                    patch = {"status": {"conditions": conditions}}
                    self.api.patch("pods", name, namespace, patch, subresource="status", user=self.user)
                self.api.delete("pods", name, namespace, user=self.user)
            except (StatusError, ConnectionError) as err:
                if getattr(err, "code", 0) != 404:  # a victim already gone is fine
                    self.errors.append(f"preempting {namespace}/{name}: {err}")
                continue
            recorder.event(victim, NORMAL, "Preempted", f"Preempted by pod {uid} on node {node}")
        for pod in clear:
            current = self._get_pod((pod.get("metadata") or {}).get("namespace", ""), pod["metadata"]["name"])
            if current is not None:
                self._patch_status(current, None, "")

    def _handle_failure(self, info: QueuedPodInfo, reason: str, message: str, nominating: str | None) -> None:
        """``handleSchedulingFailure``: requeue the Pod (unless it vanished or got bound meanwhile), record the
        nomination, the ``FailedScheduling`` Event and the ``PodScheduled=False`` condition."""
        pod = info.pod
        meta = pod["metadata"]
        cached = self._get_pod(meta.get("namespace", ""), meta["name"])
        if cached is None or _assigned(cached):
            self.queue.done(info.uid)
        else:
            info.update(cached)
            try:
                self.queue.add_unschedulable_if_not_present(info, self.queue.scheduling_cycle)
            except ValueError as err:
                self.errors.append(str(err))
        self.queue.add_nominated_pod(info.pod, nominating)
        recorder = self.recorders.get(_scheduler_name(pod))
        if recorder is not None:
            recorder.event(pod, WARNING, "FailedScheduling", truncate_message(message))
        if cached is not None:
            condition = {"type": "PodScheduled", "status": "False", "reason": reason, "message": message}
            self._patch_status(cached, condition, nominating)

    def _patch_status(self, pod: Obj, condition: Obj | None, nominating: str | None) -> None:
        """``updatePod``: write the condition and the nominated Node, if either changes anything."""
        status = pod.get("status") or {}
        patch: Obj = {}
        if nominating is not None and (status.get("nominatedNodeName") or "") != nominating:
            patch["nominatedNodeName"] = nominating or None
        if condition is not None:
            changed, conditions = update_pod_condition(status, condition, self.sim.rfc3339())
            if changed:
                patch["conditions"] = conditions
        if not patch:
            return
        meta = pod["metadata"]
        try:
            self.api.patch(
                "pods", meta["name"], meta.get("namespace"), {"status": patch}, subresource="status", user=self.user
            )
        except (StatusError, ConnectionError) as err:
            self.errors.append(f"updating pod {meta.get('namespace')}/{meta['name']}: {err}")

    # ---- success: assume, bind ---------------------------------------------------------------------------------

    def _assume_and_bind(self, info: QueuedPodInfo, node: str) -> None:
        """``assume``, then ``bindingCycle`` with the DefaultBinder
        (``framework/plugins/defaultbinder/default_binder.go``), then ``finishBinding``'s Event."""
        pod = info.pod
        meta = pod["metadata"]
        self.cache.assume_pod(pod, node)
        self.queue.delete_nominated_pod_if_exists(pod)
        self.queue.done(info.uid)  # bindingCycle calls Done before PreBind and Bind
        try:
            self.api.bind(meta["name"], meta.get("namespace", "default"), node, uid=meta.get("uid"), user=self.user)
        except (StatusError, ConnectionError) as err:
            self._binding_failed(info, node, f'running Bind plugin "DefaultBinder": {err}')
            return
        self.scheduled += 1
        self.recorders[_scheduler_name(pod)].event(
            pod, NORMAL, "Scheduled", f"Successfully assigned {meta.get('namespace')}/{meta['name']} to {node}"
        )

    def _binding_failed(self, info: QueuedPodInfo, node: str, message: str) -> None:
        """``handleBindingCycleError``: forget the assumed Pod (its room frees up: an AssignedPodDelete event), then
        the failure handling, as an error (back-off, then retry)."""
        assumed = self.cache.get_pod(info.pod)
        if assumed is not None and self.cache.is_assumed(info.pod):
            self.cache.forget_pod(assumed)
            self.queue.move_all_to_active_or_backoff_queue(EVENT_ASSIGNED_POD_DELETE, assumed, None)
        info.unschedulable_plugins = set()
        info.pending_plugins = set()
        self._handle_failure(info, REASON_SCHEDULER_ERROR, message, "")

    # ---- reading --------------------------------------------------------------------------------------------

    def explain(self, pod_name: str, namespace: str = "default") -> Any:
        """The latest recorded explanation of the Pod's scheduling (``record_explanations=True``), or ``None``."""
        key = pod_name if "/" in pod_name else f"{namespace}/{pod_name}"
        for k, _t, explanation in reversed(self.explanations):
            if k == key:
                return explanation
        return None

    def pending(self) -> dict[str, list[str]]:
        """The Pods (``namespace/name``) waiting in each part of the queue: activeQ, backoffQ, unschedulable."""
        return {
            "activeQ": [pod_key(p) for p in self.queue.pods_in_active_q()],
            "backoffQ": [pod_key(p) for p in self.queue.pods_in_backoff_q()],
            "unschedulable": [pod_key(p) for p in self.queue.unschedulable_pods_list()],
        }

    def __repr__(self) -> str:
        return f"Scheduler({self.name!r}, profiles={list(self.profiles)}, scheduled={self.scheduled}, {self.queue!r})"


__all__ = ["Listers", "Scheduler", "truncate_message", "update_pod_condition"]
