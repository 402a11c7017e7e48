"""The case workflow at the operation level: every (action, state) pair, every role, required fields, locking."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.cases.models import CASE_TRANSITIONS, Case, CaseAction, CaseEvent, CaseState, Outcome
from app.cases.operations import STAMPS, perform
from app.core.errors import PermissionRefused, StaleObject, TransitionRefused
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today, utcnow
from app.petitions.models import PetitionKind
from tests.factories import SUSPENSION, create_case, person

A, S = CaseAction, CaseState


@pytest.fixture(autouse=True)
def _english_messages(app):
    """Refusals are lazy translations; read them in English (the msgids) outside a request."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield


#: The workflow as the design card states it, written out independently of the model's table:
#: action -> {from state: to state}. Every pair not listed must be refused.
EXPECTED = {
    A.ASSIGN: {S.ACCEPTED: S.ASSIGNED, S.ASSIGNED: S.ASSIGNED},
    A.SUSPEND: {S.ASSIGNED: S.SUSPENDED},
    A.RESUME: {S.SUSPENDED: S.ASSIGNED},
    A.RESOLVE: {S.ASSIGNED: S.RESOLVED},
    A.ENFORCE: {S.RESOLVED: S.ENFORCED},
    A.CLOSE: {S.RESOLVED: S.CLOSED, S.ENFORCED: S.CLOSED},
    A.WITHDRAW: {S.ACCEPTED: S.WITHDRAWN, S.ASSIGNED: S.WITHDRAWN, S.SUSPENDED: S.WITHDRAWN},
    A.TERMINATE: {S.ACCEPTED: S.TERMINATED, S.ASSIGNED: S.TERMINATED, S.SUSPENDED: S.TERMINATED},
}

#: Who may perform each action on a TK case assigned to ``handler`` (from the state given in SOURCE).
#: Who may act on a case of the commune TK: its chairman and its handling officer. The provincial chairman
#: (phead) oversees the commune and reads its cases, but does not decide a matter of the commune's competence.
EXPECTED_ACTORS = {
    A.ASSIGN: {"head"},
    A.SUSPEND: {"head"},
    A.RESUME: {"head"},
    A.RESOLVE: {"head", "handler"},
    A.ENFORCE: {"head", "handler"},
    A.CLOSE: {"head", "handler"},
    A.WITHDRAW: {"head", "handler"},
    A.TERMINATE: {"head"},
}
SOURCE = {
    A.ASSIGN: S.ASSIGNED,
    A.SUSPEND: S.ASSIGNED,
    A.RESUME: S.SUSPENDED,
    A.RESOLVE: S.ASSIGNED,
    A.ENFORCE: S.RESOLVED,
    A.CLOSE: S.ENFORCED,
    A.WITHDRAW: S.ASSIGNED,
    A.TERMINATE: S.ASSIGNED,
}
USERS = ["reception", "handler", "handler2", "head", "phead", "tl_head", "tl_handler", "inspector", "admin"]


def fields_for(action: CaseAction, world) -> dict:
    """Valid input for ``action`` on a TK complaint."""
    today = local_today()
    return {
        A.ASSIGN: {"handler_id": world.users["handler2"].id, "complexity": "complex"},
        A.SUSPEND: {"note": "Chờ kết quả giám định", "suspension_decision_no": "07/QĐ-UBND", "suspended_on": today},
        A.RESUME: {},
        A.RESOLVE: {
            "decision_no": "45/QĐ-UBND",
            "decision_on": today,
            "outcome": Outcome.REJECTED,
            "decision_summary": "Bác đơn",
        },
        A.ENFORCE: {"enforced_on": today, "enforcement_result": "Đã thi hành xong"},
        A.CLOSE: {},
        A.WITHDRAW: {"note": "Công dân rút đơn"},
        A.TERMINATE: {"note": "Người khiếu nại chết"},
    }[action]


def snapshot(db, case_id: int) -> tuple:
    """What a refused action must leave untouched: state, version, handler, decision, number of events."""
    db.session.rollback()
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    events = db.session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))
    return (
        case.state,
        case.version,
        case.handler_id,
        case.decision_no,
        case.outcome,
        case.enforced_on,
        case.closed_at,
        events,
    )


