"""``SelfSubjectAccessReview``: how ``kubectl auth can-i`` asks the API server what the caller may do.

``POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`` with ``spec.resourceAttributes`` (``verb``,
``group``, ``resource``, ``subresource``, ``namespace``, ``name``) or ``spec.nonResourceAttributes`` (``path``,
``verb``) returns the review with ``status.allowed`` (and ``reason``), decided by the same RBAC authorizer as every
request, for the user who sent it. Upstream: ``pkg/registry/authorization/selfsubjectaccessreview/rest.go`` and
``pkg/registry/authorization/util/helpers.go`` (``ResourceAttributesFrom``, ``NonResourceAttributesFrom``); the
types in ``staging/src/k8s.io/api/authorization/v1/types.go``. A review is never stored.

kubectl's typed client sends the review as protobuf (``application/vnd.kubernetes.protobuf``: the ``k8s\\0`` magic
and a ``runtime.Unknown`` envelope, ``staging/src/k8s.io/apimachinery/pkg/runtime/serializer/protobuf/
protobuf.go``); :func:`decode_protobuf` reads that one message (field numbers from ``staging/src/k8s.io/api/
authorization/v1/generated.proto``), and the answer goes back as JSON, which the client also accepts.

What the model leaves out: ``SubjectAccessReview`` (asking about another user), ``LocalSubjectAccessReview``,
``SelfSubjectRulesReview`` (``kubectl auth can-i --list``), field and label selectors in resource attributes.
"""

from __future__ import annotations

from typing import Any

from k8smodel.api import errors
from k8smodel.api.field import invalid, required
from k8smodel.apiserver.authn import UserInfo
from k8smodel.apiserver.rbac import Attributes

Obj = dict[str, Any]

GROUP, VERSION, RESOURCE = "authorization.k8s.io", "v1", "selfsubjectaccessreviews"
KIND = "SelfSubjectAccessReview"


def api_resource() -> Obj:
    return {
        "name": RESOURCE,
        "singularName": "selfsubjectaccessreview",
        "namespaced": False,
        "kind": KIND,
        "verbs": ["create"],
    }


PROTOBUF = "application/vnd.kubernetes.protobuf"
_MAGIC = b"k8s\x00"


def _fields(data: bytes) -> list[tuple[int, int, Any]]:
    """The (field number, wire type, value) of a protobuf message: varints and length-delimited bytes only."""
    out: list[tuple[int, int, Any]] = []
    i = 0

    def varint() -> int:
        nonlocal i
        shift = value = 0
        while True:
            if i >= len(data) or shift > 63:
                raise ValueError("truncated varint")
            b = data[i]
            i += 1
            value |= (b & 0x7F) << shift
            if not b & 0x80:
                return value
            shift += 7

    while i < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            out.append((number, wire, varint()))
        elif wire == 2:
            length = varint()
            if i + length > len(data):
                raise ValueError("truncated field")
            out.append((number, wire, data[i : i + length]))
            i += length
        else:
            raise ValueError(f"unsupported wire type {wire}")
    return out


def _strings(data: bytes, names: dict[int, str]) -> Obj:
    return {names[n]: v.decode() for n, w, v in _fields(data) if w == 2 and n in names}


def decode_protobuf(body: bytes) -> Obj:
    """A ``SelfSubjectAccessReview`` sent as protobuf, as the dict its JSON would be."""
    try:
        if not body.startswith(_MAGIC):
            raise ValueError("missing the k8s protobuf magic")
        envelope = {n: v for n, w, v in _fields(body[len(_MAGIC) :]) if w == 2}
        type_meta = _strings(envelope.get(1, b""), {1: "apiVersion", 2: "kind"})
        review_fields = {n: v for n, w, v in _fields(envelope.get(2, b"")) if w == 2}
        spec_fields = {n: v for n, w, v in _fields(review_fields.get(2, b"")) if w == 2}
        spec: Obj = {}
        if 1 in spec_fields:
            names = {1: "namespace", 2: "verb", 3: "group", 4: "version", 5: "resource", 6: "subresource", 7: "name"}
            spec["resourceAttributes"] = _strings(spec_fields[1], names)
        if 2 in spec_fields:
            spec["nonResourceAttributes"] = _strings(spec_fields[2], {1: "path", 2: "verb"})
    except (ValueError, UnicodeDecodeError) as err:
        raise errors.bad_request(f"unable to decode the protobuf body: {err}") from None
    return {**type_meta, "metadata": {}, "spec": spec}


def review(authorizer: Any, user: UserInfo, body: Any) -> Obj:
    """Decide the review ``body`` for ``user``; the answer is the review with its ``status``."""
    if not isinstance(body, dict):
        raise errors.bad_request("the request body must be a SelfSubjectAccessReview object")
    spec = body.get("spec") if isinstance(body.get("spec"), dict) else {}
    resource = spec.get("resourceAttributes")
    non_resource = spec.get("nonResourceAttributes")
    if bool(resource) == bool(non_resource):
        detail = "exactly one of nonResourceAttributes or resourceAttributes must be specified"
        raise errors.invalid_kind(
            f"{KIND}.{GROUP}",
            "",
            [invalid("spec.resourceAttributes", resource, detail) if resource else required("spec.resourceAttributes")],
        )
    if resource:
        if not isinstance(resource, dict):
            raise errors.bad_request("spec.resourceAttributes must be an object")
        attrs = Attributes(
            user,
            str(resource.get("verb") or ""),
            str(resource.get("resource") or ""),
            str(resource.get("group") or ""),
            str(resource.get("namespace") or ""),
            str(resource.get("name") or ""),
            str(resource.get("subresource") or ""),
        )
    else:
        if not isinstance(non_resource, dict):
            raise errors.bad_request("spec.nonResourceAttributes must be an object")
        attrs = Attributes(
            user,
            str(non_resource.get("verb") or ""),
            "",
            path=str(non_resource.get("path") or ""),
            resource_request=False,
        )
    allowed, reason = authorizer.authorize(attrs)
    status: Obj = {"allowed": bool(allowed)}
    if reason:
        status["reason"] = reason
    meta = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
    return {
        "kind": KIND,
        "apiVersion": f"{GROUP}/{VERSION}",
        "metadata": {"creationTimestamp": None, **meta},
        "spec": spec,
        "status": status,
    }


__all__ = ["GROUP", "KIND", "RESOURCE", "VERSION", "api_resource", "review"]
