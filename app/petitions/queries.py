"""Read-only lookups of petitions, scoped to what the user may see."""
from sqlalchemy import select

from ..core.scope import get_or_404, in_scope
from .models import Petition


def visible_petitions(user):
    return select(Petition).where(in_scope(Petition.unit_id, user))


def get_petition(petition_id: int, user) -> Petition:
    return get_or_404(visible_petitions(user).where(Petition.id == petition_id))
