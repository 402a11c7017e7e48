"""grassroots mediation records (hòa giải ở cơ sở), linkable to a later petition of the same matter

Revision ID: b4383458ee42
Revises: a2d4f6b8c0e1
Create Date: 2026-12-04 02:40:00.290564

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4383458ee42'
down_revision = 'a2d4f6b8c0e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mediation_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('mediators', sa.Text(), nullable=False),
    sa.Column('parties', sa.Text(), nullable=False),
    sa.Column('matter', sa.Text(), nullable=False),
    sa.Column('result', sa.String(length=32), nullable=False),
    sa.Column('agreement', sa.Text(), nullable=True),
    sa.Column('subject_area_id', sa.Integer(), nullable=True),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(matter) > 0', name=op.f('ck_mediation_records_matter_not_empty')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_mediation_records_created_by_id_users')),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_mediation_records_petition_id_petitions')),
    sa.ForeignKeyConstraint(['subject_area_id'], ['subject_areas.id'], name=op.f('fk_mediation_records_subject_area_id_subject_areas')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_mediation_records_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_records'))
    )
    with op.batch_alter_table('mediation_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_records_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_records_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('mediation_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_records_unit_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_records_petition_id'))

    op.drop_table('mediation_records')
