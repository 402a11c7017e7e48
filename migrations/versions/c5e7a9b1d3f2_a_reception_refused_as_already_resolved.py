"""a reception refused as already resolved names the case whose decision is in force

``earlier_case_id`` on reception_sessions (Law on Citizen Reception 2013 art. 9), a foreign key to cases,
indexed. Existing sessions: NULL.

Revision ID: c5e7a9b1d3f2
Revises: b4383458ee42
Create Date: 2026-12-04 03:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e7a9b1d3f2'
down_revision = 'b4383458ee42'
branch_labels = None
depends_on = None

FK = 'fk_reception_sessions_earlier_case_id_cases'


def upgrade():
    # Without a batch copy of reception_sessions (its triggers stay); SQLite takes a named REFERENCES clause.
    if op.get_bind().dialect.name == 'postgresql':
        op.add_column('reception_sessions', sa.Column('earlier_case_id', sa.Integer(), nullable=True))
        op.create_foreign_key(FK, 'reception_sessions', 'cases', ['earlier_case_id'], ['id'])
    else:
        op.execute(f'ALTER TABLE reception_sessions ADD COLUMN earlier_case_id INTEGER CONSTRAINT {FK} REFERENCES cases (id)')
    op.create_index('ix_reception_sessions_earlier_case_id', 'reception_sessions', ['earlier_case_id'], unique=False)


def downgrade():
    op.drop_index('ix_reception_sessions_earlier_case_id', table_name='reception_sessions')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(FK, 'reception_sessions', type_='foreignkey')
        op.drop_column('reception_sessions', 'earlier_case_id')
    else:
        op.execute('ALTER TABLE reception_sessions DROP COLUMN earlier_case_id')
