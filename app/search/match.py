"""Search conditions over the folded columns: every word of the query is a word of the text, the last one
may be the beginning of a word (as typed so far).

SQLite answers from the FTS5 tables ``<table>_fts`` (kept in sync by triggers), PostgreSQL from GIN indexes
over ``to_tsvector('simple', <column>)`` (see migration a1f3c9e2b7d4). The query is folded the same way as
the text (app.search.text): "nguyen van an" finds "Nguyễn Văn An" (and "Nguyễn Văn Anh"), "070085" the CCCD
070085001234 and "tk 2026 000123" the receipt TK-2026-000123. Only the last word may be a beginning: a
word inside a query is matched whole ("ngu van an" does not find "Nguyễn Văn An"), which keeps GIN and
FTS5 lookups exact (several prefixes made PostgreSQL re-read and re-parse tens of thousands of rows).
"""

from typing import Any

from sqlalchemy import ColumnClause, ColumnElement, and_, bindparam, func, literal_column, select, union
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table

from ..extensions import db
from ..privacy.policy import shown_petition_ids
from .text import query_terms

_SIMPLE: ColumnClause[Any] = literal_column("'simple'::regconfig")


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _matches(model, column: str, terms: list[str]):
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


def _petitions_matching(column, terms: list[str], user, *extra) -> list:
    """Selects of ``column`` of the petitions matching ``terms`` for ``user`` (see petition_ids_matching)."""
    from ..petitions.models import Petition

    selects = [select(column).where(_matches(Petition, "search_text", terms), *extra)]
    shown = shown_petition_ids(user)
    if shown:
        selects.append(
            select(column).where(_matches(Petition, "search_private", terms), Petition.id.in_(sorted(shown)), *extra)
        )
    return selects


def _found(selects: list, name: str):
    """The matches as a MATERIALIZED common table expression with one column ``id``.

    Materialized, the matches are read from the full-text index once, then joined to the list: otherwise
    PostgreSQL may walk the whole register in date order and test every row against the search.
    """
    return union(*selects).cte(name).prefix_with("MATERIALIZED")


def petition_ids_matching(q: str, user):
    """The ids of the petitions matching ``q`` for ``user`` (a CTE, column ``id``); None if ``q`` has no words.

    A confidential petition's petitioners (names, CCCD) count only while its identity is shown to the user
    (after a recorded reveal): otherwise a search would tell who the denunciator is.
    """
    from ..petitions.models import Petition

    terms = query_terms(q)
    return _found(_petitions_matching(Petition.id, terms, user), "found_petitions") if terms else None


def case_ids_matching(q: str, user):
    """The ids of cases whose number, title or decision, or one of whose petitions, matches (a CTE, ``id``)."""
    from ..cases.models import Case
    from ..petitions.models import Petition

    terms = query_terms(q)
    if not terms:
        return None
    by_petition = _petitions_matching(Petition.case_id.label("id"), terms, user, Petition.case_id.is_not(None))
    return _found([select(Case.id).where(_matches(Case, "search_text", terms)), *by_petition], "found_cases")
