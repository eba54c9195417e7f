"""Schema validation: the first check a manifest meets, against the real Kubernetes OpenAPI schema, offline.

Before the API server runs a kind's validation (``ValidateDeployment`` and friends), it has to *decode* the request
body into the kind's Go type. That step already rejects a manifest whose ``kind`` or ``apiVersion`` is missing or
unknown, a field the type does not declare (``spec.replicaz``), a value of the wrong JSON type (``replicas: "3"``)
and a number too large for its ``int32``. :func:`validate_schema` is that step for the model: it checks a manifest
(a dict, as ``yaml.safe_load`` gives it) against the OpenAPI schema of Kubernetes :data:`KUBERNETES_VERSION`, as
shipped by the ``kubernetes-validate`` package (its ``-local-strict`` JSON schemas, which forbid undeclared
fields), and returns **every** problem at once, sorted by field path, as :class:`~k8smodel.api.field.FieldError`
values. It never raises and never changes its argument.

How each kind of problem is worded, and where the wording comes from (kubernetes/kubernetes unless named):

``unknown field "spec.template.spec.containers[0].imagez"``
    An undeclared field: the strict-decoding error of ``sigs.k8s.io/json`` (``UnmarshalStrict``, kept in
    ``saveStrictError``), which the API server returns for ``fieldValidation=Strict``, kubectl's default
    (server-side field validation, KEP-2885, GA in 1.27): ``Deployment in version "v1" cannot be handled as a
    Deployment: strict decoding error:
    unknown field "spec.replicaz"`` (``apiserver/pkg/endpoints/handlers/rest.go``, ``transformDecodeError``).
    The same words are kubectl's warning under ``--validate=warn``. Upstream this is not a ``field.Error``, so it
    is a :class:`DecodeError`, whose ``str()`` is upstream's text verbatim. Server-side apply words the same
    finding ``.spec.replicaz: field not declared in schema`` (structured-merge-diff); the model uses the create
    path's words.
``spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"``
    A value of the wrong JSON type. Typed decoding of a built-in kind reports only the first such value, as
    ``json: cannot unmarshal string into Go struct field ...``; the model reports all of them, in the words the
    API server uses when it checks a body against an OpenAPI schema: ``k8s.io/kube-openapi``
    ``pkg/validation/errors/schema.go`` (``InvalidType``, ``typeFailWithData``) and ``validate/type.go``, turned
    into a ``field.TypeInvalid`` by apiextensions-apiserver's ``kubeOpenAPIResultToFieldErrors``
    (``apiserver/validation/validation.go``). The bad "value" is the JSON type found, as there. An int-or-string
    field expects ``integer,string`` (``intstr.IntOrString.OpenAPIV3OneOfTypes``, and apiextensions'
    ``x-kubernetes-int-or-string`` conversion), a quantity ``string,number`` (the published schema's ``oneOf``
    for ``resource.Quantity``). A badly formed ``date-time`` or ``byte`` string is the same error with the format
    as the type (kube-openapi ``validate/values.go``, ``FormatOf``).
``spec.selector: Required value``
    A field the schema requires: ``errors.Required`` mapped to ``field.Required(path, "")`` by the same function.
``spec.replicas: Invalid value: 4294967296: spec.replicas in body should be less than or equal to 2147483647``
    A number outside its ``int32``/``int64`` format (typed decoding's ``cannot unmarshal number ... of type
    int32``): kube-openapi's ``ExceedsMaximumInt``/``ExceedsMinimumInt`` wording (``maxIncFail``,
    ``minIncFail``) through the default ``field.Invalid`` branch.
``kind: Unsupported value: "X": supported values: "Y"``
    An ``enum`` the schema declares: ``field.NotSupported`` (``EnumFailCode`` branch). Kubernetes' published
    schemas declare enums only on ``apiVersion`` and ``kind``, which the header check below handles first.

The header (``apiVersion`` and ``kind``) is read first, as the API server's decoder reads it, and its errors stop
validation, since there is no schema to check the rest against:

- ``Object 'Kind' is missing in '{"apiVersion":"v1"}'`` and ``Object 'apiVersion' is missing in '...'``:
  ``apimachinery/pkg/runtime/error.go`` (``missingKindErr``, ``missingVersionErr``), raised by
  ``runtime/serializer/json/json.go`` (``Serializer.Decode``) with the body as JSON (Go's compact form, sorted
  keys). Upstream stops at the first of the two; the model reports both.
- ``couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type
  string``: ``runtime/serializer/json/meta.go`` (``SimpleMetaFactory.Interpret``) over Go's ``encoding/json``;
  an ``apiVersion`` with two slashes gets ``schema.ParseGroupVersion``'s ``unexpected GroupVersion string: a/b/c``.
- ``no matches for kind "Deploymnt" in version "apps/v1"``: ``apimachinery/pkg/api/meta/errors.go``
  (``NoKindMatchError``), what kubectl prints before sending anything when discovery does not know the kind.
  The model's API server serves exactly the kinds in :data:`SCHEMA_KINDS`, so a real kind the model does not
  serve (a Secret, say) gets this error too, as on a cluster without that resource.

``kind: List`` (``apiVersion: v1``) is kubectl's client-side wrapper, never sent to the server: kubectl treats
each item as its own manifest (its schema validation's ``validateList``). The model does the same and prefixes
each item's paths and messages with ``items[i]``; a List without ``items`` is empty, one whose ``items`` is not a
list gets the type error above, and its other top-level fields are ignored, as kubectl ignores them.

Paths are spelled as the upstream code above spells them: fields joined by ``.``, list items as ``[i]``
(``spec.ports[0].nodeport``, as a real API server prints it), map keys as ``.key`` (``metadata.labels.app``, as
kube-openapi's ``objectValidator`` joins them, unlike ``field.Path.Key``'s ``[key]``).

Values are read as kubectl's YAML-to-JSON conversion (``sigs.k8s.io/yaml``) would send them: unquoted YAML
timestamps are strings (``yaml.v2`` keeps them as written), ``!!binary`` is its decoded text, non-string map keys
are strings (``1`` becomes ``"1"``), and a float with an integral value is an integer (``3.0`` reaches the server
as ``3``). ``x-kubernetes-*`` extensions (list types, map keys, patch strategies, unions) describe merging, not
decoding, so they impose nothing here.

Speed: each kind's schema is compiled once, lazily, into Python by ``fastjsonschema`` (with ``fast_fail=False``,
so one pass over a bad manifest collects every error), and the compiled bytecode is cached on disk (see
:func:`set_cache_dir`), so a fresh notebook kernel loads a kind in about a millisecond instead of compiling it for
up to half a second. A valid Pod takes about 0.1 ms, a large Deployment about 0.35 ms
(``benchmarks/bench_schema.py``).

What the model leaves out: YAML's duplicate keys (``duplicate field``) cannot be seen in a dict; NaN and infinite
numbers, which kubectl cannot convert to JSON, pass where the schema allows a number (a quantity); a YAML
anchor that contains itself gets go-yaml's ``anchor ... value contains itself`` without the anchor's name; the
``StatusCause`` type of a type error is ``FieldValueInvalid`` here (upstream ``FieldValueTypeInvalid``, which
:class:`~k8smodel.api.field.ErrorType` does not have; the message is the same).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

import fastjsonschema

from k8smodel.api.field import OMIT, ErrorType, FieldError, child, go_float, go_quote, index, not_supported, required

# --- which schemas ------------------------------------------------------------------------------------------------

_TARGET = (1, 33)  # the release the model reports (kubelet/node_status.py KUBELET_VERSION, serve/discovery.py)
_SCHEMA_ROOT = "kubernetes-json-schema"


def _schema_root() -> Path:
    """The schema files of the ``kubernetes-validate`` package, found without importing it: its ``__init__`` imports
    ``jsonschema``, which compiles the Lark grammar of ``rfc3987_syntax`` at import (about 2.7 s on this machine,
    ``python -X importtime``), and the model uses only the files."""
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the kubernetes-validate package (the Kubernetes JSON schemas) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / _SCHEMA_ROOT


def _schema_dir_name() -> str:
    """The newest ``vX.Y.Z-local-strict`` directory of ``kubernetes-validate`` not newer than the target."""
    root = _schema_root()
    found = []
    for entry in root.iterdir():
        m = re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)-local-strict", entry.name)
        if m and (int(m[1]), int(m[2])) <= _TARGET:
            found.append(((int(m[1]), int(m[2]), int(m[3])), entry.name))
    if not found:
        raise RuntimeError(f"kubernetes-validate has no strict schemas for Kubernetes <= {_TARGET}")
    return max(found)[1]


_SCHEMA_DIR = _schema_dir_name()
#: The Kubernetes release whose API schema the model validates against (``major.minor``).
KUBERNETES_VERSION: str = ".".join(_SCHEMA_DIR[1:].split("-")[0].split(".")[:2])

#: The kinds the model's API server serves: ``(apiVersion, kind)`` to the OpenAPI definition that describes it.
SCHEMA_KINDS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("v1", "Pod"): "io.k8s.api.core.v1.Pod",
        ("v1", "Node"): "io.k8s.api.core.v1.Node",
        ("v1", "Namespace"): "io.k8s.api.core.v1.Namespace",
        ("v1", "Service"): "io.k8s.api.core.v1.Service",
        ("v1", "Event"): "io.k8s.api.core.v1.Event",
        ("v1", "ConfigMap"): "io.k8s.api.core.v1.ConfigMap",
        ("v1", "ServiceAccount"): "io.k8s.api.core.v1.ServiceAccount",
        ("apps/v1", "ReplicaSet"): "io.k8s.api.apps.v1.ReplicaSet",
        ("apps/v1", "Deployment"): "io.k8s.api.apps.v1.Deployment",
        ("discovery.k8s.io/v1", "EndpointSlice"): "io.k8s.api.discovery.v1.EndpointSlice",
        ("autoscaling/v2", "HorizontalPodAutoscaler"): "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler",
        ("coordination.k8s.io/v1", "Lease"): "io.k8s.api.coordination.v1.Lease",
        ("events.k8s.io/v1", "Event"): "io.k8s.api.events.v1.Event",
        ("rbac.authorization.k8s.io/v1", "Role"): "io.k8s.api.rbac.v1.Role",
        ("rbac.authorization.k8s.io/v1", "RoleBinding"): "io.k8s.api.rbac.v1.RoleBinding",
        ("rbac.authorization.k8s.io/v1", "ClusterRole"): "io.k8s.api.rbac.v1.ClusterRole",
        ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): "io.k8s.api.rbac.v1.ClusterRoleBinding",
        ("scheduling.k8s.io/v1", "PriorityClass"): "io.k8s.api.scheduling.v1.PriorityClass",
    }
)

#: kubectl's client-side list wrapper (``metav1.List``); its items are validated one by one.
LIST_KIND = ("v1", "List")


# --- errors that upstream does not word as field.Error --------------------------------------------------------------


class DecodeErrorType(StrEnum):
    """What went wrong while decoding, before any field could be validated."""

    UNKNOWN_FIELD = "unknown field"  # sigs.k8s.io/json strict decoding
    MISSING_KIND = "missing kind"  # runtime.missingKindErr
    MISSING_VERSION = "missing apiVersion"  # runtime.missingVersionErr
    TYPE_META = "unreadable apiVersion/kind"  # SimpleMetaFactory.Interpret, schema.ParseGroupVersion
    NO_KIND_MATCH = "no kind match"  # meta.NoKindMatchError
    YAML_TO_JSON = "not convertible to JSON"  # sigs.k8s.io/yaml (go-yaml's self-containing anchor)

    @property
    def reason(self) -> str:
        """The ``StatusReason`` of the response: the server cannot find the resource, or cannot read the body."""
        return "NotFound" if self is DecodeErrorType.NO_KIND_MATCH else "BadRequest"


class DecodeError(FieldError):
    """An error upstream reports as a plain message rather than a ``field.Error``.

    ``type`` is a :class:`DecodeErrorType`, ``field`` the path it concerns (for sorting and for programs) and
    ``detail`` upstream's whole message, which is also ``str()``: ``unknown field "spec.replicaz"``. The API server
    answers these with ``400 BadRequest`` (``reason``), not ``422 Invalid``.
    """

    def body(self) -> str:
        return self.detail

    def __str__(self) -> str:
        return self.detail


def _decode_error(kind: DecodeErrorType, path: str, message: str) -> DecodeError:
    return DecodeError(kind, path, OMIT, message)


# --- the public entry point ---------------------------------------------------------------------------------------


def validate_schema(obj: object) -> list[FieldError]:
    """Check a manifest against its kind's OpenAPI schema; every error, sorted by path; ``[]`` if it is valid.

    Accepts anything ``yaml.safe_load`` returns and never raises: an unexpected failure inside the model comes
    back as one ``Internal error``, as the API server turns a panic into a 500.
    """
    try:
        errors = _validate(obj, "")
    except RecursionError:
        return [_decode_error(DecodeErrorType.YAML_TO_JSON, "", "json: exceeded max depth")]
    except Exception as exc:  # a bug in the model must not crash the caller's notebook
        return [FieldError(ErrorType.INTERNAL, "", None, f"schema validation failed: {exc!r}")]
    unique = {(type(e), e.field, str(e)): e for e in errors}
    return sorted(unique.values(), key=lambda e: (_path_key(e.field), str(e)))


def warm_up(kinds: Iterable[tuple[str, str]] | None = None) -> None:
    """Compile (or load from the disk cache) the validators of ``kinds``, all of :data:`SCHEMA_KINDS` by default."""
    for key in SCHEMA_KINDS if kinds is None else kinds:
        _validator(SCHEMA_KINDS[key])


# --- header: apiVersion and kind ----------------------------------------------------------------------------------

_TYPE_META_GO = (
    'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }'
)


def _go_json_kind(value: object) -> str:
    """The JSON kind Go's ``UnmarshalTypeError`` names: ``object``, ``array``, ``string``, ``number``, ``bool``."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, Mapping | set | frozenset):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return "string"


