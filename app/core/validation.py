"""Small shared validators (server side) used by forms, the CLI and operations."""
import re
from datetime import date, datetime

CITIZEN_ID_RE = re.compile(r"^\d{12}$")
PHONE_RE = re.compile(r"^\+?[0-9 .\-]{8,15}$")


def is_citizen_id(value: str) -> bool:
    """A CCCD number: exactly 12 digits."""
    return bool(CITIZEN_ID_RE.match(value or ""))


def is_phone(value: str) -> bool:
    return bool(PHONE_RE.match(value or ""))


def parse_id(value, max_digits: int = 9) -> int | None:
    """A positive whole number typed in a query string or form (an id, a page); None for anything else.

    ASCII digits only: "²".isdigit() is true but int("²") fails, and "٣" would parse as 3.
    """
    value = (value or "").strip() if isinstance(value, str) else str(value if value is not None else "")
    if not (value.isascii() and value.isdigit() and len(value) <= max_digits):
        return None
    number = int(value)
    return number if number > 0 else None


def parse_date(value) -> date | None:
    """A date typed as 2026-11-25 or 25/11/2026 (year 1900 or later); None for anything else."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime((value or "").strip(), fmt).date()
        except (TypeError, ValueError):
            continue
        return parsed if parsed.year >= 1900 else None
    return None
