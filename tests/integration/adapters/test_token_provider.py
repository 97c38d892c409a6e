"""OAuth2 client credentials against a tiny local token endpoint."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs

import pytest

from iom_adapters.sdk.auth import ClientCredentialsTokenProvider, TokenError

CLIENT_ID, SECRET = "gwent-police-adapter", "correct-horse-battery"


class TokenEndpoint(BaseHTTPRequestHandler):
    """Issues ``token-<n>`` to the right client; ``expires_in`` from the server's setting."""

    issued = 0
    expires_in = 3600
    seen_forms: ClassVar[list[dict[str, list[str]]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(length).decode())
        TokenEndpoint.seen_forms.append(form)
        client, secret = "", ""
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            client, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        else:
            client = form.get("client_id", [""])[0]
            secret = form.get("client_secret", [""])[0]
        if form.get("grant_type") != ["client_credentials"] or (client, secret) != (
            CLIENT_ID,
            SECRET,
        ):
            self._reply(401, {"error": "invalid_client"})
            return
        TokenEndpoint.issued += 1
        self._reply(
            200,
            {
                "access_token": f"token-{TokenEndpoint.issued}",
                "token_type": "Bearer",
                "expires_in": TokenEndpoint.expires_in,
            },
        )

    def _reply(self, status: int, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr logging."""


@pytest.fixture
def token_url() -> Iterator[str]:
    """URL of a token endpoint served from a thread for the test."""
    TokenEndpoint.issued, TokenEndpoint.expires_in, TokenEndpoint.seen_forms = 0, 3600, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), TokenEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/token"
    server.shutdown()
    server.server_close()
    thread.join(5)


async def test_token_is_fetched_once_and_reused(token_url: str) -> None:
    """Concurrent callers share one fetch, and the token is reused while it is valid."""
    provider = ClientCredentialsTokenProvider(token_url, CLIENT_ID, SECRET)
    try:
        tokens = await asyncio.gather(*(provider.token() for _ in range(5)))
        assert set(tokens) == {"token-1"}
        assert await provider.token() == "token-1"
        assert TokenEndpoint.issued == 1
        assert TokenEndpoint.seen_forms[0]["grant_type"] == ["client_credentials"]
    finally:
        await provider.aclose()


async def test_token_is_refreshed_before_it_expires(token_url: str) -> None:
    """A token within the refresh margin of expiry is replaced by a new one."""
    TokenEndpoint.expires_in = 2
    provider = ClientCredentialsTokenProvider(token_url, CLIENT_ID, SECRET, refresh_margin=1.5)
    try:
        assert await provider.token() == "token-1"
        await asyncio.sleep(0.6)
        assert await provider.token() == "token-2"
    finally:
        await provider.aclose()


async def test_client_secret_post(token_url: str) -> None:
    """The client can authenticate in the form body instead of Basic auth."""
    provider = ClientCredentialsTokenProvider(
        token_url, CLIENT_ID, SECRET, auth_method="client_secret_post"
    )
    try:
        assert await provider.token() == "token-1"
        assert TokenEndpoint.seen_forms[0]["client_id"] == [CLIENT_ID]
    finally:
        await provider.aclose()


async def test_refused_client_error_names_endpoint_not_secret(token_url: str) -> None:
    """A wrong secret gives one line naming the endpoint, client and OAuth error, no secret."""
    provider = ClientCredentialsTokenProvider(token_url, CLIENT_ID, "wrong-secret")
    try:
        with pytest.raises(TokenError) as caught:
            await provider.token()
    finally:
        await provider.aclose()
    message = str(caught.value)
    assert message == f"token endpoint {token_url} refused client '{CLIENT_ID}': invalid_client"
    assert "wrong-secret" not in message


async def test_unreachable_endpoint_is_a_token_error() -> None:
    """No server listening: a TokenError naming the endpoint."""
    provider = ClientCredentialsTokenProvider("http://127.0.0.1:9/token", CLIENT_ID, SECRET)
    try:
        with pytest.raises(TokenError, match="unreachable"):
            await provider.token()
    finally:
        await provider.aclose()
