"""Defaulting: the values the API server fills in when an object is decoded, before validation and storage.

A user writes ``replicas`` or ``imagePullPolicy`` or nothing at all; what ``kubectl get -o yaml`` shows afterwards
has ``replicas: 1``, ``strategy.rollingUpdate.maxSurge: 25%``, ``imagePullPolicy: Always`` and a dozen more fields
nobody typed. They come from the ``SetDefaults_*`` functions of each API group, which the generated
``SetObjectDefaults_*`` functions (``zz_generated.defaults.go``) call for every nested struct of an object: a
Deployment's ``spec.template.spec`` is defaulted like a Pod's spec, its containers like a Pod's containers.

Upstream sources, each cited again on the function that ports it:

- ``pkg/apis/apps/v1/defaults.go``: Deployment, ReplicaSet.
- ``pkg/apis/core/v1/defaults.go`` and ``zz_generated.defaults.go``: Pod, pod templates, Service, Namespace, Node,
  Secret, ConfigMap.
- ``pkg/util/parsers/parsers.go`` (``ParseImageName``) over ``github.com/distribution/reference``
  (``ParseNormalizedNamed``): the image reference grammar behind the ``imagePullPolicy`` default.
- ``pkg/apis/autoscaling/v2/defaults.go``: HorizontalPodAutoscaler.
- ``pkg/apis/rbac/v1/defaults.go``: RoleBinding, ClusterRoleBinding.
- ``pkg/apis/discovery/v1/defaults.go``: EndpointSlice.
- ``pkg/apis/scheduling/v1/defaults.go``: PriorityClass.

Kinds with no defaulting upstream: Event, ServiceAccount, Lease (``coordination.k8s.io/v1`` has no
``defaults.go``), Role, ClusterRole.

Objects are plain dicts in the Kubernetes JSON shape. ``apply_defaults`` never mutates its argument and never
raises: a field of the wrong type (``containers: "x"``, a port that is not a dict) is left exactly as it was,
because in the real API server such input is rejected by decoding or validation, not by defaulting. A JSON
``null`` where a struct belongs is treated as absent, as Go's decoder does (``spec: null`` decodes to an empty
spec, which is then defaulted). Go cannot tell an absent integer from ``0`` or an absent string from ``""`` for
non-pointer fields, so for those fields (probe thresholds, ``restartPolicy``, ...) ``0``/``""`` are defaulted too;
pointer fields (``replicas``, ``terminationGracePeriodSeconds``, ``minReplicas``, ...) keep an explicit ``0``.

What the model leaves out
-------------------------

- Quantities are stored in their canonical form (``0.5`` as ``500m``, ``1024Mi`` as ``1Gi``), as upstream's
  ``Quantity`` encodes them, and ResourceLists are rounded up to milli scale (``SetDefaults_ResourceList``) in
  containers, pod overhead, pod-level resources and Node capacity; not in the kinds the model does not serve
  (LimitRange, ResourceQuota, PersistentVolume(Claim)), nor in Pod status (``allocatedResources``, ``resources``).
- Pod-level resources (``spec.resources``, feature ``PodLevelResources``) get no defaults but the rounding above.
- Volume plugins the book never uses keep their fields as written: ISCSI, RBD, AzureDisk, ScaleIO, the
  ``image`` volume source, PersistentVolume(Claim) kinds; only emptyDir, hostPath, secret, configMap, downwardAPI,
  projected and ephemeral volumes are defaulted.
- ``spec.template`` host-network port defaulting (feature ``DefaultHostNetworkHostPortsInPodTemplates``, off by
  default) is not applied; a Pod's own ``hostNetwork`` ports are.
- HPA ``spec.selectionStrategy`` (newest upstream defaults it to ``LabelSelector`` behind an alpha feature gate) is
  not set.
- What the registry (not defaulting) fills in on create is not here: a Service's ``clusterIP``, ``clusterIPs``,
  ``ipFamilies`` and ``ipFamilyPolicy: SingleStack`` and node ports are allocated by the Service REST storage
  (``pkg/registry/core/service/storage``); a Namespace's ``spec.finalizers: [kubernetes]`` comes from its strategy's
  ``PrepareForCreate``; ``metadata.uid``, ``creationTimestamp``, ``generation`` likewise.
- ConfigMap: ``SetDefaults_ConfigMap`` makes ``data`` an empty map, which ``omitempty`` drops on encoding, so the
  stored JSON shows no change and neither does the model.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from typing import Any

from k8smodel.api.quantity import Quantity, QuantityError

# ---------------------------------------------------------------------------------------------------------------
# Small helpers that never raise on malformed input.
# ---------------------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _quantity_text(value: str | int | float, milli: bool) -> str | None:
    """The JSON a ``resource.Quantity`` field is stored as, or None if ``value`` is no quantity.

    Upstream decodes the field into a ``Quantity`` (``UnmarshalJSON``: the text, or a JSON number's digits, trimmed
    and ``ParseQuantity``'d) and encodes it back with ``String()``, the canonical form: ``0.5`` is stored as
    ``500m``, ``1024Mi`` as ``1Gi``, ``2`` (a number) as ``"2"``. With ``milli``, ``SetDefaults_ResourceList``
    first rounds it up to milli scale (``RoundUp(-3)``: ``0.0001`` becomes ``1m``), as every container's requests
    and limits, a Pod's overhead and a Node's capacity and allocatable are (``zz_generated.defaults.go``).
    """
    try:
        quantity = Quantity.parse(value.strip() if isinstance(value, str) else str(value))
    except QuantityError:
        return None  # validation names the field and the rule; defaulting leaves it as it is
    if milli:
        quantity = quantity.round_up(-3)[0]
    return quantity.string()


def _canonical_quantities(parent: Any, key: str, *, milli: bool = False) -> None:
    """Store each quantity of the map ``parent[key]`` (a ``ResourceList``) in its canonical form."""
    resources = parent.get(key) if isinstance(parent, dict) else None
    if not isinstance(resources, dict):
        return
    for name, value in resources.items():
        if type(value) in (str, int, float):
            text = _quantity_text(value, milli)
            if text is not None and text != value:
                resources[name] = text


def _canonical_quantity(parent: Any, key: str) -> None:
    """Store the single quantity ``parent[key]`` (``emptyDir.sizeLimit``, an HPA target's ``value``) canonically."""
    value = parent.get(key) if isinstance(parent, dict) else None
    if type(value) in (str, int, float):
        text = _quantity_text(value, False)
        if text is not None and text != value:
            parent[key] = text


# Values that copy.deepcopy returns as they are (immutable scalars).
_ATOMIC = frozenset({str, int, float, bool, type(None)})


def _copy_dict(value: dict) -> dict:
    """``copy.deepcopy`` of a JSON-shaped dict, specialised for dicts, lists and scalars (several times faster).

    Anything else inside (tuples, subclasses, custom objects) goes through ``copy.deepcopy`` itself. As with
    ``deepcopy``, keys are kept (they are strings) and the copy shares nothing mutable with the original.
    """
    result = value.copy()
    for k, v in result.items():
        t = type(v)
        if t is dict:
            result[k] = _copy_dict(v)
        elif t is list:
            result[k] = _copy_list(v)
        elif t not in _ATOMIC:
            result[k] = copy.deepcopy(v)
    return result


def _copy_list(value: list) -> list:
    """``_copy_dict`` for a list."""
    result = value.copy()
    for i, v in enumerate(result):
        t = type(v)
        if t is dict:
            result[i] = _copy_dict(v)
        elif t is list:
            result[i] = _copy_list(v)
        elif t not in _ATOMIC:
            result[i] = copy.deepcopy(v)
    return result


def _deepcopy(value: Any) -> Any:
    """A deep copy of ``value``: the fast path for JSON-shaped dicts, ``copy.deepcopy`` otherwise."""
    t = type(value)
    if t is dict:
        try:
            return _copy_dict(value)
        except RecursionError:  # a self-referencing or absurdly deep object: deepcopy's memo handles it
            return copy.deepcopy(value)
    if t is list:
        try:
            return _copy_list(value)
        except RecursionError:
            return copy.deepcopy(value)
    return copy.deepcopy(value)


def _struct(parent: dict, key: str) -> dict | None:
    """The struct ``parent[key]``, created if absent or null (Go's zero value); ``None`` if it is not a dict."""
    value = parent.get(key)
    if value is None:
        value = parent[key] = {}
    return value if isinstance(value, dict) else None


def _existing(parent: Any, key: str) -> dict | None:
    """``parent[key]`` if it is a dict (a non-nil pointer to a struct); ``None`` otherwise."""
    if not isinstance(parent, dict):
        return None
    value = parent.get(key)
    return value if isinstance(value, dict) else None


def _items(parent: Any, key: str) -> list[dict]:
    """The dict elements of the list ``parent[key]``; nothing if it is absent or not a list."""
    if not isinstance(parent, dict):
        return []
    value = parent.get(key)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def _unset_string(parent: dict, key: str) -> bool:
    """A non-pointer Go string that is empty: absent, null or ``""``."""
    return parent.get(key) in (None, "")


def _unset_int(parent: dict, key: str) -> bool:
    """A non-pointer Go integer that is zero: absent, null or ``0`` (``False`` is not an integer here)."""
    value = parent.get(key)
    return value is None or (type(value) is int and value == 0)


def _unset_pointer(parent: dict, key: str) -> bool:
    """A Go pointer that is nil: absent or null. An explicit ``0``/``false``/``""`` is kept."""
    return parent.get(key) is None


# ---------------------------------------------------------------------------------------------------------------
# Image references: pkg/util/parsers/parsers.go ParseImageName over distribution/reference.
# ---------------------------------------------------------------------------------------------------------------

# github.com/distribution/reference regexp.go
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_IPV6 = r"\[(?:[a-fA-F0-9:]+)\]"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|{_IPV6})(?::[0-9]+)?"
_NAME = rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
_REFERENCE = re.compile(rf"({_NAME})(?::({_TAG}))?(?:@({_DIGEST}))?", re.ASCII)
_IDENTIFIER = re.compile(r"[a-f0-9]{64}")
_DIGEST_HEX_LENGTH = {"sha256": 64, "sha384": 96, "sha512": 128}  # opencontainers/go-digest algorithms
_NAME_TOTAL_LENGTH_MAX = 255
DEFAULT_IMAGE_TAG = "latest"


class ImageReferenceError(ValueError):
    """An image string the reference grammar rejects; upstream's defaulting ignores it (tag "")."""


def _split_docker_domain(name: str) -> tuple[str, str]:
    """``splitDockerDomain``: ``nginx`` is ``docker.io/library/nginx``; ``localhost:5000/x`` keeps its host."""
    i = name.find("/")
    head = name[:i]
    if i == -1 or (not any(c in head for c in ".:") and head != "localhost" and head.lower() == head):
        domain, remainder = "docker.io", name
    else:
        domain, remainder = head, name[i + 1 :]
    if domain == "index.docker.io":
        domain = "docker.io"
    if domain == "docker.io" and "/" not in remainder:
        remainder = "library/" + remainder
    return domain, remainder


def parse_image_name(image: str) -> tuple[str, str, str]:
    """Split an image into ``(repository, tag, digest)``, with tag ``latest`` when neither tag nor digest is given.

    Upstream ``ParseImageName`` (``pkg/util/parsers/parsers.go``) on ``reference.ParseNormalizedNamed``:
    ``"nginx"`` gives ``("docker.io/library/nginx", "latest", "")``; ``"localhost:5000/x"`` gives
    ``("localhost:5000/x", "latest", "")`` (the ``:5000`` is a registry port, not a tag). Raises
    ``ImageReferenceError`` for what the grammar rejects (upper case in the path, empty string, bad digest).

    A pure function of the string, and the answer a tuple of strings: remembered for plain ``str`` images (every
    kubelet sync pulls or checks the same few images; ``lru_cache`` keeps no exception, so a bad name raises anew
    each time). Anything else takes the uncached way, with its ``ImageReferenceError``.
    """
    if type(image) is str:
        return _parse_image_name_cached(image)
    return _parse_image_name(image)


def _parse_image_name(image: str) -> tuple[str, str, str]:
    if not isinstance(image, str):
        raise ImageReferenceError("image is not a string")
    if _IDENTIFIER.fullmatch(image):
        raise ImageReferenceError(f"invalid repository name ({image}), cannot specify 64-byte hexadecimal strings")
    domain, remainder = _split_docker_domain(image)
    remote_name = remainder.split(":", 1)[0]
    if remote_name.lower() != remote_name:
        raise ImageReferenceError(f"invalid reference format: repository name ({remote_name}) must be lowercase")
    match = _REFERENCE.fullmatch(f"{domain}/{remainder}")
    if match is None:
        raise ImageReferenceError("invalid reference format")
    name, tag, digest = match.group(1), match.group(2) or "", match.group(3) or ""
    if len(name) > _NAME_TOTAL_LENGTH_MAX:
        raise ImageReferenceError(f"repository name must not be more than {_NAME_TOTAL_LENGTH_MAX} characters")
    if digest:
        algorithm, _, encoded = digest.partition(":")
        if algorithm not in _DIGEST_HEX_LENGTH:
            raise ImageReferenceError("unsupported digest algorithm")
        if len(encoded) != _DIGEST_HEX_LENGTH[algorithm] or not re.fullmatch(r"[a-f0-9]+", encoded):
            raise ImageReferenceError("invalid checksum digest format")
    if not tag and not digest:
        tag = DEFAULT_IMAGE_TAG
    return name, tag, digest


_parse_image_name_cached = functools.lru_cache(maxsize=1024)(_parse_image_name)


def default_image_pull_policy(image: Any) -> str:
    """``Always`` if the image's tag is ``latest`` (written or implied), ``IfNotPresent`` otherwise.

    Upstream ``SetDefaults_Container`` (``pkg/apis/core/v1/defaults.go``) ignores a parse error, so an image the
    grammar rejects (or no image at all) has tag ``""`` and gets ``IfNotPresent``; so does ``nginx@sha256:...``.
    """
    if type(image) is str:
        policy = _PULL_POLICY_CACHE.get(image)
        if policy is None:
            policy = _default_image_pull_policy(image)
            if len(_PULL_POLICY_CACHE) >= _PULL_POLICY_CACHE_MAX:
                _PULL_POLICY_CACHE.clear()
            _PULL_POLICY_CACHE[image] = policy
        return policy
    return _default_image_pull_policy(image)


_PULL_POLICY_CACHE: dict[str, str] = {}  # image -> policy: a pure function of the string, parsed once
_PULL_POLICY_CACHE_MAX = 4096


def _default_image_pull_policy(image: Any) -> str:
    try:
        _, tag, _ = parse_image_name(image)
    except ImageReferenceError:
        tag = ""
    return "Always" if tag == DEFAULT_IMAGE_TAG else "IfNotPresent"


# ---------------------------------------------------------------------------------------------------------------
# core/v1: containers, probes, volumes, pod specs.
# ---------------------------------------------------------------------------------------------------------------


def set_defaults_container(container: dict) -> None:
    """Upstream ``SetDefaults_Container`` plus what ``SetObjectDefaults_Pod`` calls for each container.

    ``pkg/apis/core/v1/defaults.go``: ``imagePullPolicy`` from the image tag, ``terminationMessagePath``
    ``/dev/termination-log``, ``terminationMessagePolicy: File``. ``zz_generated.defaults.go``: ports
    ``protocol: TCP`` (a declarative ``+default``), ``env[].valueFrom.fieldRef.apiVersion: v1``
    (``SetDefaults_ObjectFieldSelector``), probes (``SetDefaults_Probe``, ``SetDefaults_HTTPGetAction``, gRPC
    ``service: ""``) and lifecycle hooks' ``httpGet``.
    """
    # The helpers (_unset_string, _items, _existing) are inlined here: this runs for every container written.
    get = container.get
    value = get("imagePullPolicy")
    if value is None or value == "":
        container["imagePullPolicy"] = default_image_pull_policy(get("image", ""))
    value = get("terminationMessagePath")
    if value is None or value == "":
        container["terminationMessagePath"] = "/dev/termination-log"
    value = get("terminationMessagePolicy")
    if value is None or value == "":
        container["terminationMessagePolicy"] = "File"
    ports = get("ports")
    if isinstance(ports, list):
        for port in ports:
            if isinstance(port, dict):
                value = port.get("protocol")
                if value is None or value == "":
                    port["protocol"] = "TCP"
    env_list = get("env")
    if isinstance(env_list, list):
        for env in env_list:
            field_ref = _existing(_existing(env, "valueFrom"), "fieldRef")
            if field_ref is not None:
                set_defaults_object_field_selector(field_ref)
    for probe_name in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = get(probe_name)
        if probe is not None and isinstance(probe, dict):
            set_defaults_probe(probe)
    lifecycle = get("lifecycle")
    if lifecycle is not None and isinstance(lifecycle, dict):
        for hook_name in ("postStart", "preStop"):
            http_get = _existing(_existing(lifecycle, hook_name), "httpGet")
            if http_get is not None:
                set_defaults_http_get_action(http_get)
    resources = get("resources")
    if resources is not None and isinstance(resources, dict):
        _canonical_quantities(resources, "limits", milli=True)
        _canonical_quantities(resources, "requests", milli=True)


def set_defaults_object_field_selector(field_ref: dict) -> None:
    """Upstream ``SetDefaults_ObjectFieldSelector``: ``apiVersion: v1``."""
    if _unset_string(field_ref, "apiVersion"):
        field_ref["apiVersion"] = "v1"


_PROBE_DEFAULTS = (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3))


