"""Resource quantities — ``100m`` of CPU, ``128Mi`` of memory — parsed, compared, added and printed as Kubernetes does.

Upstream: ``staging/src/k8s.io/apimachinery/pkg/api/resource/``

- ``quantity.go``: ``Quantity``, ``ParseQuantity`` and its scanner ``parseQuantityString``, ``CanonicalizeBytes``
  and ``String``, ``Add``/``Sub``/``Neg``/``Mul``/``Cmp``, ``RoundUp``, ``ScaledValue``/``Value``/``MilliValue``,
  ``NewQuantity``/``NewMilliQuantity``/``NewScaledQuantity``;
- ``suffix.go``: which suffix means which power of 10 or of 2 (``quantitySuffixer``);
- ``amount.go``: ``AsCanonicalBytes`` (exponent a multiple of 3) and ``AsCanonicalBase1024Bytes``;
- ``math.go``: ``negativeScaleInt64`` and ``removeInt64Factors``; ``scale_int.go``: ``scaledValue``.

The model follows those files with four merged 2026 fixes that the current ``quantity_test.go`` tables rely on:
values are rounded away from zero for negative numbers too (PR #138510); a value with no SI suffix big or small
enough prints in exponent form (``1e21``) instead of losing its magnitude (#140459); an exponent outside the int32
range is a suffix error instead of wrapping (#141203); 19-digit numbers take the int64 path (#141938).

How a quantity works
--------------------
A quantity is an exact decimal number plus a *format* remembered from the suffix it was written with:
``DecimalSI`` (``m``, ``k``, ``M``, ``G``... powers of 1000), ``BinarySI`` (``Ki``, ``Mi``, ``Gi``... powers of
1024) or ``DecimalExponent`` (``1e3``). Parsing never uses floating point, and it rounds only in two places: a
value finer than a nano-unit is rounded up, away from zero, to the next ``1n`` ("if you asked for some, you get
some"), and a ``BinarySI`` value is capped at 2^63-1. Printing puts the number in *canonical form*: no fractional
digits, the largest suffix that loses nothing, in the parsed format — so ``0.5`` prints ``500m`` and ``1.5Gi``
prints ``1536Mi``. A ``BinarySI`` value that is not a whole number, or is smaller than 1024, prints in
``DecimalSI`` instead (``0.5Ki`` prints ``512``). Parsing also keeps the text itself when a quick check finds it
canonical (an exponent that is a multiple of 3, no trailing ``000``, no leading zero), and then ``String()``
prints that text back unchanged. The check is loose, so ``1E3``, ``+1`` and ``1.234k`` print as written, while
``1000e0`` prints ``1e3``; the model keeps the same text.

What the model does differently
-------------------------------
Upstream keeps the number either in an ``int64`` with a power-of-ten scale or, when that overflows, in an
arbitrary-precision ``inf.Dec``; that split is a Go speed device and is not observable in values or strings. The
model keeps one exact, normalised ``coefficient × 10**exponent`` pair of Python ints, so sums never overflow and
:meth:`Quantity.value` returns the exact Python ``int`` where upstream's ``int64`` would silently overflow
(upstream documents that overflowed result as unusable); a result longer than 4300 digits, Python's own limit
for printing an int, raises ``OverflowError``. Exponents are exact integers, so the int32 wrap-around
upstream still has for exponents within a few digits of ±2^31 does not happen. ``Format`` is an enum: an unknown
format is an error here, where upstream prints it as ``DecimalExponent``. JSON, CBOR and protobuf encodings are
left to the manifest layer.
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, Final


class Format(StrEnum):
    """How a quantity prints, decided by the suffix it was parsed with (upstream ``resource.Format``)."""

    DECIMAL_EXPONENT = "DecimalExponent"  # 12e6
    BINARY_SI = "BinarySI"  # 12Mi  (12 * 2**20)
    DECIMAL_SI = "DecimalSI"  # 12M   (12 * 10**6)


DECIMAL_EXPONENT: Final = Format.DECIMAL_EXPONENT
BINARY_SI: Final = Format.BINARY_SI
DECIMAL_SI: Final = Format.DECIMAL_SI

# Upstream resource.Scale constants: the power of ten of one unit.
NANO: Final = -9
MICRO: Final = -6
MILLI: Final = -3
KILO: Final = 3
MEGA: Final = 6
GIGA: Final = 9
TERA: Final = 12
PETA: Final = 15
EXA: Final = 18

# quantity.go: splitREString and the three parse errors, word for word.
SPLIT_RE_STRING: Final = r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT_WRONG: Final = "quantities must match the regular expression '" + SPLIT_RE_STRING + "'"
ERR_NUMERIC: Final = "unable to parse numeric part of quantity"
ERR_SUFFIX: Final = "unable to parse quantity's suffix"

MAX_INT64: Final = 2**63 - 1  # math.go maxAllowed: the BinarySI cap
_MAX_INT32 = 2**31 - 1
_MAX_SCALED_DIGITS = 4300  # as Python's own int/str limit (sys.get_int_max_str_digits)
_MAX_INT64_FACTORS = 19  # math.go maxInt64Factors: decimal digits that may fit an int64 (#141938)

# suffix.go newSuffixer: suffix -> power of 10 (decimal) or of 2 (binary).
_DECIMAL_SUFFIXES: Final = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIXES: Final = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_BY_EXPONENT: Final = {exp: suffix for suffix, exp in _DECIMAL_SUFFIXES.items()}
_BINARY_BY_1024_POWER: Final = {exp // 10: suffix for suffix, exp in _BINARY_SUFFIXES.items()}

_DIGITS: Final = frozenset("0123456789")  # Go compares bytes with '0'..'9': no other Unicode digits
_SUFFIX_LETTERS: Final = frozenset("eEinumkKMGTP")
_EXPONENT = re.compile(r"[+-]?[0-9]+")  # what strconv.ParseInt(s, 10, 64) accepts


class QuantityError(ValueError):
    """A string that is not a quantity, or a value a quantity cannot be built from.

    For a parse error ``message`` is upstream's ``ParseQuantity`` error word for word (one of
    :data:`ERR_FORMAT_WRONG`, :data:`ERR_NUMERIC`, :data:`ERR_SUFFIX`), ``text`` the rejected string, and
    ``str(err)`` reads as upstream's ``MustParse`` panic: ``cannot parse '1.1.M': quantities must match ...``.
    """

    def __init__(self, message: str, text: str | None = None) -> None:
        super().__init__(message if text is None else f"cannot parse '{text}': {message}")
        self.message = message
        self.text = text


# ---------------------------------------------------------------------------------------------------------------
# Exact integer helpers (math.go, scale_int.go)


def _strip_tens(coef: int, exp: int) -> tuple[int, int]:
    """Move every factor of ten from ``coef`` into ``exp`` (``removeInt64Factors(value, 10)``); zero is ``(0, 0)``."""
    if coef == 0:
        return 0, 0
    if coef % 10:
        return coef, exp
    while coef % 10 == 0:
        # Divide by 10, 100, 10**4, ... at once, so that 10**1000 takes ten divisions rather than a thousand.
        power, places = 10, 1
        while coef % (power * power) == 0:
            power, places = power * power, places * 2
        coef //= power
        exp += places
    return coef, exp


def _div_pow10_away(magnitude: int, places: int) -> int:
    """``ceil(magnitude / 10**places)`` for ``magnitude >= 0``: the rounding up of ``negativeScaleInt64``.

    A magnitude smaller than ``10**places`` rounds up to 1 without building ``10**places`` (which could be huge).
    """
    if magnitude == 0:
        return 0
    if magnitude.bit_length() <= 3 * places:  # magnitude < 2**(3*places) <= 10**places
        return 1
    quotient, remainder = divmod(magnitude, 10**places)
    return quotient + (remainder != 0)


def _cmp(c1: int, e1: int, c2: int, e2: int) -> int:
    """Compare ``c1 × 10**e1`` with ``c2 × 10**e2`` exactly: -1, 0 or 1 (upstream ``int64Amount.Cmp``/``cmpDec``)."""
    if e1 == e2:
        return (c1 > c2) - (c1 < c2)
    s1 = (c1 > 0) - (c1 < 0)
    s2 = (c2 > 0) - (c2 < 0)
    if s1 != s2:
        return 1 if s1 > s2 else -1
    if s1 == 0:
        return 0
    a1, a2 = abs(c1), abs(c2)
    shift = e1 - e2
    if abs(shift) > 40:
        # Like upstream's cmpDec: settle what orders of magnitude already decide, so that comparing 1e2000000000
        # with 1 never writes out two billion digits. An n-bit magnitude a has 0.3(n-1) <= log10(a) < 0.31n.
        n1, n2 = a1.bit_length(), a2.bit_length()
        lo1, hi1 = e1 + (n1 - 1) * 3 // 10, e1 + n1 * 31 // 100 + 1
        lo2, hi2 = e2 + (n2 - 1) * 3 // 10, e2 + n2 * 31 // 100 + 1
        if lo1 >= hi2:
            return s1
        if lo2 >= hi1:
            return -s1
    if shift > 0:
        a1 *= 10**shift
    else:
        a2 *= 10**-shift
    return s1 * ((a1 > a2) - (a1 < a2))


def _check_format(fmt: Format | str) -> Format:
    try:
        return Format(fmt)
    except ValueError:
        allowed = ", ".join(f'"{f.value}"' for f in Format)
        raise QuantityError(f'unsupported quantity format "{fmt}": supported values: {allowed}') from None


def _check_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__} {value!r}")
    return value


# ---------------------------------------------------------------------------------------------------------------
# The Quantity type

_set = object.__setattr__


def _new(coef: int, exp: int, fmt: Format, text: str | None = None) -> Quantity:
    """Build a Quantity worth ``coef × 10**exp``; ``text``, if given, is upstream's cached string ``q.s``."""
    q = object.__new__(Quantity)
    coef, exp = _strip_tens(coef, exp)
    _set(q, "_coef", coef)
    _set(q, "_exp", exp)
    _set(q, "_format", fmt)
    _set(q, "_s", text)
    return q


