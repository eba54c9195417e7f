"""kubectl get / describe views. The ``test_upstream_*`` tests port upstream's table cases from
pkg/printers/internalversion/printers_test.go (each names its upstream test); the rest are model checks."""

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


# =================================================================================================================
# Ported from upstream pkg/printers/internalversion/printers_test.go (kubernetes/kubernetes, master as stored in
# the search index). Each case keeps upstream's input object and expected cells; AGE/RESTARTS ages use upstream's
# relative times (``time.Now().Add(-10 * time.Second)`` becomes ``ago(10)``, ``time.Now().Add(1.9e9)`` becomes
# ``ago(-1.9)``). An object without creationTimestamp prints ``<unknown>``, as upstream's zero time does.
# =================================================================================================================

DAY = 24 * 3600


def ago(seconds: float) -> str:
    """An RFC 3339 time ``seconds`` before :data:`NOW` (negative: in the future), with microseconds."""
    return (EPOCH + timedelta(seconds=NOW - seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def upod(name, containers=2, init=None, meta=None, **status):
    """An upstream test pod: ``make([]api.Container, n)`` containers (empty names), ``init`` init containers
    (a count of unnamed ones, or a list of container specs)."""
    inits = [{} for _ in range(init)] if isinstance(init, int) else (init or [])
    return {
        "kind": "Pod",
        "metadata": {"name": name, **(meta or {})},
        "spec": {"containers": [{} for _ in range(containers)], "initContainers": inits},
        "status": status,
    }


def lastterm(seconds_ago):
    return {"terminated": {"finishedAt": ago(seconds_ago)}}


RUN = {"running": {}}
WAIT = {"waiting": {}}
SIDECARS = [
    {"name": "restartable-init-1", "restartPolicy": "Always"},
    {"name": "restartable-init-2", "restartPolicy": "Always"},
]

# TestPrintPod: 20 cases, in upstream order (upstream names test6 twice).
UPSTREAM_PRINT_POD = [
    (
        upod(
            "test1",
            phase="podPhase",
            containerStatuses=[{"ready": True, "restartCount": 3, "state": RUN}, {"restartCount": 3}],
        ),
        ["test1", "1/2", "podPhase", "6", "<unknown>"],
    ),
    (
        upod(
            "test2",
            phase="podPhase",
            containerStatuses=[
                {"ready": True, "restartCount": 3, "state": RUN},
                {"state": {"waiting": {"reason": "ContainerWaitingReason"}}, "restartCount": 3},
            ],
        ),
        ["test2", "1/2", "ContainerWaitingReason", "6", "<unknown>"],
    ),
    (
        upod(
            "test3",
            phase="podPhase",
            containerStatuses=[
                {"state": {"waiting": {"reason": "ContainerWaitingReason"}}, "restartCount": 3},
                {"state": {"terminated": {"reason": "ContainerTerminatedReason"}}, "restartCount": 3},
            ],
        ),
        ["test3", "0/2", "ContainerWaitingReason", "6", "<unknown>"],
    ),
    (
        upod(
            "test4",
            phase="podPhase",
            containerStatuses=[{"ready": True, "restartCount": 3, "state": RUN}, {"ready": True, "restartCount": 3}],
        ),
        ["test4", "1/2", "podPhase", "6", "<unknown>"],
    ),
    (
        upod(
            "test5",
            reason="podReason",
            phase="podPhase",
            containerStatuses=[{"ready": True, "restartCount": 3, "state": RUN}, {"ready": True, "restartCount": 3}],
        ),
        ["test5", "1/2", "podReason", "6", "<unknown>"],
    ),
    (
        upod(
            "test6",
            phase="Running",
            reason="",
            containerStatuses=[
                {"ready": True, "restartCount": 3, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}},
                {"ready": True, "restartCount": 3, "state": RUN},
            ],
        ),
        ["test6", "1/2", "NotReady", "6", "<unknown>"],
    ),
    (
        upod(
            "test6",
            phase="Running",
            reason="",
            containerStatuses=[
                {"ready": True, "restartCount": 3, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}},
                {"ready": True, "restartCount": 3, "state": RUN},
            ],
            conditions=[{"type": "Ready", "status": "True", "lastProbeTime": ago(0)}],
        ),
        ["test6", "1/2", "Running", "6", "<unknown>"],
    ),
    (
        upod(
            "test7",
            containers=1,
            init=1,
            phase="podPhase",
            initContainerStatuses=[{"ready": False, "restartCount": 3, "state": RUN, "lastState": lastterm(10)}],
            containerStatuses=[{"ready": False, "restartCount": 0, "state": WAIT}],
        ),
        ["test7", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"],
    ),
    (
        upod(
            "test8",
            containers=1,
            init=2,
            phase="podPhase",
            initContainerStatuses=[
                {"ready": False, "restartCount": 3, "state": RUN, "lastState": lastterm(10)},
                {"ready": False, "state": WAIT},
            ],
            containerStatuses=[{"ready": False, "state": WAIT}],
        ),
        ["test8", "0/1", "Init:0/2", "3 (10s ago)", "<unknown>"],
    ),
    (
        upod(
            "test9",
            containers=1,
            init=2,
            phase="podPhase",
            initContainerStatuses=[
                {"ready": False, "state": {"terminated": {}}},
                {"ready": False, "restartCount": 3, "state": RUN, "lastState": lastterm(10)},
            ],
            containerStatuses=[{"ready": False, "state": WAIT}],
        ),
        ["test9", "0/1", "Init:1/2", "3 (10s ago)", "<unknown>"],
    ),
    (
        upod(
            "test10",
            containers=1,
            init=2,
            phase="podPhase",
            initContainerStatuses=[
                {"ready": False, "restartCount": 2, "state": {"terminated": {}}, "lastState": lastterm(120)},
                {"ready": False, "restartCount": 3, "state": RUN, "lastState": lastterm(10)},
            ],
            containerStatuses=[{"ready": False, "state": WAIT}],
        ),
        ["test10", "0/1", "Init:1/2", "5 (10s ago)", "<unknown>"],
    ),
    (
        upod(
            "test11",
            containers=1,
            init=1,
            phase="Running",
            initContainerStatuses=[
                {"ready": False, "restartCount": 2, "state": {"terminated": {}}, "lastState": lastterm(120)},
            ],
            containerStatuses=[{"ready": False, "restartCount": 4, "state": RUN, "lastState": lastterm(20)}],
        ),
        ["test11", "0/1", "Running", "4 (20s ago)", "<unknown>"],
    ),
    (
        upod(
            "test12",
            containers=1,
            phase="Running",
            containerStatuses=[{"ready": True, "restartCount": 3, "state": RUN, "lastState": lastterm(5 * DAY)}],
        ),
        ["test12", "1/1", "Running", "3 (5d ago)", "<unknown>"],
    ),
    (
        upod(
            "test13",
            phase="Running",
            containerStatuses=[
                {"ready": True, "restartCount": 0, "state": RUN},
                {"ready": True, "restartCount": 3, "state": RUN, "lastState": lastterm(10 * DAY)},
            ],
        ),
        ["test13", "2/2", "Running", "3 (10d ago)", "<unknown>"],
    ),
    (
        upod(
            "test14",
            phase="Running",
            containerStatuses=[
                {"ready": True, "restartCount": 6, "state": RUN, "lastState": lastterm(5 * DAY)},
                {"ready": True, "restartCount": 3, "state": RUN, "lastState": lastterm(20 * DAY)},
            ],
        ),
        ["test14", "2/2", "Running", "9 (5d ago)", "<unknown>"],
    ),
    (
        upod(
            "test15",
            phase="podPhase",
            conditions=[{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}],
        ),
        ["test15", "0/2", "SchedulingGated", "0", "<unknown>"],
    ),
    (
        upod(
            "test16",
            containers=1,
            phase="Succeeded",
            containerStatuses=[
                {"ready": False, "restartCount": 0, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}}
            ],
        ),
        ["test16", "0/1", "Completed", "0", "<unknown>"],
    ),
    (
        upod(
            "test17",
            containers=1,
            phase="Failed",
            containerStatuses=[
                {"ready": False, "restartCount": 0, "state": {"terminated": {"reason": "Error", "exitCode": 1}}}
            ],
        ),
        ["test17", "0/1", "Error", "0", "<unknown>"],
    ),
    (
        upod(
            "test18",
            containers=1,
            meta={"deletionTimestamp": ago(10)},
            phase="Succeeded",
            containerStatuses=[
                {"ready": False, "restartCount": 0, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}}
            ],
        ),
        ["test18", "0/1", "Completed", "0", "<unknown>"],
    ),
    (
        upod(
            "test19",
            containers=1,
            meta={"deletionTimestamp": ago(10)},
            phase="Running",
            containerStatuses=[{"ready": False, "restartCount": 0, "state": RUN}],
        ),
        ["test19", "0/1", "Terminating", "0", "<unknown>"],
    ),
    (
        upod("test20", containers=1, meta={"deletionTimestamp": ago(10)}, phase="Pending"),
        ["test20", "0/1", "Terminating", "0", "<unknown>"],
    ),
]


