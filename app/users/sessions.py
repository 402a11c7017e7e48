"""Server-side login sessions: a UserSession row per login, checked on every request.

The signed cookie session holds ``sid`` (the row's random id) and ``seen`` (the time of the last
request, refreshed at most once a minute). A cookie is refused when its row is missing or ended, belongs
to another user, or its user is inactive; and it ends (reason "idle") when it comes back after more than
SESSION_IDLE_MINUTES without a request.
"""

import secrets
import time
from datetime import timedelta

from flask import current_app, flash, has_request_context, request, session
from flask_babel import gettext as _
from sqlalchemy import select, update

from ..audit.operations import record
from ..core.db import affected_rows
from ..core.timeutil import utcnow
from ..extensions import db
from .models import User, UserSession

#: ``seen`` is rewritten (a new cookie) at most this often (or every quarter of the idle limit, if shorter).
SEEN_REFRESH_SECONDS = 60
#: Cookie-session keys that survive logging in and out.
KEPT_KEYS = ("locale",)


def current_session_id() -> str | None:
    return session.get("sid") if has_request_context() else None


def clear_cookie_session() -> None:
    """Empty the cookie session but for the interface language."""
    kept = {k: session[k] for k in KEPT_KEYS if k in session}
    session.clear()
    session.update(kept)


def start_session(user: User) -> UserSession:
    """Open a login session for ``user`` under a new random id, in a cleared cookie session."""
    clear_cookie_session()
    row = UserSession(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        created_at=utcnow(),
        ip=(request.remote_addr or "")[:45] or None,
        user_agent=(request.user_agent.string or "")[:300] or None,
    )
    db.session.add(row)
    db.session.flush()
    session["sid"] = row.id
    session["seen"] = int(time.time())
    return row


def log_in(user: User) -> UserSession:
    """Log ``user`` in under a new session id (in an emptied cookie session) and record it."""
    from flask_login import login_user

    row = start_session(user)
    login_user(user)
    record("auth.login", actor=user)
    return row


def record_failed_login(user: User | None) -> None:
    """Record a refused login; the typed name is kept only when it is a real username (a password typed
    into the name field by mistake must not end up in the log)."""
    record("auth.login_failed", actor=user, detail={"username": user.username} if user else None)


def log_out(user: User) -> None:
    """End this login session (a replay of its cookie is refused), record it, and empty the cookie."""
    from flask_login import logout_user

    end_session(session.get("sid"), "logout")
    record("auth.logout", actor=user)
    logout_user()
    clear_cookie_session()


def end_session(sid: str | None, reason: str) -> bool:
    """End one open session; True if it was open."""
    if not sid:
        return False
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.id == sid, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return bool(affected_rows(result))


def end_user_sessions(user: User, reason: str, *, actor=None, keep: str | None = None) -> int:
    """End every open session of ``user`` (but ``keep``); record it when there was any."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep:
        stmt = stmt.where(UserSession.id != keep)
    result = db.session.execute(
        stmt.values(ended_at=utcnow(), end_reason=reason).execution_options(synchronize_session=False)
    )
    ended = affected_rows(result)
    if ended:
        record("auth.session_ended", actor=actor, target_user=user, detail={"reason": reason, "sessions": ended})
    return ended


def user_for_session(user_id: str, sid: str | None) -> User | None:
    """The active user of the open session ``sid`` if it is ``user_id``'s; None otherwise.

    A session older than SESSION_MAX_HOURS is refused however active it was (a day's work, then log in).
    """
    if not sid or not isinstance(sid, str) or not str(user_id).isdigit():
        return None
    born_after = utcnow() - timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    stmt = (
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.id == sid,
            UserSession.ended_at.is_(None),
            User.id == int(user_id),
            User.is_active_user.is_(True),
            UserSession.created_at >= born_after,
        )
    )
    return db.session.execute(stmt).unique().scalar_one_or_none()


def enforce_idle_timeout() -> None:
    """Before each request: end a session that comes back after the idle limit; else note the activity.

    The write is the first statement of its own short transaction (this runs before the view touches the
    database): on SQLite a GET request's transaction is deferred, and upgrading it from a read to a write
    could fail at once with "database is locked".
    """
    if request.endpoint == "static" or "sid" not in session:
        return
    now = int(time.time())
    seen = session.get("seen")
    minutes = current_app.config["SESSION_IDLE_MINUTES"]
    if isinstance(seen, int) and now - seen <= minutes * 60:
        # The keep-alive check of an open page (users.session_alive) renews the session only when asked.
        if now - seen >= min(SEEN_REFRESH_SECONDS, minutes * 15) and request.endpoint != "users.session_alive":
            session["seen"] = now
        return
    user_id = session.get("_user_id")
    uid = int(str(user_id)) if str(user_id).isdigit() else None
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.id == session["sid"], UserSession.user_id == uid, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason="idle")
        .execution_options(synchronize_session=False)
    )
    was_open = bool(affected_rows(result))
    if was_open:
        record("auth.session_ended", actor=uid, target_user=uid, detail={"reason": "idle"})
    db.session.commit()  # its own transaction (above), kept whatever the request does next
    clear_cookie_session()
    if was_open:
        flash(_("Your session ended after %(n)d minutes without activity. Please log in again.", n=minutes), "warning")
