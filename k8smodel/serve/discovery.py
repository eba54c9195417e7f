"""API discovery and the OpenAPI documents: how kubectl learns what the server serves.

Before anything else kubectl reads ``/api`` and ``/apis`` and then each group version (``/api/v1``,
``/apis/apps/v1``) to map what the user typed (``deploy``, ``po``) to a resource and its URL, and to find the
``all`` category. Upstream: ``staging/src/k8s.io/apiserver/pkg/endpoints/discovery/`` (``legacy.go``,
``root.go``, ``group.go``, ``version.go``) and the types of ``staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/
types.go`` (``APIVersions``, ``APIGroupList``, ``APIResourceList``). kubectl v1.32 asks for the aggregated
discovery document (``Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList``) first;
a server that answers with plain ``application/json`` is read the legacy way, one group version at a time, which
is what this module serves.

``/openapi/v3`` lists one document per group version (``staging/src/k8s.io/kube-openapi/pkg/handler3``:
``{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}}}``, the hash being the upper-case
hex SHA-512 of the document, by which clients cache it). Each document is what ``kube-apiserver`` builds for the
group version (``staging/src/k8s.io/apiserver/pkg/endpoints/installer.go`` registers every route with its request
and response types, ``endpoints/openapi/openapi.go`` names the operations, ``kube-openapi/pkg/builder3`` writes
them): every path of every kind the model serves (collection, item, subresources, the deprecated ``/watch/``
paths, the list across namespaces), each operation with upstream's ``operationId``
(``readAppsV1NamespacedDeployment``), tag, ``x-kubernetes-action``, ``x-kubernetes-group-version-kind``, query
parameters, request body and responses ``$ref``-ing the schema they carry; and ``components.schemas``: the
schemas of the kinds, their lists, the subresources' kinds (``Scale``, ``Binding``, ``Eviction``) and the meta
types the operations use (``Status``, ``DeleteOptions``, ``WatchEvent``, ``Patch``, ``APIResourceList``), with
every schema they reference, transitively, and no other. Three clients read them:

* ``kubectl explain`` (``staging/src/k8s.io/kubectl/pkg/explain/v2``): finds the kind's GVK on an operation of
  its path, then the schema carrying that GVK, and renders it with ``templates/plaintext.tmpl`` (descriptions,
  ``<type>`` guessed from ``type``/``items``/``additionalProperties``/``allOf``/``$ref``, ``-required-``);
* ``kubectl apply``, ``create``, ``replace``, ``edit`` ask whether the kind's ``PATCH`` takes ``fieldValidation``
  (``staging/src/k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go``): it does, so kubectl sends
  ``fieldValidation=Strict`` and leaves validation to the server;
* ``kubectl apply`` computes its three-way strategic merge patch from the kind's schema
  (``staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go``, ``buildStrategicMergePatchFromOpenAPIV3``): the
  ``x-kubernetes-patch-merge-key`` and ``x-kubernetes-patch-strategy`` of the published definitions.

The schemas come from the published definitions of Kubernetes :data:`SERVER_VERSION` that the
``kubernetes-validate`` package ships (``kubernetes-json-schema/v1.33.0-local/_definitions.json``, upstream's
OpenAPI definitions made into JSON Schema), converted back to the form ``kube-apiserver`` serves
(:class:`_Converter`): ``type`` narrowed from ``["string", "null"]`` to ``"string"``, ``$ref`` to
``#/components/schemas/...``, a ``$ref`` with siblings (a description) wrapped as ``allOf: [{$ref}]`` (which is
what makes ``kubectl explain`` print a field's description above its type's), kubernetes-validate's ``enum`` on
``apiVersion``/``kind`` dropped, ``IntOrString`` and ``Quantity`` written as upstream does (``oneOf`` of their
``OpenAPIV3OneOfTypes``, with their descriptions), ``"default": {}`` on list items and on ``metadata``/``spec``/
``status`` and a zero ``default`` on required scalars, as openapi-gen gives non-pointer fields. Converting, rather
than shipping upstream's documents, because the package is already a dependency and carries the v1.33 text, while
upstream's documents are several megabytes per group version (``api__v1_openapi.json`` alone) and exist here only
through the search tool, at another release. The documents are built on the first request (about 20 ms for all
seven, 60-450 KiB each) and kept.

What the model leaves out: aggregated discovery (``apidiscovery.k8s.io/v2``); ``storageVersionHash``; the
OpenAPI v2 document (``/openapi/v2``, which kubectl asks for in protobuf: answered ``404``; kubectl v1.32 needs it
only for ``kubectl explain --output=plaintext-openapiv2``, and ``apply`` falls back to it only when v3 has no
schema); the ``/openapi/v3`` entries of the
non-resource paths (``version``, ``apis``, ``.well-known``...) and of ``authorization.k8s.io/v1``; the ``ETag``
and ``Cache-Control`` headers ``handler3`` sends. In the schemas: ``enum`` values and the "Possible enum values"
paragraphs a running v1.33 server adds to enum-typed fields (its ``OpenAPIEnums`` feature is on by default, but
the published definitions are generated with ``OpenAPIEnums=false``, ``hack/update-openapi-spec.sh``), so
``kubectl explain`` prints no ``ENUM:``/``enum:`` lines; ``"default": {}`` on the other non-pointer struct fields
(``DeploymentSpec.template``, ``strategy``, ...) and ``+default`` markers (``ContainerPort.protocol: TCP``), which
the published definitions do not record (kubectl reads no ``default``). Responses list JSON and YAML only (no protobuf
or CBOR, which the model does not serve).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import threading
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
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
    """The model's kinds' group versions, ``authorization.k8s.io/v1`` and ``authentication.k8s.io/v1``
    (the reviews of ``access.py``)."""
    return [*group_versions(), (access.GROUP, access.VERSION), (access.AUTHN_GROUP, access.VERSION)]


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
    if group in (access.GROUP, access.AUTHN_GROUP) and version == access.VERSION:
        return {
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": f"{group}/{version}",
            "resources": access.api_resources(group),
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
#
# Upstream builds one OpenAPI v3 document per group version from the routes the API server installs
# (staging/src/k8s.io/apiserver/pkg/endpoints/installer.go registers each route with its request and response
# types; staging/src/k8s.io/apiserver/pkg/endpoints/openapi/openapi.go names the operations, GetOperationIDAndTags;
# staging/src/k8s.io/kube-openapi/pkg/builder3 turns the routes into paths and collects every schema the paths
# reference, transitively, into components.schemas; pkg/handler3 serves the document and its hash).

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
    "container": "The container for which to stream logs.",
    "follow": "Follow the log stream of the pod.",
    "previous": "Return previous terminated container logs.",
    "tailLines": "If set, the number of lines from the end of the logs to show.",
}
_TYPED = {
    "watch": "boolean",
    "timeoutSeconds": "integer",
    "gracePeriodSeconds": "integer",
    "force": "boolean",
    "follow": "boolean",
    "previous": "boolean",
    "tailLines": "integer",
}
_WRITE = ["dryRun", "fieldManager", "fieldValidation"]
_UPDATED = (("200", "OK"), ("201", "Created"))
_LIST = ["labelSelector", "fieldSelector", "resourceVersion", "timeoutSeconds", "watch"]

_SCHEMAS = "#/components/schemas/"
_META = "io.k8s.apimachinery.pkg.apis.meta.v1."
_STATUS = _META + "Status"
_DELETE_OPTIONS = _META + "DeleteOptions"
_WATCH_EVENT = _META + "WatchEvent"
_PATCH = _META + "Patch"
_RESOURCE_LIST = _META + "APIResourceList"
_PATCH_TYPES = (
    "application/apply-patch+yaml",
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
)
# Stores with ReturnDeletedObject (pkg/registry/core/pod/storage/storage.go, .../service/storage/storage.go): their
# DELETE answers the object, every other DELETE a Status (installer.go, deleteReturnType).
_RETURNS_DELETED_OBJECT = {"Pod", "Service"}
# The kinds a subresource reads and writes when it is not its parent's (installer.go takes them from the
# subresource's storage: the Scale of ScaleREST, the Binding of BindingREST, the Eviction of EvictionREST).
_SUBRESOURCE_GVK = {
    "scale": ("autoscaling", "v1", "Scale"),
    "binding": ("", "v1", "Binding"),
    "eviction": ("policy", "v1", "Eviction"),
}
_SUBRESOURCE_DOC = {"status": "status of", "scale": "scale of", "log": "log of", "finalize": "finalize of"}


def _param(name: str, where: str = "query") -> Obj:
    param: Obj = {"name": name, "in": where, "schema": {"type": _TYPED.get(name, "string"), "uniqueItems": True}}
    if where == "path":
        param["required"] = True
        param["description"] = f"{name} of the resource" if name == "name" else "object name and auth scope"
    else:
        param["description"] = _QUERY.get(name, name)
    return param


def _camel(text: str, capitalize: bool) -> str:
    """``ToValidOperationID`` (``endpoints/openapi/openapi.go``): drop each non-alphanumeric character and
    capitalize the letter after it (``rbac.authorization`` -> ``rbacAuthorization``)."""
    out: list[str] = []
    upper = capitalize
    for ch in text:
        if not ch.isalnum():
            upper = True
            continue
        out.append(ch.upper() if upper else ch)
        upper = False
    return "".join(out)


def _group_camel(group: str) -> str:
    return _camel((group or "core").removesuffix(".k8s.io"), True)


def _tag(group: str, version: str) -> str:
    """The operation's tag: ``apps_v1``, ``core_v1``, ``rbacAuthorization_v1`` (``GetOperationIDAndTags``)."""
    return f"{_camel((group or 'core').removesuffix('.k8s.io'), False)}_{version}"


