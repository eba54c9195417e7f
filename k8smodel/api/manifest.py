"""Manifests: the YAML or JSON a user would ``kubectl apply -f``, in and out.

In
    :func:`load_manifests` reads what ``kubectl apply -f`` reads: a multi-document YAML stream (documents separated
    by ``---``), a JSON object or a stream of them, a ``kind: List`` (or any object with ``items``, such as a
    ``PodList``) flattened into its items, a dict or a list of dicts, a path to a file, or a path to a directory of
    ``.json``/``.yaml``/``.yml`` files read in name order (``recursive=True`` is ``kubectl -R``). Empty documents
    and documents that are just ``null`` are skipped, as kubectl's ``StreamVisitor`` skips them
    (``staging/src/k8s.io/cli-runtime/pkg/resource/visitor.go``).

    A text source that starts with ``{`` is a JSON stream, anything else is YAML, as
    ``yaml.NewYAMLOrJSONDecoder`` (``staging/src/k8s.io/apimachinery/pkg/util/yaml/decoder.go``) decides.
    A ``str`` is always manifest text; pass a :class:`pathlib.Path` to read a file.

Which YAML
    kubectl turns YAML into JSON with ``sigs.k8s.io/yaml`` (``YAMLToJSON``), which parses with go-yaml **v2**: YAML
    1.1 with go-yaml's own resolver (``resolve.go``), not PyYAML's. This module replaces PyYAML's implicit resolvers
    with a port of go-yaml v2's ``resolve`` so that a plain (unquoted) scalar means what it means to kubectl:

    =====================  ===================  ==================  ===================================================
    plain scalar           kubectl (go-yaml v2)  PyYAML SafeLoader   note
    =====================  ===================  ==================  ===================================================
    ``yes no on off``      true / false          true / false        YAML 1.1 booleans: quote them (``"on"``)
    ``y Y n N``            true / false          strings             go-yaml v2 adds these; ``NO`` (Norway) is false
    ``0755``               493                   493                 leading 0 is octal (YAML 1.1, Go ``ParseInt``)
    ``0o755``              493                   string              Go ``ParseInt`` base 0 accepts ``0o``
    ``08``                 8                     string              not octal, so a Go float, sent as JSON ``8``
    ``1_000``              1000                  1000                underscores dropped
    ``1e3``                1000                  string              Go floats need no dot; JSON sends ``1000``
    ``3.0``                3                     3.0                 JSON has one number type: Go marshals ``3``
    ``1:30``               string                90                  go-yaml has no sexagesimal numbers
    ``2026-01-01``         string                a ``date``          v2 keeps timestamps as strings in ``interface{}``
    ``=``                  string                an error            PyYAML's ``value`` tag is gone
    ``.nan .inf``          an error              nan / inf           ``json: unsupported value: NaN``
    =====================  ===================  ==================  ===================================================

    Quoted scalars are always strings. Non-string keys become strings, as ``YAMLToJSON`` makes them
    (``1: a`` is ``{"1": "a"}``, ``on: x`` is ``{"true": "x"}``); a ``null``, list or mapping key is an error.
    Merge keys (``<<: *base``) work. Unknown tags (``!foo``) are ignored, as go-yaml v2 ignores them. With a JSON
    source, numbers keep their JSON form (``3.0`` stays a float), as kubectl's JSON path keeps them.

Errors
    Bad input raises :class:`ManifestError` (a ``ValueError``) in kubectl's words, naming the source and the
    document (counted from 1), and never a PyYAML or ``json`` exception:

    * ``error parsing pod.yaml (document 1): error converting YAML to JSON: yaml: line 3: mapping values are not
      allowed in this context (column 15)`` (the problem text is libyaml's, which go-yaml shares);
    * ``error validating "pod.yaml" (document 1): error validating data: kind not set; if you choose to ignore these
      errors, turn validation off with --validate=false`` (kubectl's client-side check, ``getObjectKind`` in
      ``staging/src/k8s.io/kubectl/pkg/validation/schema.go``);
    * with ``validate=False``: ``unable to decode "pod.yaml" (document 1): Object 'Kind' is missing in '{...}'``
      (``runtime.NewMissingKindErr``; the JSON is compact with sorted keys, as Go marshals a map);
    * ``unable to decode "STDIN" (document 2): json: cannot unmarshal array into Go value of type
      map[string]interface {}`` for a document that is not a mapping.

Out
    :func:`dump_yaml` prints as ``kubectl get -o yaml`` does: ``sigs.k8s.io/yaml.Marshal`` goes through JSON and a
    Go map, so keys come out sorted at every level (``apiVersion, kind, metadata, spec, status`` is already
    alphabetical), block style, sequences not indented under their key, a string that would read back as something
    else double-quoted (``"true"``, ``"0755"``, ``"1e3"``), multi-line strings as ``|`` blocks. ``sort_keys=False``
    keeps the objects' own order. :func:`dump_json` prints as ``kubectl get -o json`` does: four-space indent
    (Go's ``json.MarshalIndent(obj, "", "    ")``), sorted keys, ``<``, ``>`` and ``&`` escaped.

What the model leaves out
    * kubectl splits a YAML stream into documents with its own line reader before parsing, so its line numbers
      count from the start of each document; here they count from the start of the file (more useful to a reader),
      and go-yaml's off-by-one for parser (not scanner) errors is not copied. The column is added.
    * go-yaml v2's limit on alias expansion ("billion laughs") and its error for a self-referencing anchor.
    * Client-side OpenAPI schema validation (unknown fields, wrong types): that is the API server's job in this
      model (``k8smodel.api.schema``).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from k8smodel.api.field import format_float_shortest

try:  # libyaml's C parser and emitter, about ten times faster than the pure-Python ones
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

FILE_EXTENSIONS = (".json", ".yaml", ".yml")
"""What ``kubectl -f <dir>`` reads from a directory (``FileExtensions`` in cli-runtime's ``visitor.go``)."""

STDIN = "STDIN"
"""The source name kubectl gives ``-f -``; used for text sources unless ``name=`` says otherwise."""


class ManifestError(ValueError):
    """A manifest kubectl would refuse; the message names the source, the document and the problem."""


# --- go-yaml v2's resolver (gopkg.in/yaml.v2 resolve.go) ------------------------------------------------------

_STR = "tag:yaml.org,2002:str"
_GO_PLAIN = "tag:k8smodel,2026:go-plain"  # a plain scalar whose meaning go-yaml's resolve() decides
_MERGE = "tag:yaml.org,2002:merge"

_RESOLVE_MAP: dict[str, Any] = {}
for _words, _value in (
    (("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    (("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    (("", "~", "null", "Null", "NULL"), None),
    ((".nan", ".NaN", ".NAN"), math.nan),
    ((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    (("-.inf", "-.Inf", "-.INF"), -math.inf),
):
    for _word in _words:
        _RESOLVE_MAP[_word] = _value

# resolveTable: the first characters that can start a non-string plain scalar.
_HINT_CHARS = "+-0123456789.yYnNtTfFoO~"
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?\Z")  # what Go's ParseFloat takes after a leading dot
_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z")  # go-yaml's isBase60Float
_DIGITS = {2: frozenset("01"), 8: frozenset("01234567"), 10: frozenset("0123456789"),
           16: frozenset("0123456789abcdefABCDEF")}  # fmt: skip


def _go_parse_int(text: str) -> int | None:
    """Go's ``strconv.ParseInt(text, 0, 64)``, then ``ParseUint(text, 0, 64)``: ``None`` where both fail."""
    body, negative = text, False
    if body[:1] in ("+", "-"):
        negative, body = body[0] == "-", body[1:]
    prefix = body[:2].lower()
    if prefix in ("0x", "0o", "0b"):
        base, digits = {"0x": 16, "0o": 8, "0b": 2}[prefix], body[2:]
    elif body[:1] == "0" and len(body) > 1:
        base, digits = 8, body[1:]
    else:
        base, digits = 10, body
    if not digits or not set(digits) <= _DIGITS[base]:
        return None
    value = int(digits, base)
    if negative:
        value = -value
    if -(1 << 63) <= value < (1 << 63) or (not text.startswith(("+", "-")) and value < (1 << 64)):
        return value
    return None


def go_resolve(text: str) -> Any:
    """What go-yaml v2 makes of the plain scalar ``text`` when decoding into ``interface{}``.

    ``True``/``False``, ``None``, an ``int``, a ``float`` (possibly ``nan``/``inf``), ``"<<"`` for a merge key,
    or the string itself. Port of ``resolve`` in ``gopkg.in/yaml.v2/resolve.go``; timestamps stay strings, as v2's
    decoder keeps them in an ``interface{}``.
    """
    if text == "<<":
        return text
    if text and text[0] not in _HINT_CHARS:
        return text
    if text in _RESOLVE_MAP:
        return _RESOLVE_MAP[text]
    first = text[0]
    if first == ".":
        if _DOT_FLOAT.match(text):
            return float(text)
        return text
    if first in "+-0123456789":
        plain = text.replace("_", "")
        if not plain:
            return text
        number = _go_parse_int(plain)
        if number is not None:
            return number
        if _YAML_STYLE_FLOAT.match(plain):
            value = float(plain)
            if not math.isinf(value):  # Go's ParseFloat fails with ErrRange: the scalar stays a string
                return value
    return text


def go_format_float(value: float) -> str:
    """Go's ``strconv.FormatFloat(value, 'g', -1, 64)``, as go-yaml prints a float (``src/strconv/ftoa.go``):
    exponent form when the decimal exponent is below -4 or at least 6: ``0.5``, ``1e+06``, ``1.2345675e+06``,
    ``1e-05``."""
    return format_float_shortest(value, 6, (".nan", ".inf", "-.inf"))


class _Fail(Exception):
    """A problem found while building the object; ``load_manifests`` turns it into a :class:`ManifestError`."""

    def __init__(self, message: str, mark: Any = None, prefix: str = ""):
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.prefix = prefix


def _json_number(value: float, node: Any) -> int | float:
    """A YAML float as it reaches the API server: JSON cannot carry NaN or infinities, and an integral float is
    marshalled by Go as an integer (``3.0`` -> ``3``), which decodes as an ``int64``."""
    if math.isnan(value) or math.isinf(value):
        text = "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
        raise _Fail(f"json: unsupported value: {text}", node.start_mark)
    if value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


def _go_repr(value: Any) -> str:
    """A value roughly as Go's ``%+#v`` prints it in ``YAMLToJSON``'s key error."""
    return "<nil>" if value is None else json.dumps(value, ensure_ascii=False)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """PyYAML's safe loader with go-yaml v2's scalar resolution and ``YAMLToJSON``'s key rules."""

    yaml_implicit_resolvers: dict = {}  # noqa: RUF012 - PyYAML's class-level registry, replaced here

    def construct_go_plain(self, node: ScalarNode) -> Any:
        value = go_resolve(node.value)
        if isinstance(value, float):
            return _json_number(value, node)
        return value

    def construct_undefined_tag(self, node: Any) -> Any:
        """Unknown tags (``!foo``): go-yaml v2 does not resolve them, so the node means its plain shape."""
        if isinstance(node, ScalarNode):
            return node.value
        if isinstance(node, SequenceNode):
            return [self.construct_object(child, deep=True) for child in node.value]
        return self.construct_mapping(node, deep=True)

    def construct_text(self, node: Any) -> Any:
        """``!!timestamp`` and ``!!binary``: go-yaml v2 hands ``interface{}`` a string."""
        if isinstance(node, ScalarNode):
            return node.value
        return self.construct_undefined_tag(node)

    def _key(self, node: Any, value_node: Any) -> str:
        if not isinstance(node, ScalarNode):
            shape = "[]interface {}" if isinstance(node, SequenceNode) else "map[interface {}]interface {}"
            raise _Fail(f"invalid map key: {shape}", node.start_mark, prefix="yaml: ")
        if node.tag == _GO_PLAIN:
            raw = go_resolve(node.value)
        elif node.tag == _STR:
            return node.value
        else:
            raw = self.construct_object(node, deep=True)
        if isinstance(raw, str):
            return raw
        if isinstance(raw, bool):
            return "true" if raw else "false"
        if isinstance(raw, int):
            return str(raw)
        if isinstance(raw, float):
            return go_format_float(raw)
        raise _Fail(
            "unsupported map key of type: %!s(<nil>), key: <nil>, "
            f"value: {_go_repr(self.construct_object(value_node, deep=True))}",
            node.start_mark,
        )

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:  # type: ignore[override]
        if not isinstance(node, MappingNode):
            raise _Fail("expected a mapping", node.start_mark, prefix="yaml: ")
        self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            mapping[self._key(key_node, value_node)] = self.construct_object(value_node, deep=deep)
        return mapping


for _first in (*_HINT_CHARS, ""):
    _Loader.add_implicit_resolver(_GO_PLAIN, re.compile(r""), [_first])
_Loader.add_implicit_resolver(_MERGE, re.compile(r"<<\Z"), ["<"])
_Loader.add_constructor(_GO_PLAIN, _Loader.construct_go_plain)
_Loader.add_constructor(None, _Loader.construct_undefined_tag)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_text)
_Loader.add_constructor("tag:yaml.org,2002:binary", _Loader.construct_text)
_Loader.add_constructor("tag:yaml.org,2002:omap", _Loader.construct_undefined_tag)
_Loader.add_constructor("tag:yaml.org,2002:pairs", _Loader.construct_undefined_tag)
_Loader.add_constructor("tag:yaml.org,2002:set", _Loader.construct_undefined_tag)


# --- sources ----------------------------------------------------------------------------------------------------


def _decode_text(data: bytes, name: str) -> str:
    """Bytes to text as go-yaml's reader would take them: UTF-8 (with or without BOM) or BOM-marked UTF-16."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ManifestError(
            f"error parsing {name}: error converting YAML to JSON: yaml: invalid leading UTF-8 octet (byte {err.start})"
        ) from None


def _files(path: Path, recursive: bool) -> list[Path]:
    """``kubectl -f`` on a path: the file itself, or the manifest files of a directory in name order
    (``ExpandPathsToFileVisitors`` walks with ``filepath.Walk``, which is lexical; subdirectories only with -R)."""
    if not path.exists():
        raise ManifestError(f'the path "{path}" does not exist')
    if not path.is_dir():
        return [path]
    found: list[Path] = []
    for root, dirs, names in os.walk(path):
        dirs.sort()
        if not recursive:
            dirs.clear()
        found.extend(Path(root, n) for n in names if n.endswith(FILE_EXTENSIONS))
    found.sort(key=lambda p: str(p).encode())
    if not found:
        raise ManifestError(f"error reading {path}: recognized file extensions are [.json .yaml .yml]")
    return found


def _where(name: str, doc: int, item: int | None = None, quote: bool = False) -> str:
    """``pod.yaml (document 2)``, or ``"pod.yaml" (document 2, item 1)`` where kubectl quotes the source."""
    where = f"document {doc}" if item is None else f"document {doc}, item {item}"
    return f'"{name}" ({where})' if quote else f"{name} ({where})"


def _yaml_documents(text: str, name: str) -> Iterator[tuple[int, Any]]:
    """Parse a YAML stream: (document number from 1, value) for each non-empty document."""
    loader = _Loader(text)
    doc = 0
    try:
        while loader.check_data():
            doc += 1
            value = loader.get_data()
            if value is not None:
                yield doc, value
    except _Fail as fail:
        raise ManifestError(_yaml_message(name, doc or 1, fail.prefix + fail.message, fail.mark)) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "unknown problem parsing YAML content"
        # A parser error found at the start of a new document belongs to the document being parsed.
        raise ManifestError(_yaml_message(name, doc or 1, "yaml: " + problem, mark)) from None
    except yaml.YAMLError as err:  # ReaderError: bad characters
        raise ManifestError(f"error parsing {name}: error converting YAML to JSON: yaml: {err}") from None
    except RecursionError:
        raise ManifestError(
            f"error parsing {_where(name, doc or 1)}: error converting YAML to JSON: yaml: exceeded max depth"
        ) from None
    finally:
        loader.dispose()


def _yaml_message(name: str, doc: int, problem: str, mark: Any) -> str:
    """``error parsing <src>: error converting YAML to JSON: yaml: line N: <problem>``, kubectl's words."""
    head = f"error parsing {_where(name, doc)}: error converting YAML to JSON: "
    if mark is None:
        return head + problem
    prefix, _, rest = problem.partition(": ")
    if prefix == "yaml":
        return f"{head}yaml: line {mark.line + 1}: {rest} (column {mark.column + 1})"
    return f"{head}{problem} (line {mark.line + 1}, column {mark.column + 1})"


def _reject_constant(token: str) -> Any:
    raise ValueError(f"invalid character '{token[0]}' looking for beginning of value")


_JSON = json.JSONDecoder(parse_constant=_reject_constant)
_SPACE = re.compile(r"\s*")


def _json_documents(text: str, name: str) -> Iterator[tuple[int, Any]]:
    """A stream of JSON values, as ``yaml.NewYAMLOrJSONDecoder`` reads one that starts with ``{``."""
    pos, doc, end = 0, 0, len(text)
    while True:
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= end:
            return
        doc += 1
        try:
            value, pos = _JSON.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            raise ManifestError(
                f"error parsing {_where(name, doc)}: json: line {err.lineno}, column {err.colno}: {err.msg}"
            ) from None
        except ValueError as err:
            raise ManifestError(f"error parsing {_where(name, doc)}: json: {err}") from None
        if value is not None:
            yield doc, value


def _text_documents(text: str, name: str) -> Iterator[tuple[int, Any]]:
    if text.lstrip()[:1] == "{":
        return _json_documents(text, name)
    return _yaml_documents(text, name)


# --- from documents to objects ----------------------------------------------------------------------------------

_GO_TYPE = {str: "string", bool: "bool", int: "number", float: "number", list: "array"}


def go_json(value: Any) -> str:
    """Compact JSON as Go's ``json.Marshal`` writes a ``map[string]interface{}``: sorted keys, ``<>&`` escaped."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _object_errors(obj: dict) -> list[str]:
    """``getObjectKind`` in ``staging/src/k8s.io/kubectl/pkg/validation/schema.go``."""
    errors = []
    for field, label in (("apiVersion", "apiVersion"), ("kind", "kind")):
        value = obj.get(field)
        if value is None or value == "":
            errors.append(f"{label} not set")
        elif not isinstance(value, str):
            errors.append(f"{label} isn't string type")
    return errors


def _check(obj: Any, name: str, doc: int, item: int | None, validate: bool) -> dict:
    where = _where(name, doc, item, quote=True)
    if not isinstance(obj, dict):
        kind = _GO_TYPE.get(type(obj), "string")
        raise ManifestError(
            f"unable to decode {where}: json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
        )
    if validate:
        errors = _object_errors(obj)
        if errors:
            listed = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
            raise ManifestError(
                f"error validating {where}: error validating data: {listed}; "
                "if you choose to ignore these errors, turn validation off with --validate=false"
            )
    else:
        # runtime.NewMissingKindErr / NewMissingVersionErr (apimachinery pkg/runtime/error.go)
        if not isinstance(obj.get("kind"), str) or not obj.get("kind"):
            raise ManifestError(f"unable to decode {where}: Object 'Kind' is missing in '{go_json(obj)}'")
        if not isinstance(obj.get("apiVersion"), str) or not obj.get("apiVersion"):
            raise ManifestError(f"unable to decode {where}: Object 'apiVersion' is missing in '{go_json(obj)}'")
    return obj


def _flatten(obj: Any, name: str, doc: int, validate: bool, out: list[dict]) -> None:
    """One decoded document into objects: a list (any object with ``items``) becomes its items.

    ``unstructuredJSONScheme.decode`` treats any object with an ``items`` field as an ``UnstructuredList``
    (``apimachinery/pkg/apis/meta/v1/unstructured/unstructured.go``); an item with neither ``kind`` nor
    ``apiVersion`` takes the list's apiVersion and the list's kind without its ``List`` suffix (so a ``PodList``'s
    bare items are Pods); the builder's ``FlattenListVisitor`` then visits the items.
    """
    if isinstance(obj, dict) and "items" in obj:
        items = obj["items"]
        if items is None:
            return
        if not isinstance(items, list):
            kind = _GO_TYPE.get(type(items), "object")
            raise ManifestError(
                f"unable to decode {_where(name, doc, quote=True)}: json: cannot unmarshal {kind} into Go struct field "
                ".items of type []json.RawMessage"
            )
        list_kind = obj.get("kind") if isinstance(obj.get("kind"), str) else ""
        item_kind = list_kind.removesuffix("List")
        for i, item in enumerate(items, 1):
            if isinstance(item, dict) and not item.get("kind") and not item.get("apiVersion"):
                item = {"apiVersion": obj.get("apiVersion", ""), "kind": item_kind, **item}
            out.append(_check(item, name, doc, i, validate))
        return
    out.append(_check(obj, name, doc, None, validate))


def load_manifests(
    source: str | bytes | dict | list | Path,
    *,
    name: str | None = None,
    validate: bool = True,
    recursive: bool = False,
) -> list[dict]:
    """The objects in ``source``, as ``kubectl apply -f`` would send them to the API server.

    ``source`` is manifest text (``str`` or ``bytes``: YAML, or JSON when it starts with ``{``), a dict or a list of
    dicts (taken as they are, not copied), or a :class:`~pathlib.Path` to a file or a directory. ``name`` names a
    text source in errors (default ``STDIN``, as for ``kubectl apply -f -``). ``validate=False`` is
    ``--validate=false``: a missing ``kind`` is then reported by the decoder instead. ``recursive`` is ``-R``.

    Returns every object or raises :class:`ManifestError`; nothing is half-loaded.
    """
    out: list[dict] = []
    if isinstance(source, Path):
        for path in _files(source, recursive):
            try:
                data = path.read_bytes()
            except OSError as err:
                raise ManifestError(f"error reading {path}: {err.strerror}") from None
            label = str(path)
            for doc, value in _text_documents(_decode_text(data, label), label):
                _flatten(value, label, doc, validate, out)
        return out
    label = name or STDIN
    if isinstance(source, dict):
        _flatten(source, label, 1, validate, out)
        return out
    if isinstance(source, list):
        for doc, value in enumerate(source, 1):
            _flatten(value, label, doc, validate, out)
        return out
    if isinstance(source, bytes | bytearray):
        source = _decode_text(bytes(source), label)
    if not isinstance(source, str):
        raise TypeError(f"load_manifests() takes text, bytes, a dict, a list or a Path, not {type(source).__name__}")
    for doc, value in _text_documents(source, label):
        _flatten(value, label, doc, validate, out)
    return out


# --- out ----------------------------------------------------------------------------------------------------------


class _Dumper(_BaseDumper):  # type: ignore[misc,valid-type]
    """PyYAML's safe dumper, told which plain scalars go-yaml would read as something other than a string."""

    yaml_implicit_resolvers: dict = {}  # noqa: RUF012

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode and implicit[0]:
            resolved = go_resolve(value)
            if isinstance(resolved, str):
                return _MERGE if value == "<<" else _STR
            if resolved is None:
                return "tag:yaml.org,2002:null"
            if isinstance(resolved, bool):
                return "tag:yaml.org,2002:bool"
            if isinstance(resolved, int):
                return "tag:yaml.org,2002:int"
            return "tag:yaml.org,2002:float"
        return super().resolve(kind, value, implicit)


def _represent_str(dumper: _Dumper, data: str) -> Any:
    """go-yaml v2's ``stringv``: a string that would resolve to something else, or looks like a YAML 1.1
    sexagesimal number, is double-quoted; a multi-line string is a literal block."""
    style = None
    if data == "<<" or not isinstance(go_resolve(data), str) or _BASE60.match(data):
        style = '"'
    elif "\n" in data:
        style = "|"
    return dumper.represent_scalar(_STR, data, style=style)


def _represent_float(dumper: _Dumper, data: float) -> Any:
    if data.is_integer() and abs(data) < 1e21:
        return dumper.represent_int(int(data))
    return dumper.represent_scalar("tag:yaml.org,2002:float", go_format_float(data))


def _represent_bool(dumper: _Dumper, data: bool) -> Any:
    return dumper.represent_scalar("tag:yaml.org,2002:bool", "true" if data else "false")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(float, _represent_float)
_Dumper.add_representer(bool, _represent_bool)


def dump_yaml(obj: dict | list[dict], *, sort_keys: bool = True) -> str:
    """YAML as ``kubectl get -o yaml`` prints it; a list prints as documents joined by ``---``.

    ``load_manifests(dump_yaml(x)) == x`` for any JSON-shaped ``x`` whose documents are objects with a kind.
    """
    docs = obj if isinstance(obj, list) else [obj]
    return "---\n".join(
        yaml.dump(doc, Dumper=_Dumper, sort_keys=sort_keys, allow_unicode=True, width=1 << 30) for doc in docs
    )


def dump_json(obj: Any, *, indent: int = 4, sort_keys: bool = True) -> str:
    """JSON as ``kubectl get -o json`` prints it: ``json.MarshalIndent(obj, "", "    ")`` plus a newline."""
    text = json.dumps(obj, indent=indent, sort_keys=sort_keys, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


__all__ = [
    "FILE_EXTENSIONS",
    "STDIN",
    "ManifestError",
    "dump_json",
    "dump_yaml",
    "go_format_float",
    "go_json",
    "go_resolve",
    "load_manifests",
]
