"""Who is using the console: the signed-in person of the console's session, checked on
every request.

Two roles sign in to the console: a DPO (every page) and a member of an oversight group (the
statistics pages only; any other page answers "not for your role").
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from broker.http.context import ApiContext, api_context
from broker.identity.principal import Principal, Role
from broker.web.signed_in_session import AREA_COOKIES, session_principal

__all__ = [
    "CONSOLE_COOKIE",
    "CONSOLE_ROLES",
    "ConsoleNotForRole",
    "ConsoleSignedOut",
    "ConsoleUser",
    "Context",
    "Dpo",
]

CONSOLE_COOKIE = AREA_COOKIES["console"]
CONSOLE_ROLES = (Role.DPO, Role.OVERSIGHT)
"""The roles that may sign in to the console."""

Context = Annotated[ApiContext, Depends(api_context)]


class ConsoleSignedOut(Exception):
    """No valid console session: the page sends the person to sign in."""


class ConsoleNotForRole(Exception):
    """Signed in, but as a role this page is not for (an oversight member on a DPO page)."""

    def __init__(self, principal: Principal) -> None:
        super().__init__(principal.role.value)
        self.principal = principal


async def _signed_in(context: Context, request: Request) -> Principal:
    principal = await session_principal(context, request, "console", CONSOLE_ROLES)
    if principal is None or (principal.role is Role.DPO and principal.agency is None):
        raise ConsoleSignedOut
    return principal


def _dpo(context: Context, principal: Annotated[Principal, Depends(_signed_in)]) -> Principal:
    if principal.role is not Role.DPO:
        raise ConsoleNotForRole(principal)
    if principal.name is not None:  # so the history can name who proposed or approved
        context.policies.people.remember(principal.subject, principal.name)
    return principal


ConsoleUser = Annotated[Principal, Depends(_signed_in)]
"""The signed-in DPO (always with an agency) or oversight member: the statistics pages."""
Dpo = Annotated[Principal, Depends(_dpo)]
"""The signed-in DPO (always with an agency): every other console page."""
