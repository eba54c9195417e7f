"""Semantic validation: what the API server checks after the schema, worded exactly as the API server words it.

A manifest that passes the OpenAPI schema (types are right) and has been defaulted still has to pass each kind's
hand-written validation before it reaches etcd. :func:`validate` is that step for every kind the model serves;
:func:`invalid_message` is the message ``kubectl`` prints when it fails::

    errs = validate(deployment)          # a Deployment with spec.replicas: -1
    invalid_message(deployment, errs)
    # Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0

Upstream sources (each function below names the one it ports):

- ``staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go``: ``ValidateObjectMeta``,
  ``ValidateObjectMetaUpdate``, ``ValidateAnnotations``, ``ValidateOwnerReferences``, ``ValidateFinalizers``;
- ``staging/src/k8s.io/apimachinery/pkg/api/validation/generic.go``: ``NameIsDNSSubdomain``, ``NameIsDNSLabel``,
  ``NameIsDNS1035Label``, ``ValidateNonnegativeField``;
- ``pkg/apis/apps/validation/validation.go``: ``ValidateDeployment``, ``ValidateDeploymentSpec``,
  ``ValidateDeploymentStrategy``, ``ValidateRollingUpdateDeployment``, ``ValidateReplicaSet``,
  ``ValidateReplicaSetSpec``, ``ValidatePodTemplateSpecForReplicaSet``;
- ``pkg/registry/apps/deployment/strategy.go`` and ``pkg/registry/apps/replicaset/strategy.go``
  (``ValidateUpdate``: ``spec.selector`` is immutable in ``apps/v1``);
- ``pkg/apis/core/validation/validation.go``: ``ValidatePodSpec`` and its helpers, ``ValidatePodUpdate``,
  ``ValidateService``, ``ValidateNamespace``, ``ValidateNode``, ``ValidateConfigMap``, ...;
- ``pkg/apis/scheduling/validation/validation.go``: ``ValidatePriorityClass``, ``ValidatePriorityClassUpdate``,
  with ``IsKnownSystemPriorityClass`` from ``pkg/apis/scheduling/v1/helpers.go``;
- ``pkg/apis/autoscaling/validation/validation.go``, ``pkg/apis/rbac/validation/validation.go``,
  ``pkg/apis/coordination/validation/validation.go``, ``pkg/apis/discovery/validation/validation.go``;
- ``staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go``: ``NewInvalid`` (the message).

Objects are the plain JSON dicts of the API. Missing fields are read as Go's zero values of upstream's internal
types (``""``, ``0``, nil), since validation runs after defaulting: a manifest that skipped defaulting gets the
errors the API server would give a client that sent the zero value explicitly.

What the model leaves out
-------------------------

- Go's ``%#v`` of structs (``v1.LabelSelector{...}``, ``intstr.IntOrString{...}``) is rebuilt for the few structs
  that reach messages here; pointer addresses inside such structs print as ``0xc000000000``.
- Managed fields, ``metadata.generation`` decrement and ``resourceVersion`` checks on update (the model's API
  server owns those fields), ``deletionTimestamp`` finalizer rules.
- Pod spec: volume *sources* are only checked for "exactly one source"; security contexts, affinity, topology
  spread, tolerations, host aliases, DNS config, overhead, resize policy, ephemeral containers, sidecar
  (``restartPolicy: Always`` init containers) lifecycle rules, pod-level resources, OS-specific rules, sysctls,
  lifecycle hooks, and the feature-gated fields are not validated.
- Service: ``ValidateServiceClusterIPsRelatedFields`` (IP families, ``clusterIPs`` values), external IPs, session
  affinity config, load balancer source ranges and class, ``allocateLoadBalancerNodePorts``,
  ``externalTrafficPolicy``, ``internalTrafficPolicy``, ``trafficDistribution``, health-check node port rules and
  the topology annotations. Headless means ``clusterIP: None`` (upstream reads ``clusterIPs``, which the registry
  syncs from it); on update only ``validateUpgradeDowngradeClusterIPs``' "may not change once set" is modelled
  (not the ``ipFamilyPolicy`` downgrade rule nor ``validateUpgradeDowngradeIPFamilies``).
- Node: taints (reported at ``metadata.taints``, as upstream does), and on update ``podCIDRs`` and ``providerID``
  only from empty to a value; no node-specific annotations, status, resources or config source checks.
- Event: ``legacyValidateEvent`` only, as for a ``v1`` request (no ``events.k8s.io/v1`` strict checks, no
  ``series``), then the registry's generic metadata check; update is the meta update plus the same checks.
- Lease: ``strategy`` and ``preferredHolder`` (behind the ``CoordinatedLeaderElection`` gate) are not checked.
- EndpointSlice: object metadata and ``addressType`` only (no endpoints or ports).
- HPA: metrics and behavior; RBAC: the extra ``invalid label selector.`` error of ``aggregationRule``.
- Status updates (``/status`` subresource) are validated as upstream's status strategies do for Pods, Deployments
  and ReplicaSets (``ValidatePodStatusUpdate``, ``ValidateDeploymentStatusUpdate``, ``ValidateReplicaSetStatusUpdate``:
  metadata and status, not the spec); other kinds' status updates are validated as whole-object updates (upstream
  checks their status fields too: a Namespace's, an HPA's). Node status is right either way (upstream's node status
  strategy runs ``ValidateNodeUpdate``).
- ``ValidatePodUpdate``'s message ends with ``cmp.Diff(oldPod.Spec, mungedPodSpec)``; the model appends a short
  one-line-per-field diff of its own instead (the first line, up to the newline, is upstream's word for word).
- Go walks resource maps (``limits``, ``requests``, annotations) in random order; the model uses manifest order.
- A quantity that does not parse is a decoding error upstream (before validation); here it is an ``Invalid value``
  carrying ``ParseQuantity``'s message.
- A field of the wrong JSON type (the schema should have caught it) stops validation of that object with one
  ``Invalid value: ...: has the wrong type`` error instead of the full list.
- Services are named by ``NameIsDNS1035Label`` (upstream ``ValidateServiceName``), not DNS-1123.
- ObjectMeta, apps and pod-spec rules were ported from the upstream sources read for this module; the Service,
  Node, ConfigMap, ServiceAccount, HPA, RBAC, Lease, EndpointSlice and Event rules were re-checked rule by rule
  against the upstream functions named here (``pkg/apis/core/validation/events.go`` for Event).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Mapping
from typing import Any

from k8smodel.api.field import (
    FieldError,
    Verbatim,
    aggregate_message,
    child,
    duplicate,
    forbidden,
    go_quote,
    index,
    internal_error,
    invalid,
    key,
    not_found,
    not_supported,
    required,
    too_long,
)
from k8smodel.api.intstr import is_valid_percent as _is_valid_percent_uncached
from k8smodel.api.kinds import UnknownKind, kind_of
from k8smodel.api.labels import (
    SelectorError,
    _byte_len,
    _memoized,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    is_valid_label_value,
    label_selector_as_selector,
    max_len_error,
    regex_error,
    validate_label_selector,
    validate_labels,
)
from k8smodel.api.quantity import Quantity, QuantityError

Obj = Mapping[str, Any]
Errors = list[FieldError]

# --- messages (generic.go, objectmeta.go) ------------------------------------------------------------------------

IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0"
FIELD_IMMUTABLE_ERROR_MSG = "field is immutable"
TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10)  # 256 kB


# A pure function of the string (a regex match): remembered, as every Deployment repeats "25%".
is_valid_percent = functools.lru_cache(maxsize=1024)(_is_valid_percent_uncached)

# --- reading Go zero values out of dicts -------------------------------------------------------------------------


def _m(obj: Any, name: str) -> dict[str, Any]:
    """A sub-object, ``{}`` when missing or null (Go's zero struct)."""
    # Plain dicts first: isinstance() against the Mapping ABC is slow, and every object here is a dict.
    value = obj.get(name) if type(obj) is dict or isinstance(obj, Mapping) else None
    if value is None:
        return {}
    if type(value) is not dict and not isinstance(value, Mapping):
        raise _Shape(name, value)
    return value  # type: ignore[return-value]


def _s(obj: Any, name: str) -> str:
    """A string field, ``""`` when missing."""
    value = obj.get(name) if type(obj) is dict or isinstance(obj, Mapping) else None
    if value is None:
        return ""
    if type(value) is not str and not isinstance(value, str):
        raise _Shape(name, value)
    return value


def _i(obj: Any, name: str, default: int = 0) -> int:
    """An integer field, 0 (or ``default``) when missing."""
    value = obj.get(name) if type(obj) is dict or isinstance(obj, Mapping) else None
    if value is None:
        return default
    if type(value) is int:
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Shape(name, value)
    return value


def _l(obj: Any, name: str) -> list[Any]:
    """A list field, ``[]`` when missing."""
    value = obj.get(name) if type(obj) is dict or isinstance(obj, Mapping) else None
    if value is None:
        return []
    if type(value) is not list and not isinstance(value, list):
        raise _Shape(name, value)
    return value


class _Shape(Exception):
    """A field of the wrong type: the schema should have caught it; reported as ``Invalid value``."""

    def __init__(self, name: str, value: object) -> None:
        super().__init__(name)
        self.name = name
        self.value = value


def _go_map(value: Mapping[str, str] | None) -> object:
    """``%#v`` of a ``map[string]string``: nil prints ``map[string]string(nil)``."""
    return Verbatim("map[string]string(nil)") if value is None else dict(value)


def _go_label_selector(selector: Obj) -> Verbatim:
    """``%#v`` of a ``*metav1.LabelSelector`` as ``ErrorBody`` prints it (the pointer dereferenced)."""
    ml = selector.get("matchLabels")
    me = selector.get("matchExpressions")
    labels = "map[string]string(nil)" if ml is None else _sharp_map(ml)
    if me is None:
        exprs = "[]v1.LabelSelectorRequirement(nil)"
    else:
        items = []
        for e in me:
            vals = e.get("values")
            vtext = "[]string(nil)" if vals is None else "[]string{" + ", ".join(go_quote(v) for v in vals) + "}"
            items.append(
                f"v1.LabelSelectorRequirement{{Key:{go_quote(e.get('key', ''))}, "
                f"Operator:{go_quote(e.get('operator', ''))}, Values:{vtext}}}"
            )
        exprs = "[]v1.LabelSelectorRequirement{" + ", ".join(items) + "}"
    return Verbatim(f"v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}")


def _sharp_map(value: Mapping[str, str]) -> str:
    items = ", ".join(f"{go_quote(k)}:{go_quote(value[k])}" for k in sorted(value))
    return f"map[string]string{{{items}}}"


def _go_intstr(value: object) -> Verbatim:
    """``%#v`` of an ``intstr.IntOrString`` (its ``String()`` has a pointer receiver, so Go prints the struct)."""
    if isinstance(value, str):
        return Verbatim(f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(value)}}}")
    return Verbatim(f'intstr.IntOrString{{Type:0, IntVal:{value}, StrVal:""}}')


# --- generic.go ------------------------------------------------------------------------------------------------


def _mask_trailing_dash(name: str) -> str:
    """Upstream ``maskTrailingDash`` (sic: it drops two characters and adds ``a``)."""
    if name.endswith("-"):
        return name[:-2] + "a"
    return name


_DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
_DNS1035_LABEL_ERR = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
    "start with an alphabetic character, and end with an alphanumeric character"
)
_DNS1035_LABEL_RE = re.compile(_DNS1035_LABEL_FMT)


