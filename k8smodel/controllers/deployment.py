"""deployment: the Deployment controller — rolling updates, Recreate, pause, proportional scaling, progress.

A Deployment does not manage Pods. It manages **ReplicaSets**, one per version of its Pod template, and the
ReplicaSet controller makes the Pods. Changing the template (a new image) makes a *new* ReplicaSet, named after the
Deployment and the template's hash (``web-5d78c9b8f``, the hash also being the Pods' ``pod-template-hash`` label,
which keeps the versions' Pods apart); the controller then moves replicas from the *old* ReplicaSets to the new one
at the pace its strategy allows. Every step is recorded on the Deployment as an Event (``ScalingReplicaSet``:
``Scaled up replica set web-5d78c9b8f from 0 to 3``) and in its status and conditions.

Upstream, ported function by function (names in snake_case); the class is split by upstream file into mixins:

``pkg/controller/deployment/deployment_controller.go`` — :class:`DeploymentController`
    Informers on Deployments, ReplicaSets and Pods; handlers that map a changed ReplicaSet to the Deployment that
    controls it (``addReplicaSet``, ``updateReplicaSet``, ``deleteReplicaSet``; an orphan wakes every Deployment
    whose selector matches it) and a deleted Pod of a Recreate Deployment to its Deployment once no Pod is left
    (``deletePod``). :meth:`~DeploymentController.reconcile` is ``syncDeployment``: claim ReplicaSets (adopt
    orphans, release the ones the selector no longer matches), then, in this order: a Deployment being deleted only
    gets its status; a paused one (``checkPausedConditions``) and a resized one (``isScalingEvent``) are *synced*
    (scaled, in proportion); anything else is *rolled out* by its strategy.
``sync.go`` — new ReplicaSet, revisions, scaling, clean-up, status (:mod:`~k8smodel.controllers.deployment_sync`)
    ``getNewReplicaSet`` finds the ReplicaSet whose template equals the Deployment's (ignoring the hash label) or
    creates it (with a hash collision counted in ``status.collisionCount``); ``scale`` resizes in proportion;
    ``cleanupDeployment`` deletes old ReplicaSets with no Pods beyond ``revisionHistoryLimit`` (default 10);
    ``calculateStatus`` sums the ReplicaSets' status into the Deployment's and sets ``Available``.
``rolling.go`` — RollingUpdate (:mod:`~k8smodel.controllers.deployment_rolling`)
    Each sync first scales the new ReplicaSet up, as far as ``replicas + maxSurge`` allows
    (``reconcileNewReplicaSet``); if it could not, it scales old ReplicaSets down, as far as keeping ``replicas -
    maxUnavailable`` Pods available allows, *unhealthy replicas first* (``reconcileOldReplicaSets``,
    ``cleanupUnhealthyReplicas``, ``scaleDownOldReplicaSetsForRollingUpdate``). Pods becoming available wake the
    controller (through the ReplicaSets' status) for the next step.
``recreate.go`` — Recreate (:mod:`~k8smodel.controllers.deployment_rolling`)
    Scale every old ReplicaSet to 0, wait until none of their Pods is left (terminating ones included), then create
    the new ReplicaSet at full size.
``progress.go`` — the ``Progressing`` condition (:mod:`~k8smodel.controllers.deployment_progress`)
    ``NewReplicaSetCreated``/``FoundNewReplicaSet``, ``ReplicaSetUpdated`` while Pods are updated or become
    available, ``NewReplicaSetAvailable`` when complete, and ``ProgressDeadlineExceeded`` (status ``False``) when no
    progress was made for ``progressDeadlineSeconds`` (default 600). A stuck Deployment is requeued for the moment
    its deadline passes (``requeueStuckDeployment``: ``lastUpdateTime + deadline - now``, plus a second).

Rollback is not here: ``kubectl rollout undo`` copies an old ReplicaSet's template back into the Deployment
(:mod:`k8smodel.rollout`), and this controller sees an ordinary template change; the old ReplicaSet becomes the new
one again and gets the next revision.

What the model leaves out
    * Time: a sync takes no simulated time (upstream: milliseconds of cache reads and API round trips), one worker
      drains the queue (``--concurrent-deployment-syncs`` is 5 upstream; with zero-time syncs more workers would only
      take turns) and a failed sync is retried forever with the queue's back-off (upstream drops a key after 15
      retries, ``maxRetries``, until the next event or resync).
    * Like upstream, the controller writes status from the copy it read from its cache and does not refresh it after
      its own writes, so a sync that writes the Deployment twice gets ``409 Conflict`` on the second write and is
      retried 5 ms later; this shows in the API log exactly as the conflicts show in kube-controller-manager's log.
    * The Pods of a Deployment are listed only when a Recreate rollout needs them (upstream lists them on every
      sync, ``getPodMapForDeployment``, though only Recreate uses them); the result is the same.
    * The deprecated server-side rollback (the ``deprecated.deployment.rollback.to`` annotation of
      ``extensions/v1beta1``, ``rollback.go``) and the alpha ``status.terminatingReplicas``
      (``DeploymentReplicaSetTerminatingReplicas``, 1.33) are not modelled.
    * Metrics (``deployment_controller_*``) and klog lines. Decisions are logged with ``sim.log`` instead:
      ``deployment.scale`` (``deployment``, ``replicaset``, ``old``, ``new`` and the ``step`` that decided it:
      ``create``, ``surge``, ``new-down``, ``cleanup-unhealthy``, ``scale-down-old``, ``proportional``,
      ``recreate-down``, ``recreate-up``), ``deployment.cleanup`` (an old ReplicaSet deleted past
      ``revisionHistoryLimit``) and ``deployment.hash_collision``; every sync is ``controller.reconcile``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from k8smodel.api.defaults import _deepcopy
from k8smodel.api.errors import StatusError
from k8smodel.api.labels import SelectorError, label_selector_as_selector
from k8smodel.apiserver.authn import UserInfo
from k8smodel.client import Informer
from k8smodel.controllers import deployment_util as du
from k8smodel.controllers.base import Controller, ReconcileError, controller_user, object_of
from k8smodel.controllers.controller_utils import (
    ReplicaSetControllerRefManager,
    fresh_owner_getter,
    get_controller_of,
    recheck_deletion_timestamp,
)
from k8smodel.controllers.deployment_progress import RolloutProgress, get_replica_failures
from k8smodel.controllers.deployment_rolling import RollingUpdateAndRecreate, old_pods_running
from k8smodel.controllers.deployment_sync import CONTROLLER_KIND, DeploymentSync, calculate_status, plan_scale
from k8smodel.record import WARNING, EventRecorder
from k8smodel.sim import Simulation

Obj = dict[str, Any]

DEPLOYMENT_CONTROLLER_USER = controller_user("deployment-controller")
"""``system:serviceaccount:kube-system:deployment-controller`` (in ``system:masters``, see ``controller_user``)."""

MAX_RETRIES = 15  # maxRetries (documented, not enforced: see the module docstring)
SELECTING_ALL = "SelectingAll"


class DeploymentController(DeploymentSync, RollingUpdateAndRecreate, RolloutProgress, Controller):
    """kube-controller-manager's ``deployment`` controller (see the module docstring).

    Informers may be passed in (a cluster's shared ones) or are built on ``api.lister_watcher`` as ``user``.
    """

    name = "deployment-controller"

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        *,
        deployment_informer: Informer | None = None,
        replicaset_informer: Informer | None = None,
        pod_informer: Informer | None = None,
        user: UserInfo = DEPLOYMENT_CONTROLLER_USER,
        workers: int = 1,
    ) -> None:
        super().__init__(sim, api, user=user, queue_name="deployment", workers=workers)
        self.deployments = deployment_informer or Informer(
            sim, api.lister_watcher("deployments", user=user), name="deployment/deployments"
        )
        self.replicasets = replicaset_informer or Informer(
            sim, api.lister_watcher("replicasets", user=user), name="deployment/replicasets"
        )
        self.pods = pod_informer or Informer(sim, api.lister_watcher("pods", user=user), name="deployment/pods")
        self.recorder = EventRecorder(sim, api, self.name, user=user)
        self.watch(self.deployments, self.add_deployment, self.update_deployment, self.delete_deployment)
        self.watch(self.replicasets, self.add_replica_set, self.update_replica_set, self.delete_replica_set)
        self.watch(self.pods, on_delete=self.delete_pod)

    # ================================================================================================================
    # deployment_controller.go: event handlers

    def add_deployment(self, d: Obj) -> None:
        """``addDeployment``."""
        self.enqueue(d)

    def update_deployment(self, old: Obj, cur: Obj) -> None:
        """``updateDeployment``."""
        self.enqueue(cur)

    def delete_deployment(self, obj: Any) -> None:
        """``deleteDeployment``: the sync finds it gone and does nothing (owned ReplicaSets go with the garbage
        collector)."""
        self.enqueue(object_of(obj))

    def add_replica_set(self, rs: Obj) -> None:
        """``addReplicaSet``: wake the controlling Deployment, or every Deployment that could adopt an orphan."""
        if rs["metadata"].get("deletionTimestamp"):
            # On a restart of the controller manager an object may show up already pending deletion.
            self.delete_replica_set(rs)
            return
        ref = get_controller_of(rs)
        if ref is not None:
            d = self.resolve_controller_ref(rs["metadata"].get("namespace", ""), ref)
            if d is not None:
                self.enqueue(d)
            return
        for d in self.get_deployments_for_replica_set(rs):
            self.enqueue(d)

    def update_replica_set(self, old: Obj, cur: Obj) -> None:
        """``updateReplicaSet``: a resync (same resourceVersion) is ignored; a changed controller reference wakes
        the old controller too; an orphan whose labels changed wakes the Deployments that could adopt it."""
        if cur["metadata"].get("resourceVersion") == old["metadata"].get("resourceVersion"):
            return
        cur_ref, old_ref = get_controller_of(cur), get_controller_of(old)
        ref_changed = cur_ref != old_ref
        namespace = cur["metadata"].get("namespace", "")
        if ref_changed and old_ref is not None:
            d = self.resolve_controller_ref(old["metadata"].get("namespace", ""), old_ref)
            if d is not None:
                self.enqueue(d)
        if cur_ref is not None:
            d = self.resolve_controller_ref(namespace, cur_ref)
            if d is not None:
                self.enqueue(d)
            return
        if ref_changed or cur["metadata"].get("labels") != old["metadata"].get("labels"):
            for d in self.get_deployments_for_replica_set(cur):
                self.enqueue(d)

    def delete_replica_set(self, obj: Any) -> None:
        """``deleteReplicaSet``: wake the controlling Deployment (no one cares about an orphan being deleted)."""
        rs = object_of(obj)
        ref = get_controller_of(rs)
        if ref is None:
            return
        d = self.resolve_controller_ref(rs["metadata"].get("namespace", ""), ref)
        if d is not None:
            self.enqueue(d)

    def delete_pod(self, obj: Any) -> None:
        """``deletePod``: a Recreate Deployment is synced once the last of its Pods is gone (so the new ReplicaSet
        can start). Like upstream it lists the ReplicaSets from the API server, not the cache."""
        pod = object_of(obj)
        d = self.get_deployment_for_pod(pod)
        if d is None or (du._spec(d).get("strategy") or {}).get("type") != du.RECREATE:
            return
        try:
            rs_list = du.list_replica_sets(d, self._rs_list_from_client)
        except StatusError:
            return
        pod_map = self.get_pod_map_for_deployment(d, rs_list)
        if sum(len(pods) for pods in pod_map.values()) == 0:
            self.enqueue(d)

    def _rs_list_from_client(self, namespace: str, selector: Any) -> list[Obj]:
        """``RsListFromClient``: list ReplicaSets from the API server."""
        items, _ = self.api.list("replicasets", namespace, label_selector=selector, user=self.user)
        return items

    def get_deployments_for_replica_set(self, rs: Mapping[str, Any]) -> list[Obj]:
        """``GetDeploymentsForReplicaSet``: the Deployments whose (non-empty) selector matches the ReplicaSet's
        labels. More than one is a user error, which controller references keep harmless."""
        labels = rs["metadata"].get("labels")
        if not labels:
            return []
        found = []
        for d in self.deployments.list(namespace=rs["metadata"].get("namespace") or "default"):
            try:
                selector = label_selector_as_selector(du._spec(d).get("selector"))
            except (SelectorError, ValueError):
                continue
            if selector.empty() or not selector.matches(labels):
                continue  # a nil or empty selector matches nothing here, not everything
            found.append(d)
        return found

    def get_deployment_for_pod(self, pod: Mapping[str, Any]) -> Obj | None:
        """``getDeploymentForPod``: the Pod's controlling ReplicaSet's controlling Deployment."""
        ref = get_controller_of(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return None
        namespace = pod["metadata"].get("namespace", "")
        rs = self.replicasets.get(f"{namespace}/{ref.get('name')}")
        if rs is None or rs["metadata"].get("uid") != ref.get("uid"):
            return None
        rs_ref = get_controller_of(rs)
        if rs_ref is None:
            return None
        return self.resolve_controller_ref(namespace, rs_ref)

    def resolve_controller_ref(self, namespace: str, ref: Mapping[str, Any]) -> Obj | None:
        """``resolveControllerRef``: the cached Deployment a controller reference names, if its UID matches."""
        if ref.get("kind") != CONTROLLER_KIND[1]:
            return None
        d = self.deployments.get(f"{namespace}/{ref.get('name')}")
        if d is None or d["metadata"].get("uid") != ref.get("uid"):
            return None
        return d

    # ================================================================================================================
    # deployment_controller.go: the sync

    def reconcile(self, key: str) -> None:
        """``syncDeployment``: bring one Deployment's ReplicaSets to what it asks for."""
        cached = self.deployments.get(key)
        if cached is None:
            return  # deleted
        d = _deepcopy(cached)  # never mutate the cache
        spec = d.get("spec") or {}
        if spec.get("selector") == {}:
            self.recorder.event(
                d, WARNING, SELECTING_ALL, "This deployment is selecting all pods. A non-empty selector is required."
            )
            status = d.setdefault("status", {})
            if (status.get("observedGeneration") or 0) < (d["metadata"].get("generation") or 0):
                status["observedGeneration"] = d["metadata"].get("generation")
                self.api.update_status(d, user=self.user)
            return
        rs_list = self.get_replica_sets_for_deployment(d)
        if d["metadata"].get("deletionTimestamp"):
            self.sync_status_only(d, rs_list)
            return
        # An Unknown Progressing condition while paused, so a resumed Deployment does not time out at once.
        self.check_paused_conditions(d)
        if spec.get("paused"):
            self.sync(d, rs_list)
            return
        if self.is_scaling_event(d, rs_list):
            self.sync(d, rs_list)
            return
        strategy = (spec.get("strategy") or {}).get("type")
        if strategy == du.RECREATE:
            self.rollout_recreate(d, rs_list, lambda: self.get_pod_map_for_deployment(d, rs_list))
        elif strategy == du.ROLLING_UPDATE:
            self.rollout_rolling(d, rs_list)
        else:
            raise ReconcileError(f"unexpected deployment strategy type: {strategy}")

    def get_replica_sets_for_deployment(self, d: Obj) -> list[Obj]:
        """``getReplicaSetsForDeployment``: the ReplicaSets this Deployment controls, after adopting matching
        orphans and releasing owned ones its selector no longer matches (``ClaimReplicaSets``). Adoption first
        re-reads the Deployment from the API server to be sure it is not being deleted."""
        meta = d["metadata"]
        rs_list = self.replicasets.list(namespace=meta.get("namespace") or "default")
        try:
            selector = label_selector_as_selector(du._spec(d).get("selector"))
        except (SelectorError, ValueError) as err:
            raise ReconcileError(
                f"deployment {meta.get('namespace')}/{meta['name']} has invalid label selector: {err}"
            ) from None
        can_adopt = recheck_deletion_timestamp(fresh_owner_getter(self.api, "deployments", "Deployment", d, self.user))
        manager = ReplicaSetControllerRefManager(self.api, d, selector, CONTROLLER_KIND, can_adopt, user=self.user)
        claimed, err = manager.claim_replica_sets(rs_list)
        if err is not None:
            raise err
        return claimed

    def get_pod_map_for_deployment(self, d: Obj, rs_list: Sequence[Obj]) -> dict[str, list[Obj]]:
        """``getPodMapForDeployment``: the Deployment's Pods grouped by the UID of their ReplicaSet (inactive Pods
        included: Recreate must see every old Pod gone)."""
        selector = label_selector_as_selector(du._spec(d).get("selector"))
        pod_map: dict[str, list[Obj]] = {rs["metadata"]["uid"]: [] for rs in rs_list}
        for pod in self.pods.list(selector, namespace=d["metadata"].get("namespace") or "default"):
            ref = get_controller_of(pod)
            if ref is not None and ref.get("uid") in pod_map:
                pod_map[ref["uid"]].append(pod)
        return pod_map


__all__ = [
    "CONTROLLER_KIND",
    "DEPLOYMENT_CONTROLLER_USER",
    "MAX_RETRIES",
    "DeploymentController",
    "calculate_status",
    "get_replica_failures",
    "old_pods_running",
    "plan_scale",
]
