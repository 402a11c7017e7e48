"""The append-only history rows shared by petitions and cases."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from .timeutil import utcnow

if TYPE_CHECKING:
    from ..users.models import User


class EventMixin:
    """One immutable history row: who did what, when, from which state to which, and why.

    Rows are only ever inserted; no code path updates or deletes them.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    #: The action taken (e.g. "assign", "resolve"); states alone do not say what happened.
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)

    @declared_attr
    def actor_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("users.id"))

    @declared_attr
    def actor(cls) -> Mapped["User"]:
        return relationship("User", lazy="joined")
