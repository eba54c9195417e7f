"""kubelet: the node agent — it watches the Pods bound to its node and makes their containers run.

One :class:`Kubelet` per Node. It reads the API only through an informer on the Pods whose ``spec.nodeName`` is its
node, writes only through the API server (Pod status, Events, its Node and its Lease), and drives a container
runtime (:mod:`k8smodel.kubelet.runtime`). The pieces, each after its upstream file:

Pod workers (``pkg/kubelet/pod_workers.go``)
    One worker per Pod, which runs one sync at a time; an update that arrives during a sync (a Pod change, a
    container exit, a probe result) makes the worker sync again as soon as it is done. A Pod goes through
    ``SyncPod`` (make it run) while it should run, then ``SyncTerminatingPod`` (stop its containers) once it is
    deleted or has reached a terminal phase, then ``SyncTerminatedPod`` (release the sandbox), after which the
    status manager deletes it from the API. A sync that failed is retried after ``wait.Jitter(10 s, 0.5)``
    (``backOffPeriod`` and ``workerBackOffPeriodJitterFactor``); :attr:`Kubelet.worker_jitter` is that factor
    (set it to 0 for exact 10 s steps). The grace period of a deletion is ``calculateEffectiveGracePeriod``:
    ``deletionGracePeriodSeconds``, or ``terminationGracePeriodSeconds`` if that is 0, never less than 1 s; it can
    only shrink.
``syncPod`` (``pkg/kubelet/kubelet.go``) and ``SyncPod`` (``pkg/kubelet/kuberuntime/kuberuntime_manager.go``)
    Generate the Pod's API status and hand it to the status manager *first*, then act: refuse without a network
    (``NetworkNotReady``), compute what to do (:func:`compute_pod_actions`, a port of ``computePodActions`` and
    ``computeInitContainerActions`` with native sidecars), kill what must go (``Killing``: ``Stopping container
    web``, or ``Container web failed liveness probe, will be restarted``), create a sandbox if needed
    (``SandboxChanged`` when it replaces one), then start init containers in order and app containers
    (``startContainer`` in ``kuberuntime_container.go``): back-off check (``BackOff``: ``Back-off restarting failed
    container web in pod web_default(<uid>)``), the image (``Pulling``, ``Pulled``, ``Failed``, ``BackOff``,
    ``ErrImageNeverPull``, from ``pkg/kubelet/images/image_manager.go``), ``Created`` (``Created container: web``),
    ``Started`` (``Started container web``). A start that fails leaves its reason in the *reason cache*, which the
    next status shows as the container's ``Waiting`` reason: ``CrashLoopBackOff``, ``ErrImagePull``,
    ``ImagePullBackOff``, ``ErrImageNeverPull``, ``CreateContainerConfigError``, ``InvalidImageName``.
Status (``generateAPIPodStatus``, ``convertToAPIContainerStatuses`` and :func:`get_phase` in
``pkg/kubelet/kubelet_pods.go``; ``pkg/kubelet/status/generate.go``; ``pkg/kubelet/status/status_manager.go``)
    Container statuses (``state``, ``lastState``, ``restartCount``, ``ready``, ``started``), the phase exactly as
    ``getPhase`` computes it for each ``restartPolicy``, the conditions ``PodReadyToStartContainers``,
    ``Initialized``, ``Ready``, ``ContainersReady`` and ``PodScheduled`` (conditions other components own are kept),
    ``hostIP``, ``podIP``, ``qosClass``, ``startTime``. A terminal phase never changes back. The status manager keeps
    the newest status of each Pod and writes it with a ``PATCH`` of the status subresource, only when it differs from
    what the API holds; writes of one instant are coalesced (it runs on its own goroutine upstream). It puts back a
    status another component changed (``needsReconcile``), retries every 10 s while the API is unreachable
    (``syncPeriod``), and deletes a terminated Pod with grace period 0 and a uid precondition (``canBeDeleted``).
Probes, node status and the Lease, back-offs, images, behaviour
    :mod:`k8smodel.kubelet.probes`, :mod:`k8smodel.kubelet.node_status`, :mod:`k8smodel.kubelet.backoff`,
    :mod:`k8smodel.kubelet.images`, :mod:`k8smodel.kubelet.behavior`.

Failures of the machine
    :meth:`Kubelet.crash` stops everything (no heartbeats, no writes; the containers die) and :meth:`Kubelet.recover`
    boots it again: the kubelet re-registers (``Rebooted``: a new boot ID), relists its Pods and, since every
    sandbox is gone, gives each Pod a new sandbox and address (``SandboxChanged``) and restarts its containers per
    ``restartPolicy`` (``restartCount`` goes up, ``lastState`` shows exit code 255, reason ``Unknown``); a Pod with
    ``restartPolicy: Never`` whose containers had run ends ``Failed``. :meth:`Kubelet.partition` cuts the node off
    the API server while everything keeps running locally: writes fail, the watch breaks, Events are lost; after
    :meth:`Kubelet.heal` each loop catches up on its own schedule — the Lease within 7 s (``backoffEnsureLease``),
    the node status at its next 10 s tick, Pod statuses at the status manager's next 10 s retry, the Pod watch after
    the reflector's back-off (0.8 s doubling to 30 s, with jitter).

Which version
    Upstream as of v1.33/v1.34: native sidecars (GA in v1.33), ``PodReadyToStartContainers``, ``getPhase`` with
    ``podHasInitialized`` (v1.34), and v1.33's retry of a failed sync every 10 to 15 s (see
    :mod:`k8smodel.kubelet.backoff` for what v1.34 changed there).

What the model leaves out
    * The pod workers' periodic resync (every minute, ``syncFrequency``) and the PLEG's 1 s relist: every change the
      model can make arrives as an event, so the kubelet syncs at once instead (as with the evented PLEG).
    * While the network is not ready, upstream retries a Pod's sync every 1 to 1.5 s (``NetworkNotReady`` each time);
      the model records the event once and syncs the Pod when the network becomes ready.
    * Static and mirror Pods, ephemeral containers, ``activeDeadlineSeconds``, Pod admission on the node (resource
      fit, taints: the scheduler's job here), the eviction manager, volumes other than ``emptyDir``, lifecycle
      hooks, in-place resize (``status.resize``, ``containerStatuses[].resources``), user namespaces, and the
      ``PodDisruptionConditions``' ``DisruptionTarget`` condition (kept if another component sets it).
    * A Pod's IP stays in its status after its sandbox is gone (the model's choice; the status shows the last
      address the Pod had).
    * Events recorded while the node is partitioned are dropped (upstream's broadcaster retries a write 12 times,
      10 s apart, so the last two minutes' would still arrive).
    * Upstream sends the status as a strategic merge patch; the model sends a JSON merge patch of the whole status
      object's changed fields (conditions and container statuses are lists the kubelet owns).
"""

from __future__ import annotations

import contextlib
import functools
import weakref
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from typing import Any

import simpy
from mypy_extensions import mypyc_attr

from k8smodel.api.errors import StatusError
from k8smodel.api.quantity import Quantity
from k8smodel.api.resources import compute_pod_qos
from k8smodel.apiserver.authn import ADMIN, UserInfo
from k8smodel.client import DeletedFinalStateUnknown, Informer
from k8smodel.kubelet.backoff import Backoff, hash_container, image_key, stable_key
from k8smodel.kubelet.behavior import BehaviorError, ContainerBehavior, parse_behavior
from k8smodel.kubelet.config import NodeConfig
from k8smodel.kubelet.images import Image, ImageRegistry, InvalidImageName, bandwidth_bytes, normalize
from k8smodel.kubelet.node_status import LeaseController, NodeStatusManager, timestamp
from k8smodel.kubelet.probes import LIVENESS, READINESS, STARTUP, ProbeManager, ProbeWorker
from k8smodel.kubelet.runtime import (
    CREATED,
    EXITED,
    NETWORK_NOT_READY_MESSAGE,
    RUNNING,
    UNKNOWN,
    Container,
    ContainerRuntime,
    ContainerStatus,
    NetworkNotReadyError,
    PodRuntimeStatus,
)
from k8smodel.record import NORMAL, WARNING, EventRecorder
from k8smodel.sim import Simulation, Timer, format_duration

Obj = dict[str, Any]

BACKOFF_PERIOD = 10.0  # backOffPeriod: the pod worker's retry after a failed sync
WORKER_BACKOFF_JITTER = 0.5  # workerBackOffPeriodJitterFactor
STATUS_SYNC_PERIOD = 10.0  # status manager's syncPeriod
MINIMUM_GRACE_PERIOD = 2  # minimumGracePeriodInSeconds (kuberuntime_container.go)
NETWORK_NOT_READY = "network is not ready"  # NetworkNotReadyErrorMsg

PENDING, RUNNING_PHASE, SUCCEEDED, FAILED = "Pending", "Running", "Succeeded", "Failed"
TERMINAL_PHASES = (SUCCEEDED, FAILED)
KUBELET_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")

# pod worker states
SYNC, TERMINATING, TERMINATED, FINISHED = "sync", "terminating", "terminated", "finished"

_NODE_IPS: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
_FIRST_NODE_IP = int(IPv4Address("10.0.0.2"))


