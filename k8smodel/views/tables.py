"""``kubectl get`` and ``kubectl describe`` as the book shows them: pandas tables and describe text.

``get_table`` prints the columns the API server's table printers give each kind, cell for cell:
``pkg/printers/internalversion/printers.go`` (``AddHandlers`` for the column definitions, ``printPod``,
``printNode``, ``printDeployment``, ``printReplicaSet``, ``printService``, ``printNamespace``,
``printEndpointSlice``, ``printHorizontalPodAutoscaler`` with ``formatHPAMetrics``, ``printLease``, ``printEvent``,
``printConfigMap``, ``printServiceAccount``, ``printRoleBinding``, ``printClusterRoleBinding``,
``printPriorityClass``). Roles and ClusterRoles have no printer there: the server's default table convertor
(``staging/src/k8s.io/apiserver/pkg/registry/rest/table.go``) prints ``NAME`` and ``CREATED AT``.
Headers are upper-cased as kubectl prints them; integer cells stay integers. Rows come in the order given (the
API server lists in etcd key order, namespace then name).

``describe`` follows ``staging/src/k8s.io/kubectl/pkg/describe/describe.go`` (``PodDescriber``,
``NodeDescriber``, ``ServiceDescriber``, ``DescribeEvents``; ``describeDeployment`` with
``printReplicaSetsByLabels`` over ``deploymentutil.GetAllReplicaSetsInChunks`` from
``staging/src/k8s.io/kubectl/pkg/util/deployment/deployment.go``; ``describeReplicaSet`` with
``getPodStatusForController``; ``printLabelsMultiline``, ``printAnnotationsMultiline``, ``printController``) and
lays its tab-separated lines out with a port of Go's ``text/tabwriter`` (min width 0, tab width 8, padding 2),
as kubectl's ``tabbedString`` does. The ``Pod Template:`` section of a Deployment or ReplicaSet is
``DescribePodTemplate`` as :func:`k8smodel.rollout.describe_pod_template` writes it (one implementation for
``describe`` and ``rollout history --revision``), here through the tabwriter.

What the model leaves out: describe prints the fields a chapter needs (a Pod's volumes without their details,
probes' full settings, security contexts, topology spread, resource claims); the Pod template section has what
:func:`k8smodel.rollout.describe_pod_template` prints. kubectl's ``describe`` fetches events, a ReplicaSet's Pods
and a Deployment's ReplicaSets itself; here the caller passes them (``events``, ``pods``, ``replica_sets``), and
this module does kubectl's filtering (involved object; selector and controller reference). Events print as
kubectl v1.33/v1.34 does: without the ``involvedObject.fieldPath`` prefix kubectl v1.35 adds to the message
(kubernetes/kubernetes#133627). A label's or annotation's length is counted in characters, not UTF-8 bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from k8smodel.api.kinds import UnknownKind, for_resource
from k8smodel.api.labels import EVERYTHING, SelectorError, label_selector_as_selector
from k8smodel.api.quantity import QuantityError, parse_quantity
from k8smodel.api.resources import qos_class
from k8smodel.controllers import deployment_util as du
from k8smodel.sim import EPOCH, format_age

NONE = "<none>"
UNKNOWN = "<unknown>"

# --- time -----------------------------------------------------------------------------------------------------


def _seconds(now: float | datetime, start: datetime = EPOCH) -> float:
    """``now`` as seconds since :data:`k8smodel.sim.EPOCH`, the origin every timestamp is parsed against
    (:func:`parse_time`). A float is simulated seconds since ``start``, the simulation's start (``sim.start``:
    ``EPOCH`` unless the cluster was made with another, as ``python -m k8smodel serve`` makes it at the wall
    clock's time); a datetime is a moment."""
    if isinstance(now, datetime):
        when = now if now.tzinfo else now.replace(tzinfo=UTC)
        return (when - EPOCH).total_seconds()
    if start is EPOCH or start == EPOCH:
        return float(now)  # the notebooks' case, unchanged to the last bit
    return float(now) + (start - EPOCH).total_seconds()


def epoch_seconds(now: float | datetime, start: datetime = EPOCH) -> float:
    """``now`` (simulated seconds since ``start``, or a datetime) as seconds since :data:`k8smodel.sim.EPOCH`: the
    ``now`` the print functions (:func:`row_printer`) take."""
    return _seconds(now, start)


def parse_time(value: Any) -> float | None:
    """An RFC 3339 ``metav1.Time`` / ``MicroTime`` string as seconds since EPOCH; ``None`` when unset."""
    if not value or not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - EPOCH).total_seconds()


def _since(value: Any, now: float) -> str:
    """``translateTimestampSince``: ``<unknown>`` for a zero time, else ``HumanDuration(now - t)``."""
    t = parse_time(value)
    return UNKNOWN if t is None else format_age(now - t)


def _g(obj: Any, *path: str, default: Any = None) -> Any:
    for key in path:
        if not isinstance(obj, Mapping):
            return default
        obj = obj.get(key)
        if obj is None:
            return default
    return obj


def format_labels(labels: Mapping[str, str] | None) -> str:
    """``labels.FormatLabels``: ``k=v`` pairs sorted by key, comma-separated; ``<none>`` when empty."""
    if not labels:
        return NONE
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


def format_label_selector(selector: Mapping[str, Any] | None) -> str:
    """``metav1.FormatLabelSelector``: ``LabelSelectorAsSelector(selector).String()`` (requirements sorted by key,
    ``key in (a,b)``, ``!key``), ``<none>`` when that is empty (a nil or empty selector), ``<error>`` when the
    selector does not parse."""
    try:
        text = str(label_selector_as_selector(selector))
    except (SelectorError, AttributeError, TypeError):
        return "<error>"
    return text or NONE


def _selector_string(selector: Mapping[str, Any] | None) -> str:
    """``LabelSelectorAsSelector(...).String()`` as ``printDeployment`` and ``describeDeployment`` print it (empty
    for a nil or empty selector)."""
    text = format_label_selector(selector)
    return "" if text == NONE else text


def _quantity(value: Any) -> str:
    try:
        return str(parse_quantity(str(value)))
    except (QuantityError, ValueError):
        return str(value)


def _containers(template_spec: Mapping[str, Any] | None) -> tuple[str, str]:
    """``layoutContainerCells``: names and images, comma-separated."""
    containers = (template_spec or {}).get("containers") or []
    return ",".join(c.get("name", "") for c in containers), ",".join(c.get("image", "") for c in containers)


# --- printers: one function per kind, each returning its cells ----------------------------------------------------