def set_defaults_probe(probe: dict) -> None:
    """Upstream ``SetDefaults_Probe``: timeout 1 s, period 10 s, success threshold 1, failure threshold 3.

    Also the probe's handler: ``SetDefaults_HTTPGetAction`` for ``httpGet`` and the declarative default
    ``grpc.service: ""`` (``zz_generated.defaults.go``). A ``0`` is defaulted, as Go cannot tell it from absent.
    """
    for key, value in _PROBE_DEFAULTS:
        current = probe.get(key)
        if current is None or (type(current) is int and current == 0):  # _unset_int, inlined
            probe[key] = value
    http_get = _existing(probe, "httpGet")
    if http_get is not None:
        set_defaults_http_get_action(http_get)
    grpc = _existing(probe, "grpc")
    if grpc is not None and _unset_pointer(grpc, "service"):
        grpc["service"] = ""


def set_defaults_http_get_action(action: dict) -> None:
    """Upstream ``SetDefaults_HTTPGetAction``: ``path: /``, ``scheme: HTTP``."""
    if _unset_string(action, "path"):
        action["path"] = "/"
    if _unset_string(action, "scheme"):
        action["scheme"] = "HTTP"


# Every member of VolumeSource (k8s.io/api/core/v1 types.go), for ptr.AllPtrFieldsNil in SetDefaults_Volume.
_VOLUME_SOURCES = frozenset(
    [
        "hostPath",
        "emptyDir",
        "gcePersistentDisk",
        "awsElasticBlockStore",
        "gitRepo",
        "secret",
        "nfs",
        "iscsi",
        "glusterfs",
        "persistentVolumeClaim",
        "rbd",
        "flexVolume",
        "cinder",
        "cephfs",
        "flocker",
        "downwardAPI",
        "fc",
        "azureFile",
        "configMap",
        "vsphereVolume",
        "quobyte",
        "azureDisk",
        "photonPersistentDisk",
        "projected",
        "portworxVolume",
        "scaleIO",
        "storageos",
        "csi",
        "ephemeral",
        "image",
    ]
)
_FILE_MODE_0644 = 0o644  # 420: SecretVolumeSourceDefaultMode, ConfigMapVolumeSourceDefaultMode, ...


