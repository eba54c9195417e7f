"""Tests for k8smodel.api.labels and k8smodel.api.field, with cases ported from upstream's unit tests.

Sources (kubernetes/kubernetes, staging/src/k8s.io/apimachinery/pkg/):
  labels/selector_test.go, apis/meta/v1/helpers_test.go, util/validation/validation_test.go,
  apis/meta/v1/validation/validation_test.go, util/validation/field/errors_test.go.
Each test names the upstream test function it ports.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.api import field
from k8smodel.api.field import ErrorType, FieldError, Verbatim
from k8smodel.api.labels import (
    EVERYTHING,
    NOTHING,
    Operator,
    Requirement,
    Selector,
    SelectorError,
    Token,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    is_valid_label_value,
    label_selector_as_selector,
    lex,
    parse_selector,
    parse_to_label_selector,
    selector_from_set,
    selector_to_label_selector,
    validate_label_selector,
    validate_labels,
    validated_selector_from_set,
)

NAME_REGEX_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
VALUE_REGEX_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
SUBDOMAIN_REGEX_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    r"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)


def sel(*reqs: tuple[str, str, list[str] | None]) -> Selector:
    """upstream getRequirement(...) for each, in a selector (values sorted as sets.String.List() gives them)."""
    return Selector(Requirement(k, op, None if v is None else sorted(v)) for k, op, v in reqs)


# === field errors: util/validation/field/errors_test.go =========================================================


# TestErrorBody
@pytest.mark.parametrize(
    ("err", "expected"),
    [
        (field.invalid("bla", 2, "details"), "Invalid value: 2: details"),
        (field.invalid("bla", None, "details"), 'Invalid value: "null": details'),
        (field.invalid("bla", Verbatim("stringer"), "details"), "Invalid value: stringer: details"),
        (field.invalid("bla", 1.5, "details"), "Invalid value: 1.5: details"),
        (field.invalid("bla", True, "details"), "Invalid value: true: details"),
    ],
)
def test_error_body(err: FieldError, expected: str) -> None:
    assert err.body() == expected


# TestNotSupported
def test_not_supported_body() -> None:
    err = field.not_supported("f", "v", ["a", "b", "c"])
    assert err.body() == 'Unsupported value: "v": supported values: "a", "b", "c"'


# TestMakeFuncs
@pytest.mark.parametrize(
    ("err", "kind", "reason"),
    [
        (field.invalid("f", "v", "d"), ErrorType.INVALID, "FieldValueInvalid"),
        (field.not_supported("f", "v", None), ErrorType.NOT_SUPPORTED, "FieldValueNotSupported"),
        (field.duplicate("f", "v"), ErrorType.DUPLICATE, "FieldValueDuplicate"),
        (field.not_found("f", "v"), ErrorType.NOT_FOUND, "FieldValueNotFound"),
        (field.required("f", "d"), ErrorType.REQUIRED, "FieldValueRequired"),
        (field.internal_error("f", "e"), ErrorType.INTERNAL, "InternalError"),
        (field.forbidden("f", "d"), ErrorType.FORBIDDEN, "FieldValueForbidden"),
        (field.too_long("f", "v", 3), ErrorType.TOO_LONG, "FieldValueTooLong"),
        (field.too_many("f", 4, 3), ErrorType.TOO_MANY, "FieldValueTooMany"),
    ],
)
def test_make_funcs(err: FieldError, kind: ErrorType, reason: str) -> None:
    assert err.type == kind
    assert ErrorType(err.type).reason == reason


# TestErrorUsefulMessage, and the messages the API server prints (values quoted for strings only)
@pytest.mark.parametrize(
    ("err", "expected"),
    [
        (field.invalid(None, None, ""), '<nil>: Invalid value: "null"'),
        (field.invalid("foo", "bar", "deet"), 'foo: Invalid value: "bar": deet'),
        (
            field.invalid("spec.replicas", -1, "must be greater than or equal to 0"),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        ),
        (
            field.required("metadata.name", "name or generateName is required"),
            "metadata.name: Required value: name or generateName is required",
        ),
        (
            field.not_supported("spec.selector.matchExpressions[0].operator", "Foo", ["In", "NotIn"]),
            'spec.selector.matchExpressions[0].operator: Unsupported value: "Foo": supported values: "In", "NotIn"',
        ),
        (field.forbidden("spec.x", "may not be set"), "spec.x: Forbidden: may not be set"),
        (
            field.too_long("metadata.annotations", "x" * 9, 8),
            "metadata.annotations: Too long: must have at most 8 bytes",
        ),
        (field.too_many("spec.items", 5, 4), "spec.items: Too many: 5: must have at most 4 items"),
        (field.too_many("spec.items", -1, -1), "spec.items: Too many: has too many items"),
        (field.duplicate("spec.ports[1].name", "http"), 'spec.ports[1].name: Duplicate value: "http"'),
        (field.not_found("spec.volumes", "data"), 'spec.volumes: Not found: "data"'),
        (field.invalid("v", ["a", "b"], "d"), 'v: Invalid value: []string{"a", "b"}: d'),
        (field.invalid("v", [], "d"), "v: Invalid value: []string{}: d"),
        (field.invalid("v", {"b": "2", "a": "1"}, "d"), 'v: Invalid value: map[string]string{"a":"1", "b":"2"}: d'),
        (field.invalid("v", 'say "hi"\n', "d"), r'v: Invalid value: "say \"hi\"\n": d'),
        (field.invalid("v", "rā", "d"), 'v: Invalid value: "rā": d'),
        (field.invalid("v", 1e21, "d"), "v: Invalid value: 1e+21: d"),
        (field.invalid("v", 3.0, "d"), "v: Invalid value: 3: d"),
    ],
)
def test_field_error_messages(err: FieldError, expected: str) -> None:
    assert str(err) == expected


# TestToAggregate: duplicates collapse; several errors print as [a, b]
def test_aggregate_message() -> None:
    a = field.invalid("f", "v", "d")
    b = field.internal_error("", "e")
    assert field.aggregate_message([]) == ""
    assert field.aggregate_message([a]) == 'f: Invalid value: "v": d'
    assert field.aggregate_message([a, a]) == 'f: Invalid value: "v": d'
    assert field.aggregate_message([a, b]) == '[f: Invalid value: "v": d, : Internal error: e]'


def test_paths() -> None:
    p = field.child("spec", "selector")
    assert field.index(field.child(p, "matchExpressions"), 0) == "spec.selector.matchExpressions[0]"
    assert field.key(field.child(None, "values"), "app") == "values[app]"
    assert field.path_string(None) == "<nil>"


# === util/validation/validation_test.go =========================================================================

QUALIFIED_NAME_SUCCESS = [
    "simple",
    "now-with-dashes",
    "1-starts-with-num",
    "1234",
    "simple/simple",
    "now-with-dashes/simple",
    "now-with-dashes/now-with-dashes",
    "now.with.dots/simple",
    "now-with.dashes-and.dots/simple",
    "1-num.2-num/3-num",
    "1234/5678",
    "1.2.3.4/5678",
    "Uppercase_Is_OK_123",
    "example.com/Uppercase_Is_OK_123",
    "requests.storage-foo",
    "a" * 63,
    "a" * 253 + "/" + "b" * 63,
]
QUALIFIED_NAME_ERRORS = [
    "nospecialchars%^=@",
    "cantendwithadash-",
    "-cantstartwithadash-",
    "only/one/slash",
    "Example.com/abc",
    "example_com/abc",
    "example.com/",
    "/simple",
    "a" * 64,
    "a" * 254 + "/abc",
]


# TestIsQualifiedName
@pytest.mark.parametrize("value", QUALIFIED_NAME_SUCCESS)
def test_is_qualified_name_success(value: str) -> None:
    assert is_qualified_name(value) == []


@pytest.mark.parametrize("value", QUALIFIED_NAME_ERRORS)
def test_is_qualified_name_error(value: str) -> None:
    assert is_qualified_name(value) != []


# The exact messages behind TestIsQualifiedName's error cases.
@pytest.mark.parametrize(
    ("value", "messages"),
    [
        ("cantendwithadash-", ["name part " + NAME_REGEX_MSG]),
        (
            "only/one/slash",
            [
                "a qualified name " + NAME_REGEX_MSG + " with an optional DNS subdomain prefix and '/' "
                "(e.g. 'example.com/MyName')"
            ],
        ),
        ("Example.com/abc", ["prefix part " + SUBDOMAIN_REGEX_MSG]),
        ("/simple", ["prefix part must be non-empty"]),
        ("example.com/", ["name part must be non-empty", "name part " + NAME_REGEX_MSG]),
        ("a" * 64, ["name part must be no more than 63 characters"]),
        ("a" * 254 + "/abc", ["prefix part must be no more than 253 characters"]),
    ],
)
def test_is_qualified_name_messages(value: str, messages: list[str]) -> None:
    assert is_qualified_name(value) == messages


# TestIsValidLabelValue
@pytest.mark.parametrize(
    "value", ["simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "a" * 63, ""]
)
def test_is_valid_label_value_success(value: str) -> None:
    assert is_valid_label_value(value) == []


@pytest.mark.parametrize(
    ("value", "messages"),
    [
        ("nospecialchars%^=@", [VALUE_REGEX_MSG]),
        ("Tama-nui-te-rā.is.Māori.sun", [VALUE_REGEX_MSG]),
        ("\\backslashes\\are\\bad", [VALUE_REGEX_MSG]),
        ("-starts-with-dash", [VALUE_REGEX_MSG]),
        ("ends-with-dash-", [VALUE_REGEX_MSG]),
        (".starts.with.dot", [VALUE_REGEX_MSG]),
        ("ends.with.dot.", [VALUE_REGEX_MSG]),
        ("a" * 64, ["must be no more than 63 characters"]),
        ("trailing-newline\n", [VALUE_REGEX_MSG]),  # Go's $ is end of text, not end of line
    ],
)
def test_is_valid_label_value_error(value: str, messages: list[str]) -> None:
    assert is_valid_label_value(value) == messages


# TestIsDNS1123Label
def test_is_dns1123_label() -> None:
    good = ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "a" * 63]
    bad = ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1"]
    bad += ["_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2"]
    bad += [" ", "a ", " a", "a b", "1 ", " 1", "1 2", "a" * 64]
    assert [v for v in good if is_dns1123_label(v)] == []
    assert [v for v in bad if not is_dns1123_label(v)] == []
    assert is_dns1123_label("a.b") == ["must not contain dots"]
    assert is_dns1123_label("A") == [
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
        "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    ]


# TestIsDNS1123Subdomain
def test_is_dns1123_subdomain() -> None:
    good = ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2"]
    good += ["a.a", "ab.a", "abc.a", "a1.a", "a-1.a", "a--1--2--b.a", "a.1", "ab.1", "abc.1", "a1.1", "a-1.1"]
    good += ["a--1--2--b.1", "0.a", "01.a", "012.a", "1a.a", "1-a.a", "0.1", "01.1", "012.1", "1a.1", "1-a.1"]
    good += ["1--a--b--2.1", "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55", "a" * 253]
    bad = ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_"]
    bad += ["_1", "1_2", ".", "a.", ".a", "a..b", "1.", ".1", "1..2", " ", "a ", " a", "a b", "1 ", " 1", "1 2"]
    bad += ["A.a", "aB.a", "ab.A", "A1.a", "a1.A", "A.1", "aB.1", "A1.1", "1A.1", "0.A", "01.A", "012.A", "1A.a"]
    bad += ["1a.A", "A.B.C.D.E", "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee", "a@b", "a,b", "a;b", "a:b"]
    bad += ["a%b", "a?b", "a$b", "a" * 254]
    assert [v for v in good if is_dns1123_subdomain(v)] == []
    assert [v for v in bad if not is_dns1123_subdomain(v)] == []
    assert is_dns1123_subdomain("a" * 254) == ["must be no more than 253 characters"]


# === labels/selector_test.go =====================================================================================


# TestSelectorParse (good strings): Parse(s).String() is s without spaces
@pytest.mark.parametrize(
    "text", ["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"]
)
def test_selector_parse_good(text: str) -> None:
    assert str(parse_selector(text)) == text.replace(" ", "")


# TestSelectorParse (bad strings), with upstream's messages
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x=a||y=b", 'unable to parse requirement: values[0][x]: Invalid value: "a||y": ' + VALUE_REGEX_MSG),
        ("x==a==b", "found '==', expected: ',' or 'end of string'"),
        ("!x=a", "found '=', expected: ',' or 'end of string'"),
        (
            "x<a",
            "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value "
            "must be an integer",
        ),
    ],
)
def test_selector_parse_bad(text: str, message: str) -> None:
    with pytest.raises(SelectorError) as info:
        parse_selector(text)
    assert str(info.value) == message


# TestDeterministicParse
def test_deterministic_parse() -> None:
    assert str(parse_selector("x=a,a=x")) == str(parse_selector("a=x,x=a")) == "a=x,x=a"


# TestEverything, TestNilMapIsValid, TestSetIsEmpty
def test_everything_and_empty() -> None:
    assert EVERYTHING.matches({"x": "y"})
    assert EVERYTHING.empty()
    assert selector_from_set(None).empty()
    assert selector_from_set({}).empty()
    assert Selector().empty()
    assert not NOTHING.empty()
    assert not NOTHING.matches({})
    assert NOTHING.matches_nothing and not EVERYTHING.matches_nothing


# TestSelectorMatches
@pytest.mark.parametrize(
    ("text", "labels", "match"),
    [
        ("", {"x": "y"}, True),
        ("x=y", {"x": "y"}, True),
        ("x=y,z=w", {"x": "y", "z": "w"}, True),
        ("x!=y,z!=w", {"x": "z", "z": "a"}, True),
        ("notin=in", {"notin": "in"}, True),  # in and notin in exactMatch
        ("x", {"x": "z"}, True),
        ("!x", {"y": "z"}, True),
        ("x>1", {"x": "2"}, True),
        ("x<1", {"x": "0"}, True),
        ("x=z", {}, False),
        ("x=y", {"x": "z"}, False),
        ("x=y,z=w", {"x": "w", "z": "w"}, False),
        ("x!=y,z!=w", {"x": "z", "z": "w"}, False),
        ("x", {"y": "z"}, False),
        ("!x", {"x": "z"}, False),
        ("x>1", {"x": "0"}, False),
        ("x<1", {"x": "2"}, False),
        ("foo=bar", {"foo": "bar", "baz": "blah"}, True),
        ("baz=blah", {"foo": "bar", "baz": "blah"}, True),
        ("foo=bar,baz=blah", {"foo": "bar", "baz": "blah"}, True),
        ("foo=blah", {"foo": "bar", "baz": "blah"}, False),
        ("baz=bar", {"foo": "bar", "baz": "blah"}, False),
        ("foo=bar,foobar=bar,baz=blah", {"foo": "bar", "baz": "blah"}, False),
    ],
)
def test_selector_matches(text: str, labels: dict[str, str], match: bool) -> None:
    selector = parse_selector(text)
    assert selector.matches(labels) is match
    assert all(r.matches(labels) for r in selector.requirements) is match


# TestSetMatches
@pytest.mark.parametrize("subset", [{}, {"foo": "bar"}, {"baz": "blah"}, {"foo": "bar", "baz": "blah"}])
def test_set_matches(subset: dict[str, str]) -> None:
    assert selector_from_set(subset).matches({"foo": "bar", "baz": "blah"})


# TestLexer
@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("", Token.END_OF_STRING),
        (",", Token.COMMA),
        ("notin", Token.NOT_IN),
        ("in", Token.IN),
        ("=", Token.EQUALS),
        ("==", Token.DOUBLE_EQUALS),
        (">", Token.GREATER_THAN),
        ("<", Token.LESS_THAN),
        ("!", Token.DOES_NOT_EXIST),  # Lex returns the longest valid token found
        ("!=", Token.NOT_EQUALS),
        ("(", Token.OPEN_PAR),
        (")", Token.CLOSED_PAR),
        ("~", Token.IDENTIFIER),  # non-"special" characters are part of an identifier
        ("||", Token.IDENTIFIER),
    ],
)
def test_lexer(text: str, token: Token) -> None:
    tok, literal, _ = lex(text)[0]
    assert (tok, literal) == (token, text)


T = Token


# TestLexerSequence and TestParserLookahead (the scanned items end with END_OF_STRING)
@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("key in ( value )", [T.IDENTIFIER, T.IN, T.OPEN_PAR, T.IDENTIFIER, T.CLOSED_PAR]),
        ("key notin ( value )", [T.IDENTIFIER, T.NOT_IN, T.OPEN_PAR, T.IDENTIFIER, T.CLOSED_PAR]),
        (
            "key in ( value1, value2 )",
            [T.IDENTIFIER, T.IN, T.OPEN_PAR, T.IDENTIFIER, T.COMMA, T.IDENTIFIER, T.CLOSED_PAR],
        ),
        ("key", [T.IDENTIFIER]),
        ("!key", [T.DOES_NOT_EXIST, T.IDENTIFIER]),
        ("()", [T.OPEN_PAR, T.CLOSED_PAR]),
        ("", []),
        ("x in (),y", [T.IDENTIFIER, T.IN, T.OPEN_PAR, T.CLOSED_PAR, T.COMMA, T.IDENTIFIER]),
        (
            "== != (), = notin",
            [T.DOUBLE_EQUALS, T.NOT_EQUALS, T.OPEN_PAR, T.CLOSED_PAR, T.COMMA, T.EQUALS, T.NOT_IN],
        ),
        ("key>2", [T.IDENTIFIER, T.GREATER_THAN, T.IDENTIFIER]),
        ("key<1", [T.IDENTIFIER, T.LESS_THAN, T.IDENTIFIER]),
    ],
)
def test_lexer_sequence(text: str, tokens: list[Token]) -> None:
    assert [tok for tok, _, _ in lex(text)] == [*tokens, T.END_OF_STRING]


def test_lexer_positions() -> None:
    assert lex("  x in (a)") == [
        (T.IDENTIFIER, "x", 2),
        (T.IN, "in", 4),
        (T.OPEN_PAR, "(", 7),
        (T.IDENTIFIER, "a", 8),
        (T.CLOSED_PAR, ")", 9),
        (T.END_OF_STRING, "", 10),
    ]


# TestRequirementConstructor: the field errors NewRequirement aggregates (type, field, bad value)
@pytest.mark.parametrize(
    ("key", "op", "values", "want"),
    [
        ("x1", "in", [], [(ErrorType.INVALID, "values", [])]),
        ("x2", "notin", [], [(ErrorType.INVALID, "values", [])]),
        ("x3", "in", ["foo"], []),
        ("x4", "notin", ["foo"], []),
        ("x5", "=", ["bar", "foo"], [(ErrorType.INVALID, "values", ["bar", "foo"])]),
        ("x6", "exists", [], []),
        ("x7", "!", [], []),
        ("x8", "exists", ["foo"], [(ErrorType.INVALID, "values", ["foo"])]),
        ("x9", "in", ["bar"], []),
        ("x10", "in", ["bar"], []),
        ("x11", "gt", ["1"], []),
        ("x12", "lt", ["6"], []),
        ("x13", "gt", [], [(ErrorType.INVALID, "values", [])]),
        ("x14", "gt", ["bar"], [(ErrorType.INVALID, "values[0]", "bar")]),
        ("x15", "lt", ["bar"], [(ErrorType.INVALID, "values[0]", "bar")]),
        ("a" * 254, "exists", [], [(ErrorType.INVALID, "key", "a" * 254)]),  # breaks the 63-character name rule
        ("x16", "=", ["a" * 254], [(ErrorType.INVALID, "values[0][x16]", "a" * 254)]),
        ("x17", "=", ["a b"], [(ErrorType.INVALID, "values[0][x17]", "a b")]),
        ("x18", "unsupportedOp", [], [(ErrorType.NOT_SUPPORTED, "operator", "unsupportedOp")]),
        ("1foo", "in", ["bar"], []),
        ("1234", "in", ["bar"], []),
    ],
)
def test_requirement_constructor(key: str, op: str, values: list[str], want: list[tuple[str, str, object]]) -> None:
    if not want:
        r = Requirement(key, op, values)
        assert (r.key, r.operator, r.values) == (key, op, tuple(values))
        return
    with pytest.raises(SelectorError) as info:
        Requirement(key, op, values)
    assert [(e.type, e.field, e.value) for e in info.value.errors] == want
    assert str(info.value) == field.aggregate_message(info.value.errors)


def test_requirement_constructor_messages() -> None:
    with pytest.raises(SelectorError) as info:
        Requirement("x18", "unsupportedOp")
    assert str(info.value) == (
        'operator: Unsupported value: "unsupportedOp": supported values: "in", "notin", "=", "==", "!=", "gt", '
        '"lt", "exists", "!"'
    )
    with pytest.raises(SelectorError) as info:
        Requirement("x1", "in")  # a nil slice, as LabelSelectorAsSelector passes it
    assert (
        str(info.value)
        == "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"
    )
    with pytest.raises(SelectorError) as info:
        Requirement("-x", "=", ["a", "b"])  # two errors: aggregated in brackets
    assert str(info.value) == (
        '[key: Invalid value: "-x": name part ' + NAME_REGEX_MSG + ", values: Invalid value: "
        '[]string{"a", "b"}: exact-match compatibility requires one single value]'
    )


# TestToString
@pytest.mark.parametrize(
    ("selector", "text"),
    [
        (
            sel(("x", "in", ["abc", "def"]), ("y", "notin", ["jkl"]), ("z", "exists", None)),
            "x in (abc,def),y notin (jkl),z",
        ),
        (sel(("x", "notin", ["abc", "def"]), ("y", "!=", ["jkl"]), ("z", "!", None)), "x notin (abc,def),y!=jkl,!z"),
        (
            sel(("x", "notin", ["abc"]), ("y", "in", ["jkl", "mno"]), ("z", "notin", [""])),
            "x notin (abc),y in (jkl,mno),z notin ()",
        ),
        (
            sel(("x", "=", ["abc"]), ("y", "==", ["jkl"]), ("z", "!=", ["a"]), ("z", "exists", None)),
            "x=abc,y==jkl,z!=a,z",
        ),
        (sel(("x", "gt", ["2"]), ("y", "lt", ["8"]), ("z", "exists", None)), "x>2,y<8,z"),
    ],
)
def test_to_string(selector: Selector, text: str) -> None:
    assert str(selector) == text


# TestRequirementSelectorMatching (upstream's first case, a zero-value Requirement, cannot be built here)
@pytest.mark.parametrize(
    ("labels", "selector", "match"),
    [
        ({"x": "foo", "y": "baz"}, sel(("x", "in", ["foo"]), ("y", "notin", ["alpha"])), True),
        ({"x": "foo", "y": "baz"}, sel(("x", "in", ["foo"]), ("y", "in", ["alpha"])), False),
        ({"y": ""}, sel(("x", "notin", [""]), ("y", "exists", None)), True),
        ({"y": ""}, sel(("x", "!", None), ("y", "exists", None)), True),
        ({"y": ""}, sel(("x", "notin", [""]), ("y", "!", None)), False),
        ({"y": "baz"}, sel(("x", "in", [""])), False),
        ({"z": "2"}, sel(("z", "gt", ["1"])), True),
        ({"z": "v2"}, sel(("z", "gt", ["1"])), False),
    ],
)
def test_requirement_selector_matching(labels: dict[str, str], selector: Selector, match: bool) -> None:
    assert selector.matches(labels) is match


# TestSetSelectorParser (valid inputs and the selector each parses to)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Selector()),
        ("\rx", sel(("x", "exists", None))),
        ("this-is-a-dns.domain.com/key-with-dash", sel(("this-is-a-dns.domain.com/key-with-dash", "exists", None))),
        (
            "this-is-another-dns.domain.com/key-with-dash in (so,what)",
            sel(("this-is-another-dns.domain.com/key-with-dash", "in", ["so", "what"])),
        ),
        (
            "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
            sel(("0.1.2.domain/99", "notin", ["10.10.100.1", "tick.tack.clock"])),
        ),
        ("foo  in\t (abc)", sel(("foo", "in", ["abc"]))),
        ("x notin\n (abc)", sel(("x", "notin", ["abc"]))),
        ("x  notin\t\t\t(abc,def)", sel(("x", "notin", ["abc", "def"]))),
        ("x in (abc,def)", sel(("x", "in", ["abc", "def"]))),
        ("x in (abc,)", sel(("x", "in", ["abc", ""]))),
        ("x in ()", sel(("x", "in", [""]))),
        (
            "x notin (abc,,def),bar,z in (),w",
            sel(("bar", "exists", None), ("w", "exists", None), ("x", "notin", ["abc", "", "def"]), ("z", "in", [""])),
        ),
        ("x,y in (a)", sel(("x", "exists", None), ("y", "in", ["a"]))),
        ("x=a", sel(("x", "=", ["a"]))),
        ("x>1", sel(("x", "gt", ["1"]))),
        ("x<7", sel(("x", "lt", ["7"]))),
        ("x=a,y!=b", sel(("x", "=", ["a"]), ("y", "!=", ["b"]))),
        ("x=a,y!=b,z in (h,i,j)", sel(("x", "=", ["a"]), ("y", "!=", ["b"]), ("z", "in", ["h", "i", "j"]))),
        ("x notin ( )", sel(("x", "notin", [""]))),
        ("x notin (, a)", sel(("x", "notin", ["", "a"]))),
        ("a ", sel(("a", "exists", None))),
        ("a in (x,y,notin, z,in)", sel(("a", "in", ["in", "notin", "x", "y", "z"]))),  # 'in' inside a value list
        ("in in (in)", sel(("in", "in", ["in"]))),
        ("x==a", sel(("x", "==", ["a"]))),
    ],
)
def test_set_selector_parser_valid(text: str, expected: Selector) -> None:
    selector = parse_selector(text)
    assert selector == expected
    assert selector.requirements == expected.requirements


# TestSetSelectorParser (invalid inputs), with upstream's messages; TestParseOperator's message too
@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("x,,y", "found ',', expected: identifier after ','", 2),
        (",x,y", "found ',', expected: !, identifier, or 'end of string'", 0),
        ("x nott in (y)", "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt", 2),
        ("a in (xyz),", "found '', expected: identifier after ','", 11),
        ("a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'", 10),
        ("a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'", 10),
        ("a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier", 8),
        ("a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt", 2),
        ("(", "found '(', expected: !, identifier, or 'end of string'", 0),
        ("!", "unable to parse requirement: found '', expected: identifier", 1),
        ("x in y", "unable to parse requirement: found 'y' expected: '('", 5),
        ("x in (a,=)", "unable to parse requirement: found '=', expected: ',', or identifier", 8),
        ("x=(", "unable to parse requirement: found '(', expected: identifier", 2),
    ],
)
def test_set_selector_parser_invalid(text: str, message: str, position: int) -> None:
    with pytest.raises(SelectorError) as info:
        parse_selector(text)
    assert str(info.value) == message
    assert (info.value.selector, info.value.position) == (text, position)


def test_parse_invalid_key_message() -> None:
    # parseKeyAndInferOperator validates the key against a nil path, which upstream prints as <nil>.
    with pytest.raises(SelectorError) as info:
        parse_selector("app=web,-tier in (fe)")
    assert str(info.value) == 'unable to parse requirement: <nil>: Invalid value: "-tier": name part ' + NAME_REGEX_MSG
    assert info.value.position == 8
    assert [e.field for e in info.value.errors] == ["<nil>"]
    with pytest.raises(SelectorError) as info:
        parse_selector("-tier", path="spec.selector")
    assert str(info.value).startswith('unable to parse requirement: spec.selector: Invalid value: "-tier"')


# TestAdd
def test_add() -> None:
    base = Selector([Requirement("key", "in", ["value"])])
    added = base.add(Requirement("key2", "=", ["value2"]))
    assert added.requirements == (Requirement("key", "in", ["value"]), Requirement("key2", "=", ["value2"]))
    assert base.requirements == (Requirement("key", "in", ["value"]),)  # Add copies
    assert str(Selector().add(Requirement("b", "exists"), Requirement("a", "!"))) == "!a,b"


# TestRequiresExactMatch
@pytest.mark.parametrize(
    ("selector", "label", "value"),
    [
        (sel(("key", "in", ["value"])), "key", "value"),
        (sel(("key", "in", ["value", "value2"])), "key", None),
        (sel(("key", "in", ["value", "value1"]), ("key2", "in", ["value2"])), "key2", "value2"),
        (sel(("key", "=", ["value"])), "key", "value"),
        (sel(("key", "==", ["value"])), "key", "value"),
        (sel(("key", "!=", ["value"])), "key", None),
        (sel(("key", "in", ["value"]), ("key2", "in", ["value2"])), "key", "value"),
    ],
)
def test_requires_exact_match(selector: Selector, label: str, value: str | None) -> None:
    assert selector.requires_exact_match(label) == value


# TestValidatedSelectorFromSet
def test_validated_selector_from_set() -> None:
    assert validated_selector_from_set({"key": "val"}) == Selector([Requirement("key", "=", ["val"])])
    value = "axahm2EJ8Phiephe2eixohbee9eGeiyees1thuozi1xoh0GiuH3diewi8iem7Nui"
    with pytest.raises(SelectorError) as info:
        validated_selector_from_set({"Key": value})
    assert str(info.value) == f'values[0][Key]: Invalid value: "{value}": must be no more than 63 characters'
    assert str(selector_from_set({"b": "2", "a": "1"})) == "a=1,b=2"  # no validation, sorted by key


def test_gt_lt_integers() -> None:
    # strconv.ParseInt(v, 10, 64): a sign and decimal digits only, within int64.
    gt = parse_selector("x>5")
    assert gt.matches({"x": "+6"})
    assert not gt.matches({"x": " 6"})
    assert not gt.matches({"x": "1_000"})
    assert not gt.matches({"x": "99999999999999999999"})  # out of int64 range: no match
    assert parse_selector("x<5").matches({"x": "-9223372036854775808"})
    with pytest.raises(SelectorError):
        parse_selector("x>-1")  # "-1" is not a valid label value


def test_values_and_immutability() -> None:
    r = Requirement("tier", Operator.IN, ["fe", "be", "fe"])
    assert r.values == ("fe", "be", "fe")  # as given (upstream ValuesUnsorted)
    assert str(r) == "tier in (be,fe,fe)"  # safeSort keeps duplicates
    assert parse_selector("tier in (fe,be,fe)").requirements[0].values == ("be", "fe")  # a parsed set
    assert repr(parse_selector("a=b")) == "Selector('a=b')"
    assert repr(NOTHING) == "Selector.nothing()"
    with pytest.raises(AttributeError):
        r.key = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        EVERYTHING._reqs = ()  # type: ignore[misc]
    assert len({parse_selector("a=b,c"), parse_selector("c,a=b")}) == 1
    assert NOTHING != EVERYTHING
    assert EVERYTHING.matches(None) and not parse_selector("a").matches(None) and parse_selector("!a").matches(None)


# === apis/meta/v1/helpers_test.go ================================================================================

MATCH_LABELS = {"foo": "bar"}
MATCH_EXPRESSIONS = [{"key": "baz", "operator": "In", "values": ["qux", "norf"]}]


# TestLabelSelectorAsSelector
@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (None, NOTHING),
        ({}, EVERYTHING),
        ({"matchLabels": MATCH_LABELS}, parse_selector("foo=bar")),
        ({"matchExpressions": MATCH_EXPRESSIONS}, parse_selector("baz in (norf,qux)")),
        (
            {"matchLabels": MATCH_LABELS, "matchExpressions": MATCH_EXPRESSIONS},
            parse_selector("baz in (norf,qux),foo=bar"),
        ),
        ({"matchLabels": {}, "matchExpressions": []}, EVERYTHING),
        (
            {
                "matchExpressions": [
                    {"key": "tier", "operator": "NotIn", "values": ["cache"]},
                    {"key": "canary", "operator": "DoesNotExist"},
                    {"key": "app", "operator": "Exists"},
                ]
            },
            parse_selector("app,!canary,tier notin (cache)"),
        ),
    ],
)
def test_label_selector_as_selector(obj: dict | None, expected: Selector) -> None:
    copy = None if obj is None else {k: list(v) if isinstance(v, list) else dict(v) for k, v in obj.items()}
    out = label_selector_as_selector(obj)
    assert str(out) == str(expected)  # upstream compares fmt.Sprint(out); values keep the object's order
    assert out.matches_nothing == expected.matches_nothing
    assert obj == copy  # the input is not modified


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        (
            {"matchExpressions": [{"key": "baz", "operator": "Exists", "values": ["qux", "norf"]}]},
            'values: Invalid value: []string{"qux", "norf"}: values set must be empty for exists and does not exist',
        ),
        (
            {"matchExpressions": [{"key": "baz", "operator": "In"}]},
            "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
        ),
        (
            {"matchExpressions": [{"key": "baz", "operator": "in", "values": ["a"]}]},
            '"in" is not a valid pod selector operator',
        ),
        ({"matchLabels": {"app": "web server"}}, 'values[0][app]: Invalid value: "web server": ' + VALUE_REGEX_MSG),
    ],
)
def test_label_selector_as_selector_errors(obj: dict, message: str) -> None:
    with pytest.raises(SelectorError) as info:
        label_selector_as_selector(obj)
    assert str(info.value) == message


def test_selector_to_label_selector() -> None:
    selector = parse_selector("app=web,tier in (fe,be),!canary,track")
    obj = selector_to_label_selector(selector)
    assert obj == {
        "matchLabels": {"app": "web"},
        "matchExpressions": [
            {"key": "canary", "operator": "DoesNotExist"},
            {"key": "tier", "operator": "In", "values": ["be", "fe"]},
            {"key": "track", "operator": "Exists"},
        ],
    }
    assert label_selector_as_selector(obj) == selector  # the same requirements back
    assert selector_to_label_selector(NOTHING) is None
    assert selector_to_label_selector(EVERYTHING) == {}
    with pytest.raises(SelectorError, match=re.escape('"gt" isn\'t supported in label selectors')):
        selector_to_label_selector(parse_selector("x>1"))
    with pytest.raises(SelectorError, match=re.escape('"!=" is not a valid label selector operator')):
        parse_to_label_selector("x!=1")
    with pytest.raises(SelectorError) as info:
        parse_to_label_selector("x,,y")
    assert str(info.value) == "couldn't parse the selector string \"x,,y\": found ',', expected: identifier after ','"


# === apis/meta/v1/validation/validation_test.go =================================================================


# TestValidateLabels (success cases)
@pytest.mark.parametrize(
    "labels",
    [
        {"simple": "bar"},
        {"now-with-dashes": "bar"},
        {"1-starts-with-num": "bar"},
        {"1234": "bar"},
        {"simple/simple": "bar"},
        {"now-with-dashes/simple": "bar"},
        {"now-with-dashes/now-with-dashes": "bar"},
        {"now.with.dots/simple": "bar"},
        {"now-with.dashes-and.dots/simple": "bar"},
        {"1-num.2-num/3-num": "bar"},
        {"1234/5678": "bar"},
        {"1.2.3.4/5678": "bar"},
        {"UpperCaseAreOK123": "bar"},
        {"goodvalue": "123_-.BaR"},
    ],
)
def test_validate_labels_success(labels: dict[str, str]) -> None:
    assert validate_labels(labels, "field") == []


# TestValidateLabels (error cases: exactly one error, whose detail contains the expected text)
@pytest.mark.parametrize(
    ("labels", "expect"),
    [
        ({"nospecialchars^=@": "bar"}, "name part must consist of"),
        ({"cantendwithadash-": "bar"}, "name part must consist of"),
        ({"only/one/slash": "bar"}, "a qualified name must consist of"),
        ({"a" * 254: "bar"}, "must be no more than"),
        ({"toolongvalue": "a" * 64}, "must be no more than"),
        ({"backslashesinvalue": "some\\bad\\value"}, "a valid label must be an empty string or consist of"),
        ({"nocommasallowed": "bad,value"}, "a valid label must be an empty string or consist of"),
        ({"strangecharsinvalue": "?#$notsogood"}, "a valid label must be an empty string or consist of"),
    ],
)
def test_validate_labels_errors(labels: dict[str, str], expect: str) -> None:
    errs = validate_labels(labels, "field")
    assert len(errs) == 1
    assert expect in errs[0].detail
    assert errs[0].field == "field"  # upstream points at the map, not at the key


LS_SUCCESS = [
    {
        "matchLabels": {"id": "app2", "id2": "app3"},
        "matchExpressions": [{"key": "foo", "operator": "In", "values": ["bar1", "bar2"]}],
    },
    {"matchExpressions": [{"key": "key2", "operator": "In", "values": ["value1", "value2"]}]},
    {"matchLabels": {"id": "app2"}},
    {
        "matchLabels": {"id": "app2", "id2": "app3"},
        "matchExpressions": [{"key": "foo", "operator": "NotIn", "values": ["bar1", "bar2"]}],
    },
    {"matchLabels": {"id": "app2"}, "matchExpressions": [{"key": "foo", "operator": "Exists"}]},
    {"matchLabels": {"id": "app2"}, "matchExpressions": [{"key": "foo", "operator": "DoesNotExist"}]},
    None,
]


# TestValidateLabelSelector (success cases)
@pytest.mark.parametrize("selector", LS_SUCCESS)
def test_validate_label_selector_success(selector: dict | None) -> None:
    assert validate_label_selector(selector, "field") == []


def _expr(key: str, operator: str, values: list[str] | None = None) -> dict:
    return {"key": key, "operator": operator, **({} if values is None else {"values": values})}


IN_BAR = [_expr("foo", "In", ["bar1", "bar2"])]


# TestValidateLabelSelector (matchLabel and matchExpression error cases: errs[0].Detail contains the text)
@pytest.mark.parametrize(
    ("selector", "expect"),
    [
        ({"matchLabels": {"ids^=@": "app2", "id2": "app3"}, "matchExpressions": IN_BAR}, "name part must consist of"),
        (
            {"matchLabels": {"only/one/slas": "app2", "id2": "app3"}, "matchExpressions": IN_BAR},
            "a qualified name must consist of",
        ),
        (
            {"matchLabels": {"only": "app2", "good": "app3=@"}, "matchExpressions": IN_BAR},
            "a valid label must be an empty string or consist of",
        ),
        ({"matchLabels": {"only": "app2", "good": "a" * 64}, "matchExpressions": IN_BAR}, "must be no more than"),
        (
            {"matchLabels": {"ids": "app2"}, "matchExpressions": [_expr("foo", "In", [])]},
            "must be specified when `operator` is 'In' or 'NotIn'",
        ),
        (
            {"matchLabels": {"only": "app2"}, "matchExpressions": [_expr("foo", "NotIn", [])]},
            "must be specified when `operator` is 'In' or 'NotIn'",
        ),
        (
            {"matchLabels": {"only": "app2"}, "matchExpressions": [_expr("foo", "Exists", ["bar1", "bar2"])]},
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ),
        (
            {"matchLabels": {"only": "app2"}, "matchExpressions": [_expr("foo", "DoesNotExist", ["bar1", "bar2"])]},
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ),
        (
            {"matchLabels": {"ids": "app2"}, "matchExpressions": [_expr("foo", "Out", ["bar1", "bar2"])]},
            "not a valid selector operator",
        ),
        (
            {"matchLabels": {"ids": "app2"}, "matchExpressions": [_expr("foo^=@", "In", ["bar1", "bar2"])]},
            "name part must consist of",
        ),
    ],
)
def test_validate_label_selector_errors(selector: dict, expect: str) -> None:
    errs = validate_label_selector(selector, "field")
    assert errs
    assert expect in errs[0].detail


def test_validate_label_selector_messages() -> None:
    selector = {
        "matchLabels": {"app": "web"},
        "matchExpressions": [
            _expr("tier", "In"),
            _expr("canary", "Exists", ["true"]),
            _expr("track", "Out", ["stable"]),
            _expr("zone", "In", ["us east"]),
        ],
    }
    assert [str(e) for e in validate_label_selector(selector, "spec.selector")] == [
        "spec.selector.matchExpressions[0].values: Required value: "
        "must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or "
        "'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Out": not a valid selector operator',
        'spec.selector.matchExpressions[3].values[0]: Invalid value: "us east": ' + VALUE_REGEX_MSG,
    ]
    # LabelSelectorValidationOptions{AllowInvalidLabelValueInSelector: true} skips only the value check.
    assert len(validate_label_selector(selector, "spec.selector", allow_invalid_label_value_in_selector=True)) == 3
    assert [str(e) for e in validate_labels({"-app": "web"}, "metadata.labels")] == [
        'metadata.labels: Invalid value: "-app": name part ' + NAME_REGEX_MSG
    ]


# === property: the string form of a selector means the same as the selector ====================================

KEYS = ["app", "tier", "env", "in", "notin", "example.com/role", "k8s.io/x_y", "a", "B-1"]
VALUES = ["", "a", "web", "fe", "be", "in", "notin", "0", "1", "7", "42", "x.y_z-1"]
INTS = ["0", "1", "7", "42", "100"]

keys = st.sampled_from(KEYS)
values = st.sampled_from(VALUES)
requirements = st.one_of(
    st.builds(Requirement, keys, st.sampled_from(["in", "notin"]), st.lists(values, min_size=1, max_size=4)),
    st.builds(Requirement, keys, st.sampled_from(["=", "==", "!="]), st.lists(values, min_size=1, max_size=1)),
    st.builds(Requirement, keys, st.sampled_from(["exists", "!"])),
    st.builds(
        Requirement, keys, st.sampled_from(["gt", "lt"]), st.lists(st.sampled_from(INTS), min_size=1, max_size=1)
    ),
)
selectors = st.builds(Selector, st.lists(requirements, max_size=5))
label_sets = st.dictionaries(keys, st.one_of(values, st.sampled_from(INTS)), max_size=6)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(selectors, st.lists(label_sets, min_size=1, max_size=12))
def test_string_form_round_trips(selector: Selector, samples: list[dict[str, str]]) -> None:
    reparsed = parse_selector(str(selector))
    for labels in samples:
        expected = all(r.matches(labels) for r in selector.requirements)  # the slow, per-requirement path
        assert selector.matches(labels) is expected
        assert reparsed.matches(labels) is expected
    assert str(parse_selector(str(reparsed))) == str(reparsed)
    obj = None
    try:
        obj = selector_to_label_selector(reparsed)
    except SelectorError:  # gt, lt and != have no API form
        assert any(r.operator in ("gt", "lt", "!=") for r in reparsed.requirements)
    equality_keys = [r.key for r in reparsed.requirements if r.operator in ("=", "==")]
    if obj is not None and len(equality_keys) == len(set(equality_keys)):
        # (upstream's ParseToLabelSelector keeps only the last of x=a,x=b: matchLabels is a map)
        assert validate_label_selector(obj, "spec.selector") == []
        back = label_selector_as_selector(obj)
        for labels in samples:
            assert back.matches(labels) is reparsed.matches(labels)
