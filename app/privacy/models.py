"""Permissions granted to roles beyond what the role itself implies (e.g. view_identity)."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import EnumStr
from ..core.enums import LabeledEnum
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role
from ..core.timeutil import utcnow
from ..extensions import Model
from ..units.models import Unit


class Permission(LabeledEnum):
    VIEW_IDENTITY = "view_identity"

    __labels__ = {
        "view_identity": _l("View the identity of confidential petitioners (with a recorded reason)"),
    }


class RolePermission(Model):
    """Role R holds permission P within the subtree of unit U (granted by an administrator of U or above;
    grants and revocations are audited).

    The grant applies to users of the role whose own unit lies in U's subtree, and only to records of
    that subtree: an administrator of one commune cannot widen what officers of another commune may see.
    """

    __tablename__ = "role_permissions"

    role: Mapped[Role] = mapped_column(EnumStr(Role), primary_key=True)
    permission: Mapped[Permission] = mapped_column(EnumStr(Permission), primary_key=True)
    #: The root of the unit subtree the grant applies to (the tree's root unit: the whole tree).
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit: Mapped["Unit"] = relationship(lazy="joined")
