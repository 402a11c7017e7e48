"""Clock lifecycle: which clocks start, pause, resume, finish or lapse as petitions and cases move.

Called from the petition and case operations, inside their transaction (the receivers ``on_*``); what
each event does to which clock is the lifecycle table's (lifecycle.py). Also the extension of the
resolution period and the notices that have clocks of their own.
"""

from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..cases.models import Case, CaseAction, CaseState
from ..cases.operations import log_case_event
from ..core.errors import DomainError, PermissionRefused, StaleObject, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.locking import STALE_MESSAGE, check_version
from ..core.roles import Role
from ..core.timeutil import local_today, to_local, utcnow
from ..extensions import db
from ..petitions.models import Petition, PetitionState
from ..users.models import User
from .calendar import WorkCalendar, load_calendar
from .engine import Facts, case_facts, find_rule, petition_facts, recompute
from .lifecycle import (
    ACTION_EVENTS,
    LIFECYCLE,
    MOVING_EVENTS,
    NOTICE_EVENTS,
    RERULE_EVENTS,
    ClockEvent,
    Lifecycle,
    StartsFrom,
    started_by,
)
from .models import Clock, ClockStatus, Extension, Stage


def _start(
    stage: Stage,
    facts: Facts,
    started_on: date,
    cal: WorkCalendar,
    *,
    petition: Petition | None = None,
    case: Case | None = None,
    fixed_due_on: date | None = None,
) -> Clock | None:
    rule = find_rule(stage, facts, started_on)
    if rule is None and fixed_due_on is None:
        return None  # no limit in law for this stage and these facts (or the rules are not loaded)
    subject = petition or case
    assert subject is not None, "a clock belongs to a petition or a case"
    owner = dict(petition_id=subject.id) if petition is not None else dict(case_id=subject.id)
    clock = Clock(
        stage=stage,
        unit_id=subject.unit_id,
        rule=rule,
        started_on=started_on,
        limit_days=rule.limit_days if rule else 0,
        day_unit=rule.day_unit if rule else "d",
        fixed_due_on=fixed_due_on,
        status=ClockStatus.RUNNING,
        **owner,
    )
    recompute(clock, cal)
    db.session.add(clock)
    return clock


def _clocks(**owner: int) -> list[Clock]:
    key = Clock.petition_id if "petition_id" in owner else Clock.case_id
    return list(db.session.scalars(select(Clock).where(key == next(iter(owner.values()))).order_by(Clock.id)))


def clock_of(case: Case, stage: Stage) -> Clock | None:
    return db.session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.stage == stage))


def _finish(clock: Clock | None, on: date, status: ClockStatus = ClockStatus.DONE) -> None:
    if clock is not None and clock.is_open:
        clock.status, clock.completed_on, clock.paused_on = status, on, None


def _move(clocks: Iterable[Clock], event: ClockEvent, on: date, cal: WorkCalendar | None = None) -> None:
    """Apply ``event``, which happened on ``on``, to the open ``clocks`` as the lifecycle table says."""
    if event not in MOVING_EVENTS:
        return
    for clock in clocks:
        if not clock.is_open:
            continue
        life = LIFECYCLE[clock.stage]
        if (status := life.outcome(event)) is not None:
            _finish(clock, on, status)
        elif clock.status is ClockStatus.RUNNING and event in life.pauses:
            clock.status, clock.paused_on = ClockStatus.PAUSED, on
        elif clock.status is ClockStatus.PAUSED and event in life.resumes:
            cal = cal or load_calendar()
            assert clock.paused_on is not None, "a paused clock has the day it was paused"
            clock.suspended_days += cal.days_between(clock.paused_on, on, clock.day_unit.value)
            clock.status, clock.paused_on = ClockStatus.RUNNING, None
            recompute(clock, cal)


# --- Petitions -------------------------------------------------------------------------------------------


def on_petition_registered(petition: Petition) -> None:
    """Start the clocks a received petition has (first answer, classification; acceptance for some kinds)."""
    cal, facts = load_calendar(), petition_facts(petition)
    for life in started_by(ClockEvent.PETITION_REGISTERED, petition.kind, facts.instance):
        assert life.starts_from is StartsFrom.RECEIPT
        _start(life.stage, facts, petition.received_on, cal, petition=petition)


def on_petition_split(petition: Petition, on: date) -> None:
    """A petition of several contents was split ``on``: its parts carry its clocks, its own end."""
    _move(_clocks(petition_id=petition.id), ClockEvent.PETITION_SPLIT, on)


