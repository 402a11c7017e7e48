"""Clock lifecycle: which clocks start, pause, resume, finish or lapse as petitions and cases move.

Called from the petition and case operations, inside their transaction; the same rules as
`engine.explain`, so the case page and `flask deadlines explain` always agree.
"""

import json
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role
from ..core.timeutil import local_today
from ..extensions import db
from .engine import Facts, _matches, _specificity, find_rule, load_calendar, recompute
from .models import (
    CalendarOverride,
    Clock,
    ClockStatus,
    DayUnit,
    DeadlineRule,
    DeadlineRuleChange,
    Extension,
    RuleKind,
    Stage,
)

PETITION_STAGES = (Stage.FIRST_ANSWER, Stage.CLASSIFICATION, Stage.ACCEPTANCE)


def petition_facts(petition) -> Facts:
    return Facts(
        kind=petition.kind.value,
        instance=1 if petition.kind.value == "complaint" else None,
        is_remote=petition.unit.is_remote,
        unit_path=petition.unit.path,
    )


def case_facts(case) -> Facts:
    return Facts(
        kind=case.kind.value,
        instance=case.instance,
        complexity=case.complexity.value,
        is_remote=case.is_remote_area,
        unit_path=case.unit.path,
    )


def _start(
    stage: Stage, facts: Facts, started_on: date, cal, *, petition=None, case=None, fixed_due_on: date | None = None
) -> Clock | None:
    rule = find_rule(stage, facts, started_on)
    if rule is None and fixed_due_on is None:
        return None  # no limit in law for this stage and these facts (or the rules are not loaded)
    owner = dict(petition_id=petition.id) if petition is not None else dict(case_id=case.id)
    clock = Clock(
        stage=stage,
        unit_id=(petition or case).unit_id,
        rule=rule,
        started_on=started_on,
        limit_days=rule.limit_days if rule else 0,
        unit=rule.unit if rule else "d",
        fixed_due_on=fixed_due_on,
        status=ClockStatus.RUNNING,
        **owner,
    )
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


def check_extension(case, actor) -> Clock:
    """Raise the refusal ``extend_resolution`` would give on role, state and rule alone; else the clock."""
    from ..cases.models import CaseState

    if not (actor.has_role(Role.HEAD) and actor.oversees(case.unit)):
        raise PermissionRefused(_l("Only the head of the unit can extend the resolution period."))
    clock = clock_of(case, Stage.RESOLUTION)
    if case.state not in (CaseState.ASSIGNED, CaseState.ACCEPTED) or clock is None or not clock.is_open:
        raise TransitionRefused(_l("Only an open resolution period can be extended."))
    rule = clock.rule
    if rule is None or rule.max_extensions <= len(clock.extensions):
        raise TransitionRefused(_l("The law allows no (further) extension for this case."))
    return clock


def extend_resolution(
    case, actor, *, decision_no: str, decided_on: date, days: int | None = None, expected_version
) -> Extension:
    """Record an extension decision of the resolution period (complex denunciations: once or twice)."""
    from sqlalchemy.orm.exc import StaleDataError

    from ..cases.models import CaseEvent
    from ..core.errors import StaleObject
    from ..core.locking import STALE_MESSAGE, check_version
    from ..core.timeutil import utcnow

    check_version(case, expected_version)
    clock = check_extension(case, actor)
    rule = clock.rule
    if not (decision_no or "").strip():
        raise TransitionRefused(_l("Enter the number of the extension decision."))
    if decided_on is None or decided_on > local_today() or decided_on < clock.started_on:
        raise TransitionRefused(_l("The extension decision date must lie between acceptance and today."))
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
    db.session.add(
        CaseEvent(
            case_id=case.id,
            actor_id=actor.id,
            action="extend",
            from_state=str(case.state),
            to_state=str(case.state),
            note=f"{ext.decision_no} ({decided_on:%d/%m/%Y}): {before:%d/%m/%Y} → {ext.due_after:%d/%m/%Y}",
        )
    )
    return ext


def check_notice(case, actor, stage: Stage) -> Clock:
    """Raise the refusal ``record_notice`` would give on role and clock alone; else the open clock."""
    if not case.actor_role_ok({Role.HEAD, Role.HANDLER}, actor):
        raise PermissionRefused(_l("You cannot record notices on this case."))
    clock = clock_of(case, stage)
    if clock is None or not clock.is_open:
        raise TransitionRefused(_l("There is no open notice period to record."))
    return clock


