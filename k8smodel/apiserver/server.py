"""The API server: every read and write of the cluster goes through this request pipeline, and only it touches etcd.

Each request passes the stages a chapter can show one by one:

1. **authentication** (:meth:`APIServer.authenticate`, ``authn.py``): credentials to a user, or ``401``;
2. **authorization** (:meth:`APIServer.authorize`, ``rbac.py``): RBAC allows the verb on the resource, or
   ``403`` with upstream's message (``pods is forbidden: User "alice" cannot list resource "pods" in API group ""
   in the namespace "default"``);
3. **admission** (``admission.py``): decoding (schema check for manifests), defaulting, NamespaceLifecycle,
   DefaultTolerationSeconds, then the kind's validation (``422 Invalid``);
4. **storage** (this module, with ``registry.py``): the generic store of
   ``staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go`` over the etcd3 storage of
   ``staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go``: a create is a transaction that succeeds only if
   the key is absent (``mod_revision == 0``, else ``409 AlreadyExists``); an update is ``GuaranteedUpdate``, a
   transaction that compares the key's ``mod_revision`` with the one read. A client that sends a stale
   ``resourceVersion`` gets ``409 Conflict`` (``Operation cannot be fulfilled on deployments.apps "web": the
   object has been modified; please apply your changes to the latest version and try again``) and must read
   again and retry: optimistic concurrency. An update that changes nothing writes nothing.

Server-set fields on create: ``uid`` (a version-4 UUID drawn from ``sim.rng("apiserver/uid")``),
``creationTimestamp``, ``resourceVersion`` (etcd's ``mod_revision``), ``generation`` 1 for kinds that count spec
changes, the namespace of the request, and for ``generateName`` a name with five random characters.

Deletion (``store.go`` ``Delete``, ``rest/delete.go`` ``BeforeDelete``): a Pod on a node is deleted *gracefully*:
the API server only sets ``deletionTimestamp`` (now plus the grace period) and ``deletionGracePeriodSeconds``; the
kubelet stops the containers and then deletes the Pod with grace period 0. An object with ``finalizers`` gets a
``deletionTimestamp`` and stays until an update removes the last finalizer. ``propagationPolicy`` ``Orphan`` and
``Foreground`` add the ``orphan`` and ``foregroundDeletion`` finalizers for the garbage collector. A Namespace is
first marked ``Terminating`` and removed only once its ``spec.finalizers`` are empty
(``pkg/registry/core/namespace/storage/storage.go``). Other objects go at once.

The ``status`` subresource (``update_status``, or ``patch(..., subresource="status")``) is the status strategy's
path (``pkg/registry/core/pod/strategy.go`` ``podStatusStrategy``): the stored ``spec`` is put back before
validation, and a Pod's status is validated as upstream's ``ValidatePodStatusUpdate`` does (metadata and status
only, ``k8smodel.api.validation``). A merge patch is applied to the server's own decoding of the stored object and
the result defaulted in place (upstream decodes the patched JSON into a new object); for ``pods/status`` defaulting
is skipped, as every Pod default is in the ``spec`` the status strategy replaces.

Every write is logged with ``sim.log("api", verb, resource, namespace, name, user, rv, code)``, and every rejected
request with its ``code`` and ``reason``; a rejected request changes nothing in etcd (when ``sim.log_enabled`` is
off, the records are not even built).

The API server's etcd compactor (``compact.py``, every five minutes) is ``self.compactor``; it is not started here
(a cluster starts it with its control plane, so that a simulation with nothing to do still ends).

Cheaper doors for the busiest callers (issue 4's speed budgets)
    A request body is the client's: upstream decodes it into a new object, so the model copies what it is given
    before defaulting and storing it. A component that builds a body afresh and never touches it again can hand it
    over instead: ``_create_owned`` (the event recorder's Events, the kubelet's Lease), ``_update_owned`` (the
    kubelet's Lease renewals) and ``_patch_owned`` (the kubelet's Pod status, merged as it is; the event recorder's
    repeat of an Event) take it as the server's own decoding, with no copy. For those requests from a client
    certificate's user, the stages also run one after another without the general frame (``_create_lean``,
    ``_update_lean``, ``_patch_status_lean``, ``_patch_event_lean``):
    authorization, NamespaceLifecycle, the strategy, validation, etcd's compare-and-put and the log record, exactly
    as the general path runs them; anything else (a token, a conflict, an invalid object, a missing namespace, an
    object being deleted) goes the general way, which then answers as always. ``_get_if_changed`` is a ``GET`` for a
    caller that keeps what it read (the kubelet's node status loop, whose upstream read is served from the watch
    cache): when the object is still at the version the caller has, the answer is "unchanged" instead of a new
    decoding of the same bytes. ``tests/test_speed_apiserver.py`` runs the same requests both ways and compares
    every answer, error, stored version, log record and random draw (``tests/test_speed_kubelet_paths.py`` for the
    Event patch).

What the model leaves out
    * HTTP, content negotiation, API discovery and the aggregation layer; requests are method calls, and a
      rejected one raises :class:`~k8smodel.api.errors.StatusError` instead of returning a ``Status`` body.
    * Server-side apply and managed fields, strategic merge patch and JSON patch (only JSON merge patch,
      RFC 7386), ``fieldValidation`` modes other than Strict, list pagination (``limit``/``continue``), reads at
      a past resourceVersion, the watch cache's own window, ``--watch-cache`` sizes, priority and fairness.
    * Defaulting runs for typed writes too (upstream it happens while decoding the request body).
    * A deletion returns the object's last state (upstream returns a ``Status`` for kinds without
      ``ReturnDeletedObject``); ``bind`` returns the bound Pod (upstream a ``Status``).
    * Rejected requests may still have drawn a generated name from the random stream; uids are drawn only for
      objects that are stored (or dry-run).
    * Subresources beyond ``status``, ``binding``, ``eviction`` and a Namespace's ``finalize``; no ``scale``,
      ``log``, ``exec``. There is no PodDisruptionBudget kind yet, so an eviction never gets ``429``. A write
      cannot change ``deletionTimestamp`` (the old one is kept, as upstream's ``BeforeUpdate`` keeps a set one).
"""

from __future__ import annotations

import builtins
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from mypy_extensions import mypyc_attr

from k8smodel.api import errors
from k8smodel.api.defaults import _deepcopy, has_defaults
from k8smodel.api.errors import StatusError
from k8smodel.api.kinds import Kind, UnknownKind, for_kind, for_resource, kind_of
from k8smodel.api.labels import Selector, SelectorError, parse_selector, selector_from_set
from k8smodel.apiserver import admission
from k8smodel.apiserver.admission import CREATE, DELETE, UPDATE, Request
from k8smodel.apiserver.authn import ADMIN, ANONYMOUS, Authenticator, UserInfo
from k8smodel.apiserver.compact import DEFAULT_COMPACTION_INTERVAL, Compactor
from k8smodel.apiserver.rbac import Attributes, RBACAuthorizer, bootstrap_objects, forbidden_message
from k8smodel.apiserver.registry import (
    FieldRequirement,
    Strategy,
    check_field_selector,
    decode,
    encode,
    field_selector_matches,
    generate_name,
    parse_field_selector,
    strategy_for,
)
from k8smodel.apiserver.watch import TRIGGERS, APIWatch, WatchFanout
from k8smodel.etcd import Store
from k8smodel.sim import Simulation

Obj = dict[str, Any]
Credentials = UserInfo | str | None

FINALIZER_ORPHAN = "orphan"  # metav1.FinalizerOrphanDependents
FINALIZER_FOREGROUND = "foregroundDeletion"  # metav1.FinalizerDeleteDependents
PROPAGATION_POLICIES = ("Foreground", "Background", "Orphan")
MAX_NAME_GENERATION_ATTEMPTS = 8  # maxNameGenerationCreateAttempts (store.go)
SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")  # systemnamespaces controller
_NAMESPACES = for_kind("Namespace")
_LEASES = for_kind("Lease")
_PODS = for_kind("Pod")
_EVENTS = for_kind("Event")
_EVENT_HAS_DEFAULTS = has_defaults(_EVENTS.api_version, _EVENTS.kind)  # (none: what lets _patch_event_lean skip them)
_HAND_OVER = object()  # what a quick way answers when the general path must (None is an answer of its own)
# The kinds the owned create and update take the shorter way for (_create_lean, _update_lean): no defaults, no status
# on create, no generation, no admission plugin but NamespaceLifecycle, nothing the update strategy changes.
_LEAN_KINDS = {(k.api_version, k.kind): k for k in (for_kind("Event"), _LEASES)}
_RBAC_KINDS = ("ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding")


_UUID4_KEEP = ~(0xC000 << 48) & ~(0xF000 << 64)  # the variant and version bits cleared ...
_UUID4_SET = (0x8000 << 48) | (4 << 76)  # ... and set to RFC 4122's variant and version 4


