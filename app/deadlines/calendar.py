"""The working-day calendar: Vietnam's public holidays and make-up Saturdays from the `holidays`
package, corrected by the administrators' overrides (each with the document that announced it).

Counting rules (domain.md, "Time limits"): the day the clock starts is not counted; a working-day
limit counts working days only; a calendar-day limit that ends on a non-working day moves to the
next working day.

Also the administration of those overrides (top-unit administrators), which brings the due dates of the
open clocks in line with the changed calendar.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role
from ..extensions import db
from . import engine
from .models import CalendarOverride, Clock, ClockStatus

#: The years a rule's dates and a calendar override may lie in.
FIRST_YEAR, LAST_YEAR = 1990, 2100
DOCUMENT_MAX = 300
OPEN_CLOCK_STATUSES = (ClockStatus.RUNNING, ClockStatus.PAUSED)


@lru_cache(maxsize=64)
def _vn_year(year: int):
    return holidays.country_holidays("VN", years=year)


class WorkCalendar:
    """Answers working-day questions; ``overrides`` maps a date to True (worked) or False (day off)."""

    def __init__(self, overrides: dict[date, bool] | None = None):
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


# --- Administration of the overrides ---------------------------------------------------------------------


def manages_national_data(actor) -> bool:
    """Administrators of a top unit keep the national data: the statutory rules and the calendar."""
    return actor.has_role(Role.ADMIN) and actor.unit.parent_id is None


def can_manage_calendar(actor) -> bool:
    return manages_national_data(actor)


def in_years(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def recompute_open_clocks(cal=None) -> int:
    """Recompute the due date of every open clock (after the calendar changed); return how many moved."""
    cal = cal or load_calendar()
    clocks = (
        db.session.scalars(
            select(Clock)
            .options(joinedload(Clock.extensions))
            .where(Clock.status.in_(OPEN_CLOCK_STATUSES), Clock.fixed_due_on.is_(None))
        )
        .unique()
        .all()
    )
    changed = 0
    for clock in clocks:
        before = clock.due_on
        if engine.recompute(clock, cal) != before:
            changed += 1
    db.session.flush()
    return changed


def _check_override(day: date | None, document: str | None) -> str:
    if day is None or not in_years(day):
        raise TransitionRefused(_l("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
    document = (document or "").strip()
    if not document:
        raise TransitionRefused(_l("Enter the document that announced the change."))
    if len(document) > DOCUMENT_MAX:
        raise TransitionRefused(_l("At most %(max)d characters.", max=DOCUMENT_MAX))
    return document


def override_of(day: date) -> CalendarOverride | None:
    return db.session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))


def add_calendar_override(actor, day: date, is_working_day: bool, document: str) -> tuple[CalendarOverride, int]:
    """Record a day the government moved; return it and how many open clocks got a new due date."""
    if not can_manage_calendar(actor):
        raise PermissionRefused(_l("Only the administrators of a top unit can change the calendar."))
    document = _check_override(day, document)
    if override_of(day) is not None:
        raise TransitionRefused(
            _("%(day)s is already in the list of changed days: edit it there.", day=f"{day:%d/%m/%Y}")
        )
    override = CalendarOverride(day=day, is_working_day=bool(is_working_day), document=document, created_by_id=actor.id)
    db.session.add(override)
    db.session.flush()
    return override, recompute_open_clocks()


def update_calendar_override(override: CalendarOverride, actor, is_working_day: bool, document: str) -> int:
    """Change a day the government moved (never deleted); return how many open clocks got a new due date."""
    if not can_manage_calendar(actor):
        raise PermissionRefused(_l("Only the administrators of a top unit can change the calendar."))
    document = _check_override(override.day, document)
    moved = override.is_working_day != bool(is_working_day)
    override.is_working_day, override.document = bool(is_working_day), document
    db.session.flush()
    return recompute_open_clocks() if moved else 0
