"""The legal gates of a case's workflow: each allowed or refused with its article, a refusal changing nothing.

Law on Complaints 2011 art. 44: a complaint decision takes legal effect when the period for a second
complaint (first instance) or a lawsuit has passed unused; until then it is neither enforced nor its case
closed. An appealed first-instance decision never takes effect: its case may be closed, not enforced.
"""

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.cases.models import Case, CaseAction, CaseState, StepKind
from app.cases.operations import (
    accept_petition,
    perform,
    record_court_filing,
    record_delivery,
    record_judgment,
    record_step,
)
from app.cases.procedure import NOT_YET_EFFECTIVE
from app.core.errors import TransitionRefused
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today, utcnow
from app.deadlines.jobs import mark_legally_effective, open_appeals_of_lapsed_complaints
from app.deadlines.models import Clock, ClockStatus, Stage
from app.petitions.models import PetitionKind
from tests.cases.helpers import action_forms, case_state, follow, text
from tests.cases.test_transitions import snapshot
from tests.factories import create_case, create_petition

A, S, K = CaseAction, CaseState, PetitionKind
TODAY = local_today()
ART_44 = "(Law on Complaints 2011, art. 44)"
NOT_EFFECTIVE_MESSAGE = "The complaint decision has not taken legal effect yet"
APPEALED_MESSAGE = "The first-instance decision was appealed"
IN_COURT_MESSAGE = "The complainant took the decision to an administrative court"
ART_33 = "(Law on Complaints 2011, art. 33)"
COURT = "Tòa án nhân dân tỉnh Đồng Nai"


@pytest.fixture(autouse=True)
def _english_messages(app):
    from flask_babel import force_locale

    with force_locale("en"):
        yield


def _appealed(world, first: Case) -> Case:
    appeal = create_petition(world, unit="DN", actor="phead", received_on=TODAY)
    accept_petition(appeal, world.users["phead"], accepted_on=TODAY, appeal_of=first, expected_version=UNCHECKED)
    return appeal.case


def _second_instance(world) -> Case:
    """A second-instance complaint case, resolved today (its decision takes effect later too)."""
    first = create_case(world, S.RESOLVED, enforcement_required=None)
    second = _appealed(world, first)
    perform(second, A.ASSIGN, world.users["phead"], handler_id=world.users["handler"].id, expected_version=UNCHECKED)
    return second


def _situation(world, name: str, enforcement: str | None) -> Case:
    if name == "complaint decided today":
        return create_case(world, S.RESOLVED, enforcement_required=enforcement)
    if name == "complaint legally effective":
        return create_case(world, S.RESOLVED, enforcement_required=enforcement, effective=True)
    if name == "complaint appealed":
        first = create_case(world, S.RESOLVED, enforcement_required=enforcement)
        _appealed(world, first)
        return first
    if name == "complaint in court":
        case = create_case(world, S.RESOLVED, enforcement_required=enforcement)
        record_court_filing(
            case, world.users["handler"], court=COURT, filed_on=TODAY, expected_version=UNCHECKED, today=TODAY
        )
        return case
    if name == "denunciation concluded today":
        return create_case(world, S.RESOLVED, kind=K.DENUNCIATION, enforcement_required=enforcement)
    if name == "recommendation answered today":
        return create_case(world, S.RESOLVED, kind=K.RECOMMENDATION, enforcement_required=None)
    raise AssertionError(name)


FIELDS = {
    A.ENFORCE: dict(enforced_on=TODAY, enforcement_result="Đã thực hiện"),
    A.CLOSE: {},
}

#: (situation, enforcement required, action) -> None if allowed, else the start of the refusal.
GATES = [
    ("complaint decided today", "Trả lại đất", A.ENFORCE, NOT_EFFECTIVE_MESSAGE),
    ("complaint decided today", None, A.CLOSE, NOT_EFFECTIVE_MESSAGE),
    ("complaint legally effective", "Trả lại đất", A.ENFORCE, None),
    ("complaint legally effective", None, A.CLOSE, None),
    ("complaint appealed", "Trả lại đất", A.ENFORCE, APPEALED_MESSAGE),
    ("complaint appealed", "Trả lại đất", A.CLOSE, None),  # the outcome lies in the second-instance case
    ("complaint appealed", None, A.CLOSE, None),
    ("complaint in court", "Trả lại đất", A.ENFORCE, IN_COURT_MESSAGE),
    ("complaint in court", "Trả lại đất", A.CLOSE, None),  # the judgment decides; the case may close
    ("denunciation concluded today", "Kiểm điểm cán bộ", A.ENFORCE, None),
    ("denunciation concluded today", None, A.CLOSE, None),
    ("recommendation answered today", None, A.CLOSE, None),
]


