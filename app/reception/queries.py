"""Read-only lookups of reception sessions, scoped to what the user may see."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select
from sqlalchemy.orm import selectinload

from ..core.filters import N_, DateRange, Filter, FilterType, parse_filters
from ..core.i18n import lazy_gettext as _l
from ..core.paging import Page, offset_page
from ..core.scope import in_scope
from ..core.text import fold
from ..core.timeutil import local_to_utc
from ..extensions import db
from ..persons.models import Person
from ..petitions.models import Petition, PetitionParty
from ..privacy.policy import shown_petition_ids
from ..search.text import query_terms
from ..units.models import Unit
from .models import ReceptionKind, ReceptionOutcome, ReceptionSession, ReceptionVisitor


def visible_sessions(user):
    return select(ReceptionSession).where(in_scope(ReceptionSession.unit_id, user))


def sessions_on(user, day: date) -> list[ReceptionSession]:
    """The visits of one local (Vietnam) day in the user's subtree, latest first, with what the desk shows."""
    start = local_to_utc(datetime.combine(day, time.min))
    stmt = (
        visible_sessions(user)
        .where(ReceptionSession.received_at >= start, ReceptionSession.received_at < start + timedelta(days=1))
        .options(selectinload(ReceptionSession.petitions))
        .order_by(ReceptionSession.received_at.desc(), ReceptionSession.id.desc())
    )
    return list(db.session.execute(stmt).unique().scalars())


# --- The reception register (sổ tiếp công dân) -----------------------------------------------------------


@dataclass
class RegisterFilters:
    """The filters of the reception register, already validated (see ``parse_register_filters``)."""

    kind: ReceptionKind | None = None
    outcome: ReceptionOutcome | None = None
    host_id: int | None = None
    #: True: delegations only (5 people or more); False: no delegations.
    delegation: bool | None = None
    #: Visits of this unit and the units below it.
    unit_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    #: Words of a visitor's name, or the beginning of their CCCD.
    q: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.kind, self.outcome, self.host_id, self.delegation is not None, self.unit_id)
            + (self.received_from, self.received_to, self.q)
        )


REGISTER_FILTERS = (
    Filter(
        "kind",
        FilterType.ENUM,
        enum_cls=ReceptionKind,
        message=N_("Unknown kind of reception “%(value)s”: that filter was ignored."),
    ),
    Filter(
        "outcome",
        FilterType.ENUM,
        enum_cls=ReceptionOutcome,
        message=N_("Unknown outcome “%(value)s”: that filter was ignored."),
    ),
    Filter("host", FilterType.ID, attr="host_id", message=N_("Unknown host “%(value)s”: that filter was ignored.")),
    Filter(
        "delegation",
        FilterType.CHOICE,
        choices=("yes", "no"),
        convert=lambda v: v == "yes",
        message=N_("“%(value)s” is not yes or no: the delegation filter was ignored."),
    ),
    Filter("unit", FilterType.UNIT, attr="unit_id"),
    Filter("received_from", FilterType.DATE, label=_l("Received from")),
    Filter("received_to", FilterType.DATE, label=_l("Received until")),
    Filter("q", FilterType.TEXT),
)
REGISTER_RANGES = (DateRange("received_from", "received_to"),)


def parse_register_filters(args: Mapping[str, str], user) -> RegisterFilters:
    """Read the register's filters from query arguments; a bad value is dropped with a warning."""
    values, warnings = parse_filters(args, REGISTER_FILTERS, user, REGISTER_RANGES)
    return RegisterFilters(**values, warnings=warnings)


def masked_petition(user) -> ColumnElement[bool]:
    """SQL condition on Petition: its petitioners are masked for ``user`` (confidential, not revealed)."""
    masked: ColumnElement[bool] = Petition.is_identity_confidential.is_(True)
    shown = shown_petition_ids(user)
    return and_(masked, Petition.id.not_in(sorted(shown))) if shown else masked


def _visitor_matches(q: str, user) -> ColumnElement[bool]:
    """The visit has a visitor whose name holds every word of ``q`` (as word beginnings) or whose CCCD
    begins with it; never a visit whose visitors are masked for ``user`` (a confidential petition not
    revealed to them): a search must not tell who the denunciator is."""
    terms = query_terms(q)
    if not terms:
        return false()
    conditions = [
        or_(
            Person.name_folded.like(f"{t}%"),
            Person.name_folded.like(f"% {t}%"),
            Person.citizen_id.like(f"{t}%") if t.isdigit() else false(),
        )
        for t in terms
    ]
    matching = (
        select(ReceptionVisitor.session_id).join(Person, Person.id == ReceptionVisitor.person_id).where(*conditions)
    )
    masked = masked_petition(user)
    hidden = exists().where(Petition.reception_session_id == ReceptionSession.id, masked)
    return and_(ReceptionSession.id.in_(matching), ~hidden)


