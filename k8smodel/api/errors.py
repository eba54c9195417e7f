"""API errors: the ``Status`` the API server answers with when it refuses a request, worded as upstream words it.

Upstream: ``staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go`` (``StatusError`` and its constructors
``NewNotFound``, ``NewAlreadyExists``, ``NewGenerateNameConflict``, ``NewConflict``, ``NewInvalid``,
``NewForbidden``, ``NewBadRequest``, ``NewGone``, ``NewResourceExpired``, ``NewUnauthorized``,
``NewMethodNotSupported``, ``NewInternalError``, and the predicates ``IsNotFound``, ``IsConflict``, ...), and
``staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go`` for the shape of ``metav1.Status``.

A :class:`StatusError` is an exception whose ``str()`` is the message ``kubectl`` prints after ``Error from
server (<Reason>):``, and whose :meth:`StatusError.status` is the ``Status`` object exactly as the API server
serializes it, fields in the same order and empty ones left out (``omitempty``)::

    >>> err = not_found("deployments.apps", "web")
    >>> str(err)
    'deployments.apps "web" not found'
    >>> err.status()["details"]
    {'name': 'web', 'group': 'apps', 'kind': 'deployments'}

Resources are named as upstream's ``schema.GroupResource.String()`` names them: ``pods``, ``deployments.apps``
(:attr:`k8smodel.api.kinds.Kind.group_resource`); kinds as ``GroupKind.String()``: ``Pod``, ``Deployment.apps``
(:attr:`~k8smodel.api.kinds.Kind.qualified_kind`).

What the model leaves out: ``Status.metadata`` is always empty (upstream may set ``resourceVersion`` and
``continue`` on list errors); ``NewTimeoutError``, ``NewTooManyRequests``, ``NewServiceUnavailable``,
``NewApplyConflict``, ``NewRequestEntityTooLargeError`` and the ``FromObject`` round trip; the ``Suggests...``
helpers. Causes of an Invalid error carry upstream's ``ErrorBody`` text; the field error type
``FieldValueTypeInvalid`` is reported as ``FieldValueInvalid`` (see ``k8smodel.api.schema``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from k8smodel.api.field import FieldError, aggregate_message, go_quote

# metav1.StatusReason values (apis/meta/v1/types.go)
REASON_UNKNOWN = ""
REASON_UNAUTHORIZED = "Unauthorized"
REASON_FORBIDDEN = "Forbidden"
REASON_NOT_FOUND = "NotFound"
REASON_ALREADY_EXISTS = "AlreadyExists"
REASON_CONFLICT = "Conflict"
REASON_GONE = "Gone"
REASON_INVALID = "Invalid"
REASON_EXPIRED = "Expired"
REASON_BAD_REQUEST = "BadRequest"
REASON_METHOD_NOT_ALLOWED = "MethodNotAllowed"
REASON_INTERNAL_ERROR = "InternalError"

# OptimisticLockErrorMsg (apiserver/pkg/registry/generic/registry/store.go)
OPTIMISTIC_LOCK_ERROR_MSG = (
    "the object has been modified; please apply your changes to the latest version and try again"
)


def _split(group_resource: str) -> tuple[str, str]:
    """``deployments.apps`` -> (``apps``, ``deployments``); ``pods`` -> ("", ``pods``); ``pods/binding`` kept."""
    resource, _, group = group_resource.partition(".")
    return group, resource


def _quote(name: str) -> str:
    return go_quote(name)


class StatusError(Exception):
    """``errors.StatusError``: a failed request, carrying the ``metav1.Status`` the API server sends back.

    ``code`` is the HTTP status, ``reason`` the ``StatusReason``, ``message`` the text (also ``str(err)``),
    ``details`` the ``StatusDetails`` dict (``name``, ``group``, ``kind``, ``causes``, ...) or ``None``.
    """

    def __init__(self, code: int, reason: str, message: str, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = dict(details) if details else None

    def status(self) -> dict[str, Any]:
        """The ``Status`` object as the API server serializes it (``omitempty`` fields left out)."""
        out: dict[str, Any] = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure"}
        if self.message:
            out["message"] = self.message
        if self.reason:
            out["reason"] = self.reason
        if self.details:
            details = {k: v for k, v in self.details.items() if v not in ("", None, [], 0)}
            if details:
                out["details"] = details
        if self.code:
            out["code"] = self.code
        return out

    def __repr__(self) -> str:
        return f"StatusError(code={self.code}, reason={self.reason!r}, message={self.message!r})"


def _details(group_resource: str, name: str = "", **more: Any) -> dict[str, Any]:
    group, resource = _split(group_resource)
    # StatusDetails field order: name, group, kind, uid, causes, retryAfterSeconds
    out: dict[str, Any] = {"name": name, "group": group, "kind": resource}
    out.update(more)
    return out


# --- constructors (errors.go) -------------------------------------------------------------------------------------


def not_found(group_resource: str, name: str) -> StatusError:
    """``NewNotFound``: ``deployments.apps "web" not found`` (404)."""
    return StatusError(
        404, REASON_NOT_FOUND, f"{group_resource} {_quote(name)} not found", _details(group_resource, name)
    )


def already_exists(group_resource: str, name: str) -> StatusError:
    """``NewAlreadyExists``: ``pods "web" already exists`` (409)."""
    return StatusError(
        409, REASON_ALREADY_EXISTS, f"{group_resource} {_quote(name)} already exists", _details(group_resource, name)
    )


def generate_name_conflict(group_resource: str, name: str, retry_after_seconds: int = 1) -> StatusError:
    """``NewGenerateNameConflict``: a generated name that was taken (409, ``AlreadyExists``)."""
    return StatusError(
        409,
        REASON_ALREADY_EXISTS,
        f"{group_resource} {_quote(name)} already exists, the server was not able to generate a unique name for the "
        "object",
        _details(group_resource, name, retryAfterSeconds=retry_after_seconds),
    )


def conflict(group_resource: str, name: str, detail: str = OPTIMISTIC_LOCK_ERROR_MSG) -> StatusError:
    """``NewConflict``: ``Operation cannot be fulfilled on deployments.apps "web": <detail>`` (409).

    The default detail is the optimistic-lock message an update with a stale resourceVersion gets.
    """
    return StatusError(
        409,
        REASON_CONFLICT,
        f"Operation cannot be fulfilled on {group_resource} {_quote(name)}: {detail}",
        _details(group_resource, name),
    )


def invalid_kind(qualified_kind: str, name: str, errors: Iterable[FieldError]) -> StatusError:
    """``NewInvalid`` with an explicit ``GroupKind`` (``Deployment.apps``): 422 with one cause per field error."""
    errors = list(errors)
    kind, _, group = qualified_kind.partition(".")
    causes = [
        {"reason": e.type.reason if hasattr(e.type, "reason") else str(e.type), "message": e.body(), "field": e.field}
        for e in errors
    ]
    causes = [{k: v for k, v in c.items() if v} for c in causes]
    message = f"{qualified_kind} {_quote(name)} is invalid"
    if errors:
        message += f": {aggregate_message(errors)}"
    details = {"name": name, "group": group, "kind": kind, "causes": causes}
    return StatusError(422, REASON_INVALID, message, details)


def invalid(obj: Mapping[str, Any], errors: Iterable[FieldError]) -> StatusError:
    """``NewInvalid`` for a manifest: ``Deployment.apps "web" is invalid: spec.replicas: Invalid value: ...``."""
    from k8smodel.api.kinds import UnknownKind, kind_of

    try:
        qualified = kind_of(dict(obj)).qualified_kind
    except UnknownKind:
        qualified = str(obj.get("kind", ""))
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, Mapping) else ""
    return invalid_kind(qualified, name if isinstance(name, str) else "", errors)


def forbidden(group_resource: str, name: str, reason: str) -> StatusError:
    """``NewForbidden``: ``pods is forbidden: <reason>``, ``pods "web" is forbidden: <reason>`` (403)."""
    if not group_resource:
        message = f"forbidden: {reason}"
    elif not name:
        message = f"{group_resource} is forbidden: {reason}"
    else:
        message = f"{group_resource} {_quote(name)} is forbidden: {reason}"
    return StatusError(403, REASON_FORBIDDEN, message, _details(group_resource, name))


def bad_request(message: str) -> StatusError:
    """``NewBadRequest`` (400)."""
    return StatusError(400, REASON_BAD_REQUEST, message)


def gone(message: str) -> StatusError:
    """``NewGone`` (410, reason ``Gone``; deprecated upstream in favour of :func:`expired`)."""
    return StatusError(410, REASON_GONE, message)


def expired(message: str) -> StatusError:
    """``NewResourceExpired`` (410, reason ``Expired``): a resourceVersion older than the server's history."""
    return StatusError(410, REASON_EXPIRED, message)


