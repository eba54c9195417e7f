"""The Deployment controller in a running cluster (scheduler, kubelets, ReplicaSet controller): rolling updates,
Recreate, pause and resume, the progress deadline, revision history, proportional scaling (the worked example of the
Kubernetes documentation, "Proportional scaling"), adoption and hash collisions."""

from __future__ import annotations

import pytest

from k8smodel.cluster import Cluster
from k8smodel.controllers import deployment_util as du
from k8smodel.controllers.controller_utils import compute_hash, get_controller_of
from k8smodel.controllers.deployment import DeploymentController
from k8smodel.controllers.replicaset import ReplicaSetController
from k8smodel.rollout import RolloutError, rollout_pause, rollout_resume, rollout_status, rollout_undo, scale, set_image


def make_cluster(nodes: int = 3) -> tuple[Cluster, DeploymentController]:
    cluster = Cluster(seed=0)
    pods, replicasets = cluster.shared_informer("pods"), cluster.shared_informer("replicasets")
    cluster.add_control_plane_component(
        "replicaset-controller",
        ReplicaSetController(cluster.sim, cluster.api, rs_informer=replicasets, pod_informer=pods),
    )
    dc = DeploymentController(
        cluster.sim,
        cluster.api,
        deployment_informer=cluster.shared_informer("deployments"),
        replicaset_informer=replicasets,
        pod_informer=pods,
    )
    cluster.add_control_plane_component("deployment-controller", dc)
    if nodes:
        cluster.add_nodes(nodes, cpu="8", memory="32Gi")
        cluster.run_for("15s")
    else:
        cluster.start_control_plane()
    return cluster, dc


def manifest(
    replicas: int = 3,
    image: str = "nginx:1.25",
    *,
    strategy: str = "type: RollingUpdate",
    extra_spec: str = "",
    behavior: str = "",
) -> str:
    annotations = f"\n      annotations:\n        k8smodel.io/behavior: '{behavior}'" if behavior else ""
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: {replicas}
  strategy: {{{strategy}}}{extra_spec}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata:
      labels: {{app: web}}{annotations}
    spec:
      containers: [{{name: nginx, image: "{image}", ports: [{{containerPort: 80}}]}}]
