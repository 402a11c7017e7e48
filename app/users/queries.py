"""Read-only lookups of users."""
from sqlalchemy import select

from ..core.roles import Role
from ..extensions import db
from ..units.models import Unit
from .models import User, UserRole


def handlers_for(unit: Unit) -> list[User]:
    """Active handling officers of ``unit`` and the units below it (candidates for assignment)."""
    stmt = (select(User).join(Unit, User.unit_id == Unit.id).join(UserRole)
            .where(Unit.path.startswith(unit.path), UserRole.role == Role.HANDLER,
                   User.is_active_user.is_(True))
            .order_by(Unit.path, User.full_name))
    return list(db.session.execute(stmt).unique().scalars())
