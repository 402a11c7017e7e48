"""Targets of the scheduler tests' child processes (multiprocessing "spawn": a fresh interpreter each)."""


def make_app(url: str, extra: dict):
    from app import create_app

    return create_app(
        {
            "TESTING": True,
            "DEPLOYMENT": "development",
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            **extra,
        }
    )


def run_scheduler(url, extra, now, start, done, results):
    """One scheduler process: wait for the other, make one leader-checked run, hold on until both ran."""
    from app.scheduler.runner import leadership_for, run_leader_checked

    app = make_app(url, extra)
    leadership = leadership_for(app)
    start.wait(timeout=60)
    result = run_leader_checked(app, leadership, now=now)
    results.put(("standby", None) if result is None else ("ran", result["send_reminders"]))
    done.wait(timeout=60)  # keep the leadership until the other process has tried
    with app.app_context():
        leadership.release()


def send_emails_now(url, extra, now, start, results):
    """A process that sends the pending e-mails at the same time as another one (no leader check)."""
    from app.notifications.jobs import send_emails

    app = make_app(url, extra)
    with app.app_context():
        start.wait(timeout=60)
        results.put(send_emails(now))


def hold_leadership(url, extra, results, stop):
    """Become the leader (or not), report it, and hold it until told to stop or killed."""
    from app.scheduler.runner import leadership_for

    app = make_app(url, extra)
    leadership = leadership_for(app)
    with app.app_context():
        results.put(leadership.acquire())
    stop.wait(timeout=60)