def _body(schema: Obj, media: tuple[str, ...] = ("application/json", "application/yaml")) -> Obj:
    return {m: {"schema": schema} for m in media}


def _ref(name: str) -> Obj:
    return {"$ref": _SCHEMAS + name}


def _operation(
    kind: Kind,
    verb: str,
    action: str,
    params: list[str],
    definition: str,
    *,
    sub: str = "",
    request: Obj | None = None,
    codes: tuple[tuple[str, str], ...] = (("200", "OK"),),
    response: Obj | None = None,
    media: tuple[str, ...] = ("application/json", "application/yaml"),
    suffix: str = "",
    all_namespaces: bool = False,
) -> Obj:
    """One operation as ``installer.go`` registers it and ``builder3`` writes it: its id, parameters, request body,
    responses (each ``$ref``-ing the schema it returns), tag and the kind's ``x-kubernetes-group-version-kind``."""
    group, version, gvk_kind = kind.group, kind.version, kind.kind
    if sub in _SUBRESOURCE_GVK:
        group, version, gvk_kind = _SUBRESOURCE_GVK[sub]
    namespaced = "Namespaced" if kind.namespaced and not all_namespaces else ""
    name = f"{namespaced}{kind.kind}{sub.title()}{suffix}{'ForAllNamespaces' if all_namespaces else ''}"
    if verb == "deletecollection":
        operation_id = f"delete{_group_camel(kind.group)}{kind.version.capitalize()}Collection{name}"
    else:
        operation_id = f"{verb}{_group_camel(kind.group)}{kind.version.capitalize()}{name}"
    body = response if response is not None else _ref(definition)
    responses: Obj = {code: {"content": _body(body, media), "description": text} for code, text in codes}
    responses["401"] = {"description": "Unauthorized"}
    out: Obj = {
        "description": _describe(kind, action, sub),
        "operationId": operation_id,
        "parameters": [_param(p) for p in params],
    }
    if request is not None:
        out["requestBody"] = {"content": request, "required": True}
    out.update(
        {
            "responses": responses,
            "tags": [_tag(kind.group, kind.version)],
            "x-kubernetes-action": action,
            "x-kubernetes-group-version-kind": {"group": group, "version": version, "kind": gvk_kind},
        }
    )
    return out


