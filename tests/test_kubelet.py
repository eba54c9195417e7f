"""Tests of the kubelet driving Pods through a real API server: start-up, phases per restartPolicy,
CrashLoopBackOff, probes, init containers and sidecars, termination, bad input, volumes.

Where a case follows an upstream test it says so: ``pkg/kubelet/kuberuntime/kuberuntime_manager_test.go``
(``TestSyncPodWithInitContainers``, ``TestComputePodActionsWithRestartableInitContainers``),
``pkg/kubelet/prober/worker_test.go`` (``TestInitialDelay``, ``TestFailureThreshold``, ``TestSuccessThreshold``,
``TestStartupProbeSuccessThreshold``), ``pkg/kubelet/images/image_manager_test.go`` (``TestParallelPuller``
cases: pull, present, never, back-off), ``test/e2e/common/node/container_probe.go`` and ``pods.go`` (the e2e
expectations on restart counts and readiness). Timings are simulated seconds; nothing here measures wall time.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kubelet_helpers import Env, make_pod, state_of

from k8smodel.api.errors import StatusError
from k8smodel.kubelet import Kubelet
from k8smodel.kubelet.images import PULL_LATENCY, bandwidth_bytes


def preload(k: Kubelet, *images: str) -> None:
    """Put images in the node's cache, as if pulled before."""
    for image in images:
        found = k.registry.lookup(image)
        assert found is not None
        k.runtime.images[found.ref] = found
        k.runtime.images_version += 1


def settle(env: Env, t: float = 20.0) -> Kubelet:
    """One node, started at 0 and left running past one probe period (no probe start-up jitter)."""
    k = env.node()
    env.run(t)
    return k


# --------------------------------------------------------------------------------------------------------------
# a Pod runs


def test_pod_runs_with_upstream_events_and_status() -> None:
    env = Env()
    k = env.node()
    env.create(make_pod())
    env.run(30)
    st = env.status()
    assert st["phase"] == "Running"
    assert st["podIP"] == "10.244.0.2" and st["podIPs"] == [{"ip": "10.244.0.2"}]
    assert st["hostIP"] == k.node_ip == "10.0.0.2"
    assert st["qosClass"] == "BestEffort"
    assert [(c["type"], c["status"]) for c in st["conditions"]] == [
        ("PodReadyToStartContainers", "True"),
        ("Initialized", "True"),
        ("Ready", "True"),
        ("ContainersReady", "True"),
        ("PodScheduled", "True"),
    ]
    web = env.container()
    assert web["ready"] and web["started"] and web["restartCount"] == 0 and state_of(web) == "running"
    assert web["imageID"].startswith("docker.io/library/nginx@sha256:")
    assert web["containerID"].startswith("containerd://") and web["lastState"] == {}
    seconds = PULL_LATENCY + env.registry.size_of("nginx:1.27") / bandwidth_bytes("50Mi")
    assert [(e["reason"], e["message"]) for e in env.events("web")] == [
        ("Pulling", 'Pulling image "nginx:1.27"'),
        ("Pulled", f'Successfully pulled image "nginx:1.27" in {seconds:.3f}s ({seconds:.3f}s including waiting). '
         "Image size: 72200000 bytes."),
        ("Created", "Created container: web"),
        ("Started", "Started container web"),
    ]  # fmt: skip
    ev = env.events("web", "Started")[0]
    assert ev["involvedObject"]["fieldPath"] == "spec.containers{web}"
    assert ev["source"] == {"component": "kubelet", "host": "node-1"}


def test_status_written_once_per_change_and_not_again() -> None:
    """The status manager writes only what changed: a Pod that runs quietly costs no more writes."""
    env = Env()
    k = env.node()
    preload(k, "nginx:1.27")
    env.create(make_pod())
    env.run(5)
    writes = k.status_writes
    assert writes == 1  # cached image: sandbox, container and ready in one instant, one write
    env.run(3600)
    assert k.status_writes == writes


def test_second_pod_reuses_the_image_and_pulls_are_serialized() -> None:
    """serializeImagePulls: a pull waits for the one before it ("including waiting"); a present image is not
    pulled (image_manager_test.go: 'image present, pull policy IfNotPresent')."""
    env = Env()
    env.node()
    env.create(make_pod("a", containers=[{"name": "web", "image": "postgres:16"}]))
    env.create(make_pod("b", containers=[{"name": "web", "image": "redis:7.2"}]))
    env.run(20)
    pg = PULL_LATENCY + 151_400_000 / bandwidth_bytes("50Mi")
    redis = PULL_LATENCY + 40_000_000 / bandwidth_bytes("50Mi")
    msg = env.messages("b", "Pulled")[0]
    assert msg == (f'Successfully pulled image "redis:7.2" in {int(redis * 1000) / 1000}s '
                   f"({int((pg + redis) * 1000) / 1000}s including waiting). Image size: 40000000 bytes.")  # fmt: skip
    env.create(make_pod("c", containers=[{"name": "web", "image": "redis:7.2"}]))
    env.run(25)
    assert env.messages("c", "Pulled") == ['Container image "redis:7.2" already present on machine']


