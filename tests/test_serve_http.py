"""The served API at the HTTP level (``k8smodel.serve``): discovery, CRUD, errors as ``Status``, watch, patches.

Every request goes over a real socket (``http.client`` over TLS) to a cluster served with the clock stopped
(``speed=0``), so outcomes are exact. The strategic-merge-patch cases are upstream's, from
``staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go`` (``customStrategicMergePatchTestCaseData``,
``customStrategicMergePatchRawTestCases``), run against upstream's test type ``mergeItem``.
"""

from __future__ import annotations

import http.client
import json
import threading
from typing import Any

import pytest

from k8smodel import Cluster
from k8smodel.serve import patch as patches
from k8smodel.serve import serve
from k8smodel.serve.routes import RouteError, resolve

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


@pytest.fixture(scope="module")
def server():
    cluster = Cluster(seed=1)
    with serve(cluster, speed=0) as srv:
        yield srv


class Client:
    def __init__(self, srv: Any, token: str | None = "admin") -> None:
        self.srv = srv
        self.token = srv.token if token == "admin" else token

    def conn(self, timeout: float = 10) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(
            self.srv.host, self.srv.port, timeout=timeout, context=self.srv.ssl_context()
        )

    def request(
        self, method: str, path: str, body: Any = None, content_type: str = "application/json", accept: str = ""
    ) -> tuple[int, Any]:
        conn = self.conn()
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if accept:
            headers["Accept"] = accept
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        conn.close()
        try:
            return resp.status, json.loads(raw)
        except ValueError:
            return resp.status, raw


@pytest.fixture(scope="module")
def client(server):
    return Client(server)


def pod(name: str, **labels: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "env": [{"name": "A", "value": "1"}]}]},
    }


def deployment(name: str, replicas: int = 2) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}, {"name": "side", "image": "busybox"}]},
            },
        },
    }


# --- routing and discovery ----------------------------------------------------------------------------------------


def test_routes_name_resource_namespace_name_and_subresource():
    r = resolve(["api", "v1", "namespaces", "default", "pods", "web", "status"])
    assert (r.kind.kind, r.namespace, r.name, r.subresource) == ("Pod", "default", "web", "status")
    r = resolve(["api", "v1", "namespaces", "team-a"])  # the Namespace itself
    assert (r.kind.kind, r.namespace, r.name) == ("Namespace", "", "team-a")
    r = resolve(["api", "v1", "namespaces", "team-a", "finalize"])
    assert (r.kind.kind, r.name, r.subresource) == ("Namespace", "team-a", "finalize")
    r = resolve(["apis", "apps", "v1", "deployments"])  # all namespaces
    assert (r.kind.kind, r.namespace, r.collection) == ("Deployment", "", True)
    for bad in (
        ["api", "v2", "pods"],
        ["apis", "apps", "v1", "pods"],
        ["api", "v1", "namespaces", "x", "nodes"],
        ["api", "v1", "pods", "web", "exec"],
        ["nonsense"],
    ):
        with pytest.raises(RouteError):
            resolve(bad)


def test_discovery_documents(client):
    status, version = client.request("GET", "/version")
    assert status == 200 and version["gitVersion"].startswith("v1.") and version["major"] == "1"
    status, api = client.request("GET", "/api")
    assert status == 200 and api["kind"] == "APIVersions" and api["versions"] == ["v1"]
    status, groups = client.request("GET", "/apis")
    names = [g["name"] for g in groups["groups"]]
    assert status == 200 and "apps" in names and "authorization.k8s.io" in names
    status, core = client.request("GET", "/api/v1")
    pods = next(r for r in core["resources"] if r["name"] == "pods")
    assert pods["namespaced"] and pods["kind"] == "Pod" and "watch" in pods["verbs"] and pods["shortNames"] == ["po"]
    assert pods["categories"] == ["all"]
    assert {"pods/status", "pods/binding", "pods/eviction"} <= {r["name"] for r in core["resources"]}
    status, apps = client.request("GET", "/apis/apps/v1")
    scale = next(r for r in apps["resources"] if r["name"] == "deployments/scale")
    assert status == 200 and (scale["group"], scale["version"], scale["kind"]) == ("autoscaling", "v1", "Scale")
    assert client.request("GET", "/apis/batch/v1")[0] == 404


def test_openapi_v3_tells_kubectl_that_patch_takes_field_validation(client):
    """kubectl's QueryParamVerifierV3 (query_param_verifier_v3.go) looks for a PATCH operation of the kind with a
    ``fieldValidation`` parameter; without one, ``kubectl apply`` falls back to client-side validation."""
    status, root = client.request("GET", "/openapi/v3")
    url = root["paths"]["apis/apps/v1"]["serverRelativeURL"]
    assert status == 200 and url.startswith("/openapi/v3/apis/apps/v1?hash=")
    status, doc = client.request("GET", url)
    patch_ops = [
        op["patch"] for op in doc["paths"].values()
        if "patch" in op and op["patch"]["x-kubernetes-group-version-kind"] == {"group": "apps", "version": "v1",
                                                                                 "kind": "Deployment"}
    ]  # fmt: skip
    assert status == 200 and patch_ops
    assert "fieldValidation" in {p["name"] for p in patch_ops[0]["parameters"]}
    assert client.request("GET", "/openapi/v2")[0] == 404


