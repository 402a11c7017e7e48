"""a petition's competence and sites: the kind of competent body it went to, and the sites to verify

Outside the unit's competence, a transferred or guided petition records the kind of body that is competent
(``competent_body``: the categories of Decree 55/2022 art. 6). A denunciation records the number of sites its
information has to be verified at (``sites_to_verify``), which chooses its acceptance period (Law on
Denunciations 2018 art. 24, 29). Existing petitions have neither (NULL): one site, body not recorded.

Revision ID: 5742c20b93e2
Revises: 975bd2dac216
Create Date: 2026-12-04 01:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5742c20b93e2'
down_revision = '975bd2dac216'
branch_labels = None
depends_on = None


CHECK = 'sites_to_verify IS NULL OR sites_to_verify >= 1'


def upgrade():
    # Plain ADD COLUMN, never a batch copy: on SQLite that would drop the full-text triggers of petitions.
    op.add_column('petitions', sa.Column('competent_body', sa.String(length=32), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE petitions ADD COLUMN sites_to_verify INTEGER '
                   f'CONSTRAINT ck_petitions_sites_to_verify_positive CHECK ({CHECK})')
    else:
        op.add_column('petitions', sa.Column('sites_to_verify', sa.Integer(), nullable=True))
        op.create_check_constraint(op.f('ck_petitions_sites_to_verify_positive'), 'petitions', CHECK)


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_petitions_sites_to_verify_positive'), 'petitions', type_='check')
    for column in ('sites_to_verify', 'competent_body'):
        op.drop_column('petitions', column)
