"""Labels and label selectors: how a Deployment finds its Pods, a Service its endpoints, a scheduler its peers.

Upstream, all in ``staging/src/k8s.io/apimachinery/pkg/``:

- ``labels/selector.go``: ``Requirement`` (``NewRequirement``, ``Matches``, ``String``), ``internalSelector``,
  the lexer and parser of the string syntax (``Parse``), ``SelectorFromSet``, ``Everything``, ``Nothing``;
- ``apis/meta/v1/helpers.go``: ``LabelSelectorAsSelector`` (the API's ``{matchLabels, matchExpressions}``
  object to a selector: a nil selector matches nothing, an empty one everything) and ``ParseToLabelSelector``;
- ``util/validation/validation.go``: ``IsQualifiedName``, ``IsValidLabelValue``, ``IsDNS1123Label``,
  ``IsDNS1123Subdomain`` and their messages (``MaxLenError``, ``RegexError``, ``EmptyError``);
- ``apis/meta/v1/validation/validation.go``: ``ValidateLabelSelector``, ``ValidateLabelSelectorRequirement``,
  ``ValidateLabelName``, ``ValidateLabels``.

A selector is a conjunction of requirements, each a key, an operator and a set of values::

    >>> sel = parse_selector("app=web,tier in (fe,be),!canary")
    >>> str(sel)
    'app=web,!canary,tier in (be,fe)'
    >>> sel.matches({"app": "web", "tier": "fe"})
    True

Error messages are upstream's, word for word (``SelectorError`` carries them, plus the offending position when
the parser knows it). What the model leaves out: ``Requirement.Values()`` as a ``sets.String`` (values are a
tuple here), ``DeepCopy``, field selectors, and the ``ValidatedSetSelector`` type (its speed comes from
:meth:`Selector.matches`' equality fast path instead). Messages follow the release line before the 2025
``api/validate/content`` refactor, which renamed "a qualified name" to "a valid label key" and "characters" to
"bytes" in length errors.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import IntEnum, StrEnum
from typing import Any

from k8smodel.api.field import (
    FieldError,
    Verbatim,
    aggregate_message,
    child,
    forbidden,
    go_quote,
    index,
    invalid,
    key,
    not_supported,
    required,
)

# --- validation primitives (util/validation/validation.go) ------------------------------------------------------

_QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QUALIFIED_NAME_ERR = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
)
_QUALIFIED_NAME_MAX = 63
_LABEL_VALUE_FMT = f"({_QUALIFIED_NAME_FMT})?"
_LABEL_VALUE_ERR = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
LABEL_VALUE_MAX_LENGTH = 63
_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL_ERR = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
DNS1123_LABEL_MAX_LENGTH = 63
_DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + r"(\." + _DNS1123_LABEL_FMT + ")*"
_DNS1123_SUBDOMAIN_ERR = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
DNS1123_SUBDOMAIN_MAX_LENGTH = 253

# Go's regexp anchors ^...$ match the whole text; Python's $ would also match before a final newline.
_QUALIFIED_NAME_RE = re.compile(_QUALIFIED_NAME_FMT)
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE_FMT)
_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN_RE = re.compile(_DNS1123_SUBDOMAIN_FMT)


def _memoized(fn: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    """Cache a pure string validator: the messages for a string are computed once (names, label keys and values
    repeat across every object written). Each call still returns a new list, so callers may extend it; anything
    but a ``str`` goes to ``fn`` itself, uncached, raising as it would."""
    cached = functools.lru_cache(maxsize=8192)(lambda value: tuple(fn(value)))

    @functools.wraps(fn)
    def validator(value: str) -> list[str]:
        if type(value) is str:
            found = cached(value)
            return list(found) if found else []
        return fn(value)

    validator.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return validator


def _byte_len(value: str) -> int:
    """Go's ``len`` of a string counts UTF-8 bytes."""
    return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))


