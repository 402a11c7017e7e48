"""Which cases a user may see: the condition every list and lookup of cases starts from.

Apart from ``queries`` so that the packages above cases that filter by it (deadlines' counts and attention
list, notifications, attachments, the audit log page) import it without the case list, which reads them.
"""

from sqlalchemy import ColumnElement, Select, or_, select

from ..core.scope import in_scope
from ..users.models import User
from .models import Case


def visible_cases(user: User) -> Select[Case]:
    """Cases of the user's subtree, those handled in it, and those assigned to the user."""
    return select(Case).where(_visible(user))


def _visible(user: User) -> ColumnElement[bool]:
    return or_(in_scope(Case.unit_id, user), in_scope(Case.handling_unit_id, user), Case.handler_id == user.id)


def visible_to(user: User) -> ColumnElement[bool]:
    """SQL condition: the case is visible to ``user`` (for selects of case columns rather than cases)."""
    return _visible(user)