def _validate(obj: object, prefix: str) -> list[FieldError]:
    """Errors for one manifest whose paths are prefixed with ``prefix`` (``items[3]`` inside a List)."""
    if obj is None:
        obj = {}
        body = "null"
    elif not isinstance(obj, Mapping):
        message = f"couldn't get version/kind; json parse error: json: cannot unmarshal {_go_json_kind(obj)} into Go "
        return [_decode_error(DecodeErrorType.TYPE_META, prefix, message + f"value of type {_TYPE_META_GO}")]
    else:
        body = None

    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    errors: list[FieldError] = []
    for name, value in (("apiVersion", api_version), ("kind", kind)):
        if value is not None and not isinstance(value, str):
            errors.append(
                _decode_error(
                    DecodeErrorType.TYPE_META,
                    child(prefix, name),
                    "couldn't get version/kind; json parse error: json: cannot unmarshal "
                    f"{_go_json_kind(value)} into Go struct field .{name} of type string",
                )
            )
    if errors:
        return errors

    group, version = _parse_group_version(api_version or "")
    if version is None:
        return [
            _decode_error(
                DecodeErrorType.TYPE_META, child(prefix, "apiVersion"), f"unexpected GroupVersion string: {api_version}"
            )
        ]
    if not kind:
        errors.append(_missing(DecodeErrorType.MISSING_KIND, child(prefix, "kind"), "Kind", obj, body))
    if not version:
        errors.append(_missing(DecodeErrorType.MISSING_VERSION, child(prefix, "apiVersion"), "apiVersion", obj, body))
    if errors:
        return errors

    group_version = f"{group}/{version}" if group else version
    if (group_version, kind) == LIST_KIND:
        return _validate_list(obj, prefix)
    definition = SCHEMA_KINDS.get((group_version, kind))
    if definition is None:
        message = f"no matches for kind {go_quote(kind)} in version {go_quote(group_version)}"
        return [_decode_error(DecodeErrorType.NO_KIND_MATCH, child(prefix, "kind"), message)]

    validate = _validator(definition)
    try:
        validate(obj)
        return []
    except Exception:  # any failure (even on odd keys): look closer, below
        pass
    problems: list[FieldError] = []
    data = _json_like(obj, prefix, set(), problems)
    try:
        validate(data)
    except fastjsonschema.JsonSchemaValuesException as exc:
        problems.extend(_field_errors(exc.errors, prefix))
    return problems


