"""Who reads a document that names a denunciator (the acceptance notice sent to them): role by role, before
and after a recorded reveal. Only those entitled to the identity, once they revealed it; everyone else is
answered 404 for its page, its Word file and its PDF, and the case page lists it without the name."""

import pytest

from app.core.roles import Role
from app.extensions import db
from app.privacy.models import Permission
from app.privacy.operations import grant_permission
from tests.documents.test_documents import documents, issue
from tests.petitions.helpers import text
from tests.privacy.helpers import NAME, SECRETS, make_denunciation, reveal

#: role -> (username, entitled to the identity)
ROLES = {
    "reception": ("reception", False),
    "handler_not_assigned": ("handler3", False),
    "assigned_handler": ("handler", True),
    "unit_head": ("head", True),
    "parent_unit_head": ("phead", False),
    "inspector": ("inspector", False),
    "admin": ("admin", False),
    "granted_view_identity": ("inspector", True),
}


@pytest.fixture
def notice(login_en, world, db):
    """The acceptance notice of a denunciation's case, issued by its handler after revealing the identity."""
    d = make_denunciation(world)
    db.session.commit()
    handler = login_en("handler")
    assert reveal(handler, d.petition).status_code == 302
    assert issue(handler, f"/documents/case/{d.case.id}/acceptance_notice/new").status_code == 302
    (doc,) = documents(db)
    assert NAME in doc.content["addressee"]  # it names her: it goes to her
    return d, doc


@pytest.mark.parametrize("role", list(ROLES))
def test_a_document_naming_a_denunciator_is_read_only_by_the_entitled_after_a_reveal(login_en, world, notice, role):
    d, doc = notice
    username, entitled = ROLES[role]
    if role == "granted_view_identity":
        grant_permission(Role.INSPECTOR, Permission.VIEW_IDENTITY, world.units["DN"], world.users["admin"])
        db.session.commit()
    client = login_en(username)
    urls = [f"/documents/{doc.id}", f"/documents/{doc.id}/docx", f"/documents/{doc.id}/pdf"]
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    case_page = client.get(f"/cases/{d.case.id}")
    if case_page.status_code == 200:
        page = text(case_page)
        assert doc.number in page and not [s for s in SECRETS if s in page]
    resp = reveal(client, d.petition)
    if not entitled:
        assert resp.status_code == 403
        assert [client.get(u).status_code for u in urls] == [404, 404, 404]
        return
    assert resp.status_code == 302
    assert [client.get(u).status_code for u in urls] == [200, 200, 200]
    assert NAME in text(client.get(urls[0]))
