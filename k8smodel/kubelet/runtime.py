"""runtime: the container runtime of one node — sandboxes, containers, images, volumes — as the kubelet sees it.

The kubelet never runs a process itself. It talks to a container runtime (containerd, CRI-O) through the Container
Runtime Interface (CRI, ``staging/src/k8s.io/cri-api/pkg/apis/runtime/v1/api.proto``), and the runtime does the work.
:class:`ContainerRuntime` plays containerd for one node:

Pod sandboxes (``RunPodSandbox``, ``StopPodSandbox``, ``RemovePodSandbox``)
    A sandbox holds a Pod's network namespace: one IP address that every container of the Pod shares, so they
    reach each other on ``localhost`` and a port can be bound only once per Pod. The address comes from the node's
    Pod CIDR (``spec.podCIDR``) the way the ``host-local`` IPAM plugin hands them out: ``.1`` is the bridge's
    gateway, Pods get ``.2``, ``.3``, ..., and a released address is reused only after the allocator has gone round
    the whole range (it resumes after the last address it reserved). Until the node has a Pod CIDR the network is
    not ready and no sandbox can be created (the kubelet reports ``NetworkNotReady``). A ``hostNetwork`` Pod
    shares the node's address instead. A new sandbox for the same Pod (after a reboot) has a new attempt number
    and a new address.
Containers (``CreateContainer``, ``StartContainer``, ``StopContainer``)
    A container is created from an image and started; its process then does what its script says
    (:mod:`k8smodel.kubelet.behavior`): it exits on its own with an exit code, or is killed by the OOM killer when
    its memory use reaches its limit (137, ``OOMKilled``). ``StopContainer(timeout)`` sends SIGTERM, waits up to the
    timeout for the process to exit (exit code ``shutdownExitCode``, 143 by default), then sends SIGKILL (137). The
    runtime reports an exit as containerd does: reason ``Completed`` for exit code 0, ``Error`` otherwise. Each
    container has a 64-hex ID (``containerd://...``) and an *attempt*, the restart count the kubelet stores in it.
    Only the two newest runs of each container are kept (the kubelet's container garbage collector keeps one dead
    container per Pod and container name: ``MaxPerPodContainer``), which is all a status needs (``state`` and
    ``lastState``).
Images (``PullImage``, ``ImageStatus``)
    A per-node cache of pulled images, and one pull at a time (the kubelet's default ``serializeImagePulls``): a
    pull waits for the ones queued before it, then takes ``PULL_LATENCY + size / bandwidth``
    (:mod:`k8smodel.kubelet.images`). The sandbox (pause) image is on every node from the start.
``emptyDir`` volumes
    A Pod's ``emptyDir`` volumes live as long as the Pod on this node: created with its first sandbox, kept across
    container restarts and new sandboxes, deleted with the Pod. Every container that mounts one sees the same files
    (:meth:`ContainerRuntime.read_file`); files outside any ``emptyDir`` mount belong to one container run.
A reboot (:meth:`ContainerRuntime.crash`)
    Every process is gone. containerd's metadata survives on disk, so the containers are still listed, as exited
    with code 255 and reason ``Unknown``, and the sandboxes as not ready; images and volume contents survive.

The kubelet reads the runtime's state as a snapshot (:meth:`ContainerRuntime.pod_status`, the ``PodStatus`` the
kubelet's ``GetPodStatus`` builds from ``ListPodSandbox`` and ``ListContainers``), and learns about container exits
through the ``on_exit`` callback, as the PLEG (pod lifecycle event generator) would tell it.

What the model leaves out: the PLEG's one-second relist (an exit is seen at once, as with the evented PLEG), image
layers and garbage collection, log files (a run's log is computed from its script, :meth:`ContainerRuntime.logs`:
no rotation, and it goes with the run when only the two newest runs are kept), ``exec``/``attach``, cgroups (CPU
and memory use are what the script says), other volume types (they are accepted and ignored), runtime classes, and
container creation time (a container is created and started in the same instant). ``created`` containers never
linger: creation cannot fail here.
"""

from __future__ import annotations

import contextlib
import ipaddress
import random
from collections import deque
from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any

import simpy
from mypy_extensions import mypyc_attr

