"""Grassroots mediation records: recorded by the commune's desk, read within the unit subtree, linked once to a
later petition of the same matter (never a confidential one), and shown on that petition's page."""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.core.errors import TransitionRefused
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.mediation.models import MediationRecord, MediationResult
from app.mediation.operations import link_petition, record_mediation
from app.petitions.models import PetitionKind
from tests.factories import create_petition, subject_id
from tests.petitions.helpers import field_errors, text

TODAY = local_today()


def form(world, **changes) -> dict:
    return {
        "unit_id": str(world.units["TK"].id),
        "held_on": (TODAY - timedelta(days=30)).isoformat(),
        "mediators": "Tổ hòa giải ấp 3",
        "parties": "Ông Nguyễn Văn An và bà Trần Thị Bé",
        "matter": "Tranh chấp lối đi chung giữa hai thửa đất",
        "subject_area_id": subject_id("admin.land"),
        "result": "failed",
        "agreement": "",
        **changes,
    }


def _records(db) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(MediationRecord.id)))


def test_the_desk_records_a_mediation(login_en, world, db):
    officer = login_en("reception")
    resp = officer.post("/mediation/new", form(world, result="reconciled", agreement="Mở lối đi rộng 2 m"))
    assert resp.status_code == 302
    item = db.session.scalars(select(MediationRecord)).one()
    assert (item.result, item.agreement, item.subject_area.code) == (
        MediationResult.RECONCILED,
        "Mở lối đi rộng 2 m",
        "admin.land",
    )
    page = text(officer.get(resp.headers["Location"]))
    assert "Reconciled: the parties agreed" in page and "Tổ hòa giải ấp 3" in page
    assert "Tranh chấp lối đi chung" in text(officer.get("/mediation/"))
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "mediation.create")) == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"mediators": ""}, "Name the mediators."),
        ({"matter": ""}, "Describe the matter mediated."),
        ({"result": ""}, "Choose the result."),
        ({"result": "reconciled"}, "Write what the parties agreed."),
        ({"held_on": (TODAY + timedelta(days=1)).isoformat()}, "The mediation cannot be dated in the future."),
    ],
)
def test_bad_input_records_nothing(login_en, world, db, changes, message):
    resp = login_en("reception").post("/mediation/new", form(world, **changes))
    assert resp.status_code == 422 and message in field_errors(text(resp))
    assert _records(db) == 0


@pytest.fixture
def mediation(world, db):
    item = record_mediation(
        world.users["reception"],
        unit=world.units["TK"],
        held_on=TODAY - timedelta(days=30),
        mediators="Tổ hòa giải ấp 3",
        parties="Hai hộ liền kề",
        matter="Tranh chấp ranh giới",
        result=MediationResult.FAILED,
        today=TODAY,
    )
    db.session.commit()
    return item


def test_a_later_petition_is_linked_and_shows_the_mediation(login_en, world, db, mediation):
    petition = create_petition(world, received_on=TODAY - timedelta(days=2))
    db.session.commit()
    officer = login_en("reception")
    url = f"/mediation/{mediation.id}"
    resp = officer.post(
        f"{url}/link", {"receipt_no": petition.receipt_no, "version": mediation.version}, token_from=url
    )
    assert resp.status_code == 302
    page = text(officer.get(url))
    assert f"Linked to petition {petition.receipt_no}." in page and 'data-testid="link-form"' not in page
    shown = text(officer.get(f"/petitions/{petition.id}"))
    assert 'data-testid="petition-mediations"' in shown and "Not reconciled" in shown


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda w: create_petition(w, kind=PetitionKind.DENUNCIATION),
            "A petition whose petitioners are confidential is not linked",
        ),
        (
            lambda w: create_petition(w, received_on=TODAY - timedelta(days=60)),
            "Link a petition received on or after the day of the mediation.",
        ),
        (
            lambda w: create_petition(w, unit="TL", actor="tl_reception"),
            "No petition with this receipt number in your units.",
        ),
    ],
)
def test_a_link_the_law_or_the_scope_forbids_changes_nothing(login_en, world, db, mediation, make, message):
    petition = make(world)
    db.session.commit()
    officer = login_en("reception")
    url = f"/mediation/{mediation.id}"
    resp = officer.post(
        f"{url}/link", {"receipt_no": petition.receipt_no, "version": mediation.version}, token_from=url
    )
    shown = text(officer.get(resp.headers["Location"])) if resp.status_code == 302 else text(resp)
    assert message in shown
    db.session.rollback()
    assert db.session.get(MediationRecord, mediation.id).petition_id is None


def test_linked_once_and_stale_pages_refused(world, db, mediation, login_en):
    first, second = create_petition(world), create_petition(world)
    db.session.commit()
    stale = mediation.version
    link_petition(mediation, first, world.users["reception"], expected_version=UNCHECKED)
    db.session.commit()
    with force_locale("en"), pytest.raises(TransitionRefused, match="already linked"):
        link_petition(mediation, second, world.users["reception"], expected_version=UNCHECKED)
    # A page opened before the link: its form is refused as stale, and nothing changes.
    db.session.rollback()
    officer = login_en("reception")
    url = f"/mediation/{mediation.id}"
    resp = officer.post(f"{url}/link", {"receipt_no": second.receipt_no, "version": stale}, token_from="/mediation/")
    assert resp.status_code in (302, 422)
    db.session.rollback()
    assert db.session.get(MediationRecord, mediation.id).petition_id == first.id


@pytest.mark.parametrize("username, status", [("tl_reception", 404), ("handler", 200), ("tl_head", 404)])
def test_records_are_read_within_the_unit_subtree(login_en, world, db, mediation, username, status):
    client = login_en(username)
    assert client.get(f"/mediation/{mediation.id}").status_code == status
    listing = text(client.get("/mediation/"))
    assert ("Tranh chấp ranh giới" in listing) is (status == 200)
    if username == "handler":  # reads, but neither records nor links
        assert 'data-testid="link-form"' not in text(client.get(f"/mediation/{mediation.id}"))
        assert client.get("/mediation/new").status_code == 403


def test_a_petition_masked_after_its_link_hides_the_link(login_en, world, db, mediation):
    from app.petitions.operations import Part, split_petition
    from tests.factories import subject

    petition = create_petition(world)
    link_petition(mediation, petition, world.users["reception"], expected_version=UNCHECKED)
    parts = [Part(PetitionKind.COMPLAINT, "Khiếu nại", subject()), Part(PetitionKind.DENUNCIATION, "Tố cáo", subject())]
    split_petition(petition, world.users["reception"], parts, on=TODAY, expected_version=UNCHECKED)
    db.session.commit()
    handler = login_en("handler")
    assert petition.receipt_no not in text(handler.get(f"/mediation/{mediation.id}"))
    assert petition.receipt_no not in text(handler.get("/mediation/"))
    assert 'data-testid="petition-mediations"' not in text(handler.get(f"/petitions/{petition.id}"))
