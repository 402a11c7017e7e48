"""Deadline queries: a clock's status on a day, the due-soon threshold, a case's clocks, counts and urgency."""

from datetime import date, timedelta

import pytest

from app.cases.models import CaseAction, CaseState
from app.cases.operations import accept_petition, perform
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.deadlines.models import Clock, ClockStatus, DayUnit, Stage
from app.deadlines.queries import (
    ATTENTION,
    DUE_SOON,
    OVERDUE,
    attention_list,
    cases_with_deadline,
    clocks_of_case,
    deadline_counts,
    describe_clock,
    due_soon_threshold,
    nearest_due,
)
from app.extensions import db
from app.petitions.models import PetitionKind
from tests.factories import create_case, create_petition, person

DAY = date(2024, 6, 12)  # a Wednesday
UNTIL = date(2024, 6, 17)  # three working days later (Thursday, Friday, Monday)
R, P, DONE, X = ClockStatus.RUNNING, ClockStatus.PAUSED, ClockStatus.DONE, ClockStatus.CANCELLED


def clock(due: date, status=R, stage=Stage.RESOLUTION, completed: date | None = None) -> Clock:
    return Clock(
        stage=stage,
        started_on=date(2024, 5, 1),
        limit_days=30,
        day_unit=DayUnit.CALENDAR,
        due_on=due,
        status=status,
        completed_on=completed,
        suspended_days=0,
    )


@pytest.mark.parametrize(
    "due, status, stage, completed, expected",
    [
        (date(2024, 7, 1), R, Stage.RESOLUTION, None, ("running", 19)),
        (UNTIL + timedelta(days=1), R, Stage.RESOLUTION, None, ("running", 6)),
        (UNTIL, R, Stage.RESOLUTION, None, ("due_soon", 5)),
        (DAY + timedelta(days=1), R, Stage.NOTIFY_ACCEPTANCE, None, ("due_soon", 1)),
        (DAY, R, Stage.RESOLUTION, None, ("due_today", 0)),
        (DAY - timedelta(days=1), R, Stage.ENFORCEMENT, None, ("overdue", 1)),
        (date(2024, 5, 1), R, Stage.ACCEPTANCE, None, ("overdue", 42)),
        (date(2024, 5, 1), P, Stage.RESOLUTION, None, ("suspended", 0)),
        (date(2024, 6, 10), DONE, Stage.RESOLUTION, date(2024, 6, 10), ("done", 0)),
        (date(2024, 6, 10), DONE, Stage.RESOLUTION, date(2024, 6, 3), ("done", 0)),
        (date(2024, 6, 10), DONE, Stage.RESOLUTION, date(2024, 6, 14), ("done_late", 4)),
        (date(2024, 5, 1), X, Stage.RESOLUTION, date(2024, 6, 1), ("cancelled", 0)),
        # The citizen's periods: never late, never due soon.
        (DAY - timedelta(days=3), R, Stage.LEGAL_EFFECT, None, ("period_over", 3)),
        (DAY + timedelta(days=2), R, Stage.APPEAL, None, ("period", 2)),
        (date(2024, 6, 10), DONE, Stage.LEGAL_EFFECT, date(2024, 6, 14), ("done", 0)),
    ],
)
def test_describe_clock(app, due, status, stage, completed, expected):
    row = describe_clock(clock(due, status, stage, completed), DAY, UNTIL)
    assert (row.status, row.days) == expected


@pytest.mark.parametrize(
    "today, days, expected",
    [
        (date(2024, 4, 25), 3, date(2024, 5, 3)),  # over the 27 April - 1 May 2024 holidays
        (date(2024, 4, 25), 4, date(2024, 5, 4)),  # the make-up Saturday counts
        (date(2024, 6, 12), 3, date(2024, 6, 17)),
        (date(2024, 6, 15), 1, date(2024, 6, 17)),  # from a Saturday
        (date(2025, 12, 31), 1, date(2026, 1, 5)),  # 2 January 2026 is off by the shipped override
        (date(2024, 6, 12), 0, date(2024, 6, 12)),
    ],
)
def test_due_soon_threshold_counts_working_days(app, today, days, expected):
    assert due_soon_threshold(today, days=days) == expected


def test_due_soon_threshold_uses_the_configured_days(app, monkeypatch):
    assert due_soon_threshold(date(2024, 6, 12)) == date(2024, 6, 17)  # the default, 3
    monkeypatch.setitem(app.config, "DUE_SOON_WORKING_DAYS", 1)
    assert due_soon_threshold(date(2024, 6, 12)) == date(2024, 6, 13)


def test_clocks_of_case_include_its_petitions_in_stage_order(world, db):
    case = create_case(world, received_on=date(2024, 4, 25), kind=PetitionKind.DENUNCIATION)
    second = create_petition(
        world,
        kind=PetitionKind.DENUNCIATION,
        received_on=date(2024, 4, 29),
        petitioners=[person("Lê Thị Hai", "079000000301")],
    )
    accept_petition(
        second, world.users["reception"], join_case=case, accepted_on=local_today(), expected_version=UNCHECKED
    )
    other = create_case(world, kind=PetitionKind.DENUNCIATION, petitioners=[person("Khác", "079000000302")])
    db.session.commit()
    first = case.petitions[0]
    got = [(c.stage, c.petition_id or "case") for c in clocks_of_case(case)]
    assert got == [
        (Stage.FIRST_ANSWER, first.id),
        (Stage.FIRST_ANSWER, second.id),
        (Stage.CLASSIFICATION, first.id),
        (Stage.CLASSIFICATION, second.id),
        (Stage.ACCEPTANCE, first.id),
        (Stage.ACCEPTANCE, second.id),
        (Stage.NOTIFY_ACCEPTANCE, "case"),
        (Stage.RESOLUTION, "case"),
    ]
    assert all(c.case_id != other.id for c in clocks_of_case(case))


