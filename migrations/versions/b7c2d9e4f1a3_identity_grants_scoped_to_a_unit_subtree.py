"""identity grants scoped to a unit subtree

A role permission (view_identity) now names the unit whose subtree it applies to. Existing grants were
made for the whole tree by an administrator of some unit: they are narrowed to the granting
administrator's unit (an administrator of the root unit keeps the whole tree); a grant with no known
granter goes to the tree's root unit, as before.

Revision ID: b7c2d9e4f1a3
Revises: a8e42fd6a51d
Create Date: 2026-12-02 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c2d9e4f1a3'
down_revision = 'a8e42fd6a51d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('role_permissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
    op.execute("""
        UPDATE role_permissions SET unit_id = COALESCE(
            (SELECT users.unit_id FROM users WHERE users.id = role_permissions.granted_by_id),
            (SELECT MIN(units.id) FROM units WHERE units.parent_id IS NULL))
    """)
    op.execute("DELETE FROM role_permissions WHERE unit_id IS NULL")  # no unit at all: no subtree to grant in
    with op.batch_alter_table('role_permissions', schema=None) as batch_op:
        batch_op.alter_column('unit_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('pk_role_permissions', type_='primary')
        batch_op.create_primary_key('pk_role_permissions', ['role', 'permission', 'unit_id'])
        batch_op.create_foreign_key(batch_op.f('fk_role_permissions_unit_id_units'), 'units', ['unit_id'], ['id'])


def downgrade():
    # Back to one whole-tree grant per (role, permission): the widest reading of the scoped grants.
    op.execute("""
        DELETE FROM role_permissions WHERE EXISTS (
            SELECT 1 FROM role_permissions AS other
            WHERE other.role = role_permissions.role AND other.permission = role_permissions.permission
              AND other.unit_id < role_permissions.unit_id)
    """)
    with op.batch_alter_table('role_permissions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_role_permissions_unit_id_units'), type_='foreignkey')
        batch_op.drop_constraint('pk_role_permissions', type_='primary')
        batch_op.create_primary_key('pk_role_permissions', ['role', 'permission'])
        batch_op.drop_column('unit_id')
