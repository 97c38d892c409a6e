"""Receipts in the portal: a page per entry saying what happened, what details went, why, what
the receipt proves and how anyone checks it offline, plus its files.

``/portal/receipts/{id}`` is the page (printable: the portal's print stylesheet);
``…/receipt.json`` is the API's receipt answer, ``…/entry`` the entry's exact bytes and
``…/tlog-proof`` its c2sp.org/tlog-proof@v1, the two files ``iom-broker log verify-proof``
checks against the log's public key shown on the page. Every one is the signed-in person's
own or "Page not found", and each view is in the s.62 audit (:func:`receipt`).
"""

from __future__ import annotations

import base64
import json
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from broker.http.context import ApiContext, api_context
from broker.http.problems import ProblemError
from broker.identity.principal import Principal
from broker.supervisee.disclosures import Disclosure, receipt
from broker.web.rendering import render
from broker.web.session import portal_language, signed_in
from broker.web.timeline_days import uk_time

__all__ = ["router", "verify_command"]

router = APIRouter(prefix="/portal/receipts", include_in_schema=False)

_DISCLOSURE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

Context = Annotated[ApiContext, Depends(api_context)]


async def _person(context: Context, request: Request) -> Principal:
    return await signed_in(context, request)


Person = Annotated[Principal, Depends(_person)]


def verify_command(disclosure_id: str, vkey: str) -> str:
    """The command that checks the receipt's two files offline."""
    name = f"receipt-{disclosure_id}"
    return f'iom-broker log verify-proof --vkey "{vkey}" --entry {name}.entry {name}.tlog-proof'


def _found(
    request: Request, context: ApiContext, person: Principal, disclosure_id: str
) -> Disclosure | None:
    if not _DISCLOSURE_ID.match(disclosure_id):
        return None
    try:
        return receipt(context, person, disclosure_id, portal_language(request))
    except ProblemError:
        return None


def _not_found(request: Request) -> HTMLResponse:
    return render(request, portal_language(request), "not_found.html", status_code=404)


def _file(body: bytes | str, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/{disclosure_id}", response_class=HTMLResponse)
def receipt_page(
    request: Request, context: Context, person: Person, disclosure_id: str
) -> HTMLResponse:
    """One entry's receipt in words, with how to check it; 404 if not yours."""
    found = _found(request, context, person, disclosure_id)
    if found is None:
        return _not_found(request)
    return render(
        request,
        portal_language(request),
        "receipt.html",
        item=found,
        when=uk_time(found.shared_at),
        command=verify_command(disclosure_id, context.log.verifier.vkey),
    )


@router.get("/{disclosure_id}/receipt.json")
def receipt_json(
    request: Request, context: Context, person: Person, disclosure_id: str
) -> Response:
    """The receipt as a JSON file (the API's answer: words, entry bytes, tlog-proof)."""
    found = _found(request, context, person, disclosure_id)
    if found is None:
        return _not_found(request)
    body = json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return _file(body, "application/json", f"receipt-{disclosure_id}.json")


@router.get("/{disclosure_id}/entry")
def receipt_entry(
    request: Request, context: Context, person: Person, disclosure_id: str
) -> Response:
    """The entry's exact bytes, as the log's leaf commits to them."""
    found = _found(request, context, person, disclosure_id)
    if found is None:
        return _not_found(request)
    entry = base64.b64decode(found.receipt.entry)
    return _file(entry, "application/octet-stream", f"receipt-{disclosure_id}.entry")


@router.get("/{disclosure_id}/tlog-proof")
def receipt_proof(
    request: Request, context: Context, person: Person, disclosure_id: str
) -> Response:
    """The entry's c2sp.org/tlog-proof@v1 against the latest signed checkpoint."""
    found = _found(request, context, person, disclosure_id)
    if found is None:
        return _not_found(request)
    return _file(found.receipt.proof, "text/plain", f"receipt-{disclosure_id}.tlog-proof")