def _uuid4(bits: int) -> str:
    """``str(uuid.UUID(int=bits, version=4))`` without building the UUID object: the same bit twiddling (RFC 4122
    variant, version 4) and the same ``8-4-4-4-12`` hex text, at a fraction of the cost."""
    h = "%032x" % ((bits & _UUID4_KEEP) | _UUID4_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch: objects merge key by key, ``null`` removes a key, anything else replaces."""
    # type() first: isinstance() against the Mapping ABC is slow, and the values are nearly always plain JSON types.
    tp = type(patch)
    if tp is not dict and (tp is str or tp is list or tp is int or tp is bool or not isinstance(patch, Mapping)):
        return patch
    tt = type(target)
    result = dict(target) if tt is dict or (tt is not str and tt is not list and isinstance(target, Mapping)) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _merge_patch_owned(target: Any, patch: Any) -> Any:
    """``merge_patch`` whose result shares nothing with ``patch`` (what it takes from the patch is deep-copied): the
    patch is the client's, the target the server's own decoding, so the result can be defaulted in place, as upstream
    decodes the patched JSON into a new object (``applyPatchToCurrentObject``, ``endpoints/handlers/patch.go``)."""
    t = type(patch)
    if t is not dict and (t is str or t is list or t is int or t is bool or not isinstance(patch, Mapping)):
        return patch if t is str or t is int or t is bool or t is float or patch is None else _deepcopy(patch)
    tt = type(target)
    result = dict(target) if tt is dict or (tt is not str and tt is not list and isinstance(target, Mapping)) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch_owned(result.get(key), value)
    return result


def _same_object(a: Obj, b: Obj) -> bool:
    """``a == b`` for two objects, with the ``status`` compared first, then the ``spec``: a status write changes
    nothing else, and comparing the (larger, equal) spec first would only delay the answer; a spec write (a Lease
    renewal) changes the spec, not the (equal) metadata. The same answer as ``==``."""
    if a.keys() != b.keys():
        return False
    status, other = a.get("status"), b.get("status")
    if status is not other and status != other:  # (dict equality's own identity shortcut, kept)
        return False
    spec, other = a.get("spec"), b.get("spec")
    if spec is not other and spec != other:
        return False
    for key, value in a.items():
        if key != "status" and key != "spec" and value is not (other := b[key]) and value != other:
            return False
    return True


# A Lease's update strategy prepares nothing (no status to keep, no generation to bump): what _renewal_only assumes.
_LEASE_UPDATE_PREPARES_NOTHING = not (_LEASES.has_status or _LEASES.tracks_generation or _LEASES.kind == "Namespace")


def _renewal_only(obj: Obj, existing: Obj) -> bool:
    """Whether the owned Lease update ``obj`` (its resourceVersion already set to the stored one) is a renewal of
    ``existing`` and nothing else: the same keys, and the very same values (``is``: as the kubelet's ``newLease``
    copies them from the Lease it got back) in the object, its metadata and its spec, but for ``spec.renewTime``, a
    different string. :meth:`APIServer._update_lean` asks it only when ``existing`` is the very object it wrote last
    under that key (``_validated_leases``: it passed validation as the new object of an update, and its metadata is
    what ``BeforeUpdate`` made it). For such an update the stages it skips decide nothing new:

    * ``BeforeUpdate`` copies ``generation``, ``uid``, ``creationTimestamp``, ``deletionTimestamp`` and
      ``deletionGracePeriodSeconds`` from the old metadata into one that holds the same values and is already its
      own result: no change; the Lease strategy's ``PrepareForUpdate`` does nothing
      (``_LEASE_UPDATE_PREPARES_NOTHING``);
    * ``ValidateLeaseUpdate`` is ``ValidateObjectMetaUpdate`` (immutable fields the same; labels, annotations, owner
      references and finalizers those of ``existing``, which passed) plus ``ValidateLeaseSpec``, which reads
      ``leaseDurationSeconds`` and ``leaseTransitions`` (those of ``existing``, which passed), never ``renewTime``:
      no errors, as for ``existing``. Identity, not equality: ``40.0 == 40`` but only the int is valid;
    * the no-op check: a different ``renewTime`` string encodes differently, and the objects differ.

    Anything else (another value, a value equal but not the same object, a missing or non-string ``renewTime``)
    answers no, and the update takes the full way. Proven equal to the general path by
    ``tests/test_speed_kubelet_renewal.py``."""
    if not _LEASE_UPDATE_PREPARES_NOTHING or len(obj) != len(existing):
        return False
    spec = old_spec = None
    meta: Any = None
    old_meta: Any = None
    for key, value in obj.items():
        other = existing.get(key, _HAND_OVER)
        if value is other:
            continue
        if key == "spec":
            spec, old_spec = value, other
        elif key == "metadata":
            meta, old_meta = value, other
        else:
            return False
    if type(spec) is not dict or type(old_spec) is not dict or len(spec) != len(old_spec):
        return False
    renew, old_renew = spec.get("renewTime"), old_spec.get("renewTime")
    if type(renew) is not str or type(old_renew) is not str or renew == old_renew:
        return False
    for key, value in spec.items():
        if value is not old_spec.get(key, _HAND_OVER) and key != "renewTime":
            return False
    if meta is not None:  # (None: the very same metadata object)
        if type(meta) is not dict or type(old_meta) is not dict or len(meta) != len(old_meta):
            return False
        for key, value in meta.items():
            if value is not old_meta.get(key, _HAND_OVER):
                return False
    return True


def _selected(selector: Selector | None, strategy: Strategy, reqs: tuple[FieldRequirement, ...], obj: Obj) -> bool:
    """Whether ``obj`` matches a list's label ``selector`` and field requirements ``reqs`` (``APIServer._matcher``)."""
    if selector is not None and not selector.matches(obj["metadata"].get("labels") or {}):
        return False
    return not reqs or field_selector_matches(strategy, reqs, obj)


def _object_meta(obj: Obj) -> Obj:
    """``obj["metadata"]``, made a dict: ``metadata: null`` decodes to an empty ObjectMeta upstream (a Go struct),
    so it then fails validation (``name or generateName is required``) instead of crashing the server."""
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        meta = obj["metadata"] = {}
    return meta


def _resolve(kind_or_resource: str | Kind) -> Kind:
    if isinstance(kind_or_resource, Kind):
        return kind_or_resource
    try:
        return for_resource(kind_or_resource)
    except UnknownKind:
        try:
            return for_kind(kind_or_resource)
        except UnknownKind:
            raise StatusError(404, errors.REASON_NOT_FOUND, for_resource_message(kind_or_resource)) from None


def for_resource_message(name: str) -> str:
    return f'the server doesn\'t have a resource type "{name}"'


class ListerWatcher:
    """A ``cache.ListerWatcher`` over the API server, for :class:`k8smodel.client.Informer`."""

    def __init__(
        self,
        server: APIServer,
        resource: str | Kind,
        namespace: str | None = None,
        label_selector: str | Selector | Mapping[str, str] | None = None,
        field_selector: str | None = None,
        user: Credentials = ADMIN,
    ) -> None:
        self.server = server
        self.resource = resource
        self.namespace = namespace
        self.label_selector = label_selector
        self.field_selector = field_selector
        self.user = user

    def list(self) -> tuple[list[Obj], str]:
        return self.server.list(self.resource, self.namespace, self.label_selector, self.field_selector, user=self.user)

    def watch(self, resource_version: str, callback: Callable[[str, Any], None]) -> APIWatch:
        return self.server.watch(
            self.resource,
            self.namespace,
            resource_version,
            self.label_selector,
            callback,
            field_selector=self.field_selector,
            user=self.user,
        )


@mypyc_attr(
    native_class=False
)  # a Python class also when compiled (k8smodel/_native.py): tests replace its methods per instance
class APIServer:
    """kube-apiserver: the only component that reads and writes etcd (see the module docstring).

    ``tokens`` maps static bearer tokens to users (``--token-auth-file``); ``etcd_compaction_interval`` is
    ``--etcd-compaction-interval`` (seconds or ``"5m"``; 0 never compacts). At start it creates, unless already
    stored, the ``cluster-admin`` ClusterRole and its binding to ``system:masters`` and the namespaces
    ``default``, ``kube-system``, ``kube-public`` and ``kube-node-lease``.
    """

    def __init__(
        self,
        sim: Simulation,
        store: Store | None = None,
        *,
        tokens: Mapping[str, UserInfo] | None = None,
        bootstrap: bool = True,
        etcd_compaction_interval: float | str = DEFAULT_COMPACTION_INTERVAL,
    ) -> None:
        self.sim = sim
        self.store = store if store is not None else Store()
        self.authenticator = Authenticator(
            tokens, service_account_uid=self._service_account_uid, rng=sim.rng("apiserver/tokens")
        )
        self.authorizer = RBACAuthorizer()
        self._uid_rng = sim.rng("apiserver/uid")
        self._name_rng = sim.rng("apiserver/names")
        self.fanout = WatchFanout(self.store)
        # --etcd-compaction-interval (5m; 0: never): started with the control plane (Cluster.start_control_plane)
        self.compactor = Compactor(sim, self.store, etcd_compaction_interval)
        self._stamp: tuple[float, str] = (-1.0, "")
        self._namespaces: dict[str, tuple[int, Obj, str]] = {}  # name -> (mod_revision, object, etcd key)
        # etcd key -> the Lease _update_lean last wrote there, validated (see _renewal_only)
        self._validated_leases: dict[str, Obj] = {}
        self._rbac_watches = [self._watch_rbac(for_kind(k)) for k in _RBAC_KINDS]
        if bootstrap:
            for obj in bootstrap_objects():
                self._ensure(obj)
            for name in SYSTEM_NAMESPACES:
                self._ensure({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
            for obj in admission.system_priority_classes():  # the bootstrap-system-priority-classes hook
                self._ensure(obj)

    def _now(self) -> str:
        """``sim.rfc3339()``, computed once per simulated instant."""
        now = self.sim.now
        if now != self._stamp[0]:
            self._stamp = (now, self.sim.rfc3339(now))
        return self._stamp[1]

    def _ensure(self, obj: Obj) -> None:
        kind = kind_of(obj)
        if self.store.get(kind.key(obj["metadata"]["name"], obj["metadata"].get("namespace"))) is None:
            self.create(obj, user=ADMIN)

    # ---- the RBAC index, fed by watches on the RBAC objects (as upstream's informers feed the authorizer) ------

    def _watch_rbac(self, kind: Kind) -> Any:
        prefix = kind.prefix()
        current = self.store.range(prefix)
        for kv in current.kvs:
            self._rbac_change(kind, prefix, kv.key, decode(kv.value, kv.mod_revision))
        return self.store.watch(
            prefix, current.revision + 1, callback=functools.partial(self._rbac_events, kind, prefix)
        )

    def _rbac_events(self, kind: Kind, prefix: str, events: builtins.list[Any]) -> None:
        for event in events:
            obj = decode(event.kv.value, event.kv.mod_revision) if event.kv.version else None
            self._rbac_change(kind, prefix, event.kv.key, obj)

    def _rbac_change(self, kind: Kind, prefix: str, key: str, obj: Obj | None) -> None:
        rest = key[len(prefix) :]
        namespace, _, name = rest.rpartition("/") if kind.namespaced else ("", "", rest)
        self.authorizer.on_change(kind.kind, namespace, name, obj)

    # ---- stage 1: authentication -------------------------------------------------------------------------

    def authenticate(self, credentials: Credentials) -> UserInfo:
        """A :class:`UserInfo` is trusted as is (a client certificate); a string is a bearer token; ``None``
        is an anonymous request."""
        if isinstance(credentials, UserInfo):
            return credentials
        if credentials is None:
            return ANONYMOUS
        return self.authenticator.authenticate(credentials)

    def _service_account_uid(self, namespace: str, name: str) -> str | None:
        kv = self.store.get(for_kind("ServiceAccount").key(name, namespace))
        return None if kv is None else decode(kv.value, kv.mod_revision)["metadata"].get("uid")

    def issue_token(self, namespace: str, service_account: str) -> str:
        """A bearer token for a stored ServiceAccount (what the TokenRequest API gives a Pod)."""
        uid = self._service_account_uid(namespace, service_account)
        if uid is None:
            raise errors.not_found("serviceaccounts", service_account)
        return self.authenticator.issue_service_account_token(namespace, service_account, uid)

    # ---- stage 2: authorization --------------------------------------------------------------------------

    def authorize(self, req: Request) -> None:
        """RBAC, or ``403 Forbidden`` with upstream's message (``responsewriters.Forbidden``)."""
        assert req.user is not None
        kind = req.kind
        allowed, reason = self.authorizer.authorize_request(
            req.user, req.verb, kind.resource, kind.group, req.namespace, req.name, req.subresource
        )
        if not allowed:
            attrs = Attributes(
                req.user, req.verb, req.kind.resource, req.kind.group, req.namespace, req.name, req.subresource
            )
            message = forbidden_message(attrs)
            if reason:
                message = f"{message}: {reason}"
            raise errors.forbidden(req.kind.group_resource, req.name, message)

    # ---- stage 3: admission ------------------------------------------------------------------------------

    def admit(self, req: Request) -> None:
        """The mutating admission plugins, in upstream's order (Priority and DefaultTolerationSeconds act on Pods and
        PriorityClasses only, so other kinds skip them)."""
        admission.namespace_lifecycle(req, self._get_namespace)
        kind = req.kind.kind
        if kind == "Node":
            admission.taint_nodes_by_condition(req)
        elif kind == "Pod" or kind == "PriorityClass":
            admission.priority(req, self.store)
            admission.default_toleration_seconds(req)

    def _get_namespace(self, name: str) -> Obj | None:
        """The Namespace from etcd (decoded once per version: a read-only view for admission)."""
        cached = self._namespaces.get(name)
        kv = self.store.get(_NAMESPACES.key(name) if cached is None else cached[2])
        if kv is None:
            return None
        if cached is None or cached[0] != kv.mod_revision:
            cached = self._namespaces[name] = (kv.mod_revision, decode(kv.value, kv.mod_revision), kv.key)
        return cached[1]

    # ---- the pipeline's frame ----------------------------------------------------------------------------

    def _begin(self, req: Request) -> None:
        credentials = req.credentials
        req.user = credentials if type(credentials) is UserInfo else self.authenticate(credentials)
        self.authorize(req)

    @staticmethod
    def _resource(req: Request) -> str:
        if req.kind is None:
            return ""
        return f"{req.kind.group_resource}/{req.subresource}" if req.subresource else req.kind.group_resource

    def _reject(self, req: Request, err: StatusError) -> None:
        """Log a refused request with its code (``kind`` is the log record's own name, so the object's kind is
        logged as ``resource``, as the audit log's ``objectRef.resource``)."""
        if not self.sim.log_enabled:
            return
        self.sim.log(
            "api",
            verb=req.verb,
            resource=self._resource(req),
            namespace=req.namespace,
            name=req.name,
            user=req.user.name if req.user is not None else "",
            code=err.code,
            reason=err.reason,
        )

    def _logged(self, req: Request, stage: Callable[[Request], Any]) -> Any:
        try:
            return stage(req)
        except StatusError as err:
            self._reject(req, err)
            raise

    def _log_write(self, req: Request, verb: str, name: str, rv: int, code: int = 200) -> None:
        assert req.user is not None
        if not self.sim.log_enabled:
            return
        self.sim.log(
            "api",
            verb=verb,
            resource=self._resource(req),
            namespace=req.namespace,
            name=name,
            user=req.user.name,
            rv=rv,
            code=code,
            reason="",
        )

    def _lean_update_refused(self, ns: str, meta: Obj, old_meta: Obj) -> bool:
        """What sends a lean update or status patch back to the general path, which answers it as it always does: a
        namespace that does not exist (NamespaceLifecycle: an update needs it), or an update that would finish a
        deletion (``ShouldDeleteDuringUpdate``: no finalizers left on an object being deleted gracefully)."""
        if self._get_namespace(ns) is None:
            return True
        return bool(
            not meta.get("finalizers")
            and old_meta.get("deletionTimestamp")
            and not old_meta.get("deletionGracePeriodSeconds")
        )

    def _log_lean(self, verb: str, resource: str, ns: str, name: str, user: UserInfo, rv: int, code: int) -> None:
        """:meth:`_log_write`'s record for the lean paths, which build no :class:`Request`."""
        if self.sim.log_enabled:
            log = self.sim.log
            log(
                "api",
                verb=verb,
                resource=resource,
                namespace=ns,
                name=name,
                user=user.name,
                rv=rv,
                code=code,
                reason="",
            )

    @staticmethod
    def _request_namespace(kind: Kind, obj_namespace: str | None, namespace: str | None) -> str:
        if not kind.namespaced:
            return ""
        return namespace or obj_namespace or "default"

    @staticmethod
    def _match_namespace(kind: Kind, meta: Obj, namespace: str) -> None:
        """``EnsureObjectNamespaceMatchesRequestNamespace`` (rest/create.go)."""
        obj_ns = meta.get("namespace") or ""
        if obj_ns == namespace:
            return
        if not obj_ns:
            meta["namespace"] = namespace
        elif not kind.namespaced:
            meta.pop("namespace", None)
        else:
            raise errors.bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )

    def _kind_of(self, obj: Any, from_manifest: bool) -> Kind:
        try:
            return kind_of(obj)
        except (UnknownKind, AttributeError):
            if from_manifest:
                from k8smodel.api.schema import validate_schema

                problems = validate_schema(obj)
                if problems:
                    status = 404 if "no matches for kind" in str(problems[0]) else 400
                    reason = errors.REASON_NOT_FOUND if status == 404 else errors.REASON_BAD_REQUEST
                    raise StatusError(status, reason, str(problems[0])) from None
            api_version = obj.get("apiVersion", "") if isinstance(obj, Mapping) else ""
            kind = obj.get("kind", "") if isinstance(obj, Mapping) else ""
            raise StatusError(
                404, errors.REASON_NOT_FOUND, f'no matches for kind "{kind}" in version "{api_version}"'
            ) from None

    # ---- create ------------------------------------------------------------------------------------------

    def create(
        self,
        obj: Obj,
        *,
        namespace: str | None = None,
        user: Credentials = ADMIN,
        dry_run: bool = False,
        from_manifest: bool = False,
    ) -> Obj:
        """Create ``obj``; return it as stored (with uid, creationTimestamp, resourceVersion, ...)."""
        return self._create_request(obj, namespace, user, dry_run, from_manifest, False)

    def _create_owned(self, obj: Obj, *, namespace: str | None = None, user: Credentials = ADMIN) -> Obj:
        """:meth:`create` of an object the caller hands over and never touches again (a component's freshly built
        Event or Lease): the server takes it as its own decoding of the request instead of copying it first, and
        returns it as stored. Everything else is :meth:`create`'s.

        An Event or a Lease from a client certificate's user takes a shorter way through the same stages
        (:meth:`_create_lean`); whatever it does not handle itself goes the general way."""
        created = self._create_lean(obj, namespace, user)
        if created is not None:
            return created
        return self._create_request(obj, namespace, user, False, False, True)

    def _create_lean(self, obj: Obj, namespace: str | None, user: Credentials) -> Obj | None:
        """The stages of :meth:`_create` for an owned Event or Lease, called directly: authorization (a create is
        authorized without a name), NamespaceLifecycle, ``BeforeCreate``, validation, the uid, etcd's create-if-absent
        and the log record, in that order. ``None`` whenever the request needs more than that (another kind, a token,
        a missing or terminating namespace, an invalid object, ...): nothing has been decided yet (no random draw, no
        write), and the general path then does it all again and answers as it always does. Proven equal to the
        general path by ``tests/test_speed_apiserver.py``."""
        if type(obj) is not dict or type(user) is not UserInfo:
            return None
        kind = _LEAN_KINDS.get((obj.get("apiVersion"), obj.get("kind")))  # type: ignore[arg-type]
        meta = obj.get("metadata")
        if kind is None or type(meta) is not dict:
            return None
        name, ns = meta.get("name"), meta.get("namespace")
        if type(name) is not str or not name or type(ns) is not str or not ns or (namespace and namespace != ns):
            return None
        if meta.get("resourceVersion"):
            return None
        if not self.authorizer.authorize_request(user, "create", kind.resource, kind.group, ns, "", "")[0]:
            return None
        ns_obj = self._get_namespace(ns)  # NamespaceLifecycle: the namespace exists and is not terminating
        if ns_obj is None or (ns_obj.get("status") or {}).get("phase") == "Terminating":
            return None
        # BeforeCreate (rest/create.go)
        meta.pop("deletionTimestamp", None)
        meta.pop("deletionGracePeriodSeconds", None)
        strategy_for(kind).prepare_for_create(obj)
        meta["creationTimestamp"] = self._now()
        meta.pop("uid", None)
        if admission.problems(obj):
            return None  # the general path reports the 422 (what was changed above it changes again, the same way)
        meta["uid"] = _uuid4(self._uid_rng.getrandbits(128))
        revision = self.store._put_if(kind.key(name, ns), 0, encode(obj))  # txn: mod_revision == 0, then put
        if not revision:
            err = errors.already_exists(kind.group_resource, name)
            self._reject(Request("create", kind, ns, name, "", user, user), err)
            raise err
        meta["resourceVersion"] = str(revision)
        self._log_lean("create", kind.group_resource, ns, name, user, revision, 201)
        return obj

    def _create_request(
        self, obj: Obj, namespace: str | None, user: Credentials, dry_run: bool, from_manifest: bool, owned: bool
    ) -> Obj:
        # type() first: isinstance() against the Mapping ABC is slow and the objects are nearly always dicts.
        meta = obj.get("metadata") if type(obj) is dict or isinstance(obj, Mapping) else None
        meta = meta if type(meta) is dict or isinstance(meta, Mapping) else {}
        req = Request("create", None, "", meta.get("name") or "", "", user, None, obj, None, dry_run, from_manifest)  # type: ignore[arg-type]
        req.owned = owned
        try:
            req.kind = self._kind_of(obj, from_manifest)
        except StatusError as err:
            self._reject(req, err)
            raise
        req.namespace = self._request_namespace(req.kind, meta.get("namespace"), namespace)
        return self._logged(req, self._create)

    def _create(self, req: Request) -> Obj:
        kind = req.kind
        name = req.name
        req.name = ""  # a create is authorized without a name: it comes in the body, not the URL
        self._begin(req)
        req.name = name
        admission.decode(req)
        obj = req.obj = admission.default_request(req)
        meta = _object_meta(obj)
        self._match_namespace(kind, meta, req.namespace)
        req.operation = CREATE
        self.admit(req)
        if meta.get("resourceVersion"):
            raise StatusError(500, "", "resourceVersion should not be set on objects to be created")
        # BeforeCreate (rest/create.go)
        strategy = strategy_for(kind)
        meta.pop("deletionTimestamp", None)
        meta.pop("deletionGracePeriodSeconds", None)
        strategy.prepare_for_create(obj)
        meta["creationTimestamp"] = self._now()
        generated = bool(meta.get("generateName")) and not meta.get("name")
        for attempt in range(MAX_NAME_GENERATION_ATTEMPTS):
            if generated:
                meta["name"] = generate_name(meta["generateName"], self._name_rng)
            req.name = meta.get("name") or ""
            if attempt == 0:
                meta.pop("uid", None)
                admission.validate(obj)
            meta["uid"] = _uuid4(self._uid_rng.getrandbits(128))
            if req.dry_run:
                if self.store.get(kind.key(req.name, req.namespace or None)) is not None:
                    raise errors.already_exists(kind.group_resource, req.name)
                return obj
            key = kind.key(req.name, req.namespace or None)
            if req.owned:  # the caller handed obj over: the watchers get obj itself, not a decoding (_put_owned)
                revision = self._put_owned(key, 0, encode(obj), obj)
            else:
                revision = self.store._put_if(key, 0, encode(obj))  # txn: mod_revision == 0 (absent), then put
            if revision:
                meta["resourceVersion"] = str(revision)
                self._log_write(req, "create", req.name, revision, 201)
                return obj
            if not generated:
                raise errors.already_exists(kind.group_resource, req.name)
        raise errors.generate_name_conflict(kind.group_resource, req.name)

    # ---- read --------------------------------------------------------------------------------------------

    def get(
        self, kind_or_resource: str | Kind, name: str, namespace: str | None = None, *, user: Credentials = ADMIN
    ) -> Obj:
        """The object, or ``404 NotFound`` (``deployments.apps "web" not found``)."""
        kind = _resolve(kind_or_resource)
        req = Request("get", kind, self._request_namespace(kind, None, namespace), name, credentials=user)
        return self._logged(req, self._get)

    def _get(self, req: Request) -> Obj:
        self._begin(req)
        kv = self.store.get(req.kind.key(req.name, req.namespace or None))
        if kv is None:
            raise errors.not_found(req.kind.group_resource, req.name)
        return decode(kv.value, kv.mod_revision)

    def _get_if_changed(
        self,
        kind_or_resource: str | Kind,
        name: str,
        namespace: str | None = None,
        resource_version: str | None = None,
        *,
        user: Credentials = ADMIN,
    ) -> Obj | None:
        """:meth:`get` for a caller that keeps the object it read last (and never changes it): the same request
        (authentication, authorization, ``404``), but when the stored object is still at ``resource_version`` the
        answer is ``None`` (that same object) instead of a new decoding of the same bytes."""
        kind = _resolve(kind_or_resource)
        ns = self._request_namespace(kind, None, namespace)
        found = self._get_lean(kind, ns, name, resource_version, user)
        if found is not _HAND_OVER:
            return found
        req = Request("get", kind, ns, name, credentials=user)
        req.extra = {"rv": resource_version}
        return self._logged(req, self._get_changed)

    def _get_lean(self, kind: Kind, ns: str, name: str, resource_version: str | None, user: Credentials) -> Any:
        """:meth:`_get_changed`'s answer when the request is authorized (a client certificate's user) and the object
        exists, without the request's frame; ``_HAND_OVER`` otherwise (the general path then answers, with its 401,
        403 or 404 and their log records). Proven equal by ``tests/test_speed_apiserver.py``."""
        if type(user) is not UserInfo:
            return _HAND_OVER
        if not self.authorizer.authorize_request(user, "get", kind.resource, kind.group, ns, name)[0]:
            return _HAND_OVER
        kv = self.store.get(kind.key(name, ns or None))
        if kv is None:
            return _HAND_OVER
        if resource_version is not None and resource_version == str(kv.mod_revision):
            return None
        return decode(kv.value, kv.mod_revision)

    def _get_changed(self, req: Request) -> Obj | None:
        self._begin(req)
        kv = self.store.get(req.kind.key(req.name, req.namespace or None))
        if kv is None:
            raise errors.not_found(req.kind.group_resource, req.name)
        rv = req.extra["rv"]
        if rv is not None and rv == str(kv.mod_revision):
            return None
        return decode(kv.value, kv.mod_revision)

    def _matcher(self, kind: Kind, label_selector: Any, field_selector: str | None) -> Callable[[Obj], bool] | None:
        selector: Selector | None = None
        if isinstance(label_selector, Selector):
            selector = label_selector
        elif isinstance(label_selector, Mapping):
            selector = selector_from_set(label_selector)
        elif label_selector:
            try:
                selector = parse_selector(label_selector)
            except SelectorError as err:
                raise errors.bad_request(str(err)) from None
        if selector is not None and selector.empty():
            selector = None
        reqs = parse_field_selector(field_selector) if field_selector else ()
        strategy: Strategy = strategy_for(kind)
        if reqs:
            check_field_selector(strategy, reqs, {"metadata": {}})
        if selector is None and not reqs:
            return None

        return functools.partial(_selected, selector, strategy, reqs)

    def list(
        self,
        resource: str | Kind,
        namespace: str | None = None,
        label_selector: str | Selector | Mapping[str, str] | None = None,
        field_selector: str | None = None,
        *,
        user: Credentials = ADMIN,
    ) -> tuple[list[Obj], str]:
        """Every object of ``resource`` (in ``namespace``, or all namespaces) that the selectors match, sorted
        by namespace and name, and the resourceVersion to watch from."""
        kind = _resolve(resource)
        req = Request("list", kind, namespace or "" if kind.namespaced else "", credentials=user)
        req.extra = {"label_selector": label_selector, "field_selector": field_selector}
        return self._logged(req, self._list)

    def _list(self, req: Request) -> tuple[builtins.list[Obj], str]:  # (list: the method above)
        self._begin(req)
        matches = self._matcher(req.kind, req.extra["label_selector"], req.extra["field_selector"])
        result = self.store.range(req.kind.prefix(req.namespace or None))
        kvs = result.kvs
        needle = _trigger_needle(req.kind, req.extra["field_selector"])
        if needle is not None:
            # The cacher lists a selector on an indexed trigger field (a kubelet's spec.nodeName=<node>) from its
            # index. The model's stand-in: an object with that field value has it in its stored JSON, so only
            # those objects are decoded (and then matched in full, as every other).
            kvs = [kv for kv in kvs if needle in kv.value]
        items = [decode(kv.value, kv.mod_revision) for kv in kvs]
        if matches is not None:
            items = [o for o in items if matches(o)]
        return items, str(result.revision)

    # ---- update, update_status, patch --------------------------------------------------------------------

    def update(
        self,
        obj: Obj,
        *,
        subresource: str = "",
        namespace: str | None = None,
        user: Credentials = ADMIN,
        dry_run: bool = False,
        from_manifest: bool = False,
    ) -> Obj:
        """Replace the object (``PUT``). Its ``metadata.resourceVersion`` must be the stored one (``409``
        otherwise); without one the update is unconditional, as every strategy here allows."""
        return self._update_request(obj, subresource, namespace, user, dry_run, from_manifest, False)

    def _update_owned(self, obj: Obj, *, user: Credentials = ADMIN) -> Obj:
        """:meth:`update` of an object the caller hands over and never touches again (the kubelet's freshly built
        Lease): taken as the server's own decoding of the request instead of being copied first (see
        :meth:`_create_owned`). A Lease from a client certificate's user takes a shorter way through the same stages
        (:meth:`_update_lean`); whatever it does not handle itself goes the general way."""
        updated = self._update_lean(obj, user)
        if updated is not None:
            return updated
        return self._update_request(obj, "", None, user, False, False, True)

    def _update_lean(self, obj: Obj, user: Credentials) -> Obj | None:
        """The stages of :meth:`_guaranteed_update` for an owned Lease, called directly: authorization, the stored
        version and the resourceVersion check, NamespaceLifecycle, ``BeforeUpdate``, validation, the no-op check,
        etcd's compare-and-put and the log record. ``None`` whenever the request needs more than that (a token, a
        conflict, a missing object or namespace, an invalid update, an object being deleted, ...): nothing has been
        written, what was set on ``obj`` the general path sets again the same way, and it then answers as it always
        does. Proven equal to the general path by ``tests/test_speed_apiserver.py``."""
        if type(obj) is not dict or type(user) is not UserInfo:
            return None
        kind = _LEAN_KINDS.get((obj.get("apiVersion"), obj.get("kind")))  # type: ignore[arg-type]
        meta = obj.get("metadata")
        if kind is not _LEASES or type(meta) is not dict:
            return None
        name, ns = meta.get("name"), meta.get("namespace")
        if type(name) is not str or not name or type(ns) is not str or not ns:
            return None
        if not self.authorizer.authorize_request(user, "update", kind.resource, kind.group, ns, name, "")[0]:
            return None
        key = kind.key(name, ns)
        store = self.store
        kv = store.get(key)
        if kv is None:
            return None
        # the watch cache's object of the stored version (read only here), as upstream's cachedExistingObject
        fanout = self.fanout
        existing = fanout.cached(key, kv) or decode(kv.value, kv.mod_revision)
        old_meta = existing["metadata"]
        rv = meta.get("resourceVersion")
        if rv and rv != old_meta["resourceVersion"]:  # (a Lease allows an unconditional update)
            return None
        if self._lean_update_refused(ns, meta, old_meta):
            return None
        meta["resourceVersion"] = old_meta["resourceVersion"]
        validated = self._validated_leases
        if existing is validated.get(key) and _renewal_only(obj, existing):
            value = encode(obj)  # BeforeUpdate, validation and the no-op check decided already (_renewal_only)
        else:
            self._before_update(strategy_for(kind), "", obj, existing)
            if admission.problems(obj, existing):
                return None  # the general path reports the 422 (what was set above it sets again, the same way)
            value = encode(obj)
            if value == kv.value or _same_object(obj, existing):
                return existing
        revision = self._put_owned(key, kv.mod_revision, value, obj)
        if not revision:
            meta["resourceVersion"] = old_meta["resourceVersion"]
            return None
        if len(validated) >= 65536:
            validated.clear()
        validated[key] = obj
        self._log_lean("update", kind.group_resource, ns, name, user, revision, 200)
        return obj

    def _put_owned(self, key: str, mod_revision: int, value: bytes, obj: Obj) -> int:
        """etcd's compare-and-put of ``value`` (``obj`` encoded), for a lean path whose ``obj`` nobody changes any
        more: ``obj`` gets the resourceVersion of the revision the write is about to commit as, and is registered in
        the watch cache under it before the write, so the watchers that etcd calls back during the write get ``obj``
        itself instead of a decoding of ``value`` (what they would get is equal: ``tests/test_speed_watchcache.py``).
        The new revision, or 0 if the comparison failed (nothing written, nothing registered)."""
        store = self.store
        revision = store._rev + 1  # what the put commits as (etcd's next revision), if it commits
        obj["metadata"]["resourceVersion"] = str(revision)
        fanout = self.fanout
        fanout.remember(key, revision, value, obj)
        if store._put_if(key, mod_revision, value) != revision:  # txn: mod_revision unchanged, then put
            fanout.forget(key)
            return 0
        return revision

    def _update_request(
        self,
        obj: Obj,
        subresource: str,
        namespace: str | None,
        user: Credentials,
        dry_run: bool,
        from_manifest: bool,
        owned: bool,
    ) -> Obj:
        meta = obj.get("metadata") if type(obj) is dict or isinstance(obj, Mapping) else None
        meta = meta if type(meta) is dict or isinstance(meta, Mapping) else {}
        name = meta.get("name") or ""
        req = Request("update", None, "", name, subresource, user, None, obj, None, dry_run, from_manifest)  # type: ignore[arg-type]
        req.owned = owned
        try:
            req.kind = self._kind_of(obj, from_manifest)
        except StatusError as err:
            self._reject(req, err)
            raise
        req.namespace = self._request_namespace(req.kind, meta.get("namespace"), namespace)
        return self._logged(req, self._update)

    def update_status(self, obj: Obj, *, user: Credentials = ADMIN, dry_run: bool = False) -> Obj:
        """Write the ``status`` subresource: only ``status`` (and metadata) change, ``spec`` is kept."""
        return self.update(obj, subresource="status", user=user, dry_run=dry_run)

    def finalize_namespace(self, obj: Obj, *, user: Credentials = ADMIN) -> Obj:
        """Write a Namespace's ``finalize`` subresource: only ``spec.finalizers`` change."""
        return self.update(obj, subresource="finalize", user=user)

    def _update(self, req: Request) -> Obj:
        self._begin(req)
        if req.subresource not in ("", "status") and not (
            req.subresource == "finalize" and req.kind.kind == "Namespace"
        ):
            raise errors.method_not_supported(f"{req.kind.group_resource}/{req.subresource}", "update")
        if req.subresource == "status" and not req.kind.has_status:
            raise errors.not_found(req.kind.group_resource, req.name)
        admission.decode(req)
        obj = req.obj = admission.default_request(req)
        return self._guaranteed_update(req, obj)

    def patch(
        self,
        kind_or_resource: str | Kind,
        name: str,
        namespace: str | None,
        merge_patch_body: Obj,
        *,
        subresource: str = "",
        user: Credentials = ADMIN,
        dry_run: bool = False,
    ) -> Obj:
        """Apply an RFC 7386 JSON merge patch to the stored object. Without a ``metadata.resourceVersion`` in
        the patch it applies to whatever is stored; with one, that version must still be current."""
        kind = _resolve(kind_or_resource)
        req = Request("patch", kind, self._request_namespace(kind, None, namespace), name, subresource, user)
        req.dry_run = dry_run
        req.extra = {"patch": merge_patch_body}
        return self._logged(req, self._patch)

    def _patch_owned(
        self,
        kind_or_resource: str | Kind,
        name: str,
        namespace: str | None,
        merge_patch_body: Obj,
        *,
        subresource: str = "",
        user: Credentials = ADMIN,
    ) -> Obj:
        """:meth:`patch` with a body the caller hands over: what it holds becomes part of the patched object as it is,
        instead of being copied first (the kubelet's status, which it only ever replaces, never changes in place).
        Only for bodies nothing in the request changes in place: a Pod's status (not defaulted, no mutating
        admission), an Event's plain fields (no defaults, no mutating admission); everything else is :meth:`patch`'s. A
        Pod's status or an Event from a client certificate's user takes a shorter way through the same stages
        (:meth:`_patch_status_lean`, :meth:`_patch_event_lean`); whatever they do not handle goes the general way."""
        kind = _resolve(kind_or_resource)
        ns = self._request_namespace(kind, None, namespace)
        if kind is _PODS and subresource == "status":
            patched = self._patch_status_lean(ns, name, merge_patch_body, user)
            if patched is not None:
                return patched
        elif kind is _EVENTS and not subresource:
            patched = self._patch_event_lean(ns, name, merge_patch_body, user)
            if patched is not None:
                return patched
        req = Request("patch", kind, ns, name, subresource, user)
        req.extra = {"patch": merge_patch_body}
        req.owned = True
        return self._logged(req, self._patch)

    def _patch_status_lean(self, ns: str, name: str, patch: Obj, user: Credentials) -> Obj | None:
        """The stages of :meth:`_patch` and :meth:`_guaranteed_update` for an owned patch of a Pod's status, called
        directly: authorization, the stored Pod and the merge, the resourceVersion check, NamespaceLifecycle (the
        Priority and DefaultTolerationSeconds plugins leave subresources alone), the status strategy's
        ``PrepareForUpdate``, ``ValidatePodStatusUpdate``, the no-op check, etcd's compare-and-put and the log record.
        ``None`` whenever the request needs more than that (a token, a missing Pod or namespace, a conflict, a bad
        patch, an invalid status, a Pod being removed, ...): nothing has been written or changed but this request's own
        new object, and the general path then answers as it always does. Proven equal to the general path by
        ``tests/test_speed_apiserver.py``."""
        kind = _PODS
        if type(user) is not UserInfo or type(patch) is not dict:
            return None
        if not self.authorizer.authorize_request(user, "patch", kind.resource, kind.group, ns, name, "status")[0]:
            return None
        key = kind.key(name, ns or None)
        store = self.store
        kv = store.get(key)
        if kv is None:
            return None
        # the watch cache's object of the stored version (never changed here: merge_patch copies what it changes)
        current = self.fanout.cached(key, kv) or decode(kv.value, kv.mod_revision)
        return self._lean_patch(kind, "status", ns, name, key, kv, current, patch, user)

    def _patch_event_lean(self, ns: str, name: str, patch: Obj, user: Credentials) -> Obj | None:
        """The stages of :meth:`_patch` and :meth:`_guaranteed_update` for an owned patch of an Event (the recorder's
        repeat: ``count``, ``lastTimestamp``, ``message``), called directly: authorization, the stored Event decoded and
        the merge, the resourceVersion check, NamespaceLifecycle, ``BeforeUpdate``, validation, the no-op check, etcd's
        compare-and-put and the log record. An Event has no defaults and no mutating admission plugin acts on it, so
        the general path would change nothing else. ``None`` whenever the request needs more than that (a token, a
        missing Event or namespace, a conflict, a bad patch, an invalid Event, ...): nothing has been written or
        changed but this request's own new object, and the general path then answers as it always does. Proven equal
        to the general path by ``tests/test_speed_kubelet_paths.py``."""
        kind = _EVENTS
        if type(user) is not UserInfo or type(patch) is not dict or _EVENT_HAS_DEFAULTS:
            return None
        if not self.authorizer.authorize_request(user, "patch", kind.resource, kind.group, ns, name, "")[0]:
            return None
        key = kind.key(name, ns or None)
        kv = self.store.get(key)
        if kv is None:
            return None
        current = decode(kv.value, kv.mod_revision)  # this request's own decoding (the Event kind is not cached)
        return self._lean_patch(kind, "", ns, name, key, kv, current, patch, user)

    def _lean_patch(
        self,
        kind: Kind,
        subresource: str,
        ns: str,
        name: str,
        key: str,
        kv: Any,
        current: Obj,
        patch: Obj,
        user: UserInfo,
    ) -> Obj | None:
        """The stages the lean patches share after reading the stored object (:meth:`_patch_status_lean`,
        :meth:`_patch_event_lean`): the merge, the name check, the resourceVersion precondition, NamespaceLifecycle,
        ``BeforeUpdate``, validation, the no-op check, etcd's compare-and-put and the log record. ``current`` is left
        untouched (``merge_patch`` copies what it changes). The patched object as stored, ``current`` for a no-op, or
        ``None`` to hand over to the general path (nothing written). A Pod (a kind the watch cache keeps) is handed to
        the watchers as written (:meth:`_put_owned`); an Event is stored as bytes for them to decode."""
        old_meta = current["metadata"]
        patched = merge_patch(current, patch)
        meta = patched.get("metadata")
        if type(meta) is not dict or meta.get("name") != name or (meta.get("namespace") or "") != ns:
            return None
        rv = (patch.get("metadata") or {}).get("resourceVersion")
        if rv and rv != old_meta["resourceVersion"]:
            return None
        meta = patched["metadata"] = {**meta, "resourceVersion": old_meta["resourceVersion"]}
        if self._lean_update_refused(ns, meta, old_meta):
            return None
        self._before_update(strategy_for(kind), subresource, patched, current)
        if admission.problems(patched, current, subresource) if subresource else admission.problems(patched, current):
            return None
        value = encode(patched)
        if value == kv.value or _same_object(patched, current):
            return current
        if kind is _PODS:  # a kind the watch cache keeps
            revision = self._put_owned(key, kv.mod_revision, value, patched)
        else:
            revision = self.store._put_if(key, kv.mod_revision, value)  # txn: mod_revision unchanged, then put
            if revision:
                meta["resourceVersion"] = str(revision)
        if not revision:
            return None
        resource = f"{kind.group_resource}/{subresource}" if subresource else kind.group_resource
        self._log_lean("patch", resource, ns, name, user, revision, 200)
        return patched

    def _patch(self, req: Request) -> Obj:
        self._begin(req)
        kind = req.kind
        if req.subresource == "status" and not kind.has_status:
            raise errors.not_found(kind.group_resource, req.name)
        key = kind.key(req.name, req.namespace or None)
        kv = self.store.get(key)
        if kv is None:
            raise errors.not_found(kind.group_resource, req.name)
        current = decode(kv.value, kv.mod_revision)
        patch = req.extra["patch"]
        patched = merge_patch(current, patch) if req.owned else _merge_patch_owned(current, patch)
        if not isinstance(patched.get("metadata"), Mapping):
            raise errors.bad_request("metadata: must be an object")
        if not ((patch.get("metadata") or {}).get("resourceVersion")):
            patched["metadata"] = {**patched["metadata"], "resourceVersion": current["metadata"]["resourceVersion"]}
        if patched.get("metadata", {}).get("name") != req.name:
            raise errors.bad_request("the name of the object does not match the name on the URL")
        # The patched object is the server's own (it shares parts only with `current`, which nothing else holds), so
        # it is defaulted in place. A Pod's defaults are all in its spec, which the status subresource replaces with
        # the stored one (podStatusStrategy.PrepareForUpdate): for pods/status defaulting could change nothing.
        if not (req.subresource == "status" and kind.kind == "Pod" and kind.group == ""):
            admission.default_in_place(patched)
        req.obj = patched
        # When nothing nested is changed in place from here on (no defaults, no mutating admission: a Pod's status,
        # an Event, a Lease), `current` serves as the stored object the update compares with (it is exactly the
        # stored version) instead of decoding it again.
        existing = current if self._reads_only(kind, req.subresource) else None
        return self._guaranteed_update(req, patched, kv, existing)

    @staticmethod
    def _reads_only(kind: Kind, subresource: str) -> bool:
        """Whether an update of ``kind`` (``subresource``) changes the new object only at its top level and in its
        metadata, after a merge patch: no defaulting (or skipped, for a Pod's status) and no mutating admission plugin
        (those change Pods only)."""
        if kind.kind == "Pod" and kind.group == "":
            return subresource == "status"
        return not has_defaults(kind.api_version, kind.kind)

    def _guaranteed_update(self, req: Request, obj: Obj, kv: Any = None, existing: Obj | None = None) -> Obj:
        """``Store.Update`` inside ``GuaranteedUpdate``: check the resourceVersion, prepare, validate, write.

        A patch passes the version it read (``kv``) and, when it may serve as the old object unchanged, its decoding
        (``existing``), as upstream's ``GuaranteedUpdate`` takes the object the request already read."""
        kind = req.kind
        strategy = strategy_for(kind)
        meta = obj.get("metadata")
        if type(meta) is not dict:
            meta = _object_meta(obj)
        if (meta.get("namespace") or "") != req.namespace:  # _match_namespace's own first test, done here
            self._match_namespace(kind, meta, req.namespace)
        key = kind.key(req.name, req.namespace or None)
        if kv is None:
            kv = self.store.get(key)
        if kv is None:
            if strategy.allow_create_on_update and not req.subresource:
                meta.pop("resourceVersion", None)
                req.verb = "create"
                return self._create_prepared(req)
            raise errors.not_found(kind.group_resource, req.name)
        if existing is None:
            existing = decode(kv.value, kv.mod_revision)
        rv = meta.get("resourceVersion")
        if not rv:
            if not strategy.allow_unconditional_update:
                raise errors.invalid_kind(
                    f"{kind.resource}.{kind.group}" if kind.group else kind.resource,
                    req.name,
                    [
                        admission_field_invalid("metadata.resourceVersion", 0, "must be specified for an update"),
                    ],
                )
        elif rv != existing["metadata"]["resourceVersion"]:
            raise errors.conflict(kind.group_resource, req.name)
        meta["resourceVersion"] = existing["metadata"]["resourceVersion"]
        req.old = existing
        req.operation = UPDATE
        self.admit(req)
        self._before_update(strategy, req.subresource, obj, existing)
        admission.validate(obj, existing, req.subresource)
        # ShouldDeleteDuringUpdate (generic/registry/store.go): an object being deleted with no grace left and no
        # finalizers in the update is removed; a Namespace also waits for its spec.finalizers
        # (ShouldDeleteNamespaceDuringUpdate, pkg/registry/core/namespace/storage/storage.go), so the namespace
        # controller's finalize write is what removes it.
        old_meta = existing["metadata"]
        if (
            not meta.get("finalizers")
            and old_meta.get("deletionTimestamp")
            and not old_meta.get("deletionGracePeriodSeconds")
            and not (kind.kind == "Namespace" and (obj.get("spec") or {}).get("finalizers"))
        ):
            return self._delete_now(req, key, kv.mod_revision, obj)
        value = encode(obj)
        # GuaranteedUpdate skips a write that changes nothing. Upstream compares the serialized bytes, whose field
        # order a Go struct fixes; a dict's key order is the writer's, so compare the content too.
        if value == kv.value or _same_object(obj, existing):
            return existing
        if req.dry_run:
            return obj
        revision = self.store._put_if(key, kv.mod_revision, value)  # txn: mod_revision unchanged, then put
        if not revision:
            raise errors.conflict(kind.group_resource, req.name)
        meta["resourceVersion"] = str(revision)
        self._log_write(req, req.verb, req.name, revision)
        return obj

    def _create_prepared(self, req: Request) -> Obj:
        req.credentials = req.user
        return self._create(req)

    @staticmethod
    def _before_update(strategy: Strategy, subresource: str, obj: Obj, old: Obj) -> None:
        """``BeforeUpdate`` (rest/update.go) with the strategy's ``PrepareForUpdate``."""
        meta, old_meta = obj["metadata"], old["metadata"]
        if "generation" in old_meta:
            meta["generation"] = old_meta["generation"]
        else:
            meta.pop("generation", None)
        if subresource == "status":
            strategy.prepare_for_status_update(obj, old)
        elif subresource == "finalize":
            if "status" in old:
                obj["status"] = old["status"]
        else:
            strategy.prepare_for_update(obj, old)
        if not meta.get("uid"):
            meta["uid"] = old_meta.get("uid")
        for field in ("creationTimestamp", "deletionTimestamp"):
            if old_meta.get(field):
                meta[field] = old_meta[field]
            else:
                meta.pop(field, None)
        if old_meta.get("deletionGracePeriodSeconds") is not None and meta.get("deletionGracePeriodSeconds") is None:
            meta["deletionGracePeriodSeconds"] = old_meta["deletionGracePeriodSeconds"]

    # ---- delete ------------------------------------------------------------------------------------------

    def delete(
        self,
        kind_or_resource: str | Kind,
        name: str,
        namespace: str | None = None,
        grace_period_seconds: int | None = None,
        propagation_policy: str | None = None,
        preconditions: Mapping[str, str] | None = None,
        *,
        user: Credentials = ADMIN,
        dry_run: bool = False,
    ) -> Obj:
        """Delete an object (see the module docstring); returns its last state, which for a graceful or
        finalized deletion still exists, with ``deletionTimestamp`` set."""
        kind = _resolve(kind_or_resource)
        req = Request("delete", kind, self._request_namespace(kind, None, namespace), name, credentials=user)
        req.dry_run = dry_run
        req.extra = {"grace": grace_period_seconds, "policy": propagation_policy, "pre": preconditions or {}}
        return self._logged(req, self._delete)

    def _delete(self, req: Request) -> Obj:
        self._begin(req)
        return self._delete_authorized(req)

    def _delete_authorized(self, req: Request) -> Obj:
        """The deletion itself, for a request already authorized (``delete`` above, or an eviction)."""
        kind = req.kind
        policy = req.extra["policy"]
        if policy is not None and policy not in PROPAGATION_POLICIES:
            raise errors.invalid_kind(
                "DeleteOptions.meta.k8s.io",
                "",
                [admission_field_not_supported("propagationPolicy", policy, [*PROPAGATION_POLICIES, "nil"])],
            )
        key = kind.key(req.name, req.namespace or None)
        kv = self.store.get(key)
        if kv is None:
            raise errors.not_found(kind.group_resource, req.name)
        obj = decode(kv.value, kv.mod_revision)
        meta = obj["metadata"]
        req.operation = DELETE
        req.old = obj
        self.admit(req)
        pre = req.extra["pre"]
        if pre.get("uid") and pre["uid"] != meta.get("uid"):
            raise errors.conflict(
                kind.qualified_kind,
                req.name,
                f"the UID in the precondition ({pre['uid']}) does not match the UID in record ({meta.get('uid')}). "
                "The object might have been deleted and then recreated",
            )
        if pre.get("resourceVersion") and pre["resourceVersion"] != meta["resourceVersion"]:
            raise errors.conflict(
                kind.qualified_kind,
                req.name,
                f"the ResourceVersion in the precondition ({pre['resourceVersion']}) does not match the "
                f"ResourceVersion in record ({meta['resourceVersion']}). The object might have been modified",
            )
        if kind.kind == "Namespace" and kind.group == "":
            if not meta.get("deletionTimestamp"):  # namespace storage: first mark it Terminating
                meta["deletionTimestamp"] = self.sim.rfc3339()
                obj.setdefault("status", {})["phase"] = "Terminating"
                changed, finalizers = _gc_finalizers(meta.get("finalizers") or [], policy)
                if changed:
                    meta["finalizers"] = finalizers
                return self._write(req, key, kv, obj)
            if (obj.get("spec") or {}).get("finalizers"):
                return obj
        strategy = strategy_for(kind)
        graceful, pending, grace = self._before_delete(strategy, obj, req.extra["grace"])
        if pending:
            return obj
        changed, finalizers = _gc_finalizers(meta.get("finalizers") or [], policy)
        if graceful or meta.get("finalizers") or changed:
            # updateForGracefulDeletionAndFinalizers
            if changed:
                if finalizers:
                    meta["finalizers"] = finalizers
                else:
                    meta.pop("finalizers", None)
            pending_finalizers = bool(meta.get("finalizers"))
            if not graceful:
                if not pending_finalizers:
                    return self._delete_now(req, key, kv.mod_revision, obj)
                self._mark_as_deleting(obj)
                return self._write(req, key, kv, obj)
            out = self._write(req, key, kv, obj)
            if pending_finalizers or grace:
                return out
            kv = self.store.get(key) if not req.dry_run else kv
            assert kv is not None
            return self._delete_now(req, key, kv.mod_revision, out)
        return self._delete_now(req, key, kv.mod_revision, obj)

    def _before_delete(self, strategy: Strategy, obj: Obj, grace: int | None) -> tuple[bool, bool, int | None]:
        """``rest.BeforeDelete``: (graceful, graceful deletion already pending, grace period)."""
        meta = obj["metadata"]
        if grace is not None and grace < 0:
            grace = 1
        current = meta.get("deletionGracePeriodSeconds")
        if current is not None and current < 0:
            current = meta["deletionGracePeriodSeconds"] = 1
        if not strategy.graceful:
            return False, False, grace
        if meta.get("deletionTimestamp"):
            if not current:
                return False, False, grace
            if grace is not None:
                if grace >= current:
                    return False, True, grace
                when = self._sim_time(meta["deletionTimestamp"]) - current + grace
                meta["deletionTimestamp"] = self.sim.rfc3339(when)
                meta["deletionGracePeriodSeconds"] = grace
                return True, False, grace
            return False, True, current
        period = strategy.check_graceful_delete(obj, grace)
        assert period is not None
        meta["deletionTimestamp"] = self.sim.rfc3339(self.sim.now + period)
        meta["deletionGracePeriodSeconds"] = period
        if meta.get("generation", 0) > 0:
            meta["generation"] += 1
        return True, False, period

    def _mark_as_deleting(self, obj: Obj) -> None:
        """``markAsDeleting``: deletionTimestamp now (unless already earlier), grace period 0."""
        meta = obj["metadata"]
        if not meta.get("deletionTimestamp") and meta.get("generation", 0) > 0:
            meta["generation"] += 1
        existing = meta.get("deletionTimestamp")
        if not existing or self._sim_time(existing) > self.sim.now:
            meta["deletionTimestamp"] = self.sim.rfc3339()
        meta["deletionGracePeriodSeconds"] = 0

    def _sim_time(self, timestamp: str) -> float:
        moment = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=self.sim.start.tzinfo)
        return (moment - self.sim.start).total_seconds()

    def _write(self, req: Request, key: str, kv: Any, obj: Obj) -> Obj:
        """A GuaranteedUpdate from a delete: write ``obj`` over the version ``kv`` (nothing if unchanged)."""
        value = encode(obj)
        if value == kv.value or req.dry_run:
            return obj
        revision = self.store._put_if(key, kv.mod_revision, value)  # txn: mod_revision unchanged, then put
        if not revision:
            raise errors.conflict(req.kind.group_resource, req.name)
        obj["metadata"]["resourceVersion"] = str(revision)
        self._log_write(req, req.verb, req.name, revision)
        return obj

    def _delete_now(self, req: Request, key: str, mod_revision: int, last: Obj) -> Obj:
        if req.dry_run:
            return last
        revision = self.store._delete_if(key, mod_revision)  # txn: mod_revision unchanged, then delete
        if not revision:
            raise errors.conflict(req.kind.group_resource, req.name)
        self._log_write(req, "delete", req.name, revision)
        return last

    # ---- eviction -----------------------------------------------------------------------------------------

    def evict(
        self,
        name: str,
        namespace: str | None = None,
        *,
        grace_period_seconds: int | None = None,
        preconditions: Mapping[str, str] | None = None,
        user: Credentials = ADMIN,
        dry_run: bool = False,
    ) -> Obj:
        """``POST pods/<name>/eviction`` (``EvictionREST.Create``, ``pkg/registry/core/pod/storage/eviction.go``):
        a graceful deletion of the Pod that honours the eviction's ``DeleteOptions`` (``grace_period_seconds``,
        ``preconditions``); returns ``Status`` ``Success`` (HTTP 201).

        The request is authorized as ``create`` on ``pods/eviction``: a user who may evict need not be allowed to
        delete. A Pod that is not running (``Pending``, ``Succeeded``, ``Failed``) or already being deleted is
        deleted without any disruption check (``canIgnorePDB``); a Pending Pod with a resourceVersion precondition
        taken from the read, as upstream (``shouldEnforceResourceVersion``). The model has no
        PodDisruptionBudget kind yet, so every other Pod is deleted as a Pod without a PDB is; the ``429 Too Many
        Requests`` (``Cannot evict pod as it would violate the pod's disruption budget.``) comes with PDBs.
        """
        pods = for_kind("Pod")
        req = Request("create", pods, namespace or "default", name, "eviction", user)
        req.dry_run = dry_run
        req.extra = {"grace": grace_period_seconds, "policy": None, "pre": dict(preconditions or {})}
        return self._logged(req, self._evict)

    def _evict(self, req: Request) -> Obj:
        self._begin(req)
        kv = self.store.get(req.kind.key(req.name, req.namespace))
        if kv is None:
            raise errors.not_found("pods", req.name)
        pod = decode(kv.value, kv.mod_revision)
        phase = (pod.get("status") or {}).get("phase")
        deleting = bool(pod["metadata"].get("deletionTimestamp"))
        can_ignore_pdb = phase in ("Succeeded", "Failed", "Pending") or deleting
        enforce_rv = phase not in ("Succeeded", "Failed") and not deleting
        if can_ignore_pdb and enforce_rv and not req.extra["pre"].get("resourceVersion"):
            req.extra["pre"] = {**req.extra["pre"], "resourceVersion": pod["metadata"]["resourceVersion"]}
        # No PodDisruptionBudget kind in the model: the disruption check always passes (see the docstring).
        self._delete_authorized(req)
        return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}

    # ---- binding -----------------------------------------------------------------------------------------

    def bind(
        self,
        pod_name: str,
        namespace: str,
        node_name: str,
        *,
        user: Credentials = ADMIN,
        uid: str | None = None,
        resource_version: str | None = None,
        annotations: Mapping[str, str] | None = None,
        dry_run: bool = False,
    ) -> Obj:
        """``POST pods/<name>/binding`` (``BindingREST``): set ``spec.nodeName`` and the ``PodScheduled``
        condition; ``409`` if the Pod is already bound (``pod web is already assigned to node "node-1"``). Returns
        upstream's answer, a ``Status`` of ``Success`` with code 201 (GET the Pod to see it bound)."""
        pods = for_kind("Pod")
        req = Request("create", pods, namespace or "default", pod_name, "binding", user)
        req.dry_run = dry_run
        req.extra = {"node": node_name, "uid": uid, "rv": resource_version, "annotations": annotations or {}}
        return self._logged(req, self._bind)

    def _bind(self, req: Request) -> Obj:
        self._begin(req)
        # Admission: a binding is a create of the pods/binding subresource, so NamespaceLifecycle refuses it in a
        # terminating namespace; Priority and DefaultTolerationSeconds skip subresources.
        req.operation = admission.CREATE
        admission.namespace_lifecycle(req, self._get_namespace)
        name = req.name
        if not req.extra["node"]:
            raise errors.invalid_kind("Binding", name, [admission_field_required("target.name")])
        key = req.kind.key(name, req.namespace)
        kv = self.store.get(key)
        if kv is None:
            raise errors.not_found("pods", name)
        pod = decode(kv.value, kv.mod_revision)
        meta = pod["metadata"]
        if req.extra["uid"] and req.extra["uid"] != meta.get("uid"):
            raise errors.conflict(
                "Pod",
                name,
                f"the UID in the precondition ({req.extra['uid']}) does not match the UID in record "
                f"({meta.get('uid')}). The object might have been deleted and then recreated",
            )
        if req.extra["rv"] and req.extra["rv"] != meta["resourceVersion"]:
            raise errors.conflict("pods", name)
        spec = pod.setdefault("spec", {})
        if meta.get("deletionTimestamp"):
            raise errors.conflict("pods/binding", name, f"pod {name} is being deleted, cannot be assigned to a host")
        if spec.get("nodeName"):
            raise errors.conflict("pods/binding", name, f'pod {name} is already assigned to node "{spec["nodeName"]}"')
        if spec.get("schedulingGates"):
            raise errors.conflict("pods/binding", name, f"pod {name} has non-empty .spec.schedulingGates")
        spec["nodeName"] = req.extra["node"]
        if req.extra["annotations"]:
            meta["annotations"] = {**(meta.get("annotations") or {}), **req.extra["annotations"]}
        _update_pod_condition(
            pod.setdefault("status", {}), {"type": "PodScheduled", "status": "True"}, self.sim.rfc3339()
        )
        if req.dry_run:
            return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}
        # The bound Pod is the server's own decoding, changed here and handed to no caller (the answer is a Status,
        # as BindingREST's): the watchers get it as it is, without decoding what was written (_put_owned).
        revision = self._put_owned(key, kv.mod_revision, encode(pod), pod)
        if not revision:  # (etcd's compare failed: not while the model runs one request at a time)
            raise errors.conflict("pods", name)
        self._log_write(req, "create", name, revision, 201)
        return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}

    # ---- watch -------------------------------------------------------------------------------------------

    def watch(
        self,
        resource: str | Kind,
        namespace: str | None = None,
        resource_version: str | None = None,
        label_selector: str | Selector | Mapping[str, str] | None = None,
        callback: Callable[[str, Obj], Any] | None = None,
        *,
        field_selector: str | None = None,
        user: Credentials = ADMIN,
    ) -> APIWatch:
        """Watch changes after ``resource_version`` (see ``watch.py``); raises :class:`k8smodel.client.Expired`
        when that version has been compacted away. Without ``callback``, events collect in ``handle.events``."""
        kind = _resolve(resource)
        req = Request("watch", kind, namespace or "" if kind.namespaced else "", credentials=user)
        req.extra = {"rv": resource_version, "ls": label_selector, "fs": field_selector, "cb": callback}
        return self._logged(req, self._watch)

    def _watch(self, req: Request) -> APIWatch:
        self._begin(req)
        matches = self._matcher(req.kind, req.extra["ls"], req.extra["fs"])
        group = req.kind.prefix()
        trigger = None
        trigger_only = False
        if group in TRIGGERS and req.extra["fs"]:
            field = TRIGGERS[group][0]
            requirements = parse_field_selector(req.extra["fs"])
            trigger = next((r.value for r in requirements if r.field == field and r.operator == "="), None)
            # the field selector is that one requirement, and there is no label selector: a kubelet's watch
            trigger_only = bool(trigger) and len(requirements) == 1 and not req.extra["ls"]
        return self.fanout.add(
            group,
            req.kind.prefix(req.namespace or None),
            req.extra["rv"],
            matches,
            req.extra["cb"],
            trigger,
            trigger_only,
        )

    def lister_watcher(
        self,
        resource: str | Kind,
        namespace: str | None = None,
        label_selector: str | Selector | Mapping[str, str] | None = None,
        field_selector: str | None = None,
        *,
        user: Credentials = ADMIN,
    ) -> ListerWatcher:
        """An object for :class:`k8smodel.client.Informer`: ``list()`` and ``watch(rv, callback)``."""
        return ListerWatcher(self, resource, namespace, label_selector, field_selector, user)

    def __repr__(self) -> str:
        return f"APIServer(revision={self.store.revision})"


