"""Read-only lookups of the deadlines: each clock's status today, the deadline filters, counts and urgency
lists; and, for the administration screens, the rule table, a rule's history and the calendar.

Everything here is derived from the stored clocks (due date, status) and today's date, never from the
flags the scheduler raises, so the pages are right even when the scheduler has not run.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, cast

import holidays
from flask import current_app
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Label, ScalarSelect, Select, and_, distinct, func, or_, select, union
from sqlalchemy import case as sql_case
from sqlalchemy.orm import QueryableAttribute, selectinload

from ..cases.models import Case, CaseState, Complexity
from ..cases.scope import visible_to
from ..core.filters import DEADLINE_CHOICES
from ..core.scope import get_or_404, in_scope, subtree_ids
from ..core.timeutil import local_today
from ..extensions import db
from ..flags.models import Flag, FlagKind
from ..petitions.models import Petition
from ..units.models import Unit
from ..users.models import User
from .calendar import WorkCalendar, load_calendar
from .models import (
    CITIZEN_PERIODS,
    CalendarOverride,
    Clock,
    ClockStatus,
    DayUnit,
    DeadlineRule,
    DeadlineRuleChange,
    RuleKind,
    Stage,
)

#: Periods the law gives the citizen (to lodge, to appeal; before a decision takes effect). When one ends,
#: nobody is late: these stages never count as overdue or due soon.
#: Stages whose due date is a duty of the unit.
DUTY_STAGES = tuple(s for s in Stage if s not in CITIZEN_PERIODS)
#: The order in which a petition and its case meet the stages (the order of the enum).
STAGE_ORDER = {s: i for i, s in enumerate(Stage)}

#: Values of the case list's ``deadline`` filter; "attention" is either of the other two.
OVERDUE, DUE_SOON, ATTENTION = DEADLINE_FILTERS = DEADLINE_CHOICES


def due_soon_days() -> int:
    """The configured number of working days within which a running clock is due soon."""
    return int(current_app.config.get("DUE_SOON_WORKING_DAYS", 3))


def due_soon_threshold(today: date, cal: WorkCalendar | None = None, days: int | None = None) -> date:
    """The last due date that counts as due soon on ``today``: ``days`` working days ahead."""
    cal = cal or load_calendar()
    return cal.add_working_days(today, due_soon_days() if days is None else days)


def deadline_status(due_on: date | None, today: date, until: date) -> str | None:
    """ "overdue", "due_today", "due_soon" or None for a running clock due on ``due_on``."""
    if due_on is None:
        return None
    if due_on < today:
        return "overdue"
    if due_on == today:
        return "due_today"
    if due_on <= until:
        return "due_soon"
    return None


# --- One clock, as a page shows it -----------------------------------------------------------------------


@dataclass
class ClockRow:
    """A clock with its status on a given day.

    ``status`` is one of: done, done_late, cancelled, suspended, overdue, due_today, due_soon, running,
    period (a citizen's period still running), period_over (it ended).
    """

    clock: Clock
    status: str
    #: Calendar days: late (done_late, overdue, period_over) or left (due_soon, running, period).
    days: int = 0
    #: For a petition's clock shown on its case: the petition's receipt number.
    petition_no: str | None = None

    @property
    def stage(self) -> Stage:
        return self.clock.stage

    @property
    def is_fixed(self) -> bool:
        return self.clock.fixed_due_on is not None

    @property
    def is_period(self) -> bool:
        return self.clock.stage in CITIZEN_PERIODS


def describe_clock(clock: Clock, today: date, until: date, petition_no: str | None = None) -> ClockRow:
    """The status of ``clock`` on ``today`` (``until``: the last due date that counts as due soon)."""
    if clock.status is ClockStatus.DONE:
        late = (clock.completed_on - clock.due_on).days if clock.completed_on else 0
        is_late = late > 0 and clock.stage not in CITIZEN_PERIODS
        return ClockRow(clock, "done_late" if is_late else "done", late if is_late else 0, petition_no)
    if clock.status is ClockStatus.CANCELLED:
        return ClockRow(clock, "cancelled", 0, petition_no)
    if clock.status is ClockStatus.PAUSED:
        return ClockRow(clock, "suspended", 0, petition_no)
    left = (clock.due_on - today).days
    if clock.stage in CITIZEN_PERIODS:
        return ClockRow(clock, "period" if left >= 0 else "period_over", abs(left), petition_no)
    status = deadline_status(clock.due_on, today, until) or "running"
    return ClockRow(clock, status, abs(left), petition_no)


def _sort_key(clock: Clock) -> tuple[int, bool, date, int]:
    # A petition's clocks before its case's at the same stage; then by start, then creation.
    return (STAGE_ORDER.get(clock.stage, 99), clock.case_id is not None, clock.started_on, clock.id)


def clocks_of_case(case: Case) -> list[Clock]:
    """The clocks of ``case`` and of its petitions, in stage order, with their rules and extensions."""
    petitions = select(Petition.id).where(Petition.case_id == case.id)
    # A UNION of two indexed lookups: "case_id = x OR petition_id IN (...)" reads every clock (millions).
    ids = union(
        select(Clock.id).where(Clock.case_id == case.id), select(Clock.id).where(Clock.petition_id.in_(petitions))
    )
    stmt = select(Clock).where(Clock.id.in_(ids)).options(selectinload(Clock.extensions))
    return sorted(db.session.execute(stmt).unique().scalars(), key=_sort_key)


def clocks_of_petition(petition: Petition) -> list[Clock]:
    """The clocks of ``petition`` (first answer, classification, acceptance), in stage order."""
    stmt = select(Clock).where(Clock.petition_id == petition.id).options(selectinload(Clock.extensions))
    return sorted(db.session.execute(stmt).unique().scalars(), key=_sort_key)


@dataclass
class Deadlines:
    """What the deadline panel of a case or petition page shows."""

    rows: list[ClockRow]
    today: date
    #: The last due date that counts as due soon, and the working days that makes.
    due_soon_until: date
    due_soon_days: int


def _panel(clocks: list[Clock], today: date | None, receipt_nos: dict[int | None, str]) -> Deadlines:
    today = today or local_today()
    until = due_soon_threshold(today)
    rows = [describe_clock(c, today, until, receipt_nos.get(c.petition_id)) for c in clocks]
    return Deadlines(rows=rows, today=today, due_soon_until=until, due_soon_days=due_soon_days())


def deadlines_of_case(case: Case, today: date | None = None) -> Deadlines:
    """The deadline panel of a case page: its clocks and its petitions' clocks, each with its status."""
    return _panel(clocks_of_case(case), today, {p.id: p.receipt_no for p in case.petitions})


def deadlines_of_petition(petition: Petition, today: date | None = None) -> Deadlines:
    """The deadline panel of a petition page."""
    return _panel(clocks_of_petition(petition), today, {})


# --- Deadlines across cases: filters, counts, the attention list ----------------------------------------


def running_duty_clock() -> ColumnElement[bool]:
    """SQL condition: a running clock of a case at a stage whose due date is a duty of the unit."""
    return and_(Clock.case_id.is_not(None), Clock.status == ClockStatus.RUNNING, Clock.stage.in_(DUTY_STAGES))


def deadline_condition(kind: str, today: date, until: date) -> ColumnElement[bool]:
    """SQL condition on a clock's due date for the ``deadline`` filter value ``kind``."""
    if kind == OVERDUE:
        return Clock.due_on < today
    if kind == DUE_SOON:
        return and_(Clock.due_on >= today, Clock.due_on <= until)
    if kind == ATTENTION:
        return Clock.due_on <= until
    raise ValueError(kind)


def cases_with_deadline(kind: str, today: date, until: date) -> Select[int | None]:
    """A subquery of the ids of the cases with a running duty clock that is ``kind`` (overdue, ...)."""
    return select(Clock.case_id).where(running_duty_clock(), deadline_condition(kind, today, until))


def most_urgent_due(kind: str, today: date, until: date) -> ScalarSelect[date]:
    """A correlated scalar subquery: the earliest due date of the case's clocks that are ``kind``."""
    return (
        select(func.min(Clock.due_on))
        .where(Clock.case_id == Case.id, running_duty_clock(), deadline_condition(kind, today, until))
        .correlate(Case)
        .scalar_subquery()
    )


def cases_with_flag(kind: FlagKind) -> Select[int]:
    """A subquery of the ids of the cases with an active (uncleared) flag of this kind."""
    return select(Flag.subject_id).where(Flag.subject == "case", Flag.kind == kind, Flag.cleared_at.is_(None))


def nearest_due(case_ids: Iterable[int]) -> dict[int, date]:
    """{case id: the earliest due date of its running duty clocks}, in one grouped query."""
    ids = list(case_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Clock.case_id, func.min(Clock.due_on))
        .where(Clock.case_id.in_(ids), running_duty_clock())
        .group_by(Clock.case_id)
    )
    # case_id IN ids: the column is never NULL in these rows, whatever its declared type.
    return cast("dict[int, date]", dict(rows.all()))


