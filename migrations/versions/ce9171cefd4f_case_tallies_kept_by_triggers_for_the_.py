"""case tallies kept by triggers for the caseload page

case_tallies holds the number of cases per (unit, handling unit, handler, state, kind); triggers on cases
keep it right for every writer (the app, a bulk load, a restore). PostgreSQL: statement-level triggers
with transition tables, so a COPY of a million cases updates the tallies in one grouped statement, and the
rows are locked in key order (no deadlock between two transactions). SQLite: row-level triggers.

Revision ID: ce9171cefd4f
Revises: 1371bb20f309
Create Date: 2026-11-25 19:14:11.449840

"""
from alembic import op
import sqlalchemy as sa


revision = 'ce9171cefd4f'
down_revision = '1371bb20f309'
branch_labels = None
depends_on = None

KEY = "unit_id, handling_unit_id, handler_id, state, kind"


def _key(row: str) -> str:
    return (f"{row}.unit_id, COALESCE({row}.handling_unit_id, 0), COALESCE({row}.handler_id, 0), "
            f"{row}.state, {row}.kind")


def _match(row: str) -> str:
    return (f"unit_id = {row}.unit_id AND handling_unit_id = COALESCE({row}.handling_unit_id, 0) "
            f"AND handler_id = COALESCE({row}.handler_id, 0) AND state = {row}.state AND kind = {row}.kind")


SQLITE = [
    f"CREATE TRIGGER cases_tally_ai AFTER INSERT ON cases BEGIN "
    f"INSERT INTO case_tallies ({KEY}, n) VALUES ({_key('new')}, 1) "
    f"ON CONFLICT ({KEY}) DO UPDATE SET n = n + 1; END",
    f"CREATE TRIGGER cases_tally_ad AFTER DELETE ON cases BEGIN "
    f"UPDATE case_tallies SET n = n - 1 WHERE {_match('old')}; END",
    f"CREATE TRIGGER cases_tally_au AFTER UPDATE OF {KEY} ON cases BEGIN "
    f"UPDATE case_tallies SET n = n - 1 WHERE {_match('old')}; "
    f"INSERT INTO case_tallies ({KEY}, n) VALUES ({_key('new')}, 1) "
    f"ON CONFLICT ({KEY}) DO UPDATE SET n = n + 1; END",
]

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION tiepdan_case_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO case_tallies AS t ({KEY}, n)
        SELECT {_key('r')}, count(*) FROM new_rows r GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT ({KEY}) DO UPDATE SET n = t.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO case_tallies AS t ({KEY}, n)
        SELECT {_key('r')}, -count(*) FROM old_rows r GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT ({KEY}) DO UPDATE SET n = t.n + excluded.n;
    ELSE
        INSERT INTO case_tallies AS t ({KEY}, n)
        SELECT k1, k2, k3, k4, k5, sum(d) FROM (
            SELECT {_key('r')}, 1 FROM new_rows r
            UNION ALL SELECT {_key('r')}, -1 FROM old_rows r
        ) AS changes (k1, k2, k3, k4, k5, d)
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT ({KEY}) DO UPDATE SET n = t.n + excluded.n;
    END IF;
    RETURN NULL;
END $$;
"""


def upgrade():
    op.create_table('case_tallies',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('handling_unit_id', sa.Integer(), nullable=False),
    sa.Column('handler_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('unit_id', 'handling_unit_id', 'handler_id', 'state', 'kind', name=op.f('pk_case_tallies'))
    )

    bind = op.get_bind()
    op.execute(f"INSERT INTO case_tallies ({KEY}, n) SELECT {_key('c')}, count(*) FROM cases c "
               "GROUP BY 1, 2, 3, 4, 5")
    if bind.dialect.name == "sqlite":
        for statement in SQLITE:
            op.execute(statement)
    else:
        op.execute(POSTGRES_FUNCTION)
        for name, event, tables in (("ins", "INSERT", "NEW TABLE AS new_rows"),
                                    ("upd", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                                    ("del", "DELETE", "OLD TABLE AS old_rows")):
            op.execute(f"CREATE TRIGGER cases_tally_{name} AFTER {event} ON cases REFERENCING {tables} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION tiepdan_case_tally()")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS cases_tally_{name}")
    else:
        for name in ("ins", "upd", "del"):
            op.execute(f"DROP TRIGGER IF EXISTS cases_tally_{name} ON cases")
        op.execute("DROP FUNCTION IF EXISTS tiepdan_case_tally()")
    op.drop_table('case_tallies')
