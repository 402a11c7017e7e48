"""Unit-subtree visibility: the one place that says which units a user may see."""

from flask import abort
from sqlalchemy import select

from ..extensions import db


def subtree_ids(user):
    """A subquery of the ids of the user's unit and all units below it."""
    from ..units.models import Unit

    return select(Unit.id).where(Unit.path.startswith(user.unit.path))


def in_scope(column, user):
    """SQL condition: ``column`` (a unit id) lies in the user's subtree."""
    return column.in_(subtree_ids(user))


def get_or_404(stmt):
    """Execute a scoped select for one object; 404 when missing or invisible (ids cannot be probed)."""
    obj = db.session.execute(stmt).unique().scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj
