"""Corrections of saved records: a visit, a petition, a person (a mistyped name, CCCD, address, summary...).

Each correction checks the version the form was opened at (two officers cannot overwrite each other),
changes only the fields that may change, and is an event with the values before and after: an audit
event (``visit.correct``, ``petition.correct``, ``person.correct``) and, on a petition, a line of its
timeline. A person on a confidential petition is corrected only by someone the identity is shown to, and
their event names the fields changed, never the values. What a petition's decision rests on (the date
received, the kind, the instance, the subject area) is locked once the petition is decided: only a head
changes it then, with a reason.
"""

from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..audit.operations import record
from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.locking import check_version
from ..core.roles import Role
from ..core.scope import in_scope
from ..core.timeutil import local_today, to_local
from ..extensions import db
from ..persons.models import Person
from ..persons.operations import PersonData, data_of, find_or_create_person
from ..petitions.models import Petition, PetitionEvent, PetitionKind, PetitionParty, PetitionState
from ..petitions.signals import petition_corrected
from ..privacy import policy
from ..search.text import petition_documents
from ..subjects.models import SubjectArea
from .models import ReceptionKind, ReceptionSession, ReceptionVisitor

#: The fields of a petition that may be corrected, and those its processing decision rests on.
PETITION_FIELDS = (
    "summary",
    "content",
    "source_agency",
    "source_dispatch_no",
    "signatory_count",
    "subject_area_id",
    "received_on",
    "kind",
    "instance",
)
PETITION_DECIDED_FIELDS = ("subject_area_id", "received_on", "kind", "instance")
#: The fields its clocks run from: a correction of one sets them again (deadlines.clocks).
PETITION_CLOCK_FIELDS = ("received_on", "kind", "instance")
VISIT_FIELDS = ("received_at", "kind", "host_id", "people_count", "content", "outcome_note")
PERSON_FIELDS = tuple(f.name for f in dataclass_fields(PersonData))

NOTHING_CHANGED = _l("Nothing was changed.")


def _plain(value: Any) -> Any:
    """A value as the audit log keeps it (enums by value, dates as ISO text)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return getattr(value, "value", value)


def _apply(obj: Any, values: dict[str, Any], names: tuple[str, ...]) -> dict[str, list[Any]]:
    """Set the ``names`` of ``obj`` found in ``values``; {name: [before, after]} of those that changed."""
    changes: dict[str, list[Any]] = {}
    for name in names:
        if name not in values:
            continue
        before, after = getattr(obj, name), values[name]
        if before != after:
            changes[name] = [_plain(before), _plain(after)]
            setattr(obj, name, after)
    return changes


def _may_correct(actor, unit) -> None:
    if not actor.has_any_role(Role.RECEPTION, Role.HEAD) or not actor.oversees(unit):
        raise PermissionRefused(_l("Only the reception officers and heads of the unit correct its records."))


# --- A visit ---------------------------------------------------------------------------------------------


def can_correct_visit(actor, visit: ReceptionSession) -> bool:
    return bool(actor.has_any_role(Role.RECEPTION, Role.HEAD) and actor.oversees(visit.unit))


def correct_visit(visit: ReceptionSession, actor, *, expected_version: object, **values: Any) -> dict[str, list[Any]]:
    """Correct the time, kind, host, number of people, content or note of a saved visit."""
    _may_correct(actor, visit.unit)
    check_version(visit, expected_version)
    host = values.pop("host", None)
    if host is not None:
        if not host.is_active or not host.has_any_role(Role.RECEPTION, Role.HEAD) or not actor.oversees(host.unit):
            raise PermissionRefused(_l("Choose who received the citizens among the officers of your units."))
        values["host_id"] = host.id
    kind = ReceptionKind(values.get("kind", visit.kind))
    host_user = host or visit.host
    if kind is ReceptionKind.PERIODIC and not host_user.has_role(Role.HEAD):
        raise TransitionRefused(_l("A periodic reception is the head's: choose the head who received the citizens."))
    if "people_count" in values:
        values["people_count"] = max(int(values["people_count"] or 1), len(visit.visitors))
    changes = _apply(visit, values, VISIT_FIELDS)
    if not changes:
        raise TransitionRefused(NOTHING_CHANGED)
    visit.is_delegation = visit.people_count >= 5
    db.session.flush()
    record(
        "visit.correct", actor=actor, object_type="reception_session", object_id=visit.id, detail={"changes": changes}
    )
    return changes


# --- A petition ------------------------------------------------------------------------------------------


def can_correct_petition(actor, petition: Petition) -> bool:
    return bool(
        actor.has_any_role(Role.RECEPTION, Role.HEAD)
        and actor.oversees(petition.unit)
        and petition.state is not PetitionState.SPLIT
    )


def decided_fields_locked(petition: Petition) -> bool:
    """True once the processing decision is taken: the fields it rests on are the head's to correct."""
    return petition.state is not PetitionState.RECEIVED