@pytest.mark.parametrize(("obj", "cells"), UPSTREAM_PRINT_POD)
def test_upstream_print_pod(obj, cells):
    """TestPrintPod."""
    assert row(obj) == cells


# TestPrintPodWithRestartableInitContainer: 5 cases.
UPSTREAM_PRINT_POD_SIDECARS = [
    (
        upod(
            "test1",
            containers=1,
            init=SIDECARS,
            phase="Pending",
            initContainerStatuses=[
                {
                    "name": "restartable-init-1",
                    "ready": False,
                    "restartCount": 3,
                    "state": RUN,
                    "started": False,
                    "lastState": lastterm(10),
                },
                {"name": "restartable-init-2", "ready": False, "state": WAIT, "started": False},
            ],
            containerStatuses=[{"ready": False, "restartCount": 0, "state": WAIT}],
            conditions=[{"type": "Initialized", "status": "False"}],
        ),
        ["test1", "0/3", "Init:0/2", "3 (10s ago)", "<unknown>"],
    ),
    (
        upod(
            "test1",
            containers=1,
            init=SIDECARS,
            phase="Pending",
            initContainerStatuses=[
                {
                    "name": "restartable-init-1",
                    "ready": False,
                    "restartCount": 3,
                    "state": RUN,
                    "started": True,
                    "lastState": lastterm(10),
                },
                {"name": "restartable-init-2", "ready": False, "state": RUN, "started": False},
            ],
            containerStatuses=[{"ready": False, "restartCount": 0, "state": WAIT}],
            conditions=[{"type": "Initialized", "status": "False"}],
        ),
        ["test1", "0/3", "Init:1/2", "3 (10s ago)", "<unknown>"],
    ),
    (
        upod(
            "test2",
            containers=1,
            init=SIDECARS,
            phase="Running",
            initContainerStatuses=[
                {
                    "name": "restartable-init-1",
                    "ready": False,
                    "restartCount": 3,
                    "state": RUN,
                    "started": True,
                    "lastState": lastterm(10),
                },
                {"name": "restartable-init-2", "ready": False, "state": RUN, "started": True},
            ],
            containerStatuses=[{"ready": True, "restartCount": 4, "state": RUN, "lastState": lastterm(20)}],
            conditions=[{"type": "Initialized", "status": "True"}],
        ),
        ["test2", "1/3", "Running", "7 (10s ago)", "<unknown>"],
    ),
    (
        upod(
            "test3",
            containers=1,
            init=SIDECARS,
            phase="Succeeded",
            initContainerStatuses=[
                {
                    "name": "restartable-init-1",
                    "ready": False,
                    "restartCount": 3,
                    "state": {"terminated": {"reason": "Error", "exitCode": 137}},
                    "started": False,
                    "lastState": lastterm(10),
                },
                {
                    "name": "restartable-init-2",
                    "ready": False,
                    "state": {"terminated": {"reason": "Error", "exitCode": 137}},
                    "started": False,
                },
            ],
            containerStatuses=[
                {
                    "ready": False,
                    "restartCount": 4,
                    "state": {"terminated": {"reason": "Completed", "exitCode": 0}},
                    "lastState": lastterm(20),
                }
            ],
            conditions=[{"type": "Initialized", "status": "True"}],
        ),
        ["test3", "0/3", "Completed", "7 (10s ago)", "<unknown>"],
    ),
    (
        {
            "kind": "Pod",
            "metadata": {"name": "test4"},
            "spec": {
                "initContainers": [
                    {"name": "init1", "image": "initimage"},
                    {"name": "sidecar1", "image": "sidecarimage", "restartPolicy": "Always"},
                ],
                "containers": [{"name": "container1", "image": "containerimage"}],
            },
            "status": {
                "phase": "Running",
                "initContainerStatuses": [{"name": "initinvalid"}, {"name": "init1"}, {"name": "sidecar1"}],
                "containerStatuses": [{"name": "containerinvalid"}, {"name": "container1"}],
            },
        },
        ["test4", "0/2", "Init:0/2", "0", "<unknown>"],
    ),
]


@pytest.mark.parametrize(("obj", "cells"), UPSTREAM_PRINT_POD_SIDECARS)
def test_upstream_print_pod_with_restartable_init_container(obj, cells):
    """TestPrintPodWithRestartableInitContainer."""
    assert row(obj) == cells


def _wide_pod(pod_ips):
    obj = upod(
        "test1",
        phase="podPhase",
        podIPs=pod_ips,
        containerStatuses=[{"ready": True, "restartCount": 3, "state": RUN}, {"restartCount": 3}],
        nominatedNodeName="node1",
        conditions=[{"type": "condition1", "status": "False"}, {"type": "condition2", "status": "True"}],
    )
    obj["spec"]["nodeName"] = "test1"
    obj["spec"]["readinessGates"] = [{"conditionType": f"condition{i}"} for i in (1, 2, 3)]
    return obj


@pytest.mark.parametrize(
    ("obj", "cells"),
    [
        (
            _wide_pod([{"ip": "1.1.1.1"}]),
            ["test1", "1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3"],
        ),
        (
            _wide_pod([{"ip": "1.1.1.1"}, {"ip": "2001:db8::"}]),
            ["test1", "1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3"],
        ),
        (
            upod(
                "test2",
                phase="podPhase",
                containerStatuses=[
                    {"ready": True, "restartCount": 3, "state": RUN},
                    {"state": {"waiting": {"reason": "ContainerWaitingReason"}}, "restartCount": 3},
                ],
            ),
            ["test2", "1/2", "ContainerWaitingReason", "6", "<unknown>", "<none>", "<none>", "<none>", "<none>"],
        ),
    ],
)
def test_upstream_print_pod_wide(obj, cells):
    """TestPrintPodwide: 3 cases."""
    assert row(obj, wide=True) == cells


@pytest.mark.parametrize(
    ("phase", "name", "status"),
    [("Running", "test1", "Running"), ("Succeeded", "test1", "Succeeded"), ("Failed", "test2", "Failed")],
)
def test_upstream_print_pod_conditions(phase, name, status):
    """TestPrintPodConditions: 3 cases (the cells; the model has no TableRowConditions)."""
    obj = upod(
        name,
        phase=phase,
        containerStatuses=[{"ready": True, "restartCount": 3, "state": RUN}, {"restartCount": 3}],
    )
    assert row(obj) == [name, "1/2", status, "6", "<unknown>"]


def unode(name, spec=None, **status):
    return {"kind": "Node", "metadata": {"name": name}, "spec": spec or {}, "status": status}


READY = {"type": "Ready", "status": "True"}
NOT_READY = {"type": "Ready", "status": "False"}
INVALID = {"type": "InvalidValue", "status": "True"}
COLD = {"unschedulable": True}


@pytest.mark.parametrize(
    ("obj", "cells"),
    [
        (unode("foo1", conditions=[READY]), ["foo1", "Ready", "<none>", "<unknown>", ""]),
        (unode("foo2", COLD, conditions=[READY]), ["foo2", "Ready,SchedulingDisabled", "<none>", "<unknown>", ""]),
        (unode("foo3", conditions=[READY, READY]), ["foo3", "Ready", "<none>", "<unknown>", ""]),
        (unode("foo4", conditions=[NOT_READY]), ["foo4", "NotReady", "<none>", "<unknown>", ""]),
        (
            unode("foo5", COLD, conditions=[NOT_READY]),
            ["foo5", "NotReady,SchedulingDisabled", "<none>", "<unknown>", ""],
        ),
        (unode("foo6", conditions=[INVALID]), ["foo6", "Unknown", "<none>", "<unknown>", ""]),
        (unode("foo7", conditions=[{}]), ["foo7", "Unknown", "<none>", "<unknown>", ""]),
        (
            unode("foo8", COLD, conditions=[INVALID]),
            ["foo8", "Unknown,SchedulingDisabled", "<none>", "<unknown>", ""],
        ),
        (unode("foo9", COLD, conditions=[{}]), ["foo9", "Unknown,SchedulingDisabled", "<none>", "<unknown>", ""]),
    ],
)
def test_upstream_print_node_status(obj, cells):
    """TestPrintNodeStatus: 9 cases."""
    assert row(obj, "nodes") == cells


