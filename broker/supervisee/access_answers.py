"""The part of a subject access request's answer the log holds: every entry the person can see
that the request's organisation shared or received, each with its receipt."""

from __future__ import annotations

from broker.http.context import ApiContext
from broker.http.sentences import Language
from broker.identity.principal import Principal
from broker.records.subject_requests import SubjectAccessRequest
from broker.supervisee.disclosures import Disclosure, disclosure_page

__all__ = ["MAX_ANSWER_PAGES", "answer_entries"]

MAX_ANSWER_PAGES = 200
"""At most this many pages of the log are read for one answer (the rest is left out)."""


def answer_entries(
    context: ApiContext, principal: Principal, request: SubjectAccessRequest, lang: Language
) -> list[Disclosure]:
    """The person's visible entries from or to ``request.addressee``, newest first, in
    ``lang``; each read is in the s.62 audit as a consultation."""
    assert principal.subject_ref is not None
    size = context.settings.max_page_size
    found: list[Disclosure] = []
    cursor: str | None = None
    for _ in range(MAX_ANSWER_PAGES):
        page = disclosure_page(
            context, principal, principal.subject_ref, lang, size, cursor,
            request.addressee, None, None,
        )  # fmt: skip
        found += page.items
        cursor = page.next_page
        if cursor is None:
            break
    return found
