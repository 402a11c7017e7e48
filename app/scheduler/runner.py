"""The scheduler process: one leader runs the jobs, any other scheduler process stays on standby.

Leadership:
- PostgreSQL: a session-level ``pg_try_advisory_lock`` taken on a dedicated connection held for the life of
  the process; it is released when the process (or its connection) ends, and a standby takes over at its
  next heartbeat.
- SQLite: a lease row (``scheduler_leases``, name "main") taken or renewed with one conditional UPDATE
  (``holder = me OR expires_at < now``), renewed by a heartbeat every third of its time to live; a standby
  takes over once the leader has not renewed it for that long.

Web workers never start a scheduler: nothing here runs unless `flask scheduler run` / `run-once` calls it.
"""

import logging
import os
import secrets
import signal
import socket
import threading
from datetime import datetime, timedelta

from sqlalchemy import Connection, create_engine, exists, insert, literal, or_, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import NullPool

from ..core.db import table_of
from ..core.timeutil import VN_TZ, utcnow
from ..extensions import db
from .jobs import run_all
from .models import SchedulerLease

log = logging.getLogger("tiepdan.scheduler")

#: The advisory lock key of the TiepDan scheduler (any constant shared by all its processes): "TiepDan".
ADVISORY_LOCK_KEY = int.from_bytes(b"TiepDan", "big")
LEASE_NAME = "main"
#: Only one run at a time within one process (the interval run and the morning run may coincide).
_RUN_LOCK = threading.Lock()


def holder_id() -> str:
    """This process, as named in the lease: host:pid:random."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"


class LeaseLeadership:
    """Leadership through the SQLite lease row."""

    def __init__(
        self, engine, *, ttl_seconds: int = 90, name: str = LEASE_NAME, holder: str | None = None, clock=utcnow
    ):
        self.engine, self.ttl, self.name = engine, timedelta(seconds=ttl_seconds), name
        self.holder = holder or holder_id()
        self.clock = clock
        self._lock = threading.Lock()

    def acquire(self) -> bool:
        """Take or renew the lease; True if this process now holds it."""
        table = table_of(SchedulerLease)
        with self._lock:
            now = self.clock()
            expires = now + self.ttl
            try:
                with self.engine.begin() as conn:
                    renewed = conn.execute(
                        update(table)
                        .where(table.c.name == self.name, or_(table.c.holder == self.holder, table.c.expires_at < now))
                        .values(holder=self.holder, expires_at=expires)
                    ).rowcount
                    if renewed == 1:
                        return True
                    created = conn.execute(
                        insert(table)
                        .from_select(
                            ["name", "holder", "expires_at"],
                            select(
                                literal(self.name), literal(self.holder), literal(expires, table.c.expires_at.type)
                            ).where(~exists().where(table.c.name == self.name)),
                        )
                        .execution_options(preserve_rowcount=True)
                    ).rowcount
                    return created == 1
            except IntegrityError:  # another process created the row at the same moment
                return False

    def release(self) -> None:
        """Give the lease up (it expires now), so a standby takes over at its next heartbeat."""
        table = table_of(SchedulerLease)
        with self._lock, self.engine.begin() as conn:
            conn.execute(
                update(table)
                .where(table.c.name == self.name, table.c.holder == self.holder)
                .values(expires_at=self.clock() - timedelta(seconds=1))
            )

    def describe(self) -> str:
        return f"SQLite lease {self.name!r} as {self.holder}"


class AdvisoryLockLeadership:
    """Leadership through a PostgreSQL session-level advisory lock on a dedicated connection."""

    def __init__(self, url, *, key: int = ADVISORY_LOCK_KEY):
        # Its own engine without a pool: closing the connection really ends the session (and the lock).
        self.engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self.key = key
        self.conn: Connection | None = None
        self._lock = threading.Lock()

    def acquire(self) -> bool:
        """Take the lock (or check the connection that holds it is alive); True if this process holds it."""
        with self._lock:
            if self.conn is not None:
                try:
                    self.conn.execute(text("SELECT 1"))
                    return True
                except DBAPIError:
                    log.warning("lost the connection holding the scheduler lock")
                    self._drop()
            conn = self.engine.connect()
            try:
                got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar()
            except Exception:
                conn.close()
                raise
            if got:
                self.conn = conn
                return True
            conn.close()
            return False

    def _drop(self) -> None:
        try:
            if self.conn is not None:
                self.conn.invalidate()
                self.conn.close()
        except Exception:  # noqa: BLE001 - the connection is gone anyway
            pass
        self.conn = None

    def release(self) -> None:
        """Close the dedicated connection: the session ends and PostgreSQL frees the lock."""
        with self._lock:
            if self.conn is not None:
                try:
                    self.conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
                    self.conn.close()
                except DBAPIError:
                    self._drop()
                self.conn = None
            self.engine.dispose()

    def describe(self) -> str:
        return f"PostgreSQL advisory lock {self.key}"


def leadership_for(app):
    """The leadership mechanism for the app's database (call with the app, inside or outside a context)."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            return AdvisoryLockLeadership(engine.url)
        return LeaseLeadership(engine, ttl_seconds=app.config["SCHEDULER_LEASE_SECONDS"])