class Quantity:
    """An exact, immutable resource amount such as ``100m`` or ``128Mi`` (upstream ``resource.Quantity``).

    Build one with :meth:`parse` (or ``Quantity("100m")``), :meth:`from_int`, :meth:`from_milli`,
    :meth:`from_scaled` or :meth:`from_float`. ``str(q)`` is upstream's ``String()``. Quantities compare, hash and
    test equal by value whatever their format (``Quantity("1Ki") == Quantity("1024")``); ``+``, ``-`` and
    unary ``-`` work on quantities, ``*`` by an int, and ``sum()`` works because ``0 + q`` is ``q``.
    """

    __slots__ = ("_coef", "_exp", "_format", "_s")
    _coef: int  # value == _coef * 10**_exp, with no factor of ten left in _coef (zero is (0, 0))
    _exp: int
    _format: Format
    _s: str | None  # upstream's cached String(): the parsed text when it was already canonical

    def __new__(cls, text: str) -> Quantity:
        """``Quantity("100m")`` is :meth:`Quantity.parse`, as ``Decimal("1.5")`` parses a decimal."""
        return cls.parse(text)

    # -- construction --------------------------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Quantity:
        """Parse ``text`` exactly as upstream ``ParseQuantity`` does, or raise :class:`QuantityError`.

        No whitespace is allowed (``" 1"`` is an error); results are cached, so parsing the same string twice
        costs a dictionary look-up.
        """
        if type(text) is not str:
            raise TypeError(f"a quantity is parsed from a str, not {type(text).__name__} {text!r}")
        return _parse_cached(text)

    @classmethod
    def from_int(cls, value: int, fmt: Format | str = DECIMAL_SI) -> Quantity:
        """``value`` whole units in format ``fmt`` (upstream ``NewQuantity``): ``from_int(1024, BINARY_SI)`` is 1Ki."""
        return _new(_check_int(value, "value"), 0, _check_format(fmt))

    @classmethod
    def from_milli(cls, value: int, fmt: Format | str = DECIMAL_SI) -> Quantity:
        """``value`` thousandths in format ``fmt`` (upstream ``NewMilliQuantity``): ``from_milli(1500)`` is 1500m."""
        return _new(_check_int(value, "value"), MILLI, _check_format(fmt))

    @classmethod
    def from_scaled(cls, value: int, scale: int, fmt: Format | str = DECIMAL_SI) -> Quantity:
        """``value × 10**scale`` (upstream ``NewScaledQuantity``, which is always ``DecimalSI``).

        ``fmt`` is a model addition, the same as upstream's test helper ``intQuantity``. Unlike parsing, this
        keeps digits finer than ``1n``: ``from_scaled(1, -12)`` prints ``1e-12``.
        """
        return _new(_check_int(value, "value"), _check_int(scale, "scale"), _check_format(fmt))

    @classmethod
    def from_float(cls, value: float, fmt: Format | str = DECIMAL_SI) -> Quantity:
        """The decimal number Python prints for ``value`` (``0.1`` is 100m, not 0.1000000000000000055...).

        Upstream has no float constructor; like ``ParseQuantity`` this rounds anything finer than ``1n`` up,
        away from zero. NaN and infinities are errors.
        """
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"value must be a float or an int, not {type(value).__name__} {value!r}")
        if isinstance(value, int):
            return cls.from_int(value, fmt)
        if not math.isfinite(value):
            raise QuantityError(f"a quantity must be a finite number, not {value!r}")
        sign, digits, exp = Decimal(repr(value)).as_tuple()
        assert isinstance(exp, int)
        magnitude = int("".join(map(str, digits)))
        if exp < NANO:
            magnitude, exp = _div_pow10_away(magnitude, NANO - exp), NANO
        return _new(-magnitude if sign else magnitude, exp, _check_format(fmt))

    # -- reading the value ---------------------------------------------------------------------------------------

    @property
    def format(self) -> Format:
        """The format chosen at parse time (upstream ``q.Format``)."""
        return self._format

    def sign(self) -> int:
        """-1, 0 or 1 (upstream ``Sign``)."""
        return (self._coef > 0) - (self._coef < 0)

    def is_zero(self) -> bool:
        """Whether the value is zero (upstream ``IsZero``)."""
        return self._coef == 0

    def scaled_value(self, scale: int) -> int:
        """``ceil(q / 10**scale)``, rounded away from zero (upstream ``ScaledValue``, with #138510's fix).

        ``Quantity("1").scaled_value(MILLI)`` is 1000; ``Quantity("1n").scaled_value(0)`` is 1 and
        ``Quantity("-1n").scaled_value(0)`` is -1.
        """
        shift = self._exp - scale
        if shift >= 0:
            if shift > _MAX_SCALED_DIGITS and self._coef:
                # Upstream's int64 overflows silently here; an exact int this long would take minutes to build.
                raise OverflowError(f"{self} in units of 10**{scale} has more than {_MAX_SCALED_DIGITS} digits")
            return self._coef * 10**shift
        magnitude = _div_pow10_away(abs(self._coef), -shift)
        return magnitude if self._coef > 0 else -magnitude

    def value(self) -> int:
        """Whole units, rounded up away from zero (upstream ``Value``): ``1500m`` is 2, ``-1500m`` is -2."""
        return self.scaled_value(0)

    def milli_value(self) -> int:
        """Thousandths, rounded up away from zero (upstream ``MilliValue``): ``0.0005`` is 1, ``1Ki`` 1024000."""
        return self.scaled_value(MILLI)

    def as_fraction(self) -> Fraction:
        """The exact value as a :class:`fractions.Fraction`."""
        if self._exp >= 0:
            return Fraction(self._coef * 10**self._exp)
        return Fraction(self._coef, 10**-self._exp)

    def as_dec(self) -> Decimal:
        """The exact value as a :class:`decimal.Decimal` (upstream ``AsDec``), e.g. ``Decimal('0.5')`` for 500m."""
        if 0 < self._exp <= 18:
            return Decimal(self._coef * 10**self._exp)
        return Decimal(f"{self._coef}E{self._exp}")

    def __float__(self) -> float:
        """The nearest float (upstream ``AsFloat64Slow``); only for plotting, never for arithmetic."""
        return float(self.as_dec())

    def __bool__(self) -> bool:
        return self._coef != 0

    # -- printing ------------------------------------------------------------------------------------------------

    def canonicalize(self) -> tuple[str, str]:
        """The canonical ``(number, suffix)``, e.g. ``("1536", "Mi")`` for 1.5Gi (upstream ``CanonicalizeBytes``).

        Unlike :meth:`string` this ignores the text a quantity was parsed from.
        """
        if self._coef == 0:
            return "0", ""
        fmt = self._format
        if fmt is BINARY_SI:
            if _cmp(abs(self._coef), self._exp, 1024, 0) < 0:
                fmt = DECIMAL_SI  # between -1024 and 1024: "this avoids rounding and hopefully confusion, too"
            elif self._exp < 0:
                fmt = DECIMAL_SI  # not a whole number: "don't lose precision-- show as DecimalSI"
            else:
                number, power = self._coef * 10**self._exp, 0  # AsCanonicalBase1024Bytes
                while number % 1024 == 0:
                    number, power = number >> 10, power + 1
                if power == 0:
                    return str(number), ""
                suffix = _BINARY_BY_1024_POWER.get(power)
                if suffix is not None:
                    return str(number), suffix
                fmt = DECIMAL_SI  # past Ei there is no binary suffix: print the exact decimal (#140459)
        # AsCanonicalBytes: lower the exponent to a multiple of 3 (Python's % is never negative: -1 % 3 == 2).
        coef, exp = self._coef, self._exp
        extra = exp % 3
        if extra:
            coef, exp = coef * 10**extra, exp - extra
        if fmt is DECIMAL_SI:
            suffix = _DECIMAL_BY_EXPONENT.get(exp)
            if suffix is not None:
                return str(coef), suffix
            # no suffix beyond E (10**18) or below n (10**-9): fall back to exponent form (#140459)
        return str(coef), "" if exp == 0 else f"e{exp}"

    def string(self) -> str:
        """Upstream ``String()``: the parsed text if it was canonical, else the canonical form."""
        if self._s is None:
            number, suffix = self.canonicalize()
            _set(self, "_s", number + suffix)  # a cache, as upstream's q.s; the value does not change
        assert self._s is not None
        return self._s

    __str__ = string

    def __repr__(self) -> str:
        return f"Quantity({self.string()!r})"

    # -- comparison ----------------------------------------------------------------------------------------------

    def cmp(self, other: Quantity) -> int:
        """-1, 0 or 1 as ``self`` is less than, equal to or greater than ``other`` (upstream ``Cmp``)."""
        return _cmp(self._coef, self._exp, other._coef, other._exp)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self._coef == other._coef and self._exp == other._exp  # both normalised: equal value, equal pair

    def __hash__(self) -> int:
        return hash((self._coef, self._exp))

    def __lt__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return _cmp(self._coef, self._exp, other._coef, other._exp) < 0

    def __le__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return _cmp(self._coef, self._exp, other._coef, other._exp) <= 0

    def __gt__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return _cmp(self._coef, self._exp, other._coef, other._exp) > 0

    def __ge__(self, other: Quantity) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return _cmp(self._coef, self._exp, other._coef, other._exp) >= 0

    # -- arithmetic ----------------------------------------------------------------------------------------------

    def _plus(self, coef: int, exp: int, fmt: Format) -> Quantity:
        # Upstream Add/Sub: a zero receiver takes the other operand's format, otherwise the receiver's stays.
        if self._coef == 0:
            return _new(coef, exp, fmt)
        if coef == 0:
            return _new(self._coef, self._exp, self._format)
        e1 = self._exp
        if e1 == exp:
            return _new(self._coef + coef, exp, self._format)
        if e1 > exp:
            return _new(self._coef * 10 ** (e1 - exp) + coef, exp, self._format)
        return _new(self._coef + coef * 10 ** (exp - e1), e1, self._format)

    def __add__(self, other: Quantity) -> Quantity:
        """``self + other`` (upstream ``Add``); the result keeps ``self``'s format unless ``self`` is zero."""
        if not isinstance(other, Quantity):
            return NotImplemented
        return self._plus(other._coef, other._exp, other._format)

    def __radd__(self, other: Any) -> Quantity:
        # Only for sum(), which starts from the int 0.
        if type(other) is int and other == 0:
            return _new(self._coef, self._exp, self._format)
        return NotImplemented

    def __sub__(self, other: Quantity) -> Quantity:
        """``self - other`` (upstream ``Sub``); the result keeps ``self``'s format unless ``self`` is zero."""
        if not isinstance(other, Quantity):
            return NotImplemented
        return self._plus(-other._coef, other._exp, other._format)

    def __neg__(self) -> Quantity:
        """``-self``, same format (upstream ``Neg``)."""
        return _new(-self._coef, self._exp, self._format)

    def __abs__(self) -> Quantity:
        return _new(abs(self._coef), self._exp, self._format)

    def __mul__(self, factor: int) -> Quantity:
        """``self * factor`` for an int ``factor``, same format (upstream ``Mul``, which cannot overflow here)."""
        if isinstance(factor, bool) or not isinstance(factor, int):
            return NotImplemented
        return _new(self._coef * factor, self._exp, self._format)

    __rmul__ = __mul__

    def round_up(self, scale: int) -> tuple[Quantity, bool]:
        """Round away from zero to a multiple of ``10**scale``; ``exact`` is False if that changed the value.

        Upstream ``RoundUp``: ``9.01`` to scale -1 is ``(9.1, False)``, ``-9.01`` to scale 0 is ``(-10, False)``.
        """
        if self._exp >= scale:
            return self, True
        # Normalised, so a coefficient with exponent below scale is never a multiple of 10**scale: inexact.
        magnitude = _div_pow10_away(abs(self._coef), scale - self._exp)
        return _new(magnitude if self._coef > 0 else -magnitude, scale, self._format), False

    # -- immutability --------------------------------------------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Quantity is immutable: cannot set {name!r}; arithmetic returns a new Quantity")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Quantity is immutable: cannot delete {name!r}")

    def __copy__(self) -> Quantity:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Quantity:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return _new, (self._coef, self._exp, self._format, self._s)


