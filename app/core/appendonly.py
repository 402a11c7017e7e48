"""Append-only history and no hard deletes, enforced in the ORM (PostgreSQL also has triggers).

Three guards, installed once per process (they are global SQLAlchemy events, not per app):

- a Session ``before_flush`` listener refuses a flush that would UPDATE or DELETE a history row
  (case and petition events, audit events, rule changes) or DELETE any other record;
- mapper ``before_update``/``before_delete`` listeners catch what ``before_flush`` cannot see yet
  (rows deleted by a cascade or as orphans, changes made by other ``before_flush`` listeners);
- an Engine ``before_execute`` listener refuses bulk ``update()``/``delete()`` statements (ORM or Core)
  that would change a history table or delete records.

Raw SQL text is not inspected: on PostgreSQL the triggers of migration 6227c81ca65b refuse it for the
history tables; TRUNCATE (the test suite, restores) is allowed by both.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask
from sqlalchemy import Table, event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapper, Session, UOWTransaction
from sqlalchemy.sql import Executable, TableClause
from sqlalchemy.sql.dml import Delete, Insert, Update

from ..extensions import db

#: History tables: rows are only ever inserted.
APPEND_ONLY_TABLES = frozenset(
    {"case_events", "petition_events", "audit_events", "deadline_rule_changes", "case_steps"}
)

#: Link and lease rows that are legitimately replaced; every other table keeps its rows forever
#: (a mistaken or withdrawn record is marked, e.g. Unit/User deactivated, Attachment removed_at).
DELETABLE_TABLES = frozenset(
    {
        "user_roles",  # User.set_roles() replaces the role rows
        "role_permissions",  # revoking a permission (the grant/revoke itself is an audit event)
        "scheduler_leases",  # the scheduler leader's lease
    }
)

#: Also deletable by a bulk statement: flags are scheduler output, recomputed from the cases (the jobs
#: clear them with cleared_at; the test suite resets them with DELETE).
BULK_DELETABLE_TABLES = DELETABLE_TABLES | {"flags"}


class AppendOnlyViolation(RuntimeError):
    """A write would change or remove history, or hard-delete a record. A bug, never user input."""


_installed = False


def init_app(app: Flask) -> None:
    """Install the guards (once per process; they do not depend on the app)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(db.Model, "before_update", _before_update, propagate=True)
    event.listen(db.Model, "before_delete", _before_delete, propagate=True)
    event.listen(Engine, "before_execute", _before_execute)
    _installed = True


def _app_tables() -> Mapping[str, Table]:
    return db.metadata.tables  # a dict: membership without copying, on every UPDATE/DELETE statement


def _table_name(mapper: Mapper[Any]) -> str:
    """The table a model writes to: every model of the app maps one Table."""
    table = mapper.persist_selectable
    assert isinstance(table, TableClause), f"{mapper} does not map a table"
    return table.name


def _table_of(obj: object) -> str:
    return _table_name(inspect(obj).mapper)


def _has_column_changes(obj: object) -> bool:
    state = inspect(obj)
    return any(state.attrs[prop.key].history.has_changes() for prop in state.mapper.column_attrs)


def _refuse_update(table: str, what: object) -> None:
    raise AppendOnlyViolation(f"{table} is append-only: refusing to update {what!r}")


def _refuse_delete(table: str, what: object) -> None:
    raise AppendOnlyViolation(f"records are never deleted: refusing to delete {what!r} from {table} (mark it instead)")


def _before_flush(session: Session, flush_context: UOWTransaction, instances: Iterable[object] | None) -> None:
    for obj in session.deleted:
        table = _table_of(obj)
        if table not in DELETABLE_TABLES:
            _refuse_delete(table, obj)
    for obj in session.dirty:
        table = _table_of(obj)
        if table in APPEND_ONLY_TABLES and _has_column_changes(obj):
            _refuse_update(table, obj)


def _before_update(mapper: Mapper[Any], connection: Connection, target: object) -> None:
    table = _table_name(mapper)
    if table in APPEND_ONLY_TABLES and _has_column_changes(target):
        _refuse_update(table, target)


def _before_delete(mapper: Mapper[Any], connection: Connection, target: object) -> None:
    table = _table_name(mapper)
    if table not in DELETABLE_TABLES:
        _refuse_delete(table, target)


def _before_execute(
    conn: Connection,
    clauseelement: Executable,
    multiparams: object,
    params: object,
    execution_options: object,
) -> None:
    if isinstance(clauseelement, Insert):
        # INSERT ... ON CONFLICT DO UPDATE (an upsert) would change a history row in place.
        table = getattr(clauseelement.table, "name", None)
        if table in APPEND_ONLY_TABLES and getattr(clauseelement, "_post_values_clause", None) is not None:
            _refuse_update(table, "INSERT ... ON CONFLICT statement")
        return
    if not isinstance(clauseelement, (Update, Delete)):
        return
    table = getattr(clauseelement.table, "name", None)
    if table is None or table not in _app_tables():
        return  # not one of the app's tables (e.g. Alembic's alembic_version)
    if isinstance(clauseelement, Update) and table in APPEND_ONLY_TABLES:
        _refuse_update(table, "UPDATE statement")
    if isinstance(clauseelement, Delete) and table not in BULK_DELETABLE_TABLES:
        _refuse_delete(table, "DELETE statement")
