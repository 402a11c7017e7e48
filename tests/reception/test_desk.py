"""The reception desk: recording a visit (and the petition it brings) through the quick form."""

from datetime import date

import pytest
from sqlalchemy import select

from app.core.timeutil import local_today, to_local
from app.persons.models import Person
from app.petitions.models import Channel, Petition, PetitionKind, PetitionState
from app.reception.models import ReceptionOutcome, ReceptionSession, RefusalReason
from tests.factories import person, subject_id
from tests.petitions.helpers import field_errors, local_now_input, row_counts, text

DESK = "/reception/"
POST_URL = "/reception/visits"


@pytest.fixture
def desk(login_en):
    return login_en("reception")


def visit(world, **changes) -> dict:
    """A valid desk form: one visitor handing in a complaint."""
    data = {
        "unit_id": str(world.units["TK"].id),
        "received_at": local_now_input(),
        "kind": "regular",
        "full_name": "Nguyễn Văn An",
        "citizen_id": "079123456789",
        "phone": "0912 345 678",
        "province_code": "75",
        "ward_code": "25357",
        "address_line": "Tổ 3, ấp Tân Hưng",
        "people_count": "1",
        "representatives": "",
        "content": "Khiếu nại việc thu hồi đất nông nghiệp.",
        "outcome": "petition_received",
        "refusal_reason": "",
        "outcome_note": "",
        "petition_kind": "complaint",
        "subject_area_id": subject_id(),
        "petition_summary": "Khiếu nại quyết định thu hồi đất",
    }
    data.update(changes)
    return data


def test_desk_shows_the_form_with_defaults(desk, world):
    resp = desk.get(DESK)
    assert resp.status_code == 200
    page = text(resp)
    assert 'name="csrf_token"' in page
    # Default unit, province and its wards without any JS.
    assert f'<option selected value="{world.units["TK"].id}">' in page
    assert '<option selected value="75">Đồng Nai</option>' in page
    assert '<option value="25357">Xã Tân Khai</option>' in page
    assert 'data-wards-url="/persons/wards"' in page
    assert "/static/address.js" in page
    assert "No visits recorded today yet." in page


@pytest.mark.parametrize(
    "username, status",
    [("reception", 200), ("head", 200), ("phead", 200), ("handler", 403), ("inspector", 403), ("admin", 403)],
)
def test_desk_is_for_reception_and_heads(login_as, username, status):
    assert login_as(username).get(DESK).status_code == status


def test_desk_requires_login(client, world):
    resp = client.get(DESK)
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_record_visit_with_petition_creates_rows_and_shows_the_slip(desk, world, db):
    before = row_counts()
    resp = desk.post(POST_URL, visit(world), token_from=DESK)
    assert resp.status_code == 302
    petition = db.session.execute(select(Petition)).scalar_one()
    assert resp.headers["Location"].endswith(f"/petitions/{petition.id}/receipt")
    year = local_today().year
    assert petition.receipt_no == f"TK-{year}-000001"
    assert (petition.channel, petition.kind, petition.state) == (
        Channel.DESK,
        PetitionKind.COMPLAINT,
        PetitionState.RECEIVED,
    )
    assert petition.summary == "Khiếu nại quyết định thu hồi đất"
    session = petition.reception_session
    assert session.outcome is ReceptionOutcome.PETITION_RECEIVED
    assert session.host_id == world.users["reception"].id
    assert session.people_count == 1 and not session.is_delegation
    person = db.session.execute(select(Person)).scalar_one()  # one person, shared by visit and petition
    assert (person.full_name, person.citizen_id, person.ward_code, person.province_code) == (
        "Nguyễn Văn An",
        "079123456789",
        25357,
        75,
    )
    assert petition.petitioners == [person] and [v.person for v in session.visitors] == [person]
    after = row_counts()
    assert {k: after[k] - before[k] for k in after} == {
        "reception_sessions": 1,
        "reception_visitors": 1,
        "persons": 1,
        "petitions": 1,
        "petition_parties": 1,
        "petition_events": 1,
        "sequence_counters": 1,
    }

    slip = text(desk.get(resp.headers["Location"]))
    assert f'data-testid="receipt-no">TK-{year}-000001<' in slip
    assert "PETITION RECEIPT" in slip and "Nguyễn Văn An" in slip and "Nguyễn Thị Tiếp" in slip
    assert 'data-action="print"' in slip and "/static/print.js" in slip

    page = text(desk.get(DESK))
    assert "Nguyễn Văn An" in page and f"TK-{year}-000001" in page