def _parse_group_version(text: str) -> tuple[str, str | None]:
    """``schema.ParseGroupVersion``: ``("apps", "v1")``; ``None`` as the version when the string is malformed."""
    if text in ("", "/"):
        return "", ""
    slashes = text.count("/")
    if slashes == 0:
        return "", text
    if slashes == 1:
        group, version = text.split("/")
        return group, version
    return "", None


def _missing(kind: DecodeErrorType, path: str, what: str, obj: Mapping, body: str | None) -> DecodeError:
    if body is None:
        body = _go_json(_json_like(obj, "", set(), []))
    return _decode_error(kind, path, f"Object '{what}' is missing in '{body}'")


def _go_json(value: object) -> str:
    """Go's ``json.Marshal`` of a decoded manifest: compact, map keys sorted, ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False, default=str)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028")):
        text = text.replace(raw, escaped)
    return text.replace("\u2029", "\\u2029")


def _validate_list(obj: Mapping, prefix: str) -> list[FieldError]:
    """kubectl's ``validateList``: ``items`` must be a list; each item is a manifest of its own."""
    items = obj.get("items")
    if items is None:
        return []
    path = child(prefix, "items")
    if not isinstance(items, list | tuple):
        return [_type_error(path, _json_type(items), ["array"])]
    errors: list[FieldError] = []
    for i, item in enumerate(items):
        errors.extend(_validate(item, index(path, i)))
    return errors


