"""Read-only lookups of attachments, scoped through the petition or case they belong to."""

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..cases.models import Case
from ..cases.scope import visible_to as case_visible_to
from ..core.roles import Role
from ..core.scope import get_or_404, in_scope
from ..extensions import db
from ..petitions.models import Petition
from ..privacy import policy
from .models import Attachment


def visible_attachments(user):
    """Attachments whose owner petition and/or case the user may see."""
    petitions = select(Petition.id).where(in_scope(Petition.unit_id, user))
    cases = select(Case.id).where(case_visible_to(user))
    return select(Attachment).where(
        or_(Attachment.petition_id.is_(None), Attachment.petition_id.in_(petitions)),
        or_(Attachment.case_id.is_(None), Attachment.case_id.in_(cases)),
    )


def get_attachment(attachment_id: int, user) -> Attachment:
    """The attachment, or 404 if it does not exist or its owner is outside the user's scope."""
    return get_or_404(visible_attachments(user).where(Attachment.id == attachment_id))


def attachments_of(*, petition=None, case=None) -> list[Attachment]:
    """The attachments of one petition or case (removed ones included), oldest first."""
    stmt = select(Attachment).options(selectinload(Attachment.uploaded_by), selectinload(Attachment.removed_by))
    if petition is not None:
        stmt = stmt.where(Attachment.petition_id == petition.id)
    else:
        stmt = stmt.where(Attachment.case_id == case.id)
    return list(db.session.execute(stmt.order_by(Attachment.uploaded_at, Attachment.id)).scalars())


def owners_of(att: Attachment) -> tuple[Petition | None, Case | None]:
    petition = db.session.get(Petition, att.petition_id) if att.petition_id is not None else None
    case = db.session.get(Case, att.case_id) if att.case_id is not None else None
    return petition, case


def petitions_behind(petition: Petition | None, case: Case | None) -> list[Petition]:
    """The petitions whose petitioners a file of this owner may name (a case's files: all its petitions)."""
    found = {}
    if petition is not None:
        found[petition.id] = petition
    if case is not None:
        for p in case.petitions:
            found[p.id] = p
    return list(found.values())


def identity_locked(user, petition: Petition | None, case: Case | None) -> bool:
    """True if a file of this owner may carry a confidential identity not shown to ``user`` now.

    A scanned denunciation bears the denunciator's name and handwriting: its files follow the same rule
    as the names on screen (see app/privacy/policy.py).
    """
    return any(
        p.is_identity_confidential and not policy.shows_identity(user, p) for p in petitions_behind(petition, case)
    )


def can_upload(user, petition: Petition | None = None, case: Case | None = None) -> bool:
    """Reception officers and heads over the petition's unit; the case's head or its assigned handler."""
    if petition is not None:
        return user.has_any_role(Role.RECEPTION, Role.HEAD) and user.oversees(petition.unit)
    if case is not None:
        return case.actor_role_ok({Role.HEAD, Role.HANDLER}, user)
    return False


def can_remove(user, att: Attachment, petition: Petition | None, case: Case | None) -> bool:
    """The uploader, or a head over the owner's unit; never an already removed file."""
    if att.is_removed:
        return False
    if att.uploaded_by_id == user.id:
        return True
    if not user.has_role(Role.HEAD):
        return False
    owner = petition if petition is not None else case
    return owner is not None and user.oversees(owner.unit)
