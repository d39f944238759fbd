"""The server's own HMAC key: calendar links and the development sign-in's cookie are signed with it."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache

from bot.config import PROJECT_ROOT

_SIGNATURE_CHARS = 32


@lru_cache(maxsize=1)
def secret_key() -> bytes:
    """$ASSISTANT_SECRET, or a random key kept in var/secret.key (created once, readable by its owner only)."""
    if os.environ.get("ASSISTANT_SECRET"):
        return os.environ["ASSISTANT_SECRET"].encode()
    path = PROJECT_ROOT / "var" / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def sign(value: str) -> str:
    return hmac.new(secret_key(), value.encode(), hashlib.sha256).hexdigest()[:_SIGNATURE_CHARS]


def signed(value: str, signature: str) -> bool:
    return hmac.compare_digest(signature, sign(value))
