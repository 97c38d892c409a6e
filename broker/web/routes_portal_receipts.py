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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


def verify_command(disclosure_id: str, vkey: str, witness_keys: Sequence[str] = ()) -> str:
    """The command that checks the receipt's two files offline (and, given witness keys, that
    each of those witnesses cosigned its checkpoint)."""
    name = f"receipt-{disclosure_id}"
    witnesses = "".join(f' --witness "{key}"' for key in witness_keys)
    return (
        f'iom-broker log verify-proof --vkey "{vkey}"{witnesses}'
        f" --entry {name}.entry {name}.tlog-proof"
    )


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


@router.get("/{disclosure_id}", response_class=HTMLResponse)
def receipt_page(
    request: Request, context: Context, person: Person, disclosure_id: str
) -> HTMLResponse:
    """One entry's receipt in words, with how to check it; 404 if not yours."""
    found = _found(request, context, person, disclosure_id)
    if found is None:
        return _not_found(request)
    vkey = context.log.verifier.vkey
    witnesses = found.receipt.witnesses
    return render(
        request,
        portal_language(request),
        "receipt.html",
        item=found,
        when=uk_time(found.shared_at),
        command=verify_command(disclosure_id, vkey),
        witnesses=[(w.name, uk_time(w.signed_at)) for w in witnesses],
        witnesses_configured=bool(context.witnesses),
        witness_command=verify_command(disclosure_id, vkey, [w.key for w in witnesses]),
    )


@dataclass(frozen=True)
class _Download:
    """One file of a receipt: its name's ending, media type and body."""

    suffix: str
    media_type: str
    body: Callable[[Disclosure], bytes | str]


_DOWNLOADS = {
    "receipt.json": _Download(
        "json",
        "application/json",
        lambda found: json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2),
    ),
    "entry": _Download(
        "entry", "application/octet-stream", lambda found: base64.b64decode(found.receipt.entry)
    ),
    "tlog-proof": _Download("tlog-proof", "text/plain", lambda found: found.receipt.proof),
}
"""The receipt's files by URL name: ``receipt.json`` is the API's answer (words, entry bytes,
tlog-proof, witnesses); ``entry`` the exact bytes the log's leaf commits to; ``tlog-proof``
the c2sp.org/tlog-proof@v1 against the receipt's checkpoint."""


@router.get("/{disclosure_id}/{name}")
def receipt_file(
    request: Request, context: Context, person: Person, disclosure_id: str, name: str
) -> Response:
    """One of the receipt's files as a download ``receipt-<id>.<suffix>``; 404 if not yours."""
    download = _DOWNLOADS.get(name)
    found = _found(request, context, person, disclosure_id) if download else None
    if found is None or download is None:
        return _not_found(request)
    filename = f"receipt-{disclosure_id}.{download.suffix}"
    return Response(
        download.body(found),
        media_type=download.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
