"""The organisational tree: a province, its departments, communes/wards and their offices, any depth."""

from typing import Optional

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import EnumStr
from ..core.enums import LabeledEnum
from ..core.i18n import lazy_gettext as _l
from ..core.mixins import TimestampMixin
from ..extensions import Model


class UnitKind(LabeledEnum):
    PROVINCE = "province"
    DEPARTMENT = "department"
    COMMUNE = "commune"
    OFFICE = "office"
    OTHER = "other"

    __labels__ = {
        "province": _l("Provincial People's Committee"),
        "department": _l("Department / agency"),
        "commune": _l("Commune / ward People's Committee"),
        "office": _l("Office / division"),
        "other": _l("Other body"),
    }


class Unit(TimestampMixin, Model):
    __tablename__ = "units"
    __table_args__ = (CheckConstraint("length(code) > 0", name="code_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short code used in receipt numbers, e.g. "TK" -> TK-2026-000123. Unique, upper-case.
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(EnumStr(UnitKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: Materialised path of ids, e.g. "/1/4/17/": a subtree is one indexed prefix match.
    path: Mapped[str] = mapped_column(String(255), index=True, default="")
    #: Remote or especially difficult area (vùng sâu, vùng xa): longer complaint limits apply.
    is_remote: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Province and ward codes (vietnam-provinces) of the unit's seat, if it is a local government.
    province_code: Mapped[int | None] = mapped_column(Integer)
    ward_code: Mapped[int | None] = mapped_column(Integer)
    #: Units are never deleted; a dissolved unit is deactivated.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Optimistic-locking version: a save from a stale administration form is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    parent: Mapped[Optional["Unit"]] = relationship(remote_side="Unit.id", back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.code")

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    def is_within(self, other: "Unit") -> bool:
        """True if this unit is ``other`` or one of its descendants."""
        return self.path.startswith(other.path)

    @property
    def body(self) -> "Unit":
        """The body with competence this unit belongs to: itself, unless it is an office or other division
        of a body above it (the commune's office belongs to the commune People's Committee)."""
        unit = self
        while unit.kind in (UnitKind.OFFICE, UnitKind.OTHER) and unit.parent is not None:
            unit = unit.parent
        return unit

    def ancestors(self) -> list[int]:
        return [int(x) for x in self.path.strip("/").split("/") if x]
