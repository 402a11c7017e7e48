"""Gap-tolerant, race-free numbering per unit, series and year (receipt and case numbers)."""

from sqlalchemy import ForeignKey, Integer, String, case, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model, db


class SequenceCounter(Model):
    __tablename__ = "sequence_counters"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    #: "petition" or "case".
    series: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The last number handed out.
    value: Mapped[int] = mapped_column(Integer, default=0)


def next_number(unit_id: int, series: str, year: int) -> int:
    """Return the next number of the series, atomically (row lock on PostgreSQL, write lock on SQLite)."""
    key = (SequenceCounter.unit_id == unit_id) & (SequenceCounter.series == series) & (SequenceCounter.year == year)
    for _attempt in range(3):
        value = db.session.execute(
            update(SequenceCounter).where(key).values(value=SequenceCounter.value + 1).returning(SequenceCounter.value)
        ).scalar()
        if value is not None:
            return value
        try:
            with db.session.begin_nested():
                db.session.execute(insert(SequenceCounter).values(unit_id=unit_id, series=series, year=year, value=1))
            return 1
        except IntegrityError:
            continue  # another transaction created the row first; increment it instead
    raise RuntimeError("could not allocate a number")  # pragma: no cover


def reserve_number(unit_id: int, series: str, year: int, number: int) -> None:
    """Keep ``number`` of the series taken (a number carried over from a register kept before TiepDan): the
    series goes on after it, never handing it out again."""
    key = (SequenceCounter.unit_id == unit_id) & (SequenceCounter.series == series) & (SequenceCounter.year == year)
    for _attempt in range(3):
        found = db.session.execute(
            update(SequenceCounter)
            .where(key)
            .values(value=case((SequenceCounter.value < number, number), else_=SequenceCounter.value))
            .returning(SequenceCounter.value)
        ).scalar()
        if found is not None:
            return
        try:
            with db.session.begin_nested():
                db.session.execute(
                    insert(SequenceCounter).values(unit_id=unit_id, series=series, year=year, value=number)
                )
            return
        except IntegrityError:
            continue  # another transaction created the row first; raise it instead
    raise RuntimeError("could not reserve a number")  # pragma: no cover
