"""case steps are history: PostgreSQL refuses to change or delete them, as it does for the case events

Revision ID: c6e8a0b3d579
Revises: b5d7f9a2c468
Create Date: 2026-12-02 19:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c6e8a0b3d579'
down_revision = 'b5d7f9a2c468'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # tiepdan_refuse_change() is migration 6227c81ca65b's.
        op.execute("CREATE TRIGGER case_steps_append_only BEFORE UPDATE OR DELETE ON case_steps "
                   "FOR EACH ROW EXECUTE FUNCTION tiepdan_refuse_change()")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS case_steps_append_only ON case_steps")
