"""The one settings loader of every command: IOM_* variables or IOM_CONFIG, logging set up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from broker.cli.failure import fail

if TYPE_CHECKING:
    from broker.settings import Settings


def command_settings(
    overrides: Mapping[str, object] | None = None,
    *,
    log_level: str | None = None,
    log_format: str | None = None,
) -> Settings:
    """Load the settings (with OVERRIDES) and configure logging; exit 2 naming a bad setting.

    ``log_level`` and ``log_format`` change this command's logging only, not the settings.
    """
    from broker.logging_setup import configure_logging
    from broker.settings import SettingsError, load_settings

    try:
        settings = load_settings(**(overrides or {}))
    except SettingsError as error:
        fail(str(error), 2)
    configure_logging(log_level or settings.log_level, log_format or settings.log_format)
    return settings
