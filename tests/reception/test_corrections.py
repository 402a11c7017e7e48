"""Corrections of saved visits, petitions and persons: the fields that may change, optimistic locking, an
event with the values before and after (masked for a confidential identity), and the decided subject area
locked but for a head with a reason."""

import json
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core.locking import UNCHECKED
from app.core.timeutil import local_to_utc, local_today, utcnow
from app.deadlines.models import Clock
from app.persons.models import Person
from app.petitions.models import FiledReason, Petition, PetitionEvent, PetitionKind, PetitionState
from app.petitions.operations import decide_petition
from app.reception.models import ReceptionKind, ReceptionOutcome, ReceptionSession
from app.reception.operations import record_visit
from app.subjects.queries import active_subjects
from tests.factories import create_case, create_petition, person
from tests.petitions.helpers import row_counts, text


def audit(db, action):
    db.session.rollback()
    return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars())


@pytest.fixture
def visit(world, db):
    session, _ = record_visit(
        unit=world.units["TK"],
        actor=world.users["reception"],
        received_at=utcnow() - timedelta(days=2),
        kind=ReceptionKind.REGULAR,
        visitors=[person("Nguyễn Văn Anh", "079123456780")],
        people_count=1,
        content="Hỏi thủ tục cấp sổ",
        outcome=ReceptionOutcome.GUIDED,
        outcome_note="Hướng dẫn đến bộ phận một cửa",
    )
    db.session.commit()
    return session


def person_form(p, **changes):
    data = {
        "full_name": p.full_name,
        "citizen_id": p.citizen_id or "",
        "phone": p.phone or "",
        "province_code": str(p.province_code or ""),
        "ward_code": str(p.ward_code or ""),
        "address_line": p.address_line or "",
        "version": str(p.version),
    }
    data.update(changes)
    return data


# --- Persons ---------------------------------------------------------------------------------------------


def test_a_mistyped_name_and_cccd_are_corrected_everywhere_with_the_values_kept(login_en, world, db):
    petition = create_petition(world, petitioners=[person("Nguyễn Văn Anh", "079123456780")])
    db.session.commit()
    who = petition.petitioners[0]
    desk = login_en("reception")
    url = f"/persons/{who.id}/edit?next=/petitions/{petition.id}"
    page = text(desk.get(url))
    assert 'value="Nguyễn Văn Anh"' in page and petition.receipt_no in page
    resp = desk.post(url, person_form(who, full_name="Nguyễn Văn An", citizen_id="079123456789"), token_from=url)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/petitions/{petition.id}")
    db.session.rollback()
    fixed = db.session.get(Person, who.id)
    assert (fixed.full_name, fixed.citizen_id, fixed.name_folded) == ("Nguyễn Văn An", "079123456789", "nguyen van an")
    (event,) = audit(db, "person.correct")
    assert json.loads(event.detail)["changes"] == {
        "citizen_id": ["079123456780", "079123456789"],
        "full_name": ["Nguyễn Văn Anh", "Nguyễn Văn An"],
    }
    # The petition's search finds the corrected name; its timeline says a petitioner was corrected.
    assert petition.receipt_no in text(desk.get("/petitions/?q=nguyen+van+an"))
    assert "A petitioner's details corrected" in text(desk.get(f"/petitions/{petition.id}"))


def test_a_stale_person_form_is_refused(login_en, world, db):
    petition = create_petition(world)
    db.session.commit()
    who = petition.petitioners[0]
    desk = login_en("reception")
    url = f"/persons/{who.id}/edit"
    old = person_form(who, full_name="Tên Thứ Nhất")
    assert desk.post(url, old, token_from=url).status_code == 302
    before = row_counts()
    resp = desk.post(url, {**old, "full_name": "Tên Thứ Hai"}, token_from=url)  # the version it was opened at
    assert resp.status_code == 200 and "Someone else changed this record after you opened it" in text(resp)
    db.session.rollback()
    assert db.session.get(Person, who.id).full_name == "Tên Thứ Nhất"
    assert row_counts() == before


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"full_name": ""}, "Enter the full name."),
        ({"citizen_id": "12345"}, "must be exactly 12 digits"),
        ({"version": ""}, "sent without the version"),
        ({}, "Nothing was changed."),
    ],
)
def test_bad_person_corrections_change_nothing(login_en, world, db, changes, message):
    petition = create_petition(world)
    db.session.commit()
    who = petition.petitioners[0]
    desk = login_en("reception")
    url = f"/persons/{who.id}/edit"
    before = row_counts()
    resp = desk.post(url, person_form(who, **changes), token_from=url)
    assert resp.status_code == 200 and message in text(resp)
    assert row_counts() == before