# --- from what fastjsonschema found to what the API server says ---------------------------------------------------


def _json_type(value: object) -> str:
    """The JSON type kube-openapi's ``schemaInfoForType`` names for a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return type(value).__name__


def _type_error(path: str, found: str, expected: Iterable[str]) -> FieldError:
    """kube-openapi ``errors.InvalidType`` as ``field.TypeInvalid``: the found type is the bad value."""
    detail = f"{path} in body must be of type {','.join(expected)}: {go_quote(found)}"
    return FieldError(ErrorType.INVALID, path, found, detail)


def _field_errors(found: Iterable[fastjsonschema.JsonSchemaValueException], prefix: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for exc in found:
        name = exc.name or "data"
        relative = name[5:] if name.startswith("data.") else ""
        path = child(prefix, relative) if relative else prefix
        definition = exc.definition if isinstance(exc.definition, Mapping) else {}
        value = exc.value
        rule = exc.rule
        if rule == "additionalProperties" and isinstance(value, Mapping):
            declared = definition.get("properties", {})
            for key in value:
                if key not in declared:
                    field_path = child(path, str(key))
                    errors.append(
                        _decode_error(
                            DecodeErrorType.UNKNOWN_FIELD, field_path, f"unknown field {go_quote(field_path)}"
                        )
                    )
        elif rule == "required" and isinstance(value, Mapping):
            for key in sorted(set(definition.get("required", ())) - set(value)):
                errors.append(required(child(path, key)))
        elif rule == "type":
            types = definition.get("type", ())
            expected = [types] if isinstance(types, str) else [t for t in types if t != "null"]
            errors.append(_type_error(path, _json_type(value), expected))
        elif rule == "format":
            fmt = definition.get("format", "")
            detail = f"{path} in body must be of type {fmt}: {go_quote(str(value))}"
            errors.append(FieldError(ErrorType.INVALID, path, value, detail))
        elif rule in ("maximum", "minimum"):
            limit = definition.get(rule)
            words = "less than or equal to" if rule == "maximum" else "greater than or equal to"
            errors.append(FieldError(ErrorType.INVALID, path, value, f"{path} in body should be {words} {limit}"))
        elif rule == "enum":
            errors.append(
                not_supported(path, value, [v if isinstance(v, str) else json.dumps(v) for v in definition["enum"]])
            )
        else:  # a keyword the published schemas do not use today
            errors.append(FieldError(ErrorType.INVALID, path, _json_type(value), exc.message))
    return errors


# --- YAML values as kubectl would send them -----------------------------------------------------------------------


def _key_text(key: object) -> str:
    """``sigs.k8s.io/yaml`` turns non-string map keys into strings: ``1`` → ``"1"``, ``true`` → ``"true"``."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        return go_float(key)
    if key is None:
        return "null"
    if isinstance(key, _dt.date | bytes | bytearray):
        return _scalar_text(key)
    return str(key)


