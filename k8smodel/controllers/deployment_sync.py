"""deployment_sync: the Deployment controller's ``sync.go`` — the new ReplicaSet, revisions, scaling, clean-up, status.

Part of :class:`k8smodel.controllers.deployment.DeploymentController` (a mixin, split off by upstream file):

``getNewReplicaSet``
    The *new* ReplicaSet is the one whose Pod template equals the Deployment's, ignoring the ``pod-template-hash``
    label (:func:`~k8smodel.controllers.deployment_util.find_new_replica_set`). If there is none, the controller
    creates ``<deployment>-<hash>``, the hash being ``ComputeHash`` of the template (and of
    ``status.collisionCount``, raised by one whenever another template's ReplicaSet already has that name), with
    the template's labels plus ``pod-template-hash`` and the selector narrowed to that label, so the Pods of two
    versions never mix. It gets revision ``max(old revisions) + 1``, which is copied to the Deployment.
``scale``
    A *scaling event* (the Deployment's ``replicas`` differs from what its active ReplicaSets' desired-replicas
    annotations say) or a paused Deployment is synced by resizing: one active ReplicaSet takes the whole size; a
    saturated new one means the old ones go to 0; otherwise the change is shared among the active ReplicaSets in
    proportion to their size (:func:`plan_scale`, tested with upstream's ``TestScale`` table).
``cleanupDeployment``
    Old ReplicaSets beyond ``revisionHistoryLimit`` (default 10), oldest revision first, are deleted, but only if
    they have no Pods, want none and their status is up to date.
``calculateStatus``
    The Deployment's status is the sum of its ReplicaSets' (``replicas``, ``updatedReplicas`` = the new one's,
    ``readyReplicas``, ``availableReplicas``, ``unavailableReplicas``), with ``Available`` True while at least
    ``replicas - maxUnavailable`` Pods are available.

Upstream: ``pkg/controller/deployment/sync.go``. What the model leaves out is listed in
:mod:`k8smodel.controllers.deployment`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

from k8smodel.api import errors
from k8smodel.api.defaults import _deepcopy
from k8smodel.api.errors import StatusError
from k8smodel.api.field import go_quote
from k8smodel.apiserver.admission import NAMESPACE_TERMINATING_CAUSE
from k8smodel.controllers import deployment_util as du
from k8smodel.controllers.controller_utils import (
    compute_hash,
    get_controller_of,
    has_status_cause,
    new_controller_ref,
)
from k8smodel.record import NORMAL, WARNING

Obj = dict[str, Any]

CONTROLLER_KIND = ("apps/v1", "Deployment")  # controllerKind
MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000  # maxRevHistoryLengthInChars: "limit revision history length to 100 element"
SCALING_REPLICA_SET = "ScalingReplicaSet"


class DeploymentSync:
    """The ``sync.go`` methods of the Deployment controller (a mixin of
    :class:`~k8smodel.controllers.deployment.DeploymentController`, whose ``sim``, ``api``, ``user``, ``recorder``
    and ``replicasets`` informer they use)."""

    sim: Any
    api: Any
    user: Any
    recorder: Any
    replicasets: Any

    def sync_status_only(self, d: Obj, rs_list: Sequence[Obj]) -> None:
        """``syncStatusOnly``: update the status, change nothing else."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        self.sync_deployment_status([*old_rss, new_rs], new_rs, d)

    def sync(self, d: Obj, rs_list: Sequence[Obj]) -> None:
        """``sync``: reconcile a scaling event or a paused Deployment: scale (in proportion), clean up old
        ReplicaSets if paused, and update the status."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        self.scale(d, new_rs, old_rss)
        if du._spec(d).get("paused"):
            self.cleanup_deployment(old_rss, d)
        self.sync_deployment_status([*old_rss, new_rs], new_rs, d)

    def check_paused_conditions(self, d: Obj) -> None:
        """``checkPausedConditions``: ``Progressing: Unknown`` with reason ``DeploymentPaused`` while paused and
        ``DeploymentResumed`` once resumed, so time spent paused never counts against the progress deadline (a
        timed-out Deployment keeps its ``ProgressDeadlineExceeded``)."""
        if not du.has_progress_deadline(d):
            return
        status = d.setdefault("status", {})
        cond = du.get_deployment_condition(status, du.DEPLOYMENT_PROGRESSING)
        if cond is not None and cond.get("reason") == du.TIMED_OUT_REASON:
            return
        paused_cond_exists = cond is not None and cond.get("reason") == du.PAUSED_DEPLOY_REASON
        paused = bool(du._spec(d).get("paused"))
        if paused and not paused_cond_exists:
            reason, message = du.PAUSED_DEPLOY_REASON, "Deployment is paused"
        elif not paused and paused_cond_exists:
            reason, message = du.RESUMED_DEPLOY_REASON, "Deployment is resumed"
        else:
            return
        condition = du.new_deployment_condition(du.DEPLOYMENT_PROGRESSING, "Unknown", reason, message, self._now())
        du.set_deployment_condition(status, condition)
        self.api.update_status(d, user=self.user)

    def get_all_replica_sets_and_sync_revision(
        self, d: Obj, rs_list: Sequence[Obj], create_if_not_existed: bool
    ) -> tuple[Obj | None, list[Obj]]:
        """``getAllReplicaSetsAndSyncRevision``: ``(new ReplicaSet or None, all old ones)``, with the new one's
        revision raised to ``max(old revisions) + 1`` and copied to the Deployment."""
        # FindOldReplicaSets and getNewReplicaSet both begin with FindNewReplicaSet of the same arguments: once here
        existing = du.find_new_replica_set(d, rs_list)
        _, all_old = du.find_old_replica_sets(d, rs_list, new_rs=existing)
        new_rs = self.get_new_replica_set(d, rs_list, all_old, create_if_not_existed, existing=existing)
        return new_rs, all_old

    def get_new_replica_set(
        self,
        d: Obj,
        rs_list: Sequence[Obj],
        old_rss: Sequence[Obj],
        create_if_not_existed: bool,
        *,
        existing: Any = du._UNSET,
    ) -> Obj | None:
        """``getNewReplicaSet``: the ReplicaSet of the current template, its annotations and revision synced; or,
        if there is none and ``create_if_not_existed``, a new one named ``<deployment>-<pod-template-hash>`` with as
        many replicas as the strategy allows at once. ``existing``: ``FindNewReplicaSet(d, rs_list)``, if the caller
        has it already."""
        if existing is du._UNSET:
            existing = du.find_new_replica_set(d, rs_list)
        new_revision = str(du.max_revision(old_rss) + 1)
        status = d.setdefault("status", {})
        meta = d["metadata"]
        spec = d.get("spec") or {}
        if existing is not None:
            rs_copy = _deepcopy(existing)
            annotations_updated = du.set_new_replica_set_annotations(
                d, rs_copy, new_revision, True, MAX_REV_HISTORY_LENGTH_IN_CHARS
            )
            min_ready = spec.get("minReadySeconds") or 0
            if annotations_updated or (du._spec(rs_copy).get("minReadySeconds") or 0) != min_ready:
                _set_min_ready_seconds(rs_copy, min_ready)
                return self.api.update(rs_copy, user=self.user)
            # the revision in the existing new ReplicaSet's annotation is the one set before
            needs_update = du.set_deployment_revision(
                d, rs_copy["metadata"].get("annotations", {}).get(du.REVISION_ANNOTATION, "")
            )
            cond = du.get_deployment_condition(status, du.DEPLOYMENT_PROGRESSING)
            if du.has_progress_deadline(d) and cond is None:
                # Users of old clusters who start caring about progress: count from the first time we saw it.
                msg = f"Found new replica set {go_quote(rs_copy['metadata']['name'])}"
                condition = du.new_deployment_condition(
                    du.DEPLOYMENT_PROGRESSING, "True", du.FOUND_NEW_RS_REASON, msg, self._now()
                )
                du.set_deployment_condition(status, condition)
                needs_update = True
            if needs_update:
                self.api.update_status(d, user=self.user)
            return rs_copy

        if not create_if_not_existed:
            return None

        # No ReplicaSet for this template yet: create one.
        template = _deepcopy(spec.get("template") or {})
        pod_template_hash = compute_hash(template, status.get("collisionCount"))
        tmeta = template.setdefault("metadata", {})
        tmeta["labels"] = {**(tmeta.get("labels") or {}), du.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY: pod_template_hash}
        selector = _deepcopy(spec.get("selector") or {})
        selector["matchLabels"] = {
            **(selector.get("matchLabels") or {}),
            du.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY: pod_template_hash,
        }
        name = f"{meta['name']}-{pod_template_hash}"  # deterministic, for idempotence
        new_rs: Obj = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": name,
                "namespace": meta.get("namespace") or "default",
                "labels": dict(tmeta["labels"]),
                "ownerReferences": [new_controller_ref(d, *CONTROLLER_KIND)],
            },
            "spec": {"replicas": 0, "selector": selector, "template": template},
        }
        _set_min_ready_seconds(new_rs, spec.get("minReadySeconds") or 0)
        new_replicas = du.new_rs_new_replicas(d, [*old_rss, new_rs], new_rs)
        new_rs["spec"]["replicas"] = new_replicas
        du.set_new_replica_set_annotations(d, new_rs, new_revision, False, MAX_REV_HISTORY_LENGTH_IN_CHARS)
        already_exists = False
        try:
            created = self.api.create(new_rs, namespace=new_rs["metadata"]["namespace"], user=self.user)
        except StatusError as err:
            if errors.is_already_exists(err):
                # A slow cache or a fast resync: is it ours (same owner, same template) or a hash collision?
                already_exists = True
                rs = self.replicasets.get(f"{new_rs['metadata']['namespace']}/{name}")
                if rs is None:
                    raise errors.not_found("replicaset.apps", name) from None
                ref = get_controller_of(rs)
                if not (
                    ref is not None
                    and ref.get("uid") == meta.get("uid")
                    and du.equal_ignore_hash(spec.get("template"), du._spec(rs).get("template"))
                ):
                    # Another template hashed to the same name: count the collision, so the next sync hashes with
                    # the new count, and retry.
                    before = status.get("collisionCount") or 0
                    status["collisionCount"] = before + 1
                    try:
                        self.api.update_status(d, user=self.user)
                        self.sim.log(
                            "deployment.hash_collision",
                            deployment=_key(d),
                            replicaset=name,
                            old_collision_count=before,
                            new_collision_count=before + 1,
                        )
                    except StatusError:
                        pass
                    raise
                created = rs
            elif has_status_cause(err, NAMESPACE_TERMINATING_CAUSE):
                raise  # every later create would fail too
            else:
                msg = f"Failed to create new replica set {go_quote(name)}: {err}"
                if du.has_progress_deadline(d):
                    cond = du.new_deployment_condition(
                        du.DEPLOYMENT_PROGRESSING, "False", du.FAILED_RS_CREATE_REASON, msg, self._now()
                    )
                    du.set_deployment_condition(status, cond)
                    with contextlib.suppress(StatusError):  # the bigger issue is the failed create
                        self.api.update_status(d, user=self.user)
                self.recorder.event(d, WARNING, du.FAILED_RS_CREATE_REASON, msg)
                raise
        if not already_exists and new_replicas > 0:
            self.recorder.event(
                d,
                NORMAL,
                SCALING_REPLICA_SET,
                f"Scaled up replica set {created['metadata']['name']} from 0 to {new_replicas}",
            )
            self._log_scale(d, created, 0, new_replicas, "create")
        needs_update = du.set_deployment_revision(d, new_revision)
        if not already_exists and du.has_progress_deadline(d):
            msg = f"Created new replica set {go_quote(created['metadata']['name'])}"
            condition = du.new_deployment_condition(
                du.DEPLOYMENT_PROGRESSING, "True", du.NEW_REPLICA_SET_REASON, msg, self._now()
            )
            du.set_deployment_condition(status, condition)
            needs_update = True
        if needs_update:
            self.api.update_status(d, user=self.user)
        return created

    def scale(self, d: Obj, new_rs: Obj | None, old_rss: list[Obj]) -> None:
        """``scale``: resize the Deployment's ReplicaSets after a scaling event (or while paused).

        With one active ReplicaSet (or none), it takes the whole size. A saturated new ReplicaSet (all replicas,
        all available) means the old ones go to 0. Otherwise, for a rolling Deployment, the difference between
        ``replicas + maxSurge`` and the current total is shared among the active ReplicaSets in proportion to
        their sizes (:func:`plan_proportional_scale`), so a resize in mid-rollout neither hastens nor slows it.
        """
        for rs, size in plan_scale(d, new_rs, old_rss):
            self.scale_replica_set(rs, size, d, "proportional")

    def scale_replica_set_and_record_event(self, rs: Obj, new_scale: int, d: Obj, step: str = "") -> tuple[bool, Obj]:
        """``scaleReplicaSetAndRecordEvent``: nothing to do if ``rs`` already has ``new_scale`` replicas."""
        if du.spec_replicas(rs) == new_scale:
            return False, rs
        return self.scale_replica_set(rs, new_scale, d, step)

    def scale_replica_set(self, rs: Obj, new_scale: int, d: Obj, step: str = "") -> tuple[bool, Obj]:
        """``scaleReplicaSet``: write the new size and the desired/max-replicas annotations; an Event
        ``ScalingReplicaSet`` (``Scaled up replica set web-5d78c9b8f from 1 to 3``) when the size changed."""
        old_scale = du.spec_replicas(rs)
        size_needs_update = old_scale != new_scale
        replicas = du.spec_replicas(d)
        max_replicas = replicas + du.max_surge_of(d)
        if not size_needs_update and not du.replicas_annotations_need_update(rs, replicas, max_replicas):
            return False, rs
        rs_copy = _deepcopy(rs)
        rs_copy["spec"]["replicas"] = new_scale
        du.set_replicas_annotations(rs_copy, replicas, max_replicas)
        updated = self.api.update(rs_copy, user=self.user)
        if size_needs_update:
            operation = "up" if old_scale < new_scale else "down"
            self.recorder.event(
                d,
                NORMAL,
                SCALING_REPLICA_SET,
                f"Scaled {operation} replica set {updated['metadata']['name']} from {old_scale} to {new_scale}",
            )
            self._log_scale(d, updated, old_scale, new_scale, step)
        return size_needs_update, updated

    def cleanup_deployment(self, old_rss: Sequence[Obj | None], d: Obj) -> None:
        """``cleanupDeployment``: delete the oldest old ReplicaSets beyond ``revisionHistoryLimit``, but only those
        that have no Pods, want none and whose status is current (they are kept for ``rollout undo``)."""
        if not du.has_revision_history_limit(d):
            return
        cleanable = [rs for rs in old_rss if rs is not None and not rs["metadata"].get("deletionTimestamp")]
        diff = len(cleanable) - du._spec(d)["revisionHistoryLimit"]
        if diff <= 0:
            return
        cleanable = du.sort_by_revision(cleanable)
        for rs in cleanable[:diff]:
            meta = rs["metadata"]
            if (
                (du._status(rs).get("replicas") or 0) != 0
                or du.spec_replicas(rs) != 0
                or (meta.get("generation") or 0) > (du._status(rs).get("observedGeneration") or 0)
                or meta.get("deletionTimestamp")
            ):
                continue
            try:
                self.api.delete("replicasets", meta["name"], meta.get("namespace"), user=self.user)
            except StatusError as err:
                if not errors.is_not_found(err):
                    raise  # rather than go on deleting, on the theory that the API server may be overloaded
            self.sim.log(
                "deployment.cleanup", deployment=_key(d), replicaset=meta["name"], revision=du._revision_or_zero(rs)
            )

    def sync_deployment_status(self, all_rss: Sequence[Obj | None], new_rs: Obj | None, d: Obj) -> None:
        """``syncDeploymentStatus``: write the calculated status if it differs from the stored one."""
        new_status = calculate_status(all_rss, new_rs, d, self._now())
        if new_status == (d.get("status") or {}):
            return
        d["status"] = new_status
        self.api.update_status(d, user=self.user)

    def is_scaling_event(self, d: Obj, rs_list: Sequence[Obj]) -> bool:
        """``isScalingEvent``: an active ReplicaSet's desired-replicas annotation differs from the Deployment's
        ``replicas``, so the user resized it (as opposed to changing its template)."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        replicas = du.spec_replicas(d)
        for rs in du.filter_active_replica_sets([*old_rss, new_rs]):
            desired, ok = du.get_desired_replicas_annotation(rs)
            if ok and desired != replicas:
                return True
        return False

    def _now(self) -> str:
        return self.sim.rfc3339()

    def _log_scale(self, d: Obj, rs: Obj, old: int, new: int, step: str) -> None:
        self.sim.log(
            "deployment.scale", deployment=_key(d), replicaset=rs["metadata"]["name"], old=old, new=new, step=step
        )


