"""Read-only lookups of reception sessions, scoped to what the user may see."""
from sqlalchemy import select

from ..core.scope import get_or_404, in_scope
from .models import ReceptionSession


def visible_sessions(user):
    return select(ReceptionSession).where(in_scope(ReceptionSession.unit_id, user))


def get_session(session_id: int, user) -> ReceptionSession:
    return get_or_404(visible_sessions(user).where(ReceptionSession.id == session_id))