def set_defaults_volume(volume: dict) -> None:
    """Upstream ``SetDefaults_Volume`` and the per-source defaults ``SetObjectDefaults_Pod`` calls.

    A volume with no source becomes ``emptyDir: {}``. ``hostPath.type: ""`` (``SetDefaults_HostPathVolumeSource``);
    ``defaultMode: 420`` (0644) for secret, configMap, downwardAPI and projected volumes; downward-API
    ``fieldRef.apiVersion: v1``; a projected service-account token's ``expirationSeconds: 3600``
    (``SetDefaults_ServiceAccountTokenProjection``); an ephemeral claim template's ``volumeMode: Filesystem``
    (``SetDefaults_PersistentVolumeClaimSpec``).
    """
    if all(volume.get(key) is None for key in _VOLUME_SOURCES):
        volume["emptyDir"] = {}
    _canonical_quantity(_existing(volume, "emptyDir"), "sizeLimit")
    host_path = _existing(volume, "hostPath")
    if host_path is not None and _unset_pointer(host_path, "type"):
        host_path["type"] = ""
    for source in ("secret", "configMap", "downwardAPI", "projected"):
        found = _existing(volume, source)
        if found is not None and _unset_pointer(found, "defaultMode"):
            found["defaultMode"] = _FILE_MODE_0644
    for item in _items(_existing(volume, "downwardAPI"), "items"):
        field_ref = _existing(item, "fieldRef")
        if field_ref is not None:
            set_defaults_object_field_selector(field_ref)
    for projection in _items(_existing(volume, "projected"), "sources"):
        for item in _items(_existing(projection, "downwardAPI"), "items"):
            field_ref = _existing(item, "fieldRef")
            if field_ref is not None:
                set_defaults_object_field_selector(field_ref)
        token = _existing(projection, "serviceAccountToken")
        if token is not None and _unset_pointer(token, "expirationSeconds"):
            token["expirationSeconds"] = 3600
    claim_spec = _existing(_existing(_existing(volume, "ephemeral"), "volumeClaimTemplate"), "spec")
    if claim_spec is not None and _unset_pointer(claim_spec, "volumeMode"):
        claim_spec["volumeMode"] = "Filesystem"