def on_petition_decided(petition: Petition, accepted: bool, on: date) -> None:
    """The processing decision answers the citizen; the acceptance clock lapses unless accepted. An accepted
    complaint whose lodging period was recorded gets that period's clock, ended on the day it was lodged; a
    transferred denunciation its transfer clock, ended on the day of the decision."""
    event = ClockEvent.PETITION_ACCEPTED if accepted else ClockEvent.PETITION_NOT_ACCEPTED
    _move(_clocks(petition_id=petition.id), event, on)
    events = [event]
    if petition.state is PetitionState.TRANSFERRED:
        events.append(ClockEvent.PETITION_TRANSFERRED)
    cal, facts = load_calendar(), petition_facts(petition)
    # An accepted complaint's instance is its case's (a second complaint has no lodging period of art. 9).
    # (Read by id: acceptance sets the petition's case_id, which a loaded ``petition.case`` may not reflect.)
    case = db.session.get(Case, petition.case_id) if accepted and petition.case_id else None
    instance = case.instance if case is not None else facts.instance
    for raised in events:
        for life in started_by(raised, petition.kind, instance):
            # Periods that the decision both starts and ends, kept as done on time or late: the lodging
            # period (from the day learned to the day lodged), the transfer (from receipt to the decision).
            assert raised in life.finishes
            if life.starts_from is StartsFrom.LEARNED:
                start, end, lost = petition.learned_on, petition.received_on, petition.obstacle_days or 0
            else:
                assert life.starts_from is StartsFrom.RECEIPT
                start, end, lost = petition.received_on, on, 0
            if start is None:
                continue  # the lodging period was not recorded
            clock = _start(life.stage, facts, start, cal, petition=petition)
            if clock is not None:
                clock.suspended_days = lost
                recompute(clock, cal)
                _finish(clock, end)


def on_petition_corrected(petition: Petition) -> None:
    """The date received, kind or instance of a petition on which no case is opened was corrected: its clocks
    are set as if it had been registered so. A clock whose stage still applies keeps its row and gets the new
    start and rule, its due date recomputed and its status replayed (running while the petition awaits its
    decision; else ended on the decision day as the decision ends it, so a decided petition is on time or
    late by the corrected facts); one whose stage no longer applies is cancelled; a stage that now applies
    gets its clock, replayed the same way."""
    cal, facts = load_calendar(), petition_facts(petition)
    clocks = _clocks(petition_id=petition.id)
    decided_on = _decision_day(petition, clocks)
    events = [ClockEvent.PETITION_REGISTERED]
    decision: list[ClockEvent] = []
    if decided_on is not None:
        decision = [ClockEvent.PETITION_NOT_ACCEPTED]
        if petition.state is PetitionState.TRANSFERRED:
            decision.append(ClockEvent.PETITION_TRANSFERRED)
            events.append(ClockEvent.PETITION_TRANSFERRED)
    wanted = {life.stage: life for event in events for life in started_by(event, petition.kind, facts.instance)}
    for clock in clocks:
        life = wanted.pop(clock.stage, None)
        if life is None:
            if clock.status is not ClockStatus.CANCELLED:
                clock.status, clock.paused_on = ClockStatus.CANCELLED, None
                clock.completed_on = clock.completed_on or local_today()
            continue
        assert life.starts_from is StartsFrom.RECEIPT, "a petition's clocks run from receipt"
        clock.started_on = petition.received_on
        rule = find_rule(clock.stage, facts, clock.started_on)
        if rule is not None and clock.fixed_due_on is None:
            clock.rule, clock.limit_days, clock.day_unit = rule, rule.limit_days, rule.day_unit
        clock.status, clock.completed_on, clock.paused_on = ClockStatus.RUNNING, None, None
        recompute(clock, cal)
        _replay_decision(clock, life, decision, decided_on)
    for life in wanted.values():
        started = _start(life.stage, facts, petition.received_on, cal, petition=petition)
        if started is not None:
            _replay_decision(started, life, decision, decided_on)


def _decision_day(petition: Petition, clocks: list[Clock]) -> date | None:
    """The day a decided petition's decision was taken (its answer clock ended on it; the day it was
    recorded otherwise), or None while it awaits one."""
    if petition.state is PetitionState.RECEIVED:
        return None
    ended = [c.completed_on for c in clocks if c.stage is Stage.FIRST_ANSWER and c.completed_on is not None]
    if ended:
        return ended[0]
    assert petition.decided_at is not None, "a decided petition has its decision time"
    return to_local(petition.decided_at).date()


def _replay_decision(clock: Clock, life: Lifecycle, decision: list[ClockEvent], decided_on: date | None) -> None:
    if decided_on is None:
        return
    status = next((s for e in decision if (s := life.outcome(e)) is not None), None)
    if status is not None:
        _finish(clock, decided_on, status)


# --- Cases -----------------------------------------------------------------------------------------------