def test_receipt_numbers_are_consecutive_per_unit_and_year(desk, login_en, world, db):
    year = local_today().year
    for _ in range(2):
        assert desk.post(POST_URL, visit(world, citizen_id=""), token_from=DESK).status_code == 302
    tl = login_en("tl_reception")
    assert (
        tl.post(POST_URL, visit(world, unit_id=str(world.units["TL"].id), citizen_id=""), token_from=DESK).status_code
        == 302
    )
    last_year = f"{year - 1}-12-31T09:00"
    assert desk.post(POST_URL, visit(world, received_at=last_year, citizen_id=""), token_from=DESK).status_code == 302
    assert desk.post(POST_URL, visit(world, citizen_id=""), token_from=DESK).status_code == 302
    numbers = db.session.execute(select(Petition.receipt_no).order_by(Petition.id)).scalars().all()
    assert numbers == [
        f"TK-{year}-000001",
        f"TK-{year}-000002",
        f"TL-{year}-000001",
        f"TK-{year - 1}-000001",
        f"TK-{year}-000003",
    ]


def test_delegation_of_seven_with_two_more_representatives(desk, world, db):
    data = visit(
        world,
        people_count="7",
        kind="periodic",
        host_id=str(world.users["head"].id),  # a periodic reception is the head's
        representatives="Trần Thị Bình; 079987654321\n\n  Lê Văn Cường  \n",
    )
    resp = desk.post(POST_URL, data, token_from=DESK)
    assert resp.status_code == 302
    session = db.session.execute(select(ReceptionSession)).scalar_one()
    assert session.is_delegation and session.people_count == 7
    names = [(v.person.full_name, v.person.citizen_id, v.is_representative) for v in session.visitors]
    assert sorted(names) == sorted(
        [("Nguyễn Văn An", "079123456789", True), ("Trần Thị Bình", "079987654321", True), ("Lê Văn Cường", None, True)]
    )
    petition = session.petitions[0]
    assert petition.signatory_count == 7 and len(petition.parties) == 3
    assert db.session.scalar(select(db.func.count()).select_from(Person)) == 3
    page = text(desk.get(DESK))
    assert "Delegation of 7 people" in page and "Lê Văn Cường" in page


@pytest.mark.parametrize(
    "outcome, extra, note",
    [
        ("guided", {"outcome_note": "Hướng dẫn gửi đơn đến Tòa án nhân dân khu vực"}, "Tòa án"),
        ("referred", {"outcome_note": "Chuyển Thanh tra tỉnh"}, "Thanh tra tỉnh"),
        ("refused", {"refusal_reason": "disorder", "outcome_note": "Có hành vi gây rối"}, "gây rối"),
    ],
)
def test_visit_without_petition_returns_to_the_desk(desk, world, db, outcome, extra, note):
    resp = desk.post(POST_URL, visit(world, outcome=outcome, petition_kind="", **extra), token_from=DESK)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(DESK)
    session = db.session.execute(select(ReceptionSession)).scalar_one()
    assert session.outcome is ReceptionOutcome(outcome) and note in session.outcome_note
    if outcome == "refused":
        assert session.refusal_reason is RefusalReason.DISORDER
    assert db.session.scalar(select(db.func.count()).select_from(Petition)) == 0
    page = text(desk.get(DESK))
    assert "Visit recorded." in page and ReceptionOutcome(outcome).label in page


def test_visit_recorded_for_a_unit_below(login_en, world, db):
    head = login_en("head")
    resp = head.post(POST_URL, visit(world, unit_id=str(world.units["TKVP"].id)), token_from=DESK)
    assert resp.status_code == 302
    petition = db.session.execute(select(Petition)).scalar_one()
    assert petition.receipt_no.startswith("TKVP-")
    assert petition.reception_session.host_id == world.users["head"].id


def test_visit_time_is_stored_in_utc(desk, world, db):
    assert desk.post(POST_URL, visit(world, received_at="2025-03-10T08:30"), token_from=DESK).status_code == 302
    session = db.session.execute(select(ReceptionSession)).scalar_one()
    assert to_local(session.received_at).strftime("%Y-%m-%d %H:%M") == "2025-03-10 08:30"
    assert session.received_at.hour == 1
    petition = session.petitions[0]
    assert petition.received_on == date(2025, 3, 10) and petition.receipt_no == "TK-2025-000001"


