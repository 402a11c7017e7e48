"""The deadline engine: pick the rule in force, compute a due date, and explain it."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from .calendar import WorkCalendar
from .models import CalendarOverride, Clock, DayUnit, DeadlineRule, RuleKind, Stage


def load_calendar() -> WorkCalendar:
    """The working-day calendar with the administrators' overrides (one small query)."""
    rows = db.session.execute(select(CalendarOverride.day, CalendarOverride.is_working_day)).all()
    return WorkCalendar(dict(rows))


@dataclass(frozen=True)
class Facts:
    """What a rule's conditions look at."""

    kind: str
    instance: int | None = None
    complexity: str = "normal"
    is_remote: bool = False
    sites: int = 1
    unit_path: str | None = None  # the case's unit, for unit-configured rules


def _complexity_matches(rule_value: str | None, actual: str) -> bool:
    if rule_value is None:
        return True
    if rule_value == "complex":  # the laws' "complex" limits cover especially complex cases too
        return actual in ("complex", "especially_complex")
    return rule_value == actual


def _matches(rule: DeadlineRule, facts: Facts, unit_paths: dict[int, str]) -> bool:
    if rule.instance is not None and rule.instance != facts.instance:
        return False
    if not _complexity_matches(rule.complexity, facts.complexity):
        return False
    if rule.is_remote is not None and rule.is_remote != facts.is_remote:
        return False
    if rule.min_sites is not None and facts.sites < rule.min_sites:
        return False
    if rule.unit_id is not None:
        path = unit_paths.get(rule.unit_id)
        if not (path and facts.unit_path and facts.unit_path.startswith(path)):
            return False
    return True


def _specificity(rule: DeadlineRule, unit_paths: dict[int, str]) -> tuple:
    return (
        len(unit_paths.get(rule.unit_id, "")) if rule.unit_id else 0,
        rule.kind is not RuleKind.ANY,
        rule.instance is not None,
        rule.complexity is not None and rule.complexity != "complex",
        rule.complexity is not None,
        rule.is_remote is not None,
        rule.min_sites or 0,
    )


def find_rule(stage: Stage, facts: Facts, on: date) -> DeadlineRule | None:
    """The most specific active rule for this stage and these facts, in force on ``on``."""
    kinds = {RuleKind.ANY, RuleKind(facts.kind)}
    candidates = [
        r
        for r in db.session.scalars(
            select(DeadlineRule).where(
                DeadlineRule.stage == stage, DeadlineRule.kind.in_(kinds), DeadlineRule.is_active.is_(True)
            )
        )
        if r.in_force_on(on)
    ]
    if not candidates:
        return None
    from ..units.models import Unit

    unit_ids = {r.unit_id for r in candidates if r.unit_id}
    unit_paths = (
        dict(db.session.execute(select(Unit.id, Unit.path).where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}
    )
    return best_rule(candidates, facts, unit_paths)


def best_rule(candidates, facts: Facts, unit_paths: dict) -> DeadlineRule | None:
    """The most specific of ``candidates`` (rules in force) that applies to ``facts``; None if none does.

    ``unit_paths``: the path of each unit that a candidate is limited to.
    """
    matching = [r for r in candidates if _matches(r, facts, unit_paths)]
    if not matching:
        return None
    return max(matching, key=lambda r: (_specificity(r, unit_paths), r.id))


def compute_due(
    started_on: date,
    limit_days: int,
    unit: DayUnit | str,
    cal: WorkCalendar,
    extensions: list[int] = (),
    suspended_days: int = 0,
    fixed_due_on: date | None = None,
) -> date:
    """The due date: start + limit, then each extension from the date it extends, then suspended time."""
    if fixed_due_on is not None:
        return fixed_due_on
    unit = str(unit)
    due = cal.add(started_on, limit_days, unit)
    for days in extensions:
        due = cal.add(due, days, unit)
    if suspended_days:
        due = cal.add(due, suspended_days, unit)
    return due


def recompute(clock: Clock, cal: WorkCalendar) -> date:
    """Recompute and store a clock's due date from its stored inputs."""
    clock.due_on = compute_due(
        clock.started_on,
        clock.limit_days,
        clock.unit,
        cal,
        [e.days for e in clock.extensions],
        clock.suspended_days,
        clock.fixed_due_on,
    )
    return clock.due_on


@dataclass
class Explanation:
    """One due date and why: the rule, its legal basis, the unit and the day count."""

    stage: Stage
    start_label: str
    started_on: date | None
    due_on: date | None
    rule: DeadlineRule | None
    limit_days: int | None = None
    unit: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "stage": self.stage.value,
            "stage_label": str(self.stage.label),
            "from": self.start_label,
            "start": self.started_on.isoformat() if self.started_on else None,
            "due": self.due_on.isoformat() if self.due_on else None,
            "limit": self.limit_days,
            "unit": self.unit,
            "rule": self.rule.code if self.rule else None,
            "legal_basis": self.rule.legal_basis if self.rule else None,
            "verified": self.rule.is_verified if self.rule else None,
            "effective_from": self.rule.effective_from.isoformat() if self.rule else None,
            "effective_to": (self.rule.effective_to.isoformat() if self.rule and self.rule.effective_to else None),
            "notes": list(self.notes),
        }


