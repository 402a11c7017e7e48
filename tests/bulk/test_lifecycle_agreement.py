"""The bulk generator's clocks agree with the clock lifecycle table (app/deadlines/lifecycle.py).

For a sample load, each case's events are read back from its history (and its legal effect and appeal),
and every clock the table starts must be there (unless no rule times it) with the status the table gives.
"""

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select

from app.cases.models import Case, CaseAction, CaseEvent
from app.deadlines.engine import Facts, find_rule
from app.deadlines.lifecycle import ACTION_EVENTS, ClockEvent, replay, started_by
from app.deadlines.models import Clock
from app.petitions.models import Petition, PetitionKind, PetitionState

E = ClockEvent
LOCAL = timedelta(hours=7)


def _events(case: Case, history: list, appealed_on) -> list:
    """(day, event) of the case in order, from its history, its legal effect and its appeal."""
    steps = []
    for row in history:
        day = (row.at + LOCAL).date()
        if row.action == "open":
            steps.append((day, E.CASE_ACCEPTED))
        elif row.action == "notice":
            # The acceptance notice comes before the conclusion (at the latest on its day, first thing), the
            # notice of the conclusion after it.
            concluded = any(event is E.CASE_RESOLVED for _on, event in steps)
            steps.append((day, E.CONCLUSION_NOTIFIED if concluded else E.NOTICE_SENT))
        elif row.action in CaseAction._value2member_map_:
            steps.append((day, ACTION_EVENTS[CaseAction(row.action)]))
    for day, event in ((case.legally_effective_on, E.DECISION_EFFECTIVE), (appealed_on, E.CASE_APPEALED)):
        if day is not None:
            k = next((i for i, (on, _e) in enumerate(steps) if on > day), len(steps))
            steps.insert(k, (day, event))
    return steps


def test_the_bulk_clocks_are_the_tables(app, db):
    result = app.test_cli_runner().invoke(args=["seed-bulk", "--cases", "250", "--batch-size", "100"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    cases = db.session.scalars(select(Case)).unique().all()
    history = defaultdict(list)
    for row in db.session.scalars(select(CaseEvent).order_by(CaseEvent.at, CaseEvent.id)):
        history[row.case_id].append(row)
    appealed = {c.parent_case_id: c.accepted_on for c in cases if c.parent_case_id}
    clocks = db.session.scalars(select(Clock)).unique().all()
    by_case = {(k.case_id, k.stage): k for k in clocks if k.case_id}
    by_petition = {(k.petition_id, k.stage): k for k in clocks if k.petition_id}
    seen = set()

    for case in cases:
        if not history[case.id] or history[case.id][0].action != "open":
            continue  # not written by the generator
        steps = _events(case, history[case.id], appealed.get(case.id))
        events = [event for _on, event in steps]
        facts = Facts(case.kind.value, case.instance, case.complexity.value, case.is_remote_area)
        expected = {}
        for i, event in enumerate(events):
            for life in started_by(event, case.kind, case.instance, bool(case.enforcement_required)):
                expected[life.stage] = (steps[i][0], replay(life.stage, events[i + 1 :])[0])
        for stage, (start, status) in expected.items():
            clock = by_case.get((case.id, stage))
            if clock is None:
                assert find_rule(stage, facts, start) is None, (case.number, stage)
                continue
            assert clock.status is status, (case.number, stage, events)
            seen.add((stage, status))
        assert {s for (cid, s) in by_case if cid == case.id} <= set(expected), case.number

    for petition in db.session.scalars(select(Petition)).unique():
        decision = {PetitionState.ACCEPTED: E.PETITION_ACCEPTED, PetitionState.SPLIT: E.PETITION_SPLIT}.get(
            petition.state, E.PETITION_NOT_ACCEPTED
        )
        instance = 1 if petition.kind is PetitionKind.COMPLAINT else None
        for life in started_by(E.PETITION_REGISTERED, petition.kind, instance):
            clock = by_petition.get((petition.id, life.stage))
            if clock is not None and petition.state is not PetitionState.RECEIVED:
                assert clock.status is life.outcome(decision), (petition.receipt_no, life.stage)
    assert len({stage for stage, _status in seen}) >= 5  # the sample reaches the clocks after the decision
