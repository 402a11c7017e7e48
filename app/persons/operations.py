"""Writes on persons."""
from dataclasses import dataclass

from ..extensions import db
from .models import Person


@dataclass
class PersonData:
    full_name: str
    citizen_id: str | None = None
    phone: str | None = None
    province_code: int | None = None
    ward_code: int | None = None
    address_line: str | None = None


def find_or_create_person(data: PersonData) -> Person:
    """Reuse the person with the same citizen ID (filling in what they lacked), else create one."""
    person = None
    if data.citizen_id:
        person = db.session.execute(
            db.select(Person).where(Person.citizen_id == data.citizen_id).order_by(Person.id).limit(1)
        ).scalar_one_or_none()
    if person is None:
        person = Person(full_name=data.full_name.strip())
        db.session.add(person)
    for field in ("citizen_id", "phone", "province_code", "ward_code", "address_line"):
        value = getattr(data, field)
        if value not in (None, "") and getattr(person, field) in (None, ""):
            setattr(person, field, value)
    return person
