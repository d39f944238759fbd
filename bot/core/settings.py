"""The assistant's settings: every environment variable it reads, typed, with its default and meaning.

This is the only module that reads `os.environ`. `settings()` reads it once per process (cached); every
entry point calls `settings_or_exit()` first, so that a wrong value (a port that is not a number, an
unknown REST_CHANNEL value) stops the start with one line naming the variable, not a traceback later.
Tests that change the environment call `settings.cache_clear()` (tests/conftest.py does it for them).

The standard library only: this module is imported both by the project's environment and inside Rasa's.
The README's « Configuration » table lists the same variables.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

TRUE_VALUES = frozenset({"1", "true", "yes", "on"})
FALSE_VALUES = frozenset({"0", "false", "no", "off"})
JWT_ALGORITHMS = ("HS256", "RS256")
DEFAULT_JWT_AUDIENCE = "assistant-rh"
DEFAULT_JWT_MAX_LIFETIME_SECONDS = 3600
DEFAULT_RETENTION_DAYS = 30
DEFAULT_ROLES_CLAIM = "roles"
DEFAULT_BACKOFFICE_SESSION_MINUTES = 120
DEFAULT_CASE_RETENTION_DAYS = 90
DEFAULT_ANSWERS_POLL_SECONDS = 45  # the widget asks /answers/waiting this often while connected


class SettingError(ValueError):
    """A setting of the environment has a value that cannot be used; the message names it."""


def _value(environ: Mapping[str, str], name: str) -> str | None:
    """The variable's value without surrounding blanks, None when it is unset or blank (« use the default »)."""
    return (environ.get(name) or "").strip() or None


