"""Server-side login sessions: a new id at login; logout, deactivation, a password reset and idleness
end the session, and a replayed cookie of an ended session is refused."""

import json
import time

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core.locking import UNCHECKED
from app.users.models import UserSession
from app.users.operations import update_user
from tests.conftest import CsrfClient, english, login
from tests.factories import PASSWORD

IDLE_MESSAGE = "Your session ended after 30 minutes without activity."


def cookie(client) -> str:
    return client.get_cookie("session").value


def replay(client, value: str) -> None:
    client.set_cookie("session", value)


def logged_in(client) -> bool:
    return client.get("/cases/").status_code == 200


def sid_of(client) -> str:
    with client.session_transaction() as s:
        return s.get("sid")


def row(db, sid) -> UserSession:
    db.session.rollback()
    return db.session.get(UserSession, sid)


def events(db, action):
    db.session.rollback()
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def test_login_opens_a_server_session_and_records_it(client, world, db):
    login(client, "head")
    sid = sid_of(client)
    assert sid and len(sid) >= 40
    r = row(db, sid)
    assert r.user_id == world.users["head"].id and r.ended_at is None and r.ip == "127.0.0.1"
    (event,) = events(db, "auth.login")
    assert event.actor_id == world.users["head"].id and event.session_id == sid


def test_login_gives_a_new_session_id_whatever_the_cookie_held_before(app, client, world, db):
    """Session fixation: an id planted in the cookie before login is not the one logged in."""
    c = CsrfClient(client)
    c.token("/login")
    with client.session_transaction() as s:
        s["sid"] = "planted-by-an-attacker"
        s["_user_id"] = str(world.users["head"].id)
    before = cookie(client)
    assert not logged_in(client)  # a planted id logs nobody in
    login(client, "head")
    assert sid_of(client) not in (None, "planted-by-an-attacker")
    # Whoever kept the pre-login cookie is still not logged in.
    other = app.test_client()
    replay(other, before)
    assert not logged_in(other)
    # Two logins of the same user get two different ids.
    second = app.test_client()
    login(second, "head")
    assert sid_of(second) != sid_of(client)


def test_logout_ends_the_session_and_the_old_cookie_is_refused(app, client, world, db):
    c = login(client, "head")
    sid, saved = sid_of(client), cookie(client)
    assert c.post("/logout", {}, token_from="/cases/").status_code == 302
    r = row(db, sid)
    assert r.ended_at is not None and r.end_reason == "logout"
    (event,) = events(db, "auth.logout")
    assert event.actor_id == world.users["head"].id and event.session_id == sid
    replay(client, saved)
    assert not logged_in(client)
    attacker = app.test_client()
    replay(attacker, saved)
    assert attacker.get("/cases/").status_code == 302


def test_deactivating_a_user_ends_their_sessions(app, client, world, db):
    login(client, "handler")
    sid, saved = sid_of(client), cookie(client)
    assert logged_in(client)
    handler = world.users["handler"]
    update_user(
        handler,
        full_name=handler.full_name,
        unit=handler.unit,
        roles=handler.roles,
        is_active=False,
        actor=world.users["admin"],
        expected_version=UNCHECKED,
    )
    db.session.commit()
    assert row(db, sid).end_reason == "deactivated"
    (event,) = events(db, "auth.session_ended")
    assert event.target_user_id == handler.id and event.actor_id == world.users["admin"].id
    assert json.loads(event.detail) == {"reason": "deactivated", "sessions": 1}
    assert not logged_in(client)
    # Reactivating does not revive the old cookie.
    update_user(
        handler,
        full_name=handler.full_name,
        unit=handler.unit,
        roles=handler.roles,
        is_active=True,
        actor=world.users["admin"],
        expected_version=UNCHECKED,
    )
    db.session.commit()
    other = app.test_client()
    replay(other, saved)
    assert not logged_in(other)


