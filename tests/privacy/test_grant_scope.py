"""Identity grants are scoped: an administrator grants only within their own unit subtree.

The hole this closes: an administrator of one commune granted view_identity to the reception role, and a
reception officer of another commune could then reveal a denunciator of theirs.
"""

import pytest
from sqlalchemy import select

from app.cases.operations import accept_petition
from app.core.errors import PermissionRefused
from app.core.locking import UNCHECKED
from app.core.roles import Role
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.persons.operations import PersonData
from app.petitions.models import PetitionKind
from app.privacy.models import Permission, RolePermission
from app.privacy.operations import grant_permission, revoke_permission
from app.privacy.policy import can_view_identity
from app.reception.models import ReceptionKind, ReceptionOutcome
from app.reception.operations import record_visit
from app.users.operations import create_user
from tests.factories import PASSWORD
from tests.petitions.helpers import text
from tests.privacy.helpers import NAME, audit_count, reveal

PAGE = "/privacy/permissions"


@pytest.fixture
def admins(world, db):
    """A commune administrator for TK and one for TL, beside the province's ``admin``."""
    for username, unit in (("tk_admin", "TK"), ("tl_admin", "TL")):
        world.users[username] = create_user(
            username=username,
            full_name=f"Quản trị {unit}",
            unit=world.units[unit],
            roles=[Role.ADMIN],
            password=PASSWORD,
        )
    db.session.commit()
    return world.users


def denunciation_of(world, unit: str, reception: str):
    _, petition = record_visit(
        unit=world.units[unit],
        actor=world.users[reception],
        received_at=utcnow(),
        kind=ReceptionKind.REGULAR,
        visitors=[PersonData(NAME, "079111222333", phone="0911222333", address_line="Số 1 hẻm Kín")],
        people_count=1,
        content="Tố cáo cán bộ nhận tiền",
        outcome=ReceptionOutcome.PETITION_RECEIVED,
        petition_kind=PetitionKind.DENUNCIATION,
        petition_summary="Tố cáo cán bộ",
    )
    accept_petition(petition, world.users[reception], accepted_on=local_today(), expected_version=UNCHECKED)
    db.session.commit()
    return petition


def post(client, action: str, unit_id, role: str = "reception"):
    return client.post(
        f"{PAGE}/{action}", {"role": role, "permission": "view_identity", "unit_id": unit_id}, token_from=PAGE
    )


def grants() -> set[tuple[str, str, str]]:
    db.session.rollback()
    return {(str(r.role), str(r.permission), r.unit.code) for r in db.session.scalars(select(RolePermission))}


def test_a_commune_grant_does_not_reach_another_commune(login_en, world, admins):
    tk_denunciation = denunciation_of(world, "TK", "reception")
    tl_denunciation = denunciation_of(world, "TL", "tl_reception")
    tl_admin = login_en("tl_admin")
    assert post(tl_admin, "grant", world.units["TL"].id).status_code == 302
    assert grants() == {("reception", "view_identity", "TL")}

    # The reported attack: the other commune's reception officer is not entitled, and cannot reveal.
    tk_reception = login_en("reception")
    assert reveal(tk_reception, tk_denunciation).status_code == 403
    assert NAME not in text(tk_reception.get(f"/petitions/{tk_denunciation.id}"))
    assert audit_count("identity.reveal") == 0
    # In the granting administrator's own commune the grant works as before.
    assert reveal(login_en("tl_reception"), tl_denunciation).status_code == 302
    assert audit_count("identity.reveal") == 1


@pytest.mark.parametrize("unit", ["DN", "TK", "TKVP"])
def test_a_commune_administrator_cannot_grant_outside_their_subtree(login_en, world, admins, unit):
    tl_admin = login_en("tl_admin")
    post(tl_admin, "grant", world.units[unit].id)
    assert grants() == set() and audit_count("permission.grant") == 0
    assert "Choose one of your units." in text(tl_admin.get(PAGE))
    # The operation refuses it too, whatever the form offered.
    with pytest.raises(PermissionRefused):
        grant_permission(Role.RECEPTION, Permission.VIEW_IDENTITY, world.units[unit], world.users["tl_admin"])
    assert grants() == set()


