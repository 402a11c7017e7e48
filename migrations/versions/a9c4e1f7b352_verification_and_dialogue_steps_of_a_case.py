"""verification and dialogue steps of a case

Revision ID: a9c4e1f7b352
Revises: f2b6d8e03a15
Create Date: 2026-12-02 19:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9c4e1f7b352'
down_revision = 'f2b6d8e03a15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('decision_no', sa.String(length=60), nullable=True),
    sa.Column('people', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('differs_from_claim', sa.Boolean(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_steps_case_id_cases')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_case_steps_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_steps'))
    )
    op.create_index(op.f('ix_case_steps_case_id'), 'case_steps', ['case_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_case_steps_case_id'), table_name='case_steps')
    op.drop_table('case_steps')
