"""Readable forms of the values city projects are described by: partial dates and won."""

from decimal import Decimal

_SCALES = [
    (10**12, "trillion"),
    (10**9, "billion"),
    (10**6, "million"),
]


def format_won(amount):
    """1236000000000 -> '1.236 trillion won'; 37000000000 -> '37 billion won'."""
    if amount is None:
        return ""
    for size, word in _SCALES:
        if amount >= size:
            value = (Decimal(amount) / size).quantize(Decimal("0.001")).normalize()
            return f"{value:f} {word} won"
    return f"{amount:,} won"


def format_partial_date(value, precision):
    """A date shown only as exactly as it is known: 'July 2019', 'latter half of 2019'."""
    if value is None:
        return ""
    if precision == "day":
        return f"{value.day} {value:%B %Y}"
    if precision == "month":
        return f"{value:%B %Y}"
    if precision == "h1":
        return f"first half of {value.year}"
    if precision == "h2":
        return f"latter half of {value.year}"
    return str(value.year)
