"""Registry: how each kind is stored — encoding, strategies, generated names and selectable fields.

Upstream each resource has a *strategy* (``pkg/registry/<group>/<resource>/strategy.go``) that the generic store
(``staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go``) calls at fixed points:

``PrepareForCreate``
    Clears what a user may not set on create: a Deployment's ``status`` (empty), a ReplicaSet's (``replicas: 0``) and
    ``metadata.generation`` (1); a Pod's status (``phase: Pending`` and its ``qosClass``); a Namespace's status
    (``phase: Active``) and its ``kubernetes`` finalizer; a Service's status.
``PrepareForUpdate``
    Keeps the old ``status`` (a write to the main resource cannot change it) and bumps ``metadata.generation``
    when the spec changed (for a Deployment also when its annotations changed, because they are copied to its
    ReplicaSets).
status strategy ``PrepareForUpdate``
    The ``/status`` subresource does the opposite: it keeps the old ``spec`` (and a Deployment's or ReplicaSet's
    labels, a Pod's owner references), so a controller writing status cannot change what the user asked for.
``CheckGracefulDelete``
    Pods are deleted gracefully (``pkg/registry/core/pod/strategy.go``): the grace period is the request's, or
    the Pod's ``terminationGracePeriodSeconds``, or 0 for a Pod never scheduled or already finished.
``GetAttrs``
    The fields a field selector may use: ``metadata.name`` and ``metadata.namespace`` for every kind, plus e.g.
    ``spec.nodeName`` and ``status.phase`` for Pods (``pod/strategy.go`` ``ToSelectableFields``).

Objects are stored in etcd as compact JSON without ``metadata.resourceVersion``: the resourceVersion *is* the
key's ``mod_revision``, set on the way out (``storage/etcd3/store.go``, ``versioner.PrepareObjectForStorage`` and
``UpdateObject``).

What the model leaves out: Protobuf encoding and encryption at rest; ``DropDisabledPodFields`` and other
feature-gate handling; ``Canonicalize``; pods' ``metadata.generation`` (tracked upstream since 1.33); QoS is
computed from ``cpu`` and ``memory`` only (as upstream) with quantities compared as parsed numbers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from k8smodel.api.errors import bad_request
from k8smodel.api.kinds import Kind
from k8smodel.api.resources import BEST_EFFORT, compute_pod_qos

Obj = dict[str, Any]

_json_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False).encode


def _dumps(obj: Obj) -> bytes:
    """Compact UTF-8 JSON. orjson writes the same bytes as the standard library's compact encoder about ten
    times faster; what it refuses (integers beyond 64 bits, non-string keys) goes through the standard encoder.

    orjson's result keeps its whole working buffer allocated (about 8 KiB per Pod, measured), and etcd keeps
    every value it stores, so the bytes are copied once into an object of their own size."""
    try:
        return bytes(memoryview(orjson.dumps(obj)))
    except TypeError:
        return _json_dumps(obj).encode()


def _loads(value: bytes) -> Any:
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return json.loads(value)


def encode(obj: Obj) -> bytes:
    """The bytes stored in etcd: compact JSON, without ``metadata.resourceVersion``."""
    meta = obj["metadata"]
    rv = meta.pop("resourceVersion", None)
    try:
        return _dumps(obj)
    finally:
        if rv is not None:
            meta["resourceVersion"] = rv


def decode(value: bytes, revision: int) -> Obj:
    """An object from its stored bytes, with ``metadata.resourceVersion`` set to ``revision``."""
    obj = _loads(value)
    obj["metadata"]["resourceVersion"] = str(revision)
    return obj


# --- generated names (apiserver/pkg/storage/names/generate.go, apimachinery/pkg/util/rand/rand.go) ---------------

NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # utilrand: no vowels, no 0/1/3, so no bad words and no look-alikes
MAX_NAME_LENGTH = 63
RANDOM_LENGTH = 5
MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH


def generate_name(base: str, rng: Any) -> str:
    """``SimpleNameGenerator.GenerateName``: the base (cut to 58 characters) plus five random characters."""
    if len(base) > MAX_GENERATED_NAME_LENGTH:
        base = base[:MAX_GENERATED_NAME_LENGTH]
    return base + "".join(NAME_ALPHABET[rng.randrange(len(NAME_ALPHABET))] for _ in range(RANDOM_LENGTH))


# --- Pod QoS -------------------------------------------------------------------------------------------------------


def pod_qos(pod: Obj) -> str:
    """``PrepareForCreate`` stores ``qos.ComputePodQOS`` in ``status.qosClass`` (``k8smodel.api.resources``).

    This runs before validation; a quantity that does not parse is reported by validation, so here it is only
    ignored (the class is then that of the Pod without resources).
    """
    try:
        return compute_pod_qos(pod)
    except (ValueError, TypeError, AttributeError):
        return BEST_EFFORT


# --- strategies ---------------------------------------------------------------------------------------------------


def _keep_status(new: Obj, old: Obj) -> None:
    if "status" in old:
        new["status"] = old["status"]
    else:
        new.pop("status", None)


def _keep_spec(new: Obj, old: Obj) -> None:
    if "spec" in old:
        new["spec"] = old["spec"]
    else:
        new.pop("spec", None)


def _keep_meta(field: str) -> Callable[[Obj, Obj], None]:
    def keep(new: Obj, old: Obj) -> None:
        value = old["metadata"].get(field)
        if value is None:
            new["metadata"].pop(field, None)
        else:
            new["metadata"][field] = value

    return keep


@dataclass(frozen=True)
class Strategy:
    """What the generic store asks a kind's strategy (see the module docstring)."""

    kind: Kind
    status_on_create: Callable[[Obj], Any] | None = None  # PrepareForCreate's status; None: keep the user's
    bump_on_annotations: bool = False
    status_keeps: tuple[Callable[[Obj, Obj], None], ...] = ()  # extra fields the /status strategy keeps
    allow_unconditional_update: bool = True
    allow_create_on_update: bool = False
    graceful: bool = False
    fields: Callable[[Obj], dict[str, str]] | None = None

    def prepare_for_create(self, obj: Obj) -> None:
        if self.status_on_create is not None:
            obj["status"] = self.status_on_create(obj)
        if self.kind.tracks_generation:
            obj["metadata"]["generation"] = 1
        else:
            obj["metadata"].pop("generation", None)
        if self.kind.kind == "Namespace":
            finalizers = obj.setdefault("spec", {}).setdefault("finalizers", [])
            if "kubernetes" not in finalizers:
                finalizers.append("kubernetes")

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        if self.kind.has_status:
            _keep_status(new, old)
        if self.kind.kind == "Namespace":
            new.setdefault("spec", {})["finalizers"] = (old.get("spec") or {}).get("finalizers", [])
        if self.kind.tracks_generation:
            changed = new.get("spec") != old.get("spec")
            if self.bump_on_annotations:
                changed = changed or new["metadata"].get("annotations") != old["metadata"].get("annotations")
            if changed:
                new["metadata"]["generation"] = old["metadata"].get("generation", 0) + 1

    def prepare_for_status_update(self, new: Obj, old: Obj) -> None:
        _keep_spec(new, old)
        for keep in self.status_keeps:
            keep(new, old)

    def check_graceful_delete(self, obj: Obj, grace_period_seconds: int | None) -> int | None:
        """``CheckGracefulDelete``: the grace period to use, or ``None`` if the kind is deleted at once."""
        if not self.graceful:
            return None
        spec = obj.get("spec") or {}
        if grace_period_seconds is not None:
            period = grace_period_seconds
        else:
            period = spec.get("terminationGracePeriodSeconds") or 0
        if not spec.get("nodeName"):
            period = 0
        if (obj.get("status") or {}).get("phase") in ("Failed", "Succeeded"):
            period = 0
        if period < 0:
            period = 1
        return period

    def selectable_fields(self, obj: Obj) -> dict[str, str]:
        meta = obj["metadata"]
        out = {"metadata.name": meta.get("name", "")}
        if self.kind.namespaced:
            out["metadata.namespace"] = meta.get("namespace", "")
        if self.fields is not None:
            out.update(self.fields(obj))
        return out


