"""The scheduler's lease: on SQLite, the row that makes one scheduler process the active one."""

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model


class SchedulerLease(Model):
    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: host:pid:random of the process holding the lease.
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
