"""The deadline jobs: due-soon/overdue flags around due dates, decisions taking legal effect."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.cases.models import Case, CaseAction, CaseState
from app.cases.operations import accept_petition, perform
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.deadlines.jobs import flag_deadlines, mark_legally_effective
from app.deadlines.models import Clock, ClockStatus, Stage
from app.extensions import db
from app.flags.models import Flag, FlagKind
from app.petitions.models import PetitionKind, PetitionState
from app.petitions.operations import decide_petition
from tests.conftest import count_queries
from tests.factories import create_case, create_petition, person
from tests.scheduler.helpers import active_flags, all_flags, at, clock


def assigned_case(world, **kw):
    case = create_case(world, CaseState.ASSIGNED, **kw)
    db.session.commit()
    return case


def kinds_on(clock_: Clock) -> list[str]:
    return [f.kind.value for f in active_flags(clock_id=clock_.id)]


@pytest.mark.parametrize(
    "offset, expected",
    [
        (-30, []),
        (-1, ["due_soon"]),
        (0, ["due_soon"]),
        (1, ["overdue"]),
        (40, ["overdue"]),
    ],
)
def test_a_running_clock_is_flagged_around_its_due_date(world, offset, expected):
    case = assigned_case(world)
    resolution = clock(case)
    flag_deadlines(at(resolution.due_on + timedelta(days=offset)))
    assert kinds_on(resolution) == expected
    for flag in active_flags(clock_id=resolution.id):
        assert (flag.subject, flag.subject_id, flag.unit_id) == ("case", case.id, world.units["TK"].id)
        assert json.loads(flag.detail) == {"stage": "resolution", "due_on": resolution.due_on.isoformat()}


def test_due_soon_counts_working_days(world, app, monkeypatch):
    """Three working days before a Monday due date is the Wednesday before, not the Friday."""
    case = assigned_case(world)
    resolution = clock(case)
    resolution.fixed_due_on = resolution.due_on = date(2026, 3, 16)  # a Monday
    db.session.commit()
    flag_deadlines(at(date(2026, 3, 10)))  # Tuesday: four working days ahead
    assert kinds_on(resolution) == []
    flag_deadlines(at(date(2026, 3, 11)))  # Wednesday: Thu, Fri, Mon
    assert kinds_on(resolution) == ["due_soon"]
    monkeypatch.setitem(app.config, "DUE_SOON_WORKING_DAYS", 1)
    flag_deadlines(at(date(2026, 3, 12)))
    assert kinds_on(resolution) == []


def test_running_twice_adds_nothing(world):
    case = assigned_case(world)
    now = at(clock(case).due_on + timedelta(days=1))
    first = flag_deadlines(now)
    db.session.commit()
    rows = [(f.id, f.kind, f.raised_at) for f in all_flags()]
    second = flag_deadlines(now)
    assert first["raised"] == 1 and second == {"raised": 0, "cleared": 0}
    assert [(f.id, f.kind, f.raised_at) for f in all_flags()] == rows


def test_due_soon_turns_into_overdue_keeping_the_history(world):
    case = assigned_case(world)
    resolution = clock(case)
    flag_deadlines(at(resolution.due_on - timedelta(days=1)))
    flag_deadlines(at(resolution.due_on + timedelta(days=1)))
    history = [(f.kind.value, f.cleared_at is not None) for f in all_flags()]
    assert history == [("due_soon", True), ("overdue", False)]


def test_completing_the_clock_clears_the_flag(world):
    case = assigned_case(world)
    resolution = clock(case)
    late = at(resolution.due_on + timedelta(days=3))
    flag_deadlines(late)
    assert kinds_on(resolution) == ["overdue"]
    perform(
        case,
        CaseAction.RESOLVE,
        world.users["handler"],
        decision_no="7/QĐ",
        decision_on=local_today(),
        outcome="rejected",
        expected_version=UNCHECKED,
    )
    result = flag_deadlines(late)
    assert result["cleared"] == 1
    assert kinds_on(resolution) == []
    # The period that follows (time for legal effect) is the citizen's, not a duty: never flagged.
    legal_effect = clock(case, Stage.LEGAL_EFFECT)
    flag_deadlines(at(legal_effect.due_on + timedelta(days=5)))
    assert active_flags() == []


def test_a_paused_clock_is_not_overdue(world):
    case = assigned_case(world)
    resolution = clock(case)
    late = at(resolution.due_on + timedelta(days=2))
    flag_deadlines(late)
    assert kinds_on(resolution) == ["overdue"]
    perform(
        case,
        CaseAction.SUSPEND,
        world.users["head"],
        note="Chờ kết quả giám định",
        suspension_decision_no="07/QĐ-UBND",
        suspended_on=local_today(),
        expected_version=UNCHECKED,
    )
    assert resolution.status is ClockStatus.PAUSED
    flag_deadlines(late)
    assert active_flags() == []
    flag_deadlines(at(resolution.due_on + timedelta(days=20)))
    assert active_flags() == []


def test_a_moved_due_date_clears_and_re_raises(world):
    case = assigned_case(world)
    resolution = clock(case)
    today = resolution.due_on + timedelta(days=1)
    flag_deadlines(at(today))
    (overdue,) = active_flags(clock_id=resolution.id)
    # An extension moves the due date to tomorrow: no longer overdue, but due soon.
    resolution.fixed_due_on = resolution.due_on = today + timedelta(days=1)
    db.session.commit()
    result = flag_deadlines(at(today))
    assert result == {"raised": 1, "cleared": 1}
    (soon,) = active_flags(clock_id=resolution.id)
    assert soon.kind is FlagKind.DUE_SOON and json.loads(soon.detail)["due_on"] == resolution.due_on.isoformat()
    db.session.refresh(overdue)
    assert overdue.cleared_at is not None
    # Far away: nothing.
    resolution.fixed_due_on = resolution.due_on = today + timedelta(days=60)
    db.session.commit()
    flag_deadlines(at(today))
    assert active_flags() == []


def test_petition_clocks_flag_the_petition(world):
    petition = create_petition(world, received_on=date(2026, 3, 2))
    db.session.commit()
    first_answer = clock(petition=petition, stage=Stage.FIRST_ANSWER)
    flag_deadlines(at(first_answer.due_on + timedelta(days=1)))
    flags = active_flags(subject="petition", subject_id=petition.id)
    assert {f.clock_id for f in flags} == {
        c.id for c in db.session.scalars(select(Clock).where(Clock.petition_id == petition.id))
    }
    assert {f.kind for f in flags} == {FlagKind.OVERDUE}
    decide_petition(
        petition,
        world.users["reception"],
        PetitionState.GUIDED,
        guidance="Đến Tòa án",
        on=local_today(),
        expected_version=UNCHECKED,
    )
    flag_deadlines(at(first_answer.due_on + timedelta(days=1)))
    assert active_flags() == []


def sql(statements: list[str]) -> list[str]:
    """The statements without SQLite's BEGIN (which the connection emits once per transaction)."""
    return [s for s in statements if not s.startswith("BEGIN")]