def _bool(value: Any) -> str:
    return "true" if value else "false"


def _pod_fields(pod: Obj) -> dict[str, str]:
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    return {
        "spec.nodeName": spec.get("nodeName", ""),
        "spec.restartPolicy": spec.get("restartPolicy", ""),
        "spec.schedulerName": spec.get("schedulerName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName", ""),
        "spec.hostNetwork": _bool(spec.get("hostNetwork")),
        "status.phase": status.get("phase", ""),
        "status.podIP": status.get("podIP", ""),
        "status.nominatedNodeName": status.get("nominatedNodeName", ""),
    }


def _node_fields(node: Obj) -> dict[str, str]:
    return {"spec.unschedulable": _bool((node.get("spec") or {}).get("unschedulable"))}


def _namespace_fields(ns: Obj) -> dict[str, str]:
    return {"status.phase": (ns.get("status") or {}).get("phase", "")}


def _event_fields(ev: Obj) -> dict[str, str]:
    involved = ev.get("involvedObject") or {}
    out = {f"involvedObject.{k}": str(involved.get(k, "")) for k in ("kind", "namespace", "name", "uid")}
    out.update({k: str(ev.get(k, "")) for k in ("reason", "type", "reportingComponent")})
    out["source"] = (ev.get("source") or {}).get("component", "")
    return out


