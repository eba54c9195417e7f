"""The namespace controller (k8smodel.controllers.namespace) and NamespaceLifecycle admission.

Unit tests translate upstream's ``pkg/controller/namespace/deletion/namespaced_resources_deleter_test.go``
(``TestFinalized``, ``TestFinalizeNamespaceFunc``, ``testSyncNamespaceThatIsTerminating``, ``TestRetryOnConflictError``,
``TestSyncNamespaceThatIsActive``, ``TestDeleteEncounters404``), ``status_condition_utils_test.go``
(``TestUpdateConditions``, ``TestProcessContentTotals``) and
``staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission_test.go``
(``TestAdmissionNamespaceTerminating``, ``TestAdmissionNamespaceDoesNotExist``); integration tests delete a namespace
with Pods running on kubelets.
"""

from __future__ import annotations

from typing import Any

import pytest

from k8smodel import Cluster
from k8smodel.api import errors
from k8smodel.api.kinds import Kind, for_kind, for_resource
from k8smodel.apiserver import APIServer
from k8smodel.controllers.garbagecollector import GarbageCollector
from k8smodel.controllers.namespace import (
    CONDITION_TYPES,
    NAMESPACE_CONTENT_REMAINING,
    NAMESPACE_DELETION_CONTENT_FAILURE,
    NAMESPACE_DELETION_DISCOVERY_FAILURE,
    NAMESPACE_DELETION_GV_PARSING_FAILURE,
    NAMESPACE_FINALIZERS_REMAINING,
    AllGVRDeletionMetadata,
    DiscoveredResource,
    NamespaceConditionUpdater,
    NamespaceController,
    NamespacedResourcesDeleter,
    ResourcesRemainingError,
    discover_namespaced_resources,
    finalized,
    new_successful_condition,
    update_conditions,
)
from k8smodel.sim import Simulation

# --- helpers ------------------------------------------------------------------------------------------------------


class RecordingAPI:
    """The real API server, recording ``verb-resource-subresource`` for every request the deleter makes (upstream
    compares the fake clientset's actions the same way)."""

    def __init__(self, api: APIServer) -> None:
        self._api = api
        self.actions: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._api, name)

    @staticmethod
    def _resource(kind: Any) -> str:
        return (kind if isinstance(kind, Kind) else for_resource(kind)).resource

    def get(self, kind: Any, name: str, namespace: str | None = None, **kw: Any) -> Any:
        self.actions.append(f"get-{self._resource(kind)}-")
        return self._api.get(kind, name, namespace, **kw)

    def list(self, kind: Any, namespace: str | None = None, *a: Any, **kw: Any) -> Any:
        self.actions.append(f"list-{self._resource(kind)}-")
        return self._api.list(kind, namespace, *a, **kw)

    def delete(self, kind: Any, name: str, namespace: str | None = None, **kw: Any) -> Any:
        self.actions.append(f"delete-{self._resource(kind)}-")
        return self._api.delete(kind, name, namespace, **kw)

    def update_status(self, obj: dict, **kw: Any) -> Any:
        self.actions.append("update-namespaces-status")
        return self._api.update_status(obj, **kw)

    def finalize_namespace(self, obj: dict, **kw: Any) -> Any:
        self.actions.append("update-namespaces-finalize")
        return self._api.finalize_namespace(obj, **kw)

    def take(self) -> set[str]:
        actions, self.actions = self.actions, []
        return set(actions)


def _ns(name: str, finalizers: list[str] | None = None) -> dict:
    ns: dict[str, Any] = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
    if finalizers is not None:
        ns["spec"] = {"finalizers": finalizers}
    return ns


def _pod(name: str, namespace: str, **meta: Any) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, **meta},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }


@pytest.fixture
def server():
    sim = Simulation(0)
    return sim, APIServer(sim)


