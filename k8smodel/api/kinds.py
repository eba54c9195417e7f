"""The kinds the model serves: group, version, resource name, scope, subresources, and where etcd keeps them.

Objects throughout the model are plain dicts in the exact JSON shape of the Kubernetes API
(``{"apiVersion", "kind", "metadata", "spec", "status"}``), the same shape ``kubectl get -o json`` prints. This
registry says, for each kind, what the API server needs to serve it. Upstream keeps the same facts in
``pkg/api/legacyscheme`` and each resource's REST storage (``pkg/registry/*/*/storage/storage.go``); the etcd key
prefixes, including the historical ``/registry/minions`` for Nodes and ``/registry/services/specs`` for Services,
come from ``pkg/kubeapiserver/default_storage_factory_builder.go`` (``SpecialDefaultResourcePrefixes``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Kind:
    """What the API server knows about one kind."""

    kind: str
    group: str  # "" is the legacy core group
    version: str
    resource: str  # plural, lower case: the URL path segment and RBAC resource name
    namespaced: bool
    short_names: tuple[str, ...] = ()
    # Whether the kind has a status subresource: a write to the main resource ignores status, a write to /status
    # changes only status (pkg/registry/*/strategy.go PrepareForUpdate / PrepareForCreate).
    has_status: bool = False
    # Whether metadata.generation counts spec changes (strategies that bump generation on spec change).
    tracks_generation: bool = False
    etcd_prefix: str = ""  # defaults to the resource name

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @cached_property  # (computed once per Kind: every request names it)
    def group_resource(self) -> str:
        """``deployments.apps``, ``pods``: how upstream names a resource in errors and RBAC."""
        return f"{self.resource}.{self.group}" if self.group else self.resource

    @property
    def qualified_kind(self) -> str:
        """``Deployment.apps``, ``Pod``: the kind as upstream's ``Invalid`` error names it."""
        return f"{self.kind}.{self.group}" if self.group else self.kind

    def key(self, name: str, namespace: str | None = None) -> str:
        """The etcd key of one object: ``/registry/<prefix>/<namespace>/<name>`` or ``/registry/<prefix>/<name>``."""
        if self.namespaced and namespace:
            return f"{self._base}{namespace}/{name}"
        return f"{self._base}{name}"

    def prefix(self, namespace: str | None = None) -> str:
        """The etcd key prefix of all objects of this kind, or of those in one namespace."""
        if self.namespaced and namespace:
            return f"{self._base}{namespace}/"
        return self._base

    @cached_property  # (computed once per Kind: every request builds a key from it)
    def _base(self) -> str:
        return f"/registry/{self.etcd_prefix or self.resource}/"


KINDS: tuple[Kind, ...] = (
    Kind("Namespace", "", "v1", "namespaces", False, ("ns",), has_status=True),
    Kind("Node", "", "v1", "nodes", False, ("no",), has_status=True, etcd_prefix="minions"),
    Kind("Pod", "", "v1", "pods", True, ("po",), has_status=True),
    Kind("Service", "", "v1", "services", True, ("svc",), has_status=True, etcd_prefix="services/specs"),
    Kind("ConfigMap", "", "v1", "configmaps", True, ("cm",)),
    Kind("ServiceAccount", "", "v1", "serviceaccounts", True, ("sa",)),
    Kind("Event", "", "v1", "events", True, ("ev",)),
    Kind("ReplicaSet", "apps", "v1", "replicasets", True, ("rs",), has_status=True, tracks_generation=True),
    Kind("Deployment", "apps", "v1", "deployments", True, ("deploy",), has_status=True, tracks_generation=True),
    Kind("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices", True),
    Kind(
        "HorizontalPodAutoscaler",
        "autoscaling",
        "v2",
        "horizontalpodautoscalers",
        True,
        ("hpa",),
        has_status=True,
        tracks_generation=True,
    ),
    Kind("Lease", "coordination.k8s.io", "v1", "leases", True),
    Kind("Role", "rbac.authorization.k8s.io", "v1", "roles", True),
    Kind("RoleBinding", "rbac.authorization.k8s.io", "v1", "rolebindings", True),
    Kind("ClusterRole", "rbac.authorization.k8s.io", "v1", "clusterroles", False),
    Kind("ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "clusterrolebindings", False),
    # pkg/registry/scheduling/priorityclass/storage/storage.go: cluster-scoped, no status, short name "pc".
    Kind("PriorityClass", "scheduling.k8s.io", "v1", "priorityclasses", False, ("pc",)),
)

_BY_GVK = {(k.api_version, k.kind): k for k in KINDS}
_BY_KIND = {k.kind: k for k in KINDS}
_BY_RESOURCE: dict[str, Kind] = {}
for _k in KINDS:
    for _name in (_k.resource, _k.kind.lower(), *_k.short_names, _k.group_resource):
        _BY_RESOURCE.setdefault(_name, _k)


class UnknownKind(LookupError):
    """A kind, resource or apiVersion the model does not serve; the message is upstream's."""


def lookup(api_version: str, kind: str) -> Kind:
    """The kind served at ``api_version``; ``NoKindMatchError``'s message otherwise.

    Upstream: ``staging/src/k8s.io/apimachinery/pkg/api/meta/errors.go``.
    """
    found = _BY_GVK.get((api_version, kind))
    if found is None:
        raise UnknownKind(f'no matches for kind "{kind}" in version "{api_version}"')
    return found


def for_kind(kind: str) -> Kind:
    """The kind by its name alone (``"Deployment"``)."""
    try:
        return _BY_KIND[kind]
    except KeyError:
        raise UnknownKind(f'no matches for kind "{kind}"') from None


def for_resource(name: str) -> Kind:
    """Resolve what a user types after ``kubectl get``: ``pods``, ``pod``, ``po``, ``deployments.apps``, ``deploy``.

    Upstream's wording for an unknown one (kubectl, ``restmapper``):
    ``the server doesn't have a resource type "<name>"``.
    """
    found = _BY_RESOURCE.get(name.lower())
    if found is None:
        raise UnknownKind(f'the server doesn\'t have a resource type "{name}"')
    return found


def kind_of(obj: dict) -> Kind:
    """The kind of a manifest dict, from its ``apiVersion`` and ``kind``."""
    return lookup(obj.get("apiVersion", ""), obj.get("kind", ""))
