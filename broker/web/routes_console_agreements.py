"""The console's agreements in words: an index, a page per agreement and a page per rule.

Everything is said in the page's language with the names a DPO reads (agencies, events,
details, purposes, laws, "2 years"), conditions and transforms in words, through the same
renderer as the change in words (:func:`broker.policy.change_in_words.agreement_in_words`).
Titles and rule descriptions come from the agreement file (``title_cy``, ``description_cy``
in Welsh). A review date that has passed, or falls within :data:`REVIEW_SOON_DAYS`, is tagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from broker.http.context import ApiContext
from broker.policy.agreement import Agreement
from broker.policy.change_in_words import AgreementInWords, agreement_in_words
from broker.web.console_auth import Context, Dpo
from broker.web.console_pages import console_page, not_found
from broker.web.session import portal_language

__all__ = ["REVIEW_SOON_DAYS", "AgreementCard", "agreement_cards", "review_state", "router"]

router = APIRouter(prefix="/console", include_in_schema=False)

REVIEW_SOON_DAYS = 90

ReviewState = Literal["overdue", "soon", "ok", "none"]


def review_state(review_date: date | None, today: date) -> ReviewState:
    """``overdue`` once passed, ``soon`` within :data:`REVIEW_SOON_DAYS`, else ``ok``."""
    if review_date is None:
        return "none"
    if review_date < today:
        return "overdue"
    return "soon" if review_date <= today + timedelta(days=REVIEW_SOON_DAYS) else "ok"


@dataclass(frozen=True)
class AgreementCard:
    """One agreement as the console shows it: the file's facts and its words."""

    agreement: Agreement
    words: AgreementInWords
    review: ReviewState


def agreement_cards(context: ApiContext, request: Request) -> list[AgreementCard]:
    """Every agreement of the current policy in the request's language."""
    lang = portal_language(request)
    policy = context.policies.policy_set
    today = context.log.clock().date()
    return [
        AgreementCard(
            agreement,
            agreement_in_words(agreement, policy, context.agencies, lang),
            review_state(agreement.review_date, today),
        )
        for agreement in policy.agreements
    ]


def _card(context: ApiContext, request: Request, agreement_id: str) -> AgreementCard | None:
    return next(
        (c for c in agreement_cards(context, request) if c.agreement.agreement_id == agreement_id),
        None,
    )


@router.get("/agreements/{agreement_id}", response_class=HTMLResponse)
def agreement_page(request: Request, context: Context, dpo: Dpo, agreement_id: str) -> Response:
    """One agreement: its facts, a contents list and every rule in words."""
    card = _card(context, request, agreement_id)
    if card is None:
        return not_found(request)
    return console_page(request, context, dpo, "agreement.html", "agreements", card=card)


@router.get("/agreements/{agreement_id}/rules/{rule_id}", response_class=HTMLResponse)
def rule_page(
    request: Request, context: Context, dpo: Dpo, agreement_id: str, rule_id: str
) -> Response:
    """One rule in words: who, what, why, under which law, how long, when, how each detail goes."""
    card = _card(context, request, agreement_id)
    rule = (
        None if card is None else next((r for r in card.words.rules if r.rule_id == rule_id), None)
    )
    if card is None or rule is None:
        return not_found(request)
    return console_page(request, context, dpo, "rule.html", "agreements", card=card, rule=rule)
