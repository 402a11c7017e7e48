"""Permissions granted to roles beyond what the role itself implies (e.g. view_identity)."""
from datetime import datetime
from typing import Optional

from ..core.i18n import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import EnumStr
from ..core.enums import LabeledEnum
from ..core.roles import Role
from ..core.timeutil import utcnow
from ..extensions import db


class Permission(LabeledEnum):
    VIEW_IDENTITY = "view_identity"

    __labels__ = {
        "view_identity": _l("View the identity of confidential petitioners (with a recorded reason)"),
    }


class RolePermission(db.Model):
    """Role R holds permission P (granted by an administrator; grants and revocations are audited)."""

    __tablename__ = "role_permissions"

    role: Mapped[Role] = mapped_column(EnumStr(Role), primary_key=True)
    permission: Mapped[Permission] = mapped_column(EnumStr(Permission, 40), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    granted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
