"""Taints and tolerations: which Pods a Node repels (scheduling) and which it evicts (``NoExecute``).

Objects are plain dicts in the Kubernetes JSON shape: a taint is ``{"key", "value", "effect", "timeAdded"}``, a
toleration ``{"key", "operator", "value", "effect", "tolerationSeconds"}`` (absent fields are Go's zero values).

Upstream sources, ported function by function:

- ``staging/src/k8s.io/api/core/v1/toleration.go``: ``Toleration.MatchToleration``, ``Toleration.ToleratesTaint``
  and ``compareNumericValues``. Three versions were read. The long-stable one (commit ``37d8bd8f``) knows only
  ``Equal`` (the default) and ``Exists``. Commit ``19c6083b`` adds the numeric ``Gt``/``Lt`` operators
  (KEP-5471, alpha in v1.35) evaluated unconditionally with ``strconv.ParseInt``. The latest read (the version
  that ``helpers.go`` at ``04c0d74`` calls, signature ``ToleratesTaint(taint, enableComparisonOperators)
  (bool, error)``) gates them behind the ``TaintTolerationComparisonOperators`` feature and first requires both
  values to be canonical decimal integers (``validation/content.IsDecimalInteger``: no ``+``, no leading zeros).
  This module follows that latest version; the gate is the keyword ``enable_comparison_operators``, off by
  default as an alpha gate is.
- ``staging/src/k8s.io/api/core/v1/taint.go``: ``Taint.MatchTaint``, ``Taint.MatchTaintByKey``, ``Taint.ToString``.
- ``staging/src/k8s.io/api/core/v1/well_known_taints.go`` (node taints) and
  ``staging/src/k8s.io/cloud-provider/api/well_known_taints.go`` (``TaintExternalCloudProvider``).
- ``staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go`` (commit ``04c0d74``):
  ``TolerationsTolerateTaint``, ``FindMatchingUntoleratedTaint``, ``getFilteredTaints``.
- ``pkg/apis/core/v1/helper/helpers.go``: ``GetMatchingTolerations``.
- ``pkg/controller/tainteviction/taint_eviction.go``: ``getNoExecuteTaints`` and ``getMinTolerationTime``.

What the model leaves out: the klog logger argument; Go's ``error`` values from ``ToleratesTaint`` are kept
only as a message string (the ``*_checked`` functions); Go's ``(value, found)`` pairs return ``None`` for "not
found" here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

Taint = Mapping[str, Any]
Toleration = Mapping[str, Any]

# --- effects and operators (core/v1/types.go) ---------------------------------------------------------------------

TAINT_EFFECT_NO_SCHEDULE = "NoSchedule"
TAINT_EFFECT_PREFER_NO_SCHEDULE = "PreferNoSchedule"
TAINT_EFFECT_NO_EXECUTE = "NoExecute"

TOLERATION_OP_EXISTS = "Exists"
TOLERATION_OP_EQUAL = "Equal"
TOLERATION_OP_LT = "Lt"
TOLERATION_OP_GT = "Gt"

# --- well-known taints (core/v1/well_known_taints.go; cloud-provider/api/well_known_taints.go) ---------------------

TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready"
"""Added by the node lifecycle controller while the Node's ``Ready`` condition is ``False``."""
TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable"
"""Added while the Node's ``Ready`` condition is ``Unknown`` (the kubelet stopped posting status)."""
TAINT_NODE_UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
"""Added while ``spec.unschedulable`` is true (``kubectl cordon``)."""
TAINT_NODE_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure"
TAINT_NODE_DISK_PRESSURE = "node.kubernetes.io/disk-pressure"
TAINT_NODE_NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable"
TAINT_NODE_PID_PRESSURE = "node.kubernetes.io/pid-pressure"
TAINT_NODE_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service"
"""Added by an administrator after a non-graceful node shutdown."""
TAINT_EXTERNAL_CLOUD_PROVIDER = "node.cloudprovider.kubernetes.io/uninitialized"
"""Set by the kubelet with ``--cloud-provider=external`` until the cloud controller manager initializes the Node."""

# --- matching -----------------------------------------------------------------------------------------------------


def _s(obj: Mapping[str, Any], name: str) -> str:
    """A string field as Go sees it: absent or null is ``""``."""
    return obj.get(name) or ""


def match_toleration(toleration: Toleration, other: Toleration) -> bool:
    """Upstream ``Toleration.MatchToleration``: same key, effect, operator and value (tolerations are unique by
    these four)."""
    return all(_s(toleration, f) == _s(other, f) for f in ("key", "effect", "operator", "value"))


def taint_matches(taint: Taint, other: Taint) -> bool:
    """Upstream ``Taint.MatchTaint``: taints are unique by ``key:effect``; the value does not count."""
    return _s(taint, "key") == _s(other, "key") and _s(taint, "effect") == _s(other, "effect")