# --- Deadlines across petitions (before a case is opened: classification, a denunciation's acceptance) ---


def running_petition_clock() -> ColumnElement[bool]:
    """SQL condition: a running clock of a petition at a stage whose due date is a duty of the unit."""
    return and_(Clock.petition_id.is_not(None), Clock.status == ClockStatus.RUNNING, Clock.stage.in_(DUTY_STAGES))


def petitions_with_deadline(kind: str, today: date, until: date) -> Select[int | None]:
    """A subquery of the ids of the petitions with a running duty clock that is ``kind`` (overdue, ...)."""
    return select(Clock.petition_id).where(running_petition_clock(), deadline_condition(kind, today, until))


def nearest_petition_due(petition_ids: Iterable[int]) -> dict[int, date]:
    """{petition id: the earliest due date of its running duty clocks}, in one grouped query."""
    ids = list(petition_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Clock.petition_id, func.min(Clock.due_on))
        .where(Clock.petition_id.in_(ids), running_petition_clock())
        .group_by(Clock.petition_id)
    )
    return cast("dict[int, date]", dict(rows.all()))


@dataclass
class PetitionAttentionRow:
    """A petition with an overdue or due-soon clock: its most urgent clock."""

    petition_id: int
    receipt_no: str
    summary: str
    unit_code: str
    stage: Stage
    due_on: date
    status: str | None
    days: int


