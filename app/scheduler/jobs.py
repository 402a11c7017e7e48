"""All scheduled jobs, in the order they depend on each other."""

import logging
from datetime import datetime

from ..extensions import db

log = logging.getLogger("tiepdan.scheduler")


def job_list():
    """(name, function of now) for every job, in order: legal effect opens enforcement clocks, which the
    deadline flags then see; the complex flags; reminders last, about the flags just raised."""
    from ..deadlines.jobs import flag_deadlines, mark_legally_effective
    from ..flags.jobs import flag_complex_cases
    from ..notifications.jobs import send_reminders

    return [
        ("mark_legally_effective", mark_legally_effective),
        ("flag_deadlines", flag_deadlines),
        ("flag_complex_cases", flag_complex_cases),
        ("send_reminders", send_reminders),
    ]


def run_all(now: datetime) -> dict:
    """Run every job for ``now``; each commits on success and rolls back (logged) on failure.

    A failing job does not stop the others: they work from what is in the database.
    """
    results: dict = {}
    for name, job in job_list():
        try:
            results[name] = job(now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("job %s failed at %s", name, now.isoformat())
            results[name] = "failed"
    return results