def test_expected_table_matches_the_model():
    model = {a: dict.fromkeys(t.sources, t.target) for a, t in CASE_TRANSITIONS.items()}
    assert model == EXPECTED


@pytest.mark.parametrize("state", list(CaseState), ids=str)
@pytest.mark.parametrize("action", list(CaseAction), ids=str)
def test_every_action_from_every_state(world, db, action, state):
    # A decision with nothing to enforce may be closed straight from "resolved".
    case = create_case(world, state, enforcement_required=None, effective=True)
    db.session.commit()
    head = world.users["head"]
    target = EXPECTED[action].get(state)
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    events_before = len(case.events)

    if target is None:
        assert not case.can_perform(action, head)
        with pytest.raises(TransitionRefused):
            perform(case, action, head, expected_version=case.version, **fields_for(action, world))
        assert snapshot(db, case.id) == before
        return

    assert case.can_perform(action, head)
    started = utcnow()
    perform(case, action, head, expected_version=case.version, **fields_for(action, world))
    db.session.commit()
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.state is target
    stamp = getattr(case, STAMPS[target])
    assert stamp is not None and stamp >= started.replace(microsecond=0)
    assert case.version == before[1] + 1
    assert len(case.events) == events_before + 1
    event = case.events[-1]
    assert (event.action, event.actor_id, event.from_state, event.to_state) == (
        action.value,
        head.id,
        state.value,
        target.value,
    )


@pytest.mark.parametrize("action", list(CaseAction), ids=str)
def test_who_may_perform_each_action(world, db, action):
    """For each user of the world, on a fresh case: ``can`` agrees, and ``perform`` succeeds or is refused."""
    offered, performed = {}, {}
    for n, username in enumerate(USERS):
        # A complainant of their own each: the same one's effective case would make the next complaint a
        # matter already resolved (cases.gates).
        case = create_case(world, SOURCE[action], effective=True, petitioners=[person(citizen_id=f"0791000000{n:02d}")])
        db.session.commit()
        user = world.users[username]
        offered[username] = action in case.available_actions(user)
        before = snapshot(db, case.id)
        case = db.session.get(Case, case.id)
        try:
            perform(case, action, user, **fields_for(action, world), expected_version=UNCHECKED)
        except PermissionRefused:
            performed[username] = False
            assert snapshot(db, case.id) == before, username
        else:
            db.session.commit()
            performed[username] = True
            assert db.session.get(Case, case.id).state is EXPECTED[action][SOURCE[action]]
            assert case.events[-1].actor_id == user.id
    expected = {username: username in EXPECTED_ACTORS[action] for username in USERS}
    assert performed == expected
    assert offered == expected


def test_handler2_may_act_once_the_case_is_assigned_to_them(world, db):
    case = create_case(world, S.ASSIGNED)
    handler2 = world.users["handler2"]
    assert not case.can_perform(A.RESOLVE, handler2)
    perform(case, A.ASSIGN, world.users["head"], handler_id=handler2.id, expected_version=UNCHECKED)
    assert case.handling_unit_id == world.units["TKVP"].id
    assert case.can_perform(A.RESOLVE, handler2)
    assert not case.can_perform(A.RESOLVE, world.users["handler"])  # no longer theirs


def test_the_tl_head_cannot_act_on_a_tk_case_but_on_their_own(world, db):
    tk_case = create_case(world, S.ACCEPTED)
    tl_case = create_case(world, S.ACCEPTED, unit="TL")
    tl_head = world.users["tl_head"]
    assert tk_case.available_actions(tl_head) == []
    assert A.ASSIGN in tl_case.available_actions(tl_head)


# --- Required fields and their rules ---------------------------------------------------------------------

RESOLVE_OK = {"decision_no": "45/QĐ-UBND", "outcome": Outcome.REJECTED}


