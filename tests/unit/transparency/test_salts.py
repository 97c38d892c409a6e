"""Every entry of an appended batch is salted on its own."""

from __future__ import annotations

from broker.transparency.entry import SALT_BYTES, fresh_salts


def test_a_batch_draws_one_distinct_full_length_salt_per_entry() -> None:
    """Salts drawn together for a batch are as many as its entries, full length, all different."""
    salts = fresh_salts(2_000)
    assert len(salts) == 2_000
    assert {len(salt) for salt in salts} == {SALT_BYTES}
    assert len(set(salts)) == 2_000


def test_an_empty_batch_draws_no_salt() -> None:
    """Nothing to append draws nothing."""
    assert fresh_salts(0) == []