def record_notice(case, actor, stage: Stage, on: date, *, expected_version) -> Clock:
    """Record that a notice with its own clock (e.g. acceptance notice to the denunciator) was sent."""
    from ..cases.models import CaseEvent
    from ..core.locking import check_version

    check_version(case, expected_version)
    clock = check_notice(case, actor, stage)
    if on is None or on > local_today() or on < clock.started_on:
        raise TransitionRefused(_l("The notice date must lie between the start of the period and today."))
    _finish(clock, on)
    db.session.add(
        CaseEvent(
            case_id=case.id,
            actor_id=actor.id,
            action="notice",
            from_state=str(case.state),
            to_state=str(case.state),
            note=f"{stage.label} ({on:%d/%m/%Y})",
        )
    )
    return clock


# --- The rule table ---------------------------------------------------------------------------------------

RULE_FIELDS = (
    "kind",
    "stage",
    "instance",
    "complexity",
    "is_remote",
    "min_sites",
    "unit_id",
    "limit_days",
    "unit",
    "max_extensions",
    "extension_days",
    "legal_basis",
    "is_verified",
    "note",
    "effective_from",
    "effective_to",
    "is_active",
)


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
        db.session.add(
            DeadlineRuleChange(
                rule_id=rule.id,
                actor_id=actor.id if actor else None,
                changes=json.dumps("created"),
                reason="shipped with TiepDan",
            )
        )
        added += 1
    days = set(db.session.scalars(select(CalendarOverride.day)))
    for data in DEFAULT_OVERRIDES:
        if data["day"] not in days:
            db.session.add(CalendarOverride(**data))
            added += 1
    db.session.flush()
    return added


def update_rule(rule: DeadlineRule, actor, reason: str, expected_version, **values) -> dict:
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
    db.session.add(
        DeadlineRuleChange(
            rule_id=rule.id, actor_id=actor.id, changes=json.dumps(changes, ensure_ascii=False), reason=reason.strip()
        )
    )
    db.session.flush()
    return changes


# === Administration of the rule table and the working-day calendar ==========================================
# Used by the admin screens (app/admin/deadline_views.py): create and change rules (validated, with history),
# add and change calendar overrides, and bring the open clocks in line afterwards.


OPEN_CLOCK_STATUSES = (ClockStatus.RUNNING, ClockStatus.PAUSED)
RULE_LIMIT_MAX = 3650
RULE_EXTENSIONS_MAX = 5
RULE_SITES_MAX = 1000
LEGAL_BASIS_MAX = 300
DOCUMENT_MAX = 300
TEXT_MAX = 2000
FIRST_YEAR, LAST_YEAR = 1990, 2100
#: What an administrator may change on an existing rule; its conditions stay (add a new rule instead).
RULE_EDITABLE_FIELDS = (
    "limit_days",
    "unit",
    "max_extensions",
    "extension_days",
    "legal_basis",
    "is_verified",
    "note",
    "effective_from",
    "effective_to",
    "is_active",
)
RULE_CONDITIONS = ("kind", "stage", "instance", "complexity", "is_remote", "min_sites", "unit_id")
COMPLEXITIES = ("normal", "complex", "especially_complex")
_PETITION_KINDS = {RuleKind.ANY, RuleKind.COMPLAINT, RuleKind.DENUNCIATION, RuleKind.RECOMMENDATION, RuleKind.FEEDBACK}
#: The kinds of rule that can time each stage (the clocks started above); other stages: any petition kind.
STAGE_KINDS = {
    Stage.ACCEPTANCE: {RuleKind.ANY, RuleKind.COMPLAINT, RuleKind.DENUNCIATION},
    Stage.APPEAL: {RuleKind.COMPLAINT},
    Stage.LEGAL_EFFECT: {RuleKind.COMPLAINT},
    Stage.LODGING: {RuleKind.COMPLAINT},
    Stage.TRANSFER: {RuleKind.DENUNCIATION},
    Stage.NOTIFY_ACCEPTANCE: {RuleKind.DENUNCIATION},
    Stage.ACT_ON_CONCLUSION: {RuleKind.DENUNCIATION},
    Stage.SCHEDULE_PUBLICATION: {RuleKind.RECEPTION},
}


def manages_national_data(actor) -> bool:
    """Administrators of a top unit keep the national data: the statutory rules and the calendar."""
    return actor.has_role(Role.ADMIN) and actor.unit.parent_id is None


def can_manage_rule(actor, rule: DeadlineRule) -> bool:
    """National rules: administrators of a top unit; a unit's own rules: the administrators above it."""
    from ..units.models import Unit

    if not actor.has_role(Role.ADMIN):
        return False
    if rule.unit_id is None:
        return manages_national_data(actor)
    return actor.oversees(db.session.get(Unit, rule.unit_id))


