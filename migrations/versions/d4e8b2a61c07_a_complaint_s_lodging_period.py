"""a complaint's lodging period: the day the complainant learned of the decision, and the obstacle

Recorded when a complaint is accepted (Law on Complaints 2011 art. 9): ``learned_on``, the days an objective
obstacle took from the period (``obstacle_days``) and what it was (``obstacle_reason``). Existing petitions
have none (NULL): their period was not recorded.

Revision ID: d4e8b2a61c07
Revises: c3f1a9d27e58
Create Date: 2026-12-02 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e8b2a61c07'
down_revision = 'c3f1a9d27e58'
branch_labels = None
depends_on = None


CHECK = 'obstacle_days IS NULL OR obstacle_days >= 0'


def upgrade():
    # Plain ADD COLUMN, never a batch copy: on SQLite that would drop the full-text triggers of petitions.
    op.add_column('petitions', sa.Column('learned_on', sa.Date(), nullable=True))
    op.add_column('petitions', sa.Column('obstacle_reason', sa.Text(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE petitions ADD COLUMN obstacle_days INTEGER '
                   f'CONSTRAINT ck_petitions_obstacle_days_not_negative CHECK ({CHECK})')
    else:
        op.add_column('petitions', sa.Column('obstacle_days', sa.Integer(), nullable=True))
        op.create_check_constraint(op.f('ck_petitions_obstacle_days_not_negative'), 'petitions', CHECK)


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_petitions_obstacle_days_not_negative'), 'petitions', type_='check')
    for column in ('obstacle_days', 'obstacle_reason', 'learned_on'):
        op.drop_column('petitions', column)
