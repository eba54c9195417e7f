"""Fuzz of the served API (``k8smodel.serve``): 10,000 random requests, then the server must still answer and the
store must be consistent.

Issue 8's bad-input promise: malformed requests, unknown paths, unsupported patch or content types, bodies over
3 MiB, broken JSON all get a clear ``Status``, never a crashed server, and "a fuzz of 10,000 random requests leaves
the server up and the store consistent". The requests are seeded (``random.Random(SEED)``): methods (the API's,
and a few it does not serve), paths made of real and broken segments (groups, versions, resources, namespaces,
names, subresources, ``watch``, empty, ``..``, percent-escapes, very long), query strings (label and field selectors
valid and broken, resourceVersions, ``watch`` always with a ``timeoutSeconds`` that ends it at once, dryRun,
propagationPolicy, gracePeriodSeconds, includeObject), bodies (valid objects of every kind, the same objects with
a field removed or given a wrong type, JSON and strategic merge patches, JSON patches with random operations,
broken and non-UTF-8 JSON, YAML, scalars, arrays, 1 MiB and over-3-MiB bodies), content types, ``Accept``
headers (JSON, Table, protobuf only, nonsense) and credentials (the admin, a user without rights, a wrong token,
none). The simulated clock moves every 200 requests, so the controllers, the scheduler and the kubelets act on
what the fuzz created.

All requests go over one keep-alive HTTPS connection (opened again when the server closes it, as after a ``413``),
which is what kubectl does; the test measures nothing (``benchmarks/bench_serve.py --fuzz`` prints the time).

Checked afterwards: no answer was a ``500``; every error answer was a ``Status`` with the answer's code; the
server answers; every etcd key decodes to an object of the kind its prefix names, stored without a
resourceVersion; every object's resourceVersion (as ``APIServer.list`` returns it) equals its key's
``mod_revision``; and ``APIServer.list`` of each kind returns exactly the objects etcd holds.
"""

from __future__ import annotations

import copy
import http.client
import json
import os
import random
import socket
import ssl
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest

from k8smodel import Cluster
from k8smodel.api.kinds import KINDS, Kind
from k8smodel.apiserver.registry import decode
from k8smodel.serve import serve
from k8smodel.serve.routes import SUBRESOURCES as SERVED_SUBRESOURCES

SEED = 8
REQUESTS = int(os.environ.get("K8SMODEL_FUZZ_REQUESTS", "10000"))  # the issue's 10,000
TICK_EVERY = 200  # requests between two steps of the simulated clock
TICK = "2s"

MiB = 1024 * 1024


# --- the request generator ----------------------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