def test_pod_ips_come_from_the_pod_cidr_and_are_unique() -> None:
    env = Env()
    k = env.node(pod_cidr="10.244.3.0/24")
    for i in range(5):
        env.create(make_pod(f"p{i}"))
    env.run(30)
    ips = [env.status(f"p{i}")["podIP"] for i in range(5)]
    assert ips == [f"10.244.3.{i}" for i in range(2, 7)]
    assert k.pod_ip("default", "p0") == "10.244.3.2"


# --------------------------------------------------------------------------------------------------------------
# phases per restartPolicy


@pytest.mark.parametrize(
    ("policy", "code", "phase", "restarts"),
    [
        ("Always", 0, "Running", True),
        ("Always", 1, "Running", True),
        ("OnFailure", 0, "Succeeded", False),
        ("OnFailure", 1, "Running", True),
        ("Never", 0, "Succeeded", False),
        ("Never", 1, "Failed", False),
    ],
)
def test_phase_per_restart_policy(policy: str, code: int, phase: str, restarts: bool) -> None:
    env = Env()
    settle(env, 1)
    env.create(make_pod(restartPolicy=policy, behavior={"web": {"exitAfter": "5s", "exitCode": code}}))
    env.run(30)
    st = env.status()
    assert st["phase"] == phase
    web = env.container()
    assert (web["restartCount"] > 0) == restarts
    if phase in ("Succeeded", "Failed"):
        term = web["state"]["terminated"]
        assert term["exitCode"] == code and term["reason"] == ("Completed" if code == 0 else "Error")
        reason = "PodCompleted" if phase == "Succeeded" else "PodFailed"
        ready = next(c for c in st["conditions"] if c["type"] == "Ready")
        assert (ready["status"], ready["reason"]) == ("False", reason)
        assert env.exists("web")  # a finished Pod stays until someone deletes it


# --------------------------------------------------------------------------------------------------------------
# CrashLoopBackOff


def test_crashloop_delays_double_to_five_minutes() -> None:
    """The first restart is immediate, then 10, 20, 40, 80, 160, 300, 300 s after each exit (worker jitter off)."""
    env = Env()
    settle(env, 1)
    pod = env.create(make_pod(behavior={"web": {"exitAfter": "1s", "exitCode": 1}}))
    env.run(1600)
    k = env.kubelets["node-1"]
    assert len(k.runtime.containers[pod["metadata"]["uid"]]) == 2  # the newest run and the dead one before it
    assert env.container()["restartCount"] >= 7
    gaps = _restart_gaps(env, "node-1", pod)
    assert gaps[:8] == [0, 10, 20, 40, 80, 160, 300, 300]