@_memoized
def is_dns1035_label(value: str) -> list[str]:
    """Upstream ``IsDNS1035Label`` (``util/validation/validation.go``): Service names."""
    errs = []
    if _byte_len(value) > 63:
        errs.append(max_len_error(63))
    if not _DNS1035_LABEL_RE.fullmatch(value):
        errs.append(regex_error(_DNS1035_LABEL_ERR, _DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def name_is_dns_subdomain(name: str, prefix: bool) -> list[str]:
    """Upstream ``NameIsDNSSubdomain``: most kinds' names."""
    return is_dns1123_subdomain(_mask_trailingDash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool) -> list[str]:
    """Upstream ``NameIsDNSLabel`` (= ``ValidateNamespaceName``)."""
    return is_dns1123_label(_mask_trailingDash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool) -> list[str]:
    """Upstream ``NameIsDNS1035Label`` (= ``ValidateServiceName``)."""
    return is_dns1035_label(_mask_trailingDash(name) if prefix else name)


_mask_trailingDash = _mask_trailing_dash


def is_valid_path_segment_name(name: str, prefix: bool) -> list[str]:
    """Upstream ``path.ValidatePathSegmentName`` (``apimachinery/pkg/api/validation/path/name.go``): RBAC names."""
    if not prefix and name in (".", ".."):
        return [f"may not be '{name}'"]
    errs = []
    for illegal in ("/", "%"):
        if illegal in name:
            errs.append(f"may not contain '{illegal}'")
    return errs


def validate_nonnegative_field(value: int, path: str) -> Errors:
    """Upstream ``ValidateNonnegativeField``."""
    return [invalid(path, value, IS_NEGATIVE_ERROR_MSG)] if value < 0 else []


def validate_immutable_field(new: object, old: object, path: str) -> Errors:
    """Upstream ``ValidateImmutableField`` (``apiequality.Semantic.DeepEqual``)."""
    return [] if new == old else [invalid(path, new, FIELD_IMMUTABLE_ERROR_MSG)]


# --- objectmeta.go ---------------------------------------------------------------------------------------------


def validate_annotations(annotations: Mapping[str, Any] | None, path: str) -> Errors:
    """Upstream ``ValidateAnnotations``: keys are qualified names (case-insensitive), total size at most 256 KiB."""
    errs: Errors = []
    annotations = annotations or {}
    total = 0
    for k, v in annotations.items():  # (plain loops: no generator per key; the errors in the same order)
        msgs = is_qualified_name(k.lower())
        if msgs:
            errs.extend(invalid(path, k, msg) for msg in msgs)
        total += _byte_len(k) + _byte_len(v if type(v) is str or isinstance(v, str) else str(v))
    if total > TOTAL_ANNOTATION_SIZE_LIMIT_B:
        errs.append(too_long(path, "", TOTAL_ANNOTATION_SIZE_LIMIT_B))
    return errs


def _complete_owner_reference(ref: Obj) -> bool:
    """Whether ``ref`` is the common, valid reference (``validateOwnerReference`` finds nothing wrong with it): four
    non-empty strings, a non-empty version, not a v1 Event."""
    api_version, kind, name, uid = ref.get("apiVersion"), ref.get("kind"), ref.get("name"), ref.get("uid")
    return bool(
        type(api_version) is str
        and type(kind) is str
        and type(name) is str
        and type(uid) is str
        and api_version
        and kind
        and name
        and uid
        and api_version.count("/") <= 1
        and api_version[0] != "/"
        and api_version[-1] != "/"
        and not (kind == "Event" and api_version == "v1")
    )


def _validate_owner_reference(ref: Obj, path: str) -> Errors:
    """Upstream ``validateOwnerReference``."""
    if _complete_owner_reference(ref):
        return []
    errs: Errors = []
    api_version = _s(ref, "apiVersion")
    kind = _s(ref, "kind")
    # schema.FromAPIVersionAndKind: "group/version" or "version"; more slashes give an empty version.
    parts = api_version.split("/")
    if len(parts) == 1:
        group, version = "", parts[0]
    elif len(parts) == 2:
        group, version = parts
    else:
        group, version = "", ""
    if not version:
        errs.append(invalid(child(path, "apiVersion"), api_version, "version must not be empty"))
    if not kind:
        errs.append(invalid(child(path, "kind"), kind, "must not be empty"))
    if not _s(ref, "name"):
        errs.append(invalid(child(path, "name"), _s(ref, "name"), "must not be empty"))
    if not _s(ref, "uid"):
        errs.append(invalid(child(path, "uid"), _s(ref, "uid"), "must not be empty"))
    if (group, version, kind) == ("", "v1", "Event"):
        errs.append(invalid(path, Verbatim(_go_owner_ref(ref)), "/v1, Kind=Event is disallowed from being an owner"))
    return errs


def _go_owner_ref(ref: Obj) -> str:
    if type(ref) is not dict and not isinstance(ref, Mapping):
        ref = {}  # (already reported as "must be an object"): Go's zero OwnerReference in the list's dump

    def ptr(name: str, typ: str) -> str:
        return f"({typ})(nil)" if ref.get(name) is None else f"({typ})(0xc000000000)"

    return (
        f"v1.OwnerReference{{APIVersion:{go_quote(_s(ref, 'apiVersion'))}, Kind:{go_quote(_s(ref, 'kind'))}, "
        f"Name:{go_quote(_s(ref, 'name'))}, UID:{go_quote(_s(ref, 'uid'))}, Controller:{ptr('controller', '*bool')}, "
        f"BlockOwnerDeletion:{ptr('blockOwnerDeletion', '*bool')}}}"
    )


def validate_owner_references(refs: list[Any], path: str) -> Errors:
    """Upstream ``ValidateOwnerReferences``: each reference complete, at most one ``controller: true``."""
    errs: Errors = []
    first_controller = ""
    for ref in refs:
        if type(ref) is not dict and not isinstance(ref, Mapping):
            errs.append(invalid(path, ref, "must be an object"))
            continue
        errs.extend(_validate_owner_reference(ref, path))
        if ref.get("controller") is True:
            current = f"{_s(ref, 'kind')}/{_s(ref, 'name')}"
            if first_controller:
                errs.append(
                    invalid(
                        path,
                        Verbatim("[]v1.OwnerReference{" + ", ".join(_go_owner_ref(r) for r in refs) + "}"),
                        'Only one reference can have Controller set to true. Found "true" in references for '
                        f"{first_controller} and {current}",
                    )
                )
            else:
                first_controller = current
    return errs


def validate_finalizers(finalizers: list[Any], path: str) -> Errors:
    """Upstream ``ValidateFinalizers`` / ``ValidateFinalizerName``."""
    errs: Errors = []
    for f in finalizers:
        errs.extend(invalid(path, f, msg) for msg in is_qualified_name(f))
    if "orphan" in finalizers and "foregroundDeletion" in finalizers:
        errs.append(invalid(path, list(finalizers), "finalizer orphan and foregroundDeletion cannot be both set"))
    return errs


NameFn = Callable[[str, bool], list[str]]


def validate_object_meta(meta: Obj, namespaced: bool, name_fn: NameFn, path: str = "metadata") -> Errors:
    """Upstream ``ValidateObjectMeta`` → ``ValidateObjectMetaAccessor`` and its common part."""
    errs: Errors = []
    generate_name = _s(meta, "generateName")
    name = _s(meta, "name")
    if generate_name:
        errs.extend(invalid(child(path, "generateName"), generate_name, m) for m in name_fn(generate_name, True))
    if not name:
        errs.append(required(child(path, "name"), "name or generateName is required"))
    else:
        msgs = name_fn(name, False)
        if msgs:  # (the generator and the path only for an error)
            errs.extend(invalid(child(path, "name"), name, msg) for msg in msgs)
    common = _validate_object_meta_common(meta, namespaced, path)
    if common:
        errs.extend(common)
    return errs


def _validate_object_meta_common(meta: Obj, namespaced: bool, path: str) -> Errors:
    errs: Errors = []
    namespace = _s(meta, "namespace")
    if namespaced:
        if not namespace:
            errs.append(required(child(path, "namespace")))
        else:
            msgs = name_is_dns_label(namespace, False)
            if msgs:
                errs.extend(invalid(child(path, "namespace"), namespace, m) for m in msgs)
    elif namespace:
        errs.append(forbidden(child(path, "namespace"), "not allowed on this type"))
    if type(meta) is not dict or meta.get("generation") is not None:  # (a missing one is _i's 0: nothing to check)
        generation = _i(meta, "generation")
        if generation < 0:  # validate_nonnegative_field, with the path built only for the error
            errs.append(invalid(child(path, "generation"), generation, IS_NEGATIVE_ERROR_MSG))
    rest = _meta_labels_annotations_owners_finalizers(meta, path)
    if rest:
        errs.extend(rest)
    return errs


def _meta_labels_annotations_owners_finalizers(meta: Obj, path: str) -> Errors:
    # Each validator gives no errors for an empty section, so absent sections skip it (and its path).
    if type(meta) is dict:  # the usual shapes, read at once (anything else goes the general way, below)
        labels, annotations = meta.get("labels"), meta.get("annotations")
        owners, finalizers = meta.get("ownerReferences"), meta.get("finalizers")
        if (
            (labels is None or type(labels) is dict)
            and (annotations is None or type(annotations) is dict)
            and (owners is None or type(owners) is list)
            and (finalizers is None or type(finalizers) is list)
        ):
            errs = validate_labels(labels, child(path, "labels")) if labels else []
            if annotations:
                errs.extend(validate_annotations(annotations, child(path, "annotations")))
            # One complete reference (a Lease's Node, a Pod's ReplicaSet) has nothing to report: no error of its own
            # and no second controller reference to clash with. Anything else goes through the validator.
            if owners and not (len(owners) == 1 and type(owners[0]) is dict and _complete_owner_reference(owners[0])):
                errs.extend(validate_owner_references(owners, child(path, "ownerReferences")))
            if finalizers:
                errs.extend(validate_finalizers(finalizers, child(path, "finalizers")))
            return errs
    labels = _m(meta, "labels")
    errs = validate_labels(labels, child(path, "labels")) if labels else []
    annotations = _m(meta, "annotations")
    if annotations:
        errs.extend(validate_annotations(annotations, child(path, "annotations")))
    owners = _l(meta, "ownerReferences")
    if owners:
        errs.extend(validate_owner_references(owners, child(path, "ownerReferences")))
    finalizers = _l(meta, "finalizers")
    if finalizers:
        errs.extend(validate_finalizers(finalizers, child(path, "finalizers")))
    return errs


def validate_object_meta_update(new: Obj, old: Obj, path: str = "metadata") -> Errors:
    """Upstream ``ValidateObjectMetaUpdate`` → ``ValidateObjectMetaAccessorUpdate``.

    Left out: ``resourceVersion`` must be specified and ``generation`` must not decrease (the model's API server
    sets both), and the no-new-finalizers rule for objects being deleted.
    """
    errs: Errors = []
    for name in _IMMUTABLE_META:  # each path is built only for an error
        value = new.get(name)
        other = old.get(name)
        if value is not other and (value or "") != (other or ""):  # (the same object: equal, nothing to compare)
            errs.append(invalid(child(path, name), value or "", FIELD_IMMUTABLE_ERROR_MSG))
    grace = new.get("deletionGracePeriodSeconds")
    if grace != old.get("deletionGracePeriodSeconds"):
        errs.append(invalid(child(path, "deletionGracePeriodSeconds"), grace, FIELD_IMMUTABLE_ERROR_MSG))
    rest = _meta_labels_annotations_owners_finalizers(new, path)
    if not errs:
        return rest  # (a new list of its own)
    errs.extend(rest)
    return errs


_IMMUTABLE_META = ("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp")


# --- util/validation/validation.go primitives not in labels.py ---------------------------------------------------


def inclusive_range_error(lo: int, hi: int) -> str:
    """Upstream ``InclusiveRangeError``."""
    return f"must be between {lo} and {hi}, inclusive"


def is_valid_port_num(port: int) -> list[str]:
    """Upstream ``IsValidPortNum``: 1-65535."""
    return [] if 1 <= port <= 65535 else [inclusive_range_error(1, 65535)]


_PORT_NAME_CHARSET = re.compile("[-a-z0-9]+")
_PORT_NAME_ONE_LETTER = re.compile("[a-z]")


@_memoized
def is_valid_port_name(port: str) -> list[str]:
    """Upstream ``IsValidPortName``: an IANA_SVC_NAME (RFC 6335 section 5.1)."""
    errs = []
    if _byte_len(port) > 15:
        errs.append(max_len_error(15))
    if not _PORT_NAME_CHARSET.fullmatch(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _PORT_NAME_ONE_LETTER.search(port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def _has_ch_dir_prefix(value: str) -> list[str]:
    """Upstream ``hasChDirPrefix``."""
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


_ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
_ENV_VAR_NAME_ERR = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
    "and must not start with a digit"
)
_ENV_VAR_NAME_RE = re.compile(_ENV_VAR_NAME_FMT)


@_memoized
def is_env_var_name(value: str) -> list[str]:
    """Upstream ``IsEnvVarName``."""
    errs = []
    if not _ENV_VAR_NAME_RE.fullmatch(value):
        errs.append(regex_error(_ENV_VAR_NAME_ERR, _ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"))
    return errs + _has_ch_dir_prefix(value)


_CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
_CONFIG_MAP_KEY_ERR = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
_CONFIG_MAP_KEY_RE = re.compile(_CONFIG_MAP_KEY_FMT)


@_memoized
def is_config_map_key(value: str) -> list[str]:
    """Upstream ``IsConfigMapKey``."""
    errs = []
    if _byte_len(value) > 253:
        errs.append(max_len_error(253))
    if not _CONFIG_MAP_KEY_RE.fullmatch(value):
        errs.append(regex_error(_CONFIG_MAP_KEY_ERR, _CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    return errs + _has_ch_dir_prefix(value)


def _is_valid_percent(value: str) -> list[str]:
    """Upstream ``IsValidPercent``."""
    if is_valid_percent(value):
        return []
    return [
        regex_error("a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%", "1%", "93%")
    ]


# --- apps: Deployment and ReplicaSet (pkg/apis/apps/validation/validation.go) -------------------------------------


def validate_positive_int_or_percent(value: object, path: str) -> Errors:
    """Upstream ``ValidatePositiveIntOrPercent``."""
    if isinstance(value, str):
        return [invalid(path, _go_intstr(value), msg) for msg in _is_valid_percent(value)]
    if isinstance(value, int) and not isinstance(value, bool):
        return validate_nonnegative_field(value, path)
    return [invalid(path, value, "must be an integer or percentage (e.g '5%%')")]


def _get_percent_value(value: object) -> tuple[int, bool]:
    if not isinstance(value, str) or not is_valid_percent(value):
        return 0, False
    return int(value[:-1]), True


def _get_int_or_percent_value(value: object) -> int:
    """Upstream ``getIntOrPercentValue`` (``IntValue()`` of a non-numeric string is 0)."""
    number, is_percent = _get_percent_value(value)
    if is_percent:
        return number
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return 0
    return 0


def is_not_more_than_100_percent(value: object, path: str) -> Errors:
    """Upstream ``IsNotMoreThan100Percent``."""
    number, is_percent = _get_percent_value(value)
    if not is_percent or number <= 100:
        return []
    return [invalid(path, _go_intstr(value), "must not be greater than 100%")]


def validate_rolling_update_deployment(rolling: Obj, path: str) -> Errors:
    """Upstream ``ValidateRollingUpdateDeployment``."""
    max_unavailable = rolling.get("maxUnavailable", 0)
    max_surge = rolling.get("maxSurge", 0)
    errs = validate_positive_int_or_percent(max_unavailable, child(path, "maxUnavailable"))
    errs += validate_positive_int_or_percent(max_surge, child(path, "maxSurge"))
    if _get_int_or_percent_value(max_unavailable) == 0 and _get_int_or_percent_value(max_surge) == 0:
        errs.append(
            invalid(child(path, "maxUnavailable"), _go_intstr(max_unavailable), "may not be 0 when `maxSurge` is 0")
        )
    errs += is_not_more_than_100_percent(max_unavailable, child(path, "maxUnavailable"))
    return errs


def validate_deployment_strategy(strategy: Obj, path: str) -> Errors:
    """Upstream ``ValidateDeploymentStrategy``."""
    kind = _s(strategy, "type")
    rolling = strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [forbidden(child(path, "rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind == "RollingUpdate":
        if rolling is None:
            return [required(child(path, "rollingUpdate"), "this should be defaulted and never be nil")]
        return validate_rolling_update_deployment(_m(strategy, "rollingUpdate"), child(path, "rollingUpdate"))
    ru = "(*apps.RollingUpdateDeployment)(nil)" if rolling is None else "(*apps.RollingUpdateDeployment)(0xc000000000)"
    value = Verbatim(f"apps.DeploymentStrategy{{Type:{go_quote(kind)}, RollingUpdate:{ru}}}")
    return [not_supported(path, value, ["Recreate", "RollingUpdate"])]


def _validate_selector_strict(spec: Obj, path: str) -> Errors:
    """The selector block shared by ``ValidateDeploymentSpec`` and ``ValidateReplicaSetSpec``."""
    selector = spec.get("selector")
    if selector is None:
        return [required(child(path, "selector"))]
    selector = _m(spec, "selector")
    errs = validate_label_selector(selector, child(path, "selector"))
    if len(selector.get("matchLabels") or {}) + len(selector.get("matchExpressions") or []) == 0:
        errs.append(
            invalid(child(path, "selector"), _go_label_selector(selector), "empty selector is invalid for deployment")
        )
    return errs


def _validate_template_for_selector(spec: Obj, path: str) -> Errors:
    """``LabelSelectorAsSelector`` then upstream ``ValidatePodTemplateSpecForReplicaSet``."""
    selector_obj = spec.get("selector")
    try:
        selector = label_selector_as_selector(_m(spec, "selector") if selector_obj is not None else None)
    except (SelectorError, ValueError):
        return [invalid(child(path, "selector"), _go_label_selector(_m(spec, "selector")), "invalid label selector")]
    template = spec.get("template")
    tpath = child(path, "template")
    if template is None:
        return [required(tpath)]
    template = _m(spec, "template")
    errs: Errors = []
    tmeta = _m(template, "metadata")
    tlabels = tmeta.get("labels")
    if not selector.empty() and not selector.matches(tlabels or {}):
        errs.append(
            invalid(child(tpath, "metadata", "labels"), _go_map(tlabels), "`selector` does not match template `labels`")
        )
    errs += validate_pod_template_spec(template, tpath)
    tspec = _m(template, "spec")
    restart = _s(tspec, "restartPolicy")
    if restart != "Always":
        errs.append(not_supported(child(tpath, "spec", "restartPolicy"), restart, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(
            forbidden(
                child(tpath, "spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in ReplicaSet is not Supported"
            )
        )
    return errs


def validate_pod_template_spec(template: Obj, path: str) -> Errors:
    """Upstream ``ValidatePodTemplateSpec``: labels, annotations, then the pod spec."""
    meta = _m(template, "metadata")
    labels = _m(meta, "labels")
    errs = validate_labels(labels, child(path, "labels")) if labels else []
    annotations = _m(meta, "annotations")
    if annotations:  # no errors for none
        errs += validate_annotations(annotations, child(path, "annotations"))
    errs += validate_pod_spec(_m(template, "spec"), child(path, "spec"))
    return errs


def validate_deployment_spec(spec: Obj, path: str = "spec") -> Errors:
    """Upstream ``ValidateDeploymentSpec``."""
    # validate_nonnegative_field inlined: the paths are built only for errors.
    errs: Errors = []
    replicas = _i(spec, "replicas")
    if replicas < 0:
        errs.append(invalid(child(path, "replicas"), replicas, IS_NEGATIVE_ERROR_MSG))
    errs += _validate_selector_strict(spec, path)
    errs += _validate_template_for_selector(spec, path)
    errs += validate_deployment_strategy(_m(spec, "strategy"), child(path, "strategy"))
    min_ready = _i(spec, "minReadySeconds")
    if min_ready < 0:
        errs.append(invalid(child(path, "minReadySeconds"), min_ready, IS_NEGATIVE_ERROR_MSG))
    if spec.get("revisionHistoryLimit") is not None:
        limit = _i(spec, "revisionHistoryLimit")
        if limit < 0:
            errs.append(invalid(child(path, "revisionHistoryLimit"), limit, IS_NEGATIVE_ERROR_MSG))
    if spec.get("progressDeadlineSeconds") is not None:
        pds = _i(spec, "progressDeadlineSeconds")
        if pds < 0:
            errs.append(invalid(child(path, "progressDeadlineSeconds"), pds, IS_NEGATIVE_ERROR_MSG))
        if pds <= min_ready:
            errs.append(invalid(child(path, "progressDeadlineSeconds"), pds, "must be greater than minReadySeconds"))
    return errs


def validate_replica_set_spec(spec: Obj, path: str = "spec") -> Errors:
    """Upstream ``ValidateReplicaSetSpec``."""
    errs = validate_nonnegative_field(_i(spec, "replicas"), child(path, "replicas"))
    errs += validate_nonnegative_field(_i(spec, "minReadySeconds"), child(path, "minReadySeconds"))
    errs += _validate_selector_strict(spec, path)
    errs += _validate_template_for_selector(spec, path)
    return errs


def _selector_immutable(new: Obj, old: Obj) -> Errors:
    """``pkg/registry/apps/{deployment,replicaset}/strategy.go`` ``ValidateUpdate``: apps/v1 selectors are immutable."""
    ns, os_ = _m(new, "spec").get("selector"), _m(old, "spec").get("selector")
    if _norm_selector(ns) == _norm_selector(os_):
        return []
    return [invalid("spec.selector", _go_label_selector(ns or {}), FIELD_IMMUTABLE_ERROR_MSG)]


def _norm_selector(sel: Any) -> Any:
    if not isinstance(sel, Mapping):
        return sel
    return {"matchLabels": sel.get("matchLabels") or {}, "matchExpressions": sel.get("matchExpressions") or []}


# --- core: pod spec (pkg/apis/core/validation/validation.go) ------------------------------------------------------

_VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs", "iscsi",
    "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "quobyte", "cinder", "cephfs", "downwardAPI", "fc",
    "azureFile", "vsphereVolume", "azureDisk", "photonPersistentDisk", "portworxVolume", "projected", "scaleIO",
    "configMap", "storageos", "csi", "ephemeral", "image",
)  # fmt: skip


def validate_dns1123_label(value: str, path: str) -> Errors:
    """Upstream ``ValidateDNS1123Label``."""
    return [invalid(path, value, msg) for msg in is_dns1123_label(value)]


def _validate_volume_source(vol: Obj, path: str) -> Errors:
    """Upstream ``validateVolumeSource``, reduced to "exactly one volume type"."""
    present = [name for name in _VOLUME_SOURCES if vol.get(name) is not None]
    if not present:
        return [required(path, "must specify a volume type")]
    return [forbidden(child(path, name), "may not specify more than 1 volume type") for name in present[1:]]


def validate_volumes(volumes: list[Any], path: str) -> tuple[set[str], Errors]:
    """Upstream ``ValidateVolumes``: names are unique DNS-1123 labels; each volume has one source."""
    names: set[str] = set()
    errs: Errors = []
    for i, vol in enumerate(volumes):
        ipath = index(path, i)
        name_path = child(ipath, "name")
        el = _validate_volume_source(vol, ipath)
        name = _s(vol, "name")
        if not name:
            el.append(required(name_path))
        else:
            el += validate_dns1123_label(name, name_path)
        if name in names:
            el.append(duplicate(name_path, name))
        if el:
            errs += el
        else:
            names.add(name)
    return names, errs


def validate_container_ports(ports: list[Any], path: str) -> Errors:
    """Upstream ``validateContainerPorts``."""
    errs: Errors = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        ipath = index(path, i)
        name = _s(port, "name")
        if name:
            msgs = is_valid_port_name(name)
            if msgs:
                errs += [invalid(child(ipath, "name"), name, m) for m in msgs]
            elif name in names:
                errs.append(duplicate(child(ipath, "name"), name))
            else:
                names.add(name)
        cport = _i(port, "containerPort")
        if cport == 0:
            errs.append(required(child(ipath, "containerPort")))
        else:
            errs += [invalid(child(ipath, "containerPort"), cport, m) for m in is_valid_port_num(cport)]
        hport = _i(port, "hostPort")
        if hport != 0:
            errs += [invalid(child(ipath, "hostPort"), hport, m) for m in is_valid_port_num(hport)]
        protocol = _s(port, "protocol")
        if not protocol:
            errs.append(required(child(ipath, "protocol")))
        elif protocol not in ("SCTP", "TCP", "UDP"):
            errs.append(not_supported(child(ipath, "protocol"), protocol, ["SCTP", "TCP", "UDP"]))
    return errs


def validate_env(env: list[Any], path: str) -> Errors:
    """Upstream ``ValidateEnv`` (and the source count of ``validateEnvVarValueFrom``)."""
    errs: Errors = []
    for i, ev in enumerate(env):
        ipath = index(path, i)
        name = _s(ev, "name")
        if not name:
            errs.append(required(child(ipath, "name")))
        else:
            errs += [invalid(child(ipath, "name"), name, m) for m in is_env_var_name(name)]
        value_from = ev.get("valueFrom")
        if value_from is not None:
            vpath = child(ipath, "valueFrom")
            sources = [
                k
                for k in ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")
                if value_from.get(k) is not None
            ]
            if not sources:
                errs.append(
                    invalid(
                        vpath,
                        "",
                        "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                    )
                )
            elif _s(ev, "value"):
                errs.append(invalid(vpath, "", "may not be specified when `value` is not empty"))
            elif len(sources) > 1:
                errs.append(invalid(vpath, "", "may not have more than one field specified at a time"))
    return errs


def validate_volume_mounts(mounts: list[Any], volumes: set[str], path: str) -> Errors:
    """Upstream ``ValidateVolumeMounts``: each mount names a volume of the pod; mount paths are unique."""
    errs: Errors = []
    mount_points: set[str] = set()
    for i, mnt in enumerate(mounts):
        ipath = index(path, i)
        name = _s(mnt, "name")
        if not name:
            errs.append(required(child(ipath, "name")))
        if name not in volumes:
            errs.append(not_found(child(ipath, "name"), name))
        mount_path = _s(mnt, "mountPath")
        if not mount_path:
            errs.append(required(child(ipath, "mountPath")))
        if mount_path in mount_points:
            errs.append(invalid(child(ipath, "mountPath"), mount_path, "must be unique"))
        mount_points.add(mount_path)
        if _s(mnt, "subPath") and _s(mnt, "subPathExpr"):
            errs.append(
                invalid(
                    child(ipath, "subPathExpr"),
                    _s(mnt, "subPathExpr"),
                    "subPathExpr and subPath are mutually exclusive",
                )
            )
    return errs


def _is_native_resource(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _is_overcommit_allowed(name: str) -> bool:
    """Upstream ``helper.IsOvercommitAllowed``: native resources except huge pages."""
    return _is_native_resource(name) and not name.startswith("hugepages-")


def _is_standard_container_resource(name: str) -> bool:
    return name in ("cpu", "memory", "ephemeral-storage") or name.startswith("hugepages-")


def _validate_container_resource_name(name: str, path: str) -> Errors:
    """Upstream ``validateContainerResourceName``."""
    errs = [invalid(path, name, m) for m in is_qualified_name(name)]
    if errs:
        return errs
    if "/" not in name:
        if not _is_standard_container_resource(name):
            errs.append(invalid(path, name, "must be a standard resource for containers"))
    elif not _is_native_resource(name) and (name.startswith("requests.") or "kubernetes.io/" in name):
        errs.append(invalid(path, name, "doesn't follow extended resource name standard"))
    return errs


def _quantity(value: object, path: str) -> tuple[Quantity | None, Errors]:
    text = value if isinstance(value, str) else str(value) if isinstance(value, int | float) else None
    if text is None or isinstance(value, bool):
        return None, [invalid(path, value, "must be a quantity")]
    try:
        return Quantity.parse(text), []
    except QuantityError as err:
        return None, [invalid(path, value, err.message)]


def _validate_resource_quantity_value(name: str, q: Quantity, path: str) -> Errors:
    """Upstream ``ValidateResourceQuantityValue``."""
    errs: Errors = []
    if q.sign() < 0:
        errs.append(invalid(path, str(q), IS_NEGATIVE_ERROR_MSG))
    if not _is_native_resource(name) and q.milli_value() % 1000 != 0:
        errs.append(invalid(path, str(q), "must be an integer"))
    return errs


def _resource_entry_uncached(path: str, name: str, value: object) -> tuple[Errors, Quantity | None]:
    """One ``limits``/``requests`` entry: the name's errors, the quantity's, and the parsed quantity (or None)."""
    kpath = key(path, name)
    errs = _validate_container_resource_name(name, kpath)
    q, qerrs = _quantity(value, kpath)
    errs += qerrs
    if q is not None:
        errs += _validate_resource_quantity_value(name, q, kpath)
    return errs, q


_RESOURCE_ENTRIES: dict[tuple[str, str, str], tuple[tuple[FieldError, ...], Quantity | None]] = {}
_RESOURCE_ENTRIES_MAX = 4096


def _resource_entry(path: str, name: object, value: object) -> tuple[tuple[FieldError, ...] | Errors, Quantity | None]:
    """``_resource_entry_uncached``, remembered for string names and values (a pure function of the three;
    field errors and quantities are immutable). Every object written repeats the same few ``cpu: 100m``."""
    if type(name) is not str or type(value) is not str or type(path) is not str:
        return _resource_entry_uncached(path, name, value)  # type: ignore[arg-type]
    cache_key = (path, name, value)
    found = _RESOURCE_ENTRIES.get(cache_key)
    if found is None:
        entry_errs, q = _resource_entry_uncached(path, name, value)
        found = (tuple(entry_errs), q)
        if len(_RESOURCE_ENTRIES) >= _RESOURCE_ENTRIES_MAX:
            _RESOURCE_ENTRIES.clear()
        _RESOURCE_ENTRIES[cache_key] = found
    return found


def validate_container_resource_requirements(resources: Obj, path: str) -> Errors:
    """Upstream ``ValidateContainerResourceRequirements`` → ``validateResourceRequirements``.

    Go walks the two maps in random order; the model walks them in manifest order.
    """
    errs: Errors = []
    lim_path, req_path = child(path, "limits"), child(path, "requests")
    limits: dict[str, Quantity] = {}
    for name, value in _m(resources, "limits").items():
        entry_errs, q = _resource_entry(lim_path, name, value)
        if entry_errs:
            errs += entry_errs
        if q is not None:
            limits[name] = q
    for name, value in _m(resources, "requests").items():
        entry_errs, q = _resource_entry(req_path, name, value)
        if entry_errs:
            errs += entry_errs
        if q is None:
            continue
        limit = limits.get(name)
        if limit is not None:
            if q.cmp(limit) != 0 and not _is_overcommit_allowed(name):
                errs.append(invalid(req_path, str(q), f"must be equal to {name} limit of {limit}"))
            elif q.cmp(limit) > 0:
                errs.append(invalid(req_path, str(q), f"must be less than or equal to {name} limit of {limit}"))
        elif not _is_overcommit_allowed(name) and name not in _m(resources, "limits"):
            errs.append(required(lim_path, "Limit must be set for non overcommitable resources"))
    return errs


def validate_port_num_or_name(port: object, path: str) -> Errors:
    """Upstream ``ValidatePortNumOrName``."""
    if isinstance(port, bool) or port is None:
        return [invalid(path, port, "must be an integer or a port name")]
    if isinstance(port, int):
        return [invalid(path, port, m) for m in is_valid_port_num(port)]
    if isinstance(port, str):
        return [invalid(path, port, m) for m in is_valid_port_name(port)]
    return [invalid(path, port, "must be an integer or a port name")]


def _port_num_or_name_errors(port: object) -> bool:
    """Whether ``validate_port_num_or_name`` reports anything (checked first, so the path is built only then)."""
    if type(port) is int:
        return not 1 <= port <= 65535
    if type(port) is str:
        return bool(is_valid_port_name(port))
    return True  # other types: let validate_port_num_or_name decide (and raise, if it does)


def _validate_handler(handler: Obj, path: str, kinds: tuple[str, ...]) -> Errors:
    """Upstream ``validateHandler``: exactly one handler type."""
    errs: Errors = []
    count = 0
    for kind in kinds:
        action = handler.get(kind)
        if action is None:
            continue
        if count > 0:
            errs.append(forbidden(child(path, kind), "may not specify more than 1 handler type"))
            continue
        count += 1
        if kind == "exec":
            if not _l(action, "command"):
                errs.append(required(child(path, kind, "command")))
        elif kind == "httpGet":
            if not _s(action, "path"):
                errs.append(required(child(path, kind, "path")))
            port = action.get("port")
            if _port_num_or_name_errors(port):
                errs += validate_port_num_or_name(port, child(path, kind, "port"))
            scheme = _s(action, "scheme")
            if scheme != "HTTP" and scheme != "HTTPS":
                errs.append(not_supported(child(path, kind, "scheme"), scheme, ["HTTP", "HTTPS"]))
        elif kind == "tcpSocket":
            port = action.get("port")
            if _port_num_or_name_errors(port):
                errs += validate_port_num_or_name(port, child(path, kind, "port"))
        elif kind == "grpc":
            errs += validate_port_num_or_name(_i(action, "port"), child(path, kind, "port"))
    if count == 0:
        errs.append(required(path, "must specify a handler type"))
    return errs


def validate_probe(probe: Obj, path: str) -> Errors:
    """Upstream ``validateProbe``."""
    errs = _validate_handler(probe, path, ("exec", "httpGet", "tcpSocket", "grpc"))
    for name in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        value = _i(probe, name)
        if value < 0:  # validate_nonnegative_field, with the path built only for the error
            errs.append(invalid(child(path, name), value, IS_NEGATIVE_ERROR_MSG))
    tgps = probe.get("terminationGracePeriodSeconds")
    if tgps is not None and _i(probe, "terminationGracePeriodSeconds") <= 0:
        errs.append(invalid(child(path, "terminationGracePeriodSeconds"), tgps, "must be greater than 0"))
    return errs


def _validate_probes(ctr: Obj, path: str) -> Errors:
    """Upstream ``validateLivenessProbe``, ``validateReadinessProbe``, ``validateStartupProbe``."""
    errs: Errors = []
    for name in ("livenessProbe", "readinessProbe", "startupProbe"):
        if ctr.get(name) is None:
            continue
        probe = _m(ctr, name)
        errs += validate_probe(probe, child(path, name))
        if name == "readinessProbe":
            if probe.get("terminationGracePeriodSeconds") is not None:
                errs.append(
                    invalid(
                        child(path, name, "terminationGracePeriodSeconds"),
                        probe["terminationGracePeriodSeconds"],
                        "must not be set for readinessProbes",
                    )
                )
        elif _i(probe, "successThreshold") != 1:
            errs.append(invalid(child(path, name, "successThreshold"), _i(probe, "successThreshold"), "must be 1"))
    return errs


def _validate_container_common(ctr: Obj, volumes: set[str], path: str) -> Errors:
    """Upstream ``validateContainerCommon``."""
    # Paths are built only for errors, and empty lists and maps (which give no errors) are skipped.
    errs: Errors = []
    name = _s(ctr, "name")
    if not name:
        errs.append(required(child(path, "name")))
    else:
        msgs = is_dns1123_label(name)
        if msgs:
            errs += validate_dns1123_label(name, child(path, "name"))
    if not _s(ctr, "image"):
        errs.append(required(child(path, "image")))
    policy = _s(ctr, "terminationMessagePolicy")
    if not policy:
        errs.append(required(child(path, "terminationMessagePolicy")))
    elif policy != "File" and policy != "FallbackToLogsOnError":
        errs.append(not_supported(child(path, "terminationMessagePolicy"), policy, ["File", "FallbackToLogsOnError"]))
    ports = _l(ctr, "ports")
    if ports:
        errs += validate_container_ports(ports, child(path, "ports"))
    env = _l(ctr, "env")
    if env:
        errs += validate_env(env, child(path, "env"))
    mounts = _l(ctr, "volumeMounts")
    if mounts:
        errs += validate_volume_mounts(mounts, volumes, child(path, "volumeMounts"))
    pull = _s(ctr, "imagePullPolicy")
    if not pull:
        errs.append(required(child(path, "imagePullPolicy")))
    elif pull not in _PULL_POLICIES:
        errs.append(not_supported(child(path, "imagePullPolicy"), pull, ["Always", "IfNotPresent", "Never"]))
    resources = _m(ctr, "resources")
    if resources:
        errs += validate_container_resource_requirements(resources, child(path, "resources"))
    return errs


_PULL_POLICIES = frozenset(("Always", "IfNotPresent", "Never"))


def _check_host_port_conflicts(containers: list[Any], path: str) -> Errors:
    """Upstream ``checkHostPortConflicts`` / ``AccumulateUniqueHostPorts``."""
    seen: set[str] = set()
    errs: Errors = []
    for ci, ctr in enumerate(containers):
        for pi, port in enumerate(_l(ctr, "ports")):
            hp = _i(port, "hostPort")
            if hp == 0:
                continue
            text = f"{_s(port, 'protocol')}/{_s(port, 'hostIP')}/{hp}"
            if text in seen:
                errs.append(duplicate(child(index(child(index(path, ci), "ports"), pi), "hostPort"), text))
            else:
                seen.add(text)
    return errs


def validate_containers(containers: list[Any], volumes: set[str], path: str) -> Errors:
    """Upstream ``validateContainers``."""
    if not containers:
        return [required(path)]
    errs: Errors = []
    names: set[str] = set()
    for i, ctr in enumerate(containers):
        cpath = index(path, i)
        errs += _validate_container_common(ctr, volumes, cpath)
        name = _s(ctr, "name")
        if name in names:
            errs.append(duplicate(child(cpath, "name"), name))
        else:
            names.add(name)
        errs += _validate_probes(ctr, cpath)
        if ctr.get("restartPolicy") is not None:
            errs.append(forbidden(child(cpath, "restartPolicy"), "may not be set for non-init containers"))
    errs += _check_host_port_conflicts(containers, path)
    return errs


def validate_init_containers(init: list[Any], regular: list[Any], volumes: set[str], path: str) -> Errors:
    """Upstream ``validateInitContainers``."""
    errs: Errors = []
    names = {_s(c, "name") for c in regular}
    for i, ctr in enumerate(init):
        cpath = index(path, i)
        errs += _validate_container_common(ctr, volumes, cpath)
        restart_always = False
        if ctr.get("restartPolicy") is not None:
            policy = _s(ctr, "restartPolicy")
            if policy != "Always":
                errs.append(not_supported(child(cpath, "restartPolicy"), policy, ["Always"]))
            restart_always = policy == "Always"
        name = _s(ctr, "name")
        if name in names:
            errs.append(duplicate(child(cpath, "name"), name))
        elif name:
            names.add(name)
        errs += _check_host_port_conflicts([ctr], path)
        if restart_always:
            errs += _validate_probes(ctr, cpath)
        else:
            for field_name in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if ctr.get(field_name) is not None:
                    errs.append(
                        forbidden(
                            child(cpath, field_name), "may not be set for init containers without restartPolicy=Always"
                        )
                    )
    return errs


def _enum(value: str, path: str, allowed: list[str]) -> Errors:
    if not value:
        return [required(path)]
    if value not in allowed:
        return [not_supported(path, value, allowed)]
    return []


_RESTART_POLICIES = frozenset(("Always", "OnFailure", "Never"))
_DNS_POLICIES = frozenset(("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"))


def validate_pod_spec(spec: Obj, path: str = "spec") -> Errors:
    """Upstream ``ValidatePodSpec`` (the checks listed in the module docstring; the rest are left out)."""
    # Paths are built only for errors; an empty list or map (no errors possible) skips its validator.
    errs: Errors = []
    if spec.get("terminationGracePeriodSeconds") is None:
        errs.append(required(child(path, "terminationGracePeriodSeconds")))
    volume_list = _l(spec, "volumes")
    if volume_list:
        volumes, verrs = validate_volumes(volume_list, child(path, "volumes"))
        errs += verrs
    else:
        volumes = set()
    containers = _l(spec, "containers")
    errs += validate_containers(containers, volumes, child(path, "containers"))
    init = _l(spec, "initContainers")
    if init:
        errs += validate_init_containers(init, containers, volumes, child(path, "initContainers"))
    restart = _s(spec, "restartPolicy")
    if restart not in _RESTART_POLICIES:
        errs += _enum(restart, child(path, "restartPolicy"), ["Always", "OnFailure", "Never"])
    dns = _s(spec, "dnsPolicy")
    if dns not in _DNS_POLICIES:
        errs += _enum(dns, child(path, "dnsPolicy"), ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])
    node_selector = _m(spec, "nodeSelector")
    if node_selector:
        errs += validate_labels(node_selector, child(path, "nodeSelector"))
    sa = _s(spec, "serviceAccountName")
    if sa:
        errs += [invalid(child(path, "serviceAccountName"), sa, m) for m in name_is_dns_subdomain(sa, False)]
    node = _s(spec, "nodeName")
    if node:
        errs += [invalid(child(path, "nodeName"), node, m) for m in name_is_dns_subdomain(node, False)]
    if spec.get("activeDeadlineSeconds") is not None:
        ads = _i(spec, "activeDeadlineSeconds")
        if ads < 1 or ads > 2**31 - 1:
            errs.append(invalid(child(path, "activeDeadlineSeconds"), ads, inclusive_range_error(1, 2**31 - 1)))
    for name in ("hostname", "subdomain"):
        if _s(spec, name):
            errs += validate_dns1123_label(_s(spec, name), child(path, name))
    pcn = _s(spec, "priorityClassName")
    if pcn:  # ValidatePriorityClassName: a DNS subdomain
        errs += [invalid(child(path, "priorityClassName"), pcn, m) for m in name_is_dns_subdomain(pcn, False)]
    if spec.get("preemptionPolicy") is not None:
        errs += validate_preemption_policy(_s(spec, "preemptionPolicy"), child(path, "preemptionPolicy"))
    return errs


# --- core: Pod ---------------------------------------------------------------------------------------------------

UPDATABLE_POD_SPEC_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)


def _validate_pod_metadata_and_spec(pod: Obj) -> Errors:
    """Upstream ``validatePodMetadataAndSpec`` (plus ``validateContainersOnlyForPod``)."""
    errs = validate_object_meta(_m(pod, "metadata"), True, name_is_dns_subdomain)
    spec = _m(pod, "spec")
    errs += validate_pod_spec(spec)
    for field_name in ("containers", "initContainers"):
        for i, ctr in enumerate(_l(spec, field_name)):
            image = _s(ctr, "image")
            if image != image.strip():
                errs.append(
                    invalid(
                        child(index(child("spec", field_name), i), "image"),
                        image,
                        "must not have leading or trailing whitespace",
                    )
                )
    return errs


def validate_pod(pod: Obj) -> Errors:
    """Upstream ``ValidatePodCreate``."""
    errs = _validate_pod_metadata_and_spec(pod)
    if _l(_m(pod, "spec"), "ephemeralContainers"):
        errs.append(forbidden("spec.ephemeralContainers", "cannot be set on create"))
    return errs


def _spec_diff(old: Obj, new: Obj) -> str:
    """A short stand-in for upstream's ``cmp.Diff(oldPod.Spec, mungedPodSpec)``: one line per changed field."""
    lines = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name):
            lines.append(f"- {name}: {old.get(name)!r}")
            lines.append(f"+ {name}: {new.get(name)!r}")
    return "\n".join(lines)


def validate_pod_update(new: Obj, old: Obj) -> Errors:
    """Upstream ``ValidatePodUpdate``: only images, activeDeadlineSeconds, new tolerations and a negative grace
    period set to 1 may change."""
    errs = validate_object_meta_update(_m(new, "metadata"), _m(old, "metadata"))
    errs += _validate_pod_metadata_and_spec(new)
    nspec, ospec = _m(new, "spec"), _m(old, "spec")
    for field_name in ("containers", "initContainers"):
        nc, oc = _l(nspec, field_name), _l(ospec, field_name)
        fpath = child("spec", field_name)
        if len(nc) != len(oc):
            errs.append(forbidden(fpath, "pod updates may not add or remove containers"))
            return errs
        for i, ctr in enumerate(nc):
            image = _s(ctr, "image")
            if not image:
                errs.append(required(child(index(fpath, i), "image")))
            if image != image.strip():
                errs.append(
                    invalid(child(index(fpath, i), "image"), image, "must not have leading or trailing whitespace")
                )
    new_ads, old_ads = nspec.get("activeDeadlineSeconds"), ospec.get("activeDeadlineSeconds")
    if new_ads is not None:
        if new_ads < 0 or new_ads > 2**31 - 1:
            errs.append(invalid("spec.activeDeadlineSeconds", new_ads, inclusive_range_error(0, 2**31 - 1)))
            return errs
        if old_ads is not None and old_ads < new_ads:
            errs.append(invalid("spec.activeDeadlineSeconds", new_ads, "must be less than or equal to previous value"))
            return errs
    elif old_ads is not None:
        errs.append(invalid("spec.activeDeadlineSeconds", None, "must not update from a positive integer to nil value"))
    new_tol, old_tol = _l(nspec, "tolerations"), _l(ospec, "tolerations")
    for t in old_tol:
        base = {k: v for k, v in t.items() if k != "tolerationSeconds"}
        if not any({k: v for k, v in n.items() if k != "tolerationSeconds"} == base for n in new_tol):
            errs.append(
                forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds")
            )
            break
    if nspec == ospec:
        return errs
    munged = dict(nspec)
    for field_name in ("containers", "initContainers"):
        if field_name in munged:
            munged[field_name] = [
                {**c, "image": _l(ospec, field_name)[i].get("image")} for i, c in enumerate(_l(nspec, field_name))
            ]
    for field_name in ("activeDeadlineSeconds", "tolerations", "schedulingGates"):
        munged.pop(field_name, None)
        if field_name in ospec:
            munged[field_name] = ospec[field_name]
    old_grace = ospec.get("terminationGracePeriodSeconds")
    if isinstance(old_grace, int) and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    if _semantic(munged) != _semantic(dict(ospec)):
        detail = "pod updates may not change fields other than " + ",".join(UPDATABLE_POD_SPEC_FIELDS)
        errs.append(forbidden("spec", detail + "\n" + _spec_diff(ospec, munged)))
    return errs


def _semantic(value: Any) -> Any:
    """``apiequality.Semantic.DeepEqual``: empty and missing (nil) lists and maps are equal."""
    if isinstance(value, Mapping):
        return {k: _semantic(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_semantic(v) for v in value]
    return value


# --- core: Pod status (the pods/status subresource) --------------------------------------------------------------

_SYSTEM_POD_CONDITIONS = frozenset(("PodScheduled", "Ready", "Initialized"))
# Other condition types the kubelet and controllers write on every status: qualified names (is_qualified_name finds
# nothing wrong with them, as tests/test_speed_events_validation.py checks), so _validate_pod_conditions skips them.
_QUALIFIED_POD_CONDITIONS = frozenset(("ContainersReady", "PodReadyToStartContainers", "DisruptionTarget"))
_NO_TRANSITION_FROM_TERMINATED = "may not be transitioned to non-terminated state"
_INVALID_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
_ONE_IP_PER_FAMILY = "may specify no more than one IP for each IP family"
_SLOPPY_IPV4 = re.compile(r"(\d+)\.(\d+)\.(\d+)\.(\d+)")


@functools.lru_cache(maxsize=4096)
def parse_ip_sloppy(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Upstream ``netutils.ParseIPSloppy`` (``k8s.io/utils/net``, Go 1.16's ``net.ParseIP``): like ``ParseIP``, but
    IPv4 parts may have leading zeros (``010.001.002.003``), as stored objects may already hold them. ``None`` for
    anything else that is not an address (a zone such as ``fe80::1%eth0`` included)."""
    if not isinstance(value, str) or not value:
        return None
    if "." in value and ":" not in value:
        m = _SLOPPY_IPV4.fullmatch(value)
        if m is None or not value.isascii():
            return None
        parts = [int(p) for p in m.groups()]
        if any(p > 255 for p in parts):
            return None
        return ipaddress.IPv4Address(".".join(map(str, parts)))
    if ":" not in value or "%" in value:
        return None
    try:
        return ipaddress.IPv6Address(value)
    except ValueError:
        return None


# Whether a string is an address (``parse_ip_sloppy`` is not None), remembered: a pure function of the string, and
# every Pod status write validates the same few node and Pod IPs again.
_is_sloppy_ip = functools.lru_cache(maxsize=8192)(lambda value: parse_ip_sloppy(value) is not None)


def _is_valid_ip(path: str, value: str) -> Errors:
    """Upstream ``validation.IsValidIP`` (``apimachinery/pkg/util/validation/ip.go``)."""
    return [] if parse_ip_sloppy(value) is not None else [invalid(path, value, _INVALID_IP)]


def _is_dual_stack_ip_strings(ips: list[str]) -> tuple[bool, str]:
    """Upstream ``netutils.IsDualStackIPStrings``: (at least one IPv4 and one IPv6, error text if one is invalid)."""
    v4 = v6 = False
    for i, ip in enumerate(ips):
        parsed = parse_ip_sloppy(ip)
        if parsed is None:
            return False, f"invalid IP[{i}]: {ip}"
        if parsed.version == 6:
            v6 = True
        else:
            v4 = True
    return v4 and v6, ""


def _go_ip_structs(type_name: str, ips: list[str]) -> Verbatim:
    """``%#v`` of a ``[]core.PodIP`` or ``[]core.HostIP``."""
    return Verbatim(f"[]core.{type_name}{{" + ", ".join(f"core.{type_name}{{IP:{go_quote(ip)}}}" for ip in ips) + "}")


def _validate_status_ips(status: Obj, field_name: str, type_name: str) -> Errors:
    """Upstream ``validatePodIPs`` (``field_name`` ``podIPs``) and ``validateHostIPs`` (``hostIPs``, which must start
    with ``hostIP``): each a valid IP; more than one only as one IPv4 and one IPv6, without duplicates."""
    entries = _l(status, field_name)
    if not entries:
        return []
    if len(entries) == 1:  # the usual case, one valid address (for hostIPs, hostIP's): nothing to report
        e = entries[0]
        ip = e.get("ip") if type(e) is dict else None
        if type(ip) is str and _is_sloppy_ip(ip) and (field_name != "hostIPs" or _s(status, "hostIP") == ip):
            return []
    return _validate_status_ips_general(status, field_name, type_name)


def _validate_status_ips_general(status: Obj, field_name: str, type_name: str) -> Errors:
    """:func:`_validate_status_ips` without its shortcut for one valid address (the tests compare the two)."""
    path = child("status", field_name)
    entries = _l(status, field_name)
    ips = [_s(e, "ip") for e in entries]
    errs: Errors = []
    if field_name == "hostIPs":
        if not ips:
            return errs
        if _s(status, "hostIP") != ips[0]:
            errs.append(invalid(child(index(path, 0), "ip"), ips[0], "must be equal to `hostIP`"))
    for i, ip in enumerate(ips):
        if not _is_sloppy_ip(ip):  # IsValidIP, the path built only for an error (ip is a str: _s)
            errs.append(invalid(index(path, i), ip, _INVALID_IP))
    if len(ips) < 2:
        return errs
    duplicates: Errors = []
    seen: set[str] = set()
    for i, ip in enumerate(ips):
        if ip in seen:
            duplicates.append(duplicate(index(path, i), Verbatim(f"core.{type_name}{{IP:{go_quote(ip)}}}")))
        seen.add(ip)
    if field_name == "hostIPs":  # validateHostIPs reports duplicates before the dual-stack check
        errs += duplicates
    dual, err = _is_dual_stack_ip_strings(ips)
    if err:
        errs.append(internal_error(path, f"failed to check for dual stack with error:{err}"))
    if not dual or len(ips) > 2:
        errs.append(invalid(path, _go_ip_structs(type_name, ips), _ONE_IP_PER_FAMILY))
    if field_name == "podIPs":
        errs += duplicates
    return errs


def _terminated(status: Obj) -> Obj | None:
    """``status.State.Terminated``: the ``terminated`` state, or ``None`` (a JSON null or absent is Go's nil)."""
    value = _m(status, "state").get("terminated")
    return value if isinstance(value, Mapping) else None


def validate_container_state_transition(new: list[Any], old: list[Any], path: str, restart_policy: str) -> Errors:
    """Upstream ``ValidateContainerStateTransition``: unless the Pod restarts always, a terminated container (one
    that failed, under ``OnFailure``, excepted) may not become non-terminated again."""
    errs: Errors = []
    if restart_policy == "Always":
        return errs
    for i, old_status in enumerate(old):
        terminated = _terminated(old_status)
        if terminated is None:
            continue
        if _i(terminated, "exitCode") != 0 and restart_policy == "OnFailure":
            continue
        name = _s(old_status, "name")
        for new_status in new:
            if name == _s(new_status, "name") and _terminated(new_status) is None:
                errs.append(forbidden(child(index(path, i), "state"), _NO_TRANSITION_FROM_TERMINATED))
    return errs


def validate_init_container_state_transition(new: list[Any], old: list[Any], path: str, spec: Obj) -> Errors:
    """Upstream ``ValidateInitContainerStateTransition``: the same for init containers, where a restartable init
    container (a sidecar, ``restartPolicy: Always``) may always restart."""
    errs: Errors = []
    restart_policy = _s(spec, "restartPolicy")
    if restart_policy == "Always":
        return errs
    inits = _l(spec, "initContainers")
    for i, old_status in enumerate(old):
        terminated = _terminated(old_status)
        if terminated is None:
            continue
        if _i(terminated, "exitCode") != 0 and restart_policy == "OnFailure":
            continue
        name = _s(old_status, "name")
        container = next((c for c in inits if _s(c, "name") == name), None)
        if container is not None and container.get("restartPolicy") == "Always":  # isRestartableInitContainer
            continue
        for new_status in new:
            if name == _s(new_status, "name") and _terminated(new_status) is None:
                errs.append(forbidden(child(index(path, i), "state"), _NO_TRANSITION_FROM_TERMINATED))
    return errs


def _validate_pod_conditions(conditions: list[Any], path: str) -> Errors:
    """Upstream ``validatePodConditions``: a condition of a type other than the system ones is a qualified name."""
    errs: Errors = []
    for i, condition in enumerate(conditions):
        ctype = condition.get("type") if type(condition) is dict else None
        if type(ctype) is not str:
            ctype = _s(condition, "type")  # the general reading ("" when missing, _Shape for a wrong type)
        if ctype in _SYSTEM_POD_CONDITIONS or ctype in _QUALIFIED_POD_CONDITIONS:
            continue
        errs += [invalid(child(index(path, i), "Type"), ctype, m) for m in is_qualified_name(ctype)]
    return errs


def _validate_pod_resource_claim_statuses(statuses: list[Any], claims: list[Any], path: str) -> Errors:
    """Upstream ``validatePodResourceClaimStatuses``: each names an entry of ``spec.resourceClaims``, once."""
    errs: Errors = []
    claim_names = {_s(c, "name") for c in claims}
    seen: set[str] = set()
    for i, status in enumerate(statuses):
        name_path = child(index(path, i), "name")
        name = _s(status, "name")
        if name not in claim_names:
            errs.append(invalid(name_path, name, "must match the name of an entry in `spec.resourceClaims`"))
        if name in seen:
            errs.append(duplicate(name_path, name))
        else:
            seen.add(name)
        claim = status.get("resourceClaimName")
        if claim is not None:  # ValidateResourceClaimName, reported at .name as upstream does
            claim_name = _s(status, "resourceClaimName")
            errs += [invalid(name_path, claim, m) for m in name_is_dns_subdomain(claim_name, False)]
    return errs


def validate_pod_status_update(new: Obj, old: Obj) -> Errors:
    """Upstream ``ValidatePodStatusUpdate`` (``pkg/apis/core/validation/validation.go``), what the ``pods/status``
    subresource validates (``podStatusStrategy.ValidateUpdate``, ``pkg/registry/core/pod/strategy.go``): the object
    metadata update and the status, not the spec (the status strategy has already put the stored spec back).

    Checked: metadata (``ValidateObjectMetaUpdate``); custom condition types are qualified names (reported at
    ``metadata.conditions[i].Type``, upstream's path); ``spec.nodeName`` unchanged; a new ``nominatedNodeName`` is a
    valid node name; ``qosClass`` immutable; no terminated (init) container becomes non-terminated unless the
    restart policy allows it; ``resourceClaimStatuses`` name claims of the spec; ``podIPs`` and ``hostIPs`` valid.
    Left out: ``ValidatePodSpecificAnnotationUpdates`` (as for every Pod write here), the container statuses' user
    IDs (``validateContainerStatusUsers``) and allocated-resources health (``validateContainerStatusAllocated
    ResourcesStatus``).
    """
    errs = validate_object_meta_update(_m(new, "metadata"), _m(old, "metadata"))
    nstatus, ostatus = _m(new, "status"), _m(old, "status")
    nspec, ospec = _m(new, "spec"), _m(old, "spec")
    conditions = _l(nstatus, "conditions")
    if conditions:
        errs += _validate_pod_conditions(conditions, "metadata.conditions")
    if _s(nspec, "nodeName") != _s(ospec, "nodeName"):
        errs.append(forbidden("status.nodeName", "may not be changed directly"))
    nominated = _s(nstatus, "nominatedNodeName")
    if nominated and nominated != _s(ostatus, "nominatedNodeName"):
        errs += [invalid("status.nominatedNodeName", nominated, m) for m in name_is_dns_subdomain(nominated, False)]
    qos = _s(nstatus, "qosClass")
    if qos != _s(ostatus, "qosClass"):
        errs.append(invalid("status.qosClass", qos, FIELD_IMMUTABLE_ERROR_MSG))
    if _s(ospec, "restartPolicy") != "Always":  # with Always, any container may restart: nothing to check
        errs += validate_container_state_transition(
            _l(nstatus, "containerStatuses"),
            _l(ostatus, "containerStatuses"),
            "status.containerStatuses",
            _s(ospec, "restartPolicy"),
        )
        errs += validate_init_container_state_transition(
            _l(nstatus, "initContainerStatuses"),
            _l(ostatus, "initContainerStatuses"),
            "status.initContainerStatuses",
            ospec,
        )
    old_ephemeral = _l(ostatus, "ephemeralContainerStatuses")
    if old_ephemeral:  # the kubelet never restarts an ephemeral container: an implicit restartPolicy Never
        errs += validate_container_state_transition(
            _l(nstatus, "ephemeralContainerStatuses"), old_ephemeral, "status.ephemeralContainerStatuses", "Never"
        )
    claim_statuses = _l(nstatus, "resourceClaimStatuses")
    if claim_statuses:
        errs += _validate_pod_resource_claim_statuses(
            claim_statuses, _l(nspec, "resourceClaims"), "status.resourceClaimStatuses"
        )
    errs += _validate_status_ips(nstatus, "podIPs", "PodIP")
    errs += _validate_status_ips(nstatus, "hostIPs", "HostIP")
    return errs


# --- core: Service, Namespace, Node, ConfigMap, ServiceAccount, Event ---------------------------------------------


def _validate_service_port(sp: Obj, require_name: bool, names: set[str], path: str) -> Errors:
    """Upstream ``validateServicePort``."""
    errs: Errors = []
    name = _s(sp, "name")
    if require_name and not name:
        errs.append(required(child(path, "name")))
    elif name:
        errs += validate_dns1123_label(name, child(path, "name"))
        if name in names:
            errs.append(duplicate(child(path, "name"), name))
        else:
            names.add(name)
    port = _i(sp, "port")
    errs += [invalid(child(path, "port"), port, m) for m in is_valid_port_num(port)]
    protocol = _s(sp, "protocol")
    if not protocol:
        errs.append(required(child(path, "protocol")))
    elif protocol not in ("SCTP", "TCP", "UDP"):
        errs.append(not_supported(child(path, "protocol"), protocol, ["SCTP", "TCP", "UDP"]))
    errs += validate_port_num_or_name(sp.get("targetPort", 0), child(path, "targetPort"))
    if sp.get("appProtocol") is not None:  # ValidateQualifiedName
        app_protocol = _s(sp, "appProtocol")
        errs += [invalid(child(path, "appProtocol"), app_protocol, m) for m in is_qualified_name(app_protocol)]
    return errs


def validate_service(svc: Obj) -> Errors:
    """Upstream ``ValidateService`` → ``validateServiceFields`` (the checks listed in the module docstring)."""
    errs = validate_object_meta(_m(svc, "metadata"), True, name_is_dns1035_label)
    spec = _m(svc, "spec")
    kind = _s(spec, "type")
    ports = _l(spec, "ports")
    headless = _s(spec, "clusterIP") == "None"
    if not ports and not headless and kind != "ExternalName":
        errs.append(required("spec.ports"))
    if kind in ("LoadBalancer", "NodePort") and headless:
        errs.append(invalid("spec.clusterIPs[0]", "None", f"may not be set to 'None' for {kind} services"))
    elif kind == "ExternalName":
        # The strategy syncs clusterIPs from clusterIP, so a clusterIP counts here.
        if _cluster_ips(spec):
            errs.append(forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
        if _l(spec, "ipFamilies"):
            errs.append(forbidden("spec.ipFamilies", "may not be set for ExternalName services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"))
        # The value (a CNAME) may have a trailing dot to denote it as fully qualified.
        cname = _s(spec, "externalName").removesuffix(".")
        if cname:
            errs += [invalid("spec.externalName", cname, m) for m in name_is_dns_subdomain(cname, False)]
        else:
            errs.append(required("spec.externalName"))
    names: set[str] = set()
    for i, sp in enumerate(ports):
        errs += _validate_service_port(sp, len(ports) > 1, names, index("spec.ports", i))
    if spec.get("selector") is not None:
        errs += validate_labels(_m(spec, "selector"), "spec.selector")
    errs += _enum(_s(spec, "sessionAffinity"), "spec.sessionAffinity", ["ClientIP", "None"])
    errs += _enum(kind, "spec.type", ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"])
    if kind == "ClusterIP":
        for i, sp in enumerate(ports):
            if _i(sp, "nodePort") != 0:
                errs.append(
                    forbidden(child(index("spec.ports", i), "nodePort"), "may not be used when `type` is 'ClusterIP'")
                )
    node_ports: set[tuple[str, int]] = set()
    for i, sp in enumerate(ports):
        np_ = _i(sp, "nodePort")
        if np_ == 0:
            continue
        k = (_s(sp, "protocol"), np_)
        if k in node_ports:
            errs.append(duplicate(child(index("spec.ports", i), "nodePort"), np_))
        node_ports.add(k)
    seen_ports: set[tuple[str, int]] = set()
    for i, sp in enumerate(ports):
        k = (_s(sp, "protocol"), _i(sp, "port"))
        if k in seen_ports:
            value = Verbatim(
                f'core.ServicePort{{Name:"", Protocol:{go_quote(k[0])}, AppProtocol:(*string)(nil), Port:{k[1]}, '
                'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'
            )
            errs.append(duplicate(index("spec.ports", i), value))
        seen_ports.add(k)
    return errs


def _cluster_ips(spec: Obj) -> list[Any]:
    """``spec.clusterIPs`` as the registry's ``NormalizeClusterIPs`` leaves it: ``[clusterIP]`` when only the
    singular field was given."""
    ips = _l(spec, "clusterIPs")
    if ips:
        return ips
    ip = _s(spec, "clusterIP")
    return [ip] if ip else []


def validate_upgrade_downgrade_cluster_ips(new: Obj, old: Obj) -> Errors:
    """Upstream ``validateUpgradeDowngradeClusterIPs`` on the registry-normalized ``clusterIPs`` (a new object
    without any cluster IP keeps the old ones, as ``patchAllocatedValues`` does; ``ipFamilyPolicy`` is left out)."""
    nspec, ospec = _m(new, "spec"), _m(old, "spec")
    if _s(nspec, "type") == "ExternalName" or _s(ospec, "type") == "ExternalName":
        return []
    old_ips, new_ips = _cluster_ips(ospec), _cluster_ips(nspec)
    if not new_ips:
        new_ips = old_ips
    if old_ips == ["None"] and new_ips == ["None"]:
        return []
    errs: Errors = []
    if len(old_ips) == len(new_ips):
        for i, ip in enumerate(old_ips):
            if ip != new_ips[i]:
                errs.append(invalid(index("spec.clusterIPs", i), new_ips, "may not change once set"))
    elif old_ips and new_ips[0] != old_ips[0]:
        errs.append(invalid("spec.clusterIPs[0]", new_ips, "may not change once set"))
    return errs


def validate_service_update(new: Obj, old: Obj) -> Errors:
    """Upstream ``ValidateServiceUpdate``: a Service's cluster IPs may not change (except to/from ExternalName)."""
    errs = validate_object_meta_update(_m(new, "metadata"), _m(old, "metadata"))
    errs += validate_upgrade_downgrade_cluster_ips(new, old)
    return errs + [e for e in validate_service(new) if not e.field.startswith("metadata.")]


def validate_namespace(ns: Obj) -> Errors:
    """Upstream ``ValidateNamespace``: a DNS-1123 label, cluster-scoped; ``spec.finalizers`` qualified names."""
    errs = validate_object_meta(_m(ns, "metadata"), False, name_is_dns_label)
    for i, f in enumerate(_l(_m(ns, "spec"), "finalizers")):
        errs += [invalid(index("spec.finalizers", i), f, m) for m in is_qualified_name(f)]
    return errs


def validate_node_taints(taints: list[Any], path: str) -> Errors:
    """Upstream ``validateNodeTaints`` (with ``validateTaintEffect``)."""
    errs: Errors = []
    unique: dict[str, set[str]] = {}
    for i, taint in enumerate(taints):
        ipath = index(path, i)
        k = _s(taint, "key")
        errs += [invalid(child(ipath, "key"), k, m) for m in is_qualified_name(k)]
        value = _s(taint, "value")
        msgs = is_valid_label_value(value)
        if msgs:
            errs.append(invalid(child(ipath, "value"), value, ";".join(msgs)))
        effect = _s(taint, "effect")
        errs += _enum(effect, child(ipath, "effect"), ["NoSchedule", "PreferNoSchedule", "NoExecute"])
        if k in unique.get(effect, set()):
            body = (
                f"core.Taint{{Key:{go_quote(k)}, Value:{go_quote(value)}, Effect:{go_quote(effect)}, "
                "TimeAdded:(*v1.Time)(nil)}"
            )
            errs.append(
                FieldError("Duplicate value", ipath, Verbatim(body), "taints must be unique by key and effect pair")
            )
            continue
        unique.setdefault(effect, set()).add(k)
    return errs


def validate_node(node: Obj) -> Errors:
    """Upstream ``ValidateNode`` (object meta and taints).

    Upstream passes ``fldPath.Child("taints")`` with ``fldPath`` the ``metadata`` path, so ``spec.taints`` errors
    are reported at ``metadata.taints[i]``; the model keeps that path.
    """
    errs = validate_object_meta(_m(node, "metadata"), False, name_is_dns_subdomain)
    taints = _l(_m(node, "spec"), "taints")
    if taints:
        errs += validate_node_taints(taints, "metadata.taints")
    return errs


def _pod_cidrs(spec: Obj) -> list[Any]:
    """``spec.podCIDRs``, or the one ``spec.podCIDR`` (v1 keeps the two in step: ``podCIDR`` is ``podCIDRs[0]``)."""
    cidrs = _l(spec, "podCIDRs")
    if cidrs:
        return list(cidrs)
    single = spec.get("podCIDR")
    return [single] if single else []


NODE_CIDR_IMMUTABLE = 'node updates may not change podCIDR except from "" to valid'
NODE_PROVIDER_ID_IMMUTABLE = 'node updates may not change providerID except from "" to valid'


def validate_node_update(new: Obj, old: Obj) -> Errors:
    """Upstream ``ValidateNodeUpdate``: object meta update, the new taints (no ``ValidateNode`` of the new object),
    then ``spec.podCIDRs`` and ``spec.providerID``, which may only go from empty to a value (the node IPAM controller
    assigns the one, the cloud the other); the ``configSource`` and status rules are left out."""
    errs = validate_object_meta_update(_m(new, "metadata"), _m(old, "metadata"))
    new_spec, old_spec = _m(new, "spec"), _m(old, "spec")
    taints = _l(new_spec, "taints")
    if taints:
        errs += validate_node_taints(taints, "metadata.taints")
    old_cidrs = _pod_cidrs(old_spec)
    if old_cidrs and _pod_cidrs(new_spec) != old_cidrs:
        errs.append(forbidden("spec.podCIDRs", NODE_CIDR_IMMUTABLE))
    old_provider = old_spec.get("providerID") or ""
    if old_provider and (new_spec.get("providerID") or "") != old_provider:
        errs.append(forbidden("spec.providerID", NODE_PROVIDER_ID_IMMUTABLE))
    return errs


MAX_CONFIG_MAP_SIZE = 1 * 1024 * 1024  # core.MaxSecretSize


def validate_config_map(cm: Obj) -> Errors:
    """Upstream ``ValidateConfigMap``: keys are config-map keys, no key in both bags, total at most 1 MiB."""
    errs = validate_object_meta(_m(cm, "metadata"), True, name_is_dns_subdomain)
    data, binary = _m(cm, "data"), _m(cm, "binaryData")
    total = 0
    for k, v in data.items():
        errs += [invalid(key("data", k), k, m) for m in is_config_map_key(k)]
        if k in binary:
            errs.append(invalid(key("data", k), k, "duplicate of key present in binaryData"))
        total += _byte_len(v) if isinstance(v, str) else 0
    for k, v in binary.items():
        errs += [invalid(key("binaryData", k), k, m) for m in is_config_map_key(k)]
        if isinstance(v, str):  # base64 text to decoded bytes
            total += (len(v) * 3) // 4 - (len(v) - len(v.rstrip("=")))
    if total > MAX_CONFIG_MAP_SIZE:
        errs.append(too_long("", "", MAX_CONFIG_MAP_SIZE))
    return errs


def validate_config_map_update(new: Obj, old: Obj) -> Errors:
    """Upstream ``ValidateConfigMapUpdate``: an ``immutable`` ConfigMap keeps its data."""
    errs = validate_object_meta_update(_m(new, "metadata"), _m(old, "metadata"))
    if old.get("immutable") is True:
        if new.get("immutable") is not True:
            errs.append(forbidden("immutable", "field is immutable when `immutable` is set"))
        if _m(new, "data") != _m(old, "data"):
            errs.append(forbidden("data", "field is immutable when `immutable` is set"))
        if _m(new, "binaryData") != _m(old, "binaryData"):
            errs.append(forbidden("binaryData", "field is immutable when `immutable` is set"))
    return errs + validate_config_map(new)


_EVENT_LENGTH_LIMITS = (("reportingInstance", 128), ("action", 128), ("reason", 128))


def legacy_validate_event(ev: Obj) -> Errors:
    """Upstream ``legacyValidateEvent`` (``pkg/apis/core/validation/events.go``)."""
    errs: Errors = []
    namespace = _s(_m(ev, "metadata"), "namespace")
    inv_ns = _s(_m(ev, "involvedObject"), "namespace")
    mismatch = "does not match event.namespace"
    if not ev.get("eventTime"):
        # Make sure event.Namespace and the involvedObject.Namespace agree ("default" for old clients).
        if (not inv_ns and namespace not in ("", "default")) or (inv_ns and namespace != inv_ns):
            errs.append(invalid("involvedObject.namespace", inv_ns, mismatch))
    else:
        if not inv_ns and namespace not in ("default", "kube-system"):
            errs.append(invalid("involvedObject.namespace", inv_ns, mismatch))
        controller = _s(ev, "reportingController")
        if not controller:
            errs.append(required("reportingController"))
        errs += [invalid("reportingController", controller, m) for m in is_qualified_name(controller)]
        for name, limit in _EVENT_LENGTH_LIMITS:
            value = _s(ev, name)
            if not value:
                errs.append(required(name))
            if len(value) > limit:
                errs.append(invalid(name, "", f"can have at most {limit} characters"))
        if len(_s(ev, "message")) > 1024:
            errs.append(invalid("message", "", "can have at most 1024 characters"))
    msgs = name_is_dns_subdomain(namespace, False)
    if msgs:
        errs += [invalid("namespace", namespace, m) for m in msgs]
    return errs


def validate_event(ev: Obj) -> Errors:
    """Upstream ``ValidateEventCreate`` for a ``v1`` request: only ``legacyValidateEvent`` (the strict
    ``events.k8s.io/v1`` checks are skipped for ``v1``). Object metadata is then checked by the generic registry
    (``rest.BeforeCreate``: ``ValidateObjectMetaAccessor`` with ``ValidatePathSegmentName``), which runs only when
    the event's own validation passed, and is reported as a separate error."""
    if type(ev) is dict and _plain_valid_event(ev):
        return []
    errs = legacy_validate_event(ev)
    if errs:
        return errs
    return validate_object_meta(_m(ev, "metadata"), True, is_valid_path_segment_name)


# Metadata fields validate_object_meta reads none of (or, for name and namespace, reads as _plain_valid_event does).
_PLAIN_EVENT_META = frozenset(("name", "namespace", "creationTimestamp", "uid", "resourceVersion"))
_VALID_EVENT_NAMESPACES: set[str] = set()  # namespaces found valid both as a DNS label and a DNS subdomain


def _plain_valid_event(ev: Obj) -> bool:
    """Whether :func:`validate_event` would find nothing wrong with ``ev``, decided for the shape every event
    recorder writes (``k8smodel.record``): a ``v1`` Event without ``eventTime``, whose metadata holds a name, a
    namespace and at most ``creationTimestamp``, ``uid`` and ``resourceVersion`` (fields nothing here validates), all
    strings, and whose ``involvedObject`` is a dict with a string (or no) namespace. For it the general path checks
    only: the namespaces agree (``legacyValidateEvent``), the namespace is a DNS subdomain and a DNS label, the name a
    path segment name; no ``generateName``, ``generation``, labels, annotations, owner references or finalizers to
    check. ``False`` (not "invalid": "not decided here") for anything else, which takes the general path. Proven equal
    to it by ``tests/test_speed_events_validation.py``."""
    if ev.get("eventTime"):
        return False
    meta = ev.get("metadata")
    involved = ev.get("involvedObject")
    if type(meta) is not dict or type(involved) is not dict or not _PLAIN_EVENT_META.issuperset(meta):
        return False
    name, namespace, inv_ns = meta.get("name"), meta.get("namespace"), involved.get("namespace")
    if type(name) is not str or type(namespace) is not str or not name or not namespace:
        return False
    if inv_ns is None or inv_ns == "":
        if namespace != "default":
            return False
    elif inv_ns != namespace:  # (a non-string involvedObject.namespace is never equal to the string namespace)
        return False
    if namespace not in _VALID_EVENT_NAMESPACES:
        if name_is_dns_subdomain(namespace, False) or name_is_dns_label(namespace, False):
            return False
        _VALID_EVENT_NAMESPACES.add(namespace)
    return not (name == "." or name == ".." or "/" in name or "%" in name)  # is_valid_path_segment_name


# --- autoscaling, rbac, coordination, discovery ------------------------------------------------------------------


def validate_hpa(hpa: Obj, min_replicas_lower_bound: int = 1) -> Errors:
    """Upstream ``ValidateHorizontalPodAutoscaler`` → ``validateHorizontalPodAutoscalerSpec`` and
    ``ValidateCrossVersionObjectReference`` (``pkg/apis/autoscaling/validation/validation.go``); metrics and
    behavior are left out. ``min_replicas_lower_bound`` is 1 (the ``HPAScaleToZero`` gate is off); 0 on an update
    of an HPA whose ``minReplicas`` already is 0 (``ValidateHorizontalPodAutoscalerUpdate``)."""
    errs = validate_object_meta(_m(hpa, "metadata"), True, name_is_dns_subdomain)
    spec = _m(hpa, "spec")
    min_replicas = spec.get("minReplicas")
    max_replicas = _i(spec, "maxReplicas")
    if min_replicas is not None and _i(spec, "minReplicas") < min_replicas_lower_bound:
        errs.append(
            invalid("spec.minReplicas", min_replicas, f"must be greater than or equal to {min_replicas_lower_bound}")
        )
    if max_replicas < 1:
        errs.append(invalid("spec.maxReplicas", max_replicas, "must be greater than 0"))
    if min_replicas is not None and max_replicas < _i(spec, "minReplicas"):
        errs.append(invalid("spec.maxReplicas", max_replicas, "must be greater than or equal to `minReplicas`"))
    ref = _m(spec, "scaleTargetRef")
    for name in ("kind", "name"):
        value = _s(ref, name)
        if not value:
            errs.append(required(child("spec.scaleTargetRef", name)))
        else:
            errs += [
                invalid(child("spec.scaleTargetRef", name), value, m) for m in is_valid_path_segment_name(value, False)
            ]
    return errs


RBAC_GROUP = "rbac.authorization.k8s.io"


def validate_policy_rule(rule: Obj, namespaced: bool, path: str) -> Errors:
    """Upstream ``ValidatePolicyRule`` (``pkg/apis/rbac/validation/validation.go``)."""
    errs: Errors = []
    if not _l(rule, "verbs"):
        errs.append(required(child(path, "verbs"), "verbs must contain at least one value"))
    urls = _l(rule, "nonResourceURLs")
    if urls:
        if namespaced:
            errs.append(
                invalid(child(path, "nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs")
            )
        if _l(rule, "apiGroups") or _l(rule, "resources") or _l(rule, "resourceNames"):
            errs.append(
                invalid(
                    child(path, "nonResourceURLs"),
                    urls,
                    "rules cannot apply to both regular resources and non-resource URLs",
                )
            )
        return errs
    if not _l(rule, "apiGroups"):
        errs.append(required(child(path, "apiGroups"), "resource rules must supply at least one api group"))
    if not _l(rule, "resources"):
        errs.append(required(child(path, "resources"), "resource rules must supply at least one resource"))
    return errs


def validate_role(role: Obj, namespaced: bool) -> Errors:
    """Upstream ``ValidateRole`` / ``ValidateClusterRole`` (with ``aggregationRule``, but not its extra
    ``invalid label selector.`` error when ``LabelSelectorAsSelector`` fails)."""
    errs = validate_object_meta(_m(role, "metadata"), namespaced, is_valid_path_segment_name)
    for i, rule in enumerate(_l(role, "rules")):
        errs += validate_policy_rule(rule, namespaced, index("rules", i))
    if not namespaced and role.get("aggregationRule") is not None:
        selectors = _l(_m(role, "aggregationRule"), "clusterRoleSelectors")
        if not selectors:
            errs.append(
                required(
                    "aggregationRule.clusterRoleSelectors",
                    "at least one clusterRoleSelector required if aggregationRule is non-nil",
                )
            )
        for i, selector in enumerate(selectors):
            errs += validate_label_selector(selector, index("aggregationRule.clusterRoleSelectors", i))
    return errs


def validate_role_binding_subject(subject: Obj, namespaced: bool, path: str) -> Errors:
    """Upstream ``ValidateRoleBindingSubject``."""
    errs: Errors = []
    name = _s(subject, "name")
    if not name:
        errs.append(required(child(path, "name")))
    kind, group = _s(subject, "kind"), _s(subject, "apiGroup")
    if kind == "ServiceAccount":
        if name:
            errs += [invalid(child(path, "name"), name, m) for m in name_is_dns_subdomain(name, False)]
        if group:
            errs.append(not_supported(child(path, "apiGroup"), group, [""]))
        if not namespaced and not _s(subject, "namespace"):
            errs.append(required(child(path, "namespace")))
    elif kind in ("User", "Group"):
        if group != RBAC_GROUP:
            errs.append(not_supported(child(path, "apiGroup"), group, [RBAC_GROUP]))
    else:
        errs.append(not_supported(child(path, "kind"), kind, ["ServiceAccount", "User", "Group"]))
    return errs


def validate_role_binding(binding: Obj, namespaced: bool) -> Errors:
    """Upstream ``ValidateRoleBinding`` / ``ValidateClusterRoleBinding``."""
    errs = validate_object_meta(_m(binding, "metadata"), namespaced, is_valid_path_segment_name)
    ref = _m(binding, "roleRef")
    if _s(ref, "apiGroup") != RBAC_GROUP:
        errs.append(not_supported("roleRef.apiGroup", _s(ref, "apiGroup"), [RBAC_GROUP]))
    kinds = ["Role", "ClusterRole"] if namespaced else ["ClusterRole"]
    if _s(ref, "kind") not in kinds:
        errs.append(not_supported("roleRef.kind", _s(ref, "kind"), kinds))
    name = _s(ref, "name")
    if not name:
        errs.append(required("roleRef.name"))
    else:
        errs += [invalid("roleRef.name", name, m) for m in is_valid_path_segment_name(name, False)]
    for i, subject in enumerate(_l(binding, "subjects")):
        errs += validate_role_binding_subject(subject, namespaced, index("subjects", i))
    return errs


def validate_role_binding_update(new: Obj, old: Obj, namespaced: bool) -> Errors:
    """Upstream ``ValidateRoleBindingUpdate`` / ``ValidateClusterRoleBindingUpdate``: ``roleRef`` is fixed."""
    errs = validate_role_binding(new, namespaced)
    errs += validate_object_meta_update(_m(new, "metadata"), _m(old, "metadata"))
    nref, oref = _m(new, "roleRef"), _m(old, "roleRef")
    if any(_s(nref, k) != _s(oref, k) for k in ("apiGroup", "kind", "name")):
        value = Verbatim(
            f"rbac.RoleRef{{APIGroup:{go_quote(_s(nref, 'apiGroup'))}, Kind:{go_quote(_s(nref, 'kind'))}, "
            f"Name:{go_quote(_s(nref, 'name'))}}}"
        )
        errs.append(invalid("roleRef", value, "cannot change roleRef"))
    return errs


def validate_lease(lease: Obj) -> Errors:
    """Upstream ``ValidateLease`` / ``ValidateLeaseSpec`` (``pkg/apis/coordination/validation/validation.go``)."""
    errs = validate_object_meta(_m(lease, "metadata"), True, name_is_dns_subdomain)
    spec = _m(lease, "spec")
    if spec.get("leaseDurationSeconds") is not None and _i(spec, "leaseDurationSeconds") <= 0:
        errs.append(invalid("spec.leaseDurationSeconds", spec["leaseDurationSeconds"], "must be greater than 0"))
    if spec.get("leaseTransitions") is not None and _i(spec, "leaseTransitions") < 0:
        errs.append(invalid("spec.leaseTransitions", spec["leaseTransitions"], IS_NEGATIVE_ERROR_MSG))
    return errs


_ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"]
_ADDRESS_TYPES_ON_UPDATE = ["FQDN", "IP", "IPv4", "IPv6"]  # with the deprecated "IP"


def validate_endpoint_slice(eps: Obj, address_types: list[str] = _ADDRESS_TYPES) -> Errors:
    """Upstream ``ValidateEndpointSlice`` (``pkg/apis/discovery/validation/validation.go``): metadata and
    ``addressType``; endpoint addresses and ports are left out."""
    errs = validate_object_meta(_m(eps, "metadata"), True, name_is_dns_subdomain)
    address_type = _s(eps, "addressType")
    if not address_type:
        errs.append(required("addressType"))
    elif address_type not in address_types:
        errs.append(not_supported("addressType", address_type, address_types))
    return errs


def validate_endpoint_slice_update(new: Obj, old: Obj) -> Errors:
    """Upstream ``ValidateEndpointSliceUpdate``: the deprecated ``IP`` type is accepted, ``addressType`` is
    immutable."""
    errs = [e for e in validate_endpoint_slice(new, _ADDRESS_TYPES_ON_UPDATE) if not e.field.startswith("metadata.")]
    return errs + validate_immutable_field(_s(new, "addressType"), _s(old, "addressType"), "addressType")


# --- scheduling.k8s.io: PriorityClass ---------------------------------------------------------------------------

HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000  # pkg/apis/scheduling/types.go
SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY
SYSTEM_PRIORITY_CLASS_PREFIX = "system-"
SYSTEM_PRIORITY_CLASSES: dict[str, tuple[int, bool]] = {
    # name -> (value, globalDefault): pkg/apis/scheduling/v1/helpers.go systemPriorityClasses
    "system-node-critical": (SYSTEM_CRITICAL_PRIORITY + 1000, False),
    "system-cluster-critical": (SYSTEM_CRITICAL_PRIORITY, False),
}
PREEMPTION_POLICIES = ["PreemptLowerPriority", "Never"]


def is_known_system_priority_class(name: str, value: int, global_default: bool) -> tuple[bool, str]:
    """Upstream ``IsKnownSystemPriorityClass``: (ok, the error's text)."""
    known = SYSTEM_PRIORITY_CLASSES.get(name)
    if known is None:
        return False, f"{name} is not a known system priority class"
    if known[0] != value:
        return False, f"value of {name} PriorityClass must be {known[0]}"
    if known[1] != global_default:
        return False, f"globalDefault of {name} PriorityClass must be {str(known[1]).lower()}"
    return True, ""


def validate_preemption_policy(policy: str, path: str) -> Errors:
    """Upstream ``ValidatePreemptionPolicy``."""
    if policy in PREEMPTION_POLICIES:
        return []
    if policy == "":
        return [required(path)]
    return [not_supported(path, policy, PREEMPTION_POLICIES)]


def validate_priority_class(pc: Obj) -> Errors:
    """Upstream ``ValidatePriorityClass``: a DNS subdomain name, cluster-scoped; the ``system-`` prefix is for the
    two system classes only (with their exact value and globalDefault); a user class's ``value`` is at most one
    billion; ``preemptionPolicy`` is ``PreemptLowerPriority`` or ``Never``."""
    meta = _m(pc, "metadata")
    errs = validate_object_meta(meta, False, name_is_dns_subdomain)
    name = _s(meta, "name")
    value = _i(pc, "value")
    global_default = pc.get("globalDefault") is True
    if name.startswith(SYSTEM_PRIORITY_CLASS_PREFIX):
        ok, err = is_known_system_priority_class(name, value, global_default)
        if not ok:
            errs.append(
                forbidden(
                    "metadata.name",
                    f"priority class names with '{SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use "
                    f"only. error: {err}",
                )
            )
    elif value > HIGHEST_USER_DEFINABLE_PRIORITY:
        errs.append(
            forbidden("value", f"maximum allowed value of a user defined priority is {HIGHEST_USER_DEFINABLE_PRIORITY}")
        )
    if pc.get("preemptionPolicy") is not None:
        errs += validate_preemption_policy(_s(pc, "preemptionPolicy"), "preemptionPolicy")
    return errs


def validate_priority_class_update(new: Obj, old: Obj) -> Errors:
    """Upstream ``ValidatePriorityClassUpdate``: ``value`` and ``preemptionPolicy`` never change."""
    errs = validate_object_meta_update(_m(new, "metadata"), _m(old, "metadata"))
    if _i(new, "value") != _i(old, "value"):
        errs.append(forbidden("value", "may not be changed in an update."))
    errs += validate_immutable_field(new.get("preemptionPolicy"), old.get("preemptionPolicy"), "preemptionPolicy")
    return errs


# --- dispatch ----------------------------------------------------------------------------------------------------


def _meta_only(name_fn: NameFn, namespaced: bool) -> Callable[[Obj], Errors]:
    return lambda obj: validate_object_meta(_m(obj, "metadata"), namespaced, name_fn)


_CREATE: dict[str, Callable[[Obj], Errors]] = {
    "Deployment": lambda o: (
        validate_object_meta(_m(o, "metadata"), True, name_is_dns_subdomain) + validate_deployment_spec(_m(o, "spec"))
    ),
    "ReplicaSet": lambda o: (
        validate_object_meta(_m(o, "metadata"), True, name_is_dns_subdomain) + validate_replica_set_spec(_m(o, "spec"))
    ),
    "Pod": validate_pod,
    "Service": validate_service,
    "Namespace": validate_namespace,
    "Node": validate_node,
    "ConfigMap": validate_config_map,
    "ServiceAccount": _meta_only(name_is_dns_subdomain, True),
    "Event": validate_event,
    "HorizontalPodAutoscaler": validate_hpa,
    "Role": lambda o: validate_role(o, True),
    "ClusterRole": lambda o: validate_role(o, False),
    "RoleBinding": lambda o: validate_role_binding(o, True),
    "ClusterRoleBinding": lambda o: validate_role_binding(o, False),
    "Lease": validate_lease,
    "EndpointSlice": validate_endpoint_slice,
    "PriorityClass": validate_priority_class,
}


# Update validators that begin with ValidateObjectMetaUpdate of their own (so _update does not run it first).
_OWN_META_UPDATE: dict[str, Callable[[Obj, Obj], Errors]] = {
    "Pod": validate_pod_update,
    "Service": validate_service_update,
    "ConfigMap": validate_config_map_update,
    "Node": validate_node_update,
    "PriorityClass": validate_priority_class_update,
}


def _update(new: Obj, old: Obj, kind: str) -> Errors:
    own = _OWN_META_UPDATE.get(kind)
    if own is not None:
        return own(new, old)
    meta_update = validate_object_meta_update(_m(new, "metadata"), _m(old, "metadata"))
    rest = _NOT_METADATA.get(kind)
    if rest is not None:  # the create-time checks other than metadata (see _NOT_METADATA)
        errs = rest(new)
        return meta_update + [e for e in errs if not e.field.startswith("metadata.")] if errs else meta_update
    if kind == "Deployment":
        # ValidateDeploymentUpdate, then the apps/v1 strategy's selector check.
        return meta_update + validate_deployment_spec(_m(new, "spec")) + _selector_immutable(new, old)
    if kind == "ReplicaSet":
        return meta_update + validate_replica_set_spec(_m(new, "spec")) + _selector_immutable(new, old)
    if kind in ("RoleBinding", "ClusterRoleBinding"):
        return validate_role_binding_update(new, old, kind == "RoleBinding")
    if kind in ("Role", "ClusterRole"):
        # ValidateRoleUpdate / ValidateClusterRoleUpdate: ValidateRole of the new object first, then the meta update.
        return validate_role(new, kind == "Role") + meta_update
    if kind == "EndpointSlice":
        return meta_update + validate_endpoint_slice_update(new, old)
    if kind == "HorizontalPodAutoscaler":
        bound = 0 if _m(old, "spec").get("minReplicas") == 0 else 1
        return meta_update + [e for e in validate_hpa(new, bound) if not e.field.startswith("metadata.")]
    # Every other kind: ValidateXUpdate is ValidateObjectMetaUpdate plus the create-time checks of the new object,
    # without re-checking the (unchangeable) name. Kinds whose create-time checks split into metadata and the rest
    # (_NOT_METADATA, above) run only the rest: the same errors, as metadata errors are dropped here anyway.
    create = _CREATE[kind](new)
    return meta_update + [e for e in create if not e.field.startswith("metadata.")]


def _validate_lease_spec(lease: Obj) -> Errors:
    """``validate_lease`` without its object metadata: upstream ``ValidateLeaseSpec``."""
    spec = _m(lease, "spec")
    errs: Errors = []
    if spec.get("leaseDurationSeconds") is not None and _i(spec, "leaseDurationSeconds") <= 0:
        errs.append(invalid("spec.leaseDurationSeconds", spec["leaseDurationSeconds"], "must be greater than 0"))
    if spec.get("leaseTransitions") is not None and _i(spec, "leaseTransitions") < 0:
        errs.append(invalid("spec.leaseTransitions", spec["leaseTransitions"], IS_NEGATIVE_ERROR_MSG))
    return errs


# The create-time checks of a kind other than its object metadata, for an update (``ValidateLeaseUpdate`` is
# ``ValidateObjectMetaUpdate`` plus ``ValidateLeaseSpec``; an Event's update is the meta update plus
# ``legacyValidateEvent``; a ServiceAccount's has nothing but its metadata).
_NOT_METADATA: dict[str, Callable[[Obj], Errors]] = {
    "Lease": _validate_lease_spec,
    "Event": lambda ev: legacy_validate_event(ev),
    "ServiceAccount": lambda _sa: [],
}

_GREATER_THAN_REPLICAS = "cannot be greater than status.replicas"


def _replica_counts(status: Obj, path: str, first: str) -> Errors:
    """The comparisons ``ValidateDeploymentStatus`` and ``ValidateReplicaSetStatus`` share: ``first``
    (``updatedReplicas`` or ``fullyLabeledReplicas``), ``readyReplicas`` and ``availableReplicas`` at most
    ``replicas``, in that order, then ``availableReplicas`` at most ``readyReplicas``."""
    errs: Errors = []
    replicas = _i(status, "replicas")
    for name in (first, "readyReplicas", "availableReplicas"):
        value = _i(status, name)
        if value > replicas:
            errs.append(invalid(f"{path}.{name}", value, _GREATER_THAN_REPLICAS))
    available = _i(status, "availableReplicas")
    if available > _i(status, "readyReplicas"):
        errs.append(invalid(f"{path}.availableReplicas", available, "cannot be greater than readyReplicas"))
    return errs


def validate_deployment_status(status: Obj, path: str = "status") -> Errors:
    """Upstream ``ValidateDeploymentStatus`` (``pkg/apis/apps/validation/validation.go``): every count and
    ``observedGeneration`` non-negative, ``collisionCount`` too when set; ``updatedReplicas``, ``readyReplicas`` and
    ``availableReplicas`` at most ``replicas``, and ``availableReplicas`` at most ``readyReplicas``."""
    errs: Errors = []
    for name in ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas"):
        errs += validate_nonnegative_field(_i(status, name), f"{path}.{name}")
    errs += validate_nonnegative_field(_i(status, "unavailableReplicas"), f"{path}.unavailableReplicas")
    if status.get("collisionCount") is not None:
        errs += validate_nonnegative_field(_i(status, "collisionCount"), f"{path}.collisionCount")
    return errs + _replica_counts(status, path, "updatedReplicas")


def validate_deployment_status_update(new: Obj, old: Obj) -> Errors:
    """Upstream ``ValidateDeploymentStatusUpdate``, what ``deployments/status`` validates
    (``deploymentStatusStrategy.ValidateUpdate``, ``pkg/registry/apps/deployment/strategy.go``): the object metadata
    update, the status (:func:`validate_deployment_status`) and a ``collisionCount`` that is not decremented (nor
    dropped once set). Not the spec: the status strategy has already put the stored spec (and labels) back."""
    errs = validate_object_meta_update(_m(new, "metadata"), _m(old, "metadata"))
    status, old_status = _m(new, "status"), _m(old, "status")
    errs += validate_deployment_status(status)
    count, old_count = status.get("collisionCount"), old_status.get("collisionCount")
    if old_count is not None and (count is None or _i(status, "collisionCount") < _i(old_status, "collisionCount")):
        errs.append(invalid("status.collisionCount", 0 if count is None else count, "cannot be decremented"))
    return errs


def validate_replica_set_status(status: Obj, path: str = "status") -> Errors:
    """Upstream ``ValidateReplicaSetStatus``: every count and ``observedGeneration`` non-negative;
    ``fullyLabeledReplicas``, ``readyReplicas`` and ``availableReplicas`` at most ``replicas``, and
    ``availableReplicas`` at most ``readyReplicas``."""
    errs: Errors = []
    for name in ("replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas", "observedGeneration"):
        errs += validate_nonnegative_field(_i(status, name), f"{path}.{name}")
    return errs + _replica_counts(status, path, "fullyLabeledReplicas")


def validate_replica_set_status_update(new: Obj, old: Obj) -> Errors:
    """Upstream ``ValidateReplicaSetStatusUpdate``, what ``replicasets/status`` validates
    (``rsStatusStrategy.ValidateUpdate``, ``pkg/registry/apps/replicaset/strategy.go``): the object metadata update
    and the status (:func:`validate_replica_set_status`); not the spec, which the status strategy put back."""
    errs = validate_object_meta_update(_m(new, "metadata"), _m(old, "metadata"))
    return errs + validate_replica_set_status(_m(new, "status"))


# Validation of a write to the status subresource, where upstream's status strategy differs from the update's.
_STATUS_UPDATE: dict[str, Callable[[Obj, Obj], Errors]] = {
    "Pod": validate_pod_status_update,
    "Deployment": validate_deployment_status_update,
    "ReplicaSet": validate_replica_set_status_update,
}


def validate(obj: dict, old: dict | None = None, subresource: str = "") -> list[FieldError]:
    """Validate ``obj`` as the API server would on create (``old`` is None) or update; all errors, in order.

    ``subresource="status"`` validates an update of the status subresource, as the kind's status strategy does
    (``ValidatePodStatusUpdate``, ``ValidateDeploymentStatusUpdate``, ``ValidateReplicaSetStatusUpdate``; the other
    kinds' status updates are validated as updates).

    Never raises: an object of an unknown kind, or one whose fields have the wrong types, gets an
    ``Invalid value`` error instead.
    """
    if type(obj) is not dict and not isinstance(obj, Mapping):
        return [invalid("<nil>", Verbatim(type(obj).__name__), "must be an object")]
    try:
        kind = kind_of(obj)  # type: ignore[arg-type]
    except UnknownKind as err:
        return [invalid("kind", obj.get("kind"), str(err))]
    try:
        if old is None:
            return _CREATE[kind.kind](obj)
        if type(old) is not dict and not isinstance(old, Mapping):
            return [invalid("<nil>", Verbatim(type(old).__name__), "old object must be an object")]
        if subresource == "status":
            status_update = _STATUS_UPDATE.get(kind.kind)
            if status_update is not None:
                return status_update(obj, old)
        return _update(obj, old, kind.kind)
    except _Shape as err:
        return [invalid(err.name, Verbatim(repr(err.value)), "has the wrong type")]
    except Exception as err:
        return [invalid("<nil>", Verbatim(type(err).__name__), f"malformed object: {err}")]


def invalid_message(obj: dict, errors: list[FieldError]) -> str:
    """Upstream ``NewInvalid``'s message: ``Deployment.apps "web" is invalid: <aggregate>``."""
    try:
        qualified = kind_of(obj).qualified_kind
    except (UnknownKind, AttributeError):
        qualified = str(obj.get("kind", "")) if isinstance(obj, Mapping) else ""
    meta = obj.get("metadata") if isinstance(obj, Mapping) else None
    name = meta.get("name", "") if isinstance(meta, Mapping) else ""
    name = name if isinstance(name, str) else str(name)
    aggregated = aggregate_message(errors)
    if not aggregated:
        return f"{qualified} {go_quote(name)} is invalid"
    return f"{qualified} {go_quote(name)} is invalid: {aggregated}"


__all__ = ["invalid_message", "validate"]
