"""a complaint decision taken to an administrative court, and the judgment

Revision ID: e7a3c5d91b24
Revises: d4e8b2a61c07
Create Date: 2026-12-02 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7a3c5d91b24'
down_revision = 'd4e8b2a61c07'
branch_labels = None
depends_on = None

COLUMNS = (
    ('court_name', sa.String(length=300)),
    ('court_filed_on', sa.Date()),
    ('court_case_no', sa.String(length=60)),
    ('court_judgment_on', sa.Date()),
    ('court_judgment', sa.Text()),
)


def upgrade():
    # Plain ADD COLUMN, never a batch copy: on SQLite that would drop the triggers of cases (search, tallies).
    for name, type_ in COLUMNS:
        op.add_column('cases', sa.Column(name, type_, nullable=True))


def downgrade():
    for name, _type in reversed(COLUMNS):
        op.drop_column('cases', name)
