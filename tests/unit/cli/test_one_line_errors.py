"""Bad input to the adapter and log commands is one line naming the value and where."""

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
