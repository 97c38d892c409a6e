"""``iom-broker identity pki``: the development CA and the certificates compose needs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from cryptography import x509
from typer.testing import CliRunner

from broker.cli import app


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The CLI points logging at CliRunner's stream, closed afterwards: undo that."""
    saved = structlog.get_config()
    handlers = list(logging.root.handlers)
    yield
    structlog.configure(**saved)
    logging.root.handlers[:] = handlers


def _names(cert_file: Path) -> set[str]:
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(n) for n in sans.get_values_for_type(x509.DNSName)}


def test_pki_certifies_the_extra_host_names(tmp_path: Path) -> None:
    """The issuer/API and Kafka node certificates name each --host besides localhost."""
    result = CliRunner().invoke(
        app, ["identity", "pki", "--state", str(tmp_path), "--host", "kafka", "--host", "issuer"]
    )

    assert result.exit_code == 0, result.output
    pki = tmp_path / "pki"
    assert {"kafka", "issuer", "localhost"} <= _names(pki / "iom-http.crt")
    assert {"kafka", "issuer", "localhost"} <= _names(pki / "iom-kafka-node.crt")
    assert (pki / "iom-kafka-node.pem").stat().st_mode & 0o077 == 0


def test_pki_refuses_production_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No development CA is made in production mode."""
    monkeypatch.setenv("IOM_SECURITY__MODE", "production")
    monkeypatch.setenv("IOM_SECURITY__KAFKA_AUTH", "true")
    monkeypatch.setenv("IOM_API__TLS_CERT_FILE", str(tmp_path / "api.crt"))
    monkeypatch.setenv("IOM_API__TLS_KEY_FILE", str(tmp_path / "api.key"))

    result = CliRunner().invoke(app, ["identity", "pki", "--state", str(tmp_path)])

    assert result.exit_code == 2
    assert not (tmp_path / "pki").exists()
