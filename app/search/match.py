"""Search conditions over the folded columns: every word of the query is a word of the text, the last one
may be the beginning of a word (as typed so far).

SQLite answers from the FTS5 tables ``<table>_fts`` (kept in sync by triggers), PostgreSQL from GIN indexes
over ``to_tsvector('simple', <column>)`` (see migration a1f3c9e2b7d4). The query is folded the same way as
the text (app.search.text): "nguyen van an" finds "Nguyễn Văn An" (and "Nguyễn Văn Anh"), "070085" the CCCD
070085001234 and "tk 2026 000123" the receipt TK-2026-000123. Only the last word may be a beginning: a
word inside a query is matched whole ("ngu van an" does not find "Nguyễn Văn An"), which keeps GIN and
FTS5 lookups exact (several prefixes made PostgreSQL re-read and re-parse tens of thousands of rows).

Only the generic parts live here: what a search matches is said by the package that owns the rows
(``petitions.queries.petition_ids_matching``, ``cases.queries.case_ids_matching``).
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import CTE, ColumnClause, ColumnElement, Select, and_, bindparam, func, literal_column, select, union
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table

from ..extensions import db

_SIMPLE: ColumnClause[Any] = literal_column("'simple'::regconfig")


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def matches(model: Any, column: str, terms: list[str]) -> ColumnElement[bool]:
    """SQL condition on ``model``: its ``column`` holds every term (the last as a word beginning)."""
    table = model.__tablename__
    if _dialect() == "sqlite":
        expression = "{%s} : (%s)" % (
            column,
            " AND ".join(f'"{t}"' for t in terms[:-1]) + " AND " * (len(terms) > 1) + f'"{terms[-1]}"*',
        )
        fts = sql_table(f"{table}_fts", sql_column("rowid"))
        return model.id.in_(
            select(fts.c.rowid).where(
                literal_column(f"{table}_fts").bool_op("MATCH")(bindparam(None, expression, unique=True))
            )
        )
    tsquery = " & ".join(terms[:-1] + [f"{terms[-1]}:*"])
    col = getattr(model, column)
    condition: ColumnElement[bool] = func.to_tsvector(_SIMPLE, col).bool_op("@@")(
        func.to_tsquery(_SIMPLE, bindparam(None, tsquery, unique=True))
    )
    if column == "search_private":
        condition = and_(condition, col.is_not(None))  # the partial index holds confidential petitions only
    return condition


def found(selects: Sequence[Select[Any]], name: str) -> CTE:
    """The matches as a MATERIALIZED common table expression with one column ``id``.

    Materialized, the matches are read from the full-text index once, then joined to the list: otherwise
    PostgreSQL may walk the whole register in date order and test every row against the search.
    """
    return union(*selects).cte(name).prefix_with("MATERIALIZED")