# --- authentication -----------------------------------------------------------------------------------------------


def test_no_token_or_unknown_token_is_401_status(server):
    for token in (None, "not-a-token"):
        status, body = Client(server, token).request("GET", "/api/v1/namespaces/default/pods")
        assert status == 401
        assert body == {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": "Unauthorized",
            "reason": "Unauthorized",
            "code": 401,
        }


def test_rbac_refuses_a_user_without_a_role(server):
    token = server.add_user("alice")
    status, body = Client(server, token).request("GET", "/api/v1/namespaces/default/pods")
    assert status == 403 and body["reason"] == "Forbidden"
    assert body["message"] == (
        'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"'
    )


def test_a_forbidden_put_is_403_before_its_body_is_read(server):
    """Authorization comes before the handler: a mismatched name in the body is a 400 only for a user who may
    update (the 403 is WithAuthorization's, the 400 the update handler's name check)."""
    token = server.add_user("carol")
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "other"}}
    status, answer = Client(server, token).request("PUT", "/api/v1/namespaces/default/configmaps/cm", body)
    assert status == 403 and answer["message"] == (
        'configmaps "cm" is forbidden: User "carol" cannot update resource "configmaps" in API group "" in the '
        'namespace "default"'
    )
    status, answer = Client(server).request("PUT", "/api/v1/namespaces/default/configmaps/cm", body)
    assert status == 400
    assert answer["message"] == "the name of the object (other) does not match the name on the URL (cm)"


def test_self_subject_access_review(server):
    token = server.add_user("bob")
    review = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectAccessReview",
        "spec": {"resourceAttributes": {"verb": "list", "resource": "pods", "namespace": "default"}},
    }
    status, answer = Client(server, token).request(
        "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review
    )
    assert status == 201 and answer["status"]["allowed"] is False
    status, answer = Client(server).request("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review)
    assert status == 201 and answer["status"]["allowed"] is True


def test_self_subject_rules_review_lists_the_rules_bound_in_the_namespace(server):
    """pkg/registry/authorization/selfsubjectrulesreview/rest.go over rbac.go RulesFor: the rules of every
    ClusterRoleBinding and of the namespace's RoleBindings that name the user; a binding to a missing role is the
    evaluationError; no namespace is a 400."""
    admin = Client(server)
    token = server.add_user("dana")
    rbac = "/apis/rbac.authorization.k8s.io/v1/namespaces/team"
    admin.request("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "viewer"},
        "rules": [
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]},
            {"apiGroups": ["apps"], "resources": ["deployments"], "resourceNames": ["web"], "verbs": ["get"]},
        ],
    }
    assert admin.request("POST", f"{rbac}/roles", role)[0] == 201
    for name, role_name in (("dana-views", "viewer"), ("dana-broken", "missing")):
        binding = {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": name},
            "subjects": [{"kind": "User", "name": "dana", "apiGroup": "rbac.authorization.k8s.io"}],
            "roleRef": {"kind": "Role", "name": role_name, "apiGroup": "rbac.authorization.k8s.io"},
        }
        assert admin.request("POST", f"{rbac}/rolebindings", binding)[0] == 201
    path = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews"
    review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": {"namespace": "team"}}
    status, answer = Client(server, token).request("POST", path, review)
    assert status == 201 and answer["kind"] == "SelfSubjectRulesReview"
    assert answer["status"] == {
        "resourceRules": [
            {"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]},
            {"verbs": ["get"], "apiGroups": ["apps"], "resources": ["deployments"], "resourceNames": ["web"]},
        ],
        "nonResourceRules": [],
        "incomplete": False,
        "evaluationError": 'role.rbac.authorization.k8s.io "missing" not found',  # the role lister's NotFound
    }
    review["spec"]["namespace"] = "default"  # no binding there
    assert Client(server, token).request("POST", path, review)[1]["status"]["resourceRules"] == []
    admin_rules = admin.request("POST", path, review)[1]["status"]
    assert admin_rules["resourceRules"] == [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}]  # cluster-admin
    assert admin_rules["nonResourceRules"] == [{"verbs": ["*"], "nonResourceURLs": ["*"]}]
    review["spec"] = {}
    status, answer = admin.request("POST", path, review)
    assert status == 400 and answer["message"] == "no namespace on request"


@pytest.mark.parametrize(
    "path",
    [
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
        "/apis/authentication.k8s.io/v1/selfsubjectreviews",
    ],
)
def test_a_review_body_of_another_type_is_400(server, path):
    """A review's handler decodes one type: a JSON array or an object of another apiVersion is refused as for any
    typed body (the same checks as a create's)."""
    status, answer = Client(server).request("POST", path, [])
    assert status == 400 and answer["message"].endswith("the request body must be a JSON object")
    status, answer = Client(server).request("POST", path, {"apiVersion": "v1", "kind": "Pod"})
    assert status == 400 and answer["message"].startswith("the API version in the data (v1) does not match")