def max_len_error(length: int) -> str:
    """Upstream ``MaxLenError``."""
    return f"must be no more than {length} characters"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """Upstream ``RegexError`` (note the two spaces before each ``or``: upstream's own formatting)."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def empty_error() -> str:
    """Upstream ``EmptyError``."""
    return "must be non-empty"


@_memoized
def is_dns1123_label(value: str) -> list[str]:
    """Upstream ``IsDNS1123Label``: a lowercase RFC 1123 label, at most 63 characters (e.g. a Namespace name)."""
    errs = []
    if _byte_len(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_LABEL_MAX_LENGTH))
    if not _DNS1123_LABEL_RE.fullmatch(value):
        if _DNS1123_SUBDOMAIN_RE.fullmatch(value):
            # A valid subdomain but not a valid label: since the length was checked, it must be the dots.
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(_DNS1123_LABEL_ERR, _DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


@_memoized
def is_dns1123_subdomain(value: str) -> list[str]:
    """Upstream ``IsDNS1123Subdomain``: lowercase labels joined by dots, at most 253 characters (most names)."""
    errs = []
    if _byte_len(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _DNS1123_SUBDOMAIN_RE.fullmatch(value):
        errs.append(regex_error(_DNS1123_SUBDOMAIN_ERR, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


@_memoized
def is_qualified_name(value: str) -> list[str]:
    """Upstream ``IsQualifiedName``: a label key, ``[prefix/]name`` with a DNS-subdomain prefix.

    The name part is at most 63 characters of ``[-A-Za-z0-9_.]``, starting and ending alphanumeric.
    """
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part " + empty_error())
        else:
            errs.extend("prefix part " + msg for msg in is_dns1123_subdomain(prefix))
    else:
        return [
            "a qualified name "
            + regex_error(_QUALIFIED_NAME_ERR, _QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part " + empty_error())
    elif _byte_len(name) > _QUALIFIED_NAME_MAX:
        errs.append("name part " + max_len_error(_QUALIFIED_NAME_MAX))
    if not _QUALIFIED_NAME_RE.fullmatch(name):
        errs.append(
            "name part " + regex_error(_QUALIFIED_NAME_ERR, _QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
        )
    return errs


@_memoized
def is_valid_label_value(value: str) -> list[str]:
    """Upstream ``IsValidLabelValue``: empty, or at most 63 characters of ``[-A-Za-z0-9_.]`` starting and ending
    alphanumeric."""
    errs = []
    if _byte_len(value) > LABEL_VALUE_MAX_LENGTH:
        errs.append(max_len_error(LABEL_VALUE_MAX_LENGTH))
    if not _LABEL_VALUE_RE.fullmatch(value):
        errs.append(regex_error(_LABEL_VALUE_ERR, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


# --- operators (selection/operator.go) --------------------------------------------------------------------------


class Operator(StrEnum):
    """Upstream ``selection.Operator``: the operators of the string syntax (not the API's ``In``/``NotIn``...)."""

    DOES_NOT_EXIST = "!"
    EQUALS = "="
    DOUBLE_EQUALS = "=="
    IN = "in"
    NOT_EQUALS = "!="
    NOT_IN = "notin"
    EXISTS = "exists"
    GREATER_THAN = "gt"
    LESS_THAN = "lt"


_BINARY_OPERATORS = ("in", "notin", "=", "==", "!=", "gt", "lt")
_UNARY_OPERATORS = ("exists", "!")
_VALID_REQUIREMENT_OPERATORS = _BINARY_OPERATORS + _UNARY_OPERATORS

# The API object's operators (metav1.LabelSelectorOperator) and what they become.
_API_OPERATORS = {
    "In": Operator.IN,
    "NotIn": Operator.NOT_IN,
    "Exists": Operator.EXISTS,
    "DoesNotExist": Operator.DOES_NOT_EXIST,
}
_API_NAMES = {op: name for name, op in _API_OPERATORS.items()}

# How Requirement.matches treats each operator: =, == and in share one test, != and notin another.
_M_IN, _M_NOT_IN, _M_EXISTS, _M_NOT_EXISTS, _M_GT, _M_LT = range(6)
_MATCH_CODE = {
    Operator.IN: _M_IN,
    Operator.EQUALS: _M_IN,
    Operator.DOUBLE_EQUALS: _M_IN,
    Operator.NOT_IN: _M_NOT_IN,
    Operator.NOT_EQUALS: _M_NOT_IN,
    Operator.EXISTS: _M_EXISTS,
    Operator.DOES_NOT_EXIST: _M_NOT_EXISTS,
    Operator.GREATER_THAN: _M_GT,
    Operator.LESS_THAN: _M_LT,
}

_INT64 = re.compile(r"[+-]?[0-9]+")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _parse_int64(text: str) -> int | None:
    """Go's ``strconv.ParseInt(text, 10, 64)``, returning None where Go returns an error."""
    if not isinstance(text, str) or not _INT64.fullmatch(text):
        return None
    value = int(text)
    return value if _INT64_MIN <= value <= _INT64_MAX else None


class SelectorError(ValueError):
    """An invalid requirement or selector; ``str()`` is upstream's error text.

    ``errors`` holds the field errors behind the message (if any); ``selector`` and ``position`` locate the
    offending token when the error comes from :func:`parse_selector` (the text itself is upstream's, which never
    names a position).
    """

    def __init__(
        self,
        message: str,
        *,
        errors: Sequence[FieldError] = (),
        selector: str | None = None,
        position: int | None = None,
    ) -> None:
        super().__init__(message)
        self.errors = tuple(errors)
        self.selector = selector
        self.position = position


# --- requirements -----------------------------------------------------------------------------------------------

_MISSING: Any = object()
_NO_LABELS: Mapping[str, str] = {}


def requirement_errors(
    key_: str, operator: str, values: Sequence[str] | None, path: str | None = None
) -> list[FieldError]:
    """The checks of upstream ``NewRequirement``, as a field-error list (empty when the requirement is valid).

    ``values=None`` stands for Go's nil slice (printed ``[]string(nil)``), ``[]`` for an empty one.
    """
    errs = []
    if msgs := is_qualified_name(key_):
        errs.append(invalid(child(path, "key"), key_, "; ".join(msgs)))
    value_path = child(path, "values")
    shown: object = Verbatim("[]string(nil)") if values is None else list(values)
    vals: Sequence[str] = () if values is None else values
    if operator in ("in", "notin"):
        if not vals:
            errs.append(invalid(value_path, shown, "for 'in', 'notin' operators, values set can't be empty"))
    elif operator in ("=", "==", "!="):
        if len(vals) != 1:
            errs.append(invalid(value_path, shown, "exact-match compatibility requires one single value"))
    elif operator in ("exists", "!"):
        if vals:
            errs.append(invalid(value_path, shown, "values set must be empty for exists and does not exist"))
    elif operator in ("gt", "lt"):
        if len(vals) != 1:
            errs.append(invalid(value_path, shown, "for 'Gt', 'Lt' operators, exactly one value is required"))
        for i, v in enumerate(vals):
            if _parse_int64(v) is None:
                errs.append(invalid(index(value_path, i), v, "for 'Gt', 'Lt' operators, the value must be an integer"))
    else:
        errs.append(not_supported(child(path, "operator"), operator, _VALID_REQUIREMENT_OPERATORS))
    for i, v in enumerate(vals):
        if msgs := is_valid_label_value(v):
            errs.append(invalid(key(index(value_path, i), key_), v, "; ".join(msgs)))
    return errs


class Requirement:
    """One condition on one label key: upstream ``labels.Requirement``, built by ``NewRequirement``.

    ``Requirement("tier", "in", ["fe", "be"])``; operators are :class:`Operator` values (``in``, ``notin``, ``=``,
    ``==``, ``!=``, ``exists``, ``!``, ``gt``, ``lt``). Raises :class:`SelectorError` with upstream's aggregated
    field errors when the key, operator or values break the rules. Immutable and hashable.
    """

    __slots__ = ("_code", "_key", "_number", "_operator", "_value_set", "_values")

    def __init__(self, key: str, operator: str | Operator, values: Iterable[str] | None = None) -> None:
        if isinstance(values, str):
            raise TypeError("values must be a collection of strings, not a string")
        vals = None if values is None else list(values)
        if errs := requirement_errors(key, operator, vals):
            raise SelectorError(aggregate_message(errs), errors=errs)
        self._init(key, Operator(operator), tuple(vals or ()))

    @classmethod
    def _unchecked(cls, key: str, operator: Operator, values: tuple[str, ...]) -> Requirement:
        """A requirement built without validation (upstream's ``Requirement{...}`` literals)."""
        self = object.__new__(cls)
        self._init(key, operator, values)
        return self

    def _init(self, key: str, operator: Operator, values: tuple[str, ...]) -> None:
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_operator", operator)
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "_value_set", frozenset(values))
        object.__setattr__(self, "_code", _MATCH_CODE[operator])
        number = _parse_int64(values[0]) if len(values) == 1 else None
        object.__setattr__(self, "_number", number)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    @property
    def key(self) -> str:
        return self._key

    @property
    def operator(self) -> Operator:
        return self._operator

    @property
    def values(self) -> tuple[str, ...]:
        """The values in the order given (upstream ``ValuesUnsorted``); the parser gives them sorted, deduplicated."""
        return self._values

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        """Upstream ``Requirement.Matches``.

        ``in``/``=``/``==``: the key is present with one of the values. ``notin``/``!=``: the key is absent or
        has another value. ``exists``/``!``: presence/absence. ``gt``/``lt``: the key is present, its value parses
        as an integer and compares strictly.
        """
        value = (labels or _NO_LABELS).get(self._key, _MISSING)
        return _test(self._code, value, self._value_set, self._number)

    def __str__(self) -> str:
        """Upstream ``Requirement.String``: ``!key``, ``key``, ``key=v``, ``key in (a,b)`` (values sorted)."""
        op = self._operator
        if op is Operator.DOES_NOT_EXIST:
            return "!" + self._key
        if op is Operator.EXISTS:
            return self._key
        values = self._values[0] if len(self._values) == 1 else ",".join(sorted(self._values))
        if op is Operator.IN:
            return f"{self._key} in ({values})"
        if op is Operator.NOT_IN:
            return f"{self._key} notin ({values})"
        symbol = {"gt": ">", "lt": "<"}.get(op, op.value)
        return f"{self._key}{symbol}{values}"

    def __repr__(self) -> str:
        return f"Requirement({self._key!r}, {self._operator.value!r}, {list(self._values)!r})"

    def __eq__(self, other: object) -> bool:
        """Upstream ``Requirement.Equal``: same key, operator and values in the same order."""
        if not isinstance(other, Requirement):
            return NotImplemented
        return (self._key, self._operator, self._values) == (other._key, other._operator, other._values)

    def __hash__(self) -> int:
        return hash((self._key, self._operator, self._values))


