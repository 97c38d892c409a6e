"""Where a validator finds the issuer's public keys: a fixed set, or a JWKS URL with a cache."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import httpx
import structlog
from joserfc.jwk import KeySet

__all__ = ["HttpJwksSource", "JwksError", "KeySource", "StaticKeySource"]

log = structlog.get_logger(__name__)


class JwksError(RuntimeError):
    """The JWKS could not be fetched or parsed; the message names the URL."""


class KeySource(Protocol):
    """Gives the current key set; ``refresh`` is asked when a token names an unknown ``kid``."""

    def key_set(self) -> KeySet:
        """The keys believed current."""
        ...

    def refresh(self) -> KeySet:
        """The keys after a re-fetch (sources may rate-limit this)."""
        ...


class StaticKeySource:
    """A fixed key set (tests, or an issuer validating its own tokens)."""

    def __init__(self, jwks: Mapping[str, Any]) -> None:
        self._keys = KeySet.import_key_set(dict(jwks))  # type: ignore[arg-type]

    def key_set(self) -> KeySet:
        """The fixed keys."""
        return self._keys

    def refresh(self) -> KeySet:
        """The same fixed keys."""
        return self._keys


class HttpJwksSource:
    """Fetches a JWKS over HTTPS, caches it for ``ttl_s`` and re-fetches at most every
    ``min_refresh_s`` when an unknown ``kid`` appears (so forged kids cannot flood the IdP)."""

    def __init__(
        self,
        url: str,
        ssl_context: ssl.SSLContext | None = None,
        ttl_s: float = 300.0,
        min_refresh_s: float = 30.0,
        timeout_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._verify: ssl.SSLContext | bool = ssl_context or True
        self._ttl_s = ttl_s
        self._min_refresh_s = min_refresh_s
        self._timeout_s = timeout_s
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: KeySet | None = None
        self._fetched_at = float("-inf")

    def key_set(self) -> KeySet:
        """The cached keys, fetched when absent or older than the TTL."""
        with self._lock:
            if self._keys is None or self._clock() - self._fetched_at > self._ttl_s:
                self._fetch()
            assert self._keys is not None
            return self._keys

    def refresh(self) -> KeySet:
        """Re-fetch unless the last fetch was under ``min_refresh_s`` ago."""
        with self._lock:
            if self._keys is None or self._clock() - self._fetched_at >= self._min_refresh_s:
                self._fetch()
            assert self._keys is not None
            return self._keys

    def _fetch(self) -> None:
        try:
            response = httpx.get(self.url, verify=self._verify, timeout=self._timeout_s)
            response.raise_for_status()
            keys = KeySet.import_key_set(response.json())
        except (httpx.HTTPError, ValueError) as error:
            raise JwksError(f"JWKS {self.url}: {type(error).__name__}") from None
        self._keys = keys
        self._fetched_at = self._clock()
        log.info("identity.jwks_fetched", url=self.url, keys=len(keys.keys))
