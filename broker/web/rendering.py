"""Jinja2 templates and the page helper every portal route renders with."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from broker.api.sentences import Language, long_date
from broker.web.date_filter import DATE_FIELDS
from broker.web.session import remember_language
from broker.web.texts import texts

__all__ = ["render"]

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.globals["long_date"] = long_date
_KEPT = ("agency", "page", *DATE_FIELDS)
"""Query parameters the language switch keeps (no others are echoed into a page)."""


def _switch_url(request: Request, lang: Language) -> str:
    other = "en" if lang == "cy" else "cy"
    params = [(k, v) for k, v in request.query_params.multi_items() if k in _KEPT]
    return f"{request.url.path}?{urlencode([*params, ('lang', other)])}"


def render(
    request: Request, lang: Language, template: str, status_code: int = 200, **values: Any
) -> HTMLResponse:
    """``template`` in ``lang``, with the words, the language switch and no caching."""
    html = _ENV.get_template(template).render(
        lang=lang, t=texts(lang), switch_url=_switch_url(request, lang), **values
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Language"] = lang
    response.headers["Cache-Control"] = "no-store"
    remember_language(request, response, lang)
    return response
