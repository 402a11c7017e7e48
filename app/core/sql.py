"""SQL building blocks shared by the set-based jobs (portable between SQLite and PostgreSQL)."""

import json

from sqlalchemy import Integer, String, cast, literal
from sqlalchemy.sql import ColumnElement


def json_sql(fields: dict[str, object]) -> ColumnElement[str]:
    """Build a JSON object text in SQL from constants and column expressions.

    Integer expressions become JSON numbers; other expressions become JSON strings. Only use it for values
    that need no JSON escaping (codes, numbers, dates, case numbers), which is what the jobs store.
    """
    parts: list[str | ColumnElement[str]] = []
    for i, (key, value) in enumerate(fields.items()):
        prefix = ("{" if i == 0 else ", ") + json.dumps(key) + ": "
        if hasattr(value, "__clause_element__"):  # a mapped attribute, e.g. Clock.due_on
            value = value.__clause_element__()
        if not isinstance(value, ColumnElement):
            parts.append(prefix + json.dumps(value))
        elif isinstance(value.type, Integer):
            parts += [prefix, cast(value, String)]
        else:
            parts += [prefix + '"', cast(value, String), '"']
    parts.append("}")
    merged: list[str | ColumnElement[str]] = []
    for part in parts:  # join neighbouring constants so the SQL stays short
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    expr: ColumnElement[str] | None = None
    for part in merged:
        item = literal(part, String) if isinstance(part, str) else part
        expr = item if expr is None else expr.concat(item)
    assert expr is not None  # there is at least the closing brace
    return expr
