"""The Deployment controller's helpers: rolling-update arithmetic, revisions, annotations, conditions.

Upstream: ``pkg/controller/deployment/util/deployment_util.go`` (every function here names its Go original), plus
the ReplicaSet sort orders and filters of ``pkg/controller/controller_utils.go`` that only the Deployment controller
uses (``FilterActiveReplicaSets``, ``ReplicaSetsByCreationTimestamp``, ``ReplicaSetsBySizeOlder``/``Newer``) and
``ReplicaSetsByRevision``. Objects are the JSON-shaped dicts the API server returns; functions that "set" something
change the dict they are given, as the Go functions change the struct behind a pointer.

The fenceposts
    A rolling update may run at most ``replicas + maxSurge`` Pods and must keep at least ``replicas -
    maxUnavailable`` of them available. ``maxSurge`` rounds *up* and ``maxUnavailable`` rounds *down*, so a
    percentage never blocks progress on small Deployments and never takes more down than asked; if both resolve to
    zero, ``maxUnavailable`` becomes 1 so the rollout can still move (:func:`resolve_fenceposts`).

Revisions
    Each ReplicaSet of a Deployment carries ``deployment.kubernetes.io/revision``; the new ReplicaSet gets one more
    than the highest old one (:func:`max_revision`), and the Deployment copies its new ReplicaSet's revision. A
    ReplicaSet brought back by a rollback gets a new, higher revision and remembers its old ones in
    ``deployment.kubernetes.io/revision-history`` (:func:`set_new_replica_set_annotations`).

Scaling in proportion
    Every ReplicaSet of a Deployment records the Deployment's size when it was last scaled
    (``deployment.kubernetes.io/desired-replicas``) and ``replicas + maxSurge`` (``.../max-replicas``). When the
    Deployment is resized in the middle of a rollout, each active ReplicaSet gets a share of the change in proportion
    to its size (:func:`get_proportion`), so neither the old nor the new Pods are favoured.

Conditions
    ``Available`` (at least ``replicas - maxUnavailable`` Pods available) and ``Progressing`` (a rollout that made
    progress within ``progressDeadlineSeconds``; ``False`` with reason ``ProgressDeadlineExceeded`` once it has not)
    are set with :func:`set_deployment_condition`, which keeps ``lastTransitionTime`` while the status stays the same.

What the model leaves out
    * Times are the simulated clock's: a condition's ``lastUpdateTime`` is an RFC 3339 string at whole seconds (what
      the API stores; upstream compares with the nanosecond clock of the controller's machine).
    * ``GetAllReplicaSets`` and friends take a list function (the model's clients are plain method calls) rather
      than a typed clientset.
    * The ``DeploymentReplicaSetTerminatingReplicas`` feature (alpha in 1.33: ``status.terminatingReplicas`` and
      ``GetTerminatingReplicaCountForReplicaSets``) is not modelled.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from k8smodel.api.defaults import _deepcopy
from k8smodel.api.intstr import IntOrString, scaled_value_from_int_or_percent
from k8smodel.api.labels import label_selector_as_selector

Obj = dict[str, Any]

ROLLING_UPDATE = "RollingUpdate"
RECREATE = "Recreate"

DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = "pod-template-hash"
"""``apps.DefaultDeploymentUniqueLabelKey``: the label that keeps the Pods of two ReplicaSets of a Deployment apart."""

# Annotations (deployment_util.go)
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"
LAST_APPLIED_CONFIG_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"  # v1.LastAppliedConfigAnnotation
DEPRECATED_ROLLBACK_TO = "deprecated.deployment.rollback.to"  # apps.DeprecatedRollbackTo
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"  # kubectl's polymorphichelpers.ChangeCauseAnnotation

# Condition types (apps/v1 types.go)
DEPLOYMENT_AVAILABLE = "Available"
DEPLOYMENT_PROGRESSING = "Progressing"
DEPLOYMENT_REPLICA_FAILURE = "ReplicaFailure"
REPLICA_SET_REPLICA_FAILURE = "ReplicaFailure"

# Condition reasons (deployment_util.go)
REPLICA_SET_UPDATED_REASON = "ReplicaSetUpdated"
FAILED_RS_CREATE_REASON = "ReplicaSetCreateError"
NEW_REPLICA_SET_REASON = "NewReplicaSetCreated"
FOUND_NEW_RS_REASON = "FoundNewReplicaSet"
NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable"
TIMED_OUT_REASON = "ProgressDeadlineExceeded"
PAUSED_DEPLOY_REASON = "DeploymentPaused"
RESUMED_DEPLOY_REASON = "DeploymentResumed"
MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable"
MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable"

# Rollback event reasons (kept for the chapter; the model's rollback is kubectl's client-side one)
ROLLBACK_REVISION_NOT_FOUND = "DeploymentRollbackRevisionNotFound"
ROLLBACK_TEMPLATE_UNCHANGED = "DeploymentRollbackTemplateUnchanged"
ROLLBACK_DONE = "DeploymentRollback"

MAX_INT32 = 2**31 - 1

ANNOTATIONS_TO_SKIP = frozenset(
    {
        LAST_APPLIED_CONFIG_ANNOTATION,
        REVISION_ANNOTATION,
        REVISION_HISTORY_ANNOTATION,
        DESIRED_REPLICAS_ANNOTATION,
        MAX_REPLICAS_ANNOTATION,
        DEPRECATED_ROLLBACK_TO,
    }
)
"""``annotationsToSkip``: the annotations a Deployment does not copy to its ReplicaSets (nor back on a rollback)."""


# ---------------------------------------------------------------------------------------------------------------
# small accessors


def _spec(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("spec") or {}


def _status(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("status") or {}


def _annotations(obj: Mapping[str, Any]) -> Mapping[str, str]:
    return (obj.get("metadata") or {}).get("annotations") or {}


def spec_replicas(obj: Mapping[str, Any]) -> int:
    """``*(obj.Spec.Replicas)`` (a Deployment or ReplicaSet; the API defaults it to 1, a missing one reads 0 here)."""
    return _spec(obj).get("replicas") or 0


def _uid(obj: Mapping[str, Any] | None) -> str | None:
    return None if obj is None else (obj.get("metadata") or {}).get("uid")


def _round_half_away(x: float) -> int:
    """Go's ``math.Round`` (half away from zero; Python's ``round`` rounds half to even)."""
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


# ---------------------------------------------------------------------------------------------------------------
# the fenceposts (ResolveFenceposts, MaxSurge, MaxUnavailable, MinAvailable)


def resolve_fenceposts(
    max_surge: IntOrString | None, max_unavailable: IntOrString | None, desired: int
) -> tuple[int, int]:
    """Resolve ``maxSurge`` and ``maxUnavailable`` against ``desired`` replicas, in one step (``ResolveFenceposts``).

    ``None`` (an unset field) counts as 0, as upstream's ``intstrutil.ValueOrDefault(..., FromInt32(0))``.

    >>> resolve_fenceposts("25%", "25%", 10)
    (3, 2)
    >>> resolve_fenceposts("0%", "0%", 0)
    (0, 1)
    """
    surge = scaled_value_from_int_or_percent(0 if max_surge is None else max_surge, desired, True)
    unavailable = scaled_value_from_int_or_percent(0 if max_unavailable is None else max_unavailable, desired, False)
    if surge == 0 and unavailable == 0:
        # Validation forbids both being zero explicitly, but rounding down may still give zero: then allow one
        # unavailable Pod "on the theory that surge might not work due to quota" (upstream's comment).
        unavailable = 1
    return surge, unavailable


def max_surge(
    replicas: int, surge: IntOrString | None, unavailable: IntOrString | None, strategy: str = ROLLING_UPDATE
) -> int:
    """Upstream ``MaxSurge``: how many Pods above ``replicas`` a rollout may create (0 for Recreate)."""
    if strategy != ROLLING_UPDATE:
        return 0
    return resolve_fenceposts(surge, unavailable, replicas)[0]


def max_unavailable(
    replicas: int, surge: IntOrString | None, unavailable: IntOrString | None, strategy: str = ROLLING_UPDATE
) -> int:
    """Upstream ``MaxUnavailable``: how many of ``replicas`` may be unavailable, never more than ``replicas``."""
    if strategy != ROLLING_UPDATE or replicas == 0:
        return 0
    return min(resolve_fenceposts(surge, unavailable, replicas)[1], replicas)


def _rolling(deployment: Mapping[str, Any]) -> Mapping[str, Any]:
    return (_spec(deployment).get("strategy") or {}).get("rollingUpdate") or {}


def is_rolling_update(deployment: Mapping[str, Any]) -> bool:
    """``IsRollingUpdate``: the strategy type is ``RollingUpdate``."""
    return (_spec(deployment).get("strategy") or {}).get("type") == ROLLING_UPDATE


def max_surge_of(deployment: Mapping[str, Any]) -> int:
    """``MaxSurge(deployment)``: the Deployment's resolved ``maxSurge`` (0 unless it rolls)."""
    if not is_rolling_update(deployment):
        return 0
    rolling = _rolling(deployment)
    return resolve_fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"), spec_replicas(deployment))[0]


