"""Who is signed in to the back-office, and what they may see.

Signing in takes the same intranet token as the chat widget (bot/core/intranet.py). Its roles claim (named
by BACKOFFICE_ROLES_CLAIM, « roles » by default) says what the person may do: `hr_admin` everything,
`practitioner:<service>` that service's bookings only; anyone else is refused. The session is a cookie signed
with the server's key (bot/core/signing.py): HttpOnly, SameSite=Strict, Secure unless the server is local.
Each session has a random nonce; the CSRF token of its forms is the nonce's signature.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.core.intranet import Identity
from bot.core.signing import sign, signed

HR_ADMIN = "hr_admin"
PRACTITIONER = "practitioner:"
SESSION_COOKIE = "assistant_rh_backoffice"
_SESSION_PURPOSE = "backoffice-session:"
_CSRF_PURPOSE = "backoffice-csrf:"
_SERVICE = re.compile(r"[a-z0-9_]{1,40}")


def roles_of(claims: Mapping[str, Any], claim: str) -> tuple[str, ...]:
    """The roles of a token's claims: a list of names, or one text of names separated by spaces or commas."""
    value = claims.get(claim)
    if isinstance(value, str):
        value = re.split(r"[\s,]+", value)
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(role.strip() for role in value if isinstance(role, str) and role.strip())


@dataclass(frozen=True)
class Person:
    """A signed-in person of the back-office."""

    subject: str
    name: str
    hr_admin: bool = False
    services: frozenset[str] = frozenset()  # the services whose bookings a practitioner sees
    nonce: str = field(default_factory=lambda: secrets.token_hex(16))
    expires: int = 0

    @classmethod
    def from_roles(cls, identity: Identity, roles: tuple[str, ...], minutes: int) -> Person | None:
        """The person of a verified token, or None when no role opens the back-office."""
        services = frozenset(
            role.removeprefix(PRACTITIONER)
            for role in roles
            if role.startswith(PRACTITIONER) and _SERVICE.fullmatch(role.removeprefix(PRACTITIONER))
        )
        hr_admin = HR_ADMIN in roles
        if not (hr_admin or services):
            return None
        expires = int(time.time()) + minutes * 60
        return cls(identity.subject, identity.name or identity.subject, hr_admin, services, expires=expires)

    def may_see(self, service: str) -> bool:
        return self.hr_admin or service in self.services

    @property
    def csrf_token(self) -> str:
        return sign(_CSRF_PURPOSE + self.nonce)

    def csrf_valid(self, token: object) -> bool:
        return signed(_CSRF_PURPOSE + self.nonce, token)

    # -- the session cookie ------------------------------------------------------------------------
    def cookie(self) -> str:
        payload = {
            "sub": self.subject,
            "name": self.name,
            "hr": self.hr_admin,
            "services": sorted(self.services),
            "nonce": self.nonce,
            "exp": self.expires,
        }
        encoded = base64.urlsafe_b64encode(json.dumps(payload, ensure_ascii=False).encode()).decode().rstrip("=")
        return f"{encoded}.{sign(_SESSION_PURPOSE + encoded)}"

    @classmethod
    def from_cookie(cls, value: str | None) -> Person | None:
        """The session's person, or None: no cookie, a forged or altered one, an expired one."""
        encoded, _, signature = (value or "").rpartition(".")
        if not encoded or not signed(_SESSION_PURPOSE + encoded, signature):
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
            person = cls(
                str(payload["sub"]),
                str(payload["name"]),
                bool(payload["hr"]),
                frozenset(payload["services"]),
                str(payload["nonce"]),
                int(payload["exp"]),
            )
        except (binascii.Error, ValueError, KeyError, TypeError):
            return None
        return person if person.expires > time.time() else None
