"""One settings object (bot/core/settings.py): defaults, wrong values named, read once, entry points stop."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.settings import PROJECT_ROOT, SettingError, Settings, settings, settings_or_exit

ROOT = Path(__file__).resolve().parents[2]


def test_an_empty_environment_gives_the_documented_defaults():
    defaults = Settings.from_environ({})
    assert defaults == Settings()
    assert (defaults.rasa_port, defaults.actions_port, defaults.web_port) == (5005, 5055, 8080)
    assert defaults.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'assistant.db'}"
    assert defaults.tracker_store_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"
    assert defaults.content_dir == PROJECT_ROOT / "data" / "content"
    assert (defaults.web_host, defaults.actions_host) == ("127.0.0.1", "127.0.0.1")
    assert defaults.public_url == "http://127.0.0.1:8080"
    assert defaults.chat_socket_url == "http://127.0.0.1:5005"
    assert defaults.action_endpoint_url == "http://127.0.0.1:5055/webhook"
    assert defaults.action_timeout_seconds == 15
    assert not (defaults.rest_channel or defaults.dev_sign_in or defaults.actions_warm_up)
    assert defaults.intranet_jwt_audience == "assistant-rh" and defaults.intranet_jwt_max_lifetime_seconds == 3600
    assert defaults.intranet_jwt_secret is defaults.assistant_secret is defaults.lock_store_url is None
    assert (
        defaults.conversation_retention_days,
        defaults.sensitive_retention_days,
        defaults.booking_retention_days,
        defaults.case_retention_days,
    ) == (30, 30, 30, 90)


def test_values_are_typed_and_defaults_follow_the_variables_they_depend_on():
    read = Settings.from_environ(
        {
            "RASA_PORT": "5105",
            "ACTIONS_PORT": " 5155 ",
            "REST_CHANNEL": "yes",
            "SANIC_HOST": "10.0.0.2",
            "CONVERSATION_RETENTION_DAYS": "10",
            "ACTION_TIMEOUT_SECONDS": "0.5",
            "INTRANET_ALLOWED_ORIGINS": "https://a.example, https://b.example ",
            "WEB_HOST": "  ",
        }
    )
    assert (read.rasa_port, read.actions_port, read.rest_channel) == (5105, 5155, True)
    assert read.chat_socket_url == "http://127.0.0.1:5105"
    assert read.action_endpoint_url == "http://127.0.0.1:5155/webhook"
    assert read.actions_host == "10.0.0.2"  # ACTIONS_HOST unset: SANIC_HOST
    assert (read.conversation_retention_days, read.sensitive_retention_days) == (10, 10)
    assert read.action_timeout_seconds == 0.5
    assert read.intranet_allowed_origins == ("https://a.example", "https://b.example")
    assert read.web_host == "127.0.0.1"  # blank means the default


@pytest.mark.parametrize(
    "name,value",
    [
        ("RASA_PORT", "abc"),
        ("ACTIONS_PORT", "0"),
        ("WEB_PORT", "70000"),
        ("WEB_PORT", "80.5"),
        ("REST_CHANNEL", "oui"),
        ("DEV_SIGN_IN", "2"),
        ("ACTIONS_WARM_UP", "maybe"),
        ("ACTION_TIMEOUT_SECONDS", "soon"),
        ("ACTION_TIMEOUT_SECONDS", "-1"),
        ("ACTION_TIMEOUT_SECONDS", "inf"),
        ("INTRANET_JWT_ALGORITHM", "none"),
        ("INTRANET_JWT_MAX_LIFETIME_SECONDS", "1h"),
        ("CONVERSATION_RETENTION_DAYS", "0"),
        ("SENSITIVE_RETENTION_DAYS", "-3"),
        ("BOOKING_RETENTION_DAYS", "thirty"),
        ("CASE_RETENTION_DAYS", "0"),
        ("TF_INTRA_OP_PARALLELISM_THREADS", "-1"),
        ("TF_INTER_OP_PARALLELISM_THREADS", "many"),
    ],
)
def test_a_wrong_value_is_refused_naming_the_variable_and_the_value(name, value):
    with pytest.raises(SettingError, match=rf"^{name}={re.escape(repr(value))} "):
        Settings.from_environ({name: value})


def readme_variables() -> set[str]:
    """The variables of the README's « Configuration » table (its first column)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| variable | what |") :]
    table = table[: table.index("\n\n")]
    names = set()
    for row in table.splitlines()[2:]:
        names.update(re.findall(r"`([A-Z][A-Z0-9_]+)(?:=[^`]*)?`", row.split("|")[1]))
    return names


def test_every_variable_of_the_readme_is_a_setting_and_every_setting_is_in_the_readme():
    fields = {field.name.upper() for field in dataclasses.fields(Settings)}
    assert readme_variables() == fields


def test_every_setting_is_documented_in_the_class():
    source = (ROOT / "bot" / "core" / "settings.py").read_text(encoding="utf-8")
    for field in dataclasses.fields(Settings):
        assert re.search(rf'\n    {field.name}: .*\n    """{field.name.upper()}[ :(]', source), field.name


def test_the_settings_are_read_once_until_the_cache_is_cleared(monkeypatch):
    monkeypatch.setenv("WEB_PORT", "8181")
    assert settings().web_port == 8181
    monkeypatch.setitem(os.environ, "WEB_PORT", "8282")  # not through setenv: the fixture does not see it
    assert settings() is settings() and settings().web_port == 8181
    settings.cache_clear()
    assert settings().web_port == 8282


def test_an_entry_point_reads_the_settings_again_and_exits_with_one_line(monkeypatch):
    monkeypatch.setenv("RASA_PORT", "5105")
    assert settings_or_exit().rasa_port == 5105
    monkeypatch.setitem(os.environ, "RASA_PORT", "cinq mille")
    with pytest.raises(SystemExit, match=r"^ERROR: RASA_PORT='cinq mille' is not a port number \(1-65535\)$"):
        settings_or_exit()


@pytest.mark.parametrize(
    "command,variable",
    [
        (["bot.web.server"], "WEB_PORT"),
        (["bot.runtime.action_server"], "ACTIONS_PORT"),
        (["bot", "endpoints", "--out", "{tmp}/endpoints.yml"], "RASA_PORT"),
        (["bot.runtime.chat"], "REST_CHANNEL"),
    ],
)
def test_a_wrong_value_stops_each_entry_point_with_a_message_naming_the_variable(tmp_path, command, variable):
    bad = {"REST_CHANNEL": "peut-être"}.get(variable, "80a")
    env = {**os.environ, variable: bad, "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    done = subprocess.run(
        [sys.executable, "-m", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"ERROR: {variable}={bad!r} is not ")
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "endpoints.yml").exists()