def taint_matches_by_key(taint: Taint, other: Taint) -> bool:
    """Upstream ``Taint.MatchTaintByKey``."""
    return _s(taint, "key") == _s(other, "key")


def taint_to_string(taint: Taint) -> str:
    """Upstream ``Taint.ToString``: ``key=value:effect``, ``key=value:``, ``key:effect`` or ``key``."""
    key, value, effect = _s(taint, "key"), _s(taint, "value"), _s(taint, "effect")
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


_DECIMAL_INTEGER_ERR = "must be a valid decimal integer in canonical form"
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _is_decimal_integer(value: str) -> list[str]:
    """Upstream ``validation/content.IsDecimalInteger``: ``0``, or an optional ``-`` then ``[1-9][0-9]*``."""
    if not value:
        return ["must be non-empty"]
    i = 1 if value[0] == "-" else 0
    if i == len(value):
        return [_DECIMAL_INTEGER_ERR]
    if value[i] == "0":
        return [] if value == "0" else [_DECIMAL_INTEGER_ERR]
    if not all("0" <= c <= "9" for c in value[i:]):
        return [_DECIMAL_INTEGER_ERR]
    return []


def _parse(value: str, what: str) -> tuple[int | None, str | None]:
    if msgs := _is_decimal_integer(value):
        return None, f'failed to parse {what} value "{value}" as int64: {",".join(msgs)}'
    number = int(value)
    if not _INT64_MIN <= number <= _INT64_MAX:
        return None, (
            f'failed to parse {what} value "{value}" as int64: strconv.ParseInt: parsing "{value}": value out of range'
        )
    return number, None


def _compare_numeric_values(toleration_val: str, taint_val: str, op: str) -> tuple[bool, str | None]:
    """Upstream ``compareNumericValues``: ``Lt`` tolerates a taint whose value is smaller, ``Gt`` larger."""
    tol_number, err = _parse(toleration_val, "toleration")
    if tol_number is None:
        return False, err
    taint_number, err = _parse(taint_val, "taint")
    if taint_number is None:
        return False, err
    if op == TOLERATION_OP_LT:
        return taint_number < tol_number, None
    if op == TOLERATION_OP_GT:
        return taint_number > tol_number, None
    return False, None


def tolerates_taint_checked(
    toleration: Toleration, taint: Taint, *, enable_comparison_operators: bool = False
) -> tuple[bool, str | None]:
    """Upstream ``Toleration.ToleratesTaint`` with its error: ``(tolerated, error message or None)``.

    1. An empty toleration effect matches every effect; otherwise the effects must be equal.
    2. An empty toleration key matches every key (with ``Exists``: tolerate everything).
    3. Operator ``Equal`` (also the empty operator) needs equal values; ``Exists`` matches any value.
    4. ``Lt``/``Gt`` compare the values as integers (only with the comparison-operator feature on; off, the
       toleration does not match). A value that is not a canonical integer gives False and an error.
    5. Any other operator matches nothing.
    """
    effect = _s(toleration, "effect")
    if effect and effect != _s(taint, "effect"):
        return False, None
    key = _s(toleration, "key")
    if key and key != _s(taint, "key"):
        return False, None
    op = _s(toleration, "operator")
    if op in ("", TOLERATION_OP_EQUAL):
        return _s(toleration, "value") == _s(taint, "value"), None
    if op == TOLERATION_OP_EXISTS:
        return True, None
    if op in (TOLERATION_OP_LT, TOLERATION_OP_GT):
        if not enable_comparison_operators:
            return False, None
        return _compare_numeric_values(_s(toleration, "value"), _s(taint, "value"), op)
    return False, None


def tolerates_taint(toleration: Toleration, taint: Taint, *, enable_comparison_operators: bool = False) -> bool:
    """Upstream ``Toleration.ToleratesTaint``, the boolean only (see :func:`tolerates_taint_checked`)."""
    return tolerates_taint_checked(toleration, taint, enable_comparison_operators=enable_comparison_operators)[0]


def tolerations_tolerate_taint_checked(
    tolerations: Iterable[Toleration] | None, taint: Taint, *, enable_comparison_operators: bool = False
) -> tuple[bool, str | None]:
    """Upstream ``TolerationsTolerateTaint`` (component-helpers): True as soon as one toleration tolerates the
    taint; otherwise False with the first error met (if any)."""
    first_err = None
    for toleration in tolerations or ():
        ok, err = tolerates_taint_checked(toleration, taint, enable_comparison_operators=enable_comparison_operators)
        if ok:
            return True, None
        if first_err is None and err is not None:
            first_err = err
    return False, first_err


def tolerations_tolerate_taint(
    tolerations: Iterable[Toleration] | None, taint: Taint, *, enable_comparison_operators: bool = False
) -> bool:
    """Upstream ``TolerationsTolerateTaint``: does any of the tolerations tolerate the taint?"""
    return tolerations_tolerate_taint_checked(
        tolerations, taint, enable_comparison_operators=enable_comparison_operators
    )[0]


