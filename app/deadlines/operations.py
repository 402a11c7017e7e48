"""Clock lifecycle: which clocks start, pause, resume, finish or lapse as petitions and cases move.

Called from the petition and case operations, inside their transaction; the same rules as
`engine.explain`, so the case page and `flask deadlines explain` always agree.
"""
import json
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.errors import PermissionRefused, TransitionRefused
from ..core.roles import Role
from ..core.timeutil import local_today
from ..extensions import db
from .engine import Facts, find_rule, load_calendar, recompute
from .models import Clock, ClockStatus, DeadlineRule, DeadlineRuleChange, Extension, Stage

PETITION_STAGES = (Stage.FIRST_ANSWER, Stage.CLASSIFICATION, Stage.ACCEPTANCE)


def petition_facts(petition) -> Facts:
    return Facts(kind=petition.kind.value, instance=1 if petition.kind.value == "complaint" else None,
                 is_remote=petition.unit.is_remote, unit_path=petition.unit.path)


def case_facts(case) -> Facts:
    return Facts(kind=case.kind.value, instance=case.instance, complexity=case.complexity.value,
                 is_remote=case.is_remote_area, unit_path=case.unit.path)


def _start(stage: Stage, facts: Facts, started_on: date, cal, *, petition=None, case=None,
           fixed_due_on: date | None = None) -> Clock | None:
    rule = find_rule(stage, facts, started_on)
    if rule is None and fixed_due_on is None:
        return None  # no limit in law for this stage and these facts (or the rules are not loaded)
    owner = dict(petition_id=petition.id) if petition is not None else dict(case_id=case.id)
    clock = Clock(stage=stage, unit_id=(petition or case).unit_id, rule=rule, started_on=started_on,
                  limit_days=rule.limit_days if rule else 0, unit=rule.unit if rule else "d",
                  fixed_due_on=fixed_due_on, status=ClockStatus.RUNNING, **owner)
    recompute(clock, cal)
    db.session.add(clock)
    return clock


def _clocks(**owner) -> list[Clock]:
    key = Clock.petition_id if "petition_id" in owner else Clock.case_id
    return list(db.session.scalars(select(Clock).where(key == next(iter(owner.values()))).order_by(Clock.id)))


def clock_of(case, stage: Stage) -> Clock | None:
    return db.session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.stage == stage))


def _finish(clock: Clock | None, on: date, status: ClockStatus = ClockStatus.DONE) -> None:
    if clock is not None and clock.is_open:
        clock.status, clock.completed_on, clock.paused_on = status, on, None


# --- Petitions -------------------------------------------------------------------------------------------

def on_petition_registered(petition) -> None:
    """Start the first-answer, classification and (complaints, denunciations) acceptance clocks."""
    cal, facts = load_calendar(), petition_facts(petition)
    for stage in PETITION_STAGES:
        if stage is Stage.ACCEPTANCE and petition.kind.value not in ("complaint", "denunciation"):
            continue
        _start(stage, facts, petition.received_on, cal, petition=petition)


def on_petition_decided(petition, accepted: bool, on: date) -> None:
    """The processing decision answers the citizen; the acceptance clock lapses unless accepted."""
    for clock in _clocks(petition_id=petition.id):
        if clock.stage is Stage.ACCEPTANCE and not accepted:
            _finish(clock, on, ClockStatus.CANCELLED)
        else:
            _finish(clock, on)


# --- Cases -----------------------------------------------------------------------------------------------

def on_case_opened(case) -> None:
    """Acceptance starts the resolution clock (and, for a denunciation, the notice to the denunciator)."""
    cal, facts = load_calendar(), case_facts(case)
    _start(Stage.RESOLUTION, facts, case.accepted_on, cal, case=case)
    if case.kind.value == "denunciation":
        _start(Stage.NOTIFY_ACCEPTANCE, facts, case.accepted_on, cal, case=case)
    if case.parent_case_id:  # an appeal: the first decision does not take legal effect now
        _finish(clock_of(case.parent_case, Stage.LEGAL_EFFECT), case.accepted_on, ClockStatus.CANCELLED)


