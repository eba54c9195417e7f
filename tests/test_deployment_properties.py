"""Property tests of rolling updates (hypothesis): maxSurge and maxUnavailable hold during any rollout.

What upstream guarantees, and so what is asserted (``rolling.go``, ``sync.go``):

* **Surge.** The controller never lets the ReplicaSets of a Deployment want more than ``replicas + maxSurge`` Pods
  (``NewRSNewReplicas`` caps every scale-up; proportional scaling distributes exactly ``replicas + maxSurge``), and
  the ReplicaSet controller runs no more Pods than its ReplicaSet wants. So the *active* Pods (not terminating, not
  finished: the ones a ReplicaSet counts in ``status.replicas``) never exceed ``replicas + maxSurge``. Pods that are
  terminating are not counted: a Pod being deleted is no longer the ReplicaSet's, and upstream does not wait for it
  (unless the ``DeploymentReplicaSetTerminatingReplicas``/``podReplacementPolicy`` features ask for that).
* **Unavailability.** The controller scales an old ReplicaSet down only by as many Pods as the ReplicaSets report
  available above ``replicas - maxUnavailable``, or by Pods its ReplicaSet reports unavailable anyway. So it never
  takes availability below ``replicas - maxUnavailable`` — but it cannot create availability either: right after
  the Deployment is created or scaled *up*, fewer Pods are available than the new bound asks, until the new Pods
  are ready. The assertion is therefore the upstream one: availability never *drops* below the bound, i.e. at every
  moment ``available >= min(available a moment before, replicas - maxUnavailable)``. The one exception is a scaling
  event that *lowers* ``replicas``: that is not a rollout step, and upstream shares the new size among the
  ReplicaSets in proportion to their sizes (``scale`` in ``sync.go``) without looking at availability, so at that
  moment availability may drop below the new bound (the next rollout steps then respect it again). Available counts
  what the controller counts, the ReplicaSets' ``status.availableReplicas``, and, separately, the Pods that are
  really available (ready for more than ``minReadySeconds``) in the same monotone form.

"A moment" is a simulated instant after all the events of that instant: components react in zero simulated time, so
the states in between (a ReplicaSet scaled down, its Pods not yet deleted) are not observable by anyone and are not
checked. Runs are small (up to 6 replicas on 3 nodes) and derandomized, so the test is fast and repeatable; the
rollout must also converge (``rollout status`` succeeds, every Pod updated and available) once the changes stop.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8smodel.cluster import Cluster
from k8smodel.controllers import deployment_util as du
from k8smodel.controllers.controller_utils import get_controller_of, is_pod_available, unix_now
from k8smodel.controllers.deployment import DeploymentController
from k8smodel.controllers.replicaset import ReplicaSetController
from k8smodel.rollout import rollout_status, scale, set_image

IMAGES = ["nginx:1.25", "nginx:1.26", "nginx:1.27", "nginx:1.28", "nginx:1.29"]
FENCEPOSTS = st.sampled_from([0, 1, 2, "25%", "50%", "100%"])


def _manifest(replicas: int, surge, unavailable, min_ready: int, ready_after: int) -> str:
    def q(v):
        return f'"{v}"' if isinstance(v, str) else str(v)

    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: {replicas}
  minReadySeconds: {min_ready}
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: {q(surge)}, maxUnavailable: {q(unavailable)}}}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata:
      labels: {{app: web}}
      annotations:
        k8smodel.io/behavior: '{{"nginx": {{"readyAfter": "{ready_after}s", "shutdownDelay": "2s"}}}}'
    spec:
      containers:
      - name: nginx
        image: {IMAGES[0]}
        ports: [{{containerPort: 80}}]
        readinessProbe: {{httpGet: {{path: /, port: 80}}, periodSeconds: 1}}
"""


def _cluster() -> Cluster:
    cluster = Cluster(seed=0)
    cluster.sim.log_enabled = False
    pods, replicasets = cluster.shared_informer("pods"), cluster.shared_informer("replicasets")
    cluster.add_control_plane_component(
        "replicaset-controller",
        ReplicaSetController(cluster.sim, cluster.api, rs_informer=replicasets, pod_informer=pods),
    )
    cluster.add_control_plane_component(
        "deployment-controller",
        DeploymentController(
            cluster.sim,
            cluster.api,
            deployment_informer=cluster.shared_informer("deployments"),
            replicaset_informer=replicasets,
            pod_informer=pods,
        ),
    )
    cluster.add_nodes(3, cpu="8", memory="32Gi")
    return cluster