def _restart_gaps(env: Env, node: str, pod: dict[str, Any]) -> list[float]:
    """Seconds between each exit and the next start, from a trace recorded by wrapping the runtime."""
    return env.kubelets[node].gaps  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _trace_restarts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record, per kubelet, the gap between each container exit and the next start of that container."""
    from k8smodel.kubelet import runtime as runtime_module

    original_start = runtime_module.ContainerRuntime.start_container
    original_exit = runtime_module.ContainerRuntime._exit

    def start(self: Any, c: Any, ports: Any) -> None:
        original_start(self, c, ports)
        kubelet = self.on_exit.__self__
        last = getattr(kubelet, "_last_exit", {}).get((c.uid, c.name))
        if last is not None:
            kubelet.gaps.append(round(self.sim.now - last, 6))

    def exit_(self: Any, c: Any, code: int, reason: str = "") -> None:
        kubelet = self.on_exit.__self__
        if not hasattr(kubelet, "gaps"):
            kubelet.gaps = []
            kubelet._last_exit = {}
        if c.state == "running":
            kubelet._last_exit[(c.uid, c.name)] = self.sim.now
        original_exit(self, c, code, reason)

    monkeypatch.setattr(runtime_module.ContainerRuntime, "start_container", start)
    monkeypatch.setattr(runtime_module.ContainerRuntime, "_exit", exit_)
    original_init = Kubelet.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.gaps = []
        self._last_exit = {}

    monkeypatch.setattr(Kubelet, "__init__", init)


def test_crashloop_with_worker_jitter_restarts_within_the_retry_window() -> None:
    """With upstream's jitter the pod worker retries 10 to 15 s after a failed sync, so a restart comes at most
    15 s after its back-off ran out."""
    env = Env(seed=7)
    k = env.node(jitter=0.5)
    env.run(1)
    pod = env.create(make_pod(behavior={"web": {"exitAfter": "1s", "exitCode": 1}}))
    env.run(1500)
    gaps = _restart_gaps(env, "node-1", pod)
    expected = [0, 10, 20, 40, 80, 160, 300]
    for gap, backoff in zip(gaps, expected, strict=False):
        assert backoff <= gap < backoff + 15.0
    assert len(gaps) >= 6
    del k


def test_crashloop_status_and_events() -> None:
    env = Env()
    settle(env, 1)
    pod = env.create(make_pod(behavior={"web": {"exitAfter": "5s", "exitCode": 2}}))
    # starts at ~2, exits at 7 (restarted at once), 12 (back-off 10 s: restarted at 22), 27 (back-off 20 s); the
    # status written at the retry at 37 shows the reason the sync at 27 recorded
    env.run(33)
    assert state_of(env.container()) == "terminated"
    env.run(40)
    web = env.container()
    uid = pod["metadata"]["uid"]
    assert web["state"] == {
        "waiting": {
            "reason": "CrashLoopBackOff",
            "message": f"back-off 20s restarting failed container=web pod=web_default({uid})",
        }
    }
    assert web["lastState"]["terminated"]["exitCode"] == 2
    assert web["lastState"]["terminated"]["reason"] == "Error"
    assert web["restartCount"] == 2 and not web["ready"]
    assert env.status()["phase"] == "Running"
    assert f"Back-off restarting failed container web in pod web_default({uid})" in env.messages("web", "BackOff")
    assert env.events("web", "BackOff")[0]["type"] == "Warning"


def test_crashloop_backoff_resets_after_ten_minutes_of_running() -> None:
    """A container that ran for more than 10 minutes (2 x the 5-minute cap) before it crashed restarts at once."""
    env = Env()
    settle(env, 1)
    pod = env.create(make_pod(behavior={"web": {"exitAfter": "11m", "exitCode": 1}}))
    env.run(3 * 660 + 60)
    assert _restart_gaps(env, "node-1", pod)[:3] == [0, 0, 0]
    env2 = Env()
    settle(env2, 1)
    pod2 = env2.create(make_pod(behavior={"web": {"exitAfter": "9m", "exitCode": 1}}))
    env2.run(3 * 560 + 60)
    assert _restart_gaps(env2, "node-1", pod2)[:3] == [0, 10, 20]


def test_exit_runs_recovers_from_crashloop() -> None:
    env = Env()
    settle(env, 1)
    env.create(make_pod(behavior={"web": {"exitAfter": "1s", "exitCode": 1, "exitRuns": 3}}))
    env.run(200)
    web = env.container()
    assert web["restartCount"] == 3 and state_of(web) == "running" and web["ready"]


# --------------------------------------------------------------------------------------------------------------
# probes


def _probed(probe: dict[str, Any], kind: str = "livenessProbe", **extra: Any) -> list[dict[str, Any]]:
    return [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}], kind: probe, **extra}]


def test_liveness_failure_kills_on_the_probe_grid() -> None:
    """Worker ticks every 10 s from the worker's creation (the Pod's first sync); three failures in a row (the
    default threshold) kill the container: 'Container web failed liveness probe, will be restarted'."""
    env = Env()
    k = settle(env)
    preload(k, "nginx:1.27")
    env.create(make_pod(containers=_probed({"httpGet": {"path": "/healthz", "port": 80}}),
                        behavior={"web": {"unhealthy": [["60s", "90s"]]}}))  # fmt: skip
    env.run(200)
    kills = env.events("web", "Killing")
    assert kills[0]["message"] == "Container web failed liveness probe, will be restarted"
    # started at 20; failing from 80 (age 60): ticks 80, 90, 100 -> killed at 100; then the new run (started 100)
    # fails from 160: 160, 170, 180 -> killed at 180
    assert kills[0]["firstTimestamp"] == "2026-01-01T00:01:40Z" and kills[0]["lastTimestamp"] == "2026-01-01T00:03:00Z"
    unhealthy = env.events("web", "Unhealthy")
    assert unhealthy[0]["message"] == "Liveness probe failed: HTTP probe failed with statuscode: 500"
    assert unhealthy[0]["count"] == 6
    web = env.container()
    assert web["restartCount"] == 2
    assert web["lastState"]["terminated"]["exitCode"] == 143  # a clean exit on SIGTERM


def test_readiness_drives_ready_condition() -> None:
    """The readiness worker is triggered at once when the container runs (UpdatePodStatus), then every period."""
    env = Env()
    k = settle(env)
    preload(k, "nginx:1.27")
    env.create(make_pod(containers=_probed({"httpGet": {"path": "/ready", "port": 80}}, "readinessProbe"),
                        behavior={"web": {"readyAfter": "25s", "unready": [["100s", "130s"]]}}))  # fmt: skip
    ready_at: list[tuple[float, bool]] = []

    def watch(event: str, obj: dict[str, Any]) -> None:
        cond = next((c for c in obj["status"].get("conditions", []) if c["type"] == "Ready"), None)
        if cond is not None and (not ready_at or ready_at[-1][1] != (cond["status"] == "True")):
            ready_at.append((env.sim.now, cond["status"] == "True"))

    env.api.watch("pods", "default", None, None, watch)
    env.run(300)
    # start 20 (manual trigger: fail), ticks 30, 40 fail, 50 (age 30) succeeds; unready from 120: 120, 130, 140
    # fail -> not ready at 140; 150 (age 130) succeeds
    assert ready_at == [(20.0, False), (50.0, True), (140.0, False), (150.0, True)]
    assert env.messages("web", "Unhealthy")[0] == "Readiness probe failed: HTTP probe failed with statuscode: 503"


def test_startup_probe_gates_liveness_and_its_failure_kills() -> None:
    """A startup probe holds liveness back until it succeeds (TestStartupProbeSuccessThreshold); failing it
    failureThreshold times kills the container: 'Container web failed startup probe, will be restarted'."""
    env = Env()
    k = settle(env)
    preload(k, "nginx:1.27")
    containers = _probed({"httpGet": {"path": "/healthz", "port": 80}}, startupProbe={
        "httpGet": {"path": "/healthz", "port": 80}, "periodSeconds": 5, "failureThreshold": 10})  # fmt: skip
    env.create(make_pod(containers=containers, behavior={"web": {"startupTime": "30s"}}))
    env.run(120)
    assert not env.events("web", "Killing")  # 30 s to start < 10 x 5 s: liveness never saw it unstarted
    web = env.container()
    assert web["started"] and web["ready"] and web["restartCount"] == 0
    refused = (
        'Startup probe failed: Get "http://10.244.0.2:80/healthz": dial tcp 10.244.0.2:80: connect: connection refused'
    )
    assert env.messages("web", "Unhealthy") == [refused]
    env.create(make_pod("slow", containers=containers, behavior={"web": {"startupTime": "2m"}}))
    env.run(250)
    assert env.messages("slow", "Killing")[0] == "Container web failed startup probe, will be restarted"


def test_probe_on_undeclared_port_is_refused() -> None:
    """Upstream probes the port anyway; nothing listens there, so the probe fails: never ready."""
    env = Env()
    settle(env)
    env.create(make_pod(containers=_probed({"tcpSocket": {"port": 8080}}, "readinessProbe")))
    env.run(120)
    web = env.container()
    assert state_of(web) == "running" and not web["ready"]
    assert env.messages("web", "Unhealthy") == [
        "Readiness probe failed: dial tcp 10.244.0.2:8080: connect: connection refused"
    ]
    ready = next(c for c in env.status()["conditions"] if c["type"] == "Ready")
    assert ready == {**ready, "status": "False", "reason": "ContainersNotReady",
                     "message": "containers with unready status: [web]"}  # fmt: skip


def _naive_liveness_kill(anchor: float, start: float, period: int, delay: int, threshold: int,
                         window: tuple[float, float]) -> float | None:  # fmt: skip
    """doProbe, tick by tick: the time of the first kill, or None."""
    last, run = None, 0
    k = 0
    while True:
        t = anchor + k * period
        k += 1
        if t > start + 2000:
            return None
        if t <= start or t - start < delay:
            continue
        ok = not (start + window[0] <= t < start + window[1])
        if ok == last:
            run += 1
        else:
            last, run = ok, 1
        if not ok and run >= threshold:
            return t


@given(
    period=st.integers(1, 15),
    delay=st.integers(0, 40),
    threshold=st.integers(1, 5),
    begin=st.integers(0, 120),
    length=st.integers(1, 200),
)
@settings(max_examples=30, deadline=None)
def test_liveness_kill_time_matches_ticking_every_period(
    period: int, delay: int, threshold: int, begin: int, length: int
) -> None:
    """The analytic schedule gives the kill at the same instant as probing on every tick would."""
    env = Env()
    k = settle(env)
    preload(k, "nginx:1.27")
    probe = {"httpGet": {"path": "/", "port": 80}, "periodSeconds": period, "initialDelaySeconds": delay,
             "failureThreshold": threshold}  # fmt: skip
    env.create(make_pod(containers=_probed(probe), behavior={"web": {"unhealthy": [[begin, begin + length]]}}))
    env.run(20 + begin + length + 200)
    expected = _naive_liveness_kill(20.0, 20.0, period, delay, threshold, (begin, begin + length))
    kills = env.events("web", "Killing")
    if expected is None:
        assert not kills
    else:
        assert kills and env.sim.rfc3339(expected) == kills[0]["firstTimestamp"]


def test_a_healthy_container_is_probed_once_not_every_period() -> None:
    """Cost in proportion to what changes: an hour of a healthy container's liveness probe is one probe."""
    env = Env()
    k = settle(env)
    env.create(make_pod(containers=_probed({"httpGet": {"path": "/", "port": 80}})))
    env.run(3620)
    worker = k.probes.worker(env.pod()["metadata"]["uid"], "web", "liveness")
    assert worker is not None and worker.probes == 1