def _restartable(container: Mapping[str, Any] | None) -> bool:
    """``podutil.IsRestartableInitContainer``: a sidecar is an init container with ``restartPolicy: Always``."""
    return bool(container) and container.get("restartPolicy") == "Always"  # type: ignore[union-attr]


def _condition_true(conditions: Iterable[Mapping[str, Any]], kind: str) -> bool:
    return any(c.get("type") == kind and c.get("status") == "True" for c in conditions)


def pod_status(pod: Mapping[str, Any], now: float) -> tuple[str, str, str]:
    """READY, STATUS and RESTARTS of a pod: ``printPod`` in ``printers.go``, line for line."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    containers = spec.get("containers") or []
    restarts = 0
    restartable_restarts = 0
    total = len(containers)
    ready = 0
    last_restart: float | None = None
    last_restartable: float | None = None
    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    conditions = status.get("conditions") or []
    for c in conditions:
        if c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}
    total += sum(1 for c in init_specs.values() if _restartable(c))

    def finished(cs: Mapping[str, Any]) -> float | None:
        return parse_time(_g(cs, "lastState", "terminated", "finishedAt"))

    initializing = False
    init_statuses = status.get("initContainerStatuses") or []
    for i, cs in enumerate(init_statuses):
        restarts += cs.get("restartCount", 0)
        t = finished(cs)
        if t is not None and (last_restart is None or t > last_restart):
            last_restart = t
        sidecar = _restartable(init_specs.get(cs.get("name")))
        if sidecar:
            restartable_restarts += cs.get("restartCount", 0)
            if t is not None and (last_restartable is None or t > last_restartable):
                last_restartable = t
        state = cs.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and terminated.get("exitCode", 0) == 0:
            continue
        if sidecar and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if terminated is not None:
            if not terminated.get("reason"):
                if terminated.get("signal"):
                    reason = f"Init:Signal:{terminated['signal']}"
                else:
                    reason = f"Init:ExitCode:{terminated.get('exitCode', 0)}"
            else:
                reason = "Init:" + terminated["reason"]
        elif waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(spec.get('initContainers') or [])}"
        initializing = True
        break

    if not initializing or _condition_true(conditions, "Initialized"):
        restarts = restartable_restarts
        last_restart = last_restartable
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += cs.get("restartCount", 0)
            t = finished(cs)
            if t is not None and (last_restart is None or t > last_restart):
                last_restart = t
            state = cs.get("state") or {}
            waiting, terminated = state.get("waiting"), state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                if terminated.get("signal"):
                    reason = f"Signal:{terminated['signal']}"
                else:
                    reason = f"ExitCode:{terminated.get('exitCode', 0)}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(conditions, "Ready") else "NotReady"

    deleting = _g(pod, "metadata", "deletionTimestamp") is not None
    if deleting and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"

    restarts_text = str(restarts)
    if restarts != 0 and last_restart is not None:
        restarts_text = f"{restarts} ({format_age(now - last_restart)} ago)"
    return f"{ready}/{total}", reason, restarts_text


def _pod(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    ready, reason, restarts = pod_status(obj, now)
    row: list[Any] = [
        obj["metadata"].get("name", ""),
        ready,
        reason,
        restarts,
        _since(_g(obj, "metadata", "creationTimestamp"), now),
    ]
    if wide:
        status, spec = obj.get("status") or {}, obj.get("spec") or {}
        ips = status.get("podIPs") or []
        ip = (ips[0].get("ip") if ips else "") or NONE
        gates = spec.get("readinessGates") or []
        gates_text = NONE
        if gates:
            true = 0
            for gate in gates:
                for c in status.get("conditions") or []:
                    if c.get("type") == gate.get("conditionType"):
                        true += c.get("status") == "True"
                        break
            gates_text = f"{true}/{len(gates)}"
        row += [ip, spec.get("nodeName") or NONE, status.get("nominatedNodeName") or NONE, gates_text]
    return row


def node_roles(node: Mapping[str, Any]) -> list[str]:
    """``findNodeRoles``: ``node-role.kubernetes.io/<role>`` label keys and ``kubernetes.io/role`` values, sorted."""
    roles = set()
    for key, value in (_g(node, "metadata", "labels") or {}).items():
        if key.startswith("node-role.kubernetes.io/"):
            role = key.removeprefix("node-role.kubernetes.io/")
            if role:
                roles.add(role)
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return sorted(roles)


def node_status(node: Mapping[str, Any]) -> str:
    """``printNode``'s STATUS: ``Ready``/``NotReady`` from the Ready condition, ``Unknown`` without it,
    ``,SchedulingDisabled`` when cordoned."""
    status = []
    for c in _g(node, "status", "conditions") or []:
        if c.get("type") == "Ready":
            status = ["Ready" if c.get("status") == "True" else "NotReady"]
    if not status:
        status = ["Unknown"]
    if _g(node, "spec", "unschedulable"):
        status.append("SchedulingDisabled")
    return ",".join(status)


def _node_address(node: Mapping[str, Any], kind: str) -> str:
    for address in _g(node, "status", "addresses") or []:
        if address.get("type") == kind:
            return address.get("address", "")
    return NONE


def _node(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    info = _g(obj, "status", "nodeInfo") or {}
    row: list[Any] = [
        obj["metadata"].get("name", ""),
        node_status(obj),
        ",".join(node_roles(obj)) or NONE,
        _since(_g(obj, "metadata", "creationTimestamp"), now),
        info.get("kubeletVersion", ""),
    ]
    if wide:
        row += [
            _node_address(obj, "InternalIP"),
            _node_address(obj, "ExternalIP"),
            info.get("osImage") or UNKNOWN,
            info.get("kernelVersion") or UNKNOWN,
            info.get("containerRuntimeVersion") or UNKNOWN,
        ]
    return row


def _deployment(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    row: list[Any] = [
        obj["metadata"].get("name", ""),
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}",
        status.get("updatedReplicas", 0),
        status.get("availableReplicas", 0),
        _since(_g(obj, "metadata", "creationTimestamp"), now),
    ]
    if wide:
        names, images = _containers(_g(spec, "template", "spec"))
        row += [names, images, _selector_string(spec.get("selector"))]
    return row


def _replicaset(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    row: list[Any] = [
        obj["metadata"].get("name", ""),
        spec.get("replicas", 0),
        status.get("replicas", 0),
        status.get("readyReplicas", 0),
        _since(_g(obj, "metadata", "creationTimestamp"), now),
    ]
    if wide:
        names, images = _containers(_g(spec, "template", "spec"))
        row += [names, images, format_label_selector(spec.get("selector"))]
    return row


def service_external_ip(svc: Mapping[str, Any], wide: bool = False) -> str:
    """``getServiceExternalIP``: external IPs, load-balancer ingress (``<pending>`` until assigned), or the
    ExternalName."""
    spec = svc.get("spec") or {}
    kind = spec.get("type") or "ClusterIP"
    external = spec.get("externalIPs") or []
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else NONE
    if kind == "LoadBalancer":
        ingress = _g(svc, "status", "loadBalancer", "ingress") or []
        found = sorted({i.get("ip") or i.get("hostname") for i in ingress if i.get("ip") or i.get("hostname")})
        lb = ",".join(found)
        if not wide and len(lb) > 16:  # loadBalancerWidth
            lb = lb[:13] + "..."
        if external:
            return ",".join(([*lb.split(",")] if lb else []) + external)
        return lb or "<pending>"
    if kind == "ExternalName":
        return spec.get("externalName", "")
    return UNKNOWN


def service_ports(ports: Sequence[Mapping[str, Any]] | None) -> str:
    """``makePortString``: ``80/TCP``, ``80:30080/TCP``, comma-separated; ``<none>`` when there are none."""
    pieces = []
    for p in ports or []:
        protocol = p.get("protocol", "TCP")
        if p.get("nodePort"):
            pieces.append(f"{p.get('port')}:{p['nodePort']}/{protocol}")
        else:
            pieces.append(f"{p.get('port')}/{protocol}")
    return ",".join(pieces) or NONE


def _service(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    spec = obj.get("spec") or {}
    cluster_ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    row: list[Any] = [
        obj["metadata"].get("name", ""),
        spec.get("type") or "ClusterIP",
        cluster_ips[0] if cluster_ips else NONE,
        service_external_ip(obj, wide),
        service_ports(spec.get("ports")),
        _since(_g(obj, "metadata", "creationTimestamp"), now),
    ]
    if wide:
        row.append(format_labels(spec.get("selector")))
    return row


def _namespace(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    return [obj["metadata"].get("name", ""), _g(obj, "status", "phase", default=""), _age(obj, now)]


def _age(obj: Mapping[str, Any], now: float) -> str:
    return _since(_g(obj, "metadata", "creationTimestamp"), now)


def _list_with_more(items: list[str], count: int, limit: int = 3) -> str:
    """``listWithMoreString``: at most three, ``+ N more...``, ``<unset>`` when empty."""
    text = ",".join(items[:limit])
    if count > limit:
        return f"{text} + {count - limit} more..."
    return text or "<unset>"


def _endpointslice(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    ports = []
    for p in obj.get("ports") or []:
        if p.get("port") is not None:
            ports.append(str(p["port"]))
        elif p.get("name") is not None:
            ports.append(p["name"])
        else:
            ports.append("*")
    addresses = [a for e in obj.get("endpoints") or [] for a in e.get("addresses") or []]
    return [
        obj["metadata"].get("name", ""),
        obj.get("addressType", ""),
        _list_with_more(ports, len(ports)),
        _list_with_more(addresses, len(addresses)),
        _age(obj, now),
    ]


def hpa_targets(hpa: Mapping[str, Any]) -> str:
    """``formatHPAMetrics``: ``cpu: 45%/50%``, ``<unknown>`` before the first measurement, ``+ N more...``."""
    specs = _g(hpa, "spec", "metrics") or []
    statuses = _g(hpa, "status", "currentMetrics") or []
    if not specs:
        return NONE
    out = []
    for i, spec in enumerate(specs):
        kind = spec.get("type")
        current_status = statuses[i] if i < len(statuses) else {}
        if kind in ("Resource", "ContainerResource"):
            field = "resource" if kind == "Resource" else "containerResource"
            source = spec.get(field) or {}
            target = source.get("target") or {}
            current = current_status.get(field)
            if target.get("averageValue") is not None:
                now_value = _quantity(_g(current, "current", "averageValue")) if current else UNKNOWN
                out.append(f"{source.get('name')}: {now_value}/{_quantity(target['averageValue'])}")
            else:
                utilization = _g(current, "current", "averageUtilization") if current else None
                now_value = f"{utilization}%" if utilization is not None else UNKNOWN
                goal = f"{target['averageUtilization']}%" if target.get("averageUtilization") is not None else "<auto>"
                out.append(f"{source.get('name')}: {now_value}/{goal}")
        elif kind == "Pods":
            target = _g(spec, "pods", "target", "averageValue")
            current = current_status.get("pods")
            now_value = _quantity(_g(current, "current", "averageValue")) if current else UNKNOWN
            out.append(f"{now_value}/{_quantity(target)}")
        elif kind in ("Object", "External"):
            field = kind.lower()
            target = _g(spec, field, "target") or {}
            current = current_status.get(field)
            if target.get("averageValue") is not None:
                value = _g(current, "current", "averageValue") if current else None
                now_value = _quantity(value) if value is not None else UNKNOWN
                out.append(f"{now_value}/{_quantity(target['averageValue'])} (avg)")
            else:
                now_value = _quantity(_g(current, "current", "value")) if current else UNKNOWN
                out.append(f"{now_value}/{_quantity(target.get('value'))}")
        else:
            out.append("<unknown type>")
    if len(out) > 2:
        return f"{', '.join(out[:2])} + {len(out) - 2} more..."
    return ", ".join(out)


def _hpa(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    spec = obj.get("spec") or {}
    ref = spec.get("scaleTargetRef") or {}
    min_replicas = spec.get("minReplicas")
    return [
        obj["metadata"].get("name", ""),
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        hpa_targets(obj),
        "<unset>" if min_replicas is None else str(min_replicas),
        spec.get("maxReplicas", 0),
        _g(obj, "status", "currentReplicas", default=0),
        _age(obj, now),
    ]


def _lease(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    return [obj["metadata"].get("name", ""), _g(obj, "spec", "holderIdentity", default=""), _age(obj, now)]


def _priority_class(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    """``printPriorityClass``: the value, whether it is the global default, and the preemption policy."""
    return [
        obj["metadata"].get("name", ""),
        obj.get("value", 0),
        bool(obj.get("globalDefault")),
        _age(obj, now),
        obj.get("preemptionPolicy") or "",
    ]


def _event(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    first = _since(obj.get("firstTimestamp"), now)
    if parse_time(obj.get("firstTimestamp")) is None:
        first = _since(obj.get("eventTime"), now)
    last = _since(obj.get("lastTimestamp"), now)
    if parse_time(obj.get("lastTimestamp")) is None:
        last = first
    count = obj.get("count") or 0
    if obj.get("series"):
        last = _since(obj["series"].get("lastObservedTime"), now)
        count = obj["series"].get("count", 0)
    elif count == 0:
        count = 1
    involved = obj.get("involvedObject") or {}
    target = involved.get("kind", "").lower()
    if involved.get("name"):
        target = f"{target}/{involved['name']}"
    message = (obj.get("message") or "").strip()
    if not wide:
        return [last, obj.get("type", ""), obj.get("reason", ""), target, message]
    source = obj.get("source") or {}
    component = source.get("component") or obj.get("reportingComponent") or obj.get("reportingController") or ""
    instance = source.get("host") or obj.get("reportingInstance") or ""
    source_text = f"{component}, {instance}" if instance else component
    return [
        last,
        obj.get("type", ""),
        obj.get("reason", ""),
        target,
        involved.get("fieldPath", ""),
        source_text,
        message,
        first,
        count,
        obj["metadata"].get("name", ""),
    ]


def _configmap(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    data = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
    return [obj["metadata"].get("name", ""), data, _age(obj, now)]


def _serviceaccount(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    return [obj["metadata"].get("name", ""), len(obj.get("secrets") or []), _age(obj, now)]


def _subjects(subjects: Iterable[Mapping[str, Any]]) -> tuple[str, str, str]:
    """``rbac.SubjectsStrings``: users, groups and ``namespace/name`` service accounts, each ``", "``-joined."""
    users, groups, sas = [], [], []
    for s in subjects:
        kind = s.get("kind")
        if kind == "User":
            users.append(s.get("name", ""))
        elif kind == "Group":
            groups.append(s.get("name", ""))
        elif kind == "ServiceAccount":
            sas.append(f"{s.get('namespace', '')}/{s.get('name', '')}")
    return ", ".join(users), ", ".join(groups), ", ".join(sas)


def _binding(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    ref = obj.get("roleRef") or {}
    row: list[Any] = [obj["metadata"].get("name", ""), f"{ref.get('kind', '')}/{ref.get('name', '')}", _age(obj, now)]
    if wide:
        row += list(_subjects(obj.get("subjects") or []))
    return row


def _created_at(obj: Mapping[str, Any], now: float, wide: bool) -> list[Any]:
    """The default table convertor: ``NAME`` and ``CREATED AT`` (RFC 3339, UTC)."""
    t = parse_time(_g(obj, "metadata", "creationTimestamp"))
    created = "" if t is None else datetime.fromtimestamp(EPOCH.timestamp() + t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [obj["metadata"].get("name", ""), created]


_AGE = "AGE"
_PRINTERS: dict[str, tuple[list[str], list[str], Any]] = {
    "Pod": (["NAME", "READY", "STATUS", "RESTARTS", _AGE], ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"], _pod),
    "Node": (
        ["NAME", "STATUS", "ROLES", _AGE, "VERSION"],
        ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
        _node,
    ),
    "Deployment": (
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", _AGE],
        ["CONTAINERS", "IMAGES", "SELECTOR"],
        _deployment,
    ),
    "ReplicaSet": (["NAME", "DESIRED", "CURRENT", "READY", _AGE], ["CONTAINERS", "IMAGES", "SELECTOR"], _replicaset),
    "Service": (["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", _AGE], ["SELECTOR"], _service),
    "Namespace": (["NAME", "STATUS", _AGE], [], _namespace),
    "EndpointSlice": (["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", _AGE], [], _endpointslice),
    "HorizontalPodAutoscaler": (
        ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", _AGE],
        [],
        _hpa,
    ),
    "Lease": (["NAME", "HOLDER", _AGE], [], _lease),
    "Event": (["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], [], _event),
    "ConfigMap": (["NAME", "DATA", _AGE], [], _configmap),
    "ServiceAccount": (["NAME", "SECRETS", _AGE], [], _serviceaccount),
    "RoleBinding": (["NAME", "ROLE", _AGE], ["USERS", "GROUPS", "SERVICEACCOUNTS"], _binding),
    "ClusterRoleBinding": (["NAME", "ROLE", _AGE], ["USERS", "GROUPS", "SERVICEACCOUNTS"], _binding),
    "Role": (["NAME", "CREATED AT"], [], _created_at),
    "ClusterRole": (["NAME", "CREATED AT"], [], _created_at),
    "PriorityClass": (["NAME", "VALUE", "GLOBAL-DEFAULT", _AGE, "PREEMPTIONPOLICY"], [], _priority_class),
}
_EVENT_WIDE = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"]


def row_printer(kind: str) -> Any:
    """The print function of ``kind`` (a kind name, ``Pod``): ``printer(obj, now, wide) -> cells``, the cells of
    ``columns(kind, wide=True)`` (kubectl's ``-o wide`` order). A kind without a printer of its own gets the default
    one, ``NAME`` and ``CREATED AT``, as the API server's default table convertor gives."""
    entry = _PRINTERS.get(kind)
    return entry[2] if entry is not None else _created_at


def columns(kind: str, *, wide: bool = False) -> list[str]:
    """The headers ``kubectl get <kind>`` prints (``-o wide`` adds the priority-1 columns)."""
    name = for_resource(kind).kind
    base, extra, _ = _PRINTERS[name]
    if name == "Event" and wide:
        return list(_EVENT_WIDE)
    return base + (extra if wide else [])


def get_table(
    objects: Iterable[Mapping[str, Any]],
    kind: str,
    now: float | datetime,
    *,
    wide: bool = False,
    show_labels: bool = False,
    namespace_column: bool = False,
    start: datetime = EPOCH,
) -> pd.DataFrame:
    """``kubectl get <kind>`` as a DataFrame: kubectl's columns and cells, one row per object.

    ``kind`` is what a user types (``pods``, ``po``, ``Pod``, ``deploy``, ``hpa``). ``now`` is simulated seconds
    since ``start`` (the simulation's start, ``sim.start``: :data:`k8smodel.sim.EPOCH` by default) or a datetime.
    ``wide`` is ``-o wide``, ``show_labels`` is ``--show-labels`` (a ``LABELS`` column last), ``namespace_column``
    is ``-A`` (a ``NAMESPACE`` column first).
    An object of another kind raises ``ValueError``.
    """
    try:
        resolved = for_resource(kind).kind
    except UnknownKind as err:
        raise ValueError(str(err)) from None
    if resolved not in _PRINTERS:
        raise ValueError(f'the model has no table printer for kind "{resolved}"')
    printer = _PRINTERS[resolved][2]
    t = _seconds(now, start)
    header = columns(resolved, wide=wide)
    if namespace_column:
        header = ["NAMESPACE", *header]
    if show_labels:
        header = [*header, "LABELS"]
    rows = []
    for obj in objects:
        if obj.get("kind", resolved) != resolved:
            raise ValueError(f'cannot print a {obj.get("kind")} in a table of kind "{resolved}"')
        if "metadata" not in obj:
            obj = {**obj, "metadata": {}}
        row = printer(obj, t, wide)
        if namespace_column:
            row = [_g(obj, "metadata", "namespace", default=""), *row]
        if show_labels:
            row.append(format_labels(_g(obj, "metadata", "labels")))
        rows.append(row)
    return pd.DataFrame(rows, columns=header)


# --- describe ---------------------------------------------------------------------------------------------------


def tabwrite(text: str, *, minwidth: int = 0, padding: int = 2) -> str:
    """Go's ``text/tabwriter`` (``tabwidth`` 8, pad with spaces, no flags) on ``text``: a cell ends at a tab; a
    column block is a run of consecutive lines that have a cell in that column, padded to its widest cell."""
    lines = [line.split("\t") for line in text.split("\n")]
    widths: list[int] = []
    out: list[str] = []

    def write(line0: int, line1: int) -> None:
        for cells in lines[line0:line1]:
            parts = []
            for j, cell in enumerate(cells[:-1]):
                parts.append(cell.ljust(widths[j]) if j < len(widths) else cell)
            parts.append(cells[-1])
            out.append("".join(parts))

    def fmt(line0: int, line1: int) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            if column >= len(lines[this]) - 1:
                this += 1
                continue
            write(line0, this)
            line0 = this
            width = minwidth
            while this < line1 and column < len(lines[this]) - 1:
                width = max(width, len(lines[this][column]) + padding)
                this += 1
            widths.append(width)
            fmt(line0, this)
            widths.pop()
            line0 = this
        write(line0, line1)

    fmt(0, len(lines))
    return "\n".join(out)


def _rfc1123z(value: Any) -> str:
    """``Time.Format(time.RFC1123Z)``: ``Thu, 01 Jan 2026 00:00:00 +0000``."""
    t = parse_time(value)
    if t is None:
        return ""
    return datetime.fromtimestamp(EPOCH.timestamp() + t, UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


class _Writer:
    """describe.go's ``PrefixWriter``: levels indent by two spaces; everything goes through one tabwriter, and
    ``flush`` ends a tabwriter block (as ``w.Flush()`` does before the events table)."""

    def __init__(self) -> None:
        self.done: list[str] = []
        self.buf: list[str] = []

    def write(self, level: int, text: str) -> None:
        self.buf.append("  " * level + text)

    def flush(self) -> None:
        text = "".join(self.buf)
        if text:
            self.done.append(tabwrite(text))
        self.buf = []

    def text(self) -> str:
        self.flush()
        return "".join(self.done)


_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


MAX_ANNOTATION_LEN = 140
"""``maxAnnotationLen`` in kubectl's ``describe.go``."""


def _multiline(w: _Writer, title: str, values: Mapping[str, str] | None, sep: str) -> None:
    """``printLabelsMultiline`` (``sep`` ``=``) / ``printAnnotationsMultiline`` (``sep`` ``: ``): sorted by key,
    one per line, ``<none>`` when empty. Annotations skip kubectl's ``last-applied-configuration``
    (``skipAnnotations``); a value longer than :data:`MAX_ANNOTATION_LEN` with its key, or of several lines, goes
    on lines of its own, each shortened to 138 characters and ``...``."""
    annotations = sep == ": "
    if annotations and values and _LAST_APPLIED in values:
        values = {k: v for k, v in values.items() if k != _LAST_APPLIED}
    w.write(0, f"{title}:\t")
    if not values:
        w.write(0, f"{NONE}\n")
        return
    for i, key in enumerate(sorted(values)):
        if i:
            w.write(0, "\t")
        value = str(values[key])
        if annotations:
            value = value.removesuffix("\n")
            if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
                w.write(0, f"{key}:\n")
                for line in value.split("\n"):
                    short = line if len(line) <= MAX_ANNOTATION_LEN - 2 else line[: MAX_ANNOTATION_LEN - 2] + "..."
                    w.write(0, f"\t  {short}\n")
                continue
        w.write(0, f"{key}{sep}{value}\n")


def _controlled_by(w: _Writer, obj: Mapping[str, Any]) -> None:
    for ref in _g(obj, "metadata", "ownerReferences") or []:
        if ref.get("controller"):
            w.write(0, f"Controlled By:\t{ref.get('kind')}/{ref.get('name')}\n")
            return


def _involves(event: Mapping[str, Any], obj: Mapping[str, Any]) -> bool:
    involved = event.get("involvedObject") or event.get("regarding") or {}
    meta = obj.get("metadata") or {}
    if involved.get("uid") and meta.get("uid"):
        return involved["uid"] == meta["uid"]
    return (
        involved.get("name") == meta.get("name")
        and involved.get("kind", obj.get("kind")) == obj.get("kind")
        and (involved.get("namespace") or "") == (meta.get("namespace") or "")
    )


def _event_time(e: Mapping[str, Any]) -> float:
    """``SortableEvents``: by series' last observed time, else lastTimestamp, else eventTime."""
    for value in (_g(e, "series", "lastObservedTime"), e.get("lastTimestamp"), e.get("eventTime")):
        t = parse_time(value)
        if t is not None:
            return t
    return float("-inf")


def _events(w: _Writer, events: Iterable[Mapping[str, Any]], now: float) -> None:
    """``DescribeEvents``: ``Events: <none>``, or a ``Type Reason Age From Message`` table."""
    items = sorted(events, key=_event_time)
    if not items:
        w.write(0, f"Events:\t{NONE}\n")
        return
    w.flush()
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for e in items:
        first = _since(e.get("eventTime"), now)
        if parse_time(e.get("eventTime")) is None:
            first = _since(e.get("firstTimestamp"), now)
        if e.get("series"):
            age = f"{_since(e['series'].get('lastObservedTime'), now)} (x{e['series'].get('count')} over {first})"
        elif (e.get("count") or 0) > 1:
            age = f"{_since(e.get('lastTimestamp'), now)} (x{e['count']} over {first})"
        else:
            age = first
        source = _g(e, "source", "component") or e.get("reportingController") or e.get("reportingComponent") or ""
        message = (e.get("message") or e.get("note") or "").strip()
        w.write(1, f"{e.get('type', '')}\t{e.get('reason', '')}\t{age}\t{source}\t{message}\n")


def _header(w: _Writer, obj: Mapping[str, Any], namespaced: bool = True) -> None:
    meta = obj.get("metadata") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    if namespaced:
        w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")


def _container_state(w: _Writer, label: str, state: Mapping[str, Any] | None) -> None:
    """``describeContainerState``."""
    state = state or {}
    if state.get("running") is not None:
        w.write(2, f"{label}:\tRunning\n")
        w.write(3, f"Started:\t{_rfc1123z(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(2, f"{label}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        t = state["terminated"]
        w.write(2, f"{label}:\tTerminated\n")
        if t.get("reason"):
            w.write(3, f"Reason:\t{t['reason']}\n")
        if t.get("message"):
            w.write(3, f"Message:\t{t['message']}\n")
        w.write(3, f"Exit Code:\t{t.get('exitCode', 0)}\n")
        if t.get("signal"):
            w.write(3, f"Signal:\t{t['signal']}\n")
        w.write(3, f"Started:\t{_rfc1123z(t.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{_rfc1123z(t.get('finishedAt'))}\n")
    else:
        w.write(2, f"{label}:\tWaiting\n")


def _containers_section(w: _Writer, title: str, specs: list, statuses: list) -> None:
    """``describeContainers``: image, ports, state, readiness, restarts, resources, environment."""
    by_name = {s.get("name"): s for s in statuses}
    w.write(0, f"{title}:\n")
    for c in specs:
        status = by_name.get(c.get("name"))
        w.write(1, f"{c.get('name', '')}:\n")
        if status is not None:
            w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(2, f"Image:\t{c.get('image', '')}\n")
        if status is not None:
            w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports = c.get("ports") or []
        port_text = ", ".join(f"{p.get('containerPort')}/{p.get('protocol', 'TCP')}" for p in ports) or NONE
        host_text = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports) or NONE
        w.write(2, f"{'Ports' if len(ports) > 1 else 'Port'}:\t{port_text}\n")
        w.write(2, f"{'Host Ports' if len(ports) > 1 else 'Host Port'}:\t{host_text}\n")
        if status is not None:
            _container_state(w, "State", status.get("state"))
            if (status.get("lastState") or {}).get("terminated"):
                _container_state(w, "Last State", status.get("lastState"))
            w.write(2, f"Ready:\t{'True' if status.get('ready') else 'False'}\n")
            w.write(2, f"Restart Count:\t{status.get('restartCount', 0)}\n")
        for section in ("limits", "requests"):
            values = _g(c, "resources", section)
            if values:
                w.write(2, f"{section.capitalize()}:\n")
                for name in sorted(values):
                    w.write(3, f"{name}:\t{values[name]}\n")
        env = c.get("env") or []
        if not env:
            w.write(2, f"Environment:\t{NONE}\n")
        else:
            w.write(2, "Environment:\n")
            for e in env:
                w.write(3, f"{e.get('name')}:\t{e.get('value', '')}\n")
        mounts = c.get("volumeMounts") or []
        if not mounts:
            w.write(2, f"Mounts:\t{NONE}\n")
        else:
            w.write(2, "Mounts:\n")
            for m in mounts:
                w.write(3, f"{m.get('mountPath')} from {m.get('name')} ({'ro' if m.get('readOnly') else 'rw'})\n")


def _describe_qos(pod: Mapping[str, Any]) -> str:
    """``qos.GetPodQOS`` as kubectl describe prints it; a malformed quantity shows as BestEffort, not a traceback."""
    try:
        return qos_class(pod)
    except (ValueError, TypeError, AttributeError):
        return "BestEffort"


def _describe_pod(pod: Mapping[str, Any], w: _Writer, now: float) -> None:
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    _header(w, pod)
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    w.write(0, f"Service Account:\t{spec.get('serviceAccountName', '')}\n")
    if spec.get("nodeName"):
        w.write(0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    else:
        w.write(0, f"Node:\t{NONE}\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{_rfc1123z(status['startTime'])}\n")
    _multiline(w, "Labels", meta.get("labels"), "=")
    _multiline(w, "Annotations", meta.get("annotations"), ": ")
    if meta.get("deletionTimestamp"):
        w.write(0, f"Status:\tTerminating (lasts {_since(meta['deletionTimestamp'], now)})\n")
        w.write(0, f"Termination Grace Period:\t{meta.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{status['message']}\n")
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    ips = status.get("podIPs") or []
    if not ips:
        w.write(0, f"IPs:\t{NONE}\n")
    else:
        w.write(0, "IPs:\n")
        for ip in ips:
            w.write(1, f"IP:\t{ip.get('ip', '')}\n")
    _controlled_by(w, pod)
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("initContainers"):
        _containers_section(w, "Init Containers", spec["initContainers"], status.get("initContainerStatuses") or [])
    _containers_section(w, "Containers", spec.get("containers") or [], status.get("containerStatuses") or [])
    conditions = status.get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for c in conditions:
            w.write(1, f"{c.get('type')} \t{c.get('status')} \n")
    volumes = spec.get("volumes") or []
    if not volumes:
        w.write(0, f"Volumes:\t{NONE}\n")
    else:
        w.write(0, "Volumes:\n")
        for v in volumes:
            w.write(1, f"{v.get('name')}:\n")
    w.write(0, f"QoS Class:\t{_describe_qos(pod)}\n")
    selector = spec.get("nodeSelector")
    w.write(0, f"Node-Selectors:\t{format_labels(selector) if selector else NONE}\n")
    tolerations = spec.get("tolerations") or []
    if not tolerations:
        w.write(0, f"Tolerations:\t{NONE}\n")
    for i, t in enumerate(tolerations):
        text = t.get("key", "")
        if t.get("value"):
            text += f"={t['value']}"
        if t.get("effect"):
            text += f":{t['effect']}"
        if t.get("operator") == "Exists" and not t.get("key"):
            text = "op=Exists" if not t.get("effect") else f":{t['effect']} op=Exists"
        elif t.get("operator") == "Exists":
            text += " op=Exists"
        if t.get("tolerationSeconds") is not None:
            text += f" for {t['tolerationSeconds']}s"
        w.write(0, f"{'Tolerations:' if i == 0 else ''}\t{text}\n")


def _describe_node(node: Mapping[str, Any], w: _Writer, now: float) -> None:
    meta, spec, status = node.get("metadata") or {}, node.get("spec") or {}, node.get("status") or {}
    _header(w, node, namespaced=False)
    w.write(0, f"Roles:\t{','.join(node_roles(node)) or NONE}\n")
    _multiline(w, "Labels", meta.get("labels"), "=")
    _multiline(w, "Annotations", meta.get("annotations"), ": ")
    w.write(0, f"CreationTimestamp:\t{_rfc1123z(meta.get('creationTimestamp'))}\n")
    taints = spec.get("taints") or []
    if not taints:
        w.write(0, f"Taints:\t{NONE}\n")
    for i, t in enumerate(taints):
        value = f"={t['value']}" if t.get("value") else ""
        w.write(0, f"{'Taints:' if i == 0 else ''}\t{t.get('key')}{value}:{t.get('effect')}\n")
    w.write(0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(
                1,
                f"{c.get('type')} \t{c.get('status')} \t{_rfc1123z(c.get('lastHeartbeatTime'))} \t"
                f"{_rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}\n",
            )
    addresses = status.get("addresses") or []
    w.write(0, "Addresses:\n")
    for a in addresses:
        w.write(1, f"{a.get('type')}:\t{a.get('address')}\n")
    for title in ("capacity", "allocatable"):
        values = status.get(title) or {}
        if values:
            w.write(0, f"{title.capitalize()}:\n")
            for name in sorted(values):
                w.write(1, f"{name}:\t{values[name]}\n")
    info = status.get("nodeInfo") or {}
    if info:
        w.write(0, "System Info:\n")
        for label, field in (
            ("Machine ID", "machineID"),
            ("System UUID", "systemUUID"),
            ("Boot ID", "bootID"),
            ("Kernel Version", "kernelVersion"),
            ("OS Image", "osImage"),
            ("Operating System", "operatingSystem"),
            ("Architecture", "architecture"),
            ("Container Runtime Version", "containerRuntimeVersion"),
            ("Kubelet Version", "kubeletVersion"),
        ):
            w.write(1, f"{label}:\t{info.get(field, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")


def _pod_template(w: _Writer, template: Mapping[str, Any] | None) -> None:
    """``DescribePodTemplate``: the text of :func:`k8smodel.rollout.describe_pod_template` (kubectl's one
    implementation, which ``rollout history --revision`` prints without a tabwriter), here written through the
    describer's tabwriter."""
    from k8smodel.rollout import describe_pod_template  # rollout imports this module

    w.write(0, describe_pod_template(template))


def _conditions_table(w: _Writer, conditions: Sequence[Mapping[str, Any]]) -> None:
    """The ``Conditions:`` table of ``describeDeployment`` / ``describeReplicaSet``: a row is ``"%v \\t%v\\t%v\\n"``
    (type, status, reason; a space before the first tab)."""
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n")


def _int_or_string(value: Any) -> str:
    """``IntOrString.String()``: ``1`` or ``25%``; ``<nil>`` for an unset pointer."""
    return "<nil>" if value is None else str(value)


def _replicas(spec: Mapping[str, Any]) -> int:
    """``*spec.replicas``, which the API server defaults to 1."""
    value = spec.get("replicas")
    return 1 if value is None else value


def _same_namespace(obj: Mapping[str, Any], namespace: str) -> bool:
    theirs = _g(obj, "metadata", "namespace")
    return theirs is None or not namespace or theirs == namespace


def _controller_uid(obj: Mapping[str, Any]) -> str | None:
    """``metav1.GetControllerOf(obj).UID``, ``None`` without a controller reference."""
    for ref in _g(obj, "metadata", "ownerReferences") or []:
        if ref.get("controller"):
            return ref.get("uid")
    return None


def _list_selector(selector: Mapping[str, Any] | None) -> Any:
    """The selector a list call sends: ``LabelSelectorAsSelector(...).String()``, so a nil selector (which matches
    nothing) becomes ``""`` and lists everything."""
    parsed = label_selector_as_selector(selector)
    return EVERYTHING if parsed.matches_nothing else parsed


def _replica_sets_by_labels(rss: Sequence[Mapping[str, Any]]) -> str:
    """``printReplicaSetsByLabels``: ``web-5d78c9b8f (3/3 replicas created)``, comma-separated; ``<none>``."""
    text = ", ".join(
        f"{_g(rs, 'metadata', 'name', default='')} ({_g(rs, 'status', 'replicas', default=0)}/"
        f"{_replicas(rs.get('spec') or {})} replicas created)"
        for rs in rss
    )
    return text or NONE


def deployment_replica_sets(
    deployment: Mapping[str, Any], replica_sets: Iterable[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """``deploymentutil.GetAllReplicaSetsInChunks`` as ``DeploymentDescriber`` uses it: of ``replica_sets`` (what a
    list of the namespace returns), those the Deployment's selector matches and that it controls, as ``(all old
    ones, oldest first; the new one or None)``. The new one is the oldest whose template equals the Deployment's but
    for the ``pod-template-hash`` label (``findNewReplicaSet``); every other one is old, scaled to zero or not
    (``findOldReplicaSets``' second result, shown since kubernetes/kubernetes#113083, v1.27)."""
    namespace = _g(deployment, "metadata", "namespace") or ""
    candidates = du.sort_by_creation_timestamp(
        [dict(rs) for rs in replica_sets if _same_namespace(rs, namespace)]  # findNewReplicaSet sorts in place
    )
    selector = _list_selector((deployment.get("spec") or {}).get("selector"))

    def lister(_namespace: str, _selector: Any) -> list[dict[str, Any]]:
        return [rs for rs in candidates if selector.matches(_g(rs, "metadata", "labels"))]

    _, all_old, new = du.get_all_replica_sets(deployment, lister)
    return all_old, new


def _describe_deployment(
    d: Mapping[str, Any], w: _Writer, now: float, replica_sets: Iterable[Mapping[str, Any]]
) -> None:
    meta, spec, status = d.get("metadata") or {}, d.get("spec") or {}, d.get("status") or {}
    _header(w, d)
    w.write(0, f"CreationTimestamp:\t{_rfc1123z(meta.get('creationTimestamp'))}\n")
    _multiline(w, "Labels", meta.get("labels"), "=")
    _multiline(w, "Annotations", meta.get("annotations"), ": ")
    w.write(0, f"Selector:\t{_selector_string(spec.get('selector'))}\n")
    w.write(
        0,
        f"Replicas:\t{_replicas(spec)} desired | {status.get('updatedReplicas', 0)} updated | "
        f"{status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available | "
        f"{status.get('unavailableReplicas', 0)} unavailable\n",
    )
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        w.write(
            0,
            f"RollingUpdateStrategy:\t{_int_or_string(rolling.get('maxUnavailable'))} max unavailable, "
            f"{_int_or_string(rolling.get('maxSurge'))} max surge\n",
        )
    _pod_template(w, spec.get("template") or {})
    _conditions_table(w, status.get("conditions") or [])
    try:
        old, new = deployment_replica_sets(d, replica_sets)
    except SelectorError:  # GetAllReplicaSetsInChunks failed: kubectl leaves the two lines out
        old, new = [], None
    if old or new is not None:
        w.write(0, f"OldReplicaSets:\t{_replica_sets_by_labels(old)}\n")
        w.write(0, f"NewReplicaSet:\t{_replica_sets_by_labels([new] if new is not None else [])}\n")


def replica_set_pod_phases(rs: Mapping[str, Any], pods: Iterable[Mapping[str, Any]]) -> tuple[int, int, int, int]:
    """``getPodStatusForController``: of ``pods`` (what a list of the namespace returns), those the ReplicaSet's
    selector matches and whose controller reference is the ReplicaSet's uid, counted by phase as
    ``(Running, Pending, Succeeded, Failed)``. Orphans and other controllers' Pods do not count."""
    namespace = _g(rs, "metadata", "namespace") or ""
    uid = _g(rs, "metadata", "uid")
    selector = _list_selector((rs.get("spec") or {}).get("selector"))
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in pods:
        if not _same_namespace(pod, namespace) or not selector.matches(_g(pod, "metadata", "labels")):
            continue
        owner = _controller_uid(pod)
        if owner is None or owner != uid:
            continue
        phase = _g(pod, "status", "phase")
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def _describe_replicaset(
    rs: Mapping[str, Any], w: _Writer, now: float, pods: Iterable[Mapping[str, Any]], pods_error: str | None
) -> None:
    meta, spec, status = rs.get("metadata") or {}, rs.get("spec") or {}, rs.get("status") or {}
    _header(w, rs)
    w.write(0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    _multiline(w, "Labels", meta.get("labels"), "=")
    _multiline(w, "Annotations", meta.get("annotations"), ": ")
    _controlled_by(w, rs)
    w.write(0, f"Replicas:\t{status.get('replicas', 0)} current / {_replicas(spec)} desired\n")
    w.write(0, "Pods Status:\t")
    if pods_error is None:
        try:
            running, waiting, succeeded, failed = replica_set_pod_phases(rs, pods)
        except SelectorError as err:
            pods_error = str(err)
    if pods_error is not None:
        w.write(0, f"error in fetching pods: {pods_error}\n")
    else:
        w.write(0, f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    _pod_template(w, spec.get("template") or {})
    _conditions_table(w, status.get("conditions") or [])


def _describe_service(svc: Mapping[str, Any], w: _Writer, now: float, endpoints: Sequence[str]) -> None:
    meta, spec = svc.get("metadata") or {}, svc.get("spec") or {}
    _header(w, svc)
    _multiline(w, "Labels", meta.get("labels"), "=")
    _multiline(w, "Annotations", meta.get("annotations"), ": ")
    w.write(0, f"Selector:\t{format_labels(spec.get('selector')) if spec.get('selector') else NONE}\n")
    w.write(0, f"Type:\t{spec.get('type') or 'ClusterIP'}\n")
    w.write(0, f"IP Family Policy:\t{spec.get('ipFamilyPolicy', 'SingleStack')}\n")
    w.write(0, f"IP Families:\t{','.join(spec.get('ipFamilies') or ['IPv4'])}\n")
    cluster_ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    w.write(0, f"IP:\t{cluster_ips[0] if cluster_ips else NONE}\n")
    w.write(0, f"IPs:\t{','.join(cluster_ips) or NONE}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    ingress = _g(svc, "status", "loadBalancer", "ingress") or []
    if ingress:
        w.write(0, f"LoadBalancer Ingress:\t{', '.join(i.get('ip') or i.get('hostname', '') for i in ingress)}\n")
    for port in spec.get("ports") or []:
        name = port.get("name") or NONE
        protocol = port.get("protocol", "TCP")
        w.write(0, f"Port:\t{name}\t{port.get('port')}/{protocol}\n")
        target = port.get("targetPort", port.get("port"))
        w.write(0, f"TargetPort:\t{target}/{protocol}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{port['nodePort']}/{protocol}\n")
        w.write(0, f"Endpoints:\t{','.join(endpoints)}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', 'None')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    w.write(0, f"Internal Traffic Policy:\t{spec.get('internalTrafficPolicy', 'Cluster')}\n")


def describe(
    obj: Mapping[str, Any],
    events: Iterable[Mapping[str, Any]] = (),
    now: float | datetime = 0.0,
    *,
    pods: Iterable[Mapping[str, Any]] = (),
    pods_error: str | None = None,
    replica_sets: Iterable[Mapping[str, Any]] = (),
    endpoints: Sequence[str] = (),
    start: datetime = EPOCH,
) -> str:
    """``kubectl describe`` of a Pod, Node, Deployment, ReplicaSet or Service, with an ``Events:`` section.

    ``events`` may hold any events: those whose ``involvedObject`` is ``obj`` are shown, oldest first. The other
    keywords stand in for what kubectl's describer would fetch itself:

    ``pods``
        for a ReplicaSet, the Pods of its namespace (``Pods Status``); only those its selector matches and it
        controls are counted, as ``getPodStatusForController`` does. ``pods_error`` is the message of a failed
        list (``Pods Status:  error in fetching pods: ...``).
    ``replica_sets``
        for a Deployment, the ReplicaSets of its namespace (``OldReplicaSets`` / ``NewReplicaSet``, left out when
        it has none, as when kubectl's list fails).
    ``endpoints``
        for a Service, ``ip:port`` strings.

    ``now`` is simulated seconds since ``start`` (``sim.start``; :data:`k8smodel.sim.EPOCH` by default) or a
    datetime.
    """
    t = _seconds(now, start)
    kind = obj.get("kind")
    w = _Writer()
    if kind == "Pod":
        _describe_pod(obj, w, t)
    elif kind == "Node":
        _describe_node(obj, w, t)
    elif kind == "Deployment":
        _describe_deployment(obj, w, t, replica_sets)
    elif kind == "ReplicaSet":
        _describe_replicaset(obj, w, t, pods, pods_error)
    elif kind == "Service":
        _describe_service(obj, w, t, endpoints)
    else:
        raise ValueError(f'the model has no describer for kind "{kind}"')
    _events(w, [e for e in events if _involves(e, obj)], t)
    return w.text()


__all__ = [
    "columns",
    "deployment_replica_sets",
    "describe",
    "epoch_seconds",
    "format_label_selector",
    "format_labels",
    "get_table",
    "hpa_targets",
    "node_roles",
    "node_status",
    "parse_time",
    "pod_status",
    "replica_set_pod_phases",
    "row_printer",
    "service_external_ip",
    "service_ports",
    "tabwrite",
]
