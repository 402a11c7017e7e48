"""Read-only lookups of units."""
from sqlalchemy import select

from ..extensions import db
from .models import Unit


def units_in_scope(user, active_only: bool = True) -> list[Unit]:
    """The user's unit and all units below it, in tree order."""
    stmt = select(Unit).where(Unit.path.startswith(user.unit.path))
    if active_only:
        stmt = stmt.where(Unit.is_active.is_(True))
    return list(db.session.execute(stmt.order_by(Unit.path)).scalars())


def unit_by_code(code: str) -> Unit | None:
    return db.session.execute(select(Unit).where(Unit.code == code.strip().upper())).scalar_one_or_none()
