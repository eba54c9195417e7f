"""replicaset: the ReplicaSet controller — keep ``spec.replicas`` Pods running, whatever happens to them.

Upstream: ``pkg/controller/replicaset/replica_set.go`` (``ReplicaSetController``: the event handlers,
``syncReplicaSet``, ``manageReplicas``, ``slowStartBatch``, ``getPodsToDelete``,
``getPodsRankedByRelatedPodsOnSameNode``, ``getIndirectlyRelatedPods``, ``claimPods``) and
``pkg/controller/replicaset/replica_set_utils.go`` (``calculateStatus``, ``updateReplicaSetStatus`` and the
``ReplicaFailure`` condition helpers), on the pattern of :mod:`k8smodel.controllers.base` and the shared pieces of
:mod:`k8smodel.controllers.controller_utils`.

The reconcile (``syncReplicaSet``), for one ReplicaSet key
    1. **Desired state**: the ReplicaSet from the informer's cache (gone: forget its expectations, done).
    2. **Current state**: the active Pods (not Succeeded, not Failed, not being deleted) that the ReplicaSet
       *claims*: those it owns and its selector still matches, plus matching orphans it adopts; owned Pods whose
       labels no longer match are released (:class:`~k8smodel.controllers.controller_utils.PodControllerRefManager`).
    3. **Compare and act** (``manageReplicas``), but only if the expectations of the previous act are met (every
       Pod it created or deleted has come back through the informer, or five minutes passed) and the ReplicaSet is
       not being deleted:

       * too few Pods: create the difference, at most :data:`BURST_REPLICAS` (500) per sync, in *slow-start*
         batches of 1, 2, 4, 8, ... Pods; a batch with a failure stops the run, so a quota or admission error costs
         one failed request, not 500 (``Created pod: web-x7k2p`` / ``Error creating: ...`` Events);
       * too many: delete the difference (at most 500), choosing the Pods that cost least to lose
         (:func:`get_pods_to_delete`, ``Deleted pod: web-x7k2p`` Events).

    4. **Report**: write ``status`` (``replicas``, ``fullyLabeledReplicas``, ``readyReplicas``,
       ``availableReplicas``, ``observedGeneration``, the ``ReplicaFailure`` condition) if it changed, and if every
       Pod is ready but not all are available yet (``minReadySeconds``), look again ``minReadySeconds`` later.

Which Pod goes on scale-down
    :func:`get_pods_to_delete` sorts with ``ActivePodsWithRanks``
    (:func:`~k8smodel.controllers.controller_utils.sort_active_pods_with_ranks`): unassigned before assigned;
    Pending, then Unknown, then Running; not ready before ready; lower ``controller.kubernetes.io/pod-deletion-cost``
    first; then the Pod's *rank*, the number of active Pods related to the ReplicaSet on the Pod's node (more first:
    doubled-up Pods go before lonely ones); ready for less time first; more restarts first; newer first (the times
    on a log2 scale). The rank counts the Pods of every ReplicaSet with the same controller (the Deployment's old
    and new ReplicaSets together, ``getIndirectlyRelatedPods``). A ReplicaSet with no controller of its own has no
    related Pods upstream ("ReplicaSet has no controller"), so every rank is 0 and the doubled-up rule never
    decides for a bare ReplicaSet; the model does the same. :func:`deletion_ranking` prints the order with the
    facts each rule compares.

The event handlers (``addPod``, ``updatePod``, ``deletePod``, ``addRS``, ``updateRS``, ``deleteRS``)
    A Pod event wakes the ReplicaSet that controls the Pod (and counts towards its expectations: an add is an
    observed creation, a delete or a new ``deletionTimestamp`` an observed deletion, by Pod key); an orphan's event
    wakes every ReplicaSet whose selector matches it, so one of them adopts it. A Pod that turns ready wakes its
    ReplicaSet again ``minReadySeconds + 1`` seconds later (``AddAfter``), when it will have become available.

Observing it
    Every reconcile logs ``replicaset.sync`` (``rs``, ``desired``, ``current``, ``diff``, ``action`` one of
    ``create``, ``delete``, ``none`` or ``wait`` for unmet expectations); each slow-start batch
    ``replicaset.slow_start_batch`` (``rs``, ``batch``, ``size``, ``created``); a scale-down
    ``replicaset.delete`` (``rs``, ``pods``: the chosen Pods, comma-separated, in deletion order); a status write
    ``replicaset.status``. Events carry upstream's reasons and messages (``SuccessfulCreate``, ``FailedCreate``,
    ``SuccessfulDelete``, ``FailedDelete``), through the recorder's correlator (so 1,000 creations show as 25
    Events and then one every 5 minutes, as ``kubectl describe`` shows upstream).

What the model leaves out
    * Time: a reconcile takes no simulated time, and so does every API call in it. All the slow-start batches of a
      sync, and the informer events their Pods cause, happen at one simulated instant (the order of requests and
      the batch sizes are upstream's; the log shows them). Upstream a 500-Pod burst takes seconds of API round
      trips, during which the informer events trickle in.
    * Concurrency: upstream creates the Pods of one batch, and deletes the Pods of one scale-down, in parallel
      goroutines; here one after another, and every call of a batch is still made when one fails (upstream waits
      for the whole batch too). One worker by default (upstream ``--concurrent-replicaset-syncs`` is 5).
    * ``syncReplicaSet`` lists every Pod of the namespace and claims from them; the model finds the same candidates
      through two informer indices (Pods by controller UID, orphans by namespace), since Pods controlled by someone
      else are never claimed. The result is the same; the cost no longer grows with unrelated Pods. It also
      remembers, per Pod object, what ``FilterActivePods``, ``ClaimObject``'s first case and ``calculateStatus``
      read from it (an informer replaces a Pod's dict on every change, so the memory is keyed by the dict itself):
      a 1,000-Pod ReplicaSet is reconciled about once per Pod status change, as upstream, and each of those
      reconciles would otherwise re-read 1,000 Pods. A sync reads again only the Pods stored or removed since the
      last one (the informer indexer's change log, :meth:`~k8smodel.client.Indexer.changes_since`), and keeps the
      claimed, fully labeled and ready Pods as sets (:class:`_Remembered`). The same memory serves a
      scale-down: which Pods each related ReplicaSet's selector matches (``getIndirectlyRelatedPods``, kept counted
      by node for the ranks) and what ``ActivePodsWithRanks`` compares of each Pod. The answers are those of the
      plain computations, in the same order: tests/test_speed_controllers.py checks them against ``FilterActivePods``,
      ``ClaimPods``, ``calculateStatus``, the Pod lister and ``Less`` after random Pod changes.
    * A ReplicaSet whose selector does not parse is logged (``replicaset.invalid_selector``) and skipped, as
      upstream's ``HandleError``; the API server's validation makes it impossible anyway.
    * No ``ReplicationController`` (upstream's controller serves both kinds), no metrics
      (``SortingDeletionAgeRatio``), no ``terminatingReplicas`` (the ``DeploymentReplicaSetTerminatingReplicas``
      alpha gate, off by default).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from itertools import chain, compress
from typing import Any

from k8smodel.api import errors
from k8smodel.api.errors import StatusError
from k8smodel.api.labels import Selector, SelectorError, label_selector_as_selector, selector_from_set
from k8smodel.apiserver.admission import NAMESPACE_TERMINATING_CAUSE
from k8smodel.apiserver.authn import UserInfo
from k8smodel.client import NAMESPACE_INDEX, DeletedFinalStateUnknown, Indexer, Informer
from k8smodel.controllers.base import Controller, ReconcileError, controller_user, object_of
from k8smodel.controllers.controller_utils import (
    SLOW_START_INITIAL_BATCH_SIZE,
    AggregateError,
    PodControl,
    PodControllerRefManager,
    UIDTrackingControllerExpectations,
    fresh_owner_getter,
    get_controller_of,
    get_deletion_cost_from_pod_annotations,
    get_pod_ready_condition,
    has_status_cause,
    is_pod_active,
    is_pod_available,
    is_pod_ready,
    new_controller_ref,
    parse_time,
    pod_key,
    pod_sort_facts,
    recheck_deletion_timestamp,
    slow_start_batch,
    sort_active_pods_with_ranks,
    unix_now,
)
from k8smodel.record import EventRecorder
from k8smodel.sim import Simulation

Obj = dict[str, Any]

BURST_REPLICAS = 500
"""``BurstReplicas``: at most this many Pods created or deleted per sync ("a realistic value ... based off
performance requirements for kubernetes 1.0")."""

STATUS_UPDATE_RETRIES = 1
"""``statusUpdateRetries``: a failed status write is retried once, after a fresh GET."""

CONTROLLER_UID_INDEX = "controllerUID"
"""``controllerUIDIndex``: the ReplicaSet informer's index by the UID of each ReplicaSet's controller."""

POD_OWNER_INDEX = "k8smodel.io/replicaset-claim"
"""The model's Pod index (see "What the model leaves out"): a controlled Pod under its controller's UID, an orphan
under ``orphan/<namespace>``."""

REPLICA_FAILURE = "ReplicaFailure"
"""``apps.ReplicaSetReplicaFailure``: the condition set when creating or deleting Pods failed."""

REPLICASET_CONTROLLER_USER = controller_user("replicaset-controller")
"""``system:serviceaccount:kube-system:replicaset-controller`` (in ``system:masters``: the model has no
``system:controller:replicaset-controller`` ClusterRole)."""

CONTROLLER_KIND = ("apps/v1", "ReplicaSet")
_EMPTY: Mapping[str, Any] = {}


# --------------------------------------------------------------------------------------------------------------
# Indices


def _rs_controller_uid(obj: Any) -> list[str]:
    """``controllerUIDIndex``'s function: the UID of the ReplicaSet's controller, if any."""
    ref = get_controller_of(obj)
    return [ref["uid"]] if ref is not None and ref.get("uid") else []


def _pod_owner(obj: Any) -> list[str]:
    ref = get_controller_of(obj)
    if ref is not None:
        return [ref.get("uid") or ""]
    return ["orphan/" + (obj["metadata"].get("namespace") or "")]


def _ensure_index(informer: Informer, name: str, fn: Any) -> None:
    """Add an index to a (possibly shared) informer unless it already has one of that name."""
    if name not in informer.indexer.get_indexers():
        informer.indexer.add_indexers({name: fn})


# --------------------------------------------------------------------------------------------------------------
# Choosing Pods to delete (replica_set.go)


def get_pods_ranked_by_related_pods_on_same_node(pods_to_rank: Sequence[Any], related_pods: Sequence[Any]) -> list[int]:
    """``getPodsRankedByRelatedPodsOnSameNode``: each Pod's rank is the number of active related Pods on its node
    (unassigned Pods share the node ``""``)."""
    on_node: dict[str, int] = {}
    for pod in related_pods:
        if is_pod_active(pod):
            node = (pod.get("spec") or {}).get("nodeName") or ""
            on_node[node] = on_node.get(node, 0) + 1
    return [on_node.get((pod.get("spec") or {}).get("nodeName") or "", 0) for pod in pods_to_rank]


def get_pods_to_delete(
    filtered_pods: Sequence[Any],
    related_pods: Sequence[Any],
    diff: int,
    now: float | None = None,
    *,
    facts_of: Callable[[Any], Any] | None = None,
    ranks: Sequence[int] | None = None,
) -> list[Any]:
    """``getPodsToDelete``: the ``diff`` Pods to delete first. All of them, unsorted, if ``diff`` covers every Pod;
    otherwise sorted by ``ActivePodsWithRanks`` with ranks from ``related_pods`` and ``now`` (Unix seconds) for
    the logarithmic time comparison (``facts_of``: a memo of what the ordering reads from each Pod, see
    :func:`~k8smodel.controllers.controller_utils.sort_active_pods_with_ranks`; ``ranks``: the ranks
    :func:`get_pods_ranked_by_related_pods_on_same_node` would give, already computed)."""
    if diff < len(filtered_pods):
        if ranks is None:
            ranks = get_pods_ranked_by_related_pods_on_same_node(filtered_pods, related_pods)
        filtered_pods = sort_active_pods_with_ranks(filtered_pods, ranks, now, facts_of=facts_of)
    return list(filtered_pods[:diff])


def get_pod_keys(pods: Sequence[Any]) -> list[str]:
    """``getPodKeys``: ``"namespace/name"`` of each Pod."""
    return [pod_key(pod) for pod in pods]


def deletion_ranking(
    pods: Sequence[Any], related_pods: Sequence[Any] | None = None, now: float | None = None
) -> list[dict[str, Any]]:
    """The Pods in the order a scale-down would delete them, with what each rule of ``ActivePodsWithRanks``
    compares: one dict per Pod (``name``, ``node``, ``phase``, ``ready``, ``deletion_cost``, ``rank``,
    ``ready_since``, ``restarts``, ``created``). ``related_pods`` defaults to ``pods`` (as for a ReplicaSet owned
    by a Deployment with no other ReplicaSet)."""
    related = pods if related_pods is None else related_pods
    ranks = get_pods_ranked_by_related_pods_on_same_node(pods, related)
    rank_of = {id(pod): rank for pod, rank in zip(pods, ranks, strict=True)}
    rows = []
    for pod in sort_active_pods_with_ranks(pods, ranks, now):
        meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
        ready = is_pod_ready(pod)
        cond = get_pod_ready_condition(pod) if ready else None
        rows.append(
            {
                "name": meta.get("name"),
                "node": spec.get("nodeName") or "",
                "phase": status.get("phase") or "",
                "ready": ready,
                "deletion_cost": get_deletion_cost_from_pod_annotations(meta.get("annotations")),
                "rank": rank_of[id(pod)],
                "ready_since": (cond or {}).get("lastTransitionTime") or "",
                "restarts": max(
                    (int(c.get("restartCount") or 0) for c in status.get("containerStatuses") or ()), default=0
                ),
                "created": meta.get("creationTimestamp") or "",
            }
        )
    return rows


# --------------------------------------------------------------------------------------------------------------
# Status (replica_set_utils.go)


def get_condition(status: Mapping[str, Any], cond_type: str) -> Obj | None:
    """``GetCondition``: the condition of ``cond_type`` in a ReplicaSet status, or ``None``."""
    for cond in status.get("conditions") or ():
        if cond.get("type") == cond_type:
            return cond
    return None


def new_replica_set_condition(cond_type: str, status: str, reason: str, message: str, now: str) -> Obj:
    """``NewReplicaSetCondition`` (``now`` is the RFC 3339 ``lastTransitionTime``)."""
    return {"type": cond_type, "status": status, "lastTransitionTime": now, "reason": reason, "message": message}


def set_condition(status: Obj, condition: Mapping[str, Any]) -> None:
    """``SetCondition``: add or replace, unless one of the same type with the same status and reason is there."""
    current = get_condition(status, condition["type"])
    same = current is not None and current.get("status") == condition.get("status")
    if same and current.get("reason") == condition.get("reason"):  # type: ignore[union-attr]
        return
    kept = [c for c in status.get("conditions") or () if c.get("type") != condition["type"]]
    status["conditions"] = [*kept, dict(condition)]


def remove_condition(status: Obj, cond_type: str) -> None:
    """``RemoveCondition``."""
    kept = [c for c in status.get("conditions") or () if c.get("type") != cond_type]
    if kept:
        status["conditions"] = kept
    else:
        status.pop("conditions", None)


def _set_count(status: Obj, field: str, value: int) -> None:
    """An ``omitempty`` int32 status field: absent when zero, as the API serializes it."""
    if value:
        status[field] = value
    else:
        status.pop(field, None)


def calculate_status(
    rs: Mapping[str, Any],
    filtered_pods: Sequence[Any],
    manage_replicas_err: Exception | None,
    now: float,
    stamp: str,
    *,
    counts: tuple[int, int, int] | None = None,
) -> Obj:
    """``calculateStatus``: the new ``status`` from the claimed active Pods: ``replicas`` (all of them),
    ``fullyLabeledReplicas`` (labels include every template label), ``readyReplicas``, ``availableReplicas``
    (ready for more than ``minReadySeconds`` at ``now``, Unix seconds); the ``ReplicaFailure`` condition set (reason
    ``FailedCreate`` or ``FailedDelete``, message the error, ``lastTransitionTime`` ``stamp``) or removed.
    ``counts`` (fully labeled, ready, available) may be given when already computed."""
    spec = rs.get("spec") or {}
    total = len(filtered_pods)
    status = {**(rs.get("status") or {})}
    template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    template_selector = selector_from_set(template_labels)
    min_ready = int(spec.get("minReadySeconds") or 0)
    fully_labeled = ready = available = 0
    matches = template_selector.matches
    if counts is not None:  # already counted by the controller's pass (the same rules, see _status_counts)
        fully_labeled, ready, available = counts
        filtered_pods = ()
    for pod in filtered_pods:
        if matches(pod["metadata"].get("labels")):
            fully_labeled += 1
        for cond in pod.get("status", _EMPTY).get("conditions") or ():  # podutil.IsPodReady, inline
            if cond.get("type") == "Ready":
                if cond.get("status") == "True":
                    ready += 1
                    if min_ready == 0 or is_pod_available(pod, min_ready, now):
                        available += 1
                break
    failure = get_condition(rs.get("status") or {}, REPLICA_FAILURE)
    if manage_replicas_err is not None and failure is None:
        diff = total - int(spec.get("replicas", 1))
        reason = "FailedCreate" if diff < 0 else "FailedDelete" if diff > 0 else ""
        cond = new_replica_set_condition(REPLICA_FAILURE, "True", reason, str(manage_replicas_err), stamp)
        set_condition(status, cond)
    elif manage_replicas_err is None and failure is not None:
        remove_condition(status, REPLICA_FAILURE)
    out: Obj = {"replicas": total}
    for key, value in status.items():
        if key != "replicas":
            out[key] = value
    _set_count(out, "fullyLabeledReplicas", fully_labeled)
    _set_count(out, "readyReplicas", ready)
    _set_count(out, "availableReplicas", available)
    return _ordered_status(out)


_STATUS_ORDER = (
    "replicas",
    "fullyLabeledReplicas",
    "readyReplicas",
    "availableReplicas",
    "terminatingReplicas",
    "observedGeneration",
    "conditions",
)


def _ordered_status(status: Obj) -> Obj:
    """Fields in ``ReplicaSetStatus``'s JSON order (others after)."""
    out = {k: status[k] for k in _STATUS_ORDER if k in status}
    out.update((k, v) for k, v in status.items() if k not in out)
    return out


def _counts(status: Mapping[str, Any]) -> tuple[int, int, int, int]:
    return (
        int(status.get("replicas") or 0),
        int(status.get("fullyLabeledReplicas") or 0),
        int(status.get("readyReplicas") or 0),
        int(status.get("availableReplicas") or 0),
    )


def update_replica_set_status(api: Any, rs: Mapping[str, Any], new_status: Obj, *, user: Any) -> Mapping[str, Any]:
    """``updateReplicaSetStatus``: write ``new_status`` (with ``observedGeneration`` = ``metadata.generation``)
    unless nothing changed; on failure GET the ReplicaSet and try once more (:data:`STATUS_UPDATE_RETRIES`).
    Returns the ReplicaSet as written (or as it was, if nothing changed); raises the last API error."""
    status = rs.get("status") or {}
    generation = int(rs["metadata"].get("generation") or 0)
    if (
        _counts(status) == _counts(new_status)
        and generation == int(status.get("observedGeneration") or 0)
        and (status.get("conditions") or None) == (new_status.get("conditions") or None)
    ):
        return rs
    new_status = dict(new_status)
    _set_count(new_status, "observedGeneration", generation)
    new_status = _ordered_status(new_status)
    meta = rs["metadata"]
    current: Mapping[str, Any] = rs
    for attempt in range(STATUS_UPDATE_RETRIES + 1):
        try:
            return api.update_status({**current, "status": new_status}, user=user)
        except StatusError:
            if attempt >= STATUS_UPDATE_RETRIES:
                raise
        current = api.get("replicasets", meta["name"], meta.get("namespace"), user=user)
    raise AssertionError("unreachable")  # pragma: no cover


def _pod_facts(pod: Mapping[str, Any], uid: str, selector: Selector, template_selector: Selector) -> tuple[Any, ...]:
    """``(pod, active, ours_and_matching, fully_labeled, ready, ready_since)`` of one Pod for a ReplicaSet with
    ``uid``: what ``FilterActivePods``, ``ClaimObject``'s first case and ``calculateStatus`` look at."""
    meta = pod["metadata"]
    status = pod.get("status", _EMPTY)
    active = not meta.get("deletionTimestamp") and status.get("phase") not in ("Succeeded", "Failed")
    labels = meta.get("labels")
    ref = get_controller_of(pod)
    ours = ref is not None and ref.get("uid") == uid and selector.matches(labels)
    ready = False
    since = None
    for cond in status.get("conditions") or ():
        if cond.get("type") == "Ready":
            ready = cond.get("status") == "True"
            if ready and cond.get("lastTransitionTime"):
                since = parse_time(cond["lastTransitionTime"])
            break
    return (pod, active, ours, template_selector.matches(labels), ready, since)


def _status_counts(facts: Sequence[tuple[Any, ...]], min_ready_seconds: int, now: float) -> tuple[int, int, int]:
    """``calculateStatus``' counts from :func:`_pod_facts` entries: fully labeled, ready, available
    (``IsPodAvailable``: ready for strictly more than ``minReadySeconds``)."""
    fully = ready = available = 0
    for entry in facts:
        if entry[3]:
            fully += 1
        if entry[4]:
            ready += 1
            if min_ready_seconds == 0 or (entry[5] is not None and entry[5] + min_ready_seconds < now):
                available += 1
    return fully, ready, available


def min_ready_of(rs: Mapping[str, Any]) -> int:
    """``rs.Spec.MinReadySeconds``."""
    return int((rs.get("spec") or {}).get("minReadySeconds") or 0)


class _Remembered(ABC):
    """What a controller remembers about the objects under some informer index values (``buckets``: ``(index
    name, value)`` pairs), read from each object's dict: an informer replaces an object's dict on every change (it
    never changes one in place), so what was read stays valid while the key holds the very same dict.

    ``mirrors`` holds, per bucket, its objects by key in the index's order. :meth:`refresh` brings them up to date
    from the indexer's change log (:meth:`~k8smodel.client.Indexer.changes_since`): it replays the joins and leaves
    of the buckets' key sets (so a mirror keeps the index's order: a key that leaves and joins again goes to the
    end) and reads again only the objects stored or removed since the last refresh. When the log no longer reaches
    back (or has more entries than the buckets have objects) it reads the buckets whole and compares the dicts.

    Subclasses say what they read (:meth:`_set`) and how to forget it (:meth:`_forget`)."""

    __slots__ = ("buckets", "indexer", "mirrors", "position")

    def __init__(self) -> None:
        self.indexer: Indexer | None = None
        self.buckets: tuple[tuple[str, str], ...] = ()
        self.mirrors: list[dict[str, Any]] = []
        self.position = -1

    def refresh(self, indexer: Indexer, buckets: tuple[tuple[str, str], ...]) -> None:
        """Bring what is remembered to the objects now under ``buckets`` of ``indexer``."""
        entries = None
        if indexer is self.indexer and buckets == self.buckets:
            entries = indexer.changes_since(self.position)
        if entries is None or len(entries) > 64 + sum(map(len, self.mirrors)):
            self._reread(indexer, buckets)
        elif entries:
            self._replay(indexer, entries)
        self.position = indexer.log_position()

    def _reread(self, indexer: Indexer, buckets: tuple[tuple[str, str], ...]) -> None:
        old: dict[str, Any] = {}
        for mirror in self.mirrors:
            old.update(mirror)
        self.indexer, self.buckets = indexer, buckets
        self.mirrors = [indexer.index_bucket(name, value) for name, value in buckets]
        current: dict[str, Any] = {}
        for mirror in self.mirrors:
            current.update(mirror)
        for key in old:
            if key not in current:
                self._forget(key)
        for key, obj in current.items():
            if old.get(key) is not obj:
                self._set(key, obj)

    def _replay(self, indexer: Indexer, entries: list[Any]) -> None:
        mirrors = self.mirrors
        by_bucket = dict(zip(self.buckets, mirrors, strict=True))
        was_in: dict[str, bool] = {}  # each touched key: in a mirror before the replay?
        for entry in entries:
            if entry.__class__ is str:
                if entry not in was_in:
                    was_in[entry] = any(entry in mirror for mirror in mirrors)
                continue
            name, value, key, joined = entry
            mirror = by_bucket.get((name, value))
            if mirror is None:
                continue
            if key not in was_in:
                was_in[key] = any(key in m for m in mirrors)
            if joined:
                mirror[key] = None  # its object is read below
            else:
                del mirror[key]
        get = indexer.get_by_key
        for key, was in was_in.items():
            obj = None
            for mirror in mirrors:
                if key in mirror:
                    if obj is None:
                        obj = get(key)
                    mirror[key] = obj
            if obj is not None:
                self._set(key, obj)
            elif was:
                self._forget(key)

    @abstractmethod
    def _forget(self, key: str) -> None: ...

    @abstractmethod
    def _set(self, key: str, pod: Any) -> None: ...


class _ClaimState(_Remembered):
    """What :meth:`ReplicaSetController._claim_active_pods` remembers about one ReplicaSet's candidate Pods: the
    :func:`_pod_facts` entry of each by key, and the keys of the active candidates that are ours and matching
    (``ours``; of those, the fully labeled ones and the ready ones with their ready time) or not (``others``)."""

    __slots__ = (
        "entries",
        "fully",
        "others",
        "ours",
        "ready",
        "selector",
        "template_labels",
        "template_selector",
        "uid",
    )

    def __init__(self, uid: str, template_labels: dict[str, Any], selector: Selector, template_selector: Selector):
        super().__init__()
        self.uid = uid
        self.template_labels = template_labels
        self.selector = selector
        self.template_selector = template_selector
        self.entries: dict[str, tuple[Any, ...]] = {}
        self.ours: set[str] = set()
        self.fully: set[str] = set()
        self.ready: dict[str, float | None] = {}
        self.others: set[str] = set()

    def _forget(self, key: str) -> None:
        del self.entries[key]
        self.ours.discard(key)
        self.fully.discard(key)
        self.ready.pop(key, None)
        self.others.discard(key)

    def _set(self, key: str, pod: Any) -> None:
        if key in self.entries:
            self._forget(key)
        entry = _pod_facts(pod, self.uid, self.selector, self.template_selector)
        self.entries[key] = entry
        if not entry[1]:
            return  # not active
        if entry[2]:
            self.ours.add(key)
            if entry[3]:
                self.fully.add(key)
            if entry[4]:
                self.ready[key] = entry[5]
        else:
            self.others.add(key)


class _SelectorState(_Remembered):
    """What :meth:`ReplicaSetController._list_pods` remembers about the Pods of a namespace for one selector: the
    keys of those it matches, and of each of those what ``getPodsRankedByRelatedPodsOnSameNode`` reads (UID, or key
    without one; active; node); and, kept up to date with them, the active matched Pods counted by node
    (``on_node``) and the matched Pods counted by UID (``uids``; ``shared_uids``: how many UIDs more than one
    matched Pod has)."""

    __slots__ = ("matched", "on_node", "selector", "shared_uids", "uids")

    def __init__(self, selector: Selector) -> None:
        super().__init__()
        self.selector = selector
        self.matched: dict[str, tuple[str, bool, str]] = {}
        self.on_node: dict[str, int] = {}
        self.uids: dict[str, int] = {}
        self.shared_uids = 0

    def _forget(self, key: str) -> None:
        entry = self.matched.pop(key, None)
        if entry is None:
            return
        uid, active, node = entry
        count = self.uids[uid] - 1
        if count:
            self.uids[uid] = count
            if count == 1:
                self.shared_uids -= 1
        else:
            del self.uids[uid]
        if active:
            count = self.on_node[node] - 1
            if count:
                self.on_node[node] = count
            else:
                del self.on_node[node]

    def _set(self, key: str, pod: Any) -> None:
        self._forget(key)
        meta = pod["metadata"]
        if self.selector.matches(meta.get("labels")):
            node = (pod.get("spec") or {}).get("nodeName") or ""
            uid = meta.get("uid") or pod_key(pod)
            active = is_pod_active(pod)
            self.matched[key] = (uid, active, node)
            count = self.uids.get(uid, 0) + 1
            self.uids[uid] = count
            if count == 2:
                self.shared_uids += 1
            if active:
                self.on_node[node] = self.on_node.get(node, 0) + 1


# --------------------------------------------------------------------------------------------------------------
# The controller


class ReplicaSetController(Controller):
    """The ReplicaSet controller (``NewReplicaSetController`` + ``Run``); see the module docstring.

    ``rs_informer`` and ``pod_informer`` may be shared informers on ``replicasets`` and ``pods`` (one is built on
    ``api.lister_watcher`` if not given); ``burst_replicas`` is ``BurstReplicas``.
    """

    name = "replicaset-controller"

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        *,
        rs_informer: Informer | None = None,
        pod_informer: Informer | None = None,
        user: UserInfo = REPLICASET_CONTROLLER_USER,
        burst_replicas: int = BURST_REPLICAS,
        workers: int = 1,
    ) -> None:
        super().__init__(sim, api, user=user, queue_name="replicaset", workers=workers)
        if isinstance(burst_replicas, bool) or not isinstance(burst_replicas, int) or burst_replicas < 1:
            raise ValueError(
                f"ReplicaSetController: burst_replicas must be a whole number >= 1, got {burst_replicas!r}"
            )
        self.burst_replicas = burst_replicas
        self.rs_informer = rs_informer or Informer(
            sim, api.lister_watcher("replicasets", user=user), name="replicaset/replicasets"
        )
        self.pod_informer = pod_informer or Informer(sim, api.lister_watcher("pods", user=user), name="replicaset/pods")
        _ensure_index(self.rs_informer, CONTROLLER_UID_INDEX, _rs_controller_uid)
        _ensure_index(self.pod_informer, POD_OWNER_INDEX, _pod_owner)
        self.expectations = UIDTrackingControllerExpectations(sim)
        self.recorder = EventRecorder(sim, api, self.name, user=user)
        self.pod_control = PodControl(api, self.recorder, user=user)
        self._selectors: dict[str, Selector] = {}  # by ReplicaSet uid (apps/v1 selectors are immutable)
        self._facts: dict[str, _ClaimState] = {}  # by ReplicaSet key: see _claim_active_pods
        self._matches: dict[tuple[str, str], _SelectorState] = {}  # by ReplicaSet uid and namespace: _list_pods
        self._sort_facts: dict[str, dict[int, tuple[Obj, Any]]] = {}  # by ReplicaSet key: _deletion_facts
        self.watch(self.rs_informer, self.add_rs, self.update_rs, self.delete_rs)
        self.watch(self.pod_informer, self.add_pod, self.update_pod, self.delete_pod)

    # ---- lookups ---------------------------------------------------------------------------------------------

    def _selector(self, rs: Mapping[str, Any]) -> Selector:
        """``metav1.LabelSelectorAsSelector(rs.Spec.Selector)``, cached per ReplicaSet; raises ``SelectorError``."""
        uid = rs["metadata"].get("uid") or ""
        selector = self._selectors.get(uid)
        if selector is None:
            selector = label_selector_as_selector((rs.get("spec") or {}).get("selector"))
            if uid:
                self._selectors[uid] = selector
        return selector

    def resolve_controller_ref(self, namespace: str, ref: Mapping[str, Any]) -> Obj | None:
        """``resolveControllerRef``: the cached ReplicaSet a controller reference points to (same kind, name and
        UID), or ``None``."""
        if ref.get("kind") != "ReplicaSet":
            return None
        rs = self.rs_informer.get(f"{namespace}/{ref.get('name')}")
        if rs is None or rs["metadata"].get("uid") != ref.get("uid"):
            return None
        return rs

    def get_pod_replica_sets(self, pod: Mapping[str, Any]) -> list[Obj]:
        """``GetPodReplicaSets``: the cached ReplicaSets of the Pod's namespace whose (non-empty) selector matches
        its labels."""
        labels = pod["metadata"].get("labels")
        if not labels:
            return []
        out = []
        for rs in self.rs_informer.list(namespace=pod["metadata"].get("namespace") or ""):
            try:
                selector = self._selector(rs)
            except SelectorError:
                continue
            if selector.empty() or not selector.matches(labels):
                continue
            out.append(rs)
        if len(out) > 1:
            self.sim.log(
                "replicaset.overlap",
                pod=pod_key(pod),
                replicasets=",".join(r["metadata"]["name"] for r in out),
                error=f"user error! more than one ReplicaSet is selecting pods with labels: {labels}",
            )
        return out

    def get_replica_sets_with_same_controller(self, rs: Mapping[str, Any]) -> list[Obj]:
        """``getReplicaSetsWithSameController``: every cached ReplicaSet with the same controller UID (itself
        included); none if it has no controller."""
        ref = get_controller_of(rs)
        if ref is None:
            return []
        return self.rs_informer.indexer.by_index(CONTROLLER_UID_INDEX, ref.get("uid") or "")

    def get_indirectly_related_pods(self, rs: Mapping[str, Any]) -> list[Obj]:
        """``getIndirectlyRelatedPods``: the Pods matched by the selector of any ReplicaSet with the same controller
        (each Pod once)."""
        related: list[Obj] = []
        seen: set[str] = set()
        for other in self.get_replica_sets_with_same_controller(rs):
            try:
                selector = self._selector(other)
            except SelectorError:
                continue
            for pod in self._list_pods(other, selector):
                uid = pod["metadata"].get("uid") or pod_key(pod)
                if uid in seen:
                    continue
                seen.add(uid)
                related.append(pod)
        return related

    def _selector_state(self, rs: Mapping[str, Any], selector: Selector) -> _SelectorState:
        """The namespace's Pods brought up to date in the ReplicaSet's :class:`_SelectorState` (its one mirror holds
        them by key, in the lister's order)."""
        namespace = rs["metadata"].get("namespace") or ""
        cache_key = (rs["metadata"].get("uid") or "", namespace)
        state = self._matches.get(cache_key)
        if state is None or state.selector is not selector:
            state = self._matches[cache_key] = _SelectorState(selector)
        state.refresh(self.pod_informer.indexer, ((NAMESPACE_INDEX, namespace),))
        return state

    def _list_pods(self, rs: Mapping[str, Any], selector: Selector) -> list[Obj]:
        """``podLister.Pods(rs.Namespace).List(selector)``: what ``self.pod_informer.list(selector, namespace)``
        returns, in the same order, remembering per Pod (:class:`_SelectorState`) whether the selector matches
        it, so a call matches only the Pods that changed since the last call for this ReplicaSet."""
        namespace = rs["metadata"].get("namespace") or ""
        if selector.empty() or not namespace:
            return self.pod_informer.list(selector, namespace=namespace)
        state = self._selector_state(rs, selector)
        (pods,) = state.mirrors
        return list(compress(pods.values(), map(state.matched.__contains__, pods)))

    def related_pods_on_nodes(self, rs: Mapping[str, Any]) -> dict[str, int]:
        """The active Pods of :meth:`get_indirectly_related_pods` counted by node (``""``: not scheduled): what
        ``getPodsRankedByRelatedPodsOnSameNode`` ranks with. When every related ReplicaSet has a
        :class:`_SelectorState` and no UID is matched twice (by one selector or by two), the sum of their counts by
        node; otherwise counted Pod by Pod, each UID once."""
        related: list[tuple[Mapping[str, Any], Selector]] = []
        for other in self.get_replica_sets_with_same_controller(rs):
            try:
                related.append((other, self._selector(other)))
            except SelectorError:
                continue
        if all(not selector.empty() and other["metadata"].get("namespace") for other, selector in related):
            states = [self._selector_state(other, selector) for other, selector in related]
            seen: set[str] = set()
            for state in states:
                if state.shared_uids or not seen.isdisjoint(state.uids):
                    break  # a UID matched twice: count Pod by Pod
                if len(states) > 1:
                    seen.update(state.uids)
            else:
                on_node: dict[str, int] = {}
                for state in states:
                    for node, count in state.on_node.items():
                        on_node[node] = on_node.get(node, 0) + count
                return on_node
        on_node = {}
        seen = set()
        for other, selector in related:
            for pod in self._list_pods(other, selector):
                uid = pod["metadata"].get("uid") or pod_key(pod)
                if uid in seen:
                    continue
                seen.add(uid)
                if is_pod_active(pod):
                    node = (pod.get("spec") or {}).get("nodeName") or ""
                    on_node[node] = on_node.get(node, 0) + 1
        return on_node

    # ---- event handlers --------------------------------------------------------------------------------------

    def add_rs(self, rs: Obj) -> None:
        """``addRS``."""
        self.enqueue(rs)

    def update_rs(self, old: Obj, cur: Obj) -> None:
        """``updateRS``: a recreated ReplicaSet (new UID) is first handled as a delete of the old one."""
        if old["metadata"].get("uid") != cur["metadata"].get("uid"):
            self.delete_rs(DeletedFinalStateUnknown(self._key(old), old))
        self.enqueue(cur)

    def delete_rs(self, obj: Any) -> None:
        """``deleteRS``: forget its expectations, so a new one of the same name starts clean."""
        rs = object_of(obj)
        key = self._key(rs)
        self.expectations.delete_expectations(key)
        self._selectors.pop(rs["metadata"].get("uid") or "", None)
        self._facts.pop(key, None)
        self._sort_facts.pop(key, None)
        self._matches.pop((rs["metadata"].get("uid") or "", rs["metadata"].get("namespace") or ""), None)
        self.queue.add(key)

    def add_pod(self, pod: Obj) -> None:
        """``addPod``: an observed creation for its controller, or a wake-up for ReplicaSets that may adopt it."""
        if pod["metadata"].get("deletionTimestamp"):
            # a Pod already being deleted (seen on a restart): a deletion, not a creation
            self.delete_pod(pod)
            return
        ref = get_controller_of(pod)
        if ref is not None:
            rs = self.resolve_controller_ref(pod["metadata"].get("namespace") or "", ref)
            if rs is None:
                return
            key = self._key(rs)
            self.expectations.creation_observed(key)
            self.queue.add(key)
            return
        for rs in self.get_pod_replica_sets(pod):  # an orphan: do not count it as a creation
            self.enqueue(rs)

    def update_pod(self, old: Obj, cur: Obj) -> None:
        """``updatePod``: wake the old and new controller (and matching ReplicaSets for an orphan); a new
        ``deletionTimestamp`` counts as the deletion; a Pod turning ready re-wakes its ReplicaSet after
        ``minReadySeconds + 1``."""
        if cur["metadata"].get("resourceVersion") == old["metadata"].get("resourceVersion"):
            return  # a resync: two versions of a Pod always differ in resourceVersion
        label_changed = (cur["metadata"].get("labels") or {}) != (old["metadata"].get("labels") or {})
        if cur["metadata"].get("deletionTimestamp"):
            self.delete_pod(cur)
            if label_changed:
                self.delete_pod(old)
            return
        cur_ref, old_ref = get_controller_of(cur), get_controller_of(old)
        ref_changed = cur_ref != old_ref
        namespace = cur["metadata"].get("namespace") or ""
        if ref_changed and old_ref is not None:
            rs = self.resolve_controller_ref(namespace, old_ref)
            if rs is not None:
                self.enqueue(rs)
        if cur_ref is not None:
            rs = self.resolve_controller_ref(namespace, cur_ref)
            if rs is None:
                return
            self.enqueue(rs)
            min_ready = int((rs.get("spec") or {}).get("minReadySeconds") or 0)
            if min_ready > 0 and not is_pod_ready(old) and is_pod_ready(cur):
                # "Add a second to avoid milliseconds skew in AddAfter."
                self.enqueue_after(rs, min_ready + 1.0)
            return
        if label_changed or ref_changed:
            for rs in self.get_pod_replica_sets(cur):
                self.enqueue(rs)

    def delete_pod(self, obj: Any) -> None:
        """``deletePod``: an observed deletion for its controller (each expected Pod counted once)."""
        pod = object_of(obj)
        ref = get_controller_of(pod)
        if ref is None:
            return  # no controller cares about an orphan's deletion
        rs = self.resolve_controller_ref(pod["metadata"].get("namespace") or "", ref)
        if rs is None:
            return
        key = self._key(rs)
        self.expectations.deletion_observed(key, pod_key(pod))
        self.queue.add(key)

    @staticmethod
    def _key(rs: Mapping[str, Any]) -> str:
        meta = rs["metadata"]
        return f"{meta.get('namespace') or ''}/{meta['name']}"

    # ---- the reconcile ---------------------------------------------------------------------------------------

    def reconcile(self, key: str) -> None:
        """``syncReplicaSet``."""
        self.sync_replica_set(key)

    def sync_replica_set(self, key: str) -> None:
        """``syncReplicaSet``: claim, manage replicas (if the expectations allow), write status; raises on an error
        so the key is retried with back-off."""
        rs = self.rs_informer.get(key)
        if rs is None:
            self.expectations.delete_expectations(key)
            return
        rs_needs_sync = self.expectations.satisfied_expectations(key)
        try:
            selector = self._selector(rs)
        except SelectorError as err:
            self.sim.log("replicaset.invalid_selector", rs=key, error=str(err))
            return  # upstream: HandleError and give up (no requeue)
        filtered, status_counts, claim_err = self._claim_active_pods(rs, key, selector)
        if claim_err is not None:
            raise claim_err
        spec = rs.get("spec") or {}
        desired = int(spec.get("replicas", 1))
        manage_err: Exception | None = None
        if rs_needs_sync and not rs["metadata"].get("deletionTimestamp"):
            diff = len(filtered) - desired
            action = "create" if diff < 0 else "delete" if diff > 0 else "none"
            self.sim.log("replicaset.sync", rs=key, desired=desired, current=len(filtered), diff=-diff, action=action)
            manage_err = self.manage_replicas(filtered, rs)
        else:
            self.sim.log(
                "replicaset.sync",
                rs=key,
                desired=desired,
                current=len(filtered),
                diff=desired - len(filtered),
                action="wait" if not rs["metadata"].get("deletionTimestamp") else "deleting",
            )
        now = unix_now(self.sim)
        counts = status_counts(min_ready_of(rs), now)
        new_status = calculate_status(rs, filtered, manage_err, now, self.sim.rfc3339(), counts=counts)
        updated = update_replica_set_status(self.api, rs, new_status, user=self.user)
        if updated is not rs:
            status = updated.get("status") or {}
            self.sim.log(
                "replicaset.status",
                rs=key,
                replicas=int(status.get("replicas") or 0),
                ready=int(status.get("readyReplicas") or 0),
                available=int(status.get("availableReplicas") or 0),
                observedGeneration=int(status.get("observedGeneration") or 0),
            )
        # "Resync the ReplicaSet after MinReadySeconds as a last line of defense to guard against clock-skew."
        ustatus, uspec = updated.get("status") or {}, updated.get("spec") or {}
        min_ready = int(uspec.get("minReadySeconds") or 0)
        replicas = int(uspec.get("replicas", 1))
        if (
            manage_err is None
            and min_ready > 0
            and int(ustatus.get("readyReplicas") or 0) == replicas
            and int(ustatus.get("availableReplicas") or 0) != replicas
        ):
            self.queue.add_after(key, float(min_ready))
        if manage_err is not None:
            raise manage_err

    def _candidate_pods(self, rs: Mapping[str, Any]) -> list[Obj]:
        """The Pods ``claimPods`` can claim or release: those the ReplicaSet controls, and the namespace's
        orphans (the rest of the namespace's Pods belong to other controllers and would be skipped)."""
        meta = rs["metadata"]
        index = self.pod_informer.indexer
        owned = index.by_index(POD_OWNER_INDEX, meta.get("uid") or "")
        orphans = index.by_index(POD_OWNER_INDEX, "orphan/" + (meta.get("namespace") or ""))
        return owned + orphans if orphans else owned

    @staticmethod
    def _candidate_buckets(rs: Mapping[str, Any]) -> tuple[tuple[str, str], tuple[str, str]]:
        """The two index values of :meth:`_candidate_pods`: the Pods the ReplicaSet controls, the orphans."""
        meta = rs["metadata"]
        return (POD_OWNER_INDEX, meta.get("uid") or ""), (POD_OWNER_INDEX, "orphan/" + (meta.get("namespace") or ""))

    def _ref_manager(self, rs: Obj, selector: Selector) -> PodControllerRefManager:
        """``claimPods``' ref manager: adoptions first re-read the ReplicaSet uncached (``RecheckDeletionTimestamp``,
        "see #42639")."""
        fresh = fresh_owner_getter(self.api, "replicasets", "ReplicaSet", rs, self.user)
        can_adopt = recheck_deletion_timestamp(fresh)
        return PodControllerRefManager(
            self.api, rs, selector, CONTROLLER_KIND, can_adopt, user=self.user, pod_control=self.pod_control
        )

    def claim_pods(self, rs: Obj, selector: Selector, pods: list[Obj]) -> tuple[list[Obj], Exception | None]:
        """``claimPods``: ``ClaimPods`` over ``pods`` (adopt matching orphans, release non-matching Pods it owns)."""
        return self._ref_manager(rs, selector).claim_pods(pods)

    def _claim_active_pods(
        self, rs: Obj, key: str, selector: Selector
    ) -> tuple[list[Obj], Callable[[int, float], tuple[int, int, int]], Exception | None]:
        """``FilterActivePods`` then ``claimPods`` over the candidates, remembering per Pod object what the pass
        and ``calculateStatus`` need (active? ours and matching? fully labeled? ready, since when?).

        An informer replaces a Pod's dict on every change (it never changes one in place), so a remembered entry
        is valid while the candidate under its key is the very same dict, for the same ReplicaSet UID, selector and
        template labels. A sync finds the Pods that changed since the last one (:meth:`_ClaimState.refresh`),
        computes entries for those alone, and keeps the sets of claimed, fully labeled and ready Pods up to date, so
        a sync of a 1,000-Pod ReplicaSet that a few Pod changes woke does not re-read 1,000 Pods.

        A Pod that is active and not ours-and-matching goes through ``ClaimObject`` (adopt or release) as upstream,
        in the candidates' order; while there is one, the claimed list is built by that ordered pass. Otherwise the
        claimed Pods are the ours-and-matching active ones, in the candidates' order, as ``ClaimObject`` would
        claim them. Returns ``(claimed Pods, counts, error)``: ``counts(min_ready_seconds, now)`` gives
        ``calculateStatus``' fully labeled, ready and available counts of the claimed Pods.
        tests/test_speed_controllers.py checks all three against ``FilterActivePods``, ``ClaimPods`` and
        ``calculateStatus`` after random Pod changes.
        """
        meta = rs["metadata"]
        uid = meta.get("uid") or ""
        template_labels = ((rs.get("spec") or {}).get("template") or {}).get("metadata", _EMPTY).get("labels") or {}
        state = self._facts.get(key)
        if not (
            state is not None
            and state.uid == uid
            and state.template_labels == template_labels
            and state.selector is selector
        ):
            state = _ClaimState(uid, dict(template_labels), selector, selector_from_set(template_labels))
            self._facts[key] = state
        state.refresh(self.pod_informer.indexer, self._candidate_buckets(rs))
        owned, orphans = state.mirrors
        if not state.others:  # every active candidate is ours and matching, or not active: no ClaimObject call
            ours = state.ours
            if len(ours) == len(owned) + len(orphans):
                claimed = list(owned.values())
                if orphans:
                    claimed += orphans.values()
            else:
                claimed = list(compress(owned.values(), map(ours.__contains__, owned)))
                if orphans:
                    claimed += compress(orphans.values(), map(ours.__contains__, orphans))
            fully = len(state.fully)
            ready_since = state.ready

            def counts(min_ready_seconds: int, now: float) -> tuple[int, int, int]:
                ready = len(ready_since)
                if min_ready_seconds == 0:
                    return fully, ready, ready
                available = sum(1 for t in ready_since.values() if t is not None and t + min_ready_seconds < now)
                return fully, ready, available

            if min_ready_of(rs):  # the counts need the ready times as they are now
                ready_since = dict(ready_since)
            return claimed, counts, None

        claimed = []
        facts: list[tuple[Any, ...]] = []
        manager: PodControllerRefManager | None = None
        errs: list[Exception] = []

        def match(obj: Mapping[str, Any]) -> bool:
            return selector.matches(obj["metadata"].get("labels"))

        entries = state.entries
        for pod_key_, pod in chain(owned.items(), orphans.items()):
            entry = entries[pod_key_]
            if not entry[1]:
                continue  # not active
            if entry[2]:  # controlled by this ReplicaSet and matched by its selector: claimed
                claimed.append(pod)
                facts.append(entry)
                continue
            if manager is None:
                manager = self._ref_manager(rs, selector)
            try:
                if manager.claim_object(pod, match, manager.adopt, manager.release):
                    claimed.append(pod)
                    facts.append(entry)
            except (StatusError, ReconcileError) as err:
                errs.append(err)

        def slow_counts(min_ready_seconds: int, now: float) -> tuple[int, int, int]:
            return _status_counts(facts, min_ready_seconds, now)

        return claimed, slow_counts, (AggregateError(errs) if errs else None)

    def manage_replicas(self, filtered_pods: list[Obj], rs: Obj) -> Exception | None:
        """``manageReplicas``: create or delete Pods to close the gap (at most ``burst_replicas``); returns the
        first error (the sync then reports it and is retried)."""
        spec = rs.get("spec") or {}
        diff = len(filtered_pods) - int(spec.get("replicas", 1))
        key = self._key(rs)
        namespace = rs["metadata"].get("namespace") or ""
        if diff < 0:
            diff = min(-diff, self.burst_replicas)
            # creations are counted, not tracked by UID as deletions are (upstream notes the same gap)
            self.expectations.expect_creations(key, diff)
            successes, err = self._slow_start_create(rs, key, namespace, diff)
            skipped = diff - successes
            for _ in range(skipped):  # the informer will not observe Pods never created
                self.expectations.creation_observed(key)
            return err
        if diff > 0:
            diff = min(diff, self.burst_replicas)
            # getIndirectlyRelatedPods, then getPodsToDelete: ranks from the related Pods counted by node
            ranks = None
            if diff < len(filtered_pods):
                on_node = self.related_pods_on_nodes(rs)
                ranks = [on_node.get((p.get("spec") or {}).get("nodeName") or "", 0) for p in filtered_pods]
            facts = self._deletion_facts(key, filtered_pods)
            to_delete = get_pods_to_delete(filtered_pods, (), diff, unix_now(self.sim), facts_of=facts, ranks=ranks)
            self.sim.log("replicaset.delete", rs=key, pods=",".join(p["metadata"]["name"] for p in to_delete))
            self.expectations.expect_deletions(key, get_pod_keys(to_delete))
            first: Exception | None = None
            for pod in to_delete:
                try:
                    self.pod_control.delete_pod(namespace, pod["metadata"]["name"], rs)
                except StatusError as err:
                    # the informer will not observe this deletion
                    self.expectations.deletion_observed(key, pod_key(pod))
                    if not errors.is_not_found(err) and first is None:
                        first = err
            return first
        return None

    def _deletion_facts(self, key: str, pods: Sequence[Obj]) -> Callable[[Any], Any]:
        """A memo of :func:`~k8smodel.controllers.controller_utils.pod_sort_facts` for the ReplicaSet's Pods, by
        ``id()`` of each dict (kept, so the id stays its own; an informer replaces a changed Pod's dict): a
        scale-down in steps re-reads only the Pods that changed since the last one."""
        last = self._sort_facts.get(key) or {}
        memo: dict[int, tuple[Obj, Any]] = {}
        for pod in pods:
            entry = last.get(id(pod))
            if entry is None or entry[0] is not pod:
                entry = (pod, pod_sort_facts(pod))
            memo[id(pod)] = entry
        self._sort_facts[key] = memo
        return lambda pod: memo[id(pod)][1]

    def _slow_start_create(self, rs: Obj, key: str, namespace: str, count: int) -> tuple[int, Exception | None]:
        """``slowStartBatch(diff, SlowStartInitialBatchSize, createPod)``, logging each batch."""
        template = (rs.get("spec") or {}).get("template") or {}
        ref = new_controller_ref(rs, *CONTROLLER_KIND)

        def create_pod() -> None:
            try:
                self.pod_control.create_pods(namespace, template, rs, ref)
            except StatusError as err:
                if not has_status_cause(err, NAMESPACE_TERMINATING_CAUSE):
                    raise
                # the namespace is being terminated: every creation would fail, nothing to do

        def on_batch(number: int, size: int, created: int) -> None:
            self.sim.log("replicaset.slow_start_batch", rs=key, batch=number, size=size, created=created)

        return slow_start_batch(count, SLOW_START_INITIAL_BATCH_SIZE, create_pod, on_batch)

    def __repr__(self) -> str:
        return f"ReplicaSetController(running={self.running}, queue={self.queue!r})"


__all__ = [
    "BURST_REPLICAS",
    "CONTROLLER_UID_INDEX",
    "REPLICASET_CONTROLLER_USER",
    "REPLICA_FAILURE",
    "STATUS_UPDATE_RETRIES",
    "ReplicaSetController",
    "calculate_status",
    "deletion_ranking",
    "get_condition",
    "get_pod_keys",
    "get_pods_ranked_by_related_pods_on_same_node",
    "get_pods_to_delete",
    "new_replica_set_condition",
    "remove_condition",
    "set_condition",
    "update_replica_set_status",
]
