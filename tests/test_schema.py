"""Tests for k8smodel.api.schema: manifests checked against the Kubernetes OpenAPI schema, offline.

Valid manifests are the kind people apply (a Deployment with probes, resources, env and volumes; a Service; an
HPA v2; RBAC; a Node and a Lease as the kubelet writes them). Invalid ones assert the exact upstream wording and
path of each error class (see the module docstring of k8smodel.api.schema for the sources). A cross-check against
the independent ``jsonschema`` validator confirms that one pass finds every error, and hypothesis feeds arbitrary
YAML-like data to show that validation never raises.

Validators are compiled once per test session (module-level cache, disk cache off) so the file stays fast.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import subprocess
import sys

import fastjsonschema
import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8smodel.api import schema
from k8smodel.api.field import ErrorType, FieldError
from k8smodel.api.schema import (
    KUBERNETES_VERSION,
    SCHEMA_KINDS,
    DecodeError,
    DecodeErrorType,
    validate_schema,
)
from k8smodel.kubelet.node_status import KUBELET_VERSION


@pytest.fixture(scope="module", autouse=True)
def _no_disk_cache():
    """Compile in memory only (shared by every test of this module); restore the default afterwards."""
    previous = schema.cache_dir()
    schema.set_cache_dir(None)
    yield
    schema.set_cache_dir(previous)


def load(text: str) -> dict:
    return yaml.safe_load(text)


def messages(obj: object) -> list[str]:
    return [str(e) for e in validate_schema(obj)]


# --- real-world manifests, one per kind -------------------------------------------------------------------------

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels: {app: web, app.kubernetes.io/name: web}
  annotations: {deployment.kubernetes.io/revision: "1"}
spec:
  replicas: 3
  revisionHistoryLimit: 10
  progressDeadlineSeconds: 600
  selector:
    matchLabels: {app: web}
    matchExpressions:
    - {key: tier, operator: In, values: [frontend]}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
  template:
    metadata:
      labels: {app: web, tier: frontend}
    spec:
      serviceAccountName: web
      terminationGracePeriodSeconds: 30
      nodeSelector: {kubernetes.io/os: linux}
      tolerations:
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector: {matchLabels: {app: web}}
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway,
         labelSelector: {matchLabels: {app: web}}}
      initContainers:
      - name: init
        image: busybox:1.36
        command: [sh, -c, "echo init"]
      containers:
      - name: web
        image: nginx:1.27
        imagePullPolicy: IfNotPresent
        args: ["--port", "8080"]
        ports:
        - {name: http, containerPort: 8080, protocol: TCP}
        env:
        - {name: MODE, value: production}
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        - name: CONFIG
          valueFrom: {configMapKeyRef: {name: web-config, key: config}}
        - name: MEMORY_LIMIT
          valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
        envFrom:
        - configMapRef: {name: web-env}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {cpu: 1, memory: 256Mi, ephemeral-storage: 1Gi}
        livenessProbe:
          httpGet: {path: /healthz, port: http, httpHeaders: [{name: X-Probe, value: "1"}]}
          initialDelaySeconds: 10
          periodSeconds: 10
        readinessProbe:
          tcpSocket: {port: 8080}
          periodSeconds: 5
        startupProbe:
          exec: {command: [cat, /tmp/ready]}
          failureThreshold: 30
        lifecycle:
          preStop: {exec: {command: [sleep, "5"]}}
        volumeMounts:
        - {name: config, mountPath: /etc/web, readOnly: true}
        - {name: cache, mountPath: /var/cache/nginx}
        securityContext:
          runAsNonRoot: true
          runAsUser: 1000
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
      - name: sidecar
        image: busybox:1.36
        resources: {requests: {cpu: 0.5, memory: 64Mi}}
      volumes:
      - name: config
        configMap: {name: web-config, items: [{key: config, path: web.conf}], defaultMode: 0644}
      - name: cache
        emptyDir: {sizeLimit: 1Gi}
      - name: data
        persistentVolumeClaim: {claimName: web-data}
status: {}
"""

