"""The second wave of speed paths for the kubelet's busy hour (issue 4's budget) answer exactly as the general ones do.

* ``validate_event``'s shortcut (``_plain_valid_event``): the shape every event recorder writes is decided with fewer
  steps; hypothesis compares ``validate_event`` with the general checks (``legacyValidateEvent``, then
  ``ValidateObjectMetaAccessor`` with ``ValidatePathSegmentName``) on arbitrary, also malformed, Events.
* ``_validate_pod_conditions`` skips the condition types the kubelet writes on every status (``ContainersReady``,
  ``PodReadyToStartContainers``, ``DisruptionTarget``): each is a qualified name, so the general check finds nothing.
* ``parse_behavior`` remembers its parse per annotation text and container names: every answer (and every error)
  is the uncached parse's, and each caller gets a dict of its own.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.api import validation
from k8smodel.api.labels import is_qualified_name
from k8smodel.kubelet import behavior
from k8smodel.kubelet.behavior import BehaviorError, parse_behavior
from k8smodel.record import EventRecorder
from k8smodel.sim import Simulation
from tests.test_speed_kubelet_paths import _conditions_general  # upstream's reading, shared


def _shape(fn: Any, *args: Any) -> Any:
    """What ``fn`` gives, or the field of the wrong type it raises on (``validate`` reports that as an error)."""
    try:
        return fn(*args)
    except validation._Shape as err:
        return ("shape", err.name, repr(err.value))


def _validate_event_general(ev: Any) -> Any:
    """``validate_event`` as it read before its shortcut."""
    errs = validation.legacy_validate_event(ev)
    if errs:
        return errs
    return validation.validate_object_meta(validation._m(ev, "metadata"), True, validation.is_valid_path_segment_name)


# --- validate_event ------------------------------------------------------------------------------------------

_names = st.one_of(
    st.sampled_from(["web-0.18867251edfa0000", "node-1.1", ".", "..", "a/b", "a%b", "", "x", "A_B", "a" * 300]),
    st.text(max_size=12),
)
_namespaces = st.one_of(
    st.sampled_from(["default", "kube-system", "team-a", "", "Team", "a.b", "-a", "a" * 64, "a" * 254]),
    st.text(max_size=6),
)
_odd = st.one_of(st.none(), st.integers(-1, 1), st.booleans(), st.lists(st.integers(), max_size=1), st.just({}))
_meta = st.one_of(
    st.fixed_dictionaries(
        {"name": _names, "namespace": _namespaces},
        optional={
            "creationTimestamp": st.just("2026-01-01T00:00:00Z"),
            "uid": st.text(max_size=4),
            "resourceVersion": st.just("7"),
            "generateName": st.one_of(_names, _odd),
            "generation": st.one_of(st.integers(-1, 2), _odd),
            "labels": st.one_of(st.just({"app": "web"}), st.just({"a b": "x"}), _odd),
            "annotations": st.one_of(st.just({"k": "v"}), _odd),
            "finalizers": st.one_of(st.just(["a/b"]), _odd),
        },
    ),
    st.dictionaries(st.sampled_from(["name", "namespace", "uid"]), st.one_of(_names, _odd), max_size=3),
    _odd,
)
_involved = st.one_of(
    st.fixed_dictionaries(
        {"kind": st.just("Pod"), "name": st.just("web-0")},
        optional={"namespace": st.one_of(_namespaces, _odd)},
    ),
    _odd,
)


@st.composite
def _events(draw: Any) -> Any:
    ev: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": draw(_meta),
        "involvedObject": draw(_involved),
        "reason": "Started",
        "message": "Started container app",
        "source": {"component": "kubelet", "host": "node-1"},
        "count": 1,
        "type": "Normal",
    }
    if draw(st.booleans()):
        ev["eventTime"] = draw(st.one_of(st.none(), st.just(""), st.just("2026-01-01T00:00:00.000000Z"), _odd))
    if draw(st.booleans()):
        ev["reportingController"] = draw(st.sampled_from(["", "kubelet", "a b"]))
        ev["reportingInstance"] = "node-1"
        ev["action"] = draw(st.sampled_from(["", "Start"]))
    return ev


@settings(max_examples=600, deadline=None)
@given(ev=_events())
def test_an_event_is_validated_as_the_general_checks_do(ev: dict[str, Any]) -> None:
    before = copy.deepcopy(ev)
    general = _shape(_validate_event_general, ev)
    assert _shape(validation.validate_event, ev) == general
    assert _shape(validation.validate_event, ev) == general  # (again: the namespace now remembered as valid)
    assert validation.validate(ev) == validation.validate(before)  # the public door, and nothing changed in place
    assert ev == before


@pytest.mark.parametrize(
    ("meta", "involved_ns", "valid"),
    [
        ({"name": "web-0.1", "namespace": "default"}, "default", True),
        ({"name": "node-1.1", "namespace": "default"}, None, True),  # a Node's Event: "default" for cluster objects
        ({"name": "web-0.1", "namespace": "team-a"}, "team-b", False),  # namespaces disagree
        ({"name": "web-0.1", "namespace": "team-a"}, None, False),  # no involvedObject.namespace: must be "default"
        ({"name": "a/b", "namespace": "default"}, "default", False),  # not a path segment name
        ({"name": "..", "namespace": "default"}, "default", False),
        ({"name": "x", "namespace": "Team"}, "Team", False),  # not a DNS label
        ({"name": "x", "namespace": "default", "labels": {"a b": "c"}}, "default", False),  # not the plain shape
    ],
)
def test_the_recorders_shape_takes_the_shortcut_only_when_valid(meta: dict, involved_ns: Any, valid: bool) -> None:
    involved = {"kind": "Pod", "name": "web-0"}
    if involved_ns is not None:
        involved["namespace"] = involved_ns
    ev = {"apiVersion": "v1", "kind": "Event", "metadata": meta, "involvedObject": involved, "eventTime": None}
    assert validation._plain_valid_event(ev) is valid
    assert (validation.validate_event(ev) == []) is (_validate_event_general(ev) == [])
    assert validation.validate_event(ev) == _validate_event_general(ev)


def test_the_recorders_events_take_the_shortcut() -> None:
    """Every Event the recorder builds (for a Pod and for a Node) is the plain shape."""
    sim = Simulation(seed=1)
    built: list[dict[str, Any]] = []

    class API:
        def create(self, obj: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            obj["metadata"]["creationTimestamp"] = "2026-01-01T00:00:00Z"
            built.append(obj)
            return obj

    recorder = EventRecorder(sim, API(), "kubelet", "node-1")
    pod = {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "web-0", "namespace": "team-a", "uid": "u"}}
    recorder.event(pod, "Normal", "Started", "Started container app", field_path="spec.containers{app}")
    node = {"kind": "Node", "apiVersion": "", "metadata": {"name": "node-1", "uid": "node-1"}}
    recorder.event(node, "Normal", "Starting", "Starting kubelet.")
    assert len(built) == 2
    for ev in built:
        assert validation._plain_valid_event(ev)
        assert _validate_event_general(ev) == []


# --- Pod condition types -------------------------------------------------------------------------------------


def test_the_skipped_condition_types_are_qualified_names() -> None:
    for ctype in sorted(validation._QUALIFIED_POD_CONDITIONS):
        assert is_qualified_name(ctype) == []


@settings(max_examples=300, deadline=None)
@given(
    conditions=st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {
                    "type": st.one_of(
                        st.sampled_from(
                            ["Ready", "ContainersReady", "PodReadyToStartContainers", "DisruptionTarget", "a b", "x/y"]
                        ),
                        _odd,
                        st.text(max_size=4),
                    )
                }
            ),
            _odd,
        ),
        max_size=5,
    )
)
def test_pod_condition_types_are_checked_as_upstream_does(conditions: list[Any]) -> None:
    path = "metadata.conditions"
    assert _shape(validation._validate_pod_conditions, conditions, path) == _shape(
        _conditions_general, conditions, path
    )


# --- parse_behavior ------------------------------------------------------------------------------------------


def _outcome(fn: Any, *args: Any) -> Any:
    try:
        return ("ok", fn(*args))
    except BehaviorError as err:
        return ("error", str(err))
    except TypeError as err:  # (a container name that is not a string: the API server never stores such a Pod)
        return ("type error", str(err))


def _uncached(pod: dict[str, Any]) -> Any:
    spec = pod.get("spec") or {}
    init = [c.get("name", "") for c in spec.get("initContainers") or []]
    sidecars = {c.get("name", "") for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"}
    regular = [c.get("name", "") for c in spec.get("containers") or []]
    text = ((pod.get("metadata") or {}).get("annotations") or {}).get(behavior.BEHAVIOR_ANNOTATION)
    return _outcome(behavior._parse_behavior, text, init, sidecars, regular)


_texts = st.one_of(
    st.none(),
    st.sampled_from(
        [
            '{"app": {"readyAfter": "5s"}}',
            '{"app": {"exitAfter": "1m", "exitCode": 1}, "init": {"exitAfter": "2s"}}',
            '{"side": {"unready": [["0s", "10s"]]}}',
            '{"nope": {}}',
            '{"app": {"bogus": 1}}',
            "app:\n  readyAfter: 3s\n",
            "[1, 2]",
            "{not json",
        ]
    ),
    st.integers(0, 1),
)


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(_texts, min_size=1, max_size=4),
    init=st.lists(st.sampled_from(["init", "side", "app"]), max_size=2),
    sidecar=st.booleans(),
    regular=st.lists(st.sampled_from(["app", "web", 3]), max_size=2),
)
def test_a_remembered_parse_is_the_parse(texts: list[Any], init: list[str], sidecar: bool, regular: list[Any]) -> None:
    for text in [*texts, *texts]:  # each text twice: the second answer comes from the cache
        pod: dict[str, Any] = {
            "metadata": {"annotations": {behavior.BEHAVIOR_ANNOTATION: text}} if text is not None else {},
            "spec": {
                "initContainers": [
                    {"name": n, **({"restartPolicy": "Always"} if sidecar and n == "side" else {})} for n in init
                ],
                "containers": [{"name": n} for n in regular],
            },
        }
        got = _outcome(parse_behavior, pod)
        assert got == _uncached(pod)
        if got[0] == "ok":
            again = parse_behavior(pod)
            assert again == got[1] and again is not got[1]  # a dict of its own for every caller
