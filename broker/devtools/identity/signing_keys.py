"""Signing keys as JWKs with RFC 7638 thumbprint key ids, kept in owner-only PEM files."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from joserfc.jwk import ECKey, OKPKey, RSAKey

from broker.secrets.private_files import read_private_bytes, write_private_bytes

__all__ = ["SigningAlgorithm", "SigningKey", "load_or_create_signing_key", "public_jwks"]

SigningAlgorithm = Literal["RS256", "ES256", "EdDSA"]
SigningKey = RSAKey | ECKey | OKPKey


def load_or_create_signing_key(path: Path, alg: SigningAlgorithm = "RS256") -> SigningKey:
    """Return the private key stored at ``path``, generating and storing one if absent.

    The key's ``kid`` is its RFC 7638 thumbprint, so it is stable across restarts.
    """
    if path.exists():
        pem = read_private_bytes(path, "signing key")
        return _import(pem, alg)
    key = _generate(alg)
    write_private_bytes(path, key.as_pem(private=True))
    return key


def public_jwks(keys: list[SigningKey]) -> dict[str, Any]:
    """The JWKS document publishing the public halves of ``keys``."""
    return {"keys": [k.as_dict(private=False) for k in keys]}


def _parameters(alg: SigningAlgorithm) -> dict[str, str]:
    return {"alg": alg, "use": "sig"}


def _generate(alg: SigningAlgorithm) -> SigningKey:
    if alg == "RS256":
        return RSAKey.generate_key(2048, parameters=_parameters(alg), auto_kid=True)  # type: ignore[arg-type]
    if alg == "ES256":
        return ECKey.generate_key("P-256", parameters=_parameters(alg), auto_kid=True)  # type: ignore[arg-type]
    return OKPKey.generate_key("Ed25519", parameters=_parameters(alg), auto_kid=True)  # type: ignore[arg-type]


def _import(pem: bytes, alg: SigningAlgorithm) -> SigningKey:
    key_class: type[SigningKey] = {"RS256": RSAKey, "ES256": ECKey, "EdDSA": OKPKey}[alg]  # type: ignore[assignment]
    key = key_class.import_key(pem, parameters=_parameters(alg))  # type: ignore[arg-type]
    key.ensure_kid()
    return key
