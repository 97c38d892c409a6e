"""The development CA issues loopback certificates that TLS clients verify."""

from __future__ import annotations

import ipaddress
import ssl
from pathlib import Path

from cryptography import x509

from broker.devtools.identity.dev_pki import DevPki


def test_leaf_certificate_covers_loopback_and_chains_to_the_ca(tmp_path: Path) -> None:
    """An issued server certificate names 127.0.0.1 and localhost and loads in a TLS context
    that trusts only the dev CA."""
    pki = DevPki(tmp_path)
    issued = pki.issue("iom-http")

    cert = x509.load_pem_x509_certificate(issued.cert_file.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert ipaddress.ip_address("127.0.0.1") in names.get_values_for_type(x509.IPAddress)
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(issued.cert_file, issued.key_file)
    client = ssl.create_default_context(cafile=str(pki.ca_file))
    assert client.verify_mode == ssl.CERT_REQUIRED


def test_keys_are_owner_only_and_certificates_are_reused(tmp_path: Path) -> None:
    """Private keys are 0600 and a second issue returns the same certificate."""
    pki = DevPki(tmp_path)
    first = pki.issue("iom-kafka-node", client=True)
    again = pki.issue("iom-kafka-node", client=True)

    assert first.cert_file.read_bytes() == again.cert_file.read_bytes()
    for path in (first.key_file, first.bundle_file, tmp_path / "ca.key"):
        assert path.stat().st_mode & 0o077 == 0
    assert first.bundle_file.read_text().startswith("-----BEGIN PRIVATE KEY-----")
