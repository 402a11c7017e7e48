"""All scheduled jobs, in the order they depend on each other."""

import logging
from datetime import datetime

from ..cases import jobs as case_jobs
from ..deadlines import jobs as deadline_jobs
from ..extensions import db
from ..notifications import jobs as notification_jobs

log = logging.getLogger("tiepdan.scheduler")


def job_list():
    """(name, function of now) for every job, in order: legal effect opens enforcement clocks, which the
    deadline flags then see; the complex flags; reminders last, about the flags just raised.

    Looked up on their modules at each run (a test can replace one)."""
    return [
        ("open_appeals_of_lapsed_complaints", deadline_jobs.open_appeals_of_lapsed_complaints),
        ("mark_legally_effective", deadline_jobs.mark_legally_effective),
        ("flag_deadlines", deadline_jobs.flag_deadlines),
        ("flag_complex_cases", case_jobs.flag_complex_cases),
        ("flag_enforcement_rechecks", case_jobs.flag_enforcement_rechecks),
        ("send_reminders", notification_jobs.send_reminders),
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
