"""Users and their roles."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.db import EnumStr
from ..core.mixins import TimestampMixin
from ..core.roles import Role
from ..core.timeutil import utcnow
from ..extensions import Model
from ..units.models import Unit


class UserRole(Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[Role] = mapped_column(EnumStr(Role), primary_key=True)


class User(UserMixin, TimestampMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    #: Position shown on documents, e.g. "Chủ tịch UBND xã".
    title: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Deactivated users cannot log in; users are never deleted (history names them).
    is_active_user: Mapped[bool] = mapped_column("is_active", Boolean, default=True)
    #: Where reminders are e-mailed (optional; in-app notifications always work).
    email: Mapped[str | None] = mapped_column(String(200))
    #: Preferred interface language ("vi" or "en"); None means the default.
    locale: Mapped[str | None] = mapped_column(String(8))
    #: Optimistic-locking version: a save from a stale administration form is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    # Flask-Login
    @property
    def is_active(self) -> bool:
        return bool(self.is_active_user)

    def set_password(self, password: str) -> None:
        from flask import current_app

        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def roles(self) -> set[Role]:
        return {r.role for r in self.role_rows}

    def set_roles(self, roles) -> None:
        wanted = {Role(r) for r in roles}
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        have = self.roles
        for role in sorted(wanted - have):
            self.role_rows.append(UserRole(role=role))

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def has_any_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def oversees(self, unit: Unit | None) -> bool:
        """True if ``unit`` is this user's unit or below it (the user's visibility scope)."""
        return unit is not None and unit.is_within(self.unit)

    @property
    def keeps_national_data(self) -> bool:
        """Administrators of a top unit keep the national data: the statutory rules, the calendar, the
        subject areas."""
        return self.has_role(Role.ADMIN) and self.unit.parent_id is None

    @property
    def role_labels(self) -> str:
        return ", ".join(r.label for r in sorted(self.roles))


class UserSession(Model):
    """One login: its random id lives in the signed session cookie and is checked on every request.

    Logging out, deactivating the user or an administrator ending it sets ``ended_at``; a replayed
    cookie of an ended session is then refused.
    """

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: "logout", "idle", "deactivated", "password_changed", "admin".
    end_reason: Mapped[str | None] = mapped_column(String(20))
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship()