def test_deactivation_through_the_admin_screen(app, login_as, world, db):
    handler_client = app.test_client()
    login(handler_client, "handler")
    admin = login_as("admin")
    h = world.users["handler"]
    resp = admin.post(
        f"/admin/users/{h.id}/edit",
        {"full_name": h.full_name, "unit_id": h.unit_id, "roles": ["handler"], "title": "", "version": h.version},
    )  # is_active unticked
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    assert not logged_in(handler_client)


def test_an_inactive_user_is_refused_even_with_an_open_session(client, world, db):
    """Belt and braces: a user switched off in the database directly is refused too."""
    login(client, "handler")
    world.users["handler"].is_active_user = False
    db.session.commit()
    assert not logged_in(client)


def test_a_password_reset_ends_the_users_sessions_but_not_the_admins_own(app, client, world, db):
    login(client, "handler")
    handler_sid = sid_of(client)
    admin_client = app.test_client()
    admin = login(admin_client, "admin")
    admin_sid = sid_of(admin_client)
    h = world.users["handler"]
    update_user(
        h,
        full_name=h.full_name,
        unit=h.unit,
        roles=h.roles,
        is_active=True,
        password="a-brand-new-secret",
        actor=world.users["admin"],
        expected_version=UNCHECKED,
    )
    db.session.commit()
    assert row(db, handler_sid).end_reason == "password_changed"
    assert not logged_in(client)
    # An administrator who resets their own password keeps the session they are using.
    a = world.users["admin"]
    with app.test_request_context():
        from flask import session

        session["sid"] = admin_sid
        update_user(
            a,
            full_name=a.full_name,
            unit=a.unit,
            roles=a.roles,
            is_active=True,
            password="another-new-secret",
            actor=a,
            expected_version=UNCHECKED,
        )
    db.session.commit()
    assert row(db, admin_sid).ended_at is None
    assert admin.get("/admin/units").status_code == 200


def test_a_session_of_another_user_is_refused(app, client, world, db):
    login(client, "handler")
    handler_sid = sid_of(client)
    attacker = app.test_client()
    login(attacker, "reception")
    with attacker.session_transaction() as s:
        s["sid"] = handler_sid  # the handler's id with the reception officer's user id
    assert not logged_in(attacker)
    with attacker.session_transaction() as s:
        s["_user_id"] = str(world.users["head"].id)
    assert not logged_in(attacker)