def petition_attention_list(
    user: User, today: date, limit: int = 50, until: date | None = None
) -> tuple[list[PetitionAttentionRow], int]:
    """The petitions of the user's units with a running duty clock overdue or due soon, most urgent first
    (the earliest due date), and how many there are in all; one query."""
    until = until or due_soon_threshold(today)
    ranked = (
        select(
            Clock.petition_id,
            Clock.stage,
            Clock.due_on,
            func.row_number().over(partition_by=Clock.petition_id, order_by=(Clock.due_on, Clock.id)).label("rn"),
        )
        .where(running_petition_clock(), Clock.due_on <= until)
        .subquery()
    )
    stmt = (
        select(
            Petition.id,
            Petition.receipt_no,
            Petition.summary,
            Unit.code,
            ranked.c.stage,
            ranked.c.due_on,
            func.count().over().label("total"),
        )
        .join(ranked, ranked.c.petition_id == Petition.id)
        .join(Unit, Unit.id == Petition.unit_id)
        .where(in_scope(Petition.unit_id, user), ranked.c.rn == 1)
        .order_by(ranked.c.due_on, Petition.id)
        .limit(limit)
    )
    rows, total = [], 0
    for row in db.session.execute(stmt):
        pid, receipt_no, summary, unit_code, stage, due_on, total = row  # every row carries the total
        rows.append(
            PetitionAttentionRow(
                pid,
                receipt_no,
                summary,
                unit_code,
                stage,
                due_on,
                deadline_status(due_on, today, until),
                abs((due_on - today).days),
            )
        )
    return rows, total


@dataclass
class DeadlineCount:
    """Cases with an overdue clock, and cases with a clock due soon (a case may be in both)."""

    overdue: int = 0
    due_soon: int = 0

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_soon)


@dataclass
class OfficerDeadlines:
    officer_id: int
    username: str
    full_name: str
    unit_code: str
    count: DeadlineCount


@dataclass
class DeadlineCounts:
    #: {accepting unit id: counts} for the units of the user's subtree.
    units: dict[int, DeadlineCount] = field(default_factory=dict)
    total: DeadlineCount = field(default_factory=DeadlineCount)
    #: Officers with at least one case overdue or due soon, in unit and name order.
    officers: list[OfficerDeadlines] = field(default_factory=list)


