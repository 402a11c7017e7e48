"""optimistic-locking versions on persons and reception sessions: their corrections cannot overwrite each other

``version`` (starting at 1) on persons and reception_sessions, as petitions and cases have.

Revision ID: e7a9c1d3f5b8
Revises: d6f8b0c2e4a6
Create Date: 2026-12-04 18:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7a9c1d3f5b8'
down_revision = 'd6f8b0c2e4a6'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch copy): reception_sessions keeps its triggers on SQLite.
    for table in ('persons', 'reception_sessions'):
        op.add_column(table, sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    for table in ('persons', 'reception_sessions'):
        op.drop_column(table, 'version')
