"""What every console page shows around its content: who is signed in, the menu, the words."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from broker.http.context import ApiContext
from broker.http.sentences import Language, agency_name
from broker.identity.principal import Principal, Role
from broker.policy.policy_words import event_name, field_name
from broker.policy.reasons import reason_text
from broker.policy.retention_words import retention_words
from broker.web.rendering import render
from broker.web.session import portal_language

__all__ = ["console_page", "not_found", "term_name"]


def term_name(lang: Language) -> Any:
    """A template helper: a vocabulary term's name in ``lang`` (its id if unknown)."""

    def term(terms: Any, term_id: str) -> str:
        found = terms.get(term_id)
        if found is None:
            return term_id
        return str(found.name_cy if lang == "cy" else found.name_en)

    return term


def console_page(
    request: Request,
    context: ApiContext,
    dpo: Principal,
    template: str,
    nav: str,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    """A console page in the request's language, with the menu (``nav`` is the current item;
    an oversight member's menu has the statistics only)."""
    lang = portal_language(request)

    def agency(agency_id: str) -> str:
        return agency_name(context.agencies, agency_id, lang)

    return render(
        request,
        lang,
        template,
        status_code=status_code,
        nav=nav,
        dpo_agency=dpo.agency or "",
        oversight=dpo.role is Role.OVERSIGHT,
        agency=agency,
        term=term_name(lang),
        reason=lambda code: reason_text(code, lang),
        field=lambda path: field_name(path, lang),
        event=lambda event_type: event_name(event_type, lang),
        kept=lambda retention: retention_words(retention, lang),
        purposes=context.vocabulary.purposes,
        legal_bases=context.vocabulary.legal_bases,
        **values,
    )


def not_found(request: Request) -> HTMLResponse:
    """The console's "Page not found"."""
    lang = portal_language(request)
    return render(request, lang, "not_found.html", 404, page_path="/console", back="/console")
