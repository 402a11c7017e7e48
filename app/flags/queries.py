"""Read-only lookups of flags, and the words that say why a flag was raised."""

import json
from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.enums import parse_enum
from ..core.templating import fmt_date
from ..extensions import db
from .models import DETAIL_ENUMS, Flag, FlagKind, FlagSubject


def _date(value) -> str:
    try:
        return fmt_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value or "")


def describe(flag: Flag) -> str:
    """Why the flag was raised, in the current language (from its JSON detail)."""
    try:
        d = json.loads(flag.detail or "")
    except ValueError:
        return flag.detail or ""
    if not isinstance(d, dict):
        return flag.detail or ""
    reason = d.get("reason")
    if "stage" in d and "due_on" in d:
        stages = DETAIL_ENUMS.get("stage")
        stage = parse_enum(stages, d["stage"]) if stages is not None else None
        shown = stage.label if stage is not None else d["stage"]
        return _("%(stage)s: due on %(due)s", stage=shown, due=_date(d["due_on"]))
    if "people" in d:
        return _("%(n)s people", n=d["people"])
    if "petitions" in d:
        return _("%(n)s petitions from the same person within %(days)s days", n=d["petitions"], days=d.get("days"))
    if reason == "open_long":
        return _("Open since %(since)s, more than %(days)s days", since=_date(d.get("since")), days=d.get("days"))
    if reason == "appeal":
        return _("Appeal against the decision of case %(number)s", number=d.get("of"))
    if reason == "appealed":
        return _("The decision was appealed: case %(number)s", number=d.get("by"))
    if reason == "no_progress":
        return _(
            "Being carried out, no progress recorded since %(since)s (more than %(days)s days)",
            since=_date(d.get("since")),
            days=d.get("days"),
        )
    if reason == "several_units":
        return _("The same person petitioned %(n)s different units", n=d.get("units"))
    if reason == "skipped_level":
        return _("Skipped a level: the competent commune is %(unit)s", unit=d.get("competent"))
    if "with" in d:
        kinds = (parse_enum(FlagKind, k) for k in str(d["with"]).split("+"))
        labels = [k.label for k in kinds if k is not None]
        return _("Many people, and %(others)s", others=", ".join(str(x).lower() for x in labels))
    return flag.detail or ""


#: The flags shown as badges on pages and list rows: the situation of a matter. Overdue and due-soon flags
#: are not: the deadline badges say the same from the clocks themselves.
SITUATION_KINDS = (
    FlagKind.MANY_PEOPLE,
    FlagKind.REPEATED,
    FlagKind.PROLONGED,
    FlagKind.OVER_LEVEL,
    FlagKind.HOT_SPOT,
    FlagKind.ENFORCEMENT_RECHECK,
)


def active_flags(subject: FlagSubject, ids: Iterable[int]) -> dict[int, list[Flag]]:
    """{case or petition id: its active (uncleared) situation flags, in the order of SITUATION_KINDS}."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Flag).where(
            Flag.subject == subject.value,
            Flag.subject_id.in_(wanted),
            Flag.cleared_at.is_(None),
            Flag.kind.in_(SITUATION_KINDS),
        )
    ).scalars()
    out: dict[int, list[Flag]] = {}
    order = {k: i for i, k in enumerate(SITUATION_KINDS)}
    for flag in sorted(rows, key=lambda f: (order[f.kind], f.id)):
        out.setdefault(flag.subject_id, []).append(flag)
    return out
