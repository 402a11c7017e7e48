"""a complaint registered as a first or second complaint: its acceptance period is the instance's

``instance`` (1 or 2) on petitions: a second complaint's acceptance is counted by the second instance's rule
(Law on Complaints 2011 art. 36), a first one's by art. 27. Existing complaints have none (NULL): first.

Revision ID: 6853d31ca4f3
Revises: 5742c20b93e2
Create Date: 2026-12-04 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6853d31ca4f3'
down_revision = '5742c20b93e2'
branch_labels = None
depends_on = None


CHECK = 'instance IS NULL OR instance IN (1, 2)'


def upgrade():
    # Plain ADD COLUMN, never a batch copy: on SQLite that would drop the full-text triggers of petitions.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE petitions ADD COLUMN instance INTEGER '
                   f'CONSTRAINT ck_petitions_instance_first_or_second CHECK ({CHECK})')
    else:
        op.add_column('petitions', sa.Column('instance', sa.Integer(), nullable=True))
        op.create_check_constraint(op.f('ck_petitions_instance_first_or_second'), 'petitions', CHECK)


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_petitions_instance_first_or_second'), 'petitions', type_='check')
    op.drop_column('petitions', 'instance')
