"""Rolling-update arithmetic of the Deployment controller.

Upstream: ``pkg/controller/deployment/util/deployment_util.go`` (``ResolveFenceposts``, ``MaxSurge``,
``MaxUnavailable``). A rolling update may run at most ``replicas + maxSurge`` Pods and must keep at least
``replicas - maxUnavailable`` of them available. ``maxSurge`` rounds *up* and ``maxUnavailable`` rounds *down*,
so a percentage never blocks progress on small Deployments and never takes more down than asked; if both
resolve to zero, ``maxUnavailable`` becomes 1 so the rollout can still move.
"""

from __future__ import annotations

from dataclasses import dataclass

from k8smodel.api.intstr import IntOrString, scaled_value_from_int_or_percent

ROLLING_UPDATE = "RollingUpdate"
RECREATE = "Recreate"


def resolve_fenceposts(
    max_surge: IntOrString | None, max_unavailable: IntOrString | None, desired: int
) -> tuple[int, int]:
    """Resolve ``maxSurge`` and ``maxUnavailable`` against ``desired`` replicas, in one step.

    ``None`` (an unset field) counts as 0, as upstream's ``intstrutil.ValueOrDefault(..., FromInt32(0))``.

    >>> resolve_fenceposts("25%", "25%", 10)
    (3, 2)
    >>> resolve_fenceposts("0%", "0%", 0)
    (0, 1)
    """
    surge = scaled_value_from_int_or_percent(0 if max_surge is None else max_surge, desired, True)
    unavailable = scaled_value_from_int_or_percent(0 if max_unavailable is None else max_unavailable, desired, False)
    if surge == 0 and unavailable == 0:
        # Validation forbids both being zero explicitly, but rounding down may still give zero: then allow one
        # unavailable Pod "on the theory that surge might not work due to quota" (upstream's comment).
        unavailable = 1
    return surge, unavailable


def max_surge(
    replicas: int, surge: IntOrString | None, unavailable: IntOrString | None, strategy: str = ROLLING_UPDATE
) -> int:
    """Upstream ``MaxSurge``: how many Pods above ``replicas`` a rollout may create (0 for Recreate)."""
    if strategy != ROLLING_UPDATE:
        return 0
    return resolve_fenceposts(surge, unavailable, replicas)[0]


def max_unavailable(
    replicas: int, surge: IntOrString | None, unavailable: IntOrString | None, strategy: str = ROLLING_UPDATE
) -> int:
    """Upstream ``MaxUnavailable``: how many of ``replicas`` may be unavailable, never more than ``replicas``."""
    if strategy != ROLLING_UPDATE or replicas == 0:
        return 0
    return min(resolve_fenceposts(surge, unavailable, replicas)[1], replicas)


@dataclass(frozen=True)
class RolloutBounds:
    """What a rolling update of ``replicas`` Pods may do at any moment."""

    replicas: int
    max_surge: int
    max_unavailable: int

    @property
    def max_pods(self) -> int:
        """The most Pods (old and new together) that may exist during the rollout."""
        return self.replicas + self.max_surge

    @property
    def min_available(self) -> int:
        """The fewest available Pods the rollout must keep."""
        return self.replicas - self.max_unavailable


def rollout_bounds(replicas: int, surge: IntOrString = "25%", unavailable: IntOrString = "25%") -> RolloutBounds:
    """The bounds of a RollingUpdate with the given settings (defaults: upstream's 25% and 25%)."""
    return RolloutBounds(
        replicas=replicas,
        max_surge=max_surge(replicas, surge, unavailable),
        max_unavailable=max_unavailable(replicas, surge, unavailable),
    )
