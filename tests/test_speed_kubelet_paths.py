"""The speed paths added for the kubelet's busy hour (issue 4's budget) answer exactly as the general ones do.

* ``APIServer._patch_event_lean``: the event recorder's repeat (a patch of ``count``, ``lastTimestamp`` and
  ``message``, handed over through ``APIServer._patch_owned``) takes a shorter way through the same stages; the
  answers, etcd's every stored version, the event log and the server's random streams are those of the general
  pipeline and of a plain ``patch``, including the cases the quick way hands over (401/403/404/409/422, a missing
  namespace, an Event being deleted, a name that does not match).
* Validation shortcuts (``k8smodel.api.validation``): one complete owner reference, one valid Pod or host IP, the
  Pod condition types and the annotations are checked with fewer steps; hypothesis compares each with the general
  function on arbitrary (also malformed) input.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.api import validation
from k8smodel.api.errors import StatusError
from k8smodel.apiserver import APIServer
from k8smodel.apiserver.authn import ADMIN, AUTHENTICATED_GROUP, UserInfo
from k8smodel.record import EventRecorder
from k8smodel.sim import Simulation
from tests.test_speed_apiserver import _event as _apiserver_event

NODE = UserInfo("system:node:node-1", ("system:nodes", AUTHENTICATED_GROUP))  # no RBAC binding: 403 everywhere
TOKEN_USER = UserInfo("alice", ("system:masters", AUTHENTICATED_GROUP))


def _answer(fn: Any) -> Any:
    try:
        return ("ok", copy.deepcopy(fn()))
    except StatusError as err:
        return ("error", err.code, err.reason, str(err))


def _state(api: APIServer) -> Any:
    return (
        {key: list(versions) for key, versions in api.store._versions.items()},
        api.store.revision,
        api.sim.events().to_dict("list"),
        api._uid_rng.getstate(),
        api._name_rng.getstate(),
    )


def _event(name: str, namespace: str) -> dict[str, Any]:
    """test_speed_apiserver's Event, as the kubelet's probe failure that it repeats."""
    return _apiserver_event(
        name,
        namespace,
        reason="Unhealthy",
        message="Readiness probe failed: HTTP probe failed with statuscode: 503",
        type="Warning",
    )


def _event_patches(variant: str, seed: int) -> Any:
    """Seeded patches of Events, good and bad, through the lean way, the general way or a plain ``patch``."""
    rng = random.Random(seed)
    api = APIServer(Simulation(seed), tokens={"secret-token": TOKEN_USER})
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "doomed"}})
    for ns, name in (("default", "web.1"), ("default", "web.2"), ("doomed", "db.1")):
        api.create(_event(name, ns))
    kept = _event("kept.1", "default")
    kept["metadata"]["finalizers"] = ["example.com/keep"]
    api.create(kept)
    if variant == "general":
        api._patch_event_lean = lambda *a, **k: None  # type: ignore[method-assign]
    patch = api.patch if variant == "plain" else api._patch_owned
    answers = []
    for step in range(80):
        api.sim.env._now += rng.choice([0.0, 1.0, 30.0])
        name = rng.choice(["web.1", "web.1", "web.2", "db.1", "kept.1", "gone.1"])
        ns = "doomed" if name == "db.1" else rng.choice(["default", "default", None])
        body: dict[str, Any] = {
            "count": step + 2,
            "lastTimestamp": api.sim.rfc3339(),
            "message": rng.choice(["Readiness probe failed", "Liveness probe failed", ""]),
        }
        roll = rng.random()
        if roll < 0.06:
            body["metadata"] = {"resourceVersion": rng.choice(["1", "5", "9"])}  # 409, or right by chance
        elif roll < 0.12:
            body["involvedObject"] = {"namespace": "elsewhere"}  # 422: does not match event.namespace
        elif roll < 0.16:
            body["metadata"] = {"name": "other"}  # 400: the name does not match
        elif roll < 0.2:
            body["metadata"] = {"uid": "another"}  # 422: immutable
        elif roll < 0.24:
            body["metadata"] = None  # 400: metadata removed
        elif roll < 0.28:
            body = {"count": None}  # a field removed
        elif roll < 0.3:
            body = dict(api.get("events", name, ns) if name != "gone.1" else {}) | {"count": 1}  # often a no-op
        user = rng.choice([ADMIN, ADMIN, ADMIN, NODE, "secret-token"])
        answers.append(_answer(lambda b=body, n=name, ns=ns, u=user: patch("events", n, ns, b, user=u)))
        if step == 25:
            answers.append(_answer(lambda: api.delete("events", "kept.1", "default")))
        if step == 50:
            answers.append(_answer(lambda: api.delete("namespaces", "doomed")))
    return answers, _state(api)


@pytest.mark.parametrize("seed", range(8))
def test_an_owned_event_patch_answers_as_the_general_pipeline(seed: int) -> None:
    lean = _event_patches("lean", seed)
    assert lean == _event_patches("general", seed) == _event_patches("plain", seed)
    answers = lean[0]
    assert any(a[0] == "ok" for a in answers) and len({a[1] for a in answers if a[0] == "error"}) >= 3


def test_the_event_patch_takes_the_quick_way_and_hands_over_untouched() -> None:
    api = APIServer(Simulation(0))
    api.create(_event("web.1", "default"))
    patched = api._patch_event_lean("default", "web.1", {"count": 2, "lastTimestamp": "x", "message": "m"}, ADMIN)
    assert patched is not None and patched["count"] == 2
    assert patched["metadata"]["resourceVersion"] == str(api.store.revision)
    before = (api.store.revision, api.sim.events().shape)
    assert api._patch_event_lean("default", "gone.1", {"count": 2}, ADMIN) is None  # 404: the general path
    assert api._patch_event_lean("default", "web.1", {"involvedObject": {"namespace": "x"}}, ADMIN) is None  # 422
    assert api._patch_event_lean("default", "web.1", {"count": 3}, "some-token") is None  # a token
    assert api._patch_event_lean("default", "web.1", {"count": 3}, NODE) is None  # 403
    assert (api.store.revision, api.sim.events().shape) == before


def test_the_recorder_patches_a_repeat_through_the_owned_door() -> None:
    # the recorder's repeats (the same reason and message again) patch the Event; with the API's patch replaced on
    # the instance (a test's fault injection) the replacement is called instead, as before
    sim = Simulation(0)
    api = APIServer(sim)
    pod = {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "web", "namespace": "default", "uid": "u-1"}}
    recorder = EventRecorder(sim, api, "kubelet", "node-1")
    recorder.event(pod, "Warning", "Unhealthy", "Readiness probe failed")
    sim.env._now += 5.0
    recorder.event(pod, "Warning", "Unhealthy", "Readiness probe failed")
    (event,) = api.list("events", "default")[0]
    assert event["count"] == 2 and event["lastTimestamp"] == "2026-01-01T00:00:05Z"
    calls = []
    api.patch = lambda *a, **k: calls.append(a)  # type: ignore[method-assign]
    recorder.event(pod, "Warning", "Unhealthy", "Readiness probe failed")
    assert calls and calls[0][:3] == ("events", event["metadata"]["name"], "default")


# --- validation shortcuts -------------------------------------------------------------------------------------

_text = st.one_of(st.sampled_from(["", "v1", "apps/v1", "/v1", "v1/", "a/b/c", "Node", "Event", "n", "u-1"]), st.text())
_value = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), _text, st.lists(st.integers(), max_size=1))
_owner = st.one_of(
    st.fixed_dictionaries(
        {"apiVersion": _text, "kind": _text, "name": _text, "uid": _text},
        optional={"controller": _value, "blockOwnerDeletion": _value},
    ),
    st.dictionaries(st.sampled_from(["apiVersion", "kind", "name", "uid", "controller"]), _value),
    _value,
)


def _shape(fn: Any, *args: Any) -> Any:
    """What ``fn`` gives, or the field of the wrong type it raises on (``validate`` reports that as an error)."""
    try:
        return fn(*args)
    except validation._Shape as err:
        return ("shape", err.name, repr(err.value))


@settings(max_examples=300, deadline=None)
@given(owners=st.lists(_owner, max_size=3))
def test_one_complete_owner_reference_is_checked_as_the_general_validator_does(owners: list[Any]) -> None:
    meta = {"name": "x", "namespace": "default", "ownerReferences": owners}
    found = _shape(validation._meta_labels_annotations_owners_finalizers, meta, "metadata")
    general = _shape(validation.validate_owner_references, owners, "metadata.ownerReferences") if owners else []
    assert found == general


_ip = st.one_of(
    st.sampled_from(["10.0.0.1", "010.001.002.003", "10.0.0.256", "::1", "fe80::1%eth0", "2001:db8::1", "", "x"]),
    st.text(max_size=8),
    st.integers(),
    st.none(),
)
_ip_entry = st.one_of(st.fixed_dictionaries({"ip": _ip}), st.dictionaries(st.sampled_from(["ip", "x"]), _ip), _ip)


@settings(max_examples=400, deadline=None)
@given(
    entries=st.one_of(st.none(), st.lists(_ip_entry, max_size=3)),
    host_ip=_ip,
    field=st.sampled_from([("podIPs", "PodIP"), ("hostIPs", "HostIP")]),
)
def test_one_valid_ip_is_checked_as_the_general_validator_does(entries: Any, host_ip: Any, field: Any) -> None:
    status = {"podIPs": entries, "hostIPs": entries, "hostIP": host_ip}

    quick = _shape(validation._validate_status_ips, status, *field)
    assert quick == _shape(validation._validate_status_ips_general, status, *field)


def _conditions_general(conditions: list[Any], path: str) -> Any:
    """``_validate_pod_conditions`` as it read before its shortcut (every type through ``_s``)."""
    errs = []
    for i, condition in enumerate(conditions):
        ctype = validation._s(condition, "type")
        if ctype in validation._SYSTEM_POD_CONDITIONS:
            continue
        where = validation.child(validation.index(path, i), "Type")
        errs += [validation.invalid(where, ctype, m) for m in validation.is_qualified_name(ctype)]
    return errs


@settings(max_examples=300, deadline=None)
@given(
    conditions=st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {"type": st.one_of(st.sampled_from(["Ready", "PodScheduled", "x/y", "a b"]), _value)}
            ),
            st.dictionaries(st.sampled_from(["type", "status"]), _value),
        ),
        max_size=4,
    )
)
def test_pod_condition_types_are_checked_as_before(conditions: list[Any]) -> None:
    path = "metadata.conditions"
    assert _shape(validation._validate_pod_conditions, conditions, path) == _shape(
        _conditions_general, conditions, path
    )


def _annotations_general(annotations: Any, path: str) -> Any:
    """``validate_annotations`` as it read before (a generator per key, then the size)."""
    errs: list[Any] = []
    annotations = annotations or {}
    for k in annotations:
        errs.extend(validation.invalid(path, k, msg) for msg in validation.is_qualified_name(k.lower()))
    total = sum(
        validation._byte_len(k) + validation._byte_len(v if isinstance(v, str) else str(v))
        for k, v in annotations.items()
    )
    if total > validation.TOTAL_ANNOTATION_SIZE_LIMIT_B:
        errs.append(validation.too_long(path, "", validation.TOTAL_ANNOTATION_SIZE_LIMIT_B))
    return errs


@settings(max_examples=200, deadline=None)
@given(
    annotations=st.dictionaries(
        st.one_of(st.sampled_from(["a", "example.com/b", "-bad", "x/y/z", "Ünï"]), st.text(max_size=6)),
        st.one_of(st.text(max_size=6), st.integers(), st.just("x" * 300_000)),
        max_size=3,
    )
)
def test_annotations_are_checked_as_before(annotations: dict[str, Any]) -> None:
    path = "metadata.annotations"
    assert validation.validate_annotations(annotations, path) == _annotations_general(annotations, path)


def _meta_update_general(new: Any, old: Any, path: str = "metadata") -> Any:
    """``validate_object_meta_update`` as it read before its identity shortcut."""
    errs = []
    for name in ("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp"):
        value = new.get(name) or ""
        if value != (old.get(name) or ""):
            errs.append(validation.invalid(validation.child(path, name), value, validation.FIELD_IMMUTABLE_ERROR_MSG))
    grace = new.get("deletionGracePeriodSeconds")
    if grace != old.get("deletionGracePeriodSeconds"):
        where = validation.child(path, "deletionGracePeriodSeconds")
        errs.append(validation.invalid(where, grace, validation.FIELD_IMMUTABLE_ERROR_MSG))
    errs.extend(validation._meta_labels_annotations_owners_finalizers(new, path))
    return errs


_meta_field = st.one_of(st.none(), st.sampled_from(["", "a", "b", "2026-01-01T00:00:00Z"]), st.integers(0, 2))
_meta = st.fixed_dictionaries(
    {},
    optional={
        **dict.fromkeys(
            ("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"),
            _meta_field,
        ),
        "labels": st.dictionaries(st.sampled_from(["app", "-x", "a/b"]), st.sampled_from(["web", "-", ""])),
        "ownerReferences": st.lists(_owner, max_size=2),
    },
)


@settings(max_examples=300, deadline=None)
@given(new=_meta, old=_meta, same=st.booleans())
def test_the_object_meta_update_is_checked_as_before(new: dict[str, Any], old: dict[str, Any], same: bool) -> None:
    if same:
        old = {**new}  # the very values (the stored object's, as a status write keeps them)
    assert _shape(validation.validate_object_meta_update, new, old) == _shape(_meta_update_general, new, old)