def test_a_confidential_person_is_corrected_only_once_revealed_and_the_values_are_not_logged(login_en, world, db):
    petition = create_petition(
        world,
        kind=PetitionKind.DENUNCIATION,
        petitioners=[person("Phạm Thị Tố", "079555000111")],
        is_identity_confidential=True,
    )
    db.session.commit()
    who = petition.petitioners[0]
    head = login_en("head")
    url = f"/persons/{who.id}/edit"
    page = text(head.get(url))
    assert 'data-testid="correction-refused"' in page and "Phạm Thị Tố" not in page
    resp = head.post(url, person_form(who, full_name="Phạm Thị Tú"), token_from=f"/petitions/{petition.id}")
    assert resp.status_code == 200
    db.session.rollback()
    assert db.session.get(Person, who.id).full_name == "Phạm Thị Tố"
    # Revealed (the head of the unit is entitled), the correction is made; the log names fields only.
    resp = head.post(
        f"/privacy/petitions/{petition.id}/reveal",
        {"reason": "Sửa tên gõ nhầm"},
        token_from=f"/petitions/{petition.id}",
    )
    assert resp.status_code == 302, text(resp)
    resp = head.post(url, person_form(who, full_name="Phạm Thị Tú"), token_from=url)
    assert resp.status_code == 302, re.findall(r'role="alert"[^>]*>([^<]+)', text(resp))
    (event,) = audit(db, "person.correct")
    assert json.loads(event.detail) == {"fields": ["full_name"], "masked": True}
    assert "Phạm" not in event.detail


def test_a_person_on_another_units_records_is_not_corrected_from_below(login_en, world, db):
    shared = person("Trần Văn Chung", "079777000111")
    create_petition(world, petitioners=[shared])
    create_petition(world, unit="DN", actor="phead", petitioners=[shared])  # the province reuses the person
    db.session.commit()
    who = db.session.execute(select(Person).where(Person.citizen_id == "079777000111")).scalar_one()
    page = text(login_en("reception").get(f"/persons/{who.id}/edit"))
    assert "also appears on records of other units" in page
    assert 'data-testid="person-correction"' in text(login_en("phead").get(f"/persons/{who.id}/edit"))
    assert login_en("handler").get(f"/persons/{who.id}/edit").status_code == 403  # not a reception role


def test_a_person_outside_the_users_units_is_not_found(login_en, world, db):
    petition = create_petition(world, unit="TL", actor="tl_reception")
    db.session.commit()
    assert login_en("reception").get(f"/persons/{petition.petitioners[0].id}/edit").status_code == 404


# --- Visits ----------------------------------------------------------------------------------------------


def visit_form(world, v, **changes):
    from app.core.timeutil import to_local

    data = {
        "received_at": to_local(v.received_at).strftime("%Y-%m-%dT%H:%M"),
        "kind": v.kind.value,
        "host_id": str(v.host_id),
        "people_count": str(v.people_count),
        "content": v.content,
        "outcome_note": v.outcome_note or "",
        "version": str(v.version),
    }
    data.update(changes)
    return data


def test_a_visit_is_corrected_with_its_values_before_and_after(login_en, world, db, visit):
    desk = login_en("reception")
    url = f"/reception/visits/{visit.id}/edit"
    form = visit_form(world, visit, kind="periodic", host_id=str(world.users["head"].id), people_count="6")
    resp = desk.post(url, form, token_from=url)
    assert resp.status_code == 302
    db.session.rollback()
    v = db.session.get(ReceptionSession, visit.id)
    assert (v.kind, v.host_id, v.people_count, v.is_delegation) == (
        ReceptionKind.PERIODIC,
        world.users["head"].id,
        6,
        True,
    )
    changes = json.loads(audit(db, "visit.correct")[0].detail)["changes"]
    assert changes["kind"] == ["regular", "periodic"] and changes["people_count"] == [1, 6]
    assert 'data-testid="correct-visit"' in desk.get("/reception/register").get_data(as_text=True)


