"""Build the transparency log a process uses from its settings."""

from __future__ import annotations

from broker.settings import TransparencySettings
from broker.transparency.keys import load_index_key, load_signer
from broker.transparency.log import TransparencyLog
from broker.transparency.store import open_store


def open_log(settings: TransparencySettings) -> TransparencyLog:
    """The log at ``settings.store_url``, signing as ``settings.origin``."""
    signer = load_signer(settings.signing_key_file, settings.origin)
    index_key = load_index_key(settings.subject_index_key_file)
    return TransparencyLog(
        open_store(settings.store_url), signer, index_key, settings.default_retention
    )
