"""``iom-broker api run`` refuses to start, in one line, when the identity provider cannot be
reached or its discovery document does not offer what the broker needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from broker.project_root import PROJECT_ROOT


@pytest.fixture
def provider() -> Iterator[tuple[str, dict[str, Any]]]:
    """A plain-HTTP provider on loopback serving the discovery document the test fills in."""
    document: dict[str, Any] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(document).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", document
    server.shutdown()
    server.server_close()


def _api_run(issuer: str, state: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "IOM_IDENTITY__ISSUER": issuer,
        "IOM_API__STORE_URL": f"sqlite:///{state / 'records.sqlite3'}",
        "IOM_TRANSPARENCY__STORE_URL": f"sqlite:///{state / 'log.sqlite3'}",
        "IOM_STATISTICS__STORE_URL": f"sqlite:///{state / 'statistics.sqlite3'}",
        "IOM_TRANSPARENCY__SIGNING_KEY_FILE": str(state / "log-signing.key"),
        "IOM_TRANSPARENCY__SUBJECT_INDEX_KEY_FILE": str(state / "index.key"),
    }
    return subprocess.run(
        [sys.executable, "-m", "broker.cli", "api", "run", "--port", "0"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_an_unreachable_provider_stops_the_api(tmp_path: Path) -> None:
    """With no provider at the issuer URL, the API exits at once saying which URL failed."""
    finished = _api_run("http://127.0.0.1:9", tmp_path)

    assert finished.returncode == 1
    assert finished.stderr.strip().splitlines()[-1] == (
        "error: identity provider http://127.0.0.1:9: discovery document "
        "http://127.0.0.1:9/.well-known/openid-configuration unreachable (ConnectError)"
    )


def test_a_provider_naming_another_issuer_stops_the_api(
    provider: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    """A discovery document naming another issuer stops the API with that one line."""
    url, document = provider
    document.update({"issuer": "https://elsewhere.test", "jwks_uri": f"{url}/jwks"})

    finished = _api_run(url, tmp_path)

    assert finished.returncode == 1
    last = finished.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: identity provider {url}: its discovery document names ")
    assert "'https://elsewhere.test'" in last
