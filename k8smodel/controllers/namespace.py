"""namespace: the namespace controller — empties a deleted namespace, then lets the API server remove it.

``kubectl delete namespace dev`` does not delete anything at once. The API server marks the Namespace: it gets a
``deletionTimestamp`` and ``status.phase: Terminating``, and it keeps the ``kubernetes`` entry of its
``spec.finalizers``. From then on the NamespaceLifecycle admission plugin refuses every *create* in it
(``unable to create new content in namespace dev because it is being terminated``), so nothing new can appear.
The namespace controller then does the work:

1. It notices the Namespace (an informer; every add and update of a Namespace with a ``deletionTimestamp`` is queued
   **5 s later**, ``namespaceDeletionGracePeriod``, so that every API server has seen the deletion and no late
   create slips in).
2. ``syncNamespaceFromKey`` → ``NamespacedResourcesDeleter.Delete``: read the Namespace; make sure its phase is
   ``Terminating``; return if it is already finalized (no ``spec.finalizers``); otherwise **delete all content**:
   for every namespaced resource that discovery lists and that can be deleted, estimate how long its objects may
   take to go (for Pods: the longest ``terminationGracePeriodSeconds`` of the non-terminal Pods, unless that much
   time has passed since the Namespace was deleted), delete the collection — or, where ``deletecollection`` is not
   supported, list and delete each item with ``propagationPolicy: Background`` — and list again to see what
   remains.
3. It records what it found in the Namespace's **status conditions** (``NamespaceDeletionDiscoveryFailure``,
   ``NamespaceDeletionGroupVersionParsingFailure``, ``NamespaceDeletionContentFailure``, ``NamespaceContentRemaining``,
   ``NamespaceFinalizersRemaining``; ``False`` with an "all is well" reason when nothing is wrong, e.g.
   ``ContentRemoved``/``All content successfully removed``; ``True`` with ``SomeResourcesRemain`` and
   ``Some resources are remaining: pods. has 3 resource instances`` while Pods terminate).
4. While content remains it returns ``ResourcesRemainingError`` with the estimate and the worker requeues the
   Namespace after ``estimate/2 + 1`` seconds; objects that remain with finalizers count as 15 s
   (``finalizerEstimateSeconds``); objects that remain for no reason are an error, retried with back-off
   (5 ms doubling to 60 s, ``nsControllerRateLimiter``).
5. When nothing is left it removes ``kubernetes`` from ``spec.finalizers`` through the ``finalize`` subresource.
   With no finalizer left, the API server deletes the Namespace.

Upstream sources: ``pkg/controller/namespace/namespace_controller.go`` (:class:`NamespaceController`,
``nsControllerRateLimiter``, ``enqueueNamespace``, ``worker``, ``syncNamespaceFromKey``);
``pkg/controller/namespace/deletion/namespaced_resources_deleter.go`` (:class:`NamespacedResourcesDeleter`:
``Delete``, ``initOpCache``, ``retryOnConflictError``, ``updateNamespaceStatusFunc``, ``finalized``,
``finalizeNamespace``, ``deleteCollection``, ``listCollection``, ``deleteEachItem``,
``deleteAllContentForGroupVersionResource``, ``deleteAllContent``, ``estimateGracefulTermination``,
``estimateGracefulTerminationForPods``); ``pkg/controller/namespace/deletion/status_condition_utils.go``
(:class:`NamespaceConditionUpdater`, ``updateConditions``); the defaults ``--concurrent-namespace-syncs`` (10) and
``--namespace-sync-period`` (5 min) from ``cmd/kube-controller-manager/app/options/namespacecontroller.go``.

What the model leaves out
    * ``deletecollection``: the model's API server has no collection delete, so discovery lists the verb for no
      resource and every resource takes upstream's fallback path (list, then delete each item), which upstream
      takes for resources without the verb.
    * The order of resources: upstream visits them in Go map order (random); the model in discovery order (the
      order of :data:`k8smodel.api.kinds.KINDS`).
    * One worker (upstream: 10); the reconcile takes no simulated time; discovery is the model's fixed kinds
      (it never fails unless a test injects a failure); ``retryOnConflictError`` retries at once.
    * ``delete_namespace_when_done`` (default off, as upstream since 1.15): the API server removes a Namespace when
      its ``finalize`` leaves no finalizer (``ShouldDeleteNamespaceDuringUpdate``); turned on, the controller also
      deletes the finalized Namespace itself, with a uid precondition, as upstream's deleter did when it had
      ``deleteNamespaceWhenDone`` (Kubernetes ≤ 1.14).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from k8smodel.api import errors
from k8smodel.api.errors import StatusError
from k8smodel.api.kinds import KINDS, Kind
from k8smodel.apiserver.authn import UserInfo
from k8smodel.client import (
    BucketRateLimiter,
    Informer,
    ItemExponentialFailureRateLimiter,
    MaxOfRateLimiter,
)
from k8smodel.controllers.base import Controller, ReconcileError, controller_user
from k8smodel.sim import Simulation, Timer

Obj = dict[str, Any]

NAMESPACE_CONTROLLER_USER = controller_user("namespace-controller")
"""``system:serviceaccount:kube-system:namespace-controller``."""
FINALIZER_KUBERNETES = "kubernetes"
"""``v1.FinalizerKubernetes``: the namespace controller's finalizer token."""
NAMESPACE_DELETION_GRACE_PERIOD = 5.0
"""``namespaceDeletionGracePeriod``: a deleted Namespace is processed 5 s after each event."""
FINALIZER_ESTIMATE_SECONDS = 15
"""``finalizerEstimateSeconds``: the wait assumed for objects that remain with finalizers."""
DEFAULT_NAMESPACE_SYNC_PERIOD = 300.0
"""``--namespace-sync-period`` (5 minutes): the handler's resync period."""
NAMESPACE_TERMINATING = "Terminating"

