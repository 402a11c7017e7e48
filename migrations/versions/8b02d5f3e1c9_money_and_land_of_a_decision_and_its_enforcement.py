"""money and land a decision orders recovered or returned, and each enforcement step's: for the reports

On cases (ordered by the decision or conclusion) and on case steps (done by an enforcement step):
``money_to_state`` and ``money_to_citizens`` in đồng, ``land_to_state`` and ``land_to_citizens`` in m². Existing
rows: none recorded (NULL).

Revision ID: 8b02d5f3e1c9
Revises: 7a91c4e2d0b8
Create Date: 2026-12-04 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8b02d5f3e1c9'
down_revision = '7a91c4e2d0b8'
branch_labels = None
depends_on = None

COLUMNS = (
    ('money_to_state', sa.BigInteger()),
    ('money_to_citizens', sa.BigInteger()),
    ('land_to_state', sa.Float()),
    ('land_to_citizens', sa.Float()),
)


def upgrade():
    # Plain ADD COLUMN, never a batch copy: on SQLite that would drop the triggers of cases and case steps.
    for table in ('cases', 'case_steps'):
        for name, type_ in COLUMNS:
            op.add_column(table, sa.Column(name, type_, nullable=True))


def downgrade():
    for table in ('case_steps', 'cases'):
        for name, _type in reversed(COLUMNS):
            op.drop_column(table, name)