def _make_cases(world, n: int) -> None:
    for i in range(n):
        create_case(world, CaseState.ASSIGNED, petitioners=[person(f"Người {i}", f"0791{i:08d}")])
    db.session.commit()


def test_flag_deadlines_uses_a_few_statements(world):
    _make_cases(world, 5)
    now = at(local_today() + timedelta(days=400))  # everything overdue
    with count_queries() as first:
        flag_deadlines(now)
    with count_queries() as again:
        flag_deadlines(now)
    assert len(active_flags(kind=FlagKind.OVERDUE)) == 5
    # the calendar overrides, one UPDATE clearing, one INSERT ... SELECT raising
    assert len(sql(first)) == len(sql(again)) == 3, first


def test_statement_count_is_the_same_for_5_and_50_cases(world):
    counts = {}
    for n in (5, 50):
        db.session.execute(Flag.__table__.delete())
        _make_cases(world, n if n == 5 else 45)
        with count_queries() as statements:
            flag_deadlines(at(local_today() + timedelta(days=400)))
        counts[n] = len(sql(statements))
        db.session.commit()
    assert db.session.scalar(select(func.count(Flag.id))) == 50
    assert counts[5] == counts[50]


# --- Legal effect ------------------------------------------------------------------------------------------


def resolved_complaint(world, **kw) -> Case:
    case = create_case(world, CaseState.RESOLVED, **kw)
    db.session.commit()
    return case


