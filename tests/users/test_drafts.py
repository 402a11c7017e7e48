"""Typed work is never lost: a post after the session ended, or with a stale CSRF token, comes back filled in.

The login page carries the form; after logging in the browser posts it back (restore page) and the view
shows its form filled in, saving nothing until the officer saves. A post another site sends is refused as
before (no Origin or Referer of this host), and password fields are never carried.
"""

import html
import json
import re
import time

import pytest
from sqlalchemy import func, select

from app.reception.models import ReceptionSession
from app.users.drafts import Draft, decode
from tests.conftest import PASSWORD, CsrfClient
from tests.petitions.helpers import row_counts
from tests.reception.test_desk import DESK, POST_URL, visit

SAME_SITE = {"Origin": "http://localhost"}


@pytest.fixture
def desk(login_en):
    return login_en("reception")


def visits() -> int:
    from app.extensions import db

    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(ReceptionSession))


def expire(client) -> None:
    with client.session_transaction() as s:
        s["seen"] = int(time.time()) - 31 * 60


def hidden(page: str, name: str) -> str:
    m = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', page)
    assert m, f"no hidden {name}"
    return html.unescape(m.group(1))


def restore_fields(page: str) -> list[tuple[str, str]]:
    form = re.search(r'<form method="post" action="([^"]+)" data-auto-submit.*?</form>', page, re.S)
    assert form, "no restore form"
    return [
        (html.unescape(n), html.unescape(v))
        for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0))
    ]


def test_a_post_after_the_idle_limit_comes_back_filled_in_after_login(desk, world, db):
    data = visit(world, content='Khiếu nại "thu hồi" đất <b>của</b> xã.\nDòng thứ hai.')
    token = desk.token(DESK)
    expire(desk.client)
    before = row_counts()

    # 1. The late post saves nothing and shows the login page, carrying what was typed.
    resp = desk.client.post(POST_URL, data={**data, "csrf_token": token}, headers=SAME_SITE)
    assert resp.status_code == 401
    page = resp.get_data(as_text=True)
    assert 'data-testid="draft-kept"' in page
    assert row_counts() == before
    draft = decode(hidden(page, "draft"))
    assert draft is not None and draft.action == POST_URL
    assert ("content", data["content"]) in draft.fields
    assert not any(name == "csrf_token" for name, _ in draft.fields)

    # 2. Logging in gives a page that sends it back to the desk with a fresh token.
    login_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    resp = desk.client.post(
        "/login",
        data={"username": "reception", "password": PASSWORD, "csrf_token": login_token, "draft": hidden(page, "draft")},
    )
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert f'action="{POST_URL}"' in page
    fields = restore_fields(page)
    assert ("_restored", "1") in fields and ("content", data["content"]) in fields
    assert row_counts() == before

    # 3. The desk shows the form filled in, with the message, and still saves nothing.
    resp = desk.client.post(POST_URL, data=dict(fields), headers=SAME_SITE)
    assert resp.status_code == 200
    page = html.unescape(resp.get_data(as_text=True))
    assert "What you typed is back in the form below, not yet saved" in page, page[page.find("<main") :][:800]
    assert "correct the fields marked below" not in page
    assert 'value="Khiếu nại quyết định thu hồi đất"' in page
    assert "Dòng thứ hai." in page
    assert row_counts() == before

    # 4. Saving it then records the visit once.
    resp = desk.post(POST_URL, {k: v for k, v in fields if k not in ("_restored", "csrf_token")}, token_from=DESK)
    assert resp.status_code == 302
    assert visits() == 1


def test_a_stale_csrf_token_while_logged_in_gives_the_form_back(desk, world, db):
    before = row_counts()
    resp = desk.client.post(POST_URL, data={**visit(world), "csrf_token": "stale"}, headers=SAME_SITE)
    assert resp.status_code == 200
    fields = restore_fields(resp.get_data(as_text=True))
    assert ("full_name", "Nguyễn Văn An") in fields
    resp = desk.client.post(POST_URL, data=dict(fields), headers=SAME_SITE)
    assert "not yet saved" in html.unescape(resp.get_data(as_text=True))
    assert row_counts() == before


@pytest.mark.parametrize(
    "headers", [{}, {"Origin": "https://evil.example"}, {"Referer": "https://evil.example/form"}, {"Origin": "null"}]
)
def test_a_post_from_another_site_is_refused_and_not_carried(desk, world, headers):
    before = row_counts()
    resp = desk.client.post(POST_URL, data={**visit(world), "csrf_token": "stale"}, headers=headers)
    assert resp.status_code == 400
    assert "data-auto-submit" not in resp.get_data(as_text=True)
    expire(desk.client)
    resp = desk.client.post(POST_URL, data=visit(world), headers=headers)
    assert resp.status_code in (302, 400)  # to the login page (CSRF token or session gone): nothing carried
    assert 'name="draft"' not in resp.get_data(as_text=True)
    assert row_counts() == before


