"""queue: the scheduling queue, where Pods wait for the scheduler — activeQ, backoffQ and the unschedulable pool.

A Pod that nobody has placed yet waits in one of three places (``pkg/scheduler/backend/queue/scheduling_queue.go``,
``PriorityQueue``, as of Kubernetes 1.32 with its default feature gates):

``activeQ``
    A heap ordered by the profile's QueueSort plugin (PrioritySort: higher ``spec.priority`` first, then the
    earlier ``timestamp``, i.e. first come, first served). ``pop`` hands the scheduler its head; that Pod is then
    *in flight* until ``done``.
``backoffQ``
    Pods that failed and wait out a back-off before they may be tried again, ordered by when the back-off
    ends. The back-off is ``podInitialBackoffSeconds`` (1 s) doubled per scheduling attempt, capped at
    ``podMaxBackoffSeconds`` (10 s): 1, 2, 4, 8, 10, 10, ... (``calculateBackoffDuration``). ``flushBackoffQCompleted``
    runs every second and moves every Pod whose back-off has ended to activeQ.
``unschedulablePods``
    Pods the last attempt found unschedulable. They stay until a *cluster event* that could help them happens
    (a node is added, a Pod is deleted, a node's taints change, ...), or for at most
    ``podMaxInUnschedulablePodsDuration`` (5 minutes): ``flushUnschedulablePodsLeftover`` runs every 30 s and
    moves Pods that waited longer than that (``EventUnschedulableTimeout``).

Which event moves which Pod (queueing hints)
    Each plugin registers the cluster events that could make a Pod it rejected schedulable
    (``EventsToRegister``, here :meth:`Framework.events_to_register`: plugin -> ``[(resource, action), ...]``).
    When an event happens, a Pod in the unschedulable pool moves only if one of the plugins that rejected it
    registered a matching event (``isPodWorthRequeuing``, ``MatchClusterEvents``: same resource — ``Pod``
    matching both ``AssignedPod`` and ``UnschedulablePod`` — and a common action bit). It then goes to backoffQ if
    its back-off has not ended yet, else straight to activeQ (``requeuePodWithQueueingStrategy``). A Pod rejected
    by no plugin (an error, not a verdict) always retries after its back-off. Events that happen while a Pod is
    in flight are remembered, and the Pod is requeued at once when it comes back if one of them matches
    (``inFlightEvents``, ``determineSchedulingHintForInFlightPod``).

Nominated Pods
    A preemptor that evicted victims is *nominated* to the node it freed (``status.nominatedNodeName``); the
    queue keeps the nominations (``nominator.go``) so the scheduler can count those Pods as if placed when it
    schedules others of lower or equal priority, and so preemption can clear lower-priority nominations.

Time is the simulation's clock. Upstream runs both flushes forever on ``wait.Until`` timers; the model arms the
same timers, on the same grid of instants counted from :meth:`PriorityQueue.run`, only while a Pod waits in the
queue they serve, so an idle cluster's simulation can end (``sim.run()`` returns) and the outcome is identical.

What the model leaves out
    * **Queueing hint functions.** Upstream each registered event carries a ``QueueingHintFn`` that looks at the
      changed object and may answer ``QueueSkip`` (say, NodeResourcesFit skipping a node whose allocatable did not
      grow). The model has no hint functions: every matching registration answers ``Queue``, which is upstream's
      behaviour with the ``SchedulerQueueingHints`` gate off (``defaultQueueingHintFn``), kept together with the
      gate-on bookkeeping of in-flight events. A Pod may therefore be retried a little more often than upstream
      retries it (say, after a Node was added that is still too small for it).
    * A Pod update that changes nothing the extractors know (labels, requests scaled down, tolerations added,
      scheduling gates removed) is the action ``updatePodOther`` only, so it matches registrations of a general
      ``Update`` and not of ``UpdatePodScaleDown`` and the like (upstream sends the whole ``Update`` mask and
      relies on the hint functions to skip; its comment says "should only trigger plugins registering a general
      Pod/Update event", which is what the model does).
    * No ``SchedulerPopFromBackoffQ`` (1.33), no error back-off queue of its own, no metrics, no locks (the
      simulation is single-threaded). PreEnqueue plugins (SchedulingGates in the default profile: a Pod with
      ``spec.schedulingGates`` waits, gated, in the unschedulable pool until an update removes the last gate)
      are run whenever a Pod would enter activeQ, as upstream does with that gate off.
    * Ties in the heaps are broken by insertion order (upstream's heap leaves them unspecified).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from k8smodel.sim import Simulation, Timer

Obj = dict[str, Any]

# --- defaults (scheduling_queue.go, apis/config/v1/defaults.go) ---------------------------------------------------

DEFAULT_POD_INITIAL_BACKOFF = 1.0  # DefaultPodInitialBackoffDuration
DEFAULT_POD_MAX_BACKOFF = 10.0  # DefaultPodMaxBackoffDuration
DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION = 300.0  # DefaultPodMaxInUnschedulablePodsDuration, 5 min
BACKOFF_FLUSH_PERIOD = 1.0  # Run: wait.Until(p.flushBackoffQCompleted, 1.0*time.Second, p.stop)
UNSCHEDULABLE_FLUSH_PERIOD = 30.0  # Run: wait.Until(p.flushUnschedulablePodsLeftover, 30*time.Second, p.stop)

# Queue names, as upstream's log lines and metrics call them.
ACTIVE_Q = "Active"
BACKOFF_Q = "Backoff"
UNSCHEDULABLE_Q = "Unschedulable"

# Special event labels (pkg/scheduler/framework/events.go).
SCHEDULE_ATTEMPT_FAILURE = "ScheduleAttemptFailure"
BACKOFF_COMPLETE = "BackoffComplete"
FORCE_ACTIVATE = "ForceActivate"
UNSCHEDULABLE_TIMEOUT = "UnschedulableTimeout"

SCHEDULING_GATES = "SchedulingGates"  # the PreEnqueue plugin of the default profile

# --- cluster events (staging/src/k8s.io/kube-scheduler/framework/types.go) -----------------------------------------

# ActionType bits, in upstream's order.
ADD = 1 << 0
DELETE = 1 << 1
UPDATE_NODE_ALLOCATABLE = 1 << 2
UPDATE_NODE_LABEL = 1 << 3
UPDATE_NODE_TAINT = 1 << 4
UPDATE_NODE_CONDITION = 1 << 5
UPDATE_NODE_ANNOTATION = 1 << 6
UPDATE_POD_LABEL = 1 << 7
UPDATE_POD_SCALE_DOWN = 1 << 8
UPDATE_POD_TOLERATION = 1 << 9
UPDATE_POD_SCHEDULING_GATES_ELIMINATED = 1 << 10
UPDATE_POD_GENERATED_RESOURCE_CLAIM = 1 << 11
UPDATE_POD_OTHER = 1 << 12
ALL = (1 << 13) - 1
UPDATE = ALL & ~(ADD | DELETE)

ACTION_NAMES: dict[str, int] = {
    "Add": ADD,
    "Delete": DELETE,
    "UpdateNodeAllocatable": UPDATE_NODE_ALLOCATABLE,
    "UpdateNodeLabel": UPDATE_NODE_LABEL,
    "UpdateNodeTaint": UPDATE_NODE_TAINT,
    "UpdateNodeCondition": UPDATE_NODE_CONDITION,
    "UpdateNodeAnnotation": UPDATE_NODE_ANNOTATION,
    "UpdatePodLabel": UPDATE_POD_LABEL,
    "UpdatePodScaleDown": UPDATE_POD_SCALE_DOWN,
    "UpdatePodToleration": UPDATE_POD_TOLERATION,
    "UpdatePodSchedulingGatesEliminated": UPDATE_POD_SCHEDULING_GATES_ELIMINATED,
    "UpdatePodGeneratedResourceClaim": UPDATE_POD_GENERATED_RESOURCE_CLAIM,
    "updatePodOther": UPDATE_POD_OTHER,
    "Update": UPDATE,
    "All": ALL,
}
_ACTION_LABELS = {v: k for k, v in ACTION_NAMES.items()}

# EventResource names; the two Pod halves are the framework's internal resources (framework/types.go).
POD = "Pod"
NODE = "Node"
ASSIGNED_POD = "AssignedPod"
UNSCHEDULED_POD = "UnschedulablePod"
WILDCARD = "*"


def parse_action(action: int | str) -> int:
    """An ActionType as bits, from an int or a name (``"Add"``, ``"UpdateNodeTaint"``, ``"Add|Delete"``)."""
    if isinstance(action, bool):
        raise TypeError("an action must be an ActionType name or bits, not a bool")
    if isinstance(action, int):
        return action
    bits = 0
    for part in action.split("|"):
        name = part.strip()
        if name not in ACTION_NAMES:
            raise ValueError(f"unknown cluster event action {name!r}; known: {', '.join(ACTION_NAMES)}")
        bits |= ACTION_NAMES[name]
    return bits


class ClusterEvent(NamedTuple):
    """``fwk.ClusterEvent``: a resource, an action mask and an optional custom label."""

    resource: str
    action: int
    custom_label: str = ""

    @property
    def label(self) -> str:
        """``ClusterEvent.Label``: the custom label, else resource and action (``NodeAdd``, ``AssignedPodDelete``)."""
        if self.custom_label:
            return self.custom_label
        name = _ACTION_LABELS.get(self.action)
        if name is None:
            name = "|".join(n for n, bit in ACTION_NAMES.items() if bit & self.action and bin(bit).count("1") == 1)
        return f"{self.resource}{name}"

    def is_wildcard(self) -> bool:
        return self.resource == WILDCARD and self.action == ALL

    def match(self, incoming: ClusterEvent) -> bool:
        """``ClusterEvent.Match``: does this registration match the ``incoming`` event?"""
        if self.is_wildcard():
            return True
        return _resource_match(self.resource, incoming.resource) and bool(self.action & incoming.action)


def _resource_match(registered: str, incoming: str) -> bool:
    """``EventResource.match``: ``*`` matches anything, ``Pod`` matches both halves of a Pod event."""
    if registered in (WILDCARD, incoming):
        return True
    return registered == POD and incoming in (ASSIGNED_POD, UNSCHEDULED_POD)


def cluster_event(resource: str, action: int | str) -> ClusterEvent:
    return ClusterEvent(resource, parse_action(action))


EVENT_ASSIGNED_POD_ADD = ClusterEvent(ASSIGNED_POD, ADD)
EVENT_ASSIGNED_POD_UPDATE = ClusterEvent(ASSIGNED_POD, UPDATE)
EVENT_ASSIGNED_POD_DELETE = ClusterEvent(ASSIGNED_POD, DELETE)
EVENT_UNSCHEDULED_POD_ADD = ClusterEvent(UNSCHEDULED_POD, ADD)
EVENT_UNSCHEDULED_POD_UPDATE = ClusterEvent(UNSCHEDULED_POD, UPDATE)
EVENT_UNSCHEDULED_POD_DELETE = ClusterEvent(UNSCHEDULED_POD, DELETE)
EVENT_NODE_ADD = ClusterEvent(NODE, ADD)
EVENT_NODE_DELETE = ClusterEvent(NODE, DELETE)
EVENT_UNSCHEDULABLE_TIMEOUT = ClusterEvent(WILDCARD, ALL, UNSCHEDULABLE_TIMEOUT)
EVENT_FORCE_ACTIVATE = ClusterEvent(WILDCARD, ALL, FORCE_ACTIVATE)


# --- what changed in an update (framework/events.go) ---------------------------------------------------------------


def _semantic(value: Any) -> Any:
    """``equality.Semantic.DeepEqual`` treats a nil and an empty map or list alike."""
    return value if value else None


def _node_conditions(node: Obj) -> dict[str, str]:
    return {c.get("type", ""): c.get("status", "") for c in (node.get("status") or {}).get("conditions") or []}


def node_scheduling_properties_change(new: Obj, old: Obj) -> list[ClusterEvent]:
    """``NodeSchedulingPropertiesChange``: the ``Node/UpdateNodeXYZ`` events an update of a Node makes.

    A Node that becomes schedulable again (``spec.unschedulable`` cleared) counts as ``UpdateNodeTaint``, as
    upstream does (its code comment calls this a stopgap until the event gets a name of its own).
    """
    events = []
    new_spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    new_meta, old_meta = new.get("metadata") or {}, old.get("metadata") or {}
    new_status, old_status = new.get("status") or {}, old.get("status") or {}
    if bool(new_spec.get("unschedulable")) != bool(old_spec.get("unschedulable")) and not new_spec.get("unschedulable"):
        events.append(ClusterEvent(NODE, UPDATE_NODE_TAINT))
    if _semantic(old_status.get("allocatable")) != _semantic(new_status.get("allocatable")):
        events.append(ClusterEvent(NODE, UPDATE_NODE_ALLOCATABLE))
    if _semantic(new_meta.get("labels")) != _semantic(old_meta.get("labels")):
        events.append(ClusterEvent(NODE, UPDATE_NODE_LABEL))
    if _semantic(new_spec.get("taints")) != _semantic(old_spec.get("taints")):
        events.append(ClusterEvent(NODE, UPDATE_NODE_TAINT))
    if _node_conditions(old) != _node_conditions(new):
        events.append(ClusterEvent(NODE, UPDATE_NODE_CONDITION))
    if _semantic(old_meta.get("annotations")) != _semantic(new_meta.get("annotations")):
        events.append(ClusterEvent(NODE, UPDATE_NODE_ANNOTATION))
    return events


def _pod_scaled_down(new: Obj, old: Obj) -> bool:
    """``extractPodScaleDown``: a request removed or lowered (compared only when the spec changed)."""
    if (new.get("spec") or {}) == (old.get("spec") or {}):
        return False
    from k8smodel.api.resources import pod_requests

    try:
        new_requests, old_requests = pod_requests(new), pod_requests(old)
    except (ValueError, TypeError, AttributeError):
        return False
    return any(name not in new_requests or new_requests[name] < value for name, value in old_requests.items())


def pod_scheduling_properties_change(new: Obj, old: Obj) -> list[ClusterEvent]:
    """``PodSchedulingPropertiesChange``: the ``UpdatePodXYZ`` events an update of a Pod makes, on the
    ``AssignedPod`` or ``UnschedulablePod`` resource; with no specific change, ``updatePodOther`` (see the module
    docstring)."""
    resource = ASSIGNED_POD if (new.get("spec") or {}).get("nodeName") else UNSCHEDULED_POD
    new_spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    events = []
    if _semantic((new.get("metadata") or {}).get("labels")) != _semantic((old.get("metadata") or {}).get("labels")):
        events.append(ClusterEvent(resource, UPDATE_POD_LABEL))
    if _pod_scaled_down(new, old):
        events.append(ClusterEvent(resource, UPDATE_POD_SCALE_DOWN))
    if not new_spec.get("schedulingGates") and old_spec.get("schedulingGates"):
        events.append(ClusterEvent(resource, UPDATE_POD_SCHEDULING_GATES_ELIMINATED))
    if len(new_spec.get("tolerations") or []) != len(old_spec.get("tolerations") or []):
        events.append(ClusterEvent(resource, UPDATE_POD_TOLERATION))
    if not events:
        events.append(ClusterEvent(resource, UPDATE_POD_OTHER))
    return events


# --- queued Pods ----------------------------------------------------------------------------------------------------


def pod_key(pod: Obj) -> str:
    """``namespace/name``, the queue's key for a Pod (``podInfoKeyFunc``)."""
    meta = pod["metadata"]
    return f"{meta.get('namespace', '')}/{meta['name']}"


