"""resource.Quantity, with tables from upstream's quantity_test.go (each table names the Go test it comes from).

Upstream: staging/src/k8s.io/apimachinery/pkg/api/resource/quantity_test.go. Go's helpers map to the model as
``decQuantity(i, e, f)`` / ``intQuantity(i, e, f)`` -> ``Quantity.from_scaled(i, e, f)`` (the int64/inf.Dec
split is not observable), ``MustParse`` -> ``Quantity.parse``, ``Cmp`` -> ``cmp``/``==``.
"""

import copy
import math
import pickle
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8smodel.api.quantity import (
    BINARY_SI,
    DECIMAL_EXPONENT,
    DECIMAL_SI,
    ERR_FORMAT_WRONG,
    ERR_NUMERIC,
    ERR_SUFFIX,
    GIGA,
    MAX_INT64,
    MICRO,
    MILLI,
    NANO,
    Format,
    Quantity,
    QuantityError,
    _interpret,
    _parse_quantity_string,
    parse_quantity,
)

MOST_POSITIVE = 2**63 - 1
MOST_NEGATIVE = -(2**63)


def q(text: str) -> Quantity:
    return Quantity.parse(text)


def dec(value: int, exponent: int, fmt: Format = DECIMAL_SI) -> Quantity:
    """Upstream's test helpers decQuantity / intQuantity."""
    return Quantity.from_scaled(value, exponent, fmt)


def ceil_away(value: Fraction) -> int:
    magnitude = math.ceil(abs(value))
    return magnitude if value >= 0 else -magnitude


# ---------------------------------------------------------------------------------------------------------------
# The examples the issue names


@pytest.mark.parametrize(
    ("text", "printed", "fmt"),
    [
        ("100m", "100m", DECIMAL_SI),
        ("0.5", "500m", DECIMAL_SI),
        ("1.5Gi", "1536Mi", BINARY_SI),
        ("1e3", "1e3", DECIMAL_EXPONENT),
        ("129M", "129M", DECIMAL_SI),
        ("123Mi", "123Mi", BINARY_SI),
        ("0.0000000001", "1n", DECIMAL_SI),
        ("1.5", "1500m", DECIMAL_SI),  # the Quantity doc comment's own examples
        ("100.035Ki", "102435840m", BINARY_SI),  # not a whole number: printed in DecimalSI
        ("0.5Ki", "512", BINARY_SI),  # below 1024: printed in DecimalSI
    ],
)
def test_issue_examples(text, printed, fmt):
    parsed = q(text)
    assert str(parsed) == printed
    assert parsed.format is fmt
    assert q(printed) == parsed


# ---------------------------------------------------------------------------------------------------------------
# TestQuantityParse: the table, then the same with "-" and "+" in front, then the invalid list

