"""The case list: the visible cases filtered by their fields, a search, their flags and their deadlines.

Above deadlines (docs/architecture.md): the deadline filter and the most-urgent order read the clocks,
which sit above cases. ``cases.queries`` keeps the lookups of one case and the search of cases.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.base import ExecutableOption

from ..cases.models import OPEN_STATES, Case, CaseState, Complexity
from ..cases.queries import case_ids_matching
from ..cases.scope import visible_cases
from ..core.filters import N_, DateRange, Filter, FilterType, parse_filters, query_arg
from ..core.i18n import lazy_gettext as _l
from ..core.paging import Page, keyset_page, offset_page
from ..core.timeutil import local_today
from ..core.validation import parse_id
from ..deadlines import queries as deadlines
from ..flags.models import FlagKind
from ..petitions.models import PetitionKind
from ..subjects.models import SubjectGroup
from ..subjects.queries import SUBJECT_FILTERS, subject_conditions
from ..units.models import Unit
from ..users.models import User

# --- The case list: filters ----------------------------------------------------------------------------

#: How the ``unit`` filter matches: the accepting or the handling unit, the accepting unit only, or the
#: accepting unit anywhere in that unit's subtree.
UNIT_MATCHES = ("any", "case", "subtree")
OPEN = "open"


@dataclass
class CaseFilters:
    """The filters of the case list, already validated (see ``parse_case_filters``)."""

    #: A CaseState value, or "open" for any open state.
    state: str | None = None
    kind: PetitionKind | None = None
    instance: int | None = None
    complexity: Complexity | None = None
    unit_id: int | None = None
    unit_match: str = "any"
    #: Cases of this subject area, or of an area in this group.
    subject_id: int | None = None
    subject_group: SubjectGroup | None = None
    #: Only cases assigned to this officer (``mine=1`` sets it to the current user).
    handler_id: int | None = None
    mine: bool = False
    accepted_from: date | None = None
    accepted_to: date | None = None
    q: str = ""
    #: Cases with a running clock overdue, due soon, or either ("attention"): see deadlines.queries.
    deadline: str | None = None
    #: Cases with an active flag of this kind (raised by the scheduler).
    flag: FlagKind | None = None
    #: The day the deadline filter and badges are read against, and the last due date that is "due soon".
    today: date | None = None
    due_soon_until: date | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.state,
                self.kind,
                self.instance,
                self.complexity,
                self.subject_id,
                self.subject_group,
                self.unit_id,
                self.handler_id,
                self.mine,
                self.accepted_from,
                self.accepted_to,
                self.q,
                self.deadline,
                self.flag,
            )
        )

    def deadline_dates(self) -> tuple[date, date]:
        """Today and the due-soon limit, computed once (the limit needs the working-day calendar)."""
        if self.today is None:
            self.today = local_today()
        if self.due_soon_until is None:
            self.due_soon_until = deadlines.due_soon_threshold(self.today)
        return self.today, self.due_soon_until


#: The filters of the case list, in the order their warnings are shown.
CASE_FILTERS = (
    Filter(
        "state",
        FilterType.CHOICE,
        choices=(OPEN, *CaseState),
        message=N_("Unknown case state “%(value)s”: that filter was ignored."),
    ),
    Filter(
        "kind",
        FilterType.ENUM,
        enum_cls=PetitionKind,
        message=N_("Unknown kind of case “%(value)s”: that filter was ignored."),
    ),
    Filter(
        "instance",
        FilterType.CHOICE,
        choices=("1", "2"),
        convert=int,
        message=N_("The instance must be 1 or 2: that filter was ignored."),
    ),
    Filter(
        "complexity",
        FilterType.ENUM,
        enum_cls=Complexity,
        message=N_("Unknown complexity “%(value)s”: that filter was ignored."),
    ),
    *SUBJECT_FILTERS,
    Filter("unit", FilterType.UNIT, attr="unit_id"),
    Filter("mine", FilterType.FLAG),
    Filter(
        "handler",
        FilterType.ID,
        attr="handler_id",
        unless="mine",
        message=N_("Unknown handling officer: that filter was ignored."),
    ),
    Filter("accepted_from", FilterType.DATE, label=_l("Accepted from")),
    Filter("accepted_to", FilterType.DATE, label=_l("Accepted until")),
    Filter("q", FilterType.TEXT),  # cut to Filter.max_length (100) characters
    Filter(
        "deadline",
        FilterType.CHOICE,
        choices=deadlines.DEADLINE_FILTERS,
        message=N_("Unknown deadline filter “%(value)s”: that filter was ignored."),
    ),
    Filter(
        "flag",
        FilterType.ENUM,
        enum_cls=FlagKind,
        message=N_("Unknown flag “%(value)s”: that filter was ignored."),
    ),
)
CASE_RANGES = (DateRange("accepted_from", "accepted_to"),)


def parse_case_filters(args: Mapping[str, str], user: User, today: date | None = None) -> CaseFilters:
    """Read the list filters from query arguments; drop a bad value with a warning, never an error
    (see app.core.filters)."""
    values, warnings = parse_filters(args, CASE_FILTERS, user, CASE_RANGES)
    f = CaseFilters(**values, today=today, warnings=warnings)
    if f.mine:
        f.handler_id = user.id
    if f.unit_id:
        match = query_arg(args, "unit_match")
        f.unit_match = match if match in UNIT_MATCHES else "any"
    return f


def search_cases(user: User, filters: CaseFilters) -> Select[Case]:
    """Select the visible cases matching ``filters`` (no order).

    Number, title, decision number, and the receipt numbers, text and petitioners of their petitions are
    searched word by word, ignoring diacritics and case (app.search).
    """
    stmt = visible_cases(user)
    if filters.state == OPEN:
        stmt = stmt.where(Case.state.in_(sorted(OPEN_STATES)))
    elif filters.state:
        stmt = stmt.where(Case.state == CaseState(filters.state))
    if filters.kind:
        stmt = stmt.where(Case.kind == filters.kind)
    if filters.instance:
        stmt = stmt.where(Case.instance == filters.instance)
    if filters.complexity:
        stmt = stmt.where(Case.complexity == filters.complexity)
    stmt = stmt.where(*subject_conditions(Case.subject_area_id, filters.subject_id, filters.subject_group))
    if filters.unit_id:
        if filters.unit_match == "case":
            stmt = stmt.where(Case.unit_id == filters.unit_id)
        elif filters.unit_match == "subtree":
            root = select(Unit.path).where(Unit.id == filters.unit_id).scalar_subquery()
            stmt = stmt.where(Case.unit_id.in_(select(Unit.id).where(Unit.path.startswith(root))))
        else:
            stmt = stmt.where(or_(Case.unit_id == filters.unit_id, Case.handling_unit_id == filters.unit_id))
    if filters.handler_id:
        stmt = stmt.where(Case.handler_id == filters.handler_id)
    if filters.accepted_from:
        stmt = stmt.where(Case.accepted_on >= filters.accepted_from)
    if filters.accepted_to:
        stmt = stmt.where(Case.accepted_on <= filters.accepted_to)
    if filters.q:
        matching = case_ids_matching(filters.q, user)
        stmt = stmt.where(Case.id.in_(select(matching.c.id)) if matching is not None else false())
    if filters.flag:
        stmt = stmt.where(Case.id.in_(deadlines.cases_with_flag(filters.flag)))
    if filters.deadline:
        today, until = filters.deadline_dates()
        stmt = stmt.where(Case.id.in_(deadlines.cases_with_deadline(filters.deadline, today, until)))
    return stmt


def list_options() -> tuple[ExecutableOption, ...]:
    """What the list shows of each case, loaded with it (no query per row)."""
    return joinedload(Case.handler), joinedload(Case.handling_unit)


def page_of_cases(user: User, filters: CaseFilters, args: Mapping[str, str], per_page: int, cap: int) -> Page:
    """One page of ``search_cases``: newest accepted first, paged by position (``after``/``before``).

    With a deadline filter the most urgent come first (the earliest due date of the matching clocks); that
    list holds open cases only and is paged by number (``page``).
    """
    stmt = search_cases(user, filters)
    if filters.deadline:
        today, until = filters.deadline_dates()
        stmt = stmt.order_by(deadlines.most_urgent_due(filters.deadline, today, until), Case.id)
        page = parse_id((args.get("page") or "1").strip(), max_digits=6) or 1
        return offset_page(stmt, Case.id, page, per_page, cap, options=list_options())
    return keyset_page(stmt, Case.accepted_on, Case.id, args, per_page, cap, options=list_options())