# --------------------------------------------------------------------------------------------------------------
# init containers and sidecars


def test_init_containers_run_in_order_then_app() -> None:
    """TestSyncPodWithInitContainers: one init container at a time, in order, then the app containers."""
    env = Env()
    k = settle(env, 1)
    preload(k, "busybox:1.36", "nginx:1.27")
    env.create(make_pod(init=[{"name": "first", "image": "busybox:1.36"}, {"name": "second", "image": "busybox:1.36"}],
                        behavior={"first": {"exitAfter": "3s"}, "second": {"exitAfter": "4s"}}))  # fmt: skip
    env.run(3)
    st = env.status()
    assert st["phase"] == "Pending" and state_of(env.container(container="first")) == "running"
    assert state_of(env.container(container="second")) == "waiting:PodInitializing"
    assert state_of(env.container()) == "waiting:PodInitializing"
    init_cond = next(c for c in st["conditions"] if c["type"] == "Initialized")
    assert init_cond["message"] == "containers with incomplete status: [first second]"
    env.run(20)
    started = [e["involvedObject"]["fieldPath"] for e in env.events("web", "Started")]
    assert started == ["spec.initContainers{first}", "spec.initContainers{second}", "spec.containers{web}"]
    starts = {e["involvedObject"]["fieldPath"]: e["firstTimestamp"] for e in env.events("web", "Started")}
    assert starts["spec.initContainers{second}"] == "2026-01-01T00:00:04Z"
    assert starts["spec.containers{web}"] == "2026-01-01T00:00:08Z"
    st = env.status()
    assert st["phase"] == "Running"
    assert env.container(container="first")["state"]["terminated"]["reason"] == "Completed"
    assert env.container(container="first")["ready"]  # a completed init container reports ready


