"""Typed work is never lost, in a real browser with a one-minute idle limit.

Left alone, the desk warns before the session ends, then says it has ended; "Save" then leads to the login
page, and after logging in the desk shows the form with everything typed, saved once when the officer
saves. Typing keeps the session alive: a visit typed slowly over more than the limit saves straight away.
"""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.reception.models import ReceptionSession
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

CONTENT = "Khiếu nại việc thu hồi đất của hộ gia đình.\nĐề nghị bồi thường theo giá thị trường."


@pytest.fixture
def one_minute(app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 1)


def visits() -> int:
    """How many visits the server saved (read in a transaction closed at once: SQLite's lock)."""
    try:
        return db.session.scalar(select(func.count()).select_from(ReceptionSession))
    finally:
        db.session.remove()


def log_in(page, base=None):
    if base:
        page.goto(f"{base}/login")
    page.fill("#username", "reception")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")


def fill_visit(page):
    page.fill("#full_name", "Trần Thị Năm")
    page.fill("#citizen_id", "070085005555")
    page.fill("#content", CONTENT)
    page.select_option("#outcome", "petition_received")
    page.select_option("#petition_kind", "complaint")
    page.select_option("#subject_area_id", index=1)
    page.fill("#petition_summary", "Khiếu nại thu hồi đất")


def test_a_visit_saved_after_the_session_ended_comes_back_after_login(one_minute, live_server, browser):
    page = browser.new_context(locale="vi-VN").new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server)
    page.wait_for_url(re.compile(r".*/reception/$"))
    fill_visit(page)

    # Left alone: a warning with a countdown and a button to go on, then the notice that it has ended.
    warning = page.locator("[data-testid=session-warning]")
    expect(warning.locator("span[data-when=warn]")).to_be_visible(timeout=45_000)
    assert "Phiên làm việc sắp hết hạn" in warning.inner_text()
    expect(warning.locator("[data-when=expired]")).to_be_visible(timeout=45_000)

    # Saving now leads to the login page, which says the typed work is kept; nothing is saved yet.
    page.click("#visit-form button[type=submit]")
    expect(page.locator("[data-testid=draft-kept]")).to_be_visible()
    assert visits() == 0
    log_in(page)

    # After logging in the desk shows the form as it was typed, saved by nobody yet.
    page.wait_for_url(re.compile(r".*/reception/visits$"))
    assert "chưa được lưu" in page.inner_text("main")
    assert page.input_value("#full_name") == "Trần Thị Năm"
    assert page.input_value("#citizen_id") == "070085005555"
    assert page.input_value("#content").replace("\r\n", "\n") == CONTENT
    assert page.input_value("#petition_summary") == "Khiếu nại thu hồi đất"
    assert visits() == 0

    # One click saves it, once.
    page.click("#visit-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/petitions/\d+/receipt$"))
    assert visits() == 1
    assert not errors, errors


def test_typing_keeps_the_session_alive(one_minute, live_server, browser):
    page = browser.new_context(locale="vi-VN").new_page()
    log_in(page, live_server)
    page.wait_for_url(re.compile(r".*/reception/$"))
    fill_visit(page)
    # More than the one-minute limit in all, a keystroke every 20 seconds.
    for word in (" Thêm", " một", " vài", " chữ"):
        page.wait_for_timeout(20_000)
        page.type("#content", word)
    assert not page.locator("[data-testid=session-warning] span[data-when=warn]").is_visible()
    page.click("#visit-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/petitions/\d+/receipt$"))
    assert visits() == 1
