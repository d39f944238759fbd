"""What the intranet chat trusts: tokens signed by the intranet, allowed page origins, message limits.

Shared by the Rasa channel (rasa_components/intranet_channel.py) and the web server
(bot/web/server.py), so it needs nothing but PyJWT and the standard library: it runs in both
environments.

Configuration (environment; the channel's entries in credentials.yml take precedence):

- INTRANET_JWT_ALGORITHM: HS256 (shared secret) or RS256 (the intranet's public key).
  Default: RS256 when a public key file is set, HS256 otherwise.
- INTRANET_JWT_SECRET: the HS256 secret (at least 32 characters).
- INTRANET_JWT_PUBLIC_KEY_FILE: the RS256 public key (PEM).
- INTRANET_JWT_AUDIENCE: the `aud` every token must carry (default "assistant-rh").
- INTRANET_JWT_ISSUER: the `iss` every token must carry (optional).
- INTRANET_ALLOWED_ORIGINS: the pages allowed to open the chat, comma- or space-separated.
- INTRANET_JWT_MAX_LIFETIME_SECONDS: the longest a token may still be valid (default 3600): a token
  whose `exp` is further away is refused, so that a leaked long-lived token is worth nothing.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt

from bot.core.settings import DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_MAX_LIFETIME_SECONDS, Settings, settings_for
from bot.core.text import MAX_MESSAGE_CHARS

ALGORITHMS = ("HS256", "RS256")
MIN_SECRET_CHARS = 32
LEEWAY_SECONDS = 30  # clock skew between the intranet and us
MAX_SUBJECT_CHARS = 200  # the bookings' holder column
MAX_NAME_CHARS = 200
# A socket.io packet: a bigger one closes the connection; the text itself is bounded by MAX_MESSAGE_CHARS.
MAX_PACKET_BYTES = 16 * 1024

REFUSALS = {
    "missing": "Connexion refusée : l'intranet n'a pas transmis votre identité. Rechargez la page ou "
    "reconnectez-vous à l'intranet.",
    "invalid": "Connexion refusée : votre identifiant de connexion n'est pas valide. Reconnectez-vous à l'intranet.",
    "expired": "Votre session a expiré. Reconnectez-vous à l'intranet pour continuer.",
    "origin": "Connexion refusée : cette page n'est pas autorisée à ouvrir l'Assistant RH.",
    "empty": "Votre message est vide : écrivez votre question puis envoyez-la.",
    "too_long": f"Votre message est trop long ({MAX_MESSAGE_CHARS} caractères au plus). "
    "Pouvez-vous le raccourcir ou l'envoyer en plusieurs fois ?",
    "too_fast": "Vous envoyez beaucoup de messages à la suite. Patientez une minute, puis réessayez.",
}


class Refused(Exception):
    """A refusal with a stable code (for the widget) and its French message (for the person)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = REFUSALS[code]

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Identity:
    """Who is signed in: the intranet's identifier (the conversation's sender id) and a display name."""

    subject: str
    name: str | None
    expires_at: float
    claims: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)  # all of the token's


def _setting(settings: Mapping[str, Any], environment: Settings, key: str) -> str | None:
    """credentials.yml's entry (`jwt_secret` for INTRANET_JWT_SECRET…), else the environment's setting."""
    value = settings.get(key.lower().removeprefix("intranet_")) or getattr(environment, key.lower())
    return str(value).strip() if value else None


