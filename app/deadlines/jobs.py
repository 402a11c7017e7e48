"""Scheduled jobs of the deadlines domain: due-soon/overdue flags and decisions taking legal effect.

Plain, idempotent, set-based functions of ``now`` (a naive UTC datetime): a handful of SQL statements
over all rows, whatever their number. They only flush; the caller commits.
"""

from datetime import date, datetime

from flask import current_app
from sqlalchemy import ColumnElement, String, and_, case, cast, func, literal, or_, select, update

from ..cases.models import Case, CaseState
from ..core.db import affected_rows
from ..core.sql import json_sql
from ..core.timeutil import to_local
from ..extensions import db
from ..flags.models import Flag, FlagKind
from ..flags.operations import insert_flags
from ..petitions.models import PetitionKind
from .calendar import load_calendar
from .lifecycle import ClockEvent, stages_ended_by
from .models import CITIZEN_PERIODS, Clock, ClockStatus, Stage

#: Periods that are not a duty of the unit (the citizen's time to appeal or lodge, the wait for legal
#: effect): no due-soon or overdue flag for them.
DEADLINE_KINDS = (FlagKind.OVERDUE, FlagKind.DUE_SOON)


def local_date(now: datetime) -> date:
    """The date in Vietnam at the naive-UTC instant ``now``."""
    return to_local(now).date()


def due_soon_until(today: date) -> date:
    """The last due date that counts as due soon: DUE_SOON_WORKING_DAYS working days after today."""
    return load_calendar().add_working_days(today, current_app.config["DUE_SOON_WORKING_DAYS"])


def _deadline_detail() -> ColumnElement[str]:
    """The flag detail of a clock, also what tells a flag apart once the due date moved."""
    return json_sql({"stage": Clock.stage, "due_on": Clock.due_on})


def flag_deadlines(now: datetime) -> dict[str, int]:
    """Raise OVERDUE and DUE_SOON flags on running clocks; clear those whose cause went away.

    A flag is cleared when its clock finished, was suspended or lapsed, or its due date moved (an
    extension, a suspension): a flag for the new due date is raised in the same run if it still applies.
    """
    today = local_date(now)
    until = due_soon_until(today)
    detail = _deadline_detail()
    duty = and_(Clock.status == ClockStatus.RUNNING, Clock.stage.not_in(CITIZEN_PERIODS))

    # 1. Clear: the clock no longer supports the flag exactly as it was raised.
    supported = select(Clock.id).where(
        Clock.id == Flag.clock_id,
        duty,
        Flag.detail == detail,
        or_(
            and_(Flag.kind == FlagKind.OVERDUE, Clock.due_on < today),
            and_(Flag.kind == FlagKind.DUE_SOON, Clock.due_on >= today, Clock.due_on <= until),
        ),
    )
    cleared = affected_rows(
        db.session.execute(
            update(Flag)
            .where(Flag.kind.in_(DEADLINE_KINDS), Flag.cleared_at.is_(None), ~supported.exists())
            .values(cleared_at=now)
            .execution_options(synchronize_session=False)
        )
    )

    # 2. Raise: every running duty clock due by ``until`` that has no active flag of its kind.
    kind = case((Clock.due_on < today, FlagKind.OVERDUE.value), else_=FlagKind.DUE_SOON.value)
    subject = case((Clock.case_id.is_not(None), "case"), else_="petition")
    subject_id = func.coalesce(Clock.case_id, Clock.petition_id)
    already = select(Flag.id).where(
        Flag.subject == subject,
        Flag.subject_id == subject_id,
        Flag.kind == kind,
        Flag.clock_id == Clock.id,
        Flag.cleared_at.is_(None),
    )
    rows = select(
        cast(subject, String),
        subject_id,
        cast(kind, String),
        Clock.id,
        Clock.unit_id,
        literal(now, Flag.raised_at.type),
        detail,
    ).where(duty, Clock.due_on <= until, ~already.exists())
    raised = insert_flags(rows)
    return {"raised": raised, "cleared": cleared}


