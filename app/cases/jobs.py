"""Scheduled job raising the "complex case" flags: many people, repeated, prolonged, over-level, hot spot.

A cases concern: the reasons read cases, their petitions, the reception sessions that brought them and the
petitioners. Each kind is synchronised by ``flags.operations.sync_flags``: an UPDATE clearing the active
flags whose cause went away, and an INSERT ... SELECT raising the missing ones (set-based, idempotent; the
caller commits).

Flags sit on cases that are still live (accepted, assigned, suspended, resolved, enforced: not yet closed,
withdrawn or terminated) and, for many people / repeated / over-level, on petitions still awaiting their
processing decision. The detail column holds a small JSON object saying why (see ``flags.queries.describe``).
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Label,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql.expression import Exists

from ..core.sql import json_sql
from ..core.timeutil import to_local
from ..flags.models import Flag, FlagKind, FlagSubject
from ..flags.operations import sync_flags
from ..persons.models import Person
from ..petitions.models import Petition, PetitionKind, PetitionParty, PetitionState
from ..reception.models import ReceptionSession
from ..units.models import Unit, UnitKind
from .models import OPEN_STATES, Case, CaseState, CaseStep, StepKind

#: Cases whose complex flags stay up: everything not yet closed, withdrawn or terminated.
LIVE_STATES = tuple(OPEN_STATES | {CaseState.RESOLVED, CaseState.ENFORCED})
#: A delegation or petition of this many people is "many people" (Law on Citizen Reception art. 29).
MANY_PEOPLE_MIN = 5
#: Units above the commune level: a petition they receive from a commune's resident skipped a level.
UPPER_LEVELS = (UnitKind.PROVINCE, UnitKind.DEPARTMENT)


def _subject(subject: FlagSubject) -> Label[str]:
    return literal(subject.value, String).label("subject")


# --- The reasons of each kind: selects of (subject, subject_id, unit_id, detail) ------------------------


def many_people_reasons() -> CompoundSelect[*tuple[Any, ...]]:
    """Live cases and received petitions of 5 or more people (signatories or the delegation that came)."""
    people = case(
        (ReceptionSession.people_count > Petition.signatory_count, ReceptionSession.people_count),
        else_=Petition.signatory_count,
    )
    most = func.max(people)
    on_cases = (
        select(
            _subject(FlagSubject.CASE),
            Petition.case_id.label("subject_id"),
            Case.unit_id,
            json_sql({"people": most}).label("detail"),
        )
        .select_from(Petition)
        .outerjoin(ReceptionSession, ReceptionSession.id == Petition.reception_session_id)
        .join(Case, Case.id == Petition.case_id)
        .where(Case.state.in_(LIVE_STATES))
        .group_by(Petition.case_id, Case.unit_id)
        .having(most >= MANY_PEOPLE_MIN)
    )
    on_petitions = (
        select(
            _subject(FlagSubject.PETITION),
            Petition.id.label("subject_id"),
            Petition.unit_id,
            json_sql({"people": people}).label("detail"),
        )
        .select_from(Petition)
        .outerjoin(ReceptionSession, ReceptionSession.id == Petition.reception_session_id)
        .where(Petition.state == PetitionState.RECEIVED, people >= MANY_PEOPLE_MIN)
    )
    return union_all(on_cases, on_petitions)


def _window_start(now: datetime) -> date:
    return to_local(now).date() - timedelta(days=current_app.config["REPEAT_WINDOW_DAYS"])


def _subjects_of(
    petition_rows: Select[*tuple[Any, ...]], label_value: Callable[[Any], ColumnElement[Any]]
) -> tuple[Select[Any], Select[Any]]:
    """Live cases and received petitions among the petitions of ``petition_rows`` (petition_id, value)."""
    pr = petition_rows.subquery("pr")
    value = func.max(pr.c.value)
    on_cases = (
        select(
            _subject(FlagSubject.CASE),
            Petition.case_id.label("subject_id"),
            Case.unit_id,
            label_value(value).label("detail"),
        )
        .select_from(pr)
        .join(Petition, Petition.id == pr.c.petition_id)
        .join(Case, Case.id == Petition.case_id)
        .where(Case.state.in_(LIVE_STATES))
        .group_by(Petition.case_id, Case.unit_id)
    )
    on_petitions = (
        select(
            _subject(FlagSubject.PETITION),
            Petition.id.label("subject_id"),
            Petition.unit_id,
            label_value(value).label("detail"),
        )
        .select_from(pr)
        .join(Petition, Petition.id == pr.c.petition_id)
        .where(Petition.state == PetitionState.RECEIVED)
        .group_by(Petition.id, Petition.unit_id)
    )
    return on_cases, on_petitions


def _person_key() -> ColumnElement[str]:
    """Who a petitioner is across person rows: the citizen ID when given, else the row."""
    return func.coalesce(Person.citizen_id, cast(Person.id, String))


def _not_confidential() -> ColumnElement[bool]:
    """Confidential petitions are left out of person-based flags: a flag linking a denunciation to the same
    person's other petitions, or naming their home commune, would disclose who the denunciator is."""
    return Petition.is_identity_confidential.is_(false())


