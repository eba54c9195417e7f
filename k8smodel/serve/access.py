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

``SelfSubjectRulesReview`` (``kubectl auth can-i --list``): ``POST .../selfsubjectrulesreviews`` with
``spec.namespace`` returns every rule that applies to the caller there, ``status.resourceRules`` and
``status.nonResourceRules``, which kubectl breaks down, compacts and prints as a table. Upstream:
``pkg/registry/authorization/selfsubjectrulesreview/rest.go`` (``no namespace on request`` without one; a binding to
a missing role is the ``evaluationError``), ``plugin/pkg/auth/authorizer/rbac/rbac.go`` (``RulesFor``).

``SelfSubjectReview`` (``kubectl auth whoami``): ``POST /apis/authentication.k8s.io/v1/selfsubjectreviews`` returns
who the API server thinks the caller is, after authentication and impersonation: ``status.userInfo`` (username,
groups). Upstream: ``pkg/registry/authentication/selfsubjectreview/rest.go``.

What the model leaves out: ``SubjectAccessReview`` (asking about another user), ``LocalSubjectAccessReview``, field
and label selectors in resource attributes; the user's ``uid`` and ``extra``.
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
RULES_RESOURCE, RULES_KIND = "selfsubjectrulesreviews", "SelfSubjectRulesReview"
AUTHN_GROUP, WHOAMI_RESOURCE, WHOAMI_KIND = "authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview"

#: The review resources by path (``/apis/<group>/v1/<resource>``): their group and kind.
REVIEWS: dict[tuple[str, str], str] = {
    (GROUP, RESOURCE): KIND,
    (GROUP, RULES_RESOURCE): RULES_KIND,
    (AUTHN_GROUP, WHOAMI_RESOURCE): WHOAMI_KIND,
}


def api_resource(resource: str = RESOURCE, kind: str = KIND) -> Obj:
    """A review's ``APIResource``: cluster-scoped, create only (``pkg/registry/authorization/rest``)."""
    return {"name": resource, "singularName": kind.lower(), "namespaced": False, "kind": kind, "verbs": ["create"]}


def api_resources(group: str) -> list[Obj]:
    """The review resources of ``group`` (``authorization.k8s.io`` or ``authentication.k8s.io``)."""
    return [api_resource(resource, kind) for (g, resource), kind in sorted(REVIEWS.items()) if g == group]


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


def rules_review(authorizer: Any, user: UserInfo, body: Any) -> Obj:
    """``SelfSubjectRulesReview``: the rules that apply to ``user`` in ``spec.namespace``."""
    if not isinstance(body, dict):
        raise errors.bad_request(f"the request body must be a {RULES_KIND} object")
    spec = body.get("spec") if isinstance(body.get("spec"), dict) else {}
    namespace = spec.get("namespace")
    if not namespace or not isinstance(namespace, str):
        raise errors.bad_request("no namespace on request")
    rules, problems = authorizer.rules_for(user, namespace)
    resource_rules: list[Obj] = []
    non_resource_rules: list[Obj] = []
    for rule in rules:  # rbac.go RulesFor: a rule with resources, or with non-resource URLs, or both
        verbs = list(rule.get("verbs") or [])
        if rule.get("resources"):
            out: Obj = {"verbs": verbs}
            for key in ("apiGroups", "resources", "resourceNames"):
                if rule.get(key):
                    out[key] = list(rule[key])
            resource_rules.append(out)
        if rule.get("nonResourceURLs"):
            non_resource_rules.append({"verbs": verbs, "nonResourceURLs": list(rule["nonResourceURLs"])})
    status: Obj = {"resourceRules": resource_rules, "nonResourceRules": non_resource_rules, "incomplete": False}
    if problems:  # utilerrors.NewAggregate(...).Error()
        status["evaluationError"] = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
    meta = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
    return {
        "kind": RULES_KIND,
        "apiVersion": f"{GROUP}/{VERSION}",
        "metadata": {"creationTimestamp": None, **meta},
        "spec": spec,
        "status": status,
    }


def whoami(user: UserInfo, now: str) -> Obj:
    """``SelfSubjectReview``: the caller as the API server authenticated it, created ``now`` (RFC 3339)."""
    info: Obj = {"username": user.name}
    if user.groups:
        info["groups"] = list(user.groups)
    return {
        "kind": WHOAMI_KIND,
        "apiVersion": f"{AUTHN_GROUP}/{VERSION}",
        "metadata": {"creationTimestamp": now},
        "status": {"userInfo": info},
    }


__all__ = [
    "AUTHN_GROUP",
    "GROUP",
    "KIND",
    "RESOURCE",
    "REVIEWS",
    "RULES_KIND",
    "RULES_RESOURCE",
    "VERSION",
    "WHOAMI_KIND",
    "WHOAMI_RESOURCE",
    "api_resource",
    "api_resources",
    "review",
    "rules_review",
    "whoami",
]
