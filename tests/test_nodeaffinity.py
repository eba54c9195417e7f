"""Tests for k8smodel.api.nodeaffinity, ported from upstream
staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity_test.go (commit 04791b49) and
staging/src/k8s.io/component-helpers/scheduling/corev1/helpers_test.go TestMatchNodeSelectorTerms."""

from __future__ import annotations

import pytest

from k8smodel.api import nodeaffinity as na

BAD_KEY_DETAIL = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)


def req(key, op, *values):
    r = {"key": key, "operator": op}
    if values:
        r["values"] = list(values)
    return r


def node(name="", labels=None):
    meta = {}
    if name:
        meta["name"] = name
    if labels is not None:
        meta["labels"] = labels
    return {"kind": "Node", "metadata": meta}


NAME_IN_HOST1 = req("metadata.name", "In", "host_1")
LABEL1_IN = req("label_1", "In", "label_1_val")


def _errs(e):
    return [(str(x.type), x.field, x.detail) for x in e.errors]


# --- TestNodeSelectorMatch ----------------------------------------------------------------------------------------


def test_node_selector_match_nil_node():
    assert na.NodeSelector({}).match(None) is False


def test_node_selector_invalid_field_and_label_selector():
    ns = {
        "nodeSelectorTerms": [
            {"matchFields": [req("metadata.name", "In", "host_1", "host_2")]},
            {"matchExpressions": [LABEL1_IN], "matchFields": [NAME_IN_HOST1]},
            {"matchExpressions": [req("invalid key", "In", "label_value")]},
        ]
    }
    with pytest.raises(na.NodeSelectorError) as exc:
        na.NodeSelector(ns)
    assert _errs(exc.value) == [
        ("Invalid value", "nodeSelectorTerms[0].matchFields[0].values", "must have one element"),
        ("Invalid value", "nodeSelectorTerms[2].matchExpressions[0].key", BAD_KEY_DETAIL),
    ]
    assert str(exc.value).startswith("[nodeSelectorTerms[0].matchFields[0].values: Invalid value: ")


@pytest.mark.parametrize(
    ("terms", "the_node", "want"),
    [
        ([{"matchExpressions": [LABEL1_IN], "matchFields": [NAME_IN_HOST1]}], node("host_1"), False),
        (
            [{"matchExpressions": [LABEL1_IN], "matchFields": [NAME_IN_HOST1]}],
            node("host_1", {"label_1": "label_1_val"}),
            True,
        ),
        ([{"matchExpressions": [LABEL1_IN]}, {"matchFields": [NAME_IN_HOST1]}], node("host_1"), True),
    ],
    ids=["matches field selector but not labels", "matches field and label selector", "second term matches"],
)
def test_node_selector_match(terms, the_node, want):
    assert na.NodeSelector({"nodeSelectorTerms": terms}).match(the_node) is want


# --- TestPreferredSchedulingTermsScore ----------------------------------------------------------------------------


def test_preferred_scheduling_terms_invalid():
    terms = [
        {"weight": 1, "preference": {"matchFields": [req("metadata.name", "In", "host_1", "host_2")]}},
        {"weight": 1, "preference": {"matchExpressions": [LABEL1_IN], "matchFields": [NAME_IN_HOST1]}},
        {"weight": 1, "preference": {"matchExpressions": [req("invalid key", "In", "label_value")]}},
    ]
    with pytest.raises(na.NodeSelectorError) as exc:
        na.PreferredSchedulingTerms(terms)
    assert _errs(exc.value) == [
        ("Invalid value", "[0].matchFields[0].values", "must have one element"),
        ("Invalid value", "[2].matchExpressions[0].key", BAD_KEY_DETAIL),
    ]


def test_preferred_scheduling_terms_zero_weight_not_parsed():
    terms = [{"weight": 0, "preference": {"matchFields": [req("metadata.name", "In", "host_1", "host_2")]}}]
    assert na.PreferredSchedulingTerms(terms).score(node("host_1")) == 0


def test_preferred_scheduling_terms_first_and_third_match():
    terms = [
        {"weight": 5, "preference": {"matchFields": [NAME_IN_HOST1]}},
        {"weight": 7, "preference": {"matchExpressions": [req("unknown_label", "In", "unknown_label_val")]}},
        {"weight": 11, "preference": {"matchExpressions": [LABEL1_IN]}},
    ]
    assert na.PreferredSchedulingTerms(terms).score(node("host_1", {"label_1": "label_1_val"})) == 16


# --- TestNodeSelectorRequirementsAsSelector -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exprs", "want"),
    [
        (None, None),
        ([], None),
        ([req("foo", "In", "bar", "baz")], "foo in (bar,baz)"),
        ([req("foo", "Gt", "1")], "foo>1"),
        ([req("bar", "Lt", "7")], "bar<7"),
    ],
)
def test_node_selector_requirements_as_selector(exprs, want):
    sel, errs = na.node_selector_requirements_as_selector(exprs, "root")
    assert errs == []
    if want is None:
        assert sel.matches_nothing
    else:
        assert str(sel) == want


