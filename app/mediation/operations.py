"""Writes on mediation records: recording one, and linking it to a later petition of the same matter."""

from datetime import date

from ..audit.operations import record
from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.locking import check_version
from ..core.roles import Role
from ..extensions import db
from ..petitions.models import Petition
from ..subjects.models import SubjectArea
from ..units.models import Unit
from ..users.models import User
from .models import MediationRecord, MediationResult


def can_record(user: User) -> bool:
    return user.has_any_role(Role.RECEPTION, Role.HEAD)


def record_mediation(
    actor: User,
    *,
    unit: Unit,
    held_on: date,
    mediators: str,
    parties: str,
    matter: str,
    result: MediationResult,
    agreement: str | None = None,
    subject_area: SubjectArea | None = None,
    today: date,
) -> MediationRecord:
    """Record a grassroots mediation held by ``unit``'s mediation team."""
    if not can_record(actor) or not actor.oversees(unit):
        raise PermissionRefused(_l("You cannot record mediations of this unit."))
    for text, message in (
        (mediators, _l("Name the mediators.")),
        (parties, _l("Name the parties mediated.")),
        (matter, _l("Describe the matter mediated.")),
    ):
        if not (text or "").strip():
            raise TransitionRefused(message)
    if held_on > today:
        raise TransitionRefused(_l("The mediation cannot be dated in the future."))
    result = MediationResult(result)
    if result is not MediationResult.FAILED and not (agreement or "").strip():
        raise TransitionRefused(_l("Write what the parties agreed."))
    item = MediationRecord(
        unit_id=unit.id,
        held_on=held_on,
        mediators=mediators.strip(),
        parties=parties.strip(),
        matter=matter.strip(),
        result=result,
        agreement=(agreement or "").strip() or None,
        subject_area_id=subject_area.id if subject_area else None,
        created_by_id=actor.id,
    )
    db.session.add(item)
    db.session.flush()
    record("mediation.create", actor=actor, object_type="mediation_record", object_id=item.id)
    return item


def link_petition(item: MediationRecord, petition: Petition, actor: User, *, expected_version: object) -> None:
    """Link a later petition of the same matter to the mediation (once)."""
    check_version(item, expected_version)
    if not item.can_edit(actor):
        raise PermissionRefused(_l("You cannot change this mediation record."))
    if item.petition_id is not None:
        raise TransitionRefused(_l("This mediation is already linked to a petition."))
    if petition.is_identity_confidential:
        raise TransitionRefused(
            _l("A petition whose petitioners are confidential is not linked: the record names the parties.")
        )
    if petition.received_on < item.held_on:
        raise TransitionRefused(_l("Link a petition received on or after the day of the mediation."))
    item.petition_id = petition.id
    db.session.flush()
    record(
        "mediation.link",
        actor=actor,
        petition=petition,
        object_type="mediation_record",
        object_id=item.id,
    )
