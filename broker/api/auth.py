"""Bearer-token authentication and role checks, as FastAPI dependencies.

Tokens are checked by :class:`~broker.identity.token_validator.TokenValidator`; a refusal is a
401 naming the reason code only (never the token or a claim). A valid caller of the wrong role
gets 403. Supervisee calls also spend a token of their rate-limit bucket (429 when empty).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.identity.principal import Principal, Role
from broker.identity.token_validator import TokenRejected

__all__ = ["authenticated", "require_role", "supervisee"]

_bearer = HTTPBearer(auto_error=False, description="An access token from the IOM issuer.")
_CHALLENGE = 'Bearer realm="iom-broker"'


def authenticated(
    context: Annotated[ApiContext, Depends(api_context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller the bearer token authenticates; 401 without one or with a refused one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ProblemError(
            401,
            "send an access token as 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": _CHALLENGE},
        )
    try:
        return context.validator.validate(credentials.credentials)
    except TokenRejected as error:
        raise ProblemError(
            401,
            f"the access token was refused ({error.reason})",
            headers={"WWW-Authenticate": f'{_CHALLENGE}, error="invalid_token"'},
        ) from None


def require_role(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency admitting only callers with one of ``roles`` (403 otherwise)."""
    allowed = ", ".join(sorted(r.value for r in roles))

    def check(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if principal.role not in roles:
            raise ProblemError(403, f"this needs the role {allowed}, not {principal.role.value}")
        return principal

    return check


def supervisee(
    context: Annotated[ApiContext, Depends(api_context)],
    principal: Annotated[Principal, Depends(require_role(Role.SUPERVISEE))],
) -> Principal:
    """A supervisee caller within their rate limit (429 with ``Retry-After`` otherwise)."""
    assert context.limiter is not None
    wait = context.limiter.take(principal.subject)
    if wait > 0:
        raise ProblemError(
            429,
            "too many requests; wait before asking again",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )
    return principal
