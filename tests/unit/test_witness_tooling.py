"""Without Go 1.24 the development witness cannot be built: `dev up` says so in one line,
before starting anything, and suggests running without a witness."""

from __future__ import annotations

from pathlib import Path

import pytest

from broker.devtools.devstack.stack import DevStack, StackError
from broker.devtools.witness import litewitness_install
from broker.devtools.witness.litewitness_install import WitnessToolingError, find_go
from broker.settings import load_settings


@pytest.fixture
def no_go(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A machine where ``go`` is neither on PATH nor in its usual places, and nothing is
    built yet; returns the PATH folder (empty)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(litewitness_install, "GO_PLACES", ())
    monkeypatch.setattr(litewitness_install, "default_cache_root", lambda: tmp_path / "cache")
    return folder


def test_without_go_the_error_names_it_and_suggests_no_witness(no_go: Path) -> None:
    """The message says go was not found and how to go on without it."""
    with pytest.raises(WitnessToolingError) as raised:
        find_go()
    message = str(raised.value)
    assert message.startswith("go not found, needed to build litewitness: install Go 1.24")
    assert "dev up --no-witness" in message and "\n" not in message


def test_an_old_go_is_named_with_its_version(no_go: Path) -> None:
    """Debian 12's Go 1.19 is refused by version, naming where it is."""
    go = no_go / "go"
    go.write_text("#!/bin/sh\necho 'go version go1.19.8 linux/amd64'\n")
    go.chmod(0o755)
    with pytest.raises(WitnessToolingError, match=rf"^go 1\.19 at {go} is too old to build"):
        find_go()


def test_dev_up_without_go_fails_before_starting_anything(no_go: Path, tmp_path: Path) -> None:
    """`dev up` stops with one line (witness: go not found ...) and starts no Kafka or other
    process, so nothing is left half running."""
    state = tmp_path / "stack"
    with pytest.raises(StackError, match=r"^witness: go not found, .*--no-witness"):
        DevStack(state, load_settings()).up()
    assert not (state / "stack.json").exists()
    assert sorted(p.name for p in state.iterdir()) == []
