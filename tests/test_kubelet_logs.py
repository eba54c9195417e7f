"""Container logs: the ``logs`` of a container's script (``k8smodel/kubelet/behavior.py``) and each run's log in
the container runtime (``ContainerRuntime.logs``, what CRI's ``ReadLogs`` gives the kubelet for ``/containerLogs``).

A run's log holds the lines its process printed: a line is there once its time (after the run's start) has come,
and only if the run was still going then; each restart is a new run with a log of its own, and the runtime keeps the
newest run and the one before it (``kubectl logs --previous``).
"""

from __future__ import annotations

import pytest

from k8smodel import Cluster
from k8smodel.kubelet.behavior import BehaviorError, ContainerBehavior, parse_behavior

CRASHER = """\
apiVersion: v1
kind: Pod
metadata:
  name: app
  annotations:
    k8smodel.io/behavior: |
      app:
        exitAfter: 20s
        exitCode: 1
        logs: [[0s, starting], [5s, ready], [20s, crashing], [30s, never printed]]
spec:
  containers:
  - name: app
    image: busybox
"""


def pod_with(behavior: str) -> dict:
    return {
        "metadata": {"name": "p", "annotations": {"k8smodel.io/behavior": behavior}},
        "spec": {"containers": [{"name": "app", "image": "busybox"}]},
    }


def test_logs_parse_into_timed_lines():
    scripts = parse_behavior(pod_with('{"app": {"logs": [["0s", "a"], [2, "b"], ["1m", "c"]]}}'))
    assert scripts["app"].logs == ((0.0, "a"), (2.0, "b"), (60.0, "c"))
    assert scripts["app"].printed(2.0) == ((0.0, "a"), (2.0, "b"))  # a line due exactly then is printed
    assert scripts["app"].printed(1.999) == ((0.0, "a"),)
    assert ContainerBehavior().logs == ()  # a plain container prints nothing


@pytest.mark.parametrize(
    ("logs", "message"),
    [
        ('"x"', 'app.logs: Invalid value: "x": must be a list of [after, line] pairs'),
        ('[["1s"]]', 'app.logs[0]: Invalid value: ["1s"]: must be an [after, line] pair'),
        ('[["2s", "b"], ["1s", "a"]]', 'app.logs[1][0]: Invalid value: "1s": lines must be in order of time'),
        ('[["1s", 5]]', "app.logs[0][1]: Invalid value: 5: must be one line of text"),
        ('[["1s", "a\\nb"]]', 'app.logs[0][1]: Invalid value: "a\\nb": must be one line of text'),
        ('[["-1s", "a"]]', 'app.logs[0][0]: Invalid value: "-1s"'),
    ],
)
def test_bad_logs_name_the_field_value_and_rule(logs: str, message: str):
    with pytest.raises(BehaviorError) as err:
        parse_behavior(pod_with(f'{{"app": {{"logs": {logs}}}}}'))
    assert str(err.value).startswith("metadata.annotations[k8smodel.io/behavior]: ")
    assert message in str(err.value)


def runs(cluster: Cluster, node: str = "node-1") -> list:
    pod = cluster.api.get("pods", "app", "default")
    runtime = cluster.nodes[node].runtime
    return [c for c in runtime.containers.get(pod["metadata"]["uid"], []) if c.name == "app"], runtime


def test_a_runs_log_grows_with_time_and_stops_when_it_exits():
    cluster = Cluster(seed=1)
    cluster.add_nodes(1)
    cluster.apply(CRASHER)
    cluster.run_for("15s")
    (run,), runtime = runs(cluster)
    started = run.started_at
    assert cluster.sim.now - started < 15  # it started a few seconds in (scheduling, image pull)
    seen = runtime.logs(run)
    assert [line for _, line in seen] == [line for age, line in ((0, "starting"), (5, "ready")) if age <= 15 - started]
    assert all(t == started + age for (t, _), age in zip(seen, (0, 5), strict=False))
    cluster.run_for("40s")  # it exited at 20 s (printing "crashing" as it went), and was restarted
    (new, old), runtime = runs(cluster)
    assert old.finished_at == started + 20 and new.attempt == 1
    assert runtime.logs(old) == [(started, "starting"), (started + 5, "ready"), (started + 20, "crashing")]
    assert runtime.logs(new)[0] == (new.started_at, "starting")  # a new run, a new log
    assert runtime.find_container(old.uid, old.id) is old
    assert runtime.find_container(old.uid, "containerd://nope") is None


def test_a_killed_run_prints_nothing_more():
    cluster = Cluster(seed=1)
    cluster.add_nodes(1)
    cluster.apply(CRASHER)
    cluster.run_for("12s")
    (run,), runtime = runs(cluster)
    cluster.kill_container("app", "app")
    killed_at = cluster.sim.now
    cluster.run_for("1m")
    assert run.finished_at == killed_at
    assert all(t <= killed_at for t, _ in runtime.logs(run))
    assert "crashing" not in [line for _, line in runtime.logs(run)]
