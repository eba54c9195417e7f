"""Unit tests of the kubelet's pure parts: getPhase, computePodActions, the back-off, the behaviour annotation,
the image registry and the host-local IP allocator.

Upstream tables: ``pkg/kubelet/kubelet_pods_test.go`` (``TestPodPhaseWithRestartAlways``, ``...Never``,
``...OnFailure``, ``...InitContainers``, ``...RestartableInitContainers``, ``...AndPodHasRun``);
``pkg/kubelet/kuberuntime/kuberuntime_manager_test.go`` (``TestComputePodActions``);
``staging/src/k8s.io/client-go/util/flowcontrol/backoff_test.go``.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.kubelet.backoff import Backoff, hash_container, image_key, stable_key
from k8smodel.kubelet.behavior import (
    BEHAVIOR_ANNOTATION,
    BehaviorError,
    merge_windows,
    parse_behavior,
)
from k8smodel.kubelet.images import (
    PULL_LATENCY,
    ImageRegistry,
    InvalidImageName,
    bandwidth_bytes,
    normalize,
    not_found_error,
    pull_duration,
)
from k8smodel.kubelet.kubelet import compute_pod_actions, format_pod, get_phase
from k8smodel.kubelet.runtime import (
    EXITED,
    RUNNING,
    Container,
    ContainerStatus,
    HostLocalIPAM,
    PodRuntimeStatus,
    Sandbox,
    SandboxStatus,
)

# --------------------------------------------------------------------------------------------------------------
# getPhase (kubelet_pods_test.go)


def running(name: str) -> dict[str, Any]:
    return {"name": name, "state": {"running": {}}}


def started(name: str) -> dict[str, Any]:
    return {"name": name, "state": {"running": {}}, "started": True}


def stopped(name: str) -> dict[str, Any]:
    return {"name": name, "state": {"terminated": {}}}


def succeeded(name: str) -> dict[str, Any]:
    return {"name": name, "state": {"terminated": {"exitCode": 0}}}


def failed(name: str) -> dict[str, Any]:
    return {"name": name, "state": {"terminated": {"exitCode": -1}}}


def waiting(name: str) -> dict[str, Any]:
    return {"name": name, "state": {"waiting": {}}}


def waiting_last_terminated(name: str) -> dict[str, Any]:
    return {"name": name, "state": {"waiting": {}}, "lastState": {"terminated": {}}}


def waiting_last_nonzero(name: str) -> dict[str, Any]:
    return {"name": name, "state": {"waiting": {}}, "lastState": {"terminated": {"exitCode": -1}}}


def _pod(policy: str, init: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "nodeName": "machine",
        "containers": [{"name": "containerA"}, {"name": "containerB"}],
        "restartPolicy": policy,
    }
    if init is not None:
        spec["initContainers"] = init
    return {"metadata": {"name": "p"}, "spec": spec}


@pytest.mark.parametrize(
    ("statuses", "terminal", "phase", "case"),
    [
        ([], False, "Pending", "waiting"),
        ([running("containerA"), running("containerB")], False, "Running", "all running"),
        ([stopped("containerA"), stopped("containerB")], False, "Running", "all stopped with restart always"),
        ([succeeded("containerA"), succeeded("containerB")], True, "Succeeded", "all succeeded, pod terminal"),
        ([succeeded("containerA"), failed("containerB")], True, "Failed", "all stopped, pod terminal"),
        ([running("containerA"), stopped("containerB")], False, "Running", "mixed state #1"),
        ([running("containerA")], False, "Pending", "mixed state #2"),
        ([running("containerA"), waiting("containerB")], False, "Pending", "mixed state #3"),
        ([running("containerA"), waiting_last_terminated("containerB")], False, "Running", "backoff crashloop"),
    ],
)
def test_phase_restart_always(statuses: list[dict[str, Any]], terminal: bool, phase: str, case: str) -> None:
    """TestPodPhaseWithRestartAlways."""
    assert get_phase(_pod("Always"), statuses, terminal) == phase, case


@pytest.mark.parametrize(
    ("statuses", "phase", "case"),
    [
        ([], "Pending", "waiting"),
        ([running("containerA"), running("containerB")], "Running", "all running with restart never"),
        ([succeeded("containerA"), succeeded("containerB")], "Succeeded", "all succeeded with restart never"),
        ([failed("containerA"), failed("containerB")], "Failed", "all failed with restart never"),
        ([running("containerA"), succeeded("containerB")], "Running", "mixed state #1 with restart never"),
        ([running("containerA")], "Pending", "mixed state #2 with restart never"),
        ([running("containerA"), waiting("containerB")], "Pending", "mixed state #3 with restart never"),
    ],
)
def test_phase_restart_never(statuses: list[dict[str, Any]], phase: str, case: str) -> None:
    """TestPodPhaseWithRestartNever."""
    assert get_phase(_pod("Never"), statuses, False) == phase, case


@pytest.mark.parametrize(
    ("statuses", "phase", "case"),
    [
        ([], "Pending", "waiting"),
        ([running("containerA"), running("containerB")], "Running", "all running with restart onfailure"),
        ([succeeded("containerA"), succeeded("containerB")], "Succeeded", "all succeeded with restart onfailure"),
        ([failed("containerA"), failed("containerB")], "Running", "all failed with restart onfailure"),
        ([running("containerA"), succeeded("containerB")], "Running", "mixed state #1 with restart onfailure"),
        ([running("containerA")], "Pending", "mixed state #2 with restart onfailure"),
        ([running("containerA"), waiting("containerB")], "Pending", "mixed state #3 with restart onfailure"),
        ([running("containerA"), waiting_last_terminated("containerB")], "Running", "backoff crashloop"),
    ],
)
def test_phase_restart_on_failure(statuses: list[dict[str, Any]], phase: str, case: str) -> None:
    """TestPodPhaseWithRestartOnFailure."""
    assert get_phase(_pod("OnFailure"), statuses, False) == phase, case


@pytest.mark.parametrize(
    ("policy", "statuses", "phase", "case"),
    [
        ("Always", [], "Pending", "empty, waiting"),
        ("Always", [running("containerX")], "Pending", "init container running"),
        ("Always", [failed("containerX")], "Pending", "init container terminated non-zero"),
        ("Always", [waiting_last_terminated("containerX")], "Pending", "init container waiting, terminated zero"),
        ("Always", [waiting_last_nonzero("containerX")], "Pending", "init container waiting, terminated non-zero"),
        ("Always", [waiting("containerX")], "Pending", "init container waiting, not terminated"),
        (
            "Always",
            [succeeded("containerX"), running("containerA"), running("containerB")],
            "Running",
            "init container succeeded",
        ),
        ("Never", [failed("containerX")], "Failed", "init container terminated non-zero, restart never"),
        ("Never", [waiting_last_nonzero("containerX")], "Failed", "init waiting, terminated non-zero, never"),
        ("OnFailure", [failed("containerX")], "Pending", "init container terminated non-zero, on failure"),
    ],
)
def test_phase_init_containers(policy: str, statuses: list[dict[str, Any]], phase: str, case: str) -> None:
    """TestPodPhaseWithRestartAlwaysInitContainers, ...NeverInitContainers, ...OnFailureInitContainers."""
    pod = _pod(policy, init=[{"name": "containerX"}])
    assert get_phase(pod, statuses, False) == phase, case


@pytest.mark.parametrize(
    ("statuses", "terminal", "phase", "case"),
    [
        ([], False, "Pending", "empty, waiting"),
        ([running("containerX")], False, "Pending", "restartable init container running"),
        ([stopped("containerX")], False, "Pending", "restartable init container stopped"),
        ([waiting_last_terminated("containerX")], False, "Pending", "waiting, terminated zero"),
        ([waiting_last_nonzero("containerX")], False, "Pending", "waiting, terminated non-zero"),
        ([waiting("containerX")], False, "Pending", "waiting, not terminated"),
        ([started("containerX"), running("containerA")], False, "Pending", "started, 1/2 regular running"),
        ([started("containerX"), running("containerA"), running("containerB")], False, "Running", "all running"),
        ([running("containerX"), running("containerA"), running("containerB")], False, "Running", "running, all"),
        ([stopped("containerX"), running("containerA"), running("containerB")], False, "Running", "stopped, all"),
        (
            [waiting_last_terminated("containerX"), running("containerA"), running("containerB")],
            False,
            "Running",
            "backoff crashloop restartable init container, all regular containers running",
        ),
        ([failed("containerX"), succeeded("containerA"), succeeded("containerB")], True, "Succeeded", "terminal"),
        ([succeeded("containerX"), succeeded("containerA"), succeeded("containerB")], True, "Succeeded", "terminal"),
    ],
)
def test_phase_restartable_init_containers(
    statuses: list[dict[str, Any]], terminal: bool, phase: str, case: str
) -> None:
    """TestPodPhaseWithRestartAlwaysRestartableInitContainers."""
    pod = _pod("Always", init=[{"name": "containerX", "restartPolicy": "Always"}])
    assert get_phase(pod, statuses, terminal) == phase, case


@pytest.mark.parametrize(
    ("statuses", "phase"),
    [
        ([running("containerX"), running("containerY"), running("containerA")], "Pending"),
        ([running("containerX"), running("containerY"), stopped("containerA")], "Pending"),
        ([succeeded("containerX"), running("containerY"), stopped("containerA")], "Running"),
        ([succeeded("containerX"), running("containerY"), running("containerA")], "Running"),
    ],
)
def test_phase_pod_has_run(statuses: list[dict[str, Any]], phase: str) -> None:
    """TestPodPhaseWithRestartAlwaysAndPodHasRun."""
    pod = _pod("Always", init=[{"name": "containerX"}, {"name": "containerY", "restartPolicy": "Always"}])
    pod["spec"]["containers"] = [{"name": "containerA"}]
    assert get_phase(pod, statuses, False) == phase


def test_phase_sidecar_not_started_after_reboot_is_pending() -> None:
    """With ``podHasInitialized`` false (no regular container in the new sandbox yet) a restarting sidecar keeps
    the Pod Pending (the v1.34 rule); with it true, Running."""
    pod = _pod("Always", init=[{"name": "containerX", "restartPolicy": "Always"}])
    statuses = [running("containerX"), running("containerA"), running("containerB")]
    assert get_phase(pod, statuses, False, pod_has_initialized=False) == "Pending"
    assert get_phase(pod, statuses, False, pod_has_initialized=True) == "Running"


# --------------------------------------------------------------------------------------------------------------
# computePodActions (kuberuntime_manager_test.go, TestComputePodActions)


def _status(name: str, state: str, exit_code: int | None = None, *, attempt: int = 0, image: str = "busybox",
            finished: float = 1.0, init: bool = False, sandbox: str = "s1") -> ContainerStatus:  # fmt: skip
    c = Container()
    c.id = f"id-{name}-{attempt}"
    c.name = name
    c.state = state
    c.created_at = 0.0
    c.started_at = 0.0
    c.finished_at = finished if state == EXITED else None
    c.exit_code = exit_code
    c.attempt = attempt
    c.image = image
    c.image_ref = None
    c.hash = hash_container({"name": name, "image": image})
    c.init = init
    c.seq = attempt
    c.sandbox = Sandbox(sandbox, "pod-uid", 0, "10.244.0.2", 0.0, False)
    return ContainerStatus(c)


def _sandbox(ready: bool = True, attempt: int = 0, sid: str = "s1") -> SandboxStatus:
    sandbox = Sandbox(sid, "pod-uid", attempt, "10.244.0.2", 0.0, False)
    sandbox.ready = ready
    return SandboxStatus(sandbox)


def _compute_pod(policy: str = "Always") -> dict[str, Any]:
    return {
        "metadata": {"name": "foo", "namespace": "new", "uid": "12345678"},
        "spec": {
            "restartPolicy": policy,
            "containers": [
                {"name": "foo1", "image": "busybox"},
                {"name": "foo2", "image": "busybox"},
                {"name": "foo3", "image": "busybox"},
            ],
        },
    }


def _none(container: str, probe_type: str, cid: str) -> bool | None:
    return None


def test_compute_actions_new_pod() -> None:
    """'Start pod sandbox and all containers for a new pod'."""
    actions = compute_pod_actions(_compute_pod(), PodRuntimeStatus([], []), _none)
    assert actions.create_sandbox and actions.kill_pod and actions.attempt == 0
    assert actions.to_start == [0, 1, 2] and not actions.to_kill


def test_compute_actions_all_running_does_nothing() -> None:
    rs = PodRuntimeStatus([_sandbox()], [_status(n, RUNNING) for n in ("foo1", "foo2", "foo3")])
    actions = compute_pod_actions(_compute_pod(), rs, _none)
    assert not actions.create_sandbox and not actions.kill_pod and not actions.to_start and not actions.to_kill


@pytest.mark.parametrize(
    ("policy", "to_start"),
    [("Always", [0, 1, 2]), ("OnFailure", [1, 2]), ("Never", [])],
)
def test_compute_actions_restart_policy(policy: str, to_start: list[int]) -> None:
    """'restart exited containers if RestartPolicy == Always', '... failed containers ... OnFailure', 'don't
    restart containers if RestartPolicy == Never' (foo1 exited 0, foo2 and foo3 exited 1; a fourth keeps running)."""
    pod = _compute_pod(policy)
    pod["spec"]["containers"].append({"name": "foo4", "image": "busybox"})
    rs = PodRuntimeStatus(
        [_sandbox()],
        [_status("foo1", EXITED, 0), _status("foo2", EXITED, 1), _status("foo3", EXITED, 1), _status("foo4", RUNNING)],
    )
    actions = compute_pod_actions(pod, rs, _none)
    assert actions.to_start == to_start
    assert not actions.kill_pod


