"""How objects are stored in etcd: compact JSON, the same bytes as the standard library would write."""

import json

from k8smodel.apiserver.registry import decode, encode


def obj(**extra):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "resourceVersion": "7"}, **extra}


def test_same_bytes_as_compact_json_and_no_resource_version():
    o = obj(data={"k": "värde", "n": "1"}, x=[1.5, 2, None, True])
    stored = encode(o)
    assert o["metadata"]["resourceVersion"] == "7"  # put back after encoding
    expected = dict(o, metadata={"name": "c"})
    assert stored == json.dumps(expected, separators=(",", ":"), ensure_ascii=False).encode()
    assert decode(stored, 9) == dict(o, metadata={"name": "c", "resourceVersion": "9"})


def test_what_orjson_refuses_goes_through_the_json_module():
    big = obj(x=2**70)
    stored = encode(big)
    assert stored == json.dumps(dict(big, metadata={"name": "c"}), separators=(",", ":")).encode()
    assert decode(stored, 3)["x"] == 2**70
