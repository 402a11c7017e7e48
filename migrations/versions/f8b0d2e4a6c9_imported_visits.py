"""visits imported from a unit's Excel register: the key that makes a second import of the same row add nothing

``import_key`` on reception_sessions (a digest of the row's unit, time, visitor and content; NULL for visits
recorded at the desk), unique.

Revision ID: f8b0d2e4a6c9
Revises: e7a9c1d3f5b8
Create Date: 2026-12-04 19:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f8b0d2e4a6c9'
down_revision = 'e7a9c1d3f5b8'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch copy): reception_sessions keeps its triggers on SQLite.
    op.add_column('reception_sessions', sa.Column('import_key', sa.String(length=64), nullable=True))
    op.create_index('ix_reception_sessions_import_key', 'reception_sessions', ['import_key'], unique=True)


def downgrade():
    op.drop_index('ix_reception_sessions_import_key', table_name='reception_sessions')
    op.drop_column('reception_sessions', 'import_key')
