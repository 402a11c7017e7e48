"""Helpers for the case screen tests: reading what the pages show."""

import html
import re

from sqlalchemy import func, select

from app.cases.models import Case, CaseEvent
from app.extensions import db


def listed(page: str) -> list[str]:
    """The case numbers in the case list table, in order."""
    return re.findall(r'<tr data-case="([^"]+)"', page)


def action_forms(page: str) -> list[str]:
    """The actions offered on a case detail page, in order."""
    return re.findall(r'<details class="card mb-2" data-action="([^"]+)"', page)


def timeline(page: str) -> list[str]:
    """The actions of the timeline entries, in order."""
    m = re.search(r'<ol class="timeline[^"]*" data-testid="timeline">(.*?)</ol>', page, re.S)
    assert m, "no timeline on the page"
    return re.findall(r'<li data-action="([^"]+)"', m.group(1))


def text(resp) -> str:
    """The response body with HTML entities decoded."""
    return html.unescape(resp.get_data(as_text=True))


def follow(client, resp):
    """Follow one redirect and return the page."""
    assert resp.status_code == 302, resp.get_data(as_text=True)[:800]
    return client.get(resp.headers["Location"])


def case_state(case_id: int) -> tuple:
    """The stored state of a case and its event count (what a refused request must not change)."""
    db.session.rollback()
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    events = db.session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))
    return (case.state, case.version, case.handler_id, case.complexity, case.decision_no, case.enforced_on, events)