def _scalar_text(value: _dt.date | bytes | bytearray) -> str:
    """A YAML timestamp as the string kubectl keeps; ``!!binary`` as its decoded text."""
    if isinstance(value, _dt.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, _dt.date):
        return value.isoformat()
    return bytes(value).decode("utf-8", "replace")


def _json_like(value: Any, path: str, active: set[int], problems: list[FieldError]) -> Any:
    """A copy of ``value`` made of JSON's types; a container that contains itself becomes ``None`` (reported)."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Mapping | list | tuple | set | frozenset):
        if id(value) in active:
            message = "error converting YAML to JSON: yaml: anchor value contains itself"
            problems.append(_decode_error(DecodeErrorType.YAML_TO_JSON, path, message))
            return None
        active.add(id(value))
        try:
            if isinstance(value, Mapping):
                out: dict[str, Any] = {}
                for key, item in value.items():
                    text = _key_text(key)
                    out[text] = _json_like(item, child(path, text), active, problems)
                return out
            if isinstance(value, set | frozenset):
                return {_key_text(k): None for k in sorted(value, key=_key_text)}
            return [_json_like(item, index(path, i), active, problems) for i, item in enumerate(value)]
        finally:
            active.discard(id(value))
    if isinstance(value, _dt.date | bytes | bytearray):
        return _scalar_text(value)
    return value


def _path_key(path: str) -> tuple:
    """Sort key of a path: names alphabetically, list indexes numerically (``[2]`` before ``[10]``)."""
    return tuple((1, int(m[1]), "") if m[1] is not None else (0, 0, m[2]) for m in _SEGMENT.finditer(path))


_SEGMENT = re.compile(r"\[(\d+)\]|([^.\[]+|\[)")


# --- schemas to validators ------------------------------------------------------------------------------------------

# Keys that describe rather than constrain a value, besides every x-kubernetes-* extension (merge strategies, list
# types, map keys, unions); the two formats decoding checks are put back by _transform.
_DESCRIPTIVE = frozenset({"description", "$schema", "$id", "format"})
# How the two one-of types of apimachinery spell their alternatives (see the module docstring).
_UNION_TYPES = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": ["integer", "string", "null"],
    "io.k8s.apimachinery.pkg.api.resource.Quantity": ["string", "number", "null"],
}
_INT_RANGE = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
# Go's time.Parse(time.RFC3339, ...), which metav1.Time and metav1.MicroTime decode with.
_DATE_TIME = (
    r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])\Z"
)
# Go's base64.StdEncoding, which []byte fields decode with: padded, CR and LF ignored anywhere.
_B64 = r"[A-Za-z0-9+/][\r\n]*"
_BYTE = rf"^[\r\n]*(?:{_B64}{_B64}{_B64}{_B64})*(?:{_B64}{_B64}=[\r\n]*=[\r\n]*|{_B64}{_B64}{_B64}=[\r\n]*)?\Z"
_FORMATS = {"date-time": _DATE_TIME, "byte": _BYTE}


def _transform(node: Any, name: str = "") -> Any:
    """A published schema node, reduced to what decoding checks and spelled for fastjsonschema."""
    if isinstance(node, list):
        return [_transform(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DESCRIPTIVE or key.startswith("x-kubernetes-"):
            continue
        if key == "properties":
            out[key] = {prop: _transform(schema) for prop, schema in value.items()}
        elif key == "$ref":
            out[key] = "#/$defs/" + value.rsplit("/", 1)[-1]
        else:
            out[key] = _transform(value)
    fmt = node.get("format")
    if fmt in _FORMATS:
        out["format"] = fmt
    if fmt in _INT_RANGE:
        out["minimum"], out["maximum"] = _INT_RANGE[fmt]
    branches = out.get("oneOf")
    if branches and all(isinstance(b, dict) and set(b) == {"type"} for b in branches):
        del out["oneOf"]
        types: list[str] = []
        for branch in branches:
            for t in [branch["type"]] if isinstance(branch["type"], str) else branch["type"]:
                if t not in types:
                    types.append(t)
        out["type"] = _UNION_TYPES.get(name, types)
        if "integer" in types and "number" not in types:  # an int-or-string's integer is an int32
            out["minimum"], out["maximum"] = _INT_RANGE["int32"]
    return out


_definitions_cache: dict[str, Any] = {}


def _definitions() -> dict[str, Any]:
    if not _definitions_cache:
        path = _schema_root() / _SCHEMA_DIR / "_definitions.json"
        _definitions_cache.update(json.loads(path.read_text(encoding="utf-8"))["$defs"])
    return _definitions_cache


def _refs(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value.rsplit("/", 1)[-1]
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def schema_for(definition: str) -> dict[str, Any]:
    """The JSON schema (draft 7, local ``$defs``) that :func:`validate_schema` checks a kind's manifests against."""
    defs = _definitions()
    needed: dict[str, Any] = {}
    todo = [definition]
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed[name] = _transform(defs[name], name)
        todo.extend(_refs(needed[name]))
    # apiVersion and kind were checked against SCHEMA_KINDS already (a "/v1" apiVersion is "v1" to the server).
    for header in ("apiVersion", "kind"):
        needed[definition].get("properties", {}).get(header, {}).pop("enum", None)
    return {"$ref": f"#/$defs/{definition}", "$defs": dict(sorted(needed.items()))}


