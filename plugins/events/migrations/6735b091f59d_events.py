"""events plugin: events, categories, exceptions

Revision ID: 6735b091f59d
Revises:
Create Date: 2026-11-30 21:01:29.684656

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6735b091f59d"
down_revision = None
branch_labels = ("events",)
depends_on = "bb564485504a"  # the core revision that creates actors, groups and media


def upgrade():
    op.create_table(
        "events_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(length=2048), nullable=True),
        sa.Column("ical_uid", sa.String(length=500), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=True),
        sa.Column("organizer_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("start_local", sa.DateTime(), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("rrule", sa.String(length=500), nullable=True),
        sa.Column("place_name", sa.String(length=200), nullable=False),
        sa.Column("street_address", sa.String(length=200), nullable=False),
        sa.Column("postal_code", sa.String(length=20), nullable=False),
        sa.Column("locality", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("online_url", sa.String(length=2048), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=True),
        sa.Column("image_url", sa.String(length=2048), nullable=False),
        sa.Column("image_alt", sa.Text(), nullable=False),
        sa.Column("step_free", sa.Boolean(), nullable=False),
        sa.Column("sign_language", sa.Boolean(), nullable=False),
        sa.Column("hearing_loop", sa.Boolean(), nullable=False),
        sa.Column("accessibility_notes", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("join_mode", sa.String(length=20), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["actors.id"],
            name=op.f("fk_events_events_created_by_id_actors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_events_events_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["image_id"],
            ["media.id"],
            name=op.f("fk_events_events_image_id_media"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organizer_id"],
            ["actors.id"],
            name=op.f("fk_events_events_organizer_id_actors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_events")),
        sa.UniqueConstraint("uri", name=op.f("uq_events_events_uri")),
    )
    with op.batch_alter_table("events_events", schema=None) as batch_op:
        batch_op.create_index("ix_events_events_ends_at", ["ends_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_events_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_events_ical_uid"), ["ical_uid"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_events_events_organizer_id"), ["organizer_id"], unique=False
        )
        batch_op.create_index("ix_events_events_starts_at", ["starts_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_events_events_subscription_id"), ["subscription_id"], unique=False
        )

    op.create_table(
        "events_event_categories",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events_events.id"],
            name=op.f("fk_events_event_categories_event_id_events_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "category", name=op.f("pk_events_event_categories")),
    )
    with op.batch_alter_table("events_event_categories", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_events_event_categories_category"), ["category"], unique=False
        )

    op.create_table(
        "events_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("original_start_local", sa.DateTime(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("start_local", sa.DateTime(), nullable=True),
        sa.Column("duration", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("place_name", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events_events.id"],
            name=op.f("fk_events_exceptions_event_id_events_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_exceptions")),
        sa.UniqueConstraint(
            "event_id", "original_start_local", name=op.f("uq_events_exceptions_event_id")
        ),
    )
    with op.batch_alter_table("events_exceptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_events_exceptions_event_id"), ["event_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("events_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_exceptions_event_id"))

    op.drop_table("events_exceptions")
    with op.batch_alter_table("events_event_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_event_categories_category"))

    op.drop_table("events_event_categories")
    with op.batch_alter_table("events_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_events_subscription_id"))
        batch_op.drop_index("ix_events_events_starts_at")
        batch_op.drop_index(batch_op.f("ix_events_events_organizer_id"))
        batch_op.drop_index(batch_op.f("ix_events_events_ical_uid"))
        batch_op.drop_index(batch_op.f("ix_events_events_group_id"))
        batch_op.drop_index("ix_events_events_ends_at")

    op.drop_table("events_events")