def _counted(today: date, until: date) -> tuple[Label[int], Label[int]]:
    """count(DISTINCT case) of the overdue and of the due-soon clocks, for a grouped select."""
    overdue = func.count(distinct(sql_case((Clock.due_on < today, Case.id))))
    soon = func.count(distinct(sql_case((Clock.due_on >= today, Case.id))))
    return overdue.label("overdue"), soon.label("due_soon")


def deadline_counts(user: User, today: date, until: date) -> DeadlineCounts:
    """Per accepting unit (the user's subtree) and per handling officer (visible cases): cases overdue or
    due soon. Two grouped queries; each count matches the case list filtered by ``deadline`` and unit
    (``unit_match=case``) or officer.
    """
    out = DeadlineCounts()
    attention = and_(running_duty_clock(), Clock.due_on <= until)
    per_unit = db.session.execute(
        select(Case.unit_id, *_counted(today, until))
        .join(Clock, Clock.case_id == Case.id)
        .where(in_scope(Case.unit_id, user), attention)
        .group_by(Case.unit_id)
    )
    for unit_id, overdue, soon in per_unit:
        out.units[unit_id] = DeadlineCount(overdue, soon)
        out.total.overdue += overdue
        out.total.due_soon += soon
    per_officer = (
        select(Case.handler_id.label("handler_id"), *_counted(today, until))
        .join(Clock, Clock.case_id == Case.id)
        .where(visible_to(user), Case.handler_id.is_not(None), attention)
        .group_by(Case.handler_id)
        .subquery()
    )
    rows = db.session.execute(
        select(User.id, User.username, User.full_name, Unit.code, per_officer.c.overdue, per_officer.c.due_soon)
        .join(per_officer, per_officer.c.handler_id == User.id)
        .join(Unit, Unit.id == User.unit_id)
        .order_by(Unit.path, User.full_name)
    )
    out.officers = [
        OfficerDeadlines(uid, username, name, code, DeadlineCount(overdue, soon))
        for uid, username, name, code, overdue, soon in rows
    ]
    return out


@dataclass
class AttentionRow:
    """A case with an overdue or due-soon clock: its most urgent clock."""

    case_id: int
    number: str
    title: str
    state: CaseState
    unit_code: str
    handler_name: str | None
    stage: Stage
    due_on: date
    #: deadline_status's: the query keeps only overdue and due-soon clocks, so it is not None in practice.
    status: str | None
    #: Calendar days late (overdue) or left.
    days: int


@dataclass
class AttentionList:
    rows: list[AttentionRow]
    #: All cases needing attention (the rows are the first ``limit`` of them).
    total: int
    today: date
    due_soon_until: date


def attention_list(user: User, today: date, limit: int = 50, until: date | None = None) -> AttentionList:
    """The visible cases with a running duty clock overdue or due soon, most urgent first, in one query.

    Urgency: the most days overdue first, then the soonest due (that is, the earliest due date).
    """
    until = until or due_soon_threshold(today)
    ranked = (
        select(
            Clock.case_id,
            Clock.stage,
            Clock.due_on,
            func.row_number().over(partition_by=Clock.case_id, order_by=(Clock.due_on, Clock.id)).label("rn"),
        )
        .where(running_duty_clock(), Clock.due_on <= until)
        .subquery()
    )
    stmt = (
        select(
            Case.id,
            Case.number,
            Case.title,
            Case.state,
            Unit.code,
            User.full_name,
            ranked.c.stage,
            ranked.c.due_on,
            func.count().over().label("total"),
        )
        .join(ranked, ranked.c.case_id == Case.id)
        .join(Unit, Unit.id == Case.unit_id)
        .outerjoin(User, User.id == Case.handler_id)
        .where(visible_to(user), ranked.c.rn == 1)
        .order_by(ranked.c.due_on, Case.id)
        .limit(limit)
    )
    rows, total = [], 0
    for row in db.session.execute(stmt):
        case_id, number, title, state, unit_code, handler, stage, due_on, total = row  # every row carries the total
        rows.append(
            AttentionRow(
                case_id,
                number,
                title,
                state,
                unit_code,
                handler,
                stage,
                due_on,
                deadline_status(due_on, today, until),
                abs((due_on - today).days),
            )
        )
    return AttentionList(rows=rows, total=total, today=today, due_soon_until=until)


# ==== The administration screens: the rule table ============================================================