def max_unavailable_of(deployment: Mapping[str, Any]) -> int:
    """``MaxUnavailable(deployment)``: the Deployment's resolved ``maxUnavailable``, at most ``replicas``."""
    replicas = spec_replicas(deployment)
    if not is_rolling_update(deployment) or replicas == 0:
        return 0
    rolling = _rolling(deployment)
    return min(resolve_fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"), replicas)[1], replicas)


def min_available(deployment: Mapping[str, Any]) -> int:
    """``MinAvailable``: ``replicas - maxUnavailable`` for a rolling Deployment, 0 for Recreate."""
    if not is_rolling_update(deployment):
        return 0
    return spec_replicas(deployment) - max_unavailable_of(deployment)


@dataclass(frozen=True)
class RolloutBounds:
    """What a rolling update of ``replicas`` Pods may do at any moment."""

    replicas: int
    max_surge: int
    max_unavailable: int

    @property
    def max_pods(self) -> int:
        """The most Pods (old and new together) that may exist during the rollout."""
        return self.replicas + self.max_surge

    @property
    def min_available(self) -> int:
        """The fewest available Pods the rollout must keep."""
        return self.replicas - self.max_unavailable


def rollout_bounds(replicas: int, surge: IntOrString = "25%", unavailable: IntOrString = "25%") -> RolloutBounds:
    """The bounds of a RollingUpdate with the given settings (defaults: upstream's 25% and 25%)."""
    return RolloutBounds(
        replicas=replicas,
        max_surge=max_surge(replicas, surge, unavailable),
        max_unavailable=max_unavailable(replicas, surge, unavailable),
    )


def has_progress_deadline(deployment: Mapping[str, Any]) -> bool:
    """``HasProgressDeadline``: ``progressDeadlineSeconds`` is set and not ``MaxInt32`` (which means "never")."""
    pds = _spec(deployment).get("progressDeadlineSeconds")
    return pds is not None and pds != MAX_INT32


def has_revision_history_limit(deployment: Mapping[str, Any]) -> bool:
    """``HasRevisionHistoryLimit``: ``revisionHistoryLimit`` is set and not ``MaxInt32`` (keep everything)."""
    limit = _spec(deployment).get("revisionHistoryLimit")
    return limit is not None and limit != MAX_INT32


# ---------------------------------------------------------------------------------------------------------------
# conditions


def new_deployment_condition(cond_type: str, status: str, reason: str, message: str, now: str) -> Obj:
    """``NewDeploymentCondition``: both times ``now`` (an RFC 3339 string, ``sim.rfc3339()``)."""
    return {
        "type": cond_type,
        "status": status,
        "lastUpdateTime": now,
        "lastTransitionTime": now,
        "reason": reason,
        "message": message,
    }


def get_deployment_condition(status: Mapping[str, Any] | None, cond_type: str) -> Obj | None:
    """``GetDeploymentCondition``: the condition of ``cond_type`` in a status, or ``None``."""
    for c in (status or {}).get("conditions") or ():
        if c.get("type") == cond_type:
            return c
    return None


def set_deployment_condition(status: Obj, condition: Obj) -> None:
    """``SetDeploymentCondition``: add or replace the condition of its type (moved to the end of the list).

    Nothing changes if a condition with the same status and reason exists; a condition whose status is unchanged
    keeps its ``lastTransitionTime``.
    """
    current = get_deployment_condition(status, condition["type"])
    if (
        current is not None
        and current.get("status") == condition["status"]
        and current.get("reason") == condition.get("reason")
    ):
        return
    condition = dict(condition)
    if current is not None and current.get("status") == condition["status"]:
        condition["lastTransitionTime"] = current.get("lastTransitionTime")
    status["conditions"] = [*_filter_out_condition(status.get("conditions"), condition["type"]), condition]


def remove_deployment_condition(status: Obj, cond_type: str) -> None:
    """``RemoveDeploymentCondition`` (an empty list is dropped, as Go's ``omitempty`` drops a nil slice)."""
    remaining = _filter_out_condition(status.get("conditions"), cond_type)
    if remaining:
        status["conditions"] = remaining
    else:
        status.pop("conditions", None)


def _filter_out_condition(conditions: Iterable[Obj] | None, cond_type: str) -> list[Obj]:
    return [c for c in conditions or () if c.get("type") != cond_type]


def replica_set_to_deployment_condition(cond: Mapping[str, Any]) -> Obj:
    """``ReplicaSetToDeploymentCondition``: promote a ReplicaSet's ``ReplicaFailure`` to the Deployment."""
    return {
        "type": cond.get("type"),
        "status": cond.get("status"),
        "lastUpdateTime": cond.get("lastTransitionTime"),
        "lastTransitionTime": cond.get("lastTransitionTime"),
        "reason": cond.get("reason", ""),
        "message": cond.get("message", ""),
    }


# ---------------------------------------------------------------------------------------------------------------
# revisions and annotations


class RevisionError(ValueError):
    """A revision annotation that is not an integer (``strconv.ParseInt``'s error)."""


def revision(obj: Mapping[str, Any]) -> int:
    """``Revision``: the ``deployment.kubernetes.io/revision`` annotation as an integer; 0 when absent.

    Raises :class:`RevisionError` (``strconv.ParseInt: parsing "x": invalid syntax``) for a non-integer value.
    """
    value = _annotations(obj).get(REVISION_ANNOTATION)
    if value is None:
        return 0
    return _parse_int64(value)


def _parse_int64(value: str) -> int:
    text = value[1:] if value[:1] in "+-" else value
    if not text.isascii() or not text.isdigit():
        raise RevisionError(f'strconv.ParseInt: parsing "{value}": invalid syntax')
    number = int(value)
    if not -(2**63) <= number < 2**63:
        raise RevisionError(f'strconv.ParseInt: parsing "{value}": value out of range')
    return number


def max_revision(all_rss: Iterable[Mapping[str, Any] | None]) -> int:
    """``MaxRevision``: the highest revision among the ReplicaSets (unparsable ones are skipped)."""
    highest = 0
    for rs in all_rss:
        if rs is None:
            continue
        try:
            v = revision(rs)
        except RevisionError:
            continue
        highest = max(highest, v)
    return highest


def last_revision(all_rss: Iterable[Mapping[str, Any]]) -> int:
    """``LastRevision``: the second highest revision (the one before the current)."""
    first, second = 0, 0
    for rs in all_rss:
        try:
            v = revision(rs)
        except RevisionError:
            continue
        if v >= first:
            second, first = first, v
        elif v > second:
            second = v
    return second


def set_deployment_revision(deployment: Obj, rev: str) -> bool:
    """``SetDeploymentRevision``: write the revision annotation on the Deployment; True if it changed."""
    meta = deployment.setdefault("metadata", {})
    annotations = meta.get("annotations")
    if annotations is None:
        annotations = meta["annotations"] = {}
    if annotations.get(REVISION_ANNOTATION) != rev:
        annotations[REVISION_ANNOTATION] = rev
        return True
    return False


def skip_copy_annotation(key: str) -> bool:
    """``skipCopyAnnotation``: the annotation is one of :data:`ANNOTATIONS_TO_SKIP`."""
    return key in ANNOTATIONS_TO_SKIP


def copy_deployment_annotations_to_replica_set(deployment: Mapping[str, Any], rs: Obj) -> bool:
    """``copyDeploymentAnnotationsToReplicaSet``: every annotation but the skipped ones; True if any changed."""
    annotations = _ensure_annotations(rs)
    changed = False
    for k, v in _annotations(deployment).items():
        if skip_copy_annotation(k) or (k in annotations and annotations[k] == v):
            continue
        annotations[k] = v
        changed = True
    return changed


def _ensure_annotations(obj: Obj) -> dict[str, str]:
    meta = obj.setdefault("metadata", {})
    annotations = meta.get("annotations")
    if annotations is None:
        annotations = meta["annotations"] = {}
    return annotations


def set_deployment_annotations_to(deployment: Obj, rollback_to_rs: Mapping[str, Any]) -> None:
    """``SetDeploymentAnnotationsTo``: on a rollback, the Deployment takes the ReplicaSet's annotations (but keeps
    its own skipped ones)."""
    kept = {k: v for k, v in _annotations(deployment).items() if skip_copy_annotation(k)}
    for k, v in _annotations(rollback_to_rs).items():
        if not skip_copy_annotation(k):
            kept[k] = v
    deployment.setdefault("metadata", {})["annotations"] = kept


def set_new_replica_set_annotations(
    deployment: Mapping[str, Any], new_rs: Obj, new_revision: str, exists: bool, rev_history_limit_in_chars: int
) -> bool:
    """``SetNewReplicaSetAnnotations``: copy the Deployment's annotations, raise the revision to ``new_revision``
    if it is higher (keeping the old one in ``revision-history``, at most ``rev_history_limit_in_chars``), and on a
    ReplicaSet about to be created (``exists`` False) set the desired/max replicas annotations. True if anything
    changed."""
    changed = copy_deployment_annotations_to_replica_set(deployment, new_rs)
    annotations = _ensure_annotations(new_rs)
    old_revision = annotations.get(REVISION_ANNOTATION)
    had = old_revision is not None
    try:
        old_int = _parse_int64(old_revision) if old_revision else 0
    except RevisionError:
        return False  # "Updating replica set revision OldRevision not int"
    try:
        new_int = _parse_int64(new_revision)
    except RevisionError:
        return False
    if old_int < new_int:
        annotations[REVISION_ANNOTATION] = new_revision
        changed = True
    # A ReplicaSet that already had a revision and gets a higher one is being rolled back to: keep its history.
    if had and old_int < new_int:
        assert old_revision is not None
        history = annotations.get(REVISION_HISTORY_ANNOTATION, "")
        old_revisions = history.split(",")
        if len(old_revisions[0]) == 0:
            annotations[REVISION_HISTORY_ANNOTATION] = old_revision
        else:
            total = len(history) + len(old_revision) + 1
            start = 0
            while total > rev_history_limit_in_chars and start < len(old_revisions):
                total -= len(old_revisions[start]) + 1
                start += 1
            if total <= rev_history_limit_in_chars:
                annotations[REVISION_HISTORY_ANNOTATION] = ",".join([*old_revisions[start:], old_revision])
    replicas = spec_replicas(deployment)
    if not exists and set_replicas_annotations(new_rs, replicas, replicas + max_surge_of(deployment)):
        changed = True
    return changed


def _int_annotation(rs: Mapping[str, Any], key: str) -> tuple[int, bool]:
    """``getIntFromAnnotation`` (``strconv.Atoi``; an unparsable value counts as absent)."""
    value = _annotations(rs).get(key)
    if value is None:
        return 0, False
    try:
        return _parse_int64(value), True
    except RevisionError:
        return 0, False


def get_desired_replicas_annotation(rs: Mapping[str, Any]) -> tuple[int, bool]:
    """``GetDesiredReplicasAnnotation``: ``(value, present)``."""
    return _int_annotation(rs, DESIRED_REPLICAS_ANNOTATION)


def get_max_replicas_annotation(rs: Mapping[str, Any]) -> tuple[int, bool]:
    """``getMaxReplicasAnnotation``: ``(value, present)``."""
    return _int_annotation(rs, MAX_REPLICAS_ANNOTATION)


def set_replicas_annotations(rs: Obj, desired_replicas: int, max_replicas: int) -> bool:
    """``SetReplicasAnnotations``: write desired-replicas and max-replicas; True if either changed."""
    annotations = _ensure_annotations(rs)
    changed = False
    for key, value in (
        (DESIRED_REPLICAS_ANNOTATION, str(desired_replicas)),
        (MAX_REPLICAS_ANNOTATION, str(max_replicas)),
    ):
        if annotations.get(key) != value:
            annotations[key] = value
            changed = True
    return changed


def replicas_annotations_need_update(rs: Mapping[str, Any], desired_replicas: int, max_replicas: int) -> bool:
    """``ReplicasAnnotationsNeedUpdate``."""
    annotations = _annotations(rs)
    return annotations.get(DESIRED_REPLICAS_ANNOTATION) != str(desired_replicas) or annotations.get(
        MAX_REPLICAS_ANNOTATION
    ) != str(max_replicas)


# ---------------------------------------------------------------------------------------------------------------
# ReplicaSet filters and orders (controller_utils.go, deployment_util.go)


def _created(rs: Mapping[str, Any]) -> str:
    return (rs.get("metadata") or {}).get("creationTimestamp") or ""


def _name(rs: Mapping[str, Any]) -> str:
    return (rs.get("metadata") or {}).get("name") or ""


def creation_order_key(rs: Mapping[str, Any]) -> tuple[str, str]:
    """``ReplicaSetsByCreationTimestamp``: older first, then by name (RFC 3339 strings at whole seconds sort in
    time order)."""
    return _created(rs), _name(rs)


def sort_by_creation_timestamp(rss: Iterable[Obj]) -> list[Obj]:
    """``sort.Sort(controller.ReplicaSetsByCreationTimestamp(rss))``."""
    return sorted(rss, key=creation_order_key)


def sort_by_size_older(rss: Iterable[Obj]) -> list[Obj]:
    """``ReplicaSetsBySizeOlder``: larger first; among equals, older first (the order for scaling down)."""
    return sorted(rss, key=lambda rs: (-spec_replicas(rs), *creation_order_key(rs)))


def sort_by_size_newer(rss: Iterable[Obj]) -> list[Obj]:
    """``ReplicaSetsBySizeNewer``: larger first; among equals, newer first (the order for scaling up)."""
    by_newer = sorted(rss, key=creation_order_key, reverse=True)
    return sorted(by_newer, key=lambda rs: -spec_replicas(rs))  # stable: newer stays ahead among equal sizes


def _revision_or_zero(rs: Mapping[str, Any]) -> int:
    try:
        return revision(rs)
    except RevisionError:
        return 0


def sort_by_revision(rss: Iterable[Obj]) -> list[Obj]:
    """``ReplicaSetsByRevision``: lower revision first; equal revisions by creation time."""
    return sorted(rss, key=lambda rs: (_revision_or_zero(rs), *creation_order_key(rs)))


def filter_active_replica_sets(rss: Iterable[Obj | None]) -> list[Obj]:
    """``FilterActiveReplicaSets``: the ReplicaSets that are not nil and want at least one Pod."""
    return [rs for rs in rss if rs is not None and spec_replicas(rs) > 0]


# ---------------------------------------------------------------------------------------------------------------
# new and old ReplicaSets


def _without_hash(template: Mapping[str, Any] | None) -> Any:
    template = template or {}
    meta = template.get("metadata") or {}
    labels = meta.get("labels")
    if labels and DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY in labels:
        labels = {k: v for k, v in labels.items() if k != DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY}
        meta = {**meta, "labels": labels}
    return {**template, "metadata": meta}


_EMPTY = (None, {}, [])
_UNSET: Any = object()  # "not given" for an optional argument whose given value may be None


def _semantic_equal(a: Any, b: Any) -> bool:
    """``apiequality.Semantic.DeepEqual`` on JSON-shaped values: an empty map or list equals an absent (or null) one,
    as Go's nil and empty do after a JSON round trip. Stops at the first difference."""
    if a == b:
        return True
    if type(a) is dict and type(b) is dict:
        for key in a.keys() | b.keys():
            va, vb = a.get(key), b.get(key)
            if va in _EMPTY and vb in _EMPTY:
                continue
            if not _semantic_equal(va, vb):
                return False
        return True
    if type(a) is list and type(b) is list:
        return len(a) == len(b) and all(_semantic_equal(x, y) for x, y in zip(a, b, strict=True))
    return a in _EMPTY and b in _EMPTY


def equal_ignore_hash(template1: Mapping[str, Any] | None, template2: Mapping[str, Any] | None) -> bool:
    """``EqualIgnoreHash``: two pod templates are equal but for the ``pod-template-hash`` label."""
    return _semantic_equal(_without_hash(template1), _without_hash(template2))


def find_new_replica_set(deployment: Mapping[str, Any], rs_list: Iterable[Obj]) -> Obj | None:
    """``FindNewReplicaSet``: the oldest ReplicaSet whose template is the Deployment's (ignoring the hash label)."""
    template = _spec(deployment).get("template")
    for rs in sort_by_creation_timestamp(rs_list):
        # In rare cases (after cluster upgrades) several may match; upstream deterministically takes the oldest.
        if equal_ignore_hash(_spec(rs).get("template"), template):
            return rs
    return None


def find_old_replica_sets(
    deployment: Mapping[str, Any], rs_list: Sequence[Obj], *, new_rs: Any = _UNSET
) -> tuple[list[Obj], list[Obj]]:
    """``FindOldReplicaSets``: ``(old ones that still want Pods, all old ones)``. ``new_rs``: what
    :func:`find_new_replica_set` gives for the same arguments, if the caller has it already."""
    if new_rs is _UNSET:
        new_rs = find_new_replica_set(deployment, rs_list)
    new_uid = _uid(new_rs)
    required: list[Obj] = []
    all_old: list[Obj] = []
    for rs in rs_list:
        if new_rs is not None and _uid(rs) == new_uid:
            continue
        all_old.append(rs)
        if spec_replicas(rs) != 0:
            required.append(rs)
    return required, all_old


def find_active_or_latest(new_rs: Obj | None, old_rss: Sequence[Obj]) -> Obj | None:
    """``FindActiveOrLatest``: the only active ReplicaSet, or the newest one if none is active; ``None`` when more
    than one is active (then the Deployment scales them in proportion)."""
    if new_rs is None and not old_rss:
        return None
    olds = sorted(old_rss, key=creation_order_key, reverse=True)
    active = filter_active_replica_sets([*olds, new_rs])
    if len(active) == 0:
        return new_rs if new_rs is not None else olds[0]
    if len(active) == 1:
        return active[0]
    return None


def set_from_replica_set_template(deployment: Obj, template: Mapping[str, Any]) -> Obj:
    """``SetFromReplicaSetTemplate``: the Deployment takes the template, without the hash label."""
    tpl = _deepcopy(dict(template))
    labels = (tpl.get("metadata") or {}).get("labels")
    if labels:
        labels.pop(DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, None)
    deployment.setdefault("spec", {})["template"] = tpl
    return deployment


def is_controlled_by(obj: Mapping[str, Any], owner: Mapping[str, Any]) -> bool:
    """``metav1.IsControlledBy``: ``obj``'s controller reference points at ``owner``'s uid."""
    owner_uid = _uid(owner)
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller"):
            return ref.get("uid") == owner_uid
    return False


RSListFunc = Callable[[str, Any], list[Obj]]
"""``RsListFunc``: ``(namespace, selector) -> ReplicaSets``."""


def list_replica_sets(deployment: Mapping[str, Any], get_rs_list: RSListFunc) -> list[Obj]:
    """``ListReplicaSets``: the ReplicaSets the Deployment's selector matches and that it controls (no adoption:
    only the controller adopts)."""
    namespace = (deployment.get("metadata") or {}).get("namespace") or "default"
    selector = label_selector_as_selector(_spec(deployment).get("selector"))
    return [rs for rs in get_rs_list(namespace, selector) if is_controlled_by(rs, deployment)]


def get_all_replica_sets(
    deployment: Mapping[str, Any], get_rs_list: RSListFunc
) -> tuple[list[Obj], list[Obj], Obj | None]:
    """``GetAllReplicaSets``: ``(old ones with Pods, all old ones, the new one or None)``."""
    rs_list = list_replica_sets(deployment, get_rs_list)
    old, all_old = find_old_replica_sets(deployment, rs_list)
    return old, all_old, find_new_replica_set(deployment, rs_list)


# ---------------------------------------------------------------------------------------------------------------
# counting


def get_replica_count_for_replica_sets(rss: Iterable[Mapping[str, Any] | None]) -> int:
    """``GetReplicaCountForReplicaSets``: the sum of ``spec.replicas``."""
    return sum(spec_replicas(rs) for rs in rss if rs is not None)


def get_actual_replica_count_for_replica_sets(rss: Iterable[Mapping[str, Any] | None]) -> int:
    """``GetActualReplicaCountForReplicaSets``: the sum of ``status.replicas``."""
    return sum(_status(rs).get("replicas") or 0 for rs in rss if rs is not None)


def get_ready_replica_count_for_replica_sets(rss: Iterable[Mapping[str, Any] | None]) -> int:
    """``GetReadyReplicaCountForReplicaSets``: the sum of ``status.readyReplicas``."""
    return sum(_status(rs).get("readyReplicas") or 0 for rs in rss if rs is not None)


def get_available_replica_count_for_replica_sets(rss: Iterable[Mapping[str, Any] | None]) -> int:
    """``GetAvailableReplicaCountForReplicaSets``: the sum of ``status.availableReplicas``."""
    return sum(_status(rs).get("availableReplicas") or 0 for rs in rss if rs is not None)


# ---------------------------------------------------------------------------------------------------------------
# rollout state


def deployment_complete(deployment: Mapping[str, Any], new_status: Mapping[str, Any]) -> bool:
    """``DeploymentComplete``: every desired replica is updated and available, no old Pod runs, and the status is
    of the current generation."""
    replicas = spec_replicas(deployment)
    return (
        (new_status.get("updatedReplicas") or 0) == replicas
        and (new_status.get("replicas") or 0) == replicas
        and (new_status.get("availableReplicas") or 0) == replicas
        and (new_status.get("observedGeneration") or 0) >= ((deployment.get("metadata") or {}).get("generation") or 0)
    )


def deployment_progressing(deployment: Mapping[str, Any], new_status: Mapping[str, Any]) -> bool:
    """``DeploymentProgressing``: compared with the stored status, more Pods were updated, old ones went away, or
    more became ready or available."""
    old = _status(deployment)
    old_old = (old.get("replicas") or 0) - (old.get("updatedReplicas") or 0)
    new_old = (new_status.get("replicas") or 0) - (new_status.get("updatedReplicas") or 0)
    return (
        (new_status.get("updatedReplicas") or 0) > (old.get("updatedReplicas") or 0)
        or new_old < old_old
        or (new_status.get("readyReplicas") or 0) > (old.get("readyReplicas") or 0)
        or (new_status.get("availableReplicas") or 0) > (old.get("availableReplicas") or 0)
    )


def parse_rfc3339(value: str | None) -> datetime | None:
    """A ``metav1.Time`` string as an aware datetime (``None`` for an unset time)."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def deployment_timed_out(deployment: Mapping[str, Any], new_status: Mapping[str, Any], now: datetime) -> bool:
    """``DeploymentTimedOut``: the ``Progressing`` condition was last updated more than ``progressDeadlineSeconds``
    before ``now`` (or already says ``ProgressDeadlineExceeded``). A Deployment whose last rollout completed
    (``NewReplicaSetAvailable``) has not timed out."""
    if not has_progress_deadline(deployment):
        return False
    condition = get_deployment_condition(new_status, DEPLOYMENT_PROGRESSING)
    if condition is None:
        return False
    if condition.get("reason") == NEW_RS_AVAILABLE_REASON:
        return False
    if condition.get("reason") == TIMED_OUT_REASON:
        return True
    since = parse_rfc3339(condition.get("lastUpdateTime"))
    if since is None:  # Go's zero time: long ago
        return True
    return (since - now).total_seconds() + _spec(deployment)["progressDeadlineSeconds"] < 0


def new_rs_new_replicas(
    deployment: Mapping[str, Any], all_rss: Sequence[Mapping[str, Any] | None], new_rs: Mapping[str, Any]
) -> int:
    """``NewRSNewReplicas``: how many replicas the new ReplicaSet should have now.

    RollingUpdate: grow it by as much as ``replicas + maxSurge`` minus all ReplicaSets' replicas allows, but not past
    ``replicas``. Recreate: ``replicas`` at once. Raises ``ValueError`` for another strategy type.
    """
    strategy = (_spec(deployment).get("strategy") or {}).get("type")
    replicas = spec_replicas(deployment)
    if strategy == ROLLING_UPDATE:
        surge = scaled_value_from_int_or_percent(_rolling(deployment).get("maxSurge", 0), replicas, True)
        current = get_replica_count_for_replica_sets(all_rss)
        max_total = replicas + surge
        if current >= max_total:
            return spec_replicas(new_rs)  # cannot scale up
        scale_up = min(max_total - current, replicas - spec_replicas(new_rs))
        return spec_replicas(new_rs) + scale_up
    if strategy == RECREATE:
        return replicas
    raise ValueError(f"deployment type {strategy} isn't supported")


def is_saturated(deployment: Mapping[str, Any], rs: Mapping[str, Any] | None) -> bool:
    """``IsSaturated``: the ReplicaSet has all the Deployment's replicas, agrees (desired-replicas annotation), and
    all of them are available."""
    if rs is None:
        return False
    desired, ok = _int_annotation(rs, DESIRED_REPLICAS_ANNOTATION)
    if not ok:
        return False
    replicas = spec_replicas(deployment)
    return (
        spec_replicas(rs) == replicas
        and desired == replicas
        and (_status(rs).get("availableReplicas") or 0) == replicas
    )


# ---------------------------------------------------------------------------------------------------------------
# proportional scaling


def get_replica_set_fraction(rs: Mapping[str, Any], deployment: Mapping[str, Any]) -> int:
    """``getReplicaSetFraction``: how many replicas ``rs`` should gain (negative: lose) when the Deployment is
    resized: ``round(rs.replicas * (replicas + maxSurge) / max-replicas annotation) - rs.replicas``."""
    replicas = spec_replicas(deployment)
    if replicas == 0:
        return -spec_replicas(rs)  # scaling to zero: this ReplicaSet's whole size
    deployment_replicas = replicas + max_surge_of(deployment)
    annotated, ok = get_max_replicas_annotation(rs)
    if not ok:
        # Without the annotation fall back to the Deployment's current size: not accurate if other ReplicaSets were
        # scaled differently, but the min/max in get_proportion keep the result within bounds (upstream's comment).
        annotated = _status(deployment).get("replicas") or 0
    if annotated == 0:
        return 0  # upstream would divide by zero; it never scales up from zero proportionally
    new_size = spec_replicas(rs) * deployment_replicas / annotated
    return _round_half_away(new_size) - spec_replicas(rs)


def get_proportion(rs: Mapping[str, Any] | None, deployment: Mapping[str, Any], to_add: int, added: int) -> int:
    """``GetProportion``: the share of ``to_add`` replicas (``added`` so far) that ``rs`` gets, never past what is
    left to add (when growing) or to remove (when shrinking)."""
    if rs is None or spec_replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = get_replica_set_fraction(rs, deployment)
    allowed = to_add - added
    if to_add > 0:
        return min(fraction, allowed)
    return max(fraction, allowed)


__all__ = [
    "ANNOTATIONS_TO_SKIP",
    "CHANGE_CAUSE_ANNOTATION",
    "DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY",
    "DEPLOYMENT_AVAILABLE",
    "DEPLOYMENT_PROGRESSING",
    "DEPLOYMENT_REPLICA_FAILURE",
    "DESIRED_REPLICAS_ANNOTATION",
    "FAILED_RS_CREATE_REASON",
    "FOUND_NEW_RS_REASON",
    "MAX_REPLICAS_ANNOTATION",
    "MINIMUM_REPLICAS_AVAILABLE",
    "MINIMUM_REPLICAS_UNAVAILABLE",
    "NEW_REPLICA_SET_REASON",
    "NEW_RS_AVAILABLE_REASON",
    "PAUSED_DEPLOY_REASON",
    "RECREATE",
    "REPLICA_SET_UPDATED_REASON",
    "RESUMED_DEPLOY_REASON",
    "REVISION_ANNOTATION",
    "REVISION_HISTORY_ANNOTATION",
    "ROLLING_UPDATE",
    "TIMED_OUT_REASON",
    "RevisionError",
    "RolloutBounds",
    "copy_deployment_annotations_to_replica_set",
    "creation_order_key",
    "deployment_complete",
    "deployment_progressing",
    "deployment_timed_out",
    "equal_ignore_hash",
    "filter_active_replica_sets",
    "find_active_or_latest",
    "find_new_replica_set",
    "find_old_replica_sets",
    "get_actual_replica_count_for_replica_sets",
    "get_all_replica_sets",
    "get_available_replica_count_for_replica_sets",
    "get_deployment_condition",
    "get_desired_replicas_annotation",
    "get_max_replicas_annotation",
    "get_proportion",
    "get_ready_replica_count_for_replica_sets",
    "get_replica_count_for_replica_sets",
    "get_replica_set_fraction",
    "has_progress_deadline",
    "has_revision_history_limit",
    "is_controlled_by",
    "is_rolling_update",
    "is_saturated",
    "last_revision",
    "list_replica_sets",
    "max_revision",
    "max_surge",
    "max_surge_of",
    "max_unavailable",
    "max_unavailable_of",
    "min_available",
    "new_deployment_condition",
    "new_rs_new_replicas",
    "parse_rfc3339",
    "remove_deployment_condition",
    "replica_set_to_deployment_condition",
    "replicas_annotations_need_update",
    "resolve_fenceposts",
    "revision",
    "rollout_bounds",
    "set_deployment_annotations_to",
    "set_deployment_condition",
    "set_deployment_revision",
    "set_from_replica_set_template",
    "set_new_replica_set_annotations",
    "set_replicas_annotations",
    "skip_copy_annotation",
    "sort_by_creation_timestamp",
    "sort_by_revision",
    "sort_by_size_newer",
    "sort_by_size_older",
    "spec_replicas",
]
