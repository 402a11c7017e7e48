"""Search conditions over the folded columns: every word of the query must begin a word of the text.

SQLite answers from the FTS5 tables ``<table>_fts`` (kept in sync by triggers), PostgreSQL from GIN indexes
over ``to_tsvector('simple', <column>)`` (see migration a1f3c9e2b7d4). The query is folded the same way as
the text (app.search.text): "nguyen van an" finds "Nguyễn Văn An", "070085" the CCCD 070085001234 and
"tk 2026 000123" the receipt TK-2026-000123. A word matches from its start only ("0012" does not find
"070085001234"): what a GIN or FTS index can answer without reading every row.
"""
from sqlalchemy import bindparam, column as sql_column, func, literal_column, select, table as sql_table, union

from ..extensions import db
from ..privacy.policy import shown_petition_ids
from .text import query_terms

_SIMPLE = literal_column("'simple'::regconfig")


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _fts_ids(model, column: str, terms: list[str]):
    """A select of the ids of ``model`` rows whose ``column`` holds words beginning with every term."""
    table = model.__tablename__
    if _dialect() == "sqlite":
        expression = "{%s} : (%s)" % (column, " AND ".join(f'"{t}"*' for t in terms))
        fts = sql_table(f"{table}_fts", sql_column("rowid"))
        return (select(fts.c.rowid)
                .where(literal_column(f"{table}_fts").op("MATCH")(bindparam(None, expression, unique=True))))
    tsquery = " & ".join(f"{t}:*" for t in terms)
    col = getattr(model, column)
    condition = func.to_tsvector(_SIMPLE, col).op("@@")(func.to_tsquery(_SIMPLE, bindparam(None, tsquery,
                                                                                              unique=True)))
    if column == "search_private":
        condition = condition & col.is_not(None)  # the partial index holds confidential petitions only
    return select(model.id).where(condition)


def petition_ids_matching(q: str, user):
    """A select of the ids of petitions matching ``q`` for ``user``, or None if ``q`` has no words.

    A confidential petition's petitioners (names, CCCD) count only while its identity is shown to the user
    (after a recorded reveal): otherwise a search would tell who the denunciator is.
    """
    from ..petitions.models import Petition

    terms = query_terms(q)
    if not terms:
        return None
    public = _fts_ids(Petition, "search_text", terms)
    shown = shown_petition_ids(user)
    if not shown:
        return public
    private = _fts_ids(Petition, "search_private", terms).where(Petition.id.in_(sorted(shown)))
    return union(public, private)


def case_ids_matching(q: str, user):
    """A select of the ids of cases whose number, title or decision, or one of whose petitions, matches."""
    from ..cases.models import Case
    from ..petitions.models import Petition

    petitions = petition_ids_matching(q, user)
    if petitions is None:
        return None
    by_petition = select(Petition.case_id).where(Petition.id.in_(petitions), Petition.case_id.is_not(None))
    return union(_fts_ids(Case, "search_text", query_terms(q)), by_petition)