POD = """
apiVersion: v1
kind: Pod
metadata:
  name: web-7d4b9c-abcde
  namespace: default
  labels: {app: web}
  ownerReferences:
  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9c, uid: 1b2c3d4e-0000-4000-8000-000000000000,
     controller: true, blockOwnerDeletion: true}
  creationTimestamp: null
spec:
  restartPolicy: Always
  nodeName: node-1
  priority: 0
  containers:
  - name: app
    image: registry.k8s.io/pause:3.10
    resources:
      requests: {cpu: 250m, memory: 64Mi}
      limits: {cpu: 2, memory: 1.5Gi}
    readinessProbe:
      httpGet: {path: /, port: 8080, scheme: HTTP}
status:
  phase: Running
  podIP: 10.244.1.7
  startTime: "2025-01-01T00:00:00Z"
  conditions:
  - {type: Ready, status: "True", lastTransitionTime: "2025-01-01T00:00:05Z"}
  containerStatuses:
  - name: app
    ready: true
    restartCount: 0
    image: registry.k8s.io/pause:3.10
    imageID: ""
    state: {running: {startedAt: "2025-01-01T00:00:03Z"}}
"""

REPLICASET = """
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-7d4b9c, labels: {app: web, pod-template-hash: 7d4b9c}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web, pod-template-hash: 7d4b9c}}
  template:
    metadata: {labels: {app: web, pod-template-hash: 7d4b9c}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
"""

SERVICE = """
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http, protocol: TCP, nodePort: 30080}
  - {name: metrics, port: 9090, targetPort: 9090}
  sessionAffinity: None
  ipFamilyPolicy: SingleStack
"""

NODE = """
apiVersion: v1
kind: Node
metadata:
  name: node-1
  labels: {kubernetes.io/hostname: node-1, topology.kubernetes.io/zone: zone-a}
spec:
  podCIDR: 10.244.1.0/24
  taints: [{key: node.kubernetes.io/unschedulable, effect: NoSchedule}]
status:
  capacity: {cpu: "4", memory: 16Gi, pods: "110"}
  allocatable: {cpu: 3800m, memory: 15Gi, pods: 110}
  conditions:
  - type: Ready
    status: "True"
    reason: KubeletReady
    lastHeartbeatTime: 2025-01-01T00:00:00Z
    lastTransitionTime: "2025-01-01T00:00:00Z"
  addresses: [{type: InternalIP, address: 192.168.0.11}, {type: Hostname, address: node-1}]
  nodeInfo:
    architecture: amd64
    bootID: ""
    containerRuntimeVersion: containerd://1.7.24
    kernelVersion: 6.1.0
    kubeProxyVersion: v1.32.0
    kubeletVersion: v1.32.0
    machineID: ""
    operatingSystem: linux
    osImage: Debian GNU/Linux 12
    systemUUID: ""
"""

NAMESPACE = """
apiVersion: v1
kind: Namespace
metadata: {name: team-a, labels: {kubernetes.io/metadata.name: team-a}}
spec: {finalizers: [kubernetes]}
status: {phase: Active}
"""

ENDPOINTSLICE = """
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc12
  labels: {kubernetes.io/service-name: web}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:
- addresses: [10.244.1.7]
  conditions: {ready: true, serving: true, terminating: false}
  nodeName: node-1
  zone: zone-a
  targetRef: {kind: Pod, name: web-7d4b9c-abcde, namespace: default}
"""

HPA = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
  - type: Pods
    pods:
      metric: {name: packets-per-second}
      target: {type: AverageValue, averageValue: 1k}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
      policies: [{type: Percent, value: 100, periodSeconds: 15}]
    scaleUp:
      selectPolicy: Max
      policies: [{type: Pods, value: 4, periodSeconds: 15}, {type: Percent, value: 100, periodSeconds: 15}]
"""

LEASE = """
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: node-1, namespace: kube-node-lease}
spec:
  holderIdentity: node-1
  leaseDurationSeconds: 40
  renewTime: "2025-01-01T00:00:10.000000Z"
