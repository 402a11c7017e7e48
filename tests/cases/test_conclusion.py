"""A denunciation's conclusion: how the violations are handled, its notice to the denunciator (a clock of its
own, Law on Denunciations 2018 art. 35), "nothing to carry out" as an explicit choice, and the words of a
conclusion (not a decision) on the form and the page."""

import pytest
from sqlalchemy import select

from app.cases.models import Case, CaseState
from app.core.timeutil import local_today
from app.deadlines.calendar import load_calendar
from app.deadlines.models import Clock, ClockStatus, Stage
from app.extensions import db
from app.petitions.models import PetitionKind
from tests.cases.helpers import case_state, follow, text
from tests.factories import create_case

TODAY = local_today()
D, C = PetitionKind.DENUNCIATION, PetitionKind.COMPLAINT


def conclude(case: Case, **changes) -> dict:
    return {
        "version": case.version,
        "decision_no": "05/KL-UBND",
        "decision_on": TODAY.isoformat(),
        "outcome": "partly_true",
        "decision_summary": "Tố cáo đúng một phần",
        "violation_handling": "Kiểm điểm, xem xét kỷ luật cán bộ địa chính; thu hồi số tiền nhận sai",
        "people_to_sanction": "2",
        "referred_to_investigation": "y",
        "enforcement": "required",
        "enforcement_required": "Thu hồi 15.000.000 đồng nộp ngân sách",
        **changes,
    }


def notice_clock(case_id: int) -> Clock | None:
    db.session.expire_all()
    return db.session.scalar(select(Clock).where(Clock.case_id == case_id, Clock.stage == Stage.NOTIFY_CONCLUSION))


def test_the_conclusion_form_is_a_conclusion_with_the_handling_of_violations(world, db, login_en):
    denunciation = create_case(world, CaseState.ASSIGNED, kind=D)
    complaint = create_case(world, CaseState.ASSIGNED, kind=C)
    db.session.commit()
    handler = login_en("handler")
    page = text(handler.get(f"/cases/{denunciation.id}"))
    assert "Record conclusion" in page and "Conclusion number" in page
    assert 'name="violation_handling"' in page and 'name="referred_to_investigation"' in page
    assert "What the conclusion requires to be done" in page and "Nothing to act on" in page
    page = text(handler.get(f"/cases/{complaint.id}"))
    assert "Record decision" in page and 'name="violation_handling"' not in page
    assert "Nothing to enforce" in page


def test_a_conclusion_records_the_handling_and_starts_its_notice_clock(world, db, login_en):
    case = create_case(world, CaseState.ASSIGNED, kind=D)
    db.session.commit()
    handler = login_en("handler")
    url = f"/cases/{case.id}"
    page = text(follow(handler, handler.post(f"{url}/resolve", conclude(case), token_from=url)))
    case = db.session.get(Case, case.id)
    assert (case.violation_handling[:9], case.people_to_sanction, case.referred_to_investigation) == (
        "Kiểm điểm",
        2,
        True,
    )
    assert "2 people recommended for handling" in page and "Referred to the investigating body" in page
    assert "Acting on the conclusion" in page and "Thu hồi 15.000.000 đồng" in page
    clock = notice_clock(case.id)
    assert clock.status is ClockStatus.RUNNING and clock.rule.code == "denunciation.notify_conclusion"
    assert clock.due_on == load_calendar().add_working_days(TODAY, 5)
    assert "Record the notice of the conclusion to the denunciator" in page
    # Recording the notice finishes its clock and goes into the history.
    data = {"version": case.version, "sent_on": TODAY.isoformat()}
    page = text(follow(handler, handler.post(f"{url}/notice/conclusion", data, token_from=url)))
    assert "The notice of the conclusion to the denunciator was recorded" in page
    clock = notice_clock(case.id)
    assert (clock.status, clock.completed_on) == (ClockStatus.DONE, TODAY)
    assert db.session.get(Case, case.id).events[-1].action == "notice"
    assert "Record the notice of the conclusion" not in text(handler.get(url))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"enforcement": ""}, "Say whether something must be carried out."),
        ({"enforcement": "maybe"}, "Choose from the list."),
        ({"enforcement_required": ""}, "Say what must be carried out."),
        ({"enforcement": "none"}, "Nothing is to be carried out: leave this empty"),
        ({"people_to_sanction": "-1"}, "Enter a whole number from 0 to 100,000."),
    ],
)
def test_a_conclusion_that_does_not_say_what_is_carried_out_changes_nothing(world, db, login_en, changes, message):
    case = create_case(world, CaseState.ASSIGNED, kind=D)
    db.session.commit()
    before = case_state(case.id)
    handler = login_en("handler")
    url = f"/cases/{case.id}"
    resp = handler.post(f"{url}/resolve", conclude(db.session.get(Case, case.id), **changes), token_from=url)
    assert resp.status_code == 422 and message in text(resp)
    assert case_state(case.id) == before and notice_clock(case.id) is None


def test_nothing_to_act_on_is_an_explicit_outcome(world, db, login_en):
    case = create_case(world, CaseState.ASSIGNED, kind=D)
    db.session.commit()
    handler = login_en("handler")
    url = f"/cases/{case.id}"
    data = conclude(
        case,
        outcome="untrue",
        enforcement="none",
        enforcement_required="",
        violation_handling="",
        people_to_sanction="",
        referred_to_investigation="",
    )
    page = text(follow(handler, handler.post(f"{url}/resolve", data, token_from=url)))
    case = db.session.get(Case, case.id)
    assert case.enforcement_required is None and case.referred_to_investigation is False
    assert "Nothing to act on" in page
    # Nothing to act on: no clock to act on the conclusion; the notice to the denunciator is still due.
    stages = set(
        db.session.scalars(select(Clock.stage).where(Clock.case_id == case.id, Clock.status == ClockStatus.RUNNING))
    )
    assert Stage.NOTIFY_CONCLUSION in stages and Stage.ACT_ON_CONCLUSION not in stages


def test_the_vietnamese_page_says_conclusion(world, db, login_as):
    case = create_case(world, CaseState.RESOLVED, kind=D)
    db.session.commit()
    page = text(login_as("handler").get(f"/cases/{case.id}"))
    assert "Kết luận nội dung tố cáo" in page and "Xử lý hành vi vi phạm" in page
    assert "Thông báo kết luận nội dung tố cáo cho người tố cáo" in page
