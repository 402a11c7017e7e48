"""Two worker processes registering petitions at the same time: none lost, no receipt number twice.

This is what two gunicorn workers do; on SQLite it proves writes wait for the lock
(BEGIN IMMEDIATE + busy_timeout) instead of failing with "database is locked".
"""

import multiprocessing
from datetime import date

from sqlalchemy import func, select

from app.petitions.models import Petition

PER_WORKER = 15


def _worker(url: str, unit_id: int, user_id: int, tag: str, out) -> None:
    from app.extensions import db
    from app.persons.operations import PersonData
    from app.petitions.models import Channel, PetitionKind
    from app.petitions.operations import register_petition
    from app.units.models import Unit
    from app.users.models import User
    from tests.conftest import make_app

    app = make_app(url)
    errors = []
    with app.app_context():
        for i in range(PER_WORKER):
            try:
                register_petition(
                    unit=db.session.get(Unit, unit_id),
                    actor=db.session.get(User, user_id),
                    received_on=date(2026, 3, 2),
                    channel=Channel.POST,
                    kind=PetitionKind.COMPLAINT,
                    summary=f"{tag} {i}",
                    petitioners=[PersonData(full_name=f"Người {tag} {i}")],
                )
                db.session.commit()
            except Exception as err:  # noqa: BLE001 - reported to the parent
                db.session.rollback()
                errors.append(repr(err))
    out.put(errors)


def test_two_workers_register_petitions_concurrently(app, db, world):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    unit_id, user_id = world.units["TK"].id, world.users["reception"].id
    db.session.rollback()  # end this session's transaction: outside a request it holds the write lock
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, unit_id, user_id, tag, out)) for tag in ("A", "B")]
    for p in procs:
        p.start()
    errors = [e for _ in procs for e in out.get(timeout=90)]
    for p in procs:
        p.join(timeout=60)
    assert errors == []
    db.session.expire_all()
    numbers = db.session.scalars(select(Petition.receipt_no).where(Petition.year == 2026)).all()
    assert len(numbers) == 2 * PER_WORKER
    assert len(set(numbers)) == len(numbers)
    assert sorted(numbers) == [f"TK-2026-{i:06d}" for i in range(1, 2 * PER_WORKER + 1)]
    assert db.session.scalar(select(func.count()).select_from(Petition)) == 2 * PER_WORKER
