"""Competence and sites: a petition outside the unit's competence records the kind of competent body
(Decree 55/2022 art. 6); a denunciation records the sites its information is verified at, which chooses
its acceptance period (Law on Denunciations 2018 art. 24, 29: 7 working days, 10 from two sites)."""

from datetime import date

import pytest
from sqlalchemy import select

from app.core.locking import UNCHECKED
from app.deadlines.models import Clock, Stage
from app.extensions import db
from app.petitions.models import CompetentBody, Petition, PetitionKind, PetitionState
from app.petitions.operations import decide_petition, record_sites
from tests.factories import create_petition
from tests.petitions.helpers import field_errors, text
from tests.petitions.test_decide import stored
from tests.petitions.test_new import NEW, petition_form

#: Monday 2 November 2026: 7 working days later is Wednesday 11 November, 10 is Monday 16 November.
RECEIVED = date(2026, 11, 2)
SEVEN, TEN = date(2026, 11, 11), date(2026, 11, 16)


def acceptance(petition_id: int) -> Clock:
    db.session.expire_all()
    return db.session.scalars(
        select(Clock).where(Clock.petition_id == petition_id, Clock.stage == Stage.ACCEPTANCE)
    ).one()


def test_a_denunciation_registered_with_several_sites_gets_ten_working_days(login_en, world, db):
    officer = login_en("reception")
    assert (
        officer.post(NEW, petition_form(world, received_on=RECEIVED.isoformat(), sites_to_verify="3")).status_code
        == 302
    )
    p = db.session.execute(select(Petition)).scalar_one()
    assert p.sites == 3
    clock = acceptance(p.id)
    assert (clock.rule.code, clock.due_on) == ("denunciation.acceptance.sites", TEN)
    assert "Sites to verify" in text(officer.get(f"/petitions/{p.id}"))


def test_one_site_and_other_kinds_keep_seven(login_en, world, db):
    officer = login_en("reception")
    form = petition_form(world, received_on=RECEIVED.isoformat(), sites_to_verify="1")
    assert officer.post(NEW, form).status_code == 302
    p = db.session.execute(select(Petition)).scalar_one()
    assert (acceptance(p.id).rule.code, acceptance(p.id).due_on) == ("denunciation.acceptance", SEVEN)
    complaint = petition_form(world, kind="complaint", received_on=RECEIVED.isoformat(), sites_to_verify="4")
    assert officer.post(NEW, complaint).status_code == 302
    c = db.session.scalars(select(Petition).where(Petition.kind == PetitionKind.COMPLAINT)).one()
    assert c.sites_to_verify is None  # sites choose a denunciation's period only


@pytest.mark.parametrize("value, message", [("0", "from 1 to 1,000"), ("x", "as a whole number")])
def test_a_bad_number_of_sites_registers_nothing(login_en, world, db, value, message):
    resp = login_en("reception").post(NEW, petition_form(world, sites_to_verify=value))
    assert any(message in e for e in field_errors(text(resp)))
    assert db.session.scalar(select(Petition.id)) is None


def test_the_preliminary_check_records_the_sites_and_the_clock_follows(login_en, world, db):
    p = create_petition(world, kind=PetitionKind.DENUNCIATION, received_on=RECEIVED)
    db.session.commit()
    assert acceptance(p.id).due_on == SEVEN
    client = login_en("reception")
    page = f"/petitions/{p.id}"
    assert 'data-testid="sites-form"' in text(client.get(page))
    resp = client.post(f"{page}/sites", {"sites": "2", "version": p.version}, token_from=page)
    assert resp.status_code == 302
    assert "Sites to verify recorded: 2." in text(client.get(page))
    clock = acceptance(p.id)
    assert (clock.rule.code, clock.due_on) == ("denunciation.acceptance.sites", TEN)
    p = db.session.get(Petition, p.id)
    assert p.events[-1].action == "sites" and "1 → 2" in p.events[-1].note
    # Back to one site: back to seven working days.
    resp = client.post(f"{page}/sites", {"sites": "1", "version": p.version}, token_from=page)
    assert resp.status_code == 302 and acceptance(p.id).due_on == SEVEN


@pytest.mark.parametrize(
    "data, message",
    [
        ({"sites": "0"}, "from 1 to 1,000"),
        ({"sites": ""}, "Enter the number of sites."),
        ({"sites": "1001"}, "from 1 to 1,000"),
        ({"sites": "2", "version": "1"}, "changed"),  # a stale form
    ],
)
def test_a_bad_or_stale_sites_form_changes_nothing(login_en, world, db, data, message):
    p = create_petition(world, kind=PetitionKind.DENUNCIATION, received_on=RECEIVED)
    record_sites(p, world.users["reception"], 3, expected_version=UNCHECKED)
    db.session.commit()
    before, due = stored(p.id), acceptance(p.id).due_on
    client = login_en("reception")
    page = f"/petitions/{p.id}"
    resp = client.post(f"{page}/sites", {"version": str(p.version), **data}, token_from=page)
    shown = text(client.get(resp.headers["Location"])) if resp.status_code == 302 else text(resp)
    assert message in shown
    assert stored(p.id) == before and acceptance(p.id).due_on == due


@pytest.mark.parametrize(
    "username, kind", [("handler", PetitionKind.DENUNCIATION), ("reception", PetitionKind.COMPLAINT)]
)
def test_only_the_desk_records_sites_of_a_received_denunciation(login_en, world, db, username, kind):
    p = create_petition(world, kind=kind, received_on=RECEIVED)
    db.session.commit()
    before = stored(p.id)
    page = f"/petitions/{p.id}"
    client = login_en(username)
    assert 'data-testid="sites-form"' not in text(client.get(page))
    assert client.post(f"{page}/sites", {"sites": "2", "version": p.version}, token_from=page).status_code == 403
    assert stored(p.id) == before


@pytest.mark.parametrize(
    "decision, details",
    [
        ("transfer", {"transferred_to": "Tòa án nhân dân khu vực 1", "transfer_dispatch_no": "12/PC"}),
        ("guide", {"guidance": "Hướng dẫn công dân khởi kiện tại Tòa án"}),
    ],
)
def test_outside_competence_the_kind_of_competent_body_is_recorded(login_en, world, db, decision, details):
    p = create_petition(world, received_on=RECEIVED)
    db.session.commit()
    client = login_en("reception")
    page = f"/petitions/{p.id}"
    data = {"decision": decision, "version": p.version, **details}
    resp = client.post(f"{page}/decide", data, token_from=page)
    assert "Choose the kind of body that is competent." in field_errors(text(resp))
    resp = client.post(f"{page}/decide", {**data, "competent_body": "judiciary"}, token_from=page)
    assert resp.status_code == 302
    db.session.expire_all()
    p = db.session.get(Petition, p.id)
    assert p.competent_body is CompetentBody.JUDICIARY and p.is_in_competence is False and p.is_eligible is True
    assert "Courts, procuracies and civil judgment enforcement bodies" in text(client.get(page))


def test_competence_and_eligibility_follow_the_decision(world, db):
    accepted = create_petition(world)
    filed = create_petition(world, kind=PetitionKind.RECOMMENDATION)
    decide_petition(
        filed,
        world.users["reception"],
        PetitionState.FILED,
        filed_reason="illegible",
        on=RECEIVED,
        expected_version=UNCHECKED,
    )
    assert (accepted.is_in_competence, accepted.is_eligible) == (None, None)  # not decided yet
    assert (filed.is_in_competence, filed.is_eligible, filed.competent_body) == (None, False, None)
