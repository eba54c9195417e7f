"""The OpenAPI v3 documents of the served model, and the real ``kubectl explain`` reading them.

The first half checks the documents themselves (``k8smodel.serve.discovery``): every ``$ref`` resolves inside its
document, every served kind has its schema with its ``x-kubernetes-group-version-kind``, the schemas are in
upstream's OpenAPI v3 form, and a few of them equal, key for key, what upstream's ``kube-apiserver`` publishes
(``api/openapi-spec/v3/apis__apps__v1_openapi.json`` in kubernetes/kubernetes). The second half runs the real
kubectl (``staging/src/k8s.io/kubectl/pkg/explain/v2``, whose ``templates/plaintext.tmpl`` renders the schemas)
against one served cluster. Without ``/usr/bin/kubectl`` that half is skipped, except in CI (``CI=true``), where
kubectl must be present.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from k8smodel import Cluster
from k8smodel.api.kinds import KINDS
from k8smodel.serve import discovery, serve
from k8smodel.serve.routes import group_versions

SCHEMAS = "#/components/schemas/"


def documents() -> dict[str, dict[str, Any]]:
    out = {}
    for group, version in group_versions():
        doc = discovery.openapi_v3_document(group, version)
        assert doc is not None
        out[f"{group}/{version}" if group else version] = doc
    return out


def walk(node: Any, path: str = ""):
    """Every JSON object in a document with its path (``properties`` maps are field names, not schemas)."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}/{i}")


# --- the documents ------------------------------------------------------------------------------------------------


def test_every_ref_resolves_inside_its_document():
    for gv, doc in documents().items():
        schemas = doc["components"]["schemas"]
        refs = {n["$ref"] for _, n in walk(doc) if isinstance(n.get("$ref"), str)}
        assert refs, gv
        assert {r for r in refs if not r.startswith(SCHEMAS)} == set(), gv
        assert {r.removeprefix(SCHEMAS) for r in refs} - schemas.keys() == set(), gv


def test_every_schema_is_referenced_or_a_root():
    """Only what the paths need, transitively (builder3 collects no more), not all 700 published definitions."""
    for gv, doc in documents().items():
        schemas = doc["components"]["schemas"]
        refs = {n["$ref"].removeprefix(SCHEMAS) for _, n in walk(doc) if isinstance(n.get("$ref"), str)}
        assert set(schemas) == refs, gv
        assert len(schemas) < 250, gv


def test_every_served_kind_has_its_schema_list_and_operations():
    docs = documents()
    for kind in KINDS:
        doc = docs[kind.api_version]
        for name in (kind.kind, f"{kind.kind}List"):
            gvk = {"group": kind.group, "kind": name, "version": kind.version}
            found = [
                s for s in doc["components"]["schemas"].values() if gvk in s.get("x-kubernetes-group-version-kind", [])
            ]
            assert len(found) == 1, (kind.kind, name)
            assert found[0]["description"] and found[0]["type"] == "object"
            assert all(p.get("description") for p in found[0]["properties"].values()), (kind.kind, name)
        ops = [op for path in doc["paths"].values() for op in path.values() if isinstance(op, dict)]
        actions = {op["x-kubernetes-action"] for op in ops if op.get("x-kubernetes-group-version-kind") == {
            "group": kind.group, "version": kind.version, "kind": kind.kind}}  # fmt: skip
        assert {"list", "post", "deletecollection", "get", "put", "patch", "delete", "watch"} <= actions, kind.kind


def test_schemas_are_in_openapi_v3_form_not_json_schema():
    """kubernetes-validate's widened types, ``#/$defs`` refs, ref siblings and kind enums are all undone."""
    for gv, doc in documents().items():
        for path, node in walk(doc["components"]):
            if "/properties/" in path and path.rsplit("/", 2)[-2] == "properties" and "type" in node:
                assert isinstance(node["type"], str) and node["type"] != "null", (gv, path)
            if "$ref" in node and isinstance(node["$ref"], str):
                assert set(node) == {"$ref"}, (gv, path)  # OpenAPI 3.0: a $ref has no siblings; allOf wraps it
        for name, schema in doc["components"]["schemas"].items():
            if "x-kubernetes-group-version-kind" in schema and "kind" in schema.get("properties", {}):
                assert "enum" not in schema["properties"]["kind"], name
                assert "enum" not in schema["properties"]["apiVersion"], name


def test_int_or_string_and_quantity_are_upstreams_one_of_types():
    """``intstr.IntOrString.OpenAPIV3OneOfTypes`` and ``resource.Quantity.OpenAPIV3OneOfTypes``: no ``type``, so
    kubectl explain names them ``<IntOrString>`` and ``<map[string]Quantity>``."""
    schemas = documents()["v1"]["components"]["schemas"]
    ios = schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]
    assert ios["oneOf"] == [{"type": "integer"}, {"type": "string"}] and ios["format"] == "int-or-string"
    assert ios["description"].startswith("IntOrString is a type that can hold an int32 or a string.  When used")
    quantity = schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"]
    assert quantity["oneOf"] == [{"type": "string"}, {"type": "number"}] and "type" not in quantity
    assert quantity["description"].endswith("hopes that that will cause implementors to also use a fixed point "
                                            "implementation.")  # fmt: skip


# Upstream's own schemas, copied from kubernetes/kubernetes api/openapi-spec/v3/apis__apps__v1_openapi.json (the
# stored copy is of a release after v1.33; these five schemas read the same in v1.33's published definitions).
# Long descriptions are compared by their start.
_API_VERSION = "APIVersion defines the versioned schema of this representation of an object."
_KIND = "Kind is a string value representing the REST resource this object represents."
UPSTREAM_APPS_V1 = {
    "io.k8s.api.apps.v1.Deployment": {
        "description": "Deployment enables declarative updates for Pods and ReplicaSets.",
        "properties": {
            "apiVersion": {"description": _API_VERSION, "type": "string"},
            "kind": {"description": _KIND, "type": "string"},
            "metadata": {
                "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}],
                "default": {},
                "description": "Standard object's metadata.",
            },
            "spec": {
                "allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"}],
                "default": {},
                "description": "Specification of the desired behavior of the Deployment.",
            },
            "status": {
                "allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentStatus"}],
                "default": {},
                "description": "Most recently observed status of the Deployment.",
            },
        },
        "type": "object",
        "x-kubernetes-group-version-kind": [{"group": "apps", "kind": "Deployment", "version": "v1"}],
    },
    "io.k8s.api.apps.v1.DeploymentList": {
        "description": "DeploymentList is a list of Deployments.",
        "properties": {
            "apiVersion": {"description": _API_VERSION, "type": "string"},
            "items": {
                "description": "Items is the list of Deployments.",
                "items": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.Deployment"}], "default": {}},
                "type": "array",
            },
            "kind": {"description": _KIND, "type": "string"},
            "metadata": {
                "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"}],
                "default": {},
                "description": "Standard list metadata.",
            },
        },
        "required": ["items"],
        "type": "object",
        "x-kubernetes-group-version-kind": [{"group": "apps", "kind": "DeploymentList", "version": "v1"}],
    },
    "io.k8s.api.apps.v1.DeploymentCondition": {
        "description": "DeploymentCondition describes the state of a deployment at a certain point.",
        "properties": {
            "lastTransitionTime": {
                "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}],
                "description": "Last time the condition transitioned from one status to another.",
            },
            "lastUpdateTime": {
                "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}],
                "description": "The last time this condition was updated.",
            },
            "message": {"description": "A human readable message indicating details about the transition.",
                        "type": "string"},
            "reason": {"description": "The reason for the condition's last transition.", "type": "string"},
            "status": {"default": "", "description": "Status of the condition, one of True, False, Unknown.",
                       "type": "string"},
            "type": {"default": "", "description": "Type of deployment condition.", "type": "string"},
        },
        "required": ["type", "status"],
        "type": "object",
    },
    "io.k8s.api.apps.v1.DeploymentStrategy": {
        "description": "DeploymentStrategy describes how to replace existing pods with new ones.",
        "properties": {
            "rollingUpdate": {
                "allOf": [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.RollingUpdateDeployment"}],
                "description": "Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.",
            },
            "type": {
                "description": 'Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.',
                "type": "string",
            },
        },
        "type": "object",
    },
    "io.k8s.api.apps.v1.RollingUpdateDeployment": {
        "description": "Spec to control the desired behavior of rolling update.",
        "properties": {
            "maxSurge": {
                "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString"}],
                "description": "The maximum number of pods that can be scheduled above the desired number of pods.",
            },
            "maxUnavailable": {
                "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString"}],
                "description": "The maximum number of pods that can be unavailable during the update.",
            },
        },
        "type": "object",
    },
}  # fmt: skip


def _same(served: Any, upstream: Any, path: str = "") -> None:
    """Equal, except that an upstream description given here may be the start of the served one."""
    if isinstance(upstream, dict):
        assert isinstance(served, dict) and set(served) == set(upstream), (path, sorted(served), sorted(upstream))
        for key in upstream:
            if key == "description" and isinstance(upstream[key], str):
                assert served[key].startswith(upstream[key]), f"{path}/description"
            else:
                _same(served[key], upstream[key], f"{path}/{key}")
    else:
        assert served == upstream, path


@pytest.mark.parametrize("name", sorted(UPSTREAM_APPS_V1))
def test_schema_equals_upstreams_published_v3_schema(name):
    _same(documents()["apps/v1"]["components"]["schemas"][name], UPSTREAM_APPS_V1[name], name)


