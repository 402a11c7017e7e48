"""Administration of role permissions (view_identity): admin only, POST with CSRF, audited."""

import json

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.privacy.models import RolePermission
from app.units.models import Unit
from tests.petitions.helpers import receipt_numbers, text
from tests.privacy.helpers import NAME, audit_count, leaked, reveal

PAGE = "/privacy/permissions"


def change(client, action, role="inspector", permission="view_identity", unit="DN"):
    """Grant or revoke through the page's form; ``unit`` is the code of the unit the grant applies in."""
    unit_id = db.session.scalar(select(Unit.id).where(Unit.code == unit))
    data = {"role": role, "permission": permission, "unit_id": unit_id}
    return client.post(f"{PAGE}/{action}", data, token_from=PAGE)


def rows(db):
    db.session.rollback()
    return {(str(r.role), str(r.permission)) for r in db.session.execute(select(RolePermission)).scalars()}


def grants(db):
    db.session.rollback()
    return {(str(r.role), str(r.permission), r.unit.code) for r in db.session.execute(select(RolePermission)).scalars()}


@pytest.mark.parametrize("username", ["reception", "handler", "head", "phead", "inspector"])
def test_only_admins_may_open_or_change_permissions(login_as, world, db, username):
    client = login_as(username)
    assert client.get(PAGE).status_code == 403
    resp = client.client.post(
        f"{PAGE}/grant",
        data={"role": "inspector", "permission": "view_identity", "csrf_token": client.token("/petitions/")},
    )
    assert resp.status_code == 403
    assert rows(db) == set() and audit_count() == 0


def test_admin_tab_links_the_page(login_en, world):
    admin = login_en("admin")
    assert 'href="/privacy/permissions"' in text(admin.get("/admin/users"))
    page = text(admin.get(PAGE))
    assert "not-granted" in page and '<option value="inspector">' in page


def test_grant_and_revoke_are_audited_and_take_effect(login_en, world, db, denunciation):
    admin = login_en("admin")
    inspector = login_en("inspector")
    assert receipt_numbers(text(inspector.get(f"/petitions/?q={NAME}"))) == []

    resp = change(admin, "grant")
    assert resp.status_code == 302
    assert rows(db) == {("inspector", "view_identity")}
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "permission.grant")).scalar_one()
    assert event.actor_id == world.users["admin"].id
    assert json.loads(event.detail) == {
        "role": "inspector",
        "permission": "view_identity",
        "unit_id": world.units["DN"].id,
        "unit": "DN",
    }
    assert "granted" in text(admin.get(PAGE))

    # The inspector is now entitled: a reveal shows the name, and then the search finds the denunciation.
    assert receipt_numbers(text(inspector.get(f"/petitions/?q={NAME}"))) == []
    assert reveal(inspector, denunciation.petition).status_code == 302
    assert NAME in text(inspector.get(f"/petitions/{denunciation.petition.id}"))
    assert receipt_numbers(text(inspector.get(f"/petitions/?q={NAME}"))) == [denunciation.petition.receipt_no]

    assert change(admin, "revoke").status_code == 302
    assert rows(db) == set()
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "permission.revoke")).scalar_one()
    assert json.loads(event.detail) == {
        "role": "inspector",
        "permission": "view_identity",
        "unit_id": world.units["DN"].id,
        "unit": "DN",
    }
    # Revoked: even the earlier reveal no longer shows it, and the search no longer finds it.
    assert leaked(text(inspector.get(f"/petitions/{denunciation.petition.id}"))) == []
    assert receipt_numbers(text(inspector.get(f"/petitions/?q={NAME}"))) == []


def test_granting_twice_or_revoking_what_is_not_granted_changes_nothing(login_en, world, db):
    admin = login_en("admin")
    assert change(admin, "grant").status_code == 302
    page = text(
        admin.client.post(
            f"{PAGE}/grant",
            data={
                "role": "inspector",
                "permission": "view_identity",
                "unit_id": world.units["DN"].id,
                "csrf_token": admin.token(PAGE),
            },
            follow_redirects=True,
        )
    )
    assert "This role already holds this permission in this unit." in page
    page = text(change(admin, "revoke", role="handler") and admin.get(PAGE))
    assert "This role does not hold this permission in this unit." in page
    assert rows(db) == {("inspector", "view_identity")}
    assert audit_count("permission.grant") == 1 and audit_count("permission.revoke") == 0


@pytest.mark.parametrize("role, permission", [("wizard", "view_identity"), ("inspector", "fly"), ("", "")])
def test_bad_values_are_refused(login_en, world, db, role, permission):
    admin = login_en("admin")
    resp = change(admin, "grant", role=role, permission=permission)
    assert resp.status_code == 302
    page = text(admin.get(PAGE))
    assert "from the list" in page or "Choose a role." in page
    assert rows(db) == set() and audit_count() == 0


def test_changes_need_post_and_csrf(login_en, world, db):
    admin = login_en("admin")
    assert admin.get(f"{PAGE}/grant").status_code == 405
    assert (
        admin.client.post(f"{PAGE}/grant", data={"role": "inspector", "permission": "view_identity"}).status_code == 400
    )
    assert admin.client.post(f"{PAGE}/delete", data={}).status_code in (400, 404)
    assert rows(db) == set() and audit_count() == 0
