"""Tests of the kubelet as a node agent: registration, node status, the node Lease, the network, partitions,
crashes, and determinism.

Upstream: ``pkg/kubelet/kubelet_node_status_test.go`` (``TestRegisterWithApiServer``,
``TestUpdateNodeStatusWithLease``: the status is written only when it changed or when ``nodeStatusReportFrequency``
has passed), ``pkg/kubelet/nodestatus/setters_test.go`` (``TestReadyCondition``, ``TestMemoryPressureCondition``),
``staging/src/k8s.io/component-helpers/apimachinery/lease/controller_test.go`` (``TestNewNodeLease``: owner
reference, holder, duration; ``TestManagingNodeLease``), and the node e2e expectations on reboots (a new boot ID,
``Rebooted``; containers restarted with a new sandbox).
"""

from __future__ import annotations

import itertools
from typing import Any

from test_kubelet_helpers import Env, make_pod, state_of

from k8smodel.kubelet.node_status import NODE_STATUS_REPORT_FREQUENCY


def _lease_renewals(env: Env, name: str = "node-1") -> list[float]:
    times: list[float] = []

    def watch(event: str, obj: dict[str, Any]) -> None:
        if obj["metadata"]["name"] == name and (event == "MODIFIED" or env.sim.now > start):
            times.append(env.sim.now)

    start = env.sim.now

    env.api.watch("leases", "kube-node-lease", None, None, watch)
    return times


def test_registration_creates_the_node() -> None:
    """TestRegisterWithApiServer / initialNode: labels, capacity, allocatable, addresses, conditions."""
    env = Env()
    k = env.node()
    env.run(1)
    node = env.api.get("nodes", "node-1")
    labels = node["metadata"]["labels"]
    assert labels["kubernetes.io/hostname"] == "node-1" and labels["kubernetes.io/os"] == "linux"
    status = node["status"]
    assert status["capacity"]["pods"] == "110" and status["allocatable"]["memory"] == "16284Mi"
    assert status["addresses"] == [{"type": "InternalIP", "address": k.node_ip}, {"type": "Hostname",
                                                                                   "address": "node-1"}]  # fmt: skip
    assert [(c["type"], c["status"], c["reason"]) for c in status["conditions"]] == [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID"),
        ("Ready", "True", "KubeletReady"),
    ]
    assert status["nodeInfo"]["bootID"] == k.boot_id and status["daemonEndpoints"]["kubeletEndpoint"]["Port"] == 10250
    assert status["images"] == [{"names": [env.registry.lookup("registry.k8s.io/pause:3.10").image_id,  # type: ignore[union-attr]
                                           "registry.k8s.io/pause:3.10"], "sizeBytes": 320368}]  # fmt: skip
    reasons = [e["reason"] for e in env.events("node-1")]
    assert reasons == ["Starting", "NodeAllocatableEnforced", "NodeHasSufficientMemory", "NodeHasNoDiskPressure",
                       "NodeHasSufficientPID"]  # fmt: skip
    ev = env.events("node-1", "NodeHasSufficientMemory")[0]
    assert ev["message"] == "Node node-1 status is now: NodeHasSufficientMemory"
    assert ev["involvedObject"]["uid"] == "node-1" and ev["metadata"]["namespace"] == "default"


def test_lease_renewed_every_ten_seconds() -> None:
    """TestNewNodeLease and the controller's loop: holder = node, 40 s duration, owned by the Node, renewed every
    renewInterval (0.25 x 40 s) stretched by a jitter of up to 4 %."""
    env = Env()
    env.node()
    times = _lease_renewals(env)
    env.run(600)
    lease = env.api.get("leases", "node-1", "kube-node-lease")
    node = env.api.get("nodes", "node-1")
    assert lease["spec"]["holderIdentity"] == "node-1" and lease["spec"]["leaseDurationSeconds"] == 40
    assert lease["metadata"]["ownerReferences"] == [
        {"apiVersion": "v1", "kind": "Node", "name": "node-1", "uid": node["metadata"]["uid"]}
    ]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) >= 57
    assert all(10.0 <= g <= 10.4 + 1e-9 for g in gaps)
    renew = env.sim.rfc3339_micro(times[-1])
    assert lease["spec"]["renewTime"] == renew


def test_node_status_written_only_on_change_or_every_five_minutes() -> None:
    """TestUpdateNodeStatusWithLease: with nothing changing, one write per nodeStatusReportFrequency."""
    env = Env()
    k = env.node()
    env.run(5)
    first = k.node_status.writes
    # status syncs come every 10 s stretched by up to 4 %, so a write at the first sync 5 minutes after the last:
    # at about 306, 612 and 918 s
    env.run(3 * NODE_STATUS_REPORT_FREQUENCY + 100)
    assert k.node_status.writes - first == 3
    heartbeat = env.api.get("nodes", "node-1")["status"]["conditions"][3]["lastHeartbeatTime"]
    assert heartbeat >= "2026-01-01T00:15:00Z"
    env.create(make_pod())  # pulling an image changes status.images: written at the next status sync
    env.run(env.sim.now + 11)
    assert k.node_status.writes - first == 4
    assert len(env.api.get("nodes", "node-1")["status"]["images"]) == 2