def _describe(kind: Kind, action: str, sub: str) -> str:
    """The operation's description, in ``installer.go``'s words."""
    of = f"{_SUBRESOURCE_DOC[sub]} " if sub in _SUBRESOURCE_DOC else ""
    if action == "list":
        return f"list or watch objects of kind {kind.kind}"
    if action in ("watch", "watchlist"):
        what = "changes to an object" if action == "watch" else "individual changes to a list"
        return f"watch {what} of kind {kind.kind}. deprecated: use the 'watch' parameter with a list operation instead"
    if action == "post":
        return f"create {sub} of a {kind.kind}" if sub else f"create a {kind.kind}"
    if action == "deletecollection":
        return f"delete collection of {kind.kind}"
    if action == "delete":
        return f"delete a {kind.kind}"
    verb = {"get": "read", "put": "replace", "patch": "partially update"}[action]
    return f"{verb} {of}the specified {kind.kind}"


def _paths(group: str, version: str, definitions: Mapping[tuple[str, str, str], str]) -> Obj:
    """The paths of one group version: each kind's collection and item, their subresources, the deprecated watch
    paths and the cluster-wide list of a namespaced kind (``installer.go`` ``registerResourceHandlers``)."""
    kinds = kinds_of(group, version)
    base = f"/api/{version}" if not group else f"/apis/{group}/{version}"
    paths: Obj = {
        f"{base}/": {
            "get": {
                "description": "get available resources",
                "operationId": f"get{_group_camel(group)}{version.capitalize()}APIResources",
                "responses": {
                    "200": {"content": _body(_ref(_RESOURCE_LIST)), "description": "OK"},
                    "401": {"description": "Unauthorized"},
                },
                "tags": [_tag(group, version)],
            }
        }
    }
    delete_options, patch_body = _ref(_DELETE_OPTIONS), _ref(_PATCH)
    watch_media = ("application/json", "application/yaml", "application/json;stream=watch")
    for kind in kinds:
        obj = definitions[(kind.group, kind.version, kind.kind)]
        listed = definitions[(kind.group, kind.version, f"{kind.kind}List")]
        whole = {"*/*": {"schema": _ref(obj)}}
        patch = {media: {"schema": patch_body} for media in _PATCH_TYPES}
        deleted = obj if kind.kind in _RETURNS_DELETED_OBJECT else _STATUS
        ns = "namespaces/{namespace}/" if kind.namespaced else ""
        path_params = [_param("namespace", "path")] if kind.namespaced else []
        collection, item = f"{base}/{ns}{kind.resource}", f"{base}/{ns}{kind.resource}/{{name}}"
        paths[collection] = {
            "delete": _operation(
                kind,
                "deletecollection",
                "deletecollection",
                ["labelSelector", "fieldSelector", "dryRun", "gracePeriodSeconds", "propagationPolicy"],
                _STATUS,
                request={"*/*": {"schema": delete_options}},
            ),
            "get": _operation(kind, "list", "list", _LIST, listed, media=watch_media),
            "parameters": [*path_params, _param("pretty")],
            "post": _operation(
                kind,
                "create",
                "post",
                _WRITE,
                obj,
                request=whole,
                codes=(("200", "OK"), ("201", "Created"), ("202", "Accepted")),
            ),
        }
        paths[item] = {
            "delete": _operation(
                kind,
                "delete",
                "delete",
                ["dryRun", "gracePeriodSeconds", "propagationPolicy"],
                deleted,
                request={"*/*": {"schema": delete_options}},
                codes=(("200", "OK"), ("202", "Accepted")),
            ),
            "get": _operation(kind, "read", "get", [], obj),
            "parameters": [_param("name", "path"), *path_params, _param("pretty")],
            "patch": _operation(kind, "patch", "patch", [*_WRITE, "force"], obj, request=patch, codes=_UPDATED),
            "put": _operation(kind, "replace", "put", _WRITE, obj, request=whole, codes=_UPDATED),
        }
        for sub, verbs in SUBRESOURCES.get(kind.kind, {}).items():
            target = obj
            if sub in _SUBRESOURCE_GVK:
                target = definitions[_SUBRESOURCE_GVK[sub]]
            written = {"*/*": {"schema": _ref(target)}}
            ops: Obj = {}
            if sub == "log":
                ops["get"] = _operation(
                    kind,
                    "read",
                    "get",
                    ["container", "follow", "previous", "tailLines"],
                    target,
                    sub=sub,
                    response={"type": "string"},
                    media=("text/plain",),
                )
            elif "get" in verbs:
                ops["get"] = _operation(kind, "read", "get", [], target, sub=sub)
            if "patch" in verbs:
                ops["patch"] = _operation(
                    kind,
                    "patch",
                    "patch",
                    [*_WRITE, "force"],
                    target,
                    sub=sub,
                    request=patch,
                    codes=(("200", "OK"), ("201", "Created")),
                )
            if "create" in verbs:
                ops["post"] = _operation(
                    kind,
                    "create",
                    "post",
                    _WRITE,
                    target,
                    sub=sub,
                    request=written,
                    codes=(("200", "OK"), ("201", "Created"), ("202", "Accepted")),
                )
            if "update" in verbs:
                ops["put"] = _operation(
                    kind,
                    "replace",
                    "put",
                    _WRITE,
                    target,
                    sub=sub,
                    request=written,
                    codes=(("200", "OK"), ("201", "Created")),
                )
            ops["parameters"] = [_param("name", "path"), *path_params, _param("pretty")]
            paths[f"{item}/{sub}"] = dict(sorted(ops.items()))
        watch = f"{base}/watch/{ns}{kind.resource}"
        paths[watch] = {
            "get": _operation(kind, "watch", "watchlist", _LIST, _WATCH_EVENT, suffix="List", media=watch_media),
            "parameters": [*path_params, _param("pretty")],
        }
        paths[f"{watch}/{{name}}"] = {
            "get": _operation(kind, "watch", "watch", _LIST, _WATCH_EVENT, media=watch_media),
            "parameters": [_param("name", "path"), *path_params, _param("pretty")],
        }
        if kind.namespaced:
            everywhere: Any = {"media": watch_media, "all_namespaces": True}
            paths[f"{base}/{kind.resource}"] = {
                "get": _operation(kind, "list", "list", _LIST, listed, **everywhere),
                "parameters": [_param("pretty")],
            }
            paths[f"{base}/watch/{kind.resource}"] = {
                "get": _operation(kind, "watch", "watchlist", _LIST, _WATCH_EVENT, suffix="List", **everywhere),
                "parameters": [_param("pretty")],
            }
    return dict(sorted(paths.items()))


