"""Administration of users: the list and its filters, creating and editing users, and refused input."""

import re

import pytest
from sqlalchemy import func, select

from app.core.roles import Role
from app.users.models import User
from tests.admin.helpers import field_errors, has_error
from tests.conftest import CsrfClient, login
from tests.factories import PASSWORD


def user_count(db) -> int:
    db.session.rollback()  # read what was committed, not what a request may have left in the session
    return db.session.scalar(select(func.count(User.id)))


def user(db, username: str) -> User:
    db.session.rollback()
    return db.session.execute(select(User).where(User.username == username)).unique().scalar_one()


def listed(html: str) -> list[str]:
    return re.findall(r'<tr data-user="([^"]+)"', html)


def row(html: str, username: str) -> str:
    m = re.search(r'<tr data-user="%s".*?</tr>' % re.escape(username), html, re.S)
    assert m, f"{username} is not listed"
    return m.group(0)


def can_log_in(app, username: str, password: str) -> bool:
    return CsrfClient(app.test_client()).post("/login", {"username": username, "password": password}).status_code == 302


def user_data(world, **changes) -> dict:
    data = {
        "username": "ha.nguyen",
        "full_name": "Nguyễn Thị Hà",
        "title": "Công chức Văn phòng",
        "unit_id": world.units["TK"].id,
        "roles": ["reception", "handler"],
        "password": "mat-khau-123",
        "confirm": "mat-khau-123",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(world, who: str, **changes) -> dict:
    u = world.users[who]
    data = {
        "full_name": u.full_name,
        "title": u.title or "",
        "unit_id": u.unit_id,
        "roles": [r.value for r in u.roles],
        "is_active": "y",
        "version": u.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_list_shows_username_name_unit_roles_and_status(admin, world):
    html = admin.get("/admin/users").get_data(as_text=True)
    assert listed(html) == sorted(world.users)  # the province admin sees everyone, by username
    head = row(html, "head")
    assert "Phạm Văn Trưởng" in head and "TK" in head and "UBND xã Tân Khai" in head
    assert "Head of unit" in head and "Active" in head


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"unit": "TK"}, ["handler", "head", "reception"]),
        ({"unit": "TKVP"}, ["handler2"]),
        ({"q": "HANDLER"}, ["handler", "handler2", "tl_handler"]),
        ({"q": "Đỗ Thị"}, ["handler2"]),
        ({"q": "Trưởng"}, ["head"]),
        ({"unit": "TL", "q": "head"}, ["tl_head"]),
        ({"q": "nobody"}, []),
        ({"q": "%"}, []),  # LIKE wildcards are searched for literally
    ],
)
def test_list_filters_by_unit_and_searches_name_or_username(admin, world, query, expected):
    if "unit" in query:
        query = {**query, "unit": world.units[query["unit"]].id}
    html = admin.get("/admin/users", query_string=query).get_data(as_text=True)
    assert listed(html) == expected
    if not expected:
        assert "No users match this filter." in html