def run_leader_checked(app, leadership, job=run_all, now: datetime | None = None):
    """Run ``job(now)`` in its own app context if this process is the leader; None on standby or failure.

    An exception is rolled back and logged, never raised: the scheduler keeps running.
    """
    with _RUN_LOCK, app.app_context():
        try:
            if not leadership.acquire():
                log.info("standby: another scheduler process is the leader")
                return None
            now = now or utcnow()
            result = job(now)
            db.session.commit()
            log.info("run at %s UTC: %s", now.isoformat(timespec="seconds"), result)
            return result
        except Exception:
            db.session.rollback()
            log.exception("scheduled run failed")
            return None
        finally:
            db.session.remove()


def heartbeat(app, leadership, state: dict) -> None:
    """Renew the lease / check the lock; a standby takes over here once the leader is gone."""
    with app.app_context():
        try:
            leader = leadership.acquire()
        except Exception:
            log.exception("heartbeat failed")
            leader = False
        if leader != state.get("leader"):
            log.info("this process is %s (%s)", "the leader" if leader else "on standby", leadership.describe())
            state["leader"] = leader


def run_once(app, now: datetime | None = None, leadership=None):
    """One leader-checked run of every job (`flask scheduler run-once`); None if another process leads."""
    leadership = leadership or leadership_for(app)
    try:
        return run_leader_checked(app, leadership, now=now)
    finally:
        with app.app_context():
            leadership.release()


def build_scheduler(app, leadership):
    """The APScheduler 3 BlockingScheduler with the interval run, the morning run and the heartbeat."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    cfg = app.config
    scheduler = BlockingScheduler(
        timezone=VN_TZ,
        job_defaults={
            "coalesce": True,  # runs missed while busy or asleep collapse into one
            "max_instances": 1,
            "misfire_grace_time": int(cfg["SCHEDULER_MISFIRE_GRACE_SECONDS"]),
        },
    )
    start = datetime.now(VN_TZ)
    # First run at start: a scheduler that was down catches up once (the jobs look at all rows).
    scheduler.add_job(
        run_leader_checked,
        IntervalTrigger(minutes=int(cfg["SCHEDULER_INTERVAL_MINUTES"])),
        args=[app, leadership],
        id="run_all",
        name="all jobs",
        next_run_time=start,
    )
    hour, minute = (int(x) for x in str(cfg["SCHEDULER_DAILY_AT"]).split(":"))
    scheduler.add_job(
        run_leader_checked,
        CronTrigger(hour=hour, minute=minute),
        args=[app, leadership],
        id="morning",
        name="morning reminders",
    )
    lease = int(cfg["SCHEDULER_LEASE_SECONDS"])
    scheduler.add_job(
        heartbeat,
        IntervalTrigger(seconds=max(lease // 3, 1)),
        args=[app, leadership, {}],
        id="heartbeat",
        name="leader heartbeat",
        next_run_time=start,
        misfire_grace_time=None,
    )
    return scheduler


def serve(app) -> None:
    """Run the scheduler in the foreground until SIGTERM or SIGINT (`flask scheduler run`)."""
    leadership = leadership_for(app)
    scheduler = build_scheduler(app, leadership)

    def stop(signum, _frame):
        log.info("signal %s: stopping the scheduler", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info(
        "scheduler starting (%s); runs every %s min and daily at %s",
        leadership.describe(),
        app.config["SCHEDULER_INTERVAL_MINUTES"],
        app.config["SCHEDULER_DAILY_AT"],
    )
    try:
        scheduler.start()
    finally:
        with _RUN_LOCK, app.app_context():  # wait for a run in progress, then step down
            leadership.release()
        log.info("scheduler stopped")