def test_a_periodic_visit_still_needs_a_head(login_en, world, db, visit):
    desk = login_en("reception")
    url = f"/reception/visits/{visit.id}/edit"
    before = row_counts()
    resp = desk.post(url, visit_form(world, visit, kind="periodic"), token_from=url)
    assert resp.status_code == 200 and "A periodic reception is the head's" in text(resp)
    assert row_counts() == before


def test_a_visit_of_another_unit_is_not_found(login_en, world, visit):
    assert login_en("tl_reception").get(f"/reception/visits/{visit.id}/edit").status_code == 404


# --- Petitions -------------------------------------------------------------------------------------------


def petition_form(p, **changes):
    data = {
        "summary": p.summary,
        "content": p.content,
        "source_agency": p.source_agency or "",
        "source_dispatch_no": p.source_dispatch_no or "",
        "signatory_count": str(p.signatory_count),
        "subject_area_id": str(p.subject_area_id or ""),
        "reason": "",
        "version": str(p.version),
    }
    data.update(changes)
    return data


def test_a_petition_summary_is_corrected_and_the_timeline_says_so(login_en, world, db):
    petition = create_petition(world)
    db.session.commit()
    desk = login_en("reception")
    url = f"/petitions/{petition.id}/edit"
    resp = desk.post(
        url, petition_form(petition, summary="Khiếu nại quyết định thu hồi đất nông nghiệp"), token_from=url
    )
    assert resp.status_code == 302
    db.session.rollback()
    (event,) = audit(db, "petition.correct")
    assert json.loads(event.detail)["changes"]["summary"][1] == "Khiếu nại quyết định thu hồi đất nông nghiệp"
    assert (
        db.session.execute(select(PetitionEvent.action).where(PetitionEvent.petition_id == petition.id))
        .scalars()
        .all()[-1]
        == "correct"
    )
    page = text(desk.get(f"/petitions/{petition.id}"))
    assert "Corrected" in page and 'data-testid="correct-petition"' in page


def test_the_subject_area_of_a_decided_petition_is_the_heads_with_a_reason(login_en, world, db):
    petition = create_petition(world, kind=PetitionKind.RECOMMENDATION)
    petition.state = PetitionState.FILED  # decided (the decision's own checks are tested elsewhere)
    petition.filed_reason = FiledReason.DUPLICATE
    db.session.commit()

    area = next(a for a in active_subjects() if a.id != petition.subject_area_id)
    url = f"/petitions/{petition.id}/edit"
    desk = login_en("reception")
    before = row_counts()
    resp = desk.post(url, petition_form(petition, subject_area_id=str(area.id)), token_from=url)
    assert resp.status_code == 200 and "only a head corrects what its decision rests on" in text(resp)
    head = login_en("head")
    resp = head.post(url, petition_form(petition, subject_area_id=str(area.id)), token_from=url)
    assert resp.status_code == 200 and "Give the reason" in text(resp)
    assert row_counts() == before
    resp = head.post(
        url, petition_form(petition, subject_area_id=str(area.id), reason="Phân loại nhầm lĩnh vực"), token_from=url
    )
    assert resp.status_code == 302
    (event,) = audit(db, "petition.correct")
    assert event.reason == "Phân loại nhầm lĩnh vực"
    # The summary stays the reception officer's to correct, without a reason.
    db.session.rollback()
    fresh = db.session.get(type(petition), petition.id)
    resp = desk.post(url, petition_form(fresh, summary="Kiến nghị sửa lại"), token_from=url)
    assert resp.status_code == 302


def clocks_of(db, petition) -> dict[str, Clock]:
    db.session.rollback()
    rows = db.session.execute(select(Clock).where(Clock.petition_id == petition.id).order_by(Clock.id)).scalars()
    return {c.stage.value: c for c in rows}


