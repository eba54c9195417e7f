"""``pods/log`` over HTTP (``k8smodel/serve/logs.py``): what ``kubectl logs`` asks the API server, which asks the
node's kubelet. The API server's checks are ``LogLocation``/``validateContainer``
(``pkg/registry/core/pod/strategy.go``) and ``ValidatePodLogOptions`` (``pkg/apis/core/validation``); the kubelet's
are ``validateContainerLogStatus`` (``pkg/kubelet/kubelet_pods.go``), whose messages these tests quote. The cluster is
served with the clock stopped, so every outcome is exact; ``follow`` is read on a thread while the test moves time.
"""

from __future__ import annotations

import http.client
import json
import threading

import pytest
from test_kubelet_logs import CRASHER  # the same crashing app, read through the API server here

from k8smodel import Cluster
from k8smodel.serve import serve
from k8smodel.serve.logs import format_time

TWO = """\
apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  initContainers:
  - name: init
    image: busybox
  containers:
  - name: a
    image: busybox
  - name: b
    image: busybox:2
"""


@pytest.fixture
def served():
    cluster = Cluster(seed=1)
    cluster.add_nodes(1)
    cluster.apply(CRASHER)
    with serve(cluster, speed=0) as server:
        yield server


def get(server, path: str, token: str | None = None) -> tuple[int, str, bytes]:
    conn = http.client.HTTPSConnection(server.host, server.port, timeout=30, context=server.ssl_context())
    conn.request("GET", path, headers={"Authorization": f"Bearer {token or server.token}"})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, resp.getheader("Content-Type") or "", body


LOG = "/api/v1/namespaces/default/pods/app/log"


def started_at(server) -> float:
    with server.locked() as cluster:
        pod = cluster.api.get("pods", "app", "default")
        run = cluster.nodes["node-1"].runtime.latest(pod["metadata"]["uid"], "app")
        return run.started_at


def test_an_unscheduled_pod_has_an_empty_log(served):
    assert get(served, LOG) == (200, "text/plain", b"")  # LogLocation: no host, an empty location


def test_the_log_of_the_running_container_then_of_the_previous_run(served):
    served.run_for("15s")
    start = started_at(served)
    status, ctype, body = get(served, LOG)
    assert (status, ctype) == (200, "text/plain")
    assert body == b"starting\n" if 15 - start < 5 else b"starting\nready\n"
    status, _, body = get(served, LOG + "?timestamps=true")
    with served.locked() as cluster:
        first = format_time(cluster.sim.start, start)
    assert body.decode().splitlines()[0] == f"{first} starting"
    status, _, body = get(served, LOG + "?previous=true")
    assert status == 400 and json.loads(body)["message"] == (
        'previous terminated container "app" in pod "app" not found'
    )
    served.run_for("20s")  # exited at 20 s, restarted
    assert get(served, LOG)[2] == b"starting\n"
    assert get(served, LOG + "?previous=true")[2] == b"starting\nready\ncrashing\n"
    assert get(served, LOG + "?previous=true&tailLines=2")[2] == b"ready\ncrashing\n"
    assert get(served, LOG + "?previous=true&tailLines=0")[2] == b""
    assert get(served, LOG + "?previous=true&limitBytes=12")[2] == b"starting\nrea"
    assert get(served, LOG + "?previous=true&sinceSeconds=3600")[2] == b"starting\nready\ncrashing\n"
    with served.locked() as cluster:
        since = format_time(cluster.sim.start, start + 5)
    assert get(served, LOG + f"?previous=true&sinceTime={since}")[2] == b"ready\ncrashing\n"


def test_format_time_is_go_rfc3339_nano():
    from k8smodel.sim import EPOCH

    assert format_time(EPOCH, 5) == "2026-01-01T00:00:05Z"
    assert format_time(EPOCH, 5.5) == "2026-01-01T00:00:05.5Z"
    assert format_time(EPOCH, 0.000000001) == "2026-01-01T00:00:00.000000001Z"


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        (
            "tailLines=-1",
            422,
            'PodLogOptions "app" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
        ),
        ("limitBytes=0", 422, 'PodLogOptions "app" is invalid: limitBytes: Invalid value: 0: must be greater than 0'),
        (
            "sinceSeconds=0",
            422,
            'PodLogOptions "app" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0',
        ),
        (
            "sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z",
            422,
            'PodLogOptions "app" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be '
            "specified",
        ),
        ("tailLines=x", 400, 'strconv.ParseInt: parsing "x": invalid syntax'),
        ("previous=maybe", 400, 'strconv.ParseBool: parsing "maybe": invalid syntax'),
        ("container=nope", 400, "container nope is not valid for pod app"),
    ],
)
def test_bad_options_are_refused(served, query: str, code: int, message: str):
    status, _, body = get(served, f"{LOG}?{query}")
    assert (status, json.loads(body)["message"]) == (code, message)


def test_a_waiting_container_and_a_pod_of_several_containers(served):
    served.run_for("15s")  # the node is Ready
    with served.locked() as cluster:
        cluster.apply(TWO)
    served.run_for("1s")  # scheduled; its init container has not completed yet
    status, _, body = get(served, "/api/v1/namespaces/default/pods/two/log")
    assert status == 400 and json.loads(body)["message"] == (
        "a container name must be specified for pod two, choose one of: [init a b]"
    )
    status, _, body = get(served, "/api/v1/namespaces/default/pods/two/log?container=b")
    assert status == 400 and json.loads(body)["message"] == (
        'container "b" in pod "two" is waiting to start: PodInitializing'
    )
    status, _, body = get(served, "/api/v1/namespaces/default/pods/nope/log")
    assert status == 404 and json.loads(body)["message"] == 'pods "nope" not found'


def test_rbac_governs_pods_log(served):
    token = served.add_user("alice")
    status, _, body = get(served, LOG, token)
    assert status == 403 and json.loads(body)["message"] == (
        'pods "app" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace '
        '"default"'
    )


def test_follow_streams_each_line_as_its_time_comes_until_the_run_ends(served):
    served.run_for("12s")  # running, "starting" printed
    assert get(served, LOG)[2] == b"starting\n"
    chunks: list[bytes] = []

    def follow() -> None:
        conn = http.client.HTTPSConnection(served.host, served.port, timeout=30, context=served.ssl_context())
        conn.request("GET", LOG + "?follow=true", headers={"Authorization": f"Bearer {served.token}"})
        resp = conn.getresponse()
        while chunk := resp.read1(65536):
            chunks.append(chunk)
        conn.close()

    thread = threading.Thread(target=follow, daemon=True)
    thread.start()
    for _ in range(40):  # move the clock in small steps while the stream is open; it ends when the run exits
        served.run_for("1s")
        thread.join(timeout=0.05)
        if not thread.is_alive():
            break
    served.run_for("10s")
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert b"".join(chunks) == b"starting\nready\ncrashing\n"
    assert served.errors == []
