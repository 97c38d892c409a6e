"""A web session's tokens are readable only with the session id the browser holds."""

from __future__ import annotations

from broker.identity import session_seal as seal
from broker.identity.session_seal import SessionTokens, new_session_id, seal_tokens, unseal_tokens

TOKENS = SessionTokens("access.token.value", "refresh-value", "id.token.value")


def test_the_session_id_unseals_its_tokens() -> None:
    """Tokens sealed for a session come back whole with that session's id."""
    session = new_session_id()

    assert unseal_tokens(session, seal_tokens(session, TOKENS)) == TOKENS
    assert len(session) <= seal.MAX_SESSION_ID


def test_another_id_or_an_altered_seal_reads_nothing() -> None:
    """Another session's id, or one changed character, unseals nothing."""
    session = new_session_id()
    sealed = seal_tokens(session, TOKENS)
    altered = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]

    assert unseal_tokens(new_session_id(), sealed) is None
    assert unseal_tokens(session, altered) is None


def test_what_the_server_keeps_reveals_neither_id_nor_tokens() -> None:
    """The stored hash and seal contain neither the cookie value nor any token."""
    session = new_session_id()
    kept = seal.session_hash(session) + seal_tokens(session, TOKENS)

    for secret in (session, TOKENS.access_token, "refresh-value", "id.token.value"):
        assert secret not in kept
    assert "refresh-value" not in repr(TOKENS)
