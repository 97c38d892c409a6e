"""The schema catalogue: what is registered, under which ids, and what a bad catalogue reports."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import fastavro
import pytest
from fastavro.schema import fingerprint, to_parsing_canonical_form

from broker.catalogue import (
    ALWAYS_DELIVERED,
    SCHEMAS_DIR,
    CatalogueFileError,
    SchemaCatalogue,
    UnknownEventType,
    UnknownSchemaId,
    default_catalogue,
)

EXPECTED_PAYLOAD_FIELDS = {
    "arrest": (
        "offence_category",
        "offence_description",
        "custody_suite",
        "location_postcode",
        "arresting_force",
    ),
    "charge": ("offence_category", "offence_description", "court", "first_hearing_date"),
    "custody_release": ("outcome", "bail_conditions"),
    "prison_release": ("prison", "release_type", "licence_end_date", "release_address_postcode"),
    "recall": ("recall_type", "reason", "prison"),
    "breach": ("order_type", "breach_reason", "action"),
    "referral": ("referral_id", "service", "referred_to", "reason", "urgency"),
    "referral_outcome": ("referral_id", "service", "outcome", "notes"),
    "appointment": ("appointment_id", "service", "scheduled_for", "outcome", "clinical_notes"),
    "accommodation_change": ("accommodation_type", "address_line", "postcode", "effective_from"),
    "risk_level_change": ("risk_type", "previous_level", "new_level", "reason"),
    "cohort_enrolment": ("cohort", "area", "reason", "lead_agency"),
    "cohort_deselection": ("cohort", "reason", "exit_plan"),
    "licence_variation": ("licence_id", "effective_from", "variation_reason", "licence_end_date"),
    "consent_change": ("purpose", "status", "recorded_by"),
}

# Every registered id with what it means and the CRC-64-AVRO fingerprint of its Parsing
# Canonical Form. Records on Kafka carry these ids: an id must never change meaning. Append a
# line when registering a version; never edit one.
REGISTERED = {
    1: ("event", "arrest", 1, "b097f9713484595a"),
    2: ("event", "charge", 1, "4792c5fae61cf2b7"),
    3: ("event", "custody_release", 1, "150e6478c40daf5a"),
    4: ("event", "prison_release", 1, "17afa173a64b1f69"),
    5: ("event", "recall", 1, "b528b3d6f8b4b2e1"),
    6: ("event", "breach", 1, "ba4f7a05ef875861"),
    7: ("event", "referral", 1, "4edea7ad690d466d"),
    8: ("event", "referral_outcome", 1, "fab007b116ee693e"),
    9: ("event", "appointment", 1, "f84f5d8ffe6c4c80"),
    10: ("event", "accommodation_change", 1, "8bedc2c5dd5b5b7d"),
    11: ("event", "risk_level_change", 1, "60313eb34bd44ebf"),
    12: ("event", "cohort_enrolment", 1, "53c4f6ada9499049"),
    13: ("event", "cohort_deselection", 1, "fc8496e7b51e207d"),
    14: ("audit", "disclosure", 1, "20fec5bfd7d23bd7"),
    15: ("delivery", "arrest", 1, "96bfa583e114366a"),
    16: ("delivery", "charge", 1, "d222e9b31d648f3e"),
    17: ("delivery", "custody_release", 1, "ccbbaf9eb671d711"),
    18: ("delivery", "prison_release", 1, "bc1ba401281917cc"),
    19: ("delivery", "recall", 1, "07191258248e12fa"),
    20: ("delivery", "breach", 1, "7d99bfe194ea9b0c"),
    21: ("delivery", "referral", 1, "5ad98a439cee762f"),
    22: ("delivery", "referral_outcome", 1, "d5e651b7aa9172fb"),
    23: ("delivery", "appointment", 1, "df8a7ce1bfb3cd81"),
    24: ("delivery", "accommodation_change", 1, "f750dd1b0b20dc23"),
    25: ("delivery", "risk_level_change", 1, "6bb368862dd8fee8"),
    26: ("delivery", "cohort_enrolment", 1, "1ff47e775fd9a605"),
    27: ("delivery", "cohort_deselection", 1, "b97f1ef3e5ec8397"),
    28: ("event", "arrest", 2, "28954d88a903259c"),
    29: ("delivery", "arrest", 2, "07849c68124bfe8a"),
    30: ("event", "licence_variation", 1, "e9bbb8fecd602942"),
    31: ("delivery", "licence_variation", 1, "67f13d849c2438a7"),
    32: ("event", "consent_change", 1, "e802c4dec828f507"),
    33: ("delivery", "consent_change", 1, "51b36b3c5a6589b6"),
    34: ("audit", "disclosure", 2, "5412888b8e7a1280"),
}


@pytest.fixture(scope="module")
def catalogue() -> SchemaCatalogue:
    return default_catalogue()


def _walk_fields(schema: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (path, field) for every field of every record in an expanded schema."""
    if isinstance(schema, list):
        for branch in schema:
            yield from _walk_fields(branch, path)
    elif isinstance(schema, dict):
        for field in schema.get("fields", []):
            field_path = f"{path}.{field['name']}" if path else field["name"]
            yield field_path, field
            yield from _walk_fields(field["type"], field_path)
        if isinstance(schema.get("type"), dict | list):
            yield from _walk_fields(schema["type"], path)
        if "items" in schema:
            yield from _walk_fields(schema["items"], path)


