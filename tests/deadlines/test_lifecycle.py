"""The clock lifecycle table (app/deadlines/lifecycle.py) is what the operations do.

Each scenario drives events through the real operations and, after every step, compares the clocks in
the database with a model that knows nothing but the table: which stages an event starts (for the kind,
instance, enforcement), and which open clocks it finishes, cancels, pauses or resumes.
"""

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.cases.models import CaseAction, CaseState, Outcome
from app.cases.operations import accept_petition, perform, record_court_filing, record_delivery
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.deadlines.clocks import record_notice
from app.deadlines.defaults import DEFAULT_RULES
from app.deadlines.jobs import mark_legally_effective, open_appeals_of_lapsed_complaints
from app.deadlines.lifecycle import ACTION_EVENTS, LIFECYCLE, ClockEvent, started_by
from app.deadlines.models import Clock, ClockStatus, Stage
from app.extensions import db
from app.petitions.models import PetitionKind, PetitionState
from app.petitions.operations import Part, decide_petition, split_petition
from app.petitions.procedure import Lodging
from tests.factories import create_case, create_petition, subject

E = ClockEvent
C, D, R, F = PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION, PetitionKind.RECOMMENDATION, PetitionKind.FEEDBACK

#: (kind, the events in order). Registration and acceptance come first where listed; a case's events
#: follow its acceptance; CASE_APPEALED accepts a second-instance complaint against the case. A case is
#: resolved with a decision to enforce unless its name says "unenforced" (it could not be closed unenforced).
SCENARIOS = {
    "complaint transferred": (C, [E.PETITION_REGISTERED, E.PETITION_NOT_ACCEPTED]),
    "denunciation filed": (D, [E.PETITION_REGISTERED, E.PETITION_NOT_ACCEPTED]),
    "recommendation guided": (R, [E.PETITION_REGISTERED, E.PETITION_NOT_ACCEPTED]),
    # Split into a complaint and a denunciation: the parts carry the clocks (their own, not checked here).
    "complaint of several contents split": (C, [E.PETITION_REGISTERED, E.PETITION_SPLIT]),
    "complaint to enforcement": (
        C,
        [
            E.PETITION_REGISTERED,
            E.PETITION_ACCEPTED,
            E.CASE_ASSIGNED,
            E.CASE_SUSPENDED,
            E.CASE_RESUMED,
            E.CASE_RESOLVED,
            E.DECISION_DELIVERED,
            E.DECISION_EFFECTIVE,
            E.CASE_ENFORCED,
            E.CASE_CLOSED,
        ],
    ),
    # Closed before the decision took effect only once appealed (Law on Complaints art. 44), even with
    # something to enforce: the second-instance decision is the one carried out.
    "complaint appealed, then closed": (
        C,
        [
            E.PETITION_REGISTERED,
            E.PETITION_ACCEPTED,
            E.CASE_ASSIGNED,
            E.CASE_RESOLVED,
            E.DECISION_DELIVERED,
            E.CASE_APPEALED,
            E.CASE_CLOSED,
        ],
    ),
    "complaint effective, closed unenforced": (
        C,
        [
            E.PETITION_REGISTERED,
            E.PETITION_ACCEPTED,
            E.CASE_ASSIGNED,
            E.CASE_RESOLVED,
            E.DECISION_EFFECTIVE,
            E.CASE_CLOSED,
        ],
    ),
    # A lawsuit stops the administrative route: the appeal and legal-effect periods end, the case closes.
    "complaint taken to court": (
        C,
        [
            E.PETITION_REGISTERED,
            E.PETITION_ACCEPTED,
            E.CASE_ASSIGNED,
            E.CASE_RESOLVED,
            E.DECISION_DELIVERED,
            E.COURT_FILED,
            E.CASE_CLOSED,
        ],
    ),
    # Not decided in time: the complainant may appeal from the day the period ran out (art. 33).
    "complaint not decided in time, withdrawn": (
        C,
        [E.PETITION_REGISTERED, E.PETITION_ACCEPTED, E.CASE_ASSIGNED, E.RESOLUTION_LAPSED, E.CASE_WITHDRAWN],
    ),
    "complaint appealed": (
        C,
        [E.PETITION_REGISTERED, E.PETITION_ACCEPTED, E.CASE_ASSIGNED, E.CASE_RESOLVED, E.CASE_APPEALED],
    ),
    "denunciation concluded": (
        D,
        [
            E.PETITION_REGISTERED,
            E.PETITION_ACCEPTED,
            E.NOTICE_SENT,
            E.CASE_ASSIGNED,
            E.CASE_RESOLVED,
            E.CONCLUSION_NOTIFIED,
            E.CASE_ENFORCED,
            E.CASE_CLOSED,
        ],
    ),
    "denunciation suspended, withdrawn": (
        D,
        [E.PETITION_REGISTERED, E.PETITION_ACCEPTED, E.CASE_ASSIGNED, E.CASE_SUSPENDED, E.CASE_WITHDRAWN],
    ),
    "denunciation unenforced, closed": (
        D,
        [E.PETITION_REGISTERED, E.PETITION_ACCEPTED, E.CASE_ASSIGNED, E.CASE_RESOLVED, E.CASE_CLOSED],
    ),
    "recommendation terminated": (
        R,
        [E.PETITION_REGISTERED, E.PETITION_ACCEPTED, E.CASE_ASSIGNED, E.CASE_TERMINATED],
    ),
    "feedback answered": (
        F,
        [E.PETITION_REGISTERED, E.PETITION_ACCEPTED, E.CASE_ASSIGNED, E.CASE_RESOLVED, E.CASE_CLOSED],
    ),
}