def _petitions_of_people_with_several(counted: InstrumentedAttribute[int], since: date) -> Select[tuple[int, int]]:
    """(petition_id, value): the petitions since ``since`` of each person with 2 or more distinct ``counted``
    (petitions, or receiving units) since then; ``value`` is that count."""
    key = _person_key()
    # The parts of a petition of several contents are one petition (their split whole is not counted).
    counted_expr = func.coalesce(Petition.parent_id, Petition.id) if counted is Petition.id else counted
    n = func.count(func.distinct(counted_expr))
    not_split = Petition.state != PetitionState.SPLIT
    per_person = (
        select(key.label("person_key"), n.label("n"))
        .select_from(PetitionParty)
        .join(Petition, Petition.id == PetitionParty.petition_id)
        .join(Person, Person.id == PetitionParty.person_id)
        .where(Petition.received_on >= since, _not_confidential(), not_split)
        .group_by(key)
        .having(n >= 2)
        .subquery("per_person")
    )
    return (
        select(Petition.id.label("petition_id"), per_person.c.n.label("value"))
        .join(PetitionParty, PetitionParty.petition_id == Petition.id)
        .join(Person, Person.id == PetitionParty.person_id)
        .join(per_person, per_person.c.person_key == key)
        .where(Petition.received_on >= since, _not_confidential(), not_split)
    )


def repeated_reasons(now: datetime) -> CompoundSelect[*tuple[Any, ...]]:
    """Petitions of a person who sent 2 or more within the window: their live cases and received petitions."""
    days = current_app.config["REPEAT_WINDOW_DAYS"]
    petition_rows = _petitions_of_people_with_several(Petition.id, _window_start(now))
    return union_all(*_subjects_of(petition_rows, lambda n: json_sql({"petitions": n, "days": days})))


def prolonged_reasons(now: datetime) -> CompoundSelect[*tuple[Any, ...]]:
    """Open cases accepted more than PROLONGED_DAYS ago; live cases appealed or that are an appeal."""
    days = current_app.config["PROLONGED_DAYS"]
    before = to_local(now).date() - timedelta(days=days)
    old = select(
        _subject(FlagSubject.CASE),
        Case.id.label("subject_id"),
        Case.unit_id,
        json_sql({"reason": "open_long", "since": Case.accepted_on, "days": days}).label("detail"),
    ).where(Case.state.in_(OPEN_STATES), Case.accepted_on < before)
    parent = aliased(Case)
    appeal = (
        select(
            _subject(FlagSubject.CASE),
            Case.id.label("subject_id"),
            Case.unit_id,
            json_sql({"reason": "appeal", "of": parent.number}).label("detail"),
        )
        .join(parent, parent.id == Case.parent_case_id)
        .where(Case.state.in_(LIVE_STATES))
    )
    child = aliased(Case)
    appealed = (
        select(
            _subject(FlagSubject.CASE),
            Case.id.label("subject_id"),
            Case.unit_id,
            json_sql({"reason": "appealed", "by": child.number}).label("detail"),
        )
        .join(child, child.parent_case_id == Case.id)
        .where(Case.state.in_(LIVE_STATES))
    )
    return union_all(old, appeal, appealed)


