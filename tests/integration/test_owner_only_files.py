"""State is owner-only: every `iom-broker` command creates files 0600 in 0700 folders whatever
the caller's umask, and tightening a loosened folder never follows a link out of it."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from broker.secrets.owner_only import make_owner_only, open_owner_only_append


def _modes(root: Path) -> dict[str, int]:
    """The permission bits of ``root`` and everything under it, by relative path."""
    return {
        str(path.relative_to(root)): stat.S_IMODE(path.lstat().st_mode)
        for path in (root, *root.rglob("*"))
    }


def test_a_cli_command_run_under_a_lax_umask_writes_owner_only_files(tmp_path: Path) -> None:
    """`iom-broker identity pki` started with umask 022 still writes its CA, certificates and
    keys 0600 in 0700 folders (the CLI sets umask 077 before any command runs)."""
    state = tmp_path / "state"
    command = [sys.executable, "-m", "broker.cli", "identity", "pki", "--state", str(state)]

    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, umask=0o022
    )

    assert result.returncode == 0, result.stderr[-2000:]
    modes = _modes(state)
    assert "pki/ca.crt" in modes and "pki/iom-http.crt" in modes
    assert {path: f"{mode:04o}" for path, mode in modes.items() if mode & 0o077} == {}


def test_tightening_a_folder_leaves_what_its_links_point_to_alone(tmp_path: Path) -> None:
    """Tightening a state folder makes its own folders 0700 and files 0600 but does not
    follow a symbolic link to change a file or folder outside it."""
    state, outside = tmp_path / "state", tmp_path / "outside"
    (state / "kafka" / "data").mkdir(parents=True)
    outside.mkdir()
    shared = outside / "shared.txt"
    shared.write_text("not ours")
    (state / "kafka" / "data" / "00000.log").write_bytes(b"records")
    for folder in (state, state / "kafka", state / "kafka" / "data", outside):
        folder.chmod(0o755)
    for file in (state / "kafka" / "data" / "00000.log", shared):
        file.chmod(0o644)
    (state / "link-to-file").symlink_to(shared)
    (state / "link-to-folder").symlink_to(outside)

    changed = make_owner_only(state)

    assert changed == 4
    assert _modes(state) == {
        ".": 0o700,
        "kafka": 0o700,
        "kafka/data": 0o700,
        "kafka/data/00000.log": 0o600,
        "link-to-file": 0o777,
        "link-to-folder": 0o777,
    }
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644
    assert stat.S_IMODE(outside.stat().st_mode) == 0o755


def test_a_log_opened_for_appending_is_owner_only(tmp_path: Path) -> None:
    """A process log is created 0600 and an existing 0644 one is tightened when reopened."""
    fresh, existing = tmp_path / "logs" / "router.log", tmp_path / "api.log"
    existing.write_text("earlier line\n")
    existing.chmod(0o644)

    for path in (fresh, existing):
        with open_owner_only_append(path) as log:
            log.write(b"line\n")

    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    assert existing.read_text() == "earlier line\nline\n"
