"""Redirect URIs of the development issuer's web clients (the portal and the DPO console).

DEVELOPMENT ONLY. ``<identity state>/web-clients.json`` maps a client id to the exact redirect
URIs it may use. ``dev up`` writes it when it knows the API's port; the issuer reads it on each
authorization request, so a new port needs no restart. Matching is exact string equality: no
prefixes, no wildcards, so the issuer can never be used as an open redirect.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["WEB_CLIENTS_FILE", "register_redirect_uris", "registered_redirect_uris"]

WEB_CLIENTS_FILE = "web-clients.json"


def _read(identity_dir: Path) -> dict[str, list[str]]:
    try:
        loaded = json.loads((Path(identity_dir) / WEB_CLIENTS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {
        str(cid): [u for u in uris if isinstance(u, str)]
        for cid, uris in loaded.items()
        if isinstance(uris, list)
    }


def registered_redirect_uris(identity_dir: Path, client_id: str) -> frozenset[str]:
    """The redirect URIs registered for ``client_id`` (empty if none)."""
    return frozenset(_read(identity_dir).get(client_id, []))


def register_redirect_uris(identity_dir: Path, client_id: str, uris: list[str]) -> None:
    """Register ``uris`` for ``client_id`` (replacing its earlier ones).

    Each must be an absolute ``https`` URL, or ``http`` on loopback, without a fragment.
    """
    for uri in uris:
        parts = urlsplit(uri)
        loopback = parts.hostname in ("127.0.0.1", "::1", "localhost")
        if (
            parts.fragment
            or not parts.netloc
            or not (parts.scheme == "https" or (parts.scheme == "http" and loopback))
        ):
            raise ValueError(
                f"redirect URI {uri!r} must be absolute https (http only on loopback), "
                "without a fragment"
            )
    clients = _read(identity_dir)
    clients[client_id] = sorted(set(uris))
    path = Path(identity_dir) / WEB_CLIENTS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(clients, indent=1), "utf-8")