def test_compute_actions_dead_sandbox_always_recreates_everything() -> None:
    """'Kill pod and recreate everything if the pod sandbox is dead, and RestartPolicy == Always'."""
    rs = PodRuntimeStatus([_sandbox(ready=False)], [_status(n, RUNNING) for n in ("foo1", "foo2", "foo3")])
    actions = compute_pod_actions(_compute_pod(), rs, _none)
    assert actions.kill_pod and actions.create_sandbox and actions.attempt == 1 and actions.sandbox_id == "s1"
    assert actions.to_start == [0, 1, 2]


def test_compute_actions_dead_sandbox_on_failure_skips_succeeded() -> None:
    """'Kill pod and recreate all containers (except for the succeeded one) if the pod sandbox is dead, and
    RestartPolicy == OnFailure'."""
    rs = PodRuntimeStatus(
        [_sandbox(ready=False)], [_status("foo1", RUNNING), _status("foo2", EXITED, 0), _status("foo3", RUNNING)]
    )
    actions = compute_pod_actions(_compute_pod("OnFailure"), rs, _none)
    assert actions.create_sandbox and actions.to_start == [0, 2]


def test_compute_actions_never_does_not_recreate_sandbox_once_run() -> None:
    """'Verify we do not create a pod sandbox if no ready sandbox for pod with RestartPolicy=Never and all
    containers exited'."""
    rs = PodRuntimeStatus([_sandbox(ready=False)], [_status(n, EXITED, 0) for n in ("foo1", "foo2", "foo3")])
    actions = compute_pod_actions(_compute_pod("Never"), rs, _none)
    assert actions.kill_pod and not actions.create_sandbox and not actions.to_start


