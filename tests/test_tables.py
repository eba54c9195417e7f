"""kubectl get / describe views. Pod, deployment, service and node cases follow TestPrintPod*, TestPrintDeployment,
TestPrintService, TestPrintNode* and TestPrintHPA in pkg/printers/internalversion/printers_test.go."""

from datetime import UTC, datetime, timedelta

import pytest

from k8smodel.sim import EPOCH
from k8smodel.views.tables import columns, describe, get_table, pod_status, tabwrite

NOW = 3600.0  # one simulated hour after EPOCH


def ts(seconds_ago: float) -> str:
    return (EPOCH + timedelta(seconds=NOW - seconds_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def pod(name="test", containers=2, init=0, **status):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {
            "containers": [{"name": f"c{i}"} for i in range(containers)],
            "initContainers": [{"name": f"i{i}"} for i in range(init)],
        },
        "status": status,
    }


def row(obj, kind="pods", **kw):
    return get_table([obj], kind, NOW, **kw).iloc[0].tolist()


RUNNING = {"running": {}}


# --- TestPrintPod -------------------------------------------------------------------------------------------------

POD_CASES = [
    # test1: name, containers, restarts, readiness
    (
        pod(
            phase="podPhase",
            containerStatuses=[{"ready": True, "restartCount": 3, "state": RUNNING}, {"restartCount": 3}],
        ),
        ["test", "1/2", "podPhase", "6", "<unknown>"],
    ),
    # test2: a container's waiting reason overrides the phase
    (
        pod(
            phase="podPhase",
            containerStatuses=[
                {"ready": True, "restartCount": 3, "state": RUNNING},
                {"restartCount": 3, "state": {"waiting": {"reason": "ContainerWaitingReason"}}},
            ],
        ),
        ["test", "1/2", "ContainerWaitingReason", "6", "<unknown>"],
    ),
    # test3: the first container's reason wins (the loop runs backwards)
    (
        pod(
            phase="podPhase",
            containerStatuses=[
                {"restartCount": 3, "state": {"waiting": {"reason": "ContainerWaitingReason"}}},
                {"restartCount": 3, "state": {"terminated": {"reason": "ContainerTerminatedReason"}}},
            ],
        ),
        ["test", "0/2", "ContainerWaitingReason", "6", "<unknown>"],
    ),
    # test4: ready without running is not counted
    (
        pod(
            phase="podPhase",
            containerStatuses=[
                {"ready": True, "restartCount": 3, "state": RUNNING},
                {"ready": True, "restartCount": 3},
            ],
        ),
        ["test", "1/2", "podPhase", "6", "<unknown>"],
    ),
    # test5: status.reason overrides the phase
    (
        pod(
            phase="podPhase",
            reason="podReason",
            containerStatuses=[
                {"ready": True, "restartCount": 3, "state": RUNNING},
                {"ready": True, "restartCount": 3},
            ],
        ),
        ["test", "1/2", "podReason", "6", "<unknown>"],
    ),
    # test6: one completed, one running, no Ready condition -> NotReady
    (
        pod(
            phase="Running",
            containerStatuses=[
                {"ready": True, "restartCount": 3, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}},
                {"ready": True, "restartCount": 3, "state": RUNNING},
            ],
        ),
        ["test", "1/2", "NotReady", "6", "<unknown>"],
    ),
    # test7: same with the Ready condition -> Running
    (
        pod(
            phase="Running",
            conditions=[{"type": "Ready", "status": "True"}],
            containerStatuses=[
                {"ready": True, "restartCount": 3, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}},
                {"ready": True, "restartCount": 3, "state": RUNNING},
            ],
        ),
        ["test", "1/2", "Running", "6", "<unknown>"],
    ),
    # an init container restarting: Init:0/1 and its restarts with "(10s ago)"
    (
        pod(
            containers=1,
            init=1,
            phase="podPhase",
            initContainerStatuses=[
                {"name": "i0", "restartCount": 3, "state": RUNNING, "lastState": {"terminated": {"finishedAt": ts(10)}}}
            ],
            containerStatuses=[{"restartCount": 0, "state": {"waiting": {}}}],
        ),
        ["test", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"],
    ),
    # two init containers, the first done, the second restarting
    (
        pod(
            containers=1,
            init=2,
            phase="podPhase",
            initContainerStatuses=[
                {"name": "i0", "state": {"terminated": {"exitCode": 0}}},
                {
                    "name": "i1",
                    "restartCount": 3,
                    "state": RUNNING,
                    "lastState": {"terminated": {"finishedAt": ts(10)}},
                },
            ],
            containerStatuses=[{"state": {"waiting": {}}}],
        ),
        ["test", "0/1", "Init:1/2", "3 (10s ago)", "<unknown>"],
    ),
    # a container restarted: the most recent finishedAt is shown
    (
        pod(
            containers=2,
            phase="Running",
            containerStatuses=[
                {
                    "ready": True,
                    "restartCount": 1,
                    "state": RUNNING,
                    "lastState": {"terminated": {"finishedAt": ts(20)}},
                },
                {
                    "ready": True,
                    "restartCount": 2,
                    "state": RUNNING,
                    "lastState": {"terminated": {"finishedAt": ts(5)}},
                },
            ],
        ),
        ["test", "2/2", "Running", "3 (5s ago)", "<unknown>"],
    ),
]


