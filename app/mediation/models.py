"""A grassroots mediation record (Law on Grassroots Mediation 2013): who mediated whom, when, about what, and
the result; a later petition of the same matter can be linked to it."""

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import EnumStr
from ..core.enums import LabeledEnum
from ..core.i18n import lazy_gettext as _l
from ..core.mixins import TimestampMixin
from ..core.roles import Role
from ..extensions import Model
from ..petitions.models import Petition
from ..subjects.models import SubjectArea
from ..units.models import Unit
from ..users.models import User


class MediationResult(LabeledEnum):
    RECONCILED = "reconciled"
    PARTLY = "partly"
    FAILED = "failed"

    __labels__ = {
        "reconciled": _l("Reconciled: the parties agreed"),
        "partly": _l("Partly reconciled"),
        "failed": _l("Not reconciled"),
    }


class MediationRecord(TimestampMixin, Model):
    __tablename__ = "mediation_records"
    __table_args__ = (CheckConstraint("length(matter) > 0", name="matter_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The unit whose mediation team held it (the commune, or a unit below it).
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    #: The mediators (the grassroots mediation team), and the parties mediated.
    mediators: Mapped[str] = mapped_column(Text)
    parties: Mapped[str] = mapped_column(Text)
    #: The matter in dispute, and what the parties agreed (if anything).
    matter: Mapped[str] = mapped_column(Text)
    result: Mapped[MediationResult] = mapped_column(EnumStr(MediationResult))
    agreement: Mapped[str | None] = mapped_column(Text)
    subject_area_id: Mapped[int | None] = mapped_column(ForeignKey("subject_areas.id"))
    #: A later petition of the same matter (linked once, never to a petition whose identity is confidential).
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Optimistic-locking version: a link from a stale page is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship(lazy="joined")
    subject_area: Mapped[SubjectArea | None] = relationship(lazy="joined")
    petition: Mapped[Petition | None] = relationship()
    created_by: Mapped[User] = relationship()

    def can_edit(self, user: User) -> bool:
        """Reception officers and heads of its unit or above record and link it."""
        return user.has_any_role(Role.RECEPTION, Role.HEAD) and user.oversees(self.unit)
