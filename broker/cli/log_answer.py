"""The readable part of ``iom-broker log export``: the portal's subject access answer bundle.

The export's entries, told in English and in Welsh by the same renderer as the portal's
answer (:func:`broker.web.answer_bundle.answer_zip`), each with the receipt files
``iom-broker log verify-proof`` checks offline. Imported only by the export command (it loads
the page templates and the policy vocabularies).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from broker.agency_registry import load_agencies
from broker.domain.agency import AgencyDirectory
from broker.http.sentences import Language
from broker.http.witness_names import named_witnesses, vouched_by
from broker.policy.policy_set import parse_policy_set
from broker.policy.vocabulary import Vocabulary
from broker.policy_admin.policy_directory import read_policy_source
from broker.records.subject_requests import SarStatus, SubjectAccessRequest
from broker.settings import Settings
from broker.supervisee.disclosures import Disclosure, disclosure_in_words
from broker.transparency.export import ExportSummary
from broker.transparency.log import TransparencyLog
from broker.web.answer_bundle import answer_zip
from broker.web.timeline_days import uk_time

__all__ = ["ANSWER_FILE", "AnswerSettingError", "AnswerWords", "answer_words", "write_answer"]

ANSWER_FILE = "answer.zip"
"""The readable answer's name in the export folder."""


class AnswerSettingError(ValueError):
    """The policy files the answer's words come from cannot be used."""


@dataclass(frozen=True)
class AnswerWords:
    """What entries are told with: the agency registry and the policy's vocabularies."""

    agencies: AgencyDirectory
    vocabulary: Vocabulary


def answer_words(settings: Settings) -> AnswerWords:
    """The registry and vocabularies of ``settings``; raises ValueError (one line) if they
    cannot be read (checked before anything is exported)."""
    policy_set, problems = parse_policy_set(read_policy_source(settings.policy_file))
    if policy_set is None:
        raise AnswerSettingError(str(problems[0]) if problems else str(settings.policy_file))
    return AnswerWords(load_agencies(settings.agencies_file), policy_set.vocabulary)


def write_answer(
    words: AnswerWords,
    settings: Settings,
    log: TransparencyLog,
    subject_ref: str,
    summary: ExportSummary,
    folder: Path,
    reference: str,
) -> Path:
    """Write ``folder/answer.zip``: ``summary``'s entries in words in both languages, with
    their receipts, answered today (UK date)."""
    today = uk_time(log.clock()).date()
    assert summary.checkpoint is not None
    vouches = vouched_by(
        log.cosigned_note(summary.checkpoint), named_witnesses(settings.transparency.witnesses)
    )
    items: dict[Language, list[Disclosure]] = {
        lang: [
            disclosure_in_words(
                words.agencies, words.vocabulary, i.index, i.entry, i.content, i.proof, lang,
                vouches,
            )
            for i in summary.written
        ]
        for lang in ("en", "cy")
    }  # fmt: skip
    answered = SubjectAccessRequest(
        request_id="",
        subject_ref=subject_ref,
        addressee="",
        received_on=today,
        status=SarStatus.ANSWERED,
        completed_on=today,
        reference=reference,
    )
    path = folder / ANSWER_FILE
    path.write_bytes(answer_zip(answered, None, items, log.verifier.vkey))
    return path
