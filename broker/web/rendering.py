"""Jinja2 templates and the page helper every portal and console route renders with."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from broker.http.sentences import Language, long_date
from broker.web.csrf import CSRF_FIELD, csrf_token, keep_nonce
from broker.web.date_filter import DATE_FIELDS
from broker.web.session import portal_language, remember_language
from broker.web.texts import texts
from broker.web.timeline_days import uk_time

__all__ = ["render"]

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.globals["long_date"] = long_date
_ENV.globals["uk_time"] = uk_time
_KEPT = (
    *("agency", "page", "before", "from-org", "to-org", "left", "right", "traffic"),
    *("addressee", "made", "repeated"),
    *DATE_FIELDS,
)
"""Query parameters the language switch keeps (no others are echoed into a page)."""


def _switch_url(request: Request, lang: Language, path: str | None) -> str:
    other = "en" if lang == "cy" else "cy"
    params = [(k, v) for k, v in request.query_params.multi_items() if k in _KEPT]
    return f"{path or request.url.path}?{urlencode([*params, ('lang', other)])}"


def render(
    request: Request,
    lang: Language,
    template: str,
    status_code: int = 200,
    page_path: str | None = None,
    **values: Any,
) -> HTMLResponse:
    """``template`` in ``lang``: words, language switch (to ``page_path`` if given), CSRF token.

    Pages answering a form post name the page to switch language on in ``page_path``.
    """
    token, fresh_nonce = csrf_token(request)
    html = _ENV.get_template(template).render(
        lang=lang,
        t=texts(lang),
        switch_url=_switch_url(request, lang, page_path),
        csrf_field=CSRF_FIELD,
        csrf_token=token,
        **values,
    )
    response = HTMLResponse(html, status_code=status_code)
    if fresh_nonce:
        keep_nonce(request, response, fresh_nonce)
    response.headers["Content-Language"] = lang
    response.headers["Cache-Control"] = "no-store"
    remember_language(request, response, lang)
    return response


async def refused_form(request: Request) -> HTMLResponse:
    """The 403 page for a form post without a valid CSRF token (``broker.web.csrf``)."""
    back = "/console" if request.url.path.startswith("/console") else "/portal"
    lang = portal_language(request)
    return render(request, lang, "form_refused.html", 403, page_path=back, back=back)
