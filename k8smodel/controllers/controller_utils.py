"""controller_utils: what every controller that owns Pods (or ReplicaSets) shares.

Upstream: ``pkg/controller/controller_utils.go`` (expectations, ``RealPodControl``, ``FilterActivePods``,
``ActivePods``, ``ActivePodsWithRanks``, ``ComputeHash``, ``SlowStartInitialBatchSize``) and
``pkg/controller/controller_ref_manager.go`` (``BaseControllerRefManager.ClaimObject``, ``PodControllerRefManager``,
``ReplicaSetControllerRefManager``, ``RecheckDeletionTimestamp``), plus ``metav1.GetControllerOf`` and
``metav1.NewControllerRef`` (``staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/controller_ref.go``),
``podutil.IsPodReady``/``IsPodAvailable`` (``pkg/api/v1/pod/util.go``), ``GetDeletionCostFromPodAnnotations``
(``pkg/apis/core/helper/helpers.go``) and ``rand.SafeEncodeString``
(``staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go``).

Expectations
    A controller that creates 500 Pods gets 500 watch events back, one at a time, some time later. If it
    reconciled again before they all arrived, it would count too few Pods and create more: *double creation*.
    So before acting it writes down what it expects — :meth:`ControllerExpectations.expect_creations` (key, 500)
    — and each creation the informer reports lowers the count (:meth:`~ControllerExpectations.creation_observed`).
    :meth:`~ControllerExpectations.satisfied_expectations` is False until the count reaches zero, and a reconcile
    does not create or delete anything while it is False (it still updates status). If events are lost, the
    expectations expire after :data:`EXPECTATIONS_TIMEOUT` (5 minutes) and the controller acts again.
    :class:`UIDTrackingControllerExpectations` also remembers *which* Pods it deleted, because a graceful delete
    is seen twice (the update that sets ``deletionTimestamp``, then the delete itself) and must count once.

Ownership (``controller_ref_manager.go``)
    A controller owns the Pods whose ``ownerReferences`` hold an entry for it with ``controller: true``
    (:func:`get_controller_of`). On each sync it *claims* Pods: a Pod it owns that its selector no longer matches
    is *released* (its owner reference removed: orphaned); an orphan Pod that the selector matches is *adopted*
    (an owner reference added), but only after re-reading the owner from the API server, uncached, to be sure it
    is not being deleted and is still the same object (``RecheckDeletionTimestamp``). A Pod owned by someone else
    is never touched.

Deletion ranking (``ActivePodsWithRanks``)
    When a ReplicaSet has too many Pods, it deletes the ones that cost least to lose, ordered by
    :func:`active_pods_with_ranks_less`: unassigned before assigned; Pending before Unknown before Running; not
    ready before ready; lower ``controller.kubernetes.io/pod-deletion-cost`` first; more Pods of the same owner on
    the Pod's node first (the *rank*); ready for less time first; more container restarts first; newer first.
    Times are compared on a logarithmic scale (``LogarithmicScaleDown``, on by default since 1.22): two Pods
    whose ages fall in the same power-of-two bucket of nanoseconds count as equally old and are ordered by UID.

What the model leaves out
    * Go's ``sort.Sort`` is not stable; :func:`sort_active_pods_with_ranks` uses Python's stable sort, so Pods the
      ordering cannot tell apart keep their input order (the informer's), where upstream's order is arbitrary.
    * Feature gates: ``PodDeletionCost`` and ``LogarithmicScaleDown`` are taken as on (their defaults).
    * :func:`compute_hash` hashes a canonical JSON printing of the template with FNV-32a, where upstream hashes
      the ``%#v`` printing of the Go struct by ``spew`` (``hashutil.DeepHashObject``). The properties are the
      same (one template, one hash; any change, another hash; the collision count mixed in as upstream mixes it;
      ``SafeEncodeString`` on the decimal sum) but the strings differ from a real cluster's.
    * Patches: upstream sends strategic merge patches (``ownerReferences`` merged by ``uid``). The model's API
      server speaks JSON merge patch, which replaces a list whole, so the ref manager reads the object fresh from
      the API server and patches the full list, with the object's ``uid`` in the patch as upstream sends it (a
      recreated object then refuses the patch with ``422``, as upstream's does). In the simulation nothing runs
      between that read and the patch, so no concurrent change is lost.
    * Creation within a slow-start batch is sequential (upstream: one goroutine per Pod); every call of a batch
      is still made even if an earlier one in the batch failed, as upstream waits for the whole batch.
    * ``PodControl`` skips the event for a timed-out create (there are no timeouts in the model).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cmp_to_key, lru_cache
from typing import Any

import orjson

from k8smodel.api import errors
from k8smodel.api.errors import StatusError
from k8smodel.api.labels import Selector
from k8smodel.apiserver.admission import NAMESPACE_TERMINATING_CAUSE
from k8smodel.controllers.base import ReconcileError
from k8smodel.record import NORMAL, WARNING, EventRecorder

Obj = dict[str, Any]

# --------------------------------------------------------------------------------------------------------------
# Constants (controller_utils.go)

EXPECTATIONS_TIMEOUT = 5 * 60.0
"""``ExpectationsTimeout``: expectations not met after 5 minutes are treated as met (a lost watch event must not
put a controller to sleep for ever)."""

SLOW_START_INITIAL_BATCH_SIZE = 1
"""``SlowStartInitialBatchSize``: the first batch of creations has one Pod; each successful batch doubles."""

FAILED_CREATE_POD_REASON = "FailedCreate"
SUCCESSFUL_CREATE_POD_REASON = "SuccessfulCreate"
FAILED_DELETE_POD_REASON = "FailedDelete"
SUCCESSFUL_DELETE_POD_REASON = "SuccessfulDelete"

POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
"""``core.PodDeletionCost``: an int32 annotation; Pods with a lower cost are deleted first on scale-down."""

_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}  # podPhaseToOrdinal; other phases count as 0


def pod_key(pod: Mapping[str, Any]) -> str:
    """``PodKey``: ``"namespace/name"``."""
    meta = pod["metadata"]
    return f"{meta.get('namespace') or ''}/{meta['name']}"


# --------------------------------------------------------------------------------------------------------------
# Expectations


@dataclass
class ControlleeExpectations:
    """``ControlleeExpectations``: how many adds and deletes a controller still waits to observe, since when."""

    add: int
    delete: int
    key: str
    timestamp: float  # simulated seconds when the expectations were set

    def add_counts(self, add: int, delete: int) -> None:
        """``Add``: increment both counters (negative values lower them)."""
        self.add += add
        self.delete += delete

    def fulfilled(self) -> bool:
        """``Fulfilled``: both counters at or below zero."""
        return self.add <= 0 and self.delete <= 0

    def get_expectations(self) -> tuple[int, int]:
        """``GetExpectations``: ``(add, delete)``."""
        return self.add, self.delete

    def is_expired(self, now: float) -> bool:
        """``isExpired``: more than :data:`EXPECTATIONS_TIMEOUT` since they were set."""
        return now - self.timestamp > EXPECTATIONS_TIMEOUT


class ControllerExpectations:
    """``ControllerExpectations``: per controller key, the creations and deletions it waits to observe.

    ``clock`` is the simulation (its ``now`` stamps and expires expectations). Method names are upstream's in
    snake_case: ``expect_creations``, ``expect_deletions``, ``creation_observed``, ``deletion_observed``,
    ``raise_expectations``, ``lower_expectations``, ``satisfied_expectations``, ``delete_expectations``,
    ``set_expectations``, ``get_expectations``.
    """

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self._store: dict[str, ControlleeExpectations] = {}

    def get_expectations(self, controller_key: str) -> ControlleeExpectations | None:
        """``GetExpectations``: the record for ``controller_key``, or ``None``."""
        return self._store.get(controller_key)

    def delete_expectations(self, controller_key: str) -> None:
        """``DeleteExpectations``: forget the record (the controller object was deleted)."""
        self._store.pop(controller_key, None)

    def satisfied_expectations(self, controller_key: str) -> bool:
        """``SatisfiedExpectations``: True if every expected add/delete was observed, if the expectations
        expired, or if there are none (a new controller, or one that never needed to act)."""
        exp = self._store.get(controller_key)
        if exp is None:
            return True
        if exp.fulfilled():
            return True
        return exp.is_expired(self.clock.now)

    def set_expectations(self, controller_key: str, add: int, delete: int) -> None:
        """``SetExpectations``: replace the record with fresh counts, timestamped now."""
        self._store[controller_key] = ControlleeExpectations(add, delete, controller_key, self.clock.now)

    def expect_creations(self, controller_key: str, adds: int) -> None:
        """``ExpectCreations``: expect ``adds`` creations (and no deletions)."""
        self.set_expectations(controller_key, adds, 0)

    def expect_deletions(self, controller_key: str, dels: int) -> None:
        """``ExpectDeletions``: expect ``dels`` deletions (and no creations)."""
        self.set_expectations(controller_key, 0, dels)

    def lower_expectations(self, controller_key: str, add: int, delete: int) -> None:
        """``LowerExpectations``: decrement the counts (nothing if there is no record)."""
        exp = self._store.get(controller_key)
        if exp is not None:
            exp.add_counts(-add, -delete)

    def raise_expectations(self, controller_key: str, add: int, delete: int) -> None:
        """``RaiseExpectations``: increment the counts (nothing if there is no record)."""
        exp = self._store.get(controller_key)
        if exp is not None:
            exp.add_counts(add, delete)

    def creation_observed(self, controller_key: str) -> None:
        """``CreationObserved``: one expected creation was seen."""
        self.lower_expectations(controller_key, 1, 0)

    def deletion_observed(self, controller_key: str) -> None:
        """``DeletionObserved``: one expected deletion was seen."""
        self.lower_expectations(controller_key, 0, 1)

    def __len__(self) -> int:
        return len(self._store)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self._store)} keys)"


class UIDTrackingControllerExpectations(ControllerExpectations):
    """``UIDTrackingControllerExpectations``: deletions are expected by Pod key, so that a graceful deletion (seen
    first as an update that sets ``deletionTimestamp``, then as the delete) is counted exactly once.

    ``expect_deletions(key, pod_keys)`` and ``deletion_observed(key, pod_key)`` take Pod keys (``"ns/name"``).
    """

    def __init__(self, clock: Any) -> None:
        super().__init__(clock)
        self._uids: dict[str, dict[str, None]] = {}  # controller key -> the pod keys still expected, in order

    def get_uids(self, controller_key: str) -> list[str] | None:
        """``GetUIDs``: the Pod keys whose deletion is still awaited, or ``None``."""
        keys = self._uids.get(controller_key)
        return None if keys is None else list(keys)

    def expect_deletions(self, controller_key: str, deleted_keys: Iterable[str]) -> None:  # type: ignore[override]
        """``ExpectDeletions``: expect the deletion of exactly these Pods (replacing any earlier set)."""
        expected = dict.fromkeys(deleted_keys)
        self._uids[controller_key] = expected
        super().expect_deletions(controller_key, len(expected))

    def deletion_observed(self, controller_key: str, delete_key: str) -> None:  # type: ignore[override]
        """``DeletionObserved``: lower the count if ``delete_key`` was expected, and only the first time."""
        keys = self._uids.get(controller_key)
        if keys is not None and delete_key in keys:
            super().deletion_observed(controller_key)
            del keys[delete_key]

    def delete_expectations(self, controller_key: str) -> None:
        """``DeleteExpectations``: forget the counts and the Pod keys."""
        super().delete_expectations(controller_key)
        self._uids.pop(controller_key, None)


# --------------------------------------------------------------------------------------------------------------
# Owner references (apimachinery/pkg/apis/meta/v1/controller_ref.go)


def get_controller_of(obj: Mapping[str, Any]) -> dict[str, Any] | None:
    """``metav1.GetControllerOf``: the owner reference with ``controller: true``, or ``None``. The dict returned
    is the object's own (read-only, as everything from an informer's cache)."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller") is True:
            return ref
    return None


