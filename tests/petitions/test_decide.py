"""The processing decision on a received petition, and marking duplicates, through the views."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.cases.models import Case, CaseState
from app.core.timeutil import local_today
from app.extensions import db
from app.petitions.models import CompetentBody, FiledReason, Petition, PetitionEvent, PetitionKind, PetitionState
from tests.factories import LEARNED_ON, create_case, create_petition, subject
from tests.petitions.helpers import field_errors, text


def stored(petition_id: int) -> tuple:
    """What a refused request must not change: state, version, decision details, case, events, cases."""
    db.session.rollback()
    db.session.expire_all()
    p = db.session.get(Petition, petition_id)
    events = db.session.scalar(
        select(func.count()).select_from(PetitionEvent).where(PetitionEvent.petition_id == petition_id)
    )
    cases = db.session.scalar(select(func.count()).select_from(Case))
    return (
        p.state,
        p.version,
        p.case_id,
        p.transferred_to,
        p.guidance,
        p.filed_reason,
        p.decision_note,
        p.duplicate_of_id,
        events,
        cases,
    )


@pytest.fixture
def petition(world):
    p = create_petition(world, kind=PetitionKind.COMPLAINT, received_on=local_today() - timedelta(days=3))
    db.session.commit()
    return p


def url(p, action="decide") -> str:
    return f"/petitions/{p.id}/{action}"


def page_of(p) -> str:
    return f"/petitions/{p.id}"


DECISIONS = [
    ("accept", {"accepted_on": "TODAY", "instance": "1", "learned_on": LEARNED_ON}, PetitionState.ACCEPTED),
    (
        "transfer",
        {
            "transferred_to": "Thanh tra tỉnh Đồng Nai",
            "transfer_dispatch_no": "45/PC-UBND",
            "competent_body": "administration",
        },
        PetitionState.TRANSFERRED,
    ),
    (
        "guide",
        {"guidance": "Hướng dẫn khởi kiện tại Tòa án nhân dân khu vực 1", "competent_body": "judiciary"},
        PetitionState.GUIDED,
    ),
    ("file", {"filed_reason": "already_resolved"}, PetitionState.FILED),
    ("withdraw", {"note": "Công dân có đơn rút ngày hôm nay"}, PetitionState.WITHDRAWN),
]


@pytest.mark.parametrize("username", ["reception", "head"])
@pytest.mark.parametrize("decision, details, state", DECISIONS, ids=[d[0] for d in DECISIONS])
def test_each_decision_through_the_view(login_en, world, petition, username, decision, details, state):
    client = login_en(username)
    details = {k: (local_today().isoformat() if v == "TODAY" else v) for k, v in details.items()}
    resp = client.post(
        url(petition), {"decision": decision, "version": petition.version, **details}, token_from=page_of(petition)
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith(page_of(petition))
    db.session.expire_all()
    p = db.session.get(Petition, petition.id)
    assert p.state is state
    assert p.decided_by_id == world.users[username].id and p.decided_at is not None
    last = p.events[-1]
    assert (last.action, last.from_state, last.to_state, last.actor_id) == (
        "decide",
        "received",
        state.value,
        world.users[username].id,
    )
    if state is PetitionState.ACCEPTED:
        assert p.case is not None and p.case.state is CaseState.ACCEPTED and p.case.instance == 1
        assert p.case.accepted_on == local_today()
    if state is PetitionState.TRANSFERRED:
        assert (p.transferred_to, p.transfer_dispatch_no) == ("Thanh tra tỉnh Đồng Nai", "45/PC-UBND")
        assert p.competent_body is CompetentBody.ADMINISTRATION
    if state is PetitionState.GUIDED:
        assert p.guidance.startswith("Hướng dẫn khởi kiện") and p.competent_body is CompetentBody.JUDICIARY
    if state is PetitionState.FILED:
        assert p.filed_reason is FiledReason.ALREADY_RESOLVED
    if state is PetitionState.WITHDRAWN:
        assert p.decision_note == "Công dân có đơn rút ngày hôm nay"
    if state is not PetitionState.ACCEPTED:
        assert p.case_id is None
    page = text(client.get(page_of(petition)))
    assert f"Decision recorded: {state.label}." in page
    assert 'data-testid="decision-form"' not in page  # nothing more to decide


def test_second_instance_complaint(login_en, petition):
    client = login_en("head")
    resp = client.post(
        url(petition),
        {
            "decision": "accept",
            "version": petition.version,
            "instance": "2",
            "learned_on": LEARNED_ON,
            "accepted_on": local_today().isoformat(),
        },
        token_from=page_of(petition),
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Petition, petition.id).case.instance == 2


def test_second_instance_links_the_appealed_case(login_en, world, petition):
    first = create_case(world, CaseState.RESOLVED)
    db.session.commit()
    client = login_en("phead")  # the province chairman hears appeals against commune decisions
    resp = client.post(
        url(petition),
        {
            "decision": "accept",
            "version": petition.version,
            "instance": "2",
            "learned_on": LEARNED_ON,
            "accepted_on": local_today().isoformat(),
            "appeal_of_case_no": first.number,
        },
        token_from=page_of(petition),
    )
    assert resp.status_code == 302
    db.session.expire_all()
    second = db.session.get(Petition, petition.id).case
    assert (second.instance, second.parent_case_id) == (2, first.id)
    page = text(client.get(f"/cases/{first.id}"))
    assert second.number in page  # the first-instance case links to its appeal


@pytest.mark.parametrize(
    "first_state, instance, message",
    [
        (
            CaseState.ASSIGNED,
            "2",
            "The appealed case has no first-instance decision yet, and its resolution period has not run out",
        ),
        (CaseState.RESOLVED, "1", "A case that appeals a first-instance decision is second instance."),
    ],
)
def test_bad_appeal_link_is_refused(login_en, world, petition, first_state, instance, message):
    first = create_case(world, first_state)
    db.session.commit()
    _refused(
        login_en("head"),
        petition,
        {
            "decision": "accept",
            "accepted_on": local_today().isoformat(),
            "instance": instance,
            "learned_on": LEARNED_ON,
            "appeal_of_case_no": first.number,
        },
        message,
    )


def test_appeal_of_a_case_outside_scope_is_refused(login_en, world, petition):
    first = create_case(world, CaseState.RESOLVED, unit="TL")
    db.session.commit()
    _refused(
        login_en("head"),
        petition,
        {
            "decision": "accept",
            "accepted_on": local_today().isoformat(),
            "instance": "2",
            "learned_on": LEARNED_ON,
            "appeal_of_case_no": first.number,
        },
        "No case with this number in your units.",
    )


def test_accept_a_recommendation_has_no_instance(login_en, world):
    p = create_petition(world, kind=PetitionKind.RECOMMENDATION)
    db.session.commit()
    client = login_en("head")
    assert 'name="instance"' not in text(client.get(page_of(p)))
    resp = client.post(
        url(p),
        {"decision": "accept", "version": p.version, "accepted_on": local_today().isoformat()},
        token_from=page_of(p),
    )
    assert resp.status_code == 302
    db.session.expire_all()
    case = db.session.get(Petition, p.id).case
    assert case.kind is PetitionKind.RECOMMENDATION and case.instance is None


def test_accept_by_joining_an_open_case(login_en, world, petition):
    case = create_case(world, CaseState.ASSIGNED)
    db.session.commit()
    cases_before = db.session.scalar(select(func.count()).select_from(Case))
    client = login_en("head")
    resp = client.post(
        url(petition),
        {
            "decision": "accept",
            "version": petition.version,
            "accepted_on": local_today().isoformat(),
            "instance": "1",
            "learned_on": LEARNED_ON,
            "join_case_no": case.number.lower(),
        },
        token_from=page_of(petition),
    )
    assert resp.status_code == 302
    db.session.expire_all()
    p = db.session.get(Petition, petition.id)
    assert p.state is PetitionState.ACCEPTED and p.case_id == case.id
    assert db.session.scalar(select(func.count()).select_from(Case)) == cases_before


def _refused(client, petition, data, message):
    before = stored(petition.id)
    resp = client.post(url(petition), {"version": petition.version, **data}, token_from=page_of(petition))
    assert resp.status_code == 200, resp.headers.get("Location")
    page = text(resp)
    assert message in page, field_errors(page) or page[:2000]
    assert stored(petition.id) == before


REFUSALS = [
    ("no decision", {}, "Choose a decision."),
    ("unknown decision", {"decision": "ignore"}, "Choose a decision from the list."),
    (
        "accept without a date",
        {"decision": "accept", "accepted_on": "", "instance": "1", "learned_on": LEARNED_ON},
        "Enter the acceptance date.",
    ),
    (
        "accept with a garbage date",
        {"decision": "accept", "accepted_on": "mai", "instance": "1", "learned_on": LEARNED_ON},
        "Enter the date as day, month and year.",
    ),
    (
        "accept in the future",
        {"decision": "accept", "accepted_on": "2999-01-01", "instance": "1", "learned_on": LEARNED_ON},
        "The acceptance date cannot be in the future.",
    ),
    (
        "accept before receipt",
        {"decision": "accept", "accepted_on": "2000-01-01", "instance": "1", "learned_on": LEARNED_ON},
        "The acceptance date cannot be before the petition was received.",
    ),
    (
        "accept a complaint without instance",
        {"decision": "accept", "accepted_on": "TODAY", "instance": "3"},
        "A complaint is first or second instance.",
    ),
    (
        "join an unknown case",
        {
            "decision": "accept",
            "accepted_on": "TODAY",
            "instance": "1",
            "learned_on": LEARNED_ON,
            "join_case_no": "TK-VV-1999-00001",
        },
        "No case with this number in your units.",
    ),
    (
        "transfer without target",
        {"decision": "transfer", "transfer_dispatch_no": "1/PC"},
        "Say which agency the petition is transferred to.",
    ),
    (
        "transfer without dispatch",
        {"decision": "transfer", "transferred_to": "Thanh tra tỉnh"},
        "Enter the number of the transfer dispatch.",
    ),
    (
        "guide without guidance",
        {"decision": "guide", "competent_body": "judiciary", "guidance": "   "},
        "Write the guidance given to the citizen.",
    ),
    (
        "transfer without body",
        {"decision": "transfer", "transferred_to": "Thanh tra tỉnh", "transfer_dispatch_no": "1/PC"},
        "Choose the kind of body that is competent.",
    ),
    (
        "guide with unknown body",
        {"decision": "guide", "competent_body": "army", "guidance": "x"},
        "Choose a kind of body from the list.",
    ),
    ("file without reason", {"decision": "file"}, "Choose the reason for filing the petition."),
    ("file with unknown reason", {"decision": "file", "filed_reason": "boring"}, "Choose a reason from the list."),
    ("withdraw without note", {"decision": "withdraw"}, "Record how the petitioner withdrew the petition."),
]


def test_missing_details_are_refused_and_change_nothing(login_en, petition, subtests):
    client = login_en("reception")
    for name, data, message in REFUSALS:  # one world for the whole matrix: each case is a subtest
        with subtests.test(name):
            data = {k: (local_today().isoformat() if v == "TODAY" else v) for k, v in data.items()}
            _refused(client, petition, data, message)


def test_joining_a_case_of_another_kind_is_refused(login_en, world, petition):
    case = create_case(world, kind=PetitionKind.DENUNCIATION)
    db.session.commit()
    _refused(
        login_en("head"),
        petition,
        {
            "decision": "accept",
            "accepted_on": local_today().isoformat(),
            "instance": "1",
            "learned_on": LEARNED_ON,
            "join_case_no": case.number,
        },
        "The petition and the case are of different kinds.",
    )


def test_joining_a_closed_case_is_refused(login_en, world, petition):
    # Of another subject area: the same complainant's closed case of the same area is a matter already
    # resolved, refused before the join is looked at (tests/petitions/test_gates.py).
    case = create_case(world, CaseState.CLOSED, subject_area=subject("justice"))
    db.session.commit()
    _refused(
        login_en("head"),
        petition,
        {
            "decision": "accept",
            "accepted_on": local_today().isoformat(),
            "instance": "1",
            "learned_on": LEARNED_ON,
            "join_case_no": case.number,
        },
        "A petition can only be joined to an open case.",
    )


def test_joining_a_case_outside_scope_is_refused(login_en, world, petition):
    case = create_case(world, unit="TL")
    db.session.commit()
    _refused(
        login_en("head"),
        petition,
        {
            "decision": "accept",
            "accepted_on": local_today().isoformat(),
            "instance": "1",
            "learned_on": LEARNED_ON,
            "join_case_no": case.number,
        },
        "No case with this number in your units.",
    )


def test_second_decision_is_refused(login_en, petition):
    client = login_en("head")
    first = {"decision": "guide", "competent_body": "judiciary", "guidance": "Hướng dẫn", "version": petition.version}
    assert client.post(url(petition), first, token_from=page_of(petition)).status_code == 302
    db.session.expire_all()
    fresh = db.session.get(Petition, petition.id)
    assert 'data-testid="decision-form"' not in text(client.get(page_of(petition)))
    before = stored(petition.id)
    resp = client.post(
        url(petition),
        {"decision": "file", "filed_reason": "duplicate", "version": fresh.version},
        token_from=page_of(petition),
    )
    assert resp.status_code == 200 and "This petition has already been processed." in text(resp)
    assert stored(petition.id) == before


def test_stale_version_is_refused(login_en, world, petition):
    client = login_en("head")
    token_page = page_of(petition)
    old_version = petition.version
    other = create_petition(world, received_on=petition.received_on - timedelta(days=1))
    db.session.commit()
    # Someone else changes the petition after the form was opened.
    dup = login_en("reception")
    assert (
        dup.post(
            url(petition, "duplicate"),
            {"original_receipt_no": other.receipt_no, "version": old_version},
            token_from=token_page,
        ).status_code
        == 302
    )
    before = stored(petition.id)
    resp = client.post(
        url(petition),
        {"decision": "guide", "competent_body": "judiciary", "guidance": "Hướng dẫn", "version": old_version},
        token_from=token_page,
    )
    assert resp.status_code == 200
    assert "Someone else changed this record after you opened it." in text(resp)
    assert stored(petition.id) == before and before[0] is PetitionState.RECEIVED


@pytest.mark.parametrize("username", ["handler", "handler2", "inspector", "admin"])
def test_roles_that_cannot_decide(login_as, petition, username):
    client = login_as(username)
    page = client.get(page_of(petition))
    if page.status_code == 200:
        html = text(page)
        assert 'data-testid="decision-form"' not in html and 'data-testid="duplicate-form"' not in html
    token_page = "/petitions/"
    before = stored(petition.id)
    resp = client.post(
        url(petition),
        {"decision": "guide", "competent_body": "judiciary", "guidance": "x", "version": petition.version},
        token_from=token_page,
    )
    assert resp.status_code in (403, 404)
    resp = client.post(
        url(petition, "duplicate"),
        {"original_receipt_no": petition.receipt_no, "version": petition.version},
        token_from=token_page,
    )
    assert resp.status_code in (403, 404)
    assert stored(petition.id) == before


@pytest.mark.parametrize("username", ["tl_reception", "tl_head"])
def test_other_units_cannot_decide(login_as, petition, username):
    before = stored(petition.id)
    resp = login_as(username).post(
        url(petition),
        {"decision": "guide", "competent_body": "judiciary", "guidance": "x", "version": petition.version},
        token_from="/petitions/",
    )
    assert resp.status_code == 404
    assert stored(petition.id) == before


@pytest.mark.parametrize("username", ["reception", "head", "phead"])
def test_deciders_see_the_form(login_as, petition, username):
    page = text(login_as(username).get(page_of(petition)))
    assert 'data-testid="decision-form"' in page and f'name="version" type="hidden" value="{petition.version}"' in page


def test_decision_without_csrf_is_refused(login_as, petition):
    client = login_as("head")
    before = stored(petition.id)
    resp = client.client.post(
        url(petition),
        data={"decision": "guide", "competent_body": "judiciary", "guidance": "x", "version": petition.version},
    )
    assert resp.status_code == 400
    assert stored(petition.id) == before


# --- Duplicates ------------------------------------------------------------------------------------------


@pytest.fixture
def earlier(world, petition):
    p = create_petition(world, received_on=petition.received_on - timedelta(days=30))
    db.session.commit()
    return p


def test_mark_duplicate(login_en, world, petition, earlier):
    client = login_en("reception")
    resp = client.post(
        url(petition, "duplicate"),
        {"original_receipt_no": f" {earlier.receipt_no.lower()} ", "version": petition.version},
        token_from=page_of(petition),
    )
    assert resp.status_code == 302
    db.session.expire_all()
    p = db.session.get(Petition, petition.id)
    assert p.duplicate_of_id == earlier.id and p.state is PetitionState.RECEIVED
    assert (p.events[-1].action, p.events[-1].note) == ("mark_duplicate", earlier.receipt_no)
    page = text(client.get(page_of(petition)))
    assert f"Marked as a duplicate of {earlier.receipt_no}." in page and "Duplicate of" in page


@pytest.mark.parametrize(
    "target, message",
    [
        ("", "Enter the receipt number of the earlier petition."),
        ("TK-1999-000999", "No petition with this receipt number in your units."),
        ("SELF", "A petition cannot duplicate itself."),
        ("LATER", "The earlier petition must have been received before this one."),
        ("OTHER_UNIT", "No petition with this receipt number in your units."),
    ],
)
def test_bad_duplicate_is_refused(login_en, world, petition, earlier, target, message):
    if target == "SELF":
        target = petition.receipt_no
    elif target == "LATER":
        later = create_petition(world, received_on=local_today())
        db.session.commit()
        target = later.receipt_no
    elif target == "OTHER_UNIT":
        target = create_petition(world, unit="TL", actor="tl_reception").receipt_no
        db.session.commit()
    before = stored(petition.id)
    resp = login_en("head").post(
        url(petition, "duplicate"),
        {"original_receipt_no": target, "version": petition.version},
        token_from=page_of(petition),
    )
    assert resp.status_code == 200
    assert message in field_errors(text(resp))
    assert stored(petition.id) == before


def test_duplicate_with_stale_version_is_refused(login_en, petition, earlier):
    client = login_en("head")
    before = stored(petition.id)
    resp = client.post(
        url(petition, "duplicate"),
        {"original_receipt_no": earlier.receipt_no, "version": petition.version + 5},
        token_from=page_of(petition),
    )
    assert resp.status_code == 200 and "Someone else changed this record" in text(resp)
    assert stored(petition.id) == before


def test_refused_duplicate_keeps_a_usable_decision_form(login_en, petition):
    client = login_en("head")
    resp = client.post(
        url(petition, "duplicate"),
        {"original_receipt_no": "", "version": petition.version},
        token_from=page_of(petition),
    )
    page = text(resp)
    assert resp.status_code == 200 and 'data-testid="decision-form"' in page
    # The decision and split forms next to the refused one still carry the version; the decision, today's date.
    assert page.count(f'name="version" type="hidden" value="{petition.version}"') == 3
    assert f'value="{local_today():%d/%m/%Y}"' in page
