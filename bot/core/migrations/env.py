"""Alembic environment: run by bot/core/migrate.py with an open connection (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from bot.core.migrate import render_item
from bot.core.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through bot/core/migrate.py
    raise RuntimeError("run the migrations with `assistant-rh db ...` (bot/core/migrate.py), not the alembic command")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_item=render_item,
    compare_type=True,
    # SQLite cannot ALTER most things: later revisions change its tables by copying them (batch mode).
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
