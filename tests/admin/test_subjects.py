"""The national list of subject areas: shipped once, kept by administrators of a top unit, never deleted."""

import html as htmllib
import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.deadlines.rules import sync_default_rules
from app.subjects.defaults import DEFAULT_SUBJECTS
from app.subjects.models import SubjectArea, SubjectGroup
from app.subjects.operations import sync_default_subjects
from tests.admin.helpers import has_error
from tests.factories import subject

LIST = "/admin/subjects/"


def text(resp) -> str:
    return htmllib.unescape(resp.get_data(as_text=True))


def areas(db) -> dict[str, tuple]:
    db.session.rollback()
    return {
        a.code: (a.group, a.name_vi, a.name_en, a.sort_order, a.is_active, a.version)
        for a in db.session.scalars(select(SubjectArea))
    }


def test_the_shipped_list_is_loaded_once_and_never_overwritten(app, db):
    assert set(areas(db)) == {code for code, *_ in DEFAULT_SUBJECTS}
    land = subject("admin.land")
    land.name_vi = "Đất đai (sửa)"
    db.session.commit()
    assert sync_default_subjects() == 0 and sync_default_rules() == 0  # the app fixture loaded everything
    db.session.commit()
    assert areas(db)["admin.land"][1] == "Đất đai (sửa)"
    # A shipped area an installation lacks (here: its code was changed in the database) is added again.
    subject("party").code = "party.local"
    db.session.commit()
    assert sync_default_subjects() == 1
    db.session.commit()
    got = areas(db)
    assert got["party"][:2] == (SubjectGroup.PARTY, "Đảng, đoàn thể") and "party.local" in got


def test_the_list_is_in_the_order_of_the_statistics_forms(admin, world):
    page = text(admin.get(LIST))
    codes = re.findall(r'<tr data-subject="([^"]+)"', page)
    assert codes == [code for code, *_ in DEFAULT_SUBJECTS]
    assert "Land" in page and "Đất đai" in page and "New subject area" in page


def test_vietnamese_page(login_as, world):
    page = text(login_as("admin").get(LIST))
    assert "Lĩnh vực" in page and "Hành chính" in page and "Bồi thường, hỗ trợ, tái định cư" in page


def test_an_administrator_adds_an_area_and_it_is_offered_at_once(admin, login_en, world, db):
    data = {
        "code": "Admin.Environment",
        "group": "administrative",
        "name_vi": "Tài nguyên, môi trường",
        "name_en": "",
        "sort_order": "65",
    }
    resp = admin.post("/admin/subjects/new", data)
    assert resp.status_code == 302
    got = areas(db)["admin.environment"]
    assert got[:4] == (SubjectGroup.ADMINISTRATIVE, "Tài nguyên, môi trường", "Tài nguyên, môi trường", 65)
    codes = re.findall(r'<tr data-subject="([^"]+)"', text(admin.get(LIST)))
    assert codes.index("admin.environment") == codes.index("admin.finance") + 1  # by position in the group
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "subject.create")).one()
    assert event.actor_id == world.users["admin"].id
    assert "Administrative · Tài nguyên, môi trường" in text(login_en("reception").get("/petitions/new"))


@pytest.mark.parametrize(
    "changes, field_id, message",
    [
        ({"code": ""}, "code", "Enter the code."),
        ({"name_vi": ""}, "name_vi", "Enter the name in Vietnamese."),
        ({"group": "army"}, "group", "Choose a group from the list."),
        ({"sort_order": "x"}, "sort_order", "Enter the position as a whole number."),
        ({"sort_order": "10000"}, "sort_order", "from 0 to 9,999"),
    ],
)
def test_bad_input_adds_nothing(admin, world, db, changes, field_id, message):
    before = areas(db)
    data = {"code": "x.y", "group": "other", "name_vi": "Tên", "name_en": "", "sort_order": "1", **changes}
    resp = admin.post("/admin/subjects/new", data)
    assert resp.status_code == 422
    assert has_error(text(resp), field_id, message)
    assert areas(db) == before


@pytest.mark.parametrize(
    "code, message",
    [
        ("admin.land", "Another subject area already uses the code admin.land."),
        ("đất đai", "lower-case letters a-z"),
        ("-land", "lower-case letters a-z"),
    ],
)
def test_a_code_taken_or_malformed_is_refused(admin, world, db, code, message):
    before = areas(db)
    data = {"code": code, "group": "other", "name_vi": "Tên", "name_en": "", "sort_order": "1"}
    resp = admin.post("/admin/subjects/new", data)
    assert resp.status_code == 422
    assert message in text(resp)
    assert areas(db) == before


def test_an_area_taken_out_of_use_keeps_its_records_and_leaves_the_forms(admin, login_en, world, db):
    from tests.factories import create_petition

    petition = create_petition(world, subject_area=subject("admin.housing"))
    db.session.commit()
    housing = subject("admin.housing")
    url = f"/admin/subjects/{housing.id}/edit"
    form = text(admin.get(url))
    assert 'value="admin.housing" readonly' in form
    data = {
        "group": "administrative",
        "name_vi": housing.name_vi,
        "name_en": housing.name_en,
        "sort_order": str(housing.sort_order),
        "version": str(housing.version),
    }  # is_active unticked
    assert admin.post(url, data).status_code == 302
    assert areas(db)["admin.housing"][4] is False
    reception = login_en("reception")
    assert "Housing and property" not in text(reception.get("/petitions/new"))
    assert "Administrative · Housing and property" in text(reception.get(f"/petitions/{petition.id}"))
    # Still a filter of the lists (its records are still there), marked as no longer used.
    assert "Housing and property (no longer used)" in text(reception.get("/petitions/"))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "subject.update")).one()
    assert '"is_active": ["True", "False"]' in event.detail


def test_a_stale_form_is_refused(admin, world, db):
    land = subject("admin.land")
    data = {"group": "administrative", "name_vi": "Đất đai, nhà ở", "name_en": "Land", "sort_order": "10"}
    assert admin.post(f"/admin/subjects/{land.id}/edit", {**data, "version": str(land.version)}).status_code == 302
    before = areas(db)
    resp = admin.post(f"/admin/subjects/{land.id}/edit", {**data, "name_vi": "Khác nữa", "version": "1"})
    assert resp.status_code == 422
    assert "changed" in text(resp).lower()
    assert areas(db) == before
    assert before["admin.land"][1] == "Đất đai, nhà ở"


@pytest.mark.parametrize(
    "username, reads",
    [("inspector", True), ("tk_admin", True), ("reception", False), ("head", False), ("handler", False)],
)
def test_only_administrators_of_a_top_unit_change_the_list(login_en, tk_admin, world, db, username, reads):
    client = tk_admin if username == "tk_admin" else login_en(username)
    before = areas(db)
    land = subject("admin.land")
    resp = client.get(LIST)
    assert resp.status_code == (200 if reads else 403)
    if reads:
        assert "New subject area" not in text(resp) and "/edit" not in text(resp)
    assert client.get("/admin/subjects/new").status_code == 403
    assert client.get(f"/admin/subjects/{land.id}/edit").status_code == 403
    data = {"code": "x", "group": "other", "name_vi": "X", "sort_order": "1", "version": str(land.version)}
    assert client.post("/admin/subjects/new", data, token_from="/petitions/").status_code == 403
    assert client.post(f"/admin/subjects/{land.id}/edit", data, token_from="/petitions/").status_code == 403
    assert areas(db) == before
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action.like("subject.%"))) == 0
