"""An httpx client for an app over a given context (in process, ASGI transport)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from broker.http.context import ApiContext
from broker.server.app import create_app


@asynccontextmanager
async def api_client(context: ApiContext) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a new app over ``context``; the context's records close when it ends."""
    transport = httpx.ASGITransport(app=create_app(context))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
            yield http
    finally:
        context.policies.records.close()
