"""The server's own HMAC key: calendar links and the development sign-in's cookie are signed with it.

The key is $ASSISTANT_SECRET or var/secret.key, at least 32 bytes either way (a shorter one is
refused: an empty or short key would make every link guessable). The file is written whole or not
at all (a temporary file renamed into place), readable by its owner only. Signatures are compared
in constant time, and anything that is not a signature (other characters, non-ASCII, too long) is
simply not one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tempfile
from functools import lru_cache
from pathlib import Path

from bot.core.settings import PROJECT_ROOT, settings

_SIGNATURE_CHARS = 32
_SIGNATURE = re.compile(rf"[0-9a-f]{{{_SIGNATURE_CHARS}}}")
MIN_KEY_BYTES = 32


class SecretKeyError(ValueError):
    """The HMAC key is too short; the message says which one."""


def key_file() -> Path:
    return PROJECT_ROOT / "var" / "secret.key"


def _checked(key: bytes, where: str) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise SecretKeyError(f"{where}: the HMAC key must have at least {MIN_KEY_BYTES} bytes, not {len(key)}")
    return key


def _write_new_key(path: Path) -> None:
    """A random key, written to a temporary file of the same folder and linked into place: another
    process sees no file or the whole key, never an empty or half-written one, and a key already
    there is kept (os.link fails on an existing file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w") as file:  # mkstemp: mode 0600
            file.write(secrets.token_hex(32))
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: theirs is the key
    finally:
        os.unlink(temporary)


@lru_cache(maxsize=1)
def secret_key() -> bytes:
    """$ASSISTANT_SECRET, or a random key kept in var/secret.key (created once, readable by its owner only)."""
    configured = settings().assistant_secret
    if configured:
        return _checked(configured.encode(), "ASSISTANT_SECRET")
    path = key_file()
    if not path.exists():
        _write_new_key(path)
    return _checked(path.read_text().strip().encode(), str(path))


def sign(value: str) -> str:
    return hmac.new(secret_key(), value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:_SIGNATURE_CHARS]


def signed(value: str, signature: object) -> bool:
    """Whether `signature` is `value`'s, in constant time; False for anything that is not a signature."""
    if not isinstance(value, str) or not isinstance(signature, str) or not _SIGNATURE.fullmatch(signature):
        return False
    return hmac.compare_digest(signature.encode("ascii"), sign(value).encode("ascii"))
