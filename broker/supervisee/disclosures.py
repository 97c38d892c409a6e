"""What a supervisee sees of the log: their disclosures page by page, and one entry's receipt.

The JSON API (``/me/disclosures``…) and the portal's pages both answer from here, so they show
exactly the same entries, sentences, receipts and s.62 audit records. Refusals, erased entries
and entries under an s.45(4) restriction are left out without trace (see
``broker.transparency.subject_view``); asking for someone else's is refused and audited.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from broker.domain.agency import AgencyDirectory
from broker.http.context import ApiContext
from broker.http.plain_account import plain_account
from broker.http.problems import ProblemError
from broker.http.sentences import Language, agency_name, disclosure_sentence
from broker.http.witness_names import Vouch, vouched_by
from broker.identity.principal import Principal
from broker.policy.vocabulary import Vocabulary
from broker.transparency.audit import CONSULTATION, audit_event
from broker.transparency.entry import LogEntry, decode_entry
from broker.transparency.store.protocol import StoredCheckpoint, SubjectPage
from broker.transparency.subject_view import SubjectEntry, subject_view

__all__ = [
    "FIRST_PAGE",
    "Disclosure",
    "DisclosurePage",
    "Named",
    "PlainParts",
    "Receipt",
    "TimelineFilter",
    "VouchingWitness",
    "agencies_in_log",
    "disclosure_in_words",
    "disclosure_page",
    "newer_page",
    "own_subject",
    "receipt",
]

_MAX_SCANS = 10
FIRST_PAGE = ""
"""What :func:`newer_page` answers when the newer page is the first one (no token)."""


class Named(BaseModel):
    """A vocabulary term or agency: its id and its name in the chosen language."""

    id: str
    name: str
    explanation: str | None = None


class VouchingWitness(BaseModel):
    """An independent body (a witness) whose cosignature of the proof's checkpoint verifies."""

    name: str
    """What people call it, in the chosen language."""
    key: str
    """Its cosignature key (``iom-broker log verify-proof --witness KEY``)."""
    signed_at: datetime


class Receipt(BaseModel):
    """What proves the entry is in the log: its exact bytes and a c2sp.org/tlog-proof@v1."""

    entry: str
    """The entry's canonical bytes, base64."""
    proof: str
    witnesses: list[VouchingWitness] = []
    """The witnesses that vouched for the proof's checkpoint (empty: no one claims it yet)."""


class PlainParts(BaseModel):
    """The entry told plainly: who told whom what, the details, why, and the law apart."""

    told: str
    shared: str
    kept_back: str | None
    special: str | None
    why: str | None
    law: str | None
    law_explanation: str | None


class Disclosure(BaseModel):
    """One disclosure about the caller."""

    disclosure_id: str
    index: int
    shared_at: datetime
    occurred_at: datetime
    event_type: str
    sentence: str
    source_agency: Named
    recipient_agency: Named
    purpose: Named | None
    legal_basis: Named | None
    fields_shared: list[str]
    field_transforms: dict[str, str] = {}
    """How each shared field was changed (``generalise``, ``mask``, ``pseudonymise``)."""
    fields_withheld: list[str] = []
    """Payload fields that held a value but were not shared (recorded since entry v2)."""
    plain: PlainParts
    retention: str | None
    receipt: Receipt


class DisclosurePage(BaseModel):
    """A page of disclosures, newest first; ask again with ``page=next_page`` for more."""

    lang: Language
    items: list[Disclosure]
    next_page: str | None
    checkpoint: str


def _term(terms: Any, term_id: str | None, lang: Language) -> Named | None:
    term = terms.get(term_id or "")
    if term is None:
        return None
    cy = lang == "cy"
    return Named(
        id=term.term_id,
        name=term.name_cy if cy else term.name_en,
        explanation=term.explanation_cy if cy else term.explanation_en,
    )


def _vouching(vouches: list[Vouch], lang: Language) -> list[VouchingWitness]:
    return [
        VouchingWitness(
            name=v.witness.name(lang), key=v.witness.verifier.vkey, signed_at=v.signed_at
        )
        for v in vouches
    ]