_KIND_ORDER = {k: i for i, k in enumerate(RuleKind)}
_COMPLEXITY_ORDER: dict[Complexity | None, int] = {
    None: 0,
    Complexity.NORMAL: 1,
    Complexity.COMPLEX: 2,
    Complexity.ESPECIALLY_COMPLEX: 3,
}


def visible_rules(user: User) -> ColumnElement[bool]:
    """SQL condition: the national rules, and the rules of the user's subtree and of the units above it."""
    return or_(
        DeadlineRule.unit_id.is_(None),
        DeadlineRule.unit_id.in_(subtree_ids(user)),
        DeadlineRule.unit_id.in_(user.unit.ancestors()),
    )


def get_rule(rule_id: int, user: User) -> DeadlineRule:
    """The rule with ``rule_id`` if the user may see it; 404 otherwise."""
    return get_or_404(select(DeadlineRule).where(DeadlineRule.id == rule_id, visible_rules(user)))


def _rule_order(rule: DeadlineRule) -> tuple[int, int, bool, int, int, int, bool, bool, int, date, int]:
    return (
        _KIND_ORDER[rule.kind],
        STAGE_ORDER[rule.stage],
        rule.unit_id is not None,
        rule.unit_id or 0,
        rule.instance or 0,
        _COMPLEXITY_ORDER.get(rule.complexity, 9),
        rule.is_remote is not None,
        bool(rule.is_remote),
        rule.min_sites or 0,
        rule.effective_from,
        rule.id,
    )


def rules_for(user: User, *, on: date | None = None, to_verify: bool = False) -> list[DeadlineRule]:
    """The rules the user may see, by kind and stage; ``on``: only those in force that day."""
    stmt = select(DeadlineRule).where(visible_rules(user))
    if on is not None:
        stmt = stmt.where(
            DeadlineRule.is_active.is_(True),
            DeadlineRule.effective_from <= on,
            or_(DeadlineRule.effective_to.is_(None), DeadlineRule.effective_to > on),
        )
    if to_verify:
        stmt = stmt.where(DeadlineRule.is_verified.is_(False))
    return sorted(db.session.scalars(stmt), key=_rule_order)


def group_rules(rules: list[DeadlineRule]) -> list[tuple[RuleKind, Stage, list[DeadlineRule]]]:
    """Consecutive rules of the same kind and stage, as (kind, stage, rules)."""
    groups: list[tuple[RuleKind, Stage, list[DeadlineRule]]] = []
    for rule in rules:
        if groups and groups[-1][0] is rule.kind and groups[-1][1] is rule.stage:
            groups[-1][2].append(rule)
        else:
            groups.append((rule.kind, rule.stage, [rule]))
    return groups


def units_by_id(ids: Iterable[int | None]) -> dict[int, Unit]:
    """The units with these ids (to show the unit a rule is for), in one query."""
    ids = {i for i in ids if i}
    return {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))} if ids else {}


# ---- a rule's history ------------------------------------------------------------------------------------