# --- what is registered ---------------------------------------------------------------------


def test_catalogue_defines_the_iom_event_types_in_order(
    catalogue: SchemaCatalogue,
) -> None:
    """The event types are exactly the IOM catalogue, in catalogue order."""
    assert catalogue.event_types() == tuple(EXPECTED_PAYLOAD_FIELDS)


@pytest.mark.parametrize("event_type", list(EXPECTED_PAYLOAD_FIELDS))
def test_payload_fields_are_those_of_the_catalogue(
    catalogue: SchemaCatalogue, event_type: str
) -> None:
    """Each event type's newest payload has exactly the agreed field names, in order."""
    assert catalogue.payload_fields(event_type) == EXPECTED_PAYLOAD_FIELDS[event_type]


def test_every_registered_id_keeps_its_meaning(catalogue: SchemaCatalogue) -> None:
    """Each id maps to the same kind, type, version and schema fingerprint as when registered."""
    actual = {
        entry.schema_id: (
            entry.kind,
            entry.event_type,
            entry.version,
            fingerprint(to_parsing_canonical_form(entry.schema), "CRC-64-AVRO"),
        )
        for entry in catalogue.entries()
    }
    assert actual == REGISTERED


def test_by_id_returns_the_entry_registered_under_that_id(catalogue: SchemaCatalogue) -> None:
    """Looking an id up gives the entry whose schema_id it is."""
    assert [catalogue.by_id(e.schema_id) for e in catalogue.entries()] == list(catalogue.entries())


def test_an_unregistered_id_is_an_unknown_schema_id(catalogue: SchemaCatalogue) -> None:
    """Asking for an id nobody registered raises UnknownSchemaId naming the id."""
    with pytest.raises(UnknownSchemaId, match="unknown schema id 9999") as caught:
        catalogue.by_id(9999)
    assert caught.value.reason == "unknown_schema_id"
    assert caught.value.schema_id == 9999


def test_latest_is_the_highest_version_and_versions_are_oldest_first(
    catalogue: SchemaCatalogue,
) -> None:
    """Arrest has v1 then v2, and v2 is what encoders write."""
    assert [e.version for e in catalogue.versions("arrest")] == [1, 2]
    assert catalogue.latest("arrest").schema_id == 28
    assert catalogue.latest("charge").version == 1


def test_an_unknown_event_type_names_the_known_ones(catalogue: SchemaCatalogue) -> None:
    """Asking for an event type the catalogue lacks says so and lists the real ones."""
    with pytest.raises(UnknownEventType, match=r"'arest'.*arrest, charge"):
        catalogue.latest("arest")


