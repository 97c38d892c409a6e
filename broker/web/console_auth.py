"""Who is using the console: the DPO of the console's session, checked on every request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from broker.http.context import ApiContext, api_context
from broker.identity.principal import Principal, Role
from broker.web.signed_in_session import AREA_COOKIES, session_principal

__all__ = ["CONSOLE_COOKIE", "ConsoleSignedOut", "Context", "Dpo"]

CONSOLE_COOKIE = AREA_COOKIES["console"]

Context = Annotated[ApiContext, Depends(api_context)]


class ConsoleSignedOut(Exception):
    """No valid DPO session: the page sends the DPO to sign in."""


async def _dpo(context: Context, request: Request) -> Principal:
    principal = await session_principal(context, request, "console", Role.DPO)
    if principal is None or principal.agency is None:
        raise ConsoleSignedOut
    return principal


Dpo = Annotated[Principal, Depends(_dpo)]
"""The signed-in DPO (always with an agency)."""