def test_create_user_who_can_then_log_in(admin, world, db, app):
    resp = admin.post("/admin/users/new", user_data(world, username=" Ha.Nguyen "))
    assert resp.status_code == 302 and resp.location.endswith("/admin/users")
    created = user(db, "ha.nguyen")
    assert (created.full_name, created.title, created.unit_id, created.roles, created.is_active_user) == (
        "Nguyễn Thị Hà",
        "Công chức Văn phòng",
        world.units["TK"].id,
        {Role.RECEPTION, Role.HANDLER},
        True,
    )
    html = admin.get("/admin/users").get_data(as_text=True)
    assert "User ha.nguyen was created." in html
    assert "Reception officer" in row(html, "ha.nguyen") and "Handling officer" in row(html, "ha.nguyen")
    assert can_log_in(app, "ha.nguyen", "mat-khau-123")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"username": "head"}, "username", "The username head is taken."),
        ({"username": "HEAD"}, "username", "The username head is taken."),
        ({"username": "ha nguyen"}, "username", "The username must have 3 to 64 characters"),
        ({"username": "hà"}, "username", "The username must have 3 to 64 characters"),
        ({"username": "ha"}, "username", "The username must have 3 to 64 characters"),
        ({"username": "h" * 65}, "username", "The username must have 3 to 64 characters"),
        ({"username": ""}, "username", "Enter a username."),
        ({"full_name": " "}, "full_name", "Enter the full name."),
        ({"password": "short12", "confirm": "short12"}, "password", "The password must have at least 10 characters."),
        ({"password": "", "confirm": ""}, "password", "Enter a password."),
        ({"confirm": "mat-khau-124"}, "confirm", "The two passwords do not match."),
        ({"roles": None}, "roles-0", "Choose at least one role."),
        ({"roles": ["superuser"]}, "roles-0", "is not a valid choice"),
        ({"unit_id": ""}, "unit_id", "Choose the unit of the user."),
        ({"unit_id": "999999"}, "unit_id", "Choose a unit among the units you manage."),
        ({"email": "ha.nguyen"}, "email", "Enter an e-mail address such as name@example.gov.vn"),
        ({"email": "ha @tk.gov.vn"}, "email", "Enter an e-mail address such as name@example.gov.vn"),
        ({"email": "a@b"}, "email", "Enter an e-mail address such as name@example.gov.vn"),
    ],
)
def test_create_user_refuses_bad_input_and_writes_nothing(admin, world, db, changes, field, message):
    before = user_count(db)
    resp = admin.post("/admin/users/new", user_data(world, **changes))
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert has_error(html, field, message), field_errors(html, field)
    assert user_count(db) == before


def test_the_user_form_keeps_an_e_mail_for_the_reminders(admin, world, db):
    resp = admin.post("/admin/users/new", user_data(world, username="ha.nguyen", email=" ha.nguyen@tk.gov.vn "))
    assert resp.status_code == 302
    created = user(db, "ha.nguyen")
    assert created.email == "ha.nguyen@tk.gov.vn"
    page = admin.get(f"/admin/users/{created.id}/edit").get_data(as_text=True)
    assert 'value="ha.nguyen@tk.gov.vn"' in page
    data = {k: v for k, v in user_data(world, email="").items() if k not in ("username", "password", "confirm")}
    resp = admin.post(f"/admin/users/{created.id}/edit", {**data, "is_active": "y", "version": created.version})
    assert resp.status_code == 302
    assert user(db, "ha.nguyen").email is None


def test_edit_user_changes_details_roles_and_unit(admin, world, db):
    handler = world.users["handler"]
    resp = admin.post(
        f"/admin/users/{handler.id}/edit",
        edit_data(
            world,
            "handler",
            full_name="Hoàng Văn Xử Lý",
            title="Chuyên viên",
            unit_id=world.units["TKVP"].id,
            roles=["handler", "head"],
            username="renamed",
        ),
    )
    assert resp.status_code == 302
    handler = user(db, "handler")  # the username cannot change
    assert (handler.full_name, handler.title, handler.unit_id, handler.roles) == (
        "Hoàng Văn Xử Lý",
        "Chuyên viên",
        world.units["TKVP"].id,
        {Role.HANDLER, Role.HEAD},
    )
    html = admin.get("/admin/users").get_data(as_text=True)
    assert "Handling officer, Head of unit" in row(html, "handler") or "Head of unit, Handling officer" in row(
        html, "handler"
    )
    assert "TKVP" in row(html, "handler")


