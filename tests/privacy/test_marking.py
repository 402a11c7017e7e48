"""Which petitions are confidential: every denunciation, and any other petition whose petitioner asked."""

import pytest
from sqlalchemy import select

from app.petitions.models import Petition, PetitionKind
from tests.factories import create_petition
from tests.petitions.helpers import text
from tests.petitions.test_new import petition_form
from tests.reception.test_desk import visit

CHECKBOX_LABEL = "The petitioner asks that their identity be kept confidential"


@pytest.mark.parametrize(
    "kind, asked, expected",
    [
        (PetitionKind.DENUNCIATION, False, True),
        (PetitionKind.DENUNCIATION, True, True),
        (PetitionKind.COMPLAINT, False, False),
        (PetitionKind.COMPLAINT, True, True),
        (PetitionKind.RECOMMENDATION, True, True),
        (PetitionKind.FEEDBACK, False, False),
    ],
)
def test_register_petition_marks_confidentiality(world, db, kind, asked, expected):
    p = create_petition(world, kind=kind, is_identity_confidential=asked)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Petition, p.id).is_identity_confidential is expected


@pytest.mark.parametrize(
    "kind, ticked, expected",
    [
        ("denunciation", False, True),
        ("complaint", False, False),
        ("complaint", True, True),
        ("feedback", True, True),
    ],
)
def test_petition_form_checkbox(login_en, world, db, kind, ticked, expected):
    officer = login_en("reception")
    assert CHECKBOX_LABEL in text(officer.get("/petitions/new"))
    data = petition_form(world, kind=kind, **({"is_identity_confidential": "y"} if ticked else {}))
    assert officer.post("/petitions/new", data).status_code == 302
    assert db.session.execute(select(Petition)).scalar_one().is_identity_confidential is expected


@pytest.mark.parametrize(
    "kind, ticked, expected",
    [
        ("denunciation", False, True),
        ("complaint", False, False),
        ("complaint", True, True),
    ],
)
def test_desk_form_checkbox(login_en, world, db, kind, ticked, expected):
    desk = login_en("reception")
    assert CHECKBOX_LABEL in text(desk.get("/reception/"))
    data = visit(world, petition_kind=kind, **({"is_identity_confidential": "y"} if ticked else {}))
    resp = desk.post("/reception/visits", data)
    assert resp.status_code == 302
    petition = db.session.execute(select(Petition)).scalar_one()
    assert petition.is_identity_confidential is expected
    # The desk officer who registered it prints the slip with the name right away; the day's list masks it.
    assert "Nguyễn Văn An" in text(desk.get(resp.headers["Location"]))
    visits = text(desk.get("/reception/"))
    assert ("Nguyễn Văn An" in visits) is (not expected)


def test_creator_receipt_window_ends(app, login_en, world, db):
    p = create_petition(world, kind=PetitionKind.DENUNCIATION)
    db.session.commit()
    officer = login_en("reception")
    assert "Nguyễn Văn An" in text(officer.get(f"/petitions/{p.id}/receipt"))
    saved = app.config["IDENTITY_CREATOR_MINUTES"]
    app.config["IDENTITY_CREATOR_MINUTES"] = -1
    try:
        page = text(officer.get(f"/petitions/{p.id}/receipt"))
    finally:
        app.config["IDENTITY_CREATOR_MINUTES"] = saved
    assert "Nguyễn Văn An" not in page and 'data-testid="identity-mask"' in page