OPERATION_DELETE_COLLECTION = "deletecollection"
OPERATION_LIST = "list"

# status_condition_utils.go
NAMESPACE_DELETION_DISCOVERY_FAILURE = "NamespaceDeletionDiscoveryFailure"
NAMESPACE_DELETION_GV_PARSING_FAILURE = "NamespaceDeletionGroupVersionParsingFailure"
NAMESPACE_DELETION_CONTENT_FAILURE = "NamespaceDeletionContentFailure"
NAMESPACE_CONTENT_REMAINING = "NamespaceContentRemaining"
NAMESPACE_FINALIZERS_REMAINING = "NamespaceFinalizersRemaining"
CONDITION_TYPES = (
    NAMESPACE_DELETION_DISCOVERY_FAILURE,
    NAMESPACE_DELETION_GV_PARSING_FAILURE,
    NAMESPACE_DELETION_CONTENT_FAILURE,
    NAMESPACE_CONTENT_REMAINING,
    NAMESPACE_FINALIZERS_REMAINING,
)
OK_MESSAGES = {
    NAMESPACE_DELETION_DISCOVERY_FAILURE: "All resources successfully discovered",
    NAMESPACE_DELETION_GV_PARSING_FAILURE: "All legacy kube types successfully parsed",
    NAMESPACE_DELETION_CONTENT_FAILURE: "All content successfully deleted, may be waiting on finalization",
    NAMESPACE_CONTENT_REMAINING: "All content successfully removed",
    NAMESPACE_FINALIZERS_REMAINING: "All content successfully removed",
}
OK_REASONS = {
    NAMESPACE_DELETION_DISCOVERY_FAILURE: "ResourcesDiscovered",
    NAMESPACE_DELETION_GV_PARSING_FAILURE: "ParsedGroupVersions",
    NAMESPACE_DELETION_CONTENT_FAILURE: "ContentDeleted",
    NAMESPACE_CONTENT_REMAINING: "ContentRemoved",
    NAMESPACE_FINALIZERS_REMAINING: "ContentRemoved",
}


