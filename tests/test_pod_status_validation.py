# ruff: noqa: E501 - the expected messages are upstream's, kept whole on one line each
"""Tests for the ``pods/status`` subresource's validation (``ValidatePodStatusUpdate``) and its API server path.

Cases from upstream ``pkg/apis/core/validation/validation_test.go`` ``TestValidatePodStatusUpdate`` (each case says
which); upstream builds its Pods with ``podtest.MakePod`` (name ``foo``, namespace ``ns``, one container ``ctr``,
``restartPolicy: Always``, ``dnsPolicy: ClusterFirst``), as ``make_pod`` does here. Upstream checks that the
aggregated error contains the expected text; here the whole error strings are compared where the case gives them.
Further cases follow ``ValidatePodStatusUpdate``'s own text (``validatePodIPs``, ``validateHostIPs``,
``validatePodConditions``) and the API server's status path (``podStatusStrategy`` in
``pkg/registry/core/pod/strategy.go``).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from k8smodel.api.errors import StatusError
from k8smodel.api.validation import parse_ip_sloppy, validate
from k8smodel.apiserver import APIServer
from k8smodel.sim import Simulation

RUNNING = {"running": {"startedAt": "2026-01-01T00:00:00Z"}}
WAITING = {"waiting": {"reason": "PodInitializing"}}
COMPLETED = {"terminated": {"containerID": "docker://numbers", "reason": "Completed"}}


def make_pod(
    *,
    node: str = "",
    restart: str = "Always",
    init: list[dict] | None = None,
    claims: list | None = None,
    status: dict | None = None,
) -> dict[str, Any]:
    """``podtest.MakePod("foo", ...)``: the options the upstream cases use."""
    spec: dict[str, Any] = {
        "containers": [
            {"name": "ctr", "image": "image", "imagePullPolicy": "IfNotPresent", "terminationMessagePolicy": "File"}
        ],
        "restartPolicy": restart,
        "dnsPolicy": "ClusterFirst",
        "terminationGracePeriodSeconds": 30,
    }
    if node:
        spec["nodeName"] = node
    if init is not None:
        spec["initContainers"] = init
    if claims is not None:
        spec["resourceClaims"] = claims
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "foo", "namespace": "ns", "resourceVersion": "1"},
        "spec": spec,
    }
    if status is not None:
        pod["status"] = status
    return pod


def cstatus(name: str, state: dict, **kw: Any) -> dict[str, Any]:
    return {
        "containerID": "docker://numbers",
        "image": "nginx:alpine",
        "name": name,
        "ready": False,
        "state": state,
        **kw,
    }


def status_errors(new: dict, old: dict) -> list[str]:
    return [str(e) for e in validate(new, old, "status")]


SIDECAR = {
    "name": "restartable-init",
    "image": "image",
    "imagePullPolicy": "IfNotPresent",
    "terminationMessagePolicy": "File",
    "restartPolicy": "Always",
}
INIT = {"name": "init", "image": "image", "imagePullPolicy": "IfNotPresent", "terminationMessagePolicy": "File"}

# (test name as upstream, new, old, expected errors); [] is valid
UPSTREAM_CASES = [
    (
        "removed nominatedNodeName",
        make_pod(node="node1", status={"nominatedNodeName": "node1"}),
        make_pod(node="node1", status={}),
        [],
    ),
    (
        "add valid nominatedNodeName",
        make_pod(node="node1"),
        make_pod(node="node1", status={"nominatedNodeName": "node1"}),
        [],
    ),
    (
        "Add invalid nominatedNodeName",
        make_pod(node="node1", status={"nominatedNodeName": "Node1"}),
        make_pod(node="node1"),
        [
            "status.nominatedNodeName: Invalid value: \"Node1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        ],
    ),
    (
        "Update nominatedNodeName",
        make_pod(node="node1", status={"nominatedNodeName": "node1"}),
        make_pod(node="node1", status={"nominatedNodeName": "node2"}),
        [],
    ),
    (
        "Container statuses pending",
        make_pod(
            status={
                "initContainerStatuses": [cstatus("init", WAITING, image="alpine", started=False)],
                "containerStatuses": [cstatus("main", WAITING, started=False)],
            }
        ),
        make_pod(),
        [],
    ),
    (
        "Container statuses running",
        make_pod(
            status={
                "initContainerStatuses": [cstatus("init", COMPLETED, image="alpine", ready=True)],
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
            }
        ),
        make_pod(
            status={
                "initContainerStatuses": [cstatus("init", WAITING, image="alpine")],
                "containerStatuses": [cstatus("main", WAITING, started=False)],
            }
        ),
        [],
    ),
    (
        "Container statuses add ephemeral container",
        make_pod(
            status={
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
                "ephemeralContainerStatuses": [cstatus("debug", WAITING, image="busybox")],
            }
        ),
        make_pod(status={"containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)]}),
        [],
    ),
    (
        "Container statuses ephemeral container running",
        make_pod(
            status={
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
                "ephemeralContainerStatuses": [cstatus("debug", RUNNING, image="busybox")],
            }
        ),
        make_pod(
            status={
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
                "ephemeralContainerStatuses": [cstatus("debug", WAITING, image="busybox")],
            }
        ),
        [],
    ),
    (
        "Container statuses ephemeral container exited",
        make_pod(
            status={
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
                "ephemeralContainerStatuses": [cstatus("debug", COMPLETED, image="busybox")],
            }
        ),
        make_pod(
            status={
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
                "ephemeralContainerStatuses": [cstatus("debug", RUNNING, image="busybox")],
            }
        ),
        [],
    ),
    (
        "Container statuses all containers terminated",
        make_pod(
            status={
                "initContainerStatuses": [cstatus("init", COMPLETED, image="alpine", ready=True)],
                "containerStatuses": [cstatus("nginx", COMPLETED, ready=True, started=True)],
                "ephemeralContainerStatuses": [cstatus("debug", COMPLETED, image="busybox")],
            }
        ),
        make_pod(
            status={
                "initContainerStatuses": [cstatus("init", COMPLETED, image="alpine", ready=True)],
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
                "ephemeralContainerStatuses": [cstatus("debug", RUNNING, image="busybox")],
            }
        ),
        [],
    ),
    (
        "Non-existent PodResourceClaim",
        make_pod(status={"resourceClaimStatuses": [{"name": "no-such-claim", "resourceClaimName": "my-claim"}]}),
        make_pod(),
        [
            'status.resourceClaimStatuses[0].name: Invalid value: "no-such-claim": must match the name of an entry in `spec.resourceClaims`'
        ],
    ),
    (
        "Invalid ResourceClaim name",
        make_pod(
            claims=[{"name": "my-claim"}],
            status={"resourceClaimStatuses": [{"name": "my-claim", "resourceClaimName": "%$!#"}]},
        ),
        make_pod(claims=[{"name": "my-claim"}]),
        [
            "status.resourceClaimStatuses[0].name: Invalid value: \"%$!#\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        ],
    ),
    (
        "Duplicate ResourceClaimStatuses.Name",
        make_pod(
            claims=[{"name": "my-claim"}, {"name": "my-other-claim"}],
            status={
                "resourceClaimStatuses": [
                    {"name": "my-claim", "resourceClaimName": "foo-my-claim-12345"},
                    {"name": "my-other-claim", "resourceClaimName": None},
                    {"name": "my-other-claim", "resourceClaimName": None},
                ]
            },
        ),
        make_pod(claims=[{"name": "my-claim"}]),
        ['status.resourceClaimStatuses[2].name: Duplicate value: "my-other-claim"'],
    ),
    (
        "ResourceClaimStatuses okay",
        make_pod(
            claims=[{"name": "my-claim"}, {"name": "my-other-claim"}],
            status={
                "resourceClaimStatuses": [
                    {"name": "my-claim", "resourceClaimName": "foo-my-claim-12345"},
                    {"name": "my-other-claim", "resourceClaimName": None},
                ]
            },
        ),
        make_pod(claims=[{"name": "my-claim"}]),
        [],
    ),
    (
        "init container cannot restart if RestartPolicyNever",
        make_pod(
            init=[INIT],
            status={
                "initContainerStatuses": [cstatus("init", RUNNING, image="alpine", ready=True)],
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
            },
        ),
        make_pod(
            init=[INIT],
            restart="Never",
            status={
                "initContainerStatuses": [cstatus("init", COMPLETED, image="alpine")],
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
            },
        ),
        ["status.initContainerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state"],
    ),
    (
        "restartable init container can restart if RestartPolicyNever",
        make_pod(
            init=[SIDECAR],
            restart="Never",
            status={
                "initContainerStatuses": [cstatus("restartable-init", RUNNING, image="alpine", ready=True)],
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
            },
        ),
        make_pod(
            init=[SIDECAR],
            restart="Never",
            status={
                "initContainerStatuses": [cstatus("restartable-init", COMPLETED, image="alpine")],
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
            },
        ),
        [],
    ),
    (
        "restartable init container can restart if RestartPolicyOnFailure",
        make_pod(
            init=[SIDECAR],
            restart="OnFailure",
            status={
                "initContainerStatuses": [cstatus("restartable-init", RUNNING, image="alpine", ready=True)],
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
            },
        ),
        make_pod(
            init=[SIDECAR],
            restart="OnFailure",
            status={
                "initContainerStatuses": [cstatus("restartable-init", COMPLETED, image="alpine")],
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
            },
        ),
        [],
    ),
    (
        "restartable init container can restart if RestartPolicyAlways",
        make_pod(
            init=[SIDECAR],
            status={
                "initContainerStatuses": [cstatus("restartable-init", RUNNING, image="alpine", ready=True)],
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
            },
        ),
        make_pod(
            init=[SIDECAR],
            status={
                "initContainerStatuses": [cstatus("restartable-init", COMPLETED, image="alpine")],
                "containerStatuses": [cstatus("nginx", RUNNING, ready=True, started=True)],
            },
        ),
        [],
    ),
    (
        "qosClass can not be changed",
        make_pod(status={"qosClass": "Burstable"}),
        make_pod(status={"qosClass": "Guaranteed"}),
        ['status.qosClass: Invalid value: "Burstable": field is immutable'],
    ),
    ("qosClass no change", make_pod(status={"qosClass": "Burstable"}), make_pod(status={"qosClass": "Burstable"}), []),
]


@pytest.mark.parametrize(("name", "new", "old", "expected"), UPSTREAM_CASES, ids=[c[0] for c in UPSTREAM_CASES])
def test_validate_pod_status_update_upstream_cases(name: str, new: dict, old: dict, expected: list[str]) -> None:
    # validation_test.go TestValidatePodStatusUpdate
    assert status_errors(new, old) == expected


def test_old_init_container_rule_under_restart_never_uses_the_old_spec() -> None:
    # ValidateInitContainerStateTransition reads oldPod.Spec: the case "init container cannot restart if
    # RestartPolicyNever" above has restartPolicy Never only on the old Pod, and still fails.
    new = make_pod(init=[INIT], status={"initContainerStatuses": [cstatus("init", RUNNING)]})
    old = make_pod(init=[INIT], restart="Never", status={"initContainerStatuses": [cstatus("init", COMPLETED)]})
    assert status_errors(new, old) == [
        "status.initContainerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state"
    ]


@pytest.mark.parametrize(
    ("restart", "exit_code", "expected"),
    [
        # ValidateContainerStateTransition: Always lets any container restart; OnFailure lets a failed one restart
        ("Always", 0, []),
        ("OnFailure", 1, []),
        (
            "OnFailure",
            0,
            ["status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state"],
        ),
        ("Never", 1, ["status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state"]),
    ],
)
def test_container_state_transition(restart: str, exit_code: int, expected: list[str]) -> None:
    old = make_pod(
        restart=restart, status={"containerStatuses": [cstatus("ctr", {"terminated": {"exitCode": exit_code}})]}
    )
    new = make_pod(restart=restart, status={"containerStatuses": [cstatus("ctr", RUNNING)]})
    assert status_errors(new, old) == expected


def test_custom_condition_types_are_qualified_names_at_upstreams_path() -> None:
    # validatePodConditions: system types are skipped; others are qualified names, reported at metadata.conditions
    # (upstream passes fldPath "metadata" to it)
    new = make_pod(
        status={
            "conditions": [
                {"type": "Ready", "status": "True"},
                {"type": "example.com/ok", "status": "True"},
                {"type": "bad type!", "status": "False"},
            ]
        }
    )
    errs = status_errors(new, make_pod())
    assert len(errs) == 1 and errs[0].startswith(
        'metadata.conditions[2].Type: Invalid value: "bad type!": name part must consist of'
    )


def test_node_name_may_not_change_through_status() -> None:
    # ValidatePodStatusUpdate: "status.nodeName: Forbidden: may not be changed directly"
    assert status_errors(make_pod(node="node-2"), make_pod(node="node-1")) == [
        "status.nodeName: Forbidden: may not be changed directly"
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ({"podIP": "10.0.0.1", "podIPs": [{"ip": "10.0.0.1"}]}, []),
        ({"podIPs": [{"ip": "10.0.0.1"}, {"ip": "fd00::1"}]}, []),  # dual stack
        ({"podIPs": [{"ip": "010.000.000.001"}]}, []),  # ParseIPSloppy keeps leading zeros valid
        (
            {"podIPs": [{"ip": "10.0.0.300"}]},
            [
                'status.podIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'
            ],
        ),
        (
            {"podIPs": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.1"}]},
            [
                'status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:"10.0.0.1"}, core.PodIP{IP:"10.0.0.1"}}: may specify no more than one IP for each IP family',
                'status.podIPs[1]: Duplicate value: core.PodIP{IP:"10.0.0.1"}',
            ],
        ),
        ({"hostIP": "10.0.0.2", "hostIPs": [{"ip": "10.0.0.2"}]}, []),
        (
            {"hostIP": "10.0.0.3", "hostIPs": [{"ip": "10.0.0.2"}]},
            ['status.hostIPs[0].ip: Invalid value: "10.0.0.2": must be equal to `hostIP`'],
        ),
        (
            {"hostIP": "10.0.0.2", "hostIPs": [{"ip": "10.0.0.2"}, {"ip": "10.0.0.2"}]},
            [
                'status.hostIPs[1]: Duplicate value: core.HostIP{IP:"10.0.0.2"}',
                'status.hostIPs: Invalid value: []core.HostIP{core.HostIP{IP:"10.0.0.2"}, core.HostIP{IP:"10.0.0.2"}}: may specify no more than one IP for each IP family',
            ],
        ),
    ],
)
def test_pod_and_host_ips(status: dict, expected: list[str]) -> None:
    # validatePodIPs / validateHostIPs (called from ValidatePodStatusUpdate)
    assert status_errors(make_pod(status=status), make_pod()) == expected


def test_parse_ip_sloppy() -> None:
    # netutils.ParseIPSloppy: Go 1.16 net.ParseIP, leading zeros allowed in IPv4, zones refused
    assert str(parse_ip_sloppy("010.001.002.003")) == "10.1.2.3"
    assert str(parse_ip_sloppy("2001:db8::ffff")) == "2001:db8::ffff"
    for bad in ("", "1.2.3", "1.2.3.256", "fe80::1%eth0", "example.com", "1.2.3.4/24"):
        assert parse_ip_sloppy(bad) is None, bad


def test_spec_is_not_validated_on_the_status_path() -> None:
    # podStatusStrategy.ValidateUpdate validates metadata and status only: a spec the update path would refuse (an
    # image change here; the API server puts the stored spec back before validating) is not looked at.
    old = make_pod()
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["image"] = "other"
    new["spec"]["dnsPolicy"] = "Bogus"
    assert status_errors(new, old) == []
    assert validate(new, old)  # the main resource's update refuses it


def test_metadata_is_validated_on_the_status_path() -> None:
    # ValidatePodStatusUpdate starts with ValidateObjectMetaUpdate
    old = make_pod()
    new = copy.deepcopy(old)
    new["metadata"]["labels"] = {"bad key!": "x"}
    assert status_errors(new, old)[0].startswith('metadata.labels: Invalid value: "bad key!"')


# --- the API server's pods/status path ----------------------------------------------------------------------------


@pytest.fixture
def api() -> APIServer:
    sim = Simulation(0)
    server = APIServer(sim)
    server.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
            "spec": {
                "nodeName": "node-1",
                "containers": [{"name": "web", "image": "nginx:1.27", "resources": {"requests": {"cpu": "100m"}}}],
            },
        }
    )
    return server


def test_status_patch_refused_with_upstreams_message(api: APIServer) -> None:
    with pytest.raises(StatusError) as info:
        api.patch("pods", "web", "default", {"status": {"qosClass": "Guaranteed"}}, subresource="status")
    assert info.value.code == 422
    assert str(info.value) == 'Pod "web" is invalid: status.qosClass: Invalid value: "Guaranteed": field is immutable'
    assert api.get("pods", "web", "default")["status"]["qosClass"] == "Burstable"  # nothing changed


def test_status_patch_keeps_spec_and_answers_as_stored(api: APIServer) -> None:
    before = api.get("pods", "web", "default")
    body = {
        "status": {
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": "True"}],
            "podIPs": [{"ip": "10.244.0.5"}],
        }
    }
    sent = copy.deepcopy(body)
    out = api.patch("pods", "web", "default", body, subresource="status")
    assert body == sent  # the client's patch is not touched
    stored = api.get("pods", "web", "default")
    assert out == stored and out["spec"] == before["spec"]
    assert stored["status"]["podIPs"] == [{"ip": "10.244.0.5"}]
    out["status"]["podIPs"][0]["ip"] = "changed"  # the answer shares nothing with the client's patch
    assert body["status"]["podIPs"][0]["ip"] == "10.244.0.5"


def test_status_update_cannot_change_the_spec(api: APIServer) -> None:
    pod = api.get("pods", "web", "default")
    pod["spec"]["containers"][0]["image"] = "nginx:1.28"
    pod["status"]["phase"] = "Running"
    out = api.update_status(pod)
    assert out["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert out["status"]["phase"] == "Running"