"""


def deployment_events(cluster: Cluster) -> list[str]:
    events = cluster.api.list("events", "default")[0]
    events = [e for e in events if e["source"]["component"] == "deployment-controller"]
    return [e["message"] for e in sorted(events, key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))]


def replica_sets(cluster: Cluster) -> dict[str, dict]:
    return {rs["metadata"]["name"]: rs for rs in cluster.api.list("replicasets", "default")[0]}


def test_creating_a_deployment_makes_a_replica_set_named_by_the_template_hash():
    cluster, _ = make_cluster()
    cluster.apply(manifest(3))
    out = rollout_status(cluster.api, "web")
    assert out.endswith('deployment "web" successfully rolled out\n')
    d = cluster.api.get("deployments", "web", "default")
    rss = replica_sets(cluster)
    assert len(rss) == 1
    (name, rs) = next(iter(rss.items()))
    pod_template_hash = compute_hash(d["spec"]["template"], None)
    assert name == f"web-{pod_template_hash}"
    assert rs["metadata"]["labels"] == {"app": "web", "pod-template-hash": pod_template_hash}
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": pod_template_hash}
    assert get_controller_of(rs)["uid"] == d["metadata"]["uid"]
    assert rs["metadata"]["annotations"] == {
        du.REVISION_ANNOTATION: "1",
        du.DESIRED_REPLICAS_ANNOTATION: "3",
        du.MAX_REPLICAS_ANNOTATION: "4",  # 3 + maxSurge (25% of 3, rounded up)
    }
    assert d["metadata"]["annotations"][du.REVISION_ANNOTATION] == "1"
    pods = cluster.api.list("pods", "default")[0]
    assert {p["metadata"]["labels"]["pod-template-hash"] for p in pods} == {pod_template_hash}
    assert deployment_events(cluster) == [f"Scaled up replica set {name} from 0 to 3"]
    status = d["status"]
    assert {k: status[k] for k in ("observedGeneration", "replicas", "updatedReplicas", "availableReplicas")} == {
        "observedGeneration": d["metadata"]["generation"],
        "replicas": 3,
        "updatedReplicas": 3,
        "availableReplicas": 3,
    }
    assert "unavailableReplicas" not in status  # zero: omitted, as Go's omitempty omits it
    conditions = {c["type"]: (c["status"], c["reason"]) for c in status["conditions"]}
    assert conditions == {
        "Available": ("True", "MinimumReplicasAvailable"),
        "Progressing": ("True", "NewReplicaSetAvailable"),
    }


def test_rolling_update_of_ten_replicas_moves_in_upstream_steps():
    """10 replicas, 25 %/25 %: maxSurge 3, maxUnavailable 2. The first step scales the new ReplicaSet to 3 (13 Pods),
    the next scales the old one down to 8 (10 - 2 available is enough), and so on; old ReplicaSets are kept at 0."""
    cluster, _ = make_cluster()
    cluster.apply(manifest(10, behavior='{"nginx": {"readyAfter": "5s"}}'))
    rollout_status(cluster.api, "web")
    old = next(iter(replica_sets(cluster)))
    set_image(cluster.api, "web", {"nginx": "nginx:1.26"})
    rollout_status(cluster.api, "web")
    new = next(n for n in replica_sets(cluster) if n != old)
    events = deployment_events(cluster)[1:]
    assert events[:2] == [
        f"Scaled up replica set {new} from 0 to 3",
        f"Scaled down replica set {old} from 10 to 8",
    ]
    # (the recorder combines similar events after ten: "(combined from similar events): Scaled down ...")
    assert events[-1].endswith(f"Scaled down replica set {old} from 1 to 0")
    rss = replica_sets(cluster)
    assert (rss[old]["spec"]["replicas"], rss[new]["spec"]["replicas"]) == (0, 10)
    assert rss[old]["metadata"]["annotations"][du.REVISION_ANNOTATION] == "1"
    assert rss[new]["metadata"]["annotations"][du.REVISION_ANNOTATION] == "2"
    d = cluster.api.get("deployments", "web", "default")
    assert d["metadata"]["annotations"][du.REVISION_ANNOTATION] == "2"
    progressing = du.get_deployment_condition(d["status"], "Progressing")
    assert progressing["message"] == f'ReplicaSet "{new}" has successfully progressed.'


def test_recreate_scales_old_pods_to_zero_and_waits_until_they_are_gone():
    cluster, _ = make_cluster()
    cluster.apply(manifest(3, strategy="type: Recreate", behavior='{"nginx": {"shutdownDelay": "10s"}}'))
    rollout_status(cluster.api, "web")
    old = next(iter(replica_sets(cluster)))
    seen = []  # (time, old Pods still there) whenever a Pod of another ReplicaSet appears
    pods = cluster.shared_informer("pods")

    def on_add(pod):
        if pod["metadata"]["labels"]["pod-template-hash"] != old.removeprefix("web-"):
            olds = [p for p in pods.list() if p["metadata"]["labels"]["pod-template-hash"] == old.removeprefix("web-")]
            seen.append((cluster.now, len(olds)))

    pods.add_event_handler(on_add=on_add)
    start = cluster.now
    set_image(cluster.api, "web", {"nginx": "nginx:1.26"})
    rollout_status(cluster.api, "web")
    assert len(seen) == 3
    assert all(count == 0 for _, count in seen)  # not one new Pod while an old one (even terminating) existed
    assert min(t for t, _ in seen) >= start + 10  # the old Pods took their 10 s to shut down first
    new = next(n for n in replica_sets(cluster) if n != old)
    assert deployment_events(cluster)[1:] == [
        f"Scaled down replica set {old} from 3 to 0",
        f"Scaled up replica set {new} from 0 to 3",
    ]


def test_pause_holds_template_changes_until_resume():
    cluster, _ = make_cluster()
    cluster.apply(manifest(2, extra_spec="\n  progressDeadlineSeconds: 60"))
    rollout_status(cluster.api, "web")
    rollout_pause(cluster.api, "web")
    set_image(cluster.api, "web", {"nginx": "nginx:1.26"})
    cluster.run_for("120s")  # twice the progress deadline: paused time does not count
    assert len(replica_sets(cluster)) == 1  # no new ReplicaSet while paused
    d = cluster.api.get("deployments", "web", "default")
    cond = du.get_deployment_condition(d["status"], "Progressing")
    assert (cond["status"], cond["reason"], cond["message"]) == ("Unknown", "DeploymentPaused", "Deployment is paused")
    scale(cluster.api, "web", 4)  # a paused Deployment still scales
    cluster.run_for("10s")
    assert [rs["spec"]["replicas"] for rs in replica_sets(cluster).values()] == [4]
    rollout_resume(cluster.api, "web")
    out = rollout_status(cluster.api, "web")
    assert out.endswith('deployment "web" successfully rolled out\n')
    assert len(replica_sets(cluster)) == 2
    d = cluster.api.get("deployments", "web", "default")
    cond = du.get_deployment_condition(d["status"], "Progressing")
    assert (cond["status"], cond["reason"]) == ("True", "NewReplicaSetAvailable")


def test_a_bad_image_exceeds_the_progress_deadline_and_undo_recovers():
    cluster, _ = make_cluster()
    cluster.apply(manifest(4, extra_spec="\n  progressDeadlineSeconds: 30"))
    rollout_status(cluster.api, "web")
    good = next(iter(replica_sets(cluster)))
    set_image(cluster.api, "web", {"nginx": "nginx:no-such-tag"})
    started = cluster.now
    with pytest.raises(RolloutError, match='error: deployment "web" exceeded its progress deadline') as info:
        rollout_status(cluster.api, "web")
    assert "new replicas have been updated" in info.value.output
    d = cluster.api.get("deployments", "web", "default")
    cond = du.get_deployment_condition(d["status"], "Progressing")
    bad = next(n for n in replica_sets(cluster) if n != good)
    assert (cond["status"], cond["reason"]) == ("False", "ProgressDeadlineExceeded")
    assert cond["message"] == f'ReplicaSet "{bad}" has timed out progressing.'
    # the controller requeued itself for the deadline (lastUpdateTime + 30 s, plus a second): nothing else woke it
    assert 30 < cluster.now - started < 33
    # maxUnavailable 1 (25% of 4): 3 old Pods stay available; maxSurge 1: 2 new ones that never start
    rss = replica_sets(cluster)
    assert (rss[good]["spec"]["replicas"], rss[bad]["spec"]["replicas"]) == (3, 2)
    assert d["status"]["availableReplicas"] == 3
    assert rollout_undo(cluster.api, "web") == "deployment.apps/web rolled back\n"
    assert rollout_status(cluster.api, "web").endswith('deployment "web" successfully rolled out\n')
    rss = replica_sets(cluster)
    assert (rss[good]["spec"]["replicas"], rss[bad]["spec"]["replicas"]) == (4, 0)
    assert rss[good]["metadata"]["annotations"][du.REVISION_ANNOTATION] == "3"  # rolled back to: a new revision
    assert rss[good]["metadata"]["annotations"][du.REVISION_HISTORY_ANNOTATION] == "1"


def test_revision_history_limit_keeps_that_many_old_replica_sets():
    cluster, _ = make_cluster()
    cluster.apply(manifest(1, extra_spec="\n  revisionHistoryLimit: 2"))
    rollout_status(cluster.api, "web")
    for image in ("nginx:1.26", "nginx:1.27", "nginx:1.28", "nginx:1.29"):
        set_image(cluster.api, "web", {"nginx": image})
        rollout_status(cluster.api, "web")
    cluster.run_for("5s")
    revisions = sorted(
        int(rs["metadata"]["annotations"][du.REVISION_ANNOTATION]) for rs in replica_sets(cluster).values()
    )
    assert revisions == [3, 4, 5]  # the current one and the 2 newest old ones


def test_proportional_scaling_follows_the_documented_example():
    """kubernetes.io/docs/concepts/workloads/controllers/deployment/#proportional-scaling: 10 replicas, maxSurge 3,
    maxUnavailable 2, rolled to an image that cannot be pulled: the new ReplicaSet has 5 replicas (none available),
    the old one 8. Scaled to 15, the 5 extra replicas are shared 3 (old) to 2 (new)."""
    cluster, _ = make_cluster()
    cluster.apply(manifest(10, strategy="type: RollingUpdate, rollingUpdate: {maxSurge: 3, maxUnavailable: 2}"))
    rollout_status(cluster.api, "web")
    old = next(iter(replica_sets(cluster)))
    set_image(cluster.api, "web", {"nginx": "nginx:no-such-tag"})
    cluster.run_for("30s")
    new = next(n for n in replica_sets(cluster) if n != old)
    rss = replica_sets(cluster)
    assert (rss[old]["spec"]["replicas"], rss[new]["spec"]["replicas"]) == (8, 5)
    scale(cluster.api, "web", 15)
    cluster.run_for("1s")
    rss = replica_sets(cluster)
    assert (rss[old]["spec"]["replicas"], rss[new]["spec"]["replicas"]) == (11, 7)
    for rs in (rss[old], rss[new]):
        assert rs["metadata"]["annotations"][du.DESIRED_REPLICAS_ANNOTATION] == "15"
        assert rs["metadata"]["annotations"][du.MAX_REPLICAS_ANNOTATION] == "18"
    assert deployment_events(cluster)[-2:] == [
        f"Scaled up replica set {old} from 8 to 11",
        f"Scaled up replica set {new} from 5 to 7",
    ]


def test_an_orphan_replica_set_with_the_template_is_adopted_not_duplicated():
    cluster, _ = make_cluster(nodes=0)
    template = {
        "metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80}]}]},
    }
    cluster.api.create(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": "web-handmade", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": template},
        }
    )
    cluster.apply(manifest(3))
    cluster.run_for("1s")
    rss = replica_sets(cluster)
    assert list(rss) == ["web-handmade"]
    d = cluster.api.get("deployments", "web", "default")
    assert get_controller_of(rss["web-handmade"])["uid"] == d["metadata"]["uid"]
    assert rss["web-handmade"]["metadata"]["annotations"][du.REVISION_ANNOTATION] == "1"
    assert du.get_deployment_condition(d["status"], "Progressing")["reason"] in (
        du.FOUND_NEW_RS_REASON,
        du.REPLICA_SET_UPDATED_REASON,
    )


def test_a_hash_collision_bumps_the_collision_count():
    """A ReplicaSet already has the name the template hashes to, with another template: the controller counts a
    collision in status.collisionCount and the next sync hashes with it (sync.go getNewReplicaSet)."""
    cluster, _ = make_cluster(nodes=0)
    cluster.apply(manifest(2))
    cluster.run_for("1s")
    d = cluster.api.get("deployments", "web", "default")
    first = next(iter(replica_sets(cluster)))
    cluster.api.delete("deployments", "web", "default", propagation_policy="Orphan")
    cluster.run_for("1s")
    # the orphaned ReplicaSet keeps its name but gets another template; a new Deployment with the original template
    # adopts it (its selector matches) and then finds its own ReplicaSet name taken
    rs = cluster.api.get("replicasets", first, "default")
    rs["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.26"
    rs["metadata"]["ownerReferences"] = []
    cluster.api.update(rs)
    cluster.apply(manifest(2))
    cluster.run_for("1s")
    d = cluster.api.get("deployments", "web", "default")
    assert d["status"].get("collisionCount") == 1
    names = set(replica_sets(cluster))
    assert first in names and len(names) == 2
    other = (names - {first}).pop()
    assert other == f"web-{compute_hash(d['spec']['template'], 1)}"


def test_deleting_a_deployment_is_left_to_the_garbage_collector():
    cluster, dc = make_cluster(nodes=0)
    cluster.apply(manifest(2))
    cluster.run_for("1s")
    reconciles, failures = dc.reconciles, dc.failures
    cluster.api.delete("deployments", "web", "default")
    cluster.run_for("1s")
    assert dc.reconciles > reconciles and dc.failures == failures  # synced, found it gone, did nothing
    assert replica_sets(cluster) == {}  # the garbage collector deleted the ReplicaSet it owned
