"""The autouse fixture both conftests use (tests/conftest.py, tests/rasa/conftest.py): standard library and
bot.core.settings only, so that it loads in both environments."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bot.core.settings import settings


def _then_forget(change: Callable[..., None]) -> Callable[..., None]:
    """`change`, then the cached settings forgotten."""

    def change_then_forget(*args, **kwargs) -> None:
        change(*args, **kwargs)
        settings.cache_clear()

    return change_then_forget


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The settings are read once per process (bot/core/settings.py): each test reads them again, and
    again after each `monkeypatch.setenv` / `delenv` it makes."""
    for name in ("setenv", "delenv"):
        setattr(monkeypatch, name, _then_forget(getattr(monkeypatch, name)))
    settings.cache_clear()
    yield
    settings.cache_clear()