# ---------------------------------------------------------------------------------------------------------------
# Parsing (quantity.go ParseQuantity, parseQuantityString; suffix.go interpret)


def _parse_quantity_string(text: str) -> tuple[bool, str, str, str, str]:
    """Upstream ``parseQuantityString``: split ``text`` into ``(positive, value, num, denom, suffix)``.

    ``num`` has its leading zeros stripped (``"0"`` if nothing is left), ``value`` is the signed number as
    written. ``"-1.025Ti"`` gives ``(False, "-1.025", "1", "025", "Ti")``. Anything left after the suffix's
    letters, sign and digits is :data:`ERR_FORMAT_WRONG`.
    """
    positive = True
    pos = 0
    end = len(text)
    if end and text[0] == "-":
        positive = False
        pos = 1
    elif end and text[0] == "+":
        pos = 1

    # strip leading zeros
    while True:
        if pos >= end:
            return positive, "0", "0", "", ""
        if text[pos] != "0":
            break
        pos += 1

    # extract the numerator
    i = pos
    while i < end and text[i] in _DIGITS:
        i += 1
    if i >= end:
        return positive, text, text[pos:], "", ""
    num = text[pos:i] or "0"  # if we stripped all numerator positions, always return 0
    pos = i

    # handle a denominator (upstream allows "1.G": an empty denominator)
    denom = ""
    if text[pos] == ".":
        pos += 1
        i = pos
        while i < end and text[i] in _DIGITS:
            i += 1
        denom = text[pos:i]
        if i >= end:
            return positive, text, num, denom, ""
        pos = i
    value = text[:pos]

    # grab the elements of the suffix: letters, then an optional sign, then digits
    suffix_start = pos
    i = pos
    while i < end and text[i] in _SUFFIX_LETTERS:
        i += 1
    if i >= end:
        return positive, value, num, denom, text[suffix_start:]
    pos = i
    if text[pos] in "+-":
        pos += 1
    i = pos
    while i < end and text[i] in _DIGITS:
        i += 1
    if i >= end:
        return positive, value, num, denom, text[suffix_start:]
    # a character that fits no part of the grammar
    raise QuantityError(ERR_FORMAT_WRONG, text)