def _terminating(api: APIServer, name: str, *, finalized_already: bool = False) -> dict:
    ns = _ns(name)
    if finalized_already:
        # upstream's fake client keeps returning a finalized Namespace; on a real API server only a metadata
        # finalizer keeps one in the store once its spec.finalizers are gone (ShouldDeleteNamespaceDuringUpdate)
        ns["metadata"]["finalizers"] = ["example.com/hold"]
    api.create(ns)
    api.delete("namespaces", name)
    ns = api.get("namespaces", name)
    if finalized_already:
        ns["spec"]["finalizers"] = []
        ns = api.finalize_namespace(ns)
    return ns


def _all_lists() -> set[str]:
    resources, _ = discover_namespaced_resources()
    return {f"list-{r.kind.resource}-" for r in resources}


def _discovery_error(message: str):
    def discover() -> tuple[list[DiscoveredResource], Exception | None]:
        resources, _ = discover_namespaced_resources()
        return resources, Exception(message)

    return discover


# --- the deleter --------------------------------------------------------------------------------------------------


def test_finalized():
    # upstream TestFinalized
    assert not finalized({"spec": {"finalizers": ["a", "b"]}})
    assert finalized({"spec": {"finalizers": []}})
    assert finalized({})


def test_finalize_namespace_func(server):
    # upstream TestFinalizeNamespaceFunc: one finalize request, leaving the other finalizer
    sim, real = server
    api = RecordingAPI(real)
    real.create(_ns("test", ["kubernetes", "other"]))
    d = NamespacedResourcesDeleter(sim, api)
    d.finalize_namespace(real.get("namespaces", "test"))
    assert api.actions == ["update-namespaces-finalize"]
    assert real.get("namespaces", "test")["spec"]["finalizers"] == ["other"]


@pytest.mark.parametrize(
    ("case", "finalized_already", "discovery_error", "expected", "error", "condition"),
    [
        pytest.param(
            "pending-finalize",
            False,
            None,
            {"get-namespaces-", "list-pods-", "update-namespaces-status", "update-namespaces-finalize"},
            None,
            None,
            id="pending-finalize",
        ),
        pytest.param("complete-finalize", True, None, {"get-namespaces-"}, None, None, id="complete-finalize"),
        pytest.param(
            "groupVersionResourceErr", True, "test error", {"get-namespaces-"}, None, None, id="groupVersionResourceErr"
        ),
        pytest.param(
            "groupVersionResourceErr-finalize",
            False,
            "test error",
            {"get-namespaces-", "list-pods-", "update-namespaces-status"},
            "test error",
            NAMESPACE_DELETION_DISCOVERY_FAILURE,
            id="groupVersionResourceErr-finalize",
        ),
    ],
)
def test_sync_namespace_that_is_terminating(
    server, case, finalized_already, discovery_error, expected, error, condition
):
    # upstream testSyncNamespaceThatIsTerminating (the model has no deletecollection: each resource is listed to
    # delete its items one by one, then listed again to verify nothing remains)
    sim, real = server
    _terminating(real, "test", finalized_already=finalized_already)
    api = RecordingAPI(real)
    discover = _discovery_error(discovery_error) if discovery_error else None
    d = NamespacedResourcesDeleter(sim, api, discover_resources=discover, delete_namespace_when_done=False)
    if error:
        with pytest.raises(Exception, match=error):
            d.delete("test")
    else:
        d.delete("test")
    actions = api.take()
    if "list-pods-" in expected:
        expected = expected | _all_lists()
    assert actions == expected
    if case == "pending-finalize":  # the finalize removed the last finalizer: the API server removed the Namespace
        with pytest.raises(errors.StatusError) as gone:
            real.get("namespaces", "test")
        assert errors.is_not_found(gone.value)
        return
    ns = real.get("namespaces", "test")
    assert ns["status"]["phase"] == "Terminating"
    if condition:
        c = next(c for c in ns["status"]["conditions"] if c["type"] == condition)
        assert (c["status"], c["reason"], c["message"]) == ("True", "DiscoveryFailed", "test error")


