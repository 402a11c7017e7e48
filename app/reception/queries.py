"""Read-only lookups of reception sessions, scoped to what the user may see."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.scope import in_scope
from ..core.timeutil import local_to_utc
from ..extensions import db
from .models import ReceptionSession


def visible_sessions(user):
    return select(ReceptionSession).where(in_scope(ReceptionSession.unit_id, user))


def sessions_on(user, day: date) -> list[ReceptionSession]:
    """The visits of one local (Vietnam) day in the user's subtree, latest first, with what the desk shows."""
    start = local_to_utc(datetime.combine(day, time.min))
    stmt = (
        visible_sessions(user)
        .where(ReceptionSession.received_at >= start, ReceptionSession.received_at < start + timedelta(days=1))
        .options(selectinload(ReceptionSession.petitions))
        .order_by(ReceptionSession.received_at.desc(), ReceptionSession.id.desc())
    )
    return list(db.session.execute(stmt).unique().scalars())