def set_defaults_pod_spec(spec: dict) -> None:
    """Upstream ``SetDefaults_PodSpec`` and its nested defaults, as ``SetObjectDefaults_PodTemplate`` applies them.

    ``pkg/apis/core/v1/defaults.go``: ``dnsPolicy: ClusterFirst``, ``restartPolicy: Always``,
    ``securityContext: {}``, ``terminationGracePeriodSeconds: 30``, ``schedulerName: default-scheduler``; then every
    volume (``set_defaults_volume``) and every init, regular and ephemeral container (``set_defaults_container``).
    This is all a Deployment's or ReplicaSet's ``spec.template.spec`` gets: ``enableServiceLinks`` and the rest of
    ``SetDefaults_Pod`` apply to Pods only (upstream keeps template defaults stable to avoid spurious rollouts).
    """
    if _unset_string(spec, "dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if _unset_string(spec, "restartPolicy"):
        spec["restartPolicy"] = "Always"
    if _unset_pointer(spec, "securityContext"):
        spec["securityContext"] = {}
    if _unset_pointer(spec, "terminationGracePeriodSeconds"):
        spec["terminationGracePeriodSeconds"] = 30
    if _unset_string(spec, "schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    for volume in _items(spec, "volumes"):
        set_defaults_volume(volume)
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in _items(spec, key):
            set_defaults_container(container)
    _canonical_quantities(spec, "overhead", milli=True)
    pod_resources = _existing(spec, "resources")  # pod-level resources (PodLevelResources)
    if pod_resources is not None:
        _canonical_quantities(pod_resources, "limits", milli=True)
        _canonical_quantities(pod_resources, "requests", milli=True)


def set_defaults_pod(pod: dict) -> None:
    """Upstream ``SetObjectDefaults_Pod``: ``SetDefaults_Pod`` then ``set_defaults_pod_spec``.

    ``SetDefaults_Pod`` (``pkg/apis/core/v1/defaults.go``): each container's (and init container's) requests default
    to its limits, resource by resource; ``enableServiceLinks: true``; with ``hostNetwork: true`` each container
    port's ``hostPort`` defaults to its ``containerPort``. ``status.phase`` is not defaulted (the kubelet reports it).
    """
    spec = _struct(pod, "spec")
    if spec is None:
        return
    for key in ("containers", "initContainers"):
        for container in _items(spec, key):
            resources = _existing(container, "resources")
            limits = _existing(resources, "limits")
            if resources is None or not limits:  # an empty map is dropped by omitempty: nothing to copy
                continue
            requests = resources.get("requests")
            if requests is None:
                requests = resources["requests"] = {}
            if isinstance(requests, dict):
                for name, value in limits.items():
                    if name not in requests:
                        requests[name] = value if type(value) in _ATOMIC else copy.deepcopy(value)
    if _unset_pointer(spec, "enableServiceLinks"):
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork") is True:
        for key in ("containers", "initContainers"):
            for container in _items(spec, key):
                for port in _items(container, "ports"):
                    if _unset_int(port, "hostPort"):
                        port["hostPort"] = port.get("containerPort", 0)
    set_defaults_pod_spec(spec)


def _set_defaults_template(spec: dict) -> None:
    """``SetObjectDefaults_Deployment``/``_ReplicaSet`` recursing into ``spec.template.spec``."""
    template = _struct(spec, "template")
    if template is None:
        return
    pod_spec = _struct(template, "spec")
    if pod_spec is not None:
        set_defaults_pod_spec(pod_spec)


# ---------------------------------------------------------------------------------------------------------------
# core/v1: Service, Namespace, Node, Secret.
# ---------------------------------------------------------------------------------------------------------------

DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS = 10800  # v1.DefaultClientIPServiceAffinitySeconds, 3 hours


def set_defaults_service(service: dict) -> None:
    """Upstream ``SetDefaults_Service`` (``pkg/apis/core/v1/defaults.go``).

    ``sessionAffinity: None`` (which clears ``sessionAffinityConfig``; ``ClientIP`` gets a 10800 s timeout),
    ``type: ClusterIP``, each port ``protocol: TCP`` and ``targetPort`` = ``port`` (an int) when unset, ``0`` or
    ``""``; ``externalTrafficPolicy: Cluster`` when externally accessible (NodePort, LoadBalancer, or ClusterIP
    with ``externalIPs``: ``pkg/api/v1/service/util.go ExternallyAccessible``); ``internalTrafficPolicy:
    Cluster`` for ClusterIP, NodePort and LoadBalancer (not ExternalName); ``allocateLoadBalancerNodePorts: true``
    and ``status.loadBalancer.ingress[].ipMode: VIP`` (for ingresses with an ``ip``) for LoadBalancer.

    Not set here: ``clusterIP``, ``clusterIPs``, ``ipFamilies``, ``ipFamilyPolicy`` (``SingleStack``) and node
    ports, which the Service registry allocates on create (``pkg/registry/core/service/storage``).
    """
    spec = _struct(service, "spec")
    if spec is None:
        return
    if _unset_string(spec, "sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    if spec["sessionAffinity"] == "ClientIP":
        config = spec.get("sessionAffinityConfig")
        client_ip = config.get("clientIP") if isinstance(config, dict) else None
        if not isinstance(client_ip, dict) or client_ip.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS}}
    if _unset_string(spec, "type"):
        spec["type"] = "ClusterIP"
    for port in _items(spec, "ports"):
        if _unset_string(port, "protocol"):
            port["protocol"] = "TCP"
        if _unset_string(port, "targetPort") or _unset_int(port, "targetPort"):
            number = port.get("port")
            if number is None or type(number) is int:  # IntOrString FromInt32(port); an absent port is 0
                port["targetPort"] = number or 0
    kind = spec["type"]
    externally_accessible = kind in ("LoadBalancer", "NodePort") or (
        kind == "ClusterIP" and isinstance(spec.get("externalIPs"), list) and len(spec["externalIPs"]) > 0
    )
    if externally_accessible and _unset_string(spec, "externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if _unset_pointer(spec, "internalTrafficPolicy") and kind in ("NodePort", "LoadBalancer", "ClusterIP"):
        spec["internalTrafficPolicy"] = "Cluster"
    if kind == "LoadBalancer":
        if _unset_pointer(spec, "allocateLoadBalancerNodePorts"):
            spec["allocateLoadBalancerNodePorts"] = True
        load_balancer = _existing(_existing(service, "status"), "loadBalancer")
        for ingress in _items(load_balancer, "ingress"):
            if ingress.get("ip") not in (None, "") and _unset_pointer(ingress, "ipMode"):
                ingress["ipMode"] = "VIP"


def set_defaults_namespace(namespace: dict) -> None:
    """Upstream ``SetDefaults_Namespace`` and ``SetDefaults_NamespaceStatus`` (``pkg/apis/core/v1/defaults.go``).

    A named namespace gets the label ``kubernetes.io/metadata.name: <name>`` (always overwritten, so it cannot lie);
    ``status.phase`` defaults to ``Active``. The Namespace strategy's ``PrepareForCreate``
    (``pkg/registry/core/namespace/strategy.go``) also sets ``status: {phase: Active}`` on every create, discarding
    a client-sent status, and adds the ``kubernetes`` finalizer: that belongs to the API server's create path, not
    to defaulting, and is not done here.
    """
    metadata = _existing(namespace, "metadata")
    name = metadata.get("name") if metadata is not None else None
    if isinstance(name, str) and name:
        labels = metadata.get("labels")
        if labels is None:
            labels = metadata["labels"] = {}
        if isinstance(labels, dict):
            labels["kubernetes.io/metadata.name"] = name
    status = _struct(namespace, "status")
    if status is not None and _unset_string(status, "phase"):
        status["phase"] = "Active"


def set_defaults_node(node: dict) -> None:
    """Upstream ``SetDefaults_NodeStatus``: ``status.allocatable`` defaults to a copy of ``status.capacity``."""
    status = _existing(node, "status")
    if status is not None and status.get("allocatable") is None and isinstance(status.get("capacity"), dict):
        status["allocatable"] = copy.deepcopy(status["capacity"])
    _canonical_quantities(status, "capacity", milli=True)
    _canonical_quantities(status, "allocatable", milli=True)


def set_defaults_secret(secret: dict) -> None:
    """Upstream ``SetDefaults_Secret``: ``type: Opaque``."""
    if _unset_string(secret, "type"):
        secret["type"] = "Opaque"


# ---------------------------------------------------------------------------------------------------------------
# apps/v1
# ---------------------------------------------------------------------------------------------------------------


def set_defaults_deployment(deployment: dict) -> None:
    """Upstream ``SetDefaults_Deployment`` (``pkg/apis/apps/v1/defaults.go``), then the pod template.

    ``replicas: 1``; ``strategy.type: RollingUpdate`` and, only for that type, ``rollingUpdate.maxUnavailable:
    25%`` and ``maxSurge: 25%``; ``revisionHistoryLimit: 10``; ``progressDeadlineSeconds: 600``.
    """
    spec = _struct(deployment, "spec")
    if spec is None:
        return
    if _unset_pointer(spec, "replicas"):
        spec["replicas"] = 1
    strategy = _struct(spec, "strategy")
    if strategy is not None:
        if _unset_string(strategy, "type"):
            strategy["type"] = "RollingUpdate"
        if strategy["type"] == "RollingUpdate":
            rolling = _struct(strategy, "rollingUpdate")
            if rolling is not None:
                if _unset_pointer(rolling, "maxUnavailable"):
                    rolling["maxUnavailable"] = "25%"
                if _unset_pointer(rolling, "maxSurge"):
                    rolling["maxSurge"] = "25%"
    if _unset_pointer(spec, "revisionHistoryLimit"):
        spec["revisionHistoryLimit"] = 10
    if _unset_pointer(spec, "progressDeadlineSeconds"):
        spec["progressDeadlineSeconds"] = 600
    _set_defaults_template(spec)


def set_defaults_replica_set(replica_set: dict) -> None:
    """Upstream ``SetDefaults_ReplicaSet`` (``pkg/apis/apps/v1/defaults.go``): ``replicas: 1``; then the template."""
    spec = _struct(replica_set, "spec")
    if spec is None:
        return
    if _unset_pointer(spec, "replicas"):
        spec["replicas"] = 1
    _set_defaults_template(spec)


# ---------------------------------------------------------------------------------------------------------------
# autoscaling/v2
# ---------------------------------------------------------------------------------------------------------------

DEFAULT_CPU_UTILIZATION = 80  # pkg/apis/autoscaling DefaultCPUUtilization


def default_hpa_scale_up_rules() -> dict:
    """Upstream ``defaultHPAScaleUpRules``: no stabilization, the larger of +4 pods or +100% per 15 s."""
    return {
        "stabilizationWindowSeconds": 0,
        "selectPolicy": "Max",
        "policies": [
            {"type": "Pods", "value": 4, "periodSeconds": 15},
            {"type": "Percent", "value": 100, "periodSeconds": 15},
        ],
    }


def default_hpa_scale_down_rules() -> dict:
    """Upstream ``defaultHPAScaleDownRules``: -100% per 15 s; the stabilization window is left unset.

    Upstream leaves ``stabilizationWindowSeconds`` nil on purpose: the controller then uses its
    ``--horizontal-pod-autoscaler-downscale-stabilization`` flag (default 300 s), which defaulting cannot know.
    """
    return {"selectPolicy": "Max", "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}


def _copy_hpa_scaling_rules(given: Any, defaults: dict) -> dict | Any:
    """Upstream ``copyHPAScalingRules``: the fields the user set win over the defaults, one by one."""
    if given is None:
        return defaults
    if not isinstance(given, dict):
        return given
    result = dict(given)
    for key in ("selectPolicy", "stabilizationWindowSeconds", "policies"):
        if given.get(key) is None:
            if key in defaults:
                result[key] = defaults[key]
            else:
                result.pop(key, None)
    return result


def set_defaults_horizontal_pod_autoscaler(hpa: dict) -> None:
    """Upstream ``SetDefaults_HorizontalPodAutoscaler`` (``pkg/apis/autoscaling/v2/defaults.go``).

    ``minReplicas: 1``; with no metrics, one: CPU at 80% average utilization. Then
    ``SetDefaults_HorizontalPodAutoscalerBehavior``: only when ``behavior`` is present (even ``{}``) are
    ``scaleUp`` and ``scaleDown`` filled field by field (``GenerateHPAScaleUpRules``/``...DownRules``); an HPA
    with no ``behavior`` keeps none, and the controller applies the same numbers itself.
    """
    spec = _struct(hpa, "spec")
    if spec is None:
        return
    if _unset_pointer(spec, "minReplicas"):
        spec["minReplicas"] = 1
    metrics = spec.get("metrics")
    if metrics is None or (isinstance(metrics, list) and not metrics):
        spec["metrics"] = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": DEFAULT_CPU_UTILIZATION},
                },
            }
        ]
    behavior = _existing(spec, "behavior")
    if behavior is not None:
        behavior["scaleUp"] = _copy_hpa_scaling_rules(behavior.get("scaleUp"), default_hpa_scale_up_rules())
        behavior["scaleDown"] = _copy_hpa_scaling_rules(behavior.get("scaleDown"), default_hpa_scale_down_rules())
    # Targets and current values are resource.Quantity: stored in the canonical form.
    for parent, metrics_key, values_key in (
        (spec, "metrics", "target"),
        (_existing(hpa, "status"), "currentMetrics", "current"),
    ):
        for metric in _items(parent, metrics_key):
            for source in ("resource", "containerResource", "pods", "object", "external"):
                values = _existing(_existing(metric, source), values_key)
                _canonical_quantity(values, "value")
                _canonical_quantity(values, "averageValue")


