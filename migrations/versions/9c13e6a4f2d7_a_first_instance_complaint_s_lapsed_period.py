"""a first-instance complaint not decided in time: the last day of its resolution period

``resolution_lapsed_on`` on cases, set by the scheduler when the period runs out with no decision: from it the
complainant may appeal without a decision (Law on Complaints 2011 art. 33), and an appeal can be linked to the
case. Existing cases whose appeal period the scheduler already opened without a decision get the day it
started from (the lapse).

Revision ID: 9c13e6a4f2d7
Revises: 8b02d5f3e1c9
Create Date: 2026-12-04 02:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c13e6a4f2d7'
down_revision = '8b02d5f3e1c9'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, never a batch copy: on SQLite that would drop the triggers of cases (search, tallies).
    op.add_column('cases', sa.Column('resolution_lapsed_on', sa.Date(), nullable=True))
    op.execute(
        "UPDATE cases SET resolution_lapsed_on = (SELECT min(c.started_on) FROM clocks c "
        "WHERE c.case_id = cases.id AND c.stage = 'appeal') "
        "WHERE decision_no IS NULL AND kind = 'complaint' AND instance = 1 "
        "AND EXISTS (SELECT 1 FROM clocks c WHERE c.case_id = cases.id AND c.stage = 'appeal')"
    )


def downgrade():
    op.drop_column('cases', 'resolution_lapsed_on')
