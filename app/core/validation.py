"""Small shared validators (server side) used by forms, the CLI and operations."""
import re

CITIZEN_ID_RE = re.compile(r"^\d{12}$")
PHONE_RE = re.compile(r"^\+?[0-9 .\-]{8,15}$")


def is_citizen_id(value: str) -> bool:
    """A CCCD number: exactly 12 digits."""
    return bool(CITIZEN_ID_RE.match(value or ""))


def is_phone(value: str) -> bool:
    return bool(PHONE_RE.match(value or ""))
