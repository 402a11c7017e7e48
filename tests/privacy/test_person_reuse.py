"""Typing a CCCD never brings back a confidential petitioner's stored identity, nor links their petitions.

Found by review: registering any petition or visit with a denunciator's CCCD used to reuse their person
row (name, phone, address) on the new, unmasked record; and the "repeated" flag linked the denunciation to
the same person's other petitions.
"""

import re

from app.cases.jobs import flag_complex_cases
from app.cases.operations import accept_petition
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today, to_local, utcnow
from app.extensions import db
from app.petitions.models import Channel, PetitionKind
from app.petitions.operations import register_petition
from tests.factories import person, subject_id
from tests.privacy.helpers import CCCD, leaked


def probe_data(world, unit):
    return {
        "unit_id": str(world.units[unit].id),
        "channel": "post",
        "received_on": local_today().isoformat(),
        "kind": "complaint",
        "subject_area_id": subject_id(),
        "full_name": "Ai Đó",
        "citizen_id": CCCD,
        "summary": "Hỏi thử",
        "signatory_count": "1",
        "province_code": "",
        "ward_code": "",
    }


def test_a_petition_typed_with_a_denunciators_cccd_shows_only_what_was_typed(login_as, denunciation, world):
    for who, unit in (("tl_reception", "TL"), ("reception", "TK")):
        c = login_as(who)
        resp = c.post("/petitions/new", probe_data(world, unit))
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        new_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
        page = c.get(f"/petitions/{new_id}").get_data(as_text=True)
        assert "Ai Đó" in page
        assert [s for s in leaked(page) if s != CCCD] == []  # the CCCD was typed; name, phone, address not
        assert [s for s in leaked(c.get(f"/api/v1/petitions/{new_id}").get_data(as_text=True)) if s != CCCD] == []
        assert [s for s in leaked(c.get(f"/petitions/{new_id}/receipt").get_data(as_text=True)) if s != CCCD] == []


def test_a_desk_visit_typed_with_a_denunciators_cccd_shows_only_what_was_typed(login_as, denunciation, world):
    c = login_as("tl_reception")
    data = {
        "unit_id": str(world.units["TL"].id),
        "received_at": to_local(utcnow()).strftime("%Y-%m-%dT%H:%M"),
        "kind": "regular",
        "full_name": "Ai Đó",
        "citizen_id": CCCD,
        "people_count": "1",
        "content": "Hỏi",
        "outcome": "guided",
        "outcome_note": "Hướng dẫn",
        "province_code": "",
        "ward_code": "",
    }
    resp = c.post("/reception/visits", data, token_from="/reception/")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    page = c.get("/reception/").get_data(as_text=True)
    assert "Ai Đó" in page and [s for s in leaked(page) if s != CCCD] == []


def test_the_same_person_in_the_same_units_is_still_one_record(world):
    """Reuse still works where nothing is hidden: two complaints of one citizen in TK share a person."""
    u = world.users["reception"]
    first = register_petition(
        unit=world.units["TK"],
        actor=u,
        received_on=local_today(),
        channel=Channel.POST,
        kind=PetitionKind.COMPLAINT,
        summary="Lần 1",
        petitioners=[person(name="Lê Văn Công", citizen_id="079111222333")],
    )
    second = register_petition(
        unit=world.units["TK"],
        actor=u,
        received_on=local_today(),
        channel=Channel.POST,
        kind=PetitionKind.COMPLAINT,
        summary="Lần 2",
        petitioners=[person(name="Lê Văn Công", citizen_id="079111222333")],
    )
    assert first.petitioners[0].id == second.petitioners[0].id


def flagged(client, flag):
    return re.findall(r'data-case="([^"]+)"', client.get(f"/cases/?flag={flag}").get_data(as_text=True))


def test_person_flags_never_link_a_denunciation_to_other_petitions(login_as, denunciation, world):
    c = login_as("reception")
    probe = register_petition(
        unit=world.units["TK"],
        actor=world.users["reception"],
        received_on=local_today(),
        channel=Channel.POST,
        kind=PetitionKind.COMPLAINT,
        summary="probe",
        petitioners=[person(name="Candidate", citizen_id=CCCD)],
    )
    accept_petition(probe, world.users["reception"], accepted_on=local_today(), expected_version=UNCHECKED)
    db.session.commit()
    flag_complex_cases(utcnow())
    db.session.commit()
    for flag in ("repeated", "over_level"):
        assert denunciation.case.number not in flagged(c, flag)
        assert denunciation.case.number not in flagged(login_as("head"), flag)


def test_repeated_complaints_of_one_citizen_are_still_flagged_across_person_rows(login_as, world):
    """Two complaints with one CCCD, one registered in TK and one in TL (separate person rows)."""
    for unit, actor in (("TK", "reception"), ("TL", "tl_reception")):
        p = register_petition(
            unit=world.units[unit],
            actor=world.users[actor],
            received_on=local_today(),
            channel=Channel.POST,
            kind=PetitionKind.COMPLAINT,
            summary=f"Lần {unit}",
            petitioners=[person(name="Lê Văn Công", citizen_id="079111222333")],
        )
        accept_petition(p, world.users[actor], accepted_on=local_today(), expected_version=UNCHECKED)
    db.session.commit()
    flag_complex_cases(utcnow())
    db.session.commit()
    assert len(flagged(login_as("reception"), "repeated")) == 1
    assert len(flagged(login_as("admin"), "over_level")) == 2