@pytest.mark.parametrize("situation, enforcement, action, refusal", GATES)
def test_the_appeal_window_gates_enforcement_and_closing(world, db, situation, enforcement, action, refusal):
    case = _situation(world, situation, enforcement)
    db.session.commit()
    user = world.users["head"]
    assert case.can_perform(action, user) is (refusal is None)
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    if refusal is None:
        perform(case, action, user, expected_version=UNCHECKED, **FIELDS[action])
        assert case.state is {A.ENFORCE: S.ENFORCED, A.CLOSE: S.CLOSED}[action]
        return
    with pytest.raises(TransitionRefused) as err:
        perform(case, action, user, expected_version=UNCHECKED, **FIELDS[action])
    message = str(err.value.message)
    assert message.startswith(refusal), message
    assert message.endswith(ART_33 if refusal is IN_COURT_MESSAGE else ART_44), message
    assert snapshot(db, case.id) == before


def _dialogue(case, user):
    record_step(
        case,
        user,
        StepKind.DIALOGUE,
        held_on=TODAY,
        people="Ông Bốn (người khiếu nại); bà Hoa (công chức địa chính)",
        summary="Người khiếu nại giữ nguyên yêu cầu",
        expected_version=UNCHECKED,
        today=TODAY,
    )


def test_a_second_instance_decision_waits_for_its_legal_effect_too(world, db):
    second = _second_instance(world)
    _dialogue(second, world.users["handler"])
    perform(
        second,
        A.RESOLVE,
        world.users["phead"],
        decision_no="3/QĐ-UBND",
        decision_on=TODAY,
        outcome="rejected",
        expected_version=UNCHECKED,
    )
    assert second.procedure_refusal(A.CLOSE) is NOT_YET_EFFECTIVE
    assert not second.can_perform(A.CLOSE, world.users["phead"])


def test_a_first_instance_decision_is_held_for_its_whole_appeal_period(world, db):
    """The figure of the report: closed 43 days before its decision could take effect. The appeal period
    (30 working days, Law on Complaints art. 44) ends some six weeks after the decision; only then does the
    scheduler's job make it effective, and only then may it be enforced."""
    case = create_case(world, S.RESOLVED)
    legal = db.session.query(Clock).filter_by(case_id=case.id, stage=Stage.LEGAL_EFFECT).one()
    assert (legal.due_on - case.decision_on).days >= 40
    mark_legally_effective(utcnow())  # today: the period is still running
    assert case.legally_effective_on is None
    assert case.procedure_refusal(A.ENFORCE) is NOT_YET_EFFECTIVE
    mark_legally_effective(utcnow() + (legal.due_on - TODAY) + timedelta(days=1))  # the day after it ends
    assert case.legally_effective_on == legal.due_on
    assert case.procedure_refusal(A.ENFORCE) is None


def test_enforcement_cannot_be_dated_before_the_decision_took_effect(world, db):
    case = create_case(world, S.RESOLVED, effective=True)
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    with pytest.raises(TransitionRefused, match="before the decision took legal effect"):
        perform(
            case,
            A.ENFORCE,
            world.users["handler"],
            enforced_on=case.legally_effective_on - timedelta(days=1),
            enforcement_result="Xong",
            expected_version=UNCHECKED,
        )
    assert snapshot(db, case.id) == before


def test_the_case_page_says_why_enforcement_and_closing_wait(world, db, login_en):
    case = create_case(world, S.RESOLVED)
    db.session.commit()
    client = login_en("handler")
    url = f"/cases/{case.id}"
    page = text(client.get(url))
    assert action_forms(page) == []
    assert f"{NOT_EFFECTIVE_MESSAGE}" in page and ART_44 in page
    before = case_state(case.id)
    resp = client.post(f"{url}/enforce", {"version": case.version, **_form(FIELDS[A.ENFORCE])}, token_from=url)
    assert ART_44 in text(follow(client, resp))
    assert case_state(case.id) == before


