"""The information pages', receipts' and requests' texts read simply, and exist in Welsh."""

from __future__ import annotations

import pytest
import textstat  # type: ignore[import-untyped]

from broker.web.texts_receipts import RECEIPT_TEXTS
from broker.web.texts_rights import RIGHTS_TEXTS

_TEXTS = {**RIGHTS_TEXTS["en"], **RECEIPT_TEXTS["en"]}
_WELSH = {**RIGHTS_TEXTS["cy"], **RECEIPT_TEXTS["cy"]}

#: Headings, labels, link texts and contact details, not sentences: the formula says nothing
#: useful about a few words.
_LABEL_PREFIXES = ("footer_", "cookie_", "cookies_name", "cookies_purpose", "cookies_expires")
_LABELS = {
    "back_to_start",
    "cookies_caption",
    "holders_dpo",
    "holders_email",
    "rights_access_link",
    "rights_ico_contact",
    "receipt_page_link",
    "receipt_when",
    "receipt_entry_file",
    "receipt_proof_file",
    "receipt_json_file",
    "receipt_witness_signed",
    "sar_reference",
    "sar_continue",
    "sar_back",
    "sar_check_asking",
    "sar_check_what",
    "sar_check_what_value",
    "sar_check_by",
    "sar_check_by_value",
    "sar_change",
    "sar_send",
    "sar_sent_all",
    "sar_references",
    "sar_reference_one",
    "sar_answer",
    "sar_answer_link",
    "sar_not_yet",
    "answer_download",
    "answer_entries",
}

#: Proper names count as the words people say for them (the formula scores long names as
#: hard words, though a reader knows them as one name).
_NAMES = {
    "Equality and Human Rights Commission": "the EHRC",
    "Equality Advisory and Support Service": "EASS",
    "Web Content Accessibility Guidelines": "WCAG",
    "Information Commissioner's Office": "ICO",
    "Data Protection Act 2018": "the Act",
    "{agency}": "The police",
    "{date}": "6 May",
}


def _prose() -> list[str]:
    return sorted(
        key
        for key in _TEXTS
        if not key.endswith("_title")
        and key not in _LABELS
        and not key.startswith(_LABEL_PREFIXES)
        and not key.startswith("expires_")
    )


@pytest.mark.parametrize("key", _prose())
def test_page_texts_read_at_grade_6_or_below(key: str) -> None:
    """Each English sentence of the new pages scores Flesch-Kincaid grade 6 or less."""
    text = _TEXTS[key]
    for name, said in _NAMES.items():
        text = text.replace(name, said)
    assert textstat.flesch_kincaid_grade(text) <= 6.0, text


def test_every_english_text_has_a_welsh_one() -> None:
    """Welsh is not treated less favourably: no text of these pages exists only in English,
    and a Welsh text keeps the same placeholders."""
    assert set(_TEXTS) == set(_WELSH)
    for key, english in _TEXTS.items():
        for placeholder in ("{agency}", "{date}"):
            assert (placeholder in english) == (placeholder in _WELSH[key]), key


def test_the_rights_page_covers_each_right_and_the_ico() -> None:
    """Access, correction, deletion and limits, objection (where it applies) and a complaint
    to the ICO each have a section, and the ICO's helpline is given."""
    for section in ("access", "correct", "delete", "object", "complain"):
        assert f"rights_{section}_title" in _TEXTS
    assert "0303 123 1113" in _TEXTS["rights_ico_contact"]
    assert "cannot object" in _TEXTS["rights_object_crime"]
