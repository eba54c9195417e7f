"""Field errors: which field, which value, why — worded exactly as the API server words them.

Upstream: ``staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go`` (``Error``, ``ErrorBody``,
``ErrorType.String``, the constructors ``Invalid``, ``Required``, ``NotSupported``, ...; text as of commit
``014a908c``) and ``field/path.go`` (how a path such as ``spec.selector.matchExpressions[0].values`` is spelled).

Every validation function in ``k8smodel.api`` returns a list of :class:`FieldError`; the API server model turns a
non-empty list into a rejected request. ``str(err)`` is upstream's ``Error()``::

    spec.replicas: Invalid value: -1: must be greater than or equal to 0
    metadata.name: Required value: name or generateName is required
    spec.selector.matchExpressions[0].operator: Unsupported value: "Foo": supported values: "In", "NotIn"

What the model leaves out: field paths are plain strings rather than a linked ``*field.Path``; Go's ``%#v``
rendering of arbitrary structs is approximated for Python values (strings, numbers, booleans, ``None``, lists and
dicts come out as Go prints strings, numbers, ``nil``, slices and maps). Newer releases (2025) reword ``TooLong`` as
``may not be more than N bytes`` and omit the value; the model keeps the wording of the commit above.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class ErrorType(StrEnum):
    """Upstream ``field.ErrorType``, valued by its ``String()`` (the words that appear in the message)."""

    NOT_FOUND = "Not found"
    REQUIRED = "Required value"
    DUPLICATE = "Duplicate value"
    INVALID = "Invalid value"
    NOT_SUPPORTED = "Unsupported value"
    FORBIDDEN = "Forbidden"
    TOO_LONG = "Too long"
    TOO_MANY = "Too many"
    INTERNAL = "Internal error"

    @property
    def reason(self) -> str:
        """The machine-readable ``ErrorType`` constant (``FieldValueInvalid``...), the API's ``StatusCause`` reason."""
        return _REASONS[self]


_REASONS = {
    ErrorType.NOT_FOUND: "FieldValueNotFound",
    ErrorType.REQUIRED: "FieldValueRequired",
    ErrorType.DUPLICATE: "FieldValueDuplicate",
    ErrorType.INVALID: "FieldValueInvalid",
    ErrorType.NOT_SUPPORTED: "FieldValueNotSupported",
    ErrorType.FORBIDDEN: "FieldValueForbidden",
    ErrorType.TOO_LONG: "FieldValueTooLong",
    ErrorType.TOO_MANY: "FieldValueTooMany",
    ErrorType.INTERNAL: "InternalError",
}

# ErrorBody prints only the type for these: their value is omitted from the message.
_VALUELESS = frozenset({ErrorType.REQUIRED, ErrorType.FORBIDDEN, ErrorType.TOO_LONG, ErrorType.INTERNAL})


class _Omit:
    """Upstream ``omitValue``: a bad value that is deliberately left out of the message."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "OMIT"


OMIT = _Omit()


@dataclass(frozen=True, slots=True)
class Verbatim:
    """A bad value printed exactly as ``text`` (what Go does for a ``fmt.Stringer``), e.g. ``[]string(nil)``."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class FieldError:
    """Upstream ``field.Error``: ``type`` is one of :class:`ErrorType`'s strings, ``field`` the path."""

    type: str
    field: str
    value: object
    detail: str = ""

    def body(self) -> str:
        """Upstream ``ErrorBody``: the message without the field name."""
        kind = str(self.type)
        text = kind if self.type in _VALUELESS or self.value is OMIT else f"{kind}: {go_value(self.value)}"
        if self.detail:
            text += f": {self.detail}"
        return text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


# --- paths (field/path.go) -------------------------------------------------------------------------------------


def path_string(path: str | None) -> str:
    """How upstream prints a path; a nil path prints as ``<nil>``."""
    return "<nil>" if path is None else path


def child(path: str | None, name: str, *more: str) -> str:
    """Upstream ``Path.Child``: ``child("spec", "selector")`` is ``spec.selector``; a nil/empty path is the root."""
    if more or type(name) is not str:
        name = ".".join((name, *more))
    return f"{path}.{name}" if path else name


def index(path: str | None, i: int) -> str:
    """Upstream ``Path.Index``: ``index("spec.containers", 0)`` is ``spec.containers[0]``."""
    return f"{path or ''}[{i}]"


def key(path: str | None, k: str) -> str:
    """Upstream ``Path.Key``: ``key("metadata.labels", "app")`` is ``metadata.labels[app]``."""
    return f"{path or ''}[{k}]"


# --- constructors (field/errors.go) ----------------------------------------------------------------------------


def invalid(path: str | None, value: object, detail: str) -> FieldError:
    """Upstream ``field.Invalid``: a malformed value (failed regex, out of range, ...)."""
    return FieldError(ErrorType.INVALID, path_string(path), value, detail)


def required(path: str | None, detail: str = "") -> FieldError:
    """Upstream ``field.Required``: a value that must be given (empty string, null, empty list)."""
    return FieldError(ErrorType.REQUIRED, path_string(path), "", detail)


def not_supported(path: str | None, value: object, valid_values: Sequence[str] | None = None) -> FieldError:
    """Upstream ``field.NotSupported``: a value outside an enumeration; lists the supported values."""
    detail = ""
    if valid_values:
        detail = "supported values: " + ", ".join(go_quote(v) for v in valid_values)
    return FieldError(ErrorType.NOT_SUPPORTED, path_string(path), value, detail)