def _test(code: int, value: Any, value_set: frozenset[str], number: int | None) -> bool:
    if code == _M_IN:
        return value is not _MISSING and value in value_set
    if code == _M_NOT_IN:
        return value is _MISSING or value not in value_set
    if code == _M_EXISTS:
        return value is not _MISSING
    if code == _M_NOT_EXISTS:
        return value is _MISSING
    if value is _MISSING or number is None:
        return False
    have = _parse_int64(value)
    if have is None:
        return False
    return have > number if code == _M_GT else have < number


# --- selectors --------------------------------------------------------------------------------------------------


def _by_key(r: Requirement) -> str:
    return r.key


class Selector:
    """A conjunction of requirements: upstream ``labels.Selector`` (``internalSelector``, and ``Nothing()``).

    Requirements are kept sorted by key (as ``Parse`` and ``Add`` sort them), so ``str()`` is canonical.
    ``Selector()`` matches everything; :data:`NOTHING` matches nothing. Immutable and hashable.

    ``matches`` is precomputed for speed: a selector made only of equality requirements on distinct keys (every
    ``matchLabels``-only selector of a Deployment or ReplicaSet) is tested with plain dict lookups, no dispatch.
    """

    __slots__ = ("_checks", "_equal", "_nothing", "_reqs", "_text")

    def __init__(self, requirements: Iterable[Requirement] = ()) -> None:
        self._setup(tuple(sorted(requirements, key=_by_key)), nothing=False)

    @classmethod
    def nothing(cls) -> Selector:
        """Upstream ``labels.Nothing()``: matches no label set."""
        return NOTHING

    @classmethod
    def everything(cls) -> Selector:
        """Upstream ``labels.Everything()``: matches every label set."""
        return EVERYTHING

    def _setup(self, reqs: tuple[Requirement, ...], *, nothing: bool) -> None:
        set_ = object.__setattr__
        set_(self, "_reqs", reqs)
        set_(self, "_nothing", nothing)
        set_(self, "_text", ",".join(str(r) for r in reqs))
        set_(self, "_checks", tuple((r._code, r._key, r._value_set, r._number) for r in reqs))
        # The fast path: only `key=value` tests on distinct keys (also true of EVERYTHING, with no tests).
        equal: dict[str, str] | None = {}
        for r in reqs:
            if nothing or r._code != _M_IN or len(r._value_set) != 1 or r._key in equal:
                equal = None
                break
            (equal[r._key],) = r._value_set
        if nothing:
            equal = None
        set_(self, "_equal", None if equal is None else tuple(equal.items()))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        """The requirements, sorted by key (upstream ``Requirements()``; empty for :data:`NOTHING`)."""
        return self._reqs

    @property
    def matches_nothing(self) -> bool:
        """Upstream ``labels.MatchesNothing``: true only for :data:`NOTHING`."""
        return self._nothing

    def empty(self) -> bool:
        """Upstream ``Empty()``: true if the selector does not restrict anything (:data:`EVERYTHING`)."""
        return not self._reqs and not self._nothing

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        """Upstream ``Matches``: true if every requirement matches ``labels`` (a Pod's ``metadata.labels``)."""
        equal = self._equal
        if equal is not None:
            if labels is None:
                return not equal
            get = labels.get
            for k, v in equal:  # noqa: SIM110 (a plain loop: all() over a generator is slower here)
                if get(k) != v:  # a label value is a str, never None
                    return False
            return True
        if self._nothing:
            return False
        get = (labels or _NO_LABELS).get
        for code, k, value_set, number in self._checks:
            value = get(k, _MISSING)
            if code == _M_IN:
                if value is _MISSING or value not in value_set:
                    return False
            elif code == _M_NOT_IN:
                if value is not _MISSING and value in value_set:
                    return False
            elif not _test(code, value, value_set, number):
                return False
        return True

    def add(self, *requirements: Requirement) -> Selector:
        """Upstream ``Add``: a new selector with more requirements (re-sorted by key)."""
        if self._nothing:
            return self
        return Selector(self._reqs + requirements)

    def requires_exact_match(self, label: str) -> str | None:
        """Upstream ``RequiresExactMatch``: the single value the first requirement on ``label`` demands, if any."""
        for r in self._reqs:
            if r.key == label:
                if r.operator in (Operator.EQUALS, Operator.DOUBLE_EQUALS, Operator.IN) and len(r.values) == 1:
                    return r.values[0]
                return None
        return None

    def __str__(self) -> str:
        """Upstream ``String()``: the requirements joined by ``,`` (``""`` for everything and for nothing)."""
        return self._text

    def __repr__(self) -> str:
        return "Selector.nothing()" if self._nothing else f"Selector({self._text!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Selector):
            return NotImplemented
        return (self._nothing, self._reqs) == (other._nothing, other._reqs)

    def __hash__(self) -> int:
        return hash((self._nothing, self._reqs))