from k8smodel.kubelet.behavior import SIGKILL_EXIT_CODE, ContainerBehavior
from k8smodel.kubelet.images import PAUSE_IMAGE, PULL_LATENCY, Image, ImageRegistry, not_found_error
from k8smodel.kubelet.probes import ProbedContainer
from k8smodel.sim import Simulation, Timer

CREATED = "created"
RUNNING = "running"
EXITED = "exited"
UNKNOWN = "unknown"

CRASH_EXIT_CODE = 255
CRASH_REASON = "Unknown"
MAX_RUNS_KEPT = 2  # the newest run of a container and the one dead run before it


@mypyc_attr(native_class=False)  # (compiled, an exception class must stay a Python class)
class NetworkNotReadyError(RuntimeError):
    """The runtime's network is not ready: no sandbox can get an address."""


NETWORK_NOT_READY_MESSAGE = (
    "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
    "message:Network plugin returns error: cni plugin not initialized"
)


class HostLocalIPAM:
    """The ``host-local`` IPAM plugin on one range: ``.2`` up to the last address before broadcast, round robin."""

    def __init__(self, cidr: str) -> None:
        self.network = ipaddress.ip_network(cidr, strict=False)
        first = int(self.network.network_address) + 2  # .0 is the network, .1 the gateway
        last = int(self.network.broadcast_address) - 1
        if self.network.version == 6:
            last = int(self.network.broadcast_address)
        self._first, self._last = first, last
        self._in_use: set[int] = set()
        self._last_reserved: int | None = None

    @property
    def capacity(self) -> int:
        return max(0, self._last - self._first + 1)

    def allocate(self) -> str | None:
        """The next free address after the last one reserved (wrapping round), or ``None`` if the range is full."""
        size = self.capacity
        if size == 0 or len(self._in_use) >= size:
            return None
        start = self._first if self._last_reserved is None else self._last_reserved + 1
        for i in range(size):
            candidate = start + i
            if candidate > self._last:
                candidate = self._first + (candidate - self._last - 1) % size
            if candidate not in self._in_use:
                self._in_use.add(candidate)
                self._last_reserved = candidate
                return str(ipaddress.ip_address(candidate))
        return None

    def release(self, ip: str) -> None:
        with contextlib.suppress(ValueError):
            self._in_use.discard(int(ipaddress.ip_address(ip)))

    def in_use(self) -> int:
        return len(self._in_use)


class Sandbox:
    """A Pod sandbox (the ``pause`` container and its network namespace)."""

    __slots__ = ("attempt", "created_at", "host_network", "id", "ip", "ready", "uid")

    def __init__(self, sid: str, uid: str, attempt: int, ip: str, created_at: float, host_network: bool) -> None:
        self.id = sid
        self.uid = uid
        self.attempt = attempt
        self.ip = ip
        self.created_at = created_at
        self.ready = True
        self.host_network = host_network


class Container:
    """One run of one container: the live object the runtime mutates."""

    __slots__ = (
        "attempt",
        "behavior",
        "created_at",
        "exit_code",
        "exit_timer",
        "files",
        "finished_at",
        "hash",
        "id",
        "image",
        "image_ref",
        "init",
        "message",
        "mounts",
        "name",
        "oom_at",
        "probed",
        "reason",
        "sandbox",
        "seq",
        "started_at",
        "state",
        "stop_events",
        "uid",
    )
    # set by ContainerRuntime.create_container, right after construction
    attempt: int
    behavior: ContainerBehavior
    created_at: float
    hash: int
    id: str
    image: str
    image_ref: Image | None
    init: bool
    mounts: list[tuple[str, str]]
    name: str
    sandbox: Sandbox
    seq: int
    uid: str

    def __init__(self) -> None:
        self.state = CREATED
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self.exit_code: int | None = None
        self.reason = ""
        self.message = ""
        self.exit_timer: Timer | None = None
        self.stop_events: list[simpy.Event] = []
        self.files: dict[str, str] = {}
        self.probed: ProbedContainer | None = None
        self.oom_at: float | None = None

    def snapshot(self) -> ContainerStatus:
        return ContainerStatus(self)


