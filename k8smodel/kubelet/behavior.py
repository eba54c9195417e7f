"""behavior: what the processes inside the model's containers do — the ``k8smodel.io/behavior`` annotation.

A real container runs a program; the model has no programs, so a Pod says what each of its containers *would do*
in a model-only annotation, ``k8smodel.io/behavior``, on the Pod (or on a Deployment's Pod template, whence it is
copied to every Pod). Its value is JSON or YAML: a mapping from container name to that container's script. A
manifest without the annotation is still a valid Kubernetes manifest and runs unchanged: its containers run
forever, healthy and ready at once (and its plain init containers complete at once), so plain manifests work in the
model exactly as they are, and the annotation is ignored by a real cluster.

Example (a web server that needs 20 s to warm up, crashes after an hour, hangs for half a minute after ten minutes,
and takes 5 s to shut down on SIGTERM; an init container that runs for 3 s)::

    metadata:
      annotations:
        k8smodel.io/behavior: |
          web:
            startupTime: 2s          # listens on its ports 2 s after it starts: probes before that are refused
            readyAfter: 20s          # readiness fails (HTTP 503) for the first 20 s
            exitAfter: 1h            # then the process exits on its own ...
            exitCode: 1              # ... with this code
            unhealthy: [[10m, 10m30s]]   # liveness fails (HTTP 500) in these windows after start
            unready: []              # readiness fails (HTTP 503) in these windows after start
            cpu: 250m                # CPU use: a quantity, or steps [[after, quantity], ...]
            memory: [[0s, 64Mi], [5m, 200Mi]]
            shutdownDelay: 5s        # on SIGTERM it exits after 5 s; "never" ignores SIGTERM (SIGKILL at the end
            shutdownExitCode: 143    #   of the grace period, exit 137); the exit code of a clean SIGTERM exit
            files:                   # files the process writes when it starts (emptyDir mounts are shared)
              /usr/share/nginx/html/index.html: hello
            logs:                    # what it prints (kubectl logs): [after, line] pairs, in order of time
              - [0s, "nginx: starting"]
              - [20s, "nginx: ready"]
          init-db:
            exitAfter: 3s

Fields (all optional; durations are Go durations such as ``"90s"`` or ``"1m30s"``, or numbers of seconds; every
time is measured from the moment the container started):

``startupTime`` (default ``0s``)
    Before it, the process answers nothing: ``httpGet``, ``tcpSocket`` and ``grpc`` probes fail with *connection
    refused*, ``exec`` probes fail.
``readyAfter`` (default ``0s``)
    Before it, readiness probes fail (HTTP 503).
``exitAfter`` (default: never for regular containers and sidecars, ``0s`` for plain init containers) and
``exitCode`` (default ``0``)
    The process exits on its own after this long, with this code. ``exitRuns`` (default: every run) limits this to the
    first *N* runs of the container (restart counts ``0`` to ``N-1``); later runs behave: a regular container or a
    sidecar runs for good, a plain init container completes (exit code 0 after ``exitAfter``). So ``exitRuns: 3``
    crashes three times and then works.
``unhealthy``, ``unready`` (default none)
    Lists of ``[from, to]`` windows (``to`` may be ``null``: for ever) in which liveness (and startup) probes fail
    with HTTP 500, or readiness probes fail with HTTP 503. A liveness failure is a readiness failure too (a hung
    process answers neither). A ``tcpSocket`` probe only sees whether the port is open, so it passes in these windows.
``probeOutput`` (default ``""``)
    What a failing ``exec`` probe prints (the event message shows it).
``cpu``, ``memory`` (default ``1m`` and ``4Mi``)
    Resource use: a quantity, or steps ``[[after, quantity], ...]``. A container whose memory use reaches its
    ``resources.limits.memory`` is killed by the kernel's OOM killer: exit code 137, reason ``OOMKilled``.
``shutdownDelay`` (default ``0s``) and ``shutdownExitCode`` (default ``143``, 128 + SIGTERM)
    How long the process takes to exit after SIGTERM, or ``never``. If that is longer than the grace period, the
    runtime sends SIGKILL at its end and the exit code is 137 (128 + SIGKILL).
``files`` (default none)
    ``{path: content}`` written when the process starts; paths under an ``emptyDir`` mount land in the Pod's shared
    volume, others in the container's own filesystem (which a restart discards).
``logs`` (default none)
    What the process prints to its standard output: ``[[after, line], ...]``, each line printed ``after`` its start
    (in increasing order of time; a line may not contain a newline). The runtime keeps each run's output
    (``kubectl logs``; ``--previous`` reads the run before): a line is in a run's log once its time has come, if
    the run was still going then (a process that exits or is killed prints nothing more).

Errors
    A malformed annotation is the user's error, not the model's: the kubelet cannot build the container's
    configuration, exactly as when a container refers to a missing ConfigMap key. So a :class:`BehaviorError` is
    reported the way upstream reports that (``generateContainerConfig`` failing in ``startContainer``,
    ``pkg/kubelet/kuberuntime/kuberuntime_container.go``): a ``Warning`` event ``Failed`` with ``Error: <message>``
    and the container ``Waiting`` with reason ``CreateContainerConfigError``; the rest of the Pod is unaffected, and
    the kubelet retries when the Pod changes. The message names the annotation, the container, the field, the value
    and the rule: ``metadata.annotations[k8smodel.io/behavior]: web.exitCode: Invalid value: 300: must be between 0
    and 255, inclusive``. The API server does not check the annotation (it cannot know it), which is why the error
    surfaces on the node and not at ``kubectl apply``; :func:`parse_behavior` lets a reader check an annotation
    beforehand.

What the model leaves out: everything a real process can do that is not listed above. Probe timeouts never expire
(answers are instant), and an ``exec`` probe's command is not run: its result follows the windows above.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from k8smodel.api.quantity import Quantity, QuantityError
from k8smodel.sim import DurationError, parse_duration

BEHAVIOR_ANNOTATION = "k8smodel.io/behavior"
FIELD_PATH = f"metadata.annotations[{BEHAVIOR_ANNOTATION}]"

DEFAULT_CPU_MILLI = 1  # a quiet process
DEFAULT_MEMORY = 4 * 1024 * 1024
SIGTERM_EXIT_CODE = 143  # 128 + 15
SIGKILL_EXIT_CODE = 137  # 128 + 9

FIELDS = (
    "cpu",
    "exitAfter",
    "exitCode",
    "exitRuns",
    "files",
    "logs",
    "memory",
    "probeOutput",
    "readyAfter",
    "shutdownDelay",
    "shutdownExitCode",
    "startupTime",
    "unhealthy",
    "unready",
)

Window = tuple[float, float]  # [from, to) in seconds after start; to may be math.inf


class BehaviorError(ValueError):
    """A ``k8smodel.io/behavior`` annotation that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class ContainerBehavior:
    """One container's script, parsed (see the module docstring for each field)."""

    startup_time: float = 0.0
    ready_after: float = 0.0
    exit_after: float | None = None
    exit_code: int = 0
    exit_runs: int | None = None
    plain_init: bool = False  # a plain init container: its well-behaved runs complete
    unhealthy: tuple[Window, ...] = ()
    unready: tuple[Window, ...] = ()
    probe_output: str = ""
    cpu: tuple[tuple[float, int], ...] = ((0.0, DEFAULT_CPU_MILLI),)  # (after, millicores)
    memory: tuple[tuple[float, int], ...] = ((0.0, DEFAULT_MEMORY),)  # (after, bytes)
    shutdown_delay: float | None = 0.0  # None: ignores SIGTERM
    shutdown_exit_code: int = SIGTERM_EXIT_CODE
    files: Mapping[str, str] = field(default_factory=dict)
    logs: tuple[tuple[float, str], ...] = ()  # (seconds after start, line), in order of time

    # ---- what the runtime asks -------------------------------------------------------------------------------

    def exit_time(self, restart_count: int) -> float | None:
        """Seconds after start at which the run numbered ``restart_count`` exits on its own, or ``None``."""
        exit_at = self.exit_for(restart_count)
        return None if exit_at is None else exit_at[0]

    def exit_for(self, restart_count: int) -> tuple[float, int] | None:
        """(seconds after start, exit code) of the run numbered ``restart_count``'s own exit, or ``None``."""
        if self.exit_after is None:
            return None
        if self.exit_runs is not None and restart_count >= self.exit_runs:
            return (self.exit_after, 0) if self.plain_init else None
        return self.exit_after, self.exit_code

    def printed(self, age: float) -> tuple[tuple[float, str], ...]:
        """The lines printed by ``age`` seconds after start (a line due exactly then is printed), with their ages."""
        return tuple(entry for entry in self.logs if entry[0] <= age)

    def usage(self, age: float) -> tuple[int, int]:
        """(CPU millicores, memory bytes) in use ``age`` seconds after start."""
        return _step(self.cpu, age), _step(self.memory, age)

    def memory_reaches(self, limit: int) -> float | None:
        """The first age at which memory use is at or above ``limit`` bytes (the OOM kill), or ``None``."""
        for after, value in self.memory:
            if value >= limit:
                return after
        return None

    # ---- what the prober asks ---------------------------------------------------------------------------------

    def failing(self, probe_type: str, handler: str) -> tuple[Window, ...]:
        """Sorted, merged windows (seconds after start) in which a ``probe_type`` probe (``liveness``,
        ``readiness``, ``startup``) with handler ``handler`` (``httpGet``, ``tcpSocket``, ``grpc``, ``exec``) fails."""
        windows: list[Window] = []
        if self.startup_time > 0:
            windows.append((0.0, self.startup_time))
        if handler != "tcpSocket":
            windows.extend(self.unhealthy)
            if probe_type == "readiness":
                if self.ready_after > 0:
                    windows.append((0.0, self.ready_after))
                windows.extend(self.unready)
        return merge_windows(windows)

    def failure_reason(self, probe_type: str, age: float) -> str:
        """Why a probe fails at ``age``: ``refused`` (not listening yet), ``unhealthy`` or ``unready``."""
        if age < self.startup_time:
            return "refused"
        if any(a <= age < b for a, b in self.unhealthy):
            return "unhealthy"
        return "unready"