# --- helpers ------------------------------------------------------------------------------------------------------


def admission_field_invalid(path: str, value: Any, detail: str) -> Any:
    from k8smodel.api.field import invalid

    return invalid(path, value, detail)


def admission_field_not_supported(path: str, value: Any, valid: Iterable[str]) -> Any:
    from k8smodel.api.field import not_supported

    return not_supported(path, value, list(valid))


def admission_field_required(path: str) -> Any:
    from k8smodel.api.field import required

    return required(path)


_PLAIN_VALUE = re.compile(r"[A-Za-z0-9._-]+")
_TRIGGER_JSON_KEYS = {"/registry/pods/": b'"nodeName":'}  # the trigger fields of watch.TRIGGERS, as stored


def _trigger_needle(kind: Kind, field_selector: str | None) -> bytes | None:
    """For a selector that requires the kind's trigger field to equal a non-empty plain value, the bytes every
    stored object with that value contains (``"nodeName":"node-1"``); ``None`` otherwise."""
    if not field_selector:
        return None
    prefix = kind.prefix()
    json_key = _TRIGGER_JSON_KEYS.get(prefix)
    if json_key is None:
        return None
    field = TRIGGERS[prefix][0]
    try:
        requirements = parse_field_selector(field_selector)
    except StatusError:
        return None
    for r in requirements:
        if r.field == field and r.operator == "=" and r.value and _PLAIN_VALUE.fullmatch(r.value):
            return json_key + b'"' + r.value.encode() + b'"'
    return None


