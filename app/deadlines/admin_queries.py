"""Read-only lookups of the administration screens: the rule table, a rule's history, the calendar."""

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import holidays
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..core.scope import get_or_404, subtree_ids
from ..extensions import db
from .calendar import WorkCalendar
from .models import CalendarOverride, DayUnit, DeadlineRule, DeadlineRuleChange, RuleKind, Stage

_KIND_ORDER = {k: i for i, k in enumerate(RuleKind)}
_STAGE_ORDER = {s: i for i, s in enumerate(Stage)}
_COMPLEXITY_ORDER = {None: 0, "normal": 1, "complex": 2, "especially_complex": 3}


def visible_rules(user):
    """SQL condition: the national rules, and the rules of the user's subtree and of the units above it."""
    return or_(
        DeadlineRule.unit_id.is_(None),
        DeadlineRule.unit_id.in_(subtree_ids(user)),
        DeadlineRule.unit_id.in_(user.unit.ancestors()),
    )


def get_rule(rule_id: int, user) -> DeadlineRule:
    """The rule with ``rule_id`` if the user may see it; 404 otherwise."""
    return get_or_404(select(DeadlineRule).where(DeadlineRule.id == rule_id, visible_rules(user)))


def _rule_order(rule: DeadlineRule) -> tuple:
    return (
        _KIND_ORDER[rule.kind],
        _STAGE_ORDER[rule.stage],
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


def rules_for(user, *, on: date | None = None, to_verify: bool = False) -> list[DeadlineRule]:
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


def units_by_id(ids) -> dict:
    """The units with these ids (to show the unit a rule is for), in one query."""
    from ..units.models import Unit

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
    "unit": lambda: _("Counted in"),
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


def show_value(name: str, value, units: dict | None = None) -> str:
    """A stored rule value (as recorded in the history JSON) in words."""
    from ..cases.models import Complexity

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in ("effective_from", "effective_to"):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            return str(value)
    enums = {"unit": DayUnit, "kind": RuleKind, "stage": Stage, "complexity": Complexity}
    if name in enums and value in enums[name]._value2member_map_:
        return enums[name](value).label
    if name == "unit_id" and units and value in units:
        return units[value].code
    if name == "instance":
        return {1: _("First instance"), 2: _("Second instance")}.get(value, str(value))
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
    return format_date(day, "EEEE")


def in_year(column, year: int):
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
    from ..users.models import User

    rows = list(
        db.session.scalars(
            select(CalendarOverride).where(in_year(CalendarOverride.day, year)).order_by(CalendarOverride.day)
        )
    )
    creator_ids = {r.created_by_id for r in rows if r.created_by_id}
    creators = (
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
def _package_year(year: int, language: str):
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
