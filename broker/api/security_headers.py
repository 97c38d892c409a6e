"""Outermost ASGI middleware: the browser security headers on every response.

HTML pages (portal, console, ``/docs``) get a strict Content-Security-Policy: scripts, styles,
fonts and fetches from this origin only, no inline script or style, no plugins, no ``<base>``,
forms post only here, and no page may frame them (``frame-ancestors 'none'``, with
``X-Frame-Options: DENY`` for older browsers). Every other response gets ``default-src 'none'``.
Every response gets ``nosniff`` and ``Referrer-Policy: no-referrer`` (a URL never leaks to
another site), and ``Strict-Transport-Security`` when it went out over HTTPS. A header a
route set itself is left alone.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HSTS", "OTHER_POLICY", "PAGE_POLICY", "SecurityHeadersMiddleware"]

PAGE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
"""The policy of HTML pages. ``data:`` images are the icons inside Swagger UI's stylesheet."""

OTHER_POLICY = "default-src 'none'; frame-ancestors 'none'"
"""The policy of JSON, files and everything else: nothing may load, nothing may frame it."""

HSTS = "max-age=31536000; includeSubDomains"
"""One year, as the NCSC and GOV.UK service manual advise; sent only over HTTPS."""

_ALWAYS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)


class SecurityHeadersMiddleware:
    """Add the security headers to each HTTP response that does not already carry them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_security_headers(MutableHeaders(scope=message), https=https)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add_security_headers(headers: MutableHeaders, *, https: bool) -> None:
    """Set each security header ``headers`` lacks (the CSP by whether the body is HTML)."""
    html = headers.get("content-type", "").startswith("text/html")
    wanted = [*_ALWAYS, ("Content-Security-Policy", PAGE_POLICY if html else OTHER_POLICY)]
    if https:
        wanted.append(("Strict-Transport-Security", HSTS))
    for name, value in wanted:
        if name not in headers:
            headers[name] = value
