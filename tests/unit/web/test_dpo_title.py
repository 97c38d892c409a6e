"""The page about who holds your information names each DPO properly in both languages."""

from __future__ import annotations

from broker.web.routes_portal_info import dpo_title
from tests.unit.identity.keys import agencies


def test_english_uses_the_registrys_title_and_welsh_lowers_the_article() -> None:
    """In English the registry's DPO title; in Welsh "Swyddog Diogelu Data" and the agency's
    name, with "Y" lower-case mid-sentence."""
    registry = {a.agency_id: a for a in agencies()}
    probation = registry["probation-wales"]
    assert dpo_title(probation, probation.name_en, "en") == (
        "Probation Service Data Protection Officer"
    )
    assert dpo_title(probation, probation.name_cy, "cy") == (
        "Swyddog Diogelu Data y Gwasanaeth Prawf yng Nghymru"
    )
    police = registry["gwent-police"]
    assert dpo_title(police, police.name_cy, "cy") == "Swyddog Diogelu Data Heddlu Gwent"
