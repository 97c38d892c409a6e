"""A development certificate authority and the certificates it issues, made with ``cryptography``.

Development only: the CA key sits next to the certificates in the state dir. Production
deployments configure their own CA bundle and certificates (``security.kafka_ca_file``,
``identity.ca_file``). Files under ``<dir>``: ``ca.crt`` (trust anchor), ``ca.key``, and per
name ``<name>.crt`` (leaf + CA), ``<name>.key`` (PKCS#8) and ``<name>.pem`` (key then chain,
the layout Kafka's PEM keystore reads).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from broker.secrets.private_files import read_private_bytes, write_private_bytes

__all__ = ["LOOPBACK_NAMES", "DevPki", "IssuedCertificate"]

LOOPBACK_NAMES: tuple[str, ...] = ("127.0.0.1", "::1", "localhost")
CA_NAME = "iom-broker development CA"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_CA_DAYS = 3650
_LEAF_DAYS = 825


@dataclass(frozen=True)
class IssuedCertificate:
    """Paths of one issued certificate and its key."""

    name: str
    cert_file: Path
    key_file: Path
    bundle_file: Path


class DevPki:
    """The development CA in ``directory``; created on first use, reused afterwards."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.ca_file = self.directory / "ca.crt"
        self._ca_key_file = self.directory / "ca.key"

    def ensure_ca(self) -> Path:
        """Create the CA if absent; return the CA certificate's path (the trust anchor)."""
        if self.ca_file.exists() and self._ca_key_file.exists():
            return self.ca_file
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=_CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        write_private_bytes(self._ca_key_file, _pkcs8(key))
        self.ca_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return self.ca_file

    def issue(
        self, name: str, hosts: tuple[str, ...] = LOOPBACK_NAMES, *, client: bool = False
    ) -> IssuedCertificate:
        """Issue (or reuse) a server certificate for ``hosts``; ``client`` adds client-auth use.

        The subject is ``CN=<name>`` alone, so Kafka maps a client certificate to
        ``User:<name>`` with the rule ``RULE:^CN=([^,]+)$/$1/``.
        """
        if not _NAME.match(name):
            raise ValueError(f"certificate name {name!r} must be a lower-case slug")
        issued = IssuedCertificate(
            name,
            self.directory / f"{name}.crt",
            self.directory / f"{name}.key",
            self.directory / f"{name}.pem",
        )
        if issued.cert_file.exists() and issued.key_file.exists() and issued.bundle_file.exists():
            return issued
        self.ensure_ca()
        ca_key = serialization.load_pem_private_key(
            read_private_bytes(self._ca_key_file, "CA key"), password=None
        )
        assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
        ca_cert = x509.load_pem_x509_certificate(self.ca_file.read_bytes())
        key = ec.generate_private_key(ec.SECP256R1())
        usages = [ExtendedKeyUsageOID.SERVER_AUTH] + (
            [ExtendedKeyUsageOID.CLIENT_AUTH] if client else []
        )
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=_LEAF_DAYS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName([_san(h) for h in hosts]), critical=False)
            .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
            )
            .sign(ca_key, hashes.SHA256())
        )
        chain = cert.public_bytes(serialization.Encoding.PEM) + self.ca_file.read_bytes()
        write_private_bytes(issued.key_file, _pkcs8(key))
        write_private_bytes(issued.bundle_file, _pkcs8(key) + chain)
        issued.cert_file.write_bytes(chain)
        return issued


def _pkcs8(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _san(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
