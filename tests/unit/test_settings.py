"""Settings come from the environment and a config file, and bad values are named."""

from pathlib import Path

import pytest

from broker.identity.principal import Role
from broker.settings import SettingsError, load_settings


def test_environment_overrides_nested_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """IOM_KAFKA__BOOTSTRAP_SERVERS sets the Kafka bootstrap servers."""
    monkeypatch.setenv("IOM_KAFKA__BOOTSTRAP_SERVERS", "127.0.0.1:19999")
    assert load_settings().kafka.bootstrap_servers == "127.0.0.1:19999"


def test_config_file_is_read_and_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A YAML file named by IOM_CONFIG supplies settings, and the environment overrides it."""
    config = tmp_path / "broker.yaml"
    config.write_text("router:\n  batch_max_records: 50\nlog_level: debug\n")
    monkeypatch.setenv("IOM_CONFIG", str(config))
    monkeypatch.setenv("IOM_LOG_LEVEL", "warning")
    settings = load_settings()
    assert settings.router.batch_max_records == 50
    assert settings.log_level == "warning"


def test_bad_value_names_the_setting_and_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong value is reported in one line naming both the setting and its variable."""
    monkeypatch.setenv("IOM_ROUTER__BATCH_MAX_RECORDS", "lots")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert "router.batch_max_records" in message
    assert "IOM_ROUTER__BATCH_MAX_RECORDS" in message
    assert "\n" not in message


def test_unknown_setting_in_config_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A misspelt key in the config file is an error, not silently ignored."""
    config = tmp_path / "broker.yaml"
    config.write_text("routr:\n  batch_max_records: 50\n")
    monkeypatch.setenv("IOM_CONFIG", str(config))
    with pytest.raises(SettingsError, match="routr"):
        load_settings()


def test_broken_config_file_names_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A config file that is not YAML is reported with its path and line."""
    config = tmp_path / "broker.yaml"
    config.write_text("router:\n  batch_max_records: [\n")
    monkeypatch.setenv("IOM_CONFIG", str(config))
    with pytest.raises(SettingsError, match=r"broker\.yaml:\d+"):
        load_settings()


def test_production_mode_refuses_an_api_without_tls(monkeypatch: pytest.MonkeyPatch) -> None:
    """In production mode the API must have a certificate: plain HTTP is refused at start."""
    monkeypatch.setenv("IOM_SECURITY__MODE", "production")
    monkeypatch.setenv("IOM_SECURITY__KAFKA_AUTH", "true")
    with pytest.raises(SettingsError, match=r"api\.tls_cert_file is required in production"):
        load_settings()


def test_api_certificate_needs_its_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A TLS certificate without its private key is refused, naming both settings."""
    monkeypatch.setenv("IOM_API__TLS_CERT_FILE", str(tmp_path / "api.crt"))
    with pytest.raises(SettingsError, match="tls_cert_file and tls_key_file"):
        load_settings()


def test_router_lag_marks_default_and_are_checked() -> None:
    """The lag recovery mark defaults to half the high mark and must stay below it."""
    assert (
        load_settings(router={"lag_high_records": 400}).router.effective_lag_recovered_records
        == 200
    )
    with pytest.raises(SettingsError, match=r"IOM_ROUTER.*lag_recovered_records must be below"):
        load_settings(router={"lag_high_records": 400, "lag_recovered_records": 400})


def test_claim_mapping_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """An Entra-style mapping (``roles``, ``azp``, provider role names) is set by environment
    variables; the defaults are the broker's own claim names."""
    assert load_settings().identity.claims.client_id_claims == ("client_id", "azp")
    monkeypatch.setenv("IOM_IDENTITY__CLAIMS__ROLE_CLAIM", "roles")
    monkeypatch.setenv("IOM_IDENTITY__CLAIMS__CLIENT_ID_CLAIMS", '["azp"]')
    monkeypatch.setenv("IOM_IDENTITY__CLAIMS__ROLE_VALUES", '{"IOM.DPO": "dpo"}')

    claims = load_settings().identity.claims

    assert (claims.role_claim, claims.client_id_claims) == ("roles", ("azp",))
    assert claims.role_values == {"IOM.DPO": Role.DPO}
    assert claims.agency_claim == "iom_agency"


def test_an_empty_claim_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim mapping naming an empty claim is refused, naming the setting."""
    monkeypatch.setenv("IOM_IDENTITY__CLAIMS__CLIENT_ID_CLAIMS", '["azp", ""]')

    with pytest.raises(SettingsError, match=r"identity\.claims\.client_id_claims"):
        load_settings()
