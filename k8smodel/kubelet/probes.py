"""probes: liveness, readiness and startup probes — computed from the container's script, not ticked.

The kubelet's prober (``pkg/kubelet/prober/``) runs one *worker* per container and probe type (``worker.go``), created
when the Pod is first synced (``prober_manager.go``: ``AddPod``, which creates them in the order startup, readiness,
liveness, for app containers and sidecars) and stopped when the Pod ends. A worker wakes on a ticker every
``periodSeconds`` and runs ``doProbe``:

* no running container yet, or a probe on hold: nothing; a new container (a new container ID) resets the worker's
  result to its *initial value* (readiness: failure, liveness: success, startup: unknown) and takes it off hold;
* a Pod being deleted: liveness and startup report success and stop (a quiet shutdown);
* ``int(now - startedAt) < initialDelaySeconds``: nothing;
* startup probes run only until the container has *started*; liveness and readiness only after it has;
* otherwise it probes. ``resultRun`` counts how many probes in a row gave the same result; only when it reaches
  ``failureThreshold`` (or ``successThreshold``) does the result change. A liveness failure (and any startup result)
  puts the worker on hold until the next container. Every failed probe records a ``Warning Unhealthy`` event,
  ``Liveness probe failed: HTTP probe failed with statuscode: 500`` (``prober.go``).

Defaults (``SetDefaults_Probe`` in ``pkg/apis/core/v1/defaults.go``, applied by the API server): period 10 s,
timeout 1 s, success threshold 1, failure threshold 3, no initial delay.

The ticker's phase
    The ticker starts when the worker is created (the Pod's first sync, before any container runs), not when the
    container starts, and it keeps its phase across restarts; so probes fall on the grid ``created + k * period``,
    and a container is first probed at the first tick after it started (and after ``initialDelaySeconds``). If
    the kubelet itself started less than one period earlier, the worker first sleeps a random fraction of a period
    (``rand.Float64() * period``, here from ``sim.rng("kubelet/<node>/prober")``) so that a restarted kubelet does
    not probe everything at once. When the status is generated for a running, started container whose readiness
    is not yet *success*, the kubelet triggers its readiness worker at once (``UpdatePodStatus`` in
    ``prober_manager.go``) and the ticker restarts from that moment (``probeTicker.Reset``). So a container without
    an initial delay is ready as soon as it runs.

Cost in proportion to what changes
    A container's script (:mod:`k8smodel.kubelet.behavior`) makes every probe's answer a known function of time:
    it fails in given windows after the container's start. So a worker never ticks idly: after each probe it
    computes the next grid tick at which something can change — every tick while a run is below its threshold (each
    failed probe is an event), otherwise the first tick whose answer differs from the current result — and schedules
    only that. A container probed every 10 s for an hour with nothing to report costs nothing.

What the model leaves out
    * Probe timeouts (``timeoutSeconds``) never expire: the model's processes answer at once.
    * ``exec`` probes do not run a command; their result follows the script's windows, with its ``probeOutput``.
    * While a probe keeps failing after its threshold was reached (a readiness probe), upstream records one
      ``Unhealthy`` event per probe (which the event spam filter then thins out); the model skips those ticks, so it
      records the events up to the threshold and then stays quiet until the result changes.
    * A probe on a named port the container does not declare cannot be run (``ResolveContainerPort`` fails); upstream
      records a ``probe errored`` event every period, the model once per container run.
    * Upstream keeps a result across a kubelet restart for containers that kept running
      (``ChangeContainerStatusOnKubeletRestart`` off); in the model a kubelet restart is a machine reboot, after which
      every container is new.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from k8smodel.kubelet.behavior import ContainerBehavior
from k8smodel.sim import Simulation, Timer

LIVENESS = "liveness"
READINESS = "readiness"
STARTUP = "startup"
PROBE_TYPES = (STARTUP, READINESS, LIVENESS)  # the order AddPod creates workers in
LABELS = {LIVENESS: "Liveness", READINESS: "Readiness", STARTUP: "Startup"}
FIELDS = {LIVENESS: "livenessProbe", READINESS: "readinessProbe", STARTUP: "startupProbe"}
INITIAL_VALUE: dict[str, bool | None] = {LIVENESS: True, READINESS: False, STARTUP: None}

DEFAULT_PERIOD = 10
DEFAULT_TIMEOUT = 1
DEFAULT_SUCCESS_THRESHOLD = 1
DEFAULT_FAILURE_THRESHOLD = 3
EPS = 1e-9


@dataclass(frozen=True)
class ProbeSpec:
    """A container's probe, with upstream's defaults filled in and its target resolved."""

    probe_type: str
    handler: str  # httpGet, tcpSocket, grpc, exec
    period: float
    timeout: int
    success_threshold: int
    failure_threshold: int
    initial_delay: int
    port: int | None  # None for exec (or when a named port cannot be resolved: see port_error)
    port_error: str  # non-empty if the port cannot be resolved
    host: str  # httpGet.host, or "" for the Pod's IP
    path: str
    scheme: str
    termination_grace_period: int | None  # probe-level terminationGracePeriodSeconds


def _resolve_port(value: Any, container: Mapping[str, Any]) -> tuple[int | None, str]:
    """``ResolveContainerPort`` (``pkg/kubelet/prober/prober.go``): a number, or a named container port."""
    if isinstance(value, bool) or value is None:
        return None, f"intOrString had no kind: {value!r}"
    named: int | None = None
    if isinstance(value, int):
        named = value
    else:
        for p in container.get("ports") or []:
            if p.get("name") == value:
                named = int(p.get("containerPort", 0))
                break
    if named is None:
        try:
            port = int(str(value))
        except ValueError:
            return None, f'strconv.Atoi: parsing "{value}": invalid syntax'
    else:
        port = named
    if 0 < port < 65536:
        return port, ""
    return None, f"invalid port number: {port}"


def probe_spec(probe_type: str, probe: Mapping[str, Any], container: Mapping[str, Any]) -> ProbeSpec:
    """The :class:`ProbeSpec` of ``container``'s ``probe`` (a probe dict as the API returns it)."""
    handler, action = "exec", {}
    for name in ("httpGet", "tcpSocket", "grpc", "exec"):
        if isinstance(probe.get(name), Mapping):
            handler, action = name, probe[name]
            break
    port, port_error = (None, "")
    if handler != "exec":
        port, port_error = _resolve_port(action.get("port"), container)
    return ProbeSpec(
        probe_type=probe_type,
        handler=handler,
        period=float(probe.get("periodSeconds") or DEFAULT_PERIOD),
        timeout=int(probe.get("timeoutSeconds") or DEFAULT_TIMEOUT),
        success_threshold=int(probe.get("successThreshold") or DEFAULT_SUCCESS_THRESHOLD),
        failure_threshold=int(probe.get("failureThreshold") or DEFAULT_FAILURE_THRESHOLD),
        initial_delay=int(probe.get("initialDelaySeconds") or 0),
        port=port,
        port_error=port_error,
        host=str(action.get("host") or "") if handler == "httpGet" else "",
        path=str(action.get("path") or "") if handler == "httpGet" else "",
        scheme=str(action.get("scheme") or "HTTP").lower() if handler == "httpGet" else "",
        termination_grace_period=probe.get("terminationGracePeriodSeconds"),
    )


