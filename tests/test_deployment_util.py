"""Rolling-update arithmetic, with cases from pkg/controller/deployment/util/deployment_util_test.go."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8smodel.api.intstr import IntOrStringError
from k8smodel.controllers.deployment_util import (
    RECREATE,
    max_surge,
    max_unavailable,
    resolve_fenceposts,
    rollout_bounds,
)


# TestResolveFenceposts
@pytest.mark.parametrize(
    ("surge", "unavailable", "desired", "expected"),
    [
        ("0%", "0%", 0, (0, 1)),
        ("39%", "39%", 10, (4, 3)),
        (None, "39%", 10, (0, 3)),
        ("39%", None, 10, (4, 0)),
        (None, None, 10, (0, 1)),
        # the function's own doc comment: 1% of 2 rounds to surge 1 / unavailable 0
        ("1%", "25%", 2, (1, 0)),
        ("0%", "1%", 2, (0, 1)),
        (1, 1, 2, (1, 1)),
        ("25%", "25%", 8, (2, 2)),
    ],
)
def test_resolve_fenceposts(surge, unavailable, desired, expected):
    assert resolve_fenceposts(surge, unavailable, desired) == expected


@pytest.mark.parametrize(("surge", "unavailable"), [("oops", "39%"), ("55%", "urg"), ("5", "1")])
def test_resolve_fenceposts_errors(surge, unavailable):
    with pytest.raises(IntOrStringError, match="invalid value for IntOrString"):
        resolve_fenceposts(surge, unavailable, 10)


# TestMaxUnavailable (maxSurge 1 in every upstream case)
@pytest.mark.parametrize(
    ("replicas", "unavailable", "strategy", "expected"),
    [
        (10, 5, "RollingUpdate", 5),
        (10, 10, "RollingUpdate", 10),
        (5, 10, "RollingUpdate", 5),
        (0, 10, "RollingUpdate", 0),
        (10, 5, RECREATE, 0),
        (10, "50%", "RollingUpdate", 5),
        (10, "100%", "RollingUpdate", 10),
        (5, "100%", "RollingUpdate", 5),
    ],
)
def test_max_unavailable(replicas, unavailable, strategy, expected):
    assert max_unavailable(replicas, 1, unavailable, strategy) == expected


def test_max_surge():
    assert max_surge(10, "25%", "25%") == 3
    assert max_surge(10, "25%", "25%", RECREATE) == 0


def test_rollout_bounds_defaults():
    b = rollout_bounds(10)
    assert (b.max_surge, b.max_unavailable, b.max_pods, b.min_available) == (3, 2, 13, 8)


@given(st.integers(0, 10_000), st.integers(0, 100), st.integers(0, 100))
def test_a_rollout_can_always_move(replicas, surge_pct, unavailable_pct):
    """Whatever the percentages, at least one of the fenceposts is positive: a rollout is never stuck."""
    s, u = resolve_fenceposts(f"{surge_pct}%", f"{unavailable_pct}%", replicas)
    assert s + u >= 1
    assert (s >= surge_pct * replicas / 100 and u <= unavailable_pct * replicas / 100) or (s, u) == (0, 1)