@pytest.mark.parametrize(("obj", "cells"), POD_CASES)
def test_print_pod(obj, cells):
    assert row(obj) == cells


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ({"terminated": {"exitCode": 1}}, "Init:ExitCode:1"),
        ({"terminated": {"exitCode": 137, "signal": 9}}, "Init:Signal:9"),
        ({"terminated": {"exitCode": 1, "reason": "Error"}}, "Init:Error"),
        ({"waiting": {"reason": "CrashLoopBackOff"}}, "Init:CrashLoopBackOff"),
        ({"waiting": {"reason": "PodInitializing"}}, "Init:0/1"),
    ],
)
def test_print_pod_init_container_states(state, reason):
    obj = pod(containers=1, init=1, phase="Pending", initContainerStatuses=[{"name": "i0", "state": state}])
    assert row(obj)[2] == reason


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ({"waiting": {"reason": "CrashLoopBackOff"}}, "CrashLoopBackOff"),
        ({"waiting": {"reason": "ContainerCreating"}}, "ContainerCreating"),
        ({"terminated": {"exitCode": 0, "reason": "Completed"}}, "Completed"),
        ({"terminated": {"exitCode": 2}}, "ExitCode:2"),
        ({"terminated": {"exitCode": 143, "signal": 15}}, "Signal:15"),
        ({"waiting": {}}, "Pending"),
    ],
)
def test_print_pod_container_states(state, reason):
    obj = pod(containers=1, phase="Pending", containerStatuses=[{"state": state}])
    assert row(obj)[2] == reason