def plan_scale(d: Mapping[str, Any], new_rs: Obj | None, old_rss: Sequence[Obj]) -> list[tuple[Obj, int]]:
    """What ``scale`` (``sync.go``) would do: a list of ``(replica set, new size)`` in the order it writes them.

    Sizes that do not change are still listed for the proportional case (upstream writes them, to refresh the
    desired/max-replicas annotations); the single-ReplicaSet and saturated cases list only real changes."""
    replicas = du.spec_replicas(d)
    active_or_latest = du.find_active_or_latest(new_rs, old_rss)
    if active_or_latest is not None:
        if du.spec_replicas(active_or_latest) == replicas:
            return []
        return [(active_or_latest, replicas)]
    if du.is_saturated(d, new_rs):
        # FindActiveOrLatest sorted the old ReplicaSets newest first, in place: they are scaled down in that order
        newest_first = sorted(old_rss, key=du.creation_order_key, reverse=True)
        return [(old, 0) for old in du.filter_active_replica_sets(newest_first)]
    if not du.is_rolling_update(d):
        return []
    all_rss = du.filter_active_replica_sets([*old_rss, new_rs])
    all_replicas = du.get_replica_count_for_replica_sets(all_rss)
    allowed = replicas + du.max_surge_of(d) if replicas > 0 else 0
    to_add = allowed - all_replicas
    if to_add > 0:
        all_rss = du.sort_by_size_newer(all_rss)  # scale up newer first among equals
    elif to_add < 0:
        all_rss = du.sort_by_size_older(all_rss)  # scale down older first among equals
    added = 0
    sizes: list[int] = []
    for rs in all_rss:
        if to_add != 0:
            proportion = du.get_proportion(rs, d, to_add, added)
            sizes.append(du.spec_replicas(rs) + proportion)
            added += proportion
        else:
            sizes.append(du.spec_replicas(rs))
    plan = []
    for i, rs in enumerate(all_rss):
        size = sizes[i]
        if i == 0 and to_add != 0:
            size = max(0, size + to_add - added)  # leftovers go to (or come from) the largest ReplicaSet
        plan.append((rs, size))
    return plan