BAD_INPUTS = [
    ("missing name", {"full_name": "  "}, "Enter the visitor's full name."),
    ("CCCD of 11 digits", {"citizen_id": "07912345678"}, "The citizen ID (CCCD) must be exactly 12 digits."),
    ("CCCD with letters", {"citizen_id": "07912345678A"}, "The citizen ID (CCCD) must be exactly 12 digits."),
    ("ward not in province", {"province_code": "1"}, "This commune or ward is not in the chosen province."),
    ("unknown ward", {"ward_code": "99999999"}, "This commune or ward is not in the chosen province."),
    ("unknown province", {"province_code": "999"}, "Choose a province from the list."),
    ("ward without province", {"province_code": ""}, "Choose the province before the commune or ward."),
    (
        "refused without reason",
        {"outcome": "refused", "petition_kind": ""},
        "Choose the legal reason for refusing reception.",
    ),
    (
        "refused with an unknown reason",
        {"outcome": "refused", "refusal_reason": "bored"},
        "Choose a reason from the list.",
    ),
    ("petition without kind", {"petition_kind": ""}, "Choose the kind of petition received."),
    (
        "guided without guidance",
        {"outcome": "guided"},
        "Write the guidance given or the body the citizens were referred to.",
    ),
    ("people count 0", {"people_count": "0"}, "Enter a whole number from 1 to 100,000."),
    ("people count garbage", {"people_count": "many"}, "Enter the number of people as a whole number."),
    ("people count negative", {"people_count": "-4"}, "Enter a whole number from 1 to 100,000."),
    (
        "fewer people than named",
        {"people_count": "2", "representatives": "Trần Thị Bình\nLê Văn Cường"},
        "The number of people is less than the number of people named.",
    ),
    ("date missing", {"received_at": ""}, "Enter the date and time of the visit."),
    ("date garbage", {"received_at": "hôm qua"}, "Enter the date and time as day, month, year, hour and minute."),
    (
        "impossible date",
        {"received_at": "2026-02-30T10:00"},
        "Enter the date and time as day, month, year, hour and minute.",
    ),
    ("date in the future", {"received_at": "2999-01-01T10:00"}, "The visit cannot be in the future."),
    ("missing content", {"content": ""}, "Describe what the citizens raised."),
    ("unknown kind of reception", {"kind": "weekly"}, "Choose the kind of reception."),
    ("unknown outcome", {"outcome": "ignored"}, "Choose the outcome of the visit."),
    ("unit outside scope", {"unit_id": "TL"}, "Choose one of your units."),
    (
        "representative without name",
        {"people_count": "6", "representatives": "; 079987654321"},
        "Line 1: the full name is missing.",
    ),
    (
        "representative with bad CCCD",
        {"people_count": "6", "representatives": "Trần Thị Bình\nLê Cường; 123"},
        "Line 2: the citizen ID (CCCD) must be exactly 12 digits.",
    ),
    (
        "representative line with three parts",
        {"people_count": "6", "representatives": "A; 079987654321; x"},
        "Line 1: write “Full name” or “Full name; CCCD”.",
    ),
    (
        "same CCCD twice",
        {"people_count": "6", "representatives": "Trần Thị Bình; 079123456789"},
        "The citizen ID 079123456789 is entered twice.",
    ),
    ("bad phone", {"phone": "call me"}, "Enter a valid phone number (digits, 8 to 15 characters)."),
    ("summary too long", {"petition_summary": "x" * 501}, None),
]


def test_bad_input_rerenders_with_the_message_and_writes_nothing(desk, world, subtests):
    before = row_counts()
    for name, changes, message in BAD_INPUTS:  # one world for the whole matrix: each case is a subtest
        with subtests.test(name):
            if changes.get("unit_id") == "TL":
                changes = dict(changes, unit_id=str(world.units["TL"].id))
            resp = desk.post(POST_URL, visit(world, **changes), token_from=DESK)
            assert resp.status_code == 200
            page = text(resp)
            assert "The visit was not saved: correct the fields marked below." in page
            errors = field_errors(page)
            assert errors, "no message next to a field"
            if message:
                assert errors == [message]
            # What the officer typed is kept.
            assert 'value="Khiếu nại quyết định thu hồi đất"' in page or "petition_summary" in changes
            assert row_counts() == before