def test_print_pod_terminating_and_node_lost():
    obj = pod(containers=1, phase="Running", containerStatuses=[{"ready": True, "state": RUNNING}])
    obj["metadata"]["deletionTimestamp"] = ts(1)
    assert row(obj)[2] == "Terminating"
    obj["status"]["reason"] = "NodeLost"
    assert row(obj)[2] == "Unknown"
    done = pod(
        containers=1,
        phase="Succeeded",
        containerStatuses=[{"state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}],
    )
    done["metadata"]["deletionTimestamp"] = ts(1)
    assert row(done)[2] == "Completed"  # a terminal phase is not "Terminating"


def test_print_pod_scheduling_gated_and_sidecar():
    gated = pod(containers=1, phase="Pending", conditions=[{"type": "PodScheduled", "reason": "SchedulingGated"}])
    assert row(gated)[1:3] == ["0/1", "SchedulingGated"]
    sidecar = pod(
        containers=1,
        init=1,
        phase="Running",
        conditions=[{"type": "Initialized", "status": "True"}],
        initContainerStatuses=[{"name": "i0", "started": True, "ready": True, "restartCount": 2, "state": RUNNING}],
        containerStatuses=[{"ready": True, "state": RUNNING}],
    )
    sidecar["spec"]["initContainers"][0]["restartPolicy"] = "Always"
    assert row(sidecar)[1:4] == ["2/2", "Running", "2"]


def test_print_pod_wide_and_age():
    obj = pod(
        containers=1,
        phase="Running",
        podIPs=[{"ip": "1.1.1.1"}],
        nominatedNodeName="node2",
        conditions=[{"type": "condition1", "status": "True"}],
    )
    obj["metadata"]["creationTimestamp"] = ts(190)
    obj["spec"].update(nodeName="test1", readinessGates=[{"conditionType": "condition1"}, {"conditionType": "c2"}])
    assert row(obj, wide=True) == ["test", "0/1", "Running", "0", "3m10s", "1.1.1.1", "test1", "node2", "1/2"]
    assert columns("po", wide=True)[-4:] == ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]
    bare = pod(containers=1, phase="Pending")
    assert row(bare, wide=True)[5:] == ["<none>", "<none>", "<none>", "<none>"]


def test_pod_status_function_and_now_as_datetime():
    obj = pod(containers=1, phase="Running", containerStatuses=[{"ready": True, "state": RUNNING}])
    obj["metadata"]["creationTimestamp"] = "2026-01-01T00:00:00Z"
    assert pod_status(obj, NOW) == ("1/1", "Running", "0")
    when = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
    assert get_table([obj], "Pod", when)["AGE"].tolist() == ["120m"]


# --- other kinds ------------------------------------------------------------------------------------------------


def node(**kw):
    base = {"kind": "Node", "metadata": {"name": "foo1"}, "spec": {}, "status": {}}
    for k, v in kw.items():
        base[k].update(v) if isinstance(v, dict) else None
    return base


@pytest.mark.parametrize(
    ("obj", "status"),
    [
        (node(status={"conditions": [{"type": "Ready", "status": "True"}]}), "Ready"),
        (
            node(status={"conditions": [{"type": "Ready", "status": "True"}]}, spec={"unschedulable": True}),
            "Ready,SchedulingDisabled",
        ),
        (node(status={"conditions": [{"type": "Ready", "status": "False"}]}), "NotReady"),
        (node(status={"conditions": [{"type": "Ready", "status": "Unknown"}]}), "NotReady"),
        (node(), "Unknown"),
        (node(spec={"unschedulable": True}), "Unknown,SchedulingDisabled"),
        (node(status={"conditions": [{"type": "InvalidValue", "status": "True"}]}), "Unknown"),
    ],
)
def test_print_node_status(obj, status):
    assert row(obj, "nodes")[1] == status


def test_print_node_roles_and_wide():
    obj = node(
        metadata={
            "labels": {
                "node-role.kubernetes.io/control-plane": "",
                "node-role.kubernetes.io/": "",
                "kubernetes.io/role": "worker",
            }
        },
        status={
            "nodeInfo": {"kubeletVersion": "v1.32.0"},
            "addresses": [{"type": "InternalIP", "address": "1.1.1.1"}, {"type": "ExternalIP", "address": "2.2.2.2"}],
        },
    )
    cells = row(obj, "no", wide=True)
    assert cells == [
        "foo1",
        "Unknown",
        "control-plane,worker",
        "<unknown>",
        "v1.32.0",
        "1.1.1.1",
        "2.2.2.2",
        "<unknown>",
        "<unknown>",
        "<unknown>",
    ]
    assert row(node(), "no")[2] == "<none>"


def test_print_deployment():
    d = {
        "kind": "Deployment",
        "metadata": {"name": "test1", "creationTimestamp": ts(10)},
        "spec": {
            "replicas": 5,
            "selector": {"matchLabels": {"foo": "bar"}},
            "template": {
                "spec": {
                    "containers": [
                        {"name": "fake-container1", "image": "fake-image1"},
                        {"name": "fake-container2", "image": "fake-image2"},
                    ]
                }
            },
        },
        "status": {"replicas": 10, "updatedReplicas": 2, "availableReplicas": 1, "unavailableReplicas": 4},
    }
    assert row(d, "deploy") == ["test1", "0/5", 2, 1, "10s"]
    assert row(d, "deployments.apps", wide=True)[5:] == [
        "fake-container1,fake-container2",
        "fake-image1,fake-image2",
        "foo=bar",
    ]


def test_print_replicaset():
    rs = {
        "kind": "ReplicaSet",
        "metadata": {"name": "web-7d4b9", "creationTimestamp": ts(3 * 3600)},
        "spec": {"replicas": 3},
        "status": {"replicas": 3, "readyReplicas": 2},
    }
    assert row(rs, "rs") == ["web-7d4b9", 3, 3, 2, "3h"]


@pytest.mark.parametrize(
    ("spec", "status", "cells"),
    [
        (
            {"type": "ClusterIP", "clusterIPs": ["10.9.8.7"], "ports": [{"protocol": "TCP", "port": 2233}]},
            {},
            ["ClusterIP", "10.9.8.7", "<none>", "2233/TCP"],
        ),
        (
            {
                "type": "NodePort",
                "clusterIPs": ["10.9.8.7"],
                "ports": [{"protocol": "TCP", "port": 8888, "nodePort": 9999}],
            },
            {},
            ["NodePort", "10.9.8.7", "<none>", "8888:9999/TCP"],
        ),
        (
            {"type": "LoadBalancer", "clusterIPs": ["10.9.8.7"], "ports": [{"protocol": "TCP", "port": 8888}]},
            {},
            ["LoadBalancer", "10.9.8.7", "<pending>", "8888/TCP"],
        ),
        (
            {
                "type": "LoadBalancer",
                "clusterIPs": ["10.9.8.7"],
                "ports": [{"protocol": "TCP", "port": 8888}],
                "externalIPs": ["80.11.12.10"],
            },
            {"loadBalancer": {"ingress": [{"ip": "3.4.5.6", "hostname": "test.cluster.com"}]}},
            ["LoadBalancer", "10.9.8.7", "3.4.5.6,80.11.12.10", "8888/TCP"],
        ),
        (
            {"type": "ExternalName", "externalName": "my.database.example.com"},
            {},
            ["ExternalName", "<none>", "my.database.example.com", "<none>"],
        ),
    ],
)
def test_print_service(spec, status, cells):
    svc = {"kind": "Service", "metadata": {"name": "test1"}, "spec": spec, "status": status}
    assert row(svc, "svc")[1:5] == cells


def test_print_hpa_targets():
    def hpa(metrics, current=None):
        return {
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "some-hpa"},
            "spec": {
                "scaleTargetRef": {"kind": "ReplicationController", "name": "some-rc"},
                "minReplicas": 2,
                "maxReplicas": 10,
                "metrics": metrics,
            },
            "status": {"currentReplicas": 4, "currentMetrics": current or []},
        }

    cpu = {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}
    cpu_now = {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 50}}}
    assert row(hpa([]), "hpa") == ["some-hpa", "ReplicationController/some-rc", "<none>", "2", 10, 4, "<unknown>"]
    assert row(hpa([cpu]), "hpa")[2] == "cpu: <unknown>/80%"
    assert row(hpa([cpu], [cpu_now]), "hpa")[2] == "cpu: 50%/80%"
    pods = {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"averageValue": "100m"}}}
    assert row(hpa([pods, cpu, cpu], [{"type": "Pods", "pods": {"current": {"averageValue": "0.05"}}}]), "hpa")[2] == (
        "50m/100m, cpu: <unknown>/80% + 1 more..."
    )


