"""Read-only lookups of a user's notifications."""

from flask import abort, g
from sqlalchemy import func, select

from ..cases.models import Case
from ..cases.scope import visible_cases
from ..extensions import db
from ..petitions.models import Petition
from ..petitions.queries import visible_petitions
from .models import Notification


def unread_count(user) -> int:
    """How many of the user's notifications are unread (one COUNT, cached for the request)."""
    cache = g.setdefault("_unread_notifications", {})
    if user.id not in cache:
        cache[user.id] = (
            db.session.scalar(
                select(func.count(Notification.id)).where(
                    Notification.user_id == user.id, Notification.read_at.is_(None)
                )
            )
            or 0
        )
    return cache[user.id]


def get_notification(notification_id: int, user) -> Notification:
    """The user's own notification, or 404 (another user's notification does not exist for them)."""
    n = db.session.scalar(
        select(Notification).where(Notification.id == notification_id, Notification.user_id == user.id)
    )
    if n is None:
        abort(404)
    return n


def page_of_notifications(user, page: int, per_page: int):
    """One page of the user's notifications, newest first; a page past the end gives the last page."""
    stmt = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    pagination = db.paginate(stmt, page=max(page, 1), per_page=per_page, error_out=False)
    if pagination.pages and pagination.page > pagination.pages:
        pagination = db.paginate(stmt, page=pagination.pages, per_page=per_page, error_out=False)
    return pagination


def visible_case_ids(case_ids, user) -> set[int]:
    """The ids among ``case_ids`` of cases the user may still see (one query)."""
    ids = {i for i in case_ids if i}
    if not ids:
        return set()
    stmt = visible_cases(user).where(Case.id.in_(ids)).with_only_columns(Case.id)
    return set(db.session.scalars(stmt))


def visible_petition_ids(petition_ids, user) -> set[int]:
    """The ids among ``petition_ids`` of petitions the user may still see (one query)."""
    ids = {i for i in petition_ids if i}
    if not ids:
        return set()
    stmt = visible_petitions(user).where(Petition.id.in_(ids)).with_only_columns(Petition.id)
    return set(db.session.scalars(stmt))
