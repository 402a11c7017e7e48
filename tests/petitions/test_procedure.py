"""The legal gates of a petition's processing decision: allowed, refused with its basis, or set aside by the
head of the unit with a reason (recorded in the petition's history and the audit log)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.cases.operations import accept_petition
from app.core.errors import DomainError, PermissionRefused, TransitionRefused
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.deadlines.models import Clock, ClockStatus, Stage
from app.extensions import db
from app.petitions.models import Channel, PetitionEvent, PetitionKind, PetitionState
from app.petitions.operations import decide_petition
from app.petitions.procedure import Lodging
from tests.factories import create_petition
from tests.petitions.helpers import text
from tests.petitions.test_decide import stored

K = PetitionKind
TODAY = local_today()
BASIS = "(Circular 05/2021/TT-TTCP)"
REFUSED = "This denunciation reached the unit by transfer, and a denunciation is transferred once only"
HINT = "Only the head of the unit can decide otherwise, giving the reason."
TRANSFER = dict(
    transferred_to="Thanh tra tỉnh Đồng Nai", transfer_dispatch_no="45/PC-UBND", competent_body="administration"
)


@pytest.fixture(autouse=True)
def _english_messages(app):
    from flask_babel import force_locale

    with force_locale("en"):
        yield


def _petition(world, kind, channel):
    source = dict(source_agency="Thanh tra tỉnh", source_dispatch_no="12/TTr") if channel is Channel.TRANSFERRED else {}
    p = create_petition(world, kind=kind, channel=channel, received_on=TODAY - timedelta(days=2), **source)
    db.session.commit()
    return p


def _audits() -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "procedure.override")
    )


#: (kind, channel, actor, reason) -> None if the transfer is recorded, else (error, start of the message).
GATES = [
    (K.DENUNCIATION, Channel.TRANSFERRED, "reception", None, (TransitionRefused, REFUSED)),
    (K.DENUNCIATION, Channel.TRANSFERRED, "head", None, (TransitionRefused, REFUSED)),
    (K.DENUNCIATION, Channel.TRANSFERRED, "reception", "Sai địa chỉ", (PermissionRefused, HINT)),
    (K.DENUNCIATION, Channel.TRANSFERRED, "head", "Cơ quan chuyển nhầm thẩm quyền, đã trao đổi", None),
    (K.DENUNCIATION, Channel.DESK, "reception", None, None),
    (K.DENUNCIATION, Channel.POST, "reception", None, None),
    (K.COMPLAINT, Channel.TRANSFERRED, "reception", None, None),  # the rule is the denunciations'
]


@pytest.mark.parametrize("kind, channel, actor, reason, refusal", GATES)
def test_a_denunciation_is_transferred_once(world, kind, channel, actor, reason, refusal):
    p = _petition(world, kind, channel)
    before, audits = stored(p.id), _audits()
    p = db.session.merge(p)
    call = dict(on=TODAY, expected_version=UNCHECKED, override_reason=reason, **TRANSFER)
    if refusal is None:
        decide_petition(p, world.users[actor], PetitionState.TRANSFERRED, **call)
        db.session.commit()
        assert p.state is PetitionState.TRANSFERRED
        overrides = [e for e in p.events if e.action == "override"]
        assert len(overrides) == (1 if reason else 0)
        assert _audits() == audits + (1 if reason else 0)
        if reason:
            assert reason in overrides[0].note and BASIS in overrides[0].note
            event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "procedure.override")).one()
            assert (event.petition_id, event.actor_id, event.reason) == (p.id, world.users[actor].id, reason)
            assert '"rule": "denunciation.transferred_once"' in event.detail
        return
    error, message = refusal
    with pytest.raises(error) as err:
        decide_petition(p, world.users[actor], PetitionState.TRANSFERRED, **call)
    assert str(err.value.message).startswith(message)
    if error is TransitionRefused:
        assert BASIS in str(err.value.message) and str(err.value.message).endswith(HINT)
    assert stored(p.id) == before and _audits() == audits


def test_the_other_decisions_stay_open_to_a_transferred_denunciation(world):
    p = _petition(world, K.DENUNCIATION, Channel.TRANSFERRED)
    decide_petition(
        p, world.users["reception"], PetitionState.GUIDED, guidance="Gửi Thanh tra tỉnh", on=TODAY, expected_version=1
    )
    assert p.state is PetitionState.GUIDED


def test_the_decision_form_warns_before_and_offers_the_head_a_reason(world, login_en):
    p = _petition(world, K.DENUNCIATION, Channel.TRANSFERRED)
    reception = text(login_en("reception").get(f"/petitions/{p.id}"))
    assert 'data-rule="denunciation.transferred_once"' in reception and REFUSED in reception
    assert 'name="override_reason"' not in reception
    head = text(login_en("head").get(f"/petitions/{p.id}"))
    assert 'name="override_reason"' in head and HINT in head


def test_a_refused_transfer_through_the_form_changes_nothing(world, login_en):
    p = _petition(world, K.DENUNCIATION, Channel.TRANSFERRED)
    before = stored(p.id)
    client = login_en("reception")
    page = f"/petitions/{p.id}"
    data = dict(decision="transfer", version=p.version, **TRANSFER)
    resp = client.post(f"{page}/decide", data, token_from=page)
    shown = text(client.get(resp.headers["Location"])) if resp.status_code == 302 else text(resp)
    assert REFUSED in shown and BASIS in shown
    assert stored(p.id) == before


def test_the_head_sets_the_rule_aside_through_the_form(world, login_en):
    p = _petition(world, K.DENUNCIATION, Channel.TRANSFERRED)
    client = login_en("head")
    page = f"/petitions/{p.id}"
    data = dict(decision="transfer", version=p.version, override_reason="Chuyển nhầm, đã thống nhất", **TRANSFER)
    resp = client.post(f"{page}/decide", data, token_from=page)
    assert resp.status_code == 302
    shown = text(client.get(page))
    assert "Legal rule set aside by the head" in shown and "Chuyển nhầm, đã thống nhất" in shown
    db.session.expire_all()
    events = db.session.scalars(select(PetitionEvent.action).where(PetitionEvent.petition_id == p.id)).all()
    assert events == ["register", "override", "decide"]


def test_the_refusal_is_in_vietnamese(world, login_as):
    p = _petition(world, K.DENUNCIATION, Channel.TRANSFERRED)
    page = text(login_as("reception").get(f"/petitions/{p.id}"))
    assert "đơn tố cáo chỉ được chuyển một lần" in page and "(Thông tư 05/2021/TT-TTCP)" in page


# --- The lodging period of a complaint (Law on Complaints 2011 art. 9, 11) ---------------------------------

LODGING_BASIS = "(Law on Complaints 2011, art. 9 and 11)"
LODGING_REFUSED = "The complaint was lodged after its lodging period"


def _complaint(world, received_on):
    p = create_petition(world, kind=K.COMPLAINT, received_on=received_on)
    db.session.commit()
    return p


#: (days from learning to lodging, obstacle days, actor, override reason) -> None if accepted, else the refusal.
LODGING = [
    (90, 0, "reception", None, None),  # the 90th day is within the period (the day learned is not counted)
    (91, 0, "reception", None, LODGING_REFUSED),
    (91, 0, "head", None, LODGING_REFUSED),
    (119, 29, "reception", None, None),  # an obstacle of 29 days moves the last day by as much
    (120, 29, "reception", None, LODGING_REFUSED),
    (91, 0, "reception", "Đơn gửi qua bưu điện từ trước", HINT),  # only a head sets the rule aside
    (91, 0, "head", "Công dân nằm viện, có giấy ra viện", None),
]


@pytest.mark.parametrize("days, obstacle, actor, reason, refusal", LODGING)
def test_a_complaint_is_accepted_within_its_lodging_period(world, days, obstacle, actor, reason, refusal):
    # Wednesday 11 June 2025: a period ending the day before or on it ends on a working day (a calendar-day
    # limit ending on a day off would move to the next working day).
    received = date(2025, 6, 11)
    p = _complaint(world, received)
    before, audits = stored(p.id), _audits()
    p = db.session.merge(p)
    lodging = Lodging(received - timedelta(days=days), obstacle, "Ốm nằm viện" if obstacle else None)
    call = dict(accepted_on=received + timedelta(days=1), lodging=lodging, override_reason=reason)
    if refusal is None:
        accept_petition(p, world.users[actor], expected_version=UNCHECKED, **call)
        db.session.commit()
        assert p.state is PetitionState.ACCEPTED
        assert (p.learned_on, p.obstacle_days or 0) == (lodging.learned_on, obstacle)
        clock = db.session.scalars(select(Clock).where(Clock.petition_id == p.id, Clock.stage == Stage.LODGING)).one()
        assert clock.completed_on == received and clock.status is ClockStatus.DONE
        assert (clock.completed_on > clock.due_on) is bool(reason)  # late only when the head set the rule aside
        assert _audits() == audits + (1 if reason else 0)
        return
    with pytest.raises(DomainError) as err:
        accept_petition(p, world.users[actor], expected_version=UNCHECKED, **call)
    message = str(err.value.message)
    assert message.startswith(refusal), message
    if refusal is LODGING_REFUSED:
        last_day = lodging.learned_on + timedelta(days=90 + obstacle)
        assert LODGING_BASIS in message and f"The period ended on {last_day:%d/%m/%Y}." in message
    assert stored(p.id) == before and _audits() == audits


@pytest.mark.parametrize(
    "learned, obstacle, reason, message",
    [
        (1, 0, None, "cannot be after the complaint was received"),
        (-10, 11, "Ốm", "The obstacle cannot last longer"),
        (-10, 5, None, "Say what the obstacle was"),
    ],
)
def test_a_lodging_period_that_cannot_be_is_refused(world, learned, obstacle, reason, message):
    p = _complaint(world, TODAY - timedelta(days=3))
    before = stored(p.id)
    p = db.session.merge(p)
    lodging = Lodging(p.received_on + timedelta(days=learned), obstacle, reason)
    with pytest.raises(TransitionRefused, match=message):
        accept_petition(p, world.users["reception"], accepted_on=TODAY, lodging=lodging, expected_version=UNCHECKED)
    assert stored(p.id) == before


def test_the_decision_form_asks_for_the_day_learned_and_refuses_a_late_complaint(world, login_en):
    p = _complaint(world, TODAY - timedelta(days=3))
    client = login_en("reception")
    page = f"/petitions/{p.id}"
    assert 'name="learned_on"' in text(client.get(page))
    before = stored(p.id)
    data = dict(decision="accept", version=p.version, accepted_on=TODAY.isoformat(), instance="1")
    resp = client.post(f"{page}/decide", data, token_from=page)
    assert "Enter the day the complainant received or learned of the decision or act." in text(resp)
    late = (p.received_on - timedelta(days=100)).isoformat()
    resp = client.post(f"{page}/decide", dict(data, learned_on=late), token_from=page)
    shown = text(client.get(resp.headers["Location"])) if resp.status_code == 302 else text(resp)
    assert LODGING_REFUSED in shown and LODGING_BASIS in shown
    assert stored(p.id) == before
    resp = client.post(
        f"{page}/decide", dict(data, learned_on=(TODAY - timedelta(days=30)).isoformat()), token_from=page
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(p), p.id).state is PetitionState.ACCEPTED


def test_a_second_complaint_is_accepted_within_its_appeal_period(world, login_en):
    """A second complaint with no first-instance case in TiepDan: its period counts from the day the first
    decision was received (Law on Complaints art. 33), not the 90 days of art. 9."""
    p = _complaint(world, TODAY - timedelta(days=3))
    client = login_en("head")
    page = f"/petitions/{p.id}"
    before = stored(p.id)
    data = dict(decision="accept", version=p.version, accepted_on=TODAY.isoformat(), instance="2")
    resp = client.post(f"{page}/decide", data, token_from=page)
    assert "Enter the day the complainant received or learned of the decision or act." in text(resp)
    late = (p.received_on - timedelta(days=80)).isoformat()  # within 90 days, beyond 30 working days
    resp = client.post(f"{page}/decide", dict(data, learned_on=late), token_from=page)
    shown = text(client.get(resp.headers["Location"])) if resp.status_code == 302 else text(resp)
    assert "The second complaint was lodged after its period" in shown
    assert "(Law on Complaints 2011, art. 33 and 11)" in shown
    assert stored(p.id) == before
    resp = client.post(
        f"{page}/decide", dict(data, learned_on=(TODAY - timedelta(days=10)).isoformat()), token_from=page
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(p), p.id).case.instance == 2
    # No lodging clock of art. 9 for a second complaint (its period is the appeal's).
    assert not db.session.scalars(select(Clock).where(Clock.petition_id == p.id, Clock.stage == Stage.LODGING)).all()


def test_the_head_sets_the_lodging_period_aside_through_the_form(world, login_en):
    p = _complaint(world, TODAY - timedelta(days=3))
    page = f"/petitions/{p.id}"
    assert 'name="override_reason"' not in text(login_en("reception").get(page))
    client = login_en("head")
    assert 'name="override_reason"' in text(client.get(page))
    late = (p.received_on - timedelta(days=200)).isoformat()
    data = dict(decision="accept", version=p.version, accepted_on=TODAY.isoformat(), instance="1", learned_on=late)
    data["override_reason"] = "Công dân đi lao động ở nước ngoài, có xác nhận"
    assert client.post(f"{page}/decide", data, token_from=page).status_code == 302
    db.session.expire_all()
    petition = db.session.get(type(p), p.id)
    assert petition.state is PetitionState.ACCEPTED
    assert [e.action for e in petition.events] == ["register", "override", "decide"]


def test_a_complaint_joined_to_an_open_case_is_not_asked_for_its_period(world, login_en):
    from tests.factories import create_case

    case = create_case(world)
    p = _complaint(world, TODAY - timedelta(days=3))
    client = login_en("reception")
    page = f"/petitions/{p.id}"
    data = dict(decision="accept", version=p.version, accepted_on=TODAY.isoformat(), instance="1")
    resp = client.post(f"{page}/decide", dict(data, join_case_no=case.number), token_from=page)
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(p), p.id).case_id == case.id
