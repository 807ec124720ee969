"""events plugin: personal feed tokens, iCal subscriptions, import states

Revision ID: a4a5a8239362
Revises: a1ea3f2c9073
Create Date: 2026-11-30 21:13:06

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a4a5a8239362"
down_revision = "a1ea3f2c9073"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "events_feed_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_events_feed_tokens_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_feed_tokens")),
        sa.UniqueConstraint("actor_id", name=op.f("uq_events_feed_tokens_actor_id")),
        sa.UniqueConstraint("token", name=op.f("uq_events_feed_tokens_token")),
    )
    op.create_table(
        "events_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("default_category", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("last_fetched_at", sa.DateTime(), nullable=True),
        sa.Column("last_changed_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_events_subscriptions_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["actors.id"],
            name=op.f("fk_events_subscriptions_created_by_id_actors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_events_subscriptions_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_subscriptions")),
    )
    with op.batch_alter_table("events_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_events_subscriptions_actor_id"), ["actor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_events_subscriptions_group_id"), ["group_id"], unique=False
        )

    op.create_table(
        "events_import_states",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("source_modified", sa.DateTime(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events_events.id"],
            name=op.f("fk_events_import_states_event_id_events_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_events_import_states")),
    )


def downgrade():
    op.drop_table("events_import_states")
    with op.batch_alter_table("events_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_subscriptions_group_id"))
        batch_op.drop_index(batch_op.f("ix_events_subscriptions_actor_id"))

    op.drop_table("events_subscriptions")
    op.drop_table("events_feed_tokens")