PARSE_TABLE = [
    ("0", dec(0, 0, DECIMAL_SI)),
    ("0n", dec(0, 0, DECIMAL_SI)),
    ("0u", dec(0, 0, DECIMAL_SI)),
    ("0m", dec(0, 0, DECIMAL_SI)),
    ("0Ki", dec(0, 0, BINARY_SI)),
    ("0k", dec(0, 0, DECIMAL_SI)),
    ("0Mi", dec(0, 0, BINARY_SI)),
    ("0M", dec(0, 0, DECIMAL_SI)),
    ("0Gi", dec(0, 0, BINARY_SI)),
    ("0G", dec(0, 0, DECIMAL_SI)),
    ("0Ti", dec(0, 0, BINARY_SI)),
    ("0T", dec(0, 0, DECIMAL_SI)),
    # Quantity less numbers are allowed
    ("1", dec(1, 0, DECIMAL_SI)),
    # Binary suffixes
    ("1Ki", dec(1024, 0, BINARY_SI)),
    ("8Ki", dec(8 * 1024, 0, BINARY_SI)),
    ("7Mi", dec(7 * 1024**2, 0, BINARY_SI)),
    ("6Gi", dec(6 * 1024**3, 0, BINARY_SI)),
    ("5Ti", dec(5 * 1024**4, 0, BINARY_SI)),
    ("4Pi", dec(4 * 1024**5, 0, BINARY_SI)),
    ("3Ei", dec(3 * 1024**6, 0, BINARY_SI)),
    ("10Ti", dec(10 * 1024**4, 0, BINARY_SI)),
    ("100Ti", dec(100 * 1024**4, 0, BINARY_SI)),
    # Decimal suffixes
    ("5n", dec(5, -9, DECIMAL_SI)),
    ("4u", dec(4, -6, DECIMAL_SI)),
    ("3m", dec(3, -3, DECIMAL_SI)),
    ("9", dec(9, 0, DECIMAL_SI)),
    ("8k", dec(8, 3, DECIMAL_SI)),
    ("50k", dec(5, 4, DECIMAL_SI)),
    ("7M", dec(7, 6, DECIMAL_SI)),
    ("6G", dec(6, 9, DECIMAL_SI)),
    ("5T", dec(5, 12, DECIMAL_SI)),
    ("40T", dec(4, 13, DECIMAL_SI)),
    ("300T", dec(3, 14, DECIMAL_SI)),
    ("2P", dec(2, 15, DECIMAL_SI)),
    ("1E", dec(1, 18, DECIMAL_SI)),
    # Decimal exponents
    ("1E-3", dec(1, -3, DECIMAL_EXPONENT)),
    ("1e3", dec(1, 3, DECIMAL_EXPONENT)),
    ("1E6", dec(1, 6, DECIMAL_EXPONENT)),
    ("1e9", dec(1, 9, DECIMAL_EXPONENT)),
    ("1E12", dec(1, 12, DECIMAL_EXPONENT)),
    ("1e15", dec(1, 15, DECIMAL_EXPONENT)),
    ("1E18", dec(1, 18, DECIMAL_EXPONENT)),
    # Nonstandard but still parsable
    ("1e14", dec(1, 14, DECIMAL_EXPONENT)),
    ("1e13", dec(1, 13, DECIMAL_EXPONENT)),
    ("100.035k", dec(100035, 0, DECIMAL_SI)),
    # Things that look like floating point
    ("0.001", dec(1, -3, DECIMAL_SI)),
    ("0.0005k", dec(5, -1, DECIMAL_SI)),
    ("0.005", dec(5, -3, DECIMAL_SI)),
    ("0.05", dec(5, -2, DECIMAL_SI)),
    ("0.5", dec(5, -1, DECIMAL_SI)),
    ("0.00050k", dec(5, -1, DECIMAL_SI)),
    ("0.00500", dec(5, -3, DECIMAL_SI)),
    ("0.05000", dec(5, -2, DECIMAL_SI)),
    ("0.50000", dec(5, -1, DECIMAL_SI)),
    ("0.5e0", dec(5, -1, DECIMAL_EXPONENT)),
    ("0.5e-1", dec(5, -2, DECIMAL_EXPONENT)),
    ("0.5e-2", dec(5, -3, DECIMAL_EXPONENT)),
    ("10.035M", dec(10035, 3, DECIMAL_SI)),
    ("1.2e3", dec(12, 2, DECIMAL_EXPONENT)),
    ("1.3E+6", dec(13, 5, DECIMAL_EXPONENT)),
    ("1.40e9", dec(14, 8, DECIMAL_EXPONENT)),
    ("1.53E12", dec(153, 10, DECIMAL_EXPONENT)),
    ("1.6e15", dec(16, 14, DECIMAL_EXPONENT)),
    ("1.7E18", dec(17, 17, DECIMAL_EXPONENT)),
    ("9.01", dec(901, -2, DECIMAL_SI)),
    ("8.1k", dec(81, 2, DECIMAL_SI)),
    ("7.123456M", dec(7123456, 0, DECIMAL_SI)),
    ("6.987654321G", dec(6987654321, 0, DECIMAL_SI)),
    ("5.444T", dec(5444, 9, DECIMAL_SI)),
    ("40.1T", dec(401, 11, DECIMAL_SI)),
    ("300.2T", dec(3002, 11, DECIMAL_SI)),
    ("2.5P", dec(25, 14, DECIMAL_SI)),
    ("1.01E", dec(101, 16, DECIMAL_SI)),
    # Things that saturate/round
    ("3.001n", dec(4, -9, DECIMAL_SI)),
    ("1.1E-9", dec(2, -9, DECIMAL_EXPONENT)),
    ("0.0000000001", dec(1, -9, DECIMAL_SI)),
    ("0.0000000005", dec(1, -9, DECIMAL_SI)),
    ("0.00000000050", dec(1, -9, DECIMAL_SI)),
    ("0.5e-9", dec(1, -9, DECIMAL_EXPONENT)),
    ("0.9n", dec(1, -9, DECIMAL_SI)),
    ("0.00000012345", dec(124, -9, DECIMAL_SI)),
    ("0.00000012354", dec(124, -9, DECIMAL_SI)),
    ("9Ei", dec(MAX_INT64, 0, BINARY_SI)),
    ("9223372036854775807Ki", dec(MAX_INT64, 0, BINARY_SI)),
    ("12E", dec(12, 18, DECIMAL_SI)),
    # We'll accept fractional binary stuff, too.
    ("100.035Ki", dec(10243584, -2, BINARY_SI)),
    ("0.5Mi", dec(512 * 1024, 0, BINARY_SI)),
    ("0.05Gi", dec(536870912, -1, BINARY_SI)),
    ("0.025Ti", dec(274877906944, -1, BINARY_SI)),
    # Things written by trolls
    ("0.000000000001Ki", dec(2, -9, DECIMAL_SI)),  # rounds up, changes format
    (".001", dec(1, -3, DECIMAL_SI)),
    (".0001k", dec(100, -3, DECIMAL_SI)),
    ("1.", dec(1, 0, DECIMAL_SI)),
    ("1.G", dec(1, 9, DECIMAL_SI)),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_TABLE, ids=[t for t, _ in PARSE_TABLE])
def test_parse(text, expected):
    got = q(text)
    assert got.cmp(expected) == 0
    assert got.format is expected.format
    # verify that we can decompose the input and get the same result by building up from the base
    positive, _, num, denom, suffix = _parse_quantity_string(text)
    assert positive == (got.sign() >= 0)
    rebuilt = ("" if positive else "-") + num + ("." + denom if denom else "") + suffix
    assert q(rebuilt) == got