def _next_node_ip(api: Any) -> str:
    """The model's stand-in for the cloud's address assignment: 10.0.0.2, 10.0.0.3, ... per API server, in the order
    kubelets are created."""
    n = _NODE_IPS.get(api, 0)
    _NODE_IPS[api] = n + 1
    return str(IPv4Address(_FIRST_NODE_IP + n))


def format_pod(pod: Mapping[str, Any]) -> str:
    """``format.Pod``: ``name_namespace(uid)``."""
    meta = pod["metadata"]
    return f"{meta.get('name', '')}_{meta.get('namespace', '')}({meta.get('uid', '')})"


def is_sidecar(container: Mapping[str, Any]) -> bool:
    """``IsRestartableInitContainer``: an init container with ``restartPolicy: Always``."""
    return container.get("restartPolicy") == "Always"


def _spec(pod: Mapping[str, Any]) -> Mapping[str, Any]:
    return pod.get("spec") or {}


# --------------------------------------------------------------------------------------------------------------
# computePodActions (kuberuntime_manager.go) and computeInitContainerActions (kuberuntime_container.go)


@dataclass
class PodActions:
    """``podActions``: what one sync must do."""

    kill_pod: bool = False
    create_sandbox: bool = False
    sandbox_id: str = ""
    attempt: int = 0
    init_to_start: list[int] = field(default_factory=list)
    to_start: list[int] = field(default_factory=list)
    # (container status, container spec, kill message, reason: "" | "liveness" | "startup")
    to_kill: list[tuple[ContainerStatus, Mapping[str, Any], str, str]] = field(default_factory=list)


def pod_sandbox_changed(pod: Mapping[str, Any], rs: PodRuntimeStatus) -> tuple[bool, int, str]:
    """``PodSandboxChanged`` (``pkg/kubelet/kuberuntime/util/util.go``): (create a new sandbox?, attempt, old id)."""
    if not rs.sandboxes:
        return True, 0, ""
    ready = sum(1 for s in rs.sandboxes if s.ready)
    latest = rs.sandboxes[0]
    if ready > 1 or not latest.ready:
        return True, latest.attempt + 1, latest.id
    if not _spec(pod).get("hostNetwork") and not latest.ip:
        return True, latest.attempt + 1, latest.id
    return False, latest.attempt, latest.id


def should_restart_on_failure(pod: Mapping[str, Any]) -> bool:
    return _spec(pod).get("restartPolicy", "Always") != "Never"


def should_container_be_restarted(container: Mapping[str, Any], pod: Mapping[str, Any], rs: PodRuntimeStatus) -> bool:
    """``ShouldContainerBeRestarted`` (``pkg/kubelet/container/helpers.go``)."""
    if pod["metadata"].get("deletionTimestamp"):
        return False
    status = rs.find(container.get("name", ""))
    if status is None:
        return True
    if status.state == RUNNING:
        return False
    if status.state in (UNKNOWN, CREATED):
        return True
    policy = _spec(pod).get("restartPolicy", "Always")
    if policy == "Never":
        return False
    return not (policy == "OnFailure" and status.exit_code == 0)


def is_init_container_failed(status: ContainerStatus) -> bool:
    """``isInitContainerFailed``."""
    if status.reason == "OOMKilled":
        return True
    if status.state == EXITED and status.exit_code != 0:
        return True
    return status.state == UNKNOWN


def find_next_init_container_to_run(pod: Mapping[str, Any], rs: PodRuntimeStatus) -> tuple[bool, int | None]:
    """``findNextInitContainerToRun`` reduced to (done, next index)."""
    spec = _spec(pod)
    inits = spec.get("initContainers") or []
    if not inits:
        return True, None
    for c in spec.get("containers") or []:
        s = rs.find(c.get("name", ""))
        if s is not None and s.state == RUNNING:
            return True, None
    for i in range(len(inits) - 1, -1, -1):
        s = rs.find(inits[i].get("name", ""))
        if s is not None and is_init_container_failed(s):
            return False, i
    for i in range(len(inits) - 1, -1, -1):
        s = rs.find(inits[i].get("name", ""))
        if s is None:
            continue
        if s.state == RUNNING:
            return False, None
        if s.state == EXITED:
            return (True, None) if i == len(inits) - 1 else (False, i + 1)
    return False, 0


def compute_init_container_actions(
    pod: Mapping[str, Any],
    rs: PodRuntimeStatus,
    actions: PodActions,
    probe_result: Callable[[str, str, str], bool | None],
) -> bool:
    """``computeInitContainerActions``: fill the init-container part of ``actions``; True if the Pod is initialized.

    ``probe_result(container, probe type, container id)`` is the prober's current result (``None``: none yet).
    """
    spec = _spec(pod)
    inits = spec.get("initContainers") or []
    if not inits:
        return True
    initialized = False
    for c in spec.get("containers") or []:
        s = rs.find(c.get("name", ""))
        if s is not None and s.state in (CREATED, RUNNING):
            initialized = True
            break
    previously = initialized
    restart_on_failure = should_restart_on_failure(pod)
    start: list[int] = []
    for i in range(len(inits) - 1, -1, -1):
        container = inits[i]
        name = container.get("name", "")
        sidecar = is_sidecar(container)
        status = rs.find(name)
        if status is None:
            if previously and sidecar:
                start.append(i)
            continue
        if previously and not sidecar:
            continue
        if status.state == CREATED:
            start.append(i)
        elif status.state == RUNNING:
            if sidecar:
                blocked = False
                if container.get("startupProbe"):
                    startup = probe_result(name, STARTUP, status.id)
                    if startup is None:
                        blocked = True
                    elif startup is False:
                        actions.to_kill.append(
                            (status, container, f"Init container {name} failed startup probe", "startup")
                        )
                        start.append(i)
                        blocked = True
                if not blocked:
                    if i == len(inits) - 1:
                        initialized = True
                    elif not previously:
                        start.append(i + 1)
                    if status.hash != hash_container(container):
                        actions.to_kill.append((status, container, f"Init container {name} definition changed", ""))
                        start.append(i)
                    elif container.get("livenessProbe") and probe_result(name, LIVENESS, status.id) is False:
                        actions.to_kill.append(
                            (status, container, f"Init container {name} failed liveness probe", "liveness")
                        )
                        start.append(i)
        elif status.state == EXITED:
            if sidecar:
                start.append(i)
            elif is_init_container_failed(status):
                if not restart_on_failure:
                    actions.kill_pod = True
                    actions.init_to_start = []
                    return False
                start.append(i)
            elif i == len(inits) - 1:
                initialized = True
            else:
                start.append(i + 1)
        else:  # unknown
            if not sidecar and not restart_on_failure:
                actions.kill_pod = True
                actions.init_to_start = []
                return False
            actions.to_kill.append(
                (status, container, f'Init container is in "{status.state}" state, try killing it before restart', "")
            )
            start.append(i)
        previously = True
    if not previously:
        start.append(0)
    actions.init_to_start = list(reversed(start))
    return initialized


def compute_pod_actions(
    pod: Mapping[str, Any],
    rs: PodRuntimeStatus,
    probe_result: Callable[[str, str, str], bool | None],
) -> PodActions:
    """``computePodActions``: which sandbox to create, which containers to kill and to start."""
    create, attempt, sandbox_id = pod_sandbox_changed(pod, rs)
    actions = PodActions(kill_pod=create, create_sandbox=create, sandbox_id=sandbox_id, attempt=attempt)
    spec = _spec(pod)
    containers = spec.get("containers") or []
    if create:
        if not should_restart_on_failure(pod) and attempt != 0 and rs.containers:
            actions.create_sandbox = False
            return actions
        to_start = []
        for i, c in enumerate(containers):
            if spec.get("restartPolicy") == "OnFailure":
                s = rs.find(c.get("name", ""))
                if s is not None and s.state == EXITED and s.exit_code == 0:
                    continue
            to_start.append(i)
        if not to_start and find_next_init_container_to_run(pod, rs)[0]:
            actions.create_sandbox = False
            return actions
        if spec.get("initContainers"):
            actions.init_to_start = [0]
            return actions
        actions.to_start = to_start
        return actions
    initialized = compute_init_container_actions(pod, rs, actions, probe_result)
    if actions.kill_pod or not initialized:
        return actions
    keep = 0
    for i, container in enumerate(containers):
        name = container.get("name", "")
        status = rs.find(name)
        if status is None or status.state != RUNNING:
            if should_container_be_restarted(container, pod, rs):
                actions.to_start.append(i)
                if status is not None and status.state == UNKNOWN:
                    actions.to_kill.append(
                        (
                            status,
                            container,
                            f'Container is in "{status.state}" state, try killing it before restart',
                            "",
                        )
                    )
            continue
        restart = should_restart_on_failure(pod)
        if status.hash != hash_container(container):
            message, reason, restart = f"Container {name} definition changed", "", True
        elif probe_result(name, LIVENESS, status.id) is False:
            message, reason = f"Container {name} failed liveness probe", "liveness"
        elif probe_result(name, STARTUP, status.id) is False:
            message, reason = f"Container {name} failed startup probe", "startup"
        else:
            keep += 1
            continue
        if restart:
            message += ", will be restarted"
            actions.to_start.append(i)
        actions.to_kill.append((status, container, message, reason))
    if keep == 0 and not actions.to_start:
        actions.kill_pod = True
        actions.init_to_start = []
    return actions


