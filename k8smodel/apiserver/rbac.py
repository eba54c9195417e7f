"""Authorization with RBAC: may this user do this verb on this resource?

The second stage of every request. The authorizer sees the request's *attributes* (user, verb, API group,
resource, subresource, namespace, name) and answers allow or deny; RBAC allows a request when some rule of some
role bound to the user allows it, and denies everything else. Upstream:

* ``plugin/pkg/auth/authorizer/rbac/rbac.go``: ``RBACAuthorizer.Authorize`` visits the rules that apply to the
  user (``VisitRulesFor``: every ClusterRoleBinding, then the RoleBindings of the request's namespace) and stops at
  the first rule that allows the request (``RuleAllows``). The denial's reason lists the errors met on the way
  (a binding to a role that does not exist): ``RBAC: role.rbac.authorization.k8s.io "x" not found``.
* ``pkg/apis/rbac/v1/evaluation_helpers.go``: ``VerbMatches``, ``APIGroupMatches``, ``ResourceMatches`` (with
  ``*``, ``pods/status`` and ``*/status``), ``ResourceNameMatches``.
* ``pkg/registry/rbac/validation/rule.go``: ``appliesTo`` (User, Group and ServiceAccount subjects; a
  ServiceAccount subject without a namespace means the binding's namespace), ``GetRoleReferenceRules``.
* ``staging/src/k8s.io/apiserver/pkg/authorization/authorizerfactory/builtin.go``: the privileged-group
  authorizer that runs before RBAC and allows everything to ``system:masters``.
* ``plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go``: the ``cluster-admin`` ClusterRole and its
  binding to ``system:masters``, which the API server creates at start.

The roles and bindings are objects the API server stores like any other; the authorizer keeps an index of them,
fed by a watch, as upstream's RBAC authorizer reads them through informers. The index is by subject, so only the
bindings that name the user, one of its groups, or its service account are looked at; and decisions are cached
per request attributes until any RBAC object changes.

What the model leaves out: non-resource URLs (``/healthz``) beyond the rule matcher; ClusterRole aggregation
(``aggregationRule``); the escalation check on writes of roles and bindings (``rbac/escalation_check.go``); the
other bootstrap roles (``admin``, ``edit``, ``view``, the ``system:`` controller roles); the Node and webhook
authorizers; ``SubjectAccessReview``. The default grants every authenticated user has upstream (``system:basic-user``,
``system:discovery``, ``system:public-info-viewer``) are not bound as roles: the model answers the reviews and the
discovery paths they allow without asking RBAC, so ``kubectl auth can-i --list`` does not list them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from k8smodel.api.errors import StatusError, not_found
from k8smodel.apiserver.authn import MASTERS_GROUP, UserInfo, split_service_account_username

RBAC_GROUP = "rbac.authorization.k8s.io"
VERB_ALL = "*"
API_GROUP_ALL = "*"
RESOURCE_ALL = "*"
NON_RESOURCE_ALL = "*"


@dataclass(frozen=True, slots=True)
class Attributes:
    """``authorizer.Attributes`` of a resource request."""

    user: UserInfo
    verb: str
    resource: str
    api_group: str = ""
    namespace: str = ""
    name: str = ""
    subresource: str = ""
    path: str = ""
    resource_request: bool = True


# --- evaluation_helpers.go ----------------------------------------------------------------------------------------


def verb_matches(rule: Mapping[str, Any], verb: str) -> bool:
    """``VerbMatches``: the rule lists the verb, or ``*``."""
    return any(v in (VERB_ALL, verb) for v in rule.get("verbs") or ())


def api_group_matches(rule: Mapping[str, Any], group: str) -> bool:
    """``APIGroupMatches``: the rule lists the group (``""`` is the core group), or ``*``."""
    return any(g in (API_GROUP_ALL, group) for g in rule.get("apiGroups") or ())


def resource_matches(rule: Mapping[str, Any], combined_resource: str, subresource: str) -> bool:
    """``ResourceMatches``: ``*``, the exact ``resource`` or ``resource/subresource``, or ``*/subresource``."""
    for r in rule.get("resources") or ():
        if r in (RESOURCE_ALL, combined_resource):
            return True
        if subresource and len(r) == len(subresource) + 2 and r.startswith("*/") and r.endswith(subresource):
            return True
    return False


def resource_name_matches(rule: Mapping[str, Any], name: str) -> bool:
    """``ResourceNameMatches``: no ``resourceNames`` means every name; otherwise the name must be listed."""
    names = rule.get("resourceNames") or ()
    return not names or name in names


def non_resource_url_matches(rule: Mapping[str, Any], url: str) -> bool:
    """``NonResourceURLMatches``: exact, ``*``, or a prefix ending in ``*``."""
    for u in rule.get("nonResourceURLs") or ():
        if u in (NON_RESOURCE_ALL, url):
            return True
        if u.endswith("*") and url.startswith(u[:-1]):
            return True
    return False


def rule_allows(attrs: Attributes, rule: Mapping[str, Any]) -> bool:
    """``RuleAllows`` (rbac.go)."""
    if attrs.resource_request:
        combined = f"{attrs.resource}/{attrs.subresource}" if attrs.subresource else attrs.resource
        return (
            verb_matches(rule, attrs.verb)
            and api_group_matches(rule, attrs.api_group)
            and resource_matches(rule, combined, attrs.subresource)
            and resource_name_matches(rule, attrs.name)
        )
    return verb_matches(rule, attrs.verb) and non_resource_url_matches(rule, attrs.path)


def applies_to_user(user: UserInfo, subject: Mapping[str, Any], namespace: str) -> bool:
    """``appliesToUser`` (rule.go)."""
    kind = subject.get("kind")
    if kind == "User":
        return user.name == subject.get("name")
    if kind == "Group":
        return subject.get("name") in user.groups
    if kind == "ServiceAccount":
        sa_namespace = subject.get("namespace") or namespace
        if not sa_namespace:
            return False
        return user.name == f"system:serviceaccount:{sa_namespace}:{subject.get('name')}"
    return False


# --- forbidden message (endpoints/handlers/responsewriters/errors.go) ---------------------------------------------


def forbidden_message(attrs: Attributes) -> str:
    """``forbiddenMessage``: ``User "alice" cannot list resource "pods" in API group "" in the namespace "dev"``."""
    if not attrs.resource_request:
        return f'User "{attrs.user.name}" cannot {attrs.verb} path "{attrs.path}"'
    resource = f"{attrs.resource}/{attrs.subresource}" if attrs.subresource else attrs.resource
    head = f'User "{attrs.user.name}" cannot {attrs.verb} resource "{resource}" in API group "{attrs.api_group}"'
    if attrs.namespace:
        return f'{head} in the namespace "{attrs.namespace}"'
    return f"{head} at the cluster scope"


# --- the authorizer -----------------------------------------------------------------------------------------------

_SubjectKey = tuple[str, ...]


def _subject_key(subject: Mapping[str, Any], binding_namespace: str) -> _SubjectKey | None:
    kind = subject.get("kind")
    name = subject.get("name") or ""
    if kind in ("User", "Group"):
        return (kind, name)
    if kind == "ServiceAccount":
        ns = subject.get("namespace") or binding_namespace
        return ("ServiceAccount", ns, name) if ns else None
    return None


def _user_keys(user: UserInfo) -> list[_SubjectKey]:
    keys: list[_SubjectKey] = [("User", user.name)]
    keys.extend(("Group", g) for g in user.groups)
    sa = split_service_account_username(user.name)
    if sa is not None:
        keys.append(("ServiceAccount", *sa))
    return keys


class RBACAuthorizer:
    """RBAC over an index of Roles, ClusterRoles, RoleBindings and ClusterRoleBindings.

    Feed it with :meth:`on_change` (the API server does, from a watch); ask it with :meth:`authorize`.
    ``privileged_groups`` are allowed everything before RBAC is consulted (``system:masters``).
    """

    CACHE_LIMIT = 65536

    def __init__(self, privileged_groups: Iterable[str] = (MASTERS_GROUP,)) -> None:
        self.privileged_groups = frozenset(privileged_groups)
        self._roles: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._cluster_roles: dict[str, list[dict[str, Any]]] = {}
        self._bindings: dict[tuple[str, str, str], dict[str, Any]] = {}  # (kind, ns, name) -> binding
        # subject -> {(ns, name): binding}; namespace "" for ClusterRoleBindings
        self._by_subject: dict[str, dict[_SubjectKey, dict[tuple[str, str], dict[str, Any]]]] = {}
        self._cache: dict[tuple, tuple[bool, str]] = {}
        self.evaluations = 0  # decisions computed (not served from the cache)

    # ---- the index ---------------------------------------------------------------------------------------

    def on_change(self, kind: str, namespace: str, name: str, obj: Mapping[str, Any] | None) -> None:
        """Record that an RBAC object was created or updated (``obj``) or deleted (``None``)."""
        self._cache.clear()
        if kind == "Role":
            if obj is None:
                self._roles.pop((namespace, name), None)
            else:
                self._roles[(namespace, name)] = list(obj.get("rules") or ())
        elif kind == "ClusterRole":
            if obj is None:
                self._cluster_roles.pop(name, None)
            else:
                self._cluster_roles[name] = list(obj.get("rules") or ())
        elif kind in ("RoleBinding", "ClusterRoleBinding"):
            ns = namespace if kind == "RoleBinding" else ""
            old = self._bindings.pop((kind, ns, name), None)
            if old is not None:
                self._unindex(ns, name, old)
            if obj is not None:
                binding = {"roleRef": dict(obj.get("roleRef") or {}), "subjects": list(obj.get("subjects") or ())}
                self._bindings[(kind, ns, name)] = binding
                self._index(ns, name, binding)

    def _index(self, ns: str, name: str, binding: dict[str, Any]) -> None:
        by_subject = self._by_subject.setdefault(ns, {})
        for subject in binding["subjects"]:
            key = _subject_key(subject, ns)
            if key is not None:
                by_subject.setdefault(key, {})[(ns, name)] = binding

    def _unindex(self, ns: str, name: str, binding: dict[str, Any]) -> None:
        by_subject = self._by_subject.get(ns, {})
        for subject in binding["subjects"]:
            key = _subject_key(subject, ns)
            group = by_subject.get(key) if key is not None else None
            if group is not None:
                group.pop((ns, name), None)
                if not group:
                    del by_subject[key]

    # ---- deciding ----------------------------------------------------------------------------------------

    def _bindings_for(self, user: UserInfo, ns: str) -> list[tuple[str, dict[str, Any]]]:
        by_subject = self._by_subject.get(ns)
        if not by_subject:
            return []
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for key in _user_keys(user):
            group = by_subject.get(key)
            if group:
                found.update(group)
        return [(name, found[(n, name)]) for n, name in sorted(found)]

    def _role_rules(self, role_ref: Mapping[str, Any], binding_namespace: str) -> list[dict[str, Any]]:
        """``GetRoleReferenceRules``; raises the lister's NotFound for a missing role."""
        kind, name = role_ref.get("kind"), role_ref.get("name", "")
        if kind == "Role":
            rules = self._roles.get((binding_namespace, name))
            if rules is None:
                raise not_found(f"role.{RBAC_GROUP}", name)
            return rules
        if kind == "ClusterRole":
            rules = self._cluster_roles.get(name)
            if rules is None:
                raise not_found(f"clusterrole.{RBAC_GROUP}", name)
            return rules
        raise ValueError(f'unsupported role reference kind: "{kind}"')

    def authorize(self, attrs: Attributes) -> tuple[bool, str]:
        """``(allowed, reason)``: the privileged groups first, then RBAC; deny (no opinion) by default."""
        user = attrs.user
        if self.privileged_groups and not self.privileged_groups.isdisjoint(user.groups):
            return True, ""
        cache_key = (
            user.name,
            user.groups,
            attrs.verb,
            attrs.api_group,
            attrs.resource,
            attrs.subresource,
            attrs.namespace,
            attrs.name,
            attrs.path,
        )
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        decision = self._evaluate(attrs)
        if len(self._cache) >= self.CACHE_LIMIT:
            self._cache.clear()
        self._cache[cache_key] = decision
        return decision

    def authorize_request(
        self,
        user: UserInfo,
        verb: str,
        resource: str,
        api_group: str = "",
        namespace: str = "",
        name: str = "",
        subresource: str = "",
    ) -> tuple[bool, str]:
        """:meth:`authorize` of a resource request given field by field: the same decision, but a cached one is
        found without building an :class:`Attributes` first (the API server asks this on every request)."""
        if self.privileged_groups and not self.privileged_groups.isdisjoint(user.groups):
            return True, ""
        cached = self._cache.get((user.name, user.groups, verb, api_group, resource, subresource, namespace, name, ""))
        if cached is not None:
            return cached
        return self.authorize(Attributes(user, verb, resource, api_group, namespace, name, subresource))

    def rules_for(self, user: UserInfo, namespace: str) -> tuple[list[dict[str, Any]], list[str]]:
        """``RulesFor``: every rule that applies to ``user`` in ``namespace`` (ClusterRoleBindings first, then the
        namespace's RoleBindings, as ``VisitRulesFor`` visits them), and the errors met on the way (a binding to a
        role that does not exist). The privileged-group authorizer has no ``RulesFor``
        (``authorizerfactory/builtin.go``): an admin's rules are those of the ``cluster-admin`` role bound to
        ``system:masters``. What ``kubectl auth can-i --list`` shows (``SelfSubjectRulesReview``)."""
        rules: list[dict[str, Any]] = []
        errors: list[str] = []
        scopes = [("", "")] + ([(namespace, namespace)] if namespace else [])
        for index_ns, binding_ns in scopes:
            for _name, binding in self._bindings_for(user, index_ns):
                try:
                    rules.extend(self._role_rules(binding["roleRef"], binding_ns))
                except (StatusError, ValueError) as err:
                    errors.append(str(err))
        return rules, list(dict.fromkeys(errors))

    def _evaluate(self, attrs: Attributes) -> tuple[bool, str]:
        self.evaluations += 1
        errors: list[str] = []
        scopes = [("", "")]  # ClusterRoleBindings first, then the namespace's RoleBindings (VisitRulesFor)
        if attrs.namespace:
            scopes.append((attrs.namespace, attrs.namespace))
        for index_ns, binding_ns in scopes:
            for _name, binding in self._bindings_for(attrs.user, index_ns):
                try:
                    rules = self._role_rules(binding["roleRef"], binding_ns)
                except (StatusError, ValueError) as err:
                    errors.append(str(err))
                    continue
                for rule in rules:
                    if rule_allows(attrs, rule):
                        return True, ""
        reason = ""
        if errors:
            unique = list(dict.fromkeys(errors))
            reason = "RBAC: " + (unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]")
        return False, reason


# --- bootstrap policy (bootstrappolicy/policy.go, controller_policy.go) -------------------------------------------


def bootstrap_objects() -> list[dict[str, Any]]:
    """The ``cluster-admin`` ClusterRole and ClusterRoleBinding the API server ensures at start."""
    meta = {
        "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"},
        "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"},
    }
    role = {
        "apiVersion": f"{RBAC_GROUP}/v1",
        "kind": "ClusterRole",
        "metadata": {"name": "cluster-admin", **meta},
        "rules": [
            {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
            {"nonResourceURLs": ["*"], "verbs": ["*"]},
        ],
    }
    binding = {
        "apiVersion": f"{RBAC_GROUP}/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": "cluster-admin", **meta},
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"apiGroup": RBAC_GROUP, "kind": "Group", "name": MASTERS_GROUP}],
    }
    return [role, binding]


__all__ = [
    "Attributes",
    "RBACAuthorizer",
    "api_group_matches",
    "applies_to_user",
    "bootstrap_objects",
    "forbidden_message",
    "non_resource_url_matches",
    "resource_matches",
    "resource_name_matches",
    "rule_allows",
    "verb_matches",
]
