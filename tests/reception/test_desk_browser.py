"""The desk in a real browser: the ward list follows the province, sections follow the outcome, slip prints."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def login(page, base, username="reception"):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "correct-horse-77")
    page.press("#password", "Enter")
    page.wait_for_url(re.compile(r".*/reception/$"))


def test_desk_in_the_browser(live_server, browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server)

    # Sections that do not apply are hidden; they appear when the outcome changes.
    assert page.is_visible("#petition_kind") and not page.is_visible("#refusal_reason")
    page.select_option("#outcome", "refused")
    assert page.is_visible("#refusal_reason") and not page.is_visible("#petition_kind")
    page.select_option("#outcome", "petition_received")

    # The ward list is reloaded from /persons/wards when the province changes.
    assert page.locator("#ward_code option[value='25357']").count() == 1
    with page.expect_response(re.compile(r".*/persons/wards\?province=1$")):
        page.select_option("#province_code", "1")
    # A locator wait, not wait_for_function: the page's CSP forbids the eval a polled JS predicate needs.
    expect(page.locator("#ward_code option[value='25357']")).to_have_count(0)
    assert page.locator("#ward_code option").count() > 50
    with page.expect_response(re.compile(r".*/persons/wards\?province=75$")):
        page.select_option("#province_code", "75")
    page.wait_for_selector("#ward_code option[value='25357']", state="attached")
    page.select_option("#ward_code", "25357")

    page.fill("#full_name", "Nguyễn Văn An")
    page.fill("#citizen_id", "079123456789")
    page.fill("#content", "Khiếu nại việc thu hồi đất.")
    page.select_option("#petition_kind", "complaint")
    page.select_option("#subject_area_id", index=1)  # the first area of the list: land
    page.click("#visit-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/petitions/\d+/receipt$"))
    number = page.text_content("[data-testid=receipt-no]")
    assert re.fullmatch(r"TK-\d{4}-000001", number)

    # The print button calls window.print() from print.js (no inline handler).
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.click("button[data-action=print]")
    assert page.evaluate("window.__printed") == 1
    assert errors == []