def test_self_subject_review_says_who_the_caller_is(server):
    """pkg/registry/authentication/selfsubjectreview/rest.go: the authenticated (or impersonated) user."""
    path = "/apis/authentication.k8s.io/v1/selfsubjectreviews"
    review = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
    status, answer = Client(server).request("POST", path, review)
    assert status == 201
    assert answer["status"] == {
        "userInfo": {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]}
    }
    assert answer["metadata"]["creationTimestamp"].endswith("Z")
    resources = Client(server).request("GET", "/apis/authentication.k8s.io/v1")[1]["resources"]
    assert [(r["name"], r["kind"], r["verbs"]) for r in resources] == [
        ("selfsubjectreviews", "SelfSubjectReview", ["create"])
    ]


# --- CRUD ---------------------------------------------------------------------------------------------------------


def test_create_get_list_update_delete(client):
    status, created = client.request("POST", "/api/v1/namespaces/default/pods", pod("crud", app="a"))
    assert status == 201 and created["metadata"]["uid"] and created["metadata"]["namespace"] == "default"
    status, got = client.request("GET", "/api/v1/namespaces/default/pods/crud")
    assert status == 200 and got["metadata"]["uid"] == created["metadata"]["uid"]
    status, listed = client.request("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Da")
    assert status == 200 and listed["kind"] == "PodList" and listed["metadata"]["resourceVersion"]
    assert [i["metadata"]["name"] for i in listed["items"]] == ["crud"]
    assert "kind" not in listed["items"][0]  # list items carry no TypeMeta, as the API server encodes them
    status, listed = client.request("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Db")
    assert listed["items"] == []
    got["metadata"]["labels"]["tier"] = "web"
    status, updated = client.request("PUT", "/api/v1/namespaces/default/pods/crud", got)
    assert status == 200 and updated["metadata"]["labels"] == {"app": "a", "tier": "web"}
    status, stale = client.request("PUT", "/api/v1/namespaces/default/pods/crud", got)  # the old resourceVersion
    assert status == 409 and stale["reason"] == "Conflict"
    status, deleted = client.request("DELETE", "/api/v1/namespaces/default/pods/crud")
    assert status == 200 and deleted["kind"] == "Pod"  # a Pod not on a node goes at once; pods return the object
    assert client.request("GET", "/api/v1/namespaces/default/pods/crud")[0] == 404


def test_delete_of_a_kind_without_return_deleted_object_answers_success_status(client):
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"a": "1"}}
    assert client.request("POST", "/api/v1/namespaces/default/configmaps", cm)[0] == 201
    status, body = client.request("DELETE", "/api/v1/namespaces/default/configmaps/settings")
    assert status == 200 and body["kind"] == "Status" and body["status"] == "Success"
    assert body["details"]["name"] == "settings" and body["details"]["kind"] == "configmaps"


def test_delete_collection(client):
    for name in ("dc-1", "dc-2", "dc-3"):
        client.request("POST", "/api/v1/namespaces/default/pods", pod(name, batch="x" if name != "dc-3" else "y"))
    status, body = client.request("DELETE", "/api/v1/namespaces/default/pods?labelSelector=batch%3Dx")
    assert status == 200 and sorted(i["metadata"]["name"] for i in body["items"]) == ["dc-1", "dc-2"]
    status, left = client.request("GET", "/api/v1/namespaces/default/pods?labelSelector=batch")
    assert [i["metadata"]["name"] for i in left["items"]] == ["dc-3"]


def test_dry_run_stores_nothing(client):
    status, body = client.request("POST", "/api/v1/namespaces/default/pods?dryRun=All", pod("dry"))
    assert status == 201 and body["metadata"]["name"] == "dry"
    assert client.request("GET", "/api/v1/namespaces/default/pods/dry")[0] == 404
    status, body = client.request("POST", "/api/v1/namespaces/default/pods?dryRun=Some", pod("dry"))
    assert status == 400


# --- errors as Status ---------------------------------------------------------------------------------------------


