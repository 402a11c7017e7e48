"""Unit-subtree visibility: the one place that says which units a user may see."""

from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import QueryableAttribute

from ..extensions import db

if TYPE_CHECKING:
    from ..users.models import User

T = TypeVar("T")


def subtree_ids(user: "User") -> Select[int]:
    """A subquery of the ids of the user's unit and all units below it."""
    unit_model = type(user.unit)  # the Unit model, by way of the user's own unit: core imports no domain
    return select(unit_model.id).where(unit_model.path.startswith(user.unit.path))


def in_scope(column: ColumnElement[Any] | QueryableAttribute[Any], user: "User") -> ColumnElement[bool]:
    """SQL condition: ``column`` (a unit id) lies in the user's subtree."""
    return column.in_(subtree_ids(user))


def get_or_404(stmt: Select[T]) -> T:
    """Execute a scoped select for one object; 404 when missing or invisible (ids cannot be probed)."""
    obj = db.session.execute(stmt).unique().scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj
