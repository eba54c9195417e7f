"""API discovery and the OpenAPI documents: how kubectl learns what the server serves.

Before anything else kubectl reads ``/api`` and ``/apis`` and then each group version (``/api/v1``,
``/apis/apps/v1``) to map what the user typed (``deploy``, ``po``) to a resource and its URL, and to find the
``all`` category. Upstream: ``staging/src/k8s.io/apiserver/pkg/endpoints/discovery/`` (``legacy.go``,
``root.go``, ``group.go``, ``version.go``) and the types of ``staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/
types.go`` (``APIVersions``, ``APIGroupList``, ``APIResourceList``). kubectl v1.32 asks for the aggregated
discovery document (``Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList``) first;
a server that answers with plain ``application/json`` is read the legacy way, one group version at a time, which
is what this module serves.

``kubectl apply`` (and ``create``, ``replace``) validate with ``--validate=strict`` by default: kubectl asks the
OpenAPI v3 document of the object's group version whether the ``PATCH`` operation of that kind takes the
``fieldValidation`` query parameter (``staging/src/k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go``,
``supportsQueryParamV3``); if so it sends ``fieldValidation=Strict`` and leaves validation to the server. So
``/openapi/v3`` lists one document per group version (``staging/src/k8s.io/kube-openapi/pkg/handler3``:
``{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}}}``) and each document lists every
path with its operations, their ``x-kubernetes-group-version-kind`` and ``x-kubernetes-action``, and the query
parameters upstream declares (``fieldValidation``, ``dryRun``, ``fieldManager``, ...).

What the model leaves out: aggregated discovery (``apidiscovery.k8s.io/v2``); ``storageVersionHash``; the
OpenAPI v2 document (``/openapi/v2``, which kubectl asks for in protobuf: answered ``404``, after which kubectl
computes a strategic merge patch from its own compiled-in types, as it does for any built-in kind); the OpenAPI
v3 documents carry paths and parameters but no ``components.schemas``, so ``kubectl explain`` has nothing to show.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from k8smodel.api.kinds import Kind
from k8smodel.kubelet.node_status import KUBELET_VERSION
from k8smodel.serve import access
from k8smodel.serve.routes import SUBRESOURCES, group_versions, kinds_of

Obj = dict[str, Any]

SERVER_VERSION = KUBELET_VERSION  # the control plane runs the version its kubelets report
_ALL_CATEGORY = {"Pod", "Service", "Deployment", "ReplicaSet", "HorizontalPodAutoscaler"}  # "kubectl get all"
_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


def version_info() -> Obj:
    """``/version``: ``version.Info`` (``staging/src/k8s.io/apimachinery/pkg/version/types.go``)."""
    major, minor, _ = SERVER_VERSION.lstrip("v").split(".", 2)
    return {
        "major": major,
        "minor": minor,
        "emulationMajor": major,
        "emulationMinor": minor,
        "gitVersion": SERVER_VERSION,
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2026-01-01T00:00:00Z",
        "goVersion": "go1.24.0",
        "compiler": "gc",
        "platform": "linux/amd64",
    }


def api_versions(server_address: str) -> Obj:
    """``/api``: the legacy core group's versions."""
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    }


def _served_group_versions() -> list[tuple[str, str]]:
    """The model's kinds' group versions and ``authorization.k8s.io/v1`` (``access.py``)."""
    return [*group_versions(), (access.GROUP, access.VERSION)]


def api_group_list() -> Obj:
    """``/apis``: every named group, each with its one (preferred) version."""
    groups = []
    for group, version in _served_group_versions():
        if not group:
            continue
        gv = {"groupVersion": f"{group}/{version}", "version": version}
        groups.append({"name": group, "versions": [gv], "preferredVersion": gv})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(group: str) -> Obj | None:
    """``/apis/<group>``: one ``APIGroup``; ``None`` for a group the model does not serve."""
    for g, version in _served_group_versions():
        if g == group and group:
            gv = {"groupVersion": f"{group}/{version}", "version": version}
            return {"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": [gv], "preferredVersion": gv}
    return None


def _resource(kind: Kind) -> Obj:
    out: Obj = {
        "name": kind.resource,
        "singularName": kind.kind.lower(),
        "namespaced": kind.namespaced,
        "kind": kind.kind,
        "verbs": list(_VERBS),
    }
    if kind.short_names:
        out["shortNames"] = list(kind.short_names)
    if kind.kind in _ALL_CATEGORY:
        out["categories"] = ["all"]
    return out


def _subresource(kind: Kind, sub: str, verbs: tuple[str, ...]) -> Obj:
    out: Obj = {
        "name": f"{kind.resource}/{sub}",
        "singularName": "",
        "namespaced": kind.namespaced,
        "kind": kind.kind,
        "verbs": list(verbs),
    }
    if sub == "scale":
        out.update(group="autoscaling", version="v1", kind="Scale")
    elif sub == "binding":
        out["kind"] = "Binding"
    elif sub == "eviction":
        out.update(group="policy", version="v1", kind="Eviction")
    return out


def api_resource_list(group: str, version: str) -> Obj | None:
    """``/api/v1``, ``/apis/<group>/<version>``: the resources and subresources of one group version."""
    if (group, version) == (access.GROUP, access.VERSION):
        return {
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": f"{group}/{version}",
            "resources": [access.api_resource()],
        }
    kinds = kinds_of(group, version)
    if not kinds:
        return None
    resources = []
    for kind in sorted(kinds, key=lambda k: k.resource):
        resources.append(_resource(kind))
        for sub, verbs in sorted(SUBRESOURCES.get(kind.kind, {}).items()):
            resources.append(_subresource(kind, sub, verbs))
    gv = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}