def test_node_selector_requirements_as_selector_errors():
    sel, errs = na.node_selector_requirements_as_selector([req("foo", "Exists", "bar", "baz")], "root")
    assert sel is None
    assert [(e.field, e.detail) for e in errs] == [
        ("root[0].values", "values set must be empty for exists and does not exist")
    ]
    # An unknown operator: field.NotSupported with the valid operators listed.
    _, errs = na.node_selector_requirements_as_selector([req("foo", "Equals", "bar")], "root")
    assert str(errs[0]) == (
        'root[0].operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", '
        '"DoesNotExist", "Gt", "Lt"'
    )
    # Gt needs one integer value.
    _, errs = na.node_selector_requirements_as_selector([req("foo", "Gt", "abc")], "root")
    assert [e.field for e in errs] == ["root[0].values[0]"]


# --- TestPodMatchesNodeSelectorAndAffinityTerms -------------------------------------------------------------------


def pod(node_selector=None, terms=None, affinity=False):
    spec = {}
    if node_selector is not None:
        spec["nodeSelector"] = node_selector
    if terms is not None:
        required = {"nodeSelectorTerms": terms} if terms != "nil-selector" else None
        spec["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": required}}
    elif affinity:
        spec["affinity"] = {"nodeAffinity": {}}
    return {"kind": "Pod", "spec": spec}


def me(*exprs):
    return {"matchExpressions": list(exprs)}


def mf(*exprs):
    return {"matchFields": list(exprs)}


FOO_BAR = {"foo": "bar"}
GPU = {"GPU": "NVIDIA-GRID-K1"}
NAME_IN_NODE1 = req("metadata.name", "In", "node_1")
POD_CASES = [
    ("no selector", pod(), None, "", True),
    ("missing labels", pod({"foo": "bar"}), None, "", False),
    ("same labels", pod({"foo": "bar"}), FOO_BAR, "", True),
    ("node labels are superset", pod({"foo": "bar"}), {"foo": "bar", "baz": "blah"}, "", True),
    ("node labels are subset", pod({"foo": "bar", "baz": "blah"}), FOO_BAR, "", False),
    ("In matches", pod(terms=[me(req("foo", "In", "bar", "value2"))]), FOO_BAR, "", True),
    ("Gt matches", pod(terms=[me(req("kernel-version", "Gt", "0204"))]), {"kernel-version": "0206"}, "", True),
    ("NotIn matches", pod(terms=[me(req("mem-type", "NotIn", "DDR", "DDR2"))]), {"mem-type": "DDR3"}, "", True),
    ("Exists matches", pod(terms=[me(req("GPU", "Exists"))]), GPU, "", True),
    ("affinity doesn't match labels", pod(terms=[me(req("foo", "In", "value1", "value2"))]), FOO_BAR, "", False),
    ("nil NodeSelectorTerms", pod(terms=[]), FOO_BAR, "", False),
    ("empty MatchExpressions matches nothing", pod(terms=[me()]), FOO_BAR, "", False),
    ("no Affinity", pod(), FOO_BAR, "", True),
    ("Affinity but nil NodeSelector", pod(terms="nil-selector"), FOO_BAR, "", True),
    ("Affinity without nodeAffinity fields", pod(affinity=True), FOO_BAR, "", True),
    (
        "matchExpressions ANDed, match",
        pod(terms=[me(req("GPU", "Exists"), req("GPU", "NotIn", "AMD", "INTER"))]),
        GPU,
        "",
        True,
    ),
    (
        "matchExpressions ANDed, no match",
        pod(terms=[me(req("GPU", "Exists"), req("GPU", "In", "AMD", "INTER"))]),
        GPU,
        "",
        False,
    ),
    (
        "terms ORed",
        pod(terms=[me(req("foo", "In", "bar", "value2")), me(req("diffkey", "In", "wrong", "value2"))]),
        FOO_BAR,
        "",
        True,
    ),
    ("nodeSelector and affinity both satisfied", pod({"foo": "bar"}, [me(req("foo", "Exists"))]), FOO_BAR, "", True),
    (
        "affinity matches, nodeSelector not",
        pod({"foo": "bar"}, [me(req("foo", "Exists"))]),
        {"foo": "barrrrrr"},
        "",
        False,
    ),
    (
        "invalid value in affinity term",
        pod(terms=[me(req("foo", "NotIn", "invalid value: ___@#$%^"))]),
        FOO_BAR,
        "",
        False,
    ),
    ("matchFields In matches", pod(terms=[mf(NAME_IN_NODE1)]), None, "node_1", True),
    ("matchFields In does not match", pod(terms=[mf(NAME_IN_NODE1)]), None, "node_2", False),
    (
        "two terms: fields no, expressions yes",
        pod(terms=[mf(NAME_IN_NODE1), me(req("foo", "In", "bar"))]),
        FOO_BAR,
        "node_2",
        True,
    ),
    (
        "one term: fields no, expressions yes",
        pod(terms=[{"matchFields": [NAME_IN_NODE1], "matchExpressions": [req("foo", "In", "bar")]}]),
        FOO_BAR,
        "node_2",
        False,
    ),
    (
        "one term: both match",
        pod(terms=[{"matchFields": [NAME_IN_NODE1], "matchExpressions": [req("foo", "In", "bar")]}]),
        FOO_BAR,
        "node_1",
        True,
    ),
    (
        "two terms: neither matches",
        pod(terms=[mf(NAME_IN_NODE1), me(req("foo", "In", "not-match-to-bar"))]),
        FOO_BAR,
        "node_2",
        False,
    ),
]


