"""deployment_rolling: the Deployment controller's two strategies — ``rolling.go`` and ``recreate.go``.

Part of :class:`k8smodel.controllers.deployment.DeploymentController` (a mixin, split off by upstream file).

RollingUpdate (``rolling.go``)
    One sync makes one step, in upstream's order: **scale up** the new ReplicaSet as far as ``replicas +
    maxSurge`` allows (``reconcileNewReplicaSet``); if that changed nothing, **clean up unhealthy** old replicas,
    the ones that are not available anyway (``cleanupUnhealthyReplicas``), then **scale down** old ReplicaSets,
    oldest first, as far as keeping ``replicas - maxUnavailable`` Pods available allows
    (``scaleDownOldReplicaSetsForRollingUpdate``); the budget for both is ``allPods - minAvailable -
    newRSUnavailable``, so new Pods that are not yet available never let old available ones go. When nothing can
    move, the rollout waits for Pods to become available: each one changes a ReplicaSet's status, which wakes the
    controller for the next step. With 10 replicas and the default 25 %/25 % that is: new up to 3 (13 Pods), old
    down to 8 (as soon as 10 - 2 are available), new up to 5, ... until the new ReplicaSet has 10 available.
Recreate (``recreate.go``)
    Scale every old ReplicaSet to 0; wait until not a single old Pod is left, terminating ones included
    (``oldPodsRunning``); only then create the new ReplicaSet at full size. The application is down in between:
    that is the point of the strategy (no two versions ever run at once).

Upstream: ``pkg/controller/deployment/rolling.go``, ``recreate.go``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from k8smodel.api.errors import StatusError
from k8smodel.controllers import deployment_util as du
from k8smodel.controllers.base import ReconcileError

Obj = dict[str, Any]


class RollingUpdateAndRecreate:
    """The ``rolling.go`` and ``recreate.go`` methods of the Deployment controller (a mixin of
    :class:`~k8smodel.controllers.deployment.DeploymentController`)."""

    def rollout_rolling(self, d: Obj, rs_list: Sequence[Obj]) -> None:
        """``rolloutRolling``: one step of a rolling update — scale up the new ReplicaSet if possible, else scale
        down old ones if possible, else (the rollout is done) clean up old ReplicaSets; then update the status."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, True)
        assert new_rs is not None
        all_rss = [*old_rss, new_rs]
        if self.reconcile_new_replica_set(all_rss, new_rs, d):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if self.reconcile_old_replica_sets(all_rss, du.filter_active_replica_sets(old_rss), new_rs, d):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if du.deployment_complete(d, d.get("status") or {}):
            self.cleanup_deployment(old_rss, d)
        self.sync_rollout_status(all_rss, new_rs, d)

    def reconcile_new_replica_set(self, all_rss: Sequence[Obj], new_rs: Obj, d: Obj) -> bool:
        """``reconcileNewReplicaSet``: scale the new ReplicaSet toward ``replicas`` as far as ``maxSurge`` allows
        (or down, if it has more than ``replicas``). True if it scaled."""
        replicas = du.spec_replicas(d)
        if du.spec_replicas(new_rs) == replicas:
            return False
        if du.spec_replicas(new_rs) > replicas:
            scaled, _ = self.scale_replica_set_and_record_event(new_rs, replicas, d, "new-down")
            return scaled
        new_replicas = du.new_rs_new_replicas(d, all_rss, new_rs)
        scaled, _ = self.scale_replica_set_and_record_event(new_rs, new_replicas, d, "surge")
        return scaled

    def reconcile_old_replica_sets(self, all_rss: Sequence[Obj], old_rss: list[Obj], new_rs: Obj, d: Obj) -> bool:
        """``reconcileOldReplicaSets``: scale old ReplicaSets down, never below ``replicas - maxUnavailable``
        available Pods, counting the new ReplicaSet's unavailable Pods against the budget:

        ``maxScaledDown = allPods - minAvailable - newRSUnavailable``

        First the old Pods that are not available anyway (``cleanup_unhealthy_replicas``: removing them costs no
        availability), then available ones (``scale_down_old_replica_sets_for_rolling_update``). True if any
        ReplicaSet was scaled down. Like upstream, a failed scale-down is swallowed here (the next sync retries)."""
        old_pods = du.get_replica_count_for_replica_sets(old_rss)
        if old_pods == 0:
            return False  # cannot scale down further
        all_pods = du.get_replica_count_for_replica_sets(all_rss)
        min_available = du.spec_replicas(d) - du.max_unavailable_of(d)
        new_rs_unavailable = du.spec_replicas(new_rs) - (du._status(new_rs).get("availableReplicas") or 0)
        max_scaled_down = all_pods - min_available - new_rs_unavailable
        if max_scaled_down <= 0:
            return False
        # Unhealthy replicas first, or they would block the rollout until it times out (kubernetes#16737).
        try:
            old_rss, cleanup_count = self.cleanup_unhealthy_replicas(old_rss, d, max_scaled_down)
        except (StatusError, ReconcileError):
            return False
        try:
            scaled_down = self.scale_down_old_replica_sets_for_rolling_update([*old_rss, new_rs], old_rss, d)
        except (StatusError, ReconcileError):
            return False
        return cleanup_count + scaled_down > 0

    def cleanup_unhealthy_replicas(self, old_rss: list[Obj], d: Obj, max_cleanup_count: int) -> tuple[list[Obj], int]:
        """``cleanupUnhealthyReplicas``: oldest first, scale each old ReplicaSet down by its unavailable replicas,
        up to ``max_cleanup_count`` in all. The ReplicaSet controller deletes not-ready and unscheduled Pods first,
        so this removes exactly the unhealthy ones."""
        old_rss = du.sort_by_creation_timestamp(old_rss)
        total = 0
        for i, rs in enumerate(old_rss):
            if total >= max_cleanup_count:
                break
            replicas = du.spec_replicas(rs)
            available = du._status(rs).get("availableReplicas") or 0
            if replicas == 0 or replicas == available:
                continue  # nothing to scale down / no unhealthy replicas
            count = min(max_cleanup_count - total, replicas - available)
            new_count = replicas - count
            if new_count > replicas:
                raise ReconcileError(
                    f"when cleaning up unhealthy replicas, got invalid request to scale down "
                    f"{rs['metadata'].get('namespace')}/{rs['metadata']['name']} {replicas} -> {new_count}"
                )
            _, updated = self.scale_replica_set_and_record_event(rs, new_count, d, "cleanup-unhealthy")
            total += count
            old_rss[i] = updated
        return old_rss, total

    def scale_down_old_replica_sets_for_rolling_update(
        self, all_rss: Sequence[Obj], old_rss: Sequence[Obj], d: Obj
    ) -> int:
        """``scaleDownOldReplicaSetsForRollingUpdate``: oldest first, remove available old replicas while more
        than ``replicas - maxUnavailable`` Pods are available. Returns how many were removed."""
        min_available = du.spec_replicas(d) - du.max_unavailable_of(d)
        available = du.get_available_replica_count_for_replica_sets(all_rss)
        if available <= min_available:
            return 0
        total_scale_down = available - min_available
        total = 0
        for rs in du.sort_by_creation_timestamp(old_rss):
            if total >= total_scale_down:
                break
            replicas = du.spec_replicas(rs)
            if replicas == 0:
                continue
            count = min(replicas, total_scale_down - total)
            new_count = replicas - count
            if new_count > replicas:
                raise ReconcileError(
                    f"when scaling down old RS, got invalid request to scale down "
                    f"{rs['metadata'].get('namespace')}/{rs['metadata']['name']} {replicas} -> {new_count}"
                )
            self.scale_replica_set_and_record_event(rs, new_count, d, "scale-down-old")
            total += count
        return total

    def rollout_recreate(self, d: Obj, rs_list: Sequence[Obj], pod_map: Callable[[], dict[str, list[Obj]]]) -> None:
        """``rolloutRecreate``: scale every old ReplicaSet to 0; once none of their Pods is left (not even a
        terminating one), create the new ReplicaSet and scale it to ``replicas``."""
        # Do not create the new ReplicaSet yet, so that nothing scales up before everything is scaled down.
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        all_rss = [*old_rss, new_rs]
        active_old = du.filter_active_replica_sets(old_rss)
        if self.scale_down_old_replica_sets_for_recreate(active_old, d):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if old_pods_running(new_rs, old_rss, pod_map()):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if new_rs is None:
            new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, True)
            all_rss = [*old_rss, new_rs]
        assert new_rs is not None
        self.scale_replica_set_and_record_event(new_rs, du.spec_replicas(d), d, "recreate-up")
        if du.deployment_complete(d, d.get("status") or {}):
            self.cleanup_deployment(old_rss, d)
        self.sync_rollout_status(all_rss, new_rs, d)

    def scale_down_old_replica_sets_for_recreate(self, old_rss: list[Obj], d: Obj) -> bool:
        """``scaleDownOldReplicaSetsForRecreate``: every old ReplicaSet to 0."""
        scaled = False
        for i, rs in enumerate(old_rss):
            if du.spec_replicas(rs) == 0:
                continue
            did, updated = self.scale_replica_set_and_record_event(rs, 0, d, "recreate-down")
            if did:
                old_rss[i] = updated
                scaled = True
        return scaled


def old_pods_running(new_rs: Obj | None, old_rss: Sequence[Obj], pod_map: Mapping[str, Sequence[Obj]]) -> bool:
    """``oldPodsRunning`` (``recreate.go``): an old ReplicaSet still counts Pods, or a Pod of an old ReplicaSet is
    not in a terminal phase (``Unknown`` counts as running: it may be)."""
    if du.get_actual_replica_count_for_replica_sets(old_rss) > 0:
        return True
    new_uid = None if new_rs is None else new_rs["metadata"].get("uid")
    for rs_uid, pods in pod_map.items():
        if rs_uid == new_uid:
            continue
        for pod in pods:
            if (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded"):
                return True
    return False


__all__ = ["RollingUpdateAndRecreate", "old_pods_running"]
