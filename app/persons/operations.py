"""Writes on persons."""

from dataclasses import dataclass

from sqlalchemy import false, or_

from ..extensions import db
from .models import HIDING_PLACES, Person


@dataclass
class PersonData:
    full_name: str
    citizen_id: str | None = None
    phone: str | None = None
    province_code: int | None = None
    ward_code: int | None = None
    address_line: str | None = None
    birth_year: int | None = None


def data_of(person: Person) -> PersonData:
    """What a new person row copies from ``person`` (a confidential petitioner gets their own row)."""
    return PersonData(
        full_name=person.full_name,
        citizen_id=person.citizen_id,
        phone=person.phone,
        province_code=person.province_code,
        ward_code=person.ward_code,
        address_line=person.address_line,
        birth_year=person.birth_year,
    )


def find_or_create_person(data: PersonData, actor=None, confidential: bool = False) -> Person:
    """Reuse the person with the same citizen ID (filling in what they lacked), else create one.

    A stored person is reused only when nothing about them is hidden from ``actor``: they appear on no
    confidential petition (a denunciator's record must not be found by typing their CCCD, nor get a phone
    or address from another petition) and, when ``actor`` is given, on no petition or visit outside the
    actor's units. A ``confidential`` registration (a denunciator) always gets a new row, so what they give
    never shows on their other records. Otherwise a new person row holds what was typed.
    """
    person = None
    if data.citizen_id and not confidential:
        person = db.session.execute(
            db.select(Person)
            .where(Person.citizen_id == data.citizen_id, ~_hidden_from(actor))
            .order_by(Person.id)
            .limit(1)
        ).scalar_one_or_none()
    if person is None:
        person = Person(full_name=data.full_name.strip())
        db.session.add(person)
    for field in ("citizen_id", "phone", "province_code", "ward_code", "address_line", "birth_year"):
        value = getattr(data, field)
        if value not in (None, "") and getattr(person, field) in (None, ""):
            setattr(person, field, value)
    return person


def _hidden_from(actor):
    """SQL condition on Person: they appear somewhere ``actor`` may not see their identity."""
    return or_(*(hidden(actor) for hidden in HIDING_PLACES)) if HIDING_PLACES else false()