def test_the_refusal_cites_the_article_in_vietnamese(world, db, login_as):
    case = create_case(world, S.RESOLVED)
    db.session.commit()
    page = text(login_as("handler").get(f"/cases/{case.id}"))
    assert "Quyết định giải quyết khiếu nại chưa có hiệu lực pháp luật" in page
    assert "(Luật Khiếu nại 2011, Điều 44)" in page


def _form(fields: dict) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in fields.items()}


@pytest.mark.parametrize(
    "kind, number, button, missing",
    [
        (K.COMPLAINT, "Decision number", "Record decision", "Enter the decision number."),
        (K.DENUNCIATION, "Conclusion number", "Record conclusion", "Enter the conclusion number."),
        (K.RECOMMENDATION, "Number of the answer", "Record answer", "Enter the number of the answer."),
    ],
)
def test_a_denunciation_is_resolved_by_a_conclusion_not_a_decision(world, db, login_en, kind, number, button, missing):
    case = create_case(world, S.ASSIGNED, kind=kind)
    db.session.commit()
    client = login_en("handler")
    url = f"/cases/{case.id}"
    page = client.get(url).get_data(as_text=True)
    form = page[page.index('data-action="resolve"') :]
    form = form[: form.index("</details>")]
    assert f">{number}<" in form and f">{button}</button>" in form
    if kind is not K.COMPLAINT:
        assert "Decision number" not in form and "Record decision" not in form
    resp = client.post(f"{url}/resolve", {"version": case.version, "decision_on": TODAY.isoformat()}, token_from=url)
    assert resp.status_code == 422 and missing in text(resp)
    with pytest.raises(TransitionRefused, match=missing):
        perform(case, A.RESOLVE, world.users["handler"], decision_on=TODAY, outcome="x", expected_version=UNCHECKED)


def test_the_conclusion_is_named_in_vietnamese_on_the_case_page(world, db, login_as):
    case = create_case(world, S.CLOSED, kind=K.DENUNCIATION, enforcement_required=None)
    db.session.commit()
    page = text(login_as("head").get(f"/cases/{case.id}"))
    assert "Kết luận nội dung tố cáo" in page and "Số kết luận" in page and "Ghi nhận kết luận" in page
    assert "Số quyết định" not in page


# --- An administrative lawsuit against a complaint decision (Law on Complaints 2011 art. 33) -------------


def _clock_status(case, stage):
    from app.extensions import db

    clock = db.session.query(Clock).filter_by(case_id=case.id, stage=stage).one()
    return clock.status


def test_a_lawsuit_stops_the_administrative_route(world, db):
    case = create_case(world, S.RESOLVED)
    record_delivery(
        case, world.users["handler"], delivered_on=TODAY, recipients="Ông Bốn", expected_version=UNCHECKED, today=TODAY
    )
    assert _clock_status(case, Stage.APPEAL) is ClockStatus.RUNNING  # the appeal period runs from the sending
    record_court_filing(
        case,
        world.users["handler"],
        court=COURT,
        court_case_no="12/2026/TLST-HC",
        filed_on=TODAY,
        expected_version=case.version,
        today=TODAY,
    )
    assert (case.court_name, case.court_case_no, case.court_filed_on) == (COURT, "12/2026/TLST-HC", TODAY)
    assert _clock_status(case, Stage.LEGAL_EFFECT) is ClockStatus.CANCELLED
    assert _clock_status(case, Stage.APPEAL) is ClockStatus.CANCELLED
    legal = db.session.query(Clock).filter_by(case_id=case.id, stage=Stage.LEGAL_EFFECT).one()
    mark_legally_effective(utcnow() + (legal.due_on - TODAY) + timedelta(days=1))  # long after the period
    assert case.legally_effective_on is None  # the court decides, not the period
    assert not case.can_record_judgment(world.users["handler2"])
    record_judgment(
        case,
        world.users["head"],
        judgment_on=TODAY,
        judgment="Bác yêu cầu khởi kiện",
        expected_version=case.version,
        today=TODAY,
    )
    assert [e.action for e in case.events][-2:] == ["court", "judgment"]
    perform(case, A.CLOSE, world.users["head"], expected_version=UNCHECKED)
    assert case.state is S.CLOSED


