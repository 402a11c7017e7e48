"""No state change through GET; no POST without a CSRF token (every route of app.url_map)."""

import re

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.security.routes import QUERY_EXAMPLES, build_url, diff, methods, rules, snapshot

#: The only writes a GET may do, as (statement, table):
#: - the login-session machinery (issue 4) records logins and ends idle sessions (user_sessions, and
#:   audit events);
#: - reading personal data in bulk or as a file is itself logged: an Excel export and an attachment
#:   download each append one audit event (INSERT only: the audit log is append-only).
#: Nothing else; the tests below log in before they start watching.
ALLOWED_GET_WRITES = {("INSERT", "audit_events"), ("INSERT", "user_sessions"), ("UPDATE", "user_sessions")}
ALLOWED_TABLES = {table for _verb, table in ALLOWED_GET_WRITES}

WRITES = ("INSERT", "UPDATE", "DELETE")
TARGET = re.compile(r'(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)


class WriteRecorder:
    """Record the INSERT/UPDATE/DELETE statements sent to the database while active."""

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if head in WRITES:
            self.statements.append(statement)

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self)

    def outside(self, allowed: set[tuple[str, str]]) -> list[str]:
        """The recorded writes that are not (verb, table) pairs of ``allowed``."""
        out = []
        for statement in self.statements:
            m = TARGET.match(statement.lstrip())
            if not m or (m.group(1).split()[0].upper(), m.group(2).lower()) not in allowed:
                out.append(statement)
        return out


def get_rules(app):
    return [r for r in rules(app) if "GET" in methods(r)]


def post_rules(app):
    return [r for r in rules(app) if "POST" in methods(r)]


@pytest.mark.parametrize("username", ["admin", "head", "handler", "reception"])
def test_get_changes_nothing(app, scene, client_of, username):
    client = client_of(username)
    client.get("/notifications/")  # settle anything a first request after login may do
    before = snapshot()
    statuses = {}
    with WriteRecorder() as writes:
        for rule in get_rules(app):
            url = build_url(rule, scene)
            for query in ({}, QUERY_EXAMPLES.get(rule.endpoint, {"q": "a", "page": "2"})):
                resp = client.get(url, query_string=query)
                statuses[(url, tuple(query))] = resp.status_code
                resp.close()  # static files and downloads hold an open file
                assert resp.status_code < 500, (url, query, resp.status_code)
    assert not writes.outside(ALLOWED_GET_WRITES), f"GET requests wrote: {writes.outside(ALLOWED_GET_WRITES)}"
    changed = {t: v for t, v in diff(before, snapshot()).items() if t not in ALLOWED_TABLES}
    assert not changed, f"GET requests as {username} changed {changed}"
    assert any(s == 200 for s in statuses.values())


@pytest.mark.parametrize("username", ["admin", "head", "handler", "reception"])
def test_post_without_csrf_is_400_and_changes_nothing(app, scene, client_of, username):
    client = client_of(username).client
    before = snapshot()
    wrong = {}
    for rule in post_rules(app):
        url = build_url(rule, scene)
        # Fields a real submission would have, but no csrf_token.
        resp = client.post(url, data={"version": "1", "note": "x", "reason": "x", "next": "/"})
        if resp.status_code != 400:
            wrong[rule.endpoint] = resp.status_code
    assert not wrong, f"POST without a CSRF token must answer 400: {wrong}"
    assert not diff(before, snapshot())


def test_post_with_a_wrong_csrf_token_is_400(app, scene, client_of):
    client = client_of("head").client
    before = snapshot()
    for rule in post_rules(app):
        resp = client.post(build_url(rule, scene), data={"csrf_token": "forged.token.value"})
        assert resp.status_code == 400, rule.endpoint
    assert not diff(before, snapshot())


def test_login_without_csrf_is_refused(app, world):
    """The login form too: a cross-site login (login CSRF) is refused."""
    resp = app.test_client().post("/login", data={"username": "admin", "password": "correct-horse-77"})
    assert resp.status_code == 400


def test_no_route_both_reads_and_writes_through_get(app):
    """Routes that accept GET and POST do their writing only in the POST branch: checked above for GET;
    here, that every such route is a form page (GET shows the form, POST submits it)."""
    both = [r for r in rules(app) if {"GET", "POST"} <= methods(r)]
    assert both, "expected form pages accepting GET and POST"
    for rule in both:
        assert rule.endpoint.split(".")[-1].startswith(("new", "create", "edit", "add", "login")) or rule.endpoint in {
            "users.login"
        }, f"{rule.endpoint} accepts GET and POST: is it a form page?"


def test_the_write_recorder_sees_a_real_write(app, scene, client_of):
    """The GET check can fail: a POST that does change something is recorded."""
    client = client_of("handler")
    token = client.token("/notifications/")
    with WriteRecorder() as writes:
        resp = client.client.post("/notifications/read-all", data={"csrf_token": token})
    assert resp.status_code == 302
    assert any("notifications" in s for s in writes.outside(ALLOWED_GET_WRITES))