def disclosure_in_words(
    agencies: AgencyDirectory,
    vocabulary: Vocabulary,
    index: int,
    entry: LogEntry,
    content: bytes,
    proof: str,
    lang: Language,
    vouches: list[Vouch],
) -> Disclosure:
    """Entry ``index`` told in ``lang``, with its receipt (``proof``) and who vouched for it."""
    return Disclosure(
        disclosure_id=entry.disclosure_id,
        index=index,
        shared_at=entry.decided_at,
        occurred_at=entry.occurred_at,
        event_type=entry.event_type,
        sentence=disclosure_sentence(entry, lang, agencies, vocabulary),
        source_agency=Named(
            id=entry.source_agency, name=agency_name(agencies, entry.source_agency, lang)
        ),
        recipient_agency=Named(
            id=entry.recipient_agency,
            name=agency_name(agencies, entry.recipient_agency, lang),
        ),
        purpose=_term(vocabulary.purposes, entry.purpose, lang),
        legal_basis=_term(vocabulary.legal_bases, entry.legal_basis, lang),
        fields_shared=list(entry.fields_shared),
        field_transforms=dict(entry.field_transforms),
        fields_withheld=list(entry.fields_withheld),
        plain=PlainParts(**vars(plain_account(entry, lang, agencies, vocabulary))),
        retention=entry.retention,
        receipt=Receipt(
            entry=base64.b64encode(content).decode("ascii"),
            proof=proof,
            witnesses=_vouching(vouches, lang),
        ),
    )


def _actor(principal: Principal) -> str:
    return f"supervisee:{principal.subject}"


def own_subject(context: ApiContext, principal: Principal, subject_ref: str) -> str:
    if not principal.may_see_subject(subject_ref):
        log = context.log
        log.store.append_audit(
            [
                audit_event(
                    log.clock(),
                    _actor(principal),
                    CONSULTATION,
                    log.subject_index(subject_ref),
                    refused=True,
                    reason="not_own_subject",
                )
            ]
        )
        raise ProblemError(403, "you can only see what was shared about you")
    return subject_ref


@dataclass(frozen=True)
class TimelineFilter:
    """Which entries a timeline shows: from or to ``agency``, from ``source``, to
    ``recipient``, shared on or after ``since`` and on or before ``until`` (each optional)."""

    agency: str | None = None
    since: date | None = None
    until: date | None = None
    source: str | None = None
    recipient: str | None = None

    def wants(self, entry: LogEntry) -> bool:
        """The entry passes every filter given."""
        shared_on = entry.decided_at.date()
        return (
            (not self.agency or self.agency in (entry.source_agency, entry.recipient_agency))
            and (not self.source or self.source == entry.source_agency)
            and (not self.recipient or self.recipient == entry.recipient_agency)
            and (self.since is None or shared_on >= self.since)
            and (self.until is None or shared_on <= self.until)
        )


def agencies_in_log(
    context: ApiContext, subject_ref: str, limit: int = 5000
) -> dict[str, set[str]]:
    """The agencies that appear in the person's visible entries: ``{"from": ..., "to": ...}``.

    Reads the store directly (no proofs, not a consultation of the entries themselves), so the
    timeline's filters offer only organisations that shared or received something about them.
    """
    log = context.log
    rows = log.store.subject_entries(log.subject_index(subject_ref), limit)
    found: dict[str, set[str]] = {"from": set(), "to": set()}
    for row in rows:
        if row.content is None:
            continue
        entry = decode_entry(row.content)
        found["from"].add(entry.source_agency)
        found["to"].add(entry.recipient_agency)
    return found