def ns_controller_rate_limiter() -> MaxOfRateLimiter:
    """``nsControllerRateLimiter``: 5 ms doubling to 60 s per namespace (a namespace is retried at least every
    minute), and 10 qps with a burst of 100 overall."""
    return MaxOfRateLimiter(ItemExponentialFailureRateLimiter(0.005, 60.0), BucketRateLimiter(10.0, 100))


# --- errors -------------------------------------------------------------------------------------------------------


class ResourcesRemainingError(Exception):
    """``ResourcesRemainingError``: content remains; look again in about ``estimate`` seconds."""

    def __init__(self, estimate: int) -> None:
        self.estimate = estimate
        super().__init__(f"some content remains in the namespace, estimate {estimate} seconds before it is removed")


class NamespaceDeletionError(ReconcileError):
    """Any other failure of a namespace sync (upstream's plain errors and ``utilerrors.NewAggregate``); retried
    with the queue's back-off."""


def aggregate(errs: list[Exception]) -> NamespaceDeletionError | None:
    """``utilerrors.NewAggregate``: ``None`` for no error, the message itself for one, ``[a, b]`` for more."""
    if not errs:
        return None
    if len(errs) == 1:
        return NamespaceDeletionError(str(errs[0]))
    return NamespaceDeletionError("[" + ", ".join(str(e) for e in errs) + "]")


class DiscoveryError(Exception):
    """A discovery failure (``discovery.ErrGroupDiscoveryFailed`` when ``groups`` names the failing groups)."""

    def __init__(self, message: str, groups: Mapping[str, str] | None = None) -> None:
        self.groups = dict(groups or {})
        super().__init__(message)


# --- discovery ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiscoveredResource:
    """One entry of ``ServerPreferredNamespacedResources``: a kind and the verbs it supports."""

    kind: Kind
    verbs: tuple[str, ...] = ("create", "delete", "get", "list", "patch", "update", "watch")

    @property
    def gvr(self) -> str:
        """``GroupVersionResource.String()``: ``apps/v1, Resource=deployments``, ``/v1, Resource=pods``."""
        group_version = f"{self.kind.group}/{self.kind.version}"
        return f"{group_version}, Resource={self.kind.resource}"


def discover_namespaced_resources() -> tuple[list[DiscoveredResource], Exception | None]:
    """The model's discovery: every namespaced kind the API server serves, with the verbs it supports (no
    ``deletecollection``: see the module docstring)."""
    return [DiscoveredResource(k) for k in KINDS if k.namespaced], None


# --- status conditions (status_condition_utils.go) ----------------------------------------------------------------


@dataclass
class GVRDeletionMetadata:
    """``gvrDeletionMetadata``."""

    finalizer_estimate_seconds: int = 0
    num_remaining: int = 0
    finalizers_to_num_remaining: dict[str, int] = field(default_factory=dict)


@dataclass
class AllGVRDeletionMetadata:
    """``allGVRDeletionMetadata``: remaining objects per resource (``"pods."``: resource and group, as upstream
    prints them) and per finalizer."""

    gvr_to_num_remaining: dict[tuple[str, str], int] = field(default_factory=dict)
    finalizers_to_num_remaining: dict[str, int] = field(default_factory=dict)


def get_condition(conditions: list[Obj], condition_type: str) -> Obj | None:
    """``getCondition``."""
    for c in conditions:
        if c.get("type") == condition_type:
            return c
    return None


def new_successful_condition(condition_type: str, now: str = "") -> Obj:
    """``newSuccessfulCondition``: ``False`` with the "all is well" reason and message."""
    return {
        "type": condition_type,
        "status": "False",
        "lastTransitionTime": now,
        "reason": OK_REASONS[condition_type],
        "message": OK_MESSAGES[condition_type],
    }