"""

EVENT_V1 = """
apiVersion: v1
kind: Event
metadata: {name: web.181, namespace: default}
involvedObject: {kind: Pod, name: web-7d4b9c-abcde, namespace: default, apiVersion: v1}
reason: Scheduled
message: Successfully assigned default/web-7d4b9c-abcde to node-1
type: Normal
source: {component: default-scheduler}
firstTimestamp: "2025-01-01T00:00:00Z"
lastTimestamp: "2025-01-01T00:00:00Z"
count: 1
"""

EVENT_EVENTS_V1 = """
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: web.182, namespace: default}
eventTime: "2025-01-01T00:00:00.000000Z"
reportingController: default-scheduler
reportingInstance: default-scheduler-node-1
action: Binding
reason: Scheduled
regarding: {kind: Pod, name: web-7d4b9c-abcde, namespace: default}
note: Successfully assigned default/web-7d4b9c-abcde to node-1
type: Normal
"""

CONFIGMAP = """
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data:
  config: |
    listen 8080;
  mode: production
binaryData:
  logo.png: iVBORw0KGgo=
"""

SERVICEACCOUNT = """
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: default}
automountServiceAccountToken: false
imagePullSecrets: [{name: registry}]
"""

ROLE = """
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: default}
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
"""

ROLEBINDING = """
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods, namespace: default}
subjects:
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: web, namespace: default}
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
"""

CLUSTERROLE = """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {rbac.example.com/aggregate-to-monitoring: "true"}}]
rules:
- {apiGroups: [apps], resources: [deployments], verbs: ["*"]}
- {nonResourceURLs: [/healthz, "/metrics*"], verbs: [get]}
"""

CLUSTERROLEBINDING = """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: monitoring}
subjects: [{kind: Group, name: system:monitoring, apiGroup: rbac.authorization.k8s.io}]
roleRef: {kind: ClusterRole, name: monitoring, apiGroup: rbac.authorization.k8s.io}
"""

PRIORITYCLASS = """
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high-priority}
value: 1000000
globalDefault: false
preemptionPolicy: PreemptLowerPriority
description: "For the shop's checkout Pods."
"""

VALID = {
    "Deployment": DEPLOYMENT,
    "Pod": POD,
    "ReplicaSet": REPLICASET,
    "Service": SERVICE,
    "Node": NODE,
    "Namespace": NAMESPACE,
    "EndpointSlice": ENDPOINTSLICE,
    "HorizontalPodAutoscaler": HPA,
    "Lease": LEASE,
    "Event(v1)": EVENT_V1,
    "Event(events.k8s.io/v1)": EVENT_EVENTS_V1,
    "ConfigMap": CONFIGMAP,
    "ServiceAccount": SERVICEACCOUNT,
    "Role": ROLE,
    "RoleBinding": ROLEBINDING,
    "ClusterRole": CLUSTERROLE,
    "ClusterRoleBinding": CLUSTERROLEBINDING,
    "PriorityClass": PRIORITYCLASS,
}


def test_kubernetes_version_is_pinned():
    assert KUBERNETES_VERSION == "1.33"
    assert KUBELET_VERSION.startswith("v1.33.")  # validation and the version the model reports agree


def test_every_served_kind_has_a_valid_example():
    served = {(m["apiVersion"], m["kind"]) for m in map(load, VALID.values())}
    assert served == set(SCHEMA_KINDS)


def test_schema_kinds_name_the_definitions_of_their_group_version_kind():
    """The table agrees with the schemas' own ``x-kubernetes-group-version-kind``."""
    defs = schema._definitions()
    for (api_version, kind), name in SCHEMA_KINDS.items():
        group, _, version = api_version.rpartition("/")
        assert {"group": group, "kind": kind, "version": version} in defs[name]["x-kubernetes-group-version-kind"]


@pytest.mark.parametrize("name", VALID)
def test_valid_manifest_has_no_errors(name):
    assert validate_schema(load(VALID[name])) == []


def test_valid_list_of_manifests():
    items = [load(VALID[name]) for name in ("Deployment", "Service", "ConfigMap")]
    assert validate_schema({"apiVersion": "v1", "kind": "List", "items": items}) == []
    assert validate_schema({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}}) == []


