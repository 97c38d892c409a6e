"""Runtime settings: environment variables (prefix ``IOM_``) over an optional YAML config file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE_VARIABLE = "IOM_CONFIG"


class SettingsError(ValueError):
    """A setting is missing or has a bad value; the message names it."""


class KafkaSettings(BaseModel):
    """Where the Kafka cluster is and how clients identify themselves."""

    bootstrap_servers: str = "127.0.0.1:9092"
    client_id: str = "iom-broker"


class RouterSettings(BaseModel):
    """How the router consumes, batches and limits records."""

    group_id: str = "iom-router"
    transactional_id: str = "iom-router-0"
    max_record_bytes: int = Field(default=256 * 1024, gt=0)
    batch_max_records: int = Field(default=500, gt=0, le=10_000)
    poll_timeout_ms: int = Field(default=200, gt=0)


class Settings(BaseSettings):
    """All settings of one broker process."""

    model_config = SettingsConfigDict(
        env_prefix="IOM_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    kafka: KafkaSettings = KafkaSettings()
    router: RouterSettings = RouterSettings()
    schema_dir: Path = PROJECT_ROOT / "schemas"
    policy_file: Path = PROJECT_ROOT / "policies" / "iom-wales-baseline.yaml"
    agencies_file: Path = PROJECT_ROOT / "policies" / "agencies.yaml"
    subject_key_file: Path = PROJECT_ROOT / ".state" / "keys" / "subject.key"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["json", "console"] = "json"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Explicit arguments win, then the environment, then the config file."""
        return (init_settings, env_settings, _ConfigFileSource(settings_cls))


class _ConfigFileSource(PydanticBaseSettingsSource):
    """Reads the YAML file named by ``IOM_CONFIG``, if any."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = os.environ.get(CONFIG_FILE_VARIABLE)
        if not path:
            return {}
        try:
            loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise SettingsError(
                f"{CONFIG_FILE_VARIABLE}={path}: cannot read ({error.strerror})"
            ) from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark else path
            raise SettingsError(f"{where}: not valid YAML") from None
        if not isinstance(loaded, dict):
            raise SettingsError(f"{path}: expected a mapping of settings at the top level")
        return loaded


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, turning validation failures into one line naming the bad setting."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        dotted = ".".join(str(part) for part in first["loc"])
        variable = "IOM_" + "__".join(str(part).upper() for part in first["loc"])
        raise SettingsError(f"setting {dotted} ({variable}): {first['msg']}") from None