class ProbedContainer:
    """What a worker needs to know about one container run: when it started, its script, its IP, its end."""

    __slots__ = ("behavior", "declared_ports", "id", "ip", "started_at", "stopped")

    def __init__(
        self, cid: str, started_at: float, behavior: ContainerBehavior, ip: str, declared_ports: frozenset[int]
    ) -> None:
        self.id = cid
        self.started_at = started_at
        self.behavior = behavior
        self.ip = ip
        self.declared_ports = declared_ports
        self.stopped = False


class ProbeWorker:
    """One container's probe of one type (``worker.go``), scheduled from the script instead of ticking."""

    def __init__(self, manager: ProbeManager, uid: str, container: str, spec: ProbeSpec, anchor: float) -> None:
        self.manager = manager
        self.uid = uid
        self.container = container
        self.spec = spec
        self.probe_type = spec.probe_type
        self.anchor = anchor  # the ticker's phase: ticks at anchor + k * period
        self.last_tick = -math.inf
        self.last_result: bool | None = None
        self.result_run = 0
        self.on_hold = False
        self.target: ProbedContainer | None = None
        self.result: bool | None = None  # the results manager's value for the current container
        self.windows: tuple[tuple[float, float], ...] = ()  # absolute failing windows of the current container
        self.always_fails = False
        self.errored = False
        self.stopped = False
        self.probes = 0  # probes actually run (for tests and figures)
        self.timer: Timer | None = None

    # ---- the container ----------------------------------------------------------------------------------------

    def new_container(self, target: ProbedContainer) -> None:
        """A new container ID: reset the result to the initial value and resume (``doProbe``)."""
        self.target = target
        self.result = INITIAL_VALUE[self.probe_type]
        self.on_hold = False
        self.errored = False
        spec = self.spec
        self.always_fails = spec.port is not None and spec.port not in target.declared_ports
        start = target.started_at
        self.windows = tuple((start + a, start + b) for a, b in target.behavior.failing(self.probe_type, spec.handler))
        self.schedule()

    def container_stopped(self) -> None:
        if self.target is not None:
            self.target.stopped = True
        if self.probe_type == READINESS and self.result:
            self.result = False  # a non-running container probed: Failure
        self._cancel()

    # ---- scheduling -------------------------------------------------------------------------------------------

    def _cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _tick_at_or_after(self, t: float) -> float:
        period = self.spec.period
        k = math.ceil((t - self.anchor) / period - EPS)
        return self.anchor + k * period

    def _tick_after(self, t: float) -> float:
        tick = self._tick_at_or_after(t)
        return tick + self.spec.period if tick <= t + EPS else tick

    def _fails_at(self, t: float) -> bool:
        return self.always_fails or any(a - EPS <= t < b - EPS for a, b in self.windows)

    def _next_change(self, tick: float) -> float | None:
        """The first grid tick at or after ``tick`` whose answer differs from ``last_result``."""
        if self.last_result:  # healthy: the first failing tick
            if self.always_fails:
                return tick
            best = None
            for a, b in self.windows:
                if b <= tick + EPS:
                    continue
                candidate = self._tick_at_or_after(max(a, tick))
                if candidate < b - EPS and (best is None or candidate < best):
                    best = candidate
            return best
        if self.always_fails:  # failing: the first tick outside every failing window
            return None
        t = tick
        for a, b in self.windows:
            if b <= t + EPS:
                continue
            if a - EPS <= t:
                if math.isinf(b):
                    return None
                t = self._tick_at_or_after(b)
            else:
                break
        return t

    def schedule(self) -> None:
        """Arm the timer for the next tick at which this worker can change anything (or none)."""
        self._cancel()
        target = self.target
        if self.stopped or self.on_hold or target is None or target.stopped or self.errored:
            return
        manager = self.manager
        started_at = manager.started_at(self.uid, self.container, target)
        now = manager.sim.now
        lower_strict = max(self.last_tick, target.started_at)  # a tick in the very instant of the start misses it
        if self.probe_type == STARTUP:
            if started_at is not None:
                return
        else:
            if started_at is None:
                return
            lower_strict = max(lower_strict, started_at)
        lower = max(now, target.started_at + self.spec.initial_delay)
        tick = max(self._tick_at_or_after(lower), self._tick_after(lower_strict))
        if self.spec.port_error:
            when: float | None = tick
        elif self.last_result is None or self.result_run < self._threshold(self.last_result):
            when = tick
        else:
            when = self._next_change(tick)
        if when is None:
            return
        exit_at = manager.exit_time(self.uid, self.container, target)
        if exit_at is not None and when >= exit_at - EPS:
            return  # the container will be gone by then; its next run resets this worker
        self.timer = manager.sim.call_at(when, self._fire)

    def _threshold(self, result: bool) -> int:
        return self.spec.success_threshold if result else self.spec.failure_threshold

    def _fire(self) -> None:
        self.timer = None
        now = self.manager.sim.now
        self.last_tick = now
        self.probe(now)
        self.schedule()

    def trigger(self, now: float) -> None:
        """A manual run (``manualTriggerCh``): probe now and restart the ticker from now."""
        if self.stopped or self.target is None or self.target.stopped:
            return
        self.anchor = now
        self.last_tick = now
        self.probe(now)
        self.schedule()

    # ---- doProbe ---------------------------------------------------------------------------------------------

    def probe(self, now: float) -> None:
        target = self.target
        if self.stopped or self.on_hold or target is None or target.stopped:
            return
        if int(now - target.started_at + EPS) < self.spec.initial_delay:
            return
        started = self.manager.started_at(self.uid, self.container, target) is not None
        if started == (self.probe_type == STARTUP):
            return
        manager = self.manager
        label = LABELS[self.probe_type]
        if self.spec.port_error:
            if not self.errored:
                self.errored = True
                manager.emit(self, f"{label} probe errored and resulted in unknown state: {self.spec.port_error}")
            return
        self.probes += 1
        ok = not self._fails_at(now)
        if ok == self.last_result:
            self.result_run += 1
        else:
            self.last_result = ok
            self.result_run = 1
        if not ok:
            manager.emit(self, f"{label} probe failed: {self._output(now)}")
        if (not ok and self.result_run < self.spec.failure_threshold) or (
            ok and self.result_run < self.spec.success_threshold
        ):
            return
        if self.result != ok:
            self.result = ok
            manager.on_result(self, ok)
        if (self.probe_type == LIVENESS and not ok) or self.probe_type == STARTUP:
            self.on_hold = True
            self.result_run = 0

    def _output(self, now: float) -> str:
        """What a failed probe reports (``prober.go``'s event message after ``probe failed:``)."""
        target = self.target
        assert target is not None
        spec = self.spec
        behavior = target.behavior
        reason = "refused" if self.always_fails else behavior.failure_reason(self.probe_type, now - target.started_at)
        host = spec.host or target.ip
        hostport = f"[{host}]:{spec.port}" if ":" in host else f"{host}:{spec.port}"
        if spec.handler == "exec":
            return behavior.probe_output
        if spec.handler == "grpc":
            if reason == "refused":
                return f'timeout: failed to connect service "{hostport}" within {spec.timeout}s'
            return 'service unhealthy (responded with "NOT_SERVING")'
        if reason == "refused":
            dial = f"dial tcp {hostport}: connect: connection refused"
            if spec.handler == "tcpSocket":
                return dial
            return f'Get "{spec.scheme}://{hostport}{spec.path}": {dial}'
        return f"HTTP probe failed with statuscode: {500 if reason == 'unhealthy' else 503}"


