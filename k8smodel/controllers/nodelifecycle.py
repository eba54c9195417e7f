"""nodelifecycle: the node lifecycle controller — notices a Node that stopped talking and taints it.

A kubelet proves its Node is alive in two ways: it renews the Node's Lease (``kube-node-lease/<node>``, every 10 s)
and it posts the Node's status with a ``Ready`` condition. Every ``--node-monitor-period`` (5 s) this controller
looks at every Node (``monitorNodeHealth``), and for each one (``tryUpdateNodeHealth``):

1. It remembers, per Node, the last time it saw a *sign of life*: a Ready condition with a new
   ``lastHeartbeatTime``, or a Lease with a later ``renewTime`` (the ``probeTimestamp``). The times come from the
   controller's own clock, when it noticed the change, not from the kubelet's clock.
2. If no sign of life came for ``--node-monitor-grace-period`` — **50 s**, upstream's default since v1.32 (40 s
   before; ``60 s`` for a Node whose kubelet never posted a status, ``--node-startup-grace-period``) — it sets the
   Node's ``Ready``, ``MemoryPressure``, ``DiskPressure`` and ``PIDPressure`` conditions to ``Unknown`` (reason
   ``NodeStatusUnknown``, message ``Kubelet stopped posting node status.``; a condition the kubelet never posted
   gets ``NodeStatusNeverUpdated``, ``Kubelet never posted node status.``), records the Event ``NodeNotReady``
   (``Node node-1 status is now: NodeNotReady``) and marks every Pod on the Node not ready (``MarkPodsNotReady``:
   the Pods' ``Ready`` condition becomes ``False``, each with a ``Warning`` Event ``NodeNotReady``, ``Node is not
   ready``), so Services stop sending them traffic.
3. A Node whose ``Ready`` is ``False`` or ``Unknown`` is put in its zone's *tainting queue*, which adds the
   ``NoExecute`` taint ``node.kubernetes.io/not-ready`` or ``node.kubernetes.io/unreachable`` (never both); a Node
   that is ``Ready`` again loses both taints. The taint eviction controller
   (:mod:`k8smodel.controllers.tainteviction`) then evicts the Pods that do not tolerate the taint, after their
   ``tolerationSeconds``.
4. Independently, on every Node change, the ``NoSchedule`` taints follow the conditions (*taint nodes by
   condition*): ``Ready=False`` gives ``node.kubernetes.io/not-ready:NoSchedule``, ``Ready=Unknown``
   ``node.kubernetes.io/unreachable:NoSchedule``, ``MemoryPressure``/``DiskPressure``/``PIDPressure``/
   ``NetworkUnavailable=True`` their pressure taints, and ``spec.unschedulable`` (``kubectl cordon``)
   ``node.kubernetes.io/unschedulable:NoSchedule``, so the scheduler keeps new Pods away.

Zones and rate limiting (``handleDisruption``). Tainting is rate limited per zone (the zone key is
``topology.kubernetes.io/region`` and ``zone``): a token bucket with burst 1 and ``--node-eviction-rate`` 0.1 per
second, so at most one Node every 10 s. Each pass computes every zone's state (``ComputeZoneState``):
``FullDisruption`` if none of its Nodes is Ready; ``PartialDisruption`` if more than 2 are not Ready and they are at
least ``--unhealthy-zone-threshold`` (55 %) of the zone; ``Normal`` otherwise. A partially disrupted zone is
tainted at ``--secondary-node-eviction-rate`` (0.01/s) if it has more than ``--large-cluster-size-threshold`` (50)
Nodes, and not at all if it is smaller. A fully disrupted zone is tainted at the normal rate — unless *every* zone
is fully disrupted: then the controller assumes the problem is its own (the control plane lost the network, not
every Node at once), removes all the taints and stops tainting until some Node is Ready again.

Events (``RegisteredNode``, ``RemovingNode``: ``Node node-1 event: Registered Node node-1 in Controller``) are
recorded from the component ``node-controller`` through :class:`k8smodel.record.EventRecorder`.

Upstream sources: ``pkg/controller/nodelifecycle/node_lifecycle_controller.go`` (``monitorNodeHealth``,
``tryUpdateNodeHealth``, ``processTaintBaseEviction``, ``handleDisruption``, ``ComputeZoneState``,
``ReducedQPSFunc``/``HealthyQPSFunc``, ``classifyNodes``, ``doNoScheduleTaintingPass``, ``doNoExecuteTaintingPass``,
``markNodeForTainting``, ``markNodeAsReachable``, ``processPod``, ``reconcileNodeLabels``);
``pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go`` (:class:`RateLimitedTimedQueue`);
``pkg/controller/util/node/controller_utils.go`` (``MarkPodsNotReady``, ``RecordNodeEvent``,
``RecordNodeStatusChange``, ``SwapNodeControllerTaint``); ``pkg/controller/controller_utils.go``
(``AddOrUpdateTaintOnNode``, ``RemoveTaintOffNode``); ``pkg/util/taints/taints.go``;
``staging/src/k8s.io/component-helpers/node/topology/helpers.go`` (``GetZoneKey``); the defaults in
``cmd/kube-controller-manager/app/options/nodelifecyclecontroller.go`` and
``pkg/controller/nodelifecycle/config/v1alpha1/defaults.go``.

What the model leaves out
    * Go's goroutines: the monitor pass, the 100 ms tainting loop (``NodeEvictionPeriod``) and the node and pod
      workers are callbacks on the simulated clock. The tainting loop does not tick every 100 ms: it runs only at
      the 100 ms ticks where a zone's token bucket has a token and its queue has a Node, which is when the
      upstream loop would act (a tick without a token does nothing upstream either).
    * The retries of a conflicting write are immediate (upstream sleeps 20 ms between the five tries).
    * The DaemonSet lister (used upstream only by the legacy ``DeletePods``); Prometheus metrics;
      ``--pod-eviction-timeout`` and the legacy eviction path (removed upstream).
    * The controller's service account is in ``system:masters`` (the model has no ``system:controller:*`` roles).
"""

from __future__ import annotations

import copy
import heapq
import math
import struct
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from k8smodel.api.errors import StatusError
from k8smodel.api.tolerations import (
    TAINT_EFFECT_NO_EXECUTE,
    TAINT_EFFECT_NO_SCHEDULE,
    TAINT_NODE_DISK_PRESSURE,
    TAINT_NODE_MEMORY_PRESSURE,
    TAINT_NODE_NETWORK_UNAVAILABLE,
    TAINT_NODE_NOT_READY,
    TAINT_NODE_PID_PRESSURE,
    TAINT_NODE_UNREACHABLE,
    TAINT_NODE_UNSCHEDULABLE,
)
from k8smodel.apiserver.authn import UserInfo
from k8smodel.client import DeletedFinalStateUnknown, Informer, WorkQueue
from k8smodel.controllers.nodeipam import NODE_CONTROLLER_USER
from k8smodel.controllers.tainteviction import NODE_NAME_INDEX, ensure_node_name_index, update_pod_condition
from k8smodel.record import NORMAL, WARNING, EventRecorder
from k8smodel.sim import Simulation, Timer

