"""Model mixins shared by the domains."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column

from .timeutil import utcnow


class TimestampMixin:
    #: When the row was created (UTC).
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    #: When the row was last changed (UTC).
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)
