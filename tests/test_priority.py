"""PriorityClass: the kind, its defaulting and validation, and the Priority admission plugin.

Cases from ``pkg/apis/scheduling/validation/validation_test.go`` (TestValidatePriorityClass,
TestValidatePriorityClassUpdate) and ``plugin/pkg/admission/priority/admission_test.go`` (TestPriorityClassAdmission,
TestDefaultPriority, TestPodAdmission), run through the model's API server.
"""

from __future__ import annotations

import pytest

from k8smodel.api.defaults import apply_defaults
from k8smodel.api.errors import StatusError
from k8smodel.api.kinds import for_resource, kind_of
from k8smodel.api.validation import invalid_message, validate
from k8smodel.apiserver import APIServer
from k8smodel.apiserver.admission import priority_class_lister, system_priority_classes
from k8smodel.sim import Simulation

SYSTEM_CRITICAL = 2_000_000_000
HIGHEST_USER = 1_000_000_000


def pc(name, value=0, *, global_default=None, policy=None, description=None, namespace=None):
    obj = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name}, "value": value}
    if namespace is not None:
        obj["metadata"]["namespace"] = namespace
    if global_default is not None:
        obj["globalDefault"] = global_default
    if policy is not None:
        obj["preemptionPolicy"] = policy
    if description is not None:
        obj["description"] = description
    return obj


def pod(name, namespace="default", **spec):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"containers": [{"name": "container", "image": "nginx"}], **spec},
    }


@pytest.fixture
def api():
    server = APIServer(Simulation(seed=1))
    for obj in system_priority_classes():  # the bootstrap hook's objects (idempotent if the server made them)
        if not any(o["metadata"]["name"] == obj["metadata"]["name"] for o in server.list("priorityclasses")[0]):
            server.create(obj)
    for ns in ("namespace", "non-system-namespace"):
        server.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    return server


# --- the kind and its defaults -------------------------------------------------------------------------------------


def test_kind_is_cluster_scoped_with_short_name():
    kind = for_resource("pc")
    assert (kind.kind, kind.api_version, kind.namespaced) == ("PriorityClass", "scheduling.k8s.io/v1", False)
    assert kind.key("high") == "/registry/priorityclasses/high"
    assert kind_of(pc("x")) is kind


def test_preemption_policy_defaults_to_preempt_lower_priority():
    """SetDefaults_PriorityClass."""
    assert apply_defaults(pc("x"))["preemptionPolicy"] == "PreemptLowerPriority"
    assert apply_defaults(pc("x", policy="Never"))["preemptionPolicy"] == "Never"


# --- validation ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "obj",
    [
        pc("tier1", 100),
        pc("tier1", 200, global_default=False, description="Used for the highest priority pods."),
        pc("system-node-critical", SYSTEM_CRITICAL + 1000, description="system priority class 0"),
        pc("tier1", HIGHEST_USER),
    ],
    ids=["no description", "with description", "system node critical", "highest user value"],
)
def test_valid_priority_classes(obj):
    """TestValidatePriorityClass successCases."""
    assert validate(apply_defaults(obj)) == []


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        (
            pc("tier1", 100, namespace="foo"),
            'PriorityClass.scheduling.k8s.io "tier1" is invalid: metadata.namespace: Forbidden: not allowed on this '
            "type",
        ),
        (pc("tier&1", 100), 'PriorityClass.scheduling.k8s.io "tier&1" is invalid: metadata.name: Invalid value'),
        (
            pc("system-node-critical", 0),
            'PriorityClass.scheduling.k8s.io "system-node-critical" is invalid: metadata.name: Forbidden: priority '
            "class names with 'system-' prefix are reserved for system use only. error: value of "
            "system-node-critical PriorityClass must be 2000001000",
        ),
        (
            pc("system-something", SYSTEM_CRITICAL + 1000),
            'PriorityClass.scheduling.k8s.io "system-something" is invalid: metadata.name: Forbidden: priority class '
            "names with 'system-' prefix are reserved for system use only. error: system-something is not a known "
            "system priority class",
        ),
        (
            pc("huge", HIGHEST_USER + 1),
            'PriorityClass.scheduling.k8s.io "huge" is invalid: value: Forbidden: maximum allowed value of a user '
            "defined priority is 1000000000",
        ),
        (
            pc("odd", 1, policy="Sometimes"),
            'PriorityClass.scheduling.k8s.io "odd" is invalid: preemptionPolicy: Unsupported value: "Sometimes": '
            'supported values: "PreemptLowerPriority", "Never"',
        ),
    ],
    ids=["with namespace", "invalid name", "incorrect system class value", "unknown system name", "value", "policy"],
)
def test_invalid_priority_classes(obj, message):
    """TestValidatePriorityClass errorCases, with the API server's messages."""
    errs = validate(apply_defaults(obj))
    assert errs
    assert invalid_message(obj, errs).startswith(message)