def _gc_finalizers(finalizers: list[str], policy: str | None) -> tuple[bool, list[str]]:
    """``deletionFinalizersForGarbageCollection`` with ``shouldOrphanDependents``/``shouldDeleteDependents``."""

    def from_finalizers(yes: str, no: str) -> bool:
        for f in finalizers:
            if f == yes:
                return True
            if f == no:
                return False
        return False

    if policy is not None:
        orphan, foreground = policy == "Orphan", policy == "Foreground"
    else:
        orphan = from_finalizers(FINALIZER_ORPHAN, FINALIZER_FOREGROUND)
        foreground = from_finalizers(FINALIZER_FOREGROUND, FINALIZER_ORPHAN)
    new = [f for f in finalizers if f not in (FINALIZER_ORPHAN, FINALIZER_FOREGROUND)]
    if orphan:
        new.append(FINALIZER_ORPHAN)
    if foreground:
        new.append(FINALIZER_FOREGROUND)
    if set(new) == set(finalizers):
        return False, finalizers
    return True, new


def _update_pod_condition(status: Obj, condition: Obj, now: str) -> bool:
    """``podutil.UpdatePodCondition``: add or replace a condition; keep its transition time if unchanged."""
    condition = {"type": condition["type"], "status": condition["status"], "lastProbeTime": None, **condition}
    condition["lastTransitionTime"] = now
    conditions = status.setdefault("conditions", [])
    for i, old in enumerate(conditions):
        if old.get("type") == condition["type"]:
            if old.get("status") == condition["status"]:
                condition["lastTransitionTime"] = old.get("lastTransitionTime")
            changed = condition != old
            conditions[i] = condition
            return changed
    conditions.append(condition)
    return True


__all__ = ["APIServer", "ListerWatcher", "merge_patch"]