NAMES = ["fz-a", "fz-b", "web", "node-1", "node-2", "default", "kube-system", "fz-ns", "UPPER", "x" * 70, "a.b"]
NAMESPACES = ["default", "kube-system", "fz-ns", "missing", "UPPER", "-bad-"]
BROKEN_SEGMENTS = ["", "..", ".", "%00", "%ff", "%2F", "%zz", "ü", "a" * 300, "*", "v0", "watch", "namespaces"]
SUBRESOURCES = ["status", "scale", "binding", "eviction", "finalize", "log", "exec", "proxy", "ephemeralcontainers"]
METHODS = ["GET"] * 12 + ["POST"] * 10 + ["PUT"] * 6 + ["PATCH"] * 8 + ["DELETE"] * 5 + ["HEAD", "OPTIONS", "TRACE"]
PATCH_TYPES = ["application/merge-patch+json", "application/strategic-merge-patch+json", "application/json-patch+json"]
NON_RESOURCE_PATHS = [
    ["version"],
    ["api"],
    ["apis"],
    ["api", "v1"],
    ["apis", "apps"],
    ["apis", "apps", "v1"],
    ["apis", "nope", "v1"],
    ["openapi", "v3"],
    ["openapi", "v3", "api", "v1"],
    ["openapi", "v3", "apis", "apps", "v1"],
    ["openapi", "v3", "apis", "x"],
    ["openapi", "v2"],
    ["healthz"],
    ["livez"],
    ["metrics"],
    [],
    ["apis", "authorization.k8s.io", "v1", "selfsubjectaccessreviews"],
]
CONTENT_TYPES = [
    "application/json",
    "application/json",
    "application/json; charset=utf-8",
    "application/yaml",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/json-patch+json",
    "application/apply-patch+yaml",
    "application/vnd.kubernetes.protobuf",
    "application/cbor",
    "text/plain",
    "",
    ";;;",
    "application/json;=",
]
ACCEPTS = [
    "",
    "application/json",
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
    "application/json;as=Table;v=v1beta1;g=meta.k8s.io",
    "application/json;as=Table;v=v9;g=meta.k8s.io",
    "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io",
    "application/vnd.kubernetes.protobuf",
    "*/*",
    "text/html",
    "application/yaml",
    ";q=0,,",
]
LABEL_SELECTORS = [
    "app=web",
    "app in (web,fz)",
    "!app",
    "app",
    "app!=x,tier=a",
    "!!",
    "a=b,=",
    "x notin ()",
    "a=" + "b" * 70,
]
FIELD_SELECTORS = [
    "metadata.name=fz-a",
    "metadata.namespace=default",
    "spec.nodeName=node-1",
    "status.phase!=Running",
    "spec.nodeName=",
    "bogus=1",
    "metadata.name",
    "involvedObject.name=web",
    "=",
]
RESOURCE_VERSIONS = ["", "0", "1", "-1", "abc", "99999999999", "18446744073709551616", "1.5"]
# Every one of these ends a watch at once or is refused (a watch never outlives its request here).
TIMEOUTS = ["0", "-1", "abc", "1.5", "0x10"]
WRONG_VALUES: list[Any] = [
    None,
    True,
    -1,
    0,
    2**31,
    2**63,
    2**70,
    1.5,
    float("1e308"),
    "",
    "x",
    "1Gi",
    "-5",
    [],
    [1, "a", None],
    {},
    {"a": {"b": [None]}},
    "é" * 10,
    "\x00",
]


def _pod(name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "fz"}},
        "spec": {
            "containers": [
                {
                    "name": "c",
                    "image": "nginx:1.27",
                    "ports": [{"containerPort": 80}],
                    "env": [{"name": "A", "value": "1"}],
                    "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}},
                }
            ]
        },
    }


def _template() -> dict:
    return {"metadata": {"labels": {"app": "fz"}}, "spec": _pod("")["spec"]}


def valid_object(kind: str, name: str) -> dict:
    """A valid object of ``kind`` (small: at most 2 replicas, so the controllers' work stays small)."""
    selector = {"matchLabels": {"app": "fz"}}
    objects: dict[str, dict] = {
        "Pod": _pod(name),
        "Deployment": {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name},
            "spec": {"replicas": 2, "selector": selector, "template": _template()},
        },
        "ReplicaSet": {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": name},
            "spec": {"replicas": 1, "selector": selector, "template": _template()},
        },
        "Service": {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name},
            "spec": {"selector": {"app": "fz"}, "ports": [{"port": 80, "targetPort": 80}]},
        },
        "ConfigMap": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}},
        "ServiceAccount": {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}},
        "Namespace": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}},
        "Node": {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": name, "labels": {"zone": "a"}},
            "spec": {"unschedulable": True},
        },
        "Event": {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name},
            "involvedObject": {"kind": "Pod", "name": "fz-a", "namespace": "default"},
            "reason": "Fuzz",
            "message": "fuzz",
            "type": "Normal",
        },
        "HorizontalPodAutoscaler": {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": name},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                "minReplicas": 1,
                "maxReplicas": 2,
            },
        },
        "Lease": {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": name},
            "spec": {"holderIdentity": "fz", "leaseDurationSeconds": 40},
        },
        "Role": {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": name},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}],
        },
        "RoleBinding": {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": name},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
            "subjects": [{"kind": "User", "name": "alice", "apiGroup": "rbac.authorization.k8s.io"}],
        },
        "ClusterRole": {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": {"name": name},
            "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}],
        },
        "ClusterRoleBinding": {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": name},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
            "subjects": [{"kind": "User", "name": "alice", "apiGroup": "rbac.authorization.k8s.io"}],
        },
        "PriorityClass": {
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": name},
            "value": 1000,
        },
        "EndpointSlice": {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {"name": name},
            "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.0.0.1"]}],
            "ports": [{"port": 80}],
        },
    }
    return objects[kind]