def pod_priority(pod: Obj) -> int:
    """``corev1helpers.PodPriority``: ``spec.priority``, or 0 when it is not set."""
    priority = (pod.get("spec") or {}).get("priority")
    return priority if isinstance(priority, int) else 0


class QueuedPodInfo:
    """``framework.QueuedPodInfo``: a Pod waiting in the queue, and what the queue knows about its attempts.

    ``timestamp`` is when it was last added to the queue (the PrioritySort tie-breaker and the start of its
    back-off); ``initial_attempt_timestamp`` when it first entered activeQ; ``attempts`` how often it was popped;
    ``unschedulable_plugins`` and ``pending_plugins`` the plugins that rejected it in the last attempt.
    """

    __slots__ = (
        "attempts",
        "consecutive_errors_count",
        "gated",
        "gating_plugin",
        "initial_attempt_timestamp",
        "key",
        "pending_plugins",
        "pod",
        "timestamp",
        "uid",
        "unschedulable_count",
        "unschedulable_plugins",
    )

    def __init__(self, pod: Obj, timestamp: float, plugins: Iterable[str] = ()) -> None:
        self.pod = pod
        self.key = pod_key(pod)
        self.uid: str = pod["metadata"].get("uid", "")
        self.timestamp = timestamp
        self.initial_attempt_timestamp: float | None = None
        self.attempts = 0
        self.unschedulable_count = 0
        self.consecutive_errors_count = 0
        self.unschedulable_plugins: set[str] = set(plugins)
        self.pending_plugins: set[str] = set()
        self.gated = False
        self.gating_plugin = ""

    @property
    def priority(self) -> int:
        return pod_priority(self.pod)

    def update(self, pod: Obj) -> None:
        """``PodInfo.Update``: the newer version of the same Pod."""
        self.pod = pod

    def __repr__(self) -> str:
        return f"QueuedPodInfo({self.key!r}, attempts={self.attempts}, timestamp={self.timestamp})"