def _pod_status(pod: Obj) -> Obj:
    status: Obj = {"phase": "Pending", "qosClass": pod_qos(pod)}
    if (pod.get("spec") or {}).get("schedulingGates"):  # applySchedulingGatedCondition
        status["conditions"] = [
            {
                "type": "PodScheduled",
                "status": "False",
                "lastProbeTime": None,
                "lastTransitionTime": None,
                "reason": "SchedulingGated",
                "message": "Scheduling is blocked due to non-empty scheduling gates",
            }
        ]
    return status


def _empty(_obj: Obj) -> Obj:
    return {}


_STRATEGY_OPTIONS: dict[str, dict[str, Any]] = {
    "Pod": {
        "status_on_create": _pod_status,
        "graceful": True,
        "fields": _pod_fields,
        "status_keeps": (_keep_meta("ownerReferences"),),
    },
    "Deployment": {"status_on_create": _empty, "bump_on_annotations": True, "status_keeps": (_keep_meta("labels"),)},
    # ReplicaSetStatus.Replicas is the one status field without omitempty: a new ReplicaSet is stored with
    # {"replicas": 0}, which the schema requires of every later update
    "ReplicaSet": {"status_on_create": lambda _o: {"replicas": 0}, "status_keeps": (_keep_meta("labels"),)},
    "HorizontalPodAutoscaler": {"status_on_create": _empty},
    "Service": {"status_on_create": lambda _o: {"loadBalancer": {}}},
    "Namespace": {"status_on_create": lambda _o: {"phase": "Active"}, "fields": _namespace_fields},
    "Node": {"fields": _node_fields},
    "Event": {"fields": _event_fields},
    "Lease": {"allow_create_on_update": True},
}

_STRATEGIES: dict[str, Strategy] = {}


def strategy_for(kind: Kind) -> Strategy:
    """The strategy of ``kind`` (built once)."""
    found = _STRATEGIES.get(kind.kind)
    if found is None:
        found = _STRATEGIES[kind.kind] = Strategy(kind, **_STRATEGY_OPTIONS.get(kind.kind, {}))
    return found


# --- field selectors (apimachinery/pkg/fields/selector.go) --------------------------------------------------------


@dataclass(frozen=True)
class FieldRequirement:
    field: str
    operator: str  # "=" or "!="
    value: str


def parse_field_selector(text: str) -> tuple[FieldRequirement, ...]:
    """``fields.ParseSelector``: ``a=b,c!=d`` (``==`` is ``=``); the empty string selects everything."""
    out = []
    for term in text.split(","):
        if not term:
            continue
        for op in ("!=", "==", "="):
            field, sep, value = term.partition(op)
            if sep:
                out.append(FieldRequirement(field, "!=" if op == "!=" else "=", value))
                break
        else:
            raise bad_request(f"invalid selector: '{text}'; can't understand '{term}'")
    return tuple(out)


def check_field_selector(strategy: Strategy, reqs: tuple[FieldRequirement, ...], sample: Obj) -> None:
    """Reject a field the kind does not support: ``field label not supported: spec.foo`` (400)."""
    fields = strategy.selectable_fields(sample)
    for r in reqs:
        if r.field not in fields:
            raise bad_request(f"field label not supported: {r.field}")


def field_selector_matches(strategy: Strategy, reqs: tuple[FieldRequirement, ...], obj: Obj) -> bool:
    fields = strategy.selectable_fields(obj)
    for r in reqs:
        value = fields.get(r.field, "")
        if (value == r.value) != (r.operator == "="):
            return False
    return True


__all__ = [
    "NAME_ALPHABET",
    "FieldRequirement",
    "Strategy",
    "check_field_selector",
    "decode",
    "encode",
    "field_selector_matches",
    "generate_name",
    "parse_field_selector",
    "pod_qos",
    "strategy_for",
]
