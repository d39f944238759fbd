"""Rasa's endpoints chosen by the environment (bot/runtime/endpoints.py, `python -m bot endpoints`)."""

from __future__ import annotations

import stat

import pytest
import yaml

from bot.__main__ import main
from bot.runtime.endpoints import TRACKER_STORE_TYPE, EndpointsError, lock_store, rasa_endpoints, tracker_store


def test_by_default_the_actions_on_their_port_and_conversations_in_sqlite(tmp_path):
    endpoints = rasa_endpoints({"ACTIONS_PORT": "5155", "TRACKER_STORE_URL": f"sqlite:///{tmp_path}/t/tracker.db"})
    assert endpoints["action_endpoint"] == {
        "url": "http://127.0.0.1:5155/webhook",
        "enable_selective_domain": True,
        "headers": {"Authorization": "Bearer ${ACTION_SERVER_TOKEN}"},
    }
    assert endpoints["tracker_store"] == {
        "type": TRACKER_STORE_TYPE,
        "dialect": "sqlite",
        "db": f"{tmp_path}/t/tracker.db",
    }
    assert (tmp_path / "t").is_dir()
    assert "lock_store" not in endpoints


def test_without_any_setting_the_tracker_store_is_the_one_the_purge_cleans():
    store = rasa_endpoints({})["tracker_store"]
    assert store["dialect"] == "sqlite" and store["db"].endswith("var/tracker.db")


def test_production_postgresql_and_redis():
    endpoints = rasa_endpoints(
        {
            "ACTION_ENDPOINT_URL": "http://actions:5055/webhook",
            "TRACKER_STORE_URL": "postgresql://rasa:s3cret@db.example:6543/conversations",
            "LOCK_STORE_URL": "redis://:pw@cache.example:6380/2",
            "LOCK_STORE_KEY_PREFIX": "ales",
        }
    )
    assert endpoints["action_endpoint"]["url"] == "http://actions:5055/webhook"
    assert endpoints["tracker_store"] == {
        "type": TRACKER_STORE_TYPE,
        "dialect": "postgresql",
        "url": "db.example",
        "port": 6543,
        "db": "conversations",
        "username": "rasa",
        "password": "s3cret",
    }
    assert endpoints["lock_store"] == {
        "type": "redis",
        "url": "cache.example",
        "port": 6380,
        "db": 2,
        "password": "pw",
        "key_prefix": "ales",
    }


def test_defaults_of_a_short_url():
    assert tracker_store("postgresql+psycopg://localhost/rasa")["port"] == 5432
    assert lock_store("redis://localhost") == {"type": "redis", "url": "localhost", "port": 6379, "db": 0}


@pytest.mark.parametrize(
    "env, message",
    [
        ({"TRACKER_STORE_URL": "mysql://h/db"}, "non prise en charge"),
        ({"LOCK_STORE_URL": "memcached://h:11211"}, "redis://"),
    ],
)
def test_unusable_urls_are_refused_in_french(env, message):
    with pytest.raises(EndpointsError, match=message):
        rasa_endpoints(env)


def test_the_command_writes_a_private_file_rasa_can_read(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRACKER_STORE_URL", "postgresql://rasa:s3cret@db/conv")
    monkeypatch.setenv("LOCK_STORE_URL", "redis://127.0.0.1:6379/0")
    out = tmp_path / "endpoints.yml"
    assert main(["endpoints", "--out", str(out)]) == 0
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert written["tracker_store"]["password"] == "s3cret" and written["lock_store"]["type"] == "redis"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "tracker_store postgresql" in capsys.readouterr().out


def test_the_command_fails_clearly_on_a_bad_url(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LOCK_STORE_URL", "http://nope")
    assert main(["endpoints", "--out", str(tmp_path / "e.yml")]) == 1
    assert "LOCK_STORE_URL" in capsys.readouterr().err
