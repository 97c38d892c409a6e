"""Whether the configured transparency log exists, before a command reads from it.

Opening a log creates an empty one (and new keys are refused only if a key file is missing),
so a command that reads — an export for a subject access response above all — first checks
that the store and both key files are there, and names the setting to fix when not.
"""

from __future__ import annotations

from pathlib import Path

from broker.settings import TransparencySettings

__all__ = ["missing_log_setting"]

_HINT = 'point it at the running stack\'s log (eval "$(iom-broker dev env)")'


def missing_log_setting(settings: TransparencySettings) -> str:
    """A one-line reason naming the setting when the log's store or a key is missing ('' if
    all exist). A PostgreSQL store is checked when it is opened."""
    store = settings.store_url
    if store.startswith("sqlite:///"):
        path = Path(store.removeprefix("sqlite:///"))
        if not path.is_file():
            return f"no transparency log at {path} (IOM_TRANSPARENCY__STORE_URL); {_HINT}"
    for variable, key in (
        ("IOM_TRANSPARENCY__SIGNING_KEY_FILE", settings.signing_key_file),
        ("IOM_TRANSPARENCY__SUBJECT_INDEX_KEY_FILE", settings.subject_index_key_file),
    ):
        if not key.is_file():
            return f"no log key at {key} ({variable}); {_HINT}"
    return ""