def test_retry_on_conflict_error(server):
    # upstream TestRetryOnConflictError: a conflict is retried once with the namespace read again
    sim, real = server
    real.create(_ns("test"))
    tries = []

    def retry_once(ns: dict) -> dict:
        tries.append(ns)
        if len(tries) <= 1:
            raise errors.conflict("namespaces", ns["metadata"]["name"])
        return ns

    d = NamespacedResourcesDeleter(sim, real)
    d.retry_on_conflict_error(real.get("namespaces", "test"), retry_once)
    assert len(tries) == 2


def test_sync_namespace_that_is_active(server):
    # upstream TestSyncNamespaceThatIsActive: only a get
    sim, real = server
    real.create(_ns("test"))
    api = RecordingAPI(real)
    NamespacedResourcesDeleter(sim, api).delete("test")
    assert api.actions == ["get-namespaces-"]


def test_delete_encounters_404(server):
    # upstream TestDeleteEncounters404: a discovered resource the server answers with NotFound is skipped
    sim, real = server
    flakes = DiscoveredResource(Kind("Flake", "example.com", "v1", "flakes", True))

    def discover() -> tuple[list[DiscoveredResource], Exception | None]:
        resources, _ = discover_namespaced_resources()
        return [flakes, *resources], None

    for name in ("ns1", "ns2"):
        _terminating(real, name)
        NamespacedResourcesDeleter(sim, real, discover_resources=discover, delete_namespace_when_done=False).delete(
            name
        )
        with pytest.raises(errors.StatusError) as gone:  # finalized, so removed
            real.get("namespaces", name)
        assert errors.is_not_found(gone.value)


def test_delete_namespace_when_done_removes_the_finalized_namespace(server):
    # upstream's deleteNamespaceWhenDone (Kubernetes <= 1.14): the finalized Namespace is deleted by the deleter too
    sim, real = server
    _terminating(real, "test")
    NamespacedResourcesDeleter(sim, real, delete_namespace_when_done=True).delete("test")
    with pytest.raises(errors.StatusError) as gone:
        real.get("namespaces", "test")
    assert errors.is_not_found(gone.value)


def test_content_remaining_gives_an_estimate_from_the_pods_grace_period(server):
    sim, real = server
    real.create(_ns("dev"))
    real.create(_pod("web", "dev"))
    real.bind("web", "dev", "node-1")  # on a node: deleted gracefully (30 s), and nobody finishes it here
    real.delete("namespaces", "dev")
    d = NamespacedResourcesDeleter(sim, real)
    sim.run(until=5)
    with pytest.raises(ResourcesRemainingError) as info:
        d.delete("dev")
    assert info.value.estimate == 30
    assert str(info.value) == "some content remains in the namespace, estimate 30 seconds before it is removed"
    pod = real.get("pods", "web", "dev")
    assert pod["metadata"]["deletionTimestamp"] == "2026-01-01T00:00:35Z"
    conditions = {c["type"]: c for c in real.get("namespaces", "dev")["status"]["conditions"]}
    assert [c for c in conditions] == list(CONDITION_TYPES)
    remaining = conditions[NAMESPACE_CONTENT_REMAINING]
    assert (remaining["status"], remaining["reason"], remaining["message"]) == (
        "True",
        "SomeResourcesRemain",
        "Some resources are remaining: pods. has 1 resource instances",
    )
    # 30 s after the namespace was deleted the estimate is spent: a Pod still there is an error
    sim.run(until=31)
    with pytest.raises(Exception, match=r"unexpected items still remain in namespace: dev for gvr: /v1, Resource=pods"):
        d.delete("dev")
    failure = next(
        c
        for c in real.get("namespaces", "dev")["status"]["conditions"]
        if c["type"] == NAMESPACE_DELETION_CONTENT_FAILURE
    )
    assert failure["status"] == "True" and failure["reason"] == "ContentDeletionFailed"
    assert failure["message"] == (
        "Failed to delete all resource types, 1 remaining: unexpected items still remain in namespace: dev for gvr: "
        "/v1, Resource=pods"
    )


