"""Flags the scheduler raises on cases and petitions: late, due soon, many people, repeated, hot spot..."""

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import EnumStr
from ..core.enums import LabeledEnum
from ..core.i18n import lazy_gettext as _l
from ..core.timeutil import utcnow
from ..extensions import Model


class FlagKind(LabeledEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    MANY_PEOPLE = "many_people"
    REPEATED = "repeated"
    PROLONGED = "prolonged"
    OVER_LEVEL = "over_level"
    HOT_SPOT = "hot_spot"
    ENFORCEMENT_RECHECK = "enforcement_recheck"

    __labels__ = {
        "overdue": _l("Overdue"),
        "due_soon": _l("Due soon"),
        "many_people": _l("Many people"),
        "repeated": _l("Repeated"),
        "prolonged": _l("Prolonged"),
        "over_level": _l("Over-level"),
        "hot_spot": _l("Hot spot"),
        "enforcement_recheck": _l("Enforcement to re-check"),
    }


#: The enums naming a value of a flag's detail, by key: registered by the package that owns the enum (the
#: deadline flags name their clock's stage, and deadlines.models registers Stage as "stage"), so that flags
#: imports no higher package. ``queries.describe`` reads the labels from them.
DETAIL_ENUMS: dict[str, type[LabeledEnum]] = {}


def name_detail(key: str, enum_cls: type[LabeledEnum]) -> None:
    """Say that the value of ``key`` in a flag's detail is a member of ``enum_cls`` (its label is shown)."""
    DETAIL_ENUMS[key] = enum_cls


class FlagSubject(enum.StrEnum):
    """What a flag is raised on (stored as its value in ``flags.subject``)."""

    CASE = "case"
    PETITION = "petition"


class Flag(Model):
    """A flag on a case (or a petition): raised when its cause appears, cleared when it goes away.

    At most one active (uncleared) flag per subject, kind and clock; the row stays after clearing.
    """

    __tablename__ = "flags"
    __table_args__ = (
        # One active flag per subject and kind for a flag about the whole subject, one per clock for a
        # deadline flag (two partial indexes: in a unique index NULLs never collide).
        Index(
            "uq_flags_active_subject",
            "subject",
            "subject_id",
            "kind",
            unique=True,
            sqlite_where=text("cleared_at IS NULL AND clock_id IS NULL"),
            postgresql_where=text("cleared_at IS NULL AND clock_id IS NULL"),
        ),
        Index(
            "uq_flags_active_clock",
            "subject",
            "subject_id",
            "kind",
            "clock_id",
            unique=True,
            sqlite_where=text("cleared_at IS NULL AND clock_id IS NOT NULL"),
            postgresql_where=text("cleared_at IS NULL AND clock_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A case or a petition (a FlagSubject value), and the id of that row. The column stays a VARCHAR(16)
    #: of plain strings: ``EnumStr`` ignores its length argument (its type would read VARCHAR(32), a schema
    #: change), so code compares and writes ``FlagSubject`` members, which are those strings.
    subject: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(index=True)
    kind: Mapped[FlagKind] = mapped_column(EnumStr(FlagKind), index=True)
    #: For due-soon/overdue: the clock concerned (None for a flag about the whole case or petition).
    clock_id: Mapped[int | None] = mapped_column(ForeignKey("clocks.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    raised_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    detail: Mapped[str | None] = mapped_column(Text)
