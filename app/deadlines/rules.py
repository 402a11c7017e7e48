"""The rule table: the shipped rules, and the administrators' new rules and changes to rules.

Every rule is checked (``rule_problems``, ``overlapping_rule``) and every change is appended to the rule's
history with its reason; afterwards the open clocks the rule governs are brought in line with it. Which
rule a clock gets is engine.best_rule's choice (the only one).
"""

import json
from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from ..cases.models import Case, Complexity
from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import LazyText
from ..core.i18n import lazy_gettext as _l
from ..core.locking import check_version
from ..core.roles import Role
from ..extensions import db
from ..petitions.models import Petition
from ..subjects.operations import sync_default_subjects
from ..units.models import Unit
from ..users.models import User
from .calendar import FIRST_YEAR, LAST_YEAR, OPEN_CLOCK_STATUSES, WorkCalendar, in_years, load_calendar
from .defaults import DEFAULT_OVERRIDES, DEFAULT_RULES
from .engine import best_rule, case_facts, petition_facts, recompute
from .models import CalendarOverride, Clock, DayUnit, DeadlineRule, DeadlineRuleChange, RuleKind, Stage
from .overrides import manages_national_data


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else (str(value) if hasattr(value, "value") else value)


#: The stored reason of a shipped rule's first history entry: a fixed key, shown in the user's language.
SHIPPED_REASON = "shipped with TiepDan"


def sync_default_rules(actor: User | None = None) -> int:
    """Insert the shipped rules, calendar overrides and subject areas that are missing; never overwrite.

    Returns the number inserted. The subject areas are national data kept beside the rules, so one command
    (`flask deadlines load-rules`) loads both.
    """
    added = sync_default_subjects()
    have = set(db.session.scalars(select(DeadlineRule.code).where(DeadlineRule.code.is_not(None))))
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
                reason=SHIPPED_REASON,
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


def update_rule(
    rule: DeadlineRule, actor: User, reason: str, expected_version: object, **values: object
) -> dict[str, list[object]]:
    """Change a rule (administrators); the change is appended to the rule's history with its reason."""
    check_version(rule, expected_version)
    if not (reason or "").strip():
        raise TransitionRefused(_l("Give the reason for the change (e.g. the legal document)."))
    changes: dict[str, list[object]] = {}
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