def _paths_in(doc: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (a tuple of keys and indexes) into ``doc``."""
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths_in(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths_in(v, (*prefix, i))
    return out


def mutate(rng: random.Random, doc: Any) -> Any:
    """``doc`` with one to three places removed, replaced by a wrong value, or given an unknown field."""
    doc = copy.deepcopy(doc)
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths_in(doc) if p]
        if not paths:
            return rng.choice(WRONG_VALUES)
        path = rng.choice(paths)
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        action = rng.random()
        if action < 0.3 and isinstance(parent, dict):
            del parent[last]
        elif action < 0.4 and isinstance(parent, dict):
            parent[f"bogus{rng.randint(0, 9)}"] = rng.choice(WRONG_VALUES)
        elif action < 0.45 and isinstance(parent, dict):
            parent["$patch"] = rng.choice(["replace", "delete", "merge", "x"])
        else:
            parent[last] = copy.deepcopy(rng.choice(WRONG_VALUES))
    return doc


def json_patch_ops(rng: random.Random, target: dict) -> list:
    paths = ["/" + "/".join(str(s).replace("~", "~0").replace("/", "~1") for s in p) for p in _paths_in(target)]
    paths += ["/nope/x", "/metadata/labels/new", "/spec/containers/-", "/spec/containers/9", "", "bad", "/~2"]
    ops = []
    for _ in range(rng.randint(1, 4)):
        op: dict[str, Any] = {"op": rng.choice(["add", "remove", "replace", "move", "copy", "test", "bogus"])}
        op["path"] = rng.choice(paths)
        if rng.random() < 0.8:
            op["value"] = copy.deepcopy(rng.choice([*WRONG_VALUES, "fz", {"app": "fz"}]))
        if op["op"] in ("move", "copy") or rng.random() < 0.1:
            op["from"] = rng.choice(paths)
        if rng.random() < 0.05:
            del op["path"]
        ops.append(op)
    return ops


class Fuzzer:
    """Random requests from one seeded ``random.Random``."""

    def __init__(self, rng: random.Random, tokens: list[str | None]) -> None:
        self.rng = rng
        self.tokens = tokens
        self.names_in_use: list[tuple[Kind, str, str]] = []  # what a create may have made (a real target)

    def kind(self) -> Kind:
        return self.rng.choice(KINDS)

    def resource_path(self, kind: Kind, namespace: str | None, name: str | None, sub: str | None) -> list[str]:
        rng = self.rng
        base = ["api", kind.version] if not kind.group else ["apis", kind.group, kind.version]
        if rng.random() < 0.03:
            base = ["watch", *base] if rng.random() < 0.5 else [*base, "watch"]
        segments = list(base)
        if namespace is not None:
            segments += ["namespaces", namespace]
        segments.append(kind.resource)
        if name is not None:
            segments.append(name)
            if sub is not None:
                segments.append(sub)
        return segments

    def path(self, method: str) -> tuple[list[str], Kind | None, str]:
        """A path's segments, the kind it names (``None`` off the resource tree) and the name a body should carry."""
        rng = self.rng
        if rng.random() < 0.05:  # discovery, OpenAPI, health, and what is near them
            return rng.choice(NON_RESOURCE_PATHS), None, rng.choice(NAMES)
        kind = self.kind()
        if self.names_in_use and rng.random() < 0.4:
            kind, ns, name = rng.choice(self.names_in_use)
            namespace: str | None = ns if kind.namespaced else None
        else:
            namespace = rng.choice(NAMESPACES[:3]) if rng.random() < 0.8 else rng.choice(NAMESPACES)
            if not kind.namespaced and rng.random() < 0.95:
                namespace = None
            elif kind.namespaced and rng.random() < 0.05:
                namespace = None  # across all namespaces
            name = rng.choice(NAMES[:3]) if rng.random() < 0.7 else rng.choice(NAMES)
        has_name = rng.random() < (0.15 if method == "POST" else 0.5 if method in ("GET", "HEAD") else 0.9)
        sub = None
        if has_name and rng.random() < 0.25:
            own = list(SERVED_SUBRESOURCES.get(kind.kind, {}))
            sub = rng.choice(own) if own and rng.random() < 0.8 else rng.choice(SUBRESOURCES)
        segments = self.resource_path(kind, namespace, name if has_name else None, sub)
        if rng.random() < 0.08:  # break it: replace, insert or drop a segment
            i = rng.randrange(len(segments) + 1)
            how = rng.random()
            if how < 0.4 and i < len(segments):
                segments[i] = rng.choice(BROKEN_SEGMENTS)
            elif how < 0.8:
                segments.insert(i, rng.choice(BROKEN_SEGMENTS))
            elif segments:
                del segments[min(i, len(segments) - 1)]
        return segments, kind, name

    def query(self) -> str:
        rng = self.rng
        params: list[tuple[str, str]] = []
        if rng.random() < 0.25:
            params.append(("labelSelector", rng.choice(LABEL_SELECTORS)))
        if rng.random() < 0.2:
            params.append(("fieldSelector", rng.choice(FIELD_SELECTORS)))
        if rng.random() < 0.2:
            params.append(("resourceVersion", rng.choice(RESOURCE_VERSIONS)))
        if rng.random() < 0.1:
            params.append(("dryRun", rng.choice(["All", "all", "", "x"])))
        if rng.random() < 0.1:
            params.append(("propagationPolicy", rng.choice(["Foreground", "Background", "Orphan", "x", ""])))
        if rng.random() < 0.1:
            params.append(("gracePeriodSeconds", rng.choice(["0", "30", "-1", "x", "1e3", ""])))
        if rng.random() < 0.08:
            params.append(("includeObject", rng.choice(["Object", "None", "Metadata", "x", ""])))
        if rng.random() < 0.05:
            params.append(("fieldValidation", rng.choice(["Strict", "Warn", "Ignore", "x"])))
        if rng.random() < 0.05:
            params.append(("limit", rng.choice(["1", "0", "-1", "x"])))
        if rng.random() < 0.15:
            params.append(("watch", rng.choice(["true", "1", "false", "x"])))
        if rng.random() < 0.03:
            params.append((rng.choice(BROKEN_SEGMENTS), rng.choice(BROKEN_SEGMENTS)))
        rng.shuffle(params)
        # Every request ends with a timeoutSeconds that ends a watch at once (the server reads the last value).
        params.append(("timeoutSeconds", rng.choice(TIMEOUTS)))
        text = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params)
        if rng.random() < 0.03:
            text = rng.choice(["%zz=1&", "&&=&", "a=%ff&", "=&"]) + text
        return text

    def body(self, method: str, kind: Kind | None, name: str, ctype: str) -> bytes | None:
        rng = self.rng
        r = rng.random()
        if r < 0.003:
            return b"{" + b'"a":"' + b"x" * (3 * MiB + rng.randint(1, 4096)) + b'"}'  # over the 3 MiB limit
        if r < 0.008:
            obj = valid_object(kind.kind if kind else "ConfigMap", name)
            obj.setdefault("metadata", {})["annotations"] = {"big": "x" * MiB}  # under the limit, over 256 KiB
            return json.dumps(obj).encode()
        if r < 0.10:
            return rng.choice(
                [
                    b"",
                    b"{",
                    b"}",
                    b"null",
                    b"[]",
                    b"0",
                    b'"str"',
                    b"\xff\xfe\x00",
                    b'{"a":1,"a":2}',
                    b'{"kind":"Pod"}',
                    b'{"apiVersion":"v1"}',
                    b'{"metadata":null}',
                    b'{"metadata":{"name":null}}',
                    b"[" * 5000 + b"]" * 5000,
                    b'{"spec":' * 300 + b"{}" + b"}" * 300,
                    b"kind: Pod\nmetadata: {name: y}\n",
                    b"- a\n- b\n",
                    b"!!python/object:os.system 'true'",
                    b'{"n": 1e999}',
                    b'{"n": NaN}',
                ]
            )
        obj = valid_object(kind.kind if kind else "ConfigMap", name)
        if ctype == "application/json-patch+json" or (method == "PATCH" and rng.random() < 0.2):
            return json.dumps(json_patch_ops(rng, obj)).encode()
        if method == "PATCH":
            patch = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind") and rng.random() < 0.7}
            if rng.random() < 0.5:
                patch = mutate(rng, patch)
            return json.dumps(patch).encode()
        if rng.random() < 0.5:
            obj = mutate(rng, obj)
        if ctype == "application/yaml" and rng.random() < 0.5:
            import yaml

            return yaml.safe_dump(obj).encode()
        return json.dumps(obj).encode()

    def request(self) -> Request:
        rng = self.rng
        method = rng.choice(METHODS)
        segments, kind, name = self.path(method)
        path = "/" + "/".join(quote(s, safe="%") for s in segments)
        if rng.random() < 0.05:
            path += "/"
        if rng.random() < 0.85 or "watch" in segments:  # a /watch/ path needs its timeoutSeconds
            path += "?" + self.query()
        headers: dict[str, str] = {}
        token = rng.choice(self.tokens)
        if token is not None:
            headers["Authorization"] = token
        accept = rng.choice(ACCEPTS) if rng.random() < 0.2 else rng.choice(ACCEPTS[:3])
        if accept:
            headers["Accept"] = accept
        body = None
        if method in ("POST", "PUT", "PATCH") or (method == "DELETE" and rng.random() < 0.3):
            ctype = rng.choice(CONTENT_TYPES)
            if rng.random() < 0.75:  # mostly what a client sends
                ctype = rng.choice(PATCH_TYPES) if method == "PATCH" else "application/json"
            if method == "DELETE":
                options: Any = {
                    "kind": "DeleteOptions",
                    "apiVersion": "v1",
                    "propagationPolicy": rng.choice(["Foreground", "Background", "Orphan", "x"]),
                }
                if rng.random() < 0.5:
                    options = mutate(rng, options)
                body = json.dumps(options).encode()
            else:
                body = self.body(method, kind, name, ctype)
            if ctype:
                headers["Content-Type"] = ctype
            if method == "POST" and kind is not None and segments and segments[-1] == kind.resource:
                self._remember(kind, segments, body)
        elif rng.random() < 0.02:
            body = b'{"x":1}'
        return Request(method, path, headers, body)

    def _remember(self, kind: Kind, segments: list[str], body: bytes | None) -> None:
        try:
            doc = json.loads(body or b"")
            name = doc["metadata"]["name"]
        except (ValueError, KeyError, TypeError, RecursionError):
            return
        ns = segments[segments.index("namespaces") + 1] if "namespaces" in segments[:-2] else "default"
        if isinstance(name, str) and name and len(self.names_in_use) < 200:
            self.names_in_use.append((kind, ns, name))


