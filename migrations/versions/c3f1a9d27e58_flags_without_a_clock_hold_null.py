"""a flag about a whole case or petition holds no clock (NULL, not 0)

``flags.clock_id`` was 0 for flags about the whole subject, so that one unique index over (subject,
subject_id, kind, clock_id) kept one active flag per clock and per subject. It is now NULL there and a
foreign key to ``clocks`` otherwise; two partial unique indexes keep the same guarantee (in a unique
index NULLs never collide).

Revision ID: c3f1a9d27e58
Revises: b7c2d9e4f1a3
Create Date: 2026-12-02 18:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f1a9d27e58'
down_revision = 'b7c2d9e4f1a3'
branch_labels = None
depends_on = None

ACTIVE = 'cleared_at IS NULL'
SUBJECT = 'cleared_at IS NULL AND clock_id IS NULL'
CLOCK = 'cleared_at IS NULL AND clock_id IS NOT NULL'


def _where(condition):
    return dict(sqlite_where=sa.text(condition), postgresql_where=sa.text(condition))


def upgrade():
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('uq_flags_active', **_where(ACTIVE))
        batch_op.alter_column('clock_id', existing_type=sa.Integer(), nullable=True)
    op.execute('UPDATE flags SET clock_id = NULL WHERE clock_id = 0')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_flags_clock_id_clocks'), 'clocks', ['clock_id'], ['id'])
        batch_op.create_index('uq_flags_active_subject', ['subject', 'subject_id', 'kind'], unique=True,
                              **_where(SUBJECT))
        batch_op.create_index('uq_flags_active_clock', ['subject', 'subject_id', 'kind', 'clock_id'], unique=True,
                              **_where(CLOCK))


def downgrade():
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('uq_flags_active_clock', **_where(CLOCK))
        batch_op.drop_index('uq_flags_active_subject', **_where(SUBJECT))
        batch_op.drop_constraint(batch_op.f('fk_flags_clock_id_clocks'), type_='foreignkey')
    op.execute('UPDATE flags SET clock_id = 0 WHERE clock_id IS NULL')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.alter_column('clock_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index('uq_flags_active', ['subject', 'subject_id', 'kind', 'clock_id'], unique=True,
                              **_where(ACTIVE))