def disclosure_page(
    context: ApiContext,
    principal: Principal,
    subject_ref: str,
    lang: Language,
    page_size: int,
    page: str | None,
    agency: str | None,
    since: date | None,
    until: date | None,
    source: str | None = None,
    recipient: str | None = None,
) -> DisclosurePage:
    size = min(page_size, context.settings.max_page_size)
    wanted = TimelineFilter(agency, since, until, source, recipient)
    found: list[SubjectEntry] = []
    checkpoint: StoredCheckpoint | None = None
    cursor = page
    for _ in range(_MAX_SCANS):
        try:
            view = subject_view(
                context.log, subject_ref, _actor(principal), size - len(found), cursor, checkpoint
            )
        except ValueError:
            raise ProblemError(400, "page: not a page token this service issued") from None
        checkpoint, cursor = view.checkpoint, view.next_page
        older = [i for i in view.entries if since is not None and i.entry.decided_at.date() < since]
        found += [i for i in view.entries if i not in older and wanted.wants(i.entry)]
        if older:
            cursor = None
        if cursor is None or len(found) >= size:
            break
    assert checkpoint is not None
    note = context.log.cosigned_note(checkpoint)
    vouches = vouched_by(note, context.witnesses)
    items = [
        disclosure_in_words(
            context.agencies,
            context.vocabulary,
            i.index,
            i.entry,
            i.content,
            i.proof,
            lang,
            vouches,
        )
        for i in found
    ]
    return DisclosurePage(lang=lang, items=items, next_page=cursor, checkpoint=note)


def newer_page(
    context: ApiContext,
    subject_ref: str,
    page_size: int,
    page: str | None,
    wanted: TimelineFilter,
) -> str | None:
    """The token of the page just newer than the one ``page`` opens, under the same filters
    (:data:`FIRST_PAGE` when that is the first page); None when ``page`` is the first page or
    not a token this service issued.

    ``page`` names the last entry the newer page scanned, so the newer page's entries are the
    ``page_size`` nearest ones from there up; read from the store without proofs (nothing is
    shown, so nothing is audited), at most ``_MAX_SCANS`` reads.
    """
    decided, dot, index = (page or "").partition(".")
    if not (dot and decided.isdigit() and index.isdigit()):
        return None
    log = context.log
    subject = log.subject_index(subject_ref)
    size = min(page_size, context.settings.max_page_size)
    cursor = SubjectPage(int(decided), int(index) - 1)  # from that entry itself, upwards
    found = []
    for _ in range(_MAX_SCANS):
        rows = log.store.subject_entries_newer(subject, size + 1, cursor)
        found += [
            row
            for row in rows
            if row.content is not None and wanted.wants(decode_entry(row.content))
        ]
        if len(found) > size or len(rows) <= size:
            break
        cursor = SubjectPage(rows[-1].decided_at_ms, rows[-1].index)
    if len(found) <= size:
        return FIRST_PAGE
    newest = found[size - 1]
    return f"{newest.decided_at_ms}.{newest.index + 1}"


def receipt(
    context: ApiContext, principal: Principal, disclosure_id: str, lang: Language
) -> Disclosure:
    """One of the person's entries with a tlog-proof against the latest checkpoint, audited;
    404 when it is not theirs (or hidden from them)."""
    assert principal.subject_ref is not None
    log = context.log
    subject = log.subject_index(principal.subject_ref)
    stored = log.store.entry_by_disclosure(disclosure_id)
    hidden = (
        stored is None
        or stored.subject != subject
        or not stored.permitted
        or stored.content is None
        or any(r.active for r in log.store.restrictions(stored.index))
    )
    if hidden or stored is None or stored.content is None:
        raise ProblemError(404, "no such disclosure about you")
    checkpoint = _receipt_checkpoint(context, stored.index)
    proof = log.tlog_proof(
        stored.index, checkpoint, log.inclusion_proof(stored.index, checkpoint.size)
    )
    log.store.append_audit(
        [audit_event(log.clock(), _actor(principal), CONSULTATION, subject, entries=1)]
    )
    entry = decode_entry(stored.content)
    vouches = vouched_by(log.cosigned_note(checkpoint), context.witnesses)
    return disclosure_in_words(
        context.agencies,
        context.vocabulary,
        stored.index,
        entry,
        stored.content,
        proof,
        lang,
        vouches,
    )


def _receipt_checkpoint(context: ApiContext, index: int) -> StoredCheckpoint:
    """The latest checkpoint, or, while the witnesses have not cosigned it yet, the newest one
    they did cosign that holds entry ``index`` (so a receipt can name who vouched for it)."""
    log = context.log
    latest = log.publish_checkpoint()
    if not context.witnesses or log.store.cosignatures(latest.size):
        return latest
    cosigned = [size for size in log.store.cosigned_sizes().values() if size > index]
    if not cosigned:
        return latest
    newest = max(cosigned)
    return next((c for c in log.store.checkpoints() if c.size == newest), latest)
