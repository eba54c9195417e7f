"""The real ``kubectl`` against the served model (``k8smodel.serve``), with the kubeconfig that ``serve`` writes.

The cluster runs on the live clock (fast, so that rollouts finish in a second or two of wall time); each check
waits for an outcome (Pods Running, a rollout done) by asking again, never by timing anything. Without
``/usr/bin/kubectl`` the module is skipped, except in CI (``CI=true``), where kubectl must be present.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from k8smodel import Cluster
from k8smodel.serve import serve

KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"
if not Path(KUBECTL).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI must have kubectl: /usr/bin/kubectl is missing")
    pytest.skip("kubectl is not installed", allow_module_level=True)

SPEED = 30.0  # simulated seconds per wall second

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
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

BAD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
spec:
  replicas: -1
  selector:
    matchLabels:
      app: bad
  template:
    metadata:
      labels:
        app: bad
    spec:
      containers:
      - name: c
        image: nginx
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    cluster = Cluster(seed=3)
    cluster.add_nodes(2, cpu="4", memory="16Gi")
    cluster.run_for("30s")  # the nodes register and become Ready
    with serve(cluster, speed=SPEED) as server:
        yield server, tmp_path_factory.mktemp("kubectl")


def kubectl(served, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
    server, tmp = served
    env = {**os.environ, "KUBECONFIG": str(server.kubeconfig_path), "HOME": str(tmp)}
    result = subprocess.run(
        [KUBECTL, f"--cache-dir={tmp / 'cache'}", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"kubectl {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def write(served, name: str, text: str) -> str:
    path = served[1] / name
    path.write_text(text)
    return str(path)


def wait_for(predicate, what: str, tries: int = 200) -> None:
    for _ in range(tries):
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def test_apply_creates_then_unchanged_then_configured(served):
    path = write(served, "web.yaml", WEB.format(replicas=3))
    out = kubectl(served, "apply", "-f", path).stdout.splitlines()
    assert out == ["deployment.apps/web created", "service/web created"]
    out = kubectl(served, "apply", "-f", path).stdout.splitlines()
    assert out == ["deployment.apps/web unchanged", "service/web unchanged"]
    write(served, "web.yaml", WEB.format(replicas=4))
    out = kubectl(served, "apply", "-f", path).stdout.splitlines()
    assert out == ["deployment.apps/web configured", "service/web unchanged"]
    server = served[0]
    with server.locked() as cluster:
        dep = cluster.api.get("deployments", "web", "default")
    assert dep["spec"]["replicas"] == 4
    assert "kubectl.kubernetes.io/last-applied-configuration" in dep["metadata"]["annotations"]


def test_get_pods_prints_upstream_columns(served):
    def running() -> bool:
        out = kubectl(served, "get", "pods", "-l", "app=web", "--no-headers").stdout.splitlines()
        return len(out) == 4 and all(" Running " in line for line in out)

    wait_for(running, "four web Pods Running")
    lines = kubectl(served, "get", "pods").stdout.splitlines()
    assert lines[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert all(line.split()[1:4] == ["1/1", "Running", "0"] for line in lines[1:])
    wide = kubectl(served, "get", "pods", "-o", "wide").stdout.splitlines()
    assert wide[0].split()[:7] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]
    assert {line.split()[6] for line in wide[1:]} <= {"node-1", "node-2"}
    labels = kubectl(served, "get", "pods", "--show-labels", "-A").stdout.splitlines()
    assert labels[0].split()[0] == "NAMESPACE" and labels[0].split()[-1] == "LABELS"


def test_get_deploy_service_and_all(served):
    def ready() -> bool:
        out = kubectl(served, "get", "deploy", "web", "--no-headers").stdout.split()
        return out[:4] == ["web", "4/4", "4", "4"]

    wait_for(ready, "deployment web 4/4")
    lines = kubectl(served, "get", "deploy").stdout.splitlines()
    assert lines[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    svc = kubectl(served, "get", "svc", "web").stdout.splitlines()
    assert svc[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert svc[1].split()[:2] == ["web", "ClusterIP"] and "80/TCP" in svc[1]
    everything = kubectl(served, "get", "all").stdout
    assert "deployment.apps/web" in everything and "service/web" in everything and "pod/web-" in everything
    assert "replicaset.apps/web-" in everything
    nodes = kubectl(served, "get", "nodes").stdout.splitlines()
    assert nodes[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    assert [line.split()[:2] for line in nodes[1:]] == [["node-1", "Ready"], ["node-2", "Ready"]]


def test_describe(served):
    out = kubectl(served, "describe", "deployment", "web").stdout
    assert out.startswith("Name:") and "web" in out.splitlines()[0]
    assert "Replicas:               4 desired | 4 updated | 4 total | 4 available | 0 unavailable" in out
    assert "ScalingReplicaSet" in out  # the events, found by kubectl's field selector on involvedObject
    pod = kubectl(served, "get", "pods", "-o", "name").stdout.split()[0]
    out = kubectl(served, "describe", pod).stdout
    assert "Running" in out.split("Status:", 1)[1].splitlines()[0]
    assert "Scheduled" in out and "default-scheduler" in out


def test_scale_set_image_rollout_status_and_undo(served):
    assert kubectl(served, "scale", "deployment/web", "--replicas=5").stdout.strip() == "deployment.apps/web scaled"
    out = kubectl(served, "set", "image", "deployment/web", "nginx=nginx:1.28").stdout.strip()
    assert out == "deployment.apps/web image updated"
    out = kubectl(served, "rollout", "status", "deployment/web", "--timeout=60s", timeout=90).stdout
    assert out.strip().splitlines()[-1] == 'deployment "web" successfully rolled out'
    image = kubectl(served, "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
    assert image.stdout == "nginx:1.28"
    assert kubectl(served, "rollout", "undo", "deployment/web").stdout.strip() == "deployment.apps/web rolled back"
    image = kubectl(served, "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
    assert image.stdout == "nginx:1.27"
    kubectl(served, "rollout", "status", "deployment/web", "--timeout=60s", timeout=90)


def test_cordon_and_drain_move_pods_elsewhere(served):
    assert kubectl(served, "cordon", "node-1").stdout.strip() == "node/node-1 cordoned"
    assert "SchedulingDisabled" in kubectl(served, "get", "node", "node-1").stdout
    out = kubectl(served, "drain", "node-1", "--ignore-daemonsets", "--timeout=60s", timeout=90).stdout
    assert out.strip().splitlines()[-1] == "node/node-1 drained"

    def all_on_node_2() -> bool:
        lines = kubectl(served, "get", "pods", "-o", "wide", "--no-headers").stdout.splitlines()
        return len(lines) == 5 and all(line.split()[2] == "Running" and line.split()[6] == "node-2" for line in lines)

    wait_for(all_on_node_2, "the Pods recreated on node-2")
    assert kubectl(served, "uncordon", "node-1").stdout.strip() == "node/node-1 uncordoned"


def test_invalid_manifest_prints_the_api_servers_error(served):
    result = kubectl(served, "apply", "-f", write(served, "bad.yaml", BAD), check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    )
    unknown = BAD.replace("replicas: -1", "replicas: 1\n  bogus: 1")
    result = kubectl(served, "apply", "-f", write(served, "unknown.yaml", unknown), check=False)
    assert result.returncode == 1
    assert 'strict decoding error: unknown field "spec.bogus"' in result.stderr


def test_forbidden_verb_prints_kubectls_forbidden_message(served):
    server = served[0]
    server.add_user("alice")
    result = kubectl(served, "--context", server.context("alice"), "get", "pods", check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" '
        'in the namespace "default"'
    )
    assert kubectl(served, "auth", "can-i", "delete", "pods").stdout.strip() == "yes"
    result = kubectl(served, "--context", server.context("alice"), "auth", "can-i", "list", "pods", check=False)
    assert (result.returncode, result.stdout.strip()) == (1, "no")


def test_as_impersonates_when_allowed_and_is_forbidden_otherwise(served):
    """kubectl --as sends Impersonate-User: the admin may, and is then answered as alice; alice may not."""
    server = served[0]
    server.add_user("alice")
    result = kubectl(served, "auth", "can-i", "delete", "pods", "--as=alice", check=False)
    assert (result.returncode, result.stdout.strip()) == (1, "no")
    result = kubectl(served, "get", "pods", "--as=alice", check=False)
    assert result.stderr.strip() == (
        'Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" '
        'in the namespace "default"'
    )
    assert kubectl(served, "auth", "can-i", "list", "pods", "--as=bob", "--as-group=system:masters").stdout.strip() == (
        "yes"
    )
    result = kubectl(served, "--context", server.context("alice"), "get", "pods", "--as=kubernetes-admin", check=False)
    assert result.stderr.strip() == (
        'Error from server (Forbidden): users "kubernetes-admin" is forbidden: User "alice" cannot impersonate '
        'resource "users" in API group "" at the cluster scope'
    )


def test_delete(served):
    out = kubectl(served, "delete", "-f", str(served[1] / "web.yaml"), timeout=90).stdout.splitlines()
    assert out == ['deployment.apps "web" deleted', 'service "web" deleted']
    assert kubectl(served, "get", "deploy", "web", check=False).stderr.strip() == (
        'Error from server (NotFound): deployments.apps "web" not found'
    )

    def pods_gone() -> bool:
        return kubectl(served, "get", "pods", "--no-headers").stdout.strip() == ""

    wait_for(pods_gone, "the garbage collector to delete the Pods")
    assert served[0].errors == []


CRASHER = """\
apiVersion: v1
kind: Pod
metadata:
  name: crasher
  annotations:
    k8smodel.io/behavior: |
      app:
        exitAfter: 20s
        exitCode: 1
        logs: [[0s, starting], [5s, ready], [20s, crashing]]
spec:
  containers:
  - name: app
    image: busybox
"""


def test_logs_previous_and_follow(served):
    kubectl(served, "apply", "-f", write(served, "crasher.yaml", CRASHER))

    def restarted() -> bool:
        out = kubectl(served, "get", "pod", "crasher", "-o", "jsonpath={.status.containerStatuses[0].restartCount}")
        return out.stdout.strip() not in ("", "0")

    wait_for(restarted, "the container to crash and restart")
    previous = kubectl(served, "logs", "crasher", "--previous").stdout
    assert previous == "starting\nready\ncrashing\n"
    assert kubectl(served, "logs", "crasher", "--previous", "--tail=1").stdout == "crashing\n"
    assert kubectl(served, "logs", "crasher").stdout.startswith("starting\n")
    # -f: the current run's lines as they come, until it exits (or, in back-off, the last run's log)
    assert kubectl(served, "logs", "-f", "crasher", timeout=90).stdout.splitlines()[-1] == "crashing"
    result = kubectl(served, "logs", "crasher", "-c", "nope", check=False)
    assert result.stderr.strip() == "error: container nope is not valid for pod crasher"
    kubectl(served, "delete", "pod", "crasher", "--grace-period=0", "--force")
    assert served[0].errors == []