class ContainerStatus:
    """A container run as the kubelet saw it at one instant (``kubecontainer.Status``); immutable."""

    __slots__ = (
        "attempt",
        "created_at",
        "exit_code",
        "finished_at",
        "hash",
        "id",
        "image",
        "image_id",
        "init",
        "message",
        "name",
        "reason",
        "sandbox_id",
        "seq",
        "started_at",
        "state",
    )

    def __init__(self, c: Container) -> None:
        self.id = c.id
        self.sandbox_id = c.sandbox.id
        self.name = c.name
        self.state = c.state
        self.created_at = c.created_at
        self.started_at = c.started_at
        self.finished_at = c.finished_at
        self.exit_code = c.exit_code
        self.reason = c.reason
        self.message = c.message
        self.attempt = c.attempt
        self.image = c.image
        self.image_id = c.image_ref.image_id if c.image_ref is not None else ""
        self.hash = c.hash
        self.init = c.init
        self.seq = c.seq

    def __repr__(self) -> str:
        return f"ContainerStatus({self.name!r}, {self.state}, attempt={self.attempt}, exit={self.exit_code})"


class SandboxStatus:
    __slots__ = ("attempt", "created_at", "id", "ip", "ready")

    def __init__(self, s: Sandbox) -> None:
        self.id = s.id
        self.attempt = s.attempt
        self.ready = s.ready
        self.ip = s.ip
        self.created_at = s.created_at


class PodRuntimeStatus:
    """``kubecontainer.PodStatus``: the Pod's sandboxes (newest first), its containers (newest first) and IPs."""

    __slots__ = ("containers", "ips", "sandboxes")

    def __init__(self, sandboxes: list[SandboxStatus], containers: list[ContainerStatus]) -> None:
        self.sandboxes = sandboxes
        self.containers = containers
        self.ips = [sandboxes[0].ip] if sandboxes and sandboxes[0].ready and sandboxes[0].ip else []

    def find(self, name: str) -> ContainerStatus | None:
        """``FindContainerStatusByName``: the newest run of ``name``."""
        for c in self.containers:
            if c.name == name:
                return c
        return None

    def find_exited(self, name: str) -> ContainerStatus | None:
        """The newest exited run of ``name`` (``doBackOff``)."""
        for c in self.containers:
            if c.name == name and c.state == EXITED:
                return c
        return None


