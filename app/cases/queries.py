"""Read-only lookups of cases, scoped to what the user may see."""
from sqlalchemy import or_, select

from ..core.scope import get_or_404, in_scope
from .models import Case


def visible_cases(user):
    """Cases of the user's subtree, those handled in it, and those assigned to the user."""
    return select(Case).where(or_(in_scope(Case.unit_id, user), in_scope(Case.handling_unit_id, user),
                                  Case.handler_id == user.id))


def get_case(case_id: int, user) -> Case:
    """The case, or 404 if it does not exist or is outside the user's scope."""
    return get_or_404(visible_cases(user).where(Case.id == case_id))