@pytest.mark.parametrize(
    ("labels", "roles"),
    [
        (None, "<none>"),
        (
            {
                "node-role.kubernetes.io/master": "",
                "node-role.kubernetes.io/control-plane": "",
                "node-role.kubernetes.io/proxy": "",
                "kubernetes.io/role": "node",
            },
            "control-plane,master,node,proxy",
        ),
        ({"kubernetes.io/role": "node"}, "node"),
    ],
)
def test_upstream_print_node_role(labels, roles):
    """TestPrintNodeRole: 3 cases."""
    obj = unode("foo")
    if labels:
        obj["metadata"]["labels"] = labels
    assert row(obj, "nodes") == ["foo", "Unknown", roles, "<unknown>", ""]


EXT_1111 = [{"type": "ExternalIP", "address": "1.1.1.1"}]
INT_1111 = [{"type": "InternalIP", "address": "1.1.1.1"}]


@pytest.mark.parametrize(
    ("status", "wide_cells"),
    [
        # TestPrintNodeOSImage
        (
            {"nodeInfo": {"osImage": "fake-os-image"}, "addresses": EXT_1111},
            ["<none>", "1.1.1.1", "fake-os-image", "<unknown>", "<unknown>"],
        ),
        (
            {"nodeInfo": {"kernelVersion": "fake-kernel-version"}, "addresses": EXT_1111},
            ["<none>", "1.1.1.1", "<unknown>", "fake-kernel-version", "<unknown>"],
        ),
        # TestPrintNodeContainerRuntimeVersion
        (
            {"nodeInfo": {"containerRuntimeVersion": "foo://1.2.3"}, "addresses": EXT_1111},
            ["<none>", "1.1.1.1", "<unknown>", "<unknown>", "foo://1.2.3"],
        ),
        ({"nodeInfo": {}, "addresses": EXT_1111}, ["<none>", "1.1.1.1", "<unknown>", "<unknown>", "<unknown>"]),
        # TestPrintNodeExternalIP
        ({"addresses": INT_1111}, ["1.1.1.1", "<none>", "<unknown>", "<unknown>", "<unknown>"]),
        (
            {
                "addresses": [
                    {"type": "ExternalIP", "address": "2.2.2.2"},
                    {"type": "InternalIP", "address": "3.3.3.3"},
                    {"type": "ExternalIP", "address": "4.4.4.4"},
                ]
            },
            ["3.3.3.3", "2.2.2.2", "<unknown>", "<unknown>", "<unknown>"],
        ),
        # TestPrintNodeInternalIP
        (
            {
                "addresses": [
                    {"type": "InternalIP", "address": "2.2.2.2"},
                    {"type": "ExternalIP", "address": "3.3.3.3"},
                    {"type": "InternalIP", "address": "4.4.4.4"},
                ]
            },
            ["2.2.2.2", "3.3.3.3", "<unknown>", "<unknown>", "<unknown>"],
        ),
    ],
)
def test_upstream_print_node_wide(status, wide_cells):
    """TestPrintNodeOSImage, TestPrintNodeKernelVersion, TestPrintNodeContainerRuntimeVersion,
    TestPrintNodeExternalIP, TestPrintNodeInternalIP (distinct cases; the rest repeat these inputs)."""
    assert row(unode("foo1", **status), "nodes", wide=True) == [
        "foo1",
        "Unknown",
        "<none>",
        "<unknown>",
        "",
        *wide_cells,
    ]


def test_upstream_print_node_name():
    """TestPrintNodeName: 2 cases."""
    assert row(unode("127.0.0.1"), "nodes") == ["127.0.0.1", "Unknown", "<none>", "<unknown>", ""]
    assert row(unode(""), "nodes") == ["", "Unknown", "<none>", "<unknown>", ""]


UPSTREAM_DEPLOYMENT = {
    "kind": "Deployment",
    "metadata": {"name": "test1", "creationTimestamp": ago(-1.9)},
    "spec": {
        "replicas": 5,
        "template": {
            "spec": {
                "containers": [
                    {"name": "fake-container1", "image": "fake-image1"},
                    {"name": "fake-container2", "image": "fake-image2"},
                ]
            }
        },
        "selector": {"matchLabels": {"foo": "bar"}},
    },
    "status": {"replicas": 10, "updatedReplicas": 2, "availableReplicas": 1, "unavailableReplicas": 4},
}


def test_upstream_print_deployment():
    """TestPrintDeployment: 2 cases (created 1.9 s in the future: ``0s``)."""
    assert row(UPSTREAM_DEPLOYMENT, "deploy") == ["test1", "0/5", 2, 1, "0s"]
    assert row(UPSTREAM_DEPLOYMENT, "deployments.apps", wide=True) == [
        "test1",
        "0/5",
        2,
        1,
        "0s",
        "fake-container1,fake-container2",
        "fake-image1,fake-image2",
        "foo=bar",
    ]


def usvc(name, spec, status=None):
    return {"kind": "Service", "metadata": {"name": name}, "spec": spec, "status": status or {}}


def _tcp(port, node_port=None):
    p = {"protocol": "tcp", "port": port}
    if node_port:
        p["nodePort"] = node_port
    return p


@pytest.mark.parametrize(
    ("svc", "wide", "cells"),
    [
        (
            usvc(
                "test1",
                {"type": "ClusterIP", "ports": [_tcp(2233)], "clusterIPs": ["10.9.8.7"], "selector": {"foo": "bar"}},
            ),
            False,
            ["test1", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>"],
        ),
        (
            usvc(
                "test1",
                {"type": "ClusterIP", "ports": [_tcp(2233)], "clusterIPs": ["10.9.8.7"], "selector": {"foo": "bar"}},
            ),
            True,
            ["test1", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>", "foo=bar"],
        ),
        (
            usvc("test2", {"type": "NodePort", "ports": [_tcp(8888, 9999)], "clusterIPs": ["10.9.8.7"]}),
            False,
            ["test2", "NodePort", "10.9.8.7", "<none>", "8888:9999/tcp", "<unknown>"],
        ),
        (
            usvc("test3", {"type": "LoadBalancer", "ports": [_tcp(8888)], "clusterIPs": ["10.9.8.7"]}),
            False,
            ["test3", "LoadBalancer", "10.9.8.7", "<pending>", "8888/tcp", "<unknown>"],
        ),
        (
            usvc(
                "test4",
                {
                    "type": "LoadBalancer",
                    "ports": [_tcp(8888)],
                    "clusterIPs": ["10.9.8.7"],
                    "externalIPs": ["80.11.12.10"],
                },
            ),
            False,
            ["test4", "LoadBalancer", "10.9.8.7", "80.11.12.10", "8888/tcp", "<unknown>"],
        ),
        (
            usvc(
                "test5",
                {
                    "type": "LoadBalancer",
                    "ports": [_tcp(8888)],
                    "clusterIPs": ["10.9.8.7"],
                    "externalIPs": ["80.11.12.10"],
                },
                {"loadBalancer": {"ingress": [{"ip": "3.4.5.6", "hostname": "test.cluster.com"}]}},
            ),
            False,
            ["test5", "LoadBalancer", "10.9.8.7", "3.4.5.6,80.11.12.10", "8888/tcp", "<unknown>"],
        ),
        (
            usvc(
                "test6",
                {
                    "type": "LoadBalancer",
                    "ports": [_tcp(8888)],
                    "clusterIPs": ["10.9.8.7"],
                    "externalIPs": ["80.11.12.10", "80.11.12.11"],
                },
                {
                    "loadBalancer": {
                        "ingress": [
                            {"ip": "2.3.4.5", "hostname": "test.cluster.local"},
                            {"ip": "3.4.5.6", "hostname": "test.cluster.com"},
                        ]
                    }
                },
            ),
            False,
            [
                "test6",
                "LoadBalancer",
                "10.9.8.7",
                "2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11",
                "8888/tcp",
                "<unknown>",
            ],
        ),
        (
            usvc("test7", {"type": "ExternalName", "externalName": "my.database.example.com"}),
            False,
            ["test7", "ExternalName", "<none>", "my.database.example.com", "<none>", "<unknown>"],
        ),
    ],
)
def test_upstream_print_service(svc, wide, cells):
    """TestPrintService: 8 cases."""
    assert row(svc, "svc", wide=wide) == cells


_LB_PORTS = [
    {"port": 80, "protocol": "TCP"},
    {"port": 8090, "protocol": "UDP"},
    {"port": 8000, "protocol": "TCP"},
]
_LB_THREE = {
    "loadBalancer": {"ingress": [{"ip": "2.3.4.5"}, {"ip": "3.4.5.6"}, {"ip": "5.6.7.8", "hostname": "host5678"}]}
}


@pytest.mark.parametrize(
    ("svc", "wide", "cells"),
    [
        (
            usvc(
                "service1",
                {"clusterIPs": ["1.2.3.4"], "type": "LoadBalancer", "ports": [{"port": 80, "protocol": "TCP"}]},
                {"loadBalancer": {"ingress": [{"ip": "2.3.4.5"}, {"ip": "3.4.5.6"}]}},
            ),
            False,
            ["service1", "LoadBalancer", "1.2.3.4", "2.3.4.5,3.4.5.6", "80/TCP", "<unknown>"],
        ),
        (
            usvc(
                "service2",
                {
                    "clusterIPs": ["1.3.4.5"],
                    "type": "LoadBalancer",
                    "ports": [*_LB_PORTS, {"port": 7777, "protocol": "SCTP"}],
                },
            ),
            False,
            ["service2", "LoadBalancer", "1.3.4.5", "<pending>", "80/TCP,8090/UDP,8000/TCP,7777/SCTP", "<unknown>"],
        ),
        (
            usvc(
                "service3",
                {"clusterIPs": ["1.4.5.6"], "type": "LoadBalancer", "ports": _LB_PORTS},
                {"loadBalancer": {"ingress": [{"ip": "2.3.4.5"}]}},
            ),
            False,
            ["service3", "LoadBalancer", "1.4.5.6", "2.3.4.5", "80/TCP,8090/UDP,8000/TCP", "<unknown>"],
        ),
        (
            usvc("service4", {"clusterIPs": ["1.5.6.7"], "type": "LoadBalancer", "ports": _LB_PORTS}, _LB_THREE),
            False,
            ["service4", "LoadBalancer", "1.5.6.7", "2.3.4.5,3.4.5...", "80/TCP,8090/UDP,8000/TCP", "<unknown>"],
        ),
        (
            usvc(
                "service4",
                {"clusterIPs": ["1.5.6.7"], "type": "LoadBalancer", "ports": _LB_PORTS, "selector": {"foo": "bar"}},
                _LB_THREE,
            ),
            True,
            [
                "service4",
                "LoadBalancer",
                "1.5.6.7",
                "2.3.4.5,3.4.5.6,5.6.7.8",
                "80/TCP,8090/UDP,8000/TCP",
                "<unknown>",
                "foo=bar",
            ],
        ),
    ],
)
def test_upstream_print_service_load_balancer(svc, wide, cells):
    """TestPrintServiceLoadBalancer: 5 cases."""
    assert row(svc, "svc", wide=wide) == cells


def uhpa(metrics=None, current=None, min_replicas=2):
    spec = {"scaleTargetRef": {"name": "some-rc", "kind": "ReplicationController"}, "maxReplicas": 10}
    if min_replicas is not None:
        spec["minReplicas"] = min_replicas
    if metrics is not None:
        spec["metrics"] = metrics
    status = {"currentReplicas": 4, "desiredReplicas": 5}
    if current is not None:
        status["currentMetrics"] = current
    return {"kind": "HorizontalPodAutoscaler", "metadata": {"name": "some-hpa"}, "spec": spec, "status": status}


SEL = {"matchLabels": {"label": "value"}}
EXT_AVG = {
    "type": "External",
    "external": {
        "metric": {"name": "some-external-metric", "selector": SEL},
        "target": {"type": "AverageValue", "averageValue": "100m"},
    },
}
EXT_AVG_NOW = {
    "type": "External",
    "external": {"metric": {"name": "some-external-metric", "selector": SEL}, "current": {"averageValue": "50m"}},
}
EXT_VAL = {
    "type": "External",
    "external": {
        "metric": {"name": "some-service-metric", "selector": SEL},
        "target": {"type": "Value", "value": "100m"},
    },
}
EXT_VAL2 = {**EXT_VAL, "external": {**EXT_VAL["external"], "metric": {"name": "some-external-metric", "selector": SEL}}}
EXT_VAL_NOW = {
    "type": "External",
    "external": {"metric": {"name": "some-external-metric"}, "current": {"value": "50m"}},
}
PODS = {
    "type": "Pods",
    "pods": {"metric": {"name": "some-pods-metric"}, "target": {"type": "AverageValue", "averageValue": "100m"}},
}
PODS_NOW = {"type": "Pods", "pods": {"metric": {"name": "some-pods-metric"}, "current": {"averageValue": "50m"}}}
OBJ = {
    "type": "Object",
    "object": {
        "describedObject": {"name": "some-service", "kind": "Service"},
        "metric": {"name": "some-service-metric"},
        "target": {"type": "Value", "value": "100m"},
    },
}
OBJ_NOW = {
    "type": "Object",
    "object": {
        "describedObject": {"name": "some-service", "kind": "Service"},
        "metric": {"name": "some-service-metric"},
        "current": {"value": "50m"},
    },
}
RES_VAL = {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "AverageValue", "averageValue": "100m"}}}
RES_VAL_NOW = {"type": "Resource", "resource": {"name": "cpu", "current": {"averageValue": "50m"}}}
RES_UTIL = {
    "type": "Resource",
    "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}},
}
RES_UTIL_NOW = {
    "type": "Resource",
    "resource": {"name": "cpu", "current": {"averageUtilization": 50, "averageValue": "40m"}},
}


def _container(metric, field_name="resource", container="application"):
    source = dict(metric[field_name])
    if container:
        source["container"] = container
    return {"type": "ContainerResource", "containerResource": source}


UPSTREAM_HPA = [
    (uhpa(min_replicas=None), "<none>", "<unset>"),
    (uhpa([EXT_AVG]), "<unknown>/100m (avg)", "2"),
    (uhpa([EXT_AVG], [EXT_AVG_NOW]), "50m/100m (avg)", "2"),
    (uhpa([EXT_VAL]), "<unknown>/100m", "2"),
    (uhpa([EXT_VAL2], [EXT_VAL_NOW]), "50m/100m", "2"),
    (uhpa([PODS]), "<unknown>/100m", "2"),
    (uhpa([PODS], [PODS_NOW]), "50m/100m", "2"),
    (uhpa([OBJ]), "<unknown>/100m", "2"),
    (uhpa([OBJ], [OBJ_NOW]), "50m/100m", "2"),
    (uhpa([RES_VAL]), "cpu: <unknown>/100m", "2"),
    (uhpa([RES_VAL], [RES_VAL_NOW]), "cpu: 50m/100m", "2"),
    (uhpa([RES_UTIL]), "cpu: <unknown>/80%", "2"),
    (uhpa([RES_UTIL], [RES_UTIL_NOW]), "cpu: 50%/80%", "2"),
    (uhpa([_container(RES_VAL)]), "cpu: <unknown>/100m", "2"),
    (uhpa([_container(RES_VAL, container="")], [_container(RES_VAL_NOW)]), "cpu: 50m/100m", "2"),
    (uhpa([_container(RES_UTIL)]), "cpu: <unknown>/80%", "2"),
    (uhpa([_container(RES_UTIL, container="")], [_container(RES_UTIL_NOW)]), "cpu: 50%/80%", "2"),
    (
        uhpa(
            [
                PODS,
                RES_UTIL,
                {
                    "type": "Pods",
                    "pods": {
                        "metric": {"name": "other-pods-metric"},
                        "target": {"type": "AverageValue", "averageValue": "400m"},
                    },
                },
            ],
            [PODS_NOW, RES_UTIL_NOW],
        ),
        "50m/100m, cpu: 50%/80% + 1 more...",
        "2",
    ),
]


@pytest.mark.parametrize(("obj", "targets", "minpods"), UPSTREAM_HPA)
def test_upstream_print_hpa(obj, targets, minpods):
    """TestPrintHPA: 18 cases."""
    assert row(obj, "hpa") == ["some-hpa", "ReplicationController/some-rc", targets, minpods, 10, 4, "<unknown>"]