def forbidden(path: str | None, detail: str) -> FieldError:
    """Upstream ``field.Forbidden``: well-formed, but not allowed here."""
    return FieldError(ErrorType.FORBIDDEN, path_string(path), "", detail)


def too_long(path: str | None, value: object, max_length: int) -> FieldError:
    """Upstream ``field.TooLong`` (the value is not printed)."""
    return FieldError(ErrorType.TOO_LONG, path_string(path), value, f"must have at most {max_length} bytes")


def too_many(path: str | None, actual: int, maximum: int) -> FieldError:
    """Upstream ``field.TooMany``: a list with too many items; a negative number leaves that part out."""
    detail = f"must have at most {maximum} items" if maximum >= 0 else "has too many items"
    return FieldError(ErrorType.TOO_MANY, path_string(path), actual if actual >= 0 else OMIT, detail)


def duplicate(path: str | None, value: object) -> FieldError:
    """Upstream ``field.Duplicate``: a value that must be unique."""
    return FieldError(ErrorType.DUPLICATE, path_string(path), value)


def not_found(path: str | None, value: object) -> FieldError:
    """Upstream ``field.NotFound``: a value that refers to something that does not exist."""
    return FieldError(ErrorType.NOT_FOUND, path_string(path), value)


def internal_error(path: str | None, err: BaseException | str) -> FieldError:
    """Upstream ``field.InternalError``: not the user's fault."""
    return FieldError(ErrorType.INTERNAL, path_string(path), None, str(err))


def aggregate_message(errors: Iterable[object]) -> str:
    """The text of upstream ``ErrorList.ToAggregate().Error()``: duplicates dropped, several in ``[a, b]``."""
    messages = list(dict.fromkeys(str(e) for e in errors))
    if len(messages) == 1:
        return messages[0]
    return "[" + ", ".join(messages) + "]" if messages else ""


# --- Go's fmt, as far as error messages need it ------------------------------------------------------------------

_GO_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v"}


def go_quote(text: str) -> str:
    """Go's ``strconv.Quote`` (and ``%q``): double quotes, Go escapes, printable Unicode kept as is."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    out = ['"']
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def go_float(x: float) -> str:
    """Go's ``%v`` for a float64: shortest digits, exponent form below 1e-4 and from 1e21 on."""
    return format_float_shortest(x, 21, ("NaN", "+Inf", "-Inf"))


def format_float_shortest(x: float, exponent_from: int, special: tuple[str, str, str]) -> str:
    """Go's shortest float formatting (``strconv.FormatFloat(x, 'g', -1, 64)`` and ``%v``, ``src/strconv/ftoa.go``).

    The shortest digits that read back as ``x`` (Python's ``repr`` finds the same ones), in exponent form when
    the decimal exponent is below -4 or at least ``exponent_from`` (21 for ``%v``, 6 for ``'g'``); ``special``
    spells NaN, +Inf and -Inf.
    """
    if math.isnan(x):
        return special[0]
    if math.isinf(x):
        return special[1] if x > 0 else special[2]
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    sign, digits, exp = Decimal(repr(x)).normalize().as_tuple()
    text = "".join(map(str, digits))
    point = len(text) + int(exp)  # the decimal point sits after `point` digits
    minus = "-" if sign else ""
    if point - 1 < -4 or point - 1 >= exponent_from:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        e = point - 1
        return f"{minus}{mantissa}e{'-' if e < 0 else '+'}{abs(e):02d}"
    if point <= 0:
        return f"{minus}0.{'0' * -point}{text}"
    if point >= len(text):
        return f"{minus}{text}{'0' * (point - len(text))}"
    return f"{minus}{text[:point]}.{text[point:]}"


def _go_type(values: Iterable[object]) -> str:
    kinds = {type(v) for v in values}
    if kinds <= {str}:
        return "string"
    if kinds == {int}:
        return "int"
    if kinds == {float}:
        return "float64"
    if kinds == {bool}:
        return "bool"
    return "interface {}"


def _go_sharp(value: object) -> str:
    """Go's ``%#v`` for the Python values that reach an error message."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, list | tuple):
        items = ", ".join(_go_sharp(v) for v in value)
        return f"[]{_go_type(value)}{{{items}}}"
    if isinstance(value, Mapping):
        keys = sorted(value, key=str)
        items = ", ".join(f"{_go_sharp(k)}:{_go_sharp(value[k])}" for k in keys)
        return f"map[{_go_type(value.keys())}]{_go_type(value.values())}{{{items}}}"
    if type(value).__str__ is not object.__str__:
        return str(value)
    return repr(value)


def go_value(value: object) -> str:
    """How ``ErrorBody`` prints a bad value: nil as ``"null"``, strings quoted, numbers bare, the rest ``%#v``."""
    if value is None:
        return '"null"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, int | float):
        return _go_sharp(value)
    if type(value).__str__ is not object.__str__ and not isinstance(value, list | tuple | Mapping):
        return str(value)  # a fmt.Stringer
    return _go_sharp(value)


__all__ = [
    "OMIT",
    "ErrorType",
    "FieldError",
    "Verbatim",
    "aggregate_message",
    "child",
    "duplicate",
    "forbidden",
    "go_quote",
    "go_value",
    "index",
    "internal_error",
    "invalid",
    "key",
    "not_found",
    "not_supported",
    "path_string",
    "required",
    "too_long",
    "too_many",
]
