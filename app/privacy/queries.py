"""Read-only lookups of the privacy domain: the reveal trail of a petition, the granted permissions."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..audit.models import AuditEvent
from ..extensions import db
from .models import RolePermission
from .policy import REVEAL_ACTION


def reveals_of(petition) -> list[AuditEvent]:
    """Who revealed the petitioners of ``petition``, when and why, newest first."""
    stmt = (select(AuditEvent).where(AuditEvent.action == REVEAL_ACTION, AuditEvent.petition_id == petition.id)
            .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    return list(db.session.execute(stmt).scalars())


def role_permissions() -> dict[tuple[str, str], RolePermission]:
    """The granted permissions by (role, permission)."""
    rows = db.session.execute(select(RolePermission)).scalars()
    return {(str(r.role), str(r.permission)): r for r in rows}
