"""The official Python client (the ``kubernetes`` package) against the served model (``k8smodel.serve``).

Issue 8's scenario with a client nobody here wrote: ``kubernetes.config.load_kube_config`` reads the kubeconfig
that ``serve`` writes (the server's certificate and the admin's bearer token), then the typed ``CoreV1Api`` and
``AppsV1Api`` create a Deployment and a Service, list Pods by label, read status, patch the scale subresource, set
a new image with a strategic merge patch and follow the rollout, stream a watch, delete with
``propagationPolicy=Foreground``, and get ``ApiException`` 422 and 403 with the API server's messages.

The cluster is served with the clock stopped (``speed=0``): time moves only with ``server.run_for``, so every
outcome is exact. Without the ``kubernetes`` package the module is skipped, except in CI (``CI=true``).
"""

from __future__ import annotations

import json
import os
import threading

import pytest

try:
    from kubernetes import client, config, utils, watch
    from kubernetes.client.exceptions import ApiException
except ImportError:  # pragma: no cover (the test extra installs it)
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("the kubernetes package is not installed", allow_module_level=True)

from k8smodel import Cluster

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    cluster = Cluster(seed=5)
    cluster.add_nodes(2, cpu="4", memory="16Gi")
    with cluster.serve(speed=0) as server:
        server.run_for("30s")  # the nodes register and become Ready
        yield server


def api_client(server, context: str | None = None) -> client.ApiClient:
    """A client configured from serve's kubeconfig (a fresh ``Configuration``: no global state)."""
    configuration = client.Configuration()
    config.load_kube_config(
        config_file=str(server.kubeconfig_path), context=context, client_configuration=configuration
    )
    return client.ApiClient(configuration)


@pytest.fixture(scope="module")
def core(served):
    return client.CoreV1Api(api_client(served))


@pytest.fixture(scope="module")
def apps(served):
    return client.AppsV1Api(api_client(served))


def rolled_out(apps, name: str) -> bool:
    """kubectl's ``rollout status`` condition (``DeploymentStatusViewer.Status``, ``rollout_status.go``)."""
    d = apps.read_namespaced_deployment_status(name, "default")
    s = d.status
    return (
        (s.observed_generation or 0) >= d.metadata.generation
        and (s.updated_replicas or 0) == d.spec.replicas
        and (s.replicas or 0) == (s.updated_replicas or 0)
        and (s.available_replicas or 0) == (s.updated_replicas or 0)
    )


def wait(server, predicate, what: str, step: str = "5s", tries: int = 60) -> None:
    """Run the simulated clock in steps until ``predicate()`` holds."""
    for _ in range(tries):
        if predicate():
            return
        server.run_for(step)
    raise AssertionError(f"gave up waiting for {what}")


def test_config_comes_from_serves_kubeconfig(served):
    configuration = api_client(served).configuration
    assert configuration.host == served.url
    assert f"Bearer {served.token}" in configuration.api_key.values()  # the admin's token, sent as a bearer token
    assert configuration.verify_ssl is True and configuration.ssl_ca_cert  # the server's certificate, trusted