# ---------------------------------------------------------------------------------------------------------------
# rbac.authorization.k8s.io/v1, discovery.k8s.io/v1
# ---------------------------------------------------------------------------------------------------------------

RBAC_GROUP = "rbac.authorization.k8s.io"


def set_defaults_subject(subject: dict) -> None:
    """Upstream ``SetDefaults_Subject``: ``apiGroup`` for User and Group is the RBAC group, for ServiceAccount ""."""
    if _unset_string(subject, "apiGroup"):
        kind = subject.get("kind")
        if kind == "ServiceAccount":
            subject["apiGroup"] = ""
        elif kind in ("User", "Group"):
            subject["apiGroup"] = RBAC_GROUP


def set_defaults_role_binding(binding: dict) -> None:
    """Upstream ``SetDefaults_RoleBinding``/``SetDefaults_ClusterRoleBinding``: ``roleRef.apiGroup``; subjects."""
    role_ref = _struct(binding, "roleRef")
    if role_ref is not None and _unset_string(role_ref, "apiGroup"):
        role_ref["apiGroup"] = RBAC_GROUP
    for subject in _items(binding, "subjects"):
        set_defaults_subject(subject)


def set_defaults_endpoint_slice(endpoint_slice: dict) -> None:
    """Upstream ``SetDefaults_EndpointPort`` (``pkg/apis/discovery/v1/defaults.go``): ports' ``name: ""``, ``protocol:
    TCP``."""
    for port in _items(endpoint_slice, "ports"):
        if _unset_pointer(port, "name"):
            port["name"] = ""
        if _unset_pointer(port, "protocol"):
            port["protocol"] = "TCP"


PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority"  # core/v1 PreemptLowerPriority


def set_defaults_priority_class(priority_class: dict) -> None:
    """Upstream ``SetDefaults_PriorityClass`` (``pkg/apis/scheduling/v1/defaults.go``): ``preemptionPolicy:
    PreemptLowerPriority``."""
    if _unset_pointer(priority_class, "preemptionPolicy"):
        priority_class["preemptionPolicy"] = PREEMPT_LOWER_PRIORITY


# ---------------------------------------------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------------------------------------------

DEFAULTERS: dict[tuple[str, str], Callable[[dict], None]] = {
    ("v1", "Pod"): set_defaults_pod,
    ("v1", "Service"): set_defaults_service,
    ("v1", "Namespace"): set_defaults_namespace,
    ("v1", "Node"): set_defaults_node,
    ("v1", "Secret"): set_defaults_secret,
    ("apps/v1", "Deployment"): set_defaults_deployment,
    ("apps/v1", "ReplicaSet"): set_defaults_replica_set,
    ("autoscaling/v2", "HorizontalPodAutoscaler"): set_defaults_horizontal_pod_autoscaler,
    ("rbac.authorization.k8s.io/v1", "RoleBinding"): set_defaults_role_binding,
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): set_defaults_role_binding,
    ("discovery.k8s.io/v1", "EndpointSlice"): set_defaults_endpoint_slice,
    ("scheduling.k8s.io/v1", "PriorityClass"): set_defaults_priority_class,
}
"""The defaulting function of each (apiVersion, kind). Kinds not listed have nothing defaulted."""


