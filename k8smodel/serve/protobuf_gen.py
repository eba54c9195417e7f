"""Generate :mod:`k8smodel.serve.protobuf_types`: the protobuf and JSON shape of every type the model decodes.

::

    python -m k8smodel.serve.protobuf_gen /usr/lib/google-cloud-sdk/bin/kubectl.1.33 > k8smodel/serve/protobuf_types.py

The argument is a kubectl of the version the model serves (v1.33: Google Cloud SDK's ``kubectl`` is a dispatcher
that runs ``kubectl.1.33`` beside it against a v1.33 server, and that is the client whose bodies arrive here).

What it reads: a Kubernetes message is a Go struct whose fields carry two struct tags, ``json:"..."`` (the JSON
name, ``omitempty``, ``inline``) and ``protobuf:"..."`` (wire type, field number, ``opt``/``rep``, name). Those tags
are the source from which upstream's ``go-to-protobuf`` writes every ``generated.proto``, and ``encoding/json``
reads the same struct to write the JSON; so the table holds, per struct field, both sides at once. The files they
are written in upstream, at v1.33:

- ``staging/src/k8s.io/api/{core,apps,rbac,coordination,discovery,scheduling,authorization,policy}/v1/types.go``,
  ``.../autoscaling/v2/types.go``, ``.../autoscaling/v1/types.go``;
- ``staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go`` (+ ``time.go``, ``micro_time.go``,
  ``duration.go``), ``pkg/util/intstr/intstr.go``, ``pkg/api/resource/quantity.go``, ``pkg/runtime/types.go``;
- and, for the cross-check, each package's ``generated.proto``.

Where it reads them from: the ``kubectl`` binary. A Go binary keeps, for ``reflect`` and ``encoding/json``, the
type descriptor of every struct it can encode, with each field's name, type and complete tag; and gogo-protobuf's
generated code registers each ``generated.proto`` as a gzipped ``FileDescriptorProto``. kubectl is built from
exactly the upstream files above at its release tag, it is installed wherever the model is served (and in CI), and
it needs no network: this script walks its type descriptors (``internal/abi/type.go`` of Go 1.23 and 1.24: ``Type``,
``StructType``, ``Name``, the ``.typelink`` section), takes the structs reachable from the roots below, and checks
every field number, label and name against the registered ``generated.proto`` descriptors (any disagreement stops
the script). The tables are data, not code: nothing here runs when the model serves.

Output: ``MESSAGES`` (struct name -> its fields, in Go's declaration order, which is the order ``encoding/json``
writes them in), ``KINDS`` ((apiVersion, kind) -> struct name), and the header naming the kubectl build.
"""

from __future__ import annotations