@pytest.mark.parametrize(
    "situation, filed, message",
    [
        ("denunciation", 0, "A lawsuit is recorded on a complaint decision"),
        ("assigned", 0, "A lawsuit is recorded on a complaint decision"),
        ("effective", 0, "A lawsuit is recorded on a complaint decision"),
        ("other officer", 0, "A lawsuit is recorded on a complaint decision"),
        ("resolved", -1, "between the decision and today"),
        ("resolved", 1, "between the decision and today"),
        ("no court", 0, "Say which court"),
    ],
)
def test_a_lawsuit_that_cannot_be_is_refused_and_changes_nothing(world, db, situation, filed, message):
    kind = K.DENUNCIATION if situation == "denunciation" else K.COMPLAINT
    state = S.ASSIGNED if situation == "assigned" else S.RESOLVED
    case = create_case(world, state, kind=kind, effective=situation == "effective")
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    actor = world.users["handler2" if situation == "other officer" else "handler"]
    decided = case.decision_on or TODAY
    court = "" if situation == "no court" else COURT
    with pytest.raises(TransitionRefused, match=message):
        record_court_filing(
            case,
            actor,
            court=court,
            filed_on=decided + timedelta(days=filed),
            expected_version=UNCHECKED,
            today=TODAY,
        )
    assert snapshot(db, case.id) == before


def test_the_case_page_records_the_lawsuit_and_the_judgment(world, db, login_en):
    case = create_case(world, S.RESOLVED)
    db.session.commit()
    client = login_en("handler")
    url = f"/cases/{case.id}"
    assert 'data-court-step="court"' in client.get(url).get_data(as_text=True)
    data = {"version": case.version, "court": COURT, "court_case_no": "", "filed_on": TODAY.isoformat()}
    page = text(follow(client, client.post(f"{url}/court/court", data, token_from=url)))
    assert "The lawsuit against the decision of case" in page and COURT in page and "Taken to court" in page
    assert IN_COURT_MESSAGE in page and ART_33 in page  # why enforcement is not offered
    version = db.session.get(Case, case.id).version
    data = {"version": version, "judgment_on": "", "judgment": ""}
    resp = client.post(f"{url}/court/judgment", data, token_from=url)
    assert resp.status_code == 422 and "Enter the day of the judgment." in text(resp)
    data = {"version": version, "judgment_on": TODAY.isoformat(), "judgment": "Hủy quyết định giải quyết khiếu nại"}
    page = text(follow(client, client.post(f"{url}/court/judgment", data, token_from=url)))
    assert "Hủy quyết định giải quyết khiếu nại" in page and "Court judgment recorded" in page
    assert client.post(f"{url}/court/verdict", {"version": version}, token_from=url).status_code == 404


# --- Suspension with its decision, which may be dated back -----------------------------------------------


def test_a_suspension_records_its_decision_and_pauses_the_clocks_from_its_day(world, db, login_en):
    case = create_case(world, S.ASSIGNED, received_on=TODAY - timedelta(days=20))
    db.session.commit()
    client = login_en("head")
    url = f"/cases/{case.id}"
    back = TODAY - timedelta(days=5)
    data = {"version": case.version, "note": "Chờ giám định", "suspension_decision_no": "09/QĐ-UBND"}
    resp = client.post(f"{url}/suspend", dict(data, suspended_on=""), token_from=url)
    assert resp.status_code == 422 and "Enter the date of the suspension decision." in text(resp)
    page = text(
        follow(client, client.post(f"{url}/suspend", dict(data, suspended_on=back.isoformat()), token_from=url))
    )
    assert f"By decision 09/QĐ-UBND of {back:%d/%m/%Y}" in page
    from app.extensions import db as session

    clock = session.session.query(Clock).filter_by(case_id=case.id, stage=Stage.RESOLUTION).one()
    assert (clock.status, clock.paused_on) == (ClockStatus.PAUSED, back)


