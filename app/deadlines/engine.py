"""The deadline engine: the facts a rule looks at, the rule in force, the due date, and why (``explain``).

The calendar arithmetic is the WorkCalendar's (calendar.py); which clocks exist, and when, is the
lifecycle table's (lifecycle.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from ..cases.models import Case, Complexity
from ..extensions import db
from ..petitions.models import Petition
from ..units.models import Unit
from . import calendar
from .lifecycle import LIFECYCLE, StartsFrom
from .models import Clock, DayUnit, DeadlineRule, RuleKind, Stage


@dataclass(frozen=True)
class Facts:
    """What a rule's conditions look at."""

    kind: str
    instance: int | None = None
    complexity: Complexity = Complexity.NORMAL
    is_remote: bool = False
    sites: int = 1
    unit_path: str | None = None  # the case's unit, for unit-configured rules


def petition_facts(petition: Petition) -> Facts:
    """The facts of a petition's clocks (a complaint is first instance unless registered as a second one)."""
    return Facts(
        kind=petition.kind.value,
        instance=petition.complaint_instance,
        is_remote=petition.unit.is_remote,
        sites=petition.sites,
        unit_path=petition.unit.path,
    )


def case_facts(case: Case) -> Facts:
    """The facts of a case's clocks: its kind, instance, complexity, area and unit."""
    return Facts(
        kind=case.kind.value,
        instance=case.instance,
        complexity=case.complexity,
        is_remote=case.is_remote_area,
        unit_path=case.unit.path,
    )


def _complexity_matches(rule_value: Complexity | None, actual: Complexity) -> bool:
    if rule_value is None:
        return True
    if rule_value == Complexity.COMPLEX:  # the laws' "complex" limits cover especially complex cases too
        return actual in (Complexity.COMPLEX, Complexity.ESPECIALLY_COMPLEX)
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


def _specificity(rule: DeadlineRule, unit_paths: dict[int, str]) -> tuple[int, bool, bool, bool, bool, bool, int]:
    return (
        len(unit_paths.get(rule.unit_id, "")) if rule.unit_id else 0,
        rule.kind is not RuleKind.ANY,
        rule.instance is not None,
        rule.complexity is not None and rule.complexity != Complexity.COMPLEX,
        rule.complexity is not None,
        rule.is_remote is not None,
        rule.min_sites or 0,
    )


def find_rule(stage: Stage, facts: Facts, on: date) -> DeadlineRule | None:
    """The most specific active rule for this stage and these facts, in force on ``on`` (see ``best_rule``)."""
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
    unit_ids = {r.unit_id for r in candidates if r.unit_id}
    unit_paths = (
        dict(db.session.execute(select(Unit.id, Unit.path).where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}
    )
    return best_rule(candidates, facts, on, unit_paths)


def best_rule(rules: Iterable[DeadlineRule], facts: Facts, on: date, unit_paths: dict[int, str]) -> DeadlineRule | None:
    """The rule choice (the only one): of ``rules`` (active rules of one stage, loaded by the caller), the
    most specific one of the facts' kind (or any kind) that is in force on ``on`` and applies to ``facts``.

    ``unit_paths``: the path of each unit that a rule is limited to. None if no rule applies.
    """
    kinds = {RuleKind.ANY, RuleKind(facts.kind)}
    matching = [r for r in rules if r.kind in kinds and r.in_force_on(on) and _matches(r, facts, unit_paths)]
    return max(matching, key=lambda r: (_specificity(r, unit_paths), r.id), default=None)


def compute_due(
    started_on: date,
    limit_days: int,
    unit: DayUnit | str,
    cal: calendar.WorkCalendar,
    extensions: Sequence[int] = (),
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


def recompute(clock: Clock, cal: calendar.WorkCalendar) -> date:
    """Recompute and store a clock's due date from its stored inputs."""
    clock.due_on = compute_due(
        clock.started_on,
        clock.limit_days,
        clock.day_unit,
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
    day_unit: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage.value,
            "stage_label": str(self.stage.label),
            "from": self.start_label,
            "start": self.started_on.isoformat() if self.started_on else None,
            "due": self.due_on.isoformat() if self.due_on else None,
            "limit": self.limit_days,
            "unit": self.day_unit,
            "rule": self.rule.code if self.rule else None,
            "legal_basis": self.rule.legal_basis if self.rule else None,
            "verified": self.rule.is_verified if self.rule else None,
            "effective_from": self.rule.effective_from.isoformat() if self.rule else None,
            "effective_to": (self.rule.effective_to.isoformat() if self.rule and self.rule.effective_to else None),
            "notes": list(self.notes),
        }


def explain_one(
    stage: Stage, start_label: str, start: date | None, facts: Facts, cal: calendar.WorkCalendar, extensions: int = 0
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
    due = compute_due(start, rule.limit_days, rule.day_unit, cal, ext_days)
    plain = start + timedelta(days=rule.limit_days) if rule.day_unit is DayUnit.CALENDAR and not ext_days else None
    if plain and plain != due:
        notes.append(_("%(day)s is not a working day: moved to the next working day.", day=plain.strftime("%d/%m/%Y")))
    if ext_days:
        notes.append(_("Extended %(n)d time(s) by %(days)d days.", n=len(ext_days), days=ext_days[0]))
    if not rule.is_verified:
        notes.append(_("Rule marked for verification against the legal text."))
    return Explanation(stage, start_label, start, due, rule, rule.limit_days, rule.day_unit.value, notes)


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
    cal: calendar.WorkCalendar | None = None,
) -> list[Explanation]:
    """Every due date that follows from these facts, in the order the case meets them.

    The stages are the lifecycle table's that apply to the kind (and instance): those with a clock, and
    those it marks as explained without one (the transfer and appeal periods).
    """
    from flask_babel import gettext as _

    cal = cal or calendar.load_calendar()
    if kind == "complaint":
        instance = instance or 1
    else:
        instance = None
    facts = Facts(kind=kind, instance=instance, complexity=Complexity(complexity), is_remote=remote, sites=sites)
    starts = {
        StartsFrom.RECEIPT: (_("receipt"), received),
        StartsFrom.ACCEPTANCE: (_("acceptance"), accepted),
        StartsFrom.DECISION: (_("decision"), decided),
        StartsFrom.DELIVERY: (_("decision (as if sent the same day)"), decided),
    }
    rows = []
    for life in LIFECYCLE.values():  # the order in which a petition and its case meet the stages
        if not life.explained or not life.applies_to(kind, instance):
            continue
        assert life.starts_from is not None, "an explained stage has a start (LIFECYCLE)"
        label, start = starts[life.starts_from]
        extended = extensions if life.stage is Stage.RESOLUTION and kind == "denunciation" else 0
        rows.append(explain_one(life.stage, label, start, facts, cal, extensions=extended))
    return rows