def uevent(name, kind="Deployment", type_="Warning", **fields):
    base = {
        "kind": "Event",
        "metadata": {"name": name},
        "source": {"component": "kubelet", "host": "Node1"},
        "involvedObject": {"kind": kind, "name": f"{kind} Name", "fieldPath": "spec.containers{foo}"},
        "reason": "Event Reason",
        "message": "Message Data",
        "type": type_,
    }
    base.update(fields)
    return base


def _wide_event(last, first, count, name):
    return [
        last,
        "Warning",
        "Event Reason",
        "deployment/Deployment Name",
        "spec.containers{foo}",
        "kubelet, Node1",
        "Message Data",
        first,
        count,
        name,
    ]


def test_upstream_print_event():
    """TestPrintEvent: 8 cases."""
    basic = uevent(
        "event1",
        kind="Pod",
        type_="Normal",
        source={"component": "kubelet"},
        firstTimestamp=ago(3 * DAY),
        lastTimestamp=ago(2 * DAY),
        count=6,
    )
    assert row(basic, "events") == ["2d", "Normal", "Event Reason", "pod/Pod Name", "Message Data"]
    wide = uevent("event2", firstTimestamp=ago(3 * DAY), lastTimestamp=ago(2 * DAY), count=6)
    assert row(wide, "events", wide=True) == _wide_event("2d", "3d", 6, "event2")
    no_first = uevent("event3", eventTime=ago(3 * DAY), lastTimestamp=ago(3 * DAY), count=1)
    assert row(no_first, "events", wide=True) == _wide_event("3d", "3d", 1, "event3")
    no_last = uevent("event4", eventTime=ago(3 * DAY), firstTimestamp=ago(3 * DAY), count=1)
    assert row(no_last, "events", wide=True) == _wide_event("3d", "3d", 1, "event4")
    neither = uevent("event5", eventTime=ago(3 * DAY), count=1)
    assert row(neither, "events", wide=True) == _wide_event("3d", "3d", 1, "event5")
    series = uevent("event6", series={"count": 2, "lastObservedTime": ago(2 * DAY)}, eventTime=ago(3 * DAY))
    assert row(series, "events", wide=True) == _wide_event("2d", "3d", 2, "event6")
    singleton = uevent("event7", eventTime=ago(3 * DAY))
    assert row(singleton, "events", wide=True) == _wide_event("3d", "3d", 1, "event7")
    # Empty source: core/v1 serialises ReportingController as "reportingComponent".
    reporting = uevent(
        "event2",
        source={},
        reportingComponent="kubelet",
        reportingInstance="test",
        firstTimestamp=ago(3 * DAY),
        lastTimestamp=ago(2 * DAY),
        count=6,
    )
    expected = _wide_event("2d", "3d", 6, "event2")
    expected[5] = "kubelet, test"
    assert row(reporting, "events", wide=True) == expected


def test_upstream_print_namespace():
    """TestPrintNamespace: 2 cases."""
    ns1 = {
        "kind": "Namespace",
        "metadata": {"name": "namespace1", "creationTimestamp": ago(-1.9)},
        "status": {"phase": "FooStatus"},
    }
    assert row(ns1, "ns") == ["namespace1", "FooStatus", "0s"]
    assert row({"kind": "Namespace", "metadata": {"name": "namespace2"}}, "ns") == ["namespace2", "", "<unknown>"]


def test_upstream_print_service_account():
    """TestPrintServiceAccount: 2 cases."""
    sa = {"kind": "ServiceAccount", "metadata": {"name": "sa1", "creationTimestamp": ago(-1.9)}, "secrets": []}
    assert row(sa, "sa") == ["sa1", 0, "0s"]
    sa["secrets"] = [{"name": "Secret1"}, {"name": "Secret2"}]
    assert row(sa, "sa") == ["sa1", 2, "0s"]


def test_upstream_print_config_map():
    """TestPrintConfigMap: 3 cases."""
    cm = {"kind": "ConfigMap", "metadata": {"name": "configmap1", "creationTimestamp": ago(-1.9)}}
    assert row(cm, "cm") == ["configmap1", 0, "0s"]
    cm2 = {**cm, "metadata": {**cm["metadata"], "name": "configmap2"}, "data": {"foo": "bar"}}
    assert row(cm2, "cm") == ["configmap2", 1, "0s"]
    cm3 = {**cm2, "metadata": {**cm["metadata"], "name": "configmap3"}, "binaryData": {"bin": "YmluYXJ5IGRhdGE="}}
    assert row(cm3, "cm") == ["configmap3", 2, "0s"]


@pytest.mark.parametrize("kind", ["RoleBinding", "ClusterRoleBinding"])
def test_upstream_print_role_binding(kind):
    """TestPrintRoleBinding and TestPrintClusterRoleBinding: 2 cases each."""
    basic = {
        "kind": kind,
        "metadata": {"name": "binding1", "creationTimestamp": ago(-1.9)},
        "subjects": [{"kind": "User", "name": "system:kube-controller-manager"}],
        "roleRef": {"kind": "Role", "name": "extension-apiserver-authentication-reader"},
    }
    assert row(basic, kind) == ["binding1", "Role/extension-apiserver-authentication-reader", "0s"]
    wide = {
        "kind": kind,
        "metadata": {"name": "binding2", "creationTimestamp": ago(-1.9)},
        "subjects": [
            {"kind": "User", "name": "user-name"},
            {"kind": "Group", "name": "group-name"},
            {"kind": "ServiceAccount", "name": "service-account-name", "namespace": "service-account-namespace"},
        ],
        "roleRef": {"kind": "Role", "name": "role-name"},
    }
    assert row(wide, kind, wide=True) == [
        "binding2",
        "Role/role-name",
        "0s",
        "user-name",
        "group-name",
        "service-account-namespace/service-account-name",
    ]


def _eps(name, address_type, created, ports, endpoints):
    return {
        "kind": "EndpointSlice",
        "metadata": {"name": name, "creationTimestamp": created},
        "addressType": address_type,
        "ports": [{"name": n, "port": p, "protocol": "TCP"} for n, p in ports],
        "endpoints": [{"addresses": a} for a in endpoints],
    }


TWO_ENDPOINTS = [["10.1.2.3", "2001:db8::1234:5678"], ["10.2.3.4", "2001:db8::2345:6789"]]


@pytest.mark.parametrize(
    ("obj", "cells"),
    [
        (
            _eps("abcslice.123", "IPv4", ago(-1.9), [("http", 80)], [["10.1.2.3", "2001:db8::1234:5678"]]),
            ["abcslice.123", "IPv4", "80", "10.1.2.3,2001:db8::1234:5678", "0s"],
        ),
        (
            _eps("longerslicename.123", "IPv6", ago(300), [("http", 80), ("https", 443)], TWO_ENDPOINTS),
            ["longerslicename.123", "IPv6", "80,443", "10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...", "5m"],
        ),
        (
            _eps(
                "multiportslice.123",
                "IPv4",
                ago(300),
                [("http", 80), ("https", 443), ("extra1", 3000), ("extra2", 3001)],
                TWO_ENDPOINTS,
            ),
            [
                "multiportslice.123",
                "IPv4",
                "80,443,3000 + 1 more...",
                "10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...",
                "5m",
            ],
        ),
    ],
)
def test_upstream_print_endpoint_slice(obj, cells):
    """TestPrintEndpointSlice: 3 cases."""
    assert row(obj, "endpointslices") == cells


# =================================================================================================================
# Model checks below are not upstream test cases: they exercise branches of printPod / printers.go that upstream's
# tables do not cover, with expectations read from printers.go.
# =================================================================================================================


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


def test_print_replicaset():
    rs = {
        "kind": "ReplicaSet",
        "metadata": {"name": "web-7d4b9", "creationTimestamp": ts(3 * 3600)},
        "spec": {"replicas": 3},
        "status": {"replicas": 3, "readyReplicas": 2},
    }
    assert row(rs, "rs") == ["web-7d4b9", 3, 3, 2, "3h"]


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
    rs = {
        "kind": "ReplicaSet",
        "metadata": {"name": "r", "uid": "u"},
        "spec": {"replicas": 2},
        "status": {"replicas": 2},
    }
    mine = {"ownerReferences": [{"kind": "ReplicaSet", "name": "r", "uid": "u", "controller": True}]}
    assert "Pods Status:  1 Running / 1 Waiting / 0 Succeeded / 0 Failed" in describe(
        rs,
        pods=[{"metadata": mine, "status": {"phase": "Running"}}, {"metadata": mine, "status": {"phase": "Pending"}}],
    )
    with pytest.raises(ValueError, match="no describer"):
        describe({"kind": "ConfigMap"})