Obj = dict[str, Any]

# --- defaults (kube-controller-manager flags) ------------------------------------------------------------------

NODE_MONITOR_PERIOD = 5.0
"""``--node-monitor-period``: how often every Node's health is checked."""
NODE_MONITOR_GRACE_PERIOD = 50.0
"""``--node-monitor-grace-period``: silence before a Node is ``Unknown``. 50 s since v1.32; 40 s before."""
NODE_STARTUP_GRACE_PERIOD = 60.0
"""``--node-startup-grace-period``: the same for a Node whose kubelet never posted a status."""
NODE_EVICTION_RATE = 0.1
"""``--node-eviction-rate``: Nodes tainted per second per zone (one every 10 s)."""
SECONDARY_NODE_EVICTION_RATE = 0.01
"""``--secondary-node-eviction-rate``: the rate in a partially disrupted zone of a large cluster."""
LARGE_CLUSTER_SIZE_THRESHOLD = 50
"""``--large-cluster-size-threshold``: a zone with more Nodes than this is large."""
UNHEALTHY_ZONE_THRESHOLD = 0.55
"""``--unhealthy-zone-threshold``: the fraction of not-Ready Nodes (more than 2) that makes a zone unhealthy."""
NODE_EVICTION_PERIOD = 0.1  # scheduler.NodeEvictionPeriod: the tainting loop's period
EVICTION_RATE_LIMITER_BURST = 1  # scheduler.EvictionRateLimiterBurst
NODE_HEALTH_UPDATE_RETRY = 5  # scheduler.NodeHealthUpdateRetry
UPDATE_TAINT_RETRIES = 5  # UpdateTaintBackoff.Steps (pkg/controller/controller_utils.go)

COMPONENT = "node-controller"
NODE_LEASE_NAMESPACE = "kube-node-lease"

STATE_INITIAL = "Initial"
STATE_NORMAL = "Normal"
STATE_FULL_DISRUPTION = "FullDisruption"
STATE_PARTIAL_DISRUPTION = "PartialDisruption"

UNREACHABLE_TAINT_TEMPLATE = {"key": TAINT_NODE_UNREACHABLE, "effect": TAINT_EFFECT_NO_EXECUTE}
NOT_READY_TAINT_TEMPLATE = {"key": TAINT_NODE_NOT_READY, "effect": TAINT_EFFECT_NO_EXECUTE}

NODE_CONDITION_TO_TAINT_KEY = {
    "Ready": {"False": TAINT_NODE_NOT_READY, "Unknown": TAINT_NODE_UNREACHABLE},
    "MemoryPressure": {"True": TAINT_NODE_MEMORY_PRESSURE},
    "DiskPressure": {"True": TAINT_NODE_DISK_PRESSURE},
    "NetworkUnavailable": {"True": TAINT_NODE_NETWORK_UNAVAILABLE},
    "PIDPressure": {"True": TAINT_NODE_PID_PRESSURE},
}
"""``nodeConditionToTaintKeyStatusMap``: which condition status gives which ``NoSchedule`` taint."""
TAINT_KEY_TO_NODE_CONDITION = {
    TAINT_NODE_NOT_READY: "Ready",
    TAINT_NODE_UNREACHABLE: "Ready",
    TAINT_NODE_NETWORK_UNAVAILABLE: "NetworkUnavailable",
    TAINT_NODE_MEMORY_PRESSURE: "MemoryPressure",
    TAINT_NODE_DISK_PRESSURE: "DiskPressure",
    TAINT_NODE_PID_PRESSURE: "PIDPressure",
}
UNKNOWN_CONDITION_TYPES = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")
"""The conditions set to ``Unknown`` (not ``NetworkUnavailable``, which the control plane manages)."""

LABEL_NODE_EXCLUDE_DISRUPTION = "node.kubernetes.io/exclude-disruption"
LABEL_ZONE = "topology.kubernetes.io/zone"
LABEL_REGION = "topology.kubernetes.io/region"
LABEL_ZONE_BETA = "failure-domain.beta.kubernetes.io/zone"
LABEL_REGION_BETA = "failure-domain.beta.kubernetes.io/region"
LABEL_RECONCILE = (("kubernetes.io/os", "beta.kubernetes.io/os"), ("kubernetes.io/arch", "beta.kubernetes.io/arch"))
"""``labelReconcileInfo``: the beta OS and arch labels follow the stable ones (and are added if missing)."""


# --- small helpers ---------------------------------------------------------------------------------------------


def get_zone_key(node: Mapping[str, Any]) -> str:
    """``GetZoneKey`` (component-helpers/node/topology): ``region + ":\\x00:" + zone``, or ``""`` without either
    label. The deprecated ``failure-domain.beta`` labels win when present, as upstream."""
    labels = (node.get("metadata") or {}).get("labels") or {}
    zone = labels.get(LABEL_ZONE_BETA, labels.get(LABEL_ZONE, ""))
    region = labels.get(LABEL_REGION_BETA, labels.get(LABEL_REGION, ""))
    if not region and not zone:
        return ""
    return f"{region}:\x00:{zone}"


def zone_name(zone_key: str) -> str:
    """A zone key as people write it: ``region/zone`` (``""`` stays ``""``)."""
    region, _, zone = zone_key.partition(":\x00:")
    return f"{region}/{zone}" if region else zone


def get_node_condition(node: Mapping[str, Any] | None, type_: str) -> Obj | None:
    """``GetNodeCondition``: the condition of ``type_`` in the Node's status, or ``None``."""
    if node is None:
        return None
    for condition in (node.get("status") or {}).get("conditions") or ():
        if condition.get("type") == type_:
            return condition
    return None


def compute_zone_state(
    ready_conditions: Iterable[Mapping[str, Any] | None], unhealthy_zone_threshold: float = UNHEALTHY_ZONE_THRESHOLD
) -> tuple[int, str]:
    """``ComputeZoneState``: ``(not-Ready Nodes, state)`` of a zone from its Nodes' Ready conditions.

    ``FullDisruption`` if no Node is Ready (and there is at least one); ``PartialDisruption`` if more than 2 are not
    Ready and they are at least ``unhealthy_zone_threshold`` of all; ``Normal`` otherwise. A missing condition
    counts as not Ready.
    """
    ready = not_ready = 0
    for condition in ready_conditions:
        if condition is not None and condition.get("status") == "True":
            ready += 1
        else:
            not_ready += 1
    return _zone_state(ready, not_ready, unhealthy_zone_threshold)


