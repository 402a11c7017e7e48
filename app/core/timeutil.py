"""Time helpers: timestamps are stored in UTC, dates and times are shown in Vietnam's time zone."""

from datetime import UTC, date, datetime
from typing import overload
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """Return the current time as a naive UTC datetime (the storage convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    """Return today's date in Vietnam."""
    return datetime.now(VN_TZ).date()


@overload
def to_local(dt: datetime) -> datetime: ...
@overload
def to_local(dt: None) -> None: ...
def to_local(dt: datetime | None) -> datetime | None:
    """Convert a stored naive-UTC datetime to Vietnam local time."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC).astimezone(VN_TZ)


def local_to_utc(dt: datetime) -> datetime:
    """Convert a naive local (Vietnam) datetime entered by a user to naive UTC."""
    return dt.replace(tzinfo=VN_TZ).astimezone(UTC).replace(tzinfo=None)