def test_priority_class_update_rules():
    """TestValidatePriorityClassUpdate."""
    old = apply_defaults(pc("tier1", 100, policy="PreemptLowerPriority"))
    old["metadata"]["resourceVersion"] = "1"
    ok = [
        pc("tier1", 100, policy="PreemptLowerPriority", description="Used for the highest priority pods."),
        pc("tier1", 100, policy="PreemptLowerPriority", description="A different description."),
        pc("tier1", 100, policy="PreemptLowerPriority"),
        pc("tier1", 100, policy="PreemptLowerPriority", global_default=True),
    ]
    for new in ok:
        assert validate(new, old) == []
    bad = {
        "add namespace": (pc("tier1", 100, policy="PreemptLowerPriority", namespace="foo"), "Invalid"),
        "change name": (pc("tier2", 100, policy="PreemptLowerPriority"), "Invalid"),
        "remove value": ({**pc("tier1", policy="PreemptLowerPriority"), "value": None}, "Forbidden"),
        "change value": (pc("tier1", 101, policy="PreemptLowerPriority"), "Forbidden"),
        "change preemptionPolicy": (pc("tier1", 100, policy="Never"), "Invalid"),
    }
    for name, (new, kind) in bad.items():
        errs = validate(new, old)
        assert errs, name
        assert all(e.type.value.startswith(kind) for e in errs), (name, errs)


# --- admission: PriorityClasses (TestPriorityClassAdmission, TestDefaultPriority) -----------------------------------


def test_only_one_global_default(api):
    api.create(pc("default1", 1000, global_default=True))
    with pytest.raises(StatusError) as err:
        api.create(pc("default2", 2000, global_default=True))
    assert err.value.code == 403
    assert str(err.value) == (
        'priorityclasses.scheduling.k8s.io "default2" is forbidden: PriorityClass default1 is already marked as '
        "default. Only one default can exist"
    )
    # The default itself may be updated, and unmarked; then another may become the default.
    current = api.get("priorityclasses", "default1")
    api.update({**current, "description": "still the default"})
    api.update({**api.get("priorityclasses", "default1"), "globalDefault": False})
    api.create(pc("default2", 2000, global_default=True))


def test_default_priority_follows_the_stored_classes(api):
    """TestDefaultPriority: no default class means 0; a new default counts; deleting it goes back to 0; with two
    defaults (a race), the lower value wins."""
    lister = priority_class_lister(api.store)
    assert lister.default_priority() == ("", 0, "PreemptLowerPriority")
    api.create(pc("nondefault1", 2000))
    api.create(pc("default1", 1000, global_default=True))
    assert lister.default_priority()[:2] == ("default1", 1000)
    api.delete("priorityclasses", "default1")
    assert lister.default_priority()[:2] == ("", 0)
    lister.classes["raced"] = pc("raced", 1500, global_default=True)
    lister.classes["raced-low"] = pc("raced-low", 500, global_default=True)
    assert lister.default_priority()[:2] == ("raced-low", 500)


def test_system_classes_cannot_be_deleted(api):
    with pytest.raises(StatusError) as err:
        api.delete("priorityclasses", "system-cluster-critical")
    assert err.value.code == 403
    assert str(err.value) == (
        'priorityclasses.scheduling.k8s.io "system-cluster-critical" is forbidden: this is a system priority class '
        "and cannot be deleted"
    )
    assert api.get("priorityclasses", "system-cluster-critical")["value"] == SYSTEM_CRITICAL


def test_invalid_class_gets_the_422_before_the_default_check(api):
    api.create(pc("default1", 1000, global_default=True))
    with pytest.raises(StatusError) as err:
        api.create(pc("huge", HIGHEST_USER + 1, global_default=True))
    assert err.value.code == 422


# --- admission: Pods (TestPodAdmission) -----------------------------------------------------------------------------


