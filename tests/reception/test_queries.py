"""Which visits the desk lists: one local (Vietnam) day, the user's subtree, latest first."""

from datetime import date, datetime

from app.persons.operations import PersonData
from app.reception.models import ReceptionKind, ReceptionOutcome
from app.reception.operations import record_visit
from app.reception.queries import sessions_on
from tests.conftest import count_queries


def _visit(world, unit, name, received_at_utc):
    session, _ = record_visit(
        unit=world.units[unit],
        actor=world.users["phead"],
        received_at=received_at_utc,
        kind=ReceptionKind.REGULAR,
        visitors=[PersonData(name)],
        people_count=1,
        content="Nội dung",
        outcome=ReceptionOutcome.GUIDED,
        outcome_note="Hướng dẫn",
    )
    return session


def test_a_local_day_runs_from_midnight_to_midnight_in_vietnam(world, db):
    day = date(2025, 9, 10)
    _visit(world, "TK", "late yesterday", datetime(2025, 9, 9, 16, 59))  # 23:59 on the 9th in Vietnam
    _visit(world, "TK", "just after midnight", datetime(2025, 9, 9, 17, 0))  # 00:00 on the 10th
    _visit(world, "TK", "afternoon", datetime(2025, 9, 10, 8, 0))  # 15:00 on the 10th
    _visit(world, "TK", "late tonight", datetime(2025, 9, 10, 16, 59))  # 23:59 on the 10th
    _visit(world, "TK", "tomorrow", datetime(2025, 9, 10, 17, 0))  # 00:00 on the 11th
    _visit(world, "TL", "other commune", datetime(2025, 9, 10, 8, 0))
    db.session.commit()
    names = [s.visitors[0].person.full_name for s in sessions_on(world.users["reception"], day)]
    assert names == ["late tonight", "afternoon", "just after midnight"]
    province = [s.visitors[0].person.full_name for s in sessions_on(world.users["inspector"], day)]
    assert "other commune" in province and len(province) == 4


def test_desk_list_loads_in_a_fixed_number_of_queries(world, db):
    def run():
        db.session.expire_all()
        with count_queries() as statements:
            for s in sessions_on(world.users["reception"], date(2025, 9, 10)):
                _ = (
                    s.unit.code,
                    s.host.full_name,
                    [v.person.full_name for v in s.visitors],
                    [p.receipt_no for p in s.petitions],
                )
        return len(statements)

    _visit(world, "TK", "one", datetime(2025, 9, 10, 1, 0))
    db.session.commit()
    few = run()
    for hour in range(2, 8):
        _visit(world, "TK", f"visitor {hour}", datetime(2025, 9, 10, hour, 0))
    db.session.commit()
    assert run() == few
