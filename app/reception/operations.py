"""Writes on reception sessions: recording a visit (and the petition the citizens bring)."""

from datetime import datetime

from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role
from ..core.timeutil import to_local
from ..extensions import db
from ..persons.operations import PersonData, find_or_create_person
from ..petitions.models import Channel, PetitionKind
from ..petitions.operations import register_petition
from ..subjects.models import SubjectArea
from .models import ReceptionKind, ReceptionOutcome, ReceptionSession, ReceptionVisitor, RefusalReason


def record_visit(
    *,
    unit,
    actor,
    received_at: datetime,
    kind: ReceptionKind,
    visitors: list[PersonData],
    people_count: int,
    content: str,
    outcome: ReceptionOutcome,
    host=None,
    refusal_reason: RefusalReason | None = None,
    outcome_note: str | None = None,
    petition_kind: PetitionKind | None = None,
    petition_subject_area: SubjectArea | None = None,
    petition_summary: str | None = None,
    identity_confidential: bool = False,
    earlier_case_id: int | None = None,
    petition_instance: int | None = None,
    petition_sites: int | None = None,
):
    """Record one visit (one person or one delegation); if they hand in a petition, register it too.

    Returns ``(session, petition_or_None)``. ``visitors[0]`` is the main visitor; for a delegation the
    visitors are its chosen representatives. ``identity_confidential``: the petitioner asked that their
    identity be kept confidential (a denunciation's always is).
    """
    if not actor.has_any_role(Role.RECEPTION, Role.HEAD) or not actor.oversees(unit):
        raise PermissionRefused(_l("You cannot record reception sessions for this unit."))
    if not visitors:
        raise TransitionRefused(_l("Enter at least the visitor's name."))
    outcome = ReceptionOutcome(outcome)
    if outcome is ReceptionOutcome.REFUSED and not refusal_reason:
        raise TransitionRefused(_l("Choose the legal reason for refusing reception."))
    if outcome is ReceptionOutcome.PETITION_RECEIVED and not (petition_kind and (petition_summary or content)):
        raise TransitionRefused(_l("Choose the kind of petition received."))
    host = host or actor
    if not host.is_active or not host.has_any_role(Role.RECEPTION, Role.HEAD) or not actor.oversees(host.unit):
        raise PermissionRefused(_l("Choose who received the citizens among the officers of your units."))
    if ReceptionKind(kind) is ReceptionKind.PERIODIC and not host.has_role(Role.HEAD):
        raise TransitionRefused(_l("A periodic reception is the head's: choose the head who received the citizens."))
    people_count = max(int(people_count or 1), len(visitors))
    session = ReceptionSession(
        unit=unit,
        received_at=received_at,
        kind=ReceptionKind(kind),
        host_id=host.id,
        is_delegation=people_count >= 5,
        people_count=people_count,
        content=content.strip(),
        outcome=outcome,
        refusal_reason=(
            RefusalReason(refusal_reason) if outcome is ReceptionOutcome.REFUSED and refusal_reason else None
        ),
        outcome_note=(outcome_note or "").strip() or None,
        # The case already resolved, for a refusal on that ground (the desk checks it is in force).
        earlier_case_id=earlier_case_id
        if outcome is ReceptionOutcome.REFUSED and refusal_reason == RefusalReason.ALREADY_RESOLVED
        else None,
        created_by_id=actor.id,
    )
    # A confidential petitioner gets a person row of their own (never one shared with other records).
    received_kind = (
        PetitionKind(petition_kind) if outcome is ReceptionOutcome.PETITION_RECEIVED and petition_kind else None
    )
    confidential = received_kind is not None and (identity_confidential or received_kind is PetitionKind.DENUNCIATION)
    for data in visitors:
        session.visitors.append(
            ReceptionVisitor(
                person=find_or_create_person(data, actor, confidential), is_representative=people_count >= 5
            )
        )
    db.session.add(session)
    db.session.flush()
    petition = None
    if received_kind is not None:  # the outcome is PETITION_RECEIVED (its kind was checked above)
        petition = register_petition(
            unit=unit,
            actor=actor,
            received_on=to_local(received_at).date(),
            channel=Channel.DESK,
            kind=received_kind,
            subject_area=petition_subject_area,
            instance=petition_instance,
            sites_to_verify=petition_sites,
            summary=(petition_summary or content)[:500],
            content=content,
            petitioners=[v.person for v in session.visitors],
            signatory_count=people_count,
            reception_session=session,
            is_identity_confidential=identity_confidential,
        )
    return session, petition
