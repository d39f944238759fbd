"""Rasa's endpoints (action server, tracker store, lock store) chosen by the environment.

- ACTION_ENDPOINT_URL, else http://127.0.0.1:$ACTIONS_PORT/webhook (5055); Rasa sends the action
  server the shared secret as `Authorization: Bearer ${ACTION_SERVER_TOKEN}`: the file names the
  variable, Rasa reads its value from its own environment when it starts (so the secret is not
  written to disk; Rasa refuses to start without it);
- TRACKER_STORE_URL: where conversations are kept, SQL (default sqlite:///var/tracker.db, the
  store that `python -m bot conversations purge` cleans; postgresql://user:pass@host:port/db in
  production);
- LOCK_STORE_URL: redis://[:password@]host:port/db when several Rasa instances share the
  conversations (default: Rasa's in-memory lock store, right for one instance);
  LOCK_STORE_KEY_PREFIX keeps several deployments apart on one Redis.

`python -m bot endpoints --out var/endpoints.yml` writes the file Rasa reads (scripts/run.sh does).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from bot.core.settings import settings_for
from bot.safety.retention import tracker_store_url

# Expanded by Rasa from its environment when it reads the file (bot/runtime/action_server.py checks it).
ACTION_AUTH_HEADERS = {"Authorization": "Bearer ${ACTION_SERVER_TOKEN}"}


class EndpointsError(ValueError):
    """A URL of the environment cannot be used; the message says which, in French."""


# Rasa's SQLTrackerStore that keeps the trackers it saved rather than reading them back every turn.
TRACKER_STORE_TYPE = "rasa_components.tracker_store.RememberingSQLTrackerStore"


def tracker_store(url: str) -> dict:
    """The SQL tracker store's settings for a SQLAlchemy URL (SQLite or PostgreSQL)."""
    parsed = make_url(url)
    dialect = parsed.get_backend_name()
    if dialect == "sqlite":
        if not parsed.database:
            raise EndpointsError("TRACKER_STORE_URL : une base SQLite a besoin d'un chemin de fichier.")
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return {"type": TRACKER_STORE_TYPE, "dialect": "sqlite", "db": parsed.database}
    if dialect == "postgresql":
        store = {
            "type": TRACKER_STORE_TYPE,
            "dialect": "postgresql",
            "url": parsed.host or "127.0.0.1",
            "port": parsed.port or 5432,
            "db": parsed.database or "rasa",
        }
        if parsed.username:
            store["username"] = parsed.username
        if parsed.password:
            store["password"] = parsed.password
        return store
    raise EndpointsError(f"TRACKER_STORE_URL : base « {dialect} » non prise en charge (SQLite ou PostgreSQL).")


def lock_store(url: str, key_prefix: str | None = None) -> dict:
    """Rasa's RedisLockStore settings for redis://[:password@]host:port/db."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "redis":
        raise EndpointsError("LOCK_STORE_URL : attendu redis://hôte:port/base.")
    store = {
        "type": "redis",
        "url": parsed.host or "127.0.0.1",
        "port": parsed.port or 6379,
        "db": int(parsed.database or 0),
    }
    if parsed.password:
        store["password"] = parsed.password
    if key_prefix:
        store["key_prefix"] = key_prefix
    return store


def rasa_endpoints(env: Mapping[str, str] | None = None) -> dict:
    """From the settings of `env` (default: the process's)."""
    settings = settings_for(env)
    endpoints = {
        # The domain goes only to the actions that say they need it (`send_domain` in domain/): the
        # form validators. The others get the conversation alone, a smaller request for every action.
        "action_endpoint": {
            "url": settings.action_endpoint_url,
            "enable_selective_domain": True,
            "headers": ACTION_AUTH_HEADERS,
        },
        "tracker_store": tracker_store(tracker_store_url(settings.tracker_store_url)),
    }
    if settings.lock_store_url:
        endpoints["lock_store"] = lock_store(settings.lock_store_url, settings.lock_store_key_prefix)
    return endpoints


def write_endpoints(path: Path, env: Mapping[str, str] | None = None) -> dict:
    endpoints = rasa_endpoints(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)  # it may hold database and Redis passwords
    path.write_text(
        "# Written by `python -m bot endpoints` from the environment; edit the environment, not this file.\n"
        + yaml.safe_dump(endpoints, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return endpoints
