"""In a real browser: choosing a province reloads the commune/ward list of the unit form."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_province_change_reloads_the_wards_and_the_unit_is_saved(live_server, browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server + "/login")
    page.fill("#username", "admin")
    page.fill("#password", "correct-horse-77")
    page.press("#password", "Enter")
    page.wait_for_url(live_server + "/admin/units")
    page.goto(live_server + "/admin/units/new")
    assert page.locator("#ward_code option", has_text="Xã Tân Khai").count() == 1  # Đồng Nai by default
    page.select_option("#province_code", "1")  # Hà Nội
    # The list is emptied, then refilled from /persons/wards: wait for the new province's wards. (Locator
    # waits, not wait_for_function: the page's CSP forbids the eval a polled JS predicate needs.)
    expect(page.locator("#ward_code option", has_text="Phường Ba Đình")).to_have_count(1)
    expect(page.locator("#ward_code option", has_text="Xã Tân Khai")).to_have_count(0)
    assert page.locator("#ward_code option", has_text="Phường Ba Đình").count() == 1
    assert page.eval_on_selector("#ward_code", "s => s.value") == ""
    page.fill("#code", "HN-BD")
    page.fill("#name", "Văn phòng đại diện tại Hà Nội")
    page.select_option("#kind", "office")
    page.select_option("#parent_id", label="DN – UBND tỉnh Đồng Nai")
    page.select_option("#ward_code", label="Phường Ba Đình")
    page.click("form.card button[type=submit]")
    page.wait_for_url(live_server + "/admin/units")
    assert page.locator('tr[data-unit="HN-BD"]').count() == 1
    assert errors == []
