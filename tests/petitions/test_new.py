"""Registering a petition that did not come via the desk (post, online, transferred ...)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.timeutil import local_today
from app.petitions.models import Channel, Petition, PetitionKind, PetitionState
from tests.factories import subject_id
from tests.petitions.helpers import field_errors, row_counts, text

NEW = "/petitions/new"


def petition_form(world, **changes) -> dict:
    data = {
        "channel": "post",
        "source_agency": "",
        "source_dispatch_no": "",
        "received_on": (local_today() - timedelta(days=2)).isoformat(),
        "unit_id": str(world.units["TK"].id),
        "kind": "denunciation",
        "subject_area_id": subject_id(),
        "full_name": "Phạm Thị Dung",
        "citizen_id": "075200001234",
        "phone": "",
        "province_code": "75",
        "ward_code": "25357",
        "address_line": "Ấp 5",
        "other_petitioners": "",
        "signatory_count": "1",
        "summary": "Tố cáo cán bộ địa chính",
        "content": "Nội dung tố cáo chi tiết.",
    }
    data.update(changes)
    return data


@pytest.fixture
def officer(login_en):
    return login_en("reception")


def test_new_petition_form_defaults(officer, world):
    page = text(officer.get(NEW))
    assert f'value="{local_today():%d/%m/%Y}"' in page
    assert '<option selected value="post">' in page
    assert 'value="desk"' not in page  # desk petitions come with the visit
    assert '<option selected value="75">Đồng Nai</option>' in page


@pytest.mark.parametrize(
    "username, status", [("reception", 200), ("head", 200), ("handler", 403), ("inspector", 403), ("admin", 403)]
)
def test_new_petition_is_for_reception_and_heads(login_as, username, status):
    assert login_as(username).get(NEW).status_code == status


def test_register_by_post(officer, world, db):
    before = row_counts()
    resp = officer.post(NEW, petition_form(world))
    assert resp.status_code == 302
    petition = db.session.execute(select(Petition)).scalar_one()
    assert resp.headers["Location"].endswith(f"/petitions/{petition.id}")
    assert petition.receipt_no == f"TK-{petition.received_on.year}-000001"
    assert (petition.channel, petition.kind, petition.state) == (
        Channel.POST,
        PetitionKind.DENUNCIATION,
        PetitionState.RECEIVED,
    )
    assert petition.reception_session_id is None and petition.source_agency is None
    assert petition.petitioner_names == "Phạm Thị Dung"
    after = row_counts()
    assert after["petitions"] - before["petitions"] == 1 and after["reception_sessions"] == 0
    page = text(officer.get(resp.headers["Location"]))
    assert f"Petition {petition.receipt_no} registered." in page
    # A denunciation: its petitioner's identity is confidential, masked on the page (see tests/privacy).
    assert petition.is_identity_confidential and "Phạm Thị Dung" not in page and "Identity protected" in page


@pytest.mark.parametrize("channel", ["transferred", "deputy", "front"])
def test_forwarded_petition_keeps_its_source(officer, world, db, channel):
    resp = officer.post(
        NEW, petition_form(world, channel=channel, source_agency="Ban Dân nguyện", source_dispatch_no="125/BDN")
    )
    assert resp.status_code == 302
    petition = db.session.execute(select(Petition)).scalar_one()
    assert (petition.channel, petition.source_agency, petition.source_dispatch_no) == (
        Channel(channel),
        "Ban Dân nguyện",
        "125/BDN",
    )


def test_anonymous_petition_has_no_petitioner(officer, world, db):
    data = petition_form(world, is_anonymous="y", full_name="", citizen_id="", ward_code="", address_line="")
    assert officer.post(NEW, data).status_code == 302
    petition = db.session.execute(select(Petition)).scalar_one()
    assert petition.is_anonymous and petition.parties == []
    assert "Anonymous" in text(officer.get(f"/petitions/{petition.id}/receipt"))


def test_petition_with_several_petitioners(officer, world, db):
    data = petition_form(world, other_petitioners="Võ Văn Em; 075200005678\nĐinh Thị Giang", signatory_count="12")
    assert officer.post(NEW, data).status_code == 302
    petition = db.session.execute(select(Petition)).scalar_one()
    assert petition.signatory_count == 12
    assert [p.full_name for p in petition.petitioners] == ["Phạm Thị Dung", "Võ Văn Em", "Đinh Thị Giang"]


BAD = [
    (
        "transferred without agency",
        {"channel": "transferred", "source_dispatch_no": "1/CV"},
        "Enter the agency that sent the petition.",
    ),
    (
        "deputy without dispatch number",
        {"channel": "deputy", "source_agency": "Đại biểu Quốc hội"},
        "Enter the number of its dispatch.",
    ),
    (
        "front without either",
        {"channel": "front"},
        ["Enter the agency that sent the petition.", "Enter the number of its dispatch."],
    ),
    ("desk channel", {"channel": "desk"}, "Choose how the petition was received."),
    (
        "received in the future",
        {"received_on": (local_today() + timedelta(days=1)).isoformat()},
        "The date received cannot be in the future.",
    ),
    ("date garbage", {"received_on": "31/02/2025"}, "Enter the date as day, month and year."),
    ("date missing", {"received_on": ""}, "Enter the date the petition was received."),
    ("signatories garbage", {"signatory_count": "mười"}, "Enter the number of signatories as a whole number."),
    ("missing name", {"full_name": ""}, "Enter the petitioner's full name (or tick “Anonymous”)."),
    (
        "anonymous with a name",
        {"is_anonymous": "y"},
        "An anonymous petition has no petitioner: clear the petitioner's details or untick “Anonymous”.",
    ),
    ("missing kind", {"kind": ""}, "Choose the kind of petition."),
    ("unknown kind", {"kind": "praise"}, "Choose a kind from the list."),
    ("missing summary", {"summary": "   "}, "Write a short summary of the petition."),
    ("bad CCCD", {"citizen_id": "12345"}, "The citizen ID (CCCD) must be exactly 12 digits."),
    ("ward of another province", {"province_code": "79"}, "This commune or ward is not in the chosen province."),
    ("signatories 0", {"signatory_count": "0"}, "Enter a whole number from 1 to 100,000."),
    (
        "fewer signatories than named",
        {"other_petitioners": "Võ Văn Em"},
        "The number of signatories is less than the number of petitioners named.",
    ),
    ("unit outside scope", {"unit_id": "TL"}, "Choose one of your units."),
]


def test_bad_input_is_refused_and_writes_nothing(officer, world, subtests):
    before = row_counts()
    for name, changes, message in BAD:  # one world for the whole matrix: each case is a subtest
        with subtests.test(name):
            if changes.get("unit_id") == "TL":
                changes = dict(changes, unit_id=str(world.units["TL"].id))
            resp = officer.post(NEW, petition_form(world, **changes))
            assert resp.status_code == 200
            page = text(resp)
            assert "The petition was not saved: correct the fields marked below." in page
            assert field_errors(page) == (message if isinstance(message, list) else [message])
            assert row_counts() == before


def test_new_petition_without_csrf_is_refused(officer, world):
    before = row_counts()
    assert officer.client.post(NEW, data=petition_form(world)).status_code == 400
    assert row_counts() == before


def test_a_second_complaint_is_registered_as_such(officer, world, db):
    from app.deadlines.models import Clock, Stage

    resp = officer.post(NEW, petition_form(world, kind="complaint", instance="2"))
    assert resp.status_code == 302
    petition = db.session.execute(select(Petition)).scalar_one()
    assert petition.instance == 2
    clock = db.session.scalars(
        select(Clock).where(Clock.petition_id == petition.id, Clock.stage == Stage.ACCEPTANCE)
    ).one()
    assert clock.rule.code == "complaint.acceptance.2.2026"  # the second instance's period (art. 36)
    page = text(officer.get(f"/petitions/{petition.id}"))
    assert "Complaint · second complaint" in page
    assert '<option selected value="2">Second instance</option>' in page  # the decision form starts from it
    resp = officer.post(NEW, petition_form(world, kind="complaint", instance="3"))
    assert "A complaint is first or second instance." in text(resp)
