"""`flask seed-bulk`: realistic cases at scale, written directly but as the operations would have written them."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from app.bulk import generator, loaders
from app.bulk import operations as bulk
from app.cases.models import Case, CaseEvent, CaseState
from app.core.sequences import SequenceCounter
from app.core.timeutil import local_today
from app.deadlines.calendar import WorkCalendar, load_calendar
from app.deadlines.engine import Facts, compute_due, find_rule
from app.deadlines.models import Clock, ClockStatus, Stage
from app.demo import DEMO_PASSWORD, STORIES
from app.demo import USERS as DEMO_USERS
from app.persons.divisions import wards_of
from app.persons.operations import PersonData
from app.petitions.models import Channel, Petition, PetitionEvent, PetitionKind, PetitionParty, PetitionState
from app.petitions.operations import register_petition
from app.search.text import case_document, petition_documents
from app.units.models import Unit, UnitKind
from app.users.models import User
from tests.conftest import login


def seed(app, *args: str):
    result = app.test_cli_runner().invoke(args=["seed-bulk", *args])
    assert result.exit_code == 0, result.output
    return result.output


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_bulk_writes_cases_with_everything_that_belongs_to_them(app, db):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    db.session.rollback()
    demo_cases, demo_petitions = (db.session.scalar(select(func.max(m.id))) for m in (Case, Petition))
    out = seed(app, "--cases", "300", "--batch-size", "100")
    assert "Demo data loaded" not in out and "Added 300 cases" in out and "cases/s" in out
    db.session.rollback()

    # One commune unit per real ward of Đồng Nai under DN, each with a head, a reception and a handling officer.
    province = db.session.execute(select(Unit).where(Unit.code == "DN")).scalar_one()
    communes = db.session.scalars(select(Unit).where(Unit.kind == UnitKind.COMMUNE)).all()
    assert sorted(u.ward_code for u in communes) == sorted(code for code, _ in wards_of(75))
    assert {u.parent_id for u in communes} == {province.id}
    users = db.session.scalars(select(User)).all()
    for unit in communes:
        roles = {r.value for u in users if u.unit_id == unit.id for r in u.roles}
        assert {"head", "reception", "handler"} <= roles, unit.code

    # 300 new cases, each with its petition(s); accepted petitions all belong to a case.
    cases = db.session.scalars(select(Case).where(Case.id > demo_cases)).unique().all()
    assert len(cases) == 300
    petitions = db.session.scalars(select(Petition).where(Petition.id > demo_petitions)).unique().all()
    per_case = Counter(p.case_id for p in petitions if p.case_id)
    assert set(per_case) == {c.id for c in cases}
    assert 2 in per_case.values()  # repeated petitions joined to their case
    assert all(p.case_id for p in petitions if p.state is PetitionState.ACCEPTED)
    assert {PetitionState.TRANSFERRED, PetitionState.GUIDED, PetitionState.FILED} <= {p.state for p in petitions}
    assert {c.state for c in cases} >= {CaseState.CLOSED, CaseState.RESOLVED, CaseState.ASSIGNED}
    assert {c.kind for c in cases} == set(PetitionKind)
    appeals = [c for c in cases if c.instance == 2]
    assert appeals and all(
        c.parent_case.instance == 1 and c.parent_case.decision_on < c.accepted_on for c in appeals if c.parent_case_id
    )
    # Every petition and case has a subject area; a case has its first petition's, an appeal its parent's.
    assert all(p.subject_area_id for p in petitions) and all(c.subject_area_id for c in cases)
    assert all(c.subject_area_id == min(c.petitions, key=lambda p: p.id).subject_area_id for c in cases)
    assert all(c.subject_area_id == c.parent_case.subject_area_id for c in appeals if c.parent_case_id)
    assert len({c.subject_area.code for c in cases}) >= 6

    # Receipt and case numbers in the app's format; the counters are at least the highest number used.
    for c in cases:
        assert c.number == f"{c.unit.code}-VV-{c.year}-{c.seq:05d}" and c.year == c.accepted_on.year
    for p in petitions:
        assert p.receipt_no == f"{p.unit.code}-{p.year}-{p.seq:06d}" and p.year == p.received_on.year
    counters = {(s.unit_id, s.series, s.year): s.value for s in db.session.scalars(select(SequenceCounter))}
    for series, rows in (("petition", petitions), ("case", cases)):
        for r in rows:
            assert counters[(r.unit_id, series, r.year)] >= r.seq

    _check_people(db, petitions)
    _check_history(db, cases, petitions)
    _check_clocks(db, cases)
    _check_search_columns(db, petitions, cases)

    # The app's next receipt number in the busiest unit does not collide with the bulk ones.
    busiest = Counter(p.unit_id for p in petitions if p.year == local_today().year).most_common(1)[0][0]
    unit = db.session.get(Unit, busiest)
    before = counters[(busiest, "petition", local_today().year)]
    officer = next(u for u in users if u.unit_id == busiest and any(r.value == "reception" for r in u.roles))
    petition = register_petition(
        unit=unit,
        actor=officer,
        received_on=local_today(),
        channel=Channel.DESK,
        kind=PetitionKind.COMPLAINT,
        summary="Khiếu nại sau khi nạp dữ liệu lớn",
        petitioners=[PersonData(full_name="Trần Văn Mới", citizen_id="075099000001")],
    )
    db.session.commit()
    assert petition.seq == before + 1
    assert petition.receipt_no == f"{unit.code}-{local_today().year}-{before + 1:06d}"


def _check_people(db, petitions):
    parties = db.session.execute(
        select(PetitionParty.petition_id, PetitionParty.person_id, PetitionParty.is_representative)
    ).all()
    by_petition: dict[int, list] = {}
    for petition_id, person_id, representative in parties:
        by_petition.setdefault(petition_id, []).append((person_id, representative))
    petitions_of = Counter(person_id for _, person_id, _ in parties)
    for p in petitions:
        people = by_petition.get(p.id, [])
        assert people or p.is_anonymous, p.receipt_no
        if people:  # the first party (lowest id) is the representative, and only they are
            assert [rep for _, rep in sorted(people)] == [True] + [False] * (len(people) - 1)
        assert p.signatory_count >= max(len(people), 1)
        if p.kind is PetitionKind.DENUNCIATION:
            assert p.is_identity_confidential
        if p.is_identity_confidential:  # a confidential petitioner appears on no other petition
            assert all(petitions_of[person_id] == 1 for person_id, _ in people), p.receipt_no
    assert any(n > 1 for n in petitions_of.values())  # some people petition several times
    assert any(p.signatory_count >= 5 for p in petitions)
    cids = db.session.scalars(
        select(text("citizen_id")).select_from(text("persons")).where(text("citizen_id LIKE '075%'"))
    ).all()
    assert cids and all(len(c) == 12 and c.isdigit() for c in cids)


def _check_history(db, cases, petitions):
    events = db.session.scalars(select(PetitionEvent).order_by(PetitionEvent.id)).unique().all()
    by_petition: dict[int, list] = {}
    for e in events:
        by_petition.setdefault(e.petition_id, []).append(e)
    for p in petitions:
        history = by_petition[p.id]
        assert (history[0].action, history[0].to_state) == ("register", "received")
        if p.state is not PetitionState.RECEIVED:
            decide = history[-1]
            assert (decide.action, decide.from_state, decide.to_state) == ("decide", "received", p.state.value)
            assert decide.at >= history[0].at and p.decided_at == decide.at

    case_events = db.session.scalars(select(CaseEvent).order_by(CaseEvent.id)).unique().all()
    by_case: dict[int, list] = {}
    for e in case_events:
        by_case.setdefault(e.case_id, []).append(e)
    for c in cases:
        history = by_case[c.id]
        assert (history[0].action, history[0].to_state) == ("open", "accepted")
        moves = [e for e in history if e.action not in ("notice", "join", "extend")]
        assert moves[-1].to_state == c.state.value, c.number
        for before, after in zip(moves, moves[1:], strict=False):  # a chain of states, in time order
            assert after.from_state == before.to_state and after.at >= before.at, c.number
        stamps = {
            "assigned": c.assigned_at,
            "resolved": c.resolved_at,
            "closed": c.closed_at,
            "enforced": c.enforced_at,
            "withdrawn": c.withdrawn_at,
            "terminated": c.terminated_at,
        }
        for state, at in stamps.items():
            reached = [e.at for e in moves if e.to_state == state]
            assert at == (reached[-1] if reached else None), (c.number, state)
        if c.state in (CaseState.RESOLVED, CaseState.ENFORCED, CaseState.CLOSED):
            assert c.accepted_on <= c.decision_on <= local_today() and c.outcome in c.allowed_outcomes()
        if c.handler_id:
            assert c.handler.unit.is_within(c.unit)
        if c.kind is PetitionKind.COMPLAINT and c.state in (CaseState.ENFORCED, CaseState.CLOSED):
            # Law on Complaints art. 44: enforced or closed once effective; appealed: closed, never enforced
            # (closed while the appeal was open, which may have been withdrawn since).
            if c.appeals:
                assert c.state is CaseState.CLOSED and c.enforced_on is None, c.number
            else:
                assert c.legally_effective_on is not None, c.number
                assert c.enforced_on is None or c.enforced_on >= c.legally_effective_on, c.number
                assert c.closed_at is None or c.closed_at.date() >= c.legally_effective_on, c.number


def _check_clocks(db, cases):
    """The case clocks are what deadlines.clocks would have made: the rule, its due date, the status."""
    cal = load_calendar()
    clocks = db.session.scalars(select(Clock).where(Clock.case_id.is_not(None))).unique().all()
    by_case = {(k.case_id, k.stage): k for k in clocks}
    today = local_today()
    for c in cases:
        clock = by_case.get((c.id, Stage.RESOLUTION))
        facts = Facts(
            kind=c.kind.value,
            instance=c.instance,
            complexity=c.complexity.value,
            is_remote=c.is_remote_area,
            unit_path=c.unit.path,
        )
        rule = find_rule(Stage.RESOLUTION, facts, c.accepted_on)
        assert (clock.rule_id if clock else None) == (rule.id if rule else None), c.number
        if clock is None:
            continue
        assert clock.due_on == compute_due(
            clock.started_on, clock.limit_days, clock.day_unit, cal, suspended_days=clock.suspended_days
        )
        expected = {
            CaseState.ACCEPTED: ClockStatus.RUNNING,
            CaseState.ASSIGNED: ClockStatus.RUNNING,
            CaseState.SUSPENDED: ClockStatus.PAUSED,
            CaseState.WITHDRAWN: ClockStatus.CANCELLED,
            CaseState.TERMINATED: ClockStatus.CANCELLED,
        }.get(c.state, ClockStatus.DONE)
        assert clock.status is expected, c.number
        if expected is ClockStatus.DONE:
            assert clock.completed_on == c.decision_on
        legal = by_case.get((c.id, Stage.LEGAL_EFFECT))
        if c.legally_effective_on:
            assert legal.status is ClockStatus.DONE and legal.due_on == c.legally_effective_on < today
    for k in clocks:  # the scheduler's sweep finds the open ones; finished ones say when
        assert (k.completed_on is None) == (k.status in (ClockStatus.RUNNING, ClockStatus.PAUSED))
    assert any(k.status is ClockStatus.RUNNING for k in clocks)


def _check_search_columns(db, petitions, cases):
    """The folded columns equal what app.search.text computes for the rows read back through the ORM."""
    sample = [p for p in petitions if p.is_identity_confidential][:15] + [
        p for p in petitions if not p.is_identity_confidential
    ][:25]
    for p in sample:
        assert (p.search_text, p.search_private) == petition_documents(p), p.receipt_no
    for c in cases[:40]:
        assert c.search_text == case_document(c), c.number


def test_on_an_empty_database_it_loads_the_demo_and_a_second_run_reuses_units_and_users(app, db, client):
    out = seed(app, "--cases", "120", "--batch-size", "100")
    assert "Demo data loaded" in out and "Added 91 units" in out
    db.session.rollback()
    assert count(db, Case) == 120 + len(STORIES)

    # The demo logins work, and so do the bulk users (the demo password, hashed once for all of them).
    login(client, "chutich.tk", DEMO_PASSWORD)
    login(app.test_client(), "tiepdan.bienhoa", DEMO_PASSWORD)
    demo_users = [u[0] for u in DEMO_USERS]
    hashes = db.session.scalars(select(User.password_hash).where(User.username.not_in(demo_users))).all()
    assert len(hashes) > 280 and len(set(hashes)) == 1

    units, users, cases = count(db, Unit), count(db, User), count(db, Case)
    out = seed(app, "--cases", "150", "--batch-size", "100")  # the same seed: numbers must still not collide
    assert "Demo data loaded" not in out and "units and" not in out
    db.session.rollback()
    assert (count(db, Unit), count(db, User), count(db, Case)) == (units, users, cases + 150)
    receipt_numbers = db.session.scalars(select(Petition.receipt_no)).all()
    assert len(receipt_numbers) == len(set(receipt_numbers))
    # Every bulk person's CCCD is their own (a confidential petitioner's repeat petition copies the row).
    rows = db.session.execute(text("SELECT citizen_id, full_name FROM persons WHERE citizen_id LIKE '075%'")).all()
    names_of: dict[str, set] = {}
    for cid, name in rows:
        names_of.setdefault(cid, set()).add(name)
    assert all(len(names) == 1 for names in names_of.values())


def test_the_same_seed_gives_the_same_data(app, db):
    from app.demo import seed_demo

    seed_demo()
    units, _, _ = generator.ensure_province(lambda _msg: None)
    loader = loaders.SqliteLoader()  # reads only (ids, counters), on either backend

    def generate(seed: int) -> list:
        gen = generator.Generator(
            units,
            seed=seed,
            today=local_today(),
            next_ids=loader.next_ids(),
            counters=loader.counters(),
            cccd_counts=loader.cccd_counts(),
        )
        for unit in units:
            unit.pool.clear()
            unit.recent.clear()
        batch = next(iter(gen.batches(60, 100)))
        return [(row[4], row[8], row[9], row[24], row[25]) for row in batch["cases"]]  # number, title, state, decision

    first = generate(7)
    assert len(first) == 60 and first == generate(7) and first != generate(8)
    db.session.rollback()


def test_large_postgresql_loads_rebuild_the_same_indexes_and_keys_even_after_a_failure(app, db, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("indexes are only dropped for a load on PostgreSQL")
    seed(app, "--cases", "100")
    db.session.rollback()
    schema = text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2"
    )
    record = text(f"SELECT to_regclass('{loaders.PostgresLoader.RECORD}')")
    before = db.session.execute(schema).all()
    cases = count(db, Case)

    result = bulk.seed_bulk(150, seed=3, batch_size=100, rebuild_indexes=True)
    assert result.indexes_rebuilt > 30 and count(db, Case) == cases + 150
    assert db.session.execute(schema).all() == before and db.session.scalar(record) is None
    cases += 150

    # The load dies half-way: nothing of it stays, and the indexes and keys are there as before.
    real_write, calls = loaders.PostgresLoader.write, []

    def dying(loader, batch):
        calls.append(batch)
        if len(calls) == 2:
            raise RuntimeError("the load dies half-way")
        return real_write(loader, batch)

    monkeypatch.setattr(loaders.PostgresLoader, "write", dying)
    with pytest.raises(RuntimeError, match="half-way"):
        bulk.seed_bulk(150, seed=4, batch_size=100, rebuild_indexes=True)
    db.session.rollback()
    assert db.session.execute(schema).all() == before and db.session.scalar(record) is None
    assert count(db, Case) == cases
    monkeypatch.undo()

    # It dies after the commit, before the indexes are back: the next run recreates them first.
    monkeypatch.setattr(loaders, "recreate", lambda engine, saved: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        bulk.seed_bulk(150, seed=5, batch_size=100, rebuild_indexes=True)
    db.session.rollback()
    assert count(db, Case) == cases + 150 and db.session.scalar(record) is not None
    assert len(db.session.execute(schema).all()) < len(before)
    monkeypatch.undo()
    messages = []
    bulk.seed_bulk(100, seed=6, batch_size=100, progress=messages.append)
    assert any("an interrupted load had dropped" in m for m in messages)
    assert db.session.execute(schema).all() == before and db.session.scalar(record) is None
    assert count(db, Case) == cases + 250


def test_fast_calendar_answers_as_the_app_does():
    cal = WorkCalendar({date(2026, 1, 2): False, date(2026, 1, 10): True})
    fast = generator.FastCalendar(cal, date(2024, 1, 1), date(2027, 12, 31))
    rng = random.Random(1)
    for _ in range(2000):
        start = date(2023, 10, 1) + timedelta(days=rng.randint(0, 1700))
        n, unit = rng.randint(0, 90), rng.choice(("wd", "d"))
        end = start + timedelta(days=rng.randint(0, 200))
        assert fast.add(start, n, unit) == cal.add(start, n, unit), (start, n, unit)
        assert fast.days_between(start, end, unit) == cal.days_between(start, end, unit), (start, end, unit)
