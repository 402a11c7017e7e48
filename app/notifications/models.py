"""In-app notifications (the bell) and their e-mail copies; each reminder exists once per recipient."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.timeutil import utcnow
from ..extensions import Model, db


class Notification(Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id"))
    #: What it is about, e.g. "overdue", "due_soon", "legal_effect".
    kind: Mapped[str] = mapped_column(String(32))
    #: Makes a reminder unique per recipient: e.g. "overdue:clock:17:2026-12-01".
    dedup_key: Mapped[str] = mapped_column(String(120))
    #: Message parameters (JSON); the text is rendered in the reader's language.
    params: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: When the e-mail copy was handed to the SMTP server (None: not sent, or no e-mail configured).
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (db.UniqueConstraint("user_id", "dedup_key", name="uq_notifications_user_dedup"),)
