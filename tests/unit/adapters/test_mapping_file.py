"""Mapping files are validated once against the catalogue, each problem named at file:line."""

from __future__ import annotations

import textwrap

import pytest

from broker.catalogue.catalogue import default_catalogue
from iom_adapters.mapping import compile_mapping, load_mapping
from iom_adapters.mapping.spec import MappingSpec
from iom_adapters.sdk.yaml_lines import ConfigFileError, parse_located
from tests.unit.adapters.samples import SAMPLES

VALID = """\
agency: newport-housing
record_id: [Ref]
events:
  - event_type: accommodation_change
    occurred_at: Recorded
    subject:
      crn: CRN
    payload:
      accommodation_type:
        field: Tenure
        map: {Secure tenancy: SETTLED}
      effective_from: {field: From, format: "%d/%m/%Y"}
"""


def compile_text(text: str) -> MappingSpec:
    """Compile mapping YAML given as text, named ``m.yaml``."""
    return compile_mapping(parse_located(textwrap.dedent(text), "m.yaml"), default_catalogue())


def test_sample_mapping_files_are_valid() -> None:
    """The housing and drug & alcohol service samples compile."""
    housing = load_mapping(
        SAMPLES / "housing" / "newport-housing.mapping.yaml", default_catalogue()
    )
    gdas = load_mapping(SAMPLES / "gdas" / "gdas.mapping.yaml", default_catalogue())
    assert housing.agency == "newport-housing"
    assert [r.event_type for r in housing.rules] == ["accommodation_change", "referral_outcome"]
    assert gdas.input_format == "json"


def test_minimal_mapping_compiles() -> None:
    """A mapping naming every required field compiles."""
    assert compile_text(VALID).rules[0].event_type == "accommodation_change"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("event_type: accommodation_change", "event_type: accomodation_change"),
            "m.yaml:4: events.0.event_type: 'accomodation_change' is not a catalogue event type",
        ),
        (
            ("      effective_from:", "      effective_date:"),
            "m.yaml:12: events.0.payload.effective_date: unknown setting; allowed:",
        ),
        (
            ("map: {Secure tenancy: SETTLED}", "map: {Secure tenancy: SECURE}"),
            "m.yaml:11: events.0.payload.accommodation_type.map.Secure tenancy: 'SECURE' is not a "
            "AccommodationType symbol",
        ),
        (
            ("      crn: CRN", "      cro: CRN"),
            "m.yaml:7: events.0.subject.cro: unknown setting; allowed: crn, nhs_number",
        ),
        (
            ("agency: newport-housing", "agency: Newport Housing"),
            "m.yaml:1: agency: agency id 'Newport Housing' must be a lower-case slug",
        ),
        (
            ("record_id: [Ref]", "record_ids: [Ref]"),
            "m.yaml:2: record_ids: unknown setting",
        ),
        (
            ("        field: Tenure\n", "        field: Tenure\n        format: '%Y'\n"),
            "m.yaml:11: events.0.payload.accommodation_type.format: only date and timestamp",
        ),
    ],
)
def test_problems_are_named_at_their_line(change: tuple[str, str], expected: str) -> None:
    """Each mistake is reported as ``file:line: setting: problem``."""
    with pytest.raises(ConfigFileError) as caught:
        compile_text(VALID.replace(*change))
    assert str(caught.value).startswith(expected), str(caught.value)


def test_unmapped_required_field_is_named() -> None:
    """Leaving out a required payload field names the field and the rule's line."""
    text = VALID.replace('      effective_from: {field: From, format: "%d/%m/%Y"}\n', "")
    with pytest.raises(ConfigFileError, match=r"m.yaml:8: events.0.payload: required field "):
        compile_text(text)


def test_yaml_syntax_error_names_the_line() -> None:
    """Broken YAML is reported with its line."""
    with pytest.raises(ConfigFileError, match=r"^m.yaml:5: not valid YAML"):
        compile_text(VALID.replace("occurred_at: Recorded", "occurred_at: Recorded: at"))


def test_value_and_field_together_are_refused() -> None:
    """A target takes a value from the record or a fixed value, not both."""
    text = VALID.replace("      crn: CRN", "      crn: {field: CRN, value: X123456}")
    with pytest.raises(
        ConfigFileError, match=r"m\.yaml:7: events\.0\.subject\.crn: needs exactly one"
    ):
        compile_text(text)
