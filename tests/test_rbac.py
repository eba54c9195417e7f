"""Tests for RBAC, after plugin/pkg/auth/authorizer/rbac/rbac_test.go and
pkg/apis/rbac/v1/evaluation_helpers_test.go."""

from __future__ import annotations

import pytest

from k8smodel.apiserver.authn import UserInfo, service_account_user
from k8smodel.apiserver.rbac import (
    Attributes,
    RBACAuthorizer,
    forbidden_message,
    resource_matches,
    rule_allows,
    verb_matches,
)

RBAC = "rbac.authorization.k8s.io"


def rule(verbs, groups, resources, names=()):
    out = {"verbs": list(verbs), "apiGroups": list(groups), "resources": list(resources)}
    if names:
        out["resourceNames"] = list(names)
    return out


def role(kind, name, rules, namespace=""):
    meta = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    return {"apiVersion": f"{RBAC}/v1", "kind": kind, "metadata": meta, "rules": rules}


def binding(kind, name, role_kind, role_name, subjects, namespace=""):
    meta = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    return {
        "apiVersion": f"{RBAC}/v1",
        "kind": kind,
        "metadata": meta,
        "roleRef": {"apiGroup": RBAC, "kind": role_kind, "name": role_name},
        "subjects": subjects,
    }


def user_subject(name):
    return {"kind": "User", "apiGroup": RBAC, "name": name}


def feed(authz, *objs):
    for obj in objs:
        meta = obj["metadata"]
        authz.on_change(obj["kind"], meta.get("namespace", ""), meta["name"], obj)


ALICE = UserInfo("alice", ("system:authenticated",))


# --- evaluation_helpers_test.go ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_resources", "combined", "sub", "expected"),
    [
        (["*"], "pods", "", True),
        (["pods"], "pods", "", True),
        (["pods"], "pods/status", "status", False),
        (["pods/status"], "pods/status", "status", True),
        (["*/status"], "pods/status", "status", True),
        (["*/status"], "pods", "", False),
        (["*/scale"], "pods/status", "status", False),
        (["*/foo"], "pods/foobar", "foobar", False),  # length must match exactly
        (["deployments"], "pods", "", False),
    ],
)
def test_resource_matches(rule_resources, combined, sub, expected):
    assert resource_matches({"resources": rule_resources}, combined, sub) is expected


def test_verb_matches_star_and_exact():
    assert verb_matches({"verbs": ["*"]}, "delete")
    assert verb_matches({"verbs": ["get", "list"]}, "list")
    assert not verb_matches({"verbs": ["get"]}, "list")


@pytest.mark.parametrize(
    ("r", "attrs", "expected"),
    [
        (rule(["get"], [""], ["pods"]), dict(verb="get", resource="pods"), True),
        (rule(["get"], [""], ["pods"]), dict(verb="get", resource="pods", api_group="apps"), False),
        (rule(["get"], ["*"], ["pods"]), dict(verb="get", resource="pods", api_group="apps"), True),
        (rule(["get"], [""], ["pods"], ["web"]), dict(verb="get", resource="pods", name="web"), True),
        (rule(["get"], [""], ["pods"], ["web"]), dict(verb="get", resource="pods", name="db"), False),
        (rule(["list"], [""], ["pods"], ["web"]), dict(verb="list", resource="pods"), False),
        (rule(["update"], [""], ["pods/status"]), dict(verb="update", resource="pods", subresource="status"), True),
        (rule(["update"], [""], ["pods"]), dict(verb="update", resource="pods", subresource="status"), False),
    ],
)
def test_rule_allows(r, attrs, expected):
    assert rule_allows(Attributes(ALICE, **attrs), r) is expected


# --- rbac_test.go ---------------------------------------------------------------------------------------------


def test_deny_by_default():
    authz = RBACAuthorizer()
    assert authz.authorize(Attributes(ALICE, "get", "pods", namespace="default")) == (False, "")


def test_cluster_role_binding_applies_everywhere_role_binding_only_in_its_namespace():
    authz = RBACAuthorizer()
    feed(
        authz,
        role("ClusterRole", "pod-reader", [rule(["get", "list"], [""], ["pods"])]),
        role("Role", "deployer", [rule(["*"], ["apps"], ["deployments"])], "dev"),
        binding("ClusterRoleBinding", "read-pods", "ClusterRole", "pod-reader", [user_subject("alice")]),
        binding("RoleBinding", "deploy", "Role", "deployer", [user_subject("alice")], "dev"),
    )
    ok = lambda **a: authz.authorize(Attributes(ALICE, **a))[0]  # noqa: E731
    assert ok(verb="list", resource="pods", namespace="prod")
    assert ok(verb="list", resource="pods")  # cluster scope
    assert not ok(verb="delete", resource="pods", namespace="prod")
    assert ok(verb="delete", resource="deployments", api_group="apps", namespace="dev")
    assert not ok(verb="delete", resource="deployments", api_group="apps", namespace="prod")
    assert not ok(verb="delete", resource="deployments", api_group="apps")