def over_level_reasons(now: datetime) -> CompoundSelect[*tuple[Any, ...]]:
    """Petitions sent to several units within the window, or taken to a province/department by a commune's
    resident (the commune is competent first): their live cases and received petitions."""
    since = _window_start(now)
    several = _petitions_of_people_with_several(Petition.unit_id, since)
    receiver, commune = aliased(Unit), aliased(Unit)
    skipped = (
        select(Petition.id.label("petition_id"), commune.code.label("value"))
        .join(receiver, receiver.id == Petition.unit_id)
        .join(PetitionParty, PetitionParty.petition_id == Petition.id)
        .join(Person, Person.id == PetitionParty.person_id)
        .join(
            commune,
            and_(commune.ward_code == Person.ward_code, commune.kind == UnitKind.COMMUNE, commune.is_active.is_(True)),
        )
        .where(receiver.kind.in_(UPPER_LEVELS), _not_confidential())
    )
    parts: tuple[Select[Any], ...] = _subjects_of(several, lambda n: json_sql({"reason": "several_units", "units": n}))
    parts += _subjects_of(skipped, lambda code: json_sql({"reason": "skipped_level", "competent": code}))
    return union_all(*parts)


def hot_spot_reasons() -> Select[Any]:
    """Live cases flagged many-people and (repeated or prolonged): the head should look before it escalates."""

    def has(kind: FlagKind, subject_id: Any = Case.id) -> Exists:
        return exists().where(
            Flag.subject == FlagSubject.CASE,
            Flag.subject_id == subject_id,
            Flag.kind == kind,
            Flag.cleared_at.is_(None),
        )

    repeated, prolonged = has(FlagKind.REPEATED), has(FlagKind.PROLONGED)
    detail = case(
        (and_(repeated, prolonged), json_sql({"with": "repeated+prolonged"})),
        (repeated, json_sql({"with": "repeated"})),
        else_=json_sql({"with": "prolonged"}),
    )
    return select(_subject(FlagSubject.CASE), Case.id.label("subject_id"), Case.unit_id, detail.label("detail")).where(
        Case.state.in_(LIVE_STATES), has(FlagKind.MANY_PEOPLE), or_(repeated, prolonged)
    )


def enforcement_recheck_reasons(now: datetime) -> Select[*tuple[Any, ...]]:
    """Cases whose decision is being carried out (Case.is_being_carried_out, in SQL) with nothing recorded
    for more than ENFORCEMENT_RECHECK_DAYS: since it took effect (or was issued), or since the last
    enforcement step."""
    days = current_app.config["ENFORCEMENT_RECHECK_DAYS"]
    before = to_local(now).date() - timedelta(days=days)
    last_step = (
        select(func.max(CaseStep.held_on))
        .where(CaseStep.case_id == Case.id, CaseStep.kind == StepKind.ENFORCEMENT)
        .correlate(Case)
        .scalar_subquery()
    )
    started = func.coalesce(Case.legally_effective_on, Case.decision_on)
    since = case((last_step.is_not(None) & (last_step > started), last_step), else_=started)
    appeal = aliased(Case)
    open_appeal = exists().where(
        appeal.parent_case_id == Case.id, appeal.state.not_in((CaseState.WITHDRAWN, CaseState.TERMINATED))
    )
    return select(
        _subject(FlagSubject.CASE),
        Case.id.label("subject_id"),
        Case.unit_id,
        json_sql({"reason": "no_progress", "since": since, "days": days}).label("detail"),
    ).where(
        Case.state == CaseState.RESOLVED,
        Case.enforcement_required.is_not(None),
        Case.court_filed_on.is_(None),
        ~open_appeal,
        or_(Case.kind != PetitionKind.COMPLAINT, Case.legally_effective_on.is_not(None)),
        since < before,
    )


def flag_enforcement_rechecks(now: datetime) -> dict[str, int]:
    """Synchronise the enforcement re-check flags (raised on a stalled enforcement, cleared by progress)."""
    return sync_flags(FlagKind.ENFORCEMENT_RECHECK, enforcement_recheck_reasons(now), now)


def flag_complex_cases(now: datetime) -> dict[str, dict[str, int]]:
    """Synchronise the many-people, repeated, prolonged, over-level and hot-spot flags (hot spot last)."""
    return {
        FlagKind.MANY_PEOPLE.value: sync_flags(FlagKind.MANY_PEOPLE, many_people_reasons(), now),
        FlagKind.REPEATED.value: sync_flags(FlagKind.REPEATED, repeated_reasons(now), now),
        FlagKind.PROLONGED.value: sync_flags(FlagKind.PROLONGED, prolonged_reasons(now), now),
        FlagKind.OVER_LEVEL.value: sync_flags(FlagKind.OVER_LEVEL, over_level_reasons(now), now),
        FlagKind.HOT_SPOT.value: sync_flags(FlagKind.HOT_SPOT, hot_spot_reasons(), now),
    }
