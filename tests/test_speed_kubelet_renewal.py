"""The Lease renewal's shortcut (issue 4's busy-hour budget) answers exactly as the stages it skips would.

``APIServer._update_lean`` skips ``BeforeUpdate``, validation and the no-op check for a Lease update that only
renews (``server._renewal_only``: the same keys and metadata, the spec changed in ``renewTime`` alone) of the very
Lease it wrote last under that key. Two kinds of proof:

* seeded request streams of owned Lease updates — renewals, and renewals with one more change (a label, an invalid
  label, an owner reference, an immutable field, ``leaseDurationSeconds`` valid or not, an extra top-level field,
  ``renewTime`` unchanged or removed, a stale resourceVersion), interleaved with writes by other paths — answer and
  store the same with the shortcut, without it (``_renewal_only`` always false) and through the general pipeline;
* hypothesis: for an arbitrary edit of a renewal, whenever ``_renewal_only`` says yes, ``BeforeUpdate`` leaves the
  object as it is (key order included), validation finds nothing, and the object differs from the stored one.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.api.errors import StatusError
from k8smodel.apiserver import APIServer, admission
from k8smodel.apiserver import server as server_module
from k8smodel.apiserver.authn import ADMIN
from k8smodel.apiserver.registry import strategy_for
from k8smodel.sim import Simulation
from tests.test_speed_apiserver import NODE, _lease, _state


def _answer(fn: Any) -> Any:
    try:
        return ("ok", copy.deepcopy(fn()))
    except StatusError as err:
        return ("error", err.code, err.reason, str(err))


def _edit(lease: dict[str, Any], rng: random.Random, api: APIServer) -> dict[str, Any]:
    """A renewal of ``lease`` (as the kubelet's ``_new_lease`` builds it), sometimes with one more change."""
    out = {**lease, "metadata": dict(lease["metadata"]), "spec": dict(lease["spec"])}
    out["spec"]["renewTime"] = api.sim.rfc3339_micro()
    roll = rng.randrange(16)
    meta, spec = out["metadata"], out["spec"]
    if roll == 0:
        meta["labels"] = {"a": rng.choice(["b", "-bad-"])}
    elif roll == 1:
        meta["ownerReferences"] = [{"apiVersion": "v1", "kind": "Node", "name": "n", "uid": rng.choice(["u", ""])}]
    elif roll == 2:
        meta["uid"] = "another"  # 422: immutable
    elif roll == 3:
        spec["leaseDurationSeconds"] = rng.choice([0, 20, 40, 40.0, True])  # 40.0 == 40, but invalid: 422
    elif roll == 4:
        out["extra"] = rng.choice([None, 1])
    elif roll == 5:
        spec["renewTime"] = lease["spec"].get("renewTime")  # nothing new: a no-op
    elif roll == 6:
        spec.pop("renewTime", None)
    elif roll == 7:
        meta["resourceVersion"] = "1"  # stale: 409
    elif roll == 8:
        spec["leaseTransitions"] = rng.choice([-1, 2])
    elif roll == 9:
        meta["annotations"] = {"note": "x"}
    elif roll == 10:
        meta.pop("resourceVersion", None)  # unconditional
    elif roll == 11:
        out["metadata"] = copy.deepcopy(meta)  # equal values, other objects: the full way, the same answer
    return out


def _stream(variant: str, seed: int, monkeypatch: pytest.MonkeyPatch) -> Any:
    rng = random.Random(seed)
    api = APIServer(Simulation(seed))
    if variant == "general":
        api._update_lean = lambda *a, **k: None  # type: ignore[method-assign]
    elif variant == "unremembered":
        monkeypatch.setattr(server_module, "_renewal_only", lambda obj, existing: False)
    answers: list[Any] = []
    latest = {name: api._create_owned(_lease(name)) for name in ("n0", "n1", "n2")}
    for _step in range(120):
        api.sim.env._now += rng.choice([0.0, 0.25, 10.0])
        name = rng.choice(sorted(latest))
        action = rng.random()
        if action < 0.08:  # a write by another path: the remembered Lease is no longer the stored one
            body = {"metadata": {"labels": {"touched": str(rng.randrange(3))}}}
            answers.append(_answer(lambda n=name, b=body: api.patch("leases", n, "kube-node-lease", b)))
            continue
        lease = _edit(latest[name], rng, api)
        user = rng.choice([ADMIN, ADMIN, ADMIN, NODE])
        answer = _answer(lambda lease=lease, u=user: api._update_owned(lease, user=u))
        answers.append(answer)
        if answer[0] == "ok" and rng.random() < 0.9:
            latest[name] = answer[1]
        elif rng.random() < 0.3:
            latest[name] = api.get("leases", name, "kube-node-lease")
    monkeypatch.undo()
    return answers, _state(api)


@pytest.mark.pure_python  # replaces server.py's _renewal_only (tests/conftest.py)
@pytest.mark.parametrize("seed", range(6))
def test_renewals_answer_as_without_the_shortcut_and_as_the_general_pipeline(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = _stream("quick", seed, monkeypatch)
    assert quick == _stream("unremembered", seed, monkeypatch) == _stream("general", seed, monkeypatch)
    codes = {a[1] for a in quick[0] if a[0] == "error"}
    assert sum(a[0] == "ok" for a in quick[0]) > 40 and {409, 422} <= codes


@pytest.mark.pure_python  # replaces server.py's _renewal_only (tests/conftest.py)
def test_the_shortcut_is_taken_for_a_plain_renewal_and_only_then(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[bool] = []
    original = server_module._renewal_only

    def spy(obj: dict, existing: dict) -> bool:
        taken.append(original(obj, existing))
        return taken[-1]

    monkeypatch.setattr(server_module, "_renewal_only", spy)
    api = APIServer(Simulation(0))
    lease = api._create_owned(_lease("node-1"))
    for t in (1.0, 2.0, 3.0):  # the first renewal is checked in full (the created Lease is not remembered)
        api.sim.env._now = t
        lease = api._update_owned(_edit_renewal(lease, api))
    assert taken == [True, True]
    api.sim.env._now = 4.0
    relabeled = _edit_renewal(lease, api)
    relabeled["metadata"]["labels"] = {"a": "b"}
    api._update_owned(relabeled)
    assert taken == [True, True, False]


def _edit_renewal(lease: dict[str, Any], api: APIServer) -> dict[str, Any]:
    out = {**lease, "metadata": dict(lease["metadata"]), "spec": dict(lease["spec"])}
    out["spec"]["renewTime"] = api.sim.rfc3339_micro()
    return out


_SAME = object()  # an edit that puts back the stored object's own value (the very object)
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 50),
    st.floats(allow_nan=True),
    st.text(max_size=4),
    st.sampled_from(["-bad-", "node-1", 40, 40.0, _SAME, _SAME, _SAME]),
)
_MOSTLY_SAME = st.one_of(st.just(_SAME), st.just(_SAME), st.just(_SAME), _VALUES)
_META_KEYS = st.sampled_from(
    [
        "labels",
        "annotations",
        "uid",
        "generation",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "finalizers",
        "ownerReferences",
        "name",
        "resourceVersion",
    ]
)
_SPEC_KEYS = st.sampled_from(["renewTime", "leaseDurationSeconds", "leaseTransitions", "holderIdentity", "x"])


def _put(target: dict[str, Any], source: dict[str, Any], key: str, value: Any) -> None:
    if value is _SAME:
        if key in source:
            target[key] = source[key]
        else:
            target.pop(key, None)
    else:
        target[key] = value


@settings(max_examples=400, deadline=None)
@given(
    meta_edits=st.lists(
        st.tuples(_META_KEYS, _MOSTLY_SAME | st.dictionaries(st.text(max_size=3), _VALUES, max_size=2)), max_size=3
    ),
    spec_edits=st.lists(st.tuples(_SPEC_KEYS, _MOSTLY_SAME), max_size=3),
    top_edits=st.lists(st.tuples(st.sampled_from(["status", "apiVersion", "kind", "extra"]), _MOSTLY_SAME), max_size=1),
    labeled=st.booleans(),
)
def test_when_the_shortcut_says_yes_the_skipped_stages_change_nothing(
    meta_edits: list[Any], spec_edits: list[Any], top_edits: list[Any], labeled: bool
) -> None:
    api = APIServer(Simulation(0))
    lease = _lease("node-1")
    if labeled:
        lease["metadata"]["labels"] = {"a": "b"}
    lease = api._create_owned(lease)
    api.sim.env._now = 1.0
    existing = api._update_owned(_edit_renewal(lease, api))  # the remembered, validated Lease
    assert api._validated_leases["/registry/leases/kube-node-lease/node-1"] is existing
    api.sim.env._now = 2.0
    obj = _edit_renewal(existing, api)
    for key, value in meta_edits:
        _put(obj["metadata"], existing["metadata"], key, value)
    for key, value in spec_edits:
        _put(obj["spec"], existing["spec"], key, value)
    for key, value in top_edits:
        _put(obj, existing, key, value)
    if not server_module._renewal_only(obj, existing):
        return
    prepared = copy.deepcopy(obj)
    APIServer._before_update(strategy_for(server_module._LEASES), "", prepared, existing)
    assert prepared == obj and list(prepared["metadata"]) == list(obj["metadata"])
    assert list(prepared) == list(obj) and list(prepared["spec"]) == list(obj["spec"])
    assert admission.problems(obj, existing) == []
    assert obj != existing
