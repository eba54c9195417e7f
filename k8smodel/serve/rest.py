"""The REST handlers: one HTTP request in, one call of the model's API server, one JSON answer out.

Each verb does what upstream's handler of the same name does before and after storage
(``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/``: ``get.go`` (get, list, and watch from the same
``GET``), ``create.go``, ``update.go``, ``patch.go``, ``delete.go`` (delete and deletecollection)) and hands the
request to :class:`k8smodel.apiserver.APIServer` with the request's user, so authentication, RBAC, admission,
validation and etcd are the model's own. Every refusal is the ``Status`` of a
:class:`~k8smodel.api.errors.StatusError` with its HTTP code.

Decoding: a body may be JSON (``application/json``; ``application/yaml`` is taken too, as upstream does) or
protobuf (``application/vnd.kubernetes.protobuf``, what client-go's typed clients send: ``kubectl create
deployment``, ``create namespace``, ``autoscale``, ``auth can-i``...), which :func:`k8smodel.serve.protobuf.
decode_object` turns into the dict the same Go object's JSON would be, for the object bodies of create and update
and for the bodies of ``binding``, ``eviction``, ``scale`` and delete (``DeleteOptions``); a body that does not
decode is upstream's ``400``. Anything else, CBOR included, is ``415``. The result is checked strictly against the
schema (``fieldValidation=Strict``, what kubectl sends); a body whose ``apiVersion`` or ``kind`` is not the URL's
is refused (``400``); a missing one is taken from the URL. Lists come with ``metadata.resourceVersion`` and items
without ``apiVersion``/``kind``, as the API server encodes them. Answers are JSON, whatever the body was: every
client that sends protobuf also accepts JSON.

Subresources: ``status`` (get, update, patch), ``scale`` of Deployments and ReplicaSets (an ``autoscaling/v1``
``Scale``, ``pkg/registry/apps/deployment/storage/storage.go`` ``ScaleREST``), ``binding`` and ``eviction`` of
Pods (``201`` and a ``Success`` Status), a Namespace's ``finalize``, and a Pod's ``log`` (:mod:`k8smodel.serve.logs`:
the API server asks the node's kubelet, here through the cluster).

What the model leaves out: ``fieldValidation`` other than ``Strict``; server-side apply
(``application/apply-patch+yaml`` gets ``415``); ``limit``/``continue`` (a list is one page); reads at an older
``resourceVersion``; ``managedFields``; protobuf and CBOR answers (a client that accepts nothing but
``application/vnd.kubernetes.protobuf`` gets ``406``), CBOR bodies (``415``, as upstream without the
``CBORServingAndStorage`` feature); ``exec``, ``attach``, ``portforward``, ``proxy``. A patch (strategic or JSON
patch) is turned into the merge patch between the stored object and the patched one (:func:`k8smodel.serve.patch.
merge_patch_between`) and stored through ``APIServer.patch``; a scale write and a patch's read of the stored
object run under the caller's name with ``system:masters`` added, once RBAC has allowed the caller the
subresource (the model's ``APIServer`` authorizes only its own verbs).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import orjson
import yaml

from k8smodel.api import errors
from k8smodel.api.errors import StatusError
from k8smodel.api.kinds import Kind
from k8smodel.apiserver.authn import (
    ANONYMOUS_USER,
    AUTHENTICATED_GROUP,
    MASTERS_GROUP,
    UNAUTHENTICATED_GROUP,
    UserInfo,
)
from k8smodel.apiserver.rbac import Attributes, forbidden_message
from k8smodel.client import Expired
from k8smodel.serve import access, discovery, logs, protobuf
from k8smodel.serve import patch as patches
from k8smodel.serve import tables as table_output
from k8smodel.serve.routes import Route, RouteError, resolve

Obj = dict[str, Any]

MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024  # maxRequestBodyBytes (staging/src/k8s.io/apiserver/pkg/server/config.go)
JSON = "application/json"
YAML = "application/yaml"
BODY_TYPES = (JSON, YAML, protobuf.PROTOBUF)  # what a create, update or subresource body may be (not CBOR)
MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
STRATEGIC_PATCH = "application/strategic-merge-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
PATCH_TYPES = (JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH)
# the object a subresource's body carries (apiVersion, kind), which a protobuf envelope without a type defaults to
_SUBRESOURCE_BODIES = {
    "binding": ("v1", "Binding"),
    "eviction": ("policy/v1", "Eviction"),
    "scale": ("autoscaling/v1", "Scale"),
}
_RETURN_DELETED_OBJECT = {"Pod", "Service"}  # stores with ReturnDeletedObject (pod and service storage.go)
_MAX_PATCH_RETRIES = 5  # a patch is retried on conflict (patch.go: the GuaranteedUpdate loop)


@dataclass
class Response:
    """A complete answer: status, content type and body."""

    status: int
    body: bytes
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class WatchRequest:
    """A watch to stream (``serve.watch`` does it): what to watch, as whom, and how to encode each event."""

    kind: Kind
    namespace: str
    resource_version: str
    label_selector: str | None
    field_selector: str | None
    user: UserInfo
    as_table: bool
    include_object: str
    timeout_seconds: float | None


@dataclass
class LogRequest:
    """A ``pods/log?follow=true`` to stream (``http.py`` writes what :meth:`PodLog.follow` yields)."""

    log: Any


def status_response(err: StatusError) -> Response:
    return Response(err.code or 500, orjson.dumps(err.status()))


def not_found_path() -> StatusError:
    """The API server's answer to a path no handler serves (go-restful's 404, ``NewGenericServerResponse``)."""
    return StatusError(404, errors.REASON_NOT_FOUND, "the server could not find the requested resource", {})


def unsupported_media_type(content_type: str, accepted: tuple[str, ...]) -> StatusError:
    """``415 UnsupportedMediaType`` (``negotiation.NewUnsupportedMediaTypeError``)."""
    return StatusError(
        415,
        "UnsupportedMediaType",
        f"the body of the request was in an unknown format - accepted media types include: {', '.join(accepted)}",
        {},
    )


def request_entity_too_large(limit: int = MAX_REQUEST_BODY_BYTES) -> StatusError:
    """``413`` (``errors.NewRequestEntityTooLargeError``)."""
    return StatusError(413, "RequestEntityTooLarge", f"Request entity too large: limit is {limit}", {})


def not_acceptable() -> StatusError:
    return StatusError(
        406,
        "NotAcceptable",
        "only the following media types are accepted: application/json, application/yaml",
        {},
    )


def media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def parse_accept(header: str | None) -> list[tuple[str, dict[str, str]]]:
    """An ``Accept`` header as (media type, parameters) pairs, in order."""
    out = []
    for part in (header or "").split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        params = {}
        for p in pieces[1:]:
            k, _, v = p.partition("=")
            params[k.strip().lower()] = v.strip()
        out.append((pieces[0].lower(), params))
    return out


def wants_table(accept: str | None) -> bool | None:
    """``True`` for a Table (``as=Table;g=meta.k8s.io``), ``False`` for plain JSON, ``None`` if nothing the server
    can produce is acceptable."""
    entries = parse_accept(accept)
    if not entries:
        return False
    for mt, params in entries:
        if mt not in ("application/json", "*/*", "application/*", "application/yaml"):
            continue
        target = params.get("as")
        if target is None:
            return False
        if target == "Table" and params.get("g") == "meta.k8s.io" and params.get("v") in ("v1", "v1beta1"):
            return True
    return None


class RestAPI:
    """The HTTP face of a :class:`k8smodel.cluster.Cluster` (``cluster.api`` and ``cluster.sim``).

    ``lock`` guards every touch of the model (the clock thread, requests and watch registrations take it).
    ``server_address`` is what ``/api`` tells clients to use."""

    def __init__(self, cluster: Any, lock: threading.RLock, server_address: str = "127.0.0.1:6443") -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.sim = cluster.sim
        self.lock = lock
        self.server_address = server_address

    # ---- entry ---------------------------------------------------------------------------------------------

    def authenticate(self, authorization: str | None) -> UserInfo:
        """``Authorization: Bearer <token>`` to a user; ``401`` without a token (anonymous requests are refused,
        as ``--anonymous-auth=false`` does) or with one no authenticator knows."""
        token = ""
        if authorization:
            scheme, _, rest = authorization.strip().partition(" ")
            if scheme.lower() == "bearer":
                token = rest.strip()
        if not token:
            raise errors.unauthorized("Unauthorized")
        with self.lock:
            return self.api.authenticate(token)

    def impersonate(self, user: UserInfo, as_user: str | None, as_groups: list[str]) -> UserInfo:
        """``WithImpersonation`` (``staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go``):
        ``Impersonate-User`` and ``Impersonate-Group`` (``kubectl --as``, ``--as-group``) make the request act as
        that user, once the requester is allowed the verb ``impersonate`` on each (``users``, ``groups``, or
        ``serviceaccounts`` for a ``system:serviceaccount:<ns>:<name>`` user); otherwise ``403``, naming what was
        refused. Groups without a user are a ``400``; an impersonated user other than ``system:anonymous`` gets
        ``system:authenticated``. ``Impersonate-Uid`` and ``Impersonate-Extra-*`` are left out."""
        if as_user is None and not as_groups:
            return user
        if as_user is None:
            raise errors.bad_request(f"requested {as_groups} without impersonating a user")
        checks: list[Attributes] = []
        if as_user.startswith("system:serviceaccount:") and as_user.count(":") == 3:
            _, _, namespace, name = as_user.split(":")
            checks.append(Attributes(user, "impersonate", "serviceaccounts", "", namespace, name))
        else:
            checks.append(Attributes(user, "impersonate", "users", "", "", as_user))
        checks += [Attributes(user, "impersonate", "groups", "", "", group) for group in as_groups]
        with self.lock:
            for attrs in checks:
                allowed, _ = self.api.authorizer.authorize(attrs)
                if not allowed:
                    raise errors.forbidden(attrs.resource, attrs.name, forbidden_message(attrs))
        groups = list(dict.fromkeys(as_groups))
        if as_user != ANONYMOUS_USER and not {AUTHENTICATED_GROUP, UNAUTHENTICATED_GROUP} & set(groups):
            groups.append(AUTHENTICATED_GROUP)
        return UserInfo(as_user, tuple(groups))

    def handle(
        self,
        method: str,
        path: str,
        query: str,
        headers: Mapping[str, str],
        body: bytes,
        user: UserInfo,
    ) -> Response | WatchRequest | LogRequest:
        """One authenticated request."""
        params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        segments = [s for s in path.split("/")]
        segments = segments[1:] if segments and segments[0] == "" else segments
        if segments and segments[-1] == "":
            segments = segments[:-1]
        # /apis/<group>/v1/<review resource>: a review, answered and never stored
        is_review_path = len(segments) == 4 and segments[0] == "apis" and segments[2] == access.VERSION
        review_kind = access.REVIEWS.get((segments[1], segments[3])) if is_review_path else None
        if review_kind and method == "POST":
            doc = self._typed_body(headers, body, f"{segments[1]}/{access.VERSION}", review_kind)
            with self.lock:
                if review_kind == access.KIND:
                    answer = access.review(self.api.authorizer, user, doc)
                elif review_kind == access.RULES_KIND:
                    answer = access.rules_review(self.api.authorizer, user, doc)
                else:
                    answer = access.whoami(user, self.api.sim.rfc3339())
            return Response(201, orjson.dumps(answer))
        found = self._non_resource(method, segments)
        if found is not None:
            return found
        try:
            route = resolve(segments)
        except RouteError:
            raise not_found_path() from None
        accept = headers.get("accept")
        as_table = wants_table(accept)
        if as_table is None:
            raise not_acceptable()
        if method in ("GET", "HEAD"):
            if route.collection and (route.legacy_watch or params.get("watch") in ("true", "1")):
                return self._watch_request(route, params, user, as_table)
            return self._get(route, params, user, as_table)
        if method == "POST":
            return self._post(route, params, headers, body, user)
        if method == "PUT":
            return self._put(route, params, headers, body, user)
        if method == "PATCH":
            return self._patch(route, params, headers, body, user)
        if method == "DELETE":
            return self._delete(route, params, headers, body, user)
        raise errors.method_not_supported(route.kind.group_resource, method.lower())

    def _non_resource(self, method: str, segments: list[str]) -> Response | None:
        """Discovery, OpenAPI, version and health (``GET`` only)."""
        path = "/".join(segments)
        doc: Any = None
        if path == "version":
            doc = discovery.version_info()
        elif path in ("healthz", "livez", "readyz"):
            return Response(200, b"ok", "text/plain; charset=utf-8")
        elif path == "api":
            doc = discovery.api_versions(self.server_address)
        elif path == "apis":
            doc = discovery.api_group_list()
        elif len(segments) == 2 and segments[0] == "api":
            doc = discovery.api_resource_list("", segments[1])
            if doc is None:
                raise not_found_path()
        elif len(segments) == 2 and segments[0] == "apis":
            doc = discovery.api_group(segments[1])
            if doc is None:
                raise not_found_path()
        elif len(segments) == 3 and segments[0] == "apis":
            doc = discovery.api_resource_list(segments[1], segments[2])
            if doc is None:
                raise not_found_path()
        elif path == "openapi/v3":
            doc = discovery.openapi_v3_root()
        elif segments[:2] == ["openapi", "v3"] and len(segments) > 2:
            rest = segments[2:]
            if rest[0] == "api" and len(rest) == 2:
                doc = discovery.openapi_v3_document("", rest[1])
            elif rest[0] == "apis" and len(rest) == 3:
                doc = discovery.openapi_v3_document(rest[1], rest[2])
            if doc is None:
                raise not_found_path()
        elif path in ("openapi/v2", "swagger.json"):
            raise not_found_path()
        else:
            return None
        if method not in ("GET", "HEAD"):
            raise StatusError(
                405,
                errors.REASON_METHOD_NOT_ALLOWED,
                f"the server does not allow this method on the requested resource ({method})",
                {},
            )
        return Response(200, orjson.dumps(doc))

    # ---- helpers -------------------------------------------------------------------------------------------

    def _decode(self, headers: Mapping[str, str], body: bytes, expect: tuple[str, str]) -> Any:
        """The request body as JSON-shaped data: JSON, YAML, or protobuf (:mod:`k8smodel.serve.protobuf`), decoded
        as the object the URL expects (``expect``: apiVersion, kind), whose defaults an envelope without a type
        takes. Anything else (CBOR among them) is ``415``."""
        ctype = media_type(headers.get("content-type")) or JSON
        if ctype == protobuf.PROTOBUF:
            return protobuf.decode_object(body, *expect)
        if ctype not in BODY_TYPES:
            raise unsupported_media_type(ctype, BODY_TYPES)
        if ctype == YAML:
            try:
                return yaml.safe_load(body.decode("utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError) as err:
                raise errors.bad_request(f"error converting YAML to JSON: {err}") from None
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as err:
            raise errors.bad_request(f"couldn't get version/kind; json parse error: {err}") from None

    def _object_body(self, route: Route, headers: Mapping[str, str], body: bytes) -> Obj:
        return self._typed_body(headers, body, route.kind.api_version, route.kind.kind)

    def _typed_body(self, headers: Mapping[str, str], body: bytes, api_version: str, kind: str) -> Obj:
        """The body decoded as a ``kind`` of ``api_version``: a JSON object whose apiVersion and kind, when given,
        are those (the handler's decoder is for one type; a body without them is taken as that type)."""
        version = api_version.rpartition("/")[2]
        obj = self._decode(headers, body, (api_version, kind))
        if not isinstance(obj, dict):
            raise errors.bad_request(
                f'{kind} in version "{version}" cannot be handled as a {kind}: the request body must be a JSON object'
            )
        got_version, got_kind = obj.get("apiVersion"), obj.get("kind")
        if got_version in (None, "") and got_kind in (None, ""):
            obj = {"apiVersion": api_version, "kind": kind, **obj}
        elif got_version != api_version:
            raise errors.bad_request(
                f"the API version in the data ({got_version}) does not match the expected API version ({api_version})"
            )
        elif got_kind != kind:
            raise errors.bad_request(
                f'{kind} in version "{version}" cannot be handled as a {got_kind}: the kind in the data '
                f"({got_kind}) does not match the expected kind ({kind})"
            )
        return obj

    @staticmethod
    def _dry_run(params: Mapping[str, str]) -> bool:
        value = params.get("dryRun")
        if value is None or value == "":
            return False
        if value != "All":
            raise errors.bad_request(
                f'Invalid dry run value: dryRun: Unsupported value: "{value}": supported values: "All"'
            )
        return True

    def _now(self) -> float:
        """Now, as the table printers count (seconds since ``k8smodel.sim.EPOCH``, whatever the cluster's start)."""
        return table_output.printer_time(self.sim)

    def _respond(
        self,
        obj: Any,
        status: int = 200,
        *,
        as_table: bool = False,
        route: Route | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Response:
        if as_table and route is not None and isinstance(obj, dict) and obj.get("kind") == route.kind.kind:
            include = (params or {}).get("includeObject", "")
            self._check_include(include)
            obj = table_output.table(route.kind, [obj], self._now(), include_object=include)
        return Response(status, orjson.dumps(obj))

    @staticmethod
    def _check_include(include: str) -> None:
        if include not in table_output.INCLUDE_OBJECT_VALUES:
            raise errors.bad_request(f'unrecognized includeObject value: "{include}"')

    def _authorize(self, user: UserInfo, verb: str, route: Route, name: str = "") -> None:
        """RBAC for a subresource the model's APIServer has no verb for (``scale``)."""
        kind = route.kind
        allowed, reason = self.api.authorizer.authorize_request(
            user, verb, kind.resource, kind.group, route.namespace, name, route.subresource
        )
        if not allowed:
            attrs = Attributes(user, verb, kind.resource, kind.group, route.namespace, name, route.subresource)
            message = forbidden_message(attrs)
            if reason:
                message = f"{message}: {reason}"
            # responsewriters.ForbiddenStatusError: the Status names the resource without the subresource
            raise errors.forbidden(kind.group_resource, name, message)

    @staticmethod
    def _elevated(user: UserInfo) -> UserInfo:
        return user if MASTERS_GROUP in user.groups else UserInfo(user.name, (*user.groups, MASTERS_GROUP))

    def _namespace(self, route: Route) -> str | None:
        return route.namespace or None

    # ---- GET -----------------------------------------------------------------------------------------------

    def _get(self, route: Route, params: Mapping[str, str], user: UserInfo, as_table: bool) -> Response | LogRequest:
        kind = route.kind
        include = params.get("includeObject", "")
        if as_table:
            self._check_include(include)
        if route.collection:
            label_selector = params.get("labelSelector") or None
            field_selector = params.get("fieldSelector") or None
            with self.lock:
                items, rv = self.api.list(kind, route.namespace or None, label_selector, field_selector, user=user)
                now = self._now()
            if as_table:
                return Response(
                    200, orjson.dumps(table_output.table(kind, items, now, resource_version=rv, include_object=include))
                )
            stripped = [{k: v for k, v in item.items() if k != "apiVersion" and k != "kind"} for item in items]
            body = {
                "kind": f"{kind.kind}List",
                "apiVersion": kind.api_version,
                "metadata": {"resourceVersion": rv},
                "items": stripped,
            }
            return Response(200, orjson.dumps(body))
        if route.subresource == "log":
            return self._log(route, params, user)
        with self.lock:
            if route.subresource == "scale":
                self._authorize(user, "get", route, route.name)
                obj = self.api.get(kind, route.name, self._namespace(route), user=self._elevated(user))
                return Response(200, orjson.dumps(_scale(obj)))
            obj = self.api.get(kind, route.name, self._namespace(route), user=user)
            now = self._now()
        if as_table:
            return Response(200, orjson.dumps(table_output.table(kind, [obj], now, include_object=include)))
        return Response(200, orjson.dumps(obj))

    def _log(self, route: Route, params: Mapping[str, str], user: UserInfo) -> Response | LogRequest:
        """``pods/log`` (:mod:`k8smodel.serve.logs`): the log now as ``text/plain``, or a stream to follow."""
        opts = logs.parse_options(params, route.name)
        with self.lock:
            self._authorize(user, "get", route, route.name)
            pod = self.api.get(route.kind, route.name, route.namespace or None, user=self._elevated(user))
            log = logs.PodLog.open(self.cluster, self.lock, pod, opts)
            if not opts.follow or log.done():
                return Response(200, log.text(), logs.LOG_CONTENT_TYPE)
        return LogRequest(log)

    def _watch_request(self, route: Route, params: Mapping[str, str], user: UserInfo, as_table: bool) -> WatchRequest:
        if route.name:
            raise not_found_path()
        timeout: float | None = None
        if params.get("timeoutSeconds"):
            try:
                timeout = float(int(params["timeoutSeconds"]))
            except ValueError:
                raise errors.bad_request(f'invalid timeoutSeconds: "{params["timeoutSeconds"]}"') from None
        include = params.get("includeObject", "")
        if as_table:
            self._check_include(include)
        return WatchRequest(
            route.kind,
            route.namespace,
            params.get("resourceVersion", ""),
            params.get("labelSelector") or None,
            params.get("fieldSelector") or None,
            user,
            bool(as_table),
            include,
            timeout,
        )

    def start_watch(self, request: WatchRequest, callback: Callable[[str, Obj, float], None]) -> Any:
        """Register the watch under the lock; ``callback(type, object, now)`` is called under the lock for every
        event (the initial ones too). A compacted resourceVersion gives an ``ERROR`` event with the ``410``
        Status, as the watch cache's error watcher sends it, and ``None``."""
        with self.lock:

            def on_event(event_type: str, obj: Obj) -> None:
                callback(event_type, obj, self._now())

            try:
                return self.api.watch(
                    request.kind,
                    request.namespace or None,
                    request.resource_version or None,
                    request.label_selector,
                    on_event,
                    field_selector=request.field_selector,
                    user=request.user,
                )
            except Expired as err:
                callback("ERROR", err.status(), self._now())
                return None
            except ValueError:
                raise errors.bad_request(f'invalid resourceVersion: "{request.resource_version}"') from None

    def stop_watch(self, handle: Any) -> None:
        if handle is not None:
            with self.lock:
                handle.stop()

    # ---- POST ----------------------------------------------------------------------------------------------

    def _post(
        self, route: Route, params: Mapping[str, str], headers: Mapping[str, str], body: bytes, user: UserInfo
    ) -> Response:
        kind = route.kind
        dry_run = self._dry_run(params)
        if route.collection:
            obj = self._object_body(route, headers, body)
            with self.lock:
                created = self.api.create(
                    obj, namespace=route.namespace or None, user=user, dry_run=dry_run, from_manifest=True
                )
            return Response(201, orjson.dumps(created))
        doc = self._decode(headers, body, _SUBRESOURCE_BODIES.get(route.subresource, (kind.api_version, kind.kind)))
        if not isinstance(doc, dict):
            raise errors.bad_request("the request body must be a JSON object")
        if route.subresource == "binding":
            _check_fields("Binding", doc, BINDING_FIELDS)
            target = doc.get("target") or {}
            meta = doc.get("metadata") or {}
            with self.lock:
                self.api.bind(
                    route.name,
                    route.namespace,
                    target.get("name") or "",
                    user=user,
                    uid=meta.get("uid"),
                    annotations=meta.get("annotations"),
                    dry_run=dry_run,
                )
            return Response(201, orjson.dumps(_success(201)))
        if route.subresource == "eviction":
            _check_fields("Eviction", doc, EVICTION_FIELDS)
            options = doc.get("deleteOptions") or {}
            with self.lock:
                result = self.api.evict(
                    route.name,
                    route.namespace,
                    grace_period_seconds=options.get("gracePeriodSeconds"),
                    preconditions=options.get("preconditions") or None,
                    user=user,
                    dry_run=dry_run or bool(options.get("dryRun")),
                )
            return Response(201, orjson.dumps(result))
        raise errors.method_not_supported(f"{kind.group_resource}/{route.subresource or route.name}", "create")

    # ---- PUT -----------------------------------------------------------------------------------------------

    def _put(
        self, route: Route, params: Mapping[str, str], headers: Mapping[str, str], body: bytes, user: UserInfo
    ) -> Response:
        if route.collection:
            raise errors.method_not_supported(route.kind.group_resource, "update")
        dry_run = self._dry_run(params)
        if route.subresource == "scale":
            doc = self._decode(headers, body, _SUBRESOURCE_BODIES["scale"])
            if not isinstance(doc, dict):
                raise errors.bad_request("the request body must be a Scale object")
            _check_fields("Scale", doc, SCALE_FIELDS)
            replicas = _scale_replicas(doc, route)
            return self._write_scale(route, user, replicas, dry_run, (doc.get("metadata") or {}).get("resourceVersion"))
        # The authorization filter runs before the handler decodes the body (WithAuthorization in the handler chain
        # of staging/src/k8s.io/apiserver/pkg/server/config.go): a user who may not update gets 403, not a 400
        # about the body.
        self._authorize(user, "update", route, route.name)
        obj = self._object_body(route, headers, body)
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        if meta.get("name") and meta["name"] != route.name:
            raise errors.bad_request(
                f"the name of the object ({meta['name']}) does not match the name on the URL ({route.name})"
            )
        if not meta.get("name"):
            obj["metadata"] = {**meta, "name": route.name}
        with self.lock:
            existed = self.api.store.get(route.kind.key(route.name, route.namespace or None)) is not None
            updated = self.api.update(
                obj,
                subresource=route.subresource,
                namespace=route.namespace or None,
                user=user,
                dry_run=dry_run,
                from_manifest=not route.subresource,
            )
        return Response(200 if existed else 201, orjson.dumps(updated))

    # ---- PATCH ---------------------------------------------------------------------------------------------

    def _patch(
        self, route: Route, params: Mapping[str, str], headers: Mapping[str, str], body: bytes, user: UserInfo
    ) -> Response:
        if route.collection:
            raise errors.method_not_supported(route.kind.group_resource, "patch")
        ctype = media_type(headers.get("content-type"))
        if ctype not in PATCH_TYPES:
            raise unsupported_media_type(ctype, PATCH_TYPES)
        dry_run = self._dry_run(params)
        try:
            doc = orjson.loads(body)
        except orjson.JSONDecodeError as err:
            raise errors.bad_request(f"error decoding patch: {err}") from None
        if ctype != JSON_PATCH and not isinstance(doc, dict):
            raise errors.bad_request(f"error decoding patch: the patch must be a JSON object, not {type(doc).__name__}")
        if ctype == JSON_PATCH and not isinstance(doc, list):
            raise errors.bad_request("error decoding patch: a JSON patch must be a list of operations")
        kind = route.kind
        ns = route.namespace or None
        if route.subresource == "scale":
            with self.lock:
                self._authorize(user, "patch", route, route.name)
                current = _scale(self.api.get(kind, route.name, ns, user=self._elevated(user)))
            patched = self._apply_patch(ctype, current, doc, "Scale")
            return self._write_scale(route, user, _scale_replicas(patched, route), dry_run, None)
        if ctype == MERGE_PATCH:
            with self.lock:
                self._authorize(user, "patch", route, route.name)
                current = self.api.get(kind, route.name, ns, user=self._elevated(user))
                self._check_patched(route, self._apply_patch(ctype, current, doc, kind.kind))
                result = self.api.patch(
                    kind, route.name, ns, doc, subresource=route.subresource, user=user, dry_run=dry_run
                )
            return Response(200, orjson.dumps(result))
        last: StatusError | None = None
        for _ in range(_MAX_PATCH_RETRIES):
            with self.lock:
                self._authorize(user, "patch", route, route.name)
                current = self.api.get(kind, route.name, ns, user=self._elevated(user))
            patched = self._apply_patch(ctype, current, doc, kind.kind)
            self._check_patched(route, patched)
            diff = patches.merge_patch_between(current, patched)
            meta = diff.get("metadata") if isinstance(diff.get("metadata"), dict) else {}
            precondition = (
                (patched.get("metadata") or {}).get("resourceVersion")
                if isinstance(patched.get("metadata"), dict)
                else None
            )
            user_rv = precondition if precondition != current["metadata"].get("resourceVersion") else None
            diff["metadata"] = {**meta, "resourceVersion": user_rv or current["metadata"]["resourceVersion"]}
            try:
                with self.lock:
                    result = self.api.patch(
                        kind, route.name, ns, diff, subresource=route.subresource, user=user, dry_run=dry_run
                    )
                return Response(200, orjson.dumps(result))
            except StatusError as err:
                if err.code != 409 or err.reason != errors.REASON_CONFLICT or user_rv:
                    raise
                last = err
        assert last is not None
        raise last

    @staticmethod
    def _check_patched(route: Route, patched: Any) -> None:
        """The patched object, decoded as upstream decodes it into its type before storing it (``patch.go``
        ``applyPatch``, then ``checkName``): an object of the URL's kind and name, schema-checked strictly (the
        model serves ``fieldValidation=Strict``): an unknown field is ``400``, a wrong type ``422``."""
        if not isinstance(patched, dict):
            raise patches.patch_error(patches.PatchError("the patched object is not a JSON object"))
        kind = route.kind
        if (patched.get("apiVersion"), patched.get("kind")) != (kind.api_version, kind.kind):
            raise errors.bad_request(
                f"the API version and kind in the patched object ({patched.get('apiVersion')}, "
                f"{patched.get('kind')}) do not match the expected ({kind.api_version}, {kind.kind})"
            )
        meta = patched.get("metadata")
        if isinstance(meta, dict):
            if meta.get("name") != route.name:
                raise errors.bad_request(
                    f"the name of the object ({meta.get('name')}) does not match the name on the URL ({route.name})"
                )
            if route.namespace and meta.get("namespace") not in (None, "", route.namespace):
                raise errors.bad_request(
                    f"the namespace of the object ({meta.get('namespace')}) does not match the namespace on the "
                    f"URL ({route.namespace})"
                )
        from k8smodel.api.schema import DecodeError, DecodeErrorType, validate_schema

        # Only what Go's decoding refuses: unknown fields (strict) and JSON types the field cannot hold. The
        # schema's "required" and enums are not decoding (a stored Node lacks the deprecated required
        # nodeInfo.kubeProxyVersion); the API server's validation judges the patched object after this.
        problems = [
            p
            for p in validate_schema(patched)
            if isinstance(p, DecodeError) or " in body must be of type " in str(getattr(p, "detail", ""))
        ]
        if not problems:
            return
        unknown = [p for p in problems if isinstance(p, DecodeError) and p.type == DecodeErrorType.UNKNOWN_FIELD]
        if unknown:
            raise errors.bad_request(
                f'{kind.kind} in version "{kind.version}" cannot be handled as a {kind.kind}: strict decoding error: '
                + ", ".join(str(p) for p in unknown)
            )
        decode_errors = [p for p in problems if isinstance(p, DecodeError)]
        if decode_errors:
            raise errors.bad_request(str(decode_errors[0]))
        raise errors.invalid(patched, problems)

    @staticmethod
    def _apply_patch(ctype: str, current: Obj, doc: Any, kind: str) -> Any:
        try:
            if ctype == JSON_PATCH:
                return patches.json_patch(current, doc)
            if ctype == STRATEGIC_PATCH:
                return patches.strategic_merge_patch(current, doc, kind)
            from k8smodel.apiserver.server import merge_patch

            return merge_patch(current, doc)
        except patches.PatchError as err:
            raise patches.patch_error(err) from None

    def _write_scale(self, route: Route, user: UserInfo, replicas: int, dry_run: bool, rv: str | None) -> Response:
        kind = route.kind
        body: Obj = {"spec": {"replicas": replicas}}
        if rv:
            body["metadata"] = {"resourceVersion": rv}
        with self.lock:
            self._authorize(user, "update" if rv else "patch", route, route.name)
            result = self.api.patch(
                kind, route.name, route.namespace or None, body, user=self._elevated(user), dry_run=dry_run
            )
        return Response(200, orjson.dumps(_scale(result)))

    # ---- DELETE --------------------------------------------------------------------------------------------

    def _delete_options(self, route: Route, params: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> Obj:
        options: Obj = {}
        if body.strip():
            doc = self._decode(headers, body, (route.kind.api_version, "DeleteOptions"))
            if not isinstance(doc, dict):
                raise errors.bad_request("the body of a delete must be a DeleteOptions object")
            _check_fields("DeleteOptions", doc, DELETE_OPTIONS_FIELDS)
            options.update({k: v for k, v in doc.items() if v is not None})
        if "gracePeriodSeconds" in params:
            try:
                options["gracePeriodSeconds"] = int(params["gracePeriodSeconds"])
            except ValueError:
                raise errors.bad_request(f'invalid gracePeriodSeconds: "{params["gracePeriodSeconds"]}"') from None
        if "propagationPolicy" in params:
            options["propagationPolicy"] = params["propagationPolicy"]
        if params.get("dryRun"):
            options["dryRun"] = [params["dryRun"]]
        grace = options.get("gracePeriodSeconds")
        if grace is not None and (not isinstance(grace, int) or isinstance(grace, bool)):
            raise errors.bad_request(f"gracePeriodSeconds: must be an integer, got {grace!r}")
        orphan = options.get("orphanDependents")
        if orphan is not None and options.get("propagationPolicy") is None:
            options["propagationPolicy"] = "Orphan" if orphan else "Background"
        return options

    def _delete(
        self, route: Route, params: Mapping[str, str], headers: Mapping[str, str], body: bytes, user: UserInfo
    ) -> Response:
        options = self._delete_options(route, params, headers, body)
        dry_run = self._dry_run({"dryRun": (options.get("dryRun") or [""])[0]}) if options.get("dryRun") else False
        kind = route.kind
        if route.subresource:
            raise errors.method_not_supported(f"{kind.group_resource}/{route.subresource}", "delete")
        if route.collection:
            return self._delete_collection(route, params, options, user, dry_run)
        with self.lock:
            result = self._delete_one(route, route.name, route.namespace, options, user, dry_run)
        return Response(200, orjson.dumps(result))

    def _delete_one(self, route: Route, name: str, namespace: str, options: Obj, user: UserInfo, dry_run: bool) -> Obj:
        kind = route.kind
        last = self.api.delete(
            kind,
            name,
            namespace or None,
            options.get("gracePeriodSeconds"),
            options.get("propagationPolicy"),
            options.get("preconditions") or None,
            user=user,
            dry_run=dry_run,
        )
        still_there = self.api.store.get(kind.key(name, namespace or None)) is not None
        if still_there or dry_run or kind.kind in _RETURN_DELETED_OBJECT:
            return last
        details = {"name": name, "group": kind.group, "kind": kind.resource, "uid": last["metadata"].get("uid")}
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Success",
            "details": {k: v for k, v in details.items() if v},
        }

    def _delete_collection(
        self, route: Route, params: Mapping[str, str], options: Obj, user: UserInfo, dry_run: bool
    ) -> Response:
        """``deletecollection``: authorized as its own verb, then every listed object is deleted."""
        kind = route.kind
        with self.lock:
            self._authorize(user, "deletecollection", route)
            items, rv = self.api.list(
                kind,
                route.namespace or None,
                params.get("labelSelector") or None,
                params.get("fieldSelector") or None,
                user=self._elevated(user),
            )
            deleted = []
            for item in items:
                meta = item["metadata"]
                try:
                    self._delete_one(
                        route, meta["name"], meta.get("namespace", ""), options, self._elevated(user), dry_run
                    )
                except StatusError as err:
                    if err.code != 404:
                        raise
                    continue
                deleted.append({k: v for k, v in item.items() if k not in ("apiVersion", "kind")})
        body = {
            "kind": f"{kind.kind}List",
            "apiVersion": kind.api_version,
            "metadata": {"resourceVersion": rv},
            "items": deleted,
        }
        return Response(200, orjson.dumps(body))


# The request bodies of subresources and deletes, as Go decodes them into their structs: a field of the wrong JSON
# type is a 400 (encoding/json's UnmarshalTypeError); null is the zero value; unknown fields are ignored.
# Types: staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go (DeleteOptions, Preconditions, ObjectMeta),
# staging/src/k8s.io/api/core/v1/types.go (Binding, ObjectReference), policy/v1/types.go (Eviction),
# autoscaling/v1/types.go (Scale).
_META_FIELDS: dict[str, Any] = {
    "name": "string",
    "namespace": "string",
    "uid": "string",
    "resourceVersion": "string",
    "labels": "map[string]string",
    "annotations": "map[string]string",
}
DELETE_OPTIONS_FIELDS: dict[str, Any] = {
    "kind": "string",
    "apiVersion": "string",
    "gracePeriodSeconds": "int64",
    "preconditions": {"uid": "string", "resourceVersion": "string"},
    "orphanDependents": "bool",
    "propagationPolicy": "string",
    "dryRun": "[]string",
}
BINDING_FIELDS: dict[str, Any] = {
    "kind": "string",
    "apiVersion": "string",
    "metadata": _META_FIELDS,
    "target": {"kind": "string", "namespace": "string", "name": "string", "uid": "string", "apiVersion": "string"},
}
EVICTION_FIELDS: dict[str, Any] = {
    "kind": "string",
    "apiVersion": "string",
    "metadata": _META_FIELDS,
    "deleteOptions": DELETE_OPTIONS_FIELDS,
}
SCALE_FIELDS: dict[str, Any] = {
    "kind": "string",
    "apiVersion": "string",
    "metadata": _META_FIELDS,
    "spec": {"replicas": "int32"},
}


def _json_type(value: Any, go_type: str = "") -> str:
    """How ``json.UnmarshalTypeError`` names the value: a number that an integer field cannot hold (a fraction,
    an overflow) with its text."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return f"number {value}" if go_type.startswith("int") else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _fits(value: Any, go_type: str) -> bool:
    if go_type == "string":
        return isinstance(value, str)
    if go_type == "bool":
        return isinstance(value, bool)
    if go_type in ("int64", "int32"):
        bits = 63 if go_type == "int64" else 31
        return isinstance(value, int) and not isinstance(value, bool) and -(2**bits) <= value < 2**bits
    if go_type == "[]string":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if go_type == "map[string]string":
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    raise ValueError(go_type)


def _check_fields(struct: str, doc: Obj, fields: Mapping[str, Any], path: str = "") -> None:
    """Refuse (``400``) a field of ``doc`` whose JSON type the Go struct cannot take, as ``json.Unmarshal`` does."""
    for name, go_type in fields.items():
        value = doc.get(name)
        if value is None:
            continue
        where = f"{path}{name}"
        if isinstance(go_type, Mapping):
            if not isinstance(value, dict):
                raise errors.bad_request(
                    f"json: cannot unmarshal {_json_type(value)} into Go struct field {struct}.{where} of type object"
                )
            _check_fields(struct, value, go_type, f"{where}.")
        elif not _fits(value, go_type):
            raise errors.bad_request(
                f"json: cannot unmarshal {_json_type(value, go_type)} into Go struct field {struct}.{where} of type "
                f"{go_type}"
            )


def _success(code: int) -> Obj:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": code}


def _scale(obj: Obj) -> Obj:
    """``autoscaling/v1`` ``Scale`` of a Deployment or ReplicaSet (``scaleFromDeployment``)."""
    from k8smodel.views.tables import format_label_selector

    meta = obj["metadata"]
    selector = format_label_selector((obj.get("spec") or {}).get("selector"))
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp") if k in meta
        },
        "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 0)},
        "status": {
            "replicas": (obj.get("status") or {}).get("replicas", 0),
            "selector": "" if selector == "<none>" else selector,
        },
    }


def _scale_replicas(doc: Any, route: Route) -> int:
    spec = doc.get("spec") if isinstance(doc, dict) else None
    replicas = spec.get("replicas") if isinstance(spec, dict) else None
    if replicas is None:
        replicas = 0
    if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
        from k8smodel.api.field import invalid

        detail = "must be greater than or equal to 0" if isinstance(replicas, int) else "must be an integer"
        raise errors.invalid_kind("Scale.autoscaling", route.name, [invalid("spec.replicas", replicas, detail)])
    return replicas


__all__ = [
    "MAX_REQUEST_BODY_BYTES",
    "LogRequest",
    "Response",
    "RestAPI",
    "WatchRequest",
    "not_found_path",
    "request_entity_too_large",
    "status_response",
    "unsupported_media_type",
]