@pytest.mark.parametrize(("text", "expected"), PARSE_TABLE, ids=[t for t, _ in PARSE_TABLE])
def test_parse_signed(text, expected):
    # "Try the negative version of everything" and "Try everything with an explicit +"
    negative = q("-" + text)
    assert negative == -expected
    assert negative.format is expected.format
    positive = q("+" + text)
    assert positive == expected
    assert positive.format is expected.format


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", ERR_FORMAT_WRONG),  # expected empty string to return error
        ("1.1.M", ERR_FORMAT_WRONG),
        ("1+1.0M", ERR_FORMAT_WRONG),
        ("0.1mi", ERR_SUFFIX),
        ("0.1am", ERR_FORMAT_WRONG),
        ("aoeu", ERR_FORMAT_WRONG),
        (".5i", ERR_SUFFIX),
        ("1i", ERR_SUFFIX),
        ("-3.01i", ERR_SUFFIX),
        ("-3.01e-", ERR_SUFFIX),
        # an exponent outside the int32 scale is rejected rather than truncated (1e4294967297 would be 1e1)
        ("1e4294967297", ERR_SUFFIX),
        # trailing whitespace is forbidden
        (" 1", ERR_FORMAT_WRONG),
        ("1 ", ERR_FORMAT_WRONG),
        # TestQuantityParseNonNumericPanic
        ("Non-Numeric", ERR_FORMAT_WRONG),
        # the model's own: letters that are in the scanner's set but form no suffix, and no digits at all
        ("1K", ERR_SUFFIX),
        ("1Mb", ERR_FORMAT_WRONG),
        ("1e", ERR_SUFFIX),
        (".e-10", ERR_NUMERIC),  # decimal path: inf.Dec.SetString(".") reads no digits
        (".Ei", ERR_NUMERIC),
        ("1_000", ERR_FORMAT_WRONG),
        ("１", ERR_FORMAT_WRONG),  # a full-width digit is not '0'..'9'
    ],
)
def test_parse_errors(text, message):
    with pytest.raises(QuantityError) as err:
        q(text)
    assert err.value.message == message
    assert err.value.text == text
    assert str(err.value) == f"cannot parse '{text}': {message}"  # MustParse's panic text


def test_error_messages_are_upstreams():
    assert ERR_FORMAT_WRONG == (
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    )
    assert ERR_NUMERIC == "unable to parse numeric part of quantity"
    assert ERR_SUFFIX == "unable to parse quantity's suffix"
    assert issubclass(QuantityError, ValueError)


def test_parse_zero():
    # TestQuantityParseZero
    assert str(q("0")) == "0"
    assert str(q("-0")) == "0"
    assert str(q("00")) == "0"
    assert q(".") == q("0")  # the scanner reads "." as 0 (TestParseQuantityString)
    assert q(".Ti") == q("0")  # ... and so does the int64 fast path


# TestParseQuantityString
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.025Ti", (True, "0.025", "0", "025", "Ti")),
        ("1.025Ti", (True, "1.025", "1", "025", "Ti")),
        ("-1.025Ti", (False, "-1.025", "1", "025", "Ti")),
        (".", (True, ".", "0", "", "")),
        ("-.", (False, "-.", "0", "", "")),
        ("1E-3", (True, "1", "1", "", "E-3")),
    ],
)
def test_parse_quantity_string(text, expected):
    assert _parse_quantity_string(text) == expected


# TestInterpretExponentInt32Bounds
@pytest.mark.parametrize(
    ("suffix", "exponent"),
    [
        ("e14", 14),
        ("E2147483647", 2147483647),  # MaxInt32
        ("E-2147483647", -2147483647),  # -MaxInt32
        ("E2147483648", None),  # MaxInt32 + 1
        ("E-2147483648", None),  # MinInt32; -MinInt32 overflows int32
        ("E4294967297", None),  # 2^32 + 1
        ("E8589934592", None),  # 2^33
        ("E9223372036854775807", None),  # MaxInt64
        ("E9223372036854775808", None),  # MaxInt64 + 1, past int64
        ("E6024865272343", None),  # far past int32
    ],
)
def test_interpret_exponent_bounds(suffix, exponent):
    expected = None if exponent is None else (10, exponent, DECIMAL_EXPONENT)
    assert _interpret(suffix) == expected


# ---------------------------------------------------------------------------------------------------------------
# TestQuantityString (with TestQuantityStringBelowNano, TestBinarySIZeroExponentString)

