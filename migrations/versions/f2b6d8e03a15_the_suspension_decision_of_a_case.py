"""the suspension decision of a case: its number and the day it took effect

Revision ID: f2b6d8e03a15
Revises: e7a3c5d91b24
Create Date: 2026-12-02 19:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b6d8e03a15'
down_revision = 'e7a3c5d91b24'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, never a batch copy: on SQLite that would drop the triggers of cases (search, tallies).
    op.add_column('cases', sa.Column('suspension_decision_no', sa.String(length=60), nullable=True))
    op.add_column('cases', sa.Column('suspended_on', sa.Date(), nullable=True))


def downgrade():
    op.drop_column('cases', 'suspended_on')
    op.drop_column('cases', 'suspension_decision_no')
