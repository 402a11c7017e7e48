"""a person's year of birth (năm sinh): with the folded name, the desk finds a citizen who gives no CCCD

``birth_year`` on persons (NULL when not given), and an index on (name_folded, birth_year).

Revision ID: b2d4f6a8c0e3
Revises: a1c3e5f7b9d2
Create Date: 2026-12-06 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a8c0e3'
down_revision = 'a1c3e5f7b9d2'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('persons', sa.Column('birth_year', sa.Integer(), nullable=True))
    op.create_index('ix_persons_name_birth_year', 'persons', ['name_folded', 'birth_year'], unique=False)


def downgrade():
    op.drop_index('ix_persons_name_birth_year', table_name='persons')
    op.drop_column('persons', 'birth_year')