LessFunc = Callable[[QueuedPodInfo, QueuedPodInfo], bool]


def priority_sort_less(a: QueuedPodInfo, b: QueuedPodInfo) -> bool:
    """PrioritySort's ``Less`` (``framework/plugins/queuesort/priority_sort.go``): higher priority first, then
    the earlier timestamp."""
    p1, p2 = a.priority, b.priority
    return p1 > p2 or (p1 == p2 and a.timestamp < b.timestamp)


def priority_sort_key(info: QueuedPodInfo) -> tuple[int, float]:
    """The same order as :func:`priority_sort_less`, as a sort key (much faster in a heap)."""
    return (-info.priority, info.timestamp)


# --- heaps with keyed update and delete (pkg/scheduler/backend/heap/heap.go) ----------------------------------------


class _Entry:
    __slots__ = ("alive", "info", "seq", "sort")

    def __init__(self, sort: Any, seq: int, info: QueuedPodInfo) -> None:
        self.sort = sort
        self.seq = seq
        self.info = info
        self.alive = True

    def __lt__(self, other: _Entry) -> bool:
        s, o = self.sort, other.sort
        return s < o or (not o < s and self.seq < other.seq)


class _LessEntry(_Entry):
    """An entry ordered by a ``less`` function; equal entries keep insertion order."""

    __slots__ = ("less",)

    def __init__(self, info: QueuedPodInfo, seq: int, less: LessFunc) -> None:
        super().__init__(None, seq, info)
        self.less = less

    def __lt__(self, other: _Entry) -> bool:
        a, b = self.info, other.info
        if self.less(a, b):
            return True
        return not self.less(b, a) and self.seq < other.seq