# --- status conditions (status_condition_utils_test.go) -----------------------------------------------------------


def _ok(t: str) -> dict:
    return new_successful_condition(t)


@pytest.mark.parametrize(
    ("new", "starting", "expected"),
    [
        pytest.param(
            [],
            [{"type": "unknown", "status": "True"}],
            [{"type": "unknown", "status": "True"}, *(_ok(t) for t in CONDITION_TYPES)],
            id="leave unknown",
        ),
        pytest.param(
            [],
            [{"type": NAMESPACE_DELETION_DISCOVERY_FAILURE, "status": "True"}],
            [_ok(t) for t in CONDITION_TYPES],
            id="replace with success",
        ),
        pytest.param(
            [],
            [
                {"type": NAMESPACE_DELETION_GV_PARSING_FAILURE, "status": "True"},
                {"type": NAMESPACE_DELETION_DISCOVERY_FAILURE, "status": "True"},
            ],
            [
                _ok(NAMESPACE_DELETION_GV_PARSING_FAILURE),
                _ok(NAMESPACE_DELETION_DISCOVERY_FAILURE),
                _ok(NAMESPACE_DELETION_CONTENT_FAILURE),
                _ok(NAMESPACE_CONTENT_REMAINING),
                _ok(NAMESPACE_FINALIZERS_REMAINING),
            ],
            id="leave different order",
        ),
        pytest.param(
            [{"type": NAMESPACE_DELETION_GV_PARSING_FAILURE, "status": "True", "reason": "foo", "message": "bar"}],
            [
                {"type": NAMESPACE_DELETION_GV_PARSING_FAILURE, "status": "False"},
                {"type": NAMESPACE_DELETION_DISCOVERY_FAILURE, "status": "True"},
            ],
            [
                {"type": NAMESPACE_DELETION_GV_PARSING_FAILURE, "status": "True", "reason": "foo", "message": "bar"},
                _ok(NAMESPACE_DELETION_DISCOVERY_FAILURE),
                _ok(NAMESPACE_DELETION_CONTENT_FAILURE),
                _ok(NAMESPACE_CONTENT_REMAINING),
                _ok(NAMESPACE_FINALIZERS_REMAINING),
            ],
            id="overwrite with failure",
        ),
        pytest.param(
            [{"type": NAMESPACE_DELETION_GV_PARSING_FAILURE, "status": "True", "reason": "foo", "message": "bar"}],
            [{"type": NAMESPACE_DELETION_DISCOVERY_FAILURE, "status": "True"}],
            [
                _ok(NAMESPACE_DELETION_DISCOVERY_FAILURE),
                {"type": NAMESPACE_DELETION_GV_PARSING_FAILURE, "status": "True", "reason": "foo", "message": "bar"},
                _ok(NAMESPACE_DELETION_CONTENT_FAILURE),
                _ok(NAMESPACE_CONTENT_REMAINING),
                _ok(NAMESPACE_FINALIZERS_REMAINING),
            ],
            id="write new failure",
        ),
    ],
)
def test_update_conditions(new, starting, expected):
    # upstream TestUpdateConditions (transition times are not compared)
    status = {"conditions": [dict(c) for c in starting]}
    update_conditions(status, new)
    strip = [{k: v for k, v in c.items() if k != "lastTransitionTime"} for c in status["conditions"]]
    assert strip == [{k: v for k, v in c.items() if k != "lastTransitionTime"} for c in expected]