def env_flag(name: str, default: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    """A boolean setting: 1/true/yes/on or 0/false/no/off (any case); unset or empty is `default`.
    Anything else is refused, so that a typo (« REST_CHANNEL=non ») never turns a feature on or off silently."""
    value = (_value(os.environ if environ is None else environ, name) or "").lower()
    if not value:
        return default
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise SettingError(f"{name}={value!r} is not a boolean: use 1 (or true, yes, on) or 0 (or false, no, off)")


def _integer(
    environ: Mapping[str, str],
    name: str,
    default: int | None,
    minimum: int = 1,
    maximum: int | None = None,
    what: str = "a whole number",
) -> int | None:
    value = _value(environ, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum or (maximum is not None and number > maximum):
        limits = f"{minimum}-{maximum}" if maximum is not None else f"{minimum} or more"
        raise SettingError(f"{name}={value!r} is not {what} ({limits})")
    return number


def _port(environ: Mapping[str, str], name: str, default: int) -> int:
    return _integer(environ, name, default, 1, 65535, "a port number")


def _seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    value = _value(environ, name)
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0 or seconds == float("inf"):
        raise SettingError(f"{name}={value!r} is not a positive number of seconds")
    return seconds


def _choice(environ: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str | None:
    value = _value(environ, name)
    if value is None:
        return None
    if value not in choices:
        raise SettingError(f"{name}={value!r} is not one of {', '.join(choices)}")
    return value


@dataclass(frozen=True)
class Settings:
    """Each field is the variable of the same name in capitals (exceptions noted)."""

    # -- data -------------------------------------------------------------------------------------
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'assistant.db'}"
    """DATABASE_URL: the application database (content, schedules, bookings, menus, eligibility rules)."""
    content_dir: Path = PROJECT_ROOT / "data" / "content"
    """CONTENT_DIR: the policy articles `python -m bot content load` and `seed` read."""
    tracker_store_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"
    """TRACKER_STORE_URL: where Rasa keeps conversations (SQL), the store the retention purge cleans."""
    lock_store_url: str | None = None
    """LOCK_STORE_URL: Rasa's Redis lock store (redis://…); None: in memory, one Rasa instance."""
    lock_store_key_prefix: str | None = None
    """LOCK_STORE_KEY_PREFIX: keeps several deployments apart on one Redis."""

    # -- processes and addresses -------------------------------------------------------------------
    rasa_port: int = 5005
    """RASA_PORT: Rasa's port (socket.io chat, REST channel and HTTP API)."""
    actions_port: int = 5055
    """ACTIONS_PORT: the action server's port."""
    actions_host: str = "127.0.0.1"
    """ACTIONS_HOST (else SANIC_HOST): the action server's interface."""
    action_endpoint_url: str = "http://127.0.0.1:5055/webhook"
    """ACTION_ENDPOINT_URL: the action server as Rasa calls it (default on ACTIONS_PORT)."""
    action_server_token: str | None = None
    """ACTION_SERVER_TOKEN: the secret Rasa sends the action server (checked by bot/runtime/action_server.py)."""
    action_timeout_seconds: float = 15.0
    """ACTION_TIMEOUT_SECONDS: how long Rasa waits for an action before answering « indisponible »."""
    actions_warm_up: bool = False
    """ACTIONS_WARM_UP: the action server builds the search index at start (scripts/run.sh sets it)."""
    web_host: str = "127.0.0.1"
    """WEB_HOST: the web server's interface."""
    web_port: int = 8080
    """WEB_PORT: the web server's port."""
    public_url: str = "http://127.0.0.1:8080"
    """PUBLIC_URL: where people reach the web server (calendar links, the demo page); run.sh: on WEB_PORT."""
    chat_socket_url: str = "http://127.0.0.1:5005"
    """CHAT_SOCKET_URL: where browsers reach Rasa's socket.io (default on RASA_PORT)."""
    chat_answers_poll_seconds: int = DEFAULT_ANSWERS_POLL_SECONDS
    """CHAT_ANSWERS_POLL_SECONDS: how often an open chat asks whether HR answered one of the person's requests."""
    rest_channel: bool = False
    """REST_CHANNEL: the REST channel and Rasa's HTTP API for local tools (scripts/run.sh opens them)."""
    dev_sign_in: bool = False
    """DEV_SIGN_IN: the demo page and its development sign-in (development only)."""

    # -- the intranet chat (credentials.yml's entries take precedence) -----------------------------
    intranet_jwt_algorithm: str | None = None
    """INTRANET_JWT_ALGORITHM: HS256 or RS256; None: RS256 with a public key file, HS256 otherwise."""
    intranet_jwt_secret: str | None = None
    """INTRANET_JWT_SECRET: the HS256 secret shared with the intranet (32 characters at least)."""
    intranet_jwt_public_key_file: str | None = None
    """INTRANET_JWT_PUBLIC_KEY_FILE: the intranet's RS256 public key (PEM)."""
    intranet_jwt_audience: str = DEFAULT_JWT_AUDIENCE
    """INTRANET_JWT_AUDIENCE: the `aud` every token must carry."""
    intranet_jwt_issuer: str | None = None
    """INTRANET_JWT_ISSUER: the `iss` every token must carry (none by default)."""
    intranet_jwt_max_lifetime_seconds: int = DEFAULT_JWT_MAX_LIFETIME_SECONDS
    """INTRANET_JWT_MAX_LIFETIME_SECONDS: a token valid for longer than this is refused."""
    intranet_allowed_origins: tuple[str, ...] = ()
    """INTRANET_ALLOWED_ORIGINS: pages allowed to open the chat and send feedback (comma/space-separated)."""

    # -- the HR back-office (/rh/) ------------------------------------------------------------------
    backoffice_roles_claim: str = DEFAULT_ROLES_CLAIM
    """BACKOFFICE_ROLES_CLAIM: the intranet token's claim listing the person's roles (hr_admin,
    practitioner:<service>); a list or a text of names separated by spaces or commas."""
    backoffice_session_minutes: int = DEFAULT_BACKOFFICE_SESSION_MINUTES
    """BACKOFFICE_SESSION_MINUTES: how long a back-office session lasts after signing in."""

    # -- secrets and retention ----------------------------------------------------------------------
    assistant_secret: str | None = None
    """ASSISTANT_SECRET: the key of calendar links and of the demo cookie; None: var/secret.key."""
    conversation_retention_days: int = DEFAULT_RETENTION_DAYS
    """CONVERSATION_RETENTION_DAYS: how long conversations are kept (the notice states it)."""
    sensitive_retention_days: int = DEFAULT_RETENTION_DAYS
    """SENSITIVE_RETENTION_DAYS: the same for sensitive conversations (default: CONVERSATION_RETENTION_DAYS)."""
    booking_retention_days: int = DEFAULT_RETENTION_DAYS
    """BOOKING_RETENTION_DAYS: how long after an appointment its holder is remembered."""
    case_retention_days: int = DEFAULT_CASE_RETENTION_DAYS
    """CASE_RETENTION_DAYS: how long a question sent to HR is kept after it is closed (answered or withdrawn)."""

    # -- read by TensorFlow inside Rasa; checked here ------------------------------------------------
    tf_intra_op_parallelism_threads: int | None = None
    """TF_INTRA_OP_PARALLELISM_THREADS: TensorFlow threads per operation (scripts/run.sh: 1)."""
    tf_inter_op_parallelism_threads: int | None = None
    """TF_INTER_OP_PARALLELISM_THREADS: TensorFlow operations run at once (scripts/run.sh: 1)."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        """The settings of `environ`; SettingError naming the variable on a value that cannot be used."""
        text = lambda name, default=None: _value(environ, name) or default  # noqa: E731
        defaults = cls()
        rasa_port = _port(environ, "RASA_PORT", defaults.rasa_port)
        actions_port = _port(environ, "ACTIONS_PORT", defaults.actions_port)
        conversation_days = _integer(environ, "CONVERSATION_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
        origins = text("INTRANET_ALLOWED_ORIGINS", "")
        return cls(
            database_url=text("DATABASE_URL", defaults.database_url),
            content_dir=Path(text("CONTENT_DIR", defaults.content_dir)),
            tracker_store_url=text("TRACKER_STORE_URL", defaults.tracker_store_url),
            lock_store_url=text("LOCK_STORE_URL"),
            lock_store_key_prefix=text("LOCK_STORE_KEY_PREFIX"),
            rasa_port=rasa_port,
            actions_port=actions_port,
            actions_host=text("ACTIONS_HOST") or text("SANIC_HOST") or defaults.actions_host,
            action_endpoint_url=text("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{actions_port}/webhook"),
            action_server_token=text("ACTION_SERVER_TOKEN"),
            action_timeout_seconds=_seconds(environ, "ACTION_TIMEOUT_SECONDS", defaults.action_timeout_seconds),
            actions_warm_up=env_flag("ACTIONS_WARM_UP", environ=environ),
            web_host=text("WEB_HOST", defaults.web_host),
            web_port=_port(environ, "WEB_PORT", defaults.web_port),
            public_url=text("PUBLIC_URL", defaults.public_url),
            chat_socket_url=text("CHAT_SOCKET_URL", f"http://127.0.0.1:{rasa_port}"),
            chat_answers_poll_seconds=_integer(
                environ,
                "CHAT_ANSWERS_POLL_SECONDS",
                DEFAULT_ANSWERS_POLL_SECONDS,
                maximum=3600,
                what="a number of seconds",
            ),
            rest_channel=env_flag("REST_CHANNEL", environ=environ),
            dev_sign_in=env_flag("DEV_SIGN_IN", environ=environ),
            intranet_jwt_algorithm=_choice(environ, "INTRANET_JWT_ALGORITHM", JWT_ALGORITHMS),
            intranet_jwt_secret=text("INTRANET_JWT_SECRET"),
            intranet_jwt_public_key_file=text("INTRANET_JWT_PUBLIC_KEY_FILE"),
            intranet_jwt_audience=text("INTRANET_JWT_AUDIENCE", DEFAULT_JWT_AUDIENCE),
            intranet_jwt_issuer=text("INTRANET_JWT_ISSUER"),
            intranet_jwt_max_lifetime_seconds=_integer(
                environ,
                "INTRANET_JWT_MAX_LIFETIME_SECONDS",
                DEFAULT_JWT_MAX_LIFETIME_SECONDS,
                what="a number of seconds",
            ),
            intranet_allowed_origins=tuple(value for value in re.split(r"[\s,]+", origins) if value),
            backoffice_roles_claim=text("BACKOFFICE_ROLES_CLAIM", DEFAULT_ROLES_CLAIM),
            backoffice_session_minutes=_integer(
                environ, "BACKOFFICE_SESSION_MINUTES", DEFAULT_BACKOFFICE_SESSION_MINUTES, maximum=24 * 60
            ),
            assistant_secret=text("ASSISTANT_SECRET"),
            conversation_retention_days=conversation_days,
            sensitive_retention_days=_integer(environ, "SENSITIVE_RETENTION_DAYS", conversation_days),
            booking_retention_days=_integer(environ, "BOOKING_RETENTION_DAYS", DEFAULT_RETENTION_DAYS),
            case_retention_days=_integer(environ, "CASE_RETENTION_DAYS", DEFAULT_CASE_RETENTION_DAYS),
            tf_intra_op_parallelism_threads=_integer(environ, "TF_INTRA_OP_PARALLELISM_THREADS", None, minimum=0),
            tf_inter_op_parallelism_threads=_integer(environ, "TF_INTER_OP_PARALLELISM_THREADS", None, minimum=0),
        )


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process's settings, read once; `settings.cache_clear()` makes the next call read them again."""
    return Settings.from_environ(os.environ)


def settings_for(environ: Mapping[str, str] | None) -> Settings:
    """The settings of `environ` when one is given (tests, tools), else the process's."""
    return settings() if environ is None else Settings.from_environ(environ)


def settings_or_exit() -> Settings:
    """For entry points: the settings read now from the environment, or the start stops with one line
    naming the variable (exit status 1)."""
    settings.cache_clear()
    try:
        return settings()
    except SettingError as error:
        raise SystemExit(f"ERROR: {error}") from None