def get_filtered_taints(
    taints: Iterable[Taint] | None, inclusion_filter: Callable[[Taint], bool] | None = None
) -> list[Taint]:
    """Upstream ``getFilteredTaints``: the taints the predicate keeps (all of them when it is None)."""
    if inclusion_filter is None:
        return list(taints or ())
    return [t for t in taints or () if inclusion_filter(t)]


def find_matching_untolerated_taint(
    taints: Iterable[Taint] | None,
    tolerations: Iterable[Toleration] | None,
    inclusion_filter: Callable[[Taint], bool] | None = None,
    *,
    enable_comparison_operators: bool = False,
) -> Taint | None:
    """Upstream ``FindMatchingUntoleratedTaint``: the first filtered taint no toleration tolerates, or None if all
    are tolerated. A taint whose check failed with an error counts as untolerated (upstream returns it with the
    error). The TaintToleration filter plugin uses the filter "effect is NoSchedule or NoExecute"."""
    tolerations = list(tolerations or ())
    for taint in get_filtered_taints(taints, inclusion_filter):
        ok, err = tolerations_tolerate_taint_checked(
            tolerations, taint, enable_comparison_operators=enable_comparison_operators
        )
        if err is not None or not ok:
            return taint
    return None


def get_matching_tolerations(
    taints: Sequence[Taint] | None,
    tolerations: Sequence[Toleration] | None,
    *,
    enable_comparison_operators: bool = False,
) -> tuple[bool, list[Toleration]]:
    """Upstream ``GetMatchingTolerations`` (``pkg/apis/core/v1/helper/helpers.go``).

    ``(True, used)`` when every taint is tolerated, ``used`` holding, for each taint in order, the first
    toleration that tolerates it; ``(False, [])`` as soon as one taint is not. No taints: ``(True, [])``.
    """
    taints = list(taints or ())
    tolerations = list(tolerations or ())
    if not taints:
        return True, []
    if not tolerations:
        return False, []
    result = []
    for taint in taints:
        for toleration in tolerations:
            if tolerates_taint(toleration, taint, enable_comparison_operators=enable_comparison_operators):
                result.append(toleration)
                break
        else:
            return False, []
    return True, result


def get_no_execute_taints(taints: Iterable[Taint] | None) -> list[Taint]:
    """Upstream ``getNoExecuteTaints`` (taint eviction controller): the taints with effect ``NoExecute``."""
    return [t for t in taints or () if _s(t, "effect") == TAINT_EFFECT_NO_EXECUTE]


def get_min_toleration_time(tolerations: Iterable[Toleration] | None) -> float | None:
    """Upstream ``getMinTolerationTime`` (``pkg/controller/tainteviction/taint_eviction.go``), in seconds.

    The tolerations are the ones that matched the Node's ``NoExecute`` taints. Upstream returns a
    ``time.Duration`` with -1 meaning "infinite"; here None means "tolerate forever" (no toleration sets
    ``tolerationSeconds``). An empty list gives 0 (evict now); so does any ``tolerationSeconds <= 0``; otherwise
    the smallest ``tolerationSeconds`` wins.
    """
    tolerations = list(tolerations or ())
    if not tolerations:
        return 0.0
    minimum: int | None = None
    for toleration in tolerations:
        seconds = toleration.get("tolerationSeconds")
        if seconds is None:
            continue
        if seconds <= 0:
            return 0.0
        if minimum is None or seconds < minimum:
            minimum = seconds
    return None if minimum is None else float(minimum)


__all__ = [
    "TAINT_EFFECT_NO_EXECUTE",
    "TAINT_EFFECT_NO_SCHEDULE",
    "TAINT_EFFECT_PREFER_NO_SCHEDULE",
    "TAINT_EXTERNAL_CLOUD_PROVIDER",
    "TAINT_NODE_DISK_PRESSURE",
    "TAINT_NODE_MEMORY_PRESSURE",
    "TAINT_NODE_NETWORK_UNAVAILABLE",
    "TAINT_NODE_NOT_READY",
    "TAINT_NODE_OUT_OF_SERVICE",
    "TAINT_NODE_PID_PRESSURE",
    "TAINT_NODE_UNREACHABLE",
    "TAINT_NODE_UNSCHEDULABLE",
    "TOLERATION_OP_EQUAL",
    "TOLERATION_OP_EXISTS",
    "TOLERATION_OP_GT",
    "TOLERATION_OP_LT",
    "find_matching_untolerated_taint",
    "get_filtered_taints",
    "get_matching_tolerations",
    "get_min_toleration_time",
    "get_no_execute_taints",
    "match_toleration",
    "taint_matches",
    "taint_matches_by_key",
    "taint_to_string",
    "tolerates_taint",
    "tolerates_taint_checked",
    "tolerations_tolerate_taint",
    "tolerations_tolerate_taint_checked",
]