def test_post_without_csrf_token_is_refused(desk, world):
    before = row_counts()
    resp = desk.client.post(POST_URL, data=visit(world))
    assert resp.status_code == 400
    assert row_counts() == before


def test_visit_posted_for_another_units_scope_is_refused(login_en, world):
    tl = login_en("tl_reception")
    before = row_counts()
    resp = tl.post(POST_URL, visit(world), token_from=DESK)  # unit TK is not TL's
    assert resp.status_code == 200 and "Choose one of your units." in field_errors(text(resp))
    assert row_counts() == before


def test_desk_lists_only_todays_visits_of_the_subtree(desk, login_en, world):
    assert desk.post(POST_URL, visit(world, full_name="Người Hôm Nay"), token_from=DESK).status_code == 302
    assert (
        desk.post(
            POST_URL,
            visit(world, full_name="Người Năm Ngoái", citizen_id="", received_at="2024-05-02T09:00"),
            token_from=DESK,
        ).status_code
        == 302
    )
    tl = login_en("tl_reception")
    assert (
        tl.post(
            POST_URL,
            visit(world, full_name="Người Thanh Lương", citizen_id="", unit_id=str(world.units["TL"].id)),
            token_from=DESK,
        ).status_code
        == 302
    )
    page = text(desk.get(DESK))
    assert "Người Hôm Nay" in page
    assert "Người Năm Ngoái" not in page and "Người Thanh Lương" not in page
    province = text(login_en("phead").get(DESK))
    assert "Người Hôm Nay" in province and "Người Thanh Lương" in province


@pytest.fixture
def resolved_case(world, db):
    from app.cases.models import CaseState
    from tests.factories import create_case

    case = create_case(world, CaseState.CLOSED)  # a complaint whose decision took legal effect
    open_case = create_case(world, CaseState.ASSIGNED, petitioners=[person("Lê Văn Cường", "079000000555")])
    db.session.commit()
    return case, open_case


@pytest.mark.parametrize(
    "case_no, message",
    [
        ("", "Give the number of the case already resolved."),
        ("TK-VV-1999-00001", "No case with this number in your units."),
        ("open", "has no decision in force: the matter is not resolved yet."),
    ],
)
def test_refusing_a_matter_already_resolved_names_a_case_in_force(desk, world, resolved_case, case_no, message):
    case, open_case = resolved_case
    before = row_counts()
    data = visit(
        world,
        outcome="refused",
        refusal_reason="already_resolved",
        petition_kind="",
        subject_area_id="",
        earlier_case_no=open_case.number if case_no == "open" else case_no,
    )
    resp = desk.post(POST_URL, data, token_from=DESK)
    assert any(message in e for e in field_errors(text(resp)))
    assert row_counts() == before


def test_a_reception_refused_as_already_resolved_links_the_case(desk, world, db, resolved_case):
    case, _open = resolved_case
    data = visit(
        world,
        outcome="refused",
        refusal_reason="already_resolved",
        petition_kind="",
        subject_area_id="",
        earlier_case_no=case.number.lower(),
    )
    assert desk.post(POST_URL, data, token_from=DESK).status_code == 302
    session = db.session.scalars(
        select(ReceptionSession).where(ReceptionSession.outcome == ReceptionOutcome.REFUSED)
    ).one()
    assert session.earlier_case_id == case.id
    page = text(desk.get(DESK))
    assert f'href="/cases/{case.id}">{case.number}</a>' in page


def test_the_desk_registers_a_second_complaint_and_a_denunciations_sites(desk, world, db):
    from app.deadlines.models import Clock, Stage
    from app.petitions.models import Petition

    assert desk.post(POST_URL, visit(world, petition_instance="2"), token_from=DESK).status_code == 302
    complaint = db.session.scalars(select(Petition).where(Petition.kind == PetitionKind.COMPLAINT)).one()
    assert complaint.instance == 2
    data = visit(world, petition_kind="denunciation", petition_sites="3", citizen_id="079000000444")
    assert desk.post(POST_URL, data, token_from=DESK).status_code == 302
    denunciation = db.session.scalars(select(Petition).where(Petition.kind == PetitionKind.DENUNCIATION)).one()
    clock = db.session.scalars(
        select(Clock).where(Clock.petition_id == denunciation.id, Clock.stage == Stage.ACCEPTANCE)
    ).one()
    assert (denunciation.sites, clock.rule.code) == (3, "denunciation.acceptance.sites")
