"""Admission: the plugins that may change (mutating) or refuse (validating) a write after it was authorized.

Upstream a write passes, in order: decoding (with the strict schema check and *defaulting*, which upstream does
while decoding, ``runtime/serializer`` and ``pkg/apis/*/v1/defaults.go``), the mutating admission plugins, the
strategy's ``PrepareForCreate``/``PrepareForUpdate`` and ``Validate``, then the validating plugins, then etcd
(``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go``, ``update.go``). The model runs:

1. :func:`decode` — the OpenAPI schema check, for manifests only (objects a user wrote; the model's components
   write well-typed objects and skip it for speed), with upstream's ``400 BadRequest`` for strict-decoding
   errors (``Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.x"``).
2. :func:`default` — ``apply_defaults`` (``k8smodel.api.defaults``).
3. :func:`namespace_lifecycle` — ``plugin/pkg/admission/namespace/lifecycle/admission.go``: no new content in a
   namespace that does not exist (``namespaces "x" not found``) or is being terminated (``pods "web" is
   forbidden: unable to create new content in namespace x because it is being terminated``), and the immortal
   namespaces ``default``, ``kube-system`` and ``kube-public`` may not be deleted (``this namespace may not be
   deleted``).
4. :func:`taint_nodes_by_condition` — ``plugin/pkg/admission/nodetaint/admission.go``: a new Node carries the
   ``node.kubernetes.io/not-ready:NoSchedule`` taint from the start, so nothing is scheduled to it before it is
   Ready (the node lifecycle controller removes the taint then).
5. :func:`default_toleration_seconds` — ``plugin/pkg/admission/defaulttolerationseconds/admission.go``: every Pod
   tolerates the ``node.kubernetes.io/not-ready`` and ``node.kubernetes.io/unreachable`` NoExecute taints for
   300 s, unless it already says something about them. This is why a Pod on a failed node is evicted after
   five minutes.
6. :func:`priority` — ``plugin/pkg/admission/priority/admission.go``: a new Pod's ``priorityClassName`` becomes
   ``spec.priority`` and ``spec.preemptionPolicy`` (a Pod without one gets the ``globalDefault`` class, or priority
   0 and ``PreemptLowerPriority``); an unknown class is refused (``pods "web" is forbidden: no PriorityClass with
   name gold was found``), and so is a ``spec.priority`` the class does not give. A PriorityClass may be the
   ``globalDefault`` only if no other is (``PriorityClass low is already marked as default. Only one default can
   exist``). The system classes ``system-cluster-critical`` (2000000000) and ``system-node-critical``
   (2000001000) cannot be deleted (upstream's PriorityClass REST storage refuses that; the model checks it here).
7. :func:`validate` — the kind's semantic validation (``k8smodel.api.validation``), with ``422 Invalid``.

What the model leaves out: the other default plugins (ServiceAccount, LimitRanger, ResourceQuota, PodSecurity,
NodeRestriction, ...), admission webhooks and ``ValidatingAdmissionPolicy``; the lifecycle plugin's informer cache
and its forced live lookups (the model reads the namespace from storage, always fresh). The Priority plugin reads
PriorityClasses through a watch on etcd (upstream: its informer), and runs in the mutating phase only: its
PriorityClass checks (upstream's ``Validate``, which runs after the object's validation) are skipped for an object
that validation will reject anyway, so the ``422`` still comes first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from k8smodel.api import errors
from k8smodel.api.kinds import Kind
from k8smodel.apiserver.authn import UserInfo

Obj = dict[str, Any]

CREATE = "CREATE"
UPDATE = "UPDATE"
DELETE = "DELETE"
CONNECT = "CONNECT"


@dataclass(slots=True)
class Request:
    """One API request as the pipeline sees it (upstream: the request info, ``user.Info`` and
    ``admission.Attributes`` together)."""

    verb: str  # the RBAC verb: create, get, list, watch, update, patch, delete
    kind: Kind
    namespace: str = ""
    name: Any = ""  # the URL's, or a create's from its body: any JSON value there (validation reports a non-string)
    subresource: str = ""
    credentials: Any = None  # a UserInfo, a bearer token, or None
    user: UserInfo | None = None  # set by authentication
    obj: Obj | None = None
    old: Obj | None = None
    dry_run: bool = False
    from_manifest: bool = False
    operation: str = ""  # the admission operation: CREATE, UPDATE, DELETE, CONNECT
    extra: dict[str, Any] = field(default_factory=dict)
    owned: bool = False  # the body is the server's own (a caller that handed it over): decoded without a copy


# --- decoding and defaulting --------------------------------------------------------------------------------------


def decode(req: Request) -> None:
    """The schema check of a manifest (``from_manifest``): 400 for what upstream cannot decode, 422 otherwise."""
    if not req.from_manifest or req.obj is None:
        return
    from k8smodel.api.schema import DecodeError, DecodeErrorType, validate_schema

    problems = validate_schema(req.obj)
    if not problems:
        return
    decode_errors = [p for p in problems if isinstance(p, DecodeError)]
    if decode_errors:
        first = decode_errors[0]
        if first.type == DecodeErrorType.NO_KIND_MATCH:
            raise errors.StatusError(404, errors.REASON_NOT_FOUND, str(first))
        unknown = [e for e in decode_errors if e.type == DecodeErrorType.UNKNOWN_FIELD]
        if unknown:
            kind = req.kind.kind
            raise errors.bad_request(
                f'{kind} in version "{req.kind.version}" cannot be handled as a {kind}: strict decoding error: '
                + ", ".join(str(e) for e in unknown)
            )
        raise errors.bad_request(str(first))
    raise errors.invalid(req.obj, problems)


_apply_defaults: Callable[[Obj], Obj] | None = None
_set_defaults: Callable[[Obj], Obj] | None = None
_validate: Callable[..., list] | None = None


def default_request(req: Request) -> Obj:
    """The request's object, defaulted: a copy (:func:`default`) unless the caller handed the object over
    (``req.owned``), when it is defaulted in place (:func:`default_in_place`); the same object either way."""
    obj = req.obj
    return default_in_place(obj) if req.owned else default(obj)  # type: ignore[arg-type]


def default(obj: Obj) -> Obj:
    """A defaulted copy of ``obj`` (``k8smodel.api.defaults.apply_defaults``): for an object the client still
    holds (upstream decodes a request body into a new object, so the client's own is never touched)."""
    global _apply_defaults
    if _apply_defaults is None:
        from k8smodel.api.defaults import apply_defaults

        _apply_defaults = apply_defaults
    return _apply_defaults(obj)


def default_in_place(obj: Obj) -> Obj:
    """``default`` without the copy, for an object the API server built itself (a merge patch's result)."""
    global _set_defaults
    if _set_defaults is None:
        from k8smodel.api.defaults import set_object_defaults

        _set_defaults = set_object_defaults
    return _set_defaults(obj)


def validate(obj: Obj, old: Obj | None = None, subresource: str = "") -> None:
    """The kind's semantic validation (for ``subresource="status"``, its status strategy's); raises ``422
    Invalid`` with upstream's message."""
    found = problems(obj, old, subresource)
    if found:
        raise errors.invalid(obj, found)


def problems(obj: Obj, old: Obj | None = None, subresource: str = "") -> list:
    """What :func:`validate` checks, as the list of field errors (empty when the object is valid)."""
    global _validate
    if _validate is None:
        from k8smodel.api.validation import validate as validate_fn

        _validate = validate_fn
    return _validate(obj, old, subresource) if subresource else _validate(obj, old)


# --- NamespaceLifecycle -------------------------------------------------------------------------------------------

IMMORTAL_NAMESPACES = frozenset({"default", "kube-system", "kube-public"})
NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating"


def namespace_lifecycle(req: Request, get_namespace: Callable[[str], Obj | None]) -> None:
    """``Lifecycle.Admit``: refuse new content in a missing or terminating namespace; protect immortal ones."""
    is_namespace = req.kind.kind == "Namespace" and req.kind.group == ""
    if req.operation == DELETE and is_namespace and req.name in IMMORTAL_NAMESPACES:
        raise errors.forbidden(req.kind.group_resource, req.name, "this namespace may not be deleted")
    if not req.namespace and not is_namespace:
        return  # cluster-scoped
    if is_namespace or req.operation == DELETE:
        return
    namespace = get_namespace(req.namespace)
    if namespace is None:
        raise errors.not_found("namespaces", req.namespace)
    if req.operation == CREATE and (namespace.get("status") or {}).get("phase") == "Terminating":
        name = req.name or ((req.obj or {}).get("metadata") or {}).get("name", "")  # admission.NewForbidden
        err = errors.forbidden(
            req.kind.group_resource,
            name,
            f"unable to create new content in namespace {req.namespace} because it is being terminated",
        )
        assert err.details is not None
        err.details["causes"] = [
            {
                "reason": NAMESPACE_TERMINATING_CAUSE,
                "message": f"namespace {req.namespace} is being terminated",
                "field": "metadata.namespace",
            }
        ]
        raise err


# --- DefaultTolerationSeconds -------------------------------------------------------------------------------------

TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready"
TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable"
DEFAULT_NOT_READY_TOLERATION_SECONDS = 300  # --default-not-ready-toleration-seconds
DEFAULT_UNREACHABLE_TOLERATION_SECONDS = 300  # --default-unreachable-toleration-seconds


# --- TaintNodesByCondition ----------------------------------------------------------------------------------------

NOT_READY_TAINT_KEY = "node.kubernetes.io/not-ready"


def taint_nodes_by_condition(req: Request) -> None:
    """``plugin/pkg/admission/nodetaint/admission.go``: a Node is created with the ``node.kubernetes.io/not-ready``
    NoSchedule taint (unless it has one with that key and effect), so that no Pod is scheduled to it before the node
    lifecycle controller has seen it Ready and removed the taint."""
    if req.kind.kind != "Node" or req.kind.group or req.subresource or req.operation != CREATE:
        return
    spec = req.obj.setdefault("spec", {})  # type: ignore[union-attr]
    taints = spec.get("taints") or []
    if any(t.get("key") == NOT_READY_TAINT_KEY and t.get("effect") == "NoSchedule" for t in taints):  # MatchTaint
        return
    spec["taints"] = [*taints, {"key": NOT_READY_TAINT_KEY, "effect": "NoSchedule"}]


def default_toleration_seconds(req: Request) -> None:
    """``Plugin.Admit``: add the not-ready and unreachable NoExecute tolerations (300 s) to a Pod lacking them.

    A toleration counts if its key is the taint's or empty and its effect is NoExecute or empty.
    """
    if req.kind.kind != "Pod" or req.kind.group != "" or req.subresource or req.obj is None:
        return
    if req.operation not in (CREATE, UPDATE):
        return
    spec = req.obj.setdefault("spec", {})
    tolerations = spec.get("tolerations") or []
    not_ready = unreachable = False
    for t in tolerations:
        key, effect = t.get("key", ""), t.get("effect", "")
        if effect in ("NoExecute", ""):
            if key in (TAINT_NODE_NOT_READY, ""):
                not_ready = True
            if key in (TAINT_NODE_UNREACHABLE, ""):
                unreachable = True
    if not_ready and unreachable:
        return
    tolerations = list(tolerations)
    if not not_ready:
        tolerations.append(
            {
                "key": TAINT_NODE_NOT_READY,
                "operator": "Exists",
                "effect": "NoExecute",
                "tolerationSeconds": DEFAULT_NOT_READY_TOLERATION_SECONDS,
            }
        )
    if not unreachable:
        tolerations.append(
            {
                "key": TAINT_NODE_UNREACHABLE,
                "operator": "Exists",
                "effect": "NoExecute",
                "tolerationSeconds": DEFAULT_UNREACHABLE_TOLERATION_SECONDS,
            }
        )
    spec["tolerations"] = tolerations


# --- Priority (plugin/pkg/admission/priority/admission.go) --------------------------------------------------------

SYSTEM_CLUSTER_CRITICAL = "system-cluster-critical"
SYSTEM_NODE_CRITICAL = "system-node-critical"
SYSTEM_CRITICAL_PRIORITY = 2_000_000_000  # scheduling.SystemCriticalPriority, 2 * HighestUserDefinablePriority
DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS = 0
PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority"
_PRIORITY_CLASS_PREFIX = "/registry/priorityclasses/"


def system_priority_classes() -> list[Obj]:
    """The two system PriorityClasses the API server creates at start (``pkg/apis/scheduling/v1/helpers.go``
    ``systemPriorityClasses``, stored by the ``scheduling/bootstrap-system-priority-classes`` post-start hook of
    ``pkg/registry/scheduling/rest/storage_scheduling.go``)."""
    return [
        {
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": SYSTEM_NODE_CRITICAL},
            "value": SYSTEM_CRITICAL_PRIORITY + 1000,
            "description": "Used for system critical pods that must not be moved from their current node.",
        },
        {
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": SYSTEM_CLUSTER_CRITICAL},
            "value": SYSTEM_CRITICAL_PRIORITY,
            "description": (
                "Used for system critical pods that must run in the cluster, but can be moved to another node if "
                "necessary."
            ),
        },
    ]


class PriorityClassLister:
    """The Priority plugin's PriorityClass lister: the classes in etcd, kept current by a watch (upstream the
    plugin reads a shared informer's cache)."""

    def __init__(self, store: Any) -> None:
        from k8smodel.apiserver.registry import decode

        self._decode = decode
        self.classes: dict[str, Obj] = {}
        current = store.range(_PRIORITY_CLASS_PREFIX)
        for kv in current.kvs:
            self._put(kv.key, decode(kv.value, kv.mod_revision))
        self._watch = store.watch(_PRIORITY_CLASS_PREFIX, current.revision + 1, callback=self._on_events)

    def _put(self, key: str, obj: Obj | None) -> None:
        name = key[len(_PRIORITY_CLASS_PREFIX) :]
        if obj is None:
            self.classes.pop(name, None)
        else:
            self.classes[name] = obj

    def _on_events(self, events: list[Any]) -> None:
        for event in events:
            kv = event.kv
            self._put(kv.key, self._decode(kv.value, kv.mod_revision) if kv.version else None)

    def get(self, name: str) -> Obj | None:
        return self.classes.get(name)

    def default_class(self) -> Obj | None:
        """``getDefaultPriorityClass``: the ``globalDefault`` class; if a race left several, the lowest value."""
        found: Obj | None = None
        for pc in self.classes.values():
            if pc.get("globalDefault") is True and (found is None or found.get("value", 0) > pc.get("value", 0)):
                found = pc
        return found

    def default_priority(self) -> tuple[str, int, str | None]:
        """``getDefaultPriority``: (class name, value, preemption policy) for a Pod that names no class."""
        pc = self.default_class()
        if pc is not None:
            return pc["metadata"]["name"], pc.get("value", 0), pc.get("preemptionPolicy")
        return "", DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS, PREEMPT_LOWER_PRIORITY


def priority_class_lister(store: Any) -> PriorityClassLister:
    """The lister of ``store`` (one per store, made on first use, kept in the store's ``memos``)."""
    lister = store.memos.get("priority_class_lister")
    if lister is None:
        lister = store.memos["priority_class_lister"] = PriorityClassLister(store)
    return lister


def _forbidden_name(req: Request) -> str:
    """``extractResourceName``: the request's name, else the object's name or generateName, else ``Unknown``."""
    if req.name:
        return req.name
    meta = (req.obj or {}).get("metadata") or {}
    return meta.get("name") or meta.get("generateName") or "Unknown"


def priority(req: Request, store: Any) -> None:
    """The Priority plugin (``Admit`` for Pods, ``Validate`` for PriorityClasses; see the module docstring)."""
    if req.subresource:
        return
    kind = req.kind
    if kind.kind == "Pod" and kind.group == "":
        if req.operation in (CREATE, UPDATE) and req.obj is not None:
            _admit_pod(req, priority_class_lister(store))
    elif kind.kind == "PriorityClass" and kind.group == "scheduling.k8s.io":
        if req.operation == DELETE and req.name in (SYSTEM_CLUSTER_CRITICAL, SYSTEM_NODE_CRITICAL):
            reason = "this is a system priority class and cannot be deleted"
            raise errors.forbidden(kind.group_resource, req.name, reason)
        if req.operation in (CREATE, UPDATE) and req.obj is not None:
            _validate_priority_class(req, priority_class_lister(store))


def _admit_pod(req: Request, lister: PriorityClassLister) -> None:
    """``admitPod``: resolve ``priorityClassName`` on create; keep the stored priority on update."""
    pod = req.obj
    assert pod is not None
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return  # validation reports it
    if req.operation == UPDATE:
        old_spec = (req.old or {}).get("spec") or {}
        for name in ("priority", "preemptionPolicy"):
            if spec.get(name) is None and old_spec.get(name) is not None:
                spec[name] = old_spec[name]
        return
    name = spec.get("priorityClassName")
    if not name:
        pc_name, value, policy = lister.default_priority()
        if pc_name:
            spec["priorityClassName"] = pc_name
    else:
        pc = lister.get(name) if isinstance(name, str) else None
        if pc is None:
            raise errors.forbidden("pods", _forbidden_name(req), f"no PriorityClass with name {name} was found")
        value, policy = pc.get("value", 0), pc.get("preemptionPolicy")
    given = spec.get("priority")
    if given is not None and given != value:
        raise errors.forbidden(
            "pods",
            _forbidden_name(req),
            f"the integer value of priority ({given}) must not be provided in pod spec; priority admission "
            f"controller computed {value} from the given PriorityClass name",
        )
    spec["priority"] = value
    if policy is not None:
        given_policy = spec.get("preemptionPolicy")
        if given_policy is not None and given_policy != policy:
            raise errors.forbidden(
                "pods",
                _forbidden_name(req),
                f"the string value of PreemptionPolicy ({given_policy}) must not be provided in pod spec; priority "
                f"admission controller computed {policy} from the given PriorityClass name",
            )
        spec["preemptionPolicy"] = policy


def _validate_priority_class(req: Request, lister: PriorityClassLister) -> None:
    """``validatePriorityClass``: at most one ``globalDefault`` class."""
    pc = req.obj
    assert pc is not None
    if pc.get("globalDefault") is not True:
        return
    global _validate
    if _validate is None:
        from k8smodel.api.validation import validate as validate_fn

        _validate = validate_fn
    if _validate(pc, req.old if req.operation == UPDATE else None):
        return  # the object is invalid: its 422 comes first, as upstream's validating phase runs after validation
    existing = lister.default_class()
    if existing is None:
        return
    existing_name = existing["metadata"]["name"]
    name = (pc.get("metadata") or {}).get("name", "")
    if req.operation == CREATE or existing_name != name:
        raise errors.forbidden(
            req.kind.group_resource,
            _forbidden_name(req),
            f"PriorityClass {existing_name} is already marked as default. Only one default can exist",
        )


__all__ = [
    "CREATE",
    "DELETE",
    "IMMORTAL_NAMESPACES",
    "UPDATE",
    "PriorityClassLister",
    "Request",
    "decode",
    "default",
    "default_in_place",
    "default_toleration_seconds",
    "namespace_lifecycle",
    "priority",
    "priority_class_lister",
    "system_priority_classes",
    "validate",
]
