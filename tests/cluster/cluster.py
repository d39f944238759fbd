"""Several Rasa instances and action servers on this machine, sharing PostgreSQL and Redis.

The production layout in miniature: every Rasa instance keeps conversations in the same SQL
tracker store and locks them in the same Redis; every action server reads and books in the same
application database. Used by tests/cluster and by `make cluster`:

    python -m tests.cluster.cluster [--rasa 2] [--actions 2]

PostgreSQL and Redis on 127.0.0.1 (TEST_POSTGRES_URL, TEST_REDIS_URL); each run creates its own
databases and Redis key prefix and removes them when it stops.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.runtime.endpoints import write_endpoints

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RASA_PORTS = range(5305, 5315)
ACTION_PORTS = range(5355, 5365)
WEB_PORT = 5390


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
        return True
    except OSError:
        return False


def services_missing() -> str | None:
    """Why a cluster cannot start here (PostgreSQL or Redis unreachable), or None."""
    postgres, redis = make_url(POSTGRES_ADMIN_URL), make_url(REDIS_URL)
    if not reachable(postgres.host or "127.0.0.1", postgres.port or 5432):
        return f"no PostgreSQL at {postgres.host}:{postgres.port or 5432} (TEST_POSTGRES_URL)"
    if not reachable(redis.host or "127.0.0.1", redis.port or 6379):
        return f"no Redis at {redis.host}:{redis.port or 6379} (TEST_REDIS_URL)"
    return None


def get(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout):
            return True
    except OSError:
        return False


@dataclass
class Cluster:
    rasa_count: int = 2
    action_count: int = 2
    # Set: the intranet chat opens for pages of this origin (tokens signed with `secret`), and the web server runs.
    intranet_origin: str | None = None
    name: str = field(default_factory=lambda: f"cluster{uuid.uuid4().hex[:10]}")
    secret: str = field(default_factory=lambda: secrets.token_hex(32))
    # As scripts/run.sh: the secret Rasa sends the action servers, and the HTTP API's token (in a 0600 file).
    action_token: str = field(default_factory=lambda: secrets.token_hex(32))
    api_token: str = field(default_factory=lambda: secrets.token_hex(32))
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def app_url(self) -> str:
        return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{self.name}"

    @property
    def tracker_url(self) -> str:
        return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{self.name}_tracker"

    def rasa_url(self, index: int) -> str:
        return f"http://127.0.0.1:{RASA_PORTS[index]}"

    def action_url(self, index: int) -> str:
        return f"http://127.0.0.1:{ACTION_PORTS[index]}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{WEB_PORT}"

    def _admin(self):
        return create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def _env(self) -> dict[str, str]:
        env = {
            "TF_INTRA_OP_PARALLELISM_THREADS": "1",
            "TF_INTER_OP_PARALLELISM_THREADS": "1",  # as scripts/run.sh
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "DATABASE_URL": self.app_url,
            "ACTION_TIMEOUT_SECONDS": "5",
            "ACTION_SERVER_TOKEN": self.action_token,
        }
        if self.intranet_origin:
            env |= {"INTRANET_JWT_SECRET": self.secret, "INTRANET_ALLOWED_ORIGINS": self.intranet_origin}
        return env

    def start(self, timeout: float = 420) -> Cluster:
        admin = self._admin()
        with admin.connect() as connection:
            for database in (self.name, f"{self.name}_tracker"):
                connection.execute(text(f'CREATE DATABASE "{database}"'))
        admin.dispose()
        subprocess.run(
            [sys.executable, "-m", "bot", "seed"], cwd=ROOT, env=self._env(), check=True, stdout=subprocess.DEVNULL
        )
        (ROOT / "var").mkdir(exist_ok=True)
        credentials = ROOT / "var" / f"{self.name}-credentials.yml"
        intranet = (ROOT / "credentials.yml").read_text(encoding="utf-8") if self.intranet_origin else ""
        credentials.write_text(intranet + "rasa_components.rest_channel.LocalRestInput:\n", encoding="utf-8")
        token_file = ROOT / "var" / f"{self.name}-api-token"
        token_file.touch(mode=0o600)
        token_file.write_text(self.api_token, encoding="utf-8")
        for index in range(self.action_count):
            self.start_actions(index)
        for index in range(self.rasa_count):
            endpoints = ROOT / "var" / f"{self.name}-endpoints-{index}.yml"
            write_endpoints(
                endpoints,
                {
                    "ACTION_ENDPOINT_URL": f"{self.action_url(index % self.action_count)}/webhook",
                    "TRACKER_STORE_URL": self.tracker_url,
                    "LOCK_STORE_URL": REDIS_URL,
                    "LOCK_STORE_KEY_PREFIX": self.name,
                },
            )
            self._spawn(
                f"rasa{index}",
                [
                    str(ROOT / ".venv-rasa" / "bin" / "python"),
                    "-m",
                    "rasa_components.serve",
                    "run",
                    "--enable-api",
                    "--auth-token-file",
                    str(token_file),
                    "--interface",
                    "127.0.0.1",
                    "--port",
                    str(RASA_PORTS[index]),
                    "--model",
                    str(ROOT / "models" / "assistant.tar.gz"),
                    "--credentials",
                    str(credentials),
                    "--endpoints",
                    str(endpoints),
                ],
            )
        if self.intranet_origin:
            self._spawn(
                "web",
                [str(ROOT / ".venv" / "bin" / "python"), "-m", "bot.web.server"],
                {"WEB_HOST": "127.0.0.1", "WEB_PORT": str(WEB_PORT)},
            )
        self.wait_ready(timeout)
        return self

    def _spawn(self, key: str, command: list[str], extra_env: dict[str, str] | None = None) -> None:
        log = open(ROOT / "var" / f"{self.name}-{key}.log", "ab")
        self.processes[key] = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self._env(), **(extra_env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_actions(self, index: int) -> None:
        self._spawn(
            f"actions{index}",
            [
                str(ROOT / ".venv" / "bin" / "python"),
                "-m",
                "bot.runtime.action_server",
                "--actions",
                "actions",
                "-p",
                str(ACTION_PORTS[index]),
                "--quiet",
            ],
            {"SANIC_HOST": "127.0.0.1", "ACTIONS_WARM_UP": "1"},
        )

    def wait_ready(self, timeout: float = 420) -> None:
        deadline = time.monotonic() + timeout
        checks = {f"rasa{i}": f"{self.rasa_url(i)}/status?token={self.api_token}" for i in range(self.rasa_count)}
        checks |= {f"actions{i}": f"{self.action_url(i)}/health" for i in range(self.action_count)}
        checks["web"] = f"{self.web_url}/health"
        waiting = {key: url for key, url in checks.items() if key in self.processes}
        while waiting:
            for key, url in list(waiting.items()):
                if self.processes[key].poll() is not None:
                    raise RuntimeError(f"{key} stopped while starting; see var/{self.name}-{key}.log")
                if get(url):
                    del waiting[key]
            if time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout} s: {', '.join(waiting)}")
            time.sleep(1)

    def kill(self, key: str) -> None:
        """kill -9, as a crash would."""
        process = self.processes.pop(key)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for key in list(self.processes):
            process = self.processes.pop(key)
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
        admin = self._admin()
        with admin.connect() as connection:
            for database in (self.name, f"{self.name}_tracker"):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
        # redis-py lives in the Rasa environment (the lock store's client), not in this one.
        subprocess.run(
            [
                str(ROOT / ".venv-rasa" / "bin" / "python"),
                "-c",
                "import redis, sys\nclient = redis.Redis.from_url(sys.argv[1])\n"
                "for key in client.scan_iter(sys.argv[2]): client.delete(key)",
                REDIS_URL,
                f"{self.name}:*",
            ],
            check=False,
        )
        for path in (ROOT / "var").glob(f"{self.name}-*.yml"):
            path.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rasa", type=int, default=2, help="Rasa instances (ports from 5305)")
    parser.add_argument("--actions", type=int, default=2, help="action servers (ports from 5355)")
    args = parser.parse_args()
    missing = services_missing()
    if missing:
        print(f"ERROR: {missing}", file=sys.stderr)
        return 1
    cluster = Cluster(args.rasa, args.actions)
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)  # so that sigwait receives them and we clean up
    print(f"Starting {args.rasa} Rasa instance(s) and {args.actions} action server(s)…", flush=True)
    try:
        cluster.start()
        print("Ready:")
        for index in range(args.rasa):
            print(f"  Rasa {index}: {cluster.rasa_url(index)}  (REST: /webhooks/rest/webhook)")
        print(
            f"  Application database: {cluster.app_url}\n  Tracker store: {cluster.tracker_url}\n"
            f"  Redis lock store: {REDIS_URL} (prefix {cluster.name})\nCtrl-C stops and removes them.",
            flush=True,
        )
        signal.sigwait(stop_signals)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