# --- one keep-alive connection --------------------------------------------------------------------------------------


class Connection:
    """One HTTPS keep-alive connection, opened again whenever the server closed it (``Connection: close``)."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.context = server.ssl_context()
        self.conn: http.client.HTTPSConnection | None = None
        self.opened = 0

    def _open(self) -> http.client.HTTPSConnection:
        if self.conn is None:
            self.conn = http.client.HTTPSConnection(
                self.server.host, self.server.port, timeout=30, context=self.context
            )
            self.opened += 1
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def send(self, req: Request) -> tuple[int, str, bytes]:
        for attempt in range(2):
            conn = self._open()
            try:
                conn.putrequest(req.method, req.path, skip_accept_encoding=True)
                for k, v in req.headers.items():
                    conn.putheader(k, v)
                if req.body is not None:
                    conn.putheader("Content-Length", str(len(req.body)))
                conn.endheaders(req.body)
                resp = conn.getresponse()
                data = resp.read()
                if resp.will_close:
                    self.close()
                return resp.status, resp.getheader("Content-Type") or "", data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError, ssl.SSLEOFError):
                # The server closed a kept-alive connection between two requests (it may, as any HTTP server);
                # once is fine, twice in a row for the same request is not.
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")


# --- the store's consistency --------------------------------------------------------------------------------------


def store_problems(cluster: Any) -> list[str]:
    """What is inconsistent between etcd and the API server's view of it (empty: nothing)."""
    problems: list[str] = []
    store, api = cluster.etcd, cluster.api
    prefixes = sorted(((k.prefix(), k) for k in KINDS), key=lambda p: -len(p[0]))
    in_etcd: dict[str, dict[str, int]] = {k.kind: {} for k in KINDS}
    for kv in store.range("").kvs:
        kind = next((k for prefix, k in prefixes if kv.key.startswith(prefix)), None)
        if kind is None:
            problems.append(f"{kv.key}: no kind has this prefix")
            continue
        try:
            raw = json.loads(kv.value)
        except ValueError as err:
            problems.append(f"{kv.key}: does not decode: {err}")
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("metadata"), dict):
            problems.append(f"{kv.key}: not an object with metadata")
            continue
        if "resourceVersion" in raw["metadata"]:
            problems.append(f"{kv.key}: stored with a resourceVersion")
        if (raw.get("apiVersion"), raw.get("kind")) != (kind.api_version, kind.kind):
            problems.append(f"{kv.key}: holds {raw.get('apiVersion')}/{raw.get('kind')}, not {kind.kind}")
        rest = kv.key[len(kind.prefix()) :].split("/")
        meta = raw["metadata"]
        expected = [meta.get("namespace"), meta.get("name")] if kind.namespaced else [meta.get("name")]
        if rest != expected:
            problems.append(f"{kv.key}: names {expected}")
        in_etcd[kind.kind][kv.key] = kv.mod_revision
    for kind in KINDS:
        items, rv = api.list(kind)
        if int(rv) != store.revision:
            problems.append(f"list {kind.resource}: resourceVersion {rv}, etcd is at {store.revision}")
        listed: dict[str, int] = {}
        for item in items:
            meta = item["metadata"]
            key = kind.key(meta["name"], meta.get("namespace") if kind.namespaced else None)
            listed[key] = int(meta["resourceVersion"])
            kv = store.get(key)
            if kv is None:
                problems.append(f"list {kind.resource}: {key} is not in etcd")
            elif item != decode(kv.value, kv.mod_revision):
                problems.append(f"list {kind.resource}: {key} differs from etcd")
        if listed != in_etcd[kind.kind]:
            problems.append(
                f"list {kind.resource}: {sorted(listed.items())} but etcd holds {sorted(in_etcd[kind.kind].items())}"
            )
    return problems