STRING_TABLE = [
    (dec(1024**3, 0, BINARY_SI), "1Gi", "1024Mi"),
    (dec(300 * 1024**2, 0, BINARY_SI), "300Mi", "307200Ki"),
    (dec(6 * 1024, 0, BINARY_SI), "6Ki", ""),
    (dec(1001 * 1024**3, 0, BINARY_SI), "1001Gi", "1025024Mi"),
    (dec(1024**4, 0, BINARY_SI), "1Ti", "1024Gi"),
    (dec(5, 0, BINARY_SI), "5", "5000m"),
    (dec(500, -3, BINARY_SI), "500m", "0.5"),
    (dec(1, 9, DECIMAL_SI), "1G", "1000M"),
    (dec(1000, 6, DECIMAL_SI), "1G", "0.001T"),
    (dec(1000000, 3, DECIMAL_SI), "1G", ""),
    (dec(1000000000, 0, DECIMAL_SI), "1G", ""),
    (dec(1, -3, DECIMAL_SI), "1m", "1000u"),
    (dec(80, -3, DECIMAL_SI), "80m", ""),
    (dec(1080, -3, DECIMAL_SI), "1080m", "1.08"),
    (dec(108, -2, DECIMAL_SI), "1080m", "1080000000n"),
    (dec(10800, -4, DECIMAL_SI), "1080m", ""),
    (dec(300, 6, DECIMAL_SI), "300M", ""),
    (dec(1, 12, DECIMAL_SI), "1T", ""),
    # DecimalSI has no suffix beyond "E": exponent notation instead of dropping the magnitude (#140459)
    (dec(1, 18, DECIMAL_SI), "1E", ""),
    (dec(1, 21, DECIMAL_SI), "1e21", "1000E"),
    (dec(5, 21, DECIMAL_SI), "5e21", "5000E"),
    (dec(1, 24, DECIMAL_SI), "1e24", "1000000E"),
    # BinarySI has no suffix beyond "Ei": an exact decimal representation
    (dec(1, 70, BINARY_SI), "10e69", ""),
    (dec(2, 70, BINARY_SI), "20e69", ""),
    (dec(1, 72, BINARY_SI), "1e72", ""),
    (dec(1234567, 6, DECIMAL_SI), "1234567M", ""),
    (dec(1234567, -3, BINARY_SI), "1234567m", ""),
    (dec(3, 3, DECIMAL_SI), "3k", ""),
    (dec(1025, 0, BINARY_SI), "1025", ""),
    (dec(0, 0, DECIMAL_SI), "0", ""),
    (dec(0, 0, BINARY_SI), "0", ""),
    (dec(1, 9, DECIMAL_EXPONENT), "1e9", ".001e12"),
    (dec(1, -3, DECIMAL_EXPONENT), "1e-3", "0.001e0"),
    (dec(1, -9, DECIMAL_EXPONENT), "1e-9", "1000e-12"),
    (dec(80, -3, DECIMAL_EXPONENT), "80e-3", ""),
    (dec(300, 6, DECIMAL_EXPONENT), "300e6", ""),
    (dec(1, 12, DECIMAL_EXPONENT), "1e12", ""),
    (dec(1, 3, DECIMAL_EXPONENT), "1e3", ""),
    (dec(3, 3, DECIMAL_EXPONENT), "3e3", ""),
    (dec(0, 0, DECIMAL_EXPONENT), "0", "00"),
    (dec(1, -9, DECIMAL_SI), "1n", ""),
    (dec(80, -9, DECIMAL_SI), "80n", ""),
    (dec(1080, -9, DECIMAL_SI), "1080n", ""),
    (dec(108, -8, DECIMAL_SI), "1080n", ""),
    (dec(10800, -10, DECIMAL_SI), "1080n", ""),
    (dec(1, -6, DECIMAL_SI), "1u", ""),
    (dec(80, -6, DECIMAL_SI), "80u", ""),
    (dec(1080, -6, DECIMAL_SI), "1080u", ""),
]


@pytest.mark.parametrize(("value", "expect", "alternate"), STRING_TABLE, ids=[e for _, e, _ in STRING_TABLE])
def test_string(value, expect, alternate):
    assert str(value) == expect
    assert value.string() == expect
    assert "".join(value.canonicalize()) == expect
    assert str(q(expect)) == expect
    if alternate:
        assert str(q(alternate)) == expect
    if not value.is_zero():
        assert str(-value) == "-" + expect  # and never "-0"


@pytest.mark.parametrize(
    ("value", "expect"),
    [
        # TestQuantityStringBelowNano: not reachable by parsing, which rounds up to 1n
        (dec(1, -12, DECIMAL_SI), "1e-12"),
        (dec(1, -10, DECIMAL_SI), "100e-12"),
        # TestBinarySIZeroExponentString
        (dec(2000, 0, BINARY_SI), "2000"),
        (dec(-2000, 0, BINARY_SI), "-2000"),
    ],
)
def test_string_edges(value, expect):
    assert str(value) == expect


def test_parsed_text_is_kept_when_canonical():
    # String() returns the parsed text when the int64 fast path found it canonical (the q.s cache).
    assert str(q("1E3")) == "1E3"
    assert str(q("+1")) == "+1"
    assert str(q("1025Ki")) == "1025Ki"
    assert str(q("1.234k")) == "1.234k"  # the check looks at the digits and the scale, not at the "."
    assert str(q("100.035k")) == "100.035k"
    assert q("1.234k").canonicalize() == ("1234", "")
    # ... and the canonical form when not: a multiple of 1000, a leading zero, an exponent not a multiple of 3
    assert str(q("1000m")) == "1"
    assert str(q("1.0e3")) == "1e3"
    assert str(q("8Ki")) == "8Ki"
    assert q("1E3").canonicalize() == ("1", "e3")
    # arithmetic drops the cached text, as upstream's Add and Sub clear q.s
    assert str(q("+1") + q("0")) == "1"


# TestQuantityParseEmit
@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("1Ki", "1Ki"),
        ("1Mi", "1Mi"),
        ("1Gi", "1Gi"),
        ("1024Mi", "1Gi"),
        ("1000M", "1G"),
        (".001Ki", "1024m"),
        (".000001Ki", "1024u"),
        (".000000001Ki", "1024n"),
        (".000000000001Ki", "2n"),
    ],
)
def test_parse_emit(text, expect):
    assert str(q(text)) == expect
    assert str(q("-" + text)) == "-" + expect


