"""Who sees a denunciator's name, CCCD, phone and address, on which surface: role x surface.

Only the assigned handler, the head of the unit and a role granted view_identity are entitled, and even
they see the identity only after revealing it (with a reason). The officer who registered the petition
may print the receipt slip with the name right after registering it.
"""

import pytest

from app.core.roles import Role
from app.extensions import db
from app.privacy.models import Permission
from app.privacy.operations import grant_permission
from tests.petitions.helpers import receipt_numbers, text
from tests.privacy.helpers import CCCD, NAME, SECRETS, leaked, reveal, reveal_count, section, workbook_text

#: matrix role -> (username, entitled to the identity)
ROLES = {
    "reception": ("reception", False),
    "handler_not_assigned": ("handler3", False),
    "assigned_handler": ("handler", True),
    "unit_head": ("head", True),
    "parent_unit_head": ("phead", False),
    "inspector": ("inspector", False),
    "admin": ("admin", False),
    "granted_view_identity": ("inspector", True),  # inspector, with view_identity granted to inspectors
}
SURFACES = ["list", "detail", "receipt", "case_detail", "desk", "export", "search"]
MASK = 'data-testid="identity-mask"'


def look(client, surface: str, d) -> tuple[int, str, bool]:
    """(status, what the user sees of the petitioners, whether the petition is listed/found)."""
    p = d.petition
    if surface == "list":
        resp = client.get("/petitions/")
        table = section(text(resp), "petition-list")
        return resp.status_code, table, p.receipt_no in table
    if surface == "detail":
        resp = client.get(f"/petitions/{p.id}")
        return resp.status_code, text(resp), True
    if surface == "receipt":
        resp = client.get(f"/petitions/{p.id}/receipt")
        return resp.status_code, text(resp), True
    if surface == "case_detail":
        resp = client.get(f"/cases/{d.case.id}")
        return resp.status_code, section(text(resp), "case-petitions"), True
    if surface == "desk":
        resp = client.get("/reception/")
        return resp.status_code, section(text(resp), "todays-visits") if resp.status_code == 200 else "", True
    if surface == "export":
        resp = client.get("/petitions/export.xlsx")
        assert resp.status_code == 200
        book = workbook_text(resp)
        return resp.status_code, book, p.receipt_no in book
    if surface == "search":
        shown, found = [], []
        for url in (f"/petitions/?q={NAME}", f"/petitions/?q={CCCD}", f"/petitions/?q={NAME.lower()[-6:]}"):
            page = text(client.get(url))
            found.append(p.receipt_no in receipt_numbers(page))
            shown.append(section(page, "petition-list"))
        cases = text(client.get(f"/cases/?q={NAME}"))
        found.append(d.case.number in cases)
        assert len(set(found)) == 1, found  # every search agrees
        return 200, "\n".join(shown), found[0]
    raise AssertionError(surface)


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("role", list(ROLES))
def test_identity_shows_only_where_allowed(login_en, world, denunciation, role, surface):
    username, entitled = ROLES[role]
    if role == "granted_view_identity":
        grant_permission(Role.INSPECTOR, Permission.VIEW_IDENTITY, world.units["DN"], world.users["admin"])
        db.session.commit()
    client = login_en(username)
    d = denunciation

    status, seen, found = look(client, surface, d)
    if surface == "desk" and username not in ("reception", "head", "phead"):  # the desk is for them only
        assert status == 403
        return
    assert status == 200
    if surface == "search":
        # A name or CCCD finds the petition (and its case) for nobody before a recorded reveal: not for
        # outsiders (it would tell who the denunciator is), nor for entitled users (it would read the
        # identity without a reveal). After their reveal it does (below).
        assert found is False
    else:
        assert found
    creator_receipt = surface == "receipt" and username == "reception"
    if creator_receipt:
        assert NAME in seen  # the registering officer prints the slip for the citizen in front of them
    else:
        assert leaked(seen) == []
        if found:
            assert MASK in seen or "Identity protected" in seen

    resp = reveal(client, d.petition)
    if not entitled:
        assert resp.status_code == 403 and reveal_count() == 0
        status, seen, found = look(client, surface, d)
        if not creator_receipt:
            assert leaked(seen) == []
        return
    assert resp.status_code == 302 and reveal_count() == 1
    status, seen, found = look(client, surface, d)
    assert found
    # Lists show the names; the detail and the export every detail of the person.
    expected = set(SECRETS) if surface in ("detail", "export") else {NAME}
    assert expected <= set(leaked(seen))
