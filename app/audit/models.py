"""Audit events: who did what, when, to which record, and why. Rows are only ever inserted."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.timeutil import utcnow
from ..extensions import Model


class AuditEvent(Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    #: The user who acted; None for the system (scheduler, CLI without a user) or an unknown login name.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: What happened, dotted: "identity.reveal", "auth.login", "auth.login_failed", "user.update" ...
    action: Mapped[str] = mapped_column(String(40), index=True)
    #: The login session the act was done in (ties a reveal to the session it was granted for).
    session_id: Mapped[str | None] = mapped_column(String(64), index=True)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    #: A user the act was about (account changes, sessions ended by an administrator).
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Any other object: e.g. ("attachment", 12), ("backup", None).
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column()
    #: The reason the user typed (required for identity reveals).
    reason: Mapped[str | None] = mapped_column(Text)
    #: Further facts as JSON (never a citizen's identity).
    detail: Mapped[str | None] = mapped_column(Text)
    #: Client address as seen by the app (after the trusted proxy).
    ip: Mapped[str | None] = mapped_column(String(45))

    actor = relationship("User", foreign_keys=[actor_id])
    target_user = relationship("User", foreign_keys=[target_user_id])

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action}>"