def test_print_small_kinds():
    assert row({"kind": "Namespace", "metadata": {"name": "dev"}, "status": {"phase": "Active"}}, "ns") == [
        "dev",
        "Active",
        "<unknown>",
    ]
    assert row({"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}, "binaryData": {"b": ""}}, "cm") == [
        "c",
        2,
        "<unknown>",
    ]
    assert row({"kind": "ServiceAccount", "metadata": {"name": "default"}}, "sa") == ["default", 0, "<unknown>"]
    assert row({"kind": "Lease", "metadata": {"name": "n1"}, "spec": {"holderIdentity": "n1"}}, "leases") == [
        "n1",
        "n1",
        "<unknown>",
    ]
    eps = {
        "kind": "EndpointSlice",
        "metadata": {"name": "web-x"},
        "addressType": "IPv4",
        "ports": [{"port": 80}, {"name": "https"}],
        "endpoints": [{"addresses": ["10.0.0.1"]}, {"addresses": ["10.0.0.2", "10.0.0.3", "10.0.0.4"]}],
    }
    assert row(eps, "endpointslices") == [
        "web-x",
        "IPv4",
        "80,https",
        "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...",
        "<unknown>",
    ]
    empty = {"kind": "EndpointSlice", "metadata": {"name": "e"}, "addressType": "IPv4"}
    assert row(empty, "endpointslices")[2:4] == ["<unset>", "<unset>"]


def test_print_rbac():
    rb = {
        "kind": "RoleBinding",
        "metadata": {"name": "read"},
        "roleRef": {"kind": "Role", "name": "reader"},
        "subjects": [
            {"kind": "User", "name": "jane"},
            {"kind": "ServiceAccount", "namespace": "ns", "name": "sa"},
            {"kind": "Group", "name": "devs"},
        ],
    }
    assert row(rb, "rolebindings", wide=True) == ["read", "Role/reader", "<unknown>", "jane", "devs", "ns/sa"]
    cr = {"kind": "ClusterRole", "metadata": {"name": "admin", "creationTimestamp": "2026-01-01T00:00:05Z"}}
    assert get_table([cr], "clusterroles", NOW).columns.tolist() == ["NAME", "CREATED AT"]
    assert row(cr, "clusterroles") == ["admin", "2026-01-01T00:00:05Z"]


def test_print_event():
    ev = {
        "kind": "Event",
        "metadata": {"name": "web.1"},
        "type": "Warning",
        "reason": "BackOff",
        "involvedObject": {"kind": "Pod", "name": "web", "fieldPath": "spec.containers{nginx}"},
        "message": " Back-off restarting failed container \n",
        "source": {"component": "kubelet", "host": "n1"},
        "firstTimestamp": ts(300),
        "lastTimestamp": ts(30),
        "count": 5,
    }
    assert row(ev, "events") == ["30s", "Warning", "BackOff", "pod/web", "Back-off restarting failed container"]
    assert row(ev, "ev", wide=True)[4:] == [
        "spec.containers{nginx}",
        "kubelet, n1",
        "Back-off restarting failed container",
        "5m",
        5,
        "web.1",
    ]


def test_namespace_and_labels_columns_and_errors():
    obj = pod(containers=1, phase="Running")
    obj["metadata"].update(namespace="prod", labels={"b": "2", "a": "1"})
    table = get_table([obj], "pods", NOW, namespace_column=True, show_labels=True)
    assert table.columns.tolist() == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"]
    assert table.iloc[0].tolist()[0] == "prod" and table.iloc[0].tolist()[-1] == "a=1,b=2"
    assert get_table([], "deploy", NOW).columns.tolist() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    with pytest.raises(ValueError, match='the server doesn\'t have a resource type "gizmos"'):
        get_table([], "gizmos", NOW)
    with pytest.raises(ValueError, match="cannot print a Service"):
        get_table([{"kind": "Service", "metadata": {}}], "pods", NOW)


# --- describe -----------------------------------------------------------------------------------------------------


def test_tabwrite_matches_go_tabwriter():
    assert tabwrite("Name:\tweb\nService Account:\tdefault\nIPs:\n  IP:\t10.0.0.1\n") == (
        "Name:             web\nService Account:  default\nIPs:\n  IP:  10.0.0.1\n"
    )


def test_describe_pod_fields_and_events():
    obj = pod(
        containers=1,
        phase="Running",
        podIP="10.0.0.5",
        podIPs=[{"ip": "10.0.0.5"}],
        containerStatuses=[
            {
                "name": "c0",
                "ready": True,
                "restartCount": 0,
                "state": {"running": {"startedAt": "2026-01-01T00:00:03Z"}},
            }
        ],
    )
    obj["metadata"].update(namespace="default", labels={"app": "web", "tier": "fe"})
    ev = {
        "kind": "Event",
        "involvedObject": {"kind": "Pod", "name": "test", "namespace": "default"},
        "type": "Normal",
        "reason": "Scheduled",
        "message": "Successfully assigned default/test to n1",
        "source": {"component": "default-scheduler"},
        "firstTimestamp": ts(60),
        "lastTimestamp": ts(60),
    }
    other = {**ev, "involvedObject": {"kind": "Pod", "name": "other", "namespace": "default"}}
    text = describe(obj, [ev, other], NOW)
    lines = text.splitlines()
    assert lines[0] == "Name:             test"
    assert lines[1] == "Namespace:        default"
    assert "Labels:           app=web" in lines and "                  tier=fe" in lines
    order = [
        "Name:",
        "Namespace:",
        "Service Account:",
        "Node:",
        "Labels:",
        "Annotations:",
        "Status:",
        "IP:",
        "Containers:",
        "QoS Class:",
        "Events:",
    ]
    positions = [next(i for i, line in enumerate(lines) if line.startswith(key)) for key in order]
    assert positions == sorted(positions)
    assert "      Started:      Thu, 01 Jan 2026 00:00:03 +0000" in lines
    assert lines[-3:] == [
        "  Type    Reason     Age   From               Message",
        "  ----    ------     ----  ----               -------",
        "  Normal  Scheduled  60s   default-scheduler  Successfully assigned default/test to n1",
    ]


def test_describe_without_events_and_other_kinds():
    d = {
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]},
            },
        },
        "status": {"replicas": 3, "updatedReplicas": 3, "availableReplicas": 3},
    }
    text = describe(d, [], NOW)
    assert "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable" in text
    assert "RollingUpdateStrategy:  25% max unavailable, 25% max surge" in text
    assert text.splitlines()[-1].split() == ["Events:", "<none>"]
    n = node(status={"conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}]})
    assert "Roles:" in describe(n) and "KubeletReady" in describe(n)
    svc = {
        "kind": "Service",
        "metadata": {"name": "s", "namespace": "d"},
        "spec": {"ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}], "clusterIPs": ["10.96.0.10"]},
    }
    assert "Endpoints:                10.0.0.1:8080" in describe(svc, endpoints=["10.0.0.1:8080"])
    rs = {"kind": "ReplicaSet", "metadata": {"name": "r"}, "spec": {"replicas": 2}, "status": {"replicas": 2}}
    assert "Pods Status:  1 Running / 1 Waiting / 0 Succeeded / 0 Failed" in describe(
        rs, pods=[{"status": {"phase": "Running"}}, {"status": {"phase": "Pending"}}]
    )
    with pytest.raises(ValueError, match="no describer"):
        describe({"kind": "ConfigMap"})
