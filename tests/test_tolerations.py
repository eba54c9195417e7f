"""Tests for k8smodel.api.tolerations, cases ported from upstream unit tests (names cited per table)."""

from __future__ import annotations

import pytest

from k8smodel.api import tolerations as t

NS, NE, PNS = "NoSchedule", "NoExecute", "PreferNoSchedule"

# staging/src/k8s.io/api/core/v1/toleration_test.go TestTolerationToleratesTaint (commit 19c6083b);
# the Gt/Lt rows need the comparison-operator feature gate on.
TOLERATES_TAINT = [
    (
        "same key/effect, Exists, taint has no value",
        {"key": "foo", "operator": "Exists", "effect": NS},
        {"key": "foo", "effect": NS},
        True,
    ),
    (
        "same key/effect, Exists, taint has some value",
        {"key": "foo", "operator": "Exists", "effect": NS},
        {"key": "foo", "value": "bar", "effect": NS},
        True,
    ),
    (
        "empty key and Exists matches all taints",
        {"key": "", "operator": "Exists", "effect": NS},
        {"key": "foo", "value": "bar", "effect": NS},
        True,
    ),
    (
        "same key, effect and value, Equal",
        {"key": "foo", "operator": "Equal", "value": "bar", "effect": NS},
        {"key": "foo", "value": "bar", "effect": NS},
        True,
    ),
    (
        "different values, Equal",
        {"key": "foo", "operator": "Equal", "value": "value1", "effect": NS},
        {"key": "foo", "value": "value2", "effect": NS},
        False,
    ),
    (
        "different effects, Equal",
        {"key": "foo", "operator": "Equal", "value": "bar", "effect": NS},
        {"key": "foo", "value": "bar", "effect": NE},
        False,
    ),
    (
        "Gt, taint value less",
        {"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": NS},
        {"key": "node.kubernetes.io/sla", "value": "800", "effect": NS},
        False,
    ),
    (
        "Gt, taint value greater",
        {"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "750", "effect": NS},
        {"key": "node.kubernetes.io/sla", "value": "950", "effect": NS},
        True,
    ),
    (
        "Lt, taint value greater",
        {"key": "node.kubernetes.io/sla", "operator": "Lt", "value": "800", "effect": NS},
        {"key": "node.kubernetes.io/sla", "value": "950", "effect": NS},
        False,
    ),
    (
        "Lt, taint value less",
        {"key": "node.kubernetes.io/sla", "operator": "Lt", "value": "950", "effect": NS},
        {"key": "node.kubernetes.io/sla", "value": "800", "effect": NS},
        True,
    ),
    (
        "Gt, equal values",
        {"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": NS},
        {"key": "node.kubernetes.io/sla", "value": "950", "effect": NS},
        False,
    ),
    (
        "Gt, non-numeric taint value",
        {"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": NS},
        {"key": "node.kubernetes.io/sla", "value": "high", "effect": NS},
        False,
    ),
    (
        "Gt, negative values",
        {"key": "test-key", "operator": "Gt", "value": "-100", "effect": NS},
        {"key": "test-key", "value": "-200", "effect": NS},
        False,
    ),
    (
        "Gt, large int64 values",
        {"key": "test-key", "operator": "Gt", "value": "9223372036854775806", "effect": NS},
        {"key": "test-key", "value": "100", "effect": NS},
        False,
    ),
]


@pytest.mark.parametrize(
    ("toleration", "taint", "want"), [c[1:] for c in TOLERATES_TAINT], ids=[c[0] for c in TOLERATES_TAINT]
)
def test_toleration_tolerates_taint(toleration, taint, want):
    assert t.tolerates_taint(toleration, taint, enable_comparison_operators=True) is want


def test_non_numeric_value_reports_error():
    """toleration_test.go: the non-numeric row has expectError: true."""
    ok, err = t.tolerates_taint_checked(
        {"key": "k", "operator": "Gt", "value": "950"}, {"key": "k", "value": "high"}, enable_comparison_operators=True
    )
    assert not ok
    assert err == 'failed to parse taint value "high" as int64: must be a valid decimal integer in canonical form'
    # IsDecimalInteger rejects leading zeros and "+", which strconv.ParseInt would accept.
    assert t.tolerates_taint_checked(
        {"key": "k", "operator": "Lt", "value": "0700"}, {"key": "k", "value": "1"}, enable_comparison_operators=True
    )[1]
    assert t.tolerates_taint_checked(
        {"key": "k", "operator": "Lt", "value": "+7"}, {"key": "k", "value": "1"}, enable_comparison_operators=True
    )[1]


def test_comparison_operators_gated_off_by_default():
    """toleration.go rule 5: with enableComparisonOperators false, Lt/Gt do not match (and no error)."""
    tol, taint = {"key": "k", "operator": "Gt", "value": "1"}, {"key": "k", "value": "5"}
    assert t.tolerates_taint_checked(tol, taint) == (False, None)
    assert t.tolerates_taint(tol, taint, enable_comparison_operators=True)


def test_default_operator_is_equal_and_unknown_operator_matches_nothing():
    assert t.tolerates_taint({"key": "foo", "value": "bar"}, {"key": "foo", "value": "bar", "effect": NE})
    assert not t.tolerates_taint({"key": "foo", "operator": "Bogus"}, {"key": "foo"})
    # Empty key, empty effect, Exists: the "tolerate everything" toleration.
    assert t.tolerates_taint({"operator": "Exists"}, {"key": "x", "value": "y", "effect": NE})


# staging/src/k8s.io/component-helpers/scheduling/corev1/helpers_test.go TestFindMatchingUntoleratedTaint
FIND_UNTOLERATED = [
    ("empty tolerations tolerate empty taints", [], [], lambda _: True, True),
    (
        "non-empty tolerations tolerate empty taints",
        [{"key": "foo", "operator": "Exists", "effect": NS}],
        [],
        lambda _: True,
        True,
    ),
    (
        "tolerations match all taints",
        [{"key": "foo", "operator": "Exists", "effect": NS}],
        [{"key": "foo", "effect": NS}],
        lambda _: True,
        True,
    ),
    (
        "no taints apply to the filter",
        [{"key": "foo", "operator": "Exists", "effect": NS}],
        [{"key": "bar", "effect": NS}],
        lambda _: False,
        True,
    ),
    (
        "no filterFunc: all taints apply, untolerated",
        [{"key": "foo", "operator": "Exists", "effect": NS}],
        [{"key": "bar", "effect": NS}],
        None,
        False,
    ),
    (
        "tolerations match filtered taints",
        [{"key": "foo", "operator": "Exists", "effect": NE}],
        [{"key": "foo", "effect": NE}, {"key": "bar", "effect": NS}],
        lambda x: x["effect"] == NE,
        True,
    ),
]


@pytest.mark.parametrize(
    ("tolerations", "taints", "flt", "tolerated"),
    [c[1:] for c in FIND_UNTOLERATED],
    ids=[c[0] for c in FIND_UNTOLERATED],
)
def test_find_matching_untolerated_taint(tolerations, taints, flt, tolerated):
    assert (t.find_matching_untolerated_taint(taints, tolerations, flt) is None) is tolerated


def test_find_matching_untolerated_taint_returns_first_and_errors_count_as_untolerated():
    taints = [{"key": "a", "effect": NS}, {"key": "b", "effect": NS}, {"key": "c", "effect": NS}]
    assert t.find_matching_untolerated_taint(taints, [{"key": "a", "operator": "Exists"}]) == taints[1]
    bad = [{"key": "sla", "value": "high", "effect": NS}]
    tol = [{"key": "sla", "operator": "Gt", "value": "1"}]
    assert t.find_matching_untolerated_taint(bad, tol, enable_comparison_operators=True) == bad[0]


def test_tolerations_tolerate_taint():
    taint = {"key": "foo", "value": "bar", "effect": NS}
    assert not t.tolerations_tolerate_taint([], taint)
    assert not t.tolerations_tolerate_taint(None, taint)
    assert t.tolerations_tolerate_taint([{"key": "x", "operator": "Exists"}, {"key": "foo", "value": "bar"}], taint)
    # TolerationsTolerateTaint keeps the first error when nothing tolerates.
    ok, err = t.tolerations_tolerate_taint_checked(
        [{"key": "foo", "operator": "Lt", "value": "zz"}, {"key": "foo", "operator": "Gt", "value": "x"}],
        taint,
        enable_comparison_operators=True,
    )
    assert not ok and err.startswith('failed to parse toleration value "zz"')


# pkg/controller/tainteviction/taint_eviction_test.go TestGetMinTolerationTime (-1 is None here)
MIN_TOLERATION = [
    ([], 0.0),
    ([{"tolerationSeconds": None}], None),
    ([{"tolerationSeconds": 1}, {"tolerationSeconds": 2}], 1.0),
    ([{"tolerationSeconds": 1}, {"tolerationSeconds": None}], 1.0),
    ([{"tolerationSeconds": None}, {"tolerationSeconds": 1}], 1.0),
    ([{}], None),
    ([{"tolerationSeconds": 300}, {"tolerationSeconds": -5}], 0.0),
    ([{"tolerationSeconds": 0}], 0.0),
]


@pytest.mark.parametrize(("tolerations", "want"), MIN_TOLERATION)
def test_get_min_toleration_time(tolerations, want):
    assert t.get_min_toleration_time(tolerations) == want


def test_get_matching_tolerations():
    """GetMatchingTolerations: first tolerating toleration per taint, all-or-nothing."""
    nr = {"key": t.TAINT_NODE_NOT_READY, "effect": NE}
    ur = {"key": t.TAINT_NODE_UNREACHABLE, "effect": NE}
    tol_nr = {"key": t.TAINT_NODE_NOT_READY, "operator": "Exists", "effect": NE, "tolerationSeconds": 300}
    tol_ur = {"key": t.TAINT_NODE_UNREACHABLE, "operator": "Exists", "effect": NE, "tolerationSeconds": 300}
    assert t.get_matching_tolerations([], []) == (True, [])
    assert t.get_matching_tolerations([nr], []) == (False, [])
    assert t.get_matching_tolerations([nr, ur], [tol_ur, tol_nr]) == (True, [tol_nr, tol_ur])
    assert t.get_matching_tolerations([nr, ur], [tol_nr]) == (False, [])
    assert t.get_min_toleration_time(t.get_matching_tolerations([nr], [tol_nr, tol_ur])[1]) == 300.0


def test_taint_helpers_and_constants():
    a = {"key": "k", "value": "v1", "effect": NS}
    assert t.taint_matches(a, {"key": "k", "value": "v2", "effect": NS})
    assert not t.taint_matches(a, {"key": "k", "value": "v1", "effect": PNS})
    assert t.taint_matches_by_key(a, {"key": "k", "effect": PNS})
    assert [
        t.taint_to_string(x) for x in (a, {"key": "k", "value": "v"}, {"key": "k", "effect": NE}, {"key": "k"})
    ] == ["k=v1:NoSchedule", "k=v:", "k:NoExecute", "k"]
    assert t.match_toleration({"key": "k", "operator": "Exists"}, {"key": "k", "operator": "Exists", "value": ""})
    assert not t.match_toleration({"key": "k", "operator": "Exists"}, {"key": "k", "operator": "Equal"})
    assert t.get_no_execute_taints([a, {"key": "x", "effect": NE}]) == [{"key": "x", "effect": NE}]
    assert t.TAINT_EXTERNAL_CLOUD_PROVIDER == "node.cloudprovider.kubernetes.io/uninitialized"
    assert {
        t.TAINT_NODE_MEMORY_PRESSURE,
        t.TAINT_NODE_DISK_PRESSURE,
        t.TAINT_NODE_PID_PRESSURE,
        t.TAINT_NODE_NETWORK_UNAVAILABLE,
        t.TAINT_NODE_UNSCHEDULABLE,
    } == {
        "node.kubernetes.io/memory-pressure",
        "node.kubernetes.io/disk-pressure",
        "node.kubernetes.io/pid-pressure",
        "node.kubernetes.io/network-unavailable",
        "node.kubernetes.io/unschedulable",
    }