# --- describe Deployment / ReplicaSet / Pod template ----------------------------------------------------------------
# Expected texts are built from kubectl's format strings in staging/src/k8s.io/kubectl/pkg/describe/describe.go
# (describeDeployment, describeReplicaSet, DescribePodTemplate, describeContainers, printLabelsMultiline,
# printAnnotationsMultiline, printPodTolerationsMultiline, printReplicaSetsByLabels, DescribeEvents) laid out by
# Go's text/tabwriter (minwidth 0, padding 2): within a run of consecutive lines that have a cell in a column, the
# column is as wide as its widest cell plus 2. A line without a tab ends the run ("Pod Template:", "  Containers:",
# "   nginx:", "Conditions:"), and DescribeEvents flushes the tabwriter before its table.


def owner(kind, name, uid):
    return [{"apiVersion": "apps/v1", "kind": kind, "name": name, "uid": uid, "controller": True}]


def template(image="nginx:1.27", labels=None, **spec):
    return {
        "metadata": {"labels": labels or {"app": "web"}},
        "spec": {"containers": [{"name": "nginx", "image": image, "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}
        | spec,
    }


def deployment(**spec):
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "web",
            "namespace": "default",
            "uid": "d-1",
            "creationTimestamp": ts(600),
            "labels": {"app": "web"},
            "annotations": {
                "deployment.kubernetes.io/revision": "2",
                "kubectl.kubernetes.io/last-applied-configuration": '{"kind":"Deployment"}\n',
            },
        },
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            "minReadySeconds": 0,
            "template": template(),
        }
        | spec,
        "status": {
            "replicas": 3,
            "updatedReplicas": 3,
            "availableReplicas": 3,
            "conditions": [
                {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"},
            ],
        },
    }


def replicaset(name, image, replicas, created, *, uid=None, owner_uid="d-1", namespace="default", labels=None):
    labels = labels or {"app": "web", "pod-template-hash": name.rsplit("-", 1)[-1]}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": uid or f"rs-{name}",
            "creationTimestamp": ts(created),
            "labels": labels,
            "ownerReferences": owner("Deployment", "web", owner_uid) if owner_uid else [],
        },
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "template": template(image, labels)},
        "status": {"replicas": replicas},
    }


def event(kind, name, reason, message, component, first, last=None, count=1):
    return {
        "kind": "Event",
        "involvedObject": {"kind": kind, "name": name, "namespace": "default"},
        "type": "Normal",
        "reason": reason,
        "message": message,
        "source": {"component": component},
        "firstTimestamp": ts(first),
        "lastTimestamp": ts(first if last is None else last),
        "count": count,
    }


def test_describe_deployment_whole_text():
    """describeDeployment: the fields in order, DescribePodTemplate one level in (a container's name at
    ``LEVEL_1`` after the one-space nameIndent, its fields at ``LEVEL_2``), the Conditions table
    (``"%v \\t%v\\t%v\\n"``), ``OldReplicaSets`` / ``NewReplicaSet`` from printReplicaSetsByLabels, then the
    Events table."""
    rss = [
        replicaset("web-new", "nginx:1.27", 3, 300),
        replicaset("web-old", "nginx:1.26", 0, 600),
        replicaset("web-orphan", "nginx:1.26", 1, 500, owner_uid=None),  # not controlled by the Deployment
        replicaset("web-theirs", "nginx:1.26", 1, 500, owner_uid="d-2"),  # another Deployment's
        replicaset("web-elsewhere", "nginx:1.26", 1, 500, namespace="other"),  # another namespace
        replicaset("api-x", "nginx:1.26", 1, 500, labels={"app": "api"}),  # the selector does not match
    ]
    ev = event(
        "Deployment",
        "web",
        "ScalingReplicaSet",
        "Scaled up replica set web-new from 0 to 3",
        "deployment-controller",
        300,
    )
    assert describe(deployment(), [ev], NOW, replica_sets=rss) == (
        "Name:                   web\n"
        "Namespace:              default\n"
        "CreationTimestamp:      Thu, 01 Jan 2026 00:50:00 +0000\n"
        "Labels:                 app=web\n"
        "Annotations:            deployment.kubernetes.io/revision: 2\n"
        "Selector:               app=web\n"
        "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable\n"
        "StrategyType:           RollingUpdate\n"
        "MinReadySeconds:        0\n"
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge\n"
        "Pod Template:\n"
        "  Labels:  app=web\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         nginx:1.27\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Conditions:\n"
        "  Type           Status  Reason\n"
        "  ----           ------  ------\n"
        "  Available      True    MinimumReplicasAvailable\n"
        "  Progressing    True    NewReplicaSetAvailable\n"
        "OldReplicaSets:  web-old (0/0 replicas created)\n"
        "NewReplicaSet:   web-new (3/3 replicas created)\n"
        "Events:\n"
        "  Type    Reason             Age   From                   Message\n"
        "  ----    ------             ----  ----                   -------\n"
        "  Normal  ScalingReplicaSet  5m    deployment-controller  Scaled up replica set web-new from 0 to 3\n"
    )


def test_describe_deployment_replica_set_lines():
    """OldReplicaSets lists every old ReplicaSet, oldest first, scaled to zero or not (findOldReplicaSets' second
    result, kubernetes/kubernetes#113083); NewReplicaSet is <none> before the new one exists; without ReplicaSets
    both lines are left out (``if len(oldRSs) > 0 || len(newRSs) > 0``)."""
    rollout = deployment(template=template("nginx:1.28"))
    rss = [
        replicaset("web-b", "nginx:1.27", 2, 300),
        replicaset("web-a", "nginx:1.26", 1, 600),
        replicaset("web-c", "nginx:1.25", 0, 300),  # same creation time as web-b: by name
    ]
    text = describe(rollout, [], NOW, replica_sets=rss)
    assert (
        "OldReplicaSets:  web-a (1/1 replicas created), web-b (2/2 replicas created), web-c (0/0 replicas created)\n"
        in text
    )
    assert "NewReplicaSet:   <none>\n" in text
    text = describe(deployment(), [], NOW)
    assert "OldReplicaSets" not in text and "NewReplicaSet:" not in text
    assert text.endswith("  Progressing   True    NewReplicaSetAvailable\nEvents:         <none>\n")


def test_describe_deployment_defaults_and_recreate():
    """``*(d.Spec.Replicas)`` (defaulted to 1), no RollingUpdateStrategy line for Recreate, an integer
    maxUnavailable printed as ``IntOrString.String()``, no Conditions table without conditions."""
    d = deployment(strategy={"type": "Recreate"}, minReadySeconds=5)
    del d["spec"]["replicas"]
    d["status"] = {}
    text = describe(d, [], NOW)
    assert "Replicas:           1 desired | 0 updated | 0 total | 0 available | 0 unavailable\n" in text
    assert "StrategyType:       Recreate\nMinReadySeconds:    5\nPod Template:\n" in text
    assert "Conditions:" not in text and "RollingUpdateStrategy" not in text
    d = deployment(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": "50%"}})
    assert "RollingUpdateStrategy:  1 max unavailable, 50% max surge\n" in describe(d, [], NOW)


UPSTREAM_LABELS = {"k8s-app": "bar"}
UID1, UID2 = "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"


def upstream_deployment(image, replicas, status):
    """TestDescribeDeployment's Deployment "bar" in namespace "foo": no strategy, two emptyDir volumes."""
    mounts = [{"name": "vol-foo", "mountPath": "/tmp/vol-foo"}, {"name": "vol-bar", "mountPath": "/tmp/vol-bar"}]
    volumes = [{"name": "vol-foo", "emptyDir": {}}, {"name": "vol-bar", "emptyDir": {}}]
    tpl = {
        "metadata": {"labels": UPSTREAM_LABELS},
        "spec": {"containers": [{"image": image, "volumeMounts": mounts}], "volumes": volumes},
    }
    return {
        "kind": "Deployment",
        "metadata": {
            "name": "bar",
            "namespace": "foo",
            "labels": UPSTREAM_LABELS,
            "uid": "00000000-0000-0000-0000-000000000001",
            "creationTimestamp": "2021-01-01T00:00:00Z",
        },
        "spec": {"replicas": replicas, "selector": {"matchLabels": UPSTREAM_LABELS}, "template": tpl},
        "status": status,
    }


def upstream_rs(name, deployment_obj, image, replicas, status_replicas, uid=None):
    tpl = {**deployment_obj["spec"]["template"]}
    tpl["spec"] = {**tpl["spec"], "containers": [{**tpl["spec"]["containers"][0], "image": image}]}
    return {
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": "foo",
            "labels": UPSTREAM_LABELS,
            **({"uid": uid} if uid else {}),
            "ownerReferences": [{"controller": True, "uid": "00000000-0000-0000-0000-000000000001"}],
        },
        "spec": {"replicas": replicas, "selector": {"matchLabels": UPSTREAM_LABELS}, "template": tpl},
        "status": {"replicas": status_replicas},
    }