def test_compute_actions_spec_changed_restarts() -> None:
    """'Kill and recreate the container if the container's spec changed'."""
    pod = _compute_pod()
    pod["spec"]["containers"][1]["image"] = "busybox:1.37"
    rs = PodRuntimeStatus([_sandbox()], [_status(n, RUNNING) for n in ("foo1", "foo2", "foo3")])
    actions = compute_pod_actions(pod, rs, _none)
    assert actions.to_start == [1]
    assert [(s.name, msg) for s, _, msg, _ in actions.to_kill] == [
        ("foo2", "Container foo2 definition changed, will be restarted")
    ]


def test_compute_actions_liveness_failure() -> None:
    """'Kill and recreate the container if the liveness check has failed' (and not recreate with Never)."""
    rs = PodRuntimeStatus([_sandbox()], [_status(n, RUNNING) for n in ("foo1", "foo2", "foo3")])

    def liveness(container: str, probe_type: str, cid: str) -> bool | None:
        return False if (container, probe_type) == ("foo1", "liveness") else None

    actions = compute_pod_actions(_compute_pod(), rs, liveness)
    assert actions.to_start == [0]
    assert actions.to_kill[0][2] == "Container foo1 failed liveness probe, will be restarted"
    actions = compute_pod_actions(_compute_pod("Never"), rs, liveness)
    assert actions.to_start == []
    assert actions.to_kill[0][2] == "Container foo1 failed liveness probe"


