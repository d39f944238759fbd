"""Alembic migrations of the application database (bot/core/migrate.py runs them; README, Migrations)."""
