"""Welsh soft mutation of agency names and nouns after prepositions."""

from __future__ import annotations

import pytest

from broker.http.welsh_mutation import after_preposition, soft_mutation
from tests.unit.identity.keys import agencies

#: Every agency of the shipped registry as it is written after "wrth" (told to).
AFTER_WRTH = {
    "gwent-police": "wrth Heddlu Gwent",
    "probation-wales": "wrth y Gwasanaeth Prawf yng Nghymru",
    "aneurin-bevan-uhb": "wrth Fwrdd Iechyd Prifysgol Aneurin Bevan",
    "newport-housing": "wrth Dai Cyngor Dinas Casnewydd",
    "gdas": "wrth Wasanaeth Cyffuriau ac Alcohol Gwent",
    "dyfed-powys-police": "wrth Heddlu Dyfed-Powys",
    "hywel-dda-uhb": "wrth Fwrdd Iechyd Prifysgol Hywel Dda",
    "carmarthenshire-housing": "wrth Dai Cyngor Sir Gâr",
    "ddas": "wrth Wasanaeth Cyffuriau ac Alcohol Dyfed",
}


@pytest.mark.parametrize("agency_id", sorted(AFTER_WRTH))
def test_every_agency_name_is_mutated_after_wrth(agency_id: str) -> None:
    """Each registry name reads correctly after "wrth", as a Welsh reader expects."""
    name = agencies().get(agency_id).name_cy
    assert after_preposition("wrth", name) == AFTER_WRTH[agency_id]


def test_the_table_covers_every_agency_of_the_registry() -> None:
    """A new agency in the registry must be added here with its mutated form."""
    assert {a.agency_id for a in agencies()} == set(AFTER_WRTH)


@pytest.mark.parametrize(
    ("word", "mutated"),
    [
        ("Pont", "Bont"),
        ("Tai", "Dai"),
        ("Caerdydd", "Gaerdydd"),
        ("Bwrdd", "Fwrdd"),
        ("Dinas", "Ddinas"),
        ("Gwent", "Went"),
        ("Mam", "Fam"),
        ("Llys", "Lys"),
        ("Rhaglen", "Raglen"),
        ("gwasanaeth", "wasanaeth"),
        ("Heddlu", "Heddlu"),
        ("Abertawe", "Abertawe"),
        ("GIG", "GIG"),
        ("Bevan", "Bevan"),
    ],
)
def test_soft_mutation_of_single_words(word: str, mutated: str) -> None:
    """Each mutable consonant changes as the rules say; vowels, h and acronyms stay."""
    assert soft_mutation(word) == mutated


def test_the_article_joins_i_and_o_and_is_lower_case_mid_sentence() -> None:
    """ "i'r Gwasanaeth", "o'r Gwasanaeth", "gan y Gwasanaeth": no capital Y mid-sentence."""
    name = "Y Gwasanaeth Prawf yng Nghymru"
    assert after_preposition("i", name) == "i'r Gwasanaeth Prawf yng Nghymru"
    assert after_preposition("o", name) == "o'r Gwasanaeth Prawf yng Nghymru"
    assert after_preposition("gan", name) == "gan y Gwasanaeth Prawf yng Nghymru"