DEFAULT = ContainerBehavior()
"""A plain container: runs forever, healthy and ready at once."""
INIT_DEFAULT = ContainerBehavior(exit_after=0.0, plain_init=True)
"""A plain init container: completes at once, successfully."""


def merge_windows(windows: Sequence[Window]) -> tuple[Window, ...]:
    """Sort and merge overlapping or touching ``[from, to)`` windows; empty ones are dropped."""
    out: list[list[float]] = []
    for a, b in sorted(w for w in windows if w[1] > w[0]):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def _step(steps: tuple[tuple[float, int], ...], age: float) -> int:
    value = steps[0][1] if steps else 0
    for after, v in steps:
        if age >= after:
            value = v
        else:
            break
    return value


# --------------------------------------------------------------------------------------------------------------
# Parsing and validation


def _where(container: str, name: str) -> str:
    return f"{FIELD_PATH}: {container}.{name}"


def _show(value: Any) -> str:
    """A value as the error message quotes it (JSON, as the API server's field errors do)."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, list, dict)):
        return json.dumps(value, default=str)
    return str(value)


def _invalid(container: str, name: str, value: Any, rule: str) -> BehaviorError:
    return BehaviorError(f"{_where(container, name)}: Invalid value: {_show(value)}: {rule}")


def _duration(container: str, name: str, value: Any, *, allow_never: bool = False) -> float | None:
    if allow_never and (value is None or value == "never"):
        return None
    try:
        seconds = parse_duration(value)
    except (DurationError, TypeError) as err:
        extra = ' or "never"' if allow_never else ""
        raise _invalid(container, name, value, f'must be a duration such as "30s" or seconds{extra} ({err})') from None
    if not math.isfinite(seconds) or seconds < 0:
        raise _invalid(container, name, value, "must be a non-negative duration")
    return seconds


def _int(container: str, name: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(container, name, value, "must be an integer")
    if not lo <= value <= hi:
        raise _invalid(container, name, value, f"must be between {lo} and {hi}, inclusive")
    return value


def _windows(container: str, name: str, value: Any) -> tuple[Window, ...]:
    if not isinstance(value, list):
        raise _invalid(container, name, value, "must be a list of [from, to] windows")
    out = []
    for i, item in enumerate(value):
        where = f"{name}[{i}]"
        if not isinstance(item, list) or len(item) != 2:
            raise _invalid(container, where, item, "must be a [from, to] pair (to may be null: for ever)")
        start = _duration(container, f"{where}[0]", item[0])
        end = math.inf if item[1] is None else _duration(container, f"{where}[1]", item[1])
        assert start is not None and end is not None
        if end <= start:
            raise _invalid(container, where, item, "the window must end after it starts")
        out.append((start, end))
    return merge_windows(out)


def _quantity(container: str, name: str, value: Any, milli: bool) -> int:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _invalid(container, name, value, 'must be a quantity such as "250m" or "128Mi"')
    try:
        q = Quantity(str(value))
    except (QuantityError, ValueError) as err:
        raise _invalid(container, name, value, f'must be a quantity such as "250m" or "128Mi" ({err})') from None
    if q.sign() < 0:
        raise _invalid(container, name, value, "must not be negative")
    return q.milli_value() if milli else q.value()


def _usage(container: str, name: str, value: Any, milli: bool) -> tuple[tuple[float, int], ...]:
    if not isinstance(value, list):
        return ((0.0, _quantity(container, name, value, milli)),)
    steps: list[tuple[float, int]] = []
    for i, item in enumerate(value):
        where = f"{name}[{i}]"
        if not isinstance(item, list) or len(item) != 2:
            raise _invalid(container, where, item, "must be an [after, quantity] pair")
        after = _duration(container, f"{where}[0]", item[0])
        assert after is not None
        if steps and after <= steps[-1][0]:
            raise _invalid(container, f"{where}[0]", item[0], "steps must be in increasing order of time")
        steps.append((after, _quantity(container, f"{where}[1]", item[1], milli)))
    if not steps:
        raise _invalid(container, name, value, "must not be an empty list")
    if steps[0][0] > 0:
        default = DEFAULT_CPU_MILLI if milli else DEFAULT_MEMORY
        steps.insert(0, (0.0, default))
    return tuple(steps)


def _logs(container: str, value: Any) -> tuple[tuple[float, str], ...]:
    if not isinstance(value, list):
        raise _invalid(container, "logs", value, "must be a list of [after, line] pairs")
    lines: list[tuple[float, str]] = []
    for i, item in enumerate(value):
        where = f"logs[{i}]"
        if not isinstance(item, list) or len(item) != 2:
            raise _invalid(container, where, item, "must be an [after, line] pair")
        after = _duration(container, f"{where}[0]", item[0])
        assert after is not None
        if lines and after < lines[-1][0]:
            raise _invalid(container, f"{where}[0]", item[0], "lines must be in order of time")
        line = item[1]
        if not isinstance(line, str) or "\n" in line or "\r" in line:
            raise _invalid(container, f"{where}[1]", line, "must be one line of text (a string without a newline)")
        lines.append((after, line))
    return tuple(lines)


def _container_behavior(name: str, spec: Any, init_default: bool) -> ContainerBehavior:
    if spec is None:
        spec = {}
    if not isinstance(spec, Mapping):
        raise BehaviorError(f"{FIELD_PATH}: {name}: Invalid value: {_show(spec)}: must be a mapping of fields")
    unknown = [k for k in spec if k not in FIELDS]
    if unknown:
        raise BehaviorError(f'{FIELD_PATH}: {name}: unknown field "{unknown[0]}" (known fields: {", ".join(FIELDS)})')
    base = INIT_DEFAULT if init_default else DEFAULT
    kw: dict[str, Any] = {"plain_init": True} if init_default else {}
    if "startupTime" in spec:
        kw["startup_time"] = _duration(name, "startupTime", spec["startupTime"])
    if "readyAfter" in spec:
        kw["ready_after"] = _duration(name, "readyAfter", spec["readyAfter"])
    if "exitAfter" in spec:
        kw["exit_after"] = _duration(name, "exitAfter", spec["exitAfter"], allow_never=True)
    if "exitCode" in spec:
        kw["exit_code"] = _int(name, "exitCode", spec["exitCode"], 0, 255)
    if "exitRuns" in spec:
        kw["exit_runs"] = _int(name, "exitRuns", spec["exitRuns"], 0, 2**31 - 1)
    if "unhealthy" in spec:
        kw["unhealthy"] = _windows(name, "unhealthy", spec["unhealthy"])
    if "unready" in spec:
        kw["unready"] = _windows(name, "unready", spec["unready"])
    if "probeOutput" in spec:
        if not isinstance(spec["probeOutput"], str):
            raise _invalid(name, "probeOutput", spec["probeOutput"], "must be a string")
        kw["probe_output"] = spec["probeOutput"]
    if "cpu" in spec:
        kw["cpu"] = _usage(name, "cpu", spec["cpu"], milli=True)
    if "memory" in spec:
        kw["memory"] = _usage(name, "memory", spec["memory"], milli=False)
    if "shutdownDelay" in spec:
        kw["shutdown_delay"] = _duration(name, "shutdownDelay", spec["shutdownDelay"], allow_never=True)
    if "shutdownExitCode" in spec:
        kw["shutdown_exit_code"] = _int(name, "shutdownExitCode", spec["shutdownExitCode"], 0, 255)
    if "files" in spec:
        files = spec["files"]
        if not isinstance(files, Mapping) or not all(
            isinstance(k, str) and k.startswith("/") and isinstance(v, str) for k, v in files.items()
        ):
            raise _invalid(name, "files", files, "must map absolute paths to strings")
        kw["files"] = dict(files)
    if "logs" in spec:
        kw["logs"] = _logs(name, spec["logs"])
    if len(kw) == (1 if init_default else 0):
        return base
    return ContainerBehavior(**{**base.__dict__, **kw})


def load_annotation(text: Any) -> Mapping[str, Any]:
    """The annotation's value as a mapping (JSON is YAML, so one parser reads both)."""
    if not isinstance(text, str):
        raise BehaviorError(f"{FIELD_PATH}: Invalid value: {_show(text)}: must be a string of JSON or YAML")
    data: Any = None
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)  # JSON is YAML too; the JSON parser is just much faster
        except ValueError:
            data = None
    try:
        if data is None:
            data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise BehaviorError(f"{FIELD_PATH}: Invalid value: not valid JSON or YAML: {first}") from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise BehaviorError(f"{FIELD_PATH}: Invalid value: must be a mapping from container name to its behavior")
    return data