class Model:
    """The clocks the table says exist: {(owner, stage): status}; owners are "petition", "case", "appeal"."""

    def __init__(self, kind, enforce=True):
        self.kind, self.enforce, self.clocks = kind, enforce, {}

    def start(self, owner, event, kind, instance=None, enforcement_required=True):
        for life in started_by(event, kind, instance, enforcement_required):
            self.clocks[(owner, life.stage)] = ClockStatus.RUNNING

    def move(self, owner, event):
        for (who, stage), status in self.clocks.items():
            if who != owner or status not in (ClockStatus.RUNNING, ClockStatus.PAUSED):
                continue
            life = LIFECYCLE[stage]
            if (end := life.outcome(event)) is not None:
                self.clocks[(who, stage)] = end
            elif status is ClockStatus.RUNNING and event in life.pauses:
                self.clocks[(who, stage)] = ClockStatus.PAUSED
            elif status is ClockStatus.PAUSED and event in life.resumes:
                self.clocks[(who, stage)] = ClockStatus.RUNNING

    def play(self, event):
        """What ``event`` does to the model (the operation that raises it may raise others too)."""
        kind = self.kind
        if event is E.PETITION_REGISTERED:
            self.start("petition", event, kind, 1 if kind is C else None)
        elif event is E.PETITION_NOT_ACCEPTED:  # the driver transfers the petition
            self.move("petition", event)
            self.start("petition", E.PETITION_TRANSFERRED, kind)
            self.move("petition", E.PETITION_TRANSFERRED)
        elif event is E.PETITION_SPLIT:  # the parts are petitions of their own
            self.move("petition", event)
        elif event is E.PETITION_ACCEPTED:  # the acceptance decision opens the case
            self.move("petition", event)
            # A complaint's lodging period (recorded at acceptance) starts and ends with it.
            self.start("petition", event, kind, 1 if kind is C else None)
            self.move("petition", event)
            self.start("case", E.CASE_ACCEPTED, kind, 1 if kind is C else None)
        elif event is E.CASE_APPEALED:  # a new complaint petition, accepted as the appeal
            self.start("appeal petition", E.PETITION_REGISTERED, C, 1)
            self.move("appeal petition", E.PETITION_ACCEPTED)
            self.start("appeal", E.CASE_ACCEPTED, C, 2)
            self.move("case", event)
        else:
            self.move("case", event)
            self.start("case", event, kind, 1 if kind is C else None, self.enforce)


def _db_clocks(owners: dict) -> dict:
    got = {}
    for owner, (column, owner_id) in owners.items():
        for clock in db.session.scalars(select(Clock).where(column == owner_id)):
            got[(owner, clock.stage)] = clock.status
    return got


