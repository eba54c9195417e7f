"""deployment_progress: the Deployment controller's ``progress.go`` — is the rollout getting anywhere?

Part of :class:`k8smodel.controllers.deployment.DeploymentController` (a mixin, split off by upstream file).

The ``Progressing`` condition tells a user (and ``kubectl rollout status``) how a rollout goes:

* ``True``, ``NewReplicaSetCreated`` (or ``FoundNewReplicaSet``) when a rollout starts;
* ``True``, ``ReplicaSetUpdated`` ("ReplicaSet "web-5d78c9b8f" is progressing.") whenever a sync sees progress:
  more Pods updated, fewer old ones, more ready or available (``DeploymentProgressing``); each time its
  ``lastUpdateTime`` moves on;
* ``True``, ``NewReplicaSetAvailable`` ("... has successfully progressed.") when the rollout is complete;
* ``False``, ``ProgressDeadlineExceeded`` ("... has timed out progressing.") when ``lastUpdateTime`` is more than
  ``progressDeadlineSeconds`` (default 600) in the past. The controller does not undo anything then: it only
  reports; ``kubectl rollout status`` exits with an error, and a user (or a pipeline) decides, usually ``kubectl
  rollout undo``.

Nothing else would wake a stuck Deployment at the deadline (its ReplicaSets do not change), so a sync that sees no
progress requeues the Deployment for ``lastUpdateTime + progressDeadlineSeconds - now`` plus a second
(``requeueStuckDeployment``, kubernetes#34458).

Upstream: ``pkg/controller/deployment/progress.go``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from k8smodel.api.field import go_quote
from k8smodel.controllers import deployment_util as du
from k8smodel.controllers.deployment_sync import _key, calculate_status

Obj = dict[str, Any]


class RolloutProgress:
    """The ``progress.go`` methods of the Deployment controller (a mixin of
    :class:`~k8smodel.controllers.deployment.DeploymentController`)."""

    def sync_rollout_status(self, all_rss: Sequence[Obj | None], new_rs: Obj | None, d: Obj) -> None:
        """``syncRolloutStatus``: the status during a rollout, with the ``Progressing`` condition estimated (see
        the module docstring) and ReplicaSets' ``ReplicaFailure`` conditions promoted; a stuck rollout is requeued
        for when its deadline passes."""
        now = self._now()
        new_status = calculate_status(all_rss, new_rs, d, now)
        if not du.has_progress_deadline(d):
            du.remove_deployment_condition(new_status, du.DEPLOYMENT_PROGRESSING)
        current = du.get_deployment_condition(d.get("status"), du.DEPLOYMENT_PROGRESSING)
        is_complete = (
            (new_status.get("replicas") or 0) == (new_status.get("updatedReplicas") or 0)
            and current is not None
            and current.get("reason") == du.NEW_RS_AVAILABLE_REASON
        )
        if du.has_progress_deadline(d) and not is_complete:
            name = d["metadata"]["name"]
            if du.deployment_complete(d, new_status):
                msg = f"Deployment {go_quote(name)} has successfully progressed."
                if new_rs is not None:
                    msg = f"ReplicaSet {go_quote(new_rs['metadata']['name'])} has successfully progressed."
                condition = du.new_deployment_condition(
                    du.DEPLOYMENT_PROGRESSING, "True", du.NEW_RS_AVAILABLE_REASON, msg, now
                )
                du.set_deployment_condition(new_status, condition)
            elif du.deployment_progressing(d, new_status):
                msg = f"Deployment {go_quote(name)} is progressing."
                if new_rs is not None:
                    msg = f"ReplicaSet {go_quote(new_rs['metadata']['name'])} is progressing."
                condition = du.new_deployment_condition(
                    du.DEPLOYMENT_PROGRESSING, "True", du.REPLICA_SET_UPDATED_REASON, msg, now
                )
                # Progressing is special: with the same reason, still update lastUpdateTime (and keep the
                # lastTransitionTime of a True condition), which set_deployment_condition would not do.
                if current is not None:
                    if current.get("status") == "True":
                        condition["lastTransitionTime"] = current.get("lastTransitionTime")
                    du.remove_deployment_condition(new_status, du.DEPLOYMENT_PROGRESSING)
                du.set_deployment_condition(new_status, condition)
            elif du.deployment_timed_out(d, new_status, self.sim.timestamp()):
                msg = f"Deployment {go_quote(name)} has timed out progressing."
                if new_rs is not None:
                    msg = f"ReplicaSet {go_quote(new_rs['metadata']['name'])} has timed out progressing."
                condition = du.new_deployment_condition(
                    du.DEPLOYMENT_PROGRESSING, "False", du.TIMED_OUT_REASON, msg, now
                )
                du.set_deployment_condition(new_status, condition)
        failures = get_replica_failures(all_rss, new_rs)
        if failures:
            du.set_deployment_condition(new_status, failures[0])
        else:
            du.remove_deployment_condition(new_status, du.DEPLOYMENT_REPLICA_FAILURE)
        if new_status == (d.get("status") or {}):
            self.requeue_stuck_deployment(d, new_status)
            return
        d["status"] = new_status
        self.api.update_status(d, user=self.user)

    def requeue_stuck_deployment(self, d: Obj, new_status: Mapping[str, Any]) -> float:
        """``requeueStuckDeployment``: when the status shows no progress, sync again when the deadline passes
        (``lastUpdateTime + progressDeadlineSeconds - now``, plus a second for clock skew; at once, rate-limited,
        if less than a second is left). Returns that delay, or -1 when no check is needed."""
        current = du.get_deployment_condition(d.get("status"), du.DEPLOYMENT_PROGRESSING)
        if not du.has_progress_deadline(d) or current is None:
            return -1.0
        if du.deployment_complete(d, new_status) or current.get("reason") == du.TIMED_OUT_REASON:
            return -1.0
        since = du.parse_rfc3339(current.get("lastUpdateTime"))
        now = self.sim.timestamp()
        after = -1e9 if since is None else (since - now).total_seconds() + du._spec(d)["progressDeadlineSeconds"]
        key = _key(d)
        if after < 1.0:
            self.queue.add_rate_limited(key)
            return 0.0
        self.enqueue_after(key, after + 1.0)
        return after


def get_replica_failures(all_rss: Sequence[Obj | None], new_rs: Obj | None) -> list[Obj]:
    """``getReplicaFailures``: the new ReplicaSet's ``ReplicaFailure`` conditions, else the other ones'."""
    conditions = []
    if new_rs is not None:
        for c in du._status(new_rs).get("conditions") or ():
            if c.get("type") == du.REPLICA_SET_REPLICA_FAILURE:
                conditions.append(du.replica_set_to_deployment_condition(c))
    if conditions:
        return conditions
    for rs in all_rss:
        if rs is None:
            continue
        for c in du._status(rs).get("conditions") or ():
            if c.get("type") == du.REPLICA_SET_REPLICA_FAILURE:
                conditions.append(du.replica_set_to_deployment_condition(c))
    return conditions


__all__ = ["RolloutProgress", "get_replica_failures"]