def test_records_have_the_agreed_full_names(catalogue: SchemaCatalogue) -> None:
    """Events are iom.events.<Name>, deliveries iom.delivery.<Name>, audit iom.audit.Disclosure."""
    assert catalogue.latest("custody_release").full_name == "iom.events.CustodyRelease"
    assert catalogue.delivery("custody_release").full_name == "iom.delivery.CustodyRelease"
    assert catalogue.disclosure().full_name == "iom.audit.Disclosure"


def test_every_field_of_every_schema_has_a_doc(catalogue: SchemaCatalogue) -> None:
    """DPOs read the schemas: no field is left undocumented."""
    undocumented = [
        f"{entry.label}: {path}"
        for entry in catalogue.entries()
        for path, field in _walk_fields(json.loads(entry.schema_json))
        if not field.get("doc")
    ]
    assert undocumented == []


def test_envelope_is_shared_by_every_event(catalogue: SchemaCatalogue) -> None:
    """Every event starts with the same iom.events.Envelope, with the four subject identifiers."""
    for event_type in catalogue.event_types():
        envelope = json.loads(catalogue.latest(event_type).schema_json)["fields"][0]["type"]
        assert envelope["name"] == "Envelope"
        assert [f["name"] for f in envelope["fields"]] == [
            "event_id",
            "event_type",
            "occurred_at",
            "source_agency",
            "subject",
            "schema_version",
        ]
        subject = envelope["fields"][4]["type"]
        assert [f["name"] for f in subject["fields"]] == [
            "crn",
            "pnc_id",
            "noms_number",
            "nhs_number",
        ]


def test_schema_json_is_self_contained(catalogue: SchemaCatalogue) -> None:
    """The served schema text parses on its own, with no shared files or registry lookups."""
    for entry in catalogue.entries():
        parsed = fastavro.parse_schema(json.loads(entry.schema_json))
        assert isinstance(parsed, dict) and parsed["name"] == entry.full_name


def test_delivery_schemas_make_every_withholdable_field_optional(
    catalogue: SchemaCatalogue,
) -> None:
    """In a delivery schema only the envelope basics are required; all else is null by default."""
    for event_type in catalogue.event_types():
        delivery = json.loads(catalogue.delivery(event_type).schema_json)
        envelope, payload = (f["type"] for f in delivery["fields"])
        for field in envelope["fields"]:
            if field["name"] in ALWAYS_DELIVERED:
                assert "default" not in field, field["name"]
            else:
                assert field["type"][0] == "null" and field["default"] is None, field["name"]
        for field in payload["fields"]:
            assert field["type"][0] == "null" and field["default"] is None, field["name"]


def test_shareable_fields_are_the_paths_a_sharing_rule_may_name(
    catalogue: SchemaCatalogue,
) -> None:
    """Rules name subject identifiers and payload fields by dotted path."""
    assert catalogue.shareable_fields("custody_release") == (
        "subject.crn",
        "subject.pnc_id",
        "subject.noms_number",
        "subject.nhs_number",
        "payload.outcome",
        "payload.bail_conditions",
    )


def test_default_catalogue_is_loaded_once() -> None:
    """Every caller of default_catalogue shares one loaded catalogue."""
    assert default_catalogue() is default_catalogue()


# --- a bad catalogue does not load ----------------------------------------------------------


@pytest.fixture
def schemas_copy(tmp_path: Path) -> Path:
    """A writable copy of the repository's schemas/ directory."""
    return Path(shutil.copytree(SCHEMAS_DIR, tmp_path / "schemas"))


def _edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text()))


def _load_error(directory: Path) -> CatalogueFileError:
    with pytest.raises(CatalogueFileError) as caught:
        SchemaCatalogue.load(directory)
    assert "\n" not in str(caught.value)
    return caught.value


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_the_copy_of_the_repository_catalogue_loads(schemas_copy: Path) -> None:
    """The fixture itself is a valid catalogue, so each failure below comes from its one edit."""
    assert SchemaCatalogue.load(schemas_copy).latest("arrest").version == 2


