"""The development issuer's HTTP surface (FastAPI): discovery, JWKS, token endpoint and the
sign-in page (authorization endpoint).

DEVELOPMENT ONLY (see :mod:`broker.devtools.identity.dev_issuer`). Form bodies
(``application/x-www-form-urlencoded``) are read by hand, so no multipart parser is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from broker.devtools.identity.dev_issuer import DevIssuer, OAuthError
from broker.devtools.identity.dev_sign_in import DevSignIn, RedirectedError, SignInPageError

__all__ = ["create_dev_issuer_app"]

_MAX_FORM_BYTES = 64 * 1024
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_PAGE_HEADERS = {
    **_NO_STORE,
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}
_PAGES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "banner": "DEVELOPMENT ONLY: not a real sign-in",
        "title": "Choose who to sign in as",
        "warning": "This page belongs to the iom-broker development issuer. It signs you in as "
        "any test person without a password. It must never be used with real people's data; "
        "a real service uses the agency's own sign-in.",
        "choose": "Development users",
        "choose_error": "Choose a person to sign in as.",
        "nobody": "There are no development users.",
        "submit": "Sign in as this person",
        "problem_title": "Sign-in cannot continue",
        "problem_hint": "Go back to the service and start again.",
    },
    "cy": {
        "banner": "DATBLYGU YN UNIG: nid mewngofnodi go iawn",
        "title": "Dewiswch pwy i fewngofnodi fel",
        "warning": "Mae'r dudalen hon yn perthyn i gyhoeddwr datblygu iom-broker. Mae'n eich "
        "mewngofnodi fel unrhyw berson prawf heb gyfrinair. Rhaid peidio byth â'i defnyddio "
        "gyda data pobl go iawn; mae gwasanaeth go iawn yn defnyddio mewngofnodi'r asiantaeth.",
        "choose": "Defnyddwyr datblygu",
        "choose_error": "Dewiswch berson i fewngofnodi fel.",
        "nobody": "Nid oes defnyddwyr datblygu.",
        "submit": "Mewngofnodi fel y person hwn",
        "problem_title": "Ni all y mewngofnodi barhau",
        "problem_hint": "Ewch yn ôl i'r gwasanaeth a dechrau eto.",
    },
}


def create_dev_issuer_app(issuer: DevIssuer, sign_in: DevSignIn | None = None) -> FastAPI:
    """An app serving ``issuer`` on ``/.well-known/openid-configuration``, ``/jwks.json``
    and ``/token``, and with ``sign_in`` the page at ``/authorize``."""
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
            authorization = request.headers.get("authorization")
            grant = form.get("grant_type")
            if grant == "authorization_code" and sign_in is not None:
                answer = sign_in.exchange(form, authorization)
            elif grant == "refresh_token" and sign_in is not None:
                answer = sign_in.refresh_tokens.redeem(form, authorization)
            else:
                answer = issuer.token_response(form, authorization)
        except (UnicodeDecodeError, ValueError):
            return _error(OAuthError("invalid_request", "body is not a valid form"))
        except OAuthError as error:
            return _error(error)
        return JSONResponse(answer, headers=_NO_STORE)

    if sign_in is not None:
        _add_sign_in(app, sign_in)
    return app


def _add_sign_in(app: FastAPI, sign_in: DevSignIn) -> None:
    @app.get("/authorize", response_class=HTMLResponse)
    def authorize(request: Request) -> Response:
        params = dict(request.query_params)
        lang = "cy" if params.get("ui_locales", "").startswith("cy") else "en"
        try:
            checked = sign_in.check(params)
        except SignInPageError as error:
            return _page(lang, 400, problem=str(error))
        except RedirectedError as error:
            return RedirectResponse(error.location(), status_code=303, headers=_NO_STORE)
        return _page(
            checked.lang,
            200,
            transaction=sign_in.hold(checked),
            users=sign_in.users(),
            missing=False,
        )

    @app.post("/authorize", response_class=HTMLResponse)
    async def choose(request: Request) -> Response:
        body = (await request.body())[:_MAX_FORM_BYTES]
        form = dict(parse_qsl(body.decode("utf-8", "replace"), max_num_fields=10))
        transaction = form.get("transaction", "")
        held = sign_in.held(transaction)
        if held is None:
            return _page("en", 400, problem="this sign-in has expired or is unknown")
        try:
            location = sign_in.approve(transaction, form.get("user", ""))
        except KeyError:
            return _page(
                held.lang, 400, transaction=transaction, users=sign_in.users(), missing=True
            )
        except SignInPageError as error:
            return _page(held.lang, 400, problem=str(error))
        return RedirectResponse(location, status_code=303, headers=_NO_STORE)


def _page(lang: str, status: int, **values: Any) -> HTMLResponse:
    values.setdefault("problem", None)
    html = _PAGES.get_template("dev_sign_in.html").render(lang=lang, t=_TEXTS[lang], **values)
    return HTMLResponse(html, status_code=status, headers=_PAGE_HEADERS)


def _error(error: OAuthError) -> JSONResponse:
    headers = dict(_NO_STORE)
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="iom-dev-issuer"'
    return JSONResponse(
        {"error": error.error, "error_description": error.description},
        status_code=error.status,
        headers=headers,
    )