# TestParseQuantity (the 18/19/20-digit and int64-boundary table; "canonical" defaults to the input)
@pytest.mark.parametrize(
    ("text", "value", "canonical"),
    [
        ("-999999999999999999", Decimal("-999999999999999999"), ""),
        ("999999999999999999.0", Decimal("999999999999999999"), "999999999999999999"),
        ("999999999999999999.1", Decimal("999999999999999999.1"), "999999999999999999100m"),
        ("9999999999999999999", Decimal("9999999999999999999"), ""),
        ("-1E", Decimal("-1000000000000000000"), ""),
        ("1000000000000000000", Decimal("1000000000000000000"), "1E"),
        ("1.0E", Decimal("1000000000000000000"), "1E"),
        ("9999999999999999999000m", Decimal("9999999999999999999"), "9999999999999999999"),
        ("-1.0000000000000000001E", Decimal("-1000000000000000000.1"), "-1000000000000000000100m"),
        # 19 digits now take the int64 path (#141938), whose canonical-text check keeps this input as written
        ("1.000000000000000001E", Decimal("1000000000000000001"), "1.000000000000000001E"),
        ("1.0000000000000000001E", Decimal("1000000000000000000.1"), "1000000000000000000100m"),
        ("10E", Decimal("10000000000000000000"), ""),
        ("-10000000000000000000000m", Decimal("-10000000000000000000"), "-10E"),
        ("10.0000000000000000001E", Decimal("10000000000000000000.1"), "10000000000000000000100m"),
        ("-9223372036854775809", Decimal("-9223372036854775809"), ""),
        ("9223372036854775806000m", Decimal("9223372036854775806"), "9223372036854775806"),
        ("-9223372036854775808", Decimal("-9223372036854775808"), ""),
        ("9223372036854775807.1", Decimal("9223372036854775807.1"), "9223372036854775807100m"),
    ],
)
def test_parse_big(text, value, canonical):
    got = q(text)
    assert got.as_dec() == value
    assert str(got) == (canonical or text)


# ---------------------------------------------------------------------------------------------------------------
# Value, MilliValue, ScaledValue, RoundUp


# TestNegativeValueRoundsAwayFromZero (#110653, fixed by #138510)
@pytest.mark.parametrize(
    ("text", "value", "milli"),
    [
        ("-.484785E-7466", -1, -1),
        (".484785E-7466", 1, 1),
        ("-.484785E-1", -1, -49),
        (".484785E-1", 1, 49),
        ("-0.0005", -1, -1),
        ("0.0005", 1, 1),
        ("-1500m", -2, -1500),
        ("1500m", 2, 1500),
        ("-9.5000000001Gi", -10200547329, -10200547328108),  # exact value is -10200547328.1073741824
        ("9.5000000001Gi", 10200547329, 10200547328108),
        ("-1", -1, -1000),
        ("1", 1, 1000),
        ("0", 0, 0),
        # the model's own: whole memory sizes and sub-milli CPU
        ("128Mi", 134217728, 134217728000),
        ("1n", 1, 1),
        ("-1n", -1, -1),
        ("12E", 12 * 10**18, 12 * 10**21),  # exact: no int64 overflow in the model
    ],
)
def test_value_and_milli_value(text, value, milli):
    assert q(text).value() == value
    assert q(text).milli_value() == milli


# TestScaledValue
@pytest.mark.parametrize(
    ("from_scale", "to_scale", "expected"),
    [
        (NANO, NANO, 1),
        (NANO, MICRO, 1),
        (NANO, MILLI, 1),
        (NANO, 0, 1),
        (MICRO, NANO, 1000),
        (MICRO, MICRO, 1),
        (MICRO, MILLI, 1),
        (MICRO, 0, 1),
        (MILLI, NANO, 1000 * 1000),
        (MILLI, MICRO, 1000),
        (MILLI, MILLI, 1),
        (MILLI, 0, 1),
        (0, NANO, 1000 * 1000 * 1000),
        (0, MICRO, 1000 * 1000),
        (0, MILLI, 1000),
        (0, 0, 1),
        (2, -2, 100 * 100),
    ],
)
def test_scaled_value(from_scale, to_scale, expected):
    assert Quantity.from_scaled(1, from_scale).scaled_value(to_scale) == expected


def test_value_of_an_enormous_quantity_is_refused():
    with pytest.raises(OverflowError):
        q("1e2147483647").value()


# TestQuantityRoundUp
@pytest.mark.parametrize(
    ("text", "scale", "expected", "exact"),
    [
        ("9.01", -3, dec(901, -2), True),
        ("9.01", -2, dec(901, -2), True),
        ("9.01", -1, dec(91, -1), False),
        ("9.01", 0, dec(10, 0), False),
        ("9.01", 1, dec(10, 0), False),
        ("9.01", 2, dec(100, 0), False),
        ("-9.01", -3, dec(-901, -2), True),
        ("-9.01", -2, dec(-901, -2), True),
        ("-9.01", -1, dec(-91, -1), False),
        ("-9.01", 0, dec(-10, 0), False),
        ("-9.01", 1, dec(-10, 0), False),
        ("-9.01", 2, dec(-100, 0), False),
    ],
)
def test_round_up(text, scale, expected, exact):
    rounded, ok = q(text).round_up(scale)
    assert ok is exact
    assert rounded == expected


# ---------------------------------------------------------------------------------------------------------------
# Constructors: TestMilliNewSet, TestNewSet, TestNewScaledSet


@pytest.mark.parametrize(
    ("value", "fmt", "expect", "exact"),
    [
        (1, DECIMAL_SI, "1m", True),
        (1000, DECIMAL_SI, "1", True),
        (1234000, DECIMAL_SI, "1234", True),
        (1024, BINARY_SI, "1024m", False),  # Format changes
        (1000000, DECIMAL_EXPONENT, "1e3", True),
        (1024 * 1024, BINARY_SI, "1048576m", False),  # Format changes
    ],
)
def test_from_milli(value, fmt, expect, exact):
    made = Quantity.from_milli(value, fmt)
    assert str(made) == expect
    if exact:
        assert q(str(made)).milli_value() == value


