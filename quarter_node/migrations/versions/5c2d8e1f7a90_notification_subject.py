"""notification subject: what a plugin's notification is about

Revision ID: 5c2d8e1f7a90
Revises: ac4f3c9ee039
Create Date: 2026-11-30 21:15:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5c2d8e1f7a90"
down_revision = "ac4f3c9ee039"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("subject", sa.String(length=200), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("subject")
