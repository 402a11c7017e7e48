"""a person's name folded (lower case, no diacritics): the reception register finds a visitor by name

``name_folded`` on persons, set from ``full_name`` (app.core.text.fold) by the model and filled here for the
persons already recorded.

Revision ID: d6f8b0c2e4a6
Revises: c5e7a9b1d3f2
Create Date: 2026-12-04 18:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd6f8b0c2e4a6'
down_revision = 'c5e7a9b1d3f2'
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade():
    from app.core.text import fold

    op.add_column('persons', sa.Column('name_folded', sa.String(length=200), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text('SELECT id, full_name FROM persons')).all()
    update = sa.text('UPDATE persons SET name_folded = :f WHERE id = :id')
    for start in range(0, len(rows), BATCH):
        bind.execute(update, [{'f': fold(name)[:200], 'id': pid} for pid, name in rows[start:start + BATCH]])


def downgrade():
    op.drop_column('persons', 'name_folded')