def test_failed_init_container_with_restart_never_fails_the_pod() -> None:
    env = Env()
    settle(env, 1)
    env.create(make_pod(init=[{"name": "setup", "image": "busybox:1.36"}], restartPolicy="Never",
                        behavior={"setup": {"exitAfter": "2s", "exitCode": 3}}))  # fmt: skip
    env.run(30)
    assert env.status()["phase"] == "Failed"
    assert not env.events("web", "Created") or all("web" not in m for m in env.messages("web", "Started")[1:])


def test_failed_init_container_is_retried_with_backoff() -> None:
    env = Env()
    settle(env, 1)
    env.create(make_pod(init=[{"name": "setup", "image": "busybox:1.36"}],
                        behavior={"setup": {"exitAfter": "1s", "exitCode": 1, "exitRuns": 3}}))  # fmt: skip
    env.run(30)
    assert env.status()["phase"] == "Pending"
    assert env.container(container="setup")["lastState"]["terminated"]["exitCode"] == 1
    env.run(200)
    assert env.status()["phase"] == "Running"
    setup = env.container(container="setup")
    assert setup["restartCount"] == 3 and setup["state"]["terminated"]["exitCode"] == 0


def test_sidecar_starts_first_and_outlives_the_app_container() -> None:
    """A Job-like Pod: the sidecar (restartPolicy Always init container) starts before the app, keeps running,
    and is stopped once the app container has completed; the Pod then Succeeds (KEP-753)."""
    env = Env()
    k = settle(env, 1)
    preload(k, "busybox:1.36", "nginx:1.27")
    env.create(make_pod(init=[{"name": "proxy", "image": "nginx:1.27", "restartPolicy": "Always"}],
                        containers=[{"name": "job", "image": "busybox:1.36"}], restartPolicy="Never",
                        behavior={"job": {"exitAfter": "30s"}, "proxy": {"shutdownDelay": "2s"}}))  # fmt: skip
    env.run(5)
    st = env.status()
    assert st["phase"] == "Running"
    assert state_of(env.container(container="proxy")) == "running" and env.container(container="proxy")["started"]
    env.run(60)
    st = env.status()
    assert st["phase"] == "Succeeded"
    proxy = env.container(container="proxy")["state"]["terminated"]
    job = env.container(container="job")["state"]["terminated"]
    assert job["exitCode"] == 0 and job["finishedAt"] == "2026-01-01T00:00:31Z"
    assert proxy["finishedAt"] == "2026-01-01T00:00:33Z"  # stopped after the app container, with its 2 s shutdown
    assert env.messages("web", "Killing") == ["Stopping container proxy"]