@pytest.mark.parametrize(
    "days, message",
    [(1, "cannot be dated in the future"), (-30, "cannot be dated before")],
)
def test_a_suspension_dated_outside_the_case_is_refused(world, db, days, message):
    case = create_case(world, S.ASSIGNED, received_on=TODAY - timedelta(days=20))
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    with pytest.raises(TransitionRefused, match=message):
        perform(
            case,
            A.SUSPEND,
            world.users["head"],
            note="Chờ giám định",
            suspension_decision_no="09/QĐ-UBND",
            suspended_on=TODAY + timedelta(days=days),
            expected_version=UNCHECKED,
        )
    assert snapshot(db, case.id) == before


# --- Verification and dialogue (Law on Complaints 2011 art. 30, 39) ----------------------------------------

RESOLVE = dict(decision_no="3/QĐ-UBND", decision_on=TODAY, outcome="rejected")
DIALOGUE_MESSAGE = "Hold and record the dialogue with the complainant before the decision"
ART_30_39 = "(Law on Complaints 2011, art. 30 and 39)"


def _verification(case, user, differs):
    record_step(
        case,
        user,
        StepKind.VERIFICATION,
        held_on=TODAY,
        decision_no="15/QĐ-UBND",
        people="Bà Hoa, ông Tuấn",
        summary="Diện tích thu hồi đúng hồ sơ địa chính",
        differs_from_claim=differs,
        expected_version=UNCHECKED,
        today=TODAY,
    )


@pytest.mark.parametrize(
    "situation, dialogue, refused",
    [
        ("second instance", False, True),
        ("second instance", True, False),
        ("first instance, findings differ", False, True),
        ("first instance, findings differ", True, False),
        ("first instance, findings agree", False, False),
        ("first instance, not verified yet", False, False),
    ],
)
def test_a_complaint_is_decided_after_the_dialogue_the_law_requires(world, db, situation, dialogue, refused):
    case = _second_instance(world) if situation == "second instance" else create_case(world, S.ASSIGNED)
    handler = world.users["handler"]
    if "differ" in situation or "agree" in situation:
        _verification(case, handler, differs="differ" in situation)
    if dialogue:
        _dialogue(case, handler)
    db.session.commit()
    assert case.can_perform(A.RESOLVE, handler) is not refused
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    if not refused:
        perform(case, A.RESOLVE, handler, expected_version=UNCHECKED, **RESOLVE)
        assert case.state is S.RESOLVED
        return
    with pytest.raises(TransitionRefused) as err:
        perform(case, A.RESOLVE, handler, expected_version=UNCHECKED, **RESOLVE)
    message = str(err.value.message)
    assert message.startswith(DIALOGUE_MESSAGE) and message.endswith(ART_30_39), message
    assert snapshot(db, case.id) == before


@pytest.mark.parametrize(
    "situation, message",
    [
        ("denunciation dialogue", "a dialogue on a complaint"),
        ("not assigned", "recorded on a case being verified"),
        ("other officer", "recorded on a case being verified"),
        ("future", "between the case's acceptance and today"),
        ("no participants", "Name the participants of the dialogue."),
    ],
)
def test_a_step_that_cannot_be_is_refused_and_changes_nothing(world, db, situation, message):
    kind = K.DENUNCIATION if situation.startswith("denunciation") else K.COMPLAINT
    case = create_case(world, S.RESOLVED if situation == "not assigned" else S.ASSIGNED, kind=kind)
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    with pytest.raises(TransitionRefused, match=message):
        record_step(
            case,
            world.users["handler2" if situation == "other officer" else "handler"],
            StepKind.DIALOGUE,
            held_on=TODAY + timedelta(days=1 if situation == "future" else 0),
            people="" if situation == "no participants" else "Ông Bốn",
            summary="Biên bản đối thoại",
            expected_version=UNCHECKED,
            today=TODAY,
        )
    assert snapshot(db, case.id) == before