# --------------------------------------------------------------------------------------------------------------
# getPhase (kubelet_pods.go) and the conditions (status/generate.go)


def _status_of(statuses: list[Obj], name: str) -> Obj | None:
    for s in statuses:
        if s.get("name") == name:
            return s
    return None


def has_any_regular_container_started(spec: Mapping[str, Any], statuses: list[Obj]) -> bool:
    """``HasAnyRegularContainerStarted``: a regular container is running or has run."""
    for c in spec.get("containers") or []:
        s = _status_of(statuses, c.get("name", ""))
        if s is None:
            continue
        state = s.get("state") or {}
        if "running" in state or "terminated" in state:
            return True
    return False


def get_phase(
    pod: Mapping[str, Any], statuses: list[Obj], pod_is_terminal: bool, pod_has_initialized: bool | None = None
) -> str:
    """``getPhase``: the Pod phase from its container statuses (init containers included) and ``restartPolicy``.

    ``pod_has_initialized`` is ``HasAnyActiveRegularContainerStarted``: a regular container exists in the current
    sandbox (after a reboot the old containers do not count). Left out, it is computed from ``statuses``
    (``HasAnyRegularContainerStarted``, the rule before v1.34).
    """
    if pod_has_initialized is None:
        pod_has_initialized = has_any_regular_container_started(_spec(pod), statuses)
    spec = _spec(pod)
    policy = spec.get("restartPolicy", "Always")
    pending_init = pending_sidecar = failed_init = 0
    unknown = running = waiting = stopped = succeeded = 0
    inits = spec.get("initContainers") or []
    for c in inits:
        if is_sidecar(c):
            continue
        s = _status_of(statuses, c.get("name", ""))
        if s is None:
            pending_init += 1
            continue
        state = s.get("state") or {}
        last = (s.get("lastState") or {}).get("terminated")
        if "running" in state:
            pending_init += 1
        elif "terminated" in state:
            if state["terminated"].get("exitCode", 0) != 0:
                failed_init += 1
        elif "waiting" in state:
            if last is not None:
                if last.get("exitCode", 0) != 0:
                    failed_init += 1
            else:
                pending_init += 1
        else:
            pending_init += 1
    for c in inits:
        if not is_sidecar(c):
            continue
        s = _status_of(statuses, c.get("name", ""))
        if s is None:
            unknown += 1
            continue
        state = s.get("state") or {}
        if "running" in state:
            if not s.get("started"):
                pending_sidecar += 1
            running += 1
        elif "terminated" in state:
            pass
        elif "waiting" in state:
            if (s.get("lastState") or {}).get("terminated") is None:
                pending_sidecar += 1
                waiting += 1
        else:
            pending_sidecar += 1
            unknown += 1
    for c in spec.get("containers") or []:
        s = _status_of(statuses, c.get("name", ""))
        if s is None:
            unknown += 1
            continue
        state = s.get("state") or {}
        if "running" in state:
            running += 1
        elif "terminated" in state:
            stopped += 1
            if state["terminated"].get("exitCode", 0) == 0:
                succeeded += 1
        elif "waiting" in state:
            if (s.get("lastState") or {}).get("terminated") is not None:
                stopped += 1
            else:
                waiting += 1
        else:
            unknown += 1
    if failed_init > 0 and policy == "Never":
        return FAILED
    if pending_init > 0 or (pending_sidecar > 0 and not pod_has_initialized) or waiting > 0:
        return PENDING
    if running > 0 and unknown == 0:
        return RUNNING_PHASE
    if running == 0 and stopped > 0 and unknown == 0:
        if pod_is_terminal:
            return SUCCEEDED if stopped == succeeded else FAILED
        if policy == "Always":
            return RUNNING_PHASE
        if stopped == succeeded:
            return SUCCEEDED
        if policy == "Never":
            return FAILED
        return RUNNING_PHASE
    return PENDING


def _names(names: list[str]) -> str:
    """Go's ``%s`` of a ``[]string``: ``[a b]``."""
    return "[" + " ".join(names) + "]"


def _condition_from_lists(kind: str, reason: str, unknown: list[str], label: str, others: list[str]) -> Obj:
    """The tail that ``GenerateContainersReadyCondition`` and ``GeneratePodInitializedCondition`` share: ``True``,
    or ``False`` with ``reason`` and a message naming the containers with unknown and with ``label`` status."""
    messages = []
    if unknown:
        messages.append(f"containers with unknown status: {_names(unknown)}")
    if others:
        messages.append(f"containers with {label} status: {_names(others)}")
    if messages:
        return {"type": kind, "status": "False", "reason": reason, "message": ", ".join(messages)}
    return {"type": kind, "status": "True"}


def pod_initialized_condition(spec: Mapping[str, Any], statuses: list[Obj], phase: str) -> Obj:
    """``GeneratePodInitializedCondition``."""
    inits = spec.get("initContainers") or []
    if not inits:
        return {"type": "Initialized", "status": "True"}
    unknown, incomplete = [], []
    for c in inits:
        name = c.get("name", "")
        s = _status_of(statuses, name)
        if s is None:
            unknown.append(name)
            continue
        if is_sidecar(c):
            if not s.get("started"):
                incomplete.append(name)
        else:
            term = (s.get("state") or {}).get("terminated")
            if term is None or term.get("exitCode", 0) != 0:
                incomplete.append(name)
    if phase == SUCCEEDED and not unknown:
        return {"type": "Initialized", "status": "True", "reason": "PodCompleted"}
    if has_any_regular_container_started(spec, statuses):
        return {"type": "Initialized", "status": "True"}
    return _condition_from_lists("Initialized", "ContainersNotInitialized", unknown, "incomplete", incomplete)


def containers_ready_condition(spec: Mapping[str, Any], statuses: list[Obj], phase: str) -> Obj:
    """``GenerateContainersReadyCondition``."""
    unknown, unready = [], []
    for c in [*(c for c in spec.get("initContainers") or [] if is_sidecar(c)), *(spec.get("containers") or [])]:
        name = c.get("name", "")
        s = _status_of(statuses, name)
        if s is None:
            unknown.append(name)
        elif not s.get("ready"):
            unready.append(name)
    if (phase == SUCCEEDED and not unknown) or phase == FAILED:
        return {
            "type": "ContainersReady",
            "status": "False",
            "reason": "PodCompleted" if phase == SUCCEEDED else "PodFailed",
        }
    return _condition_from_lists("ContainersReady", "ContainersNotReady", unknown, "unready", unready)


def pod_ready_condition(
    spec: Mapping[str, Any],
    statuses: list[Obj],
    phase: str,
    conditions: list[Obj],
    containers_ready: Obj | None = None,
) -> Obj:
    """``GeneratePodReadyCondition``: ``ContainersReady``, then the readiness gates. ``containers_ready`` is
    ``containers_ready_condition(spec, statuses, phase)`` when the caller has it already (it is only read here)."""
    cr = containers_ready_condition(spec, statuses, phase) if containers_ready is None else containers_ready
    if cr["status"] != "True":
        return {**cr, "type": "Ready"}
    messages = []
    for gate in spec.get("readinessGates") or []:
        ctype = gate.get("conditionType", "")
        found = next((c for c in conditions if c.get("type") == ctype), None)
        if found is None:
            messages.append(f'corresponding condition of pod readiness gate "{ctype}" does not exist.')
        elif found.get("status") != "True":
            messages.append(f'the status of pod readiness gate "{ctype}" is not "True", but {found.get("status")}')
    if messages:
        return {"type": "Ready", "status": "False", "reason": "ReadinessGatesNotReady", "message": ", ".join(messages)}
    return {"type": "Ready", "status": "True"}


def need_to_reconcile_pod_readiness(pod: Mapping[str, Any]) -> bool:
    """``NeedToReconcilePodReadiness``: a readiness gate's condition changed, so ``Ready`` must be recomputed."""
    spec = _spec(pod)
    if not spec.get("readinessGates"):
        return False
    status = pod.get("status") or {}
    conditions = status.get("conditions") or []
    current = next((c for c in conditions if c.get("type") == "Ready"), None)
    if current is None:
        return False
    statuses = [*(status.get("initContainerStatuses") or []), *(status.get("containerStatuses") or [])]
    wanted = pod_ready_condition(spec, statuses, status.get("phase", ""), conditions)
    return current.get("status") != wanted["status"] or current.get("message") != wanted.get("message")


# --------------------------------------------------------------------------------------------------------------
# The kubelet


