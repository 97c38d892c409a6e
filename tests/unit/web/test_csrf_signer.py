"""The CSRF token: bound to the browser's nonce, its session and the server's key."""

from __future__ import annotations

from broker.web.csrf import CsrfSigner

KEY = b"k" * 32


def test_token_is_accepted_only_for_its_nonce_and_session() -> None:
    """A token checks out for the nonce and session it was made for, and for nothing else."""
    signer = CsrfSigner(KEY)
    token = signer.token("nonce-1", "session-a")
    assert signer.valid(token, "nonce-1", "session-a")
    assert not signer.valid(token, "nonce-2", "session-a")
    assert not signer.valid(token, "nonce-1", "session-b")
    assert not signer.valid(token, "nonce-1", "")


def test_another_key_and_empty_inputs_are_refused() -> None:
    """A token made with another key, an empty token or an empty nonce never passes."""
    token = CsrfSigner(b"x" * 32).token("nonce-1", "session-a")
    signer = CsrfSigner(KEY)
    assert not signer.valid(token, "nonce-1", "session-a")
    assert not signer.valid("", "nonce-1", "session-a")
    assert not signer.valid(signer.token("", "s"), "", "s")


def test_parts_cannot_be_shifted_between_nonce_and_session() -> None:
    """Moving characters from the nonce into the session gives a different token."""
    signer = CsrfSigner(KEY)
    assert signer.token("ab", "c") != signer.token("a", "bc")