def filtered_sessions(user, filters: RegisterFilters) -> Select:
    """A select of the visits ``user`` sees that match ``filters`` (no order, no eager loading)."""
    stmt = visible_sessions(user)
    if filters.kind:
        stmt = stmt.where(ReceptionSession.kind == filters.kind)
    if filters.outcome:
        stmt = stmt.where(ReceptionSession.outcome == filters.outcome)
    if filters.host_id:
        stmt = stmt.where(ReceptionSession.host_id == filters.host_id)
    if filters.delegation is not None:
        stmt = stmt.where(ReceptionSession.is_delegation.is_(filters.delegation))
    if filters.unit_id:
        root = select(Unit.path).where(Unit.id == filters.unit_id).scalar_subquery()
        stmt = stmt.where(ReceptionSession.unit_id.in_(select(Unit.id).where(Unit.path.startswith(root))))
    if filters.received_from:
        stmt = stmt.where(
            ReceptionSession.received_at >= local_to_utc(datetime.combine(filters.received_from, time.min))
        )
    if filters.received_to:
        end = local_to_utc(datetime.combine(filters.received_to, time.min)) + timedelta(days=1)
        stmt = stmt.where(ReceptionSession.received_at < end)
    if filters.q:
        stmt = stmt.where(_visitor_matches(filters.q, user))
    return stmt


#: What a register row shows beside the visit: its petitions (with their cases), host and unit.
REGISTER_LOAD = (selectinload(ReceptionSession.petitions).selectinload(Petition.case),)


def page_of_register(user, filters: RegisterFilters, page: int, per_page: int, cap: int) -> Page:
    """One page of the register on screen, newest visit first."""
    stmt = filtered_sessions(user, filters).order_by(ReceptionSession.received_at.desc(), ReceptionSession.id.desc())
    return offset_page(stmt, ReceptionSession.id, page, per_page, cap, options=REGISTER_LOAD)


def register_rows(user, filters: RegisterFilters, limit: int) -> tuple[list[ReceptionSession], int]:
    """The register as printed or exported: oldest visit first (numbered in order), at most ``limit`` rows,
    and how many matched in all."""
    stmt = filtered_sessions(user, filters)
    rows = list(
        db.session.execute(
            stmt.options(*REGISTER_LOAD)
            .order_by(ReceptionSession.received_at.asc(), ReceptionSession.id.asc())
            .limit(limit + 1)
        )
        .unique()
        .scalars()
    )
    total = len(rows)
    if total > limit:
        total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    return rows[:limit], total


# --- A person's history at the desk ----------------------------------------------------------------------


@dataclass
class PersonHistory:
    """What the user's units hold about one citizen (by CCCD, or name and year of birth): earlier visits
    and petitions (with
    their cases), newest first; never a petition, or a visit, whose petitioner is masked for the user."""

    visits: list[ReceptionSession]
    petitions: list[Petition]

    @property
    def is_empty(self) -> bool:
        return not (self.visits or self.petitions)


#: At most this many visits and petitions are listed beside the desk form.
HISTORY_LIMIT = 10


def person_history(
    user, citizen_id: str | None = None, *, name: str | None = None, birth_year: int | None = None
) -> PersonHistory:
    """The history in the user's units (see PersonHistory) of the citizen with ``citizen_id``, or, for one
    who gives no CCCD, of the people recorded with ``name`` (diacritics and case ignored) and ``birth_year``."""
    if citizen_id:
        people = select(Person.id).where(Person.citizen_id == citizen_id)
    else:
        assert name and birth_year, "a citizen is found by CCCD, or by name and year of birth"
        people = select(Person.id).where(Person.name_folded == fold(name)[:200], Person.birth_year == birth_year)
    masked = masked_petition(user)
    petitions = list(
        db.session.execute(
            select(Petition)
            .join(PetitionParty, PetitionParty.petition_id == Petition.id)
            .where(PetitionParty.person_id.in_(people), in_scope(Petition.unit_id, user), ~masked)
            .options(selectinload(Petition.case))
            .order_by(Petition.received_on.desc(), Petition.id.desc())
            .limit(HISTORY_LIMIT)
        )
        .unique()
        .scalars()
    )
    hidden = exists().where(Petition.reception_session_id == ReceptionSession.id, masked)
    visits = list(
        db.session.execute(
            visible_sessions(user)
            .join(ReceptionVisitor, ReceptionVisitor.session_id == ReceptionSession.id)
            .where(ReceptionVisitor.person_id.in_(people), ~hidden)
            .options(*REGISTER_LOAD)
            .order_by(ReceptionSession.received_at.desc(), ReceptionSession.id.desc())
            .limit(HISTORY_LIMIT)
        )
        .unique()
        .scalars()
    )
    return PersonHistory(visits=visits, petitions=petitions)