def test_sidecars_stop_after_app_containers_on_delete() -> None:
    env = Env()
    k = settle(env, 1)
    preload(k, "nginx:1.27")
    env.create(make_pod(init=[{"name": "proxy", "image": "nginx:1.27", "restartPolicy": "Always"}],
                        behavior={"web": {"shutdownDelay": "5s"}, "proxy": {"shutdownDelay": "1s"}}))  # fmt: skip
    env.run(10)
    finished: dict[str, str] = {}

    def watch(event: str, obj: dict[str, Any]) -> None:
        for c in [*obj["status"].get("initContainerStatuses", []), *obj["status"].get("containerStatuses", [])]:
            if "terminated" in c["state"]:
                finished[c["name"]] = c["state"]["terminated"]["finishedAt"]

    env.api.watch("pods", "default", None, None, watch)
    env.api.delete("pods", "web", "default")
    env.run(60)
    assert finished == {"web": "2026-01-01T00:00:15Z", "proxy": "2026-01-01T00:00:16Z"}
    assert not env.exists("web")


# --------------------------------------------------------------------------------------------------------------
# termination


@pytest.mark.parametrize(
    ("script", "grace", "gone_at", "code"),
    [
        ({}, None, 10, 143),  # exits at once on SIGTERM
        ({"shutdownDelay": "7s"}, None, 17, 143),
        ({"shutdownDelay": "7s", "shutdownExitCode": 0}, None, 17, 0),
        ({"shutdownDelay": "never"}, None, 40, 137),  # SIGKILL at the end of the default 30 s
        ({"shutdownDelay": "7s"}, 4, 14, 137),
        ({"shutdownDelay": "never"}, 1, 12, 137),  # at least 2 s (minimumGracePeriodInSeconds)
    ],
)
def test_termination_exit_codes_and_timing(script: dict[str, Any], grace: int | None, gone_at: float,
                                           code: int) -> None:  # fmt: skip
    env = Env()
    settle(env, 1)
    spec = {} if grace is None else {"terminationGracePeriodSeconds": grace}
    env.create(make_pod(behavior={"web": script}, **spec))
    env.run(10)
    env.api.delete("pods", "web", "default")
    seen: list[tuple[float, str, dict[str, Any]]] = []
    env.api.watch("pods", "default", None, None, lambda t, o: seen.append((env.sim.now, t, o)))
    env.run(60)
    deleted = [(t, o) for t, kind, o in seen if kind == "DELETED"]
    assert deleted and deleted[0][0] == gone_at
    last = deleted[0][1]
    term = last["status"]["containerStatuses"][0]["state"]["terminated"]
    assert term["exitCode"] == code
    assert last["status"]["phase"] == ("Succeeded" if code == 0 else "Failed")
    assert env.messages("web", "Killing") == ["Stopping container web"]


def test_kubelet_deletes_with_uid_precondition() -> None:
    """canBeDeleted: the kubelet's delete carries grace 0 and a uid precondition, so a new Pod with the same name
    is not deleted by mistake."""
    env = Env()
    settle(env, 1)
    env.create(make_pod(behavior={"web": {"shutdownDelay": "5s"}}))
    env.run(10)
    env.api.delete("pods", "web", "default")
    env.run(20)
    log = env.sim.events("api")
    deletes = log[(log["verb"] == "delete") & (log["resource"] == "pods") & (log["time"] > 10)]
    assert list(deletes["time"]) == [15.0, 15.0]  # the grace period cut to 0, then the object removed
    assert not env.exists("web")
    env.create(make_pod(behavior={"web": {"shutdownDelay": "5s"}}))  # same name, new uid
    env.run(30)
    assert env.status()["phase"] == "Running"


def test_force_delete_still_stops_containers() -> None:
    env = Env()
    k = settle(env, 1)
    pod = env.create(make_pod(behavior={"web": {"shutdownDelay": "never"}}))
    env.run(10)
    env.api.delete("pods", "web", "default", grace_period_seconds=0)
    assert not env.exists("web")
    env.run(11)
    assert k.runtime.running(pod["metadata"]["uid"])  # still stopping (it ignores SIGTERM)
    env.run(60)
    assert pod["metadata"]["uid"] not in k.runtime.containers and not k.workers


