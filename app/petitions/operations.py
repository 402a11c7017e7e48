"""Writes on petitions: registering one, and the processing decision (transfer, guide, file, withdraw).

Accepting a petition opens or joins a case: that is a cases operation (``cases.operations.accept_petition``),
which checks and records the decision with the functions here. Other domains follow through the events
in ``petitions.signals``; this module imports none of them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from ..audit import operations as audit
from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.locking import check_version
from ..core.roles import Role
from ..core.sequences import next_number, reserve_number
from ..core.timeutil import local_to_utc, utcnow
from ..extensions import db
from ..persons.models import Person
from ..persons.operations import PersonData, data_of, find_or_create_person
from ..subjects.models import SubjectArea
from ..units.models import Unit
from ..users.models import User
from .models import (
    MAX_SITES,
    Channel,
    CompetentBody,
    FiledReason,
    Petition,
    PetitionEvent,
    PetitionKind,
    PetitionParty,
    PetitionState,
)
from .procedure import OVERRIDE_HINT, Lodging, decision_gate
from .signals import petition_decided, petition_reclassified, petition_registered

if TYPE_CHECKING:
    from ..reception.models import ReceptionSession


def register_petition(
    *,
    unit: Unit,
    actor: User,
    received_on: date,
    channel: Channel,
    kind: PetitionKind,
    summary: str,
    content: str = "",
    petitioners: Sequence[PersonData | Person] = (),
    signatory_count: int = 1,
    is_anonymous: bool = False,
    source_agency: str | None = None,
    source_dispatch_no: str | None = None,
    reception_session: "ReceptionSession | None" = None,
    duplicate_of: Petition | None = None,
    is_identity_confidential: bool = False,
    subject_area: SubjectArea | None = None,
    sites_to_verify: int | None = None,
    instance: int | None = None,
    number: int | None = None,
    import_key: str | None = None,
    import_note: str | None = None,
) -> Petition:
    """Enter a petition in the unit's register and give it a receipt number.

    A denunciation's petitioners are always confidential (Law on Denunciations 2018 art. 8, 9, 47, 56),
    whatever ``is_identity_confidential`` says; other kinds are when the petitioner asked for it.
    ``number``: the petition's number in a register kept before TiepDan (imported): kept, and the year's
    numbering goes on after it. ``import_key``, ``import_note``: the digest of its imported row, and where it
    was read from (the timeline's "imported" entry).
    """
    if not is_anonymous and not petitioners:
        raise TransitionRefused(_l("A petition needs at least one petitioner unless it is anonymous."))
    if instance not in (None, 1, 2):
        raise TransitionRefused(_l("A complaint is first or second instance."))
    if sites_to_verify is not None and not 1 <= sites_to_verify <= MAX_SITES:
        raise TransitionRefused(_("Enter a number of sites from 1 to %(max)d.", max=MAX_SITES))
    if subject_area is not None and not subject_area.is_active:
        raise TransitionRefused(_l("This subject area is no longer used: choose another."))
    year = received_on.year
    if number is None:
        seq = next_number(unit.id, "petition", year)
    else:
        seq = number
        reserve_number(unit.id, "petition", year, number)
    petition = Petition(
        unit=unit,
        year=year,
        seq=seq,
        receipt_no=f"{unit.code}-{year}-{seq:06d}",
        received_on=received_on,
        channel=Channel(channel),
        kind=PetitionKind(kind),
        subject_area=subject_area,
        instance=instance if PetitionKind(kind) is PetitionKind.COMPLAINT else None,
        sites_to_verify=sites_to_verify
        if PetitionKind(kind) is PetitionKind.DENUNCIATION and sites_to_verify
        else None,
        summary=summary.strip(),
        content=content or "",
        signatory_count=max(signatory_count, len(petitioners), 1),
        is_anonymous=is_anonymous,
        is_identity_confidential=PetitionKind(kind) is PetitionKind.DENUNCIATION or bool(is_identity_confidential),
        source_agency=source_agency or None,
        source_dispatch_no=source_dispatch_no or None,
        reception_session=reception_session,
        duplicate_of=duplicate_of,
        created_by_id=actor.id,
        state=PetitionState.RECEIVED,
        import_key=import_key,
    )
    db.session.add(petition)
    for i, data in enumerate(petitioners):
        # A Person (e.g. a visitor just recorded at the desk) is linked as is, so no twin row is created.
        person = (
            data if isinstance(data, Person) else find_or_create_person(data, actor, petition.is_identity_confidential)
        )
        petition.parties.append(PetitionParty(person=person, is_representative=(i == 0)))
    db.session.flush()
    _log(petition, actor, "import" if import_key else "register", None, PetitionState.RECEIVED, import_note)
    petition_registered.send(petition)
    return petition


def decide_petition(
    petition: Petition,
    actor: User,
    decision: PetitionState,
    *,
    expected_version: object,
    note: str | None = None,
    transferred_to: str | None = None,
    transfer_dispatch_no: str | None = None,
    guidance: str | None = None,
    filed_reason: FiledReason | None = None,
    competent_body: CompetentBody | None = None,
    override_reason: str | None = None,
    on: date,
) -> Petition:
    """Record a processing decision other than acceptance on a received petition, decided ``on`` (the
    caller's today: views pass ``local_today()``).

    ``expected_version``: the petition's version in the form (core.locking.check_version; UNCHECKED without one).
    ``override_reason``: the head's reason to decide otherwise than a rule of ``petitions.procedure`` says.
    """
    decision = check_decision(
        petition,
        actor,
        decision,
        expected_version=expected_version,
        note=note,
        guidance=guidance,
        transferred_to=transferred_to,
        filed_reason=filed_reason,
        override_reason=override_reason,
    )
    if decision is PetitionState.ACCEPTED:
        raise ValueError("a petition is accepted by cases.operations.accept_petition (it opens or joins a case)")
    return record_decision(
        petition,
        actor,
        decision,
        on=on,
        note=note,
        transferred_to=transferred_to,
        transfer_dispatch_no=transfer_dispatch_no,
        guidance=guidance,
        filed_reason=filed_reason,
        competent_body=competent_body,
        override_reason=override_reason,
    )


def check_decision(
    petition: Petition,
    actor: User,
    decision: PetitionState,
    *,
    expected_version: object,
    note: str | None = None,
    transferred_to: str | None = None,
    guidance: str | None = None,
    filed_reason: FiledReason | None = None,
    override_reason: str | None = None,
    lodging: Lodging | None = None,
) -> PetitionState:
    """Refuse a decision the actor may not take now, whose required details are missing, or that a legal
    rule forbids (unless the head of the unit sets the rule aside with ``override_reason``); return it."""
    decision = PetitionState(decision)
    check_version(petition, expected_version)
    if not petition.can_decide(actor):
        raise PermissionRefused(_l("You cannot process this petition."))
    if decision not in petition.allowed_next():
        raise TransitionRefused(_l("This petition has already been processed."))
    if decision is PetitionState.TRANSFERRED and not (transferred_to or "").strip():
        raise TransitionRefused(_l("Say which agency the petition is transferred to."))
    if decision is PetitionState.GUIDED and not (guidance or "").strip():
        raise TransitionRefused(_l("Write the guidance given to the citizen."))
    if decision is PetitionState.FILED and not filed_reason:
        raise TransitionRefused(_l("Choose the reason for filing the petition."))
    if decision is PetitionState.WITHDRAWN and not (note or "").strip():
        raise TransitionRefused(_l("Record how the petitioner withdrew the petition."))
    if lodging is not None:
        _check_lodging(petition, lodging)
    gate = decision_gate(petition, decision, lodging)
    if gate is not None:
        if not (override_reason or "").strip():
            raise TransitionRefused(f"{gate.message()} {OVERRIDE_HINT}")
        if not actor.has_role(Role.HEAD):
            raise PermissionRefused(OVERRIDE_HINT)
    return decision


def record_sites(petition: Petition, actor: User, sites: int, *, expected_version: object) -> bool:
    """Record how many sites a received denunciation's information has to be verified at: from two, its
    acceptance is due in 10 working days instead of 7 (Law on Denunciations 2018 art. 24, 29). Returns
    whether anything changed; the petition's history keeps the change and its clocks follow it."""
    check_version(petition, expected_version)
    if not petition.can_record_sites(actor):
        raise PermissionRefused(_l("You cannot record the sites of this petition."))
    if not 1 <= sites <= MAX_SITES:
        raise TransitionRefused(_("Enter a number of sites from 1 to %(max)d.", max=MAX_SITES))
    if sites == petition.sites:
        return False
    before = petition.sites
    petition.sites_to_verify = sites
    db.session.flush()
    _log(
        petition,
        actor,
        "sites",
        petition.state,
        petition.state,
        _("Sites to verify: %(before)d → %(after)d.", before=before, after=sites),
    )
    petition_reclassified.send(petition)
    return True


def _check_lodging(petition: Petition, lodging: Lodging) -> None:
    if lodging.learned_on > petition.received_on:
        raise TransitionRefused(
            _l("The day the complainant learned of the decision cannot be after the complaint was received.")
        )
    if not 0 <= lodging.obstacle_days <= (petition.received_on - lodging.learned_on).days:
        raise TransitionRefused(
            _l("The obstacle cannot last longer than the time from learning of the decision to lodging the complaint.")
        )
    if lodging.obstacle_days and not (lodging.obstacle_reason or "").strip():
        raise TransitionRefused(_l("Say what the obstacle was (illness, natural disaster, travel far away…)."))


def record_decision(
    petition: Petition,
    actor: User,
    decision: PetitionState,
    *,
    on: date,
    note: str | None = None,
    transferred_to: str | None = None,
    transfer_dispatch_no: str | None = None,
    guidance: str | None = None,
    filed_reason: FiledReason | None = None,
    competent_body: CompetentBody | None = None,
    override_reason: str | None = None,
    lodging: Lodging | None = None,
    imported: bool = False,
) -> Petition:
    """Stamp a decision that ``check_decision`` let through, log it and announce it (``petition_decided``).

    A rule set aside is logged first: the petition's history and the audit log name the rule and the reason.
    ``imported``: a decision taken before TiepDan, read from the unit's register: recorded as it was taken,
    on its own day ``on`` (the rules of procedure are not judged again).
    """
    gate = None if imported else decision_gate(petition, decision, lodging)
    if gate is not None:
        reason = (override_reason or "").strip()
        assert reason, "check_decision refuses a gated decision without the head's reason"
        _log(petition, actor, "override", petition.state, petition.state, f"{gate.message()} — {reason}")
        audit.record(
            "procedure.override",
            actor=actor,
            petition=petition,
            reason=reason,
            detail={
                "rule": gate.rule.code,
                "decision": decision.value,
                "earlier": gate.earlier.receipt_no if gate.earlier else None,
            },
        )
    before = petition.state
    petition.transferred_to = (transferred_to or "").strip() or None
    petition.transfer_dispatch_no = (transfer_dispatch_no or "").strip() or None
    petition.guidance = (guidance or "").strip() or None
    outside = decision in (PetitionState.TRANSFERRED, PetitionState.GUIDED)
    petition.competent_body = CompetentBody(competent_body) if outside and competent_body else None
    petition.filed_reason = FiledReason(filed_reason) if decision is PetitionState.FILED and filed_reason else None
    petition.decision_note = (note or "").strip() or None
    if lodging is not None and decision is PetitionState.ACCEPTED:
        petition.learned_on = lodging.learned_on
        petition.obstacle_days = lodging.obstacle_days or None
        petition.obstacle_reason = (lodging.obstacle_reason or "").strip() or None
    petition.decided_at = local_to_utc(datetime.combine(on, time(8, 0))) if imported else utcnow()
    petition.decided_by_id = actor.id
    petition.state = decision
    db.session.flush()
    _log(petition, actor, "decide", before, decision, note)
    petition_decided.send(petition, on=on)
    return petition


def mark_duplicate(petition: Petition, original: Petition, actor: User) -> None:
    """Link a petition to the earlier one it repeats (it stays on record)."""
    if original.id == petition.id:
        raise TransitionRefused(_l("A petition cannot duplicate itself."))
    petition.duplicate_of = original
    _log(petition, actor, "mark_duplicate", petition.state, petition.state, original.receipt_no)


@dataclass(frozen=True)
class Part:
    """One content of a petition of several contents, as it is split off: its kind, summary and area."""

    kind: PetitionKind
    summary: str
    subject_area: SubjectArea | None
    #: The petitioner asked that their identity be kept confidential for this part (a denunciation always is).
    is_identity_confidential: bool = False


def split_petition(
    petition: Petition, actor: User, parts: Sequence[Part], *, expected_version: object, on: date
) -> list[Petition]:
    """Split a received petition of several contents into one petition per content (Decree 55/2022 art. 6:
    a petition of one content or several). Each part is registered with its own receipt number, kind, area
    and clocks (from the same day of receipt), and is decided, timed and kept confidential on its own: a
    denunciation part's petitioners get person rows of their own, and the split petition itself is masked
    as soon as one part is confidential (it names the same people beside all the contents).
    """
    check_version(petition, expected_version)
    if not petition.can_decide(actor):
        raise PermissionRefused(_l("You cannot process this petition."))
    if len(parts) < 2:
        raise TransitionRefused(_l("Split a petition of several contents into at least two parts."))
    for part in parts:
        if not (part.summary or "").strip():
            raise TransitionRefused(_l("Write a short summary of each part."))
        if part.subject_area is None or not part.subject_area.is_active:
            raise TransitionRefused(_l("Choose the subject area of each part."))
    children = []
    for part in parts:
        kind = PetitionKind(part.kind)
        # A part is as confidential as the whole (the petitioner asked for it), and a denunciation always is.
        confidential = (
            kind is PetitionKind.DENUNCIATION or part.is_identity_confidential or petition.is_identity_confidential
        )
        people: list[PersonData | Person] = (
            [data_of(p) for p in petition.petitioners] if confidential else list(petition.petitioners)
        )
        child = register_petition(
            unit=petition.unit,
            actor=actor,
            received_on=petition.received_on,
            channel=petition.channel,
            kind=kind,
            summary=part.summary,
            # Its own content only: the whole's text names every content, a denunciation's too.
            content=part.summary.strip(),
            petitioners=people,
            signatory_count=petition.signatory_count,
            is_anonymous=petition.is_anonymous,
            source_agency=petition.source_agency,
            source_dispatch_no=petition.source_dispatch_no,
            reception_session=petition.reception_session,
            is_identity_confidential=confidential,
            subject_area=part.subject_area,
        )
        child.parent_id = petition.id
        children.append(child)
    before = petition.state
    petition.state = PetitionState.SPLIT
    petition.decided_at, petition.decided_by_id = utcnow(), actor.id
    if any(c.is_identity_confidential for c in children):
        petition.is_identity_confidential = True
    db.session.flush()
    # The history names no receipt number: the parts are linked on the pages, which list a confidential part
    # (and the masked whole) only to whom its identity is shown; a note would list them to everyone.
    _log(petition, actor, "split", before, PetitionState.SPLIT, _("Split into %(n)d parts.", n=len(children)))
    for child in children:
        _log(child, actor, "split_from", None, child.state, None)
    petition_decided.send(petition, on=on)
    return children


def link_duplicate(petition: Petition, original: Petition, actor: User, *, expected_version: object) -> None:
    """Check the form's version, the actor's right and that ``original`` came first; then mark_duplicate."""
    check_version(petition, expected_version)
    if not petition.can_mark_duplicate(actor):
        raise PermissionRefused(_l("You cannot change this petition."))
    if original.id == petition.id:
        raise TransitionRefused(_l("A petition cannot duplicate itself."))
    if original.kind is not petition.kind or original.is_identity_confidential != petition.is_identity_confidential:
        # "Same petitioner, same content": a link between a confidential petition and an open one would
        # put a name next to a denunciation.
        raise TransitionRefused(
            _l(
                "A duplicate must be of the same kind, and a confidential petition can only "
                "duplicate another confidential one."
            )
        )
    if (original.received_on, original.id) > (petition.received_on, petition.id):
        raise TransitionRefused(_l("The earlier petition must have been received before this one."))
    if petition.duplicate_of_id == original.id:
        raise TransitionRefused(_("This petition is already marked as a duplicate of %(no)s.", no=original.receipt_no))
    mark_duplicate(petition, original, actor)
    db.session.flush()


def _log(
    petition: Petition,
    actor: User,
    action: str,
    before: PetitionState | None,
    after: PetitionState | None,
    note: str | None,
) -> None:
    db.session.add(
        PetitionEvent(
            petition_id=petition.id,
            actor_id=actor.id,
            action=action,
            from_state=str(before) if before else None,
            to_state=str(after) if after else None,
            note=note or None,
        )
    )


def log_petition_event(petition: Petition, actor: User, action: str, note: str | None) -> None:
    """Append a line to the petition's history that changes no state (a document issued on it…)."""
    _log(petition, actor, action, petition.state, petition.state, note)