BAR_REF = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "name": "bar",
    "namespace": "foo",
    "uid": "00000000-0000-0000-0000-000000000001",
}


def bar_event(message, **fields):
    return {"involvedObject": BAR_REF, "type": "Normal", "reason": "ScalingReplicaSet", "message": message, **fields}


BAR_EVENTS = [  # upstream's times: time.Now().Add(-20 * time.Minute) is ago(1200)
    bar_event(
        "Scaled up replica set bar-002 to 1",
        reportingComponent="deployment-controller",  # core/v1 Event's ReportingController (JSON reportingComponent)
        eventTime=ago(1200),
        series={"count": 3, "lastObservedTime": ago(720)},
    ),
    bar_event(
        "Scaled up replica set bar-001 to 2", source={"component": "deployment-controller"}, firstTimestamp=ago(600)
    ),
    bar_event(
        "Scaled up replica set bar-002 to 1", source={"component": "deployment-controller"}, firstTimestamp=ago(120)
    ),
    bar_event("Scaled down replica set bar-002 to 1", reportingComponent="deployment-controller", eventTime=ago(60)),
]
BAR_EVENT_LINES = [
    "Normal  ScalingReplicaSet  12m (x3 over 20m)  deployment-controller  Scaled up replica set bar-002 to 1",
    "Normal  ScalingReplicaSet  10m                deployment-controller  Scaled up replica set bar-001 to 2",
    "Normal  ScalingReplicaSet  2m                 deployment-controller  Scaled up replica set bar-002 to 1",
    "Normal  ScalingReplicaSet  60s                deployment-controller  Scaled down replica set bar-002 to 1",
]


def upstream_deployment_case(name):
    """The three cases of TestDescribeDeployment (describe_test.go): objects and expected substrings."""
    if name == "deployment with two mounted volumes":
        d = upstream_deployment("mytest-image:latest", 1, {})
        return (
            d,
            [upstream_rs("bar-001", d, "mytest-image:latest", 1, 1)],
            [],
            [
                "Name:               bar\nNamespace:          foo",
                "CreationTimestamp:  Fri, 01 Jan 2021 00:00:00 +0000",
                "Labels:             k8s-app=bar",
                "Selector:           k8s-app=bar",
                "Replicas:           1 desired | 0 updated | 0 total | 0 available | 0 unavailable",
                "Image:        mytest-image:latest",
                "Mounts:\n      /tmp/vol-bar from vol-bar (rw)\n      /tmp/vol-foo from vol-foo (rw)",
                "OldReplicaSets:    <none>",
                "NewReplicaSet:     bar-001 (1/1 replicas created)",
                "Events:            <none>",
                "Node-Selectors:  <none>",
                "Tolerations:     <none>",
            ],
        )
    if name == "deployment during the process of rolling out":
        status = {"replicas": 3, "updatedReplicas": 1, "availableReplicas": 2, "unavailableReplicas": 1}
        d = upstream_deployment("mytest-image:v2.0", 2, status)
        rss = [
            upstream_rs("bar-001", d, "mytest-image:v1.0", 2, 2, UID1),
            upstream_rs("bar-002", d, "mytest-image:v2.0", 1, 1, UID2),
        ]
        return (
            d,
            rss,
            BAR_EVENTS,
            [
                "Replicas:           2 desired | 1 updated | 3 total | 2 available | 1 unavailable",
                "Image:        mytest-image:v2.0",
                "OldReplicaSets:    bar-001 (2/2 replicas created)",
                "NewReplicaSet:     bar-002 (1/1 replicas created)",
                "Events:\n",
                *BAR_EVENT_LINES,
            ],
        )
    status = {"replicas": 2, "updatedReplicas": 2, "availableReplicas": 2, "unavailableReplicas": 0}
    d = upstream_deployment("mytest-image:v2.0", 2, status)
    rss = [
        upstream_rs("bar-001", d, "mytest-image:v1.0", 0, 0, UID1),
        upstream_rs("bar-002", d, "mytest-image:v2.0", 2, 2, UID2),
    ]
    events = [
        *BAR_EVENTS,
        bar_event("Scaled up replica set bar-002 to 2", reportingComponent="deployment-controller", eventTime=ago(15)),
        bar_event("Scaled down replica set bar-001 to 0", reportingComponent="deployment-controller", eventTime=ago(3)),
    ]
    return (
        d,
        rss,
        events,
        [
            "Replicas:           2 desired | 2 updated | 2 total | 2 available | 0 unavailable",
            "Image:        mytest-image:v2.0",
            "OldReplicaSets:    bar-001 (0/0 replicas created)",
            "NewReplicaSet:     bar-002 (2/2 replicas created)",
            "Events:\n",
            *BAR_EVENT_LINES,
            "Normal  ScalingReplicaSet  15s                deployment-controller  Scaled up replica set bar-002 to 2",
            "Normal  ScalingReplicaSet  3s                 deployment-controller  Scaled down replica set bar-001 to 0",
        ],
    )


@pytest.mark.parametrize(
    "case",
    [
        "deployment with two mounted volumes",
        "deployment during the process of rolling out",
        "deployment after successful rollout",
    ],
)
def test_upstream_describe_deployment(case):
    """TestDescribeDeployment (describe_test.go): every expected substring of each case."""
    d, rss, events, expects = upstream_deployment_case(case)
    text = describe(d, events, NOW, replica_sets=rss)
    for expect in expects:
        assert expect in text


def rs_pod(phase, *, uid="rs-web-new-abc", labels=None, namespace="default"):
    return {
        "kind": "Pod",
        "metadata": {
            "namespace": namespace,
            "labels": {"app": "web", "pod-template-hash": "abc"} if labels is None else labels,
            "ownerReferences": owner("ReplicaSet", "web-new-abc", uid) if uid else [],
        },
        "status": {"phase": phase},
    }