def test_errors_are_status_objects_with_upstream_reasons(client):
    status, body = client.request("GET", "/apis/apps/v1/namespaces/default/deployments/missing")
    assert status == 404 and body["kind"] == "Status" and body["reason"] == "NotFound"
    assert body["message"] == 'deployments.apps "missing" not found'
    assert body["details"] == {"name": "missing", "group": "apps", "kind": "deployments"}
    client.request("POST", "/api/v1/namespaces/default/pods", pod("twice"))
    status, body = client.request("POST", "/api/v1/namespaces/default/pods", pod("twice"))
    assert status == 409 and body["reason"] == "AlreadyExists" and body["message"] == 'pods "twice" already exists'
    bad = deployment("bad", replicas=-1)
    status, body = client.request("POST", "/apis/apps/v1/namespaces/default/deployments", bad)
    assert status == 422 and body["reason"] == "Invalid"
    assert body["message"] == (
        'Deployment.apps "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    )
    assert body["details"]["causes"][0]["field"] == "spec.replicas"


def test_unknown_paths_are_404_status(client):
    for path in (
        "/api/v1/widgets",
        "/apis/example.com/v1/things",
        "/nonsense",
        "/api/v1/namespaces/default/pods/a/b/c",
    ):
        status, body = client.request("GET", path)
        assert status == 404 and body["kind"] == "Status" and body["reason"] == "NotFound"
        assert body["message"] == "the server could not find the requested resource"


def test_broken_json_and_wrong_kind_are_400(client):
    status, body = client.request("POST", "/api/v1/namespaces/default/pods", b'{"kind": "Pod",')
    assert status == 400 and body["reason"] == "BadRequest" and "json parse error" in body["message"]
    status, body = client.request("POST", "/api/v1/namespaces/default/pods", b"[1, 2]")
    assert status == 400
    status, body = client.request("POST", "/api/v1/namespaces/default/pods", deployment("x"))
    assert status == 400 and "does not match the expected API version (v1)" in body["message"]


def test_unsupported_patch_or_content_type_is_415(client):
    client.request("POST", "/api/v1/namespaces/default/pods", pod("p415"))
    for ctype in ("application/apply-patch+yaml", "text/plain"):
        status, body = client.request("PATCH", "/api/v1/namespaces/default/pods/p415", {"metadata": {}}, ctype)
        assert status == 415 and body["reason"] == "UnsupportedMediaType"
    status, body = client.request("POST", "/api/v1/namespaces/default/pods", pod("x"), "application/xml")
    assert status == 415


def test_body_over_3_mib_is_413(client):
    big = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"}, "data": {"a": "x" * (3 * 1024 * 1024)}}
    status, body = client.request("POST", "/api/v1/namespaces/default/configmaps", big)
    assert status == 413 and body["reason"] == "RequestEntityTooLarge"
    assert body["message"] == "Request entity too large: limit is 3145728"
    assert client.request("GET", "/api/v1/namespaces/default/configmaps/big")[0] == 404


def test_a_handler_bug_is_a_500_status_and_the_server_lives_on(server, client, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(server.rest, "_get", broken)
    status, body = client.request("GET", "/api/v1/namespaces/default/pods/x")
    assert status == 500 and body["reason"] == "InternalError" and "oops" in body["message"]
    monkeypatch.undo()
    assert client.request("GET", "/version")[0] == 200
    assert any("oops" in e for e in server.errors)
    server.http.errors.clear()


# --- tables -------------------------------------------------------------------------------------------------------


def test_server_side_table_has_upstream_columns_and_cells(client):
    client.request("POST", "/api/v1/namespaces/default/pods", pod("tabled"))
    status, table = client.request("GET", "/api/v1/namespaces/default/pods", accept=TABLE)
    assert status == 200 and table["kind"] == "Table" and table["apiVersion"] == "meta.k8s.io/v1"
    cols = [(c["name"], c["priority"]) for c in table["columnDefinitions"]]
    assert cols == [
        ("Name", 0),
        ("Ready", 0),
        ("Status", 0),
        ("Restarts", 0),
        ("Age", 0),
        ("IP", 1),
        ("Node", 1),
        ("Nominated Node", 1),
        ("Readiness Gates", 1),
    ]
    row = next(r for r in table["rows"] if r["cells"][0] == "tabled")
    assert row["cells"][1:5] == ["0/1", "Pending", "0", "0s"]
    assert row["object"]["kind"] == "PartialObjectMetadata" and row["object"]["metadata"]["name"] == "tabled"
    status, table = client.request("GET", "/api/v1/namespaces/default/pods/tabled?includeObject=Object", accept=TABLE)
    assert len(table["rows"]) == 1 and table["rows"][0]["object"]["kind"] == "Pod"
    assert client.request("GET", "/api/v1/namespaces/default/pods?includeObject=All", accept=TABLE)[0] == 400
    status, roles = client.request("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles", accept=TABLE)
    assert [c["name"] for c in roles["columnDefinitions"]] == ["Name", "Created At"]


def test_protobuf_only_accept_is_406(client):
    status, body = client.request(
        "GET", "/api/v1/namespaces/default/pods", accept="application/vnd.kubernetes.protobuf"
    )
    assert status == 406 and body["reason"] == "NotAcceptable"


# --- subresources -------------------------------------------------------------------------------------------------


def test_scale_subresource(client):
    client.request("POST", "/apis/apps/v1/namespaces/default/deployments", deployment("scaled"))
    status, scale = client.request("GET", "/apis/apps/v1/namespaces/default/deployments/scaled/scale")
    assert status == 200 and scale["kind"] == "Scale" and scale["spec"]["replicas"] == 2
    assert scale["status"]["selector"] == "app=scaled"
    status, scale = client.request(
        "PATCH",
        "/apis/apps/v1/namespaces/default/deployments/scaled/scale",
        {"spec": {"replicas": 5}},
        "application/merge-patch+json",
    )
    assert status == 200 and scale["spec"]["replicas"] == 5
    status, dep = client.request("GET", "/apis/apps/v1/namespaces/default/deployments/scaled")
    assert dep["spec"]["replicas"] == 5
    status, _body = client.request(
        "PATCH",
        "/apis/apps/v1/namespaces/default/deployments/scaled/scale",
        {"spec": {"replicas": -2}},
        "application/merge-patch+json",
    )
    assert status == 422


def test_binding_and_eviction(client, server):
    client.request("POST", "/api/v1/namespaces/default/pods", pod("bindme"))
    binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "bindme"}, "target": {"name": "node-x"}}
    status, body = client.request("POST", "/api/v1/namespaces/default/pods/bindme/binding", binding)
    assert status == 201 and body["status"] == "Success"
    status, got = client.request("GET", "/api/v1/namespaces/default/pods/bindme")
    assert got["spec"]["nodeName"] == "node-x"
    status, body = client.request("POST", "/api/v1/namespaces/default/pods/bindme/binding", binding)
    assert status == 409 and body["message"].endswith('pod bindme is already assigned to node "node-x"')
    eviction = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "bindme"}}
    status, body = client.request("POST", "/api/v1/namespaces/default/pods/bindme/eviction", eviction)
    assert status == 201 and body["status"] == "Success"
    status, got = client.request("GET", "/api/v1/namespaces/default/pods/bindme")
    assert got["metadata"].get("deletionTimestamp")  # graceful: the kubelet (none here) would finish it