@pytest.mark.parametrize(
    ("value", "fmt", "expect"),
    [
        (1, DECIMAL_SI, "1"),
        (1000, DECIMAL_SI, "1k"),
        (1234000, DECIMAL_SI, "1234k"),
        (1024, BINARY_SI, "1Ki"),
        (1000000, DECIMAL_EXPONENT, "1e6"),
        (1024 * 1024, BINARY_SI, "1Mi"),
    ],
)
def test_from_int(value, fmt, expect):
    made = Quantity.from_int(value, fmt)
    assert str(made) == expect
    assert q(str(made)).value() == value


@pytest.mark.parametrize(
    ("value", "scale", "expect"),
    [
        (1, NANO, "1n"),
        (1000, NANO, "1u"),
        (1, MICRO, "1u"),
        (1000, MICRO, "1m"),
        (1, MILLI, "1m"),
        (1000, MILLI, "1"),
        (1, 0, "1"),
        (0, NANO, "0"),
        (0, MICRO, "0"),
        (0, MILLI, "0"),
        (0, 0, "0"),
    ],
)
def test_from_scaled(value, scale, expect):
    made = Quantity.from_scaled(value, scale)
    assert str(made) == expect
    assert q(str(made)).scaled_value(scale) == value


def test_constructor_arguments():
    assert Quantity.from_int(3, "BinarySI").format is BINARY_SI  # a format's upstream name works too
    assert Quantity("100m") == q("100m") == parse_quantity("100m")
    with pytest.raises(QuantityError, match='unsupported quantity format "invalidFormat"'):
        Quantity.from_int(1, "invalidFormat")  # upstream would print it as DecimalExponent
    with pytest.raises(TypeError, match=r"value must be an int, not float 1\.5"):
        Quantity.from_int(1.5)
    with pytest.raises(TypeError):
        Quantity.from_milli(True)
    with pytest.raises(TypeError, match="parsed from a str, not int 5"):
        Quantity.parse(5)


@pytest.mark.parametrize(
    ("value", "expect"),
    [(0.1, "100m"), (0.5, "500m"), (2.0, "2"), (-1.5, "-1500m"), (1e-12, "1n"), (-1e-12, "-1n"), (3, "3")],
)
def test_from_float(value, expect):
    assert str(Quantity.from_float(value)) == expect


def test_from_float_refuses_nan():
    with pytest.raises(QuantityError, match="finite number, not nan"):
        Quantity.from_float(float("nan"))


# ---------------------------------------------------------------------------------------------------------------
# Comparison: TestQuantityCmp, TestQuantityCmpInt64AndDec


@pytest.mark.parametrize(
    ("x", "y", "expect"),
    [("0", "0", 0), ("100m", "50m", 1), ("50m", "100m", -1), ("10000T", "100Gi", 1)],
)
def test_cmp(x, y, expect):
    assert q(x).cmp(q(y)) == expect


@pytest.mark.parametrize(
    ("a", "b", "expect"),
    [
        (dec(901, -2), dec(901, -2), 0),
        (dec(90, -1), dec(901, -2), -1),
        (dec(901, -2), dec(900, -2), 1),
        (dec(0, 0), dec(0, 0), 0),
        (dec(0, 1), dec(0, -1), 0),
        (dec(0, -1), dec(0, 1), 0),
        (dec(800, -3), dec(1, 0), -1),
        (dec(800, -3), dec(79, -2), 1),
        (dec(MOST_POSITIVE, 0), dec(1, -1), 1),
        (dec(MOST_POSITIVE, 1), dec(1, 0), 1),
        (dec(MOST_POSITIVE, 1), dec(1, 1), 1),
        (dec(MOST_POSITIVE, 1), dec(0, 1), 1),
        (dec(MOST_POSITIVE, -16), dec(1, 3), -1),
        (dec(MOST_NEGATIVE, 0), dec(0, 0), -1),
        (dec(MOST_NEGATIVE, -18), dec(-1, 0), -1),
        (dec(MOST_NEGATIVE, -19), dec(-1, 0), 1),
        (dec(10**18, -17), dec(1, 1), 0),
        (dec(10**18, -17), dec(-10, 0), 1),
        (dec(-(10**18), -17), dec(-10, 0), 0),
        (dec(10**18, -17), dec(1, 0), 1),
        (dec(10**18 + 1, -17), dec(1, 1), 1),
        (dec(10**18 - 1, -17), dec(1, 1), -1),
        # the model's own: exponents far apart are settled by orders of magnitude
        (q("1e2147483647"), q("9999999999999999999999"), 1),
        (q("-1e2147483647"), q("1"), -1),
        (q("1e-2147483647"), q("1n"), 0),  # rounded up to 1n at parse time
    ],
)
def test_cmp_across_scales(a, b, expect):
    assert a.cmp(b) == expect
    assert b.cmp(a) == -expect
    assert (a == b) is (expect == 0)
    assert (a < b) is (expect < 0)
    assert (a <= b) is (expect <= 0)
    assert (a > b) is (expect > 0)
    assert (a >= b) is (expect >= 0)


