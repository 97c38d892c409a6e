"""Where defaults come from: the checkout when run from source, the package when installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from broker import package_data
from broker.devtools.kafka import jars
from broker.project_root import PROJECT_ROOT
from broker.settings import Settings


@pytest.fixture
def installed_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make this package look like an installed wheel whose data is in ``tmp_path/data``."""
    bundled = tmp_path / "data"
    bundled.mkdir()
    monkeypatch.setattr(package_data, "BUNDLED_DATA", bundled)
    return bundled


def test_from_a_checkout_the_defaults_are_the_checkouts_folders() -> None:
    """Run from source, settings default to the checkout's schemas/, policies/ and .state/."""
    settings = Settings()
    assert settings.schema_dir == PROJECT_ROOT / "schemas"
    assert settings.policy_file == PROJECT_ROOT / "policies"
    assert settings.agencies_file == PROJECT_ROOT / "policies" / "agencies.yaml"
    assert settings.subject_key_file == PROJECT_ROOT / ".state" / "keys" / "subject.key"
    log_store = PROJECT_ROOT / ".state" / "transparency" / "log.sqlite3"
    assert settings.transparency.store_url == f"sqlite:///{log_store}"


def test_an_installed_copy_reads_its_bundled_data_and_keeps_state_in_the_current_folder(
    installed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installed, data defaults come from the package and state from ./.state, never from
    the folder the wheel was built in."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    settings = Settings()
    assert settings.schema_dir == installed_copy / "schemas"
    assert settings.policy_file == installed_copy / "policies"
    assert settings.agencies_file == installed_copy / "policies" / "agencies.yaml"
    assert settings.subject_key_file == workdir / ".state" / "keys" / "subject.key"
    assert settings.api.store_url == f"sqlite:///{workdir / '.state' / 'api' / 'records.sqlite3'}"
    assert package_data.govuk_frontend_dir() == installed_copy / "web" / "govuk-frontend"
    assert package_data.swagger_ui_dir() == installed_copy / "web" / "swagger-ui-dist"


def test_kafka_jars_are_cached_in_the_checkout_when_run_from_source() -> None:
    """From a checkout the jar cache stays the checkout's .cache/kafka (as `make test` uses)."""
    assert jars.default_cache_root({}) == PROJECT_ROOT / ".cache" / "kafka"


def test_an_installed_copy_caches_kafka_jars_in_the_users_cache(
    installed_copy: Path, tmp_path: Path
) -> None:
    """Installed, jars go to $XDG_CACHE_HOME/iom-broker/kafka; IOM_KAFKA_CACHE_DIR wins."""
    user_cache = tmp_path / "xdg"
    assert jars.default_cache_root({"XDG_CACHE_HOME": str(user_cache)}) == (
        user_cache / "iom-broker" / "kafka"
    )
    explicit = {"XDG_CACHE_HOME": str(user_cache), "IOM_KAFKA_CACHE_DIR": str(tmp_path / "jars")}
    assert jars.default_cache_root(explicit) == tmp_path / "jars"