def _compile_code(definition: str) -> Any:
    source = fastjsonschema.compile_to_code(
        schema_for(definition), formats=_FORMATS, use_default=False, fast_fail=False, detailed_exceptions=True
    )
    return compile(source, f"<schema {definition}>", "exec")


def _load(code: Any) -> Callable[[Any], Any]:
    namespace: dict[str, Any] = {"__name__": "k8smodel.api._compiled_schema"}
    exec(code, namespace)  # our own generated validator
    return namespace["validate"]


# --- caches: compiled validators in memory, their bytecode on disk ------------------------------------------------

_validators: dict[str, Callable[[Any], Any]] = {}
_UNSET = object()
_cache_dir: Any = _UNSET


def _default_cache_dir() -> Path | None:
    env = os.environ.get("K8SMODEL_SCHEMA_CACHE")
    if env is not None:
        return Path(env) if env.strip() and env.strip().lower() not in ("0", "off", "none", "false") else None
    project = Path(__file__).resolve().parents[2]
    if (project / "pyproject.toml").is_file():
        return project / ".cache" / "schema"
    return Path.home() / ".cache" / "k8smodel" / "schema"


def set_cache_dir(path: str | os.PathLike[str] | None) -> None:
    """Where compiled validators are cached on disk; ``None`` turns the disk cache off.

    The default is ``.cache/schema`` in the project (or ``~/.cache/k8smodel/schema``), overridden by the
    environment variable ``K8SMODEL_SCHEMA_CACHE`` (a directory, or ``off``). Files are keyed by the versions of
    kubernetes-validate, fastjsonschema, Python and this module's source, so a change to any of them recompiles.
    """
    global _cache_dir
    _cache_dir = None if path is None else Path(path)