def unauthorized(message: str = "") -> StatusError:
    """``NewUnauthorized`` (401); an empty message becomes ``not authorized``. The authentication filter sends
    ``Unauthorized``."""
    return StatusError(401, REASON_UNAUTHORIZED, message or "not authorized")


def method_not_supported(group_resource: str, action: str) -> StatusError:
    """``NewMethodNotSupported``: ``<action> is not supported on resources of kind "<resource>"`` (405)."""
    group, resource = _split(group_resource)
    return StatusError(
        405,
        REASON_METHOD_NOT_ALLOWED,
        f"{action} is not supported on resources of kind {_quote(group_resource)}",
        {"group": group, "kind": resource},
    )


def internal_error(err: object) -> StatusError:
    """``NewInternalError``: ``Internal error occurred: <err>`` (500)."""
    return StatusError(
        500, REASON_INTERNAL_ERROR, f"Internal error occurred: {err}", {"causes": [{"message": str(err)}]}
    )


# --- predicates ---------------------------------------------------------------------------------------------------


def reason_for(err: object) -> str:
    """``ReasonForError``: the reason of a :class:`StatusError`, ``""`` for anything else."""
    return err.reason if isinstance(err, StatusError) else REASON_UNKNOWN


def _is(reason: str, code: int) -> Any:
    def predicate(err: object) -> bool:
        if not isinstance(err, StatusError):
            return False
        # Upstream falls back to the code only when the reason is unknown ("").
        return err.reason == reason or (err.reason == REASON_UNKNOWN and err.code == code)

    predicate.__doc__ = f"``Is{reason}``: true for a StatusError with reason {reason!r} (or code {code})."
    return predicate