def explain_one(
    stage: Stage, start_label: str, start: date | None, facts: Facts, cal: WorkCalendar, extensions: int = 0
) -> Explanation:
    """Explain the due date of ``stage`` for a clock starting on ``start``."""
    from flask_babel import gettext as _

    if start is None:
        return Explanation(stage, start_label, None, None, None, notes=[_("Starts when that date is known.")])
    rule = find_rule(stage, facts, start)
    if rule is None:
        return Explanation(stage, start_label, start, None, None, notes=[_("No rule in force for these facts.")])
    ext_days = []
    notes = []
    if extensions:
        allowed = min(extensions, rule.max_extensions)
        if allowed < extensions:
            notes.append(_("Only %(n)d extension(s) allowed by this rule.", n=rule.max_extensions))
        ext_days = [rule.extension_days or 0] * allowed
    due = compute_due(start, rule.limit_days, rule.unit, cal, ext_days)
    plain = start + timedelta(days=rule.limit_days) if rule.unit is DayUnit.CALENDAR and not ext_days else None
    if plain and plain != due:
        notes.append(_("%(day)s is not a working day: moved to the next working day.", day=plain.isoformat()))
    if ext_days:
        notes.append(_("Extended %(n)d time(s) by %(days)d days.", n=len(ext_days), days=ext_days[0]))
    if not rule.is_verified:
        notes.append(_("Rule marked for verification against the legal text."))
    return Explanation(stage, start_label, start, due, rule, rule.limit_days, rule.unit.value, notes)


def explain(
    kind: str,
    *,
    received: date,
    accepted: date | None = None,
    decided: date | None = None,
    instance: int | None = None,
    complexity: str = "normal",
    remote: bool = False,
    extensions: int = 0,
    sites: int = 1,
    cal: WorkCalendar | None = None,
) -> list[Explanation]:
    """Every due date that follows from these facts, in the order the case meets them."""
    from flask_babel import gettext as _

    cal = cal or load_calendar()
    if kind == "complaint":
        instance = instance or 1
    else:
        instance = None
    facts = Facts(kind=kind, instance=instance, complexity=complexity, is_remote=remote, sites=sites)
    received_l, accepted_l, decided_l = _("receipt"), _("acceptance"), _("decision")
    rows = [
        explain_one(Stage.FIRST_ANSWER, received_l, received, facts, cal),
        explain_one(Stage.CLASSIFICATION, received_l, received, facts, cal),
    ]
    if kind in ("complaint", "denunciation"):
        rows.append(explain_one(Stage.ACCEPTANCE, received_l, received, facts, cal))
    if kind == "denunciation":
        rows.append(explain_one(Stage.TRANSFER, received_l, received, facts, cal))
        rows.append(explain_one(Stage.NOTIFY_ACCEPTANCE, accepted_l, accepted, facts, cal))
    rows.append(
        explain_one(
            Stage.RESOLUTION, accepted_l, accepted, facts, cal, extensions=extensions if kind == "denunciation" else 0
        )
    )
    if kind == "complaint":
        if instance == 1:
            rows.append(explain_one(Stage.APPEAL, decided_l, decided, facts, cal))
        rows.append(explain_one(Stage.LEGAL_EFFECT, decided_l, decided, facts, cal))
    if kind == "denunciation":
        rows.append(explain_one(Stage.ACT_ON_CONCLUSION, decided_l, decided, facts, cal))
    return rows