def on_case_opened(case: Case) -> None:
    """Acceptance starts the case's clocks (resolution; the notice to a denunciator); an appeal stops the
    appealed decision from taking legal effect."""
    cal, facts = load_calendar(), case_facts(case)
    for life in started_by(ClockEvent.CASE_ACCEPTED, case.kind, case.instance):
        assert life.starts_from is StartsFrom.ACCEPTANCE
        _start(life.stage, facts, case.accepted_on, cal, case=case)
    if case.parent_case_id:
        _move(_clocks(case_id=case.parent_case_id), ClockEvent.CASE_APPEALED, case.accepted_on, cal)


def on_decision_delivered(case: Case, on: date) -> None:
    """The decision was sent to the parties: the periods counted from its receipt start (the appeal)."""
    cal, facts = load_calendar(), case_facts(case)
    for life in started_by(ClockEvent.DECISION_DELIVERED, case.kind, case.instance):
        assert life.starts_from is StartsFrom.DELIVERY
        if clock_of(case, life.stage) is None:
            _start(life.stage, facts, on, cal, case=case)


def start_lapsed_appeal(case: Case, lapsed_on: date) -> Clock | None:
    """The resolution period ran out on ``lapsed_on`` with no decision: the appeal period starts from it."""
    lives = started_by(ClockEvent.RESOLUTION_LAPSED, case.kind, case.instance)
    if not lives or clock_of(case, Stage.APPEAL) is not None:
        return None
    (life,) = lives
    case.resolution_lapsed_on = lapsed_on  # cases.operations links an appeal to it, decision or not
    return _start(life.stage, case_facts(case), lapsed_on, load_calendar(), case=case)


def on_court_filing(case: Case, on: date) -> None:
    """A lawsuit against the decision stops the administrative route: the appeal and legal-effect periods end."""
    _move(_clocks(case_id=case.id), ClockEvent.COURT_FILED, on)


def refresh_rules(case: Case) -> None:
    """Re-select the rule of each open clock after the case's facts changed (e.g. its complexity)."""
    _refresh(_clocks(case_id=case.id), case_facts(case))


def refresh_petition_rules(petition: Petition) -> None:
    """Re-select the rule of each open clock of a petition after its facts changed (a denunciation's sites)."""
    _refresh(_clocks(petition_id=petition.id), petition_facts(petition))


def _refresh(clocks: Iterable[Clock], facts: Facts) -> None:
    cal = load_calendar()
    for clock in clocks:
        if not clock.is_open or clock.fixed_due_on is not None:
            continue
        rule = find_rule(clock.stage, facts, clock.started_on)
        if rule is not None and rule.id != clock.rule_id:
            clock.rule, clock.limit_days, clock.day_unit = rule, rule.limit_days, rule.day_unit
            recompute(clock, cal)


def on_case_transition(case: Case, action: CaseAction, on: date) -> None:
    """Move the case's clocks for a workflow action performed on ``on`` (the lifecycle table's event).

    The decision, the enforcement and the suspension move their clocks on the dates they record, not on ``on``.
    """
    event = ACTION_EVENTS[CaseAction(action)]
    if event in RERULE_EVENTS:
        refresh_rules(case)
    started = started_by(event, case.kind, case.instance, bool(case.enforcement_required))
    if event not in MOVING_EVENTS and not started:
        return
    cal = load_calendar()
    ended_on = {
        ClockEvent.CASE_RESOLVED: case.decision_on,
        ClockEvent.CASE_ENFORCED: case.enforced_on,
        ClockEvent.CASE_SUSPENDED: case.suspended_on or on,
    }.get(event, on)
    # The case was flushed in its new state: a resolved case has its decision date, an enforced one its
    # enforcement date (the checks resolved_has_decision, enforced_has_date).
    assert ended_on is not None, "the case's decision or enforcement date is recorded"
    _move(_clocks(case_id=case.id), event, ended_on, cal)
    if started:
        facts = case_facts(case)
        for life in started:
            assert life.starts_from is StartsFrom.DECISION
            assert case.decision_on is not None, "a resolved case has its decision date (resolved_has_decision)"
            _start(life.stage, facts, case.decision_on, cal, case=case)


def start_enforcement(case: Case, effective_on: date, cal: WorkCalendar | None = None) -> Clock | None:
    """The decision took legal effect: open the enforcement clock (the decision's date, else the rule's)."""
    lives = started_by(ClockEvent.DECISION_EFFECTIVE, case.kind, case.instance, bool(case.enforcement_required))
    if not lives or clock_of(case, Stage.ENFORCEMENT) is not None:
        return None
    (life,) = lives
    assert life.stage is Stage.ENFORCEMENT and life.starts_from is StartsFrom.LEGAL_EFFECT
    return _start(
        Stage.ENFORCEMENT,
        case_facts(case),
        effective_on,
        cal or load_calendar(),
        case=case,
        fixed_due_on=case.enforcement_due_on
        if case.enforcement_due_on and case.enforcement_due_on >= effective_on
        else None,
    )


