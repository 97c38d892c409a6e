"""Outermost ASGI middleware: bounded request bodies, and a bare 500 for anything unexpected.

A body larger than the limit (by ``Content-Length`` or as it streams) gets 413. An exception
no handler turned into a response is logged by type only and answered with a problem document
that says nothing about the internals.
"""

from __future__ import annotations

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from broker.http.problems import problem_response

__all__ = ["GuardMiddleware"]

log = structlog.get_logger(__name__)


class _BodyTooLarge(Exception):
    """The streamed body passed the limit."""


class GuardMiddleware:
    """Limit body sizes and hide unexpected failures behind a generic 500 problem."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        for name, value in scope.get("headers", []):
            if name == b"content-length" and (not value.isdigit() or int(value) > limit):
                await self._send(scope, receive, send, 413, f"bodies are limited to {limit} bytes")
                return
        received = 0
        started = False

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, bounded_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await self._send(scope, receive, send, 413, f"bodies are limited to {limit} bytes")
        except Exception as error:
            log.error("api.unhandled_error", error_type=type(error).__name__)
            if not started:
                await self._send(
                    scope, receive, send, 500, "the server could not answer; try again later"
                )

    @staticmethod
    async def _send(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
        await problem_response(status, detail)(scope, receive, send)
