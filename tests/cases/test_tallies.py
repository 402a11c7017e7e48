"""The caseload's tallies (kept by triggers on cases) always equal a count over the cases themselves."""

from sqlalchemy import func, select, text

from app.cases.models import Case, CaseAction, CaseTally
from app.cases.models import CaseState as S
from app.cases.operations import perform
from app.core.locking import UNCHECKED
from app.extensions import db
from app.petitions.models import PetitionKind
from tests.factories import create_case, person


def _counted():
    rows = db.session.execute(
        select(
            Case.unit_id,
            func.coalesce(Case.handling_unit_id, 0),
            func.coalesce(Case.handler_id, 0),
            Case.state,
            Case.kind,
            func.count(),
        ).group_by(Case.unit_id, Case.handling_unit_id, Case.handler_id, Case.state, Case.kind)
    )
    return {tuple(r[:5]): r[5] for r in rows}


def _tallied():
    rows = db.session.execute(select(CaseTally).where(CaseTally.n != 0)).scalars()
    return {(t.unit_id, t.handling_unit_id, t.handler_id, t.state, t.kind): t.n for t in rows}


def test_tallies_follow_every_transition(world, db):
    cases = [
        create_case(world, state, kind=kind, petitioners=[person(citizen_id=f"0791000000{n:02d}")])
        for n, (state, kind) in enumerate(
            [
                (S.ACCEPTED, PetitionKind.COMPLAINT),
                (S.ASSIGNED, PetitionKind.DENUNCIATION),
                (S.RESOLVED, PetitionKind.FEEDBACK),
                (S.CLOSED, PetitionKind.COMPLAINT),
                (S.SUSPENDED, PetitionKind.COMPLAINT),
                (S.WITHDRAWN, PetitionKind.RECOMMENDATION),
            ]
        )
    ] + [create_case(world, S.ASSIGNED, unit="TL")]
    db.session.commit()
    assert _tallied() == _counted() and sum(_tallied().values()) == 7
    # Reassign to another unit's officer, resume, terminate: each moves one case between tallies.
    perform(
        cases[1],
        CaseAction.ASSIGN,
        world.users["head"],
        handler_id=world.users["handler2"].id,
        handling_unit_id=world.units["TKVP"].id,
        expected_version=UNCHECKED,
    )
    perform(cases[4], CaseAction.RESUME, world.users["head"], expected_version=UNCHECKED)
    perform(
        cases[0],
        CaseAction.ASSIGN,
        world.users["head"],
        handler_id=world.users["handler"].id,
        expected_version=UNCHECKED,
    )
    perform(
        cases[0], CaseAction.TERMINATE, world.users["head"], note="Người khiếu nại đã chết", expected_version=UNCHECKED
    )
    db.session.commit()
    assert _tallied() == _counted()


def test_tallies_follow_writes_that_bypass_the_application(world, db):
    for _ in range(3):
        create_case(world, S.ASSIGNED)
    db.session.commit()
    # A set-based UPDATE of several rows at once (a repair script, say).
    db.session.execute(text("UPDATE cases SET handler_id = NULL, state = 'accepted' WHERE state = 'assigned'"))
    db.session.commit()
    assert _tallied() == _counted()
    tk = world.units["TK"].id
    assert _counted() == {(tk, tk, 0, S.ACCEPTED, PetitionKind.COMPLAINT): 3}