# --- patches ------------------------------------------------------------------------------------------------------


def test_strategic_merge_patch_merges_containers_and_env_by_name(client):
    client.request("POST", "/apis/apps/v1/namespaces/default/deployments", deployment("smp"))
    body = {"spec": {"template": {"spec": {"containers": [
        {"name": "web", "image": "nginx:1.28", "env": [{"name": "MODE", "value": "prod"}]}
    ]}}}}  # fmt: skip
    status, dep = client.request(
        "PATCH", "/apis/apps/v1/namespaces/default/deployments/smp", body, "application/strategic-merge-patch+json"
    )
    containers = dep["spec"]["template"]["spec"]["containers"]
    assert status == 200 and [c["name"] for c in containers] == ["web", "side"]  # merged by name, not replaced
    assert containers[0]["image"] == "nginx:1.28" and containers[0]["env"] == [{"name": "MODE", "value": "prod"}]
    assert containers[1]["image"] == "busybox"
    assert dep["metadata"]["generation"] == 2
    delete = {"spec": {"template": {"spec": {"containers": [{"name": "side", "$patch": "delete"}]}}}}
    status, dep = client.request(
        "PATCH", "/apis/apps/v1/namespaces/default/deployments/smp", delete, "application/strategic-merge-patch+json"
    )
    assert [c["name"] for c in dep["spec"]["template"]["spec"]["containers"]] == ["web"]
    # the same patch as a JSON merge patch replaces the list whole
    status, dep = client.request(
        "PATCH", "/apis/apps/v1/namespaces/default/deployments/smp", body, "application/merge-patch+json"
    )
    assert [c["name"] for c in dep["spec"]["template"]["spec"]["containers"]] == ["web"]
    assert "imagePullPolicy" in dep["spec"]["template"]["spec"]["containers"][0]  # defaulted again by the server


def test_json_patch(client):
    client.request("POST", "/api/v1/namespaces/default/pods", pod("jp", app="x"))
    ops = [
        {"op": "add", "path": "/metadata/labels/tier", "value": "web"},
        {"op": "replace", "path": "/spec/containers/0/image", "value": "nginx:1.28"},
        {"op": "remove", "path": "/metadata/labels/app"},
        {"op": "test", "path": "/metadata/name", "value": "jp"},
    ]
    status, got = client.request("PATCH", "/api/v1/namespaces/default/pods/jp", ops, "application/json-patch+json")
    assert status == 422 or got["metadata"]["labels"] == {"tier": "web"}  # a Pod's image may change; labels too
    status, got = client.request(
        "PATCH", "/api/v1/namespaces/default/pods/jp", ops[:1] + ops[2:], "application/json-patch+json"
    )
    status, got = client.request("GET", "/api/v1/namespaces/default/pods/jp")
    assert got["metadata"]["labels"] == {"tier": "web"}
    status, body = client.request(
        "PATCH",
        "/api/v1/namespaces/default/pods/jp",
        [{"op": "test", "path": "/metadata/name", "value": "other"}],
        "application/json-patch+json",
    )
    assert status == 422 and body["reason"] == "Invalid"
    assert "test failed" in body["details"]["causes"][0]["message"]
    status, body = client.request(
        "PATCH", "/api/v1/namespaces/default/pods/jp", {"op": "add"}, "application/json-patch+json"
    )
    assert status == 400


