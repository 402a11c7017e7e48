"""Several processes with several threads each register petitions at the same moment, on SQLite and on
PostgreSQL: none is lost, no receipt number is given twice, and each unit's numbers have no gaps."""

import multiprocessing
from collections import Counter

from sqlalchemy import func, select

from app.persons.models import Person
from app.petitions.models import Petition, PetitionEvent
from app.reception.models import ReceptionSession
from app.units.models import Unit

PROCESSES = 3
THREADS = 3
PER_THREAD = 6


def test_processes_and_threads_register_petitions_at_once(app, db, world):
    from tests.reliability._writers import write_petitions

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    units = {"TK": world.units["TK"].id, "TKVP": world.units["TKVP"].id}
    user_id = world.users["head"].id  # the head of TK oversees TK and its office TKVP
    db.session.commit()
    db.session.remove()  # hold no lock or connection while the writers run
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=write_petitions, args=(url, tag, units, user_id, PER_THREAD, THREADS, start, out))
        for tag in "ABC"[:PROCESSES]
    ]
    for p in procs:
        p.start()
    start.set()  # every thread of every process starts writing at once
    errors = [e for _ in procs for e in out.get(timeout=180)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert errors == []

    total = PROCESSES * THREADS * PER_THREAD
    rows = db.session.execute(
        select(Petition.receipt_no, Unit.code, Petition.summary).join(Unit, Petition.unit_id == Unit.id)
    ).all()
    assert len(rows) == total  # none lost
    numbers = [r.receipt_no for r in rows]
    assert len(set(numbers)) == total  # none twice
    assert sorted(r.summary for r in rows) == sorted(
        f"{tag}{t}-{i}" for tag in "ABC"[:PROCESSES] for t in range(THREADS) for i in range(PER_THREAD)
    )
    per_unit = Counter(r.code for r in rows)
    for code, count in per_unit.items():  # consecutive per unit: no gaps, no skips
        assert sorted(n for n in numbers if n.startswith(f"{code}-")) == [
            f"{code}-2026-{i:06d}" for i in range(1, count + 1)
        ]
    assert sum(per_unit.values()) == total
    assert db.session.scalar(select(func.count()).select_from(PetitionEvent)) == total
    assert db.session.scalar(select(func.count()).select_from(Person)) == total
    assert db.session.scalar(select(func.count()).select_from(ReceptionSession)) == sum(
        (PER_THREAD + 1) // 2 for _ in range(PROCESSES * THREADS)
    )


def test_processes_and_threads_issue_documents_at_once(app, db, world):
    """The outgoing register under concurrent writers: every document numbered, none twice, no gap."""
    from app.core.locking import UNCHECKED
    from app.core.timeutil import local_today
    from app.documents.models import IssuedDocument
    from app.petitions.models import PetitionState
    from app.petitions.operations import decide_petition
    from tests.factories import create_petition, person
    from tests.reliability._writers import write_documents

    ids = []
    for i in range(PROCESSES * THREADS * 2):
        p = create_petition(world, petitioners=[person(f"Người {i}", f"0791000{i:05d}")])
        decide_petition(p, world.users["reception"], PetitionState.TRANSFERRED, expected_version=UNCHECKED,
                        transferred_to="Thanh tra huyện", on=local_today())  # fmt: skip
        ids.append(p.id)
    url, user_id = app.config["SQLALCHEMY_DATABASE_URI"], world.users["reception"].id
    db.session.commit()
    db.session.remove()
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    shares = [ids[n::PROCESSES] for n in range(PROCESSES)]
    procs = [ctx.Process(target=write_documents, args=(url, share, user_id, THREADS, start, out)) for share in shares]
    for p in procs:
        p.start()
    start.set()
    errors = [e for _ in procs for e in out.get(timeout=180)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert errors == []
    numbers = db.session.execute(select(IssuedDocument.number)).scalars().all()
    assert sorted(numbers, key=lambda n: int(n.split("/")[0])) == [f"{i}/PC-UBND" for i in range(1, len(ids) + 1)]