class PodWorker:
    """``podSyncStatus`` and its goroutine: one Pod's state on this node."""

    __slots__ = (
        "behavior_text",
        "behaviors",
        "busy",
        "delete_requested",
        "deleted",
        "grace",
        "network_event",
        "pending",
        "pod",
        "reasons",
        "retry",
        "state",
        "status",
        "uid",
        "waiting_for_network",
    )

    def __init__(self, pod: Obj) -> None:
        self.pod = pod
        self.uid: str = pod["metadata"]["uid"]
        self.state = SYNC
        self.busy = False
        self.pending = False
        self.deleted = False
        self.delete_requested = False
        self.grace = 0
        self.retry: Timer | None = None
        self.network_event = False
        self.waiting_for_network = False
        self.reasons: dict[str, tuple[str, str]] = {}  # reasonCache: container -> (reason, message)
        self.status: Obj | None = None  # the status manager's newest status
        self.behaviors: dict[str, ContainerBehavior] | BehaviorError | None = None
        self.behavior_text: Any = object()


class _PodListerWatcher:
    """The kubelet's Pod lister-watcher (field selector ``spec.nodeName=<node>``), cut off during a partition."""

    def __init__(self, kubelet: Kubelet) -> None:
        self.kubelet = kubelet
        self.selector = f"spec.nodeName={kubelet.name}"
        self.handle: Any = None
        self.callback: Callable[[str, Any], None] | None = None

    def list(self) -> tuple[list[Obj], str]:
        k = self.kubelet
        return k.call(k.api.list, "pods", None, None, self.selector, user=k.user)

    def watch(self, resource_version: str, callback: Callable[[str, Any], None]) -> Any:
        k = self.kubelet
        self.callback = callback
        self.handle = k.call(
            k.api.watch, "pods", None, resource_version, None, callback, field_selector=self.selector, user=k.user
        )
        return self.handle

    def break_watch(self) -> None:
        handle, callback = self.handle, self.callback
        self.handle = self.callback = None
        if handle is not None and not handle.stopped:
            handle.stop()
            if callback is not None:
                callback("CLOSED", None)


