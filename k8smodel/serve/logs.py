"""``pods/log``: ``kubectl logs``, the API server asking the node's kubelet for a container's output.

Upstream the API server does not have the logs: ``GET /api/v1/namespaces/<ns>/pods/<name>/log`` finds the Pod,
picks the container (``pkg/registry/core/pod/strategy.go`` ``LogLocation`` and ``validateContainer``: the only one,
or the one named, else ``400 a container name must be specified for pod web, choose one of: [a b]``) and proxies
the request to the kubelet of the Pod's node (``pkg/registry/core/pod/rest/log.go``, ``LocationStreamer``). The
kubelet (``pkg/kubelet/kubelet_pods.go`` ``GetKubeletContainerLogs``, ``validateContainerLogStatus``) picks the
container run from the Pod's status — the running one, else the terminated one, else the last terminated one;
with ``previous=true`` the last terminated one — and the runtime reads that run's log. A kubelet error comes back
as ``400 BadRequest`` with the kubelet's message (``NewGenericHttpResponseChecker``), which kubectl prints as
``Error from server (BadRequest): container "web" in pod "web-1" is waiting to start: ContainerCreating``.

The model does the same through the cluster: the Pod from the API server, the kubelet object of its node
(``cluster.nodes[nodeName]``), the run from the Pod's status, and the run's lines from the node's container
runtime (:meth:`k8smodel.kubelet.runtime.ContainerRuntime.logs`: what the container's script,
``k8smodel.io/behavior`` ``logs``, printed so far). The options are ``PodLogOptions``
(``staging/src/k8s.io/api/core/v1/types.go``), checked as ``ValidatePodLogOptions``
(``pkg/apis/core/validation/validation.go``) checks them: ``container``, ``previous``, ``timestamps`` (each line
prefixed with its RFC 3339 time, nanoseconds with trailing zeros dropped, as Go's ``RFC3339Nano``), ``tailLines``,
``sinceSeconds``, ``sinceTime``, ``limitBytes`` and ``follow`` (the stream stays open and sends each new line as its
simulated time comes, until the container's run ends or the client goes).

What the model leaves out: ``stream`` (``Stdout``/``Stderr``: every line is standard output),
``insecureSkipTLSVerifyBackend``, log rotation; the kubelet's own status cache (the Pod's status in the API server
stands in for it, as the kubelet falls back to it); logs of a Pod whose node has no kubelet in the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from k8smodel.api import errors
from k8smodel.api.errors import StatusError
from k8smodel.api.field import FieldError, forbidden, invalid

Obj = dict[str, Any]

LOG_CONTENT_TYPE = "text/plain"


@dataclass
class LogOptions:
    """``PodLogOptions`` from the query string."""

    container: str = ""
    follow: bool = False
    previous: bool = False
    timestamps: bool = False
    tail_lines: int | None = None
    since_seconds: int | None = None
    since_time: datetime | None = None
    limit_bytes: int | None = None


def _bool(params: Mapping[str, str], name: str) -> bool:
    value = params.get(name)
    if value is None or value == "":
        return False
    if value in ("true", "1", "True"):
        return True
    if value in ("false", "0", "False"):
        return False
    raise errors.bad_request(f'strconv.ParseBool: parsing "{value}": invalid syntax')


def _int(params: Mapping[str, str], name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise errors.bad_request(f'strconv.ParseInt: parsing "{value}": invalid syntax') from None


def parse_options(params: Mapping[str, str], pod_name: str) -> LogOptions:
    """The query's ``PodLogOptions``: ``400`` for what does not convert, ``422`` for what ``ValidatePodLogOptions``
    refuses (the error names ``PodLogOptions`` and the Pod, as ``log.go`` builds it)."""
    opts = LogOptions(
        container=params.get("container", ""),
        follow=_bool(params, "follow"),
        previous=_bool(params, "previous"),
        timestamps=_bool(params, "timestamps"),
        tail_lines=_int(params, "tailLines"),
        since_seconds=_int(params, "sinceSeconds"),
        limit_bytes=_int(params, "limitBytes"),
    )
    since_time = params.get("sinceTime")
    if since_time:
        try:
            when = datetime.fromisoformat(since_time.replace("Z", "+00:00"))
        except ValueError:
            raise errors.bad_request(f'parsing time "{since_time}" as RFC 3339: cannot parse') from None
        opts.since_time = when if when.tzinfo else when.replace(tzinfo=UTC)
    problems: list[FieldError] = []
    if opts.tail_lines is not None and opts.tail_lines < 0:
        problems.append(invalid("tailLines", opts.tail_lines, "must be greater than or equal to 0"))
    if opts.limit_bytes is not None and opts.limit_bytes < 1:
        problems.append(invalid("limitBytes", opts.limit_bytes, "must be greater than 0"))
    if opts.since_seconds is not None and opts.since_time is not None:
        problems.append(forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"))
    elif opts.since_seconds is not None and opts.since_seconds < 1:
        problems.append(invalid("sinceSeconds", opts.since_seconds, "must be greater than 0"))
    if problems:
        raise errors.invalid_kind("PodLogOptions", pod_name, problems)
    return opts


def choose_container(pod: Obj, container: str) -> str:
    """``validateContainer``: the container named, or the Pod's only one."""
    spec = pod.get("spec") or {}
    name = pod["metadata"]["name"]
    init = [c.get("name", "") for c in spec.get("initContainers") or []]
    regular = [c.get("name", "") for c in spec.get("containers") or []]
    ephemeral = [c.get("name", "") for c in spec.get("ephemeralContainers") or []]
    if not container:
        if len(regular) == 1:
            return regular[0]
        if not regular:
            raise errors.bad_request(f"a container name must be specified for pod {name}")
        names = " ".join([*init, *regular, *ephemeral])
        raise errors.bad_request(f"a container name must be specified for pod {name}, choose one of: [{names}]")
    if container not in (*init, *regular, *ephemeral):
        raise errors.bad_request(f"container {container} is not valid for pod {name}")
    return container