FIELD_LABELS = {
    "kind": lambda: _("Applies to"),
    "stage": lambda: _("Stage"),
    "instance": lambda: _("Instance"),
    "complexity": lambda: _("Complexity"),
    "is_remote": lambda: _("Remote area"),
    "min_sites": lambda: _("Minimum number of sites"),
    "unit_id": lambda: _("Unit"),
    "limit_days": lambda: _("Limit"),
    "day_unit": lambda: _("Counted in"),
    "unit": lambda: _("Counted in"),  # the name of day_unit in changes recorded before it was renamed
    "max_extensions": lambda: _("Extensions allowed"),
    "extension_days": lambda: _("Length of an extension"),
    "legal_basis": lambda: _("Legal basis"),
    "is_verified": lambda: _("Verified against the legal text"),
    "note": lambda: _("Note"),
    "effective_from": lambda: _("In force from"),
    "effective_to": lambda: _("In force until"),
    "is_active": lambda: _("Active"),
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    change: DeadlineRuleChange
    created: bool = False
    fields: list[FieldChange] = field(default_factory=list)


def show_value(name: str, value: Any, units: dict[int, Unit] | None = None) -> str:
    """A stored rule value (as recorded in the history JSON) in words."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        answer: str = _("Yes") if value else _("No")
        return answer
    if name in ("effective_from", "effective_to"):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            return str(value)
    enums = {"day_unit": DayUnit, "unit": DayUnit, "kind": RuleKind, "stage": Stage, "complexity": Complexity}
    if name in enums and value in enums[name]._value2member_map_:
        return enums[name](value).label
    if name == "unit_id" and units and value in units:
        return units[value].code
    if name == "instance":
        instance: str = {1: _("First instance"), 2: _("Second instance")}.get(value, str(value))
        return instance
    return str(value)


def rule_history(rule: DeadlineRule) -> list[HistoryEntry]:
    """The rule's changes, newest first, each field decoded as old → new."""
    rows = list(
        db.session.scalars(
            select(DeadlineRuleChange)
            .options(selectinload(DeadlineRuleChange.actor))
            .where(DeadlineRuleChange.rule_id == rule.id)
            .order_by(DeadlineRuleChange.at.desc(), DeadlineRuleChange.id.desc())
        )
    )
    decoded = []
    for row in rows:
        try:
            data = json.loads(row.changes)
        except (TypeError, ValueError):
            data = None
        decoded.append((row, data))
    unit_ids = {
        v
        for _row, data in decoded
        if isinstance(data, dict) and "unit_id" in data
        for v in data["unit_id"]
        if isinstance(v, int)
    }
    units = units_by_id(unit_ids)
    out = []
    for row, data in decoded:
        entry = HistoryEntry(row, created=data == "created")
        if isinstance(data, dict):
            for name, pair in data.items():
                old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
                label = FIELD_LABELS[name]() if name in FIELD_LABELS else name
                entry.fields.append(FieldChange(label, show_value(name, old, units), show_value(name, new, units)))
        out.append(entry)
    return out


# ---- the calendar ----------------------------------------------------------------------------------------

PACKAGE_CALENDAR = WorkCalendar()  # the holidays package alone, without the administrators' overrides


def package_is_working_day(day: date) -> bool:
    """What the holidays package alone says about ``day``."""
    return PACKAGE_CALENDAR.is_working_day(day)


def weekday(day: date) -> str:
    name: str = format_date(day, "EEEE")
    return name


def in_year(column: QueryableAttribute[date], year: int) -> ColumnElement[bool]:
    return column.between(date(year, 1, 1), date(year, 12, 31))


def get_override(override_id: int) -> CalendarOverride:
    """One override (the calendar is national: every reader may see it); 404 when missing."""
    return get_or_404(select(CalendarOverride).where(CalendarOverride.id == override_id))


@dataclass
class OverrideRow:
    override: CalendarOverride
    weekday: str
    package_working: bool
    package_name: str | None
    creator: object | None

    @property
    def has_effect(self) -> bool:
        return self.override.is_working_day != self.package_working


def overrides_of_year(year: int) -> list[OverrideRow]:
    """The year's overrides by day, each with what the package says and who recorded it."""
    rows = list(
        db.session.scalars(
            select(CalendarOverride).where(in_year(CalendarOverride.day, year)).order_by(CalendarOverride.day)
        )
    )
    creator_ids = {r.created_by_id for r in rows if r.created_by_id}
    creators: dict[int | None, User] = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(creator_ids)))} if creator_ids else {}
    )
    names = _package_year(year, _language())
    return [
        OverrideRow(r, weekday(r.day), package_is_working_day(r.day), names.get(r.day), creators.get(r.created_by_id))
        for r in rows
    ]


@dataclass
class PackageDay:
    day: date
    weekday: str
    name: str
    is_working_day: bool  # what the package says
    is_makeup: bool
    override: CalendarOverride | None = None


def _language() -> str:
    return "vi" if str(get_locale()).startswith("vi") else "en_US"


@lru_cache(maxsize=32)
def _package_year(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language=language)


def package_days(year: int) -> list[PackageDay]:
    """The public holidays and make-up working days the holidays package knows for ``year``."""
    h = _package_year(year, _language())
    overrides = {
        o.day: o for o in db.session.scalars(select(CalendarOverride).where(in_year(CalendarOverride.day, year)))
    }
    days = [
        PackageDay(d, weekday(d), name, package_is_working_day(d), False, overrides.get(d))
        for d, name in h.items()
        if d.year == year
    ]
    days += [
        PackageDay(d, weekday(d), _("Make-up working day"), package_is_working_day(d), True, overrides.get(d))
        for d in h.weekend_workdays
        if d.year == year
    ]
    return sorted(days, key=lambda p: p.day)
