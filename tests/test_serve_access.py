"""``kubectl auth can-i --list`` and ``kubectl auth whoami`` with the real kubectl against the served model.

kubectl's typed client sends both reviews as protobuf (``SelfSubjectRulesReview``, ``SelfSubjectReview``); the
server answers with the rules RBAC binds to the caller and with who the caller is, and kubectl prints them as it
does against a real cluster (``staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go`` ``printStatus``: rules broken
down, compacted and sorted; ``whoami.go``: an ATTRIBUTE/VALUE table). Skipped without kubectl, except in CI.
"""

from __future__ import annotations

from test_serve_kubectl import kubectl, served  # noqa: F401  (one served cluster for this module)

from k8smodel.serve.protobuf import PROTOBUF

ROLE = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: default}
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
- apiGroups: [apps]
  resources: [deployments]
  resourceNames: [web]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: erin-reads, namespace: default}
subjects: [{kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}]
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
"""


def rows(text: str) -> list[list[str]]:
    return [line.split() for line in text.strip().splitlines()]


def test_can_i_list_prints_the_rules_bound_to_the_user(served):  # noqa: F811
    path = served[1] / "role.yaml"
    path.write_text(ROLE)
    kubectl(served, "apply", "-f", str(path))
    admin = kubectl(served, "auth", "can-i", "--list")
    assert rows(admin.stdout) == [
        ["Resources", "Non-Resource", "URLs", "Resource", "Names", "Verbs"],
        ["*.*", "[]", "[]", "[*]"],  # cluster-admin, bound to system:masters
        ["[*]", "[]", "[*]"],
    ]
    erin = kubectl(served, "auth", "can-i", "--list", "--as=erin")
    assert rows(erin.stdout)[1:] == [
        ["pods/log", "[]", "[]", "[get", "list", "watch]"],
        ["pods", "[]", "[]", "[get", "list", "watch]"],
        ["deployments.apps", "[]", "[web]", "[get]"],
    ]
    elsewhere = kubectl(served, "auth", "can-i", "--list", "--as=erin", "-n", "kube-system")
    assert rows(elsewhere.stdout)[1:] == []


def test_can_i_list_and_whoami_send_protobuf(served):  # noqa: F811
    for args in (("auth", "can-i", "--list"), ("auth", "whoami")):
        run = kubectl(served, "-v=8", *args)
        assert f"Content-Type: {PROTOBUF}" in run.stderr, args
        assert 'status="201 Created"' in run.stderr, args


def test_whoami_after_authentication_and_impersonation(served):  # noqa: F811
    assert rows(kubectl(served, "auth", "whoami").stdout) == [
        ["ATTRIBUTE", "VALUE"],
        ["Username", "kubernetes-admin"],
        ["Groups", "[system:masters", "system:authenticated]"],
    ]
    assert rows(kubectl(served, "auth", "whoami", "--as=erin", "--as-group=devs").stdout)[1:] == [
        ["Username", "erin"],
        ["Groups", "[devs", "system:authenticated]"],
    ]