def test_a_decision_takes_legal_effect_and_opens_enforcement(world):
    case = resolved_complaint(world)
    legal = clock(case, Stage.LEGAL_EFFECT)
    assert mark_legally_effective(at(legal.due_on)) == {"effective": 0, "enforcement_clocks": 0}
    result = mark_legally_effective(at(legal.due_on + timedelta(days=1)))
    db.session.commit()
    assert result == {"effective": 1, "enforcement_clocks": 1}
    db.session.expire_all()
    assert case.legally_effective_on == legal.due_on
    assert (legal.status, legal.completed_on) == (ClockStatus.DONE, legal.due_on)
    enforcement = clock(case, Stage.ENFORCEMENT)
    assert (enforcement.status, enforcement.started_on) == (ClockStatus.RUNNING, legal.due_on)
    # Idempotent: a second run (or a scheduler that catches up) changes nothing.
    assert mark_legally_effective(at(legal.due_on + timedelta(days=9))) == {"effective": 0, "enforcement_clocks": 0}
    assert (
        db.session.scalar(
            select(func.count(Clock.id)).where(Clock.case_id == case.id, Clock.stage == Stage.ENFORCEMENT)
        )
        == 1
    )


def test_nothing_to_enforce_means_no_enforcement_clock(world):
    case = resolved_complaint(world, enforcement_required="")
    legal = clock(case, Stage.LEGAL_EFFECT)
    assert mark_legally_effective(at(legal.due_on + timedelta(days=1))) == {"effective": 1, "enforcement_clocks": 0}
    db.session.expire_all()
    assert case.legally_effective_on == legal.due_on
    assert db.session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.stage == Stage.ENFORCEMENT)) is None


def test_an_enforced_decision_gets_no_new_enforcement_clock(world):
    case = create_case(world, CaseState.ENFORCED)
    db.session.commit()
    legal = clock(case, Stage.LEGAL_EFFECT)
    assert mark_legally_effective(at(legal.due_on + timedelta(days=1)))["enforcement_clocks"] == 0
    db.session.expire_all()
    assert case.legally_effective_on == legal.due_on


@pytest.mark.parametrize("clock_reopened_by_hand", [False, True])
def test_an_appealed_decision_does_not_take_legal_effect(world, clock_reopened_by_hand):
    first = resolved_complaint(world)
    legal = clock(first, Stage.LEGAL_EFFECT)
    appeal = create_petition(world, unit="DN", actor="phead", kind=PetitionKind.COMPLAINT, received_on=local_today())
    accept_petition(
        appeal,
        world.users["phead"],
        accepted_on=local_today(),
        appeal_of=first,
        expected_version=UNCHECKED,
    )
    assert legal.status is ClockStatus.CANCELLED
    if clock_reopened_by_hand:  # the child case alone must be enough
        legal.status = ClockStatus.RUNNING
    db.session.commit()
    assert mark_legally_effective(at(legal.due_on + timedelta(days=1)))["effective"] == 0
    db.session.expire_all()
    assert first.legally_effective_on is None
    assert db.session.scalar(select(Clock).where(Clock.case_id == first.id, Clock.stage == Stage.ENFORCEMENT)) is None


def test_only_past_due_clocks_of_many_cases_take_effect(world):
    cases = [resolved_complaint(world, petitioners=[person(f"Người {i}", f"0792{i:08d}")]) for i in range(3)]
    dues = [clock(c, Stage.LEGAL_EFFECT).due_on for c in cases]
    due = dues[0]
    clock(cases[2], Stage.LEGAL_EFFECT).fixed_due_on = clock(cases[2], Stage.LEGAL_EFFECT).due_on = due + timedelta(
        days=10
    )
    db.session.commit()
    result = mark_legally_effective(at(due + timedelta(days=1)))
    assert result == {"effective": 2, "enforcement_clocks": 2}
    db.session.expire_all()
    assert [c.legally_effective_on for c in cases] == [due, due, None]
