"""Full-text search that ignores Vietnamese diacritics and case.

The application folds the searchable text of each petition and case into plain lower-case ASCII words
(``text.py``) and stores it on the row (``search_text``, and ``search_private`` for a confidential
petition's petitioners); the database indexes those columns for word search (the last word of a query may
be a beginning): an FTS5 table kept in sync by triggers on SQLite, a GIN index over ``to_tsvector('simple', ...)``
on PostgreSQL (``match.py``).
"""
