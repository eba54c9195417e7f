"""Request routing: from a URL path to the resource, namespace, name and subresource it names.

The API server's paths (``staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go``,
``RequestInfoFactory.NewRequestInfo``)::

    /api/v1/<resource>                                  a collection (cluster-scoped, or all namespaces)
    /api/v1/<resource>/<name>[/<subresource>]           a cluster-scoped object
    /api/v1/namespaces/<ns>/<resource>                  a collection in a namespace
    /api/v1/namespaces/<ns>/<resource>/<name>[/<sub>]   an object in a namespace
    /apis/<group>/<version>/...                         the same for a named group
    /api/v1/watch/...                                   the deprecated watch prefix (``?watch=true`` today)

``/api/v1/namespaces/<name>`` is the Namespace itself, and ``/api/v1/namespaces/<name>/status`` and ``/finalize``
its subresources (``requestinfo.go`` special-cases a namespace's own subresources the same way).
"""

from __future__ import annotations

from dataclasses import dataclass

from k8smodel.api.kinds import KINDS, Kind

# The subresources each kind serves over HTTP, with the verbs discovery lists for them.
SUBRESOURCES: dict[str, dict[str, tuple[str, ...]]] = {
    "Pod": {
        "status": ("get", "patch", "update"),
        "binding": ("create",),
        "eviction": ("create",),
        "log": ("get",),
    },
    "Node": {"status": ("get", "patch", "update")},
    "Namespace": {"status": ("get", "patch", "update"), "finalize": ("update",)},
    "Service": {"status": ("get", "patch", "update")},
    "Deployment": {"status": ("get", "patch", "update"), "scale": ("get", "patch", "update")},
    "ReplicaSet": {"status": ("get", "patch", "update"), "scale": ("get", "patch", "update")},
    "HorizontalPodAutoscaler": {"status": ("get", "patch", "update")},
}

_BY_PATH: dict[tuple[str, str, str], Kind] = {(k.group, k.version, k.resource): k for k in KINDS}


class RouteError(LookupError):
    """The path names nothing the server serves (a 404 ``the server could not find the requested resource``)."""


@dataclass
class Route:
    """What a resource path names."""

    kind: Kind
    namespace: str = ""  # "" for a cluster-scoped kind, or a namespaced kind across all namespaces
    name: str = ""
    subresource: str = ""
    legacy_watch: bool = False  # the /watch/ prefix

    @property
    def collection(self) -> bool:
        return not self.name


def group_versions() -> list[tuple[str, str]]:
    """Every (group, version) the model serves, the core group first, then the named groups in KINDS order."""
    seen: list[tuple[str, str]] = []
    for k in KINDS:
        if (k.group, k.version) not in seen:
            seen.append((k.group, k.version))
    return seen


def kinds_of(group: str, version: str) -> list[Kind]:
    return [k for k in KINDS if k.group == group and k.version == version]


def resolve(segments: list[str]) -> Route:
    """The route of a resource path, split on ``/`` (``["api", "v1", "namespaces", "default", "pods"]``)."""
    if len(segments) >= 2 and segments[0] == "api":
        group, version, rest = "", segments[1], segments[2:]
    elif len(segments) >= 3 and segments[0] == "apis":
        group, version, rest = segments[1], segments[2], segments[3:]
    else:
        raise RouteError("/".join(segments))
    if not kinds_of(group, version):
        raise RouteError("/".join(segments))
    legacy_watch = False
    if rest and rest[0] == "watch":
        legacy_watch, rest = True, rest[1:]
    if not rest or any(not s for s in rest):
        raise RouteError("/".join(segments))
    namespace = ""
    if rest[0] == "namespaces" and len(rest) >= 3 and not (len(rest) == 3 and rest[2] in ("status", "finalize")):
        namespace, rest = rest[1], rest[2:]
    resource, name, sub = rest[0], "", ""
    if len(rest) >= 2:
        name = rest[1]
    if len(rest) == 3:
        sub = rest[2]
    if len(rest) > 3:
        raise RouteError("/".join(segments))
    kind = _BY_PATH.get((group, version, resource))
    if kind is None:
        raise RouteError("/".join(segments))
    if namespace and not kind.namespaced:
        raise RouteError("/".join(segments))
    if sub and sub not in SUBRESOURCES.get(kind.kind, {}):
        raise RouteError("/".join(segments))
    return Route(kind, namespace, name, sub, legacy_watch)


__all__ = ["SUBRESOURCES", "Route", "RouteError", "group_versions", "kinds_of", "resolve"]