def test_compute_actions_init_containers() -> None:
    """TestComputePodActionsWithInitContainers: start the first init container, then the next, then the app."""
    pod = _compute_pod()
    pod["spec"]["initContainers"] = [{"name": "init1", "image": "busybox"}, {"name": "init2", "image": "busybox"}]
    first = compute_pod_actions(pod, PodRuntimeStatus([], []), _none)
    assert first.create_sandbox and first.init_to_start == [0] and first.to_start == []
    rs = PodRuntimeStatus([_sandbox()], [_status("init1", EXITED, 0, init=True)])
    assert compute_pod_actions(pod, rs, _none).init_to_start == [1]
    rs = PodRuntimeStatus([_sandbox()], [_status("init1", EXITED, 0, init=True), _status("init2", RUNNING, init=True)])
    running_init = compute_pod_actions(pod, rs, _none)
    assert running_init.init_to_start == [] and running_init.to_start == []
    rs = PodRuntimeStatus(
        [_sandbox()], [_status("init1", EXITED, 0, init=True), _status("init2", EXITED, 0, init=True)]
    )
    assert compute_pod_actions(pod, rs, _none).to_start == [0, 1, 2]
    rs = PodRuntimeStatus([_sandbox()], [_status("init1", EXITED, 1, init=True)])
    assert compute_pod_actions(pod, rs, _none).init_to_start == [0]  # restart the failed one
    never = _compute_pod("Never")
    never["spec"]["initContainers"] = pod["spec"]["initContainers"]
    failed_never = compute_pod_actions(never, rs, _none)
    assert failed_never.kill_pod and failed_never.init_to_start == []