def refresh_rules(case) -> None:
    """Re-select the rule of each open clock after the case's facts changed (e.g. its complexity)."""
    cal, facts = load_calendar(), case_facts(case)
    for clock in _clocks(case_id=case.id):
        if not clock.is_open or clock.fixed_due_on is not None:
            continue
        rule = find_rule(clock.stage, facts, clock.started_on)
        if rule is not None and rule.id != clock.rule_id:
            clock.rule, clock.limit_days, clock.unit = rule, rule.limit_days, rule.unit
            recompute(clock, cal)


def on_case_transition(case, action: str, on: date) -> None:
    """Move the case's clocks for a workflow action performed on ``on``."""
    cal = load_calendar()
    clocks = _clocks(case_id=case.id)
    if action == "assign":
        refresh_rules(case)
    elif action == "suspend":
        for clock in clocks:
            if clock.status is ClockStatus.RUNNING:
                clock.status, clock.paused_on = ClockStatus.PAUSED, on
    elif action == "resume":
        for clock in clocks:
            if clock.status is ClockStatus.PAUSED:
                clock.suspended_days += cal.days_between(clock.paused_on, on, clock.unit.value)
                clock.status, clock.paused_on = ClockStatus.RUNNING, None
                recompute(clock, cal)
    elif action == "resolve":
        _finish(next((c for c in clocks if c.stage is Stage.RESOLUTION), None), case.decision_on)
        facts = case_facts(case)
        if case.kind.value == "complaint":
            _start(Stage.LEGAL_EFFECT, facts, case.decision_on, cal, case=case)
        elif case.kind.value == "denunciation":
            _start(Stage.ACT_ON_CONCLUSION, facts, case.decision_on, cal, case=case)
    elif action == "enforce":
        for clock in clocks:
            if clock.stage in (Stage.ENFORCEMENT, Stage.ACT_ON_CONCLUSION):
                _finish(clock, case.enforced_on)
    elif action in ("close", "withdraw", "terminate"):
        for clock in clocks:
            if clock.stage is not Stage.LEGAL_EFFECT or action != "close":
                _finish(clock, on, ClockStatus.CANCELLED)


def start_enforcement(case, effective_on: date, cal=None) -> Clock | None:
    """The decision took legal effect: open the enforcement clock (the decision's date, else the rule's)."""
    if clock_of(case, Stage.ENFORCEMENT) is not None or not case.enforcement_required:
        return None
    return _start(Stage.ENFORCEMENT, case_facts(case), effective_on, cal or load_calendar(), case=case,
                  fixed_due_on=case.enforcement_due_on if case.enforcement_due_on and
                  case.enforcement_due_on >= effective_on else None)


def extend_resolution(case, actor, *, decision_no: str, decided_on: date, days: int | None = None) -> Extension:
    """Record an extension decision of the resolution period (complex denunciations: once or twice)."""
    from ..cases.models import CaseEvent, CaseState

    if not (actor.has_role(Role.HEAD) and actor.oversees(case.unit)):
        raise PermissionRefused(_l("Only the head of the unit can extend the resolution period."))
    clock = clock_of(case, Stage.RESOLUTION)
    if case.state not in (CaseState.ASSIGNED, CaseState.ACCEPTED) or clock is None or not clock.is_open:
        raise TransitionRefused(_l("Only an open resolution period can be extended."))
    rule = clock.rule
    if rule is None or rule.max_extensions <= len(clock.extensions):
        raise TransitionRefused(_l("The law allows no (further) extension for this case."))
    if not (decision_no or "").strip():
        raise TransitionRefused(_l("Enter the number of the extension decision."))
    if decided_on > local_today() or decided_on < clock.started_on:
        raise TransitionRefused(_l("The extension decision date must lie between acceptance and today."))
    days = days or rule.extension_days
    if days < 1 or days > rule.extension_days:
        raise TransitionRefused(_l("An extension may not exceed %(n)d days.", n=rule.extension_days))
    cal = load_calendar()
    before = clock.due_on
    ext = Extension(clock=clock, decision_no=decision_no.strip(), decided_on=decided_on, days=days,
                    due_before=before, due_after=before, actor_id=actor.id)
    db.session.add(ext)
    db.session.flush()
    ext.due_after = recompute(clock, cal)
    db.session.add(CaseEvent(case_id=case.id, actor_id=actor.id, action="extend", from_state=str(case.state),
                             to_state=str(case.state),
                             note=f"{ext.decision_no} ({decided_on:%d/%m/%Y}): {before:%d/%m/%Y} → "
                                  f"{ext.due_after:%d/%m/%Y}"))
    return ext


