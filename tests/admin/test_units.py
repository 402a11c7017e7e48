"""Administration of units: the tree list, creating and editing units, and every refused input."""

import re

import pytest
from sqlalchemy import func, select

from app.persons.divisions import wards_of
from app.units.models import Unit, UnitKind
from tests.admin.helpers import field_errors, has_error

TK_WARD = 25357  # Xã Tân Khai, Đồng Nai (75)


def unit_count(db) -> int:
    db.session.rollback()  # read what was committed, not what a request may have left in the session
    return db.session.scalar(select(func.count(Unit.id)))


def unit(db, code: str) -> Unit:
    db.session.rollback()
    return db.session.execute(select(Unit).where(Unit.code == code)).scalar_one()


def row(html: str, code: str) -> str:
    """The <tr> of one unit in the tree list."""
    m = re.search(r'<tr data-unit="%s".*?</tr>' % re.escape(code), html, re.S)
    assert m, f"no row for {code}"
    return m.group(0)


def other_province_ward() -> int:
    """A ward that exists but is not in Đồng Nai (75)."""
    return wards_of(1)[0][0]


def unit_data(world, **changes) -> dict:
    data = {
        "code": "TK-AP1",
        "name": "Ban nhân dân ấp 1",
        "kind": "other",
        "parent_id": world.units["TK"].id,
        "province_code": "75",
        "ward_code": str(TK_WARD),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_tree_lists_units_indented_with_kind_flags_and_user_counts(admin, world):
    html = admin.get("/admin/units").get_data(as_text=True)
    depths = dict(re.findall(r'<tr data-unit="([A-Z0-9-]+)" data-depth="(\d+)"', html))
    assert depths == {"DN": "0", "TK": "1", "TKVP": "2", "TL": "1", "TTT": "1"}
    # Depth-first, siblings by code: TKVP right under TK.
    assert list(depths) == ["DN", "TK", "TKVP", "TL", "TTT"]
    assert "Commune / ward People&#39;s Committee" in row(html, "TK")
    assert "Remote" in row(html, "TL") and "Remote" not in row(html, "TK")
    assert "Active" in row(html, "TK")
    counts = re.search(r'users\?unit=%d">(\d+)<' % world.units["TK"].id, row(html, "TK"))
    assert counts and counts.group(1) == "3"  # reception, head, handler


def test_admin_root_redirects_from_index(admin):
    resp = admin.get("/")
    assert resp.status_code == 302 and resp.location.endswith("/admin/units")
    assert admin.get("/admin/").status_code == 200


def test_create_unit_under_a_commune(admin, world, db):
    resp = admin.post("/admin/units/new", unit_data(world, code=" tk-ap1 ", is_remote="y"))
    assert resp.status_code == 302 and resp.location.endswith("/admin/units")
    new = unit(db, "TK-AP1")
    tk = unit(db, "TK")
    assert (new.name, new.kind, new.parent_id, new.is_remote, new.is_active) == (
        "Ban nhân dân ấp 1",
        UnitKind.OTHER,
        tk.id,
        True,
        True,
    )
    assert (new.province_code, new.ward_code) == (75, TK_WARD)
    assert new.path == f"{tk.path}{new.id}/"
    html = admin.get("/admin/units").get_data(as_text=True)
    assert "Unit TK-AP1 was created." in html
    assert 'data-unit="TK-AP1" data-depth="2"' in html


def test_create_form_offers_units_in_scope_and_wards_of_the_province(admin, world):
    html = admin.get(f"/admin/units/new?parent={world.units['TK'].id}").get_data(as_text=True)
    assert re.search(r'<option selected value="%d">TK – ' % world.units["TK"].id, html)
    assert "Xã Tân Khai" in html  # the default province's wards are listed
    assert 'data-wards-url="/persons/wards"' in html


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"code": "TK"}, "code", "Another unit already uses the code TK."),
        ({"code": "tk"}, "code", "Another unit already uses the code TK."),
        ({"code": "TK_1"}, "code", "The code must have 1 to 20 characters"),
        ({"code": "TK 1"}, "code", "The code must have 1 to 20 characters"),
        ({"code": "ẤP1"}, "code", "The code must have 1 to 20 characters"),
        ({"code": "A" * 21}, "code", "The code must have 1 to 20 characters"),
        ({"code": ""}, "code", "Enter a code."),
        ({"name": "  "}, "name", "Enter the name of the unit."),
        ({"kind": "ministry"}, "kind", "Not a valid choice"),
        ({"parent_id": ""}, "parent_id", "Choose the parent unit."),
        ({"parent_id": "999999"}, "parent_id", "Choose a parent unit among the units you manage."),
        ({"ward_code": "other"}, "ward_code", "This commune or ward is not in the chosen province."),
        ({"province_code": ""}, "ward_code", "Choose the province of the commune or ward."),
        ({"province_code": "9999", "ward_code": ""}, "province_code", "Choose a province from the list."),
    ],
)
def test_create_unit_refuses_bad_input_and_writes_nothing(admin, world, db, changes, field, message):
    if changes.get("ward_code") == "other":
        changes["ward_code"] = str(other_province_ward())
    before = unit_count(db)
    resp = admin.post("/admin/units/new", unit_data(world, **changes))
    assert resp.status_code == 200
    # The message sits right under the field it is about.
    assert has_error(resp.get_data(as_text=True), field, message), field_errors(resp.get_data(as_text=True), field)
    assert unit_count(db) == before