@dataclass(frozen=True)
class TokenVerifier:
    """Checks the intranet's tokens: signature with the one configured algorithm, expiry, audience, issuer."""

    key: str
    algorithm: str = "HS256"
    audience: str | None = DEFAULT_JWT_AUDIENCE
    issuer: str | None = None
    leeway: int = LEEWAY_SECONDS
    max_lifetime: int = DEFAULT_JWT_MAX_LIFETIME_SECONDS

    def __post_init__(self) -> None:
        if self.max_lifetime <= 0:
            raise ValueError("INTRANET_JWT_MAX_LIFETIME_SECONDS must be a positive number of seconds")
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"jwt_algorithm must be one of {', '.join(ALGORITHMS)}, not {self.algorithm!r}")
        if self.algorithm == "HS256" and len(self.key) < MIN_SECRET_CHARS:
            raise ValueError(f"the HS256 secret must have at least {MIN_SECRET_CHARS} characters")
        if self.algorithm == "RS256" and "PUBLIC KEY" not in self.key:
            raise ValueError("the RS256 key must be a PEM public key")

    @classmethod
    def configured(
        cls, settings: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> TokenVerifier:
        """From credentials.yml's entries (jwt_algorithm, jwt_secret, jwt_public_key_file, jwt_audience,
        jwt_issuer) or the INTRANET_JWT_* environment variables. Raises ValueError when no key is set."""
        settings, environment = settings or {}, settings_for(environ)
        key_file = _setting(settings, environment, "INTRANET_JWT_PUBLIC_KEY_FILE")
        algorithm = _setting(settings, environment, "INTRANET_JWT_ALGORITHM") or ("RS256" if key_file else "HS256")
        if algorithm == "RS256":
            if not key_file:
                raise ValueError("RS256 needs the intranet's public key: set INTRANET_JWT_PUBLIC_KEY_FILE")
            key = Path(key_file).read_text(encoding="ascii")
        else:
            key = _setting(settings, environment, "INTRANET_JWT_SECRET") or ""
            if not key:
                raise ValueError(
                    "no key to check the intranet's tokens: set INTRANET_JWT_SECRET "
                    "(HS256) or INTRANET_JWT_PUBLIC_KEY_FILE (RS256)"
                )
        audience = _setting(settings, environment, "INTRANET_JWT_AUDIENCE")
        lifetime = _setting(settings, environment, "INTRANET_JWT_MAX_LIFETIME_SECONDS")
        try:
            max_lifetime = int(lifetime)
        except ValueError:
            raise ValueError(f"INTRANET_JWT_MAX_LIFETIME_SECONDS={lifetime!r} is not a number of seconds") from None
        return cls(
            key, algorithm, audience, _setting(settings, environment, "INTRANET_JWT_ISSUER"), max_lifetime=max_lifetime
        )

    def verify(self, token: Any) -> Identity:
        """The token's identity, or Refused("missing" | "expired" | "invalid")."""
        if not isinstance(token, str) or not token.strip():
            raise Refused("missing")
        required = ["exp", "sub"] + (["aud"] if self.audience else []) + (["iss"] if self.issuer else [])
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": required},
            )
        except jwt.ExpiredSignatureError:
            raise Refused("expired") from None
        except jwt.PyJWTError:
            raise Refused("invalid") from None
        expires = claims["exp"]
        if not isinstance(expires, (int, float)) or expires - time.time() > self.max_lifetime + self.leeway:
            raise Refused("invalid")  # valid for longer than any session should be
        subject, name = claims["sub"], claims.get("name")
        if not isinstance(subject, str) or not subject.strip() or len(subject) > MAX_SUBJECT_CHARS:
            raise Refused("invalid")
        name = name.strip()[:MAX_NAME_CHARS] if isinstance(name, str) and name.strip() else None
        return Identity(subject, name, float(claims["exp"]), claims)


def issue_token(
    secret: str,
    subject: str,
    name: str | None,
    lifetime_seconds: int,
    *,
    audience: str | None = DEFAULT_JWT_AUDIENCE,
    issuer: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """An HS256 token as the intranet would sign it (the development sign-in and the tests); `extra`: more
    claims, such as the back-office's roles."""
    issued = int(time.time())
    claims: dict[str, Any] = {**(extra or {}), "sub": subject, "iat": issued, "exp": issued + lifetime_seconds}
    if audience:
        claims["aud"] = audience
    if name:
        claims["name"] = name
    if issuer:
        claims["iss"] = issuer
    return jwt.encode(claims, secret, algorithm="HS256")


def origin_of(url: str) -> str:
    """« https://intranet.example.fr/page » -> « https://intranet.example.fr » (lower case, no default port)."""
    parts = urlsplit(url.strip().lower())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) origin: {url!r}")
    default_port = {"http": 80, "https": 443}[parts.scheme]
    port = f":{parts.port}" if parts.port and parts.port != default_port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def allowed_origins(
    configured: Iterable[str] | str | None = None, environ: Mapping[str, str] | None = None
) -> frozenset[str]:
    """The allow-list: the configured origins (a list or a comma/space-separated string) and
    $INTRANET_ALLOWED_ORIGINS."""
    values: list[str] = []
    for source in (configured, settings_for(environ).intranet_allowed_origins):
        if isinstance(source, str):
            values += re.split(r"[\s,]+", source)
        elif source:
            values += list(source)
    return frozenset(origin_of(value) for value in values if value and value.strip())


def origin_allowed(origin: str | None, allowed: frozenset[str]) -> bool:
    """A browser always sends Origin: a missing or malformed one is refused too."""
    if not origin:
        return False
    try:
        return origin_of(origin) in allowed
    except ValueError:
        return False


def checked_message(text: Any) -> str:
    """The message to hand to Rasa, or Refused("empty" | "too_long"): longer than the NLU reads."""
    if not isinstance(text, str) or not text.strip():
        raise Refused("empty")
    if len(text) > MAX_MESSAGE_CHARS:
        raise Refused("too_long")
    return text


class RateLimiter:
    """At most `limit` events per `period` seconds and key (a sliding window), in memory."""

    def __init__(self, limit: int, period: float, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("the rate limit needs a positive count and period")
        self.limit, self.period, self.clock = limit, period, clock
        self._events: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        now = self.clock()
        if len(self._events) > 10_000:  # forget idle keys so that memory stays bounded
            self._events = {k: q for k, q in self._events.items() if q and q[-1] > now - self.period}
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.period:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True
