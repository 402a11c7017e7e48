"""Read-only lookups of petitions, scoped to what the user may see."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import CTE, ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import QueryableAttribute, selectinload

from ..core.filters import DEADLINE_CHOICES, N_, DateRange, Filter, FilterType, parse_filters
from ..core.i18n import lazy_gettext as _l
from ..core.paging import Page, keyset_page
from ..core.scope import get_or_404, in_scope
from ..extensions import db
from ..privacy.policy import shown_petition_ids
from ..search.match import found, matches
from ..search.text import query_terms
from ..subjects.models import SubjectGroup
from ..subjects.queries import SUBJECT_FILTERS, subject_conditions
from ..units.models import Unit
from ..users.models import User
from .models import Channel, Petition, PetitionKind, PetitionState, handled_case_ids

E = TypeVar("E", bound=StrEnum)


def visible_petitions(user: User) -> Select[Petition]:
    """Petitions of the user's units, and those of the cases assigned to them (a handler of a unit below
    may be assigned a case of the unit above: they need its petitions, scans and, after a reveal, its
    petitioners)."""
    handled = Petition.case_id.in_(handled_case_ids(user.id))
    return select(Petition).where(or_(in_scope(Petition.unit_id, user), handled))


def get_petition(petition_id: int, user: User) -> Petition:
    return get_or_404(visible_petitions(user).where(Petition.id == petition_id))


def petition_by_receipt_no(receipt_no: str, user: User) -> Petition | None:
    """The visible petition with this receipt number (case-insensitive), or None."""
    receipt_no = (receipt_no or "").strip().upper()
    if not receipt_no:
        return None
    stmt = visible_petitions(user).where(func.upper(Petition.receipt_no) == receipt_no)
    return db.session.execute(stmt).unique().scalar_one_or_none()


# --- Search ----------------------------------------------------------------------------------------------


def petitions_matching(
    column: ColumnElement[Any] | QueryableAttribute[Any], terms: list[str], user: User, *extra: ColumnElement[bool]
) -> list[Select[Any]]:
    """Selects of ``column`` of the petitions matching ``terms`` for ``user`` (see petition_ids_matching)."""
    selects: list[Select[Any]] = [select(column).where(matches(Petition, "search_text", terms), *extra)]
    shown = shown_petition_ids(user)
    if shown:
        selects.append(
            select(column).where(matches(Petition, "search_private", terms), Petition.id.in_(sorted(shown)), *extra)
        )
    return selects


def petition_ids_matching(q: str, user: User) -> CTE | None:
    """The ids of the petitions matching ``q`` for ``user`` (a CTE, column ``id``); None if ``q`` has no words.

    A confidential petition's petitioners (names, CCCD) count only while its identity is shown to the user
    (after a recorded reveal): otherwise a search would tell who the denunciator is.
    """
    terms = query_terms(q)
    return found(petitions_matching(Petition.id, terms, user), "found_petitions") if terms else None


# --- The petition list: filters --------------------------------------------------------------------------


@dataclass
class PetitionFilters:
    """The filters of the petition list, already validated (see ``parse_petition_filters``)."""

    kind: PetitionKind | None = None
    state: PetitionState | None = None
    channel: Channel | None = None
    received_from: date | None = None
    received_to: date | None = None
    #: Petitions of this unit and the units below it.
    unit_id: int | None = None
    #: Petitions of this subject area, or of an area in this group.
    subject_id: int | None = None
    subject_group: SubjectGroup | None = None
    #: Words of the receipt number, summary, content, petitioner names or citizen IDs (see app.search).
    q: str = ""
    #: Petitions with a running clock overdue, due soon or either: applied by the caller, which reads the
    #: clocks (``extra`` of ``filtered_petitions``; deadlines sit above petitions).
    deadline: str | None = None
    #: Why a given value was ignored (shown to the user).
    warnings: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.kind,
                self.state,
                self.channel,
                self.subject_id,
                self.subject_group,
                self.received_from,
                self.received_to,
                self.unit_id,
                self.q,
                self.deadline,
            )
        )


#: The filters of the petition list, in the order their warnings are shown.
PETITION_FILTERS = (
    Filter(
        "kind",
        FilterType.ENUM,
        enum_cls=PetitionKind,
        message=N_("Unknown kind of petition “%(value)s”: that filter was ignored."),
    ),
    Filter(
        "state",
        FilterType.ENUM,
        enum_cls=PetitionState,
        message=N_("Unknown petition state “%(value)s”: that filter was ignored."),
    ),
    Filter(
        "channel",
        FilterType.ENUM,
        enum_cls=Channel,
        message=N_("Unknown channel “%(value)s”: that filter was ignored."),
    ),
    *SUBJECT_FILTERS,
    Filter("unit", FilterType.UNIT, attr="unit_id"),
    Filter("received_from", FilterType.DATE, label=_l("Received from")),
    Filter("received_to", FilterType.DATE, label=_l("Received until")),
    Filter("q", FilterType.TEXT),  # cut to Filter.max_length (100) characters
    Filter(
        "deadline",
        FilterType.CHOICE,
        choices=DEADLINE_CHOICES,
        message=N_("Unknown deadline filter “%(value)s”: that filter was ignored."),
    ),
)
PETITION_RANGES = (DateRange("received_from", "received_to"),)


def parse_petition_filters(args: Mapping[str, str], user: User) -> PetitionFilters:
    """Read the list filters from query arguments; a bad value is dropped with a warning, never an error
    (see app.core.filters)."""
    values, warnings = parse_filters(args, PETITION_FILTERS, user, PETITION_RANGES)
    return PetitionFilters(**values, warnings=warnings)


def filtered_petitions(
    user: User, filters: PetitionFilters, extra: Sequence[ColumnElement[bool]] = ()
) -> Select[Petition]:
    """A select of the visible petitions matching ``filters`` and the ``extra`` conditions (no order, no
    eager loading)."""
    stmt = visible_petitions(user).where(*extra)
    if filters.kind:
        stmt = stmt.where(Petition.kind == filters.kind)
    if filters.state:
        stmt = stmt.where(Petition.state == filters.state)
    if filters.channel:
        stmt = stmt.where(Petition.channel == filters.channel)
    stmt = stmt.where(*subject_conditions(Petition.subject_area_id, filters.subject_id, filters.subject_group))
    if filters.received_from:
        stmt = stmt.where(Petition.received_on >= filters.received_from)
    if filters.received_to:
        stmt = stmt.where(Petition.received_on <= filters.received_to)
    if filters.unit_id:
        root = select(Unit.path).where(Unit.id == filters.unit_id).scalar_subquery()
        stmt = stmt.where(Petition.unit_id.in_(select(Unit.id).where(Unit.path.startswith(root))))
    if filters.q:
        # Receipt number, summary, content, petitioners (names, CCCD): word by word, diacritics ignored.
        matching = petition_ids_matching(filters.q, user)
        stmt = stmt.where(Petition.id.in_(select(matching.c.id)) if matching is not None else false())
    return stmt


def page_of_petitions(
    user: User,
    filters: PetitionFilters,
    args: Mapping[str, str],
    per_page: int,
    cap: int,
    extra: Sequence[ColumnElement[bool]] = (),
) -> Page:
    """One page of the matching petitions, newest received first, paged by position (``after``/``before``)."""
    return keyset_page(
        filtered_petitions(user, filters, extra),
        Petition.received_on,
        Petition.id,
        args,
        per_page,
        cap,
        options=(selectinload(Petition.case),),
    )


def petitions_in_order(
    user: User, filters: PetitionFilters, limit: int, extra: Sequence[ColumnElement[bool]] = ()
) -> tuple[list[Petition], bool]:
    """The matching petitions oldest first (the register as printed), at most ``limit``, and whether more
    matched."""
    stmt = (
        filtered_petitions(user, filters, extra)
        .options(selectinload(Petition.case))
        .order_by(Petition.received_on.asc(), Petition.id.asc())
        .limit(limit + 1)
    )
    petitions = list(db.session.execute(stmt).unique().scalars())
    return petitions[:limit], len(petitions) > limit