def test_a_reused_id_is_refused_with_file_and_line(schemas_copy: Path) -> None:
    """Registering a version under an id already used is reported at its catalogue.yaml line."""
    catalogue_yaml = schemas_copy / "catalogue.yaml"
    _edit(catalogue_yaml, lambda t: t.replace("{id: 29,", "{id: 3,"))
    error = _load_error(schemas_copy)
    assert error.line == _line_of(catalogue_yaml, "{id: 3, kind: delivery")
    assert str(error).startswith(f"{catalogue_yaml}:{error.line}: id 3 is not greater")


def test_invalid_yaml_is_reported_with_its_line(schemas_copy: Path) -> None:
    """A YAML syntax error names catalogue.yaml and the line it is on."""
    catalogue_yaml = schemas_copy / "catalogue.yaml"
    _edit(catalogue_yaml, lambda t: t.replace("{id: 16, kind: delivery,", "{id: 16, kind: [,"))
    error = _load_error(schemas_copy)
    assert "invalid YAML" in str(error)
    assert error.line == _line_of(catalogue_yaml, "{id: 16,")


def test_invalid_json_in_a_schema_file_names_file_and_line(schemas_copy: Path) -> None:
    """A broken .avsc file is reported with its path and the line of the JSON error."""
    schema = schemas_copy / "events" / "recall" / "v1.avsc"
    _edit(schema, lambda t: t.replace('"name": "reason",', '"name": "reason"'))
    error = _load_error(schemas_copy)
    assert error.path == str(schema)
    assert error.line == _line_of(schema, '"name": "reason"')


def test_a_missing_reference_names_the_unknown_type(schemas_copy: Path) -> None:
    """Using a shared type without listing its file under references is reported."""
    catalogue_yaml = schemas_copy / "catalogue.yaml"
    _edit(
        catalogue_yaml,
        lambda t: t.replace(
            "events/referral/v1.avsc, references: [common/envelope/v1.avsc, "
            "common/referral_service/v1.avsc]",
            "events/referral/v1.avsc, references: [common/envelope/v1.avsc]",
        ),
    )
    error = _load_error(schemas_copy)
    assert error.path.endswith("events/referral/v1.avsc")
    assert "unknown type iom.events.ReferralService" in str(error)


def test_an_event_record_must_be_named_after_its_event_type(schemas_copy: Path) -> None:
    """A schema registered as breach but naming itself otherwise is refused."""
    _edit(
        schemas_copy / "events" / "breach" / "v1.avsc",
        lambda t: t.replace('"name": "Breach"', '"name": "Violation"'),
    )
    assert "must be iom.events.Breach" in str(_load_error(schemas_copy))


def test_a_version_that_cannot_read_the_previous_one_is_refused(schemas_copy: Path) -> None:
    """A v2 adding a required field breaks BACKWARD compatibility: the catalogue does not load."""
    _edit(
        schemas_copy / "events" / "arrest" / "v2.avsc",
        lambda t: t.replace(
            '"type": ["null", "string"],\n            "default": null,\n            "doc": "Id of',
            '"type": "string",\n            "doc": "Id of',
        ),
    )
    error = _load_error(schemas_copy)
    assert "cannot read v1 data (BACKWARD)" in str(error)
    assert "Arrest.payload.arresting_force: field added without a default" in str(error)


def test_a_new_event_version_needs_a_delivery_entry(schemas_copy: Path) -> None:
    """Registering arrest v2 without its delivery schema is refused with the line to append."""
    _edit(
        schemas_copy / "catalogue.yaml",
        lambda t: t.replace("  - {id: 29, kind: delivery, event_type: arrest, version: 2}\n", ""),
    )
    assert "event arrest v2 has no delivery schema: append" in str(_load_error(schemas_copy))


def test_versions_must_not_skip_a_number(schemas_copy: Path) -> None:
    """Registering arrest v3 where v2 is due is refused."""
    catalogue_yaml = schemas_copy / "catalogue.yaml"
    _edit(
        catalogue_yaml,
        lambda t: t.replace(
            "{id: 28, kind: event, event_type: arrest, version: 2,",
            "{id: 28, kind: event, event_type: arrest, version: 3,",
        ),
    )
    error = _load_error(schemas_copy)
    assert "version 3 registered where version 2 is due" in str(error)
    assert error.line == _line_of(catalogue_yaml, "{id: 28,")
