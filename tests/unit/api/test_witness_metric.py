"""The API's witness alert metric."""

from __future__ import annotations

from broker.api.metrics import ApiMetrics


def test_uncosigned_entries_are_exported_per_witness() -> None:
    """Each witness's gap (entries its last cosignature does not cover) is one labelled sample."""
    metrics = ApiMetrics(lambda: 40, lambda: {"ico.example/witness": 36})
    text = metrics.exposition().decode()
    assert 'iom_witness_uncosigned_entries{witness="ico.example/witness"} 36.0' in text
