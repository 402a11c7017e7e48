"""Worked examples of the deadline engine: the calendar, the rule in force, and the due dates.

Every expected date below was counted by hand on the official calendar (see the comments).
"""

from datetime import date

import pytest

from app.deadlines.calendar import WorkCalendar, load_calendar
from app.deadlines.engine import Facts, compute_due, explain, find_rule
from app.deadlines.models import CalendarOverride, Stage

D = date


@pytest.fixture
def cal(app):
    """The calendar as the app loads it: the holidays package plus the shipped 2026 override."""
    return load_calendar()


@pytest.mark.parametrize(
    "start, n, expected, why",
    [
        (D(2024, 4, 25), 7, D(2024, 5, 8), "29/4 swapped off, 30/4 and 1/5 holidays, Saturday 4/5 worked"),
        (D(2026, 2, 12), 10, D(2026, 3, 5), "Tết Bính Ngọ: 16-20/2/2026 off"),
        (D(2026, 8, 27), 5, D(2026, 9, 8), "National Day: 31/8 (swapped), 1/9 and 2/9 off"),
        (D(2026, 8, 21), 1, D(2026, 8, 22), "Saturday 22/8/2026 is a make-up working day"),
        (D(2025, 12, 31), 1, D(2026, 1, 5), "1/1 holiday, 2/1/2026 off by the override, weekend"),
        (D(2026, 1, 9), 1, D(2026, 1, 10), "Saturday 10/1/2026 worked by the override"),
        (D(2026, 3, 2), 30, D(2026, 4, 13), "a plain month"),
        (D(2026, 3, 2), 45, D(2026, 5, 7), "Hùng Kings observed 27/4, 30/4 and 1/5 off"),
    ],
)
def test_working_days(cal, start, n, expected, why):
    assert cal.add_working_days(start, n) == expected, why


def test_the_2026_swap_is_an_override_not_known_to_the_package(cal):
    bare = WorkCalendar()
    assert bare.is_working_day(D(2026, 1, 2)) and not bare.is_working_day(D(2026, 1, 10))
    assert not cal.is_working_day(D(2026, 1, 2)) and cal.is_working_day(D(2026, 1, 10))


def test_an_override_added_by_an_administrator_changes_the_count(app, db):
    db.session.add(CalendarOverride(day=D(2026, 3, 3), is_working_day=False, document="Test"))
    db.session.flush()
    assert load_calendar().add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 4)


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (D(2024, 4, 10), 30, D(2024, 5, 10)),  # the domain's example: 30 d from 10 April ends 10 May
        (D(2024, 4, 1), 30, D(2024, 5, 2)),  # 1/5 is a holiday: the next working day
        (D(2024, 4, 25), 10, D(2024, 5, 6)),  # Sunday 5/5 -> Monday 6/5
        (D(2026, 1, 3), 30, D(2026, 2, 2)),  # 2/2/2026 is a Monday
    ],
)
def test_calendar_days_end_on_a_working_day(cal, start, n, expected):
    assert cal.add_calendar_days(start, n) == expected


def test_suspended_days_push_the_due_date(cal):
    base = compute_due(D(2026, 3, 2), 30, "wd", cal)
    assert base == D(2026, 4, 13)
    assert compute_due(D(2026, 3, 2), 30, "wd", cal, suspended_days=5) == D(2026, 4, 20)


def test_an_extension_runs_on_from_the_due_date_it_extends(cal):
    # Denunciation accepted 2/3/2026: 30 d -> 1/4/2026; +30 d -> 1/5/2026 (holiday), weekend -> 4/5/2026
    assert compute_due(D(2026, 3, 2), 30, "d", cal) == D(2026, 4, 1)
    assert compute_due(D(2026, 3, 2), 30, "d", cal, extensions=[30]) == D(2026, 5, 4)
    assert compute_due(D(2026, 3, 2), 30, "d", cal, extensions=[30, 30]) == D(2026, 6, 3)