@pytest.fixture
def cases(world, db):
    """TK: overdue since May 2024 (handler), overdue since July 2024 (handler2), due soon, not urgent;
    TL: overdue."""
    today = local_today()
    c = {
        "old": create_case(
            world,
            CaseState.ASSIGNED,
            kind=PetitionKind.DENUNCIATION,
            received_on=date(2024, 5, 2),
            petitioners=[person("A", "079000000311")],
        ),
        "late": create_case(
            world, CaseState.ASSIGNED, received_on=date(2024, 6, 3), petitioners=[person("B", "079000000312")]
        ),
        "soon": create_case(
            world,
            kind=PetitionKind.FEEDBACK,
            received_on=today - timedelta(days=30),
            petitioners=[person("C", "079000000313")],
        ),
        "calm": create_case(world, received_on=today - timedelta(days=2), petitioners=[person("D", "079000000314")]),
        "tl": create_case(
            world,
            CaseState.ASSIGNED,
            unit="TL",
            kind=PetitionKind.DENUNCIATION,
            received_on=date(2024, 5, 2),
            petitioners=[person("E", "079000000315")],
        ),
    }
    perform(
        c["late"],
        CaseAction.ASSIGN,
        world.users["head"],
        handler_id=world.users["handler2"].id,
        expected_version=UNCHECKED,
    )
    db.session.commit()
    return c


def test_attention_list_most_urgent_first_with_limit_and_total(world, cases):
    today = local_today()
    head = world.users["head"]
    got = attention_list(head, today)
    assert [r.number for r in got.rows] == [cases[k].number for k in ("old", "late", "soon")]
    assert [r.status for r in got.rows] == ["overdue", "overdue", "due_soon"]
    assert got.rows[0].stage is Stage.NOTIFY_ACCEPTANCE and got.rows[0].handler_name == "Hoàng Văn Xử"
    assert got.rows[0].days == (today - got.rows[0].due_on).days > got.rows[1].days
    assert got.total == 3
    short = attention_list(head, today, limit=2)
    assert [r.number for r in short.rows] == [cases["old"].number, cases["late"].number] and short.total == 3
    assert [r.number for r in attention_list(world.users["tl_head"], today).rows] == [cases["tl"].number]


def test_deadline_counts_per_unit_and_officer(world, cases):
    today = local_today()
    counts = deadline_counts(world.users["phead"], today, due_soon_threshold(today))
    units = {code: counts.units.get(world.units[code].id) for code in ("TK", "TL", "TKVP")}
    assert (units["TK"].overdue, units["TK"].due_soon) == (2, 1)
    assert (units["TL"].overdue, units["TL"].due_soon) == (1, 0)
    assert units["TKVP"] is None
    assert (counts.total.overdue, counts.total.due_soon) == (3, 1)
    assert [(o.username, o.count.overdue, o.count.due_soon) for o in counts.officers] == [
        ("handler", 1, 0),
        ("handler2", 1, 0),
        ("tl_handler", 1, 0),
    ]
    tk = deadline_counts(world.users["head"], today, due_soon_threshold(today))
    assert world.units["TL"].id not in tk.units
    assert [o.username for o in tk.officers] == ["handler", "handler2"]


def test_a_case_with_two_overdue_clocks_counts_once(world, cases):
    today = local_today()
    counts = deadline_counts(world.users["tl_head"], today, due_soon_threshold(today))
    # The TL denunciation has both its notice and its resolution overdue.
    assert counts.units[world.units["TL"].id].overdue == 1


def test_deadline_subqueries_and_nearest_due(world, cases):
    today = local_today()
    until = due_soon_threshold(today)

    def ids(kind):
        return set(db.session.scalars(cases_with_deadline(kind, today, until)))

    assert ids(OVERDUE) == {cases[k].id for k in ("old", "late", "tl")}
    assert ids(DUE_SOON) == {cases["soon"].id}
    assert ids(ATTENTION) == {cases[k].id for k in ("old", "late", "soon", "tl")}
    due = nearest_due([cases["old"].id, cases["calm"].id])
    assert due[cases["old"].id] == date(2024, 5, 9)  # the notice: 5 working days from Friday 3 May 2024
    assert set(due) == {cases["old"].id, cases["calm"].id} and due[cases["calm"].id] > until
    assert nearest_due([]) == {}


def test_the_citizens_periods_never_count_as_overdue(world, db):
    case = create_case(world, CaseState.ASSIGNED, received_on=date(2024, 4, 25))
    perform(
        case,
        CaseAction.RESOLVE,
        world.users["handler"],
        decision_no="1/QĐ",
        decision_on=date(2024, 6, 10),
        outcome="rejected",
        expected_version=UNCHECKED,
    )
    db.session.commit()
    today = local_today()
    until = due_soon_threshold(today)
    assert case.id not in set(db.session.scalars(cases_with_deadline(ATTENTION, today, until)))
    assert attention_list(world.users["head"], today).rows == []
    assert nearest_due([case.id]) == {}
