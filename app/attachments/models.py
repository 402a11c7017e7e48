"""Files attached to a petition or a case. Never deleted: a mistaken upload is marked removed."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.timeutil import utcnow
from ..extensions import Model


class Attachment(Model):
    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint("petition_id IS NOT NULL OR case_id IS NOT NULL", name="has_owner"),
        CheckConstraint("size_bytes >= 0", name="size_not_negative"),
        CheckConstraint("NOT is_removed OR removed_at IS NOT NULL", name="removed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    #: Server-generated file name under ATTACHMENTS_DIR (random; the upload's name is never used on disk).
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    #: The name the file had on the user's computer, sanitised; used only as the download name.
    original_name: Mapped[str] = mapped_column(String(255))
    #: Detected from the content (not the browser's claim), one of the allowed types.
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(String(300))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Marked removed (uploaded by mistake); the file and the row stay.
    is_removed: Mapped[bool] = mapped_column(Boolean, default=False)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_reason: Mapped[str | None] = mapped_column(Text)

    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])
    removed_by = relationship("User", foreign_keys=[removed_by_id])

    def __repr__(self) -> str:
        return f"<Attachment {self.id}>"