def test_describe_replicaset_whole_text():
    """describeReplicaSet with a full Pod template: Annotations and Service Account one level in, Ports/Host Ports
    when there is a comma, Requests at LEVEL_2 and their values at LEVEL_3, an Environment list, describeVolumes'
    EmptyDir (its empty Medium cell still padded, as Go's tabwriter does), Priority Class Name, Node-Selectors and
    Tolerations (printPodTolerationsMultiline: ``key=value:effect``, `` op=Exists``, `` for 300s``); the pods
    counted are only those getPodStatusForController counts."""
    labels = {"app": "web", "pod-template-hash": "abc"}
    rs = replicaset("web-new-abc", "nginx:1.27", 3, 600)
    rs["metadata"]["annotations"] = {
        "deployment.kubernetes.io/desired-replicas": "3",
        "deployment.kubernetes.io/max-replicas": "4",
        "deployment.kubernetes.io/revision": "2",
    }
    rs["spec"]["template"] = {
        "metadata": {"labels": labels, "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-01-01T00:30:00Z"}},
        "spec": {
            "serviceAccountName": "web",
            "containers": [
                {
                    "name": "nginx",
                    "image": "nginx:1.27",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 443, "protocol": "TCP"}],
                    "resources": {"requests": {"memory": "128Mi", "cpu": "100m"}},
                    "env": [{"name": "A", "value": "1"}],
                }
            ],
            "volumes": [{"name": "cache", "emptyDir": {}}],
            "priorityClassName": "gold",
            "nodeSelector": {"disktype": "ssd"},
            "tolerations": [
                {"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"},
                {
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": 300,
                },
            ],
        },
    }
    rs["status"]["conditions"] = [{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate"}]
    pods = [
        rs_pod("Running"),
        rs_pod("Running"),
        rs_pod("Pending"),
        rs_pod("Running", uid=None),  # an orphan
        rs_pod("Running", uid="rs-other"),  # another controller's
        rs_pod("Failed", labels={"app": "web", "pod-template-hash": "zzz"}),  # the selector does not match
        rs_pod("Succeeded", namespace="other"),  # another namespace
    ]
    ev = event(
        "ReplicaSet",
        "web-new-abc",
        "SuccessfulCreate",
        "Created pod: web-new-abc-x",
        "replicaset-controller",
        600,
        60,
        3,
    )
    assert describe(rs, [ev], NOW, pods=pods) == (
        "Name:           web-new-abc\n"
        "Namespace:      default\n"
        "Selector:       app=web,pod-template-hash=abc\n"
        "Labels:         app=web\n"
        "                pod-template-hash=abc\n"
        "Annotations:    deployment.kubernetes.io/desired-replicas: 3\n"
        "                deployment.kubernetes.io/max-replicas: 4\n"
        "                deployment.kubernetes.io/revision: 2\n"
        "Controlled By:  Deployment/web\n"
        "Replicas:       3 current / 3 desired\n"
        "Pods Status:    2 Running / 1 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:           app=web\n"
        "                    pod-template-hash=abc\n"
        "  Annotations:      kubectl.kubernetes.io/restartedAt: 2026-01-01T00:30:00Z\n"
        "  Service Account:  web\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:       nginx:1.27\n"
        "    Ports:       80/TCP, 443/TCP\n"
        "    Host Ports:  0/TCP, 0/TCP\n"
        "    Requests:\n"
        "      cpu:     100m\n"
        "      memory:  128Mi\n"
        "    Environment:\n"
        "      A:     1\n"
        "    Mounts:  <none>\n"
        "  Volumes:\n"
        "   cache:\n"
        "    Type:               EmptyDir (a temporary directory that shares a pod's lifetime)\n"
        "    Medium:             \n"
        "    SizeLimit:          <unset>\n"
        "  Priority Class Name:  gold\n"
        "  Node-Selectors:       disktype=ssd\n"
        "  Tolerations:          dedicated=web:NoSchedule\n"
        "                        node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
        "Conditions:\n"
        "  Type             Status  Reason\n"
        "  ----             ------  ------\n"
        "  ReplicaFailure   True    FailedCreate\n"
        "Events:\n"
        "  Type    Reason            Age                From                   Message\n"
        "  ----    ------            ----               ----                   -------\n"
        "  Normal  SuccessfulCreate  60s (x3 over 10m)  replicaset-controller  Created pod: web-new-abc-x\n"
    )


def test_describe_replicaset_selector_defaults_and_pod_errors():
    """describeReplicaSet: ``metav1.FormatLabelSelector`` (requirements sorted by key; ``<none>`` for a nil
    selector, which then lists every Pod of the namespace, as ``selector.String()`` is empty), ``*rs.Spec.Replicas``
    defaulted to 1, and ``Pods Status:\\terror in fetching pods: %s`` when the list failed."""
    rs = replicaset("web-x", "nginx:1.27", 1, 60)
    rs["spec"]["selector"] = {
        "matchLabels": {"tier": "fe"},
        "matchExpressions": [
            {"key": "app", "operator": "In", "values": ["web", "api"]},
            {"key": "canary", "operator": "DoesNotExist"},
        ],
    }
    del rs["spec"]["replicas"]
    text = describe(rs, [], NOW, pods=[rs_pod("Running", uid="rs-web-x", labels={"app": "api", "tier": "fe"})])
    assert "Selector:       app in (api,web),!canary,tier=fe\n" in text
    assert "Replicas:       1 current / 1 desired\n" in text
    assert "Pods Status:    1 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" in text
    del rs["spec"]["selector"]
    text = describe(rs, [], NOW, pods=[rs_pod("Succeeded", uid="rs-web-x", labels={})])
    assert "Selector:       <none>\n" in text
    assert "Pods Status:    0 Running / 0 Waiting / 1 Succeeded / 0 Failed\n" in text
    forbidden = 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"'
    text = describe(rs, [], NOW, pods_error=forbidden)
    assert f"Pods Status:    error in fetching pods: {forbidden}\n" in text


def test_describe_long_and_multiline_annotations():
    """printAnnotationsMultiline: a value whose length plus its key's plus 2 exceeds maxAnnotationLen (140), or
    that spans lines, goes on lines of its own (``"%s  %s\\n"`` after the ``\\t`` indent), each shortened to 138
    characters and ``...``; a trailing newline is trimmed first; last-applied-configuration is skipped."""
    d = deployment()
    d["metadata"]["annotations"] = {
        "a": "x" * 137,  # 137 + 1 + 2 = 140: still on one line
        "b": "y" * 139 + "z" * 5,  # 145: own line, shortened
        "c": "one\ntwo\n",  # several lines (the trailing newline trimmed)
        "kubectl.kubernetes.io/last-applied-configuration": "{}",
    }
    lines = describe(d, [], NOW).splitlines()
    start = lines.index("Annotations:            a: " + "x" * 137)
    assert lines[start + 1 : start + 6] == [
        "                        b:",
        "                          " + "y" * 138 + "...",
        "                        c:",
        "                          one",
        "                          two",
    ]
    assert lines[start + 6].startswith("Selector:")


@pytest.mark.parametrize(
    "container_spec, pod_spec, expected",
    [
        pytest.param(  # TestDescribeDeployment "deployment with two mounted volumes": SortableVolumeMounts
            {
                "volumeMounts": [
                    {"name": "vol-foo", "mountPath": "/tmp/vol-foo"},
                    {"name": "vol-bar", "mountPath": "/tmp/vol-bar"},
                ]
            },
            {},
            "Mounts:\n      /tmp/vol-bar from vol-bar (rw)\n      /tmp/vol-foo from vol-foo (rw)",
            id="mounts-sorted-by-path",
        ),
        pytest.param(  # describeContainerVolumes: flags joined by ",", path=%q
            {"volumeMounts": [{"name": "cfg", "mountPath": "/etc/app", "subPath": "app.conf", "readOnly": True}]},
            {},
            '      /etc/app from cfg (ro,path="app.conf")\n',
            id="mount-subpath",
        ),
        pytest.param(  # printTolerationsMultilineWithIndent sorts by key
            {},
            {"tolerations": [{"key": "zz", "operator": "Exists"}, {"key": "aa", "operator": "Exists"}]},
            "  Tolerations:     aa op=Exists\n                   zz op=Exists\n",
            id="tolerations-sorted-by-key",
        ),
        pytest.param(  # describeContainerPorts: "%s (%s)" with the port's name
            {"ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}]},
            {},
            "    Port:          80/TCP (http)\n    Host Port:     0/TCP (http)\n",
            id="port-name",
        ),
        pytest.param(  # TestDescribeTopologySpreadConstraints' format, in DescribePodTemplate since v1.25
            {},
            {
                "topologySpreadConstraints": [
                    {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}
                ]
            },
            "Topology Spread Constraints:  zone:DoNotSchedule when max skew 1 is exceeded\n",
            id="topology-spread-constraints",
        ),
    ],
)
def test_pod_template_gaps_in_rollout_describe_pod_template(container_spec, pod_spec, expected):
    """What DescribePodTemplate / describeContainers print: mounts sorted by path, mount flags, tolerations sorted by
    key, named ports, topology spread constraints."""
    d = deployment()
    tpl = d["spec"]["template"]
    tpl["spec"]["containers"][0] = {"name": "nginx", "image": "nginx:1.27", **container_spec}
    tpl["spec"].update(pod_spec)
    assert expected in describe(d, [], NOW)


def test_describe_deployment_and_replicaset_in_a_cluster():
    """What Cluster.describe passes for a Deployment (its namespace's ReplicaSets) and a ReplicaSet (its
    namespace's Pods), on a Deployment the controllers rolled out."""
    from k8smodel import Cluster

    c = Cluster(seed=1)
    c.add_nodes(2)
    c.apply(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n"
        "    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n"
        "      containers:\n      - name: nginx\n        image: nginx:1.27\n"
    )
    c.run_for("2m")
    d = c.api.get("deployments", "web", "default")
    rss, _ = c.api.list("replicasets", "default")
    pods, _ = c.api.list("pods", "default")
    events, _ = c.api.list("events", "default")
    (rs,) = rss
    name = rs["metadata"]["name"]
    text = describe(d, events, c.sim.now, replica_sets=rss)
    assert "OldReplicaSets:  <none>\n" in text and f"NewReplicaSet:   {name} (3/3 replicas created)\n" in text
    assert f"Scaled up replica set {name} from 0 to 3" in text or f"Scaled up replica set {name} to 3" in text
    text = describe(rs, events, c.sim.now, pods=pods)
    assert "Controlled By:  Deployment/web\n" in text
    assert "Replicas:       3 current / 3 desired\n" in text
    assert "Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" in text
    assert "   nginx:\n    Image:" in text
