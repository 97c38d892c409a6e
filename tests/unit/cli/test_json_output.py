"""``--json`` on the commands people script: one document on stdout, valid against its schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
from typer.testing import CliRunner

from broker.cli import app
from broker.settings import load_settings
from broker.transparency.wiring import open_log
from tests.integration.transparency.test_cli import exported  # noqa: F401 (a fixture)
from tests.support.log_records import disclosure
from tests.unit.adapters.samples import SAMPLES

runner = CliRunner()

_STRINGS = {"type": "array", "items": {"type": "string"}}
ADAPTERS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["name", "agency", "file_patterns", "summary", "error"],
        "properties": {
            "name": {"type": "string"},
            "agency": {"type": ["string", "null"]},
            "file_patterns": _STRINGS,
            "summary": {"type": "string"},
            "error": {"type": "null"},
        },
    },
}
CONVERTED = {
    "type": "object",
    "required": ["counts", "events", "skipped", "rejected"],
    "properties": {
        "counts": {
            "type": "object",
            "required": ["events", "skipped", "rejected"],
            "additionalProperties": {"type": "integer", "minimum": 0},
        },
        "events": {"type": "array", "items": {"type": "object", "required": ["envelope"]}},
        "skipped": _STRINGS,
        "rejected": _STRINGS,
    },
}
EXPORTED = {
    "type": "object",
    "required": ["entries", "checkpoint_size", "folder", "answer"],
    "additionalProperties": False,
    "properties": {
        "entries": {"type": "integer"},
        "checkpoint_size": {"type": "integer"},
        "folder": {"type": "string"},
        "answer": {"type": "string", "pattern": "answer\\.zip$"},
    },
}
VERIFIED = {
    "type": "object",
    "required": ["ok", "cosigned_by"],
    "properties": {"ok": {"const": True}, "cosigned_by": {"type": ["array", "null"]}},
}


def json_of(args: list[str], schema: dict[str, Any], code: int = 0) -> Any:
    """Run the command; its stdout parsed and checked against ``schema``."""
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    body = json.loads(result.stdout)
    jsonschema_rs.validate(schema, body)
    return body


def test_adapter_list_as_json() -> None:
    """Each installed adapter with its agency, file patterns and summary."""
    body = json_of(["adapter", "list", "--json"], ADAPTERS)
    assert [a["name"] for a in body][:1] == ["health-fhir"]


def test_adapter_convert_as_json_keeps_rejections_and_exit_status() -> None:
    """Events, skipped and rejected records in one document; exit 1 as any rejection gives."""
    sample = str(SAMPLES / "police" / "custody-export.csv")
    body = json_of(["adapter", "convert", "police-custody", sample, "--json"], CONVERTED, 1)
    assert body["counts"]["events"] == len(body["events"]) == 6
    assert body["counts"]["rejected"] == len(body["rejected"]) >= 1


def test_log_export_and_verify_as_json(exported: Path, tmp_path: Path) -> None:  # noqa: F811
    """Export, verify-proof and verify-consistency each print one JSON document."""
    body = json_of(
        ["log", "export", "--subject", "subj-a", "--out", str(tmp_path / "again"),
         "--actor", "dpo:test", "--json"],
        EXPORTED,
    )  # fmt: skip
    assert (body["entries"], body["checkpoint_size"]) == (4, 9)
    vkey = str(exported / "log.vkey")
    proof = json_of(
        ["log", "verify-proof", "--vkey", vkey, "--entry", str(exported / "000001.entry"),
         str(exported / "000001.tlog-proof"), "--json"],
        VERIFIED,
    )  # fmt: skip
    assert proof["cosigned_by"] is None
    log = open_log(load_settings().transparency)
    log.append_disclosures([disclosure(i) for i in range(9, 12)])
    log.store.close()
    new_body = tmp_path / "new.body"
    new_body.write_text(runner.invoke(app, ["log", "consistency", "9"]).output)
    old = str(exported / "checkpoint")
    json_of(["log", "verify-consistency", "--vkey", vkey, old, str(new_body), "--json"], VERIFIED)