@pytest.mark.parametrize(
    ("the_pod", "labels", "name", "want"), [c[1:] for c in POD_CASES], ids=[c[0] for c in POD_CASES]
)
def test_pod_matches_node_selector_and_affinity_terms(the_pod, labels, name, want):
    assert na.RequiredNodeAffinity(the_pod).match(node(name, labels)) is want


def test_required_node_affinity_lazy_errors():
    """GetRequiredNodeAffinity uses the lazy selector: a broken term is skipped, errors surface only on no match."""
    bad, good = me(req("foo", "Gt", "x")), me(req("foo", "In", "bar"))
    ok, err = na.RequiredNodeAffinity(pod(terms=[bad, good])).match_with_error(node("n", FOO_BAR))
    assert ok and err is None
    ok, err = na.RequiredNodeAffinity(pod(terms=[bad, good])).match_with_error(node("n", {"foo": "baz"}))
    assert not ok
    assert [e.field for e in err.errors] == ["nodeSelectorTerms[0].matchExpressions[0].values[0]"]


def test_matchfields_ignored_for_nameless_node():
    """nodeSelectorTerm.match skips matchFields when the Node has no fields (upstream quirk)."""
    assert na.NodeSelector({"nodeSelectorTerms": [mf(NAME_IN_HOST1)]}).match(node(""))
    not_in = req("metadata.name", "NotIn", "host_1")
    assert not na.NodeSelector({"nodeSelectorTerms": [mf(not_in)]}).match(node("host_1"))
    assert na.NodeSelector({"nodeSelectorTerms": [mf(not_in)]}).match(node("host_2"))


# --- helpers_test.go TestMatchNodeSelectorTerms -------------------------------------------------------------------

MATCH_TERMS = [
    ("nil terms", None, None, False),
    ("node label matches matchExpressions", [me(LABEL1_IN)], node(labels={"label_1": "label_1_val"}), True),
    ("node field matches matchFields", [mf(NAME_IN_HOST1)], node("host_1"), True),
    ("invalid node field requirement", [mf(req("metadata.name", "In", "host_1", "host_2"))], node("host_1"), False),
    ("fieldSelectorTerm with node labels", [mf(NAME_IN_HOST1)], node("not_host_1", {"metadata.name": "host_1"}), False),
    ("labelSelectorTerm with node fields", [me(req("metadata.name", "In", "host_1"))], node("host_1"), False),
    (
        "both set, only node fields",
        [{"matchExpressions": [LABEL1_IN], "matchFields": [NAME_IN_HOST1]}],
        node("host_1"),
        False,
    ),
    (
        "both set, both matched",
        [{"matchExpressions": [LABEL1_IN], "matchFields": [NAME_IN_HOST1]}],
        node("host_1", {"label_1": "label_1_val"}),
        True,
    ),
    (
        "both set, one mismatched",
        [{"matchExpressions": [LABEL1_IN], "matchFields": [NAME_IN_HOST1]}],
        node("host_1", {"label_1": "label_1_val-failed"}),
        False,
    ),
    (
        "multi-selector, one mismatched",
        [me(LABEL1_IN), mf(NAME_IN_HOST1)],
        node("host_1", {"label_1": "label_1_val-failed"}),
        True,
    ),
]


@pytest.mark.parametrize(("terms", "the_node", "want"), [c[1:] for c in MATCH_TERMS], ids=[c[0] for c in MATCH_TERMS])
def test_match_node_selector_terms(terms, the_node, want):
    ns = None if terms is None else {"nodeSelectorTerms": terms}
    assert na.match_node_selector_terms(the_node, ns)[0] is want


def test_match_node_selector_terms_stateless():
    """TestMatchNodeSelectorTermsStateless: matching never modifies the selector (unordered values stay put)."""
    import copy

    ns = {
        "nodeSelectorTerms": [
            {
                "matchExpressions": [req("label_1", "In", "label_2_val", "label_1_val")],
                "matchFields": [req("metadata.name", "In", "host_2", "host_1")],
            }
        ]
    }
    before = copy.deepcopy(ns)
    na.match_node_selector_terms(node("host_1", {"label_1": "label_1_val"}), ns)
    assert ns == before
