"""a denunciation conclusion's handling of the violations: what is decided, how many people, any referral

``violation_handling`` (text), ``people_to_sanction`` (the people recommended for handling) and
``referred_to_investigation`` on cases, recorded with a denunciation's conclusion (Law on Denunciations 2018
art. 35). Existing cases: none recorded (NULL, false).

Revision ID: 7a91c4e2d0b8
Revises: 6853d31ca4f3
Create Date: 2026-12-04 02:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a91c4e2d0b8'
down_revision = '6853d31ca4f3'
branch_labels = None
depends_on = None


CHECK = 'people_to_sanction IS NULL OR people_to_sanction >= 0'


def upgrade():
    # Plain ADD COLUMN, never a batch copy: on SQLite that would drop the triggers of cases (search, tallies).
    op.add_column('cases', sa.Column('violation_handling', sa.Text(), nullable=True))
    op.add_column('cases', sa.Column('referred_to_investigation', sa.Boolean(), server_default=sa.false(), nullable=False))
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE cases ADD COLUMN people_to_sanction INTEGER '
                   f'CONSTRAINT ck_cases_people_to_sanction_not_negative CHECK ({CHECK})')
    else:
        op.add_column('cases', sa.Column('people_to_sanction', sa.Integer(), nullable=True))
        op.create_check_constraint(op.f('ck_cases_people_to_sanction_not_negative'), 'cases', CHECK)


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_cases_people_to_sanction_not_negative'), 'cases', type_='check')
    for column in ('people_to_sanction', 'referred_to_investigation', 'violation_handling'):
        op.drop_column('cases', column)
