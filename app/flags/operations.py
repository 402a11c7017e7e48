"""Writes on flags (the scheduler's jobs raise and clear them set-wise)."""

from sqlalchemy import insert

from ..core.db import affected_rows
from ..extensions import db
from .models import Flag

#: The columns a flag-raising SELECT yields, in order (see insert_flags).
FLAG_INSERT_COLUMNS = ["subject", "subject_id", "kind", "clock_id", "unit_id", "raised_at", "detail"]


def insert_flags(rows) -> int:
    """Raise the flags ``rows`` (a SELECT of FLAG_INSERT_COLUMNS) in one statement; the number raised."""
    return affected_rows(
        db.session.execute(
            insert(Flag)
            .from_select(FLAG_INSERT_COLUMNS, rows)
            .execution_options(preserve_rowcount=True)  # PostgreSQL reports INSERT counts only when asked
        )
    )
