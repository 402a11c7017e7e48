"""Citizens who visit or petition (công dân)."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import CheckConstraint, ColumnElement, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from ..core.mixins import TimestampMixin
from ..core.text import fold
from ..extensions import Model


class Person(TimestampMixin, Model):
    __tablename__ = "persons"
    __table_args__ = (
        CheckConstraint("citizen_id IS NULL OR length(citizen_id) = 12", name="citizen_id_12_digits"),
        # The desk finds a citizen without a CCCD by name and year of birth.
        Index("ix_persons_name_birth_year", "name_folded", "birth_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), index=True)
    #: Citizen identity card number (CCCD), 12 digits; optional (some visitors have none on them).
    citizen_id: Mapped[str | None] = mapped_column(String(12), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    #: Administrative codes from the vietnam-provinces package (2025 two-level divisions).
    province_code: Mapped[int | None] = mapped_column(Integer)
    ward_code: Mapped[int | None] = mapped_column(Integer)
    #: House number, street, hamlet (thôn/ấp) — the part not covered by the codes.
    address_line: Mapped[str | None] = mapped_column(String(300))
    #: The year of birth (năm sinh), optional: with the name it finds a citizen who gives no CCCD.
    birth_year: Mapped[int | None] = mapped_column(Integer)
    #: ``full_name`` folded (lower case, no diacritics: "nguyen van an"), set with it: the register's search.
    name_folded: Mapped[str | None] = mapped_column(String(200))

    #: Optimistic-locking version: a correction from a stale form is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    @validates("full_name")
    def _fold_name(self, _key: str, value: str) -> str:
        self.name_folded = fold(value)[:200] if value else None
        return value

    def __repr__(self) -> str:
        return f"<Person {self.id}>"

    @property
    def address(self) -> str:
        from .divisions import province_name, ward_name

        parts = [self.address_line, ward_name(self.ward_code), province_name(self.province_code)]
        return ", ".join(p for p in parts if p)


#: Where a person may appear hidden from an actor: functions of the actor (None: anyone) giving an SQL
#: condition on Person, true when they appear on such a record (a confidential petition, a petition or a
#: visit outside the actor's units). The packages holding those records register them (petitions.models,
#: reception.models) so persons imports no higher package; ``operations.find_or_create_person`` reads them.
HIDING_PLACES: list[Callable[[Any], ColumnElement[bool]]] = []


def hides_identity(condition: Callable[[Any], ColumnElement[bool]]) -> None:
    """Register ``condition(actor)``: a stored person it holds for is not reused for ``actor``."""
    HIDING_PLACES.append(condition)