def apply_defaults(obj: dict) -> dict:
    """A defaulted deep copy of ``obj``, as the API server's ``SetObjectDefaults_<Kind>`` leaves it on decode.

    The object is dispatched on its ``apiVersion`` and ``kind``; an unknown or missing pair, or a non-dict, comes
    back as an unchanged copy. The input is never mutated and nothing raises: fields of the wrong type are left as
    they are for validation to report.
    """
    return set_object_defaults(_deepcopy(obj))


def set_object_defaults(obj: Any) -> Any:
    """``apply_defaults`` without the copy: default ``obj`` in place and return it. For an object nobody else holds
    (the API server's own decoding of a request, such as the result of a merge patch)."""
    if type(obj) is not dict and not isinstance(obj, dict):
        return obj
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return obj
    defaulter = DEFAULTERS.get((api_version, kind))
    if defaulter is not None:
        defaulter(obj)
    return obj


def has_defaults(api_version: str, kind: str) -> bool:
    """Whether anything is defaulted for objects of this ``apiVersion`` and ``kind``."""
    return (api_version, kind) in DEFAULTERS


__all__ = [
    "DEFAULTERS",
    "DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS",
    "DEFAULT_CPU_UTILIZATION",
    "DEFAULT_IMAGE_TAG",
    "PREEMPT_LOWER_PRIORITY",
    "RBAC_GROUP",
    "ImageReferenceError",
    "apply_defaults",
    "default_hpa_scale_down_rules",
    "default_hpa_scale_up_rules",
    "default_image_pull_policy",
    "has_defaults",
    "parse_image_name",
    "set_defaults_container",
    "set_defaults_deployment",
    "set_defaults_endpoint_slice",
    "set_defaults_horizontal_pod_autoscaler",
    "set_defaults_namespace",
    "set_defaults_node",
    "set_defaults_pod",
    "set_defaults_pod_spec",
    "set_defaults_priority_class",
    "set_defaults_probe",
    "set_defaults_replica_set",
    "set_defaults_role_binding",
    "set_defaults_secret",
    "set_defaults_service",
    "set_defaults_subject",
    "set_defaults_volume",
    "set_object_defaults",
]
