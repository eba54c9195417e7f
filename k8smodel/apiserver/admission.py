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
4. :func:`default_toleration_seconds` — ``plugin/pkg/admission/defaulttolerationseconds/admission.go``: every Pod
   tolerates the ``node.kubernetes.io/not-ready`` and ``node.kubernetes.io/unreachable`` NoExecute taints for
   300 s, unless it already says something about them. This is why a Pod on a failed node is evicted after
   five minutes.
5. :func:`validate` — the kind's semantic validation (``k8smodel.api.validation``), with ``422 Invalid``.

What the model leaves out: the other default plugins (ServiceAccount, LimitRanger, ResourceQuota, Priority,
PodSecurity, NodeRestriction, ...), admission webhooks and ``ValidatingAdmissionPolicy``; the lifecycle plugin's
informer cache and its forced live lookups (the model reads the namespace from storage, always fresh).
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


@dataclass
class Request:
    """One API request as the pipeline sees it (upstream: the request info, ``user.Info`` and
    ``admission.Attributes`` together)."""

    verb: str  # the RBAC verb: create, get, list, watch, update, patch, delete
    kind: Kind
    namespace: str = ""
    name: str = ""
    subresource: str = ""
    credentials: Any = None  # a UserInfo, a bearer token, or None
    user: UserInfo | None = None  # set by authentication
    obj: Obj | None = None
    old: Obj | None = None
    dry_run: bool = False
    from_manifest: bool = False
    operation: str = ""  # the admission operation: CREATE, UPDATE, DELETE, CONNECT
    extra: dict[str, Any] = field(default_factory=dict)


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
_validate: Callable[..., list] | None = None


def default(obj: Obj) -> Obj:
    """A defaulted copy of ``obj`` (``k8smodel.api.defaults.apply_defaults``)."""
    global _apply_defaults
    if _apply_defaults is None:
        from k8smodel.api.defaults import apply_defaults

        _apply_defaults = apply_defaults
    return _apply_defaults(obj)


def validate(obj: Obj, old: Obj | None = None) -> None:
    """The kind's semantic validation; raises ``422 Invalid`` with upstream's message."""
    global _validate
    if _validate is None:
        from k8smodel.api.validation import validate as validate_fn

        _validate = validate_fn
    problems = _validate(obj, old)
    if problems:
        raise errors.invalid(obj, problems)


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


__all__ = [
    "CREATE",
    "DELETE",
    "IMMORTAL_NAMESPACES",
    "UPDATE",
    "Request",
    "decode",
    "default",
    "default_toleration_seconds",
    "namespace_lifecycle",
    "validate",
]
