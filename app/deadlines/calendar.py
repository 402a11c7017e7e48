"""The working-day calendar: Vietnam's public holidays and make-up Saturdays from the `holidays`
package, corrected by the administrators' overrides (each with the document that announced it).

Counting rules: the day the clock starts is not counted; a working-day limit counts working days only; a
calendar-day limit that ends on a non-working day moves to the next working day.

The administration of the overrides is in ``overrides.py``.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from sqlalchemy import select

from ..extensions import db
from .models import CalendarOverride, ClockStatus

#: The years a rule's dates and a calendar override may lie in.
FIRST_YEAR, LAST_YEAR = 1990, 2100
DOCUMENT_MAX = 300
OPEN_CLOCK_STATUSES = (ClockStatus.RUNNING, ClockStatus.PAUSED)


@lru_cache(maxsize=64)
def _vn_year(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


class WorkCalendar:
    """Answers working-day questions; ``overrides`` maps a date to True (worked) or False (day off)."""

    def __init__(self, overrides: dict[date, bool] | None = None) -> None:
        self.overrides = dict(overrides or {})

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _vn_year(day.year).is_working_day(day)

    def holiday_name(self, day: date) -> str | None:
        return _vn_year(day.year).get(day)

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is not counted)."""
        day, left = start, n
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def add_calendar_days(self, start: date, n: int) -> date:
        """``start`` + n days, moved to the next working day if that is a day off."""
        return self.next_working_day(start + timedelta(days=n))

    def add(self, start: date, n: int, unit: str) -> date:
        """Add ``n`` days in ``unit`` ("wd" working days or "d" calendar days)."""
        return self.add_working_days(start, n) if unit == "wd" else self.add_calendar_days(start, n)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many working days a clock loses from start to end."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def days_between(self, start: date, end: date, unit: str) -> int:
        return self.working_days_between(start, end) if unit == "wd" else max((end - start).days, 0)


def load_calendar() -> WorkCalendar:
    """The working-day calendar with the administrators' overrides (one small query)."""
    rows = db.session.execute(select(CalendarOverride.day, CalendarOverride.is_working_day)).all()
    return WorkCalendar(dict(rows))


def in_years(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR
