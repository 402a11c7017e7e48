"""the subject area (lĩnh vực) of every petition and case, from a national list kept as data

Revision ID: 975bd2dac216
Revises: c6e8a0b3d579
Create Date: 2026-12-04 01:20:48.076239

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '975bd2dac216'
down_revision = 'c6e8a0b3d579'
branch_labels = None
depends_on = None


def _add_subject_column(table):
    """Add ``subject_area_id`` with its foreign key and index, without a batch copy of ``table``: on SQLite
    that would drop the triggers of petitions and cases (search, tallies), and SQLite takes a named
    REFERENCES clause in ADD COLUMN."""
    fk = f"fk_{table}_subject_area_id_subject_areas"
    if op.get_bind().dialect.name == "postgresql":
        op.add_column(table, sa.Column("subject_area_id", sa.Integer(), nullable=True))
        op.create_foreign_key(fk, table, "subject_areas", ["subject_area_id"], ["id"])
    else:
        op.execute(f"ALTER TABLE {table} ADD COLUMN subject_area_id INTEGER CONSTRAINT {fk} REFERENCES subject_areas (id)")
    op.create_index(f"ix_{table}_subject_area_id", table, ["subject_area_id"], unique=False)


def upgrade():
    op.create_table('subject_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('group', sa.String(length=32), nullable=False),
    sa.Column('name_vi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(code) > 0', name=op.f('ck_subject_areas_code_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subject_areas')),
    sa.UniqueConstraint('code', name=op.f('uq_subject_areas_code'))
    )
    for table in ("cases", "petitions"):
        _add_subject_column(table)


def downgrade():
    # Only PostgreSQL drops the columns in place; on SQLite a batch copy would drop the tables' triggers.
    if op.get_bind().dialect.name == "postgresql":
        for table in ("petitions", "cases"):
            op.drop_constraint(f"fk_{table}_subject_area_id_subject_areas", table, type_="foreignkey")
            op.drop_index(f"ix_{table}_subject_area_id", table_name=table)
            op.drop_column(table, "subject_area_id")
    else:
        for table in ("petitions", "cases"):
            op.drop_index(f"ix_{table}_subject_area_id", table_name=table)
            op.execute(f"ALTER TABLE {table} DROP COLUMN subject_area_id")
    op.drop_table('subject_areas')
