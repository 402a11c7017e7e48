"""a petition of several contents split into parts: each part points to the petition it came from

``parent_id`` on petitions (a foreign key to petitions, indexed); the split petition's state is ``split``.
Existing petitions: NULL.

Revision ID: a2d4f6b8c0e1
Revises: 9c13e6a4f2d7
Create Date: 2026-12-04 02:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a2d4f6b8c0e1'
down_revision = '9c13e6a4f2d7'
branch_labels = None
depends_on = None

FK = 'fk_petitions_parent_id_petitions'


def upgrade():
    # Without a batch copy of petitions: on SQLite that would drop its full-text triggers, and SQLite takes a
    # named REFERENCES clause in ADD COLUMN.
    if op.get_bind().dialect.name == 'postgresql':
        op.add_column('petitions', sa.Column('parent_id', sa.Integer(), nullable=True))
        op.create_foreign_key(FK, 'petitions', 'petitions', ['parent_id'], ['id'])
    else:
        op.execute(f'ALTER TABLE petitions ADD COLUMN parent_id INTEGER CONSTRAINT {FK} REFERENCES petitions (id)')
    op.create_index('ix_petitions_parent_id', 'petitions', ['parent_id'], unique=False)


def downgrade():
    op.drop_index('ix_petitions_parent_id', table_name='petitions')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(FK, 'petitions', type_='foreignkey')
        op.drop_column('petitions', 'parent_id')
    else:
        op.execute('ALTER TABLE petitions DROP COLUMN parent_id')
