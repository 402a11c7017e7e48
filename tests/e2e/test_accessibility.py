"""WCAG 2 A/AA on the main pages, checked by axe-core (npm, tests/e2e/axe) in a real browser.

Any serious or critical violation fails the test, with the rule, the elements and how to fix them. The
page's CSP forbids the inline script axe is injected as, so the browser context bypasses the CSP (the
checked page is unchanged otherwise).
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest

from app.cases.models import CaseState
from app.core.timeutil import local_today
from tests.factories import PASSWORD, create_case, create_petition, person

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def records(world, db):
    """A petition and a case, and overdue ones: the lists show their red rows and badges too."""
    petition = create_petition(world)
    case = create_case(world, CaseState.ASSIGNED)
    create_petition(
        world, received_on=local_today() - timedelta(days=40), petitioners=[person("Lê Văn Muộn", "079100000099")]
    )
    create_case(world, CaseState.ASSIGNED, received_on=local_today() - timedelta(days=150),
                petitioners=[person("Lê Thị Trễ", "079100000098")])  # fmt: skip
    db.session.commit()
    return {"petition": petition.id, "case": case.id}


@pytest.fixture
def axe_source():
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core not found at {AXE}: CI must run `npm ci --prefix tests/e2e/axe`")
        pytest.skip("axe-core is not installed (make test installs it: npm ci --prefix tests/e2e/axe)")
    return AXE.read_text()


PAGES = {
    None: ["/login"],
    "reception": ["/reception/", "/reception/register", "/petitions/new", "/reception/import/"],
    "head": ["/petitions/", "/petitions/{petition}", "/cases/", "/cases/{case}", "/cases/caseload", "/mediation/"],
    "handler": ["/notifications/"],
    "admin": ["/admin/units", "/audit/"],
}


def violations(page, source) -> list[str]:
    page.add_script_tag(content=source)
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(f"{' '.join(n['target'])}: {n.get('failureSummary', '')[:160]}" for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("locale", ["vi-VN"])
def test_the_main_pages_have_no_serious_accessibility_violation(records, axe_source, live_server, browser, locale):
    found = {}
    for username, urls in PAGES.items():
        context = browser.new_context(locale=locale, bypass_csp=True)
        page = context.new_page()
        if username:
            page.goto(f"{live_server}/login")
            page.fill("#username", username)
            page.fill("#password", PASSWORD)
            page.press("#password", "Enter")
            page.wait_for_load_state()
        for url in urls:
            page.goto(live_server + url.format(**records))
            problems = violations(page, axe_source)
            if problems:
                found[url] = problems
        context.close()
    assert not found, "\n".join(f"{url}:\n  " + "\n  ".join(p) for url, p in found.items())
