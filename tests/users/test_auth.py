"""Logging in and out, the language switch, and role-based landing pages."""

import pytest

from tests.conftest import CsrfClient, login


def test_wrong_password_and_unknown_user_get_the_same_message(client, world):
    c = CsrfClient(client)
    wrong = c.post("/login", {"username": "head", "password": "wrong-password"}).get_data(as_text=True)
    unknown = c.post("/login", {"username": "nobody", "password": "wrong-password"}).get_data(as_text=True)
    assert "Sai tên đăng nhập hoặc mật khẩu." in wrong
    assert "Sai tên đăng nhập hoặc mật khẩu." in unknown
    assert client.get("/cases/").status_code == 302  # still logged out


def test_empty_login_form_shows_field_messages(client, world):
    html = CsrfClient(client).post("/login", {"username": "", "password": ""}).get_data(as_text=True)
    assert "Nhập tên đăng nhập." in html and "Nhập mật khẩu." in html


def test_login_without_csrf_token_is_refused(client, world):
    resp = client.post("/login", data={"username": "head", "password": "correct-horse-77"})
    assert resp.status_code == 400
    assert client.get("/cases/").status_code == 302


def test_deactivated_user_cannot_log_in(client, world, db):
    world.users["handler"].is_active_user = False
    db.session.commit()
    resp = CsrfClient(client).post("/login", {"username": "handler", "password": "correct-horse-77"})
    assert resp.status_code == 200
    assert client.get("/cases/").status_code == 302


@pytest.mark.parametrize(
    "username, landing",
    [
        ("reception", "/reception/"),
        ("head", "/cases/caseload"),
        ("inspector", "/cases/caseload"),
        ("handler", "/cases/?mine=1"),
        ("admin", "/admin/"),
    ],
)
def test_each_role_lands_on_its_start_page(client, world, username, landing):
    login(client, username)
    resp = client.get("/")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(landing) or landing in resp.headers["Location"]


def test_logout_needs_post_and_ends_the_session(client, world):
    c = login(client, "head")
    assert client.get("/cases/").status_code == 200
    assert client.get("/logout").status_code == 405
    resp = c.post("/logout", {}, token_from="/cases/")
    assert resp.status_code == 302
    assert client.get("/cases/").status_code == 302


def test_open_redirect_after_login_is_refused(client, world):
    resp = CsrfClient(client).post(
        "/login?next=//evil.example/x", {"username": "head", "password": "correct-horse-77"}, token_from="/login"
    )
    assert resp.status_code == 302
    assert "evil.example" not in resp.headers["Location"]


def test_language_switch_to_english_and_back(client, world):
    c = CsrfClient(client)
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)
    c.post("/language/en", {"next": "/login"}, token_from="/login")
    html = client.get("/login").get_data(as_text=True)
    assert "Log in" in html and 'lang="en"' in html
    c.post("/language/vi", {"next": "/login"}, token_from="/login")
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_language_survives_login(client, world):
    c = CsrfClient(client)
    c.post("/language/en", {"next": "/login"}, token_from="/login")
    login(client, "head")
    assert 'lang="en"' in client.get("/cases/").get_data(as_text=True)
