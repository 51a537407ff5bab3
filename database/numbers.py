"""One parser for whole numbers that arrive as text: query strings, form fields, CSV cells.

`str.isdigit()` is true for '²' and '٣', which `int()` refuses or reads, and nothing bounds a
digit string: `?page=10^20` reached SQLite as an integer it cannot hold. Every number a request
carries goes through `whole_number` instead.
"""

import re

ASCII_DIGITS = re.compile(r"[0-9]{1,16}")
LARGEST = 2**53  # exact in JavaScript and JSON readers, far below SQLite's 64-bit limit


def whole_number(text: object, *, minimum: int = 0, maximum: int = LARGEST) -> int | None:
    """The integer `text` spells in ASCII digits within [minimum, maximum], else None."""
    if isinstance(text, bool) or not isinstance(text, str | int):
        return None
    if isinstance(text, str):
        if not ASCII_DIGITS.fullmatch(text.strip()):
            return None
        text = int(text.strip())
    return text if minimum <= text <= maximum else None
