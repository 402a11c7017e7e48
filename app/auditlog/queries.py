"""Reading the audit log: the events a user may see, filtered and paginated."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import joinedload

from ..audit.models import AuditEvent
from ..cases.models import Case
from ..cases.scope import visible_to as case_visible
from ..core.i18n import lazy_gettext as _l
from ..core.scope import in_scope
from ..core.timeutil import local_to_utc
from ..core.validation import parse_date
from ..extensions import db
from ..petitions.models import Petition
from ..users.models import User

#: Labels of the known actions (others are shown as recorded).
ACTION_LABELS = {
    "identity.reveal": _l("Identity revealed"),
    "auth.login": _l("Logged in"),
    "auth.login_failed": _l("Failed login"),
    "auth.logout": _l("Logged out"),
    "auth.session_ended": _l("Session ended"),
    "permission.grant": _l("Permission granted"),
    "permission.revoke": _l("Permission revoked"),
    "attachment.upload": _l("File attached"),
    "attachment.download": _l("File downloaded"),
    "attachment.remove": _l("File removed"),
    "export.petitions": _l("Petitions exported"),
    "export.reception_register": _l("Reception register exported"),
    "visit.correct": _l("Visit corrected"),
    "petition.correct": _l("Petition corrected"),
    "person.correct": _l("Citizen's details corrected"),
    "import.register": _l("Register imported from Excel"),
    "backup.create": _l("Backup created"),
    "backup.restore": _l("Backup restored"),
    "user.create": _l("User created"),
    "user.update": _l("User changed"),
    "procedure.override": _l("Legal rule set aside by the head"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def visible_to(user):
    """SQL condition: the event concerns the user's unit subtree.

    Its petition or case is in the subtree, or its actor or the user it was about belongs to it. Events about
    nothing and no one (backups, failed logins with unknown names) are for users of a top unit.
    """

    users_in_scope = select(User.id).where(in_scope(User.unit_id, user))
    conditions: list[ColumnElement[bool]] = [
        AuditEvent.petition_id.in_(select(Petition.id).where(in_scope(Petition.unit_id, user))),
        AuditEvent.case_id.in_(select(Case.id).where(case_visible(user))),
        AuditEvent.actor_id.in_(users_in_scope),
        AuditEvent.target_user_id.in_(users_in_scope),
    ]
    if user.unit.parent_id is None:
        conditions.append(
            and_(
                AuditEvent.actor_id.is_(None),
                AuditEvent.target_user_id.is_(None),
                AuditEvent.petition_id.is_(None),
                AuditEvent.case_id.is_(None),
            )
        )
    return or_(*conditions)


@dataclass
class AuditFilters:
    action: str = ""
    #: A username (exact, case-insensitive).
    actor: str = ""
    #: Local dates, inclusive.
    date_from: date | None = None
    date_to: date | None = None

    @property
    def is_active(self) -> bool:
        return bool(self.action or self.actor or self.date_from or self.date_to)


def parse_filters(args: Mapping[str, str]) -> AuditFilters:
    action = (args.get("action") or "").strip()[:40]
    return AuditFilters(
        action=action,
        actor=(args.get("actor") or "").strip()[:64],
        date_from=parse_date(args.get("from", "")),
        date_to=parse_date(args.get("to", "")),
    )


def page_of_events(user, filters: AuditFilters, page: int, per_page: int):
    """The visible events matching ``filters``, newest first, one page of them."""

    # The actor and the user acted upon are shown on every row: loaded with the page, not one by one.
    stmt = (
        select(AuditEvent)
        .where(visible_to(user))
        .options(joinedload(AuditEvent.actor), joinedload(AuditEvent.target_user))
    )
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.actor:
        stmt = stmt.where(
            AuditEvent.actor_id.in_(select(User.id).where(func.lower(User.username) == filters.actor.lower()))
        )
    if filters.date_from:
        stmt = stmt.where(AuditEvent.at >= local_to_utc(datetime.combine(filters.date_from, time.min)))
    if filters.date_to:
        stmt = stmt.where(AuditEvent.at < local_to_utc(datetime.combine(filters.date_to + timedelta(days=1), time.min)))
    stmt = stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    pagination = db.paginate(stmt, page=max(page, 1), per_page=per_page, error_out=False)
    if pagination.pages and pagination.page > pagination.pages:
        pagination = db.paginate(stmt, page=pagination.pages, per_page=per_page, error_out=False)
    return pagination


def recorded_actions() -> list[str]:
    """The known actions and any other action present in the log, for the filter."""
    present = set(db.session.scalars(select(AuditEvent.action).distinct()))
    return sorted(set(ACTION_LABELS) | present)


def linked_records(events, user) -> tuple[dict, dict]:
    """{petition_id: receipt_no} and {case_id: number} of the events' records that ``user`` may open."""

    petition_ids = {e.petition_id for e in events if e.petition_id}
    case_ids = {e.case_id for e in events if e.case_id}
    petitions = (
        dict(
            db.session.execute(
                select(Petition.id, Petition.receipt_no).where(
                    Petition.id.in_(petition_ids), in_scope(Petition.unit_id, user)
                )
            ).all()
        )
        if petition_ids
        else {}
    )
    cases = (
        dict(db.session.execute(select(Case.id, Case.number).where(Case.id.in_(case_ids), case_visible(user))).all())
        if case_ids
        else {}
    )
    return petitions, cases