def test_role_binding_to_cluster_role_is_limited_to_the_binding_namespace():
    authz = RBACAuthorizer()
    feed(
        authz,
        role("ClusterRole", "edit", [rule(["*"], ["*"], ["*"])]),
        binding("RoleBinding", "edit", "ClusterRole", "edit", [user_subject("alice")], "dev"),
    )
    assert authz.authorize(Attributes(ALICE, "delete", "pods", namespace="dev"))[0]
    assert not authz.authorize(Attributes(ALICE, "delete", "pods", namespace="prod"))[0]


def test_groups_and_service_accounts():
    authz = RBACAuthorizer()
    feed(
        authz,
        role("ClusterRole", "view", [rule(["get"], [""], ["configmaps"])]),
        binding("ClusterRoleBinding", "devs", "ClusterRole", "view", [{"kind": "Group", "name": "devs"}]),
        # a ServiceAccount subject without a namespace means the binding's namespace
        binding("RoleBinding", "sa", "ClusterRole", "view", [{"kind": "ServiceAccount", "name": "robot"}], "ci"),
    )
    bob = UserInfo("bob", ("devs",))
    assert authz.authorize(Attributes(bob, "get", "configmaps", namespace="x"))[0]
    robot = service_account_user("ci", "robot")
    assert robot.name == "system:serviceaccount:ci:robot"
    assert set(robot.groups) == {"system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"}
    assert authz.authorize(Attributes(robot, "get", "configmaps", namespace="ci"))[0]
    assert not authz.authorize(Attributes(robot, "get", "configmaps", namespace="other"))[0]
    other_robot = service_account_user("other", "robot")
    assert not authz.authorize(Attributes(other_robot, "get", "configmaps", namespace="ci"))[0]


def test_service_account_group_binding():
    authz = RBACAuthorizer()
    feed(
        authz,
        role("ClusterRole", "view", [rule(["list"], [""], ["pods"])]),
        binding(
            "ClusterRoleBinding",
            "all-sa",
            "ClusterRole",
            "view",
            [{"kind": "Group", "name": "system:serviceaccounts:ci"}],
        ),
    )
    assert authz.authorize(Attributes(service_account_user("ci", "a"), "list", "pods", namespace="x"))[0]
    assert not authz.authorize(Attributes(service_account_user("qa", "a"), "list", "pods", namespace="x"))[0]


def test_system_masters_is_allowed_everything():
    authz = RBACAuthorizer()
    root = UserInfo("root", ("system:masters",))
    assert authz.authorize(Attributes(root, "delete", "nodes")) == (True, "")


def test_missing_role_is_reported_in_the_reason():
    authz = RBACAuthorizer()
    feed(authz, binding("RoleBinding", "b", "Role", "ghost", [user_subject("alice")], "dev"))
    allowed, reason = authz.authorize(Attributes(ALICE, "get", "pods", namespace="dev"))
    assert not allowed
    assert reason == 'RBAC: role.rbac.authorization.k8s.io "ghost" not found'


def test_cache_is_invalidated_when_rbac_objects_change():
    authz = RBACAuthorizer()
    attrs = Attributes(ALICE, "get", "pods", namespace="default")
    assert not authz.authorize(attrs)[0]
    feed(
        authz,
        role("Role", "r", [rule(["get"], [""], ["pods"])], "default"),
        binding("RoleBinding", "b", "Role", "r", [user_subject("alice")], "default"),
    )
    assert authz.authorize(attrs)[0]
    evaluations = authz.evaluations
    assert authz.authorize(attrs)[0]
    assert authz.evaluations == evaluations  # served from the cache
    authz.on_change("RoleBinding", "default", "b", None)
    assert not authz.authorize(attrs)[0]


def test_forbidden_message():
    assert forbidden_message(Attributes(ALICE, "list", "pods", namespace="default")) == (
        'User "alice" cannot list resource "pods" in API group "" in the namespace "default"'
    )
    assert forbidden_message(Attributes(ALICE, "get", "nodes")) == (
        'User "alice" cannot get resource "nodes" in API group "" at the cluster scope'
    )
    assert forbidden_message(Attributes(ALICE, "update", "pods", namespace="d", subresource="status")) == (
        'User "alice" cannot update resource "pods/status" in API group "" in the namespace "d"'
    )
