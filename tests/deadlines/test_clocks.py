"""Clocks follow the petition and the case: started, re-ruled, paused, finished, cancelled."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.cases.models import CaseAction, CaseState
from app.cases.operations import accept_petition, perform
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.deadlines.calendar import load_calendar
from app.deadlines.clocks import clock_of, extend_resolution, on_case_transition, record_notice, start_enforcement
from app.deadlines.models import Clock, ClockStatus, Stage
from app.extensions import db
from app.petitions.models import PetitionKind, PetitionState
from app.petitions.operations import decide_petition
from tests.factories import create_case, create_petition


def clocks(**owner):
    key = Clock.petition_id if "petition_id" in owner else Clock.case_id
    return {c.stage: c for c in db.session.scalars(select(Clock).where(key == next(iter(owner.values()))))}


def test_a_complaint_petition_starts_three_clocks(world):
    p = create_petition(world, received_on=date(2026, 6, 25))
    got = clocks(petition_id=p.id)
    assert set(got) == {Stage.FIRST_ANSWER, Stage.CLASSIFICATION, Stage.ACCEPTANCE}
    assert got[Stage.ACCEPTANCE].due_on == date(2026, 7, 9)
    assert got[Stage.ACCEPTANCE].rule.code == "complaint.acceptance.1.2012"


def test_a_recommendation_has_no_acceptance_clock(world):
    p = create_petition(world, kind=PetitionKind.RECOMMENDATION)
    assert Stage.ACCEPTANCE not in clocks(petition_id=p.id)


def test_transferring_answers_the_citizen_and_cancels_acceptance(world):
    p = create_petition(world)
    decide_petition(
        p,
        world.users["reception"],
        PetitionState.TRANSFERRED,
        transferred_to="Sở Tư pháp",
        on=local_today(),
        expected_version=UNCHECKED,
    )
    got = clocks(petition_id=p.id)
    assert got[Stage.FIRST_ANSWER].status is ClockStatus.DONE
    assert got[Stage.FIRST_ANSWER].completed_on == local_today()
    assert got[Stage.ACCEPTANCE].status is ClockStatus.CANCELLED


def test_acceptance_finishes_the_petition_clocks_and_starts_resolution(world):
    case = create_case(world, received_on=local_today() - timedelta(days=10))
    petition = case.petitions[0]
    assert all(c.status is ClockStatus.DONE for c in clocks(petition_id=petition.id).values())
    resolution = clock_of(case, Stage.RESOLUTION)
    assert resolution.started_on == case.accepted_on
    assert resolution.due_on == load_calendar().add_working_days(case.accepted_on, 30)


def test_assigning_as_complex_switches_to_the_longer_limit(world):
    case = create_case(world)
    perform(
        case,
        CaseAction.ASSIGN,
        world.users["head"],
        handler_id=world.users["handler"].id,
        complexity="complex",
        expected_version=UNCHECKED,
    )
    resolution = clock_of(case, Stage.RESOLUTION)
    assert (resolution.rule.code, resolution.limit_days) == ("complaint.resolution.1.complex", 45)
    assert resolution.due_on == load_calendar().add_working_days(case.accepted_on, 45)


def test_remote_area_case_gets_the_remote_limit(world):
    case = create_case(world, unit="TL")  # TL is a remote commune
    assert case.is_remote_area
    assert clock_of(case, Stage.RESOLUTION).rule.code == "complaint.resolution.1.remote"


def test_suspension_stops_the_clock_and_resumption_moves_the_due_date(world):
    case = create_case(world, CaseState.ASSIGNED)
    clock = clock_of(case, Stage.RESOLUTION)
    clock.started_on, clock.limit_days = date(2026, 3, 2), 30
    cal = load_calendar()
    from app.deadlines.engine import recompute

    recompute(clock, cal)
    assert clock.due_on == date(2026, 4, 13)
    on_case_transition(case, "suspend", date(2026, 3, 13))  # a Friday
    assert clock.status is ClockStatus.PAUSED and clock.paused_on == date(2026, 3, 13)
    on_case_transition(case, "resume", date(2026, 3, 20))  # five working days later
    assert clock.status is ClockStatus.RUNNING and clock.suspended_days == 5
    assert clock.due_on == date(2026, 4, 20)


def test_suspend_and_resume_through_the_workflow_keep_the_clock_consistent(world):
    case = create_case(world, CaseState.ASSIGNED)
    due = clock_of(case, Stage.RESOLUTION).due_on
    perform(
        case,
        CaseAction.SUSPEND,
        world.users["head"],
        note="Chờ giám định",
        suspension_decision_no="07/QĐ-UBND",
        suspended_on=local_today(),
        expected_version=UNCHECKED,
    )
    assert clock_of(case, Stage.RESOLUTION).status is ClockStatus.PAUSED
    perform(case, CaseAction.RESUME, world.users["head"], expected_version=UNCHECKED)
    clock = clock_of(case, Stage.RESOLUTION)
    assert clock.status is ClockStatus.RUNNING and clock.due_on == due  # resumed the same day: no time lost


def test_resolution_of_a_complaint_starts_the_legal_effect_clock(world):
    case = create_case(world, CaseState.RESOLVED)
    assert clock_of(case, Stage.RESOLUTION).status is ClockStatus.DONE
    effect = clock_of(case, Stage.LEGAL_EFFECT)
    assert effect.status is ClockStatus.RUNNING
    assert effect.due_on == load_calendar().add_working_days(case.decision_on, 30)


def test_an_appeal_cancels_the_first_decisions_legal_effect_clock(world):
    first = create_case(world, CaseState.RESOLVED)
    appeal = create_petition(world, unit="TK")
    accept_petition(
        appeal,
        world.users["head"],
        accepted_on=local_today(),
        instance=2,
        appeal_of=first,
        expected_version=UNCHECKED,
    )
    assert clock_of(first, Stage.LEGAL_EFFECT).status is ClockStatus.CANCELLED
    second = appeal.case
    assert second.instance == 2
    assert clock_of(second, Stage.RESOLUTION).rule.code == "complaint.resolution.2"


def test_enforcement_clock_uses_the_decisions_own_date(world):
    case = create_case(world, CaseState.RESOLVED)
    case.enforcement_due_on = case.decision_on + timedelta(days=45)
    clock = start_enforcement(case, case.decision_on)
    assert clock.fixed_due_on == clock.due_on == case.enforcement_due_on
    assert start_enforcement(case, case.decision_on) is None  # only once
    case.legally_effective_on = case.decision_on  # as the scheduler's job records it when it starts the clock
    perform(
        case,
        CaseAction.ENFORCE,
        world.users["handler"],
        enforced_on=local_today(),
        enforcement_result="Xong",
        expected_version=UNCHECKED,
    )
    assert clock_of(case, Stage.ENFORCEMENT).status is ClockStatus.DONE


@pytest.mark.parametrize("action", [CaseAction.WITHDRAW, CaseAction.TERMINATE])
def test_withdrawal_and_termination_cancel_the_open_clocks(world, action):
    case = create_case(world, CaseState.ASSIGNED)
    perform(case, action, world.users["head"], note="Lý do", expected_version=UNCHECKED)
    assert clock_of(case, Stage.RESOLUTION).status is ClockStatus.CANCELLED


def test_denunciation_notice_and_extensions(world):
    case = create_case(world, kind=PetitionKind.DENUNCIATION, received_on=local_today() - timedelta(days=20))
    notice = clock_of(case, Stage.NOTIFY_ACCEPTANCE)
    assert notice.due_on == load_calendar().add_working_days(case.accepted_on, 5)
    record_notice(
        case,
        world.users["head"],
        Stage.NOTIFY_ACCEPTANCE,
        local_today(),
        today=local_today(),
        expected_version=UNCHECKED,
    )
    assert notice.status is ClockStatus.DONE
    perform(
        case,
        CaseAction.ASSIGN,
        world.users["head"],
        handler_id=world.users["handler"].id,
        complexity="especially_complex",
        expected_version=UNCHECKED,
    )
    resolution = clock_of(case, Stage.RESOLUTION)
    before = resolution.due_on
    ext = extend_resolution(
        case,
        world.users["head"],
        decision_no="01/QĐ-GH",
        decided_on=local_today(),
        today=local_today(),
        expected_version=UNCHECKED,
    )
    assert (ext.due_before, ext.due_after) == (before, load_calendar().add_calendar_days(before, 30))
    assert resolution.due_on == ext.due_after
    extend_resolution(
        case,
        world.users["head"],
        decision_no="02/QĐ-GH",
        decided_on=local_today(),
        today=local_today(),
        expected_version=UNCHECKED,
    )
    from app.core.errors import TransitionRefused

    with pytest.raises(TransitionRefused):
        extend_resolution(
            case,
            world.users["head"],
            decision_no="03/QĐ-GH",
            decided_on=local_today(),
            today=local_today(),
            expected_version=UNCHECKED,
        )
    assert [e.action for e in case.events if e.action in ("notice", "extend")] == ["notice", "extend", "extend"]


def test_a_normal_denunciation_cannot_be_extended_and_handlers_cannot_extend(world):
    from app.core.errors import PermissionRefused, TransitionRefused

    case = create_case(world, CaseState.ASSIGNED, kind=PetitionKind.DENUNCIATION)
    with pytest.raises(TransitionRefused):
        extend_resolution(
            case,
            world.users["head"],
            decision_no="01",
            decided_on=local_today(),
            today=local_today(),
            expected_version=UNCHECKED,
        )
    with pytest.raises(PermissionRefused):
        extend_resolution(
            case,
            world.users["handler"],
            decision_no="01",
            decided_on=local_today(),
            today=local_today(),
            expected_version=UNCHECKED,
        )