def record_notice(case, actor, stage: Stage, on: date) -> Clock:
    """Record that a notice with its own clock (e.g. acceptance notice to the denunciator) was sent."""
    from ..cases.models import CaseEvent

    if not case.actor_role_ok({Role.HEAD, Role.HANDLER}, actor):
        raise PermissionRefused(_l("You cannot record notices on this case."))
    clock = clock_of(case, stage)
    if clock is None or not clock.is_open:
        raise TransitionRefused(_l("There is no open notice period to record."))
    if on > local_today() or on < clock.started_on:
        raise TransitionRefused(_l("The notice date must lie between the start of the period and today."))
    _finish(clock, on)
    db.session.add(CaseEvent(case_id=case.id, actor_id=actor.id, action="notice", from_state=str(case.state),
                             to_state=str(case.state), note=f"{stage.label} ({on:%d/%m/%Y})"))
    return clock


# --- The rule table ---------------------------------------------------------------------------------------

RULE_FIELDS = ("kind", "stage", "instance", "complexity", "is_remote", "min_sites", "unit_id", "limit_days",
               "unit", "max_extensions", "extension_days", "legal_basis", "is_verified", "note",
               "effective_from", "effective_to", "is_active")


def _jsonable(value):
    return value.isoformat() if isinstance(value, date) else (str(value) if hasattr(value, "value") else value)


def sync_default_rules(actor=None) -> int:
    """Insert the shipped rules and calendar overrides that are missing; never overwrite. Returns inserts."""
    from .defaults import DEFAULT_OVERRIDES, DEFAULT_RULES
    from .models import CalendarOverride

    have = set(db.session.scalars(select(DeadlineRule.code).where(DeadlineRule.code.is_not(None))))
    added = 0
    for data in DEFAULT_RULES:
        if data["code"] in have:
            continue
        rule = DeadlineRule(**{"is_verified": True, "max_extensions": 0, **data})
        db.session.add(rule)
        db.session.flush()
        db.session.add(DeadlineRuleChange(rule_id=rule.id, actor_id=actor.id if actor else None,
                                          changes=json.dumps("created"), reason="shipped with TiepDan"))
        added += 1
    days = set(db.session.scalars(select(CalendarOverride.day)))
    for data in DEFAULT_OVERRIDES:
        if data["day"] not in days:
            db.session.add(CalendarOverride(**data))
            added += 1
    db.session.flush()
    return added


def update_rule(rule: DeadlineRule, actor, reason: str, expected_version=None, **values) -> dict:
    """Change a rule (administrators); the change is appended to the rule's history with its reason."""
    from ..core.locking import check_version

    check_version(rule, expected_version)
    if not (reason or "").strip():
        raise TransitionRefused(_l("Give the reason for the change (e.g. the legal document)."))
    changes = {}
    for name, value in values.items():
        if name not in RULE_FIELDS:
            continue
        old = getattr(rule, name)
        if _jsonable(old) != _jsonable(value):
            changes[name] = [_jsonable(old), _jsonable(value)]
            setattr(rule, name, value)
    if not changes:
        return changes
    db.session.add(DeadlineRuleChange(rule_id=rule.id, actor_id=actor.id, changes=json.dumps(changes,
                                      ensure_ascii=False), reason=reason.strip()))
    db.session.flush()
    return changes