def _kubelet_error(message: str) -> StatusError:
    """A kubelet error as the API server relays it (``NewGenericServerResponse(400, ...)`` with the body)."""
    return errors.bad_request(message)


def container_id_for_logs(pod: Obj, container: str, previous: bool) -> str:
    """``validateContainerLogStatus``: the ID of the container run whose log to read (raises the kubelet's error)."""
    status = pod.get("status") or {}
    pod_name = pod["metadata"]["name"]
    found = None
    for key in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"):
        for cs in status.get(key) or []:
            if cs.get("name") == container:
                found = cs
                break
        if found is not None:
            break
    if found is None:
        raise _kubelet_error(f'container "{container}" in pod "{pod_name}" is not available')
    last = (found.get("lastState") or {}).get("terminated")
    state = found.get("state") or {}
    waiting, running, terminated = state.get("waiting"), state.get("running"), state.get("terminated")
    if previous:
        if not last or not last.get("containerID"):
            raise _kubelet_error(f'previous terminated container "{container}" in pod "{pod_name}" not found')
        return str(last["containerID"])
    if running is not None:
        return str(found.get("containerID") or "")
    if terminated is not None:
        return str(terminated.get("containerID") or "")
    if last:
        return str(last.get("containerID") or "")
    if waiting is not None:
        reason = waiting.get("reason", "")
        if reason == "ErrImagePull":
            detail = "image can't be pulled"
        elif reason == "ImagePullBackOff":
            detail = "trying and failing to pull image"
        else:
            detail = reason
        raise _kubelet_error(f'container "{container}" in pod "{pod_name}" is waiting to start: {detail}')
    raise _kubelet_error(f'container "{container}" in pod "{pod_name}" is waiting to start - no logs yet')


def format_time(start: datetime, t: float) -> str:
    """Go's ``time.RFC3339Nano``: nanoseconds with trailing zeros (and a bare dot) dropped."""
    when = start + timedelta(seconds=t)
    whole = when.strftime("%Y-%m-%dT%H:%M:%S")
    nanos = round((t - math.floor(t)) * 1e9) if start.microsecond == 0 else when.microsecond * 1000
    if nanos >= 1_000_000_000:  # rounding reached the next second
        return format_time(start, math.floor(t) + 1)
    fraction = f"{nanos:09d}".rstrip("0")
    return f"{whole}.{fraction}Z" if fraction else f"{whole}Z"


