"""The scheduler process: leader-checked runs, the APScheduler set-up, the CLI, and e-mails sent exactly once
by two scheduler processes running at the same time."""

import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.cases.models import CaseState
from app.core.timeutil import VN_TZ, local_today
from app.deadlines.jobs import flag_deadlines
from app.deadlines.models import Clock, Stage
from app.extensions import db
from app.flags.models import Flag
from app.notifications.jobs import create_reminders
from app.notifications.models import Notification
from app.scheduler.jobs import run_all
from app.scheduler.runner import build_scheduler, leadership_for, run_leader_checked, run_once
from tests.factories import create_case, person
from tests.scheduler import _procs
from tests.scheduler.helpers import SmtpSink, at, clock, set_emails

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def overdue_cases(world, n: int):
    cases = [
        create_case(world, CaseState.ASSIGNED, petitioners=[person(f"Công dân {i}", f"0795{i:08d}")]) for i in range(n)
    ]
    db.session.commit()
    return cases


def test_run_all_runs_every_job_in_order(world):
    (case,) = overdue_cases(world, 1)
    result = run_all(at(clock(case).due_on + timedelta(days=1)))
    assert list(result) == [
        "open_appeals_of_lapsed_complaints",
        "mark_legally_effective",
        "flag_deadlines",
        "flag_complex_cases",
        "flag_enforcement_rechecks",
        "send_reminders",
    ]
    # The first-instance complaint was not decided in time: its appeal period opens (art. 33), once.
    assert result["open_appeals_of_lapsed_complaints"] == {"appeal_clocks": 1}
    appeal = db.session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.stage == Stage.APPEAL))
    assert appeal.started_on == clock(case).due_on
    assert run_all(at(clock(case).due_on + timedelta(days=2)))["open_appeals_of_lapsed_complaints"] == {
        "appeal_clocks": 0
    }
    assert result["flag_deadlines"] == {"raised": 1, "cleared": 0}
    assert result["send_reminders"] == {"created": 3, "sent": 0, "failed": 0}


def test_a_failing_job_is_rolled_back_and_logged_and_the_others_run(world, monkeypatch, caplog):
    import app.cases.jobs as case_jobs

    (case,) = overdue_cases(world, 1)

    def broken(now):
        db.session.execute(Flag.__table__.delete())  # some work the rollback must undo
        raise RuntimeError("boom")

    monkeypatch.setattr(case_jobs, "flag_complex_cases", broken)
    now = at(clock(case).due_on + timedelta(days=1))
    with caplog.at_level(logging.ERROR, logger="tiepdan.scheduler"):
        result = run_all(now)
    assert result["flag_complex_cases"] == "failed"
    assert "job flag_complex_cases failed" in caplog.text and "boom" in caplog.text
    assert db.session.scalar(select(func.count(Flag.id))) == 1  # the deadline flag survived the rollback
    assert result["send_reminders"]["created"] == 3


def test_a_failing_run_never_raises(app, world, caplog):
    leadership = leadership_for(app)

    def broken(now):
        raise RuntimeError("database away")

    try:
        with caplog.at_level(logging.ERROR, logger="tiepdan.scheduler"):
            assert run_leader_checked(app, leadership, job=broken) is None
        assert "scheduled run failed" in caplog.text
        assert run_leader_checked(app, leadership, job=lambda now: "ok") == "ok"  # the next run works
    finally:
        leadership.release()


def test_a_standby_process_skips_the_run(app, world, caplog):
    leader, standby = leadership_for(app), leadership_for(app)
    ran = []
    try:
        assert leader.acquire()
        with caplog.at_level(logging.INFO, logger="tiepdan.scheduler"):
            assert run_leader_checked(app, standby, job=ran.append) is None
        assert ran == [] and "standby" in caplog.text
    finally:
        leader.release()
        standby.release()


def test_the_scheduler_is_set_up_to_catch_up_once(app):
    leadership = leadership_for(app)
    try:
        scheduler = build_scheduler(app, leadership)
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"run_all", "morning", "heartbeat"}
        assert str(scheduler.timezone) == "Asia/Ho_Chi_Minh"
        defaults = scheduler._job_defaults
        assert (defaults["coalesce"], defaults["max_instances"], defaults["misfire_grace_time"]) == (True, 1, 3600)
        assert jobs["run_all"].trigger.interval == timedelta(minutes=15)
        # The first run is due at once: a scheduler that was down catches up at start.
        assert jobs["run_all"].next_run_time <= datetime.now(VN_TZ)
        morning = jobs["morning"].trigger
        assert {f.name: str(f) for f in morning.fields}["hour"] == "7"
        assert {f.name: str(f) for f in morning.fields}["minute"] == "30"
        assert jobs["heartbeat"].trigger.interval == timedelta(seconds=30)
    finally:
        leadership.release()


def test_nothing_in_the_web_app_starts_a_scheduler(app):
    import apscheduler.schedulers.base as base

    started = []
    original = base.BaseScheduler.start
    base.BaseScheduler.start = lambda self, *a, **kw: started.append(self)
    try:
        from tests.conftest import make_app

        web = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
        assert web.test_client().get("/healthz").status_code == 200
        with web.app_context():
            db.engine.dispose()
    finally:
        base.BaseScheduler.start = original
    assert started == []