def update_conditions(status: Obj, new_conditions: list[Obj], now: str = "") -> bool:
    """``updateConditions``: for each condition type the deleter maintains, set the new condition (or the
    successful one); an existing condition is changed in place, keeping its transition time unless the status
    changed. Returns whether anything changed."""
    changed = False
    conditions = status.setdefault("conditions", [])
    for condition_type in CONDITION_TYPES:
        new = get_condition(new_conditions, condition_type) or new_successful_condition(condition_type, now)
        old = get_condition(conditions, condition_type)
        if old is None:
            conditions.append(dict(new))
            changed = True
        elif (
            old.get("status") != new.get("status")
            or old.get("message") != new.get("message")
            or old.get("reason") != new.get("reason")
        ):
            if old.get("status") != new.get("status"):
                old["lastTransitionTime"] = now
            old["type"] = new["type"]
            old["status"] = new["status"]
            old["reason"] = new.get("reason", "")
            old["message"] = new.get("message", "")
            changed = True
    return changed


class NamespaceConditionUpdater:
    """``namespaceConditionUpdater``: turns the deleter's errors and leftovers into status conditions."""

    def __init__(self, now: str = "") -> None:
        self.now = now
        self.new_conditions: list[Obj] = []
        self.delete_content_errors: list[Exception] = []

    def _add(self, condition_type: str, reason: str, message: str) -> None:
        self.new_conditions.append(
            {
                "type": condition_type,
                "status": "True",
                "lastTransitionTime": self.now,
                "reason": reason,
                "message": message,
            }
        )

    def process_group_version_err(self, err: Exception) -> None:
        """``ProcessGroupVersionErr``."""
        self._add(NAMESPACE_DELETION_GV_PARSING_FAILURE, "GroupVersionParsingFailed", str(err))

    def process_discover_resources_err(self, err: Exception) -> None:
        """``ProcessDiscoverResourcesErr``."""
        if isinstance(err, DiscoveryError) and err.groups:
            message = f"Discovery failed for some groups, {len(err.groups)} failing: {err}"
        else:
            message = str(err)
        self._add(NAMESPACE_DELETION_DISCOVERY_FAILURE, "DiscoveryFailed", message)

    def process_content_totals(self, totals: AllGVRDeletionMetadata) -> None:
        """``ProcessContentTotals``: ``NamespaceContentRemaining`` and ``NamespaceFinalizersRemaining``."""
        if totals.gvr_to_num_remaining:
            remaining = sorted(
                f"{resource}.{group} has {n} resource instances"
                for (resource, group), n in totals.gvr_to_num_remaining.items()
                if n
            )
            self._add(
                NAMESPACE_CONTENT_REMAINING,
                "SomeResourcesRemain",
                f"Some resources are remaining: {', '.join(remaining)}",
            )
        if totals.finalizers_to_num_remaining:
            by_finalizer = sorted(
                f"{finalizer} in {n} resource instances"
                for finalizer, n in totals.finalizers_to_num_remaining.items()
                if n
            )
            self._add(
                NAMESPACE_FINALIZERS_REMAINING,
                "SomeFinalizerRemain",
                f"Some finalizers are remaining: {', '.join(by_finalizer)}",
            )

    def process_delete_content_err(self, err: Exception) -> None:
        """``ProcessDeleteContentErr``."""
        self.delete_content_errors.append(err)

    def update(self, ns: Obj) -> bool:
        """``Update``: compile the errors into conditions and write them into ``ns["status"]``."""
        if (
            get_condition(self.new_conditions, NAMESPACE_DELETION_CONTENT_FAILURE) is None
            and self.delete_content_errors
        ):
            msgs = sorted(str(e) for e in self.delete_content_errors)
            self._add(
                NAMESPACE_DELETION_CONTENT_FAILURE,
                "ContentDeletionFailed",
                f"Failed to delete all resource types, {len(msgs)} remaining: {', '.join(msgs)}",
            )
        return update_conditions(ns.setdefault("status", {}), self.new_conditions, self.now)


# --- the deleter (namespaced_resources_deleter.go) ----------------------------------------------------------------


def finalized(namespace: Mapping[str, Any]) -> bool:
    """``finalized``: no ``spec.finalizers`` left."""
    return not (namespace.get("spec") or {}).get("finalizers")


