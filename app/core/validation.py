"""Small shared validators (server side) used by forms, the CLI and operations."""

import re
from datetime import date, datetime

CITIZEN_ID_RE = re.compile(r"^\d{12}$")
PHONE_RE = re.compile(r"^\+?[0-9 .\-]{8,15}$")
#: A whole number as typed: an optional sign and ASCII digits ("٣", "²" and "1_000" are not numbers here,
#: though int() takes the first and the last).
WHOLE_RE = re.compile(r"[+-]?[0-9]+")

#: What an INTEGER column holds (PostgreSQL's int4): every id, count, version and number of days in the
#: schema is one. A number outside it must never reach a query: PostgreSQL raises NumericValueOutOfRange
#: and SQLite OverflowError beyond 2**63 - 1, both a 500.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def is_citizen_id(value: str | None) -> bool:
    """A CCCD number: exactly 12 digits."""
    return bool(CITIZEN_ID_RE.match(value or ""))


def is_phone(value: str | None) -> bool:
    return bool(PHONE_RE.match(value or ""))


def parse_int(value: object) -> int | None:
    """The whole number written in ``value`` (ASCII digits, an optional sign, spaces around), however
    large; None for anything else. Check the range before use (``in_int_range``, ``parse_id``).

    A number of more than 30 digits comes back as ±10**30: out of every range, without asking int() to
    read thousands of digits (it refuses past 4300).
    """
    text = value.strip() if isinstance(value, str) else ("" if value is None else str(value))
    if not WHOLE_RE.fullmatch(text):
        return None
    digits = text.lstrip("+-").lstrip("0") or "0"
    number = int(digits) if len(digits) <= 30 else 10**30
    return -number if text.startswith("-") else number


def in_int_range(number: int | None) -> bool:
    """True if ``number`` fits an INTEGER column."""
    return number is not None and INT_MIN <= number <= INT_MAX


def parse_id(value: object, max_digits: int = 9) -> int | None:
    """A positive whole number typed in a query string or form (an id, a page); None for anything else,
    and for a number an INTEGER column cannot hold (99999999999999999999 is no id: a 404, not a 500).

    ASCII digits only: "²".isdigit() is true but int("²") fails, and "٣" would parse as 3.
    """
    value = (value or "").strip() if isinstance(value, str) else str(value if value is not None else "")
    if not (value.isascii() and value.isdigit() and len(value) <= max_digits):
        return None
    number = int(value)
    return number if 0 < number <= INT_MAX else None


def parse_date(value: str | None) -> date | None:
    """A date typed as 2026-11-25 or 25/11/2026 (year 1900 or later); None for anything else."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime((value or "").strip(), fmt).date()
        except (TypeError, ValueError):
            continue
        return parsed if parsed.year >= 1900 else None
    return None