# --------------------------------------------------------------------------------------------------------------
# bad input


def test_unknown_image_err_image_pull_then_backoff() -> None:
    """image_manager_test.go: a failed pull is ErrImagePull, and while in back-off ImagePullBackOff."""
    env = Env()
    settle(env, 1)
    env.create(make_pod(containers=[{"name": "web", "image": "nginx:9.99"}]))
    env.run(5)
    seen = set()
    for t in range(6, 120):
        env.run(t)
        seen.add(state_of(env.container()))
    assert {"waiting:ErrImagePull", "waiting:ImagePullBackOff"} <= seen
    web = env.container()
    assert web["image"] == "nginx:9.99" and not web["ready"]
    failed = env.messages("web", "Failed")
    assert failed[0] == (
        'Failed to pull image "nginx:9.99": rpc error: code = NotFound desc = failed to pull and unpack image '
        '"docker.io/library/nginx:9.99": failed to resolve reference "docker.io/library/nginx:9.99": '
        "docker.io/library/nginx:9.99: not found"
    )
    assert "Error: ErrImagePull" in failed and "Error: ImagePullBackOff" in failed
    backoff = env.events("web", "BackOff")[0]
    assert (backoff["type"], backoff["message"]) == ("Normal", 'Back-off pulling image "nginx:9.99"')
    assert env.status()["phase"] == "Pending"


def test_pushed_image_is_pulled_after_backoff() -> None:
    env = Env()
    settle(env, 1)
    env.create(make_pod(containers=[{"name": "web", "image": "example.com/shop/web:1.0"}]))
    env.run(30)
    assert state_of(env.container()).startswith("waiting:")
    env.registry.push("example.com/shop/web:1.0", 10_000_000)
    env.run(400)
    assert state_of(env.container()) == "running"


def test_never_pull_policy_without_image() -> None:
    env = Env()
    settle(env, 1)
    env.create(make_pod(containers=[{"name": "web", "image": "redis:7.2", "imagePullPolicy": "Never"}]))
    env.run(10)
    assert env.container()["state"] == {
        "waiting": {
            "reason": "ErrImageNeverPull",
            "message": 'Container image "redis:7.2" is not present with pull policy of Never',
        }
    }
    ev = env.events("web", "ErrImageNeverPull")[0]
    assert ev["type"] == "Warning" and not env.events("web", "Pulling")


def test_malformed_image_name() -> None:
    env = Env()
    settle(env, 1)
    env.create(make_pod(containers=[{"name": "web", "image": "NGINX:1.27"}]))
    env.run(10)
    assert state_of(env.container()) == "waiting:InvalidImageName"
    assert env.events("web", "InspectFailed")


def test_bad_behavior_annotation_is_a_container_config_error() -> None:
    env = Env()
    settle(env, 1)
    env.create(make_pod(behavior={"web": {"exitCode": 300}}))
    env.run(10)
    message = ("metadata.annotations[k8smodel.io/behavior]: web.exitCode: Invalid value: 300: must be between 0 "
               "and 255, inclusive")  # fmt: skip
    assert env.container()["state"] == {"waiting": {"reason": "CreateContainerConfigError", "message": message}}
    assert f"Error: {message}" in env.messages("web", "Failed")
    env.api.patch("pods", "web", "default", {"metadata": {"annotations": {"k8smodel.io/behavior": "{}"}}})
    env.run(20)
    assert state_of(env.container()) == "running"


def test_volume_mount_without_volume_is_rejected_by_validation() -> None:
    env = Env()
    settle(env, 1)
    pod = make_pod(containers=[{"name": "web", "image": "nginx:1.27",
                                "volumeMounts": [{"name": "data", "mountPath": "/data"}]}])  # fmt: skip
    with pytest.raises(StatusError) as err:
        env.create(pod)
    assert err.value.code == 422 and 'volumeMounts[0].name: Not found: "data"' in str(err.value)


# --------------------------------------------------------------------------------------------------------------
# the Pod's shared network and volumes


