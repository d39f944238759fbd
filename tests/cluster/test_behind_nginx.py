"""The nginx example (deploy/nginx/assistant-rh.conf) in front of the cluster, as production runs it.

The example is used as written, with only its lines marked EDIT given this machine's values: its
upstreams are the cluster's two Rasa instances and web server, its certificate a self-signed one.
Through it, the intranet chat works over HTTPS (WebSocket, and long-polling, which needs sticky
sessions), other origins are refused, Rasa's HTTP API, REST channel and the action server are not
reachable, plain HTTP is redirected.

The file's name sorts before test_cluster.py on purpose: these tests need both instances alive
(test_cluster.py kills one).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio

from tests.cluster.cluster import ACTION_PORTS, RASA_PORTS, ROOT, WEB_PORT, Cluster, reachable
from tests.cluster.conftest import INTRANET_ORIGIN
from tests.e2e.hostile_corpus import is_french
from tests.intranet_client import IntranetPerson, texts

EXAMPLE = ROOT / "deploy" / "nginx" / "assistant-rh.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HTTPS_PORT, HTTP_PORT = 5393, 5394
BASE = f"https://127.0.0.1:{HTTPS_PORT}"
UNVERIFIED = ssl._create_unverified_context()  # the test's self-signed certificate


def rendered(example: str, tls: Path) -> str:
    """The example with this machine's values on its EDIT lines; each must be found exactly once."""
    values = {
        "server 127.0.0.1:5005 ": f"server 127.0.0.1:{RASA_PORTS[0]} ",
        "server 127.0.0.1:5006 ": f"server 127.0.0.1:{RASA_PORTS[1]} ",
        "server 127.0.0.1:8080;": f"server 127.0.0.1:{WEB_PORT};",
        '"https://intranet.mines-ales.fr" allowed;': f'"{INTRANET_ORIGIN}" allowed;',
        "listen 80;": f"listen 127.0.0.1:{HTTP_PORT};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{HTTPS_PORT} ssl http2;",
        "/etc/ssl/assistant-rh/fullchain.pem": str(tls / "cert.pem"),
        "/etc/ssl/assistant-rh/privkey.pem": str(tls / "key.pem"),
    }
    for old, new in values.items():
        assert example.count(old) == 1, f"the example no longer has {old!r} once"
        example = example.replace(old, new)
    return example


@pytest.fixture(scope="module")
def nginx(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(NGINX).exists():
        reason = "no nginx (apt-get install nginx-light)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"under CI the nginx tests must run: {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("nginx")
    folder.chmod(0o755)  # nginx's workers may run as another user
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    (folder / "assistant-rh.conf").write_text(rendered(EXAMPLE.read_text(encoding="utf-8"), folder), encoding="utf-8")
    user = "user root;" if os.geteuid() == 0 else ""
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        f"{user}\nworker_processes 1;\ndaemon off;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} warn;\n"
        f"events {{ worker_connections 512; }}\nhttp {{ {temp}\n include {folder / 'assistant-rh.conf'}; }}\n",
        encoding="utf-8",
    )
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")]
    checked = subprocess.run(command + ["-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen(command, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not reachable("127.0.0.1", HTTPS_PORT):
            assert server.poll() is None and time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.2)
        yield BASE
    finally:
        server.terminate()
        server.wait(timeout=10)


def status(url: str, method: str = "GET", origin: str | None = None, body: bytes | None = None) -> int:
    headers = {"Origin": origin} if origin else {}
    request = urllib.request.Request(url, body, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10, context=UNVERIFIED) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def chat(cluster: Cluster, transports: tuple[str, ...], origin: str = INTRANET_ORIGIN) -> list:
    person = IntranetPerson("nginx", url=BASE, secret=cluster.secret, origin=origin, transports=transports)
    await person.connect()
    try:
        first = await person.say("bonjour")
        second = await person.say("combien de jours de congés annuels ai-je ?")
        return first + second
    finally:
        await person.close()


@pytest.mark.parametrize("transports", [("websocket",), ("polling",)])
def test_the_intranet_chat_works_through_nginx(nginx, cluster, transports):
    # Long-polling sends each message in its own HTTP request: without sticky sessions half of them
    # would reach the instance that does not know the socket.io session.
    events = asyncio.run(chat(cluster, transports))
    replies = texts(events)
    assert [event for event, _ in events].count("turn_done") == 2, events
    assert is_french(replies) and any("congés" in (reply["text"] or "") for reply in replies), replies


def test_other_origins_and_no_origin_are_refused_by_nginx(nginx, cluster):
    polling = f"{nginx}/socket.io/?EIO=4&transport=polling"
    assert status(polling, origin=INTRANET_ORIGIN) == 200
    assert status(polling, origin="https://evil.example.com") == 403
    assert status(polling) == 403
    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(chat(cluster, ("websocket",), origin="https://evil.example.com"))


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", "/webhooks/rest/webhook"),
        ("GET", "/conversations/someone/tracker"),
        ("POST", "/model/parse"),
        ("GET", "/status"),
        ("GET", "/version"),
        ("GET", "/domain"),
        ("POST", "/webhook"),
        ("GET", "/actions"),
        ("GET", "/health"),
    ],
)
def test_rasa_api_rest_channel_and_action_server_are_not_exposed(nginx, cluster, method, path):
    body = b'{"sender": "x", "message": "bonjour", "text": "bonjour"}' if method == "POST" else None
    assert status(nginx + path, method, body=body) == 404
    # ...while the instances themselves do answer those paths (so the 404 is nginx's doing).
    assert status(f"{cluster.rasa_url(0)}/version") == 200
    assert status(f"http://127.0.0.1:{ACTION_PORTS[0]}/health") == 200


def test_the_widget_is_served_over_https_and_http_is_redirected(nginx, cluster):
    with urllib.request.urlopen(f"{nginx}/widget/assistant-rh.js", timeout=10, context=UNVERIFIED) as response:
        assert response.status == 200 and "socket" in response.read().decode()
        assert "max-age" in response.headers.get("Strict-Transport-Security", "")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(NoRedirect).open(f"http://127.0.0.1:{HTTP_PORT}/widget/assistant-rh.js", timeout=10)
    assert redirect.value.code == 301 and redirect.value.headers["Location"].startswith("https://")


def test_the_back_office_is_reached_and_takes_uploads_larger_than_the_chats_limit(nginx, cluster):
    upload = b"x" * 200_000  # a content export is about this size
    assert status(f"{nginx}/rh/connexion") == 200
    assert status(f"{nginx}/feedback", "POST", body=upload) == 413  # nginx's limit for everything else
    assert status(f"{nginx}/rh/contenus/import", "POST", body=upload) == 403  # the back-office's answer: no session