# --- the test -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served():
    cluster = Cluster(seed=SEED)
    cluster.add_nodes(2, cpu="4", memory="16Gi")
    cluster.apply(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        "    spec: {containers: [{name: nginx, image: 'nginx:1.27'}]}\n"
    )
    with serve(cluster, speed=0) as server:
        server.run_for("30s")
        server.add_user("alice")
        yield server


def is_status(body: bytes, code: int) -> bool:
    try:
        doc = json.loads(body)
    except ValueError:
        return False
    return isinstance(doc, dict) and doc.get("kind") == "Status" and doc.get("code") == code


def test_ten_thousand_random_requests_leave_the_server_up_and_the_store_consistent(served):
    rng = random.Random(SEED)
    tokens: list[str | None] = [f"Bearer {served.token}"] * 30 + [
        f"Bearer {served._users['alice']}",
        "Bearer wrong",
        "Basic YWRtaW46YWRtaW4=",
        "Bearer",
        None,
    ]
    fuzz = Fuzzer(rng, tokens)
    conn = Connection(served)
    codes: dict[int, int] = {}
    server_errors: list[str] = []
    not_status: list[str] = []
    for i in range(REQUESTS):
        req = fuzz.request()
        status, ctype, body = conn.send(req)
        codes[status] = codes.get(status, 0) + 1
        where = f"#{i} {req.method} {req.path[:200]} ({req.headers.get('Content-Type')}): {status} {body[:300]!r}"
        if status >= 500:
            server_errors.append(where)
        if status >= 400 and req.method != "HEAD" and not is_status(body, status):
            not_status.append(where)
        if status < 300 and req.method != "HEAD" and ctype.startswith("application/json"):
            lines = body.splitlines()  # a success is JSON; a watch is JSON lines (here none or a few)
            assert lines or "watch" in req.path, where
            for line in lines:
                json.loads(line)
        if i % TICK_EVERY == TICK_EVERY - 1:
            served.run_for(TICK)  # the controllers, the scheduler and the kubelets act on what the fuzz made
    conn.close()
    assert server_errors == [], "\n".join(server_errors[:20])
    assert not_status == [], "\n".join(not_status[:20])
    assert served.errors == []
    assert codes.get(200, 0) + codes.get(201, 0) > REQUESTS // 20, codes  # the fuzz reached the store too
    # the server still answers, and the cluster still runs
    after = Connection(served)
    status, _, body = after.send(Request("GET", "/version", {"Authorization": f"Bearer {served.token}"}))
    assert status == 200 and json.loads(body)["major"] == "1"
    status, _, body = after.send(
        Request("GET", "/apis/apps/v1/namespaces/default/deployments/web", {"Authorization": f"Bearer {served.token}"})
    )
    assert status in (200, 404)
    after.close()
    served.run_for("1m")
    with served.locked() as cluster:
        assert store_problems(cluster) == []