def test_operations_name_and_ref_what_they_take_and_return_as_upstream():
    """Operation ids from ``endpoints/openapi/openapi.go`` (GetOperationIDAndTags), response types from
    ``installer.go``: DELETE answers a Status, or the object where the store returns it (Pods)."""
    docs = documents()
    core, apps = docs["v1"]["paths"], docs["apps/v1"]["paths"]
    item = apps["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]
    assert item["get"]["operationId"] == "readAppsV1NamespacedDeployment"
    assert item["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": SCHEMAS + "io.k8s.api.apps.v1.Deployment"
    }
    assert item["delete"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": SCHEMAS + "io.k8s.apimachinery.pkg.apis.meta.v1.Status"
    }
    assert item["put"]["requestBody"]["content"]["*/*"]["schema"] == {"$ref": SCHEMAS + "io.k8s.api.apps.v1.Deployment"}
    assert set(item["patch"]["requestBody"]["content"]) == {
        "application/apply-patch+yaml",
        "application/json-patch+json",
        "application/merge-patch+json",
        "application/strategic-merge-patch+json",
    }
    scale = apps["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]["get"]
    assert scale["operationId"] == "readAppsV1NamespacedDeploymentScale"
    assert scale["x-kubernetes-group-version-kind"] == {"group": "autoscaling", "version": "v1", "kind": "Scale"}
    assert scale["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("autoscaling.v1.Scale")
    pods = core["/api/v1/namespaces/{namespace}/pods"]
    assert pods["get"]["operationId"] == "listCoreV1NamespacedPod"
    assert pods["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("v1.PodList")
    assert pods["delete"]["operationId"] == "deleteCoreV1CollectionNamespacedPod"
    assert pods["get"]["tags"] == ["core_v1"]
    pod = core["/api/v1/namespaces/{namespace}/pods/{name}"]["delete"]
    assert pod["responses"]["202"]["content"]["application/json"]["schema"] == {
        "$ref": SCHEMAS + "io.k8s.api.core.v1.Pod"
    }
    assert core["/api/v1/pods"]["get"]["operationId"] == "listCoreV1PodForAllNamespaces"
    assert core["/api/v1/watch/namespaces/{namespace}/pods"]["get"]["operationId"] == "watchCoreV1NamespacedPodList"
    assert core["/api/v1/nodes/{name}"]["get"]["operationId"] == "readCoreV1Node"
    eviction = core["/api/v1/namespaces/{namespace}/pods/{name}/eviction"]["post"]
    assert eviction["operationId"] == "createCoreV1NamespacedPodEviction"
    assert eviction["x-kubernetes-group-version-kind"] == {"group": "policy", "version": "v1", "kind": "Eviction"}
    rbac = docs["rbac.authorization.k8s.io/v1"]["paths"]["/apis/rbac.authorization.k8s.io/v1/clusterroles"]
    assert rbac["get"]["operationId"] == "listRbacAuthorizationV1ClusterRole"
    assert rbac["get"]["tags"] == ["rbacAuthorization_v1"]


def test_hash_is_the_documents_sha512_and_changes_with_it(monkeypatch):
    """handler3: the ``serverRelativeURL`` carries the upper-case hex SHA-512 of the document, so a client's cache
    of an older document is not used for a newer one."""
    root = discovery.openapi_v3_root()
    url = root["paths"]["apis/apps/v1"]["serverRelativeURL"]
    doc = discovery.openapi_v3_document("apps", "v1")
    assert url == "/openapi/v3/apis/apps/v1?hash=" + hashlib.sha512(orjson.dumps(doc)).hexdigest().upper()
    monkeypatch.setattr(discovery, "_DOCUMENTS", {})
    monkeypatch.setattr(discovery, "SERVER_VERSION", "v1.33.99")
    changed = discovery.openapi_v3_root()["paths"]["apis/apps/v1"]["serverRelativeURL"]
    assert changed != url and changed.startswith("/openapi/v3/apis/apps/v1?hash=")


def test_documents_are_built_on_first_request_not_at_import():
    code = (
        "import k8smodel, k8smodel.serve\n"
        "from k8smodel.serve import discovery\n"
        "print(discovery._definitions.cache_info().currsize, len(discovery._DOCUMENTS))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "0"]


# --- the real kubectl ---------------------------------------------------------------------------------------------

KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"
HAVE_KUBECTL = Path(KUBECTL).exists()
if not HAVE_KUBECTL and os.environ.get("CI") == "true":
    raise RuntimeError("CI must have kubectl: /usr/bin/kubectl is missing")
needs_kubectl = pytest.mark.skipif(not HAVE_KUBECTL, reason="kubectl is not installed")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    cluster = Cluster(seed=3)
    with serve(cluster, speed=1.0) as server:
        yield server, tmp_path_factory.mktemp("explain")


def explain(served, *args: str) -> subprocess.CompletedProcess:
    server, tmp = served
    env = {**os.environ, "KUBECONFIG": str(server.kubeconfig_path), "HOME": str(tmp)}
    return subprocess.run(
        [KUBECTL, f"--cache-dir={tmp / 'cache'}", "explain", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


ROLLING_UPDATE = """\
GROUP:      apps
KIND:       Deployment
VERSION:    v1

FIELD: rollingUpdate <RollingUpdateDeployment>


DESCRIPTION:
    Rolling update config params. Present only if DeploymentStrategyType =
    RollingUpdate.
    Spec to control the desired behavior of rolling update.
~~~~
FIELDS:
  maxSurge\t<IntOrString>
    The maximum number of pods that can be scheduled above the desired number of
    pods. Value can be an absolute number (ex: 5) or a percentage of desired
    pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Absolute number is
    calculated from percentage by rounding up. Defaults to 25%. Example: when
    this is set to 30%, the new ReplicaSet can be scaled up immediately when the
    rolling update starts, such that the total number of old and new pods do not
    exceed 130% of desired pods. Once old pods have been killed, new ReplicaSet
    can be scaled up further, ensuring that total number of pods running at any
    time during the update is at most 130% of desired pods.

  maxUnavailable\t<IntOrString>
    The maximum number of pods that can be unavailable during the update. Value
    can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%).
    Absolute number is calculated from percentage by rounding down. This can not
    be 0 if MaxSurge is 0. Defaults to 25%. Example: when this is set to 30%,
    the old ReplicaSet can be scaled down to 70% of desired pods immediately
    when the rolling update starts. Once new pods are ready, old ReplicaSet can
    be scaled down further, followed by scaling up the new ReplicaSet, ensuring
    that the total number of pods available at all times during the update is at
    least 70% of desired pods.


""".replace("~~~~", "    ")  # kubectl indents the description's last, empty line


@needs_kubectl
def test_explain_a_nested_field_prints_the_field_its_type_and_its_fields(served):
    """plaintext.tmpl: the FIELD line with the type's name, the field's description followed by its type's, then
    the type's fields with their types and descriptions (wrapped at 80 columns)."""
    result = explain(served, "deployment.spec.strategy.rollingUpdate")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == ROLLING_UPDATE


@needs_kubectl
def test_explain_a_kind_prints_its_header_description_and_fields(served):
    out = explain(served, "pods").stdout
    assert out.startswith(
        "KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n"
        "    Pod is a collection of containers that can run on a host. This resource is\n"
        "    created by clients and scheduled onto hosts.\n"
    )
    fields = [line for line in out.splitlines() if line.startswith("  ") and "\t" in line]
    assert fields == [
        "  apiVersion\t<string>",
        "  kind\t<string>",
        "  metadata\t<ObjectMeta>",
        "  spec\t<PodSpec>",
        "  status\t<PodStatus>",
    ]
    hpa = explain(served, "hpa").stdout
    assert hpa.startswith("GROUP:      autoscaling\nKIND:       HorizontalPodAutoscaler\nVERSION:    v2\n\n")
    assert "  spec\t<HorizontalPodAutoscalerSpec>\n" in hpa
    svc = explain(served, "svc", "--api-version=v1").stdout
    assert svc.startswith("KIND:       Service\nVERSION:    v1\n\nDESCRIPTION:\n    Service is a named abstraction")


@needs_kubectl
def test_explain_recursive_prints_the_tree_with_required_markers(served):
    result = explain(served, "pod.spec.containers", "--recursive")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:4] == ["KIND:       Pod", "VERSION:    v1", "", "FIELD: containers <[]Container>"]
    for line in (
        "  name\t<string> -required-",
        "  image\t<string>",
        "  env\t<[]EnvVar>",
        "    name\t<string> -required-",
        "  livenessProbe\t<Probe>",
        "    httpGet\t<HTTPGetAction>",
        "      port\t<IntOrString> -required-",
        "  ports\t<[]ContainerPort>",
        "    containerPort\t<integer> -required-",
        "  resources\t<ResourceRequirements>",
        "    limits\t<map[string]Quantity>",
    ):
        assert line in lines, line


@needs_kubectl
def test_explain_a_scalar_field_and_an_unknown_one(served):
    result = explain(served, "deployment.spec.replicas")
    assert result.stdout == (
        "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n\n\n"
        "DESCRIPTION:\n    Number of desired pods. This is a pointer to distinguish between explicit\n"
        "    zero and not specified. Defaults to 1.\n    \n\n"
    )
    result = explain(served, "deployment.spec.nope")
    assert result.returncode == 1
    assert result.stderr.strip() == 'error: field "nope" does not exist'
    assert served[0].errors == []