def test_yaml_values_are_read_as_kubectl_sends_them():
    """Unquoted timestamps and !!binary are strings, integral floats integers, numeric map keys strings."""
    pod = load(POD)
    pod["metadata"]["annotations"] = {"built": dt.datetime(2025, 1, 1, tzinfo=dt.UTC), "day": dt.date(2025, 1, 1)}
    pod["metadata"]["labels"] = {1: "one", False: "no", 2.5: "x"}
    pod["metadata"]["creationTimestamp"] = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    pod["spec"]["containers"][0]["args"] = [b"binary-text"]
    pod["spec"]["priority"] = 3.0
    assert validate_schema(pod) == []


def test_int_or_string_and_quantity_accept_both_forms_and_null():
    dep = load(DEPLOYMENT)
    for surge in (1, "1", "25%", None, 0):
        dep["spec"]["strategy"]["rollingUpdate"]["maxSurge"] = surge
        assert validate_schema(dep) == []
    for cpu in ("100m", 1, 0.25, "1.5", None):
        dep["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"] = cpu
        assert validate_schema(dep) == []


# --- unknown fields: strict decoding ------------------------------------------------------------------------------


def test_unknown_field_at_the_top():
    dep = load(DEPLOYMENT)
    dep["specs"] = {}
    errors = validate_schema(dep)
    assert [str(e) for e in errors] == ['unknown field "specs"']
    assert isinstance(errors[0], DecodeError)
    assert (errors[0].type, errors[0].field, errors[0].type.reason) == (
        DecodeErrorType.UNKNOWN_FIELD,
        "specs",
        "BadRequest",
    )


def test_unknown_field_in_spec():
    dep = load(DEPLOYMENT)
    dep["spec"]["replicaz"] = 3
    assert messages(dep) == ['unknown field "spec.replicaz"']


def test_unknown_fields_deep_in_the_pod_template():
    dep = load(DEPLOYMENT)
    containers = dep["spec"]["template"]["spec"]["containers"]
    containers[0]["imagez"] = "nginx"
    containers[0]["livenessProbe"]["httpGet"]["paht"] = "/healthz"
    dep["spec"]["template"]["spec"]["volumes"][1]["emptyDir"]["medium "] = "Memory"
    assert messages(dep) == [
        'unknown field "spec.template.spec.containers[0].imagez"',
        'unknown field "spec.template.spec.containers[0].livenessProbe.httpGet.paht"',
        'unknown field "spec.template.spec.volumes[1].emptyDir.medium "',
    ]


def test_unknown_field_in_service_port_like_the_real_api_server():
    """Seen from a real cluster: ``strict decoding error: unknown field "spec.ports[0].nodeport"``."""
    svc = load(SERVICE)
    svc["spec"]["ports"][0]["nodeport"] = 30080
    assert messages(svc) == ['unknown field "spec.ports[0].nodeport"']


def test_unknown_field_with_a_non_string_key():
    cm = load(CONFIGMAP)
    cm[7] = "x"
    assert messages(cm) == ['unknown field "7"']


# --- wrong types: kube-openapi's InvalidType as field.TypeInvalid -----------------------------------------------


def test_wrong_type_string_for_integer():
    dep = load(DEPLOYMENT)
    dep["spec"]["replicas"] = "3"
    [error] = validate_schema(dep)
    assert (
        str(error) == 'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'
    )
    assert (error.type, error.field, error.value) == (ErrorType.INVALID, "spec.replicas", "string")


def test_wrong_type_map_for_list_and_boolean_for_string():
    dep = load(DEPLOYMENT)
    pod = dep["spec"]["template"]["spec"]
    pod["containers"][1]["image"] = True
    pod["tolerations"] = {"key": "x"}
    assert messages(dep) == [
        'spec.template.spec.containers[1].image: Invalid value: "boolean": '
        'spec.template.spec.containers[1].image in body must be of type string: "boolean"',
        'spec.template.spec.tolerations: Invalid value: "object": '
        'spec.template.spec.tolerations in body must be of type array: "object"',
    ]