# --- components.schemas: the kinds' schemas in upstream's OpenAPI v3 form -------------------------------------

# The published definitions of Kubernetes SERVER_VERSION, as kubernetes-validate ships them (found without importing
# it, as k8smodel/api/schema.py does: its __init__ imports jsonschema, which is slow to import).
_DEFINITIONS_FILE = "_definitions.json"
_KV_REF = "#/$defs/"
_ZERO = {"string": "", "integer": 0, "number": 0, "boolean": False}
# kubernetes-validate writes these two as JSON Schema unions without descriptions; upstream's v3 document writes
# them from OpenAPIV3OneOfTypes / OpenAPISchemaFormat / the type's Go comment
# (staging/src/k8s.io/apimachinery/pkg/util/intstr/intstr.go, .../api/resource/quantity.go).
_UPSTREAM_V3: dict[str, Obj] = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {
        "description": (
            "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and "
            "unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON "
            "field that can accept a name or number."
        ),
        "format": "int-or-string",
        "oneOf": [{"type": "integer"}, {"type": "string"}],
    },
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {
        "description": (
            "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling "
            "in JSON and YAML, in addition to String() and AsInt64() accessors.\n\nThe serialization format is:\n\n"
            '``` <quantity>        ::= <signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the "" '
            "case in <decimalSI>.)\n\n<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | "
            "<digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>"
            '            ::= "+" | "-" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= '
            "<binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n\t"
            "(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n<decimalSI>"
            '       ::= m | "" | k | M | G | T | P | E\n\n\t(Note that 1024 = 1Ki but 1000 = 1k; I didn\'t choose '
            'the capitalization.)\n\n<decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber> ```\n\nNo '
            "matter which of the three exponent forms is used, no quantity may represent a number greater than "
            "2^63-1 in magnitude, nor may it have more than 3 decimal places. Numbers larger or more precise will "
            "be capped or rounded up. (E.g.: 0.1m will rounded up to 1m.) This may be extended in the future if we "
            "require larger or smaller quantities.\n\nWhen a Quantity is parsed from a string, it will remember "
            "the type of suffix it had, and will use the same type again when it is serialized.\n\nBefore "
            'serializing, Quantity will be put in "canonical form". This means that Exponent/suffix will be '
            "adjusted up or down (with a corresponding increase or decrease in Mantissa) such that:\n\n- No "
            "precision is lost - No fractional digits will be emitted - The exponent (or suffix) is as large as "
            "possible.\n\nThe sign will be omitted unless the number is negative.\n\nExamples:\n\n- 1.5 will be "
            'serialized as "1500m" - 1.5Gi will be serialized as "1536Mi"\n\nNote that the quantity will NEVER '
            "be internally represented by a floating point number. That is the whole point of this exercise.\n\n"
            "Non-canonical values will still parse as long as they are well formed, but will be re-emitted in "
            "their canonical form. (So always use canonical form, or don't diff.)\n\nThis format is intended to "
            "make it difficult to use these numbers without writing some sort of special handling code in the "
            "hopes that that will cause implementors to also use a fixed point implementation."
        ),
        "oneOf": [{"type": "string"}, {"type": "number"}],
    },
}
# Fields whose Go type is a struct, not a pointer, have "default": {} upstream (kube-openapi's openapi-gen,
# mustEnforceDefault). The published definitions do not say which fields are pointers; these three names are
# structs in every schema the model serves (ObjectMeta, ListMeta, a kind's or template's spec and status).
_STRUCT_FIELDS = frozenset({"metadata", "spec", "status"})


