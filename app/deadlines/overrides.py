"""The administration of the calendar overrides (top-unit administrators): each change brings the due
dates of the open clocks in line with the changed calendar."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from ..users.models import User
from . import engine
from .calendar import DOCUMENT_MAX, FIRST_YEAR, LAST_YEAR, OPEN_CLOCK_STATUSES, WorkCalendar, in_years, load_calendar
from .models import CalendarOverride, Clock


def manages_national_data(actor: User) -> bool:
    """Administrators of a top unit keep the national data: the statutory rules and the calendar."""
    return actor.keeps_national_data


def can_manage_calendar(actor: User) -> bool:
    return manages_national_data(actor)


def recompute_open_clocks(cal: WorkCalendar | None = None) -> int:
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


def add_calendar_override(actor: User, day: date, is_working_day: bool, document: str) -> tuple[CalendarOverride, int]:
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


def update_calendar_override(override: CalendarOverride, actor: User, is_working_day: bool, document: str) -> int:
    """Change a day the government moved (never deleted); return how many open clocks got a new due date."""
    if not can_manage_calendar(actor):
        raise PermissionRefused(_l("Only the administrators of a top unit can change the calendar."))
    document = _check_override(override.day, document)
    moved = override.is_working_day != bool(is_working_day)
    override.is_working_day, override.document = bool(is_working_day), document
    db.session.flush()
    return recompute_open_clocks() if moved else 0
