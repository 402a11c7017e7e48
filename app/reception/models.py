"""Citizen-reception sessions (lượt tiếp công dân) and who came."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ColumnElement,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    exists,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import EnumStr
from ..core.enums import LabeledEnum
from ..core.i18n import lazy_gettext as _l
from ..core.mixins import TimestampMixin
from ..core.scope import in_scope
from ..extensions import Model
from ..persons.models import Person, hides_identity
from ..units.models import Unit
from ..users.models import User

if TYPE_CHECKING:
    from ..petitions.models import Petition


class ReceptionKind(LabeledEnum):
    REGULAR = "regular"
    PERIODIC = "periodic"
    ADHOC = "adhoc"

    __labels__ = {
        "regular": _l("Regular reception"),
        "periodic": _l("Periodic reception by the head"),
        "adhoc": _l("Ad-hoc reception"),
    }


class ReceptionOutcome(LabeledEnum):
    PETITION_RECEIVED = "petition_received"
    GUIDED = "guided"
    REFERRED = "referred"
    REFUSED = "refused"

    __labels__ = {
        "petition_received": _l("Petition received"),
        "guided": _l("Guided to the competent body"),
        "referred": _l("Referred to another body"),
        "refused": _l("Reception refused"),
    }


class RefusalReason(LabeledEnum):
    """Grounds for refusing reception (Law on Citizen Reception 2013, art. 9)."""

    INCAPACITATED = "incapacitated"
    DISORDER = "disorder"
    ALREADY_RESOLVED = "already_resolved"
    OTHER = "other"

    __labels__ = {
        "incapacitated": _l("Intoxicated or not in control of their actions (art. 9.1)"),
        "disorder": _l("Threats, insults or disorder at the reception place (art. 9.2, 9.3)"),
        "already_resolved": _l("Already resolved correctly, reviewed and notified, no new facts (art. 9.4)"),
        "other": _l("Other legal reason"),
    }


class ReceptionVisitor(Model):
    __tablename__ = "reception_visitors"

    session_id: Mapped[int] = mapped_column(ForeignKey("reception_sessions.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    #: Chosen representative of a delegation (Law on Citizen Reception art. 29).
    is_representative: Mapped[bool] = mapped_column(Boolean, default=False)

    person: Mapped[Person] = relationship(lazy="joined")


class ReceptionSession(TimestampMixin, Model):
    __tablename__ = "reception_sessions"
    __table_args__ = (
        CheckConstraint("people_count >= 1", name="people_count_positive"),
        CheckConstraint("outcome <> 'refused' OR refusal_reason IS NOT NULL", name="refusal_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    #: When the visit began (UTC).
    received_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    kind: Mapped[ReceptionKind] = mapped_column(EnumStr(ReceptionKind))
    #: The officer (or the head, for periodic reception) who received the citizens.
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: A delegation of many people (đoàn đông người): 5 or more with the same content.
    is_delegation: Mapped[bool] = mapped_column(Boolean, default=False)
    people_count: Mapped[int] = mapped_column(Integer, default=1)
    content: Mapped[str] = mapped_column(Text)
    outcome: Mapped[ReceptionOutcome] = mapped_column(EnumStr(ReceptionOutcome))
    refusal_reason: Mapped[RefusalReason | None] = mapped_column(EnumStr(RefusalReason))
    #: Refused as already resolved (Law on Citizen Reception 2013 art. 9): the case whose decision is in force.
    earlier_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    #: Guidance given, body referred to, or details of the refusal.
    outcome_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Imported from the unit's Excel register (app/imports): a digest of the row; None for a desk visit.
    import_key: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    #: Optimistic-locking version: a correction from a stale form is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship(lazy="joined")
    host: Mapped[User] = relationship(foreign_keys=[host_id], lazy="joined")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    visitors: Mapped[list[ReceptionVisitor]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    petitions: Mapped[list["Petition"]] = relationship(back_populates="reception_session")

    @property
    def representatives(self) -> list[Person]:
        return [v.person for v in self.visitors if v.is_representative] or [v.person for v in self.visitors]


def _hidden_on_visits(actor) -> ColumnElement[bool]:
    """Person reuse (persons.operations): for an ``actor``, the person visited a unit outside theirs."""
    if actor is None:
        return false()
    return exists().where(
        ReceptionVisitor.person_id == Person.id,
        ReceptionSession.id == ReceptionVisitor.session_id,
        ~in_scope(ReceptionSession.unit_id, actor),
    )


hides_identity(_hidden_on_visits)