def _zone_state(ready: int, not_ready: int, threshold: float) -> tuple[int, str]:
    if ready == 0 and not_ready > 0:
        return not_ready, STATE_FULL_DISRUPTION
    # float32 arithmetic upstream: the fraction and the threshold are both float32
    if not_ready > 2 and _f32(not_ready / (not_ready + ready)) >= _f32(threshold):
        return not_ready, STATE_PARTIAL_DISRUPTION
    return not_ready, STATE_NORMAL


def _f32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def taint_exists(taints: Iterable[Mapping[str, Any]] | None, template: Mapping[str, Any]) -> bool:
    """``taintutils.TaintExists``: a taint with the same key and effect."""
    key, effect = template.get("key"), template.get("effect")
    return any(t.get("key") == key and t.get("effect") == effect for t in taints or ())


def add_or_update_taints(taints: list[Obj] | None, new: Iterable[Obj]) -> tuple[list[Obj], bool]:
    """``taintutils.AddOrUpdateTaint`` for each taint: replace a taint with the same key and effect (unless
    identical), or append. Returns the new list and whether it changed."""
    result = [dict(t) for t in taints or ()]
    changed = False
    for taint in new:
        for i, old in enumerate(result):
            if old.get("key") == taint.get("key") and old.get("effect") == taint.get("effect"):
                if old != taint:
                    result[i] = dict(taint)
                    changed = True
                break
        else:
            result.append(dict(taint))
            changed = True
    return result, changed


def remove_taints(taints: list[Obj] | None, gone: Iterable[Mapping[str, Any]]) -> tuple[list[Obj], bool]:
    """``taintutils.RemoveTaint`` for each taint (matched by key and effect)."""
    result = list(taints or ())
    changed = False
    for template in gone:
        key, effect = template.get("key"), template.get("effect")
        kept = [t for t in result if not (t.get("key") == key and t.get("effect") == effect)]
        if len(kept) != len(result):
            result, changed = kept, True
    return result, changed


# --- rate limiting (flowcontrol token bucket; rate_limited_queue.go) --------------------------------------------


class TokenBucket:
    """``flowcontrol.NewTokenBucketRateLimiter(qps, burst)``'s ``TryAccept``: ``rate.Limiter.Allow`` from
    ``golang.org/x/time/rate`` on the simulated clock. The bucket starts full; a refused call takes nothing. Elapsed
    time is rounded to whole nanoseconds, as Go's durations are. ``qps <= 0`` never accepts
    (``NewFakeNeverRateLimiter``)."""

    def __init__(self, qps: float, burst: int = EVICTION_RATE_LIMITER_BURST) -> None:
        self.qps = float(qps)
        self.burst = burst
        self.tokens = float(burst)
        self.last: float | None = None

    def _tokens_at(self, now: float) -> float:
        if self.last is None:
            return float(self.burst)
        elapsed = max(0.0, round((now - self.last) * 1e9) / 1e9)
        return min(float(self.burst), self.tokens + elapsed * self.qps)

    def try_accept(self, now: float) -> bool:
        if self.qps <= 0:
            return False
        if self.qps == math.inf:  # NewFakeAlwaysRateLimiter
            return True
        tokens = self._tokens_at(now) - 1.0
        if tokens < 0:
            return False
        self.tokens, self.last = tokens, now
        return True

    def next_token_at(self, now: float) -> float:
        """The earliest simulated time at which ``try_accept`` can succeed (``inf`` if never)."""
        if self.qps <= 0:
            return math.inf
        if self.qps == math.inf:
            return now
        tokens = self._tokens_at(now)
        if tokens >= 1.0:
            return now
        return now + (1.0 - tokens) / self.qps

    def __repr__(self) -> str:
        return f"TokenBucket(qps={self.qps}, burst={self.burst})"


@dataclass(order=True)
class TimedValue:
    """``TimedValue``: a Node name to process at ``process_at``."""

    process_at: float
    seq: int
    value: str = ""
    uid: str = ""
    added_at: float = 0.0


class RateLimitedTimedQueue:
    """``RateLimitedTimedQueue``: a set of Node names ordered by the time to process them, drained through a token
    bucket. ``add`` does nothing for a name already in it (until ``remove``)."""

    def __init__(self, limiter: TokenBucket) -> None:
        self.limiter = limiter
        self._heap: list[TimedValue] = []
        self._set: set[str] = set()  # UniqueQueue.set: names added and not removed (order is never iterated)
        self._seq = 0

    def __len__(self) -> int:
        return len(self._heap)

    def __contains__(self, value: object) -> bool:
        return value in self._set

    def values(self) -> list[str]:
        return [v.value for v in sorted(self._heap)]

    def head(self) -> TimedValue | None:
        return self._heap[0] if self._heap else None

    def add(self, value: str, uid: str, now: float) -> bool:
        if value in self._set:
            return False
        self._seq += 1
        heapq.heappush(self._heap, TimedValue(now, self._seq, value, uid, now))
        self._set.add(value)
        return True

    def remove(self, value: str) -> bool:
        """``Remove``: forget the value (it may be added again); True if it was there."""
        if value not in self._set:
            return False
        self._set.discard(value)
        self._drop(value)
        return True

    def clear(self) -> None:
        """``Clear``: empty the queue and forget every value."""
        self._heap.clear()
        self._set.clear()

    def _drop(self, value: str) -> bool:
        for i, item in enumerate(self._heap):
            if item.value == value:
                self._heap[i] = self._heap[-1]
                self._heap.pop()
                heapq.heapify(self._heap)
                return True
        return False

    def try_(self, fn: Callable[[TimedValue], tuple[bool, float]], now: float) -> None:
        """``Try``: process due values while the limiter accepts; ``fn`` returns ``(done, wait)``."""
        while self._heap:
            if not self.limiter.try_accept(now):
                break
            head = self._heap[0]
            if now < head.process_at:
                break
            ok, wait = fn(head)
            if not ok:
                self._seq += 1
                retry = TimedValue(now + wait + 1e-9, self._seq, head.value, head.uid, head.added_at)
                heapq.heapreplace(self._heap, retry)
            else:
                heapq.heappop(self._heap)  # RemoveFromQueue: it stays in the set, so it is not added again

    def swap_limiter(self, qps: float, now: float) -> None:
        """``SwapLimiter``: a new bucket at ``qps``; if the old one had no token, the new one starts empty too."""
        if self.limiter.qps == qps:
            return
        if qps <= 0:
            self.limiter = TokenBucket(0.0)
            return
        new = TokenBucket(qps)
        if not self.limiter.try_accept(now):
            new.try_accept(now)
        self.limiter = new

    def next_run(self, now: float) -> float:
        """When a ``try_`` next calls the limiter with success (``inf`` if never). Upstream's loop asks the
        limiter every 100 ms while the queue is not empty; a refused ask changes nothing, so only the first tick
        with a token matters (even if the head is not due yet: that tick spends the token, as upstream)."""
        if not self._heap:
            return math.inf
        return self.limiter.next_token_at(now)