def _drive(world, kind, event, state: dict, enforce: bool) -> None:
    """Raise ``event`` through the operation that raises it; ``state`` holds the petition and case."""
    today = local_today()
    head, handler = world.users["head"], world.users["handler"]
    if event is E.PETITION_REGISTERED:
        state["petition"] = create_petition(world, kind=kind, received_on=today - timedelta(days=10))
    elif event is E.PETITION_SPLIT:
        land = subject("admin.land")
        split_petition(
            state["petition"],
            world.users["reception"],
            [Part(C, "Khiếu nại thu hồi đất", land), Part(D, "Tố cáo cán bộ địa chính", land)],
            on=today,
            expected_version=UNCHECKED,
        )
    elif event is E.PETITION_NOT_ACCEPTED:
        decide_petition(
            state["petition"],
            world.users["reception"],
            PetitionState.TRANSFERRED,
            transferred_to="Sở Tư pháp",
            on=local_today(),
            expected_version=UNCHECKED,
        )
    elif event is E.PETITION_ACCEPTED:
        petition = state["petition"]
        accept_petition(
            petition,
            world.users["reception"],
            accepted_on=petition.received_on + timedelta(days=1),
            expected_version=UNCHECKED,
            lodging=Lodging(petition.received_on - timedelta(days=20)) if kind is C else None,
        )
        state["case"] = petition.case
    elif event in (E.NOTICE_SENT, E.CONCLUSION_NOTIFIED):
        stage = Stage.NOTIFY_ACCEPTANCE if event is E.NOTICE_SENT else Stage.NOTIFY_CONCLUSION
        record_notice(state["case"], head, stage, today, today=local_today(), expected_version=UNCHECKED)
    elif event is E.DECISION_EFFECTIVE:
        case = state["case"]
        legal = db.session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.stage == Stage.LEGAL_EFFECT))
        legal.due_on = today - timedelta(days=1)  # the appeal period has passed
        db.session.flush()
        mark_legally_effective(datetime.combine(today, time(12)))
    elif event is E.RESOLUTION_LAPSED:
        case = state["case"]
        resolution = db.session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.stage == Stage.RESOLUTION))
        resolution.due_on = today - timedelta(days=1)  # the first-instance period ran out
        db.session.flush()
        open_appeals_of_lapsed_complaints(datetime.combine(today, time(12)))
    elif event is E.DECISION_DELIVERED:
        record_delivery(
            state["case"], head, delivered_on=today, recipients="Ông Bốn", expected_version=UNCHECKED, today=today
        )
    elif event is E.COURT_FILED:
        record_court_filing(
            state["case"],
            head,
            court="Tòa án nhân dân tỉnh Đồng Nai",
            filed_on=today,
            expected_version=UNCHECKED,
            today=today,
        )
    elif event is E.CASE_APPEALED:
        appeal = create_petition(world, kind=C)
        accept_petition(
            appeal,
            head,
            accepted_on=today,
            instance=2,
            appeal_of=state["case"],
            expected_version=UNCHECKED,
        )
        state["appeal petition"], state["appeal"] = appeal, appeal.case
    else:
        action = next(a for a, e in ACTION_EVENTS.items() if e is event)
        fields = {
            CaseAction.ASSIGN: dict(handler_id=handler.id),
            CaseAction.SUSPEND: dict(note="Chờ giám định", suspension_decision_no="07/QĐ-UBND", suspended_on=today),
            CaseAction.WITHDRAW: dict(note="Rút đơn"),
            CaseAction.TERMINATE: dict(note="Đình chỉ"),
            CaseAction.RESOLVE: dict(
                decision_no="12/QĐ-UBND",
                decision_on=today,
                outcome={C: Outcome.PARTLY_UPHELD, D: Outcome.PARTLY_TRUE}.get(kind, Outcome.ANSWERED),
                enforcement_required="Bồi thường bổ sung" if enforce and kind in (C, D) else None,
            ),
            CaseAction.ENFORCE: dict(enforced_on=today, enforcement_result="Đã thực hiện"),
        }.get(action, {})
        perform(state["case"], action, head, expected_version=UNCHECKED, **fields)


def _owners(state: dict) -> dict:
    columns = {"petition": Clock.petition_id, "appeal petition": Clock.petition_id}
    return {name: (columns.get(name, Clock.case_id), obj.id) for name, obj in state.items()}


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_operations_move_the_clocks_as_the_table_says(world, name):
    kind, events = SCENARIOS[name]
    enforce = "unenforced" not in name
    model, state = Model(kind, enforce), {}
    for event in events:
        _drive(world, kind, event, state, enforce)
        model.play(event)
        db.session.flush()
        assert _db_clocks(_owners(state)) == model.clocks, f"after {event}"


def test_every_stage_is_in_the_table():
    assert list(LIFECYCLE) == list(Stage)  # and in the order a petition and its case meet them
    assert all(life.stage is stage for stage, life in LIFECYCLE.items())


def test_the_scenarios_start_and_end_every_clock_and_raise_every_event():
    started, ended, raised = set(), set(), set()
    for name, (kind, events) in SCENARIOS.items():
        model = Model(kind, "unenforced" not in name)
        for event in events:
            model.play(event)
            raised.add(event)
        started |= {stage for (_owner, stage) in model.clocks}
        ended |= {
            stage for (_owner, stage), s in model.clocks.items() if s in (ClockStatus.DONE, ClockStatus.CANCELLED)
        }
    with_clock = {stage for stage, life in LIFECYCLE.items() if life.has_clock}
    assert started == with_clock
    assert ended == with_clock
    # Acceptance is raised with PETITION_ACCEPTED, the transfer with PETITION_NOT_ACCEPTED (the driver transfers).
    assert raised | {E.CASE_ACCEPTED, E.PETITION_TRANSFERRED} == set(ClockEvent)


def test_no_operation_starts_a_stage_the_table_gives_no_clock(world):
    for kind in (C, D):
        case = create_case(world, CaseState.CLOSED, kind=kind)
        stages = set(db.session.scalars(select(Clock.stage).where(Clock.case_id == case.id)))
        stages |= set(db.session.scalars(select(Clock.stage).where(Clock.petition_id == case.petitions[0].id)))
        assert not {s for s in stages if not LIFECYCLE[s].has_clock}


#: Stages of the shipped rule table that no step starts yet; the work that adds the step removes its stage
#: (the list may only shrink). The head's reception schedule is published by the public schedule, to come.
NOT_STARTED_YET = {Stage.SCHEDULE_PUBLICATION}


def test_every_rule_of_the_table_is_started_by_some_step():
    stages = {Stage(rule["stage"]) for rule in DEFAULT_RULES}
    assert {stage for stage in stages if not LIFECYCLE[stage].has_clock} == NOT_STARTED_YET