def test_the_case_page_records_verification_then_dialogue(world, db, login_en):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    client = login_en("handler")
    url = f"/cases/{case.id}"
    data = {
        "version": case.version,
        "decision_no": "15/QĐ-UBND",
        "held_on": TODAY.isoformat(),
        "people": "Bà Hoa, ông Tuấn",
        "summary": "Diện tích thu hồi đúng hồ sơ",
        "differs_from_claim": "",
    }
    resp = client.post(f"{url}/step/verification", data, token_from=url)
    assert resp.status_code == 422 and "Say whether the verification found what the complainant claims." in text(resp)
    page = text(
        follow(client, client.post(f"{url}/step/verification", dict(data, differs_from_claim="1"), token_from=url))
    )
    assert "Verification recorded" in page and "Diện tích thu hồi đúng hồ sơ" in page
    assert DIALOGUE_MESSAGE in page and ART_30_39 in page  # why the decision is not offered yet
    assert 'data-action="resolve"' not in page
    version = db.session.get(Case, case.id).version
    dialogue = {"version": version, "held_on": TODAY.isoformat(), "people": "Ông Bốn", "summary": "Hai bên trình bày"}
    page = text(follow(client, client.post(f"{url}/step/dialogue", dialogue, token_from=url)))
    assert "Dialogue recorded" in page and 'data-action="resolve"' in page
    assert client.post(f"{url}/step/hearing", dialogue, token_from=url).status_code == 404


def test_a_denunciation_is_verified_without_a_dialogue(world, db, login_en):
    case = create_case(world, S.ASSIGNED, kind=K.DENUNCIATION)
    db.session.commit()
    page = login_en("handler").get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'data-case-step="verification"' in page and 'data-case-step="dialogue"' not in page
    assert 'name="differs_from_claim"' not in page


@pytest.mark.parametrize(
    "situation, message",
    [
        ("effective", "has taken legal effect"),
        ("in court", "took the first-instance decision to court"),
        ("appealed", "already handled at second instance"),
    ],
)
def test_an_appeal_the_law_does_not_accept_is_refused(world, db, situation, message):
    first = create_case(world, S.RESOLVED, effective=situation == "effective")
    if situation == "in court":
        record_court_filing(
            first, world.users["handler"], court=COURT, filed_on=TODAY, expected_version=UNCHECKED, today=TODAY
        )
    if situation == "appealed":
        _appealed(world, first)
    appeal = create_petition(world, unit="DN", actor="phead", received_on=TODAY)
    db.session.commit()
    with pytest.raises(TransitionRefused) as err:
        accept_petition(appeal, world.users["phead"], accepted_on=TODAY, appeal_of=first, expected_version=UNCHECKED)
    assert message in str(err.value.message) and "(Law on Complaints 2011, art. 11)" in str(err.value.message)
    db.session.rollback()
    assert db.session.get(type(appeal), appeal.id).state.value == "received"


def test_an_appeal_links_to_a_first_instance_case_whose_period_lapsed(world, db):
    """Law on Complaints art. 33: not decided in time, the complaint may go to the second instance; the
    appeal links to the first-instance case although it has no decision."""
    first = create_case(world, S.ASSIGNED)
    appeal = create_petition(world, unit="DN", actor="phead", received_on=TODAY)
    db.session.commit()
    with pytest.raises(TransitionRefused, match="its resolution period has not run out"):
        accept_petition(appeal, world.users["phead"], accepted_on=TODAY, appeal_of=first, expected_version=UNCHECKED)
    db.session.rollback()
    first, appeal = db.session.get(type(first), first.id), db.session.get(type(appeal), appeal.id)
    resolution = db.session.scalar(select(Clock).where(Clock.case_id == first.id, Clock.stage == Stage.RESOLUTION))
    resolution.due_on = TODAY - timedelta(days=2)  # the first-instance period ran out
    db.session.flush()
    open_appeals_of_lapsed_complaints(datetime.combine(TODAY, time(12)))
    assert first.resolution_lapsed_on == TODAY - timedelta(days=2)
    case = accept_petition(appeal, world.users["phead"], accepted_on=TODAY, appeal_of=first, expected_version=UNCHECKED)
    db.session.commit()
    assert (case.instance, case.parent_case_id) == (2, first.id)
    appeal_clock = db.session.scalar(select(Clock).where(Clock.case_id == first.id, Clock.stage == Stage.APPEAL))
    assert appeal_clock.status.value == "done"  # the appeal was lodged within it
