"""Every cookie the portal and the console set, for the cookies page: all strictly necessary.

Built from the names the code sets, so renaming a cookie changes the page too; the browser
tests check that each cookie a signed-in person holds is listed here. The session cookies are
listed by their HTTPS names (``__Host-`` prefixed), the only ones a deployment sets.
"""

from __future__ import annotations

from dataclasses import dataclass

from broker.web.csrf import CSRF_COOKIE
from broker.web.session import LANG_COOKIE
from broker.web.sign_in_pages import state_cookie
from broker.web.signed_in_session import AREA_COOKIES, HOST_PREFIX

__all__ = ["SITE_COOKIES", "SiteCookie"]


@dataclass(frozen=True)
class SiteCookie:
    """A cookie's name, and the text keys saying what it is for and when it goes."""

    name: str
    purpose: str
    expires: str


SITE_COOKIES = (
    SiteCookie(HOST_PREFIX + AREA_COOKIES["portal"], "cookie_session", "expires_browser"),
    SiteCookie(state_cookie("portal"), "cookie_sign_in", "expires_ten_minutes"),
    SiteCookie(CSRF_COOKIE, "cookie_csrf", "expires_browser"),
    SiteCookie(LANG_COOKIE, "cookie_lang", "expires_year"),
    SiteCookie(HOST_PREFIX + AREA_COOKIES["console"], "cookie_console", "expires_browser"),
    SiteCookie(state_cookie("console"), "cookie_sign_in", "expires_ten_minutes"),
)