def _definitions_path() -> Path:
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the kubernetes-validate package (the Kubernetes OpenAPI definitions) is not installed")
    major, minor, _ = SERVER_VERSION.lstrip("v").split(".", 2)
    root = Path(next(iter(spec.submodule_search_locations))) / "kubernetes-json-schema"
    return root / f"v{major}.{minor}.0-local" / _DEFINITIONS_FILE


class _Converter:
    """kubernetes-validate's JSON Schema definitions back to the OpenAPI v3 form ``kube-apiserver`` serves.

    kubernetes-validate made upstream's definitions into JSON Schema: every ``type`` widened to ``[t, "null"]``,
    ``$ref`` as ``#/$defs/...`` with its siblings beside it, ``apiVersion`` and ``kind`` given an ``enum``. This
    undoes each change: ``type`` is ``t`` again; a ``$ref`` with siblings (a description, a patch strategy)
    becomes ``allOf: [{$ref}]`` beside them, as ``builder3`` writes it (an OpenAPI v3.0 ``$ref`` may have no
    siblings); the ``enum`` goes.
    """

    def __init__(self, defs: Mapping[str, Obj]) -> None:
        self.defs = defs
        self.seen: set[str] = set()

    def _is_object(self, name: str) -> bool:
        target = self.defs.get(name, {})
        return name not in _UPSTREAM_V3 and "object" in (target.get("type") or [])

    def definition(self, name: str) -> Obj:
        if name in _UPSTREAM_V3:
            return dict(_UPSTREAM_V3[name])
        return self.schema(self.defs[name], top=True)

    def schema(self, node: Obj, *, top: bool = False, struct: bool = False) -> Obj:
        out: Obj = {}
        ref = node.get("$ref")
        if ref is not None:
            name = ref.removeprefix(_KV_REF)
            self.seen.add(name)
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if struct and self._is_object(name):
                siblings["default"] = {}
            if not siblings:
                return {"$ref": _SCHEMAS + name}
            out["allOf"] = [{"$ref": _SCHEMAS + name}]
            node = siblings
        required = node.get("required", [])
        for key in sorted(node):
            value = node[key]
            if key == "type":
                types = [t for t in (value if isinstance(value, list) else [value]) if t != "null"]
                if types:
                    out["type"] = types[0]
            elif key == "properties":
                props: Obj = {}
                for field in sorted(value):
                    prop = self.schema(value[field], struct=field in _STRUCT_FIELDS)
                    if field in ("apiVersion", "kind") and top:
                        prop.pop("enum", None)
                    if field in required and "default" not in prop and prop.get("type") in _ZERO:
                        prop["default"] = _ZERO[prop["type"]]
                    props[field] = dict(sorted(prop.items()))
                out[key] = props
            elif key == "items" and isinstance(value, dict):
                out[key] = self.schema(value, struct=True)
            elif key == "additionalProperties" and isinstance(value, dict):
                out[key] = self.schema(value)
            elif key in ("allOf", "oneOf", "anyOf"):
                out[key] = [*out.get(key, []), *(self.schema(v) for v in value)]
            else:
                out[key] = value
        return dict(sorted(out.items()))


