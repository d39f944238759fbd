"""Runs in the Rasa environment (make test): the settings load inside Rasa's, and Rasa's start checks them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.settings import SettingError, Settings, settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_settings_load_in_rasas_environment(monkeypatch):
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "2.5")
    assert settings().action_timeout_seconds == 2.5
    assert Settings.from_environ({}) == Settings()
    with pytest.raises(SettingError, match="REST_CHANNEL"):
        Settings.from_environ({"REST_CHANNEL": "oui"})


def test_rasa_does_not_start_on_a_wrong_value_and_names_it():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_PORT": "port"}
    done = subprocess.run(
        [sys.executable, "-m", "rasa_components.serve", "run"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    last_line = done.stderr.strip().splitlines()[-1]  # after TensorFlow's notices (the package loads Rasa's logging)
    assert done.returncode == 1 and last_line.startswith("ERROR: RASA_PORT='port' is not a port number")
    assert "Traceback" not in done.stderr
