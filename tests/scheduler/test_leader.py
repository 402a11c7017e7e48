"""One leader among scheduler processes: the SQLite lease and the PostgreSQL advisory lock."""

import multiprocessing
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app.core.timeutil import utcnow
from app.extensions import db
from app.scheduler.models import SchedulerLease
from app.scheduler.runner import ADVISORY_LOCK_KEY, AdvisoryLockLeadership, LeaseLeadership, leadership_for
from tests.scheduler import _procs


class Clock:
    """A settable clock for the lease."""

    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now


def lease_row() -> tuple:
    """The lease's holder and expiry; ends the read transaction (on SQLite it holds the write lock)."""
    db.session.expire_all()
    row = db.session.get(SchedulerLease, "main")
    found = (row.holder, row.expires_at)
    db.session.rollback()
    return found


@pytest.fixture
def spawn():
    return multiprocessing.get_context("spawn")


def test_the_lease_has_one_holder_until_it_expires(app):
    clock = Clock()
    a = LeaseLeadership(db.engine, ttl_seconds=90, holder="host:1:a", clock=clock)
    b = LeaseLeadership(db.engine, ttl_seconds=90, holder="host:2:b", clock=clock)
    assert a.acquire() is True
    assert b.acquire() is False
    assert lease_row() == ("host:1:a", clock.now + timedelta(seconds=90))
    clock.now += timedelta(seconds=60)
    assert a.acquire() is True  # the heartbeat renews it
    clock.now += timedelta(seconds=60)
    assert b.acquire() is False  # renewed 60 s ago: still a's
    clock.now += timedelta(seconds=31)  # a stopped renewing 91 s ago (crashed, frozen)
    assert b.acquire() is True
    assert lease_row()[0] == "host:2:b"
    assert a.acquire() is False  # a comes back: b keeps it


def test_a_released_lease_is_taken_over_at_once(app):
    clock = Clock()
    a = LeaseLeadership(db.engine, holder="host:1:a", clock=clock)
    b = LeaseLeadership(db.engine, holder="host:2:b", clock=clock)
    assert a.acquire() and not b.acquire()
    a.release()
    assert b.acquire() is True


def test_holder_ids_differ_per_process_object(app):
    assert LeaseLeadership(db.engine).holder != LeaseLeadership(db.engine).holder


def test_sqlite_uses_the_lease_postgresql_the_advisory_lock(app):
    leadership = leadership_for(app)
    try:
        expected = AdvisoryLockLeadership if app.config["DB_BACKEND"] == "postgresql" else LeaseLeadership
        assert isinstance(leadership, expected)
    finally:
        leadership.release()


def test_another_process_cannot_lead_until_the_holder_dies(app, world, spawn):
    """A real second process holds the leadership; this one stays on standby until that process is killed."""
    db.session.commit()
    db.session.remove()
    results, stop = spawn.Queue(), spawn.Event()
    child = spawn.Process(
        target=_procs.hold_leadership, args=(app.config["SQLALCHEMY_DATABASE_URI"], {}, results, stop)
    )
    child.start()
    try:
        assert results.get(timeout=60) is True
        me = leadership_for(app)
        assert me.acquire() is False
        child.kill()
        child.join(timeout=10)
        if isinstance(me, LeaseLeadership):
            assert me.acquire() is False  # the dead process's lease runs on for its time to live
            me.clock = lambda: utcnow() + timedelta(seconds=app.config["SCHEDULER_LEASE_SECONDS"] + 1)
            assert me.acquire() is True
        else:
            deadline = time.monotonic() + 10  # PostgreSQL notices the closed connection at once
            while not me.acquire() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert me.acquire() is True
        me.release()
    finally:
        if child.is_alive():  # never touch the event after a kill: its waiter died inside it
            child.kill()
        child.join(timeout=10)


@pytest.fixture
def pg(app):
    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("PostgreSQL advisory lock")
    url = db.engine.url
    holders = []

    def make():
        leadership = AdvisoryLockLeadership(url)
        holders.append(leadership)
        return leadership

    yield make
    for leadership in holders:
        leadership.release()


def test_the_advisory_lock_has_one_holder(pg):
    a, b = pg(), pg()
    assert a.acquire() is True
    assert a.acquire() is True  # checked again: the same session still holds it
    assert b.acquire() is False
    a.release()
    assert b.acquire() is True
    assert a.acquire() is False


def test_losing_the_connection_loses_the_lock(pg, app):
    a, b = pg(), pg()
    assert a.acquire() and not b.acquire()
    pid = a.conn.execute(text("SELECT pg_backend_pid()")).scalar()
    killer = create_engine(db.engine.url, poolclass=NullPool)
    with killer.begin() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()
    deadline = time.monotonic() + 10
    while not b.acquire() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert b.conn is not None
    assert a.acquire() is False  # a notices its dead connection and finds the lock taken


def test_the_lock_key_is_visible_in_pg_locks(pg):
    a = pg()
    a.acquire()
    held = a.conn.execute(
        text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted")
    ).scalar()
    assert held == 1
    assert int.from_bytes(b"TiepDan", "big") == ADVISORY_LOCK_KEY