@functools.cache
def _definitions() -> Mapping[str, Obj]:
    """The published definitions (``$defs`` of kubernetes-validate's ``_definitions.json``), read once."""
    return MappingProxyType(orjson.loads(_definitions_path().read_bytes())["$defs"])


@functools.cache
def _definition_names() -> Mapping[tuple[str, str, str], str]:
    """``(group, version, kind)`` to the definition that carries it in ``x-kubernetes-group-version-kind``."""
    names: dict[tuple[str, str, str], str] = {}
    for name, schema in _definitions().items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            names.setdefault((gvk["group"], gvk["version"], gvk["kind"]), name)
    return MappingProxyType(names)


def _component_schemas(roots: list[str]) -> Obj:
    """The roots and every definition they reference, transitively, in upstream's v3 form, sorted by name."""
    converter = _Converter(_definitions())
    done: Obj = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in done:
            continue
        converter.seen.clear()
        done[name] = converter.definition(name)
        todo.extend(sorted(converter.seen - done.keys()))
    return dict(sorted(done.items()))


def _build_document(group: str, version: str) -> Obj | None:
    kinds = kinds_of(group, version)
    if not kinds:
        return None
    names = _definition_names()
    paths = _paths(group, version, names)
    roots = [_STATUS, _DELETE_OPTIONS, _WATCH_EVENT, _PATCH, _RESOURCE_LIST]
    for kind in kinds:
        roots += [names[(kind.group, kind.version, kind.kind)], names[(kind.group, kind.version, f"{kind.kind}List")]]
        roots += [names[_SUBRESOURCE_GVK[sub]] for sub in SUBRESOURCES.get(kind.kind, {}) if sub in _SUBRESOURCE_GVK]
    return {
        "components": {"schemas": _component_schemas(roots)},
        "info": {"title": "Kubernetes", "version": SERVER_VERSION},
        "openapi": "3.0.0",
        "paths": paths,
    }