def test_wrong_type_for_int_or_string_and_quantity():
    dep = load(DEPLOYMENT)
    dep["spec"]["strategy"]["rollingUpdate"]["maxSurge"] = [1]
    dep["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["cpu"] = {"cores": 1}
    assert messages(dep) == [
        'spec.strategy.rollingUpdate.maxSurge: Invalid value: "array": '
        'spec.strategy.rollingUpdate.maxSurge in body must be of type integer,string: "array"',
        'spec.template.spec.containers[0].resources.limits.cpu: Invalid value: "object": '
        'spec.template.spec.containers[0].resources.limits.cpu in body must be of type string,number: "object"',
    ]


def test_wrong_type_in_a_map_value_uses_a_dotted_key():
    dep = load(DEPLOYMENT)
    dep["metadata"]["labels"]["app.kubernetes.io/version"] = 2
    assert messages(dep) == [
        'metadata.labels.app.kubernetes.io/version: Invalid value: "integer": '
        'metadata.labels.app.kubernetes.io/version in body must be of type string: "integer"'
    ]


def test_fractional_number_for_integer_and_null_for_a_required_integer():
    svc = load(SERVICE)
    svc["spec"]["ports"][0]["port"] = None
    svc["spec"]["ports"][1]["port"] = 80.5
    assert messages(svc) == [
        'spec.ports[0].port: Invalid value: "null": spec.ports[0].port in body must be of type integer: "null"',
        'spec.ports[1].port: Invalid value: "number": spec.ports[1].port in body must be of type integer: "number"',
    ]


def test_numbers_beyond_int32_and_int64():
    dep = load(DEPLOYMENT)
    dep["spec"]["replicas"] = 2**32
    dep["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = -(2**31) - 1
    dep["metadata"]["generation"] = 2**64
    assert messages(dep) == [
        "metadata.generation: Invalid value: 18446744073709551616: "
        "metadata.generation in body should be less than or equal to 9223372036854775807",
        "spec.replicas: Invalid value: 4294967296: spec.replicas in body should be less than or equal to 2147483647",
        "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: -2147483649: "
        "spec.template.spec.containers[0].ports[0].containerPort in body should be greater than or equal to "
        "-2147483648",
    ]


def test_int_or_string_integer_is_an_int32():
    svc = load(SERVICE)
    svc["spec"]["ports"][1]["targetPort"] = 2**31
    assert messages(svc) == [
        "spec.ports[1].targetPort: Invalid value: 2147483648: "
        "spec.ports[1].targetPort in body should be less than or equal to 2147483647"
    ]


def test_bad_date_time_and_base64():
    cm = load(CONFIGMAP)
    cm["metadata"]["creationTimestamp"] = "yesterday"
    cm["binaryData"]["bad"] = "not base64!"
    assert messages(cm) == [
        'binaryData.bad: Invalid value: "not base64!": binaryData.bad in body must be of type byte: "not base64!"',
        'metadata.creationTimestamp: Invalid value: "yesterday": '
        'metadata.creationTimestamp in body must be of type date-time: "yesterday"',
    ]


# --- required fields ----------------------------------------------------------------------------------------------


def test_pod_without_containers():
    pod = load(POD)
    del pod["spec"]["containers"]
    [error] = validate_schema(pod)
    assert str(error) == "spec.containers: Required value"
    assert (error.type, error.field) == (ErrorType.REQUIRED, "spec.containers")


def test_deployment_without_selector_and_template():
    dep = load(DEPLOYMENT)
    del dep["spec"]["selector"], dep["spec"]["template"]
    assert messages(dep) == ["spec.selector: Required value", "spec.template: Required value"]


def test_required_fields_elsewhere():
    svc = load(SERVICE)
    del svc["spec"]["ports"][1]["port"]
    assert messages(svc) == ["spec.ports[1].port: Required value"]
    binding = load(ROLEBINDING)
    del binding["roleRef"], binding["subjects"][0]["name"]
    assert messages(binding) == ["roleRef: Required value", "subjects[0].name: Required value"]
    lease = load(ENDPOINTSLICE)
    del lease["addressType"]
    assert messages(lease) == ["addressType: Required value"]


# --- enum: only apiVersion and kind declare one; the mapping is upstream's EnumFailCode branch ------------------


def test_enum_failure_is_unsupported_value():
    found = fastjsonschema.JsonSchemaValueException(
        "data.spec.type must be one of ['A', 'B']",
        value="Foo",
        name="data.spec.type",
        definition={"enum": ["A", "B", 3]},
        rule="enum",
    )
    [error] = schema._field_errors([found], "")
    assert str(error) == 'spec.type: Unsupported value: "Foo": supported values: "A", "B", "3"'


# --- apiVersion and kind ------------------------------------------------------------------------------------------


def test_unknown_kind():
    errors = validate_schema({"apiVersion": "apps/v1", "kind": "Deploymnt", "metadata": {"name": "x"}})
    assert [str(e) for e in errors] == ['no matches for kind "Deploymnt" in version "apps/v1"']
    assert (errors[0].type, errors[0].type.reason) == (DecodeErrorType.NO_KIND_MATCH, "NotFound")


def test_unknown_api_version_and_unserved_kind():
    dep = load(DEPLOYMENT)
    dep["apiVersion"] = "apps/v1beta1"
    assert messages(dep) == ['no matches for kind "Deployment" in version "apps/v1beta1"']
    assert messages({"apiVersion": "v1", "kind": "Secret"}) == ['no matches for kind "Secret" in version "v1"']
    assert messages({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler"}) == [
        'no matches for kind "HorizontalPodAutoscaler" in version "autoscaling/v1"'
    ]


def test_missing_kind_and_api_version():
    assert messages({"apiVersion": "v1", "metadata": {"name": "a<b"}}) == [
        """Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"a\\u003cb"}}'"""
    ]
    assert messages({"kind": "Pod", "apiVersion": ""}) == [
        """Object 'apiVersion' is missing in '{"apiVersion":"","kind":"Pod"}'"""
    ]
    errors = validate_schema({"metadata": {"name": "x"}, "kind": None})
    assert [(e.type, e.field) for e in errors] == [
        (DecodeErrorType.MISSING_VERSION, "apiVersion"),
        (DecodeErrorType.MISSING_KIND, "kind"),
    ]
    assert messages(None) == ["Object 'apiVersion' is missing in 'null'", "Object 'Kind' is missing in 'null'"]


def test_unreadable_type_meta():
    assert messages({"apiVersion": "v1", "kind": 3}) == [
        "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind "
        "of type string"
    ]
    assert messages({"apiVersion": "apps/v1/x", "kind": "Deployment"}) == ["unexpected GroupVersion string: apps/v1/x"]
    assert messages(["apiVersion", "v1"]) == [
        "couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type "
        'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }'
    ]


# --- every error at once, in order -------------------------------------------------------------------------------


def test_every_error_at_once_sorted_by_path():
    dep = load(DEPLOYMENT)
    dep["spec"]["replicas"] = "three"
    dep["spec"]["replicaz"] = 3
    del dep["spec"]["selector"]
    containers = dep["spec"]["template"]["spec"]["containers"]
    containers.extend(copy.deepcopy(containers[1]) for _ in range(9))
    containers[10]["image"] = 10
    containers[2]["image"] = 2
    dep["metadata"]["namespace"] = ["default"]
    errors = validate_schema(dep)
    assert [e.field for e in errors] == [
        "metadata.namespace",
        "spec.replicas",
        "spec.replicaz",
        "spec.selector",
        "spec.template.spec.containers[2].image",
        "spec.template.spec.containers[10].image",
    ]
    assert all(isinstance(e, FieldError) for e in errors)


def test_list_items_are_validated_one_by_one():
    dep, svc = load(DEPLOYMENT), load(SERVICE)
    dep["spec"]["replicaz"] = 1
    svc["spec"]["ports"][0]["port"] = "80"
    manifest = {"apiVersion": "v1", "kind": "List", "items": [dep, svc, {"kind": "Pod"}, 7]}
    assert messages(manifest) == [
        'unknown field "items[0].spec.replicaz"',
        'items[1].spec.ports[0].port: Invalid value: "string": '
        'items[1].spec.ports[0].port in body must be of type integer: "string"',
        """Object 'apiVersion' is missing in '{"kind":"Pod"}'""",
        "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go value of type "
        'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }',
    ]
    assert [e.field for e in validate_schema(manifest)][2:] == ["items[2].apiVersion", "items[3]"]
    assert messages({"apiVersion": "v1", "kind": "List", "items": "none"}) == [
        'items: Invalid value: "string": items in body must be of type array: "string"'
    ]


def test_validation_changes_nothing():
    dep = load(DEPLOYMENT)
    dep["spec"]["replicaz"] = 3
    dep["metadata"]["labels"] = {1: dt.date(2025, 1, 1)}
    before = copy.deepcopy(dep)
    assert validate_schema(dep)
    assert dep == before


def test_self_containing_value_is_reported_not_followed():
    """``args: &a [*a]`` in YAML gives a list that contains itself; go-yaml refuses such an anchor."""
    pod = load(POD)
    args: list = []
    args.append(args)
    pod["spec"]["containers"][0]["args"] = args
    pod["spec"]["containers"][0]["imagez"] = 1
    errors = validate_schema(pod)
    assert [(e.type, e.field) for e in errors] == [
        (DecodeErrorType.YAML_TO_JSON, "spec.containers[0].args[0]"),
        (DecodeErrorType.UNKNOWN_FIELD, "spec.containers[0].imagez"),
    ]


# --- one pass finds every error: cross-check with the independent jsonschema validator ------------------------

_FORMAT_CHECKER = jsonschema.FormatChecker(formats=())
for _name, _pattern in schema._FORMATS.items():
    _FORMAT_CHECKER.checks(_name)(
        lambda value, _p=re.compile(_pattern): not isinstance(value, str) or bool(_p.match(value))
    )
_ORACLES: dict[str, jsonschema.Draft7Validator] = {}


def oracle_findings(obj: dict) -> set[tuple[str, str]]:
    """(path, class) of every error jsonschema finds in the same transformed schema."""
    definition = SCHEMA_KINDS[(obj["apiVersion"], obj["kind"])]
    if definition not in _ORACLES:
        _ORACLES[definition] = jsonschema.Draft7Validator(schema.schema_for(definition), format_checker=_FORMAT_CHECKER)
    found = set()
    for error in _ORACLES[definition].iter_errors(schema._json_like(obj, "", set(), [])):
        path = ""
        for step in error.absolute_path:
            path = f"{path}[{step}]" if isinstance(step, int) else (f"{path}.{step}" if path else step)
        if error.validator == "additionalProperties":
            found |= {
                (f"{path}.{k}" if path else k, "unknown") for k in error.instance if k not in error.schema["properties"]
            }
        elif error.validator == "required":
            missing = re.match(r"'(.*)' is a required property", error.message)[1]
            found.add((f"{path}.{missing}" if path else missing, "required"))
        else:
            found.add((path, "invalid"))
    return found


def model_findings(obj: dict) -> set[tuple[str, str]]:
    kinds = {DecodeErrorType.UNKNOWN_FIELD: "unknown", ErrorType.REQUIRED: "required", ErrorType.INVALID: "invalid"}
    return {(e.field, kinds[e.type]) for e in validate_schema(obj)}


def test_one_pass_finds_what_jsonschema_finds():
    dep = load(DEPLOYMENT)
    dep["spec"]["replicas"] = "three"
    dep["spec"]["replicaz"] = 3
    del dep["spec"]["template"]["spec"]["containers"][1]["name"]
    dep["spec"]["template"]["spec"]["volumes"][0]["configMap"]["items"][0]["mode"] = "0644"
    dep["spec"]["template"]["spec"]["containers"][0]["env"][1]["valueFrom"]["fieldRef"] = "metadata.name"
    dep["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"] = ["cpu"]
    dep["metadata"]["creationTimestamp"] = "2025-13-01T00:00:00Z"
    dep["status"] = {"replicas": 2**40, "conditions": [{"type": "Available"}]}
    found = model_findings(dep)
    assert found == oracle_findings(dep)
    assert len(found) == 9


# --- never raises: arbitrary YAML-like data ------------------------------------------------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
scalars |= st.integers(min_value=2**31 - 2, max_value=2**70) | st.dates() | st.binary(max_size=6)
keys = st.sampled_from(["spec", "metadata", "name", "containers", "image", "ports", "port", "x"]) | st.text(max_size=4)
any_key = keys | st.integers() | st.booleans()
yaml_like = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_key, inner, max_size=5),
    max_leaves=25,
)
headers = st.sampled_from([*sorted(SCHEMA_KINDS), ("v1", "List"), ("apps/v1", "Nope")])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headers, st.dictionaries(keys, yaml_like, max_size=6))
def test_arbitrary_data_never_raises(header, body):
    obj = {**body, "apiVersion": header[0], "kind": header[1]}
    errors = validate_schema(obj)
    assert all(isinstance(e, FieldError) and e.type != ErrorType.INTERNAL for e in errors)
    assert [str(e) for e in errors] == [str(e) for e in validate_schema(obj)]  # deterministic
    if header in SCHEMA_KINDS:
        assert model_findings(obj) == oracle_findings(obj)