class _Heap:
    """A heap of :class:`QueuedPodInfo` keyed by ``namespace/name``: add-or-update, delete and get by key.

    Order comes from ``key`` (a sort-key function) or ``less``; deleted or superseded entries stay in the array,
    marked dead, until they reach the top.
    """

    def __init__(self, less: LessFunc | None = None, key: Callable[[QueuedPodInfo], Any] | None = None) -> None:
        if (less is None) == (key is None):
            raise ValueError("give a heap exactly one of less= or key=")
        self._less = less
        self._key = key
        self._heap: list[_Entry] = []
        self._items: dict[str, _Entry] = {}
        self._seq = itertools.count()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def get(self, key: str) -> QueuedPodInfo | None:
        entry = self._items.get(key)
        return None if entry is None else entry.info

    def add_or_update(self, info: QueuedPodInfo) -> None:
        old = self._items.get(info.key)
        if old is not None:
            old.alive = False
        if self._key is not None:
            entry = _Entry(self._key(info), next(self._seq), info)
        else:
            assert self._less is not None
            entry = _LessEntry(info, next(self._seq), self._less)
        self._items[info.key] = entry
        heapq.heappush(self._heap, entry)
        if len(self._heap) > 2 * len(self._items) + 64:
            self._compact()

    def delete(self, key: str) -> QueuedPodInfo | None:
        entry = self._items.pop(key, None)
        if entry is None:
            return None
        entry.alive = False
        return entry.info

    def _drop_dead(self) -> None:
        heap = self._heap
        while heap and not heap[0].alive:
            heapq.heappop(heap)

    def peek(self) -> QueuedPodInfo | None:
        self._drop_dead()
        return self._heap[0].info if self._heap else None

    def pop(self) -> QueuedPodInfo | None:
        self._drop_dead()
        if not self._heap:
            return None
        entry = heapq.heappop(self._heap)
        entry.alive = False
        del self._items[entry.info.key]
        return entry.info

    def _compact(self) -> None:
        self._heap = [e for e in self._heap if e.alive]
        heapq.heapify(self._heap)

    def list(self) -> list[QueuedPodInfo]:
        """The queued Pods, in queue order."""
        return [e.info for e in sorted(e for e in self._heap if e.alive)]


# --- the queue ------------------------------------------------------------------------------------------------------

# Queueing strategies (scheduling_queue.go).
QUEUE_SKIP = 0
QUEUE_AFTER_BACKOFF = 1
QUEUE_IMMEDIATELY = 2


@dataclass(eq=False)
class _InFlightMarker:
    uid: str