@mypyc_attr(native_class=False)  # a Python class also when compiled (k8smodel/_native.py): views read its vars()
class Kubelet:
    """The kubelet of one node (see the module docstring).

    ``Kubelet(sim, api, config, registry)`` does nothing until :meth:`start`. ``node_ip`` is the node's
    ``InternalIP`` (default: the next of 10.0.0.2, 10.0.0.3, ... for this API server). ``user`` is whom the kubelet
    authenticates as.
    """

    worker_jitter: float = WORKER_BACKOFF_JITTER
    """``workerBackOffPeriodJitterFactor``: a failed sync is retried after ``10 s * (1 + jitter * rand)``."""

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        config: NodeConfig,
        registry: ImageRegistry,
        *,
        user: UserInfo | str = ADMIN,
        node_ip: str | None = None,
    ) -> None:
        self.sim = sim
        self.api = api
        self.config = config
        self.registry = registry
        self.user = user
        self.name = config.name
        self.node_ip = node_ip or _next_node_ip(api)
        self.rng = sim.rng(f"kubelet/{self.name}")
        self._prober_rng = sim.rng(f"kubelet/{self.name}/prober")
        self._id_rng = sim.rng(f"kubelet/{self.name}/ids")
        self.machine_id = f"{self._id_rng.getrandbits(128):032x}"
        self.system_uuid = _uuid(self._id_rng.getrandbits(128))
        self.boot_id = ""
        self.recorder = EventRecorder(sim, api, "kubelet", host=self.name, user=user)
        self.runtime = ContainerRuntime(
            sim,
            self.name,
            registry,
            bandwidth_bytes(config.image_pull_bandwidth),
            self._id_rng,
            self._on_container_exit,
            self.node_ip,
        )
        # (partials, not closures: mypyc cannot compile a closure in a method of a Python class, k8smodel/_native.py)
        self.backoff = Backoff(functools.partial(getattr, self.sim, "now"))
        self.image_backoff = Backoff(functools.partial(getattr, self.sim, "now"))
        self.node_status = NodeStatusManager(self)
        self.lease = LeaseController(self)
        self.probes = self._new_probe_manager()
        self.workers: dict[str, PodWorker] = {}
        self.informer: Informer | None = None
        self._lw: _PodListerWatcher | None = None
        self.running = False
        self.reachable = True
        self.stopped = False
        self._epoch = 0
        self._dirty: dict[str, PodWorker] = {}
        self._flush_timer: Timer | None = None
        self._status_retry: Timer | None = None
        self.status_writes = 0
        self.syncs = 0

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped" if self.stopped else "down"
        return f"Kubelet({self.name!r}, {state}, pods={len(self.workers)})"

    # ---- the API, as seen from this machine ------------------------------------------------------------------

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Make an API request, or raise ``ConnectionError`` if this machine cannot reach the API server."""
        if not self.running or not self.reachable:
            raise ConnectionError(f"dial tcp: connect to the API server from {self.name}: network is unreachable")
        return fn(*args, **kwargs)

    def _event(self, obj: Obj, type_: str, reason: str, message: str, field_path: str = "") -> None:
        if self.running and self.reachable:
            self.recorder.event(obj, type_, reason, message, field_path=field_path)

    def node_event(self, type_: str, reason: str, message: str) -> None:
        """An Event about this Node (``kl.nodeRef``: its uid is the node's name)."""
        ref = {"kind": "Node", "apiVersion": "", "metadata": {"name": self.name, "uid": self.name}}
        self._event(ref, type_, reason, message)

    def _container_event(self, pod: Obj, container: Mapping[str, Any], type_: str, reason: str, message: str) -> None:
        """``recordContainerEvent``: an Event about the Pod, pointing at the container (``spec.containers{web}``)."""
        name = container.get("name", "")
        inits = _spec(pod).get("initContainers")
        if inits and any(c.get("name") == name for c in inits):
            path = f"spec.initContainers{{{name}}}"
        else:
            path = f"spec.containers{{{name}}}"
        self._event(pod, type_, reason, message, path)

    # ---- lifecycle -------------------------------------------------------------------------------------------

    def start(self) -> None:
        """The kubelet starts: register the Node, start heartbeats and the Pod informer, sync the Pods."""
        if self.stopped:
            raise RuntimeError(f"kubelet {self.name} was stopped for good (the node was removed)")
        if self.running:
            return
        self.running = True
        self._epoch += 1
        self.boot_id = _uuid(self._id_rng.getrandbits(128))
        self.runtime.boot()
        if self.config.pod_cidr and not self.runtime.pod_cidr:
            self.runtime.set_pod_cidr(self.config.pod_cidr)
        self.backoff.clear()
        self.image_backoff.clear()
        self.probes = self._new_probe_manager()
        self.workers = {}
        self._dirty = {}
        self.node_event(NORMAL, "Starting", "Starting kubelet.")
        self.node_event(NORMAL, "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods")
        self.node_status.start()
        self.lease.start()
        self._lw = _PodListerWatcher(self)
        self.informer = Informer(self.sim, self._lw, name=f"kubelet/{self.name}/pods")
        self.informer.add_event_handler(self._on_add, self._on_update, self._on_delete)
        self.informer.start()

    def _halt(self) -> None:
        self.running = False
        self._epoch += 1
        self.node_status.stop()
        self.lease.stop()
        if self.informer is not None:
            self.informer.stop()
        if self._lw is not None:
            self._lw.break_watch()
        for w in self.workers.values():
            if w.retry is not None:
                w.retry.cancel()
        for timer in (self._flush_timer, self._status_retry):
            if timer is not None:
                timer.cancel()
        self._flush_timer = self._status_retry = None
        self.probes.stop_all()
        self.runtime.crash()
        self.workers = {}
        self._dirty = {}

    def crash(self) -> None:
        """The machine goes down: no heartbeats, no status; its containers are gone."""
        if self.running:
            self._halt()

    def recover(self) -> None:
        """The machine boots again after :meth:`crash`: the kubelet starts, and its Pods resync."""
        if not self.running:
            self.start()

    def partition(self) -> None:
        """A network partition: everything keeps running here, but no API request gets through."""
        if not self.reachable:
            return
        self.reachable = False
        if self._lw is not None:
            self._lw.break_watch()

    def heal(self) -> None:
        """The partition ends; every loop catches up on its own schedule (see the module docstring)."""
        self.reachable = True

    def stop(self) -> None:
        """The node is removed for good: every timer stops, nothing is written any more."""
        if self.running:
            self._halt()
        self.stopped = True

    # ---- informer handlers -----------------------------------------------------------------------------------

    def _on_add(self, pod: Obj) -> None:
        uid = pod["metadata"].get("uid")
        w = self.workers.get(uid)
        if w is None:
            w = self.workers[uid] = PodWorker(pod)
            if (pod.get("status") or {}).get("phase") in TERMINAL_PHASES:
                w.state = TERMINATING  # nothing to run: make sure it is stopped, then done
        else:
            w.pod = pod
        self._update(w)

    def _on_update(self, old: Obj, pod: Obj) -> None:
        uid = pod["metadata"].get("uid")
        w = self.workers.get(uid)
        if w is None:
            self._on_add(pod)
            return
        w.pod = pod
        if old is pod or _differ_semantically(old, pod) or need_to_reconcile_pod_readiness(pod):
            self._update(w)
        if w.status is not None and self._merged_status(pod, w.status) != (pod.get("status") or {}):
            self._mark_dirty(w)  # needsReconcile: someone else changed the status

    def _on_delete(self, obj: Any) -> None:
        pod = obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj
        if pod is None:
            return
        w = self.workers.get(pod["metadata"].get("uid"))
        if w is None:
            return
        w.deleted = True
        self._dirty.pop(w.uid, None)
        self._update(w)

    def _on_container_exit(self, uid: str, c: Container) -> None:
        """The PLEG's ``ContainerDied``."""
        self.probes.container_stopped(uid, c.name)
        w = self.workers.get(uid)
        if w is not None:
            self._update(w)

    # ---- the pod worker --------------------------------------------------------------------------------------

    def _grace_period(self, w: PodWorker) -> int:
        """``calculateEffectiveGracePeriod``: only ever shrinks; the Pod's own period if none was given; >= 1."""
        pod = w.pod
        grace = w.grace
        override = pod["metadata"].get("deletionGracePeriodSeconds")
        if override is not None and (grace == 0 or override < grace):
            grace = override
        spec_grace = _spec(pod).get("terminationGracePeriodSeconds")
        if grace == 0 and spec_grace is not None:
            grace = spec_grace
        return max(int(grace), 1)

    def _update(self, w: PodWorker) -> None:
        """``UpdatePod``: note the change and run a sync (or mark one pending)."""
        if not self.running or (w.state == FINISHED and not w.deleted):
            return
        terminating = w.deleted or bool(w.pod["metadata"].get("deletionTimestamp"))
        if terminating and w.state in (SYNC, TERMINATING):
            new_grace = self._grace_period(w)
            if w.state == SYNC:
                w.state = TERMINATING
                w.grace = new_grace
                self.probes.pod_terminating(w.uid)
            elif new_grace < w.grace:  # a shorter grace period cuts a kill in progress
                w.grace = new_grace
                for c in self.runtime.running(w.uid):
                    self.runtime.stop_container(c, max(new_grace, MINIMUM_GRACE_PERIOD))
        if w.state == FINISHED and w.deleted:
            self._forget(w)
            return
        if w.busy:
            w.pending = True
            return
        if w.retry is not None:
            w.retry.cancel()
            w.retry = None
        w.busy = True
        self.sim.process(self._work(w, self._epoch))

    def _work(self, w: PodWorker, epoch: int) -> Generator[simpy.Event, Any, None]:
        retry: float | None = None
        while True:
            w.pending = False
            retry = None
            if w.state == SYNC:
                retry = yield from self._sync_pod(w, epoch)
            elif w.state == TERMINATING:
                yield from self._sync_terminating_pod(w, epoch)
            elif w.state == TERMINATED:
                self._sync_terminated_pod(w)
            if epoch != self._epoch:
                return
            if w.state == FINISHED:
                w.busy = False
                if w.deleted:
                    self._forget(w)
                return
            if not w.pending:
                break
        w.busy = False
        if retry is not None:
            w.retry = self.sim.call_later(retry, self._update, w)

    def _backoff_delay(self) -> float:
        return (
            BACKOFF_PERIOD * (1.0 + self.rng.random() * self.worker_jitter)
            if self.worker_jitter > 0
            else (BACKOFF_PERIOD)
        )

    def _forget(self, w: PodWorker) -> None:
        """The Pod is gone from the API and stopped here: drop everything the node had for it."""
        self.runtime.remove_pod(w.uid)
        self.probes.remove_pod(w.uid)
        self._dirty.pop(w.uid, None)
        if w.retry is not None:
            w.retry.cancel()
        self.workers.pop(w.uid, None)
        w.state = FINISHED

    def _valid(self, w: PodWorker, epoch: int, state: str = SYNC) -> bool:
        return epoch == self._epoch and w.state == state and self.workers.get(w.uid) is w

    def _behaviors(self, w: PodWorker) -> dict[str, ContainerBehavior] | BehaviorError:
        text = ((w.pod["metadata"].get("annotations") or {}).get("k8smodel.io/behavior"), _spec(w.pod))
        if w.behaviors is None or w.behavior_text != text:
            try:
                w.behaviors = parse_behavior(w.pod)
            except BehaviorError as err:
                w.behaviors = err
            w.behavior_text = text
        return w.behaviors

    def _probe_result(self, uid: str) -> Callable[[str, str, str], bool | None]:
        return functools.partial(self.probes.result, uid)

    def _sync_pod(self, w: PodWorker, epoch: int) -> Generator[simpy.Event, Any, float | None]:
        """``syncPod`` + ``SyncPod``: status first, then make the Pod run. Returns the retry delay after an error."""
        self.syncs += 1
        pod = w.pod
        uid = w.uid
        spec = _spec(pod)
        rs = self.runtime.pod_status(uid)
        status = self._generate_status(w, rs, terminal=False)
        self._set_status(w, status)
        if status["phase"] in TERMINAL_PHASES:
            w.state = TERMINATING
            w.grace = self._grace_period(w)
            w.pending = True
            return None
        host_network = bool(spec.get("hostNetwork"))
        if not host_network and not self.runtime.network_ready:
            if not w.network_event:
                self._event(pod, WARNING, "NetworkNotReady", f"{NETWORK_NOT_READY}: {NETWORK_NOT_READY_MESSAGE}")
                w.network_event = True
            w.waiting_for_network = True
            return None
        self.probes.add_pod(pod)
        actions = compute_pod_actions(pod, rs, self._probe_result(uid))
        runtime = self.runtime
        if actions.create_sandbox and actions.sandbox_id:
            self._event(pod, NORMAL, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.")
        if actions.kill_pod:
            yield from self._kill_pod(w, None)
            if not self._valid(w, epoch):
                return None
            runtime.stop_pod_sandboxes(uid)
            w.pending = True
            if actions.create_sandbox:
                runtime.purge_init_containers(uid)
            else:
                return None
        else:
            for cstatus, container, message, reason in actions.to_kill:
                live = self._live(uid, cstatus.id)
                if live is not None:
                    yield from self._kill_container(w, live, container, message, reason, None)
                    if not self._valid(w, epoch):
                        return None
        sandbox = None
        if actions.create_sandbox:
            try:
                sandbox = runtime.run_pod_sandbox(uid, actions.attempt, host_network)
            except NetworkNotReadyError as err:
                self._event(pod, WARNING, "FailedCreatePodSandBox", f"Failed to create pod sandbox: {err}")
                return self._backoff_delay()
            w.pending = True
        else:
            for s in runtime.sandboxes.get(uid, ()):
                if s.ready:
                    sandbox = s
                    break
        if sandbox is None:
            return None
        behaviors = self._behaviors(w)
        errors = False
        inits = spec.get("initContainers") or []
        for i in actions.init_to_start:
            failed = yield from self._start(w, epoch, rs, sandbox, inits[i], True, behaviors)
            if not self._valid(w, epoch):
                return None
            if failed is not None:
                errors = True
                if not is_sidecar(inits[i]):
                    break
        containers = spec.get("containers") or []
        for i in actions.to_start:
            failed = yield from self._start(w, epoch, rs, sandbox, containers[i], False, behaviors)
            if not self._valid(w, epoch):
                return None
            errors = errors or failed is not None
        return self._backoff_delay() if errors else None

    def _live(self, uid: str, cid: str) -> Container | None:
        for c in self.runtime.containers.get(uid, ()):
            if c.id == cid:
                return c
        return None

    def _start(
        self,
        w: PodWorker,
        epoch: int,
        rs: PodRuntimeStatus,
        sandbox: Any,
        container: Mapping[str, Any],
        init: bool,
        behaviors: dict[str, ContainerBehavior] | BehaviorError,
    ) -> Generator[simpy.Event, Any, tuple[str, str] | None]:
        """``start`` in ``SyncPod``: the back-off check (``doBackOff``), then ``startContainer``. Returns the
        error (reason, message) or ``None``; the reason cache is updated either way."""
        pod = w.pod
        name = container.get("name", "")
        last = rs.find_exited(name)
        if last is not None and last.finished_at is not None:
            key = stable_key(pod, container)
            if self.backoff.is_in_backoff_since(key, last.finished_at):
                self._container_event(
                    pod,
                    container,
                    WARNING,
                    "BackOff",
                    f"Back-off restarting failed container {name} in pod {format_pod(pod)}",
                )
                err = (
                    "CrashLoopBackOff",
                    f"back-off {format_duration(self.backoff.get(key))} restarting failed container={name} "
                    f"pod={format_pod(pod)}",
                )
                w.reasons[name] = err
                return err
            self.backoff.next(key, last.finished_at)
        image = yield from self._ensure_image(w, epoch, container)
        if not self._valid(w, epoch):
            return None
        if not isinstance(image, Image):
            assert image is not None
            self._container_event(pod, container, WARNING, "Failed", f"Error: {image[0]}")
            w.reasons[name] = image
            return image
        if isinstance(behaviors, BehaviorError):
            self._container_event(pod, container, WARNING, "Failed", f"Error: {behaviors}")
            err = ("CreateContainerConfigError", str(behaviors))
            w.reasons[name] = err
            return err
        previous = rs.find(name)
        restart_count = previous.attempt + 1 if previous is not None else 0
        c = self.runtime.create_container(
            w.uid,
            sandbox,
            container,
            init=init,
            attempt=restart_count,
            image=image,
            behavior=behaviors[name],
            container_hash=hash_container(container),
            mounts=self._mounts(pod, container),
            memory_limit=_memory_limit(container),
        )
        self._container_event(pod, container, NORMAL, "Created", f"Created container: {name}")
        self.runtime.start_container(c, _declared_ports(pod))
        self._container_event(pod, container, NORMAL, "Started", f"Started container {name}")
        w.reasons.pop(name, None)
        assert c.probed is not None
        self.probes.container_started(w.uid, name, c.probed)
        w.pending = True
        return None

    def _ensure_image(
        self, w: PodWorker, epoch: int, container: Mapping[str, Any]
    ) -> Generator[simpy.Event, Any, Image | tuple[str, str] | None]:
        """``EnsureImageExists`` (``image_manager.go``): the image, or the error (reason, message)."""
        pod = w.pod
        image = container.get("image", "")
        policy = container.get("imagePullPolicy") or "IfNotPresent"
        try:
            ref = normalize(image)
        except InvalidImageName as err:
            message = f'Failed to apply default image tag "{image}": {err}'
            self._container_event(pod, container, WARNING, "InspectFailed", message)
            return ("InvalidImageName", message)
        present = self.runtime.image_present(ref)
        if policy == "Never" or (policy == "IfNotPresent" and present is not None):
            if present is not None:
                self._container_event(
                    pod, container, NORMAL, "Pulled", f'Container image "{image}" already present on machine'
                )
                return present
            message = f'Container image "{image}" is not present with pull policy of Never'
            self._container_event(pod, container, WARNING, "ErrImageNeverPull", message)
            return ("ErrImageNeverPull", message)
        key = image_key(pod, image)
        if self.image_backoff.is_in_backoff_since_update(key, self.sim.now):
            message = f'Back-off pulling image "{image}"'
            self._container_event(pod, container, NORMAL, "BackOff", message)
            return ("ImagePullBackOff", message)
        self._container_event(pod, container, NORMAL, "Pulling", f'Pulling image "{image}"')
        started = self.sim.now
        pulled, error, seconds = yield self.runtime.pull_image(ref)
        if epoch != self._epoch:
            return None
        if error is not None:
            self._container_event(pod, container, WARNING, "Failed", f'Failed to pull image "{image}": {error}')
            self.image_backoff.next(key, self.sim.now)
            return ("ErrImagePull", error)
        waited = self.sim.now - started
        self._container_event(
            pod,
            container,
            NORMAL,
            "Pulled",
            f'Successfully pulled image "{image}" in {_go_duration_ms(seconds)} ({_go_duration_ms(waited)} including '
            f"waiting). Image size: {pulled.size} bytes.",
        )
        return pulled

    def _mounts(self, pod: Obj, container: Mapping[str, Any]) -> list[tuple[str, str]]:
        """The container's ``emptyDir`` mounts: (mount path, volume name)."""
        empty_dirs = {v.get("name") for v in _spec(pod).get("volumes") or [] if "emptyDir" in v}
        return [
            (m.get("mountPath", ""), m.get("name", ""))
            for m in container.get("volumeMounts") or []
            if m.get("name") in empty_dirs
        ]

    def _kill_container(
        self,
        w: PodWorker,
        c: Container,
        container: Mapping[str, Any],
        message: str,
        reason: str,
        grace_override: int | None,
    ) -> Generator[simpy.Event, Any, None]:
        """``killContainer``: the ``Killing`` event, then ``StopContainer`` with the grace period; waits for the
        exit."""
        pod = w.pod
        grace = self._termination_grace(pod, container, reason)
        if grace_override is not None:
            grace = grace_override
        grace = max(grace, MINIMUM_GRACE_PERIOD)
        self._container_event(pod, container, NORMAL, "Killing", message or f"Stopping container {c.name}")
        yield self.runtime.stop_container(c, grace)

    @staticmethod
    def _termination_grace(pod: Obj, container: Mapping[str, Any], reason: str) -> int:
        """``setTerminationGracePeriod``."""
        deletion = pod["metadata"].get("deletionGracePeriodSeconds")
        if deletion is not None:
            return deletion
        spec_grace = _spec(pod).get("terminationGracePeriodSeconds")
        if spec_grace is None:
            return MINIMUM_GRACE_PERIOD
        probe = {"liveness": "livenessProbe", "startup": "startupProbe"}.get(reason)
        if probe is not None:
            probe_grace = (container.get(probe) or {}).get("terminationGracePeriodSeconds")
            if probe_grace is not None:
                return probe_grace
        return spec_grace

    def _kill_pod(self, w: PodWorker, grace_override: int | None) -> Generator[simpy.Event, Any, None]:
        """``killPodWithSyncResult``: every running container; app containers first, then sidecars in reverse order
        (``terminationOrdering``). A sidecar's grace period shrinks by the time it waited for its turn."""
        pod = w.pod
        spec = _spec(pod)
        by_name = {c.get("name"): c for c in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]}
        sidecar_names = [c.get("name") for c in spec.get("initContainers") or [] if is_sidecar(c)]
        running = self.runtime.running(w.uid)
        sidecars = {c.name: c for c in running if c.name in sidecar_names}
        mains = [c for c in running if c.name not in sidecars]
        started = self.sim.now
        graces = {}
        for c in [*mains, *(sidecars[n] for n in sidecar_names if n in sidecars)]:
            container = by_name.get(c.name, {"name": c.name})
            grace = self._termination_grace(pod, container, "") if grace_override is None else grace_override
            graces[c.name] = grace
            self._container_event(pod, container, NORMAL, "Killing", f"Stopping container {c.name}")
        events = [self.runtime.stop_container(c, max(graces[c.name], MINIMUM_GRACE_PERIOD)) for c in mains]
        if events:
            yield self.sim.env.all_of(events)
        for name in sidecar_names[::-1]:  # (not reversed(): mypyc 2.4 cannot compile it over a list of Any)
            sidecar = sidecars.get(name)
            if sidecar is None:
                continue
            waited = int(self.sim.now - started)
            grace = max(graces[name] - waited, MINIMUM_GRACE_PERIOD)
            yield self.runtime.stop_container(sidecar, grace)

    def _sync_terminating_pod(self, w: PodWorker, epoch: int) -> Generator[simpy.Event, Any, None]:
        """``SyncTerminatingPod``: status, stop every container with the grace period, terminal status."""
        self.syncs += 1
        rs = self.runtime.pod_status(w.uid)
        self._set_status(w, self._generate_status(w, rs, terminal=False))
        self.probes.pod_terminating(w.uid)
        if self.runtime.running(w.uid):
            yield from self._kill_pod(w, w.grace)
            if not self._valid(w, epoch, TERMINATING):
                return
        self.runtime.stop_pod_sandboxes(w.uid)
        self.probes.remove_pod(w.uid)
        rs = self.runtime.pod_status(w.uid)
        self._set_status(w, self._generate_status(w, rs, terminal=True))
        w.state = TERMINATED
        w.pending = True

    def _sync_terminated_pod(self, w: PodWorker) -> None:
        """``SyncTerminatedPod``: the sandbox is released; a deleted Pod can now leave the API."""
        self.runtime.stop_pod_sandboxes(w.uid)
        w.state = FINISHED
        if w.pod["metadata"].get("deletionTimestamp") and not w.deleted:
            w.delete_requested = True
            self._mark_dirty(w)

    # ---- status (generateAPIPodStatus and the status manager) -------------------------------------------------

    def _generate_status(self, w: PodWorker, rs: PodRuntimeStatus, terminal: bool) -> Obj:
        """``generateAPIPodStatus``."""
        pod = w.pod
        spec = _spec(pod)
        api_status = pod.get("status") or {}
        old = w.status if w.status is not None else api_status
        has_init = bool(spec.get("initContainers"))
        containers = self._container_statuses(
            w, rs, old.get("containerStatuses") or [], spec.get("containers") or [], has_init, False
        )
        inits = self._container_statuses(
            w, rs, old.get("initContainerStatuses") or [], spec.get("initContainers") or [], has_init, True
        )
        everything = [*containers, *inits]
        latest = rs.sandboxes[0].id if rs.sandboxes else None
        initialized = False
        if rs.containers:
            regular = {c.get("name") for c in spec.get("containers") or []}
            for c in rs.containers:  # (a plain loop: no generator on every sync)
                if c.sandbox_id == latest and c.name in regular:
                    initialized = True
                    break
        phase = get_phase(pod, everything, terminal, initialized)
        if phase not in TERMINAL_PHASES:
            if old.get("phase") in TERMINAL_PHASES:
                phase = old["phase"]
            elif api_status.get("phase") in TERMINAL_PHASES:
                phase = api_status["phase"]
        status: Obj = {"phase": phase}
        if phase == old.get("phase"):
            for key in ("reason", "message"):
                value = old.get(key) or api_status.get(key)
                if value:
                    status[key] = value
        if api_status.get("phase") in TERMINAL_PHASES and phase != api_status["phase"]:
            status["phase"] = phase = api_status["phase"]
        self._probe_flags(w, rs, containers, inits)
        conditions = [c for c in api_status.get("conditions") or [] if c.get("type") not in KUBELET_CONDITIONS]
        everything = [*inits, *containers]
        conditions.append(
            {"type": "PodReadyToStartContainers", "status": "False" if pod_sandbox_changed(pod, rs)[0] else "True"}
        )
        conditions.append(pod_initialized_condition(spec, everything, phase))
        ready = containers_ready_condition(spec, everything, phase)  # (a pure function: computed once for both)
        conditions.append(pod_ready_condition(spec, everything, phase, conditions, ready))
        conditions.append(ready)
        conditions.append({"type": "PodScheduled", "status": "True"})
        status["conditions"] = conditions
        status["hostIP"] = self.node_ip
        status["hostIPs"] = [{"ip": self.node_ip}]
        ips = rs.ips or ([p.get("ip") for p in old.get("podIPs") or []] if old.get("podIP") else [])
        if spec.get("hostNetwork"):
            ips = [self.node_ip]
        if ips:
            status["podIP"] = ips[0]
            status["podIPs"] = [{"ip": ip} for ip in ips]
        status["containerStatuses"] = containers
        if inits:
            status["initContainerStatuses"] = inits
        status["qosClass"] = api_status.get("qosClass") or compute_pod_qos(pod)
        return status

    def _container_statuses(
        self,
        w: PodWorker,
        rs: PodRuntimeStatus,
        previous: list[Obj],
        specs: list[Mapping[str, Any]],
        has_init: bool,
        is_init: bool,
    ) -> list[Obj]:
        """``convertToAPIContainerStatuses``."""
        if not specs:
            return []  # (no containers of this kind: every step below would find nothing to do)
        pod = w.pod
        old = {s.get("name"): s for s in previous}
        default = "PodInitializing" if has_init else "ContainerCreating"
        statuses: dict[str, Obj] = {}
        for spec in specs:
            name = spec.get("name", "")
            st: Obj = {
                "name": name,
                "state": {"waiting": {"reason": default}},
                "lastState": {},
                "ready": False,
                "restartCount": 0,
                "image": spec.get("image", ""),
                "imageID": "",
                "started": False,
            }
            o = old.get(name)
            if o is not None:
                if "terminated" in (o.get("state") or {}):
                    st = {**o}
                else:
                    st["restartCount"] = o.get("restartCount", 0)
                    st["lastState"] = o.get("lastState") or {}
            mounts = _volume_mount_statuses(spec)
            if mounts:
                st["volumeMounts"] = mounts
            statuses[name] = st
        for spec in specs:  # a container that vanished from the runtime while running
            name = spec.get("name", "")
            if rs.find(name) is not None:
                continue
            o = old.get(name)
            if o is None or "terminated" in (o.get("state") or {}) or "running" not in (o.get("state") or {}):
                continue
            st = statuses[name]
            if (st["state"].get("waiting") or {}).get("reason") != default or (st.get("lastState") or {}).get(
                "terminated"
            ):
                continue
            st["lastState"] = {
                "terminated": {
                    "exitCode": 137,
                    "reason": "ContainerStatusUnknown",
                    "message": "The container could not be located when the pod was deleted.  The container used "
                    "to be Running",
                    "startedAt": None,
                    "finishedAt": None,
                }
            }
            if not pod["metadata"].get("deletionTimestamp"):
                st["restartCount"] = st.get("restartCount", 0) + 1
        seen: dict[str, int] = {}
        for cs in rs.containers:
            name = cs.name
            if name not in statuses:
                continue
            n = seen.get(name, 0)
            if n >= 2:
                continue
            converted = self._convert(cs, statuses[name])
            if n == 0:
                statuses[name] = converted
            else:
                statuses[name]["lastState"] = converted["state"]
            seen[name] = n + 1
        reasons = w.reasons
        for spec in specs if reasons else ():  # (the waiting reason first: the checks after it only read)
            name = spec.get("name", "")
            reason = reasons.get(name)
            if reason is None:
                continue
            if is_init:
                s = rs.find(name)
                if s is not None and s.state == EXITED and s.exit_code == 0:
                    continue
            if not should_container_be_restarted(spec, pod, rs):
                continue
            st = statuses[name]
            if "terminated" in st["state"]:
                st["lastState"] = st["state"]
            waiting = {"reason": reason[0]}
            if reason[1]:
                waiting["message"] = reason[1]
            st["state"] = {"waiting": waiting}
        if is_init:
            return [statuses[s.get("name", "")] for s in specs]
        return [statuses[k] for k in sorted(statuses)]

    def _convert(self, cs: ContainerStatus, base: Obj) -> Obj:
        sim = self.sim
        st: Obj = {
            "name": cs.name,
            "state": {},
            "lastState": {},
            "ready": False,
            "restartCount": cs.attempt,
            "image": cs.image,
            "imageID": cs.image_id,
            "containerID": cs.id,
            "started": False,
        }
        if "volumeMounts" in base:
            st["volumeMounts"] = base["volumeMounts"]
        if cs.state == RUNNING:
            st["state"] = {"running": {"startedAt": timestamp(sim, cs.started_at)}}
        elif cs.state == EXITED:
            term: Obj = {"exitCode": cs.exit_code, "reason": cs.reason}
            if cs.message:
                term["message"] = cs.message
            term["startedAt"] = timestamp(sim, cs.started_at) if cs.started_at is not None else None
            term["finishedAt"] = timestamp(sim, cs.finished_at) if cs.finished_at is not None else None
            term["containerID"] = cs.id
            st["state"] = {"terminated": term}
        else:
            st["state"] = {"waiting": {}}
        return st

    def _probe_flags(self, w: PodWorker, rs: PodRuntimeStatus, containers: list[Obj], inits: list[Obj]) -> None:
        """``UpdatePodStatus`` (``prober_manager.go``): ``started`` and ``ready`` of every container, and the manual
        readiness trigger of a started container that is not ready yet."""
        probes = self.probes
        uid = w.uid
        triggers: list[str] = []
        init_specs = _spec(w.pod).get("initContainers")
        sidecar_names = {c.get("name") for c in init_specs if is_sidecar(c)} if init_specs else ()
        pairs = [(s, False) for s in containers]
        if inits:
            pairs += [(s, True) for s in inits]
        for st, init in pairs:
            name = st["name"]
            running = "running" in st["state"]
            live = self._live(uid, st.get("containerID", "")) if running else None
            target = live.probed if live is not None else None
            started = running and probes.started_at(uid, name, target) is not None
            st["started"] = started
            if init and name not in sidecar_names:
                term = st["state"].get("terminated")
                st["ready"] = term is not None and term.get("exitCode") == 0
                continue
            if not started or target is None:
                st["ready"] = False
                continue
            ready = probes.is_ready(uid, name, target)
            st["ready"] = ready
            if not ready and probes.worker(uid, name, READINESS) is not None:
                triggers.append(name)
        for name in triggers:
            probes.trigger_readiness(uid, name)

    def _set_status(self, w: PodWorker, status: Obj) -> None:
        """``SetPodStatus`` / ``updateStatusInternal``: transition times, start time, and queue a write if new."""
        old = w.status if w.status is not None else (w.pod.get("status") or {})
        now = timestamp(self.sim)
        previous = {c.get("type"): c for c in old.get("conditions") or []}
        conditions = []
        for c in status["conditions"]:
            if c["type"] not in KUBELET_CONDITIONS:
                conditions.append(c)
                continue
            before = previous.get(c["type"])
            when = (
                before.get("lastTransitionTime") if before is not None and before.get("status") == c["status"] else now
            )
            condition = {"type": c["type"], "status": c["status"], "lastProbeTime": None, "lastTransitionTime": when}
            if len(c) > 2:  # reason, message (what else it has comes after, as a ** of the rest would put it)
                condition.update({k: v for k, v in c.items() if k != "type" and k != "status"})
            conditions.append(condition)
        status["conditions"] = conditions
        start = old.get("startTime") or (w.pod.get("status") or {}).get("startTime") or now
        status["startTime"] = start
        if status == w.status:
            return
        w.status = status
        self._mark_dirty(w)

    def _mark_dirty(self, w: PodWorker) -> None:
        self._dirty[w.uid] = w
        if self._flush_timer is None and self.running:
            self._flush_timer = self.sim.call_later(0.0, self._flush)

    @staticmethod
    def _merged_status(pod: Obj, status: Obj) -> Obj:
        """``mergePodStatus``: the kubelet's status with the conditions other components own kept from the API."""
        api_status = pod.get("status") or {}
        others = [c for c in api_status.get("conditions") or [] if c.get("type") not in KUBELET_CONDITIONS]
        mine = [c for c in status.get("conditions") or [] if c.get("type") in KUBELET_CONDITIONS]
        merged = dict(status)
        merged["conditions"] = others + mine
        return merged

    def _flush(self) -> None:
        """The status manager's ``syncBatch``: write every Pod status that differs from the API's."""
        self._flush_timer = None
        if not self.running:
            return
        failed = False
        for uid, w in list(self._dirty.items()):
            try:
                self._write_status(w)
            except ConnectionError:
                failed = True
                continue
            self._dirty.pop(uid, None)
        if failed and self._status_retry is None:
            self._status_retry = self.sim.call_later(STATUS_SYNC_PERIOD, self._retry_flush)

    def _retry_flush(self) -> None:
        self._status_retry = None
        self._flush()

    def _write_status(self, w: PodWorker) -> None:
        informer = self.informer
        meta = w.pod["metadata"]
        current = informer.get(f"{meta.get('namespace')}/{meta.get('name')}") if informer is not None else None
        if current is None or current["metadata"].get("uid") != w.uid or w.status is None:
            return
        api_status = current.get("status") or {}
        desired = self._merged_status(current, w.status)
        patch: Obj = {k: v for k, v in desired.items() if api_status.get(k) != v}
        for key in api_status:
            if key not in desired:
                patch[key] = None
        if patch or desired != api_status:  # (a non-empty patch already says they differ: no second comparison)
            api = self.api
            # The patch is handed over (APIServer._patch_owned: not copied first). What it shares with w.status is
            # only read by the server, which keeps nothing of it but the bytes it stores; the patched object it
            # returns is not used here. (Unless the API's patch was replaced on the instance: a test's.)
            patch_fn = api.patch if "patch" in getattr(api, "__dict__", ()) else getattr(api, "_patch_owned", api.patch)
            try:
                self.call(
                    patch_fn,
                    "pods",
                    meta.get("name"),
                    meta.get("namespace"),
                    {"metadata": {"uid": w.uid}, "status": patch},
                    subresource="status",
                    user=self.user,
                )
                self.status_writes += 1
            except StatusError:
                return  # gone, or replaced by a Pod of the same name
        if w.delete_requested and not w.deleted:
            with contextlib.suppress(StatusError):
                self.call(
                    self.api.delete,
                    "pods",
                    meta.get("name"),
                    meta.get("namespace"),
                    grace_period_seconds=0,
                    preconditions={"uid": w.uid},
                    user=self.user,
                )
            w.delete_requested = False

    # ---- probes ---------------------------------------------------------------------------------------------

    def _new_probe_manager(self) -> ProbeManager:
        return ProbeManager(self.sim, self._prober_rng, self._on_probe_result, self._on_probe_event, self._exit_time)

    def _on_probe_result(self, worker: ProbeWorker, ok: bool) -> None:
        if worker.probe_type == STARTUP and ok:
            self.probes.mark_started(worker)
        w = self.workers.get(worker.uid)
        if w is not None:
            self._update(w)

    def _on_probe_event(self, worker: ProbeWorker, message: str) -> None:
        w = self.workers.get(worker.uid)
        if w is None:
            return
        spec = _spec(w.pod)
        container = next(
            (
                c
                for c in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]
                if c.get("name") == worker.container
            ),
            {"name": worker.container},
        )
        self._container_event(w.pod, container, WARNING, "Unhealthy", message)

    def _exit_time(self, uid: str, name: str, target: Any) -> float | None:
        c = self._live(uid, target.id)
        if c is None or c.exit_timer is None:
            return None
        return c.exit_timer.when

    # ---- what the network and the cluster helper ask ------------------------------------------------------

    def set_pod_cidr(self, cidr: str) -> None:
        """``updatePodCIDR``: the network plugin gets its range; Pods waiting for the network are synced."""
        if self.runtime.set_pod_cidr(cidr):
            for w in list(self.workers.values()):
                if w.waiting_for_network:
                    w.waiting_for_network = False
                    self._update(w)

    def _find(self, namespace: str, pod: str) -> PodWorker:
        for w in self.workers.values():
            meta = w.pod["metadata"]
            if meta.get("name") == pod and meta.get("namespace") == namespace:
                return w
        raise KeyError(f'pod "{namespace}/{pod}" is not running on node "{self.name}"')

    def _container(self, namespace: str, pod: str, container: str) -> Container:
        w = self._find(namespace, pod)
        c = self.runtime.latest(w.uid, container)
        if c is None or c.state != RUNNING:
            raise KeyError(f'container "{container}" of pod "{namespace}/{pod}" is not running on node "{self.name}"')
        return c

    def kill_container(self, namespace: str, pod: str, container: str, exit_code: int = 137, reason: str = "") -> None:
        """The container's process dies now with ``exit_code`` (``reason``: ``OOMKilled``, or the runtime's
        ``Completed``/``Error``). Raises ``KeyError`` if it is not running here."""
        if not self.running:
            raise KeyError(f'node "{self.name}" is down')
        if isinstance(exit_code, bool) or not isinstance(exit_code, int) or not 0 <= exit_code <= 255:
            raise ValueError(f"exit code must be an integer between 0 and 255, got {exit_code!r}")
        self.runtime.kill(self._container(namespace, pod, container), exit_code, reason)

    def read_file(self, namespace: str, pod: str, container: str, path: str) -> str | None:
        """``kubectl exec <pod> -c <container> -- cat <path>``: the content (``None``: no such file)."""
        return self.runtime.read_file(self._container(namespace, pod, container), path)

    def connect(self, namespace: str, pod: str, port: int) -> str | None:
        """A connection to ``localhost:port`` from inside the Pod: the name of the container listening there (its
        ports are the Pod's, since all containers share one network namespace), or ``None`` (connection refused)."""
        w = self._find(namespace, pod)
        spec = _spec(w.pod)
        now = self.sim.now
        for container in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
            if port not in {p.get("containerPort") for p in container.get("ports") or []}:
                continue
            c = self.runtime.latest(w.uid, container.get("name", ""))
            running = c is not None and c.state == RUNNING and c.started_at is not None
            if running and now - c.started_at >= c.behavior.startup_time:  # type: ignore[union-attr,operator]
                return c.name  # type: ignore[union-attr]
        return None

    def usage(self) -> dict[str, dict[str, dict[str, float]]]:
        """Current use per Pod (``namespace/name``) and container: ``{"cpu": cores, "memory": bytes}``, as the
        containers' scripts say (what the metrics pipeline would scrape)."""
        out: dict[str, dict[str, dict[str, float]]] = {}
        if not self.running:
            return out
        for w in self.workers.values():
            use = self.runtime.usage(w.uid)
            if use:
                meta = w.pod["metadata"]
                out[f"{meta.get('namespace')}/{meta.get('name')}"] = {
                    name: {"cpu": cpu / 1000.0, "memory": float(memory)} for name, (cpu, memory) in use.items()
                }
        return out

    def pod_ip(self, namespace: str, pod: str) -> str | None:
        """The Pod's current address on this node (``None`` if it has no ready sandbox)."""
        w = self._find(namespace, pod)
        rs = self.runtime.pod_status(w.uid)
        return rs.ips[0] if rs.ips else None