def test_compute_actions_sidecar_then_next() -> None:
    """TestComputePodActionsWithRestartableInitContainers: a running sidecar (no startup probe) counts as
    initialized, so the next init container (or the app containers) start; an exited sidecar is restarted."""
    pod = _compute_pod()
    pod["spec"]["initContainers"] = [{"name": "side", "image": "busybox", "restartPolicy": "Always"}]
    rs = PodRuntimeStatus([_sandbox()], [_status("side", RUNNING, init=True)])
    assert compute_pod_actions(pod, rs, _none).to_start == [0, 1, 2]
    rs = PodRuntimeStatus(
        [_sandbox()], [_status("side", EXITED, 1, init=True)] + [_status(n, RUNNING) for n in ("foo1", "foo2", "foo3")]
    )
    actions = compute_pod_actions(pod, rs, _none)
    assert actions.init_to_start == [0] and actions.to_start == []
    pod["spec"]["initContainers"][0]["startupProbe"] = {"exec": {"command": ["true"]}}
    rs = PodRuntimeStatus([_sandbox()], [_status("side", RUNNING, init=True)])
    assert compute_pod_actions(pod, rs, _none).to_start == []  # waiting for the startup probe


def test_compute_actions_job_with_sidecar_kills_pod_when_done() -> None:
    """Once every app container of a Never/OnFailure Pod has completed, the sidecars are killed (KillPod)."""
    pod = _compute_pod("Never")
    pod["spec"]["containers"] = [{"name": "foo1", "image": "busybox"}]
    pod["spec"]["initContainers"] = [{"name": "side", "image": "busybox", "restartPolicy": "Always"}]
    rs = PodRuntimeStatus([_sandbox()], [_status("side", RUNNING, init=True), _status("foo1", EXITED, 0)])
    actions = compute_pod_actions(pod, rs, _none)
    assert actions.kill_pod and not actions.create_sandbox and not actions.init_to_start


# --------------------------------------------------------------------------------------------------------------
# flowcontrol.Backoff (backoff_test.go)


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_backoff_doubles_to_max() -> None:
    """TestSlowBackoff: each Next doubles the back-off, up to the maximum."""
    clock = Clock()
    b = Backoff(clock, 10.0, 300.0)
    seen = []
    for _ in range(8):
        seen.append(b.next("c", clock.t))
        clock.t += 1
    assert seen == [10, 20, 40, 80, 160, 300, 300, 300]


def test_backoff_reset_after_twice_max() -> None:
    """TestBackoffReset / hasExpired: an event more than 2 x max after the last update starts over."""
    clock = Clock()
    b = Backoff(clock, 10.0, 300.0)
    for _ in range(4):
        b.next("c", clock.t)
    assert b.get("c") == 80
    clock.t = 600.0  # exactly 2 x max later: not yet expired
    assert b.next("c", 600.0) == 160
    clock.t = 1200.5
    assert not b.is_in_backoff_since("c", 1200.5)
    assert b.next("c", 1200.5) == 10


