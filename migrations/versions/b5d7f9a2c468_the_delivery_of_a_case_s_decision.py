"""the delivery of a case's decision to the parties (the appeal period counts from it)

Revision ID: b5d7f9a2c468
Revises: a9c4e1f7b352
Create Date: 2026-12-02 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5d7f9a2c468'
down_revision = 'a9c4e1f7b352'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, never a batch copy: on SQLite that would drop the triggers of cases (search, tallies).
    op.add_column('cases', sa.Column('decision_delivered_on', sa.Date(), nullable=True))
    op.add_column('cases', sa.Column('decision_delivered_to', sa.Text(), nullable=True))


def downgrade():
    op.drop_column('cases', 'decision_delivered_to')
    op.drop_column('cases', 'decision_delivered_on')