def test_json_patch_operations():
    doc = {"a": {"b": [1, 2, 3]}, "c": "x"}
    out = patches.json_patch(doc, [
        {"op": "add", "path": "/a/b/-", "value": 4},
        {"op": "add", "path": "/a/b/0", "value": 0},
        {"op": "move", "from": "/c", "path": "/d"},
        {"op": "copy", "from": "/d", "path": "/e~1f"},
        {"op": "remove", "path": "/a/b/1"},
    ])  # fmt: skip
    assert out == {"a": {"b": [0, 2, 3, 4]}, "d": "x", "e/f": "x"}
    assert doc == {"a": {"b": [1, 2, 3]}, "c": "x"}  # the input is not changed
    for bad in (
        [{"op": "remove", "path": "/nope"}],
        [{"op": "replace", "path": "/a/b/9", "value": 1}],
        [{"op": "jump", "path": "/a"}],
        [{"op": "move", "from": "/a", "path": "/a/x"}],
    ):
        with pytest.raises(patches.PatchError):
            patches.json_patch(doc, bad)


MERGE_ITEM = {
    "mergingList": ("merge", "name", "mergeItem"),
    "mergingIntList": ("merge", "", None),
    "nonMergingIntList": ("", "", None),
    "retainKeysMap": ("retainKeys", "", None),
    "retainKeysMergingList": ("merge,retainKeys", "name", "mergeItem"),
}

