"""Helpers shared by the reception, petition and person screen tests."""

import html
import re
from datetime import datetime

from sqlalchemy import func, select

from app.core.sequences import SequenceCounter
from app.core.timeutil import VN_TZ
from app.extensions import db
from app.persons.models import Person
from app.petitions.models import Petition, PetitionEvent, PetitionParty
from app.reception.models import ReceptionSession, ReceptionVisitor

#: Every table the desk and the petition forms write to.
WRITTEN_TABLES = (ReceptionSession, ReceptionVisitor, Person, Petition, PetitionParty, PetitionEvent, SequenceCounter)


def row_counts() -> dict[str, int]:
    """The number of rows in each table the forms write to (what a refused request must not change)."""
    db.session.rollback()
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in WRITTEN_TABLES}


def text(resp) -> str:
    """The response body with HTML entities decoded."""
    return html.unescape(resp.get_data(as_text=True))


def field_errors(page: str) -> list[str]:
    """The messages shown next to fields."""
    return [
        html.unescape(m).strip() for m in re.findall(r'<div class="invalid-feedback d-block">(.*?)</div>', page, re.S)
    ]


def local_now_input() -> str:
    """The current Vietnam time as a datetime-local input value."""
    return datetime.now(VN_TZ).strftime("%Y-%m-%dT%H:%M")


def receipt_numbers(page: str) -> list[str]:
    """The receipt numbers listed in the petition table, in order."""
    m = re.search(r'<table[^>]*data-testid="petition-list".*?</table>', page, re.S)
    if not m:
        return []
    return re.findall(r'/petitions/\d+">([A-Z0-9]+-\d{4}-\d{6})</a>', m.group(0))