def test_the_date_received_and_kind_of_a_received_petition_are_corrected_and_its_clocks_follow(login_en, world, db):
    received = date(local_today().year - 1, 6, 20)  # a past day whose week before is in the same year
    petition = create_petition(world, kind=PetitionKind.RECOMMENDATION, received_on=received)
    db.session.commit()
    before = {stage: (c.id, c.due_on) for stage, c in clocks_of(db, petition).items()}
    assert set(before) == {"first_answer", "classification"}  # a recommendation has no acceptance clock
    earlier = received - timedelta(days=7)
    desk = login_en("reception")
    url = f"/petitions/{petition.id}/edit"
    form = petition_form(petition, received_on=earlier.strftime("%d/%m/%Y"), kind="denunciation")
    assert desk.post(url, form, token_from=url).status_code == 302
    db.session.rollback()
    fresh = db.session.get(Petition, petition.id)
    assert fresh.kind is PetitionKind.DENUNCIATION and fresh.received_on == earlier
    assert fresh.is_identity_confidential  # a denunciator's identity is protected from then on
    after = clocks_of(db, petition)
    assert set(after) == {"first_answer", "classification", "acceptance"}
    assert all(c.started_on == earlier and c.is_open for c in after.values())  # still to decide
    assert after["first_answer"].id == before["first_answer"][0]  # the same clock, moved
    assert after["first_answer"].due_on < before["first_answer"][1]
    assert after["acceptance"].rule.kind.value == "denunciation"
    (event,) = audit(db, "petition.correct")
    changes = json.loads(event.detail)["changes"]
    assert changes["kind"] == ["recommendation", "denunciation"] and changes["received_on"][1] == earlier.isoformat()


def test_a_decided_petitions_date_and_kind_are_the_heads_and_its_deadlines_are_counted_again(login_en, world, db):
    received = date(local_today().year - 1, 6, 10)
    decided = date(local_today().year - 1, 6, 12)  # the decision's own day, not the day it is corrected
    petition = create_petition(world, kind=PetitionKind.RECOMMENDATION, received_on=received)
    decide_petition(petition, world.users["reception"], PetitionState.TRANSFERRED, expected_version=UNCHECKED,
                    transferred_to="Sở Tài nguyên và Môi trường", on=decided)  # fmt: skip
    db.session.commit()
    assert {k: c.status.value for k, c in clocks_of(db, petition).items()} == {
        "first_answer": "done", "classification": "done"}  # fmt: skip
    url = f"/petitions/{petition.id}/edit"
    form = petition_form(petition, kind="complaint", instance="1")
    before = row_counts()
    page = text(login_en("reception").post(url, form, token_from=url))
    assert "only a head corrects what its decision rests on" in page and row_counts() == before
    head = login_en("head")
    assert "Give the reason" in text(head.post(url, form, token_from=url)) and row_counts() == before
    resp = head.post(url, {**form, "reason": "Vào sổ nhầm loại đơn"}, token_from=url)
    assert resp.status_code == 302
    clocks = clocks_of(db, petition)
    # The complaint's acceptance clock exists now, ended as a transferred petition's is (no longer applies)
    # on the decision day; the answer stays done on that day.
    assert clocks["acceptance"].status.value == "cancelled" and clocks["acceptance"].completed_on == decided
    assert clocks["first_answer"].status.value == "done" and clocks["first_answer"].completed_on == decided
    assert db.session.get(Petition, petition.id).instance == 1


def test_a_kind_corrected_and_corrected_back_has_its_clocks_running_again(login_en, world, db):
    petition = create_petition(world, kind=PetitionKind.COMPLAINT)
    db.session.commit()
    url = f"/petitions/{petition.id}/edit"
    desk = login_en("reception")
    assert desk.post(url, petition_form(petition, kind="recommendation"), token_from=url).status_code == 302
    assert clocks_of(db, petition)["acceptance"].status.value == "cancelled"
    fresh = db.session.get(Petition, petition.id)
    assert desk.post(url, petition_form(fresh, kind="complaint", instance="1"), token_from=url).status_code == 302
    clocks = clocks_of(db, petition)
    assert {k: c.status.value for k, c in clocks.items()} == {
        "first_answer": "running", "classification": "running", "acceptance": "running"}  # fmt: skip
    assert clocks["acceptance"].completed_on is None


