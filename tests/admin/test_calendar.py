"""The working-day calendar: the package's holidays, the administrators' changed days, and what they move."""

import html as htmllib
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.cases.models import CaseState
from app.core.timeutil import local_today
from app.deadlines.calendar import load_calendar
from app.deadlines.models import CalendarOverride, Clock, ClockStatus, Stage
from app.deadlines.queries import package_is_working_day
from tests.admin.helpers import has_error
from tests.factories import create_case

DOCUMENT = "Thông báo 1234/TB-BNV ngày 01/03/2026"


def text(resp) -> str:
    return htmllib.unescape(resp.get_data(as_text=True))


def day_row(page: str, table: str, day: date) -> str:
    body = re.search(r'data-testid="%s">(.*?)</table>' % table, page, re.S)
    assert body, f"no table {table}"
    m = re.search(r'<tr data-day="%s".*?</tr>' % day.isoformat(), body.group(1), re.S)
    assert m, f"no row for {day} in {table}"
    return m.group(0)


def overrides(db) -> dict[date, tuple[bool, str]]:
    db.session.rollback()
    return {o.day: (o.is_working_day, o.document) for o in db.session.scalars(select(CalendarOverride))}


def open_clocks(db) -> dict[int, date]:
    db.session.rollback()
    return {c.id: c.due_on for c in db.session.scalars(select(Clock).where(Clock.status == ClockStatus.RUNNING))}


def clock(db, case, stage=Stage.RESOLUTION) -> Clock:
    db.session.rollback()
    return db.session.execute(select(Clock).where(Clock.case_id == case.id, Clock.stage == stage)).scalar_one()


def working_day_inside(c: Clock) -> date:
    """A working day (for the package and the overrides) between the clock's start and its due date."""
    day = load_calendar().add_working_days(c.started_on, 2)
    assert c.started_on < day < c.due_on
    return day


def test_page_lists_changed_days_and_what_the_package_knows(admin, world, db):
    page = text(admin.get("/admin/calendar?year=2026"))
    off = day_row(page, "overrides", date(2026, 1, 2))
    assert "02/01/2026" in off and "Friday" in off and "Day off" in off and "System" in off
    assert "nghỉ thứ Sáu 02/01/2026" in off  # the document
    assert "The package says" in page and "Working day" in off
    worked = day_row(page, "overrides", date(2026, 1, 10))
    assert "Saturday" in worked and "Working day" in worked
    new_year = day_row(page, "package-days", date(2026, 1, 1))
    assert "New Year's Day" in new_year and "Thursday" in new_year and "Day off" in new_year
    makeup = day_row(page, "package-days", date(2026, 8, 22))
    assert "Make-up working day" in makeup and "Saturday" in makeup and "Working day" in makeup
    assert "Lunar New Year" in day_row(page, "package-days", date(2026, 2, 17))
    assert "Add a changed day" in page
    assert 'href="/admin/calendar?year=2025"' in page and 'href="/admin/calendar?year=2027"' in page


def test_another_year_shows_its_own_days(admin, world):
    page = text(admin.get("/admin/calendar?year=2024"))
    assert "Make-up working day" in day_row(page, "package-days", date(2024, 5, 4))
    assert 'data-testid="no-overrides"' in page and "No changed days in 2024." in page
    assert "Working-day calendar 2024" in page
    # A year outside the supported range falls back to the current one.
    assert f"Working-day calendar {local_today().year}" in text(admin.get("/admin/calendar?year=99999"))


def test_vietnamese_names_when_the_interface_is_vietnamese(login_as, world):
    page = text(login_as("admin").get("/admin/calendar?year=2026"))
    assert "Tết Dương lịch" in day_row(page, "package-days", date(2026, 1, 1))