# --- The CLI -----------------------------------------------------------------------------------------------


def test_run_once_runs_every_job(app, world):
    (case,) = overdue_cases(world, 1)
    day = clock(case).due_on + timedelta(days=1)
    db.session.remove()  # hold no SQLite lock while the command runs
    with force_locale("en"):
        result = app.test_cli_runner().invoke(args=["scheduler", "run-once", "--now", f"{day:%Y-%m-%d} 08:00"])
    assert result.exit_code == 0, result.output
    assert '"flag_deadlines": {\n    "raised": 1' in result.output
    assert db.session.scalar(select(func.count(Notification.id))) == 3


def test_run_once_stands_by_while_a_scheduler_leads(app, world):
    leader = leadership_for(app)
    try:
        assert leader.acquire()
        db.session.remove()
        result = app.test_cli_runner().invoke(args=["scheduler", "run-once"])
        assert result.exit_code == 0
        assert "Standby: another scheduler process is the leader" in result.output
    finally:
        leader.release()


def test_run_once_releases_the_leadership(app, world):
    assert run_once(app, now=at(local_today())) is not None
    other = leadership_for(app)
    try:
        assert other.acquire() is True
    finally:
        other.release()


def _wait_for(stream_lines: list, needle: str, proc, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(needle in line for line in stream_lines):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not logged; log:\n" + "".join(stream_lines))


def test_flask_scheduler_run_catches_up_at_start_and_stops_on_sigterm(app, world):
    """A real `flask scheduler run` process: it runs everything at start, then stops cleanly on SIGTERM."""
    (case,) = overdue_cases(world, 1)
    clock(case).fixed_due_on = clock(case).due_on = local_today() - timedelta(days=2)  # overdue now
    db.session.commit()
    db.session.remove()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {
        **os.environ,
        "DATABASE_URL": url.replace("postgresql+psycopg://", "postgresql://"),
        "FLASK_SCHEDULER_LEASE_SECONDS": "6",
        "PYTHONUNBUFFERED": "1",
        "FLASK_DEPLOYMENT": "development",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        _wait_for(lines, "run at", proc)
        _wait_for(lines, "this process is the leader", proc)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(timeout=5)
    proc.stdout.close()
    log = "".join(lines)
    assert "scheduler stopped" in log and "Traceback" not in log, log
    assert db.session.scalar(select(func.count(Notification.id))) == 3
    db.session.rollback()  # on SQLite the read transaction holds the write lock
    other = leadership_for(app)  # it stepped down: another process can lead at once
    try:
        assert other.acquire() is True
    finally:
        other.release()


# --- Two scheduler processes, each reminder e-mailed once ----------------------------------------------


@pytest.fixture
def sink():
    with SmtpSink(delay=0.02) as s:
        yield s


def _mail_config(sink) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": sink.port, "MAIL_SENDER": "tiepdan@example.vn"}


def test_two_scheduler_processes_send_each_reminder_once(app, world, sink):
    """Two processes make the same leader-checked run at the same moment: one leads, one stands by."""
    set_emails(world, handler="xu@example.vn", head="truong@example.vn", phead="tinh@example.vn")
    cases = overdue_cases(world, 3)
    now = at(clock(cases[0]).due_on + timedelta(days=1))
    db.session.remove()
    ctx = multiprocessing.get_context("spawn")
    start, done, results = ctx.Barrier(2), ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(
            target=_procs.run_scheduler,
            args=(app.config["SQLALCHEMY_DATABASE_URI"], _mail_config(sink), now, start, done, results),
        )
        for _ in range(2)
    ]
    for p in procs:
        p.start()
    outcomes = sorted(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    assert outcomes == [("ran", {"created": 9, "sent": 9, "failed": 0}), ("standby", None)]
    ids = sink.notification_ids()
    assert ids == sorted(set(ids)) and len(ids) == 9
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.emailed_at.is_(None))) == 0


def test_two_processes_sending_at_once_never_send_twice(app, world, sink):
    """Even without the leader check, the conditional claim lets only one process send each e-mail."""
    set_emails(
        world, handler="xu@example.vn", head="truong@example.vn", phead="tinh@example.vn", handler2="ly@example.vn"
    )
    cases = overdue_cases(world, 6)
    now = at(clock(cases[0]).due_on + timedelta(days=1))
    flag_deadlines(now)
    assert create_reminders(now) == 18
    db.session.commit()
    db.session.remove()
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(
            target=_procs.send_emails_now,
            args=(app.config["SQLALCHEMY_DATABASE_URI"], _mail_config(sink), now, start, results),
        )
        for _ in range(2)
    ]
    for p in procs:
        p.start()
    sent = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    assert sum(r["sent"] for r in sent) == 18 and all(r["failed"] == 0 for r in sent)
    ids = sink.notification_ids()
    assert len(ids) == 18 and len(set(ids)) == 18