import gzip
import re
import struct
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# The kinds a protobuf body may carry: every kind in k8smodel.api.kinds, and the bodies of the subresources and
# the review the model serves (the envelope's apiVersion/kind -> Go package and struct).
ROOTS: dict[tuple[str, str], tuple[str, str]] = {
    ("v1", "Namespace"): ("k8s.io/api/core/v1", "Namespace"),
    ("v1", "Node"): ("k8s.io/api/core/v1", "Node"),
    ("v1", "Pod"): ("k8s.io/api/core/v1", "Pod"),
    ("v1", "Service"): ("k8s.io/api/core/v1", "Service"),
    ("v1", "ConfigMap"): ("k8s.io/api/core/v1", "ConfigMap"),
    ("v1", "ServiceAccount"): ("k8s.io/api/core/v1", "ServiceAccount"),
    ("v1", "Event"): ("k8s.io/api/core/v1", "Event"),
    ("v1", "Binding"): ("k8s.io/api/core/v1", "Binding"),
    ("apps/v1", "ReplicaSet"): ("k8s.io/api/apps/v1", "ReplicaSet"),
    ("apps/v1", "Deployment"): ("k8s.io/api/apps/v1", "Deployment"),
    ("discovery.k8s.io/v1", "EndpointSlice"): ("k8s.io/api/discovery/v1", "EndpointSlice"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"): ("k8s.io/api/autoscaling/v2", "HorizontalPodAutoscaler"),
    ("autoscaling/v1", "Scale"): ("k8s.io/api/autoscaling/v1", "Scale"),
    ("coordination.k8s.io/v1", "Lease"): ("k8s.io/api/coordination/v1", "Lease"),
    ("rbac.authorization.k8s.io/v1", "Role"): ("k8s.io/api/rbac/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"): ("k8s.io/api/rbac/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"): ("k8s.io/api/rbac/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): ("k8s.io/api/rbac/v1", "ClusterRoleBinding"),
    ("scheduling.k8s.io/v1", "PriorityClass"): ("k8s.io/api/scheduling/v1", "PriorityClass"),
    ("authorization.k8s.io/v1", "SelfSubjectAccessReview"): (
        "k8s.io/api/authorization/v1",
        "SelfSubjectAccessReview",
    ),
    ("authorization.k8s.io/v1", "SelfSubjectRulesReview"): ("k8s.io/api/authorization/v1", "SelfSubjectRulesReview"),
    ("authentication.k8s.io/v1", "SelfSubjectReview"): ("k8s.io/api/authentication/v1", "SelfSubjectReview"),
    ("policy/v1", "Eviction"): ("k8s.io/api/policy/v1", "Eviction"),
    ("policy/v1beta1", "Eviction"): ("k8s.io/api/policy/v1beta1", "Eviction"),
    ("v1", "DeleteOptions"): ("k8s.io/apimachinery/pkg/apis/meta/v1", "DeleteOptions"),
    ("meta.k8s.io/v1", "DeleteOptions"): ("k8s.io/apimachinery/pkg/apis/meta/v1", "DeleteOptions"),
}
ENVELOPE = ("k8s.io/apimachinery/pkg/runtime", "Unknown")

# Types whose protobuf and JSON forms are written by hand upstream (time_proto.go, micro_time_proto.go,
# quantity_proto.go, intstr.go, duration.go, runtime/extension.go, meta/v1/helpers.go (FieldsV1)): the decoder
# knows them by name and the table does not look inside them.
SPECIAL = {
    ("k8s.io/apimachinery/pkg/apis/meta/v1", "Time"): "meta/v1.Time",
    ("k8s.io/apimachinery/pkg/apis/meta/v1", "MicroTime"): "meta/v1.MicroTime",
    ("k8s.io/apimachinery/pkg/apis/meta/v1", "Duration"): "meta/v1.Duration",
    ("k8s.io/apimachinery/pkg/apis/meta/v1", "FieldsV1"): "meta/v1.FieldsV1",
    ("k8s.io/apimachinery/pkg/api/resource", "Quantity"): "resource.Quantity",
    ("k8s.io/apimachinery/pkg/util/intstr", "IntOrString"): "intstr.IntOrString",
    ("k8s.io/apimachinery/pkg/runtime", "RawExtension"): "runtime.RawExtension",
}

_SHORT = (
    ("k8s.io/api/", ""),
    ("k8s.io/apimachinery/pkg/apis/meta/v1", "meta/v1"),
    ("k8s.io/apimachinery/pkg/api/resource", "resource"),
    ("k8s.io/apimachinery/pkg/util/intstr", "intstr"),
    ("k8s.io/apimachinery/pkg/runtime", "runtime"),
)


def short_name(package: str, name: str) -> str:
    """``k8s.io/api/apps/v1`` + ``Deployment`` -> ``apps/v1.Deployment`` (the table's name for a struct)."""
    if (package, name) in SPECIAL:
        return SPECIAL[(package, name)]
    for prefix, short in _SHORT:
        if package == prefix.rstrip("/") or (prefix.endswith("/") and package.startswith(prefix)):
            return f"{short}{package[len(prefix) :]}.{name}" if prefix.endswith("/") else f"{short}.{name}"
    raise ValueError(f"a type outside the Kubernetes API packages: {package}.{name}")


# ---- the Go binary: ELF sections and Go's type descriptors (internal/abi/type.go, Go 1.23 and 1.24) ---------------

_KIND_NAMES = {
    1: "bool",
    2: "int",
    3: "int8",
    4: "int16",
    5: "int32",
    6: "int64",
    7: "uint",
    8: "uint8",
    9: "uint16",
    10: "uint32",
    11: "uint64",
    13: "float32",
    14: "float64",
    17: "array",
    20: "interface",
    21: "map",
    22: "ptr",
    23: "slice",
    24: "string",
    25: "struct",
}
# abi.Type is 48 bytes on amd64; a StructType adds PkgPath and Fields (80 bytes), then (tflag & 1) UncommonType.
_STRUCT_UNCOMMON_AT = 80


class GoBinary:
    """The type descriptors of a non-PIE amd64 Go ELF executable (``runtime.types`` at the start of ``.rodata``)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        if data[:4] != b"\x7fELF" or data[4] != 2:
            raise ValueError("not a 64-bit ELF executable")
        shoff = struct.unpack_from("<Q", data, 0x28)[0]
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
        names_at = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)[0]
        self.sections: dict[str, tuple[int, int, int]] = {}
        for k in range(shnum):
            name_off, _, _, addr, off, size = struct.unpack_from("<IIQQQQ", data, shoff + k * shentsize)
            end = data.index(b"\0", names_at + name_off)
            self.sections[data[names_at + name_off : end].decode()] = (addr, off, size)
        self.types = self.sections[".rodata"][0]

    def _off(self, addr: int) -> int:
        for a, o, s in self.sections.values():
            if a <= addr < a + s and o:
                return o + addr - a
        raise ValueError(f"address {addr:#x} is in no section")

    def u8(self, addr: int) -> int:
        return self.data[self._off(addr)]

    def u64(self, addr: int) -> int:
        return struct.unpack_from("<Q", self.data, self._off(addr))[0]

    def i32(self, addr: int) -> int:
        return struct.unpack_from("<i", self.data, self._off(addr))[0]

    def _varint(self, addr: int) -> tuple[int, int]:
        value = shift = 0
        while True:
            b = self.u8(addr)
            addr += 1
            value |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return value, addr

    def name(self, addr: int) -> tuple[str, str, bool]:
        """An ``abi.Name``: (name, tag, embedded)."""
        flags = self.u8(addr)
        n, p = self._varint(addr + 1)
        o = self._off(p)
        text = self.data[o : o + n].decode()
        tag = ""
        if flags & 2:
            t, p = self._varint(p + n)
            o = self._off(p)
            tag = self.data[o : o + t].decode()
        return text, tag, bool(flags & 8)

    def kind(self, t: int) -> int:
        return self.u8(t + 23) & 0x1F

    def type_name(self, t: int) -> str:
        text, _, _ = self.name(self.types + self.i32(t + 40))
        return text[1:] if self.u8(t + 20) & 2 else text  # TFlagExtraStar

    def package(self, t: int) -> str:
        """The package path of a named struct type (``UncommonType.PkgPath``)."""
        if self.kind(t) != 25 or not self.u8(t + 20) & 1:  # TFlagUncommon: named types only
            return ""
        at = self.i32(t + _STRUCT_UNCOMMON_AT)
        return self.name(self.types + at)[0] if at else ""

    def elem(self, t: int) -> int:
        return self.u64(t + 48)

    def map_value(self, t: int) -> int:
        return self.u64(t + 56)

    def fields(self, t: int) -> Iterator[tuple[str, str, bool, int]]:
        """(name, tag, embedded, type) of each field of struct type ``t``."""
        ptr, count = self.u64(t + 56), self.u64(t + 64)
        for j in range(count):
            name, tag, embedded = self.name(self.u64(ptr + 24 * j))
            yield name, tag, embedded, self.u64(ptr + 24 * j + 8)

    def typelinks(self) -> list[int]:
        _, off, size = self.sections[".typelink"]
        return [self.types + v for v in struct.unpack_from(f"<{size // 4}i", self.data, off)]

    def structs(self) -> dict[tuple[str, str], int]:
        """Every named struct reachable from ``.typelink``: (package, name) -> type descriptor."""
        out: dict[tuple[str, str], int] = {}
        seen: set[int] = set()
        stack = self.typelinks()
        while stack:
            t = stack.pop()
            if not t or t in seen:
                continue
            seen.add(t)
            k = self.kind(t)
            if k in (22, 23, 17):
                stack.append(self.elem(t))
            elif k == 21:
                stack += [self.elem(t), self.map_value(t)]
            elif k == 25:
                package = self.package(t)
                if package:
                    out.setdefault((package, self.type_name(t).rpartition(".")[2]), t)
                stack += [f[3] for f in self.fields(t)]
        return out

    def proto_files(self) -> dict[str, bytes]:
        """The gzipped ``FileDescriptorProto`` s that gogo-protobuf registers, by file name."""
        out: dict[str, bytes] = {}
        for m in re.finditer(rb"\x1f\x8b\x08\x00\x00\x00\x00\x00", self.data):
            try:
                raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(self.data[m.start() : m.start() + (1 << 21)])
            except zlib.error:
                continue
            if raw[:1] == b"\x0a" and raw[2 : 2 + raw[1]].endswith(b"/generated.proto"):
                out[raw[2 : 2 + raw[1]].decode()] = raw
        return out


# ---- Go struct tags (reflect.StructTag.Lookup) ---------------------------------------------------------------

_TAG = re.compile(r'([^\s:"]+):"((?:[^"\\]|\\.)*)"')


def tag_lookup(tag: str, key: str) -> str | None:
    for k, v in _TAG.findall(tag):
        if k == key:
            return v
    return None


# ---- protobuf descriptors (descriptor.proto), read with the same wire reader the model uses ------------------


def _wire_fields(data: bytes) -> list[tuple[int, Any]]:
    from k8smodel.serve.protobuf import wire_fields

    return [(n, v) for n, _, v in wire_fields(data)]


def proto_messages(files: dict[str, bytes]) -> dict[str, dict[int, tuple[str, int, int]]]:
    """``package.Message`` -> {number: (name, label, type)} from the registered descriptors
    (``FieldDescriptorProto``: name = 1, number = 3, label = 4, type = 5)."""
    out: dict[str, dict[int, tuple[str, int, int]]] = {}
    for raw in files.values():
        fields = _wire_fields(raw)
        package = next(v.decode() for n, v in fields if n == 2)
        for n, msg in fields:
            if n != 4:
                continue
            parts = _wire_fields(msg)
            name = next(v.decode() for k, v in parts if k == 1)
            numbers: dict[int, tuple[str, int, int]] = {}
            for k, v in parts:
                if k == 2:
                    f = dict(_wire_fields(v))
                    numbers[f[3]] = (f[1].decode(), f[4], f[5])
            out[f"{package}.{name}"] = numbers
    return out


# ---- the table ---------------------------------------------------------------------------------------------------

# FieldDescriptorProto.Type -> the wire word the table uses, and the Go types that may hold it
_WIRE_FOR_PROTO_TYPE = {
    1: "fixed64", 2: "fixed32", 3: "varint", 4: "varint", 5: "varint", 6: "fixed64", 7: "fixed32", 8: "varint",
    9: "bytes", 11: "bytes", 12: "bytes", 13: "varint", 14: "varint", 15: "fixed32", 16: "fixed64",
    17: "zigzag32", 18: "zigzag64",
}  # fmt: skip
_GO_FOR_PROTO_TYPE: dict[int, tuple[str, ...]] = {
    1: ("float64",), 2: ("float32",), 3: ("int64", "int"), 4: ("uint64", "uint"), 5: ("int32",), 8: ("bool",),
    9: ("string",), 12: ("bytes",), 13: ("uint32",), 17: ("int32",), 18: ("int64",),
}  # fmt: skip
_SCALARS = {"bool", "int32", "int64", "uint32", "uint64", "float32", "float64", "string", "int", "uint"}


class Generator:
    def __init__(self, binary: GoBinary) -> None:
        self.binary = binary
        self.structs = binary.structs()
        self.messages: dict[str, list[tuple[Any, ...]]] = {}
        self.origin: dict[str, tuple[str, str]] = {}
        self.pending: list[tuple[str, str]] = []

    def shape(self, t: int) -> str:
        """A field's Go type as the table writes it: ``string``, ``*int32``, ``[]string``, ``bytes``,
        ``map[string]@resource.Quantity``, ``@core/v1.PodSpec``, ``*@meta/v1.Time`` ..."""
        b = self.binary
        k = b.kind(t)
        if k == 22:
            return "*" + self.shape(b.elem(t))
        if k == 23:
            if b.kind(b.elem(t)) == 8:
                return "bytes"
            return "[]" + self.shape(b.elem(t))
        if k == 21:
            return f"map[{self.shape(b.elem(t))}]{self.shape(b.map_value(t))}"
        if k == 25:
            key = (b.package(t), b.type_name(t).rpartition(".")[2])
            if key not in SPECIAL and key not in self.structs:
                raise ValueError(f"struct {key} not found in the binary")
            if key not in SPECIAL and short_name(*key) not in self.messages:
                self.pending.append(key)
            return "@" + short_name(*key)
        name = _KIND_NAMES.get(k, "?")
        if name not in _SCALARS:
            raise ValueError(f"unsupported Go kind {name} ({b.type_name(t)})")
        return name

    def add(self, key: tuple[str, str]) -> None:
        name = short_name(*key)
        if name in self.messages or key in SPECIAL:
            return
        self.messages[name] = []
        self.origin[name] = key
        for go_name, tag, embedded, t in self.binary.fields(self.structs[key]):
            if not go_name[:1].isupper():
                continue  # unexported: neither JSON nor protobuf sees it
            json_tag = tag_lookup(tag, "json")
            proto_tag = tag_lookup(tag, "protobuf")
            json_name, _, options = (json_tag or "").partition(",")
            if json_name == "-" and not options:
                json_name = None  # json:"-": not in the JSON
            flags = ""
            if json_name is not None:
                if "omitempty" in options.split(","):
                    flags += "o"
                if not json_name and embedded:
                    flags += "i"  # an embedded struct without a JSON name: its fields are promoted
                elif not json_name:
                    json_name = go_name
            number, wire = 0, ""
            if proto_tag and proto_tag != "-":
                # the tag's opt/rep word is not reliable upstream (QOSClass says rep, Tolerations opt):
                # go-to-protobuf makes a field repeated when its Go type is a slice or a map
                parts = proto_tag.split(",")
                wire, number = parts[0], int(parts[1])
            if json_name is None and not number:
                continue
            shape = self.shape(t)
            if number and (shape.startswith("[]") or shape.startswith("map[")):
                flags += "r"
            if json_name is None:
                flags += "-"  # json:"-": decoded, never written to JSON
            self.messages[name].append((number, go_name, json_name or "", shape, wire, flags))

    def run(self, roots: list[tuple[str, str]]) -> None:
        self.pending = list(roots)
        while self.pending:
            self.add(self.pending.pop(0))

    def check(self, descriptors: dict[str, dict[int, tuple[str, int, int]]]) -> list[str]:
        """Every protobuf-tagged field against the registered ``generated.proto``: same number, name, label and a
        type the Go type can hold. The wire type is then taken from ``generated.proto``: the tag's first word is
        not reliable upstream (``HealthCheckNodePort`` says ``bytes`` for an ``int32``)."""
        problems = []
        for name, fields in self.messages.items():
            package, go_name = self.origin[name]
            proto_package = package.replace("/", ".")
            declared = descriptors.get(f"{proto_package}.{go_name}")
            if declared is None:
                if any(f[0] for f in fields):
                    problems.append(f"{name}: no message {proto_package}.{go_name} in the descriptors")
                continue
            tagged = {f[0]: i for i, f in enumerate(fields) if f[0]}
            for number, (proto_name, label, proto_type) in declared.items():
                if number not in tagged:
                    problems.append(f"{name}: field {number} ({proto_name}) of generated.proto has no Go field")
                    continue
                f = fields[tagged[number]]
                tag_words = (tag_lookup(self._tag_of(name, f[1]), "protobuf") or "").split(",")
                named = [w for w in tag_words if w.startswith("name=")]
                if named and named[0] != f"name={proto_name}":
                    problems.append(f"{name}.{f[1]}: protobuf {named[0]} but generated.proto says {proto_name}")
                if (label == 3) != ("r" in f[5]):
                    problems.append(f"{name}.{f[1]}: repeated in one source and not in the other")
                element = f[3].removeprefix("[]").removeprefix("*")
                if f[3].startswith("map["):
                    element = "map"
                fits = element.startswith("@") or element == "map" if proto_type == 11 else None
                if not (fits or element in _GO_FOR_PROTO_TYPE.get(proto_type, ())):
                    problems.append(f"{name}.{f[1]}: Go type {f[3]} for a protobuf type {proto_type}")
                fields[tagged[number]] = (*f[:4], _WIRE_FOR_PROTO_TYPE[proto_type], f[5])
            for number, i in tagged.items():
                if number not in declared:
                    problems.append(f"{name}.{fields[i][1]}: field {number} is not in generated.proto")
        return problems

    def _tag_of(self, name: str, go_name: str) -> str:
        for field_name, tag, _, _ in self.binary.fields(self.structs[self.origin[name]]):
            if field_name == go_name:
                return tag
        return ""


def render(gen: Generator, source: str, version: str) -> str:
    lines = [
        '"""Generated by ``python -m k8smodel.serve.protobuf_gen`` (do not edit): the protobuf and JSON shape of',
        "the types :mod:`k8smodel.serve.protobuf` decodes.",
        "",
        f"Source: the Go struct tags of k8s.io/api and k8s.io/apimachinery as compiled into kubectl {version}",
        f"(``{source}``), checked against the generated.proto descriptors registered in the same binary. Upstream",
        "files: staging/src/k8s.io/api/<group>/<version>/types.go and generated.proto,",
        "staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go, pkg/util/intstr/intstr.go,",
        "pkg/api/resource/quantity.go, pkg/runtime/types.go",
        "(Copyright The Kubernetes Authors, Apache License 2.0).",
        "",
        "MESSAGES: struct -> fields in Go declaration order, each (protobuf number (0: not in protobuf), Go name, JSON",
        "name ('' for an inlined embedded struct), Go type, protobuf wire type, flags: o omitempty, i inline,",
        "r repeated, - not in JSON). KINDS: (apiVersion, kind) -> struct.",
        '"""',
        "",
        "# ruff: noqa: E501",
        "# fmt: off",
        "KINDS = {",
    ]
    for (api_version, kind), key in ROOTS.items():
        lines.append(f"    ({api_version!r}, {kind!r}): {short_name(*key)!r},")
    lines.append("}")
    lines.append(f"ENVELOPE = {short_name(*ENVELOPE)!r}")
    lines.append("MESSAGES = {")
    for name in sorted(gen.messages):
        lines.append(f"    {name!r}: (")
        for f in gen.messages[name]:
            lines.append(f"        {f!r},")
        lines.append("    ),")
    lines.append("}")
    lines.append("# fmt: on")
    return "\n".join(lines) + "\n"


def kubectl_version(path: Path) -> str:
    """``gitVersion`` of ``kubectl version --client``."""
    import json
    import subprocess

    out = subprocess.run([str(path), "version", "--client", "-o", "json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["clientVersion"]["gitVersion"]


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "/usr/bin/kubectl").resolve()
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    binary = GoBinary(data)
    gen = Generator(binary)
    gen.run([ENVELOPE, *dict.fromkeys(ROOTS.values())])
    problems = gen.check(proto_messages(binary.proto_files()))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    version = argv[2] if len(argv) > 2 else kubectl_version(path)
    sys.stdout.write(render(gen, path.name, version))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
