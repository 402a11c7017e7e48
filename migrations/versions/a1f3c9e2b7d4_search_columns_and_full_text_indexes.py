"""folded search columns on petitions and cases, and their full-text indexes

SQLite: FTS5 tables (external content) kept in sync by triggers. PostgreSQL: GIN indexes over
to_tsvector('simple', ...). The application fills the columns (app/search/sync.py); this migration fills
them for the rows already there.

Revision ID: a1f3c9e2b7d4
Revises: 58ab14cf4097
Create Date: 2026-11-25 19:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'a1f3c9e2b7d4'
down_revision = '58ab14cf4097'
branch_labels = None
depends_on = None

#: (table, indexed columns) for the full-text indexes.
FTS = {"petitions": ("search_text", "search_private"), "cases": ("search_text",)}


def _sqlite_fts(table: str, columns: tuple) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
        f"prefix='1 2 3')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _backfill(bind) -> None:
    from app.search.text import join_folded

    people = {}
    for pid, name, cid in bind.execute(sa.text(
            "SELECT pp.petition_id, p.full_name, p.citizen_id FROM petition_parties pp "
            "JOIN persons p ON p.id = pp.person_id ORDER BY pp.petition_id, pp.is_representative DESC")):
        people.setdefault(pid, []).append(join_folded(name, cid))
    rows = bind.execute(sa.text(
        "SELECT id, receipt_no, summary, content, source_agency, source_dispatch_no, is_identity_confidential "
        "FROM petitions")).all()
    for pid, receipt_no, summary, content, agency, dispatch, confidential in rows:
        text = join_folded(receipt_no, summary, content, agency, dispatch)
        names = " ".join(people.get(pid, []))
        private = " ".join(p for p in (text, names) if p) if confidential else None
        if not confidential:
            text = " ".join(p for p in (text, names) if p)
        bind.execute(sa.text("UPDATE petitions SET search_text = :t, search_private = :p WHERE id = :id"),
                     {"t": text, "p": private, "id": pid})
    for cid, number, title, decision_no in bind.execute(sa.text(
            "SELECT id, number, title, decision_no FROM cases")).all():
        bind.execute(sa.text("UPDATE cases SET search_text = :t WHERE id = :id"),
                     {"t": join_folded(number, title, decision_no), "id": cid})


def upgrade():
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('search_private', sa.Text(), nullable=True))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))

    bind = op.get_bind()
    _backfill(bind)
    if bind.dialect.name == "sqlite":
        for table, columns in FTS.items():
            for statement in _sqlite_fts(table, columns):
                op.execute(statement)
    else:
        for table, columns in FTS.items():
            for column in columns:
                where = f" WHERE {column} IS NOT NULL" if column == "search_private" else ""
                op.execute(f"CREATE INDEX ix_{table}_{column}_fts ON {table} "
                           f"USING gin (to_tsvector('simple'::regconfig, {column})){where}")


def downgrade():
    bind = op.get_bind()
    for table, columns in FTS.items():
        if bind.dialect.name == "sqlite":
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
        else:
            for column in columns:
                op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_fts")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of these tables would trip over the
    # foreign keys of the rows that refer to them.
    op.drop_column('cases', 'search_text')
    op.drop_column('petitions', 'search_private')
    op.drop_column('petitions', 'search_text')
