"""events plugin: participations (the sign-up model, as evsignup defines it)

Revision ID: c1d2e3f4a5b6
Revises: a4a5a8239362
Create Date: 2026-11-30 21:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c1d2e3f4a5b6"
down_revision = "a4a5a8239362"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "events_participations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_local", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("uri", sa.String(length=2048), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("reminded_for", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_events_participations_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events_events.id"],
            name=op.f("fk_events_participations_event_id_events_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_participations")),
        sa.UniqueConstraint(
            "event_id",
            "actor_id",
            "occurrence_local",
            name=op.f("uq_events_participations_event_id"),
        ),
        sa.UniqueConstraint("uri", name=op.f("uq_events_participations_uri")),
    )
    with op.batch_alter_table("events_participations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_events_participations_actor_id"), ["actor_id"], unique=False
        )
        batch_op.create_index(
            "ix_events_participations_event_state", ["event_id", "state"], unique=False
        )
        batch_op.create_index(
            "uq_events_participations_one_off",
            ["event_id", "actor_id"],
            unique=True,
            sqlite_where=sa.text("occurrence_local IS NULL"),
            postgresql_where=sa.text("occurrence_local IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("events_participations", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_events_participations_one_off",
            sqlite_where=sa.text("occurrence_local IS NULL"),
            postgresql_where=sa.text("occurrence_local IS NULL"),
        )
        batch_op.drop_index("ix_events_participations_event_state")
        batch_op.drop_index(batch_op.f("ix_events_participations_actor_id"))

    op.drop_table("events_participations")
