"""The independent witnesses a receipt can name: each one's cosignature key and what people call
it in English and Welsh, and which of them vouched for a checkpoint.

The names come from configuration (``transparency.witnesses``: ``vkey``, ``name_en``,
``name_cy``); a witness configured without a name is called by its key's name. Only a
cosignature that verifies against a configured key counts: an unknown or broken one names no
one, so a page never claims a witness that did not sign.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog

from broker.http.sentences import Language
from broker.settings import WitnessSettings
from broker.transparency.cosignature import WitnessVerifier, verify_cosignatures
from broker.transparency.errors import NoteError

__all__ = ["NamedWitness", "Vouch", "named_witnesses", "vouched_by"]

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class NamedWitness:
    """A witness the service trusts: its key and its name in each language."""

    verifier: WitnessVerifier
    name_en: str
    name_cy: str

    def name(self, lang: Language) -> str:
        """What people call this witness in ``lang``."""
        return self.name_cy if lang == "cy" else self.name_en


@dataclass(frozen=True)
class Vouch:
    """A witness whose cosignature of a checkpoint verifies, and when it signed."""

    witness: NamedWitness
    signed_at: datetime


def named_witnesses(configured: Iterable[WitnessSettings]) -> tuple[NamedWitness, ...]:
    """The configured witnesses with their names (the key's name when none is given);
    ValueError naming the setting for a key that does not parse."""
    found = []
    for number, witness in enumerate(configured):
        try:
            verifier = WitnessVerifier.from_vkey(witness.vkey)
        except NoteError as error:
            raise ValueError(f"transparency.witnesses[{number}].vkey: {error}") from None
        english = witness.name_en or verifier.name
        found.append(NamedWitness(verifier, english, witness.name_cy or english))
    return tuple(found)


def vouched_by(note: str, witnesses: Sequence[NamedWitness]) -> list[Vouch]:
    """The configured witnesses that cosigned ``note``, in configuration order; none if a
    cosignature by one of them does not verify (the note is then claimed by no one)."""
    if not witnesses:
        return []
    try:
        cosignatures = verify_cosignatures(note, [w.verifier for w in witnesses])
    except NoteError as error:
        log.warning("witness.cosignature_rejected", error=str(error))
        return []
    by_name = {c.witness: c for c in cosignatures}
    return [
        Vouch(w, datetime.fromtimestamp(by_name[w.verifier.name].timestamp, UTC))
        for w in witnesses
        if w.verifier.name in by_name
    ]