class PriorityQueue:
    """``PriorityQueue`` (see the module docstring).

    ``less`` orders activeQ (the profile's QueueSort ``Less``); ``key`` may be given instead as a faster sort key
    with the same order (:func:`priority_sort_key` for PrioritySort). ``events`` registers, per profile
    (``schedulerName``), the cluster events each plugin cares about: ``{profile: {plugin: [ClusterEvent or
    (resource, action), ...]}}``. ``on_activate`` is called whenever a Pod lands in activeQ (the scheduler's
    wake-up, upstream's ``cond.Broadcast``). ``pod_lister(namespace, name)`` returns the informer's current Pod
    (the nominator only nominates Pods that still exist and are not bound). ``pre_enqueue(pod)`` names the
    PreEnqueue plugin that gates the Pod, or returns None (default: SchedulingGates alone).
    """

    def __init__(
        self,
        sim: Simulation,
        less: LessFunc | None = None,
        *,
        key: Callable[[QueuedPodInfo], Any] | None = None,
        events: Mapping[str, Mapping[str, Iterable[ClusterEvent | tuple[str, int | str]]]] | None = None,
        pod_initial_backoff: float = DEFAULT_POD_INITIAL_BACKOFF,
        pod_max_backoff: float = DEFAULT_POD_MAX_BACKOFF,
        pod_max_in_unschedulable_pods_duration: float = DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION,
        on_activate: Callable[[], None] | None = None,
        pod_lister: Callable[[str, str], Obj | None] | None = None,
        pre_enqueue: Callable[[Obj], str | None] | None = None,
    ) -> None:
        if less is None and key is None:
            key = priority_sort_key
        self.sim = sim
        self.pod_initial_backoff = float(pod_initial_backoff)
        self.pod_max_backoff = float(pod_max_backoff)
        self.pod_max_in_unschedulable_pods_duration = float(pod_max_in_unschedulable_pods_duration)
        self.active_q = _Heap(less if key is None else None, key)
        self.backoff_q = _Heap(key=self._backoff_key)
        self.unschedulable_pods: dict[str, QueuedPodInfo] = {}
        self.on_activate = on_activate
        self.pod_lister = pod_lister
        self.pre_enqueue = pre_enqueue
        self.scheduling_cycle = 0
        self.move_request_cycle = -1
        self.hints: dict[str, dict[str, list[ClusterEvent]]] = {}
        for profile, plugins in (events or {}).items():
            hint_map = self.hints[profile] = {
                plugin: [e if isinstance(e, ClusterEvent) else cluster_event(*e) for e in evts]
                for plugin, evts in plugins.items()
            }
            # SchedulingGates.EventsToRegister: only the removal of the last gate can release a gated Pod.
            hint_map.setdefault(SCHEDULING_GATES, [ClusterEvent(POD, UPDATE_POD_SCHEDULING_GATES_ELIMINATED)])
        self._all_registrations = [e for m in self.hints.values() for evts in m.values() for e in evts]
        self._interest: dict[ClusterEvent, bool] = {}
        # In-flight Pods and the events seen while any Pod is in flight (active_queue.go inFlightPods/Events).
        self._in_flight: dict[str, _InFlightMarker] = {}
        self._in_flight_events: list[_InFlightMarker | tuple[ClusterEvent, Any, Any]] = []
        # The nominator (nominator.go): uid -> node, node -> [(uid, key)].
        self._nominated_pod_to_node: dict[str, str] = {}
        self._nominated_pods: dict[str, list[tuple[str, str, Obj]]] = {}
        self._grid_start: float | None = None
        self._backoff_timer: Timer | None = None
        self._leftover_timer: Timer | None = None
        self.closed = False

    # ---- running: the two flushes (Run) ----------------------------------------------------------------------

    def run(self) -> None:
        """``Run``: start the periodic flushes; their instants count from now (see the module docstring)."""
        if self._grid_start is None:
            self._grid_start = self.sim.now
            self._arm_timers()

    def close(self) -> None:
        """``Close``: stop the flushes."""
        self.closed = True
        for timer in (self._backoff_timer, self._leftover_timer):
            if timer is not None:
                timer.cancel()
        self._backoff_timer = self._leftover_timer = None

    def _next_tick(self, period: float) -> float:
        """The first instant of the flush grid (``start + k * period``) strictly after now."""
        assert self._grid_start is not None
        now = self.sim.now
        k = int((now - self._grid_start) // period) + 1
        t = self._grid_start + k * period
        while t <= now:
            k += 1
            t = self._grid_start + k * period
        return t

    def _arm_timers(self) -> None:
        if self._grid_start is None or self.closed:
            return
        if len(self.backoff_q) and self._backoff_timer is None:
            self._backoff_timer = self.sim.every(
                BACKOFF_FLUSH_PERIOD, self._backoff_tick, start=self._next_tick(BACKOFF_FLUSH_PERIOD)
            )
        if self.unschedulable_pods and self._leftover_timer is None:
            self._leftover_timer = self.sim.every(
                UNSCHEDULABLE_FLUSH_PERIOD,
                self._leftover_tick,
                start=self._next_tick(UNSCHEDULABLE_FLUSH_PERIOD),
            )

    def _backoff_tick(self) -> None:
        self.flush_backoff_q_completed()
        if not len(self.backoff_q) and self._backoff_timer is not None:
            self._backoff_timer.cancel()
            self._backoff_timer = None

    def _leftover_tick(self) -> None:
        self.flush_unschedulable_pods_leftover()
        if not self.unschedulable_pods and self._leftover_timer is not None:
            self._leftover_timer.cancel()
            self._leftover_timer = None

    # ---- back-off --------------------------------------------------------------------------------------------

    def calculate_backoff_duration(self, info: QueuedPodInfo) -> float:
        """``calculateBackoffDuration``: 0 before any attempt, then the initial back-off doubled per further
        attempt, capped at the maximum."""
        if info.attempts == 0:
            return 0.0
        duration = self.pod_initial_backoff
        for _ in range(1, info.attempts):
            if duration > self.pod_max_backoff - duration:
                return self.pod_max_backoff
            duration += duration
        return duration

    def backoff_expiration(self, info: QueuedPodInfo) -> float:
        """``getBackoffTime``: the Pod's timestamp plus its back-off."""
        return info.timestamp + self.calculate_backoff_duration(info)

    def _backoff_key(self, info: QueuedPodInfo) -> float:
        return self.backoff_expiration(info)

    def is_pod_backing_off(self, info: QueuedPodInfo) -> bool:
        """``isPodBackingoff``: a gated Pod never is; any other until its back-off expires."""
        if info.gated:
            return False
        return self.backoff_expiration(info) > self.sim.now

    # ---- PreEnqueue (SchedulingGates) ------------------------------------------------------------------------

    def _run_pre_enqueue(self, info: QueuedPodInfo) -> bool:
        """``runPreEnqueuePlugins``: the first PreEnqueue plugin that refuses the Pod gates it (keeps it out of
        activeQ, in the unschedulable pool, with that plugin as a rejector). Without ``pre_enqueue``, the default
        profile's only PreEnqueue plugin: SchedulingGates refuses a Pod with ``spec.schedulingGates``."""
        if self.pre_enqueue is not None:
            plugin = self.pre_enqueue(info.pod)
        else:
            plugin = SCHEDULING_GATES if (info.pod.get("spec") or {}).get("schedulingGates") else None
        if plugin:
            info.unschedulable_plugins.add(plugin)
            info.gating_plugin = plugin
            return False
        info.gating_plugin = ""
        return True

    # ---- moving Pods between the three places ----------------------------------------------------------------

    def _move_to_active_q(self, info: QueuedPodInfo, event: str) -> bool:
        """``moveToActiveQ``: activeQ, or the unschedulable pool if a PreEnqueue plugin gates it."""
        info.gated = not self._run_pre_enqueue(info)
        if info.gated:
            if info.key in self.active_q or info.key in self.backoff_q:
                return False
            self.unschedulable_pods[info.key] = info
            self._arm_timers()
            return False
        if info.initial_attempt_timestamp is None:
            info.initial_attempt_timestamp = self.sim.now
        self.active_q.add_or_update(info)
        self.unschedulable_pods.pop(info.key, None)
        self.backoff_q.delete(info.key)
        if event in (EVENT_UNSCHEDULED_POD_ADD.label, EVENT_UNSCHEDULED_POD_UPDATE.label):
            self.add_nominated_pod(info.pod, None)
        return True

    def _move_to_backoff_q(self, info: QueuedPodInfo) -> bool:
        self.unschedulable_pods.pop(info.key, None)
        self.backoff_q.add_or_update(info)
        self._arm_timers()
        return True

    def _activated(self) -> None:
        if self.on_activate is not None:
            self.on_activate()

    def add(self, pod: Obj) -> None:
        """``Add``: a new unscheduled Pod goes to activeQ (or the unschedulable pool, if gated)."""
        info = QueuedPodInfo(pod, self.sim.now)
        if self._move_to_active_q(info, EVENT_UNSCHEDULED_POD_ADD.label):
            self._activated()

    def activate(self, pods: Iterable[Obj]) -> None:
        """``Activate``: move these Pods from the unschedulable pool or backoffQ to activeQ at once; an in-flight
        Pod gets a ``ForceActivate`` event so it comes back at once."""
        activated = False
        for pod in pods:
            key = pod_key(pod)
            info = self.unschedulable_pods.get(key)
            if info is None:
                info = self.backoff_q.delete(key)
            if info is not None:
                if self._move_to_active_q(info, FORCE_ACTIVATE):
                    activated = True
                continue
            self._add_events_if_pod_in_flight(None, pod, [EVENT_FORCE_ACTIVATE])
            self.move_request_cycle = self.scheduling_cycle
        if activated:
            self._activated()

    def pop(self) -> QueuedPodInfo | None:
        """``Pop``: the head of activeQ (``None`` if it is empty: the model never blocks). The Pod is in flight
        until :meth:`done`; its attempt count grows and its rejecting plugins are forgotten."""
        info = self.active_q.pop()
        if info is None:
            return None
        info.attempts += 1
        marker = _InFlightMarker(info.uid)
        self._in_flight[info.uid] = marker
        self._in_flight_events.append(marker)
        self.scheduling_cycle += 1
        info.unschedulable_plugins = set()
        info.pending_plugins = set()
        info.gating_plugin = ""
        return info

    def done(self, uid: str) -> None:
        """``Done``: the Pod is no longer in flight; forget the events only it was waiting on."""
        marker = self._in_flight.pop(uid, None)
        if marker is None:
            return
        events = self._in_flight_events
        events.remove(marker)
        i = 0
        while i < len(events) and not isinstance(events[i], _InFlightMarker):
            i += 1
        if i:
            del events[:i]

    def in_flight_pods(self) -> list[str]:
        """The uids of Pods popped and not yet done."""
        return list(self._in_flight)

    def _events_for_pod(self, uid: str) -> list[tuple[ClusterEvent, Any, Any]]:
        marker = self._in_flight.get(uid)
        if marker is None:
            return []
        events = self._in_flight_events
        start = events.index(marker) + 1
        return [e for e in events[start:] if not isinstance(e, _InFlightMarker)]

    def _add_events_if_pod_in_flight(self, old: Obj | None, new: Obj, events: list[ClusterEvent]) -> bool:
        uid = new["metadata"].get("uid", "")
        if uid not in self._in_flight:
            return False
        for event in events:
            self._in_flight_events.append((event, old, new))
        return True

    def _add_event_if_any_in_flight(self, old: Any, new: Any, event: ClusterEvent) -> bool:
        if not self._in_flight:
            return False
        self._in_flight_events.append((event, old, new))
        return True

    # ---- which events move which Pods ------------------------------------------------------------------------

    def is_event_of_interest(self, event: ClusterEvent) -> bool:
        """``isEventOfInterest``: a wildcard, or an event some plugin registered."""
        found = self._interest.get(event)
        if found is None:
            found = self._interest[event] = event.is_wildcard() or any(
                registered.match(event) for registered in self._all_registrations
            )
        return found

    def is_pod_worth_requeuing(self, info: QueuedPodInfo, event: ClusterEvent, old: Any, new: Any) -> int:
        """``isPodWorthRequeuing`` with every hint answering Queue (see the module docstring)."""
        rejectors = info.unschedulable_plugins | info.pending_plugins
        if not rejectors:
            return QUEUE_AFTER_BACKOFF
        if event.is_wildcard():
            if isinstance(new, dict) and "metadata" in new and new["metadata"].get("uid") != info.uid:
                return QUEUE_SKIP  # a wildcard event aimed at another Pod
            return QUEUE_AFTER_BACKOFF
        hint_map = self.hints.get((info.pod.get("spec") or {}).get("schedulerName", ""))
        if hint_map is None:
            return QUEUE_AFTER_BACKOFF
        strategy = QUEUE_SKIP
        for plugin in sorted(rejectors):
            for registered in hint_map.get(plugin, ()):
                if not registered.match(event):
                    continue
                if plugin in info.pending_plugins:
                    return QUEUE_IMMEDIATELY
                if not info.pending_plugins:
                    return QUEUE_AFTER_BACKOFF
                strategy = QUEUE_AFTER_BACKOFF
        return strategy

    def _hint_for_in_flight_pod(self, info: QueuedPodInfo) -> int:
        """``determineSchedulingHintForInFlightPod``."""
        if not info.unschedulable_plugins and not info.pending_plugins:
            return QUEUE_AFTER_BACKOFF
        strategy = QUEUE_SKIP
        for event, old, new in self._events_for_pod(info.uid):
            hint = self.is_pod_worth_requeuing(info, event, old, new)
            if hint == QUEUE_IMMEDIATELY:
                return QUEUE_IMMEDIATELY
            if hint == QUEUE_AFTER_BACKOFF:
                strategy = QUEUE_AFTER_BACKOFF
                if not info.pending_plugins:
                    return QUEUE_AFTER_BACKOFF
        return strategy

    def _requeue(self, info: QueuedPodInfo, strategy: int, event: str) -> str:
        """``requeuePodWithQueueingStrategy``: returns the queue the Pod went to."""
        if strategy == QUEUE_SKIP:
            self.unschedulable_pods[info.key] = info
            self._arm_timers()
            return UNSCHEDULABLE_Q
        if strategy == QUEUE_AFTER_BACKOFF and self.is_pod_backing_off(info):
            self._move_to_backoff_q(info)
            return BACKOFF_Q
        if self._move_to_active_q(info, event):
            return ACTIVE_Q
        return UNSCHEDULABLE_Q

    def add_unschedulable_if_not_present(self, info: QueuedPodInfo, scheduling_cycle: int | None = None) -> str:
        """``AddUnschedulableIfNotPresent``: a Pod whose attempt failed comes back: to the unschedulable pool, or
        (if an event it was waiting for happened while it was in flight, or no plugin rejected it) to backoffQ
        or activeQ. Returns the queue it went to; raises ``ValueError`` if the Pod is already queued."""
        del scheduling_cycle  # the gate-off moveRequestCycle logic is replaced by in-flight events
        try:
            if info.key in self.unschedulable_pods:
                raise ValueError(f"Pod {info.key} is already present in unschedulable queue")
            if info.key in self.active_q:
                raise ValueError(f"Pod {info.key} is already present in the active queue")
            if info.key in self.backoff_q:
                raise ValueError(f"Pod {info.key} is already present in the backoff queue")
            if not info.unschedulable_plugins and not info.pending_plugins:
                info.consecutive_errors_count += 1
            else:
                info.unschedulable_count += 1
                info.consecutive_errors_count = 0
            info.timestamp = self.sim.now
            hint = self._hint_for_in_flight_pod(info)
            queue = self._requeue(info, hint, SCHEDULE_ATTEMPT_FAILURE)
            if queue == ACTIVE_Q:
                self._activated()
            return queue
        finally:
            self.done(info.uid)

    def flush_backoff_q_completed(self) -> None:
        """``flushBackoffQCompleted``: every Pod whose back-off has ended moves to activeQ."""
        activated = False
        now = self.sim.now
        while True:
            info = self.backoff_q.peek()
            if info is None or self.backoff_expiration(info) > now:
                break
            self.backoff_q.pop()
            if self._move_to_active_q(info, BACKOFF_COMPLETE):
                activated = True
        if activated:
            self._activated()

    def flush_unschedulable_pods_leftover(self) -> None:
        """``flushUnschedulablePodsLeftover``: Pods that waited longer than podMaxInUnschedulablePodsDuration move
        on (``UnschedulableTimeout``)."""
        now = self.sim.now
        to_move = [
            info
            for info in self.unschedulable_pods.values()
            if now - info.timestamp > self.pod_max_in_unschedulable_pods_duration
        ]
        if to_move:
            self._move_pods(to_move, EVENT_UNSCHEDULABLE_TIMEOUT, None, None)

    def move_all_to_active_or_backoff_queue(
        self,
        event: ClusterEvent,
        old: Any = None,
        new: Any = None,
        pre_check: Callable[[Obj], bool] | None = None,
    ) -> None:
        """``MoveAllToActiveOrBackoffQueue``: offer ``event`` to every Pod in the unschedulable pool (that passes
        ``pre_check``)."""
        if not self.is_event_of_interest(event):
            return
        pods = [i for i in self.unschedulable_pods.values() if pre_check is None or pre_check(i.pod)]
        self._move_pods(pods, event, old, new)

    def _move_pods(self, infos: list[QueuedPodInfo], event: ClusterEvent, old: Any, new: Any) -> None:
        """``movePodsToActiveOrBackoffQueue``."""
        if not self.is_event_of_interest(event):
            return
        activated = False
        for info in infos:
            if info.gated and not self._gating_plugin_interested(info, event):
                continue
            hint = self.is_pod_worth_requeuing(info, event, old, new)
            if hint == QUEUE_SKIP:
                continue
            self.unschedulable_pods.pop(info.key, None)
            if self._requeue(info, hint, event.label) == ACTIVE_Q:
                activated = True
        self.move_request_cycle = self.scheduling_cycle
        self._add_event_if_any_in_flight(old, new, event)
        if activated:
            self._activated()

    def _gating_plugin_interested(self, info: QueuedPodInfo, event: ClusterEvent) -> bool:
        """``MatchAnyClusterEvent(event, pInfo.GatingPluginEvents)``."""
        if event.is_wildcard():
            return True
        hint_map = self.hints.get((info.pod.get("spec") or {}).get("schedulerName", ""), {})
        registered = hint_map.get(info.gating_plugin)
        if registered is None and info.gating_plugin == SCHEDULING_GATES:
            registered = [ClusterEvent(POD, UPDATE_POD_SCHEDULING_GATES_ELIMINATED)]
        return any(r.match(event) for r in registered or ())

    # ---- updates and deletes of unscheduled Pods -------------------------------------------------------------

    def update(self, old: Obj | None, new: Obj) -> None:
        """``Update``: a changed unscheduled Pod. In flight: remember the change. In activeQ or backoffQ: update
        it there. In the unschedulable pool: the change itself is an event that may move it. Elsewhere: add it."""
        events = pod_scheduling_properties_change(new, old) if old is not None else [EVENT_UNSCHEDULED_POD_UPDATE]
        if self._add_events_if_pod_in_flight(old, new, events):
            return
        key = pod_key(new)
        if old is not None:
            info = self.active_q.get(key)
            if info is not None:
                info.update(new)
                self.active_q.add_or_update(info)
                self.update_nominated_pod(old, new)
                return
            info = self.backoff_q.get(key)
            if info is not None:
                info.update(new)
                self.backoff_q.add_or_update(info)
                self.update_nominated_pod(old, new)
                return
        info = self.unschedulable_pods.get(key)
        if info is not None:
            info.update(new)
            self.update_nominated_pod(old, new)
            for event in events:
                hint = self.is_pod_worth_requeuing(info, event, old, new)
                self.unschedulable_pods.pop(info.key, None)
                queue = self._requeue(info, hint, event.label)
                if queue == ACTIVE_Q:
                    self._activated()
                    break
                if queue == BACKOFF_Q:
                    break
            return
        info = QueuedPodInfo(new, self.sim.now)
        if self._move_to_active_q(info, EVENT_UNSCHEDULED_POD_UPDATE.label):
            self._activated()

    def delete(self, pod: Obj) -> None:
        """``Delete``: the Pod is gone (or bound); drop it from wherever it waits, and its nomination."""
        self.delete_nominated_pod_if_exists(pod)
        key = pod_key(pod)
        if self.active_q.delete(key) is not None:
            return
        if self.backoff_q.delete(key) is not None:
            return
        self.unschedulable_pods.pop(key, None)

    # ---- the nominator (nominator.go) ------------------------------------------------------------------------

    def add_nominated_pod(self, pod: Obj, nominated_node: str | None) -> None:
        """``AddNominatedPod``: ``nominated_node`` overrides (``ModeOverride``; ``""`` clears); ``None`` keeps the
        Pod's own ``status.nominatedNodeName`` (``ModeNoop``). Bound or vanished Pods are not nominated."""
        self.delete_nominated_pod_if_exists(pod)
        node = (pod.get("status") or {}).get("nominatedNodeName", "") if nominated_node is None else nominated_node
        if not node:
            return
        meta = pod["metadata"]
        if self.pod_lister is not None:
            current = self.pod_lister(meta.get("namespace", ""), meta["name"])
            if current is None or (current.get("spec") or {}).get("nodeName"):
                return
        uid = meta.get("uid", "")
        self._nominated_pod_to_node[uid] = node
        entries = self._nominated_pods.setdefault(node, [])
        if any(entry[0] == uid for entry in entries):
            return
        entries.append((uid, pod_key(pod), pod))

    def delete_nominated_pod_if_exists(self, pod: Obj) -> None:
        uid = pod["metadata"].get("uid", "")
        node = self._nominated_pod_to_node.pop(uid, None)
        if node is None:
            return
        entries = [e for e in self._nominated_pods.get(node, []) if e[0] != uid]
        if entries:
            self._nominated_pods[node] = entries
        else:
            self._nominated_pods.pop(node, None)

    def update_nominated_pod(self, old: Obj | None, new: Obj) -> None:
        """``UpdateNominatedPod``: keep a nomination made in memory when an update that says nothing about it
        arrives; otherwise follow the Pod's own ``status.nominatedNodeName``."""
        node: str | None = None
        if old is not None:
            old_nnn = (old.get("status") or {}).get("nominatedNodeName", "")
            new_nnn = (new.get("status") or {}).get("nominatedNodeName", "")
            if not old_nnn and not new_nnn:
                node = self._nominated_pod_to_node.get(old["metadata"].get("uid", ""))
            self.delete_nominated_pod_if_exists(old)
        self.add_nominated_pod(new, node)

    def nominated_pods_for_node(self, node_name: str) -> list[Obj]:
        """``NominatedPodsForNode``: the Pods nominated to ``node_name`` (the queued version of each)."""
        out = []
        for _uid, key, pod in self._nominated_pods.get(node_name, []):
            info = self.active_q.get(key) or self.unschedulable_pods.get(key) or self.backoff_q.get(key)
            out.append(info.pod if info is not None else pod)
        return out

    def nominated_node(self, pod: Obj) -> str:
        """The node ``pod`` is nominated to in the queue, or ``""``."""
        return self._nominated_pod_to_node.get(pod["metadata"].get("uid", ""), "")

    def nominations(self) -> dict[str, list[Obj]]:
        """Every node with nominated Pods: ``{node: [pod, ...]}``."""
        return {node: self.nominated_pods_for_node(node) for node in self._nominated_pods}

    # ---- reading the queue -----------------------------------------------------------------------------------

    def get_pod(self, name: str, namespace: str = "default") -> QueuedPodInfo | None:
        """``GetPod``: the queued Pod, wherever it waits."""
        key = f"{namespace}/{name}"
        return self.backoff_q.get(key) or self.unschedulable_pods.get(key) or self.active_q.get(key)

    def where(self, name: str, namespace: str = "default") -> str:
        """Which queue holds the Pod: ``"Active"``, ``"Backoff"``, ``"Unschedulable"``, or ``""``."""
        key = f"{namespace}/{name}"
        if key in self.active_q:
            return ACTIVE_Q
        if key in self.backoff_q:
            return BACKOFF_Q
        if key in self.unschedulable_pods:
            return UNSCHEDULABLE_Q
        return ""

    def pods_in_active_q(self) -> list[Obj]:
        return [i.pod for i in self.active_q.list()]

    def pods_in_backoff_q(self) -> list[Obj]:
        return [i.pod for i in self.backoff_q.list()]

    def unschedulable_pods_list(self) -> list[Obj]:
        return [i.pod for i in self.unschedulable_pods.values()]

    def pending_pods(self) -> tuple[list[Obj], str]:
        """``PendingPods``: every waiting Pod, and ``activeQ:N; backoffQ:N; unschedulablePods:N``."""
        active, backoff = self.pods_in_active_q(), self.pods_in_backoff_q()
        unsched = self.unschedulable_pods_list()
        summary = f"activeQ:{len(active)}; backoffQ:{len(backoff)}; unschedulablePods:{len(unsched)}"
        return active + backoff + unsched, summary

    def __len__(self) -> int:
        return len(self.active_q) + len(self.backoff_q) + len(self.unschedulable_pods)

    def __repr__(self) -> str:
        return (
            f"PriorityQueue(activeQ={len(self.active_q)}, backoffQ={len(self.backoff_q)}, "
            f"unschedulablePods={len(self.unschedulable_pods)})"
        )


__all__ = [
    "ACTIVE_Q",
    "ADD",
    "ALL",
    "ASSIGNED_POD",
    "BACKOFF_Q",
    "DELETE",
    "EVENT_ASSIGNED_POD_ADD",
    "EVENT_ASSIGNED_POD_DELETE",
    "EVENT_ASSIGNED_POD_UPDATE",
    "EVENT_FORCE_ACTIVATE",
    "EVENT_NODE_ADD",
    "EVENT_NODE_DELETE",
    "EVENT_UNSCHEDULABLE_TIMEOUT",
    "EVENT_UNSCHEDULED_POD_ADD",
    "EVENT_UNSCHEDULED_POD_DELETE",
    "EVENT_UNSCHEDULED_POD_UPDATE",
    "NODE",
    "POD",
    "UNSCHEDULABLE_Q",
    "UNSCHEDULED_POD",
    "UPDATE",
    "WILDCARD",
    "ClusterEvent",
    "PriorityQueue",
    "QueuedPodInfo",
    "cluster_event",
    "node_scheduling_properties_change",
    "parse_action",
    "pod_key",
    "pod_priority",
    "pod_scheduling_properties_change",
    "priority_sort_key",
    "priority_sort_less",
]