def test_malformed_http_gets_an_answer_and_the_server_lives_on(served):
    """Requests that are not well-formed HTTP: the standard library's parser answers them (as Go's net/http
    answers ``400 Bad Request`` before the API server's handlers), and the next request is served."""
    raw_requests = [
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
        b"GET /version HTTP/1.1\r\n" + b"X: " + b"y" * 70000 + b"\r\n\r\n",
        b"POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nContent-Length: x\r\n\r\n{}",
        b"POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        b"POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"2\r\n{}\r\n0\r\n\r\n",
        b"FOO /api/v1/pods HTTP/1.1\r\n\r\n",
        b"GET /api/v1/pods HTTP/1.1\r\nAuthorization: Bearer \x00\r\n\r\n",
        b"\x16\x03\x01\x00\x05hello",
    ]
    for raw in raw_requests * 2:
        with (
            socket.create_connection((served.host, served.port), timeout=10) as sock,
            served.ssl_context().wrap_socket(sock, server_hostname=served.host) as tls,
        ):
            tls.sendall(raw)
            tls.settimeout(1)  # a request line never finished gets no answer: the server waits for the rest
            got = b""
            try:
                while chunk := tls.recv(65536):
                    got += chunk
                    if b"\r\n\r\n" in got:
                        break
            except (ssl.SSLError, OSError):
                pass
        if got.startswith(b"{"):  # a request line the parser could not take is answered the HTTP/0.9 way: no head
            assert json.loads(got)["kind"] == "Status", got[:300]
        elif got:
            assert got.startswith(b"HTTP/1."), got[:100]
            code = int(got.split(b" ", 2)[1])
            assert code < 500 or code == 505, got[:300]  # 505: HTTP version not supported
            assert b"Content-Type: application/json" in got.split(b"\r\n\r\n")[0], got[:300]  # a Status
    status, _, _ = Connection(served).send(Request("GET", "/version", {"Authorization": f"Bearer {served.token}"}))
    assert status == 200
    assert served.errors == []