EVERYTHING = Selector()
NOTHING = object.__new__(Selector)
NOTHING._setup((), nothing=True)


def everything() -> Selector:
    """Upstream ``labels.Everything()``."""
    return EVERYTHING


def nothing() -> Selector:
    """Upstream ``labels.Nothing()``."""
    return NOTHING


def selector_from_set(labels: Mapping[str, str] | None) -> Selector:
    """Upstream ``SelectorFromSet``: ``key=value`` for each entry; no validation; None or ``{}`` is everything.

    A Selector is immutable, so the one built for a label set is kept and handed out again for the same set (a
    controller builds the selector of its template's labels at every sync); a set with a key or value that is not
    a string (bad input: ``1`` and ``True`` would share a cache entry) is built afresh, as before."""
    if not labels:
        return EVERYTHING
    items = tuple(labels.items())
    for k, v in items:
        if type(k) is not str or type(v) is not str:
            return Selector(Requirement._unchecked(k, Operator.EQUALS, (v,)) for k, v in items)
    return _selector_from_items(items)


@functools.lru_cache(maxsize=4096)
def _selector_from_items(items: tuple[tuple[str, str], ...]) -> Selector:
    return Selector(Requirement._unchecked(k, Operator.EQUALS, (v,)) for k, v in items)


def validated_selector_from_set(labels: Mapping[str, str] | None) -> Selector:
    """Upstream ``ValidatedSelectorFromSet``: like :func:`selector_from_set`, but each entry is validated."""
    if not labels:
        return EVERYTHING
    return Selector(Requirement(k, Operator.EQUALS, [v]) for k, v in labels.items())