@pytest.mark.parametrize(
    "facts, code, limit",
    [
        (Facts("complaint", 1), "complaint.resolution.1", 30),
        (Facts("complaint", 1, complexity="complex"), "complaint.resolution.1.complex", 45),
        (Facts("complaint", 1, complexity="especially_complex"), "complaint.resolution.1.complex", 45),
        (Facts("complaint", 1, is_remote=True), "complaint.resolution.1.remote", 45),
        (Facts("complaint", 1, complexity="complex", is_remote=True), "complaint.resolution.1.remote_complex", 60),
        (Facts("complaint", 2), "complaint.resolution.2", 45),
        (Facts("complaint", 2, complexity="complex"), "complaint.resolution.2.complex", 60),
        (Facts("complaint", 2, is_remote=True), "complaint.resolution.2.remote", 60),
        (Facts("complaint", 2, complexity="complex", is_remote=True), "complaint.resolution.2.remote_complex", 70),
        (Facts("denunciation"), "denunciation.resolution", 30),
        (Facts("recommendation"), "recommendation.resolution", 30),
    ],
)
def test_the_resolution_rule_follows_the_facts(app, facts, code, limit):
    rule = find_rule(Stage.RESOLUTION, facts, D(2026, 3, 2))
    assert (rule.code, rule.limit_days) == (code, limit)


def test_the_rule_in_force_on_the_day_the_clock_starts_applies(app):
    before = find_rule(Stage.ACCEPTANCE, Facts("complaint", 1), D(2026, 6, 30))
    after = find_rule(Stage.ACCEPTANCE, Facts("complaint", 1), D(2026, 7, 1))
    assert (before.limit_days, before.is_verified) == (10, True)
    assert (after.limit_days, after.is_verified) == (7, False)  # Decree 155/2026: marked for verification


def test_a_kind_specific_rule_beats_the_general_one(app):
    assert find_rule(Stage.FIRST_ANSWER, Facts("feedback"), D(2026, 3, 2)).code == "feedback.first_answer"
    assert find_rule(Stage.FIRST_ANSWER, Facts("complaint", 1), D(2026, 3, 2)).code == "any.first_answer"


def test_denunciation_at_several_sites_gets_ten_working_days(app):
    assert find_rule(Stage.ACCEPTANCE, Facts("denunciation", sites=3), D(2026, 3, 2)).limit_days == 10
    assert find_rule(Stage.ACCEPTANCE, Facts("denunciation"), D(2026, 3, 2)).limit_days == 7


def _by_stage(rows):
    return {r.stage.value: r for r in rows}


def test_explain_a_complaint_across_the_1_july_2026_change(app):
    rows = _by_stage(explain("complaint", received=D(2026, 6, 25), accepted=D(2026, 7, 3)))
    # Received before 1/7/2026: the old 10 wd acceptance limit applies although it ends in July.
    assert rows["acceptance"].due_on == D(2026, 7, 9)
    assert rows["acceptance"].rule.code == "complaint.acceptance.1.2012"
    assert rows["first_answer"].due_on == D(2026, 7, 9)
    assert rows["legal_effect"].due_on is None  # no decision yet
    later = _by_stage(explain("complaint", received=D(2026, 7, 1)))
    assert later["acceptance"].due_on == D(2026, 7, 10)  # 7 wd under the new rule


def test_explain_a_remote_complex_second_instance_complaint(app):
    rows = _by_stage(
        explain(
            "complaint",
            instance=2,
            received=D(2026, 2, 12),
            accepted=D(2026, 3, 2),
            complexity="complex",
            remote=True,
            decided=D(2026, 5, 7),
        )
    )
    assert rows["resolution"].limit_days == 70
    assert rows["resolution"].rule.legal_basis == "Luật Khiếu nại 2011, Điều 37"
    assert "appeal" not in rows  # a second-instance decision is not appealed to a third instance
    assert rows["legal_effect"].limit_days == 45


def test_explain_an_especially_complex_denunciation_with_two_extensions(app):
    from flask_babel import force_locale

    with force_locale("en"):
        rows = _by_stage(
            explain(
                "denunciation",
                received=D(2026, 2, 20),
                accepted=D(2026, 3, 2),
                complexity="especially_complex",
                extensions=3,
            )
        )
    assert rows["resolution"].due_on == D(2026, 6, 3)  # 30 d + 30 d + 30 d, holidays rolled forward
    assert "Only 2 extension(s) allowed by this rule." in rows["resolution"].notes
    assert rows["notify_acceptance"].due_on == D(2026, 3, 9)  # 5 wd after acceptance