def test_equality_ignores_format_and_hash_agrees():
    assert q("1Ki") == q("1024") == q("1.024k") == q("1024e0")
    assert len({q("1Ki"), q("1024"), q("1.024k"), q("1024000m")}) == 1
    assert q("1Ki") != q("1k")
    assert q("100m") != "100m"  # a quantity is not its string
    assert sorted([q("1Gi"), q("500m"), q("1G"), q("-1")]) == [q("-1"), q("500m"), q("1G"), q("1Gi")]
    with pytest.raises(TypeError):
        _ = q("1") < 1


# ---------------------------------------------------------------------------------------------------------------
# Arithmetic: TestAdd, TestSub, TestMul, TestQuantityNeg, TestNeg and the zero-suffix tests


@pytest.mark.parametrize(
    ("a", "b", "expected", "fmt"),
    [
        (dec(10, 0, DECIMAL_SI), dec(1, 1, DECIMAL_SI), dec(20, 0), DECIMAL_SI),
        (dec(10, 0, DECIMAL_SI), dec(1, 0, BINARY_SI), dec(11, 0), DECIMAL_SI),
        (dec(10, 0, BINARY_SI), dec(1, 0, DECIMAL_SI), dec(11, 0), BINARY_SI),
        (dec(0, 0, DECIMAL_SI), dec(50, 0, DECIMAL_SI), dec(50, 0), DECIMAL_SI),
        (dec(50, 0, DECIMAL_SI), dec(0, 0, DECIMAL_SI), dec(50, 0), DECIMAL_SI),
        (dec(0, 0, DECIMAL_SI), dec(0, 0, DECIMAL_SI), dec(0, 0), DECIMAL_SI),
    ],
)
def test_add(a, b, expected, fmt):
    assert a + b == expected
    assert (a + b).format is fmt


@pytest.mark.parametrize(
    ("a", "b", "expected", "fmt"),
    [
        (dec(10, 0, DECIMAL_SI), dec(1, 1, DECIMAL_SI), dec(0, 0), DECIMAL_SI),
        (dec(10, 0, DECIMAL_SI), dec(1, 0, BINARY_SI), dec(9, 0), DECIMAL_SI),
        (dec(10, 0, BINARY_SI), dec(1, 0, DECIMAL_SI), dec(9, 0), BINARY_SI),
        (dec(0, 0, DECIMAL_SI), dec(50, 0, DECIMAL_SI), dec(-50, 0), DECIMAL_SI),
        (dec(50, 0, DECIMAL_SI), dec(0, 0, DECIMAL_SI), dec(50, 0), DECIMAL_SI),
        (dec(0, 0, DECIMAL_SI), dec(0, 0, DECIMAL_SI), dec(0, 0), DECIMAL_SI),
        # TestSubMostNegativeCrossScale, TestNegAndSubAtMostNegative: no int64 wrap-around
        (dec(1, 1), dec(MOST_NEGATIVE, 0), q("9223372036854775818"), DECIMAL_SI),
        (dec(1, 0), dec(MOST_NEGATIVE, 0), q("9223372036854775809"), DECIMAL_SI),
        (dec(1, MILLI), dec(MOST_NEGATIVE, MILLI), q("9223372036854775809m"), DECIMAL_SI),
    ],
)
def test_sub(a, b, expected, fmt):
    assert a - b == expected
    assert (a - b).format is fmt


def test_sub_most_negative_prints_exactly():
    assert str(dec(1, 1) - dec(MOST_NEGATIVE, 0)) == "9223372036854775818"
    assert str(-dec(MOST_NEGATIVE, MILLI)) == "9223372036854775808m"
    # TestZeroSubMostNegativeInheritsFormat: the zero receiver takes BinarySI, and 2^63 is 8Ei
    result = q("0") - dec(MOST_NEGATIVE, 0, BINARY_SI)
    assert result.format is BINARY_SI
    assert str(result) == "8Ei"
    assert result == q("9223372036854775808")
    assert q("8Ei") == dec(MAX_INT64, 0)  # ... while parsing 8Ei caps it (#140674)


@pytest.mark.parametrize(
    ("a", "factor", "expected"),
    [
        (dec(10, 0), 10, dec(100, 0)),
        (dec(10, 0), 1, dec(10, 0)),
        (dec(10, 0, BINARY_SI), 1, dec(10, 0, BINARY_SI)),
        (dec(0, 0), 50, dec(0, 0)),
        (dec(50, 0), 0, dec(0, 0)),
        (dec(10, 0), -10, dec(-100, 0)),
        (dec(-50, 0), -50, dec(2500, 0)),
        (dec(MOST_POSITIVE, 0), 2, dec(MOST_POSITIVE * 2, 0)),
        (dec(MOST_POSITIVE, 0), 10, dec(MOST_POSITIVE, 1)),
        (dec(MOST_NEGATIVE, 0), -1, dec(MOST_POSITIVE + 1, 0)),
        (dec(MOST_NEGATIVE, 0), -10, dec(MOST_POSITIVE + 1, 1)),
    ],
)
def test_mul(a, factor, expected):
    assert a * factor == expected
    assert factor * a == expected
    assert (a * factor).format is a.format


@pytest.mark.parametrize(
    ("a", "expected", "printed"),
    [
        (dec(901, -2, DECIMAL_SI), dec(-901, -2), "-9010m"),  # TestQuantityNeg
        (dec(0, 0, DECIMAL_SI), dec(0, 0), "0"),  # TestNeg
        (dec(10, 0, BINARY_SI), dec(-10, 0, BINARY_SI), "-10"),
        (dec(-10, 0, BINARY_SI), dec(10, 0, BINARY_SI), "10"),
    ],
)
def test_neg(a, expected, printed):
    negated = -a
    assert negated == expected
    assert negated.format is a.format
    assert str(negated) == printed
    assert -negated == a