# (description, original, patch, expected): customStrategicMergePatchTestCaseData and
# customStrategicMergePatchRawTestCases of patch_test.go, and cases of createStrategicMergePatchTestCaseData
UPSTREAM_SMP_CASES = [
    ("unique scalars when merging lists", {"mergingIntList": [1, 2]}, {"mergingIntList": [2, 3]},
     {"mergingIntList": [1, 2, 3]}),
    ("delete map from nested map", {"simpleMap": {"key1": 1, "key2": 1}}, {"simpleMap": {"$patch": "delete"}},
     {"simpleMap": {}}),
    ("delete all items from merging list", {"mergingList": [{"name": 1}, {"name": 2}]},
     {"mergingList": [{"$patch": "replace"}]}, {"mergingList": []}),
    ("delete all keys from map", {"name": 1, "value": 1}, {"$patch": "replace"}, {}),
    ("add key and delete all keys from map", {"name": 1, "value": 1}, {"other": "a", "$patch": "replace"},
     {"other": "a"}),
    ("de-duplicate entries in a merging list",
     {"mergingList": [{"name": 1}, {"name": 1}, {"name": 2, "value": "a"}, {"name": 3}, {"name": 3}]},
     {"mergingList": [{"name": 1, "$patch": "delete"}, {"name": 3, "$patch": "delete"}]},
     {"mergingList": [{"name": 2, "value": "a"}]}),
    ("retainKeys map can delete a field when no retainKeys directive present",
     {"retainKeysMap": {"name": "foo", "value": "a"}}, {"retainKeysMap": {"value": None}},
     {"retainKeysMap": {"name": "foo"}}),
    ("retainKeys list can change a field when no retainKeys directive present",
     {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo", "value": "a"}]},
     {"retainKeysMergingList": [{"name": "foo", "value": "b"}]},
     {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo", "value": "b"}]}),
    ("preserve the order from the patch in a merging list",
     {"mergingList": [{"name": 1}, {"name": 2, "value": "b"}, {"name": 3}]},
     {"mergingList": [{"name": 3, "value": "c"}, {"name": 1, "value": "a"}, {"name": 2, "other": "x"}]},
     {"mergingList": [{"name": 3, "value": "c"}, {"name": 1, "value": "a"}, {"name": 2, "value": "b", "other": "x"}]}),
    ("preserve the order from the patch in a merging list 2",
     {"mergingList": [{"name": 1}, {"name": 2, "value": "b"}, {"name": 3}]},
     {"mergingList": [{"name": 3, "value": "c"}, {"name": 1, "value": "a"}]},
     {"mergingList": [{"name": 2, "value": "b"}, {"name": 3, "value": "c"}, {"name": 1, "value": "a"}]}),
    ("preserve the order from the patch in a merging int list", {"mergingIntList": [1, 2, 3]},
     {"mergingIntList": [3, 1]}, {"mergingIntList": [2, 3, 1]}),
    ("$setElementOrder contains item that is not present in the list to be merged",
     {"mergingList": [{"name": 1}, {"name": 3}]},
     {"$setElementOrder/mergingList": [{"name": 3}, {"name": 2}, {"name": 1}],
      "mergingList": [{"name": 3, "value": 3}, {"name": 1, "value": 1}]},
     {"mergingList": [{"name": 3, "value": 3}, {"name": 1, "value": 1}]}),
    ("$setElementOrder contains item that is not present in the int list to be merged",
     {"mergingIntList": [1, 3]}, {"$setElementOrder/mergingIntList": [3, 2, 1]}, {"mergingIntList": [3, 1]}),
    ("add field and delete field from map", {"name": 1}, {"name": None, "value": 1}, {"value": 1}),
    ("replace list of scalars", {"nonMergingIntList": [1, 2]}, {"nonMergingIntList": [2, 3]},
     {"nonMergingIntList": [2, 3]}),
    ("retainKeys directive drops the keys it does not list", {"retainKeysMap": {"name": "foo", "value": "a"}},
     {"retainKeysMap": {"$retainKeys": ["value"], "value": "b"}}, {"retainKeysMap": {"value": "b"}}),
    ("delete from primitive list", {"mergingIntList": [1, 2, 3]}, {"$deleteFromPrimitiveList/mergingIntList": [2]},
     {"mergingIntList": [1, 3]}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("description", "original", "patch", "expected"), UPSTREAM_SMP_CASES, ids=[c[0] for c in UPSTREAM_SMP_CASES]
)
def test_strategic_merge_patch_upstream_cases(monkeypatch, description, original, patch, expected):
    monkeypatch.setitem(patches.TYPES, "mergeItem", MERGE_ITEM)
    assert patches.strategic_merge_patch(original, patch, "mergeItem") == expected


@pytest.mark.parametrize(("original", "patch", "error"), [
    ({"mergingList": [{"name": 1}, {"name": 3}, {"name": 2}]},
     {"$setElementOrder/mergingList": [{"name": 1}, {"name": 2}, {"name": 3}],
      "mergingList": [{"name": 3, "value": 3}, {"name": 1, "value": 1}]}, "doesn't match"),
    ({"mergingList": [{"name": 1, "value": "a"}]}, {"mergingList": [{"value": "b"}]},
     "does not contain declared merge key"),
])  # fmt: skip
def test_strategic_merge_patch_upstream_errors(monkeypatch, original, patch, error):
    """``customStrategicMergePatchRawTestCases``: "should check if order in $setElementOrder and patch list
    match", "missing merge key should error out"."""
    monkeypatch.setitem(patches.TYPES, "mergeItem", MERGE_ITEM)
    with pytest.raises(patches.PatchError, match=error):
        patches.strategic_merge_patch(original, patch, "mergeItem")


def test_merge_patch_between_round_trips():
    from k8smodel.apiserver.server import merge_patch

    a = {"a": 1, "b": {"c": [1, 2], "d": "x"}, "e": {"f": 1}}
    b = {"a": 2, "b": {"c": [2], "d": "x"}, "g": True}
    diff = patches.merge_patch_between(a, b)
    assert diff == {"a": 2, "b": {"c": [2]}, "g": True, "e": None}
    assert merge_patch(a, diff) == b


# --- watch --------------------------------------------------------------------------------------------------------


def _watch_lines(srv: Any, path: str, count: int, accept: str = "", timeout: float = 10) -> list[dict]:
    conn = Client(srv).conn(timeout=timeout)
    headers = {"Authorization": f"Bearer {srv.token}"}
    if accept:
        headers["Accept"] = accept
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    assert resp.status == 200 and resp.getheader("Transfer-Encoding") == "chunked"
    out = []
    while len(out) < count:
        line = resp.readline()
        if not line:
            break
        out.append(json.loads(line))
    conn.close()
    return out


def test_watch_streams_changes_after_a_resource_version(server, client):
    _, created = client.request("POST", "/api/v1/namespaces/default/pods", pod("w1", watch="yes"))
    rv = created["metadata"]["resourceVersion"]
    events: list[dict] = []
    reader = threading.Thread(
        target=lambda: events.extend(
            _watch_lines(
                server, f"/api/v1/namespaces/default/pods?watch=true&labelSelector=watch%3Dyes&resourceVersion={rv}", 4
            )
        )
    )
    reader.start()
    import time

    for _ in range(200):  # wait until the watch is registered (a watch from rv replays, so order is safe anyway)
        if server.cluster.api.fanout._groups:
            break
        time.sleep(0.01)
    client.request("POST", "/api/v1/namespaces/default/pods", pod("w2", watch="yes"))
    client.request(
        "PATCH",
        "/api/v1/namespaces/default/pods/w1",
        {"metadata": {"labels": {"extra": "1"}}},
        "application/merge-patch+json",
    )
    client.request("DELETE", "/api/v1/namespaces/default/pods/w2")
    reader.join(10)
    # a Pod on no node is deleted at once, after the write of its deletionTimestamp (grace period 0)
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [
        ("ADDED", "w2"),
        ("MODIFIED", "w1"),
        ("MODIFIED", "w2"),
        ("DELETED", "w2"),
    ]
    assert events[2]["object"]["metadata"]["deletionGracePeriodSeconds"] == 0
    assert events[0]["object"]["kind"] == "Pod"  # watch events carry the kind


def test_watch_as_table_sends_column_definitions_once(server, client):
    client.request("POST", "/api/v1/namespaces/default/pods", pod("t1", tw="1"))
    client.request("POST", "/api/v1/namespaces/default/pods", pod("t2", tw="1"))
    events = _watch_lines(server, "/api/v1/namespaces/default/pods?watch=true&labelSelector=tw", 2, accept=TABLE)
    assert [e["type"] for e in events] == ["ADDED", "ADDED"]
    assert events[0]["object"]["kind"] == "Table" and events[0]["object"]["columnDefinitions"]
    assert events[1]["object"]["columnDefinitions"] is None
    assert events[1]["object"]["rows"][0]["cells"][0] == "t2"


def test_watch_from_a_compacted_resource_version_is_410_expired(server, client):
    status, created = client.request("POST", "/api/v1/namespaces/default/pods", pod("old"))
    old_rv = int(created["metadata"]["resourceVersion"])
    client.request("POST", "/api/v1/namespaces/default/pods", pod("newer"))
    with server.locked() as cluster:
        cluster.api.store.compact(cluster.api.store.revision)
    events = _watch_lines(server, f"/api/v1/namespaces/default/pods?watch=true&resourceVersion={old_rv}", 1)
    assert events[0]["type"] == "ERROR"
    status = events[0]["object"]
    assert (status["kind"], status["code"], status["reason"]) == ("Status", 410, "Expired")
    assert status["message"].startswith(f"too old resource version: {old_rv} (")


def test_watch_ends_at_timeout_seconds_and_stops_its_api_watch(server):
    before = server.cluster.api.fanout._groups.get("/registry/configmaps/")
    events = _watch_lines(server, "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1", 100)
    assert events == []
    import time

    for _ in range(100):
        if server.cluster.api.fanout._groups.get("/registry/configmaps/") is before:
            break
        time.sleep(0.02)
    assert server.cluster.api.fanout._groups.get("/registry/configmaps/") is before


# --- fuzz ---------------------------------------------------------------------------------------------------------


def test_random_requests_leave_the_server_up(server):
    """A few hundred random requests (the issue's 10,000-request fuzz is for a benchmark run): every answer is a
    Status or an object, never a dropped connection or a 500."""
    import random

    rng = random.Random(7)
    paths = [
        "/api/v1/namespaces/default/pods",
        "/api/v1/namespaces/default/pods/x",
        "/apis/apps/v1/deployments",
        "/api/v1/nodes/n",
        "/api/v1/namespaces/default/pods/x/status",
        "/apis/apps/v1/namespaces/d/deployments/a/scale",
        "/api/v1/namespaces",
        "/%ff",
        "/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=0",
    ]
    bodies = [
        b"",
        b"{",
        b"null",
        b"[]",
        b'{"kind":"Pod"}',
        json.dumps(pod("fz")).encode(),
        b'{"metadata":null}',
        json.dumps([{"op": "add", "path": "/x", "value": 1}]).encode(),
        b"\xff\xfe",
        b'"str"',
    ]
    ctypes = [
        "application/json",
        "application/merge-patch+json",
        "application/strategic-merge-patch+json",
        "application/json-patch+json",
        "application/yaml",
        "text/plain",
    ]
    c = Client(server)
    for _ in range(300):
        status, body = c.request(
            rng.choice(["GET", "POST", "PUT", "PATCH", "DELETE"]),
            rng.choice(paths),
            rng.choice(bodies),
            rng.choice(ctypes),
        )
        assert status < 500, body
        assert isinstance(body, dict | bytes)
    assert server.errors == []
    assert c.request("GET", "/version")[0] == 200


def test_cluster_serve_is_the_notebook_entry():
    """``Cluster.serve`` serves that very cluster: what the notebook applies, the HTTP client reads."""
    cluster = Cluster(seed=2)
    cluster.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n")
    with cluster.serve(speed=0) as srv:
        status, body = Client(srv).request("GET", "/api/v1/namespaces/default/configmaps/settings")
        assert status == 200 and body["data"] == {"mode": "fast"}
        assert srv.url.startswith("https://127.0.0.1:")


def test_impersonation_headers(server):
    """WithImpersonation: groups without a user are a 400; a service account is impersonated as that service account
    (the admin may), and then answered as it."""
    conn = Client(server).conn()
    auth = {"Authorization": f"Bearer {server.token}"}
    conn.request("GET", "/api/v1/namespaces/default/pods", headers={**auth, "Impersonate-Group": "x"})
    resp = conn.getresponse()
    body = json.loads(resp.read())
    assert resp.status == 400 and body["message"] == "requested ['x'] without impersonating a user"
    conn.request(
        "POST",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        body=json.dumps(
            {
                "apiVersion": "authorization.k8s.io/v1",
                "kind": "SelfSubjectAccessReview",
                "spec": {"resourceAttributes": {"verb": "list", "resource": "pods", "namespace": "default"}},
            }
        ),
        headers={
            "Authorization": f"Bearer {server.token}",
            "Content-Type": "application/json",
            "Impersonate-User": "system:serviceaccount:default:robot",
        },
    )
    resp = conn.getresponse()
    review = json.loads(resp.read())
    conn.close()
    assert resp.status == 201 and review["status"]["allowed"] is False
