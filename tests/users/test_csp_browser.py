"""In a real browser (Chromium), the pages load under the Content-Security-Policy without a violation."""

import pytest

from app.cases.models import CaseState
from tests.factories import PASSWORD, create_case

pytestmark = pytest.mark.e2e

# Reported by the page itself, so nothing the browser blocks goes unnoticed.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
    e => window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "")));
"""


def test_pages_load_without_csp_violations(app, world, db, browser, request):
    case = create_case(world, CaseState.ACCEPTED)
    db.session.commit()
    petition_id, case_id = case.petitions[0].id, case.id
    base = request.getfixturevalue("live_server")
    pages = {
        "reception": [
            "/reception/",
            "/petitions/new",
            f"/petitions/{petition_id}",
            f"/petitions/{petition_id}/receipt",
        ],
        "head": ["/cases/caseload", "/cases/", f"/cases/{case_id}", "/petitions/"],
        "admin": ["/admin/units", "/admin/units/new", "/admin/users", "/admin/users/new"],
    }
    violations, console = [], []
    for username, urls in pages.items():
        context = browser.new_context(locale="vi-VN")
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda exc: console.append(str(exc)))
        page.goto(f"{base}/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("form.card button[type=submit]")
        page.wait_for_load_state()
        assert "/login" not in page.url, page.url
        for url in ["/login", *urls]:
            resp = page.goto(base + url)
            assert resp.status < 400, (url, resp.status)
            assert "script-src 'self'" in resp.headers["content-security-policy"]
            page.wait_for_load_state("load")
            violations += [f"{username} {url}: {v}" for v in page.evaluate("window.__csp")]
        context.close()
    assert violations == [] and console == [], (violations, console)