def cache_dir() -> Path | None:
    """The directory of the disk cache, or ``None`` when it is off."""
    global _cache_dir
    if _cache_dir is _UNSET:
        _cache_dir = _default_cache_dir()
    return _cache_dir


def clear_memory_cache() -> None:
    """Forget compiled validators (the disk cache stays): the next validation of each kind loads or compiles it."""
    _validators.clear()
    _definitions_cache.clear()


@functools.cache
def _cache_salt() -> str:
    """Everything a compiled validator depends on besides its kind: schemas, generator, Python, this module."""
    parts = [
        _SCHEMA_DIR,
        importlib.metadata.version("kubernetes-validate"),
        fastjsonschema.VERSION,
        sys.implementation.cache_tag or sys.version,
        hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
    ]
    return "\0".join(parts)


def _cache_key(definition: str) -> str:
    return hashlib.sha256(f"{definition}\0{_cache_salt()}".encode()).hexdigest()[:20]


def _validator(definition: str) -> Callable[[Any], Any]:
    validate = _validators.get(definition)
    if validate is not None:
        return validate
    directory = cache_dir()
    target = directory / f"{definition}.{_cache_key(definition)}.marshal" if directory else None
    code = None
    if target is not None and target.is_file():
        try:
            code = marshal.loads(target.read_bytes())
            validate = _load(code)
        except Exception:  # a damaged cache file is recompiled
            code = validate = None
    if validate is None:
        code = _compile_code(definition)
        validate = _load(code)
        if target is not None:
            _store(target, marshal.dumps(code))
    _validators[definition] = validate
    return validate


def _store(target: Path, payload: bytes) -> None:
    """Write atomically (a concurrent kernel sees the old file or the new one) and drop stale versions."""
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, target)
        tmp = None
        definition = target.name.rsplit(".", 2)[0]
        for old in target.parent.glob(f"{definition}.*.marshal"):
            if old != target and old.name.rsplit(".", 2)[0] == definition:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full disk only costs the next kernel a compile
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()


__all__ = [
    "KUBERNETES_VERSION",
    "LIST_KIND",
    "SCHEMA_KINDS",
    "DecodeError",
    "DecodeErrorType",
    "cache_dir",
    "clear_memory_cache",
    "schema_for",
    "set_cache_dir",
    "validate_schema",
    "warm_up",
]