def test_network_not_ready_until_the_node_has_a_pod_cidr() -> None:
    """The Ready condition reports the runtime's network error until spec.podCIDR is set (TestReadyCondition);
    a Pod waits (NetworkNotReady) and starts once the network is ready; the transition records NodeReady."""
    env = Env()
    k = env.node(pod_cidr=None)
    env.run(1)
    ready = env.api.get("nodes", "node-1")["status"]["conditions"][3]
    assert (ready["status"], ready["reason"]) == ("False", "KubeletNotReady")
    assert ready["message"].startswith("container runtime network not ready: NetworkReady=false")
    env.create(make_pod())
    env.run(5)
    assert env.messages("web", "NetworkNotReady") == [
        "network is not ready: container runtime network not ready: NetworkReady=false "
        "reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"
    ]
    assert state_of(env.container()) == "waiting:ContainerCreating"
    env.api.patch("nodes", "node-1", None, {"spec": {"podCIDR": "10.244.7.0/24", "podCIDRs": ["10.244.7.0/24"]}})
    env.run(12)  # learned at the next node status sync (t = 10)
    assert env.api.get("nodes", "node-1")["status"]["conditions"][3]["status"] == "True"
    assert env.messages("node-1", "NodeReady") == ["Node node-1 status is now: NodeReady"]
    env.run(20)
    assert env.status()["podIP"] == "10.244.7.2" and state_of(env.container()) == "running"
    assert k.runtime.pod_cidr == "10.244.7.0/24"


def test_host_network_pod_runs_without_a_pod_cidr() -> None:
    env = Env()
    k = env.node(pod_cidr=None)
    env.create(make_pod(hostNetwork=True))
    env.run(10)
    assert env.status()["podIP"] == k.node_ip and state_of(env.container()) == "running"


def test_partition_keeps_pods_running_and_heals() -> None:
    """During a partition nothing reaches the API (no Lease renewals, no status), containers go on; afterwards the
    Lease is renewed within 7 s (backoffEnsureLease's cap) and the status catches up."""
    env = Env()
    k = env.node()
    env.create(make_pod(behavior={"web": {"exitAfter": "100s", "exitCode": 1}}))
    env.run(50)
    times = _lease_renewals(env)
    k.partition()
    assert not k.reachable and k.running
    env.run(200)
    assert times == []
    assert env.container()["restartCount"] == 0  # the API still shows the old state
    uid = env.pod()["metadata"]["uid"]
    assert [c.attempt for c in k.runtime.containers[uid]] == [1, 0]  # restarted locally at 102
    k.heal()
    env.run(207)
    assert times and times[0] <= 207.0
    started = env.events("web", "Started")
    assert [(e["count"], e["lastTimestamp"]) for e in started] == [(1, "2026-01-01T00:00:01Z")]  # 102: lost
    env.run(215)
    assert env.container()["restartCount"] >= 1
    env.run(300)
    assert env.container()["restartCount"] == 2


def test_partition_misses_a_delete_until_the_watch_is_back() -> None:
    env = Env()
    k = env.node()
    env.create(make_pod())
    env.run(10)
    k.partition()
    env.api.delete("pods", "web", "default")
    env.run(60)
    uid = env.pod()["metadata"]["uid"]
    assert k.runtime.running(uid)  # it never heard of the deletion
    k.heal()
    env.run(200)
    assert not env.exists("web") and not k.workers


def test_crash_and_recover() -> None:
    """A reboot: Rebooted with a new boot ID; Pods get a new sandbox and address (SandboxChanged), containers are
    restarted (restartCount + 1, lastState exit code 255, Unknown); a restartPolicy Never Pod fails."""
    env = Env()
    k = env.node(jitter=0.5)
    env.create(make_pod("web"))
    env.create(make_pod("job", restartPolicy="Never"))
    env.run(30)
    old_ip = env.status("web")["podIP"]
    old_boot = k.boot_id
    times = _lease_renewals(env)
    k.crash()
    assert not k.running
    env.run(100)
    assert times == []
    k.recover()
    env.run(110)
    assert k.boot_id != old_boot
    assert env.messages("node-1", "Rebooted") == [f"Node node-1 has been rebooted, boot id: {k.boot_id}"]
    web = env.container("web")
    assert web["restartCount"] == 1 and state_of(web) == "running"
    assert (web["lastState"]["terminated"]["exitCode"], web["lastState"]["terminated"]["reason"]) == (255, "Unknown")
    assert env.status("web")["podIP"] != old_ip
    assert env.messages("web", "SandboxChanged") == ["Pod sandbox changed, it will be killed and re-created."]
    assert env.status("job")["phase"] == "Failed"
    assert times and times[0] == 100.0


def test_stop_writes_nothing_more() -> None:
    env = Env()
    k = env.node()
    env.create(make_pod())
    env.run(30)
    k.stop()
    before = env.sim.event_count
    env.run(600)
    assert env.sim.event_count == before
    assert k.stopped and not k.running


def test_same_seed_same_event_log() -> None:
    """Determinism: the same seed gives the same log, byte for byte (jitter and ids come from seeded streams)."""

    def run(seed: int) -> tuple[list[Any], list[Any]]:
        env = Env(seed)
        k = env.node(jitter=0.5)
        env.node("node-2", pod_cidr="10.244.1.0/24", jitter=0.5)
        env.create(make_pod("a", behavior={"web": {"exitAfter": "3s", "exitCode": 1}}))
        env.create(make_pod("b", node="node-2", containers=[
            {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
             "livenessProbe": {"httpGet": {"path": "/", "port": 80}}}],
            behavior={"web": {"unhealthy": [["30s", "60s"]]}}))  # fmt: skip
        env.run(100)
        k.crash()
        env.run(150)
        k.recover()
        env.run(400)
        log = env.sim.events()
        events, _ = env.api.list("events")
        return log.astype(str).values.tolist(), [(e["metadata"]["name"], e["message"], e["count"]) for e in events]

    assert run(3) == run(3)
    assert run(3) != run(4)
