"""Bad input to the adapter, log and policy commands, and a bad setting, is one line naming
the value and where."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from broker.cli import app

runner = CliRunner()


def _one_line(args: list[str], code: int) -> str:
    """Run the command; it fails with ``code`` and exactly one line on stderr, returned."""
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.strip()


def test_adapter_convert_of_a_missing_file(tmp_path: Path) -> None:
    """A file that does not exist is named, with why it cannot be read."""
    missing = tmp_path / "export.csv"
    assert _one_line(["adapter", "convert", "police-custody", str(missing)], 2) == (
        f"error: {missing}: cannot read (No such file or directory)"
    )


def test_adapter_convert_with_a_mapping_that_is_not_yaml(tmp_path: Path) -> None:
    """A mapping file that is not YAML is named with its line."""
    mapping = tmp_path / "partner.yaml"
    mapping.write_text('{"not yaml\n')
    export = tmp_path / "export.csv"
    export.write_text("a,b\n1,2\n")
    line = _one_line(
        ["adapter", "convert", "mapping", str(export), "--option", f"mapping={mapping}"], 2
    )
    assert line.startswith(f"error: {mapping}:") and "not valid YAML" in line


def test_adapter_convert_of_a_record_that_is_not_json(tmp_path: Path) -> None:
    """A record that is not JSON is rejected naming the file and line; exit 1."""
    bad = tmp_path / "bundle.json"
    bad.write_text('{"resourceType": "Bundle"\n')
    result = runner.invoke(app, ["adapter", "convert", "health-fhir", str(bad)])
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("rejected: bundle.json:2: malformed_input: not JSON")


def test_adapter_convert_of_an_unknown_adapter(tmp_path: Path) -> None:
    """An adapter name that is not installed lists the installed ones."""
    assert _one_line(["adapter", "convert", "nosuch", str(tmp_path / "x.csv")], 2).startswith(
        "error: no adapter named 'nosuch'; installed: health-fhir,"
    )


@pytest.mark.parametrize("command", ["verify-proof", "verify-consistency"])
def test_log_verify_with_a_bad_key(tmp_path: Path, command: str) -> None:
    """A verifier key that is not 'name+keyid+base64' is named as --vkey's problem."""
    proof = tmp_path / "proof"
    proof.write_text("x")
    files = ["--entry", str(proof), str(proof)] if command == "verify-proof" else [str(proof)] * 2
    assert _one_line(["log", command, "--vkey", "nonsense", *files], 1) == (
        "--vkey: verifier key is not 'name+keyid+base64key'"
    )


def test_log_verify_proof_of_a_missing_file(tmp_path: Path) -> None:
    """A proof file that does not exist is named, with why."""
    from broker.transparency.note import NoteSigner

    vkey = NoteSigner.generate("iom.example/log").verifier.vkey
    missing = tmp_path / "000001.tlog-proof"
    entry = tmp_path / "000001.entry"
    entry.write_bytes(b"x")
    line = _one_line(
        ["log", "verify-proof", "--vkey", vkey, "--entry", str(entry), str(missing)], 1
    )
    assert line == f"{missing}: cannot read (No such file or directory)"


@pytest.mark.parametrize(
    "args",
    [
        ["policy", "validate", "{missing}"],
        ["policy", "diff", "--proposed", "{missing}"],
        ["policy", "simulate", "--proposed", "{missing}", "--events", "{missing}"],
    ],
)
def test_policy_commands_name_a_missing_policy_directory(tmp_path: Path, args: list[str]) -> None:
    """A policy directory that is not there is one line naming it, exit 2 (nothing checked)."""
    missing = str(tmp_path / "nope")
    line = _one_line([a.replace("{missing}", missing) for a in args], 2)
    assert line == f"{missing}: not a policy directory (expected agreements/)"


def test_policy_explain_of_a_missing_event_file(tmp_path: Path) -> None:
    """An event file that is not there is named, with why, exit 2."""
    missing = tmp_path / "event.yaml"
    line = _one_line(["policy", "explain", "--event", str(missing), "--to", "gdas"], 2)
    assert line == f"{missing}: cannot read (No such file or directory)"


def test_policy_simulate_of_a_missing_traffic_file(tmp_path: Path) -> None:
    """A recorded-traffic file that is not there is named, exit 2."""
    from broker.settings import PROJECT_ROOT

    missing = tmp_path / "traffic.yaml"
    policies = str(PROJECT_ROOT / "policies")
    args = ["policy", "simulate", "--proposed", policies, "--events", str(missing)]
    assert _one_line(args, 2) == f"{missing}: cannot read (No such file or directory)"


def test_policy_simulate_against_unreachable_kafka(tmp_path: Path) -> None:
    """Reading recorded traffic from a Kafka that is not there is one line, exit 2, naming
    the address and how to see the details (no traceback)."""
    from broker.settings import PROJECT_ROOT

    policies = str(PROJECT_ROOT / "policies")
    args = ["policy", "simulate", "--proposed", policies, "--current", policies]
    line = _one_line([*args, "--bootstrap", "127.0.0.1:1"], 2)
    assert line.startswith("error: reading traffic from Kafka at 127.0.0.1:1 failed")
    assert line.endswith("run with --debug for the details")


def test_a_bad_setting_is_named_with_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """A setting with a value it cannot take is one line naming the setting and its
    environment variable, exit 2, before anything runs."""
    monkeypatch.setenv("IOM_LOG_LEVEL", "loud")
    line = _one_line(["policy", "validate"], 2)
    assert line.startswith("error: setting log_level (IOM_LOG_LEVEL):")


def test_log_export_names_unreadable_policy_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The readable answer needs the policy vocabularies: a missing policy directory is one
    line naming it, exit 2, before anything is exported."""
    from broker.settings import load_settings
    from broker.transparency.wiring import open_log
    from tests.support.log_records import disclosure

    monkeypatch.setenv("IOM_TRANSPARENCY__STORE_URL", f"sqlite:///{tmp_path / 'log.sqlite3'}")
    monkeypatch.setenv("IOM_TRANSPARENCY__SIGNING_KEY_FILE", str(tmp_path / "sign.key"))
    monkeypatch.setenv("IOM_TRANSPARENCY__SUBJECT_INDEX_KEY_FILE", str(tmp_path / "index.key"))
    log = open_log(load_settings().transparency)
    log.append_disclosures([disclosure(1, "subj-a")])
    log.store.close()
    monkeypatch.setenv("IOM_POLICY_FILE", str(tmp_path / "nope"))
    monkeypatch.setenv("IOM_LOG_LEVEL", "warning")
    args = ["log", "export", "--subject", "subj-a", "--out", str(tmp_path / "out")]
    line = _one_line([*args, "--actor", "dpo:test"], 2)
    assert line == f"error: {tmp_path / 'nope'}: not a policy directory (expected agreements/)"
    assert not (tmp_path / "out").exists()  # nothing half-exported