class Checker:
    """Checks the bounds at the end of every simulated instant (see the module docstring)."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.pods = cluster.shared_informer("pods")
        self.replicasets = cluster.shared_informer("replicasets")
        self.deployments = cluster.shared_informer("deployments")
        self.prev_status_available: int | None = None
        self.prev_pod_available: int | None = None
        self.prev_replicas: int | None = None
        self.checks = 0
        self.max_active_seen = 0

    def check(self) -> None:
        d = self.deployments.get("default/web")
        if d is None:
            return
        uid = d["metadata"]["uid"]
        rss = [rs for rs in self.replicasets.list() if (get_controller_of(rs) or {}).get("uid") == uid]
        rs_uids = {rs["metadata"]["uid"] for rs in rss}
        replicas = du.spec_replicas(d)
        surge, unavailable = du.max_surge_of(d), du.max_unavailable_of(d)
        min_ready = d["spec"].get("minReadySeconds") or 0
        now = unix_now(self.cluster.sim)
        active = pod_available = 0
        for pod in self.pods.list():
            if (get_controller_of(pod) or {}).get("uid") not in rs_uids:
                continue
            if pod["metadata"].get("deletionTimestamp") or pod["status"].get("phase") in ("Succeeded", "Failed"):
                continue
            active += 1
            pod_available += is_pod_available(pod, min_ready, now)
        status_available = du.get_available_replica_count_for_replica_sets(rss)
        t = self.cluster.now
        assert active <= replicas + surge, f"t={t}: {active} active Pods > {replicas} + maxSurge {surge}"
        bound = replicas - unavailable
        scaled_down = self.prev_replicas is not None and replicas < self.prev_replicas
        for prev, now_available, what in (
            (self.prev_status_available, status_available, "reported available"),
            (self.prev_pod_available, pod_available, "available"),
        ):
            if prev is not None and not scaled_down:
                assert now_available >= min(prev, bound), (
                    f"t={t}: {what} Pods dropped from {prev} to {now_available}, below {replicas} - maxUnavailable "
                    f"{unavailable}"
                )
        self.prev_status_available, self.prev_pod_available = status_available, pod_available
        self.prev_replicas = replicas
        self.max_active_seen = max(self.max_active_seen, active)
        self.checks += 1

    def run_until(self, t: float) -> None:
        """Run the simulation to ``t``, checking after each simulated instant (``sim.run(u)`` runs every event at
        ``u``, including those scheduled for ``u`` while it runs)."""
        sim = self.cluster.sim
        while (nxt := sim.env.peek()) <= t:
            sim.run(nxt)
            self.check()
        sim.run(t)


ACTIONS = st.lists(
    st.tuples(
        st.floats(0.0, 8.0).map(lambda x: round(x, 1)),  # seconds after the previous action
        st.one_of(
            st.tuples(st.just("image"), st.integers(1, len(IMAGES) - 1)),
            st.tuples(st.just("scale"), st.integers(1, 6)),
        ),
    ),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    replicas=st.integers(1, 6),
    surge=FENCEPOSTS,
    unavailable=FENCEPOSTS,
    min_ready=st.sampled_from([0, 2]),
    ready_after=st.sampled_from([0, 3]),
    actions=ACTIONS,
)
def test_rollouts_respect_max_surge_and_max_unavailable(replicas, surge, unavailable, min_ready, ready_after, actions):
    if surge == 0 and unavailable in (0, "0%"):
        unavailable = 1  # validation refuses both zero
    cluster = _cluster()
    cluster.run_for("15s")  # nodes Ready
    cluster.apply(_manifest(replicas, surge, unavailable, min_ready, ready_after))
    rollout_status(cluster.api, "web", timeout="2m")
    checker = Checker(cluster)
    checker.check()
    desired = replicas
    for delay, (kind, value) in actions:
        checker.run_until(cluster.now + delay)
        if kind == "image":
            set_image(cluster.api, "web", {"nginx": IMAGES[value]})
        else:
            scale(cluster.api, "web", value)
            desired = value
    # once the changes stop, the rollout converges, and the bounds held all along
    deadline = cluster.now + 120
    while cluster.now < deadline:
        d = cluster.api.get("deployments", "web", "default")
        status = d.get("status") or {}
        if (
            status.get("observedGeneration") == d["metadata"]["generation"]
            and status.get("updatedReplicas") == desired
            and status.get("replicas") == desired
            and status.get("availableReplicas") == desired
        ):
            break
        checker.run_until(cluster.now + 1)
    assert rollout_status(cluster.api, "web", watch=False).endswith('deployment "web" successfully rolled out\n')
    assert checker.checks > 0