def correct_petition(
    petition: Petition,
    actor,
    *,
    expected_version: object,
    reason: str | None = None,
    subject_area: SubjectArea | None = None,
    **values: Any,
) -> dict[str, list[Any]]:
    """Correct the summary, content, sender, number of signatories of a petition, or what its processing
    rests on: the date received, the kind, a complaint's instance, the subject area.

    Those are locked once the petition is decided (a head corrects them, with a reason) and can no longer be
    corrected here once a case is opened on it (the case carries them, and its clocks run from them). A
    correction of the date, kind or instance sets the petition's clocks again (``petition_corrected``); a
    petition corrected into a denunciation has its petitioners kept confidential from then on, and one
    corrected out of it stays confidential (an identity once protected is never exposed by a correction).
    """
    _may_correct(actor, petition.unit)
    if petition.state is PetitionState.SPLIT:
        raise TransitionRefused(_l("A petition split into its contents is corrected in its parts."))
    check_version(petition, expected_version)
    if subject_area is not None:
        values["subject_area_id"] = subject_area.id
    if "kind" in values:
        values["kind"] = PetitionKind(values["kind"])
        if values["kind"] is not PetitionKind.COMPLAINT:
            values["instance"] = None
        elif values["kind"] is petition.kind and values.get("instance") == petition.complaint_instance:
            values["instance"] = petition.instance  # a first complaint registered without an instance stays so
    reason = (reason or "").strip() or None
    moved = [n for n in PETITION_CLOCK_FIELDS if n in values and values[n] != getattr(petition, n)]
    if moved and petition.case_id is not None:
        raise TransitionRefused(
            _l(
                "A case was opened on this petition: its date received, kind and instance are the case's now and "
                "are not corrected here."
            )
        )
    _check_received_on(petition, values.get("received_on"))
    locked = [n for n in PETITION_DECIDED_FIELDS if n in values and values[n] != getattr(petition, n)]
    if locked and decided_fields_locked(petition):
        if not actor.has_role(Role.HEAD):
            raise PermissionRefused(
                _l(
                    "The petition is decided: only a head corrects what its decision rests on (the date "
                    "received, the kind, the instance, the subject area)."
                )
            )
        if not reason:
            raise TransitionRefused(_l("Give the reason for correcting what the decision rests on."))
    was_confidential = petition.is_identity_confidential
    changes = _apply(petition, values, PETITION_FIELDS)
    if not changes:
        raise TransitionRefused(NOTHING_CHANGED)
    if petition.kind is PetitionKind.DENUNCIATION:
        petition.is_identity_confidential = True  # a denunciator's identity is always protected (art. 8, 47)
        if not was_confidential:
            _separate_petitioners(petition, actor)
    else:
        petition.sites_to_verify = None  # the sites to verify are a denunciation's
    db.session.add(PetitionEvent(petition_id=petition.id, actor_id=actor.id, action="correct", note=reason))
    db.session.flush()
    if moved:
        petition_corrected.send(petition)
    record("petition.correct", actor=actor, petition=petition, reason=reason, detail={"changes": changes})
    return changes


def _separate_petitioners(petition: Petition, actor) -> None:
    """Give each petitioner of a petition that became confidential their own person row (as a denunciator
    registered at the desk gets): the row they shared names their other records, and a correction of it
    there would show here."""
    for party in petition.parties:
        party.person = find_or_create_person(data_of(party.person), actor, confidential=True)


