"""Scheduled job: reminders (in-app notifications) and their e-mail copies.

``create_reminders`` is set-based: one INSERT ... SELECT ... WHERE NOT EXISTS makes every missing
notification (the unique (user_id, dedup_key) constraint is the backstop). ``send_emails`` then sends each
unsent copy once: it claims the row with a conditional UPDATE committed before talking to the SMTP server
(so no database lock is held during SMTP traffic, and a second scheduler cannot send it too), and gives
the claim back if the send fails, so the next run retries.

Transactions: ``create_reminders`` only flushes, like every job (``scheduler.jobs.run_all`` commits).
``send_emails`` owns its transactions, and commits each claim and each give-back itself: an e-mail is
never sent on a claim that a later rollback could undo.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, Integer, Row, String, and_, cast, literal, null, select, union, update

from ..cases.models import Case, CaseState
from ..core.db import affected_rows, table_of
from ..core.roles import Role
from ..core.sql import json_sql
from ..deadlines.models import Clock
from ..extensions import db
from ..flags.models import Flag, FlagKind, FlagSubject
from ..petitions.models import Petition
from ..units.models import Unit
from ..users.models import User, UserRole
from .models import Notification

log = logging.getLogger("tiepdan.scheduler")

REMINDER_KINDS = (FlagKind.OVERDUE, FlagKind.DUE_SOON)
LEGAL_EFFECT = "legal_effect"
#: Cases whose legal effect is still worth announcing (closed or ended cases are not).
LEGAL_EFFECT_STATES = (CaseState.RESOLVED, CaseState.ENFORCED)
#: Older notifications are not e-mailed any more (e.g. created before e-mail was configured).
EMAIL_MAX_AGE = timedelta(days=7)
#: Consecutive connection failures after which the run stops trying the SMTP server.
MAX_CONNECTION_FAILURES = 3


def _joined(*parts):
    """SQL text of ``parts`` joined by ":" (the dedup key, e.g. "overdue:17:2026-12-01")."""
    expr: ColumnElement[str] | None = None
    for part in parts:
        item = literal(part, String) if isinstance(part, str) else cast(part, String)
        expr = item if expr is None else expr.concat(literal(":", String)).concat(item)
    return expr


def _recipients(case_rows):
    """For rows (case_id, petition_id, unit_id, handler_id, kind, dedup_key, params): one row per recipient.

    Recipients: the assigned handling officer (for a petition, the officer who registered it), and every
    active head whose unit is the record's unit or above it (unit path prefix).
    """
    cr = case_rows.subquery("cr")
    handler = (
        select(User.id.label("user_id"), cr.c.case_id, cr.c.petition_id, cr.c.kind, cr.c.dedup_key, cr.c.params)
        .select_from(cr)
        .join(User, User.id == cr.c.handler_id)
        .where(User.is_active_user.is_(True))
    )
    head_unit, case_unit = db.aliased(Unit), db.aliased(Unit)
    heads = (
        select(User.id.label("user_id"), cr.c.case_id, cr.c.petition_id, cr.c.kind, cr.c.dedup_key, cr.c.params)
        .select_from(cr)
        .join(case_unit, case_unit.id == cr.c.unit_id)
        .join(head_unit, case_unit.path.startswith(head_unit.path))
        .join(User, User.unit_id == head_unit.id)
        .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == Role.HEAD))
        .where(User.is_active_user.is_(True))
    )
    return handler, heads


def create_reminders(now: datetime) -> int:
    """Create the missing notifications: overdue / due-soon flags on cases and petitions, and legal effect."""
    no_id = cast(null(), Integer)
    deadline_rows = (
        select(
            Case.id.label("case_id"),
            no_id.label("petition_id"),
            Case.unit_id,
            Case.handler_id,
            cast(Flag.kind, String).label("kind"),
            _joined(Flag.kind, Clock.id, Clock.due_on).label("dedup_key"),
            json_sql({"number": Case.number, "stage": Clock.stage, "due_on": Clock.due_on}).label("params"),
        )
        .select_from(Flag)
        .join(Clock, Clock.id == Flag.clock_id)
        .join(Case, Case.id == Flag.subject_id)
        .where(Flag.subject == FlagSubject.CASE, Flag.kind.in_(REMINDER_KINDS), Flag.cleared_at.is_(None))
    )
    # A petition's clocks (classification, a denunciation's acceptance) before any case is opened.
    petition_rows = (
        select(
            no_id.label("case_id"),
            Petition.id.label("petition_id"),
            Petition.unit_id,
            Petition.created_by_id.label("handler_id"),
            (literal("petition_", String).concat(cast(Flag.kind, String))).label("kind"),
            _joined("petition", Flag.kind, Clock.id, Clock.due_on).label("dedup_key"),
            json_sql({"number": Petition.receipt_no, "stage": Clock.stage, "due_on": Clock.due_on}).label("params"),
        )
        .select_from(Flag)
        .join(Clock, Clock.id == Flag.clock_id)
        .join(Petition, Petition.id == Flag.subject_id)
        .where(Flag.subject == FlagSubject.PETITION, Flag.kind.in_(REMINDER_KINDS), Flag.cleared_at.is_(None))
    )
    effect_rows = select(
        Case.id.label("case_id"),
        no_id.label("petition_id"),
        Case.unit_id,
        Case.handler_id,
        literal(LEGAL_EFFECT, String).label("kind"),
        _joined(LEGAL_EFFECT, Case.id, Case.legally_effective_on).label("dedup_key"),
        json_sql({"number": Case.number, "on": Case.legally_effective_on}).label("params"),
    ).where(Case.legally_effective_on.is_not(None), Case.state.in_(LEGAL_EFFECT_STATES))
    parts = _recipients(deadline_rows) + _recipients(petition_rows) + _recipients(effect_rows)
    r = union(*parts).subquery("r")  # UNION, not UNION ALL: a handler who is also a head gets one
    exists_ = select(Notification.id).where(
        Notification.user_id == r.c.user_id, Notification.dedup_key == r.c.dedup_key
    )
    rows = select(
        r.c.user_id,
        r.c.case_id,
        r.c.petition_id,
        r.c.kind,
        r.c.dedup_key,
        r.c.params,
        literal(now, Notification.created_at.type),
    ).where(~exists_.exists())
    return affected_rows(
        db.session.execute(
            table_of(Notification)
            .insert()
            .from_select(["user_id", "case_id", "petition_id", "kind", "dedup_key", "params", "created_at"], rows)
            .execution_options(preserve_rowcount=True)  # PostgreSQL reports INSERT counts only when asked
        )
    )


@dataclass(frozen=True)
class Outgoing:
    """What an e-mail copy needs: the notification and its recipient."""

    id: int
    kind: str
    params: str
    case_id: int | None
    user_id: int
    email: str
    full_name: str
    locale: str | None


def _outgoing(row: Row[int, str, str, int | None, int, str | None, str, str | None]) -> Outgoing:
    """The Outgoing of a row of send_emails' query (which selects users with an address only)."""
    notification_id, kind, params, case_id, user_id, email, full_name, locale = row
    assert email is not None, "the query selects users with an e-mail address"
    return Outgoing(notification_id, kind, params, case_id, user_id, email, full_name, locale)