def test_edit_form_is_filled_with_the_user(admin, world):
    html = admin.get(f"/admin/users/{world.users['head'].id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*value="head" readonly>', html)
    assert re.search(r'<input checked[^>]*value="head"', html)
    assert not re.search(r'<input checked[^>]*value="admin"', html)
    assert re.search(r'<input checked[^>]*name="is_active"', html)
    assert 'value="Phạm Văn Trưởng"' in html


def test_deactivated_user_is_listed_as_inactive_and_cannot_log_in(admin, world, db, app, login_en):
    handler_client = login_en("handler")
    assert handler_client.get("/admin/units").status_code == 403  # logged in (and not an admin)
    resp = admin.post(f"/admin/users/{world.users['handler'].id}/edit", edit_data(world, "handler", is_active=None))
    assert resp.status_code == 302
    assert user(db, "handler").is_active_user is False
    assert "Inactive" in row(admin.get("/admin/users").get_data(as_text=True), "handler")
    assert not can_log_in(app, "handler", PASSWORD)
    # An open session ends too: the next page asks to log in.
    assert handler_client.get("/admin/units").status_code == 302
    # Reactivated, the user can log in again.
    admin.post(f"/admin/users/{world.users['handler'].id}/edit", edit_data(world, "handler"))
    assert can_log_in(app, "handler", PASSWORD)


def test_new_password_replaces_the_old_one(admin, world, db, app):
    url = f"/admin/users/{world.users['head'].id}/edit"
    resp = admin.post(url, edit_data(world, "head", password="new-pass-1", confirm="new-pass-2"))
    assert has_error(resp.get_data(as_text=True), "confirm", "The two passwords do not match.")
    resp = admin.post(url, edit_data(world, "head", password="short", confirm="short"))
    assert has_error(resp.get_data(as_text=True), "password", "The password must have at least 10 characters.")
    resp = admin.post(url, edit_data(world, "head", confirm="new-pass-1"))
    assert has_error(resp.get_data(as_text=True), "password", "The password must have at least 10 characters.")
    assert can_log_in(app, "head", PASSWORD)
    assert admin.post(url, edit_data(world, "head", password="new-pass-1", confirm="new-pass-1")).status_code == 302
    assert can_log_in(app, "head", "new-pass-1") and not can_log_in(app, "head", PASSWORD)
    # Leaving the password empty keeps it.
    assert admin.post(url, edit_data(world, "head", full_name="Phạm Trưởng")).status_code == 302
    assert can_log_in(app, "head", "new-pass-1")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"is_active": None}, "is_active", "You cannot deactivate your own account."),
        ({"roles": ["head"]}, "roles-0", "You cannot remove your own administrator role."),
        ({"roles": None}, "roles-0", "Choose at least one role."),
    ],
)
def test_admin_cannot_lock_themselves_out(admin, world, db, changes, field, message):
    resp = admin.post(
        f"/admin/users/{world.users['admin'].id}/edit", edit_data(world, "admin", full_name="Tên khác", **changes)
    )
    assert resp.status_code == 200
    assert has_error(resp.get_data(as_text=True), field, message)
    me = user(db, "admin")
    assert (me.is_active_user, me.roles, me.full_name) == (True, {Role.ADMIN}, "Quản trị Hệ thống")


def test_admin_may_add_roles_to_themselves(admin, world, db):
    resp = admin.post(
        f"/admin/users/{world.users['admin'].id}/edit", edit_data(world, "admin", roles=["admin", "inspector"])
    )
    assert resp.status_code == 302
    assert user(db, "admin").roles == {Role.ADMIN, Role.INSPECTOR}


def test_role_change_shows_in_the_list(admin, world):
    resp = admin.post(
        f"/admin/users/{world.users['reception'].id}/edit", edit_data(world, "reception", roles=["inspector"])
    )
    assert resp.status_code == 302
    html = admin.get("/admin/users").get_data(as_text=True)
    assert "Inspector" in row(html, "reception") and "Reception officer" not in row(html, "reception")


def test_a_new_administrator_of_a_commune_manages_only_that_commune(admin, world, app):
    resp = admin.post("/admin/users/new", user_data(world, roles=["admin"], unit_id=world.units["TL"].id))
    assert resp.status_code == 302
    c = login(app.test_client(), "ha.nguyen", "mat-khau-123")
    assert re.findall(r'<tr data-unit="([^"]+)"', c.get("/admin/units").get_data(as_text=True)) == ["TL"]
    assert listed(c.get("/admin/users").get_data(as_text=True)) == [
        "ha.nguyen",
        "tl_handler",
        "tl_head",
        "tl_reception",
    ]


def test_list_is_paged(admin, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 4)
    first = admin.get("/admin/users").get_data(as_text=True)
    assert listed(first) == sorted(world.users)[:4]
    assert "Page 1 of 3" in first
    last = admin.get("/admin/users?page=3").get_data(as_text=True)
    assert listed(last) == sorted(world.users)[8:]