def _containers(node: object, path: tuple = ()) -> list[tuple]:
    """Paths of every dict and list inside a manifest, the manifest itself first."""
    found = [path]
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(value, dict | list):
            found += _containers(value, (*path, key))
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(VALID)), st.data())
def test_mutated_real_manifests_never_raise_and_report_every_error(name, data):
    """Replace or add one value anywhere in a real manifest: errors as jsonschema finds them, never an exception."""
    obj = load(VALID[name])
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_containers(obj)))
        target = obj
        for step in path:
            target = target[step]
        if isinstance(target, dict):
            key = data.draw(st.sampled_from(sorted(target, key=str)) | any_key) if target else data.draw(any_key)
            target[key] = data.draw(yaml_like)
        elif target:
            target[data.draw(st.integers(0, len(target) - 1))] = data.draw(yaml_like)
    errors = validate_schema(obj)
    assert all(isinstance(e, FieldError) and e.type != ErrorType.INTERNAL for e in errors)
    header = (obj.get("apiVersion"), obj.get("kind"))
    if all(isinstance(part, str) for part in header) and header in SCHEMA_KINDS:
        assert model_findings(obj) == oracle_findings(obj)


@settings(max_examples=100, deadline=None)
@given(yaml_like)
def test_arbitrary_top_level_value_never_raises(value):
    assert all(e.type != ErrorType.INTERNAL for e in validate_schema(value))