# --- OpenAPI v3 -------------------------------------------------------------------------------------------------

_QUERY = {
    "dryRun": "When present, indicates that modifications should not be persisted. Valid value: All.",
    "fieldManager": "fieldManager is a name associated with the actor or entity that is making these changes.",
    "fieldValidation": (
        "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing "
        "unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict"
    ),
    "force": 'Force is going to "force" Apply requests.',
    "pretty": "If 'true', then the output is pretty printed.",
    "labelSelector": "A selector to restrict the list of returned objects by their labels.",
    "fieldSelector": "A selector to restrict the list of returned objects by their fields.",
    "resourceVersion": "resourceVersion sets a constraint on what resource versions a request may be served from.",
    "timeoutSeconds": "Timeout for the list/watch call.",
    "watch": "Watch for changes to the described resources and return them as a stream of add, update, and remove "
    "notifications.",
    "gracePeriodSeconds": "The duration in seconds before the object should be deleted.",
    "propagationPolicy": "Whether and how garbage collection will be performed.",
}


def _param(name: str, where: str = "query", kind: str = "string") -> Obj:
    param: Obj = {"name": name, "in": where, "schema": {"type": kind, "uniqueItems": True}}
    if where == "path":
        param["required"] = True
        param["description"] = f"{name} of the resource" if name == "name" else "object name and auth scope"
    else:
        param["description"] = _QUERY.get(name, name)
    return param


def _operation(kind: Kind, action: str, params: list[str], sub: str = "") -> Obj:
    group_kind = {"group": kind.group, "version": kind.version, "kind": kind.kind}
    if sub == "scale":
        group_kind = {"group": "autoscaling", "version": "v1", "kind": "Scale"}
    typed = {"watch": "boolean", "timeoutSeconds": "integer", "gracePeriodSeconds": "integer", "force": "boolean"}
    return {
        "operationId": f"{action}{kind.kind}{sub.title()}",
        "parameters": [_param(p, kind=typed.get(p, "string")) for p in params],
        "responses": {"200": {"description": "OK"}, "401": {"description": "Unauthorized"}},
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": group_kind,
    }


_WRITE = ["dryRun", "fieldManager", "fieldValidation"]


def openapi_v3_document(group: str, version: str) -> Obj | None:
    """The OpenAPI v3 document of one group version: its paths, their operations and query parameters."""
    kinds = kinds_of(group, version)
    if not kinds:
        return None
    base = f"/api/{version}" if not group else f"/apis/{group}/{version}"
    paths: Obj = {}
    for kind in kinds:
        scope = f"{base}/namespaces/{{namespace}}/{kind.resource}" if kind.namespaced else f"{base}/{kind.resource}"
        path_params = [_param("namespace", "path")] if kind.namespaced else []
        paths[scope] = {
            "get": _operation(
                kind, "list", ["labelSelector", "fieldSelector", "resourceVersion", "timeoutSeconds", "watch"]
            ),
            "post": _operation(kind, "post", _WRITE),
            "delete": _operation(kind, "deletecollection", ["labelSelector", "fieldSelector", "dryRun"]),
            "parameters": [*path_params, _param("pretty")],
        }
        item = f"{scope}/{{name}}"
        paths[item] = {
            "get": _operation(kind, "get", []),
            "put": _operation(kind, "put", _WRITE),
            "patch": _operation(kind, "patch", [*_WRITE, "force"]),
            "delete": _operation(kind, "delete", ["dryRun", "gracePeriodSeconds", "propagationPolicy"]),
            "parameters": [_param("name", "path"), *path_params, _param("pretty")],
        }
        for sub in SUBRESOURCES.get(kind.kind, {}):
            verbs = SUBRESOURCES[kind.kind][sub]
            ops: Obj = {}
            if "get" in verbs:
                ops["get"] = _operation(kind, "get", [], sub)
            if "update" in verbs:
                ops["put"] = _operation(kind, "put", _WRITE, sub)
            if "patch" in verbs:
                ops["patch"] = _operation(kind, "patch", [*_WRITE, "force"], sub)
            if "create" in verbs:
                ops["post"] = _operation(kind, "post", _WRITE, sub)
            ops["parameters"] = [_param("name", "path"), *path_params, _param("pretty")]
            paths[f"{item}/{sub}"] = ops
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": SERVER_VERSION},
        "paths": paths,
        "components": {"schemas": {}},
    }


def _gv_path(group: str, version: str) -> str:
    return f"api/{version}" if not group else f"apis/{group}/{version}"


_HASHES: dict[str, str] = {}


def openapi_v3_hash(group: str, version: str) -> str:
    """The hash in a document's ``serverRelativeURL`` (clients cache a document by it): SHA-512 of its JSON."""
    key = _gv_path(group, version)
    if key not in _HASHES:
        body = orjson.dumps(openapi_v3_document(group, version))
        _HASHES[key] = hashlib.sha512(body).hexdigest()[:128].upper()
    return _HASHES[key]


def openapi_v3_root() -> Obj:
    """``/openapi/v3``: where each group version's document is."""
    paths = {}
    for group, version in group_versions():
        key = _gv_path(group, version)
        paths[key] = {"serverRelativeURL": f"/openapi/v3/{key}?hash={openapi_v3_hash(group, version)}"}
    return {"paths": paths}


__all__ = [
    "SERVER_VERSION",
    "api_group",
    "api_group_list",
    "api_resource_list",
    "api_versions",
    "openapi_v3_document",
    "openapi_v3_root",
    "version_info",
]
