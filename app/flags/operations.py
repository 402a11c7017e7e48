"""Writes on flags (the scheduler's jobs raise and clear them set-wise)."""

from datetime import datetime

from sqlalchemy import Integer, String, cast, func, insert, literal, null, select, update

from ..core.db import affected_rows
from ..extensions import db
from .models import Flag, FlagKind

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


def sync_flags(kind: FlagKind, reasons, now: datetime) -> dict[str, int]:
    """Make the active flags of ``kind`` match ``reasons`` (rows of subject, subject_id, unit_id, detail).

    ``reasons`` may hold several rows for one subject; one flag is raised per subject.
    """
    r = reasons.subquery("r")
    still = select(r.c.subject_id).where(r.c.subject == Flag.subject, r.c.subject_id == Flag.subject_id)
    cleared = affected_rows(
        db.session.execute(
            update(Flag)
            .where(Flag.kind == kind, Flag.clock_id.is_(None), Flag.cleared_at.is_(None), ~still.exists())
            .values(cleared_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    g = (
        select(
            r.c.subject, r.c.subject_id, func.min(r.c.unit_id).label("unit_id"), func.min(r.c.detail).label("detail")
        )
        .group_by(r.c.subject, r.c.subject_id)
        .subquery("g")
    )
    active = select(Flag.id).where(
        Flag.subject == g.c.subject,
        Flag.subject_id == g.c.subject_id,
        Flag.kind == kind,
        Flag.clock_id.is_(None),
        Flag.cleared_at.is_(None),
    )
    rows = select(
        g.c.subject,
        g.c.subject_id,
        literal(kind.value, String),
        cast(null(), Integer),
        g.c.unit_id,
        literal(now, Flag.raised_at.type),
        g.c.detail,
    ).where(~active.exists())
    raised = insert_flags(rows)
    return {"raised": raised, "cleared": cleared}
