"""CSRF protection for every form of the portal and the console: a session-bound signed token.

Each browser gets a random nonce in the ``iom_csrf`` cookie (``HttpOnly``, ``SameSite=Strict``).
A page's forms carry ``HMAC-SHA256(key, nonce, session cookie)`` in a hidden ``csrf_token``
field (scripts send it as ``X-CSRF-Token``). :class:`CsrfMiddleware` checks every ``POST``
under ``/portal`` and ``/console`` before any route runs: a missing or wrong token is a 403
page. Another site can neither read the nonce nor compute the token (the key never leaves the
server), and a token minted for one session is refused in another. The key is random per
process unless one is given, so a restart only asks people to reload the form.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from broker.web.signed_in_session import cookie_name

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "CsrfMiddleware",
    "CsrfSigner",
    "csrf_token",
    "install_csrf",
    "keep_nonce",
]

CSRF_COOKIE = "iom_csrf"
CSRF_FIELD = "csrf_token"
_MAX_FIELDS = 500
"""Fields of a posted form read to find the token (the console's rule form has many)."""
CSRF_HEADER = "x-csrf-token"
_NONCE_BYTES = 32
_MAX_COOKIE = 64
_PROTECTED = ("/portal", "/console")

Refusal = Callable[[Request], Awaitable[Response]]
"""Builds the 403 page for a refused request."""


def _area(path: str) -> str | None:
    for prefix in _PROTECTED:
        if path == prefix or path.startswith(prefix + "/"):
            return prefix
    return None


class CsrfSigner:
    """Mints and checks tokens with one secret key."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def token(self, nonce: str, session: str) -> str:
        """The token for a browser's ``nonce`` and its current ``session`` cookie value."""
        mac = hmac.new(self._key, digestmod=hashlib.sha256)
        for part in (nonce, session):
            encoded = part.encode()
            mac.update(len(encoded).to_bytes(8, "big"))
            mac.update(encoded)
        return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")

    def valid(self, given: str, nonce: str, session: str) -> bool:
        """Whether ``given`` is the token for this nonce and session (constant time)."""
        if not given or not nonce or len(nonce) > _MAX_COOKIE:
            return False
        return hmac.compare_digest(given.encode(), self.token(nonce, session).encode())


def _signer(request: Request) -> CsrfSigner:
    signer = request.app.state.csrf
    assert isinstance(signer, CsrfSigner), "install_csrf was not called"
    return signer


def _session(request: Request) -> str:
    area = _area(request.url.path)
    if area is None:
        return ""
    return request.cookies.get(
        cookie_name(request, "portal" if area == "/portal" else "console"), ""
    )


def csrf_token(request: Request) -> tuple[str, str | None]:
    """The token for this page's forms, and a new nonce to keep (None when it has one)."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    fresh = None
    if not nonce or len(nonce) > _MAX_COOKIE:
        nonce = fresh = secrets.token_urlsafe(_NONCE_BYTES)
    return _signer(request).token(nonce, _session(request)), fresh


def keep_nonce(request: Request, response: Response, nonce: str) -> None:
    """Set the browser's nonce cookie (for every page of the site, same-site requests only)."""
    response.set_cookie(
        CSRF_COOKIE,
        nonce,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def install_csrf(app: FastAPI, refusal: Refusal, key: bytes | None = None) -> None:
    """Check every form post of ``app``'s portal and console; refused ones get ``refusal``."""
    signer = CsrfSigner(key)
    app.state.csrf = signer
    app.add_middleware(CsrfMiddleware, refusal=refusal, signer=signer)


class CsrfMiddleware:
    """Refuse a ``POST`` under ``/portal`` or ``/console`` without the right token."""

    def __init__(self, app: ASGIApp, refusal: Refusal, signer: CsrfSigner) -> None:
        self.app = app
        self.refusal = refusal
        self.signer = signer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("POST", "PUT", "PATCH", "DELETE")
            or _area(scope["path"]) is None
        ):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        request = Request(scope)
        given = request.headers.get(CSRF_HEADER) or _form_token(request, body)
        nonce = request.cookies.get(CSRF_COOKIE, "")
        if not self.signer.valid(given, nonce, _session(request)):
            response = await self.refusal(request)
            await response(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _form_token(request: Request, body: bytes) -> str:
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return ""
    try:
        fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=_MAX_FIELDS)
    except ValueError:
        return ""
    return fields.get(CSRF_FIELD, [""])[0]


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
