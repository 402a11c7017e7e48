"""The words of a notification, rendered from its kind and parameters in the reader's language."""

import json
from datetime import date

from flask_babel import gettext as _

from ..core.enums import parse_enum
from ..core.templating import fmt_date
from ..deadlines.models import Stage


def _params(raw) -> dict:
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _date(value) -> str:
    try:
        return fmt_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value or "")


def _stage(value) -> str:
    stage = parse_enum(Stage, value)
    return str(stage.label) if stage is not None else str(value or "")


def notification_text(kind: str, params) -> str:
    """One sentence saying what happened, in the current locale (plain text, not markup)."""
    p = _params(params)
    number = str(p.get("number", ""))
    if kind == "overdue":
        return _(
            "Case %(number)s: the deadline for “%(stage)s” was %(due)s and has passed.",
            number=number,
            stage=_stage(p.get("stage")),
            due=_date(p.get("due_on")),
        )
    if kind == "due_soon":
        return _(
            "Case %(number)s: “%(stage)s” is due on %(due)s.",
            number=number,
            stage=_stage(p.get("stage")),
            due=_date(p.get("due_on")),
        )
    if kind == "petition_overdue":
        return _(
            "Petition %(number)s: the deadline for “%(stage)s” was %(due)s and has passed.",
            number=number,
            stage=_stage(p.get("stage")),
            due=_date(p.get("due_on")),
        )
    if kind == "petition_due_soon":
        return _(
            "Petition %(number)s: “%(stage)s” is due on %(due)s.",
            number=number,
            stage=_stage(p.get("stage")),
            due=_date(p.get("due_on")),
        )
    if kind == "legal_effect":
        return _(
            "Case %(number)s: the decision took legal effect on %(day)s; its enforcement must now be organised.",
            number=number,
            day=_date(p.get("on")),
        )
    return _("Case %(number)s needs your attention.", number=number)


def notification_subject(kind: str, params) -> str:
    """The e-mail subject line."""
    p = _params(params)
    number = str(p.get("number", ""))
    if kind == "overdue":
        return _("[TiepDan] Overdue: case %(number)s", number=number)
    if kind == "due_soon":
        return _("[TiepDan] Due soon: case %(number)s", number=number)
    if kind == "petition_overdue":
        return _("[TiepDan] Overdue: petition %(number)s", number=number)
    if kind == "petition_due_soon":
        return _("[TiepDan] Due soon: petition %(number)s", number=number)
    if kind == "legal_effect":
        return _("[TiepDan] Decision legally effective: case %(number)s", number=number)
    return _("[TiepDan] Case %(number)s", number=number)