# --------------------------------------------------------------------------------------------------------------
# helpers


def _uuid(bits: int) -> str:
    bits = (bits & ~(0xC000 << 48)) | (0x8000 << 48)
    bits = (bits & ~(0xF000 << 64)) | (4 << 76)
    h = f"{bits:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _go_duration_ms(seconds: float) -> str:
    """A duration as Go prints it after ``Truncate(time.Millisecond)``: ``1.942s``, ``523ms``."""
    return format_duration(int(seconds * 1000 + 1e-6) / 1000.0)


_SEMANTIC_META = ("labels", "annotations", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences")


def _differ_semantically(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """``podsDifferSemantically`` (``pkg/kubelet/config/config.go``): a change of spec or of the metadata the kubelet
    acts on is an update; a change of status alone is only a reconcile."""
    if old.get("spec") != new.get("spec"):
        return True
    om, nm = old.get("metadata") or {}, new.get("metadata") or {}
    for k in _SEMANTIC_META:  # noqa: SIM110 (a plain loop: no generator on every Pod update)
        if om.get(k) != nm.get(k):
            return True
    return False


def _declared_ports(pod: Mapping[str, Any]) -> frozenset[int]:
    spec = _spec(pod)
    ports = set()
    for c in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
        for p in c.get("ports") or []:
            if isinstance(p.get("containerPort"), int):
                ports.add(p["containerPort"])
    return frozenset(ports)


def _memory_limit(container: Mapping[str, Any]) -> int | None:
    limit = ((container.get("resources") or {}).get("limits") or {}).get("memory")
    if limit is None:
        return None
    try:
        return Quantity(str(limit)).value()
    except ValueError:
        return None


def _volume_mount_statuses(container: Mapping[str, Any]) -> list[Obj]:
    out = []
    for m in container.get("volumeMounts") or []:
        st: Obj = {"name": m.get("name", ""), "mountPath": m.get("mountPath", "")}
        if m.get("readOnly"):
            st["readOnly"] = True
            st["recursiveReadOnly"] = "Disabled"
        out.append(st)
    return out


__all__ = [
    "BACKOFF_PERIOD",
    "Kubelet",
    "PodActions",
    "compute_init_container_actions",
    "compute_pod_actions",
    "containers_ready_condition",
    "format_pod",
    "get_phase",
    "pod_initialized_condition",
    "pod_ready_condition",
    "pod_sandbox_changed",
    "should_container_be_restarted",
]