def can_manage_calendar(actor) -> bool:
    return manages_national_data(actor)


def _in_years(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def rule_problems(values: dict) -> dict:
    """Check a rule's values; return {field: message} for each problem (empty when the rule is sound)."""
    problems = {}
    kind, stage = values.get("kind"), values.get("stage")
    if kind not in RuleKind._value2member_map_:
        problems["kind"] = _l("Choose what the rule applies to.")
    if stage not in Stage._value2member_map_:
        problems["stage"] = _l("Choose the stage the rule times.")
    if not problems and RuleKind(kind) not in STAGE_KINDS.get(Stage(stage), _PETITION_KINDS):
        problems["stage"] = _l("No deadline of this stage exists for this kind of petition.")
    if values.get("instance") not in (None, 1, 2):
        problems["instance"] = _l("Choose the first or the second instance.")
    elif values.get("instance") is not None and kind != RuleKind.COMPLAINT:
        problems["instance"] = _l("Only complaint rules have an instance.")
    if values.get("complexity") not in (None, *COMPLEXITIES):
        problems["complexity"] = _l("Choose a complexity from the list.")
    if values.get("is_remote") not in (None, True, False):
        problems["is_remote"] = _l("Choose an area from the list.")
    sites = values.get("min_sites")
    if sites is not None and not 1 <= sites <= RULE_SITES_MAX:
        problems["min_sites"] = _l("The number of sites must be between 1 and %(max)d.", max=RULE_SITES_MAX)
    limit = values.get("limit_days")
    if limit is None or not 0 <= limit <= RULE_LIMIT_MAX:
        problems["limit_days"] = _l("The limit must be between 0 and %(max)d days.", max=RULE_LIMIT_MAX)
    if values.get("unit") not in DayUnit._value2member_map_:
        problems["unit"] = _l("Choose working days or days.")
    max_ext, ext_days = values.get("max_extensions"), values.get("extension_days")
    if max_ext is None or not 0 <= max_ext <= RULE_EXTENSIONS_MAX:
        problems["max_extensions"] = _l(
            "The number of extensions must be between 0 and %(max)d.", max=RULE_EXTENSIONS_MAX
        )
    elif max_ext > 0 and ext_days is None:
        problems["extension_days"] = _l("Enter the length of each extension.")
    elif max_ext == 0 and ext_days is not None:
        problems["extension_days"] = _l("Leave the length of an extension empty when no extension is allowed.")
    if ext_days is not None and "extension_days" not in problems and not 1 <= ext_days <= RULE_LIMIT_MAX:
        problems["extension_days"] = _l("An extension must be between 1 and %(max)d days.", max=RULE_LIMIT_MAX)
    basis = (values.get("legal_basis") or "").strip()
    if not basis:
        problems["legal_basis"] = _l("Enter the legal basis (law, article), or say that there is none.")
    elif len(basis) > LEGAL_BASIS_MAX:
        problems["legal_basis"] = _l("At most %(max)d characters.", max=LEGAL_BASIS_MAX)
    if len(values.get("note") or "") > TEXT_MAX:
        problems["note"] = _l("At most %(max)d characters.", max=TEXT_MAX)
    start, end = values.get("effective_from"), values.get("effective_to")
    if start is None:
        problems["effective_from"] = _l("Enter the date from which the rule applies.")
    elif not _in_years(start):
        problems["effective_from"] = _l(
            "Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR
        )
    if end is not None and not _in_years(end):
        problems["effective_to"] = _l("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
    elif end is not None and start is not None and end <= start:
        problems["effective_to"] = _l("The rule must end after the day it starts to apply.")
    return problems


def overlapping_rule(values: dict, exclude_id: int | None = None) -> DeadlineRule | None:
    """An active rule with the same conditions whose period overlaps the one in ``values``."""
    if not values.get("is_active", True):
        return None
    stmt = select(DeadlineRule).where(DeadlineRule.is_active.is_(True))
    for name in RULE_CONDITIONS:
        column, value = getattr(DeadlineRule, name), values.get(name)
        stmt = stmt.where(column.is_(None) if value is None else column == value)
    if exclude_id is not None:
        stmt = stmt.where(DeadlineRule.id != exclude_id)
    start, end = values["effective_from"], values.get("effective_to")
    for other in db.session.scalars(stmt.order_by(DeadlineRule.effective_from)):
        if (end is None or other.effective_from < end) and (other.effective_to is None or start < other.effective_to):
            return other
    return None


def _check_rule(values: dict, exclude_id: int | None = None) -> None:
    """Refuse unsound values or a period that overlaps an identical rule's (forms show these per field)."""
    problems = rule_problems(values)
    if problems:
        raise TransitionRefused(next(iter(problems.values())))
    other = overlapping_rule(values, exclude_id)
    if other is not None:
        raise TransitionRefused(overlap_message(other))


def overlap_message(other: DeadlineRule):
    if other.effective_to is None:
        return _(
            "Another active rule with the same conditions (%(rule)s) applies from %(start)s: "
            "end it or deactivate it first.",
            rule=other.code or f"#{other.id}",
            start=f"{other.effective_from:%d/%m/%Y}",
        )
    return _(
        "Another active rule with the same conditions (%(rule)s) applies from %(start)s to %(end)s: "
        "choose a period that does not overlap it.",
        rule=other.code or f"#{other.id}",
        start=f"{other.effective_from:%d/%m/%Y}",
        end=f"{other.effective_to:%d/%m/%Y}",
    )


def _check_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_l("Give the reason for the change (e.g. the legal document)."))
    if len(reason) > TEXT_MAX:
        raise TransitionRefused(_l("At most %(max)d characters.", max=TEXT_MAX))
    return reason


def create_rule(actor, reason: str, **values) -> tuple[DeadlineRule, int]:
    """Add a rule (a unit's own default, or a national rule); return it and how many open clocks changed."""
    from ..units.models import Unit

    values = {name: values.get(name) for name in RULE_FIELDS if name in values}
    values.setdefault("is_active", True)
    values.setdefault("is_verified", True)
    values.setdefault("max_extensions", 0)
    if values.get("unit_id") is None:
        if not manages_national_data(actor):
            raise PermissionRefused(_l("Only the administrators of a top unit can add national rules."))
    else:
        unit = db.session.get(Unit, values["unit_id"])
        if not actor.has_role(Role.ADMIN) or unit is None or not actor.oversees(unit):
            raise PermissionRefused(_l("You can add rules only for the units you manage."))
    reason = _check_reason(reason)
    _check_rule(values)
    rule = DeadlineRule(**values)
    db.session.add(rule)
    db.session.flush()
    db.session.add(DeadlineRuleChange(rule_id=rule.id, actor_id=actor.id, changes=json.dumps("created"), reason=reason))
    db.session.flush()
    return rule, recompute_clocks_of_rule(rule)


def change_rule(rule: DeadlineRule, actor, reason: str, expected_version, **values) -> tuple[dict, int]:
    """Validate and apply an administrator's change to a rule; return {field: [old, new]} and clocks changed."""
    from ..core.locking import check_version

    if not can_manage_rule(actor, rule):
        raise PermissionRefused(_l("You cannot change this rule."))
    check_version(rule, expected_version)
    values = {name: value for name, value in values.items() if name in RULE_EDITABLE_FIELDS}
    _check_reason(reason)
    _check_rule({**{name: getattr(rule, name) for name in RULE_FIELDS}, **values}, exclude_id=rule.id)
    changes = update_rule(rule, actor, reason, expected_version, **values)
    return changes, (recompute_clocks_of_rule(rule) if changes else 0)


def _best_rule(rules: list[DeadlineRule], facts: Facts, on: date, unit_paths: dict) -> DeadlineRule | None:
    """engine.find_rule's choice among already loaded active rules of one stage."""
    kinds = {RuleKind.ANY, RuleKind(facts.kind)}
    matching = [r for r in rules if r.kind in kinds and r.in_force_on(on) and _matches(r, facts, unit_paths)]
    return max(matching, key=lambda r: (_specificity(r, unit_paths), r.id), default=None)


def recompute_clocks_of_rule(rule: DeadlineRule, cal=None) -> int:
    """Bring the open clocks that use ``rule``, or that it now governs, in line with the rule table.

    Each such clock gets the rule engine.find_rule picks for its facts and start date (the changed rule,
    or another one if the change took it out of force for that clock), the limit and unit copied from
    it, and a recomputed due date. Clocks with a due date fixed by a decision are left alone. A bounded
    number of queries whatever the number of clocks. Returns how many clocks changed.
    """
    from ..cases.models import Case
    from ..petitions.models import Petition
    from ..units.models import Unit

    governs = []
    if rule.is_active:
        governs = [Clock.started_on >= rule.effective_from]
        if rule.effective_to is not None:
            governs.append(Clock.started_on < rule.effective_to)
        if rule.unit_id is not None:
            unit = db.session.get(Unit, rule.unit_id)
            governs.append(Clock.unit_id.in_(select(Unit.id).where(Unit.path.startswith(unit.path))))
    who = or_(Clock.rule_id == rule.id, and_(*governs)) if governs else Clock.rule_id == rule.id
    clocks = list(
        db.session.scalars(
            select(Clock)
            .options(selectinload(Clock.extensions))
            .where(Clock.stage == rule.stage, Clock.status.in_(OPEN_CLOCK_STATUSES), Clock.fixed_due_on.is_(None), who)
            .order_by(Clock.id)
        )
    )
    if not clocks:
        return 0
    case_ids = {c.case_id for c in clocks if c.case_id is not None}
    petition_ids = {c.petition_id for c in clocks if c.petition_id is not None}
    cases = {c.id: c for c in db.session.scalars(select(Case).where(Case.id.in_(case_ids)))} if case_ids else {}
    petitions = (
        {p.id: p for p in db.session.scalars(select(Petition).where(Petition.id.in_(petition_ids)))}
        if petition_ids
        else {}
    )
    rules = list(
        db.session.scalars(
            select(DeadlineRule).where(DeadlineRule.stage == rule.stage, DeadlineRule.is_active.is_(True))
        )
    )
    unit_ids = {r.unit_id for r in rules if r.unit_id}
    unit_paths = (
        dict(db.session.execute(select(Unit.id, Unit.path).where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}
    )
    cal = cal or load_calendar()
    changed = 0
    for clock in clocks:
        if clock.case_id is not None:
            facts = case_facts(cases[clock.case_id])
        else:
            facts = petition_facts(petitions[clock.petition_id])
        best = _best_rule(rules, facts, clock.started_on, unit_paths)
        if best is None:
            continue  # no active rule covers it any more: it keeps the limit it started with
        before = (clock.rule_id, clock.limit_days, str(clock.unit), clock.due_on)
        clock.rule, clock.limit_days, clock.unit = best, best.limit_days, best.unit
        recompute(clock, cal)
        if (best.id, clock.limit_days, str(clock.unit), clock.due_on) != before:
            changed += 1
    db.session.flush()
    return changed


def recompute_open_clocks(cal=None) -> int:
    """Recompute the due date of every open clock (after the calendar changed); return how many moved."""
    cal = cal or load_calendar()
    clocks = (
        db.session.scalars(
            select(Clock)
            .options(joinedload(Clock.extensions))
            .where(Clock.status.in_(OPEN_CLOCK_STATUSES), Clock.fixed_due_on.is_(None))
        )
        .unique()
        .all()
    )
    changed = 0
    for clock in clocks:
        before = clock.due_on
        if recompute(clock, cal) != before:
            changed += 1
    db.session.flush()
    return changed


def _check_override(day: date | None, document: str | None) -> str:
    if day is None or not _in_years(day):
        raise TransitionRefused(_l("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
    document = (document or "").strip()
    if not document:
        raise TransitionRefused(_l("Enter the document that announced the change."))
    if len(document) > DOCUMENT_MAX:
        raise TransitionRefused(_l("At most %(max)d characters.", max=DOCUMENT_MAX))
    return document


def override_of(day: date) -> CalendarOverride | None:
    return db.session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))


def add_calendar_override(actor, day: date, is_working_day: bool, document: str) -> tuple[CalendarOverride, int]:
    """Record a day the government moved; return it and how many open clocks got a new due date."""
    if not can_manage_calendar(actor):
        raise PermissionRefused(_l("Only the administrators of a top unit can change the calendar."))
    document = _check_override(day, document)
    if override_of(day) is not None:
        raise TransitionRefused(
            _("%(day)s is already in the list of changed days: edit it there.", day=f"{day:%d/%m/%Y}")
        )
    override = CalendarOverride(day=day, is_working_day=bool(is_working_day), document=document, created_by_id=actor.id)
    db.session.add(override)
    db.session.flush()
    return override, recompute_open_clocks()


def update_calendar_override(override: CalendarOverride, actor, is_working_day: bool, document: str) -> int:
    """Change a day the government moved (never deleted); return how many open clocks got a new due date."""
    if not can_manage_calendar(actor):
        raise PermissionRefused(_l("Only the administrators of a top unit can change the calendar."))
    document = _check_override(override.day, document)
    moved = override.is_working_day != bool(is_working_day)
    override.is_working_day, override.document = bool(is_working_day), document
    db.session.flush()
    return recompute_open_clocks() if moved else 0