def test_idle_session_ends_with_a_message(app, client, world, db):
    english(login(client, "head"), "/cases/")
    sid = sid_of(client)
    with client.session_transaction() as s:
        s["seen"] = int(time.time()) - 31 * 60
    saved = cookie(client)
    resp = client.get("/cases/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    page = client.get("/login").get_data(as_text=True)
    assert IDLE_MESSAGE in page and 'lang="en"' in page  # the language survives
    r = row(db, sid)
    assert r.end_reason == "idle" and r.ended_at is not None
    (event,) = events(db, "auth.session_ended")
    assert event.actor_id == world.users["head"].id and json.loads(event.detail) == {"reason": "idle"}
    assert event.session_id == sid
    # The idle cookie replayed is refused (and no second message or event).
    other = app.test_client()
    replay(other, saved)
    assert not logged_in(other)
    assert len(events(db, "auth.session_ended")) == 1
    # Logging in again works.
    login(client, "head")
    assert logged_in(client)


def test_activity_keeps_the_session_alive_and_refreshes_at_most_every_minute(client, world, db):
    login(client, "head")
    now = int(time.time())
    with client.session_transaction() as s:
        s["seen"] = now - 29 * 60
    assert logged_in(client)
    with client.session_transaction() as s:
        assert s["seen"] >= now  # refreshed
        s["seen"] = now - 10
    assert logged_in(client)
    with client.session_transaction() as s:
        assert s["seen"] == now - 10  # less than a minute ago: the cookie is not rewritten
    assert row(db, sid_of(client)).ended_at is None


def test_idle_limit_is_configurable(app, client, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    english(login(client, "head"), "/cases/")
    sid = sid_of(client)
    with client.session_transaction() as s:
        s["seen"] = int(time.time()) - 4 * 60
    assert logged_in(client)
    with client.session_transaction() as s:
        s["seen"] = int(time.time()) - 6 * 60
    assert not logged_in(client)
    assert "ended after 5 minutes without activity" in client.get("/login").get_data(as_text=True)
    assert row(db, sid).end_reason == "idle"


def test_a_cookie_without_activity_time_is_treated_as_idle(client, world, db):
    login(client, "head")
    with client.session_transaction() as s:
        del s["seen"]
    assert not logged_in(client)


def test_no_remember_me(client, world):
    html = client.get("/login").get_data(as_text=True)
    assert "remember" not in html
    c = CsrfClient(client)
    resp = c.post("/login", {"username": "head", "password": PASSWORD, "remember": "y"})
    assert resp.status_code == 302
    assert client.get_cookie("remember_token") is None
    assert "remember_token" not in resp.headers.get("Set-Cookie", "")


def test_idle_expiry_on_a_get_while_another_worker_reads(app, world, db):
    """Ending an idle session is a GET's first statement: it does not fail while another worker reads."""
    client = app.test_client()
    login(client, "head")
    sid = sid_of(client)
    db.session.commit()
    db.session.remove()
    with client.session_transaction() as s:
        s["seen"] = int(time.time()) - 31 * 60
    with app.test_request_context("/cases/", method="GET"), db.engine.connect() as reader:
        assert reader.execute(select(UserSession.id)).all()  # a read transaction stays open meanwhile
        resp = client.get("/cases/")
        reader.rollback()
    assert resp.status_code == 302
    assert row(db, sid).end_reason == "idle"


def test_a_session_ends_after_the_maximum_lifetime_however_active(app, client, world, db, monkeypatch):
    from datetime import timedelta

    from sqlalchemy import update

    login(client, "head")
    sid = sid_of(client)
    assert logged_in(client)
    # Logged in 11 hours ago and active since: still in.
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == sid)
        .values(created_at=row(db, sid).created_at - timedelta(hours=11))
    )
    db.session.commit()
    assert logged_in(client)
    db.session.execute(
        update(UserSession).where(UserSession.id == sid).values(created_at=row(db, sid).created_at - timedelta(hours=2))
    )
    db.session.commit()
    assert not logged_in(client)  # 13 hours: log in again
    monkeypatch.setitem(app.config, "SESSION_MAX_HOURS", 24)
    assert logged_in(client)  # the same cookie, under a longer limit


def test_an_administrator_logs_a_user_out_everywhere(app, login_as, world, db):
    victim_pc, victim_phone = login_as("handler"), login_as("handler")
    admin = login_as("admin")
    target = world.users["handler"]
    page = admin.get(f"/admin/users/{target.id}/edit").get_data(as_text=True)
    assert 'data-testid="end-sessions"' in page and "2" in page
    assert admin.client.get(f"/admin/users/{target.id}/edit").status_code == 200
    # Without the CSRF token nothing happens.
    assert admin.client.post(f"/admin/users/{target.id}/end-sessions").status_code == 400
    assert logged_in(victim_pc.client)
    resp = admin.post(f"/admin/users/{target.id}/end-sessions", {})
    assert resp.status_code == 302
    assert not logged_in(victim_pc.client) and not logged_in(victim_phone.client)
    (event,) = events(db, "auth.session_ended")
    assert event.actor_id == world.users["admin"].id and event.target_user_id == target.id
    assert json.loads(event.detail) == {"reason": "admin", "sessions": 2}
    assert logged_in(admin.client)  # the administrator's own session is untouched


def test_only_administrators_may_end_sessions(login_as, world):
    target = world.users["handler"]
    assert login_as("head").post(f"/admin/users/{target.id}/end-sessions", {}).status_code == 403
    assert login_as("handler").post(f"/admin/users/{target.id}/end-sessions", {}).status_code == 403
