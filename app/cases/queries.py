"""Read-only lookups of cases, scoped to what the user may see."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import CTE, ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.base import ExecutableOption

from ..core.filters import N_, DateRange, Filter, FilterType, parse_filters, query_arg
from ..core.i18n import lazy_gettext as _l
from ..core.paging import Page, keyset_page, offset_page
from ..core.scope import get_or_404, in_scope
from ..core.timeutil import local_today
from ..core.validation import parse_id
from ..deadlines import queries as deadlines
from ..extensions import db
from ..flags.models import FlagKind
from ..petitions.models import Petition, PetitionKind
from ..petitions.queries import petitions_matching
from ..search.match import found, matches
from ..search.text import query_terms
from ..units.models import Unit
from ..units.queries import units_in_scope
from ..users.models import User
from ..users.queries import handlers_for
from .models import OPEN_STATES, Case, CaseState, CaseTally, Complexity


def visible_cases(user: User) -> Select[Case]:
    """Cases of the user's subtree, those handled in it, and those assigned to the user."""
    return select(Case).where(_visible(user))


def _visible(user: User) -> ColumnElement[bool]:
    return or_(in_scope(Case.unit_id, user), in_scope(Case.handling_unit_id, user), Case.handler_id == user.id)


def visible_to(user: User) -> ColumnElement[bool]:
    """SQL condition: the case is visible to ``user`` (for selects of case columns rather than cases)."""
    return _visible(user)


def case_by_number(number: str, user: User) -> Case | None:
    """The visible case with this number (case-insensitive), or None."""
    number = (number or "").strip().upper()
    if not number:
        return None
    stmt = visible_cases(user).where(func.upper(Case.number) == number)
    return db.session.execute(stmt).unique().scalar_one_or_none()


def get_case(case_id: int, user: User) -> Case:
    """The case, or 404 if it does not exist or is outside the user's scope."""
    return get_or_404(visible_cases(user).where(Case.id == case_id))


def is_visible(case_id: int | None, user: User) -> bool:
    """Tell whether the case exists and the user may see it."""
    if case_id is None:
        return False
    return db.session.execute(select(Case.id).where(Case.id == case_id, _visible(user))).first() is not None


def visible_ids(case_ids: Iterable[int | None], user: User) -> set[int]:
    """The ids among ``case_ids`` of cases that exist and the user may see (one query for a whole list)."""
    wanted = sorted({i for i in case_ids if i is not None})
    if not wanted:
        return set()
    return set(db.session.execute(select(Case.id).where(Case.id.in_(wanted), _visible(user))).scalars())


def child_cases(case: Case, user: User) -> list[Case]:
    """Return the visible cases that appeal ``case`` (second-instance complaints linked to it)."""
    stmt = visible_cases(user).where(Case.parent_case_id == case.id).order_by(Case.id)
    return list(db.session.execute(stmt).unique().scalars())


# --- Search ----------------------------------------------------------------------------------------------


def case_ids_matching(q: str, user: User) -> CTE | None:
    """The ids of cases whose number, title or decision, or one of whose petitions, matches (a CTE, ``id``)."""
    terms = query_terms(q)
    if not terms:
        return None
    by_petition = petitions_matching(Petition.case_id.label("id"), terms, user, Petition.case_id.is_not(None))
    return found([select(Case.id).where(matches(Case, "search_text", terms)), *by_petition], "found_cases")


# --- The case list: filters ----------------------------------------------------------------------------

#: How the ``unit`` filter matches: the accepting or the handling unit, the accepting unit only, or the
#: accepting unit anywhere in that unit's subtree.
UNIT_MATCHES = ("any", "case", "subtree")
OPEN = "open"
MAX_QUERY_LENGTH = 100


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
    Filter("q", FilterType.TEXT, max_length=MAX_QUERY_LENGTH),
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


# --- The caseload --------------------------------------------------------------------------------------


@dataclass
class CaseloadRow:
    """Counts for one unit or one officer."""

    subject: object
    depth: int = 0
    by_state: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


@dataclass
class Caseload:
    units: list[CaseloadRow]
    officers: list[CaseloadRow]
    totals: CaseloadRow


def caseload(user: User) -> Caseload:
    """Count the cases of the user's subtree per accepting unit (state, kind) and per officer (open cases)."""
    root_depth = user.unit.depth
    units = units_in_scope(user, active_only=False)
    rows = {u.id: CaseloadRow(u, depth=u.depth - root_depth) for u in units}
    totals = CaseloadRow(None)
    # From the tallies the database keeps (CaseTally), not by counting every case of the province.
    t = CaseTally
    counts = db.session.execute(
        select(t.unit_id, t.state, t.kind, func.sum(t.n))
        .where(in_scope(t.unit_id, user))
        .group_by(t.unit_id, t.state, t.kind)
        .having(func.sum(t.n) != 0)
    )
    for unit_id, state, kind, n in counts:
        for row in (rows[unit_id], totals):
            row.by_state[state] += n
            row.by_kind[kind] += n
    unit_rows = [rows[u.id] for u in units if u.is_active or rows[u.id].total]

    by_officer: dict[int, CaseloadRow] = {}
    visible = or_(in_scope(t.unit_id, user), in_scope(t.handling_unit_id, user), t.handler_id == user.id)
    counts = db.session.execute(
        select(t.handler_id, t.state, t.kind, func.sum(t.n))
        .where(visible, t.state.in_(sorted(OPEN_STATES)), t.handler_id != 0)
        .group_by(t.handler_id, t.state, t.kind)
        .having(func.sum(t.n) != 0)
    )
    for handler_id, state, kind, n in counts:
        row = by_officer.setdefault(handler_id, CaseloadRow(None))
        row.by_state[state] += n
        row.by_kind[kind] += n
    officers = {u.id: u for u in handlers_for(user.unit)}
    missing = set(by_officer) - set(officers)
    if missing:
        officers.update((u.id, u) for u in db.session.execute(select(User).where(User.id.in_(missing))).scalars())
    officer_rows = []
    for officer in sorted(officers.values(), key=lambda u: (u.unit.path, u.full_name)):
        row = by_officer.get(officer.id) or CaseloadRow(None)
        row.subject = officer
        officer_rows.append(row)
    return Caseload(units=unit_rows, officers=officer_rows, totals=totals)