@pytest.mark.parametrize(
    ("gvrs", "finalizers", "expected"),
    [
        pytest.param({}, {}, [], id="nothing"),
        pytest.param(
            {("daemonsets", "apps.k8s.io"): 5, ("deployments", "apps.k8s.io"): 5},
            {},
            [
                (
                    NAMESPACE_CONTENT_REMAINING,
                    "SomeResourcesRemain",
                    "Some resources are remaining: daemonsets.apps.k8s.io has 5 resource instances, "
                    "deployments.apps.k8s.io has 5 resource instances",
                )
            ],
            id="just remaining",
        ),
        pytest.param(
            {},
            {"service-catalog": 6, "kubedb": 5},
            [
                (
                    NAMESPACE_FINALIZERS_REMAINING,
                    "SomeFinalizerRemain",
                    "Some finalizers are remaining: kubedb in 5 resource instances, "
                    "service-catalog in 6 resource instances",
                )
            ],
            id="just finalizers",
        ),
        pytest.param(
            {("daemonsets", "apps.k8s.io"): 5, ("deployments", "apps.k8s.io"): 5},
            {"service-catalog": 6, "kubedb": 5},
            [
                (
                    NAMESPACE_CONTENT_REMAINING,
                    "SomeResourcesRemain",
                    "Some resources are remaining: daemonsets.apps.k8s.io has 5 resource instances, "
                    "deployments.apps.k8s.io has 5 resource instances",
                ),
                (
                    NAMESPACE_FINALIZERS_REMAINING,
                    "SomeFinalizerRemain",
                    "Some finalizers are remaining: kubedb in 5 resource instances, "
                    "service-catalog in 6 resource instances",
                ),
            ],
            id="both",
        ),
    ],
)
def test_process_content_totals(gvrs, finalizers, expected):
    # upstream TestProcessContentTotals
    u = NamespaceConditionUpdater()
    u.process_content_totals(AllGVRDeletionMetadata(dict(gvrs), dict(finalizers)))
    assert [(c["type"], c["reason"], c["message"]) for c in u.new_conditions] == expected
    assert all(c["status"] == "True" for c in u.new_conditions)


# --- NamespaceLifecycle admission ---------------------------------------------------------------------------------


def test_admission_namespace_terminating(server):
    # upstream TestAdmissionNamespaceTerminating
    _, api = server
    api.create(_ns("test"))
    api.create(_pod("web", "test"))
    api.delete("namespaces", "test")
    with pytest.raises(errors.StatusError) as refused:
        api.create(_pod("late", "test"))
    err = refused.value
    assert err.code == 403
    assert (
        str(err)
        == 'pods "late" is forbidden: unable to create new content in namespace test because it is being terminated'
    )
    assert err.status()["details"]["causes"] == [
        {
            "reason": "NamespaceTerminating",
            "message": "namespace test is being terminated",
            "field": "metadata.namespace",
        }
    ]
    # updates and deletes in the namespace proceed
    pod = api.get("pods", "web", "test")
    pod["metadata"]["labels"] = {"a": "b"}
    api.update(pod)
    api.delete("pods", "web", "test")
    # the default namespace can never be deleted; others can
    with pytest.raises(errors.StatusError) as immortal:
        api.delete("namespaces", "default")
    assert str(immortal.value) == 'namespaces "default" is forbidden: this namespace may not be deleted'
    api.create(_ns("other"))
    api.delete("namespaces", "other")


def test_admission_namespace_does_not_exist(server):
    # upstream TestAdmissionNamespaceDoesNotExist: creates and updates in a missing namespace are refused
    _, api = server
    with pytest.raises(errors.StatusError) as missing:
        api.create(_pod("web", "nowhere"))
    assert errors.is_not_found(missing.value) and str(missing.value) == 'namespaces "nowhere" not found'
    # a Pod left behind in a namespace that was removed (nobody emptied it): its updates are refused too
    api.create(_ns("gone"))
    api.create(_pod("web", "gone"))
    ns = _terminating_existing(api, "gone")
    ns["spec"]["finalizers"] = []
    api.finalize_namespace(ns)  # the last finalizer gone: the Namespace is removed, its Pod left behind
    pod = api.get("pods", "web", "gone")
    pod["metadata"]["labels"] = {"a": "b"}
    with pytest.raises(errors.StatusError) as update:
        api.update(pod)
    assert str(update.value) == 'namespaces "gone" not found'