def test_pod_with_priority_class(api):
    api.create(pc("default1", 1000, global_default=True))
    api.create(pc("nondefault1", 2000, description="Just a test priority class"))
    created = api.create(pod("pod-w-priorityclass", "namespace", priorityClassName="default1"))
    assert created["spec"]["priority"] == 1000
    assert created["spec"]["preemptionPolicy"] == "PreemptLowerPriority"
    created = api.create(pod("pod-wo-priorityclass", "namespace"))
    assert (created["spec"]["priority"], created["spec"]["priorityClassName"]) == (1000, "default1")


def test_pod_without_any_default_class_gets_zero(api):
    created = api.create(pod("pod-wo-priorityclass", "namespace"))
    assert created["spec"]["priority"] == 0
    assert "priorityClassName" not in created["spec"]
    assert created["spec"]["preemptionPolicy"] == "PreemptLowerPriority"


def test_pod_with_system_priority_class(api):
    for namespace in ("kube-system", "non-system-namespace"):
        created = api.create(pod("pod-w-system-priority", namespace, priorityClassName="system-cluster-critical"))
        assert created["spec"]["priority"] == SYSTEM_CRITICAL
    node_critical = api.create(pod("n", "kube-system", priorityClassName="system-node-critical"))
    assert node_critical["spec"]["priority"] == SYSTEM_CRITICAL + 1000


def test_pod_with_non_existing_priority_class_is_refused(api):
    with pytest.raises(StatusError) as err:
        api.create(pod("x", priorityClassName="foo"))
    assert err.value.code == 403
    assert str(err.value) == 'pods "x" is forbidden: no PriorityClass with name foo was found'
    with pytest.raises(StatusError, match="no PriorityClass with name foo was found"):
        api.create({**pod("", priorityClassName="foo"), "metadata": {"generateName": "web-", "namespace": "default"}})
    assert api.list("pods")[0] == []  # nothing was stored


def test_pod_with_integer_priority(api):
    api.create(pc("default1", 1000, global_default=True))
    with pytest.raises(StatusError) as err:
        api.create(pod("pod-w-integer-priority", "namespace", priorityClassName="default1", priority=1001))
    assert str(err.value) == (
        'pods "pod-w-integer-priority" is forbidden: the integer value of priority (1001) must not be provided in pod '
        "spec; priority admission controller computed 1000 from the given PriorityClass name"
    )
    # A priority equal to the one the class gives is accepted.
    assert api.create(pod("ok", "namespace", priorityClassName="default1", priority=1000))["spec"]["priority"] == 1000
    assert api.create(pod("zero", "non-system-namespace", priority=1000))["spec"]["priority"] == 1000


def test_pod_preemption_policy_from_its_class(api):
    api.create(pc("nopreemptionpolicy", 2000, global_default=True, policy="Never"))
    created = api.create(pod("p1", priorityClassName="nopreemptionpolicy"))
    assert created["spec"]["preemptionPolicy"] == "Never"
    with pytest.raises(StatusError) as err:
        api.create(pod("p2", priorityClassName="nopreemptionpolicy", preemptionPolicy="PreemptLowerPriority"))
    assert str(err.value) == (
        'pods "p2" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in '
        "pod spec; priority admission controller computed Never from the given PriorityClass name"
    )


def test_update_keeps_the_priority(api):
    """admitPod on update: a client that sends the Pod back without spec.priority does not lose it."""
    api.create(pc("high", 5000))
    created = api.create(pod("p", priorityClassName="high"))
    spec = {k: v for k, v in created["spec"].items() if k not in ("priority", "preemptionPolicy")}
    updated = api.update({**created, "metadata": {**created["metadata"], "labels": {"a": "b"}}, "spec": spec})
    assert updated["spec"]["priority"] == 5000
    assert updated["spec"]["preemptionPolicy"] == "PreemptLowerPriority"


def test_priority_fields_are_validated_on_pods(api):
    """ValidatePodSpec: priorityClassName is a DNS subdomain, preemptionPolicy one of two values. (Through the API
    server the Priority plugin refuses an unknown class first, as upstream's admission runs before validation.)"""
    bad = apply_defaults(pod("p", priorityClassName="Not_A_Name", preemptionPolicy="Sometimes"))
    message = invalid_message(bad, validate(bad))
    assert 'spec.priorityClassName: Invalid value: "Not_A_Name"' in message
    assert 'spec.preemptionPolicy: Unsupported value: "Sometimes"' in message
    with pytest.raises(StatusError) as err:
        api.create(pod("p", priorityClassName="Not_A_Name"))
    assert err.value.code == 403
