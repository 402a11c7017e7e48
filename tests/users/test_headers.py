"""Security headers, cache control and cookie flags."""

import os
import re

import pytest

from tests.conftest import login

TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "templates")


def csp(resp) -> dict[str, str]:
    header = resp.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


@pytest.fixture
def pages(client, world):
    """An anonymous page, a logged-in page and a static file."""
    anonymous = client.get("/login")
    login(client, "head")
    static = client.get("/static/tiepdan.css")
    static.close()  # only its headers are looked at
    return {"login": anonymous, "cases": client.get("/cases/"), "static": static}


@pytest.mark.parametrize("page", ["login", "cases", "static"])
def test_content_security_policy(pages, page):
    policy = csp(pages[page])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in pages[page].headers["Content-Security-Policy"]
    assert "unsafe-eval" not in pages[page].headers["Content-Security-Policy"]


@pytest.mark.parametrize("page", ["login", "cases", "static"])
def test_other_security_headers(pages, page):
    headers = pages[page].headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # development over http: no HSTS


def test_error_pages_carry_the_headers_too(client, world):
    resp = client.get("/no-such-page")
    assert resp.status_code == 404
    assert csp(resp)["script-src"] == "'self'" and resp.headers["X-Frame-Options"] == "DENY"


def test_no_store_on_the_login_page_and_every_page_of_a_logged_in_user(pages, client):
    assert pages["login"].headers["Cache-Control"] == "no-store"
    assert pages["cases"].headers["Cache-Control"] == "no-store"
    assert client.get("/petitions/").headers["Cache-Control"] == "no-store"
    assert client.get("/", follow_redirects=False).headers["Cache-Control"] == "no-store"
    assert "no-store" not in pages["static"].headers.get("Cache-Control", "")


def test_no_store_is_not_added_for_anonymous_pages(client, world):
    assert "no-store" not in client.get("/healthz").headers.get("Cache-Control", "")


def test_session_cookie_flags_in_development(client, world):
    resp = client.get("/login")
    set_cookie = resp.headers["Set-Cookie"]
    assert set_cookie.startswith("session=")
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    assert "Secure" not in set_cookie  # tests and `make run` are plain http


def test_templates_have_no_inline_script_style_or_handlers():
    """The CSP blocks inline script and style: none may be written in a template."""
    offenders = []
    for folder, _, files in os.walk(TEMPLATES):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for pattern in (
                r"<script(?![^>]*\bsrc=)[^>]*>",
                r"<style\b",
                r"\sstyle\s*=",
                r"\son[a-z]+\s*=",
                r"javascript:",
            ):
                offenders += [
                    f"{os.path.relpath(path, TEMPLATES)}: {m.group(0)}" for m in re.finditer(pattern, text, re.I)
                ]
    assert not offenders, offenders


def test_rendered_pages_have_no_inline_script_or_style(pages, client):
    """What Bootstrap-Flask and the macros render, too."""
    for resp in (pages["login"], pages["cases"], client.get("/petitions/"), client.get("/cases/caseload")):
        html = resp.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html, re.I)
        assert not re.search(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=\s*[\"']", html, re.I)
