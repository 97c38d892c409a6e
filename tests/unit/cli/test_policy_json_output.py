"""``iom-broker policy validate|explain|diff|simulate --json``: one document on stdout, valid
against its schema (``policy active --json`` is checked against Kafka in
``tests/integration/test_policy_reload.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.unit.cli.test_json_output import json_of
from tests.unit.policy.support import POLICIES, write_policy_copy

_TEXT = {"type": "string"}
_TEXTS = {"type": "array", "items": _TEXT}
_CHANGE = {"enum": ["added", "removed", "changed", "same"]}
ASPECT = {
    "type": "object",
    "required": ["key", "label", "now", "was", "change"],
    "additionalProperties": False,
    "properties": {k: _TEXT for k in ("key", "label", "now", "was")} | {"change": _CHANGE},
}
_ASPECTS = {"type": "array", "items": ASPECT}
VALIDATED = {
    "type": "object",
    "required": ["valid", "version", "agreements", "rules", "scenarios", "warnings"],
    "properties": {
        "valid": {"type": "boolean"},
        "version": {"type": "string", "pattern": "^sha256:"},
        "agreements": {"type": "integer", "minimum": 0},
        "rules": {"type": "integer", "minimum": 0},
        "scenarios": {"type": "integer", "minimum": 0},
        "warnings": _TEXTS,
        "scenario_failures": {"type": "array"},
    },
}
EXPLAINED = {
    "type": "object",
    "required": ["language", "event_type", "source", "policy_version", "recipients"],
    "properties": {
        "language": {"enum": ["en", "cy"]},
        "policy_version": {"type": "string", "pattern": "^sha256:"},
        "recipients": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["recipient", "shared", "reason", "reason_words", "false_conditions"],
                "properties": {
                    "shared": {"type": "boolean"},
                    "fields": _TEXTS,
                    "false_conditions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["rule_id", "condition", "words"],
                            "properties": {k: _TEXT for k in ("rule_id", "condition", "words")},
                        },
                    },
                },
            },
        },
    },
}
CHANGE_IN_WORDS = {
    "type": "object",
    "required": ["current_version", "proposed_version", "language", "agreements"],
    "properties": {
        "language": {"enum": ["en", "cy"]},
        "agreements": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["agreement_id", "title", "change", "aspects", "rules"],
                "properties": {
                    "change": _CHANGE,
                    "aspects": _ASPECTS,
                    "rules": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["rule_id", "change", "heading", "aspects", "details"],
                            "properties": {
                                "change": _CHANGE,
                                "aspects": _ASPECTS,
                                "details": _ASPECTS,
                            },
                        },
                    },
                },
            },
        },
    },
}
_COUNTED = {
    "type": "object",
    "required": ["events", "decisions", "changes"],
    "properties": {
        "events": {"type": "integer", "minimum": 0},
        "decisions": {"type": "integer", "minimum": 0},
        "changes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["source", "recipient", "event_type", "change", "detail", "count"],
                "properties": {"count": {"type": "integer", "minimum": 1}},
            },
        },
    },
}
SIMULATED = {
    "type": "object",
    "required": [
        "current_version", "proposed_version", "traffic", "generated", "rules",
        "all_changed_rules_tested", "no_difference",
    ],
    "additionalProperties": False,
    "properties": {
        "current_version": _TEXT,
        "proposed_version": _TEXT,
        "traffic": _COUNTED,
        "generated": _COUNTED,
        "rules": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "agreement_id", "rule_id", "change", "changed", "terms_only",
                    "tested_by_traffic", "tested_by_generated_events",
                ],
                "properties": {
                    "changed": _TEXTS,
                    "terms_only": {"type": "boolean"},
                    "tested_by_traffic": {"type": "boolean"},
                    "tested_by_generated_events": {"type": "boolean"},
                },
            },
        },
        "all_changed_rules_tested": {"type": "boolean"},
        "no_difference": {"type": "boolean"},
    },
}  # fmt: skip
AREA_DIFFERENCES = {
    "type": "array",
    "items": {"type": "object", "required": ["flow", "left"]},
}
ACTIVE = {
    "type": "object",
    "required": ["active"],
    "additionalProperties": False,
    "properties": {
        "active": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["version", "activated_at", "activated_by", "agreements"],
                    "additionalProperties": False,
                    "properties": {
                        "version": {"type": "string", "pattern": "^sha256:"},
                        "activated_at": {"type": "string", "format": "date-time"},
                        "activated_by": _TEXT,
                        "agreements": {"type": "integer", "minimum": 0},
                    },
                },
            ]
        }
    },
}


def _without_outcome(tmp_path: Path) -> str:
    proposed = write_policy_copy(tmp_path / "proposed")
    agreement = proposed / "agreements" / "gwent-gdas-treatment-dda.yaml"
    agreement.write_text(agreement.read_text().replace(", payload.outcome]", "]"))
    return str(proposed)


def test_validate_as_json() -> None:
    """The shipped policy: valid, its version and counts."""
    body: Any = json_of(["policy", "validate", str(POLICIES), "--json"], VALIDATED)
    assert body["valid"] is True


def test_explain_as_json_in_welsh() -> None:
    """A refusal names the false condition as written and in Welsh words."""
    scenario = POLICIES / "scenarios" / "10-dyfed-powys-warnings-stay-with-probation.yaml"
    args = ["policy", "explain", "--event", str(scenario), "--to", "dyfed-powys-police"]
    body = json_of([*args, "--language", "cy", "--json"], EXPLAINED)
    assert body["language"] == "cy" and body["recipients"][0]["shared"] is False


def test_diff_of_a_proposal_and_of_two_areas_as_json(tmp_path: Path) -> None:
    """The removed detail is marked removed; two areas' differences are a list of flows."""
    proposed = _without_outcome(tmp_path)
    body = json_of(["policy", "diff", "--proposed", proposed, "--json"], CHANGE_IN_WORDS)
    details = body["agreements"][0]["rules"][0]["details"]
    assert {"key": "payload.outcome", "change": "removed"}.items() <= next(
        d for d in details if d["key"] == "payload.outcome"
    ).items()
    json_of(
        ["policy", "diff", "--area", "gwent", "--area", "dyfed-powys", "--json"], AREA_DIFFERENCES
    )


def test_simulate_as_json(tmp_path: Path) -> None:
    """The changed rule is tested by generated events and the report is not "no difference"."""
    traffic = str(POLICIES / "traffic" / "sample-month.yaml")
    args = ["policy", "simulate", "--proposed", _without_outcome(tmp_path), "--events", traffic]
    body = json_of([*args, "--json"], SIMULATED)
    assert body["no_difference"] is False