def test_backoff_in_backoff_since() -> None:
    """IsInBackOffSince (now - event < backoff) and IsInBackOffSinceUpdate (event - last update < backoff)."""
    clock = Clock()
    b = Backoff(clock, 10.0, 300.0)
    assert not b.is_in_backoff_since("c", 0.0)
    b.next("c", 0.0)
    clock.t = 9.0
    assert b.is_in_backoff_since("c", 0.0)
    assert not b.is_in_backoff_since("c", -1.0)
    assert b.is_in_backoff_since_update("c", 9.0)
    assert not b.is_in_backoff_since_update("c", 10.0)
    clock.t = 10.0
    assert not b.is_in_backoff_since("c", 0.0)


def test_stable_and_image_keys() -> None:
    """getStableKey and the image manager's key; a new image gives a new container key."""
    pod = {"metadata": {"name": "web", "namespace": "default", "uid": "u-1"}}
    key = stable_key(pod, {"name": "web", "image": "nginx:1.27"})
    assert key.startswith("web_default_u-1_web_")
    assert key != stable_key(pod, {"name": "web", "image": "nginx:1.28"})
    assert image_key(pod, "nginx:1.27") == "u-1_nginx:1.27"
    assert format_pod({"metadata": {"name": "web", "namespace": "default", "uid": "u-1"}}) == "web_default(u-1)"


# --------------------------------------------------------------------------------------------------------------
# the behaviour annotation


def _annotated(text: str, containers: tuple[str, ...] = ("web",), init: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "metadata": {"annotations": {BEHAVIOR_ANNOTATION: text}},
        "spec": {
            "containers": [{"name": n} for n in containers],
            "initContainers": [{"name": n} for n in init],
        },
    }


def test_behavior_docstring_example_parses() -> None:
    text = """
web:
  startupTime: 2s
  readyAfter: 20s
  exitAfter: 1h
  exitCode: 1
  unhealthy: [[10m, 10m30s]]
  unready: []
  cpu: 250m
  memory: [[0s, 64Mi], [5m, 200Mi]]
  shutdownDelay: 5s
  shutdownExitCode: 143
  files:
    /usr/share/nginx/html/index.html: hello
init-db:
  exitAfter: 3s
"""
    behaviors = parse_behavior(_annotated(text, init=("init-db",)))
    web = behaviors["web"]
    assert (web.startup_time, web.ready_after, web.exit_after, web.exit_code) == (2, 20, 3600, 1)
    assert web.unhealthy == ((600.0, 630.0),)
    assert web.usage(0) == (250, 64 * 1024**2)
    assert web.usage(301) == (250, 200 * 1024**2)
    assert web.shutdown_delay == 5 and web.files == {"/usr/share/nginx/html/index.html": "hello"}
    assert behaviors["init-db"].exit_after == 3
    # readiness fails before readyAfter, liveness only in the unhealthy window; tcpSocket sees only the port
    assert web.failing("readiness", "httpGet") == ((0.0, 20.0), (600.0, 630.0))
    assert web.failing("liveness", "httpGet") == ((0.0, 2.0), (600.0, 630.0))
    assert web.failing("liveness", "tcpSocket") == ((0.0, 2.0),)