RULE_LIMIT_MAX = 3650
RULE_EXTENSIONS_MAX = 5
RULE_SITES_MAX = 1000
LEGAL_BASIS_MAX = 300
TEXT_MAX = 2000
#: What an administrator may change on an existing rule; its conditions stay (add a new rule instead).
RULE_EDITABLE_FIELDS = (
    "limit_days",
    "day_unit",
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
#: Every field of a rule an administrator sets: its conditions, then what may change.
RULE_FIELDS = RULE_CONDITIONS + RULE_EDITABLE_FIELDS
COMPLEXITIES = tuple(Complexity)
_PETITION_KINDS = {RuleKind.ANY, RuleKind.COMPLAINT, RuleKind.DENUNCIATION, RuleKind.RECOMMENDATION, RuleKind.FEEDBACK}
#: The kinds of rule that can time each stage (the clocks started above); other stages: any petition kind.
STAGE_KINDS = {
    Stage.ACCEPTANCE: {RuleKind.ANY, RuleKind.COMPLAINT, RuleKind.DENUNCIATION},
    Stage.APPEAL: {RuleKind.COMPLAINT},
    Stage.LEGAL_EFFECT: {RuleKind.COMPLAINT},
    Stage.LODGING: {RuleKind.COMPLAINT},
    Stage.TRANSFER: {RuleKind.DENUNCIATION},
    Stage.NOTIFY_ACCEPTANCE: {RuleKind.DENUNCIATION},
    Stage.NOTIFY_CONCLUSION: {RuleKind.DENUNCIATION},
    Stage.ACT_ON_CONCLUSION: {RuleKind.DENUNCIATION},
    Stage.SCHEDULE_PUBLICATION: {RuleKind.RECEPTION},
}


def can_manage_rule(actor: User, rule: DeadlineRule) -> bool:
    """National rules: administrators of a top unit; a unit's own rules: the administrators above it."""
    if not actor.has_role(Role.ADMIN):
        return False
    if rule.unit_id is None:
        return manages_national_data(actor)
    return actor.oversees(db.session.get(Unit, rule.unit_id))


def rule_problems(values: Mapping[str, Any]) -> dict[str, LazyText]:
    """Check a rule's values; return {field: message} for each problem (empty when the rule is sound)."""
    problems: dict[str, LazyText] = {}
    kind, stage = values.get("kind"), values.get("stage")
    if kind not in RuleKind._value2member_map_:
        problems["kind"] = _l("Choose what the rule applies to.")
    if stage not in Stage._value2member_map_:
        problems["stage"] = _l("Choose the stage the rule times.")
    # No problems: both are values of their enums (checked above), so strings.
    if not problems and RuleKind(cast(str, kind)) not in STAGE_KINDS.get(Stage(cast(str, stage)), _PETITION_KINDS):
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
    if values.get("day_unit") not in DayUnit._value2member_map_:
        problems["day_unit"] = _l("Choose working days or days.")
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
    elif not in_years(start):
        problems["effective_from"] = _l(
            "Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR
        )
    if end is not None and not in_years(end):
        problems["effective_to"] = _l("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
    elif end is not None and start is not None and end <= start:
        problems["effective_to"] = _l("The rule must end after the day it starts to apply.")
    return problems


def overlapping_rule(values: Mapping[str, Any], exclude_id: int | None = None) -> DeadlineRule | None:
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


def _check_rule(values: Mapping[str, Any], exclude_id: int | None = None) -> None:
    """Refuse unsound values or a period that overlaps an identical rule's (forms show these per field)."""
    problems = rule_problems(values)
    if problems:
        raise TransitionRefused(next(iter(problems.values())))
    other = overlapping_rule(values, exclude_id)
    if other is not None:
        raise TransitionRefused(overlap_message(other))


def overlap_message(other: DeadlineRule) -> str:
    message: str
    if other.effective_to is None:
        message = _(
            "Another active rule with the same conditions (%(rule)s) applies from %(start)s: "
            "end it or deactivate it first.",
            rule=other.code or f"#{other.id}",
            start=f"{other.effective_from:%d/%m/%Y}",
        )
        return message
    message = _(
        "Another active rule with the same conditions (%(rule)s) applies from %(start)s to %(end)s: "
        "choose a period that does not overlap it.",
        rule=other.code or f"#{other.id}",
        start=f"{other.effective_from:%d/%m/%Y}",
        end=f"{other.effective_to:%d/%m/%Y}",
    )
    return message


def _check_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_l("Give the reason for the change (e.g. the legal document)."))
    if len(reason) > TEXT_MAX:
        raise TransitionRefused(_l("At most %(max)d characters.", max=TEXT_MAX))
    return reason


def create_rule(actor: User, reason: str, **values: object) -> tuple[DeadlineRule, int]:
    """Add a rule (a unit's own default, or a national rule); return it and how many open clocks changed."""
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


def change_rule(
    rule: DeadlineRule, actor: User, reason: str, expected_version: object, **values: object
) -> tuple[dict[str, list[object]], int]:
    """Validate and apply an administrator's change to a rule; return {field: [old, new]} and clocks changed."""
    if not can_manage_rule(actor, rule):
        raise PermissionRefused(_l("You cannot change this rule."))
    check_version(rule, expected_version)
    values = {name: value for name, value in values.items() if name in RULE_EDITABLE_FIELDS}
    _check_reason(reason)
    _check_rule({**{name: getattr(rule, name) for name in RULE_FIELDS}, **values}, exclude_id=rule.id)
    changes = update_rule(rule, actor, reason, expected_version, **values)
    return changes, (recompute_clocks_of_rule(rule) if changes else 0)


def recompute_clocks_of_rule(rule: DeadlineRule, cal: WorkCalendar | None = None) -> int:
    """Bring the open clocks that use ``rule``, or that it now governs, in line with the rule table.

    Each such clock gets the rule engine.find_rule picks for its facts and start date (the changed rule,
    or another one if the change took it out of force for that clock), the limit and unit copied from
    it, and a recomputed due date. Clocks with a due date fixed by a decision are left alone. A bounded
    number of queries whatever the number of clocks. Returns how many clocks changed.
    """
    governs = []
    if rule.is_active:
        governs = [Clock.started_on >= rule.effective_from]
        if rule.effective_to is not None:
            governs.append(Clock.started_on < rule.effective_to)
        if rule.unit_id is not None:
            unit = db.session.get(Unit, rule.unit_id)
            assert unit is not None, "a rule's unit_id is a foreign key to units"
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
            assert clock.petition_id is not None, "a clock has a petition or a case (petition_xor_case)"
            facts = petition_facts(petitions[clock.petition_id])
        best = best_rule(rules, facts, clock.started_on, unit_paths)
        if best is None:
            continue  # no active rule covers it any more: it keeps the limit it started with
        before = (clock.rule_id, clock.limit_days, str(clock.day_unit), clock.due_on)
        clock.rule, clock.limit_days, clock.day_unit = best, best.limit_days, best.day_unit
        recompute(clock, cal)
        if (best.id, clock.limit_days, str(clock.day_unit), clock.due_on) != before:
            changed += 1
    db.session.flush()
    return changed
