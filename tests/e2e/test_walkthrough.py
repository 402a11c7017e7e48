"""The whole journey in a real browser (Debian Chromium via Playwright), as the officers would do it.

Reception records a visitor with a complaint and prints the receipt; the head accepts the petition (with
the day the citizen learned of the decision) and assigns the case; the handling officer records the decision,
which cannot be enforced before it takes legal effect; an earlier complaint whose decision did is enforced
and closed; the timelines show every step.
"""

import re
from datetime import timedelta

import pytest

from app.cases.models import CaseState
from app.core.timeutil import local_today
from tests.factories import create_case

pytestmark = pytest.mark.e2e


def log_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "correct-horse-77")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url


def log_out(page):
    page.click("form[action='/logout'] button")
    page.wait_for_url(re.compile(r".*/login$"))


@pytest.fixture
def effective_id(world, db):
    """A complaint decided 78 days ago, its decision legally effective (made before the server starts)."""
    return create_case(world, CaseState.RESOLVED, effective=True).id


def test_reception_to_enforcement_walkthrough(effective_id, live_server, browser):
    base = live_server
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Record print calls instead of opening the print dialog.
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")

    # 1. Reception officer records a visitor who brings a complaint (the UI is Vietnamese by default).
    log_in(page, base, "reception")
    assert page.url.endswith("/reception/")
    assert "Tiếp công dân" in page.inner_text("nav")
    page.fill("#full_name", "Nguyễn Văn Bốn")
    page.fill("#citizen_id", "070085004444")
    page.fill("#content", "Khiếu nại quyết định thu hồi đất của UBND xã, đề nghị bồi thường theo giá thị trường.")
    page.select_option("#outcome", "petition_received")
    page.select_option("#petition_kind", "complaint")
    page.select_option("#subject_area_id", index=1)  # the first area of the list: land
    page.fill("#petition_summary", "Khiếu nại quyết định thu hồi đất")
    page.click("form[action='/reception/visits'] button[type=submit]")

    # 2. The receipt slip shows the number and prints.
    page.wait_for_url(re.compile(r".*/petitions/\d+/receipt$"))
    receipt_no = page.inner_text("[data-testid=receipt-no]").strip()
    assert re.fullmatch(rf"TK-{local_today().year}-\d{{6}}", receipt_no), receipt_no
    assert "GIẤY BIÊN NHẬN ĐƠN" in page.content()
    page.click("[data-action=print]")
    assert page.evaluate("window.__printed") == 1
    petition_url = re.sub(r"/receipt$", "", page.url)
    log_out(page)

    # 3. The head accepts the petition (thụ lý), which opens a case, and assigns it.
    log_in(page, base, "head")
    page.goto(petition_url)
    page.select_option("#decision", "accept")
    # A first-instance complaint: the day the citizen learned of the decision opens its lodging period.
    page.fill("#learned_on", (local_today() - timedelta(days=20)).isoformat())
    page.click("[data-testid=decision-form] button[type=submit]")
    page.wait_for_load_state()
    case_link = page.locator("[data-testid=petition-case] a")
    case_number = case_link.inner_text().strip()
    case_link.click()
    page.wait_for_url(re.compile(r".*/cases/\d+$"))
    case_url = page.url
    assert page.inner_text("[data-testid=case-number]").strip() == case_number
    page.click("details[data-action=assign] summary")
    page.select_option(
        "details[data-action=assign] select[name=handler_id]", label="Hoàng Văn Xử (TK)"
    ) if page.locator("details[data-action=assign] option", has_text="(TK)").count() else page.select_option(
        "details[data-action=assign] select[name=handler_id]", label="Hoàng Văn Xử"
    )
    page.click("details[data-action=assign] button[type=submit]")
    page.wait_for_url(case_url)
    assert page.inner_text("[data-testid=case-handler]").strip() == "Hoàng Văn Xử"
    log_out(page)

    # 4. The handling officer records the decision, then its enforcement.
    log_in(page, base, "handler")
    page.goto(case_url)
    today = local_today().isoformat()
    page.click("details[data-action=resolve] summary")
    form = "details[data-action=resolve] form"
    page.fill(f"{form} [name=decision_no]", "25/QĐ-UBND")
    page.fill(f"{form} [name=decision_on]", today)
    page.select_option(f"{form} [name=outcome]", "partly_upheld")
    page.select_option(f"{form} [name=enforcement]", "required")
    page.fill(f"{form} [name=enforcement_required]", "Bồi thường bổ sung theo giá thị trường")
    page.click(f"{form} button[type=submit]")
    page.wait_for_url(case_url)
    assert "25/QĐ-UBND" in page.inner_text("[data-testid=case-decision]")

    # Not yet legally effective: the decision is not enforced, and the page says why, citing the law.
    assert page.locator("details[data-action=enforce]").count() == 0
    assert "Luật Khiếu nại 2011, Điều 44" in page.inner_text("[data-rule='complaint.not_yet_effective']")

    # 5. Every state change is in the timeline, in order.
    actions = page.eval_on_selector_all(
        "[data-testid=timeline] li[data-action]", "els => els.map(e => e.dataset.action)"
    )
    assert actions == ["open", "assign", "resolve"]

    # 6. An earlier complaint, decided 78 days ago and made effective by the scheduler, is enforced; the
    # head closes it.
    page.goto(f"{base}/cases/{effective_id}")
    page.click("details[data-action=enforce] summary")
    form = "details[data-action=enforce] form"
    page.fill(f"{form} [name=enforced_on]", today)
    page.fill(f"{form} [name=enforcement_result]", "Đã chi trả tiền bồi thường bổ sung cho ông Bốn")
    page.click(f"{form} button[type=submit]")
    page.wait_for_url(f"{base}/cases/{effective_id}")
    assert "Đã chi trả tiền bồi thường bổ sung" in page.inner_text("[data-testid=case-enforcement]")
    log_out(page)
    log_in(page, base, "head")
    page.goto(f"{base}/cases/{effective_id}")
    page.click("details[data-action=close] summary")
    page.click("details[data-action=close] button[type=submit]")
    page.wait_for_url(f"{base}/cases/{effective_id}")
    actions = page.eval_on_selector_all(
        "[data-testid=timeline] li[data-action]", "els => els.map(e => e.dataset.action)"
    )
    assert actions == ["open", "assign", "resolve", "enforce", "close"]
    assert errors == []
    context.close()
