"""Redirects after login, a language switch and a reveal stay on this site, whatever ?next= holds."""

import pytest

from app.core.urls import safe_next
from tests.conftest import CsrfClient
from tests.factories import PASSWORD

HOSTILE = [
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/x",
    "https://evil.example",
    "https:evil.example",
    "\t/\t/evil.example",
    "javascript:alert(1)",
    "/%0D%0A/x" + "\n",
    " //evil.example",
    "/\x0b/evil.example",
    "/\x7f/x",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_fall_back(target):
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/cases/", "/petitions/12?tab=history", "/cases/?q=Nguy%E1%BB%85n"])
def test_paths_on_this_site_are_kept(target):
    assert safe_next(target, "/home") == target


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\r\n/x", "//evil.example", "/\\evil.example"])
def test_login_never_redirects_off_site_nor_fails(app, client, world, target):
    c = CsrfClient(client)
    token = c.token("/login")
    resp = client.post(
        "/login", query_string={"next": target}, data={"username": "head", "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] in ("/", "http://localhost/")


@pytest.mark.parametrize("target", ["/\t/evil.example", "/a\nb", "//evil.example"])
def test_language_switch_never_redirects_off_site_nor_fails(app, client, world, target):
    c = CsrfClient(client)
    resp = c.post("/language/en", {"next": target}, token_from="/login")
    assert resp.status_code == 302
    assert resp.headers["Location"] in ("/", "http://localhost/")
