"""Every cookie the portal and the console set, for the cookies page: all strictly necessary.

Built from the names the code sets, so renaming a cookie changes the page too; the browser
tests check that each cookie a signed-in person holds is listed here. The session cookies are
named by the request's scheme (``__Host-`` prefixed over HTTPS).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from broker.web.csrf import CSRF_COOKIE
from broker.web.session import LANG_COOKIE
from broker.web.sign_in_pages import state_cookie
from broker.web.signed_in_session import cookie_name

__all__ = ["SiteCookie", "site_cookies"]


@dataclass(frozen=True)
class SiteCookie:
    """A cookie's name, and the text keys saying what it is for and when it goes."""

    name: str
    purpose: str
    expires: str


def site_cookies(request: Request) -> tuple[SiteCookie, ...]:
    """The cookies the site sets, by the names they have on ``request``'s scheme."""
    return (
        SiteCookie(cookie_name(request, "portal"), "cookie_session", "expires_browser"),
        SiteCookie(state_cookie("portal"), "cookie_sign_in", "expires_ten_minutes"),
        SiteCookie(CSRF_COOKIE, "cookie_csrf", "expires_browser"),
        SiteCookie(LANG_COOKIE, "cookie_lang", "expires_year"),
        SiteCookie(cookie_name(request, "console"), "cookie_console", "expires_browser"),
        SiteCookie(state_cookie("console"), "cookie_sign_in", "expires_ten_minutes"),
    )
