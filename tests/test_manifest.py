"""Manifests in and out: every input form, kubectl's errors, go-yaml v2's YAML 1.1, and the round trip."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.api.manifest import (
    ManifestError,
    dump_json,
    dump_yaml,
    go_format_float,
    go_resolve,
    load_manifests,
)

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}}
POD_YAML = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n"


def _value(yaml_scalar: str):
    """What a plain scalar becomes as a label value in a loaded manifest."""
    return load_manifests(f"apiVersion: v1\nkind: Pod\nv: {yaml_scalar}\n")[0]["v"]


# --- input forms --------------------------------------------------------------------------------------------------


def test_single_document():
    assert load_manifests(POD_YAML) == [POD]


def test_multi_document_stream_skips_empty_documents():
    text = f"---\n{POD_YAML}---\n# only a comment\n---\n---\nnull\n---\n{POD_YAML.replace('web', 'api')}"
    names = [o["metadata"]["name"] for o in load_manifests(text)]
    assert names == ["web", "api"]


def test_bytes_and_bom():
    assert load_manifests(POD_YAML.encode()) == [POD]
    assert load_manifests(b"\xef\xbb\xbf" + POD_YAML.encode()) == [POD]
    assert load_manifests(POD_YAML.encode("utf-16")) == [POD]


def test_json_object_and_stream():
    assert load_manifests(json.dumps(POD)) == [POD]
    assert load_manifests(json.dumps(POD) + "\n" + json.dumps(POD)) == [POD, POD]


def test_json_keeps_float_numbers():
    # kubectl's JSON path decodes 3.0 as a float64; only YAML goes through Go's float -> "3" marshalling.
    obj = load_manifests('{"apiVersion": "v1", "kind": "Pod", "x": 3.0}')[0]
    assert isinstance(obj["x"], float)


def test_dict_and_list_taken_as_is():
    assert load_manifests(POD)[0] is POD
    assert load_manifests([POD, POD]) == [POD, POD]


def test_kind_list_is_flattened():
    text = "apiVersion: v1\nkind: List\nitems:\n- " + POD_YAML.replace("\n", "\n  ").rstrip() + "\n"
    assert load_manifests(text) == [POD]


def test_typed_list_items_take_kind_from_list():
    # unstructured.go decodeToList: bare items of a PodList become Pods of the list's apiVersion
    text = "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n- metadata: {name: b}\n"
    objs = load_manifests(text)
    assert [(o["apiVersion"], o["kind"], o["metadata"]["name"]) for o in objs] == [
        ("v1", "Pod", "a"),
        ("v1", "Pod", "b"),
    ]


def test_empty_list_gives_nothing():
    assert load_manifests("apiVersion: v1\nkind: List\nitems: []\n") == []


def test_file_and_directory(tmp_path: Path):
    (tmp_path / "b.yaml").write_text(POD_YAML.replace("web", "b"))
    (tmp_path / "a.json").write_text(json.dumps({**POD, "metadata": {"name": "a"}}))
    (tmp_path / "c.yml").write_text(POD_YAML.replace("web", "c"))
    (tmp_path / "notes.txt").write_text("not a manifest: [")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "d.yaml").write_text(POD_YAML.replace("web", "d"))
    assert [o["metadata"]["name"] for o in load_manifests(tmp_path)] == ["a", "b", "c"]
    assert [o["metadata"]["name"] for o in load_manifests(tmp_path, recursive=True)] == ["a", "b", "c", "d"]
    assert load_manifests(tmp_path / "b.yaml")[0]["metadata"]["name"] == "b"


def test_missing_path_and_empty_directory(tmp_path: Path):
    with pytest.raises(ManifestError, match=r'the path ".*nope.yaml" does not exist'):
        load_manifests(tmp_path / "nope.yaml")
    with pytest.raises(ManifestError, match=r"recognized file extensions are \[\.json \.yaml \.yml\]"):
        load_manifests(tmp_path)


def test_merge_keys_and_anchors():
    text = "base: &b {app: web}\napiVersion: v1\nkind: Pod\nlabels:\n  <<: *b\n  tier: fe\n"
    assert load_manifests(text)[0]["labels"] == {"app": "web", "tier": "fe"}


def test_unknown_tags_are_ignored():
    assert _value("!custom hello") == "hello"
    assert _value("!!str 10") == "10"


# --- go-yaml v2 / YAML 1.1 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("yes", True),
        ("on", True),
        ("Y", True),  # go-yaml v2 adds y/Y/n/N, which PyYAML's YAML 1.1 does not
        ("NO", False),  # the Norway problem
        ("off", False),
        ('"on"', "on"),  # quoting keeps the string
        ("0755", 493),  # YAML 1.1 octal
        ("0o755", 493),  # Go's ParseInt base 0
        ("08", 8),  # not octal: a Go float, marshalled as 8
        ("0x1F", 31),
        ("1_000", 1000),
        ("1e3", 1000),
        ("3.0", 3),
        ("2.5", 2.5),
        ("1:30", "1:30"),  # no sexagesimal in go-yaml
        ("2026-01-01", "2026-01-01"),  # timestamps stay strings
        ("=", "="),
        ("~", None),
        ("+5", 5),
        ("-0b11", -3),
        ("1e400", "1e400"),  # out of range for ParseFloat: stays a string
        ("nginx", "nginx"),
    ],
)
def test_plain_scalars_resolve_as_go_yaml_v2(scalar, value):
    got = _value(scalar)
    assert got == value and type(got) is type(value)


def test_non_string_keys_become_strings():
    obj = load_manifests("apiVersion: v1\nkind: Pod\nm:\n  1: a\n  on: b\n  1.5: c\n  1e6: d\n")[0]
    assert obj["m"] == {"1": "a", "true": "b", "1.5": "c", "1e+06": "d"}


def test_go_resolve_and_format_float():
    assert go_resolve("<<") == "<<"
    assert go_resolve(".5") == 0.5
    assert [go_format_float(x) for x in (0.5, 1e6, 1234567.5, 1e-5, 100000.5, -2.5)] == [
        "0.5",
        "1e+06",
        "1.2345675e+06",
        "1e-05",
        "100000.5",
        "-2.5",
    ]


# --- errors ---------------------------------------------------------------------------------------------------------


def test_yaml_syntax_error_names_line_and_column():
    with pytest.raises(ManifestError) as err:
        load_manifests("apiVersion: v1\nkind: Pod\nmetadata: name: x\n", name="pod.yaml")
    assert str(err.value) == (
        "error parsing pod.yaml (document 1): error converting YAML to JSON: yaml: line 3: "
        "mapping values are not allowed in this context (column 15)"
    )


def test_yaml_error_in_second_document():
    with pytest.raises(ManifestError, match=r"STDIN \(document 2\).*yaml: line 7: "):
        load_manifests(POD_YAML + "---\nkind: B\n  bad: [\n")


def test_tab_indentation():
    with pytest.raises(ManifestError, match="found character that cannot start any token"):
        load_manifests("a:\n\tb: 1\n")


def test_missing_kind_validated():
    with pytest.raises(ManifestError) as err:
        load_manifests("apiVersion: v1\nmetadata: {name: x}\n", name="x.yaml")
    assert str(err.value) == (
        'error validating "x.yaml" (document 1): error validating data: kind not set; '
        "if you choose to ignore these errors, turn validation off with --validate=false"
    )


def test_missing_both_validated():
    with pytest.raises(ManifestError, match=r"error validating data: \[apiVersion not set, kind not set\];"):
        load_manifests("metadata: {name: x}\n")


def test_kind_not_a_string():
    with pytest.raises(ManifestError, match="kind isn't string type"):
        load_manifests("apiVersion: v1\nkind: 5\n")


def test_missing_kind_without_validation():
    with pytest.raises(ManifestError) as err:
        load_manifests("apiVersion: v1\nmetadata: {name: x, note: a<b}\n", validate=False)
    assert str(err.value) == (
        "unable to decode \"STDIN\" (document 1): Object 'Kind' is missing in "
        '\'{"apiVersion":"v1","metadata":{"name":"x","note":"a\\u003cb"}}\''
    )


def test_missing_api_version_without_validation():
    with pytest.raises(ManifestError, match=re.escape("""Object 'apiVersion' is missing in '{"kind":"Pod"}'""")):
        load_manifests("kind: Pod\n", validate=False)


@pytest.mark.parametrize(("text", "shape"), [("- a\n- b\n", "array"), ("hello\n", "string"), ("5\n", "number")])
def test_document_not_a_mapping(text, shape):
    with pytest.raises(ManifestError, match=f"cannot unmarshal {shape} into Go value of type map"):
        load_manifests(text)


def test_list_item_error_names_item():
    with pytest.raises(ManifestError, match=r'"STDIN" \(document 1, item 2\): error validating data: kind not set'):
        load_manifests({"apiVersion": "v1", "kind": "List", "items": [POD, {"apiVersion": "v1"}]})


def test_unsupported_keys():
    with pytest.raises(ManifestError, match=r"unsupported map key of type: %!s\(<nil>\), key: <nil>"):
        load_manifests("~: b\n")
    with pytest.raises(ManifestError, match=r"yaml: line 1: invalid map key"):
        load_manifests("? [a]\n: b\n")


def test_nan_is_not_json():
    with pytest.raises(ManifestError, match="json: unsupported value: NaN"):
        _value(".nan")
    with pytest.raises(ManifestError, match=r"json: unsupported value: \+Inf"):
        _value(".inf")


def test_bad_json_and_bad_utf8():
    with pytest.raises(ManifestError, match=r"error parsing STDIN \(document 1\): json: line 1, column 12"):
        load_manifests('{"kind": 1,}')
    with pytest.raises(ManifestError, match="invalid leading UTF-8 octet"):
        load_manifests(b"kind: \xff\n")


def test_no_library_exception_escapes():
    for text in ["a: [", "{", "&a [*b]", "!!binary x: y", "? - a\n", "a: b\n  c: d", "\x07", "a: *x"]:
        with pytest.raises(ManifestError):
            load_manifests(text)


# --- out -----------------------------------------------------------------------------------------------------------


def test_dump_yaml_like_kubectl():
    obj = {
        "kind": "ConfigMap",
        "apiVersion": "v1",
        "metadata": {"name": "c"},
        "data": {"flag": "yes", "mode": "0755", "ratio": "1e3", "empty": "", "star": "*", "script": "a\nb\n"},
    }
    assert dump_yaml(obj) == (
        "apiVersion: v1\n"
        "data:\n"
        '  empty: ""\n'
        '  flag: "yes"\n'
        '  mode: "0755"\n'
        '  ratio: "1e3"\n'
        "  script: |\n"
        "    a\n"
        "    b\n"
        "  star: '*'\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        "  name: c\n"
    )


def test_dump_yaml_sequences_and_multi_docs():
    text = dump_yaml([{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a"}]}}, POD])
    assert "spec:\n  containers:\n  - name: a\n---\napiVersion: v1\n" in text
    assert load_manifests(text)[1] == POD


def test_dump_json_like_kubectl():
    assert dump_json({"kind": "Pod", "apiVersion": "v1", "x": "<&>"}) == (
        '{\n    "apiVersion": "v1",\n    "kind": "Pod",\n    "x": "\\u003c\\u0026\\u003e"\n}\n'
    )


_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
_json = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(), _json, max_size=5))
def test_round_trip(body):
    obj = {**body, "apiVersion": "v1", "kind": "Thing"}
    obj.pop("items", None)
    assert load_manifests(dump_yaml(obj)) == [obj]
    assert load_manifests(dump_yaml(obj, sort_keys=False)) == [obj]