def _interpret(suffix: str) -> tuple[int, int, Format] | None:
    """Upstream ``quantitySuffixer.interpret``: ``(base, exponent, format)`` of a suffix, or None.

    ``"Mi"`` is ``(2, 20, BinarySI)``, ``"k"`` is ``(10, 3, DecimalSI)``, ``"e-3"`` is ``(10, -3, DecimalExponent)``.
    """
    exponent = _DECIMAL_SUFFIXES.get(suffix)
    if exponent is not None:
        return 10, exponent, DECIMAL_SI
    exponent = _BINARY_SUFFIXES.get(suffix)
    if exponent is not None:
        return 2, exponent, BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE":
        digits = suffix[1:]
        # strconv.ParseInt(digits, 10, 64), then #141203's bound: the exponent must fit [-MaxInt32, MaxInt32].
        if not _EXPONENT.fullmatch(digits) or len(digits.lstrip("+-").lstrip("0")) > 10:
            return None
        exponent = int(digits)
        if not -_MAX_INT32 <= exponent <= _MAX_INT32:
            return None
        return 10, exponent, DECIMAL_EXPONENT
    return None


def _parse(text: str) -> Quantity:
    """Upstream ``ParseQuantity``, path for path; see :meth:`Quantity.parse`."""
    if not text:
        raise QuantityError(ERR_FORMAT_WRONG, text)
    if text == "0":
        return _new(0, 0, DECIMAL_SI, "0")

    positive, value, num, denom, suffix = _parse_quantity_string(text)
    interpreted = _interpret(suffix)
    if interpreted is None:
        raise QuantityError(ERR_SUFFIX, text)
    base, exponent, fmt = interpreted

    # The int64 fast path. It gives the same value as the decimal path below whenever it applies (no rounding
    # or capping is needed then); it is mirrored because it decides which texts upstream keeps as String().
    mantissa = 1
    if fmt is BINARY_SI:
        scale = 0
        if exponent >= 0 and not denom:
            mantissa = 1 << exponent
            # "1Mi (2^20) has ~6 digits of decimal precision, so exponent*3/10 -1 is roughly the precision"
            precision = 15 - len(num) - exponent * 3 // 10 - 1
        else:
            precision = -1
    else:
        scale = exponent
        precision = _MAX_INT64_FACTORS - (len(num) + len(denom))
    if precision >= 0:
        # a denominator shifts the whole value left by its number of digits
        scale -= len(denom)
        if scale >= NANO:
            shifted = num + denom
            parsed = int(shifted)
            if parsed <= MAX_INT64 and parsed * mantissa <= MAX_INT64:  # else: on to the decimal path (#141938)
                result = parsed * mantissa if positive else -parsed * mantissa
                # if the number is in canonical form, reuse the string
                if fmt is BINARY_SI:
                    canonical = exponent % 10 == 0 and parsed & 0x07 != 0
                else:
                    canonical = scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0"
                return _new(result, scale, fmt, text if canonical else None)

    # The decimal (inf.Dec) path. inf.Dec.SetString needs at least one digit: "." alone is not a number.
    if not any(ch in _DIGITS for ch in value):
        raise QuantityError(ERR_NUMERIC, text)
    coef = int(num + denom)
    if base == 10:
        exp = exponent - len(denom)
    else:
        coef, exp = coef << exponent, -len(denom)

    # "This rounds non-zero values up to the minimum representable value, under the theory that if you want some
    # resources, you should get some resources, even if you asked for way too small of an amount."
    if coef and exp < NANO:
        coef, exp = _div_pow10_away(coef, NANO - exp), NANO

    if fmt is BINARY_SI:
        if _cmp(coef, exp, MAX_INT64, 0) > 0:  # "The max is just a simple cap."
            coef, exp = MAX_INT64, 0
        if coef and _cmp(coef, exp, 1, 0) < 0:
            fmt = DECIMAL_SI  # "This avoids rounding and hopefully confusion, too."
    return _new(coef if positive else -coef, exp, fmt)


_parse_cached = functools.lru_cache(maxsize=4096)(_parse)


def parse_quantity(text: str) -> Quantity:
    """Upstream ``ParseQuantity``: the same as :meth:`Quantity.parse`."""
    return Quantity.parse(text)


__all__ = [
    "BINARY_SI",
    "DECIMAL_EXPONENT",
    "DECIMAL_SI",
    "ERR_FORMAT_WRONG",
    "ERR_NUMERIC",
    "ERR_SUFFIX",
    "EXA",
    "GIGA",
    "KILO",
    "MAX_INT64",
    "MEGA",
    "MICRO",
    "MILLI",
    "NANO",
    "PETA",
    "SPLIT_RE_STRING",
    "TERA",
    "Format",
    "Quantity",
    "QuantityError",
    "parse_quantity",
]