def _terminating_existing(api: APIServer, name: str) -> dict:
    api.delete("namespaces", name)
    return api.get("namespaces", name)


def test_admission_refuses_binding_in_a_terminating_namespace(server):
    _, api = server
    api.create(_ns("test"))
    api.create(_pod("web", "test"))
    api.delete("namespaces", "test")
    with pytest.raises(errors.StatusError) as refused:
        api.bind("web", "test", "node-1")
    assert refused.value.code == 403
    # admission.NewForbidden names the resource and the Binding's name (the Pod's)
    assert str(refused.value) == (
        'pods "web" is forbidden: unable to create new content in namespace test because it is being terminated'
    )


def test_finalize_without_finalizers_removes_the_namespace(server):
    _, api = server
    ns = _terminating(api, "test")
    ns["spec"]["finalizers"] = []
    api.finalize_namespace(ns)
    with pytest.raises(errors.StatusError) as gone:
        api.get("namespaces", "test")
    assert errors.is_not_found(gone.value)


# --- integration: a Cluster with kubelets -------------------------------------------------------------------------


def _cluster(seed: int = 1, nodes: int = 2, **controller: Any) -> tuple[Cluster, NamespaceController]:
    c = Cluster(seed)
    c.add_control_plane_component(
        "garbage-collector-controller", GarbageCollector(c.sim, c.api, informer_factory=c.shared_informer)
    )
    nc = NamespaceController(c.sim, c.api, namespace_informer=c.shared_informer("namespaces"), **controller)
    c.add_control_plane_component("namespace-controller", nc)
    c.add_nodes(nodes)
    return c, nc


