"""The one parser for numbers that arrive as text."""

import pytest

from database.numbers import LARGEST, whole_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0", 0),
        ("42", 42),
        (" 7 ", 7),
        (12, 12),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("1e3", None),
        ("", None),
        ("1" * 17, None),
        (str(LARGEST + 1), None),
        (True, None),
        (1.5, None),
        (None, None),
    ],
)
def test_whole_number_accepts_ascii_digits_within_bounds_only(text, expected):
    assert whole_number(text) == expected


def test_whole_number_bounds():
    assert whole_number("0", minimum=1) is None
    assert whole_number("5", maximum=4) is None
    assert whole_number("4", minimum=1, maximum=4) == 4