def test_edit_unit_moves_it_and_recomputes_the_paths_of_its_subtree(admin, world, db):
    tk, ttt = world.units["TK"], world.units["TTT"]
    resp = admin.post(
        f"/admin/units/{tk.id}/edit",
        {
            "code": "XX",  # ignored: the code is inside receipt numbers
            "name": "UBND xã Tân Khai (mới)",
            "kind": "commune",
            "parent_id": ttt.id,
            "province_code": "75",
            "ward_code": str(TK_WARD),
            "is_active": "y",
            "version": tk.version,
        },
    )
    assert resp.status_code == 302
    tk, ttt, tkvp = unit(db, "TK"), unit(db, "TTT"), unit(db, "TKVP")
    assert (tk.code, tk.name, tk.parent_id, tk.is_remote) == ("TK", "UBND xã Tân Khai (mới)", ttt.id, False)
    assert tk.path == f"{ttt.path}{tk.id}/"
    assert tkvp.path == f"{tk.path}{tkvp.id}/"
    assert unit(db, "TL").path == f"{unit(db, 'DN').path}{world.units['TL'].id}/"  # untouched
    html = admin.get("/admin/units").get_data(as_text=True)
    assert 'data-unit="TK" data-depth="2"' in html and 'data-unit="TKVP" data-depth="3"' in html


def test_edit_form_shows_the_code_read_only(admin, world):
    html = admin.get(f"/admin/units/{world.units['TK'].id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*value="TK" readonly>', html)
    assert 'name="code"' not in html


@pytest.mark.parametrize(
    "parent, changes, field, message",
    [
        ("TK", {}, "parent_id", "A unit cannot be placed under itself or one of its own units."),
        ("TKVP", {}, "parent_id", "A unit cannot be placed under itself or one of its own units."),
        ("TL", {"ward_code": "other"}, "ward_code", "This commune or ward is not in the chosen province."),
        ("TL", {"name": ""}, "name", "Enter the name of the unit."),
    ],
)
def test_edit_unit_refuses_bad_input_and_writes_nothing(admin, world, db, parent, changes, field, message):
    tk = world.units["TK"]
    paths = {code: unit(db, code).path for code in ("TK", "TKVP")}
    data = {
        "name": "Tên mới",
        "kind": "commune",
        "parent_id": world.units[parent].id,
        "province_code": "75",
        "ward_code": str(TK_WARD),
        "is_active": "y",
        "version": tk.version,
    }
    data.update(changes)
    if data["ward_code"] == "other":
        data["ward_code"] = str(other_province_ward())
    resp = admin.post(f"/admin/units/{tk.id}/edit", data)
    assert resp.status_code == 200
    assert has_error(resp.get_data(as_text=True), field, message), field_errors(resp.get_data(as_text=True), field)
    tk = unit(db, "TK")
    assert (tk.name, tk.parent_id) == ("UBND xã Tân Khai", world.units["DN"].id)
    assert {code: unit(db, code).path for code in ("TK", "TKVP")} == paths


def test_deactivating_a_unit_shows_in_the_list_and_there_is_no_delete(admin, world, db):
    tl = world.units["TL"]
    resp = admin.post(
        f"/admin/units/{tl.id}/edit",
        {
            "name": "UBND xã Thanh Lương",
            "kind": "commune",
            "parent_id": world.units["DN"].id,
            "is_remote": "y",
            "version": tl.version,
        },
    )  # is_active unchecked
    assert resp.status_code == 302
    assert unit(db, "TL").is_active is False and unit(db, "TL").is_remote is True
    html = admin.get("/admin/units").get_data(as_text=True)
    assert "Inactive" in row(html, "TL") and "Inactive" not in row(html, "TK")
    # Inactive units are no longer offered as a parent.
    assert f'value="{tl.id}"' not in admin.get("/admin/units/new").get_data(as_text=True)
    # Units are never deleted.
    assert admin.post(f"/admin/units/{tl.id}/delete", {}, token_from="/admin/units").status_code in (404, 405)
    assert unit_count(db) == 5


def test_own_unit_cannot_be_moved_or_deactivated(admin, world, db):
    dn = world.units["DN"]
    html = admin.get(f"/admin/units/{dn.id}/edit").get_data(as_text=True)
    assert 'name="parent_id"' not in html and "This is your own unit" in html
    resp = admin.post(
        f"/admin/units/{dn.id}/edit",
        {"name": "UBND tỉnh", "kind": "province", "province_code": "75", "version": dn.version},
    )
    assert has_error(resp.get_data(as_text=True), "is_active", "You cannot deactivate the unit you belong to.")
    assert unit(db, "DN").is_active is True and unit(db, "DN").name == "UBND tỉnh Đồng Nai"
    resp = admin.post(
        f"/admin/units/{dn.id}/edit",
        {"name": "UBND tỉnh", "kind": "province", "province_code": "75", "is_active": "y", "version": dn.version},
    )
    assert resp.status_code == 302
    dn = unit(db, "DN")
    assert (dn.name, dn.parent_id, dn.path) == ("UBND tỉnh", None, f"/{dn.id}/")


def test_a_refusal_by_the_operation_is_shown_and_nothing_is_written(admin, world, db, monkeypatch):
    # Another administrator took the code between the form's check and the save.
    monkeypatch.setattr("app.admin.forms.unit_by_code", lambda code: None)
    before = unit_count(db)
    resp = admin.post("/admin/units/new", unit_data(world, code="TL"))
    assert resp.status_code == 200
    assert re.search(r'data-testid="form-error">Another unit already uses the code TL.<', resp.get_data(as_text=True))
    assert unit_count(db) == before