def test_adding_a_day_off_moves_the_open_due_dates_only(admin, world, db):
    open_case = create_case(world, CaseState.ASSIGNED)
    done_case = create_case(world, CaseState.RESOLVED, summary="Khiếu nại khác")
    db.session.commit()
    running, finished = clock(db, open_case), clock(db, done_case)
    day = working_day_inside(running)
    assert finished.status is ClockStatus.DONE and finished.started_on < day <= finished.due_on
    due, done_due, before = running.due_on, finished.due_on, open_clocks(db)
    resp = admin.post("/admin/calendar/new", {"day": day.isoformat(), "is_working_day": "0", "document": DOCUMENT})
    assert resp.status_code == 302 and resp.location.endswith(f"/admin/calendar?year={day.year}")
    assert overrides(db)[day] == (False, DOCUMENT)
    assert clock(db, open_case).due_on == load_calendar().add_working_days(running.started_on, 30) > due
    assert clock(db, done_case).due_on == done_due
    after = open_clocks(db)
    moved = sum(1 for i in before if before[i] != after[i])
    assert moved >= 1
    page = text(admin.get(resp.location))
    assert f"{day:%d/%m/%Y} was added to the changed days." in page
    assert (
        f"{moved} open deadline got a new due date." if moved == 1 else f"{moved} open deadlines got a new due date."
    ) in page
    row = day_row(page, "overrides", day)
    assert "Day off" in row and DOCUMENT in row and "Quản trị Hệ thống" in row
    db.session.rollback()
    assert (
        db.session.execute(select(CalendarOverride).where(CalendarOverride.day == day)).scalar_one().created_by_id
        == world.users["admin"].id
    )


def test_a_day_already_changed_is_refused(admin, world, db):
    before = overrides(db)
    resp = admin.post("/admin/calendar/new", {"day": "2026-01-02", "is_working_day": "1", "document": DOCUMENT})
    assert resp.status_code == 422
    assert has_error(text(resp), "day", "02/01/2026 is already in the list of changed days: edit it there.")
    assert overrides(db) == before


@pytest.mark.parametrize(
    "data, field_id, message",
    [
        ({"document": ""}, "document", "Enter the document that announced the change."),
        ({"document": "x" * 301}, "document", "Field cannot be longer than 300 characters."),
        ({"is_working_day": ""}, "is_working_day", "Choose whether the day is worked or off."),
        ({"is_working_day": "maybe"}, "is_working_day", "Choose whether the day is worked or off."),
        ({"day": ""}, "day", "Enter the day."),
        ({"day": "30/02/2026"}, "day", "Not a valid date value."),
        ({"day": "1800-03-02"}, "day", "Enter a date between 1990 and 2100."),
    ],
)
def test_bad_input_adds_nothing(admin, world, db, data, field_id, message):
    before = overrides(db)
    resp = admin.post("/admin/calendar/new", {"day": "2026-03-02", "is_working_day": "0", "document": DOCUMENT, **data})
    assert resp.status_code == 422
    assert has_error(text(resp), field_id, message), text(resp)[:3000]
    assert overrides(db) == before


def test_a_day_the_package_already_has_off_is_saved_with_a_warning(admin, world, db):
    resp = admin.post("/admin/calendar/new", {"day": "2026-09-02", "is_working_day": "0", "document": DOCUMENT})
    assert resp.status_code == 302
    page = text(admin.get(resp.location))
    assert "The holidays package already counts 02/09/2026 as a day off: this entry changes nothing." in page
    assert "0 open deadlines got a new due date." in page
    assert 'data-testid="no-effect"' in day_row(page, "overrides", date(2026, 9, 2))
    assert overrides(db)[date(2026, 9, 2)] == (False, DOCUMENT)


def test_add_form_offered_from_the_package_list_proposes_the_opposite(admin, world):
    page = text(admin.get("/admin/calendar?year=2026"))
    assert 'href="/admin/calendar/new?day=2026-04-30"' in day_row(page, "package-days", date(2026, 4, 30))
    form = text(admin.get("/admin/calendar/new?day=2026-04-30"))
    assert 'value="30/04/2026"' in form and '<option selected value="1">' in form
    assert text(admin.get("/admin/calendar/new?day=garbage")).count('value="2026') == 0