# --- the disk cache --------------------------------------------------------------------------------------------------


def test_disk_cache_round_trip(tmp_path, monkeypatch):
    kind = ("v1", "ConfigMap")
    definition = SCHEMA_KINDS[kind]
    saved = dict(schema._validators)
    try:
        schema.set_cache_dir(tmp_path)
        schema._validators.pop(definition, None)
        schema.warm_up([kind])
        [stored] = tmp_path.glob(f"{definition}.*.marshal")

        def no_compiling(_definition):
            raise AssertionError("compiled although the disk cache has the validator")

        schema._validators.pop(definition)
        monkeypatch.setattr(schema, "_compile_code", no_compiling)
        assert validate_schema(load(CONFIGMAP)) == []
        monkeypatch.undo()

        stored.write_bytes(b"damaged")
        schema._validators.pop(definition)
        assert validate_schema(load(CONFIGMAP)) == []
        assert stored.read_bytes() != b"damaged"

        (tmp_path / f"{definition}.0000.marshal").write_bytes(b"stale")
        schema._validators.pop(definition)
        stored.unlink()
        schema.warm_up([kind])
        assert [p.name for p in tmp_path.glob("*.marshal")] == [stored.name]
    finally:
        schema.set_cache_dir(None)
        schema._validators.clear()
        schema._validators.update(saved)


def test_validating_a_manifest_does_not_import_jsonschema():
    """The model reads kubernetes-validate's schema files without importing the package, whose ``__init__`` imports
    jsonschema (seconds at import: it compiles a grammar)."""
    code = (
        "import sys; from k8smodel import Cluster; c = Cluster(seed=0);"
        "c.apply('apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: x}\\ndata: {a: b}\\n');"
        "print(sorted(m for m in ('jsonschema', 'kubernetes_validate') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