class NamespacedResourcesDeleter:
    """``namespacedResourcesDeleter``: deletes everything in a namespace, then finalizes the namespace.

    ``discover_resources()`` returns the discovered namespaced resources and a discovery error (or ``None``);
    default :func:`discover_namespaced_resources`.
    """

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        *,
        user: UserInfo = NAMESPACE_CONTROLLER_USER,
        finalizer_token: str = FINALIZER_KUBERNETES,
        discover_resources: Callable[[], tuple[list[DiscoveredResource], Exception | None]] | None = None,
        delete_namespace_when_done: bool = False,
    ) -> None:
        self.sim = sim
        self.api = api
        self.user = user
        self.finalizer_token = finalizer_token
        self.discover_resources = discover_resources or discover_namespaced_resources
        self.delete_namespace_when_done = delete_namespace_when_done
        self._op_cache: set[tuple[str, str]] | None = None  # (operation, resource) not supported

    # ---- the operation cache -----------------------------------------------------------------------------

    def _init_op_cache(self) -> set[tuple[str, str]]:
        """``initOpCache``: from discovery, the list and deletecollection operations each resource lacks."""
        not_supported: set[tuple[str, str]] = set()
        resources, _ = self.discover_resources()
        for r in resources:
            for op in (OPERATION_LIST, OPERATION_DELETE_COLLECTION):
                if op not in r.verbs:
                    not_supported.add((op, r.kind.group_resource))
        return not_supported

    def is_supported(self, operation: str, kind: Kind) -> bool:
        if self._op_cache is None:
            self._op_cache = self._init_op_cache()
        return (operation, kind.group_resource) not in self._op_cache

    # ---- Delete ------------------------------------------------------------------------------------------

    def delete(self, ns_name: str) -> None:
        """``Delete``: raises :class:`ResourcesRemainingError` while content remains, a
        :class:`~k8smodel.api.errors.StatusError` or :class:`NamespaceDeletionError` on failure."""
        try:
            namespace = self.api.get("namespaces", ns_name, user=self.user)
        except StatusError as err:
            if errors.is_not_found(err):
                return
            raise
        if not namespace["metadata"].get("deletionTimestamp"):
            return
        try:
            namespace = self.retry_on_conflict_error(namespace, self.update_namespace_status_func)
        except StatusError as err:
            if errors.is_not_found(err):
                return
            raise
        if not namespace["metadata"].get("deletionTimestamp"):
            return
        if finalized(namespace):
            if self.delete_namespace_when_done:
                self.delete_namespace(namespace)
            return
        estimate, err = self.delete_all_content(namespace)
        if err is not None:
            raise err
        if estimate > 0:
            raise ResourcesRemainingError(estimate)
        try:
            namespace = self.retry_on_conflict_error(namespace, self.finalize_namespace)
        except StatusError as err:
            if errors.is_not_found(err):
                return
            raise
        self.sim.log(
            "namespace.finalized",
            namespace=ns_name,
            finalizers=len((namespace.get("spec") or {}).get("finalizers") or ()),
        )
        if self.delete_namespace_when_done and finalized(namespace):
            self.delete_namespace(namespace)

    def delete_namespace(self, namespace: Obj) -> None:
        """``deleteNamespace`` (``deleteNamespaceWhenDone``): delete the finalized Namespace, uid precondition."""
        meta = namespace["metadata"]
        pre = {"uid": meta["uid"]} if meta.get("uid") else None
        try:
            self.api.delete("namespaces", meta["name"], preconditions=pre, user=self.user)
        except StatusError as err:
            if not errors.is_not_found(err):
                raise

    def retry_on_conflict_error(self, namespace: Obj, fn: Callable[[Obj], Obj]) -> Obj:
        """``retryOnConflictError``: call ``fn`` until it does not conflict, re-reading the Namespace in between;
        fails if the Namespace's uid changed meanwhile."""
        latest = namespace
        while True:
            try:
                return fn(latest)
            except StatusError as err:
                if not errors.is_conflict(err):
                    raise
            previous = latest
            latest = self.api.get("namespaces", latest["metadata"]["name"], user=self.user)
            if previous["metadata"].get("uid") != latest["metadata"].get("uid"):
                raise NamespaceDeletionError("namespace uid has changed across retries")

    def update_namespace_status_func(self, namespace: Obj) -> Obj:
        """``updateNamespaceStatusFunc``: make sure a deleted Namespace's phase is ``Terminating``."""
        if (
            not namespace["metadata"].get("deletionTimestamp")
            or (namespace.get("status") or {}).get("phase") == NAMESPACE_TERMINATING
        ):
            return namespace
        new = {**namespace, "status": {**(namespace.get("status") or {}), "phase": NAMESPACE_TERMINATING}}
        return self.api.update_status(new, user=self.user)

    def finalize_namespace(self, namespace: Obj) -> Obj:
        """``finalizeNamespace``: the ``finalize`` subresource with this controller's token removed (the rest
        sorted, as ``sets.String.List``)."""
        remaining = sorted(
            {f for f in (namespace.get("spec") or {}).get("finalizers") or () if f != self.finalizer_token}
        )
        body = {
            "apiVersion": namespace.get("apiVersion", "v1"),
            "kind": namespace.get("kind", "Namespace"),
            "metadata": namespace["metadata"],
            "spec": {**(namespace.get("spec") or {}), "finalizers": remaining},
        }
        try:
            return self.api.finalize_namespace(body, user=self.user)
        except StatusError as err:
            if errors.is_not_found(err):  # removed already: life is good
                return body
            raise

    # ---- deleting content --------------------------------------------------------------------------------

    def delete_collection(self, resource: DiscoveredResource, namespace: str) -> bool:
        """``deleteCollection``: whether a collection delete was done (never, in the model: the API server
        has no ``deletecollection``; see the module docstring)."""
        if not self.is_supported(OPERATION_DELETE_COLLECTION, resource.kind):
            return False
        delete_collection = getattr(self.api, "delete_collection", None)
        if delete_collection is None:
            return False
        try:
            delete_collection(resource.kind, namespace, propagation_policy="Background", user=self.user)
        except StatusError as err:
            if errors.is_method_not_supported(err) or errors.is_not_found(err):
                return False
            raise
        return True

    def list_collection(self, resource: DiscoveredResource, namespace: str) -> tuple[list[Obj], bool]:
        """``listCollection``: the items, and whether listing is supported (``NotFound`` and
        ``MethodNotSupported`` mean it is not)."""
        if not self.is_supported(OPERATION_LIST, resource.kind):
            return [], False
        try:
            items, _ = self.api.list(resource.kind, namespace, user=self.user)
        except StatusError as err:
            if errors.is_method_not_supported(err) or errors.is_not_found(err):
                return [], False
            raise
        return items, True

    def delete_each_item(self, resource: DiscoveredResource, namespace: str) -> None:
        """``deleteEachItem``: list, then delete every item with ``propagationPolicy: Background``."""
        items, supported = self.list_collection(resource, namespace)
        if not supported:
            return
        for item in items:
            try:
                self.api.delete(
                    resource.kind, item["metadata"]["name"], namespace, propagation_policy="Background", user=self.user
                )
            except StatusError as err:
                if not (errors.is_not_found(err) or errors.is_method_not_supported(err)):
                    raise

    def delete_all_content_for_gvr(
        self, resource: DiscoveredResource, namespace: str, deleted_at: float
    ) -> tuple[GVRDeletionMetadata, Exception | None]:
        """``deleteAllContentForGroupVersionResource``: delete one resource's objects; report what remains."""
        try:
            estimate = self.estimate_graceful_termination(resource, namespace, deleted_at)
        except StatusError as err:
            return GVRDeletionMetadata(), err
        try:
            if not self.delete_collection(resource, namespace):
                self.delete_each_item(resource, namespace)
            items, supported = self.list_collection(resource, namespace)
        except StatusError as err:
            return GVRDeletionMetadata(finalizer_estimate_seconds=estimate), err
        if not supported:
            return GVRDeletionMetadata(finalizer_estimate_seconds=estimate), None
        if not items:
            return GVRDeletionMetadata(), None
        finalizers: dict[str, int] = {}
        for item in items:
            for f in item["metadata"].get("finalizers") or ():
                finalizers[f] = finalizers.get(f, 0) + 1
        if estimate != 0:
            return GVRDeletionMetadata(estimate, len(items), finalizers), None
        if finalizers:
            return GVRDeletionMetadata(FINALIZER_ESTIMATE_SECONDS, len(items), finalizers), None
        return GVRDeletionMetadata(estimate, len(items)), NamespaceDeletionError(
            f"unexpected items still remain in namespace: {namespace} for gvr: {resource.gvr}"
        )

    def delete_all_content(self, ns: Obj) -> tuple[int, NamespaceDeletionError | None]:
        """``deleteAllContent``: every deletable namespaced resource in turn; the largest estimate; the conditions
        written to the Namespace's status; all errors aggregated (``None`` if none)."""
        namespace = ns["metadata"]["name"]
        deleted_at = self._sim_time(ns["metadata"]["deletionTimestamp"])
        errs: list[Exception] = []
        updater = NamespaceConditionUpdater(self.sim.rfc3339())
        estimate = 0
        resources, discovery_err = self.discover_resources()
        if discovery_err is not None:
            errs.append(discovery_err)
            updater.process_discover_resources_err(discovery_err)
        deletable = [r for r in resources if "delete" in r.verbs]
        totals = AllGVRDeletionMetadata()
        for resource in deletable:
            meta, err = self.delete_all_content_for_gvr(resource, namespace, deleted_at)
            if err is not None:
                errs.append(err)
                updater.process_delete_content_err(err)
            if meta.finalizer_estimate_seconds > estimate:
                estimate = meta.finalizer_estimate_seconds
            if meta.num_remaining > 0:
                totals.gvr_to_num_remaining[(resource.kind.resource, resource.kind.group)] = meta.num_remaining
                for finalizer, n in meta.finalizers_to_num_remaining.items():
                    if n:
                        totals.finalizers_to_num_remaining[finalizer] = (
                            totals.finalizers_to_num_remaining.get(finalizer, 0) + n
                        )
        updater.process_content_totals(totals)
        if updater.update(ns):
            try:
                self.api.update_status(ns, user=self.user)
            except StatusError as err:  # "couldn't update status condition for namespace": logged, not returned
                self.sim.log("namespace.status_update_failed", namespace=namespace, error=str(err))
        err = aggregate(errs)
        self.sim.log(
            "namespace.delete_content",
            namespace=namespace,
            estimate=estimate,
            remaining=sum(totals.gvr_to_num_remaining.values()),
            error=str(err) if err else "",
        )
        return estimate, err

    def estimate_graceful_termination(self, resource: DiscoveredResource, namespace: str, deleted_at: float) -> int:
        """``estimateGracefulTermination``: for Pods the longest grace period, unless that long has passed since
        the Namespace was deleted; 0 for every other resource."""
        estimate = 0
        if resource.kind.group == "" and resource.kind.resource == "pods":
            estimate = self.estimate_graceful_termination_for_pods(namespace)
        if self.sim.now - deleted_at >= estimate:
            estimate = 0
        return estimate

    def estimate_graceful_termination_for_pods(self, namespace: str) -> int:
        """``estimateGracefulTerminationForPods``: the largest ``terminationGracePeriodSeconds`` of the Pods that
        are not ``Succeeded`` or ``Failed``."""
        items, _ = self.api.list("pods", namespace, user=self.user)
        estimate = 0
        for pod in items:
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                continue
            grace = (pod.get("spec") or {}).get("terminationGracePeriodSeconds")
            if grace is not None and grace > estimate:
                estimate = int(grace)
        return estimate

    def _sim_time(self, timestamp: str) -> float:
        moment = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=self.sim.start.tzinfo)
        return (moment - self.sim.start).total_seconds()


