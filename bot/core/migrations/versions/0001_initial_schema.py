"""Initial schema: the tables of the models when the migrations began (made by create_all until then).

Constraints are unnamed, as create_all made them: PostgreSQL names them itself (<table>_<columns>_key,
<table>_<column>_fkey, <table>_pkey), SQLite keeps them unnamed, so that databases made before the migrations
match this revision exactly once stamped (bot/core/migrate.py). A later revision that drops one of them on
SQLite does it in batch mode with a naming_convention (Alembic's documentation, "Dropping Unnamed or Named
Foreign Key Constraints").

Revision ID: 0001
Revises:
Create Date: 2026-12-04 13:32:20.398536
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "aid_questions",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("profile_rank", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "aid_schemes",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("aid_type", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("source_date", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_aid_schemes_aid_type"), "aid_schemes", ["aid_type"], unique=True)

    op.create_table(
        "articles",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("how_to", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("source_url", sa.String(length=1000), nullable=True),
        sa.Column("source_date", sa.String(length=20), nullable=False),
        sa.Column("reliability", sa.String(length=10), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("leave_type", sa.String(length=40), nullable=True),
        sa.Column("aid_type", sa.String(length=40), nullable=True),
        sa.Column("default_for", sa.JSON(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_articles_aid_type"), "articles", ["aid_type"], unique=False)
    op.create_index(op.f("ix_articles_leave_type"), "articles", ["leave_type"], unique=False)
    op.create_index(op.f("ix_articles_topic"), "articles", ["topic"], unique=False)

    op.create_table(
        "feedback_counts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=80), nullable=False),
        sa.Column("useful", sa.Integer(), nullable=False),
        sa.Column("not_useful", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "kind"),
    )
    op.create_index(op.f("ix_feedback_counts_day"), "feedback_counts", ["day"], unique=False)

    op.create_table(
        "menus",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("site", sa.String(length=40), nullable=False),
        sa.Column("starters", sa.JSON(), nullable=False),
        sa.Column("mains", sa.JSON(), nullable=False),
        sa.Column("vegetarian", sa.String(length=300), nullable=False),
        sa.Column("desserts", sa.JSON(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("allergens", sa.JSON(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "site"),
    )
    op.create_index(op.f("ix_menus_day"), "menus", ["day"], unique=False)

    op.create_table(
        "restaurant_closures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "services",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("who_sees", sa.String(length=500), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "unanswered_counts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "topic"),
    )
    op.create_index(op.f("ix_unanswered_counts_day"), "unanswered_counts", ["day"], unique=False)

    op.create_table(
        "schedules",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("weeks", sa.JSON(), nullable=True),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("end_time", sa.String(length=5), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("campus", sa.String(length=40), nullable=True),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("room", sa.String(length=200), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["service"], ["services.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_schedules_service"), "schedules", ["service"], unique=False)

    op.create_table(
        "slots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("schedule_id", sa.String(length=80), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=True),
        sa.Column("holder_name", sa.String(length=200), nullable=True),
        sa.Column("reference", sa.String(length=20), nullable=True),
        sa.Column("booked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["schedule_id"], ["schedules.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
        sa.UniqueConstraint("schedule_id", "start"),
    )
    op.create_index(op.f("ix_slots_holder"), "slots", ["holder"], unique=False)
    op.create_index(op.f("ix_slots_schedule_id"), "slots", ["schedule_id"], unique=False)
    op.create_index(op.f("ix_slots_service"), "slots", ["service"], unique=False)
    op.create_index(op.f("ix_slots_start"), "slots", ["start"], unique=False)


def downgrade() -> None:
    op.drop_table("slots")
    op.drop_table("schedules")
    op.drop_table("unanswered_counts")
    op.drop_table("services")
    op.drop_table("restaurant_closures")
    op.drop_table("menus")
    op.drop_table("feedback_counts")
    op.drop_table("articles")
    op.drop_table("aid_schemes")
    op.drop_table("aid_questions")