@pytest.mark.parametrize(
    "missing, message",
    [
        ("decision_no", "Enter the decision number."),
        ("decision_on", "Enter the decision date."),
        ("outcome", "Choose the outcome."),
    ],
)
@pytest.mark.parametrize("blank", [None, ""])
def test_resolve_requires_number_date_and_outcome(world, db, missing, message, blank):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    fields = dict(RESOLVE_OK, decision_on=local_today())
    fields[missing] = blank
    with pytest.raises(TransitionRefused) as err:
        perform(case, A.RESOLVE, world.users["handler"], **fields, expected_version=UNCHECKED)
    assert str(err.value.message) == message
    assert snapshot(db, case.id) == before


@pytest.mark.parametrize(
    "kind, outcome",
    [
        (PetitionKind.COMPLAINT, "true"),
        (PetitionKind.COMPLAINT, "answered"),
        (PetitionKind.DENUNCIATION, "upheld"),
        (PetitionKind.RECOMMENDATION, "rejected"),
        (PetitionKind.COMPLAINT, "no-such-outcome"),
    ],
)
def test_resolve_refuses_an_outcome_of_the_wrong_kind(world, db, kind, outcome):
    case = create_case(world, S.ASSIGNED, kind=kind)
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    with pytest.raises(TransitionRefused, match="outcome does not fit"):
        perform(
            case,
            A.RESOLVE,
            world.users["handler"],
            decision_no="1/QĐ",
            decision_on=local_today(),
            outcome=outcome,
            expected_version=UNCHECKED,
        )
    assert snapshot(db, case.id) == before


@pytest.mark.parametrize(
    "kind, outcome", [(PetitionKind.DENUNCIATION, Outcome.PARTLY_TRUE), (PetitionKind.FEEDBACK, Outcome.ANSWERED)]
)
def test_resolve_accepts_the_outcomes_of_its_kind(world, db, kind, outcome):
    case = create_case(world, S.ASSIGNED, kind=kind)
    perform(
        case,
        A.RESOLVE,
        world.users["handler"],
        decision_no="1/KL",
        decision_on=local_today(),
        outcome=outcome,
        expected_version=UNCHECKED,
    )
    assert (case.state, case.outcome) == (S.RESOLVED, outcome)


@pytest.mark.parametrize(
    "when, message",
    [
        ("before_acceptance", "cannot be before the case was accepted"),
        ("future", "cannot be in the future"),
    ],
)
def test_resolve_checks_the_decision_date(world, db, when, message):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    decision_on = case.accepted_on - timedelta(1) if when == "before_acceptance" else local_today() + timedelta(2)
    with pytest.raises(TransitionRefused, match=message):
        perform(
            case, A.RESOLVE, world.users["handler"], decision_on=decision_on, **RESOLVE_OK, expected_version=UNCHECKED
        )
    assert snapshot(db, case.id) == before


def test_resolve_on_the_acceptance_day_is_allowed(world, db):
    case = create_case(world, S.ASSIGNED)
    perform(
        case, A.RESOLVE, world.users["handler"], decision_on=case.accepted_on, **RESOLVE_OK, expected_version=UNCHECKED
    )
    assert case.decision_on == case.accepted_on


def test_resolve_refuses_an_enforcement_deadline_before_the_decision(world, db):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    with pytest.raises(TransitionRefused, match="enforcement deadline cannot be before"):
        perform(
            case,
            A.RESOLVE,
            world.users["handler"],
            decision_on=local_today(),
            **RESOLVE_OK,
            enforcement_required="Thu hồi quyết định",
            enforcement_due_on=local_today() - timedelta(1),
            expected_version=UNCHECKED,
        )
    assert snapshot(db, case.id) == before


@pytest.mark.parametrize(
    "when, message",
    [
        ("before_decision", "before the decision date"),
        ("future", "cannot be in the future"),
    ],
)
def test_enforce_checks_the_completion_date(world, db, when, message):
    case = create_case(world, S.RESOLVED, effective=True)
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    enforced_on = case.decision_on - timedelta(1) if when == "before_decision" else local_today() + timedelta(2)
    with pytest.raises(TransitionRefused, match=message):
        perform(
            case,
            A.ENFORCE,
            world.users["handler"],
            enforced_on=enforced_on,
            enforcement_result="Xong",
            expected_version=UNCHECKED,
        )
    assert snapshot(db, case.id) == before