# --- the string syntax: lexer (selector.go Lexer) ---------------------------------------------------------------


class Token(IntEnum):
    """Upstream ``labels.Token``, in upstream's order."""

    ERROR = 0
    END_OF_STRING = 1
    CLOSED_PAR = 2
    COMMA = 3
    DOES_NOT_EXIST = 4
    DOUBLE_EQUALS = 5
    EQUALS = 6
    GREATER_THAN = 7
    IDENTIFIER = 8
    IN = 9
    LESS_THAN = 10
    NOT_EQUALS = 11
    NOT_IN = 12
    OPEN_PAR = 13


_STRING_TO_TOKEN = {
    ")": Token.CLOSED_PAR,
    ",": Token.COMMA,
    "!": Token.DOES_NOT_EXIST,
    "==": Token.DOUBLE_EQUALS,
    "=": Token.EQUALS,
    ">": Token.GREATER_THAN,
    "in": Token.IN,
    "<": Token.LESS_THAN,
    "!=": Token.NOT_EQUALS,
    "notin": Token.NOT_IN,
    "(": Token.OPEN_PAR,
}
_SPECIAL = frozenset("=!(),><")
_WHITESPACE = frozenset(" \t\r\n")
_END = "\x00"  # upstream's read() returns byte 0 at the end; a NUL inside the text behaves the same way


class _Lexer:
    """A line-by-line port of upstream's ``Lexer`` (``read``, ``unread``, ``scanIDOrKeyword``, ...)."""

    __slots__ = ("pos", "s")

    def __init__(self, text: str) -> None:
        self.s = text
        self.pos = 0

    def read(self) -> str:
        if self.pos < len(self.s):
            ch = self.s[self.pos]
            self.pos += 1
            return ch
        return _END

    def unread(self) -> None:
        self.pos -= 1

    def scan_id_or_keyword(self) -> tuple[Token, str]:
        buffer = []
        while True:
            ch = self.read()
            if ch == _END:
                break
            if ch in _SPECIAL or ch in _WHITESPACE:
                self.unread()
                break
            buffer.append(ch)
        text = "".join(buffer)
        return _STRING_TO_TOKEN.get(text, Token.IDENTIFIER), text

    def scan_special_symbol(self) -> tuple[Token, str]:
        last_token, last_literal = Token.ERROR, ""
        buffer = ""
        while True:
            ch = self.read()
            if ch == _END:
                break
            if ch not in _SPECIAL:
                self.unread()
                break
            buffer += ch
            token = _STRING_TO_TOKEN.get(buffer)
            if token is not None:
                last_token, last_literal = token, buffer
            elif last_token != Token.ERROR:
                self.unread()
                break
        if last_token == Token.ERROR:
            return Token.ERROR, f"error expected: keyword found '{buffer}'"
        return last_token, last_literal

    def lex(self) -> tuple[Token, str, int]:
        """The next token, its literal and the offset where it starts."""
        ch = self.read()
        while ch in _WHITESPACE:
            ch = self.read()
        if ch == _END:
            return Token.END_OF_STRING, "", self.pos
        self.unread()
        start = self.pos
        if ch in _SPECIAL:
            return (*self.scan_special_symbol(), start)
        return (*self.scan_id_or_keyword(), start)


def lex(text: str) -> list[tuple[Token, str, int]]:
    """Tokenize a selector as upstream's parser does (``Parser.scan``): ``(token, literal, offset)`` items,
    ending with ``END_OF_STRING``."""
    lexer = _Lexer(text)
    items = []
    while True:
        item = lexer.lex()
        items.append(item)
        if item[0] == Token.END_OF_STRING:
            return items


# --- the string syntax: parser (selector.go Parser) -------------------------------------------------------------