@pytest.mark.parametrize("text", ["100m", "1Gi"])
def test_add_and_sub_zero_preserve_suffix(text):
    # TestQuantityAddZeroPreservesSuffix, TestQuantitySubZeroPreservesSuffix
    value, zero = q(text), q("0")
    assert str(value + zero) == text
    assert str(zero + value) == text
    assert str(value - zero) == text
    assert str(zero - value) == str(-value) == "-" + text


def test_canonicalize_zero():
    # TestQuantityCanocicalizeZero: 1000m - 1 is "0", never "0m"
    assert str(q("1000m") - q("1")) == "0"


def test_binary_si_past_ei():
    # TestBinarySIPastEiArithmeticRoundTrip: 2^70 has no binary suffix; it prints its exact decimal digits
    grown = q("1Ei") * 1024
    assert str(grown) == "1180591620717411303424"
    assert q(str(grown)) == grown


def test_sum_of_requests():
    requests = [q("100m"), q("250m"), q("1"), q("0.5")]
    assert sum(requests) == q("1850m")
    assert str(sum(requests)) == "1850m"
    memory = [q("128Mi"), q("1Gi"), q("512Mi")]
    assert str(sum(memory, q("0"))) == "1664Mi"


def test_immutable():
    value = q("100m")
    with pytest.raises(AttributeError, match="immutable"):
        value._coef = 5
    with pytest.raises(AttributeError):
        del value._format
    assert copy.copy(value) is value
    assert copy.deepcopy(value) is value
    restored = pickle.loads(pickle.dumps(q("1.5Gi")))
    assert restored == q("1.5Gi")
    assert restored.format is BINARY_SI
    assert str(restored) == "1536Mi"


def test_exact_views():
    assert q("500m").as_dec() == Decimal("0.5")
    assert q("1G").as_dec() == Decimal(10**9)
    assert q("1.5Gi").as_fraction() == Fraction(3 * 2**29)
    assert q("1n").as_fraction() == Fraction(1, 10**9)
    assert float(q("1.5")) == 1.5
    assert float(q("1e2147483647")) == math.inf
    assert repr(q("0.5")) == "Quantity('500m')"
    assert not q("0m")
    assert q("-1n")
    assert (q("-2").sign(), q("0").sign(), q("3m").sign()) == (-1, 0, 1)
    assert abs(q("-1.5Gi")) == q("1.5Gi")


# ---------------------------------------------------------------------------------------------------------------
# Property tests

SUFFIXES = ["", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]

quantity_texts = st.builds(
    lambda sign, whole, fraction, suffix: f"{sign}{whole}{fraction}{suffix}",
    st.sampled_from(["", "-", "+"]),
    st.integers(min_value=0, max_value=10**22),
    st.one_of(st.just(""), st.from_regex(r"\.[0-9]{0,12}", fullmatch=True)),
    st.one_of(
        st.sampled_from(SUFFIXES),
        st.builds(lambda e, n: f"{e}{n}", st.sampled_from(["e", "E"]), st.integers(min_value=-30, max_value=30)),
    ),
)
quantities = quantity_texts.map(Quantity.parse)


@given(quantity_texts)
def test_round_trip(text):
    """TestQuantityParse's round trip, for any text: parse(str(q)) == q, and printing is idempotent."""
    parsed = q(text)
    printed = str(parsed)
    assert q(printed) == parsed
    assert str(q(printed)) == printed


@given(quantities)
def test_values_round_away_from_zero(value):
    exact = value.as_fraction()
    assert value.value() == ceil_away(exact)
    assert value.milli_value() == ceil_away(exact * 1000)
    assert value.scaled_value(GIGA) == ceil_away(exact / 10**9)
    assert abs(value.milli_value()) >= abs(value.value()) * 1000 - 999


@given(quantities)
def test_parse_rounds_up_to_a_nano(value):
    # every parsed quantity is a whole number of nano-units, and BinarySI never exceeds 2^63-1
    assert (value.as_fraction() * 10**9).denominator == 1
    if value.format is BINARY_SI:
        assert abs(value) <= dec(MAX_INT64, 0)


@given(quantities, quantities)
def test_arithmetic_is_exact(a, b):
    # TestAddSubRoundTrip, TestNegateRoundTrip
    assert (a + b) - b == a
    assert a + b == b + a
    assert (a + b).as_fraction() == a.as_fraction() + b.as_fraction()
    negated = -a
    assert -negated == a
    assert a.cmp(b) == (a.as_fraction() > b.as_fraction()) - (a.as_fraction() < b.as_fraction())
    if a == b:
        assert hash(a) == hash(b)


@given(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.integers(min_value=NANO, max_value=40),
    st.sampled_from([DECIMAL_SI, DECIMAL_EXPONENT]),
)
def test_from_scaled_round_trip(value, scale, fmt):
    made = Quantity.from_scaled(value, scale, fmt)
    assert q(str(made)) == made


@given(st.integers(min_value=-MAX_INT64, max_value=MAX_INT64), st.sampled_from(list(Format)))
def test_from_int_round_trip(value, fmt):
    # TestNewSet: Value() of the re-parsed string is the int we started from
    assert q(str(Quantity.from_int(value, fmt))).value() == value
    assert q(str(Quantity.from_milli(value, fmt))).milli_value() == value
