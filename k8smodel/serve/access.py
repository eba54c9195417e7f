"""``SelfSubjectAccessReview``: how ``kubectl auth can-i`` asks the API server what the caller may do.

``POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`` with ``spec.resourceAttributes`` (``verb``,
``group``, ``resource``, ``subresource``, ``namespace``, ``name``) or ``spec.nonResourceAttributes`` (``path``,
``verb``) returns the review with ``status.allowed`` (and ``reason``), decided by the same RBAC authorizer as every
request, for the user who sent it. Upstream: ``pkg/registry/authorization/selfsubjectaccessreview/rest.go`` and
``pkg/registry/authorization/util/helpers.go`` (``ResourceAttributesFrom``, ``NonResourceAttributesFrom``); the
types in ``staging/src/k8s.io/api/authorization/v1/types.go``. A review is never stored.

kubectl's typed client sends the review as protobuf (``application/vnd.kubernetes.protobuf``); the REST layer decodes
it with the general decoder, :func:`k8smodel.serve.protobuf.decode_object` (``authorization/v1`` types from
``staging/src/k8s.io/api/authorization/v1/types.go``), into the same dict a JSON body gives, and the answer goes back
as JSON, which the client also accepts.

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