def test_create_deployment_and_service_from_yaml(served, core, apps, tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(WEB)
    created = utils.create_from_yaml(api_client(served), str(path), namespace="default")
    kinds = [obj.kind for group in created for obj in group]
    assert kinds == ["Deployment", "Service"]
    dep = apps.read_namespaced_deployment("web", "default")
    assert isinstance(dep, client.V1Deployment)
    assert dep.spec.replicas == 3 and dep.spec.strategy.type == "RollingUpdate"  # defaulted by the server
    assert dep.spec.template.spec.containers[0].image == "nginx:1.27"
    svc = core.read_namespaced_service("web", "default")
    assert svc.spec.type == "ClusterIP" and svc.spec.ports[0].port == 80 and svc.spec.ports[0].protocol == "TCP"


def test_list_pods_with_a_label_selector(served, core):
    def three_running() -> bool:
        pods = core.list_namespaced_pod("default", label_selector="app=web").items
        return len(pods) == 3 and all(p.status.phase == "Running" for p in pods)

    wait(served, three_running, "three web Pods Running")
    pods = core.list_namespaced_pod("default", label_selector="app=web")
    assert isinstance(pods, client.V1PodList) and pods.metadata.resource_version
    assert all(p.metadata.name.startswith("web-") and p.spec.node_name in ("node-1", "node-2") for p in pods.items)
    assert core.list_namespaced_pod("default", label_selector="app=nothing").items == []
    running = core.list_namespaced_pod("default", field_selector="status.phase=Running").items
    assert len(running) == 3


def test_read_status(served, apps):
    dep = apps.read_namespaced_deployment_status("web", "default")
    assert (dep.status.replicas, dep.status.ready_replicas, dep.status.available_replicas) == (3, 3, 3)
    conditions = {c.type: c for c in dep.status.conditions}
    assert conditions["Available"].status == "True" and conditions["Available"].reason == "MinimumReplicasAvailable"
    assert conditions["Progressing"].reason == "NewReplicaSetAvailable"


def test_patch_scale(served, core, apps):
    scale = apps.patch_namespaced_deployment_scale("web", "default", {"spec": {"replicas": 5}})
    assert isinstance(scale, client.V1Scale) and scale.spec.replicas == 5
    assert apps.read_namespaced_deployment_scale("web", "default").spec.replicas == 5

    def five_ready() -> bool:
        return apps.read_namespaced_deployment_status("web", "default").status.ready_replicas == 5

    wait(served, five_ready, "five ready replicas")
    assert len(core.list_namespaced_pod("default", label_selector="app=web").items) == 5


def test_strategic_merge_patch_sets_the_image_and_the_rollout_completes(served, core, apps):
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.28"}]}}}}
    dep = apps.patch_namespaced_deployment(
        "web", "default", patch, _content_type="application/strategic-merge-patch+json"
    )
    containers = dep.spec.template.spec.containers
    assert [(c.name, c.image) for c in containers] == [("nginx", "nginx:1.28")]
    assert containers[0].ports[0].container_port == 80  # merged by name, not replaced: the port is still there
    assert dep.metadata.generation == 3  # created (1), scaled (2), new template (3)
    wait(served, lambda: rolled_out(apps, "web"), "the rollout to complete")
    pods = core.list_namespaced_pod("default", label_selector="app=web").items
    running = [p for p in pods if p.metadata.deletion_timestamp is None]
    assert len(running) == 5 and {p.spec.containers[0].image for p in running} == {"nginx:1.28"}
    replica_sets = apps.list_namespaced_replica_set("default", label_selector="app=web").items
    assert sorted(rs.spec.replicas for rs in replica_sets) == [0, 5]


def test_watch_stream_sees_added_modified_deleted(served, core):
    start = core.list_namespaced_config_map("default").metadata.resource_version
    seen: list[tuple[str, str, str | None]] = []
    w = watch.Watch()

    def follow() -> None:
        for event in w.stream(core.list_namespaced_config_map, "default", resource_version=start, timeout_seconds=20):
            obj = event["object"]
            seen.append((event["type"], obj.metadata.name, (obj.data or {}).get("k")))
            if event["type"] == "DELETED":
                w.stop()

    thread = threading.Thread(target=follow, daemon=True)
    thread.start()
    core.create_namespaced_config_map("default", {"metadata": {"name": "settings"}, "data": {"k": "1"}})
    core.patch_namespaced_config_map("settings", "default", {"data": {"k": "2"}})
    core.delete_namespaced_config_map("settings", "default")
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert seen == [("ADDED", "settings", "1"), ("MODIFIED", "settings", "2"), ("DELETED", "settings", "2")]
    assert isinstance(w.resource_version, str) and int(w.resource_version) > int(start)


def test_delete_with_foreground_propagation(served, core, apps):
    answer = apps.delete_namespaced_deployment("web", "default", propagation_policy="Foreground")
    # Foreground: the Deployment stays, with a deletionTimestamp and the foregroundDeletion finalizer, until the
    # garbage collector has deleted its dependents (the ReplicaSets, and theirs: the Pods). The API server answers
    # with the object itself (delete.go: the Status only when the object is gone); this client version types the
    # answer as ``object`` and gives the JSON as a dict.
    body = answer if isinstance(answer, dict) else answer.to_dict()
    assert body["kind"] == "Deployment"
    dep = apps.read_namespaced_deployment("web", "default")
    assert dep.metadata.deletion_timestamp is not None and "foregroundDeletion" in dep.metadata.finalizers

    def gone() -> bool:
        try:
            apps.read_namespaced_deployment("web", "default")
        except ApiException as err:
            return err.status == 404
        return False

    wait(served, gone, "the Deployment to go")
    assert apps.list_namespaced_replica_set("default", label_selector="app=web").items == []
    wait(served, lambda: core.list_namespaced_pod("default", label_selector="app=web").items == [], "the Pods")
    core.delete_namespaced_service("web", "default")
    with pytest.raises(ApiException) as err:
        core.read_namespaced_service("web", "default")
    assert err.value.status == 404
    assert json.loads(err.value.body)["message"] == 'services "web" not found'


def test_invalid_object_raises_422_with_upstreams_message(served, apps):
    bad = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "bad"},
        "spec": {
            "replicas": -1,
            "selector": {"matchLabels": {"app": "bad"}},
            "template": {"metadata": {"labels": {"app": "bad"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}},
        },
    }
    with pytest.raises(ApiException) as err:
        apps.create_namespaced_deployment("default", bad)
    assert err.value.status == 422
    status = json.loads(err.value.body)
    assert (status["kind"], status["reason"], status["code"]) == ("Status", "Invalid", 422)
    assert status["message"] == (
        'Deployment.apps "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    )
    assert status["details"]["causes"] == [
        {
            "reason": "FieldValueInvalid",
            "message": "Invalid value: -1: must be greater than or equal to 0",
            "field": "spec.replicas",
        }
    ]
    with pytest.raises(ApiException) as err:
        apps.read_namespaced_deployment("bad", "default")  # nothing was stored
    assert err.value.status == 404


def test_forbidden_call_raises_403(served):
    served.add_user("alice")
    alice = client.CoreV1Api(api_client(served, context=served.context("alice")))
    with pytest.raises(ApiException) as err:
        alice.list_namespaced_pod("default")
    assert err.value.status == 403
    status = json.loads(err.value.body)
    assert status["reason"] == "Forbidden"
    assert status["message"] == (
        'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"'
    )
    review = client.AuthorizationV1Api(api_client(served, context=served.context("alice")))
    answer = review.create_self_subject_access_review(
        {"spec": {"resourceAttributes": {"verb": "list", "resource": "pods", "namespace": "default"}}}
    )
    assert answer.status.allowed is False
    assert served.errors == []