# --- node health bookkeeping ----------------------------------------------------------------------------------


@dataclass(slots=True)
class NodeHealth:
    """``nodeHealthData``: what the controller last saw of a Node, and when (controller time)."""

    probe_timestamp: float
    ready_transition_timestamp: float
    ready: Obj | None  # the Ready condition of the saved status
    lease_renew: float | None = None  # the saved Lease's renewTime (simulated seconds); None: no saved Lease
    lease_obj: Obj | None = None  # the saved Lease object
    node_obj: Obj | None = None  # the Node object last looked at (a fast path: informer objects never change)
    node_ready: Obj | None = None  # its Ready condition


@dataclass(slots=True)
class _NodeInfo:
    """Facts cached per Node object: its zone key and whether it is excluded from disruption checks."""

    obj: Obj
    zone: str
    excluded: bool
    has_controller_taint: bool


class NodeLifecycleController:
    """The node lifecycle controller (see the module docstring).

    Informers may be shared (``node_informer``, ``pod_informer``, ``lease_informer``); they are made if not given.
    ``zone_states`` and ``zone_tainters`` show the disruption bookkeeping; ``node_health`` the per-Node data.
    """

    name = "node-lifecycle-controller"

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        *,
        node_monitor_period: float = NODE_MONITOR_PERIOD,
        node_monitor_grace_period: float = NODE_MONITOR_GRACE_PERIOD,
        node_startup_grace_period: float = NODE_STARTUP_GRACE_PERIOD,
        node_eviction_rate: float = NODE_EVICTION_RATE,
        secondary_node_eviction_rate: float = SECONDARY_NODE_EVICTION_RATE,
        large_cluster_size_threshold: int = LARGE_CLUSTER_SIZE_THRESHOLD,
        unhealthy_zone_threshold: float = UNHEALTHY_ZONE_THRESHOLD,
        node_informer: Informer | None = None,
        pod_informer: Informer | None = None,
        lease_informer: Informer | None = None,
        user: UserInfo = NODE_CONTROLLER_USER,
    ) -> None:
        self.sim = sim
        self.api = api
        self.user = user
        self.node_monitor_period = node_monitor_period
        self.node_monitor_grace_period = node_monitor_grace_period
        self.node_startup_grace_period = node_startup_grace_period
        self.eviction_limiter_qps = node_eviction_rate
        self.secondary_eviction_limiter_qps = secondary_node_eviction_rate
        self.large_cluster_threshold = large_cluster_size_threshold
        self.unhealthy_zone_threshold = unhealthy_zone_threshold
        lw = api.lister_watcher
        self.nodes = node_informer or Informer(sim, lw("nodes", user=user), name="node-lifecycle/nodes")
        self.pods = pod_informer or Informer(sim, lw("pods", user=user), name="node-lifecycle/pods")
        self.leases = lease_informer or Informer(
            sim, lw("leases", NODE_LEASE_NAMESPACE, user=user), name="node-lifecycle/leases"
        )
        self.recorder = EventRecorder(sim, api, COMPONENT, user=user)
        self.known_nodes: dict[str, Obj] = {}
        self.node_health: dict[str, NodeHealth] = {}
        self.zone_states: dict[str, str] = {}
        self.zone_tainters: dict[str, RateLimitedTimedQueue] = {}
        self.nodes_to_retry: dict[str, None] = {}
        self.node_update_queue = WorkQueue(sim, "node_lifecycle_controller")
        self.pod_update_queue = WorkQueue(sim, "node_lifecycle_controller_pods")
        self._info: dict[str, _NodeInfo] = {}
        self._monitor: Timer | None = None
        self._tainting: Timer | None = None
        self._tick0 = 0.0
        self._handlers: list[tuple[Informer, Any]] = []
        self.running = False
        self.passes = 0  # monitor passes run (for benchmarks and tests)

    # ---- running -----------------------------------------------------------------------------------------

    def start(self) -> None:
        """``Run``: start the informers, then the monitor loop (now and every ``node_monitor_period``)."""
        if self.running:
            return
        self.running = True
        ensure_node_name_index(self.pods)
        self._handlers = [
            (self.pods, self.pods.add_event_handler(self._pod_added, self._pod_changed, None)),
            (self.nodes, self.nodes.add_event_handler(self._node_added, self._node_changed, self._node_deleted)),
        ]
        self.leases.start()
        self.nodes.start()
        self.pods.start()
        self._tick0 = self.sim.now
        self.sim.process(self._node_worker())
        self.sim.process(self._pod_worker())
        self._monitor = self.sim.every(self.node_monitor_period, self.monitor_node_health)

    def stop(self) -> None:
        self.running = False
        for informer, handler in self._handlers:
            informer.remove_event_handler(handler)
        self._handlers = []
        for timer in (self._monitor, self._tainting):
            if timer is not None:
                timer.cancel()
        self._monitor = self._tainting = None
        self.node_update_queue.shutdown()
        self.pod_update_queue.shutdown()

    # ---- node and pod updates (the NoSchedule taints, labels, pods assigned to unhealthy nodes) ------------

    def _node_added(self, node: Obj) -> None:
        self.node_update_queue.add(node["metadata"]["name"])

    def _node_changed(self, old: Obj, node: Obj) -> None:
        self.node_update_queue.add(node["metadata"]["name"])

    def _node_deleted(self, obj: Any) -> None:
        node = obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj
        if node is not None:
            self.nodes_to_retry.pop(node["metadata"]["name"], None)

    def _pod_added(self, pod: Obj) -> None:
        self._pod_updated(None, pod)

    def _pod_changed(self, old: Obj, pod: Obj) -> None:
        self._pod_updated(old, pod)

    def _pod_updated(self, old: Obj | None, pod: Obj) -> None:
        """``podUpdated``: a Pod newly assigned to a Node is checked against that Node's health."""
        node_name = (pod.get("spec") or {}).get("nodeName")
        if node_name and (old is None or (old.get("spec") or {}).get("nodeName") != node_name):
            meta = pod["metadata"]
            self.pod_update_queue.add((meta.get("namespace") or "", meta["name"]))

    def _node_worker(self) -> Generator[Any, Any, None]:
        """``doNodeProcessingPassWorker``: the NoSchedule taints and the labels of each updated Node."""
        while True:
            name = yield self.node_update_queue.get_event()
            if name is None:
                return
            try:
                self.do_no_schedule_tainting_pass(name)
                self.reconcile_node_labels(name)
            finally:
                self.node_update_queue.done(name)

    def _pod_worker(self) -> Generator[Any, Any, None]:
        """``doPodProcessingWorker``: Pods newly assigned to a Node that is not Ready."""
        while True:
            item = yield self.pod_update_queue.get_event()
            if item is None:
                return
            try:
                if self.process_pod(*item):
                    self.pod_update_queue.forget(item)
                else:
                    self.pod_update_queue.add_rate_limited(item)
            finally:
                self.pod_update_queue.done(item)

    def do_no_schedule_tainting_pass(self, node_name: str) -> bool:
        """``doNoScheduleTaintingPass``: make the Node's condition ``NoSchedule`` taints match its conditions."""
        node = self.nodes.get(node_name)
        if node is None:
            return True
        wanted: list[Obj] = []
        for condition in (node.get("status") or {}).get("conditions") or ():
            key = NODE_CONDITION_TO_TAINT_KEY.get(condition.get("type"), {}).get(condition.get("status"))
            if key is not None:
                wanted.append({"key": key, "effect": TAINT_EFFECT_NO_SCHEDULE})
        if (node.get("spec") or {}).get("unschedulable"):
            wanted.append({"key": TAINT_NODE_UNSCHEDULABLE, "effect": TAINT_EFFECT_NO_SCHEDULE})
        current = [
            t
            for t in (node.get("spec") or {}).get("taints") or ()
            if t.get("effect") == TAINT_EFFECT_NO_SCHEDULE
            and (t.get("key") == TAINT_NODE_UNSCHEDULABLE or t.get("key") in TAINT_KEY_TO_NODE_CONDITION)
        ]
        # TaintSetDiff: compared by key and effect
        to_add = [t for t in wanted if not taint_exists(current, t)]
        to_del = [t for t in current if not taint_exists(wanted, t)]
        if not to_add and not to_del:
            return True
        return self.swap_node_controller_taint(node, to_add, to_del)

    def reconcile_node_labels(self, node_name: str) -> bool:
        """``reconcileNodeLabels``: the beta OS and arch labels follow the stable ones."""
        node = self.nodes.get(node_name)
        if node is None:
            return True
        labels = node["metadata"].get("labels")
        if not labels:
            return True
        update = {}
        for primary, secondary in LABEL_RECONCILE:
            if primary not in labels:
                continue
            if labels.get(secondary) != labels[primary]:
                update[secondary] = labels[primary]
        if not update:
            return True
        try:
            self.api.patch("nodes", node_name, None, {"metadata": {"labels": update}}, user=self.user)
        except StatusError:
            return False
        return True

    def process_pod(self, namespace: str, name: str) -> bool:
        """``processPod``: a Pod assigned to a Node that is not Ready is marked not ready. False to retry."""
        pod = self.pods.get(f"{namespace}/{name}" if namespace else name)
        if pod is None:
            return True
        node_name = (pod.get("spec") or {}).get("nodeName")
        health = self.node_health.get(node_name or "")
        if health is None:
            return True
        if self.nodes.get(node_name) is None:
            return False
        if health.ready is None:
            return True
        if health.ready.get("status") != "True":
            return self.mark_pods_not_ready([pod], node_name)
        return True

    # ---- taint writes (controller_utils.go) --------------------------------------------------------------

    def _patch_taints(self, node_name: str, change: Callable[[list[Obj]], tuple[list[Obj], bool]]) -> bool:
        """Read the Node, change its taints, patch them with the read resourceVersion; retry on conflict."""
        for _ in range(UPDATE_TAINT_RETRIES):
            try:
                node = self.api.get("nodes", node_name, user=self.user)
            except StatusError:
                return False
            taints, changed = change((node.get("spec") or {}).get("taints") or [])
            if not changed:
                return True
            body = {
                "metadata": {"resourceVersion": node["metadata"]["resourceVersion"]},
                "spec": {"taints": taints or None},
            }
            try:
                self.api.patch("nodes", node_name, None, body, user=self.user)
                return True
            except StatusError as err:
                if err.code != 409:
                    return False
        return False

    def add_or_update_taint_on_node(self, node_name: str, taints: list[Obj]) -> bool:
        """``AddOrUpdateTaintOnNode``."""
        if not taints:
            return True
        return self._patch_taints(node_name, lambda current: add_or_update_taints(current, taints))

    def remove_taint_off_node(self, node_name: str, node: Mapping[str, Any] | None, taints: list[Obj]) -> bool:
        """``RemoveTaintOffNode``: nothing to do (no request) if the given Node has none of the taints."""
        if not taints:
            return True
        if node is not None and not any(taint_exists((node.get("spec") or {}).get("taints"), t) for t in taints):
            return True
        return self._patch_taints(node_name, lambda current: remove_taints(current, taints))

    def swap_node_controller_taint(self, node: Mapping[str, Any], to_add: list[Obj], to_remove: list[Obj]) -> bool:
        """``SwapNodeControllerTaint``: add (with ``timeAdded`` now), then remove."""
        name = node["metadata"]["name"]
        stamp = self.sim.rfc3339()
        added = [{**t, "timeAdded": stamp} for t in to_add]
        if not self.add_or_update_taint_on_node(name, added):
            return False
        return self.remove_taint_off_node(name, node, to_remove)

    # ---- the monitor pass --------------------------------------------------------------------------------

    def _info_of(self, node: Obj) -> _NodeInfo:
        name = node["metadata"]["name"]
        info = self._info.get(name)
        if info is None or info.obj is not node:
            labels = node["metadata"].get("labels") or {}
            taints = (node.get("spec") or {}).get("taints") or ()
            keys = (TAINT_NODE_UNREACHABLE, TAINT_NODE_NOT_READY)
            has = any(t.get("effect") == TAINT_EFFECT_NO_EXECUTE and t.get("key") in keys for t in taints)
            info = self._info[name] = _NodeInfo(node, get_zone_key(node), LABEL_NODE_EXCLUDE_DISRUPTION in labels, has)
        return info

    def monitor_node_health(self) -> None:
        """``monitorNodeHealth``: one pass over every Node (see the module docstring)."""
        self.passes += 1
        nodes = self.nodes.list()
        known = self.known_nodes
        added: list[Obj] = []
        new_zone_nodes: list[Obj] = []
        for node in nodes:
            name = node["metadata"]["name"]
            if name not in known:
                added.append(node)
            elif self._info_of(node).zone not in self.zone_states:
                new_zone_nodes.append(node)
        deleted: list[Obj] = []
        if len(known) + len(added) != len(nodes):
            present = {n["metadata"]["name"] for n in nodes}
            deleted = [obj for name, obj in known.items() if name not in present]
        for node in new_zone_nodes:
            self._add_tainter_for_new_zone(node)
        for node in added:
            name = node["metadata"]["name"]
            self._record_node_event(node, NORMAL, "RegisteredNode", f"Registered Node {name} in Controller")
            known[name] = node
            self._add_tainter_for_new_zone(node)
            self.mark_node_as_reachable(node)
        for node in deleted:
            name = node["metadata"]["name"]
            self._record_node_event(node, NORMAL, "RemovingNode", f"Removing Node {name} from Controller")
            del known[name]
            self._info.pop(name, None)

        # zone -> [ready nodes, not-ready nodes]; insertion order is the nodes' order
        zone_counts: dict[str, list[int]] = {}
        now = self.sim.now
        grace = self.node_monitor_grace_period
        health_map, info_map, tainters = self.node_health, self._info, self.zone_tainters
        lease_of = self.leases.indexer.get_by_key
        for node in nodes:
            # The common case, in a few dictionary lookups: the very Node object of the last pass, Ready, with a
            # Lease renewed in time. It does exactly what the general path below would do for it.
            name = node["metadata"]["name"]
            health = health_map.get(name)
            if health is not None and health.node_obj is node:
                ready = health.node_ready
                if ready is not None and ready.get("status") == "True":
                    lease = lease_of(f"{NODE_LEASE_NAMESPACE}/{name}")
                    if lease is not None and lease is not health.lease_obj:
                        renew = self._time((lease.get("spec") or {}).get("renewTime"))
                        if health.lease_renew is None or health.lease_renew < renew:
                            health.lease_renew, health.lease_obj, health.probe_timestamp = renew, lease, now
                    if now <= health.probe_timestamp + grace:
                        info = info_map.get(name)
                        if info is None or info.obj is not node:
                            info = self._info_of(node)
                        if not info.excluded:
                            counts = zone_counts.get(info.zone)
                            if counts is None:
                                counts = zone_counts[info.zone] = [0, 0]
                            counts[0] += 1
                        tainter = tainters.get(info.zone)
                        if info.has_controller_taint or (tainter is not None and name in tainter):
                            self.mark_node_as_reachable(node)
                        self.nodes_to_retry.pop(name, None)
                        continue
            self._update_node(node, zone_counts)
        self.handle_disruption(zone_counts, nodes)

    def _update_node(self, node: Obj, zone_counts: dict[str, list[int]]) -> None:
        """The body of ``updateNodeFunc`` for one Node."""
        name = node["metadata"]["name"]
        result = None
        for _ in range(NODE_HEALTH_UPDATE_RETRY):
            try:
                result = self.try_update_node_health(node)
                break
            except StatusError:
                try:
                    node = self.api.get("nodes", name, user=self.user)
                except StatusError:
                    return  # the Node was deleted: skipped, no pods will be evicted
        if result is None:
            return
        observed, current = result
        info = self._info_of(node)
        if not info.excluded:
            counts = zone_counts.get(info.zone)
            if counts is None:
                counts = zone_counts[info.zone] = [0, 0]
            if current is not None and current.get("status") == "True":
                counts[0] += 1
            else:
                counts[1] += 1
        if current is None:
            self.nodes_to_retry.pop(name, None)
            return
        self.process_taint_base_eviction(node, observed)
        needs_retry = name in self.nodes_to_retry
        became_not_ready = current.get("status") != "True" and observed.get("status") == "True"
        if became_not_ready:
            self._record_status_change(node, "NodeNotReady")
        if became_not_ready or (needs_retry and observed.get("status") != "True"):
            pods = self.pods.indexer.by_index(NODE_NAME_INDEX, name)
            if not self.mark_pods_not_ready(pods, name):
                self.nodes_to_retry[name] = None
                return
        self.nodes_to_retry.pop(name, None)

    def try_update_node_health(self, node: Obj) -> tuple[Obj, Obj | None]:
        """``tryUpdateNodeHealth``: ``(observed Ready condition, current Ready condition)``; the Node's status is
        written (conditions ``Unknown``) if no sign of life came within the grace period. Raises
        :class:`StatusError` if that write fails."""
        name = node["metadata"]["name"]
        now = self.sim.now
        health = self.node_health.get(name)
        seen = health is not None and health.node_obj is node  # the very object of the last pass: nothing changed
        current = health.node_ready if seen else get_node_condition(node, "Ready")  # type: ignore[union-attr]
        if current is None:
            observed = self._fake_ready(node)
            grace = self.node_startup_grace_period
            if health is None:
                created = self._time(node["metadata"].get("creationTimestamp"))
                health = NodeHealth(created, created, None)
            else:
                health.ready = None  # nodeHealth.status = &node.Status
        else:
            observed = current
            grace = self.node_monitor_grace_period
        saved_lease = health.lease_renew if health is not None else None
        saved_lease_obj = health.lease_obj if health is not None else None
        if not seen:
            saved = health.ready if health is not None else None
            if health is None or (saved is None and current is not None):  # new, or first status posted
                health = NodeHealth(now, now, current)
            elif saved is not None and current is None:
                health = NodeHealth(now, now, None)
            elif (
                saved is not None
                and current is not None
                and saved.get("lastHeartbeatTime") != current.get("lastHeartbeatTime")
            ):
                transition = (
                    now
                    if saved.get("lastTransitionTime") != current.get("lastTransitionTime")
                    else health.ready_transition_timestamp
                )
                health = NodeHealth(now, transition, current)  # a new entry: no saved Lease (as upstream)
            health.node_obj = node
            health.node_ready = current
            self.node_health[name] = health
        assert health is not None
        # Always update the probe time if the node lease is renewed.
        lease = self.leases.get(f"{NODE_LEASE_NAMESPACE}/{name}")
        if lease is not None and (saved_lease is None or lease is not saved_lease_obj):
            renew = self._time((lease.get("spec") or {}).get("renewTime"))
            if saved_lease is None or saved_lease < renew:
                health.lease_renew = renew
                health.lease_obj = lease
                health.probe_timestamp = now
        if now > health.probe_timestamp + grace:
            updated = self._mark_unknown(node, now)
            if updated is not None:
                new_ready = get_node_condition(updated, "Ready")
                if new_ready != observed:
                    stored = self.api.update_status(updated, user=self.user)
                    self.node_health[name] = NodeHealth(
                        health.probe_timestamp,
                        now,
                        get_node_condition(stored, "Ready"),
                        self._time(((lease or {}).get("spec") or {}).get("renewTime")) if lease else None,
                        lease,
                    )
                    return observed, new_ready
        return observed, current

    def _mark_unknown(self, node: Obj, now: float) -> Obj | None:
        """The Node with its conditions set to ``Unknown`` (``None`` if they already are)."""
        conditions = (node.get("status") or {}).get("conditions") or []
        by_type = {c.get("type"): c for c in conditions}
        if all((by_type.get(t) or {}).get("status") == "Unknown" for t in UNKNOWN_CONDITION_TYPES):
            return None
        node = copy.deepcopy(node)
        status = node.setdefault("status", {})
        conditions = status.setdefault("conditions", [])
        stamp = self.sim.rfc3339(now)
        for type_ in UNKNOWN_CONDITION_TYPES:
            condition = next((c for c in conditions if c.get("type") == type_), None)
            if condition is None:
                conditions.append(
                    {
                        "type": type_,
                        "status": "Unknown",
                        "lastHeartbeatTime": node["metadata"].get("creationTimestamp"),
                        "lastTransitionTime": stamp,
                        "reason": "NodeStatusNeverUpdated",
                        "message": "Kubelet never posted node status.",
                    }
                )
            elif condition.get("status") != "Unknown":
                condition["status"] = "Unknown"
                condition["reason"] = "NodeStatusUnknown"
                condition["message"] = "Kubelet stopped posting node status."
                condition["lastTransitionTime"] = stamp
        return node

    @staticmethod
    def _fake_ready(node: Mapping[str, Any]) -> Obj:
        created = node["metadata"].get("creationTimestamp")
        return {"type": "Ready", "status": "Unknown", "lastHeartbeatTime": created, "lastTransitionTime": created}

    def _time(self, stamp: str | None) -> float:
        """An RFC 3339 timestamp (``Time`` or ``MicroTime``) as simulated seconds."""
        if not stamp:
            return -math.inf
        moment = datetime.fromisoformat(stamp)
        return (moment - self.sim.start).total_seconds()

    def process_taint_base_eviction(self, node: Obj, observed: Mapping[str, Any]) -> None:
        """``processTaintBaseEviction``: queue a not-Ready Node for its ``NoExecute`` taint, or clear a Ready one."""
        status = observed.get("status")
        taints = (node.get("spec") or {}).get("taints")
        if status == "False":
            if taint_exists(taints, UNREACHABLE_TAINT_TEMPLATE):
                self.swap_node_controller_taint(node, [dict(NOT_READY_TAINT_TEMPLATE)], [UNREACHABLE_TAINT_TEMPLATE])
            else:
                self.mark_node_for_tainting(node, "False")
        elif status == "Unknown":
            if taint_exists(taints, NOT_READY_TAINT_TEMPLATE):
                self.swap_node_controller_taint(node, [dict(UNREACHABLE_TAINT_TEMPLATE)], [NOT_READY_TAINT_TEMPLATE])
            else:
                self.mark_node_for_tainting(node, "Unknown")
        elif status == "True":
            self.mark_node_as_reachable(node)

    def mark_node_for_tainting(self, node: Obj, status: str) -> bool:
        """``markNodeForTainting``."""
        name = node["metadata"]["name"]
        taints = (node.get("spec") or {}).get("taints")
        tainter = self.zone_tainters[self._info_of(node).zone]
        if status == "False" and not taint_exists(taints, NOT_READY_TAINT_TEMPLATE):
            tainter.remove(name)
        if status == "Unknown" and not taint_exists(taints, UNREACHABLE_TAINT_TEMPLATE):
            tainter.remove(name)
        added = tainter.add(name, node["metadata"].get("uid") or "", self.sim.now)
        self._schedule_tainting()
        return added

    def mark_node_as_reachable(self, node: Obj) -> bool:
        """``markNodeAsReachable``: remove both ``NoExecute`` taints and take the Node out of its queue."""
        name = node["metadata"]["name"]
        info = self._info_of(node)
        if info.has_controller_taint:
            self.remove_taint_off_node(name, node, [UNREACHABLE_TAINT_TEMPLATE])
            self.remove_taint_off_node(name, node, [NOT_READY_TAINT_TEMPLATE])
        tainter = self.zone_tainters.get(info.zone)
        return tainter.remove(name) if tainter is not None else False

    def mark_pods_not_ready(self, pods: list[Obj], node_name: str) -> bool:
        """``MarkPodsNotReady``: each Pod's Ready condition becomes False, with a ``NodeNotReady`` Event."""
        ok = True
        stamp = self.sim.rfc3339()
        for pod in pods:
            if (pod.get("spec") or {}).get("nodeName") != node_name:
                continue
            for condition in (pod.get("status") or {}).get("conditions") or ():
                if condition.get("type") != "Ready":
                    continue
                status = copy.deepcopy(pod["status"])
                if not update_pod_condition(status, {**condition, "status": "False"}, stamp):
                    break
                try:
                    self.api.update_status({**pod, "status": status}, user=self.user)
                except StatusError as err:
                    if err.code == 404:
                        break
                    ok = False
                self.recorder.event(pod, WARNING, "NodeNotReady", "Node is not ready")
                break
        return ok

    # ---- zones -------------------------------------------------------------------------------------------

    def _add_tainter_for_new_zone(self, node: Obj) -> None:
        """``addPodEvictorForNewZone``."""
        zone = self._info_of(node).zone
        if zone not in self.zone_states:
            self.zone_states[zone] = STATE_INITIAL
            self.zone_tainters[zone] = RateLimitedTimedQueue(TokenBucket(self.eviction_limiter_qps))

    def reduced_qps(self, node_num: int) -> float:
        """``ReducedQPSFunc``: the secondary rate in a large zone, nothing in a small one."""
        return self.secondary_eviction_limiter_qps if node_num > self.large_cluster_threshold else 0.0

    def healthy_qps(self, node_num: int) -> float:
        """``HealthyQPSFunc``."""
        return self.eviction_limiter_qps

    def _set_limiter_in_zone(self, zone: str, zone_size: int, state: str) -> None:
        now = self.sim.now
        if state == STATE_NORMAL:
            self.zone_tainters[zone].swap_limiter(self.eviction_limiter_qps, now)
        elif state == STATE_PARTIAL_DISRUPTION:
            self.zone_tainters[zone].swap_limiter(self.reduced_qps(zone_size), now)
        elif state == STATE_FULL_DISRUPTION:
            self.zone_tainters[zone].swap_limiter(self.healthy_qps(zone_size), now)

    def handle_disruption(self, zone_counts: Mapping[str, list[int]], nodes: list[Obj]) -> None:
        """``handleDisruption``: new zone states, and the tainting rate that goes with them."""
        new_states: dict[str, str] = {}
        all_fully_disrupted = True
        for zone, (ready, not_ready) in zone_counts.items():
            _, state = _zone_state(ready, not_ready, self.unhealthy_zone_threshold)
            if state != STATE_FULL_DISRUPTION:
                all_fully_disrupted = False
            new_states[zone] = state
            if zone not in self.zone_states:
                self.zone_states[zone] = STATE_INITIAL
        all_was_fully_disrupted = True
        for zone in list(self.zone_states):
            if zone not in zone_counts:
                del self.zone_states[zone]
                continue
            if self.zone_states[zone] != STATE_FULL_DISRUPTION:
                all_was_fully_disrupted = False
                break
        if all_fully_disrupted and all_was_fully_disrupted:
            return
        if all_fully_disrupted:  # entering the control plane's own disruption mode: stop all tainting
            for node in nodes:
                self.mark_node_as_reachable(node)
            now = self.sim.now
            for zone in self.zone_states:
                self.zone_tainters[zone].swap_limiter(0.0, now)
            for zone in self.zone_states:
                self.zone_states[zone] = STATE_FULL_DISRUPTION
            return
        if all_was_fully_disrupted:  # leaving it: every Node gets a fresh grace period
            now = self.sim.now
            for node in nodes:
                health = self.node_health.get(node["metadata"]["name"])
                if health is not None:
                    health.probe_timestamp = now
                    health.ready_transition_timestamp = now
            for zone in self.zone_states:
                counts = zone_counts.get(zone, [0, 0])
                self._set_limiter_in_zone(zone, counts[0] + counts[1], new_states.get(zone, ""))
                self.zone_states[zone] = new_states.get(zone, "")
            self._schedule_tainting()
            return
        for zone, state in list(self.zone_states.items()):
            new_state = new_states.get(zone, "")
            if state == new_state:
                continue
            counts = zone_counts.get(zone, [0, 0])
            self._set_limiter_in_zone(zone, counts[0] + counts[1], new_state)
            self.zone_states[zone] = new_state
        self._schedule_tainting()

    # ---- the NoExecute tainting loop (every 100 ms upstream) ----------------------------------------------

    def _schedule_tainting(self) -> None:
        """Arm the tainting pass for the first 100 ms tick at which some zone can make progress."""
        now = self.sim.now
        soonest = min((q.next_run(now) for q in self.zone_tainters.values()), default=math.inf)
        if soonest == math.inf:
            return
        # the first tick strictly after now (the loop runs on its own goroutine) and not before `soonest`
        k = max(math.floor((now - self._tick0) / NODE_EVICTION_PERIOD + 1e-9) + 1,
                math.ceil((soonest - self._tick0) / NODE_EVICTION_PERIOD - 1e-9))  # fmt: skip
        at = round(self._tick0 + k / round(1 / NODE_EVICTION_PERIOD), 9)  # k / 10: no float drift over many ticks
        if self._tainting is not None:
            if self._tainting.when is not None and self._tainting.when <= at:
                return
            self._tainting.cancel()
        self._tainting = self.sim.call_at(at, self.do_no_execute_tainting_pass)

    def do_no_execute_tainting_pass(self) -> None:
        """``doNoExecuteTaintingPass``: each zone's queue adds ``NoExecute`` taints while its bucket allows."""
        self._tainting = None
        now = self.sim.now
        for tainter in list(self.zone_tainters.values()):
            tainter.try_(self._taint_one, now)
        self._schedule_tainting()

    def _taint_one(self, value: TimedValue) -> tuple[bool, float]:
        node = self.nodes.get(value.value)
        if node is None:
            return True, 0.0
        condition = get_node_condition(node, "Ready")
        if condition is None:
            return False, 0.05
        status = condition.get("status")
        if status == "False":
            add, opposite = NOT_READY_TAINT_TEMPLATE, UNREACHABLE_TAINT_TEMPLATE
        elif status == "Unknown":
            add, opposite = UNREACHABLE_TAINT_TEMPLATE, NOT_READY_TAINT_TEMPLATE
        else:
            return True, 0.0
        return self.swap_node_controller_taint(node, [dict(add)], [opposite]), 0.0

    # ---- events ------------------------------------------------------------------------------------------

    def _record_node_event(self, node: Mapping[str, Any], type_: str, reason: str, event: str) -> None:
        """``RecordNodeEvent``: ``Node <name> event: <event>``."""
        name = node["metadata"]["name"]
        ref = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": node["metadata"].get("uid")}}
        self.recorder.event(ref, type_, reason, f"Node {name} event: {event}")

    def _record_status_change(self, node: Mapping[str, Any], status: str) -> None:
        """``RecordNodeStatusChange``: ``Node <name> status is now: <status>``."""
        name = node["metadata"]["name"]
        ref = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": node["metadata"].get("uid")}}
        self.recorder.event(ref, NORMAL, status, f"Node {name} status is now: {status}")

    def __repr__(self) -> str:
        zones = {zone_name(z): s for z, s in self.zone_states.items()}
        return f"NodeLifecycleController(nodes={len(self.known_nodes)}, zones={zones})"


__all__ = [
    "LARGE_CLUSTER_SIZE_THRESHOLD",
    "NODE_EVICTION_RATE",
    "NODE_MONITOR_GRACE_PERIOD",
    "NODE_MONITOR_PERIOD",
    "NODE_STARTUP_GRACE_PERIOD",
    "NOT_READY_TAINT_TEMPLATE",
    "SECONDARY_NODE_EVICTION_RATE",
    "STATE_FULL_DISRUPTION",
    "STATE_INITIAL",
    "STATE_NORMAL",
    "STATE_PARTIAL_DISRUPTION",
    "UNHEALTHY_ZONE_THRESHOLD",
    "UNREACHABLE_TAINT_TEMPLATE",
    "NodeHealth",
    "NodeLifecycleController",
    "RateLimitedTimedQueue",
    "TimedValue",
    "TokenBucket",
    "add_or_update_taints",
    "compute_zone_state",
    "get_node_condition",
    "get_zone_key",
    "remove_taints",
    "taint_exists",
    "zone_name",
]
