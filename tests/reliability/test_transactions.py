"""One transaction per operation: a failure halfway through leaves nothing of the operation behind.

Each test breaks a function called in the middle of a real operation (after rows were already added and
flushed), posts the real form, and expects the error page and a database exactly as before.
"""

from datetime import date

import pytest
from sqlalchemy import select

from app.cases.models import CaseState
from app.core.timeutil import local_today
from app.extensions import db
from app.petitions.models import Petition, PetitionKind
from tests.factories import LEARNED_ON, create_case, create_petition
from tests.petitions.helpers import text
from tests.reception.test_desk import DESK, POST_URL, visit


class Injected(RuntimeError):
    pass


def explode(*args, **kwargs):
    raise Injected("failure injected halfway through the operation")


def snapshot() -> dict:
    """Every row of every table (what a failed operation must not change)."""
    db.session.rollback()
    db.session.expire_all()
    out = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        out[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return out


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after[name])


@pytest.fixture
def errors_as_pages(app, monkeypatch):
    """Let the app answer an unexpected exception with its 500 page, as in production."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)


def assert_error_page(resp) -> None:
    assert resp.status_code == 500
    assert "Nothing was saved" in text(resp)


def test_registering_a_petition_at_the_desk_is_all_or_nothing(world, login_en, monkeypatch, errors_as_pages):
    import app.deadlines.clocks as deadlines

    desk = login_en("reception")
    original = deadlines.on_petition_registered
    before = snapshot()
    # The deadline clocks start after the visit, person, petition, party, event and number were flushed.
    monkeypatch.setattr(deadlines, "on_petition_registered", explode)
    resp = desk.post(POST_URL, visit(world), token_from=DESK)
    assert_error_page(resp)
    assert changed_tables(before, snapshot()) == []

    # The number was not used up either: the next petition gets number 1.
    monkeypatch.setattr(deadlines, "on_petition_registered", original)
    resp = desk.post(POST_URL, visit(world), token_from=DESK)
    assert resp.status_code == 302
    assert db.session.scalars(select(Petition.receipt_no)).all() == [f"TK-{local_today().year}-000001"]


def test_resolving_a_case_is_all_or_nothing(world, login_en, monkeypatch, errors_as_pages):
    import app.deadlines.clocks as deadlines

    case = create_case(world, CaseState.ASSIGNED)
    db.session.commit()
    url = f"/cases/{case.id}"
    client = login_en("handler")
    before = snapshot()
    # The clocks move after the case row (state, decision, version) was flushed and its event added.
    monkeypatch.setattr(deadlines, "on_case_transition", explode)
    resp = client.post(
        f"{url}/resolve",
        {
            "decision_no": "45/QĐ-UBND",
            "decision_on": local_today().isoformat(),
            "outcome": "rejected",
            "decision_summary": "Bác đơn",
            "enforcement": "none",
            "version": case.version,
        },
        token_from=url,
    )
    assert_error_page(resp)
    assert changed_tables(before, snapshot()) == []
    db.session.expire_all()
    assert db.session.get(type(case), case.id).state is CaseState.ASSIGNED


def test_accepting_a_petition_is_all_or_nothing(world, login_en, monkeypatch, errors_as_pages):
    import app.deadlines.clocks as deadlines

    petition = create_petition(world, kind=PetitionKind.COMPLAINT)
    db.session.commit()
    page = f"/petitions/{petition.id}"
    client = login_en("head")
    before = snapshot()
    # By then the case was opened (number, row, event, resolution clock) and the petition decided.
    monkeypatch.setattr(deadlines, "on_petition_decided", explode)
    resp = client.post(
        f"{page}/decide",
        {
            "decision": "accept",
            "accepted_on": local_today().isoformat(),
            "instance": "1",
            "learned_on": LEARNED_ON,
            "version": petition.version,
        },
        token_from=page,
    )
    assert_error_page(resp)
    assert changed_tables(before, snapshot()) == []


def test_the_injection_really_happens_after_rows_were_written(world, monkeypatch):
    """Guards the tests above: at the injected failure, the operation's rows are already in the session's
    transaction (so an empty database afterwards proves the rollback, not an early failure)."""
    import app.deadlines.clocks as deadlines
    from app.persons.operations import PersonData
    from app.petitions.models import Channel
    from app.petitions.operations import register_petition

    seen = {}

    def spy(petition):
        seen["petitions"] = db.session.scalars(select(Petition.receipt_no)).all()
        raise Injected()

    monkeypatch.setattr(deadlines, "on_petition_registered", spy)
    with pytest.raises(Injected):
        register_petition(
            unit=world.units["TK"],
            actor=world.users["reception"],
            received_on=date(2026, 3, 2),
            channel=Channel.POST,
            kind=PetitionKind.COMPLAINT,
            summary="Khiếu nại",
            petitioners=[PersonData(full_name="Lê Văn Cường")],
        )
    assert seen["petitions"] == ["TK-2026-000001"]
    db.session.rollback()
    assert db.session.scalars(select(Petition.receipt_no)).all() == []
