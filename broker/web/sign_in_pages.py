"""The sign-in pages the portal and the console share: start, callback, sign out.

``/<area>/sign-in`` explains and offers a button; ``/<area>/sign-in/start`` sends the browser
to the IdP with a fresh ``state`` kept in a short-lived HttpOnly cookie (``SameSite=Lax``: it
must come back on the IdP's top-level redirect); ``/<area>/signed-in`` is the registered
redirect URI. On success the tokens go into a new server-side session whose opaque id is the
area's cookie (:mod:`broker.web.signed_in_session`) and a small page moves on to the area's
first page. ``/<area>/sign-out`` deletes the session, revokes its refresh token where the
provider offers revocation and, where it offers RP-initiated logout, sends the browser on to
end the provider's session too (through a page that refreshes to it: the content security
policy lets forms post only to this site, redirects after a post included).
"""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from broker.http.context import ApiContext, api_context
from broker.identity.principal import Role
from broker.identity.sign_in_flow import SIGNED_OUT_PATHS, Area, SignInFailed
from broker.identity.token_validator import TokenRejected
from broker.web.rendering import render
from broker.web.session import portal_language
from broker.web.signed_in_session import end_session, forget_cookie, start_session

__all__ = [
    "finish_sign_in",
    "sign_in_page",
    "sign_in_routes",
    "sign_out",
    "start_sign_in",
    "state_cookie",
]

_STATE_MAX_AGE_S = 600
_MAX_PARAM = 2048

log = structlog.get_logger(__name__)


_Context = Annotated[ApiContext, Depends(api_context)]


def state_cookie(area: Area) -> str:
    """The name of the cookie holding the pending sign-in's ``state``."""
    return f"iom_{area}_sign_in"


def sign_in_page(
    request: Request, context: ApiContext, area: Area, *, error: bool = False
) -> HTMLResponse:
    """The page with the sign-in button (and an error summary after a failed attempt)."""
    flow = context.sign_in
    return render(
        request,
        portal_language(request),
        "sign_in.html",
        status_code=400 if error else (200 if flow else 503),
        error=error,
        console=area == "console",
        available=flow is not None,
        development=flow is None or flow.development,
    )


def start_sign_in(request: Request, context: ApiContext, area: Area) -> Response:
    """Redirect to the IdP's authorization endpoint, remembering ``state`` in a cookie."""
    flow = context.sign_in
    if flow is None:
        return sign_in_page(request, context, area)
    lang = portal_language(request)
    redirect_uri = flow.redirect_uri(str(request.base_url), area)
    url, state = flow.begin(redirect_uri, area, lang)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        state_cookie(area),
        state,
        max_age=_STATE_MAX_AGE_S,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path=f"/{area}",
    )
    return response


async def finish_sign_in(
    request: Request, context: ApiContext, area: Area, roles: tuple[Role, ...]
) -> Response:
    """The redirect URI: check state, exchange the code, start a session if the access token
    is of one of ``roles`` (a DPO's must name an agency); otherwise show the sign-in page with
    an error."""
    flow = context.sign_in
    if flow is None:
        return sign_in_page(request, context, area)
    query = request.query_params
    try:
        signed = await flow.finish(
            area,
            state=query.get("state", "")[:_MAX_PARAM] or None,
            expected_state=request.cookies.get(state_cookie(area)),
            code=query.get("code", "")[:_MAX_PARAM] or None,
            error=query.get("error", "")[:_MAX_PARAM] or None,
        )
        try:
            principal, expires = context.validator.validate_expiring(signed.tokens.access_token)
        except TokenRejected as rejected:
            raise SignInFailed(f"access_token_{rejected.reason}") from None
        if principal.role not in roles or principal.subject != signed.subject:
            raise SignInFailed("wrong_role_or_person")
        if principal.role is Role.DPO and principal.agency is None:
            raise SignInFailed("dpo_without_agency")
    except SignInFailed as failed:
        log.info("web.sign_in_refused", area=area, reason=failed.reason)
        response: Response = sign_in_page(request, context, area, error=True)
    else:
        response = render(request, portal_language(request), "signed_in.html", next_url=f"/{area}")
        await start_session(request, response, context, area, signed.tokens, expires, principal)
    response.delete_cookie(state_cookie(area), path=f"/{area}")
    return response


async def sign_out(request: Request, context: ApiContext, area: Area) -> Response:
    """End the browser's session here and, where the provider allows, there too."""
    lang = portal_language(request)
    after = SIGNED_OUT_PATHS[area]
    tokens = await end_session(context, request, area)
    flow = context.sign_in
    logout = None
    if tokens is not None and flow is not None:
        await flow.revoke(tokens)
        back = flow.redirect_uri(str(request.base_url), area, after)
        logout = flow.logout_url(tokens, back, lang)
    response: Response
    if logout is None:
        response = RedirectResponse(f"/{area}/{after}", status_code=303)
    else:
        response = render(
            request, lang, "signed_in.html", next_url=logout, title_key="signed_out_title"
        )
    forget_cookie(request, response, area)
    return response


def sign_in_routes(area: Area, roles: tuple[Role, ...]) -> APIRouter:
    """``area``'s sign-in page, start, redirect URI and sign-out, for sessions of ``roles``."""
    routes = APIRouter(prefix=f"/{area}", include_in_schema=False)

    @routes.get("/sign-in", response_class=HTMLResponse)
    def sign_in(request: Request, context: _Context) -> HTMLResponse:
        """The sign-in page: one button that goes to the identity provider."""
        return sign_in_page(request, context, area)

    @routes.get("/sign-in/start")
    def sign_in_start(request: Request, context: _Context) -> Response:
        """Send the person to the identity provider (authorization code with PKCE)."""
        return start_sign_in(request, context, area)

    @routes.get("/signed-in")
    async def signed_in_callback(request: Request, context: _Context) -> Response:
        """The redirect URI: on success the session starts and the area's first page follows."""
        return await finish_sign_in(request, context, area, roles)

    @routes.post("/sign-out")
    async def sign_out_route(request: Request, context: _Context) -> Response:
        """End the session; the portal then says "You have signed out"."""
        return await sign_out(request, context, area)

    @routes.get("/signed-out", response_class=HTMLResponse)
    def signed_out(request: Request) -> HTMLResponse:
        """Say "You have signed out", with a link to sign in again."""
        lang = portal_language(request)
        return render(request, lang, "signed_out.html", sign_in_url=f"/{area}/sign-in")

    return routes
