"""Who may open the administration screens: administrators only, and only for their own subtree."""

import re

import pytest
from flask import current_app
from sqlalchemy import func, select

from app.units.models import Unit
from app.users.models import User
from tests.admin.helpers import has_error

NON_ADMIN_ROLES = ["reception", "handler", "head", "inspector"]


def admin_requests(world) -> list[tuple[str, str]]:
    """(method, url) for every route of the admin blueprint, ids filled with objects of the world.

    Read from the URL map, so a route added later is checked too.
    """
    ids = {"unit_id": world.units["TK"].id, "user_id": world.users["handler"].id}
    out = []
    for rule in current_app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        url = rule.rule
        for arg in rule.arguments:
            assert arg in ids, f"add an id for <{arg}> of {rule.rule} to this test"
            url = re.sub(r"<(?:\w+:)?%s>" % arg, str(ids[arg]), url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, url))
    assert len(out) >= 10
    return out


@pytest.mark.parametrize("username", NON_ADMIN_ROLES)
def test_other_roles_get_403_on_every_admin_route(login_en, world, db, username):
    client = login_en(username)
    units, users = db.session.scalar(select(func.count(Unit.id))), db.session.scalar(select(func.count(User.id)))
    refused = {}
    for method, url in admin_requests(world):
        if method == "GET":
            resp = client.get(url)
        else:
            resp = client.post(
                url,
                {
                    "code": "NEW",
                    "name": "x",
                    "kind": "other",
                    "username": "new.user",
                    "full_name": "x",
                    "roles": ["admin"],
                    "unit_id": world.units["DN"].id,
                    "parent_id": world.units["DN"].id,
                    "password": "correct-horse-77",
                    "confirm": "correct-horse-77",
                    "is_active": "y",
                },
                token_from="/admin/units",
            )
        refused[(method, url)] = resp.status_code
    assert set(refused.values()) == {403}, refused
    db.session.rollback()
    assert db.session.scalar(select(func.count(Unit.id))) == units
    assert db.session.scalar(select(func.count(User.id))) == users
    assert db.session.get(User, world.users["handler"].id).roles == world.users["handler"].roles


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for method, url in admin_requests(world):
        if method == "GET":
            resp = client.get(url)
            assert resp.status_code == 302 and "/login" in resp.location, url


@pytest.mark.parametrize(
    "url",
    [
        "/admin/units/{DN}/edit",
        "/admin/units/{TTT}/edit",
        "/admin/units/{TL}/edit",
        "/admin/users/{admin}/edit",
        "/admin/users/{tl_head}/edit",
    ],
)
def test_admin_of_a_commune_gets_404_outside_their_subtree(tk_admin, world, db, url):
    url = url.format(**{k: u.id for k, u in world.units.items()}, **{k: u.id for k, u in world.users.items()})
    assert tk_admin.get(url).status_code == 404
    resp = tk_admin.post(
        url,
        {
            "name": "Đổi tên",
            "full_name": "Đổi tên",
            "kind": "commune",
            "roles": ["head"],
            "unit_id": world.units["TK"].id,
            "parent_id": world.units["TK"].id,
        },
        token_from="/admin/units",
    )
    assert resp.status_code == 404
    db.session.rollback()
    assert "Đổi tên" not in {u.name for u in db.session.scalars(select(Unit))}
    assert "Đổi tên" not in {u.full_name for u in db.session.scalars(select(User))}


def test_admin_of_a_commune_sees_and_edits_only_their_subtree(tk_admin, world, db):
    html = tk_admin.get("/admin/units").get_data(as_text=True)
    units = re.findall(r'<tr data-unit="([^"]+)" data-depth="(\d)"', html)
    assert units == [("TK", "0"), ("TKVP", "1")]
    users = re.findall(r'<tr data-user="([^"]+)"', tk_admin.get("/admin/users").get_data(as_text=True))
    assert users == ["handler", "handler2", "head", "reception", "tk_admin"]
    # Filtering by a unit outside the subtree shows nothing of it.
    html = tk_admin.get(f"/admin/users?unit={world.units['DN'].id}").get_data(as_text=True)
    assert 'data-user="admin"' not in html
    assert tk_admin.get(f"/admin/units/{world.units['TKVP'].id}/edit").status_code == 200
    assert tk_admin.get(f"/admin/users/{world.users['handler2'].id}/edit").status_code == 200


def test_admin_of_a_commune_cannot_create_outside_their_subtree(tk_admin, world, db):
    units, users = db.session.scalar(select(func.count(Unit.id))), db.session.scalar(select(func.count(User.id)))
    html = tk_admin.get("/admin/units/new").get_data(as_text=True)
    assert f'<option value="{world.units["DN"].id}">DN – ' not in html  # not offered ...
    assert f'<option value="{world.units["TKVP"].id}">TKVP – ' in html
    resp = tk_admin.post(
        "/admin/units/new", {"code": "TL-AP1", "name": "Ấp 1", "kind": "other", "parent_id": world.units["TL"].id}
    )  # ... and refused
    assert has_error(resp.get_data(as_text=True), "parent_id", "Choose a parent unit among the units you manage.")
    resp = tk_admin.post(
        "/admin/users/new",
        {
            "username": "tinh.moi",
            "full_name": "Cán bộ tỉnh",
            "roles": ["head"],
            "unit_id": world.units["DN"].id,
            "password": "correct-horse-77",
            "confirm": "correct-horse-77",
        },
    )
    assert has_error(resp.get_data(as_text=True), "unit_id", "Choose a unit among the units you manage.")
    # Nor move one of their units out of it.
    resp = tk_admin.post(
        f"/admin/units/{world.units['TKVP'].id}/edit",
        {
            "name": "Văn phòng",
            "kind": "office",
            "parent_id": world.units["DN"].id,
            "is_active": "y",
            "version": world.units["TKVP"].version,
        },
    )
    assert has_error(resp.get_data(as_text=True), "parent_id", "Choose a parent unit among the units you manage.")
    db.session.rollback()
    assert db.session.scalar(select(func.count(Unit.id))) == units
    assert db.session.scalar(select(func.count(User.id))) == users
    assert db.session.get(Unit, world.units["TKVP"].id).parent_id == world.units["TK"].id


def test_admin_of_a_commune_creates_units_and_users_inside_it(tk_admin, world, db):
    resp = tk_admin.post(
        "/admin/units/new", {"code": "TK-AP2", "name": "Ấp 2", "kind": "other", "parent_id": world.units["TKVP"].id}
    )
    assert resp.status_code == 302
    db.session.rollback()
    new = db.session.execute(select(Unit).where(Unit.code == "TK-AP2")).scalar_one()
    assert new.path == f"{world.units['TKVP'].path}{new.id}/"
    resp = tk_admin.post(
        "/admin/users/new",
        {
            "username": "ap2.truong",
            "full_name": "Trưởng ấp",
            "roles": ["reception"],
            "unit_id": new.id,
            "password": "correct-horse-77",
            "confirm": "correct-horse-77",
        },
    )
    assert resp.status_code == 302