def new_controller_ref(owner: Mapping[str, Any], api_version: str, kind: str) -> dict[str, Any]:
    """``metav1.NewControllerRef``: an owner reference to ``owner`` with ``controller`` and ``blockOwnerDeletion``
    true (fields in ``OwnerReference``'s JSON order)."""
    meta = owner["metadata"]
    return {
        "apiVersion": api_version,
        "kind": kind,
        "name": meta["name"],
        "uid": meta["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


# --------------------------------------------------------------------------------------------------------------
# Pods: active, ready, available (controller_utils.go, pkg/api/v1/pod/util.go)


def is_pod_active(pod: Mapping[str, Any]) -> bool:
    """``IsPodActive``: not Succeeded, not Failed, not being deleted."""
    phase = (pod.get("status") or {}).get("phase")
    return phase != "Succeeded" and phase != "Failed" and not pod["metadata"].get("deletionTimestamp")


def filter_active_pods(pods: Iterable[Mapping[str, Any]]) -> list[Any]:
    """``FilterActivePods``: the Pods that have not terminated and are not being deleted."""
    return [pod for pod in pods if is_pod_active(pod)]


def get_pod_ready_condition(pod: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """``GetPodReadyCondition``: the ``Ready`` condition of the Pod's status, or ``None``."""
    for cond in (pod.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready":
            return cond
    return None


def is_pod_ready(pod: Mapping[str, Any]) -> bool:
    """``podutil.IsPodReady``: the ``Ready`` condition is ``True``."""
    cond = get_pod_ready_condition(pod)
    return cond is not None and cond.get("status") == "True"


@lru_cache(maxsize=4096)
def parse_time(text: str) -> float:
    """An RFC 3339 ``metav1.Time`` (``2026-01-01T00:00:05Z``) as Unix seconds (UTC)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def unix_now(sim: Any) -> float:
    """The simulation's ``now`` as Unix seconds (``metav1.Now()`` on the simulated clock)."""
    return sim.start.timestamp() + sim.now


def is_pod_available(pod: Mapping[str, Any], min_ready_seconds: int, now: float) -> bool:
    """``podutil.IsPodAvailable``: ready, and (``minReadySeconds`` is 0 or) ready since strictly more than
    ``min_ready_seconds`` before ``now`` (Unix seconds)."""
    cond = get_pod_ready_condition(pod)
    if cond is None or cond.get("status") != "True":
        return False
    if min_ready_seconds == 0:
        return True
    since = cond.get("lastTransitionTime")
    return bool(since) and parse_time(since) + min_ready_seconds < now


def get_deletion_cost_from_pod_annotations(annotations: Mapping[str, str] | None) -> int:
    """``GetDeletionCostFromPodAnnotations``: the ``controller.kubernetes.io/pod-deletion-cost`` annotation as an
    int32; 0 if absent or invalid (a leading ``+``, leading zeros, not a number, out of int32 range)."""
    value = (annotations or {}).get(POD_DELETION_COST)
    if value is None:
        return 0
    if not value or not (value[0] == "-" or value == "0" or "1" <= value[0] <= "9"):  # validFirstDigit
        return 0
    digits = value[1:] if value[0] == "-" else value
    if not digits or not digits.isascii() or not digits.isdigit():
        return 0
    number = int(value)
    if not -(2**31) <= number < 2**31:
        return 0
    return number


# --------------------------------------------------------------------------------------------------------------
# Ranking Pods for deletion (controller_utils.go: ActivePods, ActivePodsWithRanks)


@dataclass(frozen=True, slots=True)
class _PodFacts:
    """What the orderings compare, read once per Pod."""

    unassigned: bool
    phase: int
    ready: bool
    ready_time: float | None  # Unix seconds of the Ready condition's lastTransitionTime (None: zero time)
    cost: int
    restarts: tuple[int, int]  # (regular containers, restartable init containers), the max restart count of each
    created: float | None
    uid: str


def _facts(pod: Mapping[str, Any]) -> _PodFacts:
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    meta = pod["metadata"]
    ready = is_pod_ready(pod)
    ready_time = None
    if ready:  # podReadyTime
        cond = get_pod_ready_condition(pod)
        since = cond.get("lastTransitionTime") if cond else None
        ready_time = parse_time(since) if since else None
    regular = max((int(c.get("restartCount") or 0) for c in status.get("containerStatuses") or ()), default=0)
    sidecars = {
        c.get("name") for c in spec.get("initContainers") or () if c.get("restartPolicy") == "Always"
    }  # maxContainerRestarts: restartable init containers count as a second tier
    sidecar = max(
        (
            int(c.get("restartCount") or 0)
            for c in status.get("initContainerStatuses") or ()
            if c.get("name") in sidecars
        ),
        default=0,
    )
    created = meta.get("creationTimestamp")
    return _PodFacts(
        unassigned=not spec.get("nodeName"),
        phase=_PHASE_ORDINAL.get(status.get("phase") or "", 0),
        ready=ready,
        ready_time=ready_time,
        cost=get_deletion_cost_from_pod_annotations(meta.get("annotations")),
        restarts=(regular, sidecar),
        created=parse_time(created) if created else None,
        uid=meta.get("uid") or "",
    )


def _after_or_zero(t1: float | None, t2: float | None) -> bool:
    """``afterOrZero``: t1 after t2; a zero (missing) time counts as after any other."""
    if t1 is None or t2 is None:
        return t1 is None
    return t1 > t2


def logarithmic_rank_diff(t1: float, t2: float, now: float) -> int:
    """``logarithmicRankDiff``: ``floor(log2(age in ns))`` of t1 minus that of t2 (an age <= 0 ranks -1)."""
    d1 = round((now - t1) * 1e9)
    d2 = round((now - t2) * 1e9)
    r1 = int(math.log2(d1)) if d1 > 0 else -1
    r2 = int(math.log2(d2)) if d2 > 0 else -1
    return r1 - r2


def _compare_restarts(a: _PodFacts, b: _PodFacts) -> bool | None:
    """``compareMaxContainerRestarts``: True if a restarted more, False if b did, None if equal."""
    if a.restarts[0] != b.restarts[0]:
        return a.restarts[0] > b.restarts[0]
    if a.restarts[1] != b.restarts[1]:
        return a.restarts[1] > b.restarts[1]
    return None


def _log_time_less(t1: float | None, t2: float | None, a: _PodFacts, b: _PodFacts, now: float | None) -> bool:
    if now is None or t1 is None or t2 is None:
        return _after_or_zero(t1, t2)
    diff = logarithmic_rank_diff(t1, t2, now)
    if diff == 0:
        return a.uid < b.uid
    return diff < 0


def _ranked_less(a: _PodFacts, b: _PodFacts, rank_a: int, rank_b: int, now: float | None) -> bool:
    """``ActivePodsWithRanks.Less`` on precomputed facts."""
    # 1. Unassigned < assigned
    if a.unassigned != b.unassigned:
        return a.unassigned
    # 2. PodPending < PodUnknown < PodRunning
    if a.phase != b.phase:
        return a.phase < b.phase
    # 3. Not ready < ready
    if a.ready != b.ready:
        return not a.ready
    # 4. lower pod-deletion-cost < higher pod-deletion cost
    if a.cost != b.cost:
        return a.cost < b.cost
    # 5. Doubled up < not doubled up
    if rank_a != rank_b:
        return rank_a > rank_b
    # 6. Been ready for empty time < less time < more time
    if a.ready and b.ready and a.ready_time != b.ready_time:
        return _log_time_less(a.ready_time, b.ready_time, a, b, now)
    # 7. Pods with containers with higher restart counts < lower restart counts
    restarts = _compare_restarts(a, b)
    if restarts is not None:
        return restarts
    # 8. Empty creation time pods < newer pods < older pods
    if a.created != b.created:
        return _log_time_less(a.created, b.created, a, b, now)
    return False


def _unranked_less(a: _PodFacts, b: _PodFacts) -> bool:
    """``ActivePods.Less``."""
    if a.unassigned != b.unassigned:
        return a.unassigned
    if a.phase != b.phase:
        return a.phase < b.phase
    if a.ready != b.ready:
        return not a.ready
    if a.ready and b.ready and a.ready_time != b.ready_time:
        return _after_or_zero(a.ready_time, b.ready_time)
    restarts = _compare_restarts(a, b)
    if restarts is not None:
        return restarts
    if a.created != b.created:
        return _after_or_zero(a.created, b.created)
    return False


def active_pods_less(pi: Mapping[str, Any], pj: Mapping[str, Any]) -> bool:
    """``ActivePods.Less``: True if ``pi`` should be deleted before ``pj`` (no ranks, exact times): unassigned <
    assigned; Pending < Unknown < Running; not ready < ready; ready for less time first; more restarts first;
    newer first."""
    return _unranked_less(_facts(pi), _facts(pj))


def active_pods_with_ranks_less(
    pi: Mapping[str, Any], pj: Mapping[str, Any], rank_i: int, rank_j: int, now: float | None = None
) -> bool:
    """``ActivePodsWithRanks.Less``: True if ``pi`` (with ``rank_i``) should be deleted before ``pj``.

    ``now`` (Unix seconds) turns on the logarithmic comparison of ready and creation times (``Now`` in the
    struct; ``None`` is Go's zero time: exact comparison)."""
    return _ranked_less(_facts(pi), _facts(pj), rank_i, rank_j, now)


def _sort(records: list[tuple[_PodFacts, Any, int]], less: Callable[[Any, Any], bool]) -> None:
    def cmp(x: Any, y: Any) -> int:
        if less(x, y):
            return -1
        if less(y, x):
            return 1
        return 0

    records.sort(key=cmp_to_key(cmp))


def sort_active_pods(pods: Sequence[Any]) -> list[Any]:
    """``sort.Sort(controller.ActivePods(pods))`` (stable here): the Pods to delete first come first."""
    records = [(_facts(pod), pod, 0) for pod in pods]
    _sort(records, lambda x, y: _unranked_less(x[0], y[0]))
    return [pod for _, pod, _ in records]


def _log_bucket(t: float, now: float) -> int:
    """One term of ``logarithmicRankDiff``: ``floor(log2(age in ns))`` of ``t`` at ``now`` (an age <= 0: -1)."""
    d = round((now - t) * 1e9)
    return int(math.log2(d)) if d > 0 else -1


def _ranked_cmp(now: float | None) -> Callable[[tuple[Any, ...], tuple[Any, ...]], int]:
    """The three-way comparison ``cmp(x, y)`` = -1 if ``Less(x, y)``, 1 if ``Less(y, x)``, else 0, of
    ``ActivePodsWithRanks`` on the records of :func:`sort_active_pods_with_ranks`: ``(prefix, ready, ready_time,
    ready_bucket, restarts, created, created_bucket, uid, pod)``.

    It takes the same decisions as two calls of :func:`_ranked_less` (each rule decides a pair in both directions
    or in neither, with opposite answers), reading what :func:`_ranked_less` recomputes per call from the record:
    rules 1 to 5 as one tuple ``prefix`` = (assigned, phase ordinal, ready, deletion cost, -rank), the log2 buckets
    of the ready and creation times at ``now`` (``logarithmicRankDiff`` is the difference of the two buckets)."""

    def time_cmp(t1: float | None, t2: float | None, b1: int, b2: int, u1: str, u2: str) -> int:
        # _log_time_less(t1, t2) and _log_time_less(t2, t1), for t1 != t2
        if now is None or t1 is None or t2 is None:  # afterOrZero
            if t1 is None:
                return -1
            if t2 is None:
                return 1
            return -1 if t1 > t2 else 1
        if b1 == b2:
            return -1 if u1 < u2 else 1 if u2 < u1 else 0
        return -1 if b1 < b2 else 1

    def cmp(x: tuple[Any, ...], y: tuple[Any, ...]) -> int:
        px, py = x[0], y[0]
        if px != py:  # 1.-5.: unassigned, phase, not ready, deletion cost, doubled up
            return -1 if px < py else 1
        if x[1] and x[2] != y[2]:  # 6. both ready (equal prefixes), for different times
            return time_cmp(x[2], y[2], x[3], y[3], x[7], y[7])
        rx, ry = x[4], y[4]
        if rx != ry:  # 7. more restarts first
            return -1 if rx > ry else 1
        if x[5] != y[5]:  # 8. newer first
            return time_cmp(x[5], y[5], x[6], y[6], x[7], y[7])
        return 0

    return cmp


def sort_active_pods_with_ranks(
    pods: Sequence[Any],
    ranks: Sequence[int],
    now: float | None = None,
    *,
    facts_of: Callable[[Any], _PodFacts] | None = None,
) -> list[Any]:
    """``sort.Sort(controller.ActivePodsWithRanks{Pods, Rank, Now})`` (stable here): the Pods to delete first
    come first. ``ranks[i]`` belongs to ``pods[i]``; ``now`` as in :func:`active_pods_with_ranks_less`.

    The sort compares with :func:`_ranked_cmp`, the same decisions as :func:`active_pods_with_ranks_less` on
    facts read once per Pod (``facts_of``, default :func:`_facts`: a caller may pass a memo of it) rather than
    per comparison; Python's sort then makes the same comparisons with the same answers, so the order is the
    same (tests/test_speed_controllers.py compares the two)."""
    if len(pods) != len(ranks):
        raise ValueError(f"{len(pods)} pods but {len(ranks)} ranks: the two lists must have equal length")
    facts = facts_of or _facts
    records = []
    # the log2 bucket of each distinct time, once: Pods created or made ready together share their times
    bucket_of: dict[float | None, int] = {None: 0}

    def bucket(t: float | None) -> int:
        b = bucket_of.get(t)
        if b is None:
            b = bucket_of[t] = _log_bucket(t, now)  # type: ignore[arg-type]
        return b

    for pod, rank in zip(pods, ranks, strict=True):
        f = facts(pod)
        if now is None:
            rb = cb = 0
        else:
            rb, cb = bucket(f.ready_time), bucket(f.created)
        prefix = (not f.unassigned, f.phase, f.ready, f.cost, -rank)
        records.append((prefix, f.ready, f.ready_time, rb, f.restarts, f.created, cb, f.uid, pod))
    records.sort(key=cmp_to_key(_ranked_cmp(now)))
    return [record[8] for record in records]


def pod_sort_facts(pod: Mapping[str, Any]) -> _PodFacts:
    """What the deletion orderings compare about one Pod (``_facts``), for a caller's memo (see
    :func:`sort_active_pods_with_ranks`)."""
    return _facts(pod)


# --------------------------------------------------------------------------------------------------------------
# Slow start (replica_set.go slowStartBatch)


def slow_start_batch(
    count: int,
    initial_batch_size: int,
    fn: Callable[[], object],
    on_batch: Callable[[int, int, int], object] | None = None,
) -> tuple[int, Exception | None]:
    """``slowStartBatch``: call ``fn`` ``count`` times in batches of 1, 2, 4, ... (starting at
    ``initial_batch_size``); a batch with a failure (``fn`` raised) ends the run after the whole batch was tried.
    Returns ``(successes, first error or None)``. Only :class:`StatusError` and :class:`ReconcileError` count as
    failures; any other exception propagates. ``on_batch(number, size, successes)`` (the model's) is told about
    each batch once it is done."""
    remaining = count
    successes = 0
    batch = min(remaining, initial_batch_size)
    number = 0
    while batch > 0:
        number += 1
        failures: list[Exception] = []
        for _ in range(batch):
            try:
                fn()
            except (StatusError, ReconcileError) as err:
                failures.append(err)
        successes += batch - len(failures)
        if on_batch is not None:
            on_batch(number, batch, batch - len(failures))
        if failures:
            return successes, failures[0]
        remaining -= batch
        batch = min(2 * batch, remaining)
    return successes, None


# --------------------------------------------------------------------------------------------------------------
# Pod templates and RealPodControl


def get_pods_prefix(controller_name: str) -> str:
    """``getPodsPrefix``: ``"<name>-"`` as ``generateName`` (the name alone if that would be too long for a DNS
    subdomain, 253 characters, once its trailing dash is masked)."""
    prefix = f"{controller_name}-"
    return prefix if len(prefix) <= 253 else controller_name


def _json_copy(value: Any) -> Any:
    """A deep copy of JSON-shaped data through JSON (tuples become lists, as the API would store them): orjson's
    round trip, several times faster than the standard library's; what orjson refuses (integers beyond 64 bits,
    non-string keys) goes through the standard library as before. (The one value both accept but write differently,
    NaN, never reaches here: objects come from JSON, which has no NaN.)"""
    try:
        return orjson.loads(orjson.dumps(value))
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.loads(json.dumps(value))


def pod_from_template(
    template: Mapping[str, Any], owner: Mapping[str, Any], controller_ref: Mapping[str, Any] | None
) -> Obj:
    """``GetPodFromTemplate``: a Pod to create from ``template`` for ``owner``: the template's labels, annotations
    and finalizers, ``generateName`` ``"<owner>-"``, ``controller_ref`` as its only owner reference, and a copy of
    the template's spec."""
    tmeta = template.get("metadata") or {}
    meta: Obj = {}
    if tmeta.get("labels"):
        meta["labels"] = dict(tmeta["labels"])
    if tmeta.get("annotations"):
        meta["annotations"] = dict(tmeta["annotations"])
    meta["generateName"] = get_pods_prefix(owner["metadata"]["name"])
    if tmeta.get("finalizers"):
        meta["finalizers"] = list(tmeta["finalizers"])
    if controller_ref is not None:
        meta["ownerReferences"] = [dict(controller_ref)]
    spec = _json_copy(template.get("spec") or {})  # template.Spec.DeepCopy()
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def has_status_cause(err: Exception, cause: str) -> bool:
    """``apierrors.HasStatusCause``: the error's details list a cause of type ``cause``."""
    if not isinstance(err, StatusError) or not err.details:
        return False
    return any(c.get("type") == cause for c in err.details.get("causes") or ())


class PodControl:
    """``RealPodControl``: create, delete and patch Pods for a controller, recording upstream's Events on the
    controller object (``SuccessfulCreate``: ``Created pod: <name>``; ``FailedCreate``: ``Error creating: <err>``;
    ``SuccessfulDelete``: ``Deleted pod: <name>``; ``FailedDelete``: ``Error deleting: <err>``)."""

    def __init__(self, api: Any, recorder: EventRecorder, *, user: Any) -> None:
        self.api = api
        self.recorder = recorder
        self.user = user

    def create_pods(
        self,
        namespace: str,
        template: Mapping[str, Any],
        owner: Mapping[str, Any],
        controller_ref: Mapping[str, Any] | None,
    ) -> Obj:
        """``CreatePods`` (``CreatePodsWithControllerRef``): create one Pod from ``template``; returns it as stored.
        Raises the API server's :class:`StatusError` (after a ``FailedCreate`` Event, unless the namespace is
        terminating) or :class:`ReconcileError` if the template has no labels."""
        pod = pod_from_template(template, owner, controller_ref)
        if not pod["metadata"].get("labels"):
            raise ReconcileError("unable to create pods, no labels")
        api = self.api
        # The Pod is built here and never touched again: hand it over (APIServer._create_owned: defaulted in place,
        # not copied first), unless the API has no such door or its create was replaced (a test's fault injection).
        create = api.create if "create" in getattr(api, "__dict__", ()) else getattr(api, "_create_owned", api.create)
        try:
            created = create(pod, namespace=namespace, user=self.user)
        except StatusError as err:
            if not has_status_cause(err, NAMESPACE_TERMINATING_CAUSE):
                self.recorder.event(owner, WARNING, FAILED_CREATE_POD_REASON, f"Error creating: {err}")
            raise
        self.recorder.event(owner, NORMAL, SUCCESSFUL_CREATE_POD_REASON, f"Created pod: {created['metadata']['name']}")
        return created

    create_pods_with_controller_ref = create_pods

    def delete_pod(self, namespace: str, name: str, owner: Mapping[str, Any]) -> None:
        """``DeletePod``: delete the Pod (gracefully, with its own grace period). A ``404`` is raised without an
        Event; any other failure raises after a ``FailedDelete`` Event."""
        try:
            self.api.delete("pods", name, namespace, user=self.user)
        except StatusError as err:
            if errors.is_not_found(err):
                raise
            self.recorder.event(owner, WARNING, FAILED_DELETE_POD_REASON, f"Error deleting: {err}")
            raise
        self.recorder.event(owner, NORMAL, SUCCESSFUL_DELETE_POD_REASON, f"Deleted pod: {name}")

    def patch_pod(self, namespace: str, name: str, patch: Mapping[str, Any]) -> Obj:
        """``PatchPod``: a merge patch of the Pod."""
        return self.api.patch("pods", name, namespace, dict(patch), user=self.user)


# --------------------------------------------------------------------------------------------------------------
# The controller ref manager (controller_ref_manager.go)


def recheck_deletion_timestamp(get_object: Callable[[], Mapping[str, Any]]) -> Callable[[], None]:
    """``RecheckDeletionTimestamp``: a ``can_adopt`` function that fetches the owner afresh and refuses adoption
    (raises :class:`ReconcileError`) if it is being deleted or cannot be read."""

    def can_adopt() -> None:
        try:
            obj = get_object()
        except (StatusError, ReconcileError) as err:
            raise ReconcileError(f"can't recheck DeletionTimestamp: {err}") from None
        meta = obj["metadata"]
        if meta.get("deletionTimestamp"):
            raise ReconcileError(
                f"{meta.get('namespace', '')}/{meta['name']} has just been deleted at {meta['deletionTimestamp']}"
            )

    return can_adopt


def fresh_owner_getter(api: Any, resource: str, kind: str, owner: Mapping[str, Any], user: Any) -> Callable[[], Obj]:
    """The ``getObject`` the ReplicaSet and Deployment controllers pass to :func:`recheck_deletion_timestamp`: an
    uncached read of the owner that fails if its UID changed (``original ReplicaSet ns/name is gone: got uid X,
    wanted Y``)."""
    meta = owner["metadata"]

    def get() -> Obj:
        fresh = api.get(resource, meta["name"], meta.get("namespace"), user=user)
        if fresh["metadata"].get("uid") != meta.get("uid"):
            raise ReconcileError(
                f"original {kind} {meta.get('namespace')}/{meta['name']} is gone: got uid "
                f"{fresh['metadata'].get('uid')}, wanted {meta.get('uid')}"
            )
        return fresh

    return get


class AggregateError(ReconcileError):
    """``utilerrors.NewAggregate``: several errors in one; the message lists them as upstream prints them."""

    def __init__(self, errs: Sequence[Exception]) -> None:
        self.errors = list(errs)
        msgs = [str(e) for e in self.errors]
        super().__init__(msgs[0] if len(msgs) == 1 else "[" + ", ".join(msgs) + "]")


@dataclass
class ControllerRefManager:
    """``BaseControllerRefManager``: claims objects for ``controller`` (see the module docstring).

    ``controller_kind`` is ``(apiVersion, kind)`` of the controller (``("apps/v1", "ReplicaSet")``); ``can_adopt``
    is called at most once, before the first adoption (``CanAdopt`` with its ``sync.Once``), and refuses by
    raising. Adoption and release patch the object through ``api`` as ``user`` (or through ``patcher(namespace,
    name, patch)``, upstream's ``podControl.PatchPod``), adding or removing ``finalizers`` with the owner
    reference."""

    api: Any
    controller: Mapping[str, Any]
    selector: Selector
    controller_kind: tuple[str, str]
    can_adopt_func: Callable[[], None] | None = None
    user: Any = None
    finalizers: tuple[str, ...] = ()
    resource: str = ""
    patcher: Callable[[str, str, Mapping[str, Any]], Any] | None = None
    _can_adopt_done: bool = field(default=False, init=False, repr=False)
    _can_adopt_err: Exception | None = field(default=None, init=False, repr=False)

    def can_adopt(self) -> None:
        """``CanAdopt``: run ``can_adopt_func`` once; raise its error (now and on every later call)."""
        if not self._can_adopt_done:
            self._can_adopt_done = True
            if self.can_adopt_func is not None:
                try:
                    self.can_adopt_func()
                except (StatusError, ReconcileError) as err:
                    self._can_adopt_err = err
        if self._can_adopt_err is not None:
            raise self._can_adopt_err

    def claim_object(
        self,
        obj: Mapping[str, Any],
        match: Callable[[Mapping[str, Any]], bool],
        adopt: Callable[[Mapping[str, Any]], None],
        release: Callable[[Mapping[str, Any]], None],
    ) -> bool:
        """``ClaimObject``: True if the controller owns ``obj`` after the call. Releases an owned object the
        selector no longer matches, adopts a matching orphan; raises if an adoption or release failed (other than
        ``404``: the object is gone, which counts as not owned)."""
        cmeta = self.controller["metadata"]
        ref = get_controller_of(obj)
        if ref is not None:
            if ref.get("uid") != cmeta.get("uid"):
                return False  # owned by someone else
            if match(obj):
                return True  # ours, and still matching (allowed even while we are being deleted)
            if cmeta.get("deletionTimestamp"):
                return False
            try:
                release(obj)
            except StatusError as err:
                if errors.is_not_found(err):
                    return False
                raise
            return False
        # an orphan
        if cmeta.get("deletionTimestamp") or not match(obj):
            return False
        if obj["metadata"].get("deletionTimestamp"):
            return False
        if cmeta.get("namespace") and cmeta.get("namespace") != obj["metadata"].get("namespace"):
            return False
        try:
            adopt(obj)
        except StatusError as err:
            if errors.is_not_found(err):
                return False
            raise
        return True

    # ---- adopt and release by patch --------------------------------------------------------------------

    def _owner_ref(self) -> dict[str, Any]:
        api_version, kind = self.controller_kind
        return new_controller_ref(self.controller, api_version, kind)

    def adopt(self, obj: Mapping[str, Any]) -> Obj:
        """``AdoptPod``/``AdoptReplicaSet``: after :meth:`can_adopt`, patch the controller's owner reference in
        (``ownerRefControllerPatch``). The API server refuses it if another controller reference exists."""
        meta = obj["metadata"]
        try:
            self.can_adopt()
        except (StatusError, ReconcileError) as err:
            noun = "Pod" if self.resource == "pods" else "ReplicaSet" if self.resource == "replicasets" else "object"
            raise ReconcileError(
                f"can't adopt {noun} {meta.get('namespace')}/{meta['name']} ({meta.get('uid')}): {err}"
            ) from None
        fresh = self.api.get(self.resource, meta["name"], meta.get("namespace"), user=self.user)
        mine = self._owner_ref()
        refs = [dict(r) for r in (fresh["metadata"].get("ownerReferences") or ())]
        for i, ref in enumerate(refs):  # strategic merge by uid
            if ref.get("uid") == mine["uid"]:
                refs[i] = {**ref, **mine}
                break
        else:
            refs.append(mine)
        patch_meta: Obj = {"ownerReferences": refs, "uid": meta.get("uid")}
        if self.finalizers:
            current = list(fresh["metadata"].get("finalizers") or ())
            patch_meta["finalizers"] = current + [f for f in self.finalizers if f not in current]
        return self._patch(meta, {"metadata": patch_meta})

    def _patch(self, meta: Mapping[str, Any], patch: Obj) -> Any:
        if self.patcher is not None:
            return self.patcher(meta.get("namespace") or "", meta["name"], patch)
        return self.api.patch(self.resource, meta["name"], meta.get("namespace"), patch, user=self.user)

    def release(self, obj: Mapping[str, Any]) -> Obj | None:
        """``ReleasePod``/``ReleaseReplicaSet``: patch the controller's owner reference out
        (``GenerateDeleteOwnerRefStrategicMergeBytes``). ``404`` and ``422`` (no such reference, or the object
        was recreated with another UID) are ignored."""
        meta = obj["metadata"]
        try:
            fresh = self.api.get(self.resource, meta["name"], meta.get("namespace"), user=self.user)
            uid = self.controller["metadata"].get("uid")
            refs = [r for r in (fresh["metadata"].get("ownerReferences") or ()) if r.get("uid") != uid]
            patch_meta: Obj = {"ownerReferences": refs or None, "uid": meta.get("uid")}
            if self.finalizers:
                current = list(fresh["metadata"].get("finalizers") or ())
                patch_meta["finalizers"] = [f for f in current if f not in self.finalizers] or None
            return self._patch(meta, {"metadata": patch_meta})
        except StatusError as err:
            if errors.is_not_found(err) or errors.is_invalid(err):
                return None
            raise

    def claim(
        self, objs: Iterable[Mapping[str, Any]], filters: Sequence[Callable[[Any], bool]] = ()
    ) -> tuple[list[Any], Exception | None]:
        """Claim each object; returns ``(claimed, error)``: the objects now owned, in input order, and an
        :class:`AggregateError` of the failed adoptions/releases (``None`` if none failed)."""
        selector = self.selector

        def match(obj: Mapping[str, Any]) -> bool:
            if not selector.matches(obj["metadata"].get("labels")):
                return False
            return all(f(obj) for f in filters)

        claimed: list[Any] = []
        errs: list[Exception] = []
        uid = self.controller["metadata"].get("uid")
        matches = selector.matches
        for obj in objs:
            meta = obj["metadata"]
            if not filters:  # ClaimObject's first case inline (the common one): ours, and the selector matches
                ref = None
                for r in meta.get("ownerReferences") or ():
                    if r.get("controller") is True:
                        ref = r
                        break
                if ref is not None and ref.get("uid") == uid and matches(meta.get("labels")):
                    claimed.append(obj)
                    continue
            try:
                if self.claim_object(obj, match, self.adopt, self.release):
                    claimed.append(obj)
            except (StatusError, ReconcileError) as err:
                errs.append(err)
        return claimed, (AggregateError(errs) if errs else None)


class PodControllerRefManager(ControllerRefManager):
    """``PodControllerRefManager``: :meth:`claim_pods`; patches go through ``pod_control.patch_pod`` if given."""

    def __init__(
        self,
        api: Any,
        controller: Mapping[str, Any],
        selector: Selector,
        controller_kind: tuple[str, str],
        can_adopt: Callable[[], None] | None = None,
        *,
        user: Any = None,
        finalizers: Sequence[str] = (),
        pod_control: Any = None,
    ) -> None:
        patcher = pod_control.patch_pod if pod_control is not None else None
        super().__init__(
            api, controller, selector, controller_kind, can_adopt, user, tuple(finalizers), "pods", patcher
        )

    def claim_pods(
        self, pods: Iterable[Mapping[str, Any]], filters: Sequence[Callable[[Any], bool]] = ()
    ) -> tuple[list[Any], Exception | None]:
        """``ClaimPods``: ``(claimed Pods, error)``; a Pod is claimed only if the selector and every filter match."""
        return self.claim(pods, filters)


class ReplicaSetControllerRefManager(ControllerRefManager):
    """``ReplicaSetControllerRefManager`` (used by the Deployment controller): :meth:`claim_replica_sets`."""

    def __init__(
        self,
        api: Any,
        controller: Mapping[str, Any],
        selector: Selector,
        controller_kind: tuple[str, str],
        can_adopt: Callable[[], None] | None = None,
        *,
        user: Any = None,
    ) -> None:
        super().__init__(api, controller, selector, controller_kind, can_adopt, user, (), "replicasets")

    def claim_replica_sets(self, sets: Iterable[Mapping[str, Any]]) -> tuple[list[Any], Exception | None]:
        """``ClaimReplicaSets``: ``(claimed ReplicaSets, error)``."""
        return self.claim(sets)


# --------------------------------------------------------------------------------------------------------------
# The pod-template hash (controller_utils.go ComputeHash, util/rand SafeEncodeString)

_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"  # rand.alphanums: no vowels, so no words


def safe_encode_string(text: str) -> str:
    """``rand.SafeEncodeString``: each character mapped into ``bcdfghjklmnpqrstvwxz2456789``."""
    return "".join(_ALPHANUMS[ord(c) % len(_ALPHANUMS)] for c in text)


def fnv32a(data: bytes, h: int = 0x811C9DC5) -> int:
    """FNV-1a, 32 bits (Go's ``hash/fnv.New32a``)."""
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def _without_nulls(value: Any) -> Any:
    """The template as Go's decoder sees it: a field given as ``null`` is the same as a field left out (a nil pointer,
    a zero value), so upstream's hash of the decoded struct cannot tell them apart; here the nulls are dropped."""
    if isinstance(value, Mapping):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def compute_hash(template: Mapping[str, Any], collision_count: int | None = None) -> str:
    """``controller.ComputeHash``: the ``pod-template-hash`` of a Pod template.

    FNV-32a of the template's deep printing (here: canonical JSON, see the module docstring), then, if
    ``collision_count`` is not ``None``, its 8 little-endian bytes (``binary.LittleEndian.PutUint32`` into an
    8-byte slice); the 32-bit sum printed in decimal and passed through :func:`safe_encode_string`."""
    printed = json.dumps(template, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    if b"null" in printed:  # rare: a manifest's `creationTimestamp: null` (what `kubectl create -o yaml` writes)
        printed = json.dumps(_without_nulls(template), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        printed = printed.encode()
    h = fnv32a(printed)
    if collision_count is not None:
        h = fnv32a((collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4), h)
    return safe_encode_string(str(h))


__all__ = [
    "EXPECTATIONS_TIMEOUT",
    "FAILED_CREATE_POD_REASON",
    "FAILED_DELETE_POD_REASON",
    "POD_DELETION_COST",
    "SLOW_START_INITIAL_BATCH_SIZE",
    "SUCCESSFUL_CREATE_POD_REASON",
    "SUCCESSFUL_DELETE_POD_REASON",
    "AggregateError",
    "ControlleeExpectations",
    "ControllerExpectations",
    "ControllerRefManager",
    "PodControl",
    "PodControllerRefManager",
    "ReplicaSetControllerRefManager",
    "UIDTrackingControllerExpectations",
    "active_pods_less",
    "active_pods_with_ranks_less",
    "compute_hash",
    "filter_active_pods",
    "fnv32a",
    "fresh_owner_getter",
    "get_controller_of",
    "get_deletion_cost_from_pod_annotations",
    "get_pod_ready_condition",
    "get_pods_prefix",
    "has_status_cause",
    "is_pod_active",
    "is_pod_available",
    "is_pod_ready",
    "logarithmic_rank_diff",
    "new_controller_ref",
    "parse_time",
    "pod_from_template",
    "pod_key",
    "pod_sort_facts",
    "recheck_deletion_timestamp",
    "safe_encode_string",
    "slow_start_batch",
    "sort_active_pods",
    "sort_active_pods_with_ranks",
    "unix_now",
]