class PodLog:
    """One ``pods/log`` request being answered: :meth:`text` for the whole log now, :meth:`follow` to stream."""

    def __init__(self, cluster: Any, lock: Any, pod: Obj, opts: LogOptions) -> None:
        self.cluster = cluster
        self.lock = lock
        self.pod = pod
        self.opts = opts
        self.run: Any = None
        self.runtime: Any = None
        self.sent_lines = 0
        self.sent_bytes = 0

    @classmethod
    def open(cls, cluster: Any, lock: Any, pod: Obj, opts: LogOptions) -> PodLog:
        """Find the container run (under ``lock``); raises the API server's or the kubelet's error."""
        log = cls(cluster, lock, pod, opts)
        name = pod["metadata"]["name"]
        container = choose_container(pod, opts.container)
        node_name = (pod.get("spec") or {}).get("nodeName")
        if not node_name:
            return log  # LogLocation: no host assigned, an empty location, an empty log
        kubelet = cluster.nodes.get(node_name)
        if kubelet is None:
            raise _kubelet_error(f'pod "{name}" cannot be found - no logs available')
        container_id = container_id_for_logs(pod, container, opts.previous)
        runtime = kubelet.runtime
        log.runtime = runtime
        log.run = runtime.find_container(pod["metadata"].get("uid", ""), container_id)
        return log

    def _lines(self) -> list[tuple[float, str]]:
        if self.run is None:
            return []
        return self.runtime.logs(self.run)

    def _select(self, lines: list[tuple[float, str]], now: float) -> list[tuple[float, str]]:
        opts, sim = self.opts, self.cluster.sim
        if opts.since_seconds is not None:
            lines = [entry for entry in lines if entry[0] >= now - opts.since_seconds]
        if opts.since_time is not None:
            since = (opts.since_time - sim.start).total_seconds()
            lines = [entry for entry in lines if entry[0] >= since]
        if opts.tail_lines is not None:
            lines = lines[len(lines) - opts.tail_lines :] if opts.tail_lines else []
        return lines

    def _encode(self, lines: list[tuple[float, str]]) -> bytes:
        start = self.cluster.sim.start
        if self.opts.timestamps:
            text = "".join(f"{format_time(start, t)} {line}\n" for t, line in lines)
        else:
            text = "".join(f"{line}\n" for _, line in lines)
        data = text.encode()
        if self.opts.limit_bytes is not None:
            data = data[: max(0, self.opts.limit_bytes - self.sent_bytes)]
        self.sent_bytes += len(data)
        return data

    def text(self) -> bytes:
        """The log as it is now (call under the lock)."""
        lines = self._lines()
        self.sent_lines = len(lines)
        return self._encode(self._select(lines, self.cluster.sim.now))

    def done(self) -> bool:
        """Whether the run's log can grow no more (the run has ended, or there is none)."""
        return self.run is None or self.run.finished_at is not None

    def follow(
        self, closed: Callable[[], bool], stopping: Callable[[], bool], wait: Callable[[], None]
    ) -> Iterator[bytes]:
        """``follow=true``: the log so far, then each new line as the simulated clock reaches it, until the run ends
        (or the client goes, or the server stops, or ``limitBytes`` is reached)."""
        with self.lock:
            first = self.text()
        yield first
        while not (closed() or stopping()):
            if self.opts.limit_bytes is not None and self.sent_bytes >= self.opts.limit_bytes:
                return
            with self.lock:
                lines = self._lines()
                new, self.sent_lines = lines[self.sent_lines :], len(lines)
                finished = self.done()
            if new:
                yield self._encode(new)
            if finished:
                return
            wait()


__all__ = [
    "LOG_CONTENT_TYPE",
    "LogOptions",
    "PodLog",
    "choose_container",
    "container_id_for_logs",
    "format_time",
    "parse_options",
]
