"""The offline verifier CLI: ok and exit 0 for a good receipt, one line and exit 1 otherwise."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from broker.cli import app
from broker.settings import load_settings
from broker.transparency.note import NoteSigner
from broker.transparency.wiring import open_log
from tests.support.log_records import disclosure

runner = CliRunner()


@pytest.fixture
def exported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite log with entries for two subjects, subj-a exported via the CLI."""
    monkeypatch.setenv("IOM_TRANSPARENCY__STORE_URL", f"sqlite:///{tmp_path / 'log.sqlite3'}")
    monkeypatch.setenv("IOM_TRANSPARENCY__SIGNING_KEY_FILE", str(tmp_path / "sign.key"))
    monkeypatch.setenv("IOM_TRANSPARENCY__SUBJECT_INDEX_KEY_FILE", str(tmp_path / "index.key"))
    monkeypatch.setenv("IOM_LOG_LEVEL", "warning")
    log = open_log(load_settings().transparency)
    log.append_disclosures([disclosure(i, "subj-a" if i % 2 else "subj-b") for i in range(9)])
    log.store.close()
    out = tmp_path / "sar"
    result = runner.invoke(
        app, ["log", "export", "--subject", "subj-a", "--out", str(out), "--actor", "dpo:test"]
    )
    assert result.exit_code == 0, result.output
    assert "4 entries under checkpoint size 9" in result.output
    assert "answer.zip" in result.output
    return out


def verify(folder: Path, name: str, vkey: str | None = None) -> tuple[int, str]:
    """Run verify-proof on one exported entry; exit code and combined output."""
    result = runner.invoke(
        app,
        [
            "log", "verify-proof", "--vkey", vkey or str(folder / "log.vkey"),
            "--entry", str(folder / f"{name}.entry"), str(folder / f"{name}.tlog-proof"),
        ],
    )  # fmt: skip
    return result.exit_code, result.output


def test_exported_entries_verify(exported: Path) -> None:
    """Every exported entry verifies against the exported key: exit 0 and 'ok'."""
    names = sorted(p.stem for p in exported.glob("*.entry"))
    assert names == ["000001", "000003", "000005", "000007"]
    for name in names:
        assert verify(exported, name) == (0, "ok\n")


def test_export_writes_the_readable_answer_in_both_languages(exported: Path) -> None:
    """The export holds answer.zip: the entries in words in English and Welsh, and each
    entry's receipt files, which verify offline with ``log verify-proof``."""
    with zipfile.ZipFile(exported / "answer.zip") as bundle:
        names = bundle.namelist()
        page = bundle.read("answer.html").decode("utf-8")
        receipts = sorted(n[: -len(".entry")] for n in names if n.endswith(".entry"))
        bundle.extractall(exported / "unzipped")
    assert '<section class="language" lang="en">' in page
    assert '<section class="language" lang="cy">' in page
    assert "This answer was sent on" in page and "Anfonwyd yr ateb hwn ar" in page
    assert page.count('<div class="entry">') == 2 * 4
    assert {"README.txt", "log.vkey", "answer.css"} <= set(names)
    assert len(receipts) == 4
    folder = exported / "unzipped"
    for name in receipts:
        result = runner.invoke(
            app,
            [
                "log", "verify-proof", "--vkey", str(folder / "log.vkey"),
                "--entry", str(folder / f"{name}.entry"), str(folder / f"{name}.tlog-proof"),
            ],
        )  # fmt: skip
        assert (result.exit_code, result.output) == (0, "ok\n")


def test_altered_entry_fails_with_one_line(exported: Path) -> None:
    """Changing one byte of the entry file makes verification fail with exit 1 and one line."""
    entry = exported / "000003.entry"
    entry.write_bytes(entry.read_bytes().replace(b"probation-wales", b"probation-walez"))
    code, output = verify(exported, "000003")
    assert code == 1
    assert output.count("\n") == 1 and "does not lead to the root of size 9" in output


def test_malformed_proof_names_file_and_line(exported: Path) -> None:
    """A proof file with a broken hash line is reported as file:line: reason."""
    proof = exported / "000005.tlog-proof"
    lines = proof.read_text().split("\n")
    lines[2] = "not base64!"
    proof.write_text("\n".join(lines))
    code, output = verify(exported, "000005")
    assert (code, output) == (1, f"{proof}:3: hash is not base64\n")


def test_wrong_key_is_refused(exported: Path) -> None:
    """A receipt checked with another log's key does not verify."""
    other = NoteSigner.generate("iom-broker.dev/transparency-log").verifier.vkey
    code, output = verify(exported, "000001", other)
    assert code == 1 and "no signature by a trusted key" in output


def test_consistency_between_checkpoints(exported: Path, tmp_path: Path) -> None:
    """verify-consistency accepts the log's own add-checkpoint body and refuses a forged one."""
    old = exported / "checkpoint"
    log = open_log(load_settings().transparency)
    log.append_disclosures([disclosure(i) for i in range(9, 20)])
    log.store.close()
    body = runner.invoke(app, ["log", "consistency", "9"])
    assert body.exit_code == 0, body.output
    body_file = tmp_path / "new.body"
    body_file.write_text(body.output)
    vkey = str(exported / "log.vkey")
    ok = runner.invoke(app, ["log", "verify-consistency", "--vkey", vkey, str(old), str(body_file)])
    assert (ok.exit_code, ok.output) == (0, "ok\n")
    lines = body.output.split("\n")
    lines[1] = lines[2]  # a proof hash replaced by another
    body_file.write_text("\n".join(lines))
    bad = runner.invoke(
        app, ["log", "verify-consistency", "--vkey", vkey, str(old), str(body_file)]
    )
    assert bad.exit_code == 1 and bad.output.count("\n") == 1
