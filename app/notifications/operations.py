"""Writes on notifications: marking them read (only flush; the request commits)."""

from datetime import datetime

from sqlalchemy import update

from ..core.db import affected_rows
from ..core.timeutil import utcnow
from ..extensions import db
from .models import Notification


def mark_read(notification: Notification, user, now: datetime | None = None) -> bool:
    """Mark one of the user's notifications read; False if it already was."""
    if notification.user_id != user.id:
        raise ValueError("not the user's notification")
    if notification.read_at is not None:
        return False
    notification.read_at = now or utcnow()
    db.session.flush()
    return True


def mark_all_read(user, now: datetime | None = None) -> int:
    """Mark every unread notification of the user read; returns how many."""
    count = affected_rows(
        db.session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=now or utcnow())
            .execution_options(synchronize_session="fetch")
        )
    )
    db.session.flush()
    return count