def send_emails(now: datetime, mailer=None) -> dict[str, int]:
    """E-mail each unsent, unread notification once to users with an address (when MAIL_SERVER is set)."""
    from .mail import Mailer, build_message

    if not current_app.config.get("MAIL_SERVER") and mailer is None:
        return {"sent": 0, "failed": 0}
    db.session.commit()  # what follows commits row by row: start from a clean transaction
    # Plain rows, not ORM objects: after each commit an object would reload itself, and on SQLite that
    # read would hold the write lock through the SMTP conversation.
    pending = [
        _outgoing(row)
        for row in db.session.execute(
            select(
                Notification.id,
                Notification.kind,
                Notification.params,
                Notification.case_id,
                User.id,
                User.email,
                User.full_name,
                User.locale,
            )
            .join(User, User.id == Notification.user_id)
            .where(
                Notification.emailed_at.is_(None),
                Notification.read_at.is_(None),
                Notification.created_at >= now - EMAIL_MAX_AGE,
                User.email.is_not(None),
                User.email != "",
                User.is_active_user.is_(True),
            )
            .order_by(Notification.id)
        )
    ]
    db.session.commit()
    mailer = mailer or Mailer.from_config(current_app.config)
    sent = failed = connection_failures = 0
    try:
        for out in pending:
            claimed = affected_rows(
                db.session.execute(
                    update(Notification)
                    .where(Notification.id == out.id, Notification.emailed_at.is_(None))
                    .values(emailed_at=now)
                    .execution_options(synchronize_session=False)
                )
            )
            db.session.commit()
            if claimed != 1:
                continue  # another scheduler process sent (or is sending) this one
            try:
                mailer.send(build_message(out))
            except Exception as err:  # noqa: BLE001 - any failure: give the claim back, retry next run
                failed += 1
                log.warning("e-mail of notification %s to user %s failed: %s", out.id, out.user_id, err)
                db.session.execute(
                    update(Notification)
                    .where(Notification.id == out.id)
                    .values(emailed_at=None)
                    .execution_options(synchronize_session=False)
                )
                db.session.commit()
                if mailer.is_connection_error(err):
                    connection_failures += 1
                    if connection_failures >= MAX_CONNECTION_FAILURES:
                        log.warning("SMTP server unreachable: the other e-mails wait for the next run")
                        break
                continue
            connection_failures = 0
            sent += 1
    finally:
        mailer.close()
    return {"sent": sent, "failed": failed}


def send_reminders(now: datetime, mailer=None) -> dict[str, int]:
    """Create the missing reminders, commit them, then e-mail the unsent copies."""
    created = create_reminders(now)
    db.session.commit()
    return {"created": created, **send_emails(now, mailer)}