def _populate(c: Cluster, pods: int = 3) -> None:
    c.api.create(_ns("dev"))
    rs = c.api.create(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": "web", "namespace": "dev"},
            "spec": {
                "replicas": pods,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
                },
            },
        }
    )
    owner = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "name": "web",
        "uid": rs["metadata"]["uid"],
        "controller": True,
    }
    for i in range(pods):
        c.api.create(_pod(f"web-{i}", "dev", labels={"app": "web"}, ownerReferences=[owner]))
    c.api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "dev"}})
    c.api.create({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": "dev"}})


def _namespace(c: Cluster, name: str = "dev") -> dict | None:
    try:
        return c.api.get("namespaces", name)
    except errors.StatusError as err:
        assert errors.is_not_found(err)
        return None


def _deleted_at(c: Cluster, resource: str, name: str, namespace: str = "") -> float:
    log = c.events("api")
    rows = log[(log.verb == "delete") & (log.resource == resource) & (log.name == name) & (log.code == 200)]
    if namespace:
        rows = rows[rows.namespace == namespace]
    return float(rows.time.iloc[-1])


def test_namespace_deletion_removes_everything_then_the_namespace():
    c, _ = _cluster()
    _populate(c)
    c.run_for("30s")
    assert len([p for p in c.api.list("pods", "dev")[0] if p["status"]["phase"] == "Running"]) == 3
    t0 = c.now
    c.delete("namespaces", "dev")
    ns = _namespace(c)
    assert ns is not None and ns["status"]["phase"] == "Terminating"
    with pytest.raises(errors.StatusError) as refused:
        c.api.create(_pod("late", "dev"))
    assert refused.value.code == 403
    c.run_for("4s")
    assert len(c.api.list("pods", "dev")[0]) == 3  # nothing happens in the first 5 s (namespaceDeletionGracePeriod)
    c.run_for("1m")
    assert _namespace(c) is None
    for resource in ("pods", "replicasets", "configmaps", "serviceaccounts", "events"):
        assert c.api.list(resource, "dev")[0] == [], resource
    syncs = c.events("namespace.delete_content")
    assert float(syncs.time.iloc[0]) == t0 + 5
    assert int(syncs.estimate.iloc[0]) == 30 and int(syncs.remaining.iloc[0]) == 3  # Pods terminating: 30 s grace
    # the controller deleted the Pods gracefully; their kubelets stopped the containers and removed them
    log = c.events("api")
    for i in range(3):
        rows = log[(log.verb == "delete") & (log.resource == "pods") & (log.name == f"web-{i}")]
        assert rows.user.iloc[0] == "system:serviceaccount:kube-system:namespace-controller"
        assert rows.user.iloc[-1] != rows.user.iloc[0]  # the kubelet's final delete
        assert t0 + 5 <= float(rows.time.iloc[-1]) < t0 + 35
    finalized_at = float(c.events("namespace.finalized").time.iloc[-1])  # the finalize write removed the Namespace
    assert finalized_at > max(_deleted_at(c, "pods", f"web-{i}", "dev") for i in range(3))
    assert list(c.events("namespace.finalized").namespace) == ["dev"]


def test_namespace_deletion_waits_for_pods_on_a_failed_node():
    c, nc = _cluster(nodes=1)
    _populate(c, pods=2)
    c.run_for("30s")
    c.fail_node("node-1")
    c.delete("namespaces", "dev")
    c.run_for("2m")
    ns = _namespace(c)
    assert ns is not None and ns["status"]["phase"] == "Terminating"
    conditions = {x["type"]: x for x in ns["status"]["conditions"]}
    assert conditions[NAMESPACE_CONTENT_REMAINING]["message"] == (
        "Some resources are remaining: pods. has 2 resource instances"
    )
    # once the grace period is spent, Pods that stay are an error, retried with back-off
    assert conditions[NAMESPACE_DELETION_CONTENT_FAILURE]["status"] == "True"
    assert nc.failures >= 1
    c.recover_node("node-1")  # the kubelet comes back, finishes the Pods, and the namespace goes
    c.run_for("2m")
    assert _namespace(c) is None


def test_namespace_deletion_waits_for_finalizers():
    c, _ = _cluster()
    c.api.create(_ns("dev"))
    c.api.create(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "held", "namespace": "dev", "finalizers": ["example.com/hold"]},
        }
    )
    c.run_for("5s")
    c.delete("namespaces", "dev")
    c.run_for("30s")
    ns = _namespace(c)
    assert ns is not None
    conditions = {x["type"]: x for x in ns["status"]["conditions"]}
    assert conditions[NAMESPACE_FINALIZERS_REMAINING]["message"] == (
        "Some finalizers are remaining: example.com/hold in 1 resource instances"
    )
    assert conditions[NAMESPACE_DELETION_CONTENT_FAILURE]["status"] == "False"  # a finalizer is a normal wait
    waits = c.events("namespace.content_remaining")
    assert set(waits.estimate) == {15} and set(waits.wait_seconds) == {8}  # finalizerEstimateSeconds / 2 + 1
    held = c.api.get("configmaps", "held", "dev")
    held["metadata"]["finalizers"] = []
    c.api.update(held)
    c.run_for("30s")
    assert _namespace(c) is None


def test_active_namespaces_are_left_alone():
    c, nc = _cluster()
    _populate(c, pods=1)
    c.run_for("6m")  # past a resync
    assert _namespace(c) is not None and len(c.api.list("pods", "dev")[0]) == 1
    assert nc.reconciles == 0


def test_namespace_deletion_is_deterministic():
    def run() -> list:
        c, _ = _cluster(seed=3)
        _populate(c)
        c.run_for("20s")
        c.delete("namespaces", "dev")
        c.run_for("1m")
        return c.events(["namespace.delete_content", "namespace.content_remaining", "namespace.finalized"]).to_dict(
            "records"
        )

    assert run() == run()


def test_the_controller_uses_its_service_account():
    c, _ = _cluster()
    _populate(c, pods=1)
    c.run_for("10s")
    c.delete("namespaces", "dev")
    c.run_for("1m")
    log = c.events("api")
    finalize = log[(log.resource == "namespaces/finalize")]
    assert set(finalize.user) == {"system:serviceaccount:kube-system:namespace-controller"}
    assert for_kind("Namespace").has_status