def open_appeals_of_lapsed_complaints(now: datetime) -> dict[str, int]:
    """A first-instance complaint whose resolution period ran out with no decision may be appealed (Law on
    Complaints 2011 art. 33): its appeal period starts on the day after the last day of resolution."""
    from .clocks import start_lapsed_appeal

    today = local_date(now)
    appeal = db.aliased(Clock)
    has_appeal = select(appeal.id).where(appeal.case_id == Clock.case_id, appeal.stage == Stage.APPEAL)
    lapsed = db.session.execute(
        select(Case, Clock)
        .join(Clock, and_(Clock.case_id == Case.id, Clock.stage == Stage.RESOLUTION))
        .where(
            Clock.status == ClockStatus.RUNNING,
            Clock.due_on < today,
            Case.kind == PetitionKind.COMPLAINT,
            Case.instance == 1,
            ~has_appeal.exists(),
        )
        .order_by(Case.id)
    ).all()
    opened = sum(start_lapsed_appeal(case_, clock.due_on) is not None for case_, clock in lapsed)
    db.session.flush()
    return {"appeal_clocks": opened}


def mark_legally_effective(now: datetime) -> dict[str, int]:
    """Complaint decisions whose appeal period has passed take legal effect; open their enforcement clock.

    A case appealed to the second instance is excluded twice over: accepting the appeal cancels the
    first decision's legal-effect clock, and a linked child case is checked here as well.
    No case event is written: events need an actor and the scheduler is not a user; the case page shows
    ``legally_effective_on``.
    """
    from .clocks import start_enforcement

    today = local_date(now)
    child = db.aliased(Case)
    appealed = select(child.id).where(child.parent_case_id == Case.id)
    candidates = (
        db.session.execute(
            select(Case, Clock)
            .join(Clock, and_(Clock.case_id == Case.id, Clock.stage == Stage.LEGAL_EFFECT))
            .where(
                Clock.status == ClockStatus.RUNNING,
                Clock.due_on < today,
                Case.kind == PetitionKind.COMPLAINT,
                ~appealed.exists(),
            )
            .order_by(Case.id)
        )
        .unique()
        .all()
    )
    if not candidates:
        return {"effective": 0, "enforcement_clocks": 0}
    clock_ids = [clock.id for _, clock in candidates]
    case_ids = [c.id for c, _ in candidates]
    db.session.execute(
        update(Clock)
        .where(Clock.id.in_(clock_ids), Clock.status == ClockStatus.RUNNING)
        .values(status=ClockStatus.DONE, completed_on=Clock.due_on, paused_on=None)
        .execution_options(synchronize_session="fetch")
    )
    # The other clocks the decision's legal effect ends (the lifecycle table's): the appeal period, unused.
    ended = stages_ended_by(ClockEvent.DECISION_EFFECTIVE)
    ended.pop(Stage.LEGAL_EFFECT, None)
    for stage, status in ended.items():
        db.session.execute(
            update(Clock)
            .where(
                Clock.case_id.in_(case_ids),
                Clock.stage == stage,
                Clock.status.in_((ClockStatus.RUNNING, ClockStatus.PAUSED)),
            )
            .values(status=status, completed_on=Clock.due_on, paused_on=None)
            .execution_options(synchronize_session="fetch")
        )
    effective_on = (
        select(Clock.due_on).where(Clock.case_id == Case.id, Clock.stage == Stage.LEGAL_EFFECT).scalar_subquery()
    )
    effective = affected_rows(
        db.session.execute(
            update(Case)
            .where(Case.id.in_(case_ids), Case.legally_effective_on.is_(None))
            .values(legally_effective_on=effective_on)
            .execution_options(synchronize_session="fetch")
        )
    )
    cal = load_calendar()
    opened = 0
    for case_, clock in candidates:
        # Only a decision still waiting for enforcement gets an enforcement clock (not one already enforced).
        if case_.state is CaseState.RESOLVED and case_.enforcement_required:
            opened += start_enforcement(case_, clock.due_on, cal) is not None
    db.session.flush()
    return {"effective": effective, "enforcement_clocks": opened}
