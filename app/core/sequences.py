"""Gap-tolerant, race-free numbering per unit, series and year (receipt and case numbers)."""

from sqlalchemy import ForeignKey, Integer, String, insert, update
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