def _extension(case: Case, actor: User) -> tuple[Clock | None, DomainError | None]:
    """The resolution clock, and the refusal ``extend_resolution`` would give on role, state and rule alone."""
    if not (actor.has_role(Role.HEAD) and actor.oversees(case.unit)):
        return None, PermissionRefused(_l("Only the head of the unit can extend the resolution period."))
    clock = clock_of(case, Stage.RESOLUTION)
    if case.state not in (CaseState.ASSIGNED, CaseState.ACCEPTED) or clock is None or not clock.is_open:
        return clock, TransitionRefused(_l("Only an open resolution period can be extended."))
    rule = clock.rule
    if rule is None or rule.max_extensions <= len(clock.extensions):
        return clock, TransitionRefused(_l("The law allows no (further) extension for this case."))
    return clock, None


def can_extend(case: Case, user: User) -> bool:
    """``user`` may extend the resolution period of ``case`` now (the case page offers the form)."""
    return _extension(case, user)[1] is None


def check_extension(case: Case, actor: User) -> Clock:
    """Raise the refusal ``extend_resolution`` would give on role, state and rule alone; else the clock."""
    clock, refusal = _extension(case, actor)
    if refusal is not None:
        raise refusal
    assert clock is not None
    return clock


def extend_resolution(
    case: Case,
    actor: User,
    *,
    decision_no: str,
    decided_on: date,
    days: int | None = None,
    expected_version: object,
    today: date,
) -> Extension:
    """Record an extension decision of the resolution period (complex denunciations: once or twice).

    ``today``: the caller's local day (views pass ``local_today()``); the decision may not lie after it.
    """
    check_version(case, expected_version)
    clock = check_extension(case, actor)
    rule = clock.rule
    if not (decision_no or "").strip():
        raise TransitionRefused(_l("Enter the number of the extension decision."))
    if decided_on is None or decided_on > today or decided_on < clock.started_on:
        raise TransitionRefused(_l("The extension decision date must lie between acceptance and today."))
    assert rule is not None, "check_extension refuses a clock without a rule"
    days = days or rule.extension_days
    if not days or days < 1:
        raise TransitionRefused(_l("Enter the number of days of the extension."))
    if rule.extension_days and days > rule.extension_days:
        raise TransitionRefused(_("An extension may not exceed %(n)d days.", n=rule.extension_days))
    cal = load_calendar()
    before = clock.due_on
    ext = Extension(
        clock=clock,
        decision_no=decision_no.strip(),
        decided_on=decided_on,
        days=days,
        due_before=before,
        due_after=before,
        actor_id=actor.id,
    )
    db.session.add(ext)
    # The case's version moves too, so a second submission of the same form is refused as stale.
    case.updated_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleObject(STALE_MESSAGE) from None
    ext.due_after = recompute(clock, cal)
    log_case_event(
        case,
        actor,
        "extend",
        case.state,
        case.state,
        f"{ext.decision_no} ({decided_on:%d/%m/%Y}): {before:%d/%m/%Y} → {ext.due_after:%d/%m/%Y}",
    )
    return ext


def _notice(case: Case, actor: User, stage: Stage) -> tuple[Clock | None, DomainError | None]:
    """The notice clock, and the refusal ``record_notice`` would give on role and clock alone."""
    if not case.actor_role_ok({Role.HEAD, Role.HANDLER}, actor):
        return None, PermissionRefused(_l("You cannot record notices on this case."))
    clock = clock_of(case, stage)
    if clock is None or not clock.is_open or stage not in NOTICE_EVENTS:
        return clock, TransitionRefused(_l("There is no open notice period to record."))
    return clock, None


def can_record_notice(case: Case, user: User, stage: Stage) -> bool:
    """``user`` may record that the notice of ``stage`` was sent on ``case`` now (the case page offers the form)."""
    return _notice(case, user, stage)[1] is None


def check_notice(case: Case, actor: User, stage: Stage) -> Clock:
    """Raise the refusal ``record_notice`` would give on role and clock alone; else the open clock."""
    clock, refusal = _notice(case, actor, stage)
    if refusal is not None:
        raise refusal
    assert clock is not None
    return clock


def record_notice(case: Case, actor: User, stage: Stage, on: date, *, expected_version: object, today: date) -> Clock:
    """Record that a notice with its own clock (e.g. acceptance notice to the denunciator) was sent ``on``.

    ``today``: the caller's local day (views pass ``local_today()``); the notice may not be sent after it.
    """
    check_version(case, expected_version)
    clock = check_notice(case, actor, stage)
    if on is None or on > today or on < clock.started_on:
        raise TransitionRefused(_l("The notice date must lie between the start of the period and today."))
    _move([clock], NOTICE_EVENTS[stage], on)
    log_case_event(case, actor, "notice", case.state, case.state, f"{stage.label} ({on:%d/%m/%Y})")
    return clock