def test_a_petition_corrected_into_a_denunciation_gets_its_own_person_rows(login_en, world, db):
    other = create_petition(world, kind=PetitionKind.RECOMMENDATION, summary="Kiến nghị cấp sổ đỏ")
    later = create_petition(world, kind=PetitionKind.COMPLAINT, summary="Tố giác chủ tịch xã nhận hối lộ")
    shared = other.petitioners[0].id
    assert later.petitioners[0].id == shared  # one CCCD, one person row
    db.session.commit()
    url = f"/petitions/{later.id}/edit"
    assert login_en("reception").post(url, petition_form(later, kind="denunciation"), token_from=url).status_code == 302
    db.session.rollback()
    fresh = db.session.get(Petition, later.id)
    assert fresh.is_identity_confidential and fresh.petitioners[0].id != shared
    assert fresh.petitioners[0].citizen_id == other.petitioners[0].citizen_id  # the same details, its own row
    # The shared row's page (from the recommendation) no longer lists the denunciation.
    page = text(login_en("reception").get(f"/persons/{shared}/edit?next=/"))
    assert later.receipt_no not in page and "Tố giác" not in page


def test_a_decided_first_complaint_registered_without_an_instance_is_still_the_officers_to_correct(login_en, world, db):
    petition = create_petition(world, kind=PetitionKind.COMPLAINT)
    assert petition.instance is None
    decide_petition(petition, world.users["reception"], PetitionState.GUIDED, expected_version=UNCHECKED,
                    guidance="Đến Tòa án", on=local_today())  # fmt: skip
    db.session.commit()
    url = f"/petitions/{petition.id}/edit"
    form = petition_form(petition, summary="Khiếu nại đã hướng dẫn", kind="complaint", instance="1")
    resp = login_en("reception").post(url, form, token_from=url)
    assert resp.status_code == 302
    (event,) = audit(db, "petition.correct")
    assert set(json.loads(event.detail)["changes"]) == {"summary"}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"received_on": "01/01/2001"}, "stays in"),
        ({"received_on": "31/12/2999"}, "cannot be in the future"),
        ({"kind": "rumour"}, "Choose a kind from the list"),
    ],
)
def test_bad_corrections_of_the_date_received_or_kind_change_nothing(login_en, world, db, changes, message):
    petition = create_petition(world)
    db.session.commit()
    url = f"/petitions/{petition.id}/edit"
    before = row_counts()
    page = text(login_en("reception").post(url, petition_form(petition, **changes), token_from=url))
    assert message in page and row_counts() == before


def test_a_petition_decided_before_the_corrected_date_is_refused(login_en, world, db):
    year = local_today().year - 1
    petition = create_petition(world, kind=PetitionKind.RECOMMENDATION, received_on=date(year, 6, 10))
    decide_petition(petition, world.users["reception"], PetitionState.GUIDED, expected_version=UNCHECKED,
                    guidance="Đến Tòa án", on=date(year, 6, 12))  # fmt: skip
    petition.decided_at = local_to_utc(datetime(year, 6, 12, 9, 0))
    db.session.commit()
    url = f"/petitions/{petition.id}/edit"
    before = row_counts()
    form = petition_form(petition, received_on=f"15/06/{year}", reason="Sửa ngày")
    assert "cannot be after the processing decision" in text(login_en("head").post(url, form, token_from=url))
    assert row_counts() == before


def test_an_accepted_petitions_date_and_kind_are_its_cases(login_en, world, db):
    case = create_case(world)
    petition = case.petitions[0]
    db.session.commit()
    url = f"/petitions/{petition.id}/edit"
    page = text(login_en("head").get(url))
    assert 'data-testid="case-lock"' in page
    before = row_counts()
    form = petition_form(petition, kind="recommendation", reason="Nhầm loại")
    page = text(login_en("head").post(url, form, token_from=url))
    assert "A case was opened on this petition" in page and row_counts() == before
