"""The autouse fixture both conftests use (tests/conftest.py, tests/rasa/conftest.py): standard library and
bot.core.settings only, so that it loads in both environments."""

from __future__ import annotations

from typing import Iterator

import pytest

from bot.core.settings import settings


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The settings are read once per process (bot/core/settings.py): each test reads them again, and
    again after each `monkeypatch.setenv` / `delenv` it makes."""
    for name in ("setenv", "delenv"):
        def change_then_forget(*args, _change=getattr(monkeypatch, name), **kwargs):
            _change(*args, **kwargs)
            settings.cache_clear()
        setattr(monkeypatch, name, change_then_forget)
    settings.cache_clear()
    yield
    settings.cache_clear()
