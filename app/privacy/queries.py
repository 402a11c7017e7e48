"""Read-only lookups of the privacy domain: the reveal trail of a petition, the granted permissions."""

from sqlalchemy import String, literal, or_, select
from sqlalchemy.orm import joinedload

from ..audit.models import AuditEvent
from ..extensions import db
from ..units.models import Unit
from .models import RolePermission
from .policy import REVEAL_ACTION


def reveals_of(petition) -> list[AuditEvent]:
    """Who revealed the petitioners of ``petition``, when and why, newest first."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.action == REVEAL_ACTION, AuditEvent.petition_id == petition.id)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return list(db.session.execute(stmt).scalars())


def grants_for(admin) -> list[RolePermission]:
    """The grants that concern ``admin``'s subtree: those inside it (which the admin may revoke) and those
    of units above it that reach into it (shown, not changeable), by unit then role."""
    own = admin.unit.path
    stmt = (
        select(RolePermission)
        .join(Unit, Unit.id == RolePermission.unit_id)
        .where(or_(Unit.path.startswith(own), literal(own, String).startswith(Unit.path)))
        .order_by(Unit.path, RolePermission.role, RolePermission.permission)
    )
    return list(db.session.execute(stmt).unique().scalars())
