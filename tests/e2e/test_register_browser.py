"""The reception register in a real browser: a visit of three weeks ago is found by name and printed."""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.core.timeutil import local_to_utc, local_today
from app.extensions import db
from app.petitions.models import Petition
from app.reception.models import ReceptionKind, ReceptionOutcome
from app.reception.operations import record_visit
from tests.factories import PASSWORD, create_petition, person

pytestmark = pytest.mark.e2e


@pytest.fixture
def old_visit(world, db):
    day = local_today() - timedelta(days=21)
    visit, _ = record_visit(
        unit=world.units["TK"],
        actor=world.users["reception"],
        received_at=local_to_utc(datetime(day.year, day.month, day.day, 8, 30)),
        kind=ReceptionKind.REGULAR,
        visitors=[person("Đặng Thị Hoa", "070085007777")],
        people_count=1,
        content="Hỏi thủ tục tách thửa đất",
        outcome=ReceptionOutcome.GUIDED,
        outcome_note="Hướng dẫn đến Văn phòng đăng ký đất đai",
    )
    db.session.commit()
    return visit.id


def test_a_past_visit_is_found_and_printed(old_visit, live_server, browser):
    page = browser.new_context(locale="vi-VN").new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    page.goto(f"{live_server}/login")
    page.fill("#username", "head")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    page.click("nav >> text=Sổ tiếp công dân")
    page.wait_for_url(re.compile(r".*/reception/register$"))
    page.fill("#f-q", "dang thi hoa")  # typed without diacritics
    page.click("form[role=search] button[type=submit]")
    rows = page.locator("[data-testid=register] tbody tr")
    expect(rows).to_have_count(1)
    assert "Hướng dẫn đến Văn phòng đăng ký đất đai" in rows.first.inner_text()
    assert "070085007777" in rows.first.inner_text()
    page.click("[data-testid=register-print]")
    page.wait_for_url(re.compile(r".*print=1.*"))
    assert "SỔ TIẾP CÔNG DÂN" in page.inner_text(".register-print").upper()
    page.click("[data-action=print]")
    assert page.evaluate("window.__printed") == 1
    assert not errors, errors
    db.session.remove()


def test_a_mistyped_visit_and_name_are_corrected(old_visit, live_server, browser):
    page = browser.new_context(locale="vi-VN").new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/login")
    page.fill("#username", "reception")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server}/reception/register")
    page.click(f"tr[data-visit='{old_visit}'] [data-testid=correct-visit]")
    page.wait_for_url(re.compile(r".*/reception/visits/\d+/edit$"))
    page.fill("#content", "Hỏi thủ tục tách thửa và hợp thửa đất")
    page.click("[data-testid=visit-correction] button[type=submit]")
    page.wait_for_url(re.compile(r".*/reception/register$"))
    assert "Đã sửa lượt tiếp" in page.inner_text("main")
    assert "Hỏi thủ tục tách thửa và hợp thửa đất" in page.inner_text("[data-testid=register]")

    # The visitor's name, mistyped, is corrected from the visit's page; the register shows the new one.
    page.click(f"tr[data-visit='{old_visit}'] [data-testid=correct-visit]")
    page.click("[data-testid=visit-visitors] a")
    page.wait_for_url(re.compile(r".*/persons/\d+/edit.*"))
    page.fill("#full_name", "Đặng Thị Hòa")
    page.click("[data-testid=person-correction] button[type=submit]")
    page.wait_for_url(re.compile(r".*/reception/visits/\d+/edit$"))
    assert "Đã sửa thông tin của Đặng Thị Hòa" in page.inner_text("main")
    page.goto(f"{live_server}/reception/register?q=dang+thi+hoa")
    expect(page.locator("[data-testid=register] tbody tr")).to_have_count(1)
    assert "Đặng Thị Hòa" in page.inner_text("[data-testid=register]")
    assert not errors, errors
    db.session.remove()


@pytest.fixture
def earlier(world, db):
    """A petition the visitor of ``old_visit`` handed in before (made before the server starts)."""
    petition = create_petition(
        world, petitioners=[person("Đặng Thị Hoa", "070085007777")], summary="Khiếu nại bồi thường"
    )
    db.session.commit()
    return petition.receipt_no, petition.id


def test_the_desk_shows_the_visitors_history_and_links_the_same_matter(old_visit, earlier, live_server, browser):
    earlier_no, earlier_id = earlier
    page = browser.new_context(locale="vi-VN").new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/login")
    page.fill("#username", "reception")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(re.compile(r".*/reception/$"))
    page.fill("#full_name", "Đặng Thị Hoa")
    page.fill("#citizen_id", "070085007777")
    history = page.locator("[data-testid=person-history]")
    expect(history.locator(f"[data-history-petition='{earlier_no}']")).to_be_visible()
    assert "Hỏi thủ tục tách thửa đất" in history.inner_text()  # the earlier visit
    history.locator(f"[data-same-matter='{earlier_no}']").click()
    expect(page.locator("[data-testid=same-matter-note]")).to_be_visible()
    page.fill("#content", "Tiếp tục khiếu nại về bồi thường")
    page.select_option("#outcome", "petition_received")
    page.select_option("#petition_kind", "complaint")
    page.select_option("#subject_area_id", index=1)
    page.click("#visit-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/petitions/\d+/receipt$"))
    try:
        new = db.session.execute(select(Petition).where(Petition.id != earlier_id)).scalar_one()
        assert new.duplicate_of_id == earlier_id
    finally:
        db.session.remove()
    assert not errors, errors


def test_dates_are_dd_mm_yyyy_whatever_the_browsers_locale(old_visit, live_server, browser):
    page = browser.new_context(locale="en-US").new_page()  # an English Windows would show mm/dd/yyyy
    page.goto(f"{live_server}/login")
    page.fill("#username", "head")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server}/reception/register")
    day = local_today() - timedelta(days=21)
    page.locator("#f-from").press_sequentially(day.strftime("%d%m%Y"))  # the mask adds the slashes
    assert page.input_value("#f-from") == day.strftime("%d/%m/%Y")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    assert page.input_value("#f-from") == day.strftime("%d/%m/%Y")
    assert page.locator("[data-testid=filter-warning]").count() == 0
    expect(page.locator("[data-testid=register] tbody tr")).to_have_count(1)
    # The desk's date and time of the visit too.
    page.goto(f"{live_server}/reception/")
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", page.input_value("#received_at"))