def test_edit_a_changed_day_and_its_clocks_follow(admin, world, db):
    case = create_case(world, CaseState.ASSIGNED)
    db.session.commit()
    running = clock(db, case)
    day = working_day_inside(running)
    db.session.add(CalendarOverride(day=day, is_working_day=True, document="Ghi nhầm", created_by_id=None))
    db.session.commit()
    override = db.session.execute(select(CalendarOverride).where(CalendarOverride.day == day)).scalar_one()
    url = f"/admin/calendar/{override.id}/edit"
    page = text(admin.get(url))
    assert "The holidays package counts this day as a working day." in page
    assert 'name="day"' not in page  # the day itself cannot change
    due = clock(db, case).due_on
    resp = admin.post(url, {"is_working_day": "0", "document": DOCUMENT})
    assert resp.status_code == 302
    assert overrides(db)[day] == (False, DOCUMENT)
    assert clock(db, case).due_on == load_calendar().add_working_days(running.started_on, 30) > due
    page = text(admin.get(resp.location))
    assert f"{day:%d/%m/%Y} was saved." in page and "open deadline" in page
    # Back to what the package says: the override stays, with no effect, and the due date goes back.
    resp = admin.post(url, {"is_working_day": "1", "document": "Thông báo đính chính 1235/TB-BNV"})
    assert resp.status_code == 302
    assert "this entry changes nothing" in text(admin.get(resp.location))
    assert clock(db, case).due_on == due
    # A document-only change moves nothing; an empty document is refused.
    resp = admin.post(url, {"is_working_day": "1", "document": "Thông báo 1236/TB-BNV"})
    assert "0 open deadlines got a new due date." in text(admin.get(resp.location))
    resp = admin.post(url, {"is_working_day": "0", "document": " "})
    assert resp.status_code == 422
    assert has_error(text(resp), "document", "Enter the document that announced the change.")
    assert overrides(db)[day] == (True, "Thông báo 1236/TB-BNV")
    assert admin.get("/admin/calendar/999999/edit").status_code == 404


def test_inspector_reads_the_calendar_without_forms(login_en, world, db):
    inspector = login_en("inspector")
    page = text(inspector.get("/admin/calendar?year=2026"))
    assert "02/01/2026" in page and "New Year's Day" in page
    assert "Add a changed day" not in page and "/edit" not in page and "/admin/calendar/new" not in page
    assert "<form" not in re.search(r"<main.*</main>", page, re.S).group(0)


@pytest.mark.parametrize(
    "username, reads",
    [
        ("inspector", True),
        ("reception", False),
        ("handler", False),
        ("head", False),
        ("tl_head", False),
        ("tk_admin", True),
    ],
)
def test_only_administrators_of_a_top_unit_change_the_calendar(login_en, tk_admin, world, db, username, reads):
    client = tk_admin if username == "tk_admin" else login_en(username)
    before = overrides(db)
    override_id = db.session.scalar(select(CalendarOverride.id).where(CalendarOverride.day == date(2026, 1, 2)))
    assert client.get("/admin/calendar").status_code == (200 if reads else 403)
    assert client.get("/admin/calendar/new").status_code == 403
    assert client.get(f"/admin/calendar/{override_id}/edit").status_code == 403
    data = {"day": "2026-03-02", "is_working_day": "0", "document": DOCUMENT}
    assert client.post("/admin/calendar/new", data, token_from="/petitions/").status_code == 403
    assert client.post(f"/admin/calendar/{override_id}/edit", data, token_from="/petitions/").status_code == 403
    assert overrides(db) == before
    db.session.rollback()
    assert db.session.scalar(select(func.count(CalendarOverride.id))) == len(before)


def test_package_calendar_ignores_the_overrides(app):
    assert package_is_working_day(date(2026, 1, 2)) is True  # the package misses the 2026 swap ...
    assert load_calendar().is_working_day(date(2026, 1, 2)) is False  # ... the shipped override corrects it
    assert package_is_working_day(date(2026, 1, 1)) is False
    assert package_is_working_day(date(2026, 1, 1) + timedelta(days=365)) is False


def test_the_vietnam_cultural_day_2026_is_a_recorded_decision(world, login_en):
    """The package makes 24/11/2026 a day off; TiepDan ships that decision as an override with its basis."""
    page = login_en("admin").get("/admin/calendar?year=2026").get_data(as_text=True)
    row = day_row(page, "overrides", date(2026, 11, 24))
    assert "Day off" in row and "holidays 0.108" in row and "Vietnam Cultural Day" in row
    assert "No effect" in row  # it agrees with the package: the record is the decision, not a change
