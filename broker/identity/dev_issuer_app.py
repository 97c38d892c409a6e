"""The development issuer's HTTP surface (FastAPI): discovery, JWKS, token endpoint.

DEVELOPMENT ONLY (see :mod:`broker.identity.dev_issuer`). The token endpoint reads the
``application/x-www-form-urlencoded`` body itself, so no multipart parser is needed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from broker.identity.dev_issuer import DevIssuer, OAuthError

__all__ = ["create_dev_issuer_app"]

_MAX_FORM_BYTES = 64 * 1024
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def create_dev_issuer_app(issuer: DevIssuer) -> FastAPI:
    """An app serving ``issuer`` on ``/.well-known/openid-configuration``, ``/jwks.json``
    and ``/token``."""
    app = FastAPI(
        title="iom-broker development OIDC issuer (DEVELOPMENT ONLY)",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )

    @app.get("/.well-known/openid-configuration")
    @app.get("/.well-known/oauth-authorization-server")
    def discovery() -> dict[str, Any]:
        return issuer.discovery()

    @app.get("/jwks.json")
    def jwks() -> dict[str, Any]:
        return issuer.jwks()

    @app.post("/token")
    async def token(request: Request) -> JSONResponse:
        body = await request.body()
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        try:
            if content_type != "application/x-www-form-urlencoded":
                raise OAuthError(
                    "invalid_request", "body must be application/x-www-form-urlencoded"
                )
            if len(body) > _MAX_FORM_BYTES:
                raise OAuthError("invalid_request", "request body too large")
            form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            answer = issuer.token_response(form, request.headers.get("authorization"))
        except (UnicodeDecodeError, ValueError):
            return _error(OAuthError("invalid_request", "body is not a valid form"))
        except OAuthError as error:
            return _error(error)
        return JSONResponse(answer, headers=_NO_STORE)

    return app


def _error(error: OAuthError) -> JSONResponse:
    headers = dict(_NO_STORE)
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="iom-dev-issuer"'
    return JSONResponse(
        {"error": error.error, "error_description": error.description},
        status_code=error.status,
        headers=headers,
    )