def parse_behavior(pod: Mapping[str, Any]) -> dict[str, ContainerBehavior]:
    """Every container's behavior in ``pod`` (init containers included), from its annotation or the defaults.

    Raises :class:`BehaviorError` naming the annotation, container, field, value and rule.
    """
    spec = pod.get("spec") or {}
    init = [c.get("name", "") for c in spec.get("initContainers") or []]
    sidecars = {c.get("name", "") for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"}
    regular = [c.get("name", "") for c in spec.get("containers") or []]
    text = ((pod.get("metadata") or {}).get("annotations") or {}).get(BEHAVIOR_ANNOTATION)
    # The result is a pure function of the annotation's text and the container names (init, sidecar, regular), and
    # its values are frozen: a Deployment's Pods all repeat one text, so a parse is remembered (per key: the text
    # when it is a string, the names as tuples of strings) and each call gets a dict of its own. A failed parse is
    # not remembered (it raises anew, the same way); a key that is not all strings (a bad name) is not cached.
    key: tuple | None = None
    if (
        (text is None or type(text) is str)
        and all(type(n) is str for n in init)
        and all(type(n) is str for n in regular)
    ):
        key = (text, tuple(init), tuple(n for n in init if n in sidecars), tuple(regular))
        cached = _PARSED.get(key)
        if cached is not None:
            return dict(cached)
    out = _parse_behavior(text, init, sidecars, regular)
    if key is not None:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = out
        return dict(out)
    return out


_PARSED: dict[tuple, dict[str, ContainerBehavior]] = {}  # parse_behavior's remembered results
_PARSED_MAX = 4096


def _parse_behavior(text: Any, init: list[str], sidecars: set[str], regular: list[str]) -> dict[str, ContainerBehavior]:
    """:func:`parse_behavior` of the annotation's text and the container names."""
    data = load_annotation(text) if text is not None else {}
    names = init + regular
    for key in data:
        if key not in names:
            listed = ", ".join(names) or "none"
            raise BehaviorError(
                f"{FIELD_PATH}: Not found: {_show(key)}: the Pod has no container of that name (containers: {listed})"
            )
    out: dict[str, ContainerBehavior] = {}
    for name in names:
        is_plain_init = name in init and name not in sidecars
        out[name] = _container_behavior(name, data.get(name), is_plain_init)
    return out


def behavior_annotation(scripts: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """``{"k8smodel.io/behavior": <JSON>}`` for a Pod's ``metadata.annotations``, from Python dicts."""
    return {BEHAVIOR_ANNOTATION: json.dumps(scripts, sort_keys=True)}


__all__ = [
    "BEHAVIOR_ANNOTATION",
    "DEFAULT",
    "INIT_DEFAULT",
    "SIGKILL_EXIT_CODE",
    "SIGTERM_EXIT_CODE",
    "BehaviorError",
    "ContainerBehavior",
    "behavior_annotation",
    "load_annotation",
    "merge_windows",
    "parse_behavior",
]
