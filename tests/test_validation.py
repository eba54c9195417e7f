# ruff: noqa: E501 - the expected messages are upstream's, kept whole on one line each
"""Tests for ``k8smodel.api.validation``: exact ``str(FieldError)`` outputs, many ported from upstream tables.

Upstream tables: ``staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta_test.go``
(``TestValidateObjectMetaOwnerReferences``, ``TestValidateObjectMetaUpdateIgnoresCreationTimestamp``,
``TestValidateAnnotations``), ``pkg/apis/apps/validation/validation_test.go`` (``TestValidateDeployment``,
``TestValidateReplicaSet``, ``TestValidateDeploymentUpdate``), ``pkg/apis/core/validation/validation_test.go``
(``TestValidateContainers``, ``TestValidatePodSpec``, ``TestValidatePodUpdate``, ``TestValidateService``,
``TestValidateNodeTaints``, ``TestValidateConfigMap``), ``pkg/apis/autoscaling/validation/validation_test.go``
(``TestValidateHorizontalPodAutoscaler``) and ``pkg/apis/rbac/validation/validation_test.go``
(``TestValidatePolicyRule``, ``TestValidateRoleBindingUpdate``). Cases for Service ``externalName``/``clusterIPs``,
Node taint paths, Event (``pkg/apis/core/validation/events.go`` ``legacyValidateEvent``), EndpointSlice and Role
updates follow the upstream functions' text directly (no upstream table case was looked up for them).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.api.validation import invalid_message, validate

DNS_LABEL_ERR = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
    "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS_SUBDOMAIN_ERR = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
QUALIFIED_NAME_ERR = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
PORT_RANGE = "must be between 1 and 65535, inclusive"


def container(**kw: Any) -> dict[str, Any]:
    return {"name": "web", "image": "nginx", "imagePullPolicy": "Always", "terminationMessagePolicy": "File", **kw}


def pod_spec(**kw: Any) -> dict[str, Any]:
    spec = {
        "containers": [container()],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst",
        "terminationGracePeriodSeconds": 30,
    }
    spec.update(kw)
    return spec


def pod(**kw: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default"},
        "spec": pod_spec(**kw),
    }


def deployment(**kw: Any) -> dict[str, Any]:
    spec = {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec()},
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
        "revisionHistoryLimit": 10,
        "progressDeadlineSeconds": 600,
    }
    spec.update(kw)
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": spec,
    }


def replicaset(**kw: Any) -> dict[str, Any]:
    spec = {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec()},
    }
    spec.update(kw)
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": spec,
    }


def with_meta(obj: dict[str, Any], **meta: Any) -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    obj["metadata"] = {**obj["metadata"], **meta}
    for k in [k for k, v in obj["metadata"].items() if v is None]:
        del obj["metadata"][k]
    return obj


def with_template_spec(obj: dict[str, Any], **kw: Any) -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    obj["spec"]["template"]["spec"].update(kw)
    return obj


def service(**kw: Any) -> dict[str, Any]:
    spec = {"type": "ClusterIP", "sessionAffinity": "None", "selector": {"app": "web"}}
    spec["ports"] = [{"port": 80, "protocol": "TCP", "targetPort": 8080}]
    spec.update(kw)
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"}, "spec": spec}


def hpa(**kw: Any) -> dict[str, Any]:
    spec = {
        "minReplicas": 1,
        "maxReplicas": 5,
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
    }
    spec.update(kw)
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "h", "namespace": "default"},
        "spec": spec,
    }


RBAC = "rbac.authorization.k8s.io/v1"


def role(kind: str = "Role", rules: list[Any] | None = None) -> dict[str, Any]:
    meta = {"name": "r", "namespace": "default"} if kind == "Role" else {"name": "r"}
    rules = rules if rules is not None else [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]
    return {"apiVersion": RBAC, "kind": kind, "metadata": meta, "rules": rules}


def binding(kind: str = "RoleBinding", ref_kind: str = "Role", subjects: list[Any] | None = None) -> dict[str, Any]:
    meta = {"name": "b", "namespace": "default"} if kind == "RoleBinding" else {"name": "b"}
    subjects = (
        subjects
        if subjects is not None
        else [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "jane"}]
    )
    return {
        "apiVersion": RBAC,
        "kind": kind,
        "metadata": meta,
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": ref_kind, "name": "r"},
        "subjects": subjects,
    }


def errors(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[str]:
    return [str(e) for e in validate(obj, old)]


# --- valid objects ------------------------------------------------------------------------------------------------

VALID = [
    pod(),
    deployment(),
    replicaset(),
    service(),
    service(
        type="NodePort",
        ports=[{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http", "nodePort": 30080}],
    ),
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}},
    {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": "node-1"},
        "spec": {"taints": [{"key": "k", "effect": "NoSchedule"}]},
    },
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d"}, "data": {"a.conf": "x"}},
    {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "builder", "namespace": "d"}},
    hpa(),
    role(),
    role("ClusterRole", [{"nonResourceURLs": ["/healthz"], "verbs": ["get"]}]),
    binding(),
    binding("ClusterRoleBinding", "ClusterRole", [{"kind": "ServiceAccount", "name": "sa", "namespace": "d"}]),
    {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": "l", "namespace": "d"},
        "spec": {"leaseDurationSeconds": 15},
    },
    {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": "e", "namespace": "d"},
        "addressType": "IPv4",
    },
    {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": "e.1", "namespace": "d"},
        "involvedObject": {"namespace": "d"},
    },
]


@pytest.mark.parametrize("obj", VALID, ids=lambda o: o["kind"])
def test_valid_objects_have_no_errors(obj: dict[str, Any]) -> None:
    assert validate(obj) == []
    assert validate(obj, copy.deepcopy(obj)) == []


# --- the table: (object, expected errors) ---------------------------------------------------------------------------

CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    # ObjectMeta (objectmeta.go ValidateObjectMeta; objectmeta_test.go)
    (
        "meta: name required",
        with_meta(pod(), name=None),
        ["metadata.name: Required value: name or generateName is required"],
    ),
    (
        "meta: name subdomain",
        with_meta(pod(), name="Web_1"),
        [f'metadata.name: Invalid value: "Web_1": {DNS_SUBDOMAIN_ERR}'],
    ),
    ("meta: generateName masks trailing dash", with_meta(pod(), name="web-abcde", generateName="web-"), []),
    (
        "meta: generateName invalid",
        with_meta(pod(), name="web", generateName="Web-"),
        [f'metadata.generateName: Invalid value: "Web-": {DNS_SUBDOMAIN_ERR}'],
    ),
    ("meta: namespace required", with_meta(pod(), namespace=None), ["metadata.namespace: Required value"]),
    (
        "meta: namespace is a label",
        with_meta(pod(), namespace="a.b"),
        ['metadata.namespace: Invalid value: "a.b": must not contain dots'],
    ),
    (
        "meta: namespace not allowed on cluster-scoped",
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n", "namespace": "default"}},
        ["metadata.namespace: Forbidden: not allowed on this type"],
    ),
    (
        "meta: generation negative",
        with_meta(pod(), generation=-1),
        ["metadata.generation: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "meta: label value",
        with_meta(pod(), labels={"app": "-x"}),
        [
            'metadata.labels: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric '
            "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
            "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        ],
    ),
    (
        "meta: annotation key",
        with_meta(pod(), annotations={"-bad": "v"}),
        [f'metadata.annotations: Invalid value: "-bad": {QUALIFIED_NAME_ERR}'],
    ),
    ("meta: annotation key case-insensitive", with_meta(pod(), annotations={"Example.COM/Key": "v"}), []),
    (
        "meta: annotations too long",
        with_meta(pod(), annotations={"a": "x" * (256 * 1024)}),
        ["metadata.annotations: Too long: must have at most 262144 bytes"],
    ),
    ("meta: annotations at the limit", with_meta(pod(), annotations={"a": "x" * (256 * 1024 - 1)}), []),
    (
        "meta: ownerReference fields required",
        with_meta(pod(), ownerReferences=[{"apiVersion": "", "kind": "", "name": "", "uid": ""}]),
        [
            'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
            'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
            'metadata.ownerReferences.name: Invalid value: "": must not be empty',
            'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
        ],
    ),
    (
        "meta: two controllers",
        with_meta(
            pod(),
            ownerReferences=[
                {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "a", "uid": "1", "controller": True},
                {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "b", "uid": "2", "controller": True},
            ],
        ),
        [
            "metadata.ownerReferences: Invalid value: []v1.OwnerReference{"
            'v1.OwnerReference{APIVersion:"apps/v1", Kind:"ReplicaSet", Name:"a", UID:"1", Controller:(*bool)(0xc000000000), BlockOwnerDeletion:(*bool)(nil)}, '
            'v1.OwnerReference{APIVersion:"apps/v1", Kind:"ReplicaSet", Name:"b", UID:"2", Controller:(*bool)(0xc000000000), BlockOwnerDeletion:(*bool)(nil)}}: '
            'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b'
        ],
    ),
    (
        "meta: finalizer name",
        with_meta(pod(), finalizers=["a/b/c"]),
        [
            'metadata.finalizers: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '
            "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
            "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
            "subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ],
    ),
    (
        "meta: orphan and foreground",
        with_meta(pod(), finalizers=["orphan", "foregroundDeletion"]),
        [
            'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set'
        ],
    ),
    # Deployment (apps validation.go ValidateDeploymentSpec; TestValidateDeployment)
    (
        "deploy: replicas",
        deployment(replicas=-1),
        ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "deploy: selector required (nil selector matches nothing)",
        deployment(selector=None),
        [
            "spec.selector: Required value",
            'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
        ],
    ),
    (
        "deploy: empty selector",
        deployment(selector={}),
        [
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
        ],
    ),
    (
        "deploy: selector does not match",
        deployment(selector={"matchLabels": {"app": "api"}}),
        [
            'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'
        ],
    ),
    (
        "deploy: bad selector operator",
        deployment(selector={"matchExpressions": [{"key": "app", "operator": "Like"}]}),
        [
            'spec.selector.matchExpressions[0].operator: Invalid value: "Like": not a valid selector operator',
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:"
            '[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Like", Values:[]string(nil)}}}: '
            "invalid label selector",
        ],
    ),
    (
        "deploy: restartPolicy",
        with_template_spec(deployment(), restartPolicy="OnFailure"),
        ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    ),
    (
        "deploy: activeDeadlineSeconds",
        with_template_spec(deployment(), activeDeadlineSeconds=5),
        ["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"],
    ),
    (
        "deploy: minReadySeconds",
        deployment(minReadySeconds=-1),
        ["spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "deploy: revisionHistoryLimit",
        deployment(revisionHistoryLimit=-2),
        ["spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0"],
    ),
    (
        "deploy: progressDeadlineSeconds",
        deployment(minReadySeconds=600),
        ["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"],
    ),
    (
        "deploy: strategy type",
        deployment(strategy={"type": "Canary"}),
        [
            'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Canary", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: '
            'supported values: "Recreate", "RollingUpdate"'
        ],
    ),
    (
        "deploy: recreate with rollingUpdate",
        deployment(strategy={"type": "Recreate", "rollingUpdate": {}}),
        ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ),
    (
        "deploy: rollingUpdate nil",
        deployment(strategy={"type": "RollingUpdate"}),
        ["spec.strategy.rollingUpdate: Required value: this should be defaulted and never be nil"],
    ),
    (
        "deploy: both zero",
        deployment(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}),
        [
            'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'
        ],
    ),
    (
        "deploy: zero percent both",
        deployment(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "0%", "maxUnavailable": "0%"}}),
        [
            'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0'
        ],
    ),
    (
        "deploy: maxUnavailable > 100%",
        deployment(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "110%"}}),
        [
            'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"110%"}: must not be greater than 100%'
        ],
    ),
    (
        "deploy: maxSurge bad percent",
        deployment(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "20", "maxUnavailable": 1}}),
        [
            'spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"20"}: a valid percent string '
            "must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
        ],
    ),
    (
        "deploy: maxSurge negative",
        deployment(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": -1, "maxUnavailable": 1}}),
        ["spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "deploy: template pod spec checked",
        with_template_spec(deployment(), containers=[]),
        ["spec.template.spec.containers: Required value"],
    ),
    (
        "deploy: template labels checked",
        deployment(
            selector={"matchLabels": {"app": "web"}},
            template={"metadata": {"labels": {"app": "web", "x": "-"}}, "spec": pod_spec()},
        ),
        [
            'spec.template.labels: Invalid value: "-": a valid label must be an empty string or consist of alphanumeric '
            "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
            "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        ],
    ),
    # ReplicaSet (ValidateReplicaSetSpec; TestValidateReplicaSet)
    (
        "rs: replicas and minReadySeconds",
        replicaset(replicas=-1, minReadySeconds=-1),
        [
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
        ],
    ),
    (
        "rs: empty selector",
        replicaset(selector={"matchLabels": {}}),
        [
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, "
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
        ],
    ),
    (
        "rs: template labels missing",
        replicaset(template={"metadata": {}, "spec": pod_spec()}),
        [
            "spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`"
        ],
    ),
    # Pod spec (core validation.go ValidatePodSpec, validateContainers; TestValidateContainers / TestValidatePodSpec)
    ("pod: containers required", pod(containers=[]), ["spec.containers: Required value"]),
    (
        "pod: container name",
        pod(containers=[container(name="Web")]),
        [f'spec.containers[0].name: Invalid value: "Web": {DNS_LABEL_ERR}'],
    ),
    ("pod: container name required", pod(containers=[container(name="")]), ["spec.containers[0].name: Required value"]),
    ("pod: image required", pod(containers=[container(image="")]), ["spec.containers[0].image: Required value"]),
    (
        "pod: image whitespace",
        pod(containers=[container(image=" nginx")]),
        ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'],
    ),
    (
        "pod: duplicate container",
        pod(containers=[container(), container()]),
        ['spec.containers[1].name: Duplicate value: "web"'],
    ),
    (
        "pod: init duplicates regular",
        pod(initContainers=[container()]),
        ['spec.initContainers[0].name: Duplicate value: "web"'],
    ),
    (
        "pod: terminationMessagePolicy",
        pod(containers=[container(terminationMessagePolicy="Log")]),
        [
            'spec.containers[0].terminationMessagePolicy: Unsupported value: "Log": supported values: "File", "FallbackToLogsOnError"'
        ],
    ),
    (
        "pod: imagePullPolicy",
        pod(containers=[container(imagePullPolicy="Sometimes")]),
        [
            'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'
        ],
    ),
    (
        "pod: containerPort range",
        pod(containers=[container(ports=[{"containerPort": 65536, "protocol": "TCP"}])]),
        [f"spec.containers[0].ports[0].containerPort: Invalid value: 65536: {PORT_RANGE}"],
    ),
    (
        "pod: containerPort required",
        pod(containers=[container(ports=[{"containerPort": 0, "protocol": "TCP"}])]),
        ["spec.containers[0].ports[0].containerPort: Required value"],
    ),
    (
        "pod: hostPort range",
        pod(containers=[container(ports=[{"containerPort": 80, "hostPort": -1, "protocol": "TCP"}])]),
        [f"spec.containers[0].ports[0].hostPort: Invalid value: -1: {PORT_RANGE}"],
    ),
    (
        "pod: protocol",
        pod(containers=[container(ports=[{"containerPort": 80, "protocol": "HTTP"}])]),
        ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ),
    (
        "pod: port name too long",
        pod(containers=[container(ports=[{"name": "a-very-long-port-name", "containerPort": 80, "protocol": "TCP"}])]),
        [
            'spec.containers[0].ports[0].name: Invalid value: "a-very-long-port-name": must be no more than 15 characters'
        ],
    ),
    (
        "pod: port name hyphens",
        pod(containers=[container(ports=[{"name": "-a--b", "containerPort": 80, "protocol": "TCP"}])]),
        [
            'spec.containers[0].ports[0].name: Invalid value: "-a--b": must not contain consecutive hyphens',
            'spec.containers[0].ports[0].name: Invalid value: "-a--b": must not begin or end with a hyphen',
        ],
    ),
    (
        "pod: port name digits only",
        pod(containers=[container(ports=[{"name": "123", "containerPort": 80, "protocol": "TCP"}])]),
        ['spec.containers[0].ports[0].name: Invalid value: "123": must contain at least one letter (a-z)'],
    ),
    (
        "pod: duplicate port name",
        pod(
            containers=[
                container(
                    ports=[
                        {"name": "http", "containerPort": 80, "protocol": "TCP"},
                        {"name": "http", "containerPort": 81, "protocol": "TCP"},
                    ]
                )
            ]
        ),
        ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
    ),
    (
        "pod: hostPort conflict",
        pod(
            containers=[
                container(ports=[{"containerPort": 80, "hostPort": 8080, "protocol": "TCP"}]),
                container(name="b", ports=[{"containerPort": 81, "hostPort": 8080, "protocol": "TCP"}]),
            ]
        ),
        ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
    ),
    (
        "pod: env name",
        pod(containers=[container(env=[{"name": "1BAD"}])]),
        [
            'spec.containers[0].env[0].name: Invalid value: "1BAD": a valid environment variable name must consist of alphabetic '
            "characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
            "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
        ],
    ),
    (
        "pod: env name dotdot",
        pod(containers=[container(env=[{"name": ".."}])]),
        ["spec.containers[0].env[0].name: Invalid value: \"..\": must not be '..'"],
    ),
    (
        "pod: env name required",
        pod(containers=[container(env=[{"value": "x"}])]),
        ["spec.containers[0].env[0].name: Required value"],
    ),
    (
        "pod: env valueFrom empty",
        pod(containers=[container(env=[{"name": "A", "valueFrom": {}}])]),
        [
            'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'
        ],
    ),
    (
        "pod: volumeMount not found",
        pod(containers=[container(volumeMounts=[{"name": "data", "mountPath": "/d"}])]),
        ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    ),
    (
        "pod: volumeMount path unique",
        pod(
            volumes=[{"name": "a", "emptyDir": {}}],
            containers=[container(volumeMounts=[{"name": "a", "mountPath": "/d"}, {"name": "a", "mountPath": "/d"}])],
        ),
        ['spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique'],
    ),
    (
        "pod: duplicate volume",
        pod(volumes=[{"name": "a", "emptyDir": {}}, {"name": "a", "emptyDir": {}}]),
        ['spec.volumes[1].name: Duplicate value: "a"'],
    ),
    (
        "pod: volume type required",
        pod(volumes=[{"name": "a"}]),
        ["spec.volumes[0]: Required value: must specify a volume type"],
    ),
    (
        "pod: two volume types",
        pod(volumes=[{"name": "a", "emptyDir": {}, "hostPath": {"path": "/x"}}]),
        ["spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type"],
    ),
    (
        "pod: requests over limits",
        pod(containers=[container(resources={"limits": {"cpu": "1"}, "requests": {"cpu": "2"}})]),
        ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    ),
    (
        "pod: memory requests over limits",
        pod(containers=[container(resources={"limits": {"memory": "1Gi"}, "requests": {"memory": "2Gi"}})]),
        [
            'spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi'
        ],
    ),
    (
        "pod: negative quantity",
        pod(containers=[container(resources={"requests": {"cpu": "-1"}})]),
        ['spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0'],
    ),
    (
        "pod: unknown resource",
        pod(containers=[container(resources={"limits": {"gpu": "1"}})]),
        ['spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers'],
    ),
    (
        "pod: hugepages must equal limit",
        pod(
            containers=[container(resources={"limits": {"hugepages-2Mi": "4Mi"}, "requests": {"hugepages-2Mi": "2Mi"}})]
        ),
        ['spec.containers[0].resources.requests: Invalid value: "2Mi": must be equal to hugepages-2Mi limit of 4Mi'],
    ),
    (
        "pod: probe without handler",
        pod(containers=[container(readinessProbe={"periodSeconds": 10})]),
        ["spec.containers[0].readinessProbe: Required value: must specify a handler type"],
    ),
    (
        "pod: probe two handlers",
        pod(
            containers=[
                container(
                    livenessProbe={"exec": {"command": ["true"]}, "tcpSocket": {"port": 80}, "successThreshold": 1}
                )
            ]
        ),
        ["spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"],
    ),
    (
        "pod: liveness successThreshold",
        pod(containers=[container(livenessProbe={"tcpSocket": {"port": 80}, "successThreshold": 3})]),
        ["spec.containers[0].livenessProbe.successThreshold: Invalid value: 3: must be 1"],
    ),
    (
        "pod: startup successThreshold",
        pod(containers=[container(startupProbe={"tcpSocket": {"port": 80}, "successThreshold": 2})]),
        ["spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1"],
    ),
    (
        "pod: probe negative period",
        pod(containers=[container(readinessProbe={"exec": {"command": ["true"]}, "periodSeconds": -1})]),
        ["spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "pod: httpGet probe",
        pod(containers=[container(readinessProbe={"httpGet": {"path": "", "port": 0, "scheme": "FTP"}})]),
        [
            "spec.containers[0].readinessProbe.httpGet.path: Required value",
            f"spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: {PORT_RANGE}",
            'spec.containers[0].readinessProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
        ],
    ),
    (
        "pod: init container probe",
        pod(initContainers=[container(name="init", livenessProbe={"exec": {"command": ["true"]}})]),
        [
            "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"
        ],
    ),
    (
        "pod: restartPolicy",
        pod(restartPolicy="Sometimes"),
        ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ),
    ("pod: restartPolicy required", pod(restartPolicy=""), ["spec.restartPolicy: Required value"]),
    (
        "pod: dnsPolicy",
        pod(dnsPolicy="Cluster"),
        [
            'spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'
        ],
    ),
    (
        "pod: grace period required",
        pod(terminationGracePeriodSeconds=None),
        ["spec.terminationGracePeriodSeconds: Required value"],
    ),
    (
        "pod: activeDeadlineSeconds",
        pod(activeDeadlineSeconds=0),
        ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"],
    ),
    ("pod: nodeName", pod(nodeName="Node_1"), [f'spec.nodeName: Invalid value: "Node_1": {DNS_SUBDOMAIN_ERR}']),
    (
        "pod: ephemeral containers on create",
        pod(ephemeralContainers=[{"name": "debug"}]),
        ["spec.ephemeralContainers: Forbidden: cannot be set on create"],
    ),
    # Service (core validation.go ValidateService / validateServicePort; TestValidateService)
    (
        "svc: name is DNS-1035",
        with_meta(service(), name="1web"),
        [
            "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
            "start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
            "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        ],
    ),
    ("svc: ports required", service(ports=[]), ["spec.ports: Required value"]),
    ("svc: headless needs no ports", service(ports=[], clusterIP="None"), []),
    (
        "svc: type",
        service(type="Internal"),
        [
            'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'
        ],
    ),
    (
        "svc: port range",
        service(ports=[{"port": 65536, "protocol": "TCP", "targetPort": 80}]),
        [f"spec.ports[0].port: Invalid value: 65536: {PORT_RANGE}"],
    ),
    (
        "svc: names required for several ports",
        service(
            ports=[
                {"port": 80, "protocol": "TCP", "targetPort": 80},
                {"name": "b", "port": 81, "protocol": "TCP", "targetPort": 81},
            ]
        ),
        ["spec.ports[0].name: Required value"],
    ),
    (
        "svc: duplicate port names",
        service(
            ports=[
                {"name": "a", "port": 80, "protocol": "TCP", "targetPort": 80},
                {"name": "a", "port": 81, "protocol": "TCP", "targetPort": 81},
            ]
        ),
        ['spec.ports[1].name: Duplicate value: "a"'],
    ),
    (
        "svc: targetPort",
        service(ports=[{"port": 80, "protocol": "TCP", "targetPort": 0}]),
        [f"spec.ports[0].targetPort: Invalid value: 0: {PORT_RANGE}"],
    ),
    (
        "svc: targetPort name",
        service(ports=[{"port": 80, "protocol": "TCP", "targetPort": "Http"}]),
        [
            'spec.ports[0].targetPort: Invalid value: "Http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'
        ],
    ),
    (
        "svc: nodePort on ClusterIP",
        service(ports=[{"port": 80, "protocol": "TCP", "targetPort": 80, "nodePort": 30000}]),
        ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ),
    (
        "svc: ExternalName needs externalName",
        service(type="ExternalName", ports=[]),
        ["spec.externalName: Required value"],
    ),
    (
        "svc: externalName is a DNS subdomain, trailing dot trimmed",
        service(type="ExternalName", externalName="my_db.example.com."),
        [f'spec.externalName: Invalid value: "my_db.example.com": {DNS_SUBDOMAIN_ERR}'],
    ),
    (
        "svc: headless NodePort",
        service(type="NodePort", clusterIP="None"),
        ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
    ),
    (
        "svc: ExternalName with a clusterIP",
        service(type="ExternalName", externalName="db.example.com", clusterIP="10.0.0.1"),
        ["spec.clusterIPs: Forbidden: may not be set for ExternalName services"],
    ),
    (
        "svc: appProtocol is a qualified name",
        service(ports=[{"port": 80, "protocol": "TCP", "targetPort": 80, "appProtocol": "a b"}]),
        [
            "spec.ports[0].appProtocol: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', "
            "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        ],
    ),
    (
        "svc: sessionAffinity",
        service(sessionAffinity="Sticky"),
        ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
    ),
    # Namespace, Node, ConfigMap
    (
        "ns: name label",
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "Team_A"}},
        [f'metadata.name: Invalid value: "Team_A": {DNS_LABEL_ERR}'],
    ),
    (
        "ns: dots",
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team.a"}},
        ['metadata.name: Invalid value: "team.a": must not contain dots'],
    ),
    (
        "node: taint effect",
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": "n"},
            "spec": {"taints": [{"key": "k", "effect": "NoRun"}]},
        },
        [
            'metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'
        ],
    ),
    (
        "node: taint effect required",
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"}, "spec": {"taints": [{"key": "k"}]}},
        ["metadata.taints[0].effect: Required value"],
    ),
    (
        "node: duplicate taint",
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": "n"},
            "spec": {
                "taints": [{"key": "k", "effect": "NoSchedule"}, {"key": "k", "value": "v", "effect": "NoSchedule"}]
            },
        },
        [
            'metadata.taints[1]: Duplicate value: core.Taint{Key:"k", Value:"v", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair'
        ],
    ),
    (
        "cm: key",
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d"}, "data": {"a b": "v"}},
        [
            "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
            "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
        ],
    ),
    (
        "cm: key dotdot",
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d"}, "data": {"..a": "v"}},
        ["data[..a]: Invalid value: \"..a\": must not start with '..'"],
    ),
    (
        "cm: too big",
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "d"},
            "data": {"a": "x" * (1 << 20), "b": "y"},
        },
        [": Too long: must have at most 1048576 bytes"],
    ),
    (
        # ValidateConfigMap checks only the data side for keys in both bags.
        "cm: key in data and binaryData",
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "d"},
            "data": {"k": "v"},
            "binaryData": {"k": "dg=="},
        },
        ['data[k]: Invalid value: "k": duplicate of key present in binaryData'],
    ),
    # HPA (autoscaling validation.go validateHorizontalPodAutoscalerSpec)
    (
        "hpa: minReplicas",
        hpa(minReplicas=0),
        ["spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"],
    ),
    (
        "hpa: max < min",
        hpa(minReplicas=5, maxReplicas=2),
        ["spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"],
    ),
    (
        "hpa: maxReplicas zero",
        hpa(minReplicas=None, maxReplicas=0),
        ["spec.maxReplicas: Invalid value: 0: must be greater than 0"],
    ),
    (
        "hpa: scaleTargetRef",
        hpa(scaleTargetRef={"name": "a/b"}),
        [
            "spec.scaleTargetRef.kind: Required value",
            "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'",
        ],
    ),
    # RBAC (rbac validation.go ValidatePolicyRule, ValidateRoleBinding, ValidateRoleBindingSubject)
    (
        "rbac: verbs required",
        role(rules=[{"apiGroups": [""], "resources": ["pods"]}]),
        ["rules[0].verbs: Required value: verbs must contain at least one value"],
    ),
    (
        "rbac: apiGroups and resources",
        role(rules=[{"verbs": ["get"]}]),
        [
            "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
            "rules[0].resources: Required value: resource rules must supply at least one resource",
        ],
    ),
    (
        "rbac: nonResourceURLs in Role",
        role(rules=[{"verbs": ["get"], "nonResourceURLs": ["/x"]}]),
        ['rules[0].nonResourceURLs: Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs'],
    ),
    (
        "rbac: nonResourceURLs and resources",
        role("ClusterRole", [{"verbs": ["get"], "nonResourceURLs": ["/x"], "resources": ["pods"]}]),
        [
            'rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs'
        ],
    ),
    (
        "rbac: role name path segment",
        with_meta(role(), name=".."),
        ["metadata.name: Invalid value: \"..\": may not be '..'"],
    ),
    (
        "rbac: empty aggregationRule",
        {**role("ClusterRole"), "aggregationRule": {}},
        [
            "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil"
        ],
    ),
    (
        "rbac: roleRef kind",
        binding(ref_kind="Pod"),
        ['roleRef.kind: Unsupported value: "Pod": supported values: "Role", "ClusterRole"'],
    ),
    (
        "rbac: clusterrolebinding roleRef",
        binding("ClusterRoleBinding", "Role"),
        ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'],
    ),
    (
        "rbac: subject kind",
        binding(subjects=[{"kind": "Robot", "name": "x"}]),
        ['subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'],
    ),
    (
        "rbac: SA subject needs namespace in CRB",
        binding("ClusterRoleBinding", "ClusterRole", [{"kind": "ServiceAccount", "name": "sa"}]),
        ["subjects[0].namespace: Required value"],
    ),
    (
        "rbac: subject name required",
        binding(subjects=[{"kind": "User", "apiGroup": "rbac.authorization.k8s.io"}]),
        ["subjects[0].name: Required value"],
    ),
    # Lease, EndpointSlice, Event, ServiceAccount
    (
        "lease: duration",
        {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": "l", "namespace": "d"},
            "spec": {"leaseDurationSeconds": 0},
        },
        ["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"],
    ),
    (
        "eps: addressType",
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {"name": "e", "namespace": "d"},
            "addressType": "IP",
        },
        ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"'],
    ),
    (
        "event: namespace mismatch",
        {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": "e", "namespace": "d"},
            "involvedObject": {"namespace": "x"},
        },
        ['involvedObject.namespace: Invalid value: "x": does not match event.namespace'],
    ),
    (
        # legacyValidateEvent: an empty involvedObject.namespace is only allowed in "" or "default".
        "event: empty involvedObject namespace",
        {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e", "namespace": "d"}, "involvedObject": {}},
        ['involvedObject.namespace: Invalid value: "": does not match event.namespace'],
    ),
    (
        "event: with eventTime needs the reporting fields",
        {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": "e", "namespace": "d"},
            "involvedObject": {"namespace": "d"},
            "eventTime": "2024-01-01T00:00:00.000000Z",
        },
        [
            "reportingController: Required value",
            'reportingController: Invalid value: "": name part must be non-empty',
            "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', "
            "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            "reportingInstance: Required value",
            "action: Required value",
            "reason: Required value",
        ],
    ),
    (
        # v1 events skip ValidateObjectMeta; the registry's generic check only wants a path segment name.
        "event: name is only a path segment",
        {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": "Bad_Name", "namespace": "d"},
            "involvedObject": {"namespace": "d"},
        },
        [],
    ),
    (
        "event: name with a slash",
        {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": "a/b", "namespace": "d"},
            "involvedObject": {"namespace": "d"},
        },
        ["metadata.name: Invalid value: \"a/b\": may not contain '/'"],
    ),
    (
        "sa: name",
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "Bad", "namespace": "d"}},
        [f'metadata.name: Invalid value: "Bad": {DNS_SUBDOMAIN_ERR}'],
    ),
]


@pytest.mark.parametrize(("obj", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_create(obj: dict[str, Any], expected: list[str]) -> None:
    assert errors(obj) == expected


# --- updates --------------------------------------------------------------------------------------------------------


def updated(obj: dict[str, Any], change: Any) -> dict[str, Any]:
    new = copy.deepcopy(obj)
    change(new)
    return new


UPDATES: list[tuple[str, dict[str, Any], Any, list[str]]] = [
    (
        "meta: name immutable",
        pod(),
        lambda o: o["metadata"].update(name="q"),
        ['metadata.name: Invalid value: "q": field is immutable'],
    ),
    (
        "meta: namespace immutable",
        with_meta(pod(), uid="1"),
        lambda o: o["metadata"].update(namespace="x"),
        ['metadata.namespace: Invalid value: "x": field is immutable'],
    ),
    (
        "meta: uid immutable",
        with_meta(pod(), uid="1"),
        lambda o: o["metadata"].update(uid="2"),
        ['metadata.uid: Invalid value: "2": field is immutable'],
    ),
    (
        "meta: creationTimestamp immutable",
        with_meta(pod(), creationTimestamp="2024-01-01T00:00:00Z"),
        lambda o: o["metadata"].update(creationTimestamp="2025-01-01T00:00:00Z"),
        ['metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable'],
    ),
    ("meta: labels may change", pod(), lambda o: o["metadata"].update(labels={"a": "b"}), []),
    (
        "deploy: selector immutable",
        deployment(),
        lambda o: (
            o["spec"].update(selector={"matchLabels": {"app": "web", "v": "2"}}),
            o["spec"]["template"]["metadata"]["labels"].update(v="2"),
        ),
        [
            'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"2"}, '
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
        ],
    ),
    ("deploy: scale is fine", deployment(), lambda o: o["spec"].update(replicas=5), []),
    (
        "deploy: update still validates spec",
        deployment(),
        lambda o: o["spec"].update(replicas=-1),
        ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "rs: selector immutable",
        replicaset(),
        lambda o: o["spec"]["selector"].update(matchLabels={"app": "web2"}),
        [
            'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
            'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, '
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
        ],
    ),
    ("pod: image may change", pod(), lambda o: o["spec"]["containers"][0].update(image="nginx:1.27"), []),
    (
        "pod: add container",
        pod(),
        lambda o: o["spec"]["containers"].append(container(name="b")),
        ["spec.containers: Forbidden: pod updates may not add or remove containers"],
    ),
    (
        "pod: activeDeadlineSeconds increase",
        pod(activeDeadlineSeconds=10),
        lambda o: o["spec"].update(activeDeadlineSeconds=20),
        ["spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value"],
    ),
    (
        "pod: activeDeadlineSeconds removed",
        pod(activeDeadlineSeconds=10),
        lambda o: o["spec"].pop("activeDeadlineSeconds"),
        ['spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value'],
    ),
    (
        "pod: tolerations only added",
        pod(tolerations=[{"key": "a", "operator": "Exists"}]),
        lambda o: o["spec"].update(tolerations=[{"key": "b", "operator": "Exists"}]),
        ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"],
    ),
    (
        "svc: clusterIP immutable",
        service(clusterIP="10.0.0.1"),
        lambda o: o["spec"].update(clusterIP="10.0.0.2"),
        ['spec.clusterIPs[0]: Invalid value: []string{"10.0.0.2"}: may not change once set'],
    ),
    (
        "svc: clusterIP may be set on ExternalName change",
        service(type="ExternalName", clusterIP=""),
        lambda o: o["spec"].update(type="ClusterIP", clusterIP="10.0.0.9"),
        [],
    ),
    (
        "rbac: roleRef immutable",
        binding(),
        lambda o: o["roleRef"].update(name="other"),
        [
            'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef'
        ],
    ),
    (
        "cm: immutable data",
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "d"},
            "data": {"a": "1"},
            "immutable": True,
        },
        lambda o: o["data"].update(a="2"),
        ["data: Forbidden: field is immutable when `immutable` is set"],
    ),
    (
        "svc: clusterIP omitted on update keeps the old one",
        service(clusterIP="10.0.0.1"),
        lambda o: o["spec"].pop("clusterIP"),
        [],
    ),
    (
        "node: update checks taints (at metadata.taints)",
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"}},
        lambda o: o.update(spec={"taints": [{"key": "k"}]}),
        ["metadata.taints[0].effect: Required value"],
    ),
    (
        "eps: addressType immutable",
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {"name": "e", "namespace": "d"},
            "addressType": "IPv4",
        },
        lambda o: o.update(addressType="IP"),
        ['addressType: Invalid value: "IP": field is immutable'],
    ),
    (
        "hpa: minReplicas 0 kept on update",
        hpa(minReplicas=0),
        lambda o: o["spec"].update(maxReplicas=3),
        [],
    ),
    (
        "rbac: role update validates the role before the meta update",
        with_meta(role(), uid="1"),
        lambda o: (o["metadata"].update(uid="2"), o["rules"][0].update(verbs=[])),
        [
            "rules[0].verbs: Required value: verbs must contain at least one value",
            'metadata.uid: Invalid value: "2": field is immutable',
        ],
    ),
    (
        "hpa: update validates spec",
        hpa(),
        lambda o: o["spec"].update(maxReplicas=0),
        [
            "spec.maxReplicas: Invalid value: 0: must be greater than 0",
            "spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`",
        ],
    ),
]


@pytest.mark.parametrize(
    ("old", "change", "expected"), [(u[1], u[2], u[3]) for u in UPDATES], ids=[u[0] for u in UPDATES]
)
def test_update(old: dict[str, Any], change: Any, expected: list[str]) -> None:
    assert errors(updated(old, change), old) == expected


def test_pod_update_of_other_fields_is_forbidden_with_upstream_message() -> None:
    old = pod()
    new = updated(old, lambda o: o["spec"]["containers"][0].update(ports=[{"containerPort": 80, "protocol": "TCP"}]))
    (err,) = validate(new, old)
    assert str(err).startswith(
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
        "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"
    )


def test_pod_update_negative_grace_period_may_become_one() -> None:
    old = pod(terminationGracePeriodSeconds=-1)
    assert validate(updated(old, lambda o: o["spec"].update(terminationGracePeriodSeconds=1)), old) == []


# --- one manifest, several mistakes, all reported in upstream's order ----------------------------------------------


def test_several_mistakes_reported_in_order() -> None:
    bad = deployment(replicas=-1, selector={"matchLabels": {"app": "api"}}, minReadySeconds=-5)
    bad["metadata"]["name"] = "Web"
    bad["spec"]["template"]["spec"]["containers"] = [
        container(image=""),
        container(ports=[{"containerPort": 0, "protocol": "TCP"}]),
    ]
    bad["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    assert errors(bad) == [
        f'metadata.name: Invalid value: "Web": {DNS_SUBDOMAIN_ERR}',
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
        "spec.template.spec.containers[0].image: Required value",
        "spec.template.spec.containers[1].ports[0].containerPort: Required value",
        'spec.template.spec.containers[1].name: Duplicate value: "web"',
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
        "spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0",
    ]


# --- invalid_message (errors.go NewInvalid) ------------------------------------------------------------------------


def test_invalid_message_one_error() -> None:
    d = deployment(replicas=-1)
    assert invalid_message(d, validate(d)) == (
        'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    )


def test_invalid_message_several_errors() -> None:
    p = pod(restartPolicy="Sometimes", dnsPolicy="")
    assert invalid_message(p, validate(p)) == (
        'Pod "p" is invalid: [spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", '
        '"OnFailure", "Never", spec.dnsPolicy: Required value]'
    )


def test_invalid_message_no_errors() -> None:
    assert invalid_message(service(), []) == 'Service "web" is invalid'


# --- never raises --------------------------------------------------------------------------------------------------

HEADERS = [("v1", "Pod"), ("apps/v1", "Deployment"), ("apps/v1", "ReplicaSet"), ("v1", "Service"), ("v1", "Namespace"),
           ("v1", "Node"), ("v1", "ConfigMap"), ("v1", "ServiceAccount"), ("v1", "Event"), ("autoscaling/v2", "HorizontalPodAutoscaler"),
           ("rbac.authorization.k8s.io/v1", "Role"), ("rbac.authorization.k8s.io/v1", "ClusterRole"),
           ("rbac.authorization.k8s.io/v1", "RoleBinding"), ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
           ("coordination.k8s.io/v1", "Lease"), ("discovery.k8s.io/v1", "EndpointSlice")]  # fmt: skip

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.text(max_size=8)
    | st.sampled_from(["25%", "1Gi", "web", "Always", "TCP"])
)
_keys = st.sampled_from(["metadata", "spec", "name", "namespace", "labels", "containers", "selector", "template",
                         "ports", "replicas", "strategy", "rollingUpdate", "maxSurge", "image", "resources", "limits",
                         "requests", "cpu", "matchLabels", "rules", "roleRef", "subjects", "data", "taints", "effect",
                         "volumes", "volumeMounts", "env", "livenessProbe", "type", "annotations", "ownerReferences"]) | st.text(max_size=4)  # fmt: skip
_json = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=4), max_leaves=20
)


@settings(max_examples=150, deadline=None)
@given(
    header=st.sampled_from(HEADERS),
    body=st.dictionaries(_keys, _json, max_size=5),
    old=st.none() | st.dictionaries(_keys, _json, max_size=3),
)
def test_validate_never_raises(header: tuple[str, str], body: dict[str, Any], old: dict[str, Any] | None) -> None:
    obj = {**body, "apiVersion": header[0], "kind": header[1]}
    old_obj = None if old is None else {**old, "apiVersion": header[0], "kind": header[1]}
    errs = validate(obj, old_obj)
    assert isinstance(errs, list)
    for e in errs:
        str(e)
    invalid_message(obj, errs)


def test_unknown_kind_is_an_error_not_a_crash() -> None:
    assert errors({"apiVersion": "v9", "kind": "Widget"}) == [
        'kind: Invalid value: "Widget": no matches for kind "Widget" in version "v9"'
    ]


def test_node_update_may_not_change_pod_cidr_or_provider_id_once_set():
    """ValidateNodeUpdate (pkg/apis/core/validation): from "" to a value only."""
    from k8smodel.api.validation import validate_node_update

    def node(cidrs=None, provider=""):
        spec = {"podCIDRs": cidrs} if cidrs is not None else {}
        if cidrs:
            spec["podCIDR"] = cidrs[0]
        if provider:
            spec["providerID"] = provider
        return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n", "resourceVersion": "1"}, "spec": spec}

    assert validate_node_update(node(["10.0.1.0/24"]), node()) == []  # assigned by the IPAM controller
    errs = validate_node_update(node(["10.0.2.0/24"]), node(["10.0.1.0/24"]))
    assert [str(e) for e in errs] == [
        'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid'
    ]
    assert validate_node_update(node(provider="aws:///i-1"), node()) == []
    errs = validate_node_update(node(provider="aws:///i-2"), node(provider="aws:///i-1"))
    assert [str(e) for e in errs] == [
        'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid'
    ]


def test_a_null_owner_reference_beside_two_controllers_is_a_field_error_not_a_crash() -> None:
    """A ``null`` in ``ownerReferences`` is "must be an object"; with two controller references beside it, the
    "Only one reference can have Controller set to true" message dumps the list as Go would (the null as a zero
    OwnerReference) instead of failing on it (found by a hypothesis test of the owner-reference shortcut)."""
    from k8smodel.api.validation import validate_owner_references

    ref = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "uid": "u1", "controller": True}
    errs = validate_owner_references([ref, dict(ref, name="other", uid="u2"), None], "metadata.ownerReferences")
    messages = [str(e) for e in errs]
    assert any("must be an object" in m for m in messages), messages
    assert any("Only one reference can have Controller set to true" in m for m in messages), messages
    assert any('v1.OwnerReference{APIVersion:"", Kind:""' in m for m in messages), messages
