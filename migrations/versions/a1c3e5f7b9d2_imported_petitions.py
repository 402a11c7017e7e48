"""petitions imported from a unit's Excel register (sổ theo dõi đơn): the key that makes a second import of
the same row add nothing

``import_key`` on petitions (a digest of the row's unit, year, number, petitioner and content; NULL for
petitions registered in TiepDan), unique.

Revision ID: a1c3e5f7b9d2
Revises: f8b0d2e4a6c9
Create Date: 2026-12-06 21:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f7b9d2'
down_revision = 'f8b0d2e4a6c9'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch copy): petitions keeps its triggers on SQLite.
    op.add_column('petitions', sa.Column('import_key', sa.String(length=64), nullable=True))
    op.create_index('ix_petitions_import_key', 'petitions', ['import_key'], unique=True)


def downgrade():
    op.drop_index('ix_petitions_import_key', table_name='petitions')
    op.drop_column('petitions', 'import_key')