_LOCK = threading.Lock()
_DOCUMENTS: dict[str, tuple[Obj, str]] = {}


def _cached(group: str, version: str) -> tuple[Obj, str] | None:
    """A group version's document and its hash, built on first use and kept (``handler3`` caches them too)."""
    key = _gv_path(group, version)
    with _LOCK:
        if key not in _DOCUMENTS:
            doc = _build_document(group, version)
            if doc is None:
                return None
            _DOCUMENTS[key] = (doc, hashlib.sha512(orjson.dumps(doc)).hexdigest().upper())
        return _DOCUMENTS[key]


def openapi_v3_document(group: str, version: str) -> Obj | None:
    """The OpenAPI v3 document of one group version (``None`` if the model serves none there): its paths with their
    operations, parameters and responses, and ``components.schemas``. Built on the first request and cached: the
    caller must not change it."""
    found = _cached(group, version)
    return None if found is None else found[0]


def _gv_path(group: str, version: str) -> str:
    return f"api/{version}" if not group else f"apis/{group}/{version}"


def openapi_v3_hash(group: str, version: str) -> str:
    """The hash in a document's ``serverRelativeURL`` (clients cache a document by it): the SHA-512 of its JSON in
    upper-case hex, as ``handler3`` computes it (``computeETag``)."""
    found = _cached(group, version)
    if found is None:
        raise LookupError(f"no OpenAPI document for {_gv_path(group, version)}")
    return found[1]


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
    "openapi_v3_hash",
    "openapi_v3_root",
    "version_info",
]