@mypyc_attr(native_class=False)  # a Python class also when compiled (k8smodel/_native.py): tests replace methods
class ContainerRuntime:
    """containerd on one node (see the module docstring).

    ``on_exit(uid, container)`` is called when a container's process exits (not during a reboot).
    """

    def __init__(
        self,
        sim: Simulation,
        node_name: str,
        registry: ImageRegistry,
        bandwidth: float,
        rng: random.Random,
        on_exit: Callable[[str, Container], None],
        node_ip: str,
    ) -> None:
        self.sim = sim
        self.node_name = node_name
        self.registry = registry
        self.bandwidth = bandwidth
        self.rng = rng
        self.on_exit = on_exit
        self.node_ip = node_ip
        self.pod_cidr: str | None = None
        self._ipam: HostLocalIPAM | None = None
        self.images: dict[str, Image] = {}
        pause = registry.lookup(PAUSE_IMAGE)
        if pause is not None:
            self.images[pause.ref] = pause
        self._queue: deque[tuple[str, simpy.Event, float]] = deque()
        self._pulling: tuple[str, simpy.Event, float, Timer] | None = None
        self.sandboxes: dict[str, list[Sandbox]] = {}
        self.containers: dict[str, list[Container]] = {}
        self.volumes: dict[str, dict[str, dict[str, str]]] = {}
        self._seq = 0
        self.up = True
        self.pulls = 0
        self.images_version = 0  # bumped whenever the image cache changes (the node status lists the images)

    def _new_id(self) -> str:
        return f"{self.rng.getrandbits(256):064x}"

    # ---- network -----------------------------------------------------------------------------------------------

    def set_pod_cidr(self, cidr: str | None) -> bool:
        """``UpdateRuntimeConfig``: the Pod CIDR the network plugin hands addresses from; True if it changed."""
        if not cidr or cidr == self.pod_cidr:
            return False
        old = self._ipam
        self.pod_cidr = cidr
        self._ipam = HostLocalIPAM(cidr)
        if old is not None:
            for sandboxes in self.sandboxes.values():
                for s in sandboxes:
                    if s.ready and not s.host_network and ipaddress.ip_address(s.ip) in self._ipam.network:
                        self._ipam._in_use.add(int(ipaddress.ip_address(s.ip)))
        return True

    @property
    def network_ready(self) -> bool:
        return self._ipam is not None

    # ---- sandboxes ---------------------------------------------------------------------------------------------

    def run_pod_sandbox(self, uid: str, attempt: int, host_network: bool = False) -> Sandbox:
        """``RunPodSandbox``: a new ready sandbox with an address (raises :class:`NetworkNotReadyError`)."""
        if host_network:
            ip = self.node_ip
        else:
            if self._ipam is None:
                raise NetworkNotReadyError(NETWORK_NOT_READY_MESSAGE)
            allocated = self._ipam.allocate()
            if allocated is None:
                raise NetworkNotReadyError(
                    f'plugin type="bridge" failed (add): failed to allocate for range 0: no IP addresses available '
                    f"in range set: {self._ipam.network}"
                )
            ip = allocated
        sandbox = Sandbox(self._new_id(), uid, attempt, ip, self.sim.now, host_network)
        self.sandboxes.setdefault(uid, []).insert(0, sandbox)
        self.volumes.setdefault(uid, {})
        return sandbox

    def stop_pod_sandbox(self, sandbox_id: str, uid: str) -> None:
        """``StopPodSandbox``: the sandbox is not ready any more and its address goes back to the pool."""
        for s in self.sandboxes.get(uid, ()):
            if s.id == sandbox_id and s.ready:
                s.ready = False
                if not s.host_network and self._ipam is not None:
                    self._ipam.release(s.ip)

    def stop_pod_sandboxes(self, uid: str) -> None:
        for s in self.sandboxes.get(uid, ()):
            self.stop_pod_sandbox(s.id, uid)

    # ---- images ------------------------------------------------------------------------------------------------

    def image_present(self, ref: str) -> Image | None:
        """``ImageStatus`` on a normalized reference (a digest reference matches by digest)."""
        if "@" in ref:
            for image in self.images.values():
                if image.image_id == ref:
                    return image
            return None
        return self.images.get(ref)

    def pull_image(self, ref: str) -> simpy.Event:
        """``PullImage`` through the serialized puller: an event whose value is ``(image, error, seconds)``,
        ``seconds`` being the pull itself (not the wait in the queue)."""
        event = self.sim.env.event()
        self._queue.append((ref, event, self.sim.now))
        if self._pulling is None:
            self._next_pull()
        return event

    def _next_pull(self) -> None:
        if self._pulling is not None or not self._queue or not self.up:
            return
        ref, event, _enqueued = self._queue.popleft()
        image = self.registry.lookup(ref) if "@" not in ref else self._lookup_digest(ref)
        if image is None:
            seconds = PULL_LATENCY
        elif image.ref in self.images and self.images[image.ref].digest == image.digest:
            seconds = PULL_LATENCY  # already here: only the manifest is resolved
        else:
            seconds = PULL_LATENCY + image.size / self.bandwidth
        timer = self.sim.call_later(seconds, self._pull_done)
        self._pulling = (ref, event, seconds, timer)

    def _lookup_digest(self, ref: str) -> Image | None:
        for image in self.registry:
            if image.image_id == ref:
                return image
        return None

    def _pull_done(self) -> None:
        assert self._pulling is not None
        ref, event, seconds, _ = self._pulling
        self._pulling = None
        image = self.registry.lookup(ref) if "@" not in ref else self._lookup_digest(ref)
        self.pulls += 1
        if image is None:
            event.succeed((None, not_found_error(ref), seconds))
        else:
            if self.images.get(image.ref) != image:
                self.images[image.ref] = image
                self.images_version += 1
            event.succeed((image, None, seconds))
        self._next_pull()

    # ---- containers --------------------------------------------------------------------------------------------

    def create_container(
        self,
        uid: str,
        sandbox: Sandbox,
        spec: Mapping[str, Any],
        *,
        init: bool,
        attempt: int,
        image: Image,
        behavior: ContainerBehavior,
        container_hash: int,
        mounts: list[tuple[str, str]],
        memory_limit: int | None,
    ) -> Container:
        """``CreateContainer``: a new run of ``spec`` in ``sandbox``; older dead runs beyond one are removed."""
        c = Container()
        c.id = f"containerd://{self._new_id()}"
        c.uid = uid
        c.name = spec.get("name", "")
        c.init = init
        c.attempt = attempt
        c.image = spec.get("image", "")
        c.image_ref = image
        c.behavior = behavior
        c.hash = container_hash
        c.sandbox = sandbox
        c.mounts = mounts
        c.created_at = self.sim.now
        self._seq += 1
        c.seq = self._seq
        c.oom_at = behavior.memory_reaches(memory_limit) if memory_limit else None
        runs = self.containers.setdefault(uid, [])
        runs.insert(0, c)
        same = [r for r in runs if r.name == c.name]
        for old in same[MAX_RUNS_KEPT:]:
            if old.state != RUNNING:
                runs.remove(old)
        return c

    def start_container(self, c: Container, declared_ports: frozenset[int]) -> None:
        """``StartContainer``: the process runs; its script decides when it exits."""
        now = self.sim.now
        c.state = RUNNING
        c.started_at = now
        c.probed = ProbedContainer(c.id, now, c.behavior, c.sandbox.ip, declared_ports)
        c.files = {}
        for path, content in c.behavior.files.items():
            self._write(c, path, content)
        exit_at = c.behavior.exit_for(c.attempt)
        candidates = []
        if exit_at is not None:
            candidates.append((exit_at[0], exit_at[1], ""))
        if c.oom_at is not None:
            candidates.append((c.oom_at, SIGKILL_EXIT_CODE, "OOMKilled"))
        if candidates:
            after, code, reason = min(candidates, key=itemgetter(0))
            c.exit_timer = self.sim.call_at(now + after, self._exit, c, code, reason)

    def _exit(self, c: Container, exit_code: int, reason: str = "") -> None:
        if c.state != RUNNING:
            return
        if c.exit_timer is not None:
            c.exit_timer.cancel()
            c.exit_timer = None
        c.state = EXITED
        c.finished_at = self.sim.now
        c.exit_code = exit_code
        c.reason = reason or ("Completed" if exit_code == 0 else "Error")
        if c.probed is not None:
            c.probed.stopped = True
        events, c.stop_events = c.stop_events, []
        for event in events:
            if not event.triggered:
                event.succeed(c)
        self.on_exit(c.uid, c)

    def stop_container(self, c: Container, grace: float) -> simpy.Event:
        """``StopContainer(timeout=grace)``: SIGTERM, then SIGKILL after ``grace`` seconds. The event fires when
        the process has exited."""
        event = self.sim.env.event()
        if c.state != RUNNING:
            event.succeed(c)
            return event
        c.stop_events.append(event)
        now = self.sim.now
        delay = c.behavior.shutdown_delay
        if delay is not None and delay <= grace:
            when, code = now + delay, c.behavior.shutdown_exit_code
        else:
            when, code = now + grace, SIGKILL_EXIT_CODE
        timer = c.exit_timer
        if timer is None or timer.when is None or when < timer.when:
            if timer is not None:
                timer.cancel()
            c.exit_timer = self.sim.call_at(when, self._exit, c, code, "")
        return event

    def kill(self, c: Container, exit_code: int = SIGKILL_EXIT_CODE, reason: str = "") -> None:
        """The process dies now (``kill -9`` from inside, the OOM killer, ...)."""
        self._exit(c, exit_code, reason)

    def remove_container(self, c: Container) -> None:
        runs = self.containers.get(c.uid, [])
        if c in runs:
            if c.exit_timer is not None:
                c.exit_timer.cancel()
            runs.remove(c)

    def purge_init_containers(self, uid: str) -> None:
        """``purgeInitContainers``: remove every run of every init container (a new sandbox starts them over)."""
        runs = self.containers.get(uid)
        if runs:
            self.containers[uid] = [c for c in runs if not c.init or c.state == RUNNING]

    def running(self, uid: str) -> list[Container]:
        return [c for c in self.containers.get(uid, ()) if c.state == RUNNING]

    def latest(self, uid: str, name: str) -> Container | None:
        for c in self.containers.get(uid, ()):
            if c.name == name:
                return c
        return None

    # ---- volumes -----------------------------------------------------------------------------------------------

    def _volume_for(self, c: Container, path: str) -> tuple[dict[str, str], str]:
        """The file table ``path`` lands in for container ``c``, and the path inside it."""
        best: tuple[str, str] | None = None
        for mount_path, volume in c.mounts:
            prefix = mount_path.rstrip("/") + "/"
            if path.startswith(prefix) and (best is None or len(mount_path) > len(best[0])):
                best = (mount_path, volume)
        if best is not None:
            table = self.volumes.setdefault(c.uid, {}).setdefault(best[1], {})
            return table, path[len(best[0].rstrip("/")) + 1 :]
        return c.files, path

    def _write(self, c: Container, path: str, content: str) -> None:
        table, inner = self._volume_for(c, path)
        table[inner] = content

    def read_file(self, c: Container, path: str) -> str | None:
        """What ``cat path`` shows inside container ``c`` (``None``: no such file)."""
        table, inner = self._volume_for(c, path)
        return table.get(inner)

    # ---- the whole pod -----------------------------------------------------------------------------------------

    def pod_status(self, uid: str) -> PodRuntimeStatus:
        """``GetPodStatus``: a snapshot of the Pod's sandboxes and containers, newest first."""
        sandboxes = [SandboxStatus(s) for s in self.sandboxes.get(uid, ())]
        containers = [ContainerStatus(c) for c in self.containers.get(uid, ())]
        return PodRuntimeStatus(sandboxes, containers)

    def remove_pod(self, uid: str) -> None:
        """Everything of the Pod goes: containers (killed without a word), sandboxes (addresses released), volumes."""
        for c in self.containers.pop(uid, []):
            if c.exit_timer is not None:
                c.exit_timer.cancel()
            c.state = EXITED if c.state == RUNNING else c.state
            if c.probed is not None:
                c.probed.stopped = True
        self.stop_pod_sandboxes(uid)
        self.sandboxes.pop(uid, None)
        self.volumes.pop(uid, None)

    def pods(self) -> list[str]:
        return list(dict.fromkeys([*self.sandboxes, *self.containers]))

    def crash(self) -> None:
        """The machine went down: every process is gone, and containerd lists them as exited (255, Unknown)."""
        now = self.sim.now
        self.up = False
        for runs in self.containers.values():
            for c in runs:
                if c.exit_timer is not None:
                    c.exit_timer.cancel()
                    c.exit_timer = None
                if c.state in (RUNNING, CREATED):
                    c.state = EXITED
                    c.finished_at = now
                    c.exit_code = CRASH_EXIT_CODE
                    c.reason = CRASH_REASON
                    if c.started_at is None:
                        c.started_at = now
                    if c.probed is not None:
                        c.probed.stopped = True
                c.stop_events = []
        for uid in list(self.sandboxes):
            self.stop_pod_sandboxes(uid)
        if self._pulling is not None:
            self._pulling[3].cancel()
            self._pulling = None
        self._queue.clear()

    def boot(self) -> None:
        """The machine is up again: the runtime accepts requests."""
        self.up = True

    # ---- logs --------------------------------------------------------------------------------------------------

    def find_container(self, uid: str, container_id: str) -> Container | None:
        """The run of the Pod's container with this ID (``containerd://...``), if the runtime still keeps it."""
        for c in self.containers.get(uid, ()):
            if c.id == container_id:
                return c
        return None

    def logs(self, c: Container) -> list[tuple[float, str]]:
        """The log of one run (CRI ``ReadLogs``, what the kubelet's ``/containerLogs`` serves): each line the
        process printed so far (``logs`` in its script) with its simulated time, oldest first. Upstream containerd
        writes them to ``/var/log/pods/<ns>_<pod>_<uid>/<container>/<restartCount>.log``; the model computes them
        from the script, the run's start and its end (a process that has exited prints nothing more)."""
        if c.started_at is None:
            return []
        end = self.sim.now if c.finished_at is None else c.finished_at
        return [(c.started_at + age, line) for age, line in c.behavior.printed(end - c.started_at)]

    def usage(self, uid: str) -> dict[str, tuple[int, int]]:
        """Per running container of the Pod: (CPU millicores, memory bytes) as its script says."""
        now = self.sim.now
        out = {}
        for c in self.containers.get(uid, ()):
            if c.state == RUNNING and c.started_at is not None:
                out[c.name] = c.behavior.usage(now - c.started_at)
        return out


__all__ = [
    "CRASH_EXIT_CODE",
    "CREATED",
    "EXITED",
    "NETWORK_NOT_READY_MESSAGE",
    "RUNNING",
    "UNKNOWN",
    "Container",
    "ContainerRuntime",
    "ContainerStatus",
    "HostLocalIPAM",
    "NetworkNotReadyError",
    "PodRuntimeStatus",
    "Sandbox",
    "SandboxStatus",
]
