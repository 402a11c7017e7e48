"""Read-only lookups of cases, scoped to what the user may see."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import CTE, func, or_, select

from ..core.scope import get_or_404, in_scope
from ..extensions import db
from ..petitions.models import Petition
from ..petitions.queries import petitions_matching
from ..search.match import found, matches
from ..search.text import query_terms
from ..units.queries import units_in_scope
from ..users.models import User
from ..users.queries import handlers_for
from .models import OPEN_STATES, Case, CaseTally
from .scope import visible_cases, visible_to


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


def numbers_of(case_ids: Iterable[int | None], user: User) -> dict[int, str]:
    """{id: number} of the cases among ``case_ids`` that the user may see (one query for a whole list)."""
    wanted = sorted({i for i in case_ids if i is not None})
    if not wanted:
        return {}
    rows = db.session.execute(select(Case.id, Case.number).where(Case.id.in_(wanted), visible_to(user))).all()
    return {row[0]: row[1] for row in rows}


def is_visible(case_id: int | None, user: User) -> bool:
    """Tell whether the case exists and the user may see it."""
    if case_id is None:
        return False
    return db.session.execute(select(Case.id).where(Case.id == case_id, visible_to(user))).first() is not None


def visible_ids(case_ids: Iterable[int | None], user: User) -> set[int]:
    """The ids among ``case_ids`` of cases that exist and the user may see (one query for a whole list)."""
    wanted = sorted({i for i in case_ids if i is not None})
    if not wanted:
        return set()
    return set(db.session.execute(select(Case.id).where(Case.id.in_(wanted), visible_to(user))).scalars())


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
