"""Pseudonyms are keyed per recipient and survive key rotation through their key id."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from pydantic import SecretStr

from broker.secrets.pseudonyms import PseudonymError, PseudonymKeyring, parse_keyring
from broker.secrets.secret_files import (
    SecretFileError,
    add_pseudonym_key,
    create_log_signing_key,
    load_log_signing_key,
    load_pseudonym_keyring,
)
from broker.settings import SecuritySettings

OLD, NEW = b"o" * 32, b"n" * 32


def _ring(*kids: str) -> PseudonymKeyring:
    keys = {"2025-06": OLD, "2026-01": NEW}
    return PseudonymKeyring({k: keys[k] for k in kids}, current=kids[-1])


def test_two_recipients_get_unrelated_pseudonyms() -> None:
    """The same person has different pseudonyms for police and housing."""
    ring = _ring("2026-01")

    assert ring.pseudonym("X123", "gwent-police") != ring.pseudonym("X123", "newport-housing")
    assert ring.pseudonym("X123", "gdas") == ring.pseudonym("X123", "gdas")


def test_old_pseudonyms_still_verify_after_rotation() -> None:
    """After adding a new key, new pseudonyms use it and old ones still match their value."""
    before = _ring("2025-06").pseudonym("X123", "gdas")
    rotated = _ring("2025-06", "2026-01")

    after = rotated.pseudonym("X123", "gdas")

    assert before.startswith("2025-06.") and after.startswith("2026-01.")
    assert rotated.matches(before, "X123", "gdas")
    assert not rotated.matches(before, "X124", "gdas")
    assert rotated.refresh(before, "X123", "gdas") == after


def test_a_retired_key_no_longer_verifies() -> None:
    """Removing a key from the ring retires its pseudonyms."""
    before = _ring("2025-06").pseudonym("X123", "gdas")

    assert not _ring("2026-01").matches(before, "X123", "gdas")


def test_short_keys_and_unknown_current_key_are_refused() -> None:
    """A key under 32 bytes, or a current key id not in the ring, is refused."""
    with pytest.raises(PseudonymError, match="key 'k' is shorter than 32 bytes"):
        PseudonymKeyring({"k": b"short"}, "k")
    with pytest.raises(PseudonymError, match="current key id 'x'"):
        PseudonymKeyring({"k": NEW}, "x")


def test_keyring_text_takes_the_last_entry_as_current_and_hides_keys() -> None:
    """The keys file lists 'kid=base64' lines; the last is current; repr shows only ids."""
    old, new = base64.b64encode(OLD).decode(), base64.b64encode(NEW).decode()
    text = f"# keys\n2025-06={old}\n2026-01={new}\n"

    ring = parse_keyring(text, "keys.txt")

    assert ring.current == "2026-01"
    assert base64.b64encode(NEW).decode() not in repr(ring)


def test_bad_keyring_text_names_the_entry_not_the_key() -> None:
    """A malformed entry is reported by position or key id, never by its value."""
    with pytest.raises(PseudonymError, match=r"keys\.txt: key 'k1' is not base64") as caught:
        parse_keyring("k1=@@@notbase64@@@", "keys.txt")
    assert "notbase64" not in str(caught.value)


def test_keys_file_is_created_owner_only_and_rotation_appends(tmp_path: Path) -> None:
    """Adding keys creates a 0600 file; each addition becomes current and keeps the others."""
    path = tmp_path / "pseudonym.keys"
    add_pseudonym_key(path, "2025-06")
    add_pseudonym_key(path, "2026-01")

    ring = load_pseudonym_keyring(SecuritySettings(pseudonym_keys_file=path))

    assert ring.key_ids == ("2025-06", "2026-01") and ring.current == "2026-01"
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_keys_file_others_can_read_is_refused(tmp_path: Path) -> None:
    """A group- or world-readable keys file is refused with the chmod to fix it."""
    path = tmp_path / "pseudonym.keys"
    add_pseudonym_key(path, "k1")
    os.chmod(path, 0o644)

    with pytest.raises(SecretFileError, match="chmod 600"):
        load_pseudonym_keyring(SecuritySettings(pseudonym_keys_file=path))


def test_environment_keys_win_over_the_file(tmp_path: Path) -> None:
    """Keys given in the setting (environment) are used before the file."""
    env = SecretStr(f"env-key={base64.b64encode(NEW).decode()}")

    ring = load_pseudonym_keyring(
        SecuritySettings(pseudonym_keys=env, pseudonym_keys_file=tmp_path)
    )

    assert ring.key_ids == ("env-key",)


def test_log_signing_key_from_file_or_seed(tmp_path: Path) -> None:
    """The log signing key loads from a generated PEM file or from a base64 seed."""
    path = tmp_path / "log-signing.key"
    created = create_log_signing_key(path)
    seed = base64.b64encode(b"s" * 32).decode()

    from_file = load_log_signing_key(SecuritySettings(log_signing_key_file=path))
    from_env = load_log_signing_key(SecuritySettings(log_signing_key=SecretStr(seed)))

    assert from_file.public_key() == created.public_key()
    assert from_env.public_key() != created.public_key()
    with pytest.raises(SecretFileError, match="already exists"):
        create_log_signing_key(path)


def test_a_wrong_length_seed_is_refused_without_echoing_it() -> None:
    """An Ed25519 seed of the wrong size is refused and not quoted."""
    seed = base64.b64encode(b"q" * 16).decode()

    with pytest.raises(SecretFileError, match="32 bytes, not 16") as caught:
        load_log_signing_key(SecuritySettings(log_signing_key=SecretStr(seed)))
    assert seed not in str(caught.value)