def _check_received_on(petition: Petition, received_on: date | None) -> None:
    """The date received may move within the year of the receipt number, never after the decision or today."""
    if received_on is None or received_on == petition.received_on:
        return
    if received_on > local_today():
        raise TransitionRefused(_l("The date received cannot be in the future."))
    if received_on.year != petition.year:
        raise TransitionRefused(
            _(
                "The date received stays in %(year)d, the year of receipt number %(no)s: a petition of another "
                "year is registered anew.",
                year=petition.year,
                no=petition.receipt_no,
            )
        )
    if petition.decided_at is not None and received_on > to_local(petition.decided_at).date():
        raise TransitionRefused(_l("The date received cannot be after the processing decision."))


# --- A person --------------------------------------------------------------------------------------------


def petitions_of(person: Person) -> list[Petition]:
    stmt = (
        select(Petition)
        .join(PetitionParty, PetitionParty.petition_id == Petition.id)
        .where(PetitionParty.person_id == person.id)
    )
    return list(db.session.execute(stmt).unique().scalars())


def visits_of(person: Person) -> list[ReceptionSession]:
    stmt = (
        select(ReceptionSession)
        .join(ReceptionVisitor, ReceptionVisitor.session_id == ReceptionSession.id)
        .where(ReceptionVisitor.person_id == person.id)
    )
    return list(db.session.execute(stmt).unique().scalars())


def person_in_scope(person_id: int, actor) -> Person | None:
    """The person if they appear on a petition or a visit of the actor's units (None otherwise)."""
    on_petition = select(PetitionParty.person_id).join(Petition).where(in_scope(Petition.unit_id, actor))
    on_visit = (
        select(ReceptionVisitor.person_id).join(ReceptionSession).where(in_scope(ReceptionSession.unit_id, actor))
    )
    stmt = select(Person).where(Person.id == person_id, Person.id.in_(on_petition.union(on_visit)))
    return db.session.execute(stmt).scalar_one_or_none()


def correction_refusal(actor, person: Person) -> str | None:
    """Why ``actor`` may not correct ``person`` (a message), or None when they may."""
    if not actor.has_any_role(Role.RECEPTION, Role.HEAD):
        return str(_l("Only the reception officers and heads of the unit correct its records."))
    petitions, visits = petitions_of(person), visits_of(person)
    if any(not actor.oversees(p.unit) for p in petitions) or any(not actor.oversees(v.unit) for v in visits):
        return str(
            _l("This person also appears on records of other units: ask the unit above, which oversees them all.")
        )
    if any(not policy.shows_identity(actor, p) for p in petitions):
        return str(_l("The identity of this person is confidential: reveal it first to correct it."))
    return None


def correct_person(person: Person, actor, *, expected_version: object, **values: Any) -> dict[str, list[Any]]:
    """Correct a citizen's name, CCCD, phone or address on every record they appear on."""
    refusal = correction_refusal(actor, person)
    if refusal:
        raise PermissionRefused(refusal)
    check_version(person, expected_version)
    petitions = petitions_of(person)
    changes = _apply(person, values, PERSON_FIELDS)
    if not changes:
        raise TransitionRefused(NOTHING_CHANGED)
    db.session.flush()
    confidential = any(p.is_identity_confidential for p in petitions)
    for petition in petitions:
        db.session.add(PetitionEvent(petition_id=petition.id, actor_id=actor.id, action="correct_person"))
        # The folded search words name the petitioners: refreshed without moving the petition's version
        # (a form of the petition opened meanwhile stays valid).
        text, private = petition_documents(petition)
        db.session.execute(
            update(Petition)
            .where(Petition.id == petition.id)
            .values(search_text=text, search_private=private)
            .execution_options(synchronize_session=False)
        )
    # A confidential person's event names the fields changed, never the values (the audit log is read by
    # people the identity is not shown to).
    detail: dict[str, Any] = {"fields": sorted(changes), "masked": True} if confidential else {"changes": changes}
    record("person.correct", actor=actor, object_type="person", object_id=person.id, detail=detail)
    return changes
