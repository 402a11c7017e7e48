"""Database helpers: enum columns, SQLite connection settings, typed access to tables and row counts.

The request's transaction: core.transaction.
"""

import enum
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, has_request_context, request
from sqlalchemy import Result, String, Table, event
from sqlalchemy.engine import Connection, CursorResult, Dialect, Engine
from sqlalchemy.types import TypeDecorator

from ..extensions import db

E = TypeVar("E", bound=enum.StrEnum)
F = TypeVar("F", bound=Callable[..., Any])


class EnumStr(TypeDecorator[E]):
    """Store a StrEnum as VARCHAR (portable, readable, no native ENUM migrations) and load it back."""

    impl = String  # built with the given length
    cache_ok = True

    def __init__(self, enum_cls: type[E], length: int = 32):
        super().__init__(length)
        self.enum_cls = enum_cls
        self.length = length

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self.enum_cls(value).value

    def process_result_value(self, value: Any | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum_cls(value)

    def __repr__(self) -> str:  # keeps autogenerate output stable
        return "sa.String(length=%d)" % self.length


def table_of(model: type[Any]) -> Table:
    """The Table of a model class (``__table__``, which the declarative base types as any FromClause)."""
    table = model.__table__
    assert isinstance(table, Table), f"{model.__name__} is not mapped to a table"
    return table


def affected_rows(result: Result[*tuple[Any, ...]]) -> int:
    """The rows an INSERT, UPDATE or DELETE run by ``Session.execute()`` wrote.

    The session types its result as a plain Result; for a DML statement it is a CursorResult, which has the
    count (PostgreSQL reports INSERT ... SELECT counts only with ``preserve_rowcount=True``).
    """
    assert isinstance(result, CursorResult), "a DML statement's result has a row count"
    return result.rowcount


def configure_sqlite(engine: Engine) -> None:
    """Turn on WAL, foreign keys and a busy timeout; take the write lock at BEGIN for writing requests.

    With a deferred BEGIN, two workers that both read and then write can deadlock: SQLite answers
    "database is locked" at once instead of waiting. Write requests (POST etc.) and CLI commands
    therefore start with BEGIN IMMEDIATE, which waits on busy_timeout; GET requests stay deferred
    so readers never queue behind a writer (WAL lets them read concurrently).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()
        # SQLite's lower() (and so ILIKE) folds ASCII only: "ĐỖ" would not find "Đỗ". Fold all of Unicode.
        dbapi_conn.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        read_only = has_request_context() and request.method in ("GET", "HEAD", "OPTIONS") and not _view_writes_on_get()
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def writes_on_get(view: F) -> F:
    """Mark a GET view that writes (an audit row for a download or an export).

    On SQLite such a request starts with BEGIN IMMEDIATE like a POST: a deferred transaction that reads
    and then writes fails at once with "database is locked" if another writer committed in between.
    """
    view.writes_on_get = True  # type: ignore[attr-defined]  # a function attribute, read back with getattr()
    return view


def _view_writes_on_get() -> bool:
    from flask import current_app

    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "writes_on_get", False))


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def init_engine_events(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine)