def test_behavior_defaults_and_json() -> None:
    pod = _annotated('{"web": {"exitAfter": 5, "exitRuns": 2}}', containers=("web", "side"), init=("setup",))
    pod["spec"]["initContainers"].append({"name": "proxy", "restartPolicy": "Always"})
    behaviors = parse_behavior(pod)
    assert behaviors["web"].exit_time(0) == 5 and behaviors["web"].exit_time(2) is None
    assert behaviors["side"].exit_time(0) is None  # runs forever
    assert behaviors["setup"].exit_time(0) == 0  # a plain init container completes at once
    assert behaviors["proxy"].exit_time(0) is None  # a sidecar runs on
    plain = parse_behavior({"metadata": {}, "spec": {"containers": [{"name": "web"}]}})
    assert plain["web"].exit_time(3) is None and plain["web"].failing("readiness", "httpGet") == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("web: {exitCode: 300}", "web.exitCode: Invalid value: 300: must be between 0 and 255, inclusive"),
        ("web: {exitAfter: 5x}", 'web.exitAfter: Invalid value: "5x": must be a duration'),
        ("web: {exitAfter: -5s}", 'web.exitAfter: Invalid value: "-5s": must be a non-negative duration'),
        ("webb: {exitAfter: 5s}", 'Not found: "webb": the Pod has no container of that name (containers: web)'),
        ("web: {exitAftr: 5s}", 'web: unknown field "exitAftr"'),
        ("web: {unhealthy: [[10s, 5s]]}", "web.unhealthy[0]: Invalid value: "),
        ("web: {cpu: lots}", 'web.cpu: Invalid value: "lots": must be a quantity'),
        ("web: [1, 2", "Invalid value: not valid JSON or YAML"),
        ("[1, 2]", "must be a mapping from container name to its behavior"),
        ("web: {shutdownDelay: sometimes}", 'web.shutdownDelay: Invalid value: "sometimes"'),
    ],
)
def test_behavior_errors_name_field_value_and_rule(text: str, message: str) -> None:
    with pytest.raises(BehaviorError) as err:
        parse_behavior(_annotated(text))
    assert str(err.value).startswith("metadata.annotations[k8smodel.io/behavior]")
    assert message in str(err.value)


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100)), max_size=6))
@settings(max_examples=100, deadline=None)
def test_merge_windows_covers_the_same_points(raw: list[tuple[float, float]]) -> None:
    windows = [(min(a, b), max(a, b)) for a, b in raw]
    merged = merge_windows(windows)
    for x in [i * 0.5 for i in range(0, 201)]:
        assert any(a <= x < b for a, b in windows) == any(a <= x < b for a, b in merged)
    assert all(merged[i][1] < merged[i + 1][0] for i in range(len(merged) - 1))


# --------------------------------------------------------------------------------------------------------------
# images


def test_image_normalization_and_registry() -> None:
    """ParseNormalizedNamed: a short name is docker.io/library/...:latest."""
    assert normalize("nginx") == "docker.io/library/nginx:latest"
    assert normalize("nginx:1.27") == "docker.io/library/nginx:1.27"
    assert normalize("registry.k8s.io/pause:3.10") == "registry.k8s.io/pause:3.10"
    with pytest.raises(InvalidImageName, match="must be lowercase"):
        normalize("NGINX")
    reg = ImageRegistry()
    assert reg.size_of("nginx:1.27") == reg.size_of("docker.io/library/nginx:1.27") == 72_200_000
    assert reg.size_of("nginx:9.99") is None and "nginx:9.99" not in reg
    ref = reg.push("example.com/shop/web:1.0", 120_000_000)
    assert ref == "example.com/shop/web:1.0" and reg.size_of("example.com/shop/web:1.0") == 120_000_000
    image = reg.lookup("example.com/shop/web:1.0")
    assert image is not None and image.image_id.startswith("example.com/shop/web@sha256:")
    assert reg.lookup(image.image_id) == image
    with pytest.raises(ValueError, match="positive"):
        reg.push("x:1", 0)
    assert len(ImageRegistry({})) == 0


def test_pull_time_and_errors() -> None:
    assert bandwidth_bytes("50Mi") == 50 * 1024**2
    assert pull_duration(50 * 1024**2, bandwidth_bytes("50Mi")) == pytest.approx(PULL_LATENCY + 1)
    assert not_found_error("docker.io/library/nginx:9.99") == (
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:9.99": failed '
        'to resolve reference "docker.io/library/nginx:9.99": docker.io/library/nginx:9.99: not found'
    )


# --------------------------------------------------------------------------------------------------------------
# host-local IPAM


def test_host_local_round_robin() -> None:
    """host-local: .1 is the gateway, addresses from .2 up, and a released one is reused only after wrapping."""
    ipam = HostLocalIPAM("10.244.1.0/24")
    assert ipam.capacity == 253
    first = [ipam.allocate() for _ in range(3)]
    assert first == ["10.244.1.2", "10.244.1.3", "10.244.1.4"]
    ipam.release("10.244.1.2")
    assert ipam.allocate() == "10.244.1.5"
    rest = [ipam.allocate() for _ in range(249)]
    assert rest[-1] == "10.244.1.254"
    assert ipam.allocate() == "10.244.1.2"  # wrapped round to the released one
    assert ipam.allocate() is None  # full
    assert math.isclose(ipam.in_use(), 253)