def test_a_referer_of_this_site_is_enough_without_origin(desk, world):
    resp = desk.client.post(
        POST_URL, data={**visit(world), "csrf_token": "stale"}, headers={"Referer": "http://localhost/reception/"}
    )
    assert resp.status_code == 200 and "data-auto-submit" in resp.get_data(as_text=True)


def test_password_fields_are_never_carried(login_en, world):
    admin = login_en("admin")
    resp = admin.client.post(
        "/admin/users/new",
        data={"username": "x", "password": "secret-Pass-123", "password_confirm": "secret-Pass-123", "csrf_token": "x"},
        headers=SAME_SITE,
    )
    fields = dict(restore_fields(resp.get_data(as_text=True)))
    assert fields["username"] == "x"
    assert not any("password" in name for name in fields)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        json.dumps([]),
        json.dumps({"action": "//evil.example/x", "fields": []}),
        json.dumps({"action": "https://evil.example/x", "fields": []}),
        json.dumps({"action": "/login", "fields": []}),
        json.dumps({"action": "/reception/visits", "fields": [["a"]]}),
        json.dumps({"action": "/reception/visits", "fields": [["a", 1]]}),
        json.dumps({"action": "/reception/visits", "fields": "a=b"}),
    ],
)
def test_a_draft_that_is_not_ours_is_ignored(text):
    assert decode(text) is None


def test_a_draft_round_trips():
    draft = Draft(
        action="/cases/3/assign?x=1", fields=[("a", "1"), ("a", "2"), ("note", "dòng\nhai")], files_dropped=True
    )
    assert decode(draft.encode()) == draft


def test_logging_in_with_a_bad_draft_goes_on_as_usual(client, world):
    c = CsrfClient(client)
    resp = c.post("/login", {"username": "head", "password": PASSWORD, "draft": '{"action": "//evil", "fields": []}'})
    assert resp.status_code == 302


def test_a_failed_login_keeps_the_draft(client, world):
    c = CsrfClient(client)
    draft = Draft(action=POST_URL, fields=[("content", "giữ lại")]).encode()
    resp = c.post("/login", {"username": "reception", "password": "wrong", "draft": draft})
    assert resp.status_code == 200
    assert decode(hidden(resp.get_data(as_text=True), "draft")).fields == [("content", "giữ lại")]


def test_a_get_after_the_idle_limit_still_goes_to_the_login_page_and_back(client, world):
    c = CsrfClient(client)
    c.post("/login", {"username": "head", "password": PASSWORD})
    expire(client)
    resp = client.get("/cases/?state=assigned")
    assert resp.status_code == 302
    assert "/login?next=" in resp.headers["Location"] and "state" in resp.headers["Location"]


def test_the_keep_alive_check_and_renewal(app, client, world):
    assert client.get("/session/alive").status_code == 401
    c = CsrfClient(client)
    c.post("/login", {"username": "head", "password": PASSWORD})
    old = int(time.time()) - 20 * 60
    with client.session_transaction() as s:
        s["seen"] = old
    resp = client.get("/session/alive")
    assert resp.status_code == 200
    assert 9 * 60 <= resp.json["remaining"] <= 10 * 60 and resp.json["idle"] == 30 * 60
    with client.session_transaction() as s:
        assert s["seen"] == old  # a check is not activity
    resp = client.get("/session/alive?touch=1")
    assert resp.json["remaining"] >= 30 * 60 - 2
    with client.session_transaction() as s:
        assert s["seen"] > old
    expire(client)
    assert client.get("/session/alive").status_code == 401


def test_buttons_without_typed_work_are_not_carried(login_en, world):
    head = login_en("head")
    # A stale logout or language switch is refused as before: no page posts it again on its own.
    for url, data in (("/logout", {}), ("/language/vi", {"next": "/cases/"})):
        resp = head.client.post(url, data={**data, "csrf_token": "stale"}, headers=SAME_SITE)
        assert resp.status_code == 400 and "data-auto-submit" not in resp.get_data(as_text=True)
    assert head.client.get("/cases/").status_code == 200  # still logged in
    expire(head.client)
    resp = head.client.post("/logout", data={"csrf_token": head.token("/login")}, headers=SAME_SITE)
    assert 'name="draft"' not in resp.get_data(as_text=True)


def test_a_case_action_comes_back_open_with_what_was_typed(login_en, world, db):
    from app.cases.models import CaseState
    from tests.factories import create_case

    case = create_case(world, CaseState.ACCEPTED)
    db.session.commit()
    head = login_en("head")
    data = {"handler_id": str(world.users["handler"].id), "complexity": "complex", "note": "Xác minh tại thực địa"}
    resp = head.client.post(
        f"/cases/{case.id}/assign", data={**data, "version": case.version, "csrf_token": "stale"}, headers=SAME_SITE
    )
    fields = restore_fields(resp.get_data(as_text=True))
    resp = head.client.post(f"/cases/{case.id}/assign", data=dict(fields), headers=SAME_SITE)
    page = html.unescape(resp.get_data(as_text=True))
    assert "not yet saved" in page and "Xác minh tại thực địa" in page
    assert "correct the fields marked below" not in page
    db.session.rollback()
    assert db.session.get(type(case), case.id).handler_id is None