def test_empty_dir_is_shared_and_localhost_reaches_every_container() -> None:
    env = Env()
    k = settle(env, 1)
    env.create(make_pod(
        containers=[
            {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
             "volumeMounts": [{"name": "html", "mountPath": "/usr/share/nginx/html"}]},
            {"name": "writer", "image": "busybox:1.36", "volumeMounts": [{"name": "html", "mountPath": "/out"}]},
        ],
        volumes=[{"name": "html", "emptyDir": {}}],
        behavior={"writer": {"files": {"/out/index.html": "hello", "/tmp/private": "x"}}},
    ))  # fmt: skip
    env.run(20)
    assert k.read_file("default", "web", "web", "/usr/share/nginx/html/index.html") == "hello"
    assert k.read_file("default", "web", "web", "/tmp/private") is None
    assert k.read_file("default", "web", "writer", "/tmp/private") == "x"
    assert k.connect("default", "web", 80) == "web"  # writer reaches web on localhost:80
    assert k.connect("default", "web", 8080) is None
    mounts = env.container()["volumeMounts"]
    assert mounts == [{"name": "html", "mountPath": "/usr/share/nginx/html"}]


def test_oom_kill_and_usage() -> None:
    env = Env()
    k = settle(env, 1)
    env.create(make_pod(containers=[{"name": "web", "image": "nginx:1.27",
                                     "resources": {"limits": {"memory": "128Mi"}}}],
                        behavior={"web": {"cpu": "250m", "memory": [["0s", "64Mi"], ["30s", "200Mi"]]}}))  # fmt: skip
    env.run(20)
    assert k.usage()["default/web"]["web"] == {"cpu": 0.25, "memory": float(64 * 1024**2)}
    env.run(40)
    last = env.container()["lastState"]["terminated"]
    assert (last["exitCode"], last["reason"]) == (137, "OOMKilled")


def test_kill_container() -> None:
    env = Env()
    k = settle(env, 1)
    env.create(make_pod())
    env.run(10)
    k.kill_container("default", "web", "web", 137)
    env.run(11)
    web = env.container()
    assert web["restartCount"] == 1 and web["lastState"]["terminated"]["exitCode"] == 137
    with pytest.raises(KeyError, match="is not running on node"):
        k.kill_container("default", "nope", "web")
    with pytest.raises(ValueError, match="between 0 and 255"):
        k.kill_container("default", "web", "web", 300)


def test_image_update_restarts_the_container() -> None:
    """A Pod's image may change: 'Container web definition changed, will be restarted'."""
    env = Env()
    settle(env, 1)
    env.create(make_pod())
    env.run(10)
    pod = env.pod()
    pod["spec"]["containers"][0]["image"] = "nginx:1.28"
    env.api.update(pod)
    env.run(20)
    assert env.messages("web", "Killing") == ["Container web definition changed, will be restarted"]
    web = env.container()
    assert web["image"] == "nginx:1.28" and web["restartCount"] == 1 and state_of(web) == "running"


def test_readiness_gate_holds_ready_until_its_condition_is_true() -> None:
    """GeneratePodReadyCondition with readinessGates; a gate's condition set by another component makes the kubelet
    recompute Ready (NeedToReconcilePodReadiness)."""
    env = Env()
    settle(env, 1)
    env.create(make_pod(readinessGates=[{"conditionType": "example.com/lb-ready"}]))
    env.run(10)
    ready = next(c for c in env.status()["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "False",
        "ReadinessGatesNotReady",
        'corresponding condition of pod readiness gate "example.com/lb-ready" does not exist.',
    )
    pod = env.pod()
    pod["status"]["conditions"].append({"type": "example.com/lb-ready", "status": "True"})
    env.api.update_status(pod)
    env.run(11)
    conditions = {c["type"]: c["status"] for c in env.status()["conditions"]}
    assert conditions["Ready"] == "True" and conditions["example.com/lb-ready"] == "True"


def test_readiness_initial_delay_and_success_threshold() -> None:
    """worker_test.go TestInitialDelay and TestSuccessThreshold: no probe before initialDelaySeconds (the manual
    trigger at start does nothing then), and Ready only after successThreshold successes in a row."""
    env = Env()
    k = settle(env)
    preload(k, "nginx:1.27")
    probe = {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 15, "successThreshold": 3}
    env.create(make_pod(containers=_probed(probe, "readinessProbe")))
    changes: list[tuple[float, bool]] = []

    def watch(event: str, obj: dict[str, Any]) -> None:
        statuses = obj["status"].get("containerStatuses") or []
        if statuses and (not changes or changes[-1][1] != statuses[0]["ready"]):
            changes.append((env.sim.now, statuses[0]["ready"]))

    env.api.watch("pods", "default", None, None, watch)
    env.run(100)
    # started at 20; ticks at 30 (age 10 < 15: skipped), 40, 50, 60 succeed: ready at the third, 60
    assert changes == [(20.0, False), (60.0, True)]
    worker = k.probes.worker(env.pod()["metadata"]["uid"], "web", "readiness")
    assert worker is not None and worker.probes == 3