@pytest.mark.parametrize("missing", ["enforced_on", "enforcement_result"])
def test_enforce_requires_date_and_result(world, db, missing):
    case = create_case(world, S.RESOLVED)
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    fields = {"enforced_on": local_today(), "enforcement_result": "Xong", missing: None}
    with pytest.raises(TransitionRefused):
        perform(case, A.ENFORCE, world.users["handler"], **fields, expected_version=UNCHECKED)
    assert snapshot(db, case.id) == before


def test_close_is_refused_while_the_decision_awaits_enforcement(world, db):
    case = create_case(world, S.RESOLVED, enforcement_required="Bồi thường bổ sung", effective=True)
    db.session.commit()
    head = world.users["head"]
    assert not case.can_perform(A.CLOSE, head)
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    with pytest.raises(TransitionRefused, match="Record the enforcement"):
        perform(case, A.CLOSE, head, expected_version=UNCHECKED)
    assert snapshot(db, case.id) == before
    case = db.session.get(Case, case.id)
    perform(
        case,
        A.ENFORCE,
        world.users["handler"],
        enforced_on=local_today(),
        enforcement_result="Đã chi trả",
        expected_version=UNCHECKED,
    )
    assert case.can_perform(A.CLOSE, head)
    perform(case, A.CLOSE, head, expected_version=UNCHECKED)
    assert case.state is S.CLOSED


@pytest.mark.parametrize("action", [A.SUSPEND, A.WITHDRAW, A.TERMINATE], ids=str)
@pytest.mark.parametrize("note", [None, "", "   "])
def test_suspend_withdraw_terminate_require_a_reason(world, db, action, note):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    with pytest.raises(TransitionRefused, match="Write the reason"):
        perform(case, action, world.users["head"], note=note, expected_version=UNCHECKED)
    assert snapshot(db, case.id) == before


@pytest.mark.parametrize("who", ["missing", "not_a_handler", "other_commune", "unknown_id"])
def test_assign_requires_a_handler_of_the_case_unit(world, db, who):
    case = create_case(world, S.ACCEPTED)
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    handler_id = {
        "missing": None,
        "not_a_handler": world.users["head"].id,
        "other_commune": world.users["tl_handler"].id,
        "unknown_id": 999999,
    }[who]
    with pytest.raises(TransitionRefused):
        perform(case, A.ASSIGN, world.users["head"], handler_id=handler_id, expected_version=UNCHECKED)
    assert snapshot(db, case.id) == before


def test_assign_records_handler_unit_and_complexity(world, db):
    case = create_case(world, S.ACCEPTED)
    perform(
        case,
        A.ASSIGN,
        world.users["head"],
        handler_id=world.users["handler2"].id,
        complexity="complex",
        note="Xác minh tại thực địa",
        expected_version=UNCHECKED,
    )
    assert case.handler_id == world.users["handler2"].id
    assert case.handling_unit_id == world.units["TKVP"].id
    assert case.complexity.value == "complex"
    assert case.events[-1].note == "Xác minh tại thực địa"


# --- Optimistic locking ---------------------------------------------------------------------------------


def test_a_stale_version_is_refused(world, db):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    stale = case.version
    perform(case, A.SUSPEND, world.users["head"], expected_version=stale, note="Tạm đình chỉ", **SUSPENSION)
    db.session.commit()
    before = snapshot(db, case.id)
    case = db.session.get(Case, case.id)
    with pytest.raises(StaleObject):
        perform(case, A.RESUME, world.users["head"], expected_version=stale)
    assert snapshot(db, case.id) == before


@pytest.mark.parametrize("version", ["", "abc", "-1"])
def test_a_garbled_version_is_refused(world, db, version):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    with pytest.raises(StaleObject):
        perform(case, A.SUSPEND, world.users["head"], expected_version=version, note="x", **SUSPENSION)


def test_a_concurrent_save_between_check_and_write_is_refused(world, db):
    """Another transaction bumps the version after ours checked it: the write matches no row."""
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    db.session.execute(
        update(Case.__table__).where(Case.__table__.c.id == case.id).values(version=Case.__table__.c.version + 1)
    )
    with pytest.raises(StaleObject):
        perform(case, A.SUSPEND, world.users["head"], expected_version=case.version, note="x", **SUSPENSION)
    db.session.rollback()