# --- the controller (namespace_controller.go) ---------------------------------------------------------------------


class NamespaceController(Controller):
    """``NamespaceController``: queues deleted Namespaces (5 s later) and runs the deleter on them.

    Register it with ``cluster.add_control_plane_component("namespace-controller", NamespaceController(sim, api,
    namespace_informer=cluster.shared_informer("namespaces")))``. ``resync_period`` is ``--namespace-sync-period``
    (every Namespace is looked at again that often; 0 turns it off).
    """

    name = "namespace-controller"

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        *,
        namespace_informer: Informer | None = None,
        user: UserInfo = NAMESPACE_CONTROLLER_USER,
        resync_period: float = DEFAULT_NAMESPACE_SYNC_PERIOD,
        discover_resources: Callable[[], tuple[list[DiscoveredResource], Exception | None]] | None = None,
        delete_namespace_when_done: bool = False,
        workers: int = 1,
    ) -> None:
        super().__init__(
            sim, api, user=user, queue_name="namespace", workers=workers, rate_limiter=ns_controller_rate_limiter()
        )
        self.namespaces = namespace_informer or Informer(
            sim, api.lister_watcher("namespaces", user=user), name="namespace-controller/namespaces"
        )
        self.deleter = NamespacedResourcesDeleter(
            sim,
            api,
            user=user,
            discover_resources=discover_resources,
            delete_namespace_when_done=delete_namespace_when_done,
        )
        self.resync_period = resync_period
        self._resync: Timer | None = None
        self.watch(
            self.namespaces, on_add=self.enqueue_namespace, on_update=lambda _old, new: self.enqueue_namespace(new)
        )

    def enqueue_namespace(self, namespace: Obj) -> None:
        """``enqueueNamespace``: a Namespace being deleted is queued ``namespaceDeletionGracePeriod`` later."""
        if not namespace["metadata"].get("deletionTimestamp"):
            return
        self.enqueue_after(namespace, NAMESPACE_DELETION_GRACE_PERIOD)

    def reconcile(self, key: str) -> None:
        """``syncNamespaceFromKey``."""
        namespace = self.namespaces.get(key)
        if namespace is None:
            self.sim.log("namespace.deleted", namespace=key)
            return
        self.deleter.delete(namespace["metadata"]["name"])

    retried_errors = (*Controller.retried_errors, ResourcesRemainingError)

    def handle_error(self, key: str, err: Exception) -> None:
        """The ``worker``'s ``workFunc``: content remaining requeues after ``estimate/2 + 1`` seconds; any other
        error with the rate limiter."""
        if isinstance(err, ResourcesRemainingError):
            wait = err.estimate // 2 + 1
            self.sim.log("namespace.content_remaining", namespace=key, estimate=err.estimate, wait_seconds=wait)
            self.queue.add_after(key, wait)
            return
        super().handle_error(key, err)

    def _resync_all(self) -> None:
        """The handler's resync (``AddEventHandlerWithResyncPeriod``): every cached Namespace as an update."""
        for namespace in self.namespaces.list():
            self.enqueue_namespace(namespace)

    def start(self) -> None:
        if self.running:
            return
        super().start()
        if self.resync_period > 0:
            self._resync = self.sim.every(self.resync_period, self._resync_all, start=self.sim.now + self.resync_period)

    def stop(self) -> None:
        if self._resync is not None:
            self._resync.cancel()
            self._resync = None
        super().stop()


def terminating_namespaces(namespaces: Iterable[Obj]) -> list[str]:
    """The names of the Namespaces in ``Terminating`` phase (for a chapter's table)."""
    return [
        ns["metadata"]["name"] for ns in namespaces if (ns.get("status") or {}).get("phase") == NAMESPACE_TERMINATING
    ]


__all__ = [
    "CONDITION_TYPES",
    "FINALIZER_ESTIMATE_SECONDS",
    "FINALIZER_KUBERNETES",
    "NAMESPACE_CONTROLLER_USER",
    "NAMESPACE_DELETION_GRACE_PERIOD",
    "DiscoveredResource",
    "DiscoveryError",
    "NamespaceConditionUpdater",
    "NamespaceController",
    "NamespaceDeletionError",
    "NamespacedResourcesDeleter",
    "ResourcesRemainingError",
    "discover_namespaced_resources",
    "finalized",
    "ns_controller_rate_limiter",
    "update_conditions",
]