is_not_found = _is(REASON_NOT_FOUND, 404)
is_already_exists = _is(REASON_ALREADY_EXISTS, 409)
is_conflict = _is(REASON_CONFLICT, 409)
is_invalid = _is(REASON_INVALID, 422)
is_forbidden = _is(REASON_FORBIDDEN, 403)
is_unauthorized = _is(REASON_UNAUTHORIZED, 401)
is_bad_request = _is(REASON_BAD_REQUEST, 400)
is_gone = _is(REASON_GONE, 410)
is_resource_expired = _is(REASON_EXPIRED, 410)
is_method_not_supported = _is(REASON_METHOD_NOT_ALLOWED, 405)
is_internal_error = _is(REASON_INTERNAL_ERROR, 500)


__all__ = [
    "OPTIMISTIC_LOCK_ERROR_MSG",
    "StatusError",
    "already_exists",
    "bad_request",
    "conflict",
    "expired",
    "forbidden",
    "generate_name_conflict",
    "gone",
    "internal_error",
    "invalid",
    "invalid_kind",
    "is_already_exists",
    "is_bad_request",
    "is_conflict",
    "is_forbidden",
    "is_gone",
    "is_internal_error",
    "is_invalid",
    "is_method_not_supported",
    "is_not_found",
    "is_resource_expired",
    "is_unauthorized",
    "method_not_supported",
    "not_found",
    "reason_for",
]
