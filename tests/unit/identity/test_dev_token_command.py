"""``iom-broker dev token`` prints development tokens that the broker's validator accepts."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from typer.testing import CliRunner

from broker.cli import app
from broker.devtools.identity.dev_issuer import DEV_TOKEN_CLIENT, DevIssuer
from broker.identity.jwks_source import StaticKeySource
from broker.identity.principal import Principal, Role
from broker.identity.token_validator import TokenValidator
from broker.settings import load_settings
from tests.unit.identity.keys import agencies


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The CLI points logging at CliRunner's stream, closed afterwards: undo that."""
    saved = structlog.get_config()
    handlers = list(logging.root.handlers)
    yield
    structlog.configure(**saved)
    logging.root.handlers[:] = handlers


def _principal(state: Path, token: str) -> Principal:
    settings = load_settings()
    issuer = DevIssuer.open(state / "identity", settings, agencies())
    validator = TokenValidator.from_settings(
        settings.identity, StaticKeySource(issuer.jwks()), agencies()
    )
    return validator.validate(token)


@pytest.mark.parametrize(
    ("option", "value", "role", "agency"),
    [
        ("--agency", "gwent-police", Role.AGENCY_SYSTEM, "gwent-police"),
        ("--dpo", "gdas", Role.DPO, "gdas"),
        ("--supervisee", "subject-ref-1", Role.SUPERVISEE, None),
    ],
)
def test_dev_token_prints_a_valid_token_for_the_chosen_caller(
    tmp_path: Path, option: str, value: str, role: Role, agency: str | None
) -> None:
    """Each of --agency, --dpo and --supervisee prints one token naming that caller."""
    result = CliRunner().invoke(app, ["dev", "token", option, value, "--state", str(tmp_path)])

    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    principal = _principal(tmp_path, token)
    assert (principal.role, principal.agency) == (role, agency)
    if role is Role.SUPERVISEE:
        assert principal.may_see_subject("subject-ref-1")


def test_dev_token_prints_an_operator_token_that_may_scrape_metrics(tmp_path: Path) -> None:
    """--operator prints a token of role operator, tied to no agency or person."""
    result = CliRunner().invoke(app, ["dev", "token", "--operator", "--state", str(tmp_path)])

    assert result.exit_code == 0, result.output
    principal = _principal(tmp_path, result.stdout.strip())
    assert (principal.role, principal.agency, principal.subject_ref) == (Role.OPERATOR, None, None)


def test_dev_token_needs_exactly_one_caller(tmp_path: Path) -> None:
    """Asking for two callers at once is a usage error."""
    result = CliRunner().invoke(
        app, ["dev", "token", "--agency", "gdas", "--dpo", "gdas", "--state", str(tmp_path)]
    )

    assert result.exit_code == 2
    assert "exactly one of --agency, --supervisee, --dpo or --operator" in result.output


def test_dev_token_names_unknown_agencies(tmp_path: Path) -> None:
    """An agency not in the registry is refused, listing the known ones."""
    result = CliRunner().invoke(app, ["dev", "token", "--agency", "mi5", "--state", str(tmp_path)])

    assert result.exit_code == 2
    assert "unknown agency 'mi5'" in result.output


def test_dev_token_refuses_in_production(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In production mode no development token is printed."""
    monkeypatch.setenv("IOM_SECURITY__MODE", "production")
    monkeypatch.setenv("IOM_SECURITY__KAFKA_AUTH", "true")
    monkeypatch.setenv("IOM_API__TLS_CERT_FILE", str(tmp_path / "api.crt"))
    monkeypatch.setenv("IOM_API__TLS_KEY_FILE", str(tmp_path / "api.key"))

    result = CliRunner().invoke(app, ["dev", "token", "--agency", "gdas", "--state", str(tmp_path)])

    assert result.exit_code == 2
    assert "refuses to start" in result.output
    assert result.stdout.count(".") < 2


def test_dev_token_refuses_a_lifetime_the_broker_would_refuse(tmp_path: Path) -> None:
    """--ttl above identity.max_token_lifetime_seconds (1 hour) is refused, naming the setting."""
    result = CliRunner().invoke(
        app, ["dev", "token", "--agency", "gdas", "--ttl", "7200", "--state", str(tmp_path)]
    )

    assert result.exit_code == 2
    assert "identity.max_token_lifetime_seconds (3600)" in result.output
    assert result.stdout.count(".") < 2


def test_dev_token_refuses_a_subject_reference_outside_the_character_set(tmp_path: Path) -> None:
    """--supervisee with a right-to-left override is refused without repeating the value."""
    result = CliRunner().invoke(
        app, ["dev", "token", "--supervisee", "subj-\u202ea", "--state", str(tmp_path)]
    )

    assert result.exit_code == 2
    assert "--supervisee: a subject reference must be" in result.output
    assert "\u202e" not in result.output


@pytest.mark.parametrize(
    ("option", "value", "client_id"),
    [("--agency", "gwent-police", "gwent-police-adapter"), ("--dpo", "gdas", DEV_TOKEN_CLIENT)],
)
def test_dev_token_is_an_rfc_9068_access_token(
    tmp_path: Path, option: str, value: str, client_id: str
) -> None:
    """The printed token is typed ``at+jwt`` and names its client: an agency's own client id,
    or the development-only ``dev token`` client for people."""
    result = CliRunner().invoke(app, ["dev", "token", option, value, "--state", str(tmp_path)])

    token = result.stdout.strip()
    header, payload = (json.loads(_b64(part)) for part in token.split(".")[:2])
    assert header["typ"] == "at+jwt"
    assert payload["client_id"] == client_id
    assert {"iss", "exp", "aud", "sub", "iat", "jti"} <= payload.keys()


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
