"""Serve the development issuer over HTTPS on loopback with uvicorn, in a background thread.

DEVELOPMENT ONLY. ``DevIssuerServer`` starts and stops the server in-process (tests, the
``identity issuer`` command); it binds loopback unless told otherwise (docker-compose binds
the container's interfaces on its private network) and always uses TLS.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import structlog
import uvicorn

from broker.devtools.identity.dev_issuer import DevIssuer
from broker.devtools.identity.dev_issuer_app import create_dev_issuer_app
from broker.devtools.identity.dev_sign_in import DevSignIn
from broker.devtools.ports import LOOPBACK
from broker.devtools.started import StartedOnEnter

__all__ = ["DevIssuerServer"]

log = structlog.get_logger(__name__)


class DevIssuerServer(StartedOnEnter):
    """Runs ``issuer`` (and its sign-in page, if given) on ``https://127.0.0.1:<port>``."""

    def __init__(
        self,
        issuer: DevIssuer,
        port: int,
        cert_file: Path,
        key_file: Path,
        sign_in: DevSignIn | None = None,
        host: str = LOOPBACK,
    ) -> None:
        self.issuer = issuer
        self.port = port
        config = uvicorn.Config(
            create_dev_issuer_app(issuer, sign_in),
            host=host,
            port=port,
            ssl_certfile=str(cert_file),
            ssl_keyfile=str(key_file),
            log_level="warning",
            access_log=False,
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    def start(self, timeout: float = 15.0) -> None:
        """Start serving; return once the socket accepts connections."""
        self._thread = threading.Thread(target=self._server.run, name="dev-issuer", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"development issuer on port {self.port} failed to start")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"development issuer on port {self.port} not up in {timeout}s")
            time.sleep(0.05)
        log.info("identity.dev_issuer_started", issuer=self.issuer.issuer_url)

    def serve_forever(self) -> None:
        """Serve in the calling thread until SIGINT/SIGTERM (uvicorn's handlers)."""
        self._server.run()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and wait for the thread; idempotent."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
            log.info("identity.dev_issuer_stopped", issuer=self.issuer.issuer_url)