class ProbeManager:
    """The prober manager of one kubelet: workers by Pod, and what the kubelet asks of them.

    ``on_result(worker, ok)`` is called when a worker's result changes (``resultsManager.Set`` with a new value);
    ``emit(worker, message)`` records a ``Warning Unhealthy`` event; ``exit_time(uid, container, target)`` says when
    the container will exit on its own (or ``None``), so that no probe is scheduled past it.
    """

    def __init__(
        self,
        sim: Simulation,
        rng: random.Random,
        on_result: Callable[[ProbeWorker, bool], None],
        emit: Callable[[ProbeWorker, str], None],
        exit_time: Callable[[str, str, ProbedContainer], float | None],
    ) -> None:
        self.sim = sim
        self.rng = rng
        self.on_result = on_result
        self.emit = emit
        self.exit_time = exit_time
        self.start = sim.now  # probeManager.start: when the kubelet started
        self.workers: dict[str, dict[tuple[str, str], ProbeWorker]] = {}  # uid -> (container, type) -> worker
        self._started: dict[tuple[str, str], tuple[str, float]] = {}  # (uid, container) -> (container id, when)

    def add_pod(self, pod: Mapping[str, Any]) -> None:
        """``AddPod``: create the workers a Pod's containers (and sidecars) need, once."""
        uid = pod["metadata"]["uid"]
        if uid in self.workers:
            return
        spec = pod.get("spec") or {}
        containers = list(spec.get("containers") or []) + [
            c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"
        ]
        workers: dict[tuple[str, str], ProbeWorker] = {}
        now = self.sim.now
        for container in containers:
            for probe_type in PROBE_TYPES:
                probe = container.get(FIELDS[probe_type])
                if not isinstance(probe, Mapping):
                    continue
                ps = probe_spec(probe_type, probe, container)
                anchor = now
                if ps.period > now - self.start:  # the kubelet started recently: spread the workers
                    anchor = now + self.rng.random() * ps.period
                workers[(container.get("name", ""), probe_type)] = ProbeWorker(
                    self, uid, container.get("name", ""), ps, anchor
                )
        self.workers[uid] = workers

    def remove_pod(self, uid: str) -> None:
        """``RemovePod``: stop and forget the Pod's workers."""
        for worker in self.workers.pop(uid, {}).values():
            worker.stopped = True
            worker._cancel()
        for key in [k for k in self._started if k[0] == uid]:
            del self._started[key]

    def stop_all(self) -> None:
        for uid in list(self.workers):
            self.remove_pod(uid)

    def worker(self, uid: str, container: str, probe_type: str) -> ProbeWorker | None:
        workers = self.workers.get(uid)
        return None if workers is None else workers.get((container, probe_type))

    def has_probes(self, uid: str) -> bool:
        return bool(self.workers.get(uid))

    # ---- container lifecycle ----------------------------------------------------------------------------------

    def container_started(self, uid: str, container: str, target: ProbedContainer) -> None:
        workers = self.workers.get(uid, {})
        if (container, STARTUP) not in workers:
            self._started[(uid, container)] = (target.id, target.started_at)
        else:
            self._started.pop((uid, container), None)
        for probe_type in PROBE_TYPES:
            w = workers.get((container, probe_type))
            if w is not None:
                w.new_container(target)

    def container_stopped(self, uid: str, container: str) -> None:
        self._started.pop((uid, container), None)
        for probe_type in PROBE_TYPES:
            w = self.worker(uid, container, probe_type)
            if w is not None:
                w.container_stopped()

    def mark_started(self, worker: ProbeWorker) -> None:
        """A startup probe succeeded: the container has started; liveness and readiness begin."""
        target = worker.target
        if target is None:
            return
        self._started[(worker.uid, worker.container)] = (target.id, self.sim.now)
        for probe_type in (READINESS, LIVENESS):
            w = self.worker(worker.uid, worker.container, probe_type)
            if w is not None:
                w.schedule()

    def started_at(self, uid: str, container: str, target: ProbedContainer | None) -> float | None:
        """When the container run ``target`` counted as started (``isContainerStarted``), or ``None``."""
        entry = self._started.get((uid, container))
        if entry is None or target is None or entry[0] != target.id:
            return None
        return entry[1]

    def is_ready(self, uid: str, container: str, target: ProbedContainer) -> bool:
        """``UpdatePodStatus``'s ready flag for a running, started container: its readiness result, or ``True``
        without a readiness probe."""
        w = self.worker(uid, container, READINESS)
        if w is None:
            return True
        return bool(w.result) and w.target is target

    def result(self, uid: str, container: str, probe_type: str, cid: str) -> bool | None:
        w = self.worker(uid, container, probe_type)
        if w is None or w.target is None or w.target.id != cid:
            return None
        return w.result

    def trigger_readiness(self, uid: str, container: str) -> None:
        """The manual trigger of ``UpdatePodStatus``: a started container not yet ready is probed at once."""
        w = self.worker(uid, container, READINESS)
        if w is not None and not w.result and not w.on_hold:
            w.trigger(self.sim.now)

    def pod_terminating(self, uid: str) -> None:
        """``doProbe`` on a Pod being deleted: liveness and startup report success and stop."""
        for (_, probe_type), w in self.workers.get(uid, {}).items():
            if probe_type in (LIVENESS, STARTUP):
                w.stopped = True
                w._cancel()
                if w.target is not None:
                    w.result = True


__all__ = [
    "INITIAL_VALUE",
    "LABELS",
    "LIVENESS",
    "PROBE_TYPES",
    "READINESS",
    "STARTUP",
    "ProbeManager",
    "ProbeSpec",
    "ProbeWorker",
    "ProbedContainer",
    "probe_spec",
]