def calculate_status(all_rss: Sequence[Obj | None], new_rs: Obj | None, d: Mapping[str, Any], now: str) -> Obj:
    """``calculateStatus``: the Deployment's status from its ReplicaSets' (fields that are zero are left out, as
    Go's ``omitempty`` leaves them out of the JSON), with ``Available`` set."""
    available = du.get_available_replica_count_for_replica_sets(all_rss)
    total = du.get_replica_count_for_replica_sets(all_rss)
    unavailable = max(0, total - available)  # more available than desired while scaling down
    old = d.get("status") or {}
    fields = (
        ("observedGeneration", (d.get("metadata") or {}).get("generation") or 0),
        ("replicas", du.get_actual_replica_count_for_replica_sets(all_rss)),
        ("updatedReplicas", du.get_actual_replica_count_for_replica_sets([new_rs])),
        ("readyReplicas", du.get_ready_replica_count_for_replica_sets(all_rss)),
        ("availableReplicas", available),
        ("unavailableReplicas", unavailable),
    )
    status: Obj = {name: value for name, value in fields if value}
    if old.get("conditions"):
        status["conditions"] = [dict(c) for c in old["conditions"]]
    if old.get("collisionCount") is not None:
        status["collisionCount"] = old["collisionCount"]
    if available >= du.spec_replicas(d) - du.max_unavailable_of(d):
        condition = du.new_deployment_condition(
            du.DEPLOYMENT_AVAILABLE, "True", du.MINIMUM_REPLICAS_AVAILABLE, "Deployment has minimum availability.", now
        )
    else:
        condition = du.new_deployment_condition(
            du.DEPLOYMENT_AVAILABLE,
            "False",
            du.MINIMUM_REPLICAS_UNAVAILABLE,
            "Deployment does not have minimum availability.",
            now,
        )
    du.set_deployment_condition(status, condition)
    return _ordered_status(status)


_STATUS_ORDER = (
    "observedGeneration",
    "replicas",
    "updatedReplicas",
    "readyReplicas",
    "availableReplicas",
    "unavailableReplicas",
    "conditions",
    "collisionCount",
)


def _ordered_status(status: Obj) -> Obj:
    """The status with its fields in ``DeploymentStatus``'s order (as the API prints them)."""
    return {k: status[k] for k in _STATUS_ORDER if k in status}


def _set_min_ready_seconds(rs: Obj, value: int) -> None:
    if value:
        rs["spec"]["minReadySeconds"] = value
    else:
        rs["spec"].pop("minReadySeconds", None)


def _key(d: Mapping[str, Any]) -> str:
    meta = d["metadata"]
    return f"{meta.get('namespace') or 'default'}/{meta['name']}"


__all__ = [
    "CONTROLLER_KIND",
    "MAX_REV_HISTORY_LENGTH_IN_CHARS",
    "SCALING_REPLICA_SET",
    "DeploymentSync",
    "calculate_status",
    "plan_scale",
]
