"""IntOrString scaling, with cases from upstream's intstr_test.go (TestGetIntFromIntOrPercent and friends)."""

import pytest

from k8smodel.api.intstr import (
    IntOrStringError,
    int_or_percent_value,
    is_valid_percent,
    scaled_value_from_int_or_percent,
)


# staging/src/k8s.io/apimachinery/pkg/util/intstr/intstr_test.go: TestGetIntFromIntOrPercent
@pytest.mark.parametrize(
    ("value", "total", "round_up", "expected"),
    [
        (123, 0, False, 123),
        ("90%", 100, True, 90),
        ("90%", 95, True, 86),
        ("90%", 95, False, 85),
        # deployment_util_test.go TestResolveFenceposts: 39% of 10 is 3.9
        ("39%", 10, True, 4),
        ("39%", 10, False, 3),
        ("0%", 0, True, 0),
        ("25%", 1, True, 1),
        ("25%", 1, False, 0),
        ("+5%", 100, False, 5),
        ("100%", 7, False, 7),
        (-2, 10, True, -2),
    ],
)
def test_scaled_value(value, total, round_up, expected):
    assert scaled_value_from_int_or_percent(value, total, round_up) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("%", 'invalid value for IntOrString: invalid value "%": strconv.Atoi: parsing "": invalid syntax'),
        ("90#", "invalid value for IntOrString: invalid type: string is not a percentage"),
        (
            "#%",
            'invalid value for IntOrString: invalid value "#%": strconv.Atoi: parsing "#": invalid syntax',
        ),
        ("oops", "invalid value for IntOrString: invalid type: string is not a percentage"),
        ("5", "invalid value for IntOrString: invalid type: string is not a percentage"),
        (
            " 5%",
            'invalid value for IntOrString: invalid value " 5%": strconv.Atoi: parsing " 5": invalid syntax',
        ),
        (
            "1_0%",
            'invalid value for IntOrString: invalid value "1_0%": strconv.Atoi: parsing "1_0": invalid syntax',
        ),
        (
            "99999999999999999999%",
            'invalid value for IntOrString: invalid value "99999999999999999999%": '
            'strconv.Atoi: parsing "99999999999999999999": value out of range',
        ),
        (2.5, "invalid value for IntOrString: invalid type: neither int nor percentage"),
        (True, "invalid value for IntOrString: invalid type: neither int nor percentage"),
        (None, "nil value for IntOrString"),
    ],
)
def test_scaled_value_errors(value, message):
    with pytest.raises(IntOrStringError) as err:
        scaled_value_from_int_or_percent(value, 10, True)
    assert str(err.value) == message


def test_int_or_percent_value():
    assert int_or_percent_value(3) == (3, False)
    assert int_or_percent_value("25%") == (25, True)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("0%", True),
        ("25%", True),
        ("100%", True),
        ("1.5%", False),
        ("-1%", False),
        ("25", False),
        ("%", False),
    ],
)
def test_is_valid_percent(value, valid):
    assert is_valid_percent(value) is valid