class _Fail(Exception):
    def __init__(self, message: str, position: int | None, errors: Sequence[FieldError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.errors = errors


_OPERATOR_TOKENS = {
    Token.IN: Operator.IN,
    Token.EQUALS: Operator.EQUALS,
    Token.DOUBLE_EQUALS: Operator.DOUBLE_EQUALS,
    Token.GREATER_THAN: Operator.GREATER_THAN,
    Token.LESS_THAN: Operator.LESS_THAN,
    Token.NOT_IN: Operator.NOT_IN,
    Token.NOT_EQUALS: Operator.NOT_EQUALS,
}


class _Parser:
    """A port of upstream's recursive-descent ``Parser``; ``values`` is upstream's ``Values`` context, in which
    the keywords ``in`` and ``notin`` are plain identifiers (``in in (in, notin)`` is a valid selector)."""

    __slots__ = ("items", "path", "position")

    def __init__(self, text: str, path: str | None) -> None:
        self.items = lex(text)
        self.position = 0
        self.path = path

    def lookahead(self, values: bool) -> tuple[Token, str, int]:
        tok, lit, pos = self.items[min(self.position, len(self.items) - 1)]
        if values and tok in (Token.IN, Token.NOT_IN):
            tok = Token.IDENTIFIER
        return tok, lit, pos

    def consume(self, values: bool) -> tuple[Token, str, int]:
        item = self.lookahead(values)
        self.position += 1
        return item

    def parse(self) -> list[Requirement]:
        requirements = []
        while True:
            tok, lit, pos = self.lookahead(True)
            if tok in (Token.IDENTIFIER, Token.DOES_NOT_EXIST):
                try:
                    requirements.append(self.parse_requirement())
                except _Fail as err:
                    raise _Fail(f"unable to parse requirement: {err.message}", err.position, err.errors) from None
                tok, lit, pos = self.consume(True)
                if tok == Token.END_OF_STRING:
                    return requirements
                if tok == Token.COMMA:
                    tok2, lit2, pos2 = self.lookahead(True)
                    if tok2 not in (Token.IDENTIFIER, Token.DOES_NOT_EXIST):
                        raise _Fail(f"found '{lit2}', expected: identifier after ','", pos2)
                else:
                    raise _Fail(f"found '{lit}', expected: ',' or 'end of string'", pos)
            elif tok == Token.END_OF_STRING:
                return requirements
            else:
                raise _Fail(f"found '{lit}', expected: !, identifier, or 'end of string'", pos)

    def parse_requirement(self) -> Requirement:
        start = self.lookahead(True)[2]
        key_, operator = self.parse_key_and_infer_operator()
        if operator in (Operator.EXISTS, Operator.DOES_NOT_EXIST):
            return self.new_requirement(key_, operator, [], start)
        operator = self.parse_operator()
        values = self.parse_values() if operator in (Operator.IN, Operator.NOT_IN) else self.parse_exact_value()
        return self.new_requirement(key_, operator, sorted(values), start)

    def new_requirement(self, key_: str, operator: Operator, values: list[str], start: int) -> Requirement:
        if errs := requirement_errors(key_, operator, values, self.path):
            raise _Fail(aggregate_message(errs), start, errs)
        return Requirement._unchecked(key_, operator, tuple(values))

    def parse_key_and_infer_operator(self) -> tuple[str, Operator | None]:
        operator = None
        tok, lit, pos = self.consume(True)
        if tok == Token.DOES_NOT_EXIST:
            operator = Operator.DOES_NOT_EXIST
            tok, lit, pos = self.consume(True)
        if tok != Token.IDENTIFIER:
            raise _Fail(f"found '{lit}', expected: identifier", pos)
        if msgs := is_qualified_name(lit):
            err = invalid(self.path, lit, "; ".join(msgs))
            raise _Fail(str(err), pos, [err])
        if self.lookahead(True)[0] in (Token.END_OF_STRING, Token.COMMA) and operator is None:
            operator = Operator.EXISTS
        return lit, operator

    def parse_operator(self) -> Operator:
        tok, lit, pos = self.consume(False)
        operator = _OPERATOR_TOKENS.get(tok)
        if operator is None:
            raise _Fail(f"found '{lit}', expected: {', '.join(_BINARY_OPERATORS)}", pos)
        return operator

    def parse_values(self) -> set[str]:
        tok, lit, pos = self.consume(True)
        if tok != Token.OPEN_PAR:
            raise _Fail(f"found '{lit}' expected: '('", pos)
        tok, lit, pos = self.lookahead(True)
        if tok in (Token.IDENTIFIER, Token.COMMA):
            values = self.parse_identifiers_list()
            if self.consume(True)[0] != Token.CLOSED_PAR:  # unreachable upstream too; its message quoted `lit`
                raise _Fail(f"found '{lit}', expected: ')'", pos)
            return values
        if tok == Token.CLOSED_PAR:  # "()"
            self.consume(True)
            return {""}
        raise _Fail(f"found '{lit}', expected: ',', ')' or identifier", pos)

    def parse_identifiers_list(self) -> set[str]:
        values: set[str] = set()
        while True:
            tok, lit, pos = self.consume(True)
            if tok == Token.IDENTIFIER:
                values.add(lit)
                tok2, lit2, pos2 = self.lookahead(True)
                if tok2 == Token.COMMA:
                    continue
                if tok2 == Token.CLOSED_PAR:
                    return values
                raise _Fail(f"found '{lit2}', expected: ',' or ')'", pos2)
            if tok == Token.COMMA:  # "(," ",," and ",)" each stand for the empty value
                if not values:
                    values.add("")
                tok2 = self.lookahead(True)[0]
                if tok2 == Token.CLOSED_PAR:
                    values.add("")
                    return values
                if tok2 == Token.COMMA:
                    values.add("")
            else:
                raise _Fail(f"found '{lit}', expected: ',', or identifier", pos)

    def parse_exact_value(self) -> set[str]:
        if self.lookahead(True)[0] in (Token.END_OF_STRING, Token.COMMA):
            return {""}
        tok, lit, pos = self.consume(True)
        if tok == Token.IDENTIFIER:
            return {lit}
        raise _Fail(f"found '{lit}', expected: identifier", pos)


def parse_selector(text: str, path: str | None = None) -> Selector:
    """Upstream ``labels.Parse``: the string syntax of ``kubectl get -l`` and of list/watch ``labelSelector``.

    Grammar (upstream's)::

        <selector-syntax>         ::= <requirement> | <requirement> "," <selector-syntax>
        <requirement>             ::= [!] KEY [ <set-based-restriction> | <exact-match-restriction> ]
        <set-based-restriction>   ::= "" | <inclusion-exclusion> <value-set>
        <inclusion-exclusion>     ::= "in" | "notin"
        <value-set>               ::= "(" <values> ")"
        <values>                  ::= VALUE | VALUE "," <values>
        <exact-match-restriction> ::= ["="|"=="|"!="] VALUE

    plus ``KEY > N`` and ``KEY < N`` (integers). A bare key means "exists", ``!key`` "does not exist", ``x in ()``
    the empty value. ``path`` is upstream's ``field.WithPath`` option, used in error messages (default: nil).
    Raises :class:`SelectorError` with upstream's message.
    """
    try:
        requirements = _Parser(text, path).parse()
    except _Fail as err:
        raise SelectorError(err.message, errors=err.errors, selector=text, position=err.position) from None
    return Selector(requirements)


# --- the API object: metav1.LabelSelector (apis/meta/v1/helpers.go) --------------------------------------------


def _requirement_or_raise(key_: str, operator: Operator, values: list[str] | None) -> Requirement:
    if errs := requirement_errors(key_, operator, values):
        raise SelectorError(aggregate_message(errs), errors=errs)
    return Requirement._unchecked(key_, operator, tuple(values or ()))


_MATCH_LABELS_SELECTORS: dict[tuple[tuple[str, str], ...], Selector] = {}


def label_selector_as_selector(obj: Mapping[str, Any] | None) -> Selector:
    """Upstream ``LabelSelectorAsSelector``: ``{matchLabels: {...}, matchExpressions: [{key, operator, values}]}``
    to a :class:`Selector`.

    A missing selector (None) matches nothing; an empty one (``{}``) matches everything. Raises
    :class:`SelectorError` for an unknown operator or an invalid requirement (upstream's messages).
    """
    if obj is None:
        return NOTHING
    match_labels = obj.get("matchLabels") or {}
    expressions = obj.get("matchExpressions") or []
    if len(match_labels) + len(expressions) == 0:
        return EVERYTHING
    if not expressions and type(match_labels) is dict:
        # The common matchLabels-only selector: a pure function of its string pairs, and a Selector is immutable,
        # so each distinct one is built (and validated) once.
        items = tuple(match_labels.items())
        if all(type(k) is str and type(v) is str for k, v in items):
            found = _MATCH_LABELS_SELECTORS.get(items)
            if found is None:
                found = Selector([_requirement_or_raise(k, Operator.EQUALS, [v]) for k, v in items])
                if len(_MATCH_LABELS_SELECTORS) >= 4096:
                    _MATCH_LABELS_SELECTORS.clear()
                _MATCH_LABELS_SELECTORS[items] = found
            return found
    requirements = [_requirement_or_raise(k, Operator.EQUALS, [v]) for k, v in match_labels.items()]
    for expr in expressions:
        api_operator = expr.get("operator")
        operator = _API_OPERATORS.get(api_operator) if isinstance(api_operator, str) else None
        if operator is None:
            shown = "" if api_operator is None else str(api_operator)
            raise SelectorError(f"{go_quote(shown)} is not a valid pod selector operator")
        values = expr.get("values")
        # append([]string(nil), expr.Values...) is nil when there are no values.
        requirements.append(_requirement_or_raise(expr.get("key") or "", operator, list(values) if values else None))
    return Selector(requirements)


def selector_to_label_selector(selector: Selector) -> dict[str, Any] | None:
    """The reverse of :func:`label_selector_as_selector`, by upstream ``ParseToLabelSelector``'s rules.

    ``=``/``==`` go to ``matchLabels``; ``in``, ``notin``, ``exists``, ``!`` to ``matchExpressions`` (values
    sorted); ``gt``/``lt`` and ``!=`` have no API form and raise :class:`SelectorError`. :data:`NOTHING` gives
    None. Empty parts are left out, as the API's JSON omits them.
    """
    if selector.matches_nothing:
        return None
    match_labels: dict[str, str] = {}
    expressions: list[dict[str, Any]] = []
    for r in selector.requirements:
        op = r.operator
        if op in (Operator.EQUALS, Operator.DOUBLE_EQUALS):
            match_labels[r.key] = r.values[0]
        elif op in _API_NAMES:
            expr: dict[str, Any] = {"key": r.key, "operator": _API_NAMES[op]}
            if r.values:
                expr["values"] = sorted(set(r.values))
            expressions.append(expr)
        elif op in (Operator.GREATER_THAN, Operator.LESS_THAN):
            raise SelectorError(f"{go_quote(op.value)} isn't supported in label selectors")
        else:
            raise SelectorError(f"{go_quote(op.value)} is not a valid label selector operator")
    result: dict[str, Any] = {}
    if match_labels:
        result["matchLabels"] = match_labels
    if expressions:
        result["matchExpressions"] = expressions
    return result


def parse_to_label_selector(text: str) -> dict[str, Any]:
    """Upstream ``ParseToLabelSelector``: the string syntax to the API object (``kubectl create ... --selector``)."""
    try:
        selector = parse_selector(text)
    except SelectorError as err:
        raise SelectorError(
            f'couldn\'t parse the selector string "{text}": {err}', errors=err.errors, selector=text
        ) from None
    result = selector_to_label_selector(selector)
    return result if result is not None else {}


# --- validation of the API object (apis/meta/v1/validation/validation.go) ---------------------------------------


def validate_label_name(name: str, path: str | None) -> list[FieldError]:
    """Upstream ``ValidateLabelName``: one ``Invalid value`` per rule the key breaks."""
    return [invalid(path, name, msg) for msg in is_qualified_name(name)]


def validate_labels(labels: Mapping[str, str] | None, path: str | None) -> list[FieldError]:
    """Upstream ``ValidateLabels`` (``metadata.labels``, ``matchLabels``).

    As upstream, errors for keys and for values both point at ``path`` itself, not at ``path[key]``.
    """
    errs: list[FieldError] = []
    if not labels:
        return errs
    for k, v in labels.items():
        msgs = is_qualified_name(k)  # validate_label_name, inlined
        if msgs:
            errs.extend(invalid(path, k, msg) for msg in msgs)
        msgs = is_valid_label_value(v)
        if msgs:
            errs.extend(invalid(path, v, msg) for msg in msgs)
    return errs


def validate_label_selector_requirement(
    requirement: Mapping[str, Any], path: str | None, *, allow_invalid_label_value_in_selector: bool = False
) -> list[FieldError]:
    """Upstream ``ValidateLabelSelectorRequirement``: one ``matchExpressions`` entry."""
    errs: list[FieldError] = []
    operator = requirement.get("operator", "")
    values = requirement.get("values") or []
    values_path = child(path, "values")
    if operator in ("In", "NotIn"):
        if not values:
            errs.append(required(values_path, "must be specified when `operator` is 'In' or 'NotIn'"))
    elif operator in ("Exists", "DoesNotExist"):
        if values:
            errs.append(forbidden(values_path, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
    else:
        errs.append(invalid(child(path, "operator"), operator, "not a valid selector operator"))
    errs.extend(validate_label_name(requirement.get("key", ""), child(path, "key")))
    if not allow_invalid_label_value_in_selector:
        for i, value in enumerate(values):
            errs.extend(invalid(index(values_path, i), value, msg) for msg in is_valid_label_value(value))
    return errs


def validate_label_selector(
    selector: Mapping[str, Any] | None, path: str | None, *, allow_invalid_label_value_in_selector: bool = False
) -> list[FieldError]:
    """Upstream ``ValidateLabelSelector``: a ``spec.selector`` object; None (no selector) is valid.

    ``allow_invalid_label_value_in_selector`` is upstream's ``LabelSelectorValidationOptions`` switch, set only
    to keep accepting old objects that already hold invalid values in ``matchExpressions``.
    """
    if selector is None:
        return []
    errs = validate_labels(selector.get("matchLabels"), child(path, "matchLabels"))
    expressions_path = child(path, "matchExpressions")
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        errs.extend(
            validate_label_selector_requirement(
                expr,
                index(expressions_path, i),
                allow_invalid_label_value_in_selector=allow_invalid_label_value_in_selector,
            )
        )
    return errs


__all__ = [
    "DNS1123_LABEL_MAX_LENGTH",
    "DNS1123_SUBDOMAIN_MAX_LENGTH",
    "EVERYTHING",
    "LABEL_VALUE_MAX_LENGTH",
    "NOTHING",
    "Operator",
    "Requirement",
    "Selector",
    "SelectorError",
    "Token",
    "empty_error",
    "everything",
    "is_dns1123_label",
    "is_dns1123_subdomain",
    "is_qualified_name",
    "is_valid_label_value",
    "label_selector_as_selector",
    "lex",
    "max_len_error",
    "nothing",
    "parse_selector",
    "parse_to_label_selector",
    "regex_error",
    "requirement_errors",
    "selector_from_set",
    "selector_to_label_selector",
    "validate_label_name",
    "validate_label_selector",
    "validate_label_selector_requirement",
    "validate_labels",
    "validated_selector_from_set",
]
