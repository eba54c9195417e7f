"""IntOrString: a field that holds either an integer or a percentage string, such as ``maxSurge: 25%``.

Upstream: ``staging/src/k8s.io/apimachinery/pkg/util/intstr/intstr.go`` (``GetScaledValueFromIntOrPercent``
and ``getIntOrPercentValueSafely``). In a manifest the value arrives from YAML as a Python ``int`` or ``str``, so
the model uses those two types directly instead of a tagged struct.
"""

from __future__ import annotations

import re

IntOrString = int | str

# Go's strconv.Atoi accepts an optional sign and decimal digits, nothing else (no spaces, no underscores).
_ATOI = re.compile(r"[+-]?[0-9]+")
_INT64_MAX = 2**63 - 1


class IntOrStringError(ValueError):
    """A value that is neither an integer nor a valid percentage, in upstream's words."""


def _atoi(text: str) -> int:
    """Go's ``strconv.Atoi`` on a 64-bit platform, with its error messages."""
    if not _ATOI.fullmatch(text):
        raise IntOrStringError(f'strconv.Atoi: parsing "{text}": invalid syntax')
    value = int(text)
    if not -_INT64_MAX - 1 <= value <= _INT64_MAX:
        raise IntOrStringError(f'strconv.Atoi: parsing "{text}": value out of range')
    return value


def int_or_percent_value(value: IntOrString) -> tuple[int, bool]:
    """Return ``(number, is_percent)``: ``3`` gives ``(3, False)``, ``"25%"`` gives ``(25, True)``.

    Upstream ``getIntOrPercentValueSafely``: a string must end in ``%``; ``"5"`` is an error, not 5.
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise IntOrStringError("invalid type: neither int nor percentage")
    if isinstance(value, int):
        return value, False
    if not value.endswith("%"):
        raise IntOrStringError("invalid type: string is not a percentage")
    try:
        return _atoi(value[:-1]), True
    except IntOrStringError as err:
        raise IntOrStringError(f'invalid value "{value}": {err}') from None


def scaled_value_from_int_or_percent(value: IntOrString | None, total: int, round_up: bool) -> int:
    """Resolve ``value`` against ``total``: an integer as is, a percentage of ``total`` rounded up or down.

    Upstream ``GetScaledValueFromIntOrPercent``: ``"25%"`` of 10 is 3 rounded up (maxSurge) and 2 rounded down
    (maxUnavailable).
    """
    if value is None:
        raise IntOrStringError("nil value for IntOrString")
    try:
        number, is_percent = int_or_percent_value(value)
    except IntOrStringError as err:
        raise IntOrStringError(f"invalid value for IntOrString: {err}") from None
    if not is_percent:
        return number
    # Exact integer arithmetic; upstream computes the same through float64 (exact for these magnitudes).
    scaled = number * total
    return -((-scaled) // 100) if round_up else scaled // 100


def is_valid_percent(value: str) -> bool:
    """Upstream ``validation.IsValidPercent``: ``[0-9]+%``."""
    return re.fullmatch(r"[0-9]+%", value) is not None


__all__ = [
    "IntOrString",
    "IntOrStringError",
    "int_or_percent_value",
    "is_valid_percent",
    "scaled_value_from_int_or_percent",
]
