"""example plugin: greetings

Revision ID: e7a91c3f0b21
Revises:
Create Date: 2026-11-30 21:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e7a91c3f0b21"
down_revision = None
branch_labels = ("example_plugin",)
depends_on = "bb564485504a"  # the core revision that creates ``actors``


def upgrade():
    op.create_table(
        "example_plugin_greetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["actors.id"],
            name=op.f("fk_example_plugin_greetings_author_id_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_example_plugin_greetings")),
        sa.UniqueConstraint("uri", name=op.f("uq_example_plugin_greetings_uri")),
    )


def downgrade():
    op.drop_table("example_plugin_greetings")
