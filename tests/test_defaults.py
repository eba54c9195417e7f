"""Defaulting, with cases ported from upstream's defaults_test.go files (test names cited on each case)."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.api.defaults import (
    apply_defaults,
    default_image_pull_policy,
    parse_image_name,
)

DIGEST = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
DEFAULT_TEMPLATE_SPEC = {
    "dnsPolicy": "ClusterFirst",
    "restartPolicy": "Always",
    "securityContext": {},
    "terminationGracePeriodSeconds": 30,
    "schedulerName": "default-scheduler",
}


def deployment(spec: dict | None = None) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": spec or {}}


def pod(spec: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}


def service(spec: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": spec}


def hpa(spec: dict) -> dict:
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"}, "spec": spec}


# --- image references: pkg/util/parsers/parsers_test.go TestParseImageName ---------------------------------------
@pytest.mark.parametrize(
    ("image", "repo", "tag", "digest"),
    [
        ("root", "docker.io/library/root", "latest", ""),
        ("root:tag", "docker.io/library/root", "tag", ""),
        (f"root@{DIGEST}", "docker.io/library/root", "", DIGEST),
        ("user/repo", "docker.io/user/repo", "latest", ""),
        ("user/repo:tag", "docker.io/user/repo", "tag", ""),
        (f"user/repo@{DIGEST}", "docker.io/user/repo", "", DIGEST),
        ("url:5000/repo", "url:5000/repo", "latest", ""),
        ("url:5000/repo:tag", "url:5000/repo", "tag", ""),
        (f"url:5000/repo@{DIGEST}", "url:5000/repo", "", DIGEST),
    ],
)
def test_parse_image_name(image, repo, tag, digest):
    assert parse_image_name(image) == (repo, tag, digest)


# --- imagePullPolicy: SetDefaults_Container over the TestParseImageName grammar; the "" row is TestWorkloadDefaults'.
# (Upstream has no test named TestSetDefaultImagePullPolicy; these rows follow the function's own rule.)
@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.25", "IfNotPresent"),
        ("docker.io/library/nginx", "Always"),
        ("localhost:5000/x", "Always"),  # :5000 is a registry port, not a tag
        ("localhost:5000/x:v1", "IfNotPresent"),
        ("localhost/x:latest", "Always"),
        (f"nginx@{DIGEST}", "IfNotPresent"),  # a digest, no tag: not "latest"
        (f"nginx:latest@{DIGEST}", "Always"),
        ("", "IfNotPresent"),  # TestWorkloadDefaults: an empty image gets IfNotPresent (parse error ignored)
        ("Nginx", "IfNotPresent"),  # upper case is not a valid reference: tag ""
    ],
)
def test_default_image_pull_policy(image, expected):
    assert default_image_pull_policy(image) == expected
    got = apply_defaults(pod({"containers": [{"name": "c", "image": image}]}))
    assert got["spec"]["containers"][0]["imagePullPolicy"] == expected


def test_explicit_image_pull_policy_is_kept():
    got = apply_defaults(pod({"containers": [{"name": "c", "image": "nginx", "imagePullPolicy": "Never"}]}))
    assert got["spec"]["containers"][0]["imagePullPolicy"] == "Never"


# --- Deployment: pkg/apis/apps/v1/defaults_test.go TestSetDefaultDeployment --------------------------------------
@pytest.mark.parametrize(
    ("original", "expected"),
    [
        (
            {},
            {
                "replicas": 1,
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                "revisionHistoryLimit": 10,
                "progressDeadlineSeconds": 600,
                "template": {"spec": DEFAULT_TEMPLATE_SPEC},
            },
        ),
        (
            {"replicas": 5, "strategy": {"rollingUpdate": {"maxSurge": 5}}},
            {
                "replicas": 5,
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 5, "maxUnavailable": "25%"}},
                "revisionHistoryLimit": 10,
                "progressDeadlineSeconds": 600,
                "template": {"spec": DEFAULT_TEMPLATE_SPEC},
            },
        ),
        (
            {"replicas": 3, "strategy": {"type": "RollingUpdate", "rollingUpdate": None}},
            {
                "replicas": 3,
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                "revisionHistoryLimit": 10,
                "progressDeadlineSeconds": 600,
                "template": {"spec": DEFAULT_TEMPLATE_SPEC},
            },
        ),
        (
            {"replicas": 5, "strategy": {"type": "Recreate"}, "revisionHistoryLimit": 0},
            {
                "replicas": 5,
                "strategy": {"type": "Recreate"},
                "revisionHistoryLimit": 0,
                "progressDeadlineSeconds": 600,
                "template": {"spec": DEFAULT_TEMPLATE_SPEC},
            },
        ),
        (
            {"replicas": 5, "strategy": {"type": "Recreate"}, "progressDeadlineSeconds": 30, "revisionHistoryLimit": 2},
            {
                "replicas": 5,
                "strategy": {"type": "Recreate"},
                "progressDeadlineSeconds": 30,
                "revisionHistoryLimit": 2,
                "template": {"spec": DEFAULT_TEMPLATE_SPEC},
            },
        ),
    ],
)
def test_set_default_deployment(original, expected):
    assert apply_defaults(deployment(original))["spec"] == expected


# pkg/apis/apps/v1/defaults_test.go TestSetDefaultReplicaSetReplicas
@pytest.mark.parametrize(("replicas", "expected"), [(None, 1), (0, 0), (3, 3)])
def test_set_default_replica_set_replicas(replicas, expected):
    spec = {"template": {"metadata": {"labels": {"foo": "bar"}}}}
    if replicas is not None:
        spec["replicas"] = replicas
    got = apply_defaults({"apiVersion": "apps/v1", "kind": "ReplicaSet", "spec": spec})
    assert got["spec"]["replicas"] == expected


# pkg/apis/apps/v1/defaults_test.go TestDefaultRequestIsNotSetForReplicaSet: requests=limits is for Pods only
def test_default_request_is_not_set_for_replica_set():
    spec = {"template": {"spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": "100m"}}}]}}}
    got = apply_defaults({"apiVersion": "apps/v1", "kind": "ReplicaSet", "spec": spec})
    assert "requests" not in got["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert "enableServiceLinks" not in got["spec"]["template"]["spec"]


# pkg/apis/core/v1/defaults_test.go TestSetDefaultRequestsPod
def test_set_default_requests_pod():
    container = {"name": "c", "resources": {"limits": {"cpu": "100m"}, "requests": {"memory": "1Gi"}}}
    got = apply_defaults(pod({"containers": [container]}))
    assert got["spec"]["containers"][0]["resources"]["requests"] == {"memory": "1Gi", "cpu": "100m"}


# pkg/apis/core/v1/defaults_test.go TestSetMinimumScalePod: requests and limits are rounded up to milli scale
# (SetDefaults_ResourceList), after the limits were copied into the missing requests.
def test_set_minimum_scale_pod():
    container = {"name": "c", "resources": {"requests": {"memory": "1n"}, "limits": {"cpu": "2n"}}}
    got = apply_defaults(pod({"containers": [container]}))["spec"]["containers"][0]["resources"]
    assert got == {"requests": {"memory": "1m", "cpu": "1m"}, "limits": {"cpu": "1m"}}


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        # Quantity.String() of what ParseQuantity made of the JSON (quantity_test.go TestQuantityParse rows)
        ("0.5", "500m"),
        (0.5, "500m"),  # a JSON number is parsed from its digits and stored as a string
        (2, "2"),
        ("1024Mi", "1Gi"),
        ("1536Mi", "1536Mi"),
        ("1.5Gi", "1536Mi"),
        ("1000m", "1"),
        ("100m", "100m"),
        (" 64Mi ", "64Mi"),  # UnmarshalJSON trims spaces
        ("0.0001", "1m"),  # rounded up to milli scale
        ("1e3", "1e3"),
        ("nonsense", "nonsense"),  # not a quantity: left for validation to name
    ],
)
def test_resource_lists_are_stored_canonically(written, stored):
    container = {"name": "c", "resources": {"requests": {"cpu": written}}}
    got = apply_defaults(pod({"containers": [container]}))["spec"]["containers"][0]["resources"]["requests"]
    assert got == {"cpu": stored}


def test_other_quantities_are_canonical_but_not_rounded():
    got = apply_defaults(pod({"containers": [], "volumes": [{"name": "v", "emptyDir": {"sizeLimit": "0.5Gi"}}]}))
    assert got["spec"]["volumes"][0]["emptyDir"] == {"sizeLimit": "512Mi"}
    node = apply_defaults({"apiVersion": "v1", "kind": "Node", "status": {"capacity": {"cpu": 4, "memory": "16384Mi"}}})
    assert node["status"]["capacity"] == node["status"]["allocatable"] == {"cpu": "4", "memory": "16Gi"}
    metric = {
        "type": "Pods",
        "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": 0.25}},
    }
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "spec": {"metrics": [metric]}}
    assert apply_defaults(hpa)["spec"]["metrics"][0]["pods"]["target"]["averageValue"] == "250m"
    template = {"template": {"spec": {"containers": [{"name": "c", "resources": {"limits": {"memory": "0.5Gi"}}}]}}}
    got = apply_defaults(deployment(template))["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert got == {"limits": {"memory": "512Mi"}}


# pkg/apis/core/v1/defaults_test.go TestWorkloadDefaults (the container/probe/volume rows)
def test_workload_defaults_container_probe_and_hooks():
    probe = {"httpGet": {"port": 80}}
    container = {
        "name": "c",
        "image": "img:v1",
        "ports": [{"containerPort": 80}],
        "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
        "livenessProbe": copy.deepcopy(probe),
        "readinessProbe": {"grpc": {"port": 9000}},
        "startupProbe": copy.deepcopy(probe),
        "lifecycle": {"preStop": {"httpGet": {"port": 80}}},
    }
    c = apply_defaults(deployment({"template": {"spec": {"containers": [container]}}}))["spec"]["template"]["spec"][
        "containers"
    ][0]
    assert c["imagePullPolicy"] == "IfNotPresent"
    assert c["terminationMessagePath"] == "/dev/termination-log"
    assert c["terminationMessagePolicy"] == "File"
    assert c["ports"][0]["protocol"] == "TCP"
    assert c["env"][0]["valueFrom"]["fieldRef"]["apiVersion"] == "v1"
    for name in ("livenessProbe", "startupProbe"):
        assert c[name] == {
            "httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
            "timeoutSeconds": 1,
            "periodSeconds": 10,
            "successThreshold": 1,
            "failureThreshold": 3,
        }
    assert c["readinessProbe"]["grpc"] == {"port": 9000, "service": ""}
    assert c["lifecycle"]["preStop"]["httpGet"] == {"port": 80, "path": "/", "scheme": "HTTP"}


def test_workload_defaults_volumes():
    volumes = [
        {"name": "empty"},
        {"name": "hp", "hostPath": {"path": "/x"}},
        {"name": "sec", "secret": {"secretName": "s"}},
        {"name": "cm", "configMap": {"name": "c"}},
        {"name": "proj", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]}},
    ]
    got = apply_defaults(pod({"containers": [], "volumes": volumes}))["spec"]["volumes"]
    assert got[0] == {"name": "empty", "emptyDir": {}}
    assert got[1]["hostPath"] == {"path": "/x", "type": ""}
    assert got[2]["secret"]["defaultMode"] == 420
    assert got[3]["configMap"]["defaultMode"] == 420
    assert got[4]["projected"]["defaultMode"] == 420
    assert got[4]["projected"]["sources"][0]["serviceAccountToken"]["expirationSeconds"] == 3600


def test_pod_spec_defaults_and_enable_service_links():
    # SetDefaults_Pod: enableServiceLinks, hostNetwork ports (cf. TestWorkloadDefaults "hostnet ... with ports")
    got = apply_defaults(pod({"hostNetwork": True, "containers": [{"name": "c", "ports": [{"containerPort": 8080}]}]}))
    spec = got["spec"]
    assert spec["enableServiceLinks"] is True
    assert {k: spec[k] for k in DEFAULT_TEMPLATE_SPEC} == DEFAULT_TEMPLATE_SPEC
    assert spec["containers"][0]["ports"][0] == {"containerPort": 8080, "protocol": "TCP", "hostPort": 8080}
    assert "phase" not in got.get("status", {})


def test_explicit_probe_values_and_pointer_zero_are_kept():
    probe = {"exec": {"command": ["true"]}, "periodSeconds": 3, "failureThreshold": 7}
    got = apply_defaults(
        pod({"terminationGracePeriodSeconds": 0, "containers": [{"name": "c", "livenessProbe": probe}]})
    )
    assert got["spec"]["terminationGracePeriodSeconds"] == 0
    p = got["spec"]["containers"][0]["livenessProbe"]
    assert (p["periodSeconds"], p["failureThreshold"], p["timeoutSeconds"], p["successThreshold"]) == (3, 7, 1, 1)


# --- Service: pkg/apis/core/v1/defaults_test.go TestSetDefaultService, TestSetDefaultServiceTargetPort, ... ----------
def test_set_default_service():
    got = apply_defaults(service({}))["spec"]
    assert got == {"sessionAffinity": "None", "type": "ClusterIP", "internalTrafficPolicy": "Cluster"}


@pytest.mark.parametrize(
    ("port", "expected_target"),
    [
        ({"port": 1234}, 1234),  # TestSetDefaultServiceTargetPort: unset -> port
        ({"port": 1234, "targetPort": 5678}, 5678),
        ({"port": 1234, "targetPort": "http"}, "http"),
        ({"port": 1234, "targetPort": 0}, 1234),  # FromInt32(0) counts as unset
        ({"port": 1234, "targetPort": ""}, 1234),  # FromString("") counts as unset
    ],
)
def test_set_default_service_target_port(port, expected_target):
    got = apply_defaults(service({"ports": [port]}))["spec"]["ports"][0]
    assert got["targetPort"] == expected_target
    assert got["protocol"] == "TCP"  # TestSetDefaultServicePort / protocol


@pytest.mark.parametrize(
    ("spec", "external"),
    [
        ({"type": "NodePort"}, "Cluster"),  # TestSetDefaultServiceExternalTraffic
        ({"type": "LoadBalancer"}, "Cluster"),
        ({"type": "ClusterIP"}, None),
        ({"type": "ClusterIP", "externalIPs": ["1.2.3.4"]}, "Cluster"),
        ({"type": "NodePort", "externalTrafficPolicy": "Local"}, "Local"),
    ],
)
def test_set_default_service_external_traffic_policy(spec, external):
    assert apply_defaults(service(spec))["spec"].get("externalTrafficPolicy") == external


def test_service_internal_traffic_policy_and_load_balancer():
    # TestSetDefaultServiceInternalTrafficPolicy: ExternalName gets none
    assert "internalTrafficPolicy" not in apply_defaults(service({"type": "ExternalName"}))["spec"]
    lb = apply_defaults(
        service({"type": "LoadBalancer"}) | {"status": {"loadBalancer": {"ingress": [{"ip": "1.1.1.1"}]}}}
    )
    assert lb["spec"]["allocateLoadBalancerNodePorts"] is True  # TestSetDefaultLoadBalancerNodePorts...
    assert lb["status"]["loadBalancer"]["ingress"][0]["ipMode"] == "VIP"
    assert "ipFamilyPolicy" not in lb["spec"]  # the registry, not defaulting, sets it


def test_service_session_affinity_client_ip_timeout():
    # TestSetDefaultServiceSessionAffinity
    got = apply_defaults(service({"sessionAffinity": "ClientIP"}))["spec"]
    assert got["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}
    got = apply_defaults(service({"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 1}}}))["spec"]
    assert "sessionAffinityConfig" not in got


# --- Namespace, Node, Secret ---------------------------------------------------------------------------------------
def test_set_default_namespace():
    # TestSetDefaultNamespace (phase) and TestSetDefaultNamespaceLabels
    got = apply_defaults({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    assert got["status"] == {"phase": "Active"}
    assert got["metadata"]["labels"] == {"kubernetes.io/metadata.name": "dev"}


def test_set_default_node_status_allocatable():
    # TestSetDefaultNodeStatusAllocatable
    got = apply_defaults({"apiVersion": "v1", "kind": "Node", "status": {"capacity": {"cpu": "4"}}})
    assert got["status"]["allocatable"] == {"cpu": "4"}
    got = apply_defaults({"apiVersion": "v1", "kind": "Node", "status": {"capacity": {"cpu": "4"}, "allocatable": {}}})
    assert got["status"]["allocatable"] == {}


def test_set_default_secret():
    assert apply_defaults({"apiVersion": "v1", "kind": "Secret"})["type"] == "Opaque"


# --- HPA: pkg/apis/autoscaling/v2/defaults_test.go ----------------------------------------------------------------
def test_set_defaults_hpa_min_replicas_and_metrics():
    # TestSetDefaultsHorizontalPodAutoscaler... minReplicas 1, CPU 80% when no metrics; no behavior stays none
    got = apply_defaults(hpa({"maxReplicas": 5}))["spec"]
    assert got["minReplicas"] == 1
    assert got["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}
    ]
    assert "behavior" not in got


UP_DEFAULT = [{"type": "Pods", "value": 4, "periodSeconds": 15}, {"type": "Percent", "value": 100, "periodSeconds": 15}]


@pytest.mark.parametrize(
    ("given", "policies", "window", "select"),
    [
        # TestGenerateScaleUpRules
        ({}, UP_DEFAULT, 0, "Max"),
        (
            {
                "policies": [
                    {"type": "Pods", "value": 1, "periodSeconds": 2},
                    {"type": "Percent", "value": 3, "periodSeconds": 4},
                ],
                "stabilizationWindowSeconds": 25,
                "selectPolicy": "Max",
            },
            [{"type": "Pods", "value": 1, "periodSeconds": 2}, {"type": "Percent", "value": 3, "periodSeconds": 4}],
            25,
            "Max",
        ),
        (
            {"policies": [{"type": "Pods", "value": 1, "periodSeconds": 2}], "selectPolicy": "Min"},
            [{"type": "Pods", "value": 1, "periodSeconds": 2}],
            0,
            "Min",
        ),
        (
            {"policies": [{"type": "Percent", "value": 7, "periodSeconds": 60}], "stabilizationWindowSeconds": 25},
            [{"type": "Percent", "value": 7, "periodSeconds": 60}],
            25,
            "Max",
        ),
    ],
)
def test_generate_scale_up_rules(given, policies, window, select):
    got = apply_defaults(hpa({"behavior": {"scaleUp": given}}))["spec"]["behavior"]["scaleUp"]
    assert (got["policies"], got["stabilizationWindowSeconds"], got["selectPolicy"]) == (policies, window, select)


@pytest.mark.parametrize(
    ("given", "policies", "window", "select"),
    [
        # TestGenerateScaleDownRules: the default window stays nil (the controller's flag decides: 300 s)
        (None, [{"type": "Percent", "value": 100, "periodSeconds": 15}], None, "Max"),
        (
            {"policies": [{"type": "Percent", "value": 1, "periodSeconds": 2}], "selectPolicy": "Min"},
            [{"type": "Percent", "value": 1, "periodSeconds": 2}],
            None,
            "Min",
        ),
        (
            {"policies": [{"type": "Pods", "value": 3, "periodSeconds": 4}], "stabilizationWindowSeconds": 25},
            [{"type": "Pods", "value": 3, "periodSeconds": 4}],
            25,
            "Max",
        ),
    ],
)
def test_generate_scale_down_rules(given, policies, window, select):
    behavior = {} if given is None else {"scaleDown": given}
    got = apply_defaults(hpa({"behavior": behavior}))["spec"]["behavior"]["scaleDown"]
    assert (got["policies"], got.get("stabilizationWindowSeconds"), got["selectPolicy"]) == (policies, window, select)


# --- RBAC: pkg/apis/rbac/v1/defaults_test.go (SetDefaults_Subject, SetDefaults_RoleBinding) -----------------
def test_rbac_subject_and_role_ref_defaults():
    binding = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "roleRef": {"kind": "Role", "name": "r"},
        "subjects": [
            {"kind": "User", "name": "u"},
            {"kind": "Group", "name": "g"},
            {"kind": "ServiceAccount", "name": "sa", "namespace": "default"},
            {"kind": "User", "name": "x", "apiGroup": "custom"},
        ],
    }
    got = apply_defaults(binding)
    assert got["roleRef"]["apiGroup"] == "rbac.authorization.k8s.io"
    assert [s["apiGroup"] for s in got["subjects"]] == [
        "rbac.authorization.k8s.io",
        "rbac.authorization.k8s.io",
        "",
        "custom",
    ]


# --- EndpointSlice: pkg/apis/discovery/v1/defaults_test.go TestSetDefaultEndpointPort --------------------------------
def test_set_default_endpoint_port():
    es = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "ports": [{"port": 80}, {"name": "h"}]}
    got = apply_defaults(es)["ports"]
    assert got == [{"port": 80, "name": "", "protocol": "TCP"}, {"name": "h", "protocol": "TCP"}]


@pytest.mark.parametrize("kind", ["ConfigMap", "ServiceAccount", "Event"])
def test_kinds_without_defaults_are_unchanged(kind):
    obj = {"apiVersion": "v1", "kind": kind, "metadata": {"name": "x"}}
    assert apply_defaults(obj) == obj
    lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "spec": {}}
    assert apply_defaults(lease) == lease


# --- never mutates, never raises -----------------------------------------------------------------------------------
def test_input_is_not_mutated():
    original = deployment({"template": {"spec": {"containers": [{"name": "c", "image": "nginx"}]}}})
    snapshot = copy.deepcopy(original)
    got = apply_defaults(original)
    assert original == snapshot
    assert got is not original and got["spec"]["template"] is not original["spec"]["template"]


@pytest.mark.parametrize(
    "obj",
    [
        pod({"containers": "x"}),
        pod({"containers": ["x", None, 3]}),
        {"apiVersion": "apps/v1", "kind": "Deployment", "spec": "nope"},
        {"apiVersion": "v1", "kind": "Service", "spec": {"ports": [{"port": "eighty"}], "type": 7}},
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "spec": {"behavior": {"scaleUp": 5}}},
        {"apiVersion": "v1", "kind": "Namespace", "metadata": "x", "status": []},
        {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"strategy": [], "template": {"spec": 1}}},
        ["not", "a", "dict"],
        None,
        {"kind": 5},
    ],
)
def test_malformed_input_does_not_raise(obj):
    snapshot = copy.deepcopy(obj)
    apply_defaults(obj)
    assert obj == snapshot


def test_null_spec_is_defaulted_like_an_empty_one():
    got = apply_defaults({"apiVersion": "apps/v1", "kind": "Deployment", "spec": None})
    assert got["spec"]["replicas"] == 1


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "x", "latest", "RollingUpdate", "ClientIP"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "spec",
                    "template",
                    "containers",
                    "ports",
                    "image",
                    "strategy",
                    "behavior",
                    "scaleUp",
                    "type",
                    "status",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(
        [
            ("v1", "Pod"),
            ("v1", "Service"),
            ("v1", "Namespace"),
            ("v1", "Node"),
            ("apps/v1", "Deployment"),
            ("autoscaling/v2", "HorizontalPodAutoscaler"),
            ("rbac.authorization.k8s.io/v1", "RoleBinding"),
            ("discovery.k8s.io/v1", "EndpointSlice"),
        ]
    ),
    body=st.dictionaries(st.sampled_from(["spec", "status", "metadata", "ports", "subjects", "roleRef"]), _json),
)
def test_random_input_never_raises_nor_mutates(kind, body):
    obj = {"apiVersion": kind[0], "kind": kind[1], **body}
    snapshot = copy.deepcopy(obj)
    apply_defaults(obj)
    assert obj == snapshot