def test_a_commune_administrator_sees_but_cannot_revoke_a_grant_from_above(login_en, world, admins):
    grant_permission(Role.HEAD, Permission.VIEW_IDENTITY, world.units["DN"], world.users["admin"])
    grant_permission(Role.INSPECTOR, Permission.VIEW_IDENTITY, world.units["TK"], world.users["tk_admin"])
    db.session.commit()
    tl_admin = login_en("tl_admin")
    page = text(tl_admin.get(PAGE))
    assert 'data-unit="DN"' in page and "granted-above" in page  # the province's grant reaches into TL
    assert 'data-unit="TK"' not in page  # the sibling commune's grant is none of TL's business
    post(tl_admin, "revoke", world.units["DN"].id, role="head")
    assert grants() == {("head", "view_identity", "DN"), ("inspector", "view_identity", "TK")}
    with pytest.raises(PermissionRefused):
        revoke_permission(Role.HEAD, Permission.VIEW_IDENTITY, world.units["DN"], world.users["tl_admin"])
    assert audit_count("permission.revoke") == 0


def test_only_a_root_administrator_grants_for_the_whole_tree(login_en, world, admins):
    tk_denunciation = denunciation_of(world, "TK", "reception")
    tl_denunciation = denunciation_of(world, "TL", "tl_reception")
    admin = login_en("admin")  # an administrator of the province, the root unit
    assert post(admin, "grant", world.units["DN"].id).status_code == 302
    assert grants() == {("reception", "view_identity", "DN")}
    assert "the whole tree" in text(admin.get(PAGE))
    assert can_view_identity(world.users["reception"], tk_denunciation)
    assert can_view_identity(world.users["tl_reception"], tl_denunciation)


def test_a_grant_covers_the_users_of_its_subtree_only(world, admins):
    """A grant in TK does not entitle a holder of the role who works above TK (the province's inspector)."""
    tk_denunciation = denunciation_of(world, "TK", "reception")
    grant_permission(Role.INSPECTOR, Permission.VIEW_IDENTITY, world.units["TK"], world.users["tk_admin"])
    db.session.commit()
    assert not can_view_identity(world.users["inspector"], tk_denunciation)
    grant_permission(Role.INSPECTOR, Permission.VIEW_IDENTITY, world.units["DN"], world.users["admin"])
    db.session.commit()
    assert can_view_identity(world.users["inspector"], tk_denunciation)


def test_the_same_role_may_be_granted_in_two_subtrees(world, admins):
    grant_permission(Role.RECEPTION, Permission.VIEW_IDENTITY, world.units["TK"], world.users["tk_admin"])
    grant_permission(Role.RECEPTION, Permission.VIEW_IDENTITY, world.units["TL"], world.users["tl_admin"])
    db.session.commit()
    revoke_permission(Role.RECEPTION, Permission.VIEW_IDENTITY, world.units["TK"], world.users["tk_admin"])
    db.session.commit()
    assert grants() == {("reception", "view_identity", "TL")}


def test_the_migration_narrows_existing_grants_to_the_granting_administrators_unit(app, world, admins):
    """Grants made before scoping held everywhere: they now hold in the granter's unit (root: the tree)."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text as sql

    ids = {k: world.users[k].id for k in ("tk_admin", "admin")}
    db.session.commit()
    db.session.remove()
    downgrade(revision="a8e42fd6a51d")  # before grants had a unit
    db.session.execute(
        sql(
            "INSERT INTO role_permissions (role, permission, granted_at, granted_by_id) "
            "VALUES ('reception', 'view_identity', CURRENT_TIMESTAMP, :tk), "
            "('inspector', 'view_identity', CURRENT_TIMESTAMP, :root), "
            "('head', 'view_identity', CURRENT_TIMESTAMP, NULL)"
        ),
        {"tk": ids["tk_admin"], "root": ids["admin"]},
    )
    db.session.commit()
    db.session.remove()
    upgrade()
    assert grants() == {
        ("reception", "view_identity", "TK"),
        ("inspector", "view_identity", "DN"),
        ("head", "view_identity", "DN"),
    }
